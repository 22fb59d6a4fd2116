/*
 * screen_staff_today: today's answers, one question per page (each flow's
 * questions in turn, the page naming its flow and its people when there
 * are several), as picture
 * charts: for each answer its picture and words, then the picture again
 * once per person (up to STAFF_CHART_CAP in a row; beyond that each
 * picture stands for N people, and the page says so), and the number
 * written out, so nobody has to count pictures.
 */
#include "staff/staff.h"
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>

static void
top_bar(ui_ctx *c, const staff_view *v, int m, int bar_h)
{
	char sym[1024], buf[128];
	int bw = ui_max(c->min_target * 2, c->w / 6);
	int ti = ui_add_target(c, (ui_rect){ m, m, bw, bar_h }, ACT_STAFF_MENU, 0);
	ui_draw_target(c, ti, STYLE_BUTTON, ui_symbol(c, "back", sym, sizeof sym), "Back", false, true);
	snprintf(buf, sizeof buf, "Today: %lld %s", (long long)v->today_sessions,
	         v->today_sessions == 1 ? "person" : "people");
	ui_text(c, (ui_rect){ m + bw + m, m, c->w - 2 * (bw + 2 * m), bar_h }, buf, bar_h * 6 / 10,
	        FONT_BOLD, ALIGN_CENTER, c->th->text);
}

