/*
 * export_io: the real file-system calls behind the export's I/O seam
 * (export_io in export.h), and the plain words for what can go wrong on a
 * stick.
 *
 * Promises: every message a person may see about the stick is here, once,
 * each saying that nothing was lost and what to do; a failing call always
 * has an errno (a call that failed without one counts as EIO).
 */
#ifndef TELLUS_EXPORT_IO_H
#define TELLUS_EXPORT_IO_H

#include "base/error.h"
#include "export/export.h"

#define EXPORT_IO_KEPT "Nothing was lost: the answers are still on this kiosk."

/* The stick went away, or is not the device it was at the start. */
extern const char export_io_msg_removed[];
/* A file read back differs from what was written. */
extern const char export_io_msg_mismatch[];
/* A link, or another mount, where the export's folders go (ELOOP, EXDEV). */
extern const char export_io_msg_link[];
/* Anything else (also: out of memory, no free folder name). */
extern const char export_io_msg_other[];

/* errno after a failed call, EIO when the call did not set one. */
int export_io_errno(void);

/* Fills err with export_errno_message(e) (TL_E_NOMEM for ENOMEM, else
 * TL_E_IO with sys e); returns -1. */
int export_io_fail(tl_error *err, int e);

#endif
