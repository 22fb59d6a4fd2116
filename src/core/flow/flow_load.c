/*
 * flow_load: parses a hand-written flow file (docs/flows.md) into the
 * read-only model of flow.h. This file reads the flow's own keys and holds
 * the whole together; flow_parse_question.c reads each question and
 * flow_parse.c the kinds of node they share (flow_parse.h says who does what).
 *
 * Promises: every problem found is reported as FILE:LINE:COL with what is
 * wrong and how to mend it, YAML syntax errors included (libfyaml's own
 * messages are collected, never printed); parsing goes on after a problem so
 * that one run shows them all; a model is only handed out when there were no
 * errors, and then every question has its answers (built-in ones filled in)
 * and every skip rule is resolved to a later question or the end. Running
 * out of memory is one error, "out of memory while reading the flow", and
 * frees whatever was made.
 */
#include "flow/flow_parse.h"
#include "base/yaml_util.h"
#include "base/util.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfyaml.h>

/* ---- the flow's own keys ---------------------------------------------- */

void
flow_parse_languages(struct flow_parse *c, struct flow_key *k, flow_pos root_pos, const char *whole)
{
	flow *f = c->f;
	struct flow_place pl = { "", "" };
	snprintf(pl.where, sizeof pl.where, "%s", whole);
	if (!k->seen) {
		if (!k->misspelt)
			flow_parse_err(c, root_pos, "%s has no 'languages'; add the language codes, e.g. 'languages: [en]'", whole);
		return;
	}
	struct fy_node *v = k->val;
	if (yaml_is_null(v) || (fy_node_get_type(v) == FYNT_SEQUENCE && fy_node_sequence_item_count(v) == 0)) {
		flow_parse_err(c, k->pos, "'languages' is empty; list at least one language code, e.g. 'languages: [en]'");
		return;
	}
	size_t n = fy_node_get_type(v) == FYNT_SEQUENCE ? (size_t)fy_node_sequence_item_count(v) : 1;
	f->languages = flow_parse_calloc(c, n, sizeof *f->languages);
	if (!f->languages)
		return;
	void *it = NULL;
	struct fy_node *item = fy_node_get_type(v) == FYNT_SEQUENCE ? fy_node_sequence_iterate(v, &it) : v;
	for (; item; item = fy_node_get_type(v) == FYNT_SEQUENCE ? fy_node_sequence_iterate(v, &it) : NULL) {
		flow_pos ip = yaml_node_pos(item, k->pos);
		char *s = yaml_is_null(item) ? NULL : flow_parse_scalar(c, item, k->pos, &pl, "a language");
		if (!s) {
			if (yaml_is_null(item))
				flow_parse_err(c, ip, "a language in 'languages' is empty; write a code such as 'en'");
			continue;
		}
		char sl[64];
		if (!yaml_is_lang_code(s)) {
			yaml_suggest_slug(s, sl, sizeof sl);
			flow_parse_err(c, ip, "language '%s' is not a language code; use a lower-case code such as '%s'",
			    s, *sl ? sl : "en");
			free(s);
			continue;
		}
		bool dup = false;
		for (size_t i = 0; i < f->n_languages; i++)
			dup |= strcmp(f->languages[i], s) == 0;
		if (dup) {
			flow_parse_err(c, ip, "language '%s' is listed twice; list each language once", s);
			free(s);
			continue;
		}
		f->languages[f->n_languages++] = s;
	}
}

/* Second pass, once every question id is known: resolve goto targets. */
static void
resolve_rules(struct flow_parse *c)
{
	flow *f = c->f;
	const char **ids = flow_parse_calloc(c, f->n_questions + 1, sizeof *ids);
	if (!ids)
		return;
	for (size_t i = 0; i < f->n_questions; i++)
		ids[i] = f->questions[i].id;
	ids[f->n_questions] = "end";
	for (size_t qi = 0; qi < f->n_questions; qi++) {
		flow_question *q = &f->questions[qi];
		for (size_t ri = 0; ri < q->n_rules; ri++) {
			flow_rule *r = &q->rules[ri];
			if (!r->goto_id)
				continue;
			if (strcmp(r->goto_id, "end") == 0) {
				r->goto_index = -1;
				continue;
			}
			int t = flow_question_index(f, r->goto_id);
			if (t < 0) {
				const char *near = flow_parse_closest(r->goto_id, ids, f->n_questions + 1);
				if (near)
					flow_parse_err(c, r->pos, "skip rule goes to '%s', but there is no such question; "
					    "did you mean '%s'?", r->goto_id, near);
				else
					flow_parse_err(c, r->pos, "skip rule goes to '%s', but there is no such question; "
					    "use a later question's id or 'end'", r->goto_id);
			} else if ((size_t)t <= qi) {
				flow_parse_err(c, r->pos, "skip rule jumps back to '%s', which could loop forever; "
				    "rules may only jump forward", r->goto_id);
			} else {
				r->goto_index = t;
			}
		}
	}
	free(ids);
}

