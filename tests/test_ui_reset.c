/*
 * test_ui_reset: the renderer's device lost and made again. Through the
 * real kiosk loop headless (dummy video, software renderer), with the
 * reset events pushed through SDL's own queue as SDL's Direct3D renderers
 * push them, and the harness' fake clock.
 *
 * - SDL_RENDER_DEVICE_RESET: the text and image caches each count the
 *   reset, and every texture either holds after the next frame was made
 *   since it (rasterised again, read again): none survived; the draw
 *   page's texture is made anew; nothing is looked up unready; and that
 *   frame's pixels are exactly the frame's before. On the welcome screen,
 *   a sort question (pictures), a text question with words typed on the
 *   on-screen keyboard, the draw page with ink on it, and "Show the room".
 * - SDL_RENDER_TARGETS_RESET: no cache holds a render target, so none
 *   makes anything again; the page is sent again; the frame is the same.
 *
 * The software renderer keeps a texture's pixels through a pushed reset,
 * so the pixels alone would not see a cache that kept its textures: the
 * counters do. The pixels see a remade frame that differs (a text at
 * another size, a picture missing, a blank page).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pin/pin.h"
#include "staff/staff.h"
#include "store/store.h"
#include "ui.h"
#include "ui_harness.h"

#define W 1024
#define H 600
#define FLOW "more-ways.yaml"
#define PIN "471147"

static app_frame_stats
stats(harness *h)
{
	app_frame_stats s;
	app_get_frame_stats(h->app, &s);
	return s;
}

/* The event into SDL's queue; one loop turn takes it and draws. */
static void
push_reset(harness *h, Uint32 type)
{
	SDL_Event ev = { 0 };
	ev.type = type;
	assert_int_equal(SDL_PushEvent(&ev), 1);
	uint64_t frames = app_frames(h->app);
	h_step(h);
	assert_true(app_frames(h->app) > frames);   /* the loop drew a frame */
}

static void
same_pixels(SDL_Surface *before, SDL_Surface *after, const char *where)
{
	assert_non_null(before);
	assert_non_null(after);
	int worst = 0;
	long bad = h_bad_pixels(after, before, &worst);
	if (bad != 0 || worst != 0) {
		char path[256];
		snprintf(path, sizeof path, "reset-%s.before.png", where);
		h_save_png(before, path);
		snprintf(path, sizeof path, "reset-%s.after.png", where);
		h_save_png(after, path);
		fail_msg("%s: the frame after the reset differs (%ld pixels by more than 8, "
		         "worst %d); see reset-%s.*.png", where, bad, worst, where);
	}
}

/* One device reset on the screen showing now. */
static void
device_reset_keeps_the_frame(harness *h, const char *where)
{
	SDL_Surface *before = app_screenshot(h->app);
	app_frame_stats a = stats(h);
	assert_true(a.text_textures > 0);
	if (getenv("TELLUS_KEEP_TMP")) {   /* to look at */
		char path[256];
		snprintf(path, sizeof path, "reset-%s.png", where);
		h_save_png(before, path);
	}

	push_reset(h, SDL_RENDER_DEVICE_RESET);
	app_frame_stats b = stats(h);
	assert_int_equal(b.text_resets, a.text_resets + 1);
	assert_int_equal(b.image_resets, a.image_resets + 1);
	/* every texture held now was made since the reset */
	assert_true(b.text_textures > 0);
	assert_int_equal(b.text_renders - a.text_renders, b.text_textures);
	assert_int_equal(b.image_loads - a.image_loads, b.image_textures);
	/* the page, when one is open, has a new texture */
	assert_int_equal(b.canvas_textures - a.canvas_textures, a.canvas_bytes ? 1 : 0);
	/* the render call found every texture ready */
	assert_int_equal(b.text_misses, a.text_misses);
	assert_int_equal(b.image_misses, a.image_misses);

	SDL_Surface *after = app_screenshot(h->app);
	app_frame_stats c = stats(h);
	same_pixels(before, after, where);
	/* and drawing it again makes nothing */
	assert_int_equal(c.text_renders, b.text_renders);
	assert_int_equal(c.image_loads, b.image_loads);
	SDL_FreeSurface(before);
	SDL_FreeSurface(after);
}

