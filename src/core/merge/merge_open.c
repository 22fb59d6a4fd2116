/*
 * merge_open: see merge_open.h. Each file's bytes are read once, hashed
 * against SHA256SUMS (already signature-checked by merge_verify_load) and
 * only then opened, so what is written is what the kiosk signed.
 */
#include "merge/merge_open.h"
#include "merge/merge_verify.h"
#include "export/export.h"
#include "keys/sealed.h"
#include "base/sha256.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILE_MAX ((size_t)4 << 30)

static int
write_new(const char *dir, const char *name, const char *data, size_t len, tl_error *err)
{
	char *path = tl_asprintf("%s/%s", dir, name);
	if (!path)
		return tl_err_nomem(err);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	int e = fd < 0 ? errno : 0;
	while (!e && len > 0) {
		ssize_t w = write(fd, data, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			e = w < 0 ? errno : EIO;
		else {
			data += w;
			len -= (size_t)w;
		}
	}
	if (fd >= 0 && !e && fsync(fd) != 0)
		e = errno;
	if (fd >= 0 && close(fd) != 0 && !e)
		e = errno;
	if (e && fd >= 0)
		unlink(path);
	int rc = e ? tl_err_sys(err, TL_E_IO, e, "could not write %s (%s)", path, strerror(e)) : 0;
	free(path);
	return rc;
}

/* The sum SHA256SUMS lists for name, into hex ("" when not listed). */
static void
listed_sum(const char *sums, const char *name, char hex[TL_SHA256_HEX])
{
	hex[0] = '\0';
	size_t n = strlen(name);
	for (const char *p = sums; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len == 66 + n && memcmp(p + 66, name, n) == 0) {
			memcpy(hex, p, 64);
			hex[64] = '\0';
		}
		p = nl ? nl + 1 : NULL;
	}
}

/* Data file i of the export, plain (opened if sealed) and checked against
 * its listed sum. Caller frees *out. */
static int
plain_file(int dir, const char *sums, const merge_keys *keys, int i, char **out,
           size_t *out_len, tl_error *err)
{
	const char *name = export_file_names[i];
	char sealed_name[128];
	snprintf(sealed_name, sizeof sealed_name, "%s" SEALED_SUFFIX, name);
	char want[TL_SHA256_HEX];
	listed_sum(sums, sealed_name, want);
	bool sealed = want[0] != '\0';
	if (!sealed)
		listed_sum(sums, name, want);
	char *data = NULL;
	size_t len = 0;
	bool missing;
	if (merge_verify_read(dir, sealed ? sealed_name : name, FILE_MAX, &data, &len, &missing,
	                      err) != 0)
		return -1;
	unsigned char d[TL_SHA256_BYTES];
	char got[TL_SHA256_HEX];
	if (tl_sha256_buf(data, len, d) != 0) {
		free(data);
		return tl_err_nomem(err);
	}
	tl_hex(d, sizeof d, got, sizeof got);
	if (strcmp(got, want) != 0) {
		free(data);
		return tl_err(err, TL_E_REFUSED, "%s has been changed since it was exported",
		              sealed ? sealed_name : name);
	}
	if (!sealed) {
		*out = data;
		*out_len = len;
		return 0;
	}
	int rc = 0;
	if (!keys || !keys->has_office) {
		char id[OFFICE_ID_TEXT];
		sealed_key_id(data, len, id);
		rc = tl_err(err, TL_E_REFUSED, "it is sealed to office key %s: give that key's "
		            "office.key with --key", id);
	} else {
		rc = sealed_open(&keys->office, sealed_name, data, len, out, out_len, err);
	}
	free(data);
	return rc;
}

/* The drawings (merge_verify_load opened the sealed ones, each checked
 * against its sum first) into to_dir/drawings/, their lines appended to
 * *sums (grown). *written counts those written, for the cleanup. */
