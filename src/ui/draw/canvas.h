/*
 * canvas: the page a draw question is drawn on. A fixed 800 x 600 picture
 * in memory (white paper, RGBA), drawn on with round brushes and stamps,
 * shown through one streaming texture that is updated only when the
 * picture changed, and written out as PNG by SDL_image for the answer.
 *
 * The app owns one canvas and gives it to whichever draw question shows;
 * the canvas remembers whose it is (the session and question), so a new
 * person or another question starts on a clean page, and Back finds the
 * drawing as it was left. Nothing here allocates after canvas_init but
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
	uint32_t *px;          /* CANVAS_W * CANVAS_H, SDL_PIXELFORMAT_RGBA32 */
	uint64_t gen;          /* moves on at every change */
	bool inked;            /* drawn on since it was last cleared (it may
	                        * have been rubbed out since: canvas_blank) */
	char owner[64];        /* "session:question" it belongs to, "" none */
	int colour;            /* the swatch in use (ui.h's UI_DRAW_*) */
	int stamps[CANVAS_CELLS];   /* stamps put in each place so far */
	/* a finger or the mouse drawing now */
	bool stroke;
	int64_t ptr;
	int64_t last_ms;       /* when it last went down or moved */
	int last_x, last_y;    /* canvas pixels */
	/* the renderer's copy */
	SDL_Texture *tex;
	uint64_t tex_gen;
} draw_canvas;

/* 0, or -1 when memory ran out (the canvas is then empty and draws nothing). */
int canvas_init(draw_canvas *cv);
void canvas_finish(draw_canvas *cv);   /* accepts a zeroed canvas */
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
/* The streaming texture of the picture on r, updated if it changed; NULL
 * when it cannot be made (nothing is drawn then). Borrowed. */
SDL_Texture *canvas_texture(draw_canvas *cv, SDL_Renderer *r);
/* The picture as PNG (SDL_image's IMG_SavePNG_RW into memory); caller frees
 * *png with SDL_free. 0, or -1 with SDL's error. */
int canvas_png(const draw_canvas *cv, void **png, size_t *len);

#endif
