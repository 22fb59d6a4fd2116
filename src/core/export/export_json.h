/*
 * export_json: export.json, one object in UTF-8 (docs/export.md): the
 * format, the kiosk, when, the sessions with their answers, the flows they
 * used and the counts. Sessions and flows stream in one at a time; the
 * keys of each object are export_columns'.
 *
 * Promises: the file is strict JSON whatever the database holds: bytes
 * that are not UTF-8 become U+FFFD, control characters are escaped.
 */
#ifndef TELLUS_EXPORT_JSON_H
#define TELLUS_EXPORT_JSON_H

#include <stdbool.h>

#include "export/export_columns.h"
#include "export/export_file.h"

/* Up to the opening of "sessions". */
void export_json_begin(export_file *f, const char *kiosk_id, const char *exported_at);
/* One session with its answers; first: the first session. */
void export_json_session(export_file *f, const export_session *s, bool first);
/* Closes "sessions" and opens "flows". */
void export_json_flows(export_file *f);
void export_json_flow(export_file *f, const export_flow *fl, bool first);
/* Closes "flows", writes the counts and ends the document. */
void export_json_end(export_file *f, long long sessions, long long answers);

#endif
