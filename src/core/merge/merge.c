/*
 * merge: verified exports written into one database.
 *
 * Promises:
 * - Each export is all-or-nothing: any problem (a field missing or of the
 *   wrong type, a status the schema refuses) rolls the whole export back
 *   and refuses it with the reason. merge_export uses one transaction;
 *   merge_many one transaction for all, with a savepoint per export.
 * - Sessions go in by UUID with INSERT OR IGNORE; only a session that was
 *   new brings its answers, so a second merge of the same export adds
 *   nothing. Merged sessions arrive not yet exported from this database.
 * - An answer's chosen answers go in as they are listed in export.json,
 *   one answer_choices row each, never joined into one text.
 * - merge_many checks and parses export i+1 on a second thread while
 *   export i is written (and frees i-1's document there too), so the
 *   database is rarely kept waiting for jansson.
 */
#include "merge/merge.h"
#include "merge/merge_read.h"
#include "merge/merge_verify.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

/* ---- one export, checked and parsed (no database yet) --------------------- */

typedef struct prepared {
	merge_doc doc;
	merge_drawings drawings;   /* drawings/, the bytes checked */
	merge_signer signer;
	size_t json_len;     /* export.json's size, for merge_many's memory */
	bool refused;
	tl_error why;
} prepared;

static void
prepare_export(const char *dir, const merge_options *opt, prepared *p)
{
	merge_read_free(&p->doc);
	merge_drawings_free(&p->drawings);
	p->refused = false;
	tl_err_clear(&p->why);
	char *json = NULL;
	size_t len = 0;
	int64_t max = opt && opt->max_file_bytes > 0 ? opt->max_file_bytes : MERGE_FILE_MAX_DEFAULT;
	if (merge_verify_load(dir, max, opt ? opt->keys : NULL, &p->signer, &json, &len,
	                      &p->drawings, &p->why) != 0 ||
	    merge_read_load(&p->doc, json, len, &p->why) != 0)
		p->refused = true;
	p->json_len = len;
	free(json);
}

/* ---- writing one export ------------------------------------------------------ */

typedef struct ins {
	sqlite3 *db;
	const merge_signer *signer;
	sqlite3_stmt *flow, *sess, *ans, *choice, *drawing;
	const merge_drawings *drawings;
	tl_error *err;
} ins;

static const char flow_sql[] =
	"INSERT OR IGNORE INTO flows(hash, id, version, source) VALUES(?,?,?,?)";
static const char session_sql[] =
	"INSERT OR IGNORE INTO sessions(id, kiosk_id, flow_id, flow_version, flow_hash,"
	" started_at, ended_at, status, language, presentation, event)"
	" VALUES(?,?,?,?,?,?,?,?,?,?,?)";
static const char answer_sql[] =
	"INSERT INTO answers(session_id, seq, question_id, question_index, question_text, kind,"
	" given_at, time_taken_ms, input_method, typed_text)"
	" VALUES(?,?,?,?,?,?,?,?,?,?)";
static const char drawing_sql[] =
	"INSERT INTO answer_drawings(session_id, seq, png) VALUES(?,?,?)";
static const char choice_sql[] =
	"INSERT INTO answer_choices(session_id, seq, position, answer_id, answer_label,"
	" sort_column, sort_column_label)"
	" VALUES(?,?,?,?,?,?,?)";

static void
bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

/* Steps an insert whose values are bound; the schema's refusal in words. */
static int
step(ins *in, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);
	int out = 0;
	if (rc != SQLITE_DONE)
		out = tl_err_sys(in->err, TL_E_FORMAT, rc, "export.json holds something this "
		                 "database refuses: %s", sqlite3_errmsg(in->db));
	sqlite3_reset(s);
	return out;
}

static int
insert_flow(ins *in, const merge_flow *f)
{
	sqlite3_stmt *s = in->flow;
	bind_text(s, 1, f->hash);
	bind_text(s, 2, f->id);
	sqlite3_bind_int64(s, 3, f->version);
	bind_text(s, 4, f->source);
	return step(in, s);
}

