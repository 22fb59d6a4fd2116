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
#include <stdio.h>
#include <stdlib.h>

void
export_file_init(export_file *f)
{
	memset(f, 0, sizeof *f);
	f->fd = -1;
}

/* Writes p[0..len) through the seam, hashing what it accepted. */
static void
write_out(export_file *f, const void *p, size_t len)
{
	const char *b = p;
	size_t off = 0;
	while (!f->err && off < len) {
		ssize_t n = f->io->write(f->io->ud, f->fd, b + off, len - off);
		if (n < 0)
			f->err = export_io_errno();
		else if (n == 0)
			f->err = EIO;   /* a write that makes no progress never will */
		else {
			tl_sha256_update(&f->sha, b + off, (size_t)n);
			off += (size_t)n;
		}
	}
}

/* A sealed file: every whole SEALED_CHUNK of the buffer as one record
 * (and, when final, what is left as the last), written in one go; the
 * rest stays at the buffer's start for the next flush. */
static void
flush_sealed(export_file *f, bool final)
{
	size_t whole = f->len / SEALED_CHUNK;
	size_t rest = f->len - whole * SEALED_CHUNK;
	size_t records = whole + (final ? 1 : 0);
	size_t need = records * (SEALED_CHUNK + SEALED_ABYTES);
	if (records == 0)
		return;
	if (need > f->cipher_cap) {
		unsigned char *c = realloc(f->cipher, need);
		if (!c) {
			f->err = ENOMEM;
			return;
		}
		f->cipher = c;
		f->cipher_cap = need;
	}
	unsigned char *in = (unsigned char *)f->buf, *out = f->cipher;
	for (size_t i = 0; i < whole; i++) {
		bool last = final && rest == 0 && i + 1 == whole;
		sealer_push(&f->seal, in, SEALED_CHUNK, last, out);
		in += SEALED_CHUNK;
		out += SEALED_CHUNK + SEALED_ABYTES;
	}
	/* when the file ends on a whole chunk, that chunk was the final record */
	if (final && (rest > 0 || whole == 0)) {
		sealer_push(&f->seal, in, rest, true, out);
		out += rest + SEALED_ABYTES;
	}
	write_out(f, f->cipher, (size_t)(out - f->cipher));
	if (!final)
		memmove(f->buf, in, rest);
	f->len = final ? 0 : rest;
}

static void
flush(export_file *f, bool final)
{
	if (f->err)
		return;
	if (f->sealed) {
		flush_sealed(f, final);
		return;
	}
	write_out(f, f->buf, f->len);
	f->len = 0;
}

bool
export_file_reserve_slow(export_file *f, size_t n)
{
	flush(f, false);
	if (f->err)
		return false;
	/* a sealed file keeps less than a record in the buffer after a flush */
	if (f->len + n <= f->cap)
		return true;
	n += f->len;
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
	return export_file_open_sealed(f, io, dirfd, name, NULL, err);
}

int
export_file_open_sealed(export_file *f, const export_io *io, int dirfd, const char *name,
                        const office_key *office, tl_error *err)
{
	export_file_init(f);
	f->io = io;
	f->name = name;
	unsigned char header[SEALED_HEADER];
	if (office) {
		if (sealer_begin(&f->seal, office, header, err) != 0)
			return -1;
		f->sealed = true;
		snprintf(f->name_buf, sizeof f->name_buf, "%s" SEALED_SUFFIX, name);
		f->name = f->name_buf;
	}
	tl_sha256_init(&f->sha);
	f->buf = malloc(EXPORT_FILE_BUF);
	f->cap = EXPORT_FILE_BUF;
	if (!f->buf)
		return export_io_fail(err, ENOMEM);
	f->fd = io->openat(io->ud, dirfd, f->name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644);
	if (f->fd < 0)
		return export_io_fail(err, errno);
	/* a sealed file's header goes out first, hashed like any byte */
	if (office) {
		write_out(f, header, sizeof header);
		if (f->err)
			return export_io_fail(err, f->err);
	}
	return 0;
}

int
export_file_finish(export_file *f, tl_error *err)
{
	flush(f, true);
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
	free(f->cipher);
	f->cipher = NULL;
	sealer_wipe(&f->seal);
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
	free(f->cipher);
	f->cipher = NULL;
	sealer_wipe(&f->seal);
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

char *
export_file_sums_text(const export_file *files, size_t n)
{
	size_t cap = 1;
	for (size_t i = 0; i < n; i++)
		cap += TL_SHA256_HEX + 3 + strlen(files[i].name);
	char *out = malloc(cap), *p = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		tl_hex(files[i].digest, TL_SHA256_BYTES, p, TL_SHA256_HEX);
		p += TL_SHA256_HEX - 1;
		p += sprintf(p, "  %s\n", files[i].name);
	}
	*p = '\0';
	return out;
}
