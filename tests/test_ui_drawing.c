/*
 * test_ui_drawing: the draw question through the real app, headless, with
 * real SDL events: a drawing made by touch and by the mouse (strokes on
 * the page in two colours), and with stamps by the keyboard alone, one
 * switch scanning, one switch tap and hold, two switches and dwell. Each
 * run then reads the real SQLite file, and the PNG it holds is read by an
 * independent reader (tests/export/check_draw.py: Python's zlib and struct)
 * for its size and colours. Nothing drawn, or "Start again", is a skip; a
 * new person starts on a clean page; and one run goes on through `tellus
 * export` (drawings/<session>-<question>.png in SHA256SUMS), `tellus merge`
 * and `tellus report` with and without --with-drawings; one sealed
 * (the office key): `tellus open`, scripts/open-export.py and merge --key
 * bring the same PNG back; and "Show the room" counts people who drew but
 * holds and shows no drawing, nor the draw question.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <sqlite3.h>

#include "pin/pin.h"
#include "report/report.h"
#include "report/report_room.h"
#include "staff/staff.h"
#include "store/store.h"
#include "ui.h"
#include "ui_harness.h"

#define W 1280
#define H 800
#define FLOW "more-ways.yaml"
#define PIN "471147"

static void __attribute__((unused))
push_text(harness *h, const char *s, bool editing)
{
	SDL_Event ev = { 0 };
	ev.type = editing ? SDL_TEXTEDITING : SDL_TEXTINPUT;
	if (editing) {
		ev.edit.windowID = SDL_GetWindowID(app_window(h->app));
		snprintf(ev.edit.text, sizeof ev.edit.text, "%s", s);
		ev.edit.length = (Sint32)strlen(s);
	} else {
		ev.text.windowID = SDL_GetWindowID(app_window(h->app));
		snprintf(ev.text.text, sizeof ev.text.text, "%s", s);
	}
	SDL_PushEvent(&ev);
	h_step(h);
}


static void
to_draw(harness *h, h_press_fn press)
{
	press(h, APP_ACT_START, 0);
	int guard = 0;
	while (app_view(h->app)->screen == SCREEN_QUESTION &&
	       app_view(h->app)->question->type != QT_DRAW) {
		press(h, APP_ACT_SKIP, 0);
		assert_true(++guard < 10);
	}
	assert_int_equal(app_view(h->app)->screen, SCREEN_QUESTION);
	assert_string_equal(app_view(h->app)->question->id, "draw-school");
}

static void
to_end(harness *h, h_press_fn press)
{
	int guard = 0;
	while (app_view(h->app)->screen == SCREEN_QUESTION) {
		press(h, APP_ACT_SKIP, 0);
		assert_true(++guard < 10);
	}
	assert_int_equal(app_view(h->app)->screen, SCREEN_THANKS);
	app_flush(h->app);
}

/* A line across the page with a finger (or the mouse), from one place's
 * centre to another's. */
static void
stroke(harness *h, bool finger, int from, int to)
{
	int x0, y0, x1, y1;
	assert_true(h_center(h, APP_ACT_DRAW_STAMP, from, &x0, &y0));
	assert_true(h_center(h, APP_ACT_DRAW_STAMP, to, &x1, &y1));
	if (finger)
		h_finger(h, SDL_FINGERDOWN, 5, x0, y0);
	else
		h_mouse(h, SDL_MOUSEBUTTONDOWN, x0, y0);
	h_step(h);
	for (int i = 1; i <= 10; i++) {
		int x = x0 + (x1 - x0) * i / 10, y = y0 + (y1 - y0) * i / 10;
		if (finger)
			h_finger(h, SDL_FINGERMOTION, 5, x, y);
		else
			h_mouse(h, SDL_MOUSEMOTION, x, y);
		h_step(h);
	}
	if (finger)
		h_finger(h, SDL_FINGERUP, 5, x1, y1);
	else
		h_mouse(h, SDL_MOUSEBUTTONUP, x1, y1);
	h_step(h);
	h_advance(h, 400);
	h_step(h);
}

/* Red, then blue; by strokes (finger, mouse) or by stamps. */
static void
draw_picture(harness *h, h_press_fn press, int strokes)
{
	press(h, APP_ACT_DRAW_COLOUR, 1);   /* red */
	if (strokes)
		stroke(h, strokes == 1, 0, 8);
	else {
		press(h, APP_ACT_DRAW_STAMP, 4);
		press(h, APP_ACT_DRAW_STAMP, 4);
	}
	press(h, APP_ACT_DRAW_COLOUR, 2);   /* blue */
	if (strokes)
		stroke(h, strokes == 1, 2, 6);
	else
		press(h, APP_ACT_DRAW_STAMP, 0);
	press(h, APP_ACT_DONE, 0);
}

/* The database holds one drawing for the draw question, and Python reads
 * its PNG: 800 x 600, white paper, red and blue ink. */
static void
check_db(harness *h, const char *method)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM answers a JOIN answer_drawings d"
	         " ON d.session_id = a.session_id AND d.seq = a.seq WHERE a.question_id = 'draw-school'"
	         " AND a.kind = 'chosen' AND a.input_method = '%s'", method);
	assert_int_equal(h_sql_int(h, sql), 1);
	assert_int_equal(h_sql_int(h, "SELECT count(*) FROM answer_drawings"), 1);
	const char *src = getenv("TELLUS_SOURCE_ROOT");
	assert_non_null(src);
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "python3 '%s/tests/export/check_draw.py' --db '%s'", src, h->db);
	int rc = system(cmd);
	assert_true(WIFEXITED(rc));
	assert_int_equal(WEXITSTATUS(rc), 0);
}

