/*
 * test_ui_audience: "These people will read what you say", the flow's
 * audience after Start (config/flows/drop-in.yaml), through the real kiosk
 * loop headless (real SDL events, the harness' fake clock), read back from
 * the real database.
 *
 * - Start shows the audience: the heading, each person's picture card with
 *   their first name and their role; the session has begun (in progress,
 *   no answers); Carry on goes to the first question.
 * - Every input mode leaves it: touch, keyboard, one switch scanning, one
 *   switch tap-and-hold, two switches, dwell; focus and scanning start on
 *   Carry on.
 * - It is read aloud when it appears (with reading aloud on), and touching
 *   a person reads them.
 * - Walking away there keeps the session, unfinished, and welcome returns.
 * - In Urdu the kiosk's words and the roles are Urdu.
 * - Goldens, looked at: landscape, portrait, Urdu.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ui.h"
#include "ui_harness.h"

#define W 1280
#define H 800
#define FLOW "drop-in.yaml"

static void
on_audience(harness *h)
{
	assert_int_equal(app_view(h->app)->screen, SCREEN_AUDIENCE);
	assert_int_equal(h_count_action(h, ACT_AUDIENCE_HEAR), 3);
	/* Carry on is the first target: focus and scanning start there. */
	assert_int_equal(h_target_index(h, ACT_CARRY_ON, 0), 0);
}

static void
on_first_question(harness *h)
{
	assert_int_equal(app_view(h->app)->screen, SCREEN_QUESTION);
	assert_string_equal(app_view(h->app)->question->id, "today");
}

static void
touch_shows_them_then_carries_on(void **st)
{
	(void)st;
	harness h;
	h_open(&h, FLOW, W, H, true);
	h_click(&h, APP_ACT_START, 0);
	on_audience(&h);
	assert_true(h_has_text(&h, "These people will read what you say"));
	assert_true(h_has_text(&h, "Sam"));
	assert_true(h_has_text(&h, "runs the parent forum"));
	assert_true(h_has_text(&h, "Priya"));
	assert_true(h_has_text(&h, "plans SEND services at the council"));
	assert_true(h_has_text(&h, "Tom"));
	assert_true(h_has_text(&h, "Carry on"));
	/* The session began at Start; nothing is answered yet. */
	app_flush(h.app);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM sessions WHERE status = 'in_progress'"), 1);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers"), 0);
	h_click(&h, ACT_CARRY_ON, 0);
	on_first_question(&h);
	h_click(&h, APP_ACT_ANSWER, 0);
	app_flush(h.app);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers WHERE question_id = 'today'"), 1);
	h_close(&h);
}

static void
keyboard_carries_on(void **st)
{
	(void)st;
	harness h;
	h_open(&h, FLOW, W, H, true);
	for (int guard = 0; app_focus(h.app) != h_target_index(&h, APP_ACT_START, 0); guard++) {
		h_key(&h, SDLK_TAB, 0);
		assert_true(guard < 10);
	}
	h_key(&h, SDLK_RETURN, 0);
	h_step(&h);
	on_audience(&h);
	/* The focus is still showing, on the new screen's first target. */
	assert_int_equal(app_focus(h.app), h_target_index(&h, ACT_CARRY_ON, 0));
	/* Tab reaches each person, and comes round to Carry on again. */
	h_key(&h, SDLK_TAB, 0);
	assert_int_equal(app_focus(h.app), h_target_index(&h, ACT_AUDIENCE_HEAR, 0));
	for (int guard = 0; app_focus(h.app) != h_target_index(&h, ACT_CARRY_ON, 0); guard++) {
		h_key(&h, SDLK_TAB, 0);
		assert_true(guard < 10);
	}
	h_key(&h, SDLK_RETURN, 0);
	h_step(&h);
	on_first_question(&h);
	h_close(&h);
}

static void tweak_scan(kiosk_config *c) { c->access.method = ACCESS_SCAN; }
static void tweak_tap_hold(kiosk_config *c) { c->access.method = ACCESS_TAP_HOLD; }
static void tweak_two(kiosk_config *c) { c->access.method = ACCESS_TWO_SWITCH; }
static void tweak_dwell(kiosk_config *c) { c->access.method = ACCESS_DWELL; }
static void tweak_speech(kiosk_config *c) { c->access.speech = true; }

