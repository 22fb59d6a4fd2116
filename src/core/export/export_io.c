/*
 * export_io: see export_io.h. The POSIX calls retry on EINTR so a signal
 * never fails an export; write also asks the kernel to start writing out
 * at once (a hint: the fsync still decides).
 */
#define _GNU_SOURCE   /* sync_file_range */
#include "export/export_io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static int
posix_mkdir(void *ud, const char *path, mode_t mode)
{
	(void)ud;
	return mkdir(path, mode);
}

static int
posix_open(void *ud, const char *path, int flags, mode_t mode)
{
	(void)ud;
	int fd;
	do
		fd = open(path, flags | O_CLOEXEC, mode);
	while (fd < 0 && errno == EINTR);
	return fd;
}

static ssize_t
posix_write(void *ud, int fd, const void *buf, size_t len)
{
	(void)ud;
	ssize_t n;
	do
		n = write(fd, buf, len);
	while (n < 0 && errno == EINTR);
	/* Start writing this out now, while the next megabyte is made, so the
	 * fsync at the end has little left to wait for. Only a hint: the fsync
	 * is still what says the bytes are there. */
	if (n > 0) {
		int e = errno;
		(void)sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
		errno = e;
	}
	return n;
}

static ssize_t
posix_read(void *ud, int fd, void *buf, size_t len)
{
	(void)ud;
	ssize_t n;
	do
		n = read(fd, buf, len);
	while (n < 0 && errno == EINTR);
	return n;
}

static int
posix_fsync(void *ud, int fd)
{
	(void)ud;
	return fsync(fd);
}

static int
posix_close(void *ud, int fd)
{
	(void)ud;
	return close(fd);
}

static int
posix_rename(void *ud, const char *from, const char *to)
{
	(void)ud;
	return rename(from, to);
}

static int
posix_stat(void *ud, const char *path, struct stat *st)
{
	(void)ud;
	return stat(path, st);
}

static const export_io posix_io = {
	posix_mkdir, posix_open, posix_write, posix_read, posix_fsync,
	posix_close, posix_rename, posix_stat, NULL,
};

const export_io *
export_io_posix(void)
{
	return &posix_io;
}

/* ---- plain words --------------------------------------------------------- */

#define KEPT EXPORT_IO_KEPT

static const char msg_full[] =
	"The USB stick is full. " KEPT " Use a stick with more space and try again.";
static const char msg_read_only[] =
	"The USB stick is read-only or locked, so nothing could be written to it. " KEPT
	" Unlock the stick (some have a small switch) or use another one, and try again.";
const char export_io_msg_removed[] =
	"The USB stick was removed, or stopped working, before the export was finished. "
	KEPT " Put the stick back in (or use another one) and try again.";
const char export_io_msg_mismatch[] =
	"The USB stick gave back something different from what was written, so it may "
	"be failing. " KEPT " Try again with another stick.";
const char export_io_msg_other[] =
	"The export could not be written to the USB stick. " KEPT
	" Try again, or try another stick.";

/* What each errno means on a stick; any other is export_io_msg_other. */
static const struct {
	int e;
	const char *msg;
} errno_words[] = {
	{ ENOSPC, msg_full }, { EDQUOT, msg_full }, { EFBIG, msg_full },
	{ EROFS, msg_read_only }, { EACCES, msg_read_only }, { EPERM, msg_read_only },
	{ ENOTCONN, export_io_msg_removed }, { EIO, export_io_msg_removed },
	{ ENODEV, export_io_msg_removed }, { ENXIO, export_io_msg_removed },
	{ ESTALE, export_io_msg_removed }, { ENOENT, export_io_msg_removed },
	{ ENOTDIR, export_io_msg_removed }, { ESHUTDOWN, export_io_msg_removed },
};

const char *
export_errno_message(int e)
{
	for (size_t i = 0; i < sizeof errno_words / sizeof errno_words[0]; i++)
		if (errno_words[i].e == e)
			return errno_words[i].msg;
	return export_io_msg_other;
}

int
export_io_errno(void)
{
	return errno ? errno : EIO;
}

int
export_io_fail(tl_error *err, int e)
{
	if (e == ENOMEM)
		return tl_err_sys(err, TL_E_NOMEM, e, "%s", export_errno_message(e));
	return tl_err_sys(err, TL_E_IO, e, "%s", export_errno_message(e));
}
