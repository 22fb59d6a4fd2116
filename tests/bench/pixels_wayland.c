/*
 * pixels_wayland: pixels_x11 for a Wayland compositor (cage). Starts a
 * command and watches the compositor's output from outside it, through
 * the wlr-screencopy protocol, to say when the command's screen was whole.
 *
 * It does not sleep and copy every 2 ms: it keeps two "copy with damage"
 * requests outstanding at all times, and the compositor answers one each
 * time it shows a frame that changed anything, with the time of that
 * output commit (CLOCK_MONOTONIC, the clock used here). So every frame the
 * output showed is seen, at the time it was shown, and a still screen
 * costs nothing. Why two: on every frame cage 0.1.4 first tries to
 * show the client's buffer directly (scan-out, wlr_output_commit without
 * a wlr_output_test), which wlroots 0.15 refuses while a copy is
 * outstanding (its attach-render lock) or while the client's buffer is not
 * the output's size (SDL's first frame, 1280x800 on the 1280x720 output):
 * that is cage's "Basic output test failed" in its log, after which it
 * composites the frame as usual. Once a scan-out has succeeded, cage's next
 * composited frame goes into its last composited buffer as though nothing
 * had been shown since (grim, after bare_sdl settled on cage, gets its
 * first frame cut to 720 rows, not the one on the screen). So a copy is
 * outstanding from before the command starts until the end (two: one
 * waits while the other is answered and asked for again), and cage
 * composites every frame meanwhile, as it does anyway where scan-out
 * cannot be had.
 *
 * The screen is "whole" once it has stayed the same for --settle-ms after
 * it first differed from the screen before the command started; the time
 * reported is that of the first frame showing that final image. Then the
 * command is ended (SIGTERM) unless it ended by itself.
 *
 * Prints one line: `whole_ms=N first_change_ms=N changes=N frames=N
 * frame_interval_ms=N cpu_ms=N` (ms from just before fork; frames:
 * answered copies; frame_interval_ms: the median time between the
 * output's frames when asked for frame after frame on the still screen
 * before the command, its refresh; cpu_ms: the CPU time the command had
 * used when the last change reached us, in clock ticks of 10 ms, -1 if it
 * had exited), and with --out writes the final screen as a binary PPM. Exits
 * 0, or 1 when the screen never changed or never settled within
 * --timeout-ms, or the command failed to start.
 *
 * Usage: pixels_wayland [--settle-ms 1500] [--timeout-ms 30000]
 *                       [--out F.ppm] [--keep] -- COMMAND [ARG]...
 * --keep leaves the command running (its pid is printed as pid=N).
 * WAYLAND_DISPLAY and XDG_RUNTIME_DIR name the compositor, as for any
 * client. Used by tests/bench/bench_launch_cage.py. What it shares with
 * pixels_x11 (the options, the child, the rule for whole, the line) is in
 * pixels_common.c.
 */
#define _GNU_SOURCE   /* memfd_create */
#include "pixels_common.h"
#include "wlr-screencopy-unstable-v1-client-protocol.h"

#include <wayland-client.h>

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define SLOTS 3

/* One copy in flight: its frame object and the shared buffer it fills. */
struct slot {
	struct zwlr_screencopy_frame_v1 *frame;
	struct wl_buffer *buffer;
	void *data;
	bool damage;          /* copy_with_damage rather than copy */
	bool ready, failed;
	double when_ms;       /* the output commit the copy comes from */
};

struct poller {
	struct wl_display *display;
	struct wl_shm *shm;
	struct wl_output *output;
	struct zwlr_screencopy_manager_v1 *manager;
	uint32_t manager_version;
	uint32_t format, width, height, stride;
	struct slot slots[SLOTS];
	bool oom;
};

static struct poller P;

