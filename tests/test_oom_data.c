/*
 * test_oom_data: memory running out on purpose in the modules that keep
 * and move answers (the store, the PIN, the export, merge, the report, the
 * mount table), in the style of SQLite's malloc tests: the 1st allocation
 * fails, then the 2nd, and so on until a run makes none fail.
 *
 * Counted, on one counter: the core's own malloc, calloc and realloc
 * (wrapped at link time, -Wl,--wrap=...), SQLite's (SQLITE_CONFIG_MALLOC
 * around its default allocator), jansson's (json_set_alloc_funcs) and
 * OpenSSL's (CRYPTO_set_mem_functions), after their one-time start-up. Not
 * counted: libsodium's, libmount's, libfyaml's and libc's own, which offer
 * no hook, and jansson's while merge reads export.json, because jansson
 * 2.14 crashes when one of those fails (merge_out_of_memory says more).
 * test_oom.c covers the flow, session and settings modules.
 *
 * What must hold each time an allocation fails: the call fails (or, when
 * SQLite absorbed the failure as it may, succeeds with everything done),
 * says why, hands out nothing, leaks nothing (ASan), and leaves nothing
 * half-done on disk: a database that opens again and holds either the whole
 * record or none of it, a stick with no export folder and no session
 * marked exported, a master database exactly as it was, no report file.
 * Reads (staff Today's store_read_today_flows) must besides leave the
 * handle as it was: the next read on it, nothing failing, reads the same.
 */
#define _XOPEN_SOURCE 700
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export/sessions_helper.h"
#include "export/export.h"
#include "export/mounts.h"
#include "merge/merge.h"
#include "pin/pin.h"
#include "report/report.h"
#include "store/store_read.h"
#include "oom_wrap.h"

/* ---- one counter for every allocator ------------------------------------ */

static sqlite3_mem_methods sqlite_default;
static void *sq_malloc(int n) { return oom_this_one_fails() ? NULL : sqlite_default.xMalloc(n); }
static void *sq_realloc(void *p, int n) { return oom_this_one_fails() ? NULL : sqlite_default.xRealloc(p, n); }

static void *js_malloc(size_t n) { return oom_this_one_fails() ? NULL : __real_malloc(n); }
static void *js_malloc_uncounted(size_t n) { return __real_malloc(n); }
static void js_free(void *p) { free(p); }

static void *ossl_malloc(size_t n, const char *f, int l) { (void)f; (void)l; return oom_this_one_fails() ? NULL : __real_malloc(n); }
static void *ossl_realloc(void *p, size_t n, const char *f, int l) { (void)f; (void)l; return oom_this_one_fails() ? NULL : __real_realloc(p, n); }
static void ossl_free(void *p, const char *f, int l) { (void)f; (void)l; free(p); }

/* Before SQLite and OpenSSL allocate anything. */
static void
hook_allocators(void)
{
	if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &sqlite_default) != SQLITE_OK)
		abort();
	sqlite3_mem_methods m = sqlite_default;
	m.xMalloc = sq_malloc;
	m.xRealloc = sq_realloc;
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &m) != SQLITE_OK)
		abort();
	json_set_alloc_funcs(js_malloc, js_free);
	if (!CRYPTO_set_mem_functions(ossl_malloc, ossl_realloc, ossl_free))
		abort();
}

/* Running out must be said as such, not passed off as something else: a
 * broken file, a foreign database, a full disk. One exception, SQLite's
 * own: memory failing while it opens its temporary file comes back as
 * SQLITE_CANTOPEN ("unable to open a temporary database file"), which is
 * passed on as it says. */
static void
says_out_of_memory(const tl_error *e)
{
	bool said = e->code == TL_E_NOMEM || strstr(e->msg, "out of memory") ||
	            (e->code == TL_E_DB && strstr(e->msg, "temporary database file"));
	if (!said)
		fprintf(stderr, "allocation %ld failed; said (code %d): %s\n", oom_fail_at(), e->code, e->msg);
	assert_true(said);
}

/* What a test went through, for the log: how many allocations the whole
 * call makes, so each was failed once. */
static void
tell(const char *what, long runs)
{
	fprintf(stderr, "%s: %ld allocations, each failed once in turn\n", what, runs);
}

/* ---- files ---------------------------------------------------------------- */

/* on tmpfs: thousands of databases are made, and fsync there costs nothing */
static char tmpdir[] = "/dev/shm/tellus-oom-data-XXXXXX";

static char *
sub(const char *name)
{
	return tl_asprintf("%s/%s", tmpdir, name);
}

