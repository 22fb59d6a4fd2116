/*
 * screen_staff_export: while the export runs, a progress bar with a few
 * plain words of what it is doing and a request to leave the stick in;
 * then either a big tick with "Safe to remove" and the counts, or the
 * failure in plain words with Try again. Nothing to press while it runs.
 */
#include "staff/staff.h"
#include "ui.h"

#include <stdio.h>

static void
running(ui_ctx *c, const staff_view *v, int m)
{
	char buf[256];
	snprintf(buf, sizeof buf, "Exporting to %s", v->stick_name[0] ? v->stick_name : "the USB stick");
	ui_rect tr = { m * 2, c->h * 18 / 100, c->w - 4 * m, c->h * 14 / 100 };
	ui_text(c, tr, buf, tr.h * 7 / 10, FONT_BOLD, ALIGN_CENTER, c->th->text);
	int bw = c->w * 70 / 100, bh = ui_max(24, c->h / 12);
	ui_rect bar = { (c->w - bw) / 2, tr.y + tr.h + m * 2, bw, bh };
	int radius = bh / 2;
	draw_fill(c->dl, bar, c->th->card, radius);
	double f = v->fraction < 0 ? 0 : v->fraction > 1 ? 1 : v->fraction;
	int fw = (int)(bw * f);
	if (fw > 0)
		draw_fill(c->dl, (ui_rect){ bar.x, bar.y, ui_max(fw, bh), bh }, c->th->primary, radius);
	draw_outline(c->dl, bar, c->th->card_border, radius, ui_max(2, c->h / 300));
	ui_rect sr = { bar.x, bar.y + bh + m, bw, c->h / 12 };
	snprintf(buf, sizeof buf, "%s \xE2\x80\xA6 %d%%", v->stage, (int)(f * 100 + 0.5));
	ui_text(c, sr, buf, sr.h * 7 / 10, FONT_REGULAR, ALIGN_CENTER, c->th->text);
	ui_rect hr = { m * 2, sr.y + sr.h + m * 2, c->w - 4 * m, c->h / 12 };
	ui_text(c, hr, "Please leave the USB stick in.", hr.h * 7 / 10, FONT_REGULAR, ALIGN_CENTER,
	        c->th->muted_text);
}

static void
done(ui_ctx *c, const staff_view *v, int m)
{
	char buf[256], sym[1024];
	int s = c->h * 24 / 100;
	ui_rect tick = { (c->w - s) / 2, m * 2, s, s };
	draw_disc(c->dl, tick, c->th->selected);
	draw_image(c->dl, (ui_rect){ tick.x + s / 6, tick.y + s / 6, s * 2 / 3, s * 2 / 3 },
	           ui_symbol(c, "done", sym, sizeof sym));
	ui_rect tr = { m * 2, tick.y + s + m, c->w - 4 * m, c->h * 15 / 100 };
	ui_text(c, tr, "Safe to remove", tr.h * 8 / 10, FONT_BOLD, ALIGN_CENTER, c->th->text);
	snprintf(buf, sizeof buf, "%lld session%s, %lld answer%s", (long long)v->sessions,
	         v->sessions == 1 ? "" : "s", (long long)v->answers, v->answers == 1 ? "" : "s");
	ui_rect cr = { m * 2, tr.y + tr.h, c->w - 4 * m, c->h * 11 / 100 };
	ui_text(c, cr, buf, cr.h * 8 / 10, FONT_BOLD, ALIGN_CENTER, c->th->text);
	/* said plainly either way: a lost stick is read by whoever finds it */
	ui_rect pr = { m * 2, cr.y + cr.h, c->w - 4 * m, c->h * 7 / 100 };
	ui_text(c, pr, v->sealed ? "Sealed: only the office key can open it."
	                         : "Not sealed: anyone with this stick can read these answers.",
	        pr.h * 7 / 10, FONT_REGULAR, ALIGN_CENTER, c->th->muted_text);
	int bw = ui_max(c->min_target * 3, c->w * 3 / 10), bh = ui_max(c->min_target, c->h / 9);
	int y = c->h - m * 2 - bh;
	int ti = ui_add_target(c, (ui_rect){ c->w / 2 - bw - m / 2, y, bw, bh }, ACT_STAFF_MENU, 0);
	ui_draw_target(c, ti, STYLE_BUTTON, ui_symbol(c, "back", sym, sizeof sym), "Staff menu", false, true);
	ti = ui_add_target(c, (ui_rect){ c->w / 2 + m / 2, y, bw, bh }, ACT_STAFF_CLOSE, 0);
	ui_draw_target(c, ti, STYLE_PRIMARY, ui_symbol(c, "start", sym, sizeof sym), "Back to the kiosk",
	               false, true);
}

static void
failed(ui_ctx *c, const staff_view *v, int m)
{
	char sym[1024];
	int s = c->h * 18 / 100;
	draw_image(c->dl, (ui_rect){ (c->w - s) / 2, m * 2, s, s }, ui_symbol(c, "information", sym, sizeof sym));
	ui_rect tr = { m * 2, m * 2 + s + m, c->w - 4 * m, c->h * 12 / 100 };
	ui_text(c, tr, "The export did not finish", tr.h * 7 / 10, FONT_BOLD, ALIGN_CENTER, c->th->text);
	ui_rect er = { m * 3, tr.y + tr.h + m, c->w - 6 * m, c->h * 22 / 100 };
	ui_text(c, er, v->error, er.h / 4, FONT_REGULAR, ALIGN_CENTER, c->th->text);
	int bw = ui_max(c->min_target * 3, c->w * 3 / 10), bh = ui_max(c->min_target, c->h / 9);
	int y = c->h - m * 2 - bh;
	int ti = ui_add_target(c, (ui_rect){ c->w / 2 - bw - m / 2, y, bw, bh }, ACT_STAFF_MENU, 0);
	ui_draw_target(c, ti, STYLE_BUTTON, ui_symbol(c, "back", sym, sizeof sym), "Staff menu", false, true);
	ti = ui_add_target(c, (ui_rect){ c->w / 2 + m / 2, y, bw, bh }, ACT_STAFF_RETRY, 0);
	ui_draw_target(c, ti, STYLE_PRIMARY, NULL, "Try again", false, true);
}

typedef void (*part_fn)(ui_ctx *c, const staff_view *v, int m);
static const part_fn parts[] = {
	[EXPORT_RUNNING] = running,
	[EXPORT_DONE] = done,
	[EXPORT_FAILED] = failed,
};

void
screen_staff_export_build(ui_ctx *c)
{
	parts[c->staff->export_state](c, c->staff, ui_margin(c));
}
