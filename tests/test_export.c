/*
 * test_export: verified exports of sessions made through the real session
 * machine, read back by other programs (sha256sum, Python's csv and json),
 * merged, reported; and broken on purpose.
 *
 * What must hold: the files say exactly what people answered (every row,
 * every changed answer with is_latest, skips, declines, choose-many as one
 * row per picture, unfinished sessions marked, in-progress ones left out);
 * a second export carries only what is new; and whichever file-system call
 * fails (every call of a small export, with ENOSPC, EIO and ENOTCONN), a
 * full tmpfs stick, a stick that changes device or gives back other bytes:
 * a plain-words message, nothing marked exported, the database's content
 * unchanged, no folder without the partial name, and the retry succeeds.
 */
#define _XOPEN_SOURCE 700   /* nftw, to empty the temporary folder */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "export/sessions_helper.h"

#include <dirent.h>
#include <errno.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export/export.h"
#include "merge/merge.h"
#include "report/report.h"

static char tmpdir[4096];
static char dbpath[4200];
static flow *school, *clinic;

static int
setup(void **state)
{
	(void)state;
	const char *base = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/tellus-export-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(dbpath, sizeof dbpath, "%s/kiosk.db", tmpdir);
	school = helper_flow("school-day");
	clinic = helper_flow("clinic-visit");
	return school && clinic ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	flow_destroy(school);
	flow_destroy(clinic);
	return rm_tree(tmpdir);
}

static char *
sub(const char *name)
{
	return tl_asprintf("%s/%s", tmpdir, name);
}

/* The standard day: completed with skip, decline and choose-many; a
 * changed answer; one walked away from (unfinished); one on the clinic
 * flow by keyboard; and one still in progress (must not be exported). */
static void
make_day(store *st, json_t **expected_answers, json_t **expected_sessions)
{
	maker m;
	assert_int_equal(maker_init(&m, st, school, 1795000000000LL), 0);
	play(&m, "c3c0c2dsxc1");       /* happy; outside+art; lunch skipped; safe declined; help: friend */
	play(&m, "c0c4dbbc4c1dc2c0");  /* very-sad, music, back twice, very-happy, sport, lunch happy, safe yes */
	play(&m, "c1w");               /* sad, then walks away */
	maker mc;
	assert_int_equal(maker_init(&mc, st, clinic, 1795000500000LL), 0);
	session_start(mc.s);
	later(&mc, 900);
	session_choose(mc.s, 1, INPUT_KEYBOARD);
	later(&mc, 900);
	session_choose(mc.s, 0, INPUT_KEYBOARD);
	later(&mc, 900);
	session_end_unfinished(mc.s);
	settle(&mc);

	/* in progress: started, one answer, never ended */
	maker mp;
	assert_int_equal(maker_init(&mp, st, school, 1795000900000LL), 0);
	session_start(mp.s);
	later(&mp, 1000);
	session_choose(mp.s, 2, INPUT_TOUCH);

	json_t *a = json_copy(m.answers), *s = json_copy(m.sessions);
	json_array_extend(a, mc.answers);
	json_object_update(s, mc.sessions);
	json_array_extend(a, mp.answers);
	json_object_update(s, mp.sessions);
	*expected_answers = a;
	*expected_sessions = s;
	maker_finish(&m);
	maker_finish(&mc);
	maker_finish(&mp);
}

static store *
open_store(const char *path)
{
	store *st = NULL;
	assert_int_equal(store_open(path, NULL, &st, NULL), 0);
	return st;
}

static int
run_export(const char *db, const char *to, bool all, const export_io *io,
           export_result *res, tl_error *err)
{
	export_options opt = {
		.db_path = db, .to_dir = to, .all = all, .mark_exported = true, .io = io,
	};
	return export_run(&opt, res, err);
}

static bool
file_contains(const char *path, const char *needle)
{
	char *data = NULL;
	size_t len = 0;
	if (tl_read_file(path, &data, &len, NULL) != 0)
		return false;
	bool found = strstr(data, needle) != NULL;
	free(data);
	return found;
}

/* Entries of dir not named like ".<...>.partial" (a finished export, or
 * something that pretends to be one). */
static int
finished_folders(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		size_t l = strlen(e->d_name);
		bool partial = e->d_name[0] == '.' && l > 8 && strcmp(e->d_name + l - 8, ".partial") == 0;
		n += !partial;
	}
	closedir(d);
	return n;
}

