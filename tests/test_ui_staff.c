/*
 * test_ui_staff: staff mode, headless, through the kiosk's own loop with
 * real SDL events and a fake clock: the hidden gesture, the PIN pad (first
 * PIN, wrong tries, the lock), the menu closing itself, Quit in kiosk mode,
 * a real export to a folder the mount watcher finds in a fixture mount
 * table (checked with sha256sum -c), today's answers, and golden
 * screenshots at 1280x800 (TELLUS_UPDATE_GOLDEN=1 rewrites them).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pin/pin.h"
#include "staff/staff.h"
#include "store/store.h"
#include "ui.h"
#include "ui_harness.h"
#include "keys/kiosk_key.h"

#define W 1280
#define H 800

static char mountinfo[512], media_root[512], stick[512], python[512];
static const char *roots[2] = { media_root, NULL };

/* Like h_open, with a fixture mount table under a root of the test's own:
 * a tmpfs at media/python (what a sandbox mounts under /mnt) and a vfat
 * "stick" at media/STICK on device 8:65, which the real sysfs does not
 * know (a fake sysfs may make it a USB stick). Neither is a removable
 * drive here, so the stick is the folder media/STICK named by the
 * stick_folder setting, when folder is true. sysfs NULL: the real /sys. */
static void
s_open_with(harness *h, bool windowed, const char *sysfs, bool folder)
{
	memset(h, 0, sizeof *h);
	snprintf(h->dir, sizeof h->dir, "/tmp/tellus-staff-XXXXXX");
	assert_non_null(mkdtemp(h->dir));
	snprintf(h->db, sizeof h->db, "%s/tellus.db", h->dir);
	snprintf(media_root, sizeof media_root, "%s/media", h->dir);
	snprintf(stick, sizeof stick, "%s/media/STICK", h->dir);
	snprintf(python, sizeof python, "%s/media/python", h->dir);
	snprintf(mountinfo, sizeof mountinfo, "%s/mountinfo", h->dir);
	assert_int_equal(mkdir(media_root, 0700), 0);
	assert_int_equal(mkdir(stick, 0700), 0);
	assert_int_equal(mkdir(python, 0700), 0);
	FILE *f = fopen(mountinfo, "w");
	assert_non_null(f);
	fprintf(f, "26 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw\n"
	           "27 26 0:24 / %s ro,nosuid,nodev,relatime - tmpfs tools ro,size=4k\n"
	           "99 26 8:65 / %s rw,relatime shared:9 - vfat /dev/sdz1 rw\n", python, stick);
	fclose(f);

	tl_fake_clock_init(&h->clk, 1000000, 1795000000000LL);
	config_default(&h->cfg);
	if (folder)
		snprintf(h->cfg.stick_folder, sizeof h->cfg.stick_folder, "%s", stick);
	const char *root = getenv("TELLUS_SOURCE_ROOT");
	assert_non_null(root);
	char path[1024];
	snprintf(path, sizeof path, "%s/config/flows/school-day.yaml", root);
	diag_list d = { 0 };
	assert_int_equal(flow_load(path, &h->flow, &d), 0);
	diag_list_finish(&d);
	h->flows[0] = h->flow;   /* h_close frees the harness's flows */
	h->n_flows = 1;
	app_options opt = {
		.db_path = h->db,
		.config = &h->cfg,
		.flow = h->flow,
		.data_dir = root,
		.windowed = windowed,
		.width = W,
		.height = H,
		.clock = &h->clk.clock,
		.mountinfo = mountinfo,
		.mount_roots = roots,
		.sysfs = sysfs,
	};
	tl_error err;
	if (app_create(&opt, &h->app, &err) != 0)
		fail_msg("app_create: %s", err.msg);
	for (int i = 0; i < 3; i++)
		app_step(h->app, 0);
}

static void s_open(harness *h, bool windowed) { s_open_with(h, windowed, NULL, true); }

static const staff_view *sv(harness *h) { return app_staff(h->app); }

static void
set_pin(harness *h, const char *pin)
{
	store *st;
	assert_int_equal(store_open(h->db, NULL, &st, NULL), 0);
	assert_int_equal(pin_set(st, pin, PIN_MIN_DIGITS, NULL), 0);
	store_close(st);
}

static void
press(harness *h, int x, int y)
{
	h_mouse(h, SDL_MOUSEBUTTONDOWN, x, y);
	h_step(h);
	h_advance(h, 60);
	h_mouse(h, SDL_MOUSEBUTTONUP, x, y);
	h_step(h);
}

/* Hold the top-left corner for hold_ms, then after gap_ms tap (x, y). */
static void
gesture(harness *h, int64_t hold_ms, int64_t gap_ms, int x, int y)
{
	h_mouse(h, SDL_MOUSEBUTTONDOWN, 8, 8);
	h_step(h);
	h_advance(h, hold_ms);
	h_step(h);
	h_mouse(h, SDL_MOUSEBUTTONUP, 8, 8);
	h_step(h);
	h_advance(h, gap_ms);
	press(h, x, y);
	h_advance(h, 400);
	h_step(h);
}

