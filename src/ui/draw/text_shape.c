/*
 * text_shape: see text_shape.h. No fixed limits: a line may hold any
 * number of characters and runs and a text any number of lines. The
 * working buffers (one scratch, below) grow to the longest text seen and
 * are kept, so once every screen has been built shaping allocates nothing
 * here (HarfBuzz inside SDL_ttf still does, which is why text.c caches).
 * If growing fails the text is drawn empty and said not to fit; nothing is
 * ever written past a buffer. The scratch is static: the UI thread is the
 * only caller.
 */
#include "draw/text_shape.h"
#include "draw/text.h"

#include <errno.h>
#include <fcntl.h>
#include <fribidi.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>


static const char *const font_files[FAM_COUNT][FONT_COUNT] = {
	[FAM_LATIN] = { "andika/Andika-Regular.ttf", "andika/Andika-Bold.ttf" },
	[FAM_NASKH] = { "noto/NotoNaskhArabic-Regular.ttf", "noto/NotoNaskhArabic-Bold.ttf" },
	[FAM_NASTALIQ] = { "noto/NotoNastaliqUrdu-Regular.ttf", NULL },
	[FAM_BENGALI] = { "noto/NotoSansBengali-Regular.ttf", "noto/NotoSansBengali-Bold.ttf" },
	[FAM_DYSLEXIC] = { "opendyslexic/OpenDyslexic-Regular.otf", "opendyslexic/OpenDyslexic-Bold.otf" },
};

/* path mapped read-only; NULL, with SDL's error set, when it cannot be
 * opened or mapped, or is empty. */
static void *
map_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		SDL_SetError("%s", strerror(errno));
		return NULL;
	}
	struct stat st;
	void *p = MAP_FAILED;
	int e = EINVAL;   /* an empty file is no font */
	if (fstat(fd, &st) != 0)
		e = errno;
	else if (st.st_size > 0 &&
	         (p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0)) == MAP_FAILED)
		e = errno;
	close(fd);
	if (p == MAP_FAILED) {
		SDL_SetError("%s", strerror(e));
		return NULL;
	}
	*len = (size_t)st.st_size;
	return p;
}

/* Opens one font the first time it is needed; NULL when it has no file
 * (no bold) or cannot be opened. The mapping lives as long as the font. */
static TTF_Font *
open_font(text_fonts *tc, int fam, int face)
{
	if (tc->fonts[fam][face] || tc->tried[fam][face] || !font_files[fam][face])
		return tc->fonts[fam][face];
	tc->tried[fam][face] = true;
	char path[sizeof tc->dir + 64];
	snprintf(path, sizeof path, "%s/%s", tc->dir, font_files[fam][face]);
	size_t len = 0;
	void *map = map_file(path, &len);
	SDL_RWops *rw = map && len <= INT_MAX ? SDL_RWFromConstMem(map, (int)len) : NULL;
	TTF_Font *f = rw ? TTF_OpenFontRW(rw, 1, 32) : NULL;   /* frees rw, even on failure */
	if (!f) {
		if (map)
			munmap(map, len);
		return NULL;
	}
	tc->fonts[fam][face] = f;
	tc->map[fam][face] = map;
	tc->map_len[fam][face] = len;
	tc->cur_px[fam][face] = 32;
	return f;
}

int
text_shape_open(text_fonts *tc, const char *font_dir, tl_error *err)
{
	snprintf(tc->dir, sizeof tc->dir, "%s", font_dir);
	/* Every file must be there (a broken install says so at start), but
	 * only Latin is opened now: the first frame needs nothing else, and
	 * the other scripts' fonts open when a text first needs them. */
	for (int fam = 0; fam < FAM_COUNT; fam++) {
		for (int i = 0; i < FONT_COUNT; i++) {
			if (!font_files[fam][i])
				continue;
			char path[sizeof tc->dir + 64];
			snprintf(path, sizeof path, "%s/%s", font_dir, font_files[fam][i]);
			if (access(path, R_OK) != 0) {
				int e = errno;
				return tl_err_sys(err, TL_E_IO, e, "cannot open the font %s: %s", path,
				                  strerror(e));
			}
		}
	}
	for (int i = 0; i < FONT_COUNT; i++) {
		if (!open_font(tc, FAM_LATIN, i)) {
			tl_err(err, TL_E_IO, "cannot open the font %s/%s: %s", font_dir,
			       font_files[FAM_LATIN][i], TTF_GetError());
			text_shape_close(tc);
			return -1;
		}
	}
	/* SDL_ttf built without HarfBuzz refuses a script; then Arabic, Urdu
	 * and Bengali would come out unshaped, so the kiosk says so. */
	tc->harfbuzz = TTF_SetFontScriptName(tc->fonts[FAM_LATIN][FONT_REGULAR], "Latn") == 0;
	return 0;
}

