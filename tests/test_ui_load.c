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
 *
 * pictures_come_with_their_flow: a flow whose audience has photos beside
 * it on the stick, and a card file with a photo, are taken with their
 * photos; after the stick is gone the real `tellus` starts on that kiosk
 * and offers the flow (it skipped it when only the .yaml came). Pictures
 * that are a link, beneath a linked folder, a FIFO, or outside the flow's
 * folder are refused in plain words, and nothing of theirs is copied.
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

#include "base/util.h"
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
	h_set_pin(h, PIN);
	h_staff_gesture(h);
	assert_int_equal(sv(h)->screen, STAFF_PIN);
	for (const char *p = PIN; *p; p++)
		press(h, ACT_STAFF_DIGIT, *p - '0');
	press(h, ACT_STAFF_OK, 0);
	h_settle_staff(h);
	assert_int_equal(sv(h)->screen, STAFF_MENU);
	h_settle_staff(h);
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
	h_settle_staff(&h);
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
	h_settle_staff(&h);
	assert_int_equal(sv(&h)->load_taken, 0);
	assert_int_equal(item(&h, "good.yaml")->outcome, INTAKE_SAME);
	assert_int_equal(item(&h, "drop-in.yaml")->outcome, INTAKE_SAME);
	/* A changed good flow with its version kept, now against the kiosk's
	 * own copy: refused, and the kiosk's copy stays as it was. */
	snprintf(want, sizeof want, "%s/TELLUS/flows/good.yaml", stick);
	assert_int_equal(sh("sed -i 's/^  en: How was today?$/  en: Today?/' '%s'%s", want, ""), 0);
	press(&h, ACT_STAFF_MENU, 0);
	press(&h, ACT_STAFF_LOAD, 0);
	h_settle_staff(&h);
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

/* drop-in.yaml (audience photos photos/NAME.svg) as id, its photos named
 * from folder instead (sed on "photo: photos/"). */
static void
flow_with_photos(const char *flows, const char *file, const char *id, const char *folder)
{
	const char *root = getenv("TELLUS_SOURCE_ROOT");
	assert_int_equal(sh("sed -e 's/^id: drop-in$/id: %s/' -e 's#photo: photos/#photo: %s/#' "
	                    "'%s/config/flows/drop-in.yaml' > '%s/%s'", id, folder, root, flows,
	                    file), 0);
}

