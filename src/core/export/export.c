/*
 * export: one verified export of a kiosk's sessions into a folder; the
 * orchestration. The files are written by export_rows (CSV, JSON) and
 * report.h (report.html) into export_files, which hash and read back;
 * export_stick says whether the target is still the stick.
 *
 * Promises (see export.h and docs/export.md):
 * - The stick's folder is opened once and every folder and file is made
 *   beneath that handle by a single name, never through a link and never
 *   into another mount (export_stick, the seam's openat): a TELLUS or
 *   TELLUS/<kiosk> that is a link stops the export with the reason, and
 *   nothing is written anywhere else. Each folder made is fsynced, and its
 *   parent, so a new stick's first export does not vanish after "Safe to
 *   remove".
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
 *   was a mount point, at the start, before the rename and after it.
 * - All files are read in one read transaction: one snapshot of the data.
 * - The first failure is the one reported; each step stops the rest.
 */
#include "export/export.h"
#include "export/export_drawings.h"
#include "export/export_file.h"
#include "export/export_io.h"
#include "export/export_rows.h"
#include "export/export_sign.h"
#include "export/export_stick.h"
#include "keys/office_key.h"
#include "base/util.h"
#include "report/report.h"
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char *const export_file_names[EXPORT_N_FILES] = {
	"sessions.csv", "answers.csv", "export.json", "report.html",
};

enum { F_SESSIONS, F_ANSWERS, F_JSON, F_REPORT, F_SUMS = EXPORT_N_FILES, F_PUB, F_SIG,
       F_ALL };

typedef struct ex {
	const export_options *opt;
	const export_io *io;
	store *st;
	sqlite3 *db;
	char kiosk[64];
	char exported_at[32];
	export_stick stick;
	int tellus_fd;       /* TELLUS/ beneath the stick's handle; -1 when not open */
	int base_fd;         /* TELLUS/<kiosk>/ */
	int partial_fd;      /* the partial folder, once made and opened */
	char *partial;       /* its name in base; NULL unless we made it: never remove another's */
	char *final;         /* the final folder's name in base */
	char *final_path;    /* to_dir/TELLUS/<kiosk>/<final>, for the result */
	char slug[64];
	bool renamed;
	report_tally *tally; /* the report's counts, gathered in the one pass */
	export_file files[F_ALL];   /* and SHA256SUMS, kiosk.pub, its signature */
	office_key office;          /* the office's public key, when sealing */
	bool sealing;
	export_drawings drawings;   /* drawings/, one PNG per drawing answer */
	int64_t n_sessions, n_answers, total_sessions;
} ex;

static void
progress(ex *x, double frac, const char *stage)
{
	if (x->opt->progress.fn)
		x->opt->progress.fn(x->opt->progress.ud, frac, stage);
}

static int
db_fail(ex *x, tl_error *err)
{
	return tl_err_sys(err, TL_E_DB, sqlite3_errcode(x->db),
	                  "could not read the answers database: %s", sqlite3_errmsg(x->db));
}

