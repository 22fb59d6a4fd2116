typedef int tellus_placeholder_screen_welcome; /* being written */
