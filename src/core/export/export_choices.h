/*
 * export_choices: the chosen answers of one answer record, one by one.
 *
 * The one place in the export that reads how the store keeps a "choose
 * several" answer (today answers.answer_ids "sport art" and answer_labels
 * "Sport | Art", the columns EXPORT_CHOICES_SQL names): when the store
 * keeps them another way, this file and that SQL change, nothing else.
 */
#ifndef TELLUS_EXPORT_CHOICES_H
#define TELLUS_EXPORT_CHOICES_H

#include <stddef.h>

#include "export/export_columns.h"

/* The answers-table columns the export reads into export_answer's
 * answer_ids and answer_labels, in that order. */
#define EXPORT_CHOICES_SQL "a.answer_ids, a.answer_labels"

/* How many answers were chosen: 0 for a skip or a decline. */
size_t export_choices_count(const export_answer *a);
/* The k-th chosen answer's id and label (len bytes, not NUL-terminated);
 * "" (len 0) when there is none: a skip, a decline, k past the end. */
const char *export_choices_id(const export_answer *a, size_t k, size_t *len);
const char *export_choices_label(const export_answer *a, size_t k, size_t *len);

#endif
