/*
 * store_meta: one row of the database's meta table (key, value), for the
 * modules that keep a setting in the kiosk's own database (the PIN and its
 * lock, the kiosk's set-up). Both work on the caller's connection, inside
 * whatever transaction the caller holds.
 */
#ifndef TELLUS_STORE_META_H
#define TELLUS_STORE_META_H

#include <stddef.h>
#include <sqlite3.h>
#include "base/error.h"

/* Reads key's value into buf (cut to len: every value kept there is
 * shorter); 1 found, 0 missing (buf ""), -1 with err filled as
 * "WHAT: the database's words" (TL_E_BUSY when the database is busy or
 * locked, else TL_E_DB). */
int store_meta_get(sqlite3 *db, const char *key, char *buf, size_t len, const char *what,
                   tl_error *err);
/* Sets key to value; value NULL deletes the row. SQLITE_OK, or another
 * SQLite result code, the database's words left for the caller
 * (store_meta_error). */
int store_meta_set(sqlite3 *db, const char *key, const char *value);
/* Fills err from the database's last error as "WHAT: its words", with
 * store_meta_get's codes (busy said apart: trying again later may work);
 * returns -1. Call it before any ROLLBACK, which resets those words. */
int store_meta_error(sqlite3 *db, const char *what, tl_error *err);

#endif
