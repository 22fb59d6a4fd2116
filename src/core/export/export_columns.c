/*
 * export_columns: see export_columns.h. Two tables: the files' columns in
 * their order (changing one changes a file format: docs/export.md and
 * format_version go with it), and the fields, each with its type and
 * where its value is.
 */
#include "export/export_columns.h"
#include "export/export_choices.h"

#include <stdint.h>
#include <string.h>

static const export_column sessions_csv[] = {
	{ "session_id", EXPORT_F_SESSION_ID },
	{ "kiosk_id", EXPORT_F_KIOSK_ID },
	{ "flow_id", EXPORT_F_FLOW_ID },
	{ "flow_version", EXPORT_F_FLOW_VERSION },
	{ "flow_hash", EXPORT_F_FLOW_HASH },
	{ "event", EXPORT_F_EVENT },
	{ "status", EXPORT_F_STATUS },
	{ "language", EXPORT_F_LANGUAGE },
	{ "presentation", EXPORT_F_PRESENTATION },
	{ "started_at", EXPORT_F_STARTED_AT },
	{ "ended_at", EXPORT_F_ENDED_AT },
	{ "answer_records", EXPORT_F_ANSWER_RECORDS },
};

static const export_column answers_csv[] = {
	{ "session_id", EXPORT_F_SESSION_ID },
	{ "kiosk_id", EXPORT_F_KIOSK_ID },
	{ "flow_id", EXPORT_F_FLOW_ID },
	{ "flow_version", EXPORT_F_FLOW_VERSION },
	{ "seq", EXPORT_F_SEQ },
	{ "question_index", EXPORT_F_QUESTION_INDEX },
	{ "question_id", EXPORT_F_QUESTION_ID },
	{ "question_text", EXPORT_F_QUESTION_TEXT },
	{ "kind", EXPORT_F_KIND },
	{ "skipped", EXPORT_F_SKIPPED },
	{ "declined", EXPORT_F_DECLINED },
	{ "answer_id", EXPORT_F_ANSWER_ID },
	{ "answer_label", EXPORT_F_ANSWER_LABEL },
	{ "sort_column", EXPORT_F_SORT_COLUMN },
	{ "sort_column_label", EXPORT_F_SORT_COLUMN_LABEL },
	{ "typed_text", EXPORT_F_TYPED_TEXT },
	{ "drawing", EXPORT_F_DRAWING },
	{ "given_at", EXPORT_F_GIVEN_AT },
	{ "time_taken_ms", EXPORT_F_TIME_TAKEN_MS },
	{ "language", EXPORT_F_LANGUAGE },
	{ "presentation", EXPORT_F_PRESENTATION },
	{ "input_method", EXPORT_F_INPUT_METHOD },
	{ "is_latest", EXPORT_F_IS_LATEST },
	{ "session_status", EXPORT_F_STATUS },
};

static const export_column session_json[] = {
	{ "id", EXPORT_F_SESSION_ID },
	{ "kiosk_id", EXPORT_F_KIOSK_ID },
	{ "flow_id", EXPORT_F_FLOW_ID },
	{ "flow_version", EXPORT_F_FLOW_VERSION },
	{ "flow_hash", EXPORT_F_FLOW_HASH },
	{ "event", EXPORT_F_EVENT },
	{ "status", EXPORT_F_STATUS },
	{ "language", EXPORT_F_LANGUAGE },
	{ "presentation", EXPORT_F_PRESENTATION },
	{ "started_at", EXPORT_F_STARTED_AT },
	{ "ended_at", EXPORT_F_ENDED_AT },
	{ "answers", EXPORT_F_ANSWERS },
};

static const export_column answer_json[] = {
	{ "seq", EXPORT_F_SEQ },
	{ "question_id", EXPORT_F_QUESTION_ID },
	{ "question_index", EXPORT_F_QUESTION_INDEX },
	{ "question_text", EXPORT_F_QUESTION_TEXT },
	{ "kind", EXPORT_F_KIND },
	{ "answer_ids", EXPORT_F_ANSWER_IDS },
	{ "answer_labels", EXPORT_F_ANSWER_LABELS },
	{ "sort_columns", EXPORT_F_SORT_COLUMNS },
	{ "sort_column_labels", EXPORT_F_SORT_COLUMN_LABELS },
	{ "typed_text", EXPORT_F_TYPED_TEXT },
	{ "drawing", EXPORT_F_DRAWING },
	{ "given_at", EXPORT_F_GIVEN_AT },
	{ "time_taken_ms", EXPORT_F_TIME_TAKEN_MS },
	{ "input_method", EXPORT_F_INPUT_METHOD },
	{ "is_latest", EXPORT_F_IS_LATEST },
};

