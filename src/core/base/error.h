/*
 * error: the one way a fallible core function says what went wrong.
 *
 * Convention, for every fallible function in src/core:
 * - it takes a caller-owned `tl_error *err` as its last parameter (NULL when
 *   the caller does not want the detail);
 * - it returns 0 on success, or -1 having filled *err (code, words and, for
 *   problems in a file people wrote, the file, line and column);
 * - it never prints and never exits: src/main.c alone turns a tl_error into
 *   words on stderr and an exit code.
 *
 * The storage is fixed: filling an error never allocates, so the message
 * for "out of memory" can still be made once memory has run out (Lua keeps
 * its memory-error message preallocated for the same reason). A message
 * longer than the buffer is cut short, never lost.
 *
 * diag.h keeps a list of these for the problems a parser or a check finds
 * (each with a severity); a function returning one error uses the type alone.
 */
#ifndef TELLUS_ERROR_H
#define TELLUS_ERROR_H

#include <stddef.h>

/* What kind of failure. main.c maps these to exit codes (tl_code_exit). */
enum tl_code {
	TL_OK = 0,
	TL_E_NOMEM,      /* memory ran out */
	TL_E_IO,         /* reading or writing a file or a device failed (sys: errno) */
	TL_E_INVALID,    /* what a person wrote is wrong: a flow, settings, a PIN, an argument */
	TL_E_FORMAT,     /* a file is not what it should be: not Tellus's, tampered, truncated */
	TL_E_DB,         /* SQLite failed (sys: its result code) */
	TL_E_BUSY,       /* something else holds it now; trying again later may work */
	TL_E_REFUSED,    /* asked to do something that must not be done (a newer database,
	                    an export that does not verify, a PIN locked out) */
	TL_E_USAGE,      /* a command was called the wrong way */
	TL_E_COUNT
};

enum diag_severity { DIAG_ERROR = 0, DIAG_WARNING = 1 };

typedef struct tl_error {
	enum tl_code code;
	enum diag_severity severity;  /* DIAG_ERROR, except for warnings in a diag_list */
	int sys;         /* the errno or SQLite result code behind it; 0 when none */
	int line;        /* 1-based; 0 when the problem is not at one place */
	int col;         /* 1-based; 0 when unknown */
	char file[1024]; /* "" when not about a file */
	char msg[1024];  /* plain words: what is wrong and, where we know, how to mend it */
} tl_error;

/* Fill *err (when err is not NULL) and return -1, so a failing path reads
 * `return tl_err(err, TL_E_IO, "...")`. fmt is printf's. */
int tl_err(tl_error *err, enum tl_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same, with the errno or SQLite code behind it. */
int tl_err_sys(tl_error *err, enum tl_code code, int sys, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The same, at a place in a file (line and col 1-based, 0 unknown). */
int tl_err_at(tl_error *err, enum tl_code code, const char *file, int line, int col,
              const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* "out of memory": never allocates. Returns -1. */
int tl_err_nomem(tl_error *err);
/* Copies src into dst (either may be NULL); returns -1. For passing an
 * inner function's error up unchanged. */
int tl_err_copy(tl_error *dst, const tl_error *src);
/* Puts "what: " in front of the message (cut short if it must). Returns -1. */
int tl_err_prefix(tl_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Empties *err (code TL_OK, no words). Accepts NULL. */
void tl_err_clear(tl_error *err);

/* A short name for a code ("io", "invalid"...), for logs and tests. */
const char *tl_code_name(enum tl_code code);

#endif
