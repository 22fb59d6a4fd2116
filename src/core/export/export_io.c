/*
 * export_io: see export_io.h. The POSIX calls retry on EINTR so a signal
 * never fails an export; write also asks the kernel to start writing out
 * at once (a hint: the fsync still decides).
 *
 * openat resolves one name beneath a handle with openat2's RESOLVE_BENEATH
 * | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV, so neither a link nor another
 * mount on the stick can send the export elsewhere. Where the kernel (or a
 * sandbox) has no openat2, O_NOFOLLOW on the single name does the same for
 * links, and export.c compares each folder handle's device with the
 * stick's.
 */
#define _GNU_SOURCE   /* sync_file_range */
#include "export/export_io.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int
posix_open_root(void *ud, const char *path)
{
	(void)ud;
	int fd;
	do
		fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	return fd;
}

static int
one_name(const char *name)
{
	if (!name || !*name || strchr(name, '/') || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

static int
posix_mkdirat(void *ud, int dirfd, const char *name, mode_t mode)
{
	(void)ud;
	if (one_name(name) != 0)
		return -1;
	return mkdirat(dirfd, name, mode);
}

/* 0 until openat2 is found missing (ENOSYS): then O_NOFOLLOW alone. */
static atomic_int no_openat2;

static int
posix_openat(void *ud, int dirfd, const char *name, int flags, mode_t mode)
{
	(void)ud;
	if (one_name(name) != 0)
		return -1;
	flags |= O_CLOEXEC | O_NOFOLLOW;
	int fd = -1;
	if (!atomic_load(&no_openat2)) {
		struct open_how how = {
			.flags = (unsigned long long)flags,
			.mode = (flags & O_CREAT) ? mode : 0,
			.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV |
			           RESOLVE_NO_MAGICLINKS,
		};
		do
			fd = (int)syscall(SYS_openat2, dirfd, name, &how, sizeof how);
		while (fd < 0 && errno == EINTR);
		if (fd < 0 && (errno == ENOSYS || errno == EPERM))
			atomic_store(&no_openat2, 1);   /* a seccomp filter may say EPERM */
	}
	if (atomic_load(&no_openat2)) {
		do
			fd = openat(dirfd, name, flags, mode);
		while (fd < 0 && errno == EINTR);
	}
	/* O_DIRECTORY | O_NOFOLLOW on a link says ENOTDIR: say it is a link. */
	struct stat sb;
	if (fd < 0 && errno == ENOTDIR && fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISLNK(sb.st_mode))
		errno = ELOOP;
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
posix_renameat(void *ud, int dirfd, const char *from, const char *to)
{
	(void)ud;
	if (one_name(from) != 0 || one_name(to) != 0)
		return -1;
	/* RENAME_NOREPLACE would be kinder still, but vfat and exfat do not
	 * all have it; the final name was checked free just before. */
	return renameat(dirfd, from, dirfd, to);
}

static int
posix_fstatat(void *ud, int dirfd, const char *name, struct stat *st)
{
	(void)ud;
	if (!*name)
		return fstat(dirfd, st);
	if (one_name(name) != 0)
		return -1;
	return fstatat(dirfd, name, st, AT_SYMLINK_NOFOLLOW);
}

static int
posix_stat(void *ud, const char *path, struct stat *st)
{
	(void)ud;
	return stat(path, st);
}

static const export_io posix_io = {
	posix_open_root, posix_mkdirat, posix_openat, posix_write, posix_read, posix_fsync,
	posix_close, posix_renameat, posix_fstatat, posix_stat, NULL,
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
const char export_io_msg_link[] =
	"The USB stick holds a link (a shortcut) where Tellus writes its export, or another "
	"drive mounted inside it, so nothing was written: a link could send the answers off "
	"the stick. " KEPT " Remove the TELLUS folder's link from the stick, or use another "
	"stick, and try again.";
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
	{ ELOOP, export_io_msg_link }, { EXDEV, export_io_msg_link },
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