void
text_shape_close(text_fonts *tc)
{
	for (int fam = 0; fam < FAM_COUNT; fam++)
		for (int i = 0; i < FONT_COUNT; i++) {
			if (tc->fonts[fam][i])
				TTF_CloseFont(tc->fonts[fam][i]);
			if (tc->map[fam][i])
				munmap(tc->map[fam][i], tc->map_len[fam][i]);
			tc->fonts[fam][i] = NULL;
			tc->map[fam][i] = NULL;
			tc->map_len[fam][i] = 0;
			tc->tried[fam][i] = false;
		}
}

static TTF_Font *
font_of(text_fonts *tc, enum text_family fam, enum font_face face, int px)
{
	if (fam == FAM_LATIN && tc->dyslexic)
		fam = FAM_DYSLEXIC;
	if (!open_font(tc, fam, face))
		face = FONT_REGULAR;
	if (!open_font(tc, fam, face))
		fam = FAM_LATIN;  /* unreadable since start: plain Latin, never nothing */
	TTF_Font *f = tc->fonts[fam][face];
	if (tc->cur_px[fam][face] != px) {
		TTF_SetFontSize(f, px);
		tc->cur_px[fam][face] = px;
	}
	return f;
}

/* A line is a byte range of the source text. */
typedef struct line { const char *s; size_t len; int w; } line;

enum script { SC_COMMON = 0, SC_LATIN, SC_ARABIC, SC_BENGALI };

/* One run: characters [start, end) in logical order, one level, one script. */
typedef struct run {
	int start, end;
	FriBidiLevel level;
	enum script script;
} run;

/* Everything one shaping needs, grown on demand and kept. */
typedef struct scratch {
	FriBidiChar *chars;
	FriBidiCharType *types;
	FriBidiBracketType *brackets;
	FriBidiLevel *levels;
	enum script *sc;
	size_t cap_chars;
	run *runs;
	int *order;              /* visual order of runs */
	SDL_Surface **parts;
	int *asc;
	size_t cap_runs;
	char *utf8;              /* a line or a run as its own string */
	size_t cap_utf8;
	line *lines;
	size_t cap_lines;
	size_t *cuts;            /* where a word too long for its line may break */
	size_t cap_cuts;
	int n, n_runs;
} scratch;

static scratch S;

/* Makes *p hold at least need elements of size elem; false when memory
 * ran out (the old buffer is kept). */
static bool
grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return true;
	size_t n = *cap ? *cap : 64;
	while (n < need)
		n *= 2;
	void *q = realloc(*p, n * elem);
	if (!q)
		return false;
	*p = q;
	*cap = n;
	return true;
}

static bool
grow_chars(size_t n)
{
	size_t c = S.cap_chars;
	bool ok = true;
	/* Every per-character array has the same capacity. */
	ok = ok && grow((void **)&S.chars, &c, n, sizeof *S.chars);
	c = S.cap_chars;
	ok = ok && grow((void **)&S.types, &c, n, sizeof *S.types);
	c = S.cap_chars;
	ok = ok && grow((void **)&S.brackets, &c, n, sizeof *S.brackets);
	c = S.cap_chars;
	ok = ok && grow((void **)&S.levels, &c, n, sizeof *S.levels);
	c = S.cap_chars;
	ok = ok && grow((void **)&S.sc, &c, n, sizeof *S.sc);
	if (ok)
		S.cap_chars = c;
	return ok;
}

