/*
 * screen_sort: a sort question, the way Talking Mats works. Inside the bars
 * every question has (question_chrome: Back, the progress dots, "I've
 * finished", the access button; Skip, "I don't want to say" and Done), the
 * question in a line. Then a
 * tray holding the pictures not yet on the mat, each in its own place, and
 * under it the mat: three columns ("I like", "Not sure", "I don't like" or
 * the flow's own), each a big header to put a picture in and, below it
 * (a panel of its own, a gap under the header), the pictures put there in
 * the order they came.
 *
 * Every picture is one target wherever it is (tap it to pick it up, tap a
 * column to put it there; tap it again to put it down), so touch, a mouse,
 * the keyboard, switches and dwell all sort the same way. A target is known
 * by its action and argument (the picture's or the column's index), so it
 * means the same thing however the pictures lie. The sizes are worked out for the worst case
 * (every picture in one column) so nothing moves or shrinks as a child sorts.
 * Where no column of pictures at the minimum size fits (a short window,
 * 800x480), the mat is its row of headers and pictures stay in the tray,
 * each put on the mat wearing its column's picture.
 */
#include "ui.h"
#include "app.h"

_Static_assert(ACT_SORT_COLUMN == (int)APP_ACT_SORT_COLUMN, "app.h names the sort column action");

/* Rows needed for n cells of size p across width w. */
static int
rows_for(int n, int p, int gap, int w)
{
	int per = (w + gap) / (p + gap);
	if (per < 1)
		per = 1;
	return (n + per - 1) / per;
}

static int
rows_h(int rows, int p, int gap)
{
	return rows > 0 ? rows * p + (rows - 1) * gap : 0;
}

/* The cell of the k-th of n pictures in a grid of p-sized cells laid from
 * the top of area, the rows centred on the widest one. */
static ui_rect
grid_cell(ui_rect area, int k, int n, int p, int gap)
{
	int per = (area.w + gap) / (p + gap);
	if (per > n)
		per = n;
	if (per < 1)
		per = 1;
	/* centre the row's cells in the area */
	int used = per * p + (per - 1) * gap;
	int x0 = area.x + (area.w - used) / 2;
	return (ui_rect){ x0 + (k % per) * (p + gap), area.y + (k / per) * (p + gap), p, p };
}

/* On a mat of headers only, a picture put on it wears its column's
 * picture in its start corner (a held one's tick is in the other), on a
 * disc of the card's face with a rim: three eighths of the card and at
 * least half the minimum target, so a child sees at a glance which column
 * it went to (at the tick's size the thumb was 21 px at 800x480; now 31). */
static void
column_badge(ui_ctx *c, ui_rect card, const char *path)
{
	ui_rect t = ui_tick_badge_rect(c, card);
	int off = card.x + card.w - (t.x + t.w);
	int s = ui_max(c->min_target / 2, ui_min(card.w, card.h) * 3 / 8);
	int rim = ui_max(2, s / 16);
	ui_rect b = { card.x + off, card.y + off, s, s };
	draw_disc(c->dl, b, c->th->card_border);
	draw_disc(c->dl, (ui_rect){ b.x + rim, b.y + rim, s - 2 * rim, s - 2 * rim }, c->th->card);
	if (path)
		ui_image(c, (ui_rect){ b.x + s / 8, b.y + s / 8, s - s / 4, s - s / 4 }, path);
}