static void
registry_global(void *data, struct wl_registry *reg, uint32_t name, const char *iface,
                uint32_t version)
{
	(void)data;
	if (!strcmp(iface, wl_shm_interface.name) && !P.shm) {
		P.shm = wl_registry_bind(reg, name, &wl_shm_interface, 1);
	} else if (!strcmp(iface, wl_output_interface.name) && !P.output) {
		P.output = wl_registry_bind(reg, name, &wl_output_interface, 1);
	} else if (!strcmp(iface, zwlr_screencopy_manager_v1_interface.name) && !P.manager) {
		P.manager_version = version < 3 ? version : 3;
		P.manager = wl_registry_bind(reg, name, &zwlr_screencopy_manager_v1_interface,
		                             P.manager_version);
	}
}

static void
registry_global_remove(void *data, struct wl_registry *reg, uint32_t name)
{
	(void)data;
	(void)reg;
	(void)name;
}

static const struct wl_registry_listener registry_listener = {
	.global = registry_global,
	.global_remove = registry_global_remove,
};

/* The slot's shared buffer, made once at the size the compositor asks. */
static bool
slot_buffer(struct slot *s)
{
	if (s->buffer)
		return true;
	size_t size = (size_t)P.stride * P.height;
	int fd = memfd_create("pixels-wayland", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, (off_t)size) != 0) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	s->data = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (s->data == MAP_FAILED) {
		s->data = NULL;
		close(fd);
		return false;
	}
	struct wl_shm_pool *pool = wl_shm_create_pool(P.shm, fd, (int32_t)size);
	s->buffer = wl_shm_pool_create_buffer(pool, 0, (int32_t)P.width, (int32_t)P.height,
	                                      (int32_t)P.stride, P.format);
	wl_shm_pool_destroy(pool);
	close(fd);
	return true;
}

static void
start_copy(struct slot *s)
{
	if (!slot_buffer(s)) {
		P.oom = true;
		return;
	}
	if (s->damage && P.manager_version >= 2)
		zwlr_screencopy_frame_v1_copy_with_damage(s->frame, s->buffer);
	else
		zwlr_screencopy_frame_v1_copy(s->frame, s->buffer);
}

static void
frame_buffer(void *data, struct zwlr_screencopy_frame_v1 *f, uint32_t format, uint32_t w,
             uint32_t h, uint32_t stride)
{
	(void)f;
	struct slot *s = data;
	if (!P.width) {
		P.format = format;
		P.width = w;
		P.height = h;
		P.stride = stride;
	} else if (w != P.width || h != P.height || stride != P.stride || format != P.format) {
		s->failed = true;   /* the output changed size: not measured */
		return;
	}
	if (P.manager_version < 3)   /* no buffer_done before version 3 */
		start_copy(s);
}

static void
frame_flags(void *data, struct zwlr_screencopy_frame_v1 *f, uint32_t flags)
{
	(void)data;
	(void)f;
	(void)flags;
}

static void
frame_ready(void *data, struct zwlr_screencopy_frame_v1 *f, uint32_t sec_hi, uint32_t sec_lo,
            uint32_t nsec)
{
	(void)f;
	struct slot *s = data;
	double sec = (double)(((uint64_t)sec_hi << 32) | sec_lo);
	s->when_ms = sec * 1e3 + nsec / 1e6;
	s->ready = true;
}

static void
frame_failed(void *data, struct zwlr_screencopy_frame_v1 *f)
{
	(void)f;
	struct slot *s = data;
	s->failed = true;
}

static void
frame_damage(void *data, struct zwlr_screencopy_frame_v1 *f, uint32_t x, uint32_t y, uint32_t w,
             uint32_t h)
{
	(void)data;
	(void)f;
	(void)x;
	(void)y;
	(void)w;
	(void)h;
}

static void
frame_linux_dmabuf(void *data, struct zwlr_screencopy_frame_v1 *f, uint32_t format, uint32_t w,
                   uint32_t h)
{
	(void)data;
	(void)f;
	(void)format;
	(void)w;
	(void)h;
}

