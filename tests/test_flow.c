/*
 * test_flow: the flow parser. Good files must become exactly the model
 * expected; every bad fixture must produce exactly the messages written at
 * its foot ("#> LINE:COL: severity: message"); garbage of every kind must
 * be refused with a message and never crash (run under ASan/UBSan).
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

#include "flow/flow.h"
#include "base/util.h"

static const char *
src_root(void)
{
	const char *r = getenv("TELLUS_SOURCE_ROOT");
	assert_non_null(r);
	return r;
}

static char *
data_path(const char *rel)
{
	char *p = tl_asprintf("%s/tests/data/%s", src_root(), rel);
	assert_non_null(p);
	return p;
}

static char *
fmt_diag(const diag *d)
{
	char *s = tl_asprintf("%d:%d: %s: %s", d->line, d->col,
	                      d->severity == DIAG_ERROR ? "error" : "warning", d->msg);
	assert_non_null(s);
	return s;
}

/* Prints both lists on a mismatch, so a failing run says what changed. */
static void
assert_diags(const char *name, const diag_list *got, char **want, size_t n_want)
{
	bool same = got->n == n_want;
	for (size_t i = 0; same && i < n_want; i++) {
		char *g = fmt_diag(&got->items[i]);
		same = strcmp(g, want[i]) == 0;
		free(g);
	}
	if (!same) {
		fprintf(stderr, "%s: messages differ\n  want:\n", name);
		for (size_t i = 0; i < n_want; i++)
			fprintf(stderr, "    %s\n", want[i]);
		fprintf(stderr, "  got:\n");
		for (size_t i = 0; i < got->n; i++) {
			char *g = fmt_diag(&got->items[i]);
			fprintf(stderr, "    %s\n", g);
			free(g);
		}
	}
	assert_true(same);
}

static flow *
load_ok(const char *rel, diag_list *d)
{
	char *p = data_path(rel);
	flow *f = NULL;
	int rc = flow_load(p, &f, d);
	for (size_t i = 0; rc != 0 && i < d->n; i++) {
		char *g = fmt_diag(&d->items[i]);
		fprintf(stderr, "%s: %s\n", rel, g);
		free(g);
	}
	assert_int_equal(rc, 0);
	assert_non_null(f);
	assert_string_equal(f->path, p);
	free(p);
	return f;
}

static void
assert_answer(const flow_answer *a, const char *id, const char *label_en, const char *symbol)
{
	assert_string_equal(a->id, id);
	assert_string_equal(tstr_get(&a->label, "en", NULL), label_en);
	assert_string_equal(a->symbol, symbol);
}

/* ---- good files --------------------------------------------------------- */

