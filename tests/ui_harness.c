/*
 * ui_harness: see ui_harness.h. Events go through SDL_PushEvent, the same
 * queue the real devices feed, and the app's own loop (app_step) takes them.
 */
#include "ui_harness.h"
#include "flow/flow_helper.h"
#include "cards/cards.h"
#include "intake/intake.h"
#include "staff/staff.h"
#include "pin/pin.h"
#include "ui.h"
#include "store/store.h"

#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
die(const char *what)
{
	fprintf(stderr, "harness: %s\n", what);
	abort();
}

static flow *
load_one(const char *root, const char *flow_name)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/config/flows/%s", root, flow_name);
	diag_list d = { 0 };
	flow *f = NULL;
	if (flow_load(path, &f, &d) != 0) {
		for (size_t i = 0; i < d.n; i++) {
			char b[1024];
			diag_format(&d.items[i], b, sizeof b);
			fprintf(stderr, "%s\n", b);
		}
		die("flow did not load");
	}
	diag_list_finish(&d);
	return f;
}

static void
open_common(harness *h, const char *const *names, int n_names, int w, int hp, bool windowed,
            const char *vfs, int presentation, void (*tweak)(kiosk_config *), bool setup)
{
	memset(h, 0, sizeof *h);
	snprintf(h->dir, sizeof h->dir, "/tmp/tellus-ui-XXXXXX");
	if (!mkdtemp(h->dir))
		die("mkdtemp");
	snprintf(h->db, sizeof h->db, "%s/tellus.db", h->dir);
	tl_fake_clock_init(&h->clk, 1000000, 1795000000000LL);
	config_default(&h->cfg);
	h->cfg.dpi = H_PANEL_DPI;
	if (tweak)
		tweak(&h->cfg);
	const char *root = getenv("TELLUS_SOURCE_ROOT");
	if (!root)
		die("TELLUS_SOURCE_ROOT is not set");
	if (n_names < 1 || n_names > H_MAX_FLOWS)
		die("1 to H_MAX_FLOWS flows");
	for (int i = 0; i < n_names; i++) {
		h->flows[h->n_flows++] = load_one(root, names[i]);
		/* As main.c does for the kiosk. */
		if (h->cfg.helper_question && flow_add_helper_question(h->flows[i], NULL) < 0)
			die("out of memory adding the helper question");
	}
	h->flow = h->flows[0];
	if (presentation >= 0) {
		h->flow->presentation = (enum presentation)presentation;
		h->flow->has_presentation = true;
	}
	/* As main.c does: the settings' cards, then the kiosk's own. */
	diag_list d = { 0 };
	if (!(h->cards = cards_create()))
		die("out of memory");
	intake_load_cards(h->cards, h->cfg.you_said_we_did, h->db, root, &d);
	for (size_t i = 0; i < d.n; i++) {
		char b[1024];
		diag_format(&d.items[i], b, sizeof b);
		fprintf(stderr, "%s\n", b);
	}
	diag_list_finish(&d);
	static store_options so;
	so.vfs = vfs;
	app_options opt = {
		.db_path = h->db,
		.config = &h->cfg,
		.flow = h->flow,
		.flows = (const flow *const *)h->flows,
		.n_flows = h->n_flows,
		.offer_setup = setup,
		.data_dir = root,
		.windowed = windowed,
		.width = w,
		.height = hp,
		.clock = &h->clk.clock,
		.store = vfs ? &so : NULL,
		.cards = h->cards,
	};
	tl_error err;
	if (app_create(&opt, &h->app, &err) != 0) {
		fprintf(stderr, "harness: %s\n", err.msg);
		abort();
	}
	/* Let the window's first events (shown, exposed, resized) settle. */
	for (int i = 0; i < 3; i++)
		app_step(h->app, 0);
}

void
h_open(harness *h, const char *flow_name, int w, int hp, bool windowed)
{
	open_common(h, &flow_name, 1, w, hp, windowed, NULL, -1, NULL, false);
}