/* 1 when the session was new, 0 when it was already there, -1 refused. */
static int
insert_session(ins *in, const merge_session *m)
{
	sqlite3_stmt *s = in->sess;
	bind_text(s, 1, m->id);
	bind_text(s, 2, m->kiosk_id);
	bind_text(s, 3, m->flow_id);
	sqlite3_bind_int64(s, 4, m->flow_version);
	bind_text(s, 5, m->flow_hash);
	bind_text(s, 6, m->started_at);
	bind_text(s, 7, m->ended_at);
	bind_text(s, 8, m->status);
	bind_text(s, 9, m->language);
	bind_text(s, 10, m->presentation);
	bind_text(s, 11, m->event);
	if (step(in, s) != 0)
		return -1;
	return sqlite3_changes(in->db) > 0;
}

/* One answer record of session sid, then each of its chosen answers as its
 * own answer_choices row: the k-th id with the k-th label, as export.json
 * lists them. Lists of different lengths are refused: nothing can say
 * which label goes with which id. */
static int
insert_answer(ins *in, const char *sid, const merge_answer *a)
{
	if (a->answer_ids.n != a->answer_labels.n)
		return tl_err(in->err, TL_E_FORMAT, "export.json: answer %lld of session %s has "
		              "%zu answer_ids but %zu answer_labels", (long long)a->seq, sid,
		              a->answer_ids.n, a->answer_labels.n);
	/* a sort names every picture's column; other answers none */
	bool sort = a->sort_columns.n > 0;
	if ((sort && a->sort_columns.n != a->answer_ids.n) ||
	    a->sort_column_labels.n != a->sort_columns.n)
		return tl_err(in->err, TL_E_FORMAT, "export.json: answer %lld of session %s has "
		              "%zu answer_ids but %zu sort_columns and %zu sort_column_labels",
		              (long long)a->seq, sid, a->answer_ids.n, a->sort_columns.n,
		              a->sort_column_labels.n);
	sqlite3_stmt *s = in->ans;
	bind_text(s, 1, sid);
	sqlite3_bind_int64(s, 2, a->seq);
	bind_text(s, 3, a->question_id);
	sqlite3_bind_int64(s, 4, a->question_index);
	bind_text(s, 5, a->question_text);
	bind_text(s, 6, a->kind);
	bind_text(s, 7, a->given_at);
	sqlite3_bind_int64(s, 8, a->time_taken_ms);
	bind_text(s, 9, a->input_method);
	bind_text(s, 10, a->typed_text && *a->typed_text ? a->typed_text : NULL);
	if (step(in, s) != 0)
		return -1;
	for (size_t k = 0; k < a->answer_ids.n; k++) {
		sqlite3_stmt *c = in->choice;
		bind_text(c, 1, sid);
		sqlite3_bind_int64(c, 2, a->seq);
		sqlite3_bind_int64(c, 3, (sqlite3_int64)k);
		bind_text(c, 4, merge_list_at(a->answer_ids, k));
		bind_text(c, 5, merge_list_at(a->answer_labels, k));
		bind_text(c, 6, sort ? merge_list_at(a->sort_columns, k) : NULL);
		bind_text(c, 7, sort ? merge_list_at(a->sort_column_labels, k) : NULL);
		if (step(in, c) != 0)
			return -1;
	}
	if (a->drawing && *a->drawing) {
		/* a drawing named must be one the export's sums vouched for */
		const merge_drawing *d = merge_drawings_find(in->drawings, a->drawing);
		if (!d)
			return tl_err(in->err, TL_E_FORMAT, "export.json: answer %lld of session %s names "
			              "the drawing %s, which the export does not hold", (long long)a->seq,
			              sid, a->drawing);
		sqlite3_stmt *dr = in->drawing;
		bind_text(dr, 1, sid);
		sqlite3_bind_int64(dr, 2, a->seq);
		sqlite3_bind_blob64(dr, 3, d->png, (sqlite3_uint64)d->len, SQLITE_STATIC);
		if (step(in, dr) != 0)
			return -1;
	}
	return 0;
}

