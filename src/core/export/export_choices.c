/*
 * export_choices: see export_choices.h. The k-th id goes with the k-th
 * label; each is one row of the store, whole, whatever it holds.
 */
#include "export/export_choices.h"

#include <stdbool.h>
#include <string.h>

static bool
chosen(const export_answer *a)
{
	return strcmp(a->kind, "chosen") == 0;
}

size_t
export_choices_count(const export_answer *a)
{
	return chosen(a) ? a->n_choices : 0;
}

/* The k-th of list, or "" past the end. */
static const char *
nth(const export_answer *a, const char *const *list, size_t k, size_t *len)
{
	if (!list || k >= export_choices_count(a) || !list[k]) {
		*len = 0;
		return "";
	}
	*len = strlen(list[k]);
	return list[k];
}

const char *
export_choices_id(const export_answer *a, size_t k, size_t *len)
{
	return nth(a, a->choice_ids, k, len);
}

const char *
export_choices_label(const export_answer *a, size_t k, size_t *len)
{
	return nth(a, a->choice_labels, k, len);
}

const char *
export_choices_column(const export_answer *a, size_t k, size_t *len)
{
	return nth(a, a->choice_columns, k, len);
}

const char *
export_choices_column_label(const export_answer *a, size_t k, size_t *len)
{
	return nth(a, a->choice_column_labels, k, len);
}

size_t
export_choices_column_count(const export_answer *a)
{
	return a->choice_columns ? export_choices_count(a) : 0;
}
