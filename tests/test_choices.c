/*
 * test_choices: a choose-several answer whose labels hold everything the
 * old joined strings could not ("|", " | ", commas, quotes, newlines, Urdu,
 * emoji, HTML) goes through the store, the export (answers.csv read by
 * Python's csv, export.json by Python's json), a merge into a master
 * database and back out, and the reports (report.html read by Python's
 * html.parser), and comes out of each exactly as it went in, each chosen
 * answer under its own label.
 *
 * The answers are made by the real session machine on a flow with those
 * labels (tests/data/store/choices.yaml), plus one given straight to the
 * store with an id the flow does not have, so the report must take that
 * label from the database rather than the flow.
 */
#define _XOPEN_SOURCE 700   /* nftw, to empty the temporary folder */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "export/sessions_helper.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include "export/export.h"
#include "merge/merge.h"
#include "report/report.h"

static char tmpdir[4096];
static flow *labels_flow;

/* The answer given straight to the store: an id the flow does not have. */
static const char gone_sid[] = "5e55e55e-0000-4000-8000-00000000beef";
static const char *const gone_ids[] = { "gone", "pipe" };
static const char *const gone_labels[] = { "Old | one, \"x\"\n🎈 <b>&amp;</b>", "Draw|Paint" };

static int
setup(void **state)
{
	(void)state;
	const char *base = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/tellus-choices-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmpdir))
		return -1;
	/* helper_flow looks in config/flows; the test's flow is beside the fixtures */
	labels_flow = helper_flow("../../tests/data/store/choices");
	return labels_flow ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	flow_destroy(labels_flow);
	return rm_tree(tmpdir);
}

static char *
sub(const char *name)
{
	return tl_asprintf("%s/%s", tmpdir, name);
}

/* Python reads the export folder back and compares it with expected. */
static void
check_export_dir(const char *dir, const char *expected)
{
	const char *root = getenv("TELLUS_SOURCE_ROOT");
	assert_int_equal(sh("cd '%s' && sha256sum --quiet --strict -c SHA256SUMS", dir), 0);
	assert_int_equal(sh("python3 '%s/tests/export/check_export.py' '%s' '%s'",
	                    root, dir, expected), 0);
	char *html = tl_asprintf("%s/report.html", dir);
	assert_int_equal(sh("python3 '%s/tests/export/check_report.py' '%s' '%s'",
	                    root, html, expected), 0);
	free(html);
}

/* Every choice stored in db, one line each, in order. */
static char *
choices_of(const char *db)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h,
	        "SELECT session_id, seq, position, answer_id, answer_label FROM answer_choices"
	        " ORDER BY session_id, seq, position", -1, &s, NULL), SQLITE_OK);
	char *out = tl_strdup("");
	while (sqlite3_step(s) == SQLITE_ROW) {
		char *more = tl_asprintf("%s%s|%d|%d|%s|%s\n", out,
		        (const char *)sqlite3_column_text(s, 0), sqlite3_column_int(s, 1),
		        sqlite3_column_int(s, 2), (const char *)sqlite3_column_text(s, 3),
		        (const char *)sqlite3_column_text(s, 4));
		free(out);
		out = more;
	}
	sqlite3_finalize(s);
	sqlite3_close(h);
	return out;
}

/* The same lines from what the session machine (and the test) handed over. */
static char *
choices_expected(json_t *answers, json_t *sessions)
{
	/* sorted as SQL sorts them: by session id, seq, position */
	json_t *sorted = json_array();
	size_t i;
	json_t *a;
	json_array_foreach(answers, i, a) {
		const char *sid = json_string_value(json_object_get(a, "session_id"));
		if (strcmp(json_string_value(json_object_get(sessions, sid)), "in_progress") == 0)
			continue;
		size_t at = json_array_size(sorted);
		for (size_t k = 0; k < json_array_size(sorted); k++) {
			json_t *b = json_array_get(sorted, k);
			int c = strcmp(sid, json_string_value(json_object_get(b, "session_id")));
			if (c < 0 || (c == 0 && json_integer_value(json_object_get(a, "seq")) <
			                         json_integer_value(json_object_get(b, "seq")))) {
				at = k;
				break;
			}
		}
		json_array_insert(sorted, at, a);
	}
	char *out = tl_strdup("");
	json_array_foreach(sorted, i, a) {
		if (strcmp(json_string_value(json_object_get(a, "kind")), "chosen") != 0)
			continue;
		json_t *ids = json_object_get(a, "answer_ids"), *labels = json_object_get(a, "answer_labels");
		for (size_t k = 0; k < json_array_size(ids); k++) {
			char *more = tl_asprintf("%s%s|%d|%d|%s|%s\n", out,
			        json_string_value(json_object_get(a, "session_id")),
			        (int)json_integer_value(json_object_get(a, "seq")), (int)k,
			        json_string_value(json_array_get(ids, k)),
			        json_string_value(json_array_get(labels, k)));
			free(out);
			out = more;
		}
	}
	json_decref(sorted);
	return out;
}

