/*
 * sealed: one file encrypted to the office's public key, in a stream, so a
 * kiosk can seal a million answers a megabyte at a time and never hold a
 * key that opens them again (docs/export.md, "Sealed exports").
 *
 * A sealed file is a 128-byte header, then records:
 *   bytes   0..15   "TELLUS-SEALED-1\n"
 *          16..23   the office key id (office.pub's)
 *          24..103  crypto_box_seal(file key) to the office public key:
 *                   the random 32-byte key of this file alone
 *         104..127  the crypto_secretstream_xchacha20poly1305 header
 *   then records of crypto_secretstream_xchacha20poly1305_push with that
 *   key, no additional data: each holds SEALED_CHUNK bytes of the plain
 *   file (SEALED_CHUNK + 17 on disk) but the last, which holds what is
 *   left (0 to SEALED_CHUNK bytes) and is tagged TAG_FINAL. Anything after
 *   the final record, or no final record, means the file was cut or added
 *   to, and it is refused.
 *
 * Promises: opening authenticates every byte (a changed, dropped, swapped
 * or added record is refused); a file sealed to another office key is
 * named as such rather than reported as damaged.
 */
#ifndef TELLUS_SEALED_H
#define TELLUS_SEALED_H

#include <stdbool.h>
#include <stddef.h>
#include <sodium.h>
#include "base/error.h"
#include "keys/office_key.h"

#define SEALED_MAGIC "TELLUS-SEALED-1\n"
#define SEALED_MAGIC_LEN 16
#define SEALED_HEADER 128
#define SEALED_CHUNK 65536
#define SEALED_ABYTES crypto_secretstream_xchacha20poly1305_ABYTES
#define SEALED_SUFFIX ".sealed"

typedef struct sealer {
	crypto_secretstream_xchacha20poly1305_state st;
} sealer;

/* A new file key sealed to pub; header gets the file's first 128 bytes.
 * 0, or -1 with err. */
int sealer_begin(sealer *s, const office_key *pub, unsigned char header[SEALED_HEADER],
                 tl_error *err);
/* One record of n <= SEALED_CHUNK plain bytes into out (n + SEALED_ABYTES
 * bytes); final for the last one. */
void sealer_push(sealer *s, const unsigned char *in, size_t n, bool final, unsigned char *out);
/* Forgets the stream's key. */
void sealer_wipe(sealer *s);

/* True when data starts like a sealed file. */
bool sealed_is(const void *data, size_t len);

/* Opens a whole sealed file held in memory with the office's secret key:
 * *out (caller frees; NUL-terminated beyond *out_len) is the plain file.
 * 0, or -1 with err: TL_E_REFUSED for another office's key, TL_E_FORMAT
 * for a file damaged, cut short or not sealed. what names the file in
 * messages. */
int sealed_open(const office_key *sec, const char *what, const void *data, size_t len,
                char **out, size_t *out_len, tl_error *err);

/* The office key id a sealed file names (out: OFFICE_ID_TEXT), or "" when
 * data is not a sealed file. */
void sealed_key_id(const void *data, size_t len, char out[OFFICE_ID_TEXT]);

#endif