static int
write_drawings(const char *to_dir, const merge_drawings *dr, char **sums, size_t *written,
               tl_error *err)
{
	*written = 0;
	if (dr->n == 0)
		return 0;
	char *sub = tl_asprintf("%s/drawings", to_dir);
	if (!sub)
		return tl_err_nomem(err);
	/* a folder of our own: one already there (or a link) is refused */
	int rc = mkdir(sub, 0700) == 0 ? 0 : tl_err_sys(err, TL_E_IO, errno, "could not make %s (%s)",
	                                                sub, strerror(errno));
	free(sub);
	size_t len = strlen(*sums);
	for (size_t i = 0; rc == 0 && i < dr->n; i++) {
		const merge_drawing *d = &dr->d[i];
		rc = write_new(to_dir, d->name, (const char *)d->png, d->len, err);
		if (rc != 0)
			break;
		*written = i + 1;
		unsigned char h[TL_SHA256_BYTES];
		char hex[TL_SHA256_HEX];
		tl_sha256_buf(d->png, d->len, h);
		tl_hex(h, sizeof h, hex, sizeof hex);
		char *line = tl_asprintf("%s  %s\n", hex, d->name);
		char *grown = line ? realloc(*sums, len + strlen(line) + 1) : NULL;
		if (!grown) {
			free(line);
			rc = tl_err_nomem(err);
			break;
		}
		memcpy(grown + len, line, strlen(line) + 1);
		len += strlen(line);
		*sums = grown;
		free(line);
	}
	return rc;
}

static void
remove_drawings(const char *to_dir, const merge_drawings *dr, size_t written)
{
	for (size_t i = 0; i < written; i++) {
		char *p = tl_asprintf("%s/%s", to_dir, dr->d[i].name);
		if (p)
			unlink(p);
		free(p);
	}
	char *sub = dr->n ? tl_asprintf("%s/drawings", to_dir) : NULL;
	if (sub)
		rmdir(sub);
	free(sub);
}

int
merge_open_export(const char *dir, const merge_keys *keys, const char *to_dir,
                  merge_signer *signer, tl_error *err)
{
	/* the signature and every listed file's sum, as merge checks them;
	 * the drawings' bytes kept (opened when sealed) */
	char *json = NULL;
	size_t json_len = 0;
	merge_drawings dr = { 0 };
	if (merge_verify_load(dir, (int64_t)FILE_MAX, keys, signer, &json, &json_len, &dr, err) != 0)
		return -1;
	sodium_memzero(json, json_len);
	free(json);
	int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		merge_drawings_free(&dr);
		return tl_err_sys(err, TL_E_IO, errno, "the folder cannot be opened (%s)",
		                  strerror(errno));
	}
	char *sums = NULL;
	size_t sums_len = 0;
	bool missing;
	if (merge_verify_read(dirfd, EXPORT_SUMS_NAME, 64 * 1024, &sums, &sums_len, &missing,
	                      err) != 0) {
		close(dirfd);
		merge_drawings_free(&dr);
		return -1;
	}
	if (mkdir(to_dir, 0700) != 0 && errno != EEXIST) {
		int e = errno;
		free(sums);
		close(dirfd);
		merge_drawings_free(&dr);
		return tl_err_sys(err, TL_E_IO, e, "could not make %s (%s)", to_dir, strerror(e));
	}
	char *new_sums = calloc(EXPORT_N_FILES, TL_SHA256_HEX + 3 + 64);
	int rc = new_sums ? 0 : tl_err_nomem(err);
	int written = 0;
	for (int i = 0; rc == 0 && i < EXPORT_N_FILES; i++) {
		char *plain = NULL;
		size_t n = 0;
		rc = plain_file(dirfd, sums, keys, i, &plain, &n, err);
		if (rc == 0)
			rc = write_new(to_dir, export_file_names[i], plain, n, err);
		if (rc == 0) {
			written = i + 1;
			unsigned char d[TL_SHA256_BYTES];
			char hex[TL_SHA256_HEX];
			tl_sha256_buf(plain, n, d);
			tl_hex(d, sizeof d, hex, sizeof hex);
			char *end = new_sums + strlen(new_sums);
			sprintf(end, "%s  %s\n", hex, export_file_names[i]);
		}
		if (plain) {
			sodium_memzero(plain, n);
			free(plain);
		}
	}
	size_t drawn = 0;
	if (rc == 0)
		rc = write_drawings(to_dir, &dr, &new_sums, &drawn, err);
	if (rc == 0)
		rc = write_new(to_dir, EXPORT_SUMS_NAME, new_sums, strlen(new_sums), err);
	if (rc != 0)
		remove_drawings(to_dir, &dr, drawn);
	if (rc != 0)
		for (int i = 0; i < written; i++) {
			char *p = tl_asprintf("%s/%s", to_dir, export_file_names[i]);
			if (p)
				unlink(p);
			free(p);
		}
	free(new_sums);
	free(sums);
	close(dirfd);
	for (size_t i = 0; i < dr.n; i++)
		sodium_memzero(dr.d[i].png, dr.d[i].len);
	merge_drawings_free(&dr);
	return rc;
}
