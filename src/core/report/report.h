/*
 * report: the easy-read summary of a database's answers, as picture charts.
 *
 * report_collect counts, in SQL, the latest answer each person gave to each
 * question (a changed answer counts once, as its last value), grouped by
 * flow and question, with skips and "I don't want to say" counted too. The
 * result is a small model the staff screen can draw and report_render_html
 * turns into one self-contained HTML file: no network, no scripts, symbols
 * inlined once as SVG, large type, prints well. The export's report.html and
 * `tellus report` are this same code.
 *
 * The files: report.c builds the model, report_collect.c counts in SQL,
 * report_tally.c keeps counts a caller gathered, report_html.c draws the
 * HTML, report_file.c is `tellus report`.
 */
#ifndef TELLUS_REPORT_H
#define TELLUS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/error.h"

struct sqlite3;
struct card_set;

typedef struct report_options {
	/* A table (e.g. "temp.export_ids") with an `id` column naming the
	 * sessions to count; NULL: every session that has ended or was left
	 * unfinished (in-progress ones are not counted). */
	const char *ids_table;
	/* Only sessions started at or after this ISO 8601 UTC time ("today"
	 * for the staff screen); NULL: all. */
	const char *since;
	/* Only sessions of this event (sessions.event), from every kiosk of
	 * a merged database; NULL: any. The report then opens with the event:
	 * its name, date, place and kiosks. */
	const char *event;
	/* Where the event was, for that opening ("Church hall"); NULL: not said. */
	const char *place;
	/* The big heading; NULL: "What you told us". */
	const char *title;
	/* For the symbols inlined in the HTML; NULL: tl_data_dir(). */
	const char *data_dir;
	/* "You said, we did" cards (cards/cards.h) for their own section,
	 * newest first; NULL or none: no section. Borrowed. */
	const struct card_set *cards;
	/* Typed answers listed under their question (`tellus report` and the
	 * export's report.html; never the staff's room screen, which leaves
	 * this false so the model does not even hold them), and the drawings
	 * themselves (`tellus report --with-drawings`); without, a draw
	 * question says only how many drew. */
	bool with_typed;
	bool with_drawings;
} report_options;

/* One drawing, as PNG bytes (with_drawings). */
typedef struct report_drawing {
	unsigned char *png;
	size_t len;
} report_drawing;

/* A sort mat's columns: the flow's three, and room for ones an older flow
 * version had. */
#define REPORT_MAX_COLUMNS 6

typedef struct report_column {
	char *id, *label, *symbol;   /* symbol may be NULL */
} report_column;

typedef struct report_answer {
	char *id;
	char *label;
	char *symbol;       /* bundled symbol name, or NULL (no picture) */
	int64_t count;      /* people whose latest answer chose this (a sort: put it on the mat) */
	/* a sort: people who put this picture in each column of the question,
	 * and who left it off the mat */
	int64_t in_column[REPORT_MAX_COLUMNS];
	int64_t unsorted;
} report_answer;

typedef struct report_question {
	char *id;
	char *text;
	char *symbol;       /* may be NULL */
	report_answer *answers;   /* in the flow's order, then any the flow no longer has */
	size_t n_answers;
	int64_t skipped;
	int64_t declined;
	int64_t people;     /* people with any latest answer to this question */
	bool sort;          /* a sort question: drawn as its mat */
	bool is_text, is_draw;  /* a text or draw question: how many typed or drew */
	char **typed;       /* with_typed: each person's latest typed answer */
	size_t n_typed, cap_typed;
	report_drawing *drawings;   /* with_drawings: each person's latest drawing */
	size_t n_drawings, cap_drawings;
	report_column columns[REPORT_MAX_COLUMNS];
	size_t n_columns;
} report_question;

typedef struct report_flow {
	char *id;
	int version;
	char *title;
	int64_t people;     /* sessions of this flow */
	report_question *questions;
	size_t n_questions;
} report_flow;

/* How a counted session ended (the sessions table's statuses but
 * in_progress, which is never counted). */
enum report_ending { REPORT_COMPLETED = 0, REPORT_COMPLETED_EARLY, REPORT_UNFINISHED,
                     REPORT_INTERRUPTED, REPORT_N_ENDINGS };
/* The status as stored ("completed", "completed_early", "unfinished",
 * "interrupted"), or "" past the last. */
const char *report_ending_status(enum report_ending e);

typedef struct report {
	int64_t people;     /* sessions counted */
	/* of them, how many ended each way: a person who walked away
	 * (unfinished), stopped early or was cut off by the kiosk stopping
	 * (interrupted) is counted, and said apart from those who finished */
	int64_t ended[REPORT_N_ENDINGS];
	int64_t kiosks;     /* distinct kiosk ids among them */
	char first[32], last[32];   /* started_at of the first and last session ("" if none) */
	char **kiosk_ids;   /* the kiosks' names, sorted; only for an event's report */
	size_t n_kiosk_ids;
	report_flow *flows;
	size_t n_flows;
} report;

/* 0 and *out (caller frees with report_destroy), or -1 with err filled
 * ("could not count the answers: ..."). */
int report_collect(struct sqlite3 *db, const report_options *opt, report **out,
                   tl_error *err);
void report_destroy(report *r);   /* accepts NULL */

/*
 * Counts gathered by a caller that already walks every answer in order (the
 * export does), so report_collect_tally need not count them again in SQL:
 * one report_tally_add per person's latest answer to a question.
 */
typedef struct report_tally report_tally;
report_tally *report_tally_create(void);          /* NULL: out of memory */
void report_tally_destroy(report_tally *t);       /* accepts NULL */
/* The answer's choices are n_choices ids and labels (borrowed; labels may
 * be NULL), in order; a choose-several answer counts once for each. A sort
 * answer gives each picture's column id and words too (choice_columns NULL
 * for any other answer). 0, or -1 when memory ran out (the tally is then
 * unusable). */
int report_tally_add(report_tally *t, const char *flow_id, int flow_version,
                     const char *question_id, const char *question_text,
                     int question_index, const char *kind, size_t n_choices,
                     const char *const *choice_ids, const char *const *choice_labels,
                     const char *const *choice_columns,
                     const char *const *choice_column_labels);
/* As report_collect, but the answer counts come from t (borrowed). */
int report_collect_tally(struct sqlite3 *db, const report_options *opt,
                         const report_tally *t, report **out, tl_error *err);

/* Where the HTML goes: returns 0, or -1 to stop (errno set by the writer). */
typedef int (*report_write_fn)(void *ud, const void *buf, size_t len);

/* Renders r as HTML through fn. 0, or -1 when fn failed (err: TL_E_IO,
 * sys the errno fn left, the words strerror's) or memory ran out. */
int report_render_html(const report *r, const report_options *opt,
                       report_write_fn fn, void *ud, tl_error *err);

/* Who a report counted: how many, and how each session ended. */
typedef struct report_people {
	int64_t total;
	int64_t ended[REPORT_N_ENDINGS];
} report_people;

/* The whole of `tellus report`: opens db_path read-only, collects and writes
 * out_path (through a temporary file renamed into place). 0, or -1 with a
 * plain-words err. people, if not NULL, gets who was counted. */
int report_write_file(const char *db_path, const char *out_path,
                      const report_options *opt, report_people *people, tl_error *err);

#endif
