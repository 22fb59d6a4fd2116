/*
 * cards: reads "You said, we did" card files (docs/you-said-we-did.md) into
 * a card_set, and orders the cards newest first.
 *
 * Promises: the flow parser's manners (flow/flow_parse.h): every problem is
 * said as FILE:LINE:COL with how to mend it, parsing goes on after a
 * problem so one run shows them all, a file with any error adds nothing to
 * the set, and running out of memory is one error that frees whatever was
 * made for that file.
 */
#include "cards/cards.h"
#include "flow/flow_parse.h"
#include "base/yaml_util.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfyaml.h>

card_set *
cards_create(void)
{
	return calloc(1, sizeof(card_set));
}

static void
card_finish(card *c)
{
	free(c->id);
	tstr_finish(&c->you_said);
	free(c->symbol);
	tstr_finish(&c->result);
	tstr_finish(&c->by);
}

void
cards_destroy(card_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		card_finish(&s->cards[i]);
	free(s->cards);
	for (size_t i = 0; i < s->n_files; i++)
		flow_destroy(s->files[i]);
	free(s->files);
	free(s->newest);
	free(s);
}

/* ---- one card ---------------------------------------------------------- */

enum { CK_ID, CK_YOU_SAID, CK_SYMBOL, CK_WE_DID, CK_NOT_YET, CK_DATE, CK_BY, CK_N };
static const char *const card_keys[CK_N] = {
	"id", "you_said", "symbol", "we_did", "not_yet_because", "date", "by",
};

static bool
is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* YYYY-MM-DD with a month 1-12 and a day that month can have. */
static bool
valid_date(const char *s)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !is_digit(s[i]))
			return false;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	static const int days[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return !(m == 2 && d == 29 && !leap);
}

static void
read_card(struct flow_parse *c, size_t index, struct fy_node *n, flow_pos at, card *cd,
          const card *earlier, size_t n_earlier)
{
	struct flow_place pl;
	char idbuf[64];
	const char *peek = fy_node_get_type(n) == FYNT_MAPPING ?
	                   flow_parse_peek(n, "id", idbuf, sizeof idbuf) : NULL;
	if (peek) {
		snprintf(pl.where, sizeof pl.where, "card '%s'", peek);
		snprintf(pl.who, sizeof pl.who, "card '%s': ", peek);
	} else {
		snprintf(pl.where, sizeof pl.where, "card %zu", index + 1);
		snprintf(pl.who, sizeof pl.who, "card %zu: ", index + 1);
	}
	flow_pos p = yaml_node_pos(n, at);
	cd->pos = p;
	cd->file = c->f;
	if (yaml_is_null(n) || fy_node_get_type(n) != FYNT_MAPPING) {
		flow_parse_err(c, p, "%sa card must be a map with 'you_said' and 'we_did' (or "
		    "'not_yet_because'); see docs/you-said-we-did.md", pl.who);
		return;
	}
	struct flow_key k[CK_N];
	flow_parse_keys_init(k, card_keys, CK_N);
	flow_parse_map(c, n, p, &pl, k, CK_N, pl.where);

	if (k[CK_ID].seen) {
		cd->id = flow_parse_text(c, k[CK_ID].val, k[CK_ID].pos, &pl, "'id'",
		                         "write a short name such as 'quiet-room', or remove the key");
		if (cd->id && !tl_is_slug(cd->id)) {
			char sl[64];
			yaml_suggest_slug(cd->id, sl, sizeof sl);
			flow_parse_err(c, yaml_node_pos(k[CK_ID].val, k[CK_ID].pos),
			    "card id '%s' is not a slug; use only a-z, 0-9, '-' and '_' (e.g. '%s')",
			    cd->id, *sl ? sl : "quiet-room");
		}
		for (size_t i = 0; cd->id && i < n_earlier; i++)
			if (earlier[i].id && strcmp(earlier[i].id, cd->id) == 0)
				flow_parse_err(c, k[CK_ID].pos, "two cards have the id '%s'; give each its own",
				    cd->id);
	}
	if (k[CK_YOU_SAID].seen)
		flow_parse_tstr(c, k[CK_YOU_SAID].val, k[CK_YOU_SAID].pos, &pl, "'you_said'", !k[CK_SYMBOL].seen,
		    "write what people said, e.g. 'you_said: The waiting room is too noisy.'", &cd->you_said);
	if (k[CK_SYMBOL].seen) {
		cd->symbol = flow_parse_text(c, k[CK_SYMBOL].val, k[CK_SYMBOL].pos, &pl, "'symbol'",
		                             "write a bundled symbol name or a photo's path, or remove the key");
		cd->symbol_pos = yaml_node_pos(k[CK_SYMBOL].val, k[CK_SYMBOL].pos);
	}
	if (!k[CK_YOU_SAID].seen && !k[CK_SYMBOL].seen && !k[CK_YOU_SAID].misspelt && !k[CK_SYMBOL].misspelt)
		flow_parse_err(c, p, "%sthe card has no 'you_said'; add what people said "
		    "(words, or a 'symbol' or photo, or both)", pl.who);

	bool did = k[CK_WE_DID].seen, not_yet = k[CK_NOT_YET].seen;
	if (did && not_yet) {
		flow_parse_err(c, k[CK_NOT_YET].pos, "%sthe card has both 'we_did' and 'not_yet_because'; "
		    "keep the one that is true now", pl.who);
	} else if (!did && !not_yet) {
		if (!k[CK_WE_DID].misspelt && !k[CK_NOT_YET].misspelt)
			flow_parse_err(c, p, "%sthe card has no 'we_did'; say what was done, or "
			    "why not yet with 'not_yet_because'", pl.who);
	} else {
		int w = did ? CK_WE_DID : CK_NOT_YET;
		cd->outcome = did ? CARD_WE_DID : CARD_NOT_YET;
		flow_parse_tstr(c, k[w].val, k[w].pos, &pl, did ? "'we_did'" : "'not_yet_because'", true,
		    did ? "say what was done, e.g. 'we_did: We made a quiet corner.'"
		        : "say why not yet, e.g. 'not_yet_because: the room is not ours. We asked the council.'",
		    &cd->result);
	}
	if (k[CK_DATE].seen) {
		char *d = flow_parse_text(c, k[CK_DATE].val, k[CK_DATE].pos, &pl, "'date'",
		                          "write the date as YYYY-MM-DD, or remove the key");
		if (d && !valid_date(d))
			flow_parse_err(c, yaml_node_pos(k[CK_DATE].val, k[CK_DATE].pos),
			    "%sdate '%s' is not a date as YYYY-MM-DD; write e.g. 'date: 2026-11-20'", pl.who, d);
		else if (d)
			memcpy(cd->date, d, 11);
		free(d);
	}
	if (k[CK_BY].seen)
		flow_parse_tstr(c, k[CK_BY].val, k[CK_BY].pos, &pl, "'by'", true,
		    "say who did it, e.g. 'by: The clinic team', or remove the key", &cd->by);
}

