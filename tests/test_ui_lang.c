/*
 * test_ui_lang: the kiosk in its five languages, headless. The language
 * screen lists each language of the flow by its own name; choosing one
 * changes every word on screen and mirrors the layout for right-to-left;
 * answers are stored with the question in the language they were asked
 * in. Golden screenshots (tests/golden/lang-*.png, reviewed by eye) hold
 * Urdu, Arabic and Bengali shaped and ordered, with numbers and a Latin
 * word inside the sentence. TELLUS_UPDATE_GOLDEN=1 rewrites them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui_harness.h"
#include "store_sql.h"
#include "ui.h"
#include "app.h"

#define NUMBERS_FLOW "../../tests/data/lang/numbers.yaml"

/* Compares the app's screen with tests/golden/NAME.png (as test_ui_golden). */
static void
golden(harness *h, const char *name)
{
	char msg[1024];
	if (!h_golden(h, name, msg, sizeof msg))
		fail_msg("%s", msg);
}

static int
lang_index(const harness *h, const char *code)
{
	for (size_t i = 0; i < h->flow->n_languages; i++)
		if (strcmp(h->flow->languages[i], code) == 0)
			return (int)i;
	fail_msg("the flow has no '%s'", code);
	return -1;
}

/* From the welcome screen: Language, then the language's card. */
static void
choose_language(harness *h, const char *code)
{
	h_click(h, ACT_OPEN_LANGUAGE, 0);
	h_click(h, ACT_SET_LANGUAGE, lang_index(h, code));
	assert_string_equal(app_view(h->app)->language, code);
}

static int
center_x(harness *h, int action, int arg)
{
	int x, y;
	assert_true(h_center(h, action, arg, &x, &y));
	return x;
}

/* The language screen: a card per language, the current one chosen; it
 * goes away when one is chosen, and Back leaves the language as it was. */
static void
language_screen(void **state)
{
	(void)state;
	harness h;
	h_open(&h, "clinic-visit.yaml", 1280, 800, true);
	assert_string_equal(app_view(h.app)->language, "en");
	h_click(&h, ACT_OPEN_LANGUAGE, 0);
	ui_rect r[UI_MAX_TARGETS];
	int acts[UI_MAX_TARGETS];
	int n = app_targets(h.app, r, acts, UI_MAX_TARGETS);
	int cards = 0;
	for (int i = 0; i < n; i++) {
		if (acts[i] != ACT_SET_LANGUAGE)
			continue;
		cards++;
		assert_true(r[i].w >= H_MIN_TARGET_PX && r[i].h >= H_MIN_TARGET_PX);
	}
	assert_int_equal(cards, 5);
	golden(&h, "lang-screen-landscape");
	/* Back: still English, on the welcome screen. */
	h_click(&h, ACT_CLOSE_OVERLAY, 0);
	assert_string_equal(app_view(h.app)->language, "en");
	int x, y;
	assert_true(h_center(&h, ACT_START, 0, &x, &y));
	/* From Urdu, the same screen mirrored. */
	choose_language(&h, "ur");
	h_click(&h, ACT_OPEN_LANGUAGE, 0);
	golden(&h, "lang-screen-ur-landscape");
	h_click(&h, ACT_SET_LANGUAGE, lang_index(&h, "pl"));
	assert_string_equal(app_view(h.app)->language, "pl");
	h_close(&h);
}

/* A question in each right-to-left language and in Bengali, with numbers
 * and "3B" inside the sentence. Right to left, Skip sits on the right and
 * the picture on the right of the sentence. */
static void
question_in(const char *code, bool rtl)
{
	harness h;
	h_open(&h, NUMBERS_FLOW, 1280, 800, true);
	choose_language(&h, code);
	h_click(&h, ACT_START, 0);
	assert_int_equal(app_view(h.app)->screen, SCREEN_QUESTION);
	int skip_x = center_x(&h, ACT_SKIP, 0);
	if (rtl)
		assert_true(skip_x > 1280 / 2);
	else
		assert_true(skip_x < 1280 / 2);
	char name[64];
	snprintf(name, sizeof name, "lang-%s-question-landscape", code);
	golden(&h, name);
	h_close(&h);
}

static void question_ur(void **state) { (void)state; question_in("ur", true); }
static void question_ar(void **state) { (void)state; question_in("ar", true); }
static void question_bn(void **state) { (void)state; question_in("bn", false); }

