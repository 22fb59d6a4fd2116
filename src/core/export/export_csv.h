/*
 * export_csv: sessions.csv and answers.csv, RFC 4180 as docs/export.md
 * says: a UTF-8 byte-order mark, a header row, CRLF line ends, a field
 * quoted (by libcsv) when it holds a comma, a quote, a line break or a
 * leading or trailing space. The columns are export_columns'.
 */
#ifndef TELLUS_EXPORT_CSV_H
#define TELLUS_EXPORT_CSV_H

#include "export/export_columns.h"
#include "export/export_file.h"

/* The byte-order mark and the header row of table t. */
void export_csv_header(export_file *f, enum export_table t);
/* sessions.csv's row for s. */
void export_csv_session(export_file *f, const export_session *s);
/* answers.csv's rows for one answer record of s: one per chosen answer,
 * or one for a skip or a decline. */
void export_csv_answer(export_file *f, const export_session *s, const export_answer *a);

#endif
