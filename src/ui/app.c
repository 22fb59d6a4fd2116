/*
 * app: the window and the loop. Events -> actions -> screen -> draw list
 * -> render: SDL events go to the input files by type (one table), which
 * press targets through actions.c; time moves the session, staff mode and
 * the input mode on; when anything changed the screen is laid out again
 * (app_layout.c) and drawn (draw/render.c). app_internal.h maps the rest.
 *
 * Promises: the frame path never touches the disk (answers go to the writer
 * thread's queue; every texture a frame needs is made ready when its screen
 * is built); the process sleeps while nothing happens (the wait ends at the
 * next timer, never sooner); the welcome screen does not return until the
 * writer says the last session's rows are committed; in kiosk mode closing
 * the window, Alt+F4 and Escape do nothing.
 */
#include "app_internal.h"

#include "draw/renderer.h"

#include <SDL_ttf.h>

#include <limits.h>
#include <stdlib.h>
#include <time.h>

uint64_t
app_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* What the first frame does not need, done right after it: switches (SDL
 * walks the input devices for joysticks, switch_devices.c; one plugged in
 * before is announced as added now), then speech (espeak-ng reads its phoneme data,
 * the sound device opens: tens of milliseconds); then the screen on show is
 * read as if it had just appeared. Speech that cannot be made (out of
 * memory) leaves the kiosk silent, as a missing sound device does. */
static void
after_first_frame(app *a)
{
	a->started = true;
	switch_devices_start(a);
	tl_error err;
	if (speak_open(a, &err) != 0) {
		SDL_LogWarn(SDL_LOG_CATEGORY_APPLICATION, "tellus: speech could not start: %s", err.msg);
		staff_set_speech_status(a->staff, "Speech could not start: the kiosk is silent");
	} else {
		staff_set_speech_status(a->staff, speech_status(a->sp));
		a->said_key = UINT64_MAX;
		speak_changes(a);
	}
	if (a->opt.started)
		a->opt.started(a->opt.started_ctx);
}

void
app_present(app *a, SDL_Surface **capture)
{
	app_layout(a);
	render_frame(a->ren, &a->dl, a->th->bg, a->tc, a->ic, capture);
	a->frames++;
	a->last_present_ns = app_now_ns();
	a->dirty = false;
	a->unshown = false;
	app_testhooks_presented(a);
	if (!a->started)
		after_first_frame(a);
}

void
app_draw(app *a)
{
	app_present(a, NULL);
}

bool
app_question_showing(const app *a, enum question_type t)
{
	const session_view *v = session_get_view(a->s);
	return !staff_active(a->staff) && a->overlay == OVERLAY_NONE && v->screen == SCREEN_QUESTION &&
	       v->question && v->question->type == t;
}

/* ---- events ------------------------------------------------------------- */

typedef void (*event_fn)(app *a, const SDL_Event *ev);

static void
on_quit(app *a, const SDL_Event *ev)
{
	(void)ev;
	/* SDL's way of saying the Wayland compositor is gone, too. */
	if (app_display_check(a) || !a->kiosk)
		a->quit = true;
}

/* Losing the window's focus, its releases may never come to us: a finger
 * or the mouse, a switch held (a key or a joystick button), a tap-hold
 * press all let go, pressing nothing, so the next press is a fresh one.
 * A pointer that left (or a window that lost focus) is no longer resting
 * anywhere: no dwell ring goes on filling, and when it comes back it must
 * move a clear distance again, as on a new screen. */
static void
on_window(app *a, const SDL_Event *ev)
{
	if (ev->window.event == SDL_WINDOWEVENT_FOCUS_LOST || ev->window.event == SDL_WINDOWEVENT_LEAVE) {
		bool redraw = dwell_showing(&a->dwell) >= 0;
		if (ev->window.event == SDL_WINDOWEVENT_FOCUS_LOST) {
			input_pointer_cancel(&a->in, &redraw);
			a->canvas.stroke = false;   /* the page's line ends with it */
			redraw |= a->scan.down;
			scan_release_all(&a->scan);
		}
		dwell_new_screen(&a->dwell);
		a->have_ptr = false;
		a->dirty |= redraw;
	} else {
		a->dirty = true;  /* shown, exposed, resized: draw again */
	}
}

