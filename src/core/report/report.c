/*
 * report: counts the latest answers in SQL and draws them as easy-read
 * picture charts in one self-contained HTML file.
 *
 * Promises:
 * - Only the latest answer per question per session is counted; earlier
 *   rows of a changed answer stay in the database but not in the charts.
 * - The counting is one GROUP BY in SQLite, so a report over 100,000
 *   sessions holds only a few hundred counts in memory.
 * - The HTML needs nothing else: no scripts, no fonts, no network. Each
 *   bundled symbol is inlined once as an SVG <symbol> and reused; a symbol
 *   that is not a bundled name (a flow's own photo) or cannot be read is
 *   drawn as a plain dot, never fetched.
 * - Every text from the database or a flow is HTML-escaped.
 */
#include "report/report.h"
#include "flow/flow.h"
#include "base/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

/* ---- small growable arrays ---------------------------------------------- */

static bool
grow(void **items, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return true;
	size_t n = *cap ? *cap * 2 : 8;
	while (n < need)
		n *= 2;
	void *p = realloc(*items, n * size);
	if (!p)
		return false;
	memset((char *)p + *cap * size, 0, (n - *cap) * size);
	*items = p;
	*cap = n;
	return true;
}

/* ---- the model ------------------------------------------------------------ */

static void
question_finish(report_question *q)
{
	for (size_t i = 0; i < q->n_answers; i++) {
		free(q->answers[i].id);
		free(q->answers[i].label);
		free(q->answers[i].symbol);
	}
	free(q->answers);
	free(q->id);
	free(q->text);
	free(q->symbol);
}

void
report_destroy(report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_flows; i++) {
		report_flow *f = &r->flows[i];
		for (size_t j = 0; j < f->n_questions; j++)
			question_finish(&f->questions[j]);
		free(f->questions);
		free(f->id);
		free(f->title);
	}
	free(r->flows);
	free(r);
}

static report_answer *
add_answer(report_question *q, const char *id, const char *label, const char *symbol)
{
	/* Answers are few per question: grow one at a time. */
	report_answer *a = realloc(q->answers, (q->n_answers + 1) * sizeof *a);
	if (!a)
		return NULL;
	q->answers = a;
	a = &q->answers[q->n_answers];
	memset(a, 0, sizeof *a);
	a->id = tl_strdup(id);
	a->label = tl_strdup(label && *label ? label : id);
	a->symbol = symbol ? tl_strdup(symbol) : NULL;
	if (!a->id || !a->label || (symbol && !a->symbol)) {
		free(a->id);
		free(a->label);
		free(a->symbol);
		return NULL;
	}
	q->n_answers++;
	return a;
}

static report_question *
add_question(report_flow *f, size_t *cap, const char *id, const char *text,
             const char *symbol)
{
	if (!grow((void **)&f->questions, cap, f->n_questions + 1, sizeof *f->questions))
		return NULL;
	report_question *q = &f->questions[f->n_questions];
	memset(q, 0, sizeof *q);
	q->id = tl_strdup(id);
	q->text = tl_strdup(text ? text : id);
	q->symbol = symbol ? tl_strdup(symbol) : NULL;
	if (!q->id || !q->text || (symbol && !q->symbol)) {
		question_finish(q);
		memset(q, 0, sizeof *q);
		return NULL;
	}
	f->n_questions++;
	return q;
}

/* Fills a flow's questions and answers, in its own order, from the source
 * stored with its sessions. A source that no longer parses leaves the flow
 * to be described by the answers alone. */
static int
fill_from_source(report_flow *rf, size_t *cap_q, const char *source)
{
	flow *f = NULL;
	diag_list d = { 0 };
	int rc = flow_load_buffer("stored-flow.yaml", source, strlen(source), &f, &d);
	diag_list_finish(&d);
	if (rc != 0)
		return 0;
	const char *lang = f->languages[0];
	free(rf->title);
	rf->title = tl_strdup(tstr_get(&f->title, lang, lang));
	if (!rf->title) {
		flow_destroy(f);
		return -1;
	}
	for (size_t i = 0; i < f->n_questions; i++) {
		const flow_question *fq = &f->questions[i];
		report_question *q = add_question(rf, cap_q, fq->id,
		        tstr_get(&fq->prompt, lang, lang), fq->symbol);
		if (!q) {
			flow_destroy(f);
			return -1;
		}
		for (size_t j = 0; j < fq->n_answers; j++) {
			const flow_answer *fa = &fq->answers[j];
			if (!add_answer(q, fa->id, tstr_get(&fa->label, lang, lang), fa->symbol)) {
				flow_destroy(f);
				return -1;
			}
		}
	}
	flow_destroy(f);
	return 0;
}

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
	return tl_asprintf("s.status != 'in_progress'%s%s%s%s",
	                   opt && opt->since ? " AND s.started_at >= ?1" : "",
	                   ids ? " AND s.id IN (SELECT id FROM " : "",
	                   ids ? ids : "", ids ? ")" : "");
}

