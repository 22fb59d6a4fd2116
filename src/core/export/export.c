/*
 * export: one verified export of a kiosk's sessions into a folder.
 *
 * Promises (see export.h and docs/export.md):
 * - Everything lands in TELLUS/<kiosk>/.<stamp>.partial/ first; every file
 *   and the folder are fsynced and every file is read back through the I/O
 *   seam and its SHA-256 compared with what was written. Only then is the
 *   folder renamed to TELLUS/<kiosk>/<stamp>/ and the parent fsynced, and
 *   only after that are the sessions marked exported, in one transaction,
 *   exactly those written (their ids are fixed in a temp table up front).
 * - A failure at any step leaves the database as it was and removes the
 *   partial folder if it can; a folder without the partial name is never an
 *   incomplete export (after a late failure the rename is undone).
 * - The target must be the same device (st_dev), and still mounted if it
 *   was a mount point, at the start, before the rename and after it: a
 *   stick pulled with `umount -l` leaves later writes on the root disk.
 * - Rows stream: one pass over the sessions with their answers (ordered by
 *   the (session_id, seq) index), writing sessions.csv, answers.csv and
 *   export.json together; only one session's answers are held at a time.
 *   The same pass counts each person's latest answers for report.html
 *   (report_tally), so the report does not sort every answer again.
 * - Every byte is hashed as it goes out and again when read back, with
 *   OpenSSL's SHA-256 (base/sha256.h).
 */
#define _GNU_SOURCE   /* sync_file_range */
#include "export/export.h"
#include "export/mounts.h"
#include "base/sha256.h"
#include "base/utf8.h"
#include "report/report.h"
#include "store/store.h"
#include "base/util.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>
#include <sqlite3.h>

const char *const export_file_names[EXPORT_N_FILES] = {
	"sessions.csv", "answers.csv", "export.json", "report.html",
};

/* ---- the real I/O -------------------------------------------------------- */

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

#define KEPT "Nothing was lost: the answers are still on this kiosk."

static const char msg_full[] =
	"The USB stick is full. " KEPT " Use a stick with more space and try again.";
static const char msg_read_only[] =
	"The USB stick is read-only or locked, so nothing could be written to it. " KEPT
	" Unlock the stick (some have a small switch) or use another one, and try again.";
static const char msg_removed[] =
	"The USB stick was removed, or stopped working, before the export was finished. "
	KEPT " Put the stick back in (or use another one) and try again.";
static const char msg_mismatch[] =
	"The USB stick gave back something different from what was written, so it may "
	"be failing. " KEPT " Try again with another stick.";
static const char msg_other[] =
	"The export could not be written to the USB stick. " KEPT
	" Try again, or try another stick.";

const char *
export_errno_message(int e)
{
	switch (e) {
	case ENOSPC: case EDQUOT: case EFBIG:
		return msg_full;
	case EROFS: case EACCES: case EPERM:
		return msg_read_only;
	case ENOTCONN: case EIO: case ENODEV: case ENXIO: case ESTALE:
	case ENOENT: case ENOTDIR: case ESHUTDOWN:
		return msg_removed;
	default:
		return msg_other;
	}
}

/* ---- an output file: buffered, hashed as it goes out ------------------- */

#define OBUF_SIZE (1u << 20)

typedef struct ofile {
	const export_io *io;
	const char *name;
	int fd;
	char *buf;
	size_t len, cap;
	tl_sha256 sha;
	unsigned char digest[32];
	int err;             /* errno of the first failure, 0 while fine */
} ofile;

static void
of_flush(ofile *f)
{
	size_t off = 0;
	while (!f->err && off < f->len) {
		ssize_t n = f->io->write(f->io->ud, f->fd, f->buf + off, f->len - off);
		if (n < 0)
			f->err = errno ? errno : EIO;
		else if (n == 0)
			f->err = EIO;   /* a write that makes no progress never will */
		else {
			tl_sha256_update(&f->sha, f->buf + off, (size_t)n);
			off += (size_t)n;
		}
	}
	f->len = 0;
}

/* Room for n more bytes at buf + len (n may exceed the buffer: it grows). */
static bool
of_reserve(ofile *f, size_t n)
{
	if (f->len + n <= f->cap)
		return true;
	of_flush(f);
	if (n <= f->cap)
		return true;
	char *p = realloc(f->buf, n);
	if (!p) {
		if (!f->err)
			f->err = ENOMEM;
		return false;
	}
	f->buf = p;
	f->cap = n;
	return true;
}

static inline void
of_put(ofile *f, const void *p, size_t n)
{
	if (f->err || !of_reserve(f, n))
		return;
	memcpy(f->buf + f->len, p, n);
	f->len += n;
}

static inline void
of_str(ofile *f, const char *s)
{
	of_put(f, s, strlen(s));
}

