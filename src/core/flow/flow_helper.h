/*
 * flow_helper: the question for a helper at the end of a flow, "How did you
 * answer today?" (on my own, with help, someone answered for me), which the
 * kiosk adds when its config says helper_question: true.
 */
#ifndef TELLUS_FLOW_HELPER_H
#define TELLUS_FLOW_HELPER_H

#include "flow/flow.h"

#define FLOW_HELPER_ID "how-answered"

/*
 * Appends the helper question (id FLOW_HELPER_ID, type choose-one, answers
 * "own", "with-help", "for-me") to f, and sends every rule that went to the
 * end through it, so no way through the flow misses it. Its answer is then an
 * ordinary answer: stored, exported and reported like any other.
 * The flow's source and hash are left alone: they describe the file.
 * Returns 0, 1 when f already has a question with that id (nothing done), or
 * -1 with err filled (out of memory; f unchanged).
 */
int flow_add_helper_question(flow *f, tl_error *err);

#endif
