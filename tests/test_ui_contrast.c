/*
 * test_ui_contrast: contrast measured from the pixels the app draws, not
 * from its palette, and golden screenshots of a question in each theme.
 *
 * Words. For every screen the walk reaches (below), the frame is drawn
 * four times from the same draw list (app_screenshot_without): as shown;
 * without the words (what lies behind each glyph); and the words alone on
 * black and on white, so a pixel the glyph covers (nearly) fully is known
 * whatever its colour: it is the same on both. For each piece of text, at
 * each such pixel that nothing drawn later covers, the contrast is the
 * WCAG ratio of the text's colour to the pixel behind it; the piece's
 * figure is what 99% of its pixels reach. It must reach 4.5:1, or 3:1 for
 * large text as WCAG defines it (24 px, or 18.67 px bold; the harness
 * panel is 96 dpi, so a pixel is a CSS pixel), and the theme's own promise
 * (theme.h: 7:1, 15:1 high contrast). Words under an overlay's veil are
 * inactive and not measured.
 *
 * Marks (WCAG 1.4.11: borders, dots, rings, the focus ring, the tick
 * badge): every outline, disc and arc drawn, at each of its outer edge
 * pixels that nothing covers, against the pixel two steps outside it in
 * the frame without words; the mark's figure is what 98% of its edge
 * reaches, and must be 3:1; a band (an outline, a ring) shows by either
 * of its edges. An edge beside another mark of its colour, or beside a
 * mark drawn after it, is that mark's edge, measured with it.
 *
 * Panels: a solid fill that is a control's face or holds one (a set-up
 * review line with its Change button), or that holds words (a row of
 * Load's, About's box, an answer's row of Today's and of the room's
 * charts) is a thing a person needs to see, and is measured as a mark
 * too; a fill or disc with a whole outline or ring drawn later on its rim
 * (a card's face, the dwell ring's backdrop) is measured through that
 * rim.
 *
 * The walk: welcome (one flow, two flows, with "you said, we did" cards),
 * every question of every demo flow (each type: feelings, yes/no,
 * choose-one, choose-many, sort, text, draw; the first of each type also
 * pressed, chosen and with the keyboard focus shown), the audience, the
 * settings overlay, the language overlay on its own, still-there on its
 * own and over the settings overlay, thank-you; in both themes and in
 * English, Arabic, Urdu (Nastaliq) and Bengali where the flow has them.
 * The kiosk's own screens while another program holds the database:
 * resetting, the rest screen (in each of those languages), a thank-you
 * still saving and saving late (English, Urdu). Dwell's ring part way
 * round (on Start, an answer, Skip) and one switch scanning's highlight
 * (the same three). Portrait, large text and the dyslexia font, each on
 * welcome, the settings overlay, the first question of each type and
 * thank-you. Staff mode: the first start's PIN, set-up and its review,
 * the PIN pad, the menu, set-up review, today, about, room (after four
 * people's answers, so both charts have rows); with a stick
 * (a stick_folder holding a good and a broken flow) the menu, Load's
 * verdicts, Export's "Safe to remove" and Clear's question.
 *
 * A failure names the screen and the words (or the mark), writes the frame
 * to the build's tests/contrast-fail-THEME.png and stops that theme; the
 * kiosk it had open, its folder and the stick are removed by the
 * teardown. Each run first removes the failure pictures (and this test's
 * goldens' .actual.png) an earlier run left, so none outlive their run.
 *
 * Goldens (tests/golden/theme-*.png, text-first-*.png) follow the rule of
 * test_ui_golden.c: TELLUS_UPDATE_GOLDEN=1 rewrites them; look at each.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <SDL_image.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "pin/pin.h"
#include "staff/staff.h"
#include "store/store.h"
#include "draw/draw.h"
#include "draw/theme.h"
#include "ui.h"
#include "ui_harness.h"

/* ---- measuring ---------------------------------------------------------- */

static double lin[256];

static void
lin_init(void)
{
	for (int v = 0; v < 256; v++) {
		double c = v / 255.0;
		lin[v] = c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
	}
}

/* Pixels are ARGB8888 (render.c's read_frame). */
static double
lum_px(Uint32 p)
{
	return 0.2126 * lin[p >> 16 & 0xFF] + 0.7152 * lin[p >> 8 & 0xFF] + 0.0722 * lin[p & 0xFF];
}

static double
ratio_l(double a, double b)
{
	return a > b ? (a + 0.05) / (b + 0.05) : (b + 0.05) / (a + 0.05);
}

static Uint32
px_of(ui_color c)
{
	return 0xFF000000u | (Uint32)c.r << 16 | (Uint32)c.g << 8 | c.b;
}

/* The largest channel difference. */
static int
px_diff(Uint32 a, Uint32 b)
{
	int d = 0;
	for (int sh = 0; sh <= 16; sh += 8) {
		int x = (int)(a >> sh & 0xFF) - (int)(b >> sh & 0xFF);
		if (x < 0)
			x = -x;
		if (x > d)
			d = x;
	}
	return d;
}

