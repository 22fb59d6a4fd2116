/*
 * screen_draw: a draw question. Top: Back, the progress dots, "I've
 * finished" and the settings button, as on every question. Then the
 * question in a line, and the page (white paper, 4:3) with the tools
 * beside it (below it in portrait): five colour swatches, each a disc with
 * its colour's word, the rubber, and "Start again". Bottom: Skip, "I don't
 * want to say" and Done.
 *
 * Targets are built in a fixed order: the bars' (question_chrome), the
 * swatches and the rubber, then the page's places (up to nine, app_draw.c: where
 * a switch, the keyboard or dwell puts a stamp; a finger or the mouse
 * draws anywhere on the page without them), then "Start again"; the focus
 * order (layout.c) then puts the main ones first, so the highlight and the
 * dwell ring are asked of ui_is, never of a target's build index. The
 * places show only as the highlight moves over them; the
 * page itself is the app's (draw/canvas.h), drawn as it is.
 *
 * The drawing shows on the person's own screen only, never on the staff's
 * room screen, and is wiped when their turn ends.
 */
#include "ui.h"
#include "app.h"
#include "draw/canvas.h"

_Static_assert(ACT_DRAW_COLOUR == (int)APP_ACT_DRAW_COLOUR && ACT_DRAW_CLEAR == (int)APP_ACT_DRAW_CLEAR &&
               ACT_DRAW_STAMP == (int)APP_ACT_DRAW_STAMP, "app.h names the draw actions");
_Static_assert(UI_DRAW_ERASER == (int)APP_DRAW_ERASER, "app.h names the rubber");

/* A tool: a disc of its colour over its word (the rubber: a pink block
 * with a paper band, as a rubber looks); chosen, the card's tick and thick
 * edge. */
static void
swatch(ui_ctx *c, ui_rect r, int k, const char *word)
{
	int ti = ui_add_target(c, r, ACT_DRAW_COLOUR, k);
	ui_draw_target(c, ti, STYLE_BUTTON, NULL, NULL, c->draw_colour == k, false);
	int word_h = ui_max(c->min_target / 4, r.h * 28 / 100);
	int d = ui_min(r.w * 55 / 100, (r.h - word_h) * 80 / 100);
	ui_rect dr = { r.x + (r.w - d) / 2, r.y + (r.h - word_h - d) / 2 + r.h / 20, d, d };
	/* Clear of the tick a chosen swatch wears in its corner (ui_draw_target
	 * puts it there), so the tick's rim never runs into the swatch's edge;
	 * chosen or not, so choosing moves nothing. */
	ui_rect tick = ui_tick_badge_rect(c, r);
	for (; d > 8; d -= 2) {
		dr = (ui_rect){ r.x + (r.w - d) / 2, r.y + (r.h - word_h - d) / 2 + r.h / 20, d, d };
		double dx = (dr.x + d / 2.0) - (tick.x + tick.w / 2.0);
		double dy = (dr.y + d / 2.0) - (tick.y + tick.h / 2.0);
		double need = d / 2.0 + tick.w / 2.0 + 2;
		if (dx * dx + dy * dy >= need * need)
			break;
	}
	if (k == UI_DRAW_ERASER) {
		ui_rect block = { r.x + (r.w - d * 5 / 4) / 2, dr.y + d / 5, d * 5 / 4, d * 3 / 5 };
		draw_fill(c->dl, block, (ui_color){ 0xF2, 0x9C, 0xB4, 0xFF }, d / 10);
		ui_rect band = { block.x + block.w * 6 / 10, block.y, block.w * 4 / 10, block.h };
		draw_fill(c->dl, band, (ui_color){ 0xFF, 0xFF, 0xFF, 0xFF }, d / 10);
		draw_outline(c->dl, block, c->th->text, d / 10, ui_max(2, d / 24));
	} else {
		uint8_t rgb[3];
		canvas_colour_rgb(k, rgb);
		/* an edge in the words' colour: black ink shows on a black card;
		 * the colour inside it, so no sliver of it shows past the edge
		 * (the edge's corners are coarser than a disc) */
		int edge = ui_max(2, d / 24);
		draw_disc(c->dl, (ui_rect){ dr.x + 1, dr.y + 1, dr.w - 2, dr.h - 2 },
		          (ui_color){ rgb[0], rgb[1], rgb[2], 0xFF });
		draw_outline(c->dl, dr, c->th->text, d / 2, edge);
	}
	ui_rect wr = { r.x + 4, r.y + r.h - word_h - r.h / 20, r.w - 8, word_h };
	ui_text(c, wr, word, word_h * 8 / 10, FONT_BOLD, ALIGN_CENTER, c->th->text);
}

/* One of the page's places: nothing to see but the highlight and the
 * dwell ring, drawn as ui_draw_target draws them. */
