/*
 * test_store_faults: the writer thread on a disk that fails, through
 * tests/fault_vfs.c: full (SQLITE_FULL), failing writes (SQLITE_IOERR_WRITE),
 * failing fsyncs (SQLITE_IOERR_FSYNC, after which the row may or may not be
 * on disk), read-only (SQLITE_READONLY), each for a while and then mended.
 *
 * What must hold: while the disk fails the record waits at the head of the
 * queue and the writer says what is wrong; once it recovers every record
 * is committed exactly once, in order, with nothing behind the failing one
 * lost or moved; the queue holds at most STORE_WRITER_MAX_QUEUED records
 * and refuses (never drops) more, an end still fitting.
 */
#define _XOPEN_SOURCE 700   /* nftw, to empty the temporary folder */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>

#include "store/store_helper.h"
#include "store/store_writer.h"

#include "fault_vfs.c"

#define VFS "tellus-fault"

struct seen {
	pthread_mutex_t mu;
	uint64_t last;
	long n, health_changes;
	bool out_of_order;
};

static void
on_commit(void *ud, uint64_t seq)
{
	struct seen *s = ud;
	pthread_mutex_lock(&s->mu);
	if (seq == 0) {
		s->health_changes++;
	} else {
		if (seq <= s->last)
			s->out_of_order = true;
		s->last = seq;
		s->n++;
	}
	pthread_mutex_unlock(&s->mu);
}

static store_writer *
writer_on_fault_vfs(const char *path, struct seen *seen)
{
	assert_int_equal(fault_vfs_register(VFS), SQLITE_OK);
	store_options opt = { .vfs = VFS };
	tl_error e = { 0 };
	store_writer *w = store_writer_create(path, &opt, on_commit, seen, &e);
	if (!w)
		fail_msg("store_writer_create: %s", e.msg);
	return w;
}

/* Waits up to ms for the writer's health to become h. */
static bool
wait_health(store_writer *w, enum store_health h, int ms)
{
	for (int i = 0; i < ms; i++) {
		if (store_writer_health(w) == h)
			return true;
		usleep(1000);
	}
	return store_writer_health(w) == h;
}

/* Every seq 1..n once, in the order given, and the session ended. */
static void
check_rows(const char *path, const char *sid, int n, const char *status)
{
	store *st = open_ok(path, NULL);
	sqlite3 *db = store_db(st);
	char *ok = q_text(db, "PRAGMA integrity_check");
	assert_string_equal(ok, "ok");
	free(ok);
	assert_int_equal(q_int(db, "SELECT count(*) FROM answers"), n);
	assert_int_equal(q_int(db, "SELECT count(DISTINCT seq) FROM answers"), n);
	assert_int_equal(q_int(db, "SELECT min(seq) FROM answers"), 1);
	assert_int_equal(q_int(db, "SELECT max(seq) FROM answers"), n);
	assert_int_equal(q_int(db, "SELECT count(*) FROM answer_choices"), n);
	/* committed in the order given: rowids rise with seq */
	assert_int_equal(q_int(db, "SELECT count(*) FROM answers a JOIN answers b"
	                           " ON a.id < b.id AND a.seq > b.seq"), 0);
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT status FROM sessions WHERE id = '%s'", sid);
	char *t = q_text(db, sql);
	assert_string_equal(t, status);
	free(t);
	store_close(st);
}

/* One disk failure of kind (writes or syncs) with code rc, for fails calls,
 * in the middle of a session. */
