/*
 * test_kiosk_setup: what a kiosk is set up with (kiosk_setup.h), on a real
 * SQLite file, read back after closing and reopening it: a new database
 * is new until a PIN or a session exists; kiosk.yaml's kiosk_id is kept;
 * its event starts once and stays ended when staff end it, and a new name
 * in the file starts again; flows are offered until staff hide them;
 * event names are checked.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/kiosk_setup.h"
#include "pin/pin.h"
#include "store/store.h"
#include "store_fixture.h"
#include "base/util.h"

static void
event_names(void **state)
{
	(void)state;
	assert_true(kiosk_event_valid("Spring drop-in"));
	assert_true(kiosk_event_valid("Forum 2026-12-01"));
	assert_true(kiosk_event_valid("اجتماع"));
	assert_false(kiosk_event_valid(""));
	assert_false(kiosk_event_valid(NULL));
	assert_false(kiosk_event_valid(" leading"));
	assert_false(kiosk_event_valid("trailing "));
	assert_false(kiosk_event_valid("two\nlines"));
	assert_false(kiosk_event_valid("bad \xff utf-8"));
	char long_name[KIOSK_EVENT_MAX + 1];
	memset(long_name, 'a', sizeof long_name - 1);
	long_name[sizeof long_name - 1] = '\0';
	assert_false(kiosk_event_valid(long_name));
	long_name[KIOSK_EVENT_MAX - 1] = '\0';
	assert_true(kiosk_event_valid(long_name));
}

static void
new_until_pin_or_session(void **state)
{
	store_fx *f = *state;
	kiosk_setup ks;
	assert_int_equal(kiosk_setup_read(f->st, &ks, NULL), 0);
	assert_true(ks.is_new);
	assert_false(ks.pin_set);
	assert_int_equal(ks.n_sessions, 0);
	assert_string_equal(ks.event, "");
	assert_int_equal(strncmp(ks.kiosk_id, "kiosk-", 6), 0);
	assert_int_equal(pin_set(f->st, "24681357", PIN_MIN_DIGITS, NULL), 0);
	store_fx_reopen(f);
	assert_int_equal(kiosk_setup_read(f->st, &ks, NULL), 0);
	assert_false(ks.is_new);
	assert_true(ks.pin_set);
}

static void
a_session_makes_it_not_new(void **state)
{
	store_fx *f = *state;
	store_session s = { .id = "00000000-0000-4000-8000-000000000001", .flow_id = "school-day",
	                    .flow_version = 1, .flow_hash = "ab", .language = "en",
	                    .presentation = "large-symbol", .started_wall_ms = 1795000000000LL };
	assert_int_equal(store_begin_session(f->st, &s, NULL), 0);
	kiosk_setup ks;
	assert_int_equal(kiosk_setup_read(f->st, &ks, NULL), 0);
	assert_false(ks.is_new);
	assert_int_equal(ks.n_sessions, 1);
}

static void
settings_kiosk_id_and_event(void **state)
{
	store_fx *f = *state;
	kiosk_setup ks;
	assert_int_equal(kiosk_setup_apply_settings(f->st, "hall-1", "Spring drop-in", NULL), 0);
	store_fx_reopen(f);
	assert_int_equal(kiosk_setup_read(f->st, &ks, NULL), 0);
	assert_string_equal(ks.kiosk_id, "hall-1");
	assert_string_equal(ks.event, "Spring drop-in");

	/* Staff end it on the screen; the same file at the next start does
	 * not bring it back. */
	assert_int_equal(kiosk_setup_set_event(f->st, NULL, NULL), 0);
	store_fx_reopen(f);
	assert_int_equal(kiosk_setup_apply_settings(f->st, "hall-1", "Spring drop-in", NULL), 0);
	assert_int_equal(kiosk_setup_read(f->st, &ks, NULL), 0);
	assert_string_equal(ks.event, "");

	/* A new name in the file starts it. */
	assert_int_equal(kiosk_setup_apply_settings(f->st, NULL, "Summer drop-in", NULL), 0);
	assert_int_equal(kiosk_setup_read(f->st, &ks, NULL), 0);
	assert_string_equal(ks.event, "Summer drop-in");
	assert_string_equal(ks.kiosk_id, "hall-1");

	/* One started on the screen stays, whatever the file said before. */
	assert_int_equal(kiosk_setup_set_event(f->st, "Autumn forum", NULL), 0);
	store_fx_reopen(f);
	assert_int_equal(kiosk_setup_apply_settings(f->st, NULL, "Summer drop-in", NULL), 0);
	assert_int_equal(kiosk_setup_read(f->st, &ks, NULL), 0);
	assert_string_equal(ks.event, "Autumn forum");

	tl_error e;
	assert_int_equal(kiosk_setup_set_event(f->st, "bad\tname", &e), -1);
	assert_int_equal(e.code, TL_E_INVALID);
	assert_int_equal(kiosk_setup_read(f->st, &ks, NULL), 0);
	assert_string_equal(ks.event, "Autumn forum");
}

static void
offered_flows(void **state)
{
	store_fx *f = *state;
	assert_int_equal(kiosk_setup_offered(f->st, "school-day", NULL), 1);
	assert_int_equal(kiosk_setup_set_offered(f->st, "school-day", false, NULL), 0);
	store_fx_reopen(f);
	assert_int_equal(kiosk_setup_offered(f->st, "school-day", NULL), 0);
	assert_int_equal(kiosk_setup_offered(f->st, "clinic-visit", NULL), 1);
	assert_int_equal(kiosk_setup_set_offered(f->st, "school-day", true, NULL), 0);
	assert_int_equal(kiosk_setup_offered(f->st, "school-day", NULL), 1);
	tl_error e;
	assert_int_equal(kiosk_setup_offered(f->st, "", &e), -1);
}

static void
read_only_refuses(void **state)
{
	store_fx *f = *state;
	store_close(f->st);
	store_options ro = { .read_only = true };
	assert_int_equal(store_open(f->db, &ro, &f->st, NULL), 0);
	tl_error e;
	assert_int_equal(kiosk_setup_set_event(f->st, "Spring drop-in", &e), -1);
	kiosk_setup ks;
	assert_int_equal(kiosk_setup_read(f->st, &ks, NULL), 0);
	assert_string_equal(ks.event, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(event_names),
		cmocka_unit_test_setup_teardown(new_until_pin_or_session, store_fx_setup, store_fx_teardown),
		cmocka_unit_test_setup_teardown(a_session_makes_it_not_new, store_fx_setup, store_fx_teardown),
		cmocka_unit_test_setup_teardown(settings_kiosk_id_and_event, store_fx_setup, store_fx_teardown),
		cmocka_unit_test_setup_teardown(offered_flows, store_fx_setup, store_fx_teardown),
		cmocka_unit_test_setup_teardown(read_only_refuses, store_fx_setup, store_fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
