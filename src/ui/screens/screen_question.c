/*
 * screen_question: one question. Top: Back and the progress dots. Then the
 * question: in large-symbol, a short prompt beside a small picture; in
 * easy-read, a big picture on the left and the easy-read sentence on the
 * right; in text-first (older young people and parents), the question as a
 * plain sentence with a small picture at its end, and the answers as
 * full-width rows, words first. Then the answers, as large as the screen
 * allows. Bottom: Skip and
 * "I don't want to say" always, and Done for choose-many. "I've finished"
 * is always in the top bar.
 */
#include "ui.h"

#include <stdlib.h>

/* Text-first answers: one full-width row each, from the top, as tall as a
 * comfortable line of words needs (never under the minimum target); two
 * columns only when one would not fit even with a smaller question. */
static void
answer_rows(const ui_ctx *c, ui_rect area, int n, int gap, bool allow_two, ui_rect *cells)
{
	int cols = 1, rows = n;
	int row_h = n > 0 ? (area.h - gap * (n - 1)) / n : 0;
	if (row_h < c->min_target && n > 2 && allow_two) {
		cols = 2;
		rows = (n + 1) / 2;
		row_h = (area.h - gap * (rows - 1)) / rows;
	}
	row_h = ui_min(row_h, ui_max(c->min_target, c->h / 7));
	int cw = (area.w - gap * (cols - 1)) / cols;
	for (int i = 0; i < n; i++)
		cells[i] = (ui_rect){ area.x + (i % cols) * (cw + gap), area.y + (i / cols) * (row_h + gap),
		                      cw, row_h };
}

