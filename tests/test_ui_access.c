/*
 * test_ui_access: switch access, dwell, the keyboard and the input filters,
 * through the real kiosk loop, headless, with real SDL events and the
 * harness' fake clock.
 *
 * Each demo flow is finished five ways: one switch scanning by itself (the
 * press comes when the highlight reaches the wanted target), one switch tap
 * and hold, two switches, the keyboard alone, and dwell (the pointer rests).
 * Then the real database must hold every answer with the way it was given.
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

#define W 1280
#define H 800

typedef struct expect {
	char question[64];
	char kind[16];
	char ids[128];
} expect;

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
			int before = v->question_number;
			press(h, APP_ACT_ANSWER, pick);
			assert_int_not_equal(app_view(h->app)->question_number * 100 + (int)app_view(h->app)->screen,
			                     before * 100 + SCREEN_QUESTION);
			snprintf(e->kind, sizeof e->kind, "chosen");
			snprintf(e->ids, sizeof e->ids, "%s", q->answers[pick].id);
		}
		n++;
	}
	assert_int_equal(app_view(h->app)->screen, SCREEN_THANKS);
	return n;
}

static void
check_db(harness *h, const expect *ex, int n, const char *method)
{
	app_flush(h->app);
	char sql[512], buf[300];
	assert_int_equal(h_sql_int(h, "SELECT count(*) FROM sessions"), 1);
	h_sql_text(h, "SELECT status FROM sessions", buf, sizeof buf);
	assert_string_equal(buf, "completed");
	assert_int_equal(h_sql_int(h, "SELECT count(*) FROM answers"), n);
	for (int i = 0; i < n; i++) {
		snprintf(sql, sizeof sql, "SELECT question_id || '/' || kind || '/' || " SQL_ANSWER_IDS " || '/' || input_method"
		         " FROM answers WHERE seq = %d", i + 1);
		h_sql_text(h, sql, buf, sizeof buf);
		char want[8192];
		snprintf(want, sizeof want, "%s/%s/%s/%s", ex[i].question, ex[i].kind, ex[i].ids, method);
		assert_string_equal(buf, want);
	}
}

static enum access_method method_now;

static void
tweak_method(kiosk_config *c)
{
	c->access.method = method_now;
}

static void
run(const char *flow_file, enum access_method m, int variant, void (*press)(harness *, int, int),
    const char *stored)
{
	harness h;
	method_now = m;
	h_open_cfg(&h, flow_file, W, H, tweak_method);
	expect ex[32];
	int n = finish_flow(&h, ex, 32, variant, press);
	assert_true(n >= 3);
	check_db(&h, ex, n, stored);
	h_close(&h);
}

static const char *const flows[] = { "school-day.yaml", "clinic-visit.yaml", "co-production.yaml" };

static void
all_flows(enum access_method m, void (*press)(harness *, int, int), const char *stored)
{
	for (size_t i = 0; i < sizeof flows / sizeof flows[0]; i++)
		run(flows[i], m, (int)i % 2, press, stored);
	/* Skip and "I don't want to say" are reached the same way. */
	run("school-day.yaml", m, 2, press, stored);
}

static void scan_flows(void **s) { (void)s; all_flows(ACCESS_SCAN, h_press_scan, "switch"); }
static void tap_hold_flows(void **s) { (void)s; all_flows(ACCESS_TAP_HOLD, h_press_tap_hold, "switch"); }
static void two_switch_flows(void **s) { (void)s; all_flows(ACCESS_TWO_SWITCH, h_press_two, "switch"); }
static void keyboard_flows(void **s) { (void)s; all_flows(ACCESS_TOUCH, h_press_keyboard, "keyboard"); }
static void dwell_flows(void **s) { (void)s; all_flows(ACCESS_DWELL, h_press_dwell, "dwell"); }