static void
test_school_day_model(void **state)
{
	(void)state;
	diag_list d = { 0 };
	flow *f = load_ok("flows/good/school-day.yaml", &d);
	assert_int_equal(d.n, 0);

	assert_string_equal(f->id, "school-day");
	assert_int_equal(f->version, 1);
	assert_string_equal(tstr_get(&f->title, "en", NULL), "How was today?");
	assert_int_equal(f->n_languages, 1);
	assert_string_equal(f->languages[0], "en");
	assert_true(f->has_presentation);
	assert_int_equal(f->presentation, PRES_LARGE_SYMBOL);
	assert_int_equal(f->n_questions, 4);

	const flow_question *q = &f->questions[0];
	assert_string_equal(q->id, "feeling");
	assert_int_equal(q->type, QT_FEELINGS);
	assert_int_equal(q->scale, 5);
	assert_string_equal(tstr_get(&q->prompt, "en", NULL), "How was today?");
	assert_string_equal(tstr_get(&q->easy_read, "en", NULL),
	                    "Tap the face that shows how today was for you.");
	assert_string_equal(q->symbol, "school");
	/* The plain form is the first language's recording. */
	assert_int_equal(q->n_clips, 1);
	assert_string_equal(q->clips[0].lang, "en");
	assert_string_equal(q->clips[0].path, "clips/feeling.wav");
	assert_int_equal(q->clips[0].pos.line, 15);
	assert_int_equal(q->pos.line, 9);
	assert_int_equal(q->pos.col, 5);
	assert_int_equal(q->symbol_pos.line, 14);
	assert_int_equal(q->symbol_pos.col, 13);
	assert_int_equal(q->n_answers, 5);
	assert_answer(&q->answers[0], "very-sad", "Very sad", "face-very-sad");
	assert_answer(&q->answers[1], "sad", "Sad", "face-sad");
	assert_answer(&q->answers[2], "okay", "OK", "face-okay");
	assert_answer(&q->answers[3], "happy", "Happy", "face-happy");
	assert_answer(&q->answers[4], "very-happy", "Very happy", "face-very-happy");
	assert_string_equal(q->answers[0].label.items[0].lang, "en");
	assert_int_equal(q->n_rules, 0);

	q = &f->questions[1];
	assert_string_equal(q->id, "activities");
	assert_int_equal(q->type, QT_CHOOSE_MANY);
	assert_int_equal(q->scale, 0);
	assert_int_equal(q->n_clips, 0);
	assert_int_equal(q->n_answers, 4);
	assert_answer(&q->answers[0], "play", "Playing", "football");
	assert_answer(&q->answers[1], "art", "Art", "painting");
	assert_answer(&q->answers[2], "music", "Music", "music");
	assert_answer(&q->answers[3], "photo", "Our garden", "photos/garden.jpg");
	assert_int_equal(q->answers[3].pos.line, 26);
	assert_int_equal(q->answers[3].pos.col, 11);

	q = &f->questions[2];
	assert_string_equal(q->id, "safe");
	assert_int_equal(q->type, QT_YES_NO);
	assert_int_equal(q->n_answers, 3);
	assert_answer(&q->answers[0], "yes", "Yes", "yes");
	assert_answer(&q->answers[1], "no", "No", "no");
	assert_answer(&q->answers[2], "not-sure", "Not sure", "not-sure");
	assert_int_equal(q->n_rules, 2);
	assert_string_equal(q->rules[0].if_answer, "yes");
	assert_string_equal(q->rules[0].goto_id, "end");
	assert_int_equal(q->rules[0].goto_index, -1);
	assert_string_equal(q->rules[1].if_answer, "not-sure");
	assert_string_equal(q->rules[1].goto_id, "help");
	assert_int_equal(q->rules[1].goto_index, 3);

	q = &f->questions[3];
	assert_string_equal(q->id, "help");
	assert_int_equal(q->type, QT_CHOOSE_ONE);
	assert_int_equal(q->n_answers, 3);
	assert_answer(&q->answers[2], "family", "Family", "family");

	assert_int_equal(flow_question_index(f, "safe"), 2);
	assert_int_equal(flow_question_index(f, "nope"), -1);
	assert_int_equal(flow_question_index(f, NULL), -1);
	assert_int_equal(flow_answer_index(&f->questions[1], "music"), 2);
	assert_int_equal(flow_answer_index(&f->questions[1], "yes"), -1);

	flow_destroy(f);
	diag_list_finish(&d);
}

