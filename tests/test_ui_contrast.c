/*
 * test_ui_contrast: text contrast measured from screenshots, not assumed,
 * and golden screenshots of a question in each theme and variant.
 *
 * For every screen of every demo flow (welcome, each question, still-there,
 * thanks, and staff mode's PIN pad and menu), in the default and the
 * high-contrast theme, plain and with large text, the dyslexia font and the
 * text-first presentation: the app draws the screen, and for each piece of
 * text it drew (app_text_boxes) the test takes the pixels inside the
 * text's box. The background is the box's most common colour, the text's
 * colour the pixel farthest from it in luminance; their WCAG contrast must
 * reach 7:1 (default) or 15:1 (high contrast). A failure names the flow,
 * the screen and the words.
 *
 * Goldens (tests/golden/theme-*.png, text-first-*.png) follow the rule of
 * test_ui_golden.c: TELLUS_UPDATE_GOLDEN=1 rewrites them; look at each.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <SDL_image.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "staff/staff.h"
#include "draw/theme.h"
#include "ui.h"
#include "ui_harness.h"

#define MAX_BOXES 64

/* ---- measuring ---------------------------------------------------------- */

static double
lum(const Uint8 *p)
{
	ui_color c = { p[0], p[1], p[2], 0xFF };
	/* Contrast against black gives luminance back: (L + .05) / .05. */
	return theme_contrast(c, (ui_color){ 0, 0, 0, 0xFF }) * 0.05 - 0.05;
}

typedef struct measure {
	double ratio;       /* text against background; 0 when the box is empty */
	Uint8 bg[3], fg[3];
} measure;

/* The contrast of the text in box r of s (RGBA32). The most common colour
 * is found with a small open-addressed table; a box has few colours (the
 * face, the ink and the anti-aliased steps between). */