static void
open_staff(harness *h)
{
	/* Kiosk mode is fullscreen: the corner is where the window ends. */
	int w, hh;
	SDL_GetWindowSize(app_window(h->app), &w, &hh);
	gesture(h, STAFF_HOLD_MS + 100, 1000, w - 8, 8);
	assert_int_equal(sv(h)->screen, STAFF_PIN);
	h_settle_staff(h);
}

static void
type_pin(harness *h, const char *pin)
{
	for (const char *p = pin; *p; p++)
		h_click(h, ACT_STAFF_DIGIT, *p - '0');
	assert_int_equal(sv(h)->n_digits, (int)strlen(pin));
	h_click(h, ACT_STAFF_OK, 0);
	h_settle_staff(h);
}

/* ---- golden screenshots (the same rule as test_ui_golden) --------------- */

static void
golden(harness *h, const char *name)
{
	char msg[1024];
	if (!h_golden(h, name, msg, sizeof msg))
		fail_msg("%s", msg);
}

static bool
same_pixels(SDL_Surface *a, SDL_Surface *b)
{
	return h_bad_pixels(a, b, NULL) == 0;
}

/* ---- seeding answers through the store's own API ------------------------ */

/* One session answering the flow's first question with ids[0], then (a
 * changed mind) ids[1] if set; ends completed. */
static void
add_session(store *st, const flow *f, int64_t wall, const char *first, const char *changed)
{
	char id[37];
	tl_uuid4(id);
	store_session s = {
		.id = id, .flow_id = f->id, .flow_version = f->version, .flow_hash = f->hash,
		.flow_source = f->source, .language = f->languages[0], .presentation = "easy-read",
		.started_wall_ms = wall,
	};
	assert_int_equal(store_begin_session(st, &s, NULL), 0);
	const flow_question *q = &f->questions[0];
	const char *ids[2] = { first, changed };
	for (int k = 0; k < 2 && ids[k]; k++) {
		store_answer a = {
			.session_id = id, .seq = k + 1, .question_id = q->id, .question_index = 0,
			.question_text = "q", .kind = "chosen",
			.n_choices = 1, .choice_ids = &ids[k], .choice_labels = (const char *const[]){ "l" },
			.given_wall_ms = wall + 1000 * (k + 1), .time_taken_ms = 900, .input_method = "touch",
		};
		assert_int_equal(store_add_answer(st, &a, NULL), 0);
	}
	assert_int_equal(store_end_session(st, id, "completed", wall + 5000, NULL), 0);
}

/* 12 people today chose answer 0, 3 chose answer 1 (one of them after
 * first choosing answer 2), and one from yesterday chose answer 2. */
static void
seed_today(harness *h)
{
	store *st;
	assert_int_equal(store_open(h->db, NULL, &st, NULL), 0);
	const flow *f = h->flow;
	const flow_question *q = &f->questions[0];
	assert_true(q->n_answers >= 3);
	int64_t now = h->clk.wall;
	for (int i = 0; i < 12; i++)
		add_session(st, f, now - 60000 * (i + 1), q->answers[0].id, NULL);
	add_session(st, f, now - 1000, q->answers[1].id, NULL);
	add_session(st, f, now - 2000, q->answers[1].id, NULL);
	add_session(st, f, now - 3000, q->answers[2].id, q->answers[1].id);
	add_session(st, f, now - 86400000LL * 2, q->answers[2].id, NULL);
	store_close(st);
}

/* ---- tests -------------------------------------------------------------- */

