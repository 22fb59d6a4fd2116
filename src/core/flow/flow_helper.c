/*
 * flow_helper: see flow_helper.h. The question is built in memory exactly as
 * the parser would build it from YAML, so flow_destroy frees it like any
 * other and nothing downstream can tell it was not in the file.
 *
 * The pl, ur, ar and bn words are machine-drafted and need a fluent
 * reader's check, like the built-in answers in flow_parse_question.c.
 */
#include "flow/flow_helper.h"
#include "base/util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum { HELPER_LANGS = 5 };
static const char *const helper_langs[HELPER_LANGS] = { "en", "pl", "ur", "ar", "bn" };

static const char *const prompt[HELPER_LANGS] = {
	"How did you answer today?",
	"Jak dziś odpowiadałeś(-aś)?",
	"آج آپ نے کیسے جواب دیے؟",
	"كيف أجبت اليوم؟",
	"আজ তুমি কীভাবে উত্তর দিলে?",
};

static const struct {
	const char *id, *symbol;
	const char *label[HELPER_LANGS];
} answers[] = {
	{ "own", "child",
	  { "On my own", "Samodzielnie", "خود سے", "بمفردي", "নিজে নিজে" } },
	{ "with-help", "handshake",
	  { "With help", "Z pomocą", "مدد سے", "بمساعدة", "সাহায্য নিয়ে" } },
	{ "for-me", "parent-and-child",
	  { "Someone answered for me", "Ktoś odpowiedział za mnie",
	    "کسی نے میری جگہ جواب دیا", "أجاب أحد عني", "অন্য কেউ আমার হয়ে উত্তর দিল" } },
};
#define N_ANSWERS (sizeof answers / sizeof answers[0])

/* A text in every language above; false when out of memory (what was made
 * stays in t for flow_question_finish). */
static bool
fill_tstr(tstr *t, const char *const *text)
{
	t->items = calloc(HELPER_LANGS, sizeof *t->items);
	if (!t->items)
		return false;
	for (size_t i = 0; i < HELPER_LANGS; i++) {
		t->items[i].lang = tl_strdup(helper_langs[i]);
		t->items[i].text = tl_strdup(text[i]);
		t->n = i + 1;
		if (!t->items[i].lang || !t->items[i].text)
			return false;
	}
	return true;
}

/* false when out of memory; what was made stays in q for
 * flow_question_finish. */
static bool
build(flow_question *q)
{
	memset(q, 0, sizeof *q);
	q->type = QT_CHOOSE_ONE;
	q->id = tl_strdup(FLOW_HELPER_ID);
	q->symbol = tl_strdup("parent-and-child");
	if (!q->id || !q->symbol || !fill_tstr(&q->prompt, prompt))
		return false;
	q->answers = calloc(N_ANSWERS, sizeof *q->answers);
	if (!q->answers)
		return false;
	for (size_t i = 0; i < N_ANSWERS; i++) {
		flow_answer *a = &q->answers[i];
		q->n_answers = i + 1;
		a->id = tl_strdup(answers[i].id);
		a->symbol = tl_strdup(answers[i].symbol);
		if (!a->id || !a->symbol || !fill_tstr(&a->label, answers[i].label))
			return false;
	}
	return true;
}

/* The rules that finish the flow, in order. */
static size_t
count_end_rules(const flow *f)
{
	size_t n = 0;
	for (size_t qi = 0; qi < f->n_questions; qi++)
		for (size_t r = 0; r < f->questions[qi].n_rules; r++)
			n += f->questions[qi].rules[r].goto_index == -1;
	return n;
}

int
flow_add_helper_question(flow *f, tl_error *err)
{
	if (!f)
		return tl_err(err, TL_E_INVALID, "no flow to add the helper question to");
	if (flow_question_index(f, FLOW_HELPER_ID) >= 0)
		return 1;
	/* Everything that can fail is made first, so f is only changed once it
	 * can all be done: a rule left going to the end would skip the
	 * question without a word. */
	flow_question q = { 0 };
	size_t n_ids = count_end_rules(f);
	char **ids = calloc(n_ids ? n_ids : 1, sizeof *ids);
	bool ok = ids && build(&q);
	for (size_t i = 0; ok && i < n_ids; i++)
		ok = (ids[i] = tl_strdup(FLOW_HELPER_ID)) != NULL;
	flow_question *grown = ok ? realloc(f->questions, (f->n_questions + 1) * sizeof *grown) : NULL;
	if (!grown) {
		flow_question_finish(&q);
		for (size_t i = 0; ids && i < n_ids; i++)
			free(ids[i]);
		free(ids);
		return tl_err_nomem(err);
	}
	f->questions = grown;
	int at = (int)f->n_questions;
	/* Rules that finished the flow early now finish it here; goto_id
	 * follows, so the model stays as if the file had said so. */
	size_t next = 0;
	for (int qi = 0; qi < at; qi++) {
		flow_question *fq = &f->questions[qi];
		for (size_t r = 0; r < fq->n_rules; r++) {
			if (fq->rules[r].goto_index != -1)
				continue;
			free(fq->rules[r].goto_id);
			fq->rules[r].goto_id = ids[next++];
			fq->rules[r].goto_index = at;
		}
	}
	free(ids);
	f->questions[at] = q;
	f->n_questions++;
	return 0;
}
