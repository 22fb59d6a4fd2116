/*
 * fuzz_flow: libFuzzer on the flow parser and checker, the part of Tellus
 * that reads YAML a forum wrote (or a stick brought).
 *
 * Each input is taken as a flow file: parsed, and when it parses, checked
 * against the repository's own symbols (TELLUS_FUZZ_DATA_DIR, else
 * TELLUS_DATA_DIR, else the current folder), and every text looked up in every language the way the
 * kiosk does. It must never crash, read out of bounds, leak or hang; a
 * refusal must say something (at least one error), and a flow that parses
 * must be whole. Build and run: see tests/fuzz/README.md.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "flow/flow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t
read_texts(const flow *f)
{
	size_t seen = 0;
	for (size_t l = 0; l < f->n_languages; l++) {
		const char *lang = f->languages[l];
		seen += strlen(tstr_get(&f->title, lang, f->languages[0]));
		for (size_t i = 0; i < f->n_questions; i++) {
			const flow_question *q = &f->questions[i];
			seen += strlen(tstr_get(&q->prompt, lang, f->languages[0]));
			seen += strlen(tstr_get(&q->easy_read, lang, f->languages[0]));
			for (size_t a = 0; a < q->n_answers; a++) {
				seen += strlen(tstr_get(&q->answers[a].label, lang, f->languages[0]));
				if (flow_answer_index(q, q->answers[a].id) < 0)
					abort();   /* an answer its own question cannot find */
			}
			for (size_t r = 0; r < q->n_rules; r++)
				if (q->rules[r].goto_index < -1 ||
				    q->rules[r].goto_index >= (int)f->n_questions)
					abort();   /* a rule that goes nowhere */
			if (flow_question_index(f, q->id) < 0)
				abort();   /* a question its flow cannot find */
		}
	}
	if (strlen(f->source) != f->source_len && memchr(f->source, 0, f->source_len) == NULL)
		abort();
	return seen;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *data_dir;
	if (!data_dir) {
		data_dir = getenv("TELLUS_FUZZ_DATA_DIR");
		if (!data_dir)
			data_dir = getenv("TELLUS_DATA_DIR");
		if (!data_dir)
			data_dir = ".";   /* run from the source tree, as the README says */
	}
	flow *f = NULL;
	diag_list d = { 0 };
	if (flow_load_buffer("fuzz.yaml", (const char *)data, size, &f, &d) != 0) {
		if (f || diag_count(&d, DIAG_ERROR) == 0)
			abort();   /* a refusal says why and hands out nothing */
		diag_list_finish(&d);
		return 0;
	}
	if (!f || f->n_languages < 1 || !f->id || !f->source)
		abort();   /* a flow that parsed is whole */
	diag_list c = { 0 };
	(void)flow_check(f, data_dir, &c);
	if (read_texts(f) == (size_t)-1)
		abort();
	diag_list_finish(&c);
	diag_list_finish(&d);
	flow_destroy(f);
	return 0;
}
