/*
 * yaml_util: shared by the flow parser and the kiosk settings reader; see
 * yaml_util.h. Nothing here prints (libfyaml's own output is silenced and
 * its errors collected).
 */
#include "base/yaml_util.h"
#include "base/util.h"
#include "base/utf8.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

bool
yaml_is_lang_code(const char *s)
{
	return tl_is_slug(s) && strlen(s) <= 32;
}

/* Edit distance counting a swap of two neighbours as one edit (the
 * commonest typo: "yse" for "yes"); capped, since names are short and only
 * close ones matter. */
size_t
yaml_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 31 || lb > 31)
		return 32;
	unsigned char d[32][32];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (unsigned char)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (unsigned char)j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			unsigned best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1u < best)
				best = d[i - 1][j] + 1u;
			if (d[i][j - 1] + 1u < best)
				best = d[i][j - 1] + 1u;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1u < best)
				best = d[i - 2][j - 2] + 1u;
			d[i][j] = (unsigned char)best;
		}
	}
	return d[la][lb];
}

/* A slug people could use instead of s: lower case, runs of anything else
 * turned into one '-'. */
void
yaml_suggest_slug(const char *s, char *buf, size_t len)
{
	size_t o = 0;
	bool dash = false;
	for (; *s && o + 2 < len; s++) {
		char ch = *s;
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-') {
			if (dash && o > 0)
				buf[o++] = '-';
			dash = false;
			buf[o++] = ch;
		} else {
			dash = true;
		}
	}
	buf[o] = '\0';
}

tl_pos
yaml_node_pos(struct fy_node *n, tl_pos fallback)
{
	/* A map or list is placed at its first key or item; walk down
	 * iteratively so a deeply nested value costs no stack. */
	for (int guard = 0; n && guard < 10000; guard++) {
		void *it = NULL;
		switch (fy_node_get_type(n)) {
		case FYNT_SCALAR: {
			struct fy_token *t = fy_node_get_scalar_token(n);
			const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
			if (m)
				return (tl_pos){ m->line + 1, m->column + 1 };
			return fallback;
		}
		case FYNT_MAPPING: {
			struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);
			n = p ? fy_node_pair_key(p) : NULL;
			break;
		}
		case FYNT_SEQUENCE:
			n = fy_node_sequence_iterate(n, &it);
			break;
		default:
			return fallback;
		}
	}
	return fallback;
}

bool
yaml_whole_number(const char *s, long min, long max, long *out)
{
	if (!s || !*s)
		return false;
	long v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9' || v > (LONG_MAX - 9) / 10)
			return false;
		v = v * 10 + (*p - '0');
	}
	if (v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool
yaml_is_null(struct fy_node *n)
{
	if (!n)
		return true;
	if (fy_node_get_type(n) != FYNT_SCALAR || fy_node_get_style(n) != FYNS_PLAIN)
		return false;
	size_t len;
	const char *s = fy_node_get_scalar(n, &len);
	if (!s || len == 0)
		return true;
	return (len == 1 && s[0] == '~') ||
	       (len == 4 && (memcmp(s, "null", 4) == 0 || memcmp(s, "Null", 4) == 0 ||
	                     memcmp(s, "NULL", 4) == 0));
}

static void
quiet_output(struct fy_diag *d, void *user, const char *buf, size_t len)
{
	(void)d; (void)user; (void)buf; (void)len;
}

static void
add_err(const char *file, diag_list *diags, int *errors, tl_pos p, const char *msg)
{
	diag_add(diags, DIAG_ERROR, file, p.line, p.col, "%s", msg);
	(*errors)++;
}

/* libfyaml lets some malformed text through as empty values, which would
 * give misleading messages, and version 0.7.12 (Debian 12's) loops for ever
 * on a directive holding a byte that is not UTF-8 ("%\xff", found by
 * fuzz_config). So the text is checked for UTF-8 before libfyaml sees it;
 * a zero byte is refused too: not a text file, and it would cut libfyaml's
 * input short. true when it is good; otherwise one error where it is not. */
bool
yaml_utf8_ok(const char *file, const char *data, size_t len, diag_list *diags, int *errors)
{
	size_t bad = tl_utf8_bad_at((const unsigned char *)data, len, 1);
	if (bad >= len)
		return true;
	int line = 1, col = 1;
	for (size_t i = 0; i < bad; i++) {
		if (data[i] == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)data[i] & 0xc0) != 0x80) {
			col++;
		}
	}
	diag_add(diags, DIAG_ERROR, file, line, col, "the file is not UTF-8 text here (byte 0x%02x); "
	         "save it as UTF-8 in your editor", (unsigned char)data[bad]);
	(*errors)++;
	return false;
}

struct fy_document *
yaml_parse(const char *file, const char *data, size_t len, const char *second_doc_msg,
           diag_list *diags, int *errors, bool *oom, struct fy_parser **pp)
{
	*pp = NULL;
	if (!yaml_utf8_ok(file, data, len, diags, errors))
		return NULL;
	struct fy_diag_cfg dc;
	fy_diag_cfg_default(&dc);
	dc.fp = NULL;
	dc.output_fn = quiet_output;
	dc.colorize = false;
	struct fy_diag *fd = fy_diag_create(&dc);
	if (!fd) {
		*oom = true;
		return NULL;
	}
	fy_diag_set_collect_errors(fd, true);
	struct fy_parse_cfg pc = {
		.flags = FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_2 | FYPCF_ALLOW_DUPLICATE_KEYS,
		.diag = fd,
	};
	struct fy_parser *p = fy_parser_create(&pc);
	struct fy_document *doc = NULL;
	if (!p) {
		*oom = true;
	} else if (fy_parser_set_string(p, data, len) == 0) {
		doc = fy_parse_load_document(p);
		if (doc && !fy_diag_got_error(fd)) {
			struct fy_document *more = fy_parse_load_document(p);
			if (more) {
				tl_pos mp = yaml_node_pos(fy_document_root(more), (tl_pos){ 0, 0 });
				add_err(file, diags, errors, mp, second_doc_msg);
				fy_parse_document_destroy(p, more);
			}
		}
	}
	bool syntax = false;
	void *it = NULL;
	struct fy_diag_error *e;
	while ((e = fy_diag_errors_iterate(fd, &it))) {
		if (e->type < FYET_ERROR)
			continue;
		syntax = true;
		char msg[1024];
		snprintf(msg, sizeof msg, "YAML syntax: %s; check the indentation, quotes and brackets here",
		         e->msg ? e->msg : "not valid YAML");
		add_err(file, diags, errors,
		        (tl_pos){ e->line > 0 ? e->line : 1, e->column > 0 ? e->column : 1 }, msg);
	}
	if ((syntax || fy_parser_get_stream_error(p)) && doc) {
		fy_parse_document_destroy(p, doc);
		doc = NULL;
	}
	if (!syntax && p && fy_parser_get_stream_error(p))
		add_err(file, diags, errors, (tl_pos){ 1, 1 },
		        "YAML syntax: the file could not be read as YAML; check that it is a text file");
	fy_diag_destroy(fd);
	*pp = p;
	return doc;
}

