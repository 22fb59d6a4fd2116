/*
 * access: names and defaults of the ways to answer. Tables, so a new method
 * or theme is one line here.
 */
#include "config/access.h"

#include <string.h>

static const char *const method_names[ACCESS_COUNT] = {
	"touch", "scan", "tap-hold", "two-switch", "dwell",
};
static const char *const theme_names[THEME_COUNT] = { "default", "high-contrast" };

const char *
access_method_name(enum access_method m)
{
	return m < ACCESS_COUNT ? method_names[m] : "touch";
}

int
access_method_parse(const char *s)
{
	for (int i = 0; s && i < ACCESS_COUNT; i++)
		if (strcmp(s, method_names[i]) == 0)
			return i;
	return -1;
}

const char *
theme_id_name(enum theme_id t)
{
	return t < THEME_COUNT ? theme_names[t] : "default";
}

int
theme_id_parse(const char *s)
{
	for (int i = 0; s && i < THEME_COUNT; i++)
		if (strcmp(s, theme_names[i]) == 0)
			return i;
	return -1;
}

void
access_default(access_settings *a)
{
	*a = (access_settings){
		.method = ACCESS_TOUCH,
		.scan_interval_ms = 2000,
		.scan_first_pause_ms = 1000,
		.scan_rounds = 3,
		.switch_hold_ms = 800,
		.dwell_ms = 1000,
		.dwell_move_px = 20,
		.min_hold_ms = 0,
		.select_on_press = false,
		.speech = true,
		.touch_to_hear = false,
		.scan_speak = false,
		.theme = THEME_DEFAULT,
		.large_text = false,
		.dyslexic_font = false,
		.reduced_motion = false,
		.speech_rate = 150,
		.switch_keys = { "Space", "Return" },
	};
}
