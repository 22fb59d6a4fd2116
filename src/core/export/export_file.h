/*
 * export_file: one file of an export on its way to the stick: buffered a
 * megabyte at a time, hashed (SHA-256, base/sha256.h) as the bytes go out,
 * fsynced and closed, then read back through the seam and its hash
 * compared; and the SHA256SUMS that lists them.
 *
 * A file opened with export_file_open_sealed is encrypted to the office
 * key on its way out (keys/sealed.h): the buffer is sealed in records of
 * SEALED_CHUNK bytes, and the hash, the read-back and SHA256SUMS are of the
 * sealed bytes, the ones on the stick.
 *
 * Promises: the first failure of a file (its errno) is kept in err and
 * every later put is ignored, so writers need not check each call; it is
 * reported by export_file_finish. A put never fails by itself: a field
 * longer than the buffer grows it.
 */
#ifndef TELLUS_EXPORT_FILE_H
#define TELLUS_EXPORT_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "base/error.h"
#include "base/sha256.h"
#include "export/export.h"
#include "keys/sealed.h"

#define EXPORT_FILE_BUF (1u << 20)

typedef struct export_file {
	const export_io *io;
	const char *name;    /* the name on the stick: borrowed, or name_buf */
	char name_buf[200];   /* name.sealed: a drawing's name is long */
	int fd;              /* -1 when not open */
	char *buf;
	size_t len, cap;
	tl_sha256 sha;
	unsigned char digest[TL_SHA256_BYTES];   /* after finish */
	int err;             /* errno of the first failure, 0 while fine */
	bool sealed;         /* encrypted to an office key (seal, cipher) */
	sealer seal;
	unsigned char *cipher;
	size_t cipher_cap;
} export_file;

/* A closed file (fd -1), safe to abandon. */
void export_file_init(export_file *f);
/* Creates name beneath the folder handle dirfd (it must not exist, and is
 * never a link followed) for writing. 0, or -1 with err. */
int export_file_open(export_file *f, const export_io *io, int dirfd, const char *name,
                     tl_error *err);
/* The same for a file that holds answers: with an office key (not NULL) it
 * is written sealed as name.sealed; with NULL, plain as name. */
int export_file_open_sealed(export_file *f, const export_io *io, int dirfd, const char *name,
                            const office_key *office, tl_error *err);
/* Flush, fsync, close, digest: 0 when the bytes are on the stick, or -1
 * with the plain-words reason. The buffer is freed either way. */
int export_file_finish(export_file *f, tl_error *err);
/* Closes whatever is still open after a failure (errors no longer
 * matter) and frees the buffer. Safe on a closed or finished file. */
void export_file_abandon(export_file *f);
/* Reads f's name beneath dirfd back through the seam and compares its
 * SHA-256 with the digest written. 0, or -1 with err. */
int export_file_check(const export_file *f, int dirfd, tl_error *err);
/* fsyncs a folder by its handle (so a new name in it lasts). 0, or -1
 * with err. */
int export_file_fsync_dir(const export_io *io, int dirfd, tl_error *err);
/* SHA256SUMS's text for files[0..n): coreutils' format, 64 hex digits,
 * two spaces, the name, a newline. The files must be finished. Caller
 * frees with free(); NULL when memory ran out. */
char *export_file_sums_text(const export_file *files, size_t n);

/* The slow path of a put: flushes, or grows the buffer for one long
 * field. false (and f->err set) when it cannot. */
bool export_file_reserve_slow(export_file *f, size_t n);

/* Room for n more bytes at buf + len; false once the file has failed. */
static inline bool
export_file_reserve(export_file *f, size_t n)
{
	if (f->err)
		return false;
	return f->len + n <= f->cap || export_file_reserve_slow(f, n);
}

static inline void
export_file_put(export_file *f, const void *p, size_t n)
{
	if (!export_file_reserve(f, n))
		return;
	memcpy(f->buf + f->len, p, n);
	f->len += n;
}

static inline void
export_file_str(export_file *f, const char *s)
{
	export_file_put(f, s, strlen(s));
}

/* Decimal digits of v into tmp (at least 21 bytes); their length. Done by
 * hand: printf was a tenth of an export's time. */
size_t export_file_digits(char *tmp, long long v);

static inline void
export_file_int(export_file *f, long long v)
{
	char tmp[24];
	export_file_put(f, tmp, export_file_digits(tmp, v));
}

#endif
