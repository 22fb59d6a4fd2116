/*
 * flow_helper: see flow_helper.h. The question is built in memory exactly as
 * the parser would build it from YAML, so flow_destroy frees it like any
 * other and nothing downstream can tell it was not in the file.
 *
 * The pl, ur, ar and bn words are machine-drafted and need a fluent
 * reader's check, like the built-in answers in flow.c.
 */
#include "flow/flow_helper.h"
#include "base/util.h"

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
 * stays in t for the caller to free). */
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

static void
free_tstr(tstr *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->items[i].lang);
		free(t->items[i].text);
	}
	free(t->items);
}

static void
free_question(flow_question *q)
{
	free(q->id);
	free(q->symbol);
	free_tstr(&q->prompt);
	for (size_t i = 0; i < q->n_answers; i++) {
		free(q->answers[i].id);
		free(q->answers[i].symbol);
		free_tstr(&q->answers[i].label);
	}
	free(q->answers);
}

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

int
flow_add_helper_question(flow *f)
{
	if (!f)
		return -1;
	if (flow_question_index(f, FLOW_HELPER_ID) >= 0)
		return 1;
	flow_question q;
	if (!build(&q)) {
		free_question(&q);
		return -1;
	}
	flow_question *grown = realloc(f->questions, (f->n_questions + 1) * sizeof *grown);
	if (!grown) {
		free_question(&q);
		return -1;
	}
	f->questions = grown;
	int at = (int)f->n_questions;
	/* Rules that finished the flow early now finish it here; goto_id
	 * follows, so the model stays as if the file had said so. */
	for (int qi = 0; qi < at; qi++) {
		flow_question *fq = &f->questions[qi];
		for (size_t r = 0; r < fq->n_rules; r++) {
			if (fq->rules[r].goto_index != -1)
				continue;
			char *id = tl_strdup(FLOW_HELPER_ID);
			if (!id)
				continue;  /* that one rule keeps going to the end */
			free(fq->rules[r].goto_id);
			fq->rules[r].goto_id = id;
			fq->rules[r].goto_index = at;
		}
	}
	f->questions[at] = q;
	f->n_questions++;
	return 0;
}
