/*
 * test_flow_check: the checks beyond parsing. Fixtures under
 * tests/data/flows/check carry the exact messages expected at their foot;
 * tests/data serves as the data folder, with a few tiny symbols of its own.
 * Models edited by hand show the checker does not rely on the parser's
 * guarantees. The built `tellus check` is run end to end for its output
 * and exit codes. Last, every demo flow in config/flows must check clean
 * against the real bundled symbols.
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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
data_dir(void)
{
	char *p = tl_asprintf("%s/tests/data", src_root());
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

static void
print_diags(const char *name, const diag_list *d)
{
	for (size_t i = 0; i < d->n; i++) {
		char *g = fmt_diag(&d->items[i]);
		fprintf(stderr, "  %s: %s\n", name, g);
		free(g);
	}
}

/* Replaces every "{key}" in s by val; caller frees. */
static char *
subst(const char *s, const char *key, const char *val)
{
	size_t kl = strlen(key), vl = strlen(val), n = 0;
	for (const char *p = strstr(s, key); p; p = strstr(p + kl, key))
		n++;
	char *out = malloc(strlen(s) + n * vl + 1);
	assert_non_null(out);
	char *o = out;
	for (const char *p = s;;) {
		const char *hit = strstr(p, key);
		size_t take = hit ? (size_t)(hit - p) : strlen(p);
		memcpy(o, p, take);
		o += take;
		if (!hit)
			break;
		memcpy(o, val, vl);
		o += vl;
		p = hit + kl;
	}
	*o = '\0';
	return out;
}

static flow *
load(const char *path, diag_list *d)
{
	flow *f = NULL;
	int rc = flow_load(path, &f, d);
	if (rc != 0)
		print_diags(path, d);
	assert_int_equal(rc, 0);
	return f;
}

/* Loads tests/data/flows/check/NAME, checks it, compares with its "#> "
 * lines ({data} and {dir} stand for the folders). */
static void
run_fixture(const char *name)
{
	char *dd = data_dir();
	char *dir = tl_asprintf("%s/flows/check", dd);
	char *path = tl_asprintf("%s/%s", dir, name);
	char *text;
	size_t len;
	assert_int_equal(tl_read_file(path, &text, &len, NULL), 0);

	diag_list d = { 0 };
	flow *f = load(path, &d);
	int errors = flow_check(f, dd, &d);

	size_t n_want = 0, n_err = 0;
	bool same = true;
	for (const char *line = text; line && *line;) {
		const char *end = strchr(line, '\n');
		size_t ll = end ? (size_t)(end - line) : strlen(line);
		if (ll > 3 && strncmp(line, "#> ", 3) == 0) {
			char *raw = strndup(line + 3, ll - 3);
			char *a = subst(raw, "{data}", dd);
			char *want = subst(a, "{dir}", dir);
			n_err += strstr(want, ": error: ") != NULL;
			if (n_want < d.n) {
				char *got = fmt_diag(&d.items[n_want]);
				if (strcmp(got, want) != 0) {
					fprintf(stderr, "%s: message %zu\n  want: %s\n  got:  %s\n", name,
					        n_want + 1, want, got);
					same = false;
				}
				free(got);
			}
			n_want++;
			free(want);
			free(a);
			free(raw);
		}
		line = end ? end + 1 : NULL;
	}
	if (n_want != d.n) {
		fprintf(stderr, "%s: want %zu messages, got %zu:\n", name, n_want, d.n);
		print_diags(name, &d);
	}
	assert_true(n_want > 0);
	assert_int_equal(n_want, d.n);
	assert_true(same);
	assert_int_equal(errors, (int)n_err);
	assert_int_equal(diag_count(&d, DIAG_ERROR), n_err);

	flow_destroy(f);
	diag_list_finish(&d);
	free(text);
	free(path);
	free(dir);
	free(dd);
}

static void test_missing_files(void **s) { (void)s; run_fixture("missing-files.yaml"); }
static void test_unreachable(void **s) { (void)s; run_fixture("unreachable.yaml"); }
static void test_warnings(void **s) { (void)s; run_fixture("warnings.yaml"); }
static void test_long_text(void **s) { (void)s; run_fixture("long-text.yaml"); }
static void test_clips_by_language(void **s) { (void)s; run_fixture("clips-by-language.yaml"); }

static void
test_good_flows_check_clean(void **state)
{
	(void)state;
	static const char *const names[] = { "school-day.yaml", "multilingual.yaml", "minimal.yaml" };
	char *dd = data_dir();
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char *path = tl_asprintf("%s/flows/good/%s", dd, names[i]);
		diag_list d = { 0 };
		flow *f = load(path, &d);
		int errors = flow_check(f, dd, &d);
		if (d.n)
			print_diags(names[i], &d);
		assert_int_equal(errors, 0);
		assert_int_equal(d.n, 0);
		flow_destroy(f);
		diag_list_finish(&d);
		free(path);
	}
	free(dd);
}

