/*
 * merge: verify an export against its SHA256SUMS, then add it in one
 * transaction.
 *
 * Promises:
 * - Nothing is read from an export until its sums check out; export.json is
 *   read into memory once and that same buffer is both hashed and parsed,
 *   so a file changed between the check and the read cannot slip in.
 * - One transaction per export: any problem (a field missing or of the
 *   wrong type, a status the schema refuses) rolls the whole export back
 *   and refuses it with the reason.
 * - Sessions go in by UUID with INSERT OR IGNORE; only a session that was
 *   new brings its answers, so a second merge of the same export adds
 *   nothing. Merged sessions arrive not yet exported from this database.
 */
#include "merge.h"
#include "export.h"
#include "util.h"

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

static void
set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
set_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

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
	export_sha256 st;
	export_sha256_init(&st);
	size_t n;
	while ((n = fread(buf, 1, 1 << 20, f)) > 0)
		export_sha256_update(&st, buf, n);
	int e = ferror(f) ? EIO : 0;
	fclose(f);
	free(buf);
	export_sha256_final(&st, out);
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
		set_err(err, errlen, "could not start the checksum library");
		return -1;
	}
	char *sums_path = tl_asprintf("%s/%s", dir, EXPORT_SUMS_NAME);
	char *sums = NULL;
	size_t sums_len = 0;
	int e = sums_path ? tl_read_file(sums_path, &sums, &sums_len) : ENOMEM;
	free(sums_path);
	if (e) {
		set_err(err, errlen, e == ENOENT
		        ? "it has no SHA256SUMS file, so it cannot be checked (an export "
		          "that was not finished, or not a Tellus export)"
		        : "its SHA256SUMS file cannot be read (%s)", strerror(e));
		return -1;
	}
	if (sums_len > SUMS_MAX || strlen(sums) != sums_len) {
		set_err(err, errlen, "its SHA256SUMS file is not one Tellus wrote");
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
			set_err(err, errlen, "its SHA256SUMS file is cut short (line %d)", line);
			rc = -1;
			break;
		}
		*nl = '\0';
		unsigned char want[32];
		/* coreutils: 64 hex digits, a space, then ' ' (text) or '*' (binary) */
		if (nl - p < 67 || !hex_digest(p, want) || p[64] != ' ' ||
		    (p[65] != ' ' && p[65] != '*')) {
			set_err(err, errlen, "line %d of its SHA256SUMS file is not a checksum line", line);
			rc = -1;
			break;
		}
		const char *name = p + 66;
		if (strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
			set_err(err, errlen, "its SHA256SUMS file names %s, which is not a file of an export", name);
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
				export_sha256 sh;
				export_sha256_init(&sh);
				export_sha256_update(&sh, out->json, out->json_len);
				export_sha256_final(&sh, got);
			}
		} else {
			e = hash_file(path, got);
		}
		free(path);
		if (e == ENOENT) {
			set_err(err, errlen, "%s is missing, so the export is not complete", name);
			rc = -1;
		} else if (e) {
			set_err(err, errlen, "%s cannot be read (%s)", name, strerror(e));
			rc = -1;
		} else if (sodium_memcmp(got, want, 32) != 0) {
			set_err(err, errlen, "%s has been changed or damaged since it was "
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
			set_err(err, errlen, "its SHA256SUMS file does not list %s, so the "
			        "export is not complete", export_file_names[i]);
			rc = -1;
		}
	if (rc == 0 && !out->json) {
		set_err(err, errlen, "export.json is missing");
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
		set_err(in->reason, in->reasonlen, "export.json: %s has no text '%s'", where, key);
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
		set_err(in->reason, in->reasonlen, "export.json: %s has no number '%s'", where, key);
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
		set_err(in->reason, in->reasonlen, "export.json holds something this database "
		        "refuses: %s", sqlite3_errmsg(in->db));
		in->bad = true;
	}
	sqlite3_reset(s);
	return !in->bad;
}

