/*
 * test_ui_flows: a kiosk offering several flows, events and "I've
 * finished", through the real kiosk loop headless (real SDL events, the
 * harness' fake clock), read back from the real database.
 *
 * - With two flows the welcome screen shows a card for each; the keyboard
 *   and one switch scanning (each starting on the first card) pick the
 *   second, and its session is stored with the second flow's id.
 * - A flow staff stopped offering is not on the welcome screen; with one
 *   left the welcome screen is the plain Start of before.
 * - kiosk.yaml's `event` and `kiosk_id` are carried by every session.
 * - "I've finished" on a question ends the turn at once as completed_early,
 *   the answers given kept, and the thank-you screen shows.
 * - Goldens, looked at: the welcome screen with two flows, landscape and
 *   portrait.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "ui_harness.h"

#define W 1280
#define H 800

static const char *const two[] = { "school-day.yaml", "clinic-visit.yaml" };

static void
flow_of_last_session(harness *h, char *buf, size_t len)
{
	app_flush(h->app);
	h_sql_text(h, "SELECT flow_id FROM sessions ORDER BY started_at DESC, rowid DESC LIMIT 1", buf,
	           len);
}

static void
welcome_shows_a_card_per_flow(void **st)
{
	(void)st;
	harness h;
	h_open_flows(&h, two, 2, W, H, NULL, false);
	assert_int_equal(app_view(h.app)->screen, SCREEN_WELCOME);
	assert_int_equal(h_count_action(&h, APP_ACT_START), 2);
	/* The cards come first: focus and scanning start on the first. */
	assert_int_equal(h_target_index(&h, APP_ACT_START, 0), 0);
	assert_int_equal(h_target_index(&h, APP_ACT_START, 1), 1);
	/* A mouse click on the second card starts the second flow. */
	h_click(&h, APP_ACT_START, 1);
	assert_int_equal(app_view(h.app)->screen, SCREEN_QUESTION);
	char id[64];
	flow_of_last_session(&h, id, sizeof id);
	assert_string_equal(id, "clinic-visit");
	h_close(&h);
}

static void
keyboard_picks_the_second_flow(void **st)
{
	(void)st;
	harness h;
	h_open_flows(&h, two, 2, W, H, NULL, false);
	/* The first key shows the focus, on the first card. */
	h_key(&h, SDLK_TAB, 0);
	assert_int_equal(app_focus(h.app), h_target_index(&h, APP_ACT_START, 0));
	h_key(&h, SDLK_TAB, 0);
	assert_int_equal(app_focus(h.app), h_target_index(&h, APP_ACT_START, 1));
	h_key(&h, SDLK_RETURN, 0);
	h_step(&h);
	assert_int_equal(app_view(h.app)->screen, SCREEN_QUESTION);
	char id[64];
	flow_of_last_session(&h, id, sizeof id);
	assert_string_equal(id, "clinic-visit");
	/* Its first question is the clinic's. */
	assert_string_equal(app_view(h.app)->question->id, h.flows[1]->questions[0].id);
	h_close(&h);
}

static void
tweak_scan(kiosk_config *c)
{
	c->access.method = ACCESS_SCAN;
}

static void
scanning_picks_the_second_flow(void **st)
{
	(void)st;
	harness h;
	h_open_flows(&h, two, 2, W, H, tweak_scan, false);
	h_advance(&h, 10);
	h_step(&h);
	/* Scanning starts on the first card. */
	assert_int_equal(app_focus(h.app), 0);
	int want = h_target_index(&h, APP_ACT_START, 1), guard = 0;
	while (app_focus(h.app) != want) {
		h_advance(&h, 250);
		h_step(&h);
		assert_true(++guard < 400);
	}
	h_push_key(&h, SDLK_SPACE, true);
	h_step(&h);
	h_push_key(&h, SDLK_SPACE, false);
	h_step(&h);
	assert_int_equal(app_view(h.app)->screen, SCREEN_QUESTION);
	char id[64];
	flow_of_last_session(&h, id, sizeof id);
	assert_string_equal(id, "clinic-visit");
	h_close(&h);
}

