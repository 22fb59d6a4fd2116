/*
 * test_report_count: report_collect counts every answer in one pass, and
 * counts them right.
 *
 * A real store file holds sessions written as the store and merge write
 * them (rows of sessions, answers and answer_choices), chosen so that each
 * rule of the count is seen once: a changed answer (only the latest
 * counts), a choose-several answer (one person, a count for each picture),
 * a skip that still carries a picture (counts for none), a sort mat, an
 * answer whose choices start at position 1, a session in progress and one
 * of another event (neither counted). The counts are checked against
 * numbers worked out by hand, and against report_collect_tally fed the
 * same latest answers (the export's own counting, a second reader). A
 * trace of the statements report_collect runs finds exactly one that
 * reads answers, and EXPLAIN QUERY PLAN says it seeks them session by
 * session through answers_latest rather than scanning the table.
 */
#define _XOPEN_SOURCE 700   /* nftw, for store_helper.h */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "report/report_model.h"
#include "store/store.h"
#include "store/store_helper.h"

#define EVENT "Spring drop-in"

/* Sessions s1..s6 of the event and the two that are not counted. Their
 * answers: (session, seq, question, index, kind); choices: (session, seq,
 * position, id, column). */
static const char fill_sql[] =
	"INSERT INTO sessions(id, kiosk_id, flow_id, flow_version, flow_hash, started_at,"
	" ended_at, status, language, presentation, event) VALUES"
	" ('s1','hall-1','day',1,'h','2026-12-02T10:00:00.000Z',NULL,'completed','en','x','" EVENT "'),"
	" ('s2','hall-1','day',1,'h','2026-12-02T10:01:00.000Z',NULL,'completed','en','x','" EVENT "'),"
	" ('s3','hall-2','day',1,'h','2026-12-02T10:02:00.000Z',NULL,'unfinished','en','x','" EVENT "'),"
	" ('s4','hall-2','day',1,'h','2026-12-02T10:03:00.000Z',NULL,'completed_early','en','x','" EVENT "'),"
	" ('s5','hall-1','day',1,'h','2026-12-02T10:04:00.000Z',NULL,'interrupted','en','x','" EVENT "'),"
	" ('s6','hall-1','day',1,'h','2026-12-02T10:05:00.000Z',NULL,'completed','en','x','" EVENT "'),"
	" ('busy','hall-1','day',1,'h','2026-12-02T10:06:00.000Z',NULL,'in_progress','en','x','" EVENT "'),"
	" ('other','hall-1','day',1,'h','2026-12-01T10:00:00.000Z',NULL,'completed','en','x','Winter');"
	"CREATE TEMP TABLE a(session_id, seq, question_id, question_index, kind);"
	"INSERT INTO a VALUES"
	/* s1: happy, changed to sad; art and music; lunch okay; the mat */
	" ('s1',1,'feeling',0,'chosen'), ('s1',2,'feeling',0,'chosen'),"
	" ('s1',3,'activities',1,'chosen'), ('s1',4,'lunch',2,'chosen'),"
	" ('s1',5,'mat',3,'chosen'),"
	/* s2: happy; art; lunch skipped, though it carries a picture */
	" ('s2',1,'feeling',0,'chosen'), ('s2',2,'activities',1,'chosen'),"
	" ('s2',3,'lunch',2,'skipped'),"
	/* s3: sad, changed to a decline; music, whose choices start at 1 */
	" ('s3',1,'feeling',0,'chosen'), ('s3',2,'activities',1,'chosen'),"
	" ('s3',3,'feeling',0,'declined'),"
	/* s4: happy; art, music and sport; the mat */
	" ('s4',1,'feeling',0,'chosen'), ('s4',2,'activities',1,'chosen'),"
	" ('s4',3,'mat',3,'chosen'),"
	/* s5: happy; s6: skipped, then happy after all */
	" ('s5',1,'feeling',0,'chosen'),"
	" ('s6',1,'feeling',0,'skipped'), ('s6',2,'feeling',0,'chosen'),"
	/* not counted: in progress, another event */
	" ('busy',1,'feeling',0,'chosen'), ('other',1,'feeling',0,'chosen');"
	"INSERT INTO answers(session_id, seq, question_id, question_index, question_text, kind,"
	" given_at, time_taken_ms, input_method)"
	" SELECT session_id, seq, question_id, question_index, 'Q ' || question_id, kind,"
	" '2026-12-02T10:00:00.000Z', 1000, 'touch' FROM a;"
	"INSERT INTO answer_choices(session_id, seq, position, answer_id, answer_label,"
	" sort_column, sort_column_label) VALUES"
	" ('s1',1,0,'happy','Happy',NULL,NULL), ('s1',2,0,'sad','Sad',NULL,NULL),"
	" ('s1',3,0,'art','Art',NULL,NULL), ('s1',3,1,'music','Music',NULL,NULL),"
	" ('s1',4,0,'okay','OK',NULL,NULL),"
	" ('s1',5,0,'bus','Bus','like','I like'), ('s1',5,1,'lunch','Lunch','dislike','I don''t like'),"
	" ('s2',1,0,'happy','Happy',NULL,NULL), ('s2',2,0,'art','Art',NULL,NULL),"
	" ('s2',3,0,'okay','OK',NULL,NULL),"
	" ('s3',1,0,'sad','Sad',NULL,NULL), ('s3',2,1,'music','Music',NULL,NULL),"
	" ('s4',1,0,'happy','Happy',NULL,NULL), ('s4',2,0,'art','Art',NULL,NULL),"
	" ('s4',2,1,'music','Music',NULL,NULL), ('s4',2,2,'sport','Sport',NULL,NULL),"
	" ('s4',3,0,'bus','Bus','like','I like'), ('s4',3,1,'lunch','Lunch','unsorted',''),"
	" ('s5',1,0,'happy','Happy',NULL,NULL), ('s6',2,0,'happy','Happy',NULL,NULL),"
	" ('busy',1,0,'sad','Sad',NULL,NULL), ('other',1,0,'sad','Sad',NULL,NULL);";

