/*
 * diag: collects problems with their places, each a tl_error.
 */
#include "base/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
diag_add(diag_list *l, enum diag_severity sev, const char *file, int line,
         int col, const char *fmt, ...)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		diag *items = realloc(l->items, cap * sizeof *items);
		if (!items)
			return;
		l->items = items;
		l->cap = cap;
	}
	diag *d = &l->items[l->n++];
	d->code = TL_E_INVALID;
	d->severity = sev;
	d->sys = 0;
	d->line = line;
	d->col = col;
	snprintf(d->file, sizeof d->file, "%s", file ? file : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof d->msg, fmt, ap);
	va_end(ap);
}

size_t
diag_count(const diag_list *l, enum diag_severity sev)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		n += l->items[i].severity == sev;
	return n;
}

void
diag_format(const diag *d, char *buf, size_t len)
{
	const char *sev = d->severity == DIAG_ERROR ? "error" : "warning";
	if (d->line > 0 && d->col > 0)
		snprintf(buf, len, "%s:%d:%d: %s: %s", d->file, d->line, d->col, sev, d->msg);
	else if (d->line > 0)
		snprintf(buf, len, "%s:%d: %s: %s", d->file, d->line, sev, d->msg);
	else
		snprintf(buf, len, "%s: %s: %s", d->file, sev, d->msg);
}

void
diag_list_finish(diag_list *l)
{
	if (!l)
		return;
	free(l->items);
	l->items = NULL;
	l->n = l->cap = 0;
}
