/*
 * image: symbols and pictures.
 *
 * SVGs go through SDL_image's nanosvg at the target size (IMG_LoadSizedSVG_RW)
 * so a 72-unit OpenMoji is sharp on a 4K panel. Raster pictures are loaded
 * at their own size and scaled by the renderer. A failed load is remembered
 * so a missing file is not retried every frame.
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
	bool used;
} img_entry;

struct image_cache {
	SDL_Renderer *renderer;
	img_entry e[IMG_SLOTS];
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

SDL_Texture *
image_get(image_cache *ic, const char *path, int w, int h, int *tw, int *th)
{
	bool svg = is_svg(path);
	int kw = svg ? w : 0, kh = svg ? h : 0;
	img_entry *slot = NULL;
	for (int i = 0; i < IMG_SLOTS; i++) {
		img_entry *e = &ic->e[i];
		if (!e->path) {
			if (!slot)
				slot = e;
			continue;
		}
		if (e->w == kw && e->h == kh && strcmp(e->path, path) == 0) {
			e->used = true;
			return fit_box(e, w, h, tw, th);
		}
	}
	if (!slot) {
		/* Full: make room by dropping what this frame has not used. */
		for (int i = 0; i < IMG_SLOTS; i++)
			if (!ic->e[i].used)
				drop(&ic->e[i]);
		for (int i = 0; i < IMG_SLOTS && !slot; i++)
			if (!ic->e[i].path)
				slot = &ic->e[i];
		if (!slot)
			return NULL;
	}
	slot->path = strdup(path);
	if (!slot->path)
		return NULL;
	slot->w = kw;
	slot->h = kh;
	slot->used = true;
	SDL_Surface *s = load(path, w, h);
	if (s) {
		slot->tex = SDL_CreateTextureFromSurface(ic->renderer, s);
		slot->tw = s->w;
		slot->th = s->h;
		SDL_FreeSurface(s);
		if (slot->tex)
			SDL_SetTextureBlendMode(slot->tex, SDL_BLENDMODE_BLEND);
	}
	return fit_box(slot, w, h, tw, th);
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
