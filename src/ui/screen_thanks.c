typedef int tellus_placeholder_screen_thanks; /* being written */