static const export_column flow_json[] = {
	{ "hash", EXPORT_F_HASH },
	{ "id", EXPORT_F_ID },
	{ "version", EXPORT_F_VERSION },
	{ "source", EXPORT_F_SOURCE },
};

#define TABLE(a) { a, sizeof a / sizeof a[0] }
static const struct {
	const export_column *cols;
	size_t n;
} tables[EXPORT_N_TABLES] = {
	[EXPORT_SESSIONS_CSV] = TABLE(sessions_csv),
	[EXPORT_ANSWERS_CSV] = TABLE(answers_csv),
	[EXPORT_SESSION_JSON] = TABLE(session_json),
	[EXPORT_ANSWER_JSON] = TABLE(answer_json),
	[EXPORT_FLOW_JSON] = TABLE(flow_json),
};

const export_column *
export_columns(enum export_table t, size_t *n)
{
	*n = tables[t].n;
	return tables[t].cols;
}

const char *
export_columns_name(enum export_table t, enum export_field f)
{
	for (size_t i = 0; i < tables[t].n; i++)
		if (tables[t].cols[i].field == f)
			return tables[t].cols[i].name;
	return NULL;
}

/* ---- the fields ---------------------------------------------------------- */

/* The values that are not a member as it is. */
static void
answer_records(const export_row *r, export_value *v)
{
	v->i = (long long)r->session->n_answers;
}

static void
skipped(const export_row *r, export_value *v)
{
	v->i = strcmp(r->answer->kind, "skipped") == 0;
}

static void
declined(const export_row *r, export_value *v)
{
	v->i = strcmp(r->answer->kind, "declined") == 0;
}

static void
answer_id(const export_row *r, export_value *v)
{
	v->s = export_choices_id(r->answer, r->choice, &v->len);
}

static void
answer_label(const export_row *r, export_value *v)
{
	v->s = export_choices_label(r->answer, r->choice, &v->len);
}

static void
answer_ids(const export_row *r, export_value *v)
{
	v->i = (long long)export_choices_count(r->answer);
	v->item = EXPORT_F_ANSWER_ID;
}

static void
answer_labels(const export_row *r, export_value *v)
{
	v->i = (long long)export_choices_count(r->answer);
	v->item = EXPORT_F_ANSWER_LABEL;
}

static void
sort_column(const export_row *r, export_value *v)
{
	v->s = export_choices_column(r->answer, r->choice, &v->len);
}

static void
sort_column_label(const export_row *r, export_value *v)
{
	v->s = export_choices_column_label(r->answer, r->choice, &v->len);
}

static void
sort_columns(const export_row *r, export_value *v)
{
	v->i = (long long)export_choices_column_count(r->answer);
	v->item = EXPORT_F_SORT_COLUMN;
}

static void
sort_column_labels(const export_row *r, export_value *v)
{
	v->i = (long long)export_choices_column_count(r->answer);
	v->item = EXPORT_F_SORT_COLUMN_LABEL;
}

static void
answers(const export_row *r, export_value *v)
{
	v->i = (long long)r->session->n_answers;
}

enum from { IN_SESSION, IN_ANSWER, IN_FLOW, MADE };
enum member { M_STR, M_INT, M_LLONG, M_BOOL };

