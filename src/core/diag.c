/*
 * diag: collects problems with their places. Out of memory while adding a
 * problem drops that problem rather than failing the caller: a report with
 * one message missing beats no report.
 */
#include "diag.h"
#include "util.h"

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
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag *d = &l->items[l->n];
	d->severity = sev;
	d->file = tl_strdup(file ? file : "");
	d->line = line;
	d->col = col;
	d->msg = tl_strdup(msg);
	if (!d->file || !d->msg) {
		free(d->file);
		free(d->msg);
		return;
	}
	l->n++;
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
	for (size_t i = 0; i < l->n; i++) {
		free(l->items[i].file);
		free(l->items[i].msg);
	}
	free(l->items);
	l->items = NULL;
	l->n = l->cap = 0;
}
