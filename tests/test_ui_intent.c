/*
 * test_ui_intent: nothing is chosen that the person did not choose. Through
 * the real kiosk loop, headless, with real SDL events and the harness'
 * fake clock:
 *  - dwell: a pointer lying where a new screen puts an answer chooses
 *    nothing in 10 s, nor on "Are you still there?" (so "Yes, I'm here" is
 *    not pressed by a pointer left there, and a session does not live for
 *    ever); a pointer that moved a clear distance still chooses;
 *  - a switch held down across a screen change does nothing there until it
 *    is let go and pressed again;
 *  - a finger still on the glass when the screen changes does not press
 *    anything on the new screen when it lifts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "ui_harness.h"

#define W 1280
#define H 800

static int64_t
answers(harness *h)
{
	app_flush(h->app);
	return h_sql_int(h, "SELECT count(*) FROM answers");
}

/* Moves time on in small steps through the loop, as a resting kiosk would
 * see it. */
static void
rest(harness *h, int64_t ms)
{
	for (int64_t t = 0; t < ms; t += 100) {
		h_advance(h, 100);
		h_step(h);
	}
}

/* Dwell on a target the way a person does: from 50 px away onto it, then
 * resting there. */
static void
dwell_on(harness *h, int action, int arg)
{
	int x, y;
	assert_true(h_center(h, action, arg, &x, &y));
	h_mouse(h, SDL_MOUSEMOTION, x, y > H / 2 ? y - 50 : y + 50);
	h_step(h);
	h_mouse(h, SDL_MOUSEMOTION, x, y);
	h_step(h);
	rest(h, h->cfg.access.dwell_ms + 200);
}

/* The keyboard alone: Tab until the focus is on the first target doing
 * action, then Enter. */
static void
key_press(harness *h, int action)
{
	for (int guard = 0; guard < 40; guard++) {
		ui_rect r[64];
		int acts[64];
		int n = app_targets(h->app, r, acts, 64);
		int f = app_focus(h->app);
		if (f >= 0 && f < n && acts[f] == action) {
			h_key(h, SDLK_RETURN, 0);
			return;
		}
		h_key(h, SDLK_TAB, 0);
	}
	fail_msg("the keyboard never reached action %d", action);
}

static void
tweak_dwell(kiosk_config *c)
{
	c->access.method = ACCESS_DWELL;
}

/* The pointer chose an answer, and the next question puts another answer
 * under it: lying there 10 s chooses nothing; a clear move then does. */
static void
dwell_rest_on_new_question(void **s)
{
	(void)s;
	harness h;
	h_open_cfg(&h, "clinic-visit.yaml", W, H, tweak_dwell);
	dwell_on(&h, APP_ACT_START, 0);
	assert_int_equal(app_view(h.app)->screen, SCREEN_QUESTION);
	assert_int_equal(app_view(h.app)->question_number, 1);
	assert_int_equal(app_view(h.app)->question->type, QT_CHOOSE_ONE);
	int px, py;
	assert_true(h_center(&h, APP_ACT_ANSWER, 0, &px, &py));
	dwell_on(&h, APP_ACT_ANSWER, 0);
	assert_int_equal(app_view(h.app)->question_number, 2);
	assert_int_equal(answers(&h), 1);
	/* The pointer lies where it chose, on an answer of the new question. */
	assert_int_equal(h_action_at(&h, px, py), APP_ACT_ANSWER);
	const char *qid = app_view(h.app)->question->id;
	uint64_t frames = app_frames(h.app);
	rest(&h, 10000);
	assert_string_equal(app_view(h.app)->question->id, qid);
	assert_int_equal(app_view(h.app)->screen, SCREEN_QUESTION);
	assert_int_equal(answers(&h), 1);
	/* No ring started filling: nothing was drawn again while it lay. */
	assert_true(app_frames(h.app) - frames <= 1);
	/* A trembling pointer (less than dwell_move_px) is still lying. */
	for (int i = 0; i < 20; i++) {
		h_mouse(&h, SDL_MOUSEMOTION, px + (i % 3) * 6, py + (i % 2) * 6);
		h_step(&h);
		h_advance(&h, 500);
	}
	h_step(&h);
	assert_string_equal(app_view(h.app)->question->id, qid);
	assert_int_equal(answers(&h), 1);
	/* A clear move, and the same answer is chosen by resting on it. */
	dwell_on(&h, APP_ACT_ANSWER, 0);
	assert_int_equal(answers(&h), 2);
	assert_int_equal(app_view(h.app)->question_number, 3);
	h_close(&h);
}

