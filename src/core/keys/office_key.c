/*
 * office_key: see office_key.h.
 */
#include "keys/office_key.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PUB_RAW (2 + OFFICE_KEYID + OFFICE_PK)
#define SEC_RAW (2 + OFFICE_KEYID + OFFICE_SK + OFFICE_PK)
#define COMMENT "untrusted comment: "

int
office_key_generate(office_key *k, tl_error *err)
{
	if (sodium_init() < 0)
		return tl_err(err, TL_E_IO, "could not start the sealing library (libsodium)");
	randombytes_buf(k->keyid, sizeof k->keyid);
	crypto_box_keypair(k->pk, k->sk);
	k->has_secret = true;
	return 0;
}

void
office_key_wipe(office_key *k)
{
	sodium_memzero(k->sk, sizeof k->sk);
	k->has_secret = false;
}

void
office_key_id(const office_key *k, char out[OFFICE_ID_TEXT])
{
	sodium_bin2hex(out, OFFICE_ID_TEXT, k->keyid, OFFICE_KEYID);
	for (char *c = out; *c; c++)
		if (*c >= 'a' && *c <= 'f')
			*c = (char)(*c - 'a' + 'A');
}

static int
write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return errno;
	int e = 0;
	size_t n = strlen(text);
	while (!e && n > 0) {
		ssize_t w = write(fd, text, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			e = w < 0 ? errno : EIO;
		else {
			text += w;
			n -= (size_t)w;
		}
	}
	/* the mode asked for, whatever the umask */
	if (!e && fchmod(fd, mode) != 0)
		e = errno;
	if (!e && fsync(fd) != 0)
		e = errno;
	if (close(fd) != 0 && !e)
		e = errno;
	if (e)
		unlink(path);
	return e;
}

int
office_key_write_new(const char *dir, office_key *k, tl_error *err)
{
	if (office_key_generate(k, err) != 0)
		return -1;
	char id[OFFICE_ID_TEXT];
	office_key_id(k, id);
	unsigned char pub[PUB_RAW], sec[SEC_RAW];
	memcpy(pub, "TB", 2);
	memcpy(pub + 2, k->keyid, OFFICE_KEYID);
	memcpy(pub + 2 + OFFICE_KEYID, k->pk, OFFICE_PK);
	memcpy(sec, pub, 2 + OFFICE_KEYID);
	memcpy(sec + 2 + OFFICE_KEYID, k->sk, OFFICE_SK);
	memcpy(sec + 2 + OFFICE_KEYID + OFFICE_SK, k->pk, OFFICE_PK);
	char pub64[sodium_base64_ENCODED_LEN(PUB_RAW, sodium_base64_VARIANT_ORIGINAL)];
	char sec64[sodium_base64_ENCODED_LEN(SEC_RAW, sodium_base64_VARIANT_ORIGINAL)];
	sodium_bin2base64(pub64, sizeof pub64, pub, sizeof pub, sodium_base64_VARIANT_ORIGINAL);
	sodium_bin2base64(sec64, sizeof sec64, sec, sizeof sec, sodium_base64_VARIANT_ORIGINAL);
	sodium_memzero(sec, sizeof sec);
	char *pub_path = tl_asprintf("%s/office.pub", dir);
	char *sec_path = tl_asprintf("%s/office.key", dir);
	char *pub_text = tl_asprintf(COMMENT "tellus office public key %s\n%s\n", id, pub64);
	char *sec_text = tl_asprintf(COMMENT "tellus office secret key %s: keep it in the "
	                             "office, never on a kiosk\n%s\n", id, sec64);
	sodium_memzero(sec64, sizeof sec64);
	int rc = 0;
	if (!pub_path || !sec_path || !pub_text || !sec_text) {
		rc = tl_err_nomem(err);
	} else {
		int e = write_file(sec_path, sec_text, 0600);
		if (e)
			rc = tl_err_sys(err, TL_E_IO, e, "could not write %s (%s)%s", sec_path, strerror(e),
			                e == EEXIST ? ": there is an office key there already; "
			                "it was left as it is" : "");
		else if ((e = write_file(pub_path, pub_text, 0644)) != 0) {
			unlink(sec_path);
			rc = tl_err_sys(err, TL_E_IO, e, "could not write %s (%s)", pub_path, strerror(e));
		}
	}
	if (sec_text) {
		sodium_memzero(sec_text, strlen(sec_text));
		free(sec_text);
	}
	free(pub_text);
	free(pub_path);
	free(sec_path);
	return rc;
}

