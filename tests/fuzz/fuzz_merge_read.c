/*
 * fuzz_merge_read: libFuzzer on merge's reader of export.json, the one
 * part of merge that reads bytes from a stick nobody checked the sense of
 * (the sums only say the bytes are the ones written).
 *
 * Each input is taken as export.json: parsed, and when it parses every
 * flow, session, answer and chosen answer is read the way merge.c reads
 * them. It must never crash, read out of bounds, leak or hang; a refusal
 * must say something. Build (clang only, off by default):
 *
 *   CC=clang meson setup build-fuzz -Dfuzz=true -Dtests=false \
 *       -Db_sanitize=address,undefined -Db_lundef=false
 *   ninja -C build-fuzz tests/fuzz/fuzz_merge_read
 *   build-fuzz/tests/fuzz/fuzz_merge_read tests/fuzz/merge_read_seeds
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "merge/merge_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
read_all(const merge_doc *doc)
{
	tl_error e;
	size_t seen = 0;
	for (size_t i = 0; i < merge_read_n_flows(doc); i++) {
		merge_flow f;
		if (merge_read_flow(doc, i, &f, &e) != 0)
			return;
		seen += strlen(f.hash) + strlen(f.id) + (f.source ? strlen(f.source) : 0);
	}
	for (size_t i = 0; i < merge_read_n_sessions(doc); i++) {
		merge_session s;
		if (merge_read_session(doc, i, &s, &e) != 0)
			return;
		seen += strlen(s.id) + (s.event ? strlen(s.event) : 0);
		for (size_t j = 0; j < s.n_answers; j++) {
			merge_answer a;
			if (merge_read_answer(&s, j, &a, &e) != 0)
				return;
			for (size_t k = 0; k < a.answer_ids.n; k++)
				seen += strlen(merge_list_at(a.answer_ids, k));
			for (size_t k = 0; k < a.answer_labels.n; k++)
				seen += strlen(merge_list_at(a.answer_labels, k));
		}
	}
	if (seen == (size_t)-1)
		abort();   /* keeps the reads from being optimised away */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	merge_doc doc;
	tl_error e;
	if (merge_read_load(&doc, (const char *)data, size, &e) != 0) {
		if (!e.msg[0] || doc.root)
			abort();   /* a refusal says why and keeps nothing */
		return 0;
	}
	read_all(&doc);
	merge_read_free(&doc);
	return 0;
}