/* One switch scanning: the highlight on the target, then a press. */
static void
scan_press(harness *h, int action, int arg)
{
	int want = h_target_index(h, action, arg), guard = 0;
	assert_true(want >= 0);
	h_advance(h, 10);
	h_step(h);
	while (app_focus(h->app) != want) {
		h_advance(h, 250);
		h_step(h);
		assert_true(++guard < 400);
	}
	h_push_key(h, SDLK_SPACE, true);
	h_step(h);
	h_push_key(h, SDLK_SPACE, false);
	h_step(h);
	h_advance(h, 400);
	h_step(h);
}

static void
one_switch_scanning_carries_on(void **st)
{
	(void)st;
	harness h;
	h_open_cfg(&h, FLOW, W, H, tweak_scan);
	scan_press(&h, APP_ACT_START, 0);
	on_audience(&h);
	h_advance(&h, 10);
	h_step(&h);
	assert_int_equal(app_focus(h.app), 0);   /* scanning starts on Carry on */
	scan_press(&h, ACT_CARRY_ON, 0);
	on_first_question(&h);
	h_close(&h);
}

/* Tap moves, hold chooses. */
static void
hold_press(harness *h, int action, int arg)
{
	int want = h_target_index(h, action, arg), guard = 0;
	assert_true(want >= 0);
	while (app_focus(h->app) != want) {
		h_push_key(h, SDLK_SPACE, true);
		h_step(h);
		h_advance(h, 120);
		h_push_key(h, SDLK_SPACE, false);
		h_step(h);
		h_advance(h, 100);
		assert_true(++guard < 40);
	}
	h_push_key(h, SDLK_SPACE, true);
	h_step(h);
	h_advance(h, h->cfg.access.switch_hold_ms + 1);
	h_step(h);
	h_push_key(h, SDLK_SPACE, false);
	h_step(h);
	h_advance(h, 400);
	h_step(h);
}

static void
tap_hold_carries_on(void **st)
{
	(void)st;
	harness h;
	h_open_cfg(&h, FLOW, W, H, tweak_tap_hold);
	hold_press(&h, APP_ACT_START, 0);
	on_audience(&h);
	hold_press(&h, ACT_CARRY_ON, 0);
	on_first_question(&h);
	h_close(&h);
}

/* Two switches: Space steps, Enter chooses. */
static void
two_press(harness *h, int action, int arg)
{
	int want = h_target_index(h, action, arg), guard = 0;
	assert_true(want >= 0);
	while (app_focus(h->app) != want) {
		h_push_key(h, SDLK_SPACE, true);
		h_push_key(h, SDLK_SPACE, false);
		h_step(h);
		h_advance(h, 30);
		assert_true(++guard < 40);
	}
	h_key(h, SDLK_RETURN, 0);
	h_step(h);
	h_advance(h, 400);
	h_step(h);
}

static void
two_switches_carry_on(void **st)
{
	(void)st;
	harness h;
	h_open_cfg(&h, FLOW, W, H, tweak_two);
	two_press(&h, APP_ACT_START, 0);
	on_audience(&h);
	two_press(&h, ACT_CARRY_ON, 0);
	on_first_question(&h);
	h_close(&h);
}

/* The pointer comes from 50 px away and rests on the target. */
static void
dwell_press(harness *h, int action, int arg)
{
	int x, y;
	assert_true(h_center(h, action, arg, &x, &y));
	h_mouse(h, SDL_MOUSEMOTION, x, y > H / 2 ? y - 50 : y + 50);
	h_step(h);
	h_mouse(h, SDL_MOUSEMOTION, x, y);
	h_step(h);
	h_advance(h, h->cfg.access.dwell_ms + 1);
	h_step(h);
	h_advance(h, 100);
	h_step(h);
}

static void
dwell_carries_on(void **st)
{
	(void)st;
	harness h;
	h_open_cfg(&h, FLOW, W, H, tweak_dwell);
	dwell_press(&h, APP_ACT_START, 0);
	on_audience(&h);
	/* The pointer resting where Start was does not carry on by itself. */
	h_advance(&h, h.cfg.access.dwell_ms * 3);
	h_step(&h);
	assert_int_equal(app_view(h.app)->screen, SCREEN_AUDIENCE);
	dwell_press(&h, ACT_CARRY_ON, 0);
	on_first_question(&h);
	h_close(&h);
}

