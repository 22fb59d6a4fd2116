/*
 * cli_report: `tellus report [--db FILE] --out FILE.html`, the easy-read
 * picture report for any database, a kiosk's or a merged one; the same
 * code writes report.html into every export.
 */
#include "cli.h"
#include "report/report.h"
#include "base/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void
usage(FILE *out)
{
	fputs("Usage: tellus report [--db FILE] --out FILE.html [--title TEXT]\n"
	      "Writes one HTML file with picture charts of the answers: open it in\n"
	      "any browser, or print it.\n", out);
}

int
cli_report(int argc, char **argv)
{
	const char *db = NULL, *out = NULL, *title = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			db = argv[++i];
		else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
			out = argv[++i];
		else if (strcmp(argv[i], "--title") == 0 && i + 1 < argc)
			title = argv[++i];
		else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "tellus report: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (!out) {
		usage(stderr);
		return 2;
	}
	char *db_alloc = NULL;
	if (!db) {
		const char *xdg = getenv("XDG_DATA_HOME");
		const char *home = getenv("HOME");
		db = db_alloc = xdg && *xdg ? tl_asprintf("%s/tellus/tellus.db", xdg)
		        : tl_asprintf("%s/.local/share/tellus/tellus.db", home && *home ? home : ".");
	}
	report_options opt = { .title = title };
	char err[512];
	int64_t people = 0;
	int rc = report_write_file(db, out, &opt, &people, err, sizeof err);
	free(db_alloc);
	if (rc != 0) {
		fprintf(stderr, "tellus report: %s\n", err);
		return 1;
	}
	printf("%s: %lld %s\n", out, (long long)people, people == 1 ? "person" : "people");
	return 0;
}
