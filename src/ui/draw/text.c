/*
 * text: the text cache, in front of text_shape.c (fonts, bidi, shaping,
 * line breaking). Shaping is slow and allocates inside HarfBuzz, so every
 * answer is kept: the size a text fits at, a text's measured size, and the
 * texture it is drawn from. Textures are made by text_prepare when a screen
 * is built; the render call only looks them up (text_lookup), so drawing an
 * unchanged screen again shapes, rasterises and allocates nothing.
 *
 * Textures are cached by (text, face, size, width, alignment, colour,
 * language's rendering) in a small open hash table; entries not used since
 * the last trim are freed at trim time once the table is more than half
 * full, which keeps memory flat on a kiosk that runs for days. Sizes and
 * measures are kept in tables that start over when half full: layouts
 * change rarely, and starting over is simpler than LRU.
 */
#include "draw/text.h"
#include "draw/text_shape.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEX_SLOTS 512
#define FIT_SLOTS 1024
#define MEASURE_SLOTS 256

typedef struct tex_entry {
	uint64_t key;
	char *text;
	int face, px, max_w, max_h, align;
	ui_color color;
	uint64_t lang_key;
	SDL_Texture *tex;
	int w, h;
	bool used;
} tex_entry;

typedef struct fit_entry {
	uint64_t key;
	char *text;
	int face, min_px, max_px, max_w, max_h;
	uint64_t lang_key;
	int px;
} fit_entry;

typedef struct measure_entry {
	uint64_t key;
	char *text;
	int face, px, max_w;
	uint64_t lang_key;
	int w, h;
	bool fits;
} measure_entry;

