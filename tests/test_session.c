/*
 * test_session: the session state machine, driven by a fake clock, with a
 * sink that copies every record so the test can check exactly what the
 * store would have been given.
 *
 * Flows are built in memory (not parsed) so these tests do not depend on the
 * YAML parser. The main flow used throughout:
 *
 *   0 mood    feelings  sad okay happy      happy->end, sad->help, sad->food
 *   1 school  yes-no    yes no not-sure
 *   2 help    choose-many adult friend pet music   pet->last
 *   3 food    choose-one  apple bread
 *   4 last    yes-no    yes no not-sure
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "session/session.h"
#include "base/util.h"

/* ---- flows in memory ---------------------------------------------------- */

static char *
xstrdup(const char *s)
{
	char *p = tl_strdup(s);
	assert_non_null(p);
	return p;
}

static flow *
tf_new(void)
{
	flow *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->id = xstrdup("test-flow");
	f->version = 1;
	f->n_languages = 2;
	f->languages = calloc(2, sizeof *f->languages);
	assert_non_null(f->languages);
	f->languages[0] = xstrdup("en");
	f->languages[1] = xstrdup("pl");
	return f;
}

/* answers: a NULL-terminated list of ids. Returns the question's index. */
static int
tf_add_q(flow *f, const char *id, enum question_type type, const char *const *answers)
{
	flow_question *qs = realloc(f->questions, (f->n_questions + 1) * sizeof *qs);
	assert_non_null(qs);
	f->questions = qs;
	flow_question *q = &qs[f->n_questions];
	memset(q, 0, sizeof *q);
	q->id = xstrdup(id);
	q->type = type;
	size_t n = 0;
	while (answers[n])
		n++;
	q->answers = calloc(n, sizeof *q->answers);
	assert_non_null(q->answers);
	for (size_t i = 0; i < n; i++)
		q->answers[i].id = xstrdup(answers[i]);
	q->n_answers = n;
	if (type == QT_FEELINGS)
		q->scale = (int)n;
	return (int)f->n_questions++;
}

static void
tf_add_rule(flow *f, int qi, const char *if_answer, int goto_index)
{
	flow_question *q = &f->questions[qi];
	flow_rule *rs = realloc(q->rules, (q->n_rules + 1) * sizeof *rs);
	assert_non_null(rs);
	q->rules = rs;
	flow_rule *r = &rs[q->n_rules++];
	memset(r, 0, sizeof *r);
	r->if_answer = xstrdup(if_answer);
	bool known = goto_index >= 0 && (size_t)goto_index < f->n_questions;
	r->goto_id = xstrdup(known ? f->questions[goto_index].id : "end");
	r->goto_index = goto_index;
}

static void
tf_free(flow *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n_questions; i++) {
		flow_question *q = &f->questions[i];
		for (size_t a = 0; a < q->n_answers; a++)
			free(q->answers[a].id);
		free(q->answers);
		for (size_t r = 0; r < q->n_rules; r++) {
			free(q->rules[r].if_answer);
			free(q->rules[r].goto_id);
		}
		free(q->rules);
		free(q->id);
	}
	free(f->questions);
	for (size_t i = 0; i < f->n_languages; i++)
		free(f->languages[i]);
	free(f->languages);
	free(f->id);
	free(f);
}

enum { Q_MOOD, Q_SCHOOL, Q_HELP, Q_FOOD, Q_LAST };
enum { SAD, OKAY, HAPPY };
enum { YES, NO, NOT_SURE };
enum { ADULT, FRIEND, PET, MUSIC };
enum { APPLE, BREAD };

static flow *
main_flow(void)
{
	static const char *const feel[] = {"sad", "okay", "happy", NULL};
	static const char *const yn[] = {"yes", "no", "not-sure", NULL};
	static const char *const help[] = {"adult", "friend", "pet", "music", NULL};
	static const char *const food[] = {"apple", "bread", NULL};
	flow *f = tf_new();
	assert_int_equal(tf_add_q(f, "mood", QT_FEELINGS, feel), Q_MOOD);
	assert_int_equal(tf_add_q(f, "school", QT_YES_NO, yn), Q_SCHOOL);
	assert_int_equal(tf_add_q(f, "help", QT_CHOOSE_MANY, help), Q_HELP);
	assert_int_equal(tf_add_q(f, "food", QT_CHOOSE_ONE, food), Q_FOOD);
	assert_int_equal(tf_add_q(f, "last", QT_YES_NO, yn), Q_LAST);
	tf_add_rule(f, Q_MOOD, "happy", -1);
	tf_add_rule(f, Q_MOOD, "sad", Q_HELP);
	tf_add_rule(f, Q_MOOD, "sad", Q_FOOD);   /* never wins: the one above is first */
	tf_add_rule(f, Q_HELP, "pet", Q_LAST);
	return f;
}

/* ---- a sink that remembers everything ----------------------------------- */

#define MAX_RECS 64

typedef struct rec_begin {
	char id[37];
	const flow *flow;
	char language[16];
	char presentation[32];
	int64_t started_wall_ms;
} rec_begin;

typedef struct rec_answer {
	session_answer_rec r;
	char id[37];
} rec_answer;

typedef struct rec_end {
	char id[37];
	enum session_status status;
	int64_t ended_wall_ms;
} rec_end;

typedef struct recorder {
	rec_begin begins[MAX_RECS];
	int n_begins;
	rec_answer answers[MAX_RECS];
	int n_answers;
	rec_end ends[MAX_RECS];
	int n_ends;
	/* A store that writes at once and says so from inside end(). */
	session *persist_in_end;
} recorder;

static void
copy_str(char *dst, size_t cap, const char *src)
{
	assert_non_null(src);
	assert_true(strlen(src) < cap);
	memcpy(dst, src, strlen(src) + 1);
}

