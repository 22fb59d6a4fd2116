/*
 * screen_thanks: a warm thank-you, then the kiosk goes back to welcome by
 * itself; Finish goes there at once. "Your answers are saved" is said only
 * once the session's rows are committed: until then "Saving your answers"
 * with three calm dots, and past the deadline (app_store.c) plainly that
 * staff need to check the kiosk.
 */
#include "ui.h"

void
screen_thanks_build(ui_ctx *c)
{
	const ui_words *wd = ui_words_for(c->view->language);
	int m = ui_margin(c);
	char sym[1024];
	int s = c->h * 30 / 100;
	draw_image(c->dl, (ui_rect){ (c->w - s) / 2, m * 2, s, s }, ui_symbol(c, "thank-you", sym, sizeof sym));
	ui_rect tr = { m * 2, m * 2 + s + m, c->w - 4 * m, c->h * 16 / 100 };
	ui_text(c, tr, wd->thanks_title, tr.h * 8 / 10, FONT_BOLD, ALIGN_CENTER, c->th->text);
	ui_rect br = { m * 2, tr.y + tr.h, c->w - 4 * m, c->h * 10 / 100 };
	const char *body = c->saving == UI_SAVING ? screen_rest_words(wd->lang, UI_W_SAVING)
	                 : c->saving == UI_SAVE_LATE ? screen_rest_words(wd->lang, UI_W_SAVE_LATE)
	                 : wd->thanks_body;
	ui_text(c, br, body, br.h * 7 / 10, FONT_REGULAR, ALIGN_CENTER, c->th->text);
	if (c->saving == UI_SAVING)
		screen_rest_dots(c, (ui_rect){ m * 2, br.y + br.h, c->w - 4 * m, c->h / 30 });

	int bw = ui_max(c->min_target * 2, c->w * (c->h > c->w ? 5 : 3) / 10);
	int bh = ui_max(c->min_target, c->h / 9);
	int ti = ui_add_target(c, (ui_rect){ (c->w - bw) / 2, c->h - m * 2 - bh, bw, bh }, ACT_FINISH, 0);
	ui_draw_target(c, ti, STYLE_BUTTON, ui_symbol(c, "done", sym, sizeof sym), wd->finish, false, true);
	screen_access_button(c);
}
