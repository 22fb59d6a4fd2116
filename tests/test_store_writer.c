/*
 * test_store_writer: the writer thread, on real SQLite files in a fresh
 * temporary folder.
 *
 * What must hold: the writer keeps order, counts honestly, copies what it
 * is handed (strings, lists of choices of any length), survives bad
 * records and failed copies, waits out a lock, drains on destroy (and
 * from inside its own callback, for a process about to end there, and
 * closed there takes nothing more: a later submit waits; a flush
 * with a bound gives up in time), and never
 * makes its caller wait for fsync (proved with a VFS whose fsync takes
 * 20 ms).
 */
#define _XOPEN_SOURCE 700   /* nftw, to empty the temporary folder */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/store_helper.h"
#include "store/store_writer.h"
#include "store_sql.h"

/* the slow VFS, compiled in (see test_store.c) */
#include "slow_vfs.c"

/* ---- writer --------------------------------------------------------- */

struct seen {
	pthread_mutex_t mu;
	uint64_t seqs[4096];
	size_t n;
	bool out_of_order;
};

static void
on_commit(void *ud, uint64_t seq)
{
	struct seen *s = ud;
	pthread_mutex_lock(&s->mu);
	if (s->n > 0 && seq <= s->seqs[s->n - 1])
		s->out_of_order = true;
	if (s->n < sizeof s->seqs / sizeof s->seqs[0])
		s->seqs[s->n++] = seq;
	pthread_mutex_unlock(&s->mu);
}

static store_writer *
writer_ok(const char *path, const char *vfs, struct seen *seen)
{
	store_options opt = { .vfs = vfs };
	tl_error e = { 0 };
	store_writer *w = store_writer_create(path, &opt, seen ? on_commit : NULL,
	                                      seen, &e);
	if (!w)
		fail_msg("store_writer_create: %s", e.msg);
	return w;
}

static void
test_writer_order_and_counters(void **state)
{
	(void)state;
	static struct seen seen = { .mu = PTHREAD_MUTEX_INITIALIZER };
	char *path = tpath("answers.db");
	store_writer *w = writer_ok(path, NULL, &seen);
	assert_int_equal(strlen(store_writer_kiosk_id(w)), 14);

	/* the caller's strings change straight after each submit: the writer
	 * must have copied them */
	char sid[40], qid[16], label[32];
	snprintf(sid, sizeof sid, "77777777-7777-4777-8777-777777777777");
	store_session s = demo_session(sid);
	assert_int_equal(store_writer_begin_session(w, &s), 1);
	for (int i = 1; i <= 50; i++) {
		snprintf(qid, sizeof qid, "q%02d", i);
		snprintf(label, sizeof label, "Label %d", i);
		store_answer a = demo_answer(sid, i, qid, ONE("x", label));
		assert_int_equal(store_writer_add_answer(w, &a), (uint64_t)i + 1);
		memset(qid, '#', sizeof qid - 1);
		memset(label, '#', sizeof label - 1);
	}
	assert_int_equal(store_writer_end_session(w, sid, "completed", s.started_wall_ms + 1), 52);
	memset(sid, '#', sizeof sid - 1);
	assert_int_equal(store_writer_submitted(w), 52);
	store_writer_flush(w);
	assert_int_equal(store_writer_committed(w), 52);
	assert_int_equal(store_writer_errors(w), 0);

	pthread_mutex_lock(&seen.mu);
	assert_int_equal(seen.n, 52);
	for (size_t i = 0; i < seen.n; i++)
		assert_int_equal(seen.seqs[i], i + 1);
	assert_false(seen.out_of_order);
	pthread_mutex_unlock(&seen.mu);

	/* rows went in in the order given, with the strings as they were */
	store *st = open_ok(path, NULL);
	sqlite3 *db = store_db(st);
	sqlite3_stmt *q = NULL;
	assert_int_equal(sqlite3_prepare_v2(db,
	        "SELECT seq, question_id, " SQL_ANSWER_LABELS " FROM answers ORDER BY id",
	        -1, &q, NULL), SQLITE_OK);
	int n = 0;
	while (sqlite3_step(q) == SQLITE_ROW) {
		n++;
		char want[32];
		assert_int_equal(sqlite3_column_int(q, 0), n);
		snprintf(want, sizeof want, "q%02d", n);
		assert_string_equal((const char *)sqlite3_column_text(q, 1), want);
		snprintf(want, sizeof want, "Label %d", n);
		assert_string_equal((const char *)sqlite3_column_text(q, 2), want);
	}
	sqlite3_finalize(q);
	assert_int_equal(n, 50);
	assert_int_equal(store_count_sessions(st, "completed"), 1);
	store_close(st);
	store_writer_destroy(w);
	store_writer_destroy(NULL);
	free(path);
}