static bool
grow_runs(size_t n)
{
	size_t c = S.cap_runs;
	bool ok = grow((void **)&S.runs, &c, n, sizeof *S.runs);
	c = S.cap_runs;
	ok = ok && grow((void **)&S.order, &c, n, sizeof *S.order);
	c = S.cap_runs;
	ok = ok && grow((void **)&S.parts, &c, n, sizeof *S.parts);
	c = S.cap_runs;
	ok = ok && grow((void **)&S.asc, &c, n, sizeof *S.asc);
	if (ok)
		S.cap_runs = c;
	return ok;
}

void
text_shape_scratch_free(void)
{
	free(S.chars);
	free(S.types);
	free(S.brackets);
	free(S.levels);
	free(S.sc);
	free(S.runs);
	free(S.order);
	free(S.parts);
	free(S.asc);
	free(S.utf8);
	free(S.lines);
	free(S.cuts);
	S = (scratch){ 0 };
}

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

static bool
is_ascii(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

/* s[0..len) as its own string in the scratch; NULL when memory ran out. */
static char *
copy_utf8(const char *s, size_t len)
{
	if (!grow((void **)&S.utf8, &S.cap_utf8, len + 1, 1))
		return NULL;
	memcpy(S.utf8, s, len);
	S.utf8[len] = '\0';
	return S.utf8;
}

/* Splits a line into runs and orders them for display (UAX #9, L2).
 * false when memory ran out (then there are no runs). */
static bool
shape_line(text_fonts *tc, const char *s, size_t len, const char *lang, enum font_face face)
{
	S.n = 0;
	S.n_runs = 0;
	/* A UTF-8 string never has more code points than bytes. */
	if (!grow_chars(len + 1))
		return false;
	char *buf = copy_utf8(s, len);
	if (!buf)
		return false;
	S.n = fribidi_charset_to_unicode(FRIBIDI_CHAR_SET_UTF8, buf, (FriBidiStrIndex)len, S.chars);
	int n = S.n;
	FriBidiParType base = text_lang_is_rtl(lang) ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_ON;
	fribidi_get_bidi_types(S.chars, n, S.types);
	fribidi_get_bracket_types(S.chars, n, S.types, S.brackets);
	if (!fribidi_get_par_embedding_levels_ex(S.types, S.brackets, n, &base, S.levels))
		memset(S.levels, 0, (size_t)n * sizeof *S.levels);

	/* Scripts: neutral characters join the strong script before them in
	 * the same level, else the first strong one after, else Latin. */
	FriBidiLevel *lv = S.levels;
	enum script *sc = S.sc;
	for (int i = 0; i < n; i++)
		sc[i] = script_of(S.chars[i]);
	for (int i = 0; i < n; i++) {
		if (sc[i] != SC_COMMON)
			continue;
		if (i > 0 && lv[i - 1] == lv[i]) {
			sc[i] = sc[i - 1];  /* already resolved */
			continue;
		}
		enum script pick = SC_LATIN;
		for (int j = i + 1; j < n && lv[j] == lv[i]; j++) {
			if (sc[j] != SC_COMMON) {
				pick = sc[j];
				break;
			}
		}
		sc[i] = pick;
	}
	/* A neutral the script's font has no glyph for (the Arabic fonts have
	 * no middle dot, "·") is drawn with the Latin font rather than as an
	 * empty box: SDL_ttf has no font fallback of its own. */
	for (int i = 0; i < n; i++) {
		if (sc[i] == SC_LATIN || script_of(S.chars[i]) != SC_COMMON)
			continue;
		enum text_family fam = sc[i] == SC_BENGALI ? FAM_BENGALI
		                       : lang && strncmp(lang, "ur", 2) == 0 ? FAM_NASTALIQ : FAM_NASKH;
		enum font_face fc = open_font(tc, fam, face) ? face : FONT_REGULAR;
		TTF_Font *f = open_font(tc, fam, fc) ? tc->fonts[fam][fc] : NULL;
		if (f && !TTF_GlyphIsProvided32(f, (Uint32)S.chars[i]))
			sc[i] = SC_LATIN;
	}
	int runs = 0;
	for (int i = 0; i < n; ) {
		int j = i + 1;
		while (j < n && lv[j] == lv[i] && sc[j] == sc[i])
			j++;
		runs++;
		i = j;
	}
	if (!grow_runs((size_t)runs + 1)) {
		S.n = 0;
		return false;
	}
	for (int i = 0; i < n; ) {
		int j = i + 1;
		while (j < n && lv[j] == lv[i] && sc[j] == sc[i])
			j++;
		S.runs[S.n_runs++] = (run){ i, j, lv[i], sc[i] };
		i = j;
	}
	/* L2: from the highest level down to the lowest odd one, reverse every
	 * sequence of runs at that level or higher. */
	int hi = 0, lo_odd = 127;
	for (int r = 0; r < S.n_runs; r++) {
		S.order[r] = r;
		if (S.runs[r].level > hi)
			hi = S.runs[r].level;
		if ((S.runs[r].level & 1) && S.runs[r].level < lo_odd)
			lo_odd = S.runs[r].level;
	}
	for (int l = hi; l >= lo_odd && l > 0; l--) {
		for (int a = 0; a < S.n_runs; ) {
			if (S.runs[S.order[a]].level < l) {
				a++;
				continue;
			}
			int b = a;
			while (b < S.n_runs && S.runs[S.order[b]].level >= l)
				b++;
			for (int x = a, y = b - 1; x < y; x++, y--) {
				int t = S.order[x];
				S.order[x] = S.order[y];
				S.order[y] = t;
			}
			a = b;
		}
	}
	return true;
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

/* Run r of the shaped line as UTF-8 in the scratch; NULL when memory ran
 * out. (The line's own bytes are no longer needed once it is shaped.) */
static const char *
run_utf8(const run *r)
{
	size_t n = (size_t)(r->end - r->start);
	if (!grow((void **)&S.utf8, &S.cap_utf8, n * 4 + 1, 1))
		return NULL;
	fribidi_unicode_to_charset(FRIBIDI_CHAR_SET_UTF8, S.chars + r->start, (FriBidiStrIndex)n,
	                           S.utf8);
	return S.utf8;
}

/* The short path: plain ASCII in a left-to-right language is one Latin run.
 * Returns its font ready to use and *out the line as a string, or NULL
 * when the line needs the full bidi treatment (or memory ran out: then
 * *out is NULL too). */
static TTF_Font *
plain_latin(text_fonts *tc, const char *s, size_t len, const char *lang,
            enum font_face face, int px, const char **out)
{
	*out = NULL;
	if (!is_ascii(s, len) || text_lang_is_rtl(lang))
		return NULL;
	*out = copy_utf8(s, len);
	if (!*out)
		return NULL;
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
	const char *buf;
	TTF_Font *f = plain_latin(tc, s, len, lang, face, px, &buf);
	if (f) {
		int w = 0, h = 0;
		if (skip)
			*skip = TTF_FontLineSkip(f);
		if (TTF_SizeUTF8(f, buf, &w, &h) != 0)
			return 0;
		return w;
	}
	int w = 0, sk = 0;
	if (!shape_line(tc, s, len, lang, face)) {
		if (skip)
			*skip = 0;
		return 0;
	}
	for (int i = 0; i < S.n_runs; i++) {
		TTF_Font *rf = run_font(tc, &S.runs[i], lang, face, px);
		const char *rbuf = run_utf8(&S.runs[i]);
		int rw = 0, rh = 0;
		if (rbuf && TTF_SizeUTF8(rf, rbuf, &rw, &rh) == 0)
			w += rw;
		if (TTF_FontLineSkip(rf) > sk)
			sk = TTF_FontLineSkip(rf);
	}
	if (skip)
		*skip = sk;
	return w;
}

/* The code point at s (valid UTF-8: the flow and the kiosk's words are
 * checked), and its length in *len. */
static unsigned
decode(const char *s, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] < 0x80) {
		*len = 1;
		return u[0];
	}
	size_t n = u[0] >= 0xF0 ? 4 : u[0] >= 0xE0 ? 3 : 2;
	unsigned c = u[0] & (0x3F >> (n - 1));
	for (size_t i = 1; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80) {
			*len = i;  /* broken: step over what was read */
			return 0xFFFD;
		}
		c = (c << 6) | (u[i] & 0x3F);
	}
	*len = n;
	return c;
}

