/*
 * text: fonts and text textures.
 *
 * One TTF_Font per face; sizes are switched with TTF_SetFontSize (SDL_ttf
 * renders at 72 dpi, so a "point" here is a pixel). Lines are broken by our
 * own greedy breaker so the fitter and the drawer share one answer. Textures
 * are cached by (text, face, size, width, alignment, colour) in a small open
 * hash table; entries not used in a frame are freed at trim time once the
 * table is more than half full, which keeps memory flat on a kiosk that runs
 * for days.
 */
#include "text.h"

#include <SDL_ttf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEX_SLOTS 512
#define FIT_SLOTS 1024
#define MAX_LINES 32

typedef struct tex_entry {
	uint64_t key;
	char *text;
	int face, px, max_w, align;
	ui_color color;
	SDL_Texture *tex;
	int w, h;
	bool used;
} tex_entry;

typedef struct fit_entry {
	uint64_t key;
	char *text;
	int face, min_px, max_px, max_w, max_h;
	int px;
} fit_entry;

struct text_cache {
	SDL_Renderer *renderer;
	TTF_Font *fonts[FONT_COUNT];
	int cur_px[FONT_COUNT];
	tex_entry tex[TEX_SLOTS];
	size_t n_tex;
	fit_entry fit[FIT_SLOTS];
	size_t n_fit;
};

