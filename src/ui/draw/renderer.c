/*
 * renderer: which SDL renderer draws the kiosk.
 *
 * A machine with no GPU still has OpenGL, through Mesa's software
 * rasterisers (llvmpipe, softpipe, swrast). Drawing through them costs
 * about 170 ms of start-up and 68 MiB of memory more than SDL's own
 * software renderer, for a screen of flat cards and text that the latter
 * draws as fast. So `auto` asks for SDL's software renderer without
 * loading OpenGL at all when the machine has no DRM render node (no GPU
 * driver) or LIBGL_ALWAYS_SOFTWARE / GALLIUM_DRIVER ask for software;
 * otherwise it opens the GPU renderer and keeps it only when its
 * GL_RENDERER is not a software rasteriser (Xvfb on a machine with a GPU,
 * a virtual GPU with no 3D). SDL_RENDER_DRIVER, when set, is obeyed as SDL
 * does. A GPU renderer that cannot be had falls back to software.
 *
 * X11 and the dummy driver hand a software-drawn frame straight to the
 * window (the shared-memory framebuffer): SDL_HINT_FRAMEBUFFER_ACCELERATION
 * is turned off there, or SDL would load OpenGL to show it. SDL 2's Wayland
 * and KMSDRM drivers have no such framebuffer: their software renderer
 * shows its pixels through an OpenGL ES texture, so that hint must stay on
 * (off, SDL cannot make the software renderer at all on Wayland).
 */
#include "draw/renderer.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool
renderer_gl_is_software(const char *gl_renderer)
{
	static const char *const soft[] = { "llvmpipe", "softpipe", "swrast", "software rasterizer" };
	if (!gl_renderer)
		return false;
	for (size_t i = 0; i < sizeof soft / sizeof soft[0]; i++)
		if (SDL_strcasestr(gl_renderer, soft[i]))
			return true;
	return false;
}

bool
renderer_have_render_node(const char *dri_dir)
{
	DIR *d = opendir(dri_dir ? dri_dir : "/dev/dri");
	if (!d)
		return false;
	bool found = false;
	struct dirent *e;
	while (!found && (e = readdir(d)))
		found = strncmp(e->d_name, "renderD", 7) == 0;
	closedir(d);
	return found;
}

/* Environment that makes Mesa's OpenGL a software one by itself. */
static bool
env_asks_software(void)
{
	const char *always = getenv("LIBGL_ALWAYS_SOFTWARE");
	if (always && *always && strcmp(always, "0") != 0)
		return true;
	const char *gallium = getenv("GALLIUM_DRIVER");
	return gallium && renderer_gl_is_software(gallium);
}

static const char *
gl_renderer_of(SDL_Renderer *r)
{
	SDL_RendererInfo info;
	if (SDL_GetRendererInfo(r, &info) != 0 || strncmp(info.name, "opengl", 6) != 0)
		return NULL;
	typedef const unsigned char *(*get_string_fn)(unsigned int);
	get_string_fn get_string = (get_string_fn)(uintptr_t)SDL_GL_GetProcAddress("glGetString");
	return get_string ? (const char *)get_string(0x1F01 /* GL_RENDERER */) : NULL;
}

static SDL_Renderer *
open_software(SDL_Window *win)
{
	const char *drv = SDL_GetCurrentVideoDriver();
	bool has_framebuffer = !drv || (strcmp(drv, "wayland") != 0 && strcmp(drv, "kmsdrm") != 0);
	SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, has_framebuffer ? "0" : "1");
	return SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE);
}

SDL_Renderer *
renderer_open(SDL_Window *win, enum config_renderer want, char *why, size_t why_len)
{
	const char *forced = SDL_GetHint(SDL_HINT_RENDER_DRIVER);
	if (forced && *forced) {
		snprintf(why, why_len, "drawing with SDL's %s renderer (SDL_RENDER_DRIVER)", forced);
		return strcmp(forced, "software") == 0 ? open_software(win) : SDL_CreateRenderer(win, -1, 0);
	}
	if (want == RENDERER_SOFTWARE) {
		snprintf(why, why_len, "drawing with SDL's software renderer (renderer: software)");
		return open_software(win);
	}
	if (want == RENDERER_AUTO && env_asks_software()) {
		snprintf(why, why_len, "drawing with SDL's software renderer (auto: the environment "
		         "asks for software OpenGL)");
		return open_software(win);
	}
	if (want == RENDERER_AUTO && !renderer_have_render_node(NULL)) {
		snprintf(why, why_len, "drawing with SDL's software renderer (auto: no GPU, "
		         "no /dev/dri/renderD*)");
		return open_software(win);
	}
	SDL_Renderer *r = SDL_CreateRenderer(win, -1, SDL_RENDERER_ACCELERATED);
	if (!r) {
		snprintf(why, why_len, "drawing with SDL's software renderer (no GPU renderer: %s)",
		         SDL_GetError());
		return open_software(win);
	}
	const char *gl = gl_renderer_of(r);
	if (want == RENDERER_AUTO && renderer_gl_is_software(gl)) {
		snprintf(why, why_len, "drawing with SDL's software renderer (auto: OpenGL is %.60s)", gl);
		SDL_DestroyRenderer(r);
		return open_software(win);
	}
	SDL_RendererInfo info;
	SDL_GetRendererInfo(r, &info);
	snprintf(why, why_len, "drawing with SDL's %s renderer (%s%.60s%s)", info.name,
	         want == RENDERER_GPU ? "renderer: gpu" : "auto: a GPU", gl ? ", " : "", gl ? gl : "");
	return r;
}
