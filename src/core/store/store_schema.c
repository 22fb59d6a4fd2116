/*
 * store_schema: the answers database's schema, as a table of migrations.
 *
 * Promises:
 * - Migrations are a table of steps from version N to N+1, each in its own
 *   IMMEDIATE transaction that re-reads user_version, so two handles opening
 *   the same new file at once (the UI and its writer) cannot both migrate.
 * - A step that fails leaves the database exactly as it was before that step.
 * - A step that has shipped is never edited; a new version is a new step.
 * - Migrating keeps every answer: no row of answers is dropped, and the
 *   chosen answers that version 1 joined into two strings become one
 *   answer_choices row each (v2_split_choices says how).
 */
#include "store/store_internal.h"
#include "base/diag.h"
#include "base/util.h"
#include "flow/flow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int v2_split_choices(sqlite3 *db);

/* Schema version N -> N+1. Append a step for each new version; never edit a
 * step that has shipped. Each runs inside one transaction: sql, then fill
 * (C, for what SQL cannot do; NULL for none), then sql_after, then
 * user_version set to from + 1. */
struct migration {
	int from;
	const char *sql;
	int (*fill)(sqlite3 *db);   /* an SQLite result code */
	const char *sql_after;
	/* The step rebuilds a table others refer to (SQLite's twelve-step
	 * ALTER): foreign keys are off while it runs, and PRAGMA
	 * foreign_key_check must find nothing before it commits. */
	bool rebuilds;
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
	  "PRAGMA application_id = 1413827660;",
	  NULL, NULL, false },
	/* 2: each chosen answer its own row, instead of answers.answer_ids
	 * ("sport art") and answers.answer_labels ("Sport | Art"). */
	{ 1,
	  "CREATE TABLE answer_choices("
	  "  session_id TEXT NOT NULL,"
	  "  seq INTEGER NOT NULL,"
	  "  position INTEGER NOT NULL CHECK(position >= 0),"
	  "  answer_id TEXT NOT NULL,"
	  "  answer_label TEXT NOT NULL,"
	  "  PRIMARY KEY(session_id, seq, position),"
	  "  FOREIGN KEY(session_id, seq) REFERENCES answers(session_id, seq))"
	  " WITHOUT ROWID;",
	  v2_split_choices,
	  "ALTER TABLE answers DROP COLUMN answer_ids;"
	  "ALTER TABLE answers DROP COLUMN answer_labels;", false },
	/* 3: two more ways a session can end: 'interrupted' (the kiosk stopped
	 * without closing it, closed at the next start) and 'completed_early'
	 * (the person chose "I've finished"). A CHECK cannot be altered in
	 * SQLite, so sessions is rebuilt with every row and index kept. */
	{ 2,
	  "CREATE TABLE sessions_v3("
	  "  id TEXT PRIMARY KEY,"
	  "  kiosk_id TEXT NOT NULL,"
	  "  flow_id TEXT NOT NULL,"
	  "  flow_version INTEGER NOT NULL,"
	  "  flow_hash TEXT NOT NULL,"
	  "  started_at TEXT NOT NULL,"
	  "  ended_at TEXT,"
	  "  status TEXT NOT NULL"
	  "    CHECK(status IN ('in_progress','completed','completed_early',"
	  "                     'unfinished','interrupted')),"
	  "  language TEXT NOT NULL,"
	  "  presentation TEXT NOT NULL,"
	  "  event TEXT,"
	  "  exported_at TEXT);"
	  "INSERT INTO sessions_v3 SELECT id, kiosk_id, flow_id, flow_version,"
	  "  flow_hash, started_at, ended_at, status, language, presentation,"
	  "  event, exported_at FROM sessions;"
	  "DROP TABLE sessions;"
	  "ALTER TABLE sessions_v3 RENAME TO sessions;"
	  "CREATE INDEX sessions_by_exported ON sessions(exported_at);"
	  "CREATE INDEX sessions_by_started ON sessions(started_at);",
	  NULL, NULL, true },
	/* 4: which key signed what, for merge (merge/merge_trust.h): the key
	 * each kiosk id was first seen with, and the key that brought each
	 * merged session. A kiosk's own database leaves both empty. */
	{ 3,
	  "CREATE TABLE kiosk_keys("
	  "  kiosk_id TEXT PRIMARY KEY,"
	  "  public_key TEXT NOT NULL,"
	  "  first_seen_at TEXT NOT NULL) WITHOUT ROWID;"
	  "CREATE TABLE session_keys("
	  "  session_id TEXT PRIMARY KEY,"
	  "  public_key TEXT NOT NULL) WITHOUT ROWID;",
	  NULL, NULL, false },
	/* 5: the sort, text and draw questions. A sort answer's pictures are
	 * answer_choices rows that also say which column each went in; a typed
	 * answer's words are on the answer; a drawing is a PNG of its own
	 * table, so reading answers never drags pictures along. */
	{ 4,
	  "ALTER TABLE answer_choices ADD COLUMN sort_column TEXT;"
	  "ALTER TABLE answer_choices ADD COLUMN sort_column_label TEXT;"
	  "ALTER TABLE answers ADD COLUMN typed_text TEXT;"
	  "CREATE TABLE answer_drawings("
	  "  session_id TEXT NOT NULL,"
	  "  seq INTEGER NOT NULL,"
	  "  png BLOB NOT NULL,"
	  "  PRIMARY KEY(session_id, seq),"
	  "  FOREIGN KEY(session_id, seq) REFERENCES answers(session_id, seq))"
	  " WITHOUT ROWID;",
	  NULL, NULL, false },
	/* 6: indexes for counting in one pass (report_collect.c): a session's
	 * latest answer to a question is one seek in answers_latest, and an
	 * event's sessions are found without reading every session. */
	{ 5,
	  "CREATE INDEX answers_latest ON answers(session_id, question_id, seq);"
	  "CREATE INDEX sessions_by_event ON sessions(event);",
	  NULL, NULL, false },
};

