/*
 * render: the only file that calls SDL_Render*. It draws a draw_list with
 * the text and image caches, presents it, and can read the frame back for
 * screenshots and golden tests.
 */
#ifndef TELLUS_RENDER_H
#define TELLUS_RENDER_H

#include <SDL.h>
#include "draw/draw.h"
#include "draw/text.h"
#include "draw/image.h"

/* Draws and presents. When capture is not NULL the frame is also read back
 * (before presenting) into a new ARGB8888 surface the caller frees with
 * SDL_FreeSurface; *capture is NULL if that failed. */
void render_frame(SDL_Renderer *r, const draw_list *dl, ui_color bg,
                  text_cache *tc, image_cache *ic, SDL_Surface **capture);

#endif
