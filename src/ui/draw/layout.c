/*
 * layout: the shared pieces every screen is made of — margins, a grid that
 * makes answer cards as large as the screen allows, pressable cards with
 * their pressed, selected and focused looks, fitted text and progress dots.
 *
 * Sizes derive from the window's shorter side so one layout serves 800x480
 * and 3840x2160 alike; the minimum target size (20 mm at the panel's dpi)
 * is a floor that every pressable thing respects.
 */
#include "ui.h"

#include <stdio.h>
#include <string.h>

int
ui_margin(const ui_ctx *c)
{
	return ui_max(12, ui_min(c->w, c->h) / 30);
}

int
ui_add_target(ui_ctx *c, ui_rect r, enum ui_action a, int arg)
{
	if (c->n_targets >= UI_MAX_TARGETS)
		return -1;
	c->targets[c->n_targets] = (ui_target){ r, a, arg };
	return c->n_targets++;
}

/* Ranks of the focus order (ui.h); anything not named is a main action. */
static const signed char focus_ranks[ACT_COUNT] = {
	[ACT_BACK] = 1, [ACT_CLOSE_OVERLAY] = 1, [ACT_STAFF_MENU] = 1, [ACT_STAFF_CLOSE] = 1,
	[ACT_SKIP] = 2,
	/* a choice that deletes is never the first a keyboard reaches */
	[ACT_STAFF_CLEAR] = 2,
	[ACT_DECLINE] = 3,
	[ACT_FINISH_EARLY] = 4,
	[ACT_OPEN_LANGUAGE] = 5, [ACT_CARD_HEAR] = 5, [ACT_CARD_MORE] = 5,
	[ACT_OPEN_ACCESS] = 6,
};

int
ui_focus_rank(enum ui_action a)
{
	return (unsigned)a < ACT_COUNT ? focus_ranks[a] : 0;
}

void
ui_focus_order(ui_ctx *c)
{
	/* An insertion sort: stable, and a screen has a few dozen targets. */
	for (int i = 1; i < c->n_targets; i++) {
		ui_target t = c->targets[i];
		int r = ui_focus_rank(t.action), j = i;
		while (j > 0 && ui_focus_rank(c->targets[j - 1].action) > r) {
			c->targets[j] = c->targets[j - 1];
			j--;
		}
		c->targets[j] = t;
	}
}

bool
ui_is(const ui_ctx *c, int ti, int idx)
{
	if (ti < 0 || ti >= c->n_targets || idx < 0 || idx >= c->n_before)
		return false;
	return c->targets[ti].action == c->before[idx].action && c->targets[ti].arg == c->before[idx].arg;
}

const char *
ui_symbol(const ui_ctx *c, const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/assets/symbols/%s.svg", c->data_dir, name);
	return buf;
}

/* Large text raises the floor and the ceiling of every size alike. */
static double
text_scale(const ui_ctx *c)
{
	return c->text_scale > 1.0 ? c->text_scale : 1.0;
}

static int
min_text_px(const ui_ctx *c)
{
	return (int)(ui_max(12, ui_min(c->w, c->h) / 45) * text_scale(c));
}

void
ui_image(ui_ctx *c, ui_rect r, const char *path)
{
	if (!path || !*path || r.w <= 0 || r.h <= 0)
		return;
	if (c->th->symbol_back.a) {
		/* The picture's dark outlines need a light tile on a dark theme.
		 * The tile stands a little clear of a card's edge. */
		int s = ui_min(r.w, r.h) * 15 / 16, pad = ui_max(2, s / 14);
		ui_rect t = { r.x + (r.w - s) / 2, r.y + (r.h - s) / 2, s, s };
		draw_fill(c->dl, t, c->th->symbol_back, ui_max(4, s / 6));
		r = (ui_rect){ t.x + pad, t.y + pad, s - 2 * pad, s - 2 * pad };
	}
	draw_image(c->dl, r, path);
}

void
ui_text(ui_ctx *c, ui_rect r, const char *s, int max_px, enum font_face face,
        enum text_align align, ui_color col)
{
	if (!s || !*s || r.w <= 0 || r.h <= 0)
		return;
	int min_px = min_text_px(c);
	max_px = (int)(max_px * text_scale(c));
	if (max_px < min_px)
		max_px = min_px;
	int px = text_fit(c->tc, s, c->dl->lang, face, min_px, max_px, r.w, r.h);
	draw_text(c->dl, r, s, px, face, align, col);
}

int
ui_grid(ui_rect area, int n, double aspect, int gap, ui_rect *cells)
{
	return ui_grid_min(area, n, aspect, gap, 0, false, cells);
}

