/*
 * intake_check: the one checker of hand-written files, for `tellus check`
 * and for what a stick brings in: a flow (flow_load + flow_check) or a card
 * file (cards_load + cards_check), told apart by cards_is_card_file.
 */
#include "intake/intake.h"
#include "cards/cards.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
intake_check_buffer(const char *path, const char *data, size_t len, const char *data_dir,
                    intake_file *out, diag_list *diags)
{
	memset(out, 0, sizeof *out);
	size_t first = diags->n;
	tl_sha256_hex(data, len, out->hash);
	if (cards_is_card_file(data, len)) {
		out->kind = INTAKE_CARDS;
		card_set *s = cards_create();
		if (!s)
			diag_add(diags, DIAG_ERROR, path, 0, 0, "out of memory while reading the cards");
		else if (cards_load_buffer(s, path, data, len, diags) == 0)
			cards_check(s, data_dir, diags);
		cards_destroy(s);
	} else {
		out->kind = INTAKE_FLOW;
		flow *f = NULL;
		if (flow_load_buffer(path, data, len, &f, diags) == 0) {
			flow_check(f, data_dir, diags);
			snprintf(out->id, sizeof out->id, "%s", f->id ? f->id : "");
			out->version = f->version;
		}
		flow_destroy(f);
	}
	for (size_t i = first; i < diags->n; i++) {
		if (diags->items[i].severity == DIAG_ERROR)
			out->errors++;
		else
			out->warnings++;
	}
	return out->errors;
}

int
intake_check_file(const char *path, const char *data_dir, intake_file *out, diag_list *diags)
{
	char *data;
	size_t len;
	tl_error e;
	if (tl_read_file(path, &data, &len, &e) != 0) {
		memset(out, 0, sizeof *out);
		diag_add(diags, DIAG_ERROR, path, 0, 0, "cannot read the file: %s; check the path",
		         e.code == TL_E_NOMEM ? e.msg : strerror(e.sys));
		out->errors = 1;
		return 1;
	}
	int n = intake_check_buffer(path, data, len, data_dir, out, diags);
	free(data);
	return n;
}