static void
unlink_db(const char *path)
{
	const char *ext[] = { "", "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < 4; i++) {
		char *p = tl_asprintf("%s%s", path, ext[i]);
		unlink(p);
		free(p);
	}
}

static long long n_files;

static int
count_file(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)path; (void)sb; (void)ftw;
	if (flag == FTW_F)
		n_files++;
	return 0;
}

/* Files anywhere under dir (in-process: this runs thousands of times). */
static long long
files_under(const char *dir)
{
	n_files = 0;
	assert_int_equal(nftw(dir, count_file, 16, FTW_PHYS), 0);
	return n_files;
}

static flow *school;

static int
setup(void **state)
{
	(void)state;
	if (!mkdtemp(tmpdir))
		return -1;
	school = helper_flow("school-day");
	/* SQLite's and OpenSSL's one-time start-up (thousands of allocations
	 * that are made once per process, not per call) before any is failed */
	unsigned char d[TL_SHA256_BYTES];
	if (sqlite3_initialize() != SQLITE_OK || tl_sha256_buf("", 0, d) != 0)
		return -1;
	return school ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	flow_destroy(school);
	rm_tree(tmpdir);
	return 0;
}

/* A database with two sessions of the school-day flow, made with nothing
 * failing: one completed with a choose-many answer, one walked away from. */
static void
make_db(const char *path)
{
	unlink_db(path);
	store *st = NULL;
	assert_int_equal(store_open(path, NULL, &st, NULL), 0);
	maker m;
	assert_int_equal(maker_init(&m, st, school, 1795000000000LL), 0);
	play(&m, "c3c0c2dsxc1");
	play(&m, "c1w");
	maker_finish(&m);
	store_close(st);
}

/* ---- the store ------------------------------------------------------------ */

/* A new database opened (created and migrated to the current version) with
 * each allocation failing in turn: a failure leaves a file that opens. */
static void
store_open_out_of_memory(void **state)
{
	(void)state;
	char *path = sub("open.db");
	long runs = 0;
	for (long nth = 1;; nth++) {
		unlink_db(path);
		store *st = (store *)1;
		tl_error e = { 0 };
		oom_arm(nth);
		int rc = store_open(path, NULL, &st, &e);
		oom_disarm();
		if (rc == 0) {
			assert_non_null(st);
			assert_int_equal(store_user_version(st), STORE_SCHEMA_VERSION);
			assert_non_null(store_kiosk_id(st));
			store_close(st);
			if (!oom_failed())
				break;
			continue;
		}
		runs++;
		assert_int_equal(rc, -1);
		assert_null(st);
		says_out_of_memory(&e);
		/* nothing half-made: the file, if any, opens and migrates now */
		assert_int_equal(store_open(path, NULL, &st, &e), 0);
		assert_int_equal(store_user_version(st), STORE_SCHEMA_VERSION);
		assert_int_equal(db_count(path, "SELECT count(*) FROM sessions"), 0);
		store_close(st);
	}
	assert_true(runs > 20);
	tell("store_open", runs);
	unlink_db(path);
	free(path);
}

/* One session's records stored with each allocation failing in turn. Each
 * record is whole or absent; the first to fail stops the script, as the
 * writer would retry it. */
