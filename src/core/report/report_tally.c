/*
 * report_tally: counts gathered by a caller that already walks every
 * answer in order (the export does), so the report need not count them
 * again in SQL.
 *
 * Promises:
 * - Two kinds of group, in one hash table (open addressing), so adding an
 *   answer is O(1) per chosen answer: per flow, version, question and kind
 *   (the people who answered so), and per flow, version, question and
 *   chosen answer id (a choose-several answer counts in one of these for
 *   each picture chosen).
 * - The groups come out in the order, and with the values (the smallest
 *   question text, label and question index of the group), that
 *   report_collect's SQL gives, so the report drawn from a tally is byte
 *   for byte the one drawn from the database.
 * - When memory runs out the tally says so at every later call, never
 *   counts short in silence.
 */
#include "report/report.h"
#include "report/report_model.h"
#include "base/util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* id NULL: the answers of a kind; id set: one chosen answer ("chosen") */
typedef struct tgroup {
	char *flow_id, *qid, *kind, *id, *qtext, *label;
	char *column, *column_label;   /* a sort picture's group: its column; else NULL */
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
		free(g->id);
		free(g->qtext);
		free(g->label);
		free(g->column);
		free(g->column_label);
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

static bool
same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* Counts n more in the group (flow, version, qid, kind, id), made if new;
 * qtext, label and qindex keep their smallest value. */
static int
tally_bump(report_tally *t, const char *flow_id, int flow_version, const char *qid,
           const char *qtext, int qindex, const char *kind, const char *id,
           const char *label, const char *column, const char *column_label, int64_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	h = fnv(h, flow_id);
	h = (h ^ (uint64_t)(unsigned)flow_version) * 0x100000001b3ULL;
	h = fnv(fnv(h, qid), kind);
	h = id ? fnv(h, id) : (h ^ 0xfe) * 0x100000001b3ULL;
	h = column ? fnv(h, column) : (h ^ 0xfd) * 0x100000001b3ULL;
	if (t->n_slots) {
		for (size_t k = (size_t)h & (t->n_slots - 1); t->slots[k]; k = (k + 1) & (t->n_slots - 1)) {
			tgroup *g = &t->groups[t->slots[k] - 1];
			if (g->hash == h && g->version == flow_version && strcmp(g->qid, qid) == 0 &&
			    strcmp(g->kind, kind) == 0 && same_str(g->id, id) &&
			    same_str(g->column, column) && strcmp(g->flow_id, flow_id) == 0) {
				g->n += n;
				if (qindex < g->qindex)
					g->qindex = qindex;
				if (!keep_min(&g->qtext, qtext) || !keep_min(&g->label, label) ||
				    (column && !keep_min(&g->column_label, column_label))) {
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
	if (!report_grow((void **)&t->groups, &t->cap, t->n + 1, sizeof *t->groups)) {
		t->oom = true;
		return -1;
	}
	tgroup *g = &t->groups[t->n];
	*g = (tgroup){
		.flow_id = tl_strdup(flow_id), .qid = tl_strdup(qid), .kind = tl_strdup(kind),
		.id = id ? tl_strdup(id) : NULL, .qtext = tl_strdup(qtext),
		.label = tl_strdup(label), .version = flow_version,
		.column = column ? tl_strdup(column) : NULL,
		.column_label = column ? tl_strdup(column_label) : NULL,
		.qindex = qindex, .n = n, .hash = h,
	};
	t->n++;   /* counted even if a copy failed, so destroy frees what there is */
	if (!g->flow_id || !g->qid || !g->kind || (id && !g->id) || !g->qtext || !g->label ||
	    (column && (!g->column || !g->column_label))) {
		t->oom = true;
		return -1;
	}
	size_t k = (size_t)h & (t->n_slots - 1);
	while (t->slots[k])
		k = (k + 1) & (t->n_slots - 1);
	t->slots[k] = t->n;
	return 0;
}

int
report_tally_add(report_tally *t, const char *flow_id, int flow_version,
                 const char *question_id, const char *question_text, int question_index,
                 const char *kind, size_t n_choices, const char *const *choice_ids,
                 const char *const *choice_labels, const char *const *choice_columns,
                 const char *const *choice_column_labels)
{
	if (t->oom)
		return -1;
	flow_id = flow_id ? flow_id : "";
	question_id = question_id ? question_id : "";
	question_text = question_text ? question_text : "";
	kind = kind ? kind : "";
	if (tally_bump(t, flow_id, flow_version, question_id, question_text, question_index,
	               kind, NULL, "", NULL, NULL, 1) != 0)
		return -1;
	/* a skip or a decline chose nothing, whatever else it carries */
	if (strcmp(kind, "skipped") == 0 || strcmp(kind, "declined") == 0)
		return 0;
	for (size_t i = 0; i < n_choices; i++) {
		const char *id = choice_ids && choice_ids[i] ? choice_ids[i] : "";
		const char *label = choice_labels && choice_labels[i] ? choice_labels[i] : "";
		const char *col = choice_columns ? (choice_columns[i] ? choice_columns[i] : "") : NULL;
		const char *col_label = choice_column_labels && choice_column_labels[i]
		                        ? choice_column_labels[i] : "";
		if (tally_bump(t, flow_id, flow_version, question_id, question_text, question_index,
		               "chosen", id, label, col, col_label, 1) != 0)
			return -1;
	}
	return 0;
}

int
report_tally_count(report_tally *t, const report_group *g, int question_index)
{
	if (t->oom)
		return -1;
	if (g->n <= 0)
		return 0;
	return tally_bump(t, g->flow_id ? g->flow_id : "", g->version, g->qid ? g->qid : "",
	                  g->qtext ? g->qtext : "", question_index,
	                  g->id ? "chosen" : g->kind ? g->kind : "", g->id,
	                  g->id && g->label ? g->label : "", g->column,
	                  g->column_label ? g->column_label : "", g->n);
}

/* The order report_collect's SQL gives: every answer count before every
 * choice count, each by flow, version, question's place, question, then
 * kind or answer id, so the same tally always draws the same report. */
static int
tgroup_cmp(const void *pa, const void *pb)
{
	const tgroup *a = *(const tgroup *const *)pa, *b = *(const tgroup *const *)pb;
	int c = (a->id != NULL) - (b->id != NULL);
	if (c == 0)
		c = strcmp(a->flow_id, b->flow_id);
	if (c == 0)
		c = (a->version > b->version) - (a->version < b->version);
	if (c == 0)
		c = (a->qindex > b->qindex) - (a->qindex < b->qindex);
	if (c == 0)
		c = strcmp(a->qid, b->qid);
	if (c == 0)
		c = a->id ? strcmp(a->id, b->id) : strcmp(a->kind, b->kind);
	/* a picture's columns, none first (SQL sorts NULL first) */
	if (c == 0)
		c = (a->column != NULL) - (b->column != NULL);
	if (c == 0 && a->column)
		c = strcmp(a->column, b->column);
	return c;
}

int
report_tally_groups(const report_tally *t, report_group **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	const tgroup **order = t->oom ? NULL : malloc((t->n ? t->n : 1) * sizeof *order);
	report_group *g = order ? malloc((t->n ? t->n : 1) * sizeof *g) : NULL;
	if (!g) {
		free(order);
		return -1;
	}
	for (size_t i = 0; i < t->n; i++)
		order[i] = &t->groups[i];
	qsort(order, t->n, sizeof *order, tgroup_cmp);
	for (size_t i = 0; i < t->n; i++)
		g[i] = (report_group){
			.flow_id = order[i]->flow_id, .qid = order[i]->qid, .kind = order[i]->kind,
			.id = order[i]->id, .qtext = order[i]->qtext, .label = order[i]->label,
			.column = order[i]->column, .column_label = order[i]->column_label,
			.version = order[i]->version, .n = order[i]->n,
		};
	free(order);
	*out = g;
	*n = t->n;
	return 0;
}
