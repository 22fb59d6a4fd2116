/*
 * screen_text: a text question. Inside the bars every question has
 * (question_chrome: Back, the progress dots, "I've finished", the access
 * button; Skip, "I don't want to say" and Done), the question in a line,
 * the box with what has been typed
 * (and how many letters are left), and under it the easy-read reminder not
 * to type anyone's name, with its picture (on a short screen the question
 * at the start, the box and the reminder stacked after it). Then the
 * on-screen keyboard (osk.c) in the person's language.
 *
 * A key is known by its action and argument (the letter's index), so it
 * means the same key whatever has been typed. A real keyboard and an input method
 * type into the same box (keyboard.c); what is still being composed shows
 * after the words, in the quieter colour.
 *
 * What is typed shows here only, for the person typing: never on the
 * staff's room screen, and it goes with the person when their turn ends.
 */
#include "ui.h"
#include "app.h"

#include <stdio.h>

_Static_assert(ACT_KEY == (int)APP_ACT_KEY, "app.h names the key action");
_Static_assert(UI_OSK_SPACE == (int)APP_OSK_SPACE && UI_OSK_DELETE == (int)APP_OSK_DELETE &&
               UI_OSK_PAGE == (int)APP_OSK_PAGE,
               "app.h names the special keys");

/* The question in r, a block as tall as the box and the reminder
 * together: its picture (a square of at most a fifth of the width) at the
 * start, then the words, as many lines as they need. */
static void
squeezed_prompt(ui_ctx *c, ui_rect r)
{
	const flow_question *q = c->view->question;
	int m = ui_margin(c);
	const char *qsym = symbol_paths_get(c->symbols, c->flow, q->symbol, c->data_dir);
	int s = qsym ? ui_min(r.h, r.w / 5) : 0;
	if (qsym)
		ui_image(c, (ui_rect){ r.x, r.y + (r.h - s) / 2, s, s }, qsym);
	int tx = r.x + s + (s ? m : 0);
	ui_text(c, (ui_rect){ tx, r.y, r.x + r.w - tx, r.h },
	        tstr_get(&q->prompt, c->view->language, c->flow->languages[0]), r.h * 4 / 10,
	        FONT_BOLD, ALIGN_LEFT, c->th->text);
}

