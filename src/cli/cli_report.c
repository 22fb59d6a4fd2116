/*
 * cli_report: `tellus report [--db FILE] --out FILE.html`, the easy-read
 * picture report for any database, a kiosk's or a merged one; the same
 * code writes report.html into every export. With --event NAME it reports
 * one event, across every kiosk merged into the database.
 */
#include "cli.h"
#include "report/report.h"
#include "cards/cards.h"
#include "intake/intake.h"
#include "base/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void
cli_report_usage(FILE *out)
{
	fputs("Usage: tellus report [--db FILE] --out FILE.html [--title TEXT] [--cards FILE]...\n"
	      "                     [--with-drawings] [--event NAME [--place TEXT]]\n"
	      "Writes one HTML file with picture charts of the answers: open it in\n"
	      "any browser, or print it (it fits A4). Typed answers are listed under\n"
	      "their question; drawings are counted, and shown with --with-drawings.\n"
	      "--cards adds a \"You said, we did\" section from a card file\n"
	      "(docs/you-said-we-did.md); a file with a problem stops the report, with\n"
	      "the problems said as tellus check says them.\n"
	      "--event reports one event only, across every kiosk merged into the\n"
	      "database (tellus merge), opening with its name, date, place and kiosks.\n", out);
}

int
cli_report(int argc, char **argv, tl_error *err)
{
	const char *db = NULL, *out = NULL, *title = NULL, *event = NULL, *place = NULL;
	bool with_drawings = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			db = argv[++i];
		else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
			out = argv[++i];
		else if (strcmp(argv[i], "--with-drawings") == 0)
			with_drawings = true;
		else if (strcmp(argv[i], "--title") == 0 && i + 1 < argc)
			title = argv[++i];
		else if (strcmp(argv[i], "--event") == 0 && i + 1 < argc)
			event = argv[++i];
		else if (strcmp(argv[i], "--place") == 0 && i + 1 < argc)
			place = argv[++i];
		else if (strcmp(argv[i], "--cards") == 0 && i + 1 < argc)
			i++;   /* read below, once the options are known to be right */
		else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_report_usage(stdout);
			return 0;
		} else {
			return tl_err(err, TL_E_USAGE, "unknown option '%s'", argv[i]);
		}
	}
	if (!out)
		return tl_err(err, TL_E_USAGE, "say where to write the report with --out FILE.html");
	if (event && !*event)
		return tl_err(err, TL_E_USAGE, "--event needs the event's name, as the kiosks ran it");
	if (place && !event)
		return tl_err(err, TL_E_USAGE, "--place goes with --event NAME");
	char *db_alloc = NULL;
	if (!db && !(db = db_alloc = tl_default_db_path()))
		return tl_err_nomem(err);
	/* The cards, each file read and checked on its own as the kiosk reads
	 * them (intake_load_cards), so each problem is said once. */
	card_set *cards = cards_create();
	if (!cards) {
		free(db_alloc);
		return tl_err_nomem(err);
	}
	diag_list d = { 0 };
	int bad = 0;
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--cards") == 0 && i + 1 < argc) {
			i++;
			if (intake_load_cards(cards, argv[i], NULL, NULL, &d) != 1)
				bad++;
		}
	cli_check_print_diags(&d);
	diag_list_finish(&d);
	if (bad) {
		cards_destroy(cards);
		free(db_alloc);
		return tl_err(err, TL_E_INVALID, "mend the card file%s above first", bad == 1 ? "" : "s");
	}
	report_options opt = { .title = title, .cards = cards, .with_typed = true,
	                       .with_drawings = with_drawings, .event = event, .place = place };
	report_people people = { 0 };
	int rc = report_write_file(db, out, &opt, &people, err);
	cards_destroy(cards);
	free(db_alloc);
	if (rc != 0)
		return -1;
	/* Said apart: who finished, and who did not (and why). */
	printf("%s: %lld %s (%lld completed, %lld completed early, %lld unfinished, "
	       "%lld interrupted)\n", out, (long long)people.total,
	       people.total == 1 ? "person" : "people", (long long)people.ended[REPORT_COMPLETED],
	       (long long)people.ended[REPORT_COMPLETED_EARLY],
	       (long long)people.ended[REPORT_UNFINISHED],
	       (long long)people.ended[REPORT_INTERRUPTED]);
	return 0;
}
