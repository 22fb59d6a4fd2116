/*
 * test_ui_load: "Load from the stick" in the staff menu, headless through
 * the kiosk's own loop with real SDL events. The stick is a folder named by
 * the stick_folder setting, holding TELLUS/flows with a broken flow, a good
 * new one and the kiosk's own school-day flow changed without raising its
 * version, and TELLUS/cards with a good card file and a link. What must
 * hold: the broken flow is refused with the checker's own words, the good
 * one is copied (byte for byte, atomically: no temporary file left) into
 * the kiosk's flows folder as ID.yaml, the changed one is refused with
 * "raise its version" and the kiosk's copy of it is untouched, the link is
 * not followed, and the next start of the kiosk offers the new flow.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "intake/intake.h"
#include "pin/pin.h"
#include "staff/staff.h"
#include "store/store.h"
#include "ui.h"
#include "ui_harness.h"

#define W 1280
#define H 800
#define PIN "471147"

static char stick[600];

static void
put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int
sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* The stick's files: from the bundled school-day flow, one new flow (its
 * id changed), one broken (an unknown question type), one changed with
 * its version kept; a card file; a link to a flow outside the stick. */
static void
make_stick(const char *dir)
{
	const char *root = getenv("TELLUS_SOURCE_ROOT");
	char flows[700], cards[700], src[1024], path[1024];
	snprintf(stick, sizeof stick, "%s/stick", dir);
	snprintf(flows, sizeof flows, "%s/TELLUS/flows", stick);
	snprintf(cards, sizeof cards, "%s/TELLUS/cards", stick);
	assert_int_equal(sh("mkdir -p '%s' '%s'", flows, cards), 0);
	snprintf(src, sizeof src, "%s/config/flows/school-day.yaml", root);
	assert_int_equal(sh("sed 's/^id: school-day$/id: spring-drop-in/' '%s' > '%s/good.yaml'",
	                    src, flows), 0);
	assert_int_equal(sh("sed 's/^  en: How was today?$/  en: How was your day?/' '%s' > "
	                    "'%s/changed.yaml'", src, flows), 0);
	snprintf(path, sizeof path, "%s/broken.yaml", flows);
	put(path, "id: broken-one\nversion: 1\ntitle:\n  en: Broken\nlanguages: [en]\n"
	          "questions:\n  - id: q1\n    type: spinning-wheel\n    text:\n      en: Hello?\n");
	snprintf(src, sizeof src, "%s/config/you-said-we-did.yaml", root);
	assert_int_equal(sh("cp '%s' '%s/drop-in.yaml'", src, cards), 0);
	snprintf(src, sizeof src, "%s/config/flows/clinic-visit.yaml", root);
	assert_int_equal(sh("ln -s '%s' '%s/linked.yaml'", src, flows), 0);
}

static void
tweak(kiosk_config *c)
{
	snprintf(c->stick_folder, sizeof c->stick_folder, "%s", stick);
}

static const staff_view *sv(harness *h) { return app_staff(h->app); }

static void
settle(harness *h)
{
	for (int i = 0; i < 600; i++) {
		app_step(h->app, 20);
		if (!sv(h)->busy && i > 2)
			return;
	}
	fail_msg("staff worker did not finish");
}

static void
press(harness *h, int action, int arg)
{
	int x, y;
	if (!h_center(h, action, arg, &x, &y))
		fail_msg("no target %d/%d on this screen", action, arg);
	h_mouse(h, SDL_MOUSEBUTTONDOWN, x, y);
	h_step(h);
	h_advance(h, 60);
	h_mouse(h, SDL_MOUSEBUTTONUP, x, y);
	h_step(h);
	h_advance(h, 400);
	h_step(h);
}

static void
to_menu(harness *h)
{
	store *st;
	assert_int_equal(store_open(h->db, NULL, &st, NULL), 0);
	assert_int_equal(pin_set(st, PIN, PIN_MIN_DIGITS, NULL), 0);
	store_close(st);
	h_mouse(h, SDL_MOUSEBUTTONDOWN, 8, 8);
	h_step(h);
	h_advance(h, STAFF_HOLD_MS + 100);
	h_step(h);
	h_mouse(h, SDL_MOUSEBUTTONUP, 8, 8);
	h_step(h);
	h_advance(h, 1000);
	h_mouse(h, SDL_MOUSEBUTTONDOWN, W - 8, 8);
	h_step(h);
	h_advance(h, 60);
	h_mouse(h, SDL_MOUSEBUTTONUP, W - 8, 8);
	h_step(h);
	settle(h);
	assert_int_equal(sv(h)->screen, STAFF_PIN);
	for (const char *p = PIN; *p; p++)
		press(h, ACT_STAFF_DIGIT, *p - '0');
	press(h, ACT_STAFF_OK, 0);
	settle(h);
	assert_int_equal(sv(h)->screen, STAFF_MENU);
	settle(h);
}

static const intake_item *
item(harness *h, const char *name)
{
	for (int i = 0; i < sv(h)->load_n; i++)
		if (strcmp(sv(h)->load_items[i].name, name) == 0)
			return &sv(h)->load_items[i];
	fail_msg("no row for %s", name);
	return NULL;
}

