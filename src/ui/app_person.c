/*
 * app_person: what one person chose lasts for their turn only. Their way
 * of answering and of seeing (access_settings: reading aloud, text size,
 * theme, font, switch or dwell), their language, the flow they picked, an
 * overlay they opened, a way of answering on trial, the card they were
 * reading: all go back to the kiosk's settings when their turn ends (the
 * welcome screen comes back, whether they finished, walked away or staff
 * took over), and after a quiet minute (the settings' idle time) on the
 * welcome screen, where there is no session to walk away from: someone
 * who picked Urdu and large text and left before Start does not hand them
 * to the next person.
 *
 * The quiet minute is dated from the last act of a person (a press, a key,
 * a switch, a dwell pointer moved on purpose: actions_activity); it is not
 * a timer at all until someone acted, so an untouched welcome screen still
 * sleeps.
 */
#include "app_internal.h"

void
app_person_reset(app *a)
{
	a->acc = a->opt.config->access;
	a->overlay = OVERLAY_NONE;
	input_mode_trial_end(a);
	a->card_index = 0;   /* the newest card first, for each person */
	a->heard = -1;       /* touch to hear: nothing touched once yet */
	a->composing[0] = '\0';
	text_set_dyslexic(a->tc, a->acc.dyslexic_font);
	session_set_language(a->s, a->opt.config->language);
	/* The flow the last person picked (its languages, its title) is not
	 * the next person's: the first offered one is, as at start. */
	app_flows_pick_first(a);
	a->person_acted = false;
}

void
app_person_input(app *a)
{
	a->person_acted = true;
	a->person_input_ms = tl_mono(a->clock);
}

/* The quiet minute runs on the welcome screen only (a question has its
 * own walk-away, "Are you still there?"), and not in staff mode. */
static bool
quiet_counts(const app *a)
{
	return a->person_acted && !staff_active(a->staff) &&
	       session_get_view(a->s)->screen == SCREEN_WELCOME;
}

int64_t
app_person_deadline(const app *a)
{
	return quiet_counts(a) ? a->person_input_ms + a->opt.config->timing.idle_ms : INT64_MAX;
}

void
app_person_tick(app *a)
{
	if (quiet_counts(a) && tl_mono(a->clock) >= app_person_deadline(a)) {
		app_person_reset(a);
		a->dirty = true;
		app_layout(a);
	}
}
