typedef int tellus_placeholder_flow; /* being written */
