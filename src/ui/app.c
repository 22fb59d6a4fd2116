/*
 * app: window, loop, and the wiring between input, the session machine, the
 * screens and the store writer.
 *
 * Promises: the frame path never touches the disk (answers go to the writer
 * thread's queue); the process sleeps while nothing happens (the wait ends
 * at the session's next timer, never sooner); the welcome screen does not
 * return until the writer says the last session's rows are committed; in
 * kiosk mode closing the window, Alt+F4 and Escape do nothing.
 */
#include "app.h"
#include "input/dwell.h"
#include "input/input.h"
#include "input/scan.h"
#include "speech/speech.h"
#include "draw/image.h"
#include "draw/render.h"
#include "staff/staff.h"
#include "store/store_writer.h"
#include "draw/text.h"
#include "draw/theme.h"
#include "ui.h"

#include <SDL_ttf.h>

#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { WAKE_COMMIT = 1, WAKE_SIGNAL = 2 };

struct app {
	app_options opt;
	const tl_clock *clock;
	const char *data_dir;
	bool kiosk;
	SDL_Window *win;
	SDL_Renderer *ren;
	text_cache *tc;
	image_cache *ic;
	const ui_theme *th;
	session *s;
	staff *staff;
	access_settings acc;       /* this person's; back to the kiosk's when they go */
	speech *sp;                /* never waits: requests go to its own thread */
	uint64_t said_key;         /* what was last read aloud: screen, question, overlay */
	int said_focus;            /* the target whose words were last read for focus */
	int heard;                 /* touch to hear: the answer touched once, or -1 */
	char say[1024];            /* what is being read, built without allocating */
	uint64_t speech_requests;
	uint64_t speech_request_ns;
	enum ui_overlay overlay;
	store_writer *writer;
	input_state in;
	scan_state scan;           /* switch access: the highlight */
	dwell_state dwell;
	bool have_ptr;             /* the mouse's last place, for dwell */
	int ptr_x, ptr_y;
	int scan_method;           /* the method scan was counted for */
	ui_ctx ctx;
	draw_list dl;
	int min_target;
	bool dirty;
	bool quit;
	Uint32 wake_event;
	bool waiting_persist;
	uint64_t end_seq;
	enum screen_id last_screen;
	enum staff_screen last_staff;
	int last_question;
	uint64_t frames;
	uint64_t last_present_ns;
	bool sig_thread_started;
	pthread_t sig_thread;
};

/* ---- from the session machine to the writer ---------------------------- */

static void
sink_begin(void *ud, const session_begin_rec *r)
{
	app *a = ud;
	store_session s = {
		.id = r->session_id,
		.flow_id = r->flow->id,
		.flow_version = r->flow->version,
		.flow_hash = r->flow->hash,
		.flow_source = r->flow->source,
		.language = r->language,
		.presentation = r->presentation,
		.started_wall_ms = r->started_wall_ms,
	};
	store_writer_begin_session(a->writer, &s);
}

static void
sink_answer(void *ud, const session_answer_rec *r)
{
	app *a = ud;
	const char *lang = session_get_view(a->s)->language;
	const char *fb = a->opt.flow->languages[0];
	char ids[512] = "", labels[1024] = "";
	size_t il = 0, ll = 0;
	for (int i = 0; i < r->n_chosen; i++) {
		const flow_answer *ans = &r->question->answers[r->chosen[i]];
		int n = snprintf(ids + il, sizeof ids - il, "%s%s", i ? " " : "", ans->id);
		if (n > 0 && (size_t)n < sizeof ids - il)
			il += (size_t)n;
		n = snprintf(labels + ll, sizeof labels - ll, "%s%s", i ? " | " : "",
		             tstr_get(&ans->label, lang, fb));
		if (n > 0 && (size_t)n < sizeof labels - ll)
			ll += (size_t)n;
	}
	store_answer sa = {
		.session_id = r->session_id,
		.seq = r->seq,
		.question_id = r->question->id,
		.question_index = r->question_index,
		.question_text = tstr_get(&r->question->prompt, lang, fb),
		.kind = answer_kind_name(r->kind),
		.answer_ids = ids,
		.answer_labels = labels,
		.given_wall_ms = r->given_wall_ms,
		.time_taken_ms = r->time_taken_ms,
		.input_method = input_method_name(r->method),
	};
	store_writer_add_answer(a->writer, &sa);
}

static void
sink_end(void *ud, const session_end_rec *r)
{
	app *a = ud;
	a->end_seq = store_writer_end_session(a->writer, r->session_id,
	                                      session_status_name(r->status),
	                                      r->ended_wall_ms);
	a->waiting_persist = true;
}

/* Runs on the writer's thread: only wake the loop. SDL_PushEvent is
 * thread-safe. */
static void
on_commit(void *ud, uint64_t seq)
{
	app *a = ud;
	(void)seq;
	SDL_Event ev = { 0 };
	ev.type = a->wake_event;
	ev.user.code = WAKE_COMMIT;
	SDL_PushEvent(&ev);
}

static void
check_persisted(app *a)
{
	if (a->waiting_persist && store_writer_committed(a->writer) >= a->end_seq) {
		a->waiting_persist = false;
		session_persisted(a->s);
		a->dirty = true;
	}
}

/* ---- signals: a thread of its own turns SIGINT/SIGTERM into an event ---- */

static void *
signal_thread(void *ud)
{
	app *a = ud;
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGUSR1);
	for (;;) {
		int sig;
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGUSR1)
			return NULL;  /* app_destroy asks us to stop */
		SDL_Event ev = { 0 };
		ev.type = a->wake_event;
		ev.user.code = WAKE_SIGNAL;
		SDL_PushEvent(&ev);
	}
}

/* ---- layout and drawing ------------------------------------------------- */

