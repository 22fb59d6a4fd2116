/*
 * bare_sdl: the yardstick for Tellus's start-up. A bare SDL2 program that
 * draws a screen comparable to Tellus's welcome screen (page colour, a
 * title in Andika Bold, a big rounded Start button with its symbol and
 * word, a small Language button with its symbol) in a fullscreen window,
 * as Tellus's kiosk mode does, then waits for events without a busy loop
 * until it is told to quit (SIGTERM or SDL_QUIT).
 *
 * --renderer software|gpu picks the same renderer Tellus would
 * (software: SDL's software renderer, straight into the X framebuffer, or
 * under Wayland through an OpenGL ES texture as SDL 2 must; gpu: SDL's
 * first accelerated renderer). DATA names the folder holding
 * fonts/ and assets/ (Tellus's data folder).
 * Usage: bare_sdl [--renderer software|gpu] DATA
 */
#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static SDL_Texture *
text(SDL_Renderer *r, TTF_Font *f, const char *s, SDL_Color c, int *w, int *h)
{
	SDL_Surface *surf = TTF_RenderUTF8_Blended(f, s, c);
	SDL_Texture *t = SDL_CreateTextureFromSurface(r, surf);
	*w = surf->w;
	*h = surf->h;
	SDL_FreeSurface(surf);
	return t;
}

/* A symbol rasterised at the size it is drawn, as Tellus does. */
static SDL_Texture *
svg(SDL_Renderer *r, const char *data, const char *name, int size)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/assets/symbols/%s.svg", data, name);
	SDL_RWops *rw = SDL_RWFromFile(path, "rb");
	SDL_Surface *s = rw ? IMG_LoadSizedSVG_RW(rw, size, size) : NULL;
	if (rw)
		SDL_RWclose(rw);
	SDL_Texture *t = s ? SDL_CreateTextureFromSurface(r, s) : NULL;
	SDL_FreeSurface(s);
	return t;
}

static void
fill_round(SDL_Renderer *r, SDL_Rect b, int rad)
{
	SDL_Rect mid = { b.x, b.y + rad, b.w, b.h - 2 * rad };
	SDL_RenderFillRect(r, &mid);
	for (int y = 0; y < rad; y++) {
		int dy = rad - y, dx = 0;
		while ((dx + 1) * (dx + 1) + dy * dy <= rad * rad)
			dx++;
		SDL_RenderDrawLine(r, b.x + rad - dx, b.y + y, b.x + b.w - 1 - rad + dx, b.y + y);
		SDL_RenderDrawLine(r, b.x + rad - dx, b.y + b.h - 1 - y, b.x + b.w - 1 - rad + dx,
		                   b.y + b.h - 1 - y);
	}
}