static enum access_method method_now;
static void
tweak_method(kiosk_config *c)
{
	c->access.method = method_now;
	c->access.scan_interval_ms = 750;
	c->timing.idle_ms = 10 * 60 * 1000;
}

static void
run(enum access_method m, h_press_fn press, int strokes, const char *stored)
{
	harness h;
	method_now = m;
	h_open_cfg(&h, FLOW, W, H, tweak_method);
	to_draw(&h, press);
	draw_picture(&h, press, strokes);
	to_end(&h, press);
	check_db(&h, stored);
	h_close(&h);
}

/* Pixels of the focus ring's inner colour (the default theme's) inside r. */
static int
focus_pixels(harness *h, ui_rect r)
{
	SDL_Surface *shot = app_screenshot(h->app);
	assert_non_null(shot);
	SDL_Surface *s = SDL_ConvertSurfaceFormat(shot, SDL_PIXELFORMAT_ARGB8888, 0);
	SDL_FreeSurface(shot);
	assert_non_null(s);
	int n = 0;
	for (int y = ui_max(r.y, 0); y < r.y + r.h && y < s->h; y++)
		for (int x = ui_max(r.x, 0); x < r.x + r.w && x < s->w; x++) {
			Uint32 px = ((const Uint32 *)((const Uint8 *)s->pixels + y * s->pitch))[x];
			n += (px & 0xFFFFFF) == 0xFFD400;
		}
	SDL_FreeSurface(s);
	return n;
}

/* Scanning over the page: the highlight is drawn on the place it offers,
 * each of the nine, and on no other. */
static void
the_highlight_is_on_the_place_it_offers(void **st)
{
	(void)st;
	harness h;
	method_now = ACCESS_SCAN;
	h_open_cfg(&h, FLOW, W, H, tweak_method);
	to_draw(&h, h_press_scan);
	for (int cell = 0; cell < 9; cell++) {
		int want = h_target_index(&h, APP_ACT_DRAW_STAMP, cell);
		assert_true(want >= 0);
		for (int guard = 0; app_focus(h.app) != want; guard++) {
			h_advance(&h, 250);
			h_step(&h);
			assert_true(guard < 800);
		}
		ui_rect r[64];
		int acts[64];
		int n = app_targets(h.app, r, acts, 64);
		for (int i = 0; i < n; i++) {
			if (acts[i] != APP_ACT_DRAW_STAMP)
				continue;
			if (i == want)
				assert_true(focus_pixels(&h, r[i]) > 50);
			else
				assert_int_equal(focus_pixels(&h, r[i]), 0);
		}
	}
	h_close(&h);
}

/* Pixels for which match(px) holds (ARGB8888) inside a square of side 2d
 * round (x, y) of the screen as shown. */
static int
pixels_near(harness *h, int x, int y, int d, bool (*match)(Uint32 px))
{
	SDL_Surface *shot = app_screenshot(h->app);
	assert_non_null(shot);
	SDL_Surface *s = SDL_ConvertSurfaceFormat(shot, SDL_PIXELFORMAT_ARGB8888, 0);
	SDL_FreeSurface(shot);
	assert_non_null(s);
	int n = 0;
	for (int j = ui_max(y - d, 0); j < y + d && j < s->h; j++)
		for (int i = ui_max(x - d, 0); i < x + d && i < s->w; i++)
			n += match(((const Uint32 *)((const Uint8 *)s->pixels + j * s->pitch))[i]);
	SDL_FreeSurface(s);
	return n;
}

/* Red ink (the page is scaled, so near the red swatch's colour). */
static bool
is_red(Uint32 px)
{
	return (px >> 16 & 0xFF) > 180 && (px >> 8 & 0xFF) < 90 && (px & 0xFF) < 90;
}

static int red_near(harness *h, int x, int y, int d) { return pixels_near(h, x, y, d, is_red); }

/* The mouse button goes down on the page, then the window loses focus and
 * the button's release goes elsewhere: moving the mouse afterwards, no
 * button held, draws nothing. */
static void
no_ink_after_a_lost_release(void **st)
{
	(void)st;
	harness h;
	method_now = ACCESS_TOUCH;
	h_open_cfg(&h, FLOW, W, H, tweak_method);
	to_draw(&h, h_click);
	h_click(&h, APP_ACT_DRAW_COLOUR, 1);   /* red */
	int x0, y0, x1, y1, x8, y8;
	assert_true(h_center(&h, APP_ACT_DRAW_STAMP, 0, &x0, &y0));
	assert_true(h_center(&h, APP_ACT_DRAW_STAMP, 1, &x1, &y1));
	assert_true(h_center(&h, APP_ACT_DRAW_STAMP, 8, &x8, &y8));
	h_mouse(&h, SDL_MOUSEBUTTONDOWN, x0, y0);
	h_step(&h);
	for (int i = 1; i <= 10; i++) {
		h_mouse(&h, SDL_MOUSEMOTION, x0 + (x1 - x0) * i / 10, y0);
		h_step(&h);
	}
	int drawn = red_near(&h, (x0 + x1) / 2, y0, 10);
	h_window(&h, SDL_WINDOWEVENT_FOCUS_LOST);
	h_step(&h);
	h_window(&h, SDL_WINDOWEVENT_FOCUS_GAINED);
	h_step(&h);
	for (int i = 1; i <= 10; i++) {
		h_mouse_hover(&h, x1 + (x8 - x1) * i / 10, y1 + (y8 - y1) * i / 10);
		h_step(&h);
	}
	assert_true(drawn > 0);   /* the colour looked for is the ink's */
	assert_int_equal(red_near(&h, x8, y8, 10), 0);
	h_close(&h);
}

