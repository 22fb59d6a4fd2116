/*
 * image: the symbol and picture cache. It owns every image texture. SVG
 * symbols are rasterised at the size they are shown, so they are crisp at
 * any resolution; PNG and JPG pictures are loaded once and scaled.
 */
#ifndef TELLUS_IMAGE_H
#define TELLUS_IMAGE_H

#include <SDL.h>

typedef struct image_cache image_cache;

image_cache *image_cache_create(SDL_Renderer *r);
void image_cache_destroy(image_cache *ic);
/* A texture for path to be drawn in a w x h box (aspect kept): *tw, *th is
 * the size to draw it. Borrowed until image_cache_trim drops it. NULL when
 * the file cannot be read (the caller draws nothing; checks catch this
 * before a flow goes live). */
SDL_Texture *image_get(image_cache *ic, const char *path, int w, int h,
                       int *tw, int *th);
/* Frees textures not used since the last trim. */
void image_cache_trim(image_cache *ic);

#endif