static const screen_build_fn screens[SCREEN_COUNT] = {
	[SCREEN_WELCOME] = screen_welcome_build,
	[SCREEN_QUESTION] = screen_question_build,
	[SCREEN_THANKS] = screen_thanks_build,
	[SCREEN_STILL_THERE] = screen_still_there_build,
	[SCREEN_RESETTING] = NULL,   /* an empty, calm screen for a moment */
};

/* Staff mode covers whichever kiosk screen is under it. */
/* Overlays a person opens; filled in as their screens are written. */
static const screen_build_fn overlay_screens[OVERLAY_COUNT] = {
	[OVERLAY_NONE] = NULL,
	[OVERLAY_LANGUAGE] = screen_language_build,
	[OVERLAY_ACCESS] = screen_access_build,
};

static const screen_build_fn staff_screens[STAFF_SCREEN_COUNT] = {
	[STAFF_PIN] = screen_staff_pin_build,
	[STAFF_MENU] = screen_staff_menu_build,
	[STAFF_EXPORT] = screen_staff_export_build,
	[STAFF_TODAY] = screen_staff_today_build,
	[STAFF_ABOUT] = screen_staff_about_build,
};

static void
person_reset(app *a)
{
	a->acc = a->opt.config->access;
	a->overlay = OVERLAY_NONE;
	text_set_dyslexic(a->tc, a->acc.dyslexic_font);
	session_set_language(a->s, a->opt.config->language);
}

static void
note_screen(app *a)
{
	const session_view *v = session_get_view(a->s);
	enum staff_screen st = staff_get_view(a->staff)->screen;
	if (v->screen != a->last_screen || v->question_index != a->last_question ||
	    st != a->last_staff) {
		/* A person's own settings last for their turn only: the next
		 * person starts from the kiosk's. */
		if (v->screen == SCREEN_WELCOME && a->last_screen != SCREEN_WELCOME)
			person_reset(a);
		a->last_screen = v->screen;
		a->last_question = v->question_index;
		a->last_staff = st;
		input_new_screen(&a->in);
		scan_new_screen(&a->scan);
		dwell_new_screen(&a->dwell);
	}
}

/* Symbols that point the way the words read; right to left, they point
 * the other way. */
static const char *const pointing_symbols[] = { "/back.svg", "/skip.svg" };

/* Right to left: the screen as in a mirror. Words are not mirrored (the
 * renderer aligns them to the start of their own language). */
static void
mirror(ui_ctx *c)
{
	for (int i = 0; i < c->n_targets; i++) {
		ui_rect *r = &c->targets[i].r;
		r->x = c->w - r->x - r->w;
	}
	for (size_t i = 0; i < c->dl->n; i++) {
		draw_cmd *d = &c->dl->cmds[i];
		d->r.x = c->w - d->r.x - d->r.w;
		if (d->kind != DRAW_IMAGE)
			continue;
		const char *p = draw_str(c->dl, d->path_off);
		size_t pl = strlen(p);
		for (size_t k = 0; k < sizeof pointing_symbols / sizeof pointing_symbols[0]; k++) {
			size_t sl = strlen(pointing_symbols[k]);
			if (pl >= sl && strcmp(p + pl - sl, pointing_symbols[k]) == 0)
				d->flip = true;
		}
	}
}

/* ---- switch access and dwell ------------------------------------------- */

static bool
switching(const app *a)
{
	return !staff_active(a->staff) &&
	       (a->acc.method == ACCESS_SCAN || a->acc.method == ACCESS_TAP_HOLD ||
	        a->acc.method == ACCESS_TWO_SWITCH);
}

static bool
dwelling(const app *a)
{
	return !staff_active(a->staff) && a->acc.method == ACCESS_DWELL;
}

/* Before a screen builds: the person's filters into the input rules, and
 * the scan highlight into the focus, so the thick focus ring is what a
 * switch user follows. */
static void
access_before(app *a)
{
	bool in_staff = staff_active(a->staff);
	a->in.min_hold_ms = in_staff ? 0 : a->acc.min_hold_ms;
	a->in.select_on_press = !in_staff && a->acc.select_on_press;
	if ((int)a->acc.method != a->scan_method) {
		/* The person changed how they answer: start the walk again. */
		a->scan_method = (int)a->acc.method;
		scan_new_screen(&a->scan);
		dwell_new_screen(&a->dwell);
		if (!switching(a))
			a->in.show_focus = false;
	}
	if (switching(a)) {
		if (a->scan.n < 0) {
			a->in.show_focus = true;  /* layout picks the first answer */
		} else {
			a->in.focus = scan_highlight(&a->scan);
			a->in.show_focus = a->in.focus >= 0;
		}
	}
}

/* The filling ring: dwell's under the pointer, or a tap-hold press's on
 * the highlight. */
static void
access_ring(app *a, ui_ctx *c)
{
	int64_t now = tl_mono(a->clock);
	c->dwell_target = -1;
	c->dwell_progress = 0.0f;
	if (dwelling(a)) {
		c->dwell_target = dwell_showing(&a->dwell);
		c->dwell_progress = dwell_progress(&a->dwell, &a->acc, now);
	} else if (switching(a)) {
		float p = scan_hold_progress(&a->scan, &a->acc, now);
		if (p > 0.0f) {
			c->dwell_target = scan_highlight(&a->scan);
			c->dwell_progress = p;
		}
	}
}

/* After a build, with the targets known: count them for scanning, find
 * what the pointer rests on. True when the look changed and the screen
 * must be built again. */