/* Not the paper's white: ink of any colour (the rubber aside). */
static bool
is_ink(Uint32 px)
{
	return (px & 0xFFFFFF) != 0xFFFFFF;
}

static int ink_near(harness *h, int x, int y, int d) { return pixels_near(h, x, y, d, is_ink); }

/* One line at a time, from the first finger: a second finger going down
 * on the page or on a swatch while the first draws neither draws nor
 * chooses, and the first goes on drawing in its colour; a finger held on
 * a swatch keeps another from drawing on the page. */
static void
a_second_finger_neither_draws_nor_presses(void **st)
{
	(void)st;
	harness h;
	method_now = ACCESS_TOUCH;
	h_open_cfg(&h, FLOW, W, H, tweak_method);
	to_draw(&h, h_press_finger);
	h_press_finger(&h, APP_ACT_DRAW_COLOUR, 1);   /* red */
	int x0, y0, x2, y2, x3, y3, x6, y6, x7, y7, x8, y8, bx, by;
	assert_true(h_center(&h, APP_ACT_DRAW_STAMP, 0, &x0, &y0));
	assert_true(h_center(&h, APP_ACT_DRAW_STAMP, 2, &x2, &y2));
	assert_true(h_center(&h, APP_ACT_DRAW_STAMP, 3, &x3, &y3));
	assert_true(h_center(&h, APP_ACT_DRAW_STAMP, 6, &x6, &y6));
	assert_true(h_center(&h, APP_ACT_DRAW_STAMP, 7, &x7, &y7));
	assert_true(h_center(&h, APP_ACT_DRAW_STAMP, 8, &x8, &y8));
	assert_true(h_center(&h, APP_ACT_DRAW_COLOUR, 2, &bx, &by));   /* blue */
	int xm = (x0 + x2) / 2;
	/* the first finger draws half way along the top row */
	h_finger(&h, SDL_FINGERDOWN, 5, x0, y0);
	h_step(&h);
	for (int i = 1; i <= 5; i++) {
		h_finger(&h, SDL_FINGERMOTION, 5, x0 + (xm - x0) * i / 5, y0);
		h_step(&h);
	}
	/* a second, across the bottom row, then on the blue swatch */
	h_finger(&h, SDL_FINGERDOWN, 6, x8, y8);
	h_step(&h);
	for (int i = 1; i <= 5; i++) {
		h_finger(&h, SDL_FINGERMOTION, 6, x8 + (x7 - x8) * i / 5, y8);
		h_step(&h);
	}
	h_finger(&h, SDL_FINGERUP, 6, x7, y7);
	h_step(&h);
	h_advance(&h, 400);
	h_finger(&h, SDL_FINGERDOWN, 6, bx, by);
	h_step(&h);
	h_advance(&h, 200);
	h_finger(&h, SDL_FINGERUP, 6, bx, by);
	h_step(&h);
	/* the first goes on to the end of the row */
	for (int i = 1; i <= 5; i++) {
		h_finger(&h, SDL_FINGERMOTION, 5, xm + (x2 - xm) * i / 5, y0);
		h_step(&h);
	}
	h_finger(&h, SDL_FINGERUP, 5, x2, y2);
	h_step(&h);
	h_advance(&h, 400);
	h_step(&h);
	assert_int_equal(ink_near(&h, x8, y8, 12), 0);
	assert_int_equal(ink_near(&h, (x7 + x8) / 2, y8, 12), 0);
	assert_true(red_near(&h, x0 + (x2 - x0) / 4, y0, 6) > 20);
	assert_true(red_near(&h, x2, y2, 6) > 20);   /* still red: blue was not chosen */
	/* a finger held on the blue swatch; another on the page draws nothing */
	h_finger(&h, SDL_FINGERDOWN, 7, bx, by);
	h_step(&h);
	h_finger(&h, SDL_FINGERDOWN, 8, x6, y6);
	h_step(&h);
	for (int i = 1; i <= 5; i++) {
		h_finger(&h, SDL_FINGERMOTION, 8, x6, y6 + (y3 - y6) * i / 5);
		h_step(&h);
	}
	h_finger(&h, SDL_FINGERUP, 8, x3, y3);
	h_step(&h);
	h_finger(&h, SDL_FINGERUP, 7, bx, by);
	h_step(&h);
	h_advance(&h, 400);
	h_step(&h);
	assert_int_equal(ink_near(&h, x6, y6, 12), 0);
	assert_int_equal(ink_near(&h, x6, (y3 + y6) / 2, 12), 0);
	/* the swatch's own finger chose it: the next line is blue */
	h_finger(&h, SDL_FINGERDOWN, 9, x6, y6);
	h_step(&h);
	h_finger(&h, SDL_FINGERUP, 9, x6, y6);
	h_step(&h);
	assert_true(ink_near(&h, x6, y6, 6) > 20);
	assert_int_equal(red_near(&h, x6, y6, 6), 0);
	h_close(&h);
}

static app_frame_stats
page_stats(harness *h)
{
	app_frame_stats s;
	app_get_frame_stats(h->app, &s);
	return s;
}

static void
push_render_reset(harness *h, Uint32 type)
{
	SDL_Event ev = { 0 };
	ev.type = type;
	SDL_PushEvent(&ev);
	h_step(h);
	app_draw(h->app);
}

#define PAGE_PX ((uint64_t)800 * 600)

/* The page holds nothing until the draw question opens: then its pixels
 * and one texture, filled once; a line sends only the rectangle it
 * changed, an unchanged frame nothing; a render reset fills the texture
 * again (a device reset makes it anew), and the drawing still shows. Left
 * blank, the page is given back; left with a drawing, Back finds it; the
 * turn's end gives it back. */
