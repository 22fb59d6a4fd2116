/*
 * minisign: see minisign.h. The byte layouts are minisign's (src/minisign.h
 * in jedisct1/minisign): little-endian key ids, BLAKE2b for the prehash
 * ("ED") and the secret key's checksum.
 */
#include "keys/minisign.h"
#include "base/util.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COMMENT "untrusted comment: "
#define TRUSTED "trusted comment: "

/* secret key: alg, kdf alg, chk alg, salt, opslimit, memlimit, keynum, sk, chk */
#define SK_BYTES (2 + 2 + 2 + 32 + 8 + 8 + MINISIGN_KEYNUM + MINISIGN_SK + 32)
#define PK_BYTES (2 + MINISIGN_KEYNUM + MINISIGN_PK)
#define SIG_BYTES (2 + MINISIGN_KEYNUM + MINISIGN_SIG)

int
minisign_generate(minisign_key *k, tl_error *err)
{
	if (sodium_init() < 0)
		return tl_err(err, TL_E_IO, "could not start the signing library (libsodium)");
	randombytes_buf(k->pub.keynum, sizeof k->pub.keynum);
	crypto_sign_keypair(k->pub.pk, k->sk);
	return 0;
}

void
minisign_key_wipe(minisign_key *k)
{
	sodium_memzero(k->sk, sizeof k->sk);
}

void
minisign_key_id(const minisign_pub *p, char out[MINISIGN_ID_TEXT])
{
	/* minisign prints le64_load(keynum) with %016llX: the bytes reversed */
	static const char hex[] = "0123456789ABCDEF";
	for (int i = 0; i < MINISIGN_KEYNUM; i++) {
		unsigned char b = p->keynum[MINISIGN_KEYNUM - 1 - i];
		out[2 * i] = hex[b >> 4];
		out[2 * i + 1] = hex[b & 15];
	}
	out[2 * MINISIGN_KEYNUM] = '\0';
}

static void
b64(const unsigned char *bin, size_t n, char *out, size_t outlen)
{
	sodium_bin2base64(out, outlen, bin, n, sodium_base64_VARIANT_ORIGINAL);
}

void
minisign_pub_text(const minisign_pub *p, char out[MINISIGN_PK_TEXT])
{
	unsigned char raw[PK_BYTES];
	memcpy(raw, "Ed", 2);
	memcpy(raw + 2, p->keynum, MINISIGN_KEYNUM);
	memcpy(raw + 2 + MINISIGN_KEYNUM, p->pk, MINISIGN_PK);
	b64(raw, sizeof raw, out, MINISIGN_PK_TEXT);
}

char *
minisign_pub_file(const minisign_pub *p)
{
	char id[MINISIGN_ID_TEXT], line[MINISIGN_PK_TEXT];
	minisign_key_id(p, id);
	minisign_pub_text(p, line);
	return tl_asprintf(COMMENT "minisign public key %s\n%s\n", id, line);
}

/* BLAKE2b-256 of "Ed" | keynum | sk: the secret key file's checksum */
static void
secret_chk(const minisign_key *k, unsigned char out[32])
{
	crypto_generichash_state h;
	crypto_generichash_init(&h, NULL, 0, 32);
	crypto_generichash_update(&h, (const unsigned char *)"Ed", 2);
	crypto_generichash_update(&h, k->pub.keynum, MINISIGN_KEYNUM);
	crypto_generichash_update(&h, k->sk, MINISIGN_SK);
	crypto_generichash_final(&h, out, 32);
}

char *
minisign_secret_file(const minisign_key *k)
{
	unsigned char raw[SK_BYTES] = { 0 };
	unsigned char *p = raw;
	memcpy(p, "Ed", 2);
	p += 2;
	p += 2;                 /* kdf "\0\0": not encrypted (minisign -W) */
	memcpy(p, "B2", 2);
	p += 2;
	p += 32 + 8 + 8;        /* salt, opslimit, memlimit: unused without a kdf */
	memcpy(p, k->pub.keynum, MINISIGN_KEYNUM);
	p += MINISIGN_KEYNUM;
	memcpy(p, k->sk, MINISIGN_SK);
	p += MINISIGN_SK;
	secret_chk(k, p);
	char text[sodium_base64_ENCODED_LEN(SK_BYTES, sodium_base64_VARIANT_ORIGINAL)];
	b64(raw, sizeof raw, text, sizeof text);
	sodium_memzero(raw, sizeof raw);
	char *out = tl_asprintf(COMMENT "tellus kiosk secret key: keep it on this kiosk\n%s\n",
	                        text);
	sodium_memzero(text, sizeof text);
	return out;
}

