/*
 * screen_staff_setup: the kiosk's set-up (staff_setup.c says what each
 * step does). Above: where staff are ("Setting up this kiosk, step 2 of
 * 4") and the step's question. Below: Back, a calm message, and the one
 * thing to press next (Next, Start the kiosk, Save).
 *
 *   name, event  the words typed so far in a big field with Delete beside
 *                it, then big letter keys (digits, a-z, '-', Space); a
 *                physical keyboard types too
 *   flows        a big card per flow, its picture and title, ticked when
 *                offered; a touch turns it on or off
 *   review       each answer on its own line with Change (and, from the
 *                menu, End the event while one runs)
 *
 * Staff screens are in English, as the others are.
 */
#include "staff/staff.h"
#include "ui.h"

#include <stdio.h>
#include <string.h>

static const char *const questions[SETUP_STEP_COUNT] = {
	[SETUP_NAME] = "What is this kiosk called?",
	[SETUP_FLOWS] = "Which question sets does it offer?",
	[SETUP_EVENT] = "What is today's event called?",
	[SETUP_REVIEW] = "Ready to start",
};

static const char *const hints[SETUP_STEP_COUNT] = {
	[SETUP_NAME] = "Exports and reports name the kiosk by it: small letters, digits and -.",
	[SETUP_FLOWS] = "Touch one to offer it or not. Families choose by its picture.",
	[SETUP_EVENT] = "Every answer from now on is kept with it. Leave it empty for none.",
	[SETUP_REVIEW] = "",
};

static const char *
flow_title(const flow *f)
{
	return tstr_get(&f->title, f->languages[0], f->languages[0]);
}

/* "Setting up this kiosk, step 2 of 4": counting only the steps asked. */
static void
where(const staff_view *v, char *buf, size_t len)
{
	if (!v->setup_first) {
		snprintf(buf, len, "Kiosk set-up");
		return;
	}
	int total = 1, at = 1;   /* the PIN was step 1 */
	for (int st = 0; st < SETUP_STEP_COUNT; st++) {
		bool asked = st == SETUP_REVIEW || (st == SETUP_NAME && !v->name_fixed) ||
		             (st == SETUP_FLOWS && v->n_flows > 1) || (st == SETUP_EVENT && !v->event_fixed);
		if (!asked)
			continue;
		total++;
		if (st <= (int)v->setup_step)
			at++;
	}
	snprintf(buf, len, "Setting up this kiosk, step %d of %d", at, total);
}

/* The words of the step's main button. */
static const char *
ok_label(const staff_view *v)
{
	if (v->setup_step == SETUP_REVIEW)
		return "Start the kiosk";
	if (!v->setup_first)
		return v->setup_step == SETUP_EVENT ? "Start the event" : "Save";
	if (v->setup_step == SETUP_EVENT && !v->text[0])
		return "No event today";
	return v->setup_reviewed ? "OK" : "Next";
}