void
screen_question_build(ui_ctx *c)
{
	const session_view *v = c->view;
	const flow_question *q = v->question;
	if (!q)
		return;
	const ui_words *wd = ui_words_for(v->language);
	const char *lang = v->language, *fb = c->flow->languages[0];
	bool easy = v->presentation == PRES_EASY_READ;
	bool text_first = v->presentation == PRES_TEXT_FIRST;
	bool portrait = c->h > c->w;
	int m = ui_margin(c), gap = m;
	char sym[1024];

	int bar_h = ui_max(c->min_target, ui_min(c->h / 9, c->w / 7));
	ui_rect top = { m, m, c->w - 2 * m, bar_h };
	/* Portrait is narrow: Done gets a row of its own above Skip and
	 * "I don't want to say", so none of the three is squeezed. */
	bool done_row = portrait && q->type == QT_CHOOSE_MANY;
	int bottom_h = done_row ? 2 * bar_h + gap : bar_h;
	ui_rect bottom = { m, c->h - m - bottom_h, c->w - 2 * m, bottom_h };

	/* Top bar: Back on the left, progress in the middle, "I've finished"
	 * on the right (before the access button's corner): a person can stop
	 * on any question and still be counted. */
	int back_w = ui_max(c->min_target * 2, c->w / 6);
	int fin_w = ui_max(c->min_target * 2, c->w / 5);
	int ab = screen_access_button_size(c);
	int bar_side = ui_max(back_w, ab + gap + fin_w);
	if (v->can_back) {
		int ti = ui_add_target(c, (ui_rect){ top.x, top.y, back_w, top.h }, ACT_BACK, 0);
		ui_draw_target(c, ti, STYLE_BUTTON, ui_symbol(c, "back", sym, sizeof sym), wd->back, false, true);
	}
	ui_progress(c, (ui_rect){ top.x + bar_side + gap, top.y, top.w - 2 * (bar_side + gap), top.h },
	            v->question_number, v->question_total);
	int fti = ui_add_target(c, (ui_rect){ top.x + top.w - ab - gap - fin_w, top.y, fin_w, top.h },
	                        ACT_FINISH_EARLY, 0);
	ui_draw_target(c, fti, STYLE_BUTTON, ui_symbol(c, "done", sym, sizeof sym), wd->finished, false,
	               true);
	/* "How do you like to answer?" in the other top corner. */
	screen_access_button(c);

	/* The question itself. */
	int prompt_h = easy ? c->h * (portrait ? 22 : 26) / 100
	             : text_first ? c->h * (portrait ? 16 : 18) / 100
	             : c->h * (portrait ? 12 : 16) / 100;
	/* On a short screen the question gives up height first, so every
	 * answer keeps the minimum target size. */
	int n = (int)q->n_answers;
	if (n > SESSION_MAX_CHOICES)
		n = SESSION_MAX_CHOICES;
	bool scale = q->type == QT_FEELINGS;
	/* A feelings scale in portrait is a column of faces with their words
	 * beside them, in order, rather than a row of tiny faces. */
	bool sideways = easy || text_first || (scale && portrait);
	double aspect = sideways ? (portrait ? 3.2 : 2.6) : 0.9;
	ui_rect cells[SESSION_MAX_CHOICES];
	for (int tries = 0; tries < 8; tries++) {
		int ay = top.y + top.h + gap + prompt_h + gap;
		ui_rect area = { m, ay, c->w - 2 * m, bottom.y - gap - ay };
		if (text_first)
			answer_rows(c, area, n, gap, tries >= 4, cells);
		else
			ui_grid_min(area, n, aspect, gap, c->min_target, scale, cells);
		if (cells[0].h >= c->min_target && cells[0].w >= c->min_target)
			break;
		prompt_h = prompt_h * 8 / 10;
	}
	ui_rect pr = { m, top.y + top.h + gap, c->w - 2 * m, prompt_h };
	const char *qsym = symbol_paths_get(c->symbols, c->flow, q->symbol, c->data_dir);
	const char *prompt = tstr_get(&q->prompt, lang, fb);
	const char *sentence = easy ? tstr_get(&q->easy_read, lang, fb) : "";
	if (!*sentence)
		sentence = prompt;
	if (text_first) {
		/* A sentence to read, from the reading edge; the picture is
		 * small, at the far end. */
		int s = qsym ? ui_min(pr.h, pr.w / 8) : 0;
		int side = qsym ? s + gap : 0;
		if (qsym)
			ui_image(c, (ui_rect){ pr.x + pr.w - s, pr.y + (pr.h - s) / 2, s, s }, qsym);
		ui_text(c, (ui_rect){ pr.x, pr.y, pr.w - side, pr.h }, prompt,
		        ui_min(pr.h / 2, c->h / 14), FONT_BOLD, ALIGN_LEFT, c->th->text);
	} else if (easy) {
		int s = pr.h;
		if (qsym)
			ui_image(c, (ui_rect){ pr.x, pr.y, s, s }, qsym);
		int tx = pr.x + (qsym ? s + gap : 0);
		ui_text(c, (ui_rect){ tx, pr.y, pr.x + pr.w - tx, pr.h }, sentence, pr.h / 3,
		        FONT_BOLD, ALIGN_LEFT, c->th->text);
	} else {
		int s = pr.h;
		if (qsym)
			ui_image(c, (ui_rect){ pr.x, pr.y, s, s }, qsym);
		/* Centre the words on the screen, not on what is left of it;
		 * portrait has no width to spare, so there they take all of it. */
		int side = qsym ? s + gap : 0;
		int right = portrait ? 0 : side;
		ui_text(c, (ui_rect){ pr.x + side, pr.y, pr.w - side - right, pr.h }, prompt, pr.h * 6 / 10,
		        FONT_BOLD, ALIGN_CENTER, c->th->text);
	}

	/* Answers, in the cells chosen above. */
	/* One size for every answer's words, so no answer looks louder. */
	int px = 0;
	c->words_first = text_first;
	for (int i = 0; i < n; i++) {
		int p = ui_card_label_px(c, cells[i], STYLE_ANSWER, q->answers[i].symbol != NULL, sideways,
		                         tstr_get(&q->answers[i].label, lang, fb));
		if (px == 0 || p < px)
			px = p;
	}
	c->label_px = px;
	for (int i = 0; i < n; i++) {
		const flow_answer *a = &q->answers[i];
		const char *path = symbol_paths_get(c->symbols, c->flow, a->symbol, c->data_dir);
		int ti = ui_add_target(c, cells[i], ACT_ANSWER, i);
		ui_draw_target(c, ti, STYLE_ANSWER, path, tstr_get(&a->label, lang, fb),
		               v->selected[i], sideways);
	}
	c->label_px = 0;
	c->words_first = false;

	/* Bottom bar: the ways out that are always there. */
	ui_rect row = { bottom.x, bottom.y + bottom.h - bar_h, bottom.w, bar_h };
	int across = q->type == QT_CHOOSE_MANY && !done_row ? 3 : 2;
	int bw = ui_max(c->min_target, (row.w - (across - 1) * gap) / across);
	if (across == 2)
		bw = ui_min(bw, ui_max(c->min_target, row.w / 3 + row.w / 12));
	int ti = ui_add_target(c, (ui_rect){ row.x, row.y, bw, row.h }, ACT_SKIP, 0);
	ui_draw_target(c, ti, STYLE_BUTTON, ui_symbol(c, "skip", sym, sizeof sym), wd->skip, false, true);
	ti = ui_add_target(c, (ui_rect){ row.x + bw + gap, row.y, bw, row.h }, ACT_DECLINE, 0);
	ui_draw_target(c, ti, STYLE_BUTTON, ui_symbol(c, "dont-want-to-say", sym, sizeof sym),
	               wd->decline, false, true);
	if (q->type == QT_CHOOSE_MANY) {
		ui_rect dr = done_row ? (ui_rect){ bottom.x, bottom.y, bottom.w, bar_h }
		                      : (ui_rect){ row.x + row.w - bw, row.y, bw, row.h };
		ti = ui_add_target(c, dr, ACT_DONE, 0);
		ui_draw_target(c, ti, STYLE_PRIMARY, ui_symbol(c, "done", sym, sizeof sym), wd->done, false, true);
	}
}
