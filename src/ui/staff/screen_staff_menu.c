/*
 * screen_staff_menu: what the kiosk holds ("212 sessions on this kiosk,
 * the oldest from 3 March, all exported."), and big buttons. Export (only when a stick is mounted,
 * naming it; otherwise a quiet "Plug in a USB stick" that cannot be
 * pressed) and Export everything again come first; then the buttons of the
 * items table below, in its order, each shown when its test says so.
 */
#include "staff/staff.h"
#include "ui.h"

#include <stdio.h>

/* One button of the menu after the two export ones. `shown` NULL means
 * always. Add a button as one entry here; the grid makes room. */
typedef struct menu_item {
	enum ui_action act;
	int arg;
	const char *sym;     /* a symbol name, or NULL for words only */
	const char *label;
	bool (*shown)(const ui_ctx *c);
} menu_item;

static bool clear_shown(const ui_ctx *c) { return staff_clear_offered(c->staff); }
static bool load_shown(const ui_ctx *c) { return c->staff->stick; }

static const menu_item items[] = {
	{ ACT_STAFF_TODAY, 0, "people", "Today's answers", NULL },
	{ ACT_STAFF_LOAD, 0, "books", "Load from the stick", load_shown },
	{ ACT_STAFF_CLEAR, 0, "safe", "Clear this kiosk", clear_shown },
	{ ACT_STAFF_SETUP, SETUP_REVIEW, "clipboard", "Kiosk set-up", NULL },
	{ ACT_STAFF_ROOM, 0, "megaphone", "Show the room", NULL },
	{ ACT_STAFF_ABOUT, 0, "information", "About", NULL },
	{ ACT_STAFF_QUIT, 0, NULL, "Quit Tellus", NULL },
	{ ACT_STAFF_CLOSE, 0, "back", "Back to the kiosk", NULL },
};
#define N_ITEMS ((int)(sizeof items / sizeof items[0]))

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
	/* What the kiosk still holds, and whether all of it went out. */
	char held[200];
	staff_holdings_words(v, held, sizeof held);
	if (held[0]) {
		int hh = c->h / 20;
		ui_text(c, (ui_rect){ m, m + th + sh, c->w - 2 * m, hh }, held, hh * 7 / 10,
		        FONT_REGULAR, ALIGN_CENTER, c->th->text);
		sh += hh;
	}
	const menu_item *shown[N_ITEMS];
	int n = 0;
	for (int i = 0; i < N_ITEMS; i++)
		if (!items[i].shown || items[i].shown(c))
			shown[n++] = &items[i];
	ui_rect area = { m, m + th + sh + gap, c->w - 2 * m, c->h - 2 * m - th - sh - gap };
	ui_rect cells[2 + N_ITEMS];
	ui_grid(area, 2 + n, 2.4, gap, cells);

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
	/* One size for the words of these buttons, so none shouts. */
	int px = 0;
	for (int i = 0; i < n; i++) {
		int p = ui_card_label_px(c, cells[2 + i], STYLE_BUTTON, shown[i]->sym != NULL, true,
		                         shown[i]->label);
		px = px == 0 || p < px ? p : px;
	}
	c->label_px = px;
	for (int i = 0; i < n; i++) {
		int ti = ui_add_target(c, cells[2 + i], shown[i]->act, shown[i]->arg);
		ui_draw_target(c, ti, STYLE_BUTTON,
		               shown[i]->sym ? ui_symbol(c, shown[i]->sym, sym, sizeof sym) : NULL,
		               shown[i]->label, false, true);
	}
	c->label_px = 0;
}
