/*
 * test_ui_chrome: every question type has the same ways out, through the
 * real app headless with real SDL events.
 * - On each type (feelings, yes/no, choose-one, choose-many, sort, text,
 *   draw)
 *   "I've finished", Skip, "I don't want to say" and the access button
 *   are there once, Back from the second question on, Done where the type
 *   needs one, and the progress words.
 * - They are in the same places on every type, landscape and portrait
 *   (Skip, "I don't want to say" and Done the same among the types with
 *   Done), and "2 of 5" at the same height between Back and "I've
 *   finished".
 * - "I've finished" on each type ends the turn at once: the thank-you,
 *   and in the database the session completed_early, ended, with the
 *   answers (skips) given before it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ui_harness.h"

typedef struct kind {
	const char *flow;
	enum question_type type;
	bool done;     /* the type has its own Done */
} kind;

static const kind kinds[] = {
	{ "school-day.yaml", QT_FEELINGS, false },
	{ "school-day.yaml", QT_YES_NO, false },
	{ "school-day.yaml", QT_CHOOSE_ONE, false },
	{ "school-day.yaml", QT_CHOOSE_MANY, true },
	{ "more-ways.yaml", QT_SORT, true },
	{ "more-ways.yaml", QT_TEXT, true },
	{ "more-ways.yaml", QT_DRAW, true },
};
#define N_KINDS (sizeof kinds / sizeof kinds[0])

/* Start, then Skip until a question of k's type, from the second question
 * on (so Back is there). Returns the skips it took (the answers stored). */
static int
reach(harness *h, const kind *k)
{
	h_click(h, APP_ACT_START, 0);
	int skips = 0;
	for (;;) {
		const session_view *v = app_view(h->app);
		assert_int_equal(v->screen, SCREEN_QUESTION);
		if (v->question->type == k->type && v->question_number >= 2)
			return skips;
		h_click(h, APP_ACT_SKIP, 0);
		assert_true(++skips < 20);
	}
}

/* The rectangle of the only target doing action (fails the test unless
 * there is exactly one). */
static ui_rect
only(harness *h, int action)
{
	ui_rect r[64], got = { 0 };
	int acts[64];
	int n = app_targets(h->app, r, acts, 64), k = 0;
	for (int i = 0; i < n; i++)
		if (acts[i] == action) {
			got = r[i];
			k++;
		}
	if (k != 1)
		fail_msg("action %d: %d targets, want 1", action, k);
	return got;
}

/* The box of the words "N of M" on the screen just drawn. */
static ui_rect
progress_box(harness *h)
{
	const session_view *v = app_view(h->app);
	char want[32];
	snprintf(want, sizeof want, "%d of %d", v->question_number, v->question_total);
	assert_true(h_has_text(h, want));
	ui_rect r[256];
	const char *t[256];
	int n = app_text_boxes(h->app, r, t, 256);
	for (int i = 0; i < n; i++)
		if (strcmp(t[i], want) == 0)
			return r[i];
	fail_msg("no \"%s\"", want);
	return r[0];
}

static void
assert_same(ui_rect a, ui_rect b, const char *what, enum question_type t)
{
	if (a.x != b.x || a.y != b.y || a.w != b.w || a.h != b.h)
		fail_msg("%s on type %d: %d,%d %dx%d, on the first type %d,%d %dx%d", what, (int)t, b.x,
		         b.y, b.w, b.h, a.x, a.y, a.w, a.h);
}

/* The chrome's targets of one screen, one each. */
typedef struct chrome {
	ui_rect back, finished, access, skip, decline, done, progress;
} chrome;

static chrome
chrome_of(harness *h, const kind *k)
{
	chrome c = { 0 };
	c.back = only(h, APP_ACT_BACK);
	c.finished = only(h, APP_ACT_FINISH_EARLY);
	c.access = only(h, APP_ACT_OPEN_ACCESS);
	c.skip = only(h, APP_ACT_SKIP);
	c.decline = only(h, APP_ACT_DECLINE);
	if (k->done)
		c.done = only(h, APP_ACT_DONE);
	c.progress = progress_box(h);
	return c;
}

