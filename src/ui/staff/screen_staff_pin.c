/*
 * screen_staff_pin: the PIN pad. Left: what to do, the digits typed so far
 * as dots (never the digits), and a calm message ("Checking…", "That PIN
 * is not right.", the wait after too many tries). Right: big keys 1-9, 0,
 * Delete and OK; under the words, Cancel back to the kiosk.
 *
 * With no PIN on a database that is not new there are no keys at all:
 * only "Staff access is not set up: run tellus set-pin" and the way back.
 */
#include "staff/staff.h"
#include "ui.h"

#include <stdio.h>

static const char *const titles[] = {
	[PINPAD_ENTER] = "Staff PIN",
	[PINPAD_SET_FIRST] = "Choose a staff PIN",
	[PINPAD_SET_AGAIN] = "The same PIN again",
	[PINPAD_NOT_SET_UP] = "Staff access is not set up",
};

/* Nothing to type: the words, and the way back. */
static void
build_not_set_up(ui_ctx *c)
{
	const staff_view *v = c->staff;
	int m = ui_margin(c);
	char sym[1024];
	int th = c->h / 8;
	ui_rect words = { m * 2, c->h / 5, c->w - 4 * m, th };
	ui_text(c, words, titles[PINPAD_NOT_SET_UP], th * 7 / 10, FONT_BOLD, ALIGN_CENTER,
	        c->th->text);
	/* The view's message says it in one line ("...: run tellus set-pin");
	 * on screen the title says the first half. */
	(void)v;
	ui_rect mr = { m * 2, words.y + th + m, c->w - 4 * m, c->h / 5 };
	ui_text(c, mr, "To choose a staff PIN, run tellus set-pin at this kiosk's console.",
	        c->h / 18, FONT_REGULAR, ALIGN_CENTER, c->th->text);
	int bh = ui_max(c->min_target, c->h / 7);
	int bw = ui_max(c->min_target * 3, c->w * 4 / 10);
	int ti = ui_add_target(c, (ui_rect){ (c->w - bw) / 2, c->h - m * 2 - bh, bw, bh },
	                       ACT_STAFF_CLOSE, 0);
	ui_draw_target(c, ti, STYLE_BUTTON, ui_symbol(c, "back", sym, sizeof sym),
	               "Back to the kiosk", false, true);
}

void
screen_staff_pin_build(ui_ctx *c)
{
	const staff_view *v = c->staff;
	if (v->pin_mode == PINPAD_NOT_SET_UP) {
		build_not_set_up(c);
		return;
	}
	int m = ui_margin(c), gap = m / 2;
	bool portrait = c->h > c->w;
	char sym[1024];

	/* The keypad takes the larger share; the words the rest. */
	ui_rect words, pad;
	if (portrait) {
		words = (ui_rect){ m, m, c->w - 2 * m, c->h * 36 / 100 - m };
		pad = (ui_rect){ m, c->h * 36 / 100, c->w - 2 * m, c->h * 64 / 100 - m };
	} else {
		words = (ui_rect){ m, m, c->w * 45 / 100 - m, c->h - 2 * m };
		pad = (ui_rect){ c->w * 45 / 100 + m, m, c->w * 55 / 100 - 2 * m, c->h - 2 * m };
	}

	int th = words.h * 18 / 100;
	/* A new kiosk's set-up begins here: say so above the title. */
	if (v->setup_first) {
		int sh = th / 2;
		ui_text(c, (ui_rect){ words.x, words.y, words.w, sh }, "Setting up this kiosk", sh * 7 / 10,
		        FONT_REGULAR, ALIGN_LEFT, c->th->muted_text);
		words.y += sh;
		words.h -= sh;
	}
	ui_text(c, (ui_rect){ words.x, words.y, words.w, th }, titles[v->pin_mode], th * 7 / 10,
	        FONT_BOLD, ALIGN_LEFT, c->th->text);
	/* Dots: filled for each digit typed, rings up to a new PIN's least
	 * length. */
	int slots = v->n_digits > v->min_digits ? v->n_digits : v->min_digits;
	int d = ui_min(words.h / 12, words.w / (2 * slots + 1));
	int dy = words.y + th + gap * 2;
	for (int i = 0; i < slots; i++) {
		ui_rect dr = { words.x + i * 2 * d, dy, d, d };
		if (i < v->n_digits)
			draw_disc(c->dl, dr, c->th->text);
		else
			draw_outline(c->dl, dr, c->th->muted_text, d / 2, ui_max(2, d / 12));
	}
	ui_rect mr = { words.x, dy + d + gap * 2, words.w, words.h * 30 / 100 };
	ui_text(c, mr, v->message, mr.h / 4, FONT_REGULAR, ALIGN_LEFT, c->th->text);

	/* The first set-up has no Cancel: the kiosk cannot start without a
	 * PIN of its own. */
	int bh = ui_max(c->min_target, words.h / 8);
	int bw = ui_max(c->min_target * 2, words.w * 6 / 10);
	if (!v->setup_first) {
		int ti = ui_add_target(c, (ui_rect){ words.x, words.y + words.h - bh, bw, bh },
		                       ACT_STAFF_CLOSE, 0);
		ui_draw_target(c, ti, STYLE_BUTTON, ui_symbol(c, "back", sym, sizeof sym), "Cancel",
		               false, true);
	}

	/* 1 2 3 / 4 5 6 / 7 8 9 / Delete 0 OK */
	static const struct { enum ui_action a; int arg; const char *label; } keys[12] = {
		{ ACT_STAFF_DIGIT, 1, "1" }, { ACT_STAFF_DIGIT, 2, "2" }, { ACT_STAFF_DIGIT, 3, "3" },
		{ ACT_STAFF_DIGIT, 4, "4" }, { ACT_STAFF_DIGIT, 5, "5" }, { ACT_STAFF_DIGIT, 6, "6" },
		{ ACT_STAFF_DIGIT, 7, "7" }, { ACT_STAFF_DIGIT, 8, "8" }, { ACT_STAFF_DIGIT, 9, "9" },
		{ ACT_STAFF_DELETE, 0, "Delete" }, { ACT_STAFF_DIGIT, 0, "0" }, { ACT_STAFF_OK, 0, "OK" },
	};
	int kw = (pad.w - 2 * gap) / 3, kh = (pad.h - 3 * gap) / 4;
	int digit_px = 0;
	for (int i = 0; i < 12; i++) {
		ui_rect r = { pad.x + (i % 3) * (kw + gap), pad.y + (i / 3) * (kh + gap), kw, kh };
		enum target_style st = keys[i].a == ACT_STAFF_OK ? STYLE_PRIMARY : STYLE_ANSWER;
		int k = ui_add_target(c, r, keys[i].a, keys[i].arg);
		/* Every digit the same size; the words fit on their own. */
		if (keys[i].a == ACT_STAFF_DIGIT && digit_px == 0)
			digit_px = ui_card_label_px(c, r, STYLE_ANSWER, false, true, "8");
		c->label_px = keys[i].a == ACT_STAFF_DIGIT ? digit_px : 0;
		ui_draw_target(c, k, st, NULL, keys[i].label, false, true);
	}
	c->label_px = 0;
}
