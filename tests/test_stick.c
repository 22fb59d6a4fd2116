/*
 * test_stick: a stick cannot trick the kiosk or the merge.
 *
 * - Export: TELLUS/ on the stick a link to a folder elsewhere, then
 *   TELLUS/<kiosk>/ a link: the export stops and says why (a link), writes
 *   nothing outside the stick (the link's target stays empty), marks
 *   nothing; with the link gone the next export goes through and verifies
 *   (sha256sum -c). A first export fsyncs each folder it makes and its
 *   parent (counted through the I/O seam).
 * - Merge: a FIFO, a link to /dev/zero, a link to a real file elsewhere and
 *   a file over the size limit (merge_options.max_file_bytes) where an
 *   export's file should be: each refused within a second, the master
 *   database unchanged (its digest).
 */
#define _XOPEN_SOURCE 700
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "export/sessions_helper.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "export/export.h"
#include "merge/merge.h"

static char tmpdir[4096];
static flow *school;

static int
setup(void **state)
{
	(void)state;
	const char *base = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/tellus-stick-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmpdir))
		return -1;
	school = helper_flow("school-day");
	return school ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	flow_destroy(school);
	return rm_tree(tmpdir);
}

static char *
sub(const char *name)
{
	return tl_asprintf("%s/%s", tmpdir, name);
}

/* A kiosk database with three ended sessions; its kiosk id into kiosk. */
static char *
kiosk_db(const char *name, char kiosk[64])
{
	char *db = sub(name);
	store *st = NULL;
	assert_int_equal(store_open(db, NULL, &st, NULL), 0);
	snprintf(kiosk, 64, "%s", store_kiosk_id(st));
	maker m;
	assert_int_equal(maker_init(&m, st, school, 1795000000000LL), 0);
	play(&m, "c3c0c2dsxc1");
	play(&m, "c0c4dbbc4c1dc2c0");
	play(&m, "c1w");
	maker_finish(&m);
	store_close(st);
	return db;
}

static int
entries(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

static int
export_to(const char *db, const char *to, const export_io *io, export_result *res,
          tl_error *err)
{
	export_options opt = { .db_path = db, .to_dir = to, .mark_exported = true, .io = io };
	return export_run(&opt, res, err);
}

/* Refused because of a link: nothing outside the stick, nothing marked. */
static void
refused_for_a_link(const char *db, const char *stick, const char *outside, const char *digest)
{
	export_result res;
	tl_error err;
	tl_err_clear(&err);
	assert_int_equal(export_to(db, stick, NULL, &res, &err), -1);
	if (!strstr(err.msg, "holds a link"))
		fail_msg("the export did not say why (errno %d): %s", err.sys, err.msg);
	assert_non_null(strstr(err.msg, "Nothing was lost"));
	assert_int_equal(entries(outside), 0);
	assert_int_equal(db_count(db, "SELECT count(*) FROM sessions WHERE exported_at IS NOT NULL"), 0);
	char now[65];
	db_digest(db, now);
	assert_string_equal(now, digest);
}

static void
links_on_the_stick_stop_the_export(void **state)
{
	(void)state;
	char kiosk[64];
	char *db = kiosk_db("links.db", kiosk);
	char *stick = sub("stick"), *outside = sub("kiosk-own-disk");
	assert_int_equal(mkdir(stick, 0755), 0);
	assert_int_equal(mkdir(outside, 0755), 0);
	char digest[65];
	db_digest(db, digest);

	/* TELLUS itself a link off the stick */
	char *tellus = tl_asprintf("%s/TELLUS", stick);
	assert_int_equal(symlink(outside, tellus), 0);
	refused_for_a_link(db, stick, outside, digest);
	/* a relative link climbing out, the same */
	assert_int_equal(unlink(tellus), 0);
	assert_int_equal(symlink("../kiosk-own-disk", tellus), 0);
	refused_for_a_link(db, stick, outside, digest);

	/* TELLUS a real folder, TELLUS/<kiosk> the link */
	assert_int_equal(unlink(tellus), 0);
	assert_int_equal(mkdir(tellus, 0755), 0);
	char *kdir = tl_asprintf("%s/%s", tellus, kiosk);
	assert_int_equal(symlink(outside, kdir), 0);
	refused_for_a_link(db, stick, outside, digest);
	/* a link to a folder on the stick itself is refused too: never followed */
	char *elsewhere = tl_asprintf("%s/elsewhere", stick);
	assert_int_equal(mkdir(elsewhere, 0755), 0);
	assert_int_equal(unlink(kdir), 0);
	assert_int_equal(symlink(elsewhere, kdir), 0);
	refused_for_a_link(db, stick, outside, digest);
	assert_int_equal(entries(elsewhere), 0);

	/* the link gone: the export goes through and checks */
	assert_int_equal(unlink(kdir), 0);
	export_result res;
	tl_error err;
	assert_int_equal(export_to(db, stick, NULL, &res, &err), 0);
	assert_int_equal(res.sessions, 3);
	assert_non_null(strstr(res.path, kdir));
	assert_int_equal(sh("cd '%s' && sha256sum --quiet --strict -c SHA256SUMS", res.path), 0);
	assert_int_equal(entries(outside), 0);
	free(elsewhere);
	free(kdir);
	free(tellus);
	free(outside);
	free(stick);
	free(db);
}

/* ---- every folder made is fsynced, and its parent ------------------------ */

typedef struct watch {
	export_io io;
	int fsynced[64];   /* inodes of the folders fsynced */
	int n;
} watch;

static int w_open_root(void *ud, const char *p) { (void)ud; return export_io_posix()->open_root(NULL, p); }
static int w_mkdirat(void *ud, int d, const char *p, mode_t m) { (void)ud; return export_io_posix()->mkdirat(NULL, d, p, m); }
static int w_openat(void *ud, int d, const char *p, int f, mode_t m) { (void)ud; return export_io_posix()->openat(NULL, d, p, f, m); }
static ssize_t w_write(void *ud, int fd, const void *b, size_t n) { (void)ud; return export_io_posix()->write(NULL, fd, b, n); }
static ssize_t w_read(void *ud, int fd, void *b, size_t n) { (void)ud; return export_io_posix()->read(NULL, fd, b, n); }
static int w_close(void *ud, int fd) { (void)ud; return export_io_posix()->close(NULL, fd); }
static int w_renameat(void *ud, int d, const char *a, const char *b) { (void)ud; return export_io_posix()->renameat(NULL, d, a, b); }
static int w_fstatat(void *ud, int d, const char *p, struct stat *st) { (void)ud; return export_io_posix()->fstatat(NULL, d, p, st); }
static int w_stat(void *ud, const char *p, struct stat *st) { (void)ud; return export_io_posix()->stat(NULL, p, st); }

static int
w_fsync(void *ud, int fd)
{
	watch *w = ud;
	struct stat sb;
	if (fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode) && w->n < 64)
		w->fsynced[w->n++] = (int)sb.st_ino;
	return export_io_posix()->fsync(NULL, fd);
}

