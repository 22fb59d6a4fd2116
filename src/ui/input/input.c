/*
 * input: the one path every pointer and key takes to become an action.
 * See input.h for the rules; the comments here say why where it is not
 * obvious.
 */
#include "input/input.h"

#include <limits.h>

void
input_init(input_state *in, int64_t double_tap_ms)
{
	*in = (input_state){ .pressed = -1, .focus = -1, .double_tap_ms = double_tap_ms };
}

void
input_new_screen(input_state *in)
{
	/* A finger still down from the last screen must not press anything on
	 * this one when it lifts: keep it active but pressing nothing. */
	in->pressed = -1;
	in->inside = false;
	in->focus = -1;
}

int
input_pressed(const input_state *in)
{
	return in->active && in->inside ? in->pressed : -1;
}

int
input_hit(const ui_target *t, int n, int x, int y)
{
	for (int i = n - 1; i >= 0; i--) {
		const ui_rect *r = &t[i].r;
		if (x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h)
			return i;
	}
	return -1;
}

static int
activate(input_state *in, int ti, int64_t now)
{
	if (ti < 0)
		return -1;
	if (in->has_activation && now - in->last_activation_ms < in->double_tap_ms)
		return -1;
	in->has_activation = true;
	in->last_activation_ms = now;
	return ti;
}

int
input_pointer_down(input_state *in, const ui_target *t, int n, int64_t ptr,
                   int x, int y, int64_t now, bool *redraw)
{
	/* Another finger already down wins; but one down INPUT_LOST_MS has
	 * lost its release (SDL 2 reports a cancelled touch by no event at
	 * all, and an up can be dropped), so a new one takes over, and the
	 * lost one presses nothing. The same pointer going down again lost
	 * its own release: it starts afresh too. */
	if (in->active && ptr != in->ptr && now - in->down_ms < INPUT_LOST_MS)
		return -1;
	in->active = true;
	in->ptr = ptr;
	in->down_ms = now;
	in->pressed = input_hit(t, n, x, y);
	in->inside = in->pressed >= 0;
	if (in->show_focus) {
		in->show_focus = false;
		*redraw = true;
	}
	if (in->pressed >= 0)
		*redraw = true;
	if (in->select_on_press && in->pressed >= 0) {
		/* Chosen now; the release that follows presses nothing. */
		int ti = activate(in, in->pressed, now);
		in->pressed = -1;
		in->inside = false;
		return ti;
	}
	return -1;
}

int
input_pointer_move(input_state *in, const ui_target *t, int n, int64_t ptr,
                   int x, int y, bool *redraw)
{
	if (!in->active || ptr != in->ptr || in->pressed < 0)
		return -1;
	bool inside = input_hit(t, n, x, y) == in->pressed;
	if (inside != in->inside) {
		in->inside = inside;
		*redraw = true;
	}
	return -1;
}

int
input_pointer_up(input_state *in, const ui_target *t, int n, int64_t ptr,
                 int x, int y, int64_t now, bool *redraw)
{
	if (!in->active || ptr != in->ptr)
		return -1;
	int ti = -1;
	if (in->pressed >= 0) {
		*redraw = true;
		if (input_hit(t, n, x, y) == in->pressed && now - in->down_ms >= in->min_hold_ms)
			ti = activate(in, in->pressed, now);
	}
	in->active = false;
	in->pressed = -1;
	in->inside = false;
	return ti;
}

void
input_pointer_cancel(input_state *in, bool *redraw)
{
	if (in->active && in->pressed >= 0)
		*redraw = true;
	in->active = false;
	in->pressed = -1;
	in->inside = false;
}

static int
first_answer(const ui_target *t, int n)
{
	/* The app puts the targets in focus order (ui_focus_order): the
	 * screen's main action, the first answer, comes first. */
	(void)t;
	return n > 0 ? 0 : -1;
}

/* The nearest target whose centre lies in direction (dx, dy), favouring
 * ones straight ahead over ones off to the side. */
static int
nearest(const ui_target *t, int n, int from, int dx, int dy)
{
	int fx = t[from].r.x + t[from].r.w / 2, fy = t[from].r.y + t[from].r.h / 2;
	long best = LONG_MAX;
	int pick = -1;
	for (int i = 0; i < n; i++) {
		if (i == from)
			continue;
		int cx = t[i].r.x + t[i].r.w / 2 - fx, cy = t[i].r.y + t[i].r.h / 2 - fy;
		long along = (long)cx * dx + (long)cy * dy;
		long across = dx ? (cy < 0 ? -cy : cy) : (cx < 0 ? -cx : cx);
		if (along <= 0)
			continue;
		long score = along + 3 * across;
		if (score < best) {
			best = score;
			pick = i;
		}
	}
	return pick;
}

int
input_key(input_state *in, const ui_target *t, int n, enum ui_key k,
          int64_t now, bool *redraw)
{
	if (n <= 0)
		return -1;
	if (!in->show_focus || in->focus < 0 || in->focus >= n) {
		/* The first key shows where the focus is before moving it. */
		bool was_shown = in->show_focus;
		in->show_focus = true;
		if (in->focus < 0 || in->focus >= n)
			in->focus = first_answer(t, n);
		*redraw = true;
		if (!was_shown)
			return -1;
	}
	int next = -1;
	switch (k) {
	case KEY_SELECT:
		return activate(in, in->focus, now);
	case KEY_NEXT: next = (in->focus + 1) % n; break;
	case KEY_PREV: next = (in->focus + n - 1) % n; break;
	case KEY_LEFT: next = nearest(t, n, in->focus, -1, 0); break;
	case KEY_RIGHT: next = nearest(t, n, in->focus, 1, 0); break;
	case KEY_UP: next = nearest(t, n, in->focus, 0, -1); break;
	case KEY_DOWN: next = nearest(t, n, in->focus, 0, 1); break;
	case KEY_NONE: break;
	}
	if (next >= 0 && next != in->focus) {
		in->focus = next;
		*redraw = true;
	}
	return -1;
}
