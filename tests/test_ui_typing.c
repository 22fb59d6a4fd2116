/*
 * test_ui_typing: the text question through the real app, headless, with
 * real SDL events: a word typed on the on-screen keyboard by touch, mouse,
 * the keyboard alone (Tab and Enter), one switch scanning, one switch tap
 * and hold, two switches and dwell; and with a real keyboard (SDL's text
 * input, Backspace) and an input method (SDL_TEXTEDITING, then the word).
 * Each run types a letter too many and takes it away, types a space, and
 * then reads the real SQLite file. The rules of what may be typed
 * (the flow's length limit, no control characters or direction
 * overrides), an empty box being a skip, the box emptied when the person
 * walks away, and one run through `tellus export` (read back with
 * Python's csv and json by tests/export/check_text.py), `tellus merge`
 * and `tellus report`.
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

#include "ui.h"
#include "ui_harness.h"

#define W 1280
#define H 800
#define FLOW "more-ways.yaml"
/* a text question in Bengali, from the tests' flows */
#define BENGALI_FLOW "../../tests/data/flows/good/bengali-text.yaml"

/* What SDL sends for typed text (and, with editing, an input method's
 * word in the making). */
static void
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


/* The letter's key on the English keyboard (a = 0). */
static int key_of(char c) { return c - 'a'; }

static const char *
typed(harness *h)
{
	return app_view(h->app)->text;
}

/* Start, the two mats skipped, the feelings answered: the text question. */
static void
to_text(harness *h, h_press_fn press)
{
	press(h, APP_ACT_START, 0);
	while (app_view(h->app)->screen == SCREEN_QUESTION &&
	       app_view(h->app)->question->type != QT_TEXT) {
		if (app_view(h->app)->question->type == QT_FEELINGS)
			press(h, APP_ACT_ANSWER, 2);
		else
			press(h, APP_ACT_SKIP, 0);
	}
	assert_int_equal(app_view(h->app)->screen, SCREEN_QUESTION);
	assert_string_equal(app_view(h->app)->question->id, "one-word");
}

/* After the text question: whatever comes next is skipped to the end. */
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

/* "bad" typed key by key: one letter too many taken away, a space, and a
 * space at the end that the answer does not keep. */
static void
type_word(harness *h, h_press_fn press)
{
	press(h, APP_ACT_KEY, key_of('b'));
	press(h, APP_ACT_KEY, key_of('a'));
	press(h, APP_ACT_KEY, key_of('c'));
	assert_string_equal(typed(h), "bac");
	press(h, APP_ACT_KEY, APP_OSK_DELETE);
	assert_string_equal(typed(h), "ba");
	press(h, APP_ACT_KEY, APP_OSK_SPACE);
	press(h, APP_ACT_KEY, key_of('d'));
	press(h, APP_ACT_KEY, APP_OSK_SPACE);
	assert_string_equal(typed(h), "ba d ");
	assert_int_equal(app_view(h->app)->text_chars, 5);
	press(h, APP_ACT_DONE, 0);
}

static void
check_db(harness *h, const char *want, const char *method)
{
	char buf[512] = "";
	h_sql_text(h, "SELECT typed_text || '|' || kind || '|' || input_method FROM answers"
	           " WHERE question_id = 'one-word'", buf, sizeof buf);
	char exp[512];
	snprintf(exp, sizeof exp, "%s|chosen|%s", want, method);
	assert_string_equal(buf, exp);
	/* nothing typed anywhere else, and no picture chosen for it */
	assert_int_equal(h_sql_int(h, "SELECT count(*) FROM answers WHERE typed_text IS NOT NULL"), 1);
	assert_int_equal(h_sql_int(h, "SELECT count(*) FROM answer_choices c JOIN answers a"
	                 " ON a.session_id = c.session_id AND a.seq = c.seq"
	                 " WHERE a.question_id = 'one-word'"), 0);
	assert_int_equal(h_sql_int(h, "SELECT count(*) FROM sessions WHERE status = 'completed'"), 1);
}

