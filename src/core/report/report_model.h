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

/* Adds n people whose latest answer to question qid was of this kind
 * (qtext names a question the flow does not have). 0, or -1 when memory
 * ran out. */
int report_count_answers(report_flow *rf, size_t *cap_q, const char *qid, const char *qtext,
                         const char *kind, int64_t n);
/* Adds n people whose latest answer to qid chose the answer id (a
 * choose-several answer counts once for each picture chosen). An answer the
 * flow does not have is added after its own, with label as stored. 0, or
 * -1 when memory ran out. */
int report_count_choice(report_flow *rf, size_t *cap_q, const char *qid, const char *qtext,
                        const char *id, const char *label, int64_t n);
/* Adds n people who put picture id of sort question qid in column (its
 * words column_label), or left it off the mat (column "unsorted"). 0, or
 * -1 when memory ran out. */
int report_count_sorted(report_flow *rf, size_t *cap_q, const char *qid, const char *qtext,
                        const char *id, const char *label, const char *column,
                        const char *column_label, int64_t n);

/* One count of a tally: of the latest answers of a kind to a question (id
 * NULL), or of one chosen answer (id and label set). */
typedef struct report_group {
	const char *flow_id, *qid, *kind, *id, *qtext, *label;
	const char *column, *column_label;   /* a sort picture's; else NULL */
	int version;
	int64_t n;
} report_group;

/* The one statement report_collect counts every answer with, for opt's
 * sessions (EXPLAIN QUERY PLAN it to see how it reads them); caller frees
 * with free(); NULL when memory ran out or opt's ids table is no name. */
char *report_count_sql(const report_options *opt);

/* Adds g->n to the group g names in t (made if new), as that many calls
 * of report_tally_add would: a count of the latest answers of g->kind to
 * g->qid (g->id NULL), or of one chosen answer (g->id, g->label, and a sort
 * picture's g->column and column_label, else NULL). The question text,
 * label and question_index keep their smallest value, as SQL's min().
 * report_collect's one pass counts through this (the strings are copied).
 * 0, or -1 when memory ran out (the tally is then unusable). */
int report_tally_count(report_tally *t, const report_group *g, int question_index);

/* t's groups in the order report_collect's SQL gives them (every answer
 * count, then every choice count, each by flow, version, question's
 * place, question, kind or answer id), in *out (caller frees the array;
 * the groups are borrowed from t). 0, or -1 when memory ran out now or
 * while counting. */
int report_tally_groups(const report_tally *t, report_group **out, size_t *n);

#endif
