/*
 * diag: a list of problems found in a file people wrote (a flow, a config),
 * each a tl_error with its place and a severity, printed as
 * FILE:LINE:COL: error: message. The core never prints; it fills a diag_list
 * and main.c (or a command) decides.
 */
#ifndef TELLUS_DIAG_H
#define TELLUS_DIAG_H

#include <stddef.h>
#include "base/error.h"

/* One problem: the error type itself (code TL_E_INVALID for both
 * severities). */
typedef tl_error diag;

/* A place in a file people wrote: 1-based line and column, 0 unknown. */
typedef struct tl_pos { int line, col; } tl_pos;

typedef struct diag_list {
	diag *items;
	size_t n, cap;
} diag_list;

/* A zeroed diag_list is empty and ready. Out of memory drops that one
 * problem: a report with one message missing beats no report. */
void diag_add(diag_list *l, enum diag_severity sev, const char *file,
              int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
size_t diag_count(const diag_list *l, enum diag_severity sev);
/* Formats d as "FILE:LINE:COL: error: message" into buf (cut to len). */
void diag_format(const diag *d, char *buf, size_t len);
/* Frees the items; l is empty and reusable afterwards. Accepts NULL. */
void diag_list_finish(diag_list *l);

#endif