/* The device gone (SDL_RENDER_DEVICE_RESET), every texture went with it:
 * the caches forget theirs, and the frame drawn next (dirty) makes again
 * what its screen needs, as a screen's first frame does. A targets reset
 * loses only render targets' pixels: no cache holds one, so only the
 * page is sent again and the frame drawn whole. */
static void
on_render_reset(app *a, const SDL_Event *ev)
{
	bool device = ev->type == SDL_RENDER_DEVICE_RESET;
	if (device) {
		text_cache_reset(a->tc);
		image_cache_reset(a->ic);
	}
	app_draw_render_reset(a, device);
	a->dirty = true;
}

static const struct { Uint32 type; event_fn fn; } event_table[] = {
	{ SDL_QUIT, on_quit },
	{ SDL_KEYDOWN, keyboard_event },
	{ SDL_KEYUP, keyboard_event },
	{ SDL_TEXTINPUT, keyboard_text },
	{ SDL_TEXTEDITING, keyboard_text },
	{ SDL_JOYDEVICEADDED, switches_event },
	{ SDL_JOYDEVICEREMOVED, switches_event },
	{ SDL_CONTROLLERBUTTONDOWN, switches_event },
	{ SDL_CONTROLLERBUTTONUP, switches_event },
	{ SDL_JOYBUTTONDOWN, switches_event },
	{ SDL_JOYBUTTONUP, switches_event },
	{ SDL_MOUSEBUTTONDOWN, touch_event },
	{ SDL_MOUSEBUTTONUP, touch_event },
	{ SDL_MOUSEMOTION, touch_event },
	{ SDL_FINGERDOWN, touch_event },
	{ SDL_FINGERUP, touch_event },
	{ SDL_FINGERMOTION, touch_event },
	{ SDL_WINDOWEVENT, on_window },
	{ SDL_RENDER_TARGETS_RESET, on_render_reset },
	{ SDL_RENDER_DEVICE_RESET, on_render_reset },
};

/* Events registered at run time: the app's own wake-ups (a commit, a
 * signal) and staff mode's (its worker, the mounts watcher). */
static void
on_user(app *a, const SDL_Event *ev)
{
	if (ev->type == a->wake_event) {
		if (ev->user.code == APP_WAKE_SIGNAL)
			a->quit = true;
		else if (ev->user.code == APP_WAKE_DEVICES)
			switch_devices_changed(a);
		app_store_check_persisted(a);
	} else if (staff_event(a->staff, ev)) {
		a->dirty = true;
		actions_staff_sync(a);
		app_layout(a);
	}
}

/* A person's input is only ever for a screen they have seen: when an
 * earlier event of the same batch (Back, a language, a commit that came in
 * between two loop turns) put up a new screen that has not been presented
 * yet, it is presented before the next press, key or move is taken. */
static void
show_before_input(app *a, Uint32 type)
{
	bool input = type == SDL_KEYDOWN || type == SDL_KEYUP ||
	             (type >= SDL_MOUSEMOTION && type <= SDL_MOUSEWHEEL) ||
	             (type >= SDL_JOYAXISMOTION && type <= SDL_CONTROLLERDEVICEREMAPPED) ||
	             (type >= SDL_FINGERDOWN && type <= SDL_FINGERMOTION);
	if (input && a->unshown && !a->quit && !app_store_holding(a))
		app_present(a, NULL);
}

static void
handle(app *a, const SDL_Event *ev)
{
	show_before_input(a, ev->type);
	for (size_t i = 0; i < sizeof event_table / sizeof event_table[0]; i++) {
		if (event_table[i].type == ev->type) {
			event_table[i].fn(a, ev);
			return;
		}
	}
	on_user(a, ev);
}