/* Marks that belong to the character before them: a word is never broken
 * just before one (nor just after a joiner). */
static bool
clings(unsigned c)
{
	return (c >= 0x0300 && c <= 0x036F) || (c >= 0x0610 && c <= 0x061A) ||
	       (c >= 0x064B && c <= 0x065F) || c == 0x0670 || (c >= 0x06D6 && c <= 0x06ED) ||
	       (c >= 0x0981 && c <= 0x0983) || c == 0x09BC || (c >= 0x09BE && c <= 0x09D7) ||
	       c == 0x09CD || (c >= 0x200B && c <= 0x200D) || (c >= 0xFE00 && c <= 0xFE0F) ||
	       (c >= 0x1F3FB && c <= 0x1F3FF) || (c >= 0xE0100 && c <= 0xE01EF);
}

/*
 * A word wider than the whole line: the longest start of it (from start to
 * somewhere before word_end, at a place a character may begin) that is
 * max_w wide or less, and at least one character, so even the narrowest
 * box gets every letter, each on its own line at worst. Returns where the
 * line ends and its width in *w. Widths grow with length, so the places
 * are searched by halves.
 */
static const char *
cut_word(text_fonts *tc, const char *start, const char *word_end, const char *lang,
         enum font_face face, int px, int max_w, int *w)
{
	size_t nc = 0;
	const char *p = start;
	unsigned prev = 0;
	while (p < word_end) {
		size_t l;
		unsigned c = decode(p, &l);
		if (p > start && !clings(c) && prev != 0x200D) {
			if (!grow((void **)&S.cuts, &S.cap_cuts, nc + 1, sizeof *S.cuts))
				break;
			S.cuts[nc++] = (size_t)(p - start);
		}
		prev = c;
		p += l;
	}
	if (!grow((void **)&S.cuts, &S.cap_cuts, nc + 1, sizeof *S.cuts)) {
		*w = width_of(tc, start, (size_t)(word_end - start), lang, face, px, NULL);
		return word_end;
	}
	S.cuts[nc++] = (size_t)(word_end - start);
	/* The last place whose start fits; the first place if none does.
	 * Galloping first (1, 2, 4... places) keeps each probe about a line
	 * long, however long the word. */
	size_t lo = 0, hi = nc - 1, best = 0;
	int best_w = -1;
	for (size_t step = 1; step < nc; step *= 2) {
		size_t at = S.cuts[step - 1];
		int mw = width_of(tc, start, at, lang, face, px, NULL);
		if (mw > max_w) {
			hi = step - 1;
			break;
		}
		best = step - 1;
		best_w = mw;
		lo = step;
	}
	while (lo <= hi) {
		size_t mid = lo + (hi - lo) / 2;
		size_t at = S.cuts[mid];
		int mw = width_of(tc, start, at, lang, face, px, NULL);
		if (mw <= max_w) {
			best = mid;
			best_w = mw;
			lo = mid + 1;
		} else {
			if (mid == 0)
				break;
			hi = mid - 1;
		}
	}
	size_t at = S.cuts[best];
	*w = best_w >= 0 ? best_w : width_of(tc, start, at, lang, face, px, NULL);
	return start + at;
}

