typedef int tellus_placeholder_app; /* being written */
