/*
 * cards: "You said, we did" cards (docs/you-said-we-did.md), the kiosk's way
 * of telling families what was done with what they said.
 *
 * A card file is YAML people write by hand, like a flow: its languages,
 * then a list of cards. A card has what people said ("you said": words, a
 * symbol or a photo, or both) and either what was done ("we did") or why
 * not yet ("not yet, because"), optionally a date and who did it.
 *
 * The reader is the flow parser's (flow/flow_parse.h): the same FILE:LINE:COL
 * messages, the same texts in several languages, the same symbol paths
 * (flow_symbol_path on the set's `shell`, a flow with no questions that
 * holds the file's path, folder and languages). Several files may be read
 * into one set (the bundled file, then those loaded from a stick); the
 * set keeps them all and orders the cards newest first.
 */
#ifndef TELLUS_CARDS_H
#define TELLUS_CARDS_H

#include <stdbool.h>
#include <stddef.h>
#include "base/diag.h"
#include "flow/flow.h"

enum card_outcome {
	CARD_WE_DID = 0,       /* "We did ..." */
	CARD_NOT_YET,          /* "We couldn't yet, because ..." */
};

typedef struct card {
	char *id;              /* slug, may be NULL (messages then say "card 2") */
	tstr you_said;         /* may be empty when there is a symbol */
	char *symbol;          /* a bundled symbol name or a photo path; may be NULL */
	enum card_outcome outcome;
	tstr result;           /* what was done, or why not yet */
	char date[11];         /* YYYY-MM-DD, "" when none */
	tstr by;               /* who did it; may be empty */
	const flow *file;      /* the card's file: path, folder, languages (borrowed from the set) */
	flow_pos pos, symbol_pos;
} card;

typedef struct card_set {
	flow **files;          /* one shell per file read: path, dir, languages, source, hash */
	size_t n_files;
	card *cards;           /* in the order read, file after file */
	size_t n;
	size_t *newest;        /* indices into cards, newest first (see cards_order) */
} card_set;

/* An empty set: caller frees with cards_destroy. NULL when out of memory. */
card_set *cards_create(void);
/* Frees s and everything in it. Accepts NULL. */
void cards_destroy(card_set *s);

/*
 * Reads the card file at path (or the buffer data/len, path used for
 * messages and relative photos) and adds its cards to s. Every problem is
 * appended to diags; on any error nothing is added and -1 is returned.
 * Warnings (a language without its text, a long sentence) do not fail it.
 */
int cards_load(card_set *s, const char *path, diag_list *diags);
int cards_load_buffer(card_set *s, const char *path, const char *data, size_t len,
                      diag_list *diags);

/*
 * What reading alone cannot tell: every symbol and photo exists (bundled
 * names under data_dir/assets/symbols, paths relative to the card file),
 * and the easy-read lint of flows (a sentence of more than
 * FLOW_EASY_READ_MAX_WORDS words is a warning). Appends to diags; returns
 * the number of errors added.
 */
int cards_check(const card_set *s, const char *data_dir, diag_list *diags);

/* The i-th card, newest first (i < s->n); NULL past the end. Newest: the
 * latest date; cards without a date come after dated ones; among equals the
 * later in the file (and the later file) first. Borrowed from s. */
const card *cards_newest(const card_set *s, size_t i);

/* True when path looks like a card file rather than a flow: its top-level
 * map has a 'cards' key. For `tellus check`, which takes both. */
bool cards_is_card_file(const char *data, size_t len);

#endif
