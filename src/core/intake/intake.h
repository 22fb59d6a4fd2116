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

struct card_set;
/*
 * The kiosk's cards: the file named in the settings (file; NULL or "" for
 * none), then every card file in intake_dir(db_path, INTAKE_CARDS) in name
 * order. Each is read and checked (cards_check against data_dir); a file
 * with an error is left out, its problems in diags. Returns the number of
 * files taken.
 */
int intake_load_cards(struct card_set *s, const char *file, const char *db_path,
                      const char *data_dir, diag_list *diags);

#endif
