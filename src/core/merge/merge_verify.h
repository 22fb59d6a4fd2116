/*
 * merge_verify (inside merge): an export's SHA256SUMS checked, and
 * export.json's bytes handed on from that same check.
 */
#ifndef TELLUS_MERGE_VERIFY_H
#define TELLUS_MERGE_VERIFY_H

#include <stddef.h>
#include <stdint.h>
#include "base/error.h"

/* As merge_verify, no file over max_file_bytes (0: MERGE_FILE_MAX_DEFAULT)
 * opened for reading, and on success *json / *json_len are export.json's
 * bytes, the very bytes whose sum matched (caller frees *json). On failure
 * *json is NULL. */
int merge_verify_load(const char *dir, int64_t max_file_bytes, char **json, size_t *json_len,
                      tl_error *err);

#endif
