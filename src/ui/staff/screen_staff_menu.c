/*
 * screen_staff_menu: six big buttons. Export (only when a stick is
 * mounted, naming it; otherwise a quiet "Plug in a USB stick" that cannot
 * be pressed), Export everything again, Today's answers, About, Quit, and
 * Back to the kiosk.
 */
#include "staff/staff.h"
#include "ui.h"

#include <stdio.h>

void
screen_staff_menu_build(ui_ctx *c)
{
	const staff_view *v = c->staff;
	int m = ui_margin(c), gap = m;
	char sym[1024], label[200];

	int th = c->h / 9;
	ui_text(c, (ui_rect){ m, m, c->w - 2 * m, th }, "Staff menu", th * 7 / 10, FONT_BOLD,
	        ALIGN_CENTER, c->th->text);
	/* Status lines: what staff should know before they leave the kiosk. */
	int sh = 0;
	if (v->speech_status) {
		sh = c->h / 20;
		ui_text(c, (ui_rect){ m, m + th, c->w - 2 * m, sh }, v->speech_status, sh * 7 / 10,
		        FONT_REGULAR, ALIGN_CENTER, c->th->muted_text);
	}
	if (v->text_status) {
		int lh = c->h / 20;
		ui_text(c, (ui_rect){ m, m + th + sh, c->w - 2 * m, lh }, v->text_status, lh * 7 / 10,
		        FONT_BOLD, ALIGN_CENTER, c->th->text);
		sh += lh;
	}
	/* The answers' disk, when it cannot take records: the most urgent. */
	const char *disk = screen_rest_staff_words(c->store_health, c->store_full);
	if (disk) {
		int dh = c->h / 10;
		ui_text(c, (ui_rect){ m, m + th + sh, c->w - 2 * m, dh }, disk, c->h / 28,
		        FONT_BOLD, ALIGN_CENTER, c->th->text);
		sh += dh;
	}
	ui_rect area = { m, m + th + sh + gap, c->w - 2 * m, c->h - 2 * m - th - sh - gap };
	ui_rect cells[6];
	ui_grid(area, 6, 2.4, gap, cells);

	if (v->stick) {
		snprintf(label, sizeof label, "Export to %s", v->stick_name);
		int ti = ui_add_target(c, cells[0], ACT_STAFF_EXPORT, 0);
		ui_draw_target(c, ti, STYLE_PRIMARY, ui_symbol(c, "done", sym, sizeof sym), label, false, true);
		ti = ui_add_target(c, cells[1], ACT_STAFF_EXPORT, 1);
		ui_draw_target(c, ti, STYLE_BUTTON, NULL, "Export everything again", false, true);
	} else {
		/* Not a target: it cannot be pressed, and says why. */
		for (int i = 0; i < 2; i++) {
			int radius = ui_max(8, ui_min(cells[i].w, cells[i].h) / 8);
			draw_fill(c->dl, cells[i], c->th->bg, radius);
			draw_outline(c->dl, cells[i], c->th->card_border, radius, ui_max(2, c->h / 300));
		}
		ui_rect in = { cells[0].x + m, cells[0].y + m, cells[0].w - 2 * m, cells[0].h - 2 * m };
		ui_text(c, in, "Plug in a USB stick to export", in.h / 3, FONT_BOLD, ALIGN_CENTER,
		        c->th->muted_text);
		in.x = cells[1].x + m;
		in.y = cells[1].y + m;
		ui_text(c, in, "Export everything again (needs a USB stick)", in.h / 3, FONT_REGULAR,
		        ALIGN_CENTER, c->th->muted_text);
	}
	static const struct { enum ui_action a; const char *sym, *label; } rest[4] = {
		{ ACT_STAFF_TODAY, "people", "Today's answers" },
		{ ACT_STAFF_ABOUT, "information", "About" },
		{ ACT_STAFF_QUIT, NULL, "Quit Tellus" },
		{ ACT_STAFF_CLOSE, "back", "Back to the kiosk" },
	};
	/* One size for the words of these four, so none shouts. */
	int px = 0;
	for (int i = 0; i < 4; i++) {
		int p = ui_card_label_px(c, cells[2 + i], STYLE_BUTTON, rest[i].sym != NULL, true,
		                         rest[i].label);
		px = px == 0 || p < px ? p : px;
	}
	c->label_px = px;
	for (int i = 0; i < 4; i++) {
		int ti = ui_add_target(c, cells[2 + i], rest[i].a, 0);
		ui_draw_target(c, ti, STYLE_BUTTON,
		               rest[i].sym ? ui_symbol(c, rest[i].sym, sym, sizeof sym) : NULL,
		               rest[i].label, false, true);
	}
	c->label_px = 0;
}