/* Every flow, then every session and the answers of the new ones. */
static int
write_doc(ins *in, const merge_doc *doc, merge_result *res)
{
	size_t nf = merge_read_n_flows(doc), ns = merge_read_n_sessions(doc);
	for (size_t i = 0; i < nf; i++) {
		merge_flow f;
		if (merge_read_flow(doc, i, &f, in->err) != 0 || insert_flow(in, &f) != 0)
			return -1;
	}
	for (size_t i = 0; i < ns; i++) {
		merge_session s;
		if (merge_read_session(doc, i, &s, in->err) != 0)
			return -1;
		int added = insert_session(in, &s);
		if (added < 0 || merge_trust_session(in->db, in->signer, s.id, added, in->err) != 0)
			return -1;
		if (!added) {
			res->sessions_present++;
			continue;
		}
		res->sessions_new++;
		for (size_t j = 0; j < s.n_answers; j++) {
			merge_answer a;
			if (merge_read_answer(&s, j, &a, in->err) != 0 || insert_answer(in, s.id, &a) != 0)
				return -1;
			res->answers_new++;
		}
	}
	return 0;
}

/* The settings of a big merge, before its transaction begins. */
static void
tune(sqlite3 *db)
{
	/* A big export touches every page of the answers indexes; with SQLite's
	 * small default cache they would be written and read back over and
	 * over inside the one transaction. Each export's savepoint keeps the
	 * old copies of the pages it changes (a statement journal): in memory,
	 * not in a temporary file. */
	sqlite3_exec(db, "PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY",
	             NULL, NULL, NULL);
}

/* Writes doc in a transaction of its own, or (nested) in a savepoint of
 * merge_many's. res gets the counts, or refused and why. */