/* The whole clinic flow in Urdu, chosen on the welcome screen: the
 * session is stored as Urdu, and every question and label in Urdu. */
static void
finish_in_urdu(void **state)
{
	(void)state;
	harness h;
	h_open(&h, "clinic-visit.yaml", 1280, 800, true);
	choose_language(&h, "ur");
	golden(&h, "lang-ur-welcome-landscape");
	h_click(&h, ACT_START, 0);
	h_click(&h, ACT_ANSWER, 1);        /* who: a parent or carer */
	h_click(&h, ACT_ANSWER, 2);        /* wait: happy */
	h_click(&h, ACT_ANSWER, 0);        /* kind: yes */
	h_click(&h, ACT_ANSWER, 0);        /* explained: yes, on to overall */
	h_click(&h, ACT_ANSWER, 4);        /* overall: very happy */
	assert_int_equal(app_view(h.app)->screen, SCREEN_THANKS);
	app_flush(h.app);
	char buf[512];
	h_sql_text(&h, "SELECT language FROM sessions", buf, sizeof buf);
	assert_string_equal(buf, "ur");
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers"), 5);
	h_sql_text(&h, "SELECT question_text FROM answers WHERE question_id = 'who'", buf, sizeof buf);
	assert_string_equal(buf, "کون جواب دے رہا ہے؟");
	h_sql_text(&h, "SELECT " SQL_ANSWER_LABELS " FROM answers WHERE question_id = 'who'", buf, sizeof buf);
	assert_string_equal(buf, "والدین یا دیکھ بھال کرنے والے");
	h_sql_text(&h, "SELECT " SQL_ANSWER_LABELS " FROM answers WHERE question_id = 'kind'", buf, sizeof buf);
	assert_string_equal(buf, "ہاں");
	h_sql_text(&h, "SELECT " SQL_ANSWER_LABELS " FROM answers WHERE question_id = 'overall'", buf, sizeof buf);
	assert_string_equal(buf, "بہت خوش");
	/* The next person starts in the kiosk's language again. */
	h_click(&h, ACT_FINISH, 0);
	app_flush(h.app);
	h_step(&h);
	assert_int_equal(app_view(h.app)->screen, SCREEN_WELCOME);
	assert_string_equal(app_view(h.app)->language, "en");
	h_close(&h);
}

/* Mid-session: English first, then Urdu from the language screen opened
 * through "How do you like to answer?". Each answer keeps the question as
 * it was shown; the session row keeps the language it started in. */
static void
switch_mid_session(void **state)
{
	(void)state;
	harness h;
	h_open(&h, "clinic-visit.yaml", 1280, 800, true);
	h_click(&h, ACT_START, 0);
	h_click(&h, ACT_ANSWER, 0);        /* who: a child (in English) */
	int back_en = center_x(&h, ACT_BACK, 0);
	h_click(&h, ACT_OPEN_ACCESS, 0);
	h_click(&h, ACT_OPEN_LANGUAGE, 0);
	h_click(&h, ACT_SET_LANGUAGE, lang_index(&h, "ur"));
	assert_string_equal(app_view(h.app)->language, "ur");
	assert_int_equal(app_view(h.app)->screen, SCREEN_QUESTION);
	/* Back moved to the other side. */
	int back_ur = center_x(&h, ACT_BACK, 0);
	assert_true(abs(back_ur - (1280 - back_en)) <= 1);   /* odd widths round */
	h_click(&h, ACT_ANSWER, 0);        /* wait: sad */
	h_click(&h, ACT_ANSWER, 1);        /* kind: no */
	h_click(&h, ACT_ANSWER, 0);        /* explained: yes */
	h_click(&h, ACT_ANSWER, 2);        /* overall: okay */
	assert_int_equal(app_view(h.app)->screen, SCREEN_THANKS);
	app_flush(h.app);
	char buf[512];
	h_sql_text(&h, "SELECT question_text FROM answers WHERE question_id = 'who'", buf, sizeof buf);
	assert_string_equal(buf, "Who is answering?");
	h_sql_text(&h, "SELECT question_text FROM answers WHERE question_id = 'wait'", buf, sizeof buf);
	assert_string_equal(buf, "انتظار کیسا رہا؟");
	h_sql_text(&h, "SELECT " SQL_ANSWER_LABELS " FROM answers WHERE question_id = 'kind'", buf, sizeof buf);
	assert_string_equal(buf, "نہیں");
	h_sql_text(&h, "SELECT status FROM sessions", buf, sizeof buf);
	assert_string_equal(buf, "completed");
	h_close(&h);
}

