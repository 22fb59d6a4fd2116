typedef int tellus_placeholder_store_writer; /* being written */
