/*
 * kiosk_key: each kiosk's own Ed25519 signing key, made on its first start
 * and kept beside its database as DB-kiosk.key (minisign's unencrypted
 * secret key format, mode 0600: only the kiosk's user can read it). Every
 * export is signed with it (export_sign.c) and carries its public half as
 * kiosk.pub, so merge can tell one kiosk's exports from another's.
 *
 * Promises: a key is made once and never replaced (two processes starting
 * at once end up with the same one: it is linked into place only if no key
 * is there yet); a key file someone made readable by others is put back to
 * 0600; a damaged key file is an error, never silently replaced (that would
 * make this kiosk look like an impostor to every merge).
 */
#ifndef TELLUS_KIOSK_KEY_H
#define TELLUS_KIOSK_KEY_H

#include <stdbool.h>
#include "base/error.h"
#include "keys/minisign.h"

/* db_path + "-kiosk.key". Caller frees with free(); NULL out of memory. */
char *kiosk_key_path(const char *db_path);

/* Loads the key beside db_path, making it first when there is none and
 * create is true (*made then true). 0, or -1 with err (TL_E_IO, TL_E_FORMAT
 * for a damaged file). The caller wipes k with minisign_key_wipe. */
int kiosk_key_load(const char *db_path, bool create, minisign_key *k, bool *made,
                   tl_error *err);

#endif
