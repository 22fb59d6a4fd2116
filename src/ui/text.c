typedef int tellus_placeholder_text; /* being written */