/* The report says apart how the sessions ended: a database holding two
 * completed sessions, one finished early, one walked away from
 * (unfinished), two a killed kiosk left open and the next start closed
 * as interrupted, and one still in progress (never counted). Read back
 * from the HTML of `tellus report` (the real binary; its summary line
 * too) and of the export's report.html (counted from the export's own
 * tally) by tests/export/check_endings.py, Python's html.parser. */
static void
test_report_endings(void **state)
{
	(void)state;
	char *db = sub("endings.db");
	store *st = open_store(db);
	maker m;
	assert_int_equal(maker_init(&m, st, school, 1795000000000LL), 0);
	play(&m, "c3c0c2dsxc1");       /* completed */
	play(&m, "c2c1dc0xc0");        /* completed */
	play(&m, "c1w");               /* unfinished: walked away */
	session_start(m.s);            /* "I've finished" after one answer */
	later(&m, 900);
	session_choose(m.s, 4, INPUT_TOUCH);
	later(&m, 900);
	session_finish_early(m.s, INPUT_TOUCH);
	settle(&m);
	maker_finish(&m);
	/* two people mid-way when the kiosk was killed... */
	for (int i = 0; i < 2; i++) {
		maker k;
		assert_int_equal(maker_init(&k, st, school, 1795001000000LL + i * 100000), 0);
		session_start(k.s);
		later(&k, 900);
		session_choose(k.s, i, INPUT_TOUCH);
		settle(&k);
		maker_finish(&k);
	}
	/* ...closed as interrupted at the next start */
	int64_t closed = 0;
	assert_int_equal(store_close_interrupted(st, &closed, NULL), 0);
	assert_int_equal(closed, 2);
	/* and one in progress now */
	maker p;
	assert_int_equal(maker_init(&p, st, school, 1795002000000LL), 0);
	session_start(p.s);
	later(&p, 900);
	session_choose(p.s, 2, INPUT_TOUCH);
	settle(&p);
	maker_finish(&p);
	store_close(st);

	char *html = sub("endings.html"), *out = sub("endings.txt");
	assert_int_equal(sh("'%s/tellus' report --db '%s' --out '%s' > '%s'",
	                    getenv("TELLUS_BUILD_ROOT"), db, html, out), 0);
	assert_true(file_contains(out, "6 people (2 completed, 1 completed early, 1 unfinished, "
	                               "2 interrupted)"));
	const char *want = "completed=2 completed_early=1 unfinished=1 interrupted=2";
	assert_int_equal(sh("python3 '%s/tests/export/check_endings.py' '%s' %s",
	                    getenv("TELLUS_SOURCE_ROOT"), html, want), 0);
	char *stick = sub("endings-stick");
	mkdir(stick, 0755);
	export_result res;
	tl_error err;
	assert_int_equal(run_export(db, stick, true, NULL, &res, &err), 0);
	assert_int_equal(res.sessions, 6);
	char *rep = tl_asprintf("%s/report.html", res.path);
	assert_int_equal(sh("python3 '%s/tests/export/check_endings.py' '%s' %s",
	                    getenv("TELLUS_SOURCE_ROOT"), rep, want), 0);
	free(rep);
	/* merged like any other: every session keeps its ending, and the
	 * merged database's report says them apart the same */
	char *master = sub("endings-master.db"), *mhtml = sub("endings-master.html");
	store *ms = open_store(master);
	merge_result mr;
	assert_int_equal(merge_export(ms, res.path, &mr, NULL), 0);
	store_close(ms);
	assert_int_equal(mr.sessions_new, 6);
	assert_int_equal(db_count(master, "SELECT count(*) FROM sessions WHERE status = 'interrupted'"), 2);
	assert_int_equal(db_count(master, "SELECT count(*) FROM sessions WHERE status = 'completed_early'"), 1);
	assert_int_equal(db_count(master, "SELECT count(*) FROM sessions WHERE status = 'unfinished'"), 1);
	report_options ro = { 0 };
	assert_int_equal(report_write_file(master, mhtml, &ro, NULL, NULL), 0);
	assert_int_equal(sh("python3 '%s/tests/export/check_endings.py' '%s' %s",
	                    getenv("TELLUS_SOURCE_ROOT"), mhtml, want), 0);
	free(mhtml);
	free(master);
	free(stick);
	free(out);
	free(html);
	free(db);
}

