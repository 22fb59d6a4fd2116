/*
 * store_read: see store_read.h. Plain reads inside one read transaction,
 * so the session count and the answers agree even while the writer
 * commits; a failure is reported with SQLite's own words.
 */
#include "store/store_read.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* The chosen answers (one answer_choices row each) of the latest answer
 * (highest seq) of each of a flow's sessions to each question, counted by
 * question and answer: one statement whatever the number of questions
 * (one per question read every answer in the file once per question).
 * Sessions come first (CROSS JOIN keeps them the outer loop, through
 * sessions_by_started), so the read costs what today holds, not the whole
 * file. */
static const char *const sql_latest_chosen =
	"SELECT a.question_id, c.answer_id, count(*) FROM sessions s"
	" CROSS JOIN answers a ON a.session_id = s.id"
	" JOIN answer_choices c ON c.session_id = a.session_id AND c.seq = a.seq"
	" WHERE s.started_at >= ?1 AND s.flow_id = ?2"
	" AND a.kind = 'chosen' AND a.seq = (SELECT max(b.seq) FROM answers b"
	"   WHERE b.session_id = a.session_id AND b.question_id = a.question_id)"
	" GROUP BY a.question_id, c.answer_id";

/* Every session started at or after since, counted by flow. */
static const char *const sql_sessions =
	"SELECT flow_id, count(*) FROM sessions WHERE started_at >= ?1 GROUP BY flow_id";

static int
db_err(sqlite3 *db, int rc, tl_error *err)
{
	return tl_err_sys(err, TL_E_DB, rc, "cannot read today's answers: %s", sqlite3_errmsg(db));
}

/* Adds n for the answer of q with this id. */
static void
count_id(const flow_question *q, const char *id, int n, int *row, size_t per_question)
{
	for (size_t ai = 0; id && ai < q->n_answers && ai < per_question; ai++)
		if (strcmp(q->answers[ai].id, id) == 0)
			row[ai] += n;
}

/* Every session since, and each flow's own, in one statement. */
static int
count_sessions(sqlite3 *db, const flow *const *flows, size_t n, const char *since,
               store_today *out, tl_error *err)
{
	sqlite3_stmt *q = NULL;
	int64_t all = 0;
	int rc = sqlite3_prepare_v2(db, sql_sessions, -1, &q, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(q, 1, since, -1, SQLITE_STATIC);
	while (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(q, 0);
		int64_t k = sqlite3_column_int64(q, 1);
		all += k;
		for (size_t i = 0; id && i < n; i++)
			if (strcmp(flows[i]->id, id) == 0)
				out[i].flow_sessions = k;
		rc = SQLITE_OK;
	}
	if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
	if (rc != SQLITE_OK)
		db_err(db, rc, err);
	sqlite3_finalize(q);
	for (size_t i = 0; rc == SQLITE_OK && i < n; i++)
		out[i].sessions = all;
	return rc == SQLITE_OK ? 0 : -1;
}

static int
by_id(const void *a, const void *b)
{
	return strcmp((*(const flow_question *const *)a)->id, (*(const flow_question *const *)b)->id);
}

/* The question of f with this id in byid (f's questions sorted by id), or
 * -1. A flow's question ids are its own (flow_parse refuses one twice). */
static ptrdiff_t
find_question(const flow *f, const flow_question *const *byid, const char *id)
{
	size_t lo = 0, hi = f->n_questions;
	while (id && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(byid[mid]->id, id);
		if (c == 0)
			return byid[mid] - f->questions;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* One row for each question and answer chosen: the question is found by
 * halves in byid, f's questions sorted by id here. */
static int
count_answers(sqlite3 *db, sqlite3_stmt *q, const flow *f, const char *since,
              const flow_question **byid, store_today *out, tl_error *err)
{
	for (size_t qi = 0; qi < f->n_questions; qi++)
		byid[qi] = &f->questions[qi];
	qsort(byid, f->n_questions, sizeof *byid, by_id);
	sqlite3_reset(q);
	int rc = sqlite3_bind_text(q, 1, since, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(q, 2, f->id, -1, SQLITE_STATIC);
	while (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		rc = SQLITE_OK;
		ptrdiff_t qi = find_question(f, byid, (const char *)sqlite3_column_text(q, 0));
		if (qi >= 0)
			count_id(&f->questions[qi], (const char *)sqlite3_column_text(q, 1),
			         sqlite3_column_int(q, 2), out->counts + (size_t)qi * out->per_question,
			         out->per_question);
	}
	if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
	if (rc != SQLITE_OK)
		db_err(db, rc, err);
	return rc == SQLITE_OK ? 0 : -1;
}

int
store_read_today_flows(store *st, const flow *const *flows, size_t n, const char *since,
                       store_today *out, tl_error *err)
{
	sqlite3 *db = store_db(st);
	size_t most = 0;
	for (size_t i = 0; i < n; i++) {
		out[i].sessions = out[i].flow_sessions = 0;
		if (out[i].counts)
			memset(out[i].counts, 0,
			       flows[i]->n_questions * out[i].per_question * sizeof *out[i].counts);
		if (flows[i]->n_questions > most)
			most = flows[i]->n_questions;
	}
	const flow_question **byid = malloc((most ? most : 1) * sizeof *byid);
	if (!byid)
		return tl_err_nomem(err);
	int rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		free(byid);
		return db_err(db, rc, err);
	}
	int r = count_sessions(db, flows, n, since, out, err);
	sqlite3_stmt *q = NULL;
	if (r == 0 && (rc = sqlite3_prepare_v2(db, sql_latest_chosen, -1, &q, NULL)) != SQLITE_OK)
		r = db_err(db, rc, err);
	for (size_t i = 0; r == 0 && i < n; i++)
		if (out[i].counts)
			r = count_answers(db, q, flows[i], since, byid, &out[i], err);
	sqlite3_finalize(q);
	/* COMMIT itself can run out of memory; a read transaction left open
	 * would refuse every later read on this handle ("within a
	 * transaction") and hold the WAL from being checkpointed */
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK && !sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	free(byid);
	return r;
}

int
store_read_today(store *st, const flow *f, const char *since, store_today *out, tl_error *err)
{
	return store_read_today_flows(st, &f, 1, since, out, err);
}
