/*
 * pixels_common: what pixels_x11 and pixels_wayland share. Both start a
 * command, watch its screen from outside it and say when the screen was
 * "whole": it has stayed the same for --settle-ms after it first differed
 * from the screen before the command started. They differ only in how a
 * picture of the screen is had (an X server's shared memory, a Wayland
 * compositor's screencopy); the options, the child, the rule for "whole",
 * the hash, the PPM and the line printed are here.
 */
#ifndef TELLUS_PIXELS_COMMON_H
#define TELLUS_PIXELS_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The options: [--settle-ms N] [--timeout-ms N] [--out F.ppm] [--keep]
 * -- COMMAND [ARG]... */
typedef struct pixels_args {
	double settle_ms, timeout_ms;
	const char *out;     /* NULL: no PPM */
	bool keep;           /* leave the command running */
	char **cmd;          /* borrowed from argv */
} pixels_args;

/* 0, or 2 (the exit code) with the reason on stderr under the name. */
int pixels_parse(const char *name, int argc, char **argv, pixels_args *a);

/* CLOCK_MONOTONIC in ms (the clock Wayland's presentation times use). */
double pixels_now_ms(void);

/* FNV-1a over the 64-bit words of bytes (a multiple of 8): fast enough for
 * 4 MB every 2 ms. */
uint64_t pixels_hash(const void *data, size_t bytes);

/* Forks and runs cmd; the child reports a failed exec and exits 127.
 * The pid, or -1 (perror'd). */
pid_t pixels_spawn(const char *name, char **cmd);

/* The screen as seen so far; times in ms from t0 (just before fork). */
typedef struct pixels_watch {
	uint64_t before, last;   /* the hash before the command, the latest */
	double t0;
	double first_change, last_change;   /* -1: none yet */
	long changes;
	pid_t pid;
	int status;
	bool exited;
} pixels_watch;

void pixels_watch_init(pixels_watch *w, uint64_t before);
/* Counts a picture with hash h shown at when_ms (absolute); true when it
 * differs from the last one. */
bool pixels_watch_see(pixels_watch *w, uint64_t h, double when_ms);
/* Notes whether the command has ended (without waiting). */
void pixels_watch_reap(pixels_watch *w);
/* Whole at t (ms from t0): it changed, is not the screen before, and has
 * stayed so for settle_ms. */
bool pixels_watch_whole(const pixels_watch *w, double t, double settle_ms);
/* Past the timeout, or the command ended and nothing changed for settle_ms. */
bool pixels_watch_given_up(const pixels_watch *w, double t, const pixels_args *a);
/* "the screen never changed" or "the screen never settled". */
const char *pixels_watch_why(const pixels_watch *w);
/* Ends the command (SIGTERM, waited for) unless it ended or is kept. */
void pixels_watch_end(pixels_watch *w, const pixels_args *a);

/* The line's first fields (whole_ms, first_change_ms, changes); the caller
 * prints its own, then pixels_print_end the pid (when kept) and the end
 * of the line. */
void pixels_print_begin(const pixels_watch *w);
void pixels_print_end(const pixels_watch *w, const pixels_args *a);

/* Writes a w x h binary PPM, each pixel's RGB from rgb(ctx, x, y, out).
 * 0, or -1. */
int pixels_write_ppm(const char *path, int w, int h,
                     void (*rgb)(const void *ctx, int x, int y, unsigned char out[3]),
                     const void *ctx);

#endif
