/*
 * test_ui_layout: every screen of every demo flow, at every window size the
 * kiosk promises (800x480 to 3840x2160, landscape and portrait), in both
 * presentations, laid out by the real app headless.
 *
 * What it holds the layout to (issue 2, "Screens" and "Touch first"):
 * - every target lies wholly inside the window;
 * - no two targets overlap, and a finger-width gap of at least MIN_GAP px
 *   separates any two, so a tap never lands on the wrong one;
 * - every target is at least H_MIN_TARGET_PX (20 mm on the harness' 96 dpi
 *   panel: 76 px) wide and tall, the physical figure, not the app's own;
 * - nothing but background touches a 2 px frame round the window (text or
 *   pictures running off screen);
 * - just outside each target there is only background, so a card's words
 *   never spill out of it (a label too long for its card shows here);
 * - on the smallest windows, the keyboard focus ring on every target stays
 *   on screen.
 * One exemption: a draw question's places (ACT_DRAW_STAMP, where a switch,
 * the keyboard or dwell puts a stamp) are positions on one drawing surface,
 * a grid the highlight moves over, tiling the page edge to edge as the page
 * itself does for a finger; a gap between them would be paper nobody could
 * stamp on. So neither the gap rule between two places nor the spill check
 * (just outside a place is more page, or its edge) applies to them; each
 * place must still be inside the window and at least 20 mm both ways (a
 * small page has fewer, bigger places), and every other target keeps its
 * gap from them.
 * Screens are reached the way a person reaches them: clicking Start, then
 * Skip through every question (Skip follows no rule, so every question on
 * the flow's path shows), waiting for "Are you still there?", and the
 * thank-you screen at the end. A choose-many question is checked again
 * with two pictures chosen, and a sort question with every picture in one
 * column (the worst case its mat is laid out for: geometry and the frame
 * only, the pictures lying on their column's panel).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"
#include "ui_harness.h"

#define MIN_GAP 4
#define FRAME 2
/* Pixels within this of the background count as background (the software
 * renderer's anti-aliasing of rounded corners is exact, but be lenient). */
#define BG_TOL 6

static const struct { int w, h; } sizes[] = {
	{ 800, 480 }, { 480, 800 }, { 1024, 600 }, { 1280, 800 }, { 800, 1280 },
	{ 1920, 1080 }, { 1080, 1920 }, { 3840, 2160 },
};
#define N_SIZES (sizeof sizes / sizeof sizes[0])

/* TELLUS_LAYOUT_SIZE=WxH narrows the sweeps to one size while mending. */
static bool
size_wanted(size_t i)
{
	const char *only = getenv("TELLUS_LAYOUT_SIZE");
	char buf[32];
	snprintf(buf, sizeof buf, "%dx%d", sizes[i].w, sizes[i].h);
	return !only || strcmp(only, buf) == 0;
}

static const char *flows[] = { "school-day.yaml", "clinic-visit.yaml", "co-production.yaml",
                               "more-ways.yaml" };
#define N_FLOWS (sizeof flows / sizeof flows[0])

static const char *
act_name(int a)
{
	static const char *names[] = {
		[ACT_NONE] = "none", [ACT_START] = "start", [ACT_ANSWER] = "answer",
		[ACT_DONE] = "done", [ACT_SKIP] = "skip", [ACT_DECLINE] = "decline",
		[ACT_BACK] = "back", [ACT_FINISH] = "finish", [ACT_STILL_HERE] = "still-here",
		[ACT_FINISH_EARLY] = "finished", [ACT_OPEN_ACCESS] = "access",
		[ACT_SORT_COLUMN] = "sort-column", [ACT_KEY] = "key",
		[ACT_DRAW_COLOUR] = "draw-colour", [ACT_DRAW_CLEAR] = "draw-clear",
		[ACT_DRAW_STAMP] = "draw-stamp",
	};
	return a >= 0 && a < (int)(sizeof names / sizeof names[0]) && names[a] ? names[a] : "?";
}

