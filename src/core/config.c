typedef int tellus_placeholder_config; /* being written */
