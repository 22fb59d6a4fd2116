/*
 * staff_today: today's answers, one page per question of each flow shown,
 * flow after flow: every flow the kiosk offers, and one it no longer
 * offers while it has sessions today (they still happened). Today starts
 * at local midnight (sessions are stored in UTC); the counting is the
 * store's (store_read_today_flows, every flow in one read), on the worker,
 * so the screen shows "counting" until the numbers come.
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
	memset(s->j.today_flow_sessions, 0, sizeof s->j.today_flow_sessions);
	s->j.today_sessions = 0;
	s->v.screen = STAFF_TODAY;
	s->v.today_ready = false;
	s->v.page = 0;
	staff_worker_start(s, JOB_TODAY);
	return true;
}

bool
staff_today_at(const staff_view *v, int page, int *fi, int *qi)
{
	if (!v->today_ready || page < 0)
		return false;
	for (int i = 0; i < v->n_flows; i++) {
		if (!v->today_shown[i])
			continue;
		int n = (int)v->flows[i]->n_questions;
		if (page < n) {
			*fi = i;
			*qi = page;
			return true;
		}
		page -= n;
	}
	return false;
}

/* The view's page is p: today_flow follows it. */
static void
show_page(staff_view *v, int p)
{
	int fi = 0, qi = 0;
	v->page = p;
	if (staff_today_at(v, p, &fi, &qi))
		v->today_flow = v->flows[fi];
}

bool
staff_today_page(staff *s, int arg)
{
	int p = s->v.page + arg;
	if (p < 0 || p >= s->v.n_pages)
		return false;
	show_page(&s->v, p);
	return true;
}

void
staff_today_done(staff *s)
{
	staff_view *v = &s->v;
	v->today_ready = s->j.rc == 0;
	v->today_sessions = s->j.today_sessions;
	memcpy(v->counts, s->j.counts, (size_t)s->n_counts * sizeof *v->counts);
	v->n_pages = v->n_today_shown = 0;
	for (int i = 0; i < v->n_flows; i++) {
		v->today_flow_sessions[i] = s->j.today_flow_sessions[i];
		v->today_shown[i] = v->offered[i] || v->today_flow_sessions[i] > 0;
	}
	/* Nothing offered and nothing today (a set-up that offers none):
	 * the first flow's zeros rather than an empty screen. */
	bool any = false;
	for (int i = 0; i < v->n_flows; i++)
		any = any || v->today_shown[i];
	if (!any && v->n_flows > 0)
		v->today_shown[0] = true;
	for (int i = 0; i < v->n_flows; i++)
		if (v->today_shown[i]) {
			v->n_today_shown++;
			v->n_pages += (int)v->flows[i]->n_questions;
		}
	show_page(v, 0);
}
