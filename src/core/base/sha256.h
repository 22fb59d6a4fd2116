/*
 * sha256: SHA-256 through OpenSSL 3's EVP interface, which uses the CPU's
 * SHA instructions on x86 and ARM where they exist, and hex through
 * libsodium. The one place the core hashes.
 */
#ifndef TELLUS_SHA256_H
#define TELLUS_SHA256_H

#include <stdbool.h>
#include <stddef.h>

#define TL_SHA256_BYTES 32
#define TL_SHA256_HEX 65   /* 64 lower-case hex digits and a NUL */

/* A running hash in caller storage. init may fail (out of memory): then
 * update does nothing and final returns -1. finish frees what init took
 * and is safe after final, after a failed init, and twice. */
typedef struct tl_sha256 {
	struct evp_md_ctx_st *ctx;
	bool failed;
} tl_sha256;

void tl_sha256_init(tl_sha256 *s);
void tl_sha256_update(tl_sha256 *s, const void *data, size_t len);
/* 0 with out filled, or -1 (init or OpenSSL failed). Frees the state. */
int tl_sha256_final(tl_sha256 *s, unsigned char out[TL_SHA256_BYTES]);
void tl_sha256_finish(tl_sha256 *s);

/* One buffer at once: 0, or -1 (out of memory). */
int tl_sha256_buf(const void *data, size_t len, unsigned char out[TL_SHA256_BYTES]);
/* SHA-256 of a buffer as hex; 0, or -1 (libsodium failed to start; out is
 * then "").
 * Through libsodium, not OpenSSL: it hashes the small files read at start
 * (flows, cards), and OpenSSL's first digest costs about 5 million
 * instructions of start-up (its config file, its provider, the fetch),
 * some ten times the hashing of three flows. */
int tl_sha256_hex(const void *data, size_t len, char out[TL_SHA256_HEX]);

/* n bytes as 2n lower-case hex digits and a NUL into out (outlen >= 2n+1;
 * libsodium's sodium_bin2hex, constant time). */
void tl_hex(const unsigned char *bin, size_t n, char *out, size_t outlen);

#endif
