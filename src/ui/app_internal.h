/*
 * app_internal: the app object and what the files that make up the app
 * share. Private to src/ui (app.h is the public face; ui.h is what screens
 * see). Each group below lives in the file it names; every function takes
 * the app and runs on the app's (the UI) thread unless it says otherwise.
 *
 * The loop (app.c):    SDL events -> input/{touch,keyboard,switches}.c
 *                      -> actions.c (one table of actions) -> session/staff
 *                      -> app_layout.c (screen -> draw list, textures made
 *                      ready) -> draw/render.c.
 * Around it:           app_store.c (session records to the writer, commit
 *                      wake-ups), app_signals.c (SIGINT/SIGTERM as events),
 *                      speech/speak.c (what is read aloud and when),
 *                      input/input_mode.c (switch scanning and dwell glue),
 *                      app_hooks.c (test hooks of app.h).
 */
#ifndef TELLUS_APP_INTERNAL_H
#define TELLUS_APP_INTERNAL_H

#include "app.h"
#include "input/dwell.h"
#include "input/input.h"
#include "input/scan.h"
#include "speech/speech.h"
#include "draw/canvas.h"
#include "draw/image.h"
#include "draw/render.h"
#include "staff/staff.h"
#include "store/store_writer.h"
#include "draw/text.h"
#include "draw/theme.h"
#include "ui.h"

#include <pthread.h>
#include <stdatomic.h>

/* The codes of the app's own SDL user event (wake_event). */
enum { APP_WAKE_COMMIT = 1, APP_WAKE_SIGNAL = 2, APP_WAKE_DEVICES = 3 };

struct app {
	app_options opt;
	const flow *flows[UI_MAX_FLOWS];  /* every flow the kiosk has (opt's) */
	int n_flows;
	const tl_clock *clock;
	const char *data_dir;
	bool kiosk;
	SDL_Window *win;
	SDL_Renderer *ren;
	char renderer_note[192];      /* which renderer and why, for the log */
	text_cache *tc;
	image_cache *ic;
	const ui_theme *th;
	session *s;
	staff *staff;
	access_settings acc;       /* this person's; back to the kiosk's when they go */
	speech *sp;                /* never waits: requests go to its own thread */
	uint64_t said_key;         /* what was last read aloud: screen, question, overlay */
	int said_focus;            /* the target whose words were last read for focus */
	int heard;                 /* touch to hear: the answer touched once, or -1 */
	char say[1024];            /* what is being read, built without allocating */
	char say_lang[16];         /* the language of say (a copy: a session's language is freed when it changes) */
	uint64_t speech_requests;
	uint64_t speech_request_ns;
	enum ui_overlay overlay;
	store_writer *writer;
	store *boot_st;            /* the database from start-up until the writer takes it */
	input_state in;
	scan_state scan;           /* switch access: the highlight */
	dwell_state dwell;
	bool have_ptr;             /* the mouse's last place, for dwell */
	int ptr_x, ptr_y;
	int scan_method;           /* the method scan was counted for */
	char composing[128];       /* text: what an input method is composing */
	/* text: the keyboard's page of letters, and the question it is of (a
	 * new question, or the next person's, starts on the first page) */
	int osk_page;
	const struct flow_question *osk_question;
	bool person_acted;         /* someone acted since the last reset (app_person.c) */
	int64_t person_input_ms;   /* mono ms of their last act */
	/* A new way of answering picked in "How do you like to answer?" is on
	 * trial until a press made the new way confirms it (input_mode.c). */
	bool method_trial;
	enum access_method method_kept;  /* the way to go back to */
	int64_t method_until;      /* mono ms: the trial ends and method_kept returns */
	draw_canvas canvas;        /* draw: the page (app_draw.c) */
	bool canvas_failing;       /* its last canvas_open failed, and was logged */
	ui_ctx ctx;
	draw_list dl;
	symbol_paths symbols;      /* the flow's (and the cards'), resolved once */
	size_t card_index;         /* "You said, we did": the card the welcome shows, newest first */
	int min_target;
	bool dirty;
	bool unshown;              /* a new screen is laid out but not presented yet */
	bool quit;
	atomic_bool display_lost;  /* the X server or compositor went away (app_display.c) */
	void *wl_display;          /* SDL's Wayland connection, when it is Wayland */
	Uint32 wake_event;
	bool waiting_persist;
	uint64_t end_seq;
	int64_t end_mono;          /* when the last session ended (app_store.c) */
	uint64_t hold_seq;         /* the last answer: its next screen waits for it */
	int64_t hold_until;        /* mono ms: ...but no longer than this */
	int look_key;              /* what the screens last showed about the disk */
	int64_t anim_next;         /* mono ms: the waiting dots move on */
	int testlog_fd;            /* TELLUS_TEST_DRAWN_LOG, or -1 (app_testhooks.c) */
	struct app_testlog_rec { char sid[40]; int seq; } testlog_pending[32];
	int testlog_n;
	char testlog_shown[2048];  /* the last "shown" line logged */
	int framelog_fd;           /* TELLUS_TEST_FRAME_LOG, or -1 (app_testhooks.c) */
	char *framelog_buf;        /* its line, made once at open */
	size_t framelog_cap;
	uint64_t framelog_last;    /* hash of the last line logged */
	uint64_t autoplay_rng;     /* TELLUS_TEST_AUTOPLAY's state, 0 when off */
	int64_t autoplay_at;       /* mono ms of the next scripted tap, or INT64_MAX */
	enum screen_id last_screen;
	enum staff_screen last_staff;
	enum ui_overlay last_overlay;
	int last_question;
	uint64_t frames;
	bool started;              /* the first frame is presented: after_first_frame ran */
	uint64_t last_present_ns;
	bool sig_thread_started;
	pthread_t sig_thread;
	bool joysticks_on;         /* SDL's joystick subsystem is up (switch_devices.c) */
	int devwatch_fd;           /* inotify on /dev/input, or -1 */
	int devwatch_stop;         /* eventfd that ends the watcher, or -1 */
	bool devwatch_started;
	pthread_t devwatch_thread;
};

