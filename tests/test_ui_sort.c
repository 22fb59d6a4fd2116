/*
 * test_ui_sort: the sort question (Talking Mats style) through the real
 * app, headless, with real SDL events: finished by touch, mouse, the
 * keyboard alone, one switch scanning, one switch tap-and-hold, two
 * switches and dwell. Each run places pictures in every column, moves one
 * again, leaves one off the mat, and then reads the real SQLite file; one
 * run goes on through `tellus export` (read back with Python's csv and json
 * by tests/export/check_sort.py), `tellus merge` and `tellus report`.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "ui.h"
#include "ui_harness.h"

#define W 1280
#define H 800
#define FLOW "more-ways.yaml"


/* Picture (by id) onto column k, checking the mat after. */
static void
place(harness *h, h_press_fn press, const char *id, int k)
{
	const flow_question *q = app_view(h->app)->question;
	int i = flow_answer_index(q, id);
	assert_true(i >= 0);
	press(h, APP_ACT_ANSWER, i);
	assert_int_equal(app_view(h->app)->held, i);
	press(h, APP_ACT_SORT_COLUMN, k);
	assert_int_equal(app_view(h->app)->held, -1);
	assert_int_equal(app_view(h->app)->column[i], k);
}

/* The whole flow: the first mat with every column used, a picture moved
 * again and one left off; the second mat with its own columns and most
 * left off; a feelings question. */
static void
finish(harness *h, h_press_fn press)
{
	press(h, APP_ACT_START, 0);
	assert_int_equal(app_view(h->app)->screen, SCREEN_QUESTION);
	assert_string_equal(app_view(h->app)->question->id, "school-mat");
	place(h, press, "lunch", 0);
	place(h, press, "music", 2);
	place(h, press, "books", 1);
	place(h, press, "football", 0);
	place(h, press, "bus", 0);
	place(h, press, "bus", 2);   /* moved again before Done */
	press(h, APP_ACT_DONE, 0);
	assert_string_equal(app_view(h->app)->question->id, "how-hard");
	place(h, press, "reading", 0);
	press(h, APP_ACT_DONE, 0);
	/* the typed and drawn answers are test_ui_typing's and test_ui_drawing's */
	while (app_view(h->app)->question->type == QT_TEXT || app_view(h->app)->question->type == QT_DRAW)
		press(h, APP_ACT_SKIP, 0);
	assert_string_equal(app_view(h->app)->question->id, "feeling");
	press(h, APP_ACT_ANSWER, 2);
	assert_int_equal(app_view(h->app)->screen, SCREEN_THANKS);
	app_flush(h->app);
}

/* What the database must hold after finish(), in mat order. */
static const char want_mat[] =
	"school-mat|0|lunch|Lunch|like|I like\n"
	"school-mat|1|football|Football|like|I like\n"
	"school-mat|2|books|Reading|not-sure|Not sure\n"
	"school-mat|3|music|Music|dislike|I don't like\n"
	"school-mat|4|bus|The bus|dislike|I don't like\n"
	"school-mat|5|painting|Art|unsorted|\n"
	"how-hard|0|reading|Reading|easy|Easy\n"
	"how-hard|1|playtime|Playtime|unsorted|\n"
	"how-hard|2|waiting|Waiting|unsorted|\n"
	"feeling|0|happy|Happy||\n";

static void
check_db(harness *h, const char *method)
{
	char buf[2048] = "";
	h_sql_text(h, "SELECT group_concat(r, char(10)) || char(10) FROM (SELECT a.question_id || '|' ||"
	           " c.position || '|' || c.answer_id || '|' || c.answer_label || '|' ||"
	           " ifnull(c.sort_column, '') || '|' || ifnull(c.sort_column_label, '') AS r"
	           " FROM answers a JOIN answer_choices c ON c.session_id = a.session_id AND c.seq = a.seq"
	           " ORDER BY a.seq, c.position)", buf, sizeof buf);
	assert_string_equal(buf, want_mat);
	assert_int_equal(h_sql_int(h, "SELECT count(*) FROM answers WHERE kind != 'skipped'"), 3);
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM answers WHERE kind = 'chosen' AND input_method = '%s'",
	         method);
	assert_int_equal(h_sql_int(h, sql), 3);
	assert_int_equal(h_sql_int(h, "SELECT count(*) FROM sessions WHERE status = 'completed'"), 1);
}

