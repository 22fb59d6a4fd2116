/*
 * cli_check: `tellus check FILE...`, the proof-reader of flows and of "You
 * said, we did" card files (intake_check: the checker the stick's files
 * pass too).
 *
 * Promises: every file is loaded and checked (one bad file does not hide
 * the others' problems); every problem goes to stderr as
 * FILE:LINE:COL: error|warning: message; each good file gets one
 * "FILE: ok" line on stdout. Exit 0 when every file is good (warnings
 * allowed), 1 when any has an error, 2 for wrong usage.
 */
#include "cli.h"
#include "intake/intake.h"
#include "base/util.h"

#include <string.h>

void
cli_check_usage(FILE *out)
{
	fputs("Usage: tellus check FILE...\n"
	      "Checks flow files (docs/flows.md) and \"You said, we did\" card files\n"
	      "(docs/you-said-we-did.md) and says what to mend.\n"
	      "Problems go to stderr as FILE:LINE:COL: error|warning: message;\n"
	      "each good file prints FILE: ok. Exit status: 0 all good (warnings\n"
	      "allowed), 1 a problem found, 2 wrong usage.\n", out);
}

void
cli_check_print_diags(const diag_list *d)
{
	char buf[2048];
	for (size_t i = 0; i < d->n; i++) {
		diag_format(&d->items[i], buf, sizeof buf);
		fprintf(stderr, "%s\n", buf);
	}
}

/* Returns true when the file has no errors. */
static bool
check_one(const char *path, const char *data_dir)
{
	diag_list d = { 0 };
	intake_file r;
	bool ok = intake_check_file(path, data_dir, &r, &d) == 0;
	cli_check_print_diags(&d);
	if (ok) {
		if (r.warnings)
			printf("%s: ok, %d warning%s\n", path, r.warnings, r.warnings == 1 ? "" : "s");
		else
			printf("%s: ok\n", path);
	}
	diag_list_finish(&d);
	return ok;
}

int
cli_check(int argc, char **argv, tl_error *err)
{
	int dashes = 0; /* index of "--": everything after it is a file */
	for (int i = 1; i < argc && !dashes; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_check_usage(stdout);
			return 0;
		}
		if (strcmp(argv[i], "--") == 0)
			dashes = i;
		else if (argv[i][0] == '-' && argv[i][1]) {
			return tl_err(err, TL_E_USAGE, "unknown option '%s'", argv[i]);
		}
	}
	if (argc - 1 - (dashes ? 1 : 0) <= 0)
		return tl_err(err, TL_E_USAGE, "say which flow files to check");
	const char *data_dir = tl_data_dir();
	bool all_ok = true;
	for (int i = 1; i < argc; i++)
		if (i != dashes)
			all_ok &= check_one(argv[i], data_dir);
	fflush(stdout);
	/* The problems are said above, one line each. */
	return all_ok ? 0 : tl_err(err, TL_E_INVALID, "%s", "");
}
