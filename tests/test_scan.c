/*
 * test_scan: the switch-access and dwell state machines (src/ui/scan.c,
 * src/ui/dwell.c), pure, with time passed in: auto-scan timing, rounds and
 * rest, tap-hold, two switches, the repeat guard, fresh presses only
 * across screens, and dwell's filling, leaving, re-arming and its need of
 * a clear move on every new screen.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "input/scan.h"
#include "input/dwell.h"

static access_settings
settings(enum access_method m)
{
	access_settings a;
	access_default(&a);
	a.method = m;
	a.scan_interval_ms = 1000;
	a.scan_first_pause_ms = 500;
	a.scan_rounds = 2;
	a.switch_hold_ms = 800;
	a.dwell_ms = 1000;
	return a;
}

static void
test_auto_scan_timing(void **state)
{
	(void)state;
	access_settings a = settings(ACCESS_SCAN);
	scan_state s;
	scan_init(&s, 300);
	bool redraw = false;
	assert_true(scan_count(&s, 4, 1, 0));
	assert_int_equal(scan_highlight(&s), 1);
	/* The first item of a round stays interval + first pause. */
	assert_int_equal(scan_next_deadline(&s, &a, 0), 1500);
	assert_int_equal(scan_tick(&s, &a, 1499, &redraw), -1);
	assert_false(redraw);
	assert_int_equal(scan_highlight(&s), 1);
	scan_tick(&s, &a, 1500, &redraw);
	assert_true(redraw);
	assert_int_equal(scan_highlight(&s), 2);
	assert_int_equal(scan_next_deadline(&s, &a, 1500), 2500);
	/* Late wake-ups catch up step by step: 2 -> 3 -> 0, then 1 at 4500,
	 * where a new round's first item stays 1500 again. */
	scan_tick(&s, &a, 4499, &redraw);
	assert_int_equal(scan_highlight(&s), 0);
	scan_tick(&s, &a, 5999, &redraw);
	assert_int_equal(scan_highlight(&s), 1);
	assert_int_equal(scan_next_deadline(&s, &a, 5999), 6000);
	/* Same screen, a Done button appears: the highlight stays put. */
	assert_false(scan_count(&s, 5, 1, 5600));
	assert_int_equal(scan_highlight(&s), 1);
}

static void
test_auto_scan_rests_and_wakes(void **state)
{
	(void)state;
	access_settings a = settings(ACCESS_SCAN);
	scan_state s;
	scan_init(&s, 300);
	bool redraw = false;
	scan_count(&s, 3, 0, 0);
	/* Two rounds of 3: 1500 + 1000 + 1000, twice, then it rests. */
	scan_tick(&s, &a, 3499, &redraw);
	assert_int_equal(scan_highlight(&s), 2);
	scan_tick(&s, &a, 3500, &redraw);
	assert_int_equal(scan_highlight(&s), 0);
	scan_tick(&s, &a, 6999, &redraw);
	assert_int_equal(scan_highlight(&s), 2);
	scan_tick(&s, &a, 7000, &redraw);
	assert_int_equal(scan_highlight(&s), -1);
	assert_true(scan_next_deadline(&s, &a, 7000) == INT64_MAX);
	/* The press that wakes it chooses nothing. */
	redraw = false;
	assert_int_equal(scan_switch(&s, &a, 1, true, 9000, &redraw), -1);
	assert_true(redraw);
	assert_int_equal(scan_highlight(&s), 0);
	assert_int_equal(scan_next_deadline(&s, &a, 9000), 10500);
	scan_switch(&s, &a, 1, false, 9100, &redraw);
	/* The next press chooses what is highlighted. */
	assert_int_equal(scan_switch(&s, &a, 1, true, 9200, &redraw), 0);
	scan_switch(&s, &a, 1, false, 9300, &redraw);
	/* A second press inside the repeat guard chooses nothing more. */
	assert_int_equal(scan_switch(&s, &a, 1, true, 9400, &redraw), -1);
	scan_switch(&s, &a, 1, false, 9450, &redraw);
	assert_int_equal(scan_switch(&s, &a, 1, true, 9500, &redraw), 0);
	scan_switch(&s, &a, 1, false, 9550, &redraw);
	/* A new screen starts at its first answer. */
	scan_new_screen(&s);
	assert_int_equal(scan_highlight(&s), -1);
	assert_true(scan_count(&s, 6, 2, 9600));
	assert_int_equal(scan_highlight(&s), 2);
}

