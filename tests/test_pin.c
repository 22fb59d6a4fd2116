/*
 * test_pin: the staff PIN is stored only as an argon2id hash, wrong tries
 * back off, the back-off survives closing and reopening the database, a
 * right PIN resets it, and a lock refuses even the right PIN until its time
 * has passed. Wall time is injected.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <unistd.h>

#include "pin/pin.h"
#include "store/store.h"
#include "store_fixture.h"
#include "base/util.h"

/* pin_check's finding, the call itself having worked. */
static enum pin_result
check(store *st, const char *pin, int64_t now, int64_t *wait)
{
	enum pin_result r = PIN_NOT_SET;
	tl_error e;
	assert_int_equal(pin_check(st, pin, now, &r, wait, &e), 0);
	return r;
}

/* pin_wait_ms's wait, the call itself having worked. */
static int64_t
wait_of(store *st, int64_t now, int *fails)
{
	int64_t w = -1;
	tl_error e;
	assert_int_equal(pin_wait_ms(st, now, &w, fails, &e), 0);
	return w;
}

static void
valid_pins(void **state)
{
	(void)state;
	assert_true(pin_valid("123456", PIN_MIN_DIGITS));
	assert_true(pin_valid("123456789012", PIN_MIN_DIGITS));
	assert_false(pin_valid("12345", PIN_MIN_DIGITS));
	assert_false(pin_valid("1234", PIN_MIN_DIGITS));
	assert_false(pin_valid("1234567890123", PIN_MIN_DIGITS));
	assert_false(pin_valid("12a456", PIN_MIN_DIGITS));
	assert_false(pin_valid("", PIN_MIN_DIGITS));
	assert_false(pin_valid(NULL, PIN_MIN_DIGITS));
	/* pin_min_digits raises the floor; below 6 or above 12 is not a rule. */
	assert_false(pin_valid("1234567", 8));
	assert_true(pin_valid("12345678", 8));
	assert_false(pin_valid("12345", 4));
	assert_true(pin_valid("123456", 13));
	assert_int_equal(pin_backoff_ms(4), 0);
	assert_int_equal(pin_backoff_ms(5), 30000);
	assert_int_equal(pin_backoff_ms(6), 60000);
	assert_int_equal(pin_backoff_ms(7), 120000);
	assert_int_equal(pin_backoff_ms(40), PIN_MAX_WAIT_MS);
	assert_int_equal(pin_backoff_ms(2000000000), PIN_MAX_WAIT_MS);
}

/* True when needle occurs anywhere in the file's bytes (db and WAL). */
static bool
file_contains(const char *path, const char *needle)
{
	char *data = NULL;
	size_t len = 0;
	if (tl_read_file(path, &data, &len, NULL) != 0)
		return false;
	size_t nl = strlen(needle);
	bool found = false;
	for (size_t i = 0; !found && len >= nl && i <= len - nl; i++)
		found = memcmp(data + i, needle, nl) == 0;
	free(data);
	return found;
}

