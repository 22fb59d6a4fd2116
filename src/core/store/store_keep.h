/*
 * store_keep: the kiosk keeps only what it needs. Sessions that went out in
 * an export (exported_at is set only once the export was written, read back
 * and checked on the stick) are deleted keep_days after that; sessions
 * never exported are never deleted, however old. Deleting is done with
 * SQLite's secure_delete on (the freed bytes are overwritten with zeros),
 * then the space is given back (VACUUM) and the WAL checkpointed and
 * truncated, so the answers do not linger in the file.
 *
 * Also what the staff menu says the kiosk holds, and "Clear this kiosk"
 * once everything is exported. Deleting sessions first closes the PIN
 * set-up for good (pin.h): an emptied database is not a new one.
 *
 * Time is passed in (wall ms). Each call opens no thread; the caller's
 * store handle is used (one thread at a time, store.h). Errors: TL_E_DB
 * (sys: SQLite's code), TL_E_REFUSED for a clear with sessions not yet
 * exported; nothing is deleted by a call that fails.
 */
#ifndef TELLUS_STORE_KEEP_H
#define TELLUS_STORE_KEEP_H

#include <stdint.h>
#include "base/error.h"
#include "store/store.h"

#define STORE_KEEP_DAYS_DEFAULT 30

/* What the kiosk holds now. */
typedef struct store_holdings {
	int64_t sessions;          /* every session still in the database */
	int64_t not_exported;      /* of them, never exported (in progress ones too) */
	char oldest_started[32];   /* the oldest session's start (ISO 8601 UTC), "" when none */
} store_holdings;

/* Deletes every session exported more than keep_days before now_wall_ms,
 * with its answers; *deleted (may be NULL) says how many. 0, or -1 with err
 * filled. */
int store_keep_apply(store *st, int keep_days, int64_t now_wall_ms, int64_t *deleted,
                     tl_error *err);
int store_keep_holdings(store *st, store_holdings *out, tl_error *err);
/* Deletes every session, only if every one has been exported (else
 * TL_E_REFUSED, nothing deleted). *deleted may be NULL. */
int store_keep_clear(store *st, int64_t *deleted, tl_error *err);

#endif