static enum access_method method_now;
static void
tweak_method(kiosk_config *c)
{
	c->access.method = method_now;
	/* the quickest scanning the settings allow: a keyboard is a long
	 * round, and the idle timer is not what this test is about */
	c->access.scan_interval_ms = 750;
	c->timing.idle_ms = 10 * 60 * 1000;
}

static void
run(enum access_method m, h_press_fn press, const char *stored)
{
	harness h;
	method_now = m;
	h_open_cfg(&h, FLOW, W, H, tweak_method);
	to_text(&h, press);
	type_word(&h, press);
	to_end(&h, press);
	check_db(&h, "ba d", stored);
	h_close(&h);
}

static void by_touch(void **s) { (void)s; run(ACCESS_TOUCH, h_press_finger, "touch"); }
static void by_mouse(void **s) { (void)s; run(ACCESS_TOUCH, h_click, "mouse"); }
static void by_keyboard(void **s) { (void)s; run(ACCESS_TOUCH, h_press_keyboard, "keyboard"); }
static void by_scan(void **s) { (void)s; run(ACCESS_SCAN, h_press_scan, "switch"); }
static void by_tap_hold(void **s) { (void)s; run(ACCESS_TAP_HOLD, h_press_tap_hold, "switch"); }
static void by_two_switches(void **s) { (void)s; run(ACCESS_TWO_SWITCH, h_press_two, "switch"); }
static void by_dwell(void **s) { (void)s; run(ACCESS_DWELL, h_press_dwell, "dwell"); }

/* A real keyboard: SDL's text input types, Backspace takes away, Space is
 * a space (not a press of the focused key), and an input method's word
 * shows while it is made and counts once it is given. */
static void
by_real_keyboard(void **s)
{
	(void)s;
	harness h;
	method_now = ACCESS_TOUCH;
	h_open_cfg(&h, FLOW, W, H, tweak_method);
	to_text(&h, h_click);
	push_text(&h, "Za", false);
	push_text(&h, "x", false);
	h_key(&h, SDLK_BACKSPACE, 0);
	assert_string_equal(typed(&h), "Za");
	/* Space: a space, even with a key focused by Tab */
	h_key(&h, SDLK_TAB, 0);
	int focus = app_focus(h.app);
	h_key(&h, SDLK_SPACE, 0);
	push_text(&h, " ", false);
	assert_string_equal(typed(&h), "Za ");
	assert_int_equal(app_focus(h.app), focus);
	/* an input method: composing is not typed, giving it is */
	push_text(&h, "zo", true);
	assert_string_equal(typed(&h), "Za ");
	push_text(&h, "żółw", false);
	assert_string_equal(typed(&h), "Za żółw");
	/* Enter presses what has the focus: here Done */
	int guard = 0;
	while (app_focus(h.app) != h_target_index(&h, APP_ACT_DONE, 0)) {
		h_key(&h, SDLK_TAB, 0);
		assert_true(++guard < 80);
	}
	h_key(&h, SDLK_RETURN, 0);
	h_step(&h);
	to_end(&h, h_click);
	check_db(&h, "Za żółw", "keyboard");
	h_close(&h);
}

/* Switch keys that are letters or digits never type: a switch box set to
 * send "1" and "2" presses its switches on a text question, and the same
 * keys do not come into the answer as text too; other keys still type. */
static void
tweak_digit_switches(kiosk_config *c)
{
	tweak_method(c);
	snprintf(c->access.switch_keys[0], sizeof c->access.switch_keys[0], "1");
	snprintf(c->access.switch_keys[1], sizeof c->access.switch_keys[1], "2");
}

static void
switch_keys_never_type(void **s)
{
	(void)s;
	harness h;
	method_now = ACCESS_TWO_SWITCH;
	h_open_cfg(&h, FLOW, W, H, tweak_digit_switches);
	to_text(&h, h_click);
	push_text(&h, "1", false);
	push_text(&h, "2", false);
	assert_string_equal(typed(&h), "");
	push_text(&h, "x", false);
	assert_string_equal(typed(&h), "x");
	h_close(&h);
}

