/*
 * screen_staff_room: "Show the room", full screen, to be read across a
 * hall: one question at a time as a picture chart of the event's answers
 * (today's when no event runs). Big words, the question's picture, and per
 * answer its picture, its words, the picture again once for every person
 * (or every N people, said under the chart) and the count in words.
 *
 * What it may show is report_room.h's: counts only (the report model holds
 * nothing else: no person's answers, no typed words, no drawings); a count
 * below room_min_count is "a few", drawn with one picture; a question
 * fewer people answered shows no counts at all; the heading leaves out
 * how many took part when that number would give a "few" away. Nothing here is a target:
 * a hall full of people touches nothing that changes it, and the staff
 * gesture (staff.c) leaves it.
 *
 * The words are the kiosk's language's (the flows' own texts when the
 * kiosk has the flow, else the words stored with the answers). The room's
 * own words are here in each language words.c knows (machine-drafted for
 * pl, ur, ar, bn: they need a fluent reader's check).
 */
#include "staff/staff.h"
#include "report/report_room.h"
#include "ui.h"

#include <stdio.h>
#include <string.h>

/* The forms a count of people takes (CLDR's plural categories for
 * whole numbers): English and Urdu have one and other; Polish one, few
 * (2-4, 22-24...) and many; Arabic one, two, few (3-10), many (11-99) and
 * other; Bengali one word for every count. */
enum plural { PLURAL_ONE = 0, PLURAL_TWO, PLURAL_FEW, PLURAL_MANY, PLURAL_OTHER, PLURAL_COUNT };

typedef struct room_words {
	const char *lang, *title, *today, *a_few, *a_few_people, *held_back, *none_yet,
	           *each, *counting;
	const char *people[PLURAL_COUNT];   /* after a number: "1 person", "12 people" */
} room_words;

static const room_words words[] = {
	{ "en", "What you told us", "Today", "a few", "A few people",
	  "A few people answered this. Their answers show when more people have.",
	  "No answers yet.", "Each picture =", "Counting\xE2\x80\xA6",
	  { "person", "people", "people", "people", "people" } },
	{ "pl", "Co nam powiedzieliście", "Dzisiaj", "kilka", "Kilka osób",
	  "Odpowiedziało kilka osób. Ich odpowiedzi pokażemy, gdy odpowie więcej.",
	  "Nie ma jeszcze odpowiedzi.", "Każdy obrazek =", "Liczymy\xE2\x80\xA6",
	  { "osoba", "osoby", "osoby", "osób", "osób" } },
	{ "ur", "آپ نے ہمیں کیا بتایا", "آج", "چند", "چند لوگ",
	  "چند لوگوں نے اس کا جواب دیا۔ زیادہ لوگوں کے جواب دینے پر جوابات دکھائے جائیں گے۔",
	  "ابھی کوئی جواب نہیں۔", "ہر تصویر =", "گنتی ہو رہی ہے\xE2\x80\xA6",
	  { "شخص", "لوگ", "لوگ", "لوگ", "لوگ" } },
	/* CHECK (a fluent reader): a numeral before the dual and the
	 * accusative singular, as a chart's heading says them. */
	{ "ar", "ما أخبرتمونا به", "اليوم", "بضعة", "بضعة أشخاص",
	  "أجاب عن هذا بضعة أشخاص. ستظهر إجاباتهم عندما يجيب عدد أكبر.",
	  "لا توجد إجابات بعد.", "كل صورة =", "جارٍ العد\xE2\x80\xA6",
	  { "شخص", "شخصان", "أشخاص", "شخصًا", "شخص" } },
	{ "bn", "তোমরা আমাদের যা বললে", "আজ", "কয়েকজন", "কয়েকজন",
	  "কয়েকজন এর উত্তর দিয়েছে। আরও বেশি মানুষ উত্তর দিলে উত্তরগুলো দেখানো হবে।",
	  "এখনো কোনো উত্তর নেই।", "প্রতিটি ছবি =", "গোনা হচ্ছে\xE2\x80\xA6",
	  { "জন", "জন", "জন", "জন", "জন" } },
};

static const room_words *
words_for(const char *lang)
{
	return UI_LANG_ENTRY(words, lang);
}

