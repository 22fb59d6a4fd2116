/*
 * staff_today: today's answers, one page per question. Today starts at
 * local midnight (sessions are stored in UTC); the counting is the store's
 * (store_read_today), on the worker, so the screen shows "counting" until
 * the numbers come.
 */
#include "staff/staff_internal.h"

#include <string.h>
#include <time.h>

bool
staff_today_open(staff *s, int arg)
{
	(void)arg;
	if (s->v.busy)
		return false;
	int64_t wall = tl_wall(s->opt.clock);
	time_t t = (time_t)(wall / 1000);
	struct tm tm;
	localtime_r(&t, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	time_t midnight = mktime(&tm);
	tl_iso8601((int64_t)midnight * 1000, s->j.day_start);
	memset(s->j.counts, 0, (size_t)s->n_counts * sizeof *s->j.counts);
	s->j.today_sessions = 0;
	s->v.screen = STAFF_TODAY;
	s->v.today_ready = false;
	s->v.page = 0;
	staff_worker_start(s, JOB_TODAY);
	return true;
}

bool
staff_today_page(staff *s, int arg)
{
	int p = s->v.page + arg;
	if (p < 0 || p >= s->v.n_pages)
		return false;
	s->v.page = p;
	return true;
}

void
staff_today_done(staff *s)
{
	staff_view *v = &s->v;
	v->today_ready = s->j.rc == 0;
	v->today_sessions = s->j.today_sessions;
	memcpy(v->counts, s->j.counts, (size_t)s->n_counts * sizeof *v->counts);
}
