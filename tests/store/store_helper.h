/*
 * store_helper: what the store's tests share (test_store.c, test_store_schema.c,
 * test_store_writer.c): a fresh temporary folder per test, opening a store
 * that must open, one-value queries on any connection, and demo records.
 * Included by one test file each; static inline, so a file need not use
 * them all.
 */
#ifndef TELLUS_TEST_STORE_HELPER_H
#define TELLUS_TEST_STORE_HELPER_H

/* the including file defines _XOPEN_SOURCE 700 (for nftw) and includes
 * cmocka.h before this */
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>

#include "store/store.h"
#include "base/util.h"

/* The test's own folder, made by setup_dir and emptied by teardown_dir. */
static char tmpdir[4096];

static inline int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(path);
}

static inline int
setup_dir(void **state)
{
	(void)state;
	const char *base = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/tellus-store-XXXXXX",
	         base && *base ? base : "/tmp");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static inline int
teardown_dir(void **state)
{
	(void)state;
	return nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A path inside the test's folder; caller frees. */
static inline char *
tpath(const char *rel)
{
	char *p = tl_path_join(tmpdir, rel);
	assert_non_null(p);
	return p;
}

static inline int64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline double
now_ms_f(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static inline void
write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static inline store *
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
static inline int64_t
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
static inline char *
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

static inline store_session
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
static inline store_answer
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

static inline bool
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

static inline bool
exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* Every row of a query, one line each ("a|b|c\n"), for comparing tables. */
static inline char *
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

#endif
