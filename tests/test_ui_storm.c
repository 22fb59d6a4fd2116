/*
 * test_ui_storm: the touch storm. Random touches (several fingers: down,
 * motion, up), mouse presses and moves, keys (down and up apart, so keys
 * are held across screens) and switch presses (a joystick's buttons) are
 * pushed as real SDL events through the kiosk's own loop, headless, with
 * the harness' fake clock moved on between steps (now and then far enough
 * for "Are you still there?" and a walk-away). It runs over the four demo
 * flows offered together on the welcome screen, and every input mode in
 * turn (touch, one-switch scanning, tap-hold, two switches, dwell; with
 * select-on-press, touch-to-hear and a minimum hold among them), changed
 * both as the kiosk's setting and as the person's own.
 *
 * What must hold:
 * - no crash (and, in the sanitized tree, no ASan or UBSan report);
 * - memory flat after warm-up: the heap in use (ASan's count of live
 *   bytes, or glibc's mallinfo2) is read at CHECKPOINTS points after the
 *   first 1/WARMUP_SHARE of the events. The text and image caches fill
 *   and trim themselves (by design: text.c), so the heap swings with what
 *   the screens showed; flat means no rise: the highest reading of the
 *   second half, and the reading at the end, are within MEM_SLACK of the
 *   highest of the first half. A leak of 500 bytes a frame fails it
 *   over 100,000 events (tried), of about 50 over the benchmark's
 *   million; the suite's 30,000 catch a few KB a frame;
 * - every answer recorded in the database is one the person was shown:
 *   the binary's test hook (TELLUS_TEST_DRAWN_LOG, app_testhooks.c) logs
 *   what each presented frame offered, and each answer's "drawn" line
 *   after the frame it was given on; tests/ui_storm_check.py (Python's
 *   sqlite3, none of Tellus's code) reads that log and the database and
 *   demands that each answer's question is the one on the frame it was
 *   given on, a skip or decline had its button there, a single choice was
 *   a picture on that frame, and the pictures of a choose-several or sort
 *   answer (Done pressed on that frame) were each shown on that question
 *   in that session, in columns that were shown; and that no answer that
 *   was drawn is missing from the database.
 *
 * Escape and closing the window are left out of the storm: in a windowed
 * kiosk they quit, which would end the storm, not test it.
 *
 * Usage: test_ui_storm [EVENTS [SEED]] (the seed defaults to the time and
 * is printed). The suite runs 30,000 events: under ASan on a loaded 2-core
 * machine a million would take hours (each frame is drawn by the software
 * renderer), so the 'touch-storm' benchmark runs the full 1,000,000 on
 * the plain build and prints its figures.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cards/cards.h"
#include "flow/flow_helper.h"
#include "pin/pin.h"
#include "store/store.h"
#include "ui_harness.h"

/* Under ASan, malloc is ASan's and mallinfo2 knows nothing of it: ask the
 * sanitizer's own allocator (its public interface; declared here, as
 * Debian's gcc does not ship sanitizer/allocator_interface.h). */
#if defined(__SANITIZE_ADDRESS__)
#define STORM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define STORM_ASAN 1
#endif
#endif
#ifdef STORM_ASAN
size_t __sanitizer_get_current_allocated_bytes(void);
#endif

/* The smallest screen the kiosk supports: the storm is about input, and
 * every pixel fewer is time saved. */
#define W 800
#define H 480
#define WARMUP_SHARE 5                /* the first fifth of the events warms up */
#define MEM_SLACK (4 * 1024 * 1024)   /* bytes the heap may rise by after that */
#define CHECKPOINTS 20

static long n_events = 30000;
static uint64_t seed0;

/* ---- the heap ----------------------------------------------------------- */

static size_t
heap_bytes(void)
{
#ifdef STORM_ASAN
	return __sanitizer_get_current_allocated_bytes();
#else
	struct mallinfo2 m = mallinfo2();
	return m.uordblks + m.hblkhd;
#endif
}

/* ---- randomness --------------------------------------------------------- */

static uint64_t rng;

static uint64_t
rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ull;
}

