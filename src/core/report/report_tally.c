/*
 * report_tally: counts gathered by a caller that already walks every
 * answer in order (the export does), so the report need not count them
 * again in SQL.
 *
 * Promises:
 * - One group per flow, version, question, kind and set of answers, found
 *   by a hash (open addressing), so adding an answer is O(1).
 * - The groups come out in the order, and with the values (the smallest
 *   question text, labels and question index of the group), that
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
	if (!report_grow((void **)&t->groups, &t->cap, t->n + 1, sizeof *t->groups)) {
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
			.ids = order[i]->ids, .qtext = order[i]->qtext, .labels = order[i]->labels,
			.version = order[i]->version, .n = order[i]->n,
		};
	free(order);
	*out = g;
	*n = t->n;
	return 0;
}