void
screen_staff_today_build(ui_ctx *c)
{
	const staff_view *v = c->staff;
	int m = ui_margin(c), gap = m / 2;
	int bar_h = ui_max(c->min_target, c->h / 10);
	top_bar(c, v, m, bar_h);
	/* The page's flow (the flows counted, not the session's: a person
	 * may have chosen another) and question. */
	int fi = 0, qi = 0;
	if (!staff_today_at(v, v->page, &fi, &qi)) {
		ui_text(c, (ui_rect){ m, c->h / 3, c->w - 2 * m, c->h / 6 },
		        v->busy ? "Counting\xE2\x80\xA6" : "The answers could not be counted.",
		        c->h / 14, FONT_REGULAR, ALIGN_CENTER, c->th->text);
		return;
	}
	const flow *f = v->flows[fi];
	const flow_question *q = &f->questions[qi];
	const char *lang = f->languages[0];
	const int *row = v->counts + (v->today_row[fi] + qi) * SESSION_MAX_CHOICES;
	int n = (int)q->n_answers < SESSION_MAX_CHOICES ? (int)q->n_answers : SESSION_MAX_CHOICES;
	char sym[1024], buf[256];

	/* Several flows: which one this page counts, and its own people. */
	int qy = m + bar_h + gap;
	if (v->n_today_shown > 1) {
		int fh = ui_max(c->min_target / 2, c->h / 14);
		int64_t people = v->today_flow_sessions[fi];
		int nth = 0;
		for (int i = 0; i <= fi; i++)
			nth += v->today_shown[i];
		snprintf(buf, sizeof buf, "%s: %lld %s (question set %d of %d)",
		         tstr_get(&f->title, lang, lang), (long long)people, people == 1 ? "person" : "people",
		         nth, v->n_today_shown);
		ui_text(c, (ui_rect){ m, qy, c->w - 2 * m, fh }, buf, fh * 7 / 10, FONT_BOLD, ALIGN_LEFT,
		        c->th->text);
		qy += fh + gap;
	}

	/* The question: its picture and words. */
	int qh = c->h * 12 / 100;
	const char *qsym = symbol_paths_get(c->symbols, f, q->symbol, c->data_dir);
	if (qsym)
		draw_image(c->dl, (ui_rect){ m, qy, qh, qh }, qsym);
	ui_text(c, (ui_rect){ m + qh + m, qy, c->w - 3 * m - qh, qh }, tstr_get(&q->prompt, lang, lang),
	        qh / 2, FONT_BOLD, ALIGN_LEFT, c->th->text);

	/* One picture for how many people: the same for every row. */
	int most = 0;
	for (int i = 0; i < n; i++)
		most = row[i] > most ? row[i] : most;
	int per = most > STAFF_CHART_CAP ? (most + STAFF_CHART_CAP - 1) / STAFF_CHART_CAP : 1;

	int foot_h = ui_max(c->min_target, c->h / 10);
	int top = qy + qh + gap;
	int note_h = per > 1 ? c->h / 18 : 0;
	int avail = c->h - m - foot_h - gap - note_h - top;
	int rh = ui_min(avail / ui_max(n, 1), c->h / 7);
	int label_w = c->w * 22 / 100, num_w = c->w * 9 / 100;
	int chart_x = m + rh + gap + label_w + gap;
	int num_x = c->w - m - gap / 2 - num_w;   /* clear of its row's edge */
	int chart_w = num_x - gap - chart_x;
	int pic = ui_min(rh * 85 / 100, chart_w / STAFF_CHART_CAP);
	for (int i = 0; i < n; i++) {
		const flow_answer *a = &q->answers[i];
		int y = top + i * rh;
		/* Each answer's row is a card with an edge, all alike: it holds the
		 * answer's words, pictures and number together across the page in
		 * both themes (stripes of a card's face alone did not show in high
		 * contrast; with edges every other row would look singled out). */
		ui_rect card = { m / 2, y + gap / 4, c->w - m, rh - gap / 2 };
		draw_fill(c->dl, card, c->th->card, rh / 6);
		draw_outline(c->dl, card, c->th->card_border, rh / 6, ui_max(2, c->h / 300));
		const char *path = symbol_paths_get(c->symbols, f, a->symbol, c->data_dir);
		if (path)
			draw_image(c->dl, (ui_rect){ m, y + rh / 10, rh * 8 / 10, rh * 8 / 10 }, path);
		ui_text(c, (ui_rect){ m + rh + gap, y, label_w, rh }, tstr_get(&a->label, lang, lang),
		        rh * 4 / 10, FONT_REGULAR, ALIGN_LEFT, c->th->text);
		int pics = (row[i] + per - 1) / per;
		for (int k = 0; path && k < pics; k++)
			draw_image(c->dl, (ui_rect){ chart_x + k * pic, y + (rh - pic) / 2, pic, pic }, path);
		char num[32];
		snprintf(num, sizeof num, "%d", row[i]);
		ui_text(c, (ui_rect){ num_x, y, num_w, rh }, num, rh * 6 / 10, FONT_BOLD,
		        ALIGN_RIGHT, c->th->text);
	}
	if (per > 1) {
		char note[96];
		snprintf(note, sizeof note, "Each picture = %d people", per);
		ui_text(c, (ui_rect){ chart_x, top + n * rh + gap / 2, chart_w, note_h }, note, note_h * 7 / 10,
		        FONT_REGULAR, ALIGN_LEFT, c->th->muted_text);
	}

	/* Pages: one per question, each flow's in turn. */
	int fy = c->h - m - foot_h, bw = ui_max(c->min_target * 2, c->w / 5);
	if (v->page > 0) {
		int ti = ui_add_target(c, (ui_rect){ m, fy, bw, foot_h }, ACT_STAFF_PAGE, -1);
		ui_draw_target(c, ti, STYLE_BUTTON, ui_symbol(c, "back", sym, sizeof sym), "Previous", false, true);
	}
	snprintf(buf, sizeof buf, "Question %d of %d", qi + 1, (int)f->n_questions);
	ui_text(c, (ui_rect){ m + bw + m, fy, c->w - 2 * (bw + 2 * m), foot_h }, buf, foot_h / 2,
	        FONT_REGULAR, ALIGN_CENTER, c->th->muted_text);
	if (v->page + 1 < v->n_pages) {
		int ti = ui_add_target(c, (ui_rect){ c->w - m - bw, fy, bw, foot_h }, ACT_STAFF_PAGE, 1);
		ui_draw_target(c, ti, STYLE_BUTTON, NULL, "Next", false, true);
	}
}