static void
frame_buffer_done(void *data, struct zwlr_screencopy_frame_v1 *f)
{
	(void)f;
	struct slot *s = data;
	if (!s->failed)
		start_copy(s);
}

static const struct zwlr_screencopy_frame_v1_listener frame_listener = {
	.buffer = frame_buffer,
	.flags = frame_flags,
	.ready = frame_ready,
	.failed = frame_failed,
	.damage = frame_damage,
	.linux_dmabuf = frame_linux_dmabuf,
	.buffer_done = frame_buffer_done,
};

static void
request(struct slot *s, bool damage)
{
	if (s->frame)
		zwlr_screencopy_frame_v1_destroy(s->frame);
	s->ready = s->failed = false;
	s->damage = damage;
	s->frame = zwlr_screencopy_manager_v1_capture_output(P.manager, 0, P.output);
	zwlr_screencopy_frame_v1_add_listener(s->frame, &frame_listener, s);
}

static uint64_t
hash_image(const void *data)
{
	return pixels_hash(data, (size_t)P.stride * P.height);
}

/* XRGB8888 / ARGB8888: little-endian B, G, R, X. */
static void
pixel_rgb(const void *ctx, int x, int y, unsigned char out[3])
{
	const unsigned char *px = (const unsigned char *)ctx + (size_t)y * P.stride + (size_t)x * 4;
	out[0] = px[2];
	out[1] = px[1];
	out[2] = px[0];
}

/* Reads and dispatches what the compositor sent, waiting at most
 * timeout_ms for it (0: only what is there). -1 when the connection broke. */
static int
pump(int timeout_ms)
{
	while (wl_display_prepare_read(P.display) != 0)
		if (wl_display_dispatch_pending(P.display) < 0)
			return -1;
	if (wl_display_flush(P.display) < 0 && errno != EAGAIN) {
		wl_display_cancel_read(P.display);
		return -1;
	}
	struct pollfd pfd = { wl_display_get_fd(P.display), POLLIN, 0 };
	int n = poll(&pfd, 1, timeout_ms);
	if (n > 0) {
		if (wl_display_read_events(P.display) < 0)
			return -1;
	} else {
		wl_display_cancel_read(P.display);
	}
	return wl_display_dispatch_pending(P.display) < 0 ? -1 : 0;
}

/* CPU time (user + system, all its threads) the process has used so far,
 * from /proc: what the machine's load does not stretch. -1 if unreadable. */