static void
on_begin(void *ud, const session_begin_rec *r)
{
	recorder *rc = ud;
	assert_true(rc->n_begins < MAX_RECS);
	rec_begin *b = &rc->begins[rc->n_begins++];
	copy_str(b->id, sizeof b->id, r->session_id);
	copy_str(b->language, sizeof b->language, r->language);
	copy_str(b->presentation, sizeof b->presentation, r->presentation);
	b->flow = r->flow;
	b->started_wall_ms = r->started_wall_ms;
}

static void
on_answer(void *ud, const session_answer_rec *r)
{
	recorder *rc = ud;
	assert_true(rc->n_answers < MAX_RECS);
	rec_answer *a = &rc->answers[rc->n_answers++];
	a->r = *r;
	copy_str(a->id, sizeof a->id, r->session_id);
	a->r.session_id = a->id;   /* the borrowed one dies with the call */
}

static void
on_end(void *ud, const session_end_rec *r)
{
	recorder *rc = ud;
	assert_true(rc->n_ends < MAX_RECS);
	rec_end *e = &rc->ends[rc->n_ends++];
	copy_str(e->id, sizeof e->id, r->session_id);
	e->status = r->status;
	e->ended_wall_ms = r->ended_wall_ms;
	if (rc->persist_in_end)
		session_persisted(rc->persist_in_end);
}

/* ---- fixture ------------------------------------------------------------ */

#define T0_MONO INT64_C(1000)
#define T0_WALL INT64_C(1763812101000)

typedef struct fx {
	flow *f;
	tl_fake_clock clk;
	recorder rec;
	session_timing timing;
	session *s;
} fx;

static void
advance(fx *x, int64_t ms)
{
	x->clk.mono += ms;
	x->clk.wall += ms;
}

static int
setup(void **state)
{
	fx *x = calloc(1, sizeof *x);
	if (!x)
		return -1;
	x->f = main_flow();
	tl_fake_clock_init(&x->clk, T0_MONO, T0_WALL);
	session_timing_default(&x->timing);
	session_sink sink = { on_begin, on_answer, on_end, &x->rec };
	x->s = session_create(x->f, &x->timing, &x->clk.clock, sink);
	if (!x->s)
		return -1;
	*state = x;
	return 0;
}

static int
teardown(void **state)
{
	fx *x = *state;
	session_destroy(x->s);
	tf_free(x->f);
	free(x);
	return 0;
}

static const session_view *
view(fx *x)
{
	return session_get_view(x->s);
}

static int
n_selected(const session_view *v)
{
	int n = 0;
	for (int i = 0; i < SESSION_MAX_CHOICES; i++)
		n += v->selected[i];
	return n;
}

static void
assert_on(fx *x, int question_index)
{
	const session_view *v = view(x);
	assert_int_equal(v->screen, SCREEN_QUESTION);
	assert_int_equal(v->question_index, question_index);
	assert_ptr_equal(v->question, &x->f->questions[question_index]);
}

/* The view holds nothing of the person who was here. */
static void
assert_view_empty(fx *x)
{
	const session_view *v = view(x);
	assert_null(v->question);
	assert_int_equal(v->question_index, -1);
	assert_int_equal(v->question_number, 0);
	assert_int_equal(v->question_total, 0);
	assert_int_equal(n_selected(v), 0);
	assert_false(v->can_back);
	assert_string_equal(v->session_id, "");
	assert_int_equal(v->still_there_left_ms, 0);
}

static bool
is_uuid4(const char *id)
{
	if (strlen(id) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash != (id[i] == '-'))
			return false;
	}
	return id[14] == '4';
}

/* ---- tests -------------------------------------------------------------- */

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(answer_kind_name(ANSWER_CHOSEN), "chosen");
	assert_string_equal(answer_kind_name(ANSWER_SKIPPED), "skipped");
	assert_string_equal(answer_kind_name(ANSWER_DECLINED), "declined");
	assert_string_equal(answer_kind_name((enum answer_kind)42), "unknown");
	assert_string_equal(session_status_name(SESSION_IN_PROGRESS), "in_progress");
	assert_string_equal(session_status_name(SESSION_COMPLETED), "completed");
	assert_string_equal(session_status_name(SESSION_UNFINISHED), "unfinished");
	assert_string_equal(session_status_name((enum session_status)-1), "unknown");
	assert_string_equal(input_method_name(INPUT_TOUCH), "touch");
	assert_string_equal(input_method_name(INPUT_MOUSE), "mouse");
	assert_string_equal(input_method_name(INPUT_KEYBOARD), "keyboard");
	assert_string_equal(input_method_name(INPUT_SWITCH), "switch");
	assert_string_equal(input_method_name(INPUT_DWELL), "dwell");
	assert_string_equal(input_method_name(INPUT_COUNT), "unknown");
	session_timing t;
	memset(&t, 0xff, sizeof t);
	session_timing_default(&t);
	assert_int_equal(t.idle_ms, 60000);
	assert_int_equal(t.still_there_ms, 30000);
	assert_int_equal(t.thanks_ms, 8000);
}

static void
test_create_bad_args(void **state)
{
	(void)state;
	tl_fake_clock clk;
	tl_fake_clock_init(&clk, 0, 0);
	session_sink sink = {0};
	flow *f = main_flow();
	assert_null(session_create(NULL, NULL, &clk.clock, sink));
	assert_null(session_create(f, NULL, NULL, sink));
	/* NULL timing means the defaults; NULL sink callbacks are skipped. */
	session *s = session_create(f, NULL, &clk.clock, sink);
	assert_non_null(s);
	assert_true(session_start(s));
	assert_int_equal(session_next_deadline(s), 60000);
	assert_true(session_choose(s, HAPPY, INPUT_TOUCH));
	assert_int_equal(session_get_view(s)->screen, SCREEN_THANKS);
	session_destroy(s);
	session_destroy(NULL);
	tf_free(f);
}