static void
test_writer_destroy_drains(void **state)
{
	(void)state;
	/* a slow fsync makes sure plenty is still queued at destroy */
	assert_int_equal(slow_vfs_register("tellus-slow5", 5), SQLITE_OK);
	char *path = tpath("answers.db");
	store_writer *w = writer_ok(path, "tellus-slow5", NULL);
	store_session s = demo_session("88888888-8888-4888-8888-888888888888");
	store_writer_begin_session(w, &s);
	for (int i = 1; i <= 40; i++) {
		store_answer a = demo_answer(s.id, i, "q", ONE("a", "A"));
		assert_true(store_writer_add_answer(w, &a) > 0);
	}
	assert_true(store_writer_committed(w) < 41);
	store_writer_destroy(w);

	store *st = open_ok(path, NULL);
	assert_int_equal(store_count_answers(st), 40);
	assert_int_equal(store_count_sessions(st, NULL), 1);
	store_close(st);
	free(path);
}

struct burst {
	store_writer *w;
	int thread;
	int n;
};

static void *
burst_main(void *arg)
{
	struct burst *b = arg;
	char sid[40];
	snprintf(sid, sizeof sid, "99999999-9999-4999-8999-%012d", b->thread);
	store_session s = demo_session(sid);
	store_writer_begin_session(b->w, &s);
	for (int i = 1; i <= b->n; i++) {
		store_answer a = demo_answer(sid, i, "q", ONE("a", "A"));
		store_writer_add_answer(b->w, &a);
	}
	store_writer_end_session(b->w, sid, "completed", s.started_wall_ms + b->n);
	return NULL;
}

