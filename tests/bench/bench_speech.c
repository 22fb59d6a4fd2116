/*
 * bench_speech: time from a question appearing to its speech starting, in
 * the real app loop with real espeak-ng and an SDL audio device (the disk
 * driver, so no sound card is needed). "Appearing" is the presentation of
 * the question's first frame (app_last_present_ns); "starting" is its first
 * samples reaching the device queue (the speech request's time plus
 * speech_last_start_latency_us). Prints p50, p99 and the worst over every
 * question of the demo flows, several rounds; target 150 ms.
 */
#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "speech/speech.h"
#include "ui_harness.h"

#define ROUNDS 5
#define MAX_SAMPLES 512

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Clicks a target with the mouse; true when the question changed. */
static void
click(harness *h, int action, int arg)
{
	int x, y;
	if (!h_center(h, action, arg, &x, &y)) {
		fprintf(stderr, "bench_speech: no target %d/%d\n", action, arg);
		exit(1);
	}
	h_mouse(h, SDL_MOUSEBUTTONDOWN, x, y);
	h_step(h);
	h_advance(h, 80);
	h_mouse(h, SDL_MOUSEBUTTONUP, x, y);
	h_step(h);  /* the new question's first frame is presented here */
	h_advance(h, 400);
}

static double
measure(harness *h, uint64_t present_ns)
{
	speech *sp = app_speech(h->app);
	for (int i = 0; i < 4000 && speech_busy(sp); i++)
		SDL_Delay(1);
	int64_t lat = speech_last_start_latency_us(sp);
	if (lat < 0)
		return -1;
	int64_t start = (int64_t)app_last_speech_ns(h->app) + lat * 1000;
	return (double)(start - (int64_t)present_ns) / 1e6;
}

int
main(void)
{
	static const char *const flows[] = { "school-day.yaml", "clinic-visit.yaml",
	                                     "co-production.yaml" };
	char dir[] = "/tmp/tellus-bench-speech-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	char file[300];
	snprintf(file, sizeof file, "%s/audio.raw", dir);
	setenv("SDL_AUDIODRIVER", "disk", 1);
	setenv("SDL_DISKAUDIOFILE", file, 1);
	setenv("SDL_DISKAUDIODELAY", "2", 1);
	static double ms[MAX_SAMPLES];
	int n = 0;
	for (size_t fi = 0; fi < sizeof flows / sizeof flows[0]; fi++) {
		harness h;
		h_open(&h, flows[fi], 1280, 800, true);
		for (int round = 0; round < ROUNDS; round++) {
			click(&h, APP_ACT_START, 0);
			while (app_view(h.app)->screen == SCREEN_QUESTION && n < MAX_SAMPLES) {
				double v = measure(&h, app_last_present_ns(h.app));
				if (v > -1e6)
					ms[n++] = v;
				bool many = app_view(h.app)->question->type == QT_CHOOSE_MANY;
				click(&h, APP_ACT_ANSWER, 0);
				if (many)
					click(&h, APP_ACT_DONE, 0);
			}
			click(&h, APP_ACT_FINISH, 0);
			for (int i = 0; i < 100 && app_view(h.app)->screen != SCREEN_WELCOME; i++) {
				app_flush(h.app);
				h_advance(&h, 100);
				h_step(&h);
			}
		}
		h_close(&h);
	}
	unlink(file);
	rmdir(dir);
	if (n == 0) {
		fprintf(stderr, "bench_speech: nothing was heard\n");
		return 1;
	}
	qsort(ms, (size_t)n, sizeof ms[0], cmp);
	double p50 = ms[n / 2], p99 = ms[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1];
	printf("question appears -> speech starts (%d questions): p50 %.1f ms, p99 %.1f ms, "
	       "worst %.1f ms (target <= 150 ms)\n", n, p50, p99, ms[n - 1]);
	return p99 <= 150.0 ? 0 : 1;
}
