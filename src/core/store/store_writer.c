/*
 * store_writer: one thread, one store handle, one queue, so the UI never
 * waits on fsync.
 *
 * Promises:
 * - A submit copies the record (strings, an answer's lists of choices and
 *   all, whatever their length) into a single allocation sized for it,
 *   appends it under the mutex and returns; it never touches SQLite. If the
 *   copy cannot be made it returns 0 and counts an error; nothing crashes.
 * - At most STORE_WRITER_MAX_QUEUED records wait (an end has a little more
 *   room, so a session under way can always be closed); past that a submit
 *   returns 0 and is counted as refused: the caller stops taking answers
 *   rather than lose any.
 * - Records are committed in the order they were submitted, one transaction
 *   each. A record the disk cannot take (busy, full, an I/O error,
 *   read-only) stays at the head of the queue and is tried again, with a
 *   pause that doubles up to STORE_WRITER_MAX_PAUSE_MS, for as long as it
 *   takes; after a failure other than busy the handle is opened afresh
 *   first (a disk remounted read-only and back needs a new handle). Nothing
 *   behind it moves. Only a record the schema itself refuses (a bug, not
 *   the disk) is counted in errors and passed over, since retrying cannot
 *   mend it.
 * - An I/O error may come after the row reached the disk (the fsync
 *   failed, say). A retry that then meets its own row (the same session
 *   id, or the same session and seq) counts it as committed, so nothing is
 *   written twice.
 * - health says what the last try met; it is OK again after the next
 *   commit. Each change of health is announced with on_commit(ud, 0);
 *   after a commit, only once the record is off the queue and committed
 *   counts it, so whatever runs in on_commit finds the queue as it is.
 * - committed, submitted, errors and health are C11 atomics, read without
 *   the lock. committed never moves past a record still waiting.
 * - on_commit(ud, seq) runs on the writer thread after each successful
 *   commit, with no lock held, so it may submit more records.
 * - store_writer_flush returns once every record submitted before the call
 *   has been dealt with and its on_commit has returned; destroy does the same
 *   (giving a failing disk STORE_WRITER_STOP_MS more) and then joins the
 *   thread. Neither may be called from on_commit (the thread would wait for
 *   itself). store_writer_flush_within waits only for the records to be
 *   dealt with (not for their on_commit), and gives up after a while.
 * - store_writer_drain_here is the one drain that may: from inside
 *   on_commit, on the writer's own thread, it commits everything queued
 *   there and then, the same way (in order, retried, STORE_WRITER_STOP_MS
 *   for a failing disk), and calls on_commit no more from then on. It is
 *   for a process about to end from inside the callback, where waiting
 *   for another thread could deadlock (Xlib exits from inside the call
 *   that found the display gone; app_display.c). store_writer_close_here
 *   drains so too and then takes nothing more: a later submit waits, with
 *   its caller, for the exit, so nothing is shown as given after the last
 *   commit that will ever be made.
 */
#include "store/store_writer.h"
#include "base/util.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* store_open's busy_timeout already waits a while on each try; these pauses
 * come on top, so a lock held by a reader (an export) can clear, and a full
 * or failing disk is not hammered. */
#define RETRY_FIRST_PAUSE_MS 50

enum rec_kind { REC_BEGIN, REC_ANSWER, REC_END };

struct rec_end {
	const char *session_id;
	const char *status;
	int64_t ended_wall_ms;
};

/* One allocation: the struct, then (for an answer) its copied arrays of
 * choice ids, labels, sort columns and their labels, then every string the
 * pointers point into, then a drawing's PNG bytes. */
struct rec {
	struct rec *next;
	uint64_t seq;
	enum rec_kind kind;
	union {
		store_session s;
		store_answer a;
		struct rec_end e;
	} u;
};

struct store_writer {
	store *st;               /* the thread's; reopened after a disk failure */
	char *path;
	char *vfs;
	store_options opt;
	void (*on_commit)(void *ud, uint64_t seq);
	void *ud;
	pthread_t thread;

	pthread_mutex_t mu;
	pthread_cond_t wake;     /* the thread waits here for work or stop */
	pthread_cond_t done;     /* flush waits here for finished to catch up */
	struct rec *head, *tail; /* under mu */
	uint64_t next_seq;       /* under mu */
	uint64_t finished;       /* under mu: last seq whose on_commit returned */
	uint64_t queued;         /* under mu: records in the list */
	bool stopping;           /* under mu */
	bool closed;             /* under mu: store_writer_close_here, the process ending */
	int64_t stop_by_ms;      /* under mu: when stopping, give up on a dead disk then (mono) */
	char kiosk_id[64];       /* copied at create: the handle may be reopened */

