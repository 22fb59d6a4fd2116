/*
 * test_ui: the kiosk's front end, headless, through its real event loop.
 *
 * Every test pushes real SDL events (mouse, finger, key, quit) into SDL's
 * queue and lets app_step take them, with a fake clock for timers; then it
 * reads the real SQLite file with a separate connection.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui_harness.h"
#include "store_sql.h"

typedef struct expect {
	char question[64];
	char kind[16];
	char ids[128];
} expect;

/* Answers every question of the flow the way `pick` says, returning what
 * should now be in the database, in order. */
static int
finish_flow(harness *h, expect *ex, int max, int variant, void (*press)(harness *, int, int))
{
	int n = 0;
	press(h, APP_ACT_START, 0);
	assert_int_equal(app_view(h->app)->screen, SCREEN_QUESTION);
	int guard = 0;
	while (app_view(h->app)->screen == SCREEN_QUESTION && guard++ < 50) {
		const session_view *v = app_view(h->app);
		const flow_question *q = v->question;
		assert_true(n < max);
		expect *e = &ex[n];
		snprintf(e->question, sizeof e->question, "%s", q->id);
		int pick = (int)((v->question_index + variant) % (int)q->n_answers);
		if (variant == 2 && v->question_number == 2) {
			press(h, APP_ACT_SKIP, 0);
			snprintf(e->kind, sizeof e->kind, "skipped");
			e->ids[0] = '\0';
		} else if (variant == 2 && v->question_number == 3) {
			press(h, APP_ACT_DECLINE, 0);
			snprintf(e->kind, sizeof e->kind, "declined");
			e->ids[0] = '\0';
		} else if (q->type == QT_CHOOSE_MANY) {
			int other = (pick + 1) % (int)q->n_answers;
			int lo = pick < other ? pick : other, hi = pick < other ? other : pick;
			press(h, APP_ACT_ANSWER, pick);
			press(h, APP_ACT_ANSWER, other);
			assert_true(app_view(h->app)->selected[pick]);
			assert_true(app_view(h->app)->selected[other]);
			press(h, APP_ACT_DONE, 0);
			snprintf(e->kind, sizeof e->kind, "chosen");
			snprintf(e->ids, sizeof e->ids, "%s %s", q->answers[lo].id, q->answers[hi].id);
		} else {
			press(h, APP_ACT_ANSWER, pick);
			snprintf(e->kind, sizeof e->kind, "chosen");
			snprintf(e->ids, sizeof e->ids, "%s", q->answers[pick].id);
		}
		n++;
	}
	assert_int_equal(app_view(h->app)->screen, SCREEN_THANKS);
	return n;
}

static void
check_db(harness *h, const expect *ex, int n, const char *method, const char *status)
{
	app_flush(h->app);
	char sql[512], buf[256];
	assert_int_equal(h_sql_int(h, "SELECT count(*) FROM sessions"), 1);
	h_sql_text(h, "SELECT status FROM sessions", buf, sizeof buf);
	assert_string_equal(buf, status);
	snprintf(sql, sizeof sql, "SELECT flow_id FROM sessions");
	h_sql_text(h, sql, buf, sizeof buf);
	assert_string_equal(buf, h->flow->id);
	h_sql_text(h, "SELECT flow_hash FROM sessions", buf, sizeof buf);
	assert_string_equal(buf, h->flow->hash);
	assert_int_equal(h_sql_int(h, "SELECT count(*) FROM answers"), n);
	for (int i = 0; i < n; i++) {
		snprintf(sql, sizeof sql, "SELECT question_id || '/' || kind || '/' || " SQL_ANSWER_IDS " || '/' || input_method"
		         " FROM answers WHERE seq = %d", i + 1);
		h_sql_text(h, sql, buf, sizeof buf);
		char want[300];
		snprintf(want, sizeof want, "%s/%s/%s/%s", ex[i].question, ex[i].kind, ex[i].ids, method);
		assert_string_equal(buf, want);
	}
	/* Times are stored and sensible. */
	assert_int_equal(h_sql_int(h, "SELECT count(*) FROM answers WHERE time_taken_ms < 0"), 0);
	assert_int_equal(h_sql_int(h, "SELECT count(*) FROM sessions WHERE started_at NOT LIKE '____-__-__T__:__:__.___Z'"), 0);
}

static void press_mouse(harness *h, int action, int arg) { h_click(h, action, arg); }

