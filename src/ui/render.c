/*
 * render: draw lists to pixels.
 *
 * Rounded shapes are triangle fans and strips through SDL_RenderGeometry,
 * which every SDL renderer has, the software one included. Vertex storage
 * is a fixed static buffer, so drawing a frame allocates nothing.
 */
#include "render.h"

#include <math.h>

#define ARC_SEGS 10
#define RING_PTS (4 * (ARC_SEGS + 1))
#define DISC_SEGS 48

static SDL_Vertex verts[6 * (RING_PTS + DISC_SEGS) + 16];

static SDL_Color
sdl_color(ui_color c)
{
	return (SDL_Color){ c.r, c.g, c.b, c.a };
}

/* The outline of a rounded rectangle as points going round. */
static int
rounded_points(float x, float y, float w, float h, float rad, SDL_FPoint *pts)
{
	if (rad > w / 2)
		rad = w / 2;
	if (rad > h / 2)
		rad = h / 2;
	if (rad < 0)
		rad = 0;
	const float cx[4] = { x + w - rad, x + w - rad, x + rad, x + rad };
	const float cy[4] = { y + rad, y + h - rad, y + h - rad, y + rad };
	const float start[4] = { -90.0f, 0.0f, 90.0f, 180.0f };
	int n = 0;
	for (int c = 0; c < 4; c++) {
		for (int i = 0; i <= ARC_SEGS; i++) {
			float a = (start[c] + 90.0f * (float)i / ARC_SEGS) * (float)M_PI / 180.0f;
			pts[n].x = cx[c] + rad * cosf(a);
			pts[n].y = cy[c] + rad * sinf(a);
			n++;
		}
	}
	return n;
}

static void
fill_rounded(SDL_Renderer *r, ui_rect rc, ui_color c, int radius)
{
	if (radius <= 0) {
		SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
		SDL_RenderFillRect(r, &(SDL_Rect){ rc.x, rc.y, rc.w, rc.h });
		return;
	}
	SDL_FPoint pts[RING_PTS];
	int n = rounded_points((float)rc.x, (float)rc.y, (float)rc.w, (float)rc.h, (float)radius, pts);
	SDL_Color col = sdl_color(c);
	SDL_FPoint mid = { rc.x + rc.w / 2.0f, rc.y + rc.h / 2.0f };
	int v = 0;
	for (int i = 0; i < n; i++) {
		SDL_FPoint a = pts[i], b = pts[(i + 1) % n];
		verts[v++] = (SDL_Vertex){ mid, col, { 0, 0 } };
		verts[v++] = (SDL_Vertex){ a, col, { 0, 0 } };
		verts[v++] = (SDL_Vertex){ b, col, { 0, 0 } };
	}
	SDL_RenderGeometry(r, NULL, verts, v, NULL, 0);
}

static void
outline_rounded(SDL_Renderer *r, ui_rect rc, ui_color c, int radius, int t)
{
	SDL_FPoint outer[RING_PTS], inner[RING_PTS];
	int n = rounded_points((float)rc.x, (float)rc.y, (float)rc.w, (float)rc.h, (float)radius, outer);
	rounded_points((float)(rc.x + t), (float)(rc.y + t), (float)(rc.w - 2 * t),
	               (float)(rc.h - 2 * t), (float)(radius > t ? radius - t : 0), inner);
	SDL_Color col = sdl_color(c);
	int v = 0;
	for (int i = 0; i < n; i++) {
		int j = (i + 1) % n;
		verts[v++] = (SDL_Vertex){ outer[i], col, { 0, 0 } };
		verts[v++] = (SDL_Vertex){ outer[j], col, { 0, 0 } };
		verts[v++] = (SDL_Vertex){ inner[i], col, { 0, 0 } };
		verts[v++] = (SDL_Vertex){ inner[i], col, { 0, 0 } };
		verts[v++] = (SDL_Vertex){ outer[j], col, { 0, 0 } };
		verts[v++] = (SDL_Vertex){ inner[j], col, { 0, 0 } };
	}
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

static void
text(SDL_Renderer *r, const draw_list *dl, const draw_cmd *c, text_cache *tc)
{
	int w, h;
	SDL_Texture *t = text_texture(tc, draw_str(dl, c->text_off), c->face, c->px,
	                              c->r.w, c->align, c->color, &w, &h);
	if (!t)
		return;
	/* Centre the block vertically; align horizontally as asked. */
	int x = c->align == ALIGN_LEFT ? c->r.x
	      : c->align == ALIGN_RIGHT ? c->r.x + c->r.w - w
	      : c->r.x + (c->r.w - w) / 2;
	int y = c->r.y + (c->r.h - h) / 2;
	SDL_RenderCopy(r, t, NULL, &(SDL_Rect){ x, y, w, h });
}

static void
image(SDL_Renderer *r, const draw_list *dl, const draw_cmd *c, image_cache *ic)
{
	int w, h;
	SDL_Texture *t = image_get(ic, draw_str(dl, c->path_off), c->r.w, c->r.h, &w, &h);
	if (!t)
		return;
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

void
render_frame(SDL_Renderer *r, const draw_list *dl, ui_color bg,
             text_cache *tc, image_cache *ic, SDL_Surface **capture)
{
	SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
	SDL_SetRenderDrawColor(r, bg.r, bg.g, bg.b, 0xFF);
	SDL_RenderClear(r);
	for (size_t i = 0; i < dl->n; i++) {
		const draw_cmd *c = &dl->cmds[i];
		switch (c->kind) {
		case DRAW_FILL: fill_rounded(r, c->r, c->color, c->radius); break;
		case DRAW_OUTLINE: outline_rounded(r, c->r, c->color, c->radius, c->thickness); break;
		case DRAW_DISC: disc(r, c->r, c->color); break;
		case DRAW_TEXT: text(r, dl, c, tc); break;
		case DRAW_IMAGE: image(r, dl, c, ic); break;
		}
	}
	if (capture)
		*capture = read_frame(r);
	SDL_RenderPresent(r);
	text_cache_trim(tc);
	image_cache_trim(ic);
}

