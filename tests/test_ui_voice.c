/*
 * test_ui_voice: speech in the real kiosk, "How do you like to answer?" and
 * the helper question, through the real app loop with real SDL events.
 *
 * Speech goes to SDL's disk audio driver (a file per test), so what a child
 * would hear is measured: each prompt's stretch of non-zero samples. An
 * invalid driver stands in for a kiosk with no sound card.
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
#include <sys/stat.h>
#include <unistd.h>

#include "export/export.h"
#include "flow/flow_helper.h"
#include "speech/speech.h"
#include "staff/staff.h"
#include "ui_harness.h"
#include "store_sql.h"

static char audio_file[512];
static int audio_no;

static void
use_disk_audio(void)
{
	char dir[] = "/tmp/tellus-voice-XXXXXX";
	assert_non_null(mkdtemp(dir));
	snprintf(audio_file, sizeof audio_file, "%s/audio%d.raw", dir, audio_no++);
	setenv("SDL_AUDIODRIVER", "disk", 1);
	setenv("SDL_DISKAUDIOFILE", audio_file, 1);
	setenv("SDL_DISKAUDIODELAY", "2", 1);  /* about ten times real time */
}

static void
drop_audio(void)
{
	unlink(audio_file);
	char *slash = strrchr(audio_file, '/');
	*slash = '\0';
	rmdir(audio_file);
}

static void
wait_quiet(harness *h)
{
	speech *sp = app_speech(h->app);
	for (int i = 0; i < 3000 && speech_busy(sp); i++)
		SDL_Delay(5);
	assert_false(speech_busy(sp));
	SDL_Delay(60);  /* the device's own buffer reaches the file */
}

/* Seconds of sound (first to last non-zero sample) written since *off. */
static double
heard_since(long *off, int rate)
{
	FILE *f = fopen(audio_file, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long end = ftell(f) & ~1L;
	long n = (end - *off) / 2;
	double secs = 0;
	if (n > 0) {
		int16_t *s = malloc((size_t)n * 2);
		assert_non_null(s);
		fseek(f, *off, SEEK_SET);
		assert_int_equal(fread(s, 2, (size_t)n, f), (size_t)n);
		long first = -1, last = -1;
		for (long i = 0; i < n; i++)
			if (s[i] != 0) {
				if (first < 0)
					first = i;
				last = i;
			}
		if (first >= 0)
			secs = (double)(last - first + 1) / rate;
		free(s);
	}
	fclose(f);
	*off = end;
	return secs;
}

static const char *const flows[] = { "school-day.yaml", "clinic-visit.yaml", "co-production.yaml" };

/* Answers the question on screen with its first answer (and Done). */
static void
answer_first(harness *h)
{
	const session_view *v = app_view(h->app);
	bool many = v->question->type == QT_CHOOSE_MANY;
	h_click(h, APP_ACT_ANSWER, 0);
	if (many)
		h_click(h, APP_ACT_DONE, 0);
}

static void
prompts_are_heard(void **state)
{
	(void)state;
	for (size_t fi = 0; fi < sizeof flows / sizeof flows[0]; fi++) {
		use_disk_audio();
		harness h;
		h_open(&h, flows[fi], 1280, 800, true);
		speech *sp = app_speech(h.app);
		assert_true(speech_available(sp));
		assert_string_equal(app_staff(h.app)->speech_status, "Speech is on");
		int rate = speech_sample_rate(sp);
		long off = 0;
		wait_quiet(&h);
		/* Welcome: the title and "Start". */
		assert_non_null(strstr(app_last_spoken(h.app), "Start"));
		assert_true(heard_since(&off, rate) > 0.5);
		h_click(&h, APP_ACT_START, 0);
		int answered = 0;
		while (app_view(h.app)->screen == SCREEN_QUESTION) {
			const session_view *v = app_view(h.app);
			uint64_t before = app_speech_requests(h.app);
			wait_quiet(&h);
			const char *prompt = tstr_get(&v->question->prompt, v->language, h.flow->languages[0]);
			const char *sentence = tstr_get(&v->question->easy_read, v->language, h.flow->languages[0]);
			const char *said = app_last_spoken(h.app);
			assert_true(strcmp(said, prompt) == 0 || strcmp(said, sentence) == 0);
			double secs = heard_since(&off, rate);
			/* About 2.5 words a second: a short prompt is a second or
			 * two, never silence and never a runaway. */
			size_t words = 1;
			for (const char *p = said; *p; p++)
				words += *p == ' ';
			fprintf(stderr, "# %s %s: %zu words, %.2f s\n", flows[fi], v->question->id, words, secs);
			assert_true(secs > 0.15 * (double)words);
			assert_true(secs < 1.2 * (double)words + 2.0);
			assert_int_equal(app_speech_requests(h.app), before);
			assert_true(speech_last_start_latency_us(sp) >= 0);
			answer_first(&h);
			answered++;
		}
		assert_int_equal(app_view(h.app)->screen, SCREEN_THANKS);
		wait_quiet(&h);
		assert_true(heard_since(&off, rate) > 0.5);
		app_flush(h.app);
		assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers"), answered);
		h_close(&h);
		drop_audio();
	}
	setenv("SDL_AUDIODRIVER", "dummy", 1);
}

static void
no_sound_device(void **state)
{
	(void)state;
	setenv("SDL_AUDIODRIVER", "no-such-driver", 1);
	harness h;
	h_open(&h, "school-day.yaml", 1280, 800, true);
	assert_false(speech_available(app_speech(h.app)));
	assert_string_equal(app_staff(h.app)->speech_status, "No sound device: the kiosk is silent");
	h_click(&h, APP_ACT_START, 0);
	int answered = 0;
	while (app_view(h.app)->screen == SCREEN_QUESTION) {
		answer_first(&h);
		answered++;
	}
	assert_int_equal(app_view(h.app)->screen, SCREEN_THANKS);
	app_flush(h.app);
	assert_true(answered > 0);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers"), answered);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM sessions WHERE status = 'completed'"), 1);
	h_close(&h);
	setenv("SDL_AUDIODRIVER", "dummy", 1);
}

