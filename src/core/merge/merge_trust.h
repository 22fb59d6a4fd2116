/*
 * merge_trust (inside merge): whose export is this, and may it come in?
 *
 * - Signature: SHA256SUMS.minisig must be a good minisign signature of the
 *   export's SHA256SUMS by the key in its kiosk.pub, naming the kiosk in its
 *   trusted comment (export/export_sign.h); an export without one, or
 *   whose sums were edited and summed again, is refused.
 * - Trust list (--trust FILE): when given, only the kiosk keys listed in
 *   it may merge.
 * - Memory (in the master database, tables kiosk_keys and session_keys):
 *   the first export of a kiosk id fixes that id's key (the caller prints
 *   it); an export of that id signed by any other key is refused. Every
 *   session added remembers the key that brought it, and an export that
 *   holds a session id already brought by another key is refused, so a
 *   forged export that claims real session ids first cannot make the
 *   genuine ones vanish as "already there".
 *
 * Promises: nothing here writes outside the caller's transaction; every
 * refusal says what to do in plain words.
 */
#ifndef TELLUS_MERGE_TRUST_H
#define TELLUS_MERGE_TRUST_H

#include <stdbool.h>
#include <stddef.h>
#include <sqlite3.h>
#include "base/error.h"
#include "export/export_sign.h"
#include "keys/minisign.h"
#include "keys/office_key.h"

struct json_t;

typedef struct merge_signer {
	char kiosk_id[EXPORT_SIGN_KIOSK_MAX];   /* from the signed trusted comment */
	minisign_pub pub;
	char key[MINISIGN_PK_TEXT];             /* the public key's base64 line */
	char key_id[MINISIGN_ID_TEXT];
} merge_signer;

/* What a merge is given to open and to trust; caller storage. */
typedef struct merge_keys {
	office_key office;           /* opens sealed exports, when has_office */
	bool has_office;
	minisign_pub *trusted;       /* owned; with restrict_trust, the keys allowed */
	size_t n_trusted;
	bool restrict_trust;
	char trust_path[512];        /* for messages */
} merge_keys;

/* Loads office.key (NULL: none) and the trust file (NULL: any key; one
 * kiosk.pub after another, or their base64 lines, "#" comments). 0, or -1
 * with err. Finish with merge_keys_finish even after a failure. */
int merge_keys_load(merge_keys *k, const char *office_key_path, const char *trust_path,
                    tl_error *err);
void merge_keys_finish(merge_keys *k);

/* Checks the export's signature of sums (SHA256SUMS's bytes) and the trust
 * list; kiosk.pub and SHA256SUMS.minisig are read beneath the export's
 * folder handle dirfd as merge reads every file (merge_verify_read). keys
 * may be NULL. 0 with *out filled, or -1 with err. */
int merge_trust_signature(int dirfd, const merge_keys *keys, const char *sums,
                          size_t sums_len, merge_signer *out, tl_error *err);

/* Inside the merge's transaction: export.json's kiosk_id must be the
 * signed one, and that id's remembered key this one (remembered now if it
 * is the first: *first true). 0, or -1 with err. */
int merge_trust_kiosk(sqlite3 *db, const merge_signer *s, const struct json_t *root,
                      bool *first, tl_error *err);

/* A session the export holds: added (remember its key), or already there
 * (refused when another key brought it). 0, or -1 with err. */
int merge_trust_session(sqlite3 *db, const merge_signer *s, const char *session_id, bool added,
                        tl_error *err);

#endif
