/*
 * report_html: the report model drawn as easy-read picture charts in one
 * self-contained HTML file.
 *
 * Promises:
 * - The HTML needs nothing else: no scripts, no fonts, no network. Each
 *   bundled symbol is inlined once as an SVG <symbol> and reused; a symbol
 *   that is not a bundled name (a flow's own photo) or cannot be read is
 *   drawn as a plain dot, never fetched.
 * - Every text from the database or a flow is HTML-escaped.
 * - The same model always draws the same bytes (tests compare them).
 * - Output goes through the caller's writer in blocks of 64 KB; the first
 *   write that fails stops the rest.
 */
#include "report/report.h"
#include "cards/cards.h"
#include "base/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

typedef struct hbuf {
	char *p;
	size_t len, cap;
	report_write_fn fn;
	void *ud;
	bool failed;
	int failed_errno;   /* errno of the write that failed */
} hbuf;

static void
hb_write(hbuf *b, const void *p, size_t n)
{
	if (!b->failed && b->fn(b->ud, p, n) != 0) {
		b->failed = true;
		b->failed_errno = errno;
	}
}

static void
hb_flush(hbuf *b)
{
	if (b->len)
		hb_write(b, b->p, b->len);
	b->len = 0;
}

static void
hb_put(hbuf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n > b->cap) {
		hb_flush(b);
		if (n > b->cap) {
			hb_write(b, s, n);
			return;
		}
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void
hb_str(hbuf *b, const char *s)
{
	hb_put(b, s, strlen(s));
}

static void
hb_fmt(hbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
hb_fmt(hbuf *b, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n > 0)
		hb_put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static void
hb_esc(hbuf *b, const char *s)
{
	const char *run = s;
	for (; *s; s++) {
		const char *rep = NULL;
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		hb_put(b, run, (size_t)(s - run));
		hb_str(b, rep);
		run = s + 1;
	}
	hb_put(b, run, (size_t)(s - run));
}

/* ---- symbols: each inlined once --------------------------------------------- */

#define SYM_MAX 128

typedef struct symset {
	const char *names[SYM_MAX];
	bool ok[SYM_MAX];
	size_t n;
} symset;

static void
sym_add(symset *ss, const char *name)
{
	if (!name || !tl_is_slug(name))
		return;
	for (size_t i = 0; i < ss->n; i++)
		if (strcmp(ss->names[i], name) == 0)
			return;
	if (ss->n < SYM_MAX)
		ss->names[ss->n++] = name;
}

static bool
sym_ok(const symset *ss, const char *name)
{
	if (!name)
		return false;
	for (size_t i = 0; i < ss->n; i++)
		if (strcmp(ss->names[i], name) == 0)
			return ss->ok[i];
	return false;
}

/* Writes the inside of an SVG file as <symbol id="s-NAME">, dropping the
 * ids inside it (they would repeat across symbols). false if the file is
 * missing or does not look like an SVG. */
static bool
emit_symbol(hbuf *b, const char *data_dir, const char *name)
{
	char *path = tl_asprintf("%s/assets/symbols/%s.svg", data_dir, name);
	char *data = NULL;
	size_t len = 0;
	bool ok = false;
	if (path && tl_read_file(path, &data, &len, NULL) == 0) {
		char *open = strstr(data, "<svg");
		char *gt = open ? strchr(open, '>') : NULL;
		char *close = gt ? strstr(gt, "</svg>") : NULL;
		char *last;
		while (close && (last = strstr(close + 1, "</svg>")))
			close = last;
		if (close) {
			char vb[128] = "0 0 72 72";
			char *v = strstr(open, "viewBox=\"");
			if (v && v < gt) {
				v += 9;
				char *e = strchr(v, '"');
				if (e && (size_t)(e - v) < sizeof vb) {
					memcpy(vb, v, (size_t)(e - v));
					vb[e - v] = '\0';
				}
			}
			hb_str(b, "<symbol id=\"s-");
			hb_str(b, name);
			hb_str(b, "\" viewBox=\"");
			hb_esc(b, vb);
			hb_str(b, "\">");
			/* copy, leaving out ` id="..."` attributes */
			const char *p = gt + 1;
			while (p < close) {
				const char *id = strstr(p, " id=\"");
				if (!id || id >= close) {
					hb_put(b, p, (size_t)(close - p));
					break;
				}
				hb_put(b, p, (size_t)(id - p));
				const char *e = strchr(id + 5, '"');
				p = e && e < close ? e + 1 : close;
			}
			hb_str(b, "</symbol>\n");
			ok = true;
		}
	}
	free(data);
	free(path);
	return ok;
}

static void
pic(hbuf *b, const symset *ss, const char *name, const char *cls)
{
	hb_fmt(b, "<svg class=\"%s\" aria-hidden=\"true\"><use href=\"#s-", cls);
	hb_str(b, sym_ok(ss, name) ? name : "-dot");
	hb_str(b, "\"/></svg>");
}

/* How the sessions ended, each way on its own row (every way, even at 0,
 * so a reader never wonders whether one was left out): those who answered
 * to the end apart from those who stopped early, walked away, or were cut
 * off when the kiosk stopped. The stored status is given too, for the
 * analyst who matches it to sessions.csv. */
static void
render_endings(hbuf *b, const report *r)
{
	static const char *const words[REPORT_N_ENDINGS] = {
		[REPORT_COMPLETED] = "answered every question",
		[REPORT_COMPLETED_EARLY] = "chose to finish early",
		[REPORT_UNFINISHED] = "stopped part way (walked away, or the kiosk was shut down)",
		[REPORT_INTERRUPTED] = "were cut off when the kiosk stopped suddenly (power, or a crash)",
	};
	hb_str(b, "<table class=\"ended\">\n");
	for (int e = 0; e < REPORT_N_ENDINGS; e++) {
		hb_fmt(b, "<tr class=\"ended-%s\"><td class=\"ended-n\">%lld</td><td>", report_ending_status(e),
		       (long long)r->ended[e]);
		if (e == REPORT_INTERRUPTED && r->ended[e] == 1)
			hb_str(b, "was cut off when the kiosk stopped suddenly (power, or a crash)");
		else
			hb_str(b, words[e]);
		hb_fmt(b, " <span class=\"small\">(%s)</span></td></tr>\n", report_ending_status(e));
	}
	hb_str(b, "</table>\n");
}

static const char css[] =
	"*{box-sizing:border-box}\n"
	"body{font-family:Andika,\"Andika New Basic\",\"Atkinson Hyperlegible\",Verdana,Arial,sans-serif;"
	"font-size:22px;line-height:1.45;color:#111;background:#fff;margin:0 auto;max-width:1150px;padding:28px}\n"
	"h1{font-size:60px;line-height:1.1;margin:0 0 12px}\n"
	".lead{font-size:32px;margin:0 0 6px}\n"
	".lead strong{font-size:44px}\n"
	".small{font-size:20px;color:#333}\n"
	".how{border:3px solid #111;border-radius:16px;padding:12px 20px;margin:20px 0;font-size:22px}\n"
	".flow>h2{font-size:42px;margin:40px 0 0;border-bottom:6px solid #111}\n"
	".q{border:3px solid #111;border-radius:18px;padding:18px 22px;margin:24px 0;"
	"break-inside:avoid;page-break-inside:avoid}\n"
	".qhead{display:flex;align-items:center;gap:22px;margin-bottom:8px}\n"
	".qsym{width:104px;height:104px;flex:none}\n"
	".qhead h3{font-size:36px;line-height:1.2;margin:0}\n"
	".each{font-size:20px;margin:4px 0 10px;color:#222}\n"
	".each svg{width:28px;height:28px;vertical-align:middle}\n"
	".note{font-size:16px;color:#5a3d00}\n"
	".typed li{font-size:22px;margin:4px 0}\n"
	".drawing{width:240px;border:2px solid #888;margin:6px;background:#fff}\n"
	"table{border-collapse:collapse;width:100%}\n"
	"td{padding:8px 10px;border-top:2px solid #bbb;vertical-align:middle}\n"
	"td.who{width:40%;font-size:26px}\n"
	"td.who svg{width:60px;height:60px;vertical-align:middle;margin-right:12px}\n"
	"td.n{width:3.2em;font-size:40px;font-weight:bold;text-align:right}\n"
	"td.bar svg.p{width:46px;height:46px;margin:2px}\n"
	".part{display:inline-block;overflow:hidden;vertical-align:middle;white-space:nowrap;height:50px}\n"
	"td.bar svg.p{vertical-align:middle}\n"
	"tr.other td.who{color:#222}\n"
	"table.mat th{font-size:24px;padding:8px;border-bottom:3px solid #111;vertical-align:bottom}\n"
	"table.mat th svg.c{width:64px;height:64px}\n"
	"td.m{font-size:40px;font-weight:bold;text-align:center}\n"
	"td.m.off{color:#333;font-weight:normal}\n"
	".none{font-size:26px}\n"
	"table.ended{width:auto;margin:8px 0 4px}\n"
	"table.ended td{font-size:22px;padding:4px 12px}\n"
	"table.ended td.ended-n{font-size:30px;font-weight:bold;text-align:right}\n"
	"footer{margin-top:36px;font-size:18px;color:#333}\n"
	".said{font-size:22px;font-weight:bold;color:#333;margin:0}\n"
	".did{font-size:30px;margin:0 0 6px}\n"
	"dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 18px;font-size:26px;"
	"margin:10px 0 18px}\n"
	"dl.facts dt{font-weight:bold}dl.facts dd{margin:0}\n"
	/* Printed: A4, every size in print units, so a row of ten pictures, a
	 * mat and the longest words fit the page's width (tests/report_print.py
	 * prints it with Chromium and checks the pages). */
	"@page{size:A4;margin:14mm 14mm 16mm}\n"
	"@media print{body{max-width:none;padding:0;font-size:12pt;line-height:1.35}"
	"h1{font-size:28pt;margin:0 0 3mm}.lead{font-size:16pt}.lead strong{font-size:22pt}"
	".small{font-size:11pt}.how{font-size:11pt;padding:2.5mm 4mm;margin:4mm 0;border-width:2px}"
	"dl.facts{font-size:14pt;margin:2mm 0 4mm}"
	".flow>h2{font-size:20pt;margin:7mm 0 0;border-bottom-width:1.5mm;"
	"break-after:avoid;page-break-after:avoid}"
	".q{padding:3mm 4mm;margin:4mm 0;border-width:2px;border-radius:4mm;"
	"break-inside:avoid;page-break-inside:avoid}"
	".qhead{gap:4mm;margin-bottom:1mm}.qsym{width:16mm;height:16mm}.qhead h3{font-size:17pt}"
	".each{font-size:11pt;margin:1mm 0 2mm}.each svg{width:5mm;height:5mm}"
	"td{padding:1.2mm 2mm;border-top-width:1px}td.who{width:38%;font-size:13pt;"
	"overflow-wrap:anywhere}td.who svg{width:9mm;height:9mm;margin-right:2mm}"
	"td.n{font-size:18pt}td.bar svg.p{width:7mm;height:7mm;margin:0.3mm}.part{height:7.6mm}"
	"table.mat th{font-size:11pt;padding:1mm}table.mat th svg.c{width:10mm;height:10mm}"
	"td.m{font-size:16pt}.none{font-size:13pt}.said{font-size:11pt}.did{font-size:15pt}"
	"footer{font-size:10pt;margin-top:6mm}}\n";

/* "2026-11-22T12:08:21.123Z" -> "22 November 2026" */
static void
nice_date(const char *iso, char *out, size_t outlen)
{
	static const char *months[] = { "January", "February", "March", "April", "May",
	        "June", "July", "August", "September", "October", "November", "December" };
	int y, m, d;
	if (sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 && m <= 12)
		snprintf(out, outlen, "%d %s %d", d, months[m - 1], y);
	else
		snprintf(out, outlen, "%s", iso);
}

/* People per picture: 1, 2, 5, 10, 20, 50... so the longest row has at
 * most 10 pictures. */
static int64_t
per_picture(int64_t most)
{
	static const int64_t mant[] = { 1, 2, 5 };
	for (int64_t p = 1; p < INT64_MAX / 100; p *= 10)
		for (int i = 0; i < 3; i++)
			if ((most + mant[i] * p - 1) / (mant[i] * p) <= 10)
				return mant[i] * p;
	return most > 0 ? most : 1;
}

static void
chart_row(hbuf *b, const symset *ss, const char *symbol, const char *label,
          int64_t count, int64_t per, bool other)
{
	hb_str(b, other ? "<tr class=\"other\"><td class=\"who\">" : "<tr><td class=\"who\">");
	pic(b, ss, symbol, "a");
	hb_esc(b, label);
	hb_fmt(b, "</td><td class=\"n\">%lld</td><td class=\"bar\">", (long long)count);
	int64_t full = count / per, rest = count % per;
	for (int64_t i = 0; i < full; i++)
		pic(b, ss, symbol, "p");
	if (rest) {
		/* part of a picture for the people left over: 50px per picture */
		hb_fmt(b, "<span class=\"part\" style=\"width:%dpx\">", (int)(rest * 50 / per));
		pic(b, ss, symbol, "p");
		hb_str(b, "</span>");
	}
	hb_str(b, "</td></tr>\n");
}

/* "You said, we did": every card, newest first, in the file's first
 * language (the report is in English); a bundled symbol drawn, a photo
 * left out (the report is one file that reads nothing else). */
static void
render_cards(hbuf *b, const symset *ss, const card_set *cs)
{
	hb_str(b, "<div class=\"flow\"><h2>You said, we did</h2>\n");
	for (size_t i = 0; i < cs->n; i++) {
		const card *cd = cards_newest(cs, i);
		const char *l = cd->file->languages[0];
		hb_str(b, "<section class=\"q card\"><div class=\"qhead\">");
		if (cd->symbol && sym_ok(ss, cd->symbol))
			pic(b, ss, cd->symbol, "qsym");
		hb_str(b, "<div><p class=\"said\">You said</p><h3>");
		hb_esc(b, cd->you_said.n ? tstr_get(&cd->you_said, l, l) : "");
		hb_str(b, "</h3></div></div>\n<p class=\"said\">");
		hb_str(b, cd->outcome == CARD_WE_DID ? "We did" : "We couldn't yet, because");
		hb_str(b, "</p><p class=\"did\">");
		hb_esc(b, tstr_get(&cd->result, l, l));
		hb_str(b, "</p>");
		if (cd->by.n || cd->date[0]) {
			hb_str(b, "<p class=\"small\">");
			hb_esc(b, cd->by.n ? tstr_get(&cd->by, l, l) : "");
			if (cd->by.n && cd->date[0])
				hb_str(b, " \xC2\xB7 ");
			if (cd->date[0]) {
				char iso[32], nice[64];
				snprintf(iso, sizeof iso, "%sT12:00:00Z", cd->date);
				nice_date(iso, nice, sizeof nice);
				hb_esc(b, nice);
			}
			hb_str(b, "</p>");
		}
		hb_str(b, "</section>\n");
	}
	hb_str(b, "</div>\n");
}

/* A sort question as its mat: a row per picture, a column per column of
 * the mat (and one for pictures left off it), each cell how many people
 * put that picture there. */
static void
render_mat(hbuf *b, const symset *ss, const report_question *q)
{
	hb_fmt(b, "<p class=\"each\">%lld %s sorted these pictures. Each number is how many put "
	       "the picture in that column.</p>\n<table class=\"mat\">\n<tr><td></td>",
	       (long long)q->people, q->people == 1 ? "person" : "people");
	for (size_t k = 0; k < q->n_columns; k++) {
		hb_str(b, "<th>");
		pic(b, ss, q->columns[k].symbol, "c");
		hb_str(b, "<br>");
		hb_esc(b, q->columns[k].label);
		hb_str(b, "</th>");
	}
	hb_str(b, "<th>Not on the mat</th></tr>\n");
	for (size_t i = 0; i < q->n_answers; i++) {
		const report_answer *a = &q->answers[i];
		hb_str(b, "<tr><td class=\"who\">");
		pic(b, ss, a->symbol, "a");
		hb_esc(b, a->label);
		hb_str(b, "</td>");
		for (size_t k = 0; k < q->n_columns; k++)
			hb_fmt(b, "<td class=\"m\" data-column=\"%zu\">%lld</td>", k, (long long)a->in_column[k]);
		hb_fmt(b, "<td class=\"m off\">%lld</td></tr>\n", (long long)a->unsorted);
	}
	hb_str(b, "</table>\n");
	if (q->skipped || q->declined) {
		int64_t most = q->skipped > q->declined ? q->skipped : q->declined;
		int64_t per = per_picture(most);
		hb_str(b, "<table>\n");
		if (q->skipped)
			chart_row(b, ss, "skip", "Skipped", q->skipped, per, true);
		if (q->declined)
			chart_row(b, ss, "dont-want-to-say", "Didn't want to say", q->declined, per, true);
		hb_str(b, "</table>\n");
	}
	hb_str(b, "</section>\n");
}

/* A text or draw question: how many typed or drew, and how many skipped
 * or did not want to say. The typed words are listed (they are what a
 * forum came to hear), with a reminder to read them before the page is
 * shared; the drawings only when the report was asked for them. */
static void
render_made(hbuf *b, const report_question *q)
{
	int64_t gave = q->people - q->skipped - q->declined;
	hb_fmt(b, "<p class=\"each\">%lld %s %s.", (long long)gave, gave == 1 ? "person" : "people",
	       q->is_text ? "typed an answer" : "drew a picture");
	if (q->skipped)
		hb_fmt(b, " %lld skipped.", (long long)q->skipped);
	if (q->declined)
		hb_fmt(b, " %lld didn't want to say.", (long long)q->declined);
	hb_str(b, "</p>\n");
	if (q->n_typed) {
		hb_str(b, "<p class=\"note\">Read these before you share this page: someone may have "
		          "typed a name.</p>\n<ul class=\"typed\">\n");
		for (size_t i = 0; i < q->n_typed; i++) {
			hb_str(b, "<li>");
			hb_esc(b, q->typed[i]);
			hb_str(b, "</li>\n");
		}
		hb_str(b, "</ul>\n");
	}
	if (q->n_drawings) {
		hb_str(b, "<div class=\"drawings\">\n");
		for (size_t i = 0; i < q->n_drawings; i++) {
			size_t n = sodium_base64_encoded_len(q->drawings[i].len, sodium_base64_VARIANT_ORIGINAL);
			char *b64 = malloc(n);
			if (!b64)
				continue;   /* hb_put never fails either: a missing picture is all */
			sodium_bin2base64(b64, n, q->drawings[i].png, q->drawings[i].len,
			                  sodium_base64_VARIANT_ORIGINAL);
			hb_fmt(b, "<img class=\"drawing\" alt=\"Drawing %zu\" src=\"data:image/png;base64,", i + 1);
			hb_str(b, b64);
			hb_str(b, "\">\n");
			free(b64);
		}
		hb_str(b, "</div>\n");
	}
	hb_str(b, "</section>\n");
}

/* An event's report opens with what it was: its name, its date (or
 * dates), the place when given, and every kiosk whose answers are in it. */
static void
render_event(hbuf *b, const report *r, const report_options *opt, const char *event)
{
	hb_str(b, "<dl class=\"facts\"><dt>Event</dt><dd>");
	hb_esc(b, event);
	hb_str(b, "</dd>");
	if (r->people) {
		char a[64], z[64];
		nice_date(r->first, a, sizeof a);
		nice_date(r->last, z, sizeof z);
		hb_str(b, "<dt>Date</dt><dd>");
		hb_esc(b, a);
		if (strcmp(a, z) != 0) {
			hb_str(b, " to ");
			hb_esc(b, z);
		}
		hb_str(b, "</dd>");
	}
	if (opt->place && *opt->place) {
		hb_str(b, "<dt>Place</dt><dd>");
		hb_esc(b, opt->place);
		hb_str(b, "</dd>");
	}
	hb_fmt(b, "<dt>%s</dt><dd>", r->n_kiosk_ids == 1 ? "Kiosk" : "Kiosks");
	for (size_t i = 0; i < r->n_kiosk_ids; i++) {
		if (i)
			hb_str(b, ", ");
		hb_esc(b, r->kiosk_ids[i]);
	}
	if (r->n_kiosk_ids == 0)
		hb_str(b, "none");
	hb_str(b, "</dd></dl>\n");
}

static void
render_question(hbuf *b, const symset *ss, const report_question *q)
{
	hb_str(b, "<section class=\"q\"><div class=\"qhead\">");
	if (q->symbol)
		pic(b, ss, q->symbol, "qsym");
	hb_str(b, "<h3>");
	hb_esc(b, q->text);
	hb_str(b, "</h3></div>\n");
	if (q->people == 0) {
		hb_str(b, "<p class=\"none\">Nobody answered this question.</p></section>\n");
		return;
	}
	if (q->sort) {
		render_mat(b, ss, q);
		return;
	}
	if (q->is_text || q->is_draw) {
		render_made(b, q);
		return;
	}
	int64_t most = q->skipped > q->declined ? q->skipped : q->declined;
	for (size_t i = 0; i < q->n_answers; i++)
		if (q->answers[i].count > most)
			most = q->answers[i].count;
	int64_t per = per_picture(most);
	hb_fmt(b, "<p class=\"each\">%lld %s answered. Each picture = %lld %s.</p>\n<table>\n",
	       (long long)q->people, q->people == 1 ? "person" : "people",
	       (long long)per, per == 1 ? "person" : "people");
	for (size_t i = 0; i < q->n_answers; i++)
		chart_row(b, ss, q->answers[i].symbol, q->answers[i].label,
		          q->answers[i].count, per, false);
	if (q->skipped)
		chart_row(b, ss, "skip", "Skipped", q->skipped, per, true);
	if (q->declined)
		chart_row(b, ss, "dont-want-to-say", "Didn't want to say", q->declined, per, true);
	hb_str(b, "</table></section>\n");
}

int
report_render_html(const report *r, const report_options *opt,
                   report_write_fn fn, void *ud, tl_error *err)
{
	hbuf b = { .cap = 64 * 1024, .fn = fn, .ud = ud };
	b.p = malloc(b.cap);
	if (!b.p)
		return tl_err_nomem(err);
	const char *data_dir = opt && opt->data_dir ? opt->data_dir : tl_data_dir();
	const char *event = opt ? opt->event : NULL;
	const char *title = opt && opt->title ? opt->title : event ? event : "What you told us";

	symset ss = { .n = 0 };
	sym_add(&ss, "skip");
	sym_add(&ss, "dont-want-to-say");
	const card_set *cs = opt ? opt->cards : NULL;
	for (size_t i = 0; cs && i < cs->n; i++)
		sym_add(&ss, cs->cards[i].symbol);
	for (size_t i = 0; i < r->n_flows; i++)
		for (size_t j = 0; j < r->flows[i].n_questions; j++) {
			const report_question *q = &r->flows[i].questions[j];
			sym_add(&ss, q->symbol);
			for (size_t k = 0; k < q->n_answers; k++)
				sym_add(&ss, q->answers[k].symbol);
			for (size_t k = 0; k < q->n_columns; k++)
				sym_add(&ss, q->columns[k].symbol);
		}

	hb_str(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	hb_esc(&b, title);
	hb_str(&b, "</title>\n<style>\n");
	hb_str(&b, css);
	hb_str(&b, "</style></head><body>\n"
	           "<svg width=\"0\" height=\"0\" style=\"position:absolute\" aria-hidden=\"true\">\n"
	           "<symbol id=\"s--dot\" viewBox=\"0 0 72 72\"><circle cx=\"36\" cy=\"36\" r=\"24\" "
	           "fill=\"#8FB8DE\" stroke=\"#000\" stroke-width=\"3\"/></symbol>\n");
	for (size_t i = 0; i < ss.n; i++)
		ss.ok[i] = emit_symbol(&b, data_dir, ss.names[i]);
	hb_str(&b, "</svg>\n<h1>");
	hb_esc(&b, title);
	hb_str(&b, "</h1>\n");
	if (event)
		render_event(&b, r, opt, event);
	hb_fmt(&b, "<p class=\"lead\"><strong>%lld</strong> %s took part.</p>\n",
	       (long long)r->people, r->people == 1 ? "person" : "people");
	if (r->people && !event) {
		char a[64], z[64];
		nice_date(r->first, a, sizeof a);
		nice_date(r->last, z, sizeof z);
		if (strcmp(a, z) == 0)
			hb_fmt(&b, "<p class=\"small\">On %s", a);
		else
			hb_fmt(&b, "<p class=\"small\">From %s to %s", a, z);
		hb_fmt(&b, ", at %lld %s.</p>\n", (long long)r->kiosks,
		       r->kiosks == 1 ? "kiosk" : "kiosks");
		render_endings(&b, r);
	}
	hb_str(&b, "<p class=\"how\">For each question you can see the answers people gave. "
	           "The pictures show how many people chose each answer, and the big number "
	           "says exactly how many. If someone changed their answer, we count only "
	           "their last one.</p>\n");
	if (cs && cs->n)
		render_cards(&b, &ss, cs);
	for (size_t i = 0; i < r->n_flows; i++) {
		const report_flow *f = &r->flows[i];
		hb_str(&b, "<div class=\"flow\"><h2>");
		hb_esc(&b, f->title);
		hb_fmt(&b, "</h2>\n<p class=\"small\">%lld %s answered these questions.</p>\n",
		       (long long)f->people, f->people == 1 ? "person" : "people");
		for (size_t j = 0; j < f->n_questions; j++)
			render_question(&b, &ss, &f->questions[j]);
		hb_str(&b, "</div>\n");
	}
	hb_str(&b, "<footer>Made by Tellus. Symbols: OpenMoji (openmoji.org), licence CC BY-SA 4.0.</footer>\n"
	           "</body></html>\n");
	hb_flush(&b);
	free(b.p);
	if (b.failed)
		return tl_err_sys(err, TL_E_IO, b.failed_errno, "%s", strerror(b.failed_errno));
	return 0;
}
