/*
 * export_choices: see export_choices.h. The store joins the chosen ids
 * with " " and their labels with " | "; the k-th id goes with the k-th
 * label, and the ids say how many there are.
 */
#include "export/export_choices.h"

#include <stdbool.h>
#include <string.h>

static bool
chosen(const export_answer *a)
{
	return strcmp(a->kind, "chosen") == 0;
}

/* The k-th piece of s split at sep; *len 0 and "" when there is none. */
static const char *
piece(const char *s, const char *sep, size_t k, size_t *len)
{
	size_t sl = strlen(sep);
	for (size_t i = 0; i < k && s; i++) {
		s = strstr(s, sep);
		if (s)
			s += sl;
	}
	if (!s) {
		*len = 0;
		return "";
	}
	const char *e = strstr(s, sep);
	*len = e ? (size_t)(e - s) : strlen(s);
	return s;
}

size_t
export_choices_count(const export_answer *a)
{
	if (!chosen(a) || !*a->answer_ids)
		return 0;
	size_t n = 1;
	for (const char *p = a->answer_ids; *p; p++)
		n += *p == ' ';
	return n;
}

const char *
export_choices_id(const export_answer *a, size_t k, size_t *len)
{
	if (!chosen(a)) {
		*len = 0;
		return "";
	}
	return piece(a->answer_ids, " ", k, len);
}

const char *
export_choices_label(const export_answer *a, size_t k, size_t *len)
{
	if (!chosen(a)) {
		*len = 0;
		return "";
	}
	return piece(a->answer_labels, " | ", k, len);
}
