/*
 * test_ui_setup: the kiosk's set-up screen and the staff menu's set-up,
 * through the kiosk's own loop with real SDL events (headless), the
 * harness' fake clock and the real database, read back with SQL; the
 * export read back with Python's csv and json.
 *
 * - A fresh database opens the set-up instead of the welcome: the PIN
 *   (twice), the kiosk's name typed on the screen's keys and a physical
 *   keyboard, which flows it offers, today's event, then "Start the
 *   kiosk": the welcome offers those flows, and a session carries the name
 *   and the event.
 * - Offering one flow of two: the welcome is the plain Start of that flow.
 * - kiosk.yaml's kiosk_id and event: the set-up does not ask them, shows
 *   them, and sessions carry them.
 * - From the staff menu: a new name, a new event, the event ended; each
 *   session carries what ran when it began, and so does the export.
 * - Goldens, each looked at: the name step (landscape and portrait), the
 *   flows step and the review.
 *
 * TELLUS_SHOT_DIR=DIR saves the screens as PNGs there, to be looked at.
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

#include "export/export.h"
#include "staff/staff.h"
#include "ui.h"
#include "ui_harness.h"

#define W 1280
#define H 800
#define PIN "582913"

static const char *const two[] = { "school-day.yaml", "clinic-visit.yaml" };

static const staff_view *sv(harness *h) { return app_staff(h->app); }

static void
shot(harness *h, const char *name)
{
	const char *dir = getenv("TELLUS_SHOT_DIR");
	if (!dir)
		return;
	char path[600];
	snprintf(path, sizeof path, "%s/%s.png", dir, name);
	SDL_Surface *s = app_screenshot(h->app);
	if (s) {
		h_save_png(s, path);
		SDL_FreeSurface(s);
	}
}

/* The hidden gesture, then the PIN: the staff menu. */
static void
staff_menu(harness *h)
{
	h_staff_gesture(h);
	assert_int_equal(sv(h)->screen, STAFF_PIN);
	h_settle_staff(h);
	h_type_pin(h, PIN);
	assert_int_equal(sv(h)->screen, STAFF_MENU);
}

/* The screen's own keys, one press each. */
static void
keys(harness *h, const char *s)
{
	for (; *s; s++)
		h_click(h, ACT_STAFF_KEY, *s);
}

/* A physical keyboard's text, as SDL hands it over. */
static void
text_input(harness *h, const char *s)
{
	SDL_Event ev = { 0 };
	ev.type = SDL_TEXTINPUT;
	ev.text.windowID = SDL_GetWindowID(app_window(h->app));
	snprintf(ev.text.text, sizeof ev.text.text, "%s", s);
	SDL_PushEvent(&ev);
	h_step(h);
}

/* The first PIN, twice, on the set-up's pad. */
static void
choose_pin(harness *h)
{
	assert_int_equal(sv(h)->screen, STAFF_PIN);
	assert_true(sv(h)->setup_first);
	assert_int_equal(sv(h)->pin_mode, PINPAD_SET_FIRST);
	/* No way round it: the set-up's pad has no Cancel. */
	assert_int_equal(h_count_action(h, ACT_STAFF_CLOSE), 0);
	for (int round = 0; round < 2; round++) {
		for (const char *p = PIN; *p; p++)
			h_click(h, ACT_STAFF_DIGIT, *p - '0');
		h_click(h, ACT_STAFF_OK, 0);
	}
	h_settle_staff(h);
}

static void
start_session(harness *h, int which)
{
	assert_int_equal(app_view(h->app)->screen, SCREEN_WELCOME);
	h_click(h, APP_ACT_START, which);
	assert_int_equal(app_view(h->app)->screen, SCREEN_QUESTION);
	h_click(h, APP_ACT_FINISH_EARLY, 0);
	h_advance(h, 60000);
	h_step(h);
	app_flush(h->app);
}

static void
last_session(harness *h, const char *col, char *buf, size_t len)
{
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT coalesce(%s, '-') FROM sessions ORDER BY rowid DESC LIMIT 1",
	         col);
	h_sql_text(h, sql, buf, len);
}

/* ---- a fresh database ------------------------------------------------------ */