/* app.c */
/* Monotonic nanoseconds (app_last_present_ns's clock). */
uint64_t app_now_ns(void);
/* Lays out, renders and presents one frame; with capture, also reads it
 * back (render_frame's capture). */
void app_present(app *a, SDL_Surface **capture);

/* app_flows.c: which flows the welcome screen offers, and the person's pick. */
/* The offered flows (staff's choice) into c, in the settings' order. */
void app_flows_offered(app *a, ui_ctx *c);
/* On welcome: the session's flow is one that is offered (the first, when
 * the one it had is no longer). */
void app_flows_keep_offered(app *a);
/* A person picked flow i (an index into a->flows): the session will ask
 * it, in its own presentation. False when it cannot be had. */
bool app_flows_pick(app *a, int i);
/* On welcome: the first offered flow becomes the session's (a new person). */
void app_flows_pick_first(app *a);

/* app_person.c: one person's choices last for their turn. */
/* Back to the kiosk's settings: way of answering, look, language, flow,
 * overlay, a trial. Does not lay out (app_layout calls it). */
void app_person_reset(app *a);
/* A person acted (actions_activity): the quiet minute starts again. */
void app_person_input(app *a);
/* The quiet minute on the welcome screen: its end (mono ms, or INT64_MAX
 * while nobody has acted since the last reset), and the reset once it
 * has passed. */
int64_t app_person_deadline(const app *a);
void app_person_tick(app *a);

/* app_layout.c: builds the targets and the draw list for what shows now,
 * and makes every texture they need ready, so the render that follows
 * never loads. Cheap when nothing changed: fitting and textures are cached. */
void app_layout(app *a);

/* app_store.c: the session machine's records to the store writer. */
/* Closes the sessions an earlier run left in progress, then starts the
 * writer on app_store_read_setup's handle (its thread owns it from then
 * on); 0 or -1 with err. */
int app_store_open(app *a, tl_error *err);
/* At start, on the handle the writer will take (kept in a->boot_st):
 * kiosk.yaml's kiosk_id and event applied (kiosk_setup_apply_settings),
 * then the set-up read into ks and whether each of a->flows is offered.
 * 0 or -1 with err. */
