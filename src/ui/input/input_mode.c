/*
 * input_mode: the person's way of answering (touch, switch scanning,
 * tap-hold, two switches, dwell) around each screen build and as time
 * passes. scan.c and dwell.c are the pure state machines; this file feeds
 * them the screen's targets and the clock and turns what they choose into
 * actions. Staff mode is always plain touch.
 */
#include "app_internal.h"

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
		dwell_new_screen(&a->dwell);
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

int64_t
input_mode_deadline(const app *a)
{
	int64_t now = tl_mono(a->clock);
	if (input_mode_switching(a))
		return scan_next_deadline(&a->scan, &a->acc, now);
	if (input_mode_dwelling(a))
		return dwell_next_deadline(&a->dwell, &a->acc, now);
	return INT64_MAX;
}