void
h_open_pres(harness *h, const char *flow_name, int w, int hp, enum presentation p)
{
	open_common(h, &flow_name, 1, w, hp, true, NULL, (int)p, NULL, false);
}

void
h_open_vfs(harness *h, const char *flow_name, int w, int hp, const char *vfs)
{
	open_common(h, &flow_name, 1, w, hp, true, vfs, -1, NULL, false);
}

void
h_open_cfg(harness *h, const char *flow_name, int w, int hp, void (*tweak)(kiosk_config *))
{
	open_common(h, &flow_name, 1, w, hp, true, NULL, -1, tweak, false);
}

void
h_open_flows(harness *h, const char *const *names, int n, int w, int hp,
             void (*tweak)(kiosk_config *), bool setup)
{
	open_common(h, names, n, w, hp, true, NULL, -1, tweak, setup);
}

void
h_close(harness *h)
{
	app_destroy(h->app);
	cards_destroy(h->cards);
	for (int i = 0; i < h->n_flows; i++)
		flow_destroy(h->flows[i]);
	config_finish(&h->cfg);
	if (!getenv("TELLUS_KEEP_TMP")) {
		char cmd[400];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", h->dir);
		if (system(cmd) != 0)
			fprintf(stderr, "harness: could not remove %s\n", h->dir);
	}
}

void
h_advance(harness *h, int64_t ms)
{
	h->clk.mono += ms;
	h->clk.wall += ms;
}

void
h_step(harness *h)
{
	/* An answer's next screen waits for its commit (real time, not the
	 * fake clock): step once it may show, as a person's next tap would. */
	app_wait_hold(h->app);
	app_step(h->app, 0);
}

void
h_window(harness *h, Uint8 what)
{
	SDL_Event ev = { 0 };
	ev.type = SDL_WINDOWEVENT;
	ev.window.windowID = SDL_GetWindowID(app_window(h->app));
	ev.window.event = what;
	SDL_PushEvent(&ev);
}

void
h_mouse_hover(harness *h, int x, int y)
{
	SDL_Event ev = { 0 };
	ev.type = SDL_MOUSEMOTION;
	ev.motion.windowID = SDL_GetWindowID(app_window(h->app));
	ev.motion.x = x;
	ev.motion.y = y;
	SDL_PushEvent(&ev);
}

void
h_mouse(harness *h, Uint32 type, int x, int y)
{
	SDL_Event ev = { 0 };
	ev.type = type;
	Uint32 wid = SDL_GetWindowID(app_window(h->app));
	if (type == SDL_MOUSEMOTION) {
		ev.motion.windowID = wid;
		ev.motion.x = x;
		ev.motion.y = y;
		ev.motion.state = SDL_BUTTON_LMASK;
	} else {
		ev.button.windowID = wid;
		ev.button.button = SDL_BUTTON_LEFT;
		ev.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
		ev.button.clicks = 1;
		ev.button.x = x;
		ev.button.y = y;
	}
	SDL_PushEvent(&ev);
}

void
h_finger(harness *h, Uint32 type, SDL_FingerID id, int x, int y)
{
	int w, hp;
	SDL_GetWindowSize(app_window(h->app), &w, &hp);
	SDL_Event ev = { 0 };
	ev.type = type;
	ev.tfinger.touchId = 1;
	ev.tfinger.fingerId = id;
	ev.tfinger.x = (float)x / (float)w;
	ev.tfinger.y = (float)y / (float)hp;
	ev.tfinger.pressure = 1.0f;
	ev.tfinger.windowID = SDL_GetWindowID(app_window(h->app));
	SDL_PushEvent(&ev);
}

void
h_key(harness *h, SDL_Keycode k, Uint16 mod)
{
	SDL_Event ev = { 0 };
	ev.type = SDL_KEYDOWN;
	ev.key.windowID = SDL_GetWindowID(app_window(h->app));
	ev.key.state = SDL_PRESSED;
	ev.key.keysym.sym = k;
	ev.key.keysym.mod = mod;
	SDL_PushEvent(&ev);
	ev.type = SDL_KEYUP;
	ev.key.state = SDL_RELEASED;
	SDL_PushEvent(&ev);
	h_step(h);
	h_advance(h, 400);
}

