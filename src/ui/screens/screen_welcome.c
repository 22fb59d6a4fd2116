/*
 * screen_welcome: calm and inviting. With one flow: the flow's title, and
 * one big Start with a waving hand, the only thing to press. With several
 * flows offered: "What would you like to tell us about?" and a big picture
 * card for each flow with its title; a card starts that flow (keyboard
 * focus and switch scanning start on the first card, which is why the
 * cards are the screen's first targets). When the flow has more than one
 * language, a Language button sits in the bottom corner at the start of
 * the line, away from Start.
 *
 * The screen is cut into regions first (welcome_regions): the heading, the
 * main area (Start or the cards) and the panel beside it (under it when
 * tall) where the newest "You said, we did" card sits (screen_card.c). The
 * panel has no width when there is no card.
 */
#include "ui.h"

typedef struct welcome_regions {
	ui_rect title;   /* the heading, clear of the access button's corner */
	ui_rect main;    /* Start, or the flows' cards */
	ui_rect panel;   /* beside main (landscape) or under it (portrait); w 0: none */
	int bottom;      /* main and panel end above this (the Language row) */
	bool langs;      /* the Language button shows */
} welcome_regions;

/* panel: the "You said, we did" card shows (screen_card.c): beside main
 * on a wide screen (main keeps 52 % of the width), under it on a tall one
 * (the panel takes 55 % of the height below the heading). */
static void
welcome_regions_make(const ui_ctx *c, bool panel, welcome_regions *r)
{
	int m = ui_margin(c);
	int ab = screen_access_button_size(c) + m;
	r->title = (ui_rect){ m * 2 + ab, m * 2, c->w - 4 * m - 2 * ab, c->h * 28 / 100 };
	r->langs = c->flow->n_languages > 1;
	int lh = ui_max(c->min_target, ui_min(c->h / 9, c->w / 7));
	r->bottom = r->langs ? c->h - m - lh - m : c->h;
	int top = r->title.y + r->title.h;
	r->main = (ui_rect){ 0, top, c->w, r->bottom - top };
	r->panel = (ui_rect){ 0, top, 0, 0 };
	if (!panel)
		return;
	if (c->w >= c->h) {
		int sw = c->w * 52 / 100;
		r->main.w = sw;
		r->panel = (ui_rect){ sw, top, c->w - sw - 2 * m, r->bottom - top - m };
	} else {
		int ch = (r->bottom - top) * 55 / 100;
		r->panel = (ui_rect){ 2 * m, r->bottom - ch - m, c->w - 4 * m, ch };
		r->main.h = r->panel.y - top;
	}
}

static void
language_button(ui_ctx *c, const ui_words *wd)
{
	int m = ui_margin(c);
	char sym[1024];
	int lh = ui_max(c->min_target, ui_min(c->h / 9, c->w / 7));
	int lw = ui_max(c->min_target * 3, c->w / 4);
	int ti = ui_add_target(c, (ui_rect){ m, c->h - m - lh, lw, lh }, ACT_OPEN_LANGUAGE, 0);
	const char *lang = c->dl->lang;
	c->dl->lang = wd->lang;
	ui_draw_target(c, ti, STYLE_BUTTON, ui_symbol(c, "language", sym, sizeof sym), wd->language,
	               false, true);
	c->dl->lang = lang;
}

/* One big Start in the middle of main. */
static void
one_flow(ui_ctx *c, const welcome_regions *r, const ui_words *wd)
{
	int m = ui_margin(c);
	char sym[1024];
	const char *title = tstr_get(&c->flow->title, c->view->language, c->flow->languages[0]);
	ui_text(c, r->title, title, r->title.h / 2, FONT_BOLD, ALIGN_CENTER, c->th->text);
	screen_access_button(c);

	const ui_rect *mr = &r->main;
	bool panel = r->panel.w > 0;
	int bw = ui_max(c->min_target * 3, ui_min(mr->w * 6 / 10, c->h * 11 / 10));
	if (mr->w < c->w)
		bw = ui_max(c->min_target * 3, mr->w * 8 / 10);
	int bh = ui_max(c->min_target, ui_min(c->h * 38 / 100, bw / 2));
	if (r->langs || panel)
		bh = ui_max(c->min_target, ui_min(bh, mr->h - m));
	int by = mr->y + (mr->h - bh) / 2 - (r->langs ? 0 : m);
	ui_rect br = { mr->x + (mr->w - bw) / 2, by, bw, bh };
	int ti = ui_add_target(c, br, ACT_START, c->n_flows > 0 ? c->flow_arg[0] : 0);
	ui_draw_target(c, ti, STYLE_PRIMARY, ui_symbol(c, "start", sym, sizeof sym), wd->start, false, true);
}

/* A picture card for each offered flow, as large as main allows. */
static void
several_flows(ui_ctx *c, const welcome_regions *r, const ui_words *wd)
{
	int m = ui_margin(c), gap = m;
	char sym[1024];
	int n = ui_min(c->n_flows, UI_MAX_FLOWS);
	ui_rect area = { r->main.x + m, r->main.y + gap, r->main.w - 2 * m,
	                 r->main.h - gap - (r->langs ? 0 : m) };
	ui_rect cells[UI_MAX_FLOWS];
	ui_grid_min(area, n, 0.95, gap, c->min_target * 2, false, cells);
	const char *lang = c->view->language;
	/* One size for every card's words, so no flow looks louder. */
	int px = 0;
	for (int i = 0; i < n; i++) {
		const flow *f = c->flows[i];
		int p = ui_card_label_px(c, cells[i], STYLE_ANSWER, true, false,
		                         tstr_get(&f->title, lang, f->languages[0]));
		px = px == 0 || p < px ? p : px;
	}
	c->label_px = px;
	for (int i = 0; i < n; i++) {
		const flow *f = c->flows[i];
		const char *path = f->symbol ? symbol_paths_get(c->symbols, f, f->symbol, c->data_dir)
		                             : ui_symbol(c, "speech-balloon", sym, sizeof sym);
		int ti = ui_add_target(c, cells[i], ACT_START, c->flow_arg[i]);
		ui_draw_target(c, ti, STYLE_ANSWER, path, tstr_get(&f->title, lang, f->languages[0]),
		               false, false);
	}
	c->label_px = 0;
	/* The heading after the cards: the cards are the first targets. */
	const char *wlang = c->dl->lang;
	c->dl->lang = wd->lang;
	ui_text(c, r->title, wd->choose_flow, r->title.h * 3 / 10, FONT_BOLD, ALIGN_CENTER,
	        c->th->text);
	c->dl->lang = wlang;
	screen_access_button(c);
}

void
screen_welcome_build(ui_ctx *c)
{
	const ui_words *wd = ui_words_for(c->view->language);
	welcome_regions r;
	welcome_regions_make(c, screen_card_current(c, 0) != NULL, &r);
	if (c->n_flows > 1)
		several_flows(c, &r, wd);
	else
		one_flow(c, &r, wd);
	if (r.langs)
		language_button(c, wd);
	if (r.panel.w)
		screen_card_build(c, r.panel, 0, true);
}
