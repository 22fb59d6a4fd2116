/*
 * merge: verify an export against its SHA256SUMS, then add it in one
 * transaction.
 *
 * Promises:
 * - Nothing is read from an export until its sums check out; export.json is
 *   read into memory once and that same buffer is both hashed and parsed,
 *   so a file changed between the check and the read cannot slip in.
 * - Each export is all-or-nothing: any problem (a field missing or of the
 *   wrong type, a status the schema refuses) rolls the whole export back
 *   and refuses it with the reason. merge_export uses one transaction;
 *   merge_many one transaction for all, with a savepoint per export.
 * - The sessions of export.json are read by a strict reader written for
 *   its one layout (read_session), not as jansson trees: strict JSON,
 *   every known field of its type, unknown keys skipped.
 * - Sessions go in by UUID with INSERT OR IGNORE; only a session that was
 *   new brings its answers, so a second merge of the same export adds
 *   nothing. Merged sessions arrive not yet exported from this database.
 */
#include "merge/merge.h"
#include "export/export.h"
#include "base/util.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>

#define SUMS_MAX (64 * 1024)

static bool
hex_digest(const char *s, unsigned char out[32])
{
	for (int i = 0; i < 32; i++) {
		int v = 0;
		for (int k = 0; k < 2; k++) {
			char c = s[2 * i + k];
			int d = c >= '0' && c <= '9' ? c - '0'
			      : c >= 'a' && c <= 'f' ? c - 'a' + 10
			      : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
			if (d < 0)
				return false;
			v = v * 16 + d;
		}
		out[i] = (unsigned char)v;
	}
	return true;
}

static int
hash_file(const char *path, unsigned char out[32])
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return errno;
	unsigned char *buf = malloc(1 << 20);
	if (!buf) {
		fclose(f);
		return ENOMEM;
	}
	tl_sha256 st;
	tl_sha256_init(&st);
	size_t n;
	while ((n = fread(buf, 1, 1 << 20, f)) > 0)
		tl_sha256_update(&st, buf, n);
	int e = ferror(f) ? EIO : 0;
	fclose(f);
	free(buf);
	if (tl_sha256_final(&st, out) != 0 && !e)
		e = ENOMEM;
	return e;
}

/* A checked export: export.json's bytes, already matched to their sum. */
typedef struct checked {
	char *json;
	size_t json_len;
} checked;

static int
verify(const char *dir, checked *out, char *err, size_t errlen)
{
	out->json = NULL;
	out->json_len = 0;
	if (sodium_init() < 0) {
		tl_set_err(err, errlen, "could not start the checksum library");
		return -1;
	}
	char *sums_path = tl_asprintf("%s/%s", dir, EXPORT_SUMS_NAME);
	char *sums = NULL;
	size_t sums_len = 0;
	int e = sums_path ? tl_read_file(sums_path, &sums, &sums_len) : ENOMEM;
	free(sums_path);
	if (e) {
		tl_set_err(err, errlen, e == ENOENT
		        ? "it has no SHA256SUMS file, so it cannot be checked (an export "
		          "that was not finished, or not a Tellus export)"
		        : "its SHA256SUMS file cannot be read (%s)", strerror(e));
		return -1;
	}
	if (sums_len > SUMS_MAX || strlen(sums) != sums_len) {
		tl_set_err(err, errlen, "its SHA256SUMS file is not one Tellus wrote");
		free(sums);
		return -1;
	}
	bool listed[EXPORT_N_FILES] = { false };
	int rc = 0;
	int line = 0;
	for (char *p = sums; rc == 0 && *p;) {
		line++;
		char *nl = strchr(p, '\n');
		if (!nl) {
			tl_set_err(err, errlen, "its SHA256SUMS file is cut short (line %d)", line);
			rc = -1;
			break;
		}
		*nl = '\0';
		unsigned char want[32];
		/* coreutils: 64 hex digits, a space, then ' ' (text) or '*' (binary) */
		if (nl - p < 67 || !hex_digest(p, want) || p[64] != ' ' ||
		    (p[65] != ' ' && p[65] != '*')) {
			tl_set_err(err, errlen, "line %d of its SHA256SUMS file is not a checksum line", line);
			rc = -1;
			break;
		}
		const char *name = p + 66;
		if (strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
			tl_set_err(err, errlen, "its SHA256SUMS file names %s, which is not a file of an export", name);
			rc = -1;
			break;
		}
		int which = -1;
		for (int i = 0; i < EXPORT_N_FILES; i++)
			if (strcmp(name, export_file_names[i]) == 0)
				which = i;
		char *path = tl_asprintf("%s/%s", dir, name);
		unsigned char got[32];
		e = 0;
		if (!path) {
			e = ENOMEM;
		} else if (which == 2) {
			free(out->json);
			out->json = NULL;
			e = tl_read_file(path, &out->json, &out->json_len);
			if (!e) {
				if (tl_sha256_buf(out->json, out->json_len, got) != 0)
					e = ENOMEM;
			}
		} else {
			e = hash_file(path, got);
		}
		free(path);
		if (e == ENOENT) {
			tl_set_err(err, errlen, "%s is missing, so the export is not complete", name);
			rc = -1;
		} else if (e) {
			tl_set_err(err, errlen, "%s cannot be read (%s)", name, strerror(e));
			rc = -1;
		} else if (sodium_memcmp(got, want, 32) != 0) {
			tl_set_err(err, errlen, "%s has been changed or damaged since it was "
			        "exported (its checksum does not match)", name);
			rc = -1;
		} else if (which >= 0) {
			listed[which] = true;
		}
		p = nl + 1;
	}
	free(sums);
	for (int i = 0; rc == 0 && i < EXPORT_N_FILES; i++)
		if (!listed[i]) {
			tl_set_err(err, errlen, "its SHA256SUMS file does not list %s, so the "
			        "export is not complete", export_file_names[i]);
			rc = -1;
		}
	if (rc == 0 && !out->json) {
		tl_set_err(err, errlen, "export.json is missing");
		rc = -1;
	}
	if (rc != 0) {
		free(out->json);
		out->json = NULL;
	}
	return rc;
}

