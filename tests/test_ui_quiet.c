/*
 * test_ui_quiet: a walk-away is always warned of, a person's choices go
 * with them, and input is never stuck. Through the real kiosk loop,
 * headless, with real SDL events and the harness' fake clock.
 *
 * - "Are you still there?" shows and is said above every overlay.
 * - What a person chose (way of answering, look, language, an overlay,
 *   the flow) is put back when their turn ends and after a quiet minute
 *   on welcome.
 * - The question's idle timer waits while scanning is still on its first
 *   round; a finger (or the mouse) whose release never came, and losing
 *   the window's focus with a finger, a switch or a dwell pointer on an
 *   answer, leave nothing stuck.
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

static bool
drawn(harness *h, const char *words)
{
	ui_rect r[256];
	const char *t[256];
	app_draw(h->app);
	int n = app_text_boxes(h->app, r, t, 256);
	for (int i = 0; i < n; i++)
		if (strstr(t[i], words))
			return true;
	return false;
}

static bool
has_target(harness *h, int action)
{
	ui_rect r[64];
	int acts[64];
	int n = app_targets(h->app, r, acts, 64);
	for (int i = 0; i < n; i++)
		if (acts[i] == action)
			return true;
	return false;
}

static void
quiet_for(harness *h, int64_t ms)
{
	for (int64_t t = 0; t < ms; t += 250) {
		h_advance(h, 250);
		app_step(h->app, 0);
	}
}

/* The flow's index of language lang. */
static int
lang_index(const harness *h, const char *lang)
{
	for (size_t i = 0; i < h->flow->n_languages; i++)
		if (strcmp(h->flow->languages[i], lang) == 0)
			return (int)i;
	fail_msg("the flow has no '%s'", lang);
	return -1;
}

static void
tweak_silent(kiosk_config *c)
{
	c->access.speech = false;
}

/* Over each overlay, on a question, the warning comes up: drawn (its
 * words and its one button, none of the overlay's), and said, whether
 * reading aloud is on or off. "Yes, I'm here" brings back the question
 * with the overlay the person had open. */
static void
still_there_above_overlays(void **state)
{
	(void)state;
	const int overlays[] = { 1, 2 };   /* ui.h: OVERLAY_ACCESS, OVERLAY_LANGUAGE */
	for (int k = 0; k < 4; k++) {
		int ov = overlays[k % 2];
		bool silent = k >= 2;
		harness h;
		h_open_cfg(&h, "school-day.yaml", W, H, silent ? tweak_silent : NULL);
		assert_int_equal(app_access(h.app)->speech, !silent);
		h_click(&h, APP_ACT_START, 0);
		assert_int_equal(app_view(h.app)->screen, SCREEN_QUESTION);
		h_click(&h, APP_ACT_OPEN_ACCESS, 0);
		if (ov == 2)
			h_click(&h, APP_ACT_OPEN_LANGUAGE, 0);
		assert_int_equal(app_overlay(h.app), ov);
		assert_true(has_target(&h, ov == 1 ? APP_ACT_ACCESS_OPTION : APP_ACT_SET_LANGUAGE));
		uint64_t said = app_speech_requests(h.app);
		quiet_for(&h, h.cfg.timing.idle_ms + 500);
		assert_int_equal(app_view(h.app)->screen, SCREEN_STILL_THERE);
		assert_true(has_target(&h, APP_ACT_STILL_HERE));
		assert_false(has_target(&h, APP_ACT_ACCESS_OPTION));
		assert_false(has_target(&h, APP_ACT_SET_LANGUAGE));
		assert_true(drawn(&h, "Are you still there?"));
		assert_true(app_speech_requests(h.app) > said);
		assert_non_null(strstr(app_last_spoken(h.app), "Are you still there?"));
		/* "Yes, I'm here": the question and its overlay come back. */
		h_click(&h, APP_ACT_STILL_HERE, 0);
		assert_int_equal(app_view(h.app)->screen, SCREEN_QUESTION);
		assert_int_equal(app_overlay(h.app), ov);
		h_close(&h);
	}
}

/* Picks made on welcome (Urdu, large text, high contrast, the overlay
 * left open) are gone after a quiet minute, and not before; the next
 * person's welcome is drawn in the kiosk's English again. */