static bool
was_fsynced(const watch *w, const char *path)
{
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	for (int i = 0; i < w->n; i++)
		if (w->fsynced[i] == (int)sb.st_ino)
			return true;
	return false;
}

static void
new_folders_are_fsynced_with_their_parents(void **state)
{
	(void)state;
	char kiosk[64];
	char *db = kiosk_db("fsync.db", kiosk);
	char *stick = sub("new-stick");
	assert_int_equal(mkdir(stick, 0755), 0);
	watch w = { .io = { w_open_root, w_mkdirat, w_openat, w_write, w_read, w_fsync, w_close,
	                    w_renameat, w_fstatat, w_stat, NULL } };
	w.io.ud = &w;
	export_result res;
	tl_error err;
	assert_int_equal(export_to(db, stick, &w.io, &res, &err), 0);
	char *tellus = tl_asprintf("%s/TELLUS", stick);
	char *kdir = tl_asprintf("%s/TELLUS/%s", stick, kiosk);
	const char *must[] = { stick, tellus, kdir, res.path };
	for (size_t i = 0; i < 4; i++)
		if (!was_fsynced(&w, must[i]))
			fail_msg("%s was not fsynced", must[i]);
	free(kdir);
	free(tellus);
	free(stick);
	free(db);
}

/* ---- merge opens only plain files of the export's own names ---------------- */

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A fresh copy of a good export, named name. */
static char *
copy_export(const char *good, const char *name)
{
	char *d = sub(name);
	assert_int_equal(sh("cp -a '%s' '%s'", good, d), 0);
	return d;
}

static void
expect_refused_fast(const char *master, const char *dir, const merge_options *mo,
                    const char *why)
{
	char before[65], after[65];
	db_digest(master, before);
	store *st = NULL;
	assert_int_equal(store_open(master, NULL, &st, NULL), 0);
	merge_result r;
	tl_error e;
	double t0 = now_s();
	int rc = merge_export_opt(st, dir, mo, &r, &e);
	double took = now_s() - t0;
	store_close(st);
	assert_int_equal(rc, -1);
	assert_true(r.refused);
	if (!strstr(r.why.msg, why))
		fail_msg("%s: refused for \"%s\", not \"%s\"", dir, r.why.msg, why);
	if (took >= 1.0)
		fail_msg("%s: refusing took %.2f s", dir, took);
	db_digest(master, after);
	assert_string_equal(before, after);
	printf("# %s: refused in %.3f s: %s\n", strrchr(dir, '/') + 1, took, r.why.msg);
}

