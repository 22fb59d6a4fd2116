/*
 * canvas: see canvas.h. The brush is a filled disc stamped along the line
 * every half radius, which is smooth enough for a finger and cheap; the
 * PNG goes through a growing memory SDL_RWops of our own, since SDL's
 * memory RWops has a fixed size.
 */
#include "draw/canvas.h"
#include "ui.h"

#include <SDL_image.h>
#include <stdlib.h>
#include <string.h>

/* Black, red, blue, green, yellow: strong colours a child can tell apart
 * (and that stay apart for the common colour blindnesses, with the
 * words on each swatch besides); then the rubber, the paper's white. */
static const uint8_t colours[UI_DRAW_COLOURS + 1][3] = {
	{ 0x1a, 0x1a, 0x1a }, { 0xd6, 0x27, 0x28 }, { 0x1f, 0x5f, 0xc4 }, { 0x2a, 0x9d, 0x3f },
	{ 0xf2, 0xc2, 0x00 }, { 0xff, 0xff, 0xff },
};

void
canvas_colour_rgb(int k, uint8_t rgb[3])
{
	if (k < 0 || k > UI_DRAW_COLOURS)
		k = 0;
	memcpy(rgb, colours[k], 3);
}

static uint32_t
pixel_of(int k)
{
	uint8_t c[3];
	canvas_colour_rgb(k, c);
	/* RGBA32 is R, G, B, A in memory order on any machine */
	uint8_t b[4] = { c[0], c[1], c[2], 0xFF };
	uint32_t p;
	memcpy(&p, b, 4);
	return p;
}

static void
mark(draw_canvas *cv, int x0, int y0, int x1, int y1)
{
	if (cv->dirty_x0 >= cv->dirty_x1) {
		cv->dirty_x0 = x0;
		cv->dirty_y0 = y0;
		cv->dirty_x1 = x1;
		cv->dirty_y1 = y1;
		return;
	}
	if (x0 < cv->dirty_x0) cv->dirty_x0 = x0;
	if (y0 < cv->dirty_y0) cv->dirty_y0 = y0;
	if (x1 > cv->dirty_x1) cv->dirty_x1 = x1;
	if (y1 > cv->dirty_y1) cv->dirty_y1 = y1;
}

static int
make_texture(draw_canvas *cv, SDL_Renderer *r)
{
	cv->tex = SDL_CreateTexture(r, SDL_PIXELFORMAT_RGBA32, SDL_TEXTUREACCESS_STREAMING,
	                            CANVAS_W, CANVAS_H);
	if (!cv->tex)
		return -1;
	cv->n_textures++;
	mark(cv, 0, 0, CANVAS_W, CANVAS_H);
	return 0;
}

int
canvas_open(draw_canvas *cv, SDL_Renderer *r)
{
	if (!cv->px) {
		cv->px = malloc((size_t)CANVAS_W * CANVAS_H * sizeof *cv->px);
		if (!cv->px)
			return SDL_OutOfMemory();
		canvas_clear(cv);
	}
	if (!cv->tex && make_texture(cv, r) != 0) {
		canvas_close(cv);
		return -1;
	}
	return 0;
}

void
canvas_close(draw_canvas *cv)
{
	if (cv->tex)
		SDL_DestroyTexture(cv->tex);
	free(cv->px);
	uint64_t nt = cv->n_textures, nu = cv->n_uploaded;
	memset(cv, 0, sizeof *cv);
	cv->n_textures = nt;
	cv->n_uploaded = nu;
}

void
canvas_reset(draw_canvas *cv, SDL_Renderer *r, bool device)
{
	if (!cv->px)
		return;
	if (device && cv->tex) {
		/* SDL 2: after a device reset every texture is to be made again */
		SDL_DestroyTexture(cv->tex);
		cv->tex = NULL;
	}
	if (!cv->tex) {
		if (make_texture(cv, r) != 0)
			SDL_LogWarn(SDL_LOG_CATEGORY_APPLICATION, "tellus: the drawing's page could not "
			            "be shown again: %s", SDL_GetError());
		return;
	}
	mark(cv, 0, 0, CANVAS_W, CANVAS_H);
}

void
canvas_clear(draw_canvas *cv)
{
	if (cv->px) {
		uint32_t white = pixel_of(UI_DRAW_ERASER);
		for (size_t i = 0; i < (size_t)CANVAS_W * CANVAS_H; i++)
			cv->px[i] = white;
		mark(cv, 0, 0, CANVAS_W, CANVAS_H);
	}
	cv->inked = false;
	cv->colour = 0;
	memset(cv->stamps, 0, sizeof cv->stamps);
	cv->stroke = false;
}

bool
canvas_blank(const draw_canvas *cv)
{
	if (!cv->px || !cv->inked)
		return true;
	/* a whole look at the page, once, at Done: the rubber leaves no
	 * trace of where ink was, so only the pixels can say */
	uint32_t white = pixel_of(UI_DRAW_ERASER);
	for (size_t i = 0; i < (size_t)CANVAS_W * CANVAS_H; i++)
		if (cv->px[i] != white)
			return false;
	return true;
}

