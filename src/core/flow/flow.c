/*
 * flow: the model of flow.h: names, texts, lookups, where symbols and clips
 * are, and freeing. The YAML parser that builds it is flow_load.c,
 * flow_parse.c and flow_parse_question.c; the checks are flow_check.c.
 *
 * Promises: nothing here allocates except the two path functions, whose
 * results the caller frees; every finisher accepts what a parser stopped
 * half way through (NULL pointers, counts of what was made).
 */
#include "flow/flow.h"
#include "base/util.h"

#include <stdlib.h>
#include <string.h>

/* ---- names ---------------------------------------------------------- */

static const char *const type_names[QT_COUNT] = {
	[QT_FEELINGS] = "feelings",
	[QT_YES_NO] = "yes-no",
	[QT_CHOOSE_ONE] = "choose-one",
	[QT_CHOOSE_MANY] = "choose-many",
	[QT_SORT] = "sort",
	[QT_TEXT] = "text",
	[QT_DRAW] = "draw",
};

const char *
question_type_name(enum question_type t)
{
	return (unsigned)t < QT_COUNT ? type_names[t] : "unknown";
}

int
question_type_parse(const char *s)
{
	for (int i = 0; s && i < QT_COUNT; i++)
		if (strcmp(s, type_names[i]) == 0)
			return i;
	return -1;
}

static const char *const pres_names[PRES_COUNT] = {
	[PRES_LARGE_SYMBOL] = "large-symbol",
	[PRES_EASY_READ] = "easy-read",
	[PRES_TEXT_FIRST] = "text-first",
};

const char *
presentation_name(enum presentation p)
{
	return (unsigned)p < PRES_COUNT ? pres_names[p] : "unknown";
}

int
presentation_parse(const char *s)
{
	for (int i = 0; s && i < PRES_COUNT; i++)
		if (strcmp(s, pres_names[i]) == 0)
			return i;
	return -1;
}

/* ---- small model helpers --------------------------------------------- */

const char *
tstr_get(const tstr *t, const char *lang, const char *fallback)
{
	if (!t || t->n == 0)
		return "";
	for (int pass = 0; pass < 2; pass++) {
		const char *want = pass == 0 ? lang : fallback;
		if (!want)
			continue;
		for (size_t i = 0; i < t->n; i++)
			if (t->items[i].lang && strcmp(t->items[i].lang, want) == 0)
				return t->items[i].text ? t->items[i].text : "";
	}
	return t->items[0].text ? t->items[0].text : "";
}

void
tstr_finish(tstr *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->items[i].lang);
		free(t->items[i].text);
	}
	free(t->items);
	t->items = NULL;
	t->n = 0;
}

int
flow_question_index(const flow *f, const char *id)
{
	if (!f || !id)
		return -1;
	for (size_t i = 0; i < f->n_questions; i++)
		if (f->questions[i].id && strcmp(f->questions[i].id, id) == 0)
			return (int)i;
	return -1;
}

int
flow_answer_index(const flow_question *q, const char *id)
{
	if (!q || !id)
		return -1;
	for (size_t i = 0; i < q->n_answers; i++)
		if (q->answers[i].id && strcmp(q->answers[i].id, id) == 0)
			return (int)i;
	return -1;
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	if (m > n)
		return false;
	for (size_t i = 0; i < m; i++) {
		char c = s[n - m + i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != suffix[i])
			return false;
	}
	return true;
}

bool
flow_symbol_is_file(const char *sym)
{
	return sym && (strchr(sym, '/') || ends_with(sym, ".svg") || ends_with(sym, ".png") ||
	               ends_with(sym, ".jpg") || ends_with(sym, ".jpeg"));
}

char *
flow_symbol_path(const flow *f, const char *sym, const char *data_dir)
{
	if (!sym)
		return NULL;
	if (flow_symbol_is_file(sym))
		return tl_path_join(f ? f->dir : NULL, sym);
	if (!data_dir)
		data_dir = tl_data_dir();
	return tl_asprintf("%s/assets/symbols/%s.svg", data_dir, sym);
}

const flow_clip *
flow_clip_in(const flow_question *q, const char *lang)
{
	for (size_t i = 0; q && lang && i < q->n_clips; i++)
		if (strcmp(q->clips[i].lang, lang) == 0)
			return &q->clips[i];
	return NULL;
}

char *
flow_clip_path(const flow *f, const flow_question *q, const char *lang)
{
	const flow_clip *cl = flow_clip_in(q, lang);
	return cl ? tl_path_join(f ? f->dir : NULL, cl->path) : NULL;
}

void
flow_answer_finish(flow_answer *a)
{
	free(a->id);
	tstr_finish(&a->label);
	free(a->symbol);
}

void
flow_question_finish(flow_question *q)
{
	free(q->id);
	tstr_finish(&q->prompt);
	tstr_finish(&q->easy_read);
	free(q->symbol);
	for (size_t i = 0; i < q->n_clips; i++) {
		free(q->clips[i].lang);
		free(q->clips[i].path);
	}
	free(q->clips);
	for (size_t i = 0; i < q->n_answers; i++)
		flow_answer_finish(&q->answers[i]);
	free(q->answers);
	for (size_t i = 0; i < q->n_columns; i++)
		flow_answer_finish(&q->columns[i]);
	free(q->columns);
	for (size_t i = 0; i < q->n_rules; i++) {
		free(q->rules[i].if_answer);
		free(q->rules[i].goto_id);
	}
	free(q->rules);
}

void
flow_destroy(flow *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n_questions; i++)
		flow_question_finish(&f->questions[i]);
	free(f->questions);
	for (size_t i = 0; i < f->n_audience; i++) {
		free(f->audience[i].name);
		tstr_finish(&f->audience[i].role);
		free(f->audience[i].photo);
	}
	free(f->audience);
	free(f->symbol);
	for (size_t i = 0; i < f->n_languages; i++)
		free(f->languages[i]);
	free(f->languages);
	tstr_finish(&f->title);
	free(f->id);
	free(f->path);
	free(f->dir);
	free(f->source);
	free(f);
}