static void
fresh_database_is_set_up(void **st)
{
	(void)st;
	harness h;
	h_open_flows(&h, two, 2, W, H, NULL, true);
	/* Not the welcome: the set-up, its PIN first. */
	shot(&h, "setup-pin");
	choose_pin(&h);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM meta WHERE key LIKE 'pin%'") > 0, 1);
	assert_int_equal(sv(&h)->screen, STAFF_SETUP);
	assert_int_equal(sv(&h)->setup_step, SETUP_NAME);
	/* The name: the screen's keys, Delete, and a physical keyboard (whose
	 * capitals are made small and whose other marks are dropped). */
	keys(&h, "hallx");
	h_click(&h, ACT_STAFF_KEY, STAFF_KEY_DELETE);
	text_input(&h, "-2 B!");
	assert_string_equal(sv(&h)->text, "hall-2b");
	h_key(&h, SDLK_BACKSPACE, 0);
	assert_string_equal(sv(&h)->text, "hall-2");
	/* Backspace held down repeats while a name is typed (other keys do
	 * not): one press and two repeats take three letters. */
	keys(&h, "xyz");
	assert_string_equal(sv(&h)->text, "hall-2xyz");
	SDL_Event ev = { 0 };
	ev.type = SDL_KEYDOWN;
	ev.key.windowID = SDL_GetWindowID(app_window(h.app));
	ev.key.state = SDL_PRESSED;
	ev.key.keysym.sym = SDLK_BACKSPACE;
	for (int i = 0; i < 3; i++) {
		ev.key.repeat = i > 0;
		SDL_PushEvent(&ev);
	}
	ev.type = SDL_KEYUP;
	ev.key.state = SDL_RELEASED;
	ev.key.repeat = 0;
	SDL_PushEvent(&ev);
	h_step(&h);
	assert_string_equal(sv(&h)->text, "hall-2");
	shot(&h, "setup-name");
	h_click(&h, ACT_STAFF_NEXT, 1);
	/* Which flows: both offered to begin with; with none the step says so. */
	assert_int_equal(sv(&h)->setup_step, SETUP_FLOWS);
	assert_int_equal(h_count_action(&h, ACT_STAFF_TOGGLE), 2);
	h_click(&h, ACT_STAFF_TOGGLE, 0);
	h_click(&h, ACT_STAFF_TOGGLE, 1);
	h_click(&h, ACT_STAFF_NEXT, 1);
	assert_int_equal(sv(&h)->setup_step, SETUP_FLOWS);
	assert_string_equal(sv(&h)->message, "Choose at least one to offer.");
	h_click(&h, ACT_STAFF_TOGGLE, 0);
	h_click(&h, ACT_STAFF_TOGGLE, 1);
	shot(&h, "setup-flows");
	h_click(&h, ACT_STAFF_NEXT, 1);
	/* The event: keys start each word with a capital; a keyboard types
	 * what it types. Back keeps it; OK again goes on. */
	assert_int_equal(sv(&h)->setup_step, SETUP_EVENT);
	keys(&h, "drop in");
	text_input(&h, " at the Hall");
	assert_string_equal(sv(&h)->text, "Drop In at the Hall");
	shot(&h, "setup-event");
	h_click(&h, ACT_STAFF_NEXT, 1);
	assert_int_equal(sv(&h)->setup_step, SETUP_REVIEW);
	shot(&h, "setup-review");
	/* Nothing is saved before Start. */
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM meta WHERE key = 'event'"), 0);
	h_click(&h, ACT_STAFF_NEXT, 1);
	h_settle_staff(&h);
	/* The kiosk starts: the welcome with both flows. */
	assert_int_equal(sv(&h)->screen, STAFF_OFF);
	assert_int_equal(app_view(h.app)->screen, SCREEN_WELCOME);
	assert_int_equal(h_count_action(&h, APP_ACT_START), 2);
	char buf[128];
	h_sql_text(&h, "SELECT value FROM meta WHERE key = 'kiosk_id'", buf, sizeof buf);
	assert_string_equal(buf, "hall-2");
	h_sql_text(&h, "SELECT value FROM meta WHERE key = 'event'", buf, sizeof buf);
	assert_string_equal(buf, "Drop In at the Hall");
	start_session(&h, 1);
	last_session(&h, "kiosk_id", buf, sizeof buf);
	assert_string_equal(buf, "hall-2");
	last_session(&h, "event", buf, sizeof buf);
	assert_string_equal(buf, "Drop In at the Hall");
	last_session(&h, "flow_id", buf, sizeof buf);
	assert_string_equal(buf, "clinic-visit");
	h_close(&h);
}

/* Offering the second flow alone: the welcome is its plain Start, and an
 * event left empty is none. Keyboard only: Tab to a target, Enter. */