static bool
access_after(app *a, ui_ctx *c)
{
	int64_t now = tl_mono(a->clock);
	bool again = false;
	if (switching(a)) {
		int first = a->in.focus >= 0 ? a->in.focus : 0;
		scan_count(&a->scan, c->n_targets, first, now);
		int hi = scan_highlight(&a->scan);
		if (hi != a->in.focus || a->in.show_focus != (hi >= 0)) {
			a->in.focus = hi;
			a->in.show_focus = hi >= 0;
			again = true;
		}
	}
	if (dwelling(a) && a->have_ptr) {
		int hit = input_hit(c->targets, c->n_targets, a->ptr_x, a->ptr_y);
		dwell_pointer(&a->dwell, hit, now);
	}
	int was_t = c->dwell_target;
	float was_p = c->dwell_progress;
	access_ring(a, c);
	return again || was_t != c->dwell_target || was_p != c->dwell_progress;
}

/* ---- speech: what is read aloud, and when ------------------------------ */

static uint64_t now_ns(void);

/* Every call returns at once: the speech module queues to its thread. */
static void
say_now(app *a, const char *text, const char *lang)
{
	a->speech_requests++;
	a->speech_request_ns = now_ns();
	if (text != a->say)
		snprintf(a->say, sizeof a->say, "%s", text);
	speech_say(a->sp, a->say, lang);
}

/* The words of a target, in the language they are written in. */
static const char *
target_words(const app *a, const ui_target *t, const char **lang)
{
	const session_view *v = session_get_view(a->s);
	const ui_words *wd = ui_words_for(v->language);
	*lang = wd->lang;
	switch (t->action) {
	case ACT_START: return wd->start;
	case ACT_DONE: return wd->done;
	case ACT_SKIP: return wd->skip;
	case ACT_DECLINE: return wd->decline;
	case ACT_BACK: return wd->back;
	case ACT_FINISH: return wd->finish;
	case ACT_STILL_HERE: return wd->yes_here;
	case ACT_CLOSE_OVERLAY: return wd->done;
	case ACT_OPEN_LANGUAGE: return wd->language;
	case ACT_OPEN_ACCESS:
		*lang = "en";
		return screen_access_title();
	case ACT_ACCESS_OPTION:
		*lang = "en";
		return screen_access_label(t->arg);
	case ACT_SET_LANGUAGE:
		/* Each language says its own name in its own voice. */
		if (t->arg < 0 || (size_t)t->arg >= a->opt.flow->n_languages)
			return NULL;
		*lang = a->opt.flow->languages[t->arg];
		return ui_words_for(*lang)->name;
	case ACT_ANSWER:
		if (!v->question || t->arg < 0 || (size_t)t->arg >= v->question->n_answers)
			return NULL;
		*lang = v->language;
		return tstr_get(&v->question->answers[t->arg].label, v->language,
		                a->opt.flow->languages[0]);
	default:
		return NULL;
	}
}

static void
say_target(app *a, int ti)
{
	const char *lang = NULL;
	const char *w = ti >= 0 && ti < a->ctx.n_targets ? target_words(a, &a->ctx.targets[ti], &lang) : NULL;
	if (w && *w)
		say_now(a, w, lang);
}

/* What a screen says when it appears; the question's recorded clip, when
 * the flow gives one, instead of the voice. */
static void
say_screen(app *a)
{
	const session_view *v = session_get_view(a->s);
	const ui_words *wd = ui_words_for(v->language);
	const char *fb = a->opt.flow->languages[0];
	if (a->overlay == OVERLAY_ACCESS) {
		/* Always: this is where reading aloud is turned on. */
		say_now(a, screen_access_title(), "en");
		return;
	}
	if (!a->acc.speech || a->overlay != OVERLAY_NONE) {
		speech_stop(a->sp);
		return;
	}
	switch (v->screen) {
	case SCREEN_WELCOME:
		snprintf(a->say, sizeof a->say, "%s. %s.", tstr_get(&a->opt.flow->title, v->language, fb),
		         wd->start);
		say_now(a, a->say, v->language);
		break;
	case SCREEN_QUESTION: {
		const flow_question *q = v->question;
		if (!q)
			break;
		char *clip = flow_clip_path(a->opt.flow, q);
		if (clip) {
			a->speech_requests++;
			a->speech_request_ns = now_ns();
			snprintf(a->say, sizeof a->say, "%s", clip);
			speech_play_clip(a->sp, clip);
			free(clip);
			break;
		}
		const char *text = v->presentation == PRES_EASY_READ ? tstr_get(&q->easy_read, v->language, fb) : "";
		if (!*text)
			text = tstr_get(&q->prompt, v->language, fb);
		snprintf(a->say, sizeof a->say, "%s", text);
		say_now(a, a->say, v->language);
		break;
	}
	case SCREEN_THANKS:
		snprintf(a->say, sizeof a->say, "%s %s", wd->thanks_title, wd->thanks_body);
		say_now(a, a->say, wd->lang);
		break;
	case SCREEN_STILL_THERE:
		snprintf(a->say, sizeof a->say, "%s %s", wd->still_there, wd->yes_here);
		say_now(a, a->say, wd->lang);
		break;
	default:
		speech_stop(a->sp);
		break;
	}
}

/* After a build: a new screen is read once; then the words of whatever
 * gains keyboard or switch focus. Staff mode is silent. */
static void
speak_changes(app *a)
{
	const session_view *v = session_get_view(a->s);
	bool in_staff = staff_active(a->staff);
	uint64_t key = ((uint64_t)v->screen << 40) ^ ((uint64_t)(uint32_t)v->question_index << 8) ^
	               ((uint64_t)a->overlay << 4) ^ (in_staff ? 1u : 0u) ^
	               ((uint64_t)(uintptr_t)v->language << 20);
	int focus = a->in.show_focus ? a->in.focus : -1;
	if (key != a->said_key) {
		a->said_key = key;
		a->said_focus = focus;  /* the first focus does not talk over the prompt */
		a->heard = -1;
		if (in_staff)
			speech_stop(a->sp);
		else
			say_screen(a);
		return;
	}
	if (focus == a->said_focus)
		return;
	a->said_focus = focus;
	if (!in_staff && focus >= 0 && (a->acc.speech || a->acc.scan_speak || a->overlay == OVERLAY_ACCESS))
		say_target(a, focus);
}

