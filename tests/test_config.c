/*
 * test_config: the kiosk settings. Defaults, the example file in
 * config/kiosk.yaml, every key overridden, every kind of mistake with its
 * exact message, and the promise that a bad file changes nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "base/util.h"

struct tmp {
	char dir[64];
	char path[128];
};

static int
setup(void **state)
{
	struct tmp *t = calloc(1, sizeof *t);
	if (!t)
		return -1;
	strcpy(t->dir, "/tmp/tellus-config-XXXXXX");
	if (!mkdtemp(t->dir)) {
		free(t);
		return -1;
	}
	snprintf(t->path, sizeof t->path, "%s/kiosk.yaml", t->dir);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct tmp *t = *state;
	unlink(t->path);
	rmdir(t->dir);
	free(t);
	return 0;
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
assert_defaults(const kiosk_config *c)
{
	assert_null(c->kiosk_id);
	assert_int_equal(c->n_flows, 0);
	for (int i = 0; i < CONFIG_MAX_FLOWS; i++)
		assert_null(c->flows[i]);
	assert_int_equal(c->presentation, PRES_LARGE_SYMBOL);
	assert_int_equal(c->timing.idle_ms, 60000);
	assert_int_equal(c->timing.still_there_ms, 30000);
	assert_int_equal(c->timing.thanks_ms, 8000);
	assert_int_equal(c->double_tap_ms, 300);
	assert_true(c->dpi == 0.0);
	assert_true(c->min_target_mm == 20.0);
	assert_true(c->fullscreen);
	assert_null(c->language);
	assert_int_equal(c->renderer, RENDERER_AUTO);
}

static void
test_defaults(void **state)
{
	(void)state;
	kiosk_config c;
	memset(&c, 0xa5, sizeof c); /* defaults must not rely on zeroed memory */
	config_default(&c);
	assert_defaults(&c);
	config_finish(&c);
	assert_defaults(&c);
	config_finish(NULL);
}

