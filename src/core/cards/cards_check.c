/*
 * cards_check: what reading a card file cannot tell: that every symbol and
 * photo is there, and that the words are easy to read (the flows' lint,
 * FLOW_EASY_READ_MAX_WORDS). Reads the disk, never changes it.
 */
#include "cards/cards.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void
who(const card *cd, size_t i, char *buf, size_t len)
{
	if (cd->id)
		snprintf(buf, len, "card '%s'", cd->id);
	else
		snprintf(buf, len, "card %zu", i + 1);
}

static void
lint(const card *cd, const char *name, const char *what, const tstr *t, diag_list *diags)
{
	for (size_t i = 0; i < t->n; i++) {
		size_t words = flow_count_words(t->items[i].text);
		if (words > FLOW_EASY_READ_MAX_WORDS)
			diag_add(diags, DIAG_WARNING, cd->file->path, cd->pos.line, cd->pos.col,
			         "%s: the '%s' %s text has %zu words; keep it to %d or fewer, in short "
			         "everyday words", name, t->items[i].lang, what, words, FLOW_EASY_READ_MAX_WORDS);
	}
}

int
cards_check(const card_set *s, const char *data_dir, diag_list *diags)
{
	int errors = 0;
	if (!data_dir)
		data_dir = tl_data_dir();
	for (size_t i = 0; i < s->n; i++) {
		const card *cd = &s->cards[i];
		char name[96];
		who(cd, i, name, sizeof name);
		lint(cd, name, "you_said", &cd->you_said, diags);
		lint(cd, name, cd->outcome == CARD_WE_DID ? "we_did" : "not_yet_because", &cd->result, diags);
		if (!cd->symbol)
			continue;
		char *path = flow_symbol_path(cd->file, cd->symbol, data_dir);
		struct stat st;
		if (!path) {
			diag_add(diags, DIAG_ERROR, cd->file->path, cd->symbol_pos.line, cd->symbol_pos.col,
			         "out of memory while checking pictures");
			errors++;
		} else if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
			bool bundled = !strchr(cd->symbol, '/') && !strchr(cd->symbol, '.');
			if (bundled)
				diag_add(diags, DIAG_ERROR, cd->file->path, cd->symbol_pos.line, cd->symbol_pos.col,
				         "%s: symbol '%s' is not a bundled symbol (no file %s); check the name "
				         "in assets/symbols/SYMBOLS.tsv", name, cd->symbol, path);
			else
				diag_add(diags, DIAG_ERROR, cd->file->path, cd->symbol_pos.line, cd->symbol_pos.col,
				         "%s: photo '%s' not found (looked for %s); check the path, which is "
				         "relative to the card file", name, cd->symbol, path);
			errors++;
		}
		free(path);
	}
	return errors;
}