static void
build_field(ui_ctx *c, ui_rect area)
{
	const staff_view *v = c->staff;
	int m = ui_margin(c), gap = m / 2;
	char sym[1024];
	int fh = ui_max(c->min_target, area.h / 6);
	int dw = ui_max(c->min_target * 2, area.w / 5);
	ui_rect field = { area.x, area.y, area.w - dw - gap, fh };
	int radius = fh / 6;
	draw_fill(c->dl, field, c->th->card, radius);
	draw_outline(c->dl, field, c->th->text, radius, ui_max(2, c->h / 250));
	ui_rect in = { field.x + m, field.y, field.w - 2 * m, field.h };
	if (v->text[0])
		ui_text(c, in, v->text, fh * 55 / 100, FONT_BOLD, ALIGN_LEFT, c->th->text);
	else
		ui_text(c, in, "Type with the keys below", fh * 4 / 10, FONT_REGULAR, ALIGN_LEFT,
		        c->th->muted_text);
	int ti = ui_add_target(c, (ui_rect){ field.x + field.w + gap, field.y, dw, fh }, ACT_STAFF_KEY,
	                       STAFF_KEY_DELETE);
	ui_draw_target(c, ti, STYLE_BUTTON, ui_symbol(c, "back", sym, sizeof sym), "Delete", false, true);

	/* The keys: four rows of ten; Space takes the last row's three. */
	static const char *const rows[4] = { "1234567890", "qwertyuiop", "asdfghjkl-", "zxcvbnm" };
	ui_rect keys = { area.x, area.y + fh + gap, area.w, area.h - fh - gap };
	int kw = (keys.w - 9 * gap) / 10, kh = (keys.h - 3 * gap) / 4;
	int px = 0;
	for (int r = 0; r < 4; r++) {
		for (int i = 0; rows[r][i]; i++) {
			char ch = rows[r][i];
			ui_rect kr = { keys.x + i * (kw + gap), keys.y + r * (kh + gap), kw, kh };
			char label[2] = { ch, '\0' };
			/* The event's keys show the capital a word starts with. */
			if (v->setup_step == SETUP_EVENT && ch >= 'a' && ch <= 'z') {
				size_t n = strlen(v->text);
				if (n == 0 || v->text[n - 1] == ' ')
					label[0] = (char)(ch - 'a' + 'A');
			}
			int k = ui_add_target(c, kr, ACT_STAFF_KEY, ch);
			if (px == 0)
				px = ui_min(kr.h, kr.w) * 45 / 100;
			c->label_px = px;
			ui_draw_target(c, k, STYLE_ANSWER, NULL, label, false, true);
		}
	}
	c->label_px = 0;
	if (v->setup_step == SETUP_NAME)
		return;   /* a name has no spaces */
	ui_rect sp = { keys.x + 7 * (kw + gap), keys.y + 3 * (kh + gap), 3 * kw + 2 * gap, kh };
	ti = ui_add_target(c, sp, ACT_STAFF_KEY, ' ');
	ui_draw_target(c, ti, STYLE_ANSWER, NULL, "Space", false, true);
}

static void
build_flows(ui_ctx *c, ui_rect area)
{
	const staff_view *v = c->staff;
	int m = ui_margin(c);
	ui_rect cells[STAFF_MAX_FLOWS];
	int n = ui_min(v->n_flows, STAFF_MAX_FLOWS);
	ui_grid(area, n, 1.3, m, cells);
	char sym[1024];
	int px = 0;
	for (int i = 0; i < n; i++) {
		int p = ui_card_label_px(c, cells[i], STYLE_ANSWER, true, false, flow_title(v->flows[i]));
		px = px == 0 || p < px ? p : px;
	}
	c->label_px = px;
	for (int i = 0; i < n; i++) {
		const flow *f = v->flows[i];
		const char *path = f->symbol ? symbol_paths_get(c->symbols, f, f->symbol, c->data_dir)
		                             : ui_symbol(c, "speech-balloon", sym, sizeof sym);
		int ti = ui_add_target(c, cells[i], ACT_STAFF_TOGGLE, i);
		ui_draw_target(c, ti, STYLE_ANSWER, path, flow_title(f), v->draft_offered[i], false);
	}
	c->label_px = 0;
}

/* One line of the review: what, its value, and up to two buttons at its
 * end (action ACT_NONE: none), the last rightmost. */
typedef struct review_button { enum ui_action a; int arg; const char *label; } review_button;