int
merge_verify(const char *dir, char *err, size_t errlen)
{
	checked c;
	int rc = verify(dir, &c, err, errlen);
	free(c.json);
	return rc;
}

/* ---- adding one export ------------------------------------------------- */

typedef struct prepared {
	checked c;        /* export.json's bytes, matched to their sum */
	bool refused;
	char reason[512];
} prepared;

static void
prepare_export(const char *dir, prepared *p)
{
	memset(p, 0, sizeof *p);
	char why[400];
	if (verify(dir, &p->c, why, sizeof why) != 0) {
		p->refused = true;
		snprintf(p->reason, sizeof p->reason, "%s", why);
	}
}

typedef struct ins {
	sqlite3 *db;
	sqlite3_stmt *flow, *sess, *ans;
	char *reason;
	size_t reasonlen;
	bool bad;
} ins;

/* A field of obj: a string (or NULL where may_be_null). Marks the export
 * bad with the field's name when it is missing or of the wrong type. */
static const char *
jstr(ins *in, json_t *obj, const char *key, bool may_be_null, const char *where)
{
	json_t *v = json_object_get(obj, key);
	if (json_is_string(v))
		return json_string_value(v);
	if (may_be_null && (!v || json_is_null(v)))
		return NULL;
	if (!in->bad)
		tl_set_err(in->reason, in->reasonlen, "export.json: %s has no text '%s'", where, key);
	in->bad = true;
	return NULL;
}

static json_int_t
jint(ins *in, json_t *obj, const char *key, const char *where)
{
	json_t *v = json_object_get(obj, key);
	if (json_is_integer(v))
		return json_integer_value(v);
	if (!in->bad)
		tl_set_err(in->reason, in->reasonlen, "export.json: %s has no number '%s'", where, key);
	in->bad = true;
	return 0;
}

static int
bind_str(sqlite3_stmt *s, int i, const char *v)
{
	return v ? sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(s, i);
}

static bool
step(ins *in, sqlite3_stmt *s)
{
	if (in->bad) {
		sqlite3_reset(s);
		return false;
	}
	int rc = sqlite3_step(s);
	if (rc != SQLITE_DONE) {
		tl_set_err(in->reason, in->reasonlen, "export.json holds something this database "
		        "refuses: %s", sqlite3_errmsg(in->db));
		in->bad = true;
	}
	sqlite3_reset(s);
	return !in->bad;
}


static void
insert_flow(ins *in, json_t *o)
{
	sqlite3_stmt *s = in->flow;
	if (!json_is_object(o)) {
		if (!in->bad)
			tl_set_err(in->reason, in->reasonlen, "export.json: a flow is not an object");
		in->bad = true;
		return;
	}
	bind_str(s, 1, jstr(in, o, "hash", false, "a flow"));
	bind_str(s, 2, jstr(in, o, "id", false, "a flow"));
	sqlite3_bind_int64(s, 3, jint(in, o, "version", "a flow"));
	bind_str(s, 4, jstr(in, o, "source", true, "a flow"));
	step(in, s);
}



/* ---- reading export.json a value at a time ------------------------------
 * The top-level object is walked by hand; its few small values (format,
 * format_version, flows) go through jansson, which stops after one value
 * with JSON_DISABLE_EOF_CHECK and says where. Each session, the bulk of the
 * file, is read by read_session below and added before the next is read. */