/* A symbol that exists as a folder, not a file, is still missing; and the
 * checker adds to diags rather than replacing them. */
static void
test_symbol_must_be_a_file(void **state)
{
	(void)state;
	char tmpl[] = "/tmp/tellus-check-XXXXXX";
	char *tmp = mkdtemp(tmpl);
	assert_non_null(tmp);
	char *syms = tl_asprintf("%s/assets", tmp);
	assert_int_equal(mkdir(syms, 0700), 0);
	char *syms2 = tl_asprintf("%s/assets/symbols", tmp);
	assert_int_equal(mkdir(syms2, 0700), 0);
	char *folder = tl_asprintf("%s/assets/symbols/safe.svg", tmp);
	assert_int_equal(mkdir(folder, 0700), 0);
	static const char *const builtin[] = { "yes", "no", "not-sure" };
	for (size_t i = 0; i < 3; i++) {
		char *p = tl_asprintf("%s/assets/symbols/%s.svg", tmp, builtin[i]);
		FILE *fp = fopen(p, "w");
		assert_non_null(fp);
		fputs("<svg/>", fp);
		fclose(fp);
		free(p);
	}
	static const char src[] = "id: t\nversion: 1\ntitle: T\nlanguages: [en]\nquestions:\n"
	                          "  - { id: safe, type: yes-no, prompt: Safe?, symbol: safe }\n";
	diag_list d = { 0 };
	diag_add(&d, DIAG_WARNING, "earlier.yaml", 1, 1, "an earlier message");
	flow *f = NULL;
	assert_int_equal(flow_load_buffer("t.yaml", src, sizeof src - 1, &f, &d), 0);
	assert_int_equal(flow_check(f, tmp, &d), 1);
	assert_int_equal(d.n, 2);
	assert_string_equal(d.items[0].msg, "an earlier message");
	char *want = tl_asprintf("question 'safe': symbol 'safe' is not a bundled symbol (no file "
	                         "%s/assets/symbols/safe.svg); check the name in "
	                         "assets/symbols/SYMBOLS.tsv", tmp);
	assert_string_equal(d.items[1].msg, want);
	assert_int_equal(d.items[1].line, 6);
	assert_int_equal(d.items[1].col, 54);
	assert_string_equal(d.items[1].file, "t.yaml");
	free(want);
	flow_destroy(f);
	diag_list_finish(&d);

	for (size_t i = 0; i < 3; i++) {
		char *p = tl_asprintf("%s/assets/symbols/%s.svg", tmp, builtin[i]);
		unlink(p);
		free(p);
	}
	rmdir(folder);
	rmdir(syms2);
	rmdir(syms);
	rmdir(tmp);
	free(folder);
	free(syms2);
	free(syms);
}

/* Clips: a short file and a file that is RIFF but not WAVE are refused; a
 * real WAV header is accepted. */
static void
test_clip_headers(void **state)
{
	(void)state;
	char tmpl[] = "/tmp/tellus-clip-XXXXXX";
	char *tmp = mkdtemp(tmpl);
	assert_non_null(tmp);
	static const struct { const char *bytes; size_t len; bool ok; } cases[] = {
		{ "RIFF\x24\0\0\0WAVEfmt ", 16, true },
		{ "RIFF\x24\0\0\0AVI LIST", 16, false },
		{ "RIFF", 4, false },
		{ "", 0, false },
	};
	char *dd = data_dir();
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *clip = tl_asprintf("%s/c.wav", tmp);
		FILE *fp = fopen(clip, "wb");
		assert_non_null(fp);
		fwrite(cases[i].bytes, 1, cases[i].len, fp);
		fclose(fp);
		char *path = tl_asprintf("%s/f.yaml", tmp);
		static const char src[] = "id: t\nversion: 1\ntitle: T\nlanguages: [en]\nquestions:\n"
		                          "  - { id: q, type: yes-no, prompt: Q?, symbol: safe, clip: c.wav }\n";
		diag_list d = { 0 };
		flow *f = NULL;
		assert_int_equal(flow_load_buffer(path, src, sizeof src - 1, &f, &d), 0);
		int errors = flow_check(f, dd, &d);
		assert_int_equal(errors, cases[i].ok ? 0 : 1);
		if (!cases[i].ok) {
			assert_string_equal(d.items[0].msg, "question 'q': clip 'c.wav' is not a WAV file "
			                    "(RIFF/WAVE); save the recording as WAV");
			assert_int_equal(d.items[0].line, 6);
		}
		flow_destroy(f);
		diag_list_finish(&d);
		unlink(clip);
		free(clip);
		free(path);
	}
	rmdir(tmp);
	free(dd);
}