/* Joins a JSON array of strings with sep into a growable buffer. */
static const char *
join(ins *in, json_t *arr, const char *sep, char **buf, size_t *cap, const char *where)
{
	size_t len = 0, sl = strlen(sep);
	if (!json_is_array(arr)) {
		if (!in->bad)
			set_err(in->reason, in->reasonlen, "export.json: %s has no list of answers", where);
		in->bad = true;
		return "";
	}
	size_t i;
	json_t *v;
	if (!*buf) {
		*cap = 256;
		*buf = malloc(*cap);
		if (!*buf) {
			in->bad = true;
			set_err(in->reason, in->reasonlen, "out of memory");
			return "";
		}
	}
	(*buf)[0] = '\0';
	json_array_foreach(arr, i, v) {
		if (!json_is_string(v)) {
			if (!in->bad)
				set_err(in->reason, in->reasonlen, "export.json: %s has an answer that is not text", where);
			in->bad = true;
			return "";
		}
		size_t vl = json_string_length(v);
		if (len + vl + sl + 1 > *cap) {
			size_t c = (*cap + vl + sl + 1) * 2;
			char *p = realloc(*buf, c);
			if (!p) {
				in->bad = true;
				set_err(in->reason, in->reasonlen, "out of memory");
				return "";
			}
			*buf = p;
			*cap = c;
		}
		if (i) {
			memcpy(*buf + len, sep, sl);
			len += sl;
		}
		memcpy(*buf + len, json_string_value(v), vl);
		len += vl;
		(*buf)[len] = '\0';
	}
	return *buf;
}

static void
insert_flow(ins *in, json_t *o)
{
	sqlite3_stmt *s = in->flow;
	if (!json_is_object(o)) {
		if (!in->bad)
			set_err(in->reason, in->reasonlen, "export.json: a flow is not an object");
		in->bad = true;
		return;
	}
	bind_str(s, 1, jstr(in, o, "hash", false, "a flow"));
	bind_str(s, 2, jstr(in, o, "id", false, "a flow"));
	sqlite3_bind_int64(s, 3, jint(in, o, "version", "a flow"));
	bind_str(s, 4, jstr(in, o, "source", true, "a flow"));
	step(in, s);
}

typedef struct joinbuf {
	char *ids, *labels;
	size_t ids_cap, labels_cap;
} joinbuf;

static void
insert_session(ins *in, json_t *o, joinbuf *jb, merge_result *res)
{
	if (!json_is_object(o)) {
		if (!in->bad)
			set_err(in->reason, in->reasonlen, "export.json: a session is not an object");
		in->bad = true;
		return;
	}
	sqlite3_stmt *s = in->sess;
	const char *sid = jstr(in, o, "id", false, "a session");
	bind_str(s, 1, sid);
	bind_str(s, 2, jstr(in, o, "kiosk_id", false, "a session"));
	bind_str(s, 3, jstr(in, o, "flow_id", false, "a session"));
	sqlite3_bind_int64(s, 4, jint(in, o, "flow_version", "a session"));
	bind_str(s, 5, jstr(in, o, "flow_hash", false, "a session"));
	bind_str(s, 6, jstr(in, o, "started_at", false, "a session"));
	bind_str(s, 7, jstr(in, o, "ended_at", true, "a session"));
	bind_str(s, 8, jstr(in, o, "status", false, "a session"));
	bind_str(s, 9, jstr(in, o, "language", false, "a session"));
	bind_str(s, 10, jstr(in, o, "presentation", false, "a session"));
	bind_str(s, 11, jstr(in, o, "event", true, "a session"));
	json_t *answers = json_object_get(o, "answers");
	if (!in->bad && !json_is_array(answers)) {
		set_err(in->reason, in->reasonlen, "export.json: session %s has no answers list", sid);
		in->bad = true;
	}
	if (!step(in, s))
		return;
	if (sqlite3_changes(in->db) == 0) {
		res->sessions_present++;
		return;
	}
	res->sessions_new++;
	size_t j;
	json_t *a;
	json_array_foreach(answers, j, a) {
		sqlite3_stmt *q = in->ans;
		bind_str(q, 1, sid);
		sqlite3_bind_int64(q, 2, jint(in, a, "seq", "an answer"));
		bind_str(q, 3, jstr(in, a, "question_id", false, "an answer"));
		sqlite3_bind_int64(q, 4, jint(in, a, "question_index", "an answer"));
		bind_str(q, 5, jstr(in, a, "question_text", false, "an answer"));
		bind_str(q, 6, jstr(in, a, "kind", false, "an answer"));
		bind_str(q, 7, join(in, json_object_get(a, "answer_ids"), " ", &jb->ids, &jb->ids_cap, "an answer"));
		bind_str(q, 8, join(in, json_object_get(a, "answer_labels"), " | ", &jb->labels, &jb->labels_cap, "an answer"));
		bind_str(q, 9, jstr(in, a, "given_at", false, "an answer"));
		sqlite3_bind_int64(q, 10, jint(in, a, "time_taken_ms", "an answer"));
		bind_str(q, 11, jstr(in, a, "input_method", false, "an answer"));
		if (!step(in, q))
			return;
		res->answers_new++;
	}
}

