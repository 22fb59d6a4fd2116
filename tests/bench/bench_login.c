/*
 * bench_login: the kiosk's memory before and after a staff login. The PIN
 * is checked with argon2id (libsodium, 64 MiB of working memory, on the
 * staff worker thread); a login must not leave the process bigger. Through
 * the real loop (ui_harness): the hidden gesture, the PIN typed on the pad,
 * the staff menu, closed again; three rounds, the first warms the staff
 * screens' textures. Prints PSS (from /proc/self/smaps_rollup) on the
 * welcome screen before, on the staff menu, and on the welcome screen
 * after each round.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pin/pin.h"
#include "staff/staff.h"
#include "store/store.h"
#include "ui.h"
#include "ui_harness.h"

#define W 1280
#define H 800

static long
pss_kib(void)
{
	FILE *f = fopen("/proc/self/smaps_rollup", "r");
	char line[256];
	long v = -1;
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, "Pss:", 4) == 0)
			v = strtol(line + 4, NULL, 10);
	if (f)
		fclose(f);
	return v;
}

static const staff_view *sv(harness *h) { return app_staff(h->app); }

static void
press(harness *h, int x, int y)
{
	h_mouse(h, SDL_MOUSEBUTTONDOWN, x, y);
	h_step(h);
	h_advance(h, 60);
	h_mouse(h, SDL_MOUSEBUTTONUP, x, y);
	h_step(h);
}

static void
settle(harness *h)
{
	for (int i = 0; i < 600; i++) {
		app_step(h->app, 20);
		if (!sv(h)->busy && i > 2)
			return;
	}
	fprintf(stderr, "bench_login: the staff worker did not finish\n");
	exit(1);
}

static void
login(harness *h, const char *pin)
{
	h_mouse(h, SDL_MOUSEBUTTONDOWN, 8, 8);
	h_step(h);
	h_advance(h, STAFF_HOLD_MS + 100);
	h_step(h);
	h_mouse(h, SDL_MOUSEBUTTONUP, 8, 8);
	h_step(h);
	h_advance(h, 1000);
	press(h, W - 8, 8);
	h_advance(h, 400);
	h_step(h);
	settle(h);
	for (const char *p = pin; *p; p++)
		h_click(h, ACT_STAFF_DIGIT, *p - '0');
	h_click(h, ACT_STAFF_OK, 0);
	settle(h);
	if (sv(h)->screen != STAFF_MENU) {
		fprintf(stderr, "bench_login: the PIN did not open the staff menu (screen %d)\n",
		        (int)sv(h)->screen);
		exit(1);
	}
}

int
main(void)
{
	harness h;
	h_open(&h, "school-day.yaml", W, H, true);
	store *st;
	if (store_open(h.db, NULL, &st, NULL) != 0 || pin_set(st, "258025", PIN_MIN_DIGITS, NULL) != 0) {
		fprintf(stderr, "bench_login: cannot set the PIN\n");
		return 1;
	}
	store_close(st);
	for (int i = 0; i < 5; i++)
		app_step(h.app, 20);
	printf("login.pss.welcome_before %.1f MiB\n", pss_kib() / 1024.0);
	for (int round = 1; round <= 3; round++) {
		login(&h, "258025");
		printf("login.pss.round%d.staff_menu %.1f MiB\n", round, pss_kib() / 1024.0);
		h_click(&h, ACT_STAFF_CLOSE, 0);
		for (int i = 0; i < 5; i++)
			app_step(h.app, 20);
		if (sv(&h)->screen != STAFF_OFF) {
			fprintf(stderr, "bench_login: the staff menu did not close\n");
			return 1;
		}
		printf("login.pss.round%d.welcome_after %.1f MiB\n", round, pss_kib() / 1024.0);
	}
	h_close(&h);
	return 0;
}
