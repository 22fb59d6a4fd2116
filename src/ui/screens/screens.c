/*
 * screens: the table of screens. Which one builds is decided here alone:
 * staff mode covers whatever is under it, "Are you still there?" covers
 * everything else, an overlay a person opened covers the session's screen,
 * and otherwise the session machine's screen shows.
 * While the answers' disk cannot take records the rest screen stands in
 * (app_store.c decides when: instead of welcome, or of anything once the
 * queue is full); it is the kiosk screens' table's.
 * A screen id with no builder (resetting) is an empty, calm screen.
 */
#include "ui.h"
#include "staff/staff.h"

static const screen_build_fn session_screens[SCREEN_COUNT] = {
	[SCREEN_WELCOME] = screen_welcome_build,
	[SCREEN_QUESTION] = screen_question_build,
	[SCREEN_THANKS] = screen_thanks_build,
	[SCREEN_STILL_THERE] = screen_still_there_build,
	[SCREEN_RESETTING] = NULL,   /* an empty, calm screen for a moment */
	[SCREEN_AUDIENCE] = screen_audience_build,
};

/* A question's screen by its type; the ones not named are screen_question. */
static const screen_build_fn question_screens[QT_COUNT] = {
	[QT_SORT] = screen_sort_build,
	[QT_TEXT] = screen_text_build,
	[QT_DRAW] = screen_draw_build,
};

/* Overlays a person opens. */
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
	[STAFF_CLEAR] = screen_staff_clear_build,
	[STAFF_SETUP] = screen_staff_setup_build,
	[STAFF_ROOM] = screen_staff_room_build,
	[STAFF_LOAD] = screen_staff_load_build,
};

/* The kiosk's own state, over whatever a person was doing. */
static const screen_build_fn kiosk_screens[KIOSK_SCREEN_COUNT] = {
	[KIOSK_REST] = screen_rest_build,
};

bool
screens_staff(const ui_ctx *c)
{
	return c->staff && c->staff->screen != STAFF_OFF;
}

screen_build_fn
screens_pick(const ui_ctx *c)
{
	if (screens_staff(c))
		return staff_screens[c->staff->screen];
	/* The answers' disk cannot take records: nobody new is invited (and,
	 * with the queue full, no answer taken) until it can. */
	if (c->resting)
		return kiosk_screens[KIOSK_REST];
	/* "Are you still there?" is above every overlay: hidden under one,
	 * the screen would reset with no warning seen or heard (WCAG 2.2.1).
	 * The overlay comes back with the question. */
	if (c->view->screen == SCREEN_STILL_THERE)
		return session_screens[SCREEN_STILL_THERE];
	if (c->overlay != OVERLAY_NONE && overlay_screens[c->overlay])
		return overlay_screens[c->overlay];
	const flow_question *q = c->view->question;
	if (c->view->screen == SCREEN_QUESTION && q && (unsigned)q->type < QT_COUNT &&
	    question_screens[q->type])
		return question_screens[q->type];
	return session_screens[c->view->screen];
}

/* Every screen of the four tables, in their order: the session's screens
 * (those with no builder too: they are screens a kiosk can be left on),
 * then the overlays, then staff mode's, then the kiosk's own (rest). A test walks them all, so a screen
 * added to a table is walked without anyone telling the test. */
bool
screens_nth(int n, screen_ref *out)
{
	if (n < 0)
		return false;
	if (n < SCREEN_COUNT) {
		*out = (screen_ref){ SCREENS_SESSION, n, session_screens[n] };
		return true;
	}
	n -= SCREEN_COUNT;
	if (n < OVERLAY_COUNT - 1) {
		*out = (screen_ref){ SCREENS_OVERLAY, n + 1, overlay_screens[n + 1] };
		return true;
	}
	n -= OVERLAY_COUNT - 1;
	if (n < STAFF_SCREEN_COUNT - 1) {
		*out = (screen_ref){ SCREENS_STAFF, n + 1, staff_screens[n + 1] };
		return true;
	}
	n -= STAFF_SCREEN_COUNT - 1;
	if (n < KIOSK_SCREEN_COUNT) {
		*out = (screen_ref){ SCREENS_KIOSK, n, kiosk_screens[n] };
		return true;
	}
	return false;
}
