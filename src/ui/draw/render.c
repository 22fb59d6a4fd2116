/*
 * render: draw lists to pixels.
 *
 * Rounded shapes are triangle fans and strips through SDL_RenderGeometry,
 * which every SDL renderer has, the software one included. Vertex storage
 * is a fixed static buffer, and every texture was made ready by
 * render_prepare when the list was built, so drawing a frame reads no file,
 * shapes no text and allocates nothing.
 */
#include "draw/render.h"
#include "draw/canvas.h"

#include <math.h>

#define ARC_SEGS 10
#define DISC_SEGS 48

static SDL_Vertex verts[4 * 6 * ARC_SEGS + 3 * DISC_SEGS + 16];

static SDL_Color
sdl_color(ui_color c)
{
	return (SDL_Color){ c.r, c.g, c.b, c.a };
}

static void
set_color(SDL_Renderer *r, ui_color c)
{
	/* Opaque colours skip blending: the software renderer's plain fill is
	 * many times faster than its blended one. */
	SDL_SetRenderDrawBlendMode(r, c.a == 0xFF ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
	SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
}

static int
clamp_radius(ui_rect rc, int radius)
{
	if (radius > rc.w / 2)
		radius = rc.w / 2;
	if (radius > rc.h / 2)
		radius = rc.h / 2;
	return radius < 0 ? 0 : radius;
}

/* A quarter ring (or, with inner 0, a quarter disc) around (cx, cy),
 * starting at angle a0 degrees, as triangles. */
static int
quarter(SDL_Vertex *v, float cx, float cy, float outer, float inner, float a0, SDL_Color col)
{
	int n = 0;
	for (int i = 0; i < ARC_SEGS; i++) {
		float t0 = (a0 + 90.0f * (float)i / ARC_SEGS) * (float)M_PI / 180.0f;
		float t1 = (a0 + 90.0f * (float)(i + 1) / ARC_SEGS) * (float)M_PI / 180.0f;
		SDL_FPoint o0 = { cx + outer * cosf(t0), cy + outer * sinf(t0) };
		SDL_FPoint o1 = { cx + outer * cosf(t1), cy + outer * sinf(t1) };
		SDL_FPoint i0 = { cx + inner * cosf(t0), cy + inner * sinf(t0) };
		SDL_FPoint i1 = { cx + inner * cosf(t1), cy + inner * sinf(t1) };
		v[n++] = (SDL_Vertex){ o0, col, { 0, 0 } };
		v[n++] = (SDL_Vertex){ o1, col, { 0, 0 } };
		v[n++] = (SDL_Vertex){ i0, col, { 0, 0 } };
		if (inner > 0) {
			v[n++] = (SDL_Vertex){ i0, col, { 0, 0 } };
			v[n++] = (SDL_Vertex){ o1, col, { 0, 0 } };
			v[n++] = (SDL_Vertex){ i1, col, { 0, 0 } };
		}
	}
	return n;
}

/*
 * Rounded shapes: the straight parts are plain rectangles and only the four
 * corners go through SDL_RenderGeometry, whose software rasteriser is slow
 * per pixel; at 1920x1080 this is most of a frame's cost otherwise.
 */
static void
fill_rounded(SDL_Renderer *r, ui_rect rc, ui_color c, int radius)
{
	radius = clamp_radius(rc, radius);
	set_color(r, c);
	SDL_Rect rects[3] = {
		{ rc.x, rc.y + radius, rc.w, rc.h - 2 * radius },
		{ rc.x + radius, rc.y, rc.w - 2 * radius, radius },
		{ rc.x + radius, rc.y + rc.h - radius, rc.w - 2 * radius, radius },
	};
	SDL_RenderFillRects(r, rects, radius > 0 ? 3 : 1);
	if (radius <= 0)
		return;
	SDL_Color col = sdl_color(c);
	float rad = (float)radius;
	float l = (float)(rc.x + radius), t = (float)(rc.y + radius);
	float ri = (float)(rc.x + rc.w - radius), b = (float)(rc.y + rc.h - radius);
	int v = 0;
	v += quarter(verts + v, ri, t, rad, 0, -90.0f, col);
	v += quarter(verts + v, ri, b, rad, 0, 0.0f, col);
	v += quarter(verts + v, l, b, rad, 0, 90.0f, col);
	v += quarter(verts + v, l, t, rad, 0, 180.0f, col);
	SDL_RenderGeometry(r, NULL, verts, v, NULL, 0);
}

static void
outline_rounded(SDL_Renderer *r, ui_rect rc, ui_color c, int radius, int th)
{
	radius = clamp_radius(rc, radius);
	if (radius < th)
		radius = th;
	set_color(r, c);
	SDL_Rect rects[4] = {
		{ rc.x + radius, rc.y, rc.w - 2 * radius, th },
		{ rc.x + radius, rc.y + rc.h - th, rc.w - 2 * radius, th },
		{ rc.x, rc.y + radius, th, rc.h - 2 * radius },
		{ rc.x + rc.w - th, rc.y + radius, th, rc.h - 2 * radius },
	};
	SDL_RenderFillRects(r, rects, 4);
	SDL_Color col = sdl_color(c);
	float rad = (float)radius, in = (float)(radius - th);
	float l = (float)(rc.x + radius), t = (float)(rc.y + radius);
	float ri = (float)(rc.x + rc.w - radius), b = (float)(rc.y + rc.h - radius);
	int v = 0;
	v += quarter(verts + v, ri, t, rad, in, -90.0f, col);
	v += quarter(verts + v, ri, b, rad, in, 0.0f, col);
	v += quarter(verts + v, l, b, rad, in, 90.0f, col);
	v += quarter(verts + v, l, t, rad, in, 180.0f, col);
	SDL_RenderGeometry(r, NULL, verts, v, NULL, 0);
}

static void
disc(SDL_Renderer *r, ui_rect rc, ui_color c)
{
	SDL_Color col = sdl_color(c);
	float cx = rc.x + rc.w / 2.0f, cy = rc.y + rc.h / 2.0f, rad = rc.w / 2.0f;
	int v = 0;
	for (int i = 0; i < DISC_SEGS; i++) {
		float a0 = 2.0f * (float)M_PI * (float)i / DISC_SEGS;
		float a1 = 2.0f * (float)M_PI * (float)(i + 1) / DISC_SEGS;
		verts[v++] = (SDL_Vertex){ { cx, cy }, col, { 0, 0 } };
		verts[v++] = (SDL_Vertex){ { cx + rad * cosf(a0), cy + rad * sinf(a0) }, col, { 0, 0 } };
		verts[v++] = (SDL_Vertex){ { cx + rad * cosf(a1), cy + rad * sinf(a1) }, col, { 0, 0 } };
	}
	SDL_RenderGeometry(r, NULL, verts, v, NULL, 0);
}

/* Part of a ring, clockwise from 12 o'clock; at most DISC_SEGS pieces. */
static void
arc(SDL_Renderer *r, ui_rect rc, ui_color c, int th, int permille)
{
	SDL_Color col = sdl_color(c);
	float cx = rc.x + rc.w / 2.0f, cy = rc.y + rc.h / 2.0f, outer = rc.w / 2.0f;
	float inner = outer - (float)th;
	if (inner < 0)
		inner = 0;
	int segs = (DISC_SEGS * permille + 999) / 1000;
	float end = 2.0f * (float)M_PI * (float)permille / 1000.0f;
	int v = 0;
	for (int i = 0; i < segs; i++) {
		float a0 = -(float)M_PI / 2 + end * (float)i / (float)segs;
		float a1 = -(float)M_PI / 2 + end * (float)(i + 1) / (float)segs;
		SDL_FPoint o0 = { cx + outer * cosf(a0), cy + outer * sinf(a0) };
		SDL_FPoint o1 = { cx + outer * cosf(a1), cy + outer * sinf(a1) };
		SDL_FPoint i0 = { cx + inner * cosf(a0), cy + inner * sinf(a0) };
		SDL_FPoint i1 = { cx + inner * cosf(a1), cy + inner * sinf(a1) };
		verts[v++] = (SDL_Vertex){ o0, col, { 0, 0 } };
		verts[v++] = (SDL_Vertex){ o1, col, { 0, 0 } };
		verts[v++] = (SDL_Vertex){ i0, col, { 0, 0 } };
		verts[v++] = (SDL_Vertex){ i0, col, { 0, 0 } };
		verts[v++] = (SDL_Vertex){ o1, col, { 0, 0 } };
		verts[v++] = (SDL_Vertex){ i1, col, { 0, 0 } };
	}
	if (v > 0)
		SDL_RenderGeometry(r, NULL, verts, v, NULL, 0);
}

static void
text(SDL_Renderer *r, const draw_list *dl, const draw_cmd *c, text_cache *tc)
{
	int w, h;
	SDL_Texture *t = text_lookup(tc, draw_str(dl, c->text_off), c->lang, c->face, c->px,
	                             c->r.w, c->r.h, c->align, c->color, &w, &h);
	if (!t)
		return;
	enum text_align align = c->align;
	if (text_lang_is_rtl(c->lang))
		align = align == ALIGN_LEFT ? ALIGN_RIGHT : align == ALIGN_RIGHT ? ALIGN_LEFT : align;
	/* Centre the block vertically; align horizontally as asked. */
	int x = align == ALIGN_LEFT ? c->r.x
	      : align == ALIGN_RIGHT ? c->r.x + c->r.w - w
	      : c->r.x + (c->r.w - w) / 2;
	int y = c->r.y + (c->r.h - h) / 2;
	SDL_RenderCopy(r, t, NULL, &(SDL_Rect){ x, y, w, h });
}

static void
image(SDL_Renderer *r, const draw_list *dl, const draw_cmd *c, image_cache *ic)
{
	int w, h;
	SDL_Texture *t = image_lookup(ic, draw_str(dl, c->path_off), c->r.w, c->r.h, c->flip, &w, &h);
	if (!t)
		return;
	/* A mirrored symbol was mirrored when it was loaded. */
	SDL_RenderCopy(r, t, NULL, &(SDL_Rect){ c->r.x + (c->r.w - w) / 2, c->r.y + (c->r.h - h) / 2, w, h });
}

static SDL_Surface *
read_frame(SDL_Renderer *r)
{
	int w, h;
	if (SDL_GetRendererOutputSize(r, &w, &h) != 0)
		return NULL;
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
	if (!s)
		return NULL;
	if (SDL_RenderReadPixels(r, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch) != 0) {
		SDL_FreeSurface(s);
		return NULL;
	}
	return s;
}

/* Every command of dl whose kind is not in skip (a mask of 1u << kind),
 * on a cleared background. */
static void
draw_commands(SDL_Renderer *r, const draw_list *dl, ui_color bg, text_cache *tc,
              image_cache *ic, unsigned skip)
{
	SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_NONE);
	SDL_SetRenderDrawColor(r, bg.r, bg.g, bg.b, 0xFF);
	SDL_RenderClear(r);
	for (size_t i = 0; i < dl->n; i++) {
		const draw_cmd *c = &dl->cmds[i];
		if (skip & (1u << c->kind))
			continue;
		switch (c->kind) {
		case DRAW_FILL: fill_rounded(r, c->r, c->color, c->radius); break;
		case DRAW_OUTLINE: outline_rounded(r, c->r, c->color, c->radius, c->thickness); break;
		case DRAW_DISC: disc(r, c->r, c->color); break;
		case DRAW_TEXT: text(r, dl, c, tc); break;
		case DRAW_IMAGE: image(r, dl, c, ic); break;
		case DRAW_ARC: arc(r, c->r, c->color, c->thickness, c->radius); break;
		case DRAW_CANVAS: {
			/* the page's texture, made when the question opened and
			 * sent what changed when the list was built */
			SDL_Texture *t = canvas_texture(c->canvas);
			if (t)
				SDL_RenderCopy(r, t, NULL, &(SDL_Rect){ c->r.x, c->r.y, c->r.w, c->r.h });
			break;
		}
		}
	}
}

