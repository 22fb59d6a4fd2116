/*
 * test_ui_golden: screenshots of each kind of screen, landscape (1280x800)
 * and portrait (800x1280), compared pixel by pixel with the reviewed PNGs
 * in tests/golden/, and proof that the comparison catches what matters.
 *
 * The software renderer is deterministic, so a golden changes only when
 * the look changes. The rule (h_golden in ui_harness.c): inside the words
 * and badges the app drew (ticks on chosen cards, progress dots) not one
 * pixel may differ; elsewhere each channel may move by H_REST_DELTA and at
 * most H_REST_PIXELS pixels beyond it. A FreeType or SDL release that moves
 * the antialiasing of words therefore means new goldens, looked at one by
 * one: a word is exactly what must not change unseen.
 *
 * On a mismatch the test writes NAME.actual.png into the build folder and
 * fails with the numbers and the first box that differs.
 * TELLUS_UPDATE_GOLDEN=1 writes the goldens instead; look at every one
 * before committing it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui_harness.h"


/* Compares with tests/golden/NAME.png: see h_golden in ui_harness.c. */
static void
golden(harness *h, const char *name)
{
	char msg[1024];
	if (!h_golden(h, name, msg, sizeof msg))
		fail_msg("%s", msg);
}

static const struct orient { const char *name; int w, h; } orients[] = {
	{ "landscape", 1280, 800 },
	{ "portrait", 800, 1280 },
};

static void
shot(harness *h, const char *what, const struct orient *o)
{
	char name[128];
	snprintf(name, sizeof name, "%s-%s", what, o->name);
	golden(h, name);
}

/* Skips until the question with this id shows. */
static void
go_to(harness *h, const char *qid)
{
	if (app_view(h->app)->screen == SCREEN_WELCOME)
		h_click(h, APP_ACT_START, 0);
	for (int i = 0; i < 32; i++) {
		const session_view *v = app_view(h->app);
		assert_int_equal(v->screen, SCREEN_QUESTION);
		if (strcmp(v->question->id, qid) == 0)
			return;
		h_click(h, APP_ACT_SKIP, 0);
	}
	fail_msg("question %s never showed", qid);
}

/* school-day: welcome, a 5-face feelings question, choose-many with two
 * chosen, the yes-no "safe" question, still-there, thanks. */
static void
school_day(void **s)
{
	(void)s;
	for (size_t i = 0; i < 2; i++) {
		const struct orient *o = &orients[i];
		harness h;
		h_open(&h, "school-day.yaml", o->w, o->h, true);
		shot(&h, "welcome", o);

		go_to(&h, "feeling");
		assert_int_equal(app_view(h.app)->question->type, QT_FEELINGS);
		shot(&h, "feelings", o);

		go_to(&h, "activities");
		assert_int_equal(app_view(h.app)->question->type, QT_CHOOSE_MANY);
		h_click(&h, APP_ACT_ANSWER, 1);
		h_click(&h, APP_ACT_ANSWER, 3);
		assert_true(app_view(h.app)->selected[1]);
		assert_true(app_view(h.app)->selected[3]);
		shot(&h, "choose-many", o);

		go_to(&h, "safe");
		assert_int_equal(app_view(h.app)->question->type, QT_YES_NO);
		shot(&h, "yes-no", o);

		h_advance(&h, h.cfg.timing.idle_ms + 5);
		h_step(&h);
		assert_int_equal(app_view(h.app)->screen, SCREEN_STILL_THERE);
		shot(&h, "still-there", o);
		h_click(&h, APP_ACT_STILL_HERE, 0);

		h_click(&h, APP_ACT_ANSWER, 0);   /* yes: safe, straight to thanks */
		assert_int_equal(app_view(h.app)->screen, SCREEN_THANKS);
		/* the golden is the thank-you once the rows are saved */
		app_flush(h.app);
		h_step(&h);
		shot(&h, "thanks", o);
		h_close(&h);
	}
}

/* co-production is easy-read: picture left, sentence right, and answer
 * cards in rows. "result" has the longest answer labels. */
static void
easy_read(void **s)
{
	(void)s;
	for (size_t i = 0; i < 2; i++) {
		const struct orient *o = &orients[i];
		harness h;
		h_open(&h, "co-production.yaml", o->w, o->h, true);
		assert_int_equal(app_view(h.app)->presentation, PRES_EASY_READ);
		go_to(&h, "information");
		shot(&h, "easy-read-feelings", o);
		go_to(&h, "result");
		shot(&h, "easy-read", o);
		h_close(&h);
	}
}

/* The mouse pressed on one of a drawing's places and dragged to another:
 * a line on the page. */