typedef struct cursor {
	const char *b;
	size_t len, p;
} cursor;

static char
peek(cursor *c)
{
	while (c->p < c->len && (c->b[c->p] == ' ' || c->b[c->p] == '\n' ||
	                         c->b[c->p] == '\r' || c->b[c->p] == '\t'))
		c->p++;
	return c->p < c->len ? c->b[c->p] : '\0';
}

static json_t *
value(cursor *c)
{
	json_error_t e;
	peek(c);
	json_t *v = json_loadb(c->b + c->p, c->len - c->p,
	                       JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY, &e);
	if (v)
		c->p += (size_t)e.position;
	return v;
}

static void
bad_json(ins *in, const char *what)
{
	if (!in->bad)
		tl_set_err(in->reason, in->reasonlen, "export.json cannot be read (%s)", what);
	in->bad = true;
}

/* ---- one session, read by hand -----------------------------------------
 * jansson made one small object tree per session and answer (most of a
 * merge's time went to its mallocs). This reader knows the one shape a
 * session has in export.json (docs/export.md): it is strict JSON (escapes,
 * UTF-8, no trailing commas), each known field must have its type, keys
 * may come in any order, and unknown keys are read and ignored as jansson's
 * version did. Strings are decoded into one arena reused for every
 * session. */

enum { JV_NONE, JV_NULL, JV_STR, JV_INT, JV_OTHER };

typedef struct jv {
	int t;
	size_t off;          /* JV_STR: into the arena */
	long long i;         /* JV_INT */
} jv;

enum { SF_ID, SF_KIOSK, SF_FLOW, SF_VERSION, SF_HASH, SF_STARTED, SF_ENDED, SF_STATUS,
       SF_LANG, SF_PRES, SF_EVENT, SF_N };
static const char *const sf_names[SF_N] = {
	"id", "kiosk_id", "flow_id", "flow_version", "flow_hash", "started_at", "ended_at",
	"status", "language", "presentation", "event",
};
enum { AF_SEQ, AF_QID, AF_QINDEX, AF_QTEXT, AF_KIND, AF_IDS, AF_LABELS, AF_GIVEN, AF_TAKEN,
       AF_METHOD, AF_N };
static const char *const af_names[AF_N] = {
	"seq", "question_id", "question_index", "question_text", "kind", "answer_ids",
	"answer_labels", "given_at", "time_taken_ms", "input_method",
};

typedef struct arec {
	jv f[AF_N];
} arec;


typedef struct sreader {
	cursor *c;
	char *arena;
	size_t alen, acap;
	arec *rows;
	size_t n, cap;
	bool bad;
	char why[160];
} sreader;

static void
sr_bad(sreader *r, const char *why)
{
	if (!r->bad)
		snprintf(r->why, sizeof r->why, "%s", why);
	r->bad = true;
}

static bool
sr_put(sreader *r, const char *p, size_t n)
{
	if (r->alen + n + 1 > r->acap) {
		size_t c = r->acap ? r->acap : 4096;
		while (c < r->alen + n + 1)
			c *= 2;
		char *a = realloc(r->arena, c);
		if (!a) {
			sr_bad(r, "out of memory");
			return false;
		}
		r->arena = a;
		r->acap = c;
	}
	memcpy(r->arena + r->alen, p, n);
	r->alen += n;
	return true;
}

static int
hexval(char ch)
{
	return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
	     : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
}

static long
hex4(const cursor *c, size_t at)
{
	if (at + 4 > c->len)
		return -1;
	long v = 0;
	for (int i = 0; i < 4; i++) {
		int d = hexval(c->b[at + i]);
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if none. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	unsigned ch = s[0];
	size_t k;
	unsigned min;
	if ((ch & 0xE0) == 0xC0) { k = 2; min = 0x80; ch &= 0x1F; }
	else if ((ch & 0xF0) == 0xE0) { k = 3; min = 0x800; ch &= 0x0F; }
	else if ((ch & 0xF8) == 0xF0) { k = 4; min = 0x10000; ch &= 0x07; }
	else return 0;
	if (k > n)
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		ch = (ch << 6) | (s[i] & 0x3F);
	}
	return ch < min || ch > 0x10FFFF || (ch >= 0xD800 && ch <= 0xDFFF) ? 0 : k;
}

/* A JSON string at the cursor (after whitespace) decoded into the arena,
 * NUL-terminated; its offset, or (size_t)-1 when it is not one. */