	atomic_uint_least64_t submitted;
	atomic_uint_least64_t committed;
	atomic_uint_least64_t errors;
	atomic_uint_least64_t refused;
	atomic_uint_least64_t retries;
	atomic_uint_least64_t n_queued;
	atomic_int health;
	atomic_int fail_copies;  /* test hook: copies to fail on purpose */
	/* the thread's own, set by store_writer_drain_here */
	bool quiet;              /* no more callbacks */
	int64_t drain_by_ms;     /* draining in a callback: give up on a dead disk then (mono) */
	uint64_t drained_to;     /* the last seq it dealt with */
};

#define REC_MAX_FIELDS 8

/* The string fields of r, so copying is one loop for every kind. */
static size_t
rec_fields(struct rec *r, const char **out[REC_MAX_FIELDS])
{
	size_t n = 0;
	switch (r->kind) {
	case REC_BEGIN:
		out[n++] = &r->u.s.id;
		out[n++] = &r->u.s.kiosk_id;
		out[n++] = &r->u.s.flow_id;
		out[n++] = &r->u.s.flow_hash;
		out[n++] = &r->u.s.flow_source;
		out[n++] = &r->u.s.language;
		out[n++] = &r->u.s.presentation;
		out[n++] = &r->u.s.event;
		break;
	case REC_ANSWER:
		out[n++] = &r->u.a.session_id;
		out[n++] = &r->u.a.question_id;
		out[n++] = &r->u.a.question_text;
		out[n++] = &r->u.a.kind;
		out[n++] = &r->u.a.input_method;
		out[n++] = &r->u.a.typed_text;
		break;
	case REC_END:
		out[n++] = &r->u.e.session_id;
		out[n++] = &r->u.e.status;
		break;
	}
	return n;
}