static void
test_writer_burst_all_land(void **state)
{
	(void)state;
	static struct seen seen = { .mu = PTHREAD_MUTEX_INITIALIZER };
	char *path = tpath("answers.db");
	store_writer *w = writer_ok(path, NULL, &seen);
	enum { THREADS = 4, EACH = 300 };
	pthread_t th[THREADS];
	struct burst b[THREADS];
	for (int i = 0; i < THREADS; i++) {
		b[i] = (struct burst){ w, i, EACH };
		assert_int_equal(pthread_create(&th[i], NULL, burst_main, &b[i]), 0);
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	uint64_t total = THREADS * (EACH + 2);
	assert_int_equal(store_writer_submitted(w), total);
	store_writer_flush(w);
	assert_int_equal(store_writer_committed(w), total);
	assert_int_equal(store_writer_errors(w), 0);
	assert_int_equal(seen.n, total);
	assert_false(seen.out_of_order);

	store *st = open_ok(path, NULL);
	assert_int_equal(store_count_answers(st), THREADS * EACH);
	assert_int_equal(store_count_sessions(st, "completed"), THREADS);
	/* within each session the answers kept their order */
	assert_int_equal(q_int(store_db(st),
	        "SELECT count(*) FROM answers a JOIN answers b"
	        " ON a.session_id = b.session_id AND a.id < b.id AND a.seq > b.seq"), 0);
	store_close(st);
	store_writer_destroy(w);
	free(path);
}

static void
test_writer_skips_bad_record(void **state)
{
	(void)state;
	static struct seen seen = { .mu = PTHREAD_MUTEX_INITIALIZER };
	char *path = tpath("answers.db");
	store_writer *w = writer_ok(path, NULL, &seen);
	store_session s = demo_session("aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa");
	store_writer_begin_session(w, &s);
	store_answer good1 = demo_answer(s.id, 1, "q1", ONE("a", "A"));
	store_answer orphan = demo_answer("never-begun", 1, "q1", ONE("a", "A"));
	store_answer good2 = demo_answer(s.id, 2, "q2", ONE("b", "B"));
	store_writer_add_answer(w, &good1);
	uint64_t bad = store_writer_add_answer(w, &orphan);
	store_writer_add_answer(w, &good2);
	store_writer_flush(w);
	assert_int_equal(store_writer_errors(w), 1);
	assert_int_equal(store_writer_committed(w), 4);
	/* on_commit came for every record but the refused one */
	assert_int_equal(seen.n, 3);
	for (size_t i = 0; i < seen.n; i++)
		assert_int_not_equal(seen.seqs[i], bad);

	/* a failed copy is counted and takes no seq */
	store_writer_fail_next_copies(w, 1);
	assert_int_equal(store_writer_add_answer(w, &good2), 0);
	assert_int_equal(store_writer_errors(w), 2);
	store_answer good3 = demo_answer(s.id, 3, "q3", ONE("c", "C"));
	assert_int_equal(store_writer_add_answer(w, &good3), 5);
	store_writer_flush(w);
	assert_int_equal(store_writer_committed(w), 5);
	assert_int_equal(store_writer_errors(w), 2);
	store_writer_destroy(w);

	store *st = open_ok(path, NULL);
	assert_int_equal(store_count_answers(st), 3);
	store_close(st);
	free(path);
}

static void
test_writer_waits_out_a_lock(void **state)
{
	(void)state;
	char *path = tpath("answers.db");
	store_writer *w = writer_ok(path, NULL, NULL);
	store_session s = demo_session("bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb");
	store_writer_begin_session(w, &s);
	store_writer_flush(w);

	/* another connection (an export, say) holds the write lock a while */
	sqlite3 *other = NULL;
	assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	store_answer a = demo_answer(s.id, 1, "q", ONE("a", "A"));
	store_writer_add_answer(w, &a);
	usleep(300 * 1000);
	assert_int_equal(store_writer_committed(w), 1);   /* still waiting */
	assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	store_writer_flush(w);
	assert_int_equal(store_writer_committed(w), 2);
	assert_int_equal(store_writer_errors(w), 0);
	assert_int_equal(q_int(other, "SELECT count(*) FROM answers"), 1);
	sqlite3_close(other);
	store_writer_destroy(w);
	free(path);
}

/* The callback of a writer whose process ends from inside it (Xlib's exit
 * on a lost display): at the first commit it waits until the test has
 * queued everything, then drains the queue there and then. */
struct drain_here {
	store_writer *w;
	atomic_bool all_queued;
	atomic_int calls;          /* on_commit calls, health changes too */
	bool drained;              /* store_writer_drain_here's answer */
	uint64_t committed_after, queued_after;
};

static void
drain_on_first_commit(void *ud, uint64_t seq)
{
	struct drain_here *d = ud;
	if (atomic_fetch_add(&d->calls, 1) > 0 || seq != 1)
		return;
	for (int i = 0; i < 10000 && !atomic_load(&d->all_queued); i++)
		usleep(1000);
	d->drained = store_writer_drain_here(d->w);
	d->committed_after = store_writer_committed(d->w);
	d->queued_after = store_writer_queued(d->w);
}

static void
test_writer_drains_from_its_callback(void **state)
{
	(void)state;
	static struct drain_here d;
	char *path = tpath("answers.db");
	store_options opt = { 0 };
	tl_error e = { 0 };
	d.w = store_writer_create(path, &opt, drain_on_first_commit, &d, &e);
	if (!d.w)
		fail_msg("store_writer_create: %s", e.msg);
	assert_false(store_writer_drain_here(d.w));   /* not the writer's thread */
	store_session s = demo_session("dddddddd-dddd-4ddd-8ddd-dddddddddddd");
	store_writer_begin_session(d.w, &s);
	for (int i = 1; i <= 30; i++) {
		store_answer a = demo_answer(s.id, i, "q", ONE("a", "A"));
		assert_true(store_writer_add_answer(d.w, &a) > 0);
	}
	store_writer_end_session(d.w, s.id, "completed", s.started_wall_ms + 60000);
	atomic_store(&d.all_queued, true);
	store_writer_flush(d.w);

	/* all of it committed inside the first callback, and no callback after */
	assert_true(d.drained);
	assert_int_equal(d.committed_after, 32);
	assert_int_equal(d.queued_after, 0);
	assert_int_equal(atomic_load(&d.calls), 1);
	assert_int_equal(store_writer_errors(d.w), 0);
	store *st = open_ok(path, NULL);
	assert_int_equal(store_count_answers(st), 30);
	assert_int_equal(store_count_sessions(st, "completed"), 1);
	store_close(st);
	/* and it goes on committing, silently */
	store_session s2 = demo_session("eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee");
	assert_int_equal(store_writer_begin_session(d.w, &s2), 33);
	store_writer_flush(d.w);
	assert_int_equal(store_writer_committed(d.w), 33);
	assert_int_equal(atomic_load(&d.calls), 1);
	store_writer_destroy(d.w);
	free(path);
}

/* store_writer_close_here, as Xlib's exit uses it: in a child process,
 * since the writer's thread ends it from inside the callback. The child
 * says what it saw in its exit status (0: all held). */
struct close_here {
	store_writer *w;
	const char *path;
	const char *sid;
	atomic_bool all_queued, closed, late_returned;
};

static void *
late_answer(void *ud)
{
	struct close_here *c = ud;
	store_answer a = demo_answer(c->sid, 31, "q", ONE("a", "A"));
	store_writer_add_answer(c->w, &a);
	atomic_store(&c->late_returned, true);
	return NULL;
}

static void
close_on_first_commit(void *ud, uint64_t seq)
{
	struct close_here *c = ud;
	if (seq != 1)
		_exit(10);   /* a callback after the first: not expected */
	for (int i = 0; i < 10000 && !atomic_load(&c->all_queued); i++)
		usleep(1000);
	if (!store_writer_close_here(c->w))
		_exit(11);
	if (store_writer_committed(c->w) != 32 || store_writer_queued(c->w) != 0)
		_exit(12);
	/* an answer given after the close: its submit must not return */
	pthread_t t;
	if (pthread_create(&t, NULL, late_answer, c) != 0)
		_exit(13);
	atomic_store(&c->closed, true);
	usleep(300 * 1000);
	if (atomic_load(&c->late_returned))
		_exit(14);
	_exit(0);   /* as Xlib's exit(1) would, with the late answer's thread still waiting */
}

static void
test_writer_closes_from_its_callback(void **state)
{
	(void)state;
	char *path = tpath("answers.db");
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		static struct close_here c;
		store_options opt = { 0 };
		tl_error e = { 0 };
		c.path = path;
		c.sid = "cccccccc-cccc-4ccc-8ccc-cccccccccccc";
		c.w = store_writer_create(path, &opt, close_on_first_commit, &c, &e);
		if (!c.w)
			_exit(20);
		if (store_writer_close_here(c.w))   /* not the writer's thread */
			_exit(21);
		store_session s = demo_session(c.sid);
		store_writer_begin_session(c.w, &s);
		for (int i = 1; i <= 30; i++) {
			store_answer a = demo_answer(s.id, i, "q", ONE("a", "A"));
			if (store_writer_add_answer(c.w, &a) == 0)
				_exit(22);
		}
		store_writer_end_session(c.w, s.id, "completed", s.started_wall_ms + 60000);
		atomic_store(&c.all_queued, true);
		for (;;)
			pause();   /* the writer's thread ends the process */
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* everything queued before the close is on disk, the late one not */
	store *st = open_ok(path, NULL);
	assert_int_equal(store_count_answers(st), 30);
	assert_int_equal(store_count_sessions(st, "completed"), 1);
	store_close(st);
	free(path);
}

static void
test_writer_flush_within_gives_up(void **state)
{
	(void)state;
	char *path = tpath("answers.db");
	store_writer *w = writer_ok(path, NULL, NULL);
	store_session s = demo_session("ffffffff-ffff-4fff-8fff-ffffffffffff");
	store_writer_begin_session(w, &s);
	assert_true(store_writer_flush_within(w, 10000));
	assert_int_equal(store_writer_committed(w), 1);

	/* a lock held for longer than the bound: it says so in time */
	sqlite3 *other = NULL;
	assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	store_answer a = demo_answer(s.id, 1, "q", ONE("a", "A"));
	store_writer_add_answer(w, &a);
	int64_t t0 = tl_mono(tl_clock_system());
	assert_false(store_writer_flush_within(w, 300));
	int64_t took = tl_mono(tl_clock_system()) - t0;
	assert_true(took >= 300 && took < 2000);
	assert_int_equal(store_writer_committed(w), 1);
	assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	assert_true(store_writer_flush_within(w, 10000));
	assert_int_equal(store_writer_committed(w), 2);
	assert_true(store_writer_flush_within(NULL, 0));
	sqlite3_close(other);
	store_writer_destroy(w);
	free(path);
}

static void
test_writer_submit_does_not_wait_for_fsync(void **state)
{
	(void)state;
	assert_int_equal(slow_vfs_register("tellus-slow20", 20), SQLITE_OK);
	char *path = tpath("answers.db");
	store_writer *w = writer_ok(path, "tellus-slow20", NULL);
	store_session s = demo_session("cccccccc-cccc-4ccc-8ccc-cccccccccccc");
	store_writer_begin_session(w, &s);
	store_writer_flush(w);

	long syncs_before = slow_vfs_sync_count();
	double t0 = now_ms_f();
	for (int i = 1; i <= 100; i++) {
		store_answer a = demo_answer(s.id, i, "q", ONE("a", "A"));
		assert_true(store_writer_add_answer(w, &a) > 0);
	}
	double took = now_ms_f() - t0;
	/* 100 commits at 20 ms of fsync each need at least 2 s; submitting
	 * them must take a small fraction of one commit's time. */
	if (took >= 50.0)
		fail_msg("100 submissions took %.1f ms", took);
	assert_true(store_writer_committed(w) < 101);

	int64_t t1 = now_ms();
	store_writer_flush(w);
	int64_t drained = now_ms() - t1;
	assert_int_equal(store_writer_committed(w), 101);
	assert_int_equal(store_writer_errors(w), 0);
	/* every answer was its own commit with its own fsync */
	assert_true(slow_vfs_sync_count() - syncs_before >= 100);
	assert_true(drained >= 100 * 20 - 200);
	store_writer_destroy(w);

	store *st = open_ok(path, NULL);
	assert_int_equal(store_count_answers(st), 100);
	store_close(st);
	free(path);
}

static void
test_writer_copies_choices(void **state)
{
	(void)state;
	char *path = tpath("answers.db");
	store_writer *w = writer_ok(path, NULL, NULL);
	store_session s = demo_session("dddddddd-dddd-4ddd-8ddd-dddddddddddd");
	store_writer_begin_session(w, &s);
	/* more choices and longer labels than any old buffer held, and arrays
	 * the caller overwrites at once */
	enum { N = 40 };
	char idbuf[N][16], labelbuf[N][200];
	const char *ids[N], *labels[N];
	for (int i = 0; i < N; i++) {
		snprintf(idbuf[i], sizeof idbuf[i], "a%02d", i);
		snprintf(labelbuf[i], sizeof labelbuf[i], "%03d | a label, \"quoted\"\nover %s", i,
		         "two lines and long enough that forty of them overflow a kilobyte");
		ids[i] = idbuf[i];
		labels[i] = labelbuf[i];
	}
	store_answer a = demo_answer(s.id, 1, "many", N, ids, labels);
	assert_true(store_writer_add_answer(w, &a) > 0);
	for (int i = 0; i < N; i++) {
		memset(labelbuf[i], '#', sizeof labelbuf[i] - 1);
		ids[i] = labels[i] = "overwritten";
	}
	store_writer_flush(w);
	assert_int_equal(store_writer_errors(w), 0);
	store_writer_destroy(w);

	store *st = open_ok(path, NULL);
	sqlite3 *db = store_db(st);
	assert_int_equal(q_int(db, "SELECT count(*) FROM answer_choices"), N);
	for (int i = 0; i < N; i++) {
		char sql[128], want[200];
		snprintf(sql, sizeof sql, "SELECT answer_id || '/' || answer_label FROM answer_choices"
		         " WHERE position = %d", i);
		snprintf(want, sizeof want, "a%02d/%03d | a label, \"quoted\"\nover %s", i, i,
		         "two lines and long enough that forty of them overflow a kilobyte");
		char *t = q_text(db, sql);
		assert_string_equal(t, want);
		free(t);
	}
	store_close(st);
	free(path);
}

static void
test_writer_create_fails_plainly(void **state)
{
	(void)state;
	char *blocker = tpath("blocker");
	write_file(blocker, "x", 1);
	char *path = tpath("blocker/answers.db");
	tl_error e = { 0 };
	store_writer *w = store_writer_create(path, NULL, NULL, NULL, &e);
	assert_null(w);
	assert_non_null(strstr(e.msg, "cannot create the folder"));
	free(path);
	free(blocker);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_writer_order_and_counters, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_writer_destroy_drains, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_writer_burst_all_land, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_writer_skips_bad_record, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_writer_waits_out_a_lock, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_writer_drains_from_its_callback, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_writer_closes_from_its_callback, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_writer_flush_within_gives_up, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_writer_submit_does_not_wait_for_fsync, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_writer_copies_choices, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_writer_create_fails_plainly, setup_dir, teardown_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
