/*
 * staff: the kiosk's staff mode, a state machine on top of the kiosk:
 * the hidden gesture, the PIN pad (and setting a first PIN), the menu, the
 * export with its progress and result, today's answers, about, and quit.
 *
 * Promises: the gesture is watched on every kiosk screen without changing
 * anything on it; nothing here touches the disk on the frame path: PIN
 * hashing, counting and exporting run on one worker thread, and the mount
 * table is read by the mounts watcher's thread; both post an SDL event when
 * they have news. Time comes from the app's clock.
 */
#ifndef TELLUS_STAFF_H
#define TELLUS_STAFF_H

#include <stdbool.h>
#include <stdint.h>
#include <SDL.h>
#include "flow/flow.h"
#include "pin/pin.h"
#include "kiosk/kiosk_setup.h"
#include "session/session.h"
#include "base/util.h"
#include "intake/intake.h"

#define STAFF_HOLD_MS 3000        /* press and hold the top-left corner... */
#define STAFF_TAP_WITHIN_MS 5000  /* ...then tap the top-right one within this */
#define STAFF_QUIET_MS 60000      /* staff mode closes itself after a quiet minute */
#define STAFF_CHART_CAP 10        /* pictures per row before "each = N" */
#define STAFF_MAX_FLOWS 16        /* config.h's CONFIG_MAX_FLOWS */
#define STAFF_ROOM_CHART_MS 12000 /* the room shows each chart this long: a calm pace */
#define STAFF_LOAD_MAX 8          /* files a stick's load shows (the rest counted) */

enum staff_screen {
	STAFF_OFF = 0,
	STAFF_PIN,        /* PIN pad: enter, or set a first PIN twice */
	STAFF_MENU,
	STAFF_EXPORT,
	STAFF_TODAY,
	STAFF_ABOUT,
	STAFF_CLEAR,      /* "Clear this kiosk?", then clearing and its result */
	STAFF_SETUP,      /* the kiosk's set-up: name, flows offered, event (staff_setup.c) */
	STAFF_ROOM,       /* "Show the room": the answers' charts, full screen, for everyone */
	STAFF_LOAD,       /* Load from the stick: each file taken or refused, and why */
	STAFF_SCREEN_COUNT
};

/* PINPAD_NOT_SET_UP: no PIN, and the kiosk may not make one (the database
 * is not new): the pad shows only "run tellus set-pin" and Cancel. */
enum staff_pin_mode { PINPAD_ENTER = 0, PINPAD_SET_FIRST, PINPAD_SET_AGAIN, PINPAD_NOT_SET_UP };
/* The set-up's steps after the PIN, in the order a first start asks them;
 * SETUP_REVIEW shows them all (and is where the staff menu opens it). */
enum staff_setup_step { SETUP_NAME = 0, SETUP_FLOWS, SETUP_EVENT, SETUP_REVIEW, SETUP_STEP_COUNT };
#define STAFF_TEXT_MAX 64         /* the typed field, with its zero: KIOSK_EVENT_MAX, kiosk ids */
/* ACT_STAFF_KEY's arg besides a character: delete the last one. */
#define STAFF_KEY_DELETE (-1)

enum staff_export_state { EXPORT_RUNNING = 0, EXPORT_DONE, EXPORT_FAILED };
enum staff_clear_state { CLEAR_ASK = 0, CLEAR_RUNNING, CLEAR_DONE, CLEAR_FAILED };

/* "Yes, clear" takes no press until this long after the question shows, so
 * a double tap on "Clear this kiosk" cannot answer it. */
#define STAFF_CLEAR_ARM_MS 2000