static void
test_complete_flow(void **state)
{
	fx *x = *state;
	const session_view *v = view(x);
	assert_int_equal(v->screen, SCREEN_WELCOME);
	assert_view_empty(x);
	assert_string_equal(v->language, "en");
	assert_int_equal(v->presentation, PRES_LARGE_SYMBOL);

	assert_true(session_start(x->s));
	assert_int_equal(x->rec.n_begins, 1);
	rec_begin *b = &x->rec.begins[0];
	assert_true(is_uuid4(b->id));
	assert_ptr_equal(b->flow, x->f);
	assert_string_equal(b->language, "en");
	assert_string_equal(b->presentation, "large-symbol");
	assert_int_equal(b->started_wall_ms, T0_WALL);
	assert_on(x, Q_MOOD);
	assert_string_equal(view(x)->session_id, b->id);
	assert_int_equal(n_selected(view(x)), 0);

	advance(x, 1500);
	assert_true(session_choose(x->s, OKAY, INPUT_TOUCH));
	assert_on(x, Q_SCHOOL);
	advance(x, 700);
	assert_true(session_choose(x->s, YES, INPUT_SWITCH));
	assert_on(x, Q_HELP);
	advance(x, 300);
	assert_true(session_choose(x->s, MUSIC, INPUT_KEYBOARD));
	assert_true(session_choose(x->s, ADULT, INPUT_KEYBOARD));
	assert_int_equal(x->rec.n_answers, 2);   /* toggles are not answers */
	advance(x, 900);
	assert_true(session_done(x->s, INPUT_KEYBOARD));
	assert_on(x, Q_FOOD);   /* no pet: no rule, next in file order */
	advance(x, 4000);
	assert_true(session_choose(x->s, BREAD, INPUT_DWELL));
	assert_on(x, Q_LAST);
	advance(x, 250);
	assert_true(session_choose(x->s, NO, INPUT_MOUSE));

	struct { int q; int n; int c0, c1; int64_t taken; enum input_method m; } want[] = {
		{ Q_MOOD, 1, OKAY, -1, 1500, INPUT_TOUCH },
		{ Q_SCHOOL, 1, YES, -1, 700, INPUT_SWITCH },
		{ Q_HELP, 2, ADULT, MUSIC, 1200, INPUT_KEYBOARD },
		{ Q_FOOD, 1, BREAD, -1, 4000, INPUT_DWELL },
		{ Q_LAST, 1, NO, -1, 250, INPUT_MOUSE },
	};
	assert_int_equal(x->rec.n_answers, 5);
	int64_t wall = T0_WALL;
	for (int i = 0; i < 5; i++) {
		const session_answer_rec *r = &x->rec.answers[i].r;
		wall += want[i].taken;
		assert_int_equal(r->seq, i + 1);
		assert_string_equal(r->session_id, b->id);
		assert_int_equal(r->question_index, want[i].q);
		assert_ptr_equal(r->question, &x->f->questions[want[i].q]);
		assert_int_equal(r->kind, ANSWER_CHOSEN);
		assert_int_equal(r->n_chosen, want[i].n);
		assert_int_equal(r->chosen[0], want[i].c0);
		if (want[i].n > 1)
			assert_int_equal(r->chosen[1], want[i].c1);
		assert_int_equal(r->time_taken_ms, want[i].taken);
		assert_int_equal(r->given_wall_ms, wall);
		assert_int_equal(r->method, want[i].m);
	}
	assert_int_equal(x->rec.n_ends, 1);
	assert_string_equal(x->rec.ends[0].id, b->id);
	assert_int_equal(x->rec.ends[0].status, SESSION_COMPLETED);
	assert_int_equal(x->rec.ends[0].ended_wall_ms, wall);
	assert_int_equal(view(x)->screen, SCREEN_THANKS);
	assert_view_empty(x);
}

static void
test_rule_goto_end(void **state)
{
	fx *x = *state;
	assert_true(session_start(x->s));
	assert_true(session_choose(x->s, HAPPY, INPUT_TOUCH));
	assert_int_equal(x->rec.n_answers, 1);
	assert_int_equal(x->rec.n_ends, 1);
	assert_int_equal(x->rec.ends[0].status, SESSION_COMPLETED);
	assert_int_equal(view(x)->screen, SCREEN_THANKS);
}

static void
test_rule_first_match_wins_and_choose_many(void **state)
{
	fx *x = *state;
	assert_true(session_start(x->s));
	assert_true(session_choose(x->s, SAD, INPUT_TOUCH));
	/* sad->help comes before sad->food. */
	assert_on(x, Q_HELP);
	assert_int_equal(view(x)->question_number, 2);
	assert_int_equal(view(x)->question_total, 4);
	assert_true(session_choose(x->s, FRIEND, INPUT_TOUCH));
	assert_true(session_choose(x->s, PET, INPUT_TOUCH));
	assert_true(session_done(x->s, INPUT_TOUCH));
	/* pet is among the chosen: its rule jumps over food. */
	assert_on(x, Q_LAST);
	assert_int_equal(view(x)->question_number, 3);
	assert_int_equal(view(x)->question_total, 3);
	assert_int_equal(x->rec.n_answers, 2);
	assert_int_equal(x->rec.answers[1].r.n_chosen, 2);
	assert_int_equal(x->rec.answers[1].r.chosen[0], FRIEND);
	assert_int_equal(x->rec.answers[1].r.chosen[1], PET);
}

static void
test_rule_backwards_or_bad_ignored(void **state)
{
	fx *x = *state;
	/* An unchecked flow: a rule pointing back and one pointing nowhere. */
	tf_add_rule(x->f, Q_FOOD, "apple", Q_SCHOOL);
	tf_add_rule(x->f, Q_FOOD, "apple", 99);
	tf_add_rule(x->f, Q_FOOD, "bread", Q_FOOD);
	assert_true(session_start(x->s));
	assert_true(session_choose(x->s, SAD, INPUT_TOUCH));
	assert_true(session_done(x->s, INPUT_TOUCH));
	assert_on(x, Q_FOOD);
	assert_true(session_choose(x->s, APPLE, INPUT_TOUCH));
	assert_on(x, Q_LAST);
	assert_true(session_back(x->s));
	assert_true(session_choose(x->s, BREAD, INPUT_TOUCH));
	assert_on(x, Q_LAST);
}