/* Touch to hear, touch again to choose: the first touch on an answer reads
 * it and shows it as focused; only a second touch on the same one chooses. */
static bool
heard_first(app *a, int ti, enum input_method m)
{
	if (!a->acc.touch_to_hear || staff_active(a->staff) || (m != INPUT_TOUCH && m != INPUT_MOUSE) ||
	    a->ctx.targets[ti].action != ACT_ANSWER)
		return false;
	if (a->heard == ti) {
		a->heard = -1;
		return false;
	}
	a->heard = ti;
	a->in.focus = ti;
	a->in.show_focus = true;
	a->said_focus = ti;
	say_target(a, ti);
	a->dirty = true;
	return true;
}

/* Builds targets and the draw list for what the session shows now. Cheap:
 * text fitting is cached, nothing is drawn. */
static void
layout(app *a)
{
	note_screen(a);
	int w, h;
	SDL_GetRendererOutputSize(a->ren, &w, &h);
	ui_ctx *c = &a->ctx;
	draw_list_clear(&a->dl);
	a->dl.lang = session_get_view(a->s)->language;
	c->dl = &a->dl;
	c->tc = a->tc;
	/* The person's theme, text size and font apply from this frame on,
	 * whoever changed them (their settings, or the kiosk's at reset). */
	a->th = theme_get(a->acc.theme);
	c->th = a->th;
	c->text_scale = a->acc.large_text ? 1.35 : 1.0;
	c->words_first = false;
	text_set_dyslexic(a->tc, a->acc.dyslexic_font);
	c->data_dir = a->data_dir;
	c->flow = a->opt.flow;
	c->view = session_get_view(a->s);
	c->w = w;
	c->h = h;
	c->min_target = a->min_target;
	access_before(a);
	c->pressed = input_pressed(&a->in);
	c->focus = a->in.focus;
	c->show_focus = a->in.show_focus;
	access_ring(a, c);
	c->n_targets = 0;
	c->label_px = 0;
	c->staff = staff_get_view(a->staff);
	c->acc = &a->acc;
	c->overlay = a->overlay;
	c->rtl = text_lang_is_rtl(c->view->language);
	screen_build_fn fn = staff_active(a->staff) ? staff_screens[c->staff->screen]
	                   : a->overlay != OVERLAY_NONE && overlay_screens[a->overlay]
	                   ? overlay_screens[a->overlay]
	                   : screens[c->view->screen];
	bool rtl = c->rtl && !staff_active(a->staff);
	if (fn)
		fn(c);
	if (fn && rtl)
		mirror(c);
	/* A screen built with a focus index from before may have fewer targets;
	 * on a new screen a keyboard user's focus starts on the first answer. */
	if (a->in.focus >= c->n_targets)
		a->in.focus = -1;
	if (a->in.show_focus && a->in.focus < 0 && c->n_targets > 0) {
		a->in.focus = 0;
		for (int i = 0; i < c->n_targets; i++)
			if (c->targets[i].action == ACT_ANSWER) {
				a->in.focus = i;
				break;
			}
		/* Draw again with the ring where it now is. */
		draw_list_clear(&a->dl);
		c->n_targets = 0;
		c->focus = a->in.focus;
		fn(c);
		if (rtl)
			mirror(c);
	}
	if (fn && access_after(a, c)) {
		draw_list_clear(&a->dl);
		c->n_targets = 0;
		c->focus = a->in.focus;
		c->show_focus = a->in.show_focus;
		fn(c);
		if (rtl)
			mirror(c);
	}
	speak_changes(a);
}

static uint64_t
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void
present(app *a, SDL_Surface **capture)
{
	layout(a);
	render_frame(a->ren, &a->dl, a->th->bg, a->tc, a->ic, capture);
	a->frames++;
	a->last_present_ns = now_ns();
	a->dirty = false;
}

void
app_draw(app *a)
{
	present(a, NULL);
}

/* ---- actions ------------------------------------------------------------ */

typedef bool (*action_fn)(app *a, int arg, enum input_method m);

static bool
do_start(app *a, int arg, enum input_method m)
{
	(void)arg;
	(void)m;
	if (!session_start(a->s))
		return false;
	/* The kiosk may ask each person how they like to answer, once. */
	if (a->opt.config->ask_access)
		a->overlay = OVERLAY_ACCESS;
	return true;
}
static bool do_answer(app *a, int arg, enum input_method m) { return session_choose(a->s, arg, m); }
static bool do_done(app *a, int arg, enum input_method m) { (void)arg; return session_done(a->s, m); }
static bool do_skip(app *a, int arg, enum input_method m) { (void)arg; return session_skip(a->s, m); }
static bool do_decline(app *a, int arg, enum input_method m) { (void)arg; return session_decline(a->s, m); }
static bool do_back(app *a, int arg, enum input_method m) { (void)arg; (void)m; return session_back(a->s); }
static bool do_finish(app *a, int arg, enum input_method m) { (void)arg; (void)m; return session_finish_now(a->s); }
static bool do_here(app *a, int arg, enum input_method m) { (void)arg; (void)m; return session_activity(a->s); }

static bool
do_open_language(app *a, int arg, enum input_method m)
{
	(void)arg;
	(void)m;
	a->overlay = OVERLAY_LANGUAGE;
	return true;
}

static bool
do_close_overlay(app *a, int arg, enum input_method m)
{
	(void)arg;
	(void)m;
	a->overlay = OVERLAY_NONE;
	return true;
}

