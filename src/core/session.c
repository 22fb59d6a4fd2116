typedef int tellus_placeholder_session; /* being written */