static void
test_skip_and_decline(void **state)
{
	fx *x = *state;
	assert_true(session_start(x->s));
	advance(x, 100);
	assert_true(session_skip(x->s, INPUT_SWITCH));
	assert_on(x, Q_SCHOOL);    /* default next, not a rule */
	advance(x, 200);
	assert_true(session_decline(x->s, INPUT_TOUCH));
	assert_on(x, Q_HELP);
	/* pet toggled, then skipped: nothing chosen is stored, no pet rule. */
	assert_true(session_choose(x->s, PET, INPUT_TOUCH));
	assert_true(session_skip(x->s, INPUT_TOUCH));
	assert_on(x, Q_FOOD);
	assert_int_equal(n_selected(view(x)), 0);
	assert_true(session_decline(x->s, INPUT_KEYBOARD));
	assert_on(x, Q_LAST);

	assert_int_equal(x->rec.n_answers, 4);
	const enum answer_kind kinds[] = { ANSWER_SKIPPED, ANSWER_DECLINED, ANSWER_SKIPPED, ANSWER_DECLINED };
	for (int i = 0; i < 4; i++) {
		assert_int_equal(x->rec.answers[i].r.seq, i + 1);
		assert_int_equal(x->rec.answers[i].r.kind, kinds[i]);
		assert_int_equal(x->rec.answers[i].r.n_chosen, 0);
		assert_int_equal(x->rec.answers[i].r.question_index, i);
	}
	assert_int_equal(x->rec.answers[0].r.time_taken_ms, 100);
	assert_int_equal(x->rec.answers[0].r.method, INPUT_SWITCH);
	assert_int_equal(x->rec.answers[1].r.time_taken_ms, 200);

	/* Skipping the last question ends the flow. */
	assert_true(session_skip(x->s, INPUT_TOUCH));
	assert_int_equal(x->rec.n_ends, 1);
	assert_int_equal(x->rec.ends[0].status, SESSION_COMPLETED);
}

static void
test_back_and_change(void **state)
{
	fx *x = *state;
	assert_true(session_start(x->s));
	assert_false(view(x)->can_back);
	assert_false(session_back(x->s));       /* first question: nowhere to go */
	assert_true(session_choose(x->s, OKAY, INPUT_TOUCH));
	assert_true(view(x)->can_back);
	assert_true(session_choose(x->s, NO, INPUT_TOUCH));
	assert_on(x, Q_HELP);
	assert_int_equal(view(x)->question_number, 3);

	assert_true(session_back(x->s));
	assert_on(x, Q_SCHOOL);
	assert_int_equal(view(x)->question_number, 2);
	assert_true(view(x)->selected[NO]);
	assert_int_equal(n_selected(view(x)), 1);
	assert_true(session_back(x->s));
	assert_on(x, Q_MOOD);
	assert_int_equal(view(x)->question_number, 1);
	assert_false(view(x)->can_back);
	assert_true(view(x)->selected[OKAY]);
	assert_int_equal(n_selected(view(x)), 1);
	assert_int_equal(x->rec.n_answers, 2);  /* going back stores nothing */

	advance(x, 3000);
	assert_true(session_choose(x->s, SAD, INPUT_TOUCH));
	/* The new answer is a new row; the path follows it (sad -> help). */
	assert_int_equal(x->rec.n_answers, 3);
	const session_answer_rec *r = &x->rec.answers[2].r;
	assert_int_equal(r->seq, 3);
	assert_int_equal(r->question_index, Q_MOOD);
	assert_int_equal(r->chosen[0], SAD);
	assert_int_equal(r->time_taken_ms, 3000);  /* from when back showed it */
	assert_int_equal(x->rec.answers[0].r.chosen[0], OKAY); /* old row intact */
	assert_on(x, Q_HELP);
	assert_int_equal(view(x)->question_number, 2);
	assert_int_equal(n_selected(view(x)), 0);

	/* choose-many: back shows the set given last time. */
	assert_true(session_choose(x->s, ADULT, INPUT_TOUCH));
	assert_true(session_choose(x->s, FRIEND, INPUT_TOUCH));
	assert_true(session_done(x->s, INPUT_TOUCH));
	assert_on(x, Q_FOOD);
	assert_int_equal(n_selected(view(x)), 0);
	assert_true(session_back(x->s));
	assert_on(x, Q_HELP);
	assert_true(view(x)->selected[ADULT]);
	assert_true(view(x)->selected[FRIEND]);
	assert_int_equal(n_selected(view(x)), 2);
	assert_true(session_choose(x->s, FRIEND, INPUT_TOUCH));   /* unchoose */
	assert_true(session_choose(x->s, PET, INPUT_TOUCH));
	assert_true(session_done(x->s, INPUT_TOUCH));
	assert_on(x, Q_LAST);   /* the pet rule now applies */
	assert_int_equal(view(x)->question_number, 3);
	assert_int_equal(x->rec.n_answers, 5);
	r = &x->rec.answers[4].r;
	assert_int_equal(r->seq, 5);
	assert_int_equal(r->n_chosen, 2);
	assert_int_equal(r->chosen[0], ADULT);
	assert_int_equal(r->chosen[1], PET);

	/* Back from last goes to help (the path), not to food. */
	assert_true(session_back(x->s));
	assert_on(x, Q_HELP);
	assert_true(session_back(x->s));
	assert_on(x, Q_MOOD);
	assert_true(view(x)->selected[SAD]);
	assert_int_equal(n_selected(view(x)), 1);
	assert_int_equal(x->rec.n_ends, 0);
}

