/*
 * osk: the on-screen keyboard, a widget any screen can use (the text
 * question's screen now; a setup screen's name field could). One big key
 * per letter of the language, in the alphabet's own order (easier to find
 * for a child who does not know QWERTY, and the order scanning offers
 * them), then a row with Delete and a wide Space. Every key is a target of
 * the action the screen names, its arg a letter's index or UI_OSK_SPACE /
 * UI_OSK_DELETE, so touch, keyboard, switches and dwell type alike.
 *
 * Keys are as big as the area lets them be and never smaller than the
 * minimum target size; rows are as long as the width allows, so portrait
 * gets more, shorter rows. No digits: numbers are how a phone number or a
 * date of birth gets typed, and nobody needs one to say what they think.
 *
 * The pl, ur, ar and bn letter sets are machine-drafted like the kiosk's
 * other words. Bengali is typed as its script is written and as children
 * learn it: the vowels, the consonants, then the vowel signs (kar) and
 * the hasanta, each a key, so "কা" is ক then া, and a joined letter is a
 * consonant, ্ and a consonant (HarfBuzz shapes it; a vowel sign's key
 * shows it on a dotted circle, as printed alphabets do).
 */
#include "ui.h"

#include <limits.h>
#include <string.h>

typedef struct osk_letters {
	const char *lang;
	const char *const *keys;
	int n;
} osk_letters;

static const char *const latin[] = {
	"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",
	"n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z",
};
static const char *const polish[] = {
	"a", "ą", "b", "c", "ć", "d", "e", "ę", "f", "g", "h", "i", "j", "k", "l", "ł", "m", "n",
	"ń", "o", "ó", "p", "r", "s", "ś", "t", "u", "w", "y", "z", "ź", "ż", "q", "v", "x",
};
static const char *const urdu[] = {
	"ا", "ب", "پ", "ت", "ٹ", "ث", "ج", "چ", "ح", "خ", "د", "ڈ", "ذ", "ر", "ڑ", "ز", "ژ", "س",
	"ش", "ص", "ض", "ط", "ظ", "ع", "غ", "ف", "ق", "ک", "گ", "ل", "م", "ن", "ں", "و", "ہ", "ھ",
	"ء", "ی", "ے",
};
static const char *const arabic[] = {
	"ا", "ب", "ت", "ث", "ج", "ح", "خ", "د", "ذ", "ر", "ز", "س", "ش", "ص", "ض", "ط", "ظ", "ع",
	"غ", "ف", "ق", "ك", "ل", "م", "ن", "ه", "و", "ي", "ء", "ة", "ى",
};

/* ড়, ঢ় and য় as a letter and its nukta, the form Unicode normalises to */
static const char *const bengali[] = {
	"অ", "আ", "ই", "ঈ", "উ", "ঊ", "ঋ", "এ", "ঐ", "ও", "ঔ",
	"ক", "খ", "গ", "ঘ", "ঙ", "চ", "ছ", "জ", "ঝ", "ঞ", "ট", "ঠ", "ড", "ঢ", "ণ",
	"ত", "থ", "দ", "ধ", "ন", "প", "ফ", "ব", "ভ", "ম", "য", "র", "ল", "শ", "ষ",
	"স", "হ", "ড\u09BC", "ঢ\u09BC", "য\u09BC", "ৎ", "ং", "ঃ", "ঁ",
	"া", "ি", "ী", "ু", "ূ", "ৃ", "ে", "ৈ", "ো", "ৌ", "্",
};

#define SET(l, a) { l, a, (int)(sizeof a / sizeof a[0]) }
static const osk_letters sets[] = {
	SET("en", latin), SET("pl", polish), SET("ur", urdu), SET("ar", arabic),
	SET("bn", bengali),
};

static const osk_letters *
letters_for(const char *lang)
{
	return UI_LANG_ENTRY(sets, lang);
}

const char *
ui_osk_lang(const char *lang)
{
	return letters_for(lang)->lang;
}

int
ui_osk_n_keys(const char *lang)
{
	return letters_for(lang)->n;
}

const char *
ui_osk_key(const char *lang, int arg)
{
	const osk_letters *l = letters_for(lang);
	if (arg == UI_OSK_SPACE)
		return " ";
	return arg >= 0 && arg < l->n ? l->keys[arg] : NULL;
}

/* The key size and keys per row for n letters (and the special row) in
 * w x h: the biggest square keys that fit, at least min. */
static void
fit(int n, int w, int h, int min, int gap, int *key, int *per)
{
	*key = min;
	*per = ui_max(4, (w + gap) / (min + gap));
	for (int p = ui_max(4, (w + gap) / (min + gap)); p >= 4; p--) {
		int rows = (n + p - 1) / p + 1;
		int s = ui_min((w - (p - 1) * gap) / p, (h - (rows - 1) * gap) / rows);
		/* not wider than a comfortable key: long rows are easier to scan */
		s = ui_min(s, min * 2);
		if (s >= min && s > *key) {
			*key = s;
			*per = p;
		}
	}
}