static void
test_example_file(void **state)
{
	(void)state;
	const char *root = getenv("TELLUS_SOURCE_ROOT");
	assert_non_null(root);
	char *path = tl_asprintf("%s/config/kiosk.yaml", root);
	kiosk_config c;
	config_default(&c);
	diag_list d = { 0 };
	int rc = config_load(path, &c, &d);
	for (size_t i = 0; i < d.n; i++) {
		char buf[1024];
		diag_format(&d.items[i], buf, sizeof buf);
		fprintf(stderr, "%s\n", buf);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(d.n, 0);
	/* It documents the defaults, so everything but the flows is default. */
	kiosk_config want;
	config_default(&want);
	assert_int_equal(c.presentation, want.presentation);
	assert_int_equal(c.timing.idle_ms, want.timing.idle_ms);
	assert_int_equal(c.timing.still_there_ms, want.timing.still_there_ms);
	assert_int_equal(c.timing.thanks_ms, want.timing.thanks_ms);
	assert_int_equal(c.double_tap_ms, want.double_tap_ms);
	assert_true(c.dpi == want.dpi);
	assert_true(c.min_target_mm == want.min_target_mm);
	assert_true(c.fullscreen == want.fullscreen);
	assert_null(c.kiosk_id);
	assert_null(c.language);
	assert_memory_equal(&c.access, &want.access, sizeof c.access);
	assert_true(c.ask_access == want.ask_access);
	assert_true(c.helper_question == want.helper_question);
	/* The flows it names exist, found relative to the file's folder. */
	assert_true(c.n_flows >= 1);
	char *first = tl_asprintf("%s/config/flows/school-day.yaml", root);
	assert_string_equal(c.flows[0], first);
	for (int i = 0; i < c.n_flows; i++) {
		struct stat st;
		if (stat(c.flows[i], &st) != 0)
			fprintf(stderr, "config/kiosk.yaml names %s, which does not exist\n", c.flows[i]);
		assert_int_equal(stat(c.flows[i], &st), 0);
	}
	free(first);
	/* The made-up "You said, we did" example is only named in a comment. */
	assert_string_equal(c.you_said_we_did, "");
	assert_int_equal(c.room_min_count, 3);
	/* Only removable drives are sticks unless a kiosk names a folder. */
	assert_string_equal(c.stick_folder, "");
	config_finish(&c);
	diag_list_finish(&d);
	free(path);
}

static void
test_every_key_overridden(void **state)
{
	struct tmp *t = *state;
	write_file(t->path,
	           "kiosk_id: hall-2\n"
	           "flows: [a.yaml, sub/b.yaml, /abs/c.yaml]\n"
	           "presentation: easy-read\n"
	           "idle_seconds: 90\n"
	           "still_there_seconds: 20\n"
	           "thanks_seconds: 3\n"
	           "double_tap_ms: 0\n"
	           "dpi: 96.5\n"
	           "min_target_mm: 25\n"
	           "fullscreen: false\n"
	           "language: pl\n"
	           "renderer: gpu\n"
	           "you_said_we_did: cards/ysww.yaml\n"
	           "room_min_count: 5\n"
	           "stick_folder: /run/test-stick\n");
	kiosk_config c;
	config_default(&c);
	diag_list d = { 0 };
	assert_int_equal(config_load(t->path, &c, &d), 0);
	assert_int_equal(d.n, 0);
	assert_string_equal(c.kiosk_id, "hall-2");
	assert_int_equal(c.n_flows, 3);
	char *a = tl_asprintf("%s/a.yaml", t->dir);
	char *b = tl_asprintf("%s/sub/b.yaml", t->dir);
	assert_string_equal(c.flows[0], a);
	assert_string_equal(c.flows[1], b);
	assert_string_equal(c.flows[2], "/abs/c.yaml");
	assert_null(c.flows[3]);
	assert_int_equal(c.presentation, PRES_EASY_READ);
	assert_int_equal(c.timing.idle_ms, 90000);
	assert_int_equal(c.timing.still_there_ms, 20000);
	assert_int_equal(c.timing.thanks_ms, 3000);
	assert_int_equal(c.double_tap_ms, 0);
	assert_true(c.dpi == 96.5);
	assert_true(c.min_target_mm == 25.0);
	assert_false(c.fullscreen);
	assert_string_equal(c.language, "pl");
	assert_int_equal(c.renderer, RENDERER_GPU);
	char *ysww = tl_asprintf("%s/cards/ysww.yaml", t->dir);
	assert_string_equal(c.you_said_we_did, ysww);
	free(ysww);
	assert_int_equal(c.room_min_count, 5);
	assert_string_equal(c.stick_folder, "/run/test-stick");
	free(a);
	free(b);

	/* A second file layers over the first: what it leaves out stays. */
	write_file(t->path, "flows: only.yaml\nidle_seconds: 45\nfullscreen: yes\n");
	assert_int_equal(config_load(t->path, &c, &d), 0);
	assert_int_equal(c.n_flows, 1);
	char *only = tl_asprintf("%s/only.yaml", t->dir);
	assert_string_equal(c.flows[0], only);
	assert_null(c.flows[1]);
	free(only);
	assert_int_equal(c.timing.idle_ms, 45000);
	assert_true(c.fullscreen);
	assert_string_equal(c.kiosk_id, "hall-2");
	assert_string_equal(c.language, "pl");
	assert_int_equal(c.timing.thanks_ms, 3000);

	/* Empty values keep what was there. */
	write_file(t->path, "kiosk_id:\nlanguage: ~\nflows:\n");
	assert_int_equal(config_load(t->path, &c, &d), 0);
	assert_string_equal(c.kiosk_id, "hall-2");
	assert_int_equal(c.n_flows, 1);
	config_finish(&c);
	diag_list_finish(&d);
}

static void
test_empty_and_comment_files(void **state)
{
	struct tmp *t = *state;
	static const char *const texts[] = { "", "# nothing yet\n", "---\n", "\n\n" };
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		write_file(t->path, texts[i]);
		kiosk_config c;
		config_default(&c);
		diag_list d = { 0 };
		assert_int_equal(config_load(t->path, &c, &d), 0);
		assert_int_equal(d.n, 0);
		assert_defaults(&c);
		config_finish(&c);
	}
}

