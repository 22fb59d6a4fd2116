/*
 * staff: see staff.h. One worker thread at a time does whatever may wait
 * on the disk or the CPU for long (argon2id, counting, exporting); it copies
 * its results into the job under the mutex and posts an event, and the
 * app's thread joins it and moves the state machine on. The frame path only
 * reads the view.
 *
 * The gesture: a press held for STAFF_HOLD_MS in the top-left corner (a
 * square of the minimum target size, 20 mm), released there, then within
 * STAFF_TAP_WITHIN_MS a tap (down and up) in the top-right corner. It is
 * only watched, never answered: the kiosk's own screen reacts to those
 * touches exactly as it always does, so nothing teaches a child the way in.
 */
#include "staff/staff.h"
#include "export/export.h"
#include "export/mounts.h"
#include "store/store.h"
#include "ui.h"
#include "tellus_build.h"

#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { EV_JOB_DONE = 1, EV_PROGRESS, EV_MOUNTS };
enum job_kind { JOB_NONE = 0, JOB_STATUS, JOB_CHECK, JOB_SET, JOB_TODAY, JOB_EXPORT };
enum gesture_state { G_IDLE = 0, G_HOLDING, G_ARMED, G_TAPPING };

typedef struct job {
	enum job_kind kind;
	/* in */
	char pin[PIN_MAX_DIGITS + 1];
	int64_t wall_ms;
	char day_start[32];
	char to_dir[1024];
	bool all;
	/* out */
	bool done;
	int is_set;
	enum pin_result pr;
	int64_t wait_ms;
	char kiosk_id[64];
	int rc;
	char err[512];
	export_result xr;
	int64_t today_sessions;
	int *counts;
	/* progress, from the exporting thread */
	double fraction, posted_fraction;
	char stage[96];
	bool progress_posted;
} job;

struct staff {
	staff_options opt;
	staff_view v;
	Uint32 ev_type;
	/* gesture */
	enum gesture_state g;
	int64_t g_ptr, g_down_ms, g_armed_until;
	/* PIN entry: digits in memory only until checked */
	char digits[PIN_MAX_DIGITS + 1];
	char first[PIN_MAX_DIGITS + 1];
	int64_t lock_until_mono;
	int64_t last_input_ms;
	bool end_session;
	bool quit;
	/* the worker */
	pthread_mutex_t mu;
	pthread_t th;
	bool th_running;
	job j;
	int n_counts;
	/* mounts */
	mount_watch *mw;
	mount_list mounts;
	char *attribution;
};

static int64_t now_mono(const staff *s) { return tl_mono(s->opt.clock); }

static void
post(staff *s, int code)
{
	SDL_Event ev = { 0 };
	ev.type = s->ev_type;
	ev.user.code = code;
	SDL_PushEvent(&ev);
}

/* ---- the worker ---------------------------------------------------------- */

static void
on_progress(void *ud, double fraction, const char *stage)
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
		post(s, EV_PROGRESS);
}

/* Counts, for each question of the flow, the latest answer of each session
 * started today; choose-many answers count once per picture chosen. */