static void
review_line(ui_ctx *c, ui_rect r, const char *what, const char *value, bool quiet,
            review_button b1, review_button b2)
{
	int m = ui_margin(c);
	int bw = ui_max(c->min_target * 3, r.w / 4);
	int lw = r.w * 22 / 100;
	int nb = (b1.a != ACT_NONE) + (b2.a != ACT_NONE);
	/* Its edge groups the line's words with its buttons: a card's face
	 * alone hardly differs from the page (not at all in high contrast). */
	draw_fill(c->dl, r, c->th->card, r.h / 6);
	draw_outline(c->dl, r, c->th->card_border, r.h / 6, ui_max(2, c->h / 300));
	ui_text(c, (ui_rect){ r.x + m, r.y, lw - m, r.h }, what, r.h * 3 / 10, FONT_REGULAR, ALIGN_LEFT,
	        c->th->muted_text);
	ui_text(c, (ui_rect){ r.x + lw, r.y, r.w - lw - nb * (bw + m / 2) - m, r.h }, value,
	        r.h * 4 / 10, quiet ? FONT_REGULAR : FONT_BOLD, ALIGN_LEFT,
	        quiet ? c->th->muted_text : c->th->text);
	int bh = ui_max(c->min_target, r.h * 8 / 10);
	int x = r.x + r.w - m / 2;
	const review_button *bs[2] = { &b2, &b1 };
	for (int i = 0; i < 2; i++) {
		if (bs[i]->a == ACT_NONE)
			continue;
		x -= bw;
		int ti = ui_add_target(c, (ui_rect){ x, r.y + (r.h - bh) / 2, bw, bh }, bs[i]->a, bs[i]->arg);
		ui_draw_target(c, ti, STYLE_BUTTON, NULL, bs[i]->label, false, true);
		x -= m / 2;
	}
}

static void
build_review(ui_ctx *c, ui_rect area)
{
	const staff_view *v = c->staff;
	int m = ui_margin(c);
	const char *name = v->draft_name[0] ? v->draft_name : v->kiosk_id;
	char offers[512] = "";
	int n_on = 0;
	for (int i = 0; i < v->n_flows; i++) {
		if (!v->draft_offered[i])
			continue;
		size_t at = strlen(offers);
		snprintf(offers + at, sizeof offers - at, "%s%s", n_on++ ? "  \xC2\xB7  " : "",
		         flow_title(v->flows[i]));
	}
	if (n_on == 0 && v->n_flows > 0)
		snprintf(offers, sizeof offers, "%s", flow_title(v->flows[0]));
	bool running = v->draft_event[0] != '\0';
	int rows = 3;
	int rh = ui_min((area.h - (rows - 1) * m) / rows, ui_max(c->min_target * 3 / 2, c->h / 6));
	ui_rect r = { area.x, area.y, area.w, rh };
	static const review_button none = { ACT_NONE, 0, NULL };
	/* Every button's words one size: the smallest any needs. */
	static const char *const labels[] = { "Change", "Start a new one", "End the event",
	                                      "Start an event" };
	int bw = ui_max(c->min_target * 3, r.w / 4), bh = ui_max(c->min_target, rh * 8 / 10);
	int px = 0;
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
		int p = ui_card_label_px(c, (ui_rect){ 0, 0, bw, bh }, STYLE_BUTTON, false, true, labels[i]);
		px = px == 0 || p < px ? p : px;
	}
	c->label_px = px;
	char fixed[128];
	snprintf(fixed, sizeof fixed, "%s (set in kiosk.yaml)", name);
	review_line(c, r, "Kiosk name", v->name_fixed ? fixed : name, false,
	            v->name_fixed ? none : (review_button){ ACT_STAFF_SETUP, SETUP_NAME, "Change" }, none);
	r.y += rh + m;
	review_line(c, r, "Offers", offers, false,
	            v->n_flows > 1 ? (review_button){ ACT_STAFF_SETUP, SETUP_FLOWS, "Change" } : none,
	            none);
	r.y += rh + m;
	if (v->setup_first)
		review_line(c, r, "Event", running ? v->draft_event : "No event", !running,
		            (review_button){ ACT_STAFF_SETUP, SETUP_EVENT, "Change" }, none);
	else if (!running)
		review_line(c, r, "Event", "No event", true,
		            (review_button){ ACT_STAFF_SETUP, SETUP_EVENT, "Start an event" }, none);
	else   /* from the menu, with an event running: end it, or start another */
		review_line(c, r, "Event", v->draft_event, false,
		            (review_button){ ACT_STAFF_END_EVENT, 0, "End the event" },
		            (review_button){ ACT_STAFF_SETUP, SETUP_EVENT, "Start a new one" });
	c->label_px = 0;
}