/* ---- the whole file --------------------------------------------------- */

enum { FK_ID, FK_VERSION, FK_TITLE, FK_LANGUAGES, FK_PRESENTATION, FK_QUESTIONS, FK_SYMBOL,
       FK_AUDIENCE, FK_N };
static const char *const flow_keys[FK_N] = {
	"id", "version", "title", "languages", "presentation", "questions", "symbol", "audience",
};

static void
read_flow(struct flow_parse *c, struct fy_node *root)
{
	flow *f = c->f;
	static const struct flow_place pl = { "the flow", "" };
	flow_pos rp = yaml_node_pos(root, (flow_pos){ 1, 1 });
	if (fy_node_get_type(root) != FYNT_MAPPING) {
		flow_parse_err(c, rp, "a flow must be a map of keys: id, version, title, languages and questions "
		    "(see docs/flows.md)");
		return;
	}
	struct flow_key keys[FK_N];
	flow_parse_keys_init(keys, flow_keys, FK_N);
	flow_parse_map(c, root, rp, &pl, keys, FK_N, "the flow");

	if (!keys[FK_ID].seen) {
		if (!keys[FK_ID].misspelt)
			flow_parse_err(c, rp, "the flow has no 'id'; add a short name, e.g. 'id: school-day'");
	} else if ((f->id = flow_parse_text(c, keys[FK_ID].val, keys[FK_ID].pos, &pl, "'id'",
	                              "write a short name such as 'school-day'")) && !tl_is_slug(f->id)) {
		char sl[64];
		yaml_suggest_slug(f->id, sl, sizeof sl);
		flow_parse_err(c, yaml_node_pos(keys[FK_ID].val, keys[FK_ID].pos),
		    "flow id '%s' is not a slug; use only a-z, 0-9, '-' and '_' (e.g. '%s')",
		    f->id, *sl ? sl : "my-flow");
	}

	if (!keys[FK_VERSION].seen) {
		if (!keys[FK_VERSION].misspelt)
			flow_parse_err(c, rp, "the flow has no 'version'; add 'version: 1'");
	} else {
		char *s = flow_parse_text(c, keys[FK_VERSION].val, keys[FK_VERSION].pos, &pl, "'version'",
		                    "write a whole number such as 'version: 1'");
		long v;
		if (s && !yaml_whole_number(s, 1, INT_MAX, &v))
			flow_parse_err(c, yaml_node_pos(keys[FK_VERSION].val, keys[FK_VERSION].pos),
			    "version '%s' is not a whole number of 1 or more; write e.g. 'version: 1'", s);
		else if (s)
			f->version = (int)v;
		free(s);
	}

	flow_parse_languages(c, &keys[FK_LANGUAGES], rp, "the flow");

	if (!keys[FK_TITLE].seen) {
		if (!keys[FK_TITLE].misspelt)
			flow_parse_err(c, rp, "the flow has no 'title'; add what staff see, e.g. 'title: How was today?'");
	} else {
		flow_parse_tstr(c, keys[FK_TITLE].val, keys[FK_TITLE].pos, &pl, "'title'", true,
		          "write what staff see, e.g. 'title: How was today?'", &f->title);
	}

	if (keys[FK_PRESENTATION].seen) {
		char *s = flow_parse_text(c, keys[FK_PRESENTATION].val, keys[FK_PRESENTATION].pos, &pl,
		                    "'presentation'", "write large-symbol or easy-read, or remove the key");
		if (s) {
			int p = presentation_parse(s);
			if (p < 0)
				flow_parse_err(c, yaml_node_pos(keys[FK_PRESENTATION].val, keys[FK_PRESENTATION].pos),
				    "unknown presentation '%s'; use large-symbol or easy-read, or leave it out "
				    "to let the kiosk choose", s);
			else {
				f->presentation = (enum presentation)p;
				f->has_presentation = true;
			}
			free(s);
		}
	}

	if (keys[FK_SYMBOL].seen) {
		f->symbol = flow_parse_text(c, keys[FK_SYMBOL].val, keys[FK_SYMBOL].pos, &pl, "'symbol'",
		                            "name a bundled symbol or a picture file, or remove the key");
		f->symbol_pos = yaml_node_pos(keys[FK_SYMBOL].val, keys[FK_SYMBOL].pos);
	}
	/* After the languages: the roles are texts in them. */
	if (keys[FK_AUDIENCE].seen)
		flow_parse_audience(c, keys[FK_AUDIENCE].val, keys[FK_AUDIENCE].pos);

	struct flow_key *qk = &keys[FK_QUESTIONS];
	if (!qk->seen) {
		if (!qk->misspelt)
			flow_parse_err(c, rp, "the flow has no 'questions'; add a list of at least one question");
		return;
	}
	if (yaml_is_null(qk->val) || (fy_node_get_type(qk->val) == FYNT_SEQUENCE &&
	                         fy_node_sequence_item_count(qk->val) == 0)) {
		flow_parse_err(c, qk->pos, "'questions' is empty; a flow needs at least one question");
		return;
	}
	if (fy_node_get_type(qk->val) != FYNT_SEQUENCE) {
		flow_parse_err(c, yaml_node_pos(qk->val, qk->pos),
		               "'questions' must be a list, one '- id: ...' per question");
		return;
	}
	size_t n = (size_t)fy_node_sequence_item_count(qk->val);
	f->questions = flow_parse_calloc(c, n, sizeof *f->questions);
	if (!f->questions)
		return;
	void *it = NULL;
	struct fy_node *item;
	while ((item = fy_node_sequence_iterate(qk->val, &it)) && !c->oom) {
		size_t i = f->n_questions++;
		flow_parse_question(c, i, item, qk->pos, &f->questions[i]);
	}
	resolve_rules(c);
}