static void
hear_on(kiosk_config *c)
{
	c->access.touch_to_hear = true;
	c->access.speech = false;  /* touch to hear speaks even so */
}

static void
touch_to_hear(void **state)
{
	(void)state;
	harness h;
	h_open_cfg(&h, "school-day.yaml", 1280, 800, hear_on);
	h_click(&h, APP_ACT_START, 0);
	const session_view *v = app_view(h.app);
	int qi = v->question_index;
	const char *label = tstr_get(&v->question->answers[1].label, v->language, h.flow->languages[0]);
	uint64_t before = app_speech_requests(h.app);
	h_click(&h, APP_ACT_ANSWER, 1);
	/* First touch: read aloud and focused, nothing chosen. */
	assert_int_equal(app_view(h.app)->question_index, qi);
	assert_int_equal(app_speech_requests(h.app), before + 1);
	assert_string_equal(app_last_spoken(h.app), label);
	assert_true(app_focus(h.app) >= 0);
	app_flush(h.app);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers"), 0);
	/* A first touch on another answer reads that one instead. */
	h_click(&h, APP_ACT_ANSWER, 0);
	assert_int_equal(app_view(h.app)->question_index, qi);
	h_click(&h, APP_ACT_ANSWER, 1);
	assert_int_equal(app_view(h.app)->question_index, qi);
	/* Second touch on the same answer: chosen. */
	h_click(&h, APP_ACT_ANSWER, 1);
	assert_int_not_equal(app_view(h.app)->question_index, qi);
	app_flush(h.app);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers"), 1);
	char ids[64];
	h_sql_text(&h, "SELECT " SQL_ANSWER_IDS " FROM answers", ids, sizeof ids);
	assert_string_equal(ids, h.flow->questions[qi].answers[1].id);
	h_close(&h);
}

static uint32_t
pixel(SDL_Surface *s, int x, int y)
{
	SDL_Surface *c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGBA32, 0);
	assert_non_null(c);
	uint32_t p;
	memcpy(&p, (const Uint8 *)c->pixels + (size_t)y * (size_t)c->pitch + (size_t)x * 4, 4);
	SDL_FreeSurface(c);
	return p;
}

static void
access_button_size(harness *h)
{
	ui_rect r[32];
	int act[32];
	int n = app_targets(h->app, r, act, 32);
	int found = 0;
	for (int i = 0; i < n; i++)
		if (act[i] == APP_ACT_OPEN_ACCESS) {
			found++;
			assert_true(r[i].w >= H_MIN_TARGET_PX);
			assert_true(r[i].h >= H_MIN_TARGET_PX);
			assert_true(r[i].y < 800 / 4);  /* a top corner */
		}
	assert_int_equal(found, 1);
}

