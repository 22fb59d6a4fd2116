/*
 * test_ui_frames: the frame path never touches the disk and allocates
 * nothing after warm-up (STYLE.md, habit 10).
 *
 * Two promises, on every kind of screen (welcome, questions with and
 * without choices, right to left, the overlays, thanks, the staff PIN pad):
 * - Symbols, pictures and text are loaded and rasterised when a screen is
 *   built, not in the render call: after a change that only lays out
 *   (app_set_access), the loads have already happened, and the render that
 *   follows loads, rasterises and misses nothing.
 * - Drawing an unchanged screen again and again reads no file, rasterises
 *   and shapes no text, misses no texture and calls malloc not once on the
 *   UI thread. The allocations are counted by replacing malloc, calloc and
 *   realloc in this program (glibc allows it); under AddressSanitizer,
 *   which owns malloc, only the caches' own counters are checked.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "staff/staff.h"
#include "ui.h"
#include "ui_harness.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define NO_MALLOC_COUNT 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || !defined(__GLIBC__)
#define NO_MALLOC_COUNT 1
#endif

/* ---- counting malloc on this thread --------------------------------------- */

static _Thread_local bool counting;
static _Thread_local long n_allocs;

#ifndef NO_MALLOC_COUNT
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void __libc_free(void *p);

void *
malloc(size_t n)
{
	if (counting)
		n_allocs++;
	return __libc_malloc(n);
}

void *
calloc(size_t n, size_t size)
{
	if (counting)
		n_allocs++;
	return __libc_calloc(n, size);
}

void *
realloc(void *p, size_t n)
{
	if (counting)
		n_allocs++;
	return __libc_realloc(p, n);
}

void
free(void *p)
{
	__libc_free(p);
}
#endif

/* ---- the checks ---------------------------------------------------------------- */

#define W 1280
#define H 800
#define FRAMES 10

static app_frame_stats
stats(harness *h)
{
	app_frame_stats s;
	app_get_frame_stats(h->app, &s);
	return s;
}

/* The current screen, drawn FRAMES times more after two to warm up: no
 * load, no rasterising, no shaping, no miss, no allocation. */
static void
steady(harness *h, const char *what)
{
	app_draw(h->app);
	app_draw(h->app);
	app_frame_stats a = stats(h);
	n_allocs = 0;
	counting = true;
	for (int i = 0; i < FRAMES; i++)
		app_draw(h->app);
	counting = false;
	app_frame_stats b = stats(h);
	if (b.image_loads != a.image_loads || b.image_misses != a.image_misses ||
	    b.text_renders != a.text_renders || b.text_misses != a.text_misses ||
	    b.text_shapes != a.text_shapes)
		fail_msg("%s: %d frames of an unchanged screen loaded %llu images (%llu missed), "
		         "rasterised %llu texts (%llu missed), shaped %llu", what, FRAMES,
		         (unsigned long long)(b.image_loads - a.image_loads),
		         (unsigned long long)(b.image_misses - a.image_misses),
		         (unsigned long long)(b.text_renders - a.text_renders),
		         (unsigned long long)(b.text_misses - a.text_misses),
		         (unsigned long long)(b.text_shapes - a.text_shapes));
#ifndef NO_MALLOC_COUNT
	if (n_allocs != 0)
		fail_msg("%s: %d frames of an unchanged screen allocated %ld times", what, FRAMES, n_allocs);
#endif
	/* Something was drawn, and every texture it needed was there. */
	assert_true(b.image_misses == 0 && b.text_misses == 0);
}

/* A change that only lays the screen out again: the new textures are made
 * then, and the render after it makes and misses none. */
static void
built_ahead(harness *h, const access_settings *acc, const char *what)
{
	app_frame_stats a = stats(h);
	app_set_access(h->app, acc);   /* lays out; does not draw */
	app_frame_stats b = stats(h);
	if (b.image_loads == a.image_loads && b.text_renders == a.text_renders)
		fail_msg("%s: building the screen made no texture (are they made in render?)", what);
	app_draw(h->app);
	app_frame_stats c = stats(h);
	if (c.image_loads != b.image_loads || c.text_renders != b.text_renders ||
	    c.image_misses != b.image_misses || c.text_misses != b.text_misses)
		fail_msg("%s: the render after the build loaded %llu images and rasterised %llu texts "
		         "(%llu and %llu missed)", what,
		         (unsigned long long)(c.image_loads - b.image_loads),
		         (unsigned long long)(c.text_renders - b.text_renders),
		         (unsigned long long)(c.image_misses - b.image_misses),
		         (unsigned long long)(c.text_misses - b.text_misses));
}

