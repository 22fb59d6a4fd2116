/*
 * test_ui_room: "Show the room", through the real kiosk loop headless (real
 * SDL events, the harness' fake clock) on a real database the kiosk filled
 * itself: people answer the school-day flow by clicks, then staff open the
 * menu with the hidden gesture and the PIN and press "Show the room".
 *
 * - The room shows the event's answers only (a session of another event
 *   is not counted), one question at a time, and moves on to the next
 *   question after STAFF_ROOM_CHART_MS, round and round; it does not
 *   close itself after the staff menu's quiet minute.
 * - A count below room_min_count shows as "a few", never as its number;
 *   a question fewer than room_min_count people answered shows no counts.
 * - Typed words stored with an answer never show.
 * - With no event running it shows today's answers.
 * - The staff gesture leaves it, to the PIN pad.
 * - How many took part is said in the words for that many, in each
 *   language the room is shown in ("1 person", not "1 people"; Polish
 *   "2 osoby", Arabic's dual), with room_min_count 1.
 * - Read aloud (when the kiosk reads aloud by default): each chart as it
 *   shows, "a few" said as "a few".
 * - Goldens, looked at: landscape, portrait, Urdu.
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
#include "report/report.h"
#include "staff/staff.h"
#include "store/store.h"
#include "ui.h"
#include "ui_harness.h"

#define W 1280
#define H 800
#define PIN "471147"
#define EVENT "Spring drop-in"

static const staff_view *sv(harness *h) { return app_staff(h->app); }

static void
gesture(harness *h)
{
	int w, hh;
	SDL_GetWindowSize(app_window(h->app), &w, &hh);
	h_staff_gesture(h);
}

/* The gesture, the PIN, "Show the room". */
static void
open_room(harness *h)
{
	h_set_pin(h, PIN);
	gesture(h);
	assert_int_equal(sv(h)->screen, STAFF_PIN);
	h_type_pin(h, PIN);
	assert_int_equal(sv(h)->screen, STAFF_MENU);
	h_click(h, ACT_STAFF_ROOM, 0);
	h_settle_staff(h);
	assert_int_equal(sv(h)->screen, STAFF_ROOM);
	assert_non_null(sv(h)->room);
}

/* One person: on the first question (feelings) answer `feeling`; on the
 * second (choose several) the pictures in `acts` (-1 ends), then Done
 * (none: skip); on the third (lunch) answer `lunch` when it is not -1;
 * then "I've finished". */
static void
person(harness *h, int feeling, const int *acts, int lunch)
{
	h_click(h, APP_ACT_START, 0);
	assert_int_equal(app_view(h->app)->screen, SCREEN_QUESTION);
	h_click(h, APP_ACT_ANSWER, feeling);
	app_wait_hold(h->app);
	h_step(h);
	assert_string_equal(app_view(h->app)->question->id, "activities");
	if (acts && acts[0] >= 0) {
		for (int i = 0; acts[i] >= 0; i++)
			h_click(h, APP_ACT_ANSWER, acts[i]);
		h_click(h, APP_ACT_DONE, 0);
	} else {
		h_click(h, APP_ACT_SKIP, 0);
	}
	app_wait_hold(h->app);
	h_step(h);
	assert_string_equal(app_view(h->app)->question->id, "lunch");
	if (lunch >= 0) {
		h_click(h, APP_ACT_ANSWER, lunch);
		app_wait_hold(h->app);
		h_step(h);
	}
	h_click(h, APP_ACT_FINISH_EARLY, 0);
	assert_int_equal(app_view(h->app)->screen, SCREEN_THANKS);
	app_flush(h->app);
	h_click(h, APP_ACT_FINISH, 0);
	for (int i = 0; i < 50 && app_view(h->app)->screen != SCREEN_WELCOME; i++) {
		h_advance(h, 100);
		app_step(h->app, 5);
	}
	assert_int_equal(app_view(h->app)->screen, SCREEN_WELCOME);
}