/* ---- parsing -------------------------------------------------------------- */

typedef struct lines {
	const char *p[4];
	size_t n[4];
	int count;
} lines;

/* Up to four lines of text (a trailing "\r" dropped from each). */
static void
split(const char *text, size_t len, lines *l)
{
	memset(l, 0, sizeof *l);
	const char *p = text, *end = text + len;
	while (p < end && l->count < 4) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		size_t n = (size_t)(e - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		l->p[l->count] = p;
		l->n[l->count] = n;
		l->count++;
		p = nl ? nl + 1 : end;
	}
}

static bool
starts(const char *p, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);
	return n >= k && memcmp(p, prefix, k) == 0;
}

/* Exactly want bytes of base64 in p[0..n). */
static bool
unb64(const char *p, size_t n, unsigned char *out, size_t want)
{
	size_t got = 0;
	const char *end = NULL;
	if (sodium_base642bin(out, want, p, n, NULL, &got, &end,
	                      sodium_base64_VARIANT_ORIGINAL) != 0)
		return false;
	return got == want && end == p + n;
}

int
minisign_pub_parse(const char *text, size_t len, minisign_pub *out, tl_error *err)
{
	if (sodium_init() < 0)
		return tl_err(err, TL_E_IO, "could not start the signing library (libsodium)");
	lines l;
	split(text, len, &l);
	int i = l.count > 0 && starts(l.p[0], l.n[0], COMMENT) ? 1 : 0;
	unsigned char raw[PK_BYTES];
	if (i >= l.count || !unb64(l.p[i], l.n[i], raw, sizeof raw) || memcmp(raw, "Ed", 2) != 0)
		return tl_err(err, TL_E_FORMAT, "it is not a minisign public key");
	memcpy(out->keynum, raw + 2, MINISIGN_KEYNUM);
	memcpy(out->pk, raw + 2 + MINISIGN_KEYNUM, MINISIGN_PK);
	return 0;
}

int
minisign_secret_parse(const char *text, size_t len, minisign_key *out, tl_error *err)
{
	if (sodium_init() < 0)
		return tl_err(err, TL_E_IO, "could not start the signing library (libsodium)");
	lines l;
	split(text, len, &l);
	unsigned char raw[SK_BYTES];
	int rc = 0;
	if (l.count < 2 || !starts(l.p[0], l.n[0], COMMENT) ||
	    !unb64(l.p[1], l.n[1], raw, sizeof raw) || memcmp(raw, "Ed", 2) != 0 ||
	    memcmp(raw + 4, "B2", 2) != 0)
		rc = tl_err(err, TL_E_FORMAT, "it is not a minisign secret key");
	else if (raw[2] != 0 || raw[3] != 0)
		rc = tl_err(err, TL_E_FORMAT, "it is a minisign secret key with a password; "
		            "Tellus needs one without (minisign -G -W)");
	if (rc == 0) {
		const unsigned char *p = raw + 2 + 2 + 2 + 32 + 8 + 8;
		memcpy(out->pub.keynum, p, MINISIGN_KEYNUM);
		memcpy(out->sk, p + MINISIGN_KEYNUM, MINISIGN_SK);
		unsigned char chk[32];
		secret_chk(out, chk);
		if (sodium_memcmp(chk, p + MINISIGN_KEYNUM + MINISIGN_SK, 32) != 0)
			rc = tl_err(err, TL_E_FORMAT, "the secret key is damaged (its checksum does "
			            "not match)");
		/* an Ed25519 secret key holds its public key in its second half */
		memcpy(out->pub.pk, out->sk + 32, MINISIGN_PK);
	}
	sodium_memzero(raw, sizeof raw);
	if (rc != 0)
		minisign_key_wipe(out);
	return rc;
}

/* ---- signing and checking ------------------------------------------------- */

static void
prehash(const void *msg, size_t len, unsigned char out[crypto_generichash_BYTES_MAX])
{
	crypto_generichash(out, crypto_generichash_BYTES_MAX, msg, len, NULL, 0);
}

static bool
one_line(const char *s, size_t n)
{
	return n <= MINISIGN_COMMENT_MAX && !memchr(s, '\n', n) && !memchr(s, '\r', n) &&
	       !memchr(s, '\0', n);
}

