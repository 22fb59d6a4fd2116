/*
 * screen_question: one choose-one, choose-many, feelings or yes/no
 * question. The question: in large-symbol, a short prompt beside a small picture; in
 * easy-read, a big picture on the left and the easy-read sentence on the
 * right; in text-first (older young people and parents), the question as a
 * plain sentence with a small picture at its end, and the answers as
 * full-width rows, words first. Then the answers, as large as the screen
 * allows. The bars around them (Back, progress, "I've finished", the
 * access button; Skip, "I don't want to say", and Done for choose-many)
 * are question_chrome's, the same on every question.
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
	const char *lang = v->language, *fb = c->flow->languages[0];
	bool easy = v->presentation == PRES_EASY_READ;
	bool text_first = v->presentation == PRES_TEXT_FIRST;
	bool portrait = c->h > c->w;
	int m = ui_margin(c), gap = m;

	question_chrome_rects ch = question_chrome(c, q->type == QT_CHOOSE_MANY);
	ui_rect top = ch.top, bottom = ch.bottom;

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
}