/* What the staff screens draw. Changed only on the app's thread. */
typedef struct staff_view {
	enum staff_screen screen;
	bool busy;                   /* the worker is checking or counting */
	uint64_t jobs_ended;         /* one more each time a worker's job ends (a voided one too) */
	/* PIN pad */
	enum staff_pin_mode pin_mode;
	int n_digits;
	int min_digits;              /* a new PIN's least length (pin_min_digits) */
	char message[160];           /* "That PIN is not right." */
	int64_t lock_left_ms;        /* > 0: locked, this long to go */
	/* menu */
	bool stick;                  /* a stick is mounted under the roots */
	char stick_name[128];
	char stick_path[1024];
	bool kiosk;                  /* fullscreen kiosk mode */
	/* export */
	enum staff_export_state export_state;
	bool export_all;
	double fraction;
	char stage[96];
	int64_t sessions, answers;
	char export_path[4096];
	char error[512];
	/* today's answers: one page per question of each flow shown (every
	 * flow offered, and any other with sessions today), flow after flow
	 * (staff_today_at) */
	int page, n_pages;
	int64_t today_sessions;      /* of every flow */
	int64_t today_flow_sessions[STAFF_MAX_FLOWS];  /* each flow's own */
	bool today_shown[STAFF_MAX_FLOWS];
	int n_today_shown;
	/* [row][SESSION_MAX_CHOICES]: question qi of flow fi is row
	 * today_row[fi] + qi */
	int *counts;
	int today_row[STAFF_MAX_FLOWS];
	bool today_ready;
	/* what the kiosk holds: read with the PIN check, after an export and
	 * after a clear (store_keep.h) */
	bool held_known;
	int64_t held_sessions, held_not_exported;
	char held_oldest[40];        /* the oldest session's day, "3 March" ("" when none) */
	/* clear this kiosk */
	enum staff_clear_state clear_state;
	bool clear_armed;            /* "Yes" takes presses (STAFF_CLEAR_ARM_MS on) */
	int64_t cleared;
	/* load from the stick */
	bool load_running;
	intake_item load_items[STAFF_LOAD_MAX];
	int load_n;                  /* shown */
	int load_more;               /* not shown */
	int load_taken;
	/* about */
	const char *version;
	char kiosk_id[64];
	char key_id[20];             /* this kiosk's signing key id, "" when it has none */
	bool sealed;                 /* exports are sealed to the office key */
	const char *attribution;     /* assets/ATTRIBUTION.md, read at start */
	/* the kiosk's set-up (kiosk_setup.h) as last saved: what sessions carry
	 * and which flows the welcome screen offers (by staff_options.flows) */
	char event[KIOSK_EVENT_MAX];  /* "" when no event is running */
	bool offered[STAFF_MAX_FLOWS];
	/* the set-up screen (staff_setup.c): what it shows and what is typed */
	bool setup_first;            /* a new database's first set-up (the PIN came first) */
	bool setup_reviewed;         /* the review has shown: a step's OK goes back to it */
	enum staff_setup_step setup_step;
	bool name_fixed;             /* kiosk_id is set in kiosk.yaml: shown, not asked */
	bool event_fixed;            /* the first set-up found an event (kiosk.yaml's) already */
	char text[STAFF_TEXT_MAX];   /* the field being typed (name or event) */
	char draft_name[64];         /* the first set-up's answers, saved by "Start the kiosk" */
	char draft_event[KIOSK_EVENT_MAX];
	bool draft_offered[STAFF_MAX_FLOWS];
	const flow *const *flows;    /* every flow the kiosk has (staff_options.flows); borrowed */
	const flow *today_flow;      /* the flow of the Today page showing */
	int n_flows;
	/* the room: one chart at a time of the event's answers (today's when
	 * no event runs), in the kiosk's language; the counts as
	 * report_room.h says them */
	const struct report *room;   /* NULL until counted; owned by staff */
	const struct room_chart *room_charts;
	int room_n_charts, room_chart;
	bool room_today;             /* counting today's (no event ran when it opened) */
	char room_event[KIOSK_EVENT_MAX];
	int room_min_count;
	uint64_t room_shown;         /* one more each time another chart shows */
	/* status lines on the menu */
	const char *speech_status;   /* "Speech is on", "No sound device: ..."; NULL: none */
	const char *text_status;     /* a problem with drawing text (no HarfBuzz); NULL: none */
} staff_view;