static int
lang_index(harness *h, const char *code)
{
	for (size_t i = 0; i < h->flow->n_languages; i++)
		if (strcmp(h->flow->languages[i], code) == 0)
			return (int)i;
	fail_msg("no language %s", code);
	return -1;
}

/* ---- the tests --------------------------------------------------------------- */

static void
person_screens(void **state)
{
	(void)state;
	harness h;
	h_open(&h, "school-day.yaml", W, H, true);
	steady(&h, "welcome");
	/* Symbols were loaded for the welcome screen, so the counters count. */
	assert_true(stats(&h).image_loads > 0);

	h_click(&h, APP_ACT_START, 0);
	steady(&h, "first question");
	h_click(&h, APP_ACT_ANSWER, 1);
	steady(&h, "first question, answered");
	/* On to a choose-several question, two chosen. */
	for (int guard = 0; guard < 10 && app_view(h.app)->question &&
	     app_view(h.app)->question->type != QT_CHOOSE_MANY; guard++)
		h_click(&h, APP_ACT_SKIP, 0);
	assert_non_null(app_view(h.app)->question);
	h_click(&h, APP_ACT_ANSWER, 0);
	h_click(&h, APP_ACT_ANSWER, 2);
	steady(&h, "choose several, two chosen");

	h_click(&h, APP_ACT_OPEN_ACCESS, 0);
	steady(&h, "how do you like to answer");
	h_click(&h, APP_ACT_CLOSE_OVERLAY, 0);

	for (int guard = 0; guard < 30 && app_view(h.app)->screen == SCREEN_QUESTION; guard++)
		h_click(&h, APP_ACT_SKIP, 0);
	assert_int_equal(app_view(h.app)->screen, SCREEN_THANKS);
	steady(&h, "thanks");
	h_close(&h);
}

static void
other_languages_and_looks(void **state)
{
	(void)state;
	harness h;
	h_open(&h, "school-day.yaml", W, H, true);
	h_click(&h, APP_ACT_OPEN_LANGUAGE, 0);
	steady(&h, "languages");
	/* Right to left: mirrored, shaped by fribidi and HarfBuzz. */
	h_click(&h, ACT_SET_LANGUAGE, lang_index(&h, "ur"));
	steady(&h, "welcome in Urdu");
	h_click(&h, APP_ACT_START, 0);
	h_click(&h, APP_ACT_ANSWER, 0);
	steady(&h, "a question in Urdu, answered");

	/* A new look is built ahead of its first frame, not inside it. */
	access_settings acc = *app_access(h.app);
	acc.theme = THEME_HIGH_CONTRAST;
	built_ahead(&h, &acc, "high contrast");
	steady(&h, "high contrast");
	acc.large_text = !acc.large_text;
	built_ahead(&h, &acc, "large text");
	steady(&h, "large text");
	acc.dyslexic_font = !acc.dyslexic_font;
	h_click(&h, APP_ACT_SKIP, 0);
	app_set_access(h.app, &acc);
	steady(&h, "another font");
	h_close(&h);
}

static void
staff_pin_pad(void **state)
{
	(void)state;
	harness h;
	h_open(&h, "school-day.yaml", W, H, true);
	/* The hidden gesture: hold the top-left corner, then tap the top-right. */
	h_staff_gesture(&h);
	assert_int_equal(app_staff(h.app)->screen, STAFF_PIN);
	/* Let the worker say whether a PIN is set (real time, bounded). */
	for (int i = 0; i < 500 && app_staff(h.app)->busy; i++)
		app_step(h.app, 20);
	assert_false(app_staff(h.app)->busy);
	steady(&h, "PIN pad");
	h_click(&h, ACT_STAFF_DIGIT, 4);
	h_click(&h, ACT_STAFF_DIGIT, 7);
	steady(&h, "PIN pad, two digits");
	h_close(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(person_screens),
		cmocka_unit_test(other_languages_and_looks),
		cmocka_unit_test(staff_pin_pad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
