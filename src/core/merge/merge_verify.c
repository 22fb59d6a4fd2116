/*
 * merge_verify: an export is checked against its SHA256SUMS before merge
 * reads anything from it.
 *
 * Promises:
 * - Every file SHA256SUMS lists must be there and match, and the four
 *   files of an export must all be listed; otherwise the export is refused
 *   with a plain reason.
 * - export.json is read into memory once and those same bytes are hashed
 *   and handed to the reader, so a file changed between the check and the
 *   read cannot slip in.
 * - The export's folder is opened once; every file is opened beneath that
 *   handle by one of the export's own fixed names (SHA256SUMS and
 *   export_file_names; any other name listed is refused), with O_NOFOLLOW
 *   (a link, even to /dev/zero or a file elsewhere, is refused) and
 *   O_NONBLOCK (a FIFO cannot make the open wait), then fstat: only a plain
 *   file is read.
 * - Nothing from the stick is read without a bound, and the bound is
 *   checked from fstat before the first byte: SHA256SUMS at most SUMS_MAX
 *   bytes, every other file at most the limit (merge_options, default
 *   MERGE_FILE_MAX_DEFAULT), export.json at most MERGE_JSON_MAX too; a file
 *   that grows while read is cut off at the limit and refused.
 * - Hashing and hex go through base/sha256.h alone.
 */
#include "merge/merge.h"
#include "merge/merge_verify.h"
#include "export/export.h"
#include "keys/sealed.h"
#include "base/plain_file.h"
#include "base/sha256.h"
#include "base/util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sodium.h>
#include <unistd.h>

#define SUMS_MAX (64 * 1024)
#define CHUNK (1 << 20)
#define JSON_NAME "export.json"
#define JSON_SEALED JSON_NAME SEALED_SUFFIX
/* export.json at its biggest, sealed: a record's tag per chunk, the header */
#define SEALED_JSON_MAX ((size_t)MERGE_JSON_MAX + \
                         ((size_t)MERGE_JSON_MAX / SEALED_CHUNK + 1) * SEALED_ABYTES + SEALED_HEADER)

/* Hashes a plain file of at most max bytes (refused from its size before
 * it is read; cut off if it grows past max while read). */
static int
hash_file(int dirfd, const char *name, uint64_t max, unsigned char out[TL_SHA256_BYTES])
{
	int fd = -1;
	struct stat sb;
	int e = plain_open(dirfd, name, &fd, &sb);
	if (e)
		return e;
	if ((uint64_t)sb.st_size > max) {
		close(fd);
		return EFBIG;
	}
	unsigned char *buf = malloc(CHUNK);
	if (!buf) {
		close(fd);
		return ENOMEM;
	}
	tl_sha256 st;
	tl_sha256_init(&st);
	uint64_t total = 0;
	for (;;) {
		ssize_t got = read(fd, buf, CHUNK);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			e = errno;
		if (got <= 0)
			break;
		total += (uint64_t)got;
		if (total > max) {
			e = EFBIG;
			break;
		}
		tl_sha256_update(&st, buf, (size_t)got);
	}
	close(fd);
	free(buf);
	if (e) {
		tl_sha256_finish(&st);
		return e;
	}
	return tl_sha256_final(&st, out) != 0 ? ENOMEM : 0;
}

/* The 64 hex digits at line, either case, as lower-case text in out; false
 * when they are not 64 hex digits. */
static bool
listed_digest(const char *line, char out[TL_SHA256_HEX])
{
	for (int i = 0; i < 64; i++) {
		if (!isxdigit((unsigned char)line[i]))
			return false;
		out[i] = (char)tolower((unsigned char)line[i]);
	}
	out[64] = '\0';
	return true;
}

static int
file_error(tl_error *err, const char *name, int e, uint64_t max)
{
	if (e == ENOENT)
		return tl_err(err, TL_E_REFUSED, "%s is missing, so the export is not complete", name);
	if (e == EFBIG)
		return tl_err(err, TL_E_REFUSED, "%s is too big to merge: it is over %llu MB, the most "
		              "Tellus reads from one file of an export (tellus merge --max-file-mb)",
		              name, (unsigned long long)(max >> 20));
	if (e == PLAIN_NOT_A_FILE)
		return tl_err(err, TL_E_REFUSED, "%s cannot be read (it is not a plain file)", name);
	if (e == PLAIN_A_LINK)
		return tl_err(err, TL_E_REFUSED, "%s cannot be read (it is a link, not the file "
		              "itself)", name);
	if (e == ENOMEM)
		return tl_err_nomem(err);
	return tl_err_sys(err, TL_E_IO, e, "%s cannot be read (%s)", name, strerror(e));
}