static void
test_source_hash_and_dir(void **state)
{
	(void)state;
	diag_list d = { 0 };
	flow *f = load_ok("flows/good/school-day.yaml", &d);
	char *p = data_path("flows/good/school-day.yaml");
	char *bytes;
	size_t len;
	assert_int_equal(tl_read_file(p, &bytes, &len, NULL), 0);
	assert_int_equal(f->source_len, len);
	assert_memory_equal(f->source, bytes, len);
	assert_int_equal(f->source[len], '\0');
	char hash[65];
	tl_sha256_hex(bytes, len, hash);
	assert_string_equal(f->hash, hash);
	assert_int_equal(strlen(f->hash), 64);

	char *dir = data_path("flows/good");
	assert_string_equal(f->dir, dir);

	/* The same bytes under another name hash the same; one byte changed
	 * does not. */
	flow *g = NULL;
	assert_int_equal(flow_load_buffer("elsewhere.yaml", bytes, len, &g, &d), 0);
	assert_string_equal(g->hash, f->hash);
	assert_string_equal(g->dir, ".");
	flow_destroy(g);
	char *at = strstr(bytes, "How was today?");
	assert_non_null(at);
	at[0] = 'h';
	assert_int_equal(flow_load_buffer("elsewhere.yaml", bytes, len, &g, &d), 0);
	assert_string_not_equal(g->hash, f->hash);
	flow_destroy(g);
	assert_int_equal(d.n, 0);

	free(dir);
	free(bytes);
	free(p);
	flow_destroy(f);
	diag_list_finish(&d);
}

static void
test_symbol_and_clip_paths(void **state)
{
	(void)state;
	diag_list d = { 0 };
	flow *f = load_ok("flows/good/school-day.yaml", &d);
	char *s = flow_symbol_path(f, "school", "/data");
	assert_string_equal(s, "/data/assets/symbols/school.svg");
	free(s);
	char *want = tl_asprintf("%s/photos/garden.jpg", f->dir);
	s = flow_symbol_path(f, "photos/garden.jpg", "/data");
	assert_string_equal(s, want);
	free(s);
	free(want);
	want = tl_asprintf("%s/Garden.PNG", f->dir);
	s = flow_symbol_path(f, "Garden.PNG", "/data");
	assert_string_equal(s, want);
	free(s);
	free(want);
	s = flow_symbol_path(f, "/abs/pic.svg", "/data");
	assert_string_equal(s, "/abs/pic.svg");
	free(s);
	assert_null(flow_symbol_path(f, NULL, "/data"));

	want = tl_asprintf("%s/clips/feeling.wav", f->dir);
	s = flow_clip_path(f, &f->questions[0], "en");
	assert_string_equal(s, want);
	free(s);
	free(want);
	assert_null(flow_clip_path(f, &f->questions[0], "ur"));
	assert_null(flow_clip_path(f, &f->questions[0], NULL));
	assert_null(flow_clip_path(f, &f->questions[1], "en"));
	flow_destroy(f);
	diag_list_finish(&d);
}