/* The form of "people" after the number n, in w's language. */
static const char *
people_word(const room_words *w, int64_t n)
{
	enum plural p = PLURAL_OTHER;
	int64_t n10 = n % 10, n100 = n % 100;
	if (strcmp(w->lang, "pl") == 0)
		p = n == 1 ? PLURAL_ONE : n10 >= 2 && n10 <= 4 && !(n100 >= 12 && n100 <= 14)
		    ? PLURAL_FEW : PLURAL_MANY;
	else if (strcmp(w->lang, "ar") == 0)
		p = n == 1 ? PLURAL_ONE : n == 2 ? PLURAL_TWO : n100 >= 3 && n100 <= 10 ? PLURAL_FEW
		    : n100 >= 11 ? PLURAL_MANY : PLURAL_OTHER;
	else if (n == 1)
		p = PLURAL_ONE;
	return w->people[p];
}

/* The chart showing: its question and the kiosk's own flow (and question)
 * when it has that flow, for its texts in every language and its pictures. */
typedef struct chart {
	const report_flow *rf;
	const report_question *q;
	const flow *f;              /* NULL: the kiosk no longer has the flow */
	const flow_question *fq;    /* NULL likewise */
} chart;

static bool
chart_now(const ui_ctx *c, chart *out)
{
	const staff_view *v = c->staff;
	if (!v->room || v->room_chart < 0 || v->room_chart >= v->room_n_charts)
		return false;
	const room_chart *rc = &v->room_charts[v->room_chart];
	*out = (chart){ &v->room->flows[rc->flow], &v->room->flows[rc->flow].questions[rc->question],
	                NULL, NULL };
	const flow *cands[UI_MAX_FLOWS + 1] = { c->flow };
	int n = 1;
	for (int i = 0; i < c->n_flows && n < UI_MAX_FLOWS + 1; i++)
		cands[n++] = c->flows[i];
	for (int i = 0; i < n && !out->f; i++)
		if (cands[i] && strcmp(cands[i]->id, out->rf->id) == 0)
			out->f = cands[i];
	for (size_t i = 0; out->f && i < out->f->n_questions; i++)
		if (strcmp(out->f->questions[i].id, out->q->id) == 0)
			out->fq = &out->f->questions[i];
	return true;
}

static const flow_answer *
live_answer(const chart *ch, const report_answer *a)
{
	for (size_t i = 0; ch->fq && i < ch->fq->n_answers; i++)
		if (strcmp(ch->fq->answers[i].id, a->id) == 0)
			return &ch->fq->answers[i];
	return NULL;
}

/* The language the room speaks: the kiosk's (the view's: no person's
 * turn runs under staff mode). */
static const char *
room_lang(const ui_ctx *c)
{
	return c->view->language ? c->view->language : "en";
}

static const char *
question_text(const ui_ctx *c, const chart *ch)
{
	if (ch->fq)
		return tstr_get(&ch->fq->prompt, room_lang(c), ch->f->languages[0]);
	return ch->q->text ? ch->q->text : ch->q->id;
}

static const char *
answer_text(const ui_ctx *c, const chart *ch, const report_answer *a)
{
	const flow_answer *fa = live_answer(ch, a);
	if (fa)
		return tstr_get(&fa->label, room_lang(c), ch->f->languages[0]);
	return a->label ? a->label : a->id;
}

/* A picture's path: the kiosk's flow resolves its own (paths beside the
 * flow too); a flow it no longer has, only bundled symbols. */
static const char *
picture(ui_ctx *c, const chart *ch, const char *live, const char *stored, char *buf, size_t len)
{
	if (live)
		return symbol_paths_get(c->symbols, ch->f, live, c->data_dir);
	if (stored && !strchr(stored, '/') && !strchr(stored, '.'))
		return ui_symbol(c, stored, buf, len);
	return NULL;
}

/* "12" or "a few"; "" for none. */
static const char *
count_words(const room_words *w, int64_t n, int min, char *buf, size_t len)
{
	switch (report_room_say(n, min)) {
	case REPORT_ROOM_NONE:
		snprintf(buf, len, "0");
		return buf;
	case REPORT_ROOM_FEW:
		return w->a_few;
	default:
		snprintf(buf, len, "%lld", (long long)n);
		return buf;
	}
}