/* ---- reading export.json a value at a time ------------------------------
 * A 1,000,000-answer export would be millions of jansson objects at once;
 * instead the top-level object is walked by hand and each session is
 * parsed, added and freed on its own (jansson stops after one value with
 * JSON_DISABLE_EOF_CHECK and says where). Any layout of valid JSON works. */

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
		set_err(in->reason, in->reasonlen, "export.json cannot be read (%s)", what);
	in->bad = true;
}

static void
walk(ins *in, cursor *c, joinbuf *jb, merge_result *res, bool *format_ok, bool *sessions_seen)
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
					json_t *o = value(c);
					if (!o) {
						bad_json(in, "a session is not valid JSON");
						break;
					}
					insert_session(in, o, jb, res);
					json_decref(o);
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
					set_err(in->reason, in->reasonlen, "export.json is not format "
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
apply(store *st, const char *json, size_t len, merge_result *res)
{
	ins in = { .db = store_db(st), .reason = res->reason, .reasonlen = sizeof res->reason };
	joinbuf jb = { 0 };
	/* A big export touches every page of the answers indexes; with SQLite's
	 * small default cache they would be written and read back over and
	 * over inside the one transaction. */
	sqlite3_exec(in.db, "PRAGMA cache_size = -262144", NULL, NULL, NULL);
	int rc = sqlite3_exec(in.db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
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
		set_err(res->reason, sizeof res->reason, "the database cannot take it: %s",
		        sqlite3_errmsg(in.db));
	}
	bool format_ok = false, sessions_seen = false;
	cursor c = { json, len, 0 };
	if (!in.bad)
		walk(&in, &c, &jb, res, &format_ok, &sessions_seen);
	if (!in.bad && (!format_ok || !sessions_seen)) {
		set_err(res->reason, sizeof res->reason, "export.json is not a Tellus export");
		in.bad = true;
	}
	sqlite3_finalize(in.flow);
	sqlite3_finalize(in.sess);
	sqlite3_finalize(in.ans);
	free(jb.ids);
	free(jb.labels);
	if (!in.bad && sqlite3_exec(in.db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		in.bad = true;
		set_err(res->reason, sizeof res->reason, "the database could not save it: %s",
		        sqlite3_errmsg(in.db));
	}
	if (in.bad) {
		if (!sqlite3_get_autocommit(in.db))
			sqlite3_exec(in.db, "ROLLBACK", NULL, NULL, NULL);
		res->refused = true;
		res->sessions_new = res->sessions_present = res->answers_new = 0;
	}
}

static void
finish(store *st, prepared *p, merge_result *res)
{
	memset(res, 0, sizeof *res);
	if (p->refused) {
		res->refused = true;
		snprintf(res->reason, sizeof res->reason, "%s", p->reason);
	} else {
		apply(st, p->c.json, p->c.json_len, res);
	}
	free(p->c.json);
	p->c.json = NULL;
}

int
merge_export(store *st, const char *dir, merge_result *res)
{
	prepared p;
	prepare_export(dir, &p);
	finish(st, &p, res);
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
		finish(st, &cur->p, &results[i]);
		if (threaded)
			pthread_join(t, NULL);
		refused += results[i].refused;
	}
	return refused;
}