static int
below(int n)
{
	return n <= 0 ? 0 : (int)(rnd() % (uint64_t)n);
}

/* ---- the kiosk ---------------------------------------------------------- */

static const char *const flow_names[] = {
	"school-day.yaml", "clinic-visit.yaml", "co-production.yaml", "more-ways.yaml",
};
#define N_FLOWS ((int)(sizeof flow_names / sizeof flow_names[0]))

typedef struct storm {
	harness h;
	char log[320];
	long pushed;
	long steps;
	long answers_seen;
	SDL_FingerID fingers_down[3];
	bool finger_is_down[3];
	bool mouse_down;
	bool key_down[16];
	bool joy_down[2];
} storm;

/* As the harness opens the app (and as main.c does), but the database on
 * a tmpfs so a million events are not a few hundred thousand fsyncs of a
 * shared disk; SQLite's own code and semantics are unchanged. */
static void
s_open(storm *s)
{
	harness *h = &s->h;
	memset(s, 0, sizeof *s);
	struct stat st;
	const char *base = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" : "/tmp";
	snprintf(h->dir, sizeof h->dir, "%s/tellus-storm-XXXXXX", base);
	assert_non_null(mkdtemp(h->dir));
	snprintf(h->db, sizeof h->db, "%s/tellus.db", h->dir);
	snprintf(s->log, sizeof s->log, "%s/shown.log", h->dir);
	assert_int_equal(setenv("TELLUS_TEST_DRAWN_LOG", s->log, 1), 0);
	tl_fake_clock_init(&h->clk, 1000000, 1795000000000LL);
	config_default(&h->cfg);
	const char *root = getenv("TELLUS_SOURCE_ROOT");
	assert_non_null(root);
	for (int i = 0; i < N_FLOWS; i++) {
		char path[1024];
		snprintf(path, sizeof path, "%s/config/flows/%s", root, flow_names[i]);
		diag_list d = { 0 };
		assert_int_equal(flow_load(path, &h->flows[i], &d), 0);
		diag_list_finish(&d);
		if (h->cfg.helper_question)
			assert_true(flow_add_helper_question(h->flows[i], NULL) >= 0);
		h->n_flows++;
	}
	h->flow = h->flows[0];
	assert_non_null(h->cards = cards_create());
	app_options opt = {
		.db_path = h->db, .config = &h->cfg, .flow = h->flow,
		.flows = (const flow *const *)h->flows, .n_flows = h->n_flows,
		.data_dir = root, .windowed = true, .width = W, .height = H,
		.clock = &h->clk.clock, .cards = h->cards,
	};
	tl_error err;
	if (app_create(&opt, &h->app, &err) != 0)
		fail_msg("app_create: %s", err.msg);
	for (int i = 0; i < 3; i++)
		app_step(h->app, 0);
	/* A PIN, so the staff menu stays shut to random digits (its gesture
	 * and PIN screen are in the storm's reach all the same). */
	store *db;
	assert_int_equal(store_open(h->db, NULL, &db, NULL), 0);
	assert_int_equal(pin_set(db, "820514", PIN_MIN_DIGITS, NULL), 0);
	store_close(db);
}

/* ---- the input modes ---------------------------------------------------- */

/* Each phase of the storm: an access method and the touch rules with it. */
typedef struct mode {
	enum access_method method;
	bool select_on_press, touch_to_hear;
	int64_t min_hold_ms;
	const char *name;
} mode;

static const mode modes[] = {
	{ ACCESS_TOUCH, false, false, 0, "touch" },
	{ ACCESS_SCAN, false, false, 0, "one switch, scanning" },
	{ ACCESS_DWELL, false, false, 0, "dwell" },
	{ ACCESS_TOUCH, true, false, 0, "touch, choose on press" },
	{ ACCESS_TAP_HOLD, false, false, 0, "one switch, tap-hold" },
	{ ACCESS_TOUCH, false, true, 0, "touch to hear" },
	{ ACCESS_TWO_SWITCH, false, false, 0, "two switches" },
	{ ACCESS_TOUCH, false, false, 150, "touch, 150 ms hold" },
};
#define N_MODES ((int)(sizeof modes / sizeof modes[0]))

