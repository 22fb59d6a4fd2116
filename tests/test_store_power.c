/*
 * test_store_power: a power cut at every sync point of a scripted session.
 *
 * A child process runs the session through the store (open, begin, eight
 * answers, an end, close) on tests/fault_vfs.c; the n-th xSync, for n = 1,
 * 2, 3... until a run gets through, is a power cut: every file goes back to
 * what it held at its last sync and the child ends on the spot. After each
 * cut the parent opens the database with the plain VFS and demands what
 * SQLite's crash tests demand: it opens, PRAGMA integrity_check is ok, and
 * every record the child was told was committed (it wrote one line to a
 * log after each call returned) is there, whole: the session, each answer
 * with its choices, the ending.
 */
#define _XOPEN_SOURCE 700   /* nftw, to empty the temporary folder */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/store_helper.h"

#include "fault_vfs.c"

#define VFS "tellus-power"
#define SID "50505050-0000-4000-8000-000000000001"
#define ANSWERS 8
#define EXIT_CUT 42
#define EXIT_DONE 0

static void
ack(int fd, const char *what, int n)
{
	char line[64];
	int len = snprintf(line, sizeof line, "%s %d\n", what, n);
	if (write(fd, line, (size_t)len) != len)
		_exit(3);
}

/* The child: the scripted session, a power cut at the cut-th sync. */
static void
child(const char *path, const char *log, long cut)
{
	int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
	if (fd < 0 || fault_vfs_register(VFS) != SQLITE_OK)
		_exit(3);
	fault_vfs_crash_at_sync(cut, EXIT_CUT);
	store_options opt = { .vfs = VFS };
	store *st = NULL;
	tl_error e = { 0 };
	if (store_open(path, &opt, &st, &e) != 0)
		_exit(4);
	ack(fd, "open", 0);
	store_session s = demo_session(SID);
	if (store_begin_session(st, &s, &e) != 0)
		_exit(5);
	ack(fd, "begin", 0);
	for (int i = 1; i <= ANSWERS; i++) {
		const char *ids[] = { "a", "b" }, *labels[] = { "A", "B" };
		store_answer a = demo_answer(SID, i, "q", (size_t)(i % 2 + 1), ids, labels);
		if (store_add_answer(st, &a, &e) != 0)
			_exit(6);
		ack(fd, "answer", i);
	}
	if (store_end_session(st, SID, "completed", s.started_wall_ms + 99000, &e) != 0)
		_exit(7);
	ack(fd, "end", 0);
	store_close(st);
	ack(fd, "closed", 0);
	_exit(EXIT_DONE);
}

struct acked { bool open, begin, end; int answers; };

static struct acked
read_acks(const char *log)
{
	struct acked k = { 0 };
	FILE *f = fopen(log, "r");
	char what[32];
	int n;
	while (f && fscanf(f, "%31s %d", what, &n) == 2) {
		if (strcmp(what, "open") == 0) k.open = true;
		if (strcmp(what, "begin") == 0) k.begin = true;
		if (strcmp(what, "answer") == 0) k.answers = n;
		if (strcmp(what, "end") == 0) k.end = true;
	}
	if (f)
		fclose(f);
	return k;
}

static void
check_after_cut(const char *path, const struct acked *k, long cut)
{
	sqlite3 *db = NULL;
	if (access(path, F_OK) != 0) {
		/* the cut came before the file was ever synced: nothing was
		 * acknowledged either */
		if (k->begin)
			fail_msg("cut %ld: the database is gone but the session was acknowledged", cut);
		return;
	}
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		fail_msg("cut %ld: the database does not open: %s", cut, sqlite3_errmsg(db));
	char *ok = q_text(db, "PRAGMA integrity_check");
	if (!ok || strcmp(ok, "ok") != 0)
		fail_msg("cut %ld: integrity_check says %s", cut, ok ? ok : "nothing");
	free(ok);
	if (k->begin) {
		if (q_int(db, "SELECT count(*) FROM sessions WHERE id = '" SID "'") != 1)
			fail_msg("cut %ld: the acknowledged session is missing", cut);
		int64_t n = q_int(db, "SELECT count(*) FROM answers WHERE session_id = '" SID "'");
		if (n < k->answers)
			fail_msg("cut %ld: %d answers acknowledged, %lld on disk", cut, k->answers, (long long)n);
		/* every answer whole: as many choices as it was given */
		for (int i = 1; i <= k->answers; i++) {
			char sql[160];
			snprintf(sql, sizeof sql, "SELECT count(*) FROM answer_choices WHERE session_id = '"
			         SID "' AND seq = %d", i);
			if (q_int(db, sql) != i % 2 + 1)
				fail_msg("cut %ld: answer %d lost its choices", cut, i);
		}
	}
	if (k->end) {
		char *st = q_text(db, "SELECT status FROM sessions WHERE id = '" SID "'");
		if (!st || strcmp(st, "completed") != 0)
			fail_msg("cut %ld: the acknowledged end is missing (%s)", cut, st ? st : "none");
		free(st);
	}
	sqlite3_close(db);
}

static void
test_power_cut_at_every_sync(void **state)
{
	(void)state;
	long cuts = 0;
	for (long cut = 1; cut < 1000; cut++) {
		char name[64];
		snprintf(name, sizeof name, "cut-%ld", cut);
		char *dir = tpath(name);
		assert_int_equal(mkdir(dir, 0755), 0);
		char *path = tl_asprintf("%s/answers.db", dir), *log = tl_asprintf("%s/acks", dir);
		fflush(NULL);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0)
			child(path, log, cut);
		int status = 0;
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		int code = WEXITSTATUS(status);
		if (code != EXIT_CUT && code != EXIT_DONE)
			fail_msg("cut %ld: the child failed with %d", cut, code);
		struct acked k = read_acks(log);
		check_after_cut(path, &k, cut);
		free(path);
		free(log);
		free(dir);
		if (code == EXIT_DONE) {
			/* the session got through: every sync point was tried */
			assert_true(k.end && k.answers == ANSWERS);
			break;
		}
		cuts++;
	}
	/* open, begin, 8 answers, end and the close's checkpoint each sync */
	printf("power cuts tried: %ld\n", cuts);
	assert_true(cuts >= ANSWERS + 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_power_cut_at_every_sync, setup_dir, teardown_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
