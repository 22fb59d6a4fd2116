/*
 * merge_verify (inside merge): an export's SHA256SUMS checked, and
 * export.json's bytes handed on from that same check.
 */
#ifndef TELLUS_MERGE_VERIFY_H
#define TELLUS_MERGE_VERIFY_H

#include <stdbool.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/error.h"
#include "merge/merge_trust.h"
#include "merge/merge_trust.h"

/* As merge_verify, no file over max_file_bytes (0: MERGE_FILE_MAX_DEFAULT)
 * opened for reading, and on success *json / *json_len are export.json's
 * bytes, the very bytes whose sum matched (caller frees *json); a sealed
 * export.json is opened with keys' office key. *signer says which kiosk
 * signed it (merge_trust.h); keys may be NULL (no office key, any kiosk).
 * On failure *json is NULL. */
/* An export's drawings (drawings/<name>.png, export_drawings.h), the very
 * bytes whose sums matched, opened with the office key when sealed. */
typedef struct merge_drawing {
	char name[192];       /* drawings/<name>.png, as answers name it */
	unsigned char *png;
	size_t len;
} merge_drawing;
typedef struct merge_drawings {
	merge_drawing *d;
	size_t n, cap;
} merge_drawings;
void merge_drawings_free(merge_drawings *d);
/* The drawing an answer names, or NULL. */
const merge_drawing *merge_drawings_find(const merge_drawings *d, const char *name);

/* drawings (may be NULL: they are checked, not kept) gets the drawings. */
int merge_verify_load(const char *dir, int64_t max_file_bytes, const merge_keys *keys,
                      merge_signer *signer, char **json, size_t *json_len,
                      merge_drawings *drawings, tl_error *err);

/* Reads name beneath the export's folder handle whole, as every file of an
 * export is opened (its own fixed name, no link, a plain file of at most
 * max bytes; NUL-terminated, caller frees *data). 0, or -1 with err
 * (*missing true when it is not there). */
int merge_verify_read(int dirfd, const char *name, size_t max, char **data, size_t *len,
                      bool *missing, tl_error *err);

#endif
