/*
 * merge: brings kiosks' exports together in one database.
 *
 * An export's signature is checked first (merge_trust.h: which kiosk, and
 * may it come in), then its SHA256SUMS before anything is read from it: every listed file must be there and match, and the four files of an
 * export must all be listed. A tampered or incomplete export is refused
 * with a plain reason and changes nothing. A good one is added in one
 * transaction: flows by hash, sessions by their UUID (one already there is
 * left alone, so merging the same export twice changes nothing) and the
 * answers of the new sessions.
 *
 * The files: merge_verify.c checks the sums, merge_read.c turns export.json
 * into records (through jansson, strictly), merge.c writes them in a
 * transaction and runs merge_many.
 */
#ifndef TELLUS_MERGE_H
#define TELLUS_MERGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/error.h"
#include "merge/merge_trust.h"
#include "store/store.h"

/* The largest export.json merge reads (512 MB, about 1,800,000 answers;
 * an export of 1,000,000 is 280 MB): a bigger one is refused before it is
 * read. jansson's tree of an export takes about eight times the file's
 * size in memory, so the biggest needs about 4 GB; merge_many holds two
 * trees at once only while neither is over a quarter of this. */
#define MERGE_JSON_MAX (512 << 20)
/* The largest file of any name merge opens from an export, unless
 * merge_options says otherwise (`tellus merge --max-file-mb N`): a file
 * over it is refused from its size alone, before one byte is read. */
#define MERGE_FILE_MAX_DEFAULT ((int64_t)MERGE_JSON_MAX)

/* How merge treats what it reads. Zeroed (or a NULL pointer): defaults. */
typedef struct merge_options {
	int64_t max_file_bytes;    /* 0: MERGE_FILE_MAX_DEFAULT; at most MERGE_JSON_MAX
	                              counts for export.json */
	const merge_keys *keys;    /* office key, trust list (merge_trust.h); NULL: none */
} merge_options;

typedef struct merge_result {
	int64_t sessions_new;      /* added by this merge */
	int64_t sessions_present;  /* already in the database: left as they were */
	int64_t answers_new;       /* answer records added */
	bool refused;              /* nothing of this export was added */
	tl_error why;              /* why, in plain words, when refused */
	merge_signer signer;       /* the kiosk and key that signed it (once checked) */
	bool key_new;              /* the first export of that kiosk: its key is now remembered */
} merge_result;

/* Checks dir's SHA256SUMS. 0 when it is complete and every file matches;
 * -1 with the plain reason in err. Only the export's own file names are
 * opened, beneath a handle on dir, never through a link, only plain files
 * (a FIFO or a device is refused without waiting on it), and none over the
 * size limit. */
int merge_verify(const char *dir, tl_error *err);

/* Verifies dir and adds it to st. 0 merged (res has the counts); -1
 * refused, st unchanged, res->refused set and the reason both in res->why
 * and in err. */
int merge_export(store *st, const char *dir, merge_result *res, tl_error *err);

/* merge_export for each of dirs in order, checking and reading the next
 * export on a second thread while this one is written. results has n
 * entries, each with its counts or its refusal. All of them go in one
 * transaction, a savepoint each (a refused export still adds nothing); if
 * that final commit fails, every export is reported refused. 0 when every
 * export was merged; -1 when any was refused, err then saying how many
 * ("1 of 4 exports was refused"). */
int merge_many(store *st, const char *const *dirs, size_t n, merge_result *results,
               tl_error *err);
/* merge_export and merge_many with options (opt may be NULL). */
int merge_export_opt(store *st, const char *dir, const merge_options *opt, merge_result *res,
                     tl_error *err);
int merge_many_opt(store *st, const char *const *dirs, size_t n, const merge_options *opt,
                   merge_result *results, tl_error *err);

#endif
