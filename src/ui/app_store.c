/*
 * app_store: from the session machine to the store writer, and what the
 * screens show about the disk.
 *
 * The session machine calls the sink on the UI thread as a person begins,
 * answers and ends; each record is copied into the writer's queue and the
 * call returns at once, so the frame path never waits on the disk. The
 * writer's thread commits and wakes the loop with an SDL event; only then
 * is the session told its rows are safe (the welcome screen waits for it).
 *
 * Promises:
 * - At start-up, before the writer takes anything, the sessions an earlier
 *   run of this kiosk left in progress are closed as interrupted.
 * - An answer's next screen is presented once the answer is committed (the
 *   loop keeps running and takes no input meanwhile), or after HOLD_MS if
 *   the disk is slow, or at once if the disk is failing: so on a healthy
 *   disk, a screen that followed an answer means the answer is on disk.
 * - The thank-you says "saved" only after the end record is committed;
 *   until then it says it is saving, with calm dots, and after SAVE_LATE_MS
 *   that staff need to check the kiosk.
 * - While the writer's health is not OK nobody new is invited: the rest
 *   screen stands in for welcome (and for the blank "resetting" screen and
 *   a thank-you whose time is over). With the queue full it covers every
 *   session screen, so no answer is taken that could not be kept. When the
 *   disk mends, the queue drains and welcome comes back by itself.
 */
#include "app_internal.h"

#include <stdio.h>

/* How long an answer's next screen waits for its commit on a slow disk. */
#define HOLD_MS 1500
/* How long the thank-you says "saving" before asking for staff. */
#define SAVE_LATE_MS 10000
/* How long the blank resetting screen may last before the rest screen. */
#define RESET_REST_MS 3000
/* The waiting dots' frame time. */
#define ANIM_STEP_MS 350

/* The kiosk's name and the event come from staff mode's view: the set-up
 * screen and the staff menu change them while the kiosk runs. */