static void
test_choose_many_toggle_and_done(void **state)
{
	fx *x = *state;
	assert_true(session_start(x->s));
	assert_true(session_choose(x->s, SAD, INPUT_TOUCH));
	assert_on(x, Q_HELP);
	assert_true(session_choose(x->s, ADULT, INPUT_TOUCH));
	assert_true(view(x)->selected[ADULT]);
	assert_true(session_choose(x->s, ADULT, INPUT_TOUCH));
	assert_false(view(x)->selected[ADULT]);
	assert_true(session_choose(x->s, MUSIC, INPUT_TOUCH));
	assert_false(session_choose(x->s, 4, INPUT_TOUCH));   /* 4 answers only */
	assert_false(session_choose(x->s, SESSION_MAX_CHOICES, INPUT_TOUCH));
	assert_false(session_choose(x->s, -1, INPUT_TOUCH));
	assert_int_equal(n_selected(view(x)), 1);
	assert_true(session_choose(x->s, MUSIC, INPUT_TOUCH));
	assert_int_equal(n_selected(view(x)), 0);
	assert_int_equal(x->rec.n_answers, 1);

	/* Done with nothing chosen is a skip. */
	advance(x, 50);
	assert_true(session_done(x->s, INPUT_TOUCH));
	assert_on(x, Q_FOOD);
	assert_int_equal(x->rec.n_answers, 2);
	assert_int_equal(x->rec.answers[1].r.kind, ANSWER_SKIPPED);
	assert_int_equal(x->rec.answers[1].r.n_chosen, 0);
	assert_int_equal(x->rec.answers[1].r.time_taken_ms, 50);

	/* Done means nothing on a single-choice question. */
	assert_false(session_done(x->s, INPUT_TOUCH));
	assert_on(x, Q_FOOD);
	assert_int_equal(x->rec.n_answers, 2);
}

static void
test_idle_still_there_then_back(void **state)
{
	fx *x = *state;
	assert_true(session_start(x->s));
	assert_true(session_choose(x->s, SAD, INPUT_TOUCH));
	int64_t shown = x->clk.mono;
	advance(x, 10);
	assert_true(session_choose(x->s, ADULT, INPUT_TOUCH));
	assert_true(session_choose(x->s, PET, INPUT_TOUCH));
	int64_t last_input = x->clk.mono;
	assert_int_equal(session_next_deadline(x->s), last_input + 60000);

	advance(x, 59999);
	assert_false(session_tick(x->s));
	assert_on(x, Q_HELP);
	advance(x, 1);
	assert_true(session_tick(x->s));
	assert_false(session_tick(x->s));   /* idempotent */
	const session_view *v = view(x);
	assert_int_equal(v->screen, SCREEN_STILL_THERE);
	assert_ptr_equal(v->question, &x->f->questions[Q_HELP]);
	assert_int_equal(v->still_there_left_ms, 30000);
	assert_int_equal(session_next_deadline(x->s), last_input + 90000);

	advance(x, 400);   /* 29.6 s still shows as 30 */
	assert_false(session_tick(x->s));
	assert_int_equal(view(x)->still_there_left_ms, 29600);
	advance(x, 9600);
	assert_true(session_tick(x->s));    /* the countdown moved on a second */
	assert_int_equal(view(x)->still_there_left_ms, 20000);

	assert_true(session_activity(x->s));
	assert_on(x, Q_HELP);
	assert_true(view(x)->selected[ADULT]);
	assert_true(view(x)->selected[PET]);
	assert_int_equal(n_selected(view(x)), 2);
	assert_int_equal(view(x)->still_there_left_ms, 0);
	assert_int_equal(session_next_deadline(x->s), x->clk.mono + 60000);
	assert_false(session_activity(x->s));   /* already on the question */
	assert_false(session_tick(x->s));

	/* Time taken runs from when the question appeared. */
	advance(x, 5);
	assert_true(session_done(x->s, INPUT_TOUCH));
	assert_int_equal(x->rec.n_answers, 2);
	assert_int_equal(x->rec.answers[1].r.time_taken_ms, x->clk.mono - shown);
	assert_int_equal(x->rec.n_ends, 0);
}

static void
test_still_there_any_input_returns(void **state)
{
	fx *x = *state;
	assert_true(session_start(x->s));
	advance(x, 60000);
	assert_true(session_tick(x->s));
	assert_int_equal(view(x)->screen, SCREEN_STILL_THERE);
	/* The question was not on screen: the tap only brings it back. */
	assert_true(session_choose(x->s, HAPPY, INPUT_TOUCH));
	assert_on(x, Q_MOOD);
	assert_int_equal(x->rec.n_answers, 0);
	advance(x, 60000);
	assert_true(session_tick(x->s));
	assert_true(session_skip(x->s, INPUT_TOUCH));
	assert_on(x, Q_MOOD);
	assert_int_equal(x->rec.n_answers, 0);
	assert_int_equal(x->rec.n_ends, 0);
}

