/*
 * input_mode: the person's way of answering (touch, switch scanning,
 * tap-hold, two switches, dwell) around each screen build and as time
 * passes. scan.c and dwell.c are the pure state machines; this file feeds
 * them the screen's targets and the clock and turns what they choose into
 * actions. Staff mode is always plain touch.
 *
 * A new way of answering never strands anyone: picked in "How do you like
 * to answer?", it is on trial (like a desktop's new screen resolution)
 * until a press made the new way confirms it, and after
 * INPUT_MODE_TRIAL_MS without one the way the person came with returns. A
 * one-switch user who lands on Touch by mistake has their switch back in
 * ten seconds; a keyboard press (a switch box that sends Space) is not a
 * touch, so it cannot confirm Touch.
 */
#include "app_internal.h"

static void trial_tick(app *a, int64_t now);

bool
input_mode_switching(const app *a)
{
	return !staff_active(a->staff) &&
	       (a->acc.method == ACCESS_SCAN || a->acc.method == ACCESS_TAP_HOLD ||
	        a->acc.method == ACCESS_TWO_SWITCH);
}

bool
input_mode_dwelling(const app *a)
{
	return !staff_active(a->staff) && a->acc.method == ACCESS_DWELL;
}

/* The scan highlight goes into the focus, so the thick focus ring is what
 * a switch user follows. */
void
input_mode_before(app *a)
{
	bool in_staff = staff_active(a->staff);
	a->in.min_hold_ms = in_staff ? 0 : a->acc.min_hold_ms;
	a->in.select_on_press = !in_staff && a->acc.select_on_press;
	if ((int)a->acc.method != a->scan_method) {
		/* The person changed how they answer: start the walk again. */
		a->scan_method = (int)a->acc.method;
		scan_new_screen(&a->scan);
		/* A switch pressed the old way lets go the new way (or not at
		 * all): it must not stay down for ever and swallow every press. */
		scan_release_all(&a->scan);
		dwell_new_screen(&a->dwell);
		a->in.focus = -1;   /* the walk starts at the first thing again (Keep) */
		if (!input_mode_switching(a))
			a->in.show_focus = false;
	}
	if (input_mode_switching(a)) {
		if (a->scan.n < 0) {
			a->in.show_focus = true;  /* layout picks the first answer */
		} else {
			a->in.focus = scan_highlight(&a->scan);
			a->in.show_focus = a->in.focus >= 0;
		}
	}
}

/* Dwell's ring fills under the pointer; a tap-hold press's on the highlight. */
void
input_mode_ring(app *a, ui_ctx *c)
{
	int64_t now = tl_mono(a->clock);
	c->dwell_target = -1;
	c->dwell_progress = 0.0f;
	if (input_mode_dwelling(a)) {
		c->dwell_target = dwell_showing(&a->dwell);
		c->dwell_progress = dwell_progress(&a->dwell, &a->acc, now);
	} else if (input_mode_switching(a)) {
		float p = scan_hold_progress(&a->scan, &a->acc, now);
		if (p > 0.0f) {
			c->dwell_target = scan_highlight(&a->scan);
			c->dwell_progress = p;
		}
	}
}

/* The shape of the screen's targets: where each is and what it does. */
static uint64_t
layout_hash(const ui_ctx *c)
{
	uint64_t h = 1469598103934665603ull;
	for (int i = 0; i < c->n_targets; i++) {
		const ui_target *t = &c->targets[i];
		const int f[6] = { t->r.x, t->r.y, t->r.w, t->r.h, (int)t->action, t->arg };
		for (int k = 0; k < 6; k++)
			h = (h ^ (uint64_t)(unsigned)f[k]) * 1099511628211ull;
	}
	return (h ^ (uint64_t)(unsigned)c->n_targets) * 1099511628211ull;
}

bool
input_mode_after(app *a, ui_ctx *c)
{
	int64_t now = tl_mono(a->clock);
	bool again = false;
	if (input_mode_switching(a)) {
		int first = a->in.focus >= 0 ? a->in.focus : 0;
		scan_count(&a->scan, c->n_targets, first, now);
		int hi = scan_highlight(&a->scan);
		if (hi != a->in.focus || a->in.show_focus != (hi >= 0)) {
			a->in.focus = hi;
			a->in.show_focus = hi >= 0;
			again = true;
		}
	}
	if (input_mode_dwelling(a)) {
		/* A changed layout (an overlay, a button appearing, cards moving)
		 * is a new screen to a resting pointer. */
		dwell_layout(&a->dwell, layout_hash(c));
		if (a->have_ptr) {
			int hit = input_hit(c->targets, c->n_targets, a->ptr_x, a->ptr_y);
			dwell_pointer(&a->dwell, &a->acc, hit, a->ptr_x, a->ptr_y, now);
		}
	}
	int was_t = c->dwell_target;
	float was_p = c->dwell_progress;
	input_mode_ring(a, c);
	return again || was_t != c->dwell_target || was_p != c->dwell_progress;
}

