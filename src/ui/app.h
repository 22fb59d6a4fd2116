/*
 * app: the kiosk program's front end: window, event loop, screens, and the
 * link from the session machine to the store writer.
 *
 * The loop is event-driven: it sleeps in SDL_WaitEventTimeout until input
 * arrives or the session's next timer is due, so an idle kiosk uses no CPU.
 * Tests drive the very same loop with app_step() and real SDL events.
 */
#ifndef TELLUS_APP_H
#define TELLUS_APP_H

#include <stdbool.h>
#include <stdint.h>
#include <SDL.h>
#include "config/config.h"
#include "flow/flow.h"
#include "session/session.h"
#include "store/store.h"
#include "base/error.h"
#include "base/util.h"
#include "draw/draw.h"

typedef struct app_options {
	const char *db_path;          /* required */
	const kiosk_config *config;   /* borrowed; required */
	const flow *flow;             /* borrowed for the app's life; required: the first flow */
	/* Every flow the kiosk has, flow among them (NULL: flow alone); borrowed
	 * for the app's life. With more than one offered, the welcome screen
	 * shows a card for each and a person picks. */
	const flow *const *flows;
	int n_flows;
	/* A new database (no PIN, no session) opens the staff set-up screen
	 * instead of the welcome (the kiosk does; most tests leave it off). */
	bool offer_setup;
	const char *data_dir;         /* NULL: tl_data_dir() */
	bool windowed;                /* false: fullscreen kiosk mode */
	int width, height;            /* windowed size; 0: 1280x800 */
	const tl_clock *clock;        /* NULL: the system clock */
	const store_options *store;   /* NULL: defaults (tests pass a slow VFS) */
	bool handle_signals;          /* SIGINT/SIGTERM end the loop cleanly */
	const char *mountinfo;        /* NULL: /proc/self/mountinfo (tests pass a fixture) */
	const char *const *mount_roots; /* where sticks appear; NULL: /media, /run/media, /mnt */
	const char *sysfs;            /* NULL: /sys (tests pass a fake device tree) */
	const struct card_set *cards; /* "You said, we did" cards (cards.h), borrowed; NULL: none */
	/* Called once, right after the first frame is presented (after the
	 * kiosk's own start-up work that can wait for it); NULL: nothing. */
	void (*started)(void *ctx);
	void *started_ctx;
} app_options;

struct card_set;
typedef struct app app;

/* 0 and *out (caller frees with app_destroy), or -1 with err filled
 * (plain words: no display, a database that cannot be opened, a missing
 * font). */
int app_create(const app_options *opt, app **out, tl_error *err);
/* Commits everything queued, closes the window. Accepts NULL. */
void app_destroy(app *a);

/* Blocks SIGINT and SIGTERM in the calling thread, so that every thread
 * started later inherits the mask and the signal thread app_create starts
 * (handle_signals) takes them. main calls it first thing for the kiosk: a
 * signal during start-up then waits for that thread, and ends the kiosk
 * as cleanly as one later on, instead of killing it half started. */
void app_signals_block(void);

/* Runs until quit (windowed: close or Escape; kiosk: the staff menu's Quit,
 * or a signal, or the display going away). Returns the process exit code:
 * 0, or 1 when the display went away (app_display.c). */
int app_run(app *a);
/* Waits up to timeout_ms (-1: until the next timer) for events, handles
 * every event queued, moves time on, and draws if anything changed.
 * Returns false once the app has been asked to quit. */
bool app_step(app *a, int timeout_ms);
/* Draws now even if nothing changed (start-up, expose). */
void app_draw(app *a);

/* For tests and benchmarks. */
const session_view *app_view(const app *a);
SDL_Window *app_window(app *a);
/* The centre of the first target doing `action` (with arg for answers) on
 * the current screen, in window coordinates. false when there is none. */
bool app_target_center(app *a, int action, int arg, int *x, int *y);
/* Draws the current screen and returns it as a surface (caller frees). */
SDL_Surface *app_screenshot(app *a);
/* The last frame drawn again without the commands whose kind is in skip
 * (a mask of 1u << draw.h's enum draw_kind, e.g. the words), on the
 * theme's background (bg_rgb -1) or on 0xRRGGBB, read back and not
 * presented (caller frees): what lies behind each glyph, and which pixels
 * a glyph covers whatever its colour. */
SDL_Surface *app_screenshot_without(app *a, unsigned skip, long bg_rgb);
/* The last frame's draw list (draw.h), borrowed until the next frame. */
struct draw_list;
const struct draw_list *app_draw_list(const app *a);
/* Waits for the store writer to catch up (never in the kiosk's loop). */
void app_flush(app *a);
/* Waits while an answer's next screen is held for its commit (at most
 * about 1.5 s, none when the disk is failing): tests step the loop after it,
 * so their taps land on the screen they mean. */
void app_wait_hold(app *a);
/* The answers' disk as the kiosk sees it (store_writer.h's enum
 * store_health), and whether the rest screen shows; tests. */
int app_store_health(const app *a);
bool app_resting(const app *a);
/* The thank-you's saving state (ui.h's enum ui_saving: 0 saved, 1 saving,
 * 2 late); tests. */
