/*
 * speak: what the kiosk reads aloud, and when. speech.c says it; this file
 * decides: a new screen is read once as it appears (its recorded clip when
 * the flow gives one in the person's language), then the words of whatever gains keyboard or switch
 * focus; touch to hear reads an answer on the first touch and chooses on
 * the second. Staff mode is silent. Every call returns at once: the speech
 * module queues to its own thread.
 */
#include "app_internal.h"
#include "cards/cards.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Built in: one voice for each language the kiosk's words are in. */
static const speech_voice builtin_voices[] = {
	{ "en", "en", 0 }, { "pl", "pl", 0 }, { "ur", "ur", 0 }, { "ar", "ar", 0 }, { "bn", "bn", 0 },
};

int
speak_open(app *a, tl_error *err)
{
	const kiosk_config *cfg = a->opt.config;
	/* The settings' voices first (the table is searched in order), then
	 * the built-in ones for languages they do not name. */
	speech_voice voices[CONFIG_MAX_VOICES + sizeof builtin_voices / sizeof builtin_voices[0]];
	size_t n_voices = 0;
	for (int i = 0; i < cfg->n_voices; i++) {
		const config_voice *cv = &cfg->voices[i];
		voices[n_voices++] = (speech_voice){ cv->lang, cv->voice, cv->rate };
	}
	for (size_t i = 0; i < sizeof builtin_voices / sizeof builtin_voices[0]; i++)
		voices[n_voices++] = builtin_voices[i];
	speech_options spo = {
		.voices = voices,
		.n_voices = n_voices,
		.default_rate_wpm = cfg->access.speech_rate,
	};
	if (speech_create(&spo, &a->sp, err) != 0)
		return -1;
	/* Load the default voice now, so the first prompt starts fast. */
	speech_say(a->sp, " ", cfg->language ? cfg->language : a->opt.flow->languages[0]);
	a->heard = -1;
	a->said_focus = -1;
	a->said_key = UINT64_MAX;
	return 0;
}

/* What every request notes: when, what (into a->say) and in which language. */
static void
note_request(app *a, const char *what, const char *lang)
{
	a->speech_requests++;
	a->speech_request_ns = app_now_ns();
	if (what != a->say)
		snprintf(a->say, sizeof a->say, "%s", what);
	snprintf(a->say_lang, sizeof a->say_lang, "%s", lang ? lang : "");
}

void
speak_now(app *a, const char *text, const char *lang)
{
	note_request(a, text, lang);
	speech_say(a->sp, a->say, lang);
}

/* "Sam, runs the parent forum." into buf at used; the new length. */
static size_t
person_words(const app *a, int i, char *buf, size_t len, size_t used)
{
	const session_view *v = session_get_view(a->s);
	const flow *f = session_flow(a->s);
	if (i < 0 || (size_t)i >= f->n_audience || used >= len)
		return used;
	const flow_person *p = &f->audience[i];
	int n = snprintf(buf + used, len - used, "%s%s, %s.", used ? " " : "", p->name ? p->name : "",
	                 tstr_get(&p->role, v->language, f->languages[0]));
	return n < 0 ? used : used + (size_t)n;
}

void
speak_person(app *a, int i)
{
	a->say[0] = '\0';
	if (person_words(a, i, a->say, sizeof a->say, 0) > 0)
		speak_now(a, a->say, session_get_view(a->s)->language);
}

