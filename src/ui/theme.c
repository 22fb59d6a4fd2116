typedef int tellus_placeholder_theme; /* being written */
