/*
 * app_store: from the session machine to the store writer.
 *
 * The session machine calls the sink on the UI thread as a person begins,
 * answers and ends; each record is copied into the writer's queue and the
 * call returns at once, so the frame path never waits on the disk. The
 * writer's thread commits and wakes the loop with an SDL event; only then
 * is the session told its rows are safe (the welcome screen waits for it).
 */
#include "app_internal.h"

#include <stdio.h>

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
	/* Pointers into the flow, one per chosen answer (the session holds at
	 * most SESSION_MAX_CHOICES); the writer copies the strings. */
	const char *ids[SESSION_MAX_CHOICES], *labels[SESSION_MAX_CHOICES];
	size_t n = 0;
	for (int i = 0; i < r->n_chosen && n < SESSION_MAX_CHOICES; i++, n++) {
		const flow_answer *ans = &r->question->answers[r->chosen[i]];
		ids[n] = ans->id;
		labels[n] = tstr_get(&ans->label, lang, fb);
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
	(void)seq;
	SDL_Event ev = { 0 };
	ev.type = a->wake_event;
	ev.user.code = APP_WAKE_COMMIT;
	SDL_PushEvent(&ev);
}

int
app_store_open(app *a, tl_error *err)
{
	a->writer = store_writer_create(a->opt.db_path, a->opt.store, on_commit, a, err);
	return a->writer ? 0 : -1;
}

void
app_store_check_persisted(app *a)
{
	if (a->waiting_persist && store_writer_committed(a->writer) >= a->end_seq) {
		a->waiting_persist = false;
		session_persisted(a->s);
		a->dirty = true;
	}
}
