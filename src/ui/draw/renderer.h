/*
 * renderer: opens the SDL renderer that draws the kiosk, as the setting
 * renderer: auto | software | gpu asks (config.h).
 */
#ifndef TELLUS_RENDERER_H
#define TELLUS_RENDERER_H

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"

/* Opens the renderer for win; NULL with SDL_GetError() when none works.
 * why receives one sentence for the log and the staff menu: which renderer
 * and, for auto, why. */
SDL_Renderer *renderer_open(SDL_Window *win, enum config_renderer want, char *why, size_t why_len);

/* true when an OpenGL GL_RENDERER string names a software rasteriser
 * (Mesa's llvmpipe, softpipe, swrast). */
bool renderer_gl_is_software(const char *gl_renderer);

/* true when the machine has a DRM render node (/dev/dri/renderD*): without
 * one there is no GPU driver, and any OpenGL would be a software one. */
bool renderer_have_render_node(const char *dri_dir);

#endif
