/*
 * bench_store: how long an answer takes to reach the disk, and how long the
 * UI waits for it (it should not).
 *
 * Prints, one figure per line:
 *   commit_latency_ms p50=.. p99=..     store_add_answer, default VFS, 2000 answers
 *   submit_latency_ms p50=.. p99=..     store_writer_add_answer, fsync slowed to 50 ms
 *   writer_drain_ms total=.. per_answer=..   time for the writer to catch up
 * The database goes in a fresh folder under $TELLUS_BUILD_ROOT (a real disk,
 * unlike a tmpfs /tmp) or the folder given as the first argument. Exits 1 if
 * anything fails to store.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"
#include "store/store_writer.h"
#include "base/util.h"
#include "slow_vfs.h"

#define COMMITS 2000
#define SLOW_SUBMITS 100
#define SLOW_SYNC_MS 50

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Nearest-rank percentile of n sorted samples. */
static double
percentile(const double *sorted, size_t n, double p)
{
	size_t rank = (size_t)(p / 100.0 * (double)n + 0.999999);
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

static void
report(const char *name, double *samples, size_t n)
{
	qsort(samples, n, sizeof *samples, cmp_double);
	printf("%s p50=%.3f p99=%.3f max=%.3f n=%zu\n", name,
	       percentile(samples, n, 50), percentile(samples, n, 99),
	       samples[n - 1], n);
}

static const char *const ids[] = { "garden", "library" };
static const char *const labels[] = { "Garden", "Library" };

static store_answer
answer(const char *sid, int seq)
{
	store_answer a = {
		.session_id = sid,
		.seq = seq,
		.question_id = "favourite-place",
		.question_index = seq % 8,
		.question_text = "Where do you like to be at break time?",
		.kind = "chosen",
		.n_choices = 2,
		.choice_ids = ids,
		.choice_labels = labels,
		.given_wall_ms = INT64_C(1795349301123) + seq * 2000,
		.time_taken_ms = 1800,
		.input_method = "touch",
	};
	return a;
}

static store_session
session(const char *sid)
{
	store_session s = {
		.id = sid,
		.flow_id = "break-time",
		.flow_version = 1,
		.flow_hash = "bench-hash",
		.flow_source = "id: break-time\n",
		.language = "en",
		.presentation = "symbols",
		.started_wall_ms = INT64_C(1795349301123),
	};
	return s;
}

static int
bench_commits(const char *dir)
{
	char *path = tl_path_join(dir, "commit.db");
	store *st = NULL;
	tl_error e = { 0 };
	if (!path || store_open(path, NULL, &st, &e) != 0) {
		fprintf(stderr, "bench_store: %s\n", path ? e.msg : "out of memory");
		free(path);
		return -1;
	}
	char sid[37];
	tl_uuid4(sid);
	store_session s = session(sid);
	double *lat = malloc(COMMITS * sizeof *lat);
	int rc = lat && store_begin_session(st, &s, &e) == 0 ? 0 : -1;
	for (int i = 0; rc == 0 && i < COMMITS; i++) {
		store_answer a = answer(sid, i + 1);
		double t0 = now_ms();
		rc = store_add_answer(st, &a, &e);
		lat[i] = now_ms() - t0;
	}
	if (rc == 0)
		report("commit_latency_ms", lat, COMMITS);
	else
		fprintf(stderr, "bench_store: commit failed: %s\n", e.msg);
	free(lat);
	store_close(st);
	free(path);
	return rc;
}

static int
bench_writer(const char *dir)
{
	if (slow_vfs_register("bench-slow", SLOW_SYNC_MS) != 0) {
		fprintf(stderr, "bench_store: cannot register the slow VFS\n");
		return -1;
	}
	char *path = tl_path_join(dir, "writer.db");
	store_options opt = { .vfs = "bench-slow" };
	tl_error e = { 0 };
	store_writer *w = path ? store_writer_create(path, &opt, NULL, NULL, &e) : NULL;
	if (!w) {
		fprintf(stderr, "bench_store: %s\n", path ? e.msg : "out of memory");
		free(path);
		return -1;
	}
	char sid[37];
	tl_uuid4(sid);
	store_session s = session(sid);
	store_writer_begin_session(w, &s);
	store_writer_flush(w);

	double lat[SLOW_SUBMITS];
	long syncs0 = slow_vfs_sync_count();
	double start = now_ms();
	for (int i = 0; i < SLOW_SUBMITS; i++) {
		store_answer a = answer(sid, i + 1);
		double t0 = now_ms();
		store_writer_add_answer(w, &a);
		lat[i] = now_ms() - t0;
	}
	double submitted = now_ms();
	store_writer_flush(w);
	double drained = now_ms();
	long syncs = slow_vfs_sync_count() - syncs0;
	uint64_t errors = store_writer_errors(w);
	store_writer_destroy(w);
	free(path);

	report("submit_latency_ms", lat, SLOW_SUBMITS);
	printf("submit_total_ms total=%.3f n=%d\n", submitted - start, SLOW_SUBMITS);
	printf("writer_drain_ms total=%.1f per_answer=%.1f fsync_ms=%d syncs=%ld errors=%llu\n",
	       drained - start, (drained - start) / SLOW_SUBMITS, SLOW_SYNC_MS, syncs,
	       (unsigned long long)errors);
	return errors == 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
	const char *base = argc > 1 ? argv[1] : getenv("TELLUS_BUILD_ROOT");
	if (!base || !*base)
		base = "/tmp";
	char *dir = tl_asprintf("%s/bench-store-XXXXXX", base);
	if (!dir || !mkdtemp(dir)) {
		fprintf(stderr, "bench_store: cannot make a folder under %s\n", base);
		free(dir);
		return 1;
	}
	printf("bench_store: databases in %s\n", dir);
	int rc = bench_commits(dir);
	if (rc == 0)
		rc = bench_writer(dir);

	/* tidy up: the two databases and their WAL side files */
	const char *names[] = { "commit.db", "commit.db-wal", "commit.db-shm",
	                        "writer.db", "writer.db-wal", "writer.db-shm" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char *p = tl_path_join(dir, names[i]);
		if (p)
			unlink(p);
		free(p);
	}
	rmdir(dir);
	free(dir);
	return rc == 0 ? 0 : 1;
}
