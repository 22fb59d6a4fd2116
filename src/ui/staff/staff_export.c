/*
 * staff_export: the stick to offer and the export onto it. The mounts
 * watcher's thread posts an event when a mount comes or goes; here, on the
 * app's thread, the stick is picked (one that has just appeared, else the
 * one offered before if it is still there, else the newest). The export
 * runs on the worker and reports progress; a failure keeps its words for
 * the screen and can be tried again.
 */
#include "staff/staff_internal.h"

#include <stdio.h>

bool
staff_export_press(staff *s, int arg)
{
	staff_view *v = &s->v;
	if (v->busy || !v->stick)
		return false;
	bool all = arg != 0;
	snprintf(s->j.to_dir, sizeof s->j.to_dir, "%s", v->stick_path);
	s->j.all = all;
	v->export_all = all;
	v->export_state = EXPORT_RUNNING;
	v->fraction = 0;
	snprintf(v->stage, sizeof v->stage, "Getting ready");
	v->error[0] = '\0';
	v->screen = STAFF_EXPORT;
	if (!staff_worker_start(s, JOB_EXPORT)) {
		v->export_state = EXPORT_FAILED;
		snprintf(v->error, sizeof v->error, "The export could not start. Try again.");
	}
	return true;
}

bool
staff_export_retry(staff *s, int arg)
{
	(void)arg;
	if (s->v.screen != STAFF_EXPORT || s->v.export_state != EXPORT_FAILED)
		return false;
	if (!s->v.stick) {
		snprintf(s->v.error, sizeof s->v.error, "Plug in a USB stick, then try again.");
		return true;
	}
	return staff_export_press(s, s->v.export_all);
}

void
staff_export_done(staff *s)
{
	staff_view *v = &s->v;
	staff_job *j = &s->j;
	if (j->rc == 0) {
		v->export_state = EXPORT_DONE;
		v->fraction = 1.0;
		v->sessions = j->xr.sessions;
		v->answers = j->xr.answers;
		snprintf(v->export_path, sizeof v->export_path, "%s", j->xr.path);
	} else {
		v->export_state = EXPORT_FAILED;
		snprintf(v->error, sizeof v->error, "%s", j->err[0] ? j->err : "The export did not finish.");
	}
}

bool
staff_export_progress(staff *s)
{
	pthread_mutex_lock(&s->mu);
	if (s->j.kind == JOB_EXPORT && !s->j.done) {
		s->v.fraction = s->j.fraction;
		if (s->j.stage[0])
			snprintf(s->v.stage, sizeof s->v.stage, "%s", s->j.stage);
	}
	s->j.progress_posted = false;
	pthread_mutex_unlock(&s->mu);
	return s->v.screen == STAFF_EXPORT;
}

void
staff_export_mounts_changed(staff *s)
{
	mount_list cur = { 0 };
	if (mount_watch_snapshot(s->mw, &cur, NULL, NULL) != 0)
		return;
	size_t idx[16];
	size_t n = mounts_new(&s->mounts, &cur, idx, 16);
	int pick = -1;
	if (n > 0)
		pick = (int)idx[n - 1];
	else if (s->v.stick)
		pick = mounts_find(&cur, s->v.stick_path);
	if (pick < 0 && cur.n > 0)
		pick = (int)cur.n - 1;
	s->v.stick = pick >= 0;
	if (pick >= 0) {
		snprintf(s->v.stick_path, sizeof s->v.stick_path, "%s", cur.items[pick].point);
		snprintf(s->v.stick_name, sizeof s->v.stick_name, "%s", mounts_name(cur.items[pick].point));
	} else {
		s->v.stick_path[0] = s->v.stick_name[0] = '\0';
	}
	mount_list_finish(&s->mounts);
	s->mounts = cur;
}

const char *staff_export_path(const staff *s) { return s->v.export_path; }