static int
count_today(sqlite3 *db, const flow *f, const char *day_start, int *counts,
            int64_t *n_sessions)
{
	sqlite3_stmt *q = NULL;
	int rc = sqlite3_prepare_v2(db, "SELECT count(*) FROM sessions WHERE started_at >= ?",
	                            -1, &q, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(q, 1, day_start, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
		*n_sessions = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	q = NULL;
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db,
		        "SELECT a.answer_ids FROM answers a JOIN sessions s ON s.id = a.session_id"
		        " WHERE s.started_at >= ?1 AND s.flow_id = ?2 AND a.question_id = ?3"
		        " AND a.kind = 'chosen' AND a.seq = (SELECT max(b.seq) FROM answers b"
		        "   WHERE b.session_id = a.session_id AND b.question_id = a.question_id)",
		        -1, &q, NULL);
	for (size_t qi = 0; rc == SQLITE_OK && qi < f->n_questions; qi++) {
		const flow_question *fq = &f->questions[qi];
		int *row = counts + qi * SESSION_MAX_CHOICES;
		sqlite3_reset(q);
		sqlite3_bind_text(q, 1, day_start, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, f->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, fq->id, -1, SQLITE_STATIC);
		int r;
		while ((r = sqlite3_step(q)) == SQLITE_ROW) {
			const char *ids = (const char *)sqlite3_column_text(q, 0);
			while (ids && *ids) {
				size_t len = strcspn(ids, " ");
				for (size_t ai = 0; ai < fq->n_answers && ai < SESSION_MAX_CHOICES; ai++)
					if (strlen(fq->answers[ai].id) == len &&
					    strncmp(fq->answers[ai].id, ids, len) == 0)
						row[ai]++;
				ids += len;
				while (*ids == ' ')
					ids++;
			}
		}
		if (r != SQLITE_DONE)
			rc = r;
	}
	sqlite3_finalize(q);
	return rc == SQLITE_OK ? 0 : -1;
}

static void *
worker(void *ud)
{
	staff *s = ud;
	job *j = &s->j;   /* the app's thread leaves it alone until done */
	store *st = NULL;
	char err[512] = "";
	tl_error pe;   /* the PIN's jobs: the screen says its own words for a failure */
	int rc = 0;
	if (j->kind != JOB_EXPORT) {
		tl_error e = { 0 };
		rc = store_open(s->opt.db_path, NULL, &st, &e);
		if (rc != 0)
			snprintf(err, sizeof err, "%.*s", (int)sizeof err - 1, e.msg);
	}
	switch (rc == 0 ? j->kind : JOB_NONE) {
	case JOB_STATUS:
		j->is_set = pin_is_set(st, &pe);
		rc = j->is_set < 0 ? -1 : pin_wait_ms(st, j->wall_ms, &j->wait_ms, NULL, &pe);
		snprintf(j->kiosk_id, sizeof j->kiosk_id, "%s", store_kiosk_id(st));
		break;
	case JOB_CHECK:
		rc = pin_check(st, j->pin, j->wall_ms, &j->pr, &j->wait_ms, &pe);
		break;
	case JOB_SET:
		rc = pin_set(st, j->pin, &pe);
		break;
	case JOB_TODAY:
		rc = count_today(store_db(st), s->opt.flow, j->day_start, j->counts, &j->today_sessions);
		break;
	case JOB_EXPORT: {
		export_options eo = {
			.db_path = s->opt.db_path,
			.to_dir = j->to_dir,
			.all = j->all,
			.mark_exported = true,
			.progress = { on_progress, s },
			.data_dir = s->opt.data_dir,
		};
		rc = export_run(&eo, &j->xr, err, sizeof err);
		break;
	}
	default:
		break;
	}
	store_close(st);
	sodium_memzero(j->pin, sizeof j->pin);
	pthread_mutex_lock(&s->mu);
	j->rc = rc;
	snprintf(j->err, sizeof j->err, "%s", err);
	j->done = true;
	pthread_mutex_unlock(&s->mu);
	post(s, EV_JOB_DONE);
	return NULL;
}

/* Starts kind with s->j's inputs already filled; false when busy. */
static bool
start_job(staff *s, enum job_kind kind)
{
	if (s->th_running)
		return false;
	s->j.kind = kind;
	s->j.done = false;
	s->j.fraction = s->j.posted_fraction = 0;
	s->j.stage[0] = '\0';
	s->j.progress_posted = false;
	if (pthread_create(&s->th, NULL, worker, s) != 0) {
		snprintf(s->v.message, sizeof s->v.message, "Something went wrong. Try again.");
		return false;
	}
	s->th_running = true;
	s->v.busy = true;
	return true;
}

/* ---- words ---------------------------------------------------------------- */

static void
say_wait(char *buf, size_t len, const char *lead, int64_t ms)
{
	int64_t secs = (ms + 999) / 1000;
	if (secs < 120)
		snprintf(buf, len, "%sTry again in %lld second%s.", lead, (long long)secs,
		         secs == 1 ? "" : "s");
	else
		snprintf(buf, len, "%sTry again in %lld minutes.", lead, (long long)((secs + 59) / 60));
}

static void
clear_digits(staff *s)
{
	sodium_memzero(s->digits, sizeof s->digits);
	s->v.n_digits = 0;
}

/* ---- opening and closing --------------------------------------------------- */

static void
close_staff(staff *s)
{
	clear_digits(s);
	sodium_memzero(s->first, sizeof s->first);
	s->v.screen = STAFF_OFF;
	s->v.message[0] = '\0';
	s->g = G_IDLE;
}

static void
open_staff(staff *s)
{
	s->v.screen = STAFF_PIN;
	s->v.pin_mode = PINPAD_ENTER;
	s->v.lock_left_ms = 0;
	clear_digits(s);
	s->last_input_ms = now_mono(s);
	snprintf(s->v.message, sizeof s->v.message, "Checking\xE2\x80\xA6");
	s->j.wall_ms = tl_wall(s->opt.clock);
	if (!start_job(s, JOB_STATUS))
		s->v.busy = false;
}

static void
open_menu(staff *s)
{
	s->v.screen = STAFF_MENU;
	s->v.message[0] = '\0';
	clear_digits(s);
	s->end_session = true;
}

bool
staff_gesture(staff *s, int kind, int64_t ptr, int x, int y, int w, int corner)
{
	if (!s || s->v.screen != STAFF_OFF)
		return false;
	int64_t now = now_mono(s);
	bool tl = x >= 0 && x < corner && y >= 0 && y < corner;
	bool tr = x >= w - corner && x < w && y >= 0 && y < corner;
	switch (kind) {
	case 0:
		if (s->g == G_ARMED && now <= s->g_armed_until && tr) {
			s->g = G_TAPPING;
		} else if (tl) {
			s->g = G_HOLDING;
			s->g_down_ms = now;
		} else {
			s->g = G_IDLE;
		}
		s->g_ptr = ptr;
		break;
	case 1:
		if (ptr == s->g_ptr && ((s->g == G_HOLDING && !tl) || (s->g == G_TAPPING && !tr)))
			s->g = G_IDLE;
		break;
	default:
		if (ptr != s->g_ptr)
			break;
		if (s->g == G_HOLDING) {
			s->g = tl && now - s->g_down_ms >= STAFF_HOLD_MS ? G_ARMED : G_IDLE;
			s->g_armed_until = now + STAFF_TAP_WITHIN_MS;
		} else if (s->g == G_TAPPING) {
			s->g = G_IDLE;
			if (tr && now <= s->g_armed_until) {
				open_staff(s);
				return true;
			}
		}
		break;
	}
	return false;
}

/* ---- presses ------------------------------------------------------------------ */

typedef bool (*press_fn)(staff *s, int arg);

static bool
p_digit(staff *s, int arg)
{
	if (s->v.busy || s->v.n_digits >= PIN_MAX_DIGITS || arg < 0 || arg > 9)
		return false;
	s->digits[s->v.n_digits++] = (char)('0' + arg);
	s->digits[s->v.n_digits] = '\0';
	if (s->v.lock_left_ms <= 0)
		s->v.message[0] = '\0';
	return true;
}

static bool
p_delete(staff *s, int arg)
{
	(void)arg;
	if (s->v.busy || s->v.n_digits == 0)
		return false;
	s->digits[--s->v.n_digits] = '\0';
	return true;
}

static bool
p_ok(staff *s, int arg)
{
	(void)arg;
	staff_view *v = &s->v;
	if (v->busy)
		return false;
	if (v->pin_mode == PINPAD_ENTER && v->lock_left_ms > 0) {
		clear_digits(s);
		say_wait(v->message, sizeof v->message, "Too many wrong tries. ", v->lock_left_ms);
		return true;
	}
	if (!pin_valid(s->digits)) {
		snprintf(v->message, sizeof v->message, "A PIN is %d to %d digits.", PIN_MIN_DIGITS,
		         PIN_MAX_DIGITS);
		return true;
	}
	switch (v->pin_mode) {
	case PINPAD_ENTER:
		memcpy(s->j.pin, s->digits, sizeof s->j.pin);
		s->j.wall_ms = tl_wall(s->opt.clock);
		clear_digits(s);
		snprintf(v->message, sizeof v->message, "Checking\xE2\x80\xA6");
		start_job(s, JOB_CHECK);
		break;
	case PINPAD_SET_FIRST:
		memcpy(s->first, s->digits, sizeof s->first);
		clear_digits(s);
		v->pin_mode = PINPAD_SET_AGAIN;
		snprintf(v->message, sizeof v->message, "Now the same PIN again.");
		break;
	case PINPAD_SET_AGAIN:
		if (strcmp(s->first, s->digits) != 0) {
			clear_digits(s);
			sodium_memzero(s->first, sizeof s->first);
			v->pin_mode = PINPAD_SET_FIRST;
			snprintf(v->message, sizeof v->message,
			         "The two PINs were not the same. Please start again.");
			break;
		}
		memcpy(s->j.pin, s->digits, sizeof s->j.pin);
		clear_digits(s);
		sodium_memzero(s->first, sizeof s->first);
		snprintf(v->message, sizeof v->message, "Saving\xE2\x80\xA6");
		start_job(s, JOB_SET);
		break;
	}
	return true;
}

static bool
p_close(staff *s, int arg)
{
	(void)arg;
	if (s->v.screen == STAFF_EXPORT && s->v.export_state == EXPORT_RUNNING)
		return false;
	close_staff(s);
	return true;
}

static bool
p_menu(staff *s, int arg)
{
	(void)arg;
	if (s->v.screen == STAFF_EXPORT && s->v.export_state == EXPORT_RUNNING)
		return false;
	s->v.screen = STAFF_MENU;
	return true;
}

static bool
p_export(staff *s, int arg)
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
	if (!start_job(s, JOB_EXPORT)) {
		v->export_state = EXPORT_FAILED;
		snprintf(v->error, sizeof v->error, "The export could not start. Try again.");
	}
	return true;
}

