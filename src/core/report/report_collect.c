/*
 * report_collect: the report model from a database, counted in SQL.
 *
 * Promises:
 * - Only the latest answer per question per session is counted; earlier
 *   rows of a changed answer stay in the database but not in the charts.
 * - The counting is one pass over the counted sessions' answers, one
 *   statement (COUNTS_SQL) counted into a hash table, so a report over
 *   100,000 sessions reads each answer once and holds only a few hundred
 *   counts in memory.
 * - Sessions still in progress are never counted; opt can narrow the
 *   sessions further (a table of ids, a start time).
 * - A failure leaves *out NULL and says what went wrong in err.
 */
#include "report/report.h"
#include "report/report_model.h"
#include "base/util.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

/* The WHERE clause naming the sessions counted, on a table aliased s. */
static char *
session_filter(const report_options *opt)
{
	const char *ids = opt ? opt->ids_table : NULL;
	if (ids) {
		/* an identifier we were handed by code, never by a person; refuse
		 * anything that is not one */
		for (const char *c = ids; *c; c++)
			if (!(*c == '_' || *c == '.' || (*c >= 'a' && *c <= 'z') ||
			      (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
				return NULL;
	}
	return tl_asprintf("s.status != 'in_progress'%s%s%s%s%s",
	                   opt && opt->since ? " AND s.started_at >= ?1" : "",
	                   opt && opt->event ? " AND s.event = ?2" : "",
	                   ids ? " AND s.id IN (SELECT id FROM " : "",
	                   ids ? ids : "", ids ? ")" : "");
}

/* sql (made by tl_asprintf, NULL when that ran out of memory; freed here)
 * prepared with opt's start time (?1) and event (?2) bound. */
static int
prepare(sqlite3 *db, char *sql, const report_options *opt, sqlite3_stmt **out)
{
	*out = NULL;
	if (!sql)
		return SQLITE_NOMEM;
	int rc = sqlite3_prepare_v2(db, sql, -1, out, NULL);
	free(sql);
	if (rc == SQLITE_OK && opt && opt->since)
		rc = sqlite3_bind_text(*out, 1, opt->since, -1, SQLITE_TRANSIENT);
	if (rc == SQLITE_OK && opt && opt->event)
		rc = sqlite3_bind_text(*out, 2, opt->event, -1, SQLITE_TRANSIENT);
	return rc;
}

static const char *
col(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? (const char *)t : "";
}

/* What a step loop ended with: SQLITE_OK when it ran out of rows. */
static int
done(int rc)
{
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

const char *
report_ending_status(enum report_ending e)
{
	static const char *const names[REPORT_N_ENDINGS] = {
		[REPORT_COMPLETED] = "completed",
		[REPORT_COMPLETED_EARLY] = "completed_early",
		[REPORT_UNFINISHED] = "unfinished",
		[REPORT_INTERRUPTED] = "interrupted",
	};
	return (unsigned)e < REPORT_N_ENDINGS ? names[e] : "";
}

/* Who took part: how many, at how many kiosks, from when to when, and how
 * their sessions ended. */
static int
collect_people(sqlite3 *db, const char *where, const report_options *opt, report *r)
{
	sqlite3_stmt *s;
	int rc = prepare(db, tl_asprintf("SELECT count(*), count(DISTINCT s.kiosk_id),"
	                 " ifnull(min(s.started_at), ''), ifnull(max(s.started_at), ''),"
	                 " total(s.status = 'completed'), total(s.status = 'completed_early'),"
	                 " total(s.status = 'unfinished'), total(s.status = 'interrupted')"
	                 " FROM sessions s WHERE %s", where), opt, &s);
	_Static_assert(REPORT_N_ENDINGS == 4, "one column per ending, in the enum's order");
	if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		r->people = sqlite3_column_int64(s, 0);
		r->kiosks = sqlite3_column_int64(s, 1);
		snprintf(r->first, sizeof r->first, "%s", col(s, 2));
		snprintf(r->last, sizeof r->last, "%s", col(s, 3));
		for (int e = 0; e < REPORT_N_ENDINGS; e++)
			r->ended[e] = sqlite3_column_int64(s, 4 + e);
	}
	sqlite3_finalize(s);
	return done(rc);
}

/* An event's kiosks, by name, for the report's opening. */
static int
collect_kiosks(sqlite3 *db, const char *where, const report_options *opt, report *r)
{
	sqlite3_stmt *s;
	size_t cap = 0;
	int rc = prepare(db, tl_asprintf("SELECT DISTINCT s.kiosk_id FROM sessions s WHERE %s"
	                 " ORDER BY 1", where), opt, &s);
	while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		rc = SQLITE_OK;
		if (!report_grow((void **)&r->kiosk_ids, &cap, r->n_kiosk_ids + 1, sizeof *r->kiosk_ids) ||
		    !(r->kiosk_ids[r->n_kiosk_ids] = tl_strdup(col(s, 0)))) {
			rc = SQLITE_NOMEM;
			break;
		}
		r->n_kiosk_ids++;
	}
	sqlite3_finalize(s);
	return done(rc);
}

/* The flows, each described by the source stored with its sessions.
 * *cap_q gets one question capacity per flow, kept as long as r->flows. */
static int
collect_flows(sqlite3 *db, const char *where, const report_options *opt, report *r,
              size_t **cap_q)
{
	sqlite3_stmt *s, *src = NULL;
	size_t cap_flows = 0;
	int rc = prepare(db, tl_asprintf("SELECT s.flow_id, s.flow_version, count(*) FROM sessions s"
	                 " WHERE %s GROUP BY 1, 2 ORDER BY 1, 2", where), opt, &s);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "SELECT source FROM flows WHERE id = ?1 AND"
		                        " version = ?2 AND source IS NOT NULL"
		                        " ORDER BY hash LIMIT 1", -1, &src, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		rc = SQLITE_OK;
		size_t before = cap_flows;
		if (!report_grow((void **)&r->flows, &cap_flows, r->n_flows + 1, sizeof *r->flows)) {
			rc = SQLITE_NOMEM;
			break;
		}
		if (cap_flows != before) {
			size_t *c2 = realloc(*cap_q, cap_flows * sizeof **cap_q);
			if (!c2) {
				rc = SQLITE_NOMEM;
				break;
			}
			*cap_q = c2;
		}
		report_flow *f = &r->flows[r->n_flows];
		(*cap_q)[r->n_flows] = 0;
		f->id = tl_strdup(col(s, 0));
		f->version = sqlite3_column_int(s, 1);
		f->people = sqlite3_column_int64(s, 2);
		f->title = tl_strdup(f->id);
		r->n_flows++;
		if (!f->id || !f->title) {
			rc = SQLITE_NOMEM;
			break;
		}
		sqlite3_reset(src);
		sqlite3_bind_text(src, 1, f->id, -1, SQLITE_STATIC);
		sqlite3_bind_int(src, 2, f->version);
		int src_rc = sqlite3_step(src);
		if (src_rc == SQLITE_ROW &&
		    report_fill_from_source(f, &(*cap_q)[r->n_flows - 1], col(src, 0)) != 0)
			rc = SQLITE_NOMEM;
		else if (src_rc != SQLITE_ROW && src_rc != SQLITE_DONE)
			rc = src_rc;
	}
	sqlite3_finalize(s);
	sqlite3_finalize(src);
	return done(rc);
}

/* Adds one count (an answer count, or a choice count when id is set). */
static int
add_group(report *r, size_t *cap_q, const char *flow_id, int version, const char *qid,
          const char *qtext, const char *kind, const char *id, const char *label,
          const char *column, const char *column_label, int64_t n)
{
	report_flow *f = report_find_flow(r, flow_id, version);
	if (!f)
		return SQLITE_OK;
	size_t *cq = &cap_q[f - r->flows];
	int bad = id && column ? report_count_sorted(f, cq, qid, qtext, id, label, column,
	                                             column_label ? column_label : "", n)
	        : id ? report_count_choice(f, cq, qid, qtext, id, label, n)
	             : report_count_answers(f, cq, qid, qtext, kind, n);
	return bad ? SQLITE_NOMEM : SQLITE_OK;
}

/* The counts from a caller's tally. */
static int
count_from_tally(const report_tally *t, report *r, size_t *cap_q)
{
	report_group *g;
	size_t n;
	if (report_tally_groups(t, &g, &n) != 0)
		return SQLITE_NOMEM;
	int rc = SQLITE_OK;
	for (size_t i = 0; rc == SQLITE_OK && i < n; i++)
		rc = add_group(r, cap_q, g[i].flow_id, g[i].version, g[i].qid, g[i].qtext,
		               g[i].kind, g[i].id, g[i].label, g[i].column, g[i].column_label, g[i].n);
	free(g);
	return rc;
}

/* The sessions counted (s, filtered by the WHERE clause) and each one's
 * latest answer (a: the highest seq) to each question: one seek of the
 * answers_latest index per answer. CROSS JOIN keeps SQLite's loops in this
 * order, sessions outside, so the answers are read once, session by
 * session, and only the counted sessions' (EXPLAIN QUERY PLAN: SEARCH a,
 * never SCAN a). */
#define LATEST_SQL \
	" FROM sessions s CROSS JOIN answers a" \
	"%s WHERE %s AND a.session_id = s.id" \
	" AND a.seq = (SELECT max(b.seq) FROM answers b" \
	"   WHERE b.session_id = a.session_id AND b.question_id = a.question_id)"
/*
 * Every count in one pass: each latest answer with its chosen answers
 * (answer_choices, one row per picture; none for a skip or a decline,
 * whatever it carries, and none for an answer that chose no picture),
 * streamed once and counted in a hash table (report_tally_count). Not a
 * GROUP BY: SQLite groups by sorting every row (650,000 of them for
 * 100,000 sessions, most of the time the count took), where a few hundred
 * groups fit a hash table. A row is its answer's first (last column 1)
 * when it has no choice or the choice at the lowest position, so an answer
 * of three pictures is one person.
 */
#define COUNTS_SQL \
	"SELECT s.flow_id, s.flow_version, a.question_id, a.question_text," \
	" a.question_index, a.kind, c.answer_id, c.answer_label, c.sort_column," \
	" c.sort_column_label, 1," \
	" c.position IS NULL OR NOT EXISTS (SELECT 1 FROM answer_choices p" \
	"   WHERE p.session_id = c.session_id AND p.seq = c.seq AND p.position < c.position)" \
	LATEST_SQL
#define COUNTS_JOIN \
	" LEFT JOIN answer_choices c ON a.kind NOT IN ('skipped', 'declined')" \
	" AND c.session_id = a.session_id AND c.seq = a.seq"

char *
report_count_sql(const report_options *opt)
{
	char *where = session_filter(opt);
	char *sql = where ? tl_asprintf(COUNTS_SQL, COUNTS_JOIN, where) : NULL;
	free(where);
	return sql;
}

/* The rows are counted in a tally (report_tally_count), which gives the
 * groups in the order and with the values report_collect always gave:
 * every answer count, then every choice count. */
static int
count_in_sql(sqlite3 *db, const char *where, const report_options *opt, report *r,
             size_t *cap_q)
{
	report_tally *t = report_tally_create();
	sqlite3_stmt *s = NULL;
	int rc = t ? prepare(db, tl_asprintf(COUNTS_SQL, COUNTS_JOIN, where), opt, &s)
	           : SQLITE_NOMEM;
	while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		rc = SQLITE_OK;
		report_group g = {
			.flow_id = col(s, 0), .version = sqlite3_column_int(s, 1),
			.qid = col(s, 2), .qtext = col(s, 3), .kind = col(s, 5),
			.n = sqlite3_column_int64(s, 11),
		};
		int qindex = sqlite3_column_int(s, 4);
		if (report_tally_count(t, &g, qindex) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
		if (sqlite3_column_type(s, 6) == SQLITE_NULL)
			continue;
		bool sorted = sqlite3_column_type(s, 8) != SQLITE_NULL;
		g.id = col(s, 6);
		g.label = col(s, 7);
		g.column = sorted ? col(s, 8) : NULL;
		g.column_label = sorted ? col(s, 9) : NULL;
		g.n = sqlite3_column_int64(s, 10);
		if (report_tally_count(t, &g, qindex) != 0)
			rc = SQLITE_NOMEM;
	}
	sqlite3_finalize(s);
	rc = done(rc);
	if (rc == SQLITE_OK)
		rc = count_from_tally(t, r, cap_q);
	report_tally_destroy(t);
	return rc;
}

/* What people typed and drew: each person's latest answer to a text or
 * draw question, in the order they were given. Only what opt asks for is
 * read (the staff's room screen asks for neither). */
#define MADE_SQL \
	"SELECT s.flow_id, s.flow_version, a.question_id, a.typed_text, d.png" LATEST_SQL \
	" AND a.kind NOT IN ('skipped', 'declined')" \
	" AND (a.typed_text IS NOT NULL OR d.png IS NOT NULL)" \
	" ORDER BY s.flow_id, s.flow_version, a.question_index, a.given_at, a.session_id"
#define MADE_JOIN \
	" LEFT JOIN answer_drawings d ON d.session_id = a.session_id AND d.seq = a.seq"

static int
add_made(report *r, sqlite3_stmt *s, const report_options *opt)
{
	report_flow *f = report_find_flow(r, col(s, 0), sqlite3_column_int(s, 1));
	report_question *q = NULL;
	for (size_t i = 0; f && i < f->n_questions && !q; i++)
		if (strcmp(f->questions[i].id, col(s, 2)) == 0)
			q = &f->questions[i];
	if (!q)
		return SQLITE_OK;
	if (opt->with_typed && sqlite3_column_type(s, 3) != SQLITE_NULL) {
		if (!report_grow((void **)&q->typed, &q->cap_typed, q->n_typed + 1, sizeof *q->typed))
			return SQLITE_NOMEM;
		if (!(q->typed[q->n_typed] = tl_strdup(col(s, 3))))
			return SQLITE_NOMEM;
		q->n_typed++;
	}
	if (opt->with_drawings && sqlite3_column_type(s, 4) == SQLITE_BLOB) {
		size_t len = (size_t)sqlite3_column_bytes(s, 4);
		if (!report_grow((void **)&q->drawings, &q->cap_drawings, q->n_drawings + 1,
		                 sizeof *q->drawings))
			return SQLITE_NOMEM;
		unsigned char *png = malloc(len ? len : 1);
		if (!png)
			return SQLITE_NOMEM;
		memcpy(png, sqlite3_column_blob(s, 4), len);
		q->drawings[q->n_drawings++] = (report_drawing){ png, len };
	}
	return SQLITE_OK;
}

static int
collect_made(sqlite3 *db, const char *where, const report_options *opt, report *r)
{
	if (!opt || (!opt->with_typed && !opt->with_drawings))
		return SQLITE_OK;
	sqlite3_stmt *s;
	int rc = prepare(db, tl_asprintf(MADE_SQL, MADE_JOIN, where), opt, &s);
	while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW)
		rc = add_made(r, s, opt);
	sqlite3_finalize(s);
	return done(rc);
}

