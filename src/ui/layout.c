typedef int tellus_placeholder_layout; /* being written */
