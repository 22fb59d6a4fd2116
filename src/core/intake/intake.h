/*
 * intake: flows and "You said, we did" cards coming into a kiosk: the one
 * checker `tellus check` and the staff menu's "Load from the stick" share
 * (intake_check.c), and the copy of good files into the kiosk's own folder
 * (intake_copy.c).
 */
#ifndef TELLUS_INTAKE_H
#define TELLUS_INTAKE_H

#include <stdbool.h>
#include <stddef.h>
#include "base/diag.h"
#include "base/error.h"
#include "flow/flow.h"

enum intake_kind { INTAKE_FLOW = 0, INTAKE_CARDS };

typedef struct intake_file {
	enum intake_kind kind;
	int errors, warnings;     /* as the checker counted them */
	char id[64];              /* a flow's id, "" for cards */
	int version;              /* a flow's version, 0 for cards */
	char hash[65];            /* SHA-256 of the bytes, hex */
} intake_file;

/*
 * Reads data (len bytes; path names it in messages and is the folder its
 * relative pictures are looked for in) as `tellus check` does: a card file
 * when it has a top-level 'cards' key (cards_is_card_file), else a flow;
 * loads and checks it (flow_check or cards_check against data_dir). Every
 * problem is appended to diags; *out says what it was and how it went.
 * Returns the number of errors (0: a good file).
 */
int intake_check_buffer(const char *path, const char *data, size_t len, const char *data_dir,
                        intake_file *out, diag_list *diags);
/* The same for a file on disk; a file that cannot be read is one error. */
int intake_check_file(const char *path, const char *data_dir, intake_file *out, diag_list *diags);

/* The kiosk's own folder for files taken in of kind: "flows" or "cards"
 * beside the database (db_path's folder). Caller frees; NULL when out of
 * memory. */
char *intake_dir(const char *db_path, enum intake_kind kind);
/* The *.yaml files in dir, sorted by name, as full paths: *out (caller
 * frees each and the array), *n. A missing folder is none. 0, or -1 with
 * err. */
int intake_list(const char *dir, char ***out, size_t *n, tl_error *err);

/*
 * "Load from the stick" (intake_copy.c): the .yaml files of TELLUS/flows and
 * TELLUS/cards on the stick, read beneath a handle on its folder
 * (no links, plain files of at most INTAKE_FILE_MAX bytes), with the
 * pictures and recordings each names by a path inside its folder (at most
 * INTAKE_PICTURE_MAX bytes each, INTAKE_PICTURES_MAX together); each
 * copied into a staging folder beside the kiosk's own and checked there
 * with the checker of intake_check_file; good ones renamed into the
 * kiosk's own folders (intake_dir), pictures first. A flow goes in as
 * ID.yaml; a card file keeps its name; pictures keep their paths.
 */
#define INTAKE_FILE_MAX (1 << 20)
/* A picture or recording a flow or card file names, and all of one file's
 * together. */
#define INTAKE_PICTURE_MAX (8 << 20)
#define INTAKE_PICTURES_MAX (32 << 20)

enum intake_outcome {
	INTAKE_TAKEN = 0,      /* copied into the kiosk's folder */
	INTAKE_SAME,           /* the kiosk has these very bytes already */
	INTAKE_BROKEN,         /* the checker found errors (or the wrong folder) */
	INTAKE_SAME_VERSION,   /* a changed flow that kept the kiosk's version number */
	INTAKE_OLDER,          /* a flow older than the kiosk's */
	INTAKE_UNREADABLE,     /* it or a picture it names: not a plain file, a link,
	                          too big, or not saved */
	INTAKE_CLASH,          /* the kiosk has a different picture of the same name */
};

typedef struct intake_item {
	char name[256];            /* the file's name on the stick */
	enum intake_kind kind;     /* by the folder it was in */
	enum intake_outcome outcome;
	char id[64];               /* a flow's id and version, once read */
	int version;
	char words[768];           /* what happened, in plain words */
} intake_item;

typedef struct intake_report {
	intake_item *items;        /* flows first, then cards, each by name */
	size_t n;
} intake_report;

/* A flow the kiosk runs now (it counts as the kiosk's, with the folder's). */
typedef struct intake_known {
	const char *id;
	int version;
	const char *hash;          /* SHA-256 hex of its bytes */
} intake_known;

typedef struct intake_opts {
	const char *stick_dir;     /* the stick's folder (its mount point) */
	const char *db_path;       /* the kiosk's database: intake_dir is beside it */
	const char *data_dir;      /* for the checker's bundled symbols */
	const intake_known *known;
	size_t n_known;
} intake_opts;

/* 0 with every file's outcome in *out (none when the stick has no TELLUS
 * folder), or -1 with err when the stick cannot be read at all or its
 * folders are links. Finish *out with intake_report_finish. */
int intake_from_stick(const intake_opts *o, intake_report *out, tl_error *err);
void intake_report_finish(intake_report *r);   /* accepts NULL */

struct card_set;
/*
 * The kiosk's cards: the file named in the settings (file; NULL or "" for
 * none), then every card file in intake_dir(db_path, INTAKE_CARDS) in name
 * order (none with db_path NULL). Each file is read and checked on its own
 * (cards_check against data_dir; NULL: tl_data_dir()), so each problem is
 * in diags once; a file with an error is left out. Returns the number of
 * files taken.
 */
int intake_load_cards(struct card_set *s, const char *file, const char *db_path,
                      const char *data_dir, diag_list *diags);

#endif
