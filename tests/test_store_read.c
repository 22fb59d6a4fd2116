/*
 * test_store_read: the read side the staff screens use, on a real SQLite
 * file in a fresh temporary folder, with the bundled school-day flow.
 *
 * What must hold: only sessions started at or after the day's start
 * count; for each question only a session's latest answer counts (a
 * changed answer is a new row); a choose-several answer counts once per
 * picture; skipped and declined answers and other flows' answers count for
 * none; answers past the caller's room are not counted (and nothing is
 * written past it); the counts are zeroed first; a broken database is an
 * error in words, never a crash or made-up numbers.
 */
#define _XOPEN_SOURCE 700   /* nftw, to empty the temporary folder */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "flow/flow.h"
#include "session/session.h"
#include "store/store.h"
#include "store/store_read.h"
#include "base/util.h"

#define PER_Q SESSION_MAX_CHOICES

/* 2026-11-22T00:00:00.000Z, and an hour either side of it. */
#define DAY_START_MS INT64_C(1795305600000)
#define HOUR_MS INT64_C(3600000)

static char tmpdir[4096];

typedef struct fixture {
	flow *f;
	store *st;
	char since[32];
	int q_feeling, q_activities;   /* question indices in the flow */
} fixture;

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(path);
}

static int
find_question(const flow *f, const char *id)
{
	for (size_t i = 0; i < f->n_questions; i++)
		if (strcmp(f->questions[i].id, id) == 0)
			return (int)i;
	fail_msg("no question %s in the flow", id);
	return -1;
}

static int
setup(void **state)
{
	const char *base = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/tellus-store-read-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmpdir))
		return -1;
	fixture *fx = calloc(1, sizeof *fx);
	char path[4200];
	snprintf(path, sizeof path, "%s/config/flows/school-day.yaml", getenv("TELLUS_SOURCE_ROOT"));
	diag_list d = { 0 };
	assert_int_equal(flow_load(path, &fx->f, &d), 0);
	diag_list_finish(&d);
	snprintf(path, sizeof path, "%s/tellus.db", tmpdir);
	tl_error err;
	if (store_open(path, NULL, &fx->st, &err) != 0)
		fail_msg("store_open: %s", err.msg);
	tl_iso8601(DAY_START_MS, fx->since);
	fx->q_feeling = find_question(fx->f, "feeling");
	fx->q_activities = find_question(fx->f, "activities");
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	fixture *fx = *state;
	store_close(fx->st);
	flow_destroy(fx->f);
	free(fx);
	return nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void
begin(fixture *fx, const char *id, const char *flow_id, int64_t started_ms)
{
	store_session s = {
		.id = id,
		.flow_id = flow_id,
		.flow_version = fx->f->version,
		.flow_hash = "hash",
		.language = "en",
		.presentation = "symbols",
		.started_wall_ms = started_ms,
	};
	assert_int_equal(store_begin_session(fx->st, &s, NULL), 0);
}

/* One answer row: kind "chosen" with the ids of answers ai[0..n) of
 * question qi, or "skipped"/"declined" with none. */
static void
answer(fixture *fx, const char *sid, int seq, int qi, const char *kind, const int *ai, int n)
{
	const flow_question *q = &fx->f->questions[qi];
	const char *ids[16], *labels[16];
	assert_true(n >= 0 && n <= 16);
	for (int i = 0; i < n; i++) {
		const flow_answer *a = &q->answers[ai[i]];
		ids[i] = a->id;
		labels[i] = tstr_get(&a->label, "en", "en");
	}
	store_answer sa = {
		.session_id = sid,
		.seq = seq,
		.question_id = q->id,
		.question_index = qi,
		.question_text = "?",
		.kind = kind,
		.n_choices = (size_t)n,
		.choice_ids = ids,
		.choice_labels = labels,
		.given_wall_ms = DAY_START_MS + HOUR_MS + seq,
		.time_taken_ms = 1000,
		.input_method = "touch",
	};
	assert_int_equal(store_add_answer(fx->st, &sa, NULL), 0);
}

static int counts[64 * PER_Q];