static void
gesture_needs_hold_then_tap(void **state)
{
	(void)state;
	harness h;
	s_open(&h, true);
	/* Too short a hold. */
	gesture(&h, STAFF_HOLD_MS - 200, 1000, W - 8, 8);
	assert_int_equal(sv(&h)->screen, STAFF_OFF);
	/* The wrong second corner. */
	gesture(&h, STAFF_HOLD_MS + 100, 1000, W - 8, H - 8);
	assert_int_equal(sv(&h)->screen, STAFF_OFF);
	/* The right corner, too late. */
	gesture(&h, STAFF_HOLD_MS + 100, STAFF_TAP_WITHIN_MS + 500, W - 8, 8);
	assert_int_equal(sv(&h)->screen, STAFF_OFF);
	/* A tap in the right corner alone. */
	press(&h, W - 8, 8);
	assert_int_equal(sv(&h)->screen, STAFF_OFF);
	/* The whole gesture opens the PIN pad; Cancel closes it. */
	gesture(&h, STAFF_HOLD_MS + 100, 1000, W - 8, 8);
	assert_int_equal(sv(&h)->screen, STAFF_PIN);
	h_settle_staff(&h);
	h_click(&h, ACT_STAFF_CLOSE, 0);
	assert_int_equal(sv(&h)->screen, STAFF_OFF);
	/* A long hold away from the corner does nothing. */
	h_mouse(&h, SDL_MOUSEBUTTONDOWN, 200, 200);
	h_step(&h);
	h_advance(&h, STAFF_HOLD_MS + 100);
	h_mouse(&h, SDL_MOUSEBUTTONUP, 200, 200);
	h_step(&h);
	press(&h, W - 8, 8);
	assert_int_equal(sv(&h)->screen, STAFF_OFF);
	assert_int_equal(app_view(h.app)->screen, SCREEN_WELCOME);

	/* Nothing on screen changes while the corner is held. */
	h_advance(&h, 1000);
	h_step(&h);
	SDL_Surface *before = app_screenshot(h.app);
	h_mouse(&h, SDL_MOUSEBUTTONDOWN, 8, 8);
	h_step(&h);
	h_advance(&h, 2000);
	h_step(&h);
	SDL_Surface *during = app_screenshot(h.app);
	h_advance(&h, 1500);
	h_mouse(&h, SDL_MOUSEBUTTONUP, 8, 8);
	h_step(&h);
	SDL_Surface *after = app_screenshot(h.app);
	assert_true(same_pixels(before, during));
	assert_true(same_pixels(before, after));
	SDL_FreeSurface(before);
	SDL_FreeSurface(during);
	SDL_FreeSurface(after);
	h_close(&h);
}

static void
first_pin_is_set_on_the_kiosk(void **state)
{
	(void)state;
	harness h;
	s_open(&h, true);
	open_staff(&h);
	assert_int_equal(sv(&h)->pin_mode, PINPAD_SET_FIRST);
	assert_non_null(strstr(sv(&h)->message, "No staff PIN yet"));
	/* Two different PINs: start again. */
	type_pin(&h, "258025");
	assert_int_equal(sv(&h)->pin_mode, PINPAD_SET_AGAIN);
	type_pin(&h, "258125");
	assert_int_equal(sv(&h)->pin_mode, PINPAD_SET_FIRST);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM meta WHERE key = 'pin_hash'"), 0);
	/* Too short is refused before anything is stored. */
	type_pin(&h, "25");
	assert_non_null(strstr(sv(&h)->message, "6 to 12 digits"));
	h_click(&h, ACT_STAFF_DELETE, 0);
	h_click(&h, ACT_STAFF_DELETE, 0);
	assert_int_equal(sv(&h)->n_digits, 0);
	type_pin(&h, "258025");
	type_pin(&h, "258025");
	assert_int_equal(sv(&h)->screen, STAFF_MENU);
	char hash[256];
	h_sql_text(&h, "SELECT value FROM meta WHERE key = 'pin_hash'", hash, sizeof hash);
	assert_true(strncmp(hash, "$argon2id$", 10) == 0);
	assert_null(strstr(hash, "258025"));
	/* And next time it is asked for. */
	h_click(&h, ACT_STAFF_CLOSE, 0);
	open_staff(&h);
	assert_int_equal(sv(&h)->pin_mode, PINPAD_ENTER);
	type_pin(&h, "258025");
	assert_int_equal(sv(&h)->screen, STAFF_MENU);
	h_close(&h);
}

static void
wrong_pins_lock_with_the_wait_shown(void **state)
{
	(void)state;
	harness h;
	s_open(&h, true);
	set_pin(&h, "471147");
	open_staff(&h);
	assert_int_equal(sv(&h)->pin_mode, PINPAD_ENTER);
	assert_string_equal(sv(&h)->message, "");
	golden(&h, "staff-pin-pad");
	for (int i = 0; i < PIN_FREE_TRIES - 1; i++) {
		type_pin(&h, "123456");
		assert_int_equal(sv(&h)->screen, STAFF_PIN);
		assert_string_equal(sv(&h)->message, "That PIN is not right. Try again.");
		assert_int_equal(sv(&h)->n_digits, 0);
	}
	type_pin(&h, "999999");
	assert_int_equal(sv(&h)->screen, STAFF_PIN);
	assert_non_null(strstr(sv(&h)->message, "Try again in 30 seconds"));
	/* Locked: the right PIN is refused too, and the wait counts down. */
	h_advance(&h, 10000);
	h_step(&h);
	type_pin(&h, "471147");
	assert_int_equal(sv(&h)->screen, STAFF_PIN);
	assert_non_null(strstr(sv(&h)->message, "Too many wrong tries"));
	assert_non_null(strstr(sv(&h)->message, "second"));
	assert_null(strstr(sv(&h)->message, "30 seconds"));
	h_step(&h);
	golden(&h, "staff-pin-locked");
	/* After the wait, the right PIN opens the menu and the count resets. */
	h_advance(&h, 21000);
	h_step(&h);
	assert_int_equal(sv(&h)->lock_left_ms, 0);
	type_pin(&h, "471147");
	assert_int_equal(sv(&h)->screen, STAFF_MENU);
	assert_int_equal(h_sql_int(&h, "SELECT value FROM meta WHERE key = 'pin_failures'"), 0);
	h_close(&h);
}