static size_t
sr_string(sreader *r)
{
	cursor *c = r->c;
	if (peek(c) != '"') {
		sr_bad(r, "a text is not in quotes");
		return (size_t)-1;
	}
	c->p++;
	size_t off = r->alen;
	for (;;) {
		size_t run = c->p;
		while (c->p < c->len) {
			unsigned char ch = (unsigned char)c->b[c->p];
			if (ch == '"' || ch == '\\' || ch < 0x20 || ch >= 0x80)
				break;
			c->p++;
		}
		if (!sr_put(r, c->b + run, c->p - run))
			return (size_t)-1;
		if (c->p >= c->len) {
			sr_bad(r, "a text is cut short");
			return (size_t)-1;
		}
		unsigned char ch = (unsigned char)c->b[c->p];
		if (ch == '"') {
			c->p++;
			break;
		}
		if (ch < 0x20) {
			sr_bad(r, "a text holds a control character");
			return (size_t)-1;
		}
		if (ch >= 0x80) {
			size_t k = utf8_seq((const unsigned char *)c->b + c->p, c->len - c->p);
			if (!k) {
				sr_bad(r, "a text is not UTF-8");
				return (size_t)-1;
			}
			if (!sr_put(r, c->b + c->p, k))
				return (size_t)-1;
			c->p += k;
			continue;
		}
		/* an escape */
		if (c->p + 1 >= c->len) {
			sr_bad(r, "a text is cut short");
			return (size_t)-1;
		}
		char e = c->b[c->p + 1], out = 0;
		c->p += 2;
		switch (e) {
		case '"': out = '"'; break;
		case '\\': out = '\\'; break;
		case '/': out = '/'; break;
		case 'b': out = '\b'; break;
		case 'f': out = '\f'; break;
		case 'n': out = '\n'; break;
		case 'r': out = '\r'; break;
		case 't': out = '\t'; break;
		case 'u': break;
		default:
			sr_bad(r, "a text has an unknown escape");
			return (size_t)-1;
		}
		if (e != 'u') {
			if (!sr_put(r, &out, 1))
				return (size_t)-1;
			continue;
		}
		long u = hex4(c, c->p);
		c->p += 4;
		if (u >= 0xD800 && u <= 0xDBFF) {
			long lo = c->p + 6 <= c->len && c->b[c->p] == '\\' && c->b[c->p + 1] == 'u'
			          ? hex4(c, c->p + 2) : -1;
			if (lo < 0xDC00 || lo > 0xDFFF) {
				sr_bad(r, "a text has half a character");
				return (size_t)-1;
			}
			c->p += 6;
			u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
		} else if (u < 0 || (u >= 0xDC00 && u <= 0xDFFF)) {
			sr_bad(r, "a text has a broken \\u escape");
			return (size_t)-1;
		}
		if (u == 0) {
			sr_bad(r, "a text holds a NUL character");
			return (size_t)-1;
		}
		char b[4];
		size_t k;
		if (u < 0x80) { b[0] = (char)u; k = 1; }
		else if (u < 0x800) { b[0] = (char)(0xC0 | (u >> 6)); b[1] = (char)(0x80 | (u & 0x3F)); k = 2; }
		else if (u < 0x10000) { b[0] = (char)(0xE0 | (u >> 12)); b[1] = (char)(0x80 | ((u >> 6) & 0x3F));
		                        b[2] = (char)(0x80 | (u & 0x3F)); k = 3; }
		else { b[0] = (char)(0xF0 | (u >> 18)); b[1] = (char)(0x80 | ((u >> 12) & 0x3F));
		       b[2] = (char)(0x80 | ((u >> 6) & 0x3F)); b[3] = (char)(0x80 | (u & 0x3F)); k = 4; }
		if (!sr_put(r, b, k))
			return (size_t)-1;
	}
	if (!sr_put(r, "", 1))
		return (size_t)-1;
	return off;
}

static bool
sr_lit(cursor *c, const char *w)
{
	size_t n = strlen(w);
	if (c->p + n > c->len || memcmp(c->b + c->p, w, n) != 0)
		return false;
	c->p += n;
	return true;
}

