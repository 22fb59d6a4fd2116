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
 * benchmarks (tests/bench/bench_launch.py).
 */
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XShm.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* FNV-1a over 64-bit words: fast enough for 4 MB every 2 ms. */
static uint64_t
hash_image(const XImage *img)
{
	uint64_t h = 1469598103934665603ull;
	const uint64_t *p = (const uint64_t *)(const void *)img->data;
	size_t n = (size_t)img->bytes_per_line * (size_t)img->height / 8;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h;
}

static int
write_ppm(const char *path, const XImage *img)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	fprintf(f, "P6\n%d %d\n255\n", img->width, img->height);
	for (int y = 0; y < img->height; y++)
		for (int x = 0; x < img->width; x++) {
			unsigned long px = XGetPixel((XImage *)img, x, y);
			unsigned char rgb[3] = { (unsigned char)(px >> 16), (unsigned char)(px >> 8),
			                         (unsigned char)px };
			fwrite(rgb, 1, 3, f);
		}
	return fclose(f);
}

int
main(int argc, char **argv)
{
	double settle = 1500, timeout = 30000;
	const char *out = NULL;
	int keep = 0, i = 1;
	for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (!strcmp(argv[i], "--settle-ms") && i + 1 < argc)
			settle = atof(argv[++i]);
		else if (!strcmp(argv[i], "--timeout-ms") && i + 1 < argc)
			timeout = atof(argv[++i]);
		else if (!strcmp(argv[i], "--out") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--keep"))
			keep = 1;
		else {
			fprintf(stderr, "pixels_x11: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (i + 1 >= argc) {
		fprintf(stderr, "usage: pixels_x11 [options] -- COMMAND [ARG]...\n");
		return 2;
	}
	char **cmd = argv + i + 1;

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
	uint64_t before = hash_image(img);

	double t0 = now_ms();
	pid_t pid = fork();
	if (pid < 0) {
		perror("pixels_x11: fork");
		return 1;
	}
	if (pid == 0) {
		execvp(cmd[0], cmd);
		fprintf(stderr, "pixels_x11: cannot run %s: %s\n", cmd[0], strerror(errno));
		_exit(127);
	}

	uint64_t last = before;
	double first_change = -1, last_change = -1;
	long changes = 0, polls = 0;
	int status = 0, exited = 0, settled = 0;
	for (double next = t0;; ) {
		next += 2.0;
		double t = now_ms();
		if (next > t)
			usleep((useconds_t)((next - t) * 1000));
		else
			next = t;
		XShmGetImage(d, root, img, 0, 0, AllPlanes);
		t = now_ms();
		polls++;
		uint64_t hh = hash_image(img);
		if (hh != last) {
			last = hh;
			last_change = t - t0;
			changes++;
			if (first_change < 0)
				first_change = last_change;
		}
		if (!exited && waitpid(pid, &status, WNOHANG) == pid)
			exited = 1;
		if (first_change >= 0 && hh != before && t - t0 - last_change >= settle) {
			settled = 1;
			break;
		}
		if (t - t0 > timeout || (exited && t - t0 - (last_change < 0 ? 0 : last_change) >= settle))
			break;
	}
	if (settled && out && write_ppm(out, img) != 0)
		fprintf(stderr, "pixels_x11: cannot write %s\n", out);
	if (!exited && !keep) {
		kill(pid, SIGTERM);
		waitpid(pid, &status, 0);
	}
	printf("whole_ms=%.1f first_change_ms=%.1f changes=%ld polls=%ld", last_change, first_change,
	       changes, polls);
	if (keep && !exited)
		printf(" pid=%d", (int)pid);
	printf("\n");
	fflush(stdout);
	XShmDetach(d, &shm);
	shmdt(shm.shmaddr);
	img->data = NULL;   /* the shared memory, already detached: not for XDestroyImage */
	XDestroyImage(img);
	XCloseDisplay(d);
	if (!settled) {
		fprintf(stderr, "pixels_x11: the screen %s within %.0f ms\n",
		        first_change < 0 ? "never changed" : "never settled", timeout);
		return 1;
	}
	return 0;
}
