/*
 * sealed: see sealed.h. Every primitive is libsodium's: crypto_box_seal for
 * the file key (anonymous sender: the kiosk keeps nothing that opens it),
 * crypto_secretstream_xchacha20poly1305 for the bytes.
 */
#include "keys/sealed.h"

#include <stdlib.h>
#include <string.h>

#define SEALED_KEY_AT 16
#define SEALED_BOX_AT 24
#define SEALED_BOX_LEN (crypto_box_SEALBYTES + crypto_secretstream_xchacha20poly1305_KEYBYTES)
#define SEALED_STREAM_AT (SEALED_BOX_AT + SEALED_BOX_LEN)

_Static_assert(SEALED_STREAM_AT + crypto_secretstream_xchacha20poly1305_HEADERBYTES
               == SEALED_HEADER, "the sealed header is 128 bytes");

int
sealer_begin(sealer *s, const office_key *pub, unsigned char header[SEALED_HEADER],
             tl_error *err)
{
	if (sodium_init() < 0)
		return tl_err(err, TL_E_IO, "could not start the sealing library (libsodium)");
	unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
	crypto_secretstream_xchacha20poly1305_keygen(key);
	memcpy(header, SEALED_MAGIC, SEALED_MAGIC_LEN);
	memcpy(header + SEALED_KEY_AT, pub->keyid, OFFICE_KEYID);
	int rc = crypto_box_seal(header + SEALED_BOX_AT, key, sizeof key, pub->pk);
	if (rc == 0)
		rc = crypto_secretstream_xchacha20poly1305_init_push(&s->st, header + SEALED_STREAM_AT,
		                                                      key);
	sodium_memzero(key, sizeof key);
	return rc == 0 ? 0 : tl_err(err, TL_E_INVALID, "the office key cannot seal (it is not "
	                            "a valid public key)");
}

void
sealer_push(sealer *s, const unsigned char *in, size_t n, bool final, unsigned char *out)
{
	crypto_secretstream_xchacha20poly1305_push(&s->st, out, NULL, in, n, NULL, 0,
	        final ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
}

void
sealer_wipe(sealer *s)
{
	sodium_memzero(s, sizeof *s);
}

bool
sealed_is(const void *data, size_t len)
{
	return len >= SEALED_MAGIC_LEN && memcmp(data, SEALED_MAGIC, SEALED_MAGIC_LEN) == 0;
}

void
sealed_key_id(const void *data, size_t len, char out[OFFICE_ID_TEXT])
{
	out[0] = '\0';
	if (!sealed_is(data, len) || len < SEALED_HEADER)
		return;
	office_key k;
	memcpy(k.keyid, (const unsigned char *)data + SEALED_KEY_AT, OFFICE_KEYID);
	office_key_id(&k, out);
}

int
sealed_open(const office_key *sec, const char *what, const void *data, size_t len,
            char **out, size_t *out_len, tl_error *err)
{
	*out = NULL;
	*out_len = 0;
	const unsigned char *in = data;
	if (!sealed_is(data, len) || len < SEALED_HEADER)
		return tl_err(err, TL_E_FORMAT, "%s is not a sealed Tellus file", what);
	if (sodium_memcmp(in + SEALED_KEY_AT, sec->keyid, OFFICE_KEYID) != 0) {
		char want[OFFICE_ID_TEXT], have[OFFICE_ID_TEXT];
		sealed_key_id(data, len, want);
		office_key_id(sec, have);
		return tl_err(err, TL_E_REFUSED, "%s is sealed to office key %s, but the key given is "
		              "%s: use the office.key that belongs to the office.pub on that kiosk",
		              what, want, have);
	}
	unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
	if (crypto_box_seal_open(key, in + SEALED_BOX_AT, SEALED_BOX_LEN, sec->pk, sec->sk) != 0)
		return tl_err(err, TL_E_FORMAT, "%s cannot be opened with this office key: its sealed "
		              "file key is damaged", what);
	crypto_secretstream_xchacha20poly1305_state st;
	int rc = crypto_secretstream_xchacha20poly1305_init_pull(&st, in + SEALED_STREAM_AT, key);
	sodium_memzero(key, sizeof key);
	if (rc != 0)
		return tl_err(err, TL_E_FORMAT, "%s is damaged (its stream header)", what);
	size_t body = len - SEALED_HEADER;
	/* every record adds SEALED_ABYTES: the plain file is never longer than body */
	char *plain = malloc(body + 1);
	if (!plain) {
		sodium_memzero(&st, sizeof st);
		return tl_err_nomem(err);
	}
	size_t at = SEALED_HEADER, n = 0;
	bool final = false;
	rc = 0;
	while (rc == 0 && !final) {
		size_t left = len - at;
		size_t rec = left < SEALED_CHUNK + SEALED_ABYTES ? left : SEALED_CHUNK + SEALED_ABYTES;
		unsigned long long got = 0;
		unsigned char tag = 0;
		if (rec < SEALED_ABYTES ||
		    crypto_secretstream_xchacha20poly1305_pull(&st, (unsigned char *)plain + n, &got,
		                                               &tag, in + at, rec, NULL, 0) != 0) {
			rc = tl_err(err, TL_E_FORMAT, "%s is damaged or cut short (a sealed record does "
			            "not open)", what);
			break;
		}
		at += rec;
		n += (size_t)got;
		final = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
		if (!final && at == len)
			rc = tl_err(err, TL_E_FORMAT, "%s is cut short (its last sealed record is "
			            "missing)", what);
	}
	if (rc == 0 && at != len)
		rc = tl_err(err, TL_E_FORMAT, "%s has bytes after its last sealed record", what);
	sodium_memzero(&st, sizeof st);
	if (rc != 0) {
		sodium_memzero(plain, n);
		free(plain);
		return -1;
	}
	plain[n] = '\0';
	*out = plain;
	*out_len = n;
	return 0;
}
