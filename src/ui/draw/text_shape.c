/*
 * text_shape: see text_shape.h. Fixed buffers throughout (MAX_LINES lines,
 * MAX_CHARS characters a line, MAX_RUNS runs): a longer text is drawn cut
 * short and its fitting says it does not fit, never overruns. The shaping
 * buffers are static: the UI thread is the only caller.
 */
#include "draw/text_shape.h"
#include "draw/text.h"

#include <fribidi.h>
#include <stdio.h>
#include <string.h>

#define MAX_LINES 32

int
text_shape_open(text_fonts *tc, const char *font_dir, tl_error *err)
{
	static const char *files[FAM_COUNT][FONT_COUNT] = {
		[FAM_LATIN] = { "andika/Andika-Regular.ttf", "andika/Andika-Bold.ttf" },
		[FAM_NASKH] = { "noto/NotoNaskhArabic-Regular.ttf", "noto/NotoNaskhArabic-Bold.ttf" },
		[FAM_NASTALIQ] = { "noto/NotoNastaliqUrdu-Regular.ttf", NULL },
		[FAM_BENGALI] = { "noto/NotoSansBengali-Regular.ttf", "noto/NotoSansBengali-Bold.ttf" },
		[FAM_DYSLEXIC] = { "opendyslexic/OpenDyslexic-Regular.otf", "opendyslexic/OpenDyslexic-Bold.otf" },
	};
	for (int fam = 0; fam < FAM_COUNT; fam++) {
		for (int i = 0; i < FONT_COUNT; i++) {
			if (!files[fam][i])
				continue;
			char path[1024];
			snprintf(path, sizeof path, "%s/%s", font_dir, files[fam][i]);
			TTF_Font *f = TTF_OpenFont(path, 32);
			tc->cur_px[fam][i] = 32;
			if (!f) {
				tl_err(err, TL_E_IO, "cannot open the font %s: %s", path, TTF_GetError());
				text_shape_close(tc);
				return -1;
			}
			tc->fonts[fam][i] = f;
		}
	}
	return 0;
}

void
text_shape_close(text_fonts *tc)
{
	for (int fam = 0; fam < FAM_COUNT; fam++)
		for (int i = 0; i < FONT_COUNT; i++) {
			if (tc->fonts[fam][i])
				TTF_CloseFont(tc->fonts[fam][i]);
			tc->fonts[fam][i] = NULL;
		}
}

static TTF_Font *
font_of(text_fonts *tc, enum text_family fam, enum font_face face, int px)
{
	if (fam == FAM_LATIN && tc->dyslexic)
		fam = FAM_DYSLEXIC;
	if (!tc->fonts[fam][face])
		face = FONT_REGULAR;
	TTF_Font *f = tc->fonts[fam][face];
	if (tc->cur_px[fam][face] != px) {
		TTF_SetFontSize(f, px);
		tc->cur_px[fam][face] = px;
	}
	return f;
}

/* A line is a byte range of the source text. */
typedef struct line { const char *s; size_t len; int w; } line;

#define MAX_CHARS 512
#define MAX_RUNS 64

enum script { SC_COMMON = 0, SC_LATIN, SC_ARABIC, SC_BENGALI };

static enum script
script_of(FriBidiChar c)
{
	if ((c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) ||
	    (c >= 0x08A0 && c <= 0x08FF) || (c >= 0xFB50 && c <= 0xFDFF) ||
	    (c >= 0xFE70 && c <= 0xFEFF))
		return SC_ARABIC;
	if (c >= 0x0980 && c <= 0x09FF)
		return SC_BENGALI;
	if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= 0x00C0 && c <= 0x024F) || (c >= 0x1E00 && c <= 0x1EFF))
		return SC_LATIN;
	return SC_COMMON;
}

/* One run: characters [start, end) in logical order, one level, one script. */
typedef struct run {
	int start, end;
	FriBidiLevel level;
	enum script script;
} run;

typedef struct shaped_line {
	FriBidiChar chars[MAX_CHARS];
	int n;
	run runs[MAX_RUNS];
	int n_runs;
	int order[MAX_RUNS];       /* visual order of runs */
} shaped_line;

