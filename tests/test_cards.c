/*
 * test_cards: "You said, we did" card files. The bundled example must load
 * and check clean, newest first; every fixture in tests/data/cards must give
 * exactly the messages at its foot ("#> LINE:COL: severity: message") through
 * the checker `tellus check` and the stick share (intake_check); the real
 * `tellus check` must say FILE:LINE:COL and exit 1 for a bad card file and
 * "FILE: ok" for a good one; `tellus report --cards` must give the report its
 * "You said, we did" section; and every cut of the example must be read or
 * refused without a crash.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "cards/cards.h"
#include "intake/intake.h"
#include "base/util.h"

static const char *
env(const char *name)
{
	const char *r = getenv(name);
	assert_non_null(r);
	return r;
}

static char *
replace_all(const char *s, const char *from, const char *to)
{
	size_t lf = strlen(from), lt = strlen(to), n = 0;
	for (const char *p = s; (p = strstr(p, from)); p += lf)
		n++;
	char *out = malloc(strlen(s) + n * (lt > lf ? lt - lf : 0) + 1);
	assert_non_null(out);
	char *o = out;
	for (const char *p = s;;) {
		const char *q = strstr(p, from);
		if (!q) {
			strcpy(o, p);
			break;
		}
		memcpy(o, p, (size_t)(q - p));
		o += q - p;
		memcpy(o, to, lt);
		o += lt;
		p = q + lf;
	}
	return out;
}

static void
test_example(void **state)
{
	(void)state;
	char *path = tl_asprintf("%s/config/you-said-we-did.yaml", env("TELLUS_SOURCE_ROOT"));
	card_set *s = cards_create();
	assert_non_null(s);
	diag_list d = { 0 };
	assert_int_equal(cards_load(s, path, &d), 0);
	assert_int_equal(cards_check(s, env("TELLUS_DATA_DIR"), &d), 0);
	for (size_t i = 0; i < d.n; i++) {
		char b[1200];
		diag_format(&d.items[i], b, sizeof b);
		fprintf(stderr, "%s\n", b);
	}
	assert_int_equal(d.n, 0);
	assert_int_equal(s->n, 3);
	assert_string_equal(cards_newest(s, 0)->id, "quiet-corner");
	assert_string_equal(cards_newest(s, 1)->id, "pictures-of-staff");
	assert_string_equal(cards_newest(s, 2)->id, "ramp");
	assert_null(cards_newest(s, 3));
	const card *r = cards_newest(s, 2);
	assert_int_equal(r->outcome, CARD_NOT_YET);
	assert_string_equal(r->date, "2026-09-15");
	assert_string_equal(tstr_get(&r->by, "ur", "en"), "والدین کا فورم");
	assert_string_equal(tstr_get(&cards_newest(s, 0)->result, "en", "en"),
	                    "We made a quiet corner with soft chairs.");
	assert_int_equal(cards_newest(s, 1)->by.n, 0);
	assert_string_equal(r->file->languages[1], "pl");
	diag_list_finish(&d);
	cards_destroy(s);
	free(path);
}

/* Newest first across files: by date, undated last, later ones first. */
static void
test_newest(void **state)
{
	(void)state;
	static const char a[] =
		"languages: [en]\n"
		"cards:\n"
		"  - { id: old, you_said: a, we_did: b, date: 2025-01-01 }\n"
		"  - { id: undated, you_said: a, we_did: b }\n"
		"  - { id: new, you_said: a, we_did: b, date: 2026-03-01 }\n";
	static const char b[] =
		"languages: [en, ur]\n"
		"cards:\n"
		"  - { id: same-day, symbol: ear, not_yet_because: c, date: 2026-03-01 }\n"
		"  - { id: undated-later, you_said: a, we_did: b }\n";
	card_set *s = cards_create();
	diag_list d = { 0 };
	assert_int_equal(cards_load_buffer(s, "/tmp/a.yaml", a, sizeof a - 1, &d), 0);
	assert_int_equal(cards_load_buffer(s, "/tmp/b.yaml", b, sizeof b - 1, &d), 0);
	/* b has no 'ur' texts: warnings only. */
	assert_int_equal(diag_count(&d, DIAG_ERROR), 0);
	static const char *const want[] = { "same-day", "new", "old", "undated-later", "undated" };
	for (size_t i = 0; i < 5; i++)
		assert_string_equal(cards_newest(s, i)->id, want[i]);
	assert_string_equal(cards_newest(s, 0)->file->path, "/tmp/b.yaml");
	/* A broken third file adds nothing and keeps the set as it was. */
	static const char bad[] = "languages: [en]\ncards:\n  - { id: x, you_said: a }\n";
	assert_int_equal(cards_load_buffer(s, "/tmp/c.yaml", bad, sizeof bad - 1, &d), -1);
	assert_int_equal(s->n, 5);
	assert_int_equal(s->n_files, 2);
	diag_list_finish(&d);
	cards_destroy(s);
}

