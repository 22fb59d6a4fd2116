/*
 * screen_still_there: after a quiet while, a gentle question with one big
 * Yes. Nothing of the person's answers is shown here; any touch carries on.
 */
#include "ui.h"

void
screen_still_there_build(ui_ctx *c)
{
	const ui_words *wd = ui_words_for(c->view->language);
	int m = ui_margin(c);
	char sym[1024];
	int s = c->h * 26 / 100;
	draw_image(c->dl, (ui_rect){ (c->w - s) / 2, m * 2, s, s }, ui_symbol(c, "still-there", sym, sizeof sym));
	ui_rect tr = { m * 2, m * 2 + s + m, c->w - 4 * m, c->h * 16 / 100 };
	ui_text(c, tr, wd->still_there, tr.h * 8 / 10, FONT_BOLD, ALIGN_CENTER, c->th->text);

	int bw = ui_max(c->min_target * 3, c->w * (c->h > c->w ? 8 : 4) / 10);
	int bh = ui_max(c->min_target, c->h * 2 / 10);
	ui_rect br = { (c->w - bw) / 2, tr.y + tr.h + m, bw, bh };
	int ti = ui_add_target(c, br, ACT_STILL_HERE, 0);
	ui_draw_target(c, ti, STYLE_PRIMARY, ui_symbol(c, "yes", sym, sizeof sym), wd->yes_here, false, true);
	ui_rect hr = { m * 2, br.y + br.h + m, c->w - 4 * m, ui_max(0, c->h - (br.y + br.h + m) - m) };
	/* Quieter than the question it follows. */
	int title_px = text_fit(c->tc, wd->still_there, c->dl->lang, FONT_BOLD, 12, tr.h * 8 / 10, tr.w, tr.h);
	ui_text(c, hr, wd->tap_anywhere, ui_min(ui_min(hr.h * 6 / 10, c->h / 16), title_px * 6 / 10),
	        FONT_REGULAR, ALIGN_CENTER, c->th->muted_text);
}