/* The screen at the renderer's size, presented. */
static int
draw(SDL_Renderer *r, const char *data, TTF_Font *bold, TTF_Font *regular)
{
	int w, h;
	SDL_GetRendererOutputSize(r, &w, &h);
	SDL_Rect button = { w / 5, h * 2 / 5, w * 3 / 5, h * 2 / 5 };
	int sym = button.h * 2 / 3;
	SDL_Texture *start = svg(r, data, "start", sym);
	SDL_Texture *lang = svg(r, data, "language", 64);
	if (!start || !lang) {
		SDL_DestroyTexture(start);
		SDL_DestroyTexture(lang);
		return -1;
	}
	int tw, th, sw, sh, lw, lh;
	SDL_Texture *title = text(r, bold, "How was today?", (SDL_Color){ 0x1B, 0x1F, 0x2A, 255 }, &tw, &th);
	SDL_Texture *word = text(r, bold, "Start", (SDL_Color){ 255, 255, 255, 255 }, &sw, &sh);
	SDL_Texture *lword = text(r, regular, "Language", (SDL_Color){ 0x1B, 0x1F, 0x2A, 255 }, &lw, &lh);

	SDL_SetRenderDrawColor(r, 0xFB, 0xF7, 0xEE, 255);
	SDL_RenderClear(r);
	SDL_RenderCopy(r, title, NULL, &(SDL_Rect){ (w - tw) / 2, h / 8, tw, th });
	SDL_SetRenderDrawColor(r, 0x16, 0x4B, 0x8C, 255);
	fill_round(r, button, 32);
	SDL_RenderCopy(r, start, NULL, &(SDL_Rect){ button.x + 48, button.y + (button.h - sym) / 2, sym, sym });
	SDL_RenderCopy(r, word, NULL, &(SDL_Rect){ button.x + 96 + sym, button.y + (button.h - sh) / 2, sw, sh });
	SDL_Rect lb = { 24, h - 24 - 88, 320, 88 };
	SDL_SetRenderDrawColor(r, 255, 255, 255, 255);
	fill_round(r, lb, 8);
	SDL_RenderCopy(r, lang, NULL, &(SDL_Rect){ lb.x + 12, lb.y + 12, 64, 64 });
	SDL_RenderCopy(r, lword, NULL, &(SDL_Rect){ lb.x + 88, lb.y + (lb.h - lh) / 2, lw, lh });
	SDL_RenderPresent(r);
	SDL_DestroyTexture(lword);
	SDL_DestroyTexture(word);
	SDL_DestroyTexture(title);
	SDL_DestroyTexture(lang);
	SDL_DestroyTexture(start);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *renderer = "software", *data = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--renderer") && i + 1 < argc)
			renderer = argv[++i];
		else
			data = argv[i];
	}
	if (!data) {
		fprintf(stderr, "usage: bare_sdl [--renderer software|gpu] DATA\n");
		return 2;
	}
	bool soft = strcmp(renderer, "software") == 0;
	/* As Tellus's kiosk mode: under Wayland, xdg-shell without libdecor. */
	SDL_SetHint(SDL_HINT_VIDEO_WAYLAND_ALLOW_LIBDECOR, "0");
	if (SDL_Init(SDL_INIT_VIDEO) != 0 || TTF_Init() != 0) {
		fprintf(stderr, "bare_sdl: %s\n", SDL_GetError());
		return 1;
	}
	/* As Tellus's renderer_open: X11 takes a software frame straight into
	 * the window; SDL 2's Wayland and KMSDRM drivers only through an
	 * OpenGL ES texture, so the hint stays on there. */
	const char *drv = SDL_GetCurrentVideoDriver();
	if (soft && drv && strcmp(drv, "wayland") != 0 && strcmp(drv, "kmsdrm") != 0)
		SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	SDL_Window *win = SDL_CreateWindow("bare", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
	                                   1280, 800, SDL_WINDOW_SHOWN | SDL_WINDOW_FULLSCREEN_DESKTOP);
	SDL_Renderer *r = win ? SDL_CreateRenderer(win, -1, soft ? SDL_RENDERER_SOFTWARE
	                                                        : SDL_RENDERER_ACCELERATED) : NULL;
	if (!r) {
		fprintf(stderr, "bare_sdl: %s\n", SDL_GetError());
		return 1;
	}
	char path[1024];
	snprintf(path, sizeof path, "%s/fonts/andika/Andika-Bold.ttf", data);
	TTF_Font *bold = TTF_OpenFont(path, 120);
	snprintf(path, sizeof path, "%s/fonts/andika/Andika-Regular.ttf", data);
	TTF_Font *regular = TTF_OpenFont(path, 36);
	if (!bold || !regular || draw(r, data, bold, regular) != 0) {
		fprintf(stderr, "bare_sdl: cannot load the fonts or symbols under %s: %s\n", data,
		        SDL_GetError());
		return 1;
	}

	/* Under Wayland the fullscreen size comes after the window is shown:
	 * SDL says the new size at once but draws on into the first frame's
	 * 1280x800 surface until the size-changed event. So each size change
	 * is drawn again, as Tellus does (on X11 the pixels stay the same). */
	SDL_Event ev;
	while (SDL_WaitEvent(&ev)) {
		if (ev.type == SDL_QUIT)
			break;
		if (ev.type == SDL_WINDOWEVENT && ev.window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
			draw(r, data, bold, regular);
		else if (ev.type == SDL_WINDOWEVENT && ev.window.event == SDL_WINDOWEVENT_EXPOSED)
			SDL_RenderPresent(r);
	}
	TTF_CloseFont(regular);
	TTF_CloseFont(bold);
	SDL_DestroyRenderer(r);
	SDL_DestroyWindow(win);
	TTF_Quit();
	SDL_Quit();
	return 0;
}
