/*
 * merge_read: export.json (docs/export.md) into flow, session and answer
 * records, through jansson.
 *
 * Promises:
 * - Strict JSON or nothing: jansson refuses bad UTF-8, a NUL in a text, a
 *   key twice in one object (JSON_REJECT_DUPLICATES), numbers too big for
 *   64 bits, nesting past 2048 and anything after the one value; its
 *   refusal becomes plain words and the place (line, column).
 * - Every field merge uses is checked for its type, in the order of the
 *   tables below (the first wrong one is the one reported); unknown keys
 *   are ignored, so a later Tellus may add some.
 * - Nothing here touches the database: merge.c writes what this reads.
 *
 * Known limit: jansson 2.14 does not survive every failed allocation
 * while it parses (its lexer drops one: akheron/jansson#362, fix proposed
 * in #747), so merge's behaviour when malloc really fails mid-parse is
 * jansson's. Failing its allocations on purpose crashed it here, which is
 * why no test does that.
 *
 * It replaced a hand-written streaming reader: one jansson tree per export
 * costs more CPU, but merge_many builds it on its second thread while the
 * previous export is written, so little of it is waited for.
 */
#include "merge/merge_read.h"
#include "export/export_columns.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

/* The record keys, looked up in export_columns once (below). */
static pthread_once_t keys_once = PTHREAD_ONCE_INIT;
static void find_keys(void);

/* jansson's lexer reports some of its allocations failing as a syntax error
 * ("invalid token" where a string could not grow), which would tell staff
 * that a good export is broken. Its allocator is watched instead: a
 * failure during a load is running out of memory, whatever jansson says. */
static _Thread_local bool json_alloc_failed;

static void *
watched_malloc(size_t n)
{
	void *p = malloc(n);
	if (!p)
		json_alloc_failed = true;
	return p;
}

static void
watched_free(void *p)
{
	free(p);
}

/* ---- the whole file ------------------------------------------------------ */

static int
unreadable(tl_error *err, const char *why)
{
	return tl_err(err, TL_E_FORMAT, "export.json cannot be read (%s)", why);
}

/* jansson's refusals in plain words. */
static const struct {
	enum json_error_code code;
	const char *words;
} json_refusals[] = {
	{ json_error_invalid_utf8, "a text is not UTF-8" },
	{ json_error_premature_end_of_input, "it is cut short" },
	{ json_error_end_of_input_expected, "something follows the export" },
	{ json_error_null_character, "a text holds a NUL character" },
	{ json_error_null_byte_in_key, "a key holds a NUL character" },
	{ json_error_duplicate_key, "a key is there twice in one object" },
	{ json_error_numeric_overflow, "a number is too big" },
	{ json_error_stack_overflow, "it is nested too deeply" },
};

static int
refused_by_jansson(const json_error_t *je, size_t len, tl_error *err)
{
	enum json_error_code code = json_error_code(je);
	/* a file cut inside a number or a word ("tr") ends in what jansson
	 * calls a bad token: it is cut short all the same */
	if (code == json_error_invalid_syntax && je->position >= 0 && (size_t)je->position >= len)
		code = json_error_premature_end_of_input;
	/* jansson leaves no words at all when it could not even start (its
	 * first allocation failed) */
	if (code == json_error_out_of_memory || (code == json_error_unknown && !je->text[0]))
		return tl_err_nomem(err);
	const char *words = "it is not valid JSON";
	for (size_t i = 0; i < sizeof json_refusals / sizeof json_refusals[0]; i++)
		if (json_refusals[i].code == code)
			words = json_refusals[i].words;
	if (je->line < 1)
		return unreadable(err, words);
	return tl_err_at(err, TL_E_FORMAT, "export.json", je->line, je->column,
	                 "export.json cannot be read (%s: line %d, column %d)", words,
	                 je->line, je->column);
}

int
merge_read_load(merge_doc *doc, const char *json, size_t len, tl_error *err)
{
	memset(doc, 0, sizeof *doc);
	pthread_once(&keys_once, find_keys);
	if (len == 0)
		return unreadable(err, "it is empty");
	json_error_t je;
	/* JSON_DECODE_ANY: a lone number or text at the top is "not a JSON
	 * object" below, not a syntax error */
	json_alloc_failed = false;
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
	if (!root && json_alloc_failed)
		return tl_err_nomem(err);
	if (!root)
		return refused_by_jansson(&je, len, err);
	int rc = 0;
	json_t *format = json_object_get(root, "format");
	json_t *version = json_object_get(root, "format_version");
	json_t *sessions = json_object_get(root, "sessions");
	json_t *flows = json_object_get(root, "flows");
	if (!json_is_object(root))
		rc = unreadable(err, "it is not a JSON object");
	else if (version && (!json_is_integer(version) || json_integer_value(version) < 1 ||
	                     json_integer_value(version) > EXPORT_JSON_FORMAT_VERSION))
		rc = tl_err(err, TL_E_FORMAT, "export.json is not format version 1 to %d, the ones this "
		            "Tellus reads; update Tellus on this computer", EXPORT_JSON_FORMAT_VERSION);
	else if (!json_is_string(format) ||
	         strcmp(json_string_value(format), EXPORT_JSON_FORMAT) != 0 || !sessions)
		rc = tl_err(err, TL_E_FORMAT, "export.json is not a Tellus export");
	else if (!json_is_array(sessions))
		rc = unreadable(err, "sessions is not a list");
	else if (flows && !json_is_array(flows))
		rc = unreadable(err, "flows is not a list");
	if (rc != 0) {
		json_decref(root);
		return rc;
	}
	doc->root = root;
	doc->sessions = sessions;
	doc->flows = flows;
	return 0;
}