/* ---- the whole file --------------------------------------------------- */

enum { FK_LANGUAGES, FK_CARDS, FK_N };
static const char *const file_keys[FK_N] = { "languages", "cards" };

/* Reads the file's cards into a fresh array (*out, *n_out). */
static void
read_file(struct flow_parse *c, struct fy_node *root, card **out, size_t *n_out)
{
	static const struct flow_place pl = { "the card file", "" };
	flow_pos rp = yaml_node_pos(root, (flow_pos){ 1, 1 });
	if (fy_node_get_type(root) != FYNT_MAPPING) {
		flow_parse_err(c, rp, "a card file must be a map with 'languages' and 'cards' "
		    "(see docs/you-said-we-did.md)");
		return;
	}
	struct flow_key k[FK_N];
	flow_parse_keys_init(k, file_keys, FK_N);
	flow_parse_map(c, root, rp, &pl, k, FK_N, "the card file");
	flow_parse_languages(c, &k[FK_LANGUAGES], rp, "the card file");
	struct flow_key *ck = &k[FK_CARDS];
	if (!ck->seen) {
		if (!ck->misspelt)
			flow_parse_err(c, rp, "the card file has no 'cards'; add a list of at least one card");
		return;
	}
	if (yaml_is_null(ck->val) || (fy_node_get_type(ck->val) == FYNT_SEQUENCE &&
	                              fy_node_sequence_item_count(ck->val) == 0)) {
		flow_parse_err(c, ck->pos, "'cards' is empty; a card file needs at least one card");
		return;
	}
	if (fy_node_get_type(ck->val) != FYNT_SEQUENCE) {
		flow_parse_err(c, yaml_node_pos(ck->val, ck->pos),
		               "'cards' must be a list, one '- you_said: ...' per card");
		return;
	}
	size_t n = (size_t)fy_node_sequence_item_count(ck->val);
	card *cards = flow_parse_calloc(c, n, sizeof *cards);
	if (!cards)
		return;
	void *it = NULL;
	struct fy_node *item;
	size_t i = 0;
	while ((item = fy_node_sequence_iterate(ck->val, &it)) && !c->oom && i < n) {
		read_card(c, i, item, ck->pos, &cards[i], cards, i);
		i++;
	}
	*out = cards;
	*n_out = i;
}

/* Newer first: a later date; dated before undated; then later in the set.
 * True when card a should come after card b. */
static bool
after(const card_set *s, size_t a, size_t b)
{
	int d = strcmp(s->cards[b].date, s->cards[a].date);  /* "" sorts before any date */
	return d ? d > 0 : a < b;
}

