/*
 * pin: see pin.h. The hash, the count of wrong tries and the locked-until
 * time are three rows of the meta table; a wrong try updates the count and
 * the lock in one transaction, so a power cut cannot leave a count without
 * its lock.
 */
#include "pin/pin.h"
#include "store/store_meta.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_HASH "pin_hash"
#define KEY_FAILS "pin_failures"
#define KEY_UNTIL "pin_locked_until_ms"
/* Present once staff access was set up (a PIN set) or sessions were
 * deleted: from then on only `tellus set-pin` makes a PIN. */
#define KEY_SETUP_CLOSED PIN_SETUP_CLOSED_KEY

/* What a failed read of the PIN's rows says first. */
#define READING "could not read the PIN"

static int
meta_get_int(sqlite3 *db, const char *key, int64_t *out, tl_error *err)
{
	char buf[32];
	int r = store_meta_get(db, key, buf, sizeof buf, READING, err);
	*out = r == 1 ? strtoll(buf, NULL, 10) : 0;
	return r < 0 ? -1 : 0;
}

static int may_create_db(sqlite3 *db, tl_error *err);

/* Stores the given rows together, in one transaction; 0, or -1 with err
 * filled as "WHAT: the database's words". With only_first, the rows are
 * written only while a PIN may be created on the kiosk (pin_may_create),
 * decided inside the same transaction; TL_E_REFUSED when not. */
