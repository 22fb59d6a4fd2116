/*
 * test_merge: an export is only merged when its SHA256SUMS check out.
 *
 * What must hold: one changed byte in any file, a missing SHA256SUMS, a
 * missing file, a file left out of the sums, a sums line that points
 * outside the folder, or export.json that is not an export: refused with a
 * reason, the master database's content unchanged. Good exports from two
 * kiosks merge, twice without change, and counts add up.
 */
#define _XOPEN_SOURCE 700   /* nftw, to empty the temporary folder */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "export/sessions_helper.h"

#include <sys/stat.h>
#include <unistd.h>

#include "export/export.h"
#include "merge/merge.h"

static char tmpdir[4096];
static flow *school;
static char good[2][4096];   /* two kiosks' exports */

static int
make_export(int k, const char *script, int people)
{
	char *db = tl_asprintf("%s/kiosk%d.db", tmpdir, k);
	char *stick = tl_asprintf("%s/stick%d", tmpdir, k);
	mkdir(stick, 0755);
	store *st = NULL;
	char err[1024];
	tl_error e = { 0 };
	int rc = store_open(db, NULL, &st, &e);
	if (rc != 0)
		snprintf(err, sizeof err, "%s", e.msg);
	maker m;
	if (rc == 0)
		rc = maker_init(&m, st, school, 1795000000000LL + k * 1000000LL);
	for (int i = 0; rc == 0 && i < people; i++)
		play(&m, script);
	if (rc == 0)
		maker_finish(&m);
	store_close(st);
	export_options opt = { .db_path = db, .to_dir = stick, .mark_exported = true };
	export_result res;
	if (rc == 0 && (rc = export_run(&opt, &res, &e)) != 0)
		snprintf(err, sizeof err, "%s", e.msg);
	if (rc == 0 && res.sessions != people) {
		snprintf(err, sizeof err, "%lld sessions exported, not %d", (long long)res.sessions, people);
		rc = -1;
	}
	if (rc == 0)
		snprintf(good[k], sizeof good[k], "%s", res.path);
	else
		fprintf(stderr, "export: %s\n", err);
	free(db);
	free(stick);
	return rc;
}

static int
setup(void **state)
{
	(void)state;
	const char *base = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/tellus-merge-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmpdir) || !(school = helper_flow("school-day")))
		return -1;
	if (make_export(0, "c3c0c2dsxc1", 3) != 0 || make_export(1, "c1c4dbdc2c0", 2) != 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	flow_destroy(school);
	return rm_tree(tmpdir);
}

/* A copy of good export k to break. Caller frees. */
static char *
copy_of(int k, const char *name)
{
	char *dir = tl_asprintf("%s/%s", tmpdir, name);
	assert_int_equal(sh("rm -rf '%s' && cp -r '%s' '%s'", dir, good[k], dir), 0);
	return dir;
}

/* Signs dir's SHA256SUMS again with kiosk k's own key, as that kiosk
 * would, with minisign itself: for the cases below that edit an export and
 * sum it again, so that only the check they are about stands between the
 * file and the database. */
static void
resign(const char *dir, int k)
{
	assert_int_equal(sh("cd '%s' && tc=\"$(sed -n 's/^trusted comment: //p' SHA256SUMS.minisig)\""
	                    " && rm SHA256SUMS.minisig && minisign -S -s '%s/kiosk%d.db-kiosk.key'"
	                    " -m SHA256SUMS -t \"$tc\" > /dev/null", dir, tmpdir, k), 0);
}

static char *
master_path(const char *name)
{
	return tl_asprintf("%s/%s", tmpdir, name);
}

static void
expect_refused(const char *master, const char *dir, const char *why)
{
	store *st = NULL;
	char before[65], after[65];
	assert_int_equal(store_open(master, NULL, &st, NULL), 0);
	db_digest(master, before);
	merge_result r;
	tl_error e;
	assert_int_equal(merge_export(st, dir, &r, &e), -1);
	assert_true(r.refused);
	assert_int_equal(r.sessions_new, 0);
	if (!strstr(e.msg, why))
		fail_msg("reason '%s' does not say '%s'", e.msg, why);
	assert_string_equal(r.why.msg, e.msg);
	store_close(st);
	db_digest(master, after);
	assert_string_equal(before, after);
}