/* The language lasts for this person (person_reset puts the kiosk's back). */
static bool
do_set_language(app *a, int arg, enum input_method m)
{
	(void)m;
	if (arg >= 0 && (size_t)arg < a->opt.flow->n_languages)
		session_set_language(a->s, a->opt.flow->languages[arg]);
	a->overlay = OVERLAY_NONE;
	return true;
}

static bool
do_open_access(app *a, int arg, enum input_method m)
{
	(void)arg;
	(void)m;
	a->overlay = OVERLAY_ACCESS;
	return true;
}

/* A person's own choice, for their turn only (person_reset undoes it).
 * Not an answer: nothing is stored. */
static bool
do_access_option(app *a, int arg, enum input_method m)
{
	(void)m;
	screen_access_apply(&a->acc, arg);
	/* Say what changed, even when reading aloud has just been turned off. */
	snprintf(a->say, sizeof a->say, "%s: %s", screen_access_label(arg),
	         screen_access_chosen(&a->acc, arg) ? "on" : "off");
	say_now(a, a->say, "en");
	return true;
}

static const action_fn actions[ACT_COUNT] = {
	[ACT_START] = do_start,
	[ACT_ANSWER] = do_answer,
	[ACT_DONE] = do_done,
	[ACT_SKIP] = do_skip,
	[ACT_DECLINE] = do_decline,
	[ACT_BACK] = do_back,
	[ACT_FINISH] = do_finish,
	[ACT_STILL_HERE] = do_here,
	[ACT_CLOSE_OVERLAY] = do_close_overlay,
	[ACT_OPEN_LANGUAGE] = do_open_language,
	[ACT_SET_LANGUAGE] = do_set_language,
	[ACT_OPEN_ACCESS] = do_open_access,
	[ACT_ACCESS_OPTION] = do_access_option,
};

/* After anything staff mode did: end a person's session the menu took
 * over, quit when asked, and let every tap count while staff type a PIN
 * (the double-tap guard is for children's answers). */
static void
staff_sync(app *a)
{
	if (staff_take_end_session(a->staff) && session_end_unfinished(a->s))
		a->dirty = true;
	if (staff_wants_quit(a->staff))
		a->quit = true;
	a->in.double_tap_ms = staff_active(a->staff) ? 0 : a->opt.config->double_tap_ms;
}

static void
run_target(app *a, int ti, enum input_method m)
{
	if (ti < 0 || ti >= a->ctx.n_targets)
		return;
	if (heard_first(a, ti, m)) {
		layout(a);
		return;
	}
	const ui_target *t = &a->ctx.targets[ti];
	action_fn fn = actions[t->action];
	if (fn && fn(a, t->arg, m))
		a->dirty = true;
	if (t->action >= ACT_STAFF_DIGIT && staff_press(a->staff, (int)t->action, t->arg))
		a->dirty = true;
	staff_sync(a);
	/* Later events in this batch must hit the new screen's targets. */
	layout(a);
	check_persisted(a);
}

/* ---- events ------------------------------------------------------------- */

typedef struct key_map { SDL_Keycode sym; enum ui_key key; } key_map;
static const key_map keys[] = {
	{ SDLK_LEFT, KEY_LEFT }, { SDLK_RIGHT, KEY_RIGHT }, { SDLK_UP, KEY_UP },
	{ SDLK_DOWN, KEY_DOWN }, { SDLK_TAB, KEY_NEXT }, { SDLK_RETURN, KEY_SELECT },
	{ SDLK_KP_ENTER, KEY_SELECT }, { SDLK_SPACE, KEY_SELECT },
};

static void
activity(app *a)
{
	if (staff_active(a->staff)) {
		staff_activity(a->staff);
		return;
	}
	/* Any input keeps the person's session alive; on "are you still
	 * there?" it brings their question back. */
	if (session_activity(a->s)) {
		a->dirty = true;
		layout(a);
	}
}

static void
on_pointer(app *a, int kind, int64_t ptr, int x, int y, enum input_method m)
{
	bool redraw = false;
	int64_t now = tl_mono(a->clock);
	int ti = -1;
	int w, h;
	SDL_GetRendererOutputSize(a->ren, &w, &h);
	if (staff_gesture(a->staff, kind, ptr, x, y, w, a->min_target)) {
		/* The kiosk's screen lets go of that tap; the PIN pad comes up. */
		input_pointer_cancel(&a->in, &redraw);
		staff_sync(a);
		a->dirty = true;
		layout(a);
		return;
	}
	const ui_target *t = a->ctx.targets;
	int n = a->ctx.n_targets;
	if (kind == 0) {
		enum screen_id before = session_get_view(a->s)->screen;
		activity(a);
		if (before == SCREEN_STILL_THERE && !staff_active(a->staff))
			return;  /* that touch was "I'm here", not a choice */
		ti = input_pointer_down(&a->in, t, n, ptr, x, y, now, &redraw);
	} else if (kind == 1) {
		input_pointer_move(&a->in, t, n, ptr, x, y, &redraw);
	} else {
		ti = input_pointer_up(&a->in, t, n, ptr, x, y, now, &redraw);
	}
	if (redraw)
		a->dirty = true;
	run_target(a, ti, m);
}

/* A switch (a key or a controller button) went down or up. */
static void
on_switch(app *a, int sw, bool down)
{
	int64_t now = tl_mono(a->clock);
	if (down) {
		enum screen_id before = session_get_view(a->s)->screen;
		activity(a);
		if (before == SCREEN_STILL_THERE)
			return;  /* that press was "I'm here", not a choice */
	}
	bool redraw = false;
	int ti = scan_switch(&a->scan, &a->acc, sw, down, now, &redraw);
	if (redraw)
		a->dirty = true;
	run_target(a, ti, INPUT_SWITCH);
}

