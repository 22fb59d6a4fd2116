/*
 * export_stick: see export_stick.h. The stat goes through the export's I/O
 * seam (tests move the device under it); the mount table is the kernel's.
 */
#include "export/export_stick.h"
#include "export/export_io.h"
#include "export/mounts.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

int
export_stick_open(export_stick *s, const export_io *io, const char *dir, tl_error *err)
{
	*s = (export_stick){ .io = io, .dir = dir };
	struct stat sb;
	if (io->stat(io->ud, dir, &sb) != 0) {
		if (errno == ENOENT)
			return tl_err_sys(err, TL_E_IO, ENOENT,
			                  "The folder %s is not there. Is the USB stick plugged in?", dir);
		return export_io_fail(err, errno);
	}
	if (!S_ISDIR(sb.st_mode))
		return tl_err_sys(err, TL_E_INVALID, ENOTDIR, "%s is not a folder.", dir);
	s->dev = sb.st_dev;
	s->real = realpath(dir, NULL);
	s->was_mount = s->real && mounts_is_mount_point(NULL, s->real);
	return 0;
}

int
export_stick_check(const export_stick *s, tl_error *err)
{
	struct stat sb;
	if (s->io->stat(s->io->ud, s->dir, &sb) != 0 || sb.st_dev != s->dev ||
	    (s->was_mount && !mounts_is_mount_point(NULL, s->real)))
		return tl_err(err, TL_E_IO, "%s", export_io_msg_removed);
	return 0;
}

void
export_stick_finish(export_stick *s)
{
	free(s->real);
	s->real = NULL;
}