static bool
p_retry(staff *s, int arg)
{
	(void)arg;
	if (s->v.screen != STAFF_EXPORT || s->v.export_state != EXPORT_FAILED)
		return false;
	if (!s->v.stick) {
		snprintf(s->v.error, sizeof s->v.error, "Plug in a USB stick, then try again.");
		return true;
	}
	return p_export(s, s->v.export_all);
}

static bool
p_today(staff *s, int arg)
{
	(void)arg;
	if (s->v.busy)
		return false;
	/* Today starts at local midnight; sessions are stored in UTC. */
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
	start_job(s, JOB_TODAY);
	return true;
}

static bool
p_page(staff *s, int arg)
{
	int p = s->v.page + arg;
	if (p < 0 || p >= s->v.n_pages)
		return false;
	s->v.page = p;
	return true;
}

static bool
p_about(staff *s, int arg)
{
	(void)arg;
	s->v.screen = STAFF_ABOUT;
	return true;
}

static bool
p_quit(staff *s, int arg)
{
	(void)arg;
	if (s->th_running)
		return false;
	s->quit = true;
	return true;
}

static const press_fn presses[ACT_COUNT] = {
	[ACT_STAFF_DIGIT] = p_digit,
	[ACT_STAFF_DELETE] = p_delete,
	[ACT_STAFF_OK] = p_ok,
	[ACT_STAFF_CLOSE] = p_close,
	[ACT_STAFF_MENU] = p_menu,
	[ACT_STAFF_EXPORT] = p_export,
	[ACT_STAFF_RETRY] = p_retry,
	[ACT_STAFF_TODAY] = p_today,
	[ACT_STAFF_PAGE] = p_page,
	[ACT_STAFF_ABOUT] = p_about,
	[ACT_STAFF_QUIT] = p_quit,
};

