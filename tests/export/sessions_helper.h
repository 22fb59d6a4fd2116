/*
 * sessions_helper: makes sessions for the export and merge tests through
 * the real code (flow_load on the bundled flows, the session machine with a
 * fake clock, its records stored with store_begin_session / add_answer /
 * end_session exactly as the kiosk's sink builds them), and keeps what was
 * given as the "expected" record the Python checker compares the export
 * with. Included by one test file each (static functions only).
 */
#ifndef TELLUS_TEST_SESSIONS_HELPER_H
#define TELLUS_TEST_SESSIONS_HELPER_H

/* the including file defines _XOPEN_SOURCE 700 (for nftw) before any include */
#include <ftw.h>
#include <stdarg.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <sqlite3.h>

#include "flow/flow.h"
#include "session/session.h"
#include "store/store.h"
#include "base/sha256.h"
#include "base/util.h"

typedef struct maker {
	store *st;
	const flow *f;
	session *s;
	tl_fake_clock clock;
	json_t *answers;    /* what the machine handed over, in order */
	json_t *sessions;   /* id -> status ("in_progress" until it ends) */
	const char *event;  /* the event the next sessions carry; NULL: none */
} maker;

/* Runs a shell command made with printf; its exit status, or -1 when it
 * did not exit. The export tests check files with outside tools with it. */
static int
sh(const char *fmt, ...) __attribute__((format(printf, 1, 2), unused));

