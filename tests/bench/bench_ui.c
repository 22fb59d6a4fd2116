/*
 * bench_ui: tap-to-present latency of the real kiosk front end, with SDL's
 * software renderer at 1920x1080, on a normal disk and with every fsync
 * slowed to 50 ms (the slow_vfs seam), to show that the screen never waits
 * on a commit.
 *
 * A tap is a mouse down and up pushed into SDL's queue, then one turn of the
 * app's own loop (app_step). Its latency runs from just before the first
 * SDL_PushEvent to app_last_present_ns(), the moment the frame it caused was
 * presented. Taps alternate between answers, Back, Skip and the Start and
 * Finish buttons so that nearly every tap changes the screen; a tap that
 * draws nothing is counted, not timed. The first session walks every screen
 * once to fill the text and symbol caches and is reported on its own; so is
 * a plain redraw with nothing changed, the floor under every tap.
 *
 * Prints `name value unit` lines. Exits 1 if the app stops responding.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ui_harness.h"
#include "slow_vfs.h"

#define W 1920
#define H 1080
#define TAPS 600
#define SLOW_SYNC_MS 50
#define REDRAWS 100

static uint64_t
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
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

typedef struct run {
	double *ms;
	size_t n, cap;
	long no_frame;     /* taps that presented nothing */
	long sessions;     /* thank-you screens reached */
} run;

/* Picks the next target so that the screen keeps changing: on a question,
 * answer, answer (Done on a choose-several question), Back, Skip in turn
 * (an answer when Back is not offered). */
static int
next_action(harness *h, unsigned tap, int *arg)
{
	const session_view *v = app_view(h->app);
	*arg = 0;
	switch (v->screen) {
	case SCREEN_WELCOME:
		return APP_ACT_START;
	case SCREEN_THANKS:
		return APP_ACT_FINISH;
	case SCREEN_STILL_THERE:
		return APP_ACT_STILL_HERE;
	case SCREEN_QUESTION:
		break;
	default:
		return 0;
	}
	int n = v->question ? (int)v->question->n_answers : 0;
	switch (tap % 4) {
	case 2:
		if (v->can_back)
			return APP_ACT_BACK;
		break;
	case 3:
		return APP_ACT_SKIP;
	default:
		break;
	}
	if (tap % 4 == 1 && v->question && v->question->type == QT_CHOOSE_MANY)
		return APP_ACT_DONE;
	*arg = n > 0 ? (int)(tap % (unsigned)n) : 0;
	return APP_ACT_ANSWER;
}

/* Turns the loop until the kiosk is back on its welcome screen (after
 * Finish it waits, calm, until the session's rows are on disk). */
static int
wait_welcome(harness *h)
{
	for (int i = 0; i < 3000; i++) {
		if (app_view(h->app)->screen == SCREEN_WELCOME)
			return 0;
		h_advance(h, 100);
		app_step(h->app, 10);
	}
	fprintf(stderr, "bench_ui: the kiosk did not return to welcome\n");
	return -1;
}

static int
tap(harness *h, unsigned i, run *r)
{
	int arg, x, y;
	int action = next_action(h, i, &arg);
	if (action == 0)
		return wait_welcome(h);
	/* Done is only offered once a picture is chosen: skip instead. */
	if (!h_center(h, action, arg, &x, &y) && action == APP_ACT_DONE)
		action = APP_ACT_SKIP;
	if (!h_center(h, action, arg, &x, &y)) {
		fprintf(stderr, "bench_ui: no target for action %d on screen %d\n", action,
		        app_view(h->app)->screen);
		return -1;
	}
	bool finishing = action == APP_ACT_FINISH;
	h_advance(h, 450);  /* past the double-tap guard, on the app's clock */
	uint64_t frames = app_frames(h->app);
	uint64_t t0 = now_ns();
	h_mouse(h, SDL_MOUSEBUTTONDOWN, x, y);
	h_mouse(h, SDL_MOUSEBUTTONUP, x, y);
	app_step(h->app, 0);
	if (app_frames(h->app) == frames) {
		r->no_frame++;
	} else {
		if (r->n == r->cap) {
			r->cap = r->cap ? r->cap * 2 : 256;
			double *p = realloc(r->ms, r->cap * sizeof *p);
			if (!p)
				return -1;
			r->ms = p;
		}
		r->ms[r->n++] = (double)(app_last_present_ns(h->app) - t0) / 1e6;
	}
	if (finishing) {
		r->sessions++;
		return wait_welcome(h);
	}
	return 0;
}