/* Scanning reaches Back too, and it goes back. */
static void
scan_reaches_back(void **s)
{
	(void)s;
	harness h;
	method_now = ACCESS_SCAN;
	h_open_cfg(&h, "school-day.yaml", W, H, tweak_method);
	h_press_scan(&h, APP_ACT_START, 0);
	h_press_scan(&h, APP_ACT_ANSWER, 0);
	int q = app_view(h.app)->question_index;
	assert_true(q > 0);
	assert_true(h_target_index(&h, APP_ACT_BACK, 0) >= 0);
	h_press_scan(&h, APP_ACT_BACK, 0);
	assert_true(app_view(h.app)->question_index < q);
	h_close(&h);
}

static void
tweak_rest(kiosk_config *c)
{
	c->access.method = ACCESS_SCAN;
	c->access.scan_rounds = 1;
	c->access.scan_interval_ms = 750;
}

/* After its rounds scanning rests with no highlight; a press wakes it and
 * chooses nothing, and that shows on the very next frame. */
static void
scan_rests_and_wakes(void **s)
{
	(void)s;
	harness h;
	h_open_cfg(&h, "school-day.yaml", W, H, tweak_rest);
	h_press_scan(&h, APP_ACT_START, 0);
	assert_true(app_focus(h.app) >= 0);
	/* One round of at most 12 targets, well before "are you still there?". */
	h_advance(&h, 12 * 750 + 1000);
	h_step(&h);
	assert_int_equal(app_view(h.app)->screen, SCREEN_QUESTION);
	assert_int_equal(app_focus(h.app), -1);
	int q = app_view(h.app)->question_number;
	uint64_t f = app_frames(h.app);
	h_key(&h, SDLK_SPACE, 0);
	assert_true(app_frames(h.app) > f);
	assert_true(app_focus(h.app) >= 0);
	assert_int_equal(app_view(h.app)->question_number, q);
	app_flush(h.app);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers"), 0);
	h_close(&h);
}

static void
tweak_keys(kiosk_config *c)
{
	c->access.method = ACCESS_TWO_SWITCH;
	snprintf(c->access.switch_keys[0], sizeof c->access.switch_keys[0], "F1");
	snprintf(c->access.switch_keys[1], sizeof c->access.switch_keys[1], "F2");
}

/* The settings name the switch keys: F1 steps, F2 chooses, and Space and
 * Enter are then plain keys again. */
static void
configured_switch_keys(void **s)
{
	(void)s;
	harness h;
	h_open_cfg(&h, "school-day.yaml", W, H, tweak_keys);
	h_click(&h, APP_ACT_START, 0);
	int first = app_focus(h.app);
	h_push_key(&h, SDLK_F1, true);
	h_push_key(&h, SDLK_F1, false);
	h_step(&h);
	assert_true(app_focus(h.app) >= 0);
	assert_int_not_equal(app_focus(h.app), first);
	int q = app_view(h.app)->question_number;
	h_key(&h, SDLK_F2, 0);
	h_step(&h);
	app_flush(h.app);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers WHERE input_method = 'switch'"), 1);
	assert_int_equal(app_view(h.app)->question_number, q + 1);
	h_close(&h);
}

/* A switch user's every press is seen on the next frame: a step moves the
 * ring on screen (pixels differ), a hold shows its filling ring. */
