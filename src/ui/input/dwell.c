/*
 * dwell: see dwell.h for the rules.
 */
#include "input/dwell.h"
#include "input/fill.h"

#define RING_FRAME_MS 50   /* about 20 redraws a second while a ring fills */

void
dwell_init(dwell_state *d)
{
	*d = (dwell_state){ .target = -1, .blocked = -1 };
}

void
dwell_new_screen(dwell_state *d)
{
	d->target = -1;
	d->blocked = -1;
	d->armed = false;
	d->have_anchor = false;
}

void
dwell_layout(dwell_state *d, uint64_t layout)
{
	if (layout == d->layout)
		return;
	d->layout = layout;
	/* The same screen laid out anew keeps its targets' numbers, so a
	 * picture just chosen stays blocked until the pointer leaves it. */
	int blocked = d->blocked;
	dwell_new_screen(d);
	d->blocked = blocked;
}

bool
dwell_armed(const dwell_state *d)
{
	return d->armed;
}

bool
dwell_pointer(dwell_state *d, const access_settings *a, int hit, int x, int y, int64_t now)
{
	if (!d->armed) {
		if (!d->have_anchor) {
			/* Where the pointer lay when the screen appeared. */
			d->have_anchor = true;
			d->anchor_x = x;
			d->anchor_y = y;
		}
		int64_t dx = x - d->anchor_x, dy = y - d->anchor_y;
		int64_t need = a->dwell_move_px > 0 ? a->dwell_move_px : 1;
		if (dx * dx + dy * dy < need * need)
			return false;  /* not yet a fresh act: nothing fills */
		d->armed = true;
		d->target = -1;
	}
	if (hit == d->target)
		return false;
	bool was = dwell_showing(d) >= 0;
	d->target = hit;
	d->since_ms = now;
	if (d->blocked >= 0 && hit != d->blocked)
		d->blocked = -1;  /* it has left the chosen one */
	return was || dwell_showing(d) >= 0;
}

int
dwell_showing(const dwell_state *d)
{
	return d->armed && d->target >= 0 && d->target != d->blocked ? d->target : -1;
}

int
dwell_tick(dwell_state *d, const access_settings *a, int64_t now)
{
	int t = dwell_showing(d);
	if (t < 0 || now - d->since_ms < a->dwell_ms)
		return -1;
	d->blocked = t;
	return t;
}

float
dwell_progress(const dwell_state *d, const access_settings *a, int64_t now)
{
	if (dwell_showing(d) < 0 || a->dwell_ms <= 0)
		return 0.0f;
	return input_fill(now - d->since_ms, a->dwell_ms, a->reduced_motion);
}

int64_t
dwell_next_deadline(const dwell_state *d, const access_settings *a, int64_t now)
{
	if (dwell_showing(d) < 0)
		return INT64_MAX;
	int64_t end = d->since_ms + a->dwell_ms;
	int64_t next = now + RING_FRAME_MS;
	if (a->reduced_motion) {
		int64_t q = a->dwell_ms / 4 > 0 ? a->dwell_ms / 4 : 1;
		next = d->since_ms + ((now - d->since_ms) / q + 1) * q;
	}
	return next < end ? next : end;
}