int app_saving(const app *a);
uint64_t app_frames(const app *a);
/* Monotonic nanoseconds when the last frame was presented. */
uint64_t app_last_present_ns(const app *a);
int app_min_target_px(const app *a);
/* The keyboard focus target index, or -1 when no focus is shown. */
int app_focus(const app *a);
/* Actions, by name, so tests need not include ui.h. */
enum { APP_ACT_START = 1, APP_ACT_ANSWER, APP_ACT_DONE, APP_ACT_SKIP,
       APP_ACT_DECLINE, APP_ACT_BACK, APP_ACT_FINISH, APP_ACT_STILL_HERE,
       APP_ACT_FINISH_EARLY = 9 };
/* The current targets' rectangles, for layout tests. Returns the count. */
int app_targets(app *a, ui_rect *rects, int *actions, int max);
/* The staff gesture's corners on the current screen, as the watcher
 * uses them (staff_gesture_corners): 4 rectangles, or 0 on a staff screen
 * that does not watch it; tests. */
int app_gesture_corners(app *a, ui_rect out[4]);
/* The words drawn in the last frame: their boxes and texts (borrowed
 * until the next frame). Returns the count, at most max. */
int app_text_boxes(const app *a, ui_rect *rects, const char **texts, int max);
/* The small round marks drawn in the last frame, where a few pixels carry
 * the meaning: tick badges on chosen cards, progress dots, the PIN's dots,
 * the dwell ring (every disc and arc). Returns the count, at most max. */
int app_badge_boxes(const app *a, ui_rect *rects, int max);
/* What the frame path has done since app_create, for tests: symbols and
 * pictures read from disk and rasterised, and looked up by a render that
 * found them not ready; texts rasterised, and not ready at render; texts
 * shaped to measure them. Loading and rasterising happen when a screen is
 * built, never in the render call, and an unchanged screen drawn again
 * adds nothing to any of them. */
typedef struct app_frame_stats {
	uint64_t image_loads, image_misses;
	uint64_t text_renders, text_misses, text_shapes;
	/* the draw question's page: textures made for it, pixels sent to
	 * them, and the bytes its pixels hold now (0 when no page is open) */
	uint64_t canvas_textures, canvas_uploaded, canvas_bytes;
	/* device resets the text and image caches have seen, and the textures
	 * each holds now */
	uint64_t text_resets, text_textures, image_resets, image_textures;
} app_frame_stats;
void app_get_frame_stats(const app *a, app_frame_stats *out);
/* Replaces this person's settings (theme, large text, font...) as their
 * "How do you like to answer?" choices would; tests. */
void app_set_access(app *a, const access_settings *acc);
/* Staff mode's view (staff.h), for tests. */
struct staff_view;
const struct staff_view *app_staff(const app *a);

/* "How do you like to answer?": its actions (ui.h's ACT_OPEN_ACCESS...)
 * and options (the arg of APP_ACT_ACCESS_OPTION), by name. */
enum { APP_ACT_OPEN_ACCESS = 10, APP_ACT_ACCESS_OPTION, APP_ACT_CLOSE_OVERLAY,
       APP_ACT_OPEN_LANGUAGE, APP_ACT_SET_LANGUAGE };
/* A sort mat's column (arg: which); ui.h's ACT_SORT_COLUMN. */
enum { APP_ACT_SORT_COLUMN = 15 };
/* Text and draw questions: an on-screen key (arg: a letter, or
 * APP_OSK_SPACE / APP_OSK_DELETE / APP_OSK_PAGE), a swatch (arg: colour, APP_DRAW_ERASER
 * the rubber), "Start again", and the page chosen by a switch, the
 * keyboard or dwell (arg: the cell); ui.h's ACT_KEY... */
enum { APP_ACT_KEY = 16, APP_ACT_DRAW_COLOUR, APP_ACT_DRAW_CLEAR, APP_ACT_DRAW_STAMP };
enum { APP_OSK_SPACE = 1000, APP_OSK_DELETE = 1001, APP_OSK_PAGE = 1002, APP_DRAW_ERASER = 5 };
/* Keep: a new way of answering on trial, kept when pressed that way. */
enum { APP_ACT_ACCESS_KEEP = 20 };
/* Whether a new way of answering is on trial, and the way it goes back to. */
bool app_method_trial(const app *a, int *kept);
enum access_option {
	ACCESS_OPT_SPEECH = 0, ACCESS_OPT_LARGE_TEXT, ACCESS_OPT_CONTRAST,
	ACCESS_OPT_TOUCH, ACCESS_OPT_SWITCH, ACCESS_OPT_DWELL, ACCESS_OPT_COUNT
};
/* This person's settings now (borrowed until the next step). */
const access_settings *app_access(const app *a);
/* The overlay showing (ui.h's enum ui_overlay; 0 none, 1 access). */
int app_overlay(const app *a);
/* The kiosk's speech (speech.h), for tests and benchmarks; never NULL
 * once app_create succeeded. */
struct speech;
struct speech *app_speech(app *a);
/* How many times the app has asked for something to be said or played,
 * and the last text (or clip path) it asked for. */
uint64_t app_speech_requests(const app *a);
const char *app_last_spoken(const app *a);
/* The language the last words were given to the voice in ("" before any). */
const char *app_last_spoken_lang(const app *a);
/* Monotonic ns (app_last_present_ns's clock) of the last such request. */
uint64_t app_last_speech_ns(const app *a);

#endif
