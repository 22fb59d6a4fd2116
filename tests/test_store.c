/*
 * test_store: the answers database, on real SQLite files in a fresh
 * temporary folder.
 *
 * What must hold: the schema is made and kept; foreign or newer files are
 * refused without a byte changed; every answer is committed (visible to
 * another connection, synced) when store_add_answer returns, with its
 * choices or not at all; changed answers add rows. (Migrations are in
 * test_store_schema.c, the writer thread in test_store_writer.c.)
 */
#define _XOPEN_SOURCE 700   /* nftw, to empty the temporary folder */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/store_helper.h"
#include "store/store_meta.h"
#include "store_sql.h"

/* tests/meson.build builds each test from its one file, so the slow VFS is
 * compiled in here; the benchmark links the same file on its own. */
#include "slow_vfs.c"

/* ---- store ---------------------------------------------------------- */

static void
test_fresh_file_schema(void **state)
{
	(void)state;
	/* two folders that do not exist yet: store_open makes them */
	char *path = tpath("a/b/answers.db");
	store *st = open_ok(path, NULL);
	sqlite3 *db = store_db(st);

	assert_int_equal(store_user_version(st), STORE_SCHEMA_VERSION);
	assert_int_equal(STORE_SCHEMA_VERSION, 6);
	assert_int_equal(q_int(db, "SELECT count(*) FROM sqlite_master WHERE type='table'"
	                           " AND name IN ('meta','flows','sessions','answers',"
	                           "'answer_choices','kiosk_keys','session_keys','answer_drawings')"), 8);
	/* the joined strings of version 1 are gone */
	assert_int_equal(q_int(db, "SELECT count(*) FROM pragma_table_info('answers')"
	                           " WHERE name IN ('answer_ids','answer_labels')"), 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM sqlite_master WHERE type='index'"
	                           " AND name IN ('answers_by_session','sessions_by_exported',"
	                           "'answers_latest','sessions_by_event')"), 4);
	char *mode = q_text(db, "PRAGMA journal_mode");
	assert_string_equal(mode, "wal");
	free(mode);
	assert_int_equal(q_int(db, "PRAGMA synchronous"), 2);   /* FULL */
	assert_int_equal(q_int(db, "PRAGMA foreign_keys"), 1);

	const char *kid = store_kiosk_id(st);
	assert_int_equal(strlen(kid), 14);
	assert_memory_equal(kid, "kiosk-", 6);
	for (int i = 6; i < 14; i++)
		assert_non_null(strchr("0123456789abcdef", kid[i]));
	char *stored = q_text(db, "SELECT value FROM meta WHERE key='kiosk_id'");
	assert_string_equal(stored, kid);
	free(stored);
	assert_int_equal(store_count_sessions(st, NULL), 0);
	assert_int_equal(store_count_answers(st), 0);
	store_close(st);
	free(path);
}

static void
test_reopen_keeps_data_and_kiosk_id(void **state)
{
	(void)state;
	char *path = tpath("answers.db");
	store *st = open_ok(path, NULL);
	char kid[64];
	snprintf(kid, sizeof kid, "%s", store_kiosk_id(st));
	store_session s = demo_session("11111111-1111-4111-8111-111111111111");
	assert_int_equal(store_begin_session(st, &s, NULL), 0);
	store_answer a = demo_answer(s.id, 1, "swings", ONE("happy", "Happy"));
	assert_int_equal(store_add_answer(st, &a, NULL), 0);
	assert_int_equal(store_end_session(st, s.id, "completed", s.started_wall_ms + 60000, NULL), 0);
	store_close(st);

	st = open_ok(path, NULL);
	assert_string_equal(store_kiosk_id(st), kid);
	assert_int_equal(store_user_version(st), STORE_SCHEMA_VERSION);
	assert_int_equal(store_count_sessions(st, NULL), 1);
	assert_int_equal(store_count_sessions(st, "completed"), 1);
	assert_int_equal(store_count_sessions(st, "in_progress"), 0);
	assert_int_equal(store_count_answers(st), 1);
	sqlite3 *db = store_db(st);
	char *t = q_text(db, "SELECT started_at FROM sessions");
	assert_string_equal(t, "2026-11-22T12:08:21.123Z");
	free(t);
	t = q_text(db, "SELECT ended_at FROM sessions");
	assert_string_equal(t, "2026-11-22T12:09:21.123Z");
	free(t);
	t = q_text(db, "SELECT given_at FROM answers");
	assert_string_equal(t, "2026-11-22T12:08:22.123Z");
	free(t);
	t = q_text(db, "SELECT kiosk_id FROM sessions");
	assert_string_equal(t, kid);   /* NULL kiosk_id: the store's own */
	free(t);
	store_close(st);
	free(path);
}