int
ui_grid_min(ui_rect area, int n, double aspect, int gap, int min, bool one_line, ui_rect *cells)
{
	if (n <= 0)
		return 0;
	int best_cols = 1;
	double best = -1;
	bool best_ok = false;
	for (int cols = 1; cols <= n; cols++) {
		/* A scale reads in order: one row, or one column, never wrapped. */
		if (one_line && cols != 1 && cols != n)
			continue;
		int rows = (n + cols - 1) / cols;
		double cw = (area.w - gap * (cols - 1)) / (double)cols;
		double ch = (area.h - gap * (rows - 1)) / (double)rows;
		if (cw <= 0 || ch <= 0)
			continue;
		/* The usable card keeps the aspect inside the cell. */
		double w = cw, h = cw / aspect;
		if (h > ch) {
			h = ch;
			w = ch * aspect;
		}
		double score = w * h;
		/* Cells that reach the minimum target size win over larger ones
		 * that do not, in either direction. */
		bool ok = cw >= min && ch >= min;
		if ((ok && !best_ok) || (ok == best_ok && score > best * 1.0001)) {
			best = score;
			best_cols = cols;
			best_ok = ok;
		}
	}
	int cols = best_cols, rows = (n + cols - 1) / cols;
	int cw = (area.w - gap * (cols - 1)) / cols;
	int ch = (area.h - gap * (rows - 1)) / rows;
	/* Cards fill their cells up to a sensible aspect, centred as a block,
	 * but never below the minimum size when the cell allows it. */
	int w = cw, h = ch;
	double stretch = aspect >= 2 ? 2.2 : 1.35;  /* sideways cards may run wide */
	if (w > h * aspect * stretch)
		w = ui_max((int)(h * aspect * stretch), ui_min(min, cw));
	if (h > w / aspect * 1.35)
		h = ui_max((int)(w / aspect * 1.35), ui_min(min, ch));
	int block_h = rows * h + (rows - 1) * gap;
	int y0 = area.y + (area.h - block_h) / 2;
	for (int i = 0; i < n; i++) {
		int row = i / cols, col = i % cols;
		int in_row = row == rows - 1 ? n - row * cols : cols;
		int row_w = in_row * w + (in_row - 1) * gap;
		int x0 = area.x + (area.w - row_w) / 2;
		cells[i] = (ui_rect){ x0 + col * (w + gap), y0 + row * (h + gap), w, h };
	}
	return cols;
}

static ui_rect
inset(ui_rect r, int d)
{
	return (ui_rect){ r.x + d, r.y + d, r.w - 2 * d, r.h - 2 * d };
}

/* A card's edge (high contrast's thicker). */
static int
card_border(const ui_ctx *c)
{
	return ui_max(2, ui_min(c->w, c->h) / 300) * ui_max(1, c->th->border_scale);
}

/* A pressed card's edge: three times the usual one, in either theme
 * (tripling high contrast's too ate the words of a small card). */
static int
card_pressed_edge(const ui_ctx *c)
{
	return ui_max(2, ui_min(c->w, c->h) / 300) * 3;
}

/* A chosen card's band. */
static int
card_selected_edge(const ui_ctx *c)
{
	return ui_max(6, ui_min(c->w, c->h) / 110);
}

static int
card_edge_max(const ui_ctx *c)
{
	return ui_max(ui_max(card_pressed_edge(c), card_border(c)), card_selected_edge(c));
}

/* A chosen card's tick, in its top corner (the end words read to). */
static ui_rect
tick_badge(const ui_ctx *c, ui_rect r)
{
	int b = ui_max(28, ui_min(r.w, r.h) / 4), border = card_border(c);
	return (ui_rect){ r.x + r.w - b - border * 3, r.y + border * 3, b, b };
}

ui_rect
ui_tick_badge_rect(const ui_ctx *c, ui_rect r)
{
	/* with its halo (ui_draw_target) */
	ui_rect br = tick_badge(c, r);
	int halo = ui_max(2, ui_max(3, br.w / 10) / 2);
	return inset(br, -halo);
}

/* Where a card's picture and words go: the picture dominates (under it
 * the words), or in a row, picture left and words right. */