static void
test_tampered(void **state)
{
	(void)state;
	char *master = master_path("tamper.db");
	/* one byte of answers.csv */
	char *d = copy_of(0, "one-byte");
	char *f = tl_asprintf("%s/answers.csv", d);
	FILE *fp = fopen(f, "r+b");
	assert_non_null(fp);
	fseek(fp, 200, SEEK_SET);
	int c = fgetc(fp);
	fseek(fp, 200, SEEK_SET);
	fputc(c ^ 0x20, fp);
	fclose(fp);
	expect_refused(master, d, "answers.csv has been changed");
	assert_int_equal(merge_verify(d, NULL), -1);
	free(f);
	free(d);

	/* one byte of export.json (what merge reads) */
	d = copy_of(0, "json-byte");
	assert_int_equal(sh("sed -i 's/\"kind\":\"chosen\"/\"kind\":\"chosem\"/' '%s/export.json'", d), 0);
	expect_refused(master, d, "export.json has been changed");
	free(d);

	/* no SHA256SUMS: an export that never finished */
	d = copy_of(0, "no-sums");
	assert_int_equal(sh("rm '%s/SHA256SUMS'", d), 0);
	expect_refused(master, d, "no SHA256SUMS");
	free(d);

	/* a file removed */
	d = copy_of(0, "no-report");
	assert_int_equal(sh("rm '%s/report.html'", d), 0);
	expect_refused(master, d, "report.html is missing");
	free(d);

	/* a file and its line removed: the sums still match, but it is not whole */
	d = copy_of(0, "unlisted");
	assert_int_equal(sh("cd '%s' && rm sessions.csv && grep -v sessions.csv SHA256SUMS > s && mv s SHA256SUMS", d), 0);
	resign(d, 0);
	expect_refused(master, d, "does not list sessions.csv");
	free(d);

	/* a sums line that points outside the folder */
	d = copy_of(0, "escape");
	assert_int_equal(sh("cd '%s' && sha256sum ../kiosk0.db >> SHA256SUMS", d), 0);
	resign(d, 0);
	expect_refused(master, d, "not a file of an export");
	free(d);

	/* sums cut short */
	d = copy_of(0, "cut");
	assert_int_equal(sh("cd '%s' && truncate -s -1 SHA256SUMS", d), 0);
	resign(d, 0);
	expect_refused(master, d, "cut short");
	free(d);

	/* consistent sums over a JSON that is not an export: refused on reading */
	d = copy_of(0, "not-export");
	assert_int_equal(sh("cd '%s' && echo '{\"format\":\"something-else\"}' > export.json"
	                    " && sha256sum sessions.csv answers.csv export.json report.html > SHA256SUMS", d), 0);
	resign(d, 0);
	expect_refused(master, d, "not a Tellus export");
	free(d);

	/* consistent sums over an export whose answer breaks the schema: the
	 * whole export rolls back */
	d = copy_of(0, "bad-kind");
	assert_int_equal(sh("cd '%s' && sed -i '$!s/\"kind\":\"skipped\"/\"kind\":\"guessed\"/' export.json"
	                    " && sha256sum sessions.csv answers.csv export.json report.html > SHA256SUMS", d), 0);
	resign(d, 0);
	expect_refused(master, d, "refuses");
	free(d);
	assert_int_equal(db_count(master, "SELECT count(*) FROM sessions"), 0);
	assert_int_equal(db_count(master, "SELECT count(*) FROM answers"), 0);
	free(master);
}

static size_t
refused_of(const merge_result *r, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += r[i].refused;
	return k;
}

/* Copies of good export 0, one per change, each with export.json
 * rewritten by its change (Python: tests/merge/rewrite_export.py) and its
 * sums made to match again, so that only the reader stands between that
 * file and the database. dirs[i] (caller frees each) is change i's copy. */