static enum access_method method_now;
static void
tweak_method(kiosk_config *c)
{
	c->access.method = method_now;
	/* scanning past the text question's keyboard to its Skip is a long
	 * round; the idle timer is not what this test is about */
	c->access.scan_interval_ms = 750;
	c->timing.idle_ms = 10 * 60 * 1000;
}

static void
run(enum access_method m, h_press_fn press, const char *stored)
{
	harness h;
	method_now = m;
	h_open_cfg(&h, FLOW, W, H, tweak_method);
	finish(&h, press);
	check_db(&h, stored);
	h_close(&h);
}

static void by_touch(void **s) { (void)s; run(ACCESS_TOUCH, h_press_finger, "touch"); }
static void by_mouse(void **s) { (void)s; run(ACCESS_TOUCH, h_click, "mouse"); }
static void by_keyboard(void **s) { (void)s; run(ACCESS_TOUCH, h_press_keyboard, "keyboard"); }
static void by_scan(void **s) { (void)s; run(ACCESS_SCAN, h_press_scan, "switch"); }
static void by_tap_hold(void **s) { (void)s; run(ACCESS_TAP_HOLD, h_press_tap_hold, "switch"); }
static void by_two_switches(void **s) { (void)s; run(ACCESS_TWO_SWITCH, h_press_two, "switch"); }
static void by_dwell(void **s) { (void)s; run(ACCESS_DWELL, h_press_dwell, "dwell"); }

/* Picking a picture up with a switch puts the highlight on the first
 * column, and putting it down puts it on the next picture still off the
 * mat: nobody steps past every picture in between. */
static void
switch_goes_to_the_columns(void **s)
{
	(void)s;
	harness h;
	method_now = ACCESS_TWO_SWITCH;
	h_open_cfg(&h, FLOW, W, H, tweak_method);
	h_press_two(&h, APP_ACT_START, 0);
	h_press_two(&h, APP_ACT_ANSWER, 1);
	assert_int_equal(app_focus(h.app), h_target_index(&h, APP_ACT_SORT_COLUMN, 0));
	h_key(&h, SDLK_RETURN, 0);
	h_step(&h);
	assert_int_equal(app_view(h.app)->column[1], 0);
	assert_int_equal(app_focus(h.app), h_target_index(&h, APP_ACT_ANSWER, 0));
	h_close(&h);
}

/* Done with nothing on the mat is a skip, as in choose-many; a picture
 * picked up and put down again is off the mat. */
static void
empty_mat_is_a_skip(void **s)
{
	(void)s;
	harness h;
	h_open(&h, FLOW, W, H, true);
	h_click(&h, APP_ACT_START, 0);
	h_click(&h, APP_ACT_ANSWER, 0);
	assert_int_equal(app_view(h.app)->held, 0);
	h_click(&h, APP_ACT_ANSWER, 0);
	assert_int_equal(app_view(h.app)->held, -1);
	h_click(&h, APP_ACT_SORT_COLUMN, 0);   /* nothing held: nothing placed */
	assert_int_equal(app_view(h.app)->column[0], -1);
	h_click(&h, APP_ACT_DONE, 0);
	app_flush(h.app);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers WHERE kind = 'skipped'"), 1);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answer_choices"), 0);
	/* back again: the mat as it was left (empty), and a new answer is a
	 * new row */
	h_click(&h, APP_ACT_BACK, 0);
	const session_view *v = app_view(h.app);
	assert_string_equal(v->question->id, "school-mat");
	for (size_t i = 0; i < v->question->n_answers; i++)
		assert_int_equal(v->column[i], -1);
	const flow_question *mat = v->question;
	place(&h, h_click, "bus", 1);
	h_click(&h, APP_ACT_DONE, 0);
	app_flush(h.app);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers WHERE question_id = 'school-mat'"), 2);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers WHERE question_id = 'school-mat'"
	                               " AND kind = 'skipped' AND seq = 1"), 1);
	char sql[512];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM answers a JOIN answer_choices c"
	         " ON c.session_id = a.session_id AND c.seq = a.seq"
	         " WHERE a.question_id = 'school-mat' AND a.kind = 'chosen' AND a.seq > 1"
	         " AND c.answer_id = 'bus' AND c.sort_column = '%s'", mat->columns[1].id);
	assert_int_equal(h_sql_int(&h, sql), 1);
	/* every picture is a row of the new answer; the bus alone is on the mat */
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answer_choices WHERE seq > 1"),
	                 (int64_t)mat->n_answers);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM answer_choices WHERE seq > 1 AND sort_column"
	         " IN ('%s', '%s', '%s')", mat->columns[0].id, mat->columns[1].id, mat->columns[2].id);
	assert_int_equal(h_sql_int(&h, sql), 1);
	h_click(&h, APP_ACT_BACK, 0);
	/* after Back the mat shows what was put where */
	v = app_view(h.app);
	assert_int_equal(v->column[flow_answer_index(v->question, "bus")], 1);
	h_close(&h);
}