static void
welcome_quiet_minute_resets(void **state)
{
	(void)state;
	harness h;
	h_open(&h, "school-day.yaml", W, H, true);
	char lang0[16];
	snprintf(lang0, sizeof lang0, "%s", app_view(h.app)->language);
	assert_string_equal(lang0, "en");
	h_click(&h, APP_ACT_OPEN_ACCESS, 0);
	h_click(&h, APP_ACT_ACCESS_OPTION, ACCESS_OPT_CONTRAST);
	h_click(&h, APP_ACT_OPEN_LANGUAGE, 0);
	h_click(&h, APP_ACT_SET_LANGUAGE, lang_index(&h, "ur"));
	h_click(&h, APP_ACT_OPEN_ACCESS, 0);
	assert_int_equal(app_access(h.app)->theme, THEME_HIGH_CONTRAST);
	assert_string_equal(app_view(h.app)->language, "ur");
	/* Most of a minute: all still theirs. */
	quiet_for(&h, h.cfg.timing.idle_ms - 2000);
	assert_int_equal(app_overlay(h.app), 1);
	assert_int_equal(app_access(h.app)->theme, THEME_HIGH_CONTRAST);
	/* A touch starts the minute again. */
	h_click(&h, APP_ACT_ACCESS_OPTION, ACCESS_OPT_LARGE_TEXT);
	assert_true(app_access(h.app)->large_text);
	quiet_for(&h, h.cfg.timing.idle_ms - 2000);
	assert_int_equal(app_overlay(h.app), 1);
	assert_true(app_access(h.app)->large_text);
	assert_string_equal(app_view(h.app)->language, "ur");
	/* Then a quiet minute: the next person starts from the kiosk's. */
	quiet_for(&h, 2500);
	assert_int_equal(app_view(h.app)->screen, SCREEN_WELCOME);
	assert_int_equal(app_overlay(h.app), 0);
	assert_int_equal(app_access(h.app)->theme, THEME_DEFAULT);
	assert_false(app_access(h.app)->large_text);
	assert_string_equal(app_view(h.app)->language, lang0);
	assert_true(has_target(&h, APP_ACT_START));
	assert_true(drawn(&h, "Start"));
	/* And nothing more: an untouched welcome has no timer of its own. */
	uint64_t frames = app_frames(h.app);
	quiet_for(&h, 3 * h.cfg.timing.idle_ms);
	assert_int_equal(app_frames(h.app), frames);
	h_close(&h);
}

/* Skips every question on screen until the thank-you shows. */
static void
skip_to_thanks(harness *h)
{
	for (int g = 0; app_view(h->app)->screen == SCREEN_QUESTION && g < 40; g++)
		h_click(h, APP_ACT_SKIP, 0);
	app_wait_hold(h->app);
	h_step(h);
	assert_int_equal(app_view(h->app)->screen, SCREEN_THANKS);
}

/* Steps the loop (with the clock) until the welcome shows. */
static void
until_welcome(harness *h)
{
	for (int g = 0; g < 400 && app_view(h->app)->screen != SCREEN_WELCOME; g++) {
		app_flush(h->app);
		h_advance(h, 250);
		app_step(h->app, 10);
	}
	assert_int_equal(app_view(h->app)->screen, SCREEN_WELCOME);
}

/* The person's picks, made on a question: Polish, large text, high
 * contrast, the overlay left open. */
static void
pick_things(harness *h)
{
	h_click(h, APP_ACT_START, 0);
	h_click(h, APP_ACT_OPEN_ACCESS, 0);
	h_click(h, APP_ACT_ACCESS_OPTION, ACCESS_OPT_CONTRAST);
	h_click(h, APP_ACT_ACCESS_OPTION, ACCESS_OPT_LARGE_TEXT);
	h_click(h, APP_ACT_OPEN_LANGUAGE, 0);
	h_click(h, APP_ACT_SET_LANGUAGE, lang_index(h, "pl"));
	assert_string_equal(app_view(h->app)->language, "pl");
	assert_int_equal(app_access(h->app)->theme, THEME_HIGH_CONTRAST);
	assert_true(app_access(h->app)->large_text);
}

static void
kiosk_defaults(harness *h)
{
	assert_int_equal(app_overlay(h->app), 0);
	assert_int_equal(app_access(h->app)->theme, THEME_DEFAULT);
	assert_false(app_access(h->app)->large_text);
	assert_string_equal(app_view(h->app)->language, "en");
	assert_true(drawn(h, "Start"));
}

/* A turn that ends, finished (thanks, Finish) or walked away from ("Are
 * you still there?" unanswered), takes the person's picks with it. */