static int
prepare(sqlite3 *db, const char *sql, const report_options *opt, sqlite3_stmt **out)
{
	int rc = sqlite3_prepare_v2(db, sql, -1, out, NULL);
	if (rc == SQLITE_OK && opt && opt->since)
		rc = sqlite3_bind_text(*out, 1, opt->since, -1, SQLITE_TRANSIENT);
	return rc;
}

static const char *
col(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? (const char *)t : "";
}

static report_flow *
find_flow(report *r, const char *id, int version)
{
	for (size_t i = 0; i < r->n_flows; i++)
		if (r->flows[i].version == version && strcmp(r->flows[i].id, id) == 0)
			return &r->flows[i];
	return NULL;
}

/* The n-th piece of s split by sep into out (empty when there are fewer). */
static void
nth_piece(const char *s, const char *sep, int n, char *out, size_t outlen)
{
	size_t sl = strlen(sep);
	for (int i = 0; i < n && s; i++) {
		s = strstr(s, sep);
		if (s)
			s += sl;
	}
	if (!s) {
		out[0] = '\0';
		return;
	}
	const char *e = strstr(s, sep);
	size_t len = e ? (size_t)(e - s) : strlen(s);
	if (len >= outlen)
		len = outlen - 1;
	memcpy(out, s, len);
	out[len] = '\0';
}

/* Adds one counted group: people whose latest answer to a question was
 * this kind and set of answers. */
static int
add_count_v(report_flow *rf, size_t *cap_q, const char *qid, const char *kind,
            const char *ids, int64_t n, const char *qtext, const char *labels)
{
	report_question *q = NULL;
	for (size_t i = 0; i < rf->n_questions && !q; i++)
		if (strcmp(rf->questions[i].id, qid) == 0)
			q = &rf->questions[i];
	if (!q && !(q = add_question(rf, cap_q, qid, qtext, NULL)))
		return -1;
	q->people += n;
	if (strcmp(kind, "skipped") == 0) {
		q->skipped += n;
		return 0;
	}
	if (strcmp(kind, "declined") == 0) {
		q->declined += n;
		return 0;
	}
	/* choose-many: "art music" counts once for art and once for music */
	int idx = 0;
	for (const char *p = ids; *p; idx++) {
		const char *e = strchr(p, ' ');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char id[256];
		if (len >= sizeof id)
			len = sizeof id - 1;
		memcpy(id, p, len);
		id[len] = '\0';
		report_answer *a = NULL;
		for (size_t i = 0; i < q->n_answers && !a; i++)
			if (strcmp(q->answers[i].id, id) == 0)
				a = &q->answers[i];
		if (!a) {
			char label[512];
			nth_piece(labels, " | ", idx, label, sizeof label);
			if (!(a = add_answer(q, id, label, NULL)))
				return -1;
		}
		a->count += n;
		p += len;
		while (*p == ' ')
			p++;
	}
	return 0;
}

static int
add_count(report_flow *rf, size_t *cap_q, sqlite3_stmt *s)
{
	return add_count_v(rf, cap_q, col(s, 2), col(s, 3), col(s, 4),
	                   sqlite3_column_int64(s, 5), col(s, 6), col(s, 7));
}

/* ---- counts gathered by the caller ------------------------------------------ */

typedef struct tgroup {
	char *flow_id, *qid, *kind, *ids, *qtext, *labels;
	int version, qindex;
	int64_t n;
	uint64_t hash;
} tgroup;

struct report_tally {
	tgroup *groups;
	size_t n, cap;
	size_t *slots;       /* open addressing: index + 1, 0 empty */
	size_t n_slots;
	bool oom;
};

