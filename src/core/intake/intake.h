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

#endif
