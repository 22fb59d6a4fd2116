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

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <jansson.h>

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
	if (len == 0)
		return unreadable(err, "it is empty");
	json_error_t je;
	/* JSON_DECODE_ANY: a lone number or text at the top is "not a JSON
	 * object" below, not a syntax error */
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
	if (!root)
		return refused_by_jansson(&je, len, err);
	int rc = 0;
	json_t *format = json_object_get(root, "format");
	json_t *version = json_object_get(root, "format_version");
	json_t *sessions = json_object_get(root, "sessions");
	json_t *flows = json_object_get(root, "flows");
	if (!json_is_object(root))
		rc = unreadable(err, "it is not a JSON object");
	else if (version && (!json_is_integer(version) || json_integer_value(version) != 1))
		rc = tl_err(err, TL_E_FORMAT, "export.json is not format version 1, the one this "
		            "Tellus reads; update Tellus on this computer");
	else if (!json_is_string(format) || strcmp(json_string_value(format), "tellus-export") != 0 ||
	         !sessions)
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
 * Each record is read by a table of its fields: the JSON key, what it must
 * hold, and where it goes in the record. */

enum field_type {
	F_TEXT,          /* a text */
	F_TEXT_OR_NULL,  /* a text, null, or missing (NULL) */
	F_INT,           /* an integer */
	F_LIST,          /* a list of texts (merge_list) */
};

typedef struct field {
	const char *key;
	enum field_type type;
	size_t at;       /* offsetof in the record */
} field;

#define FIELD(rec, key, type) { #key, type, offsetof(rec, key) }

static const field flow_fields[] = {
	FIELD(merge_flow, hash, F_TEXT),
	FIELD(merge_flow, id, F_TEXT),
	FIELD(merge_flow, version, F_INT),
	FIELD(merge_flow, source, F_TEXT_OR_NULL),
};

static const field session_fields[] = {
	FIELD(merge_session, id, F_TEXT),
	FIELD(merge_session, kiosk_id, F_TEXT),
	FIELD(merge_session, flow_id, F_TEXT),
	FIELD(merge_session, flow_version, F_INT),
	FIELD(merge_session, flow_hash, F_TEXT),
	FIELD(merge_session, started_at, F_TEXT),
	FIELD(merge_session, ended_at, F_TEXT_OR_NULL),
	FIELD(merge_session, status, F_TEXT),
	FIELD(merge_session, language, F_TEXT),
	FIELD(merge_session, presentation, F_TEXT),
	FIELD(merge_session, event, F_TEXT_OR_NULL),
};

static const field answer_fields[] = {
	FIELD(merge_answer, seq, F_INT),
	FIELD(merge_answer, question_id, F_TEXT),
	FIELD(merge_answer, question_index, F_INT),
	FIELD(merge_answer, question_text, F_TEXT),
	FIELD(merge_answer, kind, F_TEXT),
	FIELD(merge_answer, answer_ids, F_LIST),
	FIELD(merge_answer, answer_labels, F_LIST),
	FIELD(merge_answer, given_at, F_TEXT),
	FIELD(merge_answer, time_taken_ms, F_INT),
	FIELD(merge_answer, input_method, F_TEXT),
};

#define N_OF(a) (sizeof (a) / sizeof (a)[0])

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

/* Fills rec from obj by the table; where names the record in the words
 * ("a session"). */
static int
read_fields(json_t *obj, const field *fields, size_t n, void *rec, const char *where,
            tl_error *err)
{
	for (size_t i = 0; i < n; i++) {
		const field *f = &fields[i];
		json_t *v = json_object_get(obj, f->key);
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
				return tl_err(err, TL_E_FORMAT, "export.json: %s has no text '%s'", where,
				              f->key);
			*(const char **)to = json_string_value(v);
			break;
		case F_INT:
			if (!json_is_integer(v))
				return tl_err(err, TL_E_FORMAT, "export.json: %s has no number '%s'", where,
				              f->key);
			*(int64_t *)to = json_integer_value(v);
			break;
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
	return read_fields(o, flow_fields, N_OF(flow_fields), out, "a flow", err);
}

int
merge_read_session(const merge_doc *doc, size_t i, merge_session *out, tl_error *err)
{
	json_t *o = json_array_get(doc->sessions, i);
	memset(out, 0, sizeof *out);
	if (!json_is_object(o))
		return unreadable(err, "a session or answer is not an object");
	if (read_fields(o, session_fields, N_OF(session_fields), out, "a session", err) != 0)
		return -1;
	json_t *answers = json_object_get(o, "answers");
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
	return read_fields(o, answer_fields, N_OF(answer_fields), out, "an answer", err);
}
