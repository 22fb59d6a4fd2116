/*
 * scan: the switch-access state machine. See scan.h for the rules; the
 * comments here say why where it is not obvious.
 */
#include "input/scan.h"
#include "input/fill.h"

#include <limits.h>

/* How often a hold's filling ring is drawn again (about 20 a second is
 * smooth enough and keeps a slow renderer idle most of the time). */
#define HOLD_FRAME_MS 50

void
scan_init(scan_state *s, int64_t repeat_ms)
{
	*s = (scan_state){ .n = -1, .index = -1, .repeat_ms = repeat_ms };
}

void
scan_new_screen(scan_state *s)
{
	/* A switch still held from the last screen keeps being held, but it
	 * was pressed for that screen: neither its release (a tap-hold step)
	 * nor its hold going on (a tap-hold choice) may act on this one. */
	s->n = -1;
	s->index = -1;
	s->resting = false;
	for (int i = 0; i < 2; i++)
		s->stale[i] = s->held[i];
	if (s->down)
		s->hold_done = true;
}

void
scan_release_all(scan_state *s)
{
	for (int i = 0; i < 2; i++) {
		s->held[i] = false;
		s->stale[i] = false;
	}
	s->down = false;
	s->hold_done = false;
}

bool
scan_count(scan_state *s, int n, int first, int64_t now)
{
	if (n <= 0) {
		bool was = s->index >= 0;
		s->n = 0;
		s->index = -1;
		return was;
	}
	if (first < 0 || first >= n)
		first = 0;
	if (s->n < 0) {
		s->n = n;
		s->first = first;
		s->index = first;
		s->steps = 0;
		s->resting = false;
		s->moved_ms = now;
		return true;
	}
	if (s->n == n)
		return false;
	s->n = n;
	if (s->first >= n)
		s->first = first;
	if (s->index >= n || s->index < 0) {
		s->index = s->first;
		s->moved_ms = now;
		return true;
	}
	return false;
}

bool
scan_first_round(const scan_state *s)
{
	return !s->resting && s->n > 0 && s->steps < s->n;
}

int
scan_highlight(const scan_state *s)
{
	return s->resting || s->n <= 0 ? -1 : s->index;
}

void
scan_set(scan_state *s, int ti, int64_t now)
{
	if (ti < 0 || ti >= s->n)
		return;
	s->index = ti;
	s->resting = false;
	s->steps = 0;
	s->moved_ms = now;
}

static void
step(scan_state *s, int64_t at)
{
	s->index = (s->index + 1) % s->n;
	s->moved_ms = at;
}

static int
choose(scan_state *s, int64_t now)
{
	if (s->n <= 0 || s->index < 0)
		return -1;
	if (s->has_choice && now - s->last_choice_ms < s->repeat_ms)
		return -1;
	s->has_choice = true;
	s->last_choice_ms = now;
	/* Whatever happens next (a new screen, or a picture ticked on this
	 * one), the highlight gives the person a full interval to look. */
	s->steps = 0;
	s->moved_ms = now;
	return s->index;
}

/* How long the auto-scan highlight stays where it is now. */
static int64_t
stay_ms(const scan_state *s, const access_settings *a)
{
	int64_t t = a->scan_interval_ms > 0 ? a->scan_interval_ms : 1;
	if (s->index == s->first)
		t += a->scan_first_pause_ms > 0 ? a->scan_first_pause_ms : 0;
	return t;
}

int
scan_switch(scan_state *s, const access_settings *a, int sw, bool down,
            int64_t now, bool *redraw)
{
	int k = sw == 2 ? 1 : 0;
	if (down) {
		if (s->held[k])
			return -1;  /* already down: a bounce or a repeat, not a press */
		s->held[k] = true;
		s->stale[k] = false;
	} else {
		if (!s->held[k])
			return -1;  /* its press was not ours (it woke "still there?") */
		s->held[k] = false;
		if (s->stale[k]) {
			/* Pressed for the screen before: letting go does nothing here. */
			s->stale[k] = false;
			if (s->down && s->down_sw == k)
				s->down = false;
			return -1;
		}
	}
	if (s->n <= 0)
		return -1;
	switch (a->method) {
	case ACCESS_SCAN:
		if (!down)
			return -1;
		if (s->resting) {
			/* Asleep, nothing was highlighted: this press only wakes it. */
			s->resting = false;
			s->index = s->first;
			s->steps = 0;
			s->moved_ms = now;
			*redraw = true;
			return -1;
		}
		*redraw = true;
		return choose(s, now);
	case ACCESS_TAP_HOLD:
		if (down) {
			if (s->down)
				return -1;  /* the other switch while one is held */
			s->down = true;
			s->down_sw = k;
			s->hold_done = false;
			s->down_ms = now;
			*redraw = true;  /* the hold's ring starts */
			return -1;
		}
		if (!s->down || s->down_sw != k)
			return -1;  /* not the switch that is held */
		s->down = false;
		*redraw = true;
		if (!s->hold_done)
			step(s, now);
		return -1;
	case ACCESS_TWO_SWITCH:
		if (!down)
			return -1;
		*redraw = true;
		if (sw == 1) {
			step(s, now);
			return -1;
		}
		return choose(s, now);
	default:
		return -1;
	}
}

int
scan_tick(scan_state *s, const access_settings *a, int64_t now, bool *redraw)
{
	if (s->n <= 0)
		return -1;
	if (a->method == ACCESS_TAP_HOLD) {
		if (s->down && !s->hold_done) {
			*redraw = true;  /* the ring fills */
			if (now - s->down_ms >= a->switch_hold_ms) {
				s->hold_done = true;
				return choose(s, now);
			}
		}
		return -1;
	}
	if (a->method != ACCESS_SCAN || s->resting)
		return -1;
	/* Catch up step by step if the loop woke late, so the timing of the
	 * rounds stays what the settings say. */
	int rounds = a->scan_rounds > 0 ? a->scan_rounds : 1;
	while (!s->resting && now - s->moved_ms >= stay_ms(s, a)) {
		step(s, s->moved_ms + stay_ms(s, a));
		s->steps++;
		*redraw = true;
		if (s->index == s->first && s->steps >= s->n * rounds)
			s->resting = true;
	}
	return -1;
}

int64_t
scan_next_deadline(const scan_state *s, const access_settings *a, int64_t now)
{
	if (s->n <= 0)
		return INT64_MAX;
	if (a->method == ACCESS_TAP_HOLD) {
		if (!s->down || s->hold_done)
			return INT64_MAX;
		int64_t end = s->down_ms + a->switch_hold_ms;
		int64_t next = now + HOLD_FRAME_MS;
		if (a->reduced_motion) {
			/* The ring steps in quarters: wake at the next one. */
			int64_t q = a->switch_hold_ms / 4 > 0 ? a->switch_hold_ms / 4 : 1;
			next = s->down_ms + ((now - s->down_ms) / q + 1) * q;
		}
		return next < end ? next : end;
	}
	if (a->method != ACCESS_SCAN || s->resting)
		return INT64_MAX;
	return s->moved_ms + stay_ms(s, a);
}

float
scan_hold_progress(const scan_state *s, const access_settings *a, int64_t now)
{
	if (a->method != ACCESS_TAP_HOLD || !s->down || s->hold_done || a->switch_hold_ms <= 0)
		return 0.0f;
	return input_fill(now - s->down_ms, a->switch_hold_ms, a->reduced_motion);
}