void
input_mode_tick(app *a)
{
	/* A timer may have changed the screen (still there?, thanks ->
	 * welcome): what dwell and scanning hold must be for the screen that
	 * shows now, never for the one before. */
	if (a->dirty)
		app_layout(a);
	int64_t now = tl_mono(a->clock);
	trial_tick(a, now);
	bool redraw = false;
	int ti = -1;
	enum input_method m = INPUT_SWITCH;
	if (input_mode_switching(a)) {
		ti = scan_tick(&a->scan, &a->acc, now, &redraw);
	} else if (input_mode_dwelling(a)) {
		redraw = dwell_showing(&a->dwell) >= 0 &&
		         dwell_progress(&a->dwell, &a->acc, now) != a->ctx.dwell_progress;
		ti = dwell_tick(&a->dwell, &a->acc, now);
		m = INPUT_DWELL;
	}
	if (redraw)
		a->dirty = true;
	if (ti >= 0) {
		enum screen_id before = session_get_view(a->s)->screen;
		actions_activity(a);
		if (before != SCREEN_STILL_THERE)
			actions_run(a, ti, m);
	}
}

void
input_mode_hold_idle(app *a)
{
	/* A slow scan over many targets can take longer than the idle time
	 * to show each once: the person is watching, not gone. Once every
	 * target has been offered the idle time runs from there. Called
	 * before session_tick, so even a first item held longer than the
	 * idle time (scan_first_pause_ms) never lets the warning in. */
	enum screen_id sc = session_get_view(a->s)->screen;
	if (input_mode_switching(a) && a->acc.method == ACCESS_SCAN && scan_first_round(&a->scan) &&
	    (sc == SCREEN_QUESTION || sc == SCREEN_AUDIENCE))
		session_activity(a->s);
}

/* The presses that are the method itself. */
static bool
made_by(enum access_method method, enum input_method m)
{
	switch (method) {
	case ACCESS_TOUCH: return m == INPUT_TOUCH || m == INPUT_MOUSE;
	case ACCESS_SCAN:
	case ACCESS_TAP_HOLD:
	case ACCESS_TWO_SWITCH: return m == INPUT_SWITCH;
	case ACCESS_DWELL: return m == INPUT_DWELL;
	default: return false;
	}
}

void
input_mode_trial(app *a, enum access_method was)
{
	/* A second change during a trial keeps its end: presses that cannot
	 * confirm must not keep a trial going for ever. */
	if (!a->method_trial) {
		a->method_kept = was;
		a->method_trial = true;
		a->method_until = tl_mono(a->clock) + INPUT_MODE_TRIAL_MS;
	}
	/* Back where they started: nothing to confirm. */
	if (a->acc.method == a->method_kept)
		a->method_trial = false;
	a->dirty = true;
}

void
input_mode_confirm(app *a, enum input_method m)
{
	if (a->method_trial && made_by(a->acc.method, m)) {
		a->method_trial = false;
		a->dirty = true;
	}
}

void
input_mode_trial_end(app *a)
{
	a->method_trial = false;
}

int
input_mode_trial_left_s(const app *a, int64_t now)
{
	if (!a->method_trial)
		return 0;
	int64_t left = a->method_until - now;
	return left <= 0 ? 1 : (int)((left + 999) / 1000);
}

/* The trial ran out: the way the person came with returns. */
static void
trial_tick(app *a, int64_t now)
{
	if (!a->method_trial)
		return;
	if (now >= a->method_until) {
		a->method_trial = false;
		a->acc.method = a->method_kept;
		a->dirty = true;
		app_layout(a);
	} else if (input_mode_trial_left_s(a, now) != a->ctx.trial_left_s) {
		a->dirty = true;   /* the countdown shows a new second */
	}
}

int64_t
input_mode_deadline(const app *a)
{
	int64_t now = tl_mono(a->clock);
	int64_t dl = INT64_MAX;
	if (input_mode_switching(a))
		dl = scan_next_deadline(&a->scan, &a->acc, now);
	else if (input_mode_dwelling(a))
		dl = dwell_next_deadline(&a->dwell, &a->acc, now);
	if (a->method_trial) {
		/* The end of the trial, and each second of its countdown. */
		int64_t left = a->method_until - now;
		int64_t tick = left > 0 ? now + (left % 1000 ? left % 1000 : 1000) : now;
		if (tick < dl)
			dl = tick;
	}
	return dl;
}
