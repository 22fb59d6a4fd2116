typedef int tellus_placeholder_screen_still_there; /* being written */
