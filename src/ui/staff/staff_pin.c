/*
 * staff_pin: the PIN pad. Digits live in memory only until they are
 * checked (then wiped with sodium_memzero); checking and setting run on
 * the worker (argon2id takes a while). A first PIN is asked twice. After
 * too many wrong tries the pad locks, and its words count the wait down
 * a second at a time.
 *
 * A first PIN is offered only while the database is new (pin_may_create,
 * asked by the status job when the pad opens, and asked again by the
 * write). Otherwise a missing PIN shows only "Staff access is not set up:
 * run tellus set-pin", with no keys: a child who finds the gesture cannot
 * make themselves staff.
 */
#include "staff/staff_internal.h"
#include "pin/pin.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

void
staff_pin_say_wait(char *buf, size_t len, const char *lead, int64_t ms)
{
	int64_t secs = (ms + 999) / 1000;
	if (secs < 120)
		snprintf(buf, len, "%sTry again in %lld second%s.", lead, (long long)secs,
		         secs == 1 ? "" : "s");
	else
		snprintf(buf, len, "%sTry again in %lld minutes.", lead, (long long)((secs + 59) / 60));
}

void
staff_pin_clear(staff *s)
{
	sodium_memzero(s->digits, sizeof s->digits);
	s->v.n_digits = 0;
}

bool
staff_pin_digit(staff *s, int arg)
{
	if (s->v.busy || s->v.pin_mode == PINPAD_NOT_SET_UP || s->v.n_digits >= PIN_MAX_DIGITS ||
	    arg < 0 || arg > 9)
		return false;
	s->digits[s->v.n_digits++] = (char)('0' + arg);
	s->digits[s->v.n_digits] = '\0';
	if (s->v.lock_left_ms <= 0)
		s->v.message[0] = '\0';
	return true;
}

bool
staff_pin_delete(staff *s, int arg)
{
	(void)arg;
	if (s->v.busy || s->v.n_digits == 0)
		return false;
	s->digits[--s->v.n_digits] = '\0';
	return true;
}

bool
staff_pin_ok(staff *s, int arg)
{
	(void)arg;
	staff_view *v = &s->v;
	if (v->busy || v->pin_mode == PINPAD_NOT_SET_UP)
		return false;
	if (v->pin_mode == PINPAD_ENTER && v->lock_left_ms > 0) {
		staff_pin_clear(s);
		staff_pin_say_wait(v->message, sizeof v->message, "Too many wrong tries. ", v->lock_left_ms);
		return true;
	}
	/* A new PIN has at least min_digits; one being checked may be an older,
	 * shorter one. */
	int least = v->pin_mode == PINPAD_ENTER ? PIN_ENTER_MIN_DIGITS : v->min_digits;
	if (v->n_digits < least) {
		snprintf(v->message, sizeof v->message, "A PIN is %d to %d digits.", least,
		         PIN_MAX_DIGITS);
		return true;
	}
	switch (v->pin_mode) {
	case PINPAD_ENTER:
		memcpy(s->j.pin, s->digits, sizeof s->j.pin);
		s->j.wall_ms = tl_wall(s->opt.clock);
		staff_pin_clear(s);
		snprintf(v->message, sizeof v->message, "Checking\xE2\x80\xA6");
		staff_worker_start(s, JOB_CHECK);
		break;
	case PINPAD_SET_FIRST:
		memcpy(s->first, s->digits, sizeof s->first);
		staff_pin_clear(s);
		v->pin_mode = PINPAD_SET_AGAIN;
		snprintf(v->message, sizeof v->message, "Now the same PIN again.");
		break;
	case PINPAD_SET_AGAIN:
		if (strcmp(s->first, s->digits) != 0) {
			staff_pin_clear(s);
			sodium_memzero(s->first, sizeof s->first);
			v->pin_mode = PINPAD_SET_FIRST;
			snprintf(v->message, sizeof v->message,
			         "The two PINs were not the same. Please start again.");
			break;
		}
		memcpy(s->j.pin, s->digits, sizeof s->j.pin);
		staff_pin_clear(s);
		sodium_memzero(s->first, sizeof s->first);
		snprintf(v->message, sizeof v->message, "Saving\xE2\x80\xA6");
		staff_worker_start(s, JOB_SET);
		break;
	case PINPAD_NOT_SET_UP:
		break;   /* refused above: there are no keys */
	}
	return true;
}