static void
pictures_come_with_their_flow(void **state)
{
	(void)state;
	const char *root = getenv("TELLUS_SOURCE_ROOT");
	char sdir[] = "/tmp/tellus-load-photos-XXXXXX";
	assert_non_null(mkdtemp(sdir));
	char flows[700], cards[700];
	snprintf(stick, sizeof stick, "%s/stick", sdir);
	snprintf(flows, sizeof flows, "%s/TELLUS/flows", stick);
	snprintf(cards, sizeof cards, "%s/TELLUS/cards", stick);
	assert_int_equal(sh("mkdir -p '%s/photos' '%s/photos' '%s/pipe' '%s/elsewhere' && "
	                    "cp '%s'/config/flows/photos/*.svg '%s/photos/' && "
	                    "cp '%s/config/flows/photos/sam.svg' '%s/photos/card.svg'",
	                    flows, cards, flows, sdir, root, flows, root, cards), 0);
	/* The good one, and four whose photos the kiosk must not read. */
	flow_with_photos(flows, "forum.yaml", "spring-forum", "photos");
	flow_with_photos(flows, "linked.yaml", "linked-forum", "faces");
	flow_with_photos(flows, "linked-dir.yaml", "linked-dir-forum", "outside");
	flow_with_photos(flows, "pipe.yaml", "pipe-forum", "pipe");
	flow_with_photos(flows, "up.yaml", "up-forum", "../../elsewhere");
	assert_int_equal(sh("cp '%s'/config/flows/photos/*.svg '%s/elsewhere/' && mkdir '%s/faces' && "
	                    "for p in sam priya tom; do ln -s '%s/elsewhere/'$p.svg '%s/faces/'$p.svg; "
	                    "mkfifo '%s/pipe/'$p.svg; done && ln -s '%s/elsewhere' '%s/outside'",
	                    root, sdir, flows, sdir, flows, flows, sdir, flows), 0);
	assert_int_equal(sh("sed '0,/symbol: headphones/s##symbol: photos/card.svg#' "
	                    "'%s/config/you-said-we-did.yaml' > '%s/photo-cards.yaml'", root, cards), 0);

	harness h;
	h_open_cfg(&h, "school-day.yaml", W, H, tweak);
	to_menu(&h);
	press(&h, ACT_STAFF_LOAD, 0);
	h_settle_staff(&h);
	assert_int_equal(sv(&h)->load_n, 6);
	const intake_item *g = item(&h, "forum.yaml");
	if (g->outcome != INTAKE_TAKEN)
		fail_msg("the flow with photos was not taken: %s", g->words);
	assert_non_null(strstr(g->words, "with 3 pictures"));
	g = item(&h, "photo-cards.yaml");
	if (g->outcome != INTAKE_TAKEN)
		fail_msg("the cards with a photo were not taken: %s", g->words);
	assert_int_equal(sv(&h)->load_taken, 2);
	static const struct { const char *file, *words; } refused[] = {
		{ "linked.yaml", "The picture faces/sam.svg is a link (a shortcut)" },
		{ "linked-dir.yaml", "The picture outside/sam.svg is a link (a shortcut)" },
		{ "pipe.yaml", "The picture pipe/sam.svg is not a plain file." },
		{ "up.yaml", "is outside the file's folder" },
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		g = item(&h, refused[i].file);
		if (g->outcome == INTAKE_TAKEN || g->outcome == INTAKE_SAME ||
		    !strstr(g->words, refused[i].words))
			fail_msg("%s: outcome %d, \"%s\"; wanted \"%s\"", refused[i].file, g->outcome,
			         g->words, refused[i].words);
		assert_true(h_has_text(&h, g->words));
	}
	/* A picture to look at (the rows' words are checked above). */
	SDL_Surface *shot = app_screenshot(h.app);
	assert_non_null(shot);
	char png[1024];
	snprintf(png, sizeof png, "%s/tests/staff-load-photos.png", getenv("TELLUS_BUILD_ROOT"));
	assert_int_equal(h_save_png(shot, png), 0);
	SDL_FreeSurface(shot);

	/* On the kiosk: the flow and its photos byte for byte, the card's
	 * photo, nothing of the refused ones, no staging folder left. */
	const char *dir = h.dir;
	assert_int_equal(sh("cd '%s' && cmp flows/spring-forum.yaml '%s/forum.yaml' && "
	                    "for p in sam priya tom; do cmp flows/photos/$p.svg '%s/photos/'$p.svg "
	                    "|| exit 1; done && cmp cards/photos/card.svg '%s/photos/card.svg' && "
	                    "cmp cards/photo-cards.yaml '%s/photo-cards.yaml' && "
	                    "test \"$(ls -A flows | tr '\\n' ' ')\" = 'photos spring-forum.yaml ' && "
	                    "test \"$(ls -A cards | tr '\\n' ' ')\" = 'photo-cards.yaml photos ' && "
	                    "test \"$(ls -A flows/photos | wc -l)\" = 3",
	                    dir, flows, flows, cards, cards), 0);
	/* Loaded again: the same, nothing copied. */
	press(&h, ACT_STAFF_MENU, 0);
	press(&h, ACT_STAFF_LOAD, 0);
	h_settle_staff(&h);
	assert_int_equal(item(&h, "forum.yaml")->outcome, INTAKE_SAME);
	assert_int_equal(item(&h, "photo-cards.yaml")->outcome, INTAKE_SAME);
	/* A new version whose photo changed under the same name is refused:
	 * the kiosk's photo is kept. */
	assert_int_equal(sh("sed -i 's/^version: 1$/version: 2/' '%s/forum.yaml' && "
	                    "cp '%s/photos/tom.svg' '%s/photos/sam.svg'", flows, flows, flows), 0);
	press(&h, ACT_STAFF_MENU, 0);
	press(&h, ACT_STAFF_LOAD, 0);
	h_settle_staff(&h);
	g = item(&h, "forum.yaml");
	assert_int_equal(g->outcome, INTAKE_CLASH);
	assert_non_null(strstr(g->words, "different picture called photos/sam.svg"));
	assert_int_equal(sh("cd '%s' && cmp flows/photos/sam.svg '%s/config/flows/photos/sam.svg' && "
	                    "grep -q '^version: 1$' flows/spring-forum.yaml", dir, root), 0);
	press(&h, ACT_STAFF_MENU, 0);

	/* The stick is gone; the real kiosk starts on this folder and offers
	 * the flow with its photos (it said "skipping the flow" when only the
	 * .yaml had come). */
	assert_int_equal(sh("rm -rf '%s'", stick), 0);
	char cmd[2048], out[8192];
	snprintf(cmd, sizeof cmd, "'%s/tellus' --exit-after-first-frame --windowed --db '%s' 2>&1",
	         getenv("TELLUS_BUILD_ROOT"), h.db);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t n = fread(out, 1, sizeof out - 1, p);
	out[n] = '\0';
	int rc = pclose(p);
	if (rc != 0 || strstr(out, "skipping") || strstr(out, "spring-forum"))
		fail_msg("the kiosk did not start cleanly on the flow it took (rc %d):\n%s", rc, out);
	char *fd = intake_dir(h.db, INTAKE_FLOW);
	char *path = tl_asprintf("%s/spring-forum.yaml", fd);
	flow *f = NULL;
	diag_list d = { 0 };
	assert_int_equal(flow_load(path, &f, &d), 0);
	assert_int_equal(flow_check(f, getenv("TELLUS_DATA_DIR"), &d), 0);
	assert_int_equal(f->n_audience, 3);
	flow_destroy(f);
	diag_list_finish(&d);
	free(path);
	free(fd);
	h_close(&h);
	assert_int_equal(sh("rm -rf '%s'", sdir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(load_from_the_stick),
		cmocka_unit_test(pictures_come_with_their_flow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
