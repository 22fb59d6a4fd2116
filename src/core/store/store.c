/*
 * store: the kiosk's SQLite database (schema, migrations, one transaction per
 * record).
 *
 * Promises:
 * - Every store_begin_session, store_add_answer and store_end_session is
 *   committed (WAL, synchronous=FULL) before it returns; nothing is held in
 *   memory waiting for a later commit.
 * - Answers are only ever added. store_end_session fills in the one session
 *   row once and never overwrites an ending already recorded.
 * - A file that is not a SQLite database, a SQLite database that is not
 *   Tellus's, or one made by a newer Tellus is refused with a plain reason
 *   and left exactly as it was: we look before SQLite writes anything.
 * - Migrations are a table of steps from version N to N+1, each in its own
 *   IMMEDIATE transaction that re-reads user_version, so two handles opening
 *   the same new file at once (the UI and its writer) cannot both migrate.
 */
#include "store/store.h"
#include "base/error.h"
#include "base/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <sqlite3.h>

/* PRAGMA application_id marks the file as ours ("TELL"), so a foreign
 * database with a user_version of its own is not mistaken for a newer
 * Tellus one. */
#define STORE_APPLICATION_ID 0x54454C4C
#define STORE_BUSY_TIMEOUT_MS 2000

struct store {
	sqlite3 *db;
	bool read_only;
	char kiosk_id[64];
	/* The hot inserts, prepared once: the kiosk commits one per answer. */
	sqlite3_stmt *ins_flow;
	sqlite3_stmt *ins_session;
	sqlite3_stmt *ins_answer;
	sqlite3_stmt *end_session;
	sqlite3_stmt *session_status;
};

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

/* SQLite's reason for rc, taken before a ROLLBACK or reset can replace it.
 * sys is the primary result code (SQLITE_CONSTRAINT, ...). Busy and locked
 * are TL_E_BUSY: the writer retries those and nothing else. */
static int
fail_db(store *st, int rc, tl_error *err)
{
	int primary = rc & 0xff;
	enum tl_code code = primary == SQLITE_BUSY || primary == SQLITE_LOCKED
	                    ? TL_E_BUSY : TL_E_DB;
	return tl_err_sys(err, code, primary, "%s", sqlite3_errmsg(st->db));
}

/* mkdir -p for the folders above path. 0, or an errno value with the folder
 * that failed in bad (which the caller sized like path). */
static int
make_parents(const char *path, char *bad, size_t badlen)
{
	char *p = tl_strdup(path);
	if (!p)
		return ENOMEM;
	char *slash = strrchr(p, '/');
	if (!slash || slash == p) {
		free(p);
		return 0;
	}
	*slash = '\0';
	int rc = 0;
	for (char *c = p + 1; rc == 0; c++) {
		bool end = *c == '\0';
		if (*c != '/' && !end)
			continue;
		*c = '\0';
		struct stat sb;
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			rc = errno;
		else if (stat(p, &sb) != 0)
			rc = errno;
		else if (!S_ISDIR(sb.st_mode))
			rc = ENOTDIR;
		if (rc)
			snprintf(bad, badlen, "%s", p);
		if (end)
			break;
		*c = '/';
	}
	free(p);
	return rc;
}

/* Looks at the first bytes ourselves, so a file that is not SQLite is
 * refused before SQLite could touch it. 0 when absent, empty or SQLite. */
static int
check_header(const char *path, tl_error *err)
{
	static const char magic[16] = "SQLite format 3";  /* with its NUL */
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		return tl_err_sys(err, TL_E_IO, errno, "cannot read the answers "
		                  "database %s: %s", path, strerror(errno));
	}
	char head[16];
	size_t n = fread(head, 1, sizeof head, f);
	fclose(f);
	if (n == 0)
		return 0;
	if (n < sizeof head || memcmp(head, magic, sizeof magic) != 0) {
		return tl_err(err, TL_E_REFUSED,
		        "%s is not a Tellus answers database (it is not a SQLite "
		        "file); it was left untouched. Move it away or choose "
		        "another path.", path);
	}
	return 0;
}

static int
pragma_int(sqlite3 *db, const char *sql, int *out)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			*out = sqlite3_column_int(s, 0);
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(s);
	return rc;
}