typedef struct where {
	const char *flow;
	const char *screen;   /* "welcome", a question id, "thanks", "still-there" */
	const char *pres;
	int w, h;
} where;

static int failures;

static void
problem(const where *at, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* Report every problem in the sweep, not just the first, so one run
	 * shows the whole picture; the test fails at the end. */
	fprintf(stderr, "LAYOUT %s %s %s %dx%d: %s\n", at->flow, at->pres, at->screen,
	        at->w, at->h, msg);
	failures++;
}

static bool
near_bg(SDL_Surface *s, int x, int y, ui_color bg)
{
	const Uint8 *row = (const Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch;
	Uint32 px;
	memcpy(&px, row + (size_t)x * 4, 4);
	Uint8 r, g, b;
	SDL_GetRGB(px, s->format, &r, &g, &b);
	return abs(r - bg.r) <= BG_TOL && abs(g - bg.g) <= BG_TOL && abs(b - bg.b) <= BG_TOL;
}

/* Counts pixels of the rectangle's ring [d0, d1) px outside r that are not
 * background, clipped to the window. */
static int
ring_not_bg(SDL_Surface *s, ui_rect r, int d0, int d1, ui_color bg, int *fx, int *fy)
{
	int n = 0;
	for (int y = r.y - d1 + 1; y < r.y + r.h + d1 - 1; y++) {
		if (y < 0 || y >= s->h)
			continue;
		for (int x = r.x - d1 + 1; x < r.x + r.w + d1 - 1; x++) {
			if (x < 0 || x >= s->w)
				continue;
			/* Inside the inner edge of the ring: jump over. */
			if (x > r.x - d0 && x < r.x + r.w - 1 + d0 && y > r.y - d0 && y < r.y + r.h - 1 + d0) {
				x = r.x + r.w - 2 + d0;
				continue;
			}
			if (!near_bg(s, x, y, bg)) {
				if (n == 0) {
					*fx = x;
					*fy = y;
				}
				n++;
			}
		}
	}
	return n;
}

static int
frame_not_bg(SDL_Surface *s, ui_color bg, int *fx, int *fy)
{
	int n = 0;
	for (int y = 0; y < s->h; y++)
		for (int x = 0; x < s->w; x++) {
			if (x >= FRAME && x < s->w - FRAME && y >= FRAME && y < s->h - FRAME) {
				x = s->w - FRAME - 1;
				continue;
			}
			if (!near_bg(s, x, y, bg)) {
				if (n == 0) {
					*fx = x;
					*fy = y;
				}
				n++;
			}
		}
	return n;
}

static void
check_geometry(harness *h, const where *at)
{
	ui_rect r[UI_MAX_TARGETS];
	int act[UI_MAX_TARGETS];
	int n = app_targets(h->app, r, act, UI_MAX_TARGETS);
	int min = H_MIN_TARGET_PX;
	if (n < 1)
		problem(at, "no targets: nothing to press");
	for (int i = 0; i < n; i++) {
		if (r[i].x < 0 || r[i].y < 0 || r[i].x + r[i].w > at->w || r[i].y + r[i].h > at->h)
			problem(at, "target %d (%s) at %d,%d %dx%d is not inside the window", i,
			     act_name(act[i]), r[i].x, r[i].y, r[i].w, r[i].h);
		if (r[i].w < min || r[i].h < min)
			problem(at, "target %d (%s) is %dx%d, smaller than %d px (20 mm)", i,
			     act_name(act[i]), r[i].w, r[i].h, min);
		for (int j = i + 1; j < n; j++) {
			/* A draw page's places tile one surface (see the top). */
			if (act[i] == ACT_DRAW_STAMP && act[j] == ACT_DRAW_STAMP)
				continue;
			/* The gap along whichever axis separates them. */
			int gx = ui_max(r[j].x - (r[i].x + r[i].w), r[i].x - (r[j].x + r[j].w));
			int gy = ui_max(r[j].y - (r[i].y + r[i].h), r[i].y - (r[j].y + r[j].h));
			int gap = ui_max(gx, gy);
			if (gap < MIN_GAP)
				problem(at, "targets %d (%s %d,%d %dx%d) and %d (%s %d,%d %dx%d) %s (gap %d px, want >= %d)",
				     i, act_name(act[i]), r[i].x, r[i].y, r[i].w, r[i].h,
				     j, act_name(act[j]), r[j].x, r[j].y, r[j].w, r[j].h,
				     gap < 0 ? "overlap" : "nearly touch", gap, MIN_GAP);
		}
	}
}

/* Keeps the picture of a screen that failed, in the build folder, so the
 * report can be looked at; a few are enough. */
static void
dump(SDL_Surface *s, const where *at)
{
	static int dumped;
	const char *bld = getenv("TELLUS_BUILD_ROOT");
	if (!bld || dumped >= 40)
		return;
	char path[1024], name[256];
	snprintf(name, sizeof name, "%s-%s-%s-%dx%d", at->flow, at->pres, at->screen, at->w, at->h);
	for (char *p = name; *p; p++)
		if (!(SDL_isalnum(*p) || *p == '-' || *p == '.'))
			*p = '_';
	snprintf(path, sizeof path, "%s/tests/layout-%s.png", bld, name);
	if (h_save_png(s, path) == 0) {
		fprintf(stderr, "LAYOUT picture: %s\n", path);
		dumped++;
	}
}

static void
check_pixels(harness *h, const where *at, bool spill)
{
	ui_color bg = theme_default()->bg;
	SDL_Surface *s = app_screenshot(h->app);
	assert_non_null(s);
	assert_int_equal(s->w, at->w);
	assert_int_equal(s->h, at->h);
	assert_int_equal(s->format->BytesPerPixel, 4);
	int before = failures;
	int fx = 0, fy = 0;
	int n = frame_not_bg(s, bg, &fx, &fy);
	if (n)
		problem(at, "%d non-background pixels in the %d px frame round the window (first at %d,%d): "
		     "something runs off screen", n, FRAME, fx, fy);
	if (spill) {
		ui_rect r[UI_MAX_TARGETS];
		int act[UI_MAX_TARGETS];
		int nt = app_targets(h->app, r, act, UI_MAX_TARGETS);
		for (int i = 0; i < nt; i++) {
			/* a place's surroundings are the page and its edge */
			if (act[i] == ACT_DRAW_STAMP)
				continue;
			/* 2..3 px outside the card: beyond its anti-aliased edge, inside
			 * the gap to its neighbours. */
			n = ring_not_bg(s, r[i], 2, 4, bg, &fx, &fy);
			if (n)
				problem(at, "%d non-background pixels just outside target %d (%s) at %d,%d %dx%d "
				     "(first at %d,%d): its words or picture spill out of it",
				     n, i, act_name(act[i]), r[i].x, r[i].y, r[i].w, r[i].h, fx, fy);
		}
	}
	if (failures > before)
		dump(s, at);
	SDL_FreeSurface(s);
}

/* With the keyboard focus ring on each target in turn, the ring stays in
 * the window. */
static void
check_focus_rings(harness *h, const where *at)
{
	ui_rect r[UI_MAX_TARGETS];
	int act[UI_MAX_TARGETS];
	int n = app_targets(h->app, r, act, UI_MAX_TARGETS);
	if (app_focus(h->app) < 0)
		h_key(h, SDLK_TAB, 0);
	for (int i = 0; i < n; i++) {
		assert_true(app_focus(h->app) >= 0);
		char name[96];
		snprintf(name, sizeof name, "%s [focus on %d %s]", at->screen, app_focus(h->app),
		         act_name(act[app_focus(h->app)]));
		where w2 = *at;
		w2.screen = name;
		check_pixels(h, &w2, false);
		h_key(h, SDLK_TAB, 0);
	}
}

static void
check_screen(harness *h, const where *at, bool rings)
{
	check_geometry(h, at);
	check_pixels(h, at, true);
	if (rings)
		check_focus_rings(h, at);
}

static void
sweep(const char *file, int w, int hp, int pres, bool rings)
{
	harness h;
	if (pres < 0)
		h_open(&h, file, w, hp, true);
	else
		h_open_pres(&h, file, w, hp, (enum presentation)pres);
	int ww, wh;
	SDL_GetWindowSize(app_window(h.app), &ww, &wh);
	assert_int_equal(ww, w);
	assert_int_equal(wh, hp);
	where at = { file, "welcome", presentation_name(app_view(h.app)->presentation), w, hp };

	assert_int_equal(app_view(h.app)->screen, SCREEN_WELCOME);
	check_screen(&h, &at, rings);

	h_click(&h, APP_ACT_START, 0);
	assert_int_equal(app_view(h.app)->screen, SCREEN_QUESTION);
	/* The person walks away on the first question. */
	h_advance(&h, h.cfg.timing.idle_ms + 5);
	h_step(&h);
	assert_int_equal(app_view(h.app)->screen, SCREEN_STILL_THERE);
	at.screen = "still-there";
	/* Any key carries on from here, so no ring to walk. */
	check_screen(&h, &at, false);
	h_click(&h, APP_ACT_STILL_HERE, 0);
	assert_int_equal(app_view(h.app)->screen, SCREEN_QUESTION);

	bool seen[64] = { false };
	assert_true(h.flow->n_questions <= 64);
	int guard = 0;
	while (app_view(h.app)->screen == SCREEN_QUESTION && guard++ < 64) {
		const session_view *v = app_view(h.app);
		seen[v->question_index] = true;
		at.screen = v->question->id;
		check_screen(&h, &at, rings);
		/* On a choose-many question, the Done button and chosen ticks
		 * show once pictures are chosen: check that state too. */
		if (v->question->type == QT_CHOOSE_MANY) {
			h_click(&h, APP_ACT_ANSWER, 0);
			h_click(&h, APP_ACT_ANSWER, (int)v->question->n_answers - 1);
			char name[96];
			snprintf(name, sizeof name, "%s [two chosen]", v->question->id);
			at.screen = name;
			check_screen(&h, &at, false);
		}
		/* On a sort question, the worst case the mat is laid out for:
		 * every picture in one column (the last), none left in the
		 * tray. */
		if (v->question->type == QT_SORT) {
			for (size_t i = 0; i < v->question->n_answers; i++) {
				h_click(&h, APP_ACT_ANSWER, (int)i);
				h_click(&h, APP_ACT_SORT_COLUMN, (int)v->question->n_columns - 1);
			}
			char name[96];
			snprintf(name, sizeof name, "%s [all in one column]", v->question->id);
			at.screen = name;
			/* not the spill check: pictures lie on their column's
			 * panel, not on the background */
			check_geometry(&h, &at);
			check_pixels(&h, &at, false);
		}
		h_click(&h, APP_ACT_SKIP, 0);
	}
	for (size_t i = 0; i < h.flow->n_questions; i++)
		if (!seen[i])
			problem(&at, "question %zu was never shown when skipping through", i);
	assert_int_equal(app_view(h.app)->screen, SCREEN_THANKS);
	at.screen = "thanks";
	check_screen(&h, &at, rings);
	h_close(&h);
}

static void
all_flows_all_sizes(void **s)
{
	(void)s;
	failures = 0;
	for (size_t f = 0; f < N_FLOWS; f++)
		for (size_t i = 0; i < N_SIZES; i++)
			if (size_wanted(i))
				sweep(flows[f], sizes[i].w, sizes[i].h, -1, false);
	assert_int_equal(failures, 0);
}

/* Every flow again in the presentation it does not ask for, so both
 * layouts meet every question type at every size. */
static void
other_presentation_all_sizes(void **s)
{
	(void)s;
	failures = 0;
	for (size_t f = 0; f < N_FLOWS; f++) {
		harness h;
		h_open(&h, flows[f], 800, 480, true);
		enum presentation other = app_view(h.app)->presentation == PRES_EASY_READ
		                          ? PRES_LARGE_SYMBOL : PRES_EASY_READ;
		h_close(&h);
		/* Not at 3840x2160: the sweep above covers both layouts there
		 * (co-production is easy-read), and under ASan each 4K sweep
		 * costs about half a minute. */
		for (size_t i = 0; i < N_SIZES; i++)
			if (size_wanted(i) && sizes[i].w * sizes[i].h < 3840 * 2160)
				sweep(flows[f], sizes[i].w, sizes[i].h, (int)other, false);
	}
	assert_int_equal(failures, 0);
}

/* The co-production flow is easy-read by its own choice: check that is
 * what shows, in both orientations. */
static void
coproduction_is_easy_read(void **s)
{
	(void)s;
	harness h;
	h_open(&h, "co-production.yaml", 1280, 800, true);
	assert_int_equal(app_view(h.app)->presentation, PRES_EASY_READ);
	h_close(&h);
	h_open(&h, "school-day.yaml", 800, 1280, true);
	assert_int_equal(app_view(h.app)->presentation, PRES_LARGE_SYMBOL);
	h_close(&h);
}

/* The focus ring is drawn outside its target: on the smallest windows it
 * must still be on screen for every target. */
static void
focus_rings_stay_on_screen(void **s)
{
	(void)s;
	failures = 0;
	for (size_t f = 0; f < N_FLOWS; f++) {
		sweep(flows[f], 800, 480, -1, true);
		sweep(flows[f], 480, 800, -1, true);
	}
	assert_int_equal(failures, 0);
}

/* The checks themselves must be able to fail: a surface with ink on its
 * edge is caught, and a clean one is not. */
static void
checks_can_fail(void **s)
{
	(void)s;
	ui_color bg = theme_default()->bg;
	SDL_Surface *sf = SDL_CreateRGBSurfaceWithFormat(0, 64, 48, 32, SDL_PIXELFORMAT_ARGB8888);
	assert_non_null(sf);
	SDL_FillRect(sf, NULL, SDL_MapRGB(sf->format, bg.r, bg.g, bg.b));
	int fx, fy;
	assert_int_equal(frame_not_bg(sf, bg, &fx, &fy), 0);
	ui_rect card = { 10, 10, 20, 20 };
	assert_int_equal(ring_not_bg(sf, card, 2, 4, bg, &fx, &fy), 0);
	SDL_FillRect(sf, &(SDL_Rect){ 63, 20, 1, 1 }, SDL_MapRGB(sf->format, 0, 0, 0));
	assert_int_equal(frame_not_bg(sf, bg, &fx, &fy), 1);
	assert_int_equal(fx, 63);
	assert_int_equal(fy, 20);
	/* A word spilling 3 px below the card. */
	SDL_FillRect(sf, &(SDL_Rect){ 15, 32, 4, 1 }, SDL_MapRGB(sf->format, 0, 0, 0));
	assert_int_equal(ring_not_bg(sf, card, 2, 4, bg, &fx, &fy), 4);
	/* Ink inside the card is not spill. */
	SDL_FillRect(sf, &(SDL_Rect){ 12, 12, 16, 16 }, SDL_MapRGB(sf->format, 0, 0, 0));
	assert_int_equal(ring_not_bg(sf, card, 2, 4, bg, &fx, &fy), 4);
	SDL_FreeSurface(sf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(checks_can_fail),
		cmocka_unit_test(coproduction_is_easy_read),
		cmocka_unit_test(all_flows_all_sizes),
		cmocka_unit_test(other_presentation_all_sizes),
		cmocka_unit_test(focus_rings_stay_on_screen),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