static void
test_fixtures(void **state)
{
	(void)state;
	char *dir = tl_asprintf("%s/tests/data/cards", env("TELLUS_SOURCE_ROOT"));
	DIR *dp = opendir(dir);
	assert_non_null(dp);
	struct dirent *e;
	int seen = 0;
	while ((e = readdir(dp))) {
		size_t l = strlen(e->d_name);
		if (l < 6 || strcmp(e->d_name + l - 5, ".yaml") != 0)
			continue;
		seen++;
		char *path = tl_asprintf("%s/%s", dir, e->d_name);
		char *text;
		size_t len;
		assert_int_equal(tl_read_file(path, &text, &len, NULL), 0);
		/* The expected messages, with the folders filled in. */
		char *want = calloc(1, len + 4096), *w = want;
		for (const char *line = text; line && *line;) {
			const char *end = strchr(line, '\n');
			size_t ll = end ? (size_t)(end - line) : strlen(line);
			if (ll > 3 && strncmp(line, "#> ", 3) == 0) {
				memcpy(w, line + 3, ll - 3);
				w += ll - 3;
				*w++ = '\n';
			}
			line = end ? end + 1 : NULL;
		}
		char *w1 = replace_all(want, "@HERE@", dir);
		char *w2 = replace_all(w1, "@DATA@", env("TELLUS_DATA_DIR"));
		diag_list d = { 0 };
		intake_file r;
		int errors = intake_check_file(path, env("TELLUS_DATA_DIR"), &r, &d);
		assert_int_equal(r.kind, INTAKE_CARDS);
		char *got = calloc(1, 65536), *g = got;
		for (size_t i = 0; i < d.n; i++) {
			assert_string_equal(d.items[i].file, path);
			g += snprintf(g, 65536 - (size_t)(g - got), "%d:%d: %s: %s\n", d.items[i].line,
			              d.items[i].col, d.items[i].severity == DIAG_ERROR ? "error" : "warning",
			              d.items[i].msg);
		}
		if (strcmp(got, w2) != 0)
			fprintf(stderr, "%s:\n want:\n%s got:\n%s", e->d_name, w2, got);
		assert_string_equal(got, w2);
		assert_true(errors > 0);   /* every fixture here is refused */
		assert_int_equal(errors, (int)diag_count(&d, DIAG_ERROR));
		diag_list_finish(&d);
		free(got);
		free(w2);
		free(w1);
		free(want);
		free(text);
		free(path);
	}
	closedir(dp);
	assert_true(seen >= 4);
	free(dir);
}