/* Turning a fresh file to WAL needs a moment alone with it; another handle
 * opening the same file at the same time can make that busy, and the busy
 * handler is not always consulted for it, so we wait here. */
static int
set_wal(sqlite3 *db)
{
	for (int tries = 0; tries < 100; tries++) {
		sqlite3_stmt *s = NULL;
		int rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode=WAL", -1, &s, NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_step(s);
		bool wal = rc == SQLITE_ROW &&
		           sqlite3_stricmp((const char *)sqlite3_column_text(s, 0), "wal") == 0;
		sqlite3_finalize(s);
		if (wal)
			return SQLITE_OK;
		if (rc != SQLITE_ROW && (rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
			return rc;
		sqlite3_sleep(20);
	}
	return SQLITE_BUSY;
}

/* One step inside its own transaction. 1 when it ran, 0 when the database
 * was already past it, -1 on failure with err filled. */
static int
migrate_step(sqlite3 *db, const struct migration *m, const char *path,
             tl_error *err)
{
	int v = -1, tables = 0;
	int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = pragma_int(db, "PRAGMA user_version", &v);
	if (rc == SQLITE_OK && v != m->from) {
		/* already past this step (perhaps another handle just ran it) */
		rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			return 0;
	}
	if (rc == SQLITE_OK && m->from == 0)
		rc = pragma_int(db, "SELECT count(*) FROM sqlite_master", &tables);
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

static int
migrate(sqlite3 *db, const char *path, tl_error *err)
{
	for (size_t i = 0; i < N_MIGRATIONS; i++)
		if (migrate_step(db, &migrations[i], path, err) < 0)
			return -1;
	int v = -1;
	if (pragma_int(db, "PRAGMA user_version", &v) != SQLITE_OK ||
	    v != STORE_SCHEMA_VERSION) {
		/* a step missing from the table: a bug in this file */
		return tl_err(err, TL_E_DB, "the answers database %s is at schema "
		              "version %d, not %d", path, v, STORE_SCHEMA_VERSION);
	}
	return 0;
}

/* Reads the kiosk id, making one first if this database has none. The
 * INSERT OR IGNORE makes two handles racing on a new file agree. */
static int
load_kiosk_id(store *st)
{
	int rc = SQLITE_OK;
	if (!st->read_only)
		rc = sqlite3_exec(st->db,
		        "INSERT OR IGNORE INTO meta(key, value) VALUES('kiosk_id',"
		        " 'kiosk-' || lower(hex(randomblob(4))))", NULL, NULL, NULL);
	sqlite3_stmt *s = NULL;
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(st->db,
		        "SELECT value FROM meta WHERE key = 'kiosk_id'", -1, &s, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			snprintf(st->kiosk_id, sizeof st->kiosk_id, "%s",
			         (const char *)sqlite3_column_text(s, 0));
			rc = SQLITE_OK;
		} else if (rc == SQLITE_DONE) {
			st->kiosk_id[0] = '\0';  /* read-only and never opened for writing */
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(s);
	return rc;
}

static int
prepare_all(store *st)
{
	struct {
		sqlite3_stmt **slot;
		const char *sql;
	} stmts[] = {
		{ &st->ins_flow,
		  "INSERT OR IGNORE INTO flows(hash, id, version, source) VALUES(?,?,?,?)" },
		{ &st->ins_session,
		  "INSERT INTO sessions(id, kiosk_id, flow_id, flow_version, flow_hash,"
		  " started_at, status, language, presentation)"
		  " VALUES(?,?,?,?,?,?,'in_progress',?,?)" },
		{ &st->ins_answer,
		  "INSERT INTO answers(session_id, seq, question_id, question_index,"
		  " question_text, kind, answer_ids, answer_labels, given_at,"
		  " time_taken_ms, input_method) VALUES(?,?,?,?,?,?,?,?,?,?,?)" },
		{ &st->end_session,
		  "UPDATE sessions SET status = ?1, ended_at = ?2"
		  " WHERE id = ?3 AND status = 'in_progress'" },
		{ &st->session_status,
		  "SELECT status FROM sessions WHERE id = ?" },
	};
	int rc = SQLITE_OK;
	for (size_t i = 0; rc == SQLITE_OK && i < sizeof stmts / sizeof stmts[0]; i++)
		rc = sqlite3_prepare_v3(st->db, stmts[i].sql, -1,
		                        SQLITE_PREPARE_PERSISTENT, stmts[i].slot, NULL);
	return rc;
}

/* Closes a half-made handle and passes the failure up. */
static int
open_failed(store *st)
{
	store_close(st);
	return -1;
}

int
store_open(const char *path, const store_options *opt, store **out,
           tl_error *err)
{
	*out = NULL;
	if (!path || !*path)
		return tl_err(err, TL_E_INVALID, "no path was given for the answers database");
	bool read_only = opt && opt->read_only;
	const char *vfs = opt ? opt->vfs : NULL;

	if (!read_only) {
		size_t badlen = strlen(path) + 1;
		char *bad = malloc(badlen);
		if (!bad)
			return tl_err(err, TL_E_NOMEM, "out of memory opening %s", path);
		int e = make_parents(path, bad, badlen);
		if (e) {
			tl_err_sys(err, TL_E_IO, e, "cannot create the folder %s for the "
			           "answers database: %s", bad, strerror(e));
			free(bad);
			return -1;
		}
		free(bad);
	}
	if (check_header(path, err) != 0)
		return -1;

	store *st = calloc(1, sizeof *st);
	if (!st)
		return tl_err(err, TL_E_NOMEM, "out of memory opening %s", path);
	st->read_only = read_only;
	int flags = (read_only ? SQLITE_OPEN_READONLY
	                       : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
	            | SQLITE_OPEN_NOMUTEX;
	int rc = sqlite3_open_v2(path, &st->db, flags, vfs);
	if (rc != SQLITE_OK) {
		tl_err_sys(err, TL_E_DB, rc & 0xff, "cannot open the answers database %s: %s",
		           path, st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
		return open_failed(st);
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);

	/* Read-only questions first: refusing must not change a byte, and
	 * switching to WAL would rewrite the header. */
	int version = 0, app_id = 0;
	rc = pragma_int(st->db, "PRAGMA application_id", &app_id);
	if (rc == SQLITE_OK)
		rc = pragma_int(st->db, "PRAGMA user_version", &version);
	if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT) {
		tl_err_sys(err, TL_E_REFUSED, rc & 0xff,
		        "%s is not a Tellus answers database (SQLite cannot read it); "
		        "it was left untouched. Move it away or choose another path.",
		        path);
		return open_failed(st);
	}
	if (rc != SQLITE_OK) {
		tl_err_sys(err, TL_E_DB, rc & 0xff, "cannot read the answers database %s: %s",
		           path, sqlite3_errmsg(st->db));
		return open_failed(st);
	}
	int tables = 0;
	if (version == 0 &&
	    pragma_int(st->db, "SELECT count(*) FROM sqlite_master", &tables) != SQLITE_OK)
		tables = 1;   /* cannot tell: do not claim it */
	if ((app_id != 0 && app_id != STORE_APPLICATION_ID) || tables > 0) {
		tl_err(err, TL_E_REFUSED, "%s is a SQLite database but not a Tellus one; "
		       "it was left untouched. Choose another path.", path);
		return open_failed(st);
	}
	if (version > STORE_SCHEMA_VERSION) {
		tl_err(err, TL_E_REFUSED,
		        "%s was made by a newer Tellus (schema version %d; this one "
		        "knows up to %d); it was left untouched. Update Tellus on this "
		        "kiosk, or export the answers with the newer one.",
		        path, version, STORE_SCHEMA_VERSION);
		return open_failed(st);
	}
	if (read_only && version != STORE_SCHEMA_VERSION) {
		tl_err(err, TL_E_REFUSED, "%s needs setting up or upgrading, which a "
		       "read-only open cannot do; open it once for writing.", path);
		return open_failed(st);
	}

	if (!read_only) {
		rc = set_wal(st->db);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(st->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(st->db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		tl_err_sys(err, TL_E_DB, rc & 0xff, "cannot set up the answers database %s: %s",
		           path, sqlite3_errmsg(st->db));
		return open_failed(st);
	}
	if (!read_only && migrate(st->db, path, err) != 0)
		return open_failed(st);
	rc = load_kiosk_id(st);
	if (rc == SQLITE_OK && !read_only)
		rc = prepare_all(st);
	if (rc != SQLITE_OK) {
		tl_err_sys(err, TL_E_DB, rc & 0xff, "cannot set up the answers database %s: %s",
		           path, sqlite3_errmsg(st->db));
		return open_failed(st);
	}
	*out = st;
	return 0;
}

void
store_close(store *st)
{
	if (!st)
		return;
	sqlite3_finalize(st->ins_flow);
	sqlite3_finalize(st->ins_session);
	sqlite3_finalize(st->ins_answer);
	sqlite3_finalize(st->end_session);
	sqlite3_finalize(st->session_status);
	sqlite3_close_v2(st->db);
	free(st);
}

int
store_user_version(store *st)
{
	int v = -1;
	if (!st || pragma_int(st->db, "PRAGMA user_version", &v) != SQLITE_OK)
		return -1;
	return v;
}

const char *
store_kiosk_id(store *st)
{
	return st ? st->kiosk_id : "";
}

int
store_set_kiosk_id(store *st, const char *id, tl_error *err)
{
	if (!id || !*id || strlen(id) >= sizeof st->kiosk_id)
		return tl_err_sys(err, TL_E_INVALID, SQLITE_MISUSE,
		                  "a kiosk id must be 1 to 63 characters");
	if (st->read_only)
		return tl_err_sys(err, TL_E_REFUSED, SQLITE_READONLY,
		                  "the answers database is open read-only");
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db,
	        "INSERT OR REPLACE INTO meta(key, value) VALUES('kiosk_id', ?)",
	        -1, &s, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc != SQLITE_DONE) {
		fail_db(st, rc, err);
		sqlite3_finalize(s);
		return -1;
	}
	sqlite3_finalize(s);
	snprintf(st->kiosk_id, sizeof st->kiosk_id, "%s", id);
	return 0;
}

struct sqlite3 *
store_db(store *st)
{
	return st ? st->db : NULL;
}

/* Runs a prepared statement that returns no rows and resets it. The reason
 * for a failure is taken before the reset. */
static int
step_done(store *st, sqlite3_stmt *s, tl_error *err)
{
	int rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
	else
		fail_db(st, rc, err);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc;
}

static int
bind_text(sqlite3_stmt *s, int i, const char *v)
{
	return v ? sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(s, i);
}

static int
not_writable(store *st, tl_error *err)
{
	if (!st)
		return tl_err(err, TL_E_INVALID, "no answers database");
	if (st->read_only)
		return tl_err_sys(err, TL_E_REFUSED, SQLITE_READONLY,
		                  "the answers database is open read-only");
	return 0;
}

int
store_begin_session(store *st, const store_session *s, tl_error *err)
{
	if (not_writable(st, err))
		return -1;
	char started[32];
	tl_iso8601(s->started_wall_ms, started);
	const char *kiosk = s->kiosk_id ? s->kiosk_id : st->kiosk_id;

	/* A failing step fills err itself (before its reset); failing binds,
	 * BEGIN and COMMIT leave it to the end. */
	bool filled = false;
	int rc = sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc == SQLITE_OK && s->flow_source && s->flow_hash) {
		sqlite3_stmt *f = st->ins_flow;
		rc = bind_text(f, 1, s->flow_hash);
		if (rc == SQLITE_OK) rc = bind_text(f, 2, s->flow_id);
		if (rc == SQLITE_OK) rc = sqlite3_bind_int(f, 3, s->flow_version);
		if (rc == SQLITE_OK) rc = bind_text(f, 4, s->flow_source);
		if (rc == SQLITE_OK) filled = (rc = step_done(st, f, err)) != SQLITE_OK;
	}
	if (rc == SQLITE_OK) {
		sqlite3_stmt *q = st->ins_session;
		rc = bind_text(q, 1, s->id);
		if (rc == SQLITE_OK) rc = bind_text(q, 2, kiosk);
		if (rc == SQLITE_OK) rc = bind_text(q, 3, s->flow_id);
		if (rc == SQLITE_OK) rc = sqlite3_bind_int(q, 4, s->flow_version);
		if (rc == SQLITE_OK) rc = bind_text(q, 5, s->flow_hash);
		if (rc == SQLITE_OK) rc = bind_text(q, 6, started);
		if (rc == SQLITE_OK) rc = bind_text(q, 7, s->language);
		if (rc == SQLITE_OK) rc = bind_text(q, 8, s->presentation);
		if (rc == SQLITE_OK) filled = (rc = step_done(st, q, err)) != SQLITE_OK;
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		if (!filled)
			fail_db(st, rc, err);
		if (!sqlite3_get_autocommit(st->db))
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

int
store_add_answer(store *st, const store_answer *a, tl_error *err)
{
	if (not_writable(st, err))
		return -1;
	char given[32];
	tl_iso8601(a->given_wall_ms, given);
	/* One INSERT in autocommit mode is one transaction: committed (and
	 * synced) by the time sqlite3_step returns. */
	sqlite3_stmt *q = st->ins_answer;
	int rc = bind_text(q, 1, a->session_id);
	if (rc == SQLITE_OK) rc = sqlite3_bind_int(q, 2, a->seq);
	if (rc == SQLITE_OK) rc = bind_text(q, 3, a->question_id);
	if (rc == SQLITE_OK) rc = sqlite3_bind_int(q, 4, a->question_index);
	if (rc == SQLITE_OK) rc = bind_text(q, 5, a->question_text);
	if (rc == SQLITE_OK) rc = bind_text(q, 6, a->kind);
	if (rc == SQLITE_OK) rc = bind_text(q, 7, a->answer_ids ? a->answer_ids : "");
	if (rc == SQLITE_OK) rc = bind_text(q, 8, a->answer_labels ? a->answer_labels : "");
	if (rc == SQLITE_OK) rc = bind_text(q, 9, given);
	if (rc == SQLITE_OK) rc = sqlite3_bind_int64(q, 10, a->time_taken_ms);
	if (rc == SQLITE_OK) rc = bind_text(q, 11, a->input_method);
	if (rc == SQLITE_OK)
		return step_done(st, q, err) == SQLITE_OK ? 0 : -1;
	fail_db(st, rc, err);
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return -1;
}

int
store_end_session(store *st, const char *session_id, const char *status,
                  int64_t ended_wall_ms, tl_error *err)
{
	if (not_writable(st, err))
		return -1;
	if (!session_id)
		return tl_err_sys(err, TL_E_INVALID, SQLITE_MISUSE, "no session id was given");
	if (!status || (strcmp(status, "completed") != 0 && strcmp(status, "unfinished") != 0))
		return tl_err_sys(err, TL_E_INVALID, SQLITE_CONSTRAINT,
		                  "a session ends as completed or unfinished");
	char ended[32];
	tl_iso8601(ended_wall_ms, ended);
	sqlite3_stmt *q = st->end_session;
	int rc = bind_text(q, 1, status);
	if (rc == SQLITE_OK) rc = bind_text(q, 2, ended);
	if (rc == SQLITE_OK) rc = bind_text(q, 3, session_id);
	if (rc != SQLITE_OK) {
		fail_db(st, rc, err);
		sqlite3_reset(q);
		sqlite3_clear_bindings(q);
		return -1;
	}
	if (step_done(st, q, err) != SQLITE_OK)
		return -1;
	if (sqlite3_changes(st->db) > 0)
		return 0;
	/* Nothing changed: either no such session, or it had already ended. An
	 * ending already recorded stands (a repeated end is harmless). */
	q = st->session_status;
	rc = bind_text(q, 1, session_id);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		fail_db(st, rc, err);
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		tl_err_sys(err, TL_E_INVALID, SQLITE_NOTFOUND, "no session with that id was begun");
	return -1;
}

static int64_t
count(store *st, const char *sql, const char *arg)
{
	if (!st)
		return -1;
	sqlite3_stmt *s = NULL;
	int64_t n = -1;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc == SQLITE_OK && arg)
		rc = sqlite3_bind_text(s, 1, arg, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

int64_t
store_count_sessions(store *st, const char *status)
{
	if (status)
		return count(st, "SELECT count(*) FROM sessions WHERE status = ?", status);
	return count(st, "SELECT count(*) FROM sessions", NULL);
}

int64_t
store_count_answers(store *st)
{
	return count(st, "SELECT count(*) FROM answers", NULL);
}
