/*
 * screen_welcome: calm and inviting. The flow's title, and one big Start
 * with a waving hand: the only thing to press. When the flow has more
 * than one language, a Language button sits in the bottom corner at the
 * start of the line, away from Start. With "You said, we did" cards, the
 * newest sits beside Start (screen_card.c).
 */
#include "ui.h"

void
screen_welcome_build(ui_ctx *c)
{
	const ui_words *wd = ui_words_for(c->view->language);
	int m = ui_margin(c);
	char sym[1024];
	const char *title = tstr_get(&c->flow->title, c->view->language, c->flow->languages[0]);

	/* The title stays centred and clear of the access button's corner. */
	int ab = screen_access_button_size(c) + m;
	ui_rect tr = { m * 2 + ab, m * 2, c->w - 4 * m - 2 * ab, c->h * 28 / 100 };
	ui_text(c, tr, title, tr.h / 2, FONT_BOLD, ALIGN_CENTER, c->th->text);
	screen_access_button(c);

	/* The Language button's row is kept clear of Start. */
	bool langs = c->flow->n_languages > 1;
	int lh = ui_max(c->min_target, ui_min(c->h / 9, c->w / 7));
	int bottom = langs ? c->h - m - lh - m : c->h;
	/* "You said, we did": the newest card beside Start (under it on a tall
	 * screen), in its own part of the screen (screen_card.c). */
	int sx = 0, sw = c->w;
	ui_rect card_r = { 0, 0, 0, 0 };
	if (screen_card_current(c, 0)) {
		int top = tr.y + tr.h;
		if (c->w >= c->h) {
			sw = c->w * 52 / 100;
			card_r = (ui_rect){ sw, top, c->w - sw - 2 * m, bottom - top - m };
		} else {
			int ch = (bottom - top) * 55 / 100;
			card_r = (ui_rect){ 2 * m, bottom - ch - m, c->w - 4 * m, ch };
			bottom = card_r.y;
		}
	}
	int bw = ui_max(c->min_target * 3, ui_min(sw * 6 / 10, c->h * 11 / 10));
	if (sw < c->w)
		bw = ui_max(c->min_target * 3, sw * 8 / 10);
	int bh = ui_max(c->min_target, ui_min(c->h * 38 / 100, bw / 2));
	if (langs || sw < c->w || card_r.w)
		bh = ui_max(c->min_target, ui_min(bh, bottom - tr.y - tr.h - m));
	int by = tr.y + tr.h + (bottom - tr.y - tr.h - bh) / 2 - (langs ? 0 : m);
	ui_rect br = { sx + (sw - bw) / 2, by, bw, bh };
	int ti = ui_add_target(c, br, ACT_START, 0);
	ui_draw_target(c, ti, STYLE_PRIMARY, ui_symbol(c, "start", sym, sizeof sym), wd->start, false, true);
	if (langs) {
		int lw = ui_max(c->min_target * 3, c->w / 4);
		ti = ui_add_target(c, (ui_rect){ m, c->h - m - lh, lw, lh }, ACT_OPEN_LANGUAGE, 0);
		const char *lang = c->dl->lang;
		c->dl->lang = wd->lang;
		ui_draw_target(c, ti, STYLE_BUTTON, ui_symbol(c, "language", sym, sizeof sym), wd->language,
		               false, true);
		c->dl->lang = lang;
	}
	if (card_r.w)
		screen_card_build(c, card_r, 0, true);
}
