/*
 * staff: see staff.h; staff_internal.h maps the files. This one holds the
 * state machine's frame: life, the gesture that opens it, opening and
 * closing, the table of presses, the table of what each finished job does,
 * SDL events and time.
 *
 * The gesture: a press held for STAFF_HOLD_MS in the top-left corner (an
 * L along both edges, the screens' margin thick and the minimum target
 * size long: no control lies there, so the hold presses nothing), released
 * there, then within STAFF_TAP_WITHIN_MS a tap (down and up) in the
 * top-right corner. It is
 * only watched, never answered: the kiosk's own screen reacts to those
 * touches exactly as it always does, so nothing teaches a child the way in.
 */
#include "staff/staff_internal.h"
#include "report/report.h"
#include "ui.h"
#include "tellus_build.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int64_t staff_now(const staff *s) { return tl_mono(s->opt.clock); }

void
staff_post(staff *s, int code)
{
	SDL_Event ev = { 0 };
	ev.type = s->ev_type;
	ev.user.code = code;
	SDL_PushEvent(&ev);
}

/* ---- opening and closing --------------------------------------------------- */

/* A job still running (a PIN being checked) is void from here: its result
 * must never open the menu over the next person's session. */
void
staff_close(staff *s)
{
	if (s->th_running)
		s->discard = true;
	s->want_status = false;
	s->v.busy = false;
	staff_pin_clear(s);
	sodium_memzero(s->first, sizeof s->first);
	s->v.screen = STAFF_OFF;
	s->v.message[0] = '\0';
	s->g = G_IDLE;
	staff_room_close(s);
}

static void
open_staff(staff *s)
{
	s->v.screen = STAFF_PIN;
	s->v.pin_mode = PINPAD_ENTER;
	s->v.lock_left_ms = 0;
	staff_pin_clear(s);
	s->last_input_ms = staff_now(s);
	snprintf(s->v.message, sizeof s->v.message, "Checking\xE2\x80\xA6");
	s->j.wall_ms = tl_wall(s->opt.clock);
	if (s->th_running) {
		/* The last opening's job is still finishing (and is void): check
		 * the PIN once it has, and take no digits until then. */
		s->want_status = true;
		s->v.busy = true;
	} else if (!staff_worker_start(s, JOB_STATUS)) {
		s->v.busy = false;
	}
}

void
staff_open_menu(staff *s)
{
	s->v.screen = STAFF_MENU;
	s->v.message[0] = '\0';
	staff_pin_clear(s);
	s->end_session = true;
	/* A stick folder (stick_folder) cannot signal: look again now. */
	if (s->mw)
		mount_watch_rescan(s->mw);
}

void
staff_gesture_corners(int w, int len, int band, SDL_Rect out[4])
{
	if (band > len)
		band = len;
	out[0] = (SDL_Rect){ 0, 0, len, band };
	out[1] = (SDL_Rect){ 0, 0, band, len };
	out[2] = (SDL_Rect){ w - len, 0, len, band };
	out[3] = (SDL_Rect){ w - band, 0, band, len };
}

bool
staff_gesture_watched(const staff *s)
{
	/* The room is for everyone: the gesture is watched there too. */
	return s && (s->v.screen == STAFF_OFF || s->v.screen == STAFF_ROOM);
}

static bool
in_rect(const SDL_Rect *r, int x, int y)
{
	return x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h;
}

bool
staff_gesture(staff *s, int kind, int64_t ptr, int x, int y, int w, int len, int band)
{
	if (!staff_gesture_watched(s))
		return false;
	int64_t now = staff_now(s);
	SDL_Rect k[4];
	staff_gesture_corners(w, len, band, k);
	bool tl = in_rect(&k[0], x, y) || in_rect(&k[1], x, y);
	bool tr = in_rect(&k[2], x, y) || in_rect(&k[3], x, y);
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
				if (s->v.screen == STAFF_ROOM)
					staff_close(s);   /* leaves the room: the PIN again */
				open_staff(s);
				return true;
			}
		}
		break;
	}
	return false;
}

/* ---- presses ------------------------------------------------------------------ */

static bool
p_close(staff *s, int arg)
{
	(void)arg;
	if ((s->v.screen == STAFF_EXPORT && s->v.export_state == EXPORT_RUNNING) ||
	    (s->v.screen == STAFF_CLEAR && s->v.clear_state == CLEAR_RUNNING))
		return false;
	staff_close(s);
	return true;
}