bool
h_center(harness *h, int action, int arg, int *x, int *y)
{
	return app_target_center(h->app, action, arg, x, y);
}

bool
h_has_text(harness *h, const char *text)
{
	app_draw(h->app);
	ui_rect r[H_MAX_BOXES];
	const char *t[H_MAX_BOXES];
	int n = app_text_boxes(h->app, r, t, H_MAX_BOXES);
	for (int i = 0; i < n; i++)
		if (t[i] && strcmp(t[i], text) == 0)
			return true;
	return false;
}

int
h_text_px(harness *h, const char *text)
{
	app_draw(h->app);
	const draw_list *dl = app_draw_list(h->app);
	for (size_t i = 0; i < dl->n; i++)
		if (dl->cmds[i].kind == DRAW_TEXT && strcmp(draw_str(dl, dl->cmds[i].text_off), text) == 0)
			return dl->cmds[i].px;
	return 0;
}

void
h_set_language(harness *h, const char *lang)
{
	int li = -1;
	for (size_t i = 0; i < h->flow->n_languages; i++)
		if (strcmp(h->flow->languages[i], lang) == 0)
			li = (int)i;
	if (li < 0) {
		fprintf(stderr, "h_set_language: the flow has no language %s\n", lang);
		abort();
	}
	h_click(h, APP_ACT_OPEN_LANGUAGE, 0);
	h_click(h, APP_ACT_SET_LANGUAGE, li);
}

int
h_action_at(harness *h, int x, int y)
{
	ui_rect r[64];
	int acts[64];
	int n = app_targets(h->app, r, acts, 64);
	/* The last target is on top, as input_hit decides. */
	for (int i = n - 1; i >= 0; i--)
		if (x >= r[i].x && x < r[i].x + r[i].w && y >= r[i].y && y < r[i].y + r[i].h)
			return acts[i];
	return 0;
}

int
h_target_index(harness *h, int action, int arg)
{
	int x, y;
	if (!h_center(h, action, arg, &x, &y))
		return -1;
	ui_rect r[64];
	int acts[64];
	int n = app_targets(h->app, r, acts, 64);
	/* the one on top, as a press there would find */
	for (int i = n - 1; i >= 0; i--)
		if (acts[i] == action && x >= r[i].x && x < r[i].x + r[i].w && y >= r[i].y &&
		    y < r[i].y + r[i].h)
			return i;
	return -1;
}

int
h_count_action(harness *h, int action)
{
	ui_rect r[64];
	int acts[64];
	int n = app_targets(h->app, r, acts, 64), k = 0;
	for (int i = 0; i < n; i++)
		k += acts[i] == action;
	return k;
}

void
h_push_key(harness *h, SDL_Keycode k, bool down)
{
	SDL_Event ev = { 0 };
	ev.type = down ? SDL_KEYDOWN : SDL_KEYUP;
	ev.key.windowID = SDL_GetWindowID(app_window(h->app));
	ev.key.state = down ? SDL_PRESSED : SDL_RELEASED;
	ev.key.keysym.sym = k;
	SDL_PushEvent(&ev);
}

void
h_click(harness *h, int action, int arg)
{
	int x, y;
	if (!h_center(h, action, arg, &x, &y)) {
		fprintf(stderr, "harness: no target for action %d arg %d on screen %d\n",
		        action, arg, app_view(h->app)->screen);
		abort();
	}
	h_mouse(h, SDL_MOUSEBUTTONDOWN, x, y);
	h_step(h);
	h_advance(h, 80);
	h_mouse(h, SDL_MOUSEBUTTONUP, x, y);
	h_step(h);
	h_advance(h, 400);
	h_step(h);
}