/* The switch keys (Space and Enter unless the settings name others) act as
 * switches while a switch method is on; the keyboard's own rules stay for
 * everyone else. An unknown key name falls back to the default. */
static int
switch_key(const app *a, SDL_Keycode sym)
{
	if (!switching(a))
		return 0;
	for (int i = 0; i < 2; i++) {
		SDL_Keycode k = SDL_GetKeyFromName(a->acc.switch_keys[i]);
		if (k == SDLK_UNKNOWN)
			k = i == 0 ? SDLK_SPACE : SDLK_RETURN;
		if (sym == k || (k == SDLK_RETURN && sym == SDLK_KP_ENTER))
			return i + 1;
	}
	return 0;
}

/* Many switch interfaces are joysticks to SDL: open each as it comes (as a
 * game controller when SDL knows its layout, so its buttons arrive once). */
static void
open_device(int index)
{
	if (SDL_IsGameController(index))
		SDL_GameControllerOpen(index);
	else
		SDL_JoystickOpen(index);
}

static void
on_button(app *a, int button, bool down)
{
	if (!switching(a) || button < 0 || button > 1)
		return;
	on_switch(a, button + 1, down);
}

static void
handle(app *a, const SDL_Event *ev)
{
	int w, h;
	switch (ev->type) {
	case SDL_QUIT:
		if (!a->kiosk)
			a->quit = true;
		break;
	case SDL_KEYDOWN: {
		if (ev->key.keysym.sym == SDLK_ESCAPE) {
			if (!a->kiosk)
				a->quit = true;
			break;
		}
		if (ev->key.repeat)
			break;
		if (switch_key(a, ev->key.keysym.sym)) {
			on_switch(a, switch_key(a, ev->key.keysym.sym), true);
			break;
		}
		enum ui_key k = KEY_NONE;
		for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
			if (keys[i].sym == ev->key.keysym.sym)
				k = keys[i].key;
		if (k == KEY_NEXT && (ev->key.keysym.mod & KMOD_SHIFT))
			k = KEY_PREV;
		if (k == KEY_NONE)
			break;
		activity(a);
		bool redraw = false;
		int ti = input_key(&a->in, a->ctx.targets, a->ctx.n_targets, k, tl_mono(a->clock), &redraw);
		if (redraw)
			a->dirty = true;
		if (switching(a))
			scan_set(&a->scan, a->in.focus, tl_mono(a->clock));  /* arrows move the highlight */
		run_target(a, ti, INPUT_KEYBOARD);
		break;
	}
	case SDL_KEYUP:
		if (switch_key(a, ev->key.keysym.sym))
			on_switch(a, switch_key(a, ev->key.keysym.sym), false);
		break;
	case SDL_JOYDEVICEADDED:
		open_device(ev->jdevice.which);
		break;
	case SDL_JOYDEVICEREMOVED: {
		SDL_Joystick *j = SDL_JoystickFromInstanceID(ev->jdevice.which);
		SDL_GameController *gc = SDL_GameControllerFromInstanceID(ev->jdevice.which);
		if (gc)
			SDL_GameControllerClose(gc);
		else if (j)
			SDL_JoystickClose(j);
		break;
	}
	case SDL_CONTROLLERBUTTONDOWN:
	case SDL_CONTROLLERBUTTONUP:
		on_button(a, ev->cbutton.button, ev->type == SDL_CONTROLLERBUTTONDOWN);
		break;
	case SDL_JOYBUTTONDOWN:
	case SDL_JOYBUTTONUP:
		/* A game controller's buttons come again as controller events. */
		if (SDL_GameControllerFromInstanceID(ev->jbutton.which))
			break;
		on_button(a, ev->jbutton.button, ev->type == SDL_JOYBUTTONDOWN);
		break;
	case SDL_MOUSEBUTTONDOWN:
	case SDL_MOUSEBUTTONUP:
		if (ev->button.which == SDL_TOUCH_MOUSEID || ev->button.button != SDL_BUTTON_LEFT)
			break;  /* touch is handled as fingers */
		on_pointer(a, ev->type == SDL_MOUSEBUTTONDOWN ? 0 : 2, -1, ev->button.x, ev->button.y, INPUT_MOUSE);
		break;
	case SDL_MOUSEMOTION:
		if (ev->motion.which == SDL_TOUCH_MOUSEID)
			break;
		a->have_ptr = true;
		a->ptr_x = ev->motion.x;
		a->ptr_y = ev->motion.y;
		if (dwelling(a)) {
			activity(a);
			int hit = input_hit(a->ctx.targets, a->ctx.n_targets, ev->motion.x, ev->motion.y);
			if (dwell_pointer(&a->dwell, hit, tl_mono(a->clock)))
				a->dirty = true;
		}
		on_pointer(a, 1, -1, ev->motion.x, ev->motion.y, INPUT_MOUSE);
		break;
	case SDL_FINGERDOWN:
	case SDL_FINGERUP:
	case SDL_FINGERMOTION:
		if (ev->tfinger.touchId == SDL_MOUSE_TOUCHID)
			break;  /* made from the mouse, which is handled already */
		SDL_GetRendererOutputSize(a->ren, &w, &h);
		on_pointer(a, ev->type == SDL_FINGERDOWN ? 0 : ev->type == SDL_FINGERMOTION ? 1 : 2,
		           (int64_t)ev->tfinger.fingerId, (int)(ev->tfinger.x * (float)w),
		           (int)(ev->tfinger.y * (float)h), INPUT_TOUCH);
		break;
	case SDL_WINDOWEVENT:
		if (ev->window.event == SDL_WINDOWEVENT_FOCUS_LOST || ev->window.event == SDL_WINDOWEVENT_LEAVE) {
			bool redraw = false;
			if (ev->window.event == SDL_WINDOWEVENT_FOCUS_LOST)
				input_pointer_cancel(&a->in, &redraw);
			a->dirty |= redraw;
		} else {
			a->dirty = true;  /* shown, exposed, resized: draw again */
		}
		break;
	case SDL_RENDER_TARGETS_RESET:
	case SDL_RENDER_DEVICE_RESET:
		a->dirty = true;
		break;
	default:
		if (ev->type == a->wake_event) {
			if (ev->user.code == WAKE_SIGNAL)
				a->quit = true;
			check_persisted(a);
		} else if (staff_event(a->staff, ev)) {
			a->dirty = true;
			staff_sync(a);
			layout(a);
		}
		break;
	}
}