static void
test_multilingual_model(void **state)
{
	(void)state;
	diag_list d = { 0 };
	flow *f = load_ok("flows/good/multilingual.yaml", &d);
	assert_int_equal(d.n, 0);
	assert_string_equal(f->id, "clinic_visit");
	assert_int_equal(f->version, 3);
	assert_int_equal(f->n_languages, 3);
	assert_string_equal(f->languages[0], "en");
	assert_string_equal(f->languages[1], "pl");
	assert_string_equal(f->languages[2], "ur");
	assert_true(f->has_presentation);
	assert_int_equal(f->presentation, PRES_EASY_READ);

	assert_string_equal(tstr_get(&f->title, "pl", "en"), "Twoja wizyta");
	assert_string_equal(tstr_get(&f->title, "ur", "en"), "آپ کا دورہ");
	/* Missing language: the fallback, else the first. */
	assert_string_equal(tstr_get(&f->title, "de", "pl"), "Twoja wizyta");
	assert_string_equal(tstr_get(&f->title, "de", NULL), "Your visit");
	assert_string_equal(tstr_get(&f->title, "de", "fr"), "Your visit");

	const flow_question *q = &f->questions[0];
	assert_int_equal(q->type, QT_FEELINGS);
	assert_int_equal(q->scale, 3);
	assert_int_equal(q->n_answers, 3);
	/* Built-in order, whatever order the relabels came in. */
	assert_string_equal(q->answers[0].id, "sad");
	assert_string_equal(q->answers[1].id, "okay");
	assert_string_equal(q->answers[2].id, "happy");
	assert_string_equal(tstr_get(&q->answers[0].label, "pl", "en"), "Źle");
	assert_string_equal(q->answers[0].symbol, "photos/garden.jpg");
	assert_int_equal(q->answers[0].pos.line, 28);
	/* Not relabelled: the built-in label, in the languages the kiosk knows. */
	assert_string_equal(tstr_get(&q->answers[1].label, "pl", "en"), "W porządku");
	assert_string_equal(q->answers[1].symbol, "face-okay");
	assert_string_equal(tstr_get(&q->answers[2].label, "ur", "en"), "اچھا");
	assert_string_equal(tstr_get(&q->answers[2].label, "en", "en"), "Good");
	assert_string_equal(q->answers[2].symbol, "face-happy");
	assert_string_equal(tstr_get(&q->easy_read, "pl", "en"),
	                    "Dotknij buzi, która pokazuje, jak minęła wizyta.");
	assert_int_equal(q->n_rules, 1);
	assert_int_equal(q->rules[0].goto_index, -1);

	q = &f->questions[1];
	assert_int_equal(q->type, QT_YES_NO);
	assert_int_equal(q->easy_read.n, 0);
	assert_string_equal(tstr_get(&q->easy_read, "en", "en"), "");
	assert_int_equal(q->n_rules, 2);
	assert_string_equal(q->rules[0].if_answer, "no");
	assert_int_equal(q->rules[0].goto_index, 2);
	assert_int_equal(q->rules[1].goto_index, -1);

	q = &f->questions[2];
	assert_int_equal(q->type, QT_CHOOSE_ONE);
	assert_string_equal(tstr_get(&q->answers[1].label, "pl", "en"), "Przyjaciel");
	flow_destroy(f);
	diag_list_finish(&d);
}

static void
test_flow_without_presentation(void **state)
{
	(void)state;
	diag_list d = { 0 };
	flow *f = load_ok("flows/good/minimal.yaml", &d);
	assert_false(f->has_presentation);
	assert_int_equal(f->n_questions, 1);
	assert_int_equal(f->questions[0].n_answers, 3);
	assert_int_equal(d.n, 0);
	flow_destroy(f);
	diag_list_finish(&d);
}

/* Clips by language: a map gives each language its own recording; a
 * language left out has none (the kiosk's voice reads it), and the load
 * says so as a warning; a plain path is the first language's only. */
static void
test_clips_by_language(void **state)
{
	(void)state;
	static const char src[] =
		"id: clips\nversion: 1\ntitle: { en: Clips, pl: Klipy, ur: کلپ }\nlanguages: [en, pl, ur]\n"
		"questions:\n"
		"  - id: safe\n    type: yes-no\n    symbol: safe\n"
		"    prompt: { en: Safe?, pl: Bezpiecznie?, ur: محفوظ؟ }\n"
		"    clip: { ur: clips/ur/safe.wav, en: clips/en/safe.wav }\n"
		"  - id: feeling\n    type: feelings\n    symbol: school\n"
		"    prompt: { en: Today?, pl: Dzisiaj?, ur: آج؟ }\n"
		"    clip: clips/feeling.wav\n";
	diag_list d = { 0 };
	flow *f = NULL;
	assert_int_equal(flow_load_buffer("dir/clips.yaml", src, sizeof src - 1, &f, &d), 0);
	char *want[] = {
		"10:13: warning: question 'safe': 'clip' has no 'pl' recording; in 'pl' the kiosk reads "
		"the question with its voice",
		"15:11: warning: question 'feeling': 'clip' has no 'pl' recording; in 'pl' the kiosk reads "
		"the question with its voice",
		"15:11: warning: question 'feeling': 'clip' has no 'ur' recording; in 'ur' the kiosk reads "
		"the question with its voice",
	};
	assert_diags("clips.yaml", &d, want, 3);
	const flow_question *q = &f->questions[0];
	assert_int_equal(q->n_clips, 2);
	assert_string_equal(q->clips[0].lang, "ur");
	assert_string_equal(q->clips[0].path, "clips/ur/safe.wav");
	assert_int_equal(q->clips[0].pos.line, 10);
	assert_int_equal(q->clips[0].pos.col, 17);
	assert_string_equal(flow_clip_in(q, "en")->path, "clips/en/safe.wav");
	assert_null(flow_clip_in(q, "pl"));
	char *p = flow_clip_path(f, q, "ur");
	assert_string_equal(p, "dir/clips/ur/safe.wav");
	free(p);
	assert_null(flow_clip_path(f, q, "pl"));
	/* The plain form: English's recording, no one else's. */
	q = &f->questions[1];
	assert_int_equal(q->n_clips, 1);
	assert_non_null(flow_clip_in(q, "en"));
	assert_null(flow_clip_path(f, q, "ur"));
	flow_destroy(f);
	diag_list_finish(&d);
}

