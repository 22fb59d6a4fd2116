/*
 * pixels_x11: starts a command and watches the X screen from outside it,
 * to say when the command's screen was whole. It polls the root window
 * every 2 ms (MIT-SHM, so a poll costs a copy, not a round trip of 4 MB)
 * and remembers when the pixels last changed. The screen is "whole" once
 * it has stayed the same for --settle-ms after it first differed from the
 * screen before the command started; the time reported is the first poll
 * at which the screen was already that final image. Then the command is
 * ended (SIGTERM) unless it ended by itself.
 *
 * Prints one line: `whole_ms=N first_change_ms=N changes=N polls=N` (ms
 * from just before fork), and with --out writes the final screen as a
 * binary PPM. Exits 0, or 1 when the screen never changed or never settled
 * within --timeout-ms, or the command failed to start.
 *
 * Usage: pixels_x11 [--settle-ms 1500] [--timeout-ms 30000] [--out F.ppm]
 *                   [--keep] -- COMMAND [ARG]...
 * --keep leaves the command running (its pid is printed as pid=N).
 * DISPLAY names the screen. Used by the install test and the launch
 * benchmarks (tests/bench/bench_launch.py). What it shares with
 * pixels_wayland (the options, the child, the rule for whole, the line)
 * is in pixels_common.c.
 */
#include "pixels_common.h"

#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XShm.h>
#include <sys/ipc.h>
#include <sys/shm.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void
pixel_rgb(const void *ctx, int x, int y, unsigned char out[3])
{
	unsigned long px = XGetPixel((XImage *)ctx, x, y);
	out[0] = (unsigned char)(px >> 16);
	out[1] = (unsigned char)(px >> 8);
	out[2] = (unsigned char)px;
}

static uint64_t
hash_image(const XImage *img)
{
	return pixels_hash(img->data, (size_t)img->bytes_per_line * (size_t)img->height);
}

int
main(int argc, char **argv)
{
	pixels_args a;
	int rc = pixels_parse("pixels_x11", argc, argv, &a);
	if (rc != 0)
		return rc;

	Display *d = XOpenDisplay(NULL);
	if (!d) {
		fprintf(stderr, "pixels_x11: cannot open the display %s\n", getenv("DISPLAY"));
		return 1;
	}
	int scr = DefaultScreen(d);
	Window root = RootWindow(d, scr);
	int w = DisplayWidth(d, scr), h = DisplayHeight(d, scr);
	if (!XShmQueryExtension(d)) {
		fprintf(stderr, "pixels_x11: the X server has no MIT-SHM\n");
		return 1;
	}
	XShmSegmentInfo shm = { 0 };
	XImage *img = XShmCreateImage(d, DefaultVisual(d, scr), (unsigned)DefaultDepth(d, scr),
	                              ZPixmap, NULL, &shm, (unsigned)w, (unsigned)h);
	shm.shmid = shmget(IPC_PRIVATE, (size_t)img->bytes_per_line * (size_t)h, IPC_CREAT | 0600);
	shm.shmaddr = img->data = shmat(shm.shmid, NULL, 0);
	shm.readOnly = False;
	if (shm.shmid < 0 || shm.shmaddr == (void *)-1 || !XShmAttach(d, &shm)) {
		fprintf(stderr, "pixels_x11: cannot share memory with the X server\n");
		return 1;
	}
	XSync(d, False);
	shmctl(shm.shmid, IPC_RMID, NULL);  /* freed when both sides detach */

	XShmGetImage(d, root, img, 0, 0, AllPlanes);
	pixels_watch wt;
	pixels_watch_init(&wt, hash_image(img));

	wt.t0 = pixels_now_ms();
	wt.pid = pixels_spawn("pixels_x11", a.cmd);
	if (wt.pid < 0)
		return 1;

	long polls = 0;
	bool settled = false;
	for (double next = wt.t0;; ) {
		next += 2.0;
		double t = pixels_now_ms();
		if (next > t)
			usleep((useconds_t)((next - t) * 1000));
		else
			next = t;
		XShmGetImage(d, root, img, 0, 0, AllPlanes);
		t = pixels_now_ms();
		polls++;
		pixels_watch_see(&wt, hash_image(img), t);
		pixels_watch_reap(&wt);
		if (pixels_watch_whole(&wt, t - wt.t0, a.settle_ms)) {
			settled = true;
			break;
		}
		if (pixels_watch_given_up(&wt, t - wt.t0, &a))
			break;
	}
	if (settled && a.out && pixels_write_ppm(a.out, img->width, img->height, pixel_rgb, img) != 0)
		fprintf(stderr, "pixels_x11: cannot write %s\n", a.out);
	pixels_watch_end(&wt, &a);
	pixels_print_begin(&wt);
	printf(" polls=%ld", polls);
	pixels_print_end(&wt, &a);
	XShmDetach(d, &shm);
	shmdt(shm.shmaddr);
	img->data = NULL;   /* the shared memory, already detached: not for XDestroyImage */
	XDestroyImage(img);
	XCloseDisplay(d);
	if (!settled) {
		fprintf(stderr, "pixels_x11: %s within %.0f ms\n", pixels_watch_why(&wt), a.timeout_ms);
		return 1;
	}
	return 0;
}
