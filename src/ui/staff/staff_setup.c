/*
 * staff_setup: the kiosk's set-up, as staff see it. On a new database (no
 * PIN, no session) it opens instead of the welcome: the first PIN (the PIN
 * pad, staff_pin.c), then the kiosk's name, which flows it offers and
 * today's event, then a review with "Start the kiosk". A step already
 * settled in kiosk.yaml is not asked (its `kiosk_id` is shown, never
 * typed over: the file would put it back at the next start; an `event:` it
 * started is on the review, to change there). With one flow there is
 * nothing to choose.
 *
 * From the staff menu the same review opens on what is saved now; each
 * step's OK saves at once (the worker writes, kiosk_setup.h), and "End the
 * event" ends the running one. Sessions take the kiosk's name and the
 * event from the view (app_store.c), so the view changes only once the
 * database has.
 *
 * Typing: the screen's own letter keys, or a physical keyboard (SDL text
 * input, Backspace). A name is a slug (a-z, 0-9, '-', '_'): capitals are
 * made small, the rest dropped. An event's words are any UTF-8 without
 * control characters; the screen's keys start each word with a capital.
 */
#include "staff/staff_internal.h"
#include "base/util.h"

#include <stdio.h>
#include <string.h>

static bool
asked(const staff *s, enum staff_setup_step st)
{
	const staff_view *v = &s->v;
	switch (st) {
	case SETUP_NAME: return !v->name_fixed;
	case SETUP_FLOWS: return v->n_flows > 1;
	case SETUP_EVENT: return !v->event_fixed;
	default: return true;
	}
}

static bool
typing(const staff *s)
{
	const staff_view *v = &s->v;
	return v->screen == STAFF_SETUP && !v->busy &&
	       (v->setup_step == SETUP_NAME || v->setup_step == SETUP_EVENT);
}

static void
go_to(staff *s, enum staff_setup_step st)
{
	staff_view *v = &s->v;
	v->screen = STAFF_SETUP;
	v->setup_step = st;
	v->message[0] = '\0';
	if (st == SETUP_REVIEW)
		v->setup_reviewed = true;
	if (st == SETUP_NAME)
		snprintf(v->text, sizeof v->text, "%s", v->draft_name);
	else if (st == SETUP_EVENT)
		/* From the menu a new event starts from nothing; the first set-up
		 * keeps what was typed before going back. */
		snprintf(v->text, sizeof v->text, "%s", v->setup_first ? v->draft_event : "");
	else
		v->text[0] = '\0';
}

/* The drafts from what is saved now. */
static void
draft_from_saved(staff_view *v)
{
	snprintf(v->draft_name, sizeof v->draft_name, "%s", v->kiosk_id);
	snprintf(v->draft_event, sizeof v->draft_event, "%s", v->event);
	memcpy(v->draft_offered, v->offered, sizeof v->draft_offered);
}

void
staff_setup_open_first(staff *s)
{
	staff_view *v = &s->v;
	v->setup_first = true;
	v->setup_reviewed = false;
	v->event_fixed = v->event[0] != '\0';
	draft_from_saved(v);
	if (!v->name_fixed)
		v->draft_name[0] = '\0';   /* a name staff choose, not the made-up one */
	v->screen = STAFF_PIN;
	staff_pin_no_pin(s, true);
	s->last_input_ms = staff_now(s);
}

void
staff_setup_after_pin(staff *s)
{
	int st = SETUP_NAME;
	while (st < SETUP_REVIEW && !asked(s, (enum staff_setup_step)st))
		st++;
	go_to(s, (enum staff_setup_step)st);
}

bool
staff_setup_press(staff *s, int arg)
{
	staff_view *v = &s->v;
	if (v->busy || arg < 0 || arg >= SETUP_STEP_COUNT)
		return false;
	if (v->screen == STAFF_MENU) {
		/* From the menu: the review of what is saved. */
		v->setup_first = false;
		v->event_fixed = false;
		draft_from_saved(v);
		go_to(s, SETUP_REVIEW);
		return true;
	}
	if (v->screen != STAFF_SETUP || (arg == SETUP_NAME && v->name_fixed))
		return false;
	go_to(s, (enum staff_setup_step)arg);
	return true;
}