/* What may be typed: at most the flow's max_length (40) letters, counted
 * as characters, not bytes; no controls, no direction overrides. Nothing
 * typed, or only spaces, is a skip; and a person walking away takes their
 * words with them. */
static void
typing_rules(void **s)
{
	(void)s;
	harness h;
	method_now = ACCESS_TOUCH;
	h_open_cfg(&h, FLOW, W, H, tweak_method);
	to_text(&h, h_click);
	assert_int_equal(app_view(h.app)->text_max, 40);
	push_text(&h, "a\tb\nc\x1b", false);
	push_text(&h, "\xe2\x80\xae" "d", false);   /* U+202E, right-to-left override */
	assert_string_equal(typed(&h), "abcd");
	for (int i = 0; i < 12; i++)
		push_text(&h, "ąęł", false);   /* 36 more: 40 characters, 4 + 72 bytes */
	assert_int_equal(app_view(h.app)->text_chars, 40);
	h_click(&h, APP_ACT_KEY, key_of('z'));
	assert_int_equal(app_view(h.app)->text_chars, 40);
	assert_int_equal((int)strlen(typed(&h)), 4 + 36 * 2);
	/* only spaces: Done is a skip */
	for (int i = 0; i < 40; i++)
		h_click(&h, APP_ACT_KEY, APP_OSK_DELETE);
	assert_string_equal(typed(&h), "");
	h_click(&h, APP_ACT_KEY, APP_OSK_DELETE);   /* nothing left: nothing happens */
	push_text(&h, "  ", false);
	h_click(&h, APP_ACT_DONE, 0);
	app_flush(h.app);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers WHERE question_id = 'one-word'"
	                 " AND kind = 'skipped' AND typed_text IS NULL"), 1);
	/* back: the box as it was left; then the person walks away */
	assert_string_not_equal(app_view(h.app)->question->id, "one-word");
	h_click(&h, APP_ACT_BACK, 0);
	assert_string_equal(app_view(h.app)->question->id, "one-word");
	push_text(&h, "secret", false);
	assert_string_equal(typed(&h), "  secret");
	h_advance(&h, h.cfg.timing.idle_ms + 1);
	h_step(&h);
	assert_int_equal(app_view(h.app)->screen, SCREEN_STILL_THERE);
	h_advance(&h, h.cfg.timing.still_there_ms + 1);
	h_step(&h);
	app_flush(h.app);
	for (int i = 0; i < 10 && app_view(h.app)->screen != SCREEN_WELCOME; i++) {
		h_advance(&h, 1000);
		h_step(&h);
	}
	assert_int_equal(app_view(h.app)->screen, SCREEN_WELCOME);
	assert_string_equal(typed(&h), "");
	/* the next person's text question starts empty */
	to_text(&h, h_click);
	assert_string_equal(typed(&h), "");
	h_close(&h);
}

/* The export (CSV and JSON read by Python), a merge of it into a fresh
 * database and the report, from a word typed with a real keyboard that a
 * spreadsheet would otherwise run as a formula. */
