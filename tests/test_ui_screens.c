/*
 * test_ui_screens: a blank screen is never the resting state. Walks EVERY
 * screen of the screens table (screens_nth in src/ui/screens/screens.c: the
 * session's screens, the overlays, staff mode's), so a screen added to the
 * table later is walked too. Each is reached through the real kiosk loop
 * (headless, real SDL events, the harness' fake clock) and must then
 * leave by itself (a deadline: time passing, or the writer's commit
 * arriving) or have a target on it whose press leaves it. The rest screen
 * (the kiosk's own, while its disk refuses records: tests/fault_vfs.c) has
 * nothing to press; its way out is the disk mending, which the writer's
 * retries find by themselves. A screen that
 * arriving) or have a target on it whose press leaves it (or, with no
 * target at all, like the room's charts, the staff gesture). A screen that
 * draws nothing must leave by itself within 10 s: nobody presses what they
 * cannot see.
 *
 * How to reach each screen is this test's own knowledge (reach() below);
 * a screen in the table that it does not know how to reach fails the test
 * with a message saying so, rather than being skipped.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pin/pin.h"
#include "staff/staff.h"
#include "store/store.h"
#include "ui.h"
#include "ui_harness.h"
#include "slow_vfs.h"
#include "fault_vfs.h"

#define PIN "471147"

/* How the walk's kiosk is answered (the focus order test scans too), its
 * window and its language (the corners test turns and mirrors it). */
static enum access_method walk_method = ACCESS_TOUCH;
static int W = 1280, H = 800;
static const char *walk_lang;

typedef struct walk {
	harness h;
	char mountinfo[512], media[512], stick[512];
	const char *roots[2];
	store_options so;
} walk;

/* Like the harness' h_open, with a stick folder (so Export can be pressed) and a store whose every fsync takes 50 ms (so
 * the blank moment while the last rows reach the disk can be seen). */
static void
w_open(walk *w, const char *flow_name, bool faulty)
{
	harness *h = &w->h;
	memset(w, 0, sizeof *w);
	snprintf(h->dir, sizeof h->dir, "/tmp/tellus-walk-XXXXXX");
	assert_non_null(mkdtemp(h->dir));
	snprintf(h->db, sizeof h->db, "%s/tellus.db", h->dir);
	snprintf(w->media, sizeof w->media, "%s/media", h->dir);
	snprintf(w->stick, sizeof w->stick, "%s/media/STICK", h->dir);
	snprintf(w->mountinfo, sizeof w->mountinfo, "%s/mountinfo", h->dir);
	assert_int_equal(mkdir(w->media, 0700), 0);
	assert_int_equal(mkdir(w->stick, 0700), 0);
	/* The table holds only the root: the stick is the folder named by the
	 * stick_folder setting (no mount here is a removable drive). */
	FILE *f = fopen(w->mountinfo, "w");
	assert_non_null(f);
	fprintf(f, "26 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw\n");
	fclose(f);
	w->roots[0] = w->media;
	assert_int_equal(slow_vfs_register("walk-slow", 50), 0);
	assert_int_equal(fault_vfs_register("walk-fault"), 0);
	fault_vfs_fail_writes(0, 0);
	w->so.vfs = faulty ? "walk-fault" : "walk-slow";

	tl_fake_clock_init(&h->clk, 1000000, 1795000000000LL);
	config_default(&h->cfg);
	snprintf(h->cfg.stick_folder, sizeof h->cfg.stick_folder, "%s", w->stick);
	h->cfg.access.method = walk_method;
	if (walk_lang) {
		h->cfg.language = strdup(walk_lang);
		assert_non_null(h->cfg.language);
	}
	const char *root = getenv("TELLUS_SOURCE_ROOT");
	assert_non_null(root);
	char path[1024];
	snprintf(path, sizeof path, "%s/config/flows/%s", root, flow_name);
	diag_list d = { 0 };
	assert_int_equal(flow_load(path, &h->flow, &d), 0);
	diag_list_finish(&d);
	h->flows[0] = h->flow;   /* h_close frees the harness's flows */
	h->n_flows = 1;
	app_options opt = {
		.db_path = h->db, .config = &h->cfg, .flow = h->flow, .data_dir = root,
		.windowed = true, .width = W, .height = H, .clock = &h->clk.clock,
		.store = &w->so, .mountinfo = w->mountinfo, .mount_roots = w->roots,
	};
	tl_error err;
	if (app_create(&opt, &h->app, &err) != 0)
		fail_msg("app_create: %s", err.msg);
	for (int i = 0; i < 3; i++)
		app_step(h->app, 0);
}

