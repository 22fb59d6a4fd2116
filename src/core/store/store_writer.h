/*
 * store_writer: a thread that owns a store handle and commits what the UI
 * hands it, so the frame path never waits on the disk.
 *
 * Every call copies its record into a queue and returns at once with a
 * sequence number. The thread commits records in order, one transaction
 * each, and then calls on_commit(ud, seq) from its own thread (the UI pushes
 * an SDL event from there). store_writer_committed() says how far it got.
 */
#ifndef TELLUS_STORE_WRITER_H
#define TELLUS_STORE_WRITER_H

#include <stdint.h>
#include "store/store.h"

typedef struct store_writer store_writer;

/* Opens its own handle on path (same options as store_open). Caller frees
 * with store_writer_destroy. NULL with err filled on failure. */
store_writer *store_writer_create(const char *path, const store_options *opt,
                                  void (*on_commit)(void *ud, uint64_t seq),
                                  void *ud, tl_error *err);
/* Commits everything still queued, then stops the thread. Accepts NULL. */
void store_writer_destroy(store_writer *w);

/* Each returns the record's seq (from 1), or 0 when it could not be copied
 * (out of memory), which is counted in store_writer_errors. */
uint64_t store_writer_begin_session(store_writer *w, const store_session *s);
uint64_t store_writer_add_answer(store_writer *w, const store_answer *a);
uint64_t store_writer_end_session(store_writer *w, const char *session_id,
                                  const char *status, int64_t ended_wall_ms);

/* Highest seq committed (or failed; see errors). Lock-free read. */
uint64_t store_writer_committed(const store_writer *w);
/* Highest seq handed in so far. */
uint64_t store_writer_submitted(const store_writer *w);
/* Records that failed to commit after retries (the kiosk shows staff). */
uint64_t store_writer_errors(const store_writer *w);
/* Blocks until everything submitted is committed. Never from the frame path:
 * for shutdown and tests. */
void store_writer_flush(store_writer *w);
/* The kiosk id the writer's store uses. Borrowed. */
const char *store_writer_kiosk_id(const store_writer *w);
/* For tests: the next n record copies fail as if memory ran out. */
void store_writer_fail_next_copies(store_writer *w, int n);

#endif
