/*
 * store_read: see store_read.h. Plain reads inside one read transaction,
 * so the session count and the answers agree even while the writer
 * commits; a failure is reported with SQLite's own words.
 */
#include "store/store_read.h"

#include <sqlite3.h>
#include <string.h>

/* The chosen answers (one answer_choices row each) of the latest answer
 * (highest seq) of each session to one question. */
static const char *const sql_latest_chosen =
	"SELECT c.answer_id FROM answers a JOIN sessions s ON s.id = a.session_id"
	" JOIN answer_choices c ON c.session_id = a.session_id AND c.seq = a.seq"
	" WHERE s.started_at >= ?1 AND s.flow_id = ?2 AND a.question_id = ?3"
	" AND a.kind = 'chosen' AND a.seq = (SELECT max(b.seq) FROM answers b"
	"   WHERE b.session_id = a.session_id AND b.question_id = a.question_id)";

static int
db_err(sqlite3 *db, int rc, tl_error *err)
{
	return tl_err_sys(err, TL_E_DB, rc, "cannot read today's answers: %s", sqlite3_errmsg(db));
}

/* Adds one for the answer of q with this id (one answer_choices row). */
static void
count_id(const flow_question *q, const char *id, int *row, size_t per_question)
{
	for (size_t ai = 0; id && ai < q->n_answers && ai < per_question; ai++)
		if (strcmp(q->answers[ai].id, id) == 0)
			row[ai]++;
}

/* Sessions started at or after since; only flow_id's when it is not NULL. */
static int
count_sessions(sqlite3 *db, const char *since, const char *flow_id, int64_t *n, tl_error *err)
{
	sqlite3_stmt *q = NULL;
	int rc = sqlite3_prepare_v2(db, "SELECT count(*) FROM sessions WHERE started_at >= ?1"
	                                " AND (?2 IS NULL OR flow_id = ?2)", -1, &q, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(q, 1, since, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = flow_id ? sqlite3_bind_text(q, 2, flow_id, -1, SQLITE_STATIC) : sqlite3_bind_null(q, 2);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(q);
		if (rc == SQLITE_ROW) {
			*n = sqlite3_column_int64(q, 0);
			rc = SQLITE_OK;
		}
	}
	if (rc != SQLITE_OK)
		db_err(db, rc, err);
	sqlite3_finalize(q);
	return rc == SQLITE_OK ? 0 : -1;
}

static int
count_answers(sqlite3 *db, const flow *f, const char *since, store_today *out, tl_error *err)
{
	sqlite3_stmt *q = NULL;
	int rc = sqlite3_prepare_v2(db, sql_latest_chosen, -1, &q, NULL);
	for (size_t qi = 0; rc == SQLITE_OK && qi < f->n_questions; qi++) {
		const flow_question *fq = &f->questions[qi];
		int *row = out->counts + qi * out->per_question;
		sqlite3_reset(q);
		rc = sqlite3_bind_text(q, 1, since, -1, SQLITE_STATIC);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_text(q, 2, f->id, -1, SQLITE_STATIC);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_text(q, 3, fq->id, -1, SQLITE_STATIC);
		while (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
			count_id(fq, (const char *)sqlite3_column_text(q, 0), row, out->per_question);
			rc = SQLITE_OK;
		}
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
	}
	if (rc != SQLITE_OK)
		db_err(db, rc, err);
	sqlite3_finalize(q);
	return rc == SQLITE_OK ? 0 : -1;
}

int
store_read_today_flows(store *st, const flow *const *flows, size_t n, const char *since,
                       store_today *out, tl_error *err)
{
	sqlite3 *db = store_db(st);
	for (size_t i = 0; i < n; i++) {
		out[i].sessions = out[i].flow_sessions = 0;
		if (out[i].counts)
			memset(out[i].counts, 0,
			       flows[i]->n_questions * out[i].per_question * sizeof *out[i].counts);
	}
	int rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return db_err(db, rc, err);
	int64_t all = 0;
	int r = count_sessions(db, since, NULL, &all, err);
	for (size_t i = 0; r == 0 && i < n; i++) {
		out[i].sessions = all;
		r = count_sessions(db, since, flows[i]->id, &out[i].flow_sessions, err);
		if (r == 0 && out[i].counts)
			r = count_answers(db, flows[i], since, &out[i], err);
	}
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	return r;
}

int
store_read_today(store *st, const flow *f, const char *since, store_today *out, tl_error *err)
{
	return store_read_today_flows(st, &f, 1, since, out, err);
}