void
merge_drawings_free(merge_drawings *d)
{
	for (size_t i = 0; d && i < d->n; i++)
		free(d->d[i].png);
	if (d)
		free(d->d);
	if (d)
		*d = (merge_drawings){ 0 };
}

const merge_drawing *
merge_drawings_find(const merge_drawings *d, const char *name)
{
	for (size_t i = 0; d && name && i < d->n; i++)
		if (strcmp(d->d[i].name, name) == 0)
			return &d->d[i];
	return NULL;
}

/* A drawing's name in drawings/: letters, digits, '-', '_' and '.', not
 * starting with '.', ending .png (or .png.sealed). */
static bool
drawing_name(const char *base, bool *sealed)
{
	size_t n = strlen(base), sl = strlen(SEALED_SUFFIX);
	if (n == 0 || n > 180 || base[0] == '.')
		return false;
	for (const char *p = base; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '-' || *p == '_' || *p == '.'))
			return false;
	*sealed = n > sl && strcmp(base + n - sl, SEALED_SUFFIX) == 0;
	size_t core = *sealed ? n - sl : n;
	return core > 4 && strncmp(base + core - 4, ".png", 4) == 0;
}

/* A line naming drawings/<name>: read beneath the drawings folder's own
 * handle (no link followed), its bytes hashed and, when asked, kept (a
 * sealed one opened with the office key). */
