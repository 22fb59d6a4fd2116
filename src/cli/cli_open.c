/*
 * cli_open: `tellus open --key office.key EXPORT_DIR --to DIR`: the plain
 * files of a sealed export, for people who want the CSVs
 * (merge/merge_open.h). The export is checked as merge checks it first.
 */
#include "cli.h"
#include "merge/merge_open.h"

#include <string.h>

void
cli_open_usage(FILE *out)
{
	fputs("Usage: tellus open [--key office.key] EXPORT_DIR --to DIR\n"
	      "Checks an export (its kiosk's signature and SHA256SUMS) and writes its plain\n"
	      "files into DIR: sessions.csv, answers.csv, export.json, report.html and a\n"
	      "SHA256SUMS of them. A sealed export needs the office's secret key, office.key.\n"
	      "The plain files hold every answer: keep DIR where only the right people can\n"
	      "read it.\n", out);
}

int
cli_open(int argc, char **argv, tl_error *err)
{
	const char *key = NULL, *to = NULL, *dir = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--key") == 0 && i + 1 < argc)
			key = argv[++i];
		else if (strcmp(argv[i], "--to") == 0 && i + 1 < argc)
			to = argv[++i];
		else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_open_usage(stdout);
			return 0;
		} else if (argv[i][0] == '-' || dir)
			return tl_err(err, TL_E_USAGE, "unknown option '%s'", argv[i]);
		else
			dir = argv[i];
	}
	if (!dir || !to)
		return tl_err(err, TL_E_USAGE, "%s", dir ? "say where to write with --to DIR"
		                                    : "say which export to open");
	merge_keys keys;
	int rc = merge_keys_load(&keys, key, NULL, err);
	merge_signer who;
	if (rc == 0)
		rc = merge_open_export(dir, &keys, to, &who, err);
	merge_keys_finish(&keys);
	if (rc != 0)
		return -1;
	printf("Signed by kiosk %s, key %s (key id %s).\n"
	       "The plain files are in %s.\n", who.kiosk_id, who.key, who.key_id, to);
	return 0;
}