static void
read_aloud(void **st)
{
	(void)st;
	harness h;
	h_open_cfg(&h, FLOW, W, H, tweak_speech);
	h_click(&h, APP_ACT_START, 0);
	on_audience(&h);
	const char *said = app_last_spoken(h.app);
	assert_non_null(strstr(said, "These people will read what you say."));
	assert_non_null(strstr(said, "Sam, runs the parent forum."));
	assert_non_null(strstr(said, "Priya, plans SEND services at the council."));
	assert_non_null(strstr(said, "Tom, is the school nurse."));
	assert_non_null(strstr(said, "Carry on."));
	/* Touching a person reads that person, and stays. */
	h_click(&h, ACT_AUDIENCE_HEAR, 1);
	assert_string_equal(app_last_spoken(h.app), "Priya, plans SEND services at the council.");
	assert_int_equal(app_view(h.app)->screen, SCREEN_AUDIENCE);
	h_close(&h);
}

static void
walk_away_keeps_the_session_unfinished(void **st)
{
	(void)st;
	harness h;
	h_open(&h, FLOW, W, H, true);
	h_click(&h, APP_ACT_START, 0);
	on_audience(&h);
	/* A quiet while asks "Are you still there?" over it, as over a
	 * question (no turn ends without the warning), and "Yes" brings the
	 * people back, not a question... */
	h_advance(&h, h.cfg.timing.idle_ms / 2);
	h_step(&h);
	assert_int_equal(app_view(h.app)->screen, SCREEN_AUDIENCE);
	h_advance(&h, h.cfg.timing.idle_ms / 2 + 100);
	h_step(&h);
	assert_int_equal(app_view(h.app)->screen, SCREEN_STILL_THERE);
	assert_true(h_has_text(&h, "Are you still there?"));
	h_click(&h, APP_ACT_STILL_HERE, 0);
	on_audience(&h);
	/* ...and a person gone for the wait and the warning together has
	 * their session kept, unfinished. */
	h_advance(&h, h.cfg.timing.idle_ms + 100);
	h_step(&h);
	assert_int_equal(app_view(h.app)->screen, SCREEN_STILL_THERE);
	h_advance(&h, h.cfg.timing.still_there_ms + 100);
	h_step(&h);
	app_flush(h.app);
	for (int i = 0; i < 50 && app_view(h.app)->screen != SCREEN_WELCOME; i++) {
		h_advance(&h, 100);
		app_step(h.app, 10);
	}
	assert_int_equal(app_view(h.app)->screen, SCREEN_WELCOME);
	char buf[32];
	h_sql_text(&h, "SELECT status FROM sessions", buf, sizeof buf);
	assert_string_equal(buf, "unfinished");
	h_close(&h);
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

static void
urdu(harness *h)
{
	h_click(h, ACT_OPEN_LANGUAGE, 0);
	h_click(h, ACT_SET_LANGUAGE, lang_index(h, "ur"));
	h_click(h, APP_ACT_START, 0);
	on_audience(h);
}

static void
in_urdu(void **st)
{
	(void)st;
	harness h;
	h_open(&h, FLOW, W, H, true);
	urdu(&h);
	assert_true(h_has_text(&h, ui_words_for("ur")->audience_title));
	assert_true(h_has_text(&h, ui_words_for("ur")->carry_on));
	assert_true(h_has_text(&h, "والدین کا فورم چلاتے ہیں"));
	assert_false(h_has_text(&h, "runs the parent forum"));
	h_close(&h);
}

static void
golden(const char *name, int w, int hp, bool in_ur)
{
	harness h;
	h_open(&h, FLOW, w, hp, true);
	if (in_ur)
		urdu(&h);
	else
		h_click(&h, APP_ACT_START, 0);
	on_audience(&h);
	char msg[512];
	bool ok = h_golden(&h, name, msg, sizeof msg);
	if (!ok)
		fprintf(stderr, "%s\n", msg);
	assert_true(ok);
	h_close(&h);
}

static void golden_landscape(void **st) { (void)st; golden("audience-landscape", W, H, false); }
static void golden_portrait(void **st) { (void)st; golden("audience-portrait", 800, 1280, false); }
static void golden_urdu(void **st) { (void)st; golden("audience-urdu", W, H, true); }

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(touch_shows_them_then_carries_on),
		cmocka_unit_test(keyboard_carries_on),
		cmocka_unit_test(one_switch_scanning_carries_on),
		cmocka_unit_test(tap_hold_carries_on),
		cmocka_unit_test(two_switches_carry_on),
		cmocka_unit_test(dwell_carries_on),
		cmocka_unit_test(read_aloud),
		cmocka_unit_test(walk_away_keeps_the_session_unfinished),
		cmocka_unit_test(in_urdu),
		cmocka_unit_test(golden_landscape),
		cmocka_unit_test(golden_portrait),
		cmocka_unit_test(golden_urdu),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