/* ---- the loop ----------------------------------------------------------- */

/* How long the loop may sleep: until the soonest timer of the session,
 * staff mode, the input mode, the store, the autoplay hook and a person's
 * quiet minute on welcome; -1 when none is set. */
static int
wait_ms(app *a)
{
	int64_t dl = session_next_deadline(a->s);
	int64_t sdl = staff_next_deadline(a->staff);
	if (sdl < dl)
		dl = sdl;
	int64_t adl = input_mode_deadline(a);
	if (adl < dl)
		dl = adl;
	int64_t wdl = app_store_deadline(a);
	if (wdl < dl)
		dl = wdl;
	int64_t tdl = app_autoplay_deadline(a);
	if (tdl < dl)
		dl = tdl;
	int64_t pdl = app_person_deadline(a);
	if (pdl < dl)
		dl = pdl;
	if (dl == INT64_MAX)
		return -1;
	int64_t left = dl - tl_mono(a->clock);
	return left <= 0 ? 0 : left > INT_MAX ? INT_MAX : (int)left;
}

/* While an answer's next screen waits for its commit, only the app's own
 * wake-ups are taken: input stays queued, in order, for the screen the
 * person will see (it would otherwise press targets not drawn yet). The
 * wait is short: a commit, or HOLD_MS at most (app_store.c). */
static void
step_holding(app *a, int timeout_ms)
{
	SDL_Event ev;
	SDL_PumpEvents();
	while (SDL_PeepEvents(&ev, 1, SDL_GETEVENT, a->wake_event, a->wake_event) > 0)
		handle(a, &ev);
	if (app_store_holding(a) && timeout_ms != 0)
		SDL_Delay(1);
}

bool
app_step(app *a, int timeout_ms)
{
	if (timeout_ms < 0)
		timeout_ms = wait_ms(a);
	SDL_Event ev;
	if (app_store_holding(a)) {
		step_holding(a, timeout_ms);
	} else if (SDL_WaitEventTimeout(&ev, timeout_ms)) {
		handle(a, &ev);
		while (!a->quit && !app_store_holding(a) && SDL_PollEvent(&ev))
			handle(a, &ev);
	}
	app_store_check_persisted(a);
	input_mode_hold_idle(a);
	if (session_tick(a->s))
		a->dirty = true;
	if (staff_tick(a->staff)) {
		a->dirty = true;
		actions_staff_sync(a);
	}
	app_store_check_persisted(a);
	input_mode_tick(a);
	app_person_tick(a);
	app_autoplay_tick(a);
	/* An answer's next screen shows once the answer is on disk. */
	if (a->dirty && !a->quit && !app_store_holding(a))
		app_present(a, NULL);
	return !a->quit;
}

int
app_run(app *a)
{
	app_present(a, NULL);
	while (app_step(a, -1)) {
	}
	return a->display_lost ? 1 : 0;
}

/* ---- life --------------------------------------------------------------- */

/* The settings' dpi, when given, wins: it is there to correct a panel that
 * reports a wrong size, so the 20 mm floor is 20 mm on the glass. Else
 * what SDL reports, else 96. */
static double
panel_dpi(app *a)
{
	if (a->opt.config->dpi > 0)
		return a->opt.config->dpi;
	float ddpi = 0;
	int di = SDL_GetWindowDisplayIndex(a->win);
	if (di >= 0 && SDL_GetDisplayDPI(di, &ddpi, NULL, NULL) == 0 && ddpi > 1)
		return ddpi;
	return 96.0;
}