/* Appends one character (or a whole UTF-8 run) to the field as the step
 * allows; true when the field changed. */
static bool
append(staff *s, const char *t, bool capitalise)
{
	staff_view *v = &s->v;
	size_t n = strlen(v->text);
	bool changed = false;
	if (v->setup_step == SETUP_NAME) {
		for (; *t && n + 1 < sizeof v->draft_name; t++) {
			char ch = *t >= 'A' && *t <= 'Z' ? (char)(*t - 'A' + 'a') : *t;
			if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_') {
				v->text[n++] = ch;
				changed = true;
			}
		}
		v->text[n] = '\0';
		return changed;
	}
	size_t add = strlen(t);
	if (add == 0 || n + add >= KIOSK_EVENT_MAX)
		return false;
	for (size_t i = 0; i < add; i++)
		if ((unsigned char)t[i] < 0x20 || t[i] == 0x7f)
			return false;
	if (t[0] == ' ' && (n == 0 || v->text[n - 1] == ' '))
		return false;   /* no space to start with, none twice */
	memcpy(v->text + n, t, add + 1);
	if (capitalise && add == 1 && t[0] >= 'a' && t[0] <= 'z' && (n == 0 || v->text[n - 1] == ' '))
		v->text[n] = (char)(t[0] - 'a' + 'A');
	return true;
}

/* Deletes the last character (all of its UTF-8 bytes). */
static bool
delete_last(staff_view *v)
{
	size_t n = strlen(v->text);
	if (n == 0)
		return false;
	do
		n--;
	while (n > 0 && ((unsigned char)v->text[n] & 0xC0) == 0x80);
	v->text[n] = '\0';
	return true;
}

bool
staff_setup_key(staff *s, int arg)
{
	if (!typing(s))
		return false;
	s->v.message[0] = '\0';
	if (arg == STAFF_KEY_DELETE)
		return delete_last(&s->v);
	if (arg < 0x20 || arg > 0x7e)
		return false;
	char t[2] = { (char)arg, '\0' };
	append(s, t, true);
	return true;
}

bool
staff_text(staff *s, const char *utf8)
{
	if (!s || !typing(s) || !utf8)
		return false;
	staff_activity(s);
	s->v.message[0] = '\0';
	append(s, utf8, false);
	return true;
}

bool
staff_text_key(staff *s, SDL_Keycode sym)
{
	if (!s || !typing(s) || (sym != SDLK_BACKSPACE && sym != SDLK_SPACE))
		return false;
	staff_activity(s);
	if (sym == SDLK_BACKSPACE)
		delete_last(&s->v);
	return true;   /* Space: its text comes as text input */
}

bool
staff_setup_toggle(staff *s, int arg)
{
	staff_view *v = &s->v;
	if (v->screen != STAFF_SETUP || v->setup_step != SETUP_FLOWS || v->busy || arg < 0 ||
	    arg >= v->n_flows)
		return false;
	v->draft_offered[arg] = !v->draft_offered[arg];
	v->message[0] = '\0';
	return true;
}

/* Saves the drafts the job is told to; the worker writes them. */
static void
save(staff *s, bool name, bool offered, bool event)
{
	staff_view *v = &s->v;
	staff_job *j = &s->j;
	j->save_name = name && !v->name_fixed;
	j->save_offered = offered;
	j->save_event = event;
	snprintf(j->name, sizeof j->name, "%s", v->draft_name);
	memcpy(j->offered, v->draft_offered, sizeof j->offered);
	snprintf(j->event, sizeof j->event, "%s", v->draft_event);
	snprintf(v->message, sizeof v->message, "Saving\xE2\x80\xA6");
	staff_worker_start(s, JOB_SETUP);
}

