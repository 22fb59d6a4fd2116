/*
 * staff_internal: the staff object and what its files share. Private to
 * src/ui/staff (staff.h is the public face).
 *
 *   staff.c         life, the gesture, opening and closing, the press and
 *                   job-result tables, SDL events, time
 *   staff_worker.c  the one worker thread and its table of jobs
 *   staff_pin.c     the PIN pad: digits, checking, setting a first PIN
 *   staff_export.c  the stick offered (mount events) and the export
 *   staff_today.c   today's answers, one page per question of each flow
 *   staff_keep.c    what the kiosk holds, and clearing it
 *   staff_setup.c   the set-up: kiosk name, flows offered, the event
 *   staff_room.c    "Show the room": the charts, cycling, counted again
 *                   after each round
 *   staff_load.c    flows and cards from the stick
 *
 * Everything here runs on the app's thread except the worker's job
 * functions and on_progress, which touch only s->j (under s->mu where the
 * app's thread may be reading).
 */
#ifndef TELLUS_STAFF_INTERNAL_H
#define TELLUS_STAFF_INTERNAL_H

#include "staff/staff.h"
#include "export/export.h"
#include "export/mounts.h"
#include "store/store.h"
#include "store/store_keep.h"

#include <pthread.h>

/* The codes of staff mode's SDL user event. */
enum { STAFF_EV_JOB_DONE = 1, STAFF_EV_PROGRESS, STAFF_EV_MOUNTS };
enum staff_job_kind { JOB_NONE = 0, JOB_STATUS, JOB_CHECK, JOB_SET, JOB_TODAY, JOB_EXPORT,
                      JOB_CLEAR, JOB_SETUP, JOB_ROOM, JOB_LOAD, JOB_COUNT };
enum staff_gesture_state { G_IDLE = 0, G_HOLDING, G_ARMED, G_TAPPING };

typedef struct staff_job {
	enum staff_job_kind kind;
	/* in */
	char pin[PIN_MAX_DIGITS + 1];
	int64_t wall_ms;
	char day_start[32];
	char to_dir[1024];
	bool all;
	/* the set-up to save (JOB_SETUP) */
	bool save_name, save_offered, save_event;
	char name[64];
	bool offered[STAFF_MAX_FLOWS];
	char event[KIOSK_EVENT_MAX];   /* "": end the event */
	/* out */
	bool done;
	int is_set;
	int may_create;       /* the kiosk may make the first PIN (pin_may_create) */
	int err_code;         /* the failed job's tl_error code */
	enum pin_result pr;
	int64_t wait_ms;
	char kiosk_id[64];
	int rc;
	char err[512];
	export_result xr;
	int64_t today_sessions;
	int64_t today_flow_sessions[STAFF_MAX_FLOWS];
	int *counts;
	intake_report loaded; /* the stick's files and their outcomes */
	store_holdings held;  /* what the kiosk holds, when held_ok */
	bool held_ok;
	char key_id[20];      /* the signing key's id, read with held ("" if none) */
	int64_t cleared;
	char room_event[KIOSK_EVENT_MAX];   /* the room's event, "" for today's */
	struct report *room;           /* the room's counts, handed to the view when done */
	/* progress, from the exporting thread */
	double fraction, posted_fraction;
	char stage[96];
	bool progress_posted;
} staff_job;

struct staff {
	staff_options opt;
	staff_view v;
	Uint32 ev_type;
	/* gesture */
	enum staff_gesture_state g;
	int64_t g_ptr, g_down_ms, g_armed_until;
	/* PIN entry: digits in memory only until checked */
	char digits[PIN_MAX_DIGITS + 1];
	char first[PIN_MAX_DIGITS + 1];
	int64_t lock_until_mono;
	int64_t clear_arm_mono;   /* when "Yes, clear" starts taking presses */
	int64_t last_input_ms;
	bool end_session;
	bool quit;
	/* the worker */
	pthread_mutex_t mu;
	pthread_t th;
	bool th_running;
	bool discard;         /* staff mode closed while the job ran: its result is void */
	bool want_status;     /* opened while an old job still ran: check the PIN after */
	staff_job j;
	int n_counts;
	/* mounts */
	mount_watch *mw;
	mount_list mounts;
	char *attribution;
	/* the room: the counts shown (the view borrows them) and when the
	 * next chart is due */
	struct report *room;
	struct room_chart *room_charts;
	int64_t room_next_ms;
};