report_tally *
report_tally_create(void)
{
	return calloc(1, sizeof(report_tally));
}

void
report_tally_destroy(report_tally *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		tgroup *g = &t->groups[i];
		free(g->flow_id);
		free(g->qid);
		free(g->kind);
		free(g->ids);
		free(g->qtext);
		free(g->labels);
	}
	free(t->groups);
	free(t->slots);
	free(t);
}

static uint64_t
fnv(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return (h ^ 0xff) * 0x100000001b3ULL;   /* ends each field */
}

static bool
tally_rehash(report_tally *t)
{
	size_t n = t->n_slots ? t->n_slots * 2 : 256;
	size_t *slots = calloc(n, sizeof *slots);
	if (!slots)
		return false;
	for (size_t i = 0; i < t->n; i++) {
		size_t k = (size_t)t->groups[i].hash & (n - 1);
		while (slots[k])
			k = (k + 1) & (n - 1);
		slots[k] = i + 1;
	}
	free(t->slots);
	t->slots = slots;
	t->n_slots = n;
	return true;
}

/* Keeps the smaller of *have and s, as SQL's min() would. */
static bool
keep_min(char **have, const char *s)
{
	if (strcmp(s, *have) >= 0)
		return true;
	char *c = tl_strdup(s);
	if (!c)
		return false;
	free(*have);
	*have = c;
	return true;
}

int
report_tally_add(report_tally *t, const char *flow_id, int flow_version,
                 const char *question_id, const char *question_text, int question_index,
                 const char *kind, const char *answer_ids, const char *answer_labels)
{
	if (t->oom)
		return -1;
	flow_id = flow_id ? flow_id : "";
	question_id = question_id ? question_id : "";
	question_text = question_text ? question_text : "";
	kind = kind ? kind : "";
	answer_ids = answer_ids ? answer_ids : "";
	answer_labels = answer_labels ? answer_labels : "";
	uint64_t h = 0xcbf29ce484222325ULL;
	h = fnv(h, flow_id);
	h = (h ^ (uint64_t)(unsigned)flow_version) * 0x100000001b3ULL;
	h = fnv(fnv(fnv(h, question_id), kind), answer_ids);
	if (t->n_slots) {
		for (size_t k = (size_t)h & (t->n_slots - 1); t->slots[k]; k = (k + 1) & (t->n_slots - 1)) {
			tgroup *g = &t->groups[t->slots[k] - 1];
			if (g->hash == h && g->version == flow_version && strcmp(g->qid, question_id) == 0 &&
			    strcmp(g->kind, kind) == 0 && strcmp(g->ids, answer_ids) == 0 &&
			    strcmp(g->flow_id, flow_id) == 0) {
				g->n++;
				if (question_index < g->qindex)
					g->qindex = question_index;
				if (!keep_min(&g->qtext, question_text) || !keep_min(&g->labels, answer_labels)) {
					t->oom = true;
					return -1;
				}
				return 0;
			}
		}
	}
	if ((t->n + 1) * 2 > t->n_slots && !tally_rehash(t)) {
		t->oom = true;
		return -1;
	}
	if (!grow((void **)&t->groups, &t->cap, t->n + 1, sizeof *t->groups)) {
		t->oom = true;
		return -1;
	}
	tgroup *g = &t->groups[t->n];
	*g = (tgroup){
		.flow_id = tl_strdup(flow_id), .qid = tl_strdup(question_id), .kind = tl_strdup(kind),
		.ids = tl_strdup(answer_ids), .qtext = tl_strdup(question_text),
		.labels = tl_strdup(answer_labels), .version = flow_version,
		.qindex = question_index, .n = 1, .hash = h,
	};
	t->n++;   /* counted even if a copy failed, so destroy frees what there is */
	if (!g->flow_id || !g->qid || !g->kind || !g->ids || !g->qtext || !g->labels) {
		t->oom = true;
		return -1;
	}
	size_t k = (size_t)h & (t->n_slots - 1);
	while (t->slots[k])
		k = (k + 1) & (t->n_slots - 1);
	t->slots[k] = t->n;
	return 0;
}

/* The order the SQL count gives: flow, version, question's place; then
 * the rest so the same tally always draws the same report. */