static char *db_path;

static int
setup(void **state)
{
	if (setup_dir(state) != 0)
		return -1;
	db_path = tpath("count.db");
	store *st = open_ok(db_path, NULL);
	char *msg = NULL;
	if (sqlite3_exec(store_db(st), fill_sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("filling: %s", msg);
	store_close(st);
	return 0;
}

static int
teardown(void **state)
{
	free(db_path);
	return teardown_dir(state);
}

static const report_question *
question(const report *r, const char *id)
{
	for (size_t f = 0; f < r->n_flows; f++)
		for (size_t q = 0; q < r->flows[f].n_questions; q++)
			if (strcmp(r->flows[f].questions[q].id, id) == 0)
				return &r->flows[f].questions[q];
	fail_msg("no question %s", id);
	return NULL;
}

static const report_answer *
answer(const report_question *q, const char *id)
{
	for (size_t i = 0; i < q->n_answers; i++)
		if (strcmp(q->answers[i].id, id) == 0)
			return &q->answers[i];
	return NULL;
}

static int64_t
count_of(const report *r, const char *qid, const char *aid)
{
	const report_answer *a = answer(question(r, qid), aid);
	return a ? a->count : 0;
}

/* Statements report_collect ran that read the answers table. */
static int reads_of_answers;

static int
on_statement(unsigned type, void *ud, void *p, void *x)
{
	(void)ud;
	(void)x;
	if (type == SQLITE_TRACE_STMT) {
		const char *sql = sqlite3_sql((sqlite3_stmt *)p);
		if (sql && strstr(sql, " answers "))
			reads_of_answers++;
	}
	return 0;
}

static void
counts_by_hand(void **state)
{
	(void)state;
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_trace_v2(db, SQLITE_TRACE_STMT, on_statement, NULL), SQLITE_OK);
	report_options opt = { .event = EVENT };
	report *r = NULL;
	tl_error e = { 0 };
	reads_of_answers = 0;
	if (report_collect(db, &opt, &r, &e) != 0)
		fail_msg("%s", e.msg);
	/* one pass over the answers */
	assert_int_equal(reads_of_answers, 1);
	assert_int_equal(r->people, 6);   /* neither "busy" nor "other" */
	assert_int_equal(r->ended[REPORT_COMPLETED], 3);

	const report_question *feeling = question(r, "feeling");
	assert_int_equal(feeling->people, 6);
	assert_int_equal(feeling->declined, 1);    /* s3's latest */
	assert_int_equal(feeling->skipped, 0);     /* s6 answered after all */
	assert_int_equal(count_of(r, "feeling", "happy"), 4);   /* s2, s4, s5, s6 */
	assert_int_equal(count_of(r, "feeling", "sad"), 1);     /* s1's latest */

	const report_question *act = question(r, "activities");
	assert_int_equal(act->people, 4);   /* one person each, however many pictures */
	assert_int_equal(count_of(r, "activities", "art"), 3);
	assert_int_equal(count_of(r, "activities", "music"), 3);
	assert_int_equal(count_of(r, "activities", "sport"), 1);

	const report_question *lunch = question(r, "lunch");
	assert_int_equal(lunch->people, 2);
	assert_int_equal(lunch->skipped, 1);
	assert_int_equal(count_of(r, "lunch", "okay"), 1);   /* s2's skip chose nothing */

	const report_question *mat = question(r, "mat");
	assert_int_equal(mat->people, 2);
	assert_true(mat->sort);
	const report_answer *bus = answer(mat, "bus"), *ml = answer(mat, "lunch");
	assert_non_null(bus);
	assert_non_null(ml);
	assert_int_equal(bus->count, 2);
	assert_int_equal(ml->count, 1);      /* s1 put it in a column, s4 left it off */
	assert_int_equal(ml->unsorted, 1);
	report_destroy(r);
	sqlite3_close(db);
}

/* The latest answers, fed one by one to the export's own tally, draw the
 * same report (compared as HTML, every count and label in it). */
static int
to_buf(void *ud, const void *p, size_t n)
{
	return fwrite(p, 1, n, (FILE *)ud) == n ? 0 : -1;
}

static char *
render(const report *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	report_options opt = { .event = EVENT };
	assert_int_equal(report_render_html(r, &opt, to_buf, f, NULL), 0);
	fclose(f);
	return buf;
}

static void
same_as_the_tally(void **state)
{
	(void)state;
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	report_tally *t = report_tally_create();
	assert_non_null(t);
	/* the latest answer of each counted session to each question, read
	 * with a plain query of its own, and its choices in order */
	sqlite3_stmt *q = NULL, *c = NULL;
	assert_int_equal(sqlite3_prepare_v2(db,
	        "SELECT a.session_id, a.seq, a.question_id, a.question_text, a.question_index,"
	        " a.kind FROM answers a JOIN sessions s ON s.id = a.session_id"
	        " WHERE s.event = '" EVENT "' AND s.status != 'in_progress' AND NOT EXISTS"
	        " (SELECT 1 FROM answers b WHERE b.session_id = a.session_id"
	        "  AND b.question_id = a.question_id AND b.seq > a.seq)", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
	        "SELECT answer_id, answer_label, sort_column, ifnull(sort_column_label, '')"
	        " FROM answer_choices WHERE session_id = ?1 AND seq = ?2 ORDER BY position",
	        -1, &c, NULL), SQLITE_OK);
	while (sqlite3_step(q) == SQLITE_ROW) {
		char *ids[8], *labels[8], *cols[8], *clabels[8];
		size_t n = 0;
		bool sorted = false;
		sqlite3_bind_text(c, 1, (const char *)sqlite3_column_text(q, 0), -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(c, 2, sqlite3_column_int(q, 1));
		while (sqlite3_step(c) == SQLITE_ROW && n < 8) {
			ids[n] = strdup((const char *)sqlite3_column_text(c, 0));
			labels[n] = strdup((const char *)sqlite3_column_text(c, 1));
			sorted = sqlite3_column_type(c, 2) != SQLITE_NULL;
			cols[n] = sorted ? strdup((const char *)sqlite3_column_text(c, 2)) : NULL;
			clabels[n] = strdup((const char *)sqlite3_column_text(c, 3));
			n++;
		}
		sqlite3_reset(c);
		assert_int_equal(report_tally_add(t, "day", 1, (const char *)sqlite3_column_text(q, 2),
		                 (const char *)sqlite3_column_text(q, 3), sqlite3_column_int(q, 4),
		                 (const char *)sqlite3_column_text(q, 5), n,
		                 (const char *const *)ids, (const char *const *)labels,
		                 sorted ? (const char *const *)cols : NULL,
		                 (const char *const *)clabels), 0);
		for (size_t i = 0; i < n; i++) {
			free(ids[i]);
			free(labels[i]);
			free(cols[i]);
			free(clabels[i]);
		}
	}
	sqlite3_finalize(q);
	sqlite3_finalize(c);
	report_options opt = { .event = EVENT };
	report *from_sql = NULL, *from_tally = NULL;
	assert_int_equal(report_collect(db, &opt, &from_sql, NULL), 0);
	assert_int_equal(report_collect_tally(db, &opt, t, &from_tally, NULL), 0);
	char *a = render(from_sql), *b = render(from_tally);
	assert_string_equal(a, b);
	free(a);
	free(b);
	report_destroy(from_sql);
	report_destroy(from_tally);
	report_tally_destroy(t);
	sqlite3_close(db);
}

/* The one statement seeks each counted session's answers (SEARCH) through
 * answers_latest, and never reads the whole answers table (SCAN). */
static void
plan_reads_answers_once(void **state)
{
	(void)state;
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	static const report_options by_event = { .event = EVENT },
	                            by_day = { .since = "2026-12-02T00:00:00.000Z" };
	const report_options *opts[] = { &by_event, &by_day };
	for (size_t i = 0; i < 2; i++) {
		char *sql = report_count_sql(opts[i]);
		assert_non_null(sql);
		char *eqp = tl_asprintf("EXPLAIN QUERY PLAN %s", sql);
		sqlite3_stmt *s = NULL;
		assert_int_equal(sqlite3_prepare_v2(db, eqp, -1, &s, NULL), SQLITE_OK);
		int seek_a = 0, scan_answers = 0, latest = 0;
		while (sqlite3_step(s) == SQLITE_ROW) {
			const char *d = (const char *)sqlite3_column_text(s, 3);
			seek_a += strncmp(d, "SEARCH a ", 9) == 0;
			scan_answers += strncmp(d, "SCAN a", 6) == 0 || strncmp(d, "SCAN b", 6) == 0;
			latest += strstr(d, "answers_latest") != NULL;
		}
		sqlite3_finalize(s);
		assert_int_equal(seek_a, 1);
		assert_int_equal(scan_answers, 0);
		assert_true(latest >= 1);
		free(eqp);
		free(sql);
	}
	sqlite3_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counts_by_hand),
		cmocka_unit_test(same_as_the_tally),
		cmocka_unit_test(plan_reads_answers_once),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
