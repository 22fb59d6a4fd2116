/*
 * access: how a person answers and sees the kiosk. The kiosk's settings give
 * the defaults; "How do you like to answer?" changes them for one person's
 * session, and they return to the defaults when the session ends. (The
 * repeat filter is the kiosk's double_tap_ms.)
 */
#ifndef TELLUS_ACCESS_H
#define TELLUS_ACCESS_H

#include <stdbool.h>
#include <stdint.h>

enum access_method {
	ACCESS_TOUCH = 0,     /* touch, mouse and keyboard */
	ACCESS_SCAN,          /* one switch: the highlight moves by itself, press to choose */
	ACCESS_TAP_HOLD,      /* one switch: a tap moves the highlight, a hold chooses */
	ACCESS_TWO_SWITCH,    /* two switches: one moves, the other chooses */
	ACCESS_DWELL,         /* rest the pointer on a picture to choose it */
	ACCESS_COUNT
};
/* "touch", "scan", "tap-hold", "two-switch", "dwell"; parse: -1 if unknown. */
const char *access_method_name(enum access_method m);
int access_method_parse(const char *s);

enum theme_id { THEME_DEFAULT = 0, THEME_HIGH_CONTRAST, THEME_COUNT };
const char *theme_id_name(enum theme_id t);   /* "default", "high-contrast" */
int theme_id_parse(const char *s);

typedef struct access_settings {
	enum access_method method;
	int64_t scan_interval_ms;     /* 750 to 5000; 2000 */
	int64_t scan_first_pause_ms;  /* extra time on the first item of a round; 1000 */
	int scan_rounds;              /* rounds without a press before scanning rests; 3 */
	int64_t switch_hold_ms;       /* tap-hold: a press this long chooses; 800 */
	int64_t dwell_ms;             /* resting this long chooses; 1000 */
	int dwell_move_px;            /* a new screen dwells only once the pointer moved this far; 20 */
	int64_t min_hold_ms;          /* touches shorter than this are ignored; 0 */
	bool select_on_press;         /* choose when pressed, not when released */
	bool speech;                  /* read questions and answers aloud */
	bool touch_to_hear;           /* first touch reads the answer, second chooses */
	bool scan_speak;              /* read each item as the highlight reaches it */
	enum theme_id theme;
	bool large_text;
	bool dyslexic_font;           /* OpenDyslexic for Latin text */
	bool reduced_motion;          /* no animation: highlights jump, rings step */
	int speech_rate;              /* words a minute; 150 */
	char switch_keys[2][32];      /* key names (SDL's) for switch 1 and 2: "Space", "Return" */
} access_settings;

void access_default(access_settings *a);

#endif