int
flow_load_buffer(const char *path, const char *data, size_t len, flow **out, diag_list *diags)
{
	*out = NULL;
	if (!path)
		path = "<flow>";
	size_t first_diag = diags->n;   /* this file's problems start here */
	flow *f = calloc(1, sizeof *f);
	struct flow_parse c = { .file = path, .diags = diags, .f = f };
	if (!f) {
		diag_add(diags, DIAG_ERROR, path, 0, 0, "out of memory while reading the flow");
		return -1;
	}
	f->path = tl_strdup(path);
	f->dir = tl_dir_of(path);
	f->source = malloc(len + 1);
	if (!f->path || !f->dir || !f->source) {
		flow_destroy(f);
		diag_add(diags, DIAG_ERROR, path, 0, 0, "out of memory while reading the flow");
		return -1;
	}
	if (len)
		memcpy(f->source, data, len);
	f->source[len] = '\0';
	f->source_len = len;
	tl_sha256_hex(f->source, len, f->hash);

	struct fy_parser *p = NULL;
	struct fy_document *doc = yaml_parse(c.file, f->source, len,
	                                     "a second YAML document starts here; a flow file holds "
	                                     "one, so remove the '---' line and what follows, or put "
	                                     "it in its own file",
	                                     c.diags, &c.errors, &c.oom, &p);
	struct fy_node *root = doc ? fy_document_root(doc) : NULL;
	if (!c.errors && !c.oom) {
		if (!root || yaml_is_null(root))
			flow_parse_err(&c, (flow_pos){ 0, 0 }, "the file has no flow in it; a flow needs id, version, "
			    "title, languages and questions (see docs/flows.md)");
		else
			read_flow(&c, root);
	}
	if (doc)
		fy_parse_document_destroy(p, doc);
	fy_parser_destroy(p);
	if (c.oom) {
		/* What was said after a text went missing may be its echo ("no
		 * 'en' text") and would send people to mend a good file: the one
		 * true problem is said alone. */
		diags->n = first_diag;
		flow_parse_err(&c, (flow_pos){ 0, 0 }, "out of memory while reading the flow");
	}
	if (c.errors) {
		flow_destroy(f);
		return -1;
	}
	*out = f;
	return 0;
}

int
flow_load(const char *path, flow **out, diag_list *diags)
{
	*out = NULL;
	char *data;
	size_t len;
	tl_error e;
	if (tl_read_file(path, &data, &len, &e) != 0) {
		diag_add(diags, DIAG_ERROR, path, 0, 0, "cannot read the file: %s; check the path",
		         e.code == TL_E_NOMEM ? e.msg : strerror(e.sys));
		return -1;
	}
	int rc = flow_load_buffer(path, data, len, out, diags);
	free(data);
	return rc;
}