static uint64_t
hash_str(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static uint64_t
hash_int(uint64_t h, int v)
{
	return (h ^ (uint64_t)(unsigned)v) * 1099511628211ull;
}

static TTF_Font *
font_at(text_cache *tc, enum font_face face, int px)
{
	TTF_Font *f = tc->fonts[face];
	if (tc->cur_px[face] != px) {
		TTF_SetFontSize(f, px);
		tc->cur_px[face] = px;
	}
	return f;
}

text_cache *
text_cache_create(SDL_Renderer *r, const char *font_dir, char *err, size_t errlen)
{
	static const char *files[FONT_COUNT] = {
		"andika/Andika-Regular.ttf", "andika/Andika-Bold.ttf",
	};
	if (!TTF_WasInit() && TTF_Init() != 0) {
		snprintf(err, errlen, "cannot start the font library: %s", TTF_GetError());
		return NULL;
	}
	text_cache *tc = calloc(1, sizeof *tc);
	if (!tc) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	tc->renderer = r;
	for (int i = 0; i < FONT_COUNT; i++) {
		char path[1024];
		snprintf(path, sizeof path, "%s/%s", font_dir, files[i]);
		tc->fonts[i] = TTF_OpenFont(path, 32);
		tc->cur_px[i] = 32;
		if (!tc->fonts[i]) {
			snprintf(err, errlen, "cannot open the font %s: %s", path, TTF_GetError());
			text_cache_destroy(tc);
			return NULL;
		}
	}
	return tc;
}

void
text_cache_destroy(text_cache *tc)
{
	if (!tc)
		return;
	for (size_t i = 0; i < TEX_SLOTS; i++) {
		if (tc->tex[i].text) {
			free(tc->tex[i].text);
			if (tc->tex[i].tex)
				SDL_DestroyTexture(tc->tex[i].tex);
		}
	}
	for (size_t i = 0; i < FIT_SLOTS; i++)
		free(tc->fit[i].text);
	for (int i = 0; i < FONT_COUNT; i++)
		if (tc->fonts[i])
			TTF_CloseFont(tc->fonts[i]);
	free(tc);
}

/* A line is a byte range of the source text. */
typedef struct line { const char *s; size_t len; int w; } line;

static int
width_of(TTF_Font *f, const char *s, size_t len)
{
	char buf[1024];
	if (len >= sizeof buf)
		len = sizeof buf - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	int w = 0, h = 0;
	if (TTF_SizeUTF8(f, buf, &w, &h) != 0)
		return 0;
	return w;
}

/*
 * Greedy breaking at spaces and at explicit newlines. Returns the number of
 * lines; *fits is false when a word alone is wider than max_w.
 */
static int
break_lines(TTF_Font *f, const char *s, int max_w, line *lines, bool *fits)
{
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
			int w = width_of(f, start, (size_t)(word_end - start));
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
text_measure(text_cache *tc, const char *s, enum font_face face, int px,
             int max_w, int *w, int *h)
{
	TTF_Font *f = font_at(tc, face, px);
	line lines[MAX_LINES];
	bool fits;
	int n = break_lines(f, s, max_w, lines, &fits);
	int mw = 0;
	for (int i = 0; i < n; i++)
		if (lines[i].w > mw)
			mw = lines[i].w;
	*w = mw;
	*h = n * TTF_FontLineSkip(f);
	return fits;
}

int
text_fit(text_cache *tc, const char *s, enum font_face face, int min_px,
         int max_px, int max_w, int max_h)
{
	uint64_t k = hash_str(1469598103934665603ull, s);
	k = hash_int(hash_int(hash_int(hash_int(hash_int(k, face), min_px), max_px), max_w), max_h);
	size_t slot = k % FIT_SLOTS;
	for (size_t i = 0; i < FIT_SLOTS; i++) {
		fit_entry *e = &tc->fit[(slot + i) % FIT_SLOTS];
		if (!e->text)
			break;
		if (e->key == k && e->face == (int)face && e->min_px == min_px &&
		    e->max_px == max_px && e->max_w == max_w && e->max_h == max_h &&
		    strcmp(e->text, s) == 0)
			return e->px;
	}
	/* Binary search on size: fitting is monotone in px. */
	int lo = min_px, hi = max_px, best = min_px;
	while (lo <= hi) {
		int mid = (lo + hi) / 2, w, h;
		if (text_measure(tc, s, face, mid, max_w, &w, &h) && h <= max_h) {
			best = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	if (tc->n_fit >= FIT_SLOTS / 2) {
		/* Layouts change rarely; starting over is simpler than LRU. */
		for (size_t i = 0; i < FIT_SLOTS; i++) {
			free(tc->fit[i].text);
			tc->fit[i].text = NULL;
		}
		tc->n_fit = 0;
	}
	for (size_t i = 0; i < FIT_SLOTS; i++) {
		fit_entry *e = &tc->fit[(slot + i) % FIT_SLOTS];
		if (e->text)
			continue;
		e->text = strdup(s);
		if (!e->text)
			break;
		e->key = k;
		e->face = (int)face;
		e->min_px = min_px;
		e->max_px = max_px;
		e->max_w = max_w;
		e->max_h = max_h;
		e->px = best;
		tc->n_fit++;
		break;
	}
	return best;
}

static SDL_Surface *
render_lines(TTF_Font *f, const char *s, int max_w, enum text_align align, ui_color c)
{
	line lines[MAX_LINES];
	bool fits;
	int n = break_lines(f, s, max_w, lines, &fits);
	if (n == 0)
		return NULL;
	int skip = TTF_FontLineSkip(f), w = 0;
	for (int i = 0; i < n; i++)
		if (lines[i].w > w)
			w = lines[i].w;
	if (w <= 0)
		return NULL;
	SDL_Surface *out = SDL_CreateRGBSurfaceWithFormat(0, w, n * skip, 32, SDL_PIXELFORMAT_ARGB8888);
	if (!out)
		return NULL;
	SDL_FillRect(out, NULL, SDL_MapRGBA(out->format, c.r, c.g, c.b, 0));
	SDL_Color col = { c.r, c.g, c.b, c.a };
	for (int i = 0; i < n; i++) {
		char buf[1024];
		size_t len = lines[i].len < sizeof buf - 1 ? lines[i].len : sizeof buf - 1;
		memcpy(buf, lines[i].s, len);
		buf[len] = '\0';
		SDL_Surface *ls = TTF_RenderUTF8_Blended(f, buf, col);
		if (!ls)
			continue;
		SDL_SetSurfaceBlendMode(ls, SDL_BLENDMODE_NONE);
		int x = align == ALIGN_LEFT ? 0 : align == ALIGN_RIGHT ? w - ls->w : (w - ls->w) / 2;
		SDL_Rect dst = { x, i * skip, ls->w, ls->h };
		SDL_BlitSurface(ls, NULL, out, &dst);
		SDL_FreeSurface(ls);
	}
	return out;
}

SDL_Texture *
text_texture(text_cache *tc, const char *s, enum font_face face, int px,
             int max_w, enum text_align align, ui_color c, int *w, int *h)
{
	uint64_t k = hash_str(1469598103934665603ull, s);
	k = hash_int(hash_int(hash_int(hash_int(k, face), px), max_w), align);
	k = hash_int(k, (int)((unsigned)c.r << 24 | (unsigned)c.g << 16 | (unsigned)c.b << 8 | c.a));
	size_t slot = k % TEX_SLOTS;
	tex_entry *free_slot = NULL;
	for (size_t i = 0; i < TEX_SLOTS; i++) {
		tex_entry *e = &tc->tex[(slot + i) % TEX_SLOTS];
		if (!e->text) {
			free_slot = e;
			break;
		}
		if (e->key == k && e->face == (int)face && e->px == px &&
		    e->max_w == max_w && e->align == (int)align &&
		    memcmp(&e->color, &c, sizeof c) == 0 && strcmp(e->text, s) == 0) {
			e->used = true;
			*w = e->w;
			*h = e->h;
			return e->tex;
		}
	}
	if (!free_slot)
		return NULL;
	SDL_Surface *surf = render_lines(font_at(tc, face, px), s, max_w, align, c);
	if (!surf)
		return NULL;
	SDL_Texture *tex = SDL_CreateTextureFromSurface(tc->renderer, surf);
	int sw = surf->w, sh = surf->h;
	SDL_FreeSurface(surf);
	if (!tex)
		return NULL;
	SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
	free_slot->text = strdup(s);
	if (!free_slot->text) {
		SDL_DestroyTexture(tex);
		return NULL;
	}
	free_slot->key = k;
	free_slot->face = (int)face;
	free_slot->px = px;
	free_slot->max_w = max_w;
	free_slot->align = (int)align;
	free_slot->color = c;
	free_slot->tex = tex;
	free_slot->w = sw;
	free_slot->h = sh;
	free_slot->used = true;
	tc->n_tex++;
	*w = sw;
	*h = sh;
	return tex;
}

void
text_cache_trim(text_cache *tc)
{
	if (tc->n_tex < TEX_SLOTS / 2) {
		for (size_t i = 0; i < TEX_SLOTS; i++)
			tc->tex[i].used = false;
		return;
	}
	/* Open addressing cannot leave holes, so rebuild the table from the
	 * survivors. */
	tex_entry keep[TEX_SLOTS];
	size_t nk = 0;
	for (size_t i = 0; i < TEX_SLOTS; i++) {
		tex_entry *e = &tc->tex[i];
		if (!e->text)
			continue;
		if (e->used) {
			keep[nk++] = *e;
		} else {
			free(e->text);
			SDL_DestroyTexture(e->tex);
		}
	}
	memset(tc->tex, 0, sizeof tc->tex);
	tc->n_tex = 0;
	for (size_t i = 0; i < nk; i++) {
		size_t slot = keep[i].key % TEX_SLOTS;
		while (tc->tex[slot].text)
			slot = (slot + 1) % TEX_SLOTS;
		tc->tex[slot] = keep[i];
		tc->tex[slot].used = false;
		tc->n_tex++;
	}
}