static void
store_write_out_of_memory(void **state)
{
	(void)state;
	char *path = sub("write.db");
	static const char *const ids[] = { "sport", "art" }, *const labels[] = { "Sport", "Art" };
	long runs = 0;
	for (long nth = 1;; nth++) {
		unlink_db(path);
		store *st = NULL;
		assert_int_equal(store_open(path, NULL, &st, NULL), 0);
		store_session s = { .id = "11111111-2222-4333-8444-555555555555", .flow_id = "school-day",
		                    .flow_version = 1, .flow_hash = school->hash,
		                    .flow_source = school->source, .language = "en",
		                    .presentation = "large-symbol", .started_wall_ms = 1795000000000LL };
		store_answer a = { .session_id = s.id, .seq = 1, .question_id = "liked",
		                   .question_index = 1, .question_text = "What did you like?",
		                   .kind = "chosen", .n_choices = 2, .choice_ids = ids,
		                   .choice_labels = labels, .given_wall_ms = 1795000001000LL,
		                   .time_taken_ms = 900, .input_method = "touch" };
		store_answer b = a;
		b.seq = 2;
		b.kind = "skipped";
		b.n_choices = 0;
		b.choice_ids = NULL;
		b.choice_labels = NULL;
		tl_error e = { 0 };
		int done = 0;
		oom_arm(nth);
		if (store_begin_session(st, &s, &e) == 0 && ++done &&
		    store_add_answer(st, &a, &e) == 0 && ++done &&
		    store_add_answer(st, &b, &e) == 0 && ++done &&
		    store_end_session(st, s.id, "completed", 1795000002000LL, &e) == 0)
			++done;
		oom_disarm();
		store_close(st);
		if (done < 4) {
			runs++;
			says_out_of_memory(&e);
		}
		/* exactly what was acknowledged, and each record whole */
		assert_int_equal(db_count(path, "SELECT count(*) FROM sessions"), done >= 1);
		assert_int_equal(db_count(path, "SELECT count(*) FROM answers"), done >= 3 ? 2 : done >= 2);
		assert_int_equal(db_count(path, "SELECT count(*) FROM answer_choices"), done >= 2 ? 2 : 0);
		assert_int_equal(db_count(path, "SELECT count(*) FROM sessions WHERE status = 'completed'"),
		                 done == 4);
		assert_int_equal(db_count(path, "SELECT count(*) FROM flows"), done >= 1);
		if (!oom_failed()) {
			assert_int_equal(done, 4);
			break;
		}
	}
	assert_true(runs > 10);
	tell("store writes", runs);
	unlink_db(path);
	free(path);
}

/* ---- staff Today's read -------------------------------------------------- */

#define PER_Q 8   /* counts kept per question: more than any demo question's answers */

typedef struct today_read {
	store_today t[2];
	int counts[2][64 * PER_Q];
} today_read;

/* Both flows' numbers since the first session's day, as staff Today reads
 * every offered flow in one call (clinic-visit has no sessions here). */
static int
read_today(store *st, const flow *const *flows, today_read *r, tl_error *e)
{
	for (size_t i = 0; i < 2; i++) {
		assert_true(flows[i]->n_questions <= 64);
		r->t[i] = (store_today){ .sessions = -7, .flow_sessions = -7, .counts = r->counts[i],
		                         .per_question = PER_Q };
		memset(r->counts[i], 0x5a, sizeof r->counts[i]);   /* zeroed by the read */
	}
	char since[32];
	tl_iso8601(1795000000000LL - 3600 * 1000, since);
	return store_read_today_flows(st, flows, 2, since, r->t, e);
}

static void
same_today(const flow *const *flows, const today_read *a, const today_read *b)
{
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(a->t[i].sessions, b->t[i].sessions);
		assert_int_equal(a->t[i].flow_sessions, b->t[i].flow_sessions);
		size_t n = flows[i]->n_questions * PER_Q;
		assert_memory_equal(a->counts[i], b->counts[i], n * sizeof a->counts[i][0]);
	}
}

/* Staff Today's read of two flows on one open store, each allocation
 * failing in turn: it fails saying so, or (SQLite absorbing the failure)
 * reads what it reads with nothing failing; either way the handle reads the
 * same again afterwards, with no transaction left open. */
static void
store_read_out_of_memory(void **state)
{
	(void)state;
	char *path = sub("read.db");
	make_db(path);
	flow *clinic = helper_flow("clinic-visit");
	assert_non_null(clinic);
	const flow *flows[2] = { school, clinic };
	store *st = NULL;
	assert_int_equal(store_open(path, NULL, &st, NULL), 0);
	static today_read want, got, again;
	assert_int_equal(read_today(st, flows, &want, NULL), 0);
	assert_int_equal(want.t[0].sessions, 2);
	assert_int_equal(want.t[0].flow_sessions, 2);
	assert_int_equal(want.t[1].flow_sessions, 0);
	long runs = 0;
	for (long nth = 1;; nth++) {
		tl_error e = { 0 };
		oom_arm(nth);
		int rc = read_today(st, flows, &got, &e);
		oom_disarm();
		if (rc != 0) {
			runs++;
			assert_int_equal(rc, -1);
			says_out_of_memory(&e);
		} else {
			same_today(flows, &want, &got);
		}
		tl_error e2 = { 0 };
		if (read_today(st, flows, &again, &e2) != 0)
			fail_msg("allocation %ld failed; the next read said: %s", nth, e2.msg);
		same_today(flows, &want, &again);
		if (rc == 0 && !oom_failed())
			break;
	}
	assert_true(runs > 5);
	tell("store_read_today_flows", runs);
	store_close(st);
	flow_destroy(clinic);
	unlink_db(path);
	free(path);
}

/* ---- the PIN -------------------------------------------------------------- */