static void
disc(draw_canvas *cv, int cx, int cy, int r, uint32_t p)
{
	int y0 = cy - r < 0 ? 0 : cy - r, y1 = cy + r >= CANVAS_H ? CANVAS_H - 1 : cy + r;
	for (int y = y0; y <= y1; y++) {
		int dy = y - cy, span = 0;
		while ((span + 1) * (span + 1) + dy * dy <= r * r)
			span++;
		int x0 = cx - span < 0 ? 0 : cx - span, x1 = cx + span >= CANVAS_W ? CANVAS_W - 1 : cx + span;
		for (int x = x0; x <= x1; x++)
			cv->px[(size_t)y * CANVAS_W + (size_t)x] = p;
	}
	int x0 = cx - r < 0 ? 0 : cx - r, x1 = cx + r + 1 > CANVAS_W ? CANVAS_W : cx + r + 1;
	if (x0 < x1 && y0 <= y1)
		mark(cv, x0, y0, x1, y1 + 1);
}

void
canvas_line(draw_canvas *cv, int x0, int y0, int x1, int y1, int r, int k)
{
	if (!cv->px || r < 1)
		return;
	uint32_t p = pixel_of(k);
	int dx = x1 - x0, dy = y1 - y0;
	int len = abs(dx) > abs(dy) ? abs(dx) : abs(dy);
	int step = r / 2 > 0 ? r / 2 : 1;
	int n = len / step;
	for (int i = 0; i <= n; i++) {
		int x = n ? x0 + dx * i / n : x0, y = n ? y0 + dy * i / n : y0;
		disc(cv, x, y, r, p);
	}
	if (k != UI_DRAW_ERASER)
		cv->inked = true;
}

void
canvas_upload(draw_canvas *cv)
{
	if (!cv->tex || cv->dirty_x0 >= cv->dirty_x1)
		return;
	SDL_Rect rc = { cv->dirty_x0, cv->dirty_y0, cv->dirty_x1 - cv->dirty_x0,
	                cv->dirty_y1 - cv->dirty_y0 };
	const uint32_t *from = cv->px + (size_t)rc.y * CANVAS_W + (size_t)rc.x;
	if (SDL_UpdateTexture(cv->tex, &rc, from, CANVAS_W * (int)sizeof *cv->px) != 0)
		return;   /* kept: the next build tries again */
	cv->n_uploaded += (uint64_t)rc.w * (uint64_t)rc.h;
	cv->dirty_x0 = cv->dirty_x1 = 0;
}

SDL_Texture *
canvas_texture(const draw_canvas *cv)
{
	return cv->tex;
}

/* ---- PNG into memory ---------------------------------------------------- */

typedef struct membuf {
	unsigned char *p;
	size_t len, cap;
} membuf;

static size_t
mem_write(SDL_RWops *rw, const void *p, size_t size, size_t n)
{
	membuf *m = rw->hidden.unknown.data1;
	if (size && n > SIZE_MAX / size)
		return 0;
	size_t bytes = size * n;
	if (m->len + bytes > m->cap) {
		size_t cap = m->cap ? m->cap : 64 * 1024;
		while (cap < m->len + bytes)
			cap *= 2;
		unsigned char *q = SDL_realloc(m->p, cap);
		if (!q) {
			SDL_OutOfMemory();
			return 0;
		}
		m->p = q;
		m->cap = cap;
	}
	memcpy(m->p + m->len, p, bytes);
	m->len += bytes;
	return n;
}

static Sint64 mem_size(SDL_RWops *rw) { return (Sint64)((membuf *)rw->hidden.unknown.data1)->len; }
static Sint64 mem_seek(SDL_RWops *rw, Sint64 off, int whence)
{
	/* libpng only ever writes forward; say where the end is */
	(void)off;
	(void)whence;
	return mem_size(rw);
}
static int mem_close(SDL_RWops *rw) { SDL_FreeRW(rw); return 0; }

int
canvas_png(const draw_canvas *cv, void **png, size_t *len)
{
	*png = NULL;
	*len = 0;
	if (!cv->px)
		return SDL_SetError("the drawing's page could not be made");
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormatFrom(cv->px, CANVAS_W, CANVAS_H, 32,
	                                                    CANVAS_W * (int)sizeof *cv->px,
	                                                    SDL_PIXELFORMAT_RGBA32);
	if (!s)
		return -1;
	membuf m = { 0 };
	SDL_RWops *rw = SDL_AllocRW();
	if (!rw) {
		SDL_FreeSurface(s);
		return -1;
	}
	rw->type = SDL_RWOPS_UNKNOWN;
	rw->size = mem_size;
	rw->seek = mem_seek;
	rw->read = NULL;
	rw->write = mem_write;
	rw->close = mem_close;
	rw->hidden.unknown.data1 = &m;
	int rc = IMG_SavePNG_RW(s, rw, 1);
	SDL_FreeSurface(s);
	if (rc != 0) {
		SDL_free(m.p);
		return -1;
	}
	*png = m.p;
	*len = m.len;
	return 0;
}