static int
tgroup_cmp(const void *pa, const void *pb)
{
	const tgroup *a = *(const tgroup *const *)pa, *b = *(const tgroup *const *)pb;
	int c = strcmp(a->flow_id, b->flow_id);
	if (c == 0)
		c = (a->version > b->version) - (a->version < b->version);
	if (c == 0)
		c = (a->qindex > b->qindex) - (a->qindex < b->qindex);
	if (c == 0)
		c = strcmp(a->qid, b->qid);
	if (c == 0)
		c = strcmp(a->kind, b->kind);
	if (c == 0)
		c = strcmp(a->ids, b->ids);
	return c;
}

static int
collect(sqlite3 *db, const report_options *opt, const report_tally *t, report **out,
        char *err, size_t errlen)
{
	*out = NULL;
	char *where = session_filter(opt);
	report *r = calloc(1, sizeof *r);
	size_t cap_flows = 0, *cap_q = NULL;
	sqlite3_stmt *s = NULL, *src = NULL;
	char *sql = NULL;
	int rc = where && r ? SQLITE_OK : SQLITE_NOMEM;

	/* who took part */
	if (rc == SQLITE_OK) {
		sql = tl_asprintf("SELECT count(*), count(DISTINCT s.kiosk_id),"
		                  " ifnull(min(s.started_at), ''), ifnull(max(s.started_at), '')"
		                  " FROM sessions s WHERE %s", where);
		rc = sql ? prepare(db, sql, opt, &s) : SQLITE_NOMEM;
	}
	if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		r->people = sqlite3_column_int64(s, 0);
		r->kiosks = sqlite3_column_int64(s, 1);
		snprintf(r->first, sizeof r->first, "%s", col(s, 2));
		snprintf(r->last, sizeof r->last, "%s", col(s, 3));
		rc = SQLITE_OK;
	}
	sqlite3_finalize(s);
	s = NULL;
	free(sql);
	sql = NULL;

	/* the flows, each described by the source stored with its sessions */
	if (rc == SQLITE_OK) {
		sql = tl_asprintf("SELECT s.flow_id, s.flow_version, count(*) FROM sessions s"
		                  " WHERE %s GROUP BY 1, 2 ORDER BY 1, 2", where);
		rc = sql ? prepare(db, sql, opt, &s) : SQLITE_NOMEM;
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "SELECT source FROM flows WHERE id = ?1 AND"
		                        " version = ?2 AND source IS NOT NULL"
		                        " ORDER BY hash LIMIT 1", -1, &src, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		rc = SQLITE_OK;
		size_t before = cap_flows;
		if (!grow((void **)&r->flows, &cap_flows, r->n_flows + 1, sizeof *r->flows)) {
			rc = SQLITE_NOMEM;
			break;
		}
		if (cap_flows != before) {
			/* one question capacity per flow, kept as long as flows */
			size_t *c2 = realloc(cap_q, cap_flows * sizeof *cap_q);
			if (!c2) {
				rc = SQLITE_NOMEM;
				break;
			}
			cap_q = c2;
		}
		report_flow *f = &r->flows[r->n_flows];
		cap_q[r->n_flows] = 0;
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
		    fill_from_source(f, &cap_q[r->n_flows - 1], col(src, 0)) != 0)
			rc = SQLITE_NOMEM;
		else if (src_rc != SQLITE_ROW && src_rc != SQLITE_DONE)
			rc = src_rc;
	}
	if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
	sqlite3_finalize(s);
	sqlite3_finalize(src);
	s = NULL;
	free(sql);
	sql = NULL;

	/* The counts: for each session and question only the row with the
	 * highest seq (SQLite takes the bare columns from the max() row), then
	 * grouped by what was answered. */
	if (rc == SQLITE_OK && t) {
		const tgroup **order = t->oom ? NULL : malloc((t->n ? t->n : 1) * sizeof *order);
		if (!order)
			rc = SQLITE_NOMEM;
		for (size_t i = 0; order && i < t->n; i++)
			order[i] = &t->groups[i];
		if (order)
			qsort(order, t->n, sizeof *order, tgroup_cmp);
		for (size_t i = 0; order && rc == SQLITE_OK && i < t->n; i++) {
			const tgroup *g = order[i];
			report_flow *f = find_flow(r, g->flow_id, g->version);
			if (f && add_count_v(f, &cap_q[f - r->flows], g->qid, g->kind, g->ids, g->n,
			                     g->qtext, g->labels) != 0)
				rc = SQLITE_NOMEM;
		}
		free(order);
	} else if (rc == SQLITE_OK) {
		sql = tl_asprintf(
		        "SELECT s.flow_id, s.flow_version, l.question_id, l.kind, l.answer_ids,"
		        " count(*), min(l.question_text), min(l.answer_labels), min(l.question_index)"
		        " FROM (SELECT a.session_id, a.question_id, a.kind, a.answer_ids,"
		        "        a.answer_labels, a.question_text, a.question_index, max(a.seq)"
		        "       FROM answers a GROUP BY a.session_id, a.question_id) l"
		        " JOIN sessions s ON s.id = l.session_id"
		        " WHERE %s"
		        " GROUP BY s.flow_id, s.flow_version, l.question_id, l.kind, l.answer_ids"
		        " ORDER BY s.flow_id, s.flow_version, min(l.question_index)", where);
		rc = sql ? prepare(db, sql, opt, &s) : SQLITE_NOMEM;
	}
	while (rc == SQLITE_OK && s && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		rc = SQLITE_OK;
		report_flow *f = find_flow(r, col(s, 0), sqlite3_column_int(s, 1));
		if (f && add_count(f, &cap_q[f - r->flows], s) != 0)
			rc = SQLITE_NOMEM;
	}
	if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
	sqlite3_finalize(s);
	free(sql);
	free(cap_q);
	free(where);
	if (rc != SQLITE_OK) {
		tl_set_err(err, errlen, "could not count the answers: %s",
		        rc == SQLITE_NOMEM ? "out of memory" : sqlite3_errmsg(db));
		report_destroy(r);
		return -1;
	}
	*out = r;
	return 0;
}