static void
rewritten(const char *const *names, const char *const *changes, size_t n, char **dirs)
{
	json_t *cases = json_array();
	for (size_t i = 0; i < n; i++) {
		dirs[i] = tl_asprintf("%s/%s", tmpdir, names[i]);
		json_array_append_new(cases, json_pack("{s:s, s:s}", "dir", dirs[i],
		                                       "change", changes[i]));
	}
	char *list = tl_asprintf("%s/cases.json", tmpdir);
	assert_int_equal(json_dump_file(cases, list, 0), 0);
	json_decref(cases);
	assert_int_equal(sh("python3 '%s/tests/merge/rewrite_export.py' '%s' '%s'",
	                    getenv("TELLUS_SOURCE_ROOT"), good[0], list), 0);
	free(list);
	for (size_t i = 0; i < n; i++)
		resign(dirs[i], 0);
}

/* export.json files no Tellus wrote, each with sums that check out: every
 * one refused with its reason, nothing added. */
static const struct {
	const char *name, *change, *why;
} hostile[] = {
	/* wrong types */
	{ "t-version-text", "j['sessions'][0]['flow_version'] = '1'",
	  "export.json: a session has no number 'flow_version'" },
	{ "t-seq-real", "j['sessions'][1]['answers'][0]['seq'] = 1.5",
	  "export.json: an answer has no number 'seq'" },
	{ "t-kiosk-number", "j['sessions'][0]['kiosk_id'] = 5",
	  "export.json: a session has no text 'kiosk_id'" },
	{ "t-kind-null", "j['sessions'][0]['answers'][2]['kind'] = None",
	  "export.json: an answer has no text 'kind'" },
	{ "t-ids-text", "j['sessions'][0]['answers'][0]['answer_ids'] = 'happy'",
	  "export.json: an answer has no list of answers" },
	{ "t-ids-number", "j['sessions'][0]['answers'][0]['answer_labels'] = [1]",
	  "an answer in a list is not text" },
	{ "t-session-list", "j['sessions'][1] = []", "a session or answer is not an object" },
	{ "t-answer-text", "j['sessions'][1]['answers'][1] = 'happy'",
	  "a session or answer is not an object" },
	{ "t-answers-object", "j['sessions'][2]['answers'] = {}", "has no answers list" },
	{ "t-sessions-object", "j['sessions'] = {}", "sessions is not a list" },
	{ "t-flows-text", "j['flows'] = 'school-day'", "flows is not a list" },
	{ "t-flow-number", "j['flows'].append(7)", "export.json: a flow is not an object" },
	{ "t-flow-version", "j['flows'][0]['version'] = True", "a flow has no number 'version'" },
	{ "t-format-version", "j['format_version'] = 4", "not format version 1 to 3" },
	{ "t-top-list", "raw = b'[1, 2]'", "it is not a JSON object" },
	/* missing fields */
	{ "m-status", "del j['sessions'][2]['status']", "a session has no text 'status'" },
	{ "m-given-at", "del j['sessions'][0]['answers'][3]['given_at']",
	  "an answer has no text 'given_at'" },
	{ "m-answers", "del j['sessions'][0]['answers']", "has no answers list" },
	{ "m-sessions", "del j['sessions']", "not a Tellus export" },
	{ "m-format", "del j['format']", "not a Tellus export" },
	/* huge numbers */
	{ "n-huge-int", "raw = json.dumps(j).replace('\"seq\": 1,', '\"seq\": 123456789012345678901234567890,', 1).encode()",
	  "a number is too big" },
	{ "n-huge-real", "raw = json.dumps(j).replace('\"time_taken_ms\": ', '\"time_taken_ms\": 1e999', 1).encode()",
	  "a number is too big" },
	/* not UTF-8, NUL */
	{ "u-byte", "raw = json.dumps(j, ensure_ascii=False).encode().replace(b'How was today?', b'How was t\\xffday?', 1)",
	  "a text is not UTF-8" },
	{ "u-overlong", "raw = json.dumps(j, ensure_ascii=False).encode().replace(b'How was today?', b'How was \\xc0\\xafday?', 1)",
	  "a text is not UTF-8" },
	{ "u-surrogate", "raw = json.dumps(j).replace('How was today?', 'How was \\\\ud800day?', 1).encode()",
	  "export.json cannot be read" },
	{ "u-nul-escape", "raw = json.dumps(j).replace('How was today?', 'How was \\\\u0000day?', 1).encode()",
	  "a text holds a NUL character" },
	{ "u-nul-byte", "raw = json.dumps(j).encode().replace(b'How was today?', b'How was \\x00day?', 1)",
	  "export.json cannot be read" },
	/* nesting bombs, in a key merge does not read and in one it does */
	{ "b-lists", "raw = b'{\"format\":\"tellus-export\",\"x\":' + b'[' * 100000 + b']' * 100000 + b',\"sessions\":[]}'",
	  "it is nested too deeply" },
	{ "b-objects", "raw = json.dumps(j).encode()[:-1] + b',\"x\":' + b'{\"a\":' * 50000 + b'1' + b'}' * 50000 + b'}'",
	  "it is nested too deeply" },
	{ "b-open", "raw = b'{\"format\":\"tellus-export\",\"sessions\":' + b'[' * 3000", "nested too deeply" },
	/* cut short, and more after the end */
	{ "c-half", "raw = json.dumps(j).encode(); raw = raw[:len(raw) // 2]", "it is cut short" },
	{ "c-last-brace", "raw = json.dumps(j).encode().rstrip()[:-1]", "it is cut short" },
	{ "c-empty", "raw = b''", "export.json cannot be read (it is empty)" },
	{ "c-after", "raw = json.dumps(j).encode() + b' {}'", "something follows the export" },
	/* the same key twice: which one counts would be a guess */
	{ "d-twice", "raw = json.dumps(j).replace('\"status\": ', '\"status\": \"completed\", \"status\": ', 1).encode()",
	  "a key is there twice in one object" },
	/* JSON5 and other near-JSON */
	{ "j-trailing-comma", "raw = json.dumps(j).replace('}]', '},]', 1).encode()", "export.json cannot be read" },
	{ "j-single-quotes", "raw = json.dumps(j).replace('\"kind\"', \"'kind'\", 1).encode()",
	  "export.json cannot be read" },
};

