/*
 * flow_check: what parsing alone cannot tell about a loaded flow.
 *
 * Promises: every symbol (questions' and answers', built-in ones included)
 * names a file that exists; every clip is a RIFF/WAVE file; every question
 * can be reached from the first by answering; no skip rule can loop. It
 * also warns about things that make a flow harder to use (long easy-read
 * sentences, crowded questions, questions without a picture). It reads the
 * disk but never changes it, and works on any flow model, not only one
 * that flow_load accepted, so a model built or edited by hand is checked
 * just as strictly.
 */
#include "flow/flow.h"
#include "base/util.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Kept in step with docs/flows.md. */
enum { EASY_READ_MAX_WORDS = FLOW_EASY_READ_MAX_WORDS, COMFORTABLE_ANSWERS = 5 };

struct chk {
	const flow *f;
	diag_list *diags;
	int errors;
};

__attribute__((format(printf, 4, 5)))
static void
add(struct chk *c, enum diag_severity sev, flow_pos p, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag_add(c->diags, sev, c->f->path, p.line, p.col, "%s", msg);
	if (sev == DIAG_ERROR)
		c->errors++;
}

static void
qname(const flow_question *q, size_t i, char *buf, size_t len)
{
	if (q->id)
		snprintf(buf, len, "question '%s'", q->id);
	else
		snprintf(buf, len, "question %zu", i + 1);
}