static void
menu_closes_after_a_quiet_minute(void **state)
{
	(void)state;
	harness h;
	s_open(&h, true);
	set_pin(&h, "471147");
	open_staff(&h);
	type_pin(&h, "471147");
	assert_int_equal(sv(&h)->screen, STAFF_MENU);
	/* The stick from the fixture mount table is offered by name. */
	assert_true(sv(&h)->stick);
	assert_string_equal(sv(&h)->stick_name, "STICK");
	golden(&h, "staff-menu");
	h_advance(&h, STAFF_QUIET_MS - 1000);
	h_step(&h);
	assert_int_equal(sv(&h)->screen, STAFF_MENU);
	/* A touch starts the minute again. */
	press(&h, W / 2, 20);
	h_advance(&h, STAFF_QUIET_MS - 1000);
	h_step(&h);
	assert_int_equal(sv(&h)->screen, STAFF_MENU);
	h_advance(&h, 1100);
	h_step(&h);
	assert_int_equal(sv(&h)->screen, STAFF_OFF);
	assert_int_equal(app_view(h.app)->screen, SCREEN_WELCOME);
	h_close(&h);
}

static void
quit_is_the_way_out_of_kiosk_mode(void **state)
{
	(void)state;
	harness h;
	s_open(&h, false);
	set_pin(&h, "471147");
	SDL_Event ev = { .type = SDL_QUIT };
	SDL_PushEvent(&ev);
	assert_true(app_step(h.app, 0));
	open_staff(&h);
	type_pin(&h, "471147");
	assert_int_equal(sv(&h)->screen, STAFF_MENU);
	assert_true(sv(&h)->kiosk);
	int x, y;
	assert_true(h_center(&h, ACT_STAFF_QUIT, 0, &x, &y));
	h_mouse(&h, SDL_MOUSEBUTTONDOWN, x, y);
	assert_true(app_step(h.app, 0));
	h_mouse(&h, SDL_MOUSEBUTTONUP, x, y);
	assert_false(app_step(h.app, 0));
	h_close(&h);
}

static void
staff_ends_a_session_in_progress(void **state)
{
	(void)state;
	harness h;
	s_open(&h, true);
	set_pin(&h, "471147");
	h_click(&h, APP_ACT_START, 0);
	h_click(&h, APP_ACT_SKIP, 0);
	assert_int_equal(app_view(h.app)->screen, SCREEN_QUESTION);
	/* The gesture works on a question too; until the PIN is right the
	 * person's session is untouched. */
	open_staff(&h);
	assert_int_equal(app_view(h.app)->screen, SCREEN_QUESTION);
	type_pin(&h, "471147");
	assert_int_equal(sv(&h)->screen, STAFF_MENU);
	app_flush(h.app);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM sessions WHERE status = 'unfinished'"
	                              " AND ended_at IS NOT NULL"), 1);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers"), 1);
	h_click(&h, ACT_STAFF_CLOSE, 0);
	h_step(&h);
	assert_int_equal(app_view(h.app)->screen, SCREEN_WELCOME);
	h_close(&h);
}

static void
only_removable_drives_are_sticks(void **state)
{
	(void)state;
	/* This machine's sysfs knows neither fixture mount as a removable
	 * drive, and no stick folder is set: the menu offers no export, only
	 * "Plug in a USB stick" that cannot be pressed. */
	harness h;
	s_open_with(&h, true, NULL, false);
	set_pin(&h, "471147");
	open_staff(&h);
	type_pin(&h, "471147");
	assert_int_equal(sv(&h)->screen, STAFF_MENU);
	h_settle_staff(&h);
	int x, y;
	assert_false(sv(&h)->stick);
	assert_false(h_center(&h, ACT_STAFF_EXPORT, 0, &x, &y));
	assert_false(h_center(&h, ACT_STAFF_EXPORT, 1, &x, &y));
	assert_true(h_has_text(&h, "Plug in a USB stick to export"));
	assert_false(h_has_text(&h, "Export to python"));
	h_close(&h);

	/* A fake sysfs where 8:65 is a disk on a USB port: that mount is
	 * offered, and the tmpfs beside it still is not. */
	char sys[64], cmd[2400];
	snprintf(sys, sizeof sys, "/tmp/tellus-sysfs-%d", (int)getpid());
	const char *disk = "devices/pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host6/block/sdz";
	snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s/%s/sdz1' '%s/dev/block' && "
	         "echo 0 > '%s/%s/removable' && echo 1 > '%s/%s/sdz1/partition' && "
	         "ln -s '../../%s/sdz1' '%s/dev/block/8:65'",
	         sys, sys, disk, sys, sys, disk, sys, disk, disk, sys);
	assert_int_equal(system(cmd), 0);
	s_open_with(&h, true, sys, false);
	set_pin(&h, "471147");
	open_staff(&h);
	type_pin(&h, "471147");
	h_settle_staff(&h);
	assert_true(sv(&h)->stick);
	assert_string_equal(sv(&h)->stick_name, "STICK");
	assert_true(h_center(&h, ACT_STAFF_EXPORT, 0, &x, &y));
	assert_true(h_has_text(&h, "Export to STICK"));
	h_close(&h);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", sys);
	assert_int_equal(system(cmd), 0);
}