static void
press_shows_next_frame(void **s)
{
	(void)s;
	harness h;
	method_now = ACCESS_TAP_HOLD;
	h_open_cfg(&h, "school-day.yaml", W, H, tweak_method);
	h_press_tap_hold(&h, APP_ACT_START, 0);
	SDL_Surface *a = app_screenshot(h.app);
	h_push_key(&h, SDLK_SPACE, true);
	uint64_t f = app_frames(h.app);
	h_step(&h);
	assert_true(app_frames(h.app) > f);
	h_advance(&h, h.cfg.access.switch_hold_ms / 2);
	h_step(&h);
	SDL_Surface *b = app_screenshot(h.app);
	h_push_key(&h, SDLK_SPACE, false);
	h_step(&h);
	SDL_Surface *c = app_screenshot(h.app);
	assert_int_equal(a->h * a->pitch, b->h * b->pitch);
	assert_true(memcmp(a->pixels, b->pixels, (size_t)(a->h * a->pitch)) != 0);
	assert_true(memcmp(b->pixels, c->pixels, (size_t)(a->h * a->pitch)) != 0);
	assert_true(memcmp(a->pixels, c->pixels, (size_t)(a->h * a->pitch)) != 0);
	const char *keep = getenv("TELLUS_ACCESS_PNG");
	if (keep) {
		char p[512];
		snprintf(p, sizeof p, "%s/hold.png", keep);
		h_save_png(b, p);
		snprintf(p, sizeof p, "%s/moved.png", keep);
		h_save_png(c, p);
	}
	SDL_FreeSurface(a);
	SDL_FreeSurface(b);
	SDL_FreeSurface(c);
	h_close(&h);
}

static void
dwell_ring_png(void **s)
{
	(void)s;
	harness h;
	method_now = ACCESS_DWELL;
	h_open_cfg(&h, "school-day.yaml", W, H, tweak_method);
	h_press_dwell(&h, APP_ACT_START, 0);
	int x, y;
	assert_true(h_center(&h, APP_ACT_ANSWER, 1, &x, &y));
	h_mouse(&h, SDL_MOUSEMOTION, x, y);
	h_step(&h);
	SDL_Surface *a = app_screenshot(h.app);
	h_advance(&h, 600);
	h_step(&h);
	SDL_Surface *b = app_screenshot(h.app);
	assert_true(memcmp(a->pixels, b->pixels, (size_t)(a->h * a->pitch)) != 0);
	const char *keep = getenv("TELLUS_ACCESS_PNG");
	if (keep) {
		char p[512];
		snprintf(p, sizeof p, "%s/dwell.png", keep);
		h_save_png(b, p);
	}
	SDL_FreeSurface(a);
	SDL_FreeSurface(b);
	/* Resting on after the choice chooses nothing more. */
	h_advance(&h, 500);
	h_step(&h);
	int qn = app_view(h.app)->question_number;
	app_flush(h.app);
	int64_t n = h_sql_int(&h, "SELECT count(*) FROM answers");
	assert_int_equal(n, 1);
	h_close(&h);
	(void)qn;
}

/* ---- filters ------------------------------------------------------------ */

static void
tweak_min_hold(kiosk_config *c)
{
	c->access.min_hold_ms = 200;
}

static void
short_touch_ignored(void **s)
{
	(void)s;
	harness h;
	h_open_cfg(&h, "school-day.yaml", W, H, tweak_min_hold);
	h_click(&h, APP_ACT_START, 0);  /* h_click holds 80 ms: too short */
	assert_int_equal(app_view(h.app)->screen, SCREEN_WELCOME);
	int x, y;
	assert_true(h_center(&h, APP_ACT_START, 0, &x, &y));
	h_finger(&h, SDL_FINGERDOWN, 3, x, y);
	h_step(&h);
	h_advance(&h, 250);
	h_finger(&h, SDL_FINGERUP, 3, x, y);
	h_step(&h);
	assert_int_equal(app_view(h.app)->screen, SCREEN_QUESTION);
	h_advance(&h, 400);
	assert_true(h_center(&h, APP_ACT_ANSWER, 0, &x, &y));
	h_finger(&h, SDL_FINGERDOWN, 4, x, y);
	h_step(&h);
	h_advance(&h, 50);
	h_finger(&h, SDL_FINGERUP, 4, x, y);
	h_step(&h);
	h_advance(&h, 400);
	h_step(&h);
	assert_int_equal(app_view(h.app)->question_number, 1);
	app_flush(h.app);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers"), 0);
	h_finger(&h, SDL_FINGERDOWN, 5, x, y);
	h_step(&h);
	h_advance(&h, 210);
	h_finger(&h, SDL_FINGERUP, 5, x, y);
	h_step(&h);
	assert_int_equal(app_view(h.app)->question_number, 2);
	app_flush(h.app);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers"), 1);
	h_close(&h);
}