static void
press_finger(harness *h, int action, int arg)
{
	int x, y;
	assert_true(h_center(h, action, arg, &x, &y));
	h_finger(h, SDL_FINGERDOWN, 7, x, y);
	h_step(h);
	h_finger(h, SDL_FINGERMOTION, 7, x + 3, y + 2);
	h_step(h);
	h_finger(h, SDL_FINGERUP, 7, x + 3, y + 2);
	h_step(h);
	h_advance(h, 400);
	h_step(h);
}

static void
finish_and_return(harness *h)
{
	/* The thank-you screen goes back to welcome by itself. */
	app_flush(h->app);
	h_advance(h, h->cfg.timing.thanks_ms + 10);
	h_step(h);
	assert_int_equal(app_view(h->app)->screen, SCREEN_WELCOME);
	assert_string_equal(app_view(h->app)->session_id, "");
}

static void
run_demo(const char *file, int variant)
{
	harness h;
	h_open(&h, file, 1280, 800, true);
	expect ex[32];
	int n = finish_flow(&h, ex, 32, variant, press_mouse);
	assert_true(n >= 3);
	check_db(&h, ex, n, "mouse", "completed");
	finish_and_return(&h);
	h_close(&h);
}

static void demo_school(void **s) { (void)s; run_demo("school-day.yaml", 0); }
static void demo_clinic(void **s) { (void)s; run_demo("clinic-visit.yaml", 1); }
static void demo_coprod(void **s) { (void)s; run_demo("co-production.yaml", 0); }
static void demo_skip_decline(void **s) { (void)s; run_demo("school-day.yaml", 2); }

static void
touch_finishes_flow(void **s)
{
	(void)s;
	harness h;
	h_open(&h, "clinic-visit.yaml", 1024, 600, true);
	expect ex[32];
	int n = finish_flow(&h, ex, 32, 0, press_finger);
	check_db(&h, ex, n, "touch", "completed");
	h_close(&h);
}

static void
slide_off_cancels(void **s)
{
	(void)s;
	harness h;
	h_open(&h, "school-day.yaml", 1280, 800, true);
	h_click(&h, APP_ACT_START, 0);
	int x, y, bx, by;
	assert_true(h_center(&h, APP_ACT_ANSWER, 0, &x, &y));
	assert_true(h_center(&h, APP_ACT_SKIP, 0, &bx, &by));
	int q = app_view(h.app)->question_index;
	h_mouse(&h, SDL_MOUSEBUTTONDOWN, x, y);
	h_step(&h);
	h_mouse(&h, SDL_MOUSEMOTION, bx, by);
	h_step(&h);
	h_mouse(&h, SDL_MOUSEBUTTONUP, bx, by);  /* released on another target */
	h_step(&h);
	h_advance(&h, 500);
	h_step(&h);
	assert_int_equal(app_view(h.app)->question_index, q);
	app_flush(h.app);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers"), 0);
	/* Sliding back in before lifting re-arms the choice. */
	h_mouse(&h, SDL_MOUSEBUTTONDOWN, x, y);
	h_step(&h);
	h_mouse(&h, SDL_MOUSEMOTION, bx, by);
	h_step(&h);
	h_mouse(&h, SDL_MOUSEMOTION, x, y);
	h_step(&h);
	h_mouse(&h, SDL_MOUSEBUTTONUP, x, y);
	h_step(&h);
	app_flush(h.app);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers"), 1);
	h_close(&h);
}

/* A quick double tap: the first answers, the second lands on the next
 * question within 300 ms and must not answer it. Both questions take one
 * answer, so without the guard the second tap would answer the next
 * question too and move on (on a "choose several" question it would only
 * toggle a card, which this test could not tell from the guard working). */
static void
second_tap_is_not_second_answer(void **s)
{
	(void)s;
	harness h;
	h_open(&h, "clinic-visit.yaml", 1280, 800, true);
	h_click(&h, APP_ACT_START, 0);
	assert_int_equal(app_view(h.app)->question->type, QT_CHOOSE_ONE);
	int x, y;
	assert_true(h_center(&h, APP_ACT_ANSWER, 0, &x, &y));
	h_mouse(&h, SDL_MOUSEBUTTONDOWN, x, y);
	h_mouse(&h, SDL_MOUSEBUTTONUP, x, y);
	h_step(&h);
	h_advance(&h, 120);
	const session_view *v = app_view(h.app);
	int q_after_first = v->question_index;
	assert_int_equal(v->question_number, 2);
	assert_int_not_equal(v->question->type, QT_CHOOSE_MANY);
	char next_id[64];
	snprintf(next_id, sizeof next_id, "%s", v->question->id);
	/* The repeat tap lands on an answer card of the next question. */
	assert_int_equal(h_action_at(&h, x, y), APP_ACT_ANSWER);
	h_mouse(&h, SDL_MOUSEBUTTONDOWN, x, y);
	h_step(&h);
	h_advance(&h, 60);
	h_mouse(&h, SDL_MOUSEBUTTONUP, x, y);
	h_step(&h);
	assert_int_equal(app_view(h.app)->question_index, q_after_first);
	assert_int_equal(app_view(h.app)->question_number, 2);
	app_flush(h.app);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers"), 1);
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM answers WHERE question_id = '%s'", next_id);
	assert_int_equal(h_sql_int(&h, sql), 0);
	/* After the interval a tap counts again. */
	h_advance(&h, 400);
	h_click(&h, APP_ACT_SKIP, 0);
	app_flush(h.app);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers"), 2);
	h_close(&h);
}

