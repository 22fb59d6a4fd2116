/*
 * export_rows: see export_rows.h. One session's text lives in one arena
 * (offsets while its rows are read, since the arena may move; pointers
 * once it is whole), so a million answers cost a few allocations.
 */
#include "export/export_rows.h"
#include "export/export_drawings.h"
#include "export/export_choices.h"
#include "export/export_columns.h"
#include "export/export_csv.h"
#include "export/export_io.h"
#include "export/export_json.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define NOSTR ((size_t)-1)
#define OOM (NOSTR - 1)

/* The query's columns: e.n, then the session's strings (SS_*), its flow
 * version, the answer's strings (AS_*) and its numbers, then one of its
 * chosen answers (C_CHOICE: id, label). An answer with several choices
 * comes as that many rows in a row, one per choice. */
enum { SS_ID, SS_KIOSK, SS_FLOW, SS_HASH, SS_STARTED, SS_ENDED, SS_STATUS,
       SS_LANG, SS_PRES, SS_EVENT, SS_N };
enum { AS_QID, AS_QTEXT, AS_KIND, AS_GIVEN, AS_METHOD, AS_TYPED, AS_DRAWING, AS_N };
enum { C_N = 0, C_SS = 1, C_VERSION = C_SS + SS_N, C_AS, C_SEQ = C_AS + AS_N, C_QINDEX, C_TAKEN,
       C_CHOICE };

static const char rows_sql[] =
	"SELECT e.n, s.id, s.kiosk_id, s.flow_id, s.flow_hash, s.started_at,"
	" s.ended_at, s.status, s.language, s.presentation, s.event, s.flow_version,"
	" a.question_id, a.question_text, a.kind, a.given_at, a.input_method,"
	" a.typed_text, " EXPORT_DRAWING_NAME_SQL ","
	" a.seq, a.question_index, a.time_taken_ms, "
	EXPORT_CHOICES_SQL
	" FROM " EXPORT_ROWS_IDS " e JOIN main.sessions s ON s.id = e.id"
	" LEFT JOIN main.answers a ON a.session_id = e.id"
	EXPORT_CHOICES_JOIN
	" ORDER BY e.n, a.seq, " EXPORT_CHOICES_ORDER;

static const char flows_sql[] =
	"SELECT hash, id, version, source FROM main.flows WHERE hash IN"
	" (SELECT s.flow_hash FROM " EXPORT_ROWS_IDS " e JOIN main.sessions s"
	"  ON s.id = e.id) ORDER BY id, version, hash";

typedef struct arow {
	size_t s[AS_N];
	int seq, qindex;
	long long taken;
	size_t choice0, n_choices;   /* its chosen answers, in sess.choices */
} arow;

/* One chosen answer: the arena offsets of its id and label, and of a sort
 * picture's column and its words (NOSTR otherwise). */
typedef struct achoice {
	size_t id, label, col, col_label;
} achoice;
enum { CHOICE_STRS = 4 };

typedef struct sess {
	char *arena;
	size_t alen, acap;
	size_t s[SS_N];
	int flow_version;
	arow *rows;
	size_t n, cap;
	achoice *choices;
	size_t n_choices, cap_choices;
	export_answer *view;   /* the rows as pointers, once the session is whole */
	size_t view_cap;
	const char **cview;    /* the choices' ids, then their labels, columns and
	                          column labels, likewise; CHOICE_STRS * cap_choices */
} sess;

static size_t
arena_add(sess *x, const unsigned char *t, int len)
{
	if (!t)
		return NOSTR;
	size_t need = x->alen + (size_t)len + 1;
	if (need > x->acap) {
		size_t c = x->acap ? x->acap : 4096;
		while (c < need)
			c *= 2;
		char *p = realloc(x->arena, c);
		if (!p)
			return OOM;
		x->arena = p;
		x->acap = c;
	}
	size_t off = x->alen;
	memcpy(x->arena + off, t, (size_t)len);
	x->arena[off + (size_t)len] = '\0';
	x->alen = need;
	return off;
}

static const char *
S(const sess *x, size_t off)
{
	return off == NOSTR ? NULL : x->arena + off;
}

static int
db_fail(sqlite3 *db, tl_error *err)
{
	return tl_err_sys(err, TL_E_DB, sqlite3_errcode(db),
	                  "could not read the answers database: %s", sqlite3_errmsg(db));
}