static void
pin_out_of_memory(void **state)
{
	(void)state;
	char *path = sub("pin.db");
	long runs = 0;
	for (long nth = 1;; nth++) {
		unlink_db(path);
		store *st = NULL;
		assert_int_equal(store_open(path, NULL, &st, NULL), 0);
		tl_error e = { 0 };
		oom_arm(nth);
		int rc = pin_set(st, "483920", PIN_MIN_DIGITS, &e);
		oom_disarm();
		if (rc != 0) {
			runs++;
			says_out_of_memory(&e);
			assert_int_equal(pin_is_set(st, NULL), 0);   /* nothing changed */
		} else {
			assert_int_equal(pin_is_set(st, NULL), 1);
		}
		if (!oom_failed()) {
			assert_int_equal(rc, 0);
			/* and checking it: a failure is never "right" nor "wrong" */
			for (long k = 1;; k++) {
				enum pin_result r = PIN_NOT_SET;
				oom_arm(k);
				int crc = pin_check(st, "483920", 1795000000000LL, &r, NULL, &e);
				oom_disarm();
				if (crc == 0)
					assert_int_equal(r, PIN_OK);
				else
					says_out_of_memory(&e);
				if (!oom_failed())
					break;
			}
			int failures = -1;
			int64_t wait = -1;
			assert_int_equal(pin_wait_ms(st, 1795000000000LL, &wait, &failures, NULL), 0);
			assert_int_equal(failures, 0);   /* no failed allocation counted as a wrong try */
			store_close(st);
			break;
		}
		store_close(st);
	}
	assert_true(runs > 3);
	tell("pin_set", runs);
	unlink_db(path);
	free(path);
}

/* ---- the export ----------------------------------------------------------- */

static void
export_out_of_memory(void **state)
{
	(void)state;
	char *db = sub("export.db"), *stick = sub("stick");
	make_db(db);
	long runs = 0;
	if (getenv("OOM_CENSUS")) {
		rm_tree(stick);
		assert_int_equal(mkdir(stick, 0755), 0);
		export_options o = { .db_path = db, .to_dir = stick };
		export_result res;
		oom_arm(0);
		assert_int_equal(export_run(&o, &res, NULL), 0);
		fprintf(stderr, "export_run makes %ld allocations\n", oom_made());
	}
	for (long nth = 1;; nth++) {
		rm_tree(stick);
		assert_int_equal(mkdir(stick, 0755), 0);
		export_options o = { .db_path = db, .to_dir = stick, .mark_exported = true };
		export_result res;
		tl_error e = { 0 };
		oom_arm(nth);
		int rc = export_run(&o, &res, &e);
		oom_disarm();
		if (rc != 0) {
			runs++;
			says_out_of_memory(&e);
			/* nothing on the stick, nothing marked */
			assert_int_equal(files_under(stick), 0);
			assert_int_equal(db_count(db, "SELECT count(*) FROM sessions WHERE exported_at IS NOT NULL"), 0);
		} else {
			assert_int_equal(res.sessions, 2);
			assert_int_equal(sh("cd '%s' && sha256sum --quiet -c SHA256SUMS", res.path), 0);
			assert_int_equal(db_count(db, "SELECT count(*) FROM sessions WHERE exported_at IS NOT NULL"), 2);
			if (!oom_failed())
				break;
			assert_int_equal(db_count(db, "UPDATE sessions SET exported_at = NULL RETURNING 0"), 0);
		}
	}
	assert_true(runs > 50);
	tell("export_run", runs);
	rm_tree(stick);
	unlink_db(db);
	free(stick);
	free(db);
}

/* ---- merge ---------------------------------------------------------------- */