static int
check_drawing(int dirfd, uint64_t max, const char *base, const char *want, const merge_keys *keys,
              merge_drawings *dr, tl_error *err)
{
	bool sealed;
	if (!drawing_name(base, &sealed))
		return tl_err(err, TL_E_REFUSED, "its SHA256SUMS file names drawings/%s, which is not a "
		              "drawing of a Tellus export", base);
	int dfd = openat(dirfd, "drawings", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return file_error(err, "drawings", errno == ELOOP ? PLAIN_A_LINK : errno, max);
	char *data = NULL;
	size_t len = 0;
	int e = plain_read(dfd, base, (size_t)max, &data, &len, NULL);
	close(dfd);
	unsigned char got[TL_SHA256_BYTES];
	char got_hex[TL_SHA256_HEX];
	if (!e && tl_sha256_buf(data, len, got) != 0)
		e = ENOMEM;
	if (e) {
		free(data);
		return file_error(err, base, e, max);
	}
	tl_hex(got, sizeof got, got_hex, sizeof got_hex);
	if (strcmp(got_hex, want) != 0) {
		free(data);
		return tl_err(err, TL_E_REFUSED, "drawings/%s has been changed or damaged since it was "
		              "exported (its checksum does not match)", base);
	}
	if (!dr) {
		free(data);
		return 0;
	}
	if (sealed) {
		if (!keys || !keys->has_office) {
			free(data);
			return tl_err(err, TL_E_REFUSED, "its drawings are sealed, and no office key was "
			              "given: merge it with --key office.key");
		}
		char *plain = NULL;
		size_t n = 0;
		int rc = sealed_open(&keys->office, base, data, len, &plain, &n, err);
		free(data);
		if (rc != 0)
			return -1;
		data = plain;
		len = n;
	}
	/* What the report may show: a PNG, by its signature, whatever the
	 * sums and the signature say (a kiosk only ever writes PNGs). */
	static const unsigned char png_sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
	if (len < sizeof png_sig || memcmp(data, png_sig, sizeof png_sig) != 0) {
		free(data);
		return tl_err(err, TL_E_REFUSED, "drawings/%s is not a PNG picture, as every drawing "
		              "a kiosk exports is", base);
	}
	if (dr->n == dr->cap) {
		size_t cap = dr->cap ? 2 * dr->cap : 8;
		merge_drawing *p = realloc(dr->d, cap * sizeof *p);
		if (!p) {
			free(data);
			return tl_err_nomem(err);
		}
		dr->d = p;
		dr->cap = cap;
	}
	char name[sizeof dr->d[0].name];
	size_t bl = strlen(base) - (sealed ? strlen(SEALED_SUFFIX) : 0);
	snprintf(name, sizeof name, "drawings/%.*s", (int)bl, base);
	if (merge_drawings_find(dr, name)) {
		/* listed twice, or plain and sealed: which would be the answer's? */
		free(data);
		return tl_err(err, TL_E_REFUSED, "its SHA256SUMS file names %s twice", name);
	}
	merge_drawing *d = &dr->d[dr->n++];
	memcpy(d->name, name, sizeof d->name);
	d->png = (unsigned char *)data;
	d->len = len;
	return 0;
}

/* One line of SHA256SUMS (NUL-terminated, without its newline): the file
 * it names matches its sum. *which is its place in export_file_names, or
 * -1 for a file that is not one of them. */
static int
check_line(int dirfd, uint64_t max, const char *p, size_t len, int line, int *which,
           char **json, size_t *json_len, const merge_keys *keys, merge_drawings *dr,
           tl_error *err)
{
	char want[TL_SHA256_HEX], got_hex[TL_SHA256_HEX];
	/* coreutils: 64 hex digits, a space, then ' ' (text) or '*' (binary) */
	if (len < 67 || !listed_digest(p, want) || p[64] != ' ' || (p[65] != ' ' && p[65] != '*'))
		return tl_err(err, TL_E_REFUSED, "line %d of its SHA256SUMS file is not a checksum line",
		              line);
	const char *name = p + 66;
	*which = -1;
	if (strncmp(name, "drawings/", 9) == 0)
		return check_drawing(dirfd, max, name + 9, want, keys, dr, err);
	if (strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return tl_err(err, TL_E_REFUSED, "its SHA256SUMS file names %s, which is not a file "
		              "of an export", name);
	/* Only the export's own names are ever opened. */
	*which = -1;
	size_t nl = strlen(name), sl = strlen(SEALED_SUFFIX);
	bool sealed = nl > sl && strcmp(name + nl - sl, SEALED_SUFFIX) == 0;
	for (int i = 0; i < EXPORT_N_FILES; i++)
		if (strncmp(name, export_file_names[i], sealed ? nl - sl : nl + 1) == 0 &&
		    strlen(export_file_names[i]) == (sealed ? nl - sl : nl))
			*which = i;
	if (*which < 0)
		return tl_err(err, TL_E_REFUSED, "its SHA256SUMS file names %s, which is not a file "
		              "of a Tellus export", name);
	unsigned char got[TL_SHA256_BYTES];
	int e;
	uint64_t json_max = max < (uint64_t)MERGE_JSON_MAX ? max : (uint64_t)MERGE_JSON_MAX;
	bool is_json = strcmp(name, JSON_NAME) == 0 || strcmp(name, JSON_SEALED) == 0;
	if (is_json && sealed)   /* room for the records' tags and the header */
		json_max += (json_max / SEALED_CHUNK + 1) * SEALED_ABYTES + SEALED_HEADER;
	if (is_json) {
		/* the bytes hashed are the bytes merged */
		free(*json);
		*json = NULL;
		e = plain_read(dirfd, name, (size_t)json_max, json, json_len, NULL);
		if (!e && tl_sha256_buf(*json, *json_len, got) != 0)
			e = ENOMEM;
	} else {
		e = hash_file(dirfd, name, max, got);
	}
	if (e)
		return file_error(err, name, e, is_json ? json_max : max);
	tl_hex(got, sizeof got, got_hex, sizeof got_hex);
	if (strcmp(got_hex, want) != 0)
		return tl_err(err, TL_E_REFUSED, "%s has been changed or damaged since it was "
		              "exported (its checksum does not match)", name);
	return 0;
}

int
merge_verify_read(int dirfd, const char *name, size_t max, char **data, size_t *len,
                  bool *missing, tl_error *err)
{
	*missing = false;
	int e = plain_read(dirfd, name, max, data, len, NULL);
	if (!e)
		return 0;
	*missing = e == ENOENT;
	return file_error(err, name, e, max);
}

/* A sealed export.json opened with the office key, in place of its
 * sealed bytes. */
static int
unseal_json(const merge_keys *keys, char **json, size_t *json_len, tl_error *err)
{
	if (!keys || !keys->has_office) {
		char id[OFFICE_ID_TEXT];
		sealed_key_id(*json, *json_len, id);
		return tl_err(err, TL_E_REFUSED, "it is sealed to office key %s, and no office key "
		              "was given: merge it with --key office.key (the secret half of that "
		              "key, made by tellus keys new)", id[0] ? id : "(unreadable)");
	}
	char *plain = NULL;
	size_t n = 0;
	if (sealed_open(&keys->office, JSON_SEALED, *json, *json_len, &plain, &n, err) != 0)
		return -1;
	if (n > MERGE_JSON_MAX) {
		sodium_memzero(plain, n);
		free(plain);
		return file_error(err, JSON_NAME, EFBIG, MERGE_JSON_MAX);
	}
	free(*json);
	*json = plain;
	*json_len = n;
	return 0;
}

int
merge_verify_load(const char *dir, int64_t max_file_bytes, const merge_keys *keys,
                  merge_signer *signer, char **json, size_t *json_len,
                  merge_drawings *drawings, tl_error *err)
{
	*json = NULL;
	*json_len = 0;
	uint64_t max = max_file_bytes > 0 ? (uint64_t)max_file_bytes
	                                  : (uint64_t)MERGE_FILE_MAX_DEFAULT;
	/* The folder as given (it may be reached through a link the person
	 * chose); nothing beneath it is. */
	int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return tl_err_sys(err, TL_E_IO, errno, "the folder cannot be opened (%s)",
		                  strerror(errno));
	char *sums = NULL;
	size_t sums_len = 0;
	int e = plain_read(dirfd, EXPORT_SUMS_NAME, SUMS_MAX, &sums, &sums_len, NULL);
	if (e == 0 && strlen(sums) != sums_len) {
		free(sums);   /* a NUL inside: not text Tellus wrote */
		sums = NULL;
		e = EFBIG;
	}
	if (e) {
		close(dirfd);
		dirfd = -1;
	}
	if (e == PLAIN_A_LINK)
		return tl_err(err, TL_E_REFUSED, "its SHA256SUMS file cannot be read (it is a link, "
		              "not the file itself)");
	if (e == ENOENT)
		return tl_err(err, TL_E_REFUSED, "it has no SHA256SUMS file, so it cannot be checked "
		              "(an export that was not finished, or not a Tellus export)");
	if (e == ENOMEM)
		return tl_err_nomem(err);
	if (e == EFBIG)
		return tl_err(err, TL_E_REFUSED, "its SHA256SUMS file is not one Tellus wrote");
	if (e)
		return tl_err_sys(err, TL_E_IO, e > 0 ? e : 0, "its SHA256SUMS file cannot be read (%s)",
		                  e > 0 ? strerror(e) : "it is not a plain file");
	bool listed[EXPORT_N_FILES] = { false };
	bool json_sealed = false;
	int rc = 0, line = 0;
	/* whose it is, before anything it lists is read */
	rc = merge_trust_signature(dirfd, keys, sums, sums_len, signer, err);
	for (char *p = sums; rc == 0 && *p;) {
		line++;
		char *nl = strchr(p, '\n');
		if (!nl) {
			rc = tl_err(err, TL_E_REFUSED, "its SHA256SUMS file is cut short (line %d)", line);
			break;
		}
		*nl = '\0';
		int which = -1;
		rc = check_line(dirfd, max, p, (size_t)(nl - p), line, &which, json, json_len, keys,
		                drawings, err);
		if (rc == 0 && strcmp(p + 66, JSON_SEALED) == 0)
			json_sealed = true;
		if (rc == 0 && which >= 0 && listed[which])
			rc = tl_err(err, TL_E_REFUSED, "its SHA256SUMS file lists %s twice",
			            export_file_names[which]);
		if (rc == 0 && which >= 0)
			listed[which] = true;
		p = nl + 1;
	}
	free(sums);
	close(dirfd);
	for (int i = 0; rc == 0 && i < EXPORT_N_FILES; i++)
		if (!listed[i])
			rc = tl_err(err, TL_E_REFUSED, "its SHA256SUMS file does not list %s, so the "
			            "export is not complete", export_file_names[i]);
	if (rc == 0 && !*json)
		rc = tl_err(err, TL_E_REFUSED, "export.json is missing");
	if (rc == 0 && json_sealed)
		rc = unseal_json(keys, json, json_len, err);
	else if (rc == 0 && sealed_is(*json, *json_len))
		rc = tl_err(err, TL_E_REFUSED, "export.json is sealed but not named so; not an "
		            "export Tellus wrote");
	if (rc != 0) {
		free(*json);
		*json = NULL;
		*json_len = 0;
		merge_drawings_free(drawings);
	}
	return rc;
}

int
merge_verify(const char *dir, tl_error *err)
{
	char *json;
	size_t len;
	merge_signer signer;
	int rc = merge_verify_load(dir, 0, NULL, &signer, &json, &len, NULL, err);
	free(json);
	return rc;
}