static store_today
read_today(fixture *fx, int rc_want)
{
	for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
		counts[i] = 99;   /* must be zeroed by the call */
	assert_true(fx->f->n_questions <= 64);
	store_today t = { .counts = counts, .per_question = PER_Q };
	tl_error e;
	tl_err_clear(&e);
	int rc = store_read_today(fx->st, fx->f, fx->since, &t, &e);
	if (rc != rc_want)
		fail_msg("store_read_today returned %d: %s", rc, e.msg);
	return t;
}

static int
count(int qi, int ai)
{
	return counts[qi * PER_Q + ai];
}

static void
test_empty(void **state)
{
	fixture *fx = *state;
	store_today t = read_today(fx, 0);
	assert_int_equal(t.sessions, 0);
	for (size_t qi = 0; qi < fx->f->n_questions; qi++)
		for (int ai = 0; ai < PER_Q; ai++)
			assert_int_equal(count((int)qi, ai), 0);
}

static void
test_counts_latest_of_today(void **state)
{
	fixture *fx = *state;
	int qf = fx->q_feeling, qa = fx->q_activities;
	const int a0[] = { 0 }, a1[] = { 1 }, many[] = { 0, 2 };
	/* Today: A changes its mind (answer 1, then 0: the last counts), B
	 * answers once; A picks two activities, B skips them. */
	begin(fx, "aaaaaaaa-0000-4000-8000-000000000001", fx->f->id, DAY_START_MS + HOUR_MS);
	begin(fx, "aaaaaaaa-0000-4000-8000-000000000002", fx->f->id, DAY_START_MS + 2 * HOUR_MS);
	answer(fx, "aaaaaaaa-0000-4000-8000-000000000001", 1, qf, "chosen", a1, 1);
	answer(fx, "aaaaaaaa-0000-4000-8000-000000000001", 2, qa, "chosen", many, 2);
	answer(fx, "aaaaaaaa-0000-4000-8000-000000000001", 3, qf, "chosen", a0, 1);
	answer(fx, "aaaaaaaa-0000-4000-8000-000000000002", 1, qf, "chosen", a1, 1);
	answer(fx, "aaaaaaaa-0000-4000-8000-000000000002", 2, qa, "skipped", NULL, 0);
	/* Yesterday's session is not today's. */
	begin(fx, "aaaaaaaa-0000-4000-8000-000000000003", fx->f->id, DAY_START_MS - HOUR_MS);
	answer(fx, "aaaaaaaa-0000-4000-8000-000000000003", 1, qf, "chosen", a1, 1);
	/* Another flow's session counts as a session, not its answers. */
	begin(fx, "aaaaaaaa-0000-4000-8000-000000000004", "another-flow", DAY_START_MS + HOUR_MS);
	answer(fx, "aaaaaaaa-0000-4000-8000-000000000004", 1, qf, "chosen", a1, 1);
	/* A changed answer to "declined" takes the earlier choice away. */
	begin(fx, "aaaaaaaa-0000-4000-8000-000000000005", fx->f->id, DAY_START_MS);
	answer(fx, "aaaaaaaa-0000-4000-8000-000000000005", 1, qa, "chosen", a1, 1);
	answer(fx, "aaaaaaaa-0000-4000-8000-000000000005", 2, qa, "declined", NULL, 0);

	store_today t = read_today(fx, 0);
	assert_int_equal(t.sessions, 4);   /* A, B, the other flow's, the one at midnight */
	assert_int_equal(t.flow_sessions, 3);   /* not the other flow's */
	assert_int_equal(count(qf, 0), 1);  /* A's last answer */
	assert_int_equal(count(qf, 1), 1);  /* B; not A's first, not yesterday's, not the other flow's */
	assert_int_equal(count(qa, 0), 1);
	assert_int_equal(count(qa, 1), 0);
	assert_int_equal(count(qa, 2), 1);
	for (size_t qi = 0; qi < fx->f->n_questions; qi++)
		for (int ai = 0; ai < PER_Q; ai++)
			if ((int)qi != qf && (int)qi != qa)
				assert_int_equal(count((int)qi, ai), 0);
}

/* Several flows in one read: each its own sessions and answers, the
 * sessions of every flow the same total. */