static int
meta_set_all(sqlite3 *db, const char *const (*rows)[2], size_t n, const char *what,
             bool only_first, tl_error *err)
{
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return store_meta_error(db, what, err);
	if (only_first) {
		int may = may_create_db(db, err);
		if (may != 1) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			if (may == 0)
				tl_err(err, TL_E_REFUSED, "staff access is set up already: only `tellus "
				       "set-pin` at the kiosk's console can change the PIN");
			return -1;
		}
	}
	bool ok = true;
	for (size_t i = 0; ok && i < n; i++)
		ok = store_meta_set(db, rows[i][0], rows[i][1]) == SQLITE_OK;
	if (ok && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	store_meta_error(db, what, err);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* Stores the count and the lock together. */
static int
save_backoff(sqlite3 *db, int64_t failures, int64_t until, tl_error *err)
{
	char f[32], u[32];
	snprintf(f, sizeof f, "%lld", (long long)failures);
	snprintf(u, sizeof u, "%lld", (long long)until);
	const char *const rows[][2] = { { KEY_FAILS, f }, { KEY_UNTIL, u } };
	return meta_set_all(db, rows, 2, "could not save the count of wrong tries", false, err);
}

static int
clamp_min(int min_digits)
{
	return min_digits < PIN_MIN_DIGITS || min_digits > PIN_MAX_DIGITS ? PIN_MIN_DIGITS
	                                                                  : min_digits;
}

/* Digits only, from min to PIN_MAX_DIGITS of them. */
static bool
digits_between(const char *pin, int min)
{
	if (!pin)
		return false;
	size_t n = strlen(pin);
	if (n < (size_t)min || n > PIN_MAX_DIGITS)
		return false;
	for (size_t i = 0; i < n; i++)
		if (pin[i] < '0' || pin[i] > '9')
			return false;
	return true;
}

bool
pin_valid(const char *pin, int min_digits)
{
	return digits_between(pin, clamp_min(min_digits));
}

int64_t
pin_backoff_ms(int failures)
{
	if (failures < PIN_FREE_TRIES)
		return 0;
	int64_t w = PIN_FIRST_WAIT_MS;
	for (int i = PIN_FREE_TRIES; i < failures && w < PIN_MAX_WAIT_MS; i++)
		w *= 2;
	return w < PIN_MAX_WAIT_MS ? w : PIN_MAX_WAIT_MS;
}

int
pin_is_set(store *st, tl_error *err)
{
	char buf[crypto_pwhash_STRBYTES];
	int r = store_meta_get(store_db(st), KEY_HASH, buf, sizeof buf, READING, err);
	return r < 0 ? -1 : r == 1 && buf[0] != '\0';
}

/* 1 may, 0 may not, -1 with err filled: no PIN, no session, never closed. */
static int
may_create_db(sqlite3 *db, tl_error *err)
{
	char buf[crypto_pwhash_STRBYTES];
	int r = store_meta_get(db, KEY_HASH, buf, sizeof buf, READING, err);
	if (r < 0)
		return -1;
	if (r == 1 && buf[0] != '\0')
		return 0;
	char closed[8];
	if ((r = store_meta_get(db, KEY_SETUP_CLOSED, closed, sizeof closed, READING, err)) != 0)
		return r < 0 ? -1 : 0;
	sqlite3_stmt *s = NULL;
	int any = -1;
	if (sqlite3_prepare_v2(db, "SELECT EXISTS(SELECT 1 FROM sessions)", -1, &s, NULL) ==
	            SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		any = sqlite3_column_int(s, 0);
	if (any < 0)
		store_meta_error(db, "could not read the sessions", err);
	sqlite3_finalize(s);
	return any < 0 ? -1 : !any;
}

int
pin_may_create(store *st, tl_error *err)
{
	return may_create_db(store_db(st), err);
}

int
pin_close_setup(store *st, tl_error *err)
{
	const char *const rows[][2] = { { KEY_SETUP_CLOSED, "1" } };
	return meta_set_all(store_db(st), rows, 1, "could not note that the set-up is done", false,
	                    err);
}

static int
set_pin(store *st, const char *pin, int min_digits, bool only_first, tl_error *err)
{
	min_digits = clamp_min(min_digits);
	if (!pin_valid(pin, min_digits))
		return tl_err(err, TL_E_INVALID, "a PIN is %d to %d digits", min_digits,
		              PIN_MAX_DIGITS);
	if (sodium_init() < 0)
		return tl_err(err, TL_E_IO, "the crypto library did not start");
	/* Hashed before the transaction: argon2id takes a while, and the
	 * writer must not wait for it. */
	char hash[crypto_pwhash_STRBYTES];
	if (crypto_pwhash_str(hash, pin, strlen(pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return tl_err(err, TL_E_NOMEM, "out of memory while hashing the PIN");
	const char *const rows[][2] = { { KEY_HASH, hash }, { KEY_FAILS, "0" }, { KEY_UNTIL, "0" },
	                                { KEY_SETUP_CLOSED, "1" } };
	return meta_set_all(store_db(st), rows, 4, "could not save the PIN", only_first, err);
}

int
pin_set(store *st, const char *pin, int min_digits, tl_error *err)
{
	return set_pin(st, pin, min_digits, false, err);
}

int
pin_create_first(store *st, const char *pin, int min_digits, tl_error *err)
{
	return set_pin(st, pin, min_digits, true, err);
}

int
pin_wait_ms(store *st, int64_t now, int64_t *wait_ms, int *failures, tl_error *err)
{
	sqlite3 *db = store_db(st);
	int64_t fails = 0, until = 0;
	if (meta_get_int(db, KEY_FAILS, &fails, err) != 0 ||
	    meta_get_int(db, KEY_UNTIL, &until, err) != 0)
		return -1;
	if (failures)
		*failures = fails > 1000000 ? 1000000 : (int)fails;
	int64_t left = until - now;
	if (left <= 0) {
		*wait_ms = 0;
		return 0;
	}
	/* A wall clock set back must not lock the kiosk for days: never wait
	 * longer than the longest lock from now. */
	int64_t cap = pin_backoff_ms(fails > 1000000 ? 1000000 : (int)fails);
	if (cap <= 0 || cap > PIN_MAX_WAIT_MS)
		cap = PIN_MAX_WAIT_MS;
	if (left > cap) {
		if (save_backoff(db, fails, now + cap, err) != 0)
			return -1;
		left = cap;
	}
	*wait_ms = left;
	return 0;
}

int
pin_check(store *st, const char *pin, int64_t now, enum pin_result *result, int64_t *wait_ms,
          tl_error *err)
{
	int64_t dummy;
	if (!wait_ms)
		wait_ms = &dummy;
	*wait_ms = 0;
	sqlite3 *db = store_db(st);
	char hash[crypto_pwhash_STRBYTES];
	int r = store_meta_get(db, KEY_HASH, hash, sizeof hash, READING, err);
	if (r < 0)
		return -1;
	if (r == 0 || hash[0] == '\0') {
		*result = PIN_NOT_SET;
		return 0;
	}
	int fails = 0;
	int64_t left;
	if (pin_wait_ms(st, now, &left, &fails, err) != 0)
		return -1;
	if (left > 0) {
		*wait_ms = left;
		*result = PIN_LOCKED;
		return 0;
	}
	if (sodium_init() < 0)
		return tl_err(err, TL_E_IO, "the crypto library did not start");
	bool ok = digits_between(pin, PIN_ENTER_MIN_DIGITS) &&
	          crypto_pwhash_str_verify(hash, pin, strlen(pin)) == 0;
	if (ok) {
		if (save_backoff(db, 0, 0, err) != 0)
			return -1;
		*result = PIN_OK;
		return 0;
	}
	fails++;
	int64_t wait = pin_backoff_ms(fails);
	if (save_backoff(db, fails, wait ? now + wait : 0, err) != 0)
		return -1;
	*wait_ms = wait;
	*result = PIN_WRONG;
	return 0;
}
