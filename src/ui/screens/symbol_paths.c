/*
 * symbol_paths: a flow's symbol references resolved to file paths once.
 * flow_symbol_path allocates its answer, and screens are built on every
 * frame, so each reference is resolved the first time a screen shows it and
 * kept for the app's life (the flow is borrowed for as long). Keyed by the
 * reference string itself: a flow's strings do not move while it lives.
 * Memory grows only with the number of distinct references in the flow.
 */
#include "ui.h"

#include <stdlib.h>

const char *
symbol_paths_get(symbol_paths *sp, const flow *f, const char *sym, const char *data_dir)
{
	if (!sym)
		return NULL;
	for (size_t i = 0; i < sp->n; i++)
		if (sp->keys[i] == sym)
			return sp->paths[i];
	if (sp->n == sp->cap) {
		size_t cap = sp->cap ? sp->cap * 2 : 32;
		const char **keys = realloc(sp->keys, cap * sizeof *keys);
		if (!keys)
			return NULL;
		sp->keys = keys;
		char **paths = realloc(sp->paths, cap * sizeof *paths);
		if (!paths)
			return NULL;
		sp->paths = paths;
		sp->cap = cap;
	}
	char *p = flow_symbol_path(f, sym, data_dir);
	if (!p)
		return NULL;  /* out of memory: no picture this time, asked again next */
	sp->keys[sp->n] = sym;
	sp->paths[sp->n++] = p;
	return p;
}

void
symbol_paths_finish(symbol_paths *sp)
{
	for (size_t i = 0; i < sp->n; i++)
		free(sp->paths[i]);
	free(sp->keys);
	free(sp->paths);
	*sp = (symbol_paths){ 0 };
}