static void
the_page_is_made_when_it_opens(void **st)
{
	(void)st;
	harness h;
	method_now = ACCESS_TOUCH;
	h_open_cfg(&h, FLOW, W, H, tweak_method);
	app_draw(h.app);
	assert_int_equal(page_stats(&h).canvas_bytes, 0);
	assert_int_equal(page_stats(&h).canvas_textures, 0);
	to_draw(&h, h_click);
	app_draw(h.app);
	app_frame_stats a = page_stats(&h);
	assert_int_equal(a.canvas_bytes, PAGE_PX * 4);
	assert_int_equal(a.canvas_textures, 1);
	assert_int_equal(a.canvas_uploaded, PAGE_PX);
	for (int i = 0; i < 3; i++)
		app_draw(h.app);
	assert_int_equal(page_stats(&h).canvas_uploaded, PAGE_PX);
	h_click(&h, APP_ACT_DRAW_COLOUR, 1);   /* red */
	stroke(&h, false, 0, 1);
	app_draw(h.app);
	app_frame_stats b = page_stats(&h);
	assert_int_equal(b.canvas_textures, 1);
	assert_true(b.canvas_uploaded > a.canvas_uploaded);
	assert_true(b.canvas_uploaded - a.canvas_uploaded < PAGE_PX / 4);
	int x0, y0, x1, y1;
	assert_true(h_center(&h, APP_ACT_DRAW_STAMP, 0, &x0, &y0));
	assert_true(h_center(&h, APP_ACT_DRAW_STAMP, 1, &x1, &y1));
	int mx = (x0 + x1) / 2;
	assert_true(red_near(&h, mx, y0, 6) > 20);

	push_render_reset(&h, SDL_RENDER_TARGETS_RESET);
	app_frame_stats c = page_stats(&h);
	assert_int_equal(c.canvas_textures, 1);
	assert_int_equal(c.canvas_uploaded - b.canvas_uploaded, PAGE_PX);
	assert_true(red_near(&h, mx, y0, 6) > 20);
	push_render_reset(&h, SDL_RENDER_DEVICE_RESET);
	app_frame_stats d = page_stats(&h);
	assert_int_equal(d.canvas_textures, 2);
	assert_int_equal(d.canvas_uploaded - c.canvas_uploaded, PAGE_PX);
	assert_true(red_near(&h, mx, y0, 6) > 20);

	/* left with a drawing (Skip), Back finds it */
	h_click(&h, APP_ACT_SKIP, 0);
	app_draw(h.app);
	assert_int_equal(page_stats(&h).canvas_bytes, PAGE_PX * 4);
	h_click(&h, APP_ACT_BACK, 0);
	assert_string_equal(app_view(h.app)->question->id, "draw-school");
	assert_true(red_near(&h, mx, y0, 6) > 20);
	/* left blank, it is given back */
	h_click(&h, APP_ACT_DRAW_CLEAR, 0);
	h_click(&h, APP_ACT_SKIP, 0);
	app_draw(h.app);
	assert_int_equal(page_stats(&h).canvas_bytes, 0);
	h_click(&h, APP_ACT_BACK, 0);
	app_draw(h.app);
	assert_int_equal(page_stats(&h).canvas_bytes, PAGE_PX * 4);
	assert_int_equal(page_stats(&h).canvas_textures, 3);
	/* a drawing left there; the turn's end gives the page back */
	stroke(&h, false, 0, 1);
	to_end(&h, h_click);
	h_click(&h, APP_ACT_FINISH, 0);
	for (int i = 0; i < 50 && app_view(h.app)->screen != SCREEN_WELCOME; i++) {
		h_advance(&h, 100);
		app_step(h.app, 5);
	}
	assert_int_equal(app_view(h.app)->screen, SCREEN_WELCOME);
	app_draw(h.app);
	assert_int_equal(page_stats(&h).canvas_bytes, 0);
	h_close(&h);
}

/* A flow without a draw question never makes a page. */
static void
no_page_without_a_draw_question(void **st)
{
	(void)st;
	harness h;
	h_open(&h, "school-day.yaml", W, H, true);
	h_click(&h, APP_ACT_START, 0);
	for (int guard = 0; guard < 30 && app_view(h.app)->screen == SCREEN_QUESTION; guard++) {
		app_draw(h.app);
		assert_int_equal(page_stats(&h).canvas_bytes, 0);
		h_click(&h, APP_ACT_SKIP, 0);
	}
	assert_int_equal(app_view(h.app)->screen, SCREEN_THANKS);
	assert_int_equal(page_stats(&h).canvas_bytes, 0);
	assert_int_equal(page_stats(&h).canvas_textures, 0);
	h_close(&h);
}

/* A place's stamps go round its middle, press after press; when the
 * window changes (800 x 480: the places become three by two) a place is
 * another spot of the page, and a stamp there starts at its middle. Red
 * is looked for a little up and left of the new place's middle (30 page
 * pixels each way): inside a blot at the middle (56 round), outside the
 * earlier ones (round the page's middle, at most 40 + 56 below it) and
 * outside the one a carried-over count would have put 40 right and down. */