/* ---- where the kiosk is ------------------------------------------------- */

/* The screen showing now, as screens_pick chooses it. */
static screen_ref
showing(harness *h)
{
	screen_ref r = { SCREENS_SESSION, (int)app_view(h->app)->screen, NULL };
	if (app_staff(h->app)->screen != STAFF_OFF)
		r = (screen_ref){ SCREENS_STAFF, (int)app_staff(h->app)->screen, NULL };
	else if (app_resting(h->app))
		r = (screen_ref){ SCREENS_KIOSK, KIOSK_REST, NULL };
	else if (app_overlay(h->app) != OVERLAY_NONE)
		r = (screen_ref){ SCREENS_OVERLAY, app_overlay(h->app), NULL };
	return r;
}

static bool
same(screen_ref a, screen_ref b)
{
	return a.kind == b.kind && a.id == b.id;
}

static const char *
kind_name(enum screens_kind k)
{
	return k == SCREENS_SESSION ? "session screen" : k == SCREENS_OVERLAY ? "overlay" :
	       k == SCREENS_STAFF ? "staff screen" : "kiosk screen";
}

/* ---- getting there ------------------------------------------------------ */

/* The hidden gesture, then the PIN: the staff menu. */
static void
staff_menu(harness *h)
{
	h_set_pin(h, PIN);
	h_staff_gesture(h);
	assert_int_equal(app_staff(h->app)->screen, STAFF_PIN);
	h_settle_staff(h);
}

static void
type_pin(harness *h)
{
	h_type_pin(h, PIN);
	assert_int_equal(app_staff(h->app)->screen, STAFF_MENU);
}

static bool
resting(harness *h)
{
	return app_resting(h->app);
}

/* The rest screen: the disk fills while a person answers; they finish, the
 * thank-you waits for the rows and then asks for staff, and then the rest
 * screen stands in for welcome. The disk then mends after a few more
 * refused writes (the writer's retries reach them by themselves). */
static void
reach_rest(harness *h)
{
	h_click(h, APP_ACT_START, 0);
	h_click(h, APP_ACT_ANSWER, 0);
	app_flush(h->app);
	fault_vfs_fail_writes(1 << 30, SQLITE_FULL);
	for (int g = 0; app_view(h->app)->screen == SCREEN_QUESTION && g < 40; g++)
		h_click(h, APP_ACT_SKIP, 0);
	/* The writer's thread meets the full disk in its own time: wait for
	 * it by the clock on the wall (a loaded machine is slow), not by a
	 * count of turns. */
	Uint64 until = SDL_GetTicks64() + 60000;
	while (app_store_health(h->app) == 0 && SDL_GetTicks64() < until) {
		app_step(h->app, 5);
		usleep(5000);
	}
	assert_int_not_equal(app_store_health(h->app), 0);
	h_advance(h, 10001);
	h_step(h);
	h_advance(h, h->cfg.timing.thanks_ms + 1);
	until = SDL_GetTicks64() + 60000;
	while (!resting(h) && SDL_GetTicks64() < until)
		app_step(h->app, 5);
	assert_true(resting(h));
	fault_vfs_fail_writes(5, SQLITE_FULL);
}

/* Drives a fresh kiosk to screen r. false when this test does not know
 * how (a screen added to the table after it was written). */