static int
sh(const char *fmt, ...)
{
	char cmd[16384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	int rc = system(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static flow *
helper_flow(const char *name)
{
	const char *root = getenv("TELLUS_SOURCE_ROOT");
	char *path = tl_asprintf("%s/config/flows/%s.yaml", root ? root : ".", name);
	flow *f = NULL;
	diag_list d = { 0 };
	if (flow_load(path, &f, &d) != 0)
		fprintf(stderr, "cannot load %s\n", path);
	diag_list_finish(&d);
	free(path);
	return f;
}

static void
m_begin(void *ud, const session_begin_rec *r)
{
	maker *m = ud;
	store_session s = {
		.id = r->session_id, .flow_id = r->flow->id, .flow_version = r->flow->version,
		.flow_hash = r->flow->hash, .flow_source = r->flow->source,
		.language = r->language, .presentation = r->presentation,
		.started_wall_ms = r->started_wall_ms, .event = m->event,
	};
	tl_error e = { 0 };
	if (store_begin_session(m->st, &s, &e) != 0)
		fprintf(stderr, "begin: %s\n", e.msg);
	json_object_set_new(m->sessions, r->session_id, json_string("in_progress"));
}

static void
m_answer(void *ud, const session_answer_rec *r)
{
	maker *m = ud;
	const char *lang = m->f->languages[0];
	const char *ids[SESSION_MAX_CHOICES], *labels[SESSION_MAX_CHOICES];
	size_t n = 0;
	json_t *jids = json_array(), *jlabels = json_array();
	for (int i = 0; i < r->n_chosen && n < SESSION_MAX_CHOICES; i++, n++) {
		const flow_answer *a = &r->question->answers[r->chosen[i]];
		ids[n] = a->id;
		labels[n] = tstr_get(&a->label, lang, lang);
		json_array_append_new(jids, json_string(ids[n]));
		json_array_append_new(jlabels, json_string(labels[n]));
	}
	const char *text = tstr_get(&r->question->prompt, lang, lang);
	store_answer a = {
		.session_id = r->session_id, .seq = r->seq, .question_id = r->question->id,
		.question_index = r->question_index, .question_text = text,
		.kind = answer_kind_name(r->kind), .n_choices = n, .choice_ids = ids, .choice_labels = labels,
		.given_wall_ms = r->given_wall_ms, .time_taken_ms = r->time_taken_ms,
		.input_method = input_method_name(r->method),
	};
	tl_error e = { 0 };
	if (store_add_answer(m->st, &a, &e) != 0)
		fprintf(stderr, "answer: %s\n", e.msg);
	json_array_append_new(m->answers, json_pack("{s:s, s:i, s:s, s:i, s:s, s:s, s:o, s:o, s:I, s:s}",
	        "session_id", r->session_id, "seq", r->seq, "question_id", r->question->id,
	        "question_index", r->question_index, "question_text", text,
	        "kind", answer_kind_name(r->kind), "answer_ids", jids, "answer_labels", jlabels,
	        "time_taken_ms", (json_int_t)r->time_taken_ms,
	        "input_method", input_method_name(r->method)));
}

static void
m_end(void *ud, const session_end_rec *r)
{
	maker *m = ud;
	tl_error e = { 0 };
	if (store_end_session(m->st, r->session_id, session_status_name(r->status),
	                      r->ended_wall_ms, &e) != 0)
		fprintf(stderr, "end: %s\n", e.msg);
	json_object_set_new(m->sessions, r->session_id,
	                    json_string(session_status_name(r->status)));
}

static int
maker_init(maker *m, store *st, const flow *f, int64_t wall)
{
	memset(m, 0, sizeof *m);
	m->st = st;
	m->f = f;
	tl_fake_clock_init(&m->clock, 1000, wall);
	m->answers = json_array();
	m->sessions = json_object();
	session_timing t;
	session_timing_default(&t);
	session_sink sink = { m_begin, m_answer, m_end, m };
	m->s = session_create(f, &t, &m->clock.clock, sink);
	return m->s && m->answers && m->sessions ? 0 : -1;
}

static void
maker_finish(maker *m)
{
	session_destroy(m->s);
	json_decref(m->answers);
	json_decref(m->sessions);
}

/* Time passes between taps, as it does for a person. */
static void
later(maker *m, int64_t ms)
{
	m->clock.mono += ms;
	m->clock.wall += ms;
	session_tick(m->s);
}

/* Back to welcome after a session ended (as the kiosk does once stored). */
static void
settle(maker *m)
{
	session_persisted(m->s);
	session_finish_now(m->s);
	later(m, 10000);
}

/* Taking a school-day session: a script of taps. Each step is one of
 * "c<index>" choose, "d" done, "s" skip, "x" decline, "b" back, "w" walk
 * away (idle until unfinished). */
static void
play(maker *m, const char *script)
{
	session_start(m->s);
	later(m, 700);
	for (const char *p = script; *p; p++) {
		later(m, 1300);
		switch (*p) {
		case 'c':
			session_choose(m->s, p[1] - '0', INPUT_TOUCH);
			p++;
			break;
		case 'k':   /* the same, by keyboard */
			session_choose(m->s, p[1] - '0', INPUT_KEYBOARD);
			p++;
			break;
		case 'd': session_done(m->s, INPUT_TOUCH); break;
		case 's': session_skip(m->s, INPUT_SWITCH); break;
		case 'x': session_decline(m->s, INPUT_TOUCH); break;
		case 'b': session_back(m->s); break;
		case 'w': later(m, 10 * 60 * 1000); later(m, 10 * 60 * 1000); break;
		default: break;
		}
	}
	settle(m);
}

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(path);
}

static int
rm_tree(const char *dir)
{
	return nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A digest of every row of sessions, answers, their choices and flows:
 * equal digests mean equal content, whatever SQLite did with its pages. */
static void
db_digest(const char *path, char out[65])
{
	sqlite3 *db = NULL;
	tl_sha256 h;
	tl_sha256_init(&h);
	sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
	static const char *const q[] = {
		"SELECT * FROM sessions ORDER BY id",
		"SELECT * FROM answers ORDER BY session_id, seq",
		"SELECT * FROM answer_choices ORDER BY session_id, seq, position",
		"SELECT * FROM flows ORDER BY hash",
		"SELECT * FROM meta ORDER BY key",
	};
	for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
		sqlite3_stmt *s = NULL;
		sqlite3_prepare_v2(db, q[i], -1, &s, NULL);
		while (s && sqlite3_step(s) == SQLITE_ROW)
			for (int c = 0; c < sqlite3_column_count(s); c++) {
				const unsigned char *t = sqlite3_column_text(s, c);
				int n = sqlite3_column_bytes(s, c);
				tl_sha256_update(&h, t ? t : (const unsigned char *)"\1NULL", t ? (size_t)n : 5);
				tl_sha256_update(&h, "\0", 1);
			}
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	unsigned char d[TL_SHA256_BYTES];
	if (tl_sha256_final(&h, d) != 0)
		abort();   /* equal "digests" of nothing would hide a difference */
	tl_hex(d, sizeof d, out, TL_SHA256_HEX);
}

static long long
db_count(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	long long n = -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
		int rc = sqlite3_step(s);
		if (rc == SQLITE_ROW)
			n = sqlite3_column_int64(s, 0);
		else if (rc == SQLITE_DONE)
			n = 0;
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

#endif
