/*
 * draw: appending to the draw list. Growth doubles and is kept between
 * frames; when memory runs out the command is dropped and `oom` is set, so
 * the kiosk shows a partial frame rather than a blank one.
 */
#include "draw/draw.h"

#include <stdlib.h>
#include <string.h>

void
draw_list_clear(draw_list *dl)
{
	dl->n = 0;
	dl->arena_len = 0;
	dl->oom = false;
}

void
draw_list_finish(draw_list *dl)
{
	if (!dl)
		return;
	free(dl->cmds);
	free(dl->arena);
	memset(dl, 0, sizeof *dl);
}

static draw_cmd *
push(draw_list *dl, enum draw_kind kind, ui_rect r, ui_color c)
{
	if (dl->n == dl->cap) {
		size_t cap = dl->cap ? dl->cap * 2 : 64;
		draw_cmd *cmds = realloc(dl->cmds, cap * sizeof *cmds);
		if (!cmds) {
			dl->oom = true;
			return NULL;
		}
		dl->cmds = cmds;
		dl->cap = cap;
	}
	draw_cmd *cmd = &dl->cmds[dl->n++];
	memset(cmd, 0, sizeof *cmd);
	cmd->kind = kind;
	cmd->r = r;
	cmd->color = c;
	return cmd;
}

static bool
intern(draw_list *dl, const char *s, size_t *off)
{
	size_t n = strlen(s) + 1;
	if (dl->arena_len + n > dl->arena_cap) {
		size_t cap = dl->arena_cap ? dl->arena_cap : 1024;
		while (cap < dl->arena_len + n)
			cap *= 2;
		char *a = realloc(dl->arena, cap);
		if (!a) {
			dl->oom = true;
			return false;
		}
		dl->arena = a;
		dl->arena_cap = cap;
	}
	memcpy(dl->arena + dl->arena_len, s, n);
	*off = dl->arena_len;
	dl->arena_len += n;
	return true;
}

void
draw_fill(draw_list *dl, ui_rect r, ui_color c, int radius)
{
	draw_cmd *cmd = push(dl, DRAW_FILL, r, c);
	if (cmd)
		cmd->radius = radius;
}

void
draw_outline(draw_list *dl, ui_rect r, ui_color c, int radius, int thickness)
{
	draw_cmd *cmd = push(dl, DRAW_OUTLINE, r, c);
	if (cmd) {
		cmd->radius = radius;
		cmd->thickness = thickness;
	}
}

void
draw_disc(draw_list *dl, ui_rect r, ui_color c)
{
	push(dl, DRAW_DISC, r, c);
}

void
draw_arc(draw_list *dl, ui_rect r, ui_color c, int thickness, int permille)
{
	if (permille <= 0)
		return;
	draw_cmd *cmd = push(dl, DRAW_ARC, r, c);
	if (cmd) {
		cmd->radius = permille > 1000 ? 1000 : permille;
		cmd->thickness = thickness;
	}
}

void
draw_text(draw_list *dl, ui_rect r, const char *text, int px,
          enum font_face face, enum text_align align, ui_color c)
{
	size_t off;
	if (!text || !*text || !intern(dl, text, &off))
		return;
	draw_cmd *cmd = push(dl, DRAW_TEXT, r, c);
	if (!cmd)
		return;
	cmd->text_off = off;
	cmd->px = px;
	cmd->face = face;
	cmd->align = align;
	cmd->lang = dl->lang;
}

void
draw_image(draw_list *dl, ui_rect r, const char *path)
{
	size_t off;
	if (!path || !intern(dl, path, &off))
		return;
	draw_cmd *cmd = push(dl, DRAW_IMAGE, r, (ui_color){ 0, 0, 0, 0 });
	if (cmd)
		cmd->path_off = off;
}

void
draw_canvas_page(draw_list *dl, ui_rect r, struct draw_canvas *cv)
{
	if (!cv)
		return;
	draw_cmd *cmd = push(dl, DRAW_CANVAS, r, (ui_color){ 0, 0, 0, 0 });
	if (cmd)
		cmd->canvas = cv;
}
