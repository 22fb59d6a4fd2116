/*
 * test_scan: the switch-access and dwell state machines (src/ui/scan.c,
 * src/ui/dwell.c), pure, with time passed in: auto-scan timing, rounds and
 * rest, tap-hold, two switches, the repeat guard, and dwell's filling,
 * leaving and re-arming.
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
	/* The next press chooses what is highlighted. */
	assert_int_equal(scan_switch(&s, &a, 1, true, 9200, &redraw), 0);
	/* A second press inside the repeat guard chooses nothing more. */
	assert_int_equal(scan_switch(&s, &a, 1, true, 9400, &redraw), -1);
	assert_int_equal(scan_switch(&s, &a, 1, true, 9500, &redraw), 0);
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
	assert_int_equal(scan_switch(&s, &a, 2, true, 1300, &redraw), -1);
	assert_int_equal(scan_switch(&s, &a, 2, true, 1500, &redraw), 1);
	assert_true(scan_next_deadline(&s, &a, 1500) == INT64_MAX);
}

static void
test_dwell(void **state)
{
	(void)state;
	access_settings a = settings(ACCESS_DWELL);
	dwell_state d;
	dwell_init(&d);
	assert_int_equal(dwell_showing(&d), -1);
	assert_true(dwell_pointer(&d, 2, 0));
	assert_int_equal(dwell_showing(&d), 2);
	assert_true(dwell_progress(&d, &a, 500) > 0.49f && dwell_progress(&d, &a, 500) < 0.51f);
	assert_int_equal(dwell_tick(&d, &a, 999), -1);
	/* Leaving resets. */
	assert_true(dwell_pointer(&d, -1, 900));
	assert_true(dwell_pointer(&d, 2, 950));
	assert_int_equal(dwell_tick(&d, &a, 1500), -1);
	assert_int_equal(dwell_tick(&d, &a, 1950), 2);
	/* Resting on after the choice chooses nothing more. */
	assert_int_equal(dwell_showing(&d), -1);
	assert_int_equal(dwell_tick(&d, &a, 5000), -1);
	assert_true(dwell_next_deadline(&d, &a, 5000) == INT64_MAX);
	/* Leaving and coming back re-arms it. */
	dwell_pointer(&d, 1, 5100);
	dwell_pointer(&d, 2, 5200);
	assert_int_equal(dwell_tick(&d, &a, 6200), 2);
	/* So does a new screen. */
	dwell_new_screen(&d);
	dwell_pointer(&d, 2, 7000);
	assert_int_equal(dwell_tick(&d, &a, 8000), 2);
	/* Reduced motion: quarters, and wake-ups only at each quarter. */
	a.reduced_motion = true;
	dwell_new_screen(&d);
	dwell_pointer(&d, 0, 10000);
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
		cmocka_unit_test(test_dwell),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