static void
set_mode(storm *s, const mode *m)
{
	access_settings *k = &s->h.cfg.access;   /* the kiosk's: the next person's */
	k->method = m->method;
	k->select_on_press = m->select_on_press;
	k->touch_to_hear = m->touch_to_hear;
	k->min_hold_ms = m->min_hold_ms;
	k->scan_interval_ms = 750;
	k->scan_first_pause_ms = 250;
	k->dwell_ms = 600;
	k->switch_hold_ms = 500;
	access_settings now = *app_access(s->h.app);   /* and the person's now */
	now.method = k->method;
	now.select_on_press = k->select_on_press;
	now.touch_to_hear = k->touch_to_hear;
	now.min_hold_ms = k->min_hold_ms;
	app_set_access(s->h.app, &now);
}

/* ---- events ------------------------------------------------------------- */

static Uint32
win_id(storm *s)
{
	return SDL_GetWindowID(app_window(s->h.app));
}

/* Somewhere to press: most often on or near a target of the screen
 * showing, else anywhere (corners and edges included). */
static void
somewhere(storm *s, int *x, int *y)
{
	ui_rect r[64];
	int acts[64];
	int n = app_targets(s->h.app, r, acts, 64);
	if (n > 0 && below(100) < 80) {
		const ui_rect *t = &r[below(n)];
		*x = t->x + t->w / 2 + (t->w > 2 ? below(t->w * 6 / 5) - t->w * 3 / 5 : 0);
		*y = t->y + t->h / 2 + (t->h > 2 ? below(t->h * 6 / 5) - t->h * 3 / 5 : 0);
	} else if (below(100) < 5) {
		*x = below(2) ? W - 1 - below(12) : below(12);
		*y = below(2) ? H - 1 - below(12) : below(12);
	} else {
		*x = below(W);
		*y = below(H);
	}
}

static void
push(SDL_Event *ev, storm *s)
{
	SDL_PushEvent(ev);
	s->pushed++;
}

static void
finger(storm *s)
{
	int f = below(100) < 80 ? 0 : 1 + below(2);
	SDL_Event ev = { 0 };
	int x, y;
	somewhere(s, &x, &y);
	if (!s->finger_is_down[f])
		ev.type = SDL_FINGERDOWN;
	else
		ev.type = below(100) < 55 ? SDL_FINGERMOTION : SDL_FINGERUP;
	if (ev.type == SDL_FINGERMOTION && below(2)) {
		/* a small slide rather than a jump */
		x = -1;
	}
	ev.tfinger.touchId = 1;
	ev.tfinger.fingerId = 100 + f;
	if (x < 0) {
		float nx = (float)(below(41) - 20) / (float)W, ny = (float)(below(41) - 20) / (float)H;
		ev.tfinger.dx = nx;
		ev.tfinger.dy = ny;
		ev.tfinger.x = (float)below(W) / (float)W;
		ev.tfinger.y = (float)below(H) / (float)H;
	} else {
		ev.tfinger.x = (float)x / (float)W;
		ev.tfinger.y = (float)y / (float)H;
	}
	ev.tfinger.pressure = 1.0f;
	ev.tfinger.windowID = win_id(s);
	s->finger_is_down[f] = ev.type != SDL_FINGERUP;
	push(&ev, s);
}

static void
mouse(storm *s)
{
	SDL_Event ev = { 0 };
	int x, y;
	somewhere(s, &x, &y);
	int r = below(100);
	if (r < 45) {
		ev.type = SDL_MOUSEMOTION;
		ev.motion.windowID = win_id(s);
		ev.motion.x = x;
		ev.motion.y = y;
		ev.motion.xrel = below(21) - 10;
		ev.motion.yrel = below(21) - 10;
		ev.motion.state = s->mouse_down ? SDL_BUTTON_LMASK : 0;
	} else {
		ev.type = s->mouse_down ? SDL_MOUSEBUTTONUP : SDL_MOUSEBUTTONDOWN;
		ev.button.windowID = win_id(s);
		ev.button.button = below(100) < 90 ? SDL_BUTTON_LEFT : SDL_BUTTON_RIGHT;
		ev.button.state = ev.type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
		ev.button.clicks = (Uint8)(1 + below(2));
		ev.button.x = x;
		ev.button.y = y;
		if (ev.button.button == SDL_BUTTON_LEFT)
			s->mouse_down = ev.type == SDL_MOUSEBUTTONDOWN;
	}
	push(&ev, s);
}

