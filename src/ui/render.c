typedef int tellus_placeholder_render; /* being written */