static void
test_hostile(void **state)
{
	(void)state;
	char *master = master_path("hostile.db");
	enum { N = sizeof hostile / sizeof hostile[0] };
	const char *names[N + 1], *changes[N + 1];
	char *dirs[N + 1];
	for (size_t i = 0; i < N; i++) {
		names[i] = hostile[i].name;
		changes[i] = hostile[i].change;
	}
	/* and one that must merge: keys merge does not know are passed over,
	 * whatever they hold, so a later Tellus may add some */
	names[N] = "unknown-keys";
	changes[N] = "j['x'] = {'a': [1, 2.5, None, True, {'b': 'c'}]}\n"
	             "for s in j['sessions']:\n"
	             "    s['mood'] = [[[]]]\n"
	             "    for a in s['answers']: a['colour'] = 1e300\n";
	rewritten(names, changes, N + 1, dirs);
	for (size_t i = 0; i < N; i++) {
		expect_refused(master, dirs[i], hostile[i].why);
		free(dirs[i]);
	}
	/* over the size limit: refused before it is read or hashed (a sparse
	 * file, its old sum left in SHA256SUMS) */
	char *d = copy_of(0, "too-big");
	assert_int_equal(sh("truncate -s %d '%s/export.json'", MERGE_JSON_MAX + 1, d), 0);
	expect_refused(master, d, "export.json is too big to merge: it is over 512 MB");
	free(d);
	/* a FIFO where export.json should be: refused, not waited on */
	d = copy_of(0, "fifo");
	assert_int_equal(sh("cd '%s' && rm export.json && mkfifo export.json", d), 0);
	expect_refused(master, d, "export.json cannot be read (it is not a plain file)");
	free(d);
	assert_int_equal(db_count(master, "SELECT count(*) FROM sessions"), 0);
	assert_int_equal(db_count(master, "SELECT count(*) FROM answers"), 0);
	assert_int_equal(db_count(master, "SELECT count(*) FROM flows"), 0);

	d = dirs[N];
	store *st = NULL;
	assert_int_equal(store_open(master, NULL, &st, NULL), 0);
	merge_result r;
	tl_error e;
	assert_int_equal(merge_export(st, d, &r, &e), 0);
	assert_false(r.refused);
	assert_int_equal(r.sessions_new, 3);
	store_close(st);
	free(d);
	free(master);
}

