typedef int tellus_placeholder_draw; /* being written */