static bool
is_file(const char *path)
{
	struct stat st;
	return path && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static void
check_symbol(struct chk *c, const char *who, const char *sym, flow_pos pos, const char *data_dir)
{
	if (!sym)
		return;
	char *path = flow_symbol_path(c->f, sym, data_dir);
	if (!path) {
		add(c, DIAG_ERROR, pos, "out of memory while checking symbols");
		return;
	}
	if (!is_file(path)) {
		/* flow_symbol_path decides which kind it is; ask it, not a copy of
		 * its rule. */
		char *prefix = tl_asprintf("%s/assets/symbols/", data_dir);
		bool bundled = prefix && strncmp(path, prefix, strlen(prefix)) == 0;
		free(prefix);
		if (bundled)
			add(c, DIAG_ERROR, pos, "%s: symbol '%s' is not a bundled symbol (no file %s); "
			    "check the name in assets/symbols/SYMBOLS.tsv", who, sym, path);
		else
			add(c, DIAG_ERROR, pos, "%s: picture '%s' not found (looked for %s); "
			    "check the path, which is relative to the flow file", who, sym, path);
	}
	free(path);
}

/* Each of q's clips (one per language) is there and is a WAV file. */
static void
check_clip(struct chk *c, const char *who, const flow_question *q)
{
	for (size_t i = 0; i < q->n_clips; i++) {
		const flow_clip *cl = &q->clips[i];
		char *path = flow_clip_path(c->f, q, cl->lang);
		if (!path) {
			add(c, DIAG_ERROR, cl->pos, "out of memory while checking clips");
			return;
		}
		FILE *fp = is_file(path) ? fopen(path, "rb") : NULL;
		if (!fp) {
			add(c, DIAG_ERROR, cl->pos, "%s: clip '%s' not found (looked for %s); "
			    "check the path, which is relative to the flow file", who, cl->path, path);
			free(path);
			continue;
		}
		unsigned char head[12];
		size_t got = fread(head, 1, sizeof head, fp);
		fclose(fp);
		if (got < sizeof head || memcmp(head, "RIFF", 4) != 0 || memcmp(head + 8, "WAVE", 4) != 0)
			add(c, DIAG_ERROR, cl->pos, "%s: clip '%s' is not a WAV file (RIFF/WAVE); "
			    "save the recording as WAV", who, cl->path);
		free(path);
	}
}

size_t
flow_count_words(const char *s)
{
	size_t n = 0;
	bool in = false;
	for (; *s; s++) {
		bool space = *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r';
		if (!space && !in)
			n++;
		in = !space;
	}
	return n;
}

/* Where answering answer a of question qi leads: a question index, or n
 * for the end. Unresolved or broken rules are reported elsewhere; here they
 * lead nowhere. */
static long
answer_target(const flow *f, size_t qi, const char *answer, bool *broken)
{
	const flow_question *q = &f->questions[qi];
	*broken = false;
	for (size_t r = 0; r < q->n_rules; r++) {
		const flow_rule *rule = &q->rules[r];
		if (!answer || !rule->if_answer || strcmp(rule->if_answer, answer) != 0)
			continue;
		if (rule->goto_index < 0)
			return (long)f->n_questions;
		if ((size_t)rule->goto_index <= qi || (size_t)rule->goto_index >= f->n_questions) {
			*broken = true;
			return -1;
		}
		return rule->goto_index;
	}
	return (long)qi + 1;
}

static void
check_rules(struct chk *c)
{
	const flow *f = c->f;
	for (size_t qi = 0; qi < f->n_questions; qi++) {
		const flow_question *q = &f->questions[qi];
		char who[96];
		qname(q, qi, who, sizeof who);
		for (size_t r = 0; r < q->n_rules; r++) {
			const flow_rule *rule = &q->rules[r];
			int t = rule->goto_index;
			if (t >= 0 && (size_t)t >= f->n_questions)
				add(c, DIAG_ERROR, rule->pos, "%s: skip rule goes to question %d, past the last "
				    "question; use a later question's id or 'end'", who, t + 1);
			else if (t >= 0 && (size_t)t <= qi)
				add(c, DIAG_ERROR, rule->pos, "skip rule jumps back to '%s', which could loop "
				    "forever; rules may only jump forward",
				    f->questions[t].id ? f->questions[t].id : "?");
		}
	}
}

/* Questions reached by answering. Skipping and "I don't want to say"
 * always lead to the following question, so they would make every
 * question reachable; what matters is whether an answer can lead there,
 * otherwise the rules before it have jumped over it by mistake. */
static void
check_reachable(struct chk *c)
{
	const flow *f = c->f;
	size_t n = f->n_questions;
	if (n == 0)
		return;
	bool *seen = calloc(n, sizeof *seen);
	if (!seen) {
		add(c, DIAG_ERROR, (flow_pos){ 0, 0 }, "out of memory while checking the flow");
		return;
	}
	/* Every edge goes forward (backward ones are errors, and ignored), so
	 * one pass in order visits each question after all its sources. */
	seen[0] = true;
	for (size_t qi = 0; qi < n; qi++) {
		if (!seen[qi])
			continue;
		const flow_question *q = &f->questions[qi];
		bool broken;
		if (q->n_answers == 0) {
			if (qi + 1 < n)
				seen[qi + 1] = true;
			continue;
		}
		for (size_t a = 0; a < q->n_answers; a++) {
			long t = answer_target(f, qi, q->answers[a].id, &broken);
			if (t >= 0 && (size_t)t < n)
				seen[t] = true;
		}
	}
	for (size_t qi = 1; qi < n; qi++) {
		if (seen[qi])
			continue;
		char who[96];
		qname(&f->questions[qi], qi, who, sizeof who);
		add(c, DIAG_ERROR, f->questions[qi].pos, "%s cannot be reached by answering: the skip rules "
		    "before it jump past it, so only skipping leads there; change a skip rule or remove "
		    "the question", who);
	}
	free(seen);
}

int
flow_check(const flow *f, const char *data_dir, diag_list *diags)
{
	struct chk c = { .f = f, .diags = diags };
	if (!f)
		return 0;
	if (!data_dir)
		data_dir = tl_data_dir();
	if (f->n_questions == 0)
		add(&c, DIAG_ERROR, (flow_pos){ 0, 0 }, "the flow has no questions; add at least one");

	if (f->symbol)
		check_symbol(&c, "the flow", f->symbol, f->symbol_pos, data_dir);
	for (size_t i = 0; i < f->n_audience; i++) {
		char who[96];
		snprintf(who, sizeof who, "audience '%s'", f->audience[i].name ? f->audience[i].name : "?");
		if (f->audience[i].photo)
			check_symbol(&c, who, f->audience[i].photo, f->audience[i].photo_pos, data_dir);
	}

	for (size_t qi = 0; qi < f->n_questions; qi++) {
		const flow_question *q = &f->questions[qi];
		char who[96];
		qname(q, qi, who, sizeof who);

		if (q->symbol)
			check_symbol(&c, who, q->symbol, q->symbol_pos, data_dir);
		else
			add(&c, DIAG_WARNING, q->pos, "%s has no symbol; add one so people who do not read "
			    "can follow", who);
		for (size_t a = 0; a < q->n_answers; a++) {
			const flow_answer *ans = &q->answers[a];
			char awho[160];
			snprintf(awho, sizeof awho, "%s, answer '%s'", who, ans->id ? ans->id : "?");
			check_symbol(&c, awho, ans->symbol, ans->pos, data_dir);
		}
		for (size_t k = 0; k < q->n_columns; k++) {
			const flow_answer *col = &q->columns[k];
			char cwho[160];
			snprintf(cwho, sizeof cwho, "%s, column '%s'", who, col->id ? col->id : "?");
			check_symbol(&c, cwho, col->symbol, col->pos, data_dir);
		}
		check_clip(&c, who, q);

		for (size_t i = 0; i < q->easy_read.n; i++) {
			size_t words = flow_count_words(q->easy_read.items[i].text);
			if (words <= EASY_READ_MAX_WORDS)
				continue;
			if (f->n_languages > 1)
				add(&c, DIAG_WARNING, q->pos, "%s: the '%s' easy-read sentence has %zu words; "
				    "keep it to %d or fewer", who, q->easy_read.items[i].lang, words,
				    EASY_READ_MAX_WORDS);
			else
				add(&c, DIAG_WARNING, q->pos, "%s: the easy-read sentence has %zu words; "
				    "keep it to %d or fewer", who, words, EASY_READ_MAX_WORDS);
		}
		/* letters typed one key at a time, often with a switch */
		if (q->type == QT_TEXT && q->max_length > FLOW_TEXT_COMFORTABLE)
			add(&c, DIAG_WARNING, q->pos, "%s lets people type %d letters; %d or fewer are "
			    "kinder to type on a screen or with a switch", who, q->max_length,
			    FLOW_TEXT_COMFORTABLE);
		/* a sort mat takes its pictures one at a time: more is fine */
		if (q->type != QT_SORT && q->n_answers > COMFORTABLE_ANSWERS)
			add(&c, DIAG_WARNING, q->pos, "%s has %zu answers; %d or fewer are easier to "
			    "choose from", who, q->n_answers, COMFORTABLE_ANSWERS);
	}
	check_rules(&c);
	check_reachable(&c);
	return c.errors;
}
