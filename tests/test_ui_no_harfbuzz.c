/*
 * test_ui_no_harfbuzz: a kiosk whose SDL_ttf cannot shape (no HarfBuzz)
 * says so in the staff menu, instead of showing Arabic, Urdu and Bengali
 * broken without a word. Run twice by meson: with the no_harfbuzz shim
 * preloaded (TELLUS_EXPECT_NO_HARFBUZZ=1: the notice must be there) and
 * without it (Debian's SDL_ttf has HarfBuzz: no notice).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pin/pin.h"
#include "staff/staff.h"
#include "store/store.h"
#include "ui.h"
#include "ui_harness.h"

static const staff_view *sv(harness *h) { return app_staff(h->app); }

static void
test_staff_menu_says_so(void **state)
{
	(void)state;
	bool expect = getenv("TELLUS_EXPECT_NO_HARFBUZZ") != NULL;
	harness h;
	h_open(&h, "school-day.yaml", 1280, 800, false);
	store *st;
	assert_int_equal(store_open(h.db, NULL, &st, NULL), 0);
	assert_int_equal(pin_set(st, "246813", PIN_MIN_DIGITS, NULL), 0);
	store_close(st);

	/* The staff gesture, then the PIN, to the menu. */
	int w, hh;
	SDL_GetWindowSize(app_window(h.app), &w, &hh);
	h_staff_gesture(&h);
	assert_int_equal(sv(&h)->screen, STAFF_PIN);
	h_settle_staff(&h);
	for (const char *p = "246813"; *p; p++)
		h_click(&h, ACT_STAFF_DIGIT, *p - '0');
	h_click(&h, ACT_STAFF_OK, 0);
	h_settle_staff(&h);
	assert_int_equal(sv(&h)->screen, STAFF_MENU);

	if (expect) {
		assert_non_null(sv(&h)->text_status);
		assert_non_null(strstr(sv(&h)->text_status, "HarfBuzz"));
	} else {
		assert_null(sv(&h)->text_status);
	}
	const char *keep = getenv("TELLUS_SHOT");
	if (keep) {
		SDL_Surface *s = app_screenshot(h.app);
		assert_non_null(s);
		assert_int_equal(h_save_png(s, keep), 0);
		SDL_FreeSurface(s);
	}
	h_close(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_staff_menu_says_so),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
