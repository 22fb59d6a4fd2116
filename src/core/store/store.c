/*
 * store: opening and closing the kiosk's SQLite database, and the kiosk id.
 *
 * Promises:
 * - A file that is not a SQLite database, a SQLite database that is not
 *   Tellus's, or one made by a newer Tellus is refused with a plain reason
 *   and left exactly as it was: we look before SQLite writes anything.
 * - A handle opened for writing is in WAL mode with synchronous=FULL and
 *   foreign keys on, at STORE_SCHEMA_VERSION (store_schema.c migrates it),
 *   with its inserts prepared (store_write.c).
 */
#include "store/store_internal.h"
#include "base/util.h"

#include <errno.h>
#include <unistd.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sqlite3.h>

/* PRAGMA application_id marks the file as ours ("TELL"), so a foreign
 * database with a user_version of its own is not mistaken for a newer
 * Tellus one. */
#define STORE_APPLICATION_ID 0x54454C4C
#define STORE_BUSY_TIMEOUT_MS 2000

/* SQLite's reason for rc, taken before a ROLLBACK or reset can replace it.
 * sys is the primary result code (SQLITE_CONSTRAINT, ...). Busy and locked
 * are TL_E_BUSY: the writer retries those and nothing else. */
int
store_fail_db(sqlite3 *db, int rc, tl_error *err)
{
	int primary = rc & 0xff;
	enum tl_code code = primary == SQLITE_BUSY || primary == SQLITE_LOCKED
	                    ? TL_E_BUSY : TL_E_DB;
	return tl_err_sys(err, code, primary, "%s", sqlite3_errmsg(db));
}

/* mkdir -p for the folders above path. 0, or an errno value with the folder
 * that failed in bad (which the caller sized like path). */
static int
make_parents(const char *path, char *bad, size_t badlen)
{
	bad[0] = '\0';
	char *p = tl_strdup(path);
	if (!p)
		return ENOMEM;   /* bad stays "": no folder failed */
	char *slash = strrchr(p, '/');
	if (!slash || slash == p) {
		free(p);
		return 0;
	}
	*slash = '\0';
	int rc = 0;
	for (char *c = p + 1; rc == 0; c++) {
		bool end = *c == '\0';
		if (*c != '/' && !end)
			continue;
		*c = '\0';
		struct stat sb;
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			rc = errno;
		else if (stat(p, &sb) != 0)
			rc = errno;
		else if (!S_ISDIR(sb.st_mode))
			rc = ENOTDIR;
		if (rc)
			snprintf(bad, badlen, "%s", p);
		if (end)
			break;
		*c = '/';
	}
	free(p);
	return rc;
}

/* Looks at the first bytes ourselves, so a file that is not SQLite is
 * refused before SQLite reads or writes a page of it. 0 when empty or
 * SQLite. The bytes are read through SQLite's own handle on the file
 * (SQLITE_FCNTL_FILE_POINTER), never through a descriptor of our own:
 * POSIX advisory locks belong to the process, and closing any descriptor
 * on the file drops them all, so an fopen/fclose here, while the kiosk's
 * writer held the database open, let another program think itself the
 * last user, checkpoint and delete the -wal file under the kiosk, whose
 * later commits then went into a deleted file. SQLite's unix VFS shares
 * one descriptor per file among a process's connections for this reason. */
static int
check_header(sqlite3 *db, const char *path, tl_error *err)
{
	static const char magic[16] = "SQLite format 3";  /* with its NUL */
	sqlite3_file *f = NULL;
	sqlite3_int64 size = 0;
	int rc = sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &f);
	if (rc == SQLITE_OK && (!f || !f->pMethods))
		rc = SQLITE_CANTOPEN;
	if (rc == SQLITE_OK)
		rc = f->pMethods->xFileSize(f, &size);
	if (rc != SQLITE_OK)
		return tl_err_sys(err, TL_E_IO, rc & 0xff, "cannot read the answers database %s: %s",
		                  path, sqlite3_errstr(rc));
	if (size == 0)
		return 0;
	char head[16];
	rc = size < (sqlite3_int64)sizeof head ? SQLITE_IOERR_SHORT_READ
	                                       : f->pMethods->xRead(f, head, (int)sizeof head, 0);
	if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ)
		return tl_err_sys(err, TL_E_IO, rc & 0xff, "cannot read the answers database %s: %s",
		                  path, sqlite3_errstr(rc));
	if (rc == SQLITE_IOERR_SHORT_READ || memcmp(head, magic, sizeof magic) != 0) {
		return tl_err(err, TL_E_REFUSED,
		        "%s is not a Tellus answers database (it is not a SQLite "
		        "file); it was left untouched. Move it away or choose "
		        "another path.", path);
	}
	return 0;
}

