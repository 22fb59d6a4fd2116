/*
 * screen_audience: "These people will read what you say" (the Lundy
 * model's Audience), after Start when the flow names its audience. Each
 * person is a picture card with their photo and first name, their role
 * under it in quieter words; touching a card reads that person aloud. One
 * big Carry on goes to the first question.
 *
 * Carry on is the screen's first target, so keyboard focus and switch
 * scanning start on it: a person who does not want to hear about anyone
 * leaves with one press. The screen reads itself aloud when it appears
 * (speak.c), and has a deadline like a question's (session.c), so nobody's
 * walk-away leaves it standing.
 */
#include "ui.h"

void
screen_audience_build(ui_ctx *c)
{
	const ui_words *wd = ui_words_for(c->view->language);
	const flow *f = c->flow;
	const char *lang = c->view->language, *fb = f->languages[0];
	int m = ui_margin(c), gap = m;
	char sym[1024];
	bool tall = c->h > c->w;

	/* Carry on, at the bottom in the middle: first, so focus starts here. */
	int bw = ui_max(c->min_target * 3, c->w * (tall ? 6 : 3) / 10);
	int bh = ui_max(c->min_target, c->h / 9);
	ui_rect br = { (c->w - bw) / 2, c->h - m * 2 - bh, bw, bh };
	int ti = ui_add_target(c, br, ACT_CARRY_ON, 0);
	const char *was = c->dl->lang;
	c->dl->lang = wd->lang;
	ui_draw_target(c, ti, STYLE_PRIMARY, ui_symbol(c, "start", sym, sizeof sym), wd->carry_on,
	               false, true);

	/* The heading, clear of the access button's corner. */
	int ab = screen_access_button_size(c) + m;
	ui_rect tr = { m * 2 + ab, m * 2, c->w - 4 * m - 2 * ab, c->h * (tall ? 10 : 14) / 100 };
	ui_text(c, tr, wd->audience_title, tr.h * 6 / 10, FONT_BOLD, ALIGN_CENTER, c->th->text);
	c->dl->lang = was;

	/* The people: a card each (photo and name), the role under it. */
	int n = ui_min((int)f->n_audience, FLOW_MAX_AUDIENCE);
	ui_rect area = { m * 2, tr.y + tr.h + gap, c->w - 4 * m, br.y - gap - (tr.y + tr.h + gap) };
	ui_rect cells[FLOW_MAX_AUDIENCE];
	ui_grid_min(area, n, 0.8, gap, c->min_target * 2, false, cells);
	/* One size for every name, and one for every role. */
	int name_px = 0, role_px = 0;
	for (int i = 0; i < n; i++) {
		ui_rect card = { cells[i].x, cells[i].y, cells[i].w, cells[i].h * 72 / 100 };
		int p = ui_card_label_px(c, card, STYLE_ANSWER, true, false, f->audience[i].name);
		name_px = name_px == 0 || p < name_px ? p : name_px;
		ui_rect rr = { cells[i].x, card.y + card.h, cells[i].w, cells[i].h - card.h };
		const char *role = tstr_get(&f->audience[i].role, lang, fb);
		p = text_fit(c->tc, role, lang, FONT_REGULAR, 12, ui_max(12, rr.h * 4 / 10), rr.w, rr.h);
		role_px = role_px == 0 || p < role_px ? p : role_px;
	}
	for (int i = 0; i < n; i++) {
		const flow_person *p = &f->audience[i];
		ui_rect card = { cells[i].x, cells[i].y, cells[i].w, cells[i].h * 72 / 100 };
		int pi = ui_add_target(c, card, ACT_AUDIENCE_HEAR, i);
		c->label_px = name_px;
		ui_draw_target(c, pi, STYLE_ANSWER, symbol_paths_get(c->symbols, f, p->photo, c->data_dir),
		               p->name, false, false);
		c->label_px = 0;
		ui_rect rr = { cells[i].x, card.y + card.h, cells[i].w, cells[i].h - card.h };
		draw_text(c->dl, rr, tstr_get(&p->role, lang, fb), role_px, FONT_REGULAR, ALIGN_CENTER,
		          c->th->text);
	}
	screen_access_button(c);
}