#define N_MIGRATIONS (sizeof migrations / sizeof migrations[0])

/* ---- version 2: answers.answer_ids / answer_labels -> answer_choices ---- */

/* s cut at every sep (no match: one piece), in a copy the pieces point into.
 * Cutting "a  b" at " " gives "a", "", "b", as version 1's export did. */
typedef struct pieces {
	char *buf;
	const char **v;
	size_t n;
} pieces;

static int
pieces_cut(pieces *p, const char *s, const char *sep)
{
	size_t sl = strlen(sep), n = 1;
	for (const char *c = strstr(s, sep); c; c = strstr(c + sl, sep))
		n++;
	p->buf = tl_strdup(s);
	p->v = malloc(n * sizeof *p->v);
	p->n = 0;
	if (!p->buf || !p->v)
		return SQLITE_NOMEM;
	char *c = p->buf;
	for (char *e; (e = strstr(c, sep)); c = e + sl) {
		*e = '\0';
		p->v[p->n++] = c;
	}
	p->v[p->n++] = c;
	return SQLITE_OK;
}

static void
pieces_free(pieces *p)
{
	free(p->buf);
	free(p->v);
	*p = (pieces){ 0 };
}

/* The flow a run of answers was given with, parsed from the flows table once
 * per hash (the answers come ordered by hash). NULL when it is not stored or
 * no longer parses. */
typedef struct flow_cache {
	sqlite3_stmt *source;
	char *hash;
	flow *f;
} flow_cache;

