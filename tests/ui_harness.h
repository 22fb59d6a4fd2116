/*
 * ui_harness: drives the real kiosk app headless (SDL's dummy video driver,
 * software renderer) with real SDL events pushed into its queue, and a fake
 * clock the test moves. Shared by the UI tests and the UI benchmarks.
 */
#ifndef TELLUS_UI_HARNESS_H
#define TELLUS_UI_HARNESS_H

#include <stdbool.h>
#include <stdint.h>
#include <sqlite3.h>
#include "app.h"
#include "config/config.h"
#include "flow/flow.h"
#include "base/util.h"

#define H_MAX_FLOWS 4

/* The panel every harness kiosk is set up for (the settings' dpi), and the
 * 20 mm floor on it: 20 / 25.4 * 96 = 75.6, so 76 px. Layout tests hold the
 * targets to this physical figure, not to the app's own computed one. */
#define H_PANEL_DPI 96
#define H_MIN_TARGET_PX 76

typedef struct harness {
	tl_fake_clock clk;
	kiosk_config cfg;
	flow *flow;                   /* the first flow */
	flow *flows[H_MAX_FLOWS];     /* every flow the app was given */
	int n_flows;
	struct card_set *cards;   /* cfg.you_said_we_did's and the kiosk folder's, as main.c loads them */
	app *app;
	char dir[256];
	char db[300];
} harness;

/* Loads config/flows/NAME (from the source tree), opens the app at w x h
 * on a fresh database in a temporary folder. Aborts the test on failure. */
void h_open(harness *h, const char *flow_name, int w, int h_px, bool windowed);
/* Windowed, with the flow's presentation forced to p (layout tests). */
void h_open_pres(harness *h, const char *flow_name, int w, int h_px, enum presentation p);
/* The same with a store VFS (benchmarks). */
void h_open_vfs(harness *h, const char *flow_name, int w, int h_px, const char *vfs);
/* Windowed, with the kiosk's settings changed by tweak (access methods,
 * filters) before the app starts. */
void h_open_cfg(harness *h, const char *flow_name, int w, int h_px,
                void (*tweak)(kiosk_config *));
/* Several flows (config/flows/NAMES...), windowed; tweak (may be NULL)
 * changes the settings first; setup: a new database opens the set-up
 * screen, as in the kiosk. */
void h_open_flows(harness *h, const char *const *names, int n, int w, int h_px,
                  void (*tweak)(kiosk_config *), bool setup);
void h_close(harness *h);      /* keeps the folder when TELLUS_KEEP_TMP is set */

void h_advance(harness *h, int64_t ms);
void h_step(harness *h);       /* one loop turn, no waiting */
/* Mouse click on the centre of a target (down, step, up, step), then moves
 * the clock past the double-tap guard. */
void h_click(harness *h, int action, int arg);
void h_mouse(harness *h, Uint32 type, int x, int y);
void h_finger(harness *h, Uint32 type, SDL_FingerID id, int x, int y);
void h_key(harness *h, SDL_Keycode k, Uint16 mod);
bool h_center(harness *h, int action, int arg, int *x, int *y);
/* The action (APP_ACT_*) of the target under (x, y) on the current
 * screen, or 0 when nothing is there. */
int h_action_at(harness *h, int x, int y);
/* The index (as app_targets numbers them) of the target doing (action,
 * arg) now, the one on top; -1 when there is none. */
int h_target_index(harness *h, int action, int arg);
/* How many targets do action now. */
int h_count_action(harness *h, int action);
/* A key down or up pushed into SDL's queue for the app's window (no loop
 * turn: the caller steps). */
void h_push_key(harness *h, SDL_Keycode k, bool down);
/* True when the current screen, drawn now, holds exactly this text. */
bool h_has_text(harness *h, const char *text);
/* The size the screen, drawn now, gives the first text that is exactly
 * text; 0 when there is none. */
int h_text_px(harness *h, const char *text);
/* Chooses the flow's language lang on the language screen, as a person
 * does (Language, then its name); a language the flow lacks stops the test. */
void h_set_language(harness *h, const char *lang);

/* A person choosing the target doing (action, arg), one way each; every
 * one asserts that it got there. The same steps for every question type's
 * test, so each way of answering is driven alike everywhere. */
typedef void (*h_press_fn)(harness *h, int action, int arg);
/* A finger down and up on the target's centre (moving 2 px, as fingers do). */
void h_press_finger(harness *h, int action, int arg);
/* One switch, scanning by itself: the clock moves until the highlight is on
 * the target (each move drawn in its own loop turn), then Space. */
