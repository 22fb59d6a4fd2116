/*
 * bench_switch: time from a switch press to the highlight moving on screen,
 * through the real kiosk loop with SDL's software renderer at 1920x1080.
 *
 * Two-switch mode: each press of switch 1 (Space, pushed into SDL's queue
 * with SDL_PushEvent) moves the highlight to the next target; its latency
 * runs from just before the push to app_last_present_ns(), the moment the
 * frame showing the moved highlight was presented. A press that presents
 * nothing, or leaves the highlight where it was, is a failure. 50 presses
 * warm the caches first; then 500 are timed.
 *
 * Prints `name value unit` lines. Exits 1 if a press is not shown.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ui_harness.h"

#define W 1920
#define H 1080
#define WARM 50
#define PRESSES 500

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
two_switches(kiosk_config *c)
{
	c->access.method = ACCESS_TWO_SWITCH;
}

static void
push_space(harness *h, bool down)
{
	SDL_Event ev = { 0 };
	ev.type = down ? SDL_KEYDOWN : SDL_KEYUP;
	ev.key.windowID = SDL_GetWindowID(app_window(h->app));
	ev.key.state = down ? SDL_PRESSED : SDL_RELEASED;
	ev.key.keysym.sym = SDLK_SPACE;
	SDL_PushEvent(&ev);
}

int
main(void)
{
	harness h;
	h_open_cfg(&h, "school-day.yaml", W, H, two_switches);
	/* A helper starts the turn with a tap (every way of answering keeps
	 * touch); then the switch user steps through the first question. */
	h_click(&h, APP_ACT_START, 0);
	if (app_view(h.app)->screen != SCREEN_QUESTION) {
		fprintf(stderr, "bench_switch: Start was not chosen\n");
		h_close(&h);
		return 1;
	}
	static double ms[PRESSES];
	int bad = 0;
	for (int i = 0; i < WARM + PRESSES; i++) {
		int before = app_focus(h.app);
		uint64_t frames = app_frames(h.app);
		uint64_t t0 = now_ns();
		push_space(&h, true);
		push_space(&h, false);
		app_step(h.app, 0);
		uint64_t t1 = app_last_present_ns(h.app);
		if (app_frames(h.app) == frames || app_focus(h.app) == before || app_focus(h.app) < 0)
			bad++;
		if (i >= WARM)
			ms[i - WARM] = (double)(t1 - t0) / 1e6;
		h_advance(&h, 30);  /* a fast switch user */
	}
	qsort(ms, PRESSES, sizeof ms[0], cmp_double);
	double sum = 0;
	for (int i = 0; i < PRESSES; i++)
		sum += ms[i];
	printf("switch_to_highlight_presses %d count\n", PRESSES);
	printf("switch_to_highlight_p50 %.3f ms\n", percentile(ms, PRESSES, 50));
	printf("switch_to_highlight_p99 %.3f ms\n", percentile(ms, PRESSES, 99));
	printf("switch_to_highlight_max %.3f ms\n", ms[PRESSES - 1]);
	printf("switch_to_highlight_mean %.3f ms\n", sum / PRESSES);
	printf("switch_presses_not_shown %d count\n", bad);
	h_close(&h);
	return bad ? 1 : 0;
}