static void
test_tap_hold(void **state)
{
	(void)state;
	access_settings a = settings(ACCESS_TAP_HOLD);
	scan_state s;
	scan_init(&s, 300);
	bool redraw = false;
	scan_count(&s, 3, 0, 0);
	/* No time-driven moves in tap-hold. */
	assert_int_equal(scan_tick(&s, &a, 100000, &redraw), -1);
	assert_int_equal(scan_highlight(&s), 0);
	/* A tap moves on. */
	assert_int_equal(scan_switch(&s, &a, 1, true, 1000, &redraw), -1);
	assert_true(redraw);
	assert_true(scan_hold_progress(&s, &a, 1400) > 0.49f);
	assert_true(scan_next_deadline(&s, &a, 1000) <= 1800);
	assert_int_equal(scan_switch(&s, &a, 1, false, 1200, &redraw), -1);
	assert_int_equal(scan_highlight(&s), 1);
	assert_true(scan_hold_progress(&s, &a, 1300) == 0.0f);
	/* A hold chooses when it reaches the hold time, not on release. */
	scan_switch(&s, &a, 1, true, 2000, &redraw);
	assert_int_equal(scan_tick(&s, &a, 2799, &redraw), -1);
	assert_int_equal(scan_tick(&s, &a, 2800, &redraw), 1);
	assert_int_equal(scan_tick(&s, &a, 2900, &redraw), -1);
	/* Its release moves nothing. */
	scan_switch(&s, &a, 1, false, 3000, &redraw);
	assert_int_equal(scan_highlight(&s), 1);
	/* Reduced motion: the ring fills in quarters. */
	a.reduced_motion = true;
	scan_switch(&s, &a, 1, true, 5000, &redraw);
	assert_true(scan_hold_progress(&s, &a, 5300) == 0.25f);
	assert_int_equal(scan_next_deadline(&s, &a, 5300), 5400);
}

static void
test_two_switches(void **state)
{
	(void)state;
	access_settings a = settings(ACCESS_TWO_SWITCH);
	scan_state s;
	scan_init(&s, 300);
	bool redraw = false;
	scan_count(&s, 3, 0, 0);
	/* Fast steps are never swallowed by the repeat guard. */
	for (int i = 1; i <= 7; i++) {
		scan_switch(&s, &a, 1, true, 1000 + i * 20, &redraw);
		scan_switch(&s, &a, 1, false, 1005 + i * 20, &redraw);
	}
	assert_int_equal(scan_highlight(&s), 7 % 3);
	assert_int_equal(scan_switch(&s, &a, 2, true, 1200, &redraw), 1);
	scan_switch(&s, &a, 2, false, 1250, &redraw);
	assert_int_equal(scan_switch(&s, &a, 2, true, 1300, &redraw), -1);
	scan_switch(&s, &a, 2, false, 1350, &redraw);
	assert_int_equal(scan_switch(&s, &a, 2, true, 1500, &redraw), 1);
	assert_true(scan_next_deadline(&s, &a, 1500) == INT64_MAX);
	/* A second "down" with no "up" between (a bouncing contact) is not a
	 * press, however long after. */
	assert_int_equal(scan_switch(&s, &a, 2, true, 5000, &redraw), -1);
}

/* A switch held down when a new screen comes does nothing on it until it
 * is let go and pressed again: no step on release, no hold that chooses. */
static void
test_held_across_screens(void **state)
{
	(void)state;
	access_settings a = settings(ACCESS_TAP_HOLD);
	scan_state s;
	scan_init(&s, 300);
	bool redraw = false;
	scan_count(&s, 3, 0, 0);
	/* Down on one screen; the screen changes 100 ms later (a timer, a
	 * touch by someone else). */
	assert_int_equal(scan_switch(&s, &a, 1, true, 1000, &redraw), -1);
	scan_new_screen(&s);
	scan_count(&s, 4, 0, 1100);
	/* Held far past the hold time: nothing chosen. */
	for (int64_t t = 1100; t <= 11000; t += 100)
		assert_int_equal(scan_tick(&s, &a, t, &redraw), -1);
	assert_true(scan_hold_progress(&s, &a, 5000) == 0.0f);
	/* Let go: no step either. */
	assert_int_equal(scan_switch(&s, &a, 1, false, 11000, &redraw), -1);
	assert_int_equal(scan_highlight(&s), 0);
	/* A fresh tap steps; a fresh hold chooses. */
	scan_switch(&s, &a, 1, true, 12000, &redraw);
	scan_switch(&s, &a, 1, false, 12100, &redraw);
	assert_int_equal(scan_highlight(&s), 1);
	scan_switch(&s, &a, 1, true, 13000, &redraw);
	assert_int_equal(scan_tick(&s, &a, 13800, &redraw), 1);
	/* Held on into the next screen after choosing: its release there
	 * does not step. */
	scan_new_screen(&s);
	scan_count(&s, 4, 2, 13900);
	assert_int_equal(scan_switch(&s, &a, 1, false, 14500, &redraw), -1);
	assert_int_equal(scan_highlight(&s), 2);
	/* The other switch let go while one is held does not end that hold. */
	scan_switch(&s, &a, 1, true, 20000, &redraw);
	scan_switch(&s, &a, 2, true, 20100, &redraw);
	scan_switch(&s, &a, 2, false, 20200, &redraw);
	assert_int_equal(scan_highlight(&s), 2);
	assert_int_equal(scan_tick(&s, &a, 20800, &redraw), 2);

	/* Two switches: the choosing switch held across a screen change,
	 * bouncing there, chooses nothing until pressed again. */
	a = settings(ACCESS_TWO_SWITCH);
	scan_init(&s, 300);
	scan_count(&s, 3, 0, 0);
	assert_int_equal(scan_switch(&s, &a, 2, true, 1000, &redraw), 0);
	scan_new_screen(&s);
	scan_count(&s, 3, 0, 1100);
	assert_int_equal(scan_switch(&s, &a, 2, true, 2000, &redraw), -1);
	assert_int_equal(scan_switch(&s, &a, 2, false, 2100, &redraw), -1);
	assert_int_equal(scan_switch(&s, &a, 2, true, 2200, &redraw), 0);
}