void
merge_read_free(merge_doc *doc)
{
	json_decref(doc->root);
	memset(doc, 0, sizeof *doc);
}

size_t
merge_read_n_flows(const merge_doc *doc)
{
	return json_array_size(doc->flows);
}

size_t
merge_read_n_sessions(const merge_doc *doc)
{
	return json_array_size(doc->sessions);
}

const char *
merge_list_at(merge_list l, size_t k)
{
	return json_string_value(json_array_get(l.items, k));
}

/* ---- one record ------------------------------------------------------------
 * Each record is read by a table of its fields: which field of the export
 * it is (its JSON key is export_columns_name's, the one list the export
 * writes from), what it must hold, and where it goes in the record. */

enum field_type {
	F_TEXT,          /* a text */
	F_TEXT_OR_NULL,  /* a text, null, or missing (NULL) */
	F_INT,           /* an integer */
	F_LIST,          /* a list of texts (merge_list) */
	F_LIST_OR_NONE,  /* the same, or missing (an empty list): keys format 1 did not have */
};

typedef struct field {
	enum export_field of;
	enum field_type type;
	size_t at;       /* offsetof in the record */
} field;

#define FIELD(rec, member, of, type) { of, type, offsetof(rec, member) }

static const field flow_fields[] = {
	FIELD(merge_flow, hash, EXPORT_F_HASH, F_TEXT),
	FIELD(merge_flow, id, EXPORT_F_ID, F_TEXT),
	FIELD(merge_flow, version, EXPORT_F_VERSION, F_INT),
	FIELD(merge_flow, source, EXPORT_F_SOURCE, F_TEXT_OR_NULL),
};

static const field session_fields[] = {
	FIELD(merge_session, id, EXPORT_F_SESSION_ID, F_TEXT),
	FIELD(merge_session, kiosk_id, EXPORT_F_KIOSK_ID, F_TEXT),
	FIELD(merge_session, flow_id, EXPORT_F_FLOW_ID, F_TEXT),
	FIELD(merge_session, flow_version, EXPORT_F_FLOW_VERSION, F_INT),
	FIELD(merge_session, flow_hash, EXPORT_F_FLOW_HASH, F_TEXT),
	FIELD(merge_session, started_at, EXPORT_F_STARTED_AT, F_TEXT),
	FIELD(merge_session, ended_at, EXPORT_F_ENDED_AT, F_TEXT_OR_NULL),
	FIELD(merge_session, status, EXPORT_F_STATUS, F_TEXT),
	FIELD(merge_session, language, EXPORT_F_LANGUAGE, F_TEXT),
	FIELD(merge_session, presentation, EXPORT_F_PRESENTATION, F_TEXT),
	FIELD(merge_session, event, EXPORT_F_EVENT, F_TEXT_OR_NULL),
};

static const field answer_fields[] = {
	FIELD(merge_answer, seq, EXPORT_F_SEQ, F_INT),
	FIELD(merge_answer, question_id, EXPORT_F_QUESTION_ID, F_TEXT),
	FIELD(merge_answer, question_index, EXPORT_F_QUESTION_INDEX, F_INT),
	FIELD(merge_answer, question_text, EXPORT_F_QUESTION_TEXT, F_TEXT),
	FIELD(merge_answer, kind, EXPORT_F_KIND, F_TEXT),
	FIELD(merge_answer, answer_ids, EXPORT_F_ANSWER_IDS, F_LIST),
	FIELD(merge_answer, answer_labels, EXPORT_F_ANSWER_LABELS, F_LIST),
	FIELD(merge_answer, sort_columns, EXPORT_F_SORT_COLUMNS, F_LIST_OR_NONE),
	FIELD(merge_answer, sort_column_labels, EXPORT_F_SORT_COLUMN_LABELS, F_LIST_OR_NONE),
	FIELD(merge_answer, typed_text, EXPORT_F_TYPED_TEXT, F_TEXT_OR_NULL),
	FIELD(merge_answer, drawing, EXPORT_F_DRAWING, F_TEXT_OR_NULL),
	FIELD(merge_answer, given_at, EXPORT_F_GIVEN_AT, F_TEXT),
	FIELD(merge_answer, time_taken_ms, EXPORT_F_TIME_TAKEN_MS, F_INT),
	FIELD(merge_answer, input_method, EXPORT_F_INPUT_METHOD, F_TEXT),
};

