/*
 * test_ui_golden: screenshots of each kind of screen, landscape (1280x800)
 * and portrait (800x1280), compared pixel by pixel with the reviewed PNGs
 * in tests/golden/.
 *
 * The software renderer is deterministic, so a golden changes only when
 * the look changes. A small tolerance (each channel within CHAN_TOL, at
 * most MAX_BAD_PERMILLE of pixels beyond it) absorbs FreeType or SDL
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

#define CHAN_TOL 8
#define MAX_BAD_PERMILLE 5   /* 0.5 % */

typedef struct diff {
	int w, h;        /* of the actual picture */
	long bad;        /* pixels with a channel beyond CHAN_TOL */
	int worst;       /* largest channel difference */
	bool size_ok;
} diff;

static SDL_Surface *
to_rgba(SDL_Surface *s)
{
	SDL_Surface *c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGBA32, 0);
	assert_non_null(c);
	return c;
}

static diff
compare(SDL_Surface *actual, SDL_Surface *golden)
{
	diff d = { actual->w, actual->h, 0, 0, actual->w == golden->w && actual->h == golden->h };
	if (!d.size_ok)
		return d;
	SDL_Surface *a = to_rgba(actual), *g = to_rgba(golden);
	for (int y = 0; y < a->h; y++) {
		const Uint8 *pa = (const Uint8 *)a->pixels + (size_t)y * (size_t)a->pitch;
		const Uint8 *pg = (const Uint8 *)g->pixels + (size_t)y * (size_t)g->pitch;
		for (int x = 0; x < a->w; x++) {
			int m = 0;
			for (int k = 0; k < 3; k++) {
				int dv = abs(pa[x * 4 + k] - pg[x * 4 + k]);
				if (dv > m)
					m = dv;
			}
			if (m > d.worst)
				d.worst = m;
			if (m > CHAN_TOL)
				d.bad++;
		}
	}
	SDL_FreeSurface(a);
	SDL_FreeSurface(g);
	return d;
}

static bool
diff_ok(diff d)
{
	return d.size_ok && d.bad * 1000 <= (long)d.w * d.h * MAX_BAD_PERMILLE;
}

/* Compares the app's current screen with tests/golden/NAME.png. */
static void
golden(harness *h, const char *name)
{
	const char *src = getenv("TELLUS_SOURCE_ROOT");
	const char *bld = getenv("TELLUS_BUILD_ROOT");
	assert_non_null(src);
	assert_non_null(bld);
	char gpath[1024], apath[1024];
	snprintf(gpath, sizeof gpath, "%s/tests/golden/%s.png", src, name);
	snprintf(apath, sizeof apath, "%s/tests/%s.actual.png", bld, name);

	SDL_Surface *shot = app_screenshot(h->app);
	assert_non_null(shot);
	const char *upd = getenv("TELLUS_UPDATE_GOLDEN");
	if (upd && strcmp(upd, "1") == 0) {
		assert_int_equal(h_save_png(shot, gpath), 0);
		fprintf(stderr, "golden: wrote %s\n", gpath);
		SDL_FreeSurface(shot);
		return;
	}
	SDL_Surface *g = IMG_Load(gpath);
	if (!g) {
		h_save_png(shot, apath);
		SDL_FreeSurface(shot);
		fail_msg("golden %s: cannot read %s (%s); wrote %s; run with TELLUS_UPDATE_GOLDEN=1 "
		         "to make it, then look at it", name, gpath, IMG_GetError(), apath);
	}
	diff d = compare(shot, g);
	SDL_FreeSurface(g);
	if (!diff_ok(d)) {
		h_save_png(shot, apath);
		SDL_FreeSurface(shot);
		if (!d.size_ok)
			fail_msg("golden %s: size %dx%d differs from the golden's; wrote %s", name,
			         d.w, d.h, apath);
		fail_msg("golden %s: %ld of %ld pixels (%.3f%%, allowed %.1f%%) differ by more than %d "
		         "(worst %d); wrote %s", name, d.bad, (long)d.w * d.h,
		         100.0 * (double)d.bad / ((double)d.w * d.h), MAX_BAD_PERMILLE / 10.0,
		         CHAN_TOL, d.worst, apath);
	}
	SDL_FreeSurface(shot);
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
	diff d = compare(a, b);
	assert_true(diff_ok(d));
	assert_int_equal(d.bad, 0);
	assert_int_equal(d.worst, 6);
	/* 50 pixels (0.5 %) may differ; 51 may not. */
	SDL_FillRect(b, &(SDL_Rect){ 0, 0, 50, 1 }, SDL_MapRGB(b->format, 0, 0, 0));
	d = compare(a, b);
	assert_int_equal(d.bad, 50);
	assert_true(diff_ok(d));
	SDL_FillRect(b, &(SDL_Rect){ 10, 10, 1, 1 }, SDL_MapRGB(b->format, 0, 0, 0));
	d = compare(a, b);
	assert_int_equal(d.bad, 51);
	assert_false(diff_ok(d));
	assert_false(diff_ok(compare(a, c)));
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