void
screen_text_build(ui_ctx *c)
{
	const session_view *v = c->view;
	const flow_question *q = v->question;
	if (!q)
		return;
	const ui_type_words *tw = ui_type_words_for(v->language);
	const char *lang = v->language;
	bool portrait = c->h > c->w;
	int m = ui_margin(c), gap = ui_max(4, m / 2);
	char sym[1024];

	question_chrome_rects ch = question_chrome(c, true);
	/* The keyboard first: its keys keep the minimum target size, and the
	 * question, the box and the reminder share what height is left
	 * (up to a comfortable size each). */
	ui_rect below = ch.body;
	int need = ui_osk_height(c, below.w, 0, lang);
	int least = 3 * c->min_target / 2;
	if (below.h - need - 2 * gap - m < least) {
		/* Too many letters for one page of keys at the minimum size (a
		 * small screen, or Bengali's 61): the question, the box and the
		 * reminder keep a comfortable size and the keys take pages of
		 * what is left, at least a row of letters and the row of Delete
		 * and Space. Where even that leaves them less than comfortable
		 * (800x480), they shrink instead: a key is never under the
		 * minimum and never over the bars. */
		int comfy = c->h * (portrait ? 6 : 8) / 100 +
		            ui_max(c->min_target, c->h / (portrait ? 12 : 10)) +
		            ui_max(c->min_target / 2, c->h / (portrait ? 22 : 18));
		int one_row = 2 * c->min_target + ui_max(4, m / 2);
		need = ui_osk_height(c, below.w, ui_max(one_row, below.h - comfy - 2 * gap - m), lang);
	}
	int rest = ui_max(3 * gap, below.h - need - 2 * gap - m);
	int prompt_h = ui_min(rest * 30 / 100, c->h * (portrait ? 6 : 8) / 100);
	int field_h = ui_min(rest * 42 / 100, ui_max(c->min_target, c->h / (portrait ? 12 : 10)));
	int hint_h = ui_min(rest * 28 / 100, ui_max(c->min_target / 2, c->h / (portrait ? 22 : 18)));
	ui_rect pr = { m, below.y, c->w - 2 * m, prompt_h };
	ui_rect field = { m, pr.y + pr.h + gap, c->w - 2 * m, field_h };
	ui_rect hint = { m, field.y + field.h + gap, c->w - 2 * m, hint_h };
	bool squeezed = !portrait && rest < least;
	int keys_gap = m;
	if (squeezed) {
		/* Squeezed (800x480 leaves some 70 px): the question takes the
		 * whole height at the start of the line, its words on two lines
		 * if they need them; after it the box, and under the box the
		 * reminder about it. The keys come a gap, not a margin, under
		 * them (they are the one thing there to press). Stacked, or
		 * the question in a line with the box and the reminder under
		 * both, they were some 16 px high. */
		keys_gap = gap;
		int block = rest + gap + m;
		int pw = (c->w - 2 * m - gap) * 42 / 100;
		hint_h = block * 42 / 100;
		field_h = block - gap - hint_h;
		pr = (ui_rect){ m, below.y, pw, block };
		field = (ui_rect){ m + pw + gap, below.y, c->w - 2 * m - pw - gap, field_h };
		hint = (ui_rect){ field.x, field.y + field_h + gap, field.w, hint_h };
	}
	int keys_y = (squeezed ? pr.y + pr.h : hint.y + hint.h) + keys_gap;
	ui_rect keys = { m, keys_y, c->w - 2 * m, below.y + below.h - keys_y };

	/* The keys first: they are this screen's answers. */
	int kh = ui_osk_height(c, keys.w, keys.h, lang);
	if (kh < keys.h)
		keys.y += (keys.h - kh) / 2;
	ui_osk_build(c, keys, lang, tw->del, tw->space, ACT_KEY);

	/* The question, in a line with its picture; squeezed, its picture
	 * and then its words in all the room after it. */
	if (squeezed)
		squeezed_prompt(c, pr);
	else
		question_prompt(c, pr);

	/* The box: the words typed in the keyboard's script, then what an
	 * input method is composing, and "12 / 60" at its end. */
	int radius = ui_max(8, field.h / 6);
	int border = ui_max(3, ui_min(c->w, c->h) / 200) * ui_max(1, c->th->border_scale);
	draw_fill(c->dl, field, c->th->card, radius);
	draw_outline(c->dl, field, c->th->card_border, radius, border);
	char count[32];
	snprintf(count, sizeof count, "%d / %d", v->text_chars, v->text_max);
	int count_w = ui_max(c->min_target, field.h * 2);
	/* inside the edge: a deep Nastaliq letter ran into it */
	ui_rect words_r = { field.x + 2 * m, field.y + border, field.w - 4 * m - count_w,
	                    field.h - 2 * border };
	const char *was = c->dl->lang;
	/* the typed words are shaped as the keyboard's language: an English
	 * word typed on the Urdu screen still reads left to right inside */
	c->dl->lang = lang;
	char shown[SESSION_TEXT_BYTES + 256];
	snprintf(shown, sizeof shown, "%s%s", v->text, c->composing ? c->composing : "");
	if (shown[0])
		ui_text(c, words_r, shown, field.h * 55 / 100, FONT_REGULAR, ALIGN_LEFT, c->th->text);
	c->dl->lang = "en";
	draw_text(c->dl, (ui_rect){ field.x + field.w - m - count_w, field.y, count_w, field.h }, count,
	          ui_max(12, field.h * 3 / 10), FONT_REGULAR, ALIGN_RIGHT, c->th->muted_text);
	c->dl->lang = was;

	/* Easy read: a picture and one short sentence. */
	const char *hsym = ui_symbol(c, "dont-want-to-say", sym, sizeof sym);
	c->dl->lang = tw->lang;
	ui_image(c, (ui_rect){ hint.x, hint.y, hint.h, hint.h }, hsym);
	ui_text(c, (ui_rect){ hint.x + hint.h + m, hint.y, hint.w - hint.h - m, hint.h }, tw->no_names,
	        hint.h * 7 / 10, FONT_BOLD, ALIGN_LEFT, c->th->text);
	c->dl->lang = was;
}