static bool
reach(harness *h, screen_ref r)
{
	if (r.kind == SCREENS_KIOSK) {
		switch ((enum kiosk_screen)r.id) {
		case KIOSK_REST:
			reach_rest(h);
			return true;
		case KIOSK_SCREEN_COUNT:
			break;
		}
		return false;
	}
	if (r.kind == SCREENS_SESSION) {
		switch ((enum screen_id)r.id) {
		case SCREEN_WELCOME:
			return true;
		case SCREEN_QUESTION:
			h_click(h, APP_ACT_START, 0);
			return true;
		case SCREEN_THANKS:
			h_click(h, APP_ACT_START, 0);
			for (int g = 0; app_view(h->app)->screen == SCREEN_QUESTION && g < 40; g++)
				h_click(h, APP_ACT_SKIP, 0);
			return true;
		case SCREEN_STILL_THERE:
			h_click(h, APP_ACT_START, 0);
			h_advance(h, h->cfg.timing.idle_ms + 100);
			h_step(h);
			return true;
		case SCREEN_AUDIENCE:
			/* The walk opened a flow with an audience (flow_for). */
			h_click(h, APP_ACT_START, 0);
			return true;
		case SCREEN_RESETTING:
			/* A walk-away: the session ends, and the screen waits for its
			 * last rows to reach the (slow) disk. */
			h_click(h, APP_ACT_START, 0);
			h_advance(h, h->cfg.timing.idle_ms + 100);
			h_step(h);
			h_advance(h, h->cfg.timing.still_there_ms + 100);
			h_step(h);
			return true;
		case SCREEN_COUNT:
			break;
		}
		return false;
	}
	if (r.kind == SCREENS_OVERLAY) {
		switch ((enum ui_overlay)r.id) {
		case OVERLAY_ACCESS:
			h_click(h, APP_ACT_OPEN_ACCESS, 0);
			return true;
		case OVERLAY_LANGUAGE:
			h_click(h, APP_ACT_OPEN_LANGUAGE, 0);
			return true;
		case OVERLAY_NONE:
		case OVERLAY_COUNT:
			break;
		}
		return false;
	}
	switch ((enum staff_screen)r.id) {
	case STAFF_PIN:
		staff_menu(h);
		return true;
	case STAFF_MENU:
		staff_menu(h);
		type_pin(h);
		return true;
	case STAFF_EXPORT:
		staff_menu(h);
		type_pin(h);
		h_click(h, ACT_STAFF_EXPORT, 0);
		h_settle_staff(h);
		return true;
	case STAFF_TODAY:
		staff_menu(h);
		type_pin(h);
		h_click(h, ACT_STAFF_TODAY, 0);
		h_settle_staff(h);
		return true;
	case STAFF_ABOUT:
		staff_menu(h);
		type_pin(h);
		h_click(h, ACT_STAFF_ABOUT, 0);
		return true;
	case STAFF_CLEAR:
		/* Offered once every session is exported: one person, then an
		 * export to the stick folder. */
		h_click(h, APP_ACT_START, 0);
		for (int g = 0; app_view(h->app)->screen == SCREEN_QUESTION && g < 40; g++)
			h_click(h, APP_ACT_SKIP, 0);
		app_flush(h->app);
		staff_menu(h);
		type_pin(h);
		h_click(h, ACT_STAFF_EXPORT, 0);
		h_settle_staff(h);
		h_click(h, ACT_STAFF_MENU, 0);
		h_click(h, ACT_STAFF_CLEAR, 0);
		return true;
	case STAFF_SETUP:
		staff_menu(h);
		type_pin(h);
		h_click(h, ACT_STAFF_SETUP, SETUP_REVIEW);
		return true;
	case STAFF_ROOM:
		staff_menu(h);
		type_pin(h);
		h_click(h, ACT_STAFF_ROOM, 0);
		h_settle_staff(h);
		return true;
	case STAFF_LOAD:
		staff_menu(h);
		type_pin(h);
		h_click(h, ACT_STAFF_LOAD, 0);
		h_settle_staff(h);
		return true;
	case STAFF_OFF:
	case STAFF_SCREEN_COUNT:
		break;
	}
	return false;
}