static void
apply(store *st, const prepared *p, merge_result *res, bool nested)
{
	const merge_doc *doc = &p->doc;
	ins in = { .db = store_db(st), .signer = &p->signer, .drawings = &p->drawings,
	           .err = &res->why };
	int rc = 0;
	if (!nested)
		tune(in.db);
	if (sqlite3_exec(in.db, nested ? "SAVEPOINT merge_one" : "BEGIN IMMEDIATE",
	                 NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(in.db, flow_sql, -1, &in.flow, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(in.db, session_sql, -1, &in.sess, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(in.db, answer_sql, -1, &in.ans, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(in.db, choice_sql, -1, &in.choice, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(in.db, drawing_sql, -1, &in.drawing, NULL) != SQLITE_OK)
		rc = tl_err_sys(in.err, TL_E_DB, sqlite3_errcode(in.db), "the database cannot take "
		                "it: %s", sqlite3_errmsg(in.db));
	if (rc == 0)
		rc = merge_trust_kiosk(in.db, &p->signer, doc->root, &res->key_new, in.err);
	if (rc == 0)
		rc = write_doc(&in, doc, res);
	sqlite3_finalize(in.flow);
	sqlite3_finalize(in.sess);
	sqlite3_finalize(in.ans);
	sqlite3_finalize(in.choice);
	sqlite3_finalize(in.drawing);
	if (rc == 0 && sqlite3_exec(in.db, nested ? "RELEASE merge_one" : "COMMIT",
	                            NULL, NULL, NULL) != SQLITE_OK)
		rc = tl_err_sys(in.err, TL_E_DB, sqlite3_errcode(in.db), "the database could not "
		                "save it: %s", sqlite3_errmsg(in.db));
	if (rc != 0) {
		if (nested)
			sqlite3_exec(in.db, "ROLLBACK TO merge_one; RELEASE merge_one", NULL, NULL, NULL);
		else if (!sqlite3_get_autocommit(in.db))
			sqlite3_exec(in.db, "ROLLBACK", NULL, NULL, NULL);
		res->refused = true;
		res->key_new = false;
		res->sessions_new = res->sessions_present = res->answers_new = 0;
	}
}

/* res from a prepared export: its refusal, or what writing it did. */
static void
finish(store *st, prepared *p, merge_result *res, bool nested)
{
	memset(res, 0, sizeof *res);
	tl_err_clear(&res->why);
	res->signer = p->signer;
	if (p->refused) {
		res->refused = true;
		tl_err_copy(&res->why, &p->why);
	} else {
		apply(st, p, res, nested);
	}
}

int
merge_export(store *st, const char *dir, merge_result *res, tl_error *err)
{
	return merge_export_opt(st, dir, NULL, res, err);
}

int
merge_export_opt(store *st, const char *dir, const merge_options *opt, merge_result *res,
                 tl_error *err)
{
	prepared p = { .refused = false };
	prepare_export(dir, opt, &p);
	finish(st, &p, res, false);
	merge_read_free(&p.doc);
	merge_drawings_free(&p.drawings);
	return res->refused ? tl_err_copy(err, &res->why) : 0;
}

/* ---- many exports ------------------------------------------------------------ */

typedef struct job {
	const char *dir;
	const merge_options *opt;
	prepared p;
} job;

static void *
prepare_thread(void *ud)
{
	job *j = ud;
	prepare_export(j->dir, j->opt, &j->p);
	return NULL;
}

int
merge_many(store *st, const char *const *dirs, size_t n, merge_result *results,
           tl_error *err)
{
	return merge_many_opt(st, dirs, n, NULL, results, err);
}

int
merge_many_opt(store *st, const char *const *dirs, size_t n, const merge_options *opt,
               merge_result *results, tl_error *err)
{
	if (n == 0)
		return 0;
	/* One transaction for all of them: one commit (one WAL sync and one
	 * checkpoint) instead of one per export; the savepoints in apply keep
	 * every export all-or-nothing. WAL and synchronous=FULL stay as they
	 * are, so a crash mid-merge leaves master.db as it was. */
	sqlite3 *db = store_db(st);
	tune(db);
	bool outer = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK;
	/* two slots: one written here while the other is prepared (its last
	 * document freed first) on a second thread */
	job *jobs = calloc(2, sizeof *jobs);
	if (!jobs) {
		if (outer)
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		for (size_t i = 0; i < n; i++) {
			results[i] = (merge_result){ .refused = true };
			tl_err_nomem(&results[i].why);
		}
		return tl_err_nomem(err);
	}
	jobs[0].dir = dirs[0];
	jobs[0].opt = jobs[1].opt = opt;
	prepare_export(dirs[0], opt, &jobs[0].p);
	size_t refused = 0;
	for (size_t i = 0; i < n; i++) {
		job *cur = &jobs[i % 2], *next = &jobs[(i + 1) % 2];
		pthread_t t;
		bool threaded = false;
		/* beside a big export the next one waits, so that two big trees
		 * are never in memory at once */
		bool beside = cur->p.json_len <= MERGE_JSON_MAX / 4;
		if (i + 1 < n) {
			next->dir = dirs[i + 1];
			threaded = beside && pthread_create(&t, NULL, prepare_thread, next) == 0;
		}
		finish(st, &cur->p, &results[i], outer);
		if (threaded)
			pthread_join(t, NULL);
		else if (i + 1 < n) {
			merge_read_free(&cur->p.doc);
			merge_drawings_free(&cur->p.drawings);
			prepare_export(next->dir, opt, &next->p);
		}
		refused += results[i].refused;
	}
	merge_read_free(&jobs[0].p.doc);
	merge_read_free(&jobs[1].p.doc);
	merge_drawings_free(&jobs[0].p.drawings);
	merge_drawings_free(&jobs[1].p.drawings);
	free(jobs);
	if (outer && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		tl_error why;
		tl_err_sys(&why, TL_E_DB, sqlite3_errcode(db), "the database could not save it: %s",
		           sqlite3_errmsg(db));
		if (!sqlite3_get_autocommit(db))
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		for (size_t i = 0; i < n; i++)
			if (!results[i].refused) {
				results[i] = (merge_result){ .refused = true };
				tl_err_copy(&results[i].why, &why);
				refused++;
			}
	}
	if (refused == 0)
		return 0;
	return tl_err(err, TL_E_REFUSED, "%zu of %zu %s refused", refused, n,
	              n == 1 ? "export was" : refused == 1 ? "exports was" : "exports were");
}