/* The field's words into a draft, trimmed; false (and the message says
 * why) when they will not do. */
static bool
take_field(staff *s)
{
	staff_view *v = &s->v;
	size_t n = strlen(v->text);
	while (n > 0 && v->text[n - 1] == ' ')
		v->text[--n] = '\0';
	if (v->setup_step == SETUP_NAME) {
		if (!tl_is_slug(v->text)) {
			snprintf(v->message, sizeof v->message, "Type a name for this kiosk first.");
			return false;
		}
		snprintf(v->draft_name, sizeof v->draft_name, "%s", v->text);
		return true;
	}
	if (n > 0 && !kiosk_event_valid(v->text)) {
		snprintf(v->message, sizeof v->message, "That name cannot be used for an event.");
		return false;
	}
	snprintf(v->draft_event, sizeof v->draft_event, "%s", v->text);
	return true;
}

bool
staff_setup_next(staff *s, int arg)
{
	staff_view *v = &s->v;
	if (v->screen != STAFF_SETUP || v->busy)
		return false;
	enum staff_setup_step st = v->setup_step;
	if (arg < 0) {
		if (v->setup_reviewed) {
			go_to(s, SETUP_REVIEW);
			return true;
		}
		int p = (int)st - 1;
		while (p >= 0 && !asked(s, (enum staff_setup_step)p))
			p--;
		if (p < 0)
			return false;
		go_to(s, (enum staff_setup_step)p);
		return true;
	}
	if (st == SETUP_REVIEW) {
		if (!v->setup_first)
			return false;   /* the menu's review has "Back to the menu" */
		save(s, true, true, true);
		return true;
	}
	if (st == SETUP_NAME || st == SETUP_EVENT) {
		if (!take_field(s))
			return true;
		if (st == SETUP_EVENT && !v->setup_first && v->draft_event[0] == '\0') {
			snprintf(v->message, sizeof v->message, "Type the event's name first.");
			return true;
		}
	}
	if (st == SETUP_FLOWS) {
		bool any = false;
		for (int i = 0; i < v->n_flows; i++)
			any |= v->draft_offered[i];
		if (!any) {
			snprintf(v->message, sizeof v->message, "Choose at least one to offer.");
			return true;
		}
	}
	if (!v->setup_first) {
		save(s, st == SETUP_NAME, st == SETUP_FLOWS, st == SETUP_EVENT);
		return true;
	}
	int n = v->setup_reviewed ? SETUP_REVIEW : (int)st + 1;
	while (n < SETUP_REVIEW && !asked(s, (enum staff_setup_step)n))
		n++;
	go_to(s, (enum staff_setup_step)n);
	return true;
}

bool
staff_setup_end_event(staff *s, int arg)
{
	(void)arg;
	staff_view *v = &s->v;
	if (v->screen != STAFF_SETUP || v->setup_step != SETUP_REVIEW || v->busy || v->setup_first ||
	    !v->event[0])
		return false;
	v->draft_event[0] = '\0';
	save(s, false, false, true);
	return true;
}

void
staff_setup_done(staff *s)
{
	staff_view *v = &s->v;
	staff_job *j = &s->j;
	if (j->rc != 0) {
		snprintf(v->message, sizeof v->message, "This could not be saved: %.*s",
		         (int)sizeof v->message - 32, j->err);
		return;
	}
	/* Saved: sessions from now on carry it. */
	if (j->save_name)
		snprintf(v->kiosk_id, sizeof v->kiosk_id, "%s", j->name);
	if (j->save_offered)
		memcpy(v->offered, j->offered, sizeof v->offered);
	if (j->save_event)
		snprintf(v->event, sizeof v->event, "%s", j->event);
	if (v->setup_first) {
		v->setup_first = false;
		staff_close(s);   /* the kiosk starts: welcome, with what was chosen */
		return;
	}
	draft_from_saved(v);
	go_to(s, SETUP_REVIEW);
	snprintf(v->message, sizeof v->message, "Saved.");
}