void
screen_staff_setup_build(ui_ctx *c)
{
	const staff_view *v = c->staff;
	int m = ui_margin(c), gap = m / 2;
	char sym[1024], buf[128];

	int wh = c->h / 22, qh = c->h / 11, hh = c->h / 22;
	where(v, buf, sizeof buf);
	ui_text(c, (ui_rect){ m, m, c->w - 2 * m, wh }, buf, wh * 8 / 10, FONT_REGULAR, ALIGN_LEFT,
	        c->th->muted_text);
	const char *q = v->setup_step == SETUP_REVIEW && !v->setup_first ? "This kiosk's set-up"
	                                                                  : questions[v->setup_step];
	ui_text(c, (ui_rect){ m, m + wh, c->w - 2 * m, qh }, q, qh * 7 / 10,
	        FONT_BOLD, ALIGN_LEFT, c->th->text);
	int top = m + wh + qh;
	const char *hint = v->setup_step == SETUP_NAME && !v->setup_first
	                           ? "A new name is used from the next person on."
	                           : hints[v->setup_step];
	if (hint[0]) {
		ui_text(c, (ui_rect){ m, top, c->w - 2 * m, hh }, hint, hh * 8 / 10, FONT_REGULAR,
		        ALIGN_LEFT, c->th->muted_text);
		top += hh;
	}
	top += gap;

	int bh = ui_max(c->min_target, c->h / 10);
	int by = c->h - m - bh;
	ui_rect area = { m, top, c->w - 2 * m, by - gap - top };
	switch (v->setup_step) {
	case SETUP_NAME:
	case SETUP_EVENT: build_field(c, area); break;
	case SETUP_FLOWS: build_flows(c, area); break;
	case SETUP_REVIEW: build_review(c, area); break;
	case SETUP_STEP_COUNT: break;
	}

	/* Below: the way back, a calm message, and what comes next. */
	int bw = ui_max(c->min_target * 3, c->w * 30 / 100);
	bool back = v->setup_step != SETUP_REVIEW;
	if (v->setup_first && !v->setup_reviewed) {
		/* The first step asked has nothing before it (the PIN is done). */
		back = false;
		for (int st = 0; st < (int)v->setup_step; st++)
			back |= (st == SETUP_NAME && !v->name_fixed) || (st == SETUP_FLOWS && v->n_flows > 1);
	}
	if (v->setup_step == SETUP_REVIEW && !v->setup_first) {
		int ti = ui_add_target(c, (ui_rect){ m, by, bw, bh }, ACT_STAFF_MENU, 0);
		ui_draw_target(c, ti, STYLE_BUTTON, ui_symbol(c, "back", sym, sizeof sym),
		               "Back to the menu", false, true);
	} else if (back) {
		int ti = ui_add_target(c, (ui_rect){ m, by, bw, bh }, ACT_STAFF_NEXT, -1);
		ui_draw_target(c, ti, STYLE_BUTTON, ui_symbol(c, "back", sym, sizeof sym), "Back", false,
		               true);
	}
	if (v->message[0])
		ui_text(c, (ui_rect){ m + bw + m, by, c->w - 2 * (bw + 2 * m), bh }, v->message, bh * 3 / 10,
		        FONT_REGULAR, ALIGN_CENTER, c->th->text);
	if (v->setup_step != SETUP_REVIEW || v->setup_first) {
		int ti = ui_add_target(c, (ui_rect){ c->w - m - bw, by, bw, bh }, ACT_STAFF_NEXT, 1);
		ui_draw_target(c, ti, STYLE_PRIMARY,
		               v->setup_step == SETUP_REVIEW ? ui_symbol(c, "start", sym, sizeof sym) : NULL,
		               ok_label(v), false, true);
	}
}
