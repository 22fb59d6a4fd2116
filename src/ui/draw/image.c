/*
 * image: symbols and pictures.
 *
 * SVGs go through SDL_image's nanosvg at the target size (IMG_LoadSizedSVG_RW)
 * so a 72-unit OpenMoji is sharp on a 4K panel. Raster pictures are loaded
 * at their own size and scaled by the renderer. A failed load is remembered
 * so a missing file is not retried every frame. Only image_prepare loads;
 * image_lookup is what the render call uses, and a miss there is counted
 * (the frame path must never read the disk).
 */
#include "draw/image.h"

#include <SDL_image.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define IMG_SLOTS 128

typedef struct img_entry {
	char *path;
	int w, h;          /* requested box (SVG) or 0,0 (raster) */
	SDL_Texture *tex;  /* NULL: load failed */
	int tw, th;        /* texture size */
	bool flip;         /* mirrored left to right */
	bool used;
} img_entry;

struct image_cache {
	SDL_Renderer *renderer;
	img_entry e[IMG_SLOTS];
	uint64_t loads, misses, resets;
};

static bool
is_svg(const char *path)
{
	size_t n = strlen(path);
	return n > 4 && strcasecmp(path + n - 4, ".svg") == 0;
}

image_cache *
image_cache_create(SDL_Renderer *r)
{
	image_cache *ic = calloc(1, sizeof *ic);
	if (ic)
		ic->renderer = r;
	return ic;
}

static void
drop(img_entry *e)
{
	free(e->path);
	if (e->tex)
		SDL_DestroyTexture(e->tex);
	memset(e, 0, sizeof *e);
}

void
image_cache_destroy(image_cache *ic)
{
	if (!ic)
		return;
	for (int i = 0; i < IMG_SLOTS; i++)
		if (ic->e[i].path)
			drop(&ic->e[i]);
	free(ic);
}

static SDL_Surface *
load(const char *path, int w, int h)
{
	if (!is_svg(path))
		return IMG_Load(path);
	SDL_RWops *rw = SDL_RWFromFile(path, "rb");
	if (!rw)
		return NULL;
	SDL_Surface *s = IMG_LoadSizedSVG_RW(rw, w, h);
	SDL_RWclose(rw);
	return s;
}

/* The texture and the largest size keeping its aspect that fits w x h. */
static SDL_Texture *
fit_box(const img_entry *e, int w, int h, int *tw, int *th)
{
	if (!e->tex || e->tw <= 0 || e->th <= 0)
		return NULL;
	if (e->tw * h > e->th * w) {
		*tw = w;
		*th = e->th * w / e->tw;
	} else {
		*th = h;
		*tw = e->tw * h / e->th;
	}
	return e->tex;
}

/* The entry for path in a w x h box (marked used), or NULL. */
static img_entry *
find(image_cache *ic, const char *path, int w, int h, bool flip)
{
	bool svg = is_svg(path);
	int kw = svg ? w : 0, kh = svg ? h : 0;
	for (int i = 0; i < IMG_SLOTS; i++) {
		img_entry *e = &ic->e[i];
		if (e->path && e->w == kw && e->h == kh && e->flip == flip && strcmp(e->path, path) == 0) {
			e->used = true;
			return e;
		}
	}
	return NULL;
}

static img_entry *
free_slot(image_cache *ic)
{
	for (int i = 0; i < IMG_SLOTS; i++)
		if (!ic->e[i].path)
			return &ic->e[i];
	/* Full: make room by dropping what has not been used since the last
	 * trim. */
	for (int i = 0; i < IMG_SLOTS; i++)
		if (!ic->e[i].used)
			drop(&ic->e[i]);
	for (int i = 0; i < IMG_SLOTS; i++)
		if (!ic->e[i].path)
			return &ic->e[i];
	return NULL;
}

/* Mirrors s left to right in place, whatever its pixel format. The
 * renderer could flip as it copies, but the software one makes a new
 * surface for every flipped copy: once here costs nothing per frame. */
static void
mirror_surface(SDL_Surface *s)
{
	int bpp = s->format->BytesPerPixel;
	if (SDL_MUSTLOCK(s) && SDL_LockSurface(s) != 0)
		return;
	for (int y = 0; y < s->h; y++) {
		Uint8 *row = (Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch;
		for (int l = 0, r = s->w - 1; l < r; l++, r--) {
			Uint8 t[4];
			memcpy(t, row + l * bpp, (size_t)bpp);
			memcpy(row + l * bpp, row + r * bpp, (size_t)bpp);
			memcpy(row + r * bpp, t, (size_t)bpp);
		}
	}
	if (SDL_MUSTLOCK(s))
		SDL_UnlockSurface(s);
}

int
image_prepare(image_cache *ic, const char *path, int w, int h, bool flip)
{
	img_entry *e = find(ic, path, w, h, flip);
	if (e)
		return e->tex ? 0 : -1;
	img_entry *slot = free_slot(ic);
	if (!slot)
		return -1;
	slot->path = strdup(path);
	if (!slot->path)
		return -1;
	bool svg = is_svg(path);
	slot->w = svg ? w : 0;
	slot->h = svg ? h : 0;
	slot->flip = flip;
	slot->used = true;
	ic->loads++;
	SDL_Surface *s = load(path, w, h);
	if (s && flip)
		mirror_surface(s);
	if (s) {
		slot->tex = SDL_CreateTextureFromSurface(ic->renderer, s);
		slot->tw = s->w;
		slot->th = s->h;
		SDL_FreeSurface(s);
		if (slot->tex)
			SDL_SetTextureBlendMode(slot->tex, SDL_BLENDMODE_BLEND);
	}
	return slot->tex ? 0 : -1;
}

SDL_Texture *
image_lookup(image_cache *ic, const char *path, int w, int h, bool flip, int *tw, int *th)
{
	img_entry *e = find(ic, path, w, h, flip);
	if (!e) {
		ic->misses++;
		return NULL;
	}
	return fit_box(e, w, h, tw, th);
}

void
image_cache_trim(image_cache *ic)
{
	int n = 0;
	for (int i = 0; i < IMG_SLOTS; i++)
		n += ic->e[i].path != NULL;
	for (int i = 0; i < IMG_SLOTS; i++) {
		img_entry *e = &ic->e[i];
		if (e->path && !e->used && n > IMG_SLOTS / 2) {
			drop(e);
			n--;
		}
		e->used = false;
	}
}

/* Destroying a texture whose device is gone is safe in SDL 2 (text.c's
 * text_cache_reset says why). */
void
image_cache_reset(image_cache *ic)
{
	for (int i = 0; i < IMG_SLOTS; i++)
		if (ic->e[i].path)
			drop(&ic->e[i]);
	ic->resets++;
}

void
image_cache_stats(const image_cache *ic, image_stats *out)
{
	out->loads = ic->loads;
	out->misses = ic->misses;
	out->resets = ic->resets;
	out->textures = 0;
	for (int i = 0; i < IMG_SLOTS; i++)
		out->textures += ic->e[i].tex != NULL;
}