static void
same_everywhere_at(int w, int hp)
{
	chrome first = { 0 }, first_done = { 0 };
	bool have_done = false;
	for (size_t i = 0; i < N_KINDS; i++) {
		const kind *k = &kinds[i];
		harness h;
		h_open(&h, k->flow, w, hp, true);
		reach(&h, k);
		chrome c = chrome_of(&h, k);
		if (!k->done)
			assert_int_equal(h_count_action(&h, APP_ACT_DONE), 0);
		if (i == 0)
			first = c;
		assert_same(first.back, c.back, "Back", k->type);
		assert_same(first.finished, c.finished, "I've finished", k->type);
		assert_same(first.access, c.access, "the access button", k->type);
		/* the progress at one height, between Back and "I've finished"
		 * (its width follows the flow's length) */
		assert_int_equal(c.progress.y, first.progress.y);
		assert_int_equal(c.progress.h, first.progress.h);
		assert_true(c.progress.x >= c.back.x + c.back.w);
		assert_true(c.progress.x + c.progress.w <= c.finished.x);
		if (!k->done) {
			assert_same(first.skip, c.skip, "Skip", k->type);
			assert_same(first.decline, c.decline, "I don't want to say", k->type);
		} else {
			if (!have_done)
				first_done = c;
			have_done = true;
			assert_same(first_done.skip, c.skip, "Skip", k->type);
			assert_same(first_done.decline, c.decline, "I don't want to say", k->type);
			assert_same(first_done.done, c.done, "Done", k->type);
		}
		/* nothing of the chrome lies on another of its parts */
		const ui_rect parts[] = { c.back, c.finished, c.access, c.skip, c.decline };
		for (size_t a = 0; a < 5; a++)
			for (size_t b = a + 1; b < 5; b++)
				assert_false(parts[a].x < parts[b].x + parts[b].w &&
				             parts[b].x < parts[a].x + parts[a].w &&
				             parts[a].y < parts[b].y + parts[b].h &&
				             parts[b].y < parts[a].y + parts[a].h);
		h_close(&h);
	}
	assert_true(have_done);
}

static void
same_everywhere_landscape(void **st)
{
	(void)st;
	same_everywhere_at(1280, 800);
}

static void
same_everywhere_portrait(void **st)
{
	(void)st;
	same_everywhere_at(800, 1280);
}

/* The first question has no Back, and everything else. */
static void
first_question_has_the_rest(void **st)
{
	(void)st;
	for (size_t i = 0; i < N_KINDS; i++) {
		harness h;
		h_open(&h, kinds[i].flow, 1280, 800, true);
		h_click(&h, APP_ACT_START, 0);
		const session_view *v = app_view(h.app);
		assert_int_equal(v->question_number, 1);
		assert_int_equal(h_count_action(&h, APP_ACT_BACK), 0);
		assert_int_equal(h_count_action(&h, APP_ACT_FINISH_EARLY), 1);
		assert_int_equal(h_count_action(&h, APP_ACT_SKIP), 1);
		assert_int_equal(h_count_action(&h, APP_ACT_DECLINE), 1);
		assert_int_equal(h_count_action(&h, APP_ACT_OPEN_ACCESS), 1);
		h_close(&h);
	}
}

static void
finished_ends_every_type(void **st)
{
	(void)st;
	for (size_t i = 0; i < N_KINDS; i++) {
		const kind *k = &kinds[i];
		harness h;
		h_open(&h, k->flow, 1280, 800, true);
		int skips = reach(&h, k);
		h_click(&h, APP_ACT_FINISH_EARLY, 0);
		assert_int_equal(app_view(h.app)->screen, SCREEN_THANKS);
		app_flush(h.app);
		char status[32];
		h_sql_text(&h, "SELECT status FROM sessions", status, sizeof status);
		if (strcmp(status, "completed_early") != 0)
			fail_msg("type %d: the session is %s", (int)k->type, status);
		assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM sessions"), 1);
		assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM sessions WHERE ended_at IS NOT NULL"), 1);
		/* the skips before it are kept, and nothing is made up for the
		 * question it was pressed on */
		assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers"), skips);
		assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers WHERE kind <> 'skipped'"), 0);
		h_close(&h);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_everywhere_landscape),
		cmocka_unit_test(same_everywhere_portrait),
		cmocka_unit_test(first_question_has_the_rest),
		cmocka_unit_test(finished_ends_every_type),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
