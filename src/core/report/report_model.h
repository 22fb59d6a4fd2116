/*
 * report_model (inside report): building the report model, shared by the
 * SQL count (report_collect.c) and the caller's tally (report_tally.c).
 */
#ifndef TELLUS_REPORT_MODEL_H
#define TELLUS_REPORT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "report/report.h"

/* Grows *items (of size bytes each, new ones zeroed) to hold need;
 * false when memory ran out (*items is then as it was). */
bool report_grow(void **items, size_t *cap, size_t need, size_t size);

/* A flow of r by id and version, or NULL. */
report_flow *report_find_flow(report *r, const char *id, int version);

/* Fills a flow's questions and answers, in its own order, from the source
 * stored with its sessions. A source that no longer parses leaves the flow
 * to be described by the answers alone. 0, or -1 when memory ran out. */
int report_fill_from_source(report_flow *rf, size_t *cap_q, const char *source);

/* Adds one counted group to rf: n people whose latest answer to question
 * qid was this kind and these chosen answers (as the answers table holds
 * them: ids joined by " ", labels by " | "). 0, or -1 when memory ran out. */
int report_add_count(report_flow *rf, size_t *cap_q, const char *qid, const char *kind,
                     const char *ids, int64_t n, const char *qtext, const char *labels);

/* One group of a tally: people whose latest answer had these values. */
typedef struct report_group {
	const char *flow_id, *qid, *kind, *ids, *qtext, *labels;
	int version;
	int64_t n;
} report_group;

/* t's groups in the order the SQL count gives (flow, version, question's
 * place, then the rest), in *out (caller frees the array; the groups are
 * borrowed from t). 0, or -1 when memory ran out now or while counting. */
int report_tally_groups(const report_tally *t, report_group **out, size_t *n);

#endif