static void
holdings_and_clearing_the_kiosk(void **state)
{
	(void)state;
	harness h;
	s_open(&h, true);
	set_pin(&h, "471147");
	seed_today(&h);
	open_staff(&h);
	type_pin(&h, "471147");
	assert_int_equal(sv(&h)->screen, STAFF_MENU);
	/* What the kiosk holds, read with the PIN check; nothing exported yet,
	 * so no way to clear it. */
	assert_true(h_has_text(&h, "16 sessions on this kiosk, the oldest from 16 November, "
	                           "none exported yet."));
	int x, y;
	assert_false(h_center(&h, ACT_STAFF_CLEAR, 0, &x, &y));

	/* Export: then everything is out, and Clear this kiosk is offered. */
	h_click(&h, ACT_STAFF_EXPORT, 0);
	h_settle_staff(&h);
	assert_int_equal(sv(&h)->export_state, EXPORT_DONE);
	h_click(&h, ACT_STAFF_MENU, 0);
	assert_true(h_has_text(&h, "16 sessions on this kiosk, the oldest from 16 November, "
	                           "all exported."));
	assert_true(h_center(&h, ACT_STAFF_CLEAR, 0, &x, &y));
	golden(&h, "staff-menu-clear");

	/* A double tap on it asks, and the second tap answers nothing: "Yes"
	 * is not there yet, wherever it lands. */
	press(&h, x, y);
	assert_int_equal(sv(&h)->screen, STAFF_CLEAR);
	assert_int_equal(sv(&h)->clear_state, CLEAR_ASK);
	press(&h, x, y);
	int yx, yy;
	assert_false(h_center(&h, ACT_STAFF_CLEAR, 1, &yx, &yy));
	assert_true(h_has_text(&h, "Yes, delete them all"));
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM sessions"), 16);
	/* Armed after STAFF_CLEAR_ARM_MS, with no input (the loop's deadline). */
	h_advance(&h, STAFF_CLEAR_ARM_MS);
	h_step(&h);
	assert_true(sv(&h)->clear_armed);
	assert_true(h_center(&h, ACT_STAFF_CLEAR, 1, &yx, &yy));
	/* The keyboard's first stop (Tab and Enter) is "Keep them", never the
	 * destructive choice. */
	{
		ui_rect r[8];
		int acts[8];
		int n = app_targets(h.app, r, acts, 8);
		assert_int_equal(n, 2);
		assert_int_equal(acts[0], ACT_STAFF_MENU);
		assert_int_equal(acts[1], ACT_STAFF_CLEAR);
	}
	golden(&h, "staff-clear-ask");
	/* "Keep them" keeps them. */
	int kx, ky;
	assert_true(h_center(&h, ACT_STAFF_MENU, 0, &kx, &ky));
	press(&h, kx, ky);
	assert_int_equal(sv(&h)->screen, STAFF_MENU);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM sessions"), 16);

	/* Asked again, the old place of "Yes" does nothing until armed. */
	press(&h, x, y);
	assert_int_equal(sv(&h)->screen, STAFF_CLEAR);
	assert_false(sv(&h)->clear_armed);
	press(&h, yx, yy);
	assert_int_equal(sv(&h)->clear_state, CLEAR_ASK);
	h_advance(&h, STAFF_CLEAR_ARM_MS);
	h_step(&h);
	press(&h, yx, yy);
	assert_int_equal(sv(&h)->clear_state, CLEAR_RUNNING);
	h_settle_staff(&h);
	assert_int_equal(sv(&h)->clear_state, CLEAR_DONE);
	assert_int_equal(sv(&h)->cleared, 16);
	assert_true(h_has_text(&h, "16 sessions deleted. The kiosk holds no answers now."));
	golden(&h, "staff-clear-done");
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM sessions"), 0);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM answers"), 0);
	/* Wiped, and the space given back: no free pages left behind. */
	assert_int_equal(h_sql_int(&h, "PRAGMA freelist_count"), 0);
	h_click(&h, ACT_STAFF_MENU, 0);
	assert_true(h_has_text(&h, "No sessions on this kiosk."));
	assert_false(h_center(&h, ACT_STAFF_CLEAR, 0, &x, &y));
	h_close(&h);
}

