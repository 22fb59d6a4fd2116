/*
 * pin: the staff PIN. Only an argon2id hash of it is ever stored (libsodium
 * crypto_pwhash_str, in the meta table as 'pin_hash'); the PIN itself lives
 * in caller memory just long enough to be hashed or checked.
 *
 * Guessing is slowed down: after PIN_FREE_TRIES wrong tries in a row every
 * further wrong try locks the PIN for longer (30 s, then doubling, at most an
 * hour). The count and the locked-until time (wall clock ms) live in the
 * meta table too, so switching the kiosk off and on does not reset them. A
 * right PIN resets the count. While locked even the right PIN is refused.
 *
 * Who may choose a PIN: `tellus set-pin` at the console, always; the kiosk's
 * own screens only while the database is new (pin_may_create: no PIN, no
 * session, never set up). After that an empty or missing PIN never turns
 * into "choose one" on the kiosk: a child who finds the gesture must not
 * become staff.
 *
 * Hashing takes a noticeable fraction of a second by design: call these off
 * the frame path. A store handle belongs to one thread at a time (store.h).
 */
#ifndef TELLUS_PIN_H
#define TELLUS_PIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/error.h"
#include "store/store.h"

/* A new PIN has at least pin_min_digits (a kiosk setting, PIN_MIN_DIGITS
 * to PIN_MAX_DIGITS; default PIN_MIN_DIGITS). A PIN typed to be checked may
 * be as short as PIN_ENTER_MIN_DIGITS, so a PIN set under the older rule of
 * 4 still opens the menu. */
#define PIN_MIN_DIGITS 6
#define PIN_MAX_DIGITS 12
#define PIN_ENTER_MIN_DIGITS 4
/* The meta row that closes the set-up for good (store_keep writes it in
 * the transaction that deletes sessions). */
#define PIN_SETUP_CLOSED_KEY "setup_closed"
#define PIN_FREE_TRIES 5
#define PIN_FIRST_WAIT_MS 30000
#define PIN_MAX_WAIT_MS 3600000

/* What a check found. A database that fails is not a result: pin_check
 * returns -1 for it. */
enum pin_result {
	PIN_OK = 0,
	PIN_WRONG,     /* counted; *wait_ms > 0 when this try started a lock */
	PIN_LOCKED,    /* not even checked; *wait_ms is how long is left */
	PIN_NOT_SET,
};

/* Errors (tl_error, error.h): TL_E_INVALID for a PIN that is not
 * min_digits to PIN_MAX_DIGITS digits, TL_E_DB (sys: SQLite's code) when the database fails, TL_E_NOMEM,
 * TL_E_IO when libsodium cannot start. Nothing is changed by a call that
 * fails. */

/* True when pin is min_digits to PIN_MAX_DIGITS ASCII digits (min_digits
 * outside PIN_MIN_DIGITS..PIN_MAX_DIGITS counts as PIN_MIN_DIGITS). */
bool pin_valid(const char *pin, int min_digits);
/* 1 when a PIN is set, 0 when not; -1 with err filled. */
int pin_is_set(store *st, tl_error *err);
/* 1 when the kiosk's own screens may create a PIN now: none is set, no
 * session has ever been stored, and the set-up was never closed (a PIN once
 * set, or sessions once deleted, close it for good); 0 when only `tellus
 * set-pin` may; -1 with err filled. */
int pin_may_create(store *st, tl_error *err);
/* Hashes and stores pin (which must be pin_valid for min_digits), clears
 * any back-off and closes the set-up for good. For `tellus set-pin` at the
 * console. 0, or -1 with err filled. */
int pin_set(store *st, const char *pin, int min_digits, tl_error *err);
/* pin_set from the kiosk's screen: only while pin_may_create, checked in
 * the same transaction as the write; TL_E_REFUSED ("staff access is set up
 * already...") when not. 0, or -1 with err filled. */
int pin_create_first(store *st, const char *pin, int min_digits, tl_error *err);
/* Closes the set-up for good (the retention does, before it deletes any
 * session). 0, or -1 with err filled. */
int pin_close_setup(store *st, tl_error *err);
/* Checks pin at wall time now_wall_ms: 0 with *result, and *wait_ms (may be
 * NULL) the time left before the next try is allowed (0 when none); -1 with
 * err filled (*result and *wait_ms are then not to be read). */
int pin_check(store *st, const char *pin, int64_t now_wall_ms, enum pin_result *result,
              int64_t *wait_ms, tl_error *err);
/* How long the PIN stays locked from now_wall_ms into *wait_ms (0: not
 * locked), and the wrong tries in a row so far into *failures (may be
 * NULL). 0, or -1 with err filled. */
int pin_wait_ms(store *st, int64_t now_wall_ms, int64_t *wait_ms, int *failures,
                tl_error *err);
/* The lock that follows the nth wrong try in a row (0 for the free ones). */
int64_t pin_backoff_ms(int failures);

#endif
