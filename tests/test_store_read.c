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

/* ---- many questions --------------------------------------------------- */

#define MANY_Q 120

/* Statements the store's handle ran (BEGIN and COMMIT too). */
static int n_statements;

static int
count_statement(unsigned type, void *ctx, void *p, void *x)
{
	(void)type; (void)ctx; (void)p; (void)x;
	n_statements++;
	return 0;
}

static unsigned
next_rand(unsigned *r)
{
	*r = *r * 1103515245u + 12345u;
	return *r >> 8;
}

static void
exec_ok(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

/* The read as it was before: one statement per question, on a connection
 * of its own. */
static void
read_before(const char *path, const flow *f, const char *since, int64_t *sessions,
            int64_t *flow_sessions, int *out)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*), count(*) FILTER (WHERE flow_id = ?2)"
	                                    " FROM sessions WHERE started_at >= ?1", -1, &q, NULL),
	                 SQLITE_OK);
	sqlite3_bind_text(q, 1, since, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, f->id, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	*sessions = sqlite3_column_int64(q, 0);
	*flow_sessions = sqlite3_column_int64(q, 1);
	sqlite3_finalize(q);
	assert_int_equal(sqlite3_prepare_v2(db,
		"SELECT c.answer_id FROM answers a JOIN sessions s ON s.id = a.session_id"
		" JOIN answer_choices c ON c.session_id = a.session_id AND c.seq = a.seq"
		" WHERE s.started_at >= ?1 AND s.flow_id = ?2 AND a.question_id = ?3"
		" AND a.kind = 'chosen' AND a.seq = (SELECT max(b.seq) FROM answers b"
		"   WHERE b.session_id = a.session_id AND b.question_id = a.question_id)",
		-1, &q, NULL), SQLITE_OK);
	memset(out, 0, f->n_questions * PER_Q * sizeof *out);
	for (size_t qi = 0; qi < f->n_questions; qi++) {
		const flow_question *fq = &f->questions[qi];
		sqlite3_reset(q);
		sqlite3_bind_text(q, 1, since, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, f->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, fq->id, -1, SQLITE_STATIC);
		while (sqlite3_step(q) == SQLITE_ROW) {
			const char *id = (const char *)sqlite3_column_text(q, 0);
			for (size_t ai = 0; ai < fq->n_answers && ai < PER_Q; ai++)
				if (strcmp(fq->answers[ai].id, id) == 0)
					out[qi * PER_Q + ai]++;
		}
	}
	sqlite3_finalize(q);
	sqlite3_close(db);
}

/*
 * A flow of MANY_Q questions (school-day's, cloned under ids of their
 * own, in no sorted order) and 60 sessions answering them, written by a
 * connection of the test's own: answers changed (to another choice, to
 * skipped or declined, and back), several pictures at once, an answer id
 * the flow no longer has, a question it no longer asks, yesterday's
 * sessions and another flow's. The counts are exactly the read's before
 * (one query per question), and the read runs as many statements as for
 * the five questions of school-day.
 */