/* A kind of record: its table in export_columns, its fields and their
 * keys (looked up once, not per record). */
typedef struct record_kind {
	enum export_table table;
	const field *fields;
	size_t n;
	const char *where;          /* how the words name one ("a session") */
	const char *keys[16];
} record_kind;

#define KIND(t, f, w) { t, f, sizeof (f) / sizeof (f)[0], w, { NULL } }
static record_kind flow_kind = KIND(EXPORT_FLOW_JSON, flow_fields, "a flow");
static record_kind session_kind = KIND(EXPORT_SESSION_JSON, session_fields, "a session");
static record_kind answer_kind = KIND(EXPORT_ANSWER_JSON, answer_fields, "an answer");
static const char *answers_key;   /* a session's list of answers */

static void
find_keys(void)
{
	record_kind *kinds[] = { &flow_kind, &session_kind, &answer_kind };
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		for (size_t i = 0; i < kinds[k]->n; i++) {
			const char *name = export_columns_name(kinds[k]->table, kinds[k]->fields[i].of);
			kinds[k]->keys[i] = name ? name : "";   /* "": a key no object has */
		}
	answers_key = export_columns_name(EXPORT_SESSION_JSON, EXPORT_F_ANSWERS);
	if (!answers_key)
		answers_key = "";
	/* plain malloc and free underneath, so memory jansson allocated before
	 * this (the export writes JSON too) is freed alike */
	json_set_alloc_funcs(watched_malloc, watched_free);
}

static int
read_list(json_t *v, merge_list *out, tl_error *err)
{
	if (!json_is_array(v))
		return tl_err(err, TL_E_FORMAT, "export.json: an answer has no list of answers");
	size_t n = json_array_size(v);
	for (size_t k = 0; k < n; k++)
		if (!json_is_string(json_array_get(v, k)))
			return unreadable(err, "an answer in a list is not text");
	*out = (merge_list){ v, n };
	return 0;
}

/* Fills rec from obj by the fields of its kind. */
static int
read_fields(json_t *obj, const record_kind *kind, void *rec, tl_error *err)
{
	for (size_t i = 0; i < kind->n; i++) {
		const field *f = &kind->fields[i];
		const char *key = kind->keys[i];
		json_t *v = json_object_get(obj, key);
		void *to = (char *)rec + f->at;
		switch (f->type) {
		case F_TEXT_OR_NULL:
			if (!v || json_is_null(v)) {
				*(const char **)to = NULL;
				break;
			}
			/* fall through */
		case F_TEXT:
			if (!json_is_string(v))
				return tl_err(err, TL_E_FORMAT, "export.json: %s has no text '%s'",
				              kind->where, key);
			*(const char **)to = json_string_value(v);
			break;
		case F_INT:
			if (!json_is_integer(v))
				return tl_err(err, TL_E_FORMAT, "export.json: %s has no number '%s'",
				              kind->where, key);
			*(int64_t *)to = json_integer_value(v);
			break;
		case F_LIST_OR_NONE:
			if (!v) {
				*(merge_list *)to = (merge_list){ NULL, 0 };
				break;
			}
			/* fall through */
		case F_LIST:
			if (read_list(v, to, err) != 0)
				return -1;
			break;
		}
	}
	return 0;
}

int
merge_read_flow(const merge_doc *doc, size_t i, merge_flow *out, tl_error *err)
{
	json_t *o = json_array_get(doc->flows, i);
	if (!json_is_object(o))
		return tl_err(err, TL_E_FORMAT, "export.json: a flow is not an object");
	return read_fields(o, &flow_kind, out, err);
}

int
merge_read_session(const merge_doc *doc, size_t i, merge_session *out, tl_error *err)
{
	json_t *o = json_array_get(doc->sessions, i);
	memset(out, 0, sizeof *out);
	if (!json_is_object(o))
		return unreadable(err, "a session or answer is not an object");
	if (read_fields(o, &session_kind, out, err) != 0)
		return -1;
	json_t *answers = json_object_get(o, answers_key);
	if (!json_is_array(answers))
		return tl_err(err, TL_E_FORMAT, "export.json: session %s has no answers list", out->id);
	out->answers = answers;
	out->n_answers = json_array_size(answers);
	return 0;
}

int
merge_read_answer(const merge_session *s, size_t j, merge_answer *out, tl_error *err)
{
	json_t *o = json_array_get(s->answers, j);
	if (!json_is_object(o))
		return unreadable(err, "a session or answer is not an object");
	return read_fields(o, &answer_kind, out, err);
}
