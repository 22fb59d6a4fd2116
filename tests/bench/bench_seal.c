/*
 * bench_seal: what sealing costs. One kiosk database of 1,000,000 answers
 * (100,000 sessions) is exported plain and sealed to an office key by the
 * shipped binary (`tellus export --all [--office-key office.pub]`), and each
 * export is merged into a fresh database by `tellus merge [--key
 * office.key]`, all in the same run, plain and sealed alternating so load
 * from other programs falls on both alike. Each command is timed from
 * outside, as a user would wait for it: wall time from fork to exit, and
 * the child's own CPU from wait4.
 *
 * Prints, one figure per line:
 *   export_plain_s=.. export_sealed_s=.. export_ratio=..  (target <= 1.3)
 *   merge_plain_s=..  merge_sealed_s=..  merge_ratio=..   (target <= 1.3)
 * each with CPU seconds beside it (on a shared machine wall time also
 * counts everybody else's programs), the best of ROUNDS rounds. Checks
 * that both merges hold every answer (counted back with SQLite). Exits 1
 * if anything fails.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>

#include "keys/office_key.h"
#include "store/store.h"
#include "base/util.h"
#include "bench_db.h"

#define SESSIONS 100000
#define ROUNDS 2

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(path);
}

typedef struct timing { double wall, cpu; } timing;

static void
best(timing *b, double wall, double cpu)
{
	if (b->wall == 0 || wall < b->wall)
		b->wall = wall;
	if (b->cpu == 0 || cpu < b->cpu)
		b->cpu = cpu;
}

/* Runs argv (the shipped tellus) with its output into out_path; its wall
 * time and its own CPU (wait4's rusage of the child) into *wall and *cpu.
 * Returns its exit status, or -1. */
static int
run_timed(char *const argv[], const char *out_path, double *wall, double *cpu)
{
	double t0 = now_s();
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	int status = 0;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) != pid)
		return -1;
	*wall = now_s() - t0;
	*cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The line of tellus export's output that names the export's folder (the
 * line that begins with the stick's path; progress lines come before it). */
static int
export_line(const char *path, const char *stick, char *out, size_t len)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	int rc = -1;
	char line[4096];
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, stick, strlen(stick)) == 0) {
			snprintf(out, len, "%s", line);
			rc = 0;
		}
	}
	fclose(f);
	return rc;
}

static void
show_output(const char *path)
{
	char *text = NULL;
	size_t n = 0;
	if (tl_read_file(path, &text, &n, NULL) == 0)
		fprintf(stderr, "%s", text);
	free(text);
}

/* One `tellus export --all` of db into a fresh folder under dir; its path into out. */
static int
export_once(const char *tellus, const char *db, const char *dir, const char *office_pub, int n,
            char *out, size_t len, timing *t)
{
	const char *kind = office_pub ? "sealed" : "plain";
	char *stick = tl_asprintf("%s/stick-%s-%d", dir, kind, n);
	char *log = tl_asprintf("%s/export-%s-%d.out", dir, kind, n);
	mkdir(stick, 0755);
	char *argv[] = { (char *)tellus, "export", "--db", (char *)db, "--to", stick, "--all",
	                 office_pub ? "--office-key" : NULL, (char *)office_pub, NULL };
	double wall = 0, cpu = 0;
	int rc = run_timed(argv, log, &wall, &cpu);
	if (rc != 0 || export_line(log, stick, out, len) != 0 || access(out, F_OK) != 0) {
		fprintf(stderr, "tellus export (%s) failed (%d):\n", kind, rc);
		show_output(log);
		rc = -1;
	} else {
		best(t, wall, cpu);
	}
	free(log);
	free(stick);
	return rc;
}

/* One `tellus merge` of export into a fresh database; its answer count, read
 * back with SQLite, into *answers. */
