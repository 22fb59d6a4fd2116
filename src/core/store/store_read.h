/*
 * store_read: the read side of the store for the staff screens. The UI
 * never writes SQL of its own: what staff see of the answers is asked for
 * here, in terms of the flow, and the schema stays this folder's business.
 *
 * Each call reads in one statement set on a store handle the caller opened
 * (and owns, on the caller's thread; the kiosk's staff worker opens its own
 * so the frame path never waits on these reads).
 */
#ifndef TELLUS_STORE_READ_H
#define TELLUS_STORE_READ_H

#include <stddef.h>
#include <stdint.h>
#include "base/error.h"
#include "flow/flow.h"
#include "store/store.h"

/* Today's answers to one flow, as the staff screen shows them. */
typedef struct store_today {
	int64_t sessions;     /* sessions (of any flow) started at or after `since` */
	int64_t flow_sessions;  /* of them, the flow's own */
	/* Caller's storage: per_question counts for each of the flow's
	 * questions, [question][answer] by their indices in the flow; answers
	 * past per_question are not counted. */
	int *counts;
	size_t per_question;
} store_today;

/*
 * Counts, for each question of f, the latest answer of each of f's sessions
 * started at or after since (an ISO 8601 UTC time as the store writes
 * them); a choose-several answer counts once for each picture chosen, and
 * skipped and declined answers count for none. Zeroes out->counts first.
 * 0, or -1 with err filled (TL_E_DB, sys the SQLite result code).
 */
int store_read_today(store *st, const flow *f, const char *since, store_today *out,
                     tl_error *err);
/* The same for n flows in one read transaction, so their numbers agree
 * with each other: out[i] for flows[i], each with its own counts. One
 * statement counts the sessions and one each flow's answers, whatever
 * the number of questions; -1 with TL_E_NOMEM when the flows' questions
 * cannot be indexed. */
int store_read_today_flows(store *st, const flow *const *flows, size_t n, const char *since,
                           store_today *out, tl_error *err);

#endif