static int
open_sdl(app *a, tl_error *err)
{
	SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
	/* A kiosk has no title bar to draw, so under Wayland SDL talks
	 * xdg-shell itself rather than through libdecor. With libdecor (and
	 * no decoration plugin, as under cage) SDL 2.26 kept the window at its
	 * asked-for size instead of the output's (1280x800 on a 1280x720
	 * output) and the compositor showed nothing of it: grim saw black. */
	if (a->kiosk)
		SDL_SetHint(SDL_HINT_VIDEO_WAYLAND_ALLOW_LIBDECOR, "0");
	if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0)
		return tl_err(err, TL_E_IO, "cannot open the display: %s", SDL_GetError());
	/* Switch interfaces are often joysticks: their subsystem starts after
	 * the first frame (after_first_frame); a kiosk without it still works
	 * with keys. */
	a->wake_event = SDL_RegisterEvents(1);
	return 0;
}

/* The window and its renderer, and the caches that own every font and
 * texture. */
static int
open_window(app *a, tl_error *err)
{
	int w = a->opt.width > 0 ? a->opt.width : 1280, h = a->opt.height > 0 ? a->opt.height : 800;
	Uint32 flags = SDL_WINDOW_SHOWN | SDL_WINDOW_RESIZABLE;
	if (a->kiosk)
		flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
	a->win = SDL_CreateWindow("Tellus", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
	if (!a->win)
		return tl_err(err, TL_E_IO, "cannot open a window: %s", SDL_GetError());
	app_display_watch(a);
	/* A kiosk keeps the keyboard: a keyboard or a switch box that sends
	 * keys must not reach the desktop's shortcuts (Alt+Tab, the Super
	 * key). The compositor's own escape keys are its to turn off (README,
	 * "Setting up a kiosk"). */
	if (a->kiosk)
		SDL_SetWindowKeyboardGrab(a->win, SDL_TRUE);
	a->ren = renderer_open(a->win, a->opt.config->renderer, a->renderer_note, sizeof a->renderer_note);
	if (!a->ren)
		return tl_err(err, TL_E_IO, "cannot draw in the window: %s", SDL_GetError());
	SDL_LogInfo(SDL_LOG_CATEGORY_APPLICATION, "tellus: %s", a->renderer_note);
	char fonts[1024];
	snprintf(fonts, sizeof fonts, "%s/fonts", a->data_dir);
	if (text_cache_create(a->ren, fonts, &a->tc, err) != 0)
		return -1;
	a->ic = image_cache_create(a->ren);
	if (!a->ic)
		return tl_err_nomem(err);
	a->min_target = (int)(a->opt.config->min_target_mm * panel_dpi(a) / 25.4 + 0.5);
	return 0;
}

static staff *
open_staff(app *a, const kiosk_setup *ks, const bool *offered)
{
	staff_options so = {
		.db_path = a->opt.db_path,
		.flow = a->opt.flow,
		.flows = a->flows,
		.n_flows = a->n_flows,
		.setup = ks,
		.offered = offered,
		.open_setup = a->opt.offer_setup && ks->is_new,
		.kiosk_id_fixed = a->opt.config->kiosk_id && a->opt.config->kiosk_id[0],
		.clock = a->clock,
		.data_dir = a->data_dir,
		.kiosk = a->kiosk,
		.mountinfo = a->opt.mountinfo,
		.roots = a->opt.mount_roots,
		.sysfs = a->opt.sysfs,
		.stick_folder = a->opt.config->stick_folder,
		.pin_min_digits = a->opt.config->pin_min_digits,
		.office_key = a->opt.config->office_key,
		.keep_days = a->opt.config->keep_days_after_export,
		.room_min_count = a->opt.config->room_min_count,
	};
	return staff_create(&so);
}

int
app_create(const app_options *opt, app **out, tl_error *err)
{
	*out = NULL;
	app *a = calloc(1, sizeof *a);
	if (!a)
		return tl_err_nomem(err);
	a->opt = *opt;
	a->clock = opt->clock ? opt->clock : tl_clock_system();
	a->data_dir = opt->data_dir ? opt->data_dir : tl_data_dir();
	a->kiosk = !opt->windowed;
	a->th = theme_default();
	a->last_screen = SCREEN_COUNT;
	a->last_staff = STAFF_OFF;
	a->last_question = -2;
	a->testlog_fd = -1;
	a->framelog_fd = -1;
	a->devwatch_fd = -1;
	a->devwatch_stop = -1;
	a->autoplay_at = INT64_MAX;
	input_init(&a->in, opt->config->double_tap_ms);
	scan_init(&a->scan, opt->config->double_tap_ms);
	dwell_init(&a->dwell);
	a->acc = opt->config->access;

	if (opt->handle_signals)
		app_signals_block();
	if (open_sdl(a, err) != 0)
		goto fail;
	a->n_flows = 0;
	for (int i = 0; opt->flows && i < opt->n_flows && a->n_flows < UI_MAX_FLOWS; i++)
		if (opt->flows[i])
			a->flows[a->n_flows++] = opt->flows[i];
	if (a->n_flows == 0)
		a->flows[a->n_flows++] = opt->flow;
	kiosk_setup ks;
	bool offered[UI_MAX_FLOWS];
	if (app_store_read_setup(a, &ks, offered, err) != 0)
		goto fail;
	a->staff = open_staff(a, &ks, offered);  /* after SDL_Init: it registers its events */
	if (!a->staff) {
		tl_err_nomem(err);
		goto fail;
	}
	if (app_store_open(a, err) != 0 || open_window(a, err) != 0)
		goto fail;
	/* Speech is always made, so a person can turn reading aloud on (the
	 * kiosk's setting only decides whether screens speak by themselves),
	 * but only after the first frame (after_first_frame); until then every
	 * speech call is a no-op. */
	a->heard = -1;
	a->said_focus = -1;
	a->said_key = UINT64_MAX;
	if (!text_cache_shapes(a->tc)) {
		static const char no_shaping[] = "SDL_ttf has no HarfBuzz: Arabic, Urdu and Bengali "
		                                 "show unshaped";
		SDL_LogWarn(SDL_LOG_CATEGORY_APPLICATION, "tellus: %s (install Debian's libsdl2-ttf, "
		            "which is built with it)", no_shaping);
		staff_set_text_status(a->staff, no_shaping);
	}
	a->s = session_create(a->flows[0], &opt->config->timing, a->clock, app_store_sink(a));
	if (!a->s) {
		tl_err_nomem(err);
		goto fail;
	}
	if (opt->config->language)
		session_set_language(a->s, opt->config->language);
	app_flows_pick(a, 0);
	app_flows_keep_offered(a);
	if (opt->handle_signals)
		app_signals_start(a);
	app_testhooks_open(a);
	a->dirty = true;
	app_layout(a);
	*out = a;
	return 0;
fail:
	app_destroy(a);
	return -1;
}

void
app_destroy(app *a)
{
	if (!a)
		return;
	app_signals_stop(a);
	switch_devices_stop(a);
	/* An export under way finishes first. */
	staff_destroy(a->staff);
	/* A person answering now: their session ends as unfinished; then
	 * whatever is queued reaches the disk before we go. */
	if (a->s && a->writer)
		app_store_end_live(a);
	store_writer_destroy(a->writer);
	a->writer = NULL;
	/* Nothing is left to save: from here a display that goes away (say
	 * while the renderer is let go) is Xlib's own exit, and our handler
	 * never meets the writer or the session freed. */
	app_display_unwatch(a);
	store_close(a->boot_st);
	app_testhooks_close(a);
	speech_destroy(a->sp);
	session_destroy(a->s);
	draw_list_finish(&a->dl);
	symbol_paths_finish(&a->symbols);
	canvas_close(&a->canvas);   /* its texture before the renderer */
	image_cache_destroy(a->ic);
	text_cache_destroy(a->tc);
	if (a->ren)
		SDL_DestroyRenderer(a->ren);
	if (a->win)
		SDL_DestroyWindow(a->win);
	if (TTF_WasInit())
		TTF_Quit();
	SDL_Quit();
	free(a);
}
