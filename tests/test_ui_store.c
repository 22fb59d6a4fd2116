/*
 * test_ui_store: the kiosk on a disk that fails, through its own loop,
 * headless, with real SDL mouse events (ui_harness) and tests/fault_vfs.c
 * under the store.
 *
 * What must hold: a person mid-way when the disk fills finishes their
 * session; the thank-you says "Saving your answers" (never "saved") while
 * the rows wait, then that staff need to check the kiosk; once that time is
 * over the rest screen stands in for welcome and invites nobody; when the
 * disk has room again the queue drains and welcome comes back by itself,
 * with every answer on disk exactly once. Stopping the kiosk mid-session
 * ends the session as unfinished; the next start closes a session an
 * earlier run left open as interrupted.
 *
 * TELLUS_SHOTS=DIR saves the screens (thanks-saving, thanks-late, rest,
 * welcome-after) as PNGs there, to look at.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui_harness.h"
#include "store/store_writer.h"

#include "fault_vfs.c"

#define VFS "tellus-ui-fault"

static void
shot(harness *h, const char *name)
{
	const char *dir = getenv("TELLUS_SHOTS");
	if (!dir)
		return;
	char path[1024];
	snprintf(path, sizeof path, "%s/%s.png", dir, name);
	SDL_Surface *s = app_screenshot(h->app);
	h_save_png(s, path);
	SDL_FreeSurface(s);
}

/* Answers the question showing (the first picture; choose-many: it, then
 * Done). */
static void
answer_one(harness *h)
{
	bool many = app_view(h->app)->question->type == QT_CHOOSE_MANY;
	h_click(h, APP_ACT_ANSWER, 0);
	if (many)
		h_click(h, APP_ACT_DONE, 0);
}

/* Steps the loop in real time until cond holds or ms pass. */
static bool
step_until(harness *h, bool (*cond)(harness *), int ms)
{
	for (int i = 0; i < ms / 5; i++) {
		h_step(h);
		if (cond(h))
			return true;
		usleep(5000);
	}
	return cond(h);
}

static bool
welcome_back(harness *h)
{
	return app_view(h->app)->screen == SCREEN_WELCOME && !app_resting(h->app);
}

static bool
disk_says_full(harness *h)
{
	return app_store_health(h->app) == STORE_HEALTH_FULL;
}

static void
test_full_disk_rest_then_recover(void **state)
{
	(void)state;
	assert_int_equal(fault_vfs_register(VFS), SQLITE_OK);
	harness h;
	h_open_vfs(&h, "school-day.yaml", 1280, 800, VFS);
	h_step(&h);
	h_click(&h, APP_ACT_START, 0);
	answer_one(&h);
	app_flush(h.app);
	int64_t before = h_sql_int(&h, "SELECT count(*) FROM answers");
	assert_int_equal(before, 1);

	/* the disk fills while the person answers: they carry on */
	fault_vfs_fail_writes(1 << 30, SQLITE_FULL);
	int given = 1;
	while (app_view(h.app)->screen == SCREEN_QUESTION) {
		answer_one(&h);
		given++;
	}
	assert_int_equal(app_view(h.app)->screen, SCREEN_THANKS);
	assert_true(step_until(&h, disk_says_full, 5000));
	assert_int_equal(app_saving(h.app), 1);   /* saving, not saved */
	assert_false(app_resting(h.app));
	shot(&h, "thanks-saving");

	/* past the deadline it asks for staff, plainly */
	h_advance(&h, 10001);
	h_step(&h);
	assert_int_equal(app_saving(h.app), 2);
	shot(&h, "thanks-late");

	/* the thank-you's time over too: nobody new is invited */
	h_advance(&h, h.cfg.timing.thanks_ms + 1);
	h_step(&h);
	assert_true(app_resting(h.app));
	assert_int_not_equal(app_view(h.app)->screen, SCREEN_WELCOME);
	int x, y;
	assert_false(h_center(&h, APP_ACT_START, 0, &x, &y));
	assert_false(h_center(&h, APP_ACT_ANSWER, 0, &x, &y));
	/* the rest screen has nothing to press (the staff gesture still works) */
	ui_rect rects[64];
	int acts[64];
	assert_int_equal(app_targets(h.app, rects, acts, 64), 0);
	shot(&h, "rest");
	/* nothing waiting has reached the disk, nothing was lost either */
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers"), 1);

	/* room again: the queue drains, welcome returns by itself */
	fault_vfs_fail_writes(0, 0);
	assert_true(step_until(&h, welcome_back, 15000));
	assert_true(h_center(&h, APP_ACT_START, 0, &x, &y));
	shot(&h, "welcome-after");
	app_flush(h.app);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers"), given);
	assert_int_equal(h_sql_int(&h, "SELECT count(DISTINCT seq) FROM answers"), given);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM sessions WHERE status = 'completed'"), 1);
	h_close(&h);
}