bool
staff_press(staff *s, int action, int arg)
{
	if (!s || action <= 0 || action >= ACT_COUNT || !presses[action])
		return false;
	staff_activity(s);
	return presses[action](s, arg);
}

void
staff_activity(staff *s)
{
	if (s && s->v.screen != STAFF_OFF)
		s->last_input_ms = now_mono(s);
}

/* ---- news from the threads ------------------------------------------------------ */

static void
job_finished(staff *s)
{
	pthread_join(s->th, NULL);
	s->th_running = false;
	staff_view *v = &s->v;
	v->busy = false;
	job *j = &s->j;
	s->last_input_ms = now_mono(s);
	switch (j->kind) {
	case JOB_STATUS:
		snprintf(v->kiosk_id, sizeof v->kiosk_id, "%s", j->kiosk_id);
		v->message[0] = '\0';
		if (j->rc != 0) {
			snprintf(v->message, sizeof v->message, "The PIN could not be read. Try again later.");
		} else if (!j->is_set) {
			v->pin_mode = PINPAD_SET_FIRST;
			snprintf(v->message, sizeof v->message, "No staff PIN yet. Choose one (4 to 8 digits).");
		} else if (j->wait_ms > 0) {
			s->lock_until_mono = now_mono(s) + j->wait_ms;
			v->lock_left_ms = j->wait_ms;
			say_wait(v->message, sizeof v->message, "Too many wrong tries. ", j->wait_ms);
		}
		break;
	case JOB_CHECK:
		v->lock_left_ms = 0;
		if (j->rc == 0 && j->pr == PIN_OK) {
			open_menu(s);
		} else if (j->rc == 0 && (j->pr == PIN_WRONG || j->pr == PIN_LOCKED) && j->wait_ms > 0) {
			s->lock_until_mono = now_mono(s) + j->wait_ms;
			v->lock_left_ms = j->wait_ms;
			say_wait(v->message, sizeof v->message,
			         j->pr == PIN_WRONG ? "That PIN is not right. Too many wrong tries. "
			                            : "Too many wrong tries. ", j->wait_ms);
		} else if (j->rc == 0 && j->pr == PIN_WRONG) {
			snprintf(v->message, sizeof v->message, "That PIN is not right. Try again.");
		} else if (j->rc == 0 && j->pr == PIN_NOT_SET) {
			v->pin_mode = PINPAD_SET_FIRST;
			snprintf(v->message, sizeof v->message, "No staff PIN yet. Choose one (4 to 8 digits).");
		} else {
			snprintf(v->message, sizeof v->message, "The PIN could not be checked. Try again.");
		}
		break;
	case JOB_SET:
		if (j->rc == 0) {
			open_menu(s);
		} else {
			v->pin_mode = PINPAD_SET_FIRST;
			snprintf(v->message, sizeof v->message, "The PIN could not be saved. Try again.");
		}
		break;
	case JOB_TODAY:
		v->today_ready = j->rc == 0;
		v->today_sessions = j->today_sessions;
		memcpy(v->counts, j->counts, (size_t)s->n_counts * sizeof *v->counts);
		break;
	case JOB_EXPORT:
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
		break;
	default:
		break;
	}
	j->kind = JOB_NONE;
}