static void
test_round_trip(void **state)
{
	(void)state;
	char *db = sub("rt.db"), *stick = sub("rt-stick"), *exp = sub("rt-expected.json");
	store *st = open_store(db);
	json_t *answers, *sessions;
	make_day(st, &answers, &sessions);
	int64_t all_answers = store_count_answers(st);
	store_close(st);
	mkdir(stick, 0755);

	export_result res;
	tl_error err;
	assert_int_equal(run_export(db, stick, false, NULL, &res, &err), 0);
	assert_false(res.nothing_new);
	assert_int_equal(res.sessions, 4);   /* the in-progress one stays behind */
	assert_int_equal(res.answers, all_answers - 1);
	assert_non_null(strstr(res.path, "/TELLUS/kiosk-"));

	/* coreutils agrees with the sums */
	assert_int_equal(sh("cd '%s' && sha256sum --quiet --strict -c SHA256SUMS", res.path), 0);

	/* Python's csv and json read back every answer with the right values */
	json_t *exp_doc = json_pack("{s:O, s:O}", "answers", answers, "sessions", sessions);
	assert_int_equal(json_dump_file(exp_doc, exp, JSON_INDENT(1)), 0);
	json_decref(exp_doc);
	assert_int_equal(sh("python3 '%s/tests/export/check_export.py' '%s' '%s'",
	                    getenv("TELLUS_SOURCE_ROOT"), res.path, exp), 0);

	/* marked exactly the exported ones */
	assert_int_equal(db_count(db, "SELECT count(*) FROM sessions WHERE exported_at IS NOT NULL"), 4);
	assert_int_equal(db_count(db, "SELECT count(*) FROM sessions WHERE exported_at IS NULL"
	                              " AND status = 'in_progress'"), 1);

	/* the export's report names every question asked */
	char *rep = tl_asprintf("%s/report.html", res.path);
	assert_true(file_contains(rep, "How was today?"));
	assert_true(file_contains(rep, "What did you do?"));
	assert_true(file_contains(rep, "<symbol id=\"s-face-happy\""));
	assert_false(file_contains(rep, "<script"));
	assert_false(file_contains(rep, "http://") && !file_contains(rep, "http://www.w3.org/2000/svg"));
	free(rep);

	/* merge into a fresh database; again: nothing changes */
	char *master = sub("rt-master.db");
	store *ms = open_store(master);
	merge_result mr;
	assert_int_equal(merge_export(ms, res.path, &mr, NULL), 0);
	assert_int_equal(mr.sessions_new, 4);
	assert_int_equal(mr.sessions_present, 0);
	assert_int_equal(mr.answers_new, res.answers);
	char before[65], after[65];
	db_digest(master, before);
	assert_int_equal(merge_export(ms, res.path, &mr, NULL), 0);
	assert_int_equal(mr.sessions_new, 0);
	assert_int_equal(mr.sessions_present, 4);
	assert_int_equal(mr.answers_new, 0);
	db_digest(master, after);
	assert_string_equal(before, after);
	store_close(ms);
	/* the merged answers are the exported ones, row for row */
	assert_int_equal(db_count(master, "SELECT count(*) FROM answers"), res.answers);
	char *cmp = tl_asprintf("ATTACH '%s' AS k; SELECT count(*) FROM (SELECT session_id, seq,"
	        " question_id, kind, given_at, time_taken_ms, input_method"
	        " FROM k.answers WHERE session_id IN (SELECT id FROM k.sessions WHERE status != 'in_progress')"
	        " EXCEPT SELECT session_id, seq, question_id, kind,"
	        " given_at, time_taken_ms, input_method FROM main.answers)", db);
	assert_int_equal(db_count(master, cmp), 0);
	free(cmp);
	/* and so are their chosen answers, choice for choice */
	cmp = tl_asprintf("ATTACH '%s' AS k; SELECT count(*) FROM (SELECT session_id, seq,"
	        " position, answer_id, answer_label FROM k.answer_choices WHERE session_id IN"
	        " (SELECT id FROM k.sessions WHERE status != 'in_progress')"
	        " EXCEPT SELECT session_id, seq, position, answer_id, answer_label"
	        " FROM main.answer_choices)", db);
	assert_int_equal(db_count(master, cmp), 0);
	free(cmp);
	assert_int_equal(db_count(master, "SELECT count(*) FROM answer_choices"),
	                 db_count(db, "SELECT count(*) FROM answer_choices WHERE session_id IN"
	                              " (SELECT id FROM sessions WHERE status != 'in_progress')"));

	/* the report of the merged database, written by the CLI's code */
	char *html = sub("rt-report.html");
	report_people people = { .total = 0 };
	report_options ro = { 0 };
	assert_int_equal(report_write_file(master, html, &ro, &people, NULL), 0);
	assert_int_equal(people.total, 4);
	const char *texts[] = { "How was today?", "What did you do?", "How was lunch?",
	                        "Did you feel safe?", "Who can help you?" };
	for (size_t i = 0; i < 5; i++)
		assert_true(file_contains(html, texts[i]));
	/* the merged database exports again (--all), under its own kiosk id */
	char *stick2 = sub("rt-stick2");
	mkdir(stick2, 0755);
	assert_int_equal(run_export(master, stick2, true, NULL, &res, &err), 0);
	assert_int_equal(res.sessions, 4);
	assert_int_equal(sh("cd '%s' && sha256sum --quiet --strict -c SHA256SUMS", res.path), 0);

	json_decref(answers);
	json_decref(sessions);
	free(stick2);
	free(html);
	free(master);
	free(db);
	free(stick);
	free(exp);
}