static bool
same_bytes(const char *a, const char *b)
{
	return sh("cmp -s '%s' '%s'", a, b) == 0;
}

static void
load_from_the_stick(void **state)
{
	(void)state;
	char sdir[] = "/tmp/tellus-load-stick-XXXXXX";
	assert_non_null(mkdtemp(sdir));
	make_stick(sdir);
	harness h;
	h_open_cfg(&h, "school-day.yaml", W, H, tweak);
	const char *dir = h.dir;   /* the kiosk's folder: its database, flows/, cards/ */
	to_menu(&h);

	press(&h, ACT_STAFF_LOAD, 0);
	assert_int_equal(sv(&h)->screen, STAFF_LOAD);
	settle(&h);
	assert_false(sv(&h)->load_running);
	assert_int_equal(sv(&h)->load_n, 5);
	assert_int_equal(sv(&h)->load_taken, 2);

	/* The broken flow, with the checker's own words, as tellus check says. */
	const intake_item *b = item(&h, "broken.yaml");
	assert_int_equal(b->outcome, INTAKE_BROKEN);
	if (!strstr(b->words, "spinning-wheel"))
		fail_msg("the broken flow's words do not name its problem: %s", b->words);
	/* The changed flow that kept its version. */
	const intake_item *c = item(&h, "changed.yaml");
	assert_int_equal(c->outcome, INTAKE_SAME_VERSION);
	assert_non_null(strstr(c->words, "raise its version"));
	/* The link is not followed. */
	const intake_item *l = item(&h, "linked.yaml");
	assert_int_equal(l->outcome, INTAKE_UNREADABLE);
	assert_non_null(strstr(l->words, "link"));
	/* The good flow and the cards are taken. */
	assert_int_equal(item(&h, "good.yaml")->outcome, INTAKE_TAKEN);
	assert_string_equal(item(&h, "good.yaml")->id, "spring-drop-in");
	assert_int_equal(item(&h, "drop-in.yaml")->outcome, INTAKE_TAKEN);
	assert_true(h_has_text(&h, "flows/broken.yaml: Not taken"));
	assert_true(h_has_text(&h, "flows/good.yaml: Taken"));
	assert_true(h_has_text(&h, c->words));
	char msg[1024];
	if (!h_golden(&h, "staff-load", msg, sizeof msg))
		fail_msg("%s", msg);

	/* On the kiosk: the good files byte for byte, nothing else, no
	 * temporary file left. */
	char got[1200], want[1200];
	snprintf(got, sizeof got, "%s/flows/spring-drop-in.yaml", dir);
	snprintf(want, sizeof want, "%s/TELLUS/flows/good.yaml", stick);
	assert_true(same_bytes(got, want));
	snprintf(got, sizeof got, "%s/cards/drop-in.yaml", dir);
	snprintf(want, sizeof want, "%s/TELLUS/cards/drop-in.yaml", stick);
	assert_true(same_bytes(got, want));
	assert_int_equal(sh("test $(ls -A '%s/flows' | wc -l) -eq 1 && test $(ls -A '%s/cards' | "
	                    "wc -l) -eq 1", dir, dir), 0);

	/* Loaded again: all the same, nothing more taken. */
	press(&h, ACT_STAFF_MENU, 0);
	press(&h, ACT_STAFF_LOAD, 0);
	settle(&h);
	assert_int_equal(sv(&h)->load_taken, 0);
	assert_int_equal(item(&h, "good.yaml")->outcome, INTAKE_SAME);
	assert_int_equal(item(&h, "drop-in.yaml")->outcome, INTAKE_SAME);
	/* A changed good flow with its version kept, now against the kiosk's
	 * own copy: refused, and the kiosk's copy stays as it was. */
	snprintf(want, sizeof want, "%s/TELLUS/flows/good.yaml", stick);
	assert_int_equal(sh("sed -i 's/^  en: How was today?$/  en: Today?/' '%s'%s", want, ""), 0);
	press(&h, ACT_STAFF_MENU, 0);
	press(&h, ACT_STAFF_LOAD, 0);
	settle(&h);
	assert_int_equal(item(&h, "good.yaml")->outcome, INTAKE_SAME_VERSION);
	snprintf(got, sizeof got, "%s/flows/spring-drop-in.yaml", dir);
	assert_false(same_bytes(got, want));
	/* Back leaves. */
	press(&h, ACT_STAFF_MENU, 0);
	assert_int_equal(sv(&h)->screen, STAFF_MENU);

	/* The next start offers the flow it took: main.c adds the flows of
	 * intake_dir (a good file each) after the settings' ones. */
	char *fd = intake_dir(h.db, INTAKE_FLOW);
	char **list = NULL;
	size_t n = 0;
	assert_int_equal(intake_list(fd, &list, &n, NULL), 0);
	assert_int_equal(n, 1);
	flow *f = NULL;
	diag_list d = { 0 };
	assert_int_equal(flow_load(list[0], &f, &d), 0);
	assert_string_equal(f->id, "spring-drop-in");
	flow_destroy(f);
	diag_list_finish(&d);
	free(list[0]);
	free(list);
	free(fd);
	h_close(&h);
	assert_int_equal(sh("rm -rf '%s'%s", sdir, ""), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(load_from_the_stick),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