void
screen_sort_build(ui_ctx *c)
{
	const session_view *v = c->view;
	const flow_question *q = v->question;
	if (!q)
		return;
	const char *lang = v->language, *fb = c->flow->languages[0];
	bool portrait = c->h > c->w;
	int m = ui_margin(c), gap = ui_max(4, m / 2);
	int n = ui_min((int)q->n_answers, SESSION_MAX_CHOICES);
	int ncol = ui_min((int)q->n_columns, FLOW_SORT_COLUMNS);

	question_chrome_rects ch = question_chrome(c, true);
	ui_rect inner = ch.body;
	int prompt_h = ui_max(c->min_target / 2, c->h * (portrait ? 7 : 9) / 100);
	ui_rect pr = { inner.x, inner.y, inner.w, prompt_h };
	ui_rect area = { inner.x, pr.y + pr.h + m, inner.w, inner.y + inner.h - (pr.y + pr.h + m) };

	/* The largest picture size at which the tray (every picture) and one
	 * column (every picture again) fit one above the other. */
	int col_w = (area.w - (ncol - 1) * m) / (ncol > 0 ? ncol : 1);
	int pad = gap;
	int p = ui_min(area.h / 3, area.w / 4), head_h = c->min_target;
	bool fits = false;
	for (; p >= c->min_target && !fits; p -= 2) {
		head_h = ui_max(c->min_target, ui_min(p, area.h / 6));
		int tray = rows_h(rows_for(n, p, gap, area.w), p, gap);
		int col = rows_h(rows_for(n, p, gap, col_w - 2 * pad), p, gap);
		fits = tray + m + head_h + gap + col + 2 * pad <= area.h;
	}
	if (fits)
		p += 2;
	/* Where even the smallest pictures leave no room for a column of
	 * them (800x480: the mat gets about 200 px), the mat is its headers
	 * only: every picture keeps its place in the tray, and one put on the
	 * mat wears its column's picture in its corner (the other corner from
	 * a held one's tick). Still nothing moves as a child sorts, and no
	 * picture falls under the minimum size or off the mat. */
	bool compact = !fits;
	if (compact) {
		head_h = c->min_target;
		p = ui_max(c->min_target, ui_min(area.h - m - head_h, area.w / 4));
		while (p > c->min_target &&
		       rows_h(rows_for(n, p, gap, area.w), p, gap) + m + head_h > area.h)
			p -= 2;
		p = ui_max(p, c->min_target);
	}
	int tray_h = rows_h(rows_for(n, p, gap, area.w), p, gap);
	ui_rect tray = { area.x, area.y, area.w, tray_h };
	if (compact)   /* the tray and the headers, together in the middle */
		tray.y += ui_max(0, (area.h - (tray_h + m + head_h)) / 2);
	ui_rect mat = { area.x, tray.y + tray.h + m, area.w, area.y + area.h - (tray.y + tray.h + m) };
	if (compact)
		mat.h = head_h;

	/* Every rectangle first, then the targets in their fixed order. */
	ui_rect pic[SESSION_MAX_CHOICES], head[FLOW_SORT_COLUMNS], body[FLOW_SORT_COLUMNS];
	for (int k = 0; k < ncol; k++) {
		ui_rect col = { mat.x + k * (col_w + m), mat.y, col_w, mat.h };
		head[k] = (ui_rect){ col.x, col.y, col.w, head_h };
		/* the column's panel behind its pictures, under its header and
		 * apart from it, as every target stands apart: the header is the
		 * thing pressed, and its card's edge is its own */
		ui_rect panel = { col.x, col.y + head_h + gap, col.w, col.h - head_h - gap };
		body[k] = (ui_rect){ panel.x + pad, panel.y + pad, panel.w - 2 * pad, panel.h - 2 * pad };
		if (!compact && panel.h > 0) {
			int rad = ui_min(c->min_target / 6, panel.h / 2);
			draw_fill(c->dl, panel, c->th->card, rad);
			draw_outline(c->dl, panel, c->th->card_border, rad, ui_max(2, m / 6));
		}
	}
	for (int i = 0; i < n; i++) {
		int k = v->column[i];
		pic[i] = k >= 0 && k < ncol && !compact ? grid_cell(body[k], v->place[i], n, p, gap)
		                                        : grid_cell(tray, i, n, p, gap);
		/* a picture's own place in the tray shows where it came from */
		if (k >= 0 && k < ncol && !compact)
			draw_outline(c->dl, grid_cell(tray, i, n, p, gap), c->th->card_border,
			             c->min_target / 8, ui_max(2, m / 8));
	}

	question_prompt(c, pr);

	/* The pictures, all with the same size of words. */
	int px = 0;
	for (int i = 0; i < n; i++) {
		int lp = ui_card_label_px(c, pic[i], STYLE_ANSWER, q->answers[i].symbol != NULL, false,
		                          tstr_get(&q->answers[i].label, lang, fb));
		if (px == 0 || lp < px)
			px = lp;
	}
	c->label_px = px;
	for (int i = 0; i < n; i++) {
		const flow_answer *a = &q->answers[i];
		const char *path = symbol_paths_get(c->symbols, c->flow, a->symbol, c->data_dir);
		int ti = ui_add_target(c, pic[i], ACT_ANSWER, i);
		ui_draw_target(c, ti, STYLE_ANSWER, path, tstr_get(&a->label, lang, fb), v->held == i, false);
		int k = v->column[i];
		if (compact && k >= 0 && k < ncol)
			column_badge(c, pic[i], symbol_paths_get(c->symbols, c->flow, q->columns[k].symbol,
			                                         c->data_dir));
	}
	c->label_px = 0;

	/* The columns' headers: while a picture is held they are the thing to
	 * press, and look it. */
	px = 0;
	for (int k = 0; k < ncol; k++) {
		int lp = ui_card_label_px(c, head[k], STYLE_ANSWER, true, true,
		                          tstr_get(&q->columns[k].label, lang, fb));
		if (px == 0 || lp < px)
			px = lp;
	}
	c->label_px = px;
	for (int k = 0; k < ncol; k++) {
		const flow_answer *col = &q->columns[k];
		const char *path = symbol_paths_get(c->symbols, c->flow, col->symbol, c->data_dir);
		int ti = ui_add_target(c, head[k], ACT_SORT_COLUMN, k);
		ui_draw_target(c, ti, v->held >= 0 ? STYLE_PRIMARY : STYLE_BUTTON, path,
		               tstr_get(&col->label, lang, fb), false, true);
	}
	c->label_px = 0;
}
