/*
 * app_draw: the draw question's page, between input and the session. A
 * finger or the mouse draws on the page directly (touch.c hands pointers
 * here first); a switch, the keyboard and dwell draw with stamps: the page
 * is up to nine places (screen_draw's ACT_DRAW_STAMP targets, fewer on a small
 * screen, each at least the minimum target), and choosing one
 * puts a big round blot of the colour there, each further press in the
 * same place a little further round it, so a few presses make a shape
 * (dwell puts it where the pointer rests). Scanning a moving cursor over
 * the page would ask far more presses for far less; stamps keep a switch
 * user's drawing a handful of presses, and the page the same for everyone.
 *
 * Done turns the page into PNG (canvas_png) for the session's record; a
 * page never drawn on, or rubbed out to white paper again, is a skip. The
 * page is wiped whenever it is not the question on screen's: a new person
 * never sees the last one's drawing.
 */
#include "app_internal.h"

#include <stdio.h>
#include <string.h>

#define BRUSH_R 10     /* canvas pixels: a felt tip for a finger */
#define RUBBER_R 30
#define STAMP_R 56     /* a switch's blot: about a fifth of the page's height */
#define STAMP_STEP 40  /* how far round the place each further blot goes */

static bool
draw_showing(const app *a)
{
	return app_question_showing(a, QT_DRAW);
}

/* The person's screen is this draw question, though an overlay, staff
 * mode or "Are you still there?" may be over it for now. */
static bool
draw_underneath(const app *a)
{
	const session_view *v = session_get_view(a->s);
	return v->session_id[0] && (v->screen == SCREEN_QUESTION || v->screen == SCREEN_STILL_THERE) &&
	       v->question && v->question->type == QT_DRAW;
}

void
app_draw_owner(app *a)
{
	const session_view *v = session_get_view(a->s);
	draw_canvas *cv = &a->canvas;
	if (!draw_underneath(a)) {
		/* Off every session nothing of the last person's stays; a blank
		 * page left behind is given back (1.9 MB), a drawing kept so
		 * that Back finds it. */
		if (cv->px && (!v->session_id[0] || canvas_blank(cv)))
			canvas_close(cv);
		return;
	}
	if (!cv->px && canvas_open(cv, a->ren) != 0) {
		/* tried again at every frame built: said once until it works */
		if (!a->canvas_failing)
			SDL_LogWarn(SDL_LOG_CATEGORY_APPLICATION, "tellus: the drawing's page could not "
			            "be made: %s", SDL_GetError());
		a->canvas_failing = true;
		return;
	}
	a->canvas_failing = false;
	char owner[sizeof cv->owner];
	snprintf(owner, sizeof owner, "%s:%d", v->session_id, v->question_index);
	if (strcmp(owner, cv->owner) != 0) {
		canvas_clear(cv);
		snprintf(cv->owner, sizeof cv->owner, "%s", owner);
	}
}

void
app_draw_render_reset(app *a, bool device)
{
	canvas_reset(&a->canvas, a->ren, device);
}

/* The page on screen: the places' rectangles together. */
static bool
page_rect(const app *a, ui_rect *out)
{
	bool any = false;
	int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
	for (int i = 0; i < a->ctx.n_targets; i++) {
		const ui_target *t = &a->ctx.targets[i];
		if (t->action != ACT_DRAW_STAMP)
			continue;
		if (!any || t->r.x < x0) x0 = t->r.x;
		if (!any || t->r.y < y0) y0 = t->r.y;
		if (!any || t->r.x + t->r.w > x1) x1 = t->r.x + t->r.w;
		if (!any || t->r.y + t->r.h > y1) y1 = t->r.y + t->r.h;
		any = true;
	}
	*out = (ui_rect){ x0, y0, x1 - x0, y1 - y0 };
	return any && out->w > 0 && out->h > 0;
}

/* The shape of the page's places, across * 16 + down (screen_draw: up to
 * three by three, fewer on a small screen): a place's index means the same
 * spot on the page only while the shape is the same. */
static int
grid_shape(const app *a)
{
	int n = 0, across = 0, top = 0;
	for (int i = 0; i < a->ctx.n_targets; i++) {
		const ui_target *t = &a->ctx.targets[i];
		if (t->action != ACT_DRAW_STAMP)
			continue;
		if (!n || t->r.y < top) {
			top = t->r.y;
			across = 0;
		}
		if (t->r.y == top)
			across++;
		n++;
	}
	return across ? across * 16 + n / across : 0;
}

/* Screen to page pixels. */
static void
to_page(ui_rect pg, int x, int y, int *cx, int *cy)
{
	*cx = (int)((int64_t)(x - pg.x) * CANVAS_W / pg.w);
	*cy = (int)((int64_t)(y - pg.y) * CANVAS_H / pg.h);
}

static int
radius_now(const app *a)
{
	return a->canvas.colour == UI_DRAW_ERASER ? RUBBER_R : BRUSH_R;
}

/*
 * One line at a time, from the first finger, as input.c's one-pointer rule
 * has it for presses: while a finger (or the mouse) draws, another going
 * down anywhere neither draws nor presses; while one presses a control,
 * another on the page does not draw. A line whose pointer has been still
 * for INPUT_LOST_MS has lost its release (SDL 2 reports a cancelled touch
 * by no event at all), and a new pointer takes over.
 */