/* Any JSON value (for keys we do not know), depth-limited. */
static void
sr_skip(sreader *r, int depth)
{
	cursor *c = r->c;
	char ch = peek(c);
	if (depth > 32) {
		sr_bad(r, "it is nested too deeply");
		return;
	}
	if (ch == '"') {
		size_t mark = r->alen;
		sr_string(r);
		r->alen = mark;
	} else if (ch == '{' || ch == '[') {
		char close = ch == '{' ? '}' : ']';
		c->p++;
		if (peek(c) == close) {
			c->p++;
			return;
		}
		while (!r->bad) {
			if (ch == '{') {
				size_t mark = r->alen;
				sr_string(r);
				r->alen = mark;
				if (r->bad || peek(c) != ':') {
					sr_bad(r, "a ':' is missing");
					return;
				}
				c->p++;
			}
			sr_skip(r, depth + 1);
			char nx = peek(c);
			c->p++;
			if (nx == close)
				return;
			if (nx != ',')
				sr_bad(r, "a ',' is missing");
		}
	} else if (ch == '-' || (ch >= '0' && ch <= '9')) {
		char *end = NULL;
		char tmp[64];
		size_t n = 0;
		while (c->p + n < c->len && n < sizeof tmp - 1 && strchr("+-.eE0123456789", c->b[c->p + n]))
			n++;
		memcpy(tmp, c->b + c->p, n);
		tmp[n] = '\0';
		(void)strtod(tmp, &end);
		if (end == tmp)
			sr_bad(r, "a number is not one");
		c->p += n;
	} else if (!sr_lit(c, "true") && !sr_lit(c, "false") && !sr_lit(c, "null")) {
		sr_bad(r, "a value is not valid JSON");
	}
}

/* A value for a known field: a string, null, an integer, or other. */
static jv
sr_value(sreader *r)
{
	cursor *c = r->c;
	jv v = { JV_OTHER, 0, 0 };
	char ch = peek(c);
	if (ch == '"') {
		v.off = sr_string(r);
		v.t = r->bad ? JV_OTHER : JV_STR;
	} else if (ch == 'n' && sr_lit(c, "null")) {
		v.t = JV_NULL;
	} else if (ch == '-' || (ch >= '0' && ch <= '9')) {
		size_t q = c->p + (ch == '-');
		size_t digits = 0;
		long long i = 0;
		while (q < c->len && c->b[q] >= '0' && c->b[q] <= '9' && digits < 19) {
			i = i * 10 + (c->b[q] - '0');
			q++;
			digits++;
		}
		if (digits > 0 && digits < 19 && (q >= c->len || !strchr(".eE0123456789", c->b[q]))) {
			v.t = JV_INT;
			v.i = ch == '-' ? -i : i;
			c->p = q;
		} else {
			sr_skip(r, 0);   /* a real number: valid, but not for us */
		}
	} else {
		sr_skip(r, 0);
	}
	return v;
}

/* A list of strings joined with sep into the arena ("" for []). */
static jv
sr_joined(sreader *r, const char *sep)
{
	cursor *c = r->c;
	jv v = { JV_OTHER, 0, 0 };
	if (peek(c) != '[') {
		sr_skip(r, 0);
		return v;
	}
	c->p++;
	size_t off = r->alen;
	if (peek(c) == ']') {
		c->p++;
	} else {
		for (bool first = true; !r->bad; first = false) {
			if (peek(c) != '"') {
				sr_bad(r, "an answer in a list is not text");
				return v;
			}
			if (!first) {
				r->alen--;   /* over the previous piece's NUL */
				if (!sr_put(r, sep, strlen(sep)))
					return v;
			}
			size_t at = r->alen;
			size_t got = sr_string(r);
			if (got == (size_t)-1)
				return v;
			/* sr_string wrote at the end of the arena: keep it in place */
			(void)at;
			char nx = peek(c);
			c->p++;
			if (nx == ']')
				break;
			if (nx != ',') {
				sr_bad(r, "a ',' is missing in a list");
				return v;
			}
		}
		if (r->bad)
			return v;
		r->alen--;   /* the last NUL is put back below */
	}
	if (!sr_put(r, "", 1))
		return v;
	v.t = JV_STR;
	v.off = off;
	return v;
}

static int
find_name(const char *const *names, int n, const char *k)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], k) == 0)
			return i;
	return -1;
}

/* "{" key ":" value ("," key ":" value)* "}", calling field(k) per key. */
typedef void (*field_fn)(sreader *r, void *ud, const char *key);

static void
sr_object(sreader *r, void *ud, field_fn field)
{
	cursor *c = r->c;
	if (peek(c) != '{') {
		sr_bad(r, "a session or answer is not an object");
		return;
	}
	c->p++;
	if (peek(c) == '}') {
		c->p++;
		return;
	}
	char key[64];
	while (!r->bad) {
		size_t mark = r->alen;
		size_t k = sr_string(r);
		if (k == (size_t)-1)
			return;
		size_t kl = strlen(r->arena + k);
		if (kl >= sizeof key)
			kl = sizeof key - 1;   /* longer than any key we know */
		memcpy(key, r->arena + k, kl);
		key[kl] = '\0';
		r->alen = mark;
		if (peek(c) != ':') {
			sr_bad(r, "a ':' is missing");
			return;
		}
		c->p++;
		field(r, ud, key);
		char nx = peek(c);
		c->p++;
		if (nx == '}')
			return;
		if (nx != ',')
			sr_bad(r, "a ',' is missing");
	}
}