static void
card_parts(const ui_ctx *c, ui_rect body, enum target_style style, bool has_sym,
           bool horizontal, ui_rect *sym_r, ui_rect *text_r, int *max_px)
{
	double k = text_scale(c);
	/* Never less than the thickest edge a card gets (pressed, chosen),
	 * so the edge never runs over the picture or the words. */
	int pad = ui_max(ui_max(6, ui_min(body.w, body.h) / 14), card_edge_max(c) + 2);
	ui_rect in = inset(body, pad);
	if (style == STYLE_ROUND) {
		/* A picture alone, centred in its circle. */
		int s = ui_min(body.w, body.h) * 6 / 10;
		*sym_r = (ui_rect){ body.x + (body.w - s) / 2, body.y + (body.h - s) / 2, s, s };
		*text_r = (ui_rect){ body.x, body.y, 0, 0 };
		*max_px = 0;
		return;
	}
	if (horizontal && c->words_first) {
		/* Text-first: the words lead, the picture is a small reminder
		 * at the far end (right to left, the app mirrors the screen). */
		int s = has_sym ? ui_min(in.h, in.w / 6) : 0;
		int gap = has_sym ? pad : 0, lead = ui_max(pad, in.h / 5);
		*sym_r = (ui_rect){ in.x + in.w - s, in.y + (in.h - s) / 2, s, s };
		*text_r = (ui_rect){ in.x + lead, in.y, in.w - s - gap - lead, in.h };
		*max_px = (int)(in.h * 4 / 10 * k);
	} else if (horizontal) {
		/* The words keep at least three fifths of the width, so a tall,
		 * narrow button never squeezes them out. */
		int s = has_sym ? (int)(ui_min(in.h, in.w * 2 / 5) / k) : 0;
		int gap = has_sym ? pad : 0;
		*sym_r = (ui_rect){ in.x, in.y + (in.h - s) / 2, s, s };
		*text_r = (ui_rect){ in.x + s + gap, in.y, in.w - s - gap, in.h };
		*max_px = (int)((style == STYLE_ANSWER ? in.h * 4 / 10 : in.h / 2) * k);
	} else {
		/* Room for two lines, so two-word labels can stay large. */
		/* Large text gives the words more of the card. */
		int label_h = ui_max((int)(ui_min(in.h * 3 / 10 * k, in.h / 2)), 24);
		int sh = in.h - label_h;
		int s = ui_min(in.w, sh);
		*sym_r = (ui_rect){ in.x + (in.w - s) / 2, in.y + (sh - s) / 2, s, s };
		*text_r = (ui_rect){ in.x, in.y + in.h - label_h, in.w, label_h };
		*max_px = label_h * 8 / 10;
	}
}

int
ui_card_label_px(ui_ctx *c, ui_rect r, enum target_style style, bool has_sym,
                 bool horizontal, const char *label)
{
	ui_rect sym_r, text_r;
	int max_px;
	card_parts(c, r, style, has_sym, horizontal, &sym_r, &text_r, &max_px);
	int min_px = min_text_px(c);
	if (max_px < min_px)
		max_px = min_px;
	return text_fit(c->tc, label, c->dl->lang, style == STYLE_BUTTON ? FONT_REGULAR : FONT_BOLD,
	                min_px, max_px, text_r.w, text_r.h);
}

void
ui_draw_target(ui_ctx *c, int ti, enum target_style style,
               const char *symbol_path, const char *label, bool selected,
               bool horizontal)
{
	if (ti < 0)
		return;
	const ui_theme *th = c->th;
	ui_rect r = c->targets[ti].r;
	bool pressed = ui_is(c, ti, c->pressed);
	int radius = style == STYLE_ROUND ? ui_min(r.w, r.h) / 2 : ui_max(8, ui_min(r.w, r.h) / 8);
	int border = card_border(c);

	ui_color face = style == STYLE_PRIMARY ? th->primary : th->card;
	ui_color ink = style == STYLE_PRIMARY ? th->primary_text : th->text;
	if (pressed)
		face = style == STYLE_PRIMARY ? th->text : th->card_pressed;

	/* A pressed card changes colour and gains a strong edge on the very
	 * next frame; its size stays, so nothing under the finger moves. */
	ui_rect body = r;
	draw_fill(c->dl, body, face, radius);
	if (style != STYLE_PRIMARY)
		draw_outline(c->dl, body, pressed ? th->primary : th->card_border, radius,
		             pressed ? card_pressed_edge(c) : border);
	if (selected) {
		draw_outline(c->dl, body, th->selected, radius, card_selected_edge(c));
	}

	ui_rect sym_r, text_r;
	int max_px;
	card_parts(c, body, style, symbol_path && *symbol_path, horizontal, &sym_r, &text_r, &max_px);
	if (symbol_path && *symbol_path)
		ui_image(c, sym_r, symbol_path);
	if (label && *label) {
		enum font_face ff = style == STYLE_BUTTON ? FONT_REGULAR : FONT_BOLD;
		enum text_align al = horizontal && ((symbol_path && *symbol_path) || c->words_first)
		                   ? ALIGN_LEFT : ALIGN_CENTER;
		if (c->label_px > 0)
			draw_text(c->dl, text_r, label, c->label_px, ff, al, ink);
		else
			ui_text(c, text_r, label, max_px, ff, al, ink);
	}
	if (selected) {
		/* A tick badge, so "chosen" does not rely on colour alone. */
		ui_rect br = tick_badge(c, r);
		int b = br.w;
		/* Its rim in the chosen colour, in a halo of the card's face so
		 * that it stands out from a picture it lies over as from the
		 * card; a light tile for the tick (high contrast's, as light as
		 * the rim) sits inside a band of the face's colour, so its edge
		 * shows too. */
		int rim = ui_max(3, b / 10), halo = ui_max(2, rim / 2);
		draw_fill(c->dl, inset(br, -halo), th->card, b / 2 + halo);
		draw_disc(c->dl, br, th->selected);
		draw_disc(c->dl, inset(br, rim), th->card);
		if (th->symbol_back.a)
			draw_disc(c->dl, inset(br, rim + halo), th->symbol_back);
		char buf[1024];
		draw_image(c->dl, inset(br, b / 5), ui_symbol(c, "done", buf, sizeof buf));
	}
	if (c->show_focus && ui_is(c, ti, c->focus)) {
		int t = ui_max(6, ui_min(c->w, c->h) / 120);
		ui_rect fr = { r.x - 2 * t, r.y - 2 * t, r.w + 4 * t, r.h + 4 * t };
		draw_outline(c->dl, fr, th->focus_outer, radius + 2 * t, 2 * t);
		draw_outline(c->dl, inset(fr, t / 2), th->focus_inner, radius + t, t);
	}
	if (ui_is(c, ti, c->dwell_target) && c->dwell_progress > 0) {
		/* Resting here (or holding the switch) fills a ring in the card's
		 * corner: a track, then the time gone in the focus colours. */
		int d = ui_max(40, ui_min(r.w, r.h) / 3);
		int t = ui_max(8, d / 5);
		ui_rect dr = { r.x + border * 3, r.y + border * 3, d, d };
		draw_disc(c->dl, dr, th->card);
		draw_arc(c->dl, dr, th->card_border, t, 1000);
		draw_arc(c->dl, dr, th->text, t, (int)(c->dwell_progress * 1000.0f + 0.5f));
	}
}

