/*
 * screen_welcome: calm and inviting. The flow's title, and one big Start
 * with a waving hand: the only thing to press.
 */
#include "ui.h"

void
screen_welcome_build(ui_ctx *c)
{
	const ui_words *wd = ui_words_for(c->view->language);
	int m = ui_margin(c);
	char sym[1024];
	const char *title = tstr_get(&c->flow->title, c->view->language, c->flow->languages[0]);

	ui_rect tr = { m * 2, m * 2, c->w - 4 * m, c->h * 28 / 100 };
	ui_text(c, tr, title, tr.h / 2, FONT_BOLD, ALIGN_CENTER, c->th->text);

	int bw = ui_max(c->min_target * 3, ui_min(c->w * 6 / 10, c->h * 11 / 10));
	int bh = ui_max(c->min_target, ui_min(c->h * 38 / 100, bw / 2));
	ui_rect br = { (c->w - bw) / 2, tr.y + tr.h + (c->h - tr.y - tr.h - bh) / 2 - m, bw, bh };
	int ti = ui_add_target(c, br, ACT_START, 0);
	ui_draw_target(c, ti, STYLE_PRIMARY, ui_symbol(c, "start", sym, sizeof sym), wd->start, false, true);
}