static void
answer_field(sreader *r, void *ud, const char *key)
{
	arec *a = ud;
	int i = find_name(af_names, AF_N, key);
	if (i == AF_IDS)
		a->f[i] = sr_joined(r, " ");
	else if (i == AF_LABELS)
		a->f[i] = sr_joined(r, " | ");
	else if (i >= 0)
		a->f[i] = sr_value(r);
	else
		sr_skip(r, 0);
}

typedef struct srec {
	jv f[SF_N];
	bool answers;        /* an answers list was there */
} srec;

static void
session_field(sreader *r, void *ud, const char *key)
{
	srec *s = ud;
	cursor *c = r->c;
	if (strcmp(key, "answers") != 0) {
		int i = find_name(sf_names, SF_N, key);
		if (i >= 0)
			s->f[i] = sr_value(r);
		else
			sr_skip(r, 0);
		return;
	}
	if (peek(c) != '[') {
		sr_skip(r, 0);
		s->answers = false;
		return;
	}
	s->answers = true;
	r->n = 0;
	c->p++;
	if (peek(c) == ']') {
		c->p++;
		return;
	}
	while (!r->bad) {
		if (r->n == r->cap) {
			size_t cap = r->cap ? r->cap * 2 : 64;
			arec *p = realloc(r->rows, cap * sizeof *p);
			if (!p) {
				sr_bad(r, "out of memory");
				return;
			}
			r->rows = p;
			r->cap = cap;
		}
		arec *a = &r->rows[r->n++];
		memset(a, 0, sizeof *a);
		sr_object(r, a, answer_field);
		char nx = peek(c);
		c->p++;
		if (nx == ']')
			return;
		if (nx != ',')
			sr_bad(r, "a ',' is missing between answers");
	}
}

/* Binds field v as text (may_be_null: JV_NONE and JV_NULL bind NULL). */
static void
bind_jv_str(ins *in, sreader *r, sqlite3_stmt *s, int i, jv v, bool may_be_null,
            const char *where, const char *key)
{
	if (v.t == JV_STR) {
		sqlite3_bind_text(s, i, r->arena + v.off, -1, SQLITE_STATIC);
		return;
	}
	sqlite3_bind_null(s, i);
	if (may_be_null && (v.t == JV_NONE || v.t == JV_NULL))
		return;
	if (!in->bad)
		tl_set_err(in->reason, in->reasonlen, "export.json: %s has no text '%s'", where, key);
	in->bad = true;
}

static void
bind_jv_int(ins *in, sqlite3_stmt *s, int i, jv v, const char *where, const char *key)
{
	if (v.t == JV_INT) {
		sqlite3_bind_int64(s, i, v.i);
		return;
	}
	sqlite3_bind_null(s, i);
	if (!in->bad)
		tl_set_err(in->reason, in->reasonlen, "export.json: %s has no number '%s'", where, key);
	in->bad = true;
}

/* Reads one session at the cursor and adds it (and, when new, its answers). */
static void
read_session(ins *in, sreader *r, merge_result *res)
{
	srec sr;
	memset(&sr, 0, sizeof sr);
	r->alen = 0;
	r->n = 0;
	sr_object(r, &sr, session_field);
	if (r->bad) {
		if (!in->bad)
			tl_set_err(in->reason, in->reasonlen, "export.json cannot be read (%s)", r->why);
		in->bad = true;
		return;
	}
	/* the arena no longer moves: bind straight from it */
	sqlite3_stmt *s = in->sess;
	static const int sess_bind[SF_N] = {
		[SF_ID] = 1, [SF_KIOSK] = 2, [SF_FLOW] = 3, [SF_VERSION] = 4, [SF_HASH] = 5,
		[SF_STARTED] = 6, [SF_ENDED] = 7, [SF_STATUS] = 8, [SF_LANG] = 9, [SF_PRES] = 10,
		[SF_EVENT] = 11,
	};
	for (int i = 0; i < SF_N; i++) {
		if (i == SF_VERSION)
			bind_jv_int(in, s, sess_bind[i], sr.f[i], "a session", sf_names[i]);
		else
			bind_jv_str(in, r, s, sess_bind[i], sr.f[i], i == SF_ENDED || i == SF_EVENT,
			            "a session", sf_names[i]);
	}
	const char *sid = sr.f[SF_ID].t == JV_STR ? r->arena + sr.f[SF_ID].off : "?";
	if (!in->bad && !sr.answers) {
		tl_set_err(in->reason, in->reasonlen, "export.json: session %s has no answers list", sid);
		in->bad = true;
	}
	if (!step(in, s))
		return;
	if (sqlite3_changes(in->db) == 0) {
		res->sessions_present++;
		return;
	}
	res->sessions_new++;
	static const int ans_bind[AF_N] = {
		[AF_SEQ] = 2, [AF_QID] = 3, [AF_QINDEX] = 4, [AF_QTEXT] = 5, [AF_KIND] = 6,
		[AF_IDS] = 7, [AF_LABELS] = 8, [AF_GIVEN] = 9, [AF_TAKEN] = 10, [AF_METHOD] = 11,
	};
	for (size_t j = 0; j < r->n && !in->bad; j++) {
		const arec *a = &r->rows[j];
		sqlite3_stmt *q = in->ans;
		sqlite3_bind_text(q, 1, sid, -1, SQLITE_STATIC);
		for (int i = 0; i < AF_N; i++) {
			if (i == AF_SEQ || i == AF_QINDEX || i == AF_TAKEN)
				bind_jv_int(in, q, ans_bind[i], a->f[i], "an answer", af_names[i]);
			else if ((i == AF_IDS || i == AF_LABELS) && a->f[i].t != JV_STR) {
				sqlite3_bind_null(q, ans_bind[i]);
				if (!in->bad)
					tl_set_err(in->reason, in->reasonlen,
					        "export.json: an answer has no list of answers");
				in->bad = true;
			} else
				bind_jv_str(in, r, q, ans_bind[i], a->f[i], false, "an answer", af_names[i]);
		}
		if (!step(in, q))
			return;
		res->answers_new++;
	}
}

