/*
 * bench_seal: what sealing costs. One kiosk database of 1,000,000 answers
 * (100,000 sessions) is exported plain and sealed to an office key, and
 * each export is merged into a fresh database (the sealed one with the
 * office key), all in the same run, plain and sealed alternating so load
 * from other programs falls on both alike.
 *
 * Prints, one figure per line:
 *   export_plain_s=.. export_sealed_s=.. export_ratio=..  (target <= 1.3)
 *   merge_plain_s=..  merge_sealed_s=..  merge_ratio=..   (target <= 1.3)
 * each with CPU seconds beside it (on a shared machine wall time also
 * counts everybody else's programs), the best of ROUNDS rounds. Checks
 * that both merges hold the same rows. Exits 1 if anything fails.
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
#include "keys/office_key.h"
#include "merge/merge.h"
#include "merge/merge_trust.h"
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

static double
cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
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

/* One export of db into a fresh folder under dir; its path into out. */
static int
export_once(const char *db, const char *dir, const char *office_pub, int n, char *out,
            size_t len, timing *t)
{
	char *stick = tl_asprintf("%s/stick-%s-%d", dir, office_pub ? "sealed" : "plain", n);
	mkdir(stick, 0755);
	export_options o = { .db_path = db, .to_dir = stick, .all = true,
	                     .office_key_path = office_pub };
	export_result r;
	tl_error e = { 0 };
	double t0 = now_s(), c0 = cpu_s();
	int rc = export_run(&o, &r, &e);
	double wall = now_s() - t0, cpu = cpu_s() - c0;
	if (rc != 0 || r.answers != (int64_t)SESSIONS * PER_SESSION) {
		fprintf(stderr, "export (%s): %s\n", office_pub ? "sealed" : "plain", e.msg);
		rc = -1;
	} else {
		best(t, wall, cpu);
		snprintf(out, len, "%s", r.path);
	}
	free(stick);
	return rc;
}

/* One merge of export into a fresh database; its answer count into *answers. */
static int
merge_once(const char *export_dir, const char *master, const merge_keys *keys, timing *t,
           int64_t *answers)
{
	store *st = NULL;
	tl_error e = { 0 };
	unlink(master);
	if (store_open(master, NULL, &st, &e) != 0) {
		fprintf(stderr, "%s\n", e.msg);
		return -1;
	}
	merge_options mo = { .keys = keys };
	merge_result res;
	double t0 = now_s(), c0 = cpu_s();
	int rc = merge_export_opt(st, export_dir, &mo, &res, &e);
	double wall = now_s() - t0, cpu = cpu_s() - c0;
	if (rc != 0)
		fprintf(stderr, "merge (%s): %s\n", keys ? "sealed" : "plain", e.msg);
	else
		best(t, wall, cpu);
	*answers = res.answers_new;
	store_close(st);
	return rc;
}

int
main(int argc, char **argv)
{
	const char *root = argc > 1 ? argv[1] : getenv("TELLUS_BUILD_ROOT");
	const char *src = getenv("TELLUS_SOURCE_ROOT");
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/bench-seal-XXXXXX", root && *root ? root : "/tmp");
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
	merge_keys keys = { 0 };
	if (rc == 0 && merge_keys_load(&keys, sec, NULL, &e) != 0) {
		fprintf(stderr, "%s\n", e.msg);
		rc = 1;
	}

	timing xp = { 0 }, xs = { 0 }, mp = { 0 }, ms = { 0 };
	char plain_dir[4096] = "", sealed_dir[4096] = "";
	for (int r = 0; rc == 0 && r < ROUNDS; r++) {
		/* plain first, then sealed first */
		for (int i = 0; rc == 0 && i < 2; i++) {
			bool sealed = (i == 0) == (r % 2 == 1);
			rc = sealed ? export_once(db, dir, pub, r, sealed_dir, sizeof sealed_dir, &xs)
			            : export_once(db, dir, NULL, r, plain_dir, sizeof plain_dir, &xp);
		}
	}
	char *m_plain = tl_asprintf("%s/master-plain.db", dir);
	char *m_sealed = tl_asprintf("%s/master-sealed.db", dir);
	int64_t a_plain = 0, a_sealed = 0;
	for (int r = 0; rc == 0 && r < ROUNDS; r++) {
		for (int i = 0; rc == 0 && i < 2; i++) {
			bool sealed = (i == 0) == (r % 2 == 1);
			rc = sealed ? merge_once(sealed_dir, m_sealed, &keys, &ms, &a_sealed)
			            : merge_once(plain_dir, m_plain, NULL, &mp, &a_plain);
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
	merge_keys_finish(&keys);
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
