/*
 * store_fixture: a cmocka fixture for the core tests that work on one
 * real database file: a fresh folder under /tmp holding k.db, the store
 * open on it, and everything removed afterwards. Header only, so each
 * test is still one file.
 */
#ifndef TELLUS_STORE_FIXTURE_H
#define TELLUS_STORE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/store.h"

typedef struct store_fx {
	char dir[64];
	char db[128];
	store *st;
} store_fx;

/* cmocka's setup: *state becomes a store_fx. */
static int __attribute__((unused))
store_fx_setup(void **state)
{
	store_fx *f = calloc(1, sizeof *f);
	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/tellus-store-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->db, sizeof f->db, "%s/k.db", f->dir);
	assert_int_equal(store_open(f->db, NULL, &f->st, NULL), 0);
	*state = f;
	return 0;
}

/* cmocka's teardown: the store closed, the folder gone. */
static int __attribute__((unused))
store_fx_teardown(void **state)
{
	store_fx *f = *state;
	store_close(f->st);
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* Closes the store and opens the file again: what a restart reads. */
static void __attribute__((unused))
store_fx_reopen(store_fx *f)
{
	store_close(f->st);
	assert_int_equal(store_open(f->db, NULL, &f->st, NULL), 0);
}

#endif