static size_t
str_size(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

/* Copies s to *p and moves *p past it; NULL stays NULL. */
static const char *
str_put(char **p, const char *s)
{
	if (!s)
		return NULL;
	size_t len = strlen(s) + 1;
	char *d = memcpy(*p, s, len);
	*p += len;
	return d;
}

static bool
fail_this_copy(store_writer *w)
{
	int left = atomic_load(&w->fail_copies);
	while (left > 0 && !atomic_compare_exchange_weak(&w->fail_copies, &left, left - 1))
		;
	return left > 0;
}

/* An answer's lists of per-choice strings, in the order rec_copy lays
 * them out after the record. */
enum { L_IDS, L_LABELS, L_COLUMNS, L_COLUMN_LABELS, L_N };

static const char *const **
answer_list(store_answer *a, int l)
{
	switch (l) {
	case L_IDS: return &a->choice_ids;
	case L_LABELS: return &a->choice_labels;
	case L_COLUMNS: return &a->choice_columns;
	default: return &a->choice_column_labels;
	}
}

/* A deep copy of tmpl (whose pointers are the caller's) in one block the
 * thread frees. NULL when out of memory. */
static struct rec *
rec_copy(store_writer *w, struct rec *tmpl)
{
	const char **f[REC_MAX_FIELDS];
	size_t n = rec_fields(tmpl, f), total = 0;
	for (size_t i = 0; i < n; i++)
		total += str_size(*f[i]);
	/* an answer's choices: a pointer array per list, then their strings,
	 * then a drawing's bytes */
	bool answer = tmpl->kind == REC_ANSWER;
	size_t nc = answer ? tmpl->u.a.n_choices : 0;
	size_t png = answer && tmpl->u.a.drawing_png ? tmpl->u.a.drawing_len : 0;
	const char *const *lists[L_N] = { 0 };
	for (int l = 0; nc && l < L_N; l++)
		lists[l] = *answer_list(&tmpl->u.a, l);
	if (nc > (SIZE_MAX - sizeof *tmpl) / (L_N * sizeof(char *)))
		return NULL;
	size_t arrays = L_N * nc * sizeof(char *);
	for (size_t i = 0; i < nc; i++) {
		size_t more = 0;
		for (int l = 0; l < L_N; l++)
			more += lists[l] ? str_size(lists[l][i]) : 0;
		if (more > SIZE_MAX - sizeof *tmpl - arrays - total)
			return NULL;
		total += more;
	}
	if (png > SIZE_MAX - sizeof *tmpl - arrays - total)
		return NULL;
	total += png;

	if (fail_this_copy(w))
		return NULL;
	/* sizeof *r is a multiple of its alignment, which is at least a
	 * pointer's, so the arrays right after it are aligned */
	struct rec *r = malloc(sizeof *r + arrays + total);
	if (!r)
		return NULL;
	*r = *tmpl;
	r->next = NULL;
	const char **arr = (const char **)(void *)(r + 1);
	char *p = (char *)(arr + L_N * nc);
	n = rec_fields(r, f);
	for (size_t i = 0; i < n; i++)
		*f[i] = str_put(&p, *f[i]);
	if (answer) {
		for (int l = 0; l < L_N; l++) {
			const char **dst = arr + (size_t)l * nc;
			for (size_t i = 0; i < nc; i++)
				dst[i] = lists[l] ? str_put(&p, lists[l][i]) : NULL;
			*answer_list(&r->u.a, l) = nc && lists[l] ? dst : NULL;
		}
		if (png) {
			memcpy(p, tmpl->u.a.drawing_png, png);
			r->u.a.drawing_png = p;
		} else {
			r->u.a.drawing_png = NULL;
			r->u.a.drawing_len = 0;
		}
	}
	return r;
}

static int
rec_commit(store *st, const struct rec *r, tl_error *err)
{
	switch (r->kind) {
	case REC_BEGIN:
		return store_begin_session(st, &r->u.s, err);
	case REC_ANSWER:
		return store_add_answer(st, &r->u.a, err);
	case REC_END:
		return store_end_session(st, r->u.e.session_id, r->u.e.status,
		                         r->u.e.ended_wall_ms, err);
	}
	return tl_err(err, TL_E_INVALID, "a record of no known kind");
}

const char *
store_health_name(enum store_health h)
{
	static const char *const names[STORE_HEALTH_COUNT] = {
		[STORE_HEALTH_OK] = "ok",
		[STORE_HEALTH_FULL] = "full",
		[STORE_HEALTH_IOERR] = "ioerr",
		[STORE_HEALTH_READONLY] = "readonly",
		[STORE_HEALTH_BUSY] = "busy",
	};
	return (unsigned)h < STORE_HEALTH_COUNT ? names[h] : "unknown";
}

/* What a failed try says about the disk; OK for a record the schema
 * refuses (the disk is fine, the record is not). */
static enum store_health
health_of(const tl_error *e)
{
	if (e->code == TL_E_BUSY)
		return STORE_HEALTH_BUSY;
	if (e->code == TL_E_NOMEM)
		return STORE_HEALTH_IOERR;
	switch (e->sys) {
	case SQLITE_CONSTRAINT:
	case SQLITE_MISMATCH:
	case SQLITE_MISUSE:
	case SQLITE_TOOBIG:
	case SQLITE_RANGE:
		return STORE_HEALTH_OK;
	case SQLITE_FULL:
		return STORE_HEALTH_FULL;
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return STORE_HEALTH_READONLY;
	default:
		/* SQLITE_IOERR, CANTOPEN, CORRUPT, NOTADB, PROTOCOL, NOMEM... and
		 * a record whose store could not be reopened: the disk. */
		return e->code == TL_E_INVALID ? STORE_HEALTH_OK : STORE_HEALTH_IOERR;
	}
}

/* After a failure a retry may find that the failed try had in fact reached
 * the disk (an fsync that failed after the write). */
static bool
already_there(store *st, const struct rec *r)
{
	const char *sql = NULL;
	switch (r->kind) {
	case REC_BEGIN:
		sql = "SELECT 1 FROM sessions WHERE id = ?1";
		break;
	case REC_ANSWER:
		sql = "SELECT 1 FROM answers WHERE session_id = ?1 AND seq = ?2";
		break;
	case REC_END:
		return false;   /* an end is harmless to repeat */
	}
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(store_db(st), sql, -1, &q, NULL) != SQLITE_OK) {
		sqlite3_finalize(q);
		return false;
	}
	const char *id = r->kind == REC_BEGIN ? r->u.s.id : r->u.a.session_id;
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	if (r->kind == REC_ANSWER)
		sqlite3_bind_int(q, 2, r->u.a.seq);
	bool found = sqlite3_step(q) == SQLITE_ROW;
	sqlite3_finalize(q);
	return found;
}

