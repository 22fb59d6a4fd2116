/*
 * export_stick: is the folder we write to still the stick it was?
 *
 * A stick pulled out, or unmounted lazily (`umount -l`), leaves its mount
 * point behind as a plain folder on the kiosk's own disk, and later writes
 * land there looking fine. So the target's device (st_dev) is noted at the
 * start, and whether it was a mount point (the kernel's table, through
 * mounts.h); the export checks both again before and after its rename.
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
	char *real;          /* its realpath, for the mount table */
	dev_t dev;
	bool was_mount;
} export_stick;

/* Notes dir's device and whether it is a mount point. 0, or -1 with the
 * plain-words reason (not there, not a folder, the stick's errno). Finish
 * it either way. */
int export_stick_open(export_stick *s, const export_io *io, const char *dir, tl_error *err);
/* Still the same device, and still mounted if it was? 0, or -1 with the
 * "removed" message. */
int export_stick_check(const export_stick *s, tl_error *err);
void export_stick_finish(export_stick *s);   /* accepts one never opened (zeroed) */

#endif
