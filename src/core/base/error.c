/*
 * error: filling a tl_error. Nothing here allocates, prints or exits.
 */
#include "base/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

__attribute__((format(printf, 7, 0))) static void
fill(tl_error *err, enum tl_code code, int sys, const char *file, int line, int col,
     const char *fmt, va_list ap)
{
	err->code = code;
	err->severity = DIAG_ERROR;
	err->sys = sys;
	err->line = line;
	err->col = col;
	snprintf(err->file, sizeof err->file, "%s", file ? file : "");
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
}

int
tl_err(tl_error *err, enum tl_code code, const char *fmt, ...)
{
	if (!err)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	fill(err, code, 0, NULL, 0, 0, fmt, ap);
	va_end(ap);
	return -1;
}

int
tl_err_sys(tl_error *err, enum tl_code code, int sys, const char *fmt, ...)
{
	if (!err)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	fill(err, code, sys, NULL, 0, 0, fmt, ap);
	va_end(ap);
	return -1;
}

int
tl_err_at(tl_error *err, enum tl_code code, const char *file, int line, int col,
          const char *fmt, ...)
{
	if (!err)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	fill(err, code, 0, file, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

int
tl_err_nomem(tl_error *err)
{
	return tl_err(err, TL_E_NOMEM, "out of memory");
}

int
tl_err_copy(tl_error *dst, const tl_error *src)
{
	if (dst && src && dst != src)
		memcpy(dst, src, sizeof *dst);
	return -1;
}

int
tl_err_prefix(tl_error *err, const char *fmt, ...)
{
	if (!err)
		return -1;
	char head[sizeof err->msg];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(head, sizeof head, fmt, ap);
	va_end(ap);
	size_t h = strlen(head), m = strlen(err->msg);
	if (h >= sizeof err->msg - 1)
		h = sizeof err->msg - 1;
	if (h + m >= sizeof err->msg)
		m = sizeof err->msg - 1 - h;
	memmove(err->msg + h, err->msg, m);
	memcpy(err->msg, head, h);
	err->msg[h + m] = '\0';
	return -1;
}

void
tl_err_clear(tl_error *err)
{
	if (!err)
		return;
	err->code = TL_OK;
	err->severity = DIAG_ERROR;
	err->sys = err->line = err->col = 0;
	err->file[0] = err->msg[0] = '\0';
}

const char *
tl_code_name(enum tl_code code)
{
	static const char *const names[TL_E_COUNT] = {
		[TL_OK] = "ok",
		[TL_E_NOMEM] = "nomem",
		[TL_E_IO] = "io",
		[TL_E_INVALID] = "invalid",
		[TL_E_FORMAT] = "format",
		[TL_E_DB] = "db",
		[TL_E_BUSY] = "busy",
		[TL_E_REFUSED] = "refused",
		[TL_E_USAGE] = "usage",
	};
	return (unsigned)code < TL_E_COUNT && names[code] ? names[code] : "unknown";
}