static void
set_health(store_writer *w, enum store_health h)
{
	if (atomic_exchange(&w->health, (int)h) != (int)h && w->on_commit && !w->quiet)
		w->on_commit(w->ud, 0);
}

static void
pause_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0)
		;
}

/* The store handle for the next try: the old one, or after a failure of
 * the disk a fresh one (so a file system remounted read-only and back, or
 * a replaced card, is seen anew). false when it cannot be opened now. */
static bool
handle_ready(store_writer *w, bool reopen, tl_error *e)
{
	if (w->st && !reopen)
		return true;
	store_close(w->st);
	w->st = NULL;
	return store_open(w->path, &w->opt, &w->st, e) == 0;
}

enum outcome { DONE, REFUSED, GAVE_UP };

static bool
give_up_now(store_writer *w)
{
	if (w->drain_by_ms && tl_mono(tl_clock_system()) >= w->drain_by_ms)
		return true;
	pthread_mutex_lock(&w->mu);
	bool over = w->stopping && tl_mono(tl_clock_system()) >= w->stop_by_ms;
	pthread_mutex_unlock(&w->mu);
	return over;
}

/* Tries r until it is committed, refused by the schema, or (only when the
 * writer is stopping) the stop deadline passes. A commit's health comes
 * back OK in commit_head, once the record is off the queue. */
static enum outcome
commit_until_done(store_writer *w, const struct rec *r)
{
	int pause = RETRY_FIRST_PAUSE_MS;
	bool failed_before = false, reopen = false;
	for (;;) {
		tl_error e = { 0 };
		int rc = handle_ready(w, reopen, &e) ? rec_commit(w->st, r, &e) : -1;
		if (rc == 0)
			return DONE;
		enum store_health h = health_of(&e);
		if (!w->st && h == STORE_HEALTH_OK)
			h = STORE_HEALTH_IOERR;   /* the store could not even be opened */
		if (h == STORE_HEALTH_OK) {
			/* Refused by the schema: either an earlier, failed-looking
			 * try did land, or the record itself is wrong. */
			if (failed_before && already_there(w->st, r))
				return DONE;
			return REFUSED;
		}
		failed_before = true;
		reopen = h != STORE_HEALTH_BUSY;
		set_health(w, h);
		atomic_fetch_add(&w->retries, 1);
		if (give_up_now(w))
			return GAVE_UP;
		pause_ms(pause);
		pause = pause * 2 > STORE_WRITER_MAX_PAUSE_MS ? STORE_WRITER_MAX_PAUSE_MS : pause * 2;
	}
}

/* Deals with the record at the head of the queue and takes it off; with
 * mu held on entry (and a head) and on return. Its seq, and whether it was
 * committed. */
static uint64_t
commit_head(store_writer *w, bool *done)
{
	struct rec *r = w->head;
	pthread_mutex_unlock(&w->mu);

	/* The record stays at the head, in the list, until it is done:
	 * whatever happens, nothing behind it goes first. */
	uint64_t seq = r->seq;
	enum outcome out = commit_until_done(w, r);
	if (out != DONE)
		atomic_fetch_add(&w->errors, 1);

	pthread_mutex_lock(&w->mu);
	w->head = r->next;
	if (!w->head)
		w->tail = NULL;
	w->queued--;
	atomic_store(&w->n_queued, w->queued);
	pthread_mutex_unlock(&w->mu);
	free(r);

	atomic_store(&w->committed, seq);
	if (out == DONE)
		set_health(w, STORE_HEALTH_OK);
	*done = out == DONE;
	pthread_mutex_lock(&w->mu);
	return seq;
}

static void *
writer_main(void *arg)
{
	store_writer *w = arg;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->head && !w->stopping)
			pthread_cond_wait(&w->wake, &w->mu);
		if (!w->head)
			break;   /* stopping, and nothing left */
		bool done;
		uint64_t seq = commit_head(w, &done);
		pthread_mutex_unlock(&w->mu);
		if (done && w->on_commit && !w->quiet)
			w->on_commit(w->ud, seq);

		pthread_mutex_lock(&w->mu);
		/* a drain inside that on_commit dealt with more */
		w->finished = seq > w->drained_to ? seq : w->drained_to;
		pthread_cond_broadcast(&w->done);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

