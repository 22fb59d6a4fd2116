/*
 * bench_db: the benchmarks' big kiosk databases, made with SQL (INSERT ...
 * SELECT from a recursive CTE), not through the writer. A header of static
 * functions shared by bench_export.c and bench_seal.c.
 */
#ifndef TELLUS_BENCH_DB_H
#define TELLUS_BENCH_DB_H

#include <stdio.h>
#include <sqlite3.h>

#include "store/store.h"

#define PER_SESSION 10

/* A kiosk database with n sessions (ids from first) of the school-day flow,
 * PER_SESSION answers each: the five questions, then five changed answers. */
static int
make_db(const char *path, const char *kiosk, int first, int n, const char *source,
        const char *hash)
{
	store *st = NULL;
	tl_error e = { 0 };
	if (store_open(path, NULL, &st, &e) != 0) {
		fprintf(stderr, "%s\n", e.msg);
		return -1;
	}
	store_set_kiosk_id(st, kiosk, NULL);
	sqlite3 *db = store_db(st);
	char *sql = sqlite3_mprintf(
	        "PRAGMA synchronous=OFF; BEGIN;"
	        "INSERT OR IGNORE INTO flows VALUES(%Q, 'school-day', 1, %Q);"
	        "WITH RECURSIVE n(i) AS (SELECT %d UNION ALL SELECT i+1 FROM n WHERE i < %d)"
	        " INSERT INTO sessions(id, kiosk_id, flow_id, flow_version, flow_hash, started_at,"
	        "  ended_at, status, language, presentation)"
	        " SELECT printf('%%08x-0000-4000-8000-%%012x', i, i), %Q, 'school-day', 1, %Q,"
	        "  strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', 1790000000 + i * 7, 'unixepoch'),"
	        "  strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', 1790000060 + i * 7, 'unixepoch'),"
	        "  CASE WHEN i %% 9 = 0 THEN 'unfinished' ELSE 'completed' END, 'en', 'large-symbol'"
	        " FROM n;"
	        /* the answers with their choices joined, then split into
	         * answer_choices rows (at most two here) */
	        "CREATE TEMP TABLE made(session_id, seq, question_id, question_index, question_text,"
	        "  kind, ids, labels, given_at, time_taken_ms, input_method);"
	        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i+1 FROM n WHERE i < %d - 1)"
	        " INSERT INTO made"
	        " SELECT printf('%%08x-0000-4000-8000-%%012x', %d + i / %d, %d + i / %d),"
	        "  i %% %d + 1,"
	        "  CASE i %% 5 WHEN 0 THEN 'feeling' WHEN 1 THEN 'activities' WHEN 2 THEN 'lunch'"
	        "   WHEN 3 THEN 'safe' ELSE 'help' END,"
	        "  i %% 5,"
	        "  CASE i %% 5 WHEN 0 THEN 'How was today?' WHEN 1 THEN 'What did you do?'"
	        "   WHEN 2 THEN 'How was lunch?' WHEN 3 THEN 'Did you feel safe?'"
	        "   ELSE 'Who can help you?' END,"
	        "  CASE WHEN i %% 17 = 3 THEN 'skipped' WHEN i %% 19 = 4 THEN 'declined' ELSE 'chosen' END,"
	        "  CASE WHEN i %% 17 = 3 OR i %% 19 = 4 THEN '' ELSE CASE i %% 5"
	        "   WHEN 0 THEN (CASE i %% 3 WHEN 0 THEN 'happy' WHEN 1 THEN 'very-happy' ELSE 'sad' END)"
	        "   WHEN 1 THEN (CASE i %% 4 WHEN 0 THEN 'art music' WHEN 1 THEN 'outside' ELSE 'sport reading' END)"
	        "   WHEN 2 THEN 'okay' WHEN 3 THEN (CASE i %% 7 WHEN 0 THEN 'no' ELSE 'yes' END)"
	        "   ELSE 'teacher' END END,"
	        "  CASE WHEN i %% 17 = 3 OR i %% 19 = 4 THEN '' ELSE CASE i %% 5"
	        "   WHEN 0 THEN (CASE i %% 3 WHEN 0 THEN 'Happy' WHEN 1 THEN 'Very happy' ELSE 'Sad' END)"
	        "   WHEN 1 THEN (CASE i %% 4 WHEN 0 THEN 'Art | Music' WHEN 1 THEN 'Playing outside' ELSE 'Sport | Reading' END)"
	        "   WHEN 2 THEN 'OK' WHEN 3 THEN (CASE i %% 7 WHEN 0 THEN 'No' ELSE 'Yes' END)"
	        "   ELSE 'A teacher' END END,"
	        "  strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', 1790000000 + i, 'unixepoch'),"
	        "  800 + (i * 37) %% 9000,"
	        "  CASE i %% 6 WHEN 0 THEN 'switch' ELSE 'touch' END"
	        " FROM n;"
	        "INSERT INTO answers(session_id, seq, question_id, question_index, question_text,"
	        "  kind, given_at, time_taken_ms, input_method)"
	        " SELECT session_id, seq, question_id, question_index, question_text, kind,"
	        "  given_at, time_taken_ms, input_method FROM made;"
	        "INSERT INTO answer_choices(session_id, seq, position, answer_id, answer_label)"
	        " SELECT session_id, seq, 0,"
	        "  CASE WHEN instr(ids, ' ') THEN substr(ids, 1, instr(ids, ' ') - 1) ELSE ids END,"
	        "  CASE WHEN instr(labels, ' | ') THEN substr(labels, 1, instr(labels, ' | ') - 1)"
	        "   ELSE labels END"
	        " FROM made WHERE ids <> ''"
	        " UNION ALL SELECT session_id, seq, 1, substr(ids, instr(ids, ' ') + 1),"
	        "  substr(labels, instr(labels, ' | ') + 3)"
	        " FROM made WHERE instr(ids, ' ') > 0;"
	        "DROP TABLE made;"
	        "COMMIT; PRAGMA synchronous=FULL;",
	        hash, source, first, first + n - 1, kiosk, hash,
	        n * PER_SESSION, first, PER_SESSION, first, PER_SESSION, PER_SESSION);
	char *msg = NULL;
	int rc = sql ? sqlite3_exec(db, sql, NULL, NULL, &msg) : SQLITE_NOMEM;
	if (rc != SQLITE_OK)
		fprintf(stderr, "making %s: %s\n", path, msg ? msg : "out of memory");
	sqlite3_free(msg);
	sqlite3_free(sql);
	store_close(st);
	return rc == SQLITE_OK ? 0 : -1;
}

#endif