static void
targets_reset_keeps_the_frame(harness *h, const char *where)
{
	SDL_Surface *before = app_screenshot(h->app);
	app_frame_stats a = stats(h);
	push_reset(h, SDL_RENDER_TARGETS_RESET);
	app_frame_stats b = stats(h);
	assert_int_equal(b.text_resets, a.text_resets);
	assert_int_equal(b.image_resets, a.image_resets);
	assert_int_equal(b.text_renders, a.text_renders);
	assert_int_equal(b.image_loads, a.image_loads);
	assert_int_equal(b.text_textures, a.text_textures);
	assert_int_equal(b.image_textures, a.image_textures);
	assert_int_equal(b.canvas_textures, a.canvas_textures);
	if (a.canvas_bytes)
		assert_int_equal(b.canvas_uploaded - a.canvas_uploaded, (uint64_t)800 * 600);
	SDL_Surface *after = app_screenshot(h->app);
	same_pixels(before, after, where);
	SDL_FreeSurface(before);
	SDL_FreeSurface(after);
}

static void
skip_to(harness *h, enum question_type t)
{
	int guard = 0;
	while (app_view(h->app)->screen == SCREEN_QUESTION && app_view(h->app)->question->type != t) {
		h_click(h, APP_ACT_SKIP, 0);
		assert_true(++guard < 10);
	}
	assert_int_equal(app_view(h->app)->screen, SCREEN_QUESTION);
}

/* A line across the page with the mouse, from one place's centre to
 * another's. */
static void
stroke(harness *h, int from, int to)
{
	int x0, y0, x1, y1;
	assert_true(h_center(h, APP_ACT_DRAW_STAMP, from, &x0, &y0));
	assert_true(h_center(h, APP_ACT_DRAW_STAMP, to, &x1, &y1));
	h_mouse(h, SDL_MOUSEBUTTONDOWN, x0, y0);
	h_step(h);
	for (int i = 1; i <= 8; i++) {
		h_mouse(h, SDL_MOUSEMOTION, x0 + (x1 - x0) * i / 8, y0 + (y1 - y0) * i / 8);
		h_step(h);
	}
	h_mouse(h, SDL_MOUSEBUTTONUP, x1, y1);
	h_step(h);
	h_advance(h, 400);
	h_step(h);
}

/* The staff gesture, the PIN, "Show the room". */
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
}

static void
tweak_silent(kiosk_config *c)
{
	c->access.speech = false;
	c->room_min_count = 1;
}

static void
device_reset_remakes_every_texture(void **st)
{
	(void)st;
	harness h;
	h_open_cfg(&h, FLOW, W, H, tweak_silent);
	app_draw(h.app);
	device_reset_keeps_the_frame(&h, "welcome");

	h_click(&h, APP_ACT_START, 0);
	skip_to(&h, QT_SORT);
	assert_true(stats(&h).image_textures > 0);   /* the pictures */
	device_reset_keeps_the_frame(&h, "sort");

	skip_to(&h, QT_TEXT);
	h_click(&h, APP_ACT_KEY, 1);
	h_click(&h, APP_ACT_KEY, 0);
	assert_int_equal(app_view(h.app)->text_chars, 2);
	device_reset_keeps_the_frame(&h, "keyboard");
	assert_int_equal(app_view(h.app)->text_chars, 2);

	skip_to(&h, QT_DRAW);
	h_click(&h, APP_ACT_DRAW_COLOUR, 1);   /* red */
	stroke(&h, 0, 8);
	assert_true(stats(&h).canvas_bytes > 0);
	device_reset_keeps_the_frame(&h, "draw");
	/* twice running: nothing of the first is left to go wrong */
	device_reset_keeps_the_frame(&h, "draw-again");
	h_click(&h, APP_ACT_DONE, 0);

	/* the feelings question answered, for the room's chart */
	skip_to(&h, QT_FEELINGS);
	h_click(&h, APP_ACT_ANSWER, 1);
	app_wait_hold(h.app);
	h_step(&h);
	assert_int_equal(app_view(h.app)->screen, SCREEN_THANKS);
	app_flush(h.app);
	open_room(&h);
	device_reset_keeps_the_frame(&h, "room");
	h_close(&h);
}

static void
targets_reset_remakes_nothing(void **st)
{
	(void)st;
	harness h;
	h_open_cfg(&h, FLOW, W, H, tweak_silent);
	h_click(&h, APP_ACT_START, 0);
	skip_to(&h, QT_SORT);
	targets_reset_keeps_the_frame(&h, "sort-targets");
	skip_to(&h, QT_DRAW);
	stroke(&h, 2, 6);
	targets_reset_keeps_the_frame(&h, "draw-targets");
	h_close(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(device_reset_remakes_every_texture),
		cmocka_unit_test(targets_reset_remakes_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
