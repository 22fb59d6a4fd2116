/*
 * staff_worker: one worker thread at a time does whatever may wait on the
 * disk or the CPU for long (argon2id, counting, exporting). It opens its
 * own store handle, runs the job from the table below, copies its results
 * into s->j under the mutex and posts an event; the app's thread joins it
 * and moves the state machine on (staff.c's table of results). The frame
 * path only reads the view.
 */
#include "staff/staff_internal.h"
#include "store/store_keep.h"
#include "store/store_read.h"
#include "pin/pin.h"
#include "report/report_room.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* 0, or -1 with err filled. The PIN pad says its own words for a PIN
 * job's failure; an export's words are shown as they are. */
typedef int (*job_fn)(staff *s, store *st, tl_error *err);

static int
job_status(staff *s, store *st, tl_error *err)
{
	staff_job *j = &s->j;
	j->is_set = pin_is_set(st, err);
	j->may_create = j->is_set == 0 ? pin_may_create(st, err) : 0;
	int rc = j->is_set < 0 || j->may_create < 0
	                 ? -1 : pin_wait_ms(st, j->wall_ms, &j->wait_ms, NULL, err);
	snprintf(j->kiosk_id, sizeof j->kiosk_id, "%s", store_kiosk_id(st));
	return rc;
}

static int
job_check(staff *s, store *st, tl_error *err)
{
	staff_job *j = &s->j;
	int rc = pin_check(st, j->pin, j->wall_ms, &j->pr, &j->wait_ms, err);
	if (rc == 0 && j->pr == PIN_OK)
		staff_keep_read(s, st);   /* for the menu about to open */
	return rc;
}

static int
job_set(staff *s, store *st, tl_error *err)
{
	/* Only while the database is new; decided with the write itself. */
	int rc = pin_create_first(st, s->j.pin, s->v.min_digits, err);
	if (rc == 0)
		staff_keep_read(s, st);
	return rc;
}

static int
job_today(staff *s, store *st, tl_error *err)
{
	staff_job *j = &s->j;
	store_today t[STAFF_MAX_FLOWS];
	int n = s->opt.n_flows;
	/* flow after flow, as staff_create laid out today_row */
	for (int i = 0, row = 0; i < n; row += (int)s->opt.flows[i]->n_questions, i++)
		t[i] = (store_today){ .counts = j->counts + row * SESSION_MAX_CHOICES,
		                      .per_question = SESSION_MAX_CHOICES };
	int rc = store_read_today_flows(st, s->opt.flows, (size_t)n, j->day_start, t, err);
	j->today_sessions = n > 0 ? t[0].sessions : 0;
	for (int i = 0; i < n; i++)
		j->today_flow_sessions[i] = t[i].flow_sessions;
	return rc;
}

/* The set-up's answers, each as kiosk_setup.h keeps it. */
static int
job_setup(staff *s, store *st, tl_error *err)
{
	staff_job *j = &s->j;
	int rc = 0;
	if (j->save_name && strcmp(j->name, store_kiosk_id(st)) != 0)
		rc = store_set_kiosk_id(st, j->name, err);
	for (int i = 0; rc == 0 && j->save_offered && i < s->opt.n_flows; i++)
		rc = kiosk_setup_set_offered(st, s->opt.flows[i]->id, j->offered[i], err);
	if (rc == 0 && j->save_event)
		rc = kiosk_setup_set_event(st, j->event, err);
	return rc;
}

/* The room's counts: the event's, or today's. */
static int
job_room(staff *s, store *st, tl_error *err)
{
	staff_job *j = &s->j;
	return report_room_collect(st, j->room_event, j->day_start, &j->room, err);
}