static void
test_several_flows(void **state)
{
	fixture *fx = *state;
	int qf = fx->q_feeling;
	const int a0[] = { 0 }, a1[] = { 1 };
	/* the other flow: the same questions under another id */
	flow other = *fx->f;
	other.id = "another-flow";
	const flow *flows[2] = { fx->f, &other };
	begin(fx, "cccccccc-0000-4000-8000-000000000001", fx->f->id, DAY_START_MS + HOUR_MS);
	answer(fx, "cccccccc-0000-4000-8000-000000000001", 1, qf, "chosen", a0, 1);
	begin(fx, "cccccccc-0000-4000-8000-000000000002", "another-flow", DAY_START_MS + HOUR_MS);
	answer(fx, "cccccccc-0000-4000-8000-000000000002", 1, qf, "chosen", a1, 1);
	begin(fx, "cccccccc-0000-4000-8000-000000000003", "another-flow", DAY_START_MS + 2 * HOUR_MS);
	answer(fx, "cccccccc-0000-4000-8000-000000000003", 1, qf, "chosen", a1, 1);
	begin(fx, "cccccccc-0000-4000-8000-000000000004", "a-third-flow", DAY_START_MS + HOUR_MS);
	static int c2[2][64 * PER_Q];
	for (int k = 0; k < 2; k++)
		for (int i = 0; i < 64 * PER_Q; i++)
			c2[k][i] = 99;   /* must be zeroed by the call */
	store_today t[2] = { { .counts = c2[0], .per_question = PER_Q },
	                     { .counts = c2[1], .per_question = PER_Q } };
	assert_int_equal(store_read_today_flows(fx->st, flows, 2, fx->since, t, NULL), 0);
	assert_int_equal(t[0].sessions, 4);
	assert_int_equal(t[1].sessions, 4);
	assert_int_equal(t[0].flow_sessions, 1);
	assert_int_equal(t[1].flow_sessions, 2);
	assert_int_equal(c2[0][qf * PER_Q + 0], 1);
	assert_int_equal(c2[0][qf * PER_Q + 1], 0);
	assert_int_equal(c2[1][qf * PER_Q + 0], 0);
	assert_int_equal(c2[1][qf * PER_Q + 1], 2);
}

/* Answers past the caller's room are not counted, and nothing is written
 * past it. */
static void
test_room(void **state)
{
	fixture *fx = *state;
	int qa = fx->q_activities;
	assert_true(fx->f->questions[qa].n_answers >= 3);
	const int many[] = { 0, 2 };
	begin(fx, "bbbbbbbb-0000-4000-8000-000000000001", fx->f->id, DAY_START_MS + HOUR_MS);
	answer(fx, "bbbbbbbb-0000-4000-8000-000000000001", 1, qa, "chosen", many, 2);
	int small[64 + 1];
	small[fx->f->n_questions] = 12345;   /* just past the room */
	store_today t = { .counts = small, .per_question = 1 };
	assert_int_equal(store_read_today(fx->st, fx->f, fx->since, &t, NULL), 0);
	assert_int_equal(t.sessions, 1);
	assert_int_equal(small[qa], 1);      /* answer 0; answer 2 has no room */
	assert_int_equal(small[fx->f->n_questions], 12345);
}

static void
test_broken_database(void **state)
{
	fixture *fx = *state;
	assert_int_equal(sqlite3_exec(store_db(fx->st), "DROP TABLE answers", NULL, NULL, NULL), SQLITE_OK);
	store_today t = { .counts = counts, .per_question = PER_Q };
	tl_error e;
	tl_err_clear(&e);
	assert_int_equal(store_read_today(fx->st, fx->f, fx->since, &t, &e), -1);
	assert_int_equal(e.code, TL_E_DB);
	assert_int_equal(e.sys, SQLITE_ERROR);
	assert_non_null(strstr(e.msg, "cannot read today's answers"));
	assert_non_null(strstr(e.msg, "answers"));
	/* The handle still works afterwards (no transaction left open). */
	assert_int_equal(sqlite3_exec(store_db(fx->st), "BEGIN IMMEDIATE; COMMIT", NULL, NULL, NULL),
	                 SQLITE_OK);
	/* Sessions missing too: the first read fails the same way. */
	assert_int_equal(sqlite3_exec(store_db(fx->st), "PRAGMA foreign_keys=OFF; DROP TABLE sessions",
	                              NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(store_read_today(fx->st, fx->f, fx->since, &t, NULL), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_counts_latest_of_today, setup, teardown),
		cmocka_unit_test_setup_teardown(test_several_flows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_room, setup, teardown),
		cmocka_unit_test_setup_teardown(test_broken_database, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