/* True when the screen, drawn now, holds a text starting with prefix. */
static bool
has_text_starting(harness *h, const char *prefix)
{
	app_draw(h->app);
	ui_rect r[H_MAX_BOXES];
	const char *t[H_MAX_BOXES];
	int n = app_text_boxes(h->app, r, t, H_MAX_BOXES);
	for (int i = 0; i < n; i++)
		if (strncmp(t[i], prefix, strlen(prefix)) == 0)
			return true;
	return false;
}

/* "How do you like to answer?" in each of the five languages: drawn in
 * it, every option and Keep included, and spoken in its voice. */
static void
access_in_every_language(void **state)
{
	(void)state;
	static const char *const langs[] = { "en", "pl", "ur", "ar", "bn" };
	const ui_access_words *en = ui_access_words_for("en");
	/* A language the kiosk does not know gets English, said as English. */
	assert_ptr_equal(ui_access_words_for("xx"), en);
	assert_ptr_equal(ui_access_words_for(NULL), en);
	for (size_t l = 0; l < sizeof langs / sizeof langs[0]; l++) {
		const ui_access_words *aw = ui_access_words_for(langs[l]);
		assert_string_equal(aw->lang, langs[l]);
		/* Each word really is in the language, not English left over. */
		if (l > 0) {
			assert_string_not_equal(aw->title, en->title);
			assert_string_not_equal(aw->keep, en->keep);
			assert_string_not_equal(aw->on, en->on);
			for (int o = 0; o < ACCESS_OPT_COUNT; o++)
				assert_string_not_equal(aw->options[o], en->options[o]);
		}
		harness h;
		h_open(&h, "school-day.yaml", 1280, 800, true);
		if (l > 0)
			choose_language(&h, langs[l]);
		h_click(&h, ACT_OPEN_ACCESS, 0);
		assert_int_equal(app_overlay(h.app), OVERLAY_ACCESS);
		assert_string_equal(app_last_spoken(h.app), aw->title);
		assert_string_equal(app_last_spoken_lang(h.app), langs[l]);
		assert_true(h_has_text(&h, aw->title));
		for (int o = 0; o < ACCESS_OPT_COUNT; o++)
			if (!h_has_text(&h, aw->options[o]))
				fail_msg("%s: \"%s\" is not on the screen", langs[l], aw->options[o]);
		if (l > 0) {
			/* Looked at: tests/golden/access-{pl,ur,ar,bn}.png. */
			char name[64];
			snprintf(name, sizeof name, "access-%s", langs[l]);
			golden(&h, name);
		}
		/* An option says what changed, in the person's words and voice. */
		char said[256];
		h_click(&h, ACT_ACCESS_OPTION, ACCESS_OPT_LARGE_TEXT);
		snprintf(said, sizeof said, "%s: %s", aw->options[ACCESS_OPT_LARGE_TEXT], aw->on);
		assert_string_equal(app_last_spoken(h.app), said);
		assert_string_equal(app_last_spoken_lang(h.app), langs[l]);
		h_click(&h, ACT_ACCESS_OPTION, ACCESS_OPT_LARGE_TEXT);
		snprintf(said, sizeof said, "%s: %s", aw->options[ACCESS_OPT_LARGE_TEXT], aw->off);
		assert_string_equal(app_last_spoken(h.app), said);
		/* A new way on trial: Keep counts down in the person's words. */
		h_click(&h, ACT_ACCESS_OPTION, ACCESS_OPT_DWELL);
		int kept = -1;
		assert_true(app_method_trial(h.app, &kept));
		char keep[64];
		snprintf(keep, sizeof keep, "%s 10", aw->keep);
		if (!h_has_text(&h, keep) && !has_text_starting(&h, aw->keep))
			fail_msg("%s: no \"%s\" on the trial's Keep", langs[l], keep);
		assert_false(h_has_text(&h, en->title) && l > 0);
		h_close(&h);
	}
}

/* The largest size of any other text on the screen, drawn now. */
static int
other_text_px(harness *h, const char *text)
{
	app_draw(h->app);
	const draw_list *dl = app_draw_list(h->app);
	int most = 0;
	for (size_t i = 0; i < dl->n; i++)
		if (dl->cmds[i].kind == DRAW_TEXT && strcmp(draw_str(dl, dl->cmds[i].text_off), text) != 0)
			most = dl->cmds[i].px > most ? dl->cmds[i].px : most;
	return most;
}