/* Picks the stick to offer: one that has just appeared, else the one
 * offered before if it is still there, else the newest. */
static void
mounts_changed(staff *s)
{
	mount_list cur = { 0 };
	if (mount_watch_snapshot(s->mw, &cur) < 0)
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

bool
staff_event(staff *s, const SDL_Event *ev)
{
	if (!s || ev->type != s->ev_type)
		return false;
	switch (ev->user.code) {
	case EV_JOB_DONE: {
		pthread_mutex_lock(&s->mu);
		bool done = s->th_running && s->j.done;
		pthread_mutex_unlock(&s->mu);
		if (done)
			job_finished(s);
		return done;
	}
	case EV_PROGRESS:
		pthread_mutex_lock(&s->mu);
		if (s->j.kind == JOB_EXPORT && !s->j.done) {
			s->v.fraction = s->j.fraction;
			if (s->j.stage[0])
				snprintf(s->v.stage, sizeof s->v.stage, "%s", s->j.stage);
		}
		s->j.progress_posted = false;
		pthread_mutex_unlock(&s->mu);
		return s->v.screen == STAFF_EXPORT;
	case EV_MOUNTS:
		mounts_changed(s);
		return s->v.screen == STAFF_MENU;
	default:
		return false;
	}
}

static void
on_mounts(void *ud)
{
	post(ud, EV_MOUNTS);
}

/* ---- time ---------------------------------------------------------------------- */

bool
staff_tick(staff *s)
{
	if (!s || s->v.screen == STAFF_OFF)
		return false;
	int64_t now = now_mono(s);
	bool exporting = s->v.screen == STAFF_EXPORT && s->v.export_state == EXPORT_RUNNING;
	if (!exporting && !s->th_running && now - s->last_input_ms >= STAFF_QUIET_MS) {
		close_staff(s);
		return true;
	}
	if (s->v.lock_left_ms > 0) {
		int64_t left = s->lock_until_mono - now;
		if (left < 0)
			left = 0;
		if ((left + 999) / 1000 != (s->v.lock_left_ms + 999) / 1000) {
			s->v.lock_left_ms = left;
			if (left > 0)
				say_wait(s->v.message, sizeof s->v.message, "Too many wrong tries. ", left);
			else
				s->v.message[0] = '\0';
			return true;
		}
	}
	return false;
}

int64_t
staff_next_deadline(const staff *s)
{
	if (!s || s->v.screen == STAFF_OFF)
		return INT64_MAX;
	int64_t dl = INT64_MAX;
	if (!(s->v.screen == STAFF_EXPORT && s->v.export_state == EXPORT_RUNNING))
		dl = s->last_input_ms + STAFF_QUIET_MS;
	if (s->v.lock_left_ms > 0) {
		/* The next whole second of the countdown. */
		int64_t left = s->lock_until_mono - now_mono(s);
		int64_t next = s->lock_until_mono - (left > 0 ? (left - 1) / 1000 * 1000 : 0);
		if (next < dl)
			dl = next;
	}
	return dl;
}

/* ---- life ------------------------------------------------------------------------ */

/* Markdown to calm plain text, in place: no '#' marks, and the lines of a
 * paragraph joined so the screen wraps them at its own width. */
static void
tidy_attribution(char *t)
{
	char *o = t;
	bool line_start = true;
	for (char *p = t; *p; p++) {
		if (line_start) {
			while (*p == '#')
				p++;
			while (*p == ' ' && p[-1] == '#')
				p++;
			line_start = false;
			if (!*p)
				break;
		}
		if (*p == '\n') {
			line_start = true;
			bool blank = p[1] == '\n' || p[1] == '#';
			bool item = p[1] == '-' && p[2] == ' ';
			bool after_blank = o > t && o[-1] == '\n';
			bool join = !(blank || item || after_blank);
			*o++ = join ? ' ' : '\n';
			while (join && p[1] == ' ')
				p++;   /* a continued line's indent */
			line_start = !join;
			continue;
		}
		*o++ = *p;
	}
	*o = '\0';
}


staff *
staff_create(const staff_options *opt)
{
	staff *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->opt = *opt;
	pthread_mutex_init(&s->mu, NULL);
	s->ev_type = SDL_RegisterEvents(1);
	s->v.kiosk = opt->kiosk;
	s->v.version = TELLUS_VERSION;
	s->n_counts = (int)(opt->flow->n_questions ? opt->flow->n_questions : 1) * SESSION_MAX_CHOICES;
	s->v.n_pages = (int)opt->flow->n_questions;
	s->v.counts = calloc((size_t)s->n_counts, sizeof *s->v.counts);
	s->j.counts = calloc((size_t)s->n_counts, sizeof *s->j.counts);
	/* Read once at start, so About never waits on the disk. */
	char *path = tl_asprintf("%s/assets/ATTRIBUTION.md", opt->data_dir);
	size_t len = 0;
	if (!path || tl_read_file(path, &s->attribution, &len) != 0)
		s->attribution = NULL;
	free(path);
	if (s->attribution)
		tidy_attribution(s->attribution);
	s->v.attribution = s->attribution ? s->attribution
	                                  : "OpenMoji symbols, CC BY-SA 4.0 (openmoji.org). "
	                                    "Fonts under the SIL Open Font License.";
	if (s->ev_type == (Uint32)-1 || !s->v.counts || !s->j.counts) {
		staff_destroy(s);
		return NULL;
	}
	/* Without a watcher there is just no stick to offer. */
	s->mw = mount_watch_create(opt->mountinfo, opt->roots, on_mounts, s);
	return s;
}

void
staff_destroy(staff *s)
{
	if (!s)
		return;
	mount_watch_destroy(s->mw);
	if (s->th_running)
		pthread_join(s->th, NULL);
	sodium_memzero(s->digits, sizeof s->digits);
	sodium_memzero(s->first, sizeof s->first);
	mount_list_finish(&s->mounts);
	free(s->v.counts);
	free(s->j.counts);
	free(s->attribution);
	pthread_mutex_destroy(&s->mu);
	free(s);
}

bool staff_active(const staff *s) { return s && s->v.screen != STAFF_OFF; }
const staff_view *staff_get_view(const staff *s) { return &s->v; }
bool staff_wants_quit(const staff *s) { return s && s->quit; }

void
staff_set_speech_status(staff *s, const char *status)
{
	if (s)
		s->v.speech_status = status;
}
const char *staff_export_path(const staff *s) { return s->v.export_path; }

bool
staff_take_end_session(staff *s)
{
	bool e = s && s->end_session;
	if (s)
		s->end_session = false;
	return e;
}