static void
heading(ui_ctx *c, const room_words *w, int m, int hh)
{
	const staff_view *v = c->staff;
	char buf[KIOSK_EVENT_MAX + 64], num[32];
	snprintf(buf, sizeof buf, "%s \xC2\xB7 %s", w->title, v->room_today ? w->today : v->room_event);
	int pw = c->w * 26 / 100;
	ui_text(c, (ui_rect){ m, m, c->w - 3 * m - pw, hh }, buf, hh * 6 / 10, FONT_BOLD, ALIGN_LEFT,
	        c->th->text);
	if (!v->room)
		return;
	int64_t people = v->room->people;
	const char *pp;
	if (report_room_total_shows(v->room, v->room_min_count)) {
		snprintf(num, sizeof num, "%lld %s", (long long)people, people_word(w, people));
		pp = num;
	} else if (report_room_say(people, v->room_min_count) == REPORT_ROOM_FEW) {
		pp = w->a_few_people;
	} else {
		pp = "";  /* none yet, or a number that would give a "few" away */
	}
	ui_text(c, (ui_rect){ c->w - m - pw, m, pw, hh }, pp, hh * 5 / 10, FONT_REGULAR, ALIGN_RIGHT,
	        c->th->text);
}

void
screen_staff_room_build(ui_ctx *c)
{
	const staff_view *v = c->staff;
	const char *lang = room_lang(c);
	const room_words *w = words_for(lang);
	const char *was = c->dl->lang;
	c->dl->lang = w->lang;
	int m = ui_margin(c), gap = m / 2;
	bool tall = c->h > c->w;
	int hh = c->h * (tall ? 6 : 9) / 100;
	heading(c, w, m, hh);
	chart ch;
	if (!chart_now(c, &ch)) {
		ui_text(c, (ui_rect){ m, c->h / 3, c->w - 2 * m, c->h / 5 },
		        v->room ? w->none_yet : w->counting, c->h / 10, FONT_BOLD, ALIGN_CENTER,
		        c->th->text);
		c->dl->lang = was;
		if (c->rtl)
			ui_mirror(c);
		return;
	}
	c->dl->lang = lang;
	char sym[1024], num[32];

	/* The question: its picture and words, big. */
	int qh = c->h * (tall ? 11 : 16) / 100;
	int qy = m + hh + gap;
	const char *qsym = picture(c, &ch, ch.fq ? ch.fq->symbol : NULL, ch.q->symbol, sym, sizeof sym);
	int qx = m;
	if (qsym) {
		ui_image(c, (ui_rect){ m, qy, qh, qh }, qsym);
		qx += qh + m;
	}
	ui_text(c, (ui_rect){ qx, qy, c->w - m - qx, qh }, question_text(c, &ch), qh * 6 / 10,
	        FONT_BOLD, ALIGN_LEFT, c->th->text);

	int foot_h = c->h * (tall ? 5 : 7) / 100;
	int top = qy + qh + gap * 2;
	int bottom = c->h - m - foot_h - gap;
	int min = v->room_min_count;
	if (!report_room_shows(ch.q, min)) {
		c->dl->lang = w->lang;
		ui_text(c, (ui_rect){ m * 3, top + (bottom - top) / 4, c->w - 6 * m, (bottom - top) / 2 },
		        w->held_back, c->h / 14, FONT_REGULAR, ALIGN_CENTER, c->th->text);
	} else {
		/* One picture for how many people: the same for every row. */
		int n = (int)ch.q->n_answers;
		int64_t most = 0;
		for (int i = 0; i < n; i++)
			most = ch.q->answers[i].count > most ? ch.q->answers[i].count : most;
		int64_t per = most > STAFF_CHART_CAP ? (most + STAFF_CHART_CAP - 1) / STAFF_CHART_CAP : 1;
		/* Landscape: one line per answer (its picture, words, the row of
		 * pictures, the count). Portrait has the height and not the
		 * width: the picture and words above, the row of pictures the
		 * whole width beneath them, the count at the end of the words. */
		int rh = ui_min((bottom - top) / ui_max(n, 1), c->h / (tall ? 5 : 6));
		int lh = tall ? rh * 55 / 100 : rh;   /* the words' line */
		int label_w = c->w * (tall ? 52 : 24) / 100, num_w = c->w * (tall ? 20 : 12) / 100;
		int chart_x = tall ? m + gap : m + rh + gap + label_w + gap;
		int num_x = c->w - m - gap / 2 - num_w;   /* clear of its row's edge */
		int chart_w = tall ? c->w - 2 * (m + gap) : num_x - gap - chart_x;
		int chart_h = tall ? rh - lh : rh;
		/* As big as the longest row allows (at most STAFF_CHART_CAP of them). */
		int64_t longest = 1;
		for (int i = 0; i < n; i++) {
			int64_t p = report_room_pictures(ch.q->answers[i].count, min, per);
			longest = p > longest ? p : longest;
		}
		int pic = ui_min(chart_h * 8 / 10, chart_w / (int)ui_min((int)longest, STAFF_CHART_CAP));
		for (int i = 0; i < n; i++) {
			const report_answer *a = &ch.q->answers[i];
			const flow_answer *fa = live_answer(&ch, a);
			int y = top + i * rh;
			/* Each answer's row is a card with an edge, all alike, as on
			 * Today: it holds the answer's words, pictures and number
			 * together in both themes, and no answer looks singled out. */
			ui_rect card = { m / 2, y + gap / 4, c->w - m, rh - gap / 2 };
			draw_fill(c->dl, card, c->th->card, rh / 6);
			draw_outline(c->dl, card, c->th->card_border, rh / 6, ui_max(2, c->h / 300));
			const char *path = picture(c, &ch, fa ? fa->symbol : NULL, a->symbol, sym, sizeof sym);
			int is = lh * 8 / 10;
			if (path)
				ui_image(c, (ui_rect){ m, y + (lh - is) / 2, is, is }, path);
			ui_text(c, (ui_rect){ m + lh + gap, y, label_w, lh }, answer_text(c, &ch, a),
			        (tall ? lh * 5 : rh * 4) / 10, FONT_BOLD, ALIGN_LEFT, c->th->text);
			int64_t pics = report_room_pictures(a->count, min, per);
			int py = (tall ? y + lh : y) + (chart_h - pic) / 2;
			for (int64_t k = 0; path && k < pics && k < STAFF_CHART_CAP; k++)
				ui_image(c, (ui_rect){ chart_x + (int)k * pic, py, pic, pic }, path);
			const char *cw = count_words(w, a->count, min, num, sizeof num);
			bool few = report_room_say(a->count, min) == REPORT_ROOM_FEW;
			const char *l2 = c->dl->lang;
			if (few)
				c->dl->lang = w->lang;
			ui_text(c, (ui_rect){ num_x, y, num_w, lh }, cw,
			        lh * (few ? 4 : 6) / 10 * (tall ? 12 : 10) / 10, FONT_BOLD, ALIGN_RIGHT,
			        c->th->text);
			c->dl->lang = l2;
		}
		if (per > 1) {
			char note[96];
			snprintf(note, sizeof note, "%s %lld %s", w->each, (long long)per, people_word(w, per));
			c->dl->lang = w->lang;
			ui_text(c, (ui_rect){ m, c->h - m - foot_h, c->w / 2, foot_h }, note, foot_h * 6 / 10,
			        FONT_REGULAR, ALIGN_LEFT, c->th->muted_text);
		}
	}
	/* Which chart of how many: quiet, at the end of the line. */
	char of[64];
	snprintf(of, sizeof of, "%d / %d", v->room_chart + 1, v->room_n_charts);
	c->dl->lang = "en";
	/* (ui_mirror below moves the box, not where the words sit in it.) */
	ui_text(c, (ui_rect){ c->w - m - c->w / 4, c->h - m - foot_h, c->w / 4, foot_h }, of,
	        foot_h * 6 / 10, FONT_REGULAR, c->rtl ? ALIGN_LEFT : ALIGN_RIGHT, c->th->muted_text);
	c->dl->lang = was;
	/* Unlike the other staff screens the room is for everyone: in a
	 * right-to-left language it reads from the right, as a person's
	 * screens do (the words themselves are never mirrored). */
	if (c->rtl)
		ui_mirror(c);
}

const char *
screen_staff_room_say(ui_ctx *c, char *buf, size_t len, const char **said_lang)
{
	chart ch;
	if (!c->staff || c->staff->screen != STAFF_ROOM || !chart_now(c, &ch))
		return NULL;
	const char *lang = room_lang(c);
	const room_words *w = words_for(lang);
	int min = c->staff->room_min_count;
	char num[32];
	size_t used = (size_t)snprintf(buf, len, "%s.", question_text(c, &ch));
	if (!report_room_shows(ch.q, min)) {
		snprintf(buf + used, len - used, " %s", w->held_back);
	} else {
		for (size_t i = 0; i < ch.q->n_answers && used < len; i++) {
			const report_answer *a = &ch.q->answers[i];
			int k = snprintf(buf + used, len - used, " %s: %s.", answer_text(c, &ch, a),
			                 count_words(w, a->count, min, num, sizeof num));
			used += k > 0 ? (size_t)k : 0;
		}
	}
	*said_lang = lang;
	return buf;
}