static void
turn_end_resets(void **state)
{
	(void)state;
	harness h;
	h_open(&h, "school-day.yaml", W, H, true);
	pick_things(&h);
	assert_int_equal(app_overlay(h.app), 0);   /* a language chosen closes it */
	skip_to_thanks(&h);
	assert_int_equal(app_access(h.app)->theme, THEME_HIGH_CONTRAST);  /* theirs till the end */
	h_click(&h, APP_ACT_FINISH, 0);
	until_welcome(&h);
	kiosk_defaults(&h);

	/* Walked away with the overlay open. */
	pick_things(&h);
	h_click(&h, APP_ACT_OPEN_ACCESS, 0);
	quiet_for(&h, h.cfg.timing.idle_ms + 500);
	assert_int_equal(app_view(h.app)->screen, SCREEN_STILL_THERE);
	quiet_for(&h, h.cfg.timing.still_there_ms + 500);
	until_welcome(&h);
	kiosk_defaults(&h);
	h_close(&h);
}

static int
count_targets(harness *h, int action)
{
	ui_rect r[64];
	int acts[64];
	int n = app_targets(h->app, r, acts, 64), k = 0;
	for (int i = 0; i < n; i++)
		k += acts[i] == action;
	return k;
}

/* On a kiosk offering two flows, the flow the last person picked is not
 * the next person's: the welcome's language list is the first flow's
 * again (more-ways speaks three languages, school-day five). */
static void
turn_end_forgets_the_flow(void **state)
{
	(void)state;
	static const char *const two[] = { "school-day.yaml", "more-ways.yaml" };
	harness h;
	h_open_flows(&h, two, 2, W, H, NULL, false);
	h_click(&h, APP_ACT_OPEN_LANGUAGE, 0);
	assert_int_equal(count_targets(&h, APP_ACT_SET_LANGUAGE), 5);
	h_click(&h, APP_ACT_CLOSE_OVERLAY, 0);
	h_click(&h, APP_ACT_START, 1);
	h_click(&h, APP_ACT_OPEN_ACCESS, 0);
	h_click(&h, APP_ACT_OPEN_LANGUAGE, 0);
	assert_int_equal(count_targets(&h, APP_ACT_SET_LANGUAGE), 3);
	h_click(&h, APP_ACT_CLOSE_OVERLAY, 0);
	skip_to_thanks(&h);
	h_click(&h, APP_ACT_FINISH, 0);
	until_welcome(&h);
	h_click(&h, APP_ACT_OPEN_LANGUAGE, 0);
	assert_int_equal(count_targets(&h, APP_ACT_SET_LANGUAGE), 5);
	h_close(&h);
}

/* ---- a slow scan's first round; input never stuck ---------------------- */

static void
tweak_slow_scan(kiosk_config *c)
{
	c->access.method = ACCESS_SCAN;
	c->access.scan_interval_ms = 5000;
	c->timing.idle_ms = 20000;
}

/* The first item held longer than the whole idle time. */
static void
tweak_long_first(kiosk_config *c)
{
	c->access.method = ACCESS_SCAN;
	c->access.scan_interval_ms = 5000;
	c->access.scan_first_pause_ms = 5000;
	c->timing.idle_ms = 5000;
}

/* Scanning at 5 s a step takes longer than the idle time to offer every
 * target once: "Are you still there?" waits for the round, then the idle
 * time runs as usual. */
static void
idle_waits_for_first_round(void **state)
{
	(void)state;
	void (*const tweaks[])(kiosk_config *) = { tweak_slow_scan, tweak_long_first };
	for (size_t k = 0; k < sizeof tweaks / sizeof tweaks[0]; k++) {
		harness h;
		h_open_cfg(&h, "school-day.yaml", W, H, tweaks[k]);
		h_click(&h, APP_ACT_START, 0);
		assert_int_equal(app_view(h.app)->screen, SCREEN_QUESTION);
		h_step(&h);
		int first = app_focus(h.app), n = count_targets(&h, APP_ACT_ANSWER);
		assert_true(first >= 0);
		assert_true(n >= 5);
		int64_t t = 0;
		int seen = 0;
		bool left_first = false;
		/* Until the highlight is back on the first target, the question
		 * stays, every target being offered in turn. */
		/* The second: time moves in jumps of the idle time, as the loop
		 * wakes only at its next deadline (here, the session's). */
		int64_t jump = k == 0 ? 250 : h.cfg.timing.idle_ms;
		while (!(left_first && app_focus(h.app) == first)) {
			assert_int_equal(app_view(h.app)->screen, SCREEN_QUESTION);
			int was = app_focus(h.app);
			h_advance(&h, jump);
			app_step(h.app, 0);
			t += jump;
			if (app_focus(h.app) != was) {
				seen++;
				left_first = true;
			}
			assert_true(t < 10 * 60 * 1000);
		}
		assert_true(seen > n);
		assert_true(t > 2 * h.cfg.timing.idle_ms);   /* the round outlasted the idle time */
		/* After the round, the idle time runs as usual. */
		quiet_for(&h, h.cfg.timing.idle_ms + 500);
		assert_int_equal(app_view(h.app)->screen, SCREEN_STILL_THERE);
		h_close(&h);
	}
}

