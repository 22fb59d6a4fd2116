/*
 * screen_language: one big card per language of the flow, each with the
 * language symbol and the language's own name in its own script (so a
 * person finds theirs without reading the current one). Tapping a card
 * sets the language for this person and goes back; Back goes back as it
 * was. Opened over any kiosk screen (ACT_OPEN_LANGUAGE).
 */
#include "ui.h"

#include <string.h>

void
screen_language_build(ui_ctx *c)
{
	const ui_words *wd = ui_words_for(c->view->language);
	int m = ui_margin(c), gap = m;
	char sym[1024];
	const char *lang = c->dl->lang;

	/* Top bar: Back, and "Language" in the words the person has now. */
	int bar_h = ui_max(c->min_target, ui_min(c->h / 9, c->w / 7));
	int back_w = ui_max(c->min_target * 2, c->w / 6);
	c->dl->lang = wd->lang;
	int ti = ui_add_target(c, (ui_rect){ m, m, back_w, bar_h }, ACT_CLOSE_OVERLAY, 0);
	ui_draw_target(c, ti, STYLE_BUTTON, ui_symbol(c, "back", sym, sizeof sym), wd->back, false, true);
	/* Centred on the screen, in the room Back leaves either side; where
	 * that room is too narrow for the word at its size (a tall screen,
	 * large text: "Language" came out smaller than the names under it),
	 * in all the room beyond Back instead, as nothing sits at the end. */
	ui_rect tr = { m + back_w + gap, m, c->w - 2 * (m + back_w + gap), bar_h };
	ui_rect wide = { tr.x, m, c->w - m - tr.x, bar_h };
	int want = (int)(bar_h * 6 / 10 * (c->text_scale > 1.0 ? c->text_scale : 1.0));
	if (text_fit(c->tc, wd->language, c->dl->lang, FONT_BOLD, 1, want, wide.w, wide.h) >
	    text_fit(c->tc, wd->language, c->dl->lang, FONT_BOLD, 1, want, tr.w, tr.h))
		tr = wide;
	ui_text(c, tr, wd->language, bar_h * 6 / 10, FONT_BOLD, ALIGN_CENTER, c->th->text);

	size_t n = c->flow->n_languages;
	if (n > UI_MAX_TARGETS - 1)
		n = UI_MAX_TARGETS - 1;
	ui_rect area = { m, m + bar_h + gap, c->w - 2 * m, c->h - 2 * m - bar_h - gap };
	ui_rect cells[UI_MAX_TARGETS];
	/* Upright cards, name under the globe: a name centred under its
	 * picture reads the same in either direction. */
	ui_grid_min(area, (int)n, 1.1, gap, c->min_target, false, cells);

	/* Each name is drawn as its own language, and all at one size. */
	const char *names[UI_MAX_TARGETS];
	int px = 0;
	for (size_t i = 0; i < n; i++) {
		const char *code = c->flow->languages[i];
		const ui_words *lw = ui_words_for(code);
		names[i] = strcmp(lw->lang, code) == 0 ? lw->name : code;
		c->dl->lang = code;
		int p = ui_card_label_px(c, cells[i], STYLE_ANSWER, true, false, names[i]);
		if (px == 0 || p < px)
			px = p;
	}
	c->label_px = px;
	for (size_t i = 0; i < n; i++) {
		const char *code = c->flow->languages[i];
		c->dl->lang = code;
		ti = ui_add_target(c, cells[i], ACT_SET_LANGUAGE, (int)i);
		ui_draw_target(c, ti, STYLE_ANSWER, ui_symbol(c, "language", sym, sizeof sym), names[i],
		               c->view->language && strcmp(c->view->language, code) == 0, false);
	}
	c->label_px = 0;
	c->dl->lang = lang;
}