/* "Are you still there?" appears under a resting pointer, right on "Yes,
 * I'm here": 10 s of lying there keeps nothing alive and answers nothing;
 * a clear move is the person coming back. */
static void
dwell_rest_on_still_there(void **s)
{
	(void)s;
	harness h;
	h_open_cfg(&h, "school-day.yaml", W, H, tweak_dwell);
	/* Start with the keyboard: the pointer has not been seen yet. */
	key_press(&h, APP_ACT_START);
	assert_int_equal(app_view(h.app)->screen, SCREEN_QUESTION);
	/* Quiet until "still there?", to learn where "Yes, I'm here" is. */
	rest(&h, h.cfg.timing.idle_ms + 500);
	assert_int_equal(app_view(h.app)->screen, SCREEN_STILL_THERE);
	int yx, yy;
	assert_true(h_center(&h, APP_ACT_STILL_HERE, 0, &yx, &yy));
	h_key(&h, SDLK_TAB, 0);  /* a key is the person: the question is back */
	assert_int_equal(app_view(h.app)->screen, SCREEN_QUESTION);
	/* The pointer appears there and lies still; the question waits. */
	h_mouse(&h, SDL_MOUSEMOTION, yx, yy);
	h_step(&h);
	rest(&h, h.cfg.timing.idle_ms + 500);
	assert_int_equal(app_view(h.app)->screen, SCREEN_STILL_THERE);
	assert_int_equal(h_action_at(&h, yx, yy), APP_ACT_STILL_HERE);
	rest(&h, 10000);
	assert_int_equal(app_view(h.app)->screen, SCREEN_STILL_THERE);
	assert_int_equal(answers(&h), 0);
	/* Trembling is not a person either. */
	h_mouse(&h, SDL_MOUSEMOTION, yx + 8, yy + 8);
	h_step(&h);
	assert_int_equal(app_view(h.app)->screen, SCREEN_STILL_THERE);
	/* A clear move: the person is here, the question comes back. */
	h_mouse(&h, SDL_MOUSEMOTION, yx + 40, yy);
	h_step(&h);
	assert_int_equal(app_view(h.app)->screen, SCREEN_QUESTION);
	assert_int_equal(answers(&h), 0);
	/* Left alone again, the session ends as unfinished, as a walk-away
	 * should, and the kiosk waits for the next person. */
	rest(&h, h.cfg.timing.idle_ms + h.cfg.timing.still_there_ms + 2000);
	app_flush(h.app);
	rest(&h, 1000);
	assert_int_equal(app_view(h.app)->screen, SCREEN_WELCOME);
	char buf[64];
	h_sql_text(&h, "SELECT status FROM sessions", buf, sizeof buf);
	assert_string_equal(buf, "unfinished");
	assert_int_equal(answers(&h), 0);
	h_close(&h);
}

static void
tweak_tap_hold(kiosk_config *c)
{
	c->access.method = ACCESS_TAP_HOLD;
}

/* A switch held down while the screen changes (here a helper clicks
 * Start) does nothing on the new screen: no hold that chooses, no step when
 * it is let go. Pressed again, it works. */
