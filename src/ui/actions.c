/*
 * actions: what pressing a target does. Every input mode (touch, mouse,
 * keyboard, switches, dwell) ends here with a target index and the way it
 * was pressed; one table maps each enum ui_action to its handler, and the
 * staff actions go to staff mode's own table (staff_press).
 *
 * A handler returns true when the look changed. A person's settings and
 * language are theirs for their turn only (app_person.c puts the kiosk's
 * back); they are not answers, so nothing is stored.
 */
#include "app_internal.h"
#include "cards/cards.h"

#include <stdio.h>

typedef bool (*action_fn)(app *a, int arg, enum input_method m);

/* Start, or a flow's card on a welcome screen offering several (arg: the
 * flow, an index into the kiosk's flows). */
static bool
do_start(app *a, int arg, enum input_method m)
{
	(void)m;
	if (session_get_view(a->s)->screen == SCREEN_WELCOME && !app_flows_pick(a, arg))
		return false;
	if (!session_start(a->s))
		return false;
	/* The kiosk may ask each person how they like to answer, once. */
	if (a->opt.config->ask_access)
		a->overlay = OVERLAY_ACCESS;
	return true;
}
static bool do_answer(app *a, int arg, enum input_method m) { return session_choose(a->s, arg, m); }
static bool
do_done(app *a, int arg, enum input_method m)
{
	(void)arg;
	const session_view *v = session_get_view(a->s);
	if (v->screen == SCREEN_QUESTION && v->question && v->question->type == QT_DRAW)
		return app_draw_done(a, m);
	return session_done(a->s, m);
}
static bool do_draw_colour(app *a, int arg, enum input_method m) { (void)m; return app_draw_colour(a, arg); }
static bool do_draw_clear(app *a, int arg, enum input_method m) { (void)arg; (void)m; return app_draw_clear(a); }
static bool do_draw_stamp(app *a, int arg, enum input_method m) { return app_draw_stamp(a, arg, m); }
static bool do_skip(app *a, int arg, enum input_method m) { (void)arg; return session_skip(a->s, m); }
static bool do_decline(app *a, int arg, enum input_method m) { (void)arg; return session_decline(a->s, m); }
static bool do_back(app *a, int arg, enum input_method m) { (void)arg; (void)m; return session_back(a->s); }
static bool do_finish(app *a, int arg, enum input_method m) { (void)arg; (void)m; return session_finish_now(a->s); }
static bool do_finish_early(app *a, int arg, enum input_method m) { (void)arg; return session_finish_early(a->s, m); }
static bool do_here(app *a, int arg, enum input_method m) { (void)arg; (void)m; return session_activity(a->s); }

/* An on-screen key: a letter or Space typed, the last letter taken away,
 * or the keyboard's next page of letters. */
static bool
do_key(app *a, int arg, enum input_method m)
{
	(void)m;
	if (arg == UI_OSK_DELETE)
		return session_text_delete(a->s);
	if (arg == UI_OSK_PAGE) {
		a->osk_page++;
		return true;
	}
	const char *t = ui_osk_key(ui_osk_lang(session_get_view(a->s)->language), arg);
	return t && session_text_type(a->s, t);
}

static bool
do_sort_column(app *a, int arg, enum input_method m)
{
	(void)m;
	return session_sort_place(a->s, arg);
}

/* Sorting by keyboard or switches: once a picture is picked up the
 * highlight goes to the first column, and once it is put down, to the
 * next picture still off the mat (or Done), so nobody has to step past
 * every picture between the two. Touch and dwell point for themselves. */
static void
sort_refocus(app *a, enum ui_action was)
{
	const session_view *v = session_get_view(a->s);
	if (!v->question || v->question->type != QT_SORT || (!a->in.show_focus && !input_mode_switching(a)))
		return;
	int want = -1;
	for (int i = 0; i < a->ctx.n_targets && want < 0; i++) {
		const ui_target *t = &a->ctx.targets[i];
		if (was == ACT_ANSWER && v->held >= 0)
			want = t->action == ACT_SORT_COLUMN ? i : -1;
		else if (was == ACT_SORT_COLUMN)
			want = (t->action == ACT_ANSWER && t->arg >= 0 && t->arg < SESSION_MAX_CHOICES &&
			        v->column[t->arg] < 0) ? i : -1;
	}
	for (int i = 0; i < a->ctx.n_targets && want < 0 && was == ACT_SORT_COLUMN; i++)
		if (a->ctx.targets[i].action == ACT_DONE)
			want = i;
	if (want < 0)
		return;
	a->in.focus = want;
	scan_set(&a->scan, want, tl_mono(a->clock));
	app_layout(a);
}

/* A keyboard or switch user who turned the keyboard's page stays on the
 * page key, whatever index it has on the new page, so the next press can
 * turn it again or step on to the letters. */
static void
page_refocus(app *a)
{
	if (!a->in.show_focus && !input_mode_switching(a))
		return;
	for (int i = 0; i < a->ctx.n_targets; i++) {
		const ui_target *t = &a->ctx.targets[i];
		if (t->action == ACT_KEY && t->arg == UI_OSK_PAGE) {
			a->in.focus = i;
			scan_set(&a->scan, i, tl_mono(a->clock));
			app_layout(a);
			return;
		}
	}
}

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