static measure
measure_box(SDL_Surface *s, ui_rect r)
{
	measure m = { 0 };
	int x0 = r.x < 0 ? 0 : r.x, y0 = r.y < 0 ? 0 : r.y;
	int x1 = r.x + r.w > s->w ? s->w : r.x + r.w, y1 = r.y + r.h > s->h ? s->h : r.y + r.h;
	if (x1 <= x0 || y1 <= y0)
		return m;
	enum { SLOTS = 8192 };
	static Uint32 keys[SLOTS];
	static long counts[SLOTS];
	memset(counts, 0, sizeof counts);
	Uint32 best = 0;
	long best_n = 0;
	for (int y = y0; y < y1; y++) {
		const Uint8 *row = (const Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch;
		for (int x = x0; x < x1; x++) {
			const Uint8 *p = row + x * 4;
			Uint32 k = (Uint32)p[0] << 16 | (Uint32)p[1] << 8 | p[2];
			Uint32 h = (k * 2654435761u) % SLOTS;
			while (counts[h] && keys[h] != k)
				h = (h + 1) % SLOTS;
			keys[h] = k;
			if (++counts[h] > best_n) {
				best_n = counts[h];
				best = k;
			}
		}
	}
	Uint8 bg[3] = { (Uint8)(best >> 16), (Uint8)(best >> 8), (Uint8)best };
	double lb = lum(bg), far = -1;
	for (int y = y0; y < y1; y++) {
		const Uint8 *row = (const Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch;
		for (int x = x0; x < x1; x++) {
			const Uint8 *p = row + x * 4;
			double d = fabs(lum(p) - lb);
			if (d > far) {
				far = d;
				memcpy(m.fg, p, 3);
			}
		}
	}
	memcpy(m.bg, bg, 3);
	ui_color a = { m.fg[0], m.fg[1], m.fg[2], 0xFF }, b = { bg[0], bg[1], bg[2], 0xFF };
	m.ratio = far > 0 ? theme_contrast(a, b) : 0;
	return m;
}

typedef struct tally {
	double min[THEME_COUNT];
	char min_what[THEME_COUNT][200];
	int boxes[THEME_COUNT];
} tally;

static tally totals;

/* Draws the current screen and checks every piece of text on it. */
static void
check_screen(harness *h, enum theme_id t, const char *where)
{
	SDL_Surface *shot = app_screenshot(h->app);
	assert_non_null(shot);
	SDL_Surface *s = SDL_ConvertSurfaceFormat(shot, SDL_PIXELFORMAT_RGBA32, 0);
	SDL_FreeSurface(shot);
	assert_non_null(s);
	ui_rect rects[MAX_BOXES];
	const char *texts[MAX_BOXES];
	int n = app_text_boxes(h->app, rects, texts, MAX_BOXES);
	assert_true(n > 0);
	double need = theme_get(t)->min_contrast;
	for (int i = 0; i < n; i++) {
		measure m = measure_box(s, rects[i]);
		if (m.ratio < need) {
			char path[1024];
			snprintf(path, sizeof path, "%s/tests/contrast-fail.png", getenv("TELLUS_BUILD_ROOT"));
			h_save_png(s, path);
			SDL_FreeSurface(s);
			fail_msg("%s, %s theme: \"%s\" at %d,%d %dx%d measures %.2f:1 (text #%02X%02X%02X on "
			         "#%02X%02X%02X), needs %.0f:1; wrote %s", where, theme_get(t)->name,
			         texts[i], rects[i].x, rects[i].y, rects[i].w, rects[i].h, m.ratio,
			         m.fg[0], m.fg[1], m.fg[2], m.bg[0], m.bg[1], m.bg[2], need, path);
		}
		totals.boxes[t]++;
		if (m.ratio < totals.min[t]) {
			totals.min[t] = m.ratio;
			snprintf(totals.min_what[t], sizeof totals.min_what[t], "%s: \"%s\"", where, texts[i]);
		}
	}
	SDL_FreeSurface(s);
}

/* ---- walking every screen ---------------------------------------------- */

static void
set_access(harness *h, enum theme_id t, bool big)
{
	/* The kiosk's defaults too, so a new person on welcome keeps them. */
	h->cfg.access.theme = t;
	h->cfg.access.large_text = big;
	h->cfg.access.dyslexic_font = big;
	app_set_access(h->app, &h->cfg.access);
}

static void
walk_flow(const char *flow_name, enum theme_id t, bool variant)
{
	harness h;
	if (variant)
		h_open_pres(&h, flow_name, 1280, 800, PRES_TEXT_FIRST);
	else
		h_open(&h, flow_name, 1280, 800, true);
	set_access(&h, t, variant);
	char where[200];
	snprintf(where, sizeof where, "%s%s welcome", flow_name, variant ? " (large, dyslexic, text-first)" : "");
	check_screen(&h, t, where);
	h_click(&h, APP_ACT_START, 0);
	bool still_seen = false;
	int guard = 0;
	while (app_view(h.app)->screen == SCREEN_QUESTION && guard++ < 40) {
		const session_view *v = app_view(h.app);
		snprintf(where, sizeof where, "%s%s question %s", flow_name,
		         variant ? " (large, dyslexic, text-first)" : "", v->question->id);
		check_screen(&h, t, where);
		if (!still_seen) {
			h_advance(&h, h.cfg.timing.idle_ms + 5);
			h_step(&h);
			assert_int_equal(app_view(h.app)->screen, SCREEN_STILL_THERE);
			snprintf(where, sizeof where, "%s still-there", flow_name);
			check_screen(&h, t, where);
			h_click(&h, APP_ACT_STILL_HERE, 0);
			still_seen = true;
		}
		h_click(&h, APP_ACT_SKIP, 0);
	}
	assert_true(still_seen);
	assert_int_equal(app_view(h.app)->screen, SCREEN_THANKS);
	snprintf(where, sizeof where, "%s thanks", flow_name);
	check_screen(&h, t, where);
	h_close(&h);
}

static const char *const flows[] = { "school-day.yaml", "clinic-visit.yaml", "co-production.yaml" };

static void
every_screen(enum theme_id t)
{
	for (size_t f = 0; f < sizeof flows / sizeof flows[0]; f++) {
		walk_flow(flows[f], t, false);
		walk_flow(flows[f], t, true);
	}
}

/* Lets staff mode's worker (PIN hashing) report, in real time, bounded. */
static void
settle(harness *h)
{
	for (int i = 0; i < 600; i++) {
		app_step(h->app, 20);
		if (!app_staff(h->app)->busy && i > 2)
			return;
	}
	fail_msg("staff worker did not finish");
}

static void
type_pin(harness *h, const char *pin)
{
	for (const char *p = pin; *p; p++)
		h_click(h, ACT_STAFF_DIGIT, *p - '0');
	h_click(h, ACT_STAFF_OK, 0);
	settle(h);
}

/* The staff gesture (staff.c): hold the top-left corner, then tap the
 * top-right one; a fresh kiosk asks for a first PIN twice. */
static void
staff_screens(enum theme_id t)
{
	harness h;
	h_open(&h, "school-day.yaml", 1280, 800, true);
	set_access(&h, t, false);
	h_mouse(&h, SDL_MOUSEBUTTONDOWN, 8, 8);
	h_step(&h);
	h_advance(&h, STAFF_HOLD_MS + 100);
	h_step(&h);
	h_mouse(&h, SDL_MOUSEBUTTONUP, 8, 8);
	h_step(&h);
	h_advance(&h, 1000);
	h_mouse(&h, SDL_MOUSEBUTTONDOWN, 1280 - 8, 8);
	h_step(&h);
	h_advance(&h, 60);
	h_mouse(&h, SDL_MOUSEBUTTONUP, 1280 - 8, 8);
	h_step(&h);
	h_advance(&h, 400);
	h_step(&h);
	assert_int_equal(app_staff(h.app)->screen, STAFF_PIN);
	settle(&h);
	check_screen(&h, t, "staff PIN pad");
	type_pin(&h, "246813");
	type_pin(&h, "246813");
	assert_int_equal(app_staff(h.app)->screen, STAFF_MENU);
	check_screen(&h, t, "staff menu");
	h_close(&h);
}

static void
default_theme(void **st)
{
	(void)st;
	every_screen(THEME_DEFAULT);
	staff_screens(THEME_DEFAULT);
}

static void
high_contrast(void **st)
{
	(void)st;
	every_screen(THEME_HIGH_CONTRAST);
	staff_screens(THEME_HIGH_CONTRAST);
}

/* The table agrees: every text pair of each theme reaches its figure, and
 * the arithmetic gives the known WCAG values. */
static void
theme_tables(void **st)
{
	(void)st;
	ui_color white = { 255, 255, 255, 255 }, black = { 0, 0, 0, 255 };
	ui_color grey = { 0x76, 0x76, 0x76, 255 };
	assert_true(fabs(theme_contrast(white, black) - 21.0) < 1e-9);
	assert_true(fabs(theme_contrast(black, white) - 21.0) < 1e-9);
	assert_true(fabs(theme_contrast(grey, grey) - 1.0) < 1e-9);
	/* #767676 on white is the classic 4.54:1. */
	assert_true(fabs(theme_contrast(grey, white) - 4.54) < 0.01);
	assert_ptr_equal(theme_get(THEME_DEFAULT), theme_default());
	assert_ptr_equal(theme_get((enum theme_id)99), theme_default());
	assert_true(theme_get(THEME_DEFAULT)->min_contrast >= 7.0);
	assert_true(theme_get(THEME_HIGH_CONTRAST)->min_contrast >= 15.0);
	for (int t = 0; t < THEME_COUNT; t++) {
		const ui_theme *th = theme_get((enum theme_id)t);
		const char *which = NULL;
		double lo = theme_check(th, &which);
		assert_non_null(which);
		if (lo < th->min_contrast)
			fail_msg("%s theme: %s is only %.2f:1", th->name, which, lo);
	}
	/* A theme with a faint pair is caught and named. */
	ui_theme bad = *theme_default();
	bad.muted_text = (ui_color){ 0x99, 0x99, 0x99, 0xFF };
	const char *which = NULL;
	assert_true(theme_check(&bad, &which) < 7.0);
	assert_string_equal(which, "muted_text on bg");
}

/* The measurement can fail: grey words on a lighter grey measure low, and
 * black on white measures 21:1, from pixels. */
static void
measure_can_fail(void **st)
{
	(void)st;
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, 60, 30, 32, SDL_PIXELFORMAT_RGBA32);
	assert_non_null(s);
	SDL_FillRect(s, NULL, SDL_MapRGB(s->format, 0xCC, 0xCC, 0xCC));
	SDL_FillRect(s, &(SDL_Rect){ 10, 10, 20, 4 }, SDL_MapRGB(s->format, 0x77, 0x77, 0x77));
	SDL_FillRect(s, &(SDL_Rect){ 10, 16, 20, 1 }, SDL_MapRGB(s->format, 0xA0, 0xA0, 0xA0));
	measure m = measure_box(s, (ui_rect){ 0, 0, 60, 30 });
	assert_int_equal(m.bg[0], 0xCC);
	assert_int_equal(m.fg[0], 0x77);
	assert_true(m.ratio > 2.0 && m.ratio < 3.0);
	/* Outside the box does not count. */
	m = measure_box(s, (ui_rect){ 40, 0, 20, 30 });
	assert_true(m.ratio == 0);
	SDL_FillRect(s, NULL, SDL_MapRGB(s->format, 255, 255, 255));
	SDL_FillRect(s, &(SDL_Rect){ 5, 5, 3, 3 }, SDL_MapRGB(s->format, 0, 0, 0));
	m = measure_box(s, (ui_rect){ 0, 0, 60, 30 });
	assert_true(fabs(m.ratio - 21.0) < 1e-9);
	SDL_FreeSurface(s);
}

/* ---- goldens ------------------------------------------------------------ */

static void
golden(harness *h, const char *name)
{
	char msg[1024];
	if (!h_golden(h, name, msg, sizeof msg))
		fail_msg("%s", msg);
}

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

static void
shot(const char *name, const char *flow_name, const char *qid, int w, int hgt, int pres,
     enum theme_id t, bool large, bool dyslexic)
{
	harness h;
	if (pres >= 0)
		h_open_pres(&h, flow_name, w, hgt, (enum presentation)pres);
	else
		h_open(&h, flow_name, w, hgt, true);
	h.cfg.access.theme = t;
	h.cfg.access.large_text = large;
	h.cfg.access.dyslexic_font = dyslexic;
	app_set_access(h.app, &h.cfg.access);
	go_to(&h, qid);
	if (strcmp(qid, "activities") == 0)
		h_click(&h, APP_ACT_ANSWER, 1);   /* a chosen card shows its tick */
	golden(&h, name);
	h_close(&h);
}

static void
goldens(void **st)
{
	(void)st;
	shot("theme-high-contrast-landscape", "school-day.yaml", "feeling", 1280, 800, -1,
	     THEME_HIGH_CONTRAST, false, false);
	shot("theme-high-contrast-choose-many", "school-day.yaml", "activities", 1280, 800, -1,
	     THEME_HIGH_CONTRAST, false, false);
	shot("theme-large-text-landscape", "school-day.yaml", "feeling", 1280, 800, -1,
	     THEME_DEFAULT, true, false);
	shot("theme-large-text-easy-read", "co-production.yaml", "result", 1280, 800, -1,
	     THEME_DEFAULT, true, false);
	shot("theme-dyslexic-landscape", "school-day.yaml", "feeling", 1280, 800, -1,
	     THEME_DEFAULT, false, true);
	shot("text-first-landscape", "clinic-visit.yaml", "who", 1280, 800, PRES_TEXT_FIRST,
	     THEME_DEFAULT, false, false);
	shot("text-first-portrait", "school-day.yaml", "feeling", 800, 1280, PRES_TEXT_FIRST,
	     THEME_DEFAULT, false, false);
	shot("text-first-high-contrast", "co-production.yaml", "result", 1280, 800, PRES_TEXT_FIRST,
	     THEME_HIGH_CONTRAST, true, false);
}

static int
report(void **st)
{
	(void)st;
	for (int t = 0; t < THEME_COUNT; t++)
		if (totals.boxes[t])
			fprintf(stderr, "contrast: %s theme, %d pieces of text, lowest %.2f:1 (%s)\n",
			        theme_get((enum theme_id)t)->name, totals.boxes[t], totals.min[t],
			        totals.min_what[t]);
	return 0;
}

int
main(void)
{
	for (int t = 0; t < THEME_COUNT; t++)
		totals.min[t] = 99;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(theme_tables),
		cmocka_unit_test(measure_can_fail),
		cmocka_unit_test(default_theme),
		cmocka_unit_test(high_contrast),
		cmocka_unit_test(goldens),
	};
	return cmocka_run_group_tests(tests, NULL, report);
}
