/*
 * export_file: see export_file.h. Every call goes through the export's I/O
 * seam, so the tests can fail each one in turn; the bytes hashed are the
 * bytes the seam accepted, and the read-back asks for the stick's copy,
 * not the page cache's.
 */
#include "export/export_file.h"
#include "export/export_io.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>

void
export_file_init(export_file *f)
{
	memset(f, 0, sizeof *f);
	f->fd = -1;
}

static void
flush(export_file *f)
{
	size_t off = 0;
	while (!f->err && off < f->len) {
		ssize_t n = f->io->write(f->io->ud, f->fd, f->buf + off, f->len - off);
		if (n < 0)
			f->err = export_io_errno();
		else if (n == 0)
			f->err = EIO;   /* a write that makes no progress never will */
		else {
			tl_sha256_update(&f->sha, f->buf + off, (size_t)n);
			off += (size_t)n;
		}
	}
	f->len = 0;
}

bool
export_file_reserve_slow(export_file *f, size_t n)
{
	flush(f);
	if (f->err)
		return false;
	if (n <= f->cap)
		return true;
	char *p = realloc(f->buf, n);
	if (!p) {
		f->err = ENOMEM;
		return false;
	}
	f->buf = p;
	f->cap = n;
	return true;
}

size_t
export_file_digits(char *tmp, long long v)
{
	char rev[24];
	size_t n = 0, k = 0;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do
		rev[n++] = (char)('0' + u % 10);
	while ((u /= 10) > 0);
	if (v < 0)
		tmp[k++] = '-';
	while (n > 0)
		tmp[k++] = rev[--n];
	return k;
}

int
export_file_open(export_file *f, const export_io *io, int dirfd, const char *name,
                 tl_error *err)
{
	export_file_init(f);
	f->io = io;
	f->name = name;
	tl_sha256_init(&f->sha);
	f->buf = malloc(EXPORT_FILE_BUF);
	f->cap = EXPORT_FILE_BUF;
	if (!f->buf)
		return export_io_fail(err, ENOMEM);
	f->fd = io->openat(io->ud, dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644);
	if (f->fd < 0)
		return export_io_fail(err, errno);
	return 0;
}

int
export_file_finish(export_file *f, tl_error *err)
{
	flush(f);
	if (!f->err && f->io->fsync(f->io->ud, f->fd) != 0)
		f->err = export_io_errno();
	int fd = f->fd;
	f->fd = -1;
	if (f->io->close(f->io->ud, fd) != 0 && !f->err)
		f->err = export_io_errno();
	if (tl_sha256_final(&f->sha, f->digest) != 0 && !f->err)
		f->err = ENOMEM;
	free(f->buf);
	f->buf = NULL;
	return f->err ? export_io_fail(err, f->err) : 0;
}

void
export_file_abandon(export_file *f)
{
	if (f->fd >= 0 && f->io)
		f->io->close(f->io->ud, f->fd);
	f->fd = -1;
	free(f->buf);
	f->buf = NULL;
	tl_sha256_finish(&f->sha);
}

int
export_file_check(const export_file *f, int dirfd, tl_error *err)
{
	const export_io *io = f->io;
	unsigned char *buf = malloc(EXPORT_FILE_BUF);
	if (!buf)
		return export_io_fail(err, ENOMEM);
	int fd = io->openat(io->ud, dirfd, f->name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK, 0);
	if (fd < 0) {
		free(buf);
		return export_io_fail(err, errno);
	}
	/* Ask for the stick's bytes, not the page cache's copy of what we
	 * wrote (best effort: a seam's fd may not be a real one). */
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	tl_sha256 sha;
	tl_sha256_init(&sha);
	int e = 0;
	for (;;) {
		ssize_t n = io->read(io->ud, fd, buf, EXPORT_FILE_BUF);
		if (n < 0) {
			e = export_io_errno();
			break;
		}
		if (n == 0)
			break;
		tl_sha256_update(&sha, buf, (size_t)n);
	}
	free(buf);
	if (io->close(io->ud, fd) != 0 && !e)
		e = export_io_errno();
	if (e) {
		tl_sha256_finish(&sha);
		return export_io_fail(err, e);
	}
	unsigned char d[TL_SHA256_BYTES];
	if (tl_sha256_final(&sha, d) != 0)
		return export_io_fail(err, ENOMEM);
	if (sodium_memcmp(d, f->digest, TL_SHA256_BYTES) != 0)
		return tl_err(err, TL_E_IO, "%s", export_io_msg_mismatch);
	return 0;
}

int
export_file_fsync_dir(const export_io *io, int dirfd, tl_error *err)
{
	return io->fsync(io->ud, dirfd) != 0 ? export_io_fail(err, export_io_errno()) : 0;
}

void
export_file_sums(export_file *sums, const export_file *files, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char h[TL_SHA256_HEX];
		tl_hex(files[i].digest, TL_SHA256_BYTES, h, sizeof h);
		export_file_put(sums, h, TL_SHA256_HEX - 1);
		export_file_put(sums, "  ", 2);
		export_file_str(sums, files[i].name);
		export_file_put(sums, "\n", 1);
	}
}