static void
test_walk_away(void **state)
{
	fx *x = *state;
	assert_true(session_start(x->s));
	char first_id[37];
	memcpy(first_id, view(x)->session_id, sizeof first_id);
	assert_true(session_choose(x->s, SAD, INPUT_TOUCH));
	assert_true(session_choose(x->s, ADULT, INPUT_TOUCH));
	int64_t t = x->clk.mono;

	advance(x, 60000);
	assert_true(session_tick(x->s));
	assert_int_equal(view(x)->screen, SCREEN_STILL_THERE);
	advance(x, 29999);
	assert_true(session_tick(x->s));    /* the countdown shows 1 s */
	assert_int_equal(view(x)->still_there_left_ms, 1);
	assert_int_equal(view(x)->screen, SCREEN_STILL_THERE);
	advance(x, 1);
	assert_true(session_tick(x->s));

	assert_int_equal(x->rec.n_ends, 1);
	assert_string_equal(x->rec.ends[0].id, first_id);
	assert_int_equal(x->rec.ends[0].status, SESSION_UNFINISHED);
	assert_int_equal(x->rec.ends[0].ended_wall_ms, T0_WALL + (t - T0_MONO) + 90000);
	assert_int_equal(view(x)->screen, SCREEN_RESETTING);
	assert_view_empty(x);
	assert_int_equal(session_next_deadline(x->s), INT64_MAX);

	/* Nothing moves until the store says it has everything. */
	advance(x, 1000000);
	assert_false(session_tick(x->s));
	assert_false(session_start(x->s));
	assert_false(session_activity(x->s));
	assert_false(session_back(x->s));
	assert_int_equal(view(x)->screen, SCREEN_RESETTING);
	session_persisted(x->s);
	assert_int_equal(view(x)->screen, SCREEN_WELCOME);
	assert_view_empty(x);
	assert_int_equal(x->rec.n_begins, 1);
	assert_int_equal(x->rec.n_ends, 1);

	/* The next person: new id, seq from 1, nothing of the last one shown. */
	assert_true(session_start(x->s));
	assert_int_equal(x->rec.n_begins, 2);
	assert_true(is_uuid4(x->rec.begins[1].id));
	assert_string_not_equal(x->rec.begins[1].id, first_id);
	assert_false(view(x)->can_back);
	assert_int_equal(n_selected(view(x)), 0);
	assert_true(session_choose(x->s, SAD, INPUT_TOUCH));
	assert_on(x, Q_HELP);
	assert_int_equal(n_selected(view(x)), 0);   /* the last person's adult is gone */
	assert_int_equal(x->rec.n_answers, 2);
	assert_int_equal(x->rec.answers[1].r.seq, 1);
	assert_string_equal(x->rec.answers[1].id, x->rec.begins[1].id);
	assert_int_equal(view(x)->question_number, 2);
}

static void
test_walk_away_one_big_jump(void **state)
{
	fx *x = *state;
	assert_true(session_start(x->s));
	assert_true(session_choose(x->s, OKAY, INPUT_TOUCH));
	advance(x, 10LL * 3600 * 1000);   /* the machine slept for hours */
	assert_true(session_tick(x->s));
	assert_int_equal(x->rec.n_ends, 1);
	assert_int_equal(x->rec.ends[0].status, SESSION_UNFINISHED);
	assert_int_equal(view(x)->screen, SCREEN_RESETTING);
	assert_false(session_tick(x->s));
	assert_int_equal(x->rec.n_ends, 1);
}

static void
test_walk_away_store_already_done(void **state)
{
	fx *x = *state;
	x->rec.persist_in_end = x->s;
	assert_true(session_start(x->s));
	advance(x, 90000);
	assert_true(session_tick(x->s));
	assert_int_equal(x->rec.n_ends, 1);
	assert_int_equal(view(x)->screen, SCREEN_WELCOME);
	assert_view_empty(x);
	assert_int_equal(session_next_deadline(x->s), INT64_MAX);
}

static void
test_thanks_waits_for_persisted(void **state)
{
	fx *x = *state;
	assert_true(session_start(x->s));
	session_persisted(x->s);   /* before the end: does not count */
	assert_true(session_choose(x->s, HAPPY, INPUT_TOUCH));
	assert_int_equal(view(x)->screen, SCREEN_THANKS);
	assert_int_equal(session_next_deadline(x->s), INT64_MAX);
	advance(x, 9000);
	assert_false(session_tick(x->s));
	assert_int_equal(view(x)->screen, SCREEN_THANKS);
	session_persisted(x->s);   /* late, time is up: goes at once */
	assert_int_equal(view(x)->screen, SCREEN_WELCOME);
	assert_int_equal(session_next_deadline(x->s), INT64_MAX);

	/* Persisted early: thanks lasts its full time. */
	assert_true(session_start(x->s));
	assert_true(session_choose(x->s, HAPPY, INPUT_TOUCH));
	int64_t end = x->clk.mono;
	advance(x, 1000);
	session_persisted(x->s);
	assert_int_equal(view(x)->screen, SCREEN_THANKS);
	assert_int_equal(session_next_deadline(x->s), end + 8000);
	advance(x, 6999);
	assert_false(session_tick(x->s));
	assert_int_equal(view(x)->screen, SCREEN_THANKS);
	advance(x, 1);
	assert_true(session_tick(x->s));
	assert_int_equal(view(x)->screen, SCREEN_WELCOME);
	assert_int_equal(x->rec.n_ends, 2);
}

static void
test_finish_now(void **state)
{
	fx *x = *state;
	assert_true(session_start(x->s));
	assert_false(session_finish_now(x->s));   /* not on thanks */
	assert_true(session_choose(x->s, HAPPY, INPUT_TOUCH));
	assert_true(session_finish_now(x->s));
	assert_int_equal(view(x)->screen, SCREEN_RESETTING);
	assert_false(session_finish_now(x->s));
	session_persisted(x->s);
	assert_int_equal(view(x)->screen, SCREEN_WELCOME);

	assert_true(session_start(x->s));
	assert_true(session_choose(x->s, HAPPY, INPUT_TOUCH));
	session_persisted(x->s);
	assert_int_equal(view(x)->screen, SCREEN_THANKS);
	assert_true(session_finish_now(x->s));
	assert_int_equal(view(x)->screen, SCREEN_WELCOME);
}

