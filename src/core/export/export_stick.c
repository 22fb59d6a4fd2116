/*
 * export_stick: see export_stick.h. The handle is opened, and both stats
 * made, through the export's I/O seam (tests fail them and move the device
 * under the path); the mount table is the kernel's.
 */
#include "export/export_stick.h"
#include "export/export_io.h"
#include "export/mounts.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int
export_stick_open(export_stick *s, const export_io *io, const char *dir, tl_error *err)
{
	*s = (export_stick){ .io = io, .dir = dir, .root_fd = -1 };
	struct stat sb;
	if (io->stat(io->ud, dir, &sb) != 0) {
		if (errno == ENOENT)
			return tl_err_sys(err, TL_E_IO, ENOENT,
			                  "The folder %s is not there. Is the USB stick plugged in?", dir);
		return export_io_fail(err, errno);
	}
	if (!S_ISDIR(sb.st_mode))
		return tl_err_sys(err, TL_E_INVALID, ENOTDIR, "%s is not a folder.", dir);
	s->root_fd = io->open_root(io->ud, dir);
	if (s->root_fd < 0)
		return export_io_fail(err, errno);
	struct stat hb;
	if (io->fstatat(io->ud, s->root_fd, "", &hb) != 0)
		return export_io_fail(err, errno);
	/* The path and the handle agree, or the folder changed in between. */
	if (hb.st_dev != sb.st_dev || hb.st_ino != sb.st_ino)
		return tl_err(err, TL_E_IO, "%s", export_io_msg_removed);
	s->dev = hb.st_dev;
	s->real = realpath(dir, NULL);
	s->was_mount = s->real && mounts_is_mount_point(NULL, s->real);
	return 0;
}

int
export_stick_check(const export_stick *s, tl_error *err)
{
	struct stat hb, sb;
	if (s->io->fstatat(s->io->ud, s->root_fd, "", &hb) != 0 || hb.st_dev != s->dev ||
	    s->io->stat(s->io->ud, s->dir, &sb) != 0 || sb.st_dev != s->dev ||
	    (s->was_mount && !mounts_is_mount_point(NULL, s->real)))
		return tl_err(err, TL_E_IO, "%s", export_io_msg_removed);
	return 0;
}

int
export_stick_same_device(const export_stick *s, int fd, tl_error *err)
{
	struct stat sb;
	if (s->io->fstatat(s->io->ud, fd, "", &sb) != 0)
		return export_io_fail(err, errno);
	if (sb.st_dev != s->dev)
		return export_io_fail(err, EXDEV);
	if (!S_ISDIR(sb.st_mode))
		return export_io_fail(err, ENOTDIR);
	return 0;
}

void
export_stick_finish(export_stick *s)
{
	/* Plain close: a folder handle holds no data (see export.c). */
	if (s->root_fd >= 0 && s->io)
		close(s->root_fd);
	s->root_fd = -1;
	free(s->real);
	s->real = NULL;
}