static bool
is_ascii(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

/* Splits a line into runs and orders them for display (UAX #9, L2). */
static void
shape_line(shaped_line *sl, const char *s, size_t len, const char *lang)
{
	char buf[4 * MAX_CHARS];
	if (len >= sizeof buf)
		len = sizeof buf - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	sl->n = fribidi_charset_to_unicode(FRIBIDI_CHAR_SET_UTF8, buf, (FriBidiStrIndex)len, sl->chars);
	if (sl->n > MAX_CHARS)
		sl->n = MAX_CHARS;
	FriBidiCharType types[MAX_CHARS];
	FriBidiBracketType brackets[MAX_CHARS];
	FriBidiLevel levels[MAX_CHARS];
	FriBidiParType base = text_lang_is_rtl(lang) ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_ON;
	fribidi_get_bidi_types(sl->chars, sl->n, types);
	fribidi_get_bracket_types(sl->chars, sl->n, types, brackets);
	if (!fribidi_get_par_embedding_levels_ex(types, brackets, sl->n, &base, levels))
		memset(levels, 0, sizeof levels);

	/* Scripts: neutral characters join the strong script before them in
	 * the same level, else the one after, else Latin. */
	enum script sc[MAX_CHARS];
	for (int i = 0; i < sl->n; i++)
		sc[i] = script_of(sl->chars[i]);
	for (int i = 0; i < sl->n; i++) {
		if (sc[i] != SC_COMMON)
			continue;
		enum script pick = SC_COMMON;
		for (int j = i - 1; j >= 0 && levels[j] == levels[i] && pick == SC_COMMON; j--)
			pick = sc[j];
		for (int j = i + 1; j < sl->n && levels[j] == levels[i] && pick == SC_COMMON; j++)
			pick = script_of(sl->chars[j]);
		sc[i] = pick == SC_COMMON ? SC_LATIN : pick;
	}
	sl->n_runs = 0;
	for (int i = 0; i < sl->n && sl->n_runs < MAX_RUNS; ) {
		int j = i + 1;
		while (j < sl->n && levels[j] == levels[i] && sc[j] == sc[i])
			j++;
		sl->runs[sl->n_runs++] = (run){ i, j, levels[i], sc[i] };
		i = j;
	}
	/* L2: from the highest level down to the lowest odd one, reverse every
	 * sequence of runs at that level or higher. */
	int hi = 0, lo_odd = 127;
	for (int r = 0; r < sl->n_runs; r++) {
		sl->order[r] = r;
		if (sl->runs[r].level > hi)
			hi = sl->runs[r].level;
		if ((sl->runs[r].level & 1) && sl->runs[r].level < lo_odd)
			lo_odd = sl->runs[r].level;
	}
	for (int lv = hi; lv >= lo_odd && lv > 0; lv--) {
		for (int a = 0; a < sl->n_runs; ) {
			if (sl->runs[sl->order[a]].level < lv) {
				a++;
				continue;
			}
			int b = a;
			while (b < sl->n_runs && sl->runs[sl->order[b]].level >= lv)
				b++;
			for (int x = a, y = b - 1; x < y; x++, y--) {
				int t = sl->order[x];
				sl->order[x] = sl->order[y];
				sl->order[y] = t;
			}
			a = b;
		}
	}
}

static TTF_Font *
run_font(text_fonts *tc, const run *r, const char *lang, enum font_face face, int px)
{
	enum text_family fam = FAM_LATIN;
	const char *script = "Latn";
	if (r->script == SC_ARABIC) {
		fam = lang && strncmp(lang, "ur", 2) == 0 ? FAM_NASTALIQ : FAM_NASKH;
		script = "Arab";
	} else if (r->script == SC_BENGALI) {
		fam = FAM_BENGALI;
		script = "Beng";
	}
	TTF_Font *f = font_of(tc, fam, face, px);
	TTF_SetFontDirection(f, (r->level & 1) ? TTF_DIRECTION_RTL : TTF_DIRECTION_LTR);
	TTF_SetFontScriptName(f, script);
	return f;
}

static void
run_utf8(const shaped_line *sl, const run *r, char *out, size_t outlen)
{
	if (outlen < (size_t)(r->end - r->start) * 4 + 1) {
		out[0] = '\0';
		return;
	}
	fribidi_unicode_to_charset(FRIBIDI_CHAR_SET_UTF8, sl->chars + r->start,
	                           r->end - r->start, out);
}

/* The short path: plain ASCII in a left-to-right language is one Latin run.
 * Copies the line into buf and returns its font ready to use, or NULL when
 * the line needs the full bidi treatment. */
static TTF_Font *
plain_latin(text_fonts *tc, const char *s, size_t len, const char *lang,
            enum font_face face, int px, char *buf, size_t buflen)
{
	if (!is_ascii(s, len) || text_lang_is_rtl(lang))
		return NULL;
	if (len >= buflen)
		len = buflen - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	TTF_Font *f = font_of(tc, FAM_LATIN, face, px);
	TTF_SetFontDirection(f, TTF_DIRECTION_LTR);
	TTF_SetFontScriptName(f, "Latn");
	return f;
}

/* The width of a line, and the tallest line skip among its fonts. */
static int
width_of(text_fonts *tc, const char *s, size_t len, const char *lang,
         enum font_face face, int px, int *skip)
{
	char buf[1024];
	TTF_Font *f = plain_latin(tc, s, len, lang, face, px, buf, sizeof buf);
	if (f) {
		int w = 0, h = 0;
		if (skip)
			*skip = TTF_FontLineSkip(f);
		if (TTF_SizeUTF8(f, buf, &w, &h) != 0)
			return 0;
		return w;
	}
	static shaped_line sl;   /* big; the UI thread is the only caller */
	shape_line(&sl, s, len, lang);
	int w = 0, sk = 0;
	for (int i = 0; i < sl.n_runs; i++) {
		char rbuf[4 * MAX_CHARS + 1];
		run_utf8(&sl, &sl.runs[i], rbuf, sizeof rbuf);
		TTF_Font *rf = run_font(tc, &sl.runs[i], lang, face, px);
		int rw = 0, rh = 0;
		if (TTF_SizeUTF8(rf, rbuf, &rw, &rh) == 0)
			w += rw;
		if (TTF_FontLineSkip(rf) > sk)
			sk = TTF_FontLineSkip(rf);
	}
	if (skip)
		*skip = sk;
	return w;
}

/*
 * Greedy breaking at spaces and at explicit newlines. Returns the number of
 * lines; *fits is false when a word alone is wider than max_w.
 */
static int
break_lines(text_fonts *tc, const char *s, const char *lang, enum font_face face,
            int px, int max_w, line *lines, bool *fits, int *skip)
{
	*skip = 0;
	int n = 0;
	*fits = true;
	const char *p = s;
	while (*p && n < MAX_LINES) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		const char *start = p, *end = p;
		int end_w = 0;
		for (;;) {
			const char *q = end;
			while (*q == ' ')
				q++;
			const char *word_end = q;
			while (*word_end && *word_end != ' ' && *word_end != '\n')
				word_end++;
			if (word_end == q)
				break;
			int sk = 0;
			int w = width_of(tc, start, (size_t)(word_end - start), lang, face, px, &sk);
			if (sk > *skip)
				*skip = sk;
			if (w > max_w && end != start)
				break;
			if (w > max_w)
				*fits = false;
			end = word_end;
			end_w = w;
			if (*end == '\n' || w > max_w)
				break;
		}
		lines[n].s = start;
		lines[n].len = (size_t)(end - start);
		lines[n].w = end_w;
		n++;
		p = end;
		if (*p == '\n')
			p++;
	}
	if (*p)
		*fits = false;  /* more lines than we draw */
	return n;
}