/* The parser refuses backward rules; a model edited by hand must still
 * be caught, and so must a rule pointing past the end. */
static void
test_backward_rule_in_a_hand_made_model(void **state)
{
	(void)state;
	char *dd = data_dir();
	char *path = tl_asprintf("%s/flows/good/school-day.yaml", dd);
	diag_list d = { 0 };
	flow *f = load(path, &d);
	flow_question *safe = &f->questions[2];
	assert_string_equal(safe->rules[1].goto_id, "help");
	safe->rules[1].goto_index = 0; /* back to 'feeling' */
	assert_int_equal(flow_check(f, dd, &d), 1);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.items[0].msg, "skip rule jumps back to 'feeling', which could loop "
	                    "forever; rules may only jump forward");
	assert_int_equal(d.items[0].line, safe->rules[1].pos.line);
	diag_list_finish(&d);

	safe->rules[1].goto_index = 2; /* to itself */
	assert_int_equal(flow_check(f, dd, &d), 1);
	assert_string_equal(d.items[0].msg, "skip rule jumps back to 'safe', which could loop "
	                    "forever; rules may only jump forward");
	diag_list_finish(&d);

	safe->rules[1].goto_index = 9;
	assert_int_equal(flow_check(f, dd, &d), 1);
	assert_string_equal(d.items[0].msg, "question 'safe': skip rule goes to question 10, past "
	                    "the last question; use a later question's id or 'end'");
	diag_list_finish(&d);

	/* Back to normal: clean again. */
	safe->rules[1].goto_index = 3;
	assert_int_equal(flow_check(f, dd, &d), 0);
	assert_int_equal(d.n, 0);

	diag_list_finish(&d);

	flow_destroy(f);
	free(path);
	free(dd);
}

/* A question with no answers at all (only possible by hand) still passes
 * its default edge on, so what follows it stays reachable. */
static void
test_reachability_through_answerless_question(void **state)
{
	(void)state;
	char *dd = data_dir();
	char *path = tl_asprintf("%s/flows/good/school-day.yaml", dd);
	diag_list d = { 0 };
	flow *f = load(path, &d);
	flow_question *q = &f->questions[1];
	size_t saved = q->n_answers;
	q->n_answers = 0;
	assert_int_equal(flow_check(f, dd, &d), 0);
	q->n_answers = saved;
	flow_destroy(f);
	diag_list_finish(&d);
	free(path);
	free(dd);
}

/* ---- tellus check, end to end ------------------------------------------ */

struct run {
	int status;
	char *out, *err;
};

/* Runs the built binary's "check" with args, capturing both streams. */
static struct run
run_check(const char *tmp, const char *args)
{
	const char *build = getenv("TELLUS_BUILD_ROOT");
	assert_non_null(build);
	char *bin = tl_asprintf("%s/tellus", build);
	if (access(bin, X_OK) != 0)
		fprintf(stderr, "%s is not built\n", bin);
	assert_int_equal(access(bin, X_OK), 0);
	char *cmd = tl_asprintf("'%s' check %s >'%s/out' 2>'%s/err' </dev/null", bin, args, tmp, tmp);
	int st = system(cmd);
	assert_true(WIFEXITED(st));
	struct run r = { .status = WEXITSTATUS(st) };
	char *p = tl_asprintf("%s/out", tmp);
	size_t len;
	assert_int_equal(tl_read_file(p, &r.out, &len, NULL), 0);
	free(p);
	p = tl_asprintf("%s/err", tmp);
	assert_int_equal(tl_read_file(p, &r.err, &len, NULL), 0);
	free(p);
	free(cmd);
	free(bin);
	return r;
}

static void
run_finish(const char *tmp, struct run *r)
{
	free(r->out);
	free(r->err);
	char *p = tl_asprintf("%s/out", tmp);
	unlink(p);
	free(p);
	p = tl_asprintf("%s/err", tmp);
	unlink(p);
	free(p);
}