static void
merge_out_of_memory(void **state)
{
	(void)state;
	char *db = sub("kiosk.db"), *stick = sub("merge-stick"), *master = sub("master.db");
	make_db(db);
	rm_tree(stick);
	assert_int_equal(mkdir(stick, 0755), 0);
	export_options o = { .db_path = db, .to_dir = stick };
	export_result res;
	assert_int_equal(export_run(&o, &res, NULL), 0);

	/* jansson 2.14 (Debian 12's) crashes inside json_loadb when one of its
	 * own allocations fails (a segfault in libjansson, seen here), so
	 * jansson's allocations are left out of this test: only the core's and
	 * SQLite's fail. A first merge installs merge_read's allocator watch;
	 * it is replaced by one that is not counted. */
	merge_result mr0;
	store *st0 = NULL;
	char *scratch = sub("scratch.db");
	assert_int_equal(store_open(scratch, NULL, &st0, NULL), 0);
	assert_int_equal(merge_export(st0, res.path, &mr0, NULL), 0);
	store_close(st0);
	unlink_db(scratch);
	free(scratch);
	json_set_alloc_funcs(js_malloc_uncounted, js_free);

	long runs = 0;
	for (long nth = 1;; nth++) {
		unlink_db(master);
		store *st = NULL;
		assert_int_equal(store_open(master, NULL, &st, NULL), 0);
		store_close(st);
		char before[65], after[65];
		db_digest(master, before);
		assert_int_equal(store_open(master, NULL, &st, NULL), 0);
		merge_result mr;
		tl_error e = { 0 };
		oom_arm(nth);
		int rc = merge_export(st, res.path, &mr, &e);
		oom_disarm();
		store_close(st);
		if (rc == 0 && mr.refused) {   /* refused whole: the why is in the result */
			rc = -1;
			e = mr.why;
		}
		if (rc != 0) {
			runs++;
			says_out_of_memory(&e);
			db_digest(master, after);
			assert_string_equal(after, before);   /* the master exactly as it was */
		} else {
			assert_int_equal(db_count(master, "SELECT count(*) FROM sessions"), 2);
			assert_int_equal(db_count(master, "SELECT count(*) FROM answer_choices"),
			                 db_count(db, "SELECT count(*) FROM answer_choices"));
			if (!oom_failed())
				break;
		}
	}
	assert_true(runs > 50);
	tell("merge_export", runs);
	rm_tree(stick);
	unlink_db(master);
	unlink_db(db);
	free(master);
	free(stick);
	free(db);
}

/* ---- the report ----------------------------------------------------------- */

static void
report_out_of_memory(void **state)
{
	(void)state;
	char *db = sub("report.db"), *dir = sub("report"), *out = sub("report/report.html");
	make_db(db);
	long runs = 0;
	for (long nth = 1;; nth++) {
		rm_tree(dir);
		assert_int_equal(mkdir(dir, 0755), 0);
		report_options ro = { 0 };
		report_people people = { .total = -1 };
		tl_error e = { 0 };
		oom_arm(nth);
		int rc = report_write_file(db, out, &ro, &people, &e);
		oom_disarm();
		if (rc != 0) {
			runs++;
			says_out_of_memory(&e);
			assert_int_equal(files_under(dir), 0);   /* no report, no temporary file */
		} else {
			assert_int_equal(files_under(dir), 1);
			assert_int_equal(people.total, 2);
			if (!oom_failed())
				break;
		}
	}
	assert_true(runs > 20);
	tell("report_write_file", runs);
	rm_tree(dir);
	unlink_db(db);
	free(out);
	free(dir);
	free(db);
}

/* ---- the mount table ------------------------------------------------------ */

static void
mounts_out_of_memory(void **state)
{
	(void)state;
	char *path = tl_asprintf("%s/tests/data/mountinfo/after.txt", getenv("TELLUS_SOURCE_ROOT"));
	char *text = NULL;
	size_t len = 0;
	assert_int_equal(tl_read_file(path, &text, &len, NULL), 0);
	static const char *const everywhere[] = { "/", NULL };
	long runs = 0;
	size_t whole = 0;
	for (long nth = 1;; nth++) {
		mount_list l = { 0 };
		tl_error e = { 0 };
		oom_arm(nth);
		int rc = mounts_parse(text, everywhere, &l, &e);
		oom_disarm();
		if (rc != 0) {
			runs++;
			says_out_of_memory(&e);
			assert_int_equal(l.n, 0);
			assert_null(l.items);
		} else if (!oom_failed()) {
			whole = l.n;
			mount_list_finish(&l);
			break;
		}
		mount_list_finish(&l);
	}
	assert_true(whole > 0);
	assert_true(runs > 3);
	tell("mounts_parse", runs);
	free(text);
	free(path);
}

int
main(void)
{
	hook_allocators();
	if (getenv("OOM_ONLY"))   /* one test, by name, when looking into it */
		cmocka_set_test_filter(getenv("OOM_ONLY"));
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(store_open_out_of_memory),
		cmocka_unit_test(store_write_out_of_memory),
		cmocka_unit_test(store_read_out_of_memory),
		cmocka_unit_test(pin_out_of_memory),
		cmocka_unit_test(export_out_of_memory),
		cmocka_unit_test(merge_out_of_memory),
		cmocka_unit_test(report_out_of_memory),
		cmocka_unit_test(mounts_out_of_memory),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