static void
test_dwell(void **state)
{
	(void)state;
	access_settings a = settings(ACCESS_DWELL);
	dwell_state d;
	dwell_init(&d);
	assert_int_equal(dwell_showing(&d), -1);
	/* Where the pointer lies when the screen appears, then a clear move. */
	assert_false(dwell_pointer(&d, &a, 2, 100, 100, 0));
	assert_true(dwell_pointer(&d, &a, 2, 100, 130, 0));
	assert_int_equal(dwell_showing(&d), 2);
	assert_true(dwell_progress(&d, &a, 500) > 0.49f && dwell_progress(&d, &a, 500) < 0.51f);
	assert_int_equal(dwell_tick(&d, &a, 999), -1);
	/* Leaving resets. */
	assert_true(dwell_pointer(&d, &a, -1, 0, 0, 900));
	assert_true(dwell_pointer(&d, &a, 2, 100, 130, 950));
	assert_int_equal(dwell_tick(&d, &a, 1500), -1);
	assert_int_equal(dwell_tick(&d, &a, 1950), 2);
	/* Resting on after the choice chooses nothing more. */
	assert_int_equal(dwell_showing(&d), -1);
	assert_int_equal(dwell_tick(&d, &a, 5000), -1);
	assert_true(dwell_next_deadline(&d, &a, 5000) == INT64_MAX);
	/* Leaving and coming back re-arms it. */
	dwell_pointer(&d, &a, 1, 300, 130, 5100);
	dwell_pointer(&d, &a, 2, 100, 130, 5200);
	assert_int_equal(dwell_tick(&d, &a, 6200), 2);
	/* A new screen: the pointer lying where it was (and trembling less
	 * than dwell_move_px) chooses nothing, however long. */
	dwell_new_screen(&d);
	for (int64_t t = 7000; t <= 17000; t += 100) {
		assert_false(dwell_pointer(&d, &a, 2, 500 + (int)(t / 100 % 3) * 5, 300, t));
		assert_int_equal(dwell_showing(&d), -1);
		assert_int_equal(dwell_tick(&d, &a, t), -1);
		assert_true(dwell_next_deadline(&d, &a, t) == INT64_MAX);
	}
	assert_false(dwell_armed(&d));
	/* A clear move (20 px from where it lay) arms it; then resting
	 * dwell_ms chooses. */
	assert_true(dwell_pointer(&d, &a, 2, 500, 320, 17100));
	assert_true(dwell_armed(&d));
	assert_int_equal(dwell_tick(&d, &a, 18099), -1);
	assert_int_equal(dwell_tick(&d, &a, 18100), 2);
	/* A changed layout disarms it too, and keeps the chosen one blocked. */
	dwell_layout(&d, 42);
	assert_false(dwell_armed(&d));
	dwell_pointer(&d, &a, 2, 500, 320, 18200);
	dwell_pointer(&d, &a, 2, 500, 345, 18300);
	assert_true(dwell_armed(&d));
	assert_int_equal(dwell_tick(&d, &a, 30000), -1);
	dwell_layout(&d, 42);  /* the same layout built again changes nothing */
	assert_true(dwell_armed(&d));
	/* Reduced motion: quarters, and wake-ups only at each quarter. */
	a.reduced_motion = true;
	dwell_new_screen(&d);
	dwell_pointer(&d, &a, 0, 0, 0, 9000);
	dwell_pointer(&d, &a, 0, 30, 0, 10000);
	assert_true(dwell_progress(&d, &a, 10600) == 0.5f);
	assert_int_equal(dwell_next_deadline(&d, &a, 10600), 10750);
	a.reduced_motion = false;
	assert_int_equal(dwell_next_deadline(&d, &a, 10600), 10650);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_auto_scan_timing),
		cmocka_unit_test(test_auto_scan_rests_and_wakes),
		cmocka_unit_test(test_tap_hold),
		cmocka_unit_test(test_two_switches),
		cmocka_unit_test(test_held_across_screens),
		cmocka_unit_test(test_dwell),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
