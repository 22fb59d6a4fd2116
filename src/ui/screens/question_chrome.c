/*
 * question_chrome: what every question screen has around its answers, in
 * one place, so a person finds the same ways out on every question whatever
 * its type (choose, scale, yes/no, sort, text, draw).
 *
 * Top bar: Back on the left (when there is a question to go back to), the
 * progress dots in the middle, "I've finished" on the right before the
 * access button's corner, and the access button. Bottom bar: Skip and
 * "I don't want to say" always; Done too when the question asks for one
 * (three across in landscape; in portrait, which is narrow, Done has a row
 * of its own above the other two, so none of the three is squeezed).
 *
 * The screen lays its own content into the body it is given back; the app
 * puts the targets in focus order afterwards (ui_focus_order), so which
 * comes first here does not matter to Tab or to scanning.
 */
#include "ui.h"

question_chrome_rects
question_chrome(ui_ctx *c, bool with_done)
{
	const session_view *v = c->view;
	const ui_words *wd = ui_words_for(v->language);
	bool portrait = c->h > c->w;
	int m = ui_margin(c), gap = m;
	char sym[1024];

	question_chrome_rects q;
	q.bar_h = ui_max(c->min_target, ui_min(c->h / 9, c->w / 7));
	q.top = (ui_rect){ m, m, c->w - 2 * m, q.bar_h };
	bool done_row = portrait && with_done;
	int bottom_h = done_row ? 2 * q.bar_h + gap : q.bar_h;
	q.bottom = (ui_rect){ m, c->h - m - bottom_h, c->w - 2 * m, bottom_h };
	int body_y = q.top.y + q.top.h + gap;
	q.body = (ui_rect){ m, body_y, c->w - 2 * m, q.bottom.y - gap - body_y };

	/* Top bar. "I've finished": a person can stop on any question and
	 * still be counted. */
	ui_rect top = q.top;
	int back_w = ui_max(c->min_target * 2, c->w / 6);
	int fin_w = ui_max(c->min_target * 2, c->w / 5);
	int ab = screen_access_button_size(c);
	int bar_side = ui_max(back_w, ab + gap + fin_w);
	if (v->can_back) {
		int ti = ui_add_target(c, (ui_rect){ top.x, top.y, back_w, top.h }, ACT_BACK, 0);
		ui_draw_target(c, ti, STYLE_BUTTON, ui_symbol(c, "back", sym, sizeof sym), wd->back, false, true);
	}
	ui_progress(c, (ui_rect){ top.x + bar_side + gap, top.y, top.w - 2 * (bar_side + gap), top.h },
	            v->question_number, v->question_total);
	int ti = ui_add_target(c, (ui_rect){ top.x + top.w - ab - gap - fin_w, top.y, fin_w, top.h },
	                       ACT_FINISH_EARLY, 0);
	ui_draw_target(c, ti, STYLE_BUTTON, ui_symbol(c, "done", sym, sizeof sym), wd->finished, false,
	               true);
	/* "How do you like to answer?" in the other top corner. */
	screen_access_button(c);

	/* Bottom bar: the ways out that are always there, and Done. */
	ui_rect bottom = q.bottom;
	ui_rect row = { bottom.x, bottom.y + bottom.h - q.bar_h, bottom.w, q.bar_h };
	int across = with_done && !done_row ? 3 : 2;
	int bw = ui_max(c->min_target, (row.w - (across - 1) * gap) / across);
	if (across == 2)
		bw = ui_min(bw, ui_max(c->min_target, row.w / 3 + row.w / 12));
	ti = ui_add_target(c, (ui_rect){ row.x, row.y, bw, row.h }, ACT_SKIP, 0);
	ui_draw_target(c, ti, STYLE_BUTTON, ui_symbol(c, "skip", sym, sizeof sym), wd->skip, false, true);
	ti = ui_add_target(c, (ui_rect){ row.x + bw + gap, row.y, bw, row.h }, ACT_DECLINE, 0);
	ui_draw_target(c, ti, STYLE_BUTTON, ui_symbol(c, "dont-want-to-say", sym, sizeof sym),
	               wd->decline, false, true);
	if (with_done) {
		ui_rect dr = done_row ? (ui_rect){ bottom.x, bottom.y, bottom.w, q.bar_h }
		                      : (ui_rect){ row.x + row.w - bw, row.y, bw, row.h };
		ti = ui_add_target(c, dr, ACT_DONE, 0);
		ui_draw_target(c, ti, STYLE_PRIMARY, ui_symbol(c, "done", sym, sizeof sym), wd->done, false,
		               true);
	}
	return q;
}

void
question_prompt(ui_ctx *c, ui_rect r)
{
	const flow_question *q = c->view->question;
	if (!q)
		return;
	int m = ui_margin(c);
	const char *qsym = symbol_paths_get(c->symbols, c->flow, q->symbol, c->data_dir);
	int s = qsym ? r.h : 0;
	if (qsym)
		ui_image(c, (ui_rect){ r.x, r.y, s, s }, qsym);
	/* as much room after the words as the symbol takes before them, so
	 * they stay in the middle */
	ui_text(c, (ui_rect){ r.x + s + (s ? m : 0), r.y, r.w - 2 * (s + (s ? m : 0)), r.h },
	        tstr_get(&q->prompt, c->view->language, c->flow->languages[0]), r.h * 7 / 10, FONT_BOLD,
	        ALIGN_CENTER, c->th->text);
}