static bool
p_menu(staff *s, int arg)
{
	(void)arg;
	if ((s->v.screen == STAFF_EXPORT && s->v.export_state == EXPORT_RUNNING) ||
	    (s->v.screen == STAFF_CLEAR && s->v.clear_state == CLEAR_RUNNING))
		return false;
	s->v.screen = STAFF_MENU;
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

static const staff_press_fn presses[ACT_COUNT] = {
	[ACT_STAFF_DIGIT] = staff_pin_digit,
	[ACT_STAFF_DELETE] = staff_pin_delete,
	[ACT_STAFF_OK] = staff_pin_ok,
	[ACT_STAFF_CLOSE] = p_close,
	[ACT_STAFF_MENU] = p_menu,
	[ACT_STAFF_EXPORT] = staff_export_press,
	[ACT_STAFF_RETRY] = staff_export_retry,
	[ACT_STAFF_TODAY] = staff_today_open,
	[ACT_STAFF_PAGE] = staff_today_page,
	[ACT_STAFF_ABOUT] = p_about,
	[ACT_STAFF_QUIT] = p_quit,
	[ACT_STAFF_CLEAR] = staff_clear_press,
	[ACT_STAFF_SETUP] = staff_setup_press,
	[ACT_STAFF_KEY] = staff_setup_key,
	[ACT_STAFF_TOGGLE] = staff_setup_toggle,
	[ACT_STAFF_NEXT] = staff_setup_next,
	[ACT_STAFF_END_EVENT] = staff_setup_end_event,
	[ACT_STAFF_ROOM] = staff_room_open,
	[ACT_STAFF_LOAD] = staff_load_press,
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
		s->last_input_ms = staff_now(s);
}

/* ---- news from the threads ------------------------------------------------------ */

static const staff_done_fn job_done[JOB_COUNT] = {
	[JOB_STATUS] = staff_pin_status_done,
	[JOB_CHECK] = staff_pin_check_done,
	[JOB_SET] = staff_pin_set_done,
	[JOB_TODAY] = staff_today_done,
	[JOB_EXPORT] = staff_export_done,
	[JOB_CLEAR] = staff_clear_done,
	[JOB_SETUP] = staff_setup_done,
	[JOB_ROOM] = staff_room_done,
	[JOB_LOAD] = staff_load_done,
};

static void
job_finished(staff *s)
{
	pthread_join(s->th, NULL);
	s->th_running = false;
	s->v.busy = false;
	s->v.jobs_ended++;
	s->last_input_ms = staff_now(s);
	enum staff_job_kind kind = s->j.kind;
	s->j.kind = JOB_NONE;
	if (s->discard) {
		s->discard = false;
		report_destroy(s->j.room);   /* a room's counts nobody will show */
		s->j.room = NULL;
		if (s->want_status && s->v.screen == STAFF_PIN) {
			s->want_status = false;
			s->j.wall_ms = tl_wall(s->opt.clock);
			staff_worker_start(s, JOB_STATUS);
		}
		return;
	}
	staff_keep_take(s);
	if (job_done[kind])
		job_done[kind](s);
}

bool
staff_event(staff *s, const SDL_Event *ev)
{
	if (!s || ev->type != s->ev_type)
		return false;
	switch (ev->user.code) {
	case STAFF_EV_JOB_DONE: {
		pthread_mutex_lock(&s->mu);
		bool done = s->th_running && s->j.done;
		pthread_mutex_unlock(&s->mu);
		if (done)
			job_finished(s);
		return done;
	}
	case STAFF_EV_PROGRESS:
		return staff_export_progress(s);
	case STAFF_EV_MOUNTS:
		staff_export_mounts_changed(s);
		return s->v.screen == STAFF_MENU;
	default:
		return false;
	}
}

static void
on_mounts(void *ud)
{
	staff_post(ud, STAFF_EV_MOUNTS);
}

/* ---- time ---------------------------------------------------------------------- */

bool
staff_tick(staff *s)
{
	if (!s || s->v.screen == STAFF_OFF)
		return false;
	int64_t now = staff_now(s);
	bool exporting = s->v.screen == STAFF_EXPORT && s->v.export_state == EXPORT_RUNNING;
	/* The first set-up waits for staff however long they take: closing it
	 * would leave a kiosk nobody can open. */
	if (s->v.screen == STAFF_ROOM)   /* no quiet close: it runs for the afternoon */
		return staff_room_tick(s, now);
	if (!exporting && !s->th_running && !s->v.setup_first &&
	    now - s->last_input_ms >= STAFF_QUIET_MS) {
		staff_close(s);
		return true;
	}
	bool clear = staff_clear_tick(s, now);
	return staff_pin_tick(s, now) || clear;
}

int64_t
staff_next_deadline(const staff *s)
{
	if (!s || s->v.screen == STAFF_OFF)
		return INT64_MAX;
	int64_t dl = INT64_MAX;
	if (s->v.screen == STAFF_ROOM)
		return s->room_next_ms;
	if (!(s->v.screen == STAFF_EXPORT && s->v.export_state == EXPORT_RUNNING) && !s->v.setup_first)
		dl = s->last_input_ms + STAFF_QUIET_MS;
	if (s->v.lock_left_ms > 0) {
		/* The next whole second of the countdown. */
		int64_t left = s->lock_until_mono - staff_now(s);
		int64_t next = s->lock_until_mono - (left > 0 ? (left - 1) / 1000 * 1000 : 0);
		if (next < dl)
			dl = next;
	}
	if (s->v.screen == STAFF_CLEAR && !s->v.clear_armed && s->clear_arm_mono < dl)
		dl = s->clear_arm_mono;
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
	s->v.min_digits = opt->pin_min_digits >= PIN_MIN_DIGITS && opt->pin_min_digits <= PIN_MAX_DIGITS
	                          ? opt->pin_min_digits : PIN_MIN_DIGITS;
	s->v.version = TELLUS_VERSION;
	s->v.sealed = opt->office_key != NULL;
	/* The attribution: read once at start, so About never waits on the
	 * disk (the signing key's id is read by the worker at each login:
	 * staff_keep_read). */
	char *path = tl_asprintf("%s/assets/ATTRIBUTION.md", opt->data_dir);
	size_t len = 0;
	if (!path || tl_read_file(path, &s->attribution, &len, NULL) != 0)
		s->attribution = NULL;
	free(path);
	if (s->attribution)
		tidy_attribution(s->attribution);
	s->v.attribution = s->attribution ? s->attribution
	                                  : "OpenMoji symbols, CC BY-SA 4.0 (openmoji.org). "
	                                    "Fonts under the SIL Open Font License.";
	if (opt->setup) {
		snprintf(s->v.kiosk_id, sizeof s->v.kiosk_id, "%s", opt->setup->kiosk_id);
		snprintf(s->v.event, sizeof s->v.event, "%s", opt->setup->event);
	}
	if (!opt->flows) {
		s->opt.flows = &s->opt.flow;
		s->opt.n_flows = 1;
	}
	if (s->opt.n_flows > STAFF_MAX_FLOWS)
		s->opt.n_flows = STAFF_MAX_FLOWS;
	for (int i = 0; i < s->opt.n_flows; i++)
		s->v.offered[i] = !opt->offered || opt->offered[i];
	s->v.flows = s->opt.flows;
	s->v.today_flow = s->opt.flows[0];
	s->v.n_flows = s->opt.n_flows;
	/* Today's counts: every flow's questions, flow after flow. */
	int rows = 0;
	for (int i = 0; i < s->opt.n_flows; i++) {
		s->v.today_row[i] = rows;
		rows += (int)s->opt.flows[i]->n_questions;
	}
	s->n_counts = ui_max(rows, 1) * SESSION_MAX_CHOICES;
	s->v.counts = calloc((size_t)s->n_counts, sizeof *s->v.counts);
	s->j.counts = calloc((size_t)s->n_counts, sizeof *s->j.counts);
	s->v.name_fixed = opt->kiosk_id_fixed;
	if (s->ev_type == (Uint32)-1 || !s->v.counts || !s->j.counts) {
		staff_destroy(s);
		return NULL;
	}
	/* Without a watcher there is just no stick to offer. */
	mount_source src = { opt->mountinfo, opt->roots, opt->sysfs, opt->stick_folder };
	s->mw = mount_watch_create(&src, on_mounts, s, NULL);
	if (opt->open_setup)
		staff_setup_open_first(s);
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
	report_destroy(s->j.room);
	staff_room_close(s);
	sodium_memzero(s->digits, sizeof s->digits);
	sodium_memzero(s->first, sizeof s->first);
	mount_list_finish(&s->mounts);
	intake_report_finish(&s->j.loaded);
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

void
staff_set_text_status(staff *s, const char *status)
{
	if (s)
		s->v.text_status = status;
}

bool
staff_take_end_session(staff *s)
{
	bool e = s && s->end_session;
	if (s)
		s->end_session = false;
	return e;
}