/* The flow a walk to r opens: the audience screen needs a flow naming
 * who reads its answers. */
static const char *
flow_for(screen_ref r)
{
	return r.kind == SCREENS_SESSION && r.id == SCREEN_AUDIENCE ? "drop-in.yaml" : "school-day.yaml";
}

/* ---- the ways out ------------------------------------------------------- */

/* The staff gesture: the room's way out (it has no targets: the hall
 * touches nothing that changes it). */
static bool
the_gesture_leaves(harness *h, screen_ref r)
{
	h_staff_gesture(h);
	return !same(showing(h), r);
}

/* Time passes (and the loop also waits a little in real time, so the
 * writer's and the staff worker's reports arrive): true when the screen
 * changed within max_ms. */
static bool
leaves_by_itself(harness *h, screen_ref r, int64_t max_ms, int64_t *after)
{
	for (int64_t t = 0; t < max_ms; t += 250) {
		h_advance(h, 250);
		/* The rest screen's way out is the writer's retries (real
		 * time): let it have 20 ms at every step. */
		bool real = r.kind == SCREENS_KIOSK || t % 5000 == 0 || t < 10000;
		app_step(h->app, real ? 20 : 0);
		if (!same(showing(h), r)) {
			*after = t + 250;
			return true;
		}
	}
	return false;
}

/* Presses each target in turn (a fresh press each, past the double-tap
 * guard): true when one of them left the screen; *which says its action. */
static bool
an_input_leaves(harness *h, screen_ref r, int *which)
{
	ui_rect rects[64];
	int acts[64];
	int n = app_targets(h->app, rects, acts, 64);
	for (int i = 0; i < n; i++) {
		ui_rect now[64];
		int nacts[64];
		int m = app_targets(h->app, now, nacts, 64);
		if (i >= m)
			break;
		h_press_at(h, now[i].x + now[i].w / 2, now[i].y + now[i].h / 2);
		h_settle_staff(h);
		if (!same(showing(h), r)) {
			*which = nacts[i];
			return true;
		}
	}
	return false;
}

static void
every_screen_has_a_way_out(void **state)
{
	(void)state;
	int walked = 0;
	screen_ref r;
	for (int n = 0; screens_nth(n, &r); n++) {
		walk w;
		bool faulty = r.kind == SCREENS_KIOSK;
		w_open(&w, flow_for(r), faulty);
		harness *h = &w.h;
		if (!reach(h, r))
			fail_msg("the screens table has a %s (id %d) that this walk does not know how to "
			         "reach: add it to reach() in tests/test_ui_screens.c", kind_name(r.kind), r.id);
		if (!same(showing(h), r))
			fail_msg("reaching %s %d showed %s %d instead", kind_name(r.kind), r.id,
			         kind_name(showing(h).kind), showing(h).id);
		ui_rect rects[64], boxes[64];
		int acts[64];
		const char *texts[64];
		int n_targets = app_targets(h->app, rects, acts, 64);
		app_draw(h->app);
		int n_texts = app_text_boxes(h->app, boxes, texts, 64);
		bool blank = n_targets == 0 && n_texts == 0;
		int64_t after = 0;
		if (blank) {
			/* Nothing to see and nothing to press: it must go by itself, soon. */
			if (!leaves_by_itself(h, r, 10000, &after))
				fail_msg("%s %d is blank and still showing after 10 s", kind_name(r.kind), r.id);
			printf("%-14s %d: blank, leaves by itself after %.2f s\n", kind_name(r.kind), r.id,
			       (double)after / 1000.0);
		} else if (leaves_by_itself(h, r, 10 * 60 * 1000, &after)) {
			printf("%-14s %d: leaves by itself after %.2f s\n", kind_name(r.kind), r.id,
			       (double)after / 1000.0);
		} else {
			/* No deadline: a fresh kiosk on the same screen, and its
			 * targets pressed one by one until one leaves it. */
			h_close(h);
			w_open(&w, flow_for(r), faulty);
			h = &w.h;
			assert_true(reach(h, r));
			int which = 0;
			if (n_targets == 0 && the_gesture_leaves(h, r)) {
				printf("%-14s %d: no deadline, no targets; the staff gesture leaves it\n",
				       kind_name(r.kind), r.id);
			} else {
				if (!an_input_leaves(h, r, &which))
					fail_msg("%s %d can be left on for ever: no deadline, and none of its %d "
					         "targets leaves it", kind_name(r.kind), r.id, n_targets);
				printf("%-14s %d: no deadline; a press (action %d) leaves it\n",
				       kind_name(r.kind), r.id, which);
			}
		}
		h_close(h);
		walked++;
	}
	/* The walk covered the whole table: session screens, overlays, staff,
	 * the kiosk's own. */
	assert_int_equal(walked, SCREEN_COUNT + (OVERLAY_COUNT - 1) + (STAFF_SCREEN_COUNT - 1) +
	                         KIOSK_SCREEN_COUNT);
}