static void
walk(ins *in, cursor *c, sreader *sr, merge_result *res, bool *format_ok, bool *sessions_seen)
{
	if (peek(c) != '{') {
		bad_json(in, "it is not a JSON object");
		return;
	}
	c->p++;
	if (peek(c) == '}') {
		c->p++;
		return;
	}
	while (!in->bad) {
		json_t *key = value(c);
		if (!json_is_string(key)) {
			json_decref(key);
			bad_json(in, "a key is not text");
			return;
		}
		if (peek(c) != ':') {
			json_decref(key);
			bad_json(in, "a ':' is missing");
			return;
		}
		c->p++;
		const char *k = json_string_value(key);
		if (strcmp(k, "sessions") == 0) {
			*sessions_seen = true;
			if (peek(c) != '[') {
				json_decref(key);
				bad_json(in, "sessions is not a list");
				return;
			}
			c->p++;
			if (peek(c) == ']')
				c->p++;
			else
				while (!in->bad) {
					read_session(in, sr, res);
					if (in->bad)
						break;
					char ch = peek(c);
					c->p++;
					if (ch == ']')
						break;
					if (ch != ',')
						bad_json(in, "a ',' is missing between sessions");
				}
		} else {
			json_t *v = value(c);
			if (!v) {
				json_decref(key);
				bad_json(in, "a value is not valid JSON");
				return;
			}
			if (strcmp(k, "format") == 0)
				*format_ok = json_is_string(v) &&
				             strcmp(json_string_value(v), "tellus-export") == 0;
			else if (strcmp(k, "format_version") == 0 &&
			         (!json_is_integer(v) || json_integer_value(v) != 1)) {
				if (!in->bad)
					tl_set_err(in->reason, in->reasonlen, "export.json is not format "
					        "version 1, the one this Tellus reads; update Tellus on "
					        "this computer");
				in->bad = true;
			} else if (strcmp(k, "flows") == 0) {
				size_t i;
				json_t *f;
				if (!json_is_array(v))
					bad_json(in, "flows is not a list");
				json_array_foreach(v, i, f)
					insert_flow(in, f);
			}
			json_decref(v);
		}
		json_decref(key);
		char ch = peek(c);
		c->p++;
		if (ch == '}')
			break;
		if (ch != ',') {
			bad_json(in, "a ',' is missing");
			return;
		}
	}
	if (!in->bad && peek(c) != '\0')
		bad_json(in, "something follows the export");
}