static int
order(card_set *s)
{
	size_t *ix = realloc(s->newest, (s->n ? s->n : 1) * sizeof *ix);
	if (!ix)
		return -1;
	s->newest = ix;
	for (size_t i = 0; i < s->n; i++)
		ix[i] = i;
	/* Insertion sort: a kiosk holds a few dozen cards. */
	for (size_t i = 1; i < s->n; i++)
		for (size_t j = i; j > 0 && after(s, ix[j - 1], ix[j]); j--) {
			size_t t = ix[j];
			ix[j] = ix[j - 1];
			ix[j - 1] = t;
		}
	return 0;
}

int
cards_load_buffer(card_set *s, const char *path, const char *data, size_t len, diag_list *diags)
{
	if (!path)
		path = "<cards>";
	size_t first_diag = diags->n;
	flow *f = calloc(1, sizeof *f);
	struct flow_parse c = { .file = path, .diags = diags, .f = f, .whose = "the card file's" };
	if (!f) {
		diag_add(diags, DIAG_ERROR, path, 0, 0, "out of memory while reading the cards");
		return -1;
	}
	f->path = tl_strdup(path);
	f->dir = tl_dir_of(path);
	f->source = malloc(len + 1);
	if (!f->path || !f->dir || !f->source) {
		flow_destroy(f);
		diag_add(diags, DIAG_ERROR, path, 0, 0, "out of memory while reading the cards");
		return -1;
	}
	if (len)
		memcpy(f->source, data, len);
	f->source[len] = '\0';
	f->source_len = len;
	tl_sha256_hex(f->source, len, f->hash);
	if (!flow_parse_utf8(&c, f->source, len)) {
		flow_destroy(f);
		return -1;
	}
	struct fy_parser *p = NULL;
	struct fy_document *doc = yaml_parse(path, f->source, len,
	    "a second YAML document starts here; a card file holds one, so remove the '---' "
	    "line and what follows, or put it in its own file", diags, &c.errors, &c.oom, &p);
	struct fy_node *root = doc ? fy_document_root(doc) : NULL;
	card *got = NULL;
	size_t n_got = 0;
	if (!c.errors && !c.oom) {
		if (!root || yaml_is_null(root))
			flow_parse_err(&c, (flow_pos){ 0, 0 }, "the file has no cards in it; a card file needs "
			    "'languages' and 'cards' (see docs/you-said-we-did.md)");
		else
			read_file(&c, root, &got, &n_got);
	}
	if (doc)
		fy_parse_document_destroy(p, doc);
	fy_parser_destroy(p);

	card *grown = NULL;
	flow **files = NULL;
	if (!c.errors && !c.oom) {
		grown = realloc(s->cards, (s->n + n_got + 1) * sizeof *grown);
		if (grown)
			s->cards = grown;
		files = grown ? realloc(s->files, (s->n_files + 1) * sizeof *files) : NULL;
		if (files)
			s->files = files;
		c.oom = !grown || !files;
	}
	if (c.oom) {
		diags->n = first_diag;
		flow_parse_err(&c, (flow_pos){ 0, 0 }, "out of memory while reading the cards");
	}
	if (c.errors) {
		for (size_t i = 0; i < n_got; i++)
			card_finish(&got[i]);
		free(got);
		flow_destroy(f);
		return -1;
	}
	memcpy(s->cards + s->n, got, n_got * sizeof *got);
	s->n += n_got;
	s->files[s->n_files++] = f;
	free(got);
	if (order(s) != 0) {
		/* The cards are in; only the order is missing: file order it is. */
		free(s->newest);
		s->newest = NULL;
	}
	return 0;
}

int
cards_load(card_set *s, const char *path, diag_list *diags)
{
	char *data;
	size_t len;
	tl_error e;
	if (tl_read_file(path, &data, &len, &e) != 0) {
		diag_add(diags, DIAG_ERROR, path, 0, 0, "cannot read the file: %s; check the path",
		         e.code == TL_E_NOMEM ? e.msg : strerror(e.sys));
		return -1;
	}
	int rc = cards_load_buffer(s, path, data, len, diags);
	free(data);
	return rc;
}

const card *
cards_newest(const card_set *s, size_t i)
{
	if (!s || i >= s->n)
		return NULL;
	return &s->cards[s->newest ? s->newest[i] : s->n - 1 - i];
}

bool
cards_is_card_file(const char *data, size_t len)
{
	/* A top-level "cards:" line: a flow never has one (its keys are
	 * documented in docs/flows.md), and this needs no parse. */
	for (size_t i = 0; i + 6 <= len; i++) {
		if ((i == 0 || data[i - 1] == '\n') && memcmp(data + i, "cards:", 6) == 0)
			return true;
	}
	return false;
}
