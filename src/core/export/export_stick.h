/*
 * export_stick: the stick the export writes to, held by a handle, and is
 * it still the stick it was?
 *
 * The stick's folder is opened once (its handle, root_fd); everything the
 * export makes is beneath that handle, by single names, never following a
 * link (export.h's seam). A stick pulled out, or unmounted lazily (`umount
 * -l`), leaves its mount point behind as a plain folder on the kiosk's own
 * disk; writes through the handle cannot land there, and the checks say it
 * is gone: the handle's device (st_dev, from fstat on the handle) is noted
 * at the start, and whether the folder was a mount point (the kernel's
 * table, through mounts.h); before and after the rename the handle must
 * still be on that device, the folder's path must still lead to it, and
 * it must still be mounted if it was.
 */
#ifndef TELLUS_EXPORT_STICK_H
#define TELLUS_EXPORT_STICK_H

#include <stdbool.h>
#include <sys/types.h>

#include "base/error.h"
#include "export/export.h"

typedef struct export_stick {
	const export_io *io;
	const char *dir;     /* borrowed: the folder as given */
	int root_fd;         /* the handle everything is made beneath; -1 when closed */
	char *real;          /* its realpath, for the mount table */
	dev_t dev;
	bool was_mount;
} export_stick;

/* Opens dir's handle and notes its device and whether it is a mount
 * point. 0, or -1 with the plain-words reason (not there, not a folder,
 * the stick's errno). Finish it either way. */
int export_stick_open(export_stick *s, const export_io *io, const char *dir, tl_error *err);
/* Still the same device by the handle and by the path, and still mounted
 * if it was? 0, or -1 with the "removed" message. */
int export_stick_check(const export_stick *s, tl_error *err);
/* Is the folder handle fd on the stick's device (not another mount inside
 * it)? 0, or -1 with the "link" message (or the stick's errno). */
int export_stick_same_device(const export_stick *s, int fd, tl_error *err);
/* Closes the handle. Accepts one never opened (zeroed, or root_fd -1). */
void export_stick_finish(export_stick *s);

#endif
