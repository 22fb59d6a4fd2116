/*
 * test_ui_trial: changing how you answer never strands anyone. A new way
 * of answering picked in "How do you like to answer?" is on trial until a
 * press made that new way keeps it; after 10 s without one the old way
 * returns. Through the real kiosk loop, headless, with real SDL events and
 * the harness' fake clock.
 *
 * The last test is a one-switch user pressing at random moments for two
 * minutes of the kiosk's time (their switch a key, or a joystick button):
 * whatever they land on, switch access is never gone for more than the
 * trial's 10 s, and it is there at the end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui_harness.h"

#define W 1024
#define H 600
#define TRIAL_MS 10000

static enum access_method method_now;

static void
tweak_method(kiosk_config *c)
{
	c->access.method = method_now;
}

static bool
switching(harness *h)
{
	enum access_method m = app_access(h->app)->method;
	return m == ACCESS_SCAN || m == ACCESS_TAP_HOLD || m == ACCESS_TWO_SWITCH;
}

static void
push_button(bool down)
{
	SDL_Event ev = { 0 };
	ev.type = down ? SDL_JOYBUTTONDOWN : SDL_JOYBUTTONUP;
	ev.jbutton.which = 0;
	ev.jbutton.button = 0;
	ev.jbutton.state = down ? SDL_PRESSED : SDL_RELEASED;
	SDL_PushEvent(&ev);
}

/* One switch, scanning by itself: the press comes when the highlight is
 * on the target. */
static void
press_scan(harness *h, int action, int arg)
{
	int want = h_target_index(h, action, arg);
	assert_true(want >= 0);
	for (int guard = 0; app_focus(h->app) != want; guard++) {
		assert_true(guard < 400);
		h_advance(h, 250);
		h_step(h);
	}
	/* Input waits while an answer's next screen waits for its commit:
	 * let it be taken before going on. */
	app_wait_hold(h->app);
	h_push_key(h, SDLK_SPACE, true);
	h_step(h);
	app_wait_hold(h->app);
	h_step(h);
	h_push_key(h, SDLK_SPACE, false);
	h_step(h);
	app_wait_hold(h->app);
	h_step(h);
	h_advance(h, 400);
	h_step(h);
}

/* A one-switch user lands on Touch: their presses are keys now, which are
 * not touches, so nothing keeps it; 10 s on, the switch scans again. */
static void
switch_user_on_touch_gets_switch_back(void **state)
{
	(void)state;
	harness h;
	method_now = ACCESS_SCAN;
	h_open_cfg(&h, "school-day.yaml", W, H, tweak_method);
	press_scan(&h, APP_ACT_OPEN_ACCESS, 0);
	assert_int_equal(app_overlay(h.app), 1);
	press_scan(&h, APP_ACT_ACCESS_OPTION, ACCESS_OPT_TOUCH);
	int kept = -1;
	assert_int_equal(app_access(h.app)->method, ACCESS_TOUCH);
	assert_true(app_method_trial(h.app, &kept));
	assert_int_equal(kept, ACCESS_SCAN);
	/* Keep shows, counting down; the switch (Space, a key now) presses
	 * whatever the keyboard focus is on, Keep included: none of it keeps. */
	assert_true(h_target_index(&h, APP_ACT_ACCESS_KEEP, 0) >= 0);
	if (getenv("TELLUS_TRIAL_PNG")) {   /* to look at */
		SDL_Surface *shot = app_screenshot(h.app);
		h_save_png(shot, getenv("TELLUS_TRIAL_PNG"));
		SDL_FreeSurface(shot);
	}
	for (int i = 0; i < 8; i++) {   /* 7.2 s of the 10 */
		h_key(&h, SDLK_SPACE, 0);
		h_step(&h);
		h_advance(&h, 500);
		h_step(&h);
	}
	assert_true(app_method_trial(h.app, NULL));
	assert_int_equal(app_access(h.app)->method, ACCESS_TOUCH);
	/* The time runs out by itself: no event needed. */
	for (int t = 0; t < TRIAL_MS && !switching(&h); t += 100) {
		h_advance(&h, 100);
		app_step(h.app, 0);
	}
	assert_true(switching(&h));
	assert_false(app_method_trial(h.app, NULL));
	assert_int_equal(app_access(h.app)->method, ACCESS_SCAN);
	/* ...and it works: the scan reaches Done and closes the overlay. */
	press_scan(&h, APP_ACT_CLOSE_OVERLAY, 0);
	assert_int_equal(app_overlay(h.app), 0);
	h_close(&h);
}