static void
test_cli_check(void **state)
{
	(void)state;
	char tmpl[] = "/tmp/tellus-cli-XXXXXX";
	char *tmp = mkdtemp(tmpl);
	assert_non_null(tmp);
	char *dd = data_dir();
	/* The fixtures' symbols live in tests/data, not the bundled ones. */
	assert_int_equal(setenv("TELLUS_DATA_DIR", dd, 1), 0);
	char *good = tl_asprintf("%s/flows/good/school-day.yaml", dd);
	char *warn = tl_asprintf("%s/flows/check/warnings.yaml", dd);
	char *bad = tl_asprintf("%s/flows/bad/unknown-type.yaml", dd);
	char *missing = tl_asprintf("%s/flows/check/missing-files.yaml", dd);

	struct run r = run_check(tmp, good);
	char *want = tl_asprintf("%s: ok\n", good);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, want);
	assert_string_equal(r.err, "");
	free(want);
	run_finish(tmp, &r);

	r = run_check(tmp, warn);
	want = tl_asprintf("%s: ok, 3 warnings\n", warn);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, want);
	free(want);
	want = tl_asprintf("%s:7:5: warning: question 'activities' has no symbol; add one so people "
	                   "who do not read can follow\n", warn);
	assert_true(strncmp(r.err, want, strlen(want)) == 0);
	free(want);
	run_finish(tmp, &r);

	char *args = tl_asprintf("%s %s %s", bad, good, missing);
	r = run_check(tmp, args);
	assert_int_equal(r.status, 1);
	want = tl_asprintf("%s: ok\n", good);
	assert_string_equal(r.out, want);
	free(want);
	want = tl_asprintf("%s:7:11: error: question 'safe': unknown type 'yesno'; use one of "
	                   "feelings, yes-no, choose-one, choose-many, sort, text, draw\n", bad);
	assert_true(strncmp(r.err, want, strlen(want)) == 0);
	free(want);
	want = tl_asprintf("%s:16:11: error: question 'where': clip 'clips/not-wav.mp3' is not a WAV "
	                   "file (RIFF/WAVE); save the recording as WAV\n", missing);
	assert_non_null(strstr(r.err, want));
	free(want);
	free(args);
	run_finish(tmp, &r);

	r = run_check(tmp, "");
	assert_int_equal(r.status, 2);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, "Usage: tellus check FILE..."));
	run_finish(tmp, &r);

	r = run_check(tmp, "--help");
	assert_int_equal(r.status, 0);
	assert_true(strncmp(r.out, "Usage: tellus check FILE...", 27) == 0);
	run_finish(tmp, &r);

	r = run_check(tmp, "--frobnicate x.yaml");
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "unknown option '--frobnicate'"));
	run_finish(tmp, &r);

	r = run_check(tmp, "/nonexistent/flow.yaml");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.err, "/nonexistent/flow.yaml: error: cannot read the file: No such "
	                    "file or directory; check the path\n");
	run_finish(tmp, &r);

	free(good);
	free(warn);
	free(bad);
	free(missing);
	free(dd);
	rmdir(tmp);
}

/* Every demo flow the kiosk ships with must check clean against the real
 * bundled symbols. An empty folder is a failure, not a pass. */
static void
test_demo_flows_check_clean(void **state)
{
	(void)state;
	const char *root = src_root();
	char *dir = tl_asprintf("%s/config/flows", root);
	DIR *dp = opendir(dir);
	size_t n = 0;
	bool clean = true;
	struct dirent *e;
	while (dp && (e = readdir(dp))) {
		size_t l = strlen(e->d_name);
		if (l < 6 || strcmp(e->d_name + l - 5, ".yaml") != 0)
			continue;
		n++;
		char *path = tl_asprintf("%s/%s", dir, e->d_name);
		diag_list d = { 0 };
		flow *f = NULL;
		int rc = flow_load(path, &f, &d);
		if (rc == 0)
			flow_check(f, root, &d);
		if (diag_count(&d, DIAG_ERROR)) {
			fprintf(stderr, "demo flow %s has errors:\n", e->d_name);
			print_diags(e->d_name, &d);
			clean = false;
		}
		flow_destroy(f);
		diag_list_finish(&d);
		free(path);
	}
	if (dp)
		closedir(dp);
	if (n == 0)
		fprintf(stderr, "no demo flows: %s has no .yaml files; the kiosk needs at least one "
		        "bundled flow (config/flows/*.yaml)\n", dir);
	free(dir);
	assert_true(n > 0);
	assert_true(clean);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_flows_check_clean),
		cmocka_unit_test(test_missing_files),
		cmocka_unit_test(test_unreachable),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_long_text),
		cmocka_unit_test(test_symbol_must_be_a_file),
		cmocka_unit_test(test_clip_headers),
		cmocka_unit_test(test_clips_by_language),
		cmocka_unit_test(test_backward_rule_in_a_hand_made_model),
		cmocka_unit_test(test_reachability_through_answerless_question),
		cmocka_unit_test(test_cli_check),
		cmocka_unit_test(test_demo_flows_check_clean),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