/* The whole session as export_columns reads it; false out of memory. */
static bool
view_of(sess *c, export_session *s)
{
	if (c->n > c->view_cap) {
		export_answer *v = realloc(c->view, c->n * sizeof *v);
		if (!v)
			return false;
		c->view = v;
		c->view_cap = c->n;
	}
	*s = (export_session){
		.id = S(c, c->s[SS_ID]), .kiosk_id = S(c, c->s[SS_KIOSK]),
		.flow_id = S(c, c->s[SS_FLOW]), .flow_hash = S(c, c->s[SS_HASH]),
		.event = S(c, c->s[SS_EVENT]), .status = S(c, c->s[SS_STATUS]),
		.language = S(c, c->s[SS_LANG]), .presentation = S(c, c->s[SS_PRES]),
		.started_at = S(c, c->s[SS_STARTED]), .ended_at = S(c, c->s[SS_ENDED]),
		.flow_version = c->flow_version, .answers = c->view, .n_answers = c->n,
	};
	size_t nc = c->n_choices;
	const char **ids = c->cview, **labels = nc ? c->cview + nc : NULL;
	const char **cols = nc ? c->cview + 2 * nc : NULL, **col_labels = nc ? c->cview + 3 * nc : NULL;
	for (size_t i = 0; i < nc; i++) {
		ids[i] = S(c, c->choices[i].id);
		labels[i] = S(c, c->choices[i].label);
		cols[i] = S(c, c->choices[i].col);
		col_labels[i] = S(c, c->choices[i].col_label);
	}
	for (size_t i = 0; i < c->n; i++) {
		const arow *r = &c->rows[i];
		c->view[i] = (export_answer){
			.question_id = S(c, r->s[AS_QID]), .question_text = S(c, r->s[AS_QTEXT]),
			.kind = S(c, r->s[AS_KIND]), .given_at = S(c, r->s[AS_GIVEN]),
			.input_method = S(c, r->s[AS_METHOD]), .n_choices = r->n_choices,
			.typed_text = S(c, r->s[AS_TYPED]), .drawing = S(c, r->s[AS_DRAWING]),
			.choice_ids = r->n_choices ? ids + r->choice0 : NULL,
			.choice_labels = r->n_choices ? labels + r->choice0 : NULL,
			/* a sort's pictures each have a column; other answers none */
			.choice_columns = r->n_choices && cols[r->choice0] ? cols + r->choice0 : NULL,
			.choice_column_labels = r->n_choices && cols[r->choice0]
			                        ? col_labels + r->choice0 : NULL,
			.seq = r->seq, .question_index = r->qindex, .time_taken_ms = r->taken,
		};
	}
	/* is_latest: no later row in the session answers the same question */
	for (size_t i = c->n; i-- > 0;) {
		c->view[i].is_latest = true;
		for (size_t j = i + 1; j < c->n; j++)
			if (strcmp(c->view[j].question_id, c->view[i].question_id) == 0) {
				c->view[i].is_latest = false;
				break;
			}
	}
	return true;
}

static bool
write_session(export_rows *x, sess *c)
{
	export_session s;
	if (!view_of(c, &s))
		return false;
	/* the report counts each person's latest answer to each question; a
	 * tally that ran out of memory remembers it and the report fails */
	for (size_t i = 0; i < s.n_answers; i++) {
		const export_answer *a = &s.answers[i];
		if (a->is_latest)
			(void)report_tally_add(x->tally, s.flow_id, s.flow_version, a->question_id,
			                       a->question_text, a->question_index, a->kind,
			                       a->n_choices, a->choice_ids, a->choice_labels,
			                       a->choice_columns, a->choice_column_labels);
	}
	export_csv_session(x->sessions_csv, &s);
	for (size_t i = 0; i < s.n_answers; i++)
		export_csv_answer(x->answers_csv, &s, &s.answers[i]);
	export_json_session(x->json, &s, x->sessions == 0);
	x->sessions++;
	x->answers += (int64_t)s.n_answers;
	return true;
}

static void
progress(const export_rows *x, double frac)
{
	if (x->progress.fn)
		x->progress.fn(x->progress.ud, frac, "Writing the answers");
}

/* The errno of the first of the three files that failed, or 0. */
static int
file_failed(const export_rows *x)
{
	const export_file *f[3] = { x->sessions_csv, x->answers_csv, x->json };
	for (int i = 0; i < 3; i++)
		if (f[i]->err)
			return f[i]->err;
	return 0;
}

/* Reads a session's and an answer's columns of the current row into c;
 * false out of memory. */
static bool
read_session(sess *c, sqlite3_stmt *st)
{
	bool ok = true;
	c->alen = 0;
	c->n = 0;
	c->n_choices = 0;
	for (int i = 0; i < SS_N; i++) {
		c->s[i] = arena_add(c, sqlite3_column_text(st, C_SS + i),
		                    sqlite3_column_bytes(st, C_SS + i));
		ok &= c->s[i] != OOM;
	}
	c->flow_version = sqlite3_column_int(st, C_VERSION);
	return ok;
}

/* The chosen answer in the current row (none: NULLs) onto the answer read
 * last; false out of memory. */
