/*
 * test_keep: the kiosk keeps only what it needs, with an injected clock.
 *
 * - Sessions exported (by a real export to a folder, which marks them only
 *   once the files were read back and checked) are deleted from the kiosk
 *   keep_days_after_export days later, with their answers; their words are
 *   no longer anywhere in the database's bytes (secure_delete, VACUUM, the
 *   WAL truncated). Sessions never exported stay, however old.
 * - What the kiosk holds (count, the oldest), and "Clear this kiosk":
 *   refused while a session is not exported, then everything goes.
 * - A new database and its -wal and -shm are readable by the kiosk's user
 *   only (0600), whatever the umask.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export/export.h"
#include "pin/pin.h"
#include "store/store.h"
#include "store/store_keep.h"
#include "base/util.h"

#define DAY 86400000LL
#define T0 1795000000000LL   /* 2026-11-18 */

static char dir[64];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/tellus-keep-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* One ended session started at wall, answering with text (a marker). */
static void
session(store *st, int64_t wall, const char *text, char id[37])
{
	tl_uuid4(id);
	store_session s = {
		.id = id, .flow_id = "keep", .flow_version = 1, .flow_hash = "h",
		.flow_source = "id: keep", .language = "en", .presentation = "easy-read",
		.started_wall_ms = wall,
	};
	assert_int_equal(store_begin_session(st, &s, NULL), 0);
	const char *ids[] = { "a" };
	const char *labels[] = { text };
	store_answer a = {
		.session_id = id, .seq = 1, .question_id = "q", .question_index = 0,
		.question_text = text, .kind = "chosen", .n_choices = 1, .choice_ids = ids,
		.choice_labels = labels, .given_wall_ms = wall + 1000, .time_taken_ms = 900,
		.input_method = "touch",
	};
	assert_int_equal(store_add_answer(st, &a, NULL), 0);
	assert_int_equal(store_end_session(st, id, "completed", wall + 5000, NULL), 0);
}

static void
export_at(const char *db, const char *to, int64_t wall)
{
	tl_fake_clock clk;
	tl_fake_clock_init(&clk, 1000, wall);
	export_options o = { .db_path = db, .to_dir = to, .mark_exported = true,
	                     .clock = &clk.clock };
	export_result r;
	tl_error e;
	if (export_run(&o, &r, &e) != 0)
		fail_msg("export: %s", e.msg);
}