/* ---- warnings do not fail a load --------------------------------------- */

static void
test_missing_language_is_a_warning(void **state)
{
	(void)state;
	static const char src[] =
		"id: two\nversion: 2\ntitle: { en: Two, pl: Dwa }\nlanguages: [en, pl]\n"
		"questions:\n"
		"  - id: safe\n    type: yes-no\n    prompt: Safe?\n    symbol: safe\n"
		"    easy_read: { pl: Bezpiecznie? }\n";
	diag_list d = { 0 };
	flow *f = NULL;
	assert_int_equal(flow_load_buffer("two.yaml", src, sizeof src - 1, &f, &d), 0);
	assert_non_null(f);
	char *want[] = {
		"8:13: warning: question 'safe': 'prompt' has no 'pl' text; the kiosk will show the 'en' text instead",
		"10:18: warning: question 'safe': 'easy_read' has no 'en' text; the kiosk will show the 'pl' text instead",
	};
	assert_diags("two.yaml", &d, want, 2);
	assert_int_equal(diag_count(&d, DIAG_ERROR), 0);
	/* A plain string is in the first language. */
	assert_string_equal(f->questions[0].prompt.items[0].lang, "en");
	assert_string_equal(tstr_get(&f->questions[0].easy_read, "en", "en"), "Bezpiecznie?");
	flow_destroy(f);
	diag_list_finish(&d);
}

/* The three messages the product brief quotes, word for word. */
static void
test_messages_quoted_in_the_brief(void **state)
{
	(void)state;
	static const char src[] =
		"id: brief\nversion: 1\ntitle: Brief\nlanguages: [en]\nquestions:\n"
		"  - id: feeling\n    type: feelings\n    promt: How?\n"
		"  - id: safe\n    type: yesno\n    prompt: Safe?\n"
		"  - id: more\n    type: yes-no\n    prompt: More?\n    next: [ { if: yes, goto: feeling } ]\n";
	diag_list d = { 0 };
	flow *f = NULL;
	assert_int_equal(flow_load_buffer("brief.yaml", src, sizeof src - 1, &f, &d), -1);
	assert_null(f);
	char *want[] = {
		"8:5: error: unknown key 'promt' in question 'feeling'; did you mean 'prompt'?",
		"10:11: error: question 'safe': unknown type 'yesno'; use one of feelings, yes-no, choose-one, choose-many, sort, text, draw",
		"15:30: error: skip rule jumps back to 'feeling', which could loop forever; rules may only jump forward",
	};
	assert_diags("brief.yaml", &d, want, 3);
	char buf[512];
	diag_format(&d.items[1], buf, sizeof buf);
	assert_string_equal(buf, "brief.yaml:10:11: error: question 'safe': unknown type 'yesno'; "
	                         "use one of feelings, yes-no, choose-one, choose-many, sort, text, draw");
	diag_list_finish(&d);
}