/* The words of a target, in the language they are written in. */
static const char *
target_words(const app *a, const ui_target *t, const char **lang)
{
	const session_view *v = session_get_view(a->s);
	const ui_words *wd = ui_words_for(v->language);
	*lang = wd->lang;
	switch (t->action) {
	case ACT_START:
		/* On a welcome screen offering several flows, each card is its
		 * flow's title. */
		if (a->ctx.n_flows > 1 && t->arg >= 0 && t->arg < a->n_flows) {
			const flow *f = a->flows[t->arg];
			*lang = v->language;
			return tstr_get(&f->title, v->language, f->languages[0]);
		}
		return wd->start;
	case ACT_FINISH_EARLY: return wd->finished;
	case ACT_CARRY_ON: return wd->carry_on;
	case ACT_DONE: return wd->done;
	case ACT_SKIP: return wd->skip;
	case ACT_DECLINE: return wd->decline;
	case ACT_BACK: return wd->back;
	case ACT_FINISH: return wd->finish;
	case ACT_STILL_HERE: return wd->yes_here;
	case ACT_CLOSE_OVERLAY: return wd->done;
	case ACT_OPEN_LANGUAGE: return wd->language;
	case ACT_CARD_MORE: {
		const card *cd = screen_card_current(&a->ctx, 0);
		*lang = cd ? cd->file->languages[0] : "en";
		for (size_t i = 0; cd && i < cd->file->n_languages; i++)
			if (strcmp(cd->file->languages[i], v->language) == 0)
				*lang = v->language;
		return ui_card_words_for(*lang)->more;
	}
	case ACT_OPEN_ACCESS:
		return screen_access_title(v->language, lang);
	case ACT_ACCESS_OPTION:
		return screen_access_label(v->language, t->arg, lang);
	case ACT_ACCESS_KEEP:
		*lang = ui_access_words_for(v->language)->lang;
		return ui_access_words_for(v->language)->keep;
	case ACT_SET_LANGUAGE:
		/* Each language says its own name in its own voice. */
		if (t->arg < 0 || (size_t)t->arg >= session_flow(a->s)->n_languages)
			return NULL;
		*lang = session_flow(a->s)->languages[t->arg];
		return ui_words_for(*lang)->name;
	case ACT_SORT_COLUMN:
		if (!v->question || t->arg < 0 || (size_t)t->arg >= v->question->n_columns)
			return NULL;
		*lang = v->language;
		return tstr_get(&v->question->columns[t->arg].label, v->language,
		                a->opt.flow->languages[0]);
	case ACT_KEY: {
		/* a letter says itself, in the keyboard's language */
		const ui_type_words *tw = ui_type_words_for(v->language);
		*lang = tw->lang;
		if (t->arg == UI_OSK_DELETE)
			return tw->del;
		if (t->arg == UI_OSK_SPACE)
			return tw->space;
		if (t->arg == UI_OSK_PAGE)
			return tw->more_letters;
		*lang = ui_osk_lang(v->language);
		return ui_osk_key(*lang, t->arg);
	}
	case ACT_DRAW_COLOUR: {
		const ui_type_words *tw = ui_type_words_for(v->language);
		*lang = tw->lang;
		if (t->arg == UI_DRAW_ERASER)
			return tw->eraser;
		return t->arg >= 0 && t->arg < UI_DRAW_COLOURS ? tw->colours[t->arg] : NULL;
	}
	case ACT_DRAW_CLEAR:
		*lang = ui_type_words_for(v->language)->lang;
		return ui_type_words_for(v->language)->start_again;
	case ACT_DRAW_STAMP:
		*lang = ui_type_words_for(v->language)->lang;
		return ui_type_words_for(v->language)->draw_here;
	case ACT_ANSWER:
		if (!v->question || t->arg < 0 || (size_t)t->arg >= v->question->n_answers)
			return NULL;
		*lang = v->language;
		return tstr_get(&v->question->answers[t->arg].label, v->language,
		                session_flow(a->s)->languages[0]);
	default:
		return NULL;
	}
}

static void
say_target(app *a, int ti)
{
	if (ti >= 0 && ti < a->ctx.n_targets && a->ctx.targets[ti].action == ACT_AUDIENCE_HEAR) {
		speak_person(a, a->ctx.targets[ti].arg);
		return;
	}
	/* A card under the focus says what it says. */
	if (ti >= 0 && ti < a->ctx.n_targets && a->ctx.targets[ti].action == ACT_CARD_HEAR) {
		const card *cd = screen_card_current(&a->ctx, a->ctx.targets[ti].arg);
		const char *lang;
		if (cd) {
			screen_card_say(cd, session_get_view(a->s)->language, a->say, sizeof a->say, &lang);
			speak_now(a, a->say, lang);
		}
		return;
	}
	const char *lang = NULL;
	const char *w = ti >= 0 && ti < a->ctx.n_targets ? target_words(a, &a->ctx.targets[ti], &lang) : NULL;
	if (w && *w)
		speak_now(a, w, lang);
}

/* The question's clip recorded in the person's language, or its words
 * (easy-read when shown so) in the voice of that language: an Urdu
 * speaker never hears the English recording. */
static void
say_question(app *a, const session_view *v, const char *fb)
{
	const flow_question *q = v->question;
	if (!q)
		return;
	char *clip = flow_clip_path(session_flow(a->s), q, v->language);
	if (clip) {
		note_request(a, clip, v->language);
		speech_play_clip(a->sp, clip);
		free(clip);
		return;
	}
	const char *text = v->presentation == PRES_EASY_READ ? tstr_get(&q->easy_read, v->language, fb) : "";
	if (!*text)
		text = tstr_get(&q->prompt, v->language, fb);
	snprintf(a->say, sizeof a->say, "%s", text);
	speak_now(a, a->say, v->language);
}