void
staff_pin_no_pin(staff *s, bool may_create)
{
	staff_view *v = &s->v;
	staff_pin_clear(s);
	sodium_memzero(s->first, sizeof s->first);
	if (may_create && v->setup_first) {
		v->pin_mode = PINPAD_SET_FIRST;
		snprintf(v->message, sizeof v->message,
		         "Staff type it to open the staff menu: %d to %d digits, twice.", v->min_digits,
		         PIN_MAX_DIGITS);
	} else if (may_create) {
		v->pin_mode = PINPAD_SET_FIRST;
		snprintf(v->message, sizeof v->message,
		         "No staff PIN yet. Choose one (%d to %d digits).", v->min_digits, PIN_MAX_DIGITS);
	} else {
		v->pin_mode = PINPAD_NOT_SET_UP;
		snprintf(v->message, sizeof v->message,
		         "Staff access is not set up: run tellus set-pin");
	}
}

/* The pad has just opened: is a PIN set, is it locked? */
void
staff_pin_status_done(staff *s)
{
	staff_view *v = &s->v;
	staff_job *j = &s->j;
	snprintf(v->kiosk_id, sizeof v->kiosk_id, "%s", j->kiosk_id);
	v->message[0] = '\0';
	if (j->rc != 0) {
		snprintf(v->message, sizeof v->message, "The PIN could not be read. Try again later.");
	} else if (!j->is_set) {
		staff_pin_no_pin(s, j->may_create == 1);
	} else if (j->wait_ms > 0) {
		s->lock_until_mono = staff_now(s) + j->wait_ms;
		v->lock_left_ms = j->wait_ms;
		staff_pin_say_wait(v->message, sizeof v->message, "Too many wrong tries. ", j->wait_ms);
	}
}

void
staff_pin_check_done(staff *s)
{
	staff_view *v = &s->v;
	staff_job *j = &s->j;
	v->lock_left_ms = 0;
	if (j->rc == 0 && j->pr == PIN_OK) {
		staff_open_menu(s);
	} else if (j->rc == 0 && (j->pr == PIN_WRONG || j->pr == PIN_LOCKED) && j->wait_ms > 0) {
		s->lock_until_mono = staff_now(s) + j->wait_ms;
		v->lock_left_ms = j->wait_ms;
		staff_pin_say_wait(v->message, sizeof v->message,
		                   j->pr == PIN_WRONG ? "That PIN is not right. Too many wrong tries. "
		                                      : "Too many wrong tries. ", j->wait_ms);
	} else if (j->rc == 0 && j->pr == PIN_WRONG) {
		snprintf(v->message, sizeof v->message, "That PIN is not right. Try again.");
	} else if (j->rc == 0 && j->pr == PIN_NOT_SET) {
		staff_pin_no_pin(s, false);   /* the PIN went while the pad was open */
	} else {
		snprintf(v->message, sizeof v->message, "The PIN could not be checked. Try again.");
	}
}

void
staff_pin_set_done(staff *s)
{
	if (s->j.rc == 0 && s->v.setup_first) {
		staff_setup_after_pin(s);   /* the rest of the set-up */
	} else if (s->j.rc == 0) {
		staff_open_menu(s);
	} else if (s->j.err_code == TL_E_REFUSED) {
		staff_pin_no_pin(s, false);   /* a session began meanwhile */
	} else {
		s->v.pin_mode = PINPAD_SET_FIRST;
		snprintf(s->v.message, sizeof s->v.message, "The PIN could not be saved. Try again.");
	}
}

bool
staff_pin_tick(staff *s, int64_t now)
{
	if (s->v.lock_left_ms <= 0)
		return false;
	int64_t left = s->lock_until_mono - now;
	if (left < 0)
		left = 0;
	if ((left + 999) / 1000 == (s->v.lock_left_ms + 999) / 1000)
		return false;
	s->v.lock_left_ms = left;
	if (left > 0)
		staff_pin_say_wait(s->v.message, sizeof s->v.message, "Too many wrong tries. ", left);
	else
		s->v.message[0] = '\0';
	return true;
}