static sqlite3 *
open_db(harness *h)
{
	sqlite3 *db;
	if (sqlite3_open_v2(h->db, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		die("cannot open the test database");
	/* The kiosk's writer may be committing (or retrying on a failing
	 * disk) right now: wait for it as any reader would, rather than
	 * failing a test with "database is locked" on a loaded machine. */
	sqlite3_busy_timeout(db, 10000);
	return db;
}

int64_t
h_sql_int(harness *h, const char *sql)
{
	sqlite3 *db = open_db(h);
	sqlite3_stmt *st;
	int64_t v = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "harness: %s: %s\n", sql, sqlite3_errmsg(db));
		abort();
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

void
h_sql_text(harness *h, const char *sql, char *buf, size_t len)
{
	sqlite3 *db = open_db(h);
	sqlite3_stmt *st;
	buf[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "harness: %s: %s\n", sql, sqlite3_errmsg(db));
		abort();
	}
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(buf, len, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
}

int
h_save_png(SDL_Surface *s, const char *path)
{
	return IMG_SavePNG(s, path);
}

bool
h_save_screen(harness *h, const char *path)
{
	SDL_Surface *shot = app_screenshot(h->app);
	if (!shot)
		return false;
	bool ok = h_save_png(shot, path) == 0;
	SDL_Surface *back = ok ? IMG_Load(path) : NULL;
	ok = back && h_bad_pixels(shot, back, NULL) == 0;
	SDL_FreeSurface(back);
	SDL_FreeSurface(shot);
	return ok;
}

/* The largest difference of one pixel's red, green and blue (RGBA32). */
static int
px_delta(const Uint8 *a, const Uint8 *g)
{
	int m = 0;
	for (int k = 0; k < 3; k++) {
		int dv = abs(a[k] - g[k]);
		if (dv > m)
			m = dv;
	}
	return m;
}

long
h_bad_pixels(SDL_Surface *actual, SDL_Surface *golden, int *worst)
{
	if (worst)
		*worst = 0;
	if (actual->w != golden->w || actual->h != golden->h)
		return -1;
	SDL_Surface *a = SDL_ConvertSurfaceFormat(actual, SDL_PIXELFORMAT_RGBA32, 0);
	SDL_Surface *g = SDL_ConvertSurfaceFormat(golden, SDL_PIXELFORMAT_RGBA32, 0);
	if (!a || !g)
		die("cannot convert a picture to compare it");
	long bad = 0;
	for (int y = 0; y < a->h; y++) {
		const Uint8 *pa = (const Uint8 *)a->pixels + (size_t)y * (size_t)a->pitch;
		const Uint8 *pg = (const Uint8 *)g->pixels + (size_t)y * (size_t)g->pitch;
		for (int x = 0; x < a->w; x++) {
			int m = px_delta(pa + x * 4, pg + x * 4);
			if (worst && m > *worst)
				*worst = m;
			if (m > 8)
				bad++;
		}
	}
	SDL_FreeSurface(a);
	SDL_FreeSurface(g);
	return bad;
}

void
h_exact_boxes(harness *h, h_boxes *b)
{
	b->n = app_text_boxes(h->app, b->r, b->text, H_MAX_BOXES);
	int k = app_badge_boxes(h->app, b->r + b->n, H_MAX_BOXES - b->n);
	for (int i = b->n; i < b->n + k; i++)
		b->text[i] = NULL;
	b->n += k;
}

int
h_compare(SDL_Surface *actual, SDL_Surface *golden, const h_boxes *b, h_diff *d)
{
	*d = (h_diff){ .first_box = -1 };
	if (actual->w != golden->w || actual->h != golden->h)
		return -1;
	SDL_Surface *a = SDL_ConvertSurfaceFormat(actual, SDL_PIXELFORMAT_RGBA32, 0);
	SDL_Surface *g = SDL_ConvertSurfaceFormat(golden, SDL_PIXELFORMAT_RGBA32, 0);
	if (!a || !g)
		die("cannot convert a picture to compare it");
	/* Which box (index + 1) each pixel is in, the first one given winning;
	 * 0: none. */
	int *box = calloc((size_t)a->w * (size_t)a->h, sizeof *box);
	if (!box)
		die("out of memory comparing pictures");
	for (int i = b ? b->n - 1 : -1; i >= 0; i--) {
		ui_rect r = b->r[i];
		int x0 = r.x < 0 ? 0 : r.x, y0 = r.y < 0 ? 0 : r.y;
		int x1 = r.x + r.w > a->w ? a->w : r.x + r.w, y1 = r.y + r.h > a->h ? a->h : r.y + r.h;
		for (int y = y0; y < y1; y++)
			for (int x = x0; x < x1; x++)
				box[(size_t)y * (size_t)a->w + (size_t)x] = i + 1;
	}
	for (int y = 0; y < a->h; y++) {
		const Uint8 *pa = (const Uint8 *)a->pixels + (size_t)y * (size_t)a->pitch;
		const Uint8 *pg = (const Uint8 *)g->pixels + (size_t)y * (size_t)g->pitch;
		for (int x = 0; x < a->w; x++) {
			int m = px_delta(pa + x * 4, pg + x * 4);
			if (m > d->worst)
				d->worst = m;
			int in = box[(size_t)y * (size_t)a->w + (size_t)x];
			if (in && m > 0) {
				d->exact_bad++;
				if (d->first_box < 0 || in - 1 < d->first_box)
					d->first_box = in - 1;
			} else if (!in && m > H_REST_DELTA) {
				d->rest_bad++;
			}
		}
	}
	free(box);
	SDL_FreeSurface(a);
	SDL_FreeSurface(g);
	return 0;
}

bool
h_diff_ok(const h_diff *d)
{
	return d->exact_bad == 0 && d->rest_bad <= H_REST_PIXELS;
}

/* Where the first difference in a box is, in words. */
static void
say_box(const h_boxes *b, int i, char *buf, size_t len)
{
	const ui_rect *r = &b->r[i];
	if (b->text[i])
		snprintf(buf, len, "the words \"%.60s\" at %d,%d %dx%d", b->text[i], r->x, r->y, r->w, r->h);
	else
		snprintf(buf, len, "a badge at %d,%d %dx%d", r->x, r->y, r->w, r->h);
}

static void
golden_path(const char *name, char *path, size_t len)
{
	const char *src = getenv("TELLUS_SOURCE_ROOT");
	if (!src)
		die("TELLUS_SOURCE_ROOT is not set");
	snprintf(path, len, "%s/tests/golden/%s.png", src, name);
}

SDL_Surface *
h_golden_load(const char *name)
{
	char path[1024];
	golden_path(name, path, sizeof path);
	return IMG_Load(path);
}

bool
h_golden_shot(SDL_Surface *shot, const h_boxes *b, const char *name, char *msg, size_t len)
{
	SDL_Surface *g = h_golden_load(name);
	h_diff d;
	bool sized = g && h_compare(shot, g, b, &d) == 0;
	bool ok = sized && h_diff_ok(&d);
	if (!g) {
		char path[1024];
		golden_path(name, path, sizeof path);
		snprintf(msg, len, "golden %s: cannot read %s (TELLUS_UPDATE_GOLDEN=1 makes it; "
		         "then look at it)", name, path);
	} else if (!sized) {
		snprintf(msg, len, "golden %s: the size %dx%d differs from the golden's %dx%d",
		         name, shot->w, shot->h, g->w, g->h);
	} else if (!ok) {
		char where[160] = "none";
		if (d.first_box >= 0)
			say_box(b, d.first_box, where, sizeof where);
		snprintf(msg, len, "golden %s: %ld pixels differ inside the words and badges "
		         "(none may; the first: %s), %ld elsewhere by more than %d (at most %d "
		         "may); worst %d", name, d.exact_bad, where, d.rest_bad, H_REST_DELTA,
		         H_REST_PIXELS, d.worst);
	}
	if (g)
		SDL_FreeSurface(g);
	return ok;
}

bool
h_golden(harness *h, const char *name, char *msg, size_t len)
{
	const char *bld = getenv("TELLUS_BUILD_ROOT");
	if (!bld)
		die("TELLUS_BUILD_ROOT is not set");
	SDL_Surface *shot = app_screenshot(h->app);
	if (!shot)
		die("cannot take a screenshot");
	const char *upd = getenv("TELLUS_UPDATE_GOLDEN");
	if (upd && strcmp(upd, "1") == 0) {
		char gpath[1024];
		golden_path(name, gpath, sizeof gpath);
		bool ok = h_save_png(shot, gpath) == 0;
		fprintf(stderr, "golden: wrote %s\n", gpath);
		SDL_FreeSurface(shot);
		snprintf(msg, len, "golden %s: could not write %s", name, gpath);
		return ok;
	}
	static h_boxes b;   /* large; tests run one at a time */
	h_exact_boxes(h, &b);
	bool ok = h_golden_shot(shot, &b, name, msg, len);
	if (!ok) {
		char apath[1024];
		snprintf(apath, sizeof apath, "%s/tests/%s.actual.png", bld, name);
		h_save_png(shot, apath);
		size_t used = strlen(msg);
		snprintf(msg + used, len - used, "; wrote %s", apath);
	}
	SDL_FreeSurface(shot);
	return ok;
}

/* The press helpers' checks: a failure names the line and stops the test
 * (the harness is linked into programs without cmocka too). */
#define H_CHECK(c) ((c) ? (void)0 : h_check_failed(__FILE__, __LINE__, #c))
static void
h_check_failed(const char *file, int line, const char *what)
{
	fprintf(stderr, "harness: %s:%d: %s is not so\n", file, line, what);
	abort();
}

void
h_press_finger(harness *h, int action, int arg)
{
	int x, y;
	H_CHECK(h_center(h, action, arg, &x, &y));
	h_finger(h, SDL_FINGERDOWN, 3, x, y);
	h_step(h);
	h_finger(h, SDL_FINGERUP, 3, x + 2, y + 1);
	h_step(h);
	h_advance(h, 400);
	h_step(h);
}

/* A press helper asked for a target the screen does not offer: says
 * which, and what the screen is, then stops the test. */
static void
h_no_target(harness *h, const char *how, int action, int arg)
{
	const session_view *v = app_view(h->app);
	fprintf(stderr, "harness: %s: no target %d/%d on screen %d (overlay %d, question %s)\n", how,
	        action, arg, (int)v->screen, app_overlay(h->app), v->question ? v->question->id : "-");
	abort();
}

void
h_press_scan(harness *h, int action, int arg)
{
	int want = h_target_index(h, action, arg);
	if (want < 0)
		h_no_target(h, "h_press_scan", action, arg);
	for (int guard = 0; app_focus(h->app) != want; guard++) {
		H_CHECK(guard < 800);
		uint64_t frames = app_frames(h->app);
		int before = app_focus(h->app);
		h_advance(h, 250);
		h_step(h);
		/* Each move of the highlight is drawn in the same loop turn. */
		if (app_focus(h->app) != before)
			H_CHECK(app_frames(h->app) > frames);
	}
	h_key(h, SDLK_SPACE, 0);
	h_step(h);
}

void
h_press_tap_hold(harness *h, int action, int arg)
{
	int want = h_target_index(h, action, arg);
	H_CHECK(want >= 0);
	for (int guard = 0; app_focus(h->app) != want; guard++) {
		H_CHECK(guard < 80);
		h_push_key(h, SDLK_SPACE, true);
		h_step(h);
		h_advance(h, 120);
		h_push_key(h, SDLK_SPACE, false);
		h_step(h);
		h_advance(h, 100);
	}
	h_push_key(h, SDLK_SPACE, true);
	h_step(h);
	h_advance(h, h->cfg.access.switch_hold_ms / 2);
	h_step(h);
	H_CHECK(app_focus(h->app) == want);  /* not chosen yet */
	h_advance(h, h->cfg.access.switch_hold_ms / 2 + 1);
	h_step(h);
	h_push_key(h, SDLK_SPACE, false);
	h_step(h);
	h_advance(h, 400);
	h_step(h);
}

void
h_press_two(harness *h, int action, int arg)
{
	int want = h_target_index(h, action, arg);
	H_CHECK(want >= 0);
	for (int guard = 0; app_focus(h->app) != want; guard++) {
		H_CHECK(guard < 80);
		h_push_key(h, SDLK_SPACE, true);
		h_push_key(h, SDLK_SPACE, false);
		h_step(h);
		h_advance(h, 30);  /* a fast switch user */
	}
	h_key(h, SDLK_RETURN, 0);
	h_step(h);
}

void
h_press_keyboard(harness *h, int action, int arg)
{
	int want = h_target_index(h, action, arg);
	H_CHECK(want >= 0);
	for (int guard = 0; app_focus(h->app) != want; guard++) {
		H_CHECK(guard < 80);
		h_key(h, SDLK_TAB, 0);
	}
	h_key(h, SDLK_RETURN, 0);
	h_step(h);
}

void
h_press_dwell(harness *h, int action, int arg)
{
	int x, y;
	H_CHECK(h_center(h, action, arg, &x, &y));
	h_mouse(h, SDL_MOUSEMOTION, x, y >= 60 ? y - 50 : y + 50);
	h_step(h);
	h_mouse(h, SDL_MOUSEMOTION, x, y);
	h_step(h);
	int q = app_view(h->app)->question_number;
	enum screen_id sc = app_view(h->app)->screen;
	h_advance(h, h->cfg.access.dwell_ms / 2);
	h_step(h);
	H_CHECK(app_view(h->app)->question_number == q);  /* not yet */
	H_CHECK(app_view(h->app)->screen == sc);
	h_advance(h, h->cfg.access.dwell_ms / 2 + 1);
	h_step(h);
	h_advance(h, 100);
	h_step(h);
}

void
h_press_at(harness *h, int x, int y)
{
	h_mouse(h, SDL_MOUSEBUTTONDOWN, x, y);
	h_step(h);
	h_advance(h, 60);
	h_mouse(h, SDL_MOUSEBUTTONUP, x, y);
	h_step(h);
	h_advance(h, 400);
	h_step(h);
}

void
h_staff_gesture(harness *h)
{
	int w, hp;
	SDL_GetWindowSize(app_window(h->app), &w, &hp);
	h_mouse(h, SDL_MOUSEBUTTONDOWN, 8, 8);
	h_step(h);
	h_advance(h, STAFF_HOLD_MS + 100);
	h_step(h);
	h_mouse(h, SDL_MOUSEBUTTONUP, 8, 8);
	h_step(h);
	h_advance(h, 1000);
	h_press_at(h, w - 8, 8);
	h_settle_staff(h);
}

void
h_set_pin(harness *h, const char *pin)
{
	store *st;
	H_CHECK(store_open(h->db, NULL, &st, NULL) == 0);
	H_CHECK(pin_set(st, pin, PIN_MIN_DIGITS, NULL) == 0);
	store_close(st);
}

void
h_type_pin(harness *h, const char *pin)
{
	for (const char *p = pin; *p; p++)
		h_click(h, ACT_STAFF_DIGIT, *p - '0');
	h_click(h, ACT_STAFF_OK, 0);
	h_settle_staff(h);
}

void
h_settle_staff(harness *h)
{
	for (int i = 0; i < 600; i++) {
		app_step(h->app, 20);
		const staff_view *v = app_staff(h->app);
		bool running = v->screen == STAFF_EXPORT && v->export_state == EXPORT_RUNNING;
		if (!v->busy && !running && i > 2)
			return;
	}
	h_check_failed(__FILE__, __LINE__, "the staff worker finished in 12 s");
}
