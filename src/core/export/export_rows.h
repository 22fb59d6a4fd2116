/*
 * export_rows: the one pass over the chosen sessions and their answers
 * that writes sessions.csv, answers.csv and export.json together, and
 * counts each person's latest answers for report.html on the way.
 *
 * Promises: rows stream in (session, seq) order from the (session_id, seq)
 * index, and only one session's answers are held at a time; is_latest is
 * true for the last record of each question in its session; the sessions
 * are exactly those in EXPORT_ROWS_IDS, in its order.
 */
#ifndef TELLUS_EXPORT_ROWS_H
#define TELLUS_EXPORT_ROWS_H

#include <stdint.h>
#include <sqlite3.h>

#include "base/error.h"
#include "export/export.h"
#include "export/export_file.h"
#include "report/report.h"

/* The temporary table of the sessions an export carries: (n, id), n the
 * order they are written in. export.c fills it. */
#define EXPORT_ROWS_IDS "temp.export_ids"

typedef struct export_rows {
	/* in */
	sqlite3 *db;                 /* in a read transaction */
	export_file *sessions_csv, *answers_csv, *json;   /* open */
	report_tally *tally;         /* counts each latest answer */
	const char *kiosk_id, *exported_at;
	int64_t total;               /* sessions in EXPORT_ROWS_IDS, for progress */
	export_progress progress;
	/* out */
	int64_t sessions, answers;
} export_rows;

/* Writes every row of the three files (not closing them). 0, or -1 with
 * err (the database's words, or the stick's when a file failed). */
int export_rows_write(export_rows *r, tl_error *err);

#endif