static void
sink_begin(void *ud, const session_begin_rec *r)
{
	app *a = ud;
	const staff_view *sv = staff_get_view(a->staff);
	store_session s = {
		.id = r->session_id,
		.kiosk_id = sv->kiosk_id[0] ? sv->kiosk_id : NULL,
		.event = sv->event[0] ? sv->event : NULL,
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
	const char *fb = r->question ? session_flow(a->s)->languages[0] : "";
	/* Pointers into the flow, one per chosen answer (the session holds at
	 * most SESSION_MAX_CHOICES); the writer copies the strings. */
	const char *ids[SESSION_MAX_CHOICES], *labels[SESSION_MAX_CHOICES];
	const char *cols[SESSION_MAX_CHOICES], *col_labels[SESSION_MAX_CHOICES];
	bool sort = r->question->type == QT_SORT;
	size_t n = 0;
	for (int i = 0; i < r->n_chosen && n < SESSION_MAX_CHOICES; i++, n++) {
		const flow_answer *ans = &r->question->answers[r->chosen[i]];
		ids[n] = ans->id;
		labels[n] = tstr_get(&ans->label, lang, fb);
		int k = r->column[i];
		const flow_answer *col = sort && k >= 0 && (size_t)k < r->question->n_columns
		                         ? &r->question->columns[k] : NULL;
		cols[n] = col ? col->id : STORE_UNSORTED;
		col_labels[n] = col ? tstr_get(&col->label, lang, fb) : "";
	}
	store_answer sa = {
		.session_id = r->session_id,
		.seq = r->seq,
		.question_id = r->question->id,
		.question_index = r->question_index,
		.question_text = tstr_get(&r->question->prompt, lang, fb),
		.kind = answer_kind_name(r->kind),
		.n_choices = n,
		.choice_ids = ids,
		.choice_labels = labels,
		.choice_columns = sort ? cols : NULL,
		.choice_column_labels = sort ? col_labels : NULL,
		.typed_text = r->typed_text,
		.drawing_png = r->drawing_png,
		.drawing_len = r->drawing_len,
		.given_wall_ms = r->given_wall_ms,
		.time_taken_ms = r->time_taken_ms,
		.input_method = input_method_name(r->method),
	};
	uint64_t seq = store_writer_add_answer(a->writer, &sa);
	if (seq) {
		a->hold_seq = seq;
		a->hold_until = tl_mono(tl_clock_system()) + HOLD_MS;
		app_testlog_answer(a, r->session_id, r->seq);
	}
}

static void
sink_end(void *ud, const session_end_rec *r)
{
	app *a = ud;
	a->end_seq = store_writer_end_session(a->writer, r->session_id,
	                                      session_status_name(r->status),
	                                      r->ended_wall_ms);
	a->waiting_persist = true;
	a->end_mono = tl_mono(a->clock);
}

session_sink
app_store_sink(app *a)
{
	return (session_sink){ sink_begin, sink_answer, sink_end, a };
}

/* Runs on the writer's thread: only wake the loop. SDL_PushEvent is
 * thread-safe. */
static void
on_commit(void *ud, uint64_t seq)
{
	app *a = ud;
	(void)seq;   /* 0: the disk's health changed */
	/* A wake-up goes through the display's connection (X11): not once
	 * the display is gone (app_display.c: whichever thread found it sees
	 * the queue committed before the kiosk ends). A wake-up that finds it
	 * gone itself ends in app_display.c's handler, on this thread. */
	if (atomic_load(&a->display_lost))
		return;
	SDL_Event ev = { 0 };
	ev.type = a->wake_event;
	ev.user.code = APP_WAKE_COMMIT;
	SDL_PushEvent(&ev);
}

/* The database is opened once at start: here, to read the set-up, then
 * (app_store_open) to close what an earlier run left open, and then it is
 * the writer's. */
int
app_store_read_setup(app *a, kiosk_setup *ks, bool *offered, tl_error *err)
{
	store *st = NULL;
	if (store_open(a->opt.db_path, a->opt.store, &st, err) != 0)
		return -1;
	const kiosk_config *cfg = a->opt.config;
	int rc = kiosk_setup_apply_settings(st, cfg->kiosk_id, cfg->event, err);
	if (rc == 0)
		rc = kiosk_setup_read(st, ks, err);
	for (int i = 0; rc == 0 && i < a->n_flows; i++) {
		int o = kiosk_setup_offered(st, a->flows[i]->id, err);
		rc = o < 0 ? -1 : 0;
		offered[i] = o == 1;
	}
	if (rc != 0) {
		store_close(st);
		return rc;
	}
	a->boot_st = st;
	return 0;
}

/* Sessions an earlier run left in progress end as interrupted, before
 * this run begins any; then the writer takes the handle. */
int
app_store_open(app *a, tl_error *err)
{
	store *st = a->boot_st;
	a->boot_st = NULL;
	if (!st && store_open(a->opt.db_path, a->opt.store, &st, err) != 0)
		return -1;
	if (store_close_interrupted(st, NULL, err) != 0) {
		store_close(st);
		return -1;
	}
	a->writer = store_writer_create_from(st, a->opt.db_path, a->opt.store, on_commit, a, err);
	return a->writer ? 0 : -1;
}

/* What the screens show about the disk now. */
static void
store_look(app *a, int64_t now, ui_ctx *c)
{
	enum store_health h = store_writer_health(a->writer);
	bool full = store_writer_full(a->writer);
	enum screen_id scr = session_get_view(a->s)->screen;
	bool ill = h != STORE_HEALTH_OK;
	c->store_health = (int)h;
	c->store_full = full;
	c->saving = !a->waiting_persist ? UI_SAVED
	          : now - a->end_mono >= SAVE_LATE_MS ? UI_SAVE_LATE : UI_SAVING;
	int64_t thanks_ms = a->opt.config->timing.thanks_ms;
	c->resting = full ||
	             (ill && (scr == SCREEN_WELCOME || scr == SCREEN_RESETTING)) ||
	             (ill && scr == SCREEN_THANKS && a->waiting_persist &&
	              now - a->end_mono >= SAVE_LATE_MS + thanks_ms) ||
	             (scr == SCREEN_RESETTING && a->waiting_persist &&
	              now - a->end_mono >= RESET_REST_MS);
	c->anim_ms = now;
}

void
app_store_fill_ctx(app *a, ui_ctx *c)
{
	store_look(a, tl_mono(a->clock), c);
	a->look_key = (c->store_health << 4) | (c->store_full << 3) | (c->resting << 2) | (int)c->saving;
}

void
app_store_check_persisted(app *a)
{
	if (a->waiting_persist && store_writer_committed(a->writer) >= a->end_seq) {
		a->waiting_persist = false;
		session_persisted(a->s);
		a->dirty = true;
	}
	/* The disk's look changed (its health, the queue, a deadline), or the
	 * waiting dots are due to move: draw again. */
	int64_t now = tl_mono(a->clock);
	ui_ctx probe = { 0 };
	store_look(a, now, &probe);
	int key = (probe.store_health << 4) | (probe.store_full << 3) | (probe.resting << 2) |
	          (int)probe.saving;
	if (key != a->look_key)
		a->dirty = true;
	if (probe.saving == UI_SAVING && session_get_view(a->s)->screen == SCREEN_THANKS &&
	    now >= a->anim_next)
		a->dirty = true;
}

bool
app_store_holding(const app *a)
{
	return a->hold_seq && store_writer_committed(a->writer) < a->hold_seq &&
	       store_writer_health(a->writer) == STORE_HEALTH_OK &&
	       tl_mono(tl_clock_system()) < a->hold_until;
}

int64_t
app_store_deadline(app *a)
{
	/* The hold is timed by the real clock (a commit takes real time); the
	 * rest by the app's, which tests move by hand. */
	int64_t now = tl_mono(a->clock), dl = INT64_MAX;
	if (app_store_holding(a))
		dl = now + (a->hold_until - tl_mono(tl_clock_system()));
	if (a->waiting_persist) {
		/* the dots move on, and the words change at the deadlines */
		a->anim_next = (now / ANIM_STEP_MS + 1) * ANIM_STEP_MS;
		int64_t marks[] = { a->anim_next, a->end_mono + SAVE_LATE_MS,
		                    a->end_mono + RESET_REST_MS,
		                    a->end_mono + SAVE_LATE_MS + a->opt.config->timing.thanks_ms };
		for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
			if (marks[i] > now && marks[i] < dl)
				dl = marks[i];
	}
	return dl;
}

void
app_store_end_live(app *a)
{
	/* Stopping the kiosk (a signal, the staff Quit, closing the window)
	 * while a person answers: their session ends now, as unfinished, and
	 * the record is queued before the writer drains and closes. */
	session_end_unfinished(a->s);
}