static void
test_io_errors_rest_then_recover(void **state)
{
	(void)state;
	assert_int_equal(fault_vfs_register(VFS), SQLITE_OK);
	harness h;
	h_open_vfs(&h, "school-day.yaml", 1280, 800, VFS);
	h_step(&h);
	/* a failing disk between two people: the next one is not invited */
	h_click(&h, APP_ACT_START, 0);
	while (app_view(h.app)->screen == SCREEN_QUESTION)
		answer_one(&h);
	app_flush(h.app);
	fault_vfs_fail_writes(40, SQLITE_IOERR_WRITE);
	h_click(&h, APP_ACT_FINISH, 0);
	/* the end was committed before the failure: straight to welcome... */
	assert_true(step_until(&h, welcome_back, 5000));
	/* ...and a second person's start meets the failing disk */
	h_click(&h, APP_ACT_START, 0);
	answer_one(&h);
	while (app_view(h.app)->screen == SCREEN_QUESTION)
		answer_one(&h);
	h_click(&h, APP_ACT_FINISH, 0);
	/* forty failed writes, retried with a back-off: it mends by itself */
	assert_true(step_until(&h, welcome_back, 60000));
	app_flush(h.app);
	assert_int_equal(fault_vfs_failing(), 0);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM sessions WHERE status = 'completed'"), 2);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers a JOIN answers b ON"
	                              " a.session_id = b.session_id AND a.seq = b.seq AND a.id < b.id"), 0);
	h_close(&h);
}

static void
test_stop_mid_session_unfinished_then_interrupted(void **state)
{
	(void)state;
	harness h;
	h_open(&h, "school-day.yaml", 1280, 800, true);
	h_step(&h);
	h_click(&h, APP_ACT_START, 0);
	answer_one(&h);
	answer_one(&h);
	/* the kiosk stops (a signal, the staff Quit: both end in app_destroy) */
	app_destroy(h.app);
	h.app = NULL;
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM sessions WHERE status = 'unfinished'"), 1);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers"), 2);

	/* an earlier run that was killed left one in progress */
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(h.db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
	        "UPDATE sessions SET status = 'in_progress', ended_at = NULL", NULL, NULL, NULL),
	        SQLITE_OK);
	sqlite3_close(db);
	app_options opt = {
		.db_path = h.db, .config = &h.cfg, .flow = h.flow,
		.data_dir = getenv("TELLUS_SOURCE_ROOT"), .windowed = true, .width = 1280,
		.height = 800, .clock = &h.clk.clock,
	};
	tl_error e = { 0 };
	assert_int_equal(app_create(&opt, &h.app, &e), 0);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM sessions WHERE status = 'interrupted'"), 1);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM sessions WHERE ended_at ="
	                              " (SELECT max(given_at) FROM answers)"), 1);
	h_close(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_disk_rest_then_recover),
		cmocka_unit_test(test_io_errors_rest_then_recover),
		cmocka_unit_test(test_stop_mid_session_unfinished_then_interrupted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
