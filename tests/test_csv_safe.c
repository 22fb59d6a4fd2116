/*
 * test_csv_safe: a CSV cell that would run as a spreadsheet formula is
 * written as text (export_csv.c, OWASP's leading apostrophe), and only in
 * the CSV: export.json, and so a merge, keeps the true value.
 *
 * Read back by Python's csv module (tests/export/check_csv_safe.py): a
 * label =HYPERLINK("http://x","y") comes out as '=HYPERLINK("http://x","y"),
 * and the same for +, -, @, a tab and a carriage return at the start of a
 * label or a question.
 */
#define _XOPEN_SOURCE 700   /* nftw, to empty the temporary folder */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* only sh, db_count and rm_tree of the helper are used here */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "export/sessions_helper.h"
#pragma GCC diagnostic pop

#include <sys/stat.h>

#include "export/export.h"
#include "merge/merge.h"

static char tmpdir[4096];

static const char *const ids[] = { "link", "plus", "minus", "at", "tab", "cr", "plain" };
static const char *const labels[] = {
	"=HYPERLINK(\"http://x\",\"y\")", "+1 more", "-5", "@SUM(A1)", "\tTabbed", "\rCarriage",
	"Happy, really",
};
#define N_LABELS (sizeof labels / sizeof labels[0])

static void
add_session(store *st, const char *sid, const char *question, int64_t wall)
{
	store_session s = {
		.id = sid, .flow_id = "formulas", .flow_version = 1, .flow_hash = "0123abcd",
		.flow_source = "id: formulas\n", .language = "en", .presentation = "easy-read",
		.started_wall_ms = wall,
	};
	tl_error e;
	if (store_begin_session(st, &s, &e) != 0)
		fail_msg("begin: %s", e.msg);
	store_answer a = {
		.session_id = sid, .seq = 1, .question_id = "what", .question_index = 0,
		.question_text = question, .kind = "chosen",
		.n_choices = N_LABELS, .choice_ids = ids, .choice_labels = labels,
		.given_wall_ms = wall + 1000, .time_taken_ms = 1000, .input_method = "touch",
	};
	if (store_add_answer(st, &a, &e) != 0)
		fail_msg("answer: %s", e.msg);
	if (store_end_session(st, sid, "completed", wall + 5000, &e) != 0)
		fail_msg("end: %s", e.msg);
}

static void
test_formulas_are_text(void **state)
{
	(void)state;
	char *db = tl_asprintf("%s/kiosk.db", tmpdir), *stick = tl_asprintf("%s/stick", tmpdir);
	char *master = tl_asprintf("%s/master.db", tmpdir);
	mkdir(stick, 0755);
	store *st = NULL;
	assert_int_equal(store_open(db, NULL, &st, NULL), 0);
	add_session(st, "5e55a0b1-0000-4000-8000-000000000001", "=1+1 what did you like?",
	            1795000000000LL);
	add_session(st, "5e55a0b1-0000-4000-8000-000000000002", "@home or -away?", 1795000100000LL);
	store_close(st);
	export_options opt = { .db_path = db, .to_dir = stick, .mark_exported = true };
	export_result res;
	tl_error e;
	if (export_run(&opt, &res, &e) != 0)
		fail_msg("export: %s", e.msg);
	assert_int_equal(sh("python3 '%s/tests/export/check_csv_safe.py' '%s'",
	                    getenv("TELLUS_SOURCE_ROOT"), res.path), 0);
	/* the exact cell, the way the issue names it */
	assert_int_equal(sh("python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1],"
	                    " newline=\"\", encoding=\"utf-8-sig\")));"
	                    " sys.exit(0 if r[0][\"answer_label\"] == \"\\x27=HYPERLINK(\\\"http://x\\\",\\\"y\\\")\" else 1)'"
	                    " '%s/answers.csv'", res.path), 0);
	/* merge reads export.json: the true values come back */
	store *m = NULL;
	assert_int_equal(store_open(master, NULL, &m, NULL), 0);
	merge_result r;
	if (merge_export(m, res.path, &r, &e) != 0)
		fail_msg("merge: %s", e.msg);
	store_close(m);
	assert_int_equal(db_count(master, "SELECT count(*) FROM answer_choices WHERE answer_label"
	                                  " = '=HYPERLINK(\"http://x\",\"y\")'"), 2);
	assert_int_equal(db_count(master, "SELECT count(*) FROM answer_choices WHERE answer_label"
	                                  " = char(9) || 'Tabbed'"), 2);
	assert_int_equal(db_count(master, "SELECT count(*) FROM answers WHERE question_text"
	                                  " = '@home or -away?'"), 1);
	free(db);
	free(stick);
	free(master);
}

static int
setup(void **state)
{
	(void)state;
	const char *base = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/tellus-csv-XXXXXX", base && *base ? base : "/tmp");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	return rm_tree(tmpdir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formulas_are_text),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