/* A byte that is not UTF-8 in a directive made libfyaml 0.7.12 loop for
 * ever (found by fuzz_config; tests/fuzz/crashes/config): the settings are
 * refused, where the byte is, at once. alarm() turns a hang into a failure
 * in seconds rather than at the test's timeout. */
static void
test_not_utf8(void **state)
{
	struct tmp *t = *state;
	static const char *const texts[] = { "s:\n%-\xff:c", "%\xff", "idle_seconds: 45\nlanguage: \xc3\n" };
	static const int lines[] = { 2, 1, 2 }, cols[] = { 3, 2, 11 };
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		write_file(t->path, texts[i]);
		kiosk_config c;
		config_default(&c);
		diag_list d = { 0 };
		alarm(5);
		assert_int_equal(config_load(t->path, &c, &d), -1);
		alarm(0);
		assert_int_equal(d.n, 1);
		assert_int_equal(d.items[0].line, lines[i]);
		assert_int_equal(d.items[0].col, cols[i]);
		assert_non_null(strstr(d.items[0].msg, "not UTF-8"));
		assert_defaults(&c);
		diag_list_finish(&d);
		config_finish(&c);
	}
}

static void
test_missing_file(void **state)
{
	(void)state;
	kiosk_config c;
	config_default(&c);
	diag_list d = { 0 };
	assert_int_equal(config_load("/nonexistent/tellus/kiosk.yaml", &c, &d), -1);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.items[0].line, 0);
	assert_string_equal(d.items[0].msg, "cannot read the kiosk settings: No such file or directory; "
	                    "check the path");
	assert_defaults(&c);
	diag_list_finish(&d);
}

