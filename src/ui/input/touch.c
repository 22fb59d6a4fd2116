/*
 * touch: fingers and the mouse, one path. SDL's touch events come as
 * fingers (their mouse copies are dropped) and the mouse's as a pointer of
 * its own; both go through the staff gesture watcher first, then input.c's
 * rules, and what they press goes to actions.c. Mouse motion also feeds
 * dwell, which chooses by resting the pointer.
 */
#include "app_internal.h"

void
touch_pointer(app *a, int kind, int64_t ptr, int x, int y, enum input_method m)
{
	bool redraw = false;
	int64_t now = tl_mono(a->clock);
	int ti = -1;
	int w, h;
	SDL_GetRendererOutputSize(a->ren, &w, &h);
	if (staff_gesture(a->staff, kind, ptr, x, y, w, a->min_target, ui_margin(&a->ctx))) {
		/* The kiosk's screen lets go of that tap; the PIN pad comes up. */
		input_pointer_cancel(&a->in, &redraw);
		actions_staff_sync(a);
		a->dirty = true;
		app_layout(a);
		return;
	}
	if (app_draw_pointer(a, kind, ptr, x, y))
		return;   /* a finger drawing on a draw question's page */
	const ui_target *t = a->ctx.targets;
	int n = a->ctx.n_targets;
	if (kind == 0) {
		enum screen_id before = session_get_view(a->s)->screen;
		actions_activity(a);
		if (before == SCREEN_STILL_THERE && !staff_active(a->staff))
			return;  /* that touch was "I'm here", not a choice */
		ti = input_pointer_down(&a->in, t, n, ptr, x, y, now, &redraw);
	} else if (kind == 1) {
		input_pointer_move(&a->in, t, n, ptr, x, y, &redraw);
	} else {
		ti = input_pointer_up(&a->in, t, n, ptr, x, y, now, &redraw);
	}
	if (redraw)
		a->dirty = true;
	actions_run(a, ti, m);
}

static void
mouse_button(app *a, const SDL_Event *ev)
{
	if (ev->button.which == SDL_TOUCH_MOUSEID || ev->button.button != SDL_BUTTON_LEFT)
		return;  /* touch is handled as fingers */
	touch_pointer(a, ev->type == SDL_MOUSEBUTTONDOWN ? 0 : 2, -1, ev->button.x, ev->button.y,
	              INPUT_MOUSE);
}

static void
mouse_motion(app *a, const SDL_Event *ev)
{
	if (ev->motion.which == SDL_TOUCH_MOUSEID)
		return;
	a->have_ptr = true;
	a->ptr_x = ev->motion.x;
	a->ptr_y = ev->motion.y;
	if (input_mode_dwelling(a)) {
		int hit = input_hit(a->ctx.targets, a->ctx.n_targets, ev->motion.x, ev->motion.y);
		if (dwell_pointer(&a->dwell, &a->acc, hit, ev->motion.x, ev->motion.y, tl_mono(a->clock)))
			a->dirty = true;
		/* Only a clear move is the person: a pointer trembling where it
		 * lay does not answer "Are you still there?" nor keep a session
		 * alive for ever. */
		if (dwell_armed(&a->dwell))
			actions_activity(a);
	}
	touch_pointer(a, 1, -1, ev->motion.x, ev->motion.y, INPUT_MOUSE);
}

static void
finger(app *a, const SDL_Event *ev)
{
	if (ev->tfinger.touchId == SDL_MOUSE_TOUCHID)
		return;  /* made from the mouse, which is handled already */
	int w, h;
	SDL_GetRendererOutputSize(a->ren, &w, &h);
	int kind = ev->type == SDL_FINGERDOWN ? 0 : ev->type == SDL_FINGERMOTION ? 1 : 2;
	touch_pointer(a, kind, (int64_t)ev->tfinger.fingerId, (int)(ev->tfinger.x * (float)w),
	              (int)(ev->tfinger.y * (float)h), INPUT_TOUCH);
}

void
touch_event(app *a, const SDL_Event *ev)
{
	switch (ev->type) {
	case SDL_MOUSEBUTTONDOWN:
	case SDL_MOUSEBUTTONUP:
		mouse_button(a, ev);
		break;
	case SDL_MOUSEMOTION:
		mouse_motion(a, ev);
		break;
	case SDL_FINGERDOWN:
	case SDL_FINGERUP:
	case SDL_FINGERMOTION:
		finger(a, ev);
		break;
	default:
		break;
	}
}
