/*
 * staff_room: "Show the room". The counts are report_collect's (through
 * report_room_collect, on the worker): the current event's sessions, or
 * today's (from local midnight) when no event runs. Each chart shows for
 * STAFF_ROOM_CHART_MS; after the last one the counts are taken again, so
 * the room sees the answers given meanwhile, and the old charts stay on
 * screen until the new counts come. The room has no quiet close (it is
 * meant to run for an afternoon); the staff gesture leaves it, to the PIN
 * pad (staff.c).
 */
#include "staff/staff_internal.h"
#include "report/report_room.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Counts again: the event staff run now, else today's. */
static void
count(staff *s)
{
	snprintf(s->j.room_event, sizeof s->j.room_event, "%s", s->v.room_event);
	int64_t wall = tl_wall(s->opt.clock);
	time_t t = (time_t)(wall / 1000);
	struct tm tm;
	localtime_r(&t, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	tl_iso8601((int64_t)mktime(&tm) * 1000, s->j.day_start);
	s->j.room = NULL;
	staff_worker_start(s, JOB_ROOM);
}

bool
staff_room_open(staff *s, int arg)
{
	(void)arg;
	if (s->v.busy)
		return false;
	staff_room_close(s);
	snprintf(s->v.room_event, sizeof s->v.room_event, "%s", s->v.event);
	s->v.room_today = s->v.room_event[0] == '\0';
	s->v.room_min_count = s->opt.room_min_count > 0 ? s->opt.room_min_count
	                                                 : ROOM_MIN_COUNT_DEFAULT;
	s->v.screen = STAFF_ROOM;
	s->room_next_ms = INT64_MAX;   /* the first chart's time starts when it shows */
	count(s);
	return true;
}

void
staff_room_close(staff *s)
{
	report_destroy(s->room);
	free(s->room_charts);
	s->room = NULL;
	s->room_charts = NULL;
	s->v.room = NULL;
	s->v.room_charts = NULL;
	s->v.room_n_charts = 0;
	s->v.room_chart = 0;
}

void
staff_room_done(staff *s)
{
	report *r = s->j.room;
	s->j.room = NULL;
	room_chart *charts = NULL;
	size_t n = 0;
	if (s->v.screen != STAFF_ROOM || s->j.rc != 0 ||
	    report_room_charts(r, &charts, &n, NULL) != 0) {
		/* Not counted (the disk was busy, or memory short): what shows
		 * stays, and the next round tries again. */
		report_destroy(r);
		if (s->v.screen == STAFF_ROOM)
			s->room_next_ms = staff_now(s) + STAFF_ROOM_CHART_MS;
		return;
	}
	int at = s->v.room_chart;
	staff_room_close(s);
	s->room = r;
	s->room_charts = charts;
	s->v.room = r;
	s->v.room_charts = charts;
	s->v.room_n_charts = (int)n;
	s->v.room_chart = at < (int)n ? at : 0;
	s->v.room_shown++;
	s->room_next_ms = staff_now(s) + STAFF_ROOM_CHART_MS;
}

bool
staff_room_tick(staff *s, int64_t now)
{
	if (s->v.screen != STAFF_ROOM || now < s->room_next_ms)
		return false;
	s->room_next_ms = now + STAFF_ROOM_CHART_MS;
	int next = s->v.room_chart + 1;
	if (next >= s->v.room_n_charts) {
		/* A round is over: count again, showing the old charts meanwhile. */
		next = 0;
		if (!s->th_running)
			count(s);
	}
	if (next == s->v.room_chart)
		return false;
	s->v.room_chart = next;
	s->v.room_shown++;
	return true;
}
