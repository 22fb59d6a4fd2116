/*
 * draw: the list of things a screen wants on the glass. Screens append
 * commands; render.c is the only file that turns them into SDL_Render*
 * calls. The list and its string arena are reused frame after frame, so
 * after warm-up building a frame allocates nothing.
 */
#ifndef TELLUS_DRAW_H
#define TELLUS_DRAW_H

#include <stddef.h>
#include <stdbool.h>
#include "draw/theme.h"

typedef struct ui_rect { int x, y, w, h; } ui_rect;

enum draw_kind {
	DRAW_FILL,      /* rounded rectangle, filled */
	DRAW_OUTLINE,   /* rounded rectangle outline of `thickness` */
	DRAW_DISC,      /* filled circle in rect */
	DRAW_TEXT,      /* wrapped text fitted by the screen (px, align) */
	DRAW_IMAGE,     /* a symbol or picture, fitted into rect keeping aspect */
	DRAW_ARC,       /* part of a ring in rect, clockwise from 12 o'clock:
	                   radius = how much, in thousandths; `thickness` */
	DRAW_CANVAS,    /* a draw question's page (canvas.h), scaled into rect */
};
struct draw_canvas;

enum text_align { ALIGN_CENTER = 0, ALIGN_LEFT, ALIGN_RIGHT };
enum font_face { FONT_REGULAR = 0, FONT_BOLD, FONT_COUNT };

typedef struct draw_cmd {
	enum draw_kind kind;
	ui_rect r;
	ui_color color;
	int radius;
	int thickness;
	/* text */
	size_t text_off;       /* into the list's arena */
	int px;
	enum font_face face;
	enum text_align align;
	const char *lang;      /* borrowed: flow or static strings outlive a frame */
	/* image */
	size_t path_off;
	bool flip;             /* drawn mirrored: a pointing symbol in right-to-left */
	/* canvas (borrowed: the app's, it outlives every frame) */
	struct draw_canvas *canvas;
} draw_cmd;

typedef struct draw_list {
	draw_cmd *cmds;
	size_t n, cap;
	char *arena;
	size_t arena_len, arena_cap;
	bool oom;              /* something was dropped; render what is there */
	const char *lang;      /* language of the text added next (NULL: none) */
} draw_list;

void draw_list_clear(draw_list *dl);
void draw_list_finish(draw_list *dl);
void draw_fill(draw_list *dl, ui_rect r, ui_color c, int radius);
void draw_outline(draw_list *dl, ui_rect r, ui_color c, int radius, int thickness);
void draw_disc(draw_list *dl, ui_rect r, ui_color c);
/* A ring of `thickness` in r (a square), filled clockwise from the top to
 * `permille` thousandths of the way round (dwell and hold progress). */
void draw_arc(draw_list *dl, ui_rect r, ui_color c, int thickness, int permille);
void draw_text(draw_list *dl, ui_rect r, const char *text, int px,
               enum font_face face, enum text_align align, ui_color c);
void draw_image(draw_list *dl, ui_rect r, const char *path);
void draw_canvas_page(draw_list *dl, ui_rect r, struct draw_canvas *cv);
static inline const char *draw_str(const draw_list *dl, size_t off) { return dl->arena + off; }

#endif
