/*
 * app_layout: from what the session (or staff mode, or an overlay) shows
 * now to targets and a draw list, ready to render.
 *
 * A screen may be built up to three times in one layout: once, again when a
 * keyboard user's focus moves to the first answer of a new screen, and
 * again when switch scanning or dwell changed the look. Each build starts
 * from an empty draw list, so only the last one is drawn; then every symbol
 * and text texture that list needs is made ready (render_prepare), so the
 * render call only looks them up and never touches the disk.
 */
#include "app_internal.h"

#include <string.h>

/* A new screen (or question, or staff screen, or overlay) starts from
 * "nothing pressed, pointer not yet moved". */
static void
note_screen(app *a)
{
	const session_view *v = session_get_view(a->s);
	enum staff_screen st = staff_get_view(a->staff)->screen;
	if (v->screen != a->last_screen || v->question_index != a->last_question ||
	    st != a->last_staff || a->overlay != a->last_overlay) {
		/* A turn ended: the next person starts from the kiosk's settings. */
		if (v->screen == SCREEN_WELCOME && a->last_screen != SCREEN_WELCOME)
			app_person_reset(a);
		a->last_screen = v->screen;
		a->last_question = v->question_index;
		a->last_staff = st;
		a->last_overlay = a->overlay;
		input_new_screen(&a->in);
		scan_new_screen(&a->scan);
		dwell_new_screen(&a->dwell);
		a->unshown = true;   /* until app_present draws it */
	}
}

/* What pressed, focus and the ring index is the last build's targets. */
static void
keep_before(ui_ctx *c)
{
	memcpy(c->before, c->targets, sizeof c->targets[0] * (size_t)c->n_targets);
	c->n_before = c->n_targets;
}

/* The built screen's targets in focus order (ui.h); when that moved the
 * target a focus or a finger is on (a button came or went), the index
 * follows it. */
static void
order_targets(app *a, ui_ctx *c)
{
	ui_focus_order(c);
	int *follow[2] = { &a->in.focus, &a->in.pressed };
	for (int k = 0; k < 2; k++) {
		int i = *follow[k];
		if (i < 0 || i >= c->n_before || (i < c->n_targets && ui_is(c, i, i)))
			continue;
		for (int j = 0; j < c->n_targets; j++)
			if (ui_is(c, j, i)) {
				*follow[k] = j;
				break;
			}
	}
}

/* Builds the screen again from an empty list with the focus as it is now. */
static void
rebuild(app *a, screen_build_fn fn, bool rtl)
{
	ui_ctx *c = &a->ctx;
	keep_before(c);
	draw_list_clear(&a->dl);
	c->n_targets = 0;
	c->focus = a->in.focus;
	c->show_focus = a->in.show_focus;
	fn(c);
	order_targets(a, c);
	if (rtl)
		ui_mirror(c);
}

/* The context a screen builds from: the window, the person's look, the
 * input state. */
static void
fill_ctx(app *a, ui_ctx *c)
{
	int w, h;
	SDL_GetRendererOutputSize(a->ren, &w, &h);
	draw_list_clear(&a->dl);
	a->dl.lang = session_get_view(a->s)->language;
	c->dl = &a->dl;
	c->tc = a->tc;
	/* The person's theme, text size and font apply from this frame on,
	 * whoever changed them (their settings, or the kiosk's at reset). */
	a->th = theme_get(a->acc.theme);
	c->th = a->th;
	c->text_scale = a->acc.large_text ? 1.35 : 1.0;
	c->words_first = false;
	text_set_dyslexic(a->tc, a->acc.dyslexic_font);
	c->data_dir = a->data_dir;
	app_flows_keep_offered(a);
	c->flow = session_flow(a->s);
	app_flows_offered(a, c);
	c->symbols = &a->symbols;
	c->cards = a->opt.cards;
	c->card_index = a->card_index;
	c->view = session_get_view(a->s);
	c->w = w;
	c->h = h;
	c->min_target = a->min_target;
	keep_before(c);
	input_mode_before(a);
	c->pressed = input_pressed(&a->in);
	c->focus = a->in.focus;
	c->show_focus = a->in.show_focus;
	input_mode_ring(a, c);
	c->n_targets = 0;
	c->label_px = 0;
	c->staff = staff_get_view(a->staff);
	c->acc = &a->acc;
	c->overlay = a->overlay;
	c->trial_left_s = input_mode_trial_left_s(a, tl_mono(a->clock));
	c->rtl = text_lang_is_rtl(c->view->language);
	c->composing = keyboard_text_entry(a) ? a->composing : "";
	app_draw_owner(a);
	c->canvas = &a->canvas;
	c->draw_colour = a->canvas.colour;
	if (c->view->question != a->osk_question) {
		a->osk_question = c->view->question;
		a->osk_page = 0;
	}
	c->osk_page = a->osk_page;
	app_store_fill_ctx(a, c);
}

void
app_layout(app *a)
{
	note_screen(a);
	ui_ctx *c = &a->ctx;
	fill_ctx(a, c);
	screen_build_fn fn = screens_pick(c);
	bool rtl = c->rtl && !screens_staff(c);
	if (fn) {
		fn(c);
		order_targets(a, c);
	}
	if (fn && rtl)
		ui_mirror(c);
	/* A screen built with a focus index from before may have fewer targets;
	 * on a new screen a keyboard user's focus starts on the first target
	 * in focus order: the screen's main action. */
	if (a->in.focus >= c->n_targets)
		a->in.focus = -1;
	if (a->in.show_focus && a->in.focus < 0 && c->n_targets > 0) {
		a->in.focus = 0;
		rebuild(a, fn, rtl);  /* again, with the ring where it now is */
	}
	if (fn && input_mode_after(a, c))
		rebuild(a, fn, rtl);
	render_prepare(&a->dl, a->tc, a->ic);
	speak_changes(a);
}