static int
merge_once(const char *tellus, const char *export_dir, const char *master, const char *key,
           timing *t, int64_t *answers)
{
	unlink(master);
	char *log = tl_asprintf("%s.out", master);
	char *argv[] = { (char *)tellus, "merge", "--into", (char *)master,
	                 key ? "--key" : (char *)export_dir, (char *)key,
	                 key ? (char *)export_dir : NULL, NULL };
	double wall = 0, cpu = 0;
	int rc = run_timed(argv, log, &wall, &cpu);
	*answers = -1;
	if (rc != 0) {
		fprintf(stderr, "tellus merge (%s) failed (%d):\n", key ? "sealed" : "plain", rc);
		show_output(log);
		rc = -1;
	} else {
		best(t, wall, cpu);
		sqlite3 *db = NULL;
		sqlite3_stmt *q = NULL;
		if (sqlite3_open_v2(master, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
		    sqlite3_prepare_v2(db, "SELECT count(*) FROM answers", -1, &q, NULL) == SQLITE_OK &&
		    sqlite3_step(q) == SQLITE_ROW)
			*answers = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
		sqlite3_close(db);
	}
	free(log);
	return rc;
}

int
main(int argc, char **argv)
{
	const char *tellus = argc > 1 ? argv[1] : NULL;
	const char *root = getenv("TELLUS_BUILD_ROOT");
	const char *src = getenv("TELLUS_SOURCE_ROOT");
	if (!tellus || access(tellus, X_OK) != 0) {
		fprintf(stderr, "usage: bench_seal PATH-TO-tellus\n");
		return 2;
	}
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/bench-seal-XXXXXX", root && *root ? root : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	/* The children's own places (the kiosk's signing key, settings) are in
	 * the bench's folder, never the user's. */
	setenv("HOME", dir, 1);
	setenv("XDG_DATA_HOME", dir, 1);
	setenv("XDG_CONFIG_HOME", dir, 1);
	char *flow_path = tl_asprintf("%s/config/flows/school-day.yaml", src ? src : ".");
	char *source = NULL;
	size_t source_len = 0;
	if (tl_read_file(flow_path, &source, &source_len, NULL) != 0) {
		fprintf(stderr, "cannot read %s\n", flow_path);
		return 1;
	}
	char hash[65];
	tl_sha256_hex(source, source_len, hash);
	int rc = 0;

	char *db = tl_asprintf("%s/kiosk.db", dir);
	double t0 = now_s();
	if (make_db(db, "kiosk-bench", 1, SESSIONS, source, hash) != 0)
		rc = 1;
	printf("# made %d sessions, %d answers in %.2f s\n", SESSIONS, SESSIONS * PER_SESSION,
	       now_s() - t0);
	office_key k;
	tl_error e = { 0 };
	if (rc == 0 && office_key_write_new(dir, &k, &e) != 0) {
		fprintf(stderr, "%s\n", e.msg);
		rc = 1;
	}
	office_key_wipe(&k);
	char *pub = tl_asprintf("%s/office.pub", dir), *sec = tl_asprintf("%s/office.key", dir);

	timing xp = { 0 }, xs = { 0 }, mp = { 0 }, ms = { 0 };
	char plain_dir[4096] = "", sealed_dir[4096] = "";
	for (int r = 0; rc == 0 && r < ROUNDS; r++) {
		/* plain first, then sealed first */
		for (int i = 0; rc == 0 && i < 2; i++) {
			bool sealed = (i == 0) == (r % 2 == 1);
			rc = sealed ? export_once(tellus, db, dir, pub, r, sealed_dir, sizeof sealed_dir, &xs)
			            : export_once(tellus, db, dir, NULL, r, plain_dir, sizeof plain_dir, &xp);
		}
	}
	char *m_plain = tl_asprintf("%s/master-plain.db", dir);
	char *m_sealed = tl_asprintf("%s/master-sealed.db", dir);
	int64_t a_plain = 0, a_sealed = 0;
	for (int r = 0; rc == 0 && r < ROUNDS; r++) {
		for (int i = 0; rc == 0 && i < 2; i++) {
			bool sealed = (i == 0) == (r % 2 == 1);
			rc = sealed ? merge_once(tellus, sealed_dir, m_sealed, sec, &ms, &a_sealed)
			            : merge_once(tellus, plain_dir, m_plain, NULL, &mp, &a_plain);
		}
	}
	if (rc == 0) {
		printf("export_plain_s=%.3f export_sealed_s=%.3f export_ratio=%.2f "
		       "(cpu %.3f / %.3f: %.2f) answers=%d\n",
		       xp.wall, xs.wall, xs.wall / xp.wall, xp.cpu, xs.cpu, xs.cpu / xp.cpu,
		       SESSIONS * PER_SESSION);
		printf("merge_plain_s=%.3f merge_sealed_s=%.3f merge_ratio=%.2f "
		       "(cpu %.3f / %.3f: %.2f) answers=%lld/%lld\n",
		       mp.wall, ms.wall, ms.wall / mp.wall, mp.cpu, ms.cpu, ms.cpu / mp.cpu,
		       (long long)a_plain, (long long)a_sealed);
		if (a_plain != (int64_t)SESSIONS * PER_SESSION || a_sealed != a_plain)
			rc = 1;
	}
	rc = rc != 0;
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(m_plain);
	free(m_sealed);
	free(pub);
	free(sec);
	free(db);
	free(source);
	free(flow_path);
	return rc;
}
