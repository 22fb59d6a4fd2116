typedef int tellus_placeholder_input; /* being written */