static void
a_stamp_after_a_resize_starts_at_the_middle(void **st)
{
	(void)st;
	harness h;
	method_now = ACCESS_TOUCH;
	h_open_cfg(&h, FLOW, W, H, tweak_method);
	to_draw(&h, h_press_keyboard);
	assert_int_equal(h_count_action(&h, APP_ACT_DRAW_STAMP), 9);
	h_press_keyboard(&h, APP_ACT_DRAW_COLOUR, 1);   /* red */
	for (int i = 0; i < 5; i++)
		h_press_keyboard(&h, APP_ACT_DRAW_STAMP, 4);

	SDL_SetWindowSize(app_window(h.app), 800, 480);
	h_step(&h);
	app_draw(h.app);
	assert_int_equal(h_count_action(&h, APP_ACT_DRAW_STAMP), 6);   /* three by two */
	int x0, y0, x1, y1, x3, y3, x4, y4;
	assert_true(h_center(&h, APP_ACT_DRAW_STAMP, 0, &x0, &y0));
	assert_true(h_center(&h, APP_ACT_DRAW_STAMP, 1, &x1, &y1));
	assert_true(h_center(&h, APP_ACT_DRAW_STAMP, 3, &x3, &y3));
	assert_true(h_center(&h, APP_ACT_DRAW_STAMP, 4, &x4, &y4));
	int pw = 3 * (x1 - x0), ph = 2 * (y3 - y0);   /* the page on screen */
	int px = x4 - 30 * pw / 800, py = y4 - 30 * ph / 600;
	assert_int_equal(red_near(&h, px, py, 2), 0);   /* nothing there yet */
	h_press_keyboard(&h, APP_ACT_DRAW_STAMP, 4);
	assert_true(red_near(&h, px, py, 2) > 0);
	assert_true(red_near(&h, x4, y4, 2) > 0);
	h_close(&h);
}

/* ---- the page that cannot be made -------------------------------------- */

/* SDL's allocator, with one that refuses the page's texture (its 800 x 600
 * pixels, the only allocation that big a frame makes) while big_fails is
 * set; everything else goes to SDL's own, which frees it all alike. */
static SDL_malloc_func sdl_malloc;
static SDL_calloc_func sdl_calloc;
static SDL_realloc_func sdl_realloc;
static SDL_free_func sdl_free;
static bool big_fails;
static int big_refused;

static void *
malloc_no_big(size_t n)
{
	if (big_fails && n >= PAGE_PX * 4) {
		big_refused++;
		return NULL;
	}
	return sdl_malloc(n);
}

/* SDL's log, counted: how often the page was said not to be made. */
static SDL_LogOutputFunction log_before;
static void *log_before_data;
static int page_warnings;

static void
count_log(void *data, int category, SDL_LogPriority priority, const char *message)
{
	if (strstr(message, "the drawing's page could not be made"))
		page_warnings++;
	log_before(data, category, priority, message);
}

/* A page that cannot be made is tried at every frame and said once: a
 * second time only after it was made and could not be made again. The
 * question shows without its page meanwhile. */
static void
a_page_not_made_is_said_once(void **st)
{
	(void)st;
	harness h;
	method_now = ACCESS_TOUCH;
	h_open_cfg(&h, FLOW, W, H, tweak_method);
	SDL_GetMemoryFunctions(&sdl_malloc, &sdl_calloc, &sdl_realloc, &sdl_free);
	assert_int_equal(SDL_SetMemoryFunctions(malloc_no_big, sdl_calloc, sdl_realloc, sdl_free), 0);
	SDL_LogGetOutputFunction(&log_before, &log_before_data);
	SDL_LogSetOutputFunction(count_log, log_before_data);
	page_warnings = big_refused = 0;

	big_fails = true;
	to_draw(&h, h_click);
	for (int i = 0; i < 20; i++)
		app_draw(h.app);
	assert_true(big_refused >= 20);   /* tried at every frame */
	assert_int_equal(page_stats(&h).canvas_bytes, 0);
	assert_int_equal(page_warnings, 1);

	big_fails = false;
	app_draw(h.app);
	assert_int_equal(page_stats(&h).canvas_bytes, PAGE_PX * 4);
	assert_int_equal(page_warnings, 1);
	/* given back (left blank), then refused again: said again, once */
	h_click(&h, APP_ACT_SKIP, 0);
	app_draw(h.app);
	assert_int_equal(page_stats(&h).canvas_bytes, 0);
	big_fails = true;
	h_click(&h, APP_ACT_BACK, 0);
	for (int i = 0; i < 20; i++)
		app_draw(h.app);
	assert_int_equal(page_stats(&h).canvas_bytes, 0);
	assert_int_equal(page_warnings, 2);

	big_fails = false;
	SDL_LogSetOutputFunction(log_before, log_before_data);
	SDL_SetMemoryFunctions(sdl_malloc, sdl_calloc, sdl_realloc, sdl_free);
	h_close(&h);
}

static void by_touch(void **s) { (void)s; run(ACCESS_TOUCH, h_press_finger, 1, "touch"); }
static void by_mouse(void **s) { (void)s; run(ACCESS_TOUCH, h_click, 2, "mouse"); }
static void by_keyboard(void **s) { (void)s; run(ACCESS_TOUCH, h_press_keyboard, 0, "keyboard"); }
static void by_scan(void **s) { (void)s; run(ACCESS_SCAN, h_press_scan, 0, "switch"); }
static void by_tap_hold(void **s) { (void)s; run(ACCESS_TAP_HOLD, h_press_tap_hold, 0, "switch"); }
static void by_two_switches(void **s) { (void)s; run(ACCESS_TWO_SWITCH, h_press_two, 0, "switch"); }
static void by_dwell(void **s) { (void)s; run(ACCESS_DWELL, h_press_dwell, 0, "dwell"); }

/* Nothing drawn is a skip, and so is a drawing taken back with "Start
 * again"; Back finds the page as it was; a new person's page is clean. */