bool
app_draw_pointer(app *a, int kind, int64_t ptr, int x, int y)
{
	draw_canvas *cv = &a->canvas;
	int64_t now = tl_mono(a->clock);
	if (kind != 0) {
		if (!cv->stroke || cv->ptr != ptr)
			return false;
		cv->last_ms = now;
		int cx, cy;
		ui_rect pg;
		if (page_rect(a, &pg)) {
			to_page(pg, x, y, &cx, &cy);
			canvas_line(cv, cv->last_x, cv->last_y, cx, cy, radius_now(a), cv->colour);
			cv->last_x = cx;
			cv->last_y = cy;
			a->dirty = true;
		}
		if (kind == 2)
			cv->stroke = false;
		return true;
	}
	if (cv->stroke && ptr != cv->ptr && now - cv->last_ms < INPUT_LOST_MS)
		return true;   /* a second finger while the first draws: nothing */
	cv->stroke = false;
	ui_rect pg;
	if (!draw_showing(a) || !page_rect(a, &pg) || x < pg.x || y < pg.y || x >= pg.x + pg.w ||
	    y >= pg.y + pg.h)
		return false;
	if (a->in.active && ptr != a->in.ptr && now - a->in.down_ms < INPUT_LOST_MS)
		return true;   /* a finger pressing a control holds the screen */
	actions_activity(a);
	if (!draw_showing(a))
		return true;   /* that touch woke "still there?": not a line */
	cv->stroke = true;
	cv->ptr = ptr;
	cv->last_ms = now;
	to_page(pg, x, y, &cv->last_x, &cv->last_y);
	canvas_line(cv, cv->last_x, cv->last_y, cv->last_x, cv->last_y, radius_now(a), cv->colour);
	a->dirty = true;
	return true;
}

bool
app_draw_colour(app *a, int k)
{
	if (!draw_showing(a) || k < 0 || k > UI_DRAW_ERASER)
		return false;
	a->canvas.colour = k;
	return true;
}

bool
app_draw_clear(app *a)
{
	if (!draw_showing(a))
		return false;
	int keep = a->canvas.colour;
	canvas_clear(&a->canvas);
	a->canvas.colour = keep;
	return true;
}

bool
app_draw_stamp(app *a, int cell, enum input_method m)
{
	ui_rect pg;
	if (!draw_showing(a) || cell < 0 || cell >= CANVAS_CELLS || !page_rect(a, &pg))
		return false;
	draw_canvas *cv = &a->canvas;
	int cx, cy;
	const ui_target *t = NULL;
	for (int i = 0; i < a->ctx.n_targets && !t; i++)
		if (a->ctx.targets[i].action == ACT_DRAW_STAMP && a->ctx.targets[i].arg == cell)
			t = &a->ctx.targets[i];
	if (m == INPUT_DWELL && a->have_ptr && t && a->ptr_x >= t->r.x && a->ptr_x < t->r.x + t->r.w &&
	    a->ptr_y >= t->r.y && a->ptr_y < t->r.y + t->r.h) {
		to_page(pg, a->ptr_x, a->ptr_y, &cx, &cy);   /* where the pointer rests */
	} else if (t) {
		to_page(pg, t->r.x + t->r.w / 2, t->r.y + t->r.h / 2, &cx, &cy);
		/* each further press a step round the place: 8 directions, then wider */
		static const int dir[8][2] = { { 1, 0 }, { 0, 1 }, { -1, 0 }, { 0, -1 },
		                               { 1, 1 }, { -1, 1 }, { -1, -1 }, { 1, -1 } };
		/* the counts are the places' of the shape they were put in: after
		 * a resize or a rotation changed it, each place starts again at
		 * its middle */
		int shape = grid_shape(a);
		if (shape != cv->stamp_grid) {
			memset(cv->stamps, 0, sizeof cv->stamps);
			cv->stamp_grid = shape;
		}
		int k = cv->stamps[cell]++;
		if (k > 0) {
			int ring = 1 + (k - 1) / 8, d = (k - 1) % 8;
			cx += dir[d][0] * STAMP_STEP * ring;
			cy += dir[d][1] * STAMP_STEP * ring;
		}
	} else {
		return false;
	}
	canvas_line(cv, cx, cy, cx, cy, cv->colour == UI_DRAW_ERASER ? STAMP_R + 10 : STAMP_R,
	            cv->colour);
	return true;
}

bool
app_draw_done(app *a, enum input_method m)
{
	if (canvas_blank(&a->canvas))   /* nothing drawn, or all rubbed out: a skip */
		return session_done_drawing(a->s, NULL, 0, m);
	void *png = NULL;
	size_t len = 0;
	if (canvas_png(&a->canvas, &png, &len) != 0) {
		/* the drawing stays on the page: Done again tries again */
		SDL_LogWarn(SDL_LOG_CATEGORY_APPLICATION, "tellus: the drawing could not be made "
		            "into a picture: %s", SDL_GetError());
		return false;
	}
	bool changed = session_done_drawing(a->s, png, len, m);
	SDL_free(png);
	return changed;
}