static void
drag(harness *h, int from, int to)
{
	int x0, y0, x1, y1;
	assert_true(h_center(h, APP_ACT_DRAW_STAMP, from, &x0, &y0));
	assert_true(h_center(h, APP_ACT_DRAW_STAMP, to, &x1, &y1));
	h_mouse(h, SDL_MOUSEBUTTONDOWN, x0, y0);
	h_step(h);
	for (int i = 1; i <= 12; i++) {
		h_mouse(h, SDL_MOUSEMOTION, x0 + (x1 - x0) * i / 12, y0 + (y1 - y0) * i / 12);
		h_step(h);
	}
	h_mouse(h, SDL_MOUSEBUTTONUP, x1, y1);
	h_step(h);
	h_advance(h, 400);
	h_step(h);
}

/* A stamp in place `cell`, put as the keyboard puts it: Tab to the place,
 * Enter. */
static void
stamp_by_key(harness *h, int cell)
{
	int x, y;
	assert_true(h_center(h, APP_ACT_DRAW_STAMP, cell, &x, &y));
	ui_rect r[64];
	int acts[64];
	int n = app_targets(h->app, r, acts, 64), want = -1;
	for (int i = 0; i < n; i++)
		if (acts[i] == APP_ACT_DRAW_STAMP && x >= r[i].x && x < r[i].x + r[i].w && y >= r[i].y &&
		    y < r[i].y + r[i].h)
			want = i;
	assert_true(want >= 0);
	for (int guard = 0; app_focus(h->app) != want; guard++) {
		h_key(h, SDLK_TAB, 0);
		assert_true(guard < 64);
	}
	h_key(h, SDLK_RETURN, 0);
	h_step(h);
}

/* more-ways: the sort mat with pictures on it and one held, the text
 * question with a word half typed (and, once there, the drawing), in
 * landscape, portrait, high contrast and Urdu. */
static void
more_ways(void **s)
{
	(void)s;
	static const struct { const char *name; int w, h; int theme; const char *lang; } looks[] = {
		{ "landscape", 1280, 800, -1, NULL },
		{ "portrait", 800, 1280, -1, NULL },
		{ "high-contrast", 1280, 800, 1, NULL },
		{ "ur", 1280, 800, -1, "ur" },
	};
	for (size_t l = 0; l < sizeof looks / sizeof looks[0]; l++) {
		harness h;
		h_open(&h, "more-ways.yaml", looks[l].w, looks[l].h, true);
		if (looks[l].theme >= 0) {
			access_settings acc = *app_access(h.app);
			acc.theme = (enum theme_id)looks[l].theme;
			app_set_access(h.app, &acc);
		}
		if (looks[l].lang)
			h_set_language(&h, looks[l].lang);
		char name[128];
		go_to(&h, "school-mat");
		h_click(&h, APP_ACT_ANSWER, 0);
		h_click(&h, APP_ACT_SORT_COLUMN, 0);
		h_click(&h, APP_ACT_ANSWER, 1);
		h_click(&h, APP_ACT_SORT_COLUMN, 2);
		h_click(&h, APP_ACT_ANSWER, 3);
		assert_int_equal(app_view(h.app)->held, 3);
		snprintf(name, sizeof name, "sort-%s", looks[l].name);
		golden(&h, name);

		go_to(&h, "one-word");
		h_click(&h, APP_ACT_KEY, 1);
		h_click(&h, APP_ACT_KEY, 0);
		h_click(&h, APP_ACT_KEY, APP_OSK_SPACE);
		h_click(&h, APP_ACT_KEY, 2);
		assert_int_equal(app_view(h.app)->text_chars, 4);
		snprintf(name, sizeof name, "text-%s", looks[l].name);
		golden(&h, name);

		/* a drawing: a red line by the mouse, a blue one, a green stamp
		 * put by the keyboard, then the rubber chosen */
		go_to(&h, "draw-school");
		h_click(&h, APP_ACT_DRAW_COLOUR, 1);
		drag(&h, 0, 8);
		h_click(&h, APP_ACT_DRAW_COLOUR, 2);
		drag(&h, 2, 6);
		h_click(&h, APP_ACT_DRAW_COLOUR, 3);
		stamp_by_key(&h, 5);
		h_click(&h, APP_ACT_DRAW_COLOUR, APP_DRAW_ERASER);
		snprintf(name, sizeof name, "draw-%s", looks[l].name);
		golden(&h, name);
		h_close(&h);
	}
}

/* The keyboard focus ring, moved once to the right, and a card held down
 * under a finger (pressed, not yet chosen). */