static void
access_screen(void **state)
{
	(void)state;
	harness h;
	h_open(&h, "school-day.yaml", 1280, 800, true);
	access_button_size(&h);
	SDL_Surface *plain = app_screenshot(h.app);
	uint32_t bg = pixel(plain, 5, 400);
	SDL_FreeSurface(plain);

	h_click(&h, APP_ACT_OPEN_ACCESS, 0);
	assert_int_equal(app_overlay(h.app), 1);
	assert_string_equal(app_last_spoken(h.app), "How do you like to answer?");
	assert_false(app_access(h.app)->large_text);
	h_click(&h, APP_ACT_ACCESS_OPTION, ACCESS_OPT_LARGE_TEXT);
	assert_true(app_access(h.app)->large_text);
	assert_string_equal(app_last_spoken(h.app), "Bigger words: on");
	h_click(&h, APP_ACT_ACCESS_OPTION, ACCESS_OPT_CONTRAST);
	assert_int_equal(app_access(h.app)->theme, THEME_HIGH_CONTRAST);
	h_click(&h, APP_ACT_ACCESS_OPTION, ACCESS_OPT_SPEECH);
	assert_false(app_access(h.app)->speech);
	h_click(&h, APP_ACT_ACCESS_OPTION, ACCESS_OPT_SPEECH);
	assert_true(app_access(h.app)->speech);
	h_click(&h, APP_ACT_ACCESS_OPTION, ACCESS_OPT_DWELL);
	assert_int_equal(app_access(h.app)->method, ACCESS_DWELL);
	h_click(&h, APP_ACT_ACCESS_OPTION, ACCESS_OPT_TOUCH);
	assert_int_equal(app_access(h.app)->method, ACCESS_TOUCH);
	assert_true(h_center(&h, APP_ACT_OPEN_LANGUAGE, 0, &(int){ 0 }, &(int){ 0 }));
	h_click(&h, APP_ACT_CLOSE_OVERLAY, 0);
	assert_int_equal(app_overlay(h.app), 0);
	assert_int_equal(app_view(h.app)->screen, SCREEN_WELCOME);
	/* The person's high contrast reaches the screen. */
	SDL_Surface *hc = app_screenshot(h.app);
	assert_int_not_equal(pixel(hc, 5, 400), bg);
	SDL_FreeSurface(hc);

	/* The button is on every question and on thanks; nothing above was
	 * an answer. */
	h_click(&h, APP_ACT_START, 0);
	int answered = 0;
	while (app_view(h.app)->screen == SCREEN_QUESTION) {
		access_button_size(&h);
		answer_first(&h);
		answered++;
	}
	access_button_size(&h);
	app_flush(h.app);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers"), answered);
	/* The next person starts from the kiosk's settings. */
	h_click(&h, APP_ACT_FINISH, 0);
	for (int i = 0; i < 50 && app_view(h.app)->screen != SCREEN_WELCOME; i++) {
		app_flush(h.app);
		h_advance(&h, 100);
		h_step(&h);
	}
	assert_int_equal(app_view(h.app)->screen, SCREEN_WELCOME);
	assert_false(app_access(h.app)->large_text);
	assert_int_equal(app_access(h.app)->theme, THEME_DEFAULT);
	SDL_Surface *again = app_screenshot(h.app);
	assert_int_equal(pixel(again, 5, 400), bg);
	SDL_FreeSurface(again);
	h_close(&h);
}

static void
ask_on(kiosk_config *c)
{
	c->ask_access = true;
}

static void
ask_access_after_start(void **state)
{
	(void)state;
	harness h;
	h_open_cfg(&h, "school-day.yaml", 1280, 800, ask_on);
	assert_int_equal(app_overlay(h.app), 0);
	h_click(&h, APP_ACT_START, 0);
	assert_int_equal(app_overlay(h.app), 1);
	assert_int_equal(app_view(h.app)->screen, SCREEN_QUESTION);
	h_click(&h, APP_ACT_ACCESS_OPTION, ACCESS_OPT_SWITCH);
	assert_int_equal(app_access(h.app)->method, ACCESS_SCAN);
	h_click(&h, APP_ACT_ACCESS_OPTION, ACCESS_OPT_TOUCH);
	h_click(&h, APP_ACT_CLOSE_OVERLAY, 0);
	assert_int_equal(app_overlay(h.app), 0);
	assert_int_equal(app_view(h.app)->question_index, 0);
	h_close(&h);
}

static void
helper_on(kiosk_config *c)
{
	c->helper_question = true;
}