static void
test_next_deadline_stages(void **state)
{
	fx *x = *state;
	x->timing.idle_ms = 5000;
	x->timing.still_there_ms = 20000;
	x->timing.thanks_ms = 3000;
	session_sink sink = { on_begin, on_answer, on_end, &x->rec };
	session_destroy(x->s);
	x->s = session_create(x->f, &x->timing, &x->clk.clock, sink);
	assert_non_null(x->s);

	assert_int_equal(session_next_deadline(x->s), INT64_MAX);
	int64_t t = x->clk.mono;
	assert_true(session_start(x->s));
	assert_int_equal(session_next_deadline(x->s), t + 5000);
	advance(x, 2000);
	assert_false(session_activity(x->s));
	assert_int_equal(session_next_deadline(x->s), t + 7000);
	advance(x, 1000);
	assert_true(session_choose(x->s, OKAY, INPUT_TOUCH));
	assert_int_equal(session_next_deadline(x->s), t + 8000);
	advance(x, 1000);
	assert_false(session_choose(x->s, 7, INPUT_TOUCH));  /* still activity */
	assert_int_equal(session_next_deadline(x->s), t + 9000);
	advance(x, 6000);
	assert_true(session_tick(x->s));
	assert_int_equal(view(x)->screen, SCREEN_STILL_THERE);
	assert_int_equal(session_next_deadline(x->s), t + 29000);
	assert_int_equal(view(x)->still_there_left_ms, 19000);
	assert_true(session_activity(x->s));
	assert_int_equal(session_next_deadline(x->s), x->clk.mono + 5000);
	assert_true(session_choose(x->s, YES, INPUT_TOUCH));
	assert_true(session_skip(x->s, INPUT_TOUCH));
	assert_true(session_skip(x->s, INPUT_TOUCH));
	t = x->clk.mono;
	assert_true(session_skip(x->s, INPUT_TOUCH));
	assert_int_equal(view(x)->screen, SCREEN_THANKS);
	assert_int_equal(session_next_deadline(x->s), INT64_MAX);
	session_persisted(x->s);
	assert_int_equal(session_next_deadline(x->s), t + 3000);
	advance(x, 3000);
	assert_true(session_tick(x->s));
	assert_int_equal(session_next_deadline(x->s), INT64_MAX);
}

static void
test_progress_numbers(void **state)
{
	fx *x = *state;
	assert_true(session_start(x->s));
	int q = 0;
	while (view(x)->screen == SCREEN_QUESTION) {
		assert_int_equal(view(x)->question_number, q + 1);
		assert_int_equal(view(x)->question_total, 5);
		assert_true(session_skip(x->s, INPUT_TOUCH));
		q++;
	}
	assert_int_equal(q, 5);
	assert_int_equal(x->rec.n_answers, 5);
	assert_int_equal(x->rec.answers[4].r.seq, 5);
}

static void
test_wrong_screen_and_out_of_range(void **state)
{
	fx *x = *state;
	/* Welcome: only start does anything. */
	assert_false(session_choose(x->s, 0, INPUT_TOUCH));
	assert_false(session_done(x->s, INPUT_TOUCH));
	assert_false(session_skip(x->s, INPUT_TOUCH));
	assert_false(session_decline(x->s, INPUT_TOUCH));
	assert_false(session_back(x->s));
	assert_false(session_finish_now(x->s));
	assert_false(session_activity(x->s));
	assert_false(session_tick(x->s));
	session_persisted(x->s);
	assert_int_equal(view(x)->screen, SCREEN_WELCOME);
	assert_int_equal(x->rec.n_begins + x->rec.n_answers + x->rec.n_ends, 0);

	/* A question: out-of-range choices and a second start are ignored. */
	assert_true(session_start(x->s));
	assert_false(session_start(x->s));
	assert_false(session_choose(x->s, 3, INPUT_TOUCH));
	assert_false(session_choose(x->s, -1, INPUT_TOUCH));
	assert_false(session_choose(x->s, 1000, INPUT_TOUCH));
	assert_false(session_done(x->s, INPUT_TOUCH));
	assert_on(x, Q_MOOD);
	assert_int_equal(n_selected(view(x)), 0);
	assert_int_equal(x->rec.n_begins, 1);
	assert_int_equal(x->rec.n_answers, 0);

	/* Thank you: answering is over. */
	assert_true(session_choose(x->s, HAPPY, INPUT_TOUCH));
	assert_false(session_choose(x->s, 0, INPUT_TOUCH));
	assert_false(session_done(x->s, INPUT_TOUCH));
	assert_false(session_skip(x->s, INPUT_TOUCH));
	assert_false(session_decline(x->s, INPUT_TOUCH));
	assert_false(session_back(x->s));
	assert_false(session_start(x->s));
	assert_false(session_activity(x->s));
	assert_int_equal(view(x)->screen, SCREEN_THANKS);
	assert_int_equal(x->rec.n_begins, 1);
	assert_int_equal(x->rec.n_answers, 1);
	assert_int_equal(x->rec.n_ends, 1);

	/* NULL is harmless everywhere. */
	assert_false(session_start(NULL));
	assert_false(session_choose(NULL, 0, INPUT_TOUCH));
	assert_false(session_done(NULL, INPUT_TOUCH));
	assert_false(session_skip(NULL, INPUT_TOUCH));
	assert_false(session_decline(NULL, INPUT_TOUCH));
	assert_false(session_back(NULL));
	assert_false(session_finish_now(NULL));
	assert_false(session_activity(NULL));
	assert_false(session_tick(NULL));
	assert_int_equal(session_next_deadline(NULL), INT64_MAX);
	assert_null(session_get_view(NULL));
	session_persisted(NULL);
	session_set_language(NULL, "en");
	session_set_presentation(NULL, PRES_EASY_READ);
}

static void
test_language_and_presentation(void **state)
{
	fx *x = *state;
	session_set_language(x->s, "pl");
	session_set_presentation(x->s, PRES_EASY_READ);
	assert_string_equal(view(x)->language, "pl");
	assert_int_equal(view(x)->presentation, PRES_EASY_READ);
	assert_true(session_start(x->s));
	assert_string_equal(x->rec.begins[0].language, "pl");
	assert_string_equal(x->rec.begins[0].presentation, "easy-read");
	assert_string_equal(view(x)->language, "pl");

	/* Back to the defaults; the flow's own presentation wins over ours. */
	session_set_language(x->s, NULL);
	session_set_presentation(x->s, PRES_COUNT);
	assert_string_equal(view(x)->language, "en");
	assert_int_equal(view(x)->presentation, PRES_LARGE_SYMBOL);
	x->f->has_presentation = true;
	x->f->presentation = PRES_EASY_READ;
	assert_true(session_choose(x->s, HAPPY, INPUT_TOUCH));
	session_finish_now(x->s);
	session_persisted(x->s);
	assert_true(session_start(x->s));
	assert_string_equal(x->rec.begins[1].language, "en");
	assert_string_equal(x->rec.begins[1].presentation, "easy-read");
}