static void
switch_held_across_screen(void **s)
{
	(void)s;
	harness h;
	h_open_cfg(&h, "clinic-visit.yaml", W, H, tweak_tap_hold);
	h_push_key(&h, SDLK_SPACE, true);
	h_step(&h);
	h_advance(&h, 100);
	h_click(&h, APP_ACT_START, 0);
	assert_int_equal(app_view(h.app)->screen, SCREEN_QUESTION);
	int focus = app_focus(h.app);
	assert_true(focus >= 0);
	rest(&h, 3 * h.cfg.access.switch_hold_ms);
	assert_int_equal(app_view(h.app)->question_number, 1);
	assert_int_equal(answers(&h), 0);
	h_push_key(&h, SDLK_SPACE, false);
	h_step(&h);
	assert_int_equal(app_focus(h.app), focus);  /* no step either */
	/* A fresh tap steps, a fresh hold chooses. */
	h_push_key(&h, SDLK_SPACE, true);
	h_step(&h);
	h_advance(&h, 100);
	h_push_key(&h, SDLK_SPACE, false);
	h_step(&h);
	assert_int_not_equal(app_focus(h.app), focus);
	h_push_key(&h, SDLK_SPACE, true);
	h_step(&h);
	rest(&h, h.cfg.access.switch_hold_ms + 100);
	h_push_key(&h, SDLK_SPACE, false);
	h_step(&h);
	assert_int_equal(answers(&h), 1);
	assert_int_equal(app_view(h.app)->question_number, 2);
	/* The hold that chose is still down as the next question comes: let
	 * go late, it does not step there. */
	h_push_key(&h, SDLK_SPACE, true);
	h_step(&h);
	rest(&h, h.cfg.access.switch_hold_ms + 100);
	int f2 = app_focus(h.app);
	assert_int_equal(app_view(h.app)->question_number, 3);
	rest(&h, 1000);
	h_push_key(&h, SDLK_SPACE, false);
	h_step(&h);
	assert_int_equal(app_focus(h.app), f2);
	assert_int_equal(answers(&h), 2);
	h_close(&h);
}

/* A finger on an answer card when the screen changes under it (the
 * keyboard chose, a helper tapped): lifting it on the new screen, even on
 * the card with the same place and number, presses nothing. */
static void
finger_held_across_screen(void **s)
{
	(void)s;
	harness h;
	h_open(&h, "clinic-visit.yaml", W, H, true);
	h_click(&h, APP_ACT_START, 0);
	/* To question 3, then 4: two yes-no questions, the same cards in the
	 * same places with the same numbers. */
	h_click(&h, APP_ACT_ANSWER, 0);
	h_click(&h, APP_ACT_ANSWER, 0);
	assert_int_equal(app_view(h.app)->question_number, 3);
	assert_int_equal(app_view(h.app)->question->type, QT_YES_NO);
	int x, y;
	assert_true(h_center(&h, APP_ACT_ANSWER, 1, &x, &y));
	h_finger(&h, SDL_FINGERDOWN, 9, x, y);
	h_step(&h);
	h_advance(&h, 100);
	/* The keyboard answers meanwhile. */
	h_key(&h, SDLK_TAB, 0);
	h_key(&h, SDLK_RETURN, 0);
	assert_int_equal(app_view(h.app)->question_number, 4);
	assert_int_equal(app_view(h.app)->question->type, QT_YES_NO);
	assert_int_equal(answers(&h), 3);
	assert_int_equal(h_action_at(&h, x, y), APP_ACT_ANSWER);
	h_finger(&h, SDL_FINGERMOTION, 9, x + 2, y + 2);
	h_step(&h);
	h_finger(&h, SDL_FINGERUP, 9, x + 2, y + 2);
	h_step(&h);
	h_advance(&h, 400);
	h_step(&h);
	assert_int_equal(app_view(h.app)->question_number, 4);
	assert_int_equal(answers(&h), 3);
	/* A fresh touch there answers. */
	h_finger(&h, SDL_FINGERDOWN, 10, x, y);
	h_step(&h);
	h_advance(&h, 100);
	h_finger(&h, SDL_FINGERUP, 10, x, y);
	h_step(&h);
	assert_int_equal(answers(&h), 4);
	h_close(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dwell_rest_on_new_question),
		cmocka_unit_test(dwell_rest_on_still_there),
		cmocka_unit_test(switch_held_across_screen),
		cmocka_unit_test(finger_held_across_screen),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