static void
two_fingers_choose_one_thing(void **s)
{
	(void)s;
	harness h;
	h_open(&h, "school-day.yaml", 1280, 800, true);
	h_click(&h, APP_ACT_START, 0);
	const flow_question *q = app_view(h.app)->question;
	int ax, ay, bx, by;
	assert_true(h_center(&h, APP_ACT_ANSWER, 0, &ax, &ay));
	assert_true(h_center(&h, APP_ACT_ANSWER, 1, &bx, &by));
	h_finger(&h, SDL_FINGERDOWN, 1, ax, ay);
	h_finger(&h, SDL_FINGERDOWN, 2, bx, by);
	h_step(&h);
	h_finger(&h, SDL_FINGERUP, 2, bx, by);
	h_step(&h);
	h_finger(&h, SDL_FINGERUP, 1, ax, ay);
	h_step(&h);
	app_flush(h.app);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers"), 1);
	char buf[128];
	h_sql_text(&h, "SELECT " SQL_ANSWER_IDS " FROM answers", buf, sizeof buf);
	assert_string_equal(buf, q->answers[0].id);
	h_close(&h);
}

static void
press_key(harness *h, int action, int arg)
{
	/* Move the focus with Tab until it is on the target, then Enter. The
	 * screen after an answer waits for its commit first, and keys pushed
	 * while it waits are all taken at once after: wait, so each Tab is
	 * seen before the next. */
	app_wait_hold(h->app);
	h_step(h);
	int x, y;
	assert_true(h_center(h, action, arg, &x, &y));
	ui_rect rects[32];
	int acts[32];
	int n = app_targets(h->app, rects, acts, 32);
	int want = -1;
	for (int i = 0; i < n; i++)
		if (rects[i].x + rects[i].w / 2 == x && rects[i].y + rects[i].h / 2 == y)
			want = i;
	assert_true(want >= 0);
	/* The first key only shows the focus; Tab then moves it in order. */
	if (app_focus(h->app) < 0)
		h_key(h, SDLK_TAB, 0);
	for (int i = 0; i < n && app_focus(h->app) != want; i++)
		h_key(h, SDLK_TAB, 0);
	assert_int_equal(app_focus(h->app), want);
	h_key(h, SDLK_RETURN, 0);
}

static void
keyboard_finishes_flow(void **s)
{
	(void)s;
	harness h;
	h_open(&h, "co-production.yaml", 1280, 800, true);
	expect ex[32];
	int n = finish_flow(&h, ex, 32, 1, press_key);
	check_db(&h, ex, n, "keyboard", "completed");
	h_close(&h);
}

static void
arrows_move_focus_spatially(void **s)
{
	(void)s;
	harness h;
	h_open(&h, "school-day.yaml", 1280, 800, true);
	h_click(&h, APP_ACT_START, 0);
	/* First key shows focus on answer 0; Right moves to answer 1; Enter
	 * chooses it. */
	h_key(&h, SDLK_RIGHT, 0);
	h_key(&h, SDLK_RIGHT, 0);
	const flow_question *q = app_view(h.app)->question;
	h_key(&h, SDLK_RETURN, 0);
	app_flush(h.app);
	char buf[128];
	h_sql_text(&h, "SELECT " SQL_ANSWER_IDS " FROM answers WHERE seq = 1", buf, sizeof buf);
	if (q->type == QT_CHOOSE_MANY)
		assert_true(app_view(h.app)->selected[1]);
	else
		assert_string_equal(buf, q->answers[1].id);
	h_close(&h);
}

