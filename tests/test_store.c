/*
 * test_store: the answers database and its writer thread, on real SQLite
 * files in a fresh temporary folder.
 *
 * What must hold: the schema is made and kept; foreign or newer files are
 * refused without a byte changed; every answer is committed (visible to
 * another connection) when store_add_answer returns; changed answers add
 * rows; the writer keeps order, counts honestly, survives bad records and
 * failed copies, drains on destroy, and never makes its caller wait for
 * fsync (proved with a VFS whose fsync takes 20 ms).
 */
#define _XOPEN_SOURCE 700   /* nftw, to empty the temporary folder */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>

#include "store/store.h"
#include "store/store_writer.h"
#include "base/util.h"
#include "store_sql.h"

/* tests/meson.build builds each test from its one file, so the slow VFS is
 * compiled in here; the benchmark links the same file on its own. */
#include "slow_vfs.c"

static char tmpdir[4096];

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(path);
}

static int
setup_dir(void **state)
{
	(void)state;
	const char *base = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/tellus-store-XXXXXX",
	         base && *base ? base : "/tmp");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int
teardown_dir(void **state)
{
	(void)state;
	return nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A path inside the test's folder; caller frees. */
static char *
tpath(const char *rel)
{
	char *p = tl_path_join(tmpdir, rel);
	assert_non_null(p);
	return p;
}

static int64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static double
now_ms_f(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void
write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static store *
open_ok(const char *path, const char *vfs)
{
	store_options opt = { .vfs = vfs };
	store *st = NULL;
	tl_error e = { 0 };
	int rc = store_open(path, &opt, &st, &e);
	if (rc != 0)
		fail_msg("store_open(%s): %s", path, e.msg);
	assert_non_null(st);
	return st;
}

/* Runs a query that yields one integer, on any connection. */
static int64_t
q_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* One text value from a query, copied; caller frees. NULL for SQL NULL. */
static char *
q_text(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	const unsigned char *t = sqlite3_column_text(s, 0);
	char *out = t ? tl_strdup((const char *)t) : NULL;
	sqlite3_finalize(s);
	return out;
}

static store_session
demo_session(const char *id)
{
	store_session s = {
		.id = id,
		.flow_id = "playground-day",
		.flow_version = 3,
		.flow_hash = "hash-playground-3",
		.flow_source = "id: playground-day\nversion: 3\n",
		.language = "en",
		.presentation = "symbols",
		/* 2026-11-22T12:08:21.123Z */
		.started_wall_ms = INT64_C(1795349301123),
	};
	return s;
}

/* n chosen ids and their labels (arrays the caller keeps), e.g. with ONE. */
static store_answer
demo_answer(const char *session_id, int seq, const char *qid, size_t n,
            const char *const *ids, const char *const *labels)
{
	store_answer a = {
		.session_id = session_id,
		.seq = seq,
		.question_id = qid,
		.question_index = seq - 1,
		.question_text = "How did the swings feel today?",
		.kind = "chosen",
		.n_choices = n,
		.choice_ids = ids,
		.choice_labels = labels,
		.given_wall_ms = INT64_C(1795349301123) + seq * 1000,
		.time_taken_ms = 1500 + seq,
		.input_method = "touch",
	};
	return a;
}

/* One chosen answer, for demo_answer: the arrays live as long as the
 * enclosing block. */
#define ONE(id, label) 1, (const char *const[]){ id }, (const char *const[]){ label }

static bool
file_equals(const char *path, const void *data, size_t len)
{
	char *got = NULL;
	size_t n = 0;
	if (tl_read_file(path, &got, &n, NULL) != 0)
		return false;
	bool same = n == len && memcmp(got, data, len) == 0;
	free(got);
	return same;
}

static bool
exists(const char *path)
{
	return access(path, F_OK) == 0;
}

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
	assert_int_equal(STORE_SCHEMA_VERSION, 2);
	assert_int_equal(q_int(db, "SELECT count(*) FROM sqlite_master WHERE type='table'"
	                           " AND name IN ('meta','flows','sessions','answers',"
	                           "'answer_choices')"), 5);
	/* the joined strings of version 1 are gone */
	assert_int_equal(q_int(db, "SELECT count(*) FROM pragma_table_info('answers')"
	                           " WHERE name IN ('answer_ids','answer_labels')"), 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM sqlite_master WHERE type='index'"
	                           " AND name IN ('answers_by_session','sessions_by_exported')"), 2);
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
	char *bytes = make_sqlite_file(path,
	        "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	        "PRAGMA application_id = 1413827660; PRAGMA user_version = 3;", &len);
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

/* Every row of a query, one line each ("a|b|c\n"), for comparing tables. */
static char *
q_rows(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	char *out = tl_strdup("");
	while (sqlite3_step(s) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(s); i++) {
			const char *v = (const char *)sqlite3_column_text(s, i);
			char *more = tl_asprintf("%s%s%s", out, i ? "|" : "", v ? v : "NULL");
			free(out);
			out = more;
		}
		char *more = tl_asprintf("%s\n", out);
		free(out);
		out = more;
	}
	sqlite3_finalize(s);
	return out;
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
	assert_int_equal(store_user_version(st), 2);
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

/* ---- writer --------------------------------------------------------- */

struct seen {
	pthread_mutex_t mu;
	uint64_t seqs[4096];
	size_t n;
	bool out_of_order;
};

static void
on_commit(void *ud, uint64_t seq)
{
	struct seen *s = ud;
	pthread_mutex_lock(&s->mu);
	if (s->n > 0 && seq <= s->seqs[s->n - 1])
		s->out_of_order = true;
	if (s->n < sizeof s->seqs / sizeof s->seqs[0])
		s->seqs[s->n++] = seq;
	pthread_mutex_unlock(&s->mu);
}

static store_writer *
writer_ok(const char *path, const char *vfs, struct seen *seen)
{
	store_options opt = { .vfs = vfs };
	tl_error e = { 0 };
	store_writer *w = store_writer_create(path, &opt, seen ? on_commit : NULL,
	                                      seen, &e);
	if (!w)
		fail_msg("store_writer_create: %s", e.msg);
	return w;
}

static void
test_writer_order_and_counters(void **state)
{
	(void)state;
	static struct seen seen = { .mu = PTHREAD_MUTEX_INITIALIZER };
	char *path = tpath("answers.db");
	store_writer *w = writer_ok(path, NULL, &seen);
	assert_int_equal(strlen(store_writer_kiosk_id(w)), 14);

	/* the caller's strings change straight after each submit: the writer
	 * must have copied them */
	char sid[40], qid[16], label[32];
	snprintf(sid, sizeof sid, "77777777-7777-4777-8777-777777777777");
	store_session s = demo_session(sid);
	assert_int_equal(store_writer_begin_session(w, &s), 1);
	for (int i = 1; i <= 50; i++) {
		snprintf(qid, sizeof qid, "q%02d", i);
		snprintf(label, sizeof label, "Label %d", i);
		store_answer a = demo_answer(sid, i, qid, ONE("x", label));
		assert_int_equal(store_writer_add_answer(w, &a), (uint64_t)i + 1);
		memset(qid, '#', sizeof qid - 1);
		memset(label, '#', sizeof label - 1);
	}
	assert_int_equal(store_writer_end_session(w, sid, "completed", s.started_wall_ms + 1), 52);
	memset(sid, '#', sizeof sid - 1);
	assert_int_equal(store_writer_submitted(w), 52);
	store_writer_flush(w);
	assert_int_equal(store_writer_committed(w), 52);
	assert_int_equal(store_writer_errors(w), 0);

	pthread_mutex_lock(&seen.mu);
	assert_int_equal(seen.n, 52);
	for (size_t i = 0; i < seen.n; i++)
		assert_int_equal(seen.seqs[i], i + 1);
	assert_false(seen.out_of_order);
	pthread_mutex_unlock(&seen.mu);

	/* rows went in in the order given, with the strings as they were */
	store *st = open_ok(path, NULL);
	sqlite3 *db = store_db(st);
	sqlite3_stmt *q = NULL;
	assert_int_equal(sqlite3_prepare_v2(db,
	        "SELECT seq, question_id, " SQL_ANSWER_LABELS " FROM answers ORDER BY id",
	        -1, &q, NULL), SQLITE_OK);
	int n = 0;
	while (sqlite3_step(q) == SQLITE_ROW) {
		n++;
		char want[32];
		assert_int_equal(sqlite3_column_int(q, 0), n);
		snprintf(want, sizeof want, "q%02d", n);
		assert_string_equal((const char *)sqlite3_column_text(q, 1), want);
		snprintf(want, sizeof want, "Label %d", n);
		assert_string_equal((const char *)sqlite3_column_text(q, 2), want);
	}
	sqlite3_finalize(q);
	assert_int_equal(n, 50);
	assert_int_equal(store_count_sessions(st, "completed"), 1);
	store_close(st);
	store_writer_destroy(w);
	store_writer_destroy(NULL);
	free(path);
}

static void
test_writer_destroy_drains(void **state)
{
	(void)state;
	/* a slow fsync makes sure plenty is still queued at destroy */
	assert_int_equal(slow_vfs_register("tellus-slow5", 5), SQLITE_OK);
	char *path = tpath("answers.db");
	store_writer *w = writer_ok(path, "tellus-slow5", NULL);
	store_session s = demo_session("88888888-8888-4888-8888-888888888888");
	store_writer_begin_session(w, &s);
	for (int i = 1; i <= 40; i++) {
		store_answer a = demo_answer(s.id, i, "q", ONE("a", "A"));
		assert_true(store_writer_add_answer(w, &a) > 0);
	}
	assert_true(store_writer_committed(w) < 41);
	store_writer_destroy(w);

	store *st = open_ok(path, NULL);
	assert_int_equal(store_count_answers(st), 40);
	assert_int_equal(store_count_sessions(st, NULL), 1);
	store_close(st);
	free(path);
}

struct burst {
	store_writer *w;
	int thread;
	int n;
};

static void *
burst_main(void *arg)
{
	struct burst *b = arg;
	char sid[40];
	snprintf(sid, sizeof sid, "99999999-9999-4999-8999-%012d", b->thread);
	store_session s = demo_session(sid);
	store_writer_begin_session(b->w, &s);
	for (int i = 1; i <= b->n; i++) {
		store_answer a = demo_answer(sid, i, "q", ONE("a", "A"));
		store_writer_add_answer(b->w, &a);
	}
	store_writer_end_session(b->w, sid, "completed", s.started_wall_ms + b->n);
	return NULL;
}

static void
test_writer_burst_all_land(void **state)
{
	(void)state;
	static struct seen seen = { .mu = PTHREAD_MUTEX_INITIALIZER };
	char *path = tpath("answers.db");
	store_writer *w = writer_ok(path, NULL, &seen);
	enum { THREADS = 4, EACH = 300 };
	pthread_t th[THREADS];
	struct burst b[THREADS];
	for (int i = 0; i < THREADS; i++) {
		b[i] = (struct burst){ w, i, EACH };
		assert_int_equal(pthread_create(&th[i], NULL, burst_main, &b[i]), 0);
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	uint64_t total = THREADS * (EACH + 2);
	assert_int_equal(store_writer_submitted(w), total);
	store_writer_flush(w);
	assert_int_equal(store_writer_committed(w), total);
	assert_int_equal(store_writer_errors(w), 0);
	assert_int_equal(seen.n, total);
	assert_false(seen.out_of_order);

	store *st = open_ok(path, NULL);
	assert_int_equal(store_count_answers(st), THREADS * EACH);
	assert_int_equal(store_count_sessions(st, "completed"), THREADS);
	/* within each session the answers kept their order */
	assert_int_equal(q_int(store_db(st),
	        "SELECT count(*) FROM answers a JOIN answers b"
	        " ON a.session_id = b.session_id AND a.id < b.id AND a.seq > b.seq"), 0);
	store_close(st);
	store_writer_destroy(w);
	free(path);
}

static void
test_writer_skips_bad_record(void **state)
{
	(void)state;
	static struct seen seen = { .mu = PTHREAD_MUTEX_INITIALIZER };
	char *path = tpath("answers.db");
	store_writer *w = writer_ok(path, NULL, &seen);
	store_session s = demo_session("aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa");
	store_writer_begin_session(w, &s);
	store_answer good1 = demo_answer(s.id, 1, "q1", ONE("a", "A"));
	store_answer orphan = demo_answer("never-begun", 1, "q1", ONE("a", "A"));
	store_answer good2 = demo_answer(s.id, 2, "q2", ONE("b", "B"));
	store_writer_add_answer(w, &good1);
	uint64_t bad = store_writer_add_answer(w, &orphan);
	store_writer_add_answer(w, &good2);
	store_writer_flush(w);
	assert_int_equal(store_writer_errors(w), 1);
	assert_int_equal(store_writer_committed(w), 4);
	/* on_commit came for every record but the refused one */
	assert_int_equal(seen.n, 3);
	for (size_t i = 0; i < seen.n; i++)
		assert_int_not_equal(seen.seqs[i], bad);

	/* a failed copy is counted and takes no seq */
	store_writer_fail_next_copies(w, 1);
	assert_int_equal(store_writer_add_answer(w, &good2), 0);
	assert_int_equal(store_writer_errors(w), 2);
	store_answer good3 = demo_answer(s.id, 3, "q3", ONE("c", "C"));
	assert_int_equal(store_writer_add_answer(w, &good3), 5);
	store_writer_flush(w);
	assert_int_equal(store_writer_committed(w), 5);
	assert_int_equal(store_writer_errors(w), 2);
	store_writer_destroy(w);

	store *st = open_ok(path, NULL);
	assert_int_equal(store_count_answers(st), 3);
	store_close(st);
	free(path);
}

static void
test_writer_waits_out_a_lock(void **state)
{
	(void)state;
	char *path = tpath("answers.db");
	store_writer *w = writer_ok(path, NULL, NULL);
	store_session s = demo_session("bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb");
	store_writer_begin_session(w, &s);
	store_writer_flush(w);

	/* another connection (an export, say) holds the write lock a while */
	sqlite3 *other = NULL;
	assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	store_answer a = demo_answer(s.id, 1, "q", ONE("a", "A"));
	store_writer_add_answer(w, &a);
	usleep(300 * 1000);
	assert_int_equal(store_writer_committed(w), 1);   /* still waiting */
	assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	store_writer_flush(w);
	assert_int_equal(store_writer_committed(w), 2);
	assert_int_equal(store_writer_errors(w), 0);
	assert_int_equal(q_int(other, "SELECT count(*) FROM answers"), 1);
	sqlite3_close(other);
	store_writer_destroy(w);
	free(path);
}

static void
test_writer_submit_does_not_wait_for_fsync(void **state)
{
	(void)state;
	assert_int_equal(slow_vfs_register("tellus-slow20", 20), SQLITE_OK);
	char *path = tpath("answers.db");
	store_writer *w = writer_ok(path, "tellus-slow20", NULL);
	store_session s = demo_session("cccccccc-cccc-4ccc-8ccc-cccccccccccc");
	store_writer_begin_session(w, &s);
	store_writer_flush(w);

	long syncs_before = slow_vfs_sync_count();
	double t0 = now_ms_f();
	for (int i = 1; i <= 100; i++) {
		store_answer a = demo_answer(s.id, i, "q", ONE("a", "A"));
		assert_true(store_writer_add_answer(w, &a) > 0);
	}
	double took = now_ms_f() - t0;
	/* 100 commits at 20 ms of fsync each need at least 2 s; submitting
	 * them must take a small fraction of one commit's time. */
	if (took >= 50.0)
		fail_msg("100 submissions took %.1f ms", took);
	assert_true(store_writer_committed(w) < 101);

	int64_t t1 = now_ms();
	store_writer_flush(w);
	int64_t drained = now_ms() - t1;
	assert_int_equal(store_writer_committed(w), 101);
	assert_int_equal(store_writer_errors(w), 0);
	/* every answer was its own commit with its own fsync */
	assert_true(slow_vfs_sync_count() - syncs_before >= 100);
	assert_true(drained >= 100 * 20 - 200);
	store_writer_destroy(w);

	store *st = open_ok(path, NULL);
	assert_int_equal(store_count_answers(st), 100);
	store_close(st);
	free(path);
}

static void
test_writer_copies_choices(void **state)
{
	(void)state;
	char *path = tpath("answers.db");
	store_writer *w = writer_ok(path, NULL, NULL);
	store_session s = demo_session("dddddddd-dddd-4ddd-8ddd-dddddddddddd");
	store_writer_begin_session(w, &s);
	/* more choices and longer labels than any old buffer held, and arrays
	 * the caller overwrites at once */
	enum { N = 40 };
	char idbuf[N][16], labelbuf[N][200];
	const char *ids[N], *labels[N];
	for (int i = 0; i < N; i++) {
		snprintf(idbuf[i], sizeof idbuf[i], "a%02d", i);
		snprintf(labelbuf[i], sizeof labelbuf[i], "%03d | a label, \"quoted\"\nover %s", i,
		         "two lines and long enough that forty of them overflow a kilobyte");
		ids[i] = idbuf[i];
		labels[i] = labelbuf[i];
	}
	store_answer a = demo_answer(s.id, 1, "many", N, ids, labels);
	assert_true(store_writer_add_answer(w, &a) > 0);
	for (int i = 0; i < N; i++) {
		memset(labelbuf[i], '#', sizeof labelbuf[i] - 1);
		ids[i] = labels[i] = "overwritten";
	}
	store_writer_flush(w);
	assert_int_equal(store_writer_errors(w), 0);
	store_writer_destroy(w);

	store *st = open_ok(path, NULL);
	sqlite3 *db = store_db(st);
	assert_int_equal(q_int(db, "SELECT count(*) FROM answer_choices"), N);
	for (int i = 0; i < N; i++) {
		char sql[128], want[200];
		snprintf(sql, sizeof sql, "SELECT answer_id || '/' || answer_label FROM answer_choices"
		         " WHERE position = %d", i);
		snprintf(want, sizeof want, "a%02d/%03d | a label, \"quoted\"\nover %s", i, i,
		         "two lines and long enough that forty of them overflow a kilobyte");
		char *t = q_text(db, sql);
		assert_string_equal(t, want);
		free(t);
	}
	store_close(st);
	free(path);
}

static void
test_writer_create_fails_plainly(void **state)
{
	(void)state;
	char *blocker = tpath("blocker");
	write_file(blocker, "x", 1);
	char *path = tpath("blocker/answers.db");
	tl_error e = { 0 };
	store_writer *w = store_writer_create(path, NULL, NULL, NULL, &e);
	assert_null(w);
	assert_non_null(strstr(e.msg, "cannot create the folder"));
	free(path);
	free(blocker);
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
		cmocka_unit_test_setup_teardown(test_migrate_v1_keeps_every_answer, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_migrate_failure_leaves_v1, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_writer_order_and_counters, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_writer_destroy_drains, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_writer_burst_all_land, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_writer_skips_bad_record, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_writer_waits_out_a_lock, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_writer_submit_does_not_wait_for_fsync, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_writer_copies_choices, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_writer_create_fails_plainly, setup_dir, teardown_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
