/*
 * screen_thanks: a warm thank-you, then the kiosk goes back to welcome by
 * itself; Finish goes there at once. "Your answers are saved" is said only
 * once the session's rows are committed: until then "Saving your answers"
 * with three calm dots, and past the deadline (app_store.c) plainly that
 * staff need to check the kiosk.
 * With "You said, we did" cards, another card than the welcome's shows
 * beside the thanks (under them on a tall screen).
 */
#include "ui.h"

void
screen_thanks_build(ui_ctx *c)
{
	const ui_words *wd = ui_words_for(c->view->language);
	int m = ui_margin(c);
	char sym[1024];
	bool card = screen_card_current(c, 1) != NULL;
	bool wide = c->w >= c->h;
	/* The thanks take the whole width, or the start of it beside a card. */
	int cw = card && wide ? c->w * 52 / 100 : c->w;
	int s = c->h * (card && !wide ? 20 : 30) / 100;
	draw_image(c->dl, (ui_rect){ (cw - s) / 2, m * 2, s, s }, ui_symbol(c, "thank-you", sym, sizeof sym));
	ui_rect tr = { m * 2, m * 2 + s + m, cw - 4 * m, c->h * (card && !wide ? 10 : 16) / 100 };
	ui_text(c, tr, wd->thanks_title, tr.h * 8 / 10, FONT_BOLD, ALIGN_CENTER, c->th->text);
	ui_rect br = { m * 2, tr.y + tr.h, cw - 4 * m, c->h * (card && !wide ? 7 : 10) / 100 };
	const char *body = c->saving == UI_SAVING ? screen_rest_words(wd->lang, UI_W_SAVING)
	                 : c->saving == UI_SAVE_LATE ? screen_rest_words(wd->lang, UI_W_SAVE_LATE)
	                 : wd->thanks_body;
	ui_text(c, br, body, br.h * 7 / 10, FONT_REGULAR, ALIGN_CENTER, c->th->text);
	if (c->saving == UI_SAVING)
		screen_rest_dots(c, (ui_rect){ m * 2, br.y + br.h, cw - 4 * m, c->h / 30 });

	int bw = ui_max(c->min_target * 2, cw * (c->h > c->w || cw < c->w ? 5 : 3) / 10);
	int bh = ui_max(c->min_target, c->h / 9);
	int ti = ui_add_target(c, (ui_rect){ (cw - bw) / 2, c->h - m * 2 - bh, bw, bh }, ACT_FINISH, 0);
	ui_draw_target(c, ti, STYLE_BUTTON, ui_symbol(c, "done", sym, sizeof sym), wd->finish, false, true);
	screen_access_button(c);
	if (card && wide) {
		int top = screen_access_button_size(c) + 2 * m;
		screen_card_build(c, (ui_rect){ cw, top, c->w - cw - 2 * m, c->h - top - 2 * m }, 1, false);
	} else if (card) {
		int top = br.y + br.h + c->h / 30 + m;  /* under the saving dots */
		screen_card_build(c, (ui_rect){ 2 * m, top, c->w - 4 * m, c->h - m * 3 - bh - top }, 1, false);
	}
}