bool
text_shape_measure(text_fonts *tc, const char *s, const char *lang, enum font_face face,
                   int px, int max_w, int *w, int *h)
{
	tc->shapes++;
	line lines[MAX_LINES];
	bool fits;
	int skip;
	int n = break_lines(tc, s, lang, face, px, max_w, lines, &fits, &skip);
	int mw = 0;
	for (int i = 0; i < n; i++)
		if (lines[i].w > mw)
			mw = lines[i].w;
	*w = mw;
	*h = n * skip;
	return fits;
}

/* One line, its runs drawn left to right in visual order on one baseline. */
static SDL_Surface *
render_line(text_fonts *tc, const char *s, size_t len, const char *lang,
            enum font_face face, int px, SDL_Color col)
{
	char buf[1024];
	TTF_Font *f = plain_latin(tc, s, len, lang, face, px, buf, sizeof buf);
	if (f)
		return TTF_RenderUTF8_Blended(f, buf, col);
	static shaped_line sl;
	shape_line(&sl, s, len, lang);
	SDL_Surface *parts[MAX_RUNS] = { 0 };
	int asc[MAX_RUNS] = { 0 }, w = 0, max_asc = 0, max_desc = 0;
	for (int i = 0; i < sl.n_runs; i++) {
		const run *r = &sl.runs[sl.order[i]];
		char rbuf[4 * MAX_CHARS + 1];
		run_utf8(&sl, r, rbuf, sizeof rbuf);
		TTF_Font *rf = run_font(tc, r, lang, face, px);
		asc[i] = TTF_FontAscent(rf);
		if (asc[i] > max_asc)
			max_asc = asc[i];
		if (-TTF_FontDescent(rf) > max_desc)
			max_desc = -TTF_FontDescent(rf);
		if (!*rbuf)
			continue;
		parts[i] = TTF_RenderUTF8_Blended(rf, rbuf, col);
		if (parts[i])
			w += parts[i]->w;
	}
	SDL_Surface *out = w > 0 ? SDL_CreateRGBSurfaceWithFormat(0, w, max_asc + max_desc, 32,
	                                                          SDL_PIXELFORMAT_ARGB8888) : NULL;
	if (out)
		SDL_FillRect(out, NULL, SDL_MapRGBA(out->format, col.r, col.g, col.b, 0));
	int x = 0;
	for (int i = 0; i < sl.n_runs; i++) {
		if (!parts[i])
			continue;
		if (out) {
			SDL_SetSurfaceBlendMode(parts[i], SDL_BLENDMODE_NONE);
			SDL_Rect dst = { x, max_asc - asc[i], parts[i]->w, parts[i]->h };
			SDL_BlitSurface(parts[i], NULL, out, &dst);
		}
		x += parts[i]->w;
		SDL_FreeSurface(parts[i]);
	}
	return out;
}

