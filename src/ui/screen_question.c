typedef int tellus_placeholder_screen_question; /* being written */
