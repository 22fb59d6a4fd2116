/*
 * store: the kiosk's SQLite database.
 *
 * Policy: every answer is its own transaction, committed as it is given, in
 * WAL mode with synchronous=FULL, so a power cut loses nothing that was shown
 * as answered. Rows are only ever added: a changed answer is a new row with a
 * higher seq, never an update, so nothing anyone said is lost. The schema is
 * created and migrated by store_open (PRAGMA user_version).
 *
 * The tables (schema version 2; docs/export.md says how exports show them):
 *   meta(key, value)                    the kiosk id
 *   flows(hash, id, version, source)    each flow file once, as it was used
 *   sessions(id, kiosk_id, flow_*, started_at, ended_at, status, language,
 *            presentation, event, exported_at)
 *   answers(session_id, seq, question_id, question_index, question_text,
 *           kind, given_at, time_taken_ms, input_method)   one per answer given
 *   answer_choices(session_id, seq, position, answer_id, answer_label,
 *           sort_column, sort_column_label)
 *           one row per picture chosen in that answer, position 0, 1, ... in
 *           the order given; none for a skip or a decline. A sort answer has
 *           one row per picture of the mat, in mat order (column by column,
 *           each in the order placed, then those left off it), with its
 *           column (NULL for other questions; version 5).
 *   answers.typed_text (version 5)      a typed answer's words, else NULL
 *   answer_drawings(session_id, seq, png)   a drawing answer's picture (version 5)
 * Version 1 kept the chosen answers of a row joined in two strings
 * (answer_ids "sport art", answer_labels "Sport | Art"), which a label
 * holding " | " or a long list broke; migrating to 2 splits them into
 * answer_choices (store_schema.c says how, and what it does when the labels
 * do not split cleanly) and drops the two columns.
 *
 * A store handle belongs to one thread at a time. The kiosk never writes from
 * its frame path: it hands records to a store_writer (store_writer.h), whose
 * thread owns its own handle.
 */
#ifndef TELLUS_STORE_H
#define TELLUS_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "base/error.h"

#define STORE_SCHEMA_VERSION 6
/* The column a sort answer's picture has when it was left off the mat. */
#define STORE_UNSORTED "unsorted"

typedef struct store store;

typedef struct store_options {
	const char *vfs;      /* SQLite VFS name, NULL for the default (tests slow fsync with it) */
	bool read_only;
} store_options;

/*
 * Errors: every fallible call returns 0, or -1 having filled err (NULL
 * allowed) with plain words. A SQLite failure is TL_E_DB, or TL_E_BUSY when
 * another handle holds the lock (worth retrying), with SQLite's primary
 * result code (SQLITE_CONSTRAINT, SQLITE_BUSY, ...) in err->sys. A file that
 * is not ours, or is newer, is TL_E_REFUSED.
 */

/*
 * Opens (creating if needed, with its parent folders) and migrates the
 * database at path. Returns 0 and *out (caller frees with store_close), or
 * -1 with the reason in err.
 */
int store_open(const char *path, const store_options *opt, store **out,
               tl_error *err);
void store_close(store *st);   /* accepts NULL */
int store_user_version(store *st);
/* This kiosk's id: from the meta table, made (random, "kiosk-xxxxxxxx") on
 * first open. Borrowed until store_close. */
const char *store_kiosk_id(store *st);
int store_set_kiosk_id(store *st, const char *id, tl_error *err);
/* The raw handle, for readers in export, report and tests. Borrowed. */
struct sqlite3 *store_db(store *st);

/* What the session machine hands over; strings are copied by the writer. */
typedef struct store_session {
	const char *id;             /* UUID */
	const char *kiosk_id;       /* NULL: the store's own */
	const char *flow_id;
	int flow_version;
	const char *flow_hash;
	const char *flow_source;    /* stored once per hash in the flows table; may be NULL */
	const char *language;
	const char *presentation;
	const char *event;          /* the event running when it began; NULL: none */
	int64_t started_wall_ms;
} store_session;

typedef struct store_answer {
	const char *session_id;
	int seq;
	const char *question_id;
	int question_index;
	const char *question_text;  /* prompt in the session's language, for exports */
	const char *kind;           /* chosen, skipped, declined */
	/* What was chosen, in order; 0 for a skip or a decline. Each is stored
	 * as its own answer_choices row, so an id or label may hold any text. */
	size_t n_choices;
	const char *const *choice_ids;     /* n_choices answer ids (slugs); none NULL */
	const char *const *choice_labels;  /* their labels as shown; NULL (or a NULL
	                                      element): "" */
	/* A sort: each picture's column id (STORE_UNSORTED when left off the
	 * mat) and that column's words; NULL for every other question. */
	const char *const *choice_columns;
	const char *const *choice_column_labels;
	/* A typed answer's text (NULL: none), and a drawing as PNG bytes
	 * (NULL / 0: none), kept in answer_drawings. */
	const char *typed_text;
	const void *drawing_png;
	size_t drawing_len;
	int64_t given_wall_ms;
	int64_t time_taken_ms;
	const char *input_method;   /* touch, mouse, keyboard, switch, dwell */
} store_answer;

/* Each is one transaction: store_add_answer commits the answer and all its
 * choices together or not at all. 0 on success, -1 with err filled. */
int store_begin_session(store *st, const store_session *s, tl_error *err);
int store_add_answer(store *st, const store_answer *a, tl_error *err);
int store_end_session(store *st, const char *session_id, const char *status,
                      int64_t ended_wall_ms, tl_error *err);

/* At start-up, before this kiosk begins a session: every session of this
 * store's kiosk still in_progress was left so by an earlier run that
 * stopped without closing it (a crash, a kill, a power cut). Each is ended
 * now as interrupted, its ended_at the time of its last answer (its start
 * when it has none), all in one transaction. Sessions of other kiosks (a
 * merged database) are left alone. *closed (may be NULL) says how many.
 * 0, or -1 with err filled. */
int store_close_interrupted(store *st, int64_t *closed, tl_error *err);

/* Counts, for tests and the staff screen. -1 on error. */
int64_t store_count_sessions(store *st, const char *status /* NULL: all */);
int64_t store_count_answers(store *st);

#endif