/* The real binary: `tellus check` on a good and a bad card file. */
static int
run(const char *cmd, char *out, size_t len)
{
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t n = fread(out, 1, len - 1, p);
	out[n] = '\0';
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void
test_cli(void **state)
{
	(void)state;
	char cmd[4096], out[16384];
	snprintf(cmd, sizeof cmd, "cd '%s' && '%s/tellus' check config/you-said-we-did.yaml "
	         "tests/data/cards/not-a-list.yaml 2>&1", env("TELLUS_SOURCE_ROOT"), env("TELLUS_BUILD_ROOT"));
	assert_int_equal(run(cmd, out, sizeof out), 1);
	assert_non_null(strstr(out, "config/you-said-we-did.yaml: ok\n"));
	assert_non_null(strstr(out, "tests/data/cards/not-a-list.yaml:2:8: error: 'cards' must be a list"));
	snprintf(cmd, sizeof cmd, "cd '%s' && '%s/tellus' check config/you-said-we-did.yaml 2>&1",
	         env("TELLUS_SOURCE_ROOT"), env("TELLUS_BUILD_ROOT"));
	assert_int_equal(run(cmd, out, sizeof out), 0);
	assert_string_equal(out, "config/you-said-we-did.yaml: ok\n");
}

/* `tellus report --cards`: a "You said, we did" section, newest first, its
 * symbols inlined; a broken card file stops the report with its problems. */
static void
test_report(void **state)
{
	(void)state;
	char dir[] = "/tmp/tellus-cards-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char cmd[4096], out[16384];
	snprintf(cmd, sizeof cmd, "cd '%s' && '%s/tellus' --exit-after-first-frame --windowed --db '%s/k.db' "
	         ">/dev/null 2>&1 && '%s/tellus' report --db '%s/k.db' --out '%s/r.html' "
	         "--cards config/you-said-we-did.yaml 2>&1", env("TELLUS_SOURCE_ROOT"),
	         env("TELLUS_BUILD_ROOT"), dir, env("TELLUS_BUILD_ROOT"), dir, dir);
	assert_int_equal(run(cmd, out, sizeof out), 0);
	char *path = tl_asprintf("%s/r.html", dir), *html;
	size_t len;
	assert_int_equal(tl_read_file(path, &html, &len, NULL), 0);
	const char *sec = strstr(html, "<h2>You said, we did</h2>");
	assert_non_null(sec);
	const char *a = strstr(sec, "The waiting room is too noisy.");
	const char *b = strstr(sec, "We want to know who we will see.");
	const char *c = strstr(sec, "We couldn't yet, because</p><p class=\"did\">the building is not ours.");
	assert_true(a && b && c && a < b && b < c);
	assert_non_null(strstr(html, "<symbol id=\"s-headphones\""));
	assert_non_null(strstr(sec, "The clinic team \xC2\xB7 20 November 2026"));
	free(html);
	free(path);
	snprintf(cmd, sizeof cmd, "cd '%s' && '%s/tellus' report --db '%s/k.db' --out '%s/bad.html' "
	         "--cards tests/data/cards/not-a-list.yaml 2>&1", env("TELLUS_SOURCE_ROOT"),
	         env("TELLUS_BUILD_ROOT"), dir, dir);
	assert_int_equal(run(cmd, out, sizeof out), 1);
	assert_non_null(strstr(out, "tests/data/cards/not-a-list.yaml:2:8: error:"));
	snprintf(cmd, sizeof cmd, "test ! -e '%s/bad.html' && rm -rf '%s'", dir, dir);
	assert_int_equal(system(cmd), 0);
}

/* How many times needle is in hay. */
static int
times_in(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* `tellus report` with several --cards files says each file's problems
 * once: each file is read and checked on its own (intake_load_cards), not
 * the whole set again after each file. */
static void
test_report_problems_once(void **state)
{
	(void)state;
	char dir[] = "/tmp/tellus-cards-once-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *warn = tl_asprintf("%s/long.yaml", dir);
	FILE *f = fopen(warn, "w");
	assert_non_null(f);
	fputs("languages: [en, ur]\ncards:\n  - id: long\n    you_said: You said that the "
	      "waiting room at the clinic is far too noisy and busy in the mornings when it is "
	      "full.\n    symbol: school\n    we_did:\n      en: We made a quiet corner.\n"
	      "      ur: \xDB\x81\xD9\x85\n", f);
	fclose(f);
	char cmd[4096], out[16384];
	/* Good files, one with warnings: the report is written, each warning
	 * said once. */
	snprintf(cmd, sizeof cmd, "cd '%s' && '%s/tellus' --exit-after-first-frame --windowed "
	         "--db '%s/k.db' >/dev/null 2>&1 && '%s/tellus' report --db '%s/k.db' --out "
	         "'%s/r.html' --cards '%s' --cards config/you-said-we-did.yaml --cards "
	         "config/you-said-we-did.yaml 2>&1", env("TELLUS_SOURCE_ROOT"), env("TELLUS_BUILD_ROOT"),
	         dir, env("TELLUS_BUILD_ROOT"), dir, dir, warn);
	assert_int_equal(run(cmd, out, sizeof out), 0);
	if (times_in(out, "you_said text has 22 words") != 1 ||
	    times_in(out, "'you_said' has no 'ur' text") != 1)
		fail_msg("each warning once, wanted:\n%s", out);
	/* A broken file first, then good ones: each error once, and the
	 * report refused. */
	snprintf(cmd, sizeof cmd, "cd '%s' && '%s/tellus' report --db '%s/k.db' --out '%s/bad.html' "
	         "--cards tests/data/cards/long-words.yaml --cards config/you-said-we-did.yaml "
	         "--cards '%s' 2>&1", env("TELLUS_SOURCE_ROOT"), env("TELLUS_BUILD_ROOT"), dir, dir,
	         warn);
	assert_int_equal(run(cmd, out, sizeof out), 1);
	if (times_in(out, "photo 'missing-photo.jpg' not found") != 1 ||
	    times_in(out, "symbol 'nothing-like-this' is not a bundled symbol") != 1 ||
	    times_in(out, "you_said text has 22 words") != 2 ||
	    times_in(out, "mend the card file above first") != 1)
		fail_msg("each problem once (22 words: once for each of the two files), wanted:\n%s",
		         out);
	free(warn);
	snprintf(cmd, sizeof cmd, "test ! -e '%s/bad.html' && rm -rf '%s'", dir, dir);
	assert_int_equal(system(cmd), 0);
}

/* Every cut of the example is read, or refused with a message. */
static void
test_cuts(void **state)
{
	(void)state;
	char *path = tl_asprintf("%s/config/you-said-we-did.yaml", env("TELLUS_SOURCE_ROOT"));
	char *text;
	size_t len;
	assert_int_equal(tl_read_file(path, &text, &len, NULL), 0);
	for (size_t cut = 0; cut < len; cut += 7) {
		card_set *s = cards_create();
		diag_list d = { 0 };
		int rc = cards_load_buffer(s, "cut.yaml", text, cut, &d);
		if (rc == 0) {
			assert_true(s->n >= 1);
			for (size_t i = 0; i < s->n; i++)
				assert_true(s->cards[i].result.n >= 1 &&
				            (s->cards[i].you_said.n >= 1 || s->cards[i].symbol));
		} else {
			assert_int_equal(s->n, 0);
			assert_true(diag_count(&d, DIAG_ERROR) >= 1);
		}
		diag_list_finish(&d);
		cards_destroy(s);
	}
	free(text);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_newest),
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_cli),
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_report_problems_once),
		cmocka_unit_test(test_cuts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