/* Five people of the event: four feel answer 3, one answer 0; two of them
 * chose two pictures (the other three skipped: five answered, two chose
 * each picture, "a few"), and the same two answered lunch (two people:
 * fewer than room_min_count, held back). Then one more person whose
 * session is moved to another event, feeling answer 4. */
static void
fill(harness *h)
{
	static const int two[] = { 0, 1, -1 };
	for (int i = 0; i < 4; i++)
		person(h, 3, i < 2 ? two : NULL, i < 2 ? 2 : -1);
	person(h, 0, NULL, -1);
	person(h, 4, NULL, -1);
	char sql[256];
	snprintf(sql, sizeof sql, "UPDATE sessions SET event = 'Another day' WHERE id = (SELECT id FROM"
	         " sessions ORDER BY started_at DESC, rowid DESC LIMIT 1)");
	assert_int_equal(h_sql_int(h, "SELECT count(*) FROM sessions"), 6);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(h->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	/* Words someone typed, stored with an answer: never for the room. */
	assert_int_equal(sqlite3_exec(db, "UPDATE answers SET typed_text = 'Secret words from Alex'"
	                              " WHERE question_id = 'feeling'", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void tweak_event(kiosk_config *c) { snprintf(c->event, sizeof c->event, "%s", EVENT); }
static void
tweak_event_speech(kiosk_config *c)
{
	tweak_event(c);
	c->access.speech = true;
}
static void
tweak_event_urdu(kiosk_config *c)
{
	tweak_event(c);
	free(c->language);
	c->language = strdup("ur");
}

/* The words of the last frame, joined with '|' into buf. */
static const char *
words(harness *h, char *buf, size_t len)
{
	app_draw(h->app);
	ui_rect r[256];
	const char *t[256];
	int n = app_text_boxes(h->app, r, t, 256);
	size_t used = 0;
	buf[0] = '\0';
	for (int i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "|%s", t[i] ? t[i] : "");
	if (used < len)
		snprintf(buf + used, len - used, "|");
	return buf;
}

static bool
has(const char *all, const char *w)
{
	char pat[512];
	snprintf(pat, sizeof pat, "|%s|", w);
	return strstr(all, pat) != NULL;
}

/* How many of the words are exactly w. */
static int
times(const char *all, const char *w)
{
	char pat[512];
	snprintf(pat, sizeof pat, "|%s|", w);
	int n = 0;
	for (const char *p = strstr(all, pat); p; p = strstr(p + 1, pat))
		n++;
	return n;
}

static void
open_filled(harness *h, void (*tweak)(kiosk_config *), int w, int hp)
{
	static const char *const one[] = { "school-day.yaml" };
	h_open_flows(h, one, 1, w, hp, tweak, false);
	fill(h);
	open_room(h);
}

static void
shows_the_event_a_question_at_a_time(void **st)
{
	(void)st;
	harness h;
	open_filled(&h, tweak_event, W, H);
	const staff_view *v = sv(&h);
	assert_string_equal(v->room_event, EVENT);
	assert_false(v->room_today);
	/* The event's five, not the other event's one; three charts (nobody
	 * answered the questions after "I've finished"). */
	assert_int_equal(v->room->people, 5);
	assert_int_equal(v->room_n_charts, 3);
	assert_int_equal(v->room_chart, 0);
	char all[8192];
	words(&h, all, sizeof all);
	assert_true(has(all, "What you told us \xC2\xB7 " EVENT));
	/* Not "5 people": with four "happy" on the first chart, that would
	 * make its "a few" one person. */
	assert_false(has(all, "5 people"));
	assert_false(strstr(all, "5") != NULL);
	assert_true(has(all, "How was today?"));
	assert_true(has(all, "4"));        /* four felt answer 3 */
	assert_true(has(all, "a few"));    /* one felt answer 0: never "1" */
	assert_false(has(all, "1"));
	assert_false(strstr(all, "Secret") != NULL);
	/* The other event's answer (feeling 4) is not counted: its row says
	 * 0 with answers 1 and 2 (counted, it would be a second "a few"). */
	assert_int_equal(times(all, "0"), 3);
	assert_int_equal(times(all, "a few"), 1);
	/* No targets: the room changes by itself only. */
	ui_rect r[8];
	int acts[8];
	assert_int_equal(app_targets(h.app, r, acts, 8), 0);

	/* The next question after a calm while: two people chose each of
	 * two pictures, "a few" each, never "2". */
	h_advance(&h, STAFF_ROOM_CHART_MS - 100);
	h_step(&h);
	assert_int_equal(sv(&h)->room_chart, 0);
	h_advance(&h, 200);
	h_step(&h);
	assert_int_equal(sv(&h)->room_chart, 1);
	words(&h, all, sizeof all);
	assert_true(has(all, "What did you do?"));
	assert_true(has(all, "a few"));
	assert_false(has(all, "2"));
	/* Then lunch: two people answered it, fewer than room_min_count, so
	 * none of its counts show. */
	h_advance(&h, STAFF_ROOM_CHART_MS);
	h_step(&h);
	assert_int_equal(sv(&h)->room_chart, 2);
	words(&h, all, sizeof all);
	assert_true(strstr(all, "A few people answered this.") != NULL);
	assert_false(has(all, "2"));
	assert_false(has(all, "a few"));
	assert_false(has(all, "0"));
	/* Round again (counted again meanwhile), and past the staff menu's
	 * quiet minute it is still showing. */
	h_advance(&h, STAFF_ROOM_CHART_MS + 10);
	h_step(&h);
	h_settle_staff(&h);
	assert_int_equal(sv(&h)->room_chart, 0);
	for (int i = 0; i < 12; i++) {
		h_advance(&h, STAFF_ROOM_CHART_MS);
		h_step(&h);
		h_settle_staff(&h);
	}
	assert_int_equal(sv(&h)->screen, STAFF_ROOM);
	assert_non_null(sv(&h)->room);
	/* The staff gesture leaves it: the PIN again, not the menu. */
	gesture(&h);
	assert_int_equal(sv(&h)->screen, STAFF_PIN);
	assert_null(sv(&h)->room);
	h_close(&h);
}

/* Six people: three said answer 3, two answer 0, one answer 4. Nobody
 * can narrow a "few" to one person from "6 people" (6 - 3 leaves the two
 * few three, so either could be two), so the heading says it. */
static void
says_how_many_when_nothing_is_given_away(void **st)
{
	(void)st;
	harness h;
	static const char *const one[] = { "school-day.yaml" };
	h_open_flows(&h, one, 1, W, H, tweak_event, false);
	static const int feel[] = { 3, 3, 3, 0, 0, 4 };
	for (int i = 0; i < 6; i++)
		person(&h, feel[i], NULL, -1);
	open_room(&h);
	assert_int_equal(sv(&h)->room->people, 6);
	assert_int_equal(sv(&h)->room_n_charts, 1);
	char all[8192];
	words(&h, all, sizeof all);
	assert_true(has(all, "6 people"));
	assert_true(has(all, "3"));
	assert_true(has(all, "a few"));
	assert_false(has(all, "2"));
	assert_false(has(all, "1"));
	h_close(&h);
}

static void
no_event_shows_today(void **st)
{
	(void)st;
	harness h;
	open_filled(&h, NULL, W, H);
	assert_true(sv(&h)->room_today);
	/* Every session today: all six (the one moved to another event too). */
	assert_int_equal(sv(&h)->room->people, 6);
	char all[8192];
	words(&h, all, sizeof all);
	assert_true(has(all, "What you told us \xC2\xB7 Today"));
	/* Six, four of them "happy" and two a "few" each: with "6 people"
	 * each few would be one person, so the number is left out. */
	assert_false(has(all, "6 people"));
	h_close(&h);
}

static void
read_aloud(void **st)
{
	(void)st;
	harness h;
	open_filled(&h, tweak_event_speech, W, H);
	const char *said = app_last_spoken(h.app);
	assert_non_null(strstr(said, ": 4."));
	assert_non_null(strstr(said, ": a few."));
	assert_null(strstr(said, ": 1."));
	h_advance(&h, STAFF_ROOM_CHART_MS + 10);
	h_step(&h);
	assert_non_null(strstr(app_last_spoken(h.app), ": a few."));
	h_advance(&h, STAFF_ROOM_CHART_MS + 10);
	h_step(&h);
	assert_non_null(strstr(app_last_spoken(h.app), "A few people answered this."));
	h_close(&h);
}

static const char *room_lang;
static void
tweak_min_one(kiosk_config *c)
{
	tweak_event(c);
	c->room_min_count = 1;
	free(c->language);
	c->language = strdup(room_lang);
}

/* n people of the event, in lang, with room_min_count 1: the heading. */
static void
heading_says(const char *lang, int n, const char *want)
{
	harness h;
	static const char *const one[] = { "school-day.yaml" };
	room_lang = lang;
	h_open_flows(&h, one, 1, W, H, tweak_min_one, false);
	for (int i = 0; i < n; i++)
		person(&h, 3, NULL, -1);
	open_room(&h);
	assert_int_equal(sv(&h)->room->people, n);
	char all[8192];
	words(&h, all, sizeof all);
	if (!has(all, want))
		fail_msg("%s, %d: the room says %s, not '%s'", lang, n, all, want);
	h_close(&h);
}

/* One person is "1 person" in every language the room is shown in (it
 * said "1 people"), and two take each language's form for two. */
static void
counts_people_in_their_own_words(void **st)
{
	(void)st;
	heading_says("en", 1, "1 person");
	heading_says("pl", 1, "1 osoba");
	heading_says("ur", 1, "1 \xD8\xB4\xD8\xAE\xD8\xB5");                  /* شخص */
	heading_says("ar", 1, "1 \xD8\xB4\xD8\xAE\xD8\xB5");                  /* شخص */
	heading_says("bn", 1, "1 \xE0\xA6\x9C\xE0\xA6\xA8");                  /* জন */
	heading_says("en", 2, "2 people");
	heading_says("pl", 2, "2 osoby");
	heading_says("ar", 2, "2 \xD8\xB4\xD8\xAE\xD8\xB5\xD8\xA7\xD9\x86");  /* شخصان */
	/* a kiosk set to a language with a region takes its language's words */
	heading_says("pl-PL", 5, "5 os\xC3\xB3" "b");                       /* 5 osób */
}

static void
golden(const char *name, void (*tweak)(kiosk_config *), int w, int hp)
{
	harness h;
	open_filled(&h, tweak, w, hp);
	char msg[1024];
	bool ok = h_golden(&h, name, msg, sizeof msg);
	if (!ok)
		fprintf(stderr, "%s\n", msg);
	assert_true(ok);
	h_close(&h);
}

static void golden_landscape(void **st) { (void)st; golden("room-landscape", tweak_event, W, H); }
static void golden_portrait(void **st) { (void)st; golden("room-portrait", tweak_event, 800, 1280); }
static void golden_urdu(void **st) { (void)st; golden("room-urdu", tweak_event_urdu, W, H); }

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shows_the_event_a_question_at_a_time),
		cmocka_unit_test(no_event_shows_today),
		cmocka_unit_test(read_aloud),
		cmocka_unit_test(says_how_many_when_nothing_is_given_away),
		cmocka_unit_test(counts_people_in_their_own_words),
		cmocka_unit_test(golden_landscape),
		cmocka_unit_test(golden_portrait),
		cmocka_unit_test(golden_urdu),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
