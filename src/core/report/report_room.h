/*
 * report_room: what "Show the room" may show of a report (report.h), a
 * public screen in a hall. The rules live here, in the core, so the
 * screen that draws the charts cannot get them wrong:
 *
 * - Only counts: the report model holds no person's answers, no typed
 *   words and no drawings, only how many people gave each answer.
 * - A count below min_count (the settings' room_min_count, 3 by default)
 *   is said as "a few", never as its number, so nobody can be picked out
 *   ("the one person who said no").
 * - A question fewer than min_count people answered shows none of its
 *   counts at all (with one person, "a few" would still be their answer).
 * - The heading's "12 people" is left out when, with it, someone could
 *   work a "few" out to exactly one person: five people, four said
 *   "happy", so the "a few" who said "very sad" is one.
 */
#ifndef TELLUS_REPORT_ROOM_H
#define TELLUS_REPORT_ROOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/error.h"
#include "report/report.h"
#include "store/store.h"

#define ROOM_MIN_COUNT_DEFAULT 3

/* The room's counts: the report model of the sessions of one event, or
 * (event NULL or "") of those started at or after since (an ISO 8601 UTC
 * time); sessions in progress are not counted, and nobody's typed words or
 * drawings are read. Reads through st (the caller's handle, on the
 * caller's thread: the kiosk's staff worker). *out: caller frees with
 * report_destroy. 0, or -1 with err filled. */
int report_room_collect(store *st, const char *event, const char *since, report **out,
                        tl_error *err);

/* One chart of the room: a question of a flow of the report, by index. */
typedef struct room_chart {
	size_t flow, question;
} room_chart;

/* The charts the room cycles through, in the report's order (flow by flow,
 * question by question): every question at least one person answered
 * (skips and "I don't want to say" aside). *out: caller frees with free();
 * NULL with *n 0 when there is none. 0, or -1 with err when memory ran out. */
int report_room_charts(const report *r, room_chart **out, size_t *n, tl_error *err);

/* How one count is said: REPORT_ROOM_NONE (0), REPORT_ROOM_FEW (1 to
 * min_count - 1: "a few"), or REPORT_ROOM_NUMBER (say the number). */
enum report_room_say { REPORT_ROOM_NONE = 0, REPORT_ROOM_FEW, REPORT_ROOM_NUMBER };
enum report_room_say report_room_say(int64_t n, int min_count);

/* Whether any count of q may show: at least min_count people answered it. */
bool report_room_shows(const report_question *q, int min_count);

/* Whether the room may say how many people took part (r->people) as a
 * number: at least min_count of them, and on no chart the room shows is a
 * "few" then narrowed to one person by taking the other counts from that
 * number (a person is counted in at most one answer of a question that
 * takes one; for one that takes several the same sum is a bound all the
 * same, so the rule holds for every question). */
bool report_room_total_shows(const report *r, int min_count);

/* The pictures a count is drawn with, one per `per` people (rounded up):
 * a "few" is always one picture, whatever it stands for, so the picture
 * row says no more than the words. */
int64_t report_room_pictures(int64_t n, int min_count, int64_t per);

#endif
