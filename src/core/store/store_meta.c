/*
 * store_meta: see store_meta.h. The PIN (pin.c) and the kiosk's set-up
 * (kiosk_setup.c) each had their own copy of these.
 */
#include "store/store_meta.h"

#include <stdio.h>

int
store_meta_error(sqlite3 *db, const char *what, tl_error *err)
{
	int rc = sqlite3_extended_errcode(db);
	int prim = rc & 0xff;
	return tl_err_sys(err, prim == SQLITE_BUSY || prim == SQLITE_LOCKED ? TL_E_BUSY : TL_E_DB,
	                  rc, "%s: %s", what, sqlite3_errmsg(db));
}

int
store_meta_get(sqlite3 *db, const char *key, char *buf, size_t len, const char *what,
               tl_error *err)
{
	sqlite3_stmt *s = NULL;
	int found = -1;
	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC) == SQLITE_OK) {
		int rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			const char *v = (const char *)sqlite3_column_text(s, 0);
			snprintf(buf, len, "%s", v ? v : "");
			found = 1;
		} else if (rc == SQLITE_DONE) {
			buf[0] = '\0';
			found = 0;
		}
	}
	if (found < 0)
		store_meta_error(db, what, err);
	sqlite3_finalize(s);
	return found;
}

int
store_meta_set(sqlite3 *db, const char *key, const char *value)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db, value ? "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)"
	                                      : "DELETE FROM meta WHERE key = ?1", -1, &s, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK && value)
		rc = sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
	sqlite3_finalize(s);
	return rc;
}
