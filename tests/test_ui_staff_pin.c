/*
 * test_ui_staff_pin: who may become staff, through the kiosk's own loop
 * with real SDL events (headless) and a fake clock.
 *
 * - A fresh database: the kiosk's own pad can set the first PIN (the
 *   whole set-up screen, src/ui/staff/screen_staff_setup.c, is
 *   test_ui_setup's). Once one session exists,
 *   clearing the PIN row (emptied or deleted) and doing the gesture offers
 *   no way to choose one: only "Staff access is not set up: run tellus
 *   set-pin" and the way back.
 * - Cancel while the PIN is being checked really cancels: the argon2
 *   worker's late "right" never opens the menu over the next person.
 * - Kiosk mode grabs the keyboard; a trial window does not.
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
#include <time.h>

#include "pin/pin.h"
#include "staff/staff.h"
#include "store/store.h"
#include "ui.h"
#include "ui_harness.h"

#define W 1280
#define H 800

static const staff_view *sv(harness *h) { return app_staff(h->app); }

/* The hidden gesture: hold the top-left corner, then tap the top-right. */
static void
gesture(harness *h)
{
	h_staff_gesture(h);
	assert_int_equal(sv(h)->screen, STAFF_PIN);
}

/* Real time for the worker to finish a job nobody waits for any more. */
static void
wait_real(harness *h, int ms)
{
	for (int i = 0; i < ms / 20; i++)
		app_step(h->app, 20);
}

static void
type(harness *h, const char *digits)
{
	for (const char *p = digits; *p; p++)
		h_click(h, ACT_STAFF_DIGIT, *p - '0');
	h_click(h, ACT_STAFF_OK, 0);
}