/* The export (CSV and JSON read by Python), a merge of it into a fresh
 * database and the report, all from a mat sorted by touch. */
static void
export_merge_report(void **s)
{
	(void)s;
	harness h;
	method_now = ACCESS_TOUCH;
	h_open_cfg(&h, FLOW, W, H, tweak_method);
	finish(&h, h_press_finger);
	check_db(&h, "touch");
	const char *build = getenv("TELLUS_BUILD_ROOT"), *src = getenv("TELLUS_SOURCE_ROOT");
	assert_non_null(build);
	assert_non_null(src);
	char cmd[4096];
	snprintf(cmd, sizeof cmd,
	         "set -e; cd '%s'; mkdir out; '%s/tellus' export --db '%s' --to out >/dev/null;"
	         " d=$(ls -d out/TELLUS/*/*); (cd \"$d\" && sha256sum -c --quiet SHA256SUMS);"
	         " '%s/tellus' merge --into merged.db \"$d\" >/dev/null;"
	         " '%s/tellus' report --db merged.db --out report.html >/dev/null;"
	         " python3 '%s/tests/export/check_sort.py' \"$d\" merged.db report.html",
	         h.dir, build, h.db, build, build, src);
	int rc = system(cmd);
	assert_true(WIFEXITED(rc));
	assert_int_equal(WEXITSTATUS(rc), 0);
	h_close(&h);
}

/* The rectangle of the target doing (action, arg) now. */
static ui_rect
target_rect(harness *h, int action, int arg)
{
	ui_rect r[UI_MAX_TARGETS];
	int acts[UI_MAX_TARGETS];
	int n = app_targets(h->app, r, acts, UI_MAX_TARGETS), i = h_target_index(h, action, arg);
	assert_true(i >= 0 && i < n);
	return r[i];
}

static bool
inside(ui_rect a, ui_rect in)
{
	return a.x >= in.x && a.y >= in.y && a.x + a.w <= in.x + in.w && a.y + a.h <= in.y + in.h;
}

/* The first picture drawn inside r with this path (NULL: any), or w 0;
 * *got (may be NULL) its path, borrowed until the next frame. */
static ui_rect
image_in(harness *h, ui_rect r, const char *path, const char **got)
{
	app_draw(h->app);
	const draw_list *dl = app_draw_list(h->app);
	for (size_t i = 0; i < dl->n; i++) {
		const draw_cmd *d = &dl->cmds[i];
		if (d->kind == DRAW_IMAGE && inside(d->r, r) &&
		    (!path || strcmp(draw_str(dl, d->path_off), path) == 0)) {
			if (got)
				*got = draw_str(dl, d->path_off);
			return d->r;
		}
	}
	return (ui_rect){ 0, 0, 0, 0 };
}

/* Where the mat is its headers only (800x480, 480x800), a picture put on
 * it wears its column's picture: big enough for a child to see which
 * column it went to (three eighths of the 20 mm minimum, 28 px; the tick's
 * size left it 21), inside the picture's card, and nothing moves. */
static void
column_badge_readable(void **s)
{
	(void)s;
	static const struct { int w, h; } sizes[] = { { 800, 480 }, { 480, 800 } };
	for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
		harness h;
		h_open(&h, FLOW, sizes[z].w, sizes[z].h, true);
		h_click(&h, APP_ACT_START, 0);
		const flow_question *q = app_view(h.app)->question;
		assert_string_equal(q->id, "school-mat");
		ui_rect before[UI_MAX_TARGETS], after[UI_MAX_TARGETS];
		int acts[UI_MAX_TARGETS];
		int n = app_targets(h.app, before, acts, UI_MAX_TARGETS);
		for (int k = 0; k < (int)q->n_columns; k++) {
			int i = k * 2;   /* lunch, books, bus */
			const char *got = NULL;
			char col_path[1024];
			image_in(&h, target_rect(&h, APP_ACT_SORT_COLUMN, k), NULL, &got);
			assert_non_null(got);
			snprintf(col_path, sizeof col_path, "%s", got);   /* the list's is the frame's */
			ui_rect pic = target_rect(&h, APP_ACT_ANSWER, i);
			assert_int_equal(image_in(&h, pic, col_path, NULL).w, 0);
			place(&h, h_click, q->answers[i].id, k);
			/* still a picture in the tray, not one on a column's panel */
			pic = target_rect(&h, APP_ACT_ANSWER, i);
			ui_rect b = image_in(&h, pic, col_path, NULL);
			if (b.w < H_MIN_TARGET_PX * 3 / 8 || b.h < H_MIN_TARGET_PX * 3 / 8)
				fail_msg("%dx%d: %s on column %d wears its picture at %dx%d (want >= %d)",
				         sizes[z].w, sizes[z].h, q->answers[i].id, k, b.w, b.h,
				         H_MIN_TARGET_PX * 3 / 8);
		}
		assert_int_equal(app_targets(h.app, after, acts, UI_MAX_TARGETS), n);
		for (int t = 0; t < n; t++)
			assert_memory_equal(&before[t], &after[t], sizeof before[t]);
		h_close(&h);
	}
}