/* What a press does (by ui.h's enum ui_action), and what a finished job
 * does to the view; true when the view changed. */
typedef bool (*staff_press_fn)(staff *s, int arg);
typedef void (*staff_done_fn)(staff *s);

/* staff.c */
int64_t staff_now(const staff *s);
/* Posts staff mode's SDL event with code (from any thread). */
void staff_post(staff *s, int code);
/* Back to the kiosk: staff mode off, typed digits wiped. */
void staff_close(staff *s);
/* The menu, after a PIN was right or set; ends a person's session. */
void staff_open_menu(staff *s);

/* staff_worker.c */
/* Starts kind with s->j's inputs already filled; false when busy or when
 * no thread could start (the PIN pad says so). */
bool staff_worker_start(staff *s, enum staff_job_kind kind);
/* The exporting thread's progress callback (export_options.progress). */
void staff_worker_progress(void *ud, double fraction, const char *stage);

/* staff_pin.c */
bool staff_pin_digit(staff *s, int arg);
bool staff_pin_delete(staff *s, int arg);
bool staff_pin_ok(staff *s, int arg);
void staff_pin_clear(staff *s);
/* "Try again in 30 seconds." after lead, into buf. */
void staff_pin_say_wait(char *buf, size_t len, const char *lead, int64_t ms);
void staff_pin_status_done(staff *s);
void staff_pin_check_done(staff *s);
void staff_pin_set_done(staff *s);
/* No PIN is set: the first-PIN pad when may_create, else only "Staff
 * access is not set up: run tellus set-pin". */
void staff_pin_no_pin(staff *s, bool may_create);
/* The lock's countdown moves on; true when its words changed. */
bool staff_pin_tick(staff *s, int64_t now);

/* staff_export.c */
bool staff_export_press(staff *s, int arg);
bool staff_export_retry(staff *s, int arg);
void staff_export_done(staff *s);
/* The exporting thread's news into the view; true when it shows. */
bool staff_export_progress(staff *s);
/* The mount table changed: picks the stick to offer. */
void staff_export_mounts_changed(staff *s);

/* staff_keep.c */
/* The worker's part: what the kiosk holds into j->held (held_ok). */
void staff_keep_read(staff *s, store *st);
/* A finished job's holdings into the view (when it read them). */
void staff_keep_take(staff *s);
bool staff_clear_press(staff *s, int arg);
void staff_clear_done(staff *s);
/* The question's arming moves on; true when it changed. */
bool staff_clear_tick(staff *s, int64_t now);

/* staff_load.c */
bool staff_load_press(staff *s, int arg);
/* The worker's part (st is NULL). */
int staff_load_run(staff *s, tl_error *err);
void staff_load_done(staff *s);

/* staff_today.c */
bool staff_today_open(staff *s, int arg);
bool staff_today_page(staff *s, int arg);
void staff_today_done(staff *s);

/* staff_setup.c */
/* A new database: the first set-up opens (its PIN first). */
void staff_setup_open_first(staff *s);
/* The first PIN is saved: the set-up's next step. */
void staff_setup_after_pin(staff *s);
bool staff_setup_press(staff *s, int arg);      /* ACT_STAFF_SETUP: open at step arg */
bool staff_setup_key(staff *s, int arg);        /* ACT_STAFF_KEY */
bool staff_setup_toggle(staff *s, int arg);     /* ACT_STAFF_TOGGLE: flow arg */
bool staff_setup_next(staff *s, int arg);       /* ACT_STAFF_NEXT: +1 OK, -1 back */
bool staff_setup_end_event(staff *s, int arg);  /* ACT_STAFF_END_EVENT */
void staff_setup_done(staff *s);
/* staff_room.c */
bool staff_room_open(staff *s, int arg);
void staff_room_done(staff *s);
/* The next chart when its time has come; true when the view changed. */
bool staff_room_tick(staff *s, int64_t now);
/* Leaving the room (or staff mode): its counts are let go. */
void staff_room_close(staff *s);

#endif
