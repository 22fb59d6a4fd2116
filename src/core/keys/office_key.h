/*
 * office_key: the office's key pair for sealed exports (X25519, libsodium's
 * crypto_box). `tellus keys new --out DIR` makes DIR/office.pub, copied
 * onto the kiosks (setting office_key), and DIR/office.key, which stays in
 * the office (mode 0600) and alone opens what the kiosks sealed.
 *
 * The files (docs/export.md, "Sealed exports"): a comment line, then one
 * line of base64:
 * - office.pub: "untrusted comment: tellus office public key ID\n" and
 *   base64("TB" | key id (8 bytes) | public key (32));
 * - office.key: "untrusted comment: tellus office secret key ID ...\n" and
 *   base64("TB" | key id (8) | secret key (32) | public key (32)).
 * ID is the key id as 16 upper-case hex digits, in the order stored.
 */
#ifndef TELLUS_OFFICE_KEY_H
#define TELLUS_OFFICE_KEY_H

#include <stdbool.h>
#include "base/error.h"

#define OFFICE_KEYID 8
#define OFFICE_PK 32
#define OFFICE_SK 32
#define OFFICE_ID_TEXT 17

typedef struct office_key {
	unsigned char keyid[OFFICE_KEYID];
	unsigned char pk[OFFICE_PK];
	unsigned char sk[OFFICE_SK];
	bool has_secret;
} office_key;

/* A fresh pair. 0, or -1 with err. */
int office_key_generate(office_key *k, tl_error *err);
void office_key_wipe(office_key *k);
void office_key_id(const office_key *k, char out[OFFICE_ID_TEXT]);

/* Writes DIR/office.pub (0644) and DIR/office.key (0600) for a new pair;
 * refuses to overwrite either. 0, or -1 with err. */
int office_key_write_new(const char *dir, office_key *made, tl_error *err);

/* Reads a public key (office.pub) or a secret one (office.key; also fills
 * pk and checks it belongs to sk). 0, or -1 with err naming the file. */
int office_key_load_public(const char *path, office_key *k, tl_error *err);
int office_key_load_secret(const char *path, office_key *k, tl_error *err);

#endif