struct text_cache {
	SDL_Renderer *renderer;
	text_fonts fonts;
	tex_entry tex[TEX_SLOTS];
	size_t n_tex;
	fit_entry fit[FIT_SLOTS];
	size_t n_fit;
	measure_entry meas[MEASURE_SLOTS];
	size_t n_meas;
	uint64_t renders, misses, resets;
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

/* Languages written right to left: their paragraphs start on the right. */
bool
text_lang_is_rtl(const char *lang)
{
	static const char *rtl[] = { "ar", "ur", "fa", "he", "ps", "sd", "ckb", "yi" };
	if (!lang)
		return false;
	for (size_t i = 0; i < sizeof rtl / sizeof rtl[0]; i++) {
		size_t n = strlen(rtl[i]);
		if (strncmp(lang, rtl[i], n) == 0 && (lang[n] == '\0' || lang[n] == '-' || lang[n] == '_'))
			return true;
	}
	return false;
}

/* Only what changes rendering: Urdu's font, the base direction, and the
 * Latin family. */
static uint64_t
lang_key(const text_cache *tc, const char *lang)
{
	uint64_t k = tc->fonts.dyslexic ? 4u : 0u;
	if (!lang)
		return k;
	return k | (strncmp(lang, "ur", 2) == 0 ? 2u : 0u) | (text_lang_is_rtl(lang) ? 1u : 0u);
}

int
text_cache_create(SDL_Renderer *r, const char *font_dir, text_cache **out, tl_error *err)
{
	*out = NULL;
	if (!TTF_WasInit() && TTF_Init() != 0)
		return tl_err(err, TL_E_IO, "cannot start the font library: %s", TTF_GetError());
	text_cache *tc = calloc(1, sizeof *tc);
	if (!tc)
		return tl_err_nomem(err);
	tc->renderer = r;
	if (text_shape_open(&tc->fonts, font_dir, err) != 0) {
		free(tc);
		return -1;
	}
	*out = tc;
	return 0;
}

bool
text_cache_shapes(const text_cache *tc)
{
	return tc && tc->fonts.harfbuzz;
}

static void
forget_sizes(text_cache *tc)
{
	for (size_t i = 0; i < FIT_SLOTS; i++) {
		free(tc->fit[i].text);
		tc->fit[i].text = NULL;
	}
	tc->n_fit = 0;
	for (size_t i = 0; i < MEASURE_SLOTS; i++) {
		free(tc->meas[i].text);
		tc->meas[i].text = NULL;
	}
	tc->n_meas = 0;
}

static void
forget_textures(text_cache *tc)
{
	for (size_t i = 0; i < TEX_SLOTS; i++) {
		if (tc->tex[i].text) {
			free(tc->tex[i].text);
			if (tc->tex[i].tex)
				SDL_DestroyTexture(tc->tex[i].tex);
		}
	}
	memset(tc->tex, 0, sizeof tc->tex);
	tc->n_tex = 0;
}

void
text_cache_destroy(text_cache *tc)
{
	if (!tc)
		return;
	forget_textures(tc);
	forget_sizes(tc);
	text_shape_close(&tc->fonts);
	text_shape_scratch_free();
	free(tc);
}

/* ---- sizes ---------------------------------------------------------------- */

bool
text_measure(text_cache *tc, const char *s, const char *lang, enum font_face face,
             int px, int max_w, int *w, int *h)
{
	uint64_t lk = lang_key(tc, lang);
	uint64_t k = hash_int(hash_int(hash_int(hash_str(1469598103934665603ull, s), face), px), max_w);
	k = hash_int(k, (int)lk);
	size_t slot = k % MEASURE_SLOTS;
	for (size_t i = 0; i < MEASURE_SLOTS; i++) {
		const measure_entry *e = &tc->meas[(slot + i) % MEASURE_SLOTS];
		if (!e->text)
			break;
		if (e->key == k && e->face == (int)face && e->px == px && e->max_w == max_w &&
		    e->lang_key == lk && strcmp(e->text, s) == 0) {
			*w = e->w;
			*h = e->h;
			return e->fits;
		}
	}
	bool fits = text_shape_measure(&tc->fonts, s, lang, face, px, max_w, w, h);
	if (tc->n_meas >= MEASURE_SLOTS / 2) {
		for (size_t i = 0; i < MEASURE_SLOTS; i++) {
			free(tc->meas[i].text);
			tc->meas[i].text = NULL;
		}
		tc->n_meas = 0;
	}
	for (size_t i = 0; i < MEASURE_SLOTS; i++) {
		measure_entry *e = &tc->meas[(slot + i) % MEASURE_SLOTS];
		if (e->text)
			continue;
		e->text = strdup(s);
		if (!e->text)
			break;  /* not kept: measured again next time */
		e->key = k;
		e->face = (int)face;
		e->px = px;
		e->max_w = max_w;
		e->lang_key = lk;
		e->w = *w;
		e->h = *h;
		e->fits = fits;
		tc->n_meas++;
		break;
	}
	return fits;
}

static bool
fits_at(text_cache *tc, const char *s, const char *lang, enum font_face face, int px,
        int max_w, int max_h)
{
	int w, h;
	return text_shape_measure(&tc->fonts, s, lang, face, px, max_w, &w, &h) && h <= max_h;
}

/*
 * The largest px in [min_px, max_px] at which s fits; min_px when none
 * does. Fitting is monotone in px, so any search finds the same size; this
 * one probes few sizes, because each new size costs FreeType a fresh load
 * (and hinting) of every glyph, which made fitting the welcome screen's
 * texts by halves (six sizes each) the biggest cost of the first frame.
 * First max_px (most texts fit there), then the same text on one line at
 * that size (its glyphs are loaded already): scaled down, its width and
 * height say about where it fits; that guess and the size above it are
 * probed, then from there by doubling steps and halves if the guess
 * was off.
 */
static int
fit_search(text_cache *tc, const char *s, const char *lang, enum font_face face,
           int min_px, int max_px, int max_w, int max_h)
{
	if (min_px >= max_px || max_w <= 0)
		return min_px;
	if (fits_at(tc, s, lang, face, max_px, max_w, max_h))
		return max_px;
	int good = min_px - 1, bad = max_px;   /* good fits (or is below the range), bad does not */
	int lw = 0, lh = 0;
	text_shape_measure(&tc->fonts, s, lang, face, max_px, INT_MAX, &lw, &lh);
	int guess = min_px;
	for (int px = max_px - 1; lw > 0 && lh > 0 && px > min_px; px--) {
		/* at px: the line's width and height scale with px, its lines
		 * needed are at least its width over the box's */
		double scale = (double)px / max_px;
		double lines = ceil(lw * scale / max_w);
		if (lines * lh * scale <= max_h) {
			guess = px;
			break;
		}
	}
	/* The size above the guess first, so the last probe (and the font's
	 * glyphs left loaded) is usually the size the text is drawn at. */
	bool up = false;
	for (int px = guess + 1; px >= guess; px--) {
		if (px <= good || px >= bad)
			continue;
		if (fits_at(tc, s, lang, face, px, max_w, max_h)) {
			good = px;
			up = true;
		} else {
			bad = px;
			up = false;
		}
	}
	for (int step = 1; bad - good > 1; step *= 2) {
		int px = up ? good + step : bad - step;
		if (px >= bad || px <= good || px < min_px)
			break;
		bool f = fits_at(tc, s, lang, face, px, max_w, max_h);
		if (f)
			good = px;
		else
			bad = px;
		if (f != up)
			break;   /* the answer is between good and bad now */
	}
	while (bad - good > 1) {
		int mid = good + (bad - good) / 2;
		if (fits_at(tc, s, lang, face, mid, max_w, max_h))
			good = mid;
		else
			bad = mid;
	}
	return good >= min_px ? good : min_px;
}

int
text_fit(text_cache *tc, const char *s, const char *lang, enum font_face face,
         int min_px, int max_px, int max_w, int max_h)
{
	uint64_t lk = lang_key(tc, lang);
	uint64_t k = hash_str(1469598103934665603ull, s);
	k = hash_int(hash_int(hash_int(hash_int(hash_int(k, face), min_px), max_px), max_w), max_h);
	k = hash_int(k, (int)lk);
	size_t slot = k % FIT_SLOTS;
	for (size_t i = 0; i < FIT_SLOTS; i++) {
		fit_entry *e = &tc->fit[(slot + i) % FIT_SLOTS];
		if (!e->text)
			break;
		if (e->key == k && e->face == (int)face && e->min_px == min_px &&
		    e->max_px == max_px && e->max_w == max_w && e->max_h == max_h &&
		    e->lang_key == lk && strcmp(e->text, s) == 0)
			return e->px;
	}
	int best = fit_search(tc, s, lang, face, min_px, max_px, max_w, max_h);
	if (tc->n_fit >= FIT_SLOTS / 2) {
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
		e->lang_key = lk;
		e->px = best;
		tc->n_fit++;
		break;
	}
	return best;
}

/* ---- textures -------------------------------------------------------------- */

static uint64_t
tex_key(const char *s, uint64_t lk, enum font_face face, int px, int max_w, int max_h,
        enum text_align align, ui_color c)
{
	uint64_t k = hash_str(1469598103934665603ull, s);
	k = hash_int(k, (int)lk);
	k = hash_int(hash_int(hash_int(hash_int(hash_int(k, face), px), max_w), max_h), align);
	return hash_int(k, (int)((unsigned)c.r << 24 | (unsigned)c.g << 16 | (unsigned)c.b << 8 | c.a));
}

/* The entry for this texture, or NULL with *free_slot at the first empty
 * slot of its probe (NULL when the table is full). */
static tex_entry *
tex_find(text_cache *tc, const char *s, const char *lang, enum font_face face, int px,
         int max_w, int max_h, enum text_align align, ui_color c, tex_entry **free_slot)
{
	uint64_t lk = lang_key(tc, lang);
	uint64_t k = tex_key(s, lk, face, px, max_w, max_h, align, c);
	size_t slot = k % TEX_SLOTS;
	if (free_slot)
		*free_slot = NULL;
	for (size_t i = 0; i < TEX_SLOTS; i++) {
		tex_entry *e = &tc->tex[(slot + i) % TEX_SLOTS];
		if (!e->text) {
			if (free_slot)
				*free_slot = e;
			return NULL;
		}
		if (e->key == k && e->face == (int)face && e->px == px &&
		    e->max_w == max_w && e->max_h == max_h && e->align == (int)align &&
		    e->lang_key == lk && memcmp(&e->color, &c, sizeof c) == 0 &&
		    strcmp(e->text, s) == 0) {
			e->used = true;
			return e;
		}
	}
	return NULL;
}

int
text_prepare(text_cache *tc, const char *s, const char *lang, enum font_face face,
             int px, int max_w, int max_h, enum text_align align, ui_color c)
{
	tex_entry *slot;
	if (tex_find(tc, s, lang, face, px, max_w, max_h, align, c, &slot))
		return 0;
	if (!slot)
		return -1;
	tc->renders++;
	SDL_Surface *surf = text_shape_render(&tc->fonts, s, lang, face, px, max_w, max_h, align, c);
	if (!surf)
		return -1;
	SDL_Texture *tex = SDL_CreateTextureFromSurface(tc->renderer, surf);
	int sw = surf->w, sh = surf->h;
	SDL_FreeSurface(surf);
	if (!tex)
		return -1;
	SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
	slot->text = strdup(s);
	if (!slot->text) {
		SDL_DestroyTexture(tex);
		return -1;
	}
	slot->key = tex_key(s, lang_key(tc, lang), face, px, max_w, max_h, align, c);
	slot->face = (int)face;
	slot->px = px;
	slot->max_w = max_w;
	slot->max_h = max_h;
	slot->align = (int)align;
	slot->color = c;
	slot->lang_key = lang_key(tc, lang);
	slot->tex = tex;
	slot->w = sw;
	slot->h = sh;
	slot->used = true;
	tc->n_tex++;
	return 0;
}

SDL_Texture *
text_lookup(text_cache *tc, const char *s, const char *lang, enum font_face face,
            int px, int max_w, int max_h, enum text_align align, ui_color c, int *w, int *h)
{
	tex_entry *e = tex_find(tc, s, lang, face, px, max_w, max_h, align, c, NULL);
	if (!e) {
		tc->misses++;
		return NULL;
	}
	*w = e->w;
	*h = e->h;
	return e->tex;
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

/* SDL 2's Direct3D renderers free every texture's device data when the
 * device is lost (D3D11_ReleaseAll) but keep the SDL_Texture, whose
 * DestroyTexture then finds nothing to release: destroying it is safe,
 * and is what SDL_events.h asks ("all textures need to be recreated"). */
void
text_cache_reset(text_cache *tc)
{
	forget_textures(tc);
	tc->resets++;
}

void
text_set_dyslexic(text_cache *tc, bool on)
{
	if (tc->fonts.dyslexic == on)
		return;
	tc->fonts.dyslexic = on;
	/* Every cached size was measured with the other family (textures are
	 * keyed by it and age out by trimming). */
	forget_sizes(tc);
}

void
text_cache_stats(const text_cache *tc, text_stats *out)
{
	out->renders = tc->renders;
	out->misses = tc->misses;
	out->shapes = tc->fonts.shapes;
	out->resets = tc->resets;
	out->textures = tc->n_tex;
}