/* One session end to end without timing, so every screen's text and
 * symbols are cached; returns the worst tap it saw (the cold cost). */
static int
warm_up(harness *h, double *worst)
{
	run r = { 0 };
	int rc = 0;
	for (unsigned i = 0; rc == 0 && i < 200 && r.sessions == 0; i++)
		rc = tap(h, i * 4 + 1, &r);  /* answers (or Done) only: every question once */
	*worst = 0;
	for (size_t i = 0; i < r.n; i++)
		if (r.ms[i] > *worst)
			*worst = r.ms[i];
	free(r.ms);
	return rc == 0 && r.sessions == 1 ? 0 : -1;
}

static int
bench(const char *name, const char *vfs)
{
	harness h;
	h_open_vfs(&h, "school-day.yaml", W, H, vfs);
	long syncs0 = slow_vfs_sync_count();
	run r = { 0 };
	double cold = 0;
	int rc = warm_up(&h, &cold);
	for (unsigned i = 0; rc == 0 && r.n + (size_t)r.no_frame < TAPS; i++)
		rc = tap(&h, i, &r);
	/* The floor under every tap: redrawing a question screen with nothing
	 * changed (layout from cache, software rendering, present). */
	double redraw[REDRAWS];
	if (rc == 0 && app_view(h.app)->screen == SCREEN_WELCOME)
		rc = tap(&h, 0, &r);
	for (int i = 0; rc == 0 && i < REDRAWS; i++) {
		uint64_t t0 = now_ns();
		app_draw(h.app);
		redraw[i] = (double)(now_ns() - t0) / 1e6;
	}
	app_flush(h.app);
	long answers = (long)h_sql_int(&h, "SELECT count(*) FROM answers");
	long done = (long)h_sql_int(&h, "SELECT count(*) FROM sessions WHERE status = 'completed'");
	h_close(&h);
	if (rc != 0 || r.n == 0) {
		free(r.ms);
		return -1;
	}
	qsort(r.ms, r.n, sizeof *r.ms, cmp_double);
	printf("%s.p50 %.2f ms\n", name, percentile(r.ms, r.n, 50));
	printf("%s.p90 %.2f ms\n", name, percentile(r.ms, r.n, 90));
	printf("%s.p99 %.2f ms\n", name, percentile(r.ms, r.n, 99));
	printf("%s.max %.2f ms\n", name, r.ms[r.n - 1]);
	printf("%s.cold_max %.2f ms\n", name, cold);
	qsort(redraw, REDRAWS, sizeof *redraw, cmp_double);
	printf("%s.redraw_only.p50 %.2f ms\n", name, percentile(redraw, REDRAWS, 50));
	printf("%s.redraw_only.p99 %.2f ms\n", name, percentile(redraw, REDRAWS, 99));
	printf("%s.taps %zu taps\n", name, r.n);
	printf("%s.taps_without_frame %ld taps\n", name, r.no_frame);
	printf("%s.sessions_completed %ld sessions\n", name, done);
	printf("%s.answer_rows %ld rows\n", name, answers);
	if (vfs)
		printf("%s.fsyncs %ld fsyncs\n", name, slow_vfs_sync_count() - syncs0);
	fflush(stdout);
	free(r.ms);
	return 0;
}

int
main(void)
{
	if (slow_vfs_register("slow50", SLOW_SYNC_MS) != 0) {
		fprintf(stderr, "bench_ui: cannot register the slow VFS\n");
		return 1;
	}
	double load[3] = { 0 };
	FILE *la = fopen("/proc/loadavg", "r");
	if (la) {
		if (fscanf(la, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3)
			load[0] = -1;
		fclose(la);
	}
	/* Figures from a busy machine are not the kiosk's: say how busy. */
	printf("# tap-to-present at %dx%d, software renderer, %d taps per run; "
	       "load average %.2f on %ld CPUs\n", W, H, TAPS, load[0], sysconf(_SC_NPROCESSORS_ONLN));
	int rc = bench("ui.tap_to_present", NULL);
	if (rc == 0)
		rc = bench("ui.tap_to_present_fsync50", "slow50");
	return rc == 0 ? 0 : 1;
}