static void
empty_and_walk_away(void **s)
{
	(void)s;
	harness h;
	method_now = ACCESS_TOUCH;
	h_open_cfg(&h, FLOW, W, H, tweak_method);
	to_draw(&h, h_click);
	h_click(&h, APP_ACT_DONE, 0);
	app_flush(h.app);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers WHERE question_id = 'draw-school'"
	                 " AND kind = 'skipped'"), 1);
	h_click(&h, APP_ACT_BACK, 0);
	stroke(&h, false, 0, 4);
	h_click(&h, APP_ACT_DRAW_CLEAR, 0);
	h_click(&h, APP_ACT_DONE, 0);
	app_flush(h.app);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers WHERE question_id = 'draw-school'"
	                 " AND kind = 'skipped'"), 2);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answer_drawings"), 0);
	/* a drawing left on the page, then the person walks away */
	h_click(&h, APP_ACT_BACK, 0);
	stroke(&h, false, 0, 8);
	h_advance(&h, h.cfg.timing.idle_ms + 1);
	h_step(&h);
	h_advance(&h, h.cfg.timing.still_there_ms + 1);
	h_step(&h);
	app_flush(h.app);
	for (int i = 0; i < 10 && app_view(h.app)->screen != SCREEN_WELCOME; i++) {
		h_advance(&h, 1000);
		h_step(&h);
	}
	assert_int_equal(app_view(h.app)->screen, SCREEN_WELCOME);
	/* the next person: Done on what they find is a skip, nothing was left */
	to_draw(&h, h_click);
	h_click(&h, APP_ACT_DONE, 0);
	app_flush(h.app);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answer_drawings"), 0);
	h_close(&h);
}

/* A page drawn on and then rubbed out, all white paper again, is a page
 * not drawn on: a skip in the database, and not one who drew in the
 * report. */
static void
rubbed_out_is_not_a_drawing(void **s)
{
	(void)s;
	harness h;
	method_now = ACCESS_TOUCH;
	h_open_cfg(&h, FLOW, W, H, tweak_method);
	to_draw(&h, h_press_finger);
	h_press_finger(&h, APP_ACT_DRAW_COLOUR, 1);   /* red */
	stroke(&h, true, 0, 4);
	int x0, y0, x4, y4;
	assert_true(h_center(&h, APP_ACT_DRAW_STAMP, 0, &x0, &y0));
	assert_true(h_center(&h, APP_ACT_DRAW_STAMP, 4, &x4, &y4));
	assert_true(red_near(&h, (x0 + x4) / 2, (y0 + y4) / 2, 6) > 20);   /* there was ink */
	h_press_finger(&h, APP_ACT_DRAW_COLOUR, UI_DRAW_ERASER);
	stroke(&h, true, 0, 4);
	assert_int_equal(ink_near(&h, (x0 + x4) / 2, (y0 + y4) / 2, 40), 0);   /* and now none */
	h_press_finger(&h, APP_ACT_DONE, 0);
	to_end(&h, h_press_finger);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers WHERE question_id = 'draw-school'"
	                 " AND kind = 'skipped'"), 1);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers WHERE question_id = 'draw-school'"
	                 " AND kind = 'chosen'"), 0);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answer_drawings"), 0);
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(h.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	report_options opt = { .with_drawings = true };
	report *r = NULL;
	tl_error err;
	assert_int_equal(report_collect(db, &opt, &r, &err), 0);
	bool found = false;
	for (size_t f = 0; f < r->n_flows; f++)
		for (size_t q = 0; q < r->flows[f].n_questions; q++) {
			const report_question *rq = &r->flows[f].questions[q];
			if (strcmp(rq->id, "draw-school") != 0)
				continue;
			found = true;
			assert_true(rq->is_draw);
			assert_int_equal(rq->n_drawings, 0);
			assert_int_equal(rq->skipped, 1);
		}
	assert_true(found);
	report_destroy(r);
	sqlite3_close(db);
	h_close(&h);
}

static void
export_merge_report(void **s)
{
	(void)s;
	harness h;
	method_now = ACCESS_TOUCH;
	h_open_cfg(&h, FLOW, W, H, tweak_method);
	to_draw(&h, h_press_finger);
	draw_picture(&h, h_press_finger, 1);
	to_end(&h, h_press_finger);
	const char *build = getenv("TELLUS_BUILD_ROOT"), *src = getenv("TELLUS_SOURCE_ROOT");
	assert_non_null(build);
	assert_non_null(src);
	char cmd[4096];
	snprintf(cmd, sizeof cmd,
	         "set -e; cd '%s'; mkdir out; '%s/tellus' export --db '%s' --to out >/dev/null;"
	         " d=$(ls -d out/TELLUS/*/*); (cd \"$d\" && sha256sum -c --quiet SHA256SUMS);"
	         " grep -q '  drawings/.*-draw-school.png$' \"$d/SHA256SUMS\";"
	         " '%s/tellus' merge --into merged.db \"$d\" >/dev/null;"
	         " '%s/tellus' report --db merged.db --out report.html >/dev/null;"
	         " '%s/tellus' report --db merged.db --with-drawings --out with.html >/dev/null;"
	         " python3 '%s/tests/export/check_draw.py' --export \"$d\" merged.db report.html with.html",
	         h.dir, build, h.db, build, build, build, src);
	int rc = system(cmd);
	assert_true(WIFEXITED(rc));
	assert_int_equal(WEXITSTATUS(rc), 0);
	h_close(&h);
}

/* tellus merge refuses an export whose drawing was damaged on the stick (a
 * byte changed: its checksum), and one whose drawing is not a PNG even when
 * summed and signed again with the kiosk's own key, with the reason in
 * plain words and nothing added to the master. */