static int
flow_cache_get(flow_cache *c, const char *hash, const flow **out)
{
	*out = NULL;
	if (!hash)
		return SQLITE_OK;
	if (c->hash && strcmp(c->hash, hash) == 0) {
		*out = c->f;
		return SQLITE_OK;
	}
	flow_destroy(c->f);
	c->f = NULL;
	free(c->hash);
	if (!(c->hash = tl_strdup(hash)))
		return SQLITE_NOMEM;
	int rc = sqlite3_bind_text(c->source, 1, hash, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(c->source);
	if (rc == SQLITE_ROW) {
		const char *src = (const char *)sqlite3_column_text(c->source, 0);
		diag_list d = { 0 };
		if (src && flow_load_buffer("stored-flow.yaml", src, strlen(src), &c->f, &d) != 0)
			c->f = NULL;
		diag_list_finish(&d);
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE) {
		rc = SQLITE_OK;
	}
	sqlite3_reset(c->source);
	*out = c->f;
	return rc;
}

/* Each id's label in lang, from the flow, or false when the flow, the
 * question or any of the ids is not there. */
static bool
labels_from_flow(const flow *f, const char *qid, const char *lang, const pieces *ids,
                 const char **labels)
{
	int qi = f && qid ? flow_question_index(f, qid) : -1;
	if (qi < 0)
		return false;
	const flow_question *q = &f->questions[qi];
	for (size_t i = 0; i < ids->n; i++) {
		int ai = flow_answer_index(q, ids->v[i]);
		if (ai < 0)
			return false;
		labels[i] = tstr_get(&q->answers[ai].label, lang, f->languages[0]);
	}
	return true;
}

/*
 * Every version-1 answer with chosen ids becomes one answer_choices row per
 * id: the ids cut at single spaces (ids are slugs, which hold none). The
 * labels are cut at " | " when that gives one label per id. When it does
 * not (a label held " | ", or the list was cut short by the old fixed-size
 * buffer) each label is looked up again, by answer id, in the flow stored
 * with the session, in the session's language. When even that fails (no
 * flow stored, or an id it does not have) the joined text is kept whole on
 * the first choice and the others get "": nothing is lost, nothing guessed.
 */
static int
v2_split_choices(sqlite3 *db)
{
	sqlite3_stmt *rows = NULL, *ins = NULL;
	flow_cache fc = { 0 };
	int rc = sqlite3_prepare_v2(db,
	        "SELECT a.session_id, a.seq, a.question_id, a.answer_ids, a.answer_labels,"
	        " s.language, s.flow_hash"
	        " FROM answers a LEFT JOIN sessions s ON s.id = a.session_id"
	        " WHERE a.answer_ids <> '' ORDER BY s.flow_hash, a.id", -1, &rows, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db,
		        "INSERT INTO answer_choices(session_id, seq, position, answer_id,"
		        " answer_label) VALUES(?,?,?,?,?)", -1, &ins, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "SELECT source FROM flows WHERE hash = ?",
		                        -1, &fc.source, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(rows)) == SQLITE_ROW) {
		const char *sid = (const char *)sqlite3_column_text(rows, 0);
		int seq = sqlite3_column_int(rows, 1);
		const char *qid = (const char *)sqlite3_column_text(rows, 2);
		const char *joined = (const char *)sqlite3_column_text(rows, 4);
		const char *lang = (const char *)sqlite3_column_text(rows, 5);
		pieces ids = { 0 }, labels = { 0 };
		const char **use = NULL;
		rc = pieces_cut(&ids, (const char *)sqlite3_column_text(rows, 3), " ");
		if (rc == SQLITE_OK)
			rc = pieces_cut(&labels, joined ? joined : "", " | ");
		if (rc == SQLITE_OK && !(use = calloc(ids.n, sizeof *use)))
			rc = SQLITE_NOMEM;
		if (rc == SQLITE_OK && labels.n == ids.n) {
			memcpy(use, labels.v, ids.n * sizeof *use);
		} else if (rc == SQLITE_OK) {
			const flow *f = NULL;
			rc = flow_cache_get(&fc, (const char *)sqlite3_column_text(rows, 6), &f);
			if (rc == SQLITE_OK && !labels_from_flow(f, qid, lang, &ids, use)) {
				for (size_t i = 0; i < ids.n; i++)
					use[i] = i == 0 && joined ? joined : "";
			}
		}
		for (size_t i = 0; rc == SQLITE_OK && i < ids.n; i++) {
			rc = sqlite3_bind_text(ins, 1, sid, -1, SQLITE_STATIC);
			if (rc == SQLITE_OK) rc = sqlite3_bind_int(ins, 2, seq);
			if (rc == SQLITE_OK) rc = sqlite3_bind_int64(ins, 3, (sqlite3_int64)i);
			if (rc == SQLITE_OK) rc = sqlite3_bind_text(ins, 4, ids.v[i], -1, SQLITE_STATIC);
			if (rc == SQLITE_OK) rc = sqlite3_bind_text(ins, 5, use[i], -1, SQLITE_STATIC);
			if (rc == SQLITE_OK && (rc = sqlite3_step(ins)) == SQLITE_DONE)
				rc = SQLITE_OK;
			sqlite3_reset(ins);
		}
		free(use);
		pieces_free(&ids);
		pieces_free(&labels);
	}
	if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
	sqlite3_finalize(rows);
	sqlite3_finalize(ins);
	sqlite3_finalize(fc.source);
	flow_destroy(fc.f);
	free(fc.hash);
	return rc;
}