/* ---- bad fixtures ------------------------------------------------------- */

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted .yaml files in a folder of tests/data; caller frees. */
static char **
list_yaml(const char *dir, size_t *n)
{
	DIR *dp = opendir(dir);
	if (!dp)
		fprintf(stderr, "cannot open %s\n", dir);
	assert_non_null(dp);
	char **names = NULL;
	*n = 0;
	struct dirent *e;
	while ((e = readdir(dp))) {
		size_t l = strlen(e->d_name);
		if (l < 6 || strcmp(e->d_name + l - 5, ".yaml") != 0)
			continue;
		names = realloc(names, (*n + 1) * sizeof *names);
		assert_non_null(names);
		names[(*n)++] = tl_strdup(e->d_name);
	}
	closedir(dp);
	qsort(names, *n, sizeof *names, cmp_names);
	return names;
}

/* The "#> " lines at a fixture's foot. */
static char **
expectations(const char *text, size_t *n)
{
	char **want = NULL;
	*n = 0;
	for (const char *line = text; line && *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		if (len > 3 && strncmp(line, "#> ", 3) == 0) {
			want = realloc(want, (*n + 1) * sizeof *want);
			assert_non_null(want);
			want[*n] = strndup(line + 3, len - 3);
			assert_non_null(want[*n]);
			(*n)++;
		}
		line = end ? end + 1 : NULL;
	}
	return want;
}

static void
test_bad_fixtures(void **state)
{
	(void)state;
	char *dir = data_path("flows/bad");
	size_t n;
	char **names = list_yaml(dir, &n);
	assert_true(n >= 20);
	for (size_t i = 0; i < n; i++) {
		char *path = tl_asprintf("%s/%s", dir, names[i]);
		char *text;
		size_t len;
		assert_int_equal(tl_read_file(path, &text, &len, NULL), 0);
		size_t n_want;
		char **want = expectations(text, &n_want);
		if (n_want == 0)
			fprintf(stderr, "%s has no '#> ' lines\n", names[i]);
		assert_true(n_want > 0);

		diag_list d = { 0 };
		flow *f = NULL;
		int rc = flow_load(path, &f, &d);
		bool any_error = false;
		for (size_t j = 0; j < n_want; j++)
			any_error |= strstr(want[j], ": error: ") != NULL;
		assert_int_equal(rc, any_error ? -1 : 0);
		assert_true(any_error ? f == NULL : f != NULL);
		assert_diags(names[i], &d, want, n_want);
		for (size_t j = 0; j < d.n; j++)
			assert_string_equal(d.items[j].file, path);

		flow_destroy(f);
		diag_list_finish(&d);
		for (size_t j = 0; j < n_want; j++)
			free(want[j]);
		free(want);
		free(text);
		free(path);
		free(names[i]);
	}
	free(names);
	free(dir);
}

static void
test_missing_file(void **state)
{
	(void)state;
	diag_list d = { 0 };
	flow *f = (flow *)&d; /* must be cleared */
	assert_int_equal(flow_load("/nonexistent/tellus/flow.yaml", &f, &d), -1);
	assert_null(f);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.items[0].line, 0);
	assert_string_equal(d.items[0].msg,
	                    "cannot read the file: No such file or directory; check the path");
	diag_list_finish(&d);
}

/* ---- garbage ------------------------------------------------------------ */

/* Loads data and checks the contract holds, whatever the outcome. */
static int
load_any(const char *data, size_t len)
{
	diag_list d = { 0 };
	flow *f = NULL;
	int rc = flow_load_buffer("garbage.yaml", data, len, &f, &d);
	if (rc == 0) {
		assert_non_null(f);
		assert_true(f->n_questions >= 1);
		assert_true(f->n_languages >= 1);
		for (size_t i = 0; i < f->n_questions; i++)
			assert_true(f->questions[i].n_answers >= 2);
		assert_int_equal(diag_count(&d, DIAG_ERROR), 0);
	} else {
		assert_int_equal(rc, -1);
		assert_null(f);
		assert_true(diag_count(&d, DIAG_ERROR) >= 1);
	}
	for (size_t i = 0; i < d.n; i++) {
		assert_true(d.items[i].line >= 0);
		assert_true(d.items[i].col >= 0);
		assert_non_null(d.items[i].msg);
		assert_true(strlen(d.items[i].msg) > 10);
	}
	flow_destroy(f);
	diag_list_finish(&d);
	return rc;
}