static void
merge_refuses_a_damaged_drawing(void **s)
{
	(void)s;
	harness h;
	method_now = ACCESS_TOUCH;
	h_open_cfg(&h, FLOW, W, H, tweak_method);
	to_draw(&h, h_press_finger);
	draw_picture(&h, h_press_finger, 1);
	to_end(&h, h_press_finger);
	const char *build = getenv("TELLUS_BUILD_ROOT");
	assert_non_null(build);
	char cmd[6000];
	snprintf(cmd, sizeof cmd,
	         "set -e; cd '%s'; mkdir out; '%s/tellus' export --db '%s' --to out >/dev/null;"
	         " d=$(ls -d out/TELLUS/*/*);"
	         /* one byte changed in the picture */
	         " cp -r \"$d\" bad1; p=$(ls bad1/drawings/*.png);"
	         " printf 'X' | dd of=\"$p\" bs=1 seek=40 conv=notrunc 2>/dev/null;"
	         " if '%s/tellus' merge --into m1.db bad1 > m1.out 2>&1; then exit 11; fi;"
	         " grep -q 'has been changed or damaged' m1.out || { cat m1.out; exit 12; };"
	         " test \"$(sqlite3 m1.db 'SELECT count(*) FROM sessions')\" = 0 || exit 13;"
	         /* not a PNG, summed and signed again as its kiosk would */
	         " cp -r \"$d\" bad2; p=$(ls bad2/drawings/*.png); n=${p#bad2/};"
	         " echo '<svg onload=alert(1)>' > \"$p\";"
	         " (cd bad2 && grep -v \"  $n\\$\" SHA256SUMS > s && sha256sum \"$n\" >> s && mv s SHA256SUMS"
	         "  && tc=\"$(sed -n 's/^trusted comment: //p' SHA256SUMS.minisig)\" && rm SHA256SUMS.minisig"
	         "  && minisign -S -s '%s-kiosk.key' -m SHA256SUMS -t \"$tc\" >/dev/null && sha256sum -c --quiet SHA256SUMS);"
	         " if '%s/tellus' merge --into m2.db bad2 > m2.out 2>&1; then exit 21; fi;"
	         " grep -q 'is not a PNG picture' m2.out || { cat m2.out; exit 22; };"
	         " test \"$(sqlite3 m2.db 'SELECT count(*) FROM sessions')\" = 0 || exit 23;"
	         /* and the export itself still merges */
	         " '%s/tellus' merge --into m3.db \"$d\" >/dev/null;"
	         " test \"$(sqlite3 m3.db 'SELECT count(*) FROM answer_drawings')\" = 1 || exit 31",
	         h.dir, build, h.db, build, h.db, build, build);
	int rc = system(cmd);
	assert_true(WIFEXITED(rc));
	assert_int_equal(WEXITSTATUS(rc), 0);
	h_close(&h);
}

/* A kiosk with an office key: the drawing is sealed on the stick
 * (drawings/<name>.png.sealed, still checked by sha256sum -c), and only
 * the office's key brings it back: `tellus open` and scripts/open-export.py
 * write the same PNG, and `tellus merge --key` takes those very bytes. */
static void
sealed_export_opens(void **s)
{
	(void)s;
	harness h;
	method_now = ACCESS_TOUCH;
	h_open_cfg(&h, FLOW, W, H, tweak_method);
	to_draw(&h, h_press_finger);
	draw_picture(&h, h_press_finger, 1);
	to_end(&h, h_press_finger);
	const char *build = getenv("TELLUS_BUILD_ROOT"), *src = getenv("TELLUS_SOURCE_ROOT");
	const char *py = getenv("TELLUS_PYTHON_NACL");
	assert_non_null(build);
	assert_non_null(src);
	assert_non_null(py);
	char cmd[4096];
	snprintf(cmd, sizeof cmd,
	         "set -e; cd '%s'; '%s/tellus' keys new --out office >/dev/null; mkdir out;"
	         " '%s/tellus' export --db '%s' --to out --office-key office/office.pub >/dev/null;"
	         " d=$(ls -d out/TELLUS/*/*); (cd \"$d\" && sha256sum -c --quiet SHA256SUMS);"
	         " '%s/tellus' open --key office/office.key \"$d\" --to opened >/dev/null;"
	         " (cd opened && sha256sum -c --quiet SHA256SUMS);"
	         " '%s' '%s/scripts/open-export.py' office/office.key \"$d\" by-python >/dev/null;"
	         " '%s/tellus' merge --into merged.db --key office/office.key \"$d\" >/dev/null;"
	         " python3 '%s/tests/export/check_draw.py' --sealed \"$d\" opened by-python merged.db",
	         h.dir, build, build, h.db, build, py, src, build, src);
	int rc = system(cmd);
	assert_true(WIFEXITED(rc));
	assert_int_equal(WEXITSTATUS(rc), 0);
	h_close(&h);
}

/* ---- the room ---------------------------------------------------------- */

/* The staff gesture (hold the top-left corner, then tap the top-right),
 * the PIN, "Show the room". */
static void
open_room(harness *h)
{
	h_set_pin(h, PIN);
	h_staff_gesture(h);
	assert_int_equal(app_staff(h->app)->screen, STAFF_PIN);
	h_type_pin(h, PIN);
	assert_int_equal(app_staff(h->app)->screen, STAFF_MENU);
	h_click(h, ACT_STAFF_ROOM, 0);
	h_settle_staff(h);
	assert_int_equal(app_staff(h->app)->screen, STAFF_ROOM);
	assert_non_null(app_staff(h->app)->room);
}

/* The words of the frame on screen, joined with '|'. */
static const char *
frame_words(harness *h, char *buf, size_t len)
{
	app_draw(h->app);
	ui_rect r[256];
	const char *t[256];
	int n = app_text_boxes(h->app, r, t, 256);
	size_t used = 0;
	buf[0] = '\0';
	for (int i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "|%s", t[i] ? t[i] : "");
	return buf;
}