static void
test_only_new(void **state)
{
	(void)state;
	char *db = sub("new.db"), *stick = sub("new-stick");
	store *st = open_store(db);
	json_t *a, *s;
	make_day(st, &a, &s);
	json_decref(a);
	json_decref(s);
	mkdir(stick, 0755);
	export_result res;
	tl_error err;
	assert_int_equal(run_export(db, stick, false, NULL, &res, &err), 0);
	assert_int_equal(res.sessions, 4);
	char *kdir = tl_asprintf("%s/TELLUS/%s", stick, store_kiosk_id(st));
	assert_int_equal(finished_folders(kdir), 1);

	/* nothing new: said so, and no folder written */
	assert_int_equal(run_export(db, stick, false, NULL, &res, &err), 0);
	assert_true(res.nothing_new);
	assert_int_equal(res.sessions, 0);
	assert_string_equal(res.path, "");
	assert_int_equal(finished_folders(kdir), 1);

	/* one more person: only they go */
	maker m;
	assert_int_equal(maker_init(&m, st, school, 1795100000000LL), 0);
	play(&m, "c4c1dc2c0");
	maker_finish(&m);
	assert_int_equal(run_export(db, stick, false, NULL, &res, &err), 0);
	assert_int_equal(res.sessions, 1);
	assert_int_equal(res.answers, 4);
	assert_int_equal(finished_folders(kdir), 2);

	/* --all: everything that has ended, again */
	assert_int_equal(run_export(db, stick, true, NULL, &res, &err), 0);
	assert_int_equal(res.sessions, 5);
	assert_int_equal(finished_folders(kdir), 3);
	assert_int_equal(sh("cd '%s' && sha256sum --quiet --strict -c SHA256SUMS", res.path), 0);
	store_close(st);
	free(kdir);
	free(db);
	free(stick);
}

/* ---- the failing seam ------------------------------------------------- */

typedef struct fault {
	export_io io;
	int calls;      /* every call so far */
	int fail_at;    /* this call fails (0: none) */
	int err;
	int stats;      /* stat calls so far */
	int move_dev_at;  /* from this stat on, another device (0: never) */
	int flip_reads;   /* corrupt what read returns */
} fault;

static bool
hit(fault *f)
{
	if (++f->calls == f->fail_at) {
		errno = f->err;
		return true;
	}
	return false;
}

static int
f_open_root(void *ud, const char *p)
{
	return hit(ud) ? -1 : export_io_posix()->open_root(NULL, p);
}

static int
f_mkdirat(void *ud, int dfd, const char *p, mode_t m)
{
	return hit(ud) ? -1 : export_io_posix()->mkdirat(NULL, dfd, p, m);
}

static int
f_openat(void *ud, int dfd, const char *p, int fl, mode_t m)
{
	return hit(ud) ? -1 : export_io_posix()->openat(NULL, dfd, p, fl, m);
}

static ssize_t
f_write(void *ud, int fd, const void *b, size_t n)
{
	return hit(ud) ? -1 : export_io_posix()->write(NULL, fd, b, n);
}

static ssize_t
f_read(void *ud, int fd, void *b, size_t n)
{
	fault *f = ud;
	if (hit(f))
		return -1;
	ssize_t r = export_io_posix()->read(NULL, fd, b, n);
	if (r > 0 && f->flip_reads)
		((unsigned char *)b)[r / 2] ^= 0x01;
	return r;
}

static int
f_fsync(void *ud, int fd)
{
	return hit(ud) ? -1 : export_io_posix()->fsync(NULL, fd);
}