static void
one_flow_of_two_no_event(void **st)
{
	(void)st;
	harness h;
	h_open_flows(&h, two, 2, W, H, NULL, true);
	choose_pin(&h);
	keys(&h, "desk");
	h_click(&h, ACT_STAFF_NEXT, 1);
	h_click(&h, ACT_STAFF_TOGGLE, 0);
	h_click(&h, ACT_STAFF_NEXT, 1);
	assert_int_equal(sv(&h)->setup_step, SETUP_EVENT);
	h_click(&h, ACT_STAFF_NEXT, 1);    /* "No event today" */
	assert_int_equal(sv(&h)->setup_step, SETUP_REVIEW);
	/* "Start the kiosk" by the keyboard: it is the last target. */
	int guard = 0;
	do {
		h_key(&h, SDLK_TAB, 0);
		ui_rect r[UI_MAX_TARGETS];
		int acts[UI_MAX_TARGETS];
		int n = app_targets(h.app, r, acts, UI_MAX_TARGETS);
		if (app_focus(h.app) >= 0 && app_focus(h.app) < n && acts[app_focus(h.app)] == ACT_STAFF_NEXT)
			break;
	} while (++guard < 20);
	h_key(&h, SDLK_RETURN, 0);
	h_settle_staff(&h);
	assert_int_equal(sv(&h)->screen, STAFF_OFF);
	assert_int_equal(h_count_action(&h, APP_ACT_START), 1);
	char buf[128];
	h_sql_text(&h, "SELECT value FROM meta WHERE key = 'flow_hidden:school-day'", buf, sizeof buf);
	assert_string_equal(buf, "1");
	start_session(&h, 1);
	last_session(&h, "flow_id", buf, sizeof buf);
	assert_string_equal(buf, "clinic-visit");
	last_session(&h, "event", buf, sizeof buf);
	assert_string_equal(buf, "-");
	last_session(&h, "kiosk_id", buf, sizeof buf);
	assert_string_equal(buf, "desk");
	h_close(&h);
}

static void
tweak_prepared(kiosk_config *c)
{
	free(c->kiosk_id);
	c->kiosk_id = strdup("front-desk");
	snprintf(c->event, sizeof c->event, "Spring forum");
}

/* kiosk.yaml named the kiosk and the event: only the PIN and the flows
 * are asked; the review shows the rest, the name not to be changed. */
static void
prepared_in_kiosk_yaml(void **st)
{
	(void)st;
	harness h;
	h_open_flows(&h, two, 2, W, H, tweak_prepared, true);
	choose_pin(&h);
	assert_int_equal(sv(&h)->screen, STAFF_SETUP);
	assert_int_equal(sv(&h)->setup_step, SETUP_FLOWS);
	assert_int_equal(h_count_action(&h, ACT_STAFF_NEXT), 1);   /* nothing before it: no Back */
	h_click(&h, ACT_STAFF_NEXT, 1);
	assert_int_equal(sv(&h)->setup_step, SETUP_REVIEW);
	int x, y;
	assert_false(h_center(&h, ACT_STAFF_SETUP, SETUP_NAME, &x, &y));
	assert_true(h_center(&h, ACT_STAFF_SETUP, SETUP_EVENT, &x, &y));
	shot(&h, "setup-review-prepared");
	h_click(&h, ACT_STAFF_NEXT, 1);
	h_settle_staff(&h);
	assert_int_equal(sv(&h)->screen, STAFF_OFF);
	start_session(&h, 0);
	char buf[128];
	last_session(&h, "kiosk_id", buf, sizeof buf);
	assert_string_equal(buf, "front-desk");
	last_session(&h, "event", buf, sizeof buf);
	assert_string_equal(buf, "Spring forum");
	h_close(&h);
}

/* ---- later, from the staff menu --------------------------------------------- */