SDL_Surface *
text_shape_render(text_fonts *tc, const char *s, const char *lang, enum font_face face,
                  int px, int max_w, enum text_align align, ui_color c)
{
	line lines[MAX_LINES];
	bool fits;
	int skip;
	int n = break_lines(tc, s, lang, face, px, max_w, lines, &fits, &skip);
	if (n == 0 || skip <= 0)
		return NULL;
	int w = 0;
	for (int i = 0; i < n; i++)
		if (lines[i].w > w)
			w = lines[i].w;
	if (w <= 0)
		return NULL;
	if (text_lang_is_rtl(lang))
		align = align == ALIGN_LEFT ? ALIGN_RIGHT : align == ALIGN_RIGHT ? ALIGN_LEFT : align;
	SDL_Surface *out = SDL_CreateRGBSurfaceWithFormat(0, w, n * skip, 32, SDL_PIXELFORMAT_ARGB8888);
	if (!out)
		return NULL;
	SDL_FillRect(out, NULL, SDL_MapRGBA(out->format, c.r, c.g, c.b, 0));
	SDL_Color col = { c.r, c.g, c.b, c.a };
	for (int i = 0; i < n; i++) {
		SDL_Surface *ls = render_line(tc, lines[i].s, lines[i].len, lang, face, px, col);
		if (!ls)
			continue;
		SDL_SetSurfaceBlendMode(ls, SDL_BLENDMODE_NONE);
		int x = align == ALIGN_LEFT ? 0 : align == ALIGN_RIGHT ? w - ls->w : (w - ls->w) / 2;
		/* Lines of mixed fonts sit centred in their line skip. */
		int y = i * skip + (skip - ls->h) / 2;
		if (y < i * skip || ls->h > skip)
			y = i * skip;
		SDL_Rect dst = { x, y, ls->w, ls->h };
		SDL_BlitSurface(ls, NULL, out, &dst);
		SDL_FreeSurface(ls);
	}
	return out;
}