/* Time moved on: the scan highlight steps, a hold or a dwell fills or
 * chooses. */
static void
access_tick(app *a)
{
	int64_t now = tl_mono(a->clock);
	bool redraw = false;
	int ti = -1;
	enum input_method m = INPUT_SWITCH;
	if (switching(a)) {
		ti = scan_tick(&a->scan, &a->acc, now, &redraw);
	} else if (dwelling(a)) {
		redraw = dwell_showing(&a->dwell) >= 0 &&
		         dwell_progress(&a->dwell, &a->acc, now) != a->ctx.dwell_progress;
		ti = dwell_tick(&a->dwell, &a->acc, now);
		m = INPUT_DWELL;
	}
	if (redraw)
		a->dirty = true;
	if (ti >= 0) {
		enum screen_id before = session_get_view(a->s)->screen;
		activity(a);
		if (before != SCREEN_STILL_THERE)
			run_target(a, ti, m);
	}
}

bool
app_step(app *a, int timeout_ms)
{
	if (timeout_ms < 0) {
		int64_t dl = session_next_deadline(a->s);
		int64_t sdl = staff_next_deadline(a->staff);
		if (sdl < dl)
			dl = sdl;
		int64_t now = tl_mono(a->clock);
		int64_t adl = switching(a) ? scan_next_deadline(&a->scan, &a->acc, now)
		            : dwelling(a) ? dwell_next_deadline(&a->dwell, &a->acc, now) : INT64_MAX;
		if (adl < dl)
			dl = adl;
		if (dl == INT64_MAX) {
			timeout_ms = -1;
		} else {
			int64_t left = dl - tl_mono(a->clock);
			timeout_ms = left <= 0 ? 0 : left > INT_MAX ? INT_MAX : (int)left;
		}
	}
	SDL_Event ev;
	if (SDL_WaitEventTimeout(&ev, timeout_ms)) {
		handle(a, &ev);
		while (!a->quit && SDL_PollEvent(&ev))
			handle(a, &ev);
	}
	check_persisted(a);
	if (session_tick(a->s))
		a->dirty = true;
	if (staff_tick(a->staff)) {
		a->dirty = true;
		staff_sync(a);
	}
	check_persisted(a);
	access_tick(a);
	if (a->dirty && !a->quit)
		present(a, NULL);
	return !a->quit;
}

int
app_run(app *a)
{
	present(a, NULL);
	while (app_step(a, -1)) {
	}
	return 0;
}

/* ---- life --------------------------------------------------------------- */

static double
panel_dpi(app *a)
{
	float ddpi = 0;
	int di = SDL_GetWindowDisplayIndex(a->win);
	if (di >= 0 && SDL_GetDisplayDPI(di, &ddpi, NULL, NULL) == 0 && ddpi > 1)
		return ddpi;
	if (a->opt.config->dpi > 0)
		return a->opt.config->dpi;
	return 96.0;
}