static int
run_sql(ex *x, const char *sql, tl_error *err)
{
	return sqlite3_exec(x->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : db_fail(x, err);
}

/* Fixes the set of sessions this export carries, in the order written. */
static int
choose_sessions(ex *x, tl_error *err)
{
	const char *sql = x->opt->all
	        ? "INSERT INTO " EXPORT_ROWS_IDS "(id) SELECT id FROM main.sessions"
	          " WHERE status != 'in_progress' ORDER BY started_at, id"
	        : "INSERT INTO " EXPORT_ROWS_IDS "(id) SELECT id FROM main.sessions"
	          " WHERE exported_at IS NULL AND status != 'in_progress'"
	          " ORDER BY started_at, id";
	if (run_sql(x, "DROP TABLE IF EXISTS " EXPORT_ROWS_IDS, err) != 0 ||
	    run_sql(x, "CREATE TEMP TABLE " EXPORT_ROWS_IDS "(n INTEGER PRIMARY KEY,"
	               " id TEXT NOT NULL UNIQUE)", err) != 0 ||
	    run_sql(x, sql, err) != 0)
		return -1;
	sqlite3_stmt *s = NULL;
	int rc = -1;
	if (sqlite3_prepare_v2(x->db, "SELECT count(*) FROM " EXPORT_ROWS_IDS, -1, &s,
	                       NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
		x->total_sessions = sqlite3_column_int64(s, 0);
		rc = 0;
	} else {
		db_fail(x, err);
	}
	sqlite3_finalize(s);
	return rc;
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

/* Opens name beneath dirfd as a folder handle, making it first if need be;
 * a folder made here is fsynced, and its parent (dirfd), so its name lasts.
 * A link there (ELOOP), or another mount (EXDEV), stops the export. */
static int
folder_at(ex *x, int dirfd, const char *name, int *out, tl_error *err)
{
	*out = -1;
	bool made = x->io->mkdirat(x->io->ud, dirfd, name, 0755) == 0;
	if (!made && errno != EEXIST)
		return export_io_fail(err, errno);
	int fd = x->io->openat(x->io->ud, dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0);
	if (fd < 0)
		return export_io_fail(err, errno);
	*out = fd;
	if (export_stick_same_device(&x->stick, fd, err) != 0)
		return -1;
	if (made && (export_file_fsync_dir(x->io, fd, err) != 0 ||
	             export_file_fsync_dir(x->io, dirfd, err) != 0))
		return -1;
	return 0;
}

/* Makes TELLUS/<kiosk>/ and a fresh partial folder, picking a stamp whose
 * final name is not taken (two exports within a second get -2, -3...). */
static int
make_folders(ex *x, int64_t wall_ms, tl_error *err)
{
	time_t t = (time_t)(wall_ms / 1000);
	struct tm tm;
	char stamp[32];
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
	kiosk_slug(x->kiosk, x->slug);

	int rc = folder_at(x, x->stick.root_fd, "TELLUS", &x->tellus_fd, err);
	if (rc == 0)
		rc = folder_at(x, x->tellus_fd, x->slug, &x->base_fd, err);
	for (int k = 1; rc == 0 && k < 100; k++) {
		char suffix[16] = "";
		if (k > 1)
			snprintf(suffix, sizeof suffix, "-%d", k);
		free(x->final);
		free(x->partial);
		x->final = tl_asprintf("%s%s", stamp, suffix);
		x->partial = tl_asprintf(".%s%s.partial", stamp, suffix);
		if (!x->final || !x->partial)
			return export_io_fail(err, ENOMEM);
		struct stat sb;
		if (x->io->fstatat(x->io->ud, x->base_fd, x->final, &sb) == 0)
			continue;
		if (errno != ENOENT)
			return export_io_fail(err, errno);
		if (x->io->mkdirat(x->io->ud, x->base_fd, x->partial, 0755) == 0) {
			x->partial_fd = x->io->openat(x->io->ud, x->base_fd, x->partial,
			                              O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0);
			if (x->partial_fd < 0)
				return export_io_fail(err, errno);
			return export_stick_same_device(&x->stick, x->partial_fd, err);
		}
		if (errno != EEXIST) {
			int e = errno;
			free(x->partial);
			x->partial = NULL;   /* not ours: never remove it */
			return export_io_fail(err, e);
		}
	}
	if (rc == 0)
		tl_err(err, TL_E_IO, "%s", export_io_msg_other);
	return -1;
}

static int
report_sink(void *ud, const void *buf, size_t len)
{
	export_file *f = ud;
	export_file_put(f, buf, len);
	return f->err ? -1 : 0;
}

/* report.html from the tally; a write error shows when the file is
 * finished. */
static int
write_report(ex *x, tl_error *err)
{
	report_options ro = {
		.ids_table = EXPORT_ROWS_IDS,
		.data_dir = x->opt->data_dir,
		/* the export's report is for the office: what was typed is
		 * listed there, the drawings are in drawings/ */
		.with_typed = true,
	};
	report *r = NULL;
	tl_error why;
	if (report_collect_tally(x->db, &ro, x->tally, &r, &why) != 0)
		return tl_err_sys(err, why.code, why.sys,
		                  "could not count the answers for the report: %s", why.msg);
	export_file *f = &x->files[F_REPORT];
	int rc = report_render_html(r, &ro, report_sink, f, NULL);
	report_destroy(r);
	if (rc != 0 && !f->err)
		f->err = ENOMEM;
	return 0;
}

/* Data file i: sealed when there is an office key (every data file holds
 * answers). */
static int
open_data(ex *x, int i, tl_error *err)
{
	return export_file_open_sealed(&x->files[i], x->io, x->partial_fd, export_file_names[i],
	                               x->sealing ? &x->office : NULL, err);
}

/* A small file written whole (SHA256SUMS, kiosk.pub, the signature). */
static int
write_small(ex *x, int i, const char *name, const char *text, tl_error *err)
{
	export_file *f = &x->files[i];
	if (export_file_open(f, x->io, x->partial_fd, name, err) != 0)
		return -1;
	export_file_str(f, text);
	return export_file_finish(f, err);
}

/* SHA256SUMS, then kiosk.pub and SHA256SUMS.minisig: the signature of
 * those very bytes. */
static int
write_sums_and_sign(ex *x, tl_error *err)
{
	char *sums = export_file_sums_text(x->files, EXPORT_N_FILES);
	if (sums && export_drawings_sums(&x->drawings, &sums) != 0) {
		free(sums);
		sums = NULL;
	}
	if (!sums)
		return export_io_fail(err, ENOMEM);
	char *pub = NULL, *sig = NULL;
	int rc = export_sign(x->opt->db_path, x->kiosk, x->exported_at, sums, &pub, &sig, err);
	if (rc == 0)
		rc = write_small(x, F_SUMS, EXPORT_SUMS_NAME, sums, err);
	if (rc == 0)
		rc = write_small(x, F_PUB, EXPORT_PUB_NAME, pub, err);
	if (rc == 0)
		rc = write_small(x, F_SIG, EXPORT_SIG_NAME, sig, err);
	free(sums);
	free(pub);
	free(sig);
	return rc;
}

/* The four files, from one snapshot of the database, then SHA256SUMS. */
static int
write_files(ex *x, tl_error *err)
{
	if (run_sql(x, "BEGIN", err) != 0)
		return -1;
	int rc = 0;
	x->tally = report_tally_create();
	if (!x->tally)
		rc = export_io_fail(err, ENOMEM);
	for (int i = F_SESSIONS; rc == 0 && i <= F_JSON; i++)
		rc = open_data(x, i, err);
	if (rc == 0) {
		export_rows rows = {
			.db = x->db, .sessions_csv = &x->files[F_SESSIONS],
			.answers_csv = &x->files[F_ANSWERS], .json = &x->files[F_JSON],
			.tally = x->tally, .kiosk_id = x->kiosk, .exported_at = x->exported_at,
			.total = x->total_sessions, .progress = x->opt->progress,
		};
		rc = export_rows_write(&rows, err);
		x->n_sessions = rows.sessions;
		x->n_answers = rows.answers;
	}
	for (int i = F_SESSIONS; rc == 0 && i <= F_JSON; i++)
		rc = export_file_finish(&x->files[i], err);
	if (rc == 0) {
		progress(x, 0.78, "Drawing the picture report");
		rc = open_data(x, F_REPORT, err);
	}
	if (rc == 0)
		rc = write_report(x, err);
	if (rc == 0)
		rc = export_file_finish(&x->files[F_REPORT], err);
	if (rc == 0) {
		progress(x, 0.80, "Writing the drawings");
		rc = export_drawings_write(&x->drawings, x->db, x->io, x->partial_fd,
		                           x->sealing ? &x->office : NULL, err);
	}
	/* The snapshot only read: nothing to keep, but it must not stay open
	 * (a COMMIT that fails, as it can when memory runs out, would leave it
	 * so, and marking the sessions would then fail as "a transaction
	 * within a transaction"; found by test_oom_data). */
	if (sqlite3_exec(x->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK &&
	    !sqlite3_get_autocommit(x->db))
		sqlite3_exec(x->db, "ROLLBACK", NULL, NULL, NULL);
	if (rc != 0)
		return -1;

	/* SHA256SUMS last, in coreutils' format, and its signature */
	if (write_sums_and_sign(x, err) != 0)
		return -1;
	return export_file_fsync_dir(x->io, x->partial_fd, err);
}

/* Every file read back from the stick, then the rename into place. */
static int
check_and_move(ex *x, tl_error *err)
{
	progress(x, 0.82, "Checking the stick");
	for (int i = 0; i < F_ALL; i++) {
		if (export_file_check(&x->files[i], x->partial_fd, err) != 0)
			return -1;
		progress(x, 0.82 + 0.02 * (i + 1), "Checking the stick");
	}
	if (export_drawings_check(&x->drawings, err) != 0)
		return -1;
	progress(x, 0.98, "Finishing");
	if (export_stick_check(&x->stick, err) != 0)
		return -1;
	if (x->io->renameat(x->io->ud, x->base_fd, x->partial, x->final) != 0)
		return export_io_fail(err, errno);
	x->renamed = true;
	if (export_file_fsync_dir(x->io, x->base_fd, err) != 0)
		return -1;
	return export_stick_check(&x->stick, err);
}

static int
mark_exported(ex *x, tl_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_exec(x->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(x->db,
		        "UPDATE main.sessions SET exported_at = ?1 WHERE exported_at IS NULL"
		        " AND id IN (SELECT id FROM " EXPORT_ROWS_IDS ")", -1, &s, NULL);
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
		tl_err_sys(err, TL_E_DB, rc,
		           "The export could not be finished: this kiosk could not note down "
		           "which sessions went out (%s). " EXPORT_IO_KEPT " Try again.",
		           sqlite3_errmsg(x->db));
		if (!sqlite3_get_autocommit(x->db))
			sqlite3_exec(x->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

static void
abandon_files(ex *x)
{
	for (size_t i = 0; i < F_ALL; i++)
		export_file_abandon(&x->files[i]);
}

/* Best effort after a failure: undo the rename, then remove the partial
 * folder and what we put in it, by name beneath the handles (plain calls:
 * the seam may be failing). */
static void
clean_up(ex *x)
{
	abandon_files(x);
	if (!x->partial || x->base_fd < 0) {
		export_drawings_finish(&x->drawings);
		return;
	}
	if (x->renamed && x->io->renameat(x->io->ud, x->base_fd, x->final, x->partial) != 0)
		renameat(x->base_fd, x->final, x->base_fd, x->partial);
	export_drawings_abandon(&x->drawings, x->partial_fd);
	static const char *const small[] = { EXPORT_SUMS_NAME, EXPORT_PUB_NAME, EXPORT_SIG_NAME };
	for (size_t i = 0; x->partial_fd >= 0 && i < EXPORT_N_FILES + 3; i++) {
		const char *name = i < EXPORT_N_FILES ? export_file_names[i] : small[i - EXPORT_N_FILES];
		unlinkat(x->partial_fd, name, 0);
		if (i < EXPORT_N_FILES) {
			char sealed[128];
			snprintf(sealed, sizeof sealed, "%s" SEALED_SUFFIX, name);
			unlinkat(x->partial_fd, sealed, 0);
		}
	}
	unlinkat(x->base_fd, x->partial, AT_REMOVEDIR);
}

/* Plain close, not the seam's: a folder handle holds no data, so nothing
 * its close could say changes the outcome (the fsyncs already have). */
static void
close_folders(ex *x)
{
	int *fds[] = { &x->partial_fd, &x->base_fd, &x->tellus_fd };
	for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

/* The database, the kiosk's id and the time the export is named for. */
static int
open_db(ex *x, int64_t *now, tl_error *err)
{
	const export_options *opt = x->opt;
	struct stat sb;
	if (stat(opt->db_path, &sb) != 0)
		return tl_err_sys(err, TL_E_IO, errno, "There is no answers database at %s.",
		                  opt->db_path);
	store_options so = { .read_only = !opt->mark_exported };
	if (store_open(opt->db_path, &so, &x->st, err) != 0)
		return -1;
	x->db = store_db(x->st);
	snprintf(x->kiosk, sizeof x->kiosk, "%s", store_kiosk_id(x->st));
	*now = tl_wall(opt->clock ? opt->clock : tl_clock_system());
	tl_iso8601(*now, x->exported_at);
	return 0;
}

int
export_run(const export_options *opt, export_result *res, tl_error *err)
{
	memset(res, 0, sizeof *res);
	ex x = { .opt = opt, .io = opt->io ? opt->io : export_io_posix(),
	         .tellus_fd = -1, .base_fd = -1, .partial_fd = -1 };
	for (size_t i = 0; i < F_ALL; i++)
		export_file_init(&x.files[i]);
	export_drawings_init(&x.drawings);
	if (!opt->db_path || !opt->to_dir)
		return tl_err(err, TL_E_INVALID, "export needs a database and a folder to write to");
	if (sodium_init() < 0)
		return tl_err(err, TL_E_IO, "could not start the checksum library");
	progress(&x, 0.0, "Getting ready");

	if (opt->office_key_path) {
		if (office_key_load_public(opt->office_key_path, &x.office, err) != 0)
			return tl_err_prefix(err, "Nothing was exported: the office key (setting "
			                     "office_key) cannot be used");
		x.sealing = true;
	}
	int64_t now = 0;
	int rc = open_db(&x, &now, err);
	if (rc != 0)
		return -1;
	rc = export_stick_open(&x.stick, x.io, opt->to_dir, err);
	if (rc == 0)
		rc = choose_sessions(&x, err);
	if (rc == 0 && x.total_sessions == 0) {
		res->nothing_new = true;
		progress(&x, 1.0, "Nothing new to export");
		goto done;
	}
	if (rc == 0)
		rc = make_folders(&x, now, err);
	if (rc == 0)
		rc = write_files(&x, err);
	if (rc == 0)
		rc = check_and_move(&x, err);
	/* the path before the marking: marking is the last step that can fail,
	 * since a failure after it would remove an export whose sessions were
	 * already noted as gone out, and they would never go out again (found
	 * by test_oom_data) */
	if (rc == 0 && !(x.final_path = tl_asprintf("%s/TELLUS/%s/%s", opt->to_dir, x.slug,
	                                             x.final)))
		rc = export_io_fail(err, ENOMEM);
	if (rc == 0 && opt->mark_exported)
		rc = mark_exported(&x, err);
	if (rc == 0) {
		snprintf(res->path, sizeof res->path, "%s", x.final_path);
		res->sessions = x.n_sessions;
		res->answers = x.n_answers;
		res->sealed = x.sealing;
		progress(&x, 1.0, "Done");
	}
done:
	if (rc != 0)
		clean_up(&x);
	abandon_files(&x);
	export_drawings_finish(&x.drawings);
	close_folders(&x);
	sqlite3_exec(x.db, "DROP TABLE IF EXISTS " EXPORT_ROWS_IDS, NULL, NULL, NULL);
	store_close(x.st);
	report_tally_destroy(x.tally);
	export_stick_finish(&x.stick);
	free(x.partial);
	free(x.final);
	free(x.final_path);
	return rc;
}