static void
test_many_questions(void **state)
{
	fixture *fx = *state;
	flow big = *fx->f;
	big.id = "big-flow";
	big.n_questions = MANY_Q;
	flow_question qs[MANY_Q];
	char ids[MANY_Q][16];
	for (int i = 0; i < MANY_Q; i++) {
		qs[i] = fx->f->questions[(size_t)i % fx->f->n_questions];
		snprintf(ids[i], sizeof ids[i], "q-%03d", (i * 37) % MANY_Q);   /* unsorted */
		qs[i].id = ids[i];
	}
	big.questions = qs;

	char path[4200];
	snprintf(path, sizeof path, "%s/tellus.db", tmpdir);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	exec_ok(db, "BEGIN");
	sqlite3_stmt *is, *ia, *ic;
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO sessions(id, kiosk_id, flow_id,"
		" flow_version, flow_hash, started_at, status, language, presentation)"
		" VALUES(?1, 'kiosk', ?2, 1, 'hash', ?3, 'completed', 'en', 'symbols')", -1, &is, NULL),
		SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO answers(session_id, seq, question_id,"
		" question_index, question_text, kind, given_at, time_taken_ms, input_method)"
		" VALUES(?1, ?2, ?3, 0, '?', ?4, '2026-11-22T01:00:00.000Z', 1000, 'touch')", -1, &ia,
		NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO answer_choices(session_id, seq,"
		" position, answer_id, answer_label) VALUES(?1, ?2, ?3, ?4, 'x')", -1, &ic, NULL),
		SQLITE_OK);
	unsigned r = 7;
	for (int s = 0; s < 60; s++) {
		char sid[64], at[32];
		snprintf(sid, sizeof sid, "dddddddd-0000-4000-8000-%012d", s);
		/* one in eight yesterday's, one in ten another flow's */
		tl_iso8601(DAY_START_MS + (s % 8 == 7 ? -HOUR_MS : s * 60000), at);
		sqlite3_bind_text(is, 1, sid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(is, 2, s % 10 == 9 ? "another-flow" : big.id, -1, SQLITE_STATIC);
		sqlite3_bind_text(is, 3, at, -1, SQLITE_TRANSIENT);
		assert_int_equal(sqlite3_step(is), SQLITE_DONE);
		sqlite3_reset(is);
		int seq = 1;
		for (int qi = 0; qi <= MANY_Q; qi++) {
			if (next_rand(&r) % 6 == 0)
				continue;   /* never reached */
			int times = 1 + (next_rand(&r) % 4 == 0) + (next_rand(&r) % 9 == 0);
			for (int t = 0; t < times; t++, seq++) {
				const flow_question *q = qi < MANY_Q ? &qs[qi] : NULL;
				unsigned k = next_rand(&r) % 10;
				const char *kind = k == 0 ? "skipped" : k == 1 ? "declined" : "chosen";
				sqlite3_bind_text(ia, 1, sid, -1, SQLITE_TRANSIENT);
				sqlite3_bind_int(ia, 2, seq);
				sqlite3_bind_text(ia, 3, q ? q->id : "a-question-gone", -1, SQLITE_STATIC);
				sqlite3_bind_text(ia, 4, kind, -1, SQLITE_STATIC);
				assert_int_equal(sqlite3_step(ia), SQLITE_DONE);
				sqlite3_reset(ia);
				if (kind[0] != 'c')
					continue;
				int n = 1 + (int)(next_rand(&r) % 3);
				for (int p = 0; p < n; p++) {
					unsigned na = q && q->n_answers ? (unsigned)q->n_answers : 1;
					unsigned ai = (next_rand(&r) + (unsigned)p * 2) % (na + 1);
					sqlite3_bind_text(ic, 1, sid, -1, SQLITE_TRANSIENT);
					sqlite3_bind_int(ic, 2, seq);
					sqlite3_bind_int(ic, 3, p);
					sqlite3_bind_text(ic, 4, q && ai < na ? q->answers[ai].id : "an-answer-gone",
					                  -1, SQLITE_STATIC);
					assert_int_equal(sqlite3_step(ic), SQLITE_DONE);
					sqlite3_reset(ic);
				}
			}
		}
	}
	sqlite3_finalize(is);
	sqlite3_finalize(ia);
	sqlite3_finalize(ic);
	exec_ok(db, "COMMIT");
	sqlite3_close(db);

	static int want[MANY_Q * PER_Q], got[MANY_Q * PER_Q];
	int64_t want_sessions, want_flow;
	read_before(path, &big, fx->since, &want_sessions, &want_flow, want);
	for (size_t i = 0; i < MANY_Q * PER_Q; i++)
		got[i] = 99;   /* must be zeroed by the call */
	store_today t = { .counts = got, .per_question = PER_Q };
	sqlite3_trace_v2(store_db(fx->st), SQLITE_TRACE_STMT, count_statement, NULL);
	n_statements = 0;
	tl_error e;
	if (store_read_today(fx->st, &big, fx->since, &t, &e) != 0)
		fail_msg("store_read_today: %s", e.msg);
	int big_statements = n_statements;
	assert_int_equal(t.sessions, want_sessions);
	assert_int_equal(t.flow_sessions, want_flow);
	assert_int_equal(want_sessions, 53);   /* not yesterday's seven */
	assert_int_equal(want_flow, 48);       /* nor the other flow's five of today */
	long total = 0, cells = 0;
	for (size_t qi = 0; qi < MANY_Q; qi++)
		for (size_t ai = 0; ai < PER_Q; ai++) {
			size_t i = qi * PER_Q + ai;
			if (got[i] != want[i])
				fail_msg("question %s (%zu), answer %zu: %d, before %d", qs[qi].id, qi, ai,
				         got[i], want[i]);
			total += want[i];
			cells += want[i] > 0;
		}
	assert_true(total > 5000);     /* not a comparison of zeroes */
	assert_true(cells > 3 * MANY_Q);

	/* as many statements as five questions take */
	store_today t5 = { .counts = counts, .per_question = PER_Q };
	n_statements = 0;
	assert_int_equal(store_read_today(fx->st, fx->f, fx->since, &t5, NULL), 0);
	assert_int_equal(big_statements, n_statements);
	assert_true(big_statements <= 4);   /* BEGIN, the sessions, the answers, COMMIT */
	sqlite3_trace_v2(store_db(fx->st), 0, NULL, NULL);
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
		cmocka_unit_test_setup_teardown(test_many_questions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_broken_database, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