int
minisign_sign(const minisign_key *k, const void *msg, size_t len, const char *tc,
              char **sig_file, tl_error *err)
{
	*sig_file = NULL;
	size_t tc_len = strlen(tc);
	if (!one_line(tc, tc_len))
		return tl_err(err, TL_E_INVALID, "a signature's trusted comment must be one short line");
	unsigned char h[crypto_generichash_BYTES_MAX];
	prehash(msg, len, h);
	unsigned char raw[SIG_BYTES];
	memcpy(raw, "ED", 2);
	memcpy(raw + 2, k->pub.keynum, MINISIGN_KEYNUM);
	unsigned char *sig = raw + 2 + MINISIGN_KEYNUM;
	crypto_sign_detached(sig, NULL, h, sizeof h, k->sk);
	/* the global signature: the signature, then the trusted comment */
	unsigned char *both = malloc(MINISIGN_SIG + tc_len);
	if (!both)
		return tl_err_nomem(err);
	memcpy(both, sig, MINISIGN_SIG);
	memcpy(both + MINISIGN_SIG, tc, tc_len);
	unsigned char global[MINISIGN_SIG];
	crypto_sign_detached(global, NULL, both, MINISIGN_SIG + tc_len, k->sk);
	free(both);
	char sig_text[sodium_base64_ENCODED_LEN(SIG_BYTES, sodium_base64_VARIANT_ORIGINAL)];
	char global_text[sodium_base64_ENCODED_LEN(MINISIGN_SIG, sodium_base64_VARIANT_ORIGINAL)];
	b64(raw, sizeof raw, sig_text, sizeof sig_text);
	b64(global, sizeof global, global_text, sizeof global_text);
	char id[MINISIGN_ID_TEXT];
	minisign_key_id(&k->pub, id);
	*sig_file = tl_asprintf(COMMENT "signature from tellus kiosk key %s\n%s\n" TRUSTED "%s\n%s\n",
	                        id, sig_text, tc, global_text);
	return *sig_file ? 0 : tl_err_nomem(err);
}

int
minisign_verify(const minisign_pub *p, const void *msg, size_t len, const char *sig,
                size_t sig_len, char tc[MINISIGN_COMMENT_MAX + 1], tl_error *err)
{
	tc[0] = '\0';
	if (sodium_init() < 0)
		return tl_err(err, TL_E_IO, "could not start the signing library (libsodium)");
	lines l;
	split(sig, sig_len, &l);
	unsigned char raw[SIG_BYTES], global[MINISIGN_SIG];
	size_t tk = strlen(TRUSTED);
	if (l.count < 4 || !starts(l.p[0], l.n[0], COMMENT) ||
	    !unb64(l.p[1], l.n[1], raw, sizeof raw) || !starts(l.p[2], l.n[2], TRUSTED) ||
	    !one_line(l.p[2] + tk, l.n[2] - tk) || !unb64(l.p[3], l.n[3], global, sizeof global))
		return tl_err(err, TL_E_FORMAT, "it is not a minisign signature");
	bool hashed = memcmp(raw, "ED", 2) == 0;
	if (!hashed && memcmp(raw, "Ed", 2) != 0)
		return tl_err(err, TL_E_FORMAT, "it is a signature of a kind Tellus does not know");
	if (memcmp(raw + 2, p->keynum, MINISIGN_KEYNUM) != 0)
		return tl_err(err, TL_E_REFUSED, "it was signed with another key than the one given");
	const unsigned char *s = raw + 2 + MINISIGN_KEYNUM;
	int bad;
	if (hashed) {
		unsigned char h[crypto_generichash_BYTES_MAX];
		prehash(msg, len, h);
		bad = crypto_sign_verify_detached(s, h, sizeof h, p->pk);
	} else {
		bad = crypto_sign_verify_detached(s, msg, len, p->pk);
	}
	if (bad)
		return tl_err(err, TL_E_REFUSED, "what was signed has been changed since");
	const char *t = l.p[2] + tk;
	size_t tn = l.n[2] - tk;
	unsigned char *both = malloc(MINISIGN_SIG + tn);
	if (!both)
		return tl_err_nomem(err);
	memcpy(both, s, MINISIGN_SIG);
	memcpy(both + MINISIGN_SIG, t, tn);
	bad = crypto_sign_verify_detached(global, both, MINISIGN_SIG + tn, p->pk);
	free(both);
	if (bad)
		return tl_err(err, TL_E_REFUSED, "its trusted comment has been changed since it was "
		              "signed");
	memcpy(tc, t, tn);
	tc[tn] = '\0';
	return 0;
}