static void
walk_away_resets(void **s)
{
	(void)s;
	harness h;
	h_open(&h, "school-day.yaml", 1280, 800, true);
	h_click(&h, APP_ACT_START, 0);
	h_click(&h, APP_ACT_ANSWER, 0);
	/* Quiet: the kiosk asks if anyone is there. */
	h_advance(&h, h.cfg.timing.idle_ms + 5);
	h_step(&h);
	assert_int_equal(app_view(h.app)->screen, SCREEN_STILL_THERE);
	/* A touch anywhere carries on with the same question. */
	int q = app_view(h.app)->question_index;
	h_mouse(&h, SDL_MOUSEBUTTONDOWN, 5, 5);
	h_mouse(&h, SDL_MOUSEBUTTONUP, 5, 5);
	h_step(&h);
	assert_int_equal(app_view(h.app)->screen, SCREEN_QUESTION);
	assert_int_equal(app_view(h.app)->question_index, q);
	app_flush(h.app);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers"), 1);
	/* Walk away for good: the session is kept, unfinished, and the screen
	 * resets with nothing of theirs left. */
	h_advance(&h, h.cfg.timing.idle_ms + 5);
	h_step(&h);
	assert_int_equal(app_view(h.app)->screen, SCREEN_STILL_THERE);
	assert_true(h.cfg.timing.still_there_ms >= 20000);
	h_advance(&h, h.cfg.timing.still_there_ms - 1000);
	h_step(&h);
	assert_int_equal(app_view(h.app)->screen, SCREEN_STILL_THERE);
	h_advance(&h, 1010);
	h_step(&h);
	app_flush(h.app);
	h_step(&h);
	assert_int_equal(app_view(h.app)->screen, SCREEN_WELCOME);
	assert_string_equal(app_view(h.app)->session_id, "");
	for (int i = 0; i < SESSION_MAX_CHOICES; i++)
		assert_false(app_view(h.app)->selected[i]);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM sessions WHERE status = 'unfinished' AND ended_at IS NOT NULL"), 1);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers"), 1);
	h_close(&h);
}

static void
kiosk_mode_does_not_quit(void **s)
{
	(void)s;
	harness h;
	h_open(&h, "school-day.yaml", 1280, 800, false);
	SDL_Event ev = { .type = SDL_QUIT };
	SDL_PushEvent(&ev);
	assert_true(app_step(h.app, 0));
	h_key(&h, SDLK_ESCAPE, 0);
	assert_true(app_step(h.app, 0));
	assert_int_equal(app_view(h.app)->screen, SCREEN_WELCOME);
	h_close(&h);

	h_open(&h, "school-day.yaml", 1280, 800, true);
	SDL_PushEvent(&ev);
	assert_false(app_step(h.app, 0));
	h_close(&h);
}

static void
back_and_change_adds_row(void **s)
{
	(void)s;
	harness h;
	h_open(&h, "school-day.yaml", 1280, 800, true);
	h_click(&h, APP_ACT_START, 0);
	const flow_question *q0 = app_view(h.app)->question;
	h_click(&h, APP_ACT_SKIP, 0);
	assert_true(app_view(h.app)->can_back);
	h_click(&h, APP_ACT_BACK, 0);
	assert_ptr_equal(app_view(h.app)->question, q0);
	if (q0->type == QT_CHOOSE_MANY) {
		h_click(&h, APP_ACT_ANSWER, 0);
		h_click(&h, APP_ACT_DONE, 0);
	} else {
		h_click(&h, APP_ACT_ANSWER, 0);
	}
	app_flush(h.app);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers"), 2);
	char sql[200], buf[64];
	snprintf(sql, sizeof sql, "SELECT kind FROM answers WHERE seq = 1 AND question_id = '%s'", q0->id);
	h_sql_text(&h, sql, buf, sizeof buf);
	assert_string_equal(buf, "skipped");
	snprintf(sql, sizeof sql, "SELECT kind FROM answers WHERE seq = 2 AND question_id = '%s'", q0->id);
	h_sql_text(&h, sql, buf, sizeof buf);
	assert_string_equal(buf, "chosen");
	h_close(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(demo_school),
		cmocka_unit_test(demo_clinic),
		cmocka_unit_test(demo_coprod),
		cmocka_unit_test(demo_skip_decline),
		cmocka_unit_test(touch_finishes_flow),
		cmocka_unit_test(slide_off_cancels),
		cmocka_unit_test(second_tap_is_not_second_answer),
		cmocka_unit_test(two_fingers_choose_one_thing),
		cmocka_unit_test(keyboard_finishes_flow),
		cmocka_unit_test(arrows_move_focus_spatially),
		cmocka_unit_test(walk_away_resets),
		cmocka_unit_test(kiosk_mode_does_not_quit),
		cmocka_unit_test(back_and_change_adds_row),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