static void
apply(store *st, const char *json, size_t len, merge_result *res, bool nested)
{
	ins in = { .db = store_db(st), .reason = res->reason, .reasonlen = sizeof res->reason };
	/* A big export touches every page of the answers indexes; with SQLite's
	 * small default cache they would be written and read back over and
	 * over inside the one transaction. */
	sqlite3_exec(in.db, "PRAGMA cache_size = -262144", NULL, NULL, NULL);
	/* Each export's savepoint keeps the old copies of the pages it changes
	 * (a statement journal): in memory, not in a temporary file. */
	sqlite3_exec(in.db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL);
	/* inside merge_many's one transaction, a savepoint keeps each export
	 * all-or-nothing on its own */
	int rc = sqlite3_exec(in.db, nested ? "SAVEPOINT merge_one" : "BEGIN IMMEDIATE",
	                      NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(in.db, "INSERT OR IGNORE INTO flows(hash, id, version, source)"
		                        " VALUES(?,?,?,?)", -1, &in.flow, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(in.db, "INSERT OR IGNORE INTO sessions(id, kiosk_id, flow_id,"
		        " flow_version, flow_hash, started_at, ended_at, status, language,"
		        " presentation, event) VALUES(?,?,?,?,?,?,?,?,?,?,?)", -1, &in.sess, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(in.db, "INSERT INTO answers(session_id, seq, question_id,"
		        " question_index, question_text, kind, answer_ids, answer_labels, given_at,"
		        " time_taken_ms, input_method) VALUES(?,?,?,?,?,?,?,?,?,?,?)", -1, &in.ans, NULL);
	if (rc != SQLITE_OK) {
		in.bad = true;
		tl_set_err(res->reason, sizeof res->reason, "the database cannot take it: %s",
		        sqlite3_errmsg(in.db));
	}
	bool format_ok = false, sessions_seen = false;
	cursor c = { json, len, 0 };
	sreader sr = { .c = &c };
	if (!in.bad)
		walk(&in, &c, &sr, res, &format_ok, &sessions_seen);
	free(sr.arena);
	free(sr.rows);
	if (!in.bad && (!format_ok || !sessions_seen)) {
		tl_set_err(res->reason, sizeof res->reason, "export.json is not a Tellus export");
		in.bad = true;
	}
	sqlite3_finalize(in.flow);
	sqlite3_finalize(in.sess);
	sqlite3_finalize(in.ans);
	if (!in.bad && sqlite3_exec(in.db, nested ? "RELEASE merge_one" : "COMMIT",
	                            NULL, NULL, NULL) != SQLITE_OK) {
		in.bad = true;
		tl_set_err(res->reason, sizeof res->reason, "the database could not save it: %s",
		        sqlite3_errmsg(in.db));
	}
	if (in.bad) {
		if (nested)
			sqlite3_exec(in.db, "ROLLBACK TO merge_one; RELEASE merge_one", NULL, NULL, NULL);
		else if (!sqlite3_get_autocommit(in.db))
			sqlite3_exec(in.db, "ROLLBACK", NULL, NULL, NULL);
		res->refused = true;
		res->sessions_new = res->sessions_present = res->answers_new = 0;
	}
}

static void
finish(store *st, prepared *p, merge_result *res, bool nested)
{
	memset(res, 0, sizeof *res);
	if (p->refused) {
		res->refused = true;
		snprintf(res->reason, sizeof res->reason, "%s", p->reason);
	} else {
		apply(st, p->c.json, p->c.json_len, res, nested);
	}
	free(p->c.json);
	p->c.json = NULL;
}

int
merge_export(store *st, const char *dir, merge_result *res)
{
	prepared p;
	prepare_export(dir, &p);
	finish(st, &p, res, false);
	return res->refused ? -1 : 0;
}

typedef struct job {
	const char *dir;
	prepared p;
} job;

static void *
prepare_thread(void *ud)
{
	job *j = ud;
	prepare_export(j->dir, &j->p);
	return NULL;
}

size_t
merge_many(store *st, const char *const *dirs, size_t n, merge_result *results)
{
	size_t refused = 0;
	if (n == 0)
		return 0;
	/* One transaction for all of them: one commit (one WAL sync and one
	 * checkpoint) instead of one per export; the savepoints in apply keep
	 * every export all-or-nothing. WAL and synchronous=FULL stay as they
	 * are, so a crash mid-merge leaves master.db as it was. */
	sqlite3 *db = store_db(st);
	sqlite3_exec(db, "PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY", NULL, NULL, NULL);
	bool outer = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK;
	job jobs[2];
	jobs[0].dir = dirs[0];
	prepare_export(dirs[0], &jobs[0].p);
	for (size_t i = 0; i < n; i++) {
		job *cur = &jobs[i % 2], *next = &jobs[(i + 1) % 2];
		pthread_t t;
		bool threaded = false;
		if (i + 1 < n) {
			next->dir = dirs[i + 1];
			threaded = pthread_create(&t, NULL, prepare_thread, next) == 0;
			if (!threaded)
				prepare_export(next->dir, &next->p);
		}
		finish(st, &cur->p, &results[i], outer);
		if (threaded)
			pthread_join(t, NULL);
		refused += results[i].refused;
	}
	if (outer && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		char why[400];
		snprintf(why, sizeof why, "the database could not save it: %s", sqlite3_errmsg(db));
		if (!sqlite3_get_autocommit(db))
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		for (size_t i = 0; i < n; i++)
			if (!results[i].refused) {
				results[i] = (merge_result){ .refused = true };
				snprintf(results[i].reason, sizeof results[i].reason, "%s", why);
				refused++;
			}
	}
	return refused;
}