#define A10 "aaaaaaaaaa"
static const struct bad_case {
	const char *text;
	const char *want[3]; /* "LINE:COL: message", in order */
} bad_cases[] = {
	{ "renderer: opengl\n",
	  { "1:11: unknown renderer 'opengl'; use auto, software or gpu" } },
	{ "idle_secs: 5\n",
	  { "1:1: unknown key 'idle_secs' in the kiosk settings; did you mean 'idle_seconds'?" } },
	{ "fulscreen: false\n",
	  { "1:1: unknown key 'fulscreen' in the kiosk settings; did you mean 'fullscreen'?" } },
	{ "colour_scheme: dark\n",
	  { "1:1: unknown key 'colour_scheme' in the kiosk settings; see config/kiosk.yaml for the keys" } },
	{ "still_there_seconds: 10\n",
	  { "1:22: still_there_seconds is 10, below 20, too short for people to say they need more "
	    "time (WCAG 2.2.1); use 20 or more" } },
	{ "still_there_seconds: 19\n",
	  { "1:22: still_there_seconds is 19, below 20, too short for people to say they need more "
	    "time (WCAG 2.2.1); use 20 or more" } },
	{ "still_there_seconds: soon\n",
	  { "1:22: still_there_seconds 'soon' must be a whole number of seconds, at least 20" } },
	{ "idle_seconds: 2\nthanks_seconds: 0\n",
	  { "1:15: idle_seconds is 2, below 5; use 5 or more",
	    "2:17: thanks_seconds is 0, below 1; use 1 or more" } },
	{ "idle_seconds: 99999\n",
	  { "1:15: idle_seconds is 99999, more than 3600; use a smaller number" } },
	{ "idle_seconds: -5\n",
	  { "1:15: idle_seconds '-5' must be a whole number of seconds, at least 5" } },
	{ "kiosk_id: Front Desk\n",
	  { "1:11: kiosk_id 'Front Desk' is not a slug; use only a-z, 0-9, '-' and '_' (e.g. 'front-desk')" } },
	{ "presentation: big\n",
	  { "1:15: unknown presentation 'big'; use large-symbol or easy-read" } },
	{ "fullscreen: maybe\n",
	  { "1:13: fullscreen 'maybe' must be true or false" } },
	{ "dpi: -1\nmin_target_mm: 2\n",
	  { "1:6: dpi '-1' must be a number from 0 to 2000 (0 asks the screen)",
	    "2:16: min_target_mm '2' must be a number of millimetres from 5 to 100 (20 suits most people)" } },
	{ "double_tap_ms: fast\n",
	  { "1:16: double_tap_ms 'fast' must be a whole number of milliseconds from 0 to 5000 "
	    "(300 suits most people)" } },
	{ "language: EN\n",
	  { "1:11: language 'EN' is not a language code; use a lower-case code such as 'en'" } },
	{ "room_min_count: 0\n",
	  { "1:17: room_min_count '0' must be a whole number from 1 to 100 (3 suits most rooms)" } },
	{ "idle_seconds: 60\nidle_seconds: 70\n",
	  { "2:1: key 'idle_seconds' appears twice (first at line 1); keep one" } },
	{ "idle_seconds: [60]\n",
	  { "1:16: 'idle_seconds' must be a single value, not a list" } },
	{ "flows: [{ a: b }]\n",
	  { "1:11: 'flows' must be a list of flow file paths, e.g. 'flows: [flows/school-day.yaml]'" } },
	{ "flows: [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q]\n",
	  { "1:1: 'flows' lists 17 files; a kiosk offers at most 16, so remove some" } },
	{ "flows:\n  - a.yaml\n  -\n",
	  { "1:1: a flow in 'flows' is empty; write the path of a flow file" } },
	{ "- idle_seconds: 60\n",
	  { "1:3: the kiosk settings must be a map of keys such as 'idle_seconds: 60' (see config/kiosk.yaml)" } },
	{ "idle_seconds: [60\n",
	  { "2:1: YAML syntax: flow sequence without a closing bracket; check the indentation, "
	    "quotes and brackets here" } },
	{ "idle_seconds: 60\n---\nidle_seconds: 70\n",
	  { "3:1: a second YAML document starts here; remove the '---' line and what follows" } },
	/* Fixed-size fields: a value too long for one is refused, never cut. */
	{ "voices: { en: \"en fast\" }\n",
	  { "1:16: voice 'en fast' for en must be an espeak-ng voice name, then if you like a rate from 80 to 400 words a minute, e.g. \"ur 130\"" } },
	{ "voices: { ur: \"ur 130 140\" }\n",
	  { "1:16: voice 'ur 130 140' for ur must be an espeak-ng voice name, then if you like a rate from 80 to 400 words a minute, e.g. \"ur 130\"" } },
	{ "voices: { en-gb-x-very-long: en }\n",
	  { "1:11: 'en-gb-x-very-long' in voices is not a language code such as en or ur" } },
	{ "voices: { en: " A10 A10 A10 "abc }\n",
	  { "1:15: voice '" A10 A10 A10 "abc' for en must be an espeak-ng voice name, then if you like a rate from 80 to 400 words a minute, e.g. \"ur 130\"" } },
	{ "voices: { a: a, b: b, c: c, d: d, e: e, f: f, g: g, h: h, i: i, j: j, k: k, l: l, "
	  "m: m, n: n, o: o, p: p, q: q }\n",
	  { "1:107: voices lists more than 16 languages" } },
	{ "switch_keys: [" A10 A10 A10 "abc]\n",
	  { "1:15: switch key '" A10 A10 A10 "abc' is not a key name such as Space, Return or F1" } },
	{ "kiosk_id: " A10 A10 A10 A10 A10 A10 A10 A10 A10 A10 A10 A10 A10 A10 A10 A10 A10 A10 A10 A10
	  A10 A10 A10 A10 A10 A10 "\n",
	  { "1:11: 'kiosk_id' is too long or not text; write a short value" } },
	{ "a: &x 1\nidle_seconds: *x\n",
	  { "1:1: unknown key 'a' in the kiosk settings; see config/kiosk.yaml for the keys",
	    "2:16: 'idle_seconds' uses an alias (*name); write the value out in full" } },
};