static void
export_to_the_stick(void **state)
{
	(void)state;
	harness h;
	s_open(&h, true);
	set_pin(&h, "471147");
	seed_today(&h);
	/* And one person through the real kiosk. */
	h_click(&h, APP_ACT_START, 0);
	for (int guard = 0; app_view(h.app)->screen == SCREEN_QUESTION && guard < 30; guard++)
		h_click(&h, APP_ACT_SKIP, 0);
	app_flush(h.app);
	int64_t sessions = h_sql_int(&h, "SELECT count(*) FROM sessions WHERE status != 'in_progress'");
	int64_t answers = h_sql_int(&h, "SELECT count(*) FROM answers");
	assert_int_equal(sessions, 17);

	open_staff(&h);
	type_pin(&h, "471147");
	assert_int_equal(sv(&h)->screen, STAFF_MENU);
	h_click(&h, ACT_STAFF_EXPORT, 0);
	assert_int_equal(sv(&h)->screen, STAFF_EXPORT);
	h_settle_staff(&h);
	if (sv(&h)->export_state != EXPORT_DONE)
		fail_msg("export failed: %s", sv(&h)->error);
	assert_int_equal(sv(&h)->sessions, sessions);
	assert_int_equal(sv(&h)->answers, answers);
	golden(&h, "staff-export-done");

	/* The folder is on the stick and its sums check. */
	const char *path = sv(&h)->export_path;
	assert_true(strncmp(path, stick, strlen(stick)) == 0);
	char cmd[5000];
	snprintf(cmd, sizeof cmd, "cd '%s' && sha256sum --quiet -c SHA256SUMS", path);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(h_sql_int(&h, "SELECT count(*) FROM sessions WHERE exported_at IS NULL"), 0);

	/* Again: nothing new, still a calm result; --all sends everything. */
	h_click(&h, ACT_STAFF_MENU, 0);
	h_click(&h, ACT_STAFF_EXPORT, 1);
	h_settle_staff(&h);
	assert_int_equal(sv(&h)->export_state, EXPORT_DONE);
	assert_int_equal(sv(&h)->sessions, sessions);

	/* The stick goes away: a plain failure with Try again, then back. */
	h_click(&h, ACT_STAFF_MENU, 0);
	char gone[600];
	snprintf(gone, sizeof gone, "%s.gone", stick);
	assert_int_equal(rename(stick, gone), 0);
	h_click(&h, ACT_STAFF_EXPORT, 1);
	h_settle_staff(&h);
	assert_int_equal(sv(&h)->export_state, EXPORT_FAILED);
	assert_true(strlen(sv(&h)->error) > 10);
	int rx, ry;
	assert_true(h_center(&h, ACT_STAFF_RETRY, 0, &rx, &ry));
	/* The message names the folder, which differs per run: looked at,
	 * not compared. */
	SDL_Surface *fs = app_screenshot(h.app);
	char fp[1024];
	snprintf(fp, sizeof fp, "%s/tests/staff-export-failed.actual.png", getenv("TELLUS_BUILD_ROOT"));
	assert_int_equal(h_save_png(fs, fp), 0);
	SDL_FreeSurface(fs);
	assert_int_equal(rename(gone, stick), 0);
	h_click(&h, ACT_STAFF_RETRY, 0);
	h_settle_staff(&h);
	assert_int_equal(sv(&h)->export_state, EXPORT_DONE);
	assert_int_equal(sv(&h)->sessions, sessions);

	/* The bar while it runs: drawn from a set state, since a real export
	 * here is too quick to photograph at a known point. */
	staff_view *v = (staff_view *)sv(&h);
	v->export_state = EXPORT_RUNNING;
	v->fraction = 0.42;
	snprintf(v->stage, sizeof v->stage, "Writing the answers");
	golden(&h, "staff-export-progress");
	v->export_state = EXPORT_DONE;
	h_close(&h);
}