static bool
anything_chosen(harness *h, int q)
{
	app_flush(h->app);
	app_wait_hold(h->app);
	h_step(h);
	const session_view *v = app_view(h->app);
	bool any = false;
	for (int i = 0; i < SESSION_MAX_CHOICES; i++)
		any |= v->selected[i];
	return v->question_number != q || any;
}

/* A finger goes down and its release never comes (a cancelled touch, in
 * SDL 2 no event at all): a later tap by another finger still answers.
 * The mouse's lost release the same. */
static void
lost_release_not_stuck(void **state)
{
	(void)state;
	for (int mouse = 0; mouse < 2; mouse++) {
		harness h;
		h_open(&h, "school-day.yaml", W, H, true);
		h_click(&h, APP_ACT_START, 0);
		int q = app_view(h.app)->question_number, x, y;
		assert_true(h_center(&h, APP_ACT_ANSWER, 0, &x, &y));
		if (mouse)
			h_mouse(&h, SDL_MOUSEBUTTONDOWN, x, y);
		else
			h_finger(&h, SDL_FINGERDOWN, 1, x, y);
		h_step(&h);
		h_advance(&h, 5000);   /* ...and no release, ever */
		h_step(&h);
		assert_false(anything_chosen(&h, q));
		assert_true(h_center(&h, APP_ACT_ANSWER, 1, &x, &y));
		if (mouse) {
			h_mouse(&h, SDL_MOUSEBUTTONDOWN, x, y);
			h_step(&h);
			h_advance(&h, 80);
			h_mouse(&h, SDL_MOUSEBUTTONUP, x, y);
		} else {
			h_finger(&h, SDL_FINGERDOWN, 2, x, y);
			h_step(&h);
			h_advance(&h, 80);
			h_finger(&h, SDL_FINGERUP, 2, x, y);
		}
		h_step(&h);
		assert_true(anything_chosen(&h, q));
		h_close(&h);
	}
}

static void
push_key(harness *h, SDL_Keycode k, bool down)
{
	SDL_Event ev = { 0 };
	ev.type = down ? SDL_KEYDOWN : SDL_KEYUP;
	ev.key.windowID = SDL_GetWindowID(app_window(h->app));
	ev.key.state = down ? SDL_PRESSED : SDL_RELEASED;
	ev.key.keysym.sym = k;
	SDL_PushEvent(&ev);
}

/* A finger is down on an answer when the window loses focus: its release
 * may go elsewhere. Another finger's tap answers at once, and the first
 * finger's late release presses nothing. */
static void
focus_lost_with_finger_down(void **state)
{
	(void)state;
	harness h;
	h_open(&h, "school-day.yaml", W, H, true);
	h_click(&h, APP_ACT_START, 0);
	int q = app_view(h.app)->question_number, x, y;
	assert_true(h_center(&h, APP_ACT_ANSWER, 0, &x, &y));
	h_finger(&h, SDL_FINGERDOWN, 1, x, y);
	h_step(&h);
	h_advance(&h, 300);
	h_window(&h, SDL_WINDOWEVENT_FOCUS_LOST);
	h_step(&h);
	h_advance(&h, 300);
	h_finger(&h, SDL_FINGERUP, 1, x, y);   /* it did come after all */
	h_step(&h);
	assert_false(anything_chosen(&h, q));
	h_window(&h, SDL_WINDOWEVENT_FOCUS_GAINED);
	h_step(&h);
	h_advance(&h, 500);
	assert_true(h_center(&h, APP_ACT_ANSWER, 2, &x, &y));
	h_finger(&h, SDL_FINGERDOWN, 3, x, y);
	h_step(&h);
	h_advance(&h, 80);
	h_finger(&h, SDL_FINGERUP, 3, x, y);
	h_step(&h);
	assert_true(anything_chosen(&h, q));
	h_close(&h);
}

static void
tweak_scan(kiosk_config *c)
{
	c->access.method = ACCESS_SCAN;
}

static void
tweak_tap_hold(kiosk_config *c)
{
	c->access.method = ACCESS_TAP_HOLD;
}

/* The switch is down when the window loses focus, and its release goes
 * to whatever has the focus then. Scanning: back in the kiosk, the next
 * press is a press (not a bounce of one still held). Tap and hold: the
 * hold that was filling chooses nothing. */
