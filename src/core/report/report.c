/*
 * report: the model a report is drawn from (report.h), built from a
 * flow's stored source and the counted answers.
 *
 * Promises:
 * - A flow's questions and answers come in the flow's own order, from the
 *   source stored with its sessions; an answer or question the flow no
 *   longer has is added after them, so no counted answer is dropped.
 * - report_destroy frees everything a report holds, and accepts NULL.
 *
 * The files: report_collect.c counts in SQL, report_tally.c keeps counts a
 * caller gathered, report_html.c draws the HTML, report_file.c is
 * `tellus report`.
 */
#include "report/report.h"
#include "report/report_model.h"
#include "flow/flow.h"
#include "base/util.h"

#include <stdlib.h>
#include <string.h>

bool
report_grow(void **items, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return true;
	size_t n = *cap ? *cap * 2 : 8;
	while (n < need)
		n *= 2;
	void *p = realloc(*items, n * size);
	if (!p)
		return false;
	memset((char *)p + *cap * size, 0, (n - *cap) * size);
	*items = p;
	*cap = n;
	return true;
}

static void
question_finish(report_question *q)
{
	for (size_t i = 0; i < q->n_answers; i++) {
		free(q->answers[i].id);
		free(q->answers[i].label);
		free(q->answers[i].symbol);
	}
	free(q->answers);
	for (size_t k = 0; k < q->n_columns; k++) {
		free(q->columns[k].id);
		free(q->columns[k].label);
		free(q->columns[k].symbol);
	}
	for (size_t k = 0; k < q->n_typed; k++)
		free(q->typed[k]);
	free(q->typed);
	for (size_t k = 0; k < q->n_drawings; k++)
		free(q->drawings[k].png);
	free(q->drawings);
	free(q->id);
	free(q->text);
	free(q->symbol);
}

void
report_destroy(report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_flows; i++) {
		report_flow *f = &r->flows[i];
		for (size_t j = 0; j < f->n_questions; j++)
			question_finish(&f->questions[j]);
		free(f->questions);
		free(f->id);
		free(f->title);
	}
	free(r->flows);
	for (size_t i = 0; i < r->n_kiosk_ids; i++)
		free(r->kiosk_ids[i]);
	free(r->kiosk_ids);
	free(r);
}

static report_answer *
add_answer(report_question *q, const char *id, const char *label, const char *symbol)
{
	/* Answers are few per question: grow one at a time. */
	report_answer *a = realloc(q->answers, (q->n_answers + 1) * sizeof *a);
	if (!a)
		return NULL;
	q->answers = a;
	a = &q->answers[q->n_answers];
	memset(a, 0, sizeof *a);
	a->id = tl_strdup(id);
	a->label = tl_strdup(label && *label ? label : id);
	a->symbol = symbol ? tl_strdup(symbol) : NULL;
	if (!a->id || !a->label || (symbol && !a->symbol)) {
		free(a->id);
		free(a->label);
		free(a->symbol);
		return NULL;
	}
	q->n_answers++;
	return a;
}

static int
add_column(report_question *q, const char *id, const char *label, const char *symbol)
{
	if (q->n_columns == REPORT_MAX_COLUMNS)
		return 1;   /* no room: counted as off the mat by the caller */
	report_column *c = &q->columns[q->n_columns];
	c->id = tl_strdup(id);
	c->label = tl_strdup(label && *label ? label : id);
	c->symbol = symbol ? tl_strdup(symbol) : NULL;
	if (!c->id || !c->label || (symbol && !c->symbol)) {
		free(c->id);
		free(c->label);
		free(c->symbol);
		*c = (report_column){ 0 };
		return -1;
	}
	q->n_columns++;
	return 0;
}

static report_question *
add_question(report_flow *f, size_t *cap, const char *id, const char *text,
             const char *symbol)
{
	if (!report_grow((void **)&f->questions, cap, f->n_questions + 1, sizeof *f->questions))
		return NULL;
	report_question *q = &f->questions[f->n_questions];
	memset(q, 0, sizeof *q);
	q->id = tl_strdup(id);
	q->text = tl_strdup(text ? text : id);
	q->symbol = symbol ? tl_strdup(symbol) : NULL;
	if (!q->id || !q->text || (symbol && !q->symbol)) {
		question_finish(q);
		memset(q, 0, sizeof *q);
		return NULL;
	}
	f->n_questions++;
	return q;
}

