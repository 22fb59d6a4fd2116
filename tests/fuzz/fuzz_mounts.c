/*
 * fuzz_mounts: libFuzzer on the mount table reader (mounts.c, through
 * libmount), which decides what counts as a stick from the kernel's
 * mountinfo: text whose mount point names come from whatever label a
 * stick was given.
 *
 * Each input is taken as a mountinfo table: parsed under the default roots
 * and under "/", then compared with itself (mounts_new), looked up
 * (mounts_find) and named (mounts_name), and copied. It must never crash,
 * leak or hang; a table compared with itself has nothing new; a refusal
 * says why and keeps nothing. Build and run: see tests/fuzz/README.md.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "export/mounts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
use(const mount_list *l)
{
	size_t idx[8];
	if (mounts_new(l, l, idx, 8) != 0)
		abort();   /* nothing is new against itself */
	for (size_t i = 0; i < l->n; i++) {
		if (mounts_find(l, l->items[i].point) < 0)
			abort();   /* a mount point its own list cannot find */
		const char *name = mounts_name(l->items[i].point);
		if (!name)
			abort();
	}
	mount_list copy = { 0 };
	tl_error e;
	if (mount_list_copy(&copy, l, &e) != 0)
		abort();
	if (copy.n != l->n)
		abort();
	mount_list_finish(&copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	static const char *const everywhere[] = { "/", NULL };
	const char *const *roots[] = { NULL, everywhere };
	for (size_t r = 0; r < 2; r++) {
		mount_list l = { 0 };
		tl_error e = { 0 };
		if (mounts_parse(text, roots[r], &l, &e) != 0) {
			if (!e.msg[0] || l.n)
				abort();
			continue;
		}
		use(&l);
		mount_list_finish(&l);
	}
	free(text);
	return 0;
}
