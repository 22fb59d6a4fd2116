/*
 * screen_staff_about: the version, this kiosk's id, and whose pictures
 * and fonts these are (assets/ATTRIBUTION.md, read when the kiosk
 * started), with Back to the menu.
 */
#include "staff/staff.h"
#include "ui.h"

#include <stdio.h>

void
screen_staff_about_build(ui_ctx *c)
{
	const staff_view *v = c->staff;
	int m = ui_margin(c), gap = m / 2;
	int bar_h = ui_max(c->min_target, c->h / 10);
	char sym[1024], buf[256];
	int bw = ui_max(c->min_target * 2, c->w / 6);
	int ti = ui_add_target(c, (ui_rect){ m, m, bw, bar_h }, ACT_STAFF_MENU, 0);
	ui_draw_target(c, ti, STYLE_BUTTON, ui_symbol(c, "back", sym, sizeof sym), "Back", false, true);
	ui_text(c, (ui_rect){ m + bw + m, m, c->w - 2 * (bw + 2 * m), bar_h }, "About Tellus",
	        bar_h * 6 / 10, FONT_BOLD, ALIGN_CENTER, c->th->text);
	snprintf(buf, sizeof buf, "Version %s \xC2\xB7 Kiosk %s", v->version,
	         v->kiosk_id[0] ? v->kiosk_id : "(not named yet)");
	ui_rect vr = { m, m + bar_h + gap, c->w - 2 * m, c->h / 14 };
	ui_text(c, vr, buf, vr.h * 7 / 10, FONT_REGULAR, ALIGN_LEFT, c->th->text);
	/* what merge will know this kiosk by, and whether its exports are sealed */
	snprintf(buf, sizeof buf, "Signing key %s \xC2\xB7 %s",
	         v->key_id[0] ? v->key_id : "(not made yet)",
	         v->sealed ? "exports sealed to the office key"
	                   : "exports NOT sealed: anyone with the stick can read them");
	ui_rect kr = { m, vr.y + vr.h, c->w - 2 * m, c->h / 16 };
	ui_text(c, kr, buf, kr.h * 7 / 10, FONT_REGULAR, ALIGN_LEFT, c->th->text);
	ui_rect box = { m, kr.y + kr.h + gap, c->w - 2 * m, c->h - m - (kr.y + kr.h + gap) };
	/* Its edge shows the box: a card's face alone hardly differs from
	 * the page (not at all in high contrast). */
	draw_fill(c->dl, box, c->th->card, ui_max(8, m / 2));
	draw_outline(c->dl, box, c->th->card_border, ui_max(8, m / 2), ui_max(2, c->h / 300));
	ui_rect tr = { box.x + m, box.y + m / 2, box.w - 2 * m, box.h - m };
	ui_text(c, tr, v->attribution, c->h / 30, FONT_REGULAR, ALIGN_LEFT, c->th->text);
}
