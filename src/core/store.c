typedef int tellus_placeholder_store; /* being written */