/* The language lasts for this person. */
static bool
do_set_language(app *a, int arg, enum input_method m)
{
	(void)m;
	const flow *f = session_flow(a->s);
	if (arg >= 0 && (size_t)arg < f->n_languages)
		session_set_language(a->s, f->languages[arg]);
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

/* A person's own choice, for their turn only. */
static bool
do_access_option(app *a, int arg, enum input_method m)
{
	(void)m;
	enum access_method was = a->acc.method;
	screen_access_apply(&a->acc, arg);
	if (a->acc.method != was)
		input_mode_trial(a, was);
	/* Say what changed, even when reading aloud has just been turned off,
	 * in the person's language. */
	const ui_access_words *aw = ui_access_words_for(session_get_view(a->s)->language);
	snprintf(a->say, sizeof a->say, "%s: %s", screen_access_label(aw->lang, arg, NULL),
	         screen_access_chosen(&a->acc, arg) ? aw->on : aw->off);
	speak_now(a, a->say, aw->lang);
	return true;
}

/* Keep: the press itself, made the new way, confirmed it (actions_run);
 * made any other way it keeps nothing, and the trial runs on. */
static bool
do_access_keep(app *a, int arg, enum input_method m)
{
	(void)arg;
	(void)m;
	return !a->method_trial;
}

/* "You said, we did": touching a card reads it aloud (whatever the
 * person's speech setting: hearing it is what the touch asked for). */
static bool
do_card_hear(app *a, int arg, enum input_method m)
{
	(void)m;
	const card *cd = screen_card_current(&a->ctx, arg);
	if (!cd)
		return false;
	const char *lang;
	screen_card_say(cd, session_get_view(a->s)->language, a->say, sizeof a->say, &lang);
	speak_now(a, a->say, lang);
	return false;
}

static bool
do_card_more(app *a, int arg, enum input_method m)
{
	(void)arg;
	(void)m;
	if (!a->opt.cards || a->opt.cards->n < 2)
		return false;
	a->card_index = (a->card_index + 1) % a->opt.cards->n;
	return true;
}

static bool do_carry_on(app *a, int arg, enum input_method m) { (void)arg; (void)m; return session_carry_on(a->s); }

/* Touching a person on the audience screen reads them aloud (as a card
 * does: hearing them is what the touch asked for). */
static bool
do_audience_hear(app *a, int arg, enum input_method m)
{
	(void)m;
	speak_person(a, arg);
	return false;
}

static const action_fn actions[ACT_COUNT] = {
	[ACT_START] = do_start,
	[ACT_ANSWER] = do_answer,
	[ACT_DONE] = do_done,
	[ACT_SKIP] = do_skip,
	[ACT_DECLINE] = do_decline,
	[ACT_BACK] = do_back,
	[ACT_FINISH] = do_finish,
	[ACT_FINISH_EARLY] = do_finish_early,
	[ACT_STILL_HERE] = do_here,
	[ACT_CLOSE_OVERLAY] = do_close_overlay,
	[ACT_OPEN_LANGUAGE] = do_open_language,
	[ACT_SET_LANGUAGE] = do_set_language,
	[ACT_SORT_COLUMN] = do_sort_column,
	[ACT_KEY] = do_key,
	[ACT_DRAW_COLOUR] = do_draw_colour,
	[ACT_DRAW_CLEAR] = do_draw_clear,
	[ACT_DRAW_STAMP] = do_draw_stamp,
	[ACT_OPEN_ACCESS] = do_open_access,
	[ACT_ACCESS_OPTION] = do_access_option,
	[ACT_ACCESS_KEEP] = do_access_keep,
	[ACT_CARD_HEAR] = do_card_hear,
	[ACT_CARD_MORE] = do_card_more,
	[ACT_CARRY_ON] = do_carry_on,
	[ACT_AUDIENCE_HEAR] = do_audience_hear,
};

/* The double-tap guard is for children's answers: every tap counts while
 * staff type a PIN. */
void
actions_staff_sync(app *a)
{
	if (staff_take_end_session(a->staff) && session_end_unfinished(a->s))
		a->dirty = true;
	if (staff_wants_quit(a->staff))
		a->quit = true;
	a->in.double_tap_ms = staff_active(a->staff) ? 0 : a->opt.config->double_tap_ms;
}

void
actions_run(app *a, int ti, enum input_method m)
{
	if (ti < 0 || ti >= a->ctx.n_targets)
		return;
	if (speak_heard_first(a, ti, m)) {
		app_layout(a);
		return;
	}
	const ui_target *t = &a->ctx.targets[ti];
	enum ui_action was = t->action;
	bool page_key = t->action == ACT_KEY && t->arg == UI_OSK_PAGE;
	/* A press made the way on trial is that way working: keep it. */
	input_mode_confirm(a, m);
	action_fn fn = actions[t->action];
	bool changed = fn && fn(a, t->arg, m);
	if (changed)
		a->dirty = true;
	if (t->action >= ACT_STAFF_DIGIT && staff_press(a->staff, (int)t->action, t->arg))
		a->dirty = true;
	actions_staff_sync(a);
	/* Later events in this batch must hit the new screen's targets. */
	app_layout(a);
	if (changed && (was == ACT_ANSWER || was == ACT_SORT_COLUMN))
		sort_refocus(a, was);
	if (changed && was == ACT_KEY && page_key)
		page_refocus(a);
	app_store_check_persisted(a);
}

void
actions_activity(app *a)
{
	app_person_input(a);
	if (staff_active(a->staff)) {
		staff_activity(a->staff);
		return;
	}
	/* Any input keeps the person's session alive; on "are you still
	 * there?" it brings their question back. */
	if (session_activity(a->s)) {
		a->dirty = true;
		app_layout(a);
	}
}
