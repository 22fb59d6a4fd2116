/*
 * app_hooks: the read-only windows into the app that app.h offers tests and
 * benchmarks (and the two that change it as a person would: app_set_access
 * and app_flush). None is used by the kiosk's own loop.
 */
#include "app_internal.h"

const session_view *app_view(const app *a) { return session_get_view(a->s); }
SDL_Window *app_window(app *a) { return a->win; }
uint64_t app_frames(const app *a) { return a->frames; }
uint64_t app_last_present_ns(const app *a) { return a->last_present_ns; }
int app_min_target_px(const app *a) { return a->min_target; }
int app_focus(const app *a) { return a->in.show_focus ? a->in.focus : -1; }
void app_flush(app *a) { store_writer_flush(a->writer); app_store_check_persisted(a); }

void
app_wait_hold(app *a)
{
	while (app_store_holding(a))
		SDL_Delay(1);
}

bool
app_target_center(app *a, int action, int arg, int *x, int *y)
{
	app_layout(a);
	for (int i = 0; i < a->ctx.n_targets; i++) {
		const ui_target *t = &a->ctx.targets[i];
		bool by_arg = action == ACT_ANSWER || action == ACT_START || action == ACT_SET_LANGUAGE || action == ACT_ACCESS_OPTION ||
		              action == ACT_SORT_COLUMN || action == ACT_KEY ||
		              (action >= ACT_DRAW_COLOUR && action <= ACT_DRAW_STAMP) ||
		              action >= ACT_STAFF_DIGIT;
		if ((int)t->action == action && (!by_arg || t->arg == arg)) {
			*x = t->r.x + t->r.w / 2;
			*y = t->r.y + t->r.h / 2;
			return true;
		}
	}
	return false;
}

int
app_targets(app *a, ui_rect *rects, int *acts, int max)
{
	app_layout(a);
	int n = a->ctx.n_targets < max ? a->ctx.n_targets : max;
	for (int i = 0; i < n; i++) {
		rects[i] = a->ctx.targets[i].r;
		acts[i] = (int)a->ctx.targets[i].action;
	}
	return n;
}

int
app_gesture_corners(app *a, ui_rect out[4])
{
	app_layout(a);
	if (!staff_gesture_watched(a->staff))
		return 0;
	SDL_Rect k[4];
	staff_gesture_corners(a->ctx.w, a->min_target, ui_margin(&a->ctx), k);
	for (int i = 0; i < 4; i++)
		out[i] = (ui_rect){ k[i].x, k[i].y, k[i].w, k[i].h };
	return 4;
}

int
app_text_boxes(const app *a, ui_rect *rects, const char **texts, int max)
{
	int n = 0;
	for (size_t i = 0; i < a->dl.n && n < max; i++) {
		const draw_cmd *d = &a->dl.cmds[i];
		if (d->kind != DRAW_TEXT)
			continue;
		rects[n] = d->r;
		texts[n++] = draw_str(&a->dl, d->text_off);
	}
	return n;
}

int
app_badge_boxes(const app *a, ui_rect *rects, int max)
{
	int n = 0;
	for (size_t i = 0; i < a->dl.n && n < max; i++)
		if (a->dl.cmds[i].kind == DRAW_DISC || a->dl.cmds[i].kind == DRAW_ARC)
			rects[n++] = a->dl.cmds[i].r;
	return n;
}

void
app_set_access(app *a, const access_settings *acc)
{
	a->acc = *acc;
	a->dirty = true;
	app_layout(a);
}

SDL_Surface *
app_screenshot(app *a)
{
	SDL_Surface *s = NULL;
	app_present(a, &s);
	return s;
}

SDL_Surface *
app_screenshot_without(app *a, unsigned skip, long bg_rgb)
{
	ui_color bg = a->th->bg;
	if (bg_rgb >= 0)
		bg = (ui_color){ (uint8_t)(bg_rgb >> 16), (uint8_t)(bg_rgb >> 8), (uint8_t)bg_rgb, 0xFF };
	return render_read_without(a->ren, &a->dl, bg, a->tc, a->ic, skip);
}

const struct draw_list *
app_draw_list(const app *a)
{
	return &a->dl;
}

const struct staff_view *
app_staff(const app *a)
{
	return staff_get_view(a->staff);
}

const access_settings *app_access(const app *a) { return &a->acc; }
int app_overlay(const app *a) { return (int)a->overlay; }

bool
app_method_trial(const app *a, int *kept)
{
	if (kept)
		*kept = (int)a->method_kept;
	return a->method_trial;
}
struct speech *app_speech(app *a) { return a->sp; }
uint64_t app_speech_requests(const app *a) { return a->speech_requests; }
const char *app_last_spoken(const app *a) { return a->say; }
const char *app_last_spoken_lang(const app *a) { return a->say_lang; }
uint64_t app_last_speech_ns(const app *a) { return a->speech_request_ns; }

void
app_get_frame_stats(const app *a, app_frame_stats *out)
{
	image_stats is;
	text_stats ts;
	image_cache_stats(a->ic, &is);
	text_cache_stats(a->tc, &ts);
	*out = (app_frame_stats){
		.image_loads = is.loads,
		.image_misses = is.misses,
		.text_renders = ts.renders,
		.text_misses = ts.misses,
		.text_shapes = ts.shapes,
		.canvas_textures = a->canvas.n_textures,
		.canvas_uploaded = a->canvas.n_uploaded,
		.canvas_bytes = a->canvas.px ? (uint64_t)CANVAS_W * CANVAS_H * sizeof *a->canvas.px : 0,
		.text_resets = ts.resets,
		.text_textures = ts.textures,
		.image_resets = is.resets,
		.image_textures = is.textures,
	};
}

int app_store_health(const app *a) { return (int)store_writer_health(a->writer); }
bool app_resting(const app *a) { return a->ctx.resting; }
int app_saving(const app *a) { return (int)a->ctx.saving; }