static void
fail_then_mend(bool on_sync, int rc, int fails, enum store_health want)
{
	static struct seen seen;
	memset(&seen, 0, sizeof seen);
	pthread_mutex_init(&seen.mu, NULL);
	char *path = tpath("answers.db");
	store_writer *w = writer_on_fault_vfs(path, &seen);
	const char *sid = "f0f0f0f0-0000-4000-8000-000000000001";
	store_session s = demo_session(sid);
	store_writer_begin_session(w, &s);
	for (int i = 1; i <= 5; i++) {
		store_answer a = demo_answer(sid, i, "q", ONE("a", "A"));
		store_writer_add_answer(w, &a);
	}
	store_writer_flush(w);
	assert_int_equal(store_writer_committed(w), 6);

	long failed0 = fault_vfs_failed();
	if (on_sync)
		fault_vfs_fail_syncs(fails, rc);
	else
		fault_vfs_fail_writes(fails, rc);
	for (int i = 6; i <= 30; i++) {
		store_answer a = demo_answer(sid, i, "q", ONE("a", "A"));
		assert_true(store_writer_add_answer(w, &a) > 0);
	}
	store_writer_end_session(w, sid, "completed", s.started_wall_ms + 60000);
	/* the disk says no: the writer says so, and the record waits */
	assert_true(wait_health(w, want, 20000));
	assert_true(store_writer_committed(w) < 32);
	assert_true(store_writer_queued(w) > 0);

	/* it recovers by itself: everything lands, once, in order */
	store_writer_flush(w);
	assert_int_equal(fault_vfs_failing(), 0);
	assert_true(fault_vfs_failed() - failed0 >= fails);
	assert_int_equal(store_writer_health(w), STORE_HEALTH_OK);
	assert_int_equal(store_writer_committed(w), 32);
	assert_int_equal(store_writer_errors(w), 0);
	assert_true(store_writer_retries(w) > 0);
	assert_int_equal(store_writer_queued(w), 0);
	pthread_mutex_lock(&seen.mu);
	assert_int_equal(seen.n, 32);
	assert_false(seen.out_of_order);
	assert_true(seen.health_changes >= 2);   /* to failing, and back to ok */
	pthread_mutex_unlock(&seen.mu);
	store_writer_destroy(w);
	check_rows(path, sid, 30, "completed");
	free(path);
}

static void
test_disk_full_then_space(void **state)
{
	(void)state;
	fail_then_mend(false, SQLITE_FULL, 12, STORE_HEALTH_FULL);
}

static void
test_write_errors_then_mended(void **state)
{
	(void)state;
	fail_then_mend(false, SQLITE_IOERR_WRITE, 12, STORE_HEALTH_IOERR);
}

static void
test_fsync_errors_no_duplicates(void **state)
{
	(void)state;
	/* a failed fsync comes after the row was written: the retry must find
	 * it rather than write it twice (check_rows counts every seq once) */
	fail_then_mend(true, SQLITE_IOERR_FSYNC, 6, STORE_HEALTH_IOERR);
}

static void
test_read_only_then_writable(void **state)
{
	(void)state;
	fail_then_mend(false, SQLITE_READONLY, 12, STORE_HEALTH_READONLY);
}

/* The queue is bounded: with the disk refusing everything, 10,000 records
 * wait; the next answer is refused (not lost: the caller is told), an end
 * still fits, and once the disk mends all of them land. */
static void
test_queue_bounded_refuses_not_drops(void **state)
{
	(void)state;
	static struct seen seen = { .mu = PTHREAD_MUTEX_INITIALIZER };
	char *path = tpath("answers.db");
	store_writer *w = writer_on_fault_vfs(path, &seen);
	const char *sid = "f0f0f0f0-0000-4000-8000-000000000002";
	fault_vfs_fail_writes(1 << 30, SQLITE_FULL);
	fault_vfs_skip_fsync(true);   /* 10,000 commits: the queue is on test, not the disk */
	store_session s = demo_session(sid);
	assert_int_equal(store_writer_begin_session(w, &s), 1);
	int n = STORE_WRITER_MAX_QUEUED - 1;
	for (int i = 1; i <= n; i++) {
		store_answer a = demo_answer(sid, i, "q", ONE("a", "A"));
		assert_int_equal(store_writer_add_answer(w, &a), (uint64_t)i + 1);
	}
	assert_true(store_writer_full(w));
	store_answer more = demo_answer(sid, n + 1, "q", ONE("a", "A"));
	assert_int_equal(store_writer_add_answer(w, &more), 0);
	assert_int_equal(store_writer_refused(w), 1);
	assert_int_equal(store_writer_end_session(w, sid, "unfinished", s.started_wall_ms + 1),
	                 (uint64_t)n + 2);
	assert_true(wait_health(w, STORE_HEALTH_FULL, 20000));

	fault_vfs_fail_writes(0, 0);
	store_writer_flush(w);
	assert_int_equal(store_writer_committed(w), (uint64_t)n + 2);
	assert_int_equal(store_writer_errors(w), 0);
	assert_false(store_writer_full(w));
	store_writer_destroy(w);
	fault_vfs_skip_fsync(false);
	check_rows(path, sid, n, "unfinished");
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_disk_full_then_space, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_write_errors_then_mended, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_fsync_errors_no_duplicates, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_read_only_then_writable, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_queue_bounded_refuses_not_drops, setup_dir, teardown_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