static void
test_two_kiosks(void **state)
{
	(void)state;
	char *master = master_path("two.db");
	store *st = NULL;
	assert_int_equal(store_open(master, NULL, &st, NULL), 0);
	char *broken = copy_of(1, "broken");
	assert_int_equal(sh("echo >> '%s/sessions.csv'", broken), 0);
	const char *dirs[] = { good[0], broken, good[1], good[0] };
	merge_result r[4];
	tl_error e;
	assert_int_equal(merge_many(st, dirs, 4, r, &e), -1);
	assert_int_equal(refused_of(r, 4), 1);
	assert_non_null(strstr(e.msg, "1 of 4 exports was refused"));
	assert_int_equal(r[0].sessions_new, 3);
	assert_true(r[1].refused);
	assert_int_equal(r[2].sessions_new, 2);
	assert_int_equal(r[3].sessions_new, 0);
	assert_int_equal(r[3].sessions_present, 3);
	assert_int_equal(db_count(master, "SELECT count(*) FROM sessions"), 5);
	assert_int_equal(db_count(master, "SELECT count(DISTINCT kiosk_id) FROM sessions"), 2);
	assert_int_equal(db_count(master, "SELECT count(*) FROM answers"),
	                 r[0].answers_new + r[2].answers_new);
	assert_int_equal(db_count(master, "SELECT count(*) FROM sessions WHERE exported_at IS NOT NULL"), 0);
	char before[65], after[65];
	db_digest(master, before);
	assert_int_equal(merge_many(st, dirs, 4, r, NULL), -1);
	assert_int_equal(refused_of(r, 4), 1);
	assert_int_equal(r[0].sessions_new + r[2].sessions_new, 0);
	db_digest(master, after);
	assert_string_equal(before, after);
	store_close(st);
	free(broken);
	free(master);
}

static void
test_cli(void **state)
{
	(void)state;
	/* the binary, as a forum lead would run it */
	const char *build = getenv("TELLUS_BUILD_ROOT");
	char *master = master_path("cli.db"), *html = master_path("cli.html");
	char *out = master_path("cli.out");
	assert_int_equal(sh("'%s/tellus' merge --into '%s' '%s' '%s' > '%s'", build, master,
	                    good[0], good[1], out), 0);
	assert_int_equal(sh("grep -q 'Total: 5 sessions new, 0 already there, 0 exports refused' '%s'", out), 0);
	assert_int_equal(sh("'%s/tellus' merge --into '%s' '%s' > '%s'", build, master, good[0], out), 0);
	assert_int_equal(sh("grep -q 'Total: 0 sessions new, 3 already there' '%s'", out), 0);
	char *broken = copy_of(0, "cli-broken");
	assert_int_equal(sh("rm '%s/SHA256SUMS'", broken), 0);
	assert_int_equal(sh("'%s/tellus' merge --into '%s' '%s' > '%s'", build, master, broken, out), 1);
	assert_int_equal(sh("grep -q 'refused, nothing added' '%s'", out), 0);
	assert_int_equal(sh("'%s/tellus' report --db '%s' --out '%s' > /dev/null", build, master, html), 0);
	assert_int_equal(sh("grep -q 'Did you feel safe?' '%s'", html), 0);
	char *stick = master_path("cli-stick");
	mkdir(stick, 0755);
	assert_int_equal(sh("'%s/tellus' export --db '%s' --to '%s' --all > '%s'", build, master, stick, out), 0);
	assert_int_equal(sh("grep -q 'Safe to remove: 5 sessions' '%s'", out), 0);
	assert_int_equal(sh("cd \"$(grep TELLUS '%s')\" && sha256sum --quiet -c SHA256SUMS", out), 0);
	assert_int_equal(sh("'%s/tellus' export --db '%s' --to '%s' > '%s'", build, master, stick, out), 0);
	assert_int_equal(sh("grep -q 'Nothing new to export' '%s'", out), 0);
	free(stick);
	free(broken);
	free(master);
	free(html);
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tampered),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_two_kiosks),
		cmocka_unit_test(test_cli),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
