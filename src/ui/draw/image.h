/*
 * image: the symbol and picture cache. It owns every image texture. SVG
 * symbols are rasterised at the size they are shown, so they are crisp at
 * any resolution; PNG and JPG pictures are loaded once and scaled.
 *
 * Loading reads the disk, so it happens only in image_prepare, which runs
 * when a screen is built (render_prepare); the render call only looks
 * textures up (image_lookup) and never loads.
 */
#ifndef TELLUS_IMAGE_H
#define TELLUS_IMAGE_H

#include <stdbool.h>
#include <stdint.h>
#include <SDL.h>

typedef struct image_cache image_cache;

/* NULL when out of memory. The renderer is borrowed for the cache's life. */
image_cache *image_cache_create(SDL_Renderer *r);
void image_cache_destroy(image_cache *ic);   /* accepts NULL */
/* Loads (and for an SVG rasterises) path for a w x h box, mirrored left to
 * right when flip is set, unless it is cached. 0, or -1 when the file cannot be read (remembered: it is not
 * tried again; checks catch this before a flow goes live) or the cache is
 * full of images in use. */
int image_prepare(image_cache *ic, const char *path, int w, int h, bool flip);
/* The texture image_prepare made for path in a w x h box (aspect kept):
 * *tw, *th is the size to draw it. Never loads. Borrowed until an
 * image_cache_trim that finds it unused. NULL when the file could not be
 * read, or on a miss (not prepared: counted, and the caller draws
 * nothing). */
SDL_Texture *image_lookup(image_cache *ic, const char *path, int w, int h, bool flip,
                          int *tw, int *th);
/* Frees textures not used since the last trim, once more than half the
 * slots are taken. */
void image_cache_trim(image_cache *ic);
/* SDL_RENDER_DEVICE_RESET: every texture went with the device. Each is
 * destroyed and its entry forgotten (a file that failed is tried once
 * more); the next image_prepare loads what a screen needs again. A
 * targets reset needs nothing here: no image texture is a render target. */
void image_cache_reset(image_cache *ic);

/* What the cache has done since it was made, for tests: files read and
 * rasterised, lookups that found nothing prepared, device resets seen;
 * and the textures it holds now. */
typedef struct image_stats { uint64_t loads, misses, resets, textures; } image_stats;
void image_cache_stats(const image_cache *ic, image_stats *out);

#endif