static void
place(ui_ctx *c, ui_rect r, int cell)
{
	int ti = ui_add_target(c, r, ACT_DRAW_STAMP, cell);
	if (ti < 0)
		return;
	const ui_theme *th = c->th;
	if (c->show_focus && ui_is(c, ti, c->focus)) {
		int t = ui_max(6, ui_min(c->w, c->h) / 120);
		draw_outline(c->dl, r, th->focus_outer, t * 2, 2 * t);
		draw_outline(c->dl, (ui_rect){ r.x + t / 2, r.y + t / 2, r.w - t, r.h - t }, th->focus_inner,
		             t, t);
	}
	if (ui_is(c, ti, c->dwell_target) && c->dwell_progress > 0) {
		int d = ui_max(40, ui_min(r.w, r.h) / 3), t = ui_max(8, d / 5);
		ui_rect dr = { r.x + (r.w - d) / 2, r.y + (r.h - d) / 2, d, d };
		draw_arc(c->dl, dr, th->card_border, t, 1000);
		draw_arc(c->dl, dr, th->text, t, (int)(c->dwell_progress * 1000.0f + 0.5f));
	}
}

void
screen_draw_build(ui_ctx *c)
{
	const session_view *v = c->view;
	const flow_question *q = v->question;
	if (!q)
		return;
	const ui_type_words *tw = ui_type_words_for(v->language);
	bool portrait = c->h > c->w;
	int m = ui_margin(c), gap = ui_max(4, m / 2);

	/* Back, progress, "I've finished", the access button; Skip, "I don't
	 * want to say" and Done: as on every question. */
	question_chrome_rects ch = question_chrome(c, true);
	int prompt_h = ui_max(c->min_target / 2, c->h * (portrait ? 6 : 8) / 100);
	ui_rect pr = { ch.body.x, ch.body.y, ch.body.w, prompt_h };
	ui_rect area = { ch.body.x, pr.y + pr.h + m, ch.body.w, ch.body.y + ch.body.h - (pr.y + pr.h + m) };

	/* The tools are a grid of four by two: the five colours and the
	 * rubber, then "Start again" two cells wide. Landscape puts it beside
	 * the page, portrait under it; the page (4:3) takes the rest. */
	ui_rect tools, page_area;
	int cell_w, cell_h;
	if (portrait) {
		cell_w = (area.w - 3 * gap) / 4;
		cell_h = ui_max(c->min_target, ui_min(cell_w, area.h * 14 / 100));
		int th = 2 * cell_h + gap;
		tools = (ui_rect){ area.x, area.y + area.h - th, area.w, th };
		page_area = (ui_rect){ area.x, area.y, area.w, area.h - th - m };
	} else {
		/* the page as tall as the area, unless the tools would fall
		 * under the minimum target */
		int min_tools = 4 * c->min_target + 3 * gap;
		int pw = ui_min(area.h * CANVAS_W / CANVAS_H, area.w - m - min_tools);
		int panel_w = area.w - pw - m;
		cell_w = cell_h = ui_max(c->min_target, ui_min((panel_w - 3 * gap) / 4, (area.h - gap) / 2));
		int gw = 4 * cell_w + 3 * gap, gh = 2 * cell_h + gap;
		tools = (ui_rect){ area.x + pw + m + (panel_w - gw) / 2, area.y + (area.h - gh) / 2, gw, gh };
		page_area = (ui_rect){ area.x, area.y, pw, area.h };
	}
	int pw = ui_min(page_area.w, page_area.h * CANVAS_W / CANVAS_H);
	int ph = pw * CANVAS_H / CANVAS_W;
	ui_rect page = { page_area.x + (page_area.w - pw) / 2, page_area.y + (page_area.h - ph) / 2, pw, ph };

	/* The swatches and the rubber: this screen's answers, first. */
	for (int k = 0; k <= UI_DRAW_ERASER; k++) {
		ui_rect r = { tools.x + (k % 4) * (cell_w + gap), tools.y + (k / 4) * (cell_h + gap),
		              cell_w, cell_h };
		swatch(c, r, k, k == UI_DRAW_ERASER ? tw->eraser : tw->colours[k]);
	}

	/* The page: its pixels, an edge, and its places over it: three by
	 * three, fewer across or down where a third of the page would be under
	 * the minimum target (800x480's page is 280x210: three by two), so
	 * each place stays a target a finger-sized highlight can be aimed at.
	 * The places tile the page without gaps: they are one drawing surface,
	 * and the app finds the page as their union (app_draw.c). */
	draw_canvas_page(c->dl, page, c->canvas);
	draw_outline(c->dl, (ui_rect){ page.x - 3, page.y - 3, page.w + 6, page.h + 6 }, c->th->card_border,
	             4, ui_max(3, m / 6));
	int across = ui_max(1, ui_min(3, page.w / c->min_target));
	int down = ui_max(1, ui_min(3, page.h / c->min_target));
	_Static_assert(CANVAS_CELLS >= 9, "the page holds up to three by three places");
	for (int cell = 0; cell < across * down; cell++) {
		int cx = cell % across, cy = cell / across;
		int x0 = page.x + cx * page.w / across, x1 = page.x + (cx + 1) * page.w / across;
		int y0 = page.y + cy * page.h / down, y1 = page.y + (cy + 1) * page.h / down;
		place(c, (ui_rect){ x0, y0, x1 - x0, y1 - y0 }, cell);
	}

	ui_rect again = { tools.x + 2 * (cell_w + gap), tools.y + cell_h + gap, 2 * cell_w + gap, cell_h };
	int ti = ui_add_target(c, again, ACT_DRAW_CLEAR, 0);
	ui_draw_target(c, ti, STYLE_BUTTON, NULL, tw->start_again, false, true);

	question_prompt(c, pr);
}