static void
todays_answers_as_picture_charts(void **state)
{
	(void)state;
	harness h;
	s_open(&h, true);
	set_pin(&h, "471147");
	seed_today(&h);
	open_staff(&h);
	type_pin(&h, "471147");
	h_click(&h, ACT_STAFF_TODAY, 0);
	assert_int_equal(sv(&h)->screen, STAFF_TODAY);
	h_settle_staff(&h);
	const staff_view *v = sv(&h);
	assert_true(v->today_ready);
	assert_int_equal(v->today_sessions, 15);
	assert_int_equal(v->counts[0], 12);
	assert_int_equal(v->counts[1], 3);   /* the changed mind counts once, as its latest */
	assert_int_equal(v->counts[2], 0);   /* yesterday's does not count */
	assert_int_equal(v->page, 0);
	golden(&h, "staff-today");
	h_click(&h, ACT_STAFF_PAGE, 1);
	assert_int_equal(sv(&h)->page, 1);
	h_click(&h, ACT_STAFF_PAGE, -1);
	assert_int_equal(sv(&h)->page, 0);
	h_click(&h, ACT_STAFF_MENU, 0);
	h_click(&h, ACT_STAFF_ABOUT, 0);
	assert_int_equal(sv(&h)->screen, STAFF_ABOUT);
	assert_non_null(strstr(sv(&h)->attribution, "OpenMoji"));
	assert_non_null(strstr(sv(&h)->attribution, "CC BY-SA 4.0"));
	assert_true(strncmp(sv(&h)->kiosk_id, "kiosk-", 6) == 0);
	/* The kiosk id differs per run; the look is checked by eye only. */
	SDL_Surface *s = app_screenshot(h.app);
	char p[1024];
	snprintf(p, sizeof p, "%s/tests/staff-about.actual.png", getenv("TELLUS_BUILD_ROOT"));
	assert_int_equal(h_save_png(s, p), 0);
	SDL_FreeSurface(s);
	h_close(&h);
}

/* About names the kiosk's signing key even on a new kiosk, whose key is
 * made only after the first frame (main.c), so after the staff screens
 * were made: it once read the key at start and said "(not made yet)" for
 * the kiosk's whole first run. */
static void
about_names_a_key_made_after_start(void **state)
{
	(void)state;
	harness h;
	s_open(&h, true);
	set_pin(&h, "471147");
	minisign_key key;
	bool made = false;
	assert_int_equal(kiosk_key_load(h.db, true, &key, &made, NULL), 0);
	assert_true(made);
	char id[MINISIGN_ID_TEXT];
	minisign_key_id(&key.pub, id);
	minisign_key_wipe(&key);
	open_staff(&h);
	type_pin(&h, "471147");
	h_click(&h, ACT_STAFF_ABOUT, 0);
	assert_int_equal(sv(&h)->screen, STAFF_ABOUT);
	assert_string_equal(sv(&h)->key_id, id);
	h_close(&h);
}

/* Today counts the kiosk's first flow, and draws that flow's words, even
 * when the person before chose another flow (the screen once took the
 * session's flow for its labels, and so put one flow's words on another's
 * counts). */
static void
today_draws_the_flow_it_counts(void **state)
{
	(void)state;
	static const char *const two[] = { "school-day.yaml", "clinic-visit.yaml" };
	harness h;
	h_open_flows(&h, two, 2, 1280, 800, NULL, false);
	set_pin(&h, "471147");
	h_click(&h, APP_ACT_START, 1);   /* a person chooses the second flow */
	app_flush(h.app);
	char id[64];
	h_sql_text(&h, "SELECT flow_id FROM sessions ORDER BY started_at DESC LIMIT 1", id, sizeof id);
	assert_string_equal(id, "clinic-visit");
	open_staff(&h);
	type_pin(&h, "471147");
	h_click(&h, ACT_STAFF_TODAY, 0);
	h_settle_staff(&h);
	assert_true(sv(&h)->today_ready);
	const flow *first = h.flows[0];
	const char *lang = first->languages[0];
	assert_string_equal(first->id, "school-day");
	assert_true(h_has_text(&h, tstr_get(&first->questions[0].prompt, lang, lang)));
	const flow *second = h.flows[1];
	assert_false(h_has_text(&h, tstr_get(&second->questions[0].prompt, lang, lang)));
	h_close(&h);
}

/* Today with several flows: a page per question of each flow, flow after
 * flow, each naming its flow and its own people; a flow staff stopped
 * offering keeps its pages while it has sessions today, and one with none
 * today and not offered is left out. */