static bool
add_line(size_t n, const char *s, size_t len, int w)
{
	if (!grow((void **)&S.lines, &S.cap_lines, n + 1, sizeof *S.lines))
		return false;
	S.lines[n] = (line){ s, len, w };
	return true;
}

/*
 * Greedy breaking at spaces and at explicit newlines (a no-break space is
 * not a place to break). A word wider than the line is broken inside,
 * between characters. Lines go into S.lines; returns their number. *fits
 * is false when a word had to be broken (or memory ran out).
 */
static int
break_lines(text_fonts *tc, const char *s, const char *lang, enum font_face face,
            int px, int max_w, bool *fits, int *skip)
{
	*skip = 0;
	int n = 0;
	*fits = true;
	const char *p = s;
	while (*p) {
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
				break;  /* the word starts the next line */
			if (w > max_w) {
				*fits = false;
				end = cut_word(tc, start, word_end, lang, face, px, max_w, &end_w);
				break;
			}
			end = word_end;
			end_w = w;
			if (*end == '\n')
				break;
		}
		if (!add_line((size_t)n, start, (size_t)(end - start), end_w)) {
			*fits = false;
			break;
		}
		n++;
		p = end;
		if (*p == '\n')
			p++;
	}
	return n;
}

bool
text_shape_measure(text_fonts *tc, const char *s, const char *lang, enum font_face face,
                   int px, int max_w, int *w, int *h)
{
	tc->shapes++;
	bool fits;
	int skip;
	int n = break_lines(tc, s, lang, face, px, max_w, &fits, &skip);
	int mw = 0;
	for (int i = 0; i < n; i++)
		if (S.lines[i].w > mw)
			mw = S.lines[i].w;
	*w = mw;
	*h = n * skip;
	return fits;
}