void
ui_progress(ui_ctx *c, ui_rect r, int number, int total)
{
	if (total <= 0 || r.w <= 0)
		return;
	char buf[64];
	const ui_words *wd = ui_words_for(c->view->language);
	snprintf(buf, sizeof buf, "%d %s %d", wd->total_first ? total : number, wd->progress_of,
	         wd->total_first ? number : total);
	const char *lang = c->dl->lang;
	c->dl->lang = wd->lang;
	/* The words come first; the dots take what room is left and go when
	 * there is too little for them to read as dots. */
	int px = text_fit(c->tc, buf, c->dl->lang, FONT_REGULAR, ui_max(12, r.h / 4), r.h / 2, r.w, r.h);
	int tw = 0, th = 0;
	text_measure(c->tc, buf, c->dl->lang, FONT_REGULAR, px, r.w, &tw, &th);
	int room = r.w - tw;
	int d = ui_min(r.h / 3, room / (total * 2 + 1));
	int dots_w = d >= 8 ? total * d + (total - 1) * d : 0;
	int gap = dots_w ? d : 0;
	int x0 = r.x + (r.w - dots_w - gap - tw) / 2;
	for (int i = 0; dots_w && i < total; i++) {
		ui_rect dr = { x0 + i * 2 * d, r.y + (r.h - d) / 2, d, d };
		draw_disc(c->dl, dr, i < number ? c->th->dot_done : c->th->dot);
	}
	draw_text(c->dl, (ui_rect){ x0 + dots_w + gap, r.y, tw, r.h }, buf, px, FONT_REGULAR,
	          ALIGN_LEFT, c->th->muted_text);
	c->dl->lang = lang;
}

/* Symbols that point the way the words read; right to left, they point
 * the other way. */
static const char *const pointing_symbols[] = { "/back.svg", "/skip.svg" };

void
ui_mirror(ui_ctx *c)
{
	for (int i = 0; i < c->n_targets; i++) {
		ui_rect *r = &c->targets[i].r;
		r->x = c->w - r->x - r->w;
	}
	for (size_t i = 0; i < c->dl->n; i++) {
		draw_cmd *d = &c->dl->cmds[i];
		d->r.x = c->w - d->r.x - d->r.w;
		if (d->kind != DRAW_IMAGE)
			continue;
		const char *p = draw_str(c->dl, d->path_off);
		size_t pl = strlen(p);
		for (size_t k = 0; k < sizeof pointing_symbols / sizeof pointing_symbols[0]; k++) {
			size_t sl = strlen(pointing_symbols[k]);
			if (pl >= sl && strcmp(p + pl - sl, pointing_symbols[k]) == 0)
				d->flip = true;
		}
	}
}
