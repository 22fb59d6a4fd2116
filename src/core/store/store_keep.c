/*
 * store_keep: see store_keep.h. One transaction deletes the chosen
 * sessions' answer_choices, answers and sessions (in that order: the
 * foreign keys); the set-up is closed in the same transaction. VACUUM and
 * the checkpoint follow outside it (neither may run inside one).
 */
#include "store/store_keep.h"
#include "base/util.h"
#include "pin/pin.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static int
db_fail(sqlite3 *db, const char *what, tl_error *err)
{
	return tl_err_sys(err, TL_E_DB, sqlite3_extended_errcode(db) & 0xff, "%s: %s", what,
	                  sqlite3_errmsg(db));
}

/* One integer from sql with ?1 bound to text (may be NULL: no binding). */
static int
one_int(sqlite3 *db, const char *sql, const char *arg, int64_t *out)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
	if (rc == SQLITE_OK && arg)
		rc = sqlite3_bind_text(s, 1, arg, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		*out = sqlite3_column_int64(s, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(s);
	return rc;
}

/* Runs sql with ?1 bound to arg (may be NULL). */
static int
exec_arg(sqlite3 *db, const char *sql, const char *arg)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
	if (rc == SQLITE_OK && arg)
		rc = sqlite3_bind_text(s, 1, arg, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_DONE)
		rc = SQLITE_OK;
	sqlite3_finalize(s);
	return rc;
}

/* Deletes the sessions `where` picks (?1 bound to arg), wiped and given
 * back. With all_exported, refuses when any session is not exported. */
static int
delete_where(store *st, const char *where, const char *arg, bool all_exported,
             int64_t *deleted, tl_error *err)
{
	sqlite3 *db = store_db(st);
	int64_t n = 0, left = 0;
	if (deleted)
		*deleted = 0;
	/* secure_delete: the freed bytes are overwritten, not left for a
	 * file-recovery tool. */
	if (sqlite3_exec(db, "PRAGMA secure_delete = ON", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(db, "could not clear old sessions", err);
	char sql[512];
	int rc = SQLITE_OK;
	if (all_exported)
		rc = one_int(db, "SELECT count(*) FROM sessions WHERE exported_at IS NULL", NULL, &left);
	if (rc == SQLITE_OK && left > 0) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return tl_err(err, TL_E_REFUSED, "%lld session%s not exported yet: export first, then "
		              "clear the kiosk", (long long)left, left == 1 ? " is" : "s are");
	}
	snprintf(sql, sizeof sql, "SELECT count(*) FROM sessions WHERE %s", where);
	if (rc == SQLITE_OK)
		rc = one_int(db, sql, arg, &n);
	snprintf(sql, sizeof sql, "DELETE FROM answer_choices WHERE session_id IN"
	         " (SELECT id FROM sessions WHERE %s)", where);
	if (rc == SQLITE_OK && n > 0)
		rc = exec_arg(db, sql, arg);
	/* drawings (schema version 5) go with their answers too */
	snprintf(sql, sizeof sql, "DELETE FROM answer_drawings WHERE session_id IN"
	         " (SELECT id FROM sessions WHERE %s)", where);
	if (rc == SQLITE_OK && n > 0)
		rc = exec_arg(db, sql, arg);
	snprintf(sql, sizeof sql, "DELETE FROM answers WHERE session_id IN"
	         " (SELECT id FROM sessions WHERE %s)", where);
	if (rc == SQLITE_OK && n > 0)
		rc = exec_arg(db, sql, arg);
	snprintf(sql, sizeof sql, "DELETE FROM sessions WHERE %s", where);
	if (rc == SQLITE_OK && n > 0)
		rc = exec_arg(db, sql, arg);
	if (rc == SQLITE_OK && n > 0)
		rc = exec_arg(db, "INSERT OR REPLACE INTO meta(key, value) VALUES('"
		              PIN_SETUP_CLOSED_KEY "', '1')", NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		db_fail(db, "could not clear old sessions", err);
		if (!sqlite3_get_autocommit(db))
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	if (deleted)
		*deleted = n;
	if (n == 0)
		return 0;
	/* The space back, and no copy of the old pages left in the WAL. A
	 * failure here loses nothing: the rows are gone, their bytes zeroed. */
	if (sqlite3_exec(db, "VACUUM", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(db, "the old sessions are deleted, but their space could not be "
		               "given back", err);
	return 0;
}

int
store_keep_apply(store *st, int keep_days, int64_t now_wall_ms, int64_t *deleted,
                 tl_error *err)
{
	if (keep_days < 1)
		keep_days = STORE_KEEP_DAYS_DEFAULT;
	char cutoff[32];
	tl_iso8601(now_wall_ms - (int64_t)keep_days * 86400000LL, cutoff);
	return delete_where(st, "exported_at IS NOT NULL AND exported_at < ?1", cutoff, false,
	                    deleted, err);
}

int
store_keep_clear(store *st, int64_t *deleted, tl_error *err)
{
	return delete_where(st, "exported_at IS NOT NULL", NULL, true, deleted, err);
}

int
store_keep_holdings(store *st, store_holdings *out, tl_error *err)
{
	memset(out, 0, sizeof *out);
	sqlite3 *db = store_db(st);
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db, "SELECT count(*), sum(exported_at IS NULL), min(started_at)"
	                            " FROM sessions", -1, &s, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		out->sessions = sqlite3_column_int64(s, 0);
		out->not_exported = sqlite3_column_int64(s, 1);
		const char *o = (const char *)sqlite3_column_text(s, 2);
		snprintf(out->oldest_started, sizeof out->oldest_started, "%s", o ? o : "");
		rc = SQLITE_OK;
	}
	sqlite3_finalize(s);
	return rc == SQLITE_OK ? 0 : db_fail(db, "could not count the sessions", err);
}