void h_press_scan(harness *h, int action, int arg);
/* One switch, tap moves and hold chooses: not chosen at half the hold. */
void h_press_tap_hold(harness *h, int action, int arg);
/* Two switches: Space moves, Enter chooses. */
void h_press_two(harness *h, int action, int arg);
/* The keyboard alone: Tab to the target, Enter. */
void h_press_keyboard(harness *h, int action, int arg);
/* Dwell: the pointer comes from 50 px away (a clear move since the screen
 * appeared) and rests; nothing is chosen at half the dwell. */
void h_press_dwell(harness *h, int action, int arg);

/* Turns the loop (20 ms waits) until the staff worker has finished its job
 * (and an export running has ended); stops the test after 12 s. */
void h_settle_staff(harness *h);
/* A mouse press where no target need be: down, 60 ms, up, then 400 ms
 * (past the double-tap guard). */
void h_press_at(harness *h, int x, int y);
/* Staff mode's hidden gesture as staff make it: the top-left corner held
 * past STAFF_HOLD_MS, then the top-right corner tapped; it ends where the
 * gesture leads (the PIN pad, or the first start's set-up), settled. */
void h_staff_gesture(harness *h);
/* pin, the kiosk's staff PIN from now on, written into h's database. */
void h_set_pin(harness *h, const char *pin);
/* The digits of pin pressed on the PIN pad, then OK, settled. */
void h_type_pin(harness *h, const char *pin);

/* Runs SQL returning one integer. */
int64_t h_sql_int(harness *h, const char *sql);
/* Runs SQL returning one text into buf. */
void h_sql_text(harness *h, const char *sql, char *buf, size_t len);

/* Pushes a window event (SDL_WINDOWEVENT_FOCUS_LOST, _LEAVE, ...) for
 * the kiosk's window; the next h_step takes it. */
void h_window(harness *h, Uint8 what);
/* Pushes a mouse motion with no button held (h_mouse's motion holds the
 * left button). */
void h_mouse_hover(harness *h, int x, int y);

/* Saves a PNG. */
int h_save_png(SDL_Surface *s, const char *path);
/* Saves the screen as a PNG at path, then reads the file back: true when
 * it holds the screen's size and pixels. */
bool h_save_screen(harness *h, const char *path);

/* Pixels of a that differ from b by more than 8 in any colour channel, or
 * -1 when their sizes differ; *worst (may be NULL) gets the largest
 * channel difference. */
long h_bad_pixels(SDL_Surface *a, SDL_Surface *b, int *worst);

/*
 * The golden rule. Inside the boxes where a few pixels carry the meaning
 * (the words and the badges the app drew: a tick on a chosen card, the
 * progress dots and "2 of 5") not one pixel may differ, by any amount.
 * Elsewhere a pixel differs when a channel moves by more than
 * H_REST_DELTA, and at most H_REST_PIXELS may (SVG and rounded-corner
 * antialiasing may move a little; a card, a border or a missing mark
 * moves hundreds).
 */
#define H_REST_DELTA 4
#define H_REST_PIXELS 64
#define H_MAX_BOXES 256

typedef struct h_boxes {
	ui_rect r[H_MAX_BOXES];
	const char *text[H_MAX_BOXES];  /* the words (borrowed), or NULL: a badge */
	int n;
} h_boxes;

typedef struct h_diff {
	long exact_bad;   /* pixels inside the boxes that differ at all */
	long rest_bad;    /* pixels elsewhere beyond H_REST_DELTA */
	int worst;        /* the largest channel difference anywhere */
	int first_box;    /* the first box holding a difference, or -1 */
} h_diff;

/* The boxes of the last frame drawn: its words, then its badges. */
void h_exact_boxes(harness *h, h_boxes *b);
/* Compares a with golden g under the rule, boxes b (may be NULL: none)
 * compared exactly. Returns -1 when the sizes differ, else 0 with *d. */
int h_compare(SDL_Surface *a, SDL_Surface *g, const h_boxes *b, h_diff *d);
/* The rule's verdict on a comparison. */
bool h_diff_ok(const h_diff *d);
/*
 * Compares the app's screen with tests/golden/NAME.png under the rule,
 * the words and badges it drew being the exact boxes. With
 * TELLUS_UPDATE_GOLDEN=1 the golden is written instead, to be looked at.
 * Returns true on a match; otherwise writes NAME.actual.png into the
 * build's tests/ folder and says why in msg.
 */
bool h_golden(harness *h, const char *name, char *msg, size_t len);
/* The same for a picture already taken (shot) with its boxes (b), so a
 * test can spoil one and see the rule catch it. Writes nothing. */
bool h_golden_shot(SDL_Surface *shot, const h_boxes *b, const char *name, char *msg,
                   size_t len);
/* tests/golden/NAME.png, or NULL; caller frees with SDL_FreeSurface. */
SDL_Surface *h_golden_load(const char *name);

#endif
