/*
 * sha256: OpenSSL's EVP SHA-256. It replaced a hand-written SHA-NI
 * implementation (x86 only, with a CPU-detection race) in export.c.
 * tl_sha256_hex is libsodium's (see sha256.h).
 */
#include "base/sha256.h"

#include <string.h>
#include <openssl/evp.h>
#include <sodium.h>

void
tl_sha256_init(tl_sha256 *s)
{
	s->ctx = EVP_MD_CTX_new();
	s->failed = !s->ctx || EVP_DigestInit_ex(s->ctx, EVP_sha256(), NULL) != 1;
}

void
tl_sha256_update(tl_sha256 *s, const void *data, size_t len)
{
	if (!s->failed && len && EVP_DigestUpdate(s->ctx, data, len) != 1)
		s->failed = true;
}

int
tl_sha256_final(tl_sha256 *s, unsigned char out[TL_SHA256_BYTES])
{
	unsigned int n = 0;
	int rc = !s->failed && EVP_DigestFinal_ex(s->ctx, out, &n) == 1 &&
	         n == TL_SHA256_BYTES ? 0 : -1;
	if (rc)
		memset(out, 0, TL_SHA256_BYTES);
	tl_sha256_finish(s);
	return rc;
}

void
tl_sha256_finish(tl_sha256 *s)
{
	EVP_MD_CTX_free(s->ctx);
	s->ctx = NULL;
	s->failed = true;
}

int
tl_sha256_buf(const void *data, size_t len, unsigned char out[TL_SHA256_BYTES])
{
	unsigned int n = 0;
	if (EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) != 1 || n != TL_SHA256_BYTES) {
		memset(out, 0, TL_SHA256_BYTES);
		return -1;
	}
	return 0;
}

int
tl_sha256_hex(const void *data, size_t len, char out[TL_SHA256_HEX])
{
	unsigned char d[TL_SHA256_BYTES];
	if (sodium_init() < 0 || crypto_hash_sha256(d, data, len) != 0) {
		out[0] = '\0';
		return -1;
	}
	tl_hex(d, sizeof d, out, TL_SHA256_HEX);
	return 0;
}

void
tl_hex(const unsigned char *bin, size_t n, char *out, size_t outlen)
{
	if (outlen < 2 * n + 1) {
		if (outlen)
			out[0] = '\0';
		return;
	}
	sodium_bin2hex(out, outlen, bin, n);
}