store_writer *
store_writer_create(const char *path, const store_options *opt,
                    void (*on_commit)(void *ud, uint64_t seq),
                    void *ud, tl_error *err)
{
	if (opt && opt->read_only) {
		tl_err(err, TL_E_INVALID, "the answer writer cannot use a read-only database");
		return NULL;
	}
	store *st = NULL;
	if (store_open(path, opt, &st, err) != 0)
		return NULL;
	return store_writer_create_from(st, path, opt, on_commit, ud, err);
}

store_writer *
store_writer_create_from(store *st, const char *path, const store_options *opt,
                         void (*on_commit)(void *ud, uint64_t seq),
                         void *ud, tl_error *err)
{
	store_writer *w = calloc(1, sizeof *w);
	if (!w) {
		tl_err(err, TL_E_NOMEM, "out of memory starting the answer writer");
		store_close(st);
		return NULL;
	}
	w->st = st;
	if (opt && opt->read_only) {
		tl_err(err, TL_E_INVALID, "the answer writer cannot use a read-only database");
		goto fail_open;
	}
	w->path = tl_strdup(path);
	w->vfs = opt && opt->vfs ? tl_strdup(opt->vfs) : NULL;
	if (!w->path || (opt && opt->vfs && !w->vfs)) {
		tl_err_nomem(err);
		goto fail_open;
	}
	w->opt = (store_options){ .vfs = w->vfs };
	snprintf(w->kiosk_id, sizeof w->kiosk_id, "%s", store_kiosk_id(w->st));
	w->on_commit = on_commit;
	w->ud = ud;
	atomic_init(&w->submitted, 0);
	atomic_init(&w->committed, 0);
	atomic_init(&w->errors, 0);
	atomic_init(&w->refused, 0);
	atomic_init(&w->retries, 0);
	atomic_init(&w->n_queued, 0);
	atomic_init(&w->health, STORE_HEALTH_OK);
	atomic_init(&w->fail_copies, 0);

	/* Unwind in reverse from whichever step failed. */
	int rc = pthread_mutex_init(&w->mu, NULL);
	if (rc != 0)
		goto fail_mutex;
	if ((rc = pthread_cond_init(&w->wake, NULL)) != 0)
		goto fail_wake;
	if ((rc = pthread_cond_init(&w->done, NULL)) != 0)
		goto fail_done;
	if ((rc = pthread_create(&w->thread, NULL, writer_main, w)) != 0)
		goto fail_thread;
	return w;

fail_thread:
	pthread_cond_destroy(&w->done);
fail_done:
	pthread_cond_destroy(&w->wake);
fail_wake:
	pthread_mutex_destroy(&w->mu);
fail_mutex:
	tl_err_sys(err, TL_E_IO, rc, "cannot start the answer writer: %s", strerror(rc));
fail_open:
	store_close(w->st);
	free(w->vfs);
	free(w->path);
	free(w);
	return NULL;
}

void
store_writer_destroy(store_writer *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->stopping = true;
	w->stop_by_ms = tl_mono(tl_clock_system()) + STORE_WRITER_STOP_MS;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);   /* the thread drains the queue first */

	pthread_cond_destroy(&w->done);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->mu);
	store_close(w->st);
	free(w->vfs);
	free(w->path);
	free(w);
}

static bool
drain_here(store_writer *w, bool close)
{
	if (!w || !pthread_equal(pthread_self(), w->thread))
		return false;
	w->quiet = true;
	w->drain_by_ms = tl_mono(tl_clock_system()) + STORE_WRITER_STOP_MS;
	pthread_mutex_lock(&w->mu);
	/* finished stays: the on_commit we are in has not returned, and flush
	 * promises that it has */
	while (w->head) {
		bool done;
		w->drained_to = commit_head(w, &done);
	}
	/* in the same hold of the lock as the drain, so that nothing can slip
	 * in between the last commit and the closing */
	if (close)
		w->closed = true;
	pthread_mutex_unlock(&w->mu);
	w->drain_by_ms = 0;
	return true;
}

bool
store_writer_drain_here(store_writer *w)
{
	return drain_here(w, false);
}

bool
store_writer_close_here(store_writer *w)
{
	return drain_here(w, true);
}