static int
f_close(void *ud, int fd)
{
	if (hit(ud)) {
		export_io_posix()->close(NULL, fd);   /* the fd is gone either way */
		return -1;
	}
	return export_io_posix()->close(NULL, fd);
}

static int
f_renameat(void *ud, int dfd, const char *a, const char *b)
{
	return hit(ud) ? -1 : export_io_posix()->renameat(NULL, dfd, a, b);
}

static int
f_fstatat(void *ud, int dfd, const char *p, struct stat *st)
{
	return hit(ud) ? -1 : export_io_posix()->fstatat(NULL, dfd, p, st);
}

static int
f_stat(void *ud, const char *p, struct stat *st)
{
	fault *f = ud;
	if (hit(f))
		return -1;
	int rc = export_io_posix()->stat(NULL, p, st);
	if (rc == 0 && f->move_dev_at && ++f->stats >= f->move_dev_at)
		st->st_dev ^= 0x5a5a;
	return rc;
}

static void
fault_init(fault *f, int fail_at, int err)
{
	memset(f, 0, sizeof *f);
	f->io = (export_io){ f_open_root, f_mkdirat, f_openat, f_write, f_read, f_fsync,
	                     f_close, f_renameat, f_fstatat, f_stat, f };
	f->fail_at = fail_at;
	f->err = err;
}

/* A failed export changed nothing and left nothing that looks finished;
 * the next one goes through. Then the slate is wiped for the next fault. */
static void
after_failure(const char *db, const char *stick, const char *kdir, const char *digest,
              const char *err)
{
	char now[65];
	assert_non_null(strstr(err, "Nothing was lost"));
	assert_int_equal(db_count(db, "SELECT count(*) FROM sessions WHERE exported_at IS NOT NULL"), 0);
	db_digest(db, now);
	assert_string_equal(now, digest);
	assert_int_equal(finished_folders(kdir), 0);

	export_result res;
	tl_error e2;
	assert_int_equal(run_export(db, stick, false, NULL, &res, &e2), 0);
	assert_int_equal(res.sessions, 4);
	assert_int_equal(finished_folders(kdir), 1);
	assert_true(db_count(db, "SELECT count(*) FROM sessions WHERE exported_at IS NOT NULL") == 4);

	/* wipe: unmark and remove the export */
	assert_int_equal(db_count(db, "UPDATE sessions SET exported_at = NULL"), 0);
	char *t = tl_asprintf("%s/TELLUS", stick);
	rm_tree(t);
	free(t);
	db_digest(db, now);
	assert_string_equal(now, digest);
}

static void
test_every_call_fails(void **state)
{
	(void)state;
	char *db = sub("fault.db"), *stick = sub("fault-stick");
	store *st = open_store(db);
	json_t *a, *s;
	make_day(st, &a, &s);
	json_decref(a);
	json_decref(s);
	char *kdir = tl_asprintf("%s/TELLUS/%s", stick, store_kiosk_id(st));
	store_close(st);
	mkdir(stick, 0755);
	char digest[65];
	db_digest(db, digest);

	/* count the calls of one good export through the seam */
	fault f;
	fault_init(&f, 0, 0);
	export_result res;
	tl_error err;
	assert_int_equal(run_export(db, stick, false, &f.io, &res, &err), 0);
	int total = f.calls;
	assert_true(total > 20);
	assert_int_equal(db_count(db, "UPDATE sessions SET exported_at = NULL"), 0);
	char *t = tl_asprintf("%s/TELLUS", stick);
	rm_tree(t);
	free(t);

	const int errs[] = { ENOSPC, EIO, ENOTCONN };
	int failures = 0;
	for (size_t e = 0; e < 3; e++)
		for (int n = 1; n <= total; n++) {
			fault_init(&f, n, errs[e]);
			tl_err_clear(&err);
			int rc = run_export(db, stick, false, &f.io, &res, &err);
			if (rc == 0)
				fail_msg("call %d failing with %s went unnoticed", n, strerror(errs[e]));
			failures++;
			if (errs[e] == ENOSPC && !strstr(err.msg, "was removed"))
				assert_non_null(strstr(err.msg, "The USB stick is full"));
			after_failure(db, stick, kdir, digest, err.msg);
		}
	assert_int_equal(failures, 3 * total);
	printf("# %d calls per export, each failed with ENOSPC, EIO and ENOTCONN\n", total);
	free(kdir);
	free(db);
	free(stick);
}

