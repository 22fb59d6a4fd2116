/*
 * kiosk_setup: see kiosk_setup.h. Each value is one meta row; a change is
 * one transaction, so an event and the settings' note of it change
 * together or not at all.
 */
#include "kiosk/kiosk_setup.h"
#include "base/utf8.h"
#include "pin/pin.h"
#include "store/store_meta.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

bool
kiosk_event_valid(const char *s)
{
	if (!s)
		return false;
	size_t n = strlen(s);
	if (n == 0 || n >= KIOSK_EVENT_MAX || s[0] == ' ' || s[n - 1] == ' ')
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return tl_utf8_bad_at((const unsigned char *)s, n, 0) >= n;
}

/* What a failed read of the set-up says first. */
#define READING "could not read the kiosk's set-up"

/* Up to three rows in one transaction; a NULL key is skipped. */
static int
meta_put_tx(store *st, const char *k1, const char *v1, const char *k2, const char *v2,
            tl_error *err)
{
	sqlite3 *db = store_db(st);
	if (!db)
		return tl_err(err, TL_E_INVALID, "no answers database");
	int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc == SQLITE_OK && k1)
		rc = store_meta_set(db, k1, v1);
	if (rc == SQLITE_OK && k2)
		rc = store_meta_set(db, k2, v2);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		return 0;
	store_meta_error(db, "could not save the kiosk's set-up", err);
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

int
kiosk_setup_read(store *st, kiosk_setup *out, tl_error *err)
{
	memset(out, 0, sizeof *out);
	sqlite3 *db = store_db(st);
	if (!db)
		return tl_err(err, TL_E_INVALID, "no answers database");
	int set = pin_is_set(st, err);
	if (set < 0)
		return -1;
	out->pin_set = set == 1;
	out->n_sessions = store_count_sessions(st, NULL);
	if (out->n_sessions < 0)
		return store_meta_error(db, "could not count the sessions", err);
	out->is_new = !out->pin_set && out->n_sessions == 0;
	snprintf(out->kiosk_id, sizeof out->kiosk_id, "%s", store_kiosk_id(st));
	return store_meta_get(db, "event", out->event, sizeof out->event, READING, err) < 0 ? -1 : 0;
}

static int
hidden_key(char *buf, size_t len, const char *flow_id, tl_error *err)
{
	if (!flow_id || !*flow_id || (size_t)snprintf(buf, len, "flow_hidden:%s", flow_id) >= len)
		return tl_err(err, TL_E_INVALID, "a flow id of 1 to 63 characters is needed");
	return 0;
}

int
kiosk_setup_offered(store *st, const char *flow_id, tl_error *err)
{
	char key[80], v[8];
	if (hidden_key(key, sizeof key, flow_id, err) < 0)
		return -1;
	if (!store_db(st))
		return tl_err(err, TL_E_INVALID, "no answers database");
	int r = store_meta_get(store_db(st), key, v, sizeof v, READING, err);
	return r < 0 ? -1 : !(r == 1 && strcmp(v, "1") == 0);
}

int
kiosk_setup_set_offered(store *st, const char *flow_id, bool offered, tl_error *err)
{
	char key[80];
	if (hidden_key(key, sizeof key, flow_id, err) < 0)
		return -1;
	return meta_put_tx(st, key, offered ? NULL : "1", NULL, NULL, err);
}

int
kiosk_setup_set_event(store *st, const char *name, tl_error *err)
{
	if (name && *name && !kiosk_event_valid(name))
		return tl_err(err, TL_E_INVALID, "an event's name is 1 to %d letters, digits or spaces",
		              KIOSK_EVENT_MAX - 1);
	return meta_put_tx(st, "event", name && *name ? name : NULL, NULL, NULL, err);
}

int
kiosk_setup_apply_settings(store *st, const char *kiosk_id, const char *event, tl_error *err)
{
	if (kiosk_id && *kiosk_id && strcmp(kiosk_id, store_kiosk_id(st)) != 0 &&
	    store_set_kiosk_id(st, kiosk_id, err) < 0)
		return -1;
	if (!event || !*event)
		return 0;
	if (!kiosk_event_valid(event))
		return tl_err(err, TL_E_INVALID, "the event '%s' in the settings is not a usable name", event);
	char last[KIOSK_EVENT_MAX];
	int r = store_meta_get(store_db(st), "event_from_settings", last, sizeof last, READING,
	                       err);
	if (r < 0)
		return -1;
	if (r == 1 && strcmp(last, event) == 0)
		return 0;
	return meta_put_tx(st, "event", event, "event_from_settings", event, err);
}