/* One answer given straight to the store, and its record in expected. */
static void
add_gone_answer(store *st, json_t *answers, json_t *sessions)
{
	const flow *f = labels_flow;
	store_session s = {
		.id = gone_sid, .flow_id = f->id, .flow_version = f->version, .flow_hash = f->hash,
		.flow_source = f->source, .language = "en", .presentation = "easy-read",
		.started_wall_ms = 1795000900000LL,
	};
	tl_error e = { 0 };
	if (store_begin_session(st, &s, &e) != 0)
		fail_msg("begin: %s", e.msg);
	store_answer a = {
		.session_id = gone_sid, .seq = 1, .question_id = "things", .question_index = 0,
		.question_text = "What did you do today?", .kind = "chosen",
		.n_choices = 2, .choice_ids = gone_ids, .choice_labels = gone_labels,
		.given_wall_ms = 1795000901000LL, .time_taken_ms = 1000, .input_method = "dwell",
	};
	if (store_add_answer(st, &a, &e) != 0)
		fail_msg("answer: %s", e.msg);
	if (store_end_session(st, gone_sid, "completed", 1795000905000LL, &e) != 0)
		fail_msg("end: %s", e.msg);
	json_array_append_new(answers, json_pack("{s:s, s:i, s:s, s:i, s:s, s:s, s:[s,s], s:[s,s],"
	        " s:i, s:s}", "session_id", gone_sid, "seq", 1, "question_id", "things",
	        "question_index", 0, "question_text", "What did you do today?", "kind", "chosen",
	        "answer_ids", gone_ids[0], gone_ids[1], "answer_labels", gone_labels[0], gone_labels[1],
	        "time_taken_ms", 1000, "input_method", "dwell"));
	json_object_set_new(sessions, gone_sid, json_string("completed"));
}

static void
test_labels_round_trip(void **state)
{
	(void)state;
	char *db = sub("kiosk.db"), *stick = sub("stick"), *exp = sub("expected.json");
	store *st = NULL;
	assert_int_equal(store_open(db, NULL, &st, NULL), 0);
	maker m;
	assert_int_equal(maker_init(&m, st, labels_flow, 1795000000000LL), 0);
	play(&m, "c0c1c2c3c4c5dc0");   /* every picture; yes */
	play(&m, "c1c4c5dx");          /* "Art | Craft", Urdu, emoji; declined */
	play(&m, "sc1");               /* skipped; no */
	play(&m, "c2dbc2c3dc0");       /* changed to "Two\nlines...": only the last counts */
	play(&m, "c0c1dw");            /* then walks away: unfinished, still counted */
	json_t *answers = json_copy(m.answers), *sessions = json_copy(m.sessions);
	maker_finish(&m);
	add_gone_answer(st, answers, sessions);

	/* the store: each chosen answer its own row, label as given */
	char *want = choices_expected(answers, sessions);
	char *got = choices_of(db);
	assert_string_equal(got, want);
	free(got);
	assert_non_null(strstr(want, "|1|0|pipe|Draw|Paint\n"));
	assert_non_null(strstr(want, "|1|1|spaced|Art | Craft\n"));
	assert_non_null(strstr(want, "|1|3|lines|Two\nlines, 'single' too\n"));
	store_close(st);

	/* the export, read back by Python's csv and json, and its report */
	json_t *doc = json_pack("{s:O, s:O}", "answers", answers, "sessions", sessions);
	assert_int_equal(json_dump_file(doc, exp, JSON_INDENT(1)), 0);
	json_decref(doc);
	mkdir(stick, 0755);
	export_options eo = { .db_path = db, .to_dir = stick, .mark_exported = true };
	export_result res;
	tl_error err = { 0 };
	if (export_run(&eo, &res, &err) != 0)
		fail_msg("export: %s", err.msg);
	assert_int_equal(res.sessions, 6);
	check_export_dir(res.path, exp);

	/* merged into a master database: the same rows */
	char *master = sub("master.db");
	store *ms = NULL;
	assert_int_equal(store_open(master, NULL, &ms, NULL), 0);
	merge_result mr;
	tl_error me = { 0 };
	if (merge_export(ms, res.path, &mr, &me) != 0)
		fail_msg("merge: %s", me.msg);
	assert_false(mr.refused);
	assert_int_equal(mr.sessions_new, 6);
	/* a second merge of the same export changes nothing */
	char before[65], after[65];
	db_digest(master, before);
	assert_int_equal(merge_export(ms, res.path, &mr, NULL), 0);
	assert_int_equal(mr.sessions_present, 6);
	db_digest(master, after);
	assert_string_equal(before, after);
	store_close(ms);
	got = choices_of(master);
	assert_string_equal(got, want);
	free(got);
	assert_int_equal(db_count(master, "SELECT count(*) FROM answers"), res.answers);

	/* the master's own report (SQL counts, not the export's tally) */
	char *html = sub("master-report.html");
	report_options ro = { 0 };
	report_people people = { .total = 0 };
	tl_error re = { 0 };
	if (report_write_file(master, html, &ro, &people, &re) != 0)
		fail_msg("report: %s", re.msg);
	assert_int_equal(people.total, 6);
	assert_int_equal(sh("python3 '%s/tests/export/check_report.py' '%s' '%s'",
	                    getenv("TELLUS_SOURCE_ROOT"), html, exp), 0);

	/* and out again from the master: still the same */
	char *stick2 = sub("stick2");
	mkdir(stick2, 0755);
	export_options eo2 = { .db_path = master, .to_dir = stick2, .all = true,
	                       .mark_exported = true };
	if (export_run(&eo2, &res, &err) != 0)
		fail_msg("export of the master: %s", err.msg);
	check_export_dir(res.path, exp);

	free(stick2);
	free(html);
	free(master);
	free(want);
	json_decref(answers);
	json_decref(sessions);
	free(exp);
	free(stick);
	free(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_labels_round_trip, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