/* Pictures of the screen for a person to look at (TELLUS_SORT_PNG=DIR):
 * the empty mat, then pictures sorted and one held, in landscape,
 * portrait, high contrast and Urdu; each file read back holds the screen,
 * and the screen the state it is said to show. */
static void
screens_png(void **s)
{
	(void)s;
	const char *dir = getenv("TELLUS_SORT_PNG");
	if (!dir)
		dir = getenv("TELLUS_BUILD_ROOT");
	assert_non_null(dir);
	static const struct { const char *name; int w, h; int theme; const char *lang; } looks[] = {
		{ "landscape", W, H, -1, NULL },
		{ "portrait", 800, 1280, -1, NULL },
		{ "high-contrast", W, H, 1, NULL },
		{ "ur", W, H, -1, "ur" },
	};
	for (size_t l = 0; l < sizeof looks / sizeof looks[0]; l++) {
		harness h;
		h_open(&h, FLOW, looks[l].w, looks[l].h, true);
		if (looks[l].theme >= 0) {
			access_settings acc = *app_access(h.app);
			acc.theme = (enum theme_id)looks[l].theme;
			app_set_access(h.app, &acc);
		}
		if (looks[l].lang)
			h_set_language(&h, looks[l].lang);
		h_click(&h, APP_ACT_START, 0);
		/* what each picture is said to show, shown: the mat, its words in
		 * the person's language, nothing held, then the sorting */
		const session_view *v = app_view(h.app);
		const flow_question *q = v->question;
		const char *lang = v->language;
		assert_string_equal(lang, looks[l].lang ? looks[l].lang : h.flow->languages[0]);
		assert_string_equal(q->id, "school-mat");
		assert_true(h_has_text(&h, tstr_get(&q->prompt, lang, h.flow->languages[0])));
		for (size_t k = 0; k < q->n_columns; k++)
			assert_true(h_has_text(&h, tstr_get(&q->columns[k].label, lang, h.flow->languages[0])));
		assert_int_equal(v->held, -1);
		for (size_t i = 0; i < q->n_answers; i++)
			assert_int_equal(v->column[i], -1);
		char path[1200];
		snprintf(path, sizeof path, "%s/sort-empty-%s.png", dir, looks[l].name);
		assert_true(h_save_screen(&h, path));
		place(&h, h_click, "lunch", 0);
		place(&h, h_click, "music", 2);
		place(&h, h_click, "books", 1);
		place(&h, h_click, "football", 0);
		int bus = flow_answer_index(q, "bus");
		h_click(&h, APP_ACT_ANSWER, bus);
		assert_int_equal(app_view(h.app)->held, bus);
		assert_int_equal(app_view(h.app)->column[bus], -1);
		snprintf(path, sizeof path, "%s/sort-held-%s.png", dir, looks[l].name);
		assert_true(h_save_screen(&h, path));
		h_close(&h);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(screens_png),
		cmocka_unit_test(column_badge_readable),
		cmocka_unit_test(by_touch),
		cmocka_unit_test(by_mouse),
		cmocka_unit_test(by_keyboard),
		cmocka_unit_test(by_scan),
		cmocka_unit_test(by_tap_hold),
		cmocka_unit_test(by_two_switches),
		cmocka_unit_test(by_dwell),
		cmocka_unit_test(switch_goes_to_the_columns),
		cmocka_unit_test(empty_mat_is_a_skip),
		cmocka_unit_test(export_merge_report),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
