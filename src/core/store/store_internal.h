/*
 * store_internal: what the store's own files share and nobody else sees.
 *
 * store.c opens and closes the handle; store_schema.c makes and migrates the
 * schema; store_write.c holds the prepared inserts. Other folders reach the
 * database only through store.h (and store_db for readers).
 */
#ifndef TELLUS_STORE_INTERNAL_H
#define TELLUS_STORE_INTERNAL_H

#include <stdbool.h>
#include <sqlite3.h>

#include "base/error.h"
#include "store/store.h"

struct store {
	sqlite3 *db;
	bool read_only;
	char kiosk_id[64];
	/* The hot inserts, prepared once by store_write_prepare: the kiosk
	 * commits one record per answer. */
	sqlite3_stmt *ins_flow;
	sqlite3_stmt *ins_session;
	sqlite3_stmt *ins_answer;
	sqlite3_stmt *ins_choice;
	sqlite3_stmt *ins_drawing;
	sqlite3_stmt *end_session;
	sqlite3_stmt *session_status;
};

/* store.c */
/* Runs a one-integer query (a PRAGMA, a count). An SQLite result code. */
int store_pragma_int(sqlite3 *db, const char *sql, int *out);
/* SQLite's reason for rc in err, taken before a ROLLBACK or reset can
 * replace it: TL_E_BUSY for busy or locked, else TL_E_DB; sys is the
 * primary result code. Returns -1. */
int store_fail_db(sqlite3 *db, int rc, tl_error *err);

/* store_schema.c */
/* Brings the database at path (open for writing) to STORE_SCHEMA_VERSION,
 * one transaction per step. 0, or -1 with err filled. */
int store_schema_migrate(sqlite3 *db, const char *path, tl_error *err);

/* store_write.c */
/* Prepares the inserts (an SQLite result code); finalize accepts a store
 * whose statements were never prepared. */
int store_write_prepare(store *st);
void store_write_finalize(store *st);

#endif