static void
test_pulled_and_lying_stick(void **state)
{
	(void)state;
	char *db = sub("pull.db"), *stick = sub("pull-stick");
	store *st = open_store(db);
	json_t *a, *s;
	make_day(st, &a, &s);
	json_decref(a);
	json_decref(s);
	char *kdir = tl_asprintf("%s/TELLUS/%s", stick, store_kiosk_id(st));
	store_close(st);
	mkdir(stick, 0755);
	char digest[65];
	tl_error err;
	db_digest(db, digest);
	export_result res;

	/* the device under the folder changes at each stat in turn */
	fault f;
	fault_init(&f, 0, 0);
	assert_int_equal(run_export(db, stick, false, &f.io, &res, &err), 0);
	assert_int_equal(db_count(db, "UPDATE sessions SET exported_at = NULL"), 0);
	char *t = tl_asprintf("%s/TELLUS", stick);
	rm_tree(t);
	int stats = 0;
	fault_init(&f, 0, 0);
	f.move_dev_at = 1000000;
	assert_int_equal(run_export(db, stick, false, &f.io, &res, &err), 0);
	stats = f.stats;
	assert_int_equal(db_count(db, "UPDATE sessions SET exported_at = NULL"), 0);
	rm_tree(t);
	for (int k = 2; k <= stats; k++) {
		fault_init(&f, 0, 0);
		f.move_dev_at = k;
		assert_int_equal(run_export(db, stick, false, &f.io, &res, &err), -1);
		assert_non_null(strstr(err.msg, "The USB stick was removed"));
		after_failure(db, stick, kdir, digest, err.msg);
	}

	/* a stick that gives back other bytes than it was given */
	fault_init(&f, 0, 0);
	f.flip_reads = 1;
	assert_int_equal(run_export(db, stick, false, &f.io, &res, &err), -1);
	assert_non_null(strstr(err.msg, "different from what was written"));
	after_failure(db, stick, kdir, digest, err.msg);

	/* a folder that is not there */
	char *gone = sub("no-such-stick");
	assert_int_equal(run_export(db, gone, false, NULL, &res, &err), -1);
	assert_non_null(strstr(err.msg, "Is the USB stick plugged in?"));
	free(gone);
	free(t);
	free(kdir);
	free(db);
	free(stick);
}

static void
test_full_tmpfs_stick(void **state)
{
	(void)state;
	if (geteuid() != 0) {
		printf("# skipped: mounting a small tmpfs needs root\n");
		skip();
	}
	char *small = sub("small-stick"), *big = sub("big-stick"), *db = sub("full.db");
	mkdir(small, 0755);
	mkdir(big, 0755);
	if (mount("tmpfs", small, "tmpfs", 0, "size=64k") != 0) {
		printf("# skipped: cannot mount a tmpfs here: %s\n", strerror(errno));
		free(small);
		free(big);
		free(db);
		skip();
	}
	store *st = open_store(db);
	maker m;
	assert_int_equal(maker_init(&m, st, school, 1795200000000LL), 0);
	for (int i = 0; i < 150; i++)
		play(&m, i % 3 ? "c3c0c2c4dc1c1c2" : "c1c1dsc1c3");
	maker_finish(&m);
	store_close(st);
	char digest[65];
	tl_error err;
	db_digest(db, digest);

	export_result res;
	int rc = run_export(db, small, false, NULL, &res, &err);
	assert_int_equal(rc, -1);
	assert_string_equal(err.msg, export_errno_message(ENOSPC));
	assert_non_null(strstr(err.msg, "The USB stick is full"));
	assert_int_equal(db_count(db, "SELECT count(*) FROM sessions WHERE exported_at IS NOT NULL"), 0);
	char now[65];
	db_digest(db, now);
	assert_string_equal(now, digest);
	char *t = tl_asprintf("%s/TELLUS", small);
	DIR *d = opendir(t);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			char *kd = tl_asprintf("%s/%s", t, e->d_name);
			assert_int_equal(finished_folders(kd), 0);
			free(kd);
		}
		closedir(d);
	}
	free(t);
	assert_int_equal(umount(small), 0);

	assert_int_equal(run_export(db, big, false, NULL, &res, &err), 0);
	assert_int_equal(res.sessions, 150);
	assert_true(db_count(db, "SELECT count(*) FROM sessions WHERE exported_at IS NOT NULL") == 150);
	free(small);
	free(big);
	free(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_report_endings),
		cmocka_unit_test(test_only_new),
		cmocka_unit_test(test_every_call_fails),
		cmocka_unit_test(test_pulled_and_lying_stick),
		cmocka_unit_test(test_full_tmpfs_stick),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