static const struct field {
	enum export_type type;
	enum from from;
	enum member member;
	size_t off;
	void (*make)(const export_row *r, export_value *v);
} fields[EXPORT_N_FIELDS] = {
#define SESSION(f, t, m, name) [f] = { t, IN_SESSION, m, offsetof(export_session, name), NULL }
#define ANSWER(f, t, m, name) [f] = { t, IN_ANSWER, m, offsetof(export_answer, name), NULL }
#define FLOW(f, t, m, name) [f] = { t, IN_FLOW, m, offsetof(export_flow, name), NULL }
#define MAKE(f, t, fn) [f] = { t, MADE, M_STR, 0, fn }
	SESSION(EXPORT_F_SESSION_ID, EXPORT_T_STR, M_STR, id),
	SESSION(EXPORT_F_KIOSK_ID, EXPORT_T_STR, M_STR, kiosk_id),
	SESSION(EXPORT_F_FLOW_ID, EXPORT_T_STR, M_STR, flow_id),
	SESSION(EXPORT_F_FLOW_VERSION, EXPORT_T_INT, M_INT, flow_version),
	SESSION(EXPORT_F_FLOW_HASH, EXPORT_T_STR, M_STR, flow_hash),
	SESSION(EXPORT_F_EVENT, EXPORT_T_STR, M_STR, event),
	SESSION(EXPORT_F_STATUS, EXPORT_T_STR, M_STR, status),
	SESSION(EXPORT_F_LANGUAGE, EXPORT_T_STR, M_STR, language),
	SESSION(EXPORT_F_PRESENTATION, EXPORT_T_STR, M_STR, presentation),
	SESSION(EXPORT_F_STARTED_AT, EXPORT_T_STR, M_STR, started_at),
	SESSION(EXPORT_F_ENDED_AT, EXPORT_T_STR, M_STR, ended_at),
	MAKE(EXPORT_F_ANSWER_RECORDS, EXPORT_T_INT, answer_records),
	MAKE(EXPORT_F_ANSWERS, EXPORT_T_ROWS, answers),
	ANSWER(EXPORT_F_SEQ, EXPORT_T_INT, M_INT, seq),
	ANSWER(EXPORT_F_QUESTION_INDEX, EXPORT_T_INT, M_INT, question_index),
	ANSWER(EXPORT_F_QUESTION_ID, EXPORT_T_STR, M_STR, question_id),
	ANSWER(EXPORT_F_QUESTION_TEXT, EXPORT_T_STR, M_STR, question_text),
	ANSWER(EXPORT_F_KIND, EXPORT_T_STR, M_STR, kind),
	MAKE(EXPORT_F_SKIPPED, EXPORT_T_BOOL, skipped),
	MAKE(EXPORT_F_DECLINED, EXPORT_T_BOOL, declined),
	MAKE(EXPORT_F_ANSWER_ID, EXPORT_T_STR, answer_id),
	MAKE(EXPORT_F_ANSWER_LABEL, EXPORT_T_STR, answer_label),
	MAKE(EXPORT_F_ANSWER_IDS, EXPORT_T_LIST, answer_ids),
	MAKE(EXPORT_F_ANSWER_LABELS, EXPORT_T_LIST, answer_labels),
	MAKE(EXPORT_F_SORT_COLUMN, EXPORT_T_STR, sort_column),
	MAKE(EXPORT_F_SORT_COLUMN_LABEL, EXPORT_T_STR, sort_column_label),
	MAKE(EXPORT_F_SORT_COLUMNS, EXPORT_T_LIST, sort_columns),
	MAKE(EXPORT_F_SORT_COLUMN_LABELS, EXPORT_T_LIST, sort_column_labels),
	ANSWER(EXPORT_F_TYPED_TEXT, EXPORT_T_STR, M_STR, typed_text),
	ANSWER(EXPORT_F_DRAWING, EXPORT_T_STR, M_STR, drawing),
	ANSWER(EXPORT_F_GIVEN_AT, EXPORT_T_STR, M_STR, given_at),
	ANSWER(EXPORT_F_TIME_TAKEN_MS, EXPORT_T_INT, M_LLONG, time_taken_ms),
	ANSWER(EXPORT_F_INPUT_METHOD, EXPORT_T_STR, M_STR, input_method),
	ANSWER(EXPORT_F_IS_LATEST, EXPORT_T_BOOL, M_BOOL, is_latest),
	FLOW(EXPORT_F_HASH, EXPORT_T_STR, M_STR, hash),
	FLOW(EXPORT_F_ID, EXPORT_T_STR, M_STR, id),
	FLOW(EXPORT_F_VERSION, EXPORT_T_INT, M_INT, version),
	FLOW(EXPORT_F_SOURCE, EXPORT_T_STR, M_STR, source),
#undef SESSION
#undef ANSWER
#undef FLOW
#undef MAKE
};

void
export_columns_get(const export_row *r, enum export_field f, export_value *v)
{
	const struct field *d = &fields[f];
	*v = (export_value){ .type = d->type };
	const void *base = d->from == IN_SESSION ? (const void *)r->session
	                 : d->from == IN_ANSWER ? (const void *)r->answer
	                 : d->from == IN_FLOW ? (const void *)r->flow : NULL;
	if (d->from == MADE) {
		d->make(r, v);
	} else if (base) {
		const char *p = (const char *)base + d->off;
		switch (d->member) {
		case M_STR:
			memcpy(&v->s, p, sizeof v->s);
			v->len = v->s ? strlen(v->s) : 0;
			break;
		case M_INT: {
			int i;
			memcpy(&i, p, sizeof i);
			v->i = i;
			break;
		}
		case M_LLONG:
			memcpy(&v->i, p, sizeof v->i);
			break;
		case M_BOOL: {
			bool b;
			memcpy(&b, p, sizeof b);
			v->i = b;
			break;
		}
		}
	}
}