static void
test_empty_file_is_migrated(void **state)
{
	(void)state;
	char *path = tpath("empty.db");
	write_file(path, "", 0);
	store *st = open_ok(path, NULL);
	assert_int_equal(store_user_version(st), STORE_SCHEMA_VERSION);
	assert_int_equal(q_int(store_db(st), "SELECT count(*) FROM answers"), 0);
	store_close(st);
	free(path);
}

static void
expect_refused(const char *path, const char *words, const void *bytes, size_t len)
{
	store *st = NULL;
	tl_error e = { 0 };
	assert_int_equal(store_open(path, NULL, &st, &e), -1);
	assert_null(st);
	if (!strstr(e.msg, words))
		fail_msg("expected \"%s\" in: %s", words, e.msg);
	assert_int_equal(e.code, TL_E_REFUSED);
	assert_true(file_equals(path, bytes, len));
	char side[4200];
	snprintf(side, sizeof side, "%s-wal", path);
	assert_false(exists(side));
	snprintf(side, sizeof side, "%s-journal", path);
	assert_false(exists(side));
}

static void
test_garbage_file_refused_untouched(void **state)
{
	(void)state;
	char *path = tpath("notes.db");
	char text[3000];
	for (size_t i = 0; i < sizeof text; i++)
		text[i] = "Bring wellies on Friday.\n"[i % 25];
	write_file(path, text, sizeof text);
	expect_refused(path, "not a Tellus", text, sizeof text);
	free(path);

	/* The right magic with nonsense after it gets past our own check and
	 * must still be refused, by SQLite, without a write. */
	path = tpath("fake.db");
	unsigned char fake[4096];
	memset(fake, 0xAB, sizeof fake);
	memcpy(fake, "SQLite format 3", 16);
	write_file(path, fake, sizeof fake);
	expect_refused(path, "not a Tellus", fake, sizeof fake);
	free(path);
}

/* Opening a second handle in the same process must not drop the first's
 * locks. POSIX advisory locks belong to the process and go when any of its
 * descriptors on the file is closed; a handle that read the file's header
 * through its own fopen/fclose released the kiosk's SHARED lock, so the
 * next other program to close the database (the sqlite3 tool, read-write)
 * thought itself the last, checkpointed and deleted the -wal file under
 * the kiosk, whose later commits went into the deleted file: the staff
 * worker's handles then saw none of them, and a kiosk restarted without
 * its set-up. Here: A writes, B opens and closes, the sqlite3 tool reads
 * and closes, A writes again, and a fresh handle must see both writes. */
static void
test_second_handle_keeps_the_locks(void **state)
{
	(void)state;
	char *path = tpath("locks.db");
	store *a = open_ok(path, NULL);
	assert_int_equal(store_meta_set(store_db(a), "first", "1"), SQLITE_OK);
	store *b = open_ok(path, NULL);
	store_close(b);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "sqlite3 '%s' 'SELECT count(*) FROM meta' >/dev/null", path);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(store_meta_set(store_db(a), "second", "2"), SQLITE_OK);
	store *c = open_ok(path, NULL);
	char buf[16];
	assert_int_equal(store_meta_get(store_db(c), "first", buf, sizeof buf, "first", NULL), 1);
	assert_int_equal(store_meta_get(store_db(c), "second", buf, sizeof buf, "second", NULL), 1);
	assert_string_equal(buf, "2");
	store_close(c);
	store_close(a);
	free(path);
}

