/*
 * merge: brings kiosks' exports together in one database.
 *
 * An export is checked against its SHA256SUMS before anything is read from
 * it: every listed file must be there and match, and the four files of an
 * export must all be listed. A tampered or incomplete export is refused
 * with a plain reason and changes nothing. A good one is added in one
 * transaction: flows by hash, sessions by their UUID (one already there is
 * left alone, so merging the same export twice changes nothing) and the
 * answers of the new sessions.
 */
#ifndef TELLUS_MERGE_H
#define TELLUS_MERGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "store/store.h"

typedef struct merge_result {
	int64_t sessions_new;      /* added by this merge */
	int64_t sessions_present;  /* already in the database: left as they were */
	int64_t answers_new;       /* answer records added */
	bool refused;              /* nothing of this export was added */
	char reason[512];          /* why, in plain words, when refused */
} merge_result;

/* Checks dir's SHA256SUMS. 0 when it is complete and every file matches;
 * -1 with a plain reason in err. */
int merge_verify(const char *dir, char *err, size_t errlen);

/* Verifies dir and adds it to st. 0 merged, -1 refused (res->reason says
 * why; st unchanged). */
int merge_export(store *st, const char *dir, merge_result *res);

/* merge_export for each of dirs in order, checking and reading the next
 * export on a second thread while this one is written. results has n
 * entries. Returns how many were refused. All of them go in one
 * transaction, a savepoint each (a refused export still adds nothing); if
 * that final commit fails, every export is reported refused. */
size_t merge_many(store *st, const char *const *dirs, size_t n, merge_result *results);

#endif
