/*
 * store_writer: a thread that owns a store handle and commits what the UI
 * hands it, so the frame path never waits on the disk.
 *
 * Every call copies its record into a queue and returns at once with a
 * sequence number. The thread commits records in order, one transaction
 * each, and then calls on_commit(ud, seq) from its own thread (the UI pushes
 * an SDL event from there). store_writer_committed() says how far it got.
 * A record the disk cannot take (full, failing, read-only, locked) stays at
 * the head of the queue and is tried again with a pause that grows to
 * STORE_WRITER_MAX_PAUSE_MS; nothing behind it is lost or reordered, and
 * store_writer_health() says what is wrong until it is mended. on_commit is
 * also called (with seq 0) whenever the health changes.
 */
#ifndef TELLUS_STORE_WRITER_H
#define TELLUS_STORE_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include "store/store.h"

typedef struct store_writer store_writer;

#define STORE_WRITER_MAX_PAUSE_MS 2000

/* Opens its own handle on path (same options as store_open). Caller frees
 * with store_writer_destroy. NULL with err filled on failure. */
store_writer *store_writer_create(const char *path, const store_options *opt,
                                  void (*on_commit)(void *ud, uint64_t seq),
                                  void *ud, tl_error *err);
/* The same on a handle the caller already opened on path with opt (so a
 * kiosk opens its database once at start): the writer takes st, and closes
 * it on failure too. */
store_writer *store_writer_create_from(store *st, const char *path, const store_options *opt,
                                       void (*on_commit)(void *ud, uint64_t seq),
                                       void *ud, tl_error *err);
/* Commits everything still queued, then stops the thread. A disk that keeps
 * failing is tried for STORE_WRITER_STOP_MS more at most, so a kiosk being
 * switched off is not held for ever. Accepts NULL. */
#define STORE_WRITER_STOP_MS 10000
void store_writer_destroy(store_writer *w);

/* From inside on_commit, on the writer's own thread only: commits every
 * record still queued, here and now, in order and retried as the thread
 * would (a disk that keeps failing gets STORE_WRITER_STOP_MS), and returns
 * once the queue is empty. on_commit is called no more, then or after
 * (the writer goes on committing what comes, silently). For a process that
 * is about to end from inside the callback and must not wait for another
 * thread (Xlib's exit on a lost display, app_display.c). Returns false,
 * doing nothing, on any other thread. Accepts NULL. */
bool store_writer_drain_here(store_writer *w);
/* store_writer_drain_here, and then the writer takes nothing more: a later
 * submit, on any thread, waits with its caller until the process ends, so
 * no caller goes on (to draw an answer as given, say) believing a record
 * is on its way to the disk that never will be. For the very last thing a
 * process does before it exits from inside on_commit (Xlib's exit once
 * this thread found the display gone first, app_display.c): nothing may
 * free or destroy the writer after it. The same threads and NULL as
 * store_writer_drain_here. */
bool store_writer_close_here(store_writer *w);

/* At most this many records wait in memory. Past it a begin or an answer is
 * refused (0, counted in store_writer_refused) rather than anything lost; an
 * end still has STORE_WRITER_END_ROOM places more, so a session already
 * under way can always be closed. */
#define STORE_WRITER_MAX_QUEUED 10000
#define STORE_WRITER_END_ROOM 64

/* What the writer's last try at the disk said. Anything but OK means the
 * record at the head of the queue is waiting to be tried again. */
enum store_health {
	STORE_HEALTH_OK = 0,
	STORE_HEALTH_FULL,       /* the disk is full */
	STORE_HEALTH_IOERR,      /* the disk failed to read or write */
	STORE_HEALTH_READONLY,   /* the database or its disk became read-only */
	STORE_HEALTH_BUSY,       /* another program holds the database */
	STORE_HEALTH_COUNT
};
/* "ok", "full", "ioerr", "readonly", "busy": for logs and tests. */
const char *store_health_name(enum store_health h);

/* Each returns the record's seq (from 1), or 0 when it could not be copied
 * (out of memory; counted in store_writer_errors) or the queue is full
 * (counted in store_writer_refused). */
uint64_t store_writer_begin_session(store_writer *w, const store_session *s);
uint64_t store_writer_add_answer(store_writer *w, const store_answer *a);
uint64_t store_writer_end_session(store_writer *w, const char *session_id,
                                  const char *status, int64_t ended_wall_ms);

/* Highest seq dealt with: committed, or refused by the schema (see errors).
 * A record the disk failed is never passed over. Lock-free read. */
uint64_t store_writer_committed(const store_writer *w);
/* The disk's state at the last try (lock-free). */
enum store_health store_writer_health(const store_writer *w);
/* Records waiting in memory now. */
uint64_t store_writer_queued(const store_writer *w);
/* True when a begin or an answer would be refused now (the queue is full). */
bool store_writer_full(const store_writer *w);
/* Records refused because the queue was full. */
uint64_t store_writer_refused(const store_writer *w);
/* Tries of a record that failed and were (or will be) tried again. */
uint64_t store_writer_retries(const store_writer *w);
/* Highest seq handed in so far. */
uint64_t store_writer_submitted(const store_writer *w);
/* Records that could not be kept: a copy that ran out of memory, a record
 * the schema refuses (a bug: retrying cannot mend it), or, at destroy, what
 * a dead disk still held after STORE_WRITER_STOP_MS of trying. */
uint64_t store_writer_errors(const store_writer *w);
/* Blocks until everything submitted is committed. Never from the frame path:
 * for shutdown and tests (it waits as long as the disk is failing). */
void store_writer_flush(store_writer *w);
/* Waits at most ms until everything submitted before the call has been
 * dealt with (committed, or refused by the schema), not for its on_commit:
 * true when it was in time. For a process that must end soon whatever the
 * disk does, on a thread other than the writer's. Accepts NULL. */
bool store_writer_flush_within(store_writer *w, int ms);
/* The kiosk id the writer's store uses. Borrowed. */
const char *store_writer_kiosk_id(const store_writer *w);
/* For tests: the next n record copies fail as if memory ran out. */
void store_writer_fail_next_copies(store_writer *w, int n);

#endif