static void
focus_and_pressed(void **s)
{
	(void)s;
	harness h;
	h_open(&h, "school-day.yaml", 1280, 800, true);
	go_to(&h, "feeling");
	h_key(&h, SDLK_RIGHT, 0);   /* shows the ring on the first answer */
	h_key(&h, SDLK_RIGHT, 0);   /* and moves it to the second */
	assert_true(app_focus(h.app) >= 0);
	golden(&h, "focus-landscape");
	h_close(&h);

	h_open(&h, "school-day.yaml", 1280, 800, true);
	go_to(&h, "feeling");
	int x, y;
	assert_true(h_center(&h, APP_ACT_ANSWER, 2, &x, &y));
	h_mouse(&h, SDL_MOUSEBUTTONDOWN, x, y);
	h_step(&h);
	golden(&h, "pressed-landscape");
	h_mouse(&h, SDL_MOUSEBUTTONUP, x, y);
	h_step(&h);
	h_close(&h);
}

/* The rule itself: exact inside the boxes, a tight tolerance elsewhere. */
static void
compare_can_fail(void **s)
{
	(void)s;
	SDL_Surface *a = SDL_CreateRGBSurfaceWithFormat(0, 100, 100, 32, SDL_PIXELFORMAT_ARGB8888);
	SDL_Surface *b = SDL_CreateRGBSurfaceWithFormat(0, 100, 100, 32, SDL_PIXELFORMAT_ARGB8888);
	SDL_Surface *c = SDL_CreateRGBSurfaceWithFormat(0, 100, 99, 32, SDL_PIXELFORMAT_ARGB8888);
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	SDL_FillRect(a, NULL, SDL_MapRGB(a->format, 200, 200, 200));

	/* h_bad_pixels (test_ui_staff's "same picture") counts beyond 8. */
	SDL_FillRect(b, NULL, SDL_MapRGB(b->format, 206, 194, 200));
	int worst;
	assert_int_equal(h_bad_pixels(a, b, &worst), 0);
	assert_int_equal(worst, 6);
	SDL_FillRect(b, &(SDL_Rect){ 0, 0, 50, 1 }, SDL_MapRGB(b->format, 0, 0, 0));
	assert_int_equal(h_bad_pixels(a, b, NULL), 50);
	SDL_FillRect(b, &(SDL_Rect){ 10, 10, 1, 1 }, SDL_MapRGB(b->format, 0, 0, 0));
	assert_int_equal(h_bad_pixels(a, b, NULL), 51);

	/* Outside the boxes: each channel within H_REST_DELTA is the same... */
	h_diff d;
	SDL_FillRect(b, NULL, SDL_MapRGB(b->format, 200 + H_REST_DELTA, 200 - H_REST_DELTA, 200));
	assert_int_equal(h_compare(a, b, NULL, &d), 0);
	assert_true(h_diff_ok(&d));
	assert_int_equal(d.rest_bad, 0);
	assert_int_equal(d.worst, H_REST_DELTA);
	/* ...one more is a difference, and the whole frame fails. */
	SDL_FillRect(b, NULL, SDL_MapRGB(b->format, 200 + H_REST_DELTA + 1, 200, 200));
	assert_int_equal(h_compare(a, b, NULL, &d), 0);
	assert_false(h_diff_ok(&d));
	assert_int_equal(d.rest_bad, 100 * 100);
	/* H_REST_PIXELS different pixels may be; one more may not. */
	SDL_FillRect(b, NULL, SDL_MapRGB(b->format, 200, 200, 200));
	SDL_FillRect(b, &(SDL_Rect){ 0, 0, H_REST_PIXELS, 1 }, SDL_MapRGB(b->format, 0, 0, 0));
	assert_int_equal(h_compare(a, b, NULL, &d), 0);
	assert_int_equal(d.rest_bad, H_REST_PIXELS);
	assert_true(h_diff_ok(&d));
	SDL_FillRect(b, &(SDL_Rect){ 10, 10, 1, 1 }, SDL_MapRGB(b->format, 0, 0, 0));
	assert_int_equal(h_compare(a, b, NULL, &d), 0);
	assert_false(h_diff_ok(&d));

	/* Inside a box a single pixel one step off fails; the box is named. */
	static h_boxes boxes;
	boxes.n = 2;
	boxes.r[0] = (ui_rect){ 20, 20, 10, 10 };
	boxes.text[0] = "word";
	boxes.r[1] = (ui_rect){ 60, 60, 10, 10 };
	boxes.text[1] = NULL;
	SDL_FillRect(b, NULL, SDL_MapRGB(b->format, 200, 200, 200));
	SDL_FillRect(b, &(SDL_Rect){ 65, 65, 1, 1 }, SDL_MapRGB(b->format, 200, 201, 200));
	assert_int_equal(h_compare(a, b, &boxes, &d), 0);
	assert_false(h_diff_ok(&d));
	assert_int_equal(d.exact_bad, 1);
	assert_int_equal(d.rest_bad, 0);
	assert_int_equal(d.first_box, 1);
	/* The same pixel outside every box is within the tolerance. */
	boxes.n = 1;
	assert_int_equal(h_compare(a, b, &boxes, &d), 0);
	assert_true(h_diff_ok(&d));
	assert_int_equal(d.first_box, -1);
	/* Boxes reaching past the edge are clipped, not a crash. */
	boxes.r[0] = (ui_rect){ -5, 90, 200, 50 };
	assert_int_equal(h_compare(a, b, &boxes, &d), 0);
	assert_int_equal(h_compare(a, c, &boxes, &d), -1);
	SDL_FreeSurface(a);
	SDL_FreeSurface(b);
	SDL_FreeSurface(c);
}