/* Three quick taps in one place: the first answers, the other two land on
 * the next question's card inside the guard and answer nothing. Both
 * questions take one answer, so without the guard the repeats would answer
 * the next question and leave it (a "choose several" question would only
 * toggle, and could not show the guard missing). */
static void
three_taps_one_answer(void **s)
{
	(void)s;
	harness h;
	h_open(&h, "clinic-visit.yaml", W, H, true);
	h_click(&h, APP_ACT_START, 0);
	assert_int_equal(app_view(h.app)->question->type, QT_CHOOSE_ONE);
	int x, y;
	assert_true(h_center(&h, APP_ACT_ANSWER, 0, &x, &y));
	char next_id[64] = "";
	for (int i = 0; i < 3; i++) {
		h_mouse(&h, SDL_MOUSEBUTTONDOWN, x, y);
		h_step(&h);
		h_advance(&h, 40);
		h_mouse(&h, SDL_MOUSEBUTTONUP, x, y);
		h_step(&h);
		h_advance(&h, 60);  /* three taps inside 300 ms */
		if (i == 0) {
			const session_view *v = app_view(h.app);
			assert_int_equal(v->question_number, 2);
			assert_int_not_equal(v->question->type, QT_CHOOSE_MANY);
			snprintf(next_id, sizeof next_id, "%s", v->question->id);
			/* The repeats land on an answer card of the next question. */
			assert_int_equal(h_action_at(&h, x, y), APP_ACT_ANSWER);
		}
	}
	assert_int_equal(app_view(h.app)->question_number, 2);
	app_flush(h.app);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers"), 1);
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM answers WHERE question_id = '%s'", next_id);
	assert_int_equal(h_sql_int(&h, sql), 0);
	h_close(&h);
}

static void
tweak_on_press(kiosk_config *c)
{
	c->access.select_on_press = true;
}

static void
select_on_press_chooses(void **s)
{
	(void)s;
	harness h;
	h_open_cfg(&h, "school-day.yaml", W, H, tweak_on_press);
	int x, y;
	assert_true(h_center(&h, APP_ACT_START, 0, &x, &y));
	h_mouse(&h, SDL_MOUSEBUTTONDOWN, x, y);
	h_step(&h);
	assert_int_equal(app_view(h.app)->screen, SCREEN_QUESTION);
	h_mouse(&h, SDL_MOUSEBUTTONUP, x, y);  /* its release presses nothing */
	h_step(&h);
	h_advance(&h, 400);
	assert_int_equal(app_view(h.app)->question_number, 1);
	assert_true(h_center(&h, APP_ACT_ANSWER, 1, &x, &y));
	h_mouse(&h, SDL_MOUSEBUTTONDOWN, x, y);
	h_step(&h);
	assert_int_equal(app_view(h.app)->question_number, 2);
	h_mouse(&h, SDL_MOUSEBUTTONUP, x, y);
	h_step(&h);
	app_flush(h.app);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers"), 1);
	h_close(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scan_flows),
		cmocka_unit_test(tap_hold_flows),
		cmocka_unit_test(two_switch_flows),
		cmocka_unit_test(keyboard_flows),
		cmocka_unit_test(dwell_flows),
		cmocka_unit_test(scan_reaches_back),
		cmocka_unit_test(scan_rests_and_wakes),
		cmocka_unit_test(configured_switch_keys),
		cmocka_unit_test(press_shows_next_frame),
		cmocka_unit_test(dwell_ring_png),
		cmocka_unit_test(short_touch_ignored),
		cmocka_unit_test(three_taps_one_answer),
		cmocka_unit_test(select_on_press_chooses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