static void
export_merge_report(void **s)
{
	(void)s;
	harness h;
	method_now = ACCESS_TOUCH;
	h_open_cfg(&h, FLOW, W, H, tweak_method);
	to_text(&h, h_press_finger);
	push_text(&h, "=1+2 \"fun\", ok", false);
	h_press_finger(&h, APP_ACT_DONE, 0);
	to_end(&h, h_press_finger);
	check_db(&h, "=1+2 \"fun\", ok", "touch");
	const char *build = getenv("TELLUS_BUILD_ROOT"), *src = getenv("TELLUS_SOURCE_ROOT");
	assert_non_null(build);
	assert_non_null(src);
	char cmd[4096];
	snprintf(cmd, sizeof cmd,
	         "set -e; cd '%s'; mkdir out; '%s/tellus' export --db '%s' --to out >/dev/null;"
	         " d=$(ls -d out/TELLUS/*/*); (cd \"$d\" && sha256sum -c --quiet SHA256SUMS);"
	         " '%s/tellus' merge --into merged.db \"$d\" >/dev/null;"
	         " '%s/tellus' report --db merged.db --out report.html >/dev/null;"
	         " python3 '%s/tests/export/check_text.py' \"$d\" merged.db report.html",
	         h.dir, build, h.db, build, build, src);
	int rc = system(cmd);
	assert_true(WIFEXITED(rc));
	assert_int_equal(WEXITSTATUS(rc), 0);
	h_close(&h);
}

/* Bengali's 61 keys take more than one page at 20 mm: every key of a
 * page is on screen, at least 20 mm, apart from the others; the page key
 * turns the pages round, a switch user stays on it, and "কা" is typed as
 * ক, then া from another page. The next person starts on the first page. */
static void
keys_fit_the_screen(harness *h, const char *where)
{
	ui_rect r[UI_MAX_TARGETS];
	int act[UI_MAX_TARGETS];
	int n = app_targets(h->app, r, act, UI_MAX_TARGETS), ww, wh;
	SDL_GetWindowSize(app_window(h->app), &ww, &wh);
	for (int i = 0; i < n; i++) {
		if (r[i].x < 0 || r[i].y < 0 || r[i].x + r[i].w > ww || r[i].y + r[i].h > wh ||
		    r[i].w < H_MIN_TARGET_PX || r[i].h < H_MIN_TARGET_PX)
			fail_msg("%s: target %d at %d,%d %dx%d is off screen or small", where, i, r[i].x,
			         r[i].y, r[i].w, r[i].h);
		for (int j = i + 1; j < n; j++)
			if (r[i].x < r[j].x + r[j].w && r[j].x < r[i].x + r[i].w &&
			    r[i].y < r[j].y + r[j].h && r[j].y < r[i].y + r[i].h)
				fail_msg("%s: targets %d and %d overlap", where, i, j);
	}
}

