/*
 * export_json: see export_json.h. Written by hand rather than built as a
 * jansson tree: a million answers stream through a one-megabyte buffer,
 * and the layout is fixed (the bytes of an export never change between
 * versions of Tellus with the same format_version).
 */
#include "export/export_json.h"
#include "base/utf8.h"

#include <stdio.h>

static void
strn(export_file *f, const char *s, size_t len)
{
	export_file_put(f, "\"", 1);
	const unsigned char *p = (const unsigned char *)s, *run = p, *end = p + len;
	while (p < end) {
		if (*p >= 0x20 && *p != '"' && *p != '\\' && *p < 0x80) {
			p++;
			continue;
		}
		if (*p >= 0x80) {
			size_t n = tl_utf8_seq(p, (size_t)(end - p));
			if (n) {
				p += n;
				continue;
			}
		}
		export_file_put(f, run, (size_t)(p - run));
		char esc[8];
		if (*p == '"')
			export_file_put(f, "\\\"", 2);
		else if (*p == '\\')
			export_file_put(f, "\\\\", 2);
		else if (*p == '\n')
			export_file_put(f, "\\n", 2);
		else if (*p == '\r')
			export_file_put(f, "\\r", 2);
		else if (*p == '\t')
			export_file_put(f, "\\t", 2);
		else if (*p < 0x20) {
			snprintf(esc, sizeof esc, "\\u%04x", *p);
			export_file_put(f, esc, 6);
		} else
			export_file_put(f, "\\ufffd", 6);
		p++;
		run = p;
	}
	export_file_put(f, run, (size_t)(p - run));
	export_file_put(f, "\"", 1);
}

static void
str(export_file *f, const char *s)
{
	if (!s)
		export_file_put(f, "null", 4);
	else
		strn(f, s, strlen(s));
}

static void object(export_file *f, enum export_table t, const export_row *r);

static void
value(export_file *f, const export_row *r, const export_value *v)
{
	switch (v->type) {
	case EXPORT_T_STR:
		if (!v->s)
			export_file_put(f, "null", 4);
		else
			strn(f, v->s, v->len);
		break;
	case EXPORT_T_INT:
		export_file_int(f, v->i);
		break;
	case EXPORT_T_BOOL:
		export_file_str(f, v->i ? "true" : "false");
		break;
	case EXPORT_T_LIST:
		export_file_put(f, "[", 1);
		for (long long k = 0; k < v->i; k++) {
			export_row item = *r;
			item.choice = (size_t)k;
			export_value iv;
			export_columns_get(&item, v->item, &iv);
			if (k)
				export_file_put(f, ",", 1);
			strn(f, iv.s, iv.len);
		}
		export_file_put(f, "]", 1);
		break;
	case EXPORT_T_ROWS:
		export_file_put(f, "[", 1);
		for (size_t i = 0; i < r->session->n_answers; i++) {
			if (i)
				export_file_put(f, ",", 1);
			object(f, EXPORT_ANSWER_JSON,
			       &(export_row){ .session = r->session, .answer = &r->session->answers[i] });
		}
		export_file_put(f, "]", 1);
		break;
	}
}

static void
object(export_file *f, enum export_table t, const export_row *r)
{
	size_t n;
	const export_column *c = export_columns(t, &n);
	export_file_put(f, "{", 1);
	for (size_t i = 0; i < n; i++) {
		if (i)
			export_file_put(f, ",", 1);
		export_file_put(f, "\"", 1);
		export_file_str(f, c[i].name);
		export_file_put(f, "\":", 2);
		export_value v;
		export_columns_get(r, c[i].field, &v);
		value(f, r, &v);
	}
	export_file_put(f, "}", 1);
}

void
export_json_begin(export_file *f, const char *kiosk_id, const char *exported_at)
{
	export_file_str(f, "{\"format\":");
	str(f, EXPORT_JSON_FORMAT);
	export_file_str(f, ",\"format_version\":");
	export_file_int(f, EXPORT_JSON_FORMAT_VERSION);
	export_file_str(f, ",\"kiosk_id\":");
	str(f, kiosk_id);
	export_file_str(f, ",\"exported_at\":");
	str(f, exported_at);
	export_file_str(f, ",\"sessions\":[");
}

void
export_json_session(export_file *f, const export_session *s, bool first)
{
	export_file_str(f, first ? "\n" : ",\n");
	object(f, EXPORT_SESSION_JSON, &(export_row){ .session = s });
}

void
export_json_flows(export_file *f)
{
	export_file_str(f, "\n],\"flows\":[");
}

void
export_json_flow(export_file *f, const export_flow *fl, bool first)
{
	export_file_str(f, first ? "\n" : ",\n");
	object(f, EXPORT_FLOW_JSON, &(export_row){ .flow = fl });
}

void
export_json_end(export_file *f, long long sessions, long long answers)
{
	export_file_str(f, "\n],\"counts\":{\"sessions\":");
	export_file_int(f, sessions);
	export_file_str(f, ",\"answers\":");
	export_file_int(f, answers);
	export_file_str(f, "}}\n");
}
