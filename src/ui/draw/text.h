/*
 * text: fonts, line breaking, fitting and the text texture cache. It owns
 * every font and every text texture. Text is broken into lines one way
 * (text_shape.c: at spaces, greedily), so measuring and drawing always
 * agree: what was fitted is exactly what is drawn, and nothing is cut off.
 * Textures are made when a screen is built (text_prepare) and only looked
 * up when it is drawn (text_lookup).
 */
#ifndef TELLUS_TEXT_H
#define TELLUS_TEXT_H

#include <stdbool.h>
#include <stdint.h>
#include <SDL.h>
#include "draw/draw.h"
#include "base/error.h"

typedef struct text_cache text_cache;

/* Opens the fonts from font_dir (Andika...): 0 and *out (caller frees with
 * text_cache_destroy), or -1 with err filled. The renderer is borrowed for
 * the cache's life. */
int text_cache_create(SDL_Renderer *r, const char *font_dir, text_cache **out,
                      tl_error *err);
void text_cache_destroy(text_cache *tc);   /* accepts NULL */
/* false when SDL_ttf was built without HarfBuzz: Arabic, Urdu and Bengali
 * then come out unshaped. */
bool text_cache_shapes(const text_cache *tc);

/* Size of s wrapped at max_w (any length). Returns false when a single
 * word is wider than max_w at this size (the text cannot fit without
 * breaking words).
 * Results are cached. */
bool text_measure(text_cache *tc, const char *s, const char *lang,
                  enum font_face face, int px, int max_w, int *w, int *h);
/* The largest size in [min_px, max_px] at which s fits in max_w x max_h;
 * min_px when none does. Results are cached. */
int text_fit(text_cache *tc, const char *s, const char *lang, enum font_face face,
             int min_px, int max_px, int max_w, int max_h);
/* Makes the texture of s wrapped at max_w and aligned, unless it is cached:
 * call when a screen is built, never from the render call. 0, or -1 when it
 * could not be made (nothing to draw, the table full, out of memory). The
 * texture is never wider than max_w (a word too long is broken between
 * its characters) nor, with max_h > 0, taller than max_h (the lines that
 * do not fit are left out, the last shown ending in "…"), unless one
 * character or one line alone is. */
int text_prepare(text_cache *tc, const char *s, const char *lang, enum font_face face,
                 int px, int max_w, int max_h, enum text_align align, ui_color c);
/* The texture text_prepare made; never makes one. Borrowed until the next
 * text_cache_trim that finds it unused. NULL on a miss (counted). */
SDL_Texture *text_lookup(text_cache *tc, const char *s, const char *lang,
                         enum font_face face, int px, int max_w, int max_h,
                         enum text_align align, ui_color c, int *w, int *h);
/* lang (a code like "ur", may be NULL) picks the base direction and, for
 * Urdu, the Nastaliq font; the script of each run picks the rest. */
bool text_lang_is_rtl(const char *lang);
/* Latin text in OpenDyslexic instead of Andika (a theme choice). */
void text_set_dyslexic(text_cache *tc, bool on);
/* Frees textures not used since the last trim, once the table is more than
 * half full (render_prepare calls it before a draw list's textures are made
 * ready, so what the list needs is always there). */
void text_cache_trim(text_cache *tc);
/* SDL_RENDER_DEVICE_RESET: every texture went with the device. Each is
 * destroyed (SDL's object outlives its device's copy and is freed only
 * this way) and forgotten; the next text_prepare makes what a screen
 * needs again. Sizes and measures are the fonts' and stay. A targets
 * reset needs nothing here: text textures are never render targets. */
void text_cache_reset(text_cache *tc);

/* What the cache has done since it was made, for tests: texts rasterised
 * into textures, lookups that found nothing ready, texts shaped to be
 * measured (each allocates inside HarfBuzz), device resets seen; and the
 * textures it holds now. */
typedef struct text_stats { uint64_t renders, misses, shapes, resets, textures; } text_stats;
void text_cache_stats(const text_cache *tc, text_stats *out);

#endif
