/*
 * store_schema: the answers database's schema, as a table of migrations.
 *
 * Promises:
 * - Migrations are a table of steps from version N to N+1, each in its own
 *   IMMEDIATE transaction that re-reads user_version, so two handles opening
 *   the same new file at once (the UI and its writer) cannot both migrate.
 * - A step that fails leaves the database exactly as it was before that step.
 * - A step that has shipped is never edited; a new version is a new step.
 */
#include "store/store_internal.h"

#include <stdio.h>
/* Schema version N -> N+1. Append a step for each new version; never edit a
 * step that has shipped. Each runs inside one transaction with user_version
 * set to `to` at its end. */
struct migration {
	int from;
	const char *sql;
};

static const struct migration migrations[] = {
	{ 0,
	  "CREATE TABLE meta("
	  "  key TEXT PRIMARY KEY,"
	  "  value TEXT NOT NULL);"
	  "CREATE TABLE flows("
	  "  hash TEXT PRIMARY KEY,"
	  "  id TEXT NOT NULL,"
	  "  version INTEGER NOT NULL,"
	  "  source TEXT);"
	  "CREATE TABLE sessions("
	  "  id TEXT PRIMARY KEY,"
	  "  kiosk_id TEXT NOT NULL,"
	  "  flow_id TEXT NOT NULL,"
	  "  flow_version INTEGER NOT NULL,"
	  "  flow_hash TEXT NOT NULL,"
	  "  started_at TEXT NOT NULL,"
	  "  ended_at TEXT,"
	  "  status TEXT NOT NULL"
	  "    CHECK(status IN ('in_progress','completed','unfinished')),"
	  "  language TEXT NOT NULL,"
	  "  presentation TEXT NOT NULL,"
	  "  event TEXT,"
	  "  exported_at TEXT);"
	  "CREATE TABLE answers("
	  "  id INTEGER PRIMARY KEY,"
	  "  session_id TEXT NOT NULL REFERENCES sessions(id),"
	  "  seq INTEGER NOT NULL,"
	  "  question_id TEXT NOT NULL,"
	  "  question_index INTEGER NOT NULL,"
	  "  question_text TEXT NOT NULL,"
	  "  kind TEXT NOT NULL CHECK(kind IN ('chosen','skipped','declined')),"
	  "  answer_ids TEXT NOT NULL,"
	  "  answer_labels TEXT NOT NULL,"
	  "  given_at TEXT NOT NULL,"
	  "  time_taken_ms INTEGER NOT NULL,"
	  "  input_method TEXT NOT NULL,"
	  "  UNIQUE(session_id, seq));"
	  /* UNIQUE(session_id, seq) already indexes answers by session; the
	   * named index keeps the intent visible and costs little. */
	  "CREATE INDEX answers_by_session ON answers(session_id);"
	  "CREATE INDEX sessions_by_exported ON sessions(exported_at);"
	  "CREATE INDEX sessions_by_started ON sessions(started_at);"
	  "PRAGMA application_id = 1413827660;" },
};

#define N_MIGRATIONS (sizeof migrations / sizeof migrations[0])

/* One step inside its own transaction. 1 when it ran, 0 when the database
 * was already past it, -1 on failure with err filled. */
static int
migrate_step(sqlite3 *db, const struct migration *m, const char *path,
             tl_error *err)
{
	int v = -1, tables = 0;
	int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = store_pragma_int(db, "PRAGMA user_version", &v);
	if (rc == SQLITE_OK && v != m->from) {
		/* already past this step (perhaps another handle just ran it) */
		rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			return 0;
	}
	if (rc == SQLITE_OK && m->from == 0)
		rc = store_pragma_int(db, "SELECT count(*) FROM sqlite_master", &tables);
	if (rc == SQLITE_OK && tables > 0) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return tl_err(err, TL_E_REFUSED,
		        "%s is a SQLite database but not a Tellus one; it was "
		        "left untouched. Choose another path.", path);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, m->sql, NULL, NULL, NULL);
	if (rc == SQLITE_OK) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", m->from + 1);
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		tl_err_sys(err, TL_E_DB, rc & 0xff,
		        "could not set up the answers database %s (step to "
		        "version %d): %s", path, m->from + 1, sqlite3_errmsg(db));
		if (!sqlite3_get_autocommit(db))
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 1;
}

int
store_schema_migrate(sqlite3 *db, const char *path, tl_error *err)
{
	for (size_t i = 0; i < N_MIGRATIONS; i++)
		if (migrate_step(db, &migrations[i], path, err) < 0)
			return -1;
	int v = -1;
	if (store_pragma_int(db, "PRAGMA user_version", &v) != SQLITE_OK ||
	    v != STORE_SCHEMA_VERSION) {
		/* a step missing from the table: a bug in this file */
		return tl_err(err, TL_E_DB, "the answers database %s is at schema "
		              "version %d, not %d", path, v, STORE_SCHEMA_VERSION);
	}
	return 0;
}
