/*
 * cli_export: `tellus export [--db FILE] --to DIR [--all]`, the staff
 * menu's Export from a shell.
 *
 * Promises: a progress bar on a terminal, plain stage lines otherwise; on
 * success the export's folder and "Safe to remove: N sessions, M answers"
 * on stdout, exit 0 ("Nothing new to export" is a success too); on failure
 * the plain-words reason on stderr, exit 1; wrong usage exits 2.
 */
#include "cli.h"
#include "export/export.h"
#include "base/util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void
cli_export_usage(FILE *out)
{
	fputs("Usage: tellus export [--db FILE] --to DIR [--all] [--office-key office.pub]\n"
	      "Writes a verified export (TELLUS/<kiosk>/<time>/ with sessions.csv,\n"
	      "answers.csv, export.json, report.html, SHA256SUMS, and the kiosk's\n"
	      "signature of it: kiosk.pub, SHA256SUMS.minisig) into DIR, then marks\n"
	      "its sessions exported.\n"
	      "  --db FILE          the database (default $XDG_DATA_HOME/tellus/tellus.db)\n"
	      "  --to DIR           the USB stick's folder (or any folder)\n"
	      "  --all              every session again, not only the new ones\n"
	      "  --office-key FILE  seal every file that holds answers to this office.pub\n"
	      "                     (without it the files are plain: anyone with the stick\n"
	      "                     can read them)\n", out);
}

typedef struct bar {
	bool tty;
	char last_stage[64];
	int last_pct;
} bar;

static void
on_progress(void *ud, double frac, const char *stage)
{
	bar *b = ud;
	int pct = (int)(frac * 100.0 + 0.5);
	if (b->tty) {
		if (pct == b->last_pct && strcmp(stage, b->last_stage) == 0)
			return;
		char cells[31];
		int fill = pct * 30 / 100;
		for (int i = 0; i < 30; i++)
			cells[i] = i < fill ? '#' : '-';
		cells[30] = '\0';
		printf("\r[%s] %3d%%  %-32s", cells, pct, stage);
		fflush(stdout);
	} else if (strcmp(stage, b->last_stage) != 0) {
		printf("%s...\n", stage);
		fflush(stdout);
	}
	b->last_pct = pct;
	snprintf(b->last_stage, sizeof b->last_stage, "%s", stage);
}

int
cli_export(int argc, char **argv, tl_error *err)
{
	const char *db = NULL, *to = NULL, *office = NULL;
	bool all = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			db = argv[++i];
		else if (strcmp(argv[i], "--to") == 0 && i + 1 < argc)
			to = argv[++i];
		else if (strcmp(argv[i], "--office-key") == 0 && i + 1 < argc)
			office = argv[++i];
		else if (strcmp(argv[i], "--all") == 0)
			all = true;
		else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_export_usage(stdout);
			return 0;
		} else {
			return tl_err(err, TL_E_USAGE, "unknown option '%s'", argv[i]);
		}
	}
	if (!to)
		return tl_err(err, TL_E_USAGE, "say where to write with --to DIR");
	char *db_alloc = NULL;
	if (!db && !(db = db_alloc = tl_default_db_path()))
		return tl_err_nomem(err);
	bar b = { .tty = isatty(STDOUT_FILENO) == 1, .last_pct = -1 };
	export_options opt = {
		.db_path = db,
		.to_dir = to,
		.all = all,
		.mark_exported = true,
		.progress = { on_progress, &b },
		.office_key_path = office,
	};
	export_result res;
	int rc = export_run(&opt, &res, err);
	if (b.tty)
		printf("\n");
	free(db_alloc);
	if (rc != 0)
		return -1;
	if (res.nothing_new) {
		printf("Nothing new to export: every finished session is already on a stick.\n"
		       "Use --all to export everything again.\n");
		return 0;
	}
	printf("%s\n", res.path);
	printf("%s\n", res.sealed ? "Sealed to the office key: only office.key opens it."
	                           : "Not sealed: anyone with the stick can read these answers.");
	printf("Safe to remove: %lld %s, %lld %s\n",
	       (long long)res.sessions, res.sessions == 1 ? "session" : "sessions",
	       (long long)res.answers, res.answers == 1 ? "answer" : "answers");
	return 0;
}