int app_store_read_setup(app *a, kiosk_setup *ks, bool *offered, tl_error *err);
/* The sink the session machine hands its records to. */
session_sink app_store_sink(app *a);
/* When the writer has committed the ended session's rows, tells the
 * session machine (the welcome screen waits for that); marks the screen
 * dirty when what it shows about the disk changed. */
void app_store_check_persisted(app *a);
/* The disk's state for the screens: health, rest, the thank-you's saving. */
void app_store_fill_ctx(app *a, ui_ctx *c);
/* True while an answer's next screen waits for its commit (take no input,
 * present nothing). */
bool app_store_holding(const app *a);
/* Mono ms of app_store's next timer (a hold, the dots, a deadline), or
 * INT64_MAX. */
int64_t app_store_deadline(app *a);
/* Ends a person's live session as unfinished (the kiosk is stopping). */
void app_store_end_live(app *a);

/* app_testhooks.c: two test-only hooks of the real binary, off unless
 * their environment variables are set (the crash-loop test uses them).
 * TELLUS_TEST_DRAWN_LOG=FILE: after each presented frame, one line
 * "drawn SESSION SEQ" for every answer given before it, then "shown ..."
 * (what the frame offers) when that changed.
 * TELLUS_TEST_AUTOPLAY=SEED: the kiosk taps its own screens (real SDL
 * mouse events through the loop), a random target every few ms.
 * TELLUS_TEST_FRAME_LOG=FILE: after each presented frame that differs
 * from the last logged, one JSON line of what it drew: the screen, each
 * target (action, arg, rectangle), each text and each picture. */
void app_testhooks_open(app *a);
void app_testhooks_close(app *a);
void app_testlog_answer(app *a, const char *session_id, int seq);
void app_testhooks_presented(app *a);
void app_autoplay_tick(app *a);
int64_t app_autoplay_deadline(const app *a);

/* app_signals.c: SIGINT and SIGTERM end the loop through an SDL event. */
/* app_signals_block (app.h) blocks them in this thread before any other
 * starts, so every thread inherits the mask and only the signal thread
 * sees them. */
/* Starts the thread that waits for them; false when it could not. */
bool app_signals_start(app *a);
/* Stops and joins that thread, when it was started. */
void app_signals_stop(app *a);

/* actions.c: what a pressed target does (one table, by ui.h's enum ui_action). */
/* Runs target ti of the current screen, pressed by way m; lays out again
 * so later events in the same batch hit the new screen's targets. */
void actions_run(app *a, int ti, enum input_method m);
/* Any input: keeps a person's session (or staff mode) alive; on "are you
 * still there?" it brings the question back. */
void actions_activity(app *a);
/* After anything staff mode did: ends the session the menu took over,
 * quits when asked, and sets the double-tap guard for who is using it. */
void actions_staff_sync(app *a);

/* speech/speak.c: what is read aloud, and when. Every call returns at once. */
/* Makes the kiosk's speech from its settings (the voices table); no sound
 * device is not a failure. 0, or -1 with err. */
int speak_open(app *a, tl_error *err);
/* Says text (copied into a->say unless it is a->say) in lang. */
void speak_now(app *a, const char *text, const char *lang);
/* After a build: a new screen is read once, then whatever gains focus. */
void speak_changes(app *a);
/* Touch to hear, touch again to choose: true when this touch on target ti
 * was the first (it was read aloud and focused, not chosen). */
bool speak_heard_first(app *a, int ti, enum input_method m);
/* One person of the flow's audience, "Sam, runs the parent forum". */
void speak_person(app *a, int i);

/* input/switch_devices.c: SDL's joystick subsystem only while a joystick
 * is plugged in (its hot-plug poll wakes the loop every 3 s otherwise). */
/* After the first frame: starts the subsystem, or watches /dev/input. */
void switch_devices_start(app *a);
/* app_display.c: the display going away. watch (once the window is made,
 * on the UI thread) takes over Xlib's handler for a broken connection;
 * check says (and on Wayland finds out) whether the display is gone, which
 * ends the loop, and app_run returns 1. */