static const SDL_Keycode storm_keys[16] = {
	SDLK_TAB, SDLK_TAB, SDLK_LEFT, SDLK_RIGHT, SDLK_UP, SDLK_DOWN, SDLK_RETURN,
	SDLK_KP_ENTER, SDLK_SPACE, SDLK_SPACE, SDLK_a, SDLK_1, SDLK_BACKSPACE, SDLK_F1,
	SDLK_LSHIFT, SDLK_RETURN,
};

static void
key(storm *s)
{
	int k = below(16);
	SDL_Event ev = { 0 };
	ev.type = s->key_down[k] ? SDL_KEYUP : SDL_KEYDOWN;
	ev.key.windowID = win_id(s);
	ev.key.state = ev.type == SDL_KEYDOWN ? SDL_PRESSED : SDL_RELEASED;
	/* now and then the keyboard's own repeat of a held key */
	ev.key.repeat = ev.type == SDL_KEYDOWN && below(100) < 3;
	ev.key.keysym.sym = storm_keys[k];
	ev.key.keysym.mod = below(100) < 15 ? KMOD_LSHIFT : KMOD_NONE;
	s->key_down[k] = ev.type == SDL_KEYDOWN;
	push(&ev, s);
}

static void
joystick(storm *s)
{
	int b = below(2);
	SDL_Event ev = { 0 };
	ev.type = s->joy_down[b] ? SDL_JOYBUTTONUP : SDL_JOYBUTTONDOWN;
	ev.jbutton.which = 7;   /* no game controller: its buttons count */
	ev.jbutton.button = (Uint8)b;
	ev.jbutton.state = ev.type == SDL_JOYBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
	s->joy_down[b] = ev.type == SDL_JOYBUTTONDOWN;
	push(&ev, s);
}

/* One event of a kind chosen to suit the mode: mostly the mode's own
 * input, and some of every other kind. */
static void
one_event(storm *s, const mode *m)
{
	int r = below(100);
	bool switching = m->method == ACCESS_SCAN || m->method == ACCESS_TAP_HOLD ||
	                 m->method == ACCESS_TWO_SWITCH;
	if (switching) {
		if (r < 45)
			joystick(s);
		else if (r < 70)
			key(s);
		else if (r < 85)
			finger(s);
		else
			mouse(s);
	} else if (m->method == ACCESS_DWELL) {
		if (r < 60)
			mouse(s);
		else if (r < 80)
			finger(s);
		else if (r < 92)
			key(s);
		else
			joystick(s);
	} else {
		if (r < 45)
			finger(s);
		else if (r < 70)
			mouse(s);
		else if (r < 92)
			key(s);
		else
			joystick(s);
	}
}

/* How far the fake clock moves before a step: never 0 (each step's answers
 * then carry a time of their own), mostly a person's pace, sometimes a
 * pause, rarely a walk-away. */
static int64_t
time_step(void)
{
	int r = below(10000);
	if (r < 7000)
		return 1 + below(60);
	if (r < 9500)
		return 60 + below(1500);
	if (r < 9990)
		return 1500 + below(9000);
	return 30000 + below(90000);
}

/* ---- the storm ---------------------------------------------------------- */

