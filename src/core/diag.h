/*
 * diag: a list of problems found in a file people wrote (a flow, a config),
 * each with the place it was found, printed as FILE:LINE:COL: message.
 * The core never prints; it fills a diag_list and the caller decides.
 */
#ifndef TELLUS_DIAG_H
#define TELLUS_DIAG_H

#include <stddef.h>

enum diag_severity { DIAG_ERROR = 0, DIAG_WARNING = 1 };

typedef struct diag {
	enum diag_severity severity;
	char *file;   /* owned */
	int line;     /* 1-based; 0 when the problem is about the whole file */
	int col;      /* 1-based; 0 when unknown */
	char *msg;    /* owned; says what is wrong and how to mend it */
} diag;

typedef struct diag_list {
	diag *items;
	size_t n, cap;
} diag_list;

/* A zeroed diag_list is empty and ready. */
void diag_add(diag_list *l, enum diag_severity sev, const char *file,
              int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
size_t diag_count(const diag_list *l, enum diag_severity sev);
/* Formats item i as "FILE:LINE:COL: error: message" into buf. */
void diag_format(const diag *d, char *buf, size_t len);
/* Frees the items; l is empty and reusable afterwards. Accepts NULL. */
void diag_list_finish(diag_list *l);

#endif