static void
helper_question(void **state)
{
	(void)state;
	harness h;
	h_open_cfg(&h, "school-day.yaml", 1280, 800, helper_on);
	h_click(&h, APP_ACT_START, 0);
	const char *last = NULL;
	while (app_view(h.app)->screen == SCREEN_QUESTION) {
		last = app_view(h.app)->question->id;
		if (strcmp(last, FLOW_HELPER_ID) == 0) {
			assert_int_equal(app_view(h.app)->question->n_answers, 3);
			h_click(&h, APP_ACT_ANSWER, 1);
		} else {
			answer_first(&h);
		}
	}
	assert_non_null(last);
	assert_string_equal(last, FLOW_HELPER_ID);
	app_flush(h.app);
	char buf[256];
	h_sql_text(&h, "SELECT " SQL_ANSWER_IDS " FROM answers WHERE question_id = 'how-answered'", buf, sizeof buf);
	assert_string_equal(buf, "with-help");
	h_sql_text(&h, "SELECT " SQL_ANSWER_LABELS " FROM answers WHERE question_id = 'how-answered'", buf,
	           sizeof buf);
	assert_string_equal(buf, "With help");

	/* And in the export. */
	char to[400];
	snprintf(to, sizeof to, "%s/stick", h.dir);
	assert_int_equal(mkdir(to, 0700), 0);
	export_options eo = { .db_path = h.db, .to_dir = to, .all = true, .clock = &h.clk.clock,
	                      .data_dir = getenv("TELLUS_SOURCE_ROOT") };
	export_result res;
	assert_int_equal(export_run(&eo, &res, NULL), 0);
	char path[4200];
	for (int k = 0; k < 2; k++) {
		snprintf(path, sizeof path, "%s/%s", res.path, k ? "export.json" : "answers.csv");
		char *data;
		size_t len;
		assert_int_equal(tl_read_file(path, &data, &len, NULL), 0);
		assert_non_null(strstr(data, "how-answered"));
		assert_non_null(strstr(data, "with-help"));
		free(data);
	}
	h_close(&h);
}

/* The core function alone: rules to the end pass through it; twice is once. */
static void
helper_in_core(void **state)
{
	(void)state;
	static const char yaml[] =
	    "id: t\nversion: 1\ntitle: T\nlanguages: [en]\nquestions:\n"
	    "  - id: a\n    type: yes-no\n    prompt: A?\n    symbol: question\n"
	    "    next:\n      - { if: 'no', goto: end }\n"
	    "  - id: b\n    type: yes-no\n    prompt: B?\n    symbol: question\n";
	flow *f = NULL;
	diag_list d = { 0 };
	int rc = flow_load_buffer("t.yaml", yaml, sizeof yaml - 1, &f, &d);
	for (size_t i = 0; i < d.n; i++) {
		char b[512];
		diag_format(&d.items[i], b, sizeof b);
		fprintf(stderr, "%s\n", b);
	}
	diag_list_finish(&d);
	assert_int_equal(rc, 0);
	assert_int_equal(f->n_questions, 2);
	assert_int_equal(f->questions[0].rules[0].goto_index, -1);
	assert_int_equal(flow_add_helper_question(f, NULL), 0);
	assert_int_equal(f->n_questions, 3);
	assert_int_equal(f->questions[0].rules[0].goto_index, 2);
	assert_string_equal(f->questions[2].id, "how-answered");
	assert_int_equal(f->questions[2].type, QT_CHOOSE_ONE);
	assert_string_equal(f->questions[2].answers[2].id, "for-me");
	assert_string_equal(tstr_get(&f->questions[2].prompt, "pl", "en"), "Jak dziś odpowiadałeś(-aś)?");
	assert_int_equal(flow_add_helper_question(f, NULL), 1);
	assert_int_equal(f->n_questions, 3);
	flow_destroy(f);
}

/* The access screen, looked at: tests/golden/access-landscape.png. */
static void
access_golden(void **state)
{
	(void)state;
	harness h;
	h_open(&h, "school-day.yaml", 1280, 800, true);
	h_click(&h, APP_ACT_OPEN_ACCESS, 0);
	char msg[1024];
	if (!h_golden(&h, "access-landscape", msg, sizeof msg))
		fail_msg("%s", msg);
	h_close(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(helper_in_core),
		cmocka_unit_test(touch_to_hear),
		cmocka_unit_test(access_screen),
		cmocka_unit_test(ask_access_after_start),
		cmocka_unit_test(helper_question),
		cmocka_unit_test(access_golden),
		cmocka_unit_test(no_sound_device),
		cmocka_unit_test(prompts_are_heard),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