/* The export opens the database itself (st is NULL). */
static int
job_export(staff *s, store *st, tl_error *err)
{
	(void)st;
	staff_job *j = &s->j;
	export_options eo = {
		.db_path = s->opt.db_path,
		.to_dir = j->to_dir,
		.all = j->all,
		.mark_exported = true,
		.progress = { staff_worker_progress, s },
		.data_dir = s->opt.data_dir,
		.office_key_path = s->opt.office_key,
	};
	if (export_run(&eo, &j->xr, err) != 0)
		return -1;
	/* Then keep only what is needed: sessions exported (and checked)
	 * longer ago than keep_days_after_export go, wiped. The export stands
	 * whatever happens here; a failure is tried again after the next one. */
	store *ks = NULL;
	if (store_open(s->opt.db_path, NULL, &ks, NULL) == 0) {
		(void)store_keep_apply(ks, s->opt.keep_days, tl_wall(s->opt.clock), NULL, NULL);
		staff_keep_read(s, ks);   /* what the menu says it holds now */
	}
	store_close(ks);
	return 0;
}

/* Clear this kiosk: the core refuses while any session is not exported
 * (checked again here, inside its own transaction). */
static int
job_clear(staff *s, store *st, tl_error *err)
{
	int rc = store_keep_clear(st, &s->j.cleared, err);
	staff_keep_read(s, st);
	return rc;
}

static int
job_load(staff *s, store *st, tl_error *err)
{
	(void)st;
	return staff_load_run(s, err);
}

static const struct {
	job_fn run;
	bool own_store;   /* the job reads through a store handle opened for it */
} jobs[JOB_COUNT] = {
	[JOB_STATUS] = { job_status, true },
	[JOB_CHECK] = { job_check, true },
	[JOB_SET] = { job_set, true },
	[JOB_TODAY] = { job_today, true },
	[JOB_EXPORT] = { job_export, false },
	[JOB_CLEAR] = { job_clear, true },
	[JOB_SETUP] = { job_setup, true },
	[JOB_ROOM] = { job_room, true },
	[JOB_LOAD] = { job_load, false },
};

static void *
worker(void *ud)
{
	staff *s = ud;
	staff_job *j = &s->j;   /* the app's thread leaves it alone until done */
	store *st = NULL;
	tl_error e;
	tl_err_clear(&e);
	int rc = 0;
	if (jobs[j->kind].own_store)
		rc = store_open(s->opt.db_path, NULL, &st, &e);
	if (rc == 0 && jobs[j->kind].run)
		rc = jobs[j->kind].run(s, st, &e);
	store_close(st);
	sodium_memzero(j->pin, sizeof j->pin);
	pthread_mutex_lock(&s->mu);
	j->rc = rc;
	j->err_code = rc ? e.code : 0;
	snprintf(j->err, sizeof j->err, "%.*s", (int)sizeof j->err - 1, e.msg);
	j->done = true;
	pthread_mutex_unlock(&s->mu);
	staff_post(s, STAFF_EV_JOB_DONE);
	return NULL;
}

bool
staff_worker_start(staff *s, enum staff_job_kind kind)
{
	if (s->th_running)
		return false;
	s->j.kind = kind;
	s->j.done = false;
	s->discard = false;
	s->j.fraction = s->j.posted_fraction = 0;
	s->j.stage[0] = '\0';
	s->j.progress_posted = false;
	s->j.held_ok = false;
	if (pthread_create(&s->th, NULL, worker, s) != 0) {
		snprintf(s->v.message, sizeof s->v.message, "Something went wrong. Try again.");
		return false;
	}
	s->th_running = true;
	s->v.busy = true;
	return true;
}

void
staff_worker_progress(void *ud, double fraction, const char *stage)
{
	staff *s = ud;
	bool wake = false;
	pthread_mutex_lock(&s->mu);
	/* Post only when the bar moves visibly or the words change, and only
	 * one event at a time, so a big export does not flood the queue. */
	bool moved = fraction - s->j.posted_fraction >= 0.01 || fraction >= 1.0 ||
	             strcmp(stage ? stage : "", s->j.stage) != 0;
	s->j.fraction = fraction;
	snprintf(s->j.stage, sizeof s->j.stage, "%s", stage ? stage : "");
	if (moved && !s->j.progress_posted) {
		s->j.progress_posted = true;
		s->j.posted_fraction = fraction;
		wake = true;
	}
	pthread_mutex_unlock(&s->mu);
	if (wake)
		staff_post(s, STAFF_EV_PROGRESS);
}
