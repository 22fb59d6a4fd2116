/*
 * export_choices: the chosen answers of one answer record, one by one.
 *
 * The one place in the export that knows how the store keeps a "choose
 * several" answer: one answer_choices row per chosen answer (session_id,
 * seq, position, answer_id, answer_label), read by the export's one query
 * with EXPORT_CHOICES_JOIN and EXPORT_CHOICES_SQL, so an answer with three
 * choices comes as three rows, in position order. Only a chosen answer
 * shows its choices; a skip or a decline has none.
 */
#ifndef TELLUS_EXPORT_CHOICES_H
#define TELLUS_EXPORT_CHOICES_H

#include <stddef.h>

#include "export/export_columns.h"

/* Joins an answer (aliased a) to its choices (aliased c): NULLs when it
 * has none. */
#define EXPORT_CHOICES_JOIN \
	" LEFT JOIN main.answer_choices c ON c.session_id = a.session_id AND c.seq = a.seq"
/* The columns the export reads for one choice: its id and its label, and
 * for a sort its column's id and words (NULL otherwise). */
#define EXPORT_CHOICES_SQL "c.answer_id, c.answer_label, c.sort_column, c.sort_column_label"
/* After ordering by the answer: the choices in their order. */
#define EXPORT_CHOICES_ORDER "c.position"

/* How many answers were chosen: 0 for a skip or a decline. */
size_t export_choices_count(const export_answer *a);
/* The k-th chosen answer's id and label (len bytes); "" (len 0) when there
 * is none: a skip, a decline, k past the end. */
const char *export_choices_id(const export_answer *a, size_t k, size_t *len);
const char *export_choices_label(const export_answer *a, size_t k, size_t *len);
/* A sort answer's k-th picture's column id ("unsorted" when it was left off
 * the mat) and the column's words; "" for any other answer. */
const char *export_choices_column(const export_answer *a, size_t k, size_t *len);
const char *export_choices_column_label(const export_answer *a, size_t k, size_t *len);
/* How many column ids the answer has: its choices for a sort, else 0. */
size_t export_choices_column_count(const export_answer *a);

#endif