/* One line, its runs drawn left to right in visual order on one baseline. */
static SDL_Surface *
render_line(text_fonts *tc, const char *s, size_t len, const char *lang,
            enum font_face face, int px, SDL_Color col)
{
	const char *buf;
	TTF_Font *f = plain_latin(tc, s, len, lang, face, px, &buf);
	if (f)
		return TTF_RenderUTF8_Blended(f, buf, col);
	if (!shape_line(tc, s, len, lang, face))
		return NULL;
	int w = 0, max_asc = 0, max_desc = 0;
	for (int i = 0; i < S.n_runs; i++) {
		const run *r = &S.runs[S.order[i]];
		TTF_Font *rf = run_font(tc, r, lang, face, px);
		S.parts[i] = NULL;
		S.asc[i] = TTF_FontAscent(rf);
		if (S.asc[i] > max_asc)
			max_asc = S.asc[i];
		if (-TTF_FontDescent(rf) > max_desc)
			max_desc = -TTF_FontDescent(rf);
		const char *rbuf = run_utf8(r);
		if (!rbuf || !*rbuf)
			continue;
		S.parts[i] = TTF_RenderUTF8_Blended(rf, rbuf, col);
		if (S.parts[i])
			w += S.parts[i]->w;
	}
	SDL_Surface *out = w > 0 ? SDL_CreateRGBSurfaceWithFormat(0, w, max_asc + max_desc, 32,
	                                                          SDL_PIXELFORMAT_ARGB8888) : NULL;
	if (out)
		SDL_FillRect(out, NULL, SDL_MapRGBA(out->format, col.r, col.g, col.b, 0));
	int x = 0;
	for (int i = 0; i < S.n_runs; i++) {
		if (!S.parts[i])
			continue;
		if (out) {
			SDL_SetSurfaceBlendMode(S.parts[i], SDL_BLENDMODE_NONE);
			SDL_Rect dst = { x, max_asc - S.asc[i], S.parts[i]->w, S.parts[i]->h };
			SDL_BlitSurface(S.parts[i], NULL, out, &dst);
		}
		x += S.parts[i]->w;
		SDL_FreeSurface(S.parts[i]);
		S.parts[i] = NULL;
	}
	return out;
}

/* The line's first keep bytes, then "…", into *tmp (grown as needed);
 * its width, or -1 when memory ran out. */
static int
width_with_dots(text_fonts *tc, const line *l, size_t keep, char **tmp, const char *lang,
                enum font_face face, int px)
{
	static const char dots[] = "\xE2\x80\xA6";
	/* A buffer of its own (width_of uses the scratch's). */
	char *t = realloc(*tmp, keep + sizeof dots);
	if (!t)
		return -1;
	*tmp = t;
	memcpy(t, l->s, keep);
	memcpy(t + keep, dots, sizeof dots);
	return width_of(tc, t, keep + sizeof dots - 1, lang, face, px, NULL);
}

