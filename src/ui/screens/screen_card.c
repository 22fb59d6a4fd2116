/*
 * screen_card: one "You said, we did" card (core/cards), drawn into a part
 * of the welcome or thank-you screen. The whole card is one target: touch
 * it and it is read aloud. With more than one card, a quiet "More" under
 * it steps to the next. It never covers anything: the screen gives it its
 * own rectangle, away from Start.
 *
 * The kiosk's own words for cards are here, in each language words.c
 * knows (machine-drafted for pl, ur, ar, bn: they need a fluent reader's
 * check, like the rest of the kiosk's words).
 */
#include "ui.h"
#include "cards/cards.h"

#include <stdio.h>
#include <string.h>

static const ui_card_words card_words[] = {
	{ "en", "You said", "We did", "We couldn't yet, because", "More" },
	{ "pl", "Powiedzieliście", "Zrobiliśmy", "Jeszcze nie mogliśmy, bo", "Więcej" },
	{ "ur", "آپ نے کہا", "ہم نے کیا", "ہم ابھی نہیں کر سکے، کیونکہ", "مزید" },
	{ "ar", "قلتم", "فعلنا", "لم نستطع بعد، لأن", "المزيد" },
	{ "bn", "তোমরা বলেছিলে", "আমরা করেছি", "আমরা এখনো পারিনি, কারণ", "আরও" },
};

const ui_card_words *
ui_card_words_for(const char *lang)
{
	return UI_LANG_ENTRY(card_words, lang);
}

const card *
screen_card_current(const ui_ctx *c, int offset)
{
	if (!c->cards || c->cards->n == 0)
		return NULL;
	return cards_newest(c->cards, (c->card_index + (size_t)offset) % c->cards->n);
}

/* The language a card's texts are shown in: the person's when the card
 * has it, else the file's first. */
static const char *
card_lang(const card *cd, const char *lang)
{
	for (size_t i = 0; i < cd->file->n_languages; i++)
		if (strcmp(cd->file->languages[i], lang) == 0)
			return lang;
	return cd->file->languages[0];
}

const char *
screen_card_say(const card *cd, const char *lang, char *buf, size_t len, const char **said_lang)
{
	const char *cl = card_lang(cd, lang);
	const ui_card_words *w = ui_card_words_for(cl);
	const char *fb = cd->file->languages[0];
	const char *said = tstr_get(&cd->you_said, cl, fb);
	snprintf(buf, len, "%s: %s %s: %s", w->you_said, said,
	         cd->outcome == CARD_WE_DID ? w->we_did : w->not_yet, tstr_get(&cd->result, cl, fb));
	*said_lang = cl;
	return buf;
}

void
screen_card_build(ui_ctx *c, ui_rect r, int offset, bool more)
{
	const card *cd = screen_card_current(c, offset);
	if (!cd || r.w <= 0 || r.h <= 0)
		return;
	const char *view_lang = c->view->language;
	const char *cl = card_lang(cd, view_lang);
	const ui_card_words *w = ui_card_words_for(cl);
	const char *fb = cd->file->languages[0];
	int m = ui_margin(c);
	bool show_more = more && c->cards->n > 1;
	int more_h = show_more ? ui_max(c->min_target * 3 / 4, r.h / 8) : 0;
	ui_rect body = { r.x, r.y, r.w, r.h - (show_more ? more_h + m / 2 : 0) };

	/* The card: its own target, so touching it reads it aloud. */
	int ti = ui_add_target(c, body, ACT_CARD_HEAR, offset);
	bool pressed = ui_is(c, ti, c->pressed);
	int radius = ui_max(8, ui_min(body.w, body.h) / 12);
	int border = ui_max(2, ui_min(c->w, c->h) / 300) * ui_max(1, c->th->border_scale);
	draw_fill(c->dl, body, pressed ? c->th->card_pressed : c->th->card, radius);
	draw_outline(c->dl, body, c->th->card_border, radius, border);
	if (c->show_focus && ui_is(c, ti, c->focus)) {
		int t = ui_max(6, ui_min(c->w, c->h) / 120);
		ui_rect fr = { body.x - 2 * t, body.y - 2 * t, body.w + 4 * t, body.h + 4 * t };
		draw_outline(c->dl, fr, c->th->focus_outer, radius + 2 * t, 2 * t);
		draw_outline(c->dl, (ui_rect){ fr.x + t / 2, fr.y + t / 2, fr.w - t, fr.h - t },
		             c->th->focus_inner, radius + t, t);
	}

	const char *lang = c->dl->lang;
	c->dl->lang = cl;
	int pad = ui_max(m / 2, body.h / 20);
	int x = body.x + pad, iw = body.w - 2 * pad;
	int head = body.h / 9;
	int half = (body.h - 2 * pad - 2 * head) / 2;
	int y = body.y + pad;
	/* You said: the picture (if any) at the start of the line, then the words. */
	ui_text(c, (ui_rect){ x, y, iw, head }, w->you_said, head * 8 / 10, FONT_BOLD, ALIGN_LEFT,
	        c->th->muted_text);
	y += head;
	int pic = 0;
	const char *path = symbol_paths_get(c->symbols, cd->file, cd->symbol, c->data_dir);
	if (path) {
		pic = ui_min(half, iw / 3);
		ui_image(c, (ui_rect){ x, y + (half - pic) / 2, pic, pic }, path);
		pic += pad;
	}
	ui_text(c, (ui_rect){ x + pic, y, iw - pic, half }, tstr_get(&cd->you_said, cl, fb),
	        half * 4 / 10, FONT_BOLD, ALIGN_LEFT, c->th->text);
	y += half;
	/* We did / We couldn't yet, because. */
	ui_text(c, (ui_rect){ x, y, iw, head }, cd->outcome == CARD_WE_DID ? w->we_did : w->not_yet,
	        head * 8 / 10, FONT_BOLD, ALIGN_LEFT, c->th->muted_text);
	y += head;
	int foot = (cd->by.n || cd->date[0]) ? body.h / 12 : 0;
	ui_text(c, (ui_rect){ x, y, iw, half - foot }, tstr_get(&cd->result, cl, fb),
	        half * 4 / 10, FONT_REGULAR, ALIGN_LEFT, c->th->text);
	if (foot) {
		char line[256];
		const char *by = cd->by.n ? tstr_get(&cd->by, cl, fb) : "";
		snprintf(line, sizeof line, "%s%s%s", by, *by && cd->date[0] ? " \xC2\xB7 " : "", cd->date);
		ui_text(c, (ui_rect){ x, y + half - foot, iw, foot }, line, foot * 8 / 10, FONT_REGULAR,
		        ALIGN_LEFT, c->th->muted_text);
	}
	c->dl->lang = lang;

	if (show_more) {
		/* Quiet: a plain button under the card, at its end, not a second Start. */
		int mw = ui_max(c->min_target * 2, r.w / 3);
		const ui_words *wd = ui_words_for(view_lang);
		(void)wd;
		int mi = ui_add_target(c, (ui_rect){ r.x + r.w - mw, r.y + r.h - more_h, mw, more_h },
		                       ACT_CARD_MORE, 0);
		c->dl->lang = cl;
		ui_draw_target(c, mi, STYLE_BUTTON, NULL, w->more, false, true);
		c->dl->lang = lang;
	}
}