static int
collect(sqlite3 *db, const report_options *opt, const report_tally *t, report **out,
        tl_error *err)
{
	*out = NULL;
	char *where = session_filter(opt);
	report *r = calloc(1, sizeof *r);
	size_t *cap_q = NULL;
	int rc = where && r ? SQLITE_OK : SQLITE_NOMEM;
	if (rc == SQLITE_OK)
		rc = collect_people(db, where, opt, r);
	if (rc == SQLITE_OK && opt && opt->event)
		rc = collect_kiosks(db, where, opt, r);
	if (rc == SQLITE_OK)
		rc = collect_flows(db, where, opt, r, &cap_q);
	if (rc == SQLITE_OK)
		rc = t ? count_from_tally(t, r, cap_q) : count_in_sql(db, where, opt, r, cap_q);
	if (rc == SQLITE_OK)
		rc = collect_made(db, where, opt, r);
	free(cap_q);
	free(where);
	if (rc != SQLITE_OK) {
		report_destroy(r);
		if (rc == SQLITE_NOMEM)
			return tl_err(err, TL_E_NOMEM, "could not count the answers: out of memory");
		return tl_err_sys(err, TL_E_DB, rc, "could not count the answers: %s",
		                  sqlite3_errmsg(db));
	}
	*out = r;
	return 0;
}

int
report_collect(sqlite3 *db, const report_options *opt, report **out, tl_error *err)
{
	return collect(db, opt, NULL, out, err);
}

int
report_collect_tally(sqlite3 *db, const report_options *opt, const report_tally *t,
                     report **out, tl_error *err)
{
	return collect(db, opt, t, out, err);
}
