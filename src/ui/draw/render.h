/*
 * render: the only file that calls SDL_Render*. It makes a draw_list's
 * textures ready (when the list is built), draws it with the text and image
 * caches, presents it, and can read the frame back for screenshots and
 * golden tests.
 */
#ifndef TELLUS_RENDER_H
#define TELLUS_RENDER_H

#include <SDL.h>
#include "draw/draw.h"
#include "draw/text.h"
#include "draw/image.h"

/* Makes every texture dl needs ready: loads and rasterises its symbols and
 * pictures, rasterises its text (each only when not cached), after trimming
 * what no recent list has used. Call when a screen's draw list is built;
 * render_frame then only looks textures up. */
void render_prepare(const draw_list *dl, text_cache *tc, image_cache *ic);
/* Draws and presents; reads no file (a texture render_prepare did not make
 * is drawn as nothing and counted as a miss by its cache). When capture is
 * not NULL the frame is also read back (before presenting) into a new
 * ARGB8888 surface the caller frees with SDL_FreeSurface; *capture is NULL
 * if that failed. */
void render_frame(SDL_Renderer *r, const draw_list *dl, ui_color bg,
                  text_cache *tc, image_cache *ic, SDL_Surface **capture);
/* Draws dl as render_frame does but without the commands whose kind is in
 * skip (a mask of 1u << enum draw_kind), reads it back into a new ARGB8888
 * surface (caller frees with SDL_FreeSurface; NULL if that failed) and
 * presents nothing: the contrast test measures what lies behind the words
 * this way. */
SDL_Surface *render_read_without(SDL_Renderer *r, const draw_list *dl, ui_color bg,
                                 text_cache *tc, image_cache *ic, unsigned skip);

#endif
