/*
 * screen_staff_clear: "Clear this kiosk?" with what would go and that it
 * cannot be undone; "Keep them" is the big, easy answer and "Yes, delete
 * them all" the quiet one, which cannot be pressed for the first
 * STAFF_CLEAR_ARM_MS (drawn muted, not a target, until then). Then a
 * moment of "Clearing", and the result: how many went, or, when nothing
 * was deleted, why.
 */
#include "staff/staff.h"
#include "ui.h"

#include <stdio.h>

static void
buttons(ui_ctx *c, int m, bool yes, bool yes_armed, const char *keep_label)
{
	char sym[1024];
	int bw = ui_max(c->min_target * 3, c->w * 3 / 10), bh = ui_max(c->min_target, c->h / 8);
	int y = c->h - m * 2 - bh;
	ui_rect left = { c->w / 2 - bw - m, y, bw, bh }, right = { c->w / 2 + m, y, bw, bh };
	if (yes && yes_armed) {
		int ti = ui_add_target(c, left, ACT_STAFF_CLEAR, 1);
		ui_draw_target(c, ti, STYLE_BUTTON, NULL, "Yes, delete them all", false, true);
	} else if (yes) {
		int radius = ui_max(8, ui_min(left.w, left.h) / 8);
		draw_outline(c->dl, left, c->th->card_border, radius, ui_max(2, c->h / 300));
		ui_rect in = { left.x + m / 2, left.y + m / 2, left.w - m, left.h - m };
		ui_text(c, in, "Yes, delete them all", in.h / 3, FONT_REGULAR, ALIGN_CENTER,
		        c->th->muted_text);
	}
	int ti = ui_add_target(c, yes ? right : (ui_rect){ (c->w - bw) / 2, y, bw, bh },
	                       ACT_STAFF_MENU, 0);
	ui_draw_target(c, ti, STYLE_PRIMARY, ui_symbol(c, "back", sym, sizeof sym), keep_label, false,
	               true);
}

void
screen_staff_clear_build(ui_ctx *c)
{
	const staff_view *v = c->staff;
	int m = ui_margin(c);
	char buf[512];
	ui_rect tr = { m * 2, m * 2, c->w - 4 * m, c->h * 14 / 100 };
	ui_rect br = { m * 3, tr.y + tr.h + m, c->w - 6 * m, c->h * 40 / 100 };
	switch (v->clear_state) {
	case CLEAR_ASK:
		ui_text(c, tr, "Clear this kiosk?", tr.h * 7 / 10, FONT_BOLD, ALIGN_CENTER, c->th->text);
		if (v->held_oldest[0])
			snprintf(buf, sizeof buf, "This deletes all %lld session%s (the oldest from %s) from "
			         "this kiosk. Every one is already in an export. This cannot be undone.",
			         (long long)v->held_sessions, v->held_sessions == 1 ? "" : "s",
			         v->held_oldest);
		else
			snprintf(buf, sizeof buf, "This deletes all %lld session%s from this kiosk. Every one "
			         "is already in an export. This cannot be undone.",
			         (long long)v->held_sessions, v->held_sessions == 1 ? "" : "s");
		ui_text(c, br, buf, c->h / 22, FONT_REGULAR, ALIGN_CENTER, c->th->text);
		buttons(c, m, true, v->clear_armed, "Keep them");
		break;
	case CLEAR_RUNNING:
		ui_text(c, tr, "Clearing\xE2\x80\xA6", tr.h * 7 / 10, FONT_BOLD, ALIGN_CENTER, c->th->text);
		ui_text(c, br, "Deleting the sessions and giving the space back.", c->h / 22,
		        FONT_REGULAR, ALIGN_CENTER, c->th->muted_text);
		break;
	case CLEAR_DONE:
		ui_text(c, tr, "The kiosk is clear", tr.h * 7 / 10, FONT_BOLD, ALIGN_CENTER, c->th->text);
		snprintf(buf, sizeof buf, "%lld session%s deleted. The kiosk holds no answers now.",
		         (long long)v->cleared, v->cleared == 1 ? "" : "s");
		ui_text(c, br, buf, c->h / 22, FONT_REGULAR, ALIGN_CENTER, c->th->text);
		buttons(c, m, false, false, "Staff menu");
		break;
	case CLEAR_FAILED:
		ui_text(c, tr, "The kiosk was not cleared", tr.h * 7 / 10, FONT_BOLD, ALIGN_CENTER,
		        c->th->text);
		ui_text(c, br, v->error, c->h / 22, FONT_REGULAR, ALIGN_CENTER, c->th->text);
		buttons(c, m, false, false, "Staff menu");
		break;
	}
}
