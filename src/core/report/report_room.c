/*
 * report_room: see report_room.h. The counting is report_collect's (one
 * pass in SQL, on the staff worker); the rest are plain walks over the
 * report model.
 */
#include "report/report_room.h"

#include <stdlib.h>

int
report_room_collect(store *st, const char *event, const char *since, report **out,
                    tl_error *err)
{
	bool ev = event && *event;
	report_options opt = { .event = ev ? event : NULL, .since = ev ? NULL : since };
	return report_collect(store_db(st), &opt, out, err);
}

static bool
answered(const report_question *q)
{
	for (size_t i = 0; i < q->n_answers; i++)
		if (q->answers[i].count > 0)
			return true;
	return false;
}

int
report_room_charts(const report *r, room_chart **out, size_t *n, tl_error *err)
{
	*out = NULL;
	*n = 0;
	size_t k = 0;
	for (size_t f = 0; r && f < r->n_flows; f++)
		for (size_t q = 0; q < r->flows[f].n_questions; q++)
			k += answered(&r->flows[f].questions[q]);
	if (k == 0)
		return 0;
	room_chart *c = calloc(k, sizeof *c);
	if (!c)
		return tl_err(err, TL_E_NOMEM, "out of memory laying out the room's charts");
	size_t i = 0;
	for (size_t f = 0; f < r->n_flows; f++)
		for (size_t q = 0; q < r->flows[f].n_questions; q++)
			if (answered(&r->flows[f].questions[q]))
				c[i++] = (room_chart){ f, q };
	*out = c;
	*n = k;
	return 0;
}

enum report_room_say
report_room_say(int64_t n, int min_count)
{
	if (min_count < 1)
		min_count = ROOM_MIN_COUNT_DEFAULT;
	if (n <= 0)
		return REPORT_ROOM_NONE;
	return n < min_count ? REPORT_ROOM_FEW : REPORT_ROOM_NUMBER;
}

bool
report_room_shows(const report_question *q, int min_count)
{
	return q && report_room_say(q->people, min_count) == REPORT_ROOM_NUMBER;
}

int64_t
report_room_pictures(int64_t n, int min_count, int64_t per)
{
	switch (report_room_say(n, min_count)) {
	case REPORT_ROOM_NONE:
		return 0;
	case REPORT_ROOM_FEW:
		return 1;
	default:
		return per > 1 ? (n + per - 1) / per : n;
	}
}

/* Whether a "few" of q could be narrowed to one person by someone who
 * knows that `people` took part: the few together are at most what the
 * numbers said leave of them, less one for each other few. */
static bool
pins_a_few(const report_question *q, int64_t people, int min_count)
{
	if (!report_room_shows(q, min_count))
		return false;  /* no counts of it show */
	int64_t said = 0, few = 0;
	for (size_t i = 0; i < q->n_answers; i++) {
		switch (report_room_say(q->answers[i].count, min_count)) {
		case REPORT_ROOM_FEW:
			few++;
			break;
		case REPORT_ROOM_NUMBER:
			said += q->answers[i].count;
			break;
		default:
			break;
		}
	}
	return few > 0 && people - said - (few - 1) <= 1;
}

bool
report_room_total_shows(const report *r, int min_count)
{
	if (!r || report_room_say(r->people, min_count) != REPORT_ROOM_NUMBER)
		return false;
	for (size_t f = 0; f < r->n_flows; f++)
		for (size_t q = 0; q < r->flows[f].n_questions; q++)
			if (pins_a_few(&r->flows[f].questions[q], r->people, min_count))
				return false;
	return true;
}