/* Each mistake gives exactly its messages, and leaves the config as it was
 * (strings set earlier included). */
static void
test_mistakes(void **state)
{
	struct tmp *t = *state;
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		const struct bad_case *bc = &bad_cases[i];
		write_file(t->path, bc->text);
		kiosk_config c;
		config_default(&c);
		c.kiosk_id = tl_strdup("kept");
		c.flows[0] = tl_strdup("/kept.yaml");
		c.n_flows = 1;
		diag_list d = { 0 };
		int rc = config_load(t->path, &c, &d);
		size_t n_want = 0;
		while (n_want < 3 && bc->want[n_want])
			n_want++;
		bool same = rc == -1 && d.n == n_want;
		for (size_t j = 0; same && j < n_want; j++) {
			char *got = tl_asprintf("%d:%d: %s", d.items[j].line, d.items[j].col, d.items[j].msg);
			same = strcmp(got, bc->want[j]) == 0 && d.items[j].severity == DIAG_ERROR &&
			       strcmp(d.items[j].file, t->path) == 0;
			free(got);
		}
		if (!same) {
			fprintf(stderr, "case %zu (%s): rc %d, got:\n", i, bc->text, rc);
			for (size_t j = 0; j < d.n; j++)
				fprintf(stderr, "  %d:%d: %s\n", d.items[j].line, d.items[j].col, d.items[j].msg);
		}
		assert_true(same);
		assert_string_equal(c.kiosk_id, "kept");
		assert_int_equal(c.n_flows, 1);
		assert_string_equal(c.flows[0], "/kept.yaml");
		assert_int_equal(c.timing.idle_ms, 60000);
		assert_int_equal(c.timing.still_there_ms, 30000);
		assert_true(c.fullscreen);
		config_finish(&c);
		diag_list_finish(&d);
	}
}

/* Garbage never crashes and is always refused with a message. */
static void
test_garbage(void **state)
{
	struct tmp *t = *state;
	uint32_t seed = 99;
	char buf[2048];
	for (int round = 0; round < 200; round++) {
		size_t n = (size_t)(round * 11) % (sizeof buf - 1);
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = (char)((seed >> 16) % 94 + 32);
			if (buf[i] == '~')
				buf[i] = '\n';
		}
		buf[n] = '\0';
		write_file(t->path, buf);
		kiosk_config c;
		config_default(&c);
		diag_list d = { 0 };
		int rc = config_load(t->path, &c, &d);
		if (rc != 0)
			assert_true(diag_count(&d, DIAG_ERROR) > 0);
		config_finish(&c);
		diag_list_finish(&d);
	}
	/* Deep nesting. */
	char *deep = malloc(200001);
	assert_non_null(deep);
	memset(deep, '[', 200000);
	deep[200000] = '\0';
	write_file(t->path, deep);
	free(deep);
	kiosk_config c;
	config_default(&c);
	diag_list d = { 0 };
	assert_int_equal(config_load(t->path, &c, &d), -1);
	assert_true(d.n >= 1);
	config_finish(&c);
	diag_list_finish(&d);
}