static double
cpu_ms(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	const char *p = strrchr(buf, ')');
	unsigned long long ut, st;
	/* After the name: state, then fields 4..13, then utime and stime. */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
		return -1;
	return (double)(ut + st) * 1000.0 / (double)sysconf(_SC_CLK_TCK);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Plain copies one after another on the still screen: the image before the
 * command (its hash) and the output's frame interval. */
static int
calibrate(uint64_t *before, double *interval)
{
	enum { N = 8 };
	double when[N];
	struct slot *s = &P.slots[0];
	for (int i = 0; i < N; i++) {
		request(s, false);
		double end = pixels_now_ms() + 5000;
		while (!s->ready && !s->failed && !P.oom && pixels_now_ms() < end)
			if (pump(100) < 0)
				return -1;
		if (!s->ready)
			return -1;
		when[i] = s->when_ms;
	}
	*before = hash_image(s->data);
	double d[N - 1];
	for (int i = 0; i < N - 1; i++)
		d[i] = when[i + 1] - when[i];
	qsort(d, N - 1, sizeof d[0], cmp_double);
	*interval = d[(N - 1) / 2];
	return 0;
}

int
main(int argc, char **argv)
{
	pixels_args a;
	int rc = pixels_parse("pixels_wayland", argc, argv, &a);
	if (rc != 0)
		return rc;

	P.display = wl_display_connect(NULL);
	if (!P.display) {
		fprintf(stderr, "pixels_wayland: cannot connect to the compositor %s\n",
		        getenv("WAYLAND_DISPLAY") ? getenv("WAYLAND_DISPLAY") : "wayland-0");
		return 1;
	}
	struct wl_registry *reg = wl_display_get_registry(P.display);
	wl_registry_add_listener(reg, &registry_listener, NULL);
	wl_display_roundtrip(P.display);
	if (!P.shm || !P.output || !P.manager) {
		fprintf(stderr, "pixels_wayland: the compositor offers no %s\n",
		        !P.manager ? "wlr-screencopy" : !P.output ? "output" : "wl_shm");
		return 1;
	}
	uint64_t before;
	double interval;
	if (calibrate(&before, &interval) != 0) {
		fprintf(stderr, "pixels_wayland: the compositor sent no copy of its output\n");
		return 1;
	}
	unsigned char *final = a.out ? malloc((size_t)P.stride * P.height) : NULL;
	/* Two copies outstanding from before the command starts to the end. */
	request(&P.slots[1], true);
	request(&P.slots[2], true);
	wl_display_flush(P.display);

	pixels_watch wt;
	pixels_watch_init(&wt, before);
	wt.t0 = pixels_now_ms();
	wt.pid = pixels_spawn("pixels_wayland", a.cmd);
	if (wt.pid < 0)
		return 1;

	double cpu = -1;
	long frames = 0;
	bool settled = false, broken = false;
	for (;;) {
		/* Wake for the compositor, the child and the settle deadline. */
		double t = pixels_now_ms() - wt.t0;
		double wait = 50;
		if (wt.first_change >= 0 && wt.last != wt.before &&
		    wt.last_change + a.settle_ms - t < wait)
			wait = wt.last_change + a.settle_ms - t;
		if (pump(wait > 0 ? (int)wait + 1 : 0) < 0) {
			broken = true;
			break;
		}
		for (int k = 1; k < SLOTS; k++) {
			struct slot *s = &P.slots[k];
			if (s->ready) {
				frames++;
				if (pixels_watch_see(&wt, hash_image(s->data), s->when_ms)) {
					cpu = wt.exited ? -1 : cpu_ms(wt.pid);
					if (final)
						memcpy(final, s->data, (size_t)P.stride * P.height);
				}
				request(s, true);
			} else if (s->failed) {
				request(s, true);
			}
		}
		if (P.oom)
			break;
		t = pixels_now_ms() - wt.t0;
		pixels_watch_reap(&wt);
		if (pixels_watch_whole(&wt, t, a.settle_ms)) {
			settled = true;
			break;
		}
		if (pixels_watch_given_up(&wt, t, &a))
			break;
	}
	if (settled && final &&
	    pixels_write_ppm(a.out, (int)P.width, (int)P.height, pixel_rgb, final) != 0)
		fprintf(stderr, "pixels_wayland: cannot write %s\n", a.out);
	pixels_watch_end(&wt, &a);
	pixels_print_begin(&wt);
	printf(" frames=%ld frame_interval_ms=%.1f cpu_ms=%.0f", frames, interval, cpu);
	pixels_print_end(&wt, &a);
	free(final);
	for (int k = 0; k < SLOTS; k++) {
		struct slot *s = &P.slots[k];
		if (s->frame)
			zwlr_screencopy_frame_v1_destroy(s->frame);
		if (s->buffer)
			wl_buffer_destroy(s->buffer);
		if (s->data)
			munmap(s->data, (size_t)P.stride * P.height);
	}
	zwlr_screencopy_manager_v1_destroy(P.manager);
	wl_output_destroy(P.output);
	wl_shm_destroy(P.shm);
	wl_registry_destroy(reg);
	wl_display_disconnect(P.display);
	if (!settled) {
		fprintf(stderr, "pixels_wayland: %s within %.0f ms\n",
		        broken ? "the connection to the compositor broke"
		        : P.oom ? "no memory for a copy of the screen" : pixels_watch_why(&wt),
		        a.timeout_ms);
		return 1;
	}
	return 0;
}
