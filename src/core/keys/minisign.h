/*
 * minisign: Ed25519 keys and signatures in minisign's own file formats, so
 * that `minisign -Vm FILE -p kiosk.pub` checks what Tellus signed with no
 * Tellus installed (https://jedisct1.github.io/minisign/). Everything is
 * libsodium: crypto_sign_*, BLAKE2b (crypto_generichash), base64.
 *
 * The formats (minisign 0.11):
 * - public key file: "untrusted comment: ...\n" then base64 of
 *   "Ed" | key id (8 bytes) | public key (32 bytes), and "\n";
 * - secret key file, unencrypted (as `minisign -G -W` writes it):
 *   "untrusted comment: ...\n" then base64 of "Ed" | kdf "\0\0" | "B2" |
 *   salt (32) | opslimit (8) | memlimit (8) | key id (8) | secret key (64) |
 *   checksum (32: BLAKE2b-256 of "Ed" | key id | secret key);
 * - signature file: "untrusted comment: ...\n", base64 of "ED" | key id |
 *   Ed25519 signature of BLAKE2b-512(file), "\n", "trusted comment: TEXT\n",
 *   base64 of the Ed25519 signature of (that signature | TEXT), "\n".
 *   The trusted comment is signed too; the untrusted one is not.
 *
 * Promises: parsing reads only what it is given (no file access); every
 * parse checks the algorithm bytes, the lengths and (for a secret key) the
 * checksum, and says what is wrong in plain words.
 */
#ifndef TELLUS_MINISIGN_H
#define TELLUS_MINISIGN_H

#include <stddef.h>
#include <stdint.h>
#include "base/error.h"

#define MINISIGN_KEYNUM 8
#define MINISIGN_PK 32
#define MINISIGN_SK 64
#define MINISIGN_SIG 64
/* 16 upper-case hex digits and a NUL: the key id minisign prints */
#define MINISIGN_ID_TEXT 17
/* base64 of the 42-byte public key: 56 characters and a NUL */
#define MINISIGN_PK_TEXT 57
/* the longest trusted comment written or read */
#define MINISIGN_COMMENT_MAX 512

typedef struct minisign_pub {
	unsigned char keynum[MINISIGN_KEYNUM];
	unsigned char pk[MINISIGN_PK];
} minisign_pub;

typedef struct minisign_key {
	minisign_pub pub;
	unsigned char sk[MINISIGN_SK];
} minisign_key;

/* A fresh key pair (random key id). 0, or -1 with err. */
int minisign_generate(minisign_key *k, tl_error *err);
/* Wipes k's secret part. */
void minisign_key_wipe(minisign_key *k);

/* The key id as minisign prints it (out: MINISIGN_ID_TEXT bytes). */
void minisign_key_id(const minisign_pub *p, char out[MINISIGN_ID_TEXT]);
/* The public key's base64 line, the one a person compares (out:
 * MINISIGN_PK_TEXT bytes). */
void minisign_pub_text(const minisign_pub *p, char out[MINISIGN_PK_TEXT]);

/* The files' text. Caller frees with free(); NULL when memory ran out. */
char *minisign_pub_file(const minisign_pub *p);
char *minisign_secret_file(const minisign_key *k);

/* Parses a public key: either a whole public key file or just its base64
 * line (len bytes, need not be NUL-terminated). 0, or -1 with err. */
int minisign_pub_parse(const char *text, size_t len, minisign_pub *out, tl_error *err);
/* Parses an unencrypted secret key file. 0, or -1 with err. */
int minisign_secret_parse(const char *text, size_t len, minisign_key *out, tl_error *err);

/* The signature file for msg, with trusted comment tc (one line, at most
 * MINISIGN_COMMENT_MAX bytes). Caller frees with free(). 0, or -1 with err. */
int minisign_sign(const minisign_key *k, const void *msg, size_t len, const char *tc,
                  char **sig_file, tl_error *err);

/* Checks signature file sig (sig_len bytes) over msg with key p: the key id
 * must be p's, the signature and the signed trusted comment must hold.
 * On success the trusted comment is copied into tc (MINISIGN_COMMENT_MAX + 1
 * bytes). 0, or -1 with err (TL_E_REFUSED when it does not hold,
 * TL_E_FORMAT when it is not a signature file). */
int minisign_verify(const minisign_pub *p, const void *msg, size_t len, const char *sig,
                    size_t sig_len, char tc[MINISIGN_COMMENT_MAX + 1], tl_error *err);

#endif