/* ---- focus order -------------------------------------------------------- */

/* The order the issue asks for, as this test reads it: the screen's main
 * action, then Back (and an overlay's way back), Skip, "I don't want to
 * say", "I've finished", the quieter extras, and the access button last. */
static int
expected_rank(int act)
{
	switch (act) {
	case ACT_BACK: case ACT_CLOSE_OVERLAY: case ACT_STAFF_MENU: case ACT_STAFF_CLOSE: return 1;
	case ACT_SKIP: return 2;
	case ACT_DECLINE: return 3;
	case ACT_FINISH_EARLY: return 4;
	case ACT_OPEN_LANGUAGE: case ACT_CARD_HEAR: case ACT_CARD_MORE: return 5;
	case ACT_OPEN_ACCESS: return 6;
	default: return 0;
	}
}

/* The main action each screen starts on (0: any main action). */
static int
main_action(screen_ref r)
{
	if (r.kind == SCREENS_SESSION) {
		switch ((enum screen_id)r.id) {
		case SCREEN_WELCOME: return ACT_START;
		case SCREEN_QUESTION: return ACT_ANSWER;
		case SCREEN_THANKS: return ACT_FINISH;
		case SCREEN_STILL_THERE: return ACT_STILL_HERE;
		default: return 0;
		}
	}
	if (r.kind == SCREENS_OVERLAY)
		return r.id == OVERLAY_ACCESS ? ACT_ACCESS_OPTION : ACT_SET_LANGUAGE;
	return 0;
}

static void
check_order(screen_ref r, const int *acts, int n, const char *how, const int *seen, int n_seen)
{
	/* A screen with no main action (a finished export: Menu and Close)
	 * starts on the first of what it has. */
	int lowest = 99;
	for (int i = 0; i < n; i++)
		lowest = expected_rank(acts[i]) < lowest ? expected_rank(acts[i]) : lowest;
	for (int i = 0; i < n_seen; i++) {
		int a = acts[seen[i]], prev = i > 0 ? acts[seen[i - 1]] : -1;
		if (i == 0 && (expected_rank(a) != lowest || (main_action(r) && a != main_action(r))))
			fail_msg("%s %d: %s starts on action %d, not the main action", kind_name(r.kind), r.id,
			         how, a);
		if (i > 0 && expected_rank(a) < expected_rank(prev))
			fail_msg("%s %d: %s reaches action %d after action %d", kind_name(r.kind), r.id, how,
			         a, prev);
	}
	/* Every target, once each. */
	if (n_seen != n)
		fail_msg("%s %d: %s reached %d of %d targets", kind_name(r.kind), r.id, how, n_seen, n);
}