/* Makes a SQLite file with plain sqlite3 calls and returns its bytes. */
static char *
make_sqlite_file(const char *path, const char *sql, size_t *len)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	char *bytes = NULL;
	assert_int_equal(tl_read_file(path, &bytes, len, NULL), 0);
	return bytes;
}

static void
test_newer_version_refused(void **state)
{
	(void)state;
	char *path = tpath("future.db");
	size_t len = 0;
	char sql[256];
	snprintf(sql, sizeof sql,
	         "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	         "PRAGMA application_id = 1413827660; PRAGMA user_version = %d;",
	         STORE_SCHEMA_VERSION + 1);
	char *bytes = make_sqlite_file(path, sql, &len);
	expect_refused(path, "made by a newer Tellus", bytes, len);
	free(bytes);
	free(path);
}

static void
test_foreign_sqlite_refused(void **state)
{
	(void)state;
	char *path = tpath("recipes.db");
	size_t len = 0;
	char *bytes = make_sqlite_file(path,
	        "CREATE TABLE recipes(name TEXT); INSERT INTO recipes VALUES('flapjack');",
	        &len);
	expect_refused(path, "not a Tellus", bytes, len);
	free(bytes);
	free(path);
}

static void
test_unwritable_path(void **state)
{
	(void)state;
	/* A regular file where a folder should be: fails even for root. */
	char *blocker = tpath("blocker");
	write_file(blocker, "x", 1);
	char *path = tpath("blocker/sub/answers.db");
	store *st = NULL;
	tl_error e = { 0 };
	assert_int_equal(store_open(path, NULL, &st, &e), -1);
	assert_null(st);
	assert_non_null(strstr(e.msg, "cannot create the folder"));
	assert_non_null(strstr(e.msg, "blocker"));
	assert_true(file_equals(blocker, "x", 1));
	free(path);
	free(blocker);

	tl_err_clear(&e);
	assert_int_equal(store_open("", NULL, &st, &e), -1);
	assert_true(strlen(e.msg) > 0);
}

