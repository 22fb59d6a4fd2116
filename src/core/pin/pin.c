/*
 * pin: see pin.h. The hash, the count of wrong tries and the locked-until
 * time are three rows of the meta table; a wrong try updates the count and
 * the lock in one transaction, so a power cut cannot leave a count without
 * its lock.
 */
#include "pin/pin.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_HASH "pin_hash"
#define KEY_FAILS "pin_failures"
#define KEY_UNTIL "pin_locked_until_ms"

/* Reads a meta value into buf; 1 found, 0 missing, -1 error. */
static int
meta_get(sqlite3 *db, const char *key, char *buf, size_t len)
{
	sqlite3_stmt *s = NULL;
	int found = -1;
	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC) == SQLITE_OK) {
		int rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			const char *v = (const char *)sqlite3_column_text(s, 0);
			snprintf(buf, len, "%s", v ? v : "");
			found = 1;
		} else if (rc == SQLITE_DONE) {
			buf[0] = '\0';
			found = 0;
		}
	}
	sqlite3_finalize(s);
	return found;
}

static int
meta_set(sqlite3 *db, const char *key, const char *value)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)",
	                            -1, &s, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	sqlite3_finalize(s);
	return rc == SQLITE_OK ? 0 : -1;
}

static int
meta_get_int(sqlite3 *db, const char *key, int64_t *out)
{
	char buf[32];
	int r = meta_get(db, key, buf, sizeof buf);
	*out = r == 1 ? strtoll(buf, NULL, 10) : 0;
	return r < 0 ? -1 : 0;
}

/* Stores the count and the lock together. */
static int
save_backoff(sqlite3 *db, int64_t failures, int64_t until)
{
	char f[32], u[32];
	snprintf(f, sizeof f, "%lld", (long long)failures);
	snprintf(u, sizeof u, "%lld", (long long)until);
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	if (meta_set(db, KEY_FAILS, f) == 0 && meta_set(db, KEY_UNTIL, u) == 0 &&
	    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

bool
pin_valid(const char *pin)
{
	if (!pin)
		return false;
	size_t n = strlen(pin);
	if (n < PIN_MIN_DIGITS || n > PIN_MAX_DIGITS)
		return false;
	for (size_t i = 0; i < n; i++)
		if (pin[i] < '0' || pin[i] > '9')
			return false;
	return true;
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
pin_is_set(store *st)
{
	char buf[crypto_pwhash_STRBYTES];
	int r = meta_get(store_db(st), KEY_HASH, buf, sizeof buf);
	return r < 0 ? -1 : r == 1 && buf[0] != '\0';
}

int
pin_set(store *st, const char *pin, char *err, size_t errlen)
{
	if (!pin_valid(pin)) {
		snprintf(err, errlen, "a PIN is %d to %d digits", PIN_MIN_DIGITS, PIN_MAX_DIGITS);
		return -1;
	}
	if (sodium_init() < 0) {
		snprintf(err, errlen, "the crypto library did not start");
		return -1;
	}
	char hash[crypto_pwhash_STRBYTES];
	if (crypto_pwhash_str(hash, pin, strlen(pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		snprintf(err, errlen, "out of memory while hashing the PIN");
		return -1;
	}
	sqlite3 *db = store_db(st);
	int rc = -1;
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK) {
		if (meta_set(db, KEY_HASH, hash) == 0 && meta_set(db, KEY_FAILS, "0") == 0 &&
		    meta_set(db, KEY_UNTIL, "0") == 0 &&
		    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
			rc = 0;
		else
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	}
	if (rc != 0)
		snprintf(err, errlen, "could not save the PIN: %s", sqlite3_errmsg(db));
	return rc;
}

int64_t
pin_wait_ms(store *st, int64_t now, int *failures)
{
	sqlite3 *db = store_db(st);
	int64_t fails = 0, until = 0;
	if (meta_get_int(db, KEY_FAILS, &fails) != 0 || meta_get_int(db, KEY_UNTIL, &until) != 0)
		return -1;
	if (failures)
		*failures = fails > 1000000 ? 1000000 : (int)fails;
	int64_t left = until - now;
	if (left <= 0)
		return 0;
	/* A wall clock set back must not lock the kiosk for days: never wait
	 * longer than the longest lock from now. */
	int64_t cap = pin_backoff_ms(fails > 1000000 ? 1000000 : (int)fails);
	if (cap <= 0 || cap > PIN_MAX_WAIT_MS)
		cap = PIN_MAX_WAIT_MS;
	if (left > cap) {
		if (save_backoff(db, fails, now + cap) != 0)
			return -1;
		left = cap;
	}
	return left;
}

enum pin_result
pin_check(store *st, const char *pin, int64_t now, int64_t *wait_ms)
{
	int64_t dummy;
	if (!wait_ms)
		wait_ms = &dummy;
	*wait_ms = 0;
	sqlite3 *db = store_db(st);
	char hash[crypto_pwhash_STRBYTES];
	int r = meta_get(db, KEY_HASH, hash, sizeof hash);
	if (r < 0)
		return PIN_ERROR;
	if (r == 0 || hash[0] == '\0')
		return PIN_NOT_SET;
	int fails = 0;
	int64_t left = pin_wait_ms(st, now, &fails);
	if (left < 0)
		return PIN_ERROR;
	if (left > 0) {
		*wait_ms = left;
		return PIN_LOCKED;
	}
	if (sodium_init() < 0)
		return PIN_ERROR;
	bool ok = pin && crypto_pwhash_str_verify(hash, pin, strlen(pin)) == 0;
	if (ok)
		return save_backoff(db, 0, 0) == 0 ? PIN_OK : PIN_ERROR;
	fails++;
	int64_t wait = pin_backoff_ms(fails);
	if (save_backoff(db, fails, wait ? now + wait : 0) != 0)
		return PIN_ERROR;
	*wait_ms = wait;
	return PIN_WRONG;
}
