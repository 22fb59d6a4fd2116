/*
 * store_write: the store's writes, each one transaction committed before it
 * returns (WAL, synchronous=FULL, set by store_open).
 *
 * Promises:
 * - Every store_begin_session, store_add_answer and store_end_session is
 *   committed before it returns; nothing is held in memory waiting for a
 *   later commit.
 * - Answers are only ever added. store_end_session fills in the one session
 *   row once and never overwrites an ending already recorded.
 * - An answer's choices go in with it, one answer_choices row each, in the
 *   same transaction: a reader never sees an answer without its choices.
 *   Nothing is joined or cut to fit; SQLite keeps each id and label whole.
 * - The statements are prepared once per handle (store_write_prepare), so an
 *   answer costs a step per row and one fsync, not a parse.
 */
#include "store/store_internal.h"
#include "base/util.h"

#include <stdbool.h>
#include <string.h>

int
store_write_prepare(store *st)
{
	struct {
		sqlite3_stmt **slot;
		const char *sql;
	} stmts[] = {
		{ &st->ins_flow,
		  "INSERT OR IGNORE INTO flows(hash, id, version, source) VALUES(?,?,?,?)" },
		{ &st->ins_session,
		  "INSERT INTO sessions(id, kiosk_id, flow_id, flow_version, flow_hash,"
		  " started_at, status, language, presentation, event)"
		  " VALUES(?,?,?,?,?,?,'in_progress',?,?,?)" },
		{ &st->ins_answer,
		  "INSERT INTO answers(session_id, seq, question_id, question_index,"
		  " question_text, kind, given_at, time_taken_ms, input_method, typed_text)"
		  " VALUES(?,?,?,?,?,?,?,?,?,?)" },
		{ &st->ins_choice,
		  "INSERT INTO answer_choices(session_id, seq, position, answer_id,"
		  " answer_label, sort_column, sort_column_label) VALUES(?,?,?,?,?,?,?)" },
		{ &st->ins_drawing,
		  "INSERT INTO answer_drawings(session_id, seq, png) VALUES(?,?,?)" },
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

void
store_write_finalize(store *st)
{
	sqlite3_finalize(st->ins_flow);
	sqlite3_finalize(st->ins_session);
	sqlite3_finalize(st->ins_answer);
	sqlite3_finalize(st->ins_choice);
	sqlite3_finalize(st->ins_drawing);
	sqlite3_finalize(st->end_session);
	sqlite3_finalize(st->session_status);
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
		store_fail_db(st->db, rc, err);
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

/* Commits the transaction begun with BEGIN IMMEDIATE when rc is SQLITE_OK,
 * else rolls it back. filled: err already says why (a failing step fills it
 * before its reset); otherwise the reason is taken here, before the
 * ROLLBACK can replace it. */
static int
tx_end(store *st, int rc, bool filled, tl_error *err)
{
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		return 0;
	if (!filled)
		store_fail_db(st->db, rc, err);
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
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
		if (rc == SQLITE_OK) rc = bind_text(q, 9, s->event && *s->event ? s->event : NULL);
		if (rc == SQLITE_OK) filled = (rc = step_done(st, q, err)) != SQLITE_OK;
	}
	return tx_end(st, rc, filled, err);
}

int
store_add_answer(store *st, const store_answer *a, tl_error *err)
{
	if (not_writable(st, err))
		return -1;
	for (size_t i = 0; i < a->n_choices; i++)
		if (!a->choice_ids || !a->choice_ids[i])
			return tl_err(err, TL_E_INVALID, "choice %zu of answer %d to %s has no id",
			              i + 1, a->seq, a->question_id ? a->question_id : "?");
	char given[32];
	tl_iso8601(a->given_wall_ms, given);

	bool filled = false;
	int rc = sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_stmt *q = st->ins_answer;
		rc = bind_text(q, 1, a->session_id);
		if (rc == SQLITE_OK) rc = sqlite3_bind_int(q, 2, a->seq);
		if (rc == SQLITE_OK) rc = bind_text(q, 3, a->question_id);
		if (rc == SQLITE_OK) rc = sqlite3_bind_int(q, 4, a->question_index);
		if (rc == SQLITE_OK) rc = bind_text(q, 5, a->question_text);
		if (rc == SQLITE_OK) rc = bind_text(q, 6, a->kind);
		if (rc == SQLITE_OK) rc = bind_text(q, 7, given);
		if (rc == SQLITE_OK) rc = sqlite3_bind_int64(q, 8, a->time_taken_ms);
		if (rc == SQLITE_OK) rc = bind_text(q, 9, a->input_method);
		if (rc == SQLITE_OK) rc = a->typed_text ? bind_text(q, 10, a->typed_text)
		                                        : sqlite3_bind_null(q, 10);
		if (rc == SQLITE_OK) filled = (rc = step_done(st, q, err)) != SQLITE_OK;
	}
	for (size_t i = 0; rc == SQLITE_OK && i < a->n_choices; i++) {
		sqlite3_stmt *c = st->ins_choice;
		const char *label = a->choice_labels && a->choice_labels[i] ? a->choice_labels[i] : "";
		rc = bind_text(c, 1, a->session_id);
		if (rc == SQLITE_OK) rc = sqlite3_bind_int(c, 2, a->seq);
		if (rc == SQLITE_OK) rc = sqlite3_bind_int64(c, 3, (sqlite3_int64)i);
		if (rc == SQLITE_OK) rc = bind_text(c, 4, a->choice_ids[i]);
		if (rc == SQLITE_OK) rc = bind_text(c, 5, label);
		if (rc == SQLITE_OK) rc = a->choice_columns
		        ? bind_text(c, 6, a->choice_columns[i] ? a->choice_columns[i] : STORE_UNSORTED)
		        : sqlite3_bind_null(c, 6);
		if (rc == SQLITE_OK) rc = a->choice_columns
		        ? bind_text(c, 7, a->choice_column_labels && a->choice_column_labels[i]
		                          ? a->choice_column_labels[i] : "")
		        : sqlite3_bind_null(c, 7);
		if (rc == SQLITE_OK) filled = (rc = step_done(st, c, err)) != SQLITE_OK;
	}
	if (rc == SQLITE_OK && a->drawing_png && a->drawing_len > 0) {
		sqlite3_stmt *d = st->ins_drawing;
		rc = bind_text(d, 1, a->session_id);
		if (rc == SQLITE_OK) rc = sqlite3_bind_int(d, 2, a->seq);
		if (rc == SQLITE_OK) rc = sqlite3_bind_blob64(d, 3, a->drawing_png,
		                                              (sqlite3_uint64)a->drawing_len, SQLITE_STATIC);
		if (rc == SQLITE_OK) filled = (rc = step_done(st, d, err)) != SQLITE_OK;
	}
	return tx_end(st, rc, filled, err);
}

int
store_end_session(store *st, const char *session_id, const char *status,
                  int64_t ended_wall_ms, tl_error *err)
{
	if (not_writable(st, err))
		return -1;
	if (!session_id)
		return tl_err_sys(err, TL_E_INVALID, SQLITE_MISUSE, "no session id was given");
	static const char *const ends[] = { "completed", "completed_early", "unfinished",
	                                    "interrupted" };
	bool known = false;
	for (size_t i = 0; status && i < sizeof ends / sizeof ends[0]; i++)
		known |= strcmp(status, ends[i]) == 0;
	if (!known)
		return tl_err_sys(err, TL_E_INVALID, SQLITE_CONSTRAINT,
		                  "a session ends as completed, completed_early, "
		                  "unfinished or interrupted");
	char ended[32];
	tl_iso8601(ended_wall_ms, ended);
	sqlite3_stmt *q = st->end_session;
	int rc = bind_text(q, 1, status);
	if (rc == SQLITE_OK) rc = bind_text(q, 2, ended);
	if (rc == SQLITE_OK) rc = bind_text(q, 3, session_id);
	if (rc != SQLITE_OK) {
		store_fail_db(st->db, rc, err);
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
		store_fail_db(st->db, rc, err);
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		tl_err_sys(err, TL_E_INVALID, SQLITE_NOTFOUND, "no session with that id was begun");
	return -1;
}

int
store_close_interrupted(store *st, int64_t *closed, tl_error *err)
{
	if (closed)
		*closed = 0;
	if (not_writable(st, err))
		return -1;
	/* given_at and started_at are ISO 8601 UTC of one width, so the
	 * greatest string is the latest time. */
	sqlite3_stmt *q = NULL;
	int rc = sqlite3_prepare_v2(st->db,
	        "UPDATE sessions SET status = 'interrupted', ended_at = coalesce("
	        "  (SELECT max(a.given_at) FROM answers a WHERE a.session_id = sessions.id),"
	        "  started_at)"
	        " WHERE status = 'in_progress' AND kiosk_id = ?1", -1, &q, NULL);
	if (rc == SQLITE_OK)
		rc = bind_text(q, 1, st->kiosk_id);
	if (rc != SQLITE_OK) {
		store_fail_db(st->db, rc, err);
		sqlite3_finalize(q);
		return tl_err_prefix(err, "cannot close the sessions an earlier run left open");
	}
	/* One statement is one transaction. */
	rc = sqlite3_step(q);
	if (rc != SQLITE_DONE) {
		store_fail_db(st->db, rc, err);
		sqlite3_finalize(q);
		return tl_err_prefix(err, "cannot close the sessions an earlier run left open");
	}
	if (closed)
		*closed = sqlite3_changes(st->db);
	sqlite3_finalize(q);
	return 0;
}