/* SQL that changes the database, as someone with the file could. */
static void
sql(harness *h, const char *q)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(h->db, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	char *msg = NULL;
	if (sqlite3_exec(db, q, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", q, msg);
	sqlite3_close(db);
}

static void
shot(harness *h, const char *name)
{
	const char *dir = getenv("TELLUS_SHOT_DIR");
	if (!dir)
		return;
	char path[1024];
	snprintf(path, sizeof path, "%s/%s.png", dir, name);
	SDL_Surface *s = app_screenshot(h->app);
	assert_non_null(s);
	assert_int_equal(h_save_png(s, path), 0);
	SDL_FreeSurface(s);
}

/* Nothing on the pad can be typed or sent, and nothing gets stored. */
static void shot(harness *h, const char *name);

static void
no_way_to_choose(harness *h, const char *why)
{
	gesture(h);
	h_settle_staff(h);
	const staff_view *v = sv(h);
	if (v->pin_mode != PINPAD_NOT_SET_UP)
		fail_msg("%s: the pad offers mode %d (\"%s\")", why, v->pin_mode, v->message);
	assert_string_equal(v->message, "Staff access is not set up: run tellus set-pin");
	shot(h, "staff-not-set-up");
	int x, y;
	assert_false(h_center(h, ACT_STAFF_DIGIT, 1, &x, &y));
	assert_false(h_center(h, ACT_STAFF_OK, 0, &x, &y));
	assert_true(h_center(h, ACT_STAFF_CLOSE, 0, &x, &y));
	/* Not even the actions themselves, pushed as if from any input. */
	for (int i = 0; i < 8; i++)
		assert_false(app_target_center(h->app, ACT_STAFF_DIGIT, i, &x, &y));
	assert_int_equal(h_sql_int(h, "SELECT count(*) FROM meta WHERE key = 'pin_hash'"
	                              " AND value != ''"), 0);
	h_click(h, ACT_STAFF_CLOSE, 0);
	assert_int_equal(sv(h)->screen, STAFF_OFF);
}

static void
fresh_database_sets_the_pin_then_never_offers_one(void **state)
{
	(void)state;
	harness h;
	h_open(&h, "school-day.yaml", W, H, true);
	/* New database, nobody has answered: the first PIN can be chosen. */
	gesture(&h);
	h_settle_staff(&h);
	assert_int_equal(sv(&h)->pin_mode, PINPAD_SET_FIRST);
	assert_non_null(strstr(sv(&h)->message, "6 to 12 digits"));
	shot(&h, "staff-first-pin");
	/* Five digits are too few (pin_min_digits is 6). */
	type(&h, "24681");
	assert_int_equal(sv(&h)->pin_mode, PINPAD_SET_FIRST);
	assert_non_null(strstr(sv(&h)->message, "A PIN is 6 to 12 digits"));
	for (int i = 0; i < 5; i++)
		h_click(&h, ACT_STAFF_DELETE, 0);
	type(&h, "246813");
	type(&h, "246813");
	h_settle_staff(&h);
	assert_int_equal(sv(&h)->screen, STAFF_MENU);
	h_click(&h, ACT_STAFF_CLOSE, 0);

	/* A child's session. */
	h_click(&h, APP_ACT_START, 0);
	app_flush(h.app);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM sessions"), 1);

	/* The PIN row emptied, then deleted: never "choose one". */
	sql(&h, "UPDATE meta SET value = '' WHERE key = 'pin_hash'");
	no_way_to_choose(&h, "an emptied PIN row");
	sql(&h, "DELETE FROM meta WHERE key LIKE 'pin%'");
	no_way_to_choose(&h, "a deleted PIN row");
	/* Even with every session gone too: the set-up was closed for good. */
	sql(&h, "DELETE FROM answers; DELETE FROM sessions");
	no_way_to_choose(&h, "a deleted PIN row and no sessions left");
	h_close(&h);
}

static void
sessions_but_never_a_pin(void **state)
{
	(void)state;
	harness h;
	h_open(&h, "school-day.yaml", W, H, true);
	h_click(&h, APP_ACT_START, 0);
	app_flush(h.app);
	/* A database someone has answered on, with no PIN ever set. */
	no_way_to_choose(&h, "sessions and no PIN");
	h_close(&h);
}

static void
set_pin(harness *h, const char *pin)
{
	store *st;
	assert_int_equal(store_open(h->db, NULL, &st, NULL), 0);
	assert_int_equal(pin_set(st, pin, PIN_MIN_DIGITS, NULL), 0);
	store_close(st);
}

static void
cancel_while_checking_really_cancels(void **state)
{
	(void)state;
	harness h;
	h_open(&h, "school-day.yaml", W, H, true);
	set_pin(&h, "358024");
	h_click(&h, APP_ACT_START, 0);
	assert_int_equal(app_view(h.app)->screen, SCREEN_QUESTION);
	gesture(&h);
	h_settle_staff(&h);
	assert_int_equal(sv(&h)->pin_mode, PINPAD_ENTER);
	/* The right PIN, then Cancel at once, while argon2id is still at it. */
	uint64_t ended = sv(&h)->jobs_ended;
	type(&h, "358024");
	assert_true(sv(&h)->busy);
	h_click(&h, ACT_STAFF_CLOSE, 0);
	assert_int_equal(sv(&h)->screen, STAFF_OFF);
	/* until the check has come back (real time: argon2id is slow under
	 * load), then a few more turns for anything it might have set off */
	for (int i = 0; i < 3000 && sv(&h)->jobs_ended == ended; i++)
		app_step(h.app, 20);
	assert_int_equal(sv(&h)->jobs_ended, ended + 1);
	wait_real(&h, 100);
	/* The late "right" opened nothing and ended nobody's session. */
	assert_int_equal(sv(&h)->screen, STAFF_OFF);
	assert_int_equal(app_view(h.app)->screen, SCREEN_QUESTION);
	app_flush(h.app);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM sessions WHERE status = 'in_progress'"),
	                 1);

	/* Cancel, and the gesture again before the worker is done: the new
	 * pad waits for it, then asks for the PIN afresh. */
	gesture(&h);
	h_settle_staff(&h);
	type(&h, "358024");
	h_click(&h, ACT_STAFF_CLOSE, 0);
	gesture(&h);
	h_settle_staff(&h);
	assert_int_equal(sv(&h)->screen, STAFF_PIN);
	assert_int_equal(sv(&h)->pin_mode, PINPAD_ENTER);
	assert_int_equal(app_view(h.app)->screen, SCREEN_QUESTION);
	/* And the PIN still works when staff wait for it. */
	type(&h, "358024");
	h_settle_staff(&h);
	assert_int_equal(sv(&h)->screen, STAFF_MENU);
	h_close(&h);
}

/* Kiosk mode keeps the keyboard (SDL_SetWindowKeyboardGrab); a window
 * for trying things out does not. */
static void
kiosk_mode_grabs_the_keyboard(void **state)
{
	(void)state;
	harness h;
	h_open(&h, "school-day.yaml", W, H, false);
	Uint32 f = SDL_GetWindowFlags(app_window(h.app));
	assert_true(f & SDL_WINDOW_KEYBOARD_GRABBED);
	h_close(&h);
	h_open(&h, "school-day.yaml", W, H, true);
	f = SDL_GetWindowFlags(app_window(h.app));
	assert_false(f & SDL_WINDOW_KEYBOARD_GRABBED);
	h_close(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fresh_database_sets_the_pin_then_never_offers_one),
		cmocka_unit_test(sessions_but_never_a_pin),
		cmocka_unit_test(cancel_while_checking_really_cancels),
		cmocka_unit_test(kiosk_mode_grabs_the_keyboard),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