static void
of_fmt(ofile *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
of_fmt(ofile *f, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n > 0)
		of_put(f, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* Decimal digits of v into tmp (at least 21 bytes); their length. Done by
 * hand: printf was a tenth of an export's time. */
static size_t
fmt_int(char *tmp, long long v)
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

static void
of_int(ofile *f, long long v)
{
	char tmp[24];
	of_put(f, tmp, fmt_int(tmp, v));
}

/* ---- CSV (RFC 4180; libcsv quotes the fields that need it) -------------- */

static void
csv_field(ofile *f, const char *s, size_t len, bool first)
{
	if (!first)
		of_put(f, ",", 1);
	bool quote = len > 0 && (s[0] == ' ' || s[len - 1] == ' ');
	for (size_t i = 0; i < len && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
	if (!quote) {
		of_put(f, s, len);
		return;
	}
	size_t need = 2 * len + 2;
	if (f->err || !of_reserve(f, need))
		return;
	f->len += csv_write(f->buf + f->len, f->cap - f->len, s, len);
}

static void
csv_str(ofile *f, const char *s, bool first)
{
	csv_field(f, s ? s : "", s ? strlen(s) : 0, first);
}

static void
csv_int(ofile *f, long long v)
{
	char tmp[32];
	csv_field(f, tmp, fmt_int(tmp, v), false);
}

static void
csv_end(ofile *f)
{
	of_put(f, "\r\n", 2);
}

/* ---- JSON strings --------------------------------------------------------- */

/* A JSON string; bytes that are not UTF-8 become U+FFFD rather than
 * making a file that parsers refuse. */
static void
json_strn(ofile *f, const char *s, size_t len)
{
	of_put(f, "\"", 1);
	const unsigned char *p = (const unsigned char *)s, *run = p, *end = p + len;
	while (p < end) {
		if (*p >= 0x20 && *p != '"' && *p != '\\' && *p < 0x80) {
			p++;
			continue;
		}
		if (*p >= 0x80) {
			size_t n = tl_utf8_seq(p, (size_t)(end - p));
			if (n) {
				p += n;
				continue;
			}
		}
		of_put(f, run, (size_t)(p - run));
		char esc[8];
		if (*p == '"')
			of_put(f, "\\\"", 2);
		else if (*p == '\\')
			of_put(f, "\\\\", 2);
		else if (*p == '\n')
			of_put(f, "\\n", 2);
		else if (*p == '\r')
			of_put(f, "\\r", 2);
		else if (*p == '\t')
			of_put(f, "\\t", 2);
		else if (*p < 0x20) {
			snprintf(esc, sizeof esc, "\\u%04x", *p);
			of_put(f, esc, 6);
		} else
			of_put(f, "\\ufffd", 6);
		p++;
		run = p;
	}
	of_put(f, run, (size_t)(p - run));
	of_put(f, "\"", 1);
}

static void
json_str(ofile *f, const char *s)
{
	if (!s)
		of_put(f, "null", 4);
	else
		json_strn(f, s, strlen(s));
}

static void
json_key(ofile *f, const char *key, bool first)
{
	if (!first)
		of_put(f, ",", 1);
	of_put(f, "\"", 1);
	of_str(f, key);
	of_put(f, "\":", 2);
}

/* ---- one session's rows, held while its answers are read ---------------- */

#define NOSTR ((size_t)-1)

enum { SS_ID, SS_KIOSK, SS_FLOW, SS_HASH, SS_STARTED, SS_ENDED, SS_STATUS,
       SS_LANG, SS_PRES, SS_EVENT, SS_N };
enum { AS_QID, AS_QTEXT, AS_KIND, AS_IDS, AS_LABELS, AS_GIVEN, AS_METHOD, AS_N };

typedef struct arow {
	size_t s[AS_N];
	int seq, qindex;
	long long taken;
	bool latest;
} arow;

typedef struct sess {
	char *arena;
	size_t alen, acap;
	size_t s[SS_N];
	int flow_version;
	arow *rows;
	size_t n, cap;
} sess;

static size_t
arena_add(sess *x, const unsigned char *t, int len)
{
	if (!t)
		return NOSTR;
	size_t need = x->alen + (size_t)len + 1;
	if (need > x->acap) {
		size_t c = x->acap ? x->acap : 4096;
		while (c < need)
			c *= 2;
		char *p = realloc(x->arena, c);
		if (!p)
			return NOSTR - 1;
		x->arena = p;
		x->acap = c;
	}
	size_t off = x->alen;
	memcpy(x->arena + off, t, (size_t)len);
	x->arena[off + (size_t)len] = '\0';
	x->alen = need;
	return off;
}

static const char *
S(const sess *x, size_t off)
{
	return off == NOSTR ? NULL : x->arena + off;
}

/* ---- the export ----------------------------------------------------------- */

typedef struct ex {
	const export_options *opt;
	const export_io *io;
	store *st;
	sqlite3 *db;
	char *err;
	size_t errlen;
	bool failed;

	char kiosk[64];
	char exported_at[32];
	char *real_to;       /* realpath of to_dir, for the mount check */
	dev_t dev;
	bool was_mount;
	char *base;          /* to_dir/TELLUS/<kiosk> */
	char *partial;
	char *final;
	bool renamed;

	report_tally *tally; /* the report's counts, gathered in the one pass */
	ofile files[EXPORT_N_FILES + 1];
	int64_t n_sessions, n_answers, total_sessions;
	sess cur;
} ex;

static void
fail(ex *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
fail(ex *x, const char *fmt, ...)
{
	if (x->failed)
		return;   /* the first reason is the one that matters */
	x->failed = true;
	if (!x->err || x->errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(x->err, x->errlen, fmt, ap);
	va_end(ap);
}

static void
fail_errno(ex *x, int e)
{
	fail(x, "%s", export_errno_message(e));
}

static void
progress(ex *x, double frac, const char *stage)
{
	if (x->opt->progress.fn)
		x->opt->progress.fn(x->opt->progress.ud, frac, stage);
}

/* Still the same stick? Fails with the "removed" message when not. */
static bool
same_device(ex *x)
{
	struct stat sb;
	if (x->io->stat(x->io->ud, x->opt->to_dir, &sb) != 0 || sb.st_dev != x->dev ||
	    (x->was_mount && !mounts_is_mount_point(NULL, x->real_to))) {
		fail(x, "%s", msg_removed);
		return false;
	}
	return true;
}

static int
run_sql(ex *x, const char *sql)
{
	int rc = sqlite3_exec(x->db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		fail(x, "could not read the answers database: %s", sqlite3_errmsg(x->db));
	return rc;
}

static int64_t
count(ex *x, const char *sql)
{
	sqlite3_stmt *s = NULL;
	int64_t n = -1;
	if (sqlite3_prepare_v2(x->db, sql, -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	else
		fail(x, "could not read the answers database: %s", sqlite3_errmsg(x->db));
	sqlite3_finalize(s);
	return n;
}

/* Fixes the set of sessions this export carries, in the order written. */
static int
choose_sessions(ex *x)
{
	if (run_sql(x, "DROP TABLE IF EXISTS temp.export_ids") != SQLITE_OK ||
	    run_sql(x, "CREATE TEMP TABLE export_ids(n INTEGER PRIMARY KEY,"
	               " id TEXT NOT NULL UNIQUE)") != SQLITE_OK)
		return -1;
	const char *sql = x->opt->all
	        ? "INSERT INTO temp.export_ids(id) SELECT id FROM main.sessions"
	          " WHERE status != 'in_progress' ORDER BY started_at, id"
	        : "INSERT INTO temp.export_ids(id) SELECT id FROM main.sessions"
	          " WHERE exported_at IS NULL AND status != 'in_progress'"
	          " ORDER BY started_at, id";
	if (run_sql(x, sql) != SQLITE_OK)
		return -1;
	x->total_sessions = count(x, "SELECT count(*) FROM temp.export_ids");
	return x->total_sessions < 0 ? -1 : 0;
}

static void
kiosk_slug(const char *id, char out[64])
{
	size_t n = 0;
	for (const char *c = id; *c && n < 63; c++) {
		bool ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		          (*c >= '0' && *c <= '9') || *c == '-' || *c == '_';
		out[n++] = ok ? *c : '-';
	}
	out[n] = '\0';
	if (n == 0 || out[0] == '.')
		snprintf(out, 64, "kiosk");
}

static int
mkdir_ok(ex *x, const char *path)
{
	if (x->io->mkdir(x->io->ud, path, 0755) != 0 && errno != EEXIST) {
		fail_errno(x, errno);
		return -1;
	}
	return 0;
}

/* Makes TELLUS/<kiosk>/ and a fresh partial folder, picking a stamp whose
 * final name is not taken (two exports within a second get -2, -3...). */
static int
make_folders(ex *x, int64_t wall_ms)
{
	time_t t = (time_t)(wall_ms / 1000);
	struct tm tm;
	char stamp[32];
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
	char slug[64];
	kiosk_slug(x->kiosk, slug);

	char *tellus = tl_asprintf("%s/TELLUS", x->opt->to_dir);
	x->base = tl_asprintf("%s/TELLUS/%s", x->opt->to_dir, slug);
	if (!tellus || !x->base) {
		free(tellus);
		fail_errno(x, ENOMEM);
		return -1;
	}
	int rc = mkdir_ok(x, tellus);
	free(tellus);
	if (rc == 0)
		rc = mkdir_ok(x, x->base);
	for (int k = 1; rc == 0 && k < 100; k++) {
		char suffix[16] = "";
		if (k > 1)
			snprintf(suffix, sizeof suffix, "-%d", k);
		free(x->final);
		free(x->partial);
		x->final = tl_asprintf("%s/%s%s", x->base, stamp, suffix);
		x->partial = tl_asprintf("%s/.%s%s.partial", x->base, stamp, suffix);
		if (!x->final || !x->partial) {
			fail_errno(x, ENOMEM);
			return -1;
		}
		struct stat sb;
		if (x->io->stat(x->io->ud, x->final, &sb) == 0)
			continue;
		if (errno != ENOENT) {
			fail_errno(x, errno);
			return -1;
		}
		if (x->io->mkdir(x->io->ud, x->partial, 0755) == 0)
			return 0;
		if (errno != EEXIST) {
			free(x->partial);
			x->partial = NULL;   /* not ours: never remove it */
			fail_errno(x, errno);
			return -1;
		}
	}
	if (rc == 0)
		fail(x, "%s", msg_other);
	return -1;
}

static int
open_file(ex *x, ofile *f, const char *name)
{
	memset(f, 0, sizeof *f);
	f->io = x->io;
	f->name = name;
	f->fd = -1;
	tl_sha256_init(&f->sha);
	char *path = tl_asprintf("%s/%s", x->partial, name);
	if (!path) {
		fail_errno(x, ENOMEM);
		return -1;
	}
	f->buf = malloc(OBUF_SIZE);
	f->cap = OBUF_SIZE;
	if (!f->buf) {
		free(path);
		fail_errno(x, ENOMEM);
		return -1;
	}
	f->fd = x->io->open(x->io->ud, path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	free(path);
	if (f->fd < 0) {
		fail_errno(x, errno);
		return -1;
	}
	return 0;
}

/* Flush, fsync, close: the bytes are on the stick or we say why not. */
static int
finish_file(ex *x, ofile *f)
{
	of_flush(f);
	if (!f->err && x->io->fsync(x->io->ud, f->fd) != 0)
		f->err = errno ? errno : EIO;
	int fd = f->fd;
	f->fd = -1;
	if (x->io->close(x->io->ud, fd) != 0 && !f->err)
		f->err = errno ? errno : EIO;
	if (tl_sha256_final(&f->sha, f->digest) != 0 && !f->err)
		f->err = ENOMEM;
	free(f->buf);
	f->buf = NULL;
	if (f->err) {
		fail_errno(x, f->err);
		return -1;
	}
	return 0;
}

/* Closes whatever is still open after a failure (errors no longer matter). */
static void
abandon_files(ex *x)
{
	for (size_t i = 0; i < EXPORT_N_FILES + 1; i++) {
		ofile *f = &x->files[i];
		if (f->fd >= 0 && f->io)
			x->io->close(x->io->ud, f->fd);
		f->fd = -1;
		free(f->buf);
		f->buf = NULL;
		tl_sha256_finish(&f->sha);
	}
}

static const char sessions_header[] =
	"\xEF\xBB\xBF"
	"session_id,kiosk_id,flow_id,flow_version,flow_hash,event,status,language,"
	"presentation,started_at,ended_at,answer_records\r\n";
static const char answers_header[] =
	"\xEF\xBB\xBF"
	"session_id,kiosk_id,flow_id,flow_version,seq,question_index,question_id,"
	"question_text,kind,skipped,declined,answer_id,answer_label,given_at,"
	"time_taken_ms,language,presentation,input_method,is_latest,session_status\r\n";

/* The k-th piece of s split at sep; *len 0 and "" when there is none. */
static const char *
piece(const char *s, const char *sep, int k, size_t *len)
{
	size_t sl = strlen(sep);
	for (int i = 0; i < k && s; i++) {
		s = strstr(s, sep);
		if (s)
			s += sl;
	}
	if (!s) {
		*len = 0;
		return "";
	}
	const char *e = strstr(s, sep);
	*len = e ? (size_t)(e - s) : strlen(s);
	return s;
}

static void
write_session(ex *x)
{
	sess *c = &x->cur;
	ofile *fs = &x->files[0], *fa = &x->files[1], *fj = &x->files[2];

	/* is_latest: no later row in the session answers the same question */
	for (size_t i = c->n; i-- > 0;) {
		c->rows[i].latest = true;
		for (size_t j = i + 1; j < c->n; j++)
			if (strcmp(S(c, c->rows[j].s[AS_QID]), S(c, c->rows[i].s[AS_QID])) == 0) {
				c->rows[i].latest = false;
				break;
			}
	}

	/* the report counts each person's latest answer to each question; a
	 * tally that ran out of memory remembers it and write_report fails */
	for (size_t i = 0; i < c->n; i++) {
		const arow *r = &c->rows[i];
		if (r->latest)
			(void)report_tally_add(x->tally, S(c, c->s[SS_FLOW]), c->flow_version,
			                       S(c, r->s[AS_QID]), S(c, r->s[AS_QTEXT]), r->qindex,
			                       S(c, r->s[AS_KIND]), S(c, r->s[AS_IDS]),
			                       S(c, r->s[AS_LABELS]));
	}

	char nbuf[32];
	snprintf(nbuf, sizeof nbuf, "%d", c->flow_version);
	csv_str(fs, S(c, c->s[SS_ID]), true);
	csv_str(fs, S(c, c->s[SS_KIOSK]), false);
	csv_str(fs, S(c, c->s[SS_FLOW]), false);
	csv_str(fs, nbuf, false);
	csv_str(fs, S(c, c->s[SS_HASH]), false);
	csv_str(fs, S(c, c->s[SS_EVENT]), false);
	csv_str(fs, S(c, c->s[SS_STATUS]), false);
	csv_str(fs, S(c, c->s[SS_LANG]), false);
	csv_str(fs, S(c, c->s[SS_PRES]), false);
	csv_str(fs, S(c, c->s[SS_STARTED]), false);
	csv_str(fs, S(c, c->s[SS_ENDED]), false);
	csv_int(fs, (long long)c->n);
	csv_end(fs);

	of_str(fj, x->n_sessions ? ",\n{" : "\n{");
	json_key(fj, "id", true); json_str(fj, S(c, c->s[SS_ID]));
	json_key(fj, "kiosk_id", false); json_str(fj, S(c, c->s[SS_KIOSK]));
	json_key(fj, "flow_id", false); json_str(fj, S(c, c->s[SS_FLOW]));
	json_key(fj, "flow_version", false); of_str(fj, nbuf);
	json_key(fj, "flow_hash", false); json_str(fj, S(c, c->s[SS_HASH]));
	json_key(fj, "event", false); json_str(fj, S(c, c->s[SS_EVENT]));
	json_key(fj, "status", false); json_str(fj, S(c, c->s[SS_STATUS]));
	json_key(fj, "language", false); json_str(fj, S(c, c->s[SS_LANG]));
	json_key(fj, "presentation", false); json_str(fj, S(c, c->s[SS_PRES]));
	json_key(fj, "started_at", false); json_str(fj, S(c, c->s[SS_STARTED]));
	json_key(fj, "ended_at", false); json_str(fj, S(c, c->s[SS_ENDED]));
	json_key(fj, "answers", false); of_put(fj, "[", 1);

	for (size_t i = 0; i < c->n; i++) {
		const arow *r = &c->rows[i];
		const char *kind = S(c, r->s[AS_KIND]);
		const char *ids = S(c, r->s[AS_IDS]), *labels = S(c, r->s[AS_LABELS]);
		bool chosen = strcmp(kind, "chosen") == 0;

		/* answers.csv: one row per chosen picture, or one for a skip or
		 * decline */
		int pieces = 1;
		if (chosen && *ids)
			for (const char *p = ids; *p; p++)
				pieces += *p == ' ';
		for (int k = 0; k < pieces; k++) {
			size_t il = 0, ll = 0;
			const char *id = chosen ? piece(ids, " ", k, &il) : "";
			const char *label = chosen ? piece(labels, " | ", k, &ll) : "";
			csv_str(fa, S(c, c->s[SS_ID]), true);
			csv_str(fa, S(c, c->s[SS_KIOSK]), false);
			csv_str(fa, S(c, c->s[SS_FLOW]), false);
			csv_str(fa, nbuf, false);
			csv_int(fa, r->seq);
			csv_int(fa, r->qindex);
			csv_str(fa, S(c, r->s[AS_QID]), false);
			csv_str(fa, S(c, r->s[AS_QTEXT]), false);
			csv_str(fa, kind, false);
			csv_str(fa, strcmp(kind, "skipped") == 0 ? "yes" : "no", false);
			csv_str(fa, strcmp(kind, "declined") == 0 ? "yes" : "no", false);
			csv_field(fa, id, il, false);
			csv_field(fa, label, ll, false);
			csv_str(fa, S(c, r->s[AS_GIVEN]), false);
			csv_int(fa, r->taken);
			csv_str(fa, S(c, c->s[SS_LANG]), false);
			csv_str(fa, S(c, c->s[SS_PRES]), false);
			csv_str(fa, S(c, r->s[AS_METHOD]), false);
			csv_str(fa, r->latest ? "yes" : "no", false);
			csv_str(fa, S(c, c->s[SS_STATUS]), false);
			csv_end(fa);
		}

		of_str(fj, i ? ",{" : "{");
		json_key(fj, "seq", true); of_int(fj, r->seq);
		json_key(fj, "question_id", false); json_str(fj, S(c, r->s[AS_QID]));
		json_key(fj, "question_index", false); of_int(fj, r->qindex);
		json_key(fj, "question_text", false); json_str(fj, S(c, r->s[AS_QTEXT]));
		json_key(fj, "kind", false); json_str(fj, kind);
		json_key(fj, "answer_ids", false); of_put(fj, "[", 1);
		for (int k = 0; chosen && *ids && k < pieces; k++) {
			size_t il;
			const char *id = piece(ids, " ", k, &il);
			if (k)
				of_put(fj, ",", 1);
			json_strn(fj, id, il);
		}
		of_put(fj, "]", 1);
		json_key(fj, "answer_labels", false); of_put(fj, "[", 1);
		for (int k = 0; chosen && *ids && k < pieces; k++) {
			size_t ll;
			const char *label = piece(labels, " | ", k, &ll);
			if (k)
				of_put(fj, ",", 1);
			json_strn(fj, label, ll);
		}
		of_put(fj, "]", 1);
		json_key(fj, "given_at", false); json_str(fj, S(c, r->s[AS_GIVEN]));
		json_key(fj, "time_taken_ms", false); of_int(fj, r->taken);
		json_key(fj, "input_method", false); json_str(fj, S(c, r->s[AS_METHOD]));
		json_key(fj, "is_latest", false); of_str(fj, r->latest ? "true" : "false");
		of_put(fj, "}", 1);
	}
	of_put(fj, "]}", 2);
	x->n_sessions++;
	x->n_answers += (int64_t)c->n;
}

/* The one pass over sessions and their answers. */
static int
write_rows(ex *x)
{
	static const char sql[] =
		"SELECT e.n, s.id, s.kiosk_id, s.flow_id, s.flow_hash, s.started_at,"
		" s.ended_at, s.status, s.language, s.presentation, s.event, s.flow_version,"
		" a.question_id, a.question_text, a.kind, a.answer_ids, a.answer_labels,"
		" a.given_at, a.input_method, a.seq, a.question_index, a.time_taken_ms"
		" FROM temp.export_ids e JOIN main.sessions s ON s.id = e.id"
		" LEFT JOIN main.answers a ON a.session_id = e.id"
		" ORDER BY e.n, a.seq";
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(x->db, sql, -1, &st, NULL) != SQLITE_OK) {
		fail(x, "could not read the answers database: %s", sqlite3_errmsg(x->db));
		return -1;
	}
	ofile *fj = &x->files[2];
	of_str(&x->files[0], sessions_header);
	of_str(&x->files[1], answers_header);
	of_str(fj, "{\"format\":\"tellus-export\",\"format_version\":1,\"kiosk_id\":");
	json_str(fj, x->kiosk);
	of_str(fj, ",\"exported_at\":");
	json_str(fj, x->exported_at);
	of_str(fj, ",\"sessions\":[");

	progress(x, 0.02, "Writing the answers");
	sess *c = &x->cur;
	long long cur_n = -1;
	int rc;
	bool oom = false;
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long n = sqlite3_column_int64(st, 0);
		if (n != cur_n) {
			if (cur_n >= 0) {
				write_session(x);
				if (x->n_sessions % 512 == 0) {
					progress(x, 0.02 + 0.73 * (double)x->n_sessions /
					         (double)(x->total_sessions ? x->total_sessions : 1),
					         "Writing the answers");
					for (int i = 0; i < 3; i++)
						if (x->files[i].err)
							oom = true;   /* stop early: the stick failed */
				}
			}
			cur_n = n;
			c->alen = 0;
			c->n = 0;
			for (int i = 0; i < SS_N; i++) {
				c->s[i] = arena_add(c, sqlite3_column_text(st, 1 + i),
				                    sqlite3_column_bytes(st, 1 + i));
				oom |= c->s[i] == NOSTR - 1;
			}
			c->flow_version = sqlite3_column_int(st, 11);
		}
		if (sqlite3_column_type(st, 19) == SQLITE_NULL)
			continue;   /* a session without answers */
		if (c->n == c->cap) {
			size_t cap = c->cap ? c->cap * 2 : 32;
			arow *p = realloc(c->rows, cap * sizeof *p);
			if (!p) {
				oom = true;
				break;
			}
			c->rows = p;
			c->cap = cap;
		}
		arow *r = &c->rows[c->n++];
		for (int i = 0; i < AS_N; i++) {
			r->s[i] = arena_add(c, sqlite3_column_text(st, 12 + i),
			                    sqlite3_column_bytes(st, 12 + i));
			oom |= r->s[i] == NOSTR - 1;
			if (r->s[i] == NOSTR)
				r->s[i] = arena_add(c, (const unsigned char *)"", 0);
		}
		r->seq = sqlite3_column_int(st, 19);
		r->qindex = sqlite3_column_int(st, 20);
		r->taken = sqlite3_column_int64(st, 21);
	}
	if (oom) {
		sqlite3_finalize(st);
		for (int i = 0; i < 3; i++)
			if (x->files[i].err) {
				fail_errno(x, x->files[i].err);
				return -1;
			}
		fail_errno(x, ENOMEM);
		return -1;
	}
	if (rc != SQLITE_DONE) {
		fail(x, "could not read the answers database: %s", sqlite3_errmsg(x->db));
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	if (cur_n >= 0)
		write_session(x);

	/* the flows these sessions used, source and all */
	of_str(fj, "\n],\"flows\":[");
	if (sqlite3_prepare_v2(x->db,
	        "SELECT hash, id, version, source FROM main.flows WHERE hash IN"
	        " (SELECT s.flow_hash FROM temp.export_ids e JOIN main.sessions s"
	        "  ON s.id = e.id) ORDER BY id, version, hash", -1, &st, NULL) != SQLITE_OK) {
		fail(x, "could not read the answers database: %s", sqlite3_errmsg(x->db));
		return -1;
	}
	for (int i = 0; (rc = sqlite3_step(st)) == SQLITE_ROW; i++) {
		of_str(fj, i ? ",\n{" : "\n{");
		json_key(fj, "hash", true); json_str(fj, (const char *)sqlite3_column_text(st, 0));
		json_key(fj, "id", false); json_str(fj, (const char *)sqlite3_column_text(st, 1));
		json_key(fj, "version", false); of_fmt(fj, "%d", sqlite3_column_int(st, 2));
		json_key(fj, "source", false); json_str(fj, (const char *)sqlite3_column_text(st, 3));
		of_put(fj, "}", 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		fail(x, "could not read the answers database: %s", sqlite3_errmsg(x->db));
		return -1;
	}
	of_fmt(fj, "\n],\"counts\":{\"sessions\":%lld,\"answers\":%lld}}\n",
	       (long long)x->n_sessions, (long long)x->n_answers);
	return 0;
}

static int
report_sink(void *ud, const void *buf, size_t len)
{
	ofile *f = ud;
	of_put(f, buf, len);
	return f->err ? -1 : 0;
}

static int
write_report(ex *x)
{
	report_options ro = {
		.ids_table = "temp.export_ids",
		.data_dir = x->opt->data_dir,
	};
	report *r = NULL;
	tl_error err;
	if (report_collect_tally(x->db, &ro, x->tally, &r, &err) != 0) {
		fail(x, "could not count the answers for the report: %s", err.msg);
		return -1;
	}
	int rc = report_render_html(r, &ro, report_sink, &x->files[3], NULL);
	report_destroy(r);
	if (rc != 0 && !x->files[3].err)
		x->files[3].err = ENOMEM;
	return 0;   /* a write error shows at finish_file */
}

/* Reads one file back through the seam and compares its SHA-256. */
static int
read_back(ex *x, const ofile *f)
{
	char *path = tl_asprintf("%s/%s", x->partial, f->name);
	unsigned char *buf = malloc(OBUF_SIZE);
	if (!path || !buf) {
		free(path);
		free(buf);
		fail_errno(x, ENOMEM);
		return -1;
	}
	int fd = x->io->open(x->io->ud, path, O_RDONLY, 0);
	free(path);
	if (fd < 0) {
		free(buf);
		fail_errno(x, errno);
		return -1;
	}
	/* Ask for the stick's bytes, not the page cache's copy of what we
	 * wrote (best effort: a seam's fd may not be a real one). */
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	tl_sha256 sha;
	tl_sha256_init(&sha);
	int e = 0;
	for (;;) {
		ssize_t n = x->io->read(x->io->ud, fd, buf, OBUF_SIZE);
		if (n < 0) {
			e = errno ? errno : EIO;
			break;
		}
		if (n == 0)
			break;
		tl_sha256_update(&sha, buf, (size_t)n);
	}
	free(buf);
	if (x->io->close(x->io->ud, fd) != 0 && !e)
		e = errno ? errno : EIO;
	if (e) {
		tl_sha256_finish(&sha);
		fail_errno(x, e);
		return -1;
	}
	unsigned char d[TL_SHA256_BYTES];
	if (tl_sha256_final(&sha, d) != 0) {
		fail_errno(x, ENOMEM);
		return -1;
	}
	if (sodium_memcmp(d, f->digest, 32) != 0) {
		fail(x, "%s", msg_mismatch);
		return -1;
	}
	return 0;
}

static int
fsync_dir(ex *x, const char *path)
{
	int fd = x->io->open(x->io->ud, path, O_RDONLY | O_DIRECTORY, 0);
	if (fd < 0) {
		fail_errno(x, errno);
		return -1;
	}
	int e = 0;
	if (x->io->fsync(x->io->ud, fd) != 0)
		e = errno ? errno : EIO;
	if (x->io->close(x->io->ud, fd) != 0 && !e)
		e = errno ? errno : EIO;
	if (e) {
		fail_errno(x, e);
		return -1;
	}
	return 0;
}

/* Best effort after a failure: undo the rename, then remove the partial
 * folder and what we put in it (plain calls: the seam may be failing). */
static void
clean_up(ex *x)
{
	abandon_files(x);
	if (!x->partial)
		return;
	if (x->renamed && x->io->rename(x->io->ud, x->final, x->partial) != 0)
		rename(x->final, x->partial);
	for (size_t i = 0; i < EXPORT_N_FILES + 1; i++) {
		char *p = tl_asprintf("%s/%s", x->partial,
		                      i < EXPORT_N_FILES ? export_file_names[i] : EXPORT_SUMS_NAME);
		if (p)
			unlink(p);
		free(p);
	}
	rmdir(x->partial);
}

static int
mark_exported(ex *x)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_exec(x->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(x->db,
		        "UPDATE main.sessions SET exported_at = ?1 WHERE exported_at IS NULL"
		        " AND id IN (SELECT id FROM temp.export_ids)", -1, &s, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(s, 1, x->exported_at, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_DONE)
		rc = SQLITE_OK;
	sqlite3_finalize(s);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(x->db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		/* the caller removes the folder too: an export nobody marked would
		 * only go out again */
		fail(x, "The export could not be finished: this kiosk could not note down "
		     "which sessions went out (%s). " KEPT " Try again.", sqlite3_errmsg(x->db));
		if (!sqlite3_get_autocommit(x->db))
			sqlite3_exec(x->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

static int
write_all(ex *x)
{
	/* the read transaction keeps one snapshot across all files */
	if (run_sql(x, "BEGIN") != SQLITE_OK)
		return -1;
	int rc = 0;
	x->tally = report_tally_create();
	if (!x->tally) {
		fail_errno(x, ENOMEM);
		rc = -1;
	}
	for (int i = 0; rc == 0 && i < 3; i++)
		rc = open_file(x, &x->files[i], export_file_names[i]);
	if (rc == 0)
		rc = write_rows(x);
	for (int i = 0; rc == 0 && i < 3; i++)
		rc = finish_file(x, &x->files[i]);
	if (rc == 0) {
		progress(x, 0.78, "Drawing the picture report");
		rc = open_file(x, &x->files[3], export_file_names[3]);
	}
	if (rc == 0)
		rc = write_report(x);
	if (rc == 0)
		rc = finish_file(x, &x->files[3]);
	sqlite3_exec(x->db, "COMMIT", NULL, NULL, NULL);
	if (rc != 0)
		return -1;

	/* SHA256SUMS last, in coreutils' format */
	ofile *fs = &x->files[EXPORT_N_FILES];
	if (open_file(x, fs, EXPORT_SUMS_NAME) != 0)
		return -1;
	for (int i = 0; i < EXPORT_N_FILES; i++) {
		char h[65];
		tl_hex(x->files[i].digest, TL_SHA256_BYTES, h, sizeof h);
		of_fmt(fs, "%s  %s\n", h, export_file_names[i]);
	}
	if (finish_file(x, fs) != 0 || fsync_dir(x, x->partial) != 0)
		return -1;

	progress(x, 0.82, "Checking the stick");
	for (int i = 0; i < EXPORT_N_FILES + 1; i++) {
		if (read_back(x, &x->files[i]) != 0)
			return -1;
		progress(x, 0.82 + 0.03 * (i + 1), "Checking the stick");
	}

	progress(x, 0.98, "Finishing");
	if (!same_device(x))
		return -1;
	if (x->io->rename(x->io->ud, x->partial, x->final) != 0) {
		fail_errno(x, errno);
		return -1;
	}
	x->renamed = true;
	if (fsync_dir(x, x->base) != 0 || !same_device(x))
		return -1;
	return 0;
}

int
export_run(const export_options *opt, export_result *res, char *err, size_t errlen)
{
	memset(res, 0, sizeof *res);
	if (err && errlen)
		err[0] = '\0';
	ex x = { .opt = opt, .io = opt->io ? opt->io : &posix_io, .err = err, .errlen = errlen };
	for (size_t i = 0; i < EXPORT_N_FILES + 1; i++)
		x.files[i].fd = -1;
	if (!opt->db_path || !opt->to_dir) {
		fail(&x, "export needs a database and a folder to write to");
		return -1;
	}
	if (sodium_init() < 0) {
		fail(&x, "could not start the checksum library");
		return -1;
	}
	progress(&x, 0.0, "Getting ready");

	struct stat sb;
	if (stat(opt->db_path, &sb) != 0) {
		fail(&x, "There is no answers database at %s.", opt->db_path);
		return -1;
	}
	store_options so = { .read_only = !opt->mark_exported };
	tl_error serr = { 0 };
	if (store_open(opt->db_path, &so, &x.st, &serr) != 0) {
		fail(&x, "%s", serr.msg);
		return -1;
	}
	x.db = store_db(x.st);
	snprintf(x.kiosk, sizeof x.kiosk, "%s", store_kiosk_id(x.st));
	const tl_clock *clock = opt->clock ? opt->clock : tl_clock_system();
	int64_t now = tl_wall(clock);
	tl_iso8601(now, x.exported_at);

	int rc = 0;
	if (x.io->stat(x.io->ud, opt->to_dir, &sb) != 0) {
		if (errno == ENOENT)
			fail(&x, "The folder %s is not there. Is the USB stick plugged in?",
			     opt->to_dir);
		else
			fail_errno(&x, errno);
		rc = -1;
	} else if (!S_ISDIR(sb.st_mode)) {
		fail(&x, "%s is not a folder.", opt->to_dir);
		rc = -1;
	} else {
		x.dev = sb.st_dev;
		x.real_to = realpath(opt->to_dir, NULL);
		x.was_mount = x.real_to && mounts_is_mount_point(NULL, x.real_to);
	}

	if (rc == 0)
		rc = choose_sessions(&x);
	if (rc == 0 && x.total_sessions == 0) {
		res->nothing_new = true;
		progress(&x, 1.0, "Nothing new to export");
		goto done;
	}
	if (rc == 0)
		rc = make_folders(&x, now);
	if (rc == 0)
		rc = write_all(&x);
	if (rc == 0 && opt->mark_exported)
		rc = mark_exported(&x);
	if (rc == 0) {
		snprintf(res->path, sizeof res->path, "%s", x.final);
		res->sessions = x.n_sessions;
		res->answers = x.n_answers;
		progress(&x, 1.0, "Done");
	}
done:
	if (rc != 0 || x.failed) {
		rc = -1;
		clean_up(&x);
	}
	abandon_files(&x);
	sqlite3_exec(x.db, "DROP TABLE IF EXISTS temp.export_ids", NULL, NULL, NULL);
	store_close(x.st);
	report_tally_destroy(x.tally);
	free(x.cur.arena);
	free(x.cur.rows);
	free(x.real_to);
	free(x.base);
	free(x.partial);
	free(x.final);
	return rc;
}