/* sizeof, not strlen: some garbage holds zero bytes. */
#define LOAD(lit) load_any(lit, sizeof lit - 1)

static char *
repeat(const char *unit, size_t times, size_t *len)
{
	size_t ul = strlen(unit);
	char *s = malloc(ul * times + 1);
	assert_non_null(s);
	for (size_t i = 0; i < times; i++)
		memcpy(s + i * ul, unit, ul);
	s[ul * times] = '\0';
	*len = ul * times;
	return s;
}

static void
test_garbage_is_refused(void **state)
{
	(void)state;
	assert_int_equal(LOAD(""), -1);
	assert_int_equal(LOAD("\n\n   \n"), -1);
	assert_int_equal(LOAD("---\n...\n"), -1);
	assert_int_equal(LOAD("\0\0\0\0"), -1);
	assert_int_equal(LOAD("id: a\0b\n"), -1);
	assert_int_equal(LOAD("\xef\xbb\xbf"), -1);
	assert_int_equal(LOAD("\xff\xfe\x00i\x00d"), -1);
	assert_int_equal(LOAD("id: \xc3\x28\n"), -1);
	assert_int_equal(LOAD("!!binary AAAA"), -1);
	assert_int_equal(LOAD("a: &x [*x]\n"), -1);
	assert_int_equal(LOAD("? [a, b]\n: c\n"), -1);
	assert_int_equal(LOAD("%YAML 9.9\n---\na: 1\n"), -1);
	assert_int_equal(LOAD("questions: [[[[]]]]\n"), -1);
	assert_int_equal(LOAD("questions: [{id: [[]], type: {}, prompt: [], answers: [1, 2], "
	                          "next: [1, [], {}]}]\n"), -1);

	/* Deep nesting, flow and block style. */
	size_t len;
	char *s = repeat("[", 100000, &len);
	assert_int_equal(load_any(s, len), -1);
	free(s);
	s = repeat("{a: ", 50000, &len);
	assert_int_equal(load_any(s, len), -1);
	free(s);
	s = repeat("- ", 50000, &len);
	assert_int_equal(load_any(s, len), -1);
	free(s);

	/* Random bytes, and random printable YAML-ish characters. */
	uint32_t seed = 12345;
	char *buf = malloc(4096);
	assert_non_null(buf);
	static const char alphabet[] = "ab:- \n\t[]{},#&*!|>'\"%@`?~0123456789yes";
	for (int round = 0; round < 300; round++) {
		size_t n = (size_t)(round * 13) % 4096;
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = round % 2 ? (char)(seed >> 16)
			                   : alphabet[(seed >> 16) % (sizeof alphabet - 1)];
		}
		load_any(buf, n);
	}
	free(buf);
}