static void
storm_run(void **state)
{
	(void)state;
	storm s;
	s_open(&s);
	harness *h = &s.h;
	rng = seed0 ? seed0 : 1;
	printf("storm: %ld events, seed %llu\n", n_events, (unsigned long long)seed0);
	long per_mode = n_events / (N_MODES * 3) + 1;
	long warm_at = n_events / WARMUP_SHARE;
	size_t warm = 0, first_half = 0, second_half = 0;
	int checks = 0;
	long next_check = warm_at;
	int mi = -1;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* Every language once, so each script's font is open before the heap
	 * is first read (they open when first needed: text.c). */
	for (int i = 0; i < 16; i++) {
		int x, y;
		if (!h_center(h, APP_ACT_OPEN_LANGUAGE, 0, &x, &y))
			break;
		h_click(h, APP_ACT_OPEN_LANGUAGE, 0);
		if (!h_center(h, APP_ACT_SET_LANGUAGE, i, &x, &y)) {
			h_click(h, APP_ACT_CLOSE_OVERLAY, 0);
			break;
		}
		h_click(h, APP_ACT_SET_LANGUAGE, i);
	}
	uint64_t frames0 = app_frames(h->app);
	while (s.pushed < n_events) {
		int want = (int)((s.pushed / per_mode) % N_MODES);
		if (want != mi) {
			mi = want;
			set_mode(&s, &modes[mi]);
		}
		int batch = 1 + below(3);
		for (int i = 0; i < batch && s.pushed < n_events; i++)
			one_event(&s, &modes[mi]);
		h_advance(h, time_step());
		h_step(h);
		s.steps++;
		if (s.pushed >= next_check) {
			app_flush(h->app);
			size_t now = heap_bytes();
			if (!warm) {
				warm = now;
				printf("storm: after warm-up (%ld events) the heap holds %zu bytes\n", s.pushed, warm);
			} else if (checks++ < CHECKPOINTS / 2) {
				first_half = now > first_half ? now : first_half;
			} else {
				second_half = now > second_half ? now : second_half;
			}
			next_check += (n_events - warm_at) / CHECKPOINTS + 1;
		}
	}
	/* The last answers' next frame, so each has its "drawn" line. */
	app_wait_hold(h->app);
	app_step(h->app, 0);
	app_draw(h->app);
	app_flush(h->app);
	size_t end = heap_bytes();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	uint64_t frames = app_frames(h->app) - frames0;
	int64_t answers = h_sql_int(h, "SELECT count(*) FROM answers");
	int64_t sessions = h_sql_int(h, "SELECT count(*) FROM sessions");
	printf("storm: %ld events in %ld steps, %llu frames, %.1f s (%.0f events/s); "
	       "%lld sessions, %lld answers\n", s.pushed, s.steps, (unsigned long long)frames, secs,
	       (double)s.pushed / secs, (long long)sessions, (long long)answers);
	printf("storm: heap after warm-up %zu, highest of the first half %zu, of the second %zu, "
	       "end %zu bytes (%d checkpoints; a rise of %d allowed)\n", warm, first_half, second_half,
	       end, checks, MEM_SLACK);
	long long rise = (long long)(second_half > end ? second_half : end) - (long long)first_half;
	printf("touch_storm events=%ld events_per_s=%.0f frames=%llu answers=%lld sessions=%lld "
	       "heap_rise_bytes=%lld\n", s.pushed, (double)s.pushed / secs,
	       (unsigned long long)frames, (long long)answers, (long long)sessions, rise);
	fflush(stdout);
	/* The storm must have reached real answers, in several sessions. */
	assert_true(answers > n_events / 1000);
	assert_true(sessions > 3);
	assert_true(checks >= CHECKPOINTS - 1);
	assert_true(second_half <= first_half + MEM_SLACK);
	assert_true(end <= first_half + MEM_SLACK);

	/* The kiosk stops (the live session ends as unfinished); then the
	 * log and the database are read by Python. */
	app_destroy(h->app);
	h->app = NULL;
	const char *src = getenv("TELLUS_SOURCE_ROOT");
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "python3 '%s/tests/ui_storm_check.py' '%s' '%s'", src, s.log, h->db);
	int rc = system(cmd);
	if (rc != 0) {
		setenv("TELLUS_KEEP_TMP", "1", 1);
		fail_msg("ui_storm_check.py failed (%d); kept %s", rc, h->dir);
	}
	h_close(h);
}

int
main(int argc, char **argv)
{
	if (argc > 1)
		n_events = strtol(argv[1], NULL, 10);
	seed0 = argc > 2 ? strtoull(argv[2], NULL, 10) : (uint64_t)time(NULL);
	if (n_events < 1000)
		n_events = 1000;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(storm_run),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
