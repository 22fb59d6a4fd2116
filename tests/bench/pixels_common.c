/* pixels_common: see pixels_common.h. */
#include "pixels_common.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int
pixels_parse(const char *name, int argc, char **argv, pixels_args *a)
{
	*a = (pixels_args){ .settle_ms = 1500, .timeout_ms = 30000 };
	int i = 1;
	for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (!strcmp(argv[i], "--settle-ms") && i + 1 < argc)
			a->settle_ms = atof(argv[++i]);
		else if (!strcmp(argv[i], "--timeout-ms") && i + 1 < argc)
			a->timeout_ms = atof(argv[++i]);
		else if (!strcmp(argv[i], "--out") && i + 1 < argc)
			a->out = argv[++i];
		else if (!strcmp(argv[i], "--keep"))
			a->keep = true;
		else {
			fprintf(stderr, "%s: unknown option %s\n", name, argv[i]);
			return 2;
		}
	}
	if (i + 1 >= argc) {
		fprintf(stderr, "usage: %s [options] -- COMMAND [ARG]...\n", name);
		return 2;
	}
	a->cmd = argv + i + 1;
	return 0;
}

double
pixels_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

uint64_t
pixels_hash(const void *data, size_t bytes)
{
	uint64_t h = 1469598103934665603ull;
	const uint64_t *p = data;
	for (size_t i = 0; i < bytes / 8; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h;
}

pid_t
pixels_spawn(const char *name, char **cmd)
{
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "%s: fork: %s\n", name, strerror(errno));
		return -1;
	}
	if (pid == 0) {
		execvp(cmd[0], cmd);
		fprintf(stderr, "%s: cannot run %s: %s\n", name, cmd[0], strerror(errno));
		_exit(127);
	}
	return pid;
}

void
pixels_watch_init(pixels_watch *w, uint64_t before)
{
	*w = (pixels_watch){ .before = before, .last = before, .first_change = -1,
	                     .last_change = -1, .pid = -1 };
}

bool
pixels_watch_see(pixels_watch *w, uint64_t h, double when_ms)
{
	if (h == w->last)
		return false;
	w->last = h;
	w->last_change = when_ms - w->t0;
	w->changes++;
	if (w->first_change < 0)
		w->first_change = w->last_change;
	return true;
}

void
pixels_watch_reap(pixels_watch *w)
{
	if (!w->exited && waitpid(w->pid, &w->status, WNOHANG) == w->pid)
		w->exited = true;
}

bool
pixels_watch_whole(const pixels_watch *w, double t, double settle_ms)
{
	return w->first_change >= 0 && w->last != w->before && t - w->last_change >= settle_ms;
}

bool
pixels_watch_given_up(const pixels_watch *w, double t, const pixels_args *a)
{
	double quiet = t - (w->last_change < 0 ? 0 : w->last_change);
	return t > a->timeout_ms || (w->exited && quiet >= a->settle_ms);
}

const char *
pixels_watch_why(const pixels_watch *w)
{
	return w->first_change < 0 ? "the screen never changed" : "the screen never settled";
}

void
pixels_watch_end(pixels_watch *w, const pixels_args *a)
{
	if (!w->exited && !a->keep) {
		kill(w->pid, SIGTERM);
		waitpid(w->pid, &w->status, 0);
	}
}

void
pixels_print_begin(const pixels_watch *w)
{
	printf("whole_ms=%.1f first_change_ms=%.1f changes=%ld", w->last_change, w->first_change,
	       w->changes);
}

void
pixels_print_end(const pixels_watch *w, const pixels_args *a)
{
	if (a->keep && !w->exited)
		printf(" pid=%d", (int)w->pid);
	printf("\n");
	fflush(stdout);
}

int
pixels_write_ppm(const char *path, int w, int h,
                 void (*rgb)(const void *ctx, int x, int y, unsigned char out[3]),
                 const void *ctx)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	fprintf(f, "P6\n%d %d\n255\n", w, h);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			unsigned char px[3];
			rgb(ctx, x, y, px);
			fwrite(px, 1, 3, f);
		}
	return fclose(f);
}