void
render_frame(SDL_Renderer *r, const draw_list *dl, ui_color bg,
             text_cache *tc, image_cache *ic, SDL_Surface **capture)
{
	draw_commands(r, dl, bg, tc, ic, 0);
	if (capture)
		*capture = read_frame(r);
	SDL_RenderPresent(r);
}

SDL_Surface *
render_read_without(SDL_Renderer *r, const draw_list *dl, ui_color bg, text_cache *tc,
                    image_cache *ic, unsigned skip)
{
	draw_commands(r, dl, bg, tc, ic, skip);
	return read_frame(r);
}

void
render_prepare(const draw_list *dl, text_cache *tc, image_cache *ic)
{
	/* What the last list needed is kept; what no list has needed since
	 * the trim before goes (once the caches are half full). */
	text_cache_trim(tc);
	image_cache_trim(ic);
	for (size_t i = 0; i < dl->n; i++) {
		const draw_cmd *c = &dl->cmds[i];
		if (c->kind == DRAW_TEXT)
			text_prepare(tc, draw_str(dl, c->text_off), c->lang, c->face, c->px, c->r.w,
			             c->r.h, c->align, c->color);
		else if (c->kind == DRAW_IMAGE)
			image_prepare(ic, draw_str(dl, c->path_off), c->r.w, c->r.h, c->flip);
		else if (c->kind == DRAW_CANVAS)
			canvas_upload(c->canvas);
	}
}