static void
bengali_pages(void **s)
{
	(void)s;
	static const struct { int w, h; } sizes[] = { { W, H }, { 800, 1280 }, { 1920, 1080 } };
	for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
		harness h;
		method_now = ACCESS_SCAN;
		h_open_cfg(&h, BENGALI_FLOW, sizes[z].w, sizes[z].h, tweak_method);
		h_press_scan(&h, APP_ACT_START, 0);
		assert_string_equal(app_view(h.app)->language, "bn");
		assert_string_equal(app_view(h.app)->question->id, "one-word");
		assert_string_equal(ui_osk_lang("bn"), "bn");
		int n = ui_osk_n_keys("bn"), ka = 11, aa = 50;
		assert_int_equal(n, 61);
		assert_string_equal(ui_osk_key("bn", ka), "\xE0\xA6\x95");   /* ক */
		assert_string_equal(ui_osk_key("bn", aa), "\xE0\xA6\xBE");   /* া */
		char where[64];
		snprintf(where, sizeof where, "%dx%d, page 1", sizes[z].w, sizes[z].h);
		keys_fit_the_screen(&h, where);
		assert_true(h_target_index(&h, APP_ACT_KEY, 0) >= 0);
		if (h_target_index(&h, APP_ACT_KEY, APP_OSK_PAGE) < 0) {
			/* all 61 fit at 20 mm: one page, no page key */
			for (int k = 0; k < n; k++)
				assert_true(h_target_index(&h, APP_ACT_KEY, k) >= 0);
			assert_true(sizes[z].w >= 1920);
			h_close(&h);
			continue;
		}
		assert_true(h_target_index(&h, APP_ACT_KEY, n - 1) < 0);
		h_press_scan(&h, APP_ACT_KEY, ka);
		/* every letter on some page, each page fitting, back to the first */
		bool seen[61] = { false };
		int pages = 0;
		do {
			for (int k = 0; k < n; k++)
				seen[k] |= h_target_index(&h, APP_ACT_KEY, k) >= 0;
			if (h_target_index(&h, APP_ACT_KEY, aa) >= 0 && !strstr(typed(&h), "\xE0\xA6\xBE")) {
				h_press_scan(&h, APP_ACT_KEY, aa);
				assert_string_equal(typed(&h), "\xE0\xA6\x95\xE0\xA6\xBE");   /* কা */
				assert_true(h_has_text(&h, "\xE0\xA6\x95\xE0\xA6\xBE"));
			}
			snprintf(where, sizeof where, "%dx%d, page %d", sizes[z].w, sizes[z].h, pages + 1);
			keys_fit_the_screen(&h, where);
			h_press_scan(&h, APP_ACT_KEY, APP_OSK_PAGE);
			/* the switch user is still on the page key */
			assert_int_equal(app_focus(h.app), h_target_index(&h, APP_ACT_KEY, APP_OSK_PAGE));
			assert_true(++pages < 8);
		} while (h_target_index(&h, APP_ACT_KEY, 0) < 0);
		assert_true(pages >= 2);
		for (int k = 0; k < n; k++)
			if (!seen[k])
				fail_msg("%dx%d: letter %d (%s) is on no page", sizes[z].w, sizes[z].h, k,
				         ui_osk_key("bn", k));
		assert_string_equal(typed(&h), "\xE0\xA6\x95\xE0\xA6\xBE");
		/* a turned page is not the next person's */
		h_press_scan(&h, APP_ACT_KEY, APP_OSK_PAGE);
		assert_true(h_target_index(&h, APP_ACT_KEY, 0) < 0);
		h_press_scan(&h, APP_ACT_DONE, 0);
		h_press_scan(&h, APP_ACT_FINISH, 0);
		int guard = 0;
		while (app_view(h.app)->screen != SCREEN_WELCOME && guard++ < 100) {
			h_advance(&h, 1000);
			h_step(&h);
		}
		h_press_scan(&h, APP_ACT_START, 0);
		assert_string_equal(app_view(h.app)->question->id, "one-word");
		assert_true(h_target_index(&h, APP_ACT_KEY, 0) >= 0);
		h_close(&h);
	}
}

/* At 800x480 the keyboard leaves the question and the reminder not to
 * type names some 100 px between them; they were squeezed to 17 and 15 px
 * (12 for Urdu's reminder). They get what the space allows, the keys
 * still at least 20 mm, on screen and clear of each other and the bars.
 * Urdu's Nastaliq needs about twice the height for a size, so less. */
static void
words_readable_at_800x480(void **s)
{
	(void)s;
	static const struct { const char *lang, *flow; int prompt, hint; } looks[] = {
		{ "en", FLOW, 26, 20 },
		{ "pl", FLOW, 26, 20 },
		{ "ur", FLOW, 20, 15 },
		{ "bn", BENGALI_FLOW, 26, 20 },
	};
	for (size_t l = 0; l < sizeof looks / sizeof looks[0]; l++)
		for (int big = 0; big < 2; big++) {
			harness h;
			method_now = ACCESS_TOUCH;
			h_open_cfg(&h, looks[l].flow, 800, 480, tweak_method);
			if (strcmp(looks[l].lang, "bn") != 0 && strcmp(looks[l].lang, "en") != 0)
				h_set_language(&h, looks[l].lang);
			if (big) {
				access_settings acc = *app_access(h.app);
				acc.large_text = true;
				app_set_access(h.app, &acc);
			}
			if (strcmp(looks[l].lang, "bn") == 0)
				h_click(&h, APP_ACT_START, 0);
			else
				to_text(&h, h_click);
			const session_view *v = app_view(h.app);
			assert_int_equal(v->question->type, QT_TEXT);
			assert_string_equal(v->language, looks[l].lang);
			const char *prompt = tstr_get(&v->question->prompt, v->language, h.flow->languages[0]);
			const char *hint = ui_type_words_for(v->language)->no_names;
			int pp = h_text_px(&h, prompt), hp = h_text_px(&h, hint);
			if (pp < looks[l].prompt || hp < looks[l].hint)
				fail_msg("%s%s: the question at %d px (want >= %d), the reminder at %d (want >= %d)",
				         looks[l].lang, big ? " large" : "", pp, looks[l].prompt, hp, looks[l].hint);
			char where[64];
			snprintf(where, sizeof where, "800x480 %s%s", looks[l].lang, big ? " large" : "");
			keys_fit_the_screen(&h, where);
			h_close(&h);
		}
}

