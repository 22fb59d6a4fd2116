/*
 * test_report_event: `tellus report --event NAME` reports one event across
 * every kiosk merged, and prints on A4.
 *
 * Two kiosks (hall-1, hall-2) take sessions of the school-day flow through
 * the real session machine and store; most belong to the event, one of
 * hall-1's to another day. Each kiosk exports (export_run), the real
 * `tellus merge` merges both exports into a master database, and the real
 * `tellus report --event` writes the report with the bundled "You said, we
 * did" cards. Python's html.parser reads it back
 * (tests/export/check_report_event.py): the event's name, date, place and
 * both kiosks, the cards, and every count of the first question the sum
 * of both kiosks' answers with the other day's left out. Then headless
 * Chromium prints it to PDF and poppler's pdfinfo, pdftoppm and pdftotext
 * check the pages (tests/report_print.py): every page A4, the margins
 * blank, nothing shrunk to fit; the pages are kept as PNGs to look at.
 */
#define _XOPEN_SOURCE 700   /* nftw, to empty the temporary folder */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "export/sessions_helper.h"

#include <sys/stat.h>
#include <unistd.h>

#include "export/export.h"

#define EVENT "Spring drop-in"

static char tmpdir[4096];
static flow *school;

/* Kiosk k's database and export; scripts[i] played people[i] times with
 * events[i]. The export's folder into out. */
static void
make_kiosk(int k, const char *name, const char *const *scripts, const int *people,
           const char *const *events, int n, char *out, size_t len)
{
	char *db = tl_asprintf("%s/%s.db", tmpdir, name);
	char *stick = tl_asprintf("%s/stick-%s", tmpdir, name);
	assert_int_equal(mkdir(stick, 0755), 0);
	store *st = NULL;
	tl_error e = { 0 };
	assert_int_equal(store_open(db, NULL, &st, &e), 0);
	assert_int_equal(store_set_kiosk_id(st, name, &e), 0);
	maker m;
	assert_int_equal(maker_init(&m, st, school, 1795000000000LL + k * 600000LL), 0);
	for (int i = 0; i < n; i++) {
		m.event = events[i];
		for (int p = 0; p < people[i]; p++)
			play(&m, scripts[i]);
	}
	maker_finish(&m);
	store_close(st);
	export_options opt = { .db_path = db, .to_dir = stick, .mark_exported = true };
	export_result res;
	if (export_run(&opt, &res, &e) != 0)
		fail_msg("export: %s", e.msg);
	snprintf(out, len, "%s", res.path);
	free(db);
	free(stick);
}

static const char *
label(int q, int a)
{
	const flow_answer *fa = &school->questions[q].answers[a];
	return tstr_get(&fa->label, "en", "en");
}

static void
event_report_merged_and_printed(void **state)
{
	(void)state;
	const char *root = getenv("TELLUS_SOURCE_ROOT"), *build = getenv("TELLUS_BUILD_ROOT");
	assert_non_null(root);
	assert_non_null(build);
	char ex1[4096], ex2[4096];
	/* hall-1: three feel answer 3 at the event, one feels 0 on another day;
	 * hall-2: two feel answer 1 at the event, one feels 3. */
	static const char *const s1[] = { "c3c0c2dsxc1", "c0ssss" };
	static const int p1[] = { 3, 1 };
	static const char *const e1[] = { EVENT, "Another day" };
	make_kiosk(0, "hall-1", s1, p1, e1, 2, ex1, sizeof ex1);
	static const char *const s2[] = { "c1c4dbdc2c0", "c3ssss" };
	static const int p2[] = { 2, 1 };
	static const char *const e2[] = { EVENT, EVENT };
	make_kiosk(1, "hall-2", s2, p2, e2, 2, ex2, sizeof ex2);

	assert_int_equal(sh("'%s/tellus' merge --into '%s/master.db' '%s' '%s' > '%s/merge.log' 2>&1",
	                    build, tmpdir, ex1, ex2, tmpdir), 0);
	char *master = tl_asprintf("%s/master.db", tmpdir);
	assert_int_equal(db_count(master, "SELECT count(*) FROM sessions"), 7);
	assert_int_equal(db_count(master, "SELECT count(DISTINCT kiosk_id) FROM sessions"), 2);
	char before[65], after[65];
	db_digest(master, before);
	assert_int_equal(sh("'%s/tellus' report --db '%s/master.db' --event '" EVENT "'"
	                    " --place \"St Mary's hall\" --cards '%s/config/you-said-we-did.yaml'"
	                    " --out '%s/spring.html'", build, tmpdir, root, tmpdir), 0);
	/* The report only reads the database. */
	db_digest(master, after);
	assert_string_equal(before, after);
	free(master);
	/* The first question ("How was today?"): hall-1's three and hall-2's
	 * one for answer 3, hall-2's two for answer 1, the other day's answer
	 * 0 not at all. */
	char rows[1024];
	snprintf(rows, sizeof rows, "'%s=4' '%s=2' '%s=0'", label(0, 3), label(0, 1), label(0, 0));
	assert_int_equal(sh("python3 '%s/tests/export/check_report_event.py' '%s/spring.html'"
	                    " --event '" EVENT "' --place \"St Mary's hall\" --kiosks 'hall-1, hall-2'"
	                    " --people 6 --question '%s' --cards '%s/config/you-said-we-did.yaml' %s",
	                    root, tmpdir, tstr_get(&school->questions[0].prompt, "en", "en"), root,
	                    rows), 0);
	/* A4 on paper: the real Chromium, the real PDF, read by poppler. The
	 * pages stay in the build folder to be looked at. */
	assert_int_equal(sh("python3 '%s/tests/report_print.py' '%s/spring.html' '%s/tests/report-event'"
	                    " --max-pages 6", root, tmpdir, build), 0);
	/* Without --event the other day is counted too, and there is no
	 * opening of an event. */
	assert_int_equal(sh("'%s/tellus' report --db '%s/master.db' --out '%s/all.html' > /dev/null",
	                    build, tmpdir, tmpdir), 0);
	assert_int_equal(sh("grep -q '<strong>7</strong> people took part' '%s/all.html'", tmpdir), 0);
	assert_int_not_equal(sh("grep -q 'class=\"facts\"' '%s/all.html'", tmpdir), 0);
	/* An event nobody ran: no one took part, said plainly. */
	assert_int_equal(sh("'%s/tellus' report --db '%s/master.db' --event 'Never held' --out"
	                    " '%s/none.html' > /dev/null && grep -q '<strong>0</strong> people took part'"
	                    " '%s/none.html'", build, tmpdir, tmpdir, tmpdir), 0);
	/* --place without --event is a mistake. */
	assert_int_not_equal(sh("'%s/tellus' report --db '%s/master.db' --place X --out '%s/x.html'"
	                        " 2> /dev/null", build, tmpdir, tmpdir), 0);
}

static int
setup(void **state)
{
	(void)state;
	const char *base = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/tellus-event-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmpdir) || !(school = helper_flow("school-day")))
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	flow_destroy(school);
	return getenv("TELLUS_KEEP_TMP") ? 0 : rm_tree(tmpdir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(event_report_merged_and_printed),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