/* The base64 line of a key file (its second line) decoded into raw (want
 * bytes). 0, or -1 with err. */
static int
load_raw(const char *path, unsigned char *raw, size_t want, tl_error *err)
{
	char *text = NULL;
	size_t len = 0;
	tl_error why;
	if (tl_read_file(path, &text, &len, &why) != 0)
		return tl_err_sys(err, why.code, why.sys, "could not read the office key %s (%s)",
		                  path, why.msg);
	int rc = 0;
	char *line = text;
	if (strncmp(line, COMMENT, strlen(COMMENT)) == 0) {
		char *nl = strchr(line, '\n');
		line = nl ? nl + 1 : line + strlen(line);
	}
	size_t n = strcspn(line, "\r\n");
	size_t got = 0;
	const char *end = NULL;
	if (len > 4096 || sodium_base642bin(raw, want, line, n, NULL, &got, &end,
	                                    sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    got != want || end != line + n || memcmp(raw, "TB", 2) != 0)
		rc = tl_err(err, TL_E_FORMAT, "%s is not a Tellus office %s key (made by tellus "
		            "keys new)", path, want == PUB_RAW ? "public" : "secret");
	sodium_memzero(text, len);
	free(text);
	return rc;
}

int
office_key_load_public(const char *path, office_key *k, tl_error *err)
{
	if (sodium_init() < 0)
		return tl_err(err, TL_E_IO, "could not start the sealing library (libsodium)");
	memset(k, 0, sizeof *k);
	unsigned char raw[PUB_RAW];
	if (load_raw(path, raw, sizeof raw, err) != 0)
		return -1;
	memcpy(k->keyid, raw + 2, OFFICE_KEYID);
	memcpy(k->pk, raw + 2 + OFFICE_KEYID, OFFICE_PK);
	return 0;
}

int
office_key_load_secret(const char *path, office_key *k, tl_error *err)
{
	if (sodium_init() < 0)
		return tl_err(err, TL_E_IO, "could not start the sealing library (libsodium)");
	memset(k, 0, sizeof *k);
	unsigned char raw[SEC_RAW];
	if (load_raw(path, raw, sizeof raw, err) != 0) {
		/* an office.pub given where office.key was meant */
		unsigned char pub[PUB_RAW];
		tl_error ignore;
		if (load_raw(path, pub, sizeof pub, &ignore) == 0)
			tl_err(err, TL_E_INVALID, "%s is the office's public key; opening needs the "
			       "secret one, office.key", path);
		return -1;
	}
	memcpy(k->keyid, raw + 2, OFFICE_KEYID);
	memcpy(k->sk, raw + 2 + OFFICE_KEYID, OFFICE_SK);
	memcpy(k->pk, raw + 2 + OFFICE_KEYID + OFFICE_SK, OFFICE_PK);
	sodium_memzero(raw, sizeof raw);
	unsigned char check[OFFICE_PK];
	crypto_scalarmult_base(check, k->sk);
	if (sodium_memcmp(check, k->pk, OFFICE_PK) != 0) {
		office_key_wipe(k);
		return tl_err(err, TL_E_FORMAT, "%s is damaged: its secret and public halves do not "
		              "belong together", path);
	}
	k->has_secret = true;
	return 0;
}