int
app_create(const app_options *opt, app **out, char *err, size_t errlen)
{
	*out = NULL;
	app *a = calloc(1, sizeof *a);
	if (!a) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	a->opt = *opt;
	a->clock = opt->clock ? opt->clock : tl_clock_system();
	a->data_dir = opt->data_dir ? opt->data_dir : tl_data_dir();
	a->kiosk = !opt->windowed;
	a->th = theme_default();
	a->last_screen = SCREEN_COUNT;
	a->last_staff = STAFF_OFF;
	a->last_question = -2;
	input_init(&a->in, opt->config->double_tap_ms);
	scan_init(&a->scan, opt->config->double_tap_ms);
	dwell_init(&a->dwell);
	a->acc = opt->config->access;

	if (opt->handle_signals) {
		/* Block before any thread starts so that every thread inherits the
		 * mask and only signal_thread ever sees these. */
		sigset_t set;
		sigemptyset(&set);
		sigaddset(&set, SIGINT);
		sigaddset(&set, SIGTERM);
		sigaddset(&set, SIGUSR1);
		pthread_sigmask(SIG_BLOCK, &set, NULL);
		SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
	}
	SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
	/* With the software renderer, draw straight into the X shared-memory
	 * framebuffer: a GL-backed window surface would load Mesa (about
	 * 100 MB more resident) for nothing. */
	SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
		snprintf(err, errlen, "cannot open the display: %s", SDL_GetError());
		goto fail;
	}
	/* Switch interfaces are often joysticks; a kiosk without the
	 * subsystem still works with keys. */
	SDL_InitSubSystem(SDL_INIT_GAMECONTROLLER | SDL_INIT_JOYSTICK);
	a->wake_event = SDL_RegisterEvents(1);
	staff_options so = {
		.db_path = opt->db_path,
		.flow = opt->flow,
		.clock = a->clock,
		.data_dir = a->data_dir,
		.kiosk = a->kiosk,
		.mountinfo = opt->mountinfo,
		.roots = opt->mount_roots,
	};
	a->staff = staff_create(&so);
	if (!a->staff) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}

	tl_error werr = { 0 };
	a->writer = store_writer_create(opt->db_path, opt->store, on_commit, a, &werr);
	if (!a->writer) {
		snprintf(err, errlen, "%s", werr.msg);
		goto fail;
	}

	int w = opt->width > 0 ? opt->width : 1280, h = opt->height > 0 ? opt->height : 800;
	Uint32 flags = SDL_WINDOW_SHOWN | SDL_WINDOW_RESIZABLE;
	if (a->kiosk)
		flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
	a->win = SDL_CreateWindow("Tellus", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
	if (!a->win) {
		snprintf(err, errlen, "cannot open a window: %s", SDL_GetError());
		goto fail;
	}
	a->ren = SDL_CreateRenderer(a->win, -1, 0);
	if (!a->ren)
		a->ren = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_SOFTWARE);
	if (!a->ren) {
		snprintf(err, errlen, "cannot draw in the window: %s", SDL_GetError());
		goto fail;
	}
	char fonts[1024];
	snprintf(fonts, sizeof fonts, "%s/fonts", a->data_dir);
	a->tc = text_cache_create(a->ren, fonts, err, errlen);
	if (!a->tc)
		goto fail;
	a->ic = image_cache_create(a->ren);
	if (!a->ic) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	a->min_target = (int)(opt->config->min_target_mm * panel_dpi(a) / 25.4 + 0.5);

	/* Speech is always made, so a person can turn reading aloud on; the
	 * kiosk's setting only decides whether screens speak by themselves.
	 * No sound device is not a failure: the kiosk carries on silently. */
	static const speech_voice builtin_voices[] = {
		{ "en", "en", 0 }, { "pl", "pl", 0 }, { "ur", "ur", 0 }, { "ar", "ar", 0 }, { "bn", "bn", 0 },
	};
	/* The settings' voices first (the table is searched in order), then
	 * the built-in ones for languages they do not name. */
	speech_voice voices[CONFIG_MAX_VOICES + 5];
	size_t n_voices = 0;
	for (int i = 0; i < opt->config->n_voices; i++) {
		const config_voice *cv = &opt->config->voices[i];
		voices[n_voices++] = (speech_voice){ cv->lang, cv->voice, cv->rate };
	}
	for (size_t i = 0; i < sizeof builtin_voices / sizeof builtin_voices[0]; i++)
		voices[n_voices++] = builtin_voices[i];
	speech_options spo = {
		.voices = voices,
		.n_voices = n_voices,
		.default_rate_wpm = opt->config->access.speech_rate,
	};
	a->sp = speech_create(&spo, err, errlen);
	if (!a->sp)
		goto fail;
	staff_set_speech_status(a->staff, speech_status(a->sp));
	/* Load the default voice now, so the first prompt starts fast. */
	speech_say(a->sp, " ", opt->config->language ? opt->config->language : opt->flow->languages[0]);
	a->heard = -1;
	a->said_focus = -1;
	a->said_key = UINT64_MAX;

	session_sink sink = { sink_begin, sink_answer, sink_end, a };
	a->s = session_create(opt->flow, &opt->config->timing, a->clock, sink);
	if (!a->s) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (opt->config->language)
		session_set_language(a->s, opt->config->language);
	session_set_presentation(a->s, opt->flow->has_presentation ? opt->flow->presentation
	                                                           : opt->config->presentation);
	if (opt->handle_signals) {
		if (pthread_create(&a->sig_thread, NULL, signal_thread, a) == 0)
			a->sig_thread_started = true;
	}
	a->dirty = true;
	layout(a);
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
	if (a->sig_thread_started) {
		pthread_kill(a->sig_thread, SIGUSR1);
		pthread_join(a->sig_thread, NULL);
	}
	/* An export under way finishes first. */
	staff_destroy(a->staff);
	/* Whatever is queued reaches the disk before we go. */
	store_writer_destroy(a->writer);
	speech_destroy(a->sp);
	session_destroy(a->s);
	draw_list_finish(&a->dl);
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

/* ---- test hooks --------------------------------------------------------- */

const session_view *app_view(const app *a) { return session_get_view(a->s); }
SDL_Window *app_window(app *a) { return a->win; }
uint64_t app_frames(const app *a) { return a->frames; }
uint64_t app_last_present_ns(const app *a) { return a->last_present_ns; }
int app_min_target_px(const app *a) { return a->min_target; }
int app_focus(const app *a) { return a->in.show_focus ? a->in.focus : -1; }
void app_flush(app *a) { store_writer_flush(a->writer); check_persisted(a); }

bool
app_target_center(app *a, int action, int arg, int *x, int *y)
{
	layout(a);
	for (int i = 0; i < a->ctx.n_targets; i++) {
		const ui_target *t = &a->ctx.targets[i];
		bool by_arg = action == ACT_ANSWER || action == ACT_SET_LANGUAGE || action == ACT_ACCESS_OPTION ||
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
	layout(a);
	int n = a->ctx.n_targets < max ? a->ctx.n_targets : max;
	for (int i = 0; i < n; i++) {
		rects[i] = a->ctx.targets[i].r;
		acts[i] = (int)a->ctx.targets[i].action;
	}
	return n;
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
	layout(a);
}

SDL_Surface *
app_screenshot(app *a)
{
	SDL_Surface *s = NULL;
	present(a, &s);
	return s;
}

const struct staff_view *
app_staff(const app *a)
{
	return staff_get_view(a->staff);
}

const access_settings *app_access(const app *a) { return &a->acc; }
int app_overlay(const app *a) { return (int)a->overlay; }
struct speech *app_speech(app *a) { return a->sp; }
uint64_t app_speech_requests(const app *a) { return a->speech_requests; }
const char *app_last_spoken(const app *a) { return a->say; }
uint64_t app_last_speech_ns(const app *a) { return a->speech_request_ns; }