static Uint32
at(const SDL_Surface *s, int x, int y)
{
	return ((const Uint32 *)(const void *)((const Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch))[x];
}

/* One frame four ways (the header says why). */
typedef struct layers {
	SDL_Surface *shown, *behind, *on_black, *on_white;
} layers;

static void
layers_free(layers *l)
{
	SDL_FreeSurface(l->shown);
	SDL_FreeSurface(l->behind);
	SDL_FreeSurface(l->on_black);
	SDL_FreeSurface(l->on_white);
}

/* A glyph pixel: covered at least 90% (the words alone differ by at most
 * 24 of 255 on black and on white). */
#define SOLID_DIFF 24

/* A figure every pixel but a few reaches: a histogram in steps of 0.02. */
#define BINS 1000
typedef struct hist {
	long n[BINS];
	long total;
	double min;
	Uint32 min_fg, min_bg;
} hist;

static void
hist_clear(hist *h)
{
	memset(h, 0, sizeof *h);
	h->min = 99;
}

static void
hist_add(hist *h, double r, Uint32 fg, Uint32 bg)
{
	int b = (int)((r - 1.0) / 0.02);
	h->n[b < 0 ? 0 : b >= BINS ? BINS - 1 : b]++;
	h->total++;
	if (r < h->min) {
		h->min = r;
		h->min_fg = fg;
		h->min_bg = bg;
	}
}

/* What all but `permille` thousandths of the samples reach. */
static double
hist_floor(const hist *h, int permille)
{
	long skip = h->total * permille / 1000, seen = 0;
	for (int b = 0; b < BINS; b++) {
		seen += h->n[b];
		if (seen > skip)
			return 1.0 + 0.02 * b;
	}
	return 21;
}

typedef struct text_m {
	double ratio;        /* 0: nothing of it shows */
	long shown;          /* glyph pixels measured */
	Uint32 fg, bg;       /* the weakest pair met */
} text_m;

static hist scratch;

static text_m
measure_text(const layers *l, const draw_cmd *c)
{
	text_m m = { 0 };
	const SDL_Surface *s = l->shown;
	int x0 = c->r.x < 0 ? 0 : c->r.x, y0 = c->r.y < 0 ? 0 : c->r.y;
	int x1 = c->r.x + c->r.w > s->w ? s->w : c->r.x + c->r.w;
	int y1 = c->r.y + c->r.h > s->h ? s->h : c->r.y + c->r.h;
	Uint32 fg = px_of(c->color);
	double lf = lum_px(fg);
	hist_clear(&scratch);
	for (int y = y0; y < y1; y++)
		for (int x = x0; x < x1; x++) {
			if (px_diff(at(l->on_black, x, y), at(l->on_white, x, y)) > SOLID_DIFF)
				continue;
			/* Something drawn after the words covers this pixel. */
			if (px_diff(at(s, x, y), fg) > SOLID_DIFF)
				continue;
			Uint32 bg = at(l->behind, x, y);
			hist_add(&scratch, ratio_l(lf, lum_px(bg)), fg, bg);
		}
	m.shown = scratch.total;
	if (m.shown) {
		m.ratio = hist_floor(&scratch, 10);
		m.fg = scratch.min_fg;
		m.bg = scratch.min_bg;
	}
	return m;
}

/* The radius of a mark's corners as render.c draws them: a disc's or an
 * arc's is half its width; a fill's is clamped to half its sides, an
 * outline's also raised to its thickness. */
static double
corner(const draw_cmd *c)
{
	if (c->kind != DRAW_OUTLINE && c->kind != DRAW_FILL)
		return c->r.w / 2.0;
	int k = c->radius;
	if (k > c->r.w / 2)
		k = c->r.w / 2;
	if (k > c->r.h / 2)
		k = c->r.h / 2;
	if (k < 0)
		k = 0;
	if (c->kind == DRAW_OUTLINE && k < c->thickness)
		k = c->thickness;
	return k;
}

/* The outline's, panel's, disc's or arc's outer shape (render.c's
 * geometry): whether the pixel centre (x + .5, y + .5) lies inside. */
static bool in_hole(const draw_cmd *c, int x, int y);

static bool
in_shape(const draw_cmd *c, int x, int y)
{
	double px = x + 0.5, py = y + 0.5;
	ui_rect r = c->r;
	if (px < r.x || py < r.y || px > r.x + r.w || py > r.y + r.h)
		return false;
	double rad = corner(c);
	double cx = px < r.x + rad ? r.x + rad : px > r.x + r.w - rad ? r.x + r.w - rad : px;
	double cy = py < r.y + rad ? r.y + rad : py > r.y + r.h - rad ? r.y + r.h - rad : py;
	return (px - cx) * (px - cx) + (py - cy) * (py - cy) <= rad * rad;
}

/* The hole inside an outline or a ring (nothing for a disc). */
static bool
in_hole(const draw_cmd *c, int x, int y)
{
	if (c->kind == DRAW_DISC || c->kind == DRAW_FILL)
		return false;
	int t = c->thickness;
	draw_cmd in = *c;
	in.r = (ui_rect){ c->r.x + t, c->r.y + t, c->r.w - 2 * t, c->r.h - 2 * t };
	if (in.r.w <= 0 || in.r.h <= 0)
		return false;
	if (c->kind == DRAW_OUTLINE) {
		int k = c->radius;
		if (k > c->r.w / 2)
			k = c->r.w / 2;
		if (k > c->r.h / 2)
			k = c->r.h / 2;
		if (k < t)
			k = t;
		in.radius = k - t;
		in.thickness = 0;
	} else {
		in.kind = DRAW_DISC;
	}
	return in_shape(&in, x, y);
}

static bool
is_mark(const draw_cmd *c)
{
	return c->kind == DRAW_OUTLINE || c->kind == DRAW_DISC || c->kind == DRAW_ARC;
}

typedef struct mark_m {
	double ratio;        /* 0: no edge of it shows */
	long edge;           /* edge samples measured */
	Uint32 fg, bg;
} mark_m;

/* The step (one of the four) nearest the outward normal of c's outer
 * shape at pixel (x, y). */
static void
outward(const draw_cmd *c, int x, int y, int *dx, int *dy)
{
	double px = x + 0.5, py = y + 0.5, rad = corner(c);
	ui_rect r = c->r;
	double cx = px < r.x + rad ? r.x + rad : px > r.x + r.w - rad ? r.x + r.w - rad : px;
	double cy = py < r.y + rad ? r.y + rad : py > r.y + r.h - rad ? r.y + r.h - rad : py;
	double nx = px - cx, ny = py - cy;
	if (nx == 0 && ny == 0) {
		/* the straight part: the nearest side */
		double l = px - r.x, rt = r.x + r.w - px, t = py - r.y, b = r.y + r.h - py;
		double m = fmin(fmin(l, rt), fmin(t, b));
		nx = m == l ? -1 : m == rt ? 1 : 0;
		ny = nx != 0 ? 0 : m == t ? -1 : 1;
	}
	*dx = fabs(nx) >= fabs(ny) ? (nx > 0 ? 1 : -1) : 0;
	*dy = *dx ? 0 : (ny > 0 ? 1 : -1);
}

/* One side of a mark: its outer edge (inner false) or the edge of its
 * hole, against the first pixel beyond that is not the mark's (the
 * renderer may paint a pixel past the exact shape). A neighbour of the
 * mark's own colour inside another mark of that colour, or one showing a
 * mark drawn later (a swatch's ring around its colour), belongs to that
 * mark, measured on its own. */
static mark_m
measure_side(const layers *l, const draw_list *dl, size_t i, bool inner)
{
	mark_m m = { 0 };
	const draw_cmd *c = &dl->cmds[i];
	const SDL_Surface *s = l->behind;
	Uint32 col = px_of(c->color);
	double lc = lum_px(col);
	/* An outline's or a panel's edge lies within its corners' radius
	 * (or its thickness) of its sides; the middle is skipped. */
	int band = c->kind == DRAW_OUTLINE || c->kind == DRAW_FILL
	         ? (int)ceil(fmax(corner(c), c->thickness)) + 2 : 1 << 20;
	hist_clear(&scratch);
	for (int y = c->r.y; y < c->r.y + c->r.h; y++) {
		if (y < 4 || y >= s->h - 4)
			continue;
		bool row_edge = y - c->r.y < band || c->r.y + c->r.h - 1 - y < band;
		for (int x = c->r.x; x < c->r.x + c->r.w; x++) {
			if (!row_edge && x - c->r.x >= band && c->r.x + c->r.w - 1 - x >= band)
				x = c->r.x + c->r.w - band;   /* an outline's middle: nothing to see */
			if (x < 4 || x >= s->w - 4 || !in_shape(c, x, y) || in_hole(c, x, y) ||
			    at(s, x, y) != col)
				continue;
			int dx, dy;
			outward(c, x, y, &dx, &dy);
			if (inner) {
				dx = -dx;
				dy = -dy;
				if (!in_hole(c, x + dx, y + dy))
					continue;
			} else if (in_shape(c, x + dx, y + dy)) {
				continue;   /* not on the edge */
			}
			int qx = x + dx, qy = y + dy, k = 1;
			while (k < 3 && at(s, qx, qy) == col) {
				qx += dx;
				qy += dy;
				k++;
			}
			Uint32 q = at(s, qx, qy);
			bool other = false;
			for (size_t j = q == col ? 0 : i + 1; j < dl->n && !other; j++)
				other = j != i && is_mark(&dl->cmds[j]) && in_shape(&dl->cmds[j], qx, qy) &&
				        !in_hole(&dl->cmds[j], qx, qy) && at(s, qx, qy) == px_of(dl->cmds[j].color);
			if (other)
				continue;
			hist_add(&scratch, ratio_l(lc, lum_px(q)), col, q);
		}
	}
	m.edge = scratch.total;
	if (m.edge) {
		m.ratio = hist_floor(&scratch, 20);
		m.fg = scratch.min_fg;
		m.bg = scratch.min_bg;
	}
	return m;
}

/* A disc shows by its edge; a band (an outline, a ring) by either of
 * its edges: a chosen card's yellow band beside the white of the focus
 * ring still stands out from the black card inside it. */
static mark_m
measure_mark(const layers *l, const draw_list *dl, size_t i)
{
	mark_m out = measure_side(l, dl, i, false);
	if (dl->cmds[i].kind == DRAW_DISC || dl->cmds[i].kind == DRAW_FILL)
		return out;
	mark_m in = measure_side(l, dl, i, true);
	return in.edge && (!out.edge || in.ratio > out.ratio) ? in : out;
}

/* A fill or a disc with a whole outline or ring drawn later on its rim
 * (a card's face, the dwell ring's backdrop): its edge is that rim's,
 * measured with it (the few pixels where the rims' curves differ are not
 * an edge anyone sees). */
static bool
rimmed(const draw_list *dl, size_t i)
{
	const draw_cmd *c = &dl->cmds[i];
	for (size_t j = i + 1; j < dl->n; j++) {
		const draw_cmd *o = &dl->cmds[j];
		if ((o->kind == DRAW_OUTLINE || (o->kind == DRAW_ARC && o->radius >= 1000)) &&
		    o->r.x == c->r.x && o->r.y == c->r.y && o->r.w == c->r.w && o->r.h == c->r.h)
			return true;
	}
	return false;
}

/* A panel: a solid fill that is a control's face or holds one (a review
 * line with its Change button), or that holds words drawn after it (the
 * middle of their box in it: a row of Load's, About's box, a chart's
 * row). Its edge is that control's or that group's boundary, so it is a
 * mark; an outline drawn on it covers its edge and is measured instead.
 * A fill holding only a picture (its light tile, the tick badge's halo)
 * is the picture's, measured through the picture's own edges. */
static bool
is_panel(const draw_list *dl, size_t i, const ui_rect *targets, int n_targets)
{
	const draw_cmd *c = &dl->cmds[i];
	if (c->kind != DRAW_FILL || c->color.a != 0xFF)
		return false;
	for (int k = 0; k < n_targets; k++) {
		ui_rect t = targets[k];
		if (t.x >= c->r.x && t.y >= c->r.y && t.x + t.w <= c->r.x + c->r.w &&
		    t.y + t.h <= c->r.y + c->r.h)
			return true;
	}
	for (size_t j = i + 1; j < dl->n; j++) {
		const draw_cmd *w = &dl->cmds[j];
		int mx = w->r.x + w->r.w / 2, my = w->r.y + w->r.h / 2;
		if (w->kind == DRAW_TEXT && mx >= c->r.x && my >= c->r.y && mx < c->r.x + c->r.w &&
		    my < c->r.y + c->r.h)
			return true;
	}
	return false;
}

/* WCAG's large text: 18 pt, or 14 pt bold; at 96 dpi 24 px and 18.67 px. */
static bool
large_text(const draw_cmd *c)
{
	return c->px >= 24 || (c->face == FONT_BOLD && c->px * 3 >= 56);
}

typedef struct tally {
	double text_min[THEME_COUNT], mark_min[THEME_COUNT];
	char text_what[THEME_COUNT][300], mark_what[THEME_COUNT][300];
	long texts[THEME_COUNT], marks[THEME_COUNT], screens[THEME_COUNT];
} tally;

static tally totals;

/* Where a failing frame of theme t goes. */
static void
fail_path(enum theme_id t, char *path, size_t len)
{
	snprintf(path, len, "%s/tests/contrast-fail-%s.png", getenv("TELLUS_BUILD_ROOT"),
	         theme_get(t)->name);
}

/* The failing frame goes to the build's tests/contrast-fail-THEME.png, the
 * only file a failure leaves; its layers are freed here, and the open
 * kiosk closed (its folders removed) by the test's teardown. */
static void
fail_frame(layers *l, enum theme_id t, const char *what)
{
	char path[1024];
	fail_path(t, path, sizeof path);
	h_save_png(l->shown, path);
	layers_free(l);
	*l = (layers){ 0 };
	fail_msg("%s; wrote %s", what, path);
}

static void
hex(char *b, Uint32 p)
{
	snprintf(b, 8, "#%02X%02X%02X", (unsigned)(p >> 16 & 0xFF), (unsigned)(p >> 8 & 0xFF),
	         (unsigned)(p & 0xFF));
}

/* Measures every piece of text and every mark of the frame in l drawn
 * from dl; fails on the first below its figure. */
static void
check_layers(layers *l, const draw_list *dl, const ui_rect *targets, int n_targets,
             enum theme_id t, const char *where)
{
	const ui_theme *th = theme_get(t);
	char msg[1024], a[8], b[8];
	totals.screens[t]++;
	for (size_t i = 0; i < dl->n; i++) {
		const draw_cmd *c = &dl->cmds[i];
		if (c->kind == DRAW_TEXT) {
			const char *words = draw_str(dl, c->text_off);
			if (c->color.a != 0xFF) {
				snprintf(msg, sizeof msg, "%s: \"%s\" is drawn see-through (alpha %d)", where,
				         words, c->color.a);
				fail_frame(l, t, msg);
			}
			text_m m = measure_text(l, c);
			if (!m.shown)
				continue;   /* under a veil, or blank */
			bool big = large_text(c);
			double need = big ? 3.0 : 4.5;
			if (need < th->min_contrast)
				need = th->min_contrast;
			hex(a, m.fg);
			hex(b, m.bg);
			if (m.ratio < need) {
				snprintf(msg, sizeof msg, "%s, %s theme: \"%s\" (%d px%s) at %d,%d %dx%d measures "
				         "%.2f:1 against what is behind it (%s on %s at worst), needs %.1f:1",
				         where, th->name, words, c->px, c->face == FONT_BOLD ? " bold" : "",
				         c->r.x, c->r.y, c->r.w, c->r.h, m.ratio, a, b, need);
				fail_frame(l, t, msg);
			}
			totals.texts[t]++;
			if (m.ratio < totals.text_min[t]) {
				totals.text_min[t] = m.ratio;
				snprintf(totals.text_what[t], sizeof totals.text_what[t],
				         "%s: \"%.60s\", %s on %s", where, words, a, b);
			}
		} else if ((is_mark(c) || is_panel(dl, i, targets, n_targets)) && !rimmed(dl, i)) {
			mark_m m = measure_mark(l, dl, i);
			if (!m.edge)
				continue;   /* covered by what is drawn after it */
			hex(a, m.fg);
			hex(b, m.bg);
			static const char *const kinds[] = { [DRAW_FILL] = "panel", [DRAW_OUTLINE] = "outline",
			                                     [DRAW_DISC] = "disc", [DRAW_ARC] = "ring" };
			if (m.ratio < 3.0) {
				snprintf(msg, sizeof msg, "%s, %s theme: the %s %s at %d,%d %dx%d measures %.2f:1 "
				         "against what is next to it (%s beside %s at worst), needs 3:1",
				         where, th->name, a, kinds[c->kind], c->r.x, c->r.y, c->r.w, c->r.h,
				         m.ratio, a, b);
				fail_frame(l, t, msg);
			}
			totals.marks[t]++;
			if (m.ratio < totals.mark_min[t]) {
				totals.mark_min[t] = m.ratio;
				snprintf(totals.mark_what[t], sizeof totals.mark_what[t],
				         "%s: %s %s %dx%d beside %s", where, a, kinds[c->kind], c->r.w, c->r.h, b);
			}
		}
	}
}

/* Draws the current screen four ways and checks it. */
static void
check_screen(harness *h, enum theme_id t, const char *where)
{
	layers l = { 0 };
	l.shown = app_screenshot(h->app);
	l.behind = app_screenshot_without(h->app, 1u << DRAW_TEXT, -1);
	unsigned not_text = ~(1u << DRAW_TEXT);
	l.on_black = app_screenshot_without(h->app, not_text, 0x000000);
	l.on_white = app_screenshot_without(h->app, not_text, 0xFFFFFF);
	assert_non_null(l.shown);
	assert_non_null(l.behind);
	assert_non_null(l.on_black);
	assert_non_null(l.on_white);
	ui_rect targets[64];
	int acts[64];
	int n = app_targets(h->app, targets, acts, 64);
	check_layers(&l, app_draw_list(h->app), targets, n, t, where);
	layers_free(&l);
}

/* ---- walking every screen ---------------------------------------------- */

/* The one kiosk open now, with what it was given. It lives here, not on a
 * walk's stack, so that a failure (which leaves the walk by longjmp)
 * still closes it and removes its folders: the tests' teardown does. */
static harness kiosk;
static bool kiosk_open;
static char stick[64];        /* the stick folder, or "": none */
static sqlite3 *holder;       /* another program holding the database, or NULL */

/* What the next kiosk opened with tweak() starts with. */
typedef struct walk_setup {
	enum theme_id theme;
	enum access_method method;
	bool large_text, dyslexic_font, cards;
	const char *language;     /* NULL: the flow's first */
} walk_setup;
static walk_setup setup;

static harness *
opened(void)
{
	kiosk_open = true;
	return &kiosk;
}

static void
let_go_quietly(void)
{
	if (!holder)
		return;
	sqlite3_exec(holder, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(holder);
	holder = NULL;
}

static void
close_kiosk(void)
{
	let_go_quietly();   /* first: the kiosk's writer drains as it closes */
	if (kiosk_open) {
		kiosk_open = false;
		h_close(&kiosk);
	}
}

static void
remove_stick(void)
{
	if (!stick[0])
		return;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", stick);
	if (system(cmd) != 0)
		fprintf(stderr, "contrast: could not remove %s\n", stick);
	stick[0] = '\0';
}

/* After every test, passed or failed: nothing left open or on the disk. */
static int
tidy(void **st)
{
	(void)st;
	close_kiosk();
	remove_stick();
	setup = (walk_setup){ 0 };
	return 0;
}

static void
tweak(kiosk_config *c)
{
	c->access.theme = setup.theme;
	c->access.method = setup.method;
	c->access.large_text = setup.large_text;
	c->access.dyslexic_font = setup.dyslexic_font;
	if (setup.language) {
		c->language = strdup(setup.language);
		assert_non_null(c->language);
	}
	if (setup.cards)
		snprintf(c->you_said_we_did, sizeof c->you_said_we_did, "%s/config/you-said-we-did.yaml",
		         getenv("TELLUS_SOURCE_ROOT"));
	if (stick[0])
		snprintf(c->stick_folder, sizeof c->stick_folder, "%s", stick);
}

static void
set_theme(harness *h, enum theme_id t)
{
	/* The kiosk's defaults too, so a new person on welcome keeps them. */
	h->cfg.access.theme = t;
	access_settings acc = *app_access(h->app);
	acc.theme = t;
	app_set_access(h->app, &acc);
}

/* The flow's language lang through its own overlay; false when the flow
 * does not have it. */
static bool
set_language(harness *h, const char *lang)
{
	for (size_t i = 0; i < h->flow->n_languages; i++)
		if (strcmp(h->flow->languages[i], lang) == 0) {
			h_click(h, APP_ACT_OPEN_LANGUAGE, 0);
			h_click(h, APP_ACT_SET_LANGUAGE, (int)i);
			return true;
		}
	return false;
}

/* The first target doing `action` pressed and held: the frame while a
 * finger is on it. */
static void
check_pressed(harness *h, int action, int arg, enum theme_id t, const char *where)
{
	int x, y;
	if (!h_center(h, action, arg, &x, &y))
		return;
	h_mouse(h, SDL_MOUSEBUTTONDOWN, x, y);
	h_step(h);
	char w[300];
	snprintf(w, sizeof w, "%s, pressed", where);
	check_screen(h, t, w);
	/* Let go elsewhere: nothing is chosen. */
	h_mouse(h, SDL_MOUSEMOTION, 2, 400);
	h_step(h);
	h_mouse(h, SDL_MOUSEBUTTONUP, 2, 400);
	h_step(h);
	h_advance(h, 600);
	h_step(h);
}

/* The keyboard's focus shown (the first key shows it), and moved on once. */
static void
check_focused(harness *h, enum theme_id t, const char *where)
{
	char w[300];
	h_key(h, SDLK_TAB, 0);
	snprintf(w, sizeof w, "%s, focused", where);
	check_screen(h, t, w);
	h_key(h, SDLK_TAB, 0);
	snprintf(w, sizeof w, "%s, focus moved", where);
	check_screen(h, t, w);
}

/* Quiet on a question until "Are you still there?" comes. */
static void
walk_away(harness *h)
{
	h_advance(h, h->cfg.timing.idle_ms + 5);
	h_step(h);
	assert_int_equal(app_view(h->app)->screen, SCREEN_STILL_THERE);
}

/* The question's own states: pressed, then chosen (as its type shows a
 * choice), then focused. */
static void
question_states(harness *h, enum theme_id t, const char *where)
{
	const flow_question *q = app_view(h->app)->question;
	check_pressed(h, APP_ACT_ANSWER, 0, t, where);
	char w[340];
	switch (q->type) {
	case QT_CHOOSE_MANY:
		h_click(h, APP_ACT_ANSWER, 0);
		h_click(h, APP_ACT_ANSWER, 1);
		snprintf(w, sizeof w, "%s, two chosen", where);
		check_screen(h, t, w);
		break;
	case QT_SORT:
		h_click(h, APP_ACT_ANSWER, 0);
		h_click(h, APP_ACT_SORT_COLUMN, 0);
		h_click(h, APP_ACT_ANSWER, 1);
		h_click(h, APP_ACT_SORT_COLUMN, 2);
		h_click(h, APP_ACT_ANSWER, 2);
		snprintf(w, sizeof w, "%s, two sorted, one held", where);
		check_screen(h, t, w);
		break;
	case QT_TEXT:
		h_click(h, APP_ACT_KEY, 1);
		h_click(h, APP_ACT_KEY, 0);
		h_click(h, APP_ACT_KEY, APP_OSK_SPACE);
		snprintf(w, sizeof w, "%s, typed", where);
		check_screen(h, t, w);
		break;
	case QT_DRAW:
		h_click(h, APP_ACT_DRAW_COLOUR, 2);
		h_click(h, APP_ACT_DRAW_STAMP, 4);
		snprintf(w, sizeof w, "%s, a stamp", where);
		check_screen(h, t, w);
		break;
	default:
		break;
	}
	check_focused(h, t, where);
}

/* Leaves the question: Skip, or Done when the walk's answer took Skip's
 * place. */
static void
next_question(harness *h)
{
	if (h_count_action(h, APP_ACT_SKIP))
		h_click(h, APP_ACT_SKIP, 0);
	else
		h_click(h, APP_ACT_DONE, 0);
}

/* One pass through a flow: welcome, its overlays, every question (the
 * first of each type also pressed, chosen and focused), still-there
 * twice (on its own, and over the settings overlay), thank-you. */
static void
walk_flow(const char *flow_name, enum theme_id t, const char *lang, bool text_first)
{
	harness *h = opened();
	if (text_first)
		h_open_pres(h, flow_name, 1280, 800, PRES_TEXT_FIRST);
	else
		h_open(h, flow_name, 1280, 800, true);
	set_theme(h, t);
	if (lang && !set_language(h, lang)) {
		close_kiosk();
		return;
	}
	char where[300];
	const char *tag = lang ? lang : "en";
	snprintf(where, sizeof where, "%s (%s%s) welcome", flow_name, tag, text_first ? ", text-first" : "");
	check_screen(h, t, where);
	bool states = !text_first;
	if (states) {
		check_pressed(h, APP_ACT_START, 0, t, where);
		h_click(h, APP_ACT_OPEN_ACCESS, 0);
		snprintf(where, sizeof where, "%s (%s) settings overlay", flow_name, tag);
		check_screen(h, t, where);
		check_focused(h, t, where);
		h_click(h, APP_ACT_CLOSE_OVERLAY, 0);
		/* The language overlay on its own, in the language shown now. */
		h_click(h, APP_ACT_OPEN_LANGUAGE, 0);
		assert_int_equal(app_overlay(h->app), OVERLAY_LANGUAGE);
		snprintf(where, sizeof where, "%s (%s) language overlay", flow_name, tag);
		check_screen(h, t, where);
		if (!lang)
			check_focused(h, t, where);
		h_click(h, APP_ACT_CLOSE_OVERLAY, 0);
		assert_int_equal(app_overlay(h->app), OVERLAY_NONE);
	}
	h_click(h, APP_ACT_START, 0);
	if (app_view(h->app)->screen == SCREEN_AUDIENCE) {
		snprintf(where, sizeof where, "%s (%s) audience", flow_name, tag);
		check_screen(h, t, where);
		if (states) {
			check_pressed(h, ACT_AUDIENCE_HEAR, 0, t, where);
			check_focused(h, t, where);
		}
		h_click(h, ACT_CARRY_ON, 0);
	}
	bool still_seen = false, type_seen[QT_COUNT] = { false };
	for (int guard = 0; app_view(h->app)->screen == SCREEN_QUESTION && guard < 40; guard++) {
		const session_view *v = app_view(h->app);
		const flow_question *q = v->question;
		snprintf(where, sizeof where, "%s (%s%s) question %s (%s)", flow_name, tag,
		         text_first ? ", text-first" : "", q->id, question_type_name(q->type));
		check_screen(h, t, where);
		if (states && !type_seen[q->type]) {
			type_seen[q->type] = true;
			question_states(h, t, where);
		}
		if (!still_seen && states) {
			walk_away(h);
			snprintf(where, sizeof where, "%s (%s) still-there", flow_name, tag);
			check_screen(h, t, where);
			h_click(h, APP_ACT_STILL_HERE, 0);
			/* And over an overlay the person left open, which comes
			 * back with them. */
			h_click(h, APP_ACT_OPEN_ACCESS, 0);
			walk_away(h);
			snprintf(where, sizeof where, "%s (%s) still-there over the settings overlay",
			         flow_name, tag);
			check_screen(h, t, where);
			h_click(h, APP_ACT_STILL_HERE, 0);
			assert_int_equal(app_overlay(h->app), OVERLAY_ACCESS);
			h_click(h, APP_ACT_CLOSE_OVERLAY, 0);
			still_seen = true;
		}
		next_question(h);
	}
	assert_true(still_seen || !states);
	assert_int_equal(app_view(h->app)->screen, SCREEN_THANKS);
	snprintf(where, sizeof where, "%s (%s) thanks", flow_name, tag);
	check_screen(h, t, where);
	close_kiosk();
}

static const char *const flows[] = {
	"school-day.yaml", "clinic-visit.yaml", "co-production.yaml", "drop-in.yaml", "more-ways.yaml",
};
static const char *const langs[] = { NULL, "ar", "ur", "bn" };

static void
every_session_screen(enum theme_id t)
{
	for (size_t f = 0; f < sizeof flows / sizeof flows[0]; f++)
		for (size_t l = 0; l < sizeof langs / sizeof langs[0]; l++)
			walk_flow(flows[f], t, langs[l], false);
	walk_flow("school-day.yaml", t, NULL, true);
	walk_flow("clinic-visit.yaml", t, "ur", true);
}

/* Welcome offering two flows, and welcome with "you said, we did" cards
 * (pressed and focused too). */
static void
welcomes(enum theme_id t)
{
	static const char *const two[] = { "school-day.yaml", "clinic-visit.yaml" };
	harness *h = opened();
	h_open_flows(h, two, 2, 1280, 800, NULL, false);
	set_theme(h, t);
	check_screen(h, t, "welcome, two flows");
	check_focused(h, t, "welcome, two flows");
	close_kiosk();
	setup.cards = true;
	for (size_t l = 0; l < sizeof langs / sizeof langs[0]; l++) {
		h = opened();
		h_open_cfg(h, "school-day.yaml", 1280, 800, tweak);
		set_theme(h, t);
		char where[200];
		snprintf(where, sizeof where, "welcome with cards (%s)", langs[l] ? langs[l] : "en");
		if (langs[l] && !set_language(h, langs[l])) {
			close_kiosk();
			continue;
		}
		check_screen(h, t, where);
		if (!langs[l]) {
			check_pressed(h, ACT_CARD_HEAR, 0, t, where);
			check_focused(h, t, where);
		}
		close_kiosk();
	}
	setup.cards = false;
}

/* ---- the kiosk's own screens: the disk kept from it ---------------------- */

/* Another program takes the database (as a backup might) and keeps it:
 * the kiosk's rows wait in memory. */
static void
hold_database(harness *h)
{
	assert_int_equal(sqlite3_open_v2(h->db, &holder, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	sqlite3_busy_timeout(holder, 10000);
	assert_int_equal(sqlite3_exec(holder, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
}

/* It lets go; the writer's next try takes every row, and welcome comes
 * back by itself (in real time: the writer is a thread). */
static void
let_go(harness *h)
{
	let_go_quietly();
	Uint64 until = SDL_GetTicks64() + 30000;
	while ((app_view(h->app)->screen != SCREEN_WELCOME || app_resting(h->app)) &&
	       SDL_GetTicks64() < until)
		app_step(h->app, 10);
	assert_int_equal(app_view(h->app)->screen, SCREEN_WELCOME);
	assert_false(app_resting(h->app));
}

/* With the database held: a walk-away's blank "resetting" screen while its
 * rows wait, then the rest screen standing in for it (RESET_REST_MS,
 * app_store.c); and a thank-you still saving (its calm dots), then asking
 * for staff (SAVE_LATE_MS). In the kiosk's own language: the rest screen
 * follows the kiosk, not the person who walked away. */
static void
the_disk_waits(enum theme_id t, const char *lang, bool thanks)
{
	char where[200];
	const char *tag = lang ? lang : "en";
	setup.theme = t;
	setup.language = lang;
	harness *h = opened();
	h_open_cfg(h, "school-day.yaml", 1280, 800, tweak);
	setup.language = NULL;
	hold_database(h);
	h_click(h, APP_ACT_START, 0);
	walk_away(h);
	h_advance(h, h->cfg.timing.still_there_ms + 5);
	h_step(h);
	assert_int_equal(app_view(h->app)->screen, SCREEN_RESETTING);
	/* The writer's first try waits 2 s (in real time) before it calls the
	 * disk busy; a machine that slow shows the rest screen already. */
	if (!app_resting(h->app)) {
		snprintf(where, sizeof where, "resetting, its rows waiting (%s)", tag);
		check_screen(h, t, where);
	}
	h_advance(h, 3000);
	h_step(h);
	assert_true(app_resting(h->app));
	snprintf(where, sizeof where, "the rest screen (%s)", tag);
	check_screen(h, t, where);
	if (thanks) {
		let_go(h);
		h_click(h, APP_ACT_START, 0);
		for (int g = 0; g < 40; g++) {
			const session_view *v = app_view(h->app);
			assert_int_equal(v->screen, SCREEN_QUESTION);
			if (v->question_number >= v->question_total)
				break;
			next_question(h);
		}
		hold_database(h);
		next_question(h);   /* waits for its row (HOLD_MS, real time), then goes on */
		assert_int_equal(app_view(h->app)->screen, SCREEN_THANKS);
		assert_false(app_resting(h->app));
		if (!lang)
			assert_true(h_has_text(h, "Saving your answers"));
		snprintf(where, sizeof where, "thanks, saving (%s)", tag);
		check_screen(h, t, where);
		h_advance(h, 10001);
		h_step(h);
		assert_int_equal(app_view(h->app)->screen, SCREEN_THANKS);
		if (!lang)
			assert_true(h_has_text(h, "Please ask a member of staff to check the kiosk."));
		snprintf(where, sizeof where, "thanks, saving late (%s)", tag);
		check_screen(h, t, where);
	}
	close_kiosk();
	setup.theme = THEME_DEFAULT;
}

static void
kiosk_screens(enum theme_id t)
{
	for (size_t l = 0; l < sizeof langs / sizeof langs[0]; l++)
		the_disk_waits(t, langs[l], !langs[l] || strcmp(langs[l], "ur") == 0);
}

/* ---- dwell and scanning ---------------------------------------------- */

/* The pointer rests on the target doing (action, arg), coming from 50 px
 * away (a clear move), for `permille` of the dwell: its ring drawn part
 * way round. */
static void
rest_on(harness *h, int action, int arg, int permille)
{
	int x, y;
	assert_true(h_center(h, action, arg, &x, &y));
	h_mouse_hover(h, x, y >= 60 ? y - 50 : y + 50);
	h_step(h);
	h_mouse_hover(h, x, y);
	h_step(h);
	h_advance(h, h->cfg.access.dwell_ms * permille / 1000);
	h_step(h);
	const draw_list *dl = app_draw_list(h->app);
	bool ring = false;
	for (size_t i = 0; i < dl->n; i++)
		ring = ring || dl->cmds[i].kind == DRAW_ARC;
	if (!ring)
		fail_msg("no dwell ring after %d/1000 of the dwell on target %d/%d", permille, action, arg);
}

/* The highlight moves by itself until it is on (action, arg). */
static void
scan_to(harness *h, int action, int arg)
{
	int want = h_target_index(h, action, arg);
	assert_true(want >= 0);
	for (int guard = 0; app_focus(h->app) != want; guard++) {
		if (guard > 400)
			fail_msg("the highlight never reached target %d/%d", action, arg);
		h_advance(h, 250);
		h_step(h);
	}
}

/* Dwell: the ring part way round on Start (the main action's face) and on
 * an answer card; one switch scanning: the highlight on Start, on an
 * answer and on Skip. */
static void
dwell_and_scan(enum theme_id t)
{
	setup.theme = t;
	setup.method = ACCESS_DWELL;
	harness *h = opened();
	h_open_cfg(h, "school-day.yaml", 1280, 800, tweak);
	rest_on(h, APP_ACT_START, 0, 400);
	check_screen(h, t, "welcome, dwelling on Start");
	h_advance(h, h->cfg.access.dwell_ms);
	h_step(h);
	assert_int_equal(app_view(h->app)->screen, SCREEN_QUESTION);
	rest_on(h, APP_ACT_ANSWER, 1, 600);
	check_screen(h, t, "question feeling, dwelling on an answer");
	rest_on(h, APP_ACT_SKIP, 0, 300);
	check_screen(h, t, "question feeling, dwelling on Skip");
	close_kiosk();

	setup.method = ACCESS_SCAN;
	h = opened();
	h_open_cfg(h, "school-day.yaml", 1280, 800, tweak);
	scan_to(h, APP_ACT_START, 0);
	check_screen(h, t, "welcome, scanning on Start");
	h_key(h, SDLK_SPACE, 0);
	h_step(h);
	assert_int_equal(app_view(h->app)->screen, SCREEN_QUESTION);
	scan_to(h, APP_ACT_ANSWER, 2);
	check_screen(h, t, "question feeling, scanning on an answer");
	scan_to(h, APP_ACT_SKIP, 0);
	check_screen(h, t, "question feeling, scanning on Skip");
	close_kiosk();
	setup.method = ACCESS_TOUCH;
	setup.theme = THEME_DEFAULT;
}

/* ---- other looks: portrait, large text, the dyslexia font --------------- */

enum look { LOOK_PORTRAIT, LOOK_LARGE_TEXT, LOOK_DYSLEXIA_FONT, LOOK_COUNT };
static const char *const look_names[LOOK_COUNT] = { "portrait", "large text", "dyslexia font" };

/* Not the whole walk again: welcome, the settings overlay, the first
 * question of each type (school-day has four, more-ways the other three)
 * and thank-you. */
static void
walk_look(enum look lk, enum theme_id t)
{
	static const char *const two[] = { "school-day.yaml", "more-ways.yaml" };
	int w = lk == LOOK_PORTRAIT ? 800 : 1280, hp = lk == LOOK_PORTRAIT ? 1280 : 800;
	bool seen[QT_COUNT] = { false };
	char where[300];
	setup.theme = t;
	setup.large_text = lk == LOOK_LARGE_TEXT;
	setup.dyslexic_font = lk == LOOK_DYSLEXIA_FONT;
	for (size_t f = 0; f < sizeof two / sizeof two[0]; f++) {
		harness *h = opened();
		h_open_cfg(h, two[f], w, hp, tweak);
		if (f == 0) {
			snprintf(where, sizeof where, "%s, %s: welcome", look_names[lk], two[f]);
			check_screen(h, t, where);
			h_click(h, APP_ACT_OPEN_ACCESS, 0);
			snprintf(where, sizeof where, "%s, %s: settings overlay", look_names[lk], two[f]);
			check_screen(h, t, where);
			h_click(h, APP_ACT_CLOSE_OVERLAY, 0);
		}
		h_click(h, APP_ACT_START, 0);
		for (int g = 0; app_view(h->app)->screen == SCREEN_QUESTION && g < 40; g++) {
			const flow_question *q = app_view(h->app)->question;
			if (!seen[q->type]) {
				seen[q->type] = true;
				snprintf(where, sizeof where, "%s, %s: question %s (%s)", look_names[lk], two[f],
				         q->id, question_type_name(q->type));
				check_screen(h, t, where);
			}
			next_question(h);
		}
		assert_int_equal(app_view(h->app)->screen, SCREEN_THANKS);
		if (f == 0) {
			snprintf(where, sizeof where, "%s, %s: thanks", look_names[lk], two[f]);
			check_screen(h, t, where);
		}
		close_kiosk();
	}
	for (int qt = 0; qt < QT_COUNT; qt++)
		if (!seen[qt])
			fail_msg("%s: no question of type %s was walked", look_names[lk],
			         question_type_name((enum question_type)qt));
	setup = (walk_setup){ 0 };
}

static void
looks(enum theme_id t)
{
	for (int lk = 0; lk < LOOK_COUNT; lk++)
		walk_look((enum look)lk, t);
}

/* ---- staff mode ---------------------------------------------------------- */

#define PIN "246813"

/* A PIN set, the hidden gesture: the PIN pad. */
static void
to_pin_pad(harness *h)
{
	h_set_pin(h, PIN);
	h_staff_gesture(h);
	assert_int_equal(app_staff(h->app)->screen, STAFF_PIN);
}

static void
type_pin(harness *h)
{
	h_type_pin(h, PIN);
	assert_int_equal(app_staff(h->app)->screen, STAFF_MENU);
}

/* Back from a staff screen to the menu, by its Menu or its Back. */
static void
to_menu(harness *h, const char *from)
{
	if (h_count_action(h, ACT_STAFF_MENU))
		h_click(h, ACT_STAFF_MENU, 0);
	else
		h_click(h, APP_ACT_BACK, 0);
	h_settle_staff(h);
	if (app_staff(h->app)->screen != STAFF_MENU)
		fail_msg("not back on the staff menu from %s", from);
}

/* Four people: three feel answer 3, one answer 0 (the rest skipped), so
 * Today and the room draw their charts' rows (the room's "a few" too). */
static void
four_people(harness *h)
{
	for (int p = 0; p < 4; p++) {
		h_click(h, APP_ACT_START, 0);
		assert_int_equal(app_view(h->app)->screen, SCREEN_QUESTION);
		h_click(h, APP_ACT_ANSWER, p < 3 ? 3 : 0);
		app_wait_hold(h->app);
		h_step(h);
		for (int g = 0; app_view(h->app)->screen == SCREEN_QUESTION && g < 40; g++)
			next_question(h);
		assert_int_equal(app_view(h->app)->screen, SCREEN_THANKS);
		app_flush(h->app);
		h_click(h, APP_ACT_FINISH, 0);
		for (int i = 0; i < 50 && app_view(h->app)->screen != SCREEN_WELCOME; i++) {
			h_advance(h, 100);
			app_step(h->app, 5);
		}
		assert_int_equal(app_view(h->app)->screen, SCREEN_WELCOME);
	}
}

/* Staff mode: the first set-up (a new database) to its review, then the
 * gesture, the PIN pad, the menu and the screens it opens (Load, Export
 * and Clear: staff_with_stick). */
static void
staff_screens(enum theme_id t)
{
	static const char *const one[] = { "school-day.yaml" };
	harness *h = opened();
	h_open_flows(h, one, 1, 1280, 800, NULL, true);
	set_theme(h, t);
	h_settle_staff(h);
	assert_int_equal(app_staff(h->app)->screen, STAFF_PIN);
	check_screen(h, t, "staff first start, a new PIN");
	for (int twice = 0; twice < 2; twice++) {
		for (const char *p = PIN; *p; p++)
			h_click(h, ACT_STAFF_DIGIT, *p - '0');
		h_click(h, ACT_STAFF_OK, 0);
		h_settle_staff(h);
	}
	assert_int_equal(app_staff(h->app)->screen, STAFF_SETUP);
	check_screen(h, t, "staff set-up");
	check_focused(h, t, "staff set-up");
	/* A name and an event typed on its keys: every review line filled. */
	for (int g = 0; app_staff(h->app)->setup_step != SETUP_REVIEW && g < 8; g++) {
		enum staff_setup_step step = app_staff(h->app)->setup_step;
		for (const char *k = step == SETUP_NAME ? "hall-2" : step == SETUP_EVENT ? "fair" : ""; *k;
		     k++)
			h_click(h, ACT_STAFF_KEY, *k);
		h_click(h, ACT_STAFF_NEXT, 1);
		h_settle_staff(h);
	}
	assert_int_equal(app_staff(h->app)->setup_step, SETUP_REVIEW);
	check_screen(h, t, "staff first set-up, its review");
	close_kiosk();

	h = opened();
	h_open(h, "school-day.yaml", 1280, 800, true);
	set_theme(h, t);
	four_people(h);
	to_pin_pad(h);
	h_click(h, ACT_STAFF_DIGIT, 2);
	check_screen(h, t, "staff PIN pad, a digit typed");
	check_pressed(h, ACT_STAFF_DIGIT, 5, t, "staff PIN pad");
	h_click(h, ACT_STAFF_DELETE, 0);
	type_pin(h);
	check_screen(h, t, "staff menu");
	check_focused(h, t, "staff menu");
	/* Today and the room with their rows: a count of 3 (and the room's
	 * "a few"), not "Counting" or the room's "none yet". */
	static const struct { int act, arg; const char *name, *shows; } opens[] = {
		{ ACT_STAFF_SETUP, SETUP_REVIEW, "staff set-up review", NULL },
		{ ACT_STAFF_TODAY, 0, "staff today", "3" },
		{ ACT_STAFF_ABOUT, 0, "staff about", NULL },
		{ ACT_STAFF_ROOM, 0, "staff room", "a few" },
	};
	for (size_t i = 0; i < sizeof opens / sizeof opens[0]; i++) {
		h_click(h, opens[i].act, opens[i].arg);
		h_settle_staff(h);
		if (opens[i].shows && !h_has_text(h, opens[i].shows))
			fail_msg("%s does not show \"%s\"", opens[i].name, opens[i].shows);
		check_screen(h, t, opens[i].name);
		if (opens[i].act == ACT_STAFF_ROOM)
			break;   /* the room has no way back but the gesture */
		to_menu(h, opens[i].name);
	}
	close_kiosk();
}

static void
put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

/* A stick (the stick_folder setting) holding a new flow and a broken one:
 * Load's verdicts, then one session exported and Export's result with its
 * counts, and Clear's question, now that every session is exported. */
static void
staff_with_stick(enum theme_id t)
{
	snprintf(stick, sizeof stick, "/tmp/tellus-contrast-stick-XXXXXX");
	assert_non_null(mkdtemp(stick));
	char path[256], cmd[1024];
	snprintf(cmd, sizeof cmd, "mkdir -p '%s/TELLUS/flows' && sed 's/^id: school-day$/id: spring-fair/' "
	         "'%s/config/flows/school-day.yaml' > '%s/TELLUS/flows/spring-fair.yaml'", stick,
	         getenv("TELLUS_SOURCE_ROOT"), stick);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof path, "%s/TELLUS/flows/broken.yaml", stick);
	put(path, "id: broken-one\nversion: 1\ntitle:\n  en: Broken\nlanguages: [en]\n"
	          "questions:\n  - id: q1\n    type: spinning-wheel\n    text:\n      en: Hello?\n");

	setup.theme = t;
	harness *h = opened();
	h_open_cfg(h, "school-day.yaml", 1280, 800, tweak);
	h_click(h, APP_ACT_START, 0);
	for (int g = 0; app_view(h->app)->screen == SCREEN_QUESTION && g < 40; g++)
		next_question(h);
	app_flush(h->app);
	to_pin_pad(h);
	type_pin(h);
	check_screen(h, t, "staff menu, a stick in");
	h_click(h, ACT_STAFF_LOAD, 0);
	h_settle_staff(h);
	assert_int_equal(app_staff(h->app)->screen, STAFF_LOAD);
	assert_int_equal(app_staff(h->app)->load_n, 2);
	assert_int_equal(app_staff(h->app)->load_taken, 1);
	check_screen(h, t, "staff load, one taken and one not");
	check_focused(h, t, "staff load");
	to_menu(h, "staff load");
	h_click(h, ACT_STAFF_EXPORT, 0);
	h_settle_staff(h);
	assert_int_equal(app_staff(h->app)->screen, STAFF_EXPORT);
	assert_int_equal(app_staff(h->app)->export_state, EXPORT_DONE);
	check_screen(h, t, "staff export, safe to remove");
	check_pressed(h, ACT_STAFF_CLOSE, 0, t, "staff export, safe to remove");
	check_focused(h, t, "staff export, safe to remove");
	to_menu(h, "staff export");
	check_screen(h, t, "staff menu, all exported");
	h_click(h, ACT_STAFF_CLEAR, 0);
	h_settle_staff(h);
	assert_int_equal(app_staff(h->app)->screen, STAFF_CLEAR);
	check_screen(h, t, "staff clear, asking");
	check_focused(h, t, "staff clear, asking");
	close_kiosk();
	remove_stick();
	setup.theme = THEME_DEFAULT;
}

static void
run_theme(enum theme_id t)
{
	every_session_screen(t);
	welcomes(t);
	kiosk_screens(t);
	dwell_and_scan(t);
	looks(t);
	staff_screens(t);
	staff_with_stick(t);
}

static void
default_theme(void **st)
{
	(void)st;
	run_theme(THEME_DEFAULT);
}

static void
high_contrast(void **st)
{
	(void)st;
	run_theme(THEME_HIGH_CONTRAST);
}

/* The table agrees: every text pair of each theme reaches its figure, and
 * the arithmetic gives the known WCAG values. */
static void
theme_tables(void **st)
{
	(void)st;
	ui_color white = { 255, 255, 255, 255 }, black = { 0, 0, 0, 255 };
	ui_color grey = { 0x76, 0x76, 0x76, 255 };
	assert_true(fabs(theme_contrast(white, black) - 21.0) < 1e-9);
	assert_true(fabs(theme_contrast(black, white) - 21.0) < 1e-9);
	assert_true(fabs(theme_contrast(grey, grey) - 1.0) < 1e-9);
	/* #767676 on white is the classic 4.54:1. */
	assert_true(fabs(theme_contrast(grey, white) - 4.54) < 0.01);
	assert_true(fabs(ratio_l(lum_px(px_of(grey)), lum_px(px_of(white))) - 4.54) < 0.01);
	assert_ptr_equal(theme_get(THEME_DEFAULT), theme_default());
	assert_ptr_equal(theme_get((enum theme_id)99), theme_default());
	assert_true(theme_get(THEME_DEFAULT)->min_contrast >= 7.0);
	assert_true(theme_get(THEME_HIGH_CONTRAST)->min_contrast >= 15.0);
	for (int t = 0; t < THEME_COUNT; t++) {
		const ui_theme *th = theme_get((enum theme_id)t);
		const char *which = NULL;
		double lo = theme_check(th, &which);
		assert_non_null(which);
		if (lo < th->min_contrast)
			fail_msg("%s theme: %s is only %.2f:1", th->name, which, lo);
	}
	/* A theme with a faint pair is caught and named. */
	ui_theme bad = *theme_default();
	bad.muted_text = (ui_color){ 0x99, 0x99, 0x99, 0xFF };
	const char *which = NULL;
	assert_true(theme_check(&bad, &which) < 7.0);
	assert_string_equal(which, "muted_text on card_pressed");
}

static SDL_Surface *
surface(Uint32 fill)
{
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, 80, 40, 32, SDL_PIXELFORMAT_ARGB8888);
	assert_non_null(s);
	SDL_FillRect(s, NULL, fill);
	return s;
}

/*
 * The measurement can fail, and measures what is behind the glyphs, not
 * the box's commonest colour: dark words of which a quarter lie on a dark
 * band measure low, though the box is mostly light; words the colour of
 * their background measure 1:1 (a glyph is found whatever its colour);
 * words under something drawn later are not measured; a light disc on a
 * light background measures low, one edged by a later mark of its colour
 * is that mark's.
 */
static void
measure_can_fail(void **st)
{
	(void)st;
	const Uint32 light = 0xFFF0F0F0, dark = 0xFF303030, ink = 0xFF202020;
	layers l = { surface(light), surface(light), surface(0xFF000000), surface(0xFFFFFFFF) };
	SDL_Rect glyph = { 10, 10, 40, 10 };
	SDL_FillRect(l.behind, &(SDL_Rect){ 40, 0, 40, 40 }, dark);
	SDL_FillRect(l.shown, &(SDL_Rect){ 40, 0, 40, 40 }, dark);
	SDL_FillRect(l.shown, &glyph, ink);
	SDL_FillRect(l.on_black, &glyph, ink);
	SDL_FillRect(l.on_white, &glyph, ink);
	draw_list dl = { 0 };
	draw_text(&dl, (ui_rect){ 0, 0, 80, 40 }, "words", 20, FONT_REGULAR, ALIGN_LEFT,
	          (ui_color){ 0x20, 0x20, 0x20, 0xFF });
	assert_int_equal(dl.n, 1);
	text_m m = measure_text(&l, &dl.cmds[0]);
	assert_int_equal(m.shown, 400);
	assert_true(m.ratio < 1.5);           /* the quarter on the dark band */
	assert_int_equal(m.bg, dark);
	/* The same words all on light: about 15:1. */
	SDL_FillRect(l.behind, NULL, light);
	m = measure_text(&l, &dl.cmds[0]);
	assert_true(m.ratio > 14 && m.ratio < 17);
	/* Words the colour of what is behind them. */
	SDL_FillRect(l.behind, NULL, ink);
	m = measure_text(&l, &dl.cmds[0]);
	assert_int_equal(m.shown, 400);
	assert_true(m.ratio < 1.05);
	/* Covered by a veil drawn later: not measured. */
	SDL_FillRect(l.shown, &glyph, 0xFF808080);
	m = measure_text(&l, &dl.cmds[0]);
	assert_int_equal(m.shown, 0);

	/* A disc: light grey on near-white is low; dark on it is fine. */
	draw_list_clear(&dl);
	SDL_FillRect(l.behind, NULL, light);
	ui_rect dr = { 20, 10, 20, 20 };
	draw_disc(&dl, dr, (ui_color){ 0xD5, 0xCE, 0xBF, 0xFF });
	SDL_FillRect(l.behind, &(SDL_Rect){ 22, 12, 16, 16 }, 0xFFD5CEBF);
	for (int y = 10; y < 30; y++)
		for (int x = 20; x < 40; x++)
			if (in_shape(&dl.cmds[0], x, y))
				((Uint32 *)l.behind->pixels)[y * (l.behind->pitch / 4) + x] = 0xFFD5CEBF;
	mark_m mm = measure_mark(&l, &dl, 0);
	assert_true(mm.edge > 20);
	assert_true(mm.ratio < 1.5);
	/* The same disc edged by a later ring of its own colour: the ring's. */
	draw_arc(&dl, (ui_rect){ 16, 6, 28, 28 }, (ui_color){ 0xD5, 0xCE, 0xBF, 0xFF }, 4, 1000);
	for (int y = 6; y < 34; y++)
		for (int x = 16; x < 44; x++)
			if (in_shape(&dl.cmds[1], x, y))
				((Uint32 *)l.behind->pixels)[y * (l.behind->pitch / 4) + x] = 0xFFD5CEBF;
	mm = measure_mark(&l, &dl, 0);
	assert_int_equal(mm.edge, 0);
	mm = measure_mark(&l, &dl, 1);
	assert_true(mm.edge > 20 && mm.ratio < 1.5);
	draw_list_finish(&dl);
	layers_free(&l);
}

/* ---- goldens ------------------------------------------------------------ */

static void
golden(harness *h, const char *name)
{
	char msg[1024];
	if (!h_golden(h, name, msg, sizeof msg))
		fail_msg("%s", msg);
}

static void
go_to(harness *h, const char *qid)
{
	if (app_view(h->app)->screen == SCREEN_WELCOME)
		h_click(h, APP_ACT_START, 0);
	for (int i = 0; i < 32; i++) {
		const session_view *v = app_view(h->app);
		assert_int_equal(v->screen, SCREEN_QUESTION);
		if (strcmp(v->question->id, qid) == 0)
			return;
		h_click(h, APP_ACT_SKIP, 0);
	}
	fail_msg("question %s never showed", qid);
}

/* Each golden: its name, the flow and question, the window, the
 * presentation forced (-1: the flow's own), the theme, large text and the
 * dyslexia font. */
static const struct golden_shot {
	const char *name, *flow, *qid;
	int w, h, pres;
	enum theme_id theme;
	bool large, dyslexic;
} golden_shots[] = {
	{ "theme-high-contrast-landscape", "school-day.yaml", "feeling", 1280, 800, -1,
	  THEME_HIGH_CONTRAST, false, false },
	{ "theme-high-contrast-choose-many", "school-day.yaml", "activities", 1280, 800, -1,
	  THEME_HIGH_CONTRAST, false, false },
	{ "theme-large-text-landscape", "school-day.yaml", "feeling", 1280, 800, -1,
	  THEME_DEFAULT, true, false },
	{ "theme-large-text-easy-read", "co-production.yaml", "result", 1280, 800, -1,
	  THEME_DEFAULT, true, false },
	{ "theme-dyslexic-landscape", "school-day.yaml", "feeling", 1280, 800, -1,
	  THEME_DEFAULT, false, true },
	{ "text-first-landscape", "clinic-visit.yaml", "who", 1280, 800, PRES_TEXT_FIRST,
	  THEME_DEFAULT, false, false },
	{ "text-first-portrait", "school-day.yaml", "feeling", 800, 1280, PRES_TEXT_FIRST,
	  THEME_DEFAULT, false, false },
	{ "text-first-high-contrast", "co-production.yaml", "result", 1280, 800, PRES_TEXT_FIRST,
	  THEME_HIGH_CONTRAST, true, false },
};

static void
shot(const struct golden_shot *g)
{
	harness *h = opened();
	if (g->pres >= 0)
		h_open_pres(h, g->flow, g->w, g->h, (enum presentation)g->pres);
	else
		h_open(h, g->flow, g->w, g->h, true);
	h->cfg.access.theme = g->theme;
	h->cfg.access.large_text = g->large;
	h->cfg.access.dyslexic_font = g->dyslexic;
	app_set_access(h->app, &h->cfg.access);
	go_to(h, g->qid);
	if (strcmp(g->qid, "activities") == 0)
		h_click(h, APP_ACT_ANSWER, 1);   /* a chosen card shows its tick */
	golden(h, g->name);
	close_kiosk();
}

static void
goldens(void **st)
{
	(void)st;
	for (size_t i = 0; i < sizeof golden_shots / sizeof golden_shots[0]; i++)
		shot(&golden_shots[i]);
}

/* Before the tests: the pictures an earlier run's failures left in the
 * build's tests/ folder go, so what is there afterwards is this run's. */
static int
fresh_start(void **st)
{
	(void)st;
	char path[1024];
	const char *bld = getenv("TELLUS_BUILD_ROOT");
	assert_non_null(bld);
	for (int t = 0; t < THEME_COUNT; t++) {
		fail_path((enum theme_id)t, path, sizeof path);
		remove(path);
	}
	snprintf(path, sizeof path, "%s/tests/contrast-fail.png", bld);   /* its name before */
	remove(path);
	for (size_t i = 0; i < sizeof golden_shots / sizeof golden_shots[0]; i++) {
		snprintf(path, sizeof path, "%s/tests/%s.actual.png", bld, golden_shots[i].name);
		remove(path);
	}
	return 0;
}

static int
report(void **st)
{
	(void)st;
	for (int t = 0; t < THEME_COUNT; t++)
		if (totals.screens[t])
			fprintf(stderr, "contrast: %s theme, %ld frames; %ld pieces of text, weakest %.2f:1 (%s); "
			        "%ld marks, weakest %.2f:1 (%s)\n", theme_get((enum theme_id)t)->name,
			        totals.screens[t], totals.texts[t], totals.text_min[t], totals.text_what[t],
			        totals.marks[t], totals.mark_min[t], totals.mark_what[t]);
	return 0;
}

int
main(void)
{
	lin_init();
	for (int t = 0; t < THEME_COUNT; t++)
		totals.text_min[t] = totals.mark_min[t] = 99;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(theme_tables),
		cmocka_unit_test(measure_can_fail),
		cmocka_unit_test_teardown(default_theme, tidy),
		cmocka_unit_test_teardown(high_contrast, tidy),
		cmocka_unit_test_teardown(goldens, tidy),
	};
	return cmocka_run_group_tests(tests, fresh_start, report);
}