static void
test_empty_flow(void **state)
{
	(void)state;
	flow *f = tf_new();
	tl_fake_clock clk;
	tl_fake_clock_init(&clk, 5, 5);
	recorder *rc = calloc(1, sizeof *rc);
	assert_non_null(rc);
	session_sink sink = { on_begin, on_answer, on_end, rc };
	session *s = session_create(f, NULL, &clk.clock, sink);
	assert_non_null(s);
	assert_true(session_start(s));
	assert_int_equal(rc->n_begins, 1);
	assert_int_equal(rc->n_ends, 1);
	assert_int_equal(rc->ends[0].status, SESSION_COMPLETED);
	assert_int_equal(session_get_view(s)->screen, SCREEN_THANKS);
	assert_false(session_skip(s, INPUT_TOUCH));
	session_destroy(s);
	free(rc);
	tf_free(f);
}

/* A flow naming its audience: Start shows them first (the session has
 * begun), Carry on goes to the first question, and a walk-away there ends
 * the session unfinished after a question's wait and its "still there?",
 * which is shown over it. */
static void
test_audience_first(void **state)
{
	fx *x = *state;
	flow_person sam = { .name = "Sam" };
	x->f->audience = &sam;
	x->f->n_audience = 1;
	assert_true(session_start(x->s));
	const session_view *v = session_get_view(x->s);
	assert_int_equal(v->screen, SCREEN_AUDIENCE);
	assert_null(v->question);
	assert_int_equal(x->rec.n_begins, 1);
	assert_false(session_choose(x->s, HAPPY, INPUT_TOUCH));   /* no question yet */
	assert_false(session_finish_early(x->s, INPUT_TOUCH));
	int64_t wait = x->timing.idle_ms + x->timing.still_there_ms;
	assert_int_equal(session_next_deadline(x->s), x->clk.mono + x->timing.idle_ms);
	/* Input keeps it: a person still reading. */
	advance(x, x->timing.idle_ms - 1);
	assert_false(session_tick(x->s));
	session_activity(x->s);
	advance(x, x->timing.idle_ms - 1);
	assert_false(session_tick(x->s));
	assert_int_equal(session_get_view(x->s)->screen, SCREEN_AUDIENCE);
	/* A quiet while asks "still there?" over it, as over a question (no
	 * turn ends without the warning), and "yes" brings the audience back,
	 * not a question. */
	advance(x, 1);
	assert_true(session_tick(x->s));
	v = session_get_view(x->s);
	assert_int_equal(v->screen, SCREEN_STILL_THERE);
	assert_null(v->question);
	assert_int_equal(v->still_there_left_ms, x->timing.still_there_ms);
	(void)session_choose(x->s, HAPPY, INPUT_TOUCH);   /* any input: "yes, I am here" */
	assert_int_equal(session_get_view(x->s)->screen, SCREEN_AUDIENCE);
	assert_int_equal(x->rec.n_answers, 0);
	assert_int_equal(x->rec.n_ends, 0);
	assert_true(session_carry_on(x->s));
	v = session_get_view(x->s);
	assert_int_equal(v->screen, SCREEN_QUESTION);
	assert_int_equal(v->question_index, Q_MOOD);
	assert_false(session_carry_on(x->s));   /* only on the audience screen */
	assert_true(session_choose(x->s, HAPPY, INPUT_TOUCH));
	assert_int_equal(x->rec.n_answers, 1);
	assert_int_equal(x->rec.n_ends, 1);
	assert_int_equal(x->rec.ends[0].status, SESSION_COMPLETED);
	session_persisted(x->s);
	assert_true(session_finish_now(x->s));
	/* The next person walks away on it: warned, then ended unfinished. */
	assert_true(session_start(x->s));
	assert_int_equal(session_get_view(x->s)->screen, SCREEN_AUDIENCE);
	advance(x, x->timing.idle_ms);
	assert_true(session_tick(x->s));
	assert_int_equal(session_get_view(x->s)->screen, SCREEN_STILL_THERE);
	assert_int_equal(x->rec.n_ends, 1);
	advance(x, wait - x->timing.idle_ms);
	assert_true(session_tick(x->s));
	assert_int_equal(x->rec.n_ends, 2);
	assert_int_equal(x->rec.ends[1].status, SESSION_UNFINISHED);
	assert_int_equal(x->rec.n_answers, 1);
	/* And staff taking over ends one there too. */
	session_persisted(x->s);
	assert_int_equal(session_get_view(x->s)->screen, SCREEN_WELCOME);
	assert_true(session_start(x->s));
	assert_true(session_end_unfinished(x->s));
	assert_int_equal(x->rec.ends[2].status, SESSION_UNFINISHED);
	x->f->audience = NULL;
	x->f->n_audience = 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_create_bad_args),
		cmocka_unit_test(test_empty_flow),
		cmocka_unit_test_setup_teardown(test_complete_flow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rule_goto_end, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rule_first_match_wins_and_choose_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rule_backwards_or_bad_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skip_and_decline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_back_and_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_choose_many_toggle_and_done, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idle_still_there_then_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_still_there_any_input_returns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walk_away, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walk_away_one_big_jump, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walk_away_store_already_done, setup, teardown),
		cmocka_unit_test_setup_teardown(test_thanks_waits_for_persisted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_finish_now, setup, teardown),
		cmocka_unit_test_setup_teardown(test_next_deadline_stages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_progress_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_screen_and_out_of_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_language_and_presentation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audience_first, setup, teardown),
	};
	return cmocka_run_group_tests_name("session", tests, NULL, NULL);
}