/* The last line that shows, when more lines follow that do not: as much
 * of it as fits with "…" after it, cut at a character's start. The longest
 * start that fits is found by halving (a few shapings, not one per
 * character: a long unspaced line once cost a shaping per code point).
 * Caller frees; NULL when memory ran out. */
static const char *
with_ellipsis(text_fonts *tc, const line *l, const char *lang, enum font_face face, int px,
              int max_w, size_t *len)
{
	char *tmp = NULL;
	/* Invariant: a cut at lo fits (0 always "fits": "…" alone is shown
	 * whatever its width), a cut at hi does not, unless hi is the whole
	 * line and it fits. */
	size_t lo = 0, hi = l->len;
	int w = width_with_dots(tc, l, hi, &tmp, lang, face, px);
	if (w < 0)
		goto oom;
	if (w <= max_w)
		lo = hi;
	while (lo < hi) {
		size_t mid = lo + (hi - lo + 1) / 2;
		while (mid > lo && ((unsigned char)l->s[mid] & 0xC0) == 0x80)
			mid--;   /* back to the start of its character */
		if (mid == lo) {
			/* no character starts between lo and hi: lo it is */
			break;
		}
		w = width_with_dots(tc, l, mid, &tmp, lang, face, px);
		if (w < 0)
			goto oom;
		if (w <= max_w)
			lo = mid;
		else
			hi = mid - 1;
	}
	/* lo may sit inside a character when hi was lowered past a start. */
	while (lo > 0 && lo < l->len && ((unsigned char)l->s[lo] & 0xC0) == 0x80)
		lo--;
	if (width_with_dots(tc, l, lo, &tmp, lang, face, px) < 0)
		goto oom;
	*len = lo + 3;
	return tmp;  /* caller frees */
oom:
	free(tmp);
	return NULL;
}

SDL_Surface *
text_shape_render(text_fonts *tc, const char *s, const char *lang, enum font_face face,
                  int px, int max_w, int max_h, enum text_align align, ui_color c)
{
	bool fits;
	int skip;
	int n = break_lines(tc, s, lang, face, px, max_w, &fits, &skip);
	if (n == 0 || skip <= 0)
		return NULL;
	/* Only the lines that fit the box's height are drawn; the last one
	 * then ends in "…" so nobody takes it for the whole text. */
	int shown = n;
	if (max_h > 0 && n * skip > max_h)
		shown = max_h / skip > 0 ? max_h / skip : 1;
	int w = 0;
	for (int i = 0; i < shown; i++)
		if (S.lines[i].w > w)
			w = S.lines[i].w;
	if (w <= 0)
		return NULL;
	if (text_lang_is_rtl(lang))
		align = align == ALIGN_LEFT ? ALIGN_RIGHT : align == ALIGN_RIGHT ? ALIGN_LEFT : align;
	SDL_Surface *out = SDL_CreateRGBSurfaceWithFormat(0, w, shown * skip, 32, SDL_PIXELFORMAT_ARGB8888);
	if (!out)
		return NULL;
	SDL_FillRect(out, NULL, SDL_MapRGBA(out->format, c.r, c.g, c.b, 0));
	SDL_Color col = { c.r, c.g, c.b, c.a };
	/* Rendering reshapes into the scratch, so keep the lines apart. */
	line *lines = malloc((size_t)shown * sizeof *lines);
	if (!lines) {
		SDL_FreeSurface(out);
		return NULL;
	}
	memcpy(lines, S.lines, (size_t)shown * sizeof *lines);
	for (int i = 0; i < shown; i++) {
		char *cut = NULL;
		const char *ls_s = lines[i].s;
		size_t ls_len = lines[i].len;
		if (i == shown - 1 && shown < n) {
			cut = (char *)with_ellipsis(tc, &lines[i], lang, face, px, max_w, &ls_len);
			if (cut)
				ls_s = cut;
		}
		SDL_Surface *ls = render_line(tc, ls_s, ls_len, lang, face, px, col);
		free(cut);
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
	free(lines);
	return out;
}