static void
test_answer_visible_to_other_connection(void **state)
{
	(void)state;
	char *path = tpath("answers.db");
	store *st = open_ok(path, NULL);
	store_session s = demo_session("22222222-2222-4222-8222-222222222222");
	assert_int_equal(store_begin_session(st, &s, NULL), 0);

	sqlite3 *other = NULL;
	assert_int_equal(sqlite3_open_v2(path, &other, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(q_int(other, "SELECT count(*) FROM sessions"), 1);
	for (int i = 1; i <= 10; i++) {
		char qid[16];
		snprintf(qid, sizeof qid, "q%d", i);
		store_answer a = demo_answer(s.id, i, qid, ONE("ok", "OK"));
		assert_int_equal(store_add_answer(st, &a, NULL), 0);
		/* no transaction is left open on the writing handle */
		assert_int_equal(sqlite3_get_autocommit(store_db(st)), 1);
		assert_int_equal(q_int(other, "SELECT count(*) FROM answers"), i);
	}
	sqlite3_close(other);
	store_close(st);
	free(path);
}

static void
test_changed_answer_adds_row(void **state)
{
	(void)state;
	char *path = tpath("answers.db");
	store *st = open_ok(path, NULL);
	store_session s = demo_session("33333333-3333-4333-8333-333333333333");
	assert_int_equal(store_begin_session(st, &s, NULL), 0);
	store_answer a = demo_answer(s.id, 1, "lunch", ONE("pizza", "Pizza"));
	assert_int_equal(store_add_answer(st, &a, NULL), 0);
	store_answer b = demo_answer(s.id, 2, "lunch", 2, (const char *const[]){ "pasta", "soup" },
	                             (const char *const[]){ "Pasta", "Soup" });
	assert_int_equal(store_add_answer(st, &b, NULL), 0);

	sqlite3 *db = store_db(st);
	assert_int_equal(q_int(db, "SELECT count(*) FROM answers WHERE question_id='lunch'"), 2);
	char *t = q_text(db, "SELECT " SQL_ANSWER_LABELS " FROM answers WHERE seq=1");
	assert_string_equal(t, "Pizza");
	free(t);
	t = q_text(db, "SELECT " SQL_ANSWER_LABELS " FROM answers WHERE seq=2");
	assert_string_equal(t, "Pasta | Soup");
	free(t);
	t = q_text(db, "SELECT " SQL_ANSWER_IDS " FROM answers WHERE seq=2");
	assert_string_equal(t, "pasta soup");
	free(t);
	/* one row per choice, in the order given */
	assert_int_equal(q_int(db, "SELECT count(*) FROM answer_choices WHERE seq=2"), 2);
	t = q_text(db, "SELECT answer_label FROM answer_choices WHERE seq=2 AND position=1");
	assert_string_equal(t, "Soup");
	free(t);

	/* the same seq again is refused, and what was there stays */
	store_answer dup = demo_answer(s.id, 2, "lunch", ONE("salad", "Salad"));
	tl_error e = { 0 };
	assert_int_equal(store_add_answer(st, &dup, &e), -1);
	assert_int_equal(e.code, TL_E_DB);
	assert_int_equal(e.sys, SQLITE_CONSTRAINT);
	assert_true(strlen(e.msg) > 0);
	assert_int_equal(store_count_answers(st), 2);

	/* a skipped answer has no choices */
	store_answer skip = demo_answer(s.id, 3, "dinner", 0, NULL, NULL);
	skip.kind = "skipped";
	assert_int_equal(store_add_answer(st, &skip, NULL), 0);
	t = q_text(db, "SELECT " SQL_ANSWER_IDS " FROM answers WHERE seq=3");
	assert_string_equal(t, "");
	free(t);
	assert_int_equal(q_int(db, "SELECT count(*) FROM answer_choices WHERE seq=3"), 0);
	/* and a kind the schema does not know is refused */
	store_answer odd = demo_answer(s.id, 4, "dinner", ONE("x", "X"));
	odd.kind = "maybe";
	assert_int_equal(store_add_answer(st, &odd, NULL), -1);
	assert_int_equal(store_count_answers(st), 3);
	store_close(st);
	free(path);
}

static void
test_sessions_and_flows(void **state)
{
	(void)state;
	char *path = tpath("answers.db");
	store *st = open_ok(path, NULL);
	sqlite3 *db = store_db(st);
	store_session s1 = demo_session("44444444-4444-4444-8444-444444444441");
	store_session s2 = demo_session("44444444-4444-4444-8444-444444444442");
	s2.kiosk_id = "kiosk-hall0002";
	store_session s3 = demo_session("44444444-4444-4444-8444-444444444443");
	s3.flow_hash = "hash-other";
	s3.flow_source = NULL;
	assert_int_equal(store_begin_session(st, &s1, NULL), 0);
	assert_int_equal(store_begin_session(st, &s2, NULL), 0);
	assert_int_equal(store_begin_session(st, &s3, NULL), 0);
	/* one flow row per hash, none when no source was given */
	assert_int_equal(q_int(db, "SELECT count(*) FROM flows"), 1);
	char *t = q_text(db, "SELECT source FROM flows WHERE hash='hash-playground-3'");
	assert_string_equal(t, s1.flow_source);
	free(t);
	t = q_text(db, "SELECT kiosk_id FROM sessions WHERE id LIKE '%442'");
	assert_string_equal(t, "kiosk-hall0002");
	free(t);
	assert_int_equal(store_count_sessions(st, "in_progress"), 3);
	/* the same session id twice is refused */
	assert_int_equal(store_begin_session(st, &s1, NULL), -1);
	assert_int_equal(sqlite3_get_autocommit(db), 1);

	assert_int_equal(store_end_session(st, s1.id, "completed", s1.started_wall_ms + 5000, NULL), 0);
	/* a later ending does not overwrite the first */
	assert_int_equal(store_end_session(st, s1.id, "unfinished", s1.started_wall_ms + 9000, NULL), 0);
	t = q_text(db, "SELECT status || ' ' || ended_at FROM sessions WHERE id LIKE '%441'");
	assert_string_equal(t, "completed 2026-11-22T12:08:26.123Z");
	free(t);
	tl_error e = { 0 };
	assert_int_equal(store_end_session(st, "no-such-session", "completed", 0, &e), -1);
	assert_true(strlen(e.msg) > 0);
	assert_int_equal(store_end_session(st, s2.id, "in_progress", 0, NULL), -1);
	assert_int_equal(store_end_session(st, s2.id, "unfinished", s2.started_wall_ms + 1, NULL), 0);
	assert_int_equal(store_count_sessions(st, "unfinished"), 1);
	assert_int_equal(store_count_sessions(st, "in_progress"), 1);

	/* an answer for a session never begun breaks the foreign key */
	store_answer a = demo_answer("no-such-session", 1, "q", ONE("a", "A"));
	tl_err_clear(&e);
	assert_int_equal(store_add_answer(st, &a, &e), -1);
	assert_int_equal(e.sys, SQLITE_CONSTRAINT);
	assert_int_equal(store_count_answers(st), 0);
	store_close(st);
	free(path);
}

static void
test_set_kiosk_id_and_read_only(void **state)
{
	(void)state;
	char *path = tpath("answers.db");
	store *st = open_ok(path, NULL);
	assert_int_equal(store_set_kiosk_id(st, "kiosk-library1", NULL), 0);
	assert_string_equal(store_kiosk_id(st), "kiosk-library1");
	assert_int_equal(store_set_kiosk_id(st, "", NULL), -1);
	store_close(st);

	store_options ro = { .read_only = true };
	assert_int_equal(store_open(path, &ro, &st, NULL), 0);
	assert_string_equal(store_kiosk_id(st), "kiosk-library1");
	store_session s = demo_session("55555555-5555-4555-8555-555555555555");
	assert_int_equal(store_begin_session(st, &s, NULL), -1);
	assert_int_equal(store_count_sessions(st, NULL), 0);
	store_close(st);
	free(path);

	/* read-only cannot create */
	path = tpath("nothing-here/answers.db");
	assert_int_equal(store_open(path, &ro, &st, NULL), -1);
	assert_false(exists(path));
	free(path);
	store_close(NULL);
}

static void
test_sync_per_commit(void **state)
{
	(void)state;
	assert_int_equal(slow_vfs_register("tellus-count", 0), SQLITE_OK);
	char *path = tpath("answers.db");
	store *st = open_ok(path, "tellus-count");
	store_session s = demo_session("66666666-6666-4666-8666-666666666666");
	assert_int_equal(store_begin_session(st, &s, NULL), 0);
	for (int i = 1; i <= 5; i++) {
		long before = slow_vfs_sync_count();
		store_answer a = demo_answer(s.id, i, "q", ONE("a", "A"));
		assert_int_equal(store_add_answer(st, &a, NULL), 0);
		/* each answer reached the disk before returning */
		assert_true(slow_vfs_sync_count() > before);
	}
	store_close(st);
	free(path);
}

static void
test_answer_and_choices_all_or_nothing(void **state)
{
	(void)state;
	char *path = tpath("answers.db");
	store *st = open_ok(path, NULL);
	store_session s = demo_session("67676767-6767-4767-8767-676767676767");
	assert_int_equal(store_begin_session(st, &s, NULL), 0);
	/* another connection makes the second choice fail, mid-transaction */
	sqlite3 *other = NULL;
	assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other,
	        "CREATE TRIGGER boom BEFORE INSERT ON answer_choices"
	        " WHEN new.answer_id = 'boom' BEGIN SELECT RAISE(ABORT, 'no boom'); END",
	        NULL, NULL, NULL), SQLITE_OK);
	store_answer a = demo_answer(s.id, 1, "q", 2, (const char *const[]){ "fine", "boom" },
	                             (const char *const[]){ "Fine", "Boom" });
	tl_error e = { 0 };
	assert_int_equal(store_add_answer(st, &a, &e), -1);
	assert_non_null(strstr(e.msg, "no boom"));
	assert_int_equal(sqlite3_get_autocommit(store_db(st)), 1);
	/* neither the answer nor its first choice went in */
	assert_int_equal(q_int(other, "SELECT count(*) FROM answers"), 0);
	assert_int_equal(q_int(other, "SELECT count(*) FROM answer_choices"), 0);

	/* a choice without an id is refused before anything is written */
	store_answer noid = demo_answer(s.id, 1, "q", 2, (const char *const[]){ "fine", NULL },
	                                NULL);
	tl_err_clear(&e);
	assert_int_equal(store_add_answer(st, &noid, &e), -1);
	assert_int_equal(e.code, TL_E_INVALID);
	/* and NULL labels are stored as "" */
	noid.choice_ids = (const char *const[]){ "fine", "good" };
	assert_int_equal(store_add_answer(st, &noid, NULL), 0);
	char *t = q_text(other, "SELECT group_concat(quote(answer_label)) FROM answer_choices");
	assert_string_equal(t, "'',''");
	free(t);
	sqlite3_close(other);
	store_close(st);
	free(path);
}