static void
merge_refuses_what_is_not_the_export(void **state)
{
	(void)state;
	char kiosk[64];
	char *db = kiosk_db("merge-src.db", kiosk);
	char *stick = sub("merge-stick");
	assert_int_equal(mkdir(stick, 0755), 0);
	export_result res;
	tl_error err;
	assert_int_equal(export_to(db, stick, NULL, &res, &err), 0);
	char *master = sub("master.db");
	store *st = NULL;
	assert_int_equal(store_open(master, NULL, &st, NULL), 0);
	store_close(st);

	/* a FIFO with the sum of the real file left in SHA256SUMS */
	char *d = copy_export(res.path, "fifo");
	assert_int_equal(sh("cd '%s' && rm answers.csv && mkfifo answers.csv", d), 0);
	expect_refused_fast(master, d, NULL, "answers.csv cannot be read (it is not a plain file)");
	free(d);
	/* a link to /dev/zero, summed as if it were the file */
	d = copy_export(res.path, "devzero");
	assert_int_equal(sh("cd '%s' && rm report.html && ln -s /dev/zero report.html", d), 0);
	expect_refused_fast(master, d, NULL, "report.html cannot be read (it is a link");
	free(d);
	/* a link to a plain file elsewhere, holding the very same bytes */
	d = copy_export(res.path, "elsewhere");
	char *real = sub("elsewhere-sessions.csv");
	assert_int_equal(sh("cd '%s' && mv sessions.csv '%s' && ln -s '%s' sessions.csv", d, real,
	                    real), 0);
	expect_refused_fast(master, d, NULL, "sessions.csv cannot be read (it is a link");
	free(real);
	free(d);
	/* SHA256SUMS itself a link */
	d = copy_export(res.path, "sums-link");
	char *sums = sub("elsewhere-SHA256SUMS");
	assert_int_equal(sh("cd '%s' && mv SHA256SUMS '%s' && ln -s '%s' SHA256SUMS", d, sums,
	                    sums), 0);
	expect_refused_fast(master, d, NULL, "SHA256SUMS file cannot be read (it is a link");
	free(sums);
	free(d);
	/* a name that is not one of the export's own */
	d = copy_export(res.path, "extra-name");
	assert_int_equal(sh("cd '%s' && echo hi > notes.txt && sha256sum notes.txt >> SHA256SUMS",
	                    d), 0);
	/* signed again with the kiosk's own key (minisign), so that only the
	 * name check stands in the way */
	assert_int_equal(sh("cd '%s' && tc=\"$(sed -n 's/^trusted comment: //p' SHA256SUMS.minisig)\""
	                    " && rm SHA256SUMS.minisig && minisign -S -s '%s-kiosk.key' -m SHA256SUMS"
	                    " -t \"$tc\" > /dev/null", d, db), 0);
	expect_refused_fast(master, d, NULL, "names notes.txt, which is not a file of a Tellus export");
	free(d);
	/* over the limit: a sparse 2 GB report.html, refused from its size
	 * under the default limit, before a byte is read */
	d = copy_export(res.path, "huge");
	assert_int_equal(sh("truncate -s 2G '%s/report.html'", d), 0);
	expect_refused_fast(master, d, NULL, "report.html is too big to merge: it is over 512 MB");
	free(d);
	/* and under a limit of 1 MB, a 3 MB answers.csv */
	d = copy_export(res.path, "over-limit");
	assert_int_equal(sh("truncate -s 3M '%s/answers.csv'", d), 0);
	merge_options mo = { .max_file_bytes = 1 << 20 };
	expect_refused_fast(master, d, &mo, "answers.csv is too big to merge: it is over 1 MB");
	free(d);
	assert_int_equal(db_count(master, "SELECT count(*) FROM sessions"), 0);

	/* the good export itself merges, under the same small limit */
	assert_int_equal(store_open(master, NULL, &st, NULL), 0);
	merge_result r;
	tl_error e;
	assert_int_equal(merge_export_opt(st, res.path, &mo, &r, &e), 0);
	assert_int_equal(r.sessions_new, 3);
	store_close(st);
	free(master);
	free(stick);
	free(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(links_on_the_stick_stop_the_export),
		cmocka_unit_test(new_folders_are_fsynced_with_their_parents),
		cmocka_unit_test(merge_refuses_what_is_not_the_export),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
