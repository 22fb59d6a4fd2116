/*
 * kiosk_setup: what a kiosk has been set up with, kept in the database's
 * meta table so it survives a restart: its name (the kiosk id), which of
 * its flows it offers, and the event running now. The set-up screen and
 * the staff menu change it; kiosk.yaml (`kiosk_id`, `event`) can prepare
 * it without touching the screen.
 *
 * Rows of meta:  kiosk_id              the kiosk's name (store.h)
 *                event                 the event running now (none: no row)
 *                event_from_settings   the last `event:` of kiosk.yaml applied
 *                flow_hidden:<id>      "1" for a flow staff chose not to offer
 * A flow with no row is offered, so a flow added later is offered at once.
 *
 * Every call is one short transaction on a handle the caller owns (store.h:
 * one thread at a time); none is for the frame path.
 */
#ifndef TELLUS_KIOSK_SETUP_H
#define TELLUS_KIOSK_SETUP_H

#include <stdbool.h>
#include <stdint.h>
#include "base/error.h"
#include "store/store.h"

#define KIOSK_EVENT_MAX 64     /* bytes, with the terminating zero */

/* True when s is a usable event name: 1 to KIOSK_EVENT_MAX - 1 bytes of
 * UTF-8 with no control characters, not starting or ending with a space. */
bool kiosk_event_valid(const char *s);

typedef struct kiosk_setup {
	bool pin_set;
	int64_t n_sessions;
	bool is_new;                  /* no PIN and no session: the set-up screen opens */
	char kiosk_id[64];
	char event[KIOSK_EVENT_MAX];  /* "" when no event is running */
} kiosk_setup;

/* Reads the state into out. 0, or -1 with err filled. */
int kiosk_setup_read(store *st, kiosk_setup *out, tl_error *err);
/* Whether the flow with this id is offered: 1 yes, 0 no, -1 with err. */
int kiosk_setup_offered(store *st, const char *flow_id, tl_error *err);
int kiosk_setup_set_offered(store *st, const char *flow_id, bool offered, tl_error *err);
/* Starts event name (kiosk_event_valid) now, or ends the running one when
 * name is NULL or "". 0, or -1 with err (TL_E_INVALID for a bad name). */
int kiosk_setup_set_event(store *st, const char *name, tl_error *err);
/* kiosk.yaml's values at start: kiosk_id (NULL: keep the database's) is
 * kept as the kiosk's name; event (NULL or "": none) is started when it
 * differs from the last `event:` applied, so an event staff ended on the
 * screen does not come back at the next start, and a new one in the file
 * does. 0, or -1 with err. */
int kiosk_setup_apply_settings(store *st, const char *kiosk_id, const char *event,
                               tl_error *err);

#endif