/* A run that stopped without closing its sessions: the next start closes
 * each of this kiosk's as interrupted at its last answer (its start when it
 * has none), and leaves other kiosks' and ended ones alone. */
static void
test_close_interrupted(void **state)
{
	(void)state;
	char *path = tpath("answers.db");
	store *st = open_ok(path, NULL);
	store_session a = demo_session("11111111-aaaa-4aaa-8aaa-000000000001");
	store_session b = demo_session("11111111-aaaa-4aaa-8aaa-000000000002");
	store_session other = demo_session("11111111-aaaa-4aaa-8aaa-000000000003");
	store_session done = demo_session("11111111-aaaa-4aaa-8aaa-000000000004");
	other.kiosk_id = "kiosk-elsewhere";
	tl_error e = { 0 };
	assert_int_equal(store_begin_session(st, &a, &e), 0);
	assert_int_equal(store_begin_session(st, &b, &e), 0);
	assert_int_equal(store_begin_session(st, &other, &e), 0);
	assert_int_equal(store_begin_session(st, &done, &e), 0);
	for (int i = 1; i <= 3; i++) {
		store_answer x = demo_answer(a.id, i, "q", ONE("a", "A"));
		assert_int_equal(store_add_answer(st, &x, &e), 0);
	}
	assert_int_equal(store_end_session(st, done.id, "completed", done.started_wall_ms + 5000, &e), 0);
	store_close(st);

	st = open_ok(path, NULL);
	int64_t n = -1;
	assert_int_equal(store_close_interrupted(st, &n, &e), 0);
	assert_int_equal(n, 2);
	sqlite3 *db = store_db(st);
	char *t = q_text(db, "SELECT status || ' ' || ended_at FROM sessions"
	                     " WHERE id = '11111111-aaaa-4aaa-8aaa-000000000001'");
	assert_string_equal(t, "interrupted 2026-11-22T12:08:24.123Z");   /* answer 3's time */
	free(t);
	t = q_text(db, "SELECT status || ' ' || ended_at FROM sessions"
	               " WHERE id = '11111111-aaaa-4aaa-8aaa-000000000002'");
	assert_string_equal(t, "interrupted 2026-11-22T12:08:21.123Z");   /* no answer: its start */
	free(t);
	assert_int_equal(q_int(db, "SELECT count(*) FROM sessions WHERE status = 'in_progress'"
	                           " AND kiosk_id = 'kiosk-elsewhere'"), 1);
	assert_int_equal(store_count_sessions(st, "completed"), 1);
	assert_int_equal(store_count_answers(st), 3);
	/* closing again finds nothing and changes nothing */
	assert_int_equal(store_close_interrupted(st, &n, &e), 0);
	assert_int_equal(n, 0);
	store_close(st);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fresh_file_schema, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_reopen_keeps_data_and_kiosk_id, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_empty_file_is_migrated, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_garbage_file_refused_untouched, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_newer_version_refused, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_foreign_sqlite_refused, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_unwritable_path, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_answer_visible_to_other_connection, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_changed_answer_adds_row, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_sessions_and_flows, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_set_kiosk_id_and_read_only, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_sync_per_commit, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_answer_and_choices_all_or_nothing, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_close_interrupted, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_second_handle_keeps_the_locks, setup_dir, teardown_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