int
report_fill_from_source(report_flow *rf, size_t *cap_q, const char *source)
{
	flow *f = NULL;
	diag_list d = { 0 };
	int rc = flow_load_buffer("stored-flow.yaml", source, strlen(source), &f, &d);
	diag_list_finish(&d);
	if (rc != 0)
		return 0;
	const char *lang = f->languages[0];
	free(rf->title);
	rf->title = tl_strdup(tstr_get(&f->title, lang, lang));
	if (!rf->title) {
		flow_destroy(f);
		return -1;
	}
	for (size_t i = 0; i < f->n_questions; i++) {
		const flow_question *fq = &f->questions[i];
		report_question *q = add_question(rf, cap_q, fq->id,
		        tstr_get(&fq->prompt, lang, lang), fq->symbol);
		if (!q) {
			flow_destroy(f);
			return -1;
		}
		for (size_t j = 0; j < fq->n_answers; j++) {
			const flow_answer *fa = &fq->answers[j];
			if (!add_answer(q, fa->id, tstr_get(&fa->label, lang, lang), fa->symbol)) {
				flow_destroy(f);
				return -1;
			}
		}
		q->sort = fq->type == QT_SORT;
		q->is_text = fq->type == QT_TEXT;
		q->is_draw = fq->type == QT_DRAW;
		for (size_t k = 0; k < fq->n_columns; k++) {
			const flow_answer *fc = &fq->columns[k];
			if (add_column(q, fc->id, tstr_get(&fc->label, lang, lang), fc->symbol) < 0) {
				flow_destroy(f);
				return -1;
			}
		}
	}
	flow_destroy(f);
	return 0;
}

report_flow *
report_find_flow(report *r, const char *id, int version)
{
	for (size_t i = 0; i < r->n_flows; i++)
		if (r->flows[i].version == version && strcmp(r->flows[i].id, id) == 0)
			return &r->flows[i];
	return NULL;
}

/* The question qid of rf, made (after the flow's own) if the flow did not
 * have it. */
static report_question *
find_question(report_flow *rf, size_t *cap_q, const char *qid, const char *qtext)
{
	for (size_t i = 0; i < rf->n_questions; i++)
		if (strcmp(rf->questions[i].id, qid) == 0)
			return &rf->questions[i];
	return add_question(rf, cap_q, qid, qtext, NULL);
}

int
report_count_answers(report_flow *rf, size_t *cap_q, const char *qid, const char *qtext,
                     const char *kind, int64_t n)
{
	report_question *q = find_question(rf, cap_q, qid, qtext);
	if (!q)
		return -1;
	q->people += n;
	if (strcmp(kind, "skipped") == 0)
		q->skipped += n;
	else if (strcmp(kind, "declined") == 0)
		q->declined += n;
	return 0;
}

int
report_count_choice(report_flow *rf, size_t *cap_q, const char *qid, const char *qtext,
                    const char *id, const char *label, int64_t n)
{
	report_question *q = find_question(rf, cap_q, qid, qtext);
	if (!q)
		return -1;
	report_answer *a = NULL;
	for (size_t i = 0; i < q->n_answers && !a; i++)
		if (strcmp(q->answers[i].id, id) == 0)
			a = &q->answers[i];
	if (!a && !(a = add_answer(q, id, label, NULL)))
		return -1;
	a->count += n;
	return 0;
}

int
report_count_sorted(report_flow *rf, size_t *cap_q, const char *qid, const char *qtext,
                    const char *id, const char *label, const char *column,
                    const char *column_label, int64_t n)
{
	report_question *q = find_question(rf, cap_q, qid, qtext);
	if (!q)
		return -1;
	q->sort = true;
	report_answer *a = NULL;
	for (size_t i = 0; i < q->n_answers && !a; i++)
		if (strcmp(q->answers[i].id, id) == 0)
			a = &q->answers[i];
	if (!a && !(a = add_answer(q, id, label, NULL)))
		return -1;
	size_t k = 0;
	while (k < q->n_columns && strcmp(q->columns[k].id, column) != 0)
		k++;
	/* a column the flow no longer has is added after its own */
	int room = 0;
	if (k == q->n_columns && strcmp(column, "unsorted") != 0 &&
	    (room = add_column(q, column, column_label, NULL)) < 0)
		return -1;
	if (k < q->n_columns && room == 0) {
		a->in_column[k] += n;
		a->count += n;
	} else {
		a->unsorted += n;
	}
	return 0;
}
