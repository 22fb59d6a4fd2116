/*
 * test_ui_text: text layout never overruns, whatever the words. Through the
 * real text cache (HarfBuzz, fribidi, the bundled fonts; SDL's dummy video
 * and software renderer): strings far longer than a line ever was (the
 * line buffer used to be 512 code points), unspaced, full of no-break
 * spaces, right to left, and mixed (Arabic, Latin, digits, Bengali) are
 * measured at a card's width: never wider than it (a word too long is
 * broken between its characters), every character kept (twice the text is
 * twice the lines: nothing is cut at a fixed count), and the texture made
 * from it fits its box (the lines that do not fit are left out, ending in
 * "…"). Under ASan the old fixed buffers overran here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>

#include "draw/text.h"

static SDL_Window *win;
static SDL_Renderer *ren;
static text_cache *tc;

static int
setup(void **state)
{
	(void)state;
	if (SDL_Init(SDL_INIT_VIDEO) != 0)
		return -1;
	win = SDL_CreateWindow("t", 0, 0, 640, 480, 0);
	ren = win ? SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE) : NULL;
	if (!ren)
		return -1;
	char fonts[1024];
	snprintf(fonts, sizeof fonts, "%s/fonts", getenv("TELLUS_SOURCE_ROOT"));
	tl_error err;
	return text_cache_create(ren, fonts, &tc, &err);
}

static int
teardown(void **state)
{
	(void)state;
	text_cache_destroy(tc);
	SDL_DestroyRenderer(ren);
	SDL_DestroyWindow(win);
	SDL_Quit();
	return 0;
}

/* unit repeated n times, joined by sep (may be ""), as a new string. */
static char *
repeat(const char *unit, const char *sep, int n)
{
	size_t ul = strlen(unit), sl = strlen(sep);
	char *s = malloc((ul + sl) * (size_t)n + 1);
	assert_non_null(s);
	char *p = s;
	for (int i = 0; i < n; i++) {
		memcpy(p, unit, ul);
		p += ul;
		if (i + 1 < n) {
			memcpy(p, sep, sl);
			p += sl;
		}
	}
	*p = '\0';
	return s;
}

typedef struct sample { const char *name, *unit, *sep, *lang; } sample;

static const sample samples[] = {
	{ "unspaced Latin", "abcdefghijklmnopqrstuvwxyz", "", "en" },
	{ "no-break spaces", "word", "\xC2\xA0", "en" },
	{ "unspaced Arabic", "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7", "", "ar" },
	{ "Urdu with no-break spaces", "\xDA\xA9\xDB\x8C\xD8\xA7", "\xC2\xA0", "ur" },
	{ "mixed, unspaced",
	  "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7" "123abc" "\xE0\xA6\xAC\xE0\xA6\xBE\xE0\xA6\x82\xE0\xA6\xB2\xE0\xA6\xBE",
	  "", "ar" },
	{ "mixed, spaced", "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7 42 hello", " ", "en" },
};

#define PX 24
#define MAX_W 300

static void
long_texts_never_overrun(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		const sample *sm = &samples[i];
		/* Each about 2,000 code points, then twice that. */
		int n = (int)(2000 / strlen(sm->unit)) + 1;
		char *one = repeat(sm->unit, sm->sep, n);
		char *two = repeat(sm->unit, sm->sep, 2 * n);
		int w1, h1, w2, h2;
		text_measure(tc, one, sm->lang, FONT_REGULAR, PX, MAX_W, &w1, &h1);
		text_measure(tc, two, sm->lang, FONT_REGULAR, PX, MAX_W, &w2, &h2);
		if (w1 > MAX_W || w2 > MAX_W)
			fail_msg("%s: %d and %d px wide in a %d px line", sm->name, w1, w2, MAX_W);
		/* Every character kept: twice the text, about twice the lines. */
		if (h1 <= 0 || h2 < h1 * 19 / 10)
			fail_msg("%s: %d px tall, and only %d px for twice as much", sm->name, h1, h2);
		/* The texture: as wide as the line at most; all of it when the
		 * box is tall enough, cut to the box when not. */
		ui_color ink = { 0, 0, 0, 255 };
		assert_int_equal(text_prepare(tc, one, sm->lang, FONT_REGULAR, PX, MAX_W, 0,
		                              ALIGN_CENTER, ink), 0);
		int tw, th;
		assert_non_null(text_lookup(tc, one, sm->lang, FONT_REGULAR, PX, MAX_W, 0,
		                            ALIGN_CENTER, ink, &tw, &th));
		assert_true(tw <= MAX_W);
		assert_int_equal(th, h1);
		assert_int_equal(text_prepare(tc, two, sm->lang, FONT_REGULAR, PX, MAX_W, 200,
		                              ALIGN_LEFT, ink), 0);
		assert_non_null(text_lookup(tc, two, sm->lang, FONT_REGULAR, PX, MAX_W, 200,
		                            ALIGN_LEFT, ink, &tw, &th));
		if (tw > MAX_W || th > 200)
			fail_msg("%s: a %dx%d texture for a %dx200 box", sm->name, tw, th, MAX_W);
		/* The fitter gives the smallest size and it still fits across. */
		int px = text_fit(tc, two, sm->lang, FONT_REGULAR, 12, 40, MAX_W, 200);
		text_measure(tc, two, sm->lang, FONT_REGULAR, px, MAX_W, &w2, &h2);
		assert_true(w2 <= MAX_W);
		free(one);
		free(two);
	}
}