/* Tab from a fresh screen: the first key shows the focus, each Tab moves it. */
static void
keyboard_order(harness *h, screen_ref r, const int *acts, int n)
{
	int seen[64], n_seen = 0;
	h_key(h, SDLK_TAB, 0);
	/* "Are you still there?": any key is "yes", so there is no walk. */
	if (!same(showing(h), r) && r.kind == SCREENS_SESSION && r.id == SCREEN_STILL_THERE)
		return;
	for (int i = 0; i < n && same(showing(h), r); i++) {
		int f = app_focus(h->app);
		assert_true(f >= 0);
		if (n_seen > 0 && f == seen[0])
			break;
		seen[n_seen++] = f;
		h_key(h, SDLK_TAB, 0);
	}
	check_order(r, acts, n, "Tab", seen, n_seen);
}

/* One switch, scanning by itself: one round of the highlight. */
static void
scan_order(harness *h, screen_ref r, const int *acts, int n)
{
	int seen[64], n_seen = 0;
	for (int t = 0; t < 200000 && n_seen < 64 && same(showing(h), r); t += 250) {
		int f = app_focus(h->app);
		if (f >= 0 && (n_seen == 0 || f != seen[n_seen - 1])) {
			if (n_seen > 0 && f == seen[0])
				break;
			seen[n_seen++] = f;
		}
		h_advance(h, 250);
		h_step(h);
	}
	check_order(r, acts, n, "scanning", seen, n_seen);
}

static void
focus_order_on_every_screen(void **state)
{
	(void)state;
	screen_ref r;
	int checked = 0;
	for (int n = 0; screens_nth(n, &r); n++) {
		for (int way = 0; way < 2; way++) {
			/* Staff mode is always plain touch: keys only. */
			if (way == 1 && r.kind == SCREENS_STAFF)
				continue;
			walk_method = way == 1 ? ACCESS_SCAN : ACCESS_TOUCH;
			walk w;
			w_open(&w, flow_for(r), r.kind == SCREENS_KIOSK);
			harness *h = &w.h;
			assert_true(reach(h, r));
			ui_rect rects[64];
			int acts[64];
			int nt = app_targets(h->app, rects, acts, 64);
			if (nt > 0 && same(showing(h), r)) {
				/* The targets' own order, then the walk along it. */
				int all[64];
				for (int i = 0; i < nt; i++)
					all[i] = i;
				check_order(r, acts, nt, "the targets' order", all, nt);
				if (way == 0)
					keyboard_order(h, r, acts, nt);
				else
					scan_order(h, r, acts, nt);
				checked++;
				printf("%-14s %d: %s order holds over %d targets\n", kind_name(r.kind), r.id,
				       way ? "scan" : "Tab", nt);
			}
			h_close(h);
			walk_method = ACCESS_TOUCH;
		}
	}
	assert_true(checked >= 10);
}

/* ---- the staff gesture's corners ---------------------------------------- */