static void
hash_is_never_the_pin(void **state)
{
	store_fx *f = *state;
	tl_error e;
	assert_int_equal(pin_is_set(f->st, NULL), 0);
	assert_int_equal(check(f->st, "2580", 1000, NULL), PIN_NOT_SET);
	assert_int_equal(pin_set(f->st, "12", PIN_MIN_DIGITS, &e), -1);
	assert_int_equal(e.code, TL_E_INVALID);
	assert_string_equal(e.msg, "a PIN is 6 to 12 digits");
	assert_int_equal(pin_set(f->st, "73915482", PIN_MIN_DIGITS, &e), 0);
	assert_int_equal(pin_is_set(f->st, NULL), 1);

	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(store_db(f->st),
	        "SELECT value FROM meta WHERE key = 'pin_hash'", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	const char *h = (const char *)sqlite3_column_text(s, 0);
	assert_non_null(h);
	assert_true(strncmp(h, "$argon2id$", 10) == 0);
	assert_null(strstr(h, "73915482"));
	sqlite3_finalize(s);
	/* Nowhere in any table. */
	assert_int_equal(sqlite3_prepare_v2(store_db(f->st),
	        "SELECT count(*) FROM meta WHERE value LIKE '%73915482%'", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), 0);
	sqlite3_finalize(s);

	/* Nor in the bytes on disk, WAL included. */
	store_close(f->st);
	f->st = NULL;
	char wal[160];
	snprintf(wal, sizeof wal, "%s-wal", f->db);
	assert_false(file_contains(f->db, "73915482"));
	assert_false(file_contains(wal, "73915482"));
	assert_true(file_contains(f->db, "$argon2id$") || file_contains(wal, "$argon2id$"));
	store_fx_reopen(f);
	int64_t wait = -1;
	assert_int_equal(check(f->st, "73915482", 5000, &wait), PIN_OK);
	assert_int_equal(wait, 0);
	/* Two hashes of one PIN differ (a fresh salt each time). */
	char h1[256], h2[256];
	assert_int_equal(sqlite3_prepare_v2(store_db(f->st),
	        "SELECT value FROM meta WHERE key = 'pin_hash'", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	snprintf(h1, sizeof h1, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	assert_int_equal(pin_set(f->st, "73915482", PIN_MIN_DIGITS, &e), 0);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	snprintf(h2, sizeof h2, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	assert_string_not_equal(h1, h2);
}

static void
wrong_tries_back_off_and_survive_restart(void **state)
{
	store_fx *f = *state;
	tl_error e;
	int64_t now = 1795000000000LL, wait = -1;
	assert_int_equal(pin_set(f->st, "471147", PIN_MIN_DIGITS, &e), 0);
	/* Four free wrong tries, then the fifth locks for 30 s. */
	for (int i = 0; i < PIN_FREE_TRIES - 1; i++) {
		assert_int_equal(check(f->st, "1111", now, &wait), PIN_WRONG);
		assert_int_equal(wait, 0);
		now += 1000;
	}
	assert_int_equal(check(f->st, "not-a-pin", now, &wait), PIN_WRONG);
	assert_int_equal(wait, 30000);
	/* Locked: even the right PIN is refused, and is not counted. */
	now += 10000;
	assert_int_equal(check(f->st, "471147", now, &wait), PIN_LOCKED);
	assert_int_equal(wait, 20000);

	/* Switching off and on does not help. */
	store_fx_reopen(f);
	int fails = -1;
	assert_int_equal(wait_of(f->st, now, &fails), 20000);
	assert_int_equal(fails, PIN_FREE_TRIES);
	assert_int_equal(check(f->st, "471147", now + 19999, &wait), PIN_LOCKED);
	assert_int_equal(wait, 1);

	/* Once the time has passed, another wrong try doubles the wait. */
	now += 20000;
	assert_int_equal(check(f->st, "1234", now, &wait), PIN_WRONG);
	assert_int_equal(wait, 60000);
	now += 60000;
	assert_int_equal(check(f->st, "1234", now, &wait), PIN_WRONG);
	assert_int_equal(wait, 120000);
	store_fx_reopen(f);
	assert_int_equal(check(f->st, "471147", now + 119000, &wait), PIN_LOCKED);
	assert_int_equal(wait, 1000);

	/* The right PIN after the wait resets everything. */
	now += 120000;
	assert_int_equal(check(f->st, "471147", now, &wait), PIN_OK);
	assert_int_equal(wait_of(f->st, now, &fails), 0);
	assert_int_equal(fails, 0);
	assert_int_equal(check(f->st, "0000", now, &wait), PIN_WRONG);
	assert_int_equal(wait, 0);
}

static void
clock_set_back_waits_at_most_the_cap(void **state)
{
	store_fx *f = *state;
	tl_error e;
	int64_t now = 1795000000000LL, wait;
	assert_int_equal(pin_set(f->st, "555555", PIN_MIN_DIGITS, &e), 0);
	for (int i = 0; i < PIN_FREE_TRIES; i++)
		check(f->st, "0000", now, &wait);
	assert_int_equal(wait, 30000);
	/* The wall clock jumps a day back: the wait is not a day. */
	int64_t back = now - 86400000LL;
	assert_int_equal(wait_of(f->st, back, NULL), 30000);
	assert_int_equal(check(f->st, "555555", back + 30000, &wait), PIN_OK);
}

/* A database that fails is an error with its words, not a finding: never
 * "wrong PIN", never "no PIN yet" (which would let anyone choose one). */
static void
database_failure_is_an_error(void **state)
{
	store_fx *f = *state;
	tl_error e;
	assert_int_equal(pin_set(f->st, "471147", PIN_MIN_DIGITS, &e), 0);
	assert_int_equal(sqlite3_exec(store_db(f->st), "DROP TABLE meta", NULL, NULL, NULL), SQLITE_OK);
	enum pin_result r = PIN_OK;
	int64_t wait = -1;
	assert_int_equal(pin_check(f->st, "471147", 1000, &r, &wait, &e), -1);
	assert_int_equal(e.code, TL_E_DB);
	assert_non_null(strstr(e.msg, "could not read the PIN: "));
	assert_int_equal(pin_is_set(f->st, &e), -1);
	assert_int_equal(pin_wait_ms(f->st, 1000, &wait, NULL, &e), -1);
	assert_int_equal(e.code, TL_E_DB);
	assert_int_equal(pin_set(f->st, "471147", PIN_MIN_DIGITS, &e), -1);
	assert_int_equal(e.code, TL_E_DB);
	assert_non_null(strstr(e.msg, "could not save the PIN: "));
}

/* One session begun, as the kiosk's first child would. */
static void
begin_session(store *st)
{
	char id[37];
	tl_uuid4(id);
	store_session ss = {
		.id = id, .flow_id = "f", .flow_version = 1, .flow_hash = "h",
		.flow_source = "id: f", .language = "en", .presentation = "easy-read",
		.started_wall_ms = 1795000000000LL,
	};
	tl_error e;
	if (store_begin_session(st, &ss, &e) != 0)
		fail_msg("store_begin_session: %s", e.msg);
}

static void
clear_pin_row(store *st)
{
	assert_int_equal(sqlite3_exec(store_db(st), "DELETE FROM meta WHERE key LIKE 'pin%'",
	                              NULL, NULL, NULL), SQLITE_OK);
}

/* The kiosk's screens may make a PIN only on a new database: no PIN, no
 * session, never set up. After that only `tellus set-pin` (pin_set) can,
 * whatever happens to the PIN's row. */
static void
only_a_new_database_may_choose_a_pin(void **state)
{
	store_fx *f = *state;
	tl_error e;
	assert_int_equal(pin_may_create(f->st, &e), 1);
	/* Too short for the rule of the day is refused even here. */
	assert_int_equal(pin_create_first(f->st, "12345", PIN_MIN_DIGITS, &e), -1);
	assert_int_equal(e.code, TL_E_INVALID);
	assert_int_equal(pin_create_first(f->st, "1234567", 8, &e), -1);
	assert_int_equal(pin_create_first(f->st, "24681357", 8, &e), 0);
	assert_int_equal(check(f->st, "24681357", 1000, NULL), PIN_OK);
	/* Once set, the set-up is over: a cleared PIN row does not reopen it. */
	assert_int_equal(pin_may_create(f->st, &e), 0);
	clear_pin_row(f->st);
	assert_int_equal(pin_is_set(f->st, &e), 0);
	assert_int_equal(pin_may_create(f->st, &e), 0);
	assert_int_equal(pin_create_first(f->st, "135792", PIN_MIN_DIGITS, &e), -1);
	assert_int_equal(e.code, TL_E_REFUSED);
	assert_non_null(strstr(e.msg, "tellus set-pin"));
	assert_int_equal(pin_is_set(f->st, &e), 0);
	/* The console still can. */
	assert_int_equal(pin_set(f->st, "135792", PIN_MIN_DIGITS, &e), 0);
	assert_int_equal(check(f->st, "135792", 2000, NULL), PIN_OK);
}

static void
a_session_closes_the_set_up(void **state)
{
	store_fx *f = *state;
	tl_error e;
	assert_int_equal(pin_may_create(f->st, &e), 1);
	begin_session(f->st);
	assert_int_equal(pin_may_create(f->st, &e), 0);
	assert_int_equal(pin_create_first(f->st, "135792", PIN_MIN_DIGITS, &e), -1);
	assert_int_equal(e.code, TL_E_REFUSED);
	assert_int_equal(pin_is_set(f->st, &e), 0);
	/* Sessions deleted later (retention, clearing the kiosk) close it for
	 * good first: an emptied database is not a new one. */
	assert_int_equal(pin_close_setup(f->st, &e), 0);
	assert_int_equal(sqlite3_exec(store_db(f->st), "DELETE FROM answers; DELETE FROM sessions",
	                              NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(pin_may_create(f->st, &e), 0);
	store_fx_reopen(f);
	assert_int_equal(pin_may_create(f->st, &e), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_pins),
		cmocka_unit_test_setup_teardown(hash_is_never_the_pin, store_fx_setup, store_fx_teardown),
		cmocka_unit_test_setup_teardown(wrong_tries_back_off_and_survive_restart, store_fx_setup, store_fx_teardown),
		cmocka_unit_test_setup_teardown(clock_set_back_waits_at_most_the_cap, store_fx_setup, store_fx_teardown),
		cmocka_unit_test_setup_teardown(database_failure_is_an_error, store_fx_setup, store_fx_teardown),
		cmocka_unit_test_setup_teardown(only_a_new_database_may_choose_a_pin, store_fx_setup, store_fx_teardown),
		cmocka_unit_test_setup_teardown(a_session_closes_the_set_up, store_fx_setup, store_fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