static uint64_t
submit(store_writer *w, struct rec *tmpl)
{
	if (!w)
		return 0;
	struct rec *r = rec_copy(w, tmpl);
	if (!r) {
		atomic_fetch_add(&w->errors, 1);
		return 0;
	}
	pthread_mutex_lock(&w->mu);
	/* closed: the process is ending on the writer's thread; the caller
	 * waits for that rather than go on as if this were saved. done is
	 * never signalled again (the thread is in its last on_commit). */
	while (w->closed)
		pthread_cond_wait(&w->done, &w->mu);
	uint64_t room = STORE_WRITER_MAX_QUEUED + (tmpl->kind == REC_END ? STORE_WRITER_END_ROOM : 0);
	if (w->queued >= room) {
		pthread_mutex_unlock(&w->mu);
		free(r);
		atomic_fetch_add(&w->refused, 1);
		return 0;
	}
	w->queued++;
	atomic_store(&w->n_queued, w->queued);
	uint64_t seq = ++w->next_seq;
	r->seq = seq;   /* r belongs to the thread once the lock is released */
	if (w->tail)
		w->tail->next = r;
	else
		w->head = r;
	w->tail = r;
	atomic_store(&w->submitted, seq);
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->mu);
	return seq;
}

uint64_t
store_writer_begin_session(store_writer *w, const store_session *s)
{
	struct rec tmpl = { .kind = REC_BEGIN, .u.s = *s };
	return submit(w, &tmpl);
}

uint64_t
store_writer_add_answer(store_writer *w, const store_answer *a)
{
	struct rec tmpl = { .kind = REC_ANSWER, .u.a = *a };
	return submit(w, &tmpl);
}

uint64_t
store_writer_end_session(store_writer *w, const char *session_id,
                         const char *status, int64_t ended_wall_ms)
{
	struct rec tmpl = { .kind = REC_END };
	tmpl.u.e.session_id = session_id;
	tmpl.u.e.status = status;
	tmpl.u.e.ended_wall_ms = ended_wall_ms;
	return submit(w, &tmpl);
}

uint64_t
store_writer_committed(const store_writer *w)
{
	return w ? atomic_load(&w->committed) : 0;
}

uint64_t
store_writer_submitted(const store_writer *w)
{
	return w ? atomic_load(&w->submitted) : 0;
}

enum store_health
store_writer_health(const store_writer *w)
{
	return w ? (enum store_health)atomic_load(&w->health) : STORE_HEALTH_OK;
}

uint64_t
store_writer_queued(const store_writer *w)
{
	return w ? atomic_load(&w->n_queued) : 0;
}

bool
store_writer_full(const store_writer *w)
{
	return w && atomic_load(&w->n_queued) >= STORE_WRITER_MAX_QUEUED;
}

uint64_t
store_writer_refused(const store_writer *w)
{
	return w ? atomic_load(&w->refused) : 0;
}

uint64_t
store_writer_retries(const store_writer *w)
{
	return w ? atomic_load(&w->retries) : 0;
}

uint64_t
store_writer_errors(const store_writer *w)
{
	return w ? atomic_load(&w->errors) : 0;
}

void
store_writer_flush(store_writer *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	uint64_t target = w->next_seq;
	while (w->finished < target)
		pthread_cond_wait(&w->done, &w->mu);
	pthread_mutex_unlock(&w->mu);
}

bool
store_writer_flush_within(store_writer *w, int ms)
{
	if (!w)
		return true;
	/* committed, not finished: an on_commit that never returns (a process
	 * ending inside it) must not hold this up. Polled, since nothing
	 * signals a commit whose on_commit is still running. */
	pthread_mutex_lock(&w->mu);
	uint64_t target = w->next_seq;
	pthread_mutex_unlock(&w->mu);
	int64_t until = tl_mono(tl_clock_system()) + ms;
	while (atomic_load(&w->committed) < target) {
		int64_t left = until - tl_mono(tl_clock_system());
		if (left <= 0)
			return false;
		pause_ms(left < 10 ? (int)left : 10);
	}
	return true;
}

const char *
store_writer_kiosk_id(const store_writer *w)
{
	return w ? w->kiosk_id : "";
}

void
store_writer_fail_next_copies(store_writer *w, int n)
{
	if (w)
		atomic_store(&w->fail_copies, n);
}