/* How many pages n letters need in w x h at the minimum key size (h 0:
 * one), and how many letters each page holds: as few pages as fit, the
 * letters shared evenly, so no page is a lone letter or two. */
static void
paging(int n, int w, int h, int min, int gap, int *pages, int *per_page)
{
	*pages = 1;
	*per_page = n;
	if (n <= 0)
		return;
	if (h <= 0)
		h = INT_MAX / 4;
	int per_row = ui_max(4, (w + gap) / (min + gap));
	int rows = ui_max(1, (h + gap) / (min + gap) - 1);   /* and the row of Delete and Space */
	/* and never more keys than a screen's targets can be, with the
	 * question's own buttons beside them */
	int cap = ui_min(rows * per_row, UI_MAX_TARGETS - 24);
	if (n <= cap)
		return;
	*pages = (n + cap - 1) / cap;
	*per_page = (n + *pages - 1) / *pages;
}

typedef struct osk_layout {
	int gap, key, per, pages, per_page, page, first, n, rows;
} osk_layout;

static osk_layout
layout(const ui_ctx *c, int n, int w, int h, int page)
{
	osk_layout o;
	o.gap = ui_max(4, ui_margin(c) / 2);
	paging(n, w, h, c->min_target, o.gap, &o.pages, &o.per_page);
	o.page = o.pages > 1 ? ((page % o.pages) + o.pages) % o.pages : 0;
	o.first = o.page * o.per_page;
	o.n = ui_min(o.per_page, n - o.first);
	fit(o.pages > 1 ? o.per_page : n, w, h, c->min_target, o.gap, &o.key, &o.per);
	o.rows = (o.n + o.per - 1) / o.per;
	return o;
}

int
ui_osk_height(const ui_ctx *c, int w, int h, const char *lang)
{
	osk_layout o = layout(c, ui_osk_n_keys(lang), w, h, c->osk_page);
	int rows = o.rows + 1;
	return rows * o.key + (rows - 1) * o.gap;
}

ui_rect
ui_osk_build(ui_ctx *c, ui_rect area, const char *lang, const char *delete_word,
             const char *space_word, enum ui_action act)
{
	const osk_letters *l = letters_for(lang);
	osk_layout o = layout(c, l->n, area.w, area.h, c->osk_page);
	int gap = o.gap, key = o.key, per = o.per, rows = o.rows;
	int used_w = per * key + (per - 1) * gap;
	int x0 = area.x + (area.w - used_w) / 2;
	int px = ui_max(12, key * 45 / 100);

	/* the letters, in the language's own script and shaping */
	const char *was = c->dl->lang;
	c->dl->lang = l->lang;
	c->label_px = px;
	for (int i = 0; i < o.n; i++) {
		int k = o.first + i, row = i / per, col = i % per;
		/* the last row of letters centred, like the others */
		int in_row = row == rows - 1 ? o.n - row * per : per;
		int rx = x0 + (used_w - (in_row * key + (in_row - 1) * gap)) / 2;
		ui_rect r = { rx + col * (key + gap), area.y + row * (key + gap), key, key };
		int ti = ui_add_target(c, r, act, k);
		ui_draw_target(c, ti, STYLE_BUTTON, NULL, l->keys[k], false, true);
	}

	/* Delete (two or three keys wide), Space (the rest of the row) and,
	 * when the letters take more than one page, the key to the next page:
	 * it shows the first letters there, as a phone's keyboard shows "ABC" */
	char sym[1024];
	int y = area.y + rows * (key + gap);
	int del_w = ui_min(used_w / 3, 3 * key + 2 * gap);
	int page_w = o.pages > 1 ? del_w : 0;
	ui_rect del = { x0, y, del_w, key };
	ui_rect space = { x0 + del_w + gap, y, used_w - del_w - gap - (page_w ? page_w + gap : 0), key };
	if (page_w) {
		int next = ((o.page + 1) % o.pages) * o.per_page;
		char label[96] = "";
		size_t len = 0;
		for (int k = next; k < next + 3 && k < l->n && len + 32 < sizeof label; k++)
			len += (size_t)snprintf(label + len, sizeof label - len, "%s%s", k > next ? " " : "",
			                        l->keys[k]);
		ui_rect pg = { space.x + space.w + gap, y, page_w, key };
		int ti = ui_add_target(c, pg, act, UI_OSK_PAGE);
		ui_draw_target(c, ti, STYLE_BUTTON, NULL, label, false, true);
	}
	c->label_px = 0;
	c->dl->lang = was;
	int ti = ui_add_target(c, space, act, UI_OSK_SPACE);
	ui_draw_target(c, ti, STYLE_BUTTON, NULL, space_word, false, true);
	ti = ui_add_target(c, del, act, UI_OSK_DELETE);
	ui_draw_target(c, ti, STYLE_BUTTON, ui_symbol(c, "back", sym, sizeof sym), delete_word, false,
	               true);
	return (ui_rect){ x0, area.y, used_w, (rows + 1) * key + rows * gap };
}