static bool
meets(ui_rect a, ui_rect b)
{
	return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/* The layouts the corners must stay clear in: landscape and portrait,
 * left to right and right to left (Urdu in Nastaliq, Arabic). */
static const struct { int w, h; const char *lang; } layouts[] = {
	{ 1280, 800, NULL }, { 800, 1280, NULL }, { 800, 480, NULL },
	{ 1280, 800, "ur" }, { 800, 1280, "ar" },
};

/* On every screen of the table, in every layout above, neither corner of
 * the staff gesture touches a target: holding it 3 s presses nothing. */
static void
gesture_corners_touch_no_control(void **state)
{
	(void)state;
	int checked = 0;
	screen_ref r;
	for (size_t l = 0; l < sizeof layouts / sizeof layouts[0]; l++) {
		W = layouts[l].w;
		H = layouts[l].h;
		walk_lang = layouts[l].lang;
		for (int n = 0; screens_nth(n, &r); n++) {
			/* Staff screens but the room do not watch the gesture, and
			 * are never mirrored: once is enough to see that. */
			bool watched = r.kind != SCREENS_STAFF || r.id == STAFF_ROOM;
			if (!watched && l > 0)
				continue;
			walk w;
			w_open(&w, flow_for(r), r.kind == SCREENS_KIOSK);
			harness *h = &w.h;
			assert_true(reach(h, r));
			if (!same(showing(h), r))
				fail_msg("reaching %s %d showed %s %d instead", kind_name(r.kind), r.id,
				         kind_name(showing(h).kind), showing(h).id);
			if (walk_lang)
				assert_string_equal(app_view(h->app)->language, walk_lang);
			ui_rect k[4], rects[64];
			int acts[64];
			int nk = app_gesture_corners(h->app, k);
			int nt = app_targets(h->app, rects, acts, 64);
			assert_int_equal(nk, watched ? 4 : 0);
			for (int i = 0; i < nk; i++) {
				assert_true(k[i].w > 0 && k[i].h > 0);
				for (int t = 0; t < nt; t++)
					if (meets(k[i], rects[t]))
						fail_msg("%dx%d %s, %s %d: the gesture's %s corner (%d,%d %dx%d) lies on "
						         "target %d (action %d, %d,%d %dx%d)", W, H,
						         walk_lang ? walk_lang : "en", kind_name(r.kind), r.id,
						         i < 2 ? "top-left" : "top-right", k[i].x, k[i].y, k[i].w,
						         k[i].h, t, acts[t], rects[t].x, rects[t].y, rects[t].w,
						         rects[t].h);
			}
			checked++;
			h_close(h);
		}
	}
	W = 1280;
	H = 800;
	walk_lang = NULL;
	assert_true(checked >= 40);
}

/* The corner is held on a question, whose Back sits in that corner of the
 * bar: 3 s and a tap in the other corner open the PIN pad, and the
 * question is still the one it was (Back was not pressed). */
static void
holding_the_corner_presses_nothing(void **state)
{
	(void)state;
	for (int rtl = 0; rtl < 2; rtl++) {
		walk_lang = rtl ? "ur" : NULL;
		walk w;
		w_open(&w, "school-day.yaml", false);
		harness *h = &w.h;
		h_click(h, APP_ACT_START, 0);
		h_click(h, APP_ACT_SKIP, 0);
		const char *qid = app_view(h->app)->question->id;
		assert_true(app_view(h->app)->can_back);
		ui_rect k[4];
		assert_int_equal(app_gesture_corners(h->app, k), 4);
		/* The innermost point of each corner: nearest the controls. */
		int hx = k[1].w - 1, hy = k[0].h - 1;
		h_mouse(h, SDL_MOUSEBUTTONDOWN, hx, hy);
		h_step(h);
		h_advance(h, STAFF_HOLD_MS + 100);
		h_step(h);
		h_mouse(h, SDL_MOUSEBUTTONUP, hx, hy);
		h_step(h);
		assert_string_equal(app_view(h->app)->question->id, qid);
		assert_int_equal(app_overlay(h->app), OVERLAY_NONE);
		h_advance(h, 1000);
		h_press_at(h, W - 1 - hx, hy);
		assert_int_equal(app_staff(h->app)->screen, STAFF_PIN);
		h_settle_staff(h);
		assert_int_equal(app_view(h->app)->screen, SCREEN_QUESTION);
		assert_string_equal(app_view(h->app)->question->id, qid);
		h_close(h);
	}
	walk_lang = NULL;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(focus_order_on_every_screen),
		cmocka_unit_test(every_screen_has_a_way_out),
		cmocka_unit_test(gesture_corners_touch_no_control),
		cmocka_unit_test(holding_the_corner_presses_nothing),
	};
	/* meson runs the corners apart (ui_screens_corners), so each fits
	 * its time: "corners" runs only them, no argument all the others. */
	if (argc > 1 && strcmp(argv[1], "corners") == 0)
		cmocka_set_test_filter("*corner*");
	else
		cmocka_set_skip_filter("*corner*");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
