/*
 * screen_staff_load: "Load from the stick". While the stick is read, a
 * calm "Reading the stick"; then one row per file: its name, what
 * happened to it (Taken, Already on the kiosk, Not taken) and, when it was
 * not taken, the checker's problems or the reason in plain words, so
 * staff can mend the file. Back to the staff menu at the top, as on About.
 */
#include "staff/staff.h"
#include "ui.h"

#include <stdio.h>

static const char *
verdict(enum intake_outcome o)
{
	switch (o) {
	case INTAKE_TAKEN:
		return "Taken";
	case INTAKE_SAME:
		return "Already on the kiosk";
	default:
		return "Not taken";
	}
}

void
screen_staff_load_build(ui_ctx *c)
{
	const staff_view *v = c->staff;
	int m = ui_margin(c), gap = m / 2;
	int bar_h = ui_max(c->min_target, c->h / 10);
	char sym[1024], buf[1100];
	int bw = ui_max(c->min_target * 2, c->w / 6);
	if (!v->load_running) {
		int ti = ui_add_target(c, (ui_rect){ m, m, bw, bar_h }, ACT_STAFF_MENU, 0);
		ui_draw_target(c, ti, STYLE_BUTTON, ui_symbol(c, "back", sym, sizeof sym), "Back", false,
		               true);
	}
	ui_text(c, (ui_rect){ m + bw + m, m, c->w - 2 * (bw + 2 * m), bar_h }, "Load from the stick",
	        bar_h * 6 / 10, FONT_BOLD, ALIGN_CENTER, c->th->text);
	int y = m + bar_h + gap;
	ui_rect body = { m, y, c->w - 2 * m, c->h - y - m };
	if (v->load_running) {
		ui_text(c, body, "Reading the stick\xE2\x80\xA6", c->h / 16, FONT_REGULAR, ALIGN_CENTER,
		        c->th->muted_text);
		return;
	}
	if (v->error[0]) {
		ui_text(c, body, v->error, c->h / 22, FONT_REGULAR, ALIGN_CENTER, c->th->text);
		return;
	}
	if (v->load_n == 0) {
		ui_text(c, body, "There are no flows or cards on this stick. Put flows in the folder "
		        "TELLUS/flows and \"You said, we did\" cards in TELLUS/cards.", c->h / 22,
		        FONT_REGULAR, ALIGN_CENTER, c->th->text);
		return;
	}
	/* The summary line, then the rows. */
	int sh = c->h / 16;
	if (v->load_taken > 0)
		snprintf(buf, sizeof buf, "%d file%s taken. The kiosk offers %s from its next start.",
		         v->load_taken, v->load_taken == 1 ? "" : "s", v->load_taken == 1 ? "it" : "them");
	else
		snprintf(buf, sizeof buf, "Nothing new was taken.");
	ui_text(c, (ui_rect){ m, y, c->w - 2 * m, sh }, buf, sh * 6 / 10, FONT_BOLD, ALIGN_LEFT,
	        c->th->text);
	y += sh;
	int rows = v->load_n + (v->load_more > 0);
	int rh = (c->h - y - m) / (rows > 3 ? rows : 3);
	if (rh > c->h / 5)
		rh = c->h / 5;
	int radius = ui_max(8, m / 2);
	for (int i = 0; i < v->load_n; i++) {
		const intake_item *it = &v->load_items[i];
		ui_rect row = { m, y + i * rh, c->w - 2 * m, rh - gap / 2 };
		/* Each file's row is a thing with an edge: a card's face alone
		 * hardly differs from the page (not at all in high contrast). */
		draw_fill(c->dl, row, c->th->card, radius);
		draw_outline(c->dl, row, c->th->card_border, radius, ui_max(2, c->h / 300));
		int lh = row.h * 4 / 10;
		snprintf(buf, sizeof buf, "%s/%s: %s", it->kind == INTAKE_CARDS ? "cards" : "flows",
		         it->name, verdict(it->outcome));
		ui_text(c, (ui_rect){ row.x + m, row.y + gap / 2, row.w - 2 * m, lh }, buf, lh * 7 / 10,
		        FONT_BOLD, ALIGN_LEFT, c->th->text);
		ui_text(c, (ui_rect){ row.x + m, row.y + gap / 2 + lh, row.w - 2 * m, row.h - lh - gap },
		        it->words, ui_max(12, lh * 5 / 10), FONT_REGULAR, ALIGN_LEFT, c->th->text);
	}
	if (v->load_more > 0) {
		snprintf(buf, sizeof buf, "and %d more file%s", v->load_more, v->load_more == 1 ? "" : "s");
		ui_text(c, (ui_rect){ m, y + v->load_n * rh, c->w - 2 * m, rh / 2 }, buf, rh / 4,
		        FONT_REGULAR, ALIGN_LEFT, c->th->muted_text);
	}
}