/* Large text ("Bigger words"), in every language, on the small screens:
 * "Language" on the overlay's card is as big as every other option's
 * words (alone, it took what its short word allowed: 27 px beside 24 at
 * 800x480, 51 beside 38 at 1280x800); the language screen's title is no
 * smaller than any word under it (at 480x800 it was squeezed between
 * Back and an empty mirror of it: 23 px over names of 29). */
static void
language_as_big_as_its_neighbours(void **state)
{
	(void)state;
	static const char *const langs[] = { "en", "pl", "ur", "ar", "bn" };
	static const struct { int w, h; } sizes[] = { { 800, 480 }, { 480, 800 }, { 1280, 800 } };
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
		for (size_t l = 0; l < sizeof langs / sizeof langs[0]; l++) {
			harness h;
			h_open(&h, "school-day.yaml", sizes[k].w, sizes[k].h, true);
			if (l > 0)
				choose_language(&h, langs[l]);
			const char *word = ui_words_for(langs[l])->language;
			const ui_access_words *aw = ui_access_words_for(langs[l]);
			h_click(&h, ACT_OPEN_ACCESS, 0);
			h_click(&h, ACT_ACCESS_OPTION, ACCESS_OPT_LARGE_TEXT);
			assert_true(app_access(h.app)->large_text);
			int px = h_text_px(&h, word);
			assert_true(px > 0);
			for (int o = 0; o < ACCESS_OPT_COUNT; o++)
				if (h_text_px(&h, aw->options[o]) != px)
					fail_msg("%s %dx%d: \"%s\" at %d px, \"%s\" at %d", langs[l], sizes[k].w,
					         sizes[k].h, word, px, aw->options[o], h_text_px(&h, aw->options[o]));
			h_click(&h, ACT_OPEN_LANGUAGE, 0);
			assert_int_equal(app_overlay(h.app), OVERLAY_LANGUAGE);
			/* At 1280x800 the bar's height, not its width, holds the
			 * title (54 px over names of 68): the small screens only. */
			if (sizes[k].w * sizes[k].h < 1280 * 800 && h_text_px(&h, word) < other_text_px(&h, word))
				fail_msg("%s %dx%d: the title \"%s\" at %d px under words at %d", langs[l],
				         sizes[k].w, sizes[k].h, word, h_text_px(&h, word), other_text_px(&h, word));
			h_close(&h);
		}
}

/* Every table of the kiosk's own words finds a language by its code, or
 * by its primary language ("pl-PL" gets the Polish words, "ur_PK" the
 * Urdu ones), and falls back to English for one it does not know. */
static void
words_by_code_or_primary_language(void **state)
{
	(void)state;
	assert_ptr_equal(ui_words_for("pl-PL"), ui_words_for("pl"));
	assert_ptr_equal(ui_words_for("ur_PK"), ui_words_for("ur"));
	assert_ptr_not_equal(ui_words_for("pl"), ui_words_for("en"));
	assert_ptr_equal(ui_words_for("xx"), ui_words_for("en"));
	assert_ptr_equal(ui_words_for("p"), ui_words_for("en"));
	assert_ptr_equal(ui_words_for(NULL), ui_words_for("en"));
	assert_string_equal(ui_words_for("en")->lang, "en");
	assert_ptr_equal(ui_card_words_for("bn-BD"), ui_card_words_for("bn"));
	assert_ptr_equal(ui_access_words_for("ar-EG"), ui_access_words_for("ar"));
	assert_ptr_equal(ui_type_words_for("pl-PL"), ui_type_words_for("pl"));
	assert_string_equal(ui_osk_lang("pl-PL"), "pl");
	assert_string_equal(ui_osk_lang("bn-IN"), "bn");
	assert_string_equal(ui_osk_lang("ta"), "en");   /* no Tamil letters: English ones */
	assert_string_equal(screen_rest_words("ur-PK", 0), screen_rest_words("ur", 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(language_screen),
		cmocka_unit_test(question_ur),
		cmocka_unit_test(question_ar),
		cmocka_unit_test(question_bn),
		cmocka_unit_test(finish_in_urdu),
		cmocka_unit_test(switch_mid_session),
		cmocka_unit_test(access_in_every_language),
		cmocka_unit_test(language_as_big_as_its_neighbours),
		cmocka_unit_test(words_by_code_or_primary_language),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
