typedef int tellus_placeholder_image; /* being written */