void app_display_watch(app *a);
/* Gives Xlib its own handler back (app_destroy). */
void app_display_unwatch(app *a);
bool app_display_check(app *a);

/* On APP_WAKE_DEVICES: /dev/input changed, look again. */
void switch_devices_changed(app *a);
/* Stops the watcher; safe when none was started. */
void switch_devices_stop(app *a);

/* input/input_mode.c: switch scanning and dwell around a screen build. */
bool input_mode_switching(const app *a);
bool input_mode_dwelling(const app *a);
/* Before a build: the person's filters into the input rules, the scan
 * highlight into the focus. */
void input_mode_before(app *a);
/* The filling ring (dwell, or a tap-hold press) into c. */
void input_mode_ring(app *a, ui_ctx *c);
/* After a build: counts targets for scanning, finds what the pointer rests
 * on. True when the look changed and the screen must be built again. */
bool input_mode_after(app *a, ui_ctx *c);
/* Time moved on: the highlight steps, a hold or a dwell fills or chooses. */
void input_mode_tick(app *a);
/* Before the session's timers: while switch scanning is still offering
 * the person their first full round of a question (or of the audience
 * screen), they are not idle, and "Are you still there?" waits. */
void input_mode_hold_idle(app *a);
/* Monotonic ms when input_mode_tick next has work, or INT64_MAX. */
int64_t input_mode_deadline(const app *a);
/* The person's method has just changed from `was` (the access overlay):
 * the new one is on trial for INPUT_MODE_TRIAL_MS; back at `was`, no trial. */
void input_mode_trial(app *a, enum access_method was);
/* A press made by way m: confirms a method on trial when m is that method. */
void input_mode_confirm(app *a, enum input_method m);
/* Whole seconds left of the trial (rounded up), 0 when none. */
int input_mode_trial_left_s(const app *a, int64_t now);
/* Ends any trial without going back (a new person). */
void input_mode_trial_end(app *a);
#define INPUT_MODE_TRIAL_MS 10000

/* input/touch.c: fingers and the mouse, one path (kind 0 down, 1 move, 2 up). */
void touch_pointer(app *a, int kind, int64_t ptr, int x, int y, enum input_method m);
void touch_event(app *a, const SDL_Event *ev);

/* app_draw.c: the draw question's page. */
/* Before a build: the page belongs to the draw question on screen (a new
 * person's or another question's starts clean), made when it opens; off
 * that question a blank page is given back, a drawing kept for Back until
 * the person's turn ends. */
void app_draw_owner(app *a);
/* SDL_RENDER_TARGETS_RESET (device false) or SDL_RENDER_DEVICE_RESET:
 * the page is shown again whole. */
void app_draw_render_reset(app *a, bool device);
/* A finger or the mouse (touch.c's kinds) on the page draws; true when the
 * event was the page's and nothing else should have it. */
bool app_draw_pointer(app *a, int kind, int64_t ptr, int x, int y);
/* The actions: a swatch, "Start again", a stamp in place cell (a switch,
 * the keyboard, dwell: at the pointer), and Done (the PNG to the session). */
bool app_draw_colour(app *a, int k);
bool app_draw_clear(app *a);
bool app_draw_stamp(app *a, int cell, enum input_method m);
bool app_draw_done(app *a, enum input_method m);

/* input/keyboard.c: keys, and the switch keys while a switch method is on. */
void keyboard_event(app *a, const SDL_Event *ev);
/* SDL_TEXTINPUT and SDL_TEXTEDITING: typing into a text question. */
void keyboard_text(app *a, const SDL_Event *ev);
/* A text question is on screen, nothing over it: keys type. */
bool keyboard_text_entry(const app *a);
/* A question of type t is on the person's screen, nothing over it (no
 * overlay, no staff mode, no "Are you still there?"). */
bool app_question_showing(const app *a, enum question_type t);

/* input/switches.c: switch interfaces (keys, joysticks, game controllers). */
/* Switch sw (1 or 2) went down or up. */
void switches_press(app *a, int sw, bool down);
void switches_event(app *a, const SDL_Event *ev);

#endif
