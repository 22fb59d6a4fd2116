/*
 * merge_read (inside merge): export.json into records.
 *
 * The whole file is parsed by jansson (strict JSON: UTF-8 checked, no NUL
 * in a text, no key twice in one object, numbers that fit, nesting at most
 * jansson's 2048 deep), then each record is read with every field the
 * merge needs checked for its type. The records borrow their texts from
 * the parsed document: they are valid until merge_read_free.
 */
#ifndef TELLUS_MERGE_READ_H
#define TELLUS_MERGE_READ_H

#include <stddef.h>
#include <stdint.h>
#include "base/error.h"

struct json_t;

typedef struct merge_doc {
	struct json_t *root;        /* owned */
	struct json_t *flows;       /* borrowed from root; NULL when there is none */
	struct json_t *sessions;    /* borrowed from root */
} merge_doc;

/* Parses json (len bytes; it may be freed afterwards) and checks its top:
 * an object, format "tellus-export", format_version 1 to 3, a sessions list and,
 * if any, a flows list. 0, or -1 with the plain reason in err (doc is then
 * empty). */
int merge_read_load(merge_doc *doc, const char *json, size_t len, tl_error *err);
/* Frees the document; accepts an empty or zeroed one, and being called twice. */
void merge_read_free(merge_doc *doc);

/* A list of texts in export.json (answer_ids, answer_labels), every item
 * checked to be text. */
typedef struct merge_list {
	const struct json_t *items;
	size_t n;
} merge_list;
/* Item k (< l.n); borrowed. */
const char *merge_list_at(merge_list l, size_t k);

typedef struct merge_flow {
	const char *hash, *id;
	int64_t version;
	const char *source;          /* may be NULL */
} merge_flow;

typedef struct merge_session {
	const char *id, *kiosk_id, *flow_id;
	int64_t flow_version;
	const char *flow_hash, *started_at;
	const char *ended_at;        /* may be NULL */
	const char *status, *language, *presentation;
	const char *event;           /* may be NULL */
	const struct json_t *answers;
	size_t n_answers;
} merge_session;

typedef struct merge_answer {
	int64_t seq;
	const char *question_id;
	int64_t question_index;
	const char *question_text, *kind;
	merge_list answer_ids, answer_labels;
	merge_list sort_columns, sort_column_labels;  /* a sort's: one per answer id; else empty */
	const char *typed_text;   /* a text answer's words; NULL or "" for none (format 3) */
	const char *drawing;      /* a drawing's file in the export; NULL or "" for none */
	const char *given_at;
	int64_t time_taken_ms;
	const char *input_method;
} merge_answer;

size_t merge_read_n_flows(const merge_doc *doc);
size_t merge_read_n_sessions(const merge_doc *doc);
/* Record i, or -1 with the plain reason (the field missing or of the
 * wrong type) in err. */
int merge_read_flow(const merge_doc *doc, size_t i, merge_flow *out, tl_error *err);
int merge_read_session(const merge_doc *doc, size_t i, merge_session *out, tl_error *err);
/* Answer j (< s->n_answers) of a session read by merge_read_session. */
int merge_read_answer(const merge_session *s, size_t j, merge_answer *out, tl_error *err);

#endif
