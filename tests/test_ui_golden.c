/*
 * test_ui_golden: screenshots of each kind of screen, landscape (1280x800)
 * and portrait (800x1280), compared pixel by pixel with the reviewed PNGs
 * in tests/golden/.
 *
 * The software renderer is deterministic, so a golden changes only when
 * the look changes. A small tolerance (each channel within 8, at most
 * 0.5 % of pixels beyond it; h_golden in ui_harness.c) absorbs FreeType or SDL
 * point releases without hiding a moved card or a missing word.
 *
 * On a mismatch the test writes NAME.actual.png into the build folder and
 * fails with the numbers. TELLUS_UPDATE_GOLDEN=1 writes the goldens
 * instead; look at every one before committing it.
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

/* The comparison must be able to fail: one changed card is caught, a
 * faint change within the tolerance is not. */
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
	SDL_FillRect(b, NULL, SDL_MapRGB(b->format, 206, 194, 200));
	int worst;
	long bad = h_bad_pixels(a, b, &worst);
	assert_true(h_diff_ok(bad, 100, 100));
	assert_int_equal(bad, 0);
	assert_int_equal(worst, 6);
	/* 50 pixels (0.5 %) may differ; 51 may not. */
	SDL_FillRect(b, &(SDL_Rect){ 0, 0, 50, 1 }, SDL_MapRGB(b->format, 0, 0, 0));
	bad = h_bad_pixels(a, b, NULL);
	assert_int_equal(bad, 50);
	assert_true(h_diff_ok(bad, 100, 100));
	SDL_FillRect(b, &(SDL_Rect){ 10, 10, 1, 1 }, SDL_MapRGB(b->format, 0, 0, 0));
	bad = h_bad_pixels(a, b, NULL);
	assert_int_equal(bad, 51);
	assert_false(h_diff_ok(bad, 100, 100));
	assert_false(h_diff_ok(h_bad_pixels(a, c, NULL), 100, 100));
	SDL_FreeSurface(a);
	SDL_FreeSurface(b);
	SDL_FreeSurface(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(compare_can_fail),
		cmocka_unit_test(school_day),
		cmocka_unit_test(easy_read),
		cmocka_unit_test(focus_and_pressed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