/* ---- what the rule must catch ---------------------------------------------
 * Each test below spoils a real screen in a way the old rule (0.5 % of the
 * frame may differ by any amount) let through, checks that the old rule
 * would indeed have passed it, and that h_golden's rule does not. */

/* The old rule, for the checks that a spoilt screen was a hard case. */
static bool
old_rule_passes(SDL_Surface *shot, const char *name)
{
	SDL_Surface *g = h_golden_load(name);
	assert_non_null(g);
	long bad = h_bad_pixels(shot, g, NULL);
	SDL_FreeSurface(g);
	return bad >= 0 && bad * 1000 <= (long)shot->w * shot->h * 5;
}

static Uint32
pixel(SDL_Surface *s, int x, int y)
{
	return ((const Uint32 *)((const Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch))[x];
}

static void
set_pixel(SDL_Surface *s, int x, int y, Uint32 v)
{
	((Uint32 *)((Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch))[x] = v;
}

static bool
inside(ui_rect in, ui_rect r)
{
	return r.x >= in.x && r.y >= in.y && r.x + r.w <= in.x + in.w && r.y + r.h <= in.y + in.h;
}

/* The rectangle of answer card arg (app_targets has no args: match by the
 * centre app_target_center gives). */
static ui_rect
card_rect(harness *h, int arg)
{
	int x, y;
	assert_true(h_center(h, APP_ACT_ANSWER, arg, &x, &y));
	ui_rect r[64];
	int acts[64];
	int n = app_targets(h->app, r, acts, 64);
	for (int i = 0; i < n; i++)
		if (acts[i] == APP_ACT_ANSWER && r[i].x + r[i].w / 2 == x && r[i].y + r[i].h / 2 == y)
			return r[i];
	fail_msg("no card for answer %d", arg);
	return (ui_rect){ 0 };
}

/* choose-many-landscape as test_ui_golden's school_day takes it: Sport and
 * Music chosen. Returns the screenshot (caller frees) and its boxes. */
static SDL_Surface *
choose_many(harness *h, h_boxes *b)
{
	go_to(h, "activities");
	h_click(h, APP_ACT_ANSWER, 1);
	h_click(h, APP_ACT_ANSWER, 3);
	SDL_Surface *shot = app_screenshot(h->app);
	assert_non_null(shot);
	assert_int_equal(shot->format->BytesPerPixel, 4);
	h_exact_boxes(h, b);
	return shot;
}

/* The tick badge on a chosen card is gone (the card keeps its chosen
 * outline): as if it were never drawn, so its boxes go too and the rest's
 * tolerance must catch it; and as if it were drawn wrong (boxes kept),
 * which the exact comparison catches. */
static void
missing_badge_fails(void **s)
{
	(void)s;
	static h_boxes b, kept;
	char msg[1024];
	harness h;
	h_open(&h, "school-day.yaml", 1280, 800, true);
	SDL_Surface *shot = choose_many(&h, &b);
	assert_true(h_golden_shot(shot, &b, "choose-many-landscape", msg, sizeof msg));

	/* The badge: the largest badge box inside Sport's card. */
	ui_rect card = card_rect(&h, 1), badge = { 0 };
	for (int i = 0; i < b.n; i++)
		if (!b.text[i] && inside(card, b.r[i]) && b.r[i].w > badge.w)
			badge = b.r[i];
	assert_true(badge.w >= 28);
	/* Paint the card's face (just left of the badge) over its disc. */
	Uint32 face = pixel(shot, badge.x - 4, badge.y + badge.h / 2);
	int cx2 = 2 * badge.x + badge.w, cy2 = 2 * badge.y + badge.h;
	for (int y = badge.y; y < badge.y + badge.h; y++)
		for (int x = badge.x; x < badge.x + badge.w; x++) {
			long dx = 2 * x + 1 - cx2, dy = 2 * y + 1 - cy2;
			if (dx * dx + dy * dy <= (long)(badge.w + 2) * (badge.w + 2))
				set_pixel(shot, x, y, face);
		}
	assert_true(old_rule_passes(shot, "choose-many-landscape"));

	kept = b;
	assert_false(h_golden_shot(shot, &kept, "choose-many-landscape", msg, sizeof msg));
	assert_non_null(strstr(msg, "the first: a badge"));
	int n = 0;
	for (int i = 0; i < b.n; i++)
		if (b.text[i] || !inside(badge, b.r[i]))
			b.r[n] = b.r[i], b.text[n++] = b.text[i];
	assert_true(n < b.n);
	b.n = n;
	assert_false(h_golden_shot(shot, &b, "choose-many-landscape", msg, sizeof msg));
	h_diff d;
	SDL_Surface *g = h_golden_load("choose-many-landscape");
	assert_int_equal(h_compare(shot, g, &b, &d), 0);
	assert_int_equal(d.exact_bad, 0);
	assert_true(d.rest_bad > H_REST_PIXELS);
	SDL_FreeSurface(g);
	SDL_FreeSurface(shot);
	h_close(&h);
}

/* One letter of one answer's words is wrong: "Musik" for "Music". */
static void
changed_word_fails(void **s)
{
	(void)s;
	static h_boxes b;
	char msg[1024];
	harness h;
	h_open(&h, "school-day.yaml", 1280, 800, true);
	const flow_question *q = NULL;
	for (size_t i = 0; i < h.flow->n_questions; i++)
		if (strcmp(h.flow->questions[i].id, "activities") == 0)
			q = &h.flow->questions[i];
	assert_non_null(q);
	assert_string_equal(q->answers[3].id, "music");
	/* The flow is the harness's own (h_open loaded it, nothing has drawn
	 * these words yet): change the text in place. */
	char *word = (char *)tstr_get(&q->answers[3].label, "en", NULL);
	assert_string_equal(word, "Music");
	word[4] = 'k';
	SDL_Surface *shot = choose_many(&h, &b);
	assert_true(old_rule_passes(shot, "choose-many-landscape"));
	assert_false(h_golden_shot(shot, &b, "choose-many-landscape", msg, sizeof msg));
	assert_non_null(strstr(msg, "the first: the words \"Musik\""));
	word[4] = 'c';
	SDL_FreeSurface(shot);
	h_close(&h);
}

/* The progress dots count one question fewer done: the second dot in the
 * colour of the ones still to come. */
static void
wrong_progress_fails(void **s)
{
	(void)s;
	static h_boxes b;
	char msg[1024];
	harness h;
	h_open(&h, "school-day.yaml", 1280, 800, true);
	SDL_Surface *shot = choose_many(&h, &b);
	assert_int_equal(app_view(h.app)->question_number, 2);
	/* The dots: badge boxes above every card, left to right. */
	ui_rect top = card_rect(&h, 0), dots[16];
	int n = 0;
	for (int i = 0; i < b.n && n < 16; i++)
		if (!b.text[i] && b.r[i].y + b.r[i].h <= top.y)
			dots[n++] = b.r[i];
	assert_true(n >= 3);
	Uint32 done = pixel(shot, dots[1].x + dots[1].w / 2, dots[1].y + dots[1].h / 2);
	Uint32 to_come = pixel(shot, dots[n - 1].x + dots[n - 1].w / 2, dots[n - 1].y + dots[n - 1].h / 2);
	assert_true(done != to_come);
	for (int y = dots[1].y; y < dots[1].y + dots[1].h; y++)
		for (int x = dots[1].x; x < dots[1].x + dots[1].w; x++)
			if (pixel(shot, x, y) == done)
				set_pixel(shot, x, y, to_come);
	assert_true(old_rule_passes(shot, "choose-many-landscape"));
	assert_false(h_golden_shot(shot, &b, "choose-many-landscape", msg, sizeof msg));
	assert_non_null(strstr(msg, "the first: a badge"));
	SDL_FreeSurface(shot);
	h_close(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(compare_can_fail),
		cmocka_unit_test(school_day),
		cmocka_unit_test(easy_read),
		cmocka_unit_test(focus_and_pressed),
		cmocka_unit_test(more_ways),
		cmocka_unit_test(missing_badge_fails),
		cmocka_unit_test(changed_word_fails),
		cmocka_unit_test(wrong_progress_fails),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
