/*
 * yaml_util: what the readers of hand-written YAML (flows, kiosk settings)
 * share: parsing with libfyaml's own messages turned into FILE:LINE:COL
 * diags, the place of any node, empty values, and "did you mean".
 */
#ifndef TELLUS_YAML_UTIL_H
#define TELLUS_YAML_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <libfyaml.h>
#include "base/diag.h"

/*
 * Parses data as one YAML document. Text that is not UTF-8 (or holds a zero
 * byte), syntax problems, and a second document
 * (second_doc_msg says what to do about it), become error diags against
 * file; *errors is increased by their number. Returns the document (free
 * with fy_parse_document_destroy(*pp, doc), then fy_parser_destroy(*pp)),
 * or NULL on a syntax error or when out of memory (*oom set).
 */
/* true when data is UTF-8 text without a zero byte; otherwise one error
 * diag at the first bad byte's line and column against file (*errors
 * increased). yaml_parse makes this check itself. */
bool yaml_utf8_ok(const char *file, const char *data, size_t len, diag_list *diags, int *errors);

struct fy_document *yaml_parse(const char *file, const char *data, size_t len,
                               const char *second_doc_msg, diag_list *diags,
                               int *errors, bool *oom, struct fy_parser **pp);

/* Where a node starts; a map or list is placed at its first key or item.
 * fallback when libfyaml 0.7 knows no place (it has none for whole nodes). */
tl_pos yaml_node_pos(struct fy_node *n, tl_pos fallback);
/* True for a missing value: nothing after the colon, ~ or null. */
bool yaml_is_null(struct fy_node *n);
/* True when s is a language code as flows and the kiosk settings take one:
 * a slug (tl_is_slug) of at most 32 bytes. */
bool yaml_is_lang_code(const char *s);
/* True when s is a whole number written in digits only (no sign, no
 * spaces) from min to max; its value into *out. What a hand-written file
 * means by 'version: 3' or 'max_length: 40'. */
bool yaml_whole_number(const char *s, long min, long max, long *out);
/* Edit distance counting a swap of two neighbours as one edit (the
 * commonest typo); capped at 32, since names are short. */
size_t yaml_edit_distance(const char *a, const char *b);
/* A slug people could use instead of s: lower case, runs of anything else
 * turned into one '-'. */
void yaml_suggest_slug(const char *s, char *buf, size_t len);

#endif