static void
tweak_event(kiosk_config *c)
{
	snprintf(c->event, sizeof c->event, "Spring drop-in");
	c->kiosk_id = strdup("hall-1");
}

static void
settings_event_and_kiosk_id_are_stored(void **st)
{
	(void)st;
	harness h;
	h_open_flows(&h, two, 2, W, H, tweak_event, false);
	h_click(&h, APP_ACT_START, 0);
	app_flush(h.app);
	char buf[128];
	h_sql_text(&h, "SELECT event FROM sessions", buf, sizeof buf);
	assert_string_equal(buf, "Spring drop-in");
	h_sql_text(&h, "SELECT kiosk_id FROM sessions", buf, sizeof buf);
	assert_string_equal(buf, "hall-1");
	h_sql_text(&h, "SELECT value FROM meta WHERE key = 'kiosk_id'", buf, sizeof buf);
	assert_string_equal(buf, "hall-1");
	h_close(&h);
}

static void
no_event_stores_null(void **st)
{
	(void)st;
	harness h;
	h_open_flows(&h, two, 1, W, H, NULL, false);
	/* One flow: the plain Start of before. */
	assert_int_equal(h_count_action(&h, APP_ACT_START), 1);
	h_click(&h, APP_ACT_START, 0);
	app_flush(h.app);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM sessions WHERE event IS NULL"), 1);
	h_close(&h);
}

static void
finished_early_is_kept(void **st)
{
	(void)st;
	harness h;
	h_open_flows(&h, two, 2, W, H, NULL, false);
	h_click(&h, APP_ACT_START, 0);
	h_click(&h, APP_ACT_ANSWER, 0);
	assert_int_equal(app_view(h.app)->screen, SCREEN_QUESTION);
	assert_int_equal(app_view(h.app)->question_number, 2);
	h_click(&h, APP_ACT_FINISH_EARLY, 0);
	assert_int_equal(app_view(h.app)->screen, SCREEN_THANKS);
	app_flush(h.app);
	char buf[64];
	h_sql_text(&h, "SELECT status FROM sessions", buf, sizeof buf);
	assert_string_equal(buf, "completed_early");
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers"), 1);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM sessions WHERE ended_at IS NOT NULL"), 1);
	h_close(&h);
}

static void
every_question_has_finished(void **st)
{
	(void)st;
	harness h;
	h_open_flows(&h, two, 2, W, H, NULL, false);
	h_click(&h, APP_ACT_START, 1);
	int guard = 0;
	while (app_view(h.app)->screen == SCREEN_QUESTION && ++guard < 40) {
		assert_int_equal(h_count_action(&h, APP_ACT_FINISH_EARLY), 1);
		h_click(&h, APP_ACT_SKIP, 0);
	}
	assert_int_equal(app_view(h.app)->screen, SCREEN_THANKS);
	h_close(&h);
}

static void
golden(const char *name, int w, int hp)
{
	harness h;
	h_open_flows(&h, two, 2, w, hp, NULL, false);
	char msg[512];
	bool ok = h_golden(&h, name, msg, sizeof msg);
	if (!ok)
		fprintf(stderr, "%s\n", msg);
	assert_true(ok);
	h_close(&h);
}

static void golden_landscape(void **st) { (void)st; golden("welcome-two-flows-landscape", W, H); }
static void golden_portrait(void **st) { (void)st; golden("welcome-two-flows-portrait", 800, 1280); }

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(welcome_shows_a_card_per_flow),
		cmocka_unit_test(keyboard_picks_the_second_flow),
		cmocka_unit_test(scanning_picks_the_second_flow),
		cmocka_unit_test(settings_event_and_kiosk_id_are_stored),
		cmocka_unit_test(no_event_stores_null),
		cmocka_unit_test(finished_early_is_kept),
		cmocka_unit_test(every_question_has_finished),
		cmocka_unit_test(golden_landscape),
		cmocka_unit_test(golden_portrait),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
