/*
 * canvas: the page a draw question is drawn on. A fixed 800 x 600 picture
 * in memory (white paper, RGBA), drawn on with round brushes and stamps,
 * shown through one streaming texture, and written out as PNG by
 * SDL_image for the answer.
 *
 * The app's canvas starts zeroed and holds nothing (no pixels, no
 * texture) until a draw question opens it (canvas_open: the pixels and the
 * texture, made once, the whole page sent); as lines are drawn only the
 * rectangle they changed goes to the texture (canvas_upload, when the
 * screen is built, never in the render call); canvas_close gives both
 * back when the page is no longer wanted. After a render reset the
 * texture is filled again (canvas_reset), made anew when the device went.
 * The canvas remembers whose it is (the session and question), so a new
 * person or another question starts on a clean page, and Back finds the
 * drawing as it was left. Nothing here allocates after canvas_open but
 * the PNG.
 */
#ifndef TELLUS_CANVAS_H
#define TELLUS_CANVAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <SDL.h>

#define CANVAS_W 800
#define CANVAS_H 600
#define CANVAS_CELLS 9   /* the 3 x 3 places a stamp goes, for switches and keys */

typedef struct draw_canvas {
	uint32_t *px;          /* CANVAS_W * CANVAS_H, SDL_PIXELFORMAT_RGBA32; NULL: closed */
	bool inked;            /* drawn on since it was last cleared (it may
	                        * have been rubbed out since: canvas_blank) */
	char owner[64];        /* "session:question" it belongs to, "" none */
	int colour;            /* the swatch in use (ui.h's UI_DRAW_*) */
	int stamps[CANVAS_CELLS];   /* stamps put in each place so far */
	int stamp_grid;        /* the places' shape they were put in (app_draw.c) */
	/* a finger or the mouse drawing now */
	bool stroke;
	int64_t ptr;
	int64_t last_ms;       /* when it last went down or moved */
	int last_x, last_y;    /* canvas pixels */
	/* the renderer's copy, and what of the page it has not had yet
	 * (x0 >= x1: nothing) */
	SDL_Texture *tex;
	int dirty_x0, dirty_y0, dirty_x1, dirty_y1;
	/* for tests: textures made, and pixels sent to them, since the app began */
	uint64_t n_textures, n_uploaded;
} draw_canvas;

/* The page's pixels (a clean page) and its texture on r, unless it has
 * them already. 0, or -1 with SDL's error (the page then draws nothing,
 * and a later call tries again). */
int canvas_open(draw_canvas *cv, SDL_Renderer *r);
/* Gives the pixels and the texture back; the counters stay. Accepts a
 * zeroed or closed canvas. */
void canvas_close(draw_canvas *cv);
/* The renderer was reset: the texture's pixels may be gone (device: the
 * texture itself, which is made again on r). The whole page goes again at
 * the next canvas_upload. */
void canvas_reset(draw_canvas *cv, SDL_Renderer *r, bool device);
/* A clean white page, the first colour, no stamps, no stroke. */
void canvas_clear(draw_canvas *cv);
/* Nothing but white paper: never drawn on, or all of it rubbed out. */
bool canvas_blank(const draw_canvas *cv);
/* The colour of swatch k (ui.h: UI_DRAW_COLOURS of them, then the rubber's
 * white), as RGBA bytes. */
void canvas_colour_rgb(int k, uint8_t rgb[3]);
/* A round brush of radius r (canvas pixels) from (x0, y0) to (x1, y1) in
 * colour k: the current colour's, the rubber's white. */
void canvas_line(draw_canvas *cv, int x0, int y0, int x1, int y1, int r, int k);
/* Sends what changed since the last call (one rectangle) to the texture. */
void canvas_upload(draw_canvas *cv);
/* The texture, as uploaded; NULL when closed. Borrowed. */
SDL_Texture *canvas_texture(const draw_canvas *cv);
/* The picture as PNG (SDL_image's IMG_SavePNG_RW into memory); caller frees
 * *png with SDL_free. 0, or -1 with SDL's error. */
int canvas_png(const draw_canvas *cv, void **png, size_t *len);

#endif