/* What a screen says when it appears. */
static void
say_screen(app *a)
{
	const session_view *v = session_get_view(a->s);
	const ui_words *wd = ui_words_for(v->language);
	const char *fb = session_flow(a->s)->languages[0];
	if (v->screen == SCREEN_STILL_THERE && (a->acc.speech || a->overlay != OVERLAY_NONE)) {
		/* Drawn above every overlay, and said over one even with reading
		 * aloud off: the overlay may be where the person was turning it
		 * on, and the warning must reach them (WCAG 2.2.1). */
		snprintf(a->say, sizeof a->say, "%s %s", wd->still_there, wd->yes_here);
		speak_now(a, a->say, wd->lang);
		return;
	}
	if (a->overlay == OVERLAY_ACCESS) {
		/* Always: this is where reading aloud is turned on; in the
		 * person's language, as it is written. */
		const char *said;
		const char *title = screen_access_title(v->language, &said);
		speak_now(a, title, said);
		return;
	}
	if (!a->acc.speech || a->overlay != OVERLAY_NONE) {
		speech_stop(a->sp);
		return;
	}
	/* "Are you still there?" was said above, whatever is over it. */
	switch (v->screen) {
	case SCREEN_WELCOME:
		if (a->ctx.n_flows > 1) {
			/* The question, then each card's title in order. */
			size_t used = (size_t)snprintf(a->say, sizeof a->say, "%s", wd->choose_flow);
			for (int i = 0; i < a->ctx.n_flows && used < sizeof a->say; i++) {
				const flow *f = a->ctx.flows[i];
				used += (size_t)snprintf(a->say + used, sizeof a->say - used, " %s.",
				                         tstr_get(&f->title, v->language, f->languages[0]));
			}
		} else {
			snprintf(a->say, sizeof a->say, "%s. %s.",
			         tstr_get(&session_flow(a->s)->title, v->language, fb), wd->start);
		}
		speak_now(a, a->say, v->language);
		break;
	case SCREEN_QUESTION:
		say_question(a, v, fb);
		break;
	case SCREEN_THANKS:
		snprintf(a->say, sizeof a->say, "%s %s", wd->thanks_title, wd->thanks_body);
		speak_now(a, a->say, wd->lang);
		break;
	case SCREEN_AUDIENCE: {
		/* The heading, each person, then the way on. Said in the person's
		 * language: the kiosk's words fall back to English only where it
		 * has none of its own in that language. */
		size_t used = (size_t)snprintf(a->say, sizeof a->say, "%s.", wd->audience_title);
		for (size_t i = 0; i < session_flow(a->s)->n_audience; i++)
			used = person_words(a, (int)i, a->say, sizeof a->say, used);
		if (used < sizeof a->say)
			snprintf(a->say + used, sizeof a->say - used, " %s.", wd->carry_on);
		speak_now(a, a->say, v->language);
		break;
	}
	default:
		speech_stop(a->sp);
		break;
	}
}

void
speak_changes(app *a)
{
	const session_view *v = session_get_view(a->s);
	bool in_staff = staff_active(a->staff);
	const staff_view *sv = staff_get_view(a->staff);
	bool room = in_staff && sv->screen == STAFF_ROOM;
	uint64_t key = ((uint64_t)v->screen << 40) ^ ((uint64_t)(uint32_t)v->question_index << 8) ^
	               ((uint64_t)a->overlay << 4) ^ (in_staff ? 1u : 0u) ^
	               ((uint64_t)(uintptr_t)v->language << 20) ^
	               (room ? ((uint64_t)sv->room_shown << 48) ^ 2u : 0u);
	int focus = a->in.show_focus ? a->in.focus : -1;
	if (key != a->said_key) {
		a->said_key = key;
		a->said_focus = focus;  /* the first focus does not talk over the prompt */
		a->heard = -1;
		const char *lang;
		/* Staff mode is silent, but for the room when the kiosk reads
		 * aloud by default (kiosk.yaml's speech): each chart as it shows. */
		if (room && a->opt.config->access.speech &&
		    screen_staff_room_say(&a->ctx, a->say, sizeof a->say, &lang))
			speak_now(a, a->say, lang);
		else if (in_staff)
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

bool
speak_heard_first(app *a, int ti, enum input_method m)
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
