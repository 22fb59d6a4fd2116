/*
 * store_writer: one thread, one store handle, one queue, so the UI never
 * waits on fsync.
 *
 * Promises:
 * - A submit copies the record (strings, an answer's lists of choices and
 *   all, whatever their length) into a single allocation sized for it,
 *   appends it under the mutex and returns; it never touches SQLite. If the
 *   copy cannot be made it returns 0 and counts an error; nothing crashes.
 * - Records are committed in the order they were submitted, one transaction
 *   each. A busy database (TL_E_BUSY) is retried with a growing pause; a record that still
 *   fails (busy for too long, or refused by the schema) is counted in
 *   store_writer_errors and skipped, so one bad record never holds up the
 *   rest.
 * - committed, submitted and errors are C11 atomics, read without the lock.
 *   committed moves past failed records too: it says how far the thread got.
 * - on_commit(ud, seq) runs on the writer thread after each successful
 *   commit, with no lock held, so it may submit more records.
 * - store_writer_flush returns once every record submitted before the call
 *   has been dealt with and its on_commit has returned; destroy does the same
 *   and then joins the thread. Neither may be called from on_commit (the
 *   thread would wait for itself).
 */
#include "store/store_writer.h"
#include "base/util.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* store_open's busy_timeout already waits a while on each try; these pauses
 * come on top, so a lock held by a reader (an export) can clear. */
#define RETRY_TRIES 5
#define RETRY_FIRST_PAUSE_MS 50

enum rec_kind { REC_BEGIN, REC_ANSWER, REC_END };

struct rec_end {
	const char *session_id;
	const char *status;
	int64_t ended_wall_ms;
};

/* One allocation: the struct, then (for an answer) its copied arrays of
 * choice ids and labels, then every string the pointers point into. */
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
	store *st;
	void (*on_commit)(void *ud, uint64_t seq);
	void *ud;
	pthread_t thread;

	pthread_mutex_t mu;
	pthread_cond_t wake;     /* the thread waits here for work or stop */
	pthread_cond_t done;     /* flush waits here for finished to catch up */
	struct rec *head, *tail; /* under mu */
	uint64_t next_seq;       /* under mu */
	uint64_t finished;       /* under mu: last seq whose on_commit returned */
	bool stopping;           /* under mu */

	atomic_uint_least64_t submitted;
	atomic_uint_least64_t committed;
	atomic_uint_least64_t errors;
	atomic_int fail_copies;  /* test hook: copies to fail on purpose */
};

#define REC_MAX_FIELDS 7

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
		break;
	case REC_ANSWER:
		out[n++] = &r->u.a.session_id;
		out[n++] = &r->u.a.question_id;
		out[n++] = &r->u.a.question_text;
		out[n++] = &r->u.a.kind;
		out[n++] = &r->u.a.input_method;
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

/* A deep copy of tmpl (whose pointers are the caller's) in one block the
 * thread frees. NULL when out of memory. */
static struct rec *
rec_copy(store_writer *w, struct rec *tmpl)
{
	const char **f[REC_MAX_FIELDS];
	size_t n = rec_fields(tmpl, f), total = 0;
	for (size_t i = 0; i < n; i++)
		total += str_size(*f[i]);
	/* an answer's choices: two pointer arrays, then their strings */
	size_t nc = tmpl->kind == REC_ANSWER ? tmpl->u.a.n_choices : 0;
	const char *const *ids = nc ? tmpl->u.a.choice_ids : NULL;
	const char *const *labels = nc ? tmpl->u.a.choice_labels : NULL;
	if (nc > (SIZE_MAX - sizeof *tmpl) / (2 * sizeof(char *)))
		return NULL;
	size_t arrays = 2 * nc * sizeof(char *);
	for (size_t i = 0; i < nc; i++) {
		size_t more = (ids ? str_size(ids[i]) : 0) + (labels ? str_size(labels[i]) : 0);
		if (more > SIZE_MAX - sizeof *tmpl - arrays - total)
			return NULL;
		total += more;
	}

	if (fail_this_copy(w))
		return NULL;
	/* sizeof *r is a multiple of its alignment, which is at least a
	 * pointer's, so the arrays right after it are aligned */
	struct rec *r = malloc(sizeof *r + arrays + total);
	if (!r)
		return NULL;
	*r = *tmpl;
	r->next = NULL;
	const char **rids = (const char **)(void *)(r + 1), **rlabels = rids + nc;
	char *p = (char *)(rlabels + nc);
	n = rec_fields(r, f);
	for (size_t i = 0; i < n; i++)
		*f[i] = str_put(&p, *f[i]);
	if (r->kind == REC_ANSWER) {
		for (size_t i = 0; i < nc; i++) {
			rids[i] = ids ? str_put(&p, ids[i]) : NULL;
			rlabels[i] = labels ? str_put(&p, labels[i]) : NULL;
		}
		r->u.a.choice_ids = nc ? rids : NULL;
		r->u.a.choice_labels = nc ? rlabels : NULL;
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

static bool
commit_with_retry(store *st, const struct rec *r)
{
	int pause = RETRY_FIRST_PAUSE_MS;
	for (int i = 0; i < RETRY_TRIES; i++) {
		tl_error e = { 0 };
		if (rec_commit(st, r, &e) == 0)
			return true;
		if (e.code != TL_E_BUSY)
			return false;   /* retrying cannot mend a refused record */
		if (i + 1 < RETRY_TRIES) {
			struct timespec ts = { pause / 1000, (long)(pause % 1000) * 1000000L };
			nanosleep(&ts, NULL);
			pause *= 2;
		}
	}
	return false;
}

static void *
writer_main(void *arg)
{
	store_writer *w = arg;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->head && !w->stopping)
			pthread_cond_wait(&w->wake, &w->mu);
		struct rec *r = w->head;
		if (!r)
			break;   /* stopping, and nothing left */
		w->head = r->next;
		if (!w->head)
			w->tail = NULL;
		pthread_mutex_unlock(&w->mu);

		uint64_t seq = r->seq;
		bool ok = commit_with_retry(w->st, r);
		free(r);
		if (!ok)
			atomic_fetch_add(&w->errors, 1);
		atomic_store(&w->committed, seq);
		if (ok && w->on_commit)
			w->on_commit(w->ud, seq);

		pthread_mutex_lock(&w->mu);
		w->finished = seq;
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
	store_writer *w = calloc(1, sizeof *w);
	if (!w) {
		tl_err(err, TL_E_NOMEM, "out of memory starting the answer writer");
		return NULL;
	}
	if (opt && opt->read_only) {
		tl_err(err, TL_E_INVALID, "the answer writer cannot use a read-only database");
		free(w);
		return NULL;
	}
	if (store_open(path, opt, &w->st, err) != 0) {
		free(w);
		return NULL;
	}
	w->on_commit = on_commit;
	w->ud = ud;
	atomic_init(&w->submitted, 0);
	atomic_init(&w->committed, 0);
	atomic_init(&w->errors, 0);
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
	store_close(w->st);
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
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);   /* the thread drains the queue first */

	pthread_cond_destroy(&w->done);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->mu);
	store_close(w->st);
	free(w);
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

const char *
store_writer_kiosk_id(const store_writer *w)
{
	return w ? store_kiosk_id(w->st) : "";
}

void
store_writer_fail_next_copies(store_writer *w, int n)
{
	if (w)
		atomic_store(&w->fail_copies, n);
}
