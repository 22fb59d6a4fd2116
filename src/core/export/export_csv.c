/*
 * export_csv: see export_csv.h. A field that needs no quotes (nearly all)
 * is copied as it is; libcsv writes the others straight into the output
 * buffer.
 *
 * A text that begins with =, +, -, @, a tab or a carriage return would
 * run as a formula when the CSV is opened in a spreadsheet: it is written
 * with a leading apostrophe, as OWASP advises ("CSV Injection"), so Excel
 * and LibreOffice show it as the text it is. Only the CSV files do this:
 * export.json (what merge reads) keeps every text exactly.
 */
#include "export/export_csv.h"
#include "export/export_choices.h"

#include <csv.h>
#include <stdbool.h>

/* The first characters that make a spreadsheet read a cell as a formula. */
static bool
runs_as_formula(const char *s, size_t len)
{
	return len > 0 && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
	                   s[0] == '\t' || s[0] == '\r');
}

static void
field(export_file *f, const char *s, size_t len, bool first, bool text)
{
	if (!first)
		export_file_put(f, ",", 1);
	bool apostrophe = text && runs_as_formula(s, len);
	bool quote = len > 0 && (s[0] == ' ' || s[len - 1] == ' ');
	for (size_t i = 0; i < len && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
	if (!quote) {
		if (apostrophe)
			export_file_put(f, "'", 1);
		export_file_put(f, s, len);
		return;
	}
	if (apostrophe) {
		/* quoted by hand: libcsv cannot be handed the apostrophe in front */
		if (!export_file_reserve(f, 2 * len + 3))
			return;
		char *o = f->buf + f->len;
		*o++ = '"';
		*o++ = '\'';
		for (size_t i = 0; i < len; i++) {
			if (s[i] == '"')
				*o++ = '"';
			*o++ = s[i];
		}
		*o++ = '"';
		f->len = (size_t)(o - f->buf);
		return;
	}
	if (!export_file_reserve(f, 2 * len + 2))
		return;
	f->len += csv_write(f->buf + f->len, f->cap - f->len, s, len);
}

static void
value(export_file *f, const export_value *v, bool first)
{
	char tmp[24];
	switch (v->type) {
	case EXPORT_T_STR:
		field(f, v->s ? v->s : "", v->s ? v->len : 0, first, true);
		break;
	case EXPORT_T_INT:
		field(f, tmp, export_file_digits(tmp, v->i), first, false);
		break;
	case EXPORT_T_BOOL:
		field(f, v->i ? "yes" : "no", v->i ? 3 : 2, first, false);
		break;
	case EXPORT_T_LIST:
	case EXPORT_T_ROWS:
		field(f, "", 0, first, false);   /* not a CSV column: a row per item instead */
		break;
	}
}

static void
row(export_file *f, enum export_table t, const export_row *r)
{
	size_t n;
	const export_column *c = export_columns(t, &n);
	for (size_t i = 0; i < n; i++) {
		export_value v;
		export_columns_get(r, c[i].field, &v);
		value(f, &v, i == 0);
	}
	export_file_put(f, "\r\n", 2);
}

void
export_csv_header(export_file *f, enum export_table t)
{
	size_t n;
	const export_column *c = export_columns(t, &n);
	export_file_put(f, "\xEF\xBB\xBF", 3);
	for (size_t i = 0; i < n; i++) {
		if (i)
			export_file_put(f, ",", 1);
		export_file_str(f, c[i].name);
	}
	export_file_put(f, "\r\n", 2);
}

void
export_csv_session(export_file *f, const export_session *s)
{
	row(f, EXPORT_SESSIONS_CSV, &(export_row){ .session = s });
}

void
export_csv_answer(export_file *f, const export_session *s, const export_answer *a)
{
	size_t n = export_choices_count(a);
	for (size_t k = 0; k < (n ? n : 1); k++)
		row(f, EXPORT_ANSWERS_CSV, &(export_row){ .session = s, .answer = a, .choice = k });
}