static int64_t
count(store *st, const char *sql)
{
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static bool
file_has(const char *path, const char *needle)
{
	char *data = NULL;
	size_t len = 0;
	if (tl_read_file(path, &data, &len, NULL) != 0)
		return false;
	size_t nl = strlen(needle);
	bool found = false;
	for (size_t i = 0; !found && len >= nl && i <= len - nl; i++)
		found = memcmp(data + i, needle, nl) == 0;
	free(data);
	return found;
}

static bool
db_has(const char *db, const char *needle)
{
	char wal[256];
	snprintf(wal, sizeof wal, "%s-wal", db);
	return file_has(db, needle) || file_has(wal, needle);
}

static void
exported_sessions_go_after_keep_days_unexported_never(void **state)
{
	(void)state;
	char db[128], stick[128];
	snprintf(db, sizeof db, "%s/kiosk.db", dir);
	snprintf(stick, sizeof stick, "%s/stick", dir);
	assert_int_equal(mkdir(stick, 0700), 0);
	store *st = NULL;
	assert_int_equal(store_open(db, NULL, &st, NULL), 0);
	char old1[37], old2[37], never[37], ancient[37], late[37];
	session(st, T0 - 2 * DAY, "MARKER-EXPORTED-ONE", old1);
	session(st, T0 - 1 * DAY, "MARKER-EXPORTED-TWO", old2);
	store_close(st);
	/* A real export at T0 marks those two (after reading them back). */
	export_at(db, stick, T0);
	assert_int_equal(store_open(db, NULL, &st, NULL), 0);
	/* Then, never exported: one begun 400 days before T0 (a clock set
	 * wrong, say) and one after. */
	session(st, T0 - 400 * DAY, "MARKER-NEVER-EXPORTED-ANCIENT", ancient);
	session(st, T0 + DAY, "MARKER-NEVER-EXPORTED-NEW", never);
	/* And one exported 20 days after T0. */
	session(st, T0 + 19 * DAY, "MARKER-EXPORTED-LATE", late);
	char sql[256], when[32];
	tl_iso8601(T0 + 20 * DAY, when);
	snprintf(sql, sizeof sql, "UPDATE sessions SET exported_at = '%s' WHERE id = '%s'", when,
	         late);
	assert_int_equal(sqlite3_exec(store_db(st), sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(count(st, "SELECT count(*) FROM sessions WHERE exported_at IS NULL"), 2);
	assert_int_equal(count(st, "SELECT count(*) FROM sessions"), 5);

	/* 29 days after the first export: nothing is old enough. */
	int64_t gone = -1;
	tl_error e;
	assert_int_equal(store_keep_apply(st, 30, T0 + 29 * DAY, &gone, &e), 0);
	assert_int_equal(gone, 0);
	assert_int_equal(count(st, "SELECT count(*) FROM sessions"), 5);
	/* 31 days after: the first export's two go, with their answers. */
	assert_int_equal(store_keep_apply(st, 30, T0 + 31 * DAY, &gone, &e), 0);
	assert_int_equal(gone, 2);
	assert_int_equal(count(st, "SELECT count(*) FROM sessions"), 3);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM sessions WHERE id IN ('%s', '%s', '%s')",
	         never, ancient, late);
	assert_int_equal(count(st, sql), 3);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM answers WHERE session_id IN ('%s', '%s')",
	         old1, old2);
	assert_int_equal(count(st, sql), 0);
	assert_int_equal(count(st, "SELECT count(*) FROM answer_choices WHERE session_id NOT IN"
	                           " (SELECT id FROM sessions)"), 0);
	/* A year on: the late one goes too; never-exported ones never do. */
	assert_int_equal(store_keep_apply(st, 30, T0 + 400 * DAY, &gone, &e), 0);
	assert_int_equal(gone, 1);
	assert_int_equal(store_keep_apply(st, 1, T0 + 4000 * DAY, &gone, &e), 0);
	assert_int_equal(gone, 0);
	assert_int_equal(count(st, "SELECT count(*) FROM sessions"), 2);
	assert_int_equal(count(st, "SELECT count(*) FROM sessions WHERE exported_at IS NULL"), 2);
	/* The set-up is closed for good: sessions were deleted. */
	assert_int_equal(pin_may_create(st, &e), 0);
	store_close(st);

	/* Their words are nowhere in the file's bytes any more. */
	assert_false(db_has(db, "MARKER-EXPORTED-ONE"));
	assert_false(db_has(db, "MARKER-EXPORTED-TWO"));
	assert_false(db_has(db, "MARKER-EXPORTED-LATE"));
	assert_true(db_has(db, "MARKER-NEVER-EXPORTED-ANCIENT"));
	assert_true(db_has(db, "MARKER-NEVER-EXPORTED-NEW"));
}

static void
holdings_and_clearing_the_kiosk(void **state)
{
	(void)state;
	char db[128], stick[128];
	snprintf(db, sizeof db, "%s/clear.db", dir);
	snprintf(stick, sizeof stick, "%s/stick2", dir);
	assert_int_equal(mkdir(stick, 0700), 0);
	store *st = NULL;
	assert_int_equal(store_open(db, NULL, &st, NULL), 0);
	store_holdings h;
	tl_error e;
	assert_int_equal(store_keep_holdings(st, &h, &e), 0);
	assert_int_equal(h.sessions, 0);
	assert_string_equal(h.oldest_started, "");
	char id[37];
	session(st, T0 - 3 * DAY, "MARKER-CLEAR-A", id);
	session(st, T0 - 1 * DAY, "MARKER-CLEAR-B", id);
	assert_int_equal(store_keep_holdings(st, &h, &e), 0);
	assert_int_equal(h.sessions, 2);
	assert_int_equal(h.not_exported, 2);
	assert_true(strncmp(h.oldest_started, "2026-11-15T", 11) == 0);
	/* Not everything is exported: refused, nothing deleted. */
	int64_t gone = -1;
	assert_int_equal(store_keep_clear(st, &gone, &e), -1);
	assert_int_equal(e.code, TL_E_REFUSED);
	assert_non_null(strstr(e.msg, "2 sessions are not exported yet"));
	assert_int_equal(count(st, "SELECT count(*) FROM sessions"), 2);
	store_close(st);
	export_at(db, stick, T0);
	assert_int_equal(store_open(db, NULL, &st, NULL), 0);
	assert_int_equal(store_keep_holdings(st, &h, &e), 0);
	assert_int_equal(h.not_exported, 0);
	assert_int_equal(store_keep_clear(st, &gone, &e), 0);
	assert_int_equal(gone, 2);
	assert_int_equal(store_keep_holdings(st, &h, &e), 0);
	assert_int_equal(h.sessions, 0);
	store_close(st);
	assert_false(db_has(db, "MARKER-CLEAR-A"));
}

static void
the_database_is_private(void **state)
{
	(void)state;
	mode_t old = umask(022);
	char db[128];
	snprintf(db, sizeof db, "%s/private.db", dir);
	store *st = NULL;
	assert_int_equal(store_open(db, NULL, &st, NULL), 0);
	char id[37];
	session(st, T0, "x", id);   /* the WAL and its index exist now */
	const char *suffix[] = { "", "-wal", "-shm" };
	for (int i = 0; i < 3; i++) {
		char p[160];
		snprintf(p, sizeof p, "%s%s", db, suffix[i]);
		struct stat sb;
		assert_int_equal(stat(p, &sb), 0);
		if ((sb.st_mode & 0777) != 0600)
			fail_msg("%s is mode %o, not 600", p, (unsigned)(sb.st_mode & 0777));
	}
	store_close(st);
	umask(old);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exported_sessions_go_after_keep_days_unexported_never),
		cmocka_unit_test(holdings_and_clearing_the_kiosk),
		cmocka_unit_test(the_database_is_private),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