int
report_collect(sqlite3 *db, const report_options *opt, report **out,
               char *err, size_t errlen)
{
	return collect(db, opt, NULL, out, err, errlen);
}

int
report_collect_tally(sqlite3 *db, const report_options *opt, const report_tally *t,
                     report **out, char *err, size_t errlen)
{
	return collect(db, opt, t, out, err, errlen);
}

/* ---- HTML ------------------------------------------------------------------ */

typedef struct hbuf {
	char *p;
	size_t len, cap;
	bool oom;
	report_write_fn fn;
	void *ud;
	bool failed;
} hbuf;

static void
hb_flush(hbuf *b)
{
	if (b->len && !b->failed && b->fn(b->ud, b->p, b->len) != 0)
		b->failed = true;
	b->len = 0;
}

static void
hb_put(hbuf *b, const char *s, size_t n)
{
	if (b->oom || b->failed)
		return;
	if (b->len + n > b->cap) {
		hb_flush(b);
		if (n > b->cap) {
			if (b->fn(b->ud, s, n) != 0)
				b->failed = true;
			return;
		}
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void
hb_str(hbuf *b, const char *s)
{
	hb_put(b, s, strlen(s));
}

static void
hb_fmt(hbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
hb_fmt(hbuf *b, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n > 0)
		hb_put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static void
hb_esc(hbuf *b, const char *s)
{
	const char *run = s;
	for (; *s; s++) {
		const char *rep = NULL;
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		hb_put(b, run, (size_t)(s - run));
		hb_str(b, rep);
		run = s + 1;
	}
	hb_put(b, run, (size_t)(s - run));
}

/* ---- symbols: each inlined once --------------------------------------------- */

#define SYM_MAX 128

typedef struct symset {
	const char *names[SYM_MAX];
	bool ok[SYM_MAX];
	size_t n;
} symset;

static void
sym_add(symset *ss, const char *name)
{
	if (!name || !tl_is_slug(name))
		return;
	for (size_t i = 0; i < ss->n; i++)
		if (strcmp(ss->names[i], name) == 0)
			return;
	if (ss->n < SYM_MAX)
		ss->names[ss->n++] = name;
}

static bool
sym_ok(const symset *ss, const char *name)
{
	if (!name)
		return false;
	for (size_t i = 0; i < ss->n; i++)
		if (strcmp(ss->names[i], name) == 0)
			return ss->ok[i];
	return false;
}

/* Writes the inside of an SVG file as <symbol id="s-NAME">, dropping the
 * ids inside it (they would repeat across symbols). false if the file is
 * missing or does not look like an SVG. */
static bool
emit_symbol(hbuf *b, const char *data_dir, const char *name)
{
	char *path = tl_asprintf("%s/assets/symbols/%s.svg", data_dir, name);
	char *data = NULL;
	size_t len = 0;
	bool ok = false;
	if (path && tl_read_file(path, &data, &len) == 0) {
		char *open = strstr(data, "<svg");
		char *gt = open ? strchr(open, '>') : NULL;
		char *close = gt ? strstr(gt, "</svg>") : NULL;
		char *last;
		while (close && (last = strstr(close + 1, "</svg>")))
			close = last;
		if (close) {
			char vb[128] = "0 0 72 72";
			char *v = strstr(open, "viewBox=\"");
			if (v && v < gt) {
				v += 9;
				char *e = strchr(v, '"');
				if (e && (size_t)(e - v) < sizeof vb) {
					memcpy(vb, v, (size_t)(e - v));
					vb[e - v] = '\0';
				}
			}
			hb_str(b, "<symbol id=\"s-");
			hb_str(b, name);
			hb_str(b, "\" viewBox=\"");
			hb_esc(b, vb);
			hb_str(b, "\">");
			/* copy, leaving out ` id="..."` attributes */
			const char *p = gt + 1;
			while (p < close) {
				const char *id = strstr(p, " id=\"");
				if (!id || id >= close) {
					hb_put(b, p, (size_t)(close - p));
					break;
				}
				hb_put(b, p, (size_t)(id - p));
				const char *e = strchr(id + 5, '"');
				p = e && e < close ? e + 1 : close;
			}
			hb_str(b, "</symbol>\n");
			ok = true;
		}
	}
	free(data);
	free(path);
	return ok;
}

static void
pic(hbuf *b, const symset *ss, const char *name, const char *cls)
{
	hb_fmt(b, "<svg class=\"%s\" aria-hidden=\"true\"><use href=\"#s-", cls);
	hb_str(b, sym_ok(ss, name) ? name : "-dot");
	hb_str(b, "\"/></svg>");
}

static const char css[] =
	"*{box-sizing:border-box}\n"
	"body{font-family:Andika,\"Andika New Basic\",\"Atkinson Hyperlegible\",Verdana,Arial,sans-serif;"
	"font-size:22px;line-height:1.45;color:#111;background:#fff;margin:0 auto;max-width:1150px;padding:28px}\n"
	"h1{font-size:60px;line-height:1.1;margin:0 0 12px}\n"
	".lead{font-size:32px;margin:0 0 6px}\n"
	".lead strong{font-size:44px}\n"
	".small{font-size:20px;color:#333}\n"
	".how{border:3px solid #111;border-radius:16px;padding:12px 20px;margin:20px 0;font-size:22px}\n"
	".flow>h2{font-size:42px;margin:40px 0 0;border-bottom:6px solid #111}\n"
	".q{border:3px solid #111;border-radius:18px;padding:18px 22px;margin:24px 0;"
	"break-inside:avoid;page-break-inside:avoid}\n"
	".qhead{display:flex;align-items:center;gap:22px;margin-bottom:8px}\n"
	".qsym{width:104px;height:104px;flex:none}\n"
	".qhead h3{font-size:36px;line-height:1.2;margin:0}\n"
	".each{font-size:20px;margin:4px 0 10px;color:#222}\n"
	".each svg{width:28px;height:28px;vertical-align:middle}\n"
	"table{border-collapse:collapse;width:100%}\n"
	"td{padding:8px 10px;border-top:2px solid #bbb;vertical-align:middle}\n"
	"td.who{width:40%;font-size:26px}\n"
	"td.who svg{width:60px;height:60px;vertical-align:middle;margin-right:12px}\n"
	"td.n{width:3.2em;font-size:40px;font-weight:bold;text-align:right}\n"
	"td.bar svg.p{width:46px;height:46px;margin:2px}\n"
	".part{display:inline-block;overflow:hidden;vertical-align:middle;white-space:nowrap;height:50px}\n"
	"td.bar svg.p{vertical-align:middle}\n"
	"tr.other td.who{color:#222}\n"
	".none{font-size:26px}\n"
	"footer{margin-top:36px;font-size:18px;color:#333}\n"
	"@media print{body{max-width:none;padding:0;font-size:14pt}"
	"h1{font-size:34pt}.q{break-inside:avoid;page-break-inside:avoid}"
	".flow>h2{break-after:avoid;page-break-after:avoid}}\n";

/* "2026-11-22T12:08:21.123Z" -> "22 November 2026" */
static void
nice_date(const char *iso, char *out, size_t outlen)
{
	static const char *months[] = { "January", "February", "March", "April", "May",
	        "June", "July", "August", "September", "October", "November", "December" };
	int y, m, d;
	if (sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 && m <= 12)
		snprintf(out, outlen, "%d %s %d", d, months[m - 1], y);
	else
		snprintf(out, outlen, "%s", iso);
}

/* People per picture: 1, 2, 5, 10, 20, 50... so the longest row has at
 * most 10 pictures. */
static int64_t
per_picture(int64_t most)
{
	static const int64_t mant[] = { 1, 2, 5 };
	for (int64_t p = 1; p < INT64_MAX / 100; p *= 10)
		for (int i = 0; i < 3; i++)
			if ((most + mant[i] * p - 1) / (mant[i] * p) <= 10)
				return mant[i] * p;
	return most > 0 ? most : 1;
}

static void
chart_row(hbuf *b, const symset *ss, const char *symbol, const char *label,
          int64_t count, int64_t per, bool other)
{
	hb_str(b, other ? "<tr class=\"other\"><td class=\"who\">" : "<tr><td class=\"who\">");
	pic(b, ss, symbol, "a");
	hb_esc(b, label);
	hb_fmt(b, "</td><td class=\"n\">%lld</td><td class=\"bar\">", (long long)count);
	int64_t full = count / per, rest = count % per;
	for (int64_t i = 0; i < full; i++)
		pic(b, ss, symbol, "p");
	if (rest) {
		/* part of a picture for the people left over: 50px per picture */
		hb_fmt(b, "<span class=\"part\" style=\"width:%dpx\">", (int)(rest * 50 / per));
		pic(b, ss, symbol, "p");
		hb_str(b, "</span>");
	}
	hb_str(b, "</td></tr>\n");
}

static void
render_question(hbuf *b, const symset *ss, const report_question *q)
{
	hb_str(b, "<section class=\"q\"><div class=\"qhead\">");
	if (q->symbol)
		pic(b, ss, q->symbol, "qsym");
	hb_str(b, "<h3>");
	hb_esc(b, q->text);
	hb_str(b, "</h3></div>\n");
	if (q->people == 0) {
		hb_str(b, "<p class=\"none\">Nobody answered this question.</p></section>\n");
		return;
	}
	int64_t most = q->skipped > q->declined ? q->skipped : q->declined;
	for (size_t i = 0; i < q->n_answers; i++)
		if (q->answers[i].count > most)
			most = q->answers[i].count;
	int64_t per = per_picture(most);
	hb_fmt(b, "<p class=\"each\">%lld %s answered. Each picture = %lld %s.</p>\n<table>\n",
	       (long long)q->people, q->people == 1 ? "person" : "people",
	       (long long)per, per == 1 ? "person" : "people");
	for (size_t i = 0; i < q->n_answers; i++)
		chart_row(b, ss, q->answers[i].symbol, q->answers[i].label,
		          q->answers[i].count, per, false);
	if (q->skipped)
		chart_row(b, ss, "skip", "Skipped", q->skipped, per, true);
	if (q->declined)
		chart_row(b, ss, "dont-want-to-say", "Didn't want to say", q->declined, per, true);
	hb_str(b, "</table></section>\n");
}

int
report_render_html(const report *r, const report_options *opt,
                   report_write_fn fn, void *ud)
{
	hbuf b = { .cap = 64 * 1024, .fn = fn, .ud = ud };
	b.p = malloc(b.cap);
	if (!b.p) {
		errno = ENOMEM;
		return -1;
	}
	const char *data_dir = opt && opt->data_dir ? opt->data_dir : tl_data_dir();
	const char *title = opt && opt->title ? opt->title : "What you told us";

	symset ss = { .n = 0 };
	sym_add(&ss, "skip");
	sym_add(&ss, "dont-want-to-say");
	for (size_t i = 0; i < r->n_flows; i++)
		for (size_t j = 0; j < r->flows[i].n_questions; j++) {
			const report_question *q = &r->flows[i].questions[j];
			sym_add(&ss, q->symbol);
			for (size_t k = 0; k < q->n_answers; k++)
				sym_add(&ss, q->answers[k].symbol);
		}

	hb_str(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	hb_esc(&b, title);
	hb_str(&b, "</title>\n<style>\n");
	hb_str(&b, css);
	hb_str(&b, "</style></head><body>\n"
	           "<svg width=\"0\" height=\"0\" style=\"position:absolute\" aria-hidden=\"true\">\n"
	           "<symbol id=\"s--dot\" viewBox=\"0 0 72 72\"><circle cx=\"36\" cy=\"36\" r=\"24\" "
	           "fill=\"#8FB8DE\" stroke=\"#000\" stroke-width=\"3\"/></symbol>\n");
	for (size_t i = 0; i < ss.n; i++)
		ss.ok[i] = emit_symbol(&b, data_dir, ss.names[i]);
	hb_str(&b, "</svg>\n<h1>");
	hb_esc(&b, title);
	hb_str(&b, "</h1>\n");
	hb_fmt(&b, "<p class=\"lead\"><strong>%lld</strong> %s took part.</p>\n",
	       (long long)r->people, r->people == 1 ? "person" : "people");
	if (r->people) {
		char a[64], z[64];
		nice_date(r->first, a, sizeof a);
		nice_date(r->last, z, sizeof z);
		if (strcmp(a, z) == 0)
			hb_fmt(&b, "<p class=\"small\">On %s", a);
		else
			hb_fmt(&b, "<p class=\"small\">From %s to %s", a, z);
		hb_fmt(&b, ", at %lld %s.</p>\n", (long long)r->kiosks,
		       r->kiosks == 1 ? "kiosk" : "kiosks");
	}
	hb_str(&b, "<p class=\"how\">For each question you can see the answers people gave. "
	           "The pictures show how many people chose each answer, and the big number "
	           "says exactly how many. If someone changed their answer, we count only "
	           "their last one.</p>\n");
	for (size_t i = 0; i < r->n_flows; i++) {
		const report_flow *f = &r->flows[i];
		hb_str(&b, "<div class=\"flow\"><h2>");
		hb_esc(&b, f->title);
		hb_fmt(&b, "</h2>\n<p class=\"small\">%lld %s answered these questions.</p>\n",
		       (long long)f->people, f->people == 1 ? "person" : "people");
		for (size_t j = 0; j < f->n_questions; j++)
			render_question(&b, &ss, &f->questions[j]);
		hb_str(&b, "</div>\n");
	}
	hb_str(&b, "<footer>Made by Tellus. Symbols: OpenMoji (openmoji.org), licence CC BY-SA 4.0.</footer>\n"
	           "</body></html>\n");
	hb_flush(&b);
	free(b.p);
	return b.failed ? -1 : 0;
}

/* ---- tellus report --------------------------------------------------------- */

static int
file_write(void *ud, const void *buf, size_t len)
{
	return fwrite(buf, 1, len, ud) == len ? 0 : -1;
}

int
report_write_file(const char *db_path, const char *out_path,
                  const report_options *opt, int64_t *people,
                  char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	report *r = NULL;
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		tl_set_err(err, errlen, "cannot open the answers database %s: %s", db_path,
		        db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db, 2000);
	if (report_collect(db, opt, &r, err, errlen) != 0) {
		sqlite3_close(db);
		return -1;
	}
	sqlite3_close(db);
	char *tmp = tl_asprintf("%s.partial", out_path);
	FILE *f = tmp ? fopen(tmp, "wb") : NULL;
	int rc = -1;
	if (!f) {
		tl_set_err(err, errlen, "cannot write %s: %s", tmp ? tmp : out_path, strerror(errno));
	} else {
		int wr = report_render_html(r, opt, file_write, f);
		int e = errno;
		if (fclose(f) != 0 && wr == 0) {
			wr = -1;
			e = errno;
		}
		if (wr == 0 && rename(tmp, out_path) != 0) {
			wr = -1;
			e = errno;
		}
		if (wr != 0) {
			tl_set_err(err, errlen, "cannot write %s: %s", out_path, strerror(e));
			remove(tmp);
		} else {
			rc = 0;
		}
	}
	if (rc == 0 && people)
		*people = r->people;
	free(tmp);
	report_destroy(r);
	return rc;
}