/* A touch user picks Switch: a tap on Keep is not a switch press and
 * keeps nothing; the switch pressing Keep keeps it, and it stays. */
static void
keep_is_kept_only_the_new_way(void **state)
{
	(void)state;
	harness h;
	method_now = ACCESS_TOUCH;
	h_open_cfg(&h, "school-day.yaml", W, H, tweak_method);
	h_click(&h, APP_ACT_OPEN_ACCESS, 0);
	h_click(&h, APP_ACT_ACCESS_OPTION, ACCESS_OPT_SWITCH);
	assert_int_equal(app_access(h.app)->method, ACCESS_SCAN);
	assert_true(app_method_trial(h.app, NULL));
	/* The scan starts on Keep. */
	h_step(&h);
	assert_int_equal(app_focus(h.app), h_target_index(&h, APP_ACT_ACCESS_KEEP, 0));
	h_click(&h, APP_ACT_ACCESS_KEEP, 0);
	assert_true(app_method_trial(h.app, NULL));
	press_scan(&h, APP_ACT_ACCESS_KEEP, 0);
	assert_false(app_method_trial(h.app, NULL));
	h_advance(&h, 2 * TRIAL_MS);
	h_step(&h);
	assert_int_equal(app_access(h.app)->method, ACCESS_SCAN);
	/* Done is back in Keep's place. */
	assert_true(h_target_index(&h, APP_ACT_CLOSE_OVERLAY, 0) >= 0);
	assert_int_equal(h_target_index(&h, APP_ACT_ACCESS_KEEP, 0), -1);

	/* Not kept: a touch user tries Dwell and does not dwell; Touch
	 * returns. */
	h_click(&h, APP_ACT_ACCESS_OPTION, ACCESS_OPT_TOUCH);   /* a tap is not a switch press */
	assert_int_equal(app_access(h.app)->method, ACCESS_TOUCH);
	assert_true(app_method_trial(h.app, NULL));
	h_click(&h, APP_ACT_ACCESS_KEEP, 0);                    /* a tap keeps Touch */
	assert_false(app_method_trial(h.app, NULL));
	h_click(&h, APP_ACT_ACCESS_OPTION, ACCESS_OPT_DWELL);
	assert_int_equal(app_access(h.app)->method, ACCESS_DWELL);
	h_advance(&h, TRIAL_MS + 1);
	app_step(h.app, 0);
	assert_int_equal(app_access(h.app)->method, ACCESS_TOUCH);
	h_close(&h);
}

/* The switch works: wherever the walk left the kiosk, once it is back on
 * the welcome screen (time passing on its own: a question's walk-away, the
 * thank-you's timeout) the switch can close an overlay and open "How do
 * you like to answer?" by scanning and pressing. */
static void
switch_works(harness *h)
{
	for (int g = 0; g < 3000 && app_view(h->app)->screen != SCREEN_WELCOME; g++) {
		h_advance(h, 100);
		app_step(h->app, g % 10 == 0 ? 5 : 0);
	}
	assert_int_equal(app_view(h->app)->screen, SCREEN_WELCOME);
	if (app_overlay(h->app) != 0) {
		press_scan(h, APP_ACT_CLOSE_OVERLAY, 0);
		assert_int_equal(app_overlay(h->app), 0);
	}
	press_scan(h, APP_ACT_OPEN_ACCESS, 0);
	assert_int_equal(app_overlay(h->app), 1);
}