typedef struct staff_options {
	const char *db_path;
	const flow *flow;            /* borrowed */
	const flow *const *flows;    /* every flow the kiosk has (NULL: flow alone); borrowed */
	int n_flows;
	const kiosk_setup *setup;    /* the database's set-up read at start (NULL: none) */
	const bool *offered;         /* n_flows: offered now (NULL: all) */
	bool open_setup;             /* open the set-up screen now (a new database) */
	bool kiosk_id_fixed;         /* kiosk.yaml names the kiosk: the set-up shows it, never asks */
	const tl_clock *clock;       /* borrowed */
	const char *data_dir;
	bool kiosk;
	const char *mountinfo;       /* NULL: /proc/self/mountinfo */
	const char *const *roots;    /* NULL: mounts_default_roots() */
	const char *sysfs;           /* NULL: /sys (tests: a fake device tree) */
	const char *stick_folder;    /* a folder taken as a stick (stick_folder); NULL/"": none */
	int pin_min_digits;          /* 0: PIN_MIN_DIGITS */
	const char *office_key;      /* office.pub to seal exports to; NULL: plain exports */
	int keep_days;               /* keep_days_after_export; 0: STORE_KEEP_DAYS_DEFAULT */
	int room_min_count;          /* the room says "a few" below this; 0: ROOM_MIN_COUNT_DEFAULT */
} staff_options;

typedef struct staff staff;

/* Caller frees with staff_destroy. Call after SDL_Init. NULL when out of
 * memory or when no thread could start. */
staff *staff_create(const staff_options *opt);
/* Waits for a running job (an export finishes first). Accepts NULL. */
void staff_destroy(staff *s);

bool staff_active(const staff *s);
const staff_view *staff_get_view(const staff *s);

/* Every pointer event on the kiosk's screens passes through here first
 * (kind 0 down, 1 move, 2 up; window pixels; the corners as
 * staff_gesture_corners makes them). The kiosk still gets the event. True
 * when the gesture has just completed and staff mode opened. */
bool staff_gesture(staff *s, int kind, int64_t ptr, int x, int y, int w, int len,
                   int band);
/* The gesture's two corners in a window w px wide: each an L along the top
 * edge and the side edge, band px thick (the screens' margin, which no
 * control enters) and len px long (the minimum target size), so a finger
 * pressed into the corner finds it and never lies on Back or the access
 * button. out[0], out[1]: the top-left's arms; out[2], out[3]: the
 * top-right's. */
void staff_gesture_corners(int w, int len, int band, SDL_Rect out[4]);
/* False on the staff screens that do not watch the gesture (all but the
 * room): there the corners are nothing. */
bool staff_gesture_watched(const staff *s);
/* A staff target was pressed. True when the view changed. */
bool staff_press(staff *s, int action, int arg);
/* Any input while active: the quiet minute starts again. */
void staff_activity(staff *s);
/* An SDL event: true when it was the worker's or the watcher's and the
 * view changed. */
bool staff_event(staff *s, const SDL_Event *ev);
/* Moves time on (quiet close, lock countdown). True when the view changed. */
bool staff_tick(staff *s);
/* Monotonic ms when staff_tick next has work, or INT64_MAX. */
int64_t staff_next_deadline(const staff *s);
/* The menu opened with a person's session still going: the app ends it.
 * True once per opening. */
bool staff_take_end_session(staff *s);
/* Quit was pressed. */
bool staff_wants_quit(const staff *s);
/* The speech line for the menu (speech_status(); borrowed for the staff
 * object's life). */
void staff_set_speech_status(staff *s, const char *status);
/* A problem with drawing text for the menu, NULL for none (borrowed for
 * the staff object's life). */
void staff_set_text_status(staff *s, const char *status);
/* What the menu says the kiosk holds ("212 sessions on this kiosk, the
 * oldest from 3 March, all exported."), into buf; "" before it is known. */
void staff_holdings_words(const staff_view *v, char *buf, size_t len);
/* Is "Clear this kiosk" offered: sessions held, every one exported? */
bool staff_clear_offered(const staff_view *v);
/* Typed text (an SDL_TEXTINPUT's UTF-8) for the set-up's name or event
 * field; true when it was taken. */
bool staff_text(staff *s, const char *utf8);
/* A physical key while a field is being typed: Backspace deletes, Space is
 * a space (not a press). True when it was taken. */
bool staff_text_key(staff *s, SDL_Keycode sym);
/* Today's page (0, 1, ...) is question *qi of flow *fi (an index into
 * flows); false past the last page or before the counts came. */
bool staff_today_at(const staff_view *v, int page, int *fi, int *qi);
/* The last export's final folder (tests), "" when none. */
const char *staff_export_path(const staff *s);

#endif
