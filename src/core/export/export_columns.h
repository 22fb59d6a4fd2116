/*
 * export_columns: the one list of what an export's files hold, in their
 * order: the columns of sessions.csv and answers.csv, and the keys of the
 * session, answer and flow objects in export.json (docs/export.md
 * describes each). The CSV headers and rows and the JSON objects are all
 * written from these tables, and a reader of export.json (merge) finds its
 * keys here by field: export_columns_name(EXPORT_ANSWER_JSON,
 * EXPORT_F_QUESTION_ID) is "question_id".
 *
 * Each entry names a field; the field says its type and how its value is
 * got from the rows the export reads (export_columns_get).
 */
#ifndef TELLUS_EXPORT_COLUMNS_H
#define TELLUS_EXPORT_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>

/* export.json's "format" and "format_version". */
#define EXPORT_JSON_FORMAT "tellus-export"
/* 2: answers may have sort_columns (sort questions); 3: typed_text (text
 * questions) and drawing (draw questions); merge reads 1 to 3. */
#define EXPORT_JSON_FORMAT_VERSION 3

enum export_table {
	EXPORT_SESSIONS_CSV,   /* sessions.csv: one row per session */
	EXPORT_ANSWERS_CSV,    /* answers.csv: one row per chosen answer, or per skip/decline */
	EXPORT_SESSION_JSON,   /* export.json: sessions[] */
	EXPORT_ANSWER_JSON,    /* export.json: sessions[].answers[] */
	EXPORT_FLOW_JSON,      /* export.json: flows[] */
	EXPORT_N_TABLES
};

enum export_field {
	/* a session's */
	EXPORT_F_SESSION_ID, EXPORT_F_KIOSK_ID, EXPORT_F_FLOW_ID, EXPORT_F_FLOW_VERSION,
	EXPORT_F_FLOW_HASH, EXPORT_F_EVENT, EXPORT_F_STATUS, EXPORT_F_LANGUAGE,
	EXPORT_F_PRESENTATION, EXPORT_F_STARTED_AT, EXPORT_F_ENDED_AT,
	EXPORT_F_ANSWER_RECORDS,   /* how many answer records */
	EXPORT_F_ANSWERS,          /* the answer objects themselves (JSON) */
	/* an answer's */
	EXPORT_F_SEQ, EXPORT_F_QUESTION_INDEX, EXPORT_F_QUESTION_ID, EXPORT_F_QUESTION_TEXT,
	EXPORT_F_KIND, EXPORT_F_SKIPPED, EXPORT_F_DECLINED,
	EXPORT_F_ANSWER_ID, EXPORT_F_ANSWER_LABEL,     /* one chosen answer (a CSV row's) */
	EXPORT_F_ANSWER_IDS, EXPORT_F_ANSWER_LABELS,   /* all of them, a list (JSON) */
	EXPORT_F_SORT_COLUMN, EXPORT_F_SORT_COLUMN_LABEL, /* a sort picture's column (a CSV row's) */
	EXPORT_F_SORT_COLUMNS, EXPORT_F_SORT_COLUMN_LABELS, /* every picture's, lists (JSON) */
	EXPORT_F_TYPED_TEXT, EXPORT_F_DRAWING,        /* a text answer's words, a drawing's file */
	EXPORT_F_GIVEN_AT, EXPORT_F_TIME_TAKEN_MS, EXPORT_F_INPUT_METHOD, EXPORT_F_IS_LATEST,
	/* a flow's */
	EXPORT_F_HASH, EXPORT_F_ID, EXPORT_F_VERSION, EXPORT_F_SOURCE,
	EXPORT_N_FIELDS
};

enum export_type {
	EXPORT_T_STR,    /* s (NULL: none; "" in CSV, null in JSON) */
	EXPORT_T_INT,    /* i */
	EXPORT_T_BOOL,   /* i: "yes"/"no" in CSV, true/false in JSON */
	EXPORT_T_LIST,   /* i strings: item(k) is field `item` with choice k */
	EXPORT_T_ROWS,   /* the session's answers, each an EXPORT_ANSWER_JSON object */
};

typedef struct export_column {
	const char *name;
	enum export_field field;
} export_column;

/* The columns (or keys) of table t in their order; *n gets how many. */
const export_column *export_columns(enum export_table t, size_t *n);
/* Field f's name in table t, or NULL when t does not hold it. */
const char *export_columns_name(enum export_table t, enum export_field f);

/* ---- the rows an export reads, and their values ----------------------- */

/* One answer record. Strings are never NULL. Its chosen answers (the
 * answer_choices rows, in position order) are read only by
 * export_choices.c. */
typedef struct export_answer {
	const char *question_id, *question_text, *kind, *given_at, *input_method;
	const char *typed_text;   /* a text answer's words; "" for every other */
	const char *drawing;      /* a drawing's file in the export (drawings/...png), else "" */
	size_t n_choices;
	const char *const *choice_ids, *const *choice_labels;   /* n_choices each */
	const char *const *choice_columns, *const *choice_column_labels; /* a sort's; else NULL */
	int seq, question_index;
	long long time_taken_ms;
	bool is_latest;
} export_answer;

/* One session with its answer records in seq order. Strings may be NULL. */
typedef struct export_session {
	const char *id, *kiosk_id, *flow_id, *flow_hash, *event, *status, *language,
	           *presentation, *started_at, *ended_at;
	int flow_version;
	const export_answer *answers;
	size_t n_answers;
} export_session;

typedef struct export_flow {
	const char *hash, *id, *source;
	int version;
} export_flow;

/* Where a value is read from: the session (and, for answer fields, one of
 * its answers and which of its chosen answers), or a flow. */
typedef struct export_row {
	const export_session *session;
	const export_answer *answer;
	size_t choice;
	const export_flow *flow;
} export_row;

typedef struct export_value {
	enum export_type type;
	const char *s;      /* EXPORT_T_STR: borrowed from the row */
	size_t len;
	long long i;        /* INT, BOOL; LIST: how many items */
	enum export_field item;   /* LIST: the field of one item */
} export_value;

/* Field f's value in row r. */
void export_columns_get(const export_row *r, enum export_field f, export_value *v);

#endif