/* Four people draw and say how they feel; "Show the room" then counts
 * them, but its model holds no drawing, no chart is the draw question's,
 * and no frame of a whole round of charts names it. */
static void
room_never_shows_drawings(void **s)
{
	(void)s;
	harness h;
	method_now = ACCESS_TOUCH;
	h_open_cfg(&h, FLOW, W, H, tweak_method);
	for (int person = 0; person < 4; person++) {
		to_draw(&h, h_click);
		draw_picture(&h, h_click, 2);
		assert_string_equal(app_view(h.app)->question->id, "feeling");
		h_click(&h, APP_ACT_ANSWER, 2);
		assert_int_equal(app_view(h.app)->screen, SCREEN_THANKS);
		app_flush(h.app);
		h_click(&h, APP_ACT_FINISH, 0);
		for (int i = 0; i < 50 && app_view(h.app)->screen != SCREEN_WELCOME; i++) {
			h_advance(&h, 100);
			app_step(h.app, 5);
		}
		assert_int_equal(app_view(h.app)->screen, SCREEN_WELCOME);
	}
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answer_drawings"), 4);
	open_room(&h);
	const staff_view *v = app_staff(h.app);
	const report *r = v->room;
	assert_int_equal(r->people, 4);
	bool saw_draw = false;
	for (size_t f = 0; f < r->n_flows; f++)
		for (size_t q = 0; q < r->flows[f].n_questions; q++) {
			const report_question *rq = &r->flows[f].questions[q];
			saw_draw |= rq->is_draw;
			assert_int_equal(rq->n_drawings, 0);
		}
	assert_true(saw_draw);
	assert_true(v->room_n_charts >= 1);
	for (int i = 0; i < v->room_n_charts; i++) {
		const room_chart *c = &v->room_charts[i];
		assert_false(r->flows[c->flow].questions[c->question].is_draw);
	}
	char all[8192];
	for (int i = 0; i <= v->room_n_charts; i++) {
		frame_words(&h, all, sizeof all);
		assert_null(strstr(all, "Draw something about school"));
		h_advance(&h, STAFF_ROOM_CHART_MS + 10);
		h_step(&h);
	}
	h_close(&h);
}

/* Read aloud, every tool says its name as the keyboard's focus reaches it,
 * in the person's language: each swatch its colour, the rubber, "Start
 * again", and the page's places "Draw here" (words_types.c). */
static const char *lang_now;
typedef struct tool_words { int action, arg; const char *want; } tool_words;
static void
tweak_speech(kiosk_config *c)
{
	c->access.method = ACCESS_TOUCH;
	c->access.speech = true;
	c->timing.idle_ms = 10 * 60 * 1000;
	free(c->language);
	c->language = strdup(lang_now);
}

static void
the_tools_say_their_names(void **state)
{
	(void)state;
	static const char *const langs[] = { "en", "pl", "ur" };
	for (int l = 0; l < 3; l++) {
		lang_now = langs[l];
		harness h;
		h_open_cfg(&h, FLOW, W, H, tweak_speech);
		to_draw(&h, h_click);
		const ui_type_words *tw = ui_type_words_for(langs[l]);
		assert_string_equal(tw->lang, langs[l]);
		tool_words tools[UI_DRAW_COLOURS + 3];
		int n = 0;
		for (int k = 0; k < UI_DRAW_COLOURS; k++)
			tools[n++] = (tool_words){ APP_ACT_DRAW_COLOUR, k, tw->colours[k] };
		tools[n++] = (tool_words){ APP_ACT_DRAW_COLOUR, UI_DRAW_ERASER, tw->eraser };
		tools[n++] = (tool_words){ APP_ACT_DRAW_CLEAR, 0, tw->start_again };
		tools[n++] = (tool_words){ APP_ACT_DRAW_STAMP, 4, tw->draw_here };
		for (int t = 0; t < n; t++) {
			int want = h_target_index(&h, tools[t].action, tools[t].arg);
			if (want < 0)
				fail_msg("%s: no target for tool %d", langs[l], t);
			for (int guard = 0; app_focus(h.app) != want; guard++) {
				assert_true(guard < 80);
				h_key(&h, SDLK_TAB, 0);
				h_step(&h);
			}
			if (strcmp(app_last_spoken(h.app), tools[t].want) != 0)
				fail_msg("%s: tool %d said \"%s\", not \"%s\"", langs[l], t,
				         app_last_spoken(h.app), tools[t].want);
			assert_string_equal(app_last_spoken_lang(h.app), langs[l]);
		}
		h_close(&h);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(by_touch),
		cmocka_unit_test(by_mouse),
		cmocka_unit_test(by_keyboard),
		cmocka_unit_test(by_scan),
		cmocka_unit_test(the_highlight_is_on_the_place_it_offers),
		cmocka_unit_test(no_ink_after_a_lost_release),
		cmocka_unit_test(a_second_finger_neither_draws_nor_presses),
		cmocka_unit_test(the_page_is_made_when_it_opens),
		cmocka_unit_test(no_page_without_a_draw_question),
		cmocka_unit_test(a_page_not_made_is_said_once),
		cmocka_unit_test(a_stamp_after_a_resize_starts_at_the_middle),
		cmocka_unit_test(the_tools_say_their_names),
		cmocka_unit_test(merge_refuses_a_damaged_drawing),
		cmocka_unit_test(by_tap_hold),
		cmocka_unit_test(by_two_switches),
		cmocka_unit_test(by_dwell),
		cmocka_unit_test(empty_and_walk_away),
		cmocka_unit_test(rubbed_out_is_not_a_drawing),
		cmocka_unit_test(export_merge_report),
		cmocka_unit_test(sealed_export_opens),
		cmocka_unit_test(room_never_shows_drawings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