/* The access keys: every one read into its place, and bad values refused. */
static void
test_access_keys(void **state)
{
	(void)state;
	char dir[] = "/tmp/tellus-cfg-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *path = tl_asprintf("%s/k.yaml", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("access: two-switch\nscan_interval_ms: 1500\nscan_first_pause_ms: 0\n"
	      "scan_rounds: 5\nswitch_hold_ms: 600\ndwell_ms: 1200\ndwell_move_px: 35\nmin_hold_ms: 200\n"
	      "select_on_press: true\nspeech: false\ntouch_to_hear: yes\nscan_speak: on\n"
	      "theme: high-contrast\nlarge_text: true\ndyslexic_font: true\n"
	      "reduced_motion: true\nspeech_rate: 120\nask_access: true\nhelper_question: true\n"
	      "switch_keys: [F1, F2]\nvoices: { ur: \"ur 130\", en: en }\n", f);
	fclose(f);
	kiosk_config c;
	config_default(&c);
	diag_list d = { 0 };
	assert_int_equal(config_load(path, &c, &d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(c.access.method, ACCESS_TWO_SWITCH);
	assert_int_equal(c.access.scan_interval_ms, 1500);
	assert_int_equal(c.access.scan_first_pause_ms, 0);
	assert_int_equal(c.access.scan_rounds, 5);
	assert_int_equal(c.access.switch_hold_ms, 600);
	assert_int_equal(c.access.dwell_ms, 1200);
	assert_int_equal(c.access.dwell_move_px, 35);
	assert_int_equal(c.access.min_hold_ms, 200);
	assert_true(c.access.select_on_press);
	assert_false(c.access.speech);
	assert_true(c.access.touch_to_hear);
	assert_true(c.access.scan_speak);
	assert_int_equal(c.access.theme, THEME_HIGH_CONTRAST);
	assert_true(c.access.large_text && c.access.dyslexic_font && c.access.reduced_motion);
	assert_int_equal(c.access.speech_rate, 120);
	assert_true(c.ask_access && c.helper_question);
	assert_string_equal(c.access.switch_keys[0], "F1");
	assert_string_equal(c.access.switch_keys[1], "F2");
	assert_int_equal(c.n_voices, 2);
	assert_string_equal(c.voices[0].lang, "ur");
	assert_string_equal(c.voices[0].voice, "ur");
	assert_int_equal(c.voices[0].rate, 130);
	assert_string_equal(c.voices[1].lang, "en");
	assert_int_equal(c.voices[1].rate, 0);
	config_finish(&c);

	f = fopen(path, "w");
	assert_non_null(f);
	fputs("access: eyes\nscan_interval_ms: 100\ntheme: dark\nspeech: maybe\n"
	      "voices: { ur: \"ur 9000\" }\n", f);
	fclose(f);
	config_default(&c);
	assert_int_equal(config_load(path, &c, &d), -1);
	const char *want[] = {
		"1:9: error: unknown access 'eyes'; use one of touch, scan, tap-hold, two-switch, dwell",
		"2:19: error: scan_interval_ms '100' must be a whole number from 750 to 5000 (2000 suits most people)",
		"3:8: error: unknown theme 'dark'; use default or high-contrast",
		"4:9: error: speech 'maybe' must be true or false",
		"5:16: error: voice 'ur 9000' for ur must be an espeak-ng voice name, then if you like a rate from 80 to 400 words a minute",
	};
	assert_int_equal(d.n, 5);
	for (size_t i = 0; i < 5; i++) {
		char buf[512];
		diag_format(&d.items[i], buf, sizeof buf);
		assert_non_null(strstr(buf, want[i]));
	}
	/* A bad file changes nothing. */
	kiosk_config def;
	config_default(&def);
	assert_memory_equal(&c.access, &def.access, sizeof c.access);
	diag_list_finish(&d);
	config_finish(&c);
	unlink(path);
	rmdir(dir);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_example_file),
		cmocka_unit_test(test_access_keys),
		cmocka_unit_test_setup_teardown(test_every_key_overridden, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_and_comment_files, setup, teardown),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test_setup_teardown(test_not_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mistakes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_garbage, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