static void
test_huge_inputs(void **state)
{
	(void)state;
	/* A 4 MB value. */
	size_t len;
	char *big = repeat("x", 4u << 20, &len);
	char *src = tl_asprintf("id: huge\nversion: 1\ntitle: %s\nlanguages: [en]\nquestions:\n"
	                        "  - { id: q, type: yes-no, prompt: Q }\n", big);
	assert_non_null(src);
	assert_int_equal(load_any(src, strlen(src)), 0);
	free(src);
	free(big);

	/* Many questions: loads, in order, with ids resolved. */
	size_t cap = 0, used = 0;
	char *all = NULL;
	const int n = 3000;
	for (int i = 0; i <= n; i++) {
		char line[160];
		int w = i == 0 ? snprintf(line, sizeof line, "id: many\nversion: 1\ntitle: Many\n"
		                          "languages: [en]\nquestions:\n")
		               : snprintf(line, sizeof line, "  - { id: q%d, type: yes-no, prompt: Q%d, "
		                          "next: [{ if: yes, goto: %s }] }\n", i, i,
		                          i < n && i % 2 ? "q3000" : "end");
		if (used + (size_t)w + 1 > cap) {
			cap = (cap + (size_t)w + 1) * 2;
			all = realloc(all, cap);
			assert_non_null(all);
		}
		memcpy(all + used, line, (size_t)w + 1);
		used += (size_t)w;
	}
	diag_list d = { 0 };
	flow *f = NULL;
	assert_int_equal(flow_load_buffer("many.yaml", all, used, &f, &d), 0);
	assert_int_equal(f->n_questions, (size_t)n);
	assert_string_equal(f->questions[n - 1].id, "q3000");
	assert_int_equal(f->questions[n - 1].pos.line, n + 5);
	flow_destroy(f);
	diag_list_finish(&d);
	free(all);
}

/* Every prefix and many one-byte changes of a good file: refused or
 * accepted, never a crash, never a leak. */
static void
test_mutations_of_a_good_file(void **state)
{
	(void)state;
	char *p = data_path("flows/good/school-day.yaml");
	char *text;
	size_t len;
	assert_int_equal(tl_read_file(p, &text, &len, NULL), 0);
	assert_int_equal(load_any(text, len), 0);
	for (size_t cut = 0; cut < len; cut += 3)
		load_any(text, cut);
	static const char swaps[] = ":-[]{}\n #'\"&*\t!";
	char *copy = malloc(len + 1);
	assert_non_null(copy);
	for (size_t at = 0; at < len; at += 5) {
		memcpy(copy, text, len + 1);
		copy[at] = swaps[at % (sizeof swaps - 1)];
		load_any(copy, len);
	}
	free(copy);
	free(text);
	free(p);
}

/* ---- names -------------------------------------------------------------- */

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(question_type_name(QT_FEELINGS), "feelings");
	assert_string_equal(question_type_name(QT_YES_NO), "yes-no");
	assert_string_equal(question_type_name(QT_CHOOSE_ONE), "choose-one");
	assert_string_equal(question_type_name(QT_CHOOSE_MANY), "choose-many");
	assert_string_equal(presentation_name(PRES_LARGE_SYMBOL), "large-symbol");
	assert_string_equal(presentation_name(PRES_EASY_READ), "easy-read");
	assert_int_equal(presentation_parse("large-symbol"), PRES_LARGE_SYMBOL);
	assert_int_equal(presentation_parse("easy-read"), PRES_EASY_READ);
	assert_int_equal(presentation_parse("Easy-Read"), -1);
	assert_int_equal(presentation_parse(""), -1);
	assert_int_equal(presentation_parse(NULL), -1);

	tstr empty = { 0 };
	assert_string_equal(tstr_get(&empty, "en", "en"), "");
	assert_string_equal(tstr_get(NULL, "en", "en"), "");
	flow_destroy(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_school_day_model),
		cmocka_unit_test(test_source_hash_and_dir),
		cmocka_unit_test(test_symbol_and_clip_paths),
		cmocka_unit_test(test_clips_by_language),
		cmocka_unit_test(test_multilingual_model),
		cmocka_unit_test(test_flow_without_presentation),
		cmocka_unit_test(test_missing_language_is_a_warning),
		cmocka_unit_test(test_messages_quoted_in_the_brief),
		cmocka_unit_test(test_bad_fixtures),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_garbage_is_refused),
		cmocka_unit_test(test_huge_inputs),
		cmocka_unit_test(test_mutations_of_a_good_file),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
