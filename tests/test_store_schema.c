/*
 * test_store_schema: migrating a database made by an older Tellus.
 *
 * What must hold: a version-1 database (tests/data/store/v1.sql, its schema
 * verbatim and made-up data) comes out at the current version with every
 * answer and session as it was, and each chosen answer its own row, its
 * label found by the rules in store_schema.c; a migration that fails part
 * way leaves version 1 exactly as it was.
 */
#define _XOPEN_SOURCE 700   /* nftw, to empty the temporary folder */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/store_helper.h"

/* tests/data/store/v1.sql (a version-1 database) made into a file. */
static void
make_v1(const char *path, const char *extra_sql)
{
	const char *root = getenv("TELLUS_SOURCE_ROOT");
	char *fixture = tl_path_join(root && *root ? root : ".", "tests/data/store/v1.sql");
	char *sql = NULL;
	size_t len = 0;
	assert_int_equal(tl_read_file(fixture, &sql, &len, NULL), 0);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", fixture, msg);
	if (extra_sql)
		assert_int_equal(sqlite3_exec(db, extra_sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	free(sql);
	free(fixture);
}

static void
test_migrate_v1_keeps_every_answer(void **state)
{
	(void)state;
	char *path = tpath("old.db");
	make_v1(path, NULL);
	static const char every_answer[] =
	        "SELECT id, session_id, seq, question_id, question_index, question_text,"
	        " kind, given_at, time_taken_ms, input_method FROM answers ORDER BY id";
	sqlite3 *raw = NULL;
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	char *before = q_rows(raw, every_answer);
	char *sessions_before = q_rows(raw, "SELECT * FROM sessions ORDER BY id");
	sqlite3_close(raw);

	store *st = open_ok(path, NULL);
	sqlite3 *db = store_db(st);
	assert_int_equal(store_user_version(st), STORE_SCHEMA_VERSION);
	assert_string_equal(store_kiosk_id(st), "kiosk-0ld0ne01");
	/* every answer and session is there as it was */
	char *after = q_rows(db, every_answer);
	assert_string_equal(after, before);
	char *sessions_after = q_rows(db, "SELECT * FROM sessions ORDER BY id");
	assert_string_equal(sessions_after, sessions_before);
	assert_int_equal(q_int(db, "SELECT count(*) FROM pragma_table_info('answers')"
	                           " WHERE name IN ('answer_ids','answer_labels')"), 0);

	/* and every chosen answer is its own row */
	char *choices = q_rows(db, "SELECT session_id, seq, position, answer_id, answer_label"
	                           " FROM answer_choices ORDER BY session_id, seq, position");
	assert_string_equal(choices,
	        /* cut cleanly at " | " */
	        "s1-en|1|0|play|Playing\n"
	        "s1-en|1|1|music|Music\n"
	        /* three pieces for two ids: looked up again in the stored flow */
	        "s1-en|2|0|play|Playing\n"
	        "s1-en|2|1|art|Art | Craft\n"
	        /* an id the flow does not have: joined text kept on the first */
	        "s1-en|4|0|art|Art | Craft | Music | Myst\n"
	        "s1-en|4|1|music|\n"
	        "s1-en|4|2|mystery|\n"
	        /* cut short: looked up again, in the session's language */
	        "s2-ur|1|0|play|کھیل\n"
	        "s2-ur|1|1|art|فن\n"
	        "s2-ur|1|2|music|موسیقی\n"
	        /* no flow stored for the session */
	        "s3-gone|1|0|a|A | B | C\n"
	        "s3-gone|1|1|b|\n"
	        "s3-gone|2|0|solo|Only | one\n"
	        "s3-gone|3|0|yes|\n");
	assert_int_equal(q_int(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	char *ok = q_text(db, "PRAGMA integrity_check");
	assert_string_equal(ok, "ok");
	free(ok);

	/* version 3: the two new ends are taken, anything else still refused,
	 * and the rebuilt sessions table kept its indexes */
	assert_int_equal(store_end_session(st, "s1-en", "interrupted", 1767225600000, NULL), 0);
	assert_int_equal(store_end_session(st, "s2-ur", "completed_early", 1767225600000, NULL), 0);
	assert_int_not_equal(sqlite3_exec(db, "UPDATE sessions SET status = 'lost'"
	                                      " WHERE id = 's1-en'", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(q_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
	                           " AND name IN ('sessions_by_exported','sessions_by_started')"), 2);
	assert_int_equal(q_int(db, "PRAGMA foreign_keys"), 1);
	assert_int_equal(q_int(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);

	/* version 4: merge's memory of keys, empty on a kiosk, every row kept */
	assert_int_equal(q_int(db, "SELECT count(*) FROM kiosk_keys"), 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM session_keys"), 0);
	assert_int_equal(sqlite3_exec(db, "INSERT INTO kiosk_keys VALUES('k', 'RWQ', 'now')",
	                              NULL, NULL, NULL), SQLITE_OK);

	/* the migrated file takes new answers, and a second open migrates nothing */
	store_answer a = demo_answer("s1-en", 5, "things", ONE("art", "Art | Craft"));
	assert_int_equal(store_add_answer(st, &a, NULL), 0);
	store_close(st);
	st = open_ok(path, NULL);
	assert_int_equal(q_int(store_db(st), "SELECT count(*) FROM answer_choices"), 15);
	assert_int_equal(store_count_answers(st), 10);
	store_close(st);
	free(choices);
	free(sessions_after);
	free(after);
	free(sessions_before);
	free(before);
	free(path);
}

static void
test_migrate_failure_leaves_v1(void **state)
{
	(void)state;
	/* a table in the way makes the step to version 2 fail part-way */
	char *path = tpath("old.db");
	make_v1(path, "CREATE TABLE answer_choices(x);");
	store *st = NULL;
	tl_error e = { 0 };
	assert_int_equal(store_open(path, NULL, &st, &e), -1);
	assert_null(st);
	assert_non_null(strstr(e.msg, "step to version 2"));
	sqlite3 *raw = NULL;
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	assert_int_equal(q_int(raw, "PRAGMA user_version"), 1);
	assert_int_equal(q_int(raw, "SELECT count(*) FROM answers"), 9);
	char *t = q_text(raw, "SELECT answer_labels FROM answers WHERE id = 2");
	assert_string_equal(t, "Playing | Art | Craft");
	free(t);
	sqlite3_close(raw);
	free(path);
}

/* A version-4 database: a current one with what versions 5 and 6 added
 * taken off again (the columns of sort answers and typed text, the drawings table),
 * holding answers made the way version 3 made them. Migrating it keeps
 * every row, and the new columns are NULL on the old rows. */
static void
test_migrate_v4_keeps_every_row(void **state)
{
	(void)state;
	char *path = tpath("v4.db");
	make_v1(path, NULL);
	store *st = open_ok(path, NULL);
	store_close(st);
	sqlite3 *raw = NULL;
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw,
	        "DROP TABLE answer_drawings;"
	        "DROP INDEX answers_latest; DROP INDEX sessions_by_event;"
	        "ALTER TABLE answer_choices DROP COLUMN sort_column;"
	        "ALTER TABLE answer_choices DROP COLUMN sort_column_label;"
	        "ALTER TABLE answers DROP COLUMN typed_text;"
	        "PRAGMA user_version = 4;", NULL, NULL, NULL), SQLITE_OK);
	static const char every_answer[] = "SELECT * FROM answers ORDER BY id";
	static const char every_choice[] =
	        "SELECT * FROM answer_choices ORDER BY session_id, seq, position";
	static const char every_session[] = "SELECT * FROM sessions ORDER BY id";
	char *answers = q_rows(raw, every_answer);
	char *choices = q_rows(raw, every_choice);
	char *sessions = q_rows(raw, every_session);
	sqlite3_close(raw);

	st = open_ok(path, NULL);
	sqlite3 *db = store_db(st);
	assert_int_equal(store_user_version(st), STORE_SCHEMA_VERSION);
	/* every old row is there, the new columns added at the end and NULL */
	char *a2 = q_rows(db, "SELECT id, session_id, seq, question_id, question_index,"
	                      " question_text, kind, given_at, time_taken_ms, input_method"
	                      " FROM answers ORDER BY id");
	char *c2 = q_rows(db, "SELECT session_id, seq, position, answer_id, answer_label"
	                      " FROM answer_choices ORDER BY session_id, seq, position");
	char *s2 = q_rows(db, every_session);
	assert_string_equal(a2, answers);
	assert_string_equal(c2, choices);
	assert_string_equal(s2, sessions);
	assert_int_equal(q_int(db, "SELECT count(*) FROM answers WHERE typed_text IS NOT NULL"), 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM answer_choices WHERE sort_column IS NOT NULL"), 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM answer_drawings"), 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	char *ok = q_text(db, "PRAGMA integrity_check");
	assert_string_equal(ok, "ok");
	free(ok);
	/* and it takes a sort answer with its columns */
	const char *ids[] = { "bus", "lunch", "music" }, *labels[] = { "Bus", "Lunch", "Music" };
	const char *cols[] = { "like", "dislike", STORE_UNSORTED }, *clabels[] = { "I like", "I don't like", "" };
	store_answer sa = {
		.session_id = "s1-en", .seq = 9, .question_id = "mat", .question_index = 3,
		.question_text = "Sort these", .kind = "chosen", .n_choices = 3,
		.choice_ids = ids, .choice_labels = labels, .choice_columns = cols,
		.choice_column_labels = clabels, .given_wall_ms = 1767225600000,
		.time_taken_ms = 1200, .input_method = "switch",
	};
	assert_int_equal(store_add_answer(st, &sa, NULL), 0);
	char *mat = q_rows(db, "SELECT position, answer_id, sort_column, sort_column_label"
	                       " FROM answer_choices WHERE seq = 9 ORDER BY position");
	assert_string_equal(mat, "0|bus|like|I like\n1|lunch|dislike|I don't like\n2|music|unsorted|\n");
	store_close(st);
	free(mat);
	free(a2);
	free(c2);
	free(s2);
	free(answers);
	free(choices);
	free(sessions);
	free(path);
}

/* A version-5 database (a current one with version 6's indexes taken off)
 * gets them back: a session's latest answer to a question is then one seek
 * of answers_latest, and an event's sessions one of sessions_by_event (as
 * SQLite's planner says), and every row stays. */
static void
test_migrate_v5_adds_the_count_indexes(void **state)
{
	(void)state;
	char *path = tpath("v5.db");
	make_v1(path, NULL);
	store *st = open_ok(path, NULL);
	store_close(st);
	sqlite3 *raw = NULL;
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "DROP INDEX answers_latest; DROP INDEX sessions_by_event;"
	                              "PRAGMA user_version = 5;", NULL, NULL, NULL), SQLITE_OK);
	char *answers = q_rows(raw, "SELECT * FROM answers ORDER BY id");
	sqlite3_close(raw);

	st = open_ok(path, NULL);
	sqlite3 *db = store_db(st);
	assert_int_equal(store_user_version(st), 6);
	assert_int_equal(q_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
	                           " AND name IN ('answers_latest', 'sessions_by_event')"), 2);
	char *plan = q_rows(db, "EXPLAIN QUERY PLAN SELECT max(seq) FROM answers"
	                        " WHERE session_id = 's1-en' AND question_id = 'feeling'");
	assert_non_null(strstr(plan, "COVERING INDEX answers_latest (session_id=? AND question_id=?)"));
	free(plan);
	plan = q_rows(db, "EXPLAIN QUERY PLAN SELECT id FROM sessions WHERE event = 'Spring'");
	assert_non_null(strstr(plan, "sessions_by_event (event=?)"));
	free(plan);
	char *a2 = q_rows(db, "SELECT * FROM answers ORDER BY id");
	assert_string_equal(a2, answers);
	store_close(st);
	free(a2);
	free(answers);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_migrate_v1_keeps_every_answer, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_migrate_failure_leaves_v1, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_migrate_v4_keeps_every_row, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_migrate_v5_adds_the_count_indexes, setup_dir, teardown_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