static void
menu_changes_name_and_events(void **st)
{
	(void)st;
	harness h;
	h_open_flows(&h, two, 2, W, H, NULL, true);
	choose_pin(&h);
	keys(&h, "hall");
	h_click(&h, ACT_STAFF_NEXT, 1);
	h_click(&h, ACT_STAFF_NEXT, 1);
	keys(&h, "morning");
	h_click(&h, ACT_STAFF_NEXT, 1);
	h_click(&h, ACT_STAFF_NEXT, 1);
	h_settle_staff(&h);
	start_session(&h, 0);                        /* 1: hall, Morning */

	staff_menu(&h);
	h_click(&h, ACT_STAFF_SETUP, SETUP_REVIEW);
	assert_int_equal(sv(&h)->screen, STAFF_SETUP);
	assert_false(sv(&h)->setup_first);
	assert_int_equal(h_count_action(&h, ACT_STAFF_END_EVENT), 1);
	shot(&h, "setup-menu-review");
	/* A new name. */
	h_click(&h, ACT_STAFF_SETUP, SETUP_NAME);
	assert_string_equal(sv(&h)->text, "hall");
	keys(&h, "-b");
	h_click(&h, ACT_STAFF_NEXT, 1);
	h_settle_staff(&h);
	assert_int_equal(sv(&h)->setup_step, SETUP_REVIEW);
	assert_string_equal(sv(&h)->kiosk_id, "hall-b");
	/* A new event: it starts from an empty field. */
	h_click(&h, ACT_STAFF_SETUP, SETUP_EVENT);
	assert_string_equal(sv(&h)->text, "");
	h_click(&h, ACT_STAFF_NEXT, 1);
	assert_string_equal(sv(&h)->message, "Type the event's name first.");
	text_input(&h, "Afternoon \xE2\x80\x93 caf\xC3\xA9");
	h_click(&h, ACT_STAFF_NEXT, 1);
	h_settle_staff(&h);
	assert_string_equal(sv(&h)->event, "Afternoon \xE2\x80\x93 caf\xC3\xA9");
	h_click(&h, ACT_STAFF_MENU, 0);
	h_click(&h, ACT_STAFF_CLOSE, 0);
	start_session(&h, 1);                        /* 2: hall-b, Afternoon – café */

	staff_menu(&h);
	h_click(&h, ACT_STAFF_SETUP, SETUP_REVIEW);
	h_click(&h, ACT_STAFF_END_EVENT, 0);
	h_settle_staff(&h);
	assert_string_equal(sv(&h)->event, "");
	assert_int_equal(h_count_action(&h, ACT_STAFF_END_EVENT), 0);
	h_click(&h, ACT_STAFF_MENU, 0);
	h_click(&h, ACT_STAFF_CLOSE, 0);
	start_session(&h, 0);                        /* 3: hall-b, no event */
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM meta WHERE key = 'event'"), 0);

	/* Each session carries what ran when it began... */
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM sessions"), 3);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM sessions WHERE kiosk_id = 'hall'"
	                               " AND event = 'Morning'"), 1);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM sessions WHERE kiosk_id = 'hall-b'"
	                               " AND event = 'Afternoon \xE2\x80\x93 caf\xC3\xA9'"), 1);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM sessions WHERE kiosk_id = 'hall-b'"
	                               " AND event IS NULL"), 1);
	/* ...and so does the export, as Python's csv and json read it. */
	char out[400];
	snprintf(out, sizeof out, "%s/stick", h.dir);
	assert_int_equal(mkdir(out, 0700), 0);
	export_options eo = { .db_path = h.db, .to_dir = out, .all = true, .data_dir = getenv("TELLUS_SOURCE_ROOT") };
	export_result res;
	tl_error err;
	assert_int_equal(export_run(&eo, &res, &err), 0);
	char cmd[6000];
	snprintf(cmd, sizeof cmd,
	         "python3 '%s/tests/export/check_events.py' '%s' "
	         "'hall=Morning' 'hall-b=Afternoon \xE2\x80\x93 caf\xC3\xA9' 'hall-b='",
	         getenv("TELLUS_SOURCE_ROOT"), res.path);
	assert_int_equal(system(cmd), 0);
	h_close(&h);
}

/* ---- goldens ------------------------------------------------------------------ */

static void
golden(harness *h, const char *name)
{
	char msg[512];
	bool ok = h_golden(h, name, msg, sizeof msg);
	if (!ok)
		fail_msg("%s", msg);
}

static void
goldens_at(int w, int hp, bool all)
{
	harness h;
	h_open_flows(&h, two, 2, w, hp, NULL, true);
	choose_pin(&h);
	keys(&h, "hall-2");
	golden(&h, w > hp ? "setup-name-landscape" : "setup-name-portrait");
	if (all) {
		h_click(&h, ACT_STAFF_NEXT, 1);
		h_click(&h, ACT_STAFF_TOGGLE, 0);
		golden(&h, "setup-flows-landscape");
		h_click(&h, ACT_STAFF_TOGGLE, 0);
		h_click(&h, ACT_STAFF_NEXT, 1);
		keys(&h, "drop in");
		h_click(&h, ACT_STAFF_NEXT, 1);
		golden(&h, "setup-review-landscape");
	}
	h_close(&h);
}

static void goldens_landscape(void **st) { (void)st; goldens_at(W, H, true); }
static void goldens_portrait(void **st) { (void)st; goldens_at(800, 1280, false); }

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fresh_database_is_set_up),
		cmocka_unit_test(one_flow_of_two_no_event),
		cmocka_unit_test(prepared_in_kiosk_yaml),
		cmocka_unit_test(menu_changes_name_and_events),
		cmocka_unit_test(goldens_landscape),
		cmocka_unit_test(goldens_portrait),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
