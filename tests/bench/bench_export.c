/*
 * bench_export: how long the end of a big day takes.
 *
 * Prints, one figure per line:
 *   export_s=.. sqlite3_csv_s=.. ratio=..   1,000,000 answers in 100,000
 *        sessions, all four files and the sums, read back, against
 *        `sqlite3 -csv` dumping the same answers with their chosen answers
 *        (answers joined with answer_choices; target ratio <= 2)
 *   report_s=..                        the picture report of those 100,000
 *   merge_s=..                         20 exports totalling 1,000,000
 *        answers into a fresh database (target <= 5 s)
 * with the CPU seconds beside the export and merge figures (on a shared
 * machine, wall time also counts everybody else's programs).
 * The databases are made with SQL (INSERT ... SELECT from a recursive CTE),
 * not through the writer. Everything goes in a fresh folder under
 * $TELLUS_BUILD_ROOT (a real disk) or the folder given as the first
 * argument, removed at the end. Exits 1 if anything fails.
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>

#include "export/export.h"
#include "merge/merge.h"
#include "report/report.h"
#include "store/store.h"
#include "base/util.h"
#include "bench_db.h"

#define SESSIONS 100000
#define EXPORTS 20

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds (user + system) of this process's threads, or of its
 * finished children: on a shared machine wall time also counts the other
 * programs running, CPU time does not. */
static double
cpu_s(int who)
{
	struct rusage ru;
	getrusage(who, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(path);
}

int
main(int argc, char **argv)
{
	const char *root = argc > 1 ? argv[1] : getenv("TELLUS_BUILD_ROOT");
	const char *src = getenv("TELLUS_SOURCE_ROOT");
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/bench-export-XXXXXX", root && *root ? root : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
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

	/* export against sqlite3 -csv */
	char *big = tl_asprintf("%s/big.db", dir), *stick = tl_asprintf("%s/stick", dir);
	mkdir(stick, 0755);
	double t0 = now_s();
	if (make_db(big, "kiosk-bench", 1, SESSIONS, source, hash) != 0)
		rc = 1;
	printf("# made %d sessions, %d answers in %.2f s\n", SESSIONS, SESSIONS * PER_SESSION, now_s() - t0);

	/* the answers with their chosen answers, one row per choice as the
	 * export writes them */
	char *cmd = tl_asprintf("sqlite3 -csv '%s' 'SELECT a.*, c.answer_id, c.answer_label"
	                        " FROM answers a LEFT JOIN answer_choices c USING(session_id, seq)"
	                        " ORDER BY a.id, c.position' > '%s/dump.csv'", big, dir);
	t0 = now_s();
	double c0 = cpu_s(RUSAGE_CHILDREN);
	if (rc == 0 && system(cmd) != 0)
		rc = 1;
	double t_csv = now_s() - t0, c_csv = cpu_s(RUSAGE_CHILDREN) - c0;

	export_options opt = { .db_path = big, .to_dir = stick, .mark_exported = true };
	export_result res;
	t0 = now_s();
	c0 = cpu_s(RUSAGE_SELF);
	tl_error e = { 0 };
	if (rc == 0 && export_run(&opt, &res, &e) != 0) {
		fprintf(stderr, "export: %s\n", e.msg);
		rc = 1;
	}
	double t_export = now_s() - t0, c_export = cpu_s(RUSAGE_SELF) - c0;
	if (rc == 0) {
		printf("export_s=%.3f sqlite3_csv_s=%.3f ratio=%.2f sessions=%lld answers=%lld\n",
		       t_export, t_csv, t_export / t_csv, (long long)res.sessions, (long long)res.answers);
		printf("export_cpu_s=%.3f sqlite3_csv_cpu_s=%.3f cpu_ratio=%.2f\n",
		       c_export, c_csv, c_export / c_csv);
	}

	char *html = tl_asprintf("%s/report.html", dir);
	report_options ro = { 0 };
	report_people people = { 0 };
	t0 = now_s();
	tl_error rerr;
	if (rc == 0 && report_write_file(big, html, &ro, &people, &rerr) != 0) {
		fprintf(stderr, "report: %s\n", rerr.msg);
		rc = 1;
	}
	if (rc == 0)
		printf("report_s=%.3f people=%lld\n", now_s() - t0, (long long)people.total);

	/* 20 kiosks' exports, merged */
	char *paths[EXPORTS] = { 0 };
	t0 = now_s();
	for (int k = 0; rc == 0 && k < EXPORTS; k++) {
		char *db = tl_asprintf("%s/kiosk%02d.db", dir, k);
		char kiosk[32];
		snprintf(kiosk, sizeof kiosk, "kiosk-%02d", k);
		int per = SESSIONS / EXPORTS;
		if (make_db(db, kiosk, 1 + k * per, per, source, hash) != 0)
			rc = 1;
		export_options o = { .db_path = db, .to_dir = stick, .mark_exported = true };
		if (rc == 0 && export_run(&o, &res, &e) != 0) {
			fprintf(stderr, "export %d: %s\n", k, e.msg);
			rc = 1;
		}
		paths[k] = tl_strdup(res.path);
		free(db);
	}
	printf("# made and exported %d kiosks in %.2f s\n", EXPORTS, now_s() - t0);
	char *master = tl_asprintf("%s/master.db", dir);
	store *ms = NULL;
	tl_error me = { 0 };
	if (rc == 0 && store_open(master, NULL, &ms, &me) != 0) {
		fprintf(stderr, "%s\n", me.msg);
		rc = 1;
	}
	if (rc == 0) {
		merge_result results[EXPORTS];
		t0 = now_s();
		c0 = cpu_s(RUSAGE_SELF);
		(void)merge_many(ms, (const char *const *)paths, EXPORTS, results, NULL);
		double t_merge = now_s() - t0, c_merge = cpu_s(RUSAGE_SELF) - c0;
		long long ns = 0, na = 0;
		size_t refused = 0;
		for (int k = 0; k < EXPORTS; k++) {
			ns += results[k].sessions_new;
			na += results[k].answers_new;
			refused += results[k].refused;
			if (results[k].refused)
				fprintf(stderr, "merge %d refused: %s\n", k, results[k].why.msg);
		}
		printf("merge_s=%.3f merge_cpu_s=%.3f exports=%d sessions=%lld answers=%lld refused=%zu\n",
		       t_merge, c_merge, EXPORTS, ns, na, refused);
		if (refused || na != (long long)SESSIONS * PER_SESSION)
			rc = 1;
	}
	store_close(ms);
	for (int k = 0; k < EXPORTS; k++)
		free(paths[k]);
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(master);
	free(html);
	free(cmd);
	free(big);
	free(stick);
	free(source);
	free(flow_path);
	return rc;
}