/* SQLITE_OK when PRAGMA foreign_key_check finds no row that refers to a
 * missing one, SQLITE_CONSTRAINT_FOREIGNKEY when it does. */
static int
foreign_keys_hold(sqlite3 *db)
{
	sqlite3_stmt *q = NULL;
	int rc = sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &q, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(q);
		rc = rc == SQLITE_ROW ? SQLITE_CONSTRAINT_FOREIGNKEY
		   : rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	sqlite3_finalize(q);
	return rc;
}

/* One step inside its own transaction. 1 when it ran, 0 when the database
 * was already past it, -1 on failure with err filled. */
static int
migrate_step(sqlite3 *db, const struct migration *m, const char *path,
             tl_error *err)
{
	int v = -1, tables = 0, rc = SQLITE_OK;
	/* foreign_keys cannot change inside a transaction: off before it */
	if (m->rebuilds)
		rc = sqlite3_exec(db, "PRAGMA foreign_keys=OFF", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = store_pragma_int(db, "PRAGMA user_version", &v);
	if (rc == SQLITE_OK && v != m->from) {
		/* already past this step (perhaps another handle just ran it) */
		rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
		if (rc == SQLITE_OK && m->rebuilds)
			rc = sqlite3_exec(db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
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
	if (rc == SQLITE_OK && m->fill)
		rc = m->fill(db);
	if (rc == SQLITE_OK && m->sql_after)
		rc = sqlite3_exec(db, m->sql_after, NULL, NULL, NULL);
	if (rc == SQLITE_OK && m->rebuilds)
		rc = foreign_keys_hold(db);
	if (rc == SQLITE_OK) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", m->from + 1);
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (rc == SQLITE_OK && m->rebuilds)
		rc = sqlite3_exec(db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		tl_err_sys(err, TL_E_DB, rc & 0xff,
		        "could not set up the answers database %s (step to "
		        "version %d): %s", path, m->from + 1,
		        rc == SQLITE_NOMEM ? "out of memory" : sqlite3_errmsg(db));
		if (!sqlite3_get_autocommit(db))
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		if (m->rebuilds)
			sqlite3_exec(db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
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
	int rc = store_pragma_int(db, "PRAGMA user_version", &v);
	if (rc != SQLITE_OK)
		return tl_err_sys(err, (rc & 0xff) == SQLITE_NOMEM ? TL_E_NOMEM : TL_E_DB, rc & 0xff,
		                  "cannot read the schema version of the answers database %s: %s",
		                  path, (rc & 0xff) == SQLITE_NOMEM ? "out of memory" : sqlite3_errstr(rc));
	if (v != STORE_SCHEMA_VERSION) {
		/* a step missing from the table: a bug in this file */
		return tl_err(err, TL_E_DB, "the answers database %s is at schema "
		              "version %d, not %d", path, v, STORE_SCHEMA_VERSION);
	}
	return 0;
}