static bool
read_choice(sess *c, sqlite3_stmt *st)
{
	if (sqlite3_column_type(st, C_CHOICE) == SQLITE_NULL)
		return true;
	if (c->n_choices == c->cap_choices) {
		size_t cap = c->cap_choices ? c->cap_choices * 2 : 64;
		achoice *p = realloc(c->choices, cap * sizeof *p);
		if (!p)
			return false;
		c->choices = p;
		const char **v = realloc(c->cview, CHOICE_STRS * cap * sizeof *v);
		if (!v)
			return false;   /* choices is then bigger than it need be: harmless */
		c->cview = v;
		c->cap_choices = cap;
	}
	achoice *ch = &c->choices[c->n_choices];
	ch->id = arena_add(c, sqlite3_column_text(st, C_CHOICE), sqlite3_column_bytes(st, C_CHOICE));
	ch->label = arena_add(c, sqlite3_column_text(st, C_CHOICE + 1),
	                      sqlite3_column_bytes(st, C_CHOICE + 1));
	ch->col = arena_add(c, sqlite3_column_text(st, C_CHOICE + 2), sqlite3_column_bytes(st, C_CHOICE + 2));
	ch->col_label = arena_add(c, sqlite3_column_text(st, C_CHOICE + 3),
	                          sqlite3_column_bytes(st, C_CHOICE + 3));
	if (ch->id >= OOM || ch->label >= OOM)   /* both columns are NOT NULL */
		return false;
	if (ch->col == OOM || ch->col_label == OOM)   /* these may be NULL */
		return false;
	c->n_choices++;
	c->rows[c->n - 1].n_choices++;
	return true;
}

static bool
read_answer(sess *c, sqlite3_stmt *st)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 32;
		arow *p = realloc(c->rows, cap * sizeof *p);
		if (!p)
			return false;
		c->rows = p;
		c->cap = cap;
	}
	arow *r = &c->rows[c->n++];
	bool ok = true;
	for (int i = 0; i < AS_N; i++) {
		r->s[i] = arena_add(c, sqlite3_column_text(st, C_AS + i),
		                    sqlite3_column_bytes(st, C_AS + i));
		if (r->s[i] == NOSTR)   /* an answer's strings are never NULL */
			r->s[i] = arena_add(c, (const unsigned char *)"", 0);
		ok &= r->s[i] != OOM;
	}
	r->seq = sqlite3_column_int(st, C_SEQ);
	r->qindex = sqlite3_column_int(st, C_QINDEX);
	r->taken = sqlite3_column_int64(st, C_TAKEN);
	r->choice0 = c->n_choices;
	r->n_choices = 0;
	return ok && read_choice(c, st);
}

static int
write_sessions(export_rows *x, sess *c, tl_error *err)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(x->db, rows_sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(x->db, err);
	progress(x, 0.02);
	long long cur_n = -1;
	int rc = SQLITE_DONE;
	bool oom = false, stop = false;
	while (!oom && !stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long n = sqlite3_column_int64(st, C_N);
		if (n != cur_n) {
			if (cur_n >= 0) {
				oom = !write_session(x, c);
				if (x->sessions % 512 == 0) {
					progress(x, 0.02 + 0.73 * (double)x->sessions /
					         (double)(x->total ? x->total : 1));
					stop = file_failed(x) != 0;   /* stop early: the stick failed */
				}
			}
			cur_n = n;
			oom |= !read_session(c, st);
		}
		if (sqlite3_column_type(st, C_SEQ) == SQLITE_NULL)
			continue;   /* a session without answers */
		if (c->n > 0 && c->rows[c->n - 1].seq == sqlite3_column_int(st, C_SEQ))
			oom |= !read_choice(c, st);   /* the answer's next choice */
		else
			oom |= !read_answer(c, st);
	}
	sqlite3_finalize(st);
	if (oom || stop) {
		int e = file_failed(x);
		return export_io_fail(err, e ? e : ENOMEM);
	}
	if (rc != SQLITE_DONE)
		return db_fail(x->db, err);
	if (cur_n >= 0 && !write_session(x, c))
		return export_io_fail(err, ENOMEM);
	return 0;
}

/* The flows these sessions used, source and all. */
static int
write_flows(export_rows *x, tl_error *err)
{
	sqlite3_stmt *st = NULL;
	export_json_flows(x->json);
	if (sqlite3_prepare_v2(x->db, flows_sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(x->db, err);
	int rc;
	for (int i = 0; (rc = sqlite3_step(st)) == SQLITE_ROW; i++) {
		export_flow fl = {
			.hash = (const char *)sqlite3_column_text(st, 0),
			.id = (const char *)sqlite3_column_text(st, 1),
			.version = sqlite3_column_int(st, 2),
			.source = (const char *)sqlite3_column_text(st, 3),
		};
		export_json_flow(x->json, &fl, i == 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(x->db, err);
	return 0;
}

int
export_rows_write(export_rows *x, tl_error *err)
{
	export_csv_header(x->sessions_csv, EXPORT_SESSIONS_CSV);
	export_csv_header(x->answers_csv, EXPORT_ANSWERS_CSV);
	export_json_begin(x->json, x->kiosk_id, x->exported_at);
	sess c = { 0 };
	int rc = write_sessions(x, &c, err);
	free(c.arena);
	free(c.rows);
	free(c.view);
	free(c.choices);
	free(c.cview);
	if (rc == 0)
		rc = write_flows(x, err);
	if (rc == 0)
		export_json_end(x->json, (long long)x->sessions, (long long)x->answers);
	return rc;
}