static void
today_counts_every_flow(void **state)
{
	(void)state;
	static const char *const three[] = { "school-day.yaml", "clinic-visit.yaml", "drop-in.yaml" };
	harness h;
	h_open_flows(&h, three, 3, W, H, NULL, false);
	set_pin(&h, "471147");
	seed_today(&h);   /* the first flow: 15 today, one yesterday */
	store *st;
	assert_int_equal(store_open(h.db, NULL, &st, NULL), 0);
	const flow *second = h.flows[1], *third = h.flows[2];
	assert_true(second->questions[0].n_answers >= 2);
	add_session(st, second, h.clk.wall - 5000, second->questions[0].answers[1].id, NULL);
	add_session(st, second, h.clk.wall - 6000, second->questions[0].answers[1].id, NULL);
	store_close(st);
	int nq0 = (int)h.flows[0]->n_questions, nq1 = (int)second->n_questions;
	int nq2 = (int)third->n_questions;
	const char *lang = second->languages[0];
	char words[256];

	open_staff(&h);
	type_pin(&h, "471147");
	h_click(&h, ACT_STAFF_TODAY, 0);
	h_settle_staff(&h);
	const staff_view *v = sv(&h);
	assert_true(v->today_ready);
	assert_int_equal(v->today_sessions, 17);
	assert_int_equal(v->today_flow_sessions[0], 15);
	assert_int_equal(v->today_flow_sessions[1], 2);
	assert_int_equal(v->today_flow_sessions[2], 0);
	assert_int_equal(v->n_pages, nq0 + nq1 + nq2);   /* all three are offered */
	int fi = -1, qi = -1;
	assert_true(staff_today_at(v, nq0, &fi, &qi));
	assert_int_equal(fi, 1);
	assert_int_equal(qi, 0);
	assert_true(staff_today_at(v, nq0 + nq1 + nq2 - 1, &fi, &qi));
	assert_int_equal(fi, 2);
	assert_int_equal(qi, nq2 - 1);
	assert_false(staff_today_at(v, nq0 + nq1 + nq2, &fi, &qi));
	/* The first page: the first flow, named, with its own people. */
	snprintf(words, sizeof words, "%s: 15 people (question set 1 of 3)",
	         tstr_get(&h.flows[0]->title, lang, lang));
	assert_true(h_has_text(&h, words));
	assert_int_equal(v->counts[0], 12);
	assert_int_equal(v->counts[1], 3);
	/* Next steps on into the second flow's first question. */
	for (int p = 0; p < nq0; p++)
		h_click(&h, ACT_STAFF_PAGE, 1);
	v = sv(&h);
	assert_int_equal(v->page, nq0);
	assert_ptr_equal(v->today_flow, second);
	snprintf(words, sizeof words, "%s: 2 people (question set 2 of 3)",
	         tstr_get(&second->title, lang, lang));
	assert_true(h_has_text(&h, words));
	assert_true(h_has_text(&h, tstr_get(&second->questions[0].prompt, lang, lang)));
	snprintf(words, sizeof words, "Question 1 of %d", nq1);   /* of its own flow */
	assert_true(h_has_text(&h, words));
	const int *row = v->counts + v->today_row[1] * SESSION_MAX_CHOICES;
	assert_int_equal(row[0], 0);
	assert_int_equal(row[1], 2);
	golden(&h, "staff-today-second-flow");
	/* The first page's first flow again, by Previous. */
	for (int p = 0; p < nq0; p++)
		h_click(&h, ACT_STAFF_PAGE, -1);
	assert_int_equal(sv(&h)->page, 0);
	assert_ptr_equal(sv(&h)->today_flow, h.flows[0]);

	/* Stop offering the second and the third: the second's sessions
	 * today still count; the third, with none, goes. */
	h_click(&h, ACT_STAFF_MENU, 0);
	h_click(&h, ACT_STAFF_SETUP, SETUP_REVIEW);
	h_click(&h, ACT_STAFF_SETUP, SETUP_FLOWS);
	h_click(&h, ACT_STAFF_TOGGLE, 1);
	h_click(&h, ACT_STAFF_TOGGLE, 2);
	h_click(&h, ACT_STAFF_NEXT, 1);
	h_settle_staff(&h);
	assert_true(sv(&h)->offered[0]);
	assert_false(sv(&h)->offered[1]);
	assert_false(sv(&h)->offered[2]);
	h_click(&h, ACT_STAFF_MENU, 0);
	h_click(&h, ACT_STAFF_TODAY, 0);
	h_settle_staff(&h);
	v = sv(&h);
	assert_true(v->today_ready);
	assert_int_equal(v->n_pages, nq0 + nq1);
	assert_true(v->today_shown[1]);
	assert_false(v->today_shown[2]);
	assert_true(staff_today_at(v, nq0, &fi, &qi));
	assert_int_equal(fi, 1);
	h_close(&h);
}

int
main(void)
{
	/* "Today" starts at local midnight: fix the zone so runs agree. */
	setenv("TZ", "UTC", 1);
	tzset();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gesture_needs_hold_then_tap),
		cmocka_unit_test(first_pin_is_set_on_the_kiosk),
		cmocka_unit_test(wrong_pins_lock_with_the_wait_shown),
		cmocka_unit_test(menu_closes_after_a_quiet_minute),
		cmocka_unit_test(quit_is_the_way_out_of_kiosk_mode),
		cmocka_unit_test(staff_ends_a_session_in_progress),
		cmocka_unit_test(only_removable_drives_are_sticks),
		cmocka_unit_test(today_draws_the_flow_it_counts),
		cmocka_unit_test(today_counts_every_flow),
		cmocka_unit_test(export_to_the_stick),
		cmocka_unit_test(holdings_and_clearing_the_kiosk),
		cmocka_unit_test(todays_answers_as_picture_charts),
		cmocka_unit_test(about_names_a_key_made_after_start),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