static uint64_t rng;

static int
rnd(int lo, int hi)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return lo + (int)(rng % (uint64_t)(hi - lo + 1));
}

/* Two minutes of the kiosk's time: presses at random moments, each held
 * for a random while, by key (Space) or by joystick button. Returns how
 * many times the person's way left switching (they landed on Touch or
 * Dwell). */
static int
random_presses(uint64_t seed, bool joystick, int *n_sessions)
{
	harness h;
	method_now = ACCESS_SCAN;
	h_open_cfg(&h, "school-day.yaml", W, H, tweak_method);
	rng = seed;
	int64_t t = 0, lost_since = -1, longest = 0, end = 2 * 60 * 1000;
	int departures = 0, overlays = 0, sessions = 0;
	int64_t next = rnd(50, 2500);
	int64_t up_at = -1;
	int last_screen = app_view(h.app)->screen;
	while (t < end) {
		h_advance(&h, 20);
		t += 20;
		if (up_at < 0 && t >= next) {
			if (joystick)
				push_button(true);
			else
				h_push_key(&h, SDLK_SPACE, true);
			up_at = t + rnd(20, 700);
		} else if (up_at >= 0 && t >= up_at) {
			if (joystick)
				push_button(false);
			else
				h_push_key(&h, SDLK_SPACE, false);
			up_at = -1;
			next = t + rnd(50, 7000);
		}
		app_step(h.app, 0);
		/* The kiosk's time does not run on while an answer's next screen
		 * waits for the real disk: the walk is the same on every run. */
		app_wait_hold(h.app);
		if (app_overlay(h.app) == 1)
			overlays++;
		int sc = app_view(h.app)->screen;
		if (sc == SCREEN_QUESTION && last_screen == SCREEN_WELCOME)
			sessions++;
		last_screen = sc;
		if (!switching(&h)) {
			if (lost_since < 0) {
				lost_since = t;
				departures++;
			}
			if (t - lost_since > longest)
				longest = t - lost_since;
			/* Never longer than the trial (and one loop turn). */
			if (t - lost_since > TRIAL_MS + 20)
				fail_msg("seed %llu: switch access gone for %lld ms (method %d)",
				         (unsigned long long)seed, (long long)(t - lost_since),
				         (int)app_access(h.app)->method);
		} else {
			lost_since = -1;
		}
	}
	if (up_at >= 0) {   /* the last press lets go */
		if (joystick)
			push_button(false);
		else
			h_push_key(&h, SDLK_SPACE, false);
		app_step(h.app, 0);
	}
	/* Whatever the last press did, the switch works within the trial. */
	for (int64_t w = 0; w <= TRIAL_MS && !switching(&h); w += 100) {
		h_advance(&h, 100);
		app_step(h.app, 0);
	}
	assert_true(switching(&h));
	switch_works(&h);
	printf("seed %llu (%s): %d sessions, overlay on %d turns, switch access left %d times, "
	       "longest %lld ms\n", (unsigned long long)seed, joystick ? "joystick" : "key", sessions,
	       overlays, departures, (long long)longest);
	h_close(&h);
	*n_sessions += sessions;
	return departures;
}

static void
one_switch_random_two_minutes(void **state)
{
	(void)state;
	int departures = 0, sessions = 0;
	static const uint64_t seeds[] = { 0x9e3779b97f4a7c15ull, 0x2545f4914f6cdd1dull,
	                                  0x853c49e6748fea9bull, 0xda942042e4dd58b5ull };
	for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++)
		departures += random_presses(seeds[i], i % 2 == 1, &sessions);
	/* The walk did land on another way at least once, or it tested nothing. */
	assert_true(departures > 0);
	/* ...and between those it was answering: the switch kept working. */
	assert_true(sessions > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(switch_user_on_touch_gets_switch_back),
		cmocka_unit_test(keep_is_kept_only_the_new_way),
		cmocka_unit_test(one_switch_random_two_minutes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