/* A line too narrow for even one character still gets every character,
 * one to a line, and blank lines between paragraphs stay. */
static void
narrow_box_and_paragraphs(void **state)
{
	(void)state;
	int w, h, w1, h1;
	text_measure(tc, "W", "en", FONT_REGULAR, PX, 1000, &w1, &h1);
	text_measure(tc, "WWWWWWWWWW", "en", FONT_REGULAR, PX, 2, &w, &h);
	assert_int_equal(h, 10 * h1);
	text_measure(tc, "one\n\ntwo", "en", FONT_REGULAR, PX, 1000, &w, &h);
	assert_int_equal(h, 3 * h1);
}

/* Texture t (tw x th) drawn at the top left of a white 640x480 target,
 * read back as ARGB8888 into px. */
static void
read_back(SDL_Texture *t, int tw, int th, Uint32 *px)
{
	SDL_SetRenderDrawColor(ren, 255, 255, 255, 255);
	SDL_RenderClear(ren);
	SDL_Rect dst = { 0, 0, tw, th };
	SDL_RenderCopy(ren, t, NULL, &dst);
	assert_int_equal(SDL_RenderReadPixels(ren, NULL, SDL_PIXELFORMAT_ARGB8888, px, 640 * 4), 0);
}

/* A text cut to a box one line tall shows that line with "…": as much of
 * it as fits beside the dots (within about a character of the box's
 * width), never wider than the box. */
static void
a_cut_line_keeps_what_fits(void **state)
{
	(void)state;
	int w1, h1, wm, hm;
	text_measure(tc, "a", "en", FONT_REGULAR, PX, 1000, &w1, &h1);
	text_measure(tc, "mm", "en", FONT_REGULAR, PX, 1000, &wm, &hm);
	char *s = repeat("abcdefghijklmnopqrstuvwxyz", "", 10);
	ui_color ink = { 0, 0, 0, 255 };
	assert_int_equal(text_prepare(tc, s, "en", FONT_REGULAR, PX, MAX_W, h1, ALIGN_LEFT, ink), 0);
	int tw, th;
	SDL_Texture *t = text_lookup(tc, s, "en", FONT_REGULAR, PX, MAX_W, h1, ALIGN_LEFT, ink, &tw,
	                             &th);
	assert_non_null(t);
	assert_int_equal(th, h1);
	assert_true(tw <= MAX_W);
	/* The ink's right end, read back from the drawn texture. */
	static Uint32 px[640 * 480];
	read_back(t, tw, th, px);
	int right = -1;
	for (int y = 0; y < th && y < 480; y++)
		for (int x = 0; x < 640; x++)
			if ((px[y * 640 + x] & 0xFF) < 128 && x > right)
				right = x;
	if (right > MAX_W || right < MAX_W - wm)
		fail_msg("the cut line's ink ends at %d px in a %d px box (a character is about %d px)",
		         right, MAX_W, wm / 2);
	free(s);
}

/* Dark pixels of s drawn in black at PX, read back from the renderer. */
static int
ink_of(const char *s, const char *lang)
{
	ui_color ink = { 0, 0, 0, 255 };
	assert_int_equal(text_prepare(tc, s, lang, FONT_REGULAR, PX, 600, 0, ALIGN_LEFT, ink), 0);
	int tw, th;
	SDL_Texture *t = text_lookup(tc, s, lang, FONT_REGULAR, PX, 600, 0, ALIGN_LEFT, ink, &tw, &th);
	assert_non_null(t);
	static Uint32 px[640 * 480];
	read_back(t, tw, th, px);
	int n = 0;
	for (int i = 0; i < 640 * 480; i++)
		n += (px[i] & 0xFF) < 128;
	return n;
}

/* A neutral character the script's font lacks is drawn from the Latin
 * font, not as the font's empty box: the middle dot between the room's
 * title and the event's name, in Arabic and Urdu (their fonts have none).
 * A dot adds a few pixels of ink to the line; a box far more. */
static void
missing_neutrals_come_from_the_latin_font(void **state)
{
	(void)state;
	static const char *const langs[] = { "ar", "ur" };
	for (int i = 0; i < 2; i++) {
		int spaced = ink_of("\xD8\xA8 \xD8\xA8", langs[i]);
		int dotted = ink_of("\xD8\xA8\xC2\xB7\xD8\xA8", langs[i]);
		int latin = ink_of("\xC2\xB7", "en");
		printf("# %s: ink %d with a space, %d with a middle dot (the dot alone %d)\n", langs[i],
		       spaced, dotted, latin);
		if (dotted - spaced > 2 * latin + 4)
			fail_msg("%s: the middle dot is drawn with %d pixels of ink, its Latin glyph has %d",
			         langs[i], dotted - spaced, latin);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(long_texts_never_overrun),
		cmocka_unit_test(narrow_box_and_paragraphs),
		cmocka_unit_test(a_cut_line_keeps_what_fits),
		cmocka_unit_test(missing_neutrals_come_from_the_latin_font),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
