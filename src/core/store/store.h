/*
 * store: the kiosk's SQLite database.
 *
 * Policy: every answer is its own transaction, committed as it is given, in
 * WAL mode with synchronous=FULL, so a power cut loses nothing that was shown
 * as answered. Rows are only ever added: a changed answer is a new row with a
 * higher seq, never an update, so nothing anyone said is lost. The schema is
 * created and migrated by store_open (PRAGMA user_version).
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

#define STORE_SCHEMA_VERSION 1

typedef struct store store;

typedef struct store_options {
	const char *vfs;      /* SQLite VFS name, NULL for the default (tests slow fsync with it) */
	bool read_only;
} store_options;

/*
 * Opens (creating if needed, with its parent folders) and migrates the
 * database at path. Returns 0 and *out (caller frees with store_close), or
 * -1 with a plain-words reason in err.
 */
int store_open(const char *path, const store_options *opt, store **out,
               char *err, size_t errlen);
void store_close(store *st);   /* accepts NULL */
int store_user_version(store *st);
/* This kiosk's id: from the meta table, made (random, "kiosk-xxxxxxxx") on
 * first open. Borrowed until store_close. */
const char *store_kiosk_id(store *st);
int store_set_kiosk_id(store *st, const char *id);
/* The last SQLite error message, borrowed. */
const char *store_errmsg(store *st);
/* The SQLite primary result code of the last failed call (SQLITE_BUSY, ...),
 * 0 after a success; the writer retries on SQLITE_BUSY. */
int store_errcode(store *st);
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
	int64_t started_wall_ms;
} store_session;

typedef struct store_answer {
	const char *session_id;
	int seq;
	const char *question_id;
	int question_index;
	const char *question_text;  /* prompt in the session's language, for exports */
	const char *kind;           /* chosen, skipped, declined */
	const char *answer_ids;     /* chosen ids separated by single spaces; "" otherwise */
	const char *answer_labels;  /* their labels separated by " | "; "" otherwise */
	int64_t given_wall_ms;
	int64_t time_taken_ms;
	const char *input_method;   /* touch, mouse, keyboard, switch, dwell */
} store_answer;

/* Each is one transaction. 0 on success, -1 with store_errmsg. */
int store_begin_session(store *st, const store_session *s);
int store_add_answer(store *st, const store_answer *a);
int store_end_session(store *st, const char *session_id, const char *status,
                      int64_t ended_wall_ms);

/* Counts, for tests and the staff screen. -1 on error. */
int64_t store_count_sessions(store *st, const char *status /* NULL: all */);
int64_t store_count_answers(store *st);

#endif