int
store_pragma_int(sqlite3 *db, const char *sql, int *out)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			*out = sqlite3_column_int(s, 0);
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(s);
	return rc;
}

/* Turning a fresh file to WAL needs a moment alone with it; another handle
 * opening the same file at the same time can make that busy, and the busy
 * handler is not always consulted for it, so we wait here. */
static int
set_wal(sqlite3 *db)
{
	for (int tries = 0; tries < 100; tries++) {
		sqlite3_stmt *s = NULL;
		int rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode=WAL", -1, &s, NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_step(s);
		bool wal = rc == SQLITE_ROW &&
		           sqlite3_stricmp((const char *)sqlite3_column_text(s, 0), "wal") == 0;
		sqlite3_finalize(s);
		if (wal)
			return SQLITE_OK;
		if (rc != SQLITE_ROW && (rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
			return rc;
		sqlite3_sleep(20);
	}
	return SQLITE_BUSY;
}

/* Reads the kiosk id, making one first if this database has none. The
 * INSERT OR IGNORE makes two handles racing on a new file agree. */
static int
load_kiosk_id(store *st)
{
	int rc = SQLITE_OK;
	if (!st->read_only)
		rc = sqlite3_exec(st->db,
		        "INSERT OR IGNORE INTO meta(key, value) VALUES('kiosk_id',"
		        " 'kiosk-' || lower(hex(randomblob(4))))", NULL, NULL, NULL);
	sqlite3_stmt *s = NULL;
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(st->db,
		        "SELECT value FROM meta WHERE key = 'kiosk_id'", -1, &s, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			snprintf(st->kiosk_id, sizeof st->kiosk_id, "%s",
			         (const char *)sqlite3_column_text(s, 0));
			rc = SQLITE_OK;
		} else if (rc == SQLITE_DONE) {
			st->kiosk_id[0] = '\0';  /* read-only and never opened for writing */
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(s);
	return rc;
}

/* Closes a half-made handle and passes the failure up. */
static int
open_failed(store *st)
{
	store_close(st);
	return -1;
}

int
store_open(const char *path, const store_options *opt, store **out,
           tl_error *err)
{
	*out = NULL;
	if (!path || !*path)
		return tl_err(err, TL_E_INVALID, "no path was given for the answers database");
	bool read_only = opt && opt->read_only;
	const char *vfs = opt ? opt->vfs : NULL;

	if (!read_only) {
		size_t badlen = strlen(path) + 1;
		char *bad = malloc(badlen);
		if (!bad)
			return tl_err(err, TL_E_NOMEM, "out of memory opening %s", path);
		int e = make_parents(path, bad, badlen);
		if (e && !bad[0]) {   /* no folder failed: memory ran out first */
			free(bad);
			return tl_err(err, TL_E_NOMEM, "out of memory opening %s", path);
		}
		if (e) {
			tl_err_sys(err, TL_E_IO, e, "cannot create the folder %s for the "
			           "answers database: %s", bad, strerror(e));
			free(bad);
			return -1;
		}
		free(bad);
	}
	/* A new database is made readable by the kiosk's user only (0600,
	 * whatever the umask): it holds children's answers. SQLite gives the
	 * -wal and -shm files the main file's mode, so they are 0600 too. */
	if (!read_only) {
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd >= 0) {
			if (fchmod(fd, 0600) != 0) {
				int e = errno;
				close(fd);
				return tl_err_sys(err, TL_E_IO, e, "cannot make the answers database %s "
				                  "private: %s", path, strerror(e));
			}
			close(fd);
		} else if (errno != EEXIST) {
			return tl_err_sys(err, TL_E_IO, errno, "cannot create the answers database %s: %s",
			                  path, strerror(errno));
		}
	}

	store *st = calloc(1, sizeof *st);
	if (!st)
		return tl_err(err, TL_E_NOMEM, "out of memory opening %s", path);
	st->read_only = read_only;
	int flags = (read_only ? SQLITE_OPEN_READONLY
	                       : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
	            | SQLITE_OPEN_NOMUTEX;
	int rc = sqlite3_open_v2(path, &st->db, flags, vfs);
	if (rc != SQLITE_OK) {
		tl_err_sys(err, TL_E_DB, rc & 0xff, "cannot open the answers database %s: %s",
		           path, st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
		return open_failed(st);
	}
	sqlite3_extended_result_codes(st->db, 1);
	if (check_header(st->db, path, err) != 0)
		return open_failed(st);
	sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);

	/* Read-only questions first: refusing must not change a byte, and
	 * switching to WAL would rewrite the header. */
	int version = 0, app_id = 0;
	rc = store_pragma_int(st->db, "PRAGMA application_id", &app_id);
	if (rc == SQLITE_OK)
		rc = store_pragma_int(st->db, "PRAGMA user_version", &version);
	if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT) {
		tl_err_sys(err, TL_E_REFUSED, rc & 0xff,
		        "%s is not a Tellus answers database (SQLite cannot read it); "
		        "it was left untouched. Move it away or choose another path.",
		        path);
		return open_failed(st);
	}
	if (rc != SQLITE_OK) {
		tl_err_sys(err, TL_E_DB, rc & 0xff, "cannot read the answers database %s: %s",
		           path, sqlite3_errmsg(st->db));
		return open_failed(st);
	}
	int tables = 0;
	if (version == 0) {
		rc = store_pragma_int(st->db, "SELECT count(*) FROM sqlite_master", &tables);
		if ((rc & 0xff) == SQLITE_NOMEM) {
			tl_err(err, TL_E_NOMEM, "out of memory opening %s", path);
			return open_failed(st);
		}
		if (rc != SQLITE_OK)
			tables = 1;   /* cannot tell: do not claim it */
		rc = SQLITE_OK;
	}
	if ((app_id != 0 && app_id != STORE_APPLICATION_ID) || tables > 0) {
		tl_err(err, TL_E_REFUSED, "%s is a SQLite database but not a Tellus one; "
		       "it was left untouched. Choose another path.", path);
		return open_failed(st);
	}
	if (version > STORE_SCHEMA_VERSION) {
		tl_err(err, TL_E_REFUSED,
		        "%s was made by a newer Tellus (schema version %d; this one "
		        "knows up to %d); it was left untouched. Update Tellus on this "
		        "kiosk, or export the answers with the newer one.",
		        path, version, STORE_SCHEMA_VERSION);
		return open_failed(st);
	}
	if (read_only && version != STORE_SCHEMA_VERSION) {
		tl_err(err, TL_E_REFUSED, "%s needs setting up or upgrading, which a "
		       "read-only open cannot do; open it once for writing.", path);
		return open_failed(st);
	}

	if (!read_only) {
		rc = set_wal(st->db);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(st->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(st->db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		tl_err_sys(err, TL_E_DB, rc & 0xff, "cannot set up the answers database %s: %s",
		           path, sqlite3_errmsg(st->db));
		return open_failed(st);
	}
	if (!read_only && store_schema_migrate(st->db, path, err) != 0)
		return open_failed(st);
	rc = load_kiosk_id(st);
	if (rc == SQLITE_OK && !read_only)
		rc = store_write_prepare(st);
	if (rc != SQLITE_OK) {
		tl_err_sys(err, TL_E_DB, rc & 0xff, "cannot set up the answers database %s: %s",
		           path, sqlite3_errmsg(st->db));
		return open_failed(st);
	}
	*out = st;
	return 0;
}

void
store_close(store *st)
{
	if (!st)
		return;
	store_write_finalize(st);
	sqlite3_close_v2(st->db);
	free(st);
}

int
store_user_version(store *st)
{
	int v = -1;
	if (!st || store_pragma_int(st->db, "PRAGMA user_version", &v) != SQLITE_OK)
		return -1;
	return v;
}

const char *
store_kiosk_id(store *st)
{
	return st ? st->kiosk_id : "";
}

int
store_set_kiosk_id(store *st, const char *id, tl_error *err)
{
	if (!id || !*id || strlen(id) >= sizeof st->kiosk_id)
		return tl_err_sys(err, TL_E_INVALID, SQLITE_MISUSE,
		                  "a kiosk id must be 1 to 63 characters");
	if (st->read_only)
		return tl_err_sys(err, TL_E_REFUSED, SQLITE_READONLY,
		                  "the answers database is open read-only");
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db,
	        "INSERT OR REPLACE INTO meta(key, value) VALUES('kiosk_id', ?)",
	        -1, &s, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc != SQLITE_DONE) {
		store_fail_db(st->db, rc, err);
		sqlite3_finalize(s);
		return -1;
	}
	sqlite3_finalize(s);
	snprintf(st->kiosk_id, sizeof st->kiosk_id, "%s", id);
	return 0;
}

struct sqlite3 *
store_db(store *st)
{
	return st ? st->db : NULL;
}

static int64_t
count(store *st, const char *sql, const char *arg)
{
	if (!st)
		return -1;
	sqlite3_stmt *s = NULL;
	int64_t n = -1;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc == SQLITE_OK && arg)
		rc = sqlite3_bind_text(s, 1, arg, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

int64_t
store_count_sessions(store *st, const char *status)
{
	if (status)
		return count(st, "SELECT count(*) FROM sessions WHERE status = ?", status);
	return count(st, "SELECT count(*) FROM sessions", NULL);
}

int64_t
store_count_answers(store *st)
{
	return count(st, "SELECT count(*) FROM answers", NULL);
}