/* Pictures of the screen for a person to look at (TELLUS_TYPING_PNG=DIR):
 * a word half typed in landscape, portrait, high contrast, Polish and
 * Urdu; each file read back holds the screen, and the screen the word. */
static void
screens_png(void **s)
{
	(void)s;
	const char *dir = getenv("TELLUS_TYPING_PNG");
	if (!dir)
		dir = getenv("TELLUS_BUILD_ROOT");
	assert_non_null(dir);
	static const struct {
		const char *name; int w, h; int theme; const char *lang; const char *flow;
	} looks[] = {
		{ "landscape", W, H, -1, NULL, FLOW },
		{ "portrait", 800, 1280, -1, NULL, FLOW },
		{ "high-contrast", W, H, 1, NULL, FLOW },
		{ "pl", W, H, -1, "pl", FLOW },
		{ "ur", W, H, -1, "ur", FLOW },
		{ "bn", W, H, -1, "bn", BENGALI_FLOW },
		{ "bn-portrait", 800, 1280, -1, "bn", BENGALI_FLOW },
	};
	for (size_t l = 0; l < sizeof looks / sizeof looks[0]; l++) {
		harness h;
		method_now = ACCESS_TOUCH;
		h_open_cfg(&h, looks[l].flow, looks[l].w, looks[l].h, tweak_method);
		if (looks[l].theme >= 0) {
			access_settings acc = *app_access(h.app);
			acc.theme = (enum theme_id)looks[l].theme;
			app_set_access(h.app, &acc);
		}
		if (looks[l].lang)
			h_set_language(&h, looks[l].lang);
		to_text(&h, h_click);
		h_click(&h, APP_ACT_KEY, 1);
		h_click(&h, APP_ACT_KEY, 0);
		h_click(&h, APP_ACT_KEY, APP_OSK_SPACE);
		h_click(&h, APP_ACT_KEY, 2);
		/* the word half typed, in the keyboard's letters, is on the screen */
		const session_view *v = app_view(h.app);
		const char *lang = ui_osk_lang(v->language);
		char want[64];
		snprintf(want, sizeof want, "%s%s %s", ui_osk_key(lang, 1), ui_osk_key(lang, 0),
		         ui_osk_key(lang, 2));
		assert_string_equal(v->text, want);
		assert_int_equal(v->text_chars, 4);
		assert_true(h_has_text(&h, want));
		char path[1200];
		snprintf(path, sizeof path, "%s/typing-%s.png", dir, looks[l].name);
		assert_true(h_save_screen(&h, path));
		h_close(&h);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(screens_png),
		cmocka_unit_test(words_readable_at_800x480),
		cmocka_unit_test(by_touch),
		cmocka_unit_test(by_mouse),
		cmocka_unit_test(by_keyboard),
		cmocka_unit_test(by_scan),
		cmocka_unit_test(by_tap_hold),
		cmocka_unit_test(by_two_switches),
		cmocka_unit_test(switch_keys_never_type),
		cmocka_unit_test(by_dwell),
		cmocka_unit_test(by_real_keyboard),
		cmocka_unit_test(bengali_pages),
		cmocka_unit_test(typing_rules),
		cmocka_unit_test(export_merge_report),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
