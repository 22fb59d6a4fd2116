/*
 * cli_merge: `tellus merge --into MASTER.db EXPORT_DIR...`, for a forum
 * lead bringing several kiosks together on a laptop.
 *
 * Promises: each export is checked against its SHA256SUMS before anything
 * is added; one line per export says how many sessions were new, already
 * there, or that it was refused and why; a total line at the end. Exit 0
 * when none was refused, 1 when any was (or the database could not be
 * opened), 2 for wrong usage.
 */
#include "cli.h"
#include "merge/merge.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

void
cli_merge_usage(FILE *out)
{
	fputs("Usage: tellus merge --into MASTER.db [--max-file-mb N] EXPORT_DIR...\n"
	      "Checks each export (a TELLUS/<kiosk>/<time> folder) against its\n"
	      "SHA256SUMS and adds its sessions to MASTER.db (made if needed).\n"
	      "Merging the same export twice changes nothing. Only the export's own\n"
	      "files are opened, never through a link, only plain files, and none\n"
	      "bigger than --max-file-mb (default 512; export.json at most 512).\n", out);
}

int
cli_merge(int argc, char **argv, tl_error *err)
{
	const char *into = NULL;
	merge_options mo = { 0 };
	const char **dirs = calloc((size_t)argc, sizeof *dirs);
	size_t n = 0;
	if (!dirs)
		return tl_err_nomem(err);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--into") == 0 && i + 1 < argc) {
			into = argv[++i];
		} else if (strcmp(argv[i], "--max-file-mb") == 0 && i + 1 < argc) {
			char *end;
			long long mb = strtoll(argv[++i], &end, 10);
			if (*end || mb < 1 || mb > 1024 * 1024) {
				free(dirs);
				return tl_err(err, TL_E_USAGE, "--max-file-mb wants a whole number of "
				              "megabytes, 1 or more");
			}
			mo.max_file_bytes = (int64_t)mb << 20;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_merge_usage(stdout);
			free(dirs);
			return 0;
		} else if (argv[i][0] == '-') {
			free(dirs);
			return tl_err(err, TL_E_USAGE, "unknown option '%s'", argv[i]);
		} else
			dirs[n++] = argv[i];
	}
	if (!into || n == 0) {
		free(dirs);
		return tl_err(err, TL_E_USAGE, "%s", into ? "say which exports to merge"
		                                     : "say which database to merge into with --into");
	}
	store *st = NULL;
	if (store_open(into, NULL, &st, err) != 0) {
		free(dirs);
		return -1;
	}
	merge_result *res = calloc(n, sizeof *res);
	if (!res) {
		store_close(st);
		free(dirs);
		return tl_err_nomem(err);
	}
	int rc = merge_many_opt(st, dirs, n, &mo, res, err);
	long long new_s = 0, present = 0, answers = 0;
	size_t refused = 0;
	for (size_t i = 0; i < n; i++) {
		if (res[i].refused) {
			printf("%s: refused, nothing added: %s\n", dirs[i], res[i].why.msg);
			refused++;
			continue;
		}
		printf("%s: %lld new, %lld already there (%lld answers added)\n", dirs[i],
		       (long long)res[i].sessions_new, (long long)res[i].sessions_present,
		       (long long)res[i].answers_new);
		new_s += res[i].sessions_new;
		present += res[i].sessions_present;
		answers += res[i].answers_new;
	}
	printf("Total: %lld sessions new, %lld already there, %zu %s refused; %lld answers added to %s\n",
	       new_s, present, refused, refused == 1 ? "export" : "exports", answers, into);
	free(res);
	store_close(st);
	free(dirs);
	if (rc != 0 && err)
		err->msg[0] = '\0';   /* each refusal is said in its line above */
	return rc;
}