static void
focus_lost_with_switch_down(void **state)
{
	(void)state;
	void (*const tweaks[])(kiosk_config *) = { tweak_scan, tweak_tap_hold };
	for (size_t k = 0; k < sizeof tweaks / sizeof tweaks[0]; k++) {
		harness h;
		h_open_cfg(&h, "school-day.yaml", W, H, tweaks[k]);
		h_click(&h, APP_ACT_START, 0);
		assert_int_equal(app_view(h.app)->screen, SCREEN_QUESTION);
		h_step(&h);
		assert_true(app_focus(h.app) >= 0);
		int q = app_view(h.app)->question_number;
		push_key(&h, SDLK_SPACE, true);   /* scanning: chooses the first answer */
		h_step(&h);
		if (k == 0) {
			assert_true(anything_chosen(&h, q));
			q = app_view(h.app)->question_number;
		}
		h_window(&h, SDL_WINDOWEVENT_FOCUS_LOST);
		h_step(&h);
		h_advance(&h, 3000);   /* past tap-hold's hold time */
		h_step(&h);
		assert_false(anything_chosen(&h, q));
		h_window(&h, SDL_WINDOWEVENT_FOCUS_GAINED);
		h_step(&h);
		if (k == 1) {
			h_close(&h);
			continue;
		}
		/* No Space up ever came. The next press chooses what is highlighted. */
		h_advance(&h, 500);
		h_step(&h);
		assert_true(app_focus(h.app) >= 0);
		push_key(&h, SDLK_SPACE, true);
		h_step(&h);
		push_key(&h, SDLK_SPACE, false);
		h_step(&h);
		assert_true(anything_chosen(&h, q));
		h_close(&h);
	}
}

static void
tweak_dwell(kiosk_config *c)
{
	c->access.method = ACCESS_DWELL;
}

/* A dwell pointer rests on an answer, its ring filling, when the window
 * loses focus (or the pointer leaves it): the ring stops, nothing is
 * chosen however long it lies there; back again, the pointer must move a
 * clear distance before anything fills. */
static void
focus_lost_while_dwelling(void **state)
{
	(void)state;
	const Uint8 events[] = { SDL_WINDOWEVENT_FOCUS_LOST, SDL_WINDOWEVENT_LEAVE };
	for (size_t k = 0; k < sizeof events / sizeof events[0]; k++) {
		harness h;
		h_open_cfg(&h, "school-day.yaml", W, H, tweak_dwell);
		h_click(&h, APP_ACT_START, 0);
		assert_int_equal(app_view(h.app)->screen, SCREEN_QUESTION);
		int q = app_view(h.app)->question_number, x, y;
		assert_true(h_center(&h, APP_ACT_ANSWER, 0, &x, &y));
		h_mouse(&h, SDL_MOUSEMOTION, x - 60, y - 60);
		h_step(&h);
		h_mouse(&h, SDL_MOUSEMOTION, x, y);
		h_step(&h);
		h_advance(&h, h.cfg.access.dwell_ms / 2);
		h_step(&h);
		h_window(&h, events[k]);
		h_step(&h);
		for (int i = 0; i < 8; i++) {
			h_advance(&h, h.cfg.access.dwell_ms / 2);
			h_step(&h);
		}
		assert_false(anything_chosen(&h, q));
		/* Back: a clear move, then a rest, chooses. */
		h_window(&h, events[k] == SDL_WINDOWEVENT_LEAVE ? SDL_WINDOWEVENT_ENTER
		                                                  : SDL_WINDOWEVENT_FOCUS_GAINED);
		h_step(&h);
		h_mouse(&h, SDL_MOUSEMOTION, x + 40, y);
		h_step(&h);
		h_mouse(&h, SDL_MOUSEMOTION, x, y);
		h_step(&h);
		for (int i = 0; i < 4; i++) {
			h_advance(&h, h.cfg.access.dwell_ms / 2);
			h_step(&h);
		}
		assert_true(anything_chosen(&h, q));
		h_close(&h);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(still_there_above_overlays),
		cmocka_unit_test(welcome_quiet_minute_resets),
		cmocka_unit_test(turn_end_resets),
		cmocka_unit_test(turn_end_forgets_the_flow),
		cmocka_unit_test(idle_waits_for_first_round),
		cmocka_unit_test(lost_release_not_stuck),
		cmocka_unit_test(focus_lost_with_finger_down),
		cmocka_unit_test(focus_lost_with_switch_down),
		cmocka_unit_test(focus_lost_while_dwelling),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
