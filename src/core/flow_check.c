typedef int tellus_placeholder_flow_check; /* being written */
