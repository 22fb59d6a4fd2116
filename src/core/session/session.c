/*
 * session: the state machine of one person's pass through a flow and of the
 * kiosk screens around it.
 *
 * What it promises:
 * - Everything said leaves through the sink at once and in order: begin, then
 *   answers numbered 1, 2, 3..., then exactly one end. Nothing is ever taken
 *   back: going back and answering again adds a row with the next seq.
 * - When a session ends (finished or walked away from) nothing of that person
 *   stays in the machine or its view: no selections, no path, no session id.
 * - Welcome never returns before session_persisted() has been called after
 *   the end, so a power cut cannot lose what the last person said while the
 *   screen already invites the next one.
 * - Time only comes from the injected clock; session_tick is idempotent and
 *   copes with any jump forward (a stalled UI, a suspended machine).
 * - Any input function counts as activity. On "still there?" any input just
 *   brings the question back (the question was not on screen, so nothing else
 *   the call asks for is done).
 * - A skip rule that points backwards or outside the flow is ignored (the
 *   default next applies), so even an unchecked flow always ends and the path
 *   never holds more entries than the flow has questions.
 *
 * Never prints, never exits, never allocates after session_create except to
 * copy a language code.
 */
#include "session/session.h"
#include "base/utf8.h"

#include <stdlib.h>
#include <string.h>

const char *
answer_kind_name(enum answer_kind k)
{
	static const char *const names[] = {
		[ANSWER_CHOSEN] = "chosen",
		[ANSWER_SKIPPED] = "skipped",
		[ANSWER_DECLINED] = "declined",
	};
	if ((unsigned)k >= sizeof names / sizeof names[0])
		return "unknown";
	return names[k];
}

const char *
session_status_name(enum session_status st)
{
	static const char *const names[] = {
		[SESSION_IN_PROGRESS] = "in_progress",
		[SESSION_COMPLETED] = "completed",
		[SESSION_UNFINISHED] = "unfinished",
		[SESSION_COMPLETED_EARLY] = "completed_early",
	};
	if ((unsigned)st >= sizeof names / sizeof names[0])
		return "unknown";
	return names[st];
}

const char *
input_method_name(enum input_method m)
{
	static const char *const names[INPUT_COUNT] = {
		[INPUT_TOUCH] = "touch",
		[INPUT_MOUSE] = "mouse",
		[INPUT_KEYBOARD] = "keyboard",
		[INPUT_SWITCH] = "switch",
		[INPUT_DWELL] = "dwell",
	};
	if ((unsigned)m >= INPUT_COUNT)
		return "unknown";
	return names[m];
}

void
session_timing_default(session_timing *t)
{
	if (!t)
		return;
	t->idle_ms = 60000;
	t->still_there_ms = 30000;
	t->thanks_ms = 8000;
}

/*
 * The same names as presentation_name() in flow.c. Kept here so that the
 * session machine links and is tested on its own, without the YAML parser.
 */
static const char *
pres_name(enum presentation p)
{
	static const char *const names[PRES_COUNT] = {
		[PRES_LARGE_SYMBOL] = "large-symbol",
		[PRES_EASY_READ] = "easy-read",
		[PRES_TEXT_FIRST] = "text-first",
	};
	if ((unsigned)p >= PRES_COUNT)
		return names[PRES_LARGE_SYMBOL];
	return names[p];
}

/* What this person last answered at one question, to show it after back. */
typedef struct last_answer {
	bool given;
	bool sel[SESSION_MAX_CHOICES];
	int col[SESSION_MAX_CHOICES], stamp[SESSION_MAX_CHOICES];
	char text[SESSION_TEXT_BYTES];   /* a text question's words */
} last_answer;

struct session {
	const flow *flow;
	session_timing timing;
	const tl_clock *clock;
	session_sink sink;

	char *lang;               /* NULL: the flow's first language */
	bool pres_set;
	enum presentation pres;

	enum screen_id screen;

	/* Per person: all of this is wiped when a session ends. */
	char id[37];
	int seq;
	int cur;                  /* current question index */
	int *path;                /* questions answered before cur, in order */
	int depth;
	last_answer *last;        /* one per question */
	bool sel[SESSION_MAX_CHOICES];
	/* sort: each picture's column (-1 off the mat) and when it was put
	 * there (its place in the column follows), the picture held (-1) */
	int col[SESSION_MAX_CHOICES], stamp[SESSION_MAX_CHOICES];
	int next_stamp, held;
	/* text: the words typed so far (UTF-8, NUL-terminated), and how many
	 * characters (code points) that is */
	char text[SESSION_TEXT_BYTES];
	size_t text_len;
	int text_chars;
	int64_t shown_mono;       /* when cur last appeared */

	/* Timers (monotonic ms). */
	int64_t activity_mono;    /* idle timer base on QUESTION */
	int64_t still_mono;       /* when "still there?" (should have) appeared */
	bool still_from_audience; /* that "still there?" came over the audience screen */
	int64_t thanks_mono;      /* when the thank-you screen appeared */
	bool persisted;           /* session_persisted since the last end */
	int64_t shown_secs;       /* countdown seconds last put in the view */

	session_view view;
};

static int64_t now_mono(const session *s) { return tl_mono(s->clock); }
static int64_t now_wall(const session *s) { return tl_wall(s->clock); }

static int
n_questions(const session *s)
{
	return (int)s->flow->n_questions;
}

/* Answers a person can pick: the view has room for SESSION_MAX_CHOICES. */
static int
n_choices(const flow_question *q)
{
	return q->n_answers < SESSION_MAX_CHOICES ? (int)q->n_answers
	                                          : SESSION_MAX_CHOICES;
}

static const char *
cur_language(const session *s)
{
	if (s->lang)
		return s->lang;
	if (s->flow->n_languages > 0 && s->flow->languages && s->flow->languages[0])
		return s->flow->languages[0];
	return "";
}

static enum presentation
cur_presentation(const session *s)
{
	if (s->pres_set)
		return s->pres;
	return s->flow->has_presentation ? s->flow->presentation : PRES_LARGE_SYMBOL;
}

static bool
on_question_screen(const session *s)
{
	return s->screen == SCREEN_QUESTION ||
	       (s->screen == SCREEN_STILL_THERE && !s->still_from_audience);
}

static int64_t
still_left(const session *s, int64_t now)
{
	int64_t left = s->still_mono + s->timing.still_there_ms - now;
	return left > 0 ? left : 0;
}

/* Whole seconds a countdown would show, rounding up so 0 means "over". */
static int64_t
secs_of(int64_t ms)
{
	return (ms + 999) / 1000;
}

/* Rebuilds the view from the state; called after every change. */
static void
refresh_view(session *s)
{
	session_view *v = &s->view;
	memset(v, 0, sizeof *v);
	v->screen = s->screen;
	v->language = cur_language(s);
	v->presentation = cur_presentation(s);
	v->question_index = -1;
	v->session_id = s->id;
	if (on_question_screen(s)) {
		v->question = &s->flow->questions[s->cur];
		v->question_index = s->cur;
		v->question_number = s->depth + 1;
		v->question_total = v->question_number + (n_questions(s) - 1 - s->cur);
		memcpy(v->selected, s->sel, sizeof v->selected);
		memcpy(v->column, s->col, sizeof v->column);
		for (int i = 0; i < SESSION_MAX_CHOICES; i++) {
			v->place[i] = 0;
			for (int j = 0; j < SESSION_MAX_CHOICES; j++)
				v->place[i] += j != i && s->col[i] >= 0 && s->col[j] == s->col[i] &&
				               s->stamp[j] < s->stamp[i];
		}
		v->held = s->held;
		v->text = s->text;
		v->text_chars = s->text_chars;
		v->text_max = v->question->type == QT_TEXT ? v->question->max_length : 0;
		v->can_back = s->depth > 0;
	} else {
		v->held = -1;
		for (int i = 0; i < SESSION_MAX_CHOICES; i++)
			v->column[i] = -1;
		v->text = "";
		v->text_chars = v->text_max = 0;
	}
	if (s->screen == SCREEN_STILL_THERE)
		v->still_there_left_ms = still_left(s, now_mono(s));
	s->shown_secs = secs_of(v->still_there_left_ms);
}

/* An empty sort mat: every picture off it, none held. */
static void
mat_clear(session *s)
{
	for (int i = 0; i < SESSION_MAX_CHOICES; i++) {
		s->col[i] = -1;
		s->stamp[i] = 0;
	}
	s->next_stamp = 1;
	s->held = -1;
}

/* Nothing typed. */
static void
text_clear(session *s)
{
	memset(s->text, 0, sizeof s->text);
	s->text_len = 0;
	s->text_chars = 0;
}

/* Code points in the valid UTF-8 string t. */
static int
utf8_chars(const char *t)
{
	int n = 0;
	for (const unsigned char *p = (const unsigned char *)t; *p; p++)
		n += (*p & 0xC0) != 0x80;
	return n;
}

/* Forgets everything about the person who was here. */
static void
clear_person(session *s)
{
	s->id[0] = '\0';
	s->seq = 0;
	s->cur = 0;
	s->depth = 0;
	memset(s->sel, 0, sizeof s->sel);
	mat_clear(s);
	text_clear(s);
	memset(s->last, 0, sizeof *s->last * (size_t)(n_questions(s) > 0 ? n_questions(s) : 1));
	s->shown_mono = 0;
}

session *
session_create(const flow *f, const session_timing *t, const tl_clock *clock,
               session_sink sink)
{
	if (!f || !clock || (f->n_questions > 0 && !f->questions) ||
	    f->n_questions > (size_t)INT32_MAX - 1)
		return NULL;
	session *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	size_t n = f->n_questions > 0 ? f->n_questions : 1;
	s->path = calloc(n, sizeof *s->path);
	s->last = calloc(n, sizeof *s->last);
	if (!s->path || !s->last) {
		session_destroy(s);
		return NULL;
	}
	s->flow = f;
	if (t)
		s->timing = *t;
	else
		session_timing_default(&s->timing);
	/* Negative durations would make deadlines lie in the past forever. */
	if (s->timing.idle_ms < 0) s->timing.idle_ms = 0;
	if (s->timing.still_there_ms < 0) s->timing.still_there_ms = 0;
	if (s->timing.thanks_ms < 0) s->timing.thanks_ms = 0;
	s->clock = clock;
	s->sink = sink;
	s->screen = SCREEN_WELCOME;
	mat_clear(s);
	refresh_view(s);
	return s;
}

void
session_destroy(session *s)
{
	if (!s)
		return;
	free(s->lang);
	free(s->last);
	free(s->path);
	free(s);
}

void
session_set_language(session *s, const char *lang)
{
	if (!s)
		return;
	char *copy = NULL;
	if (lang && *lang) {
		copy = tl_strdup(lang);
		if (!copy)
			return;   /* keep the old language rather than show none */
	}
	free(s->lang);
	s->lang = copy;
	refresh_view(s);
}

void
session_set_presentation(session *s, enum presentation p)
{
	if (!s)
		return;
	/* Out of range means "back to the default". */
	s->pres_set = (unsigned)p < PRES_COUNT;
	s->pres = s->pres_set ? p : PRES_LARGE_SYMBOL;
	refresh_view(s);
}

/* Puts question q on screen, showing what was answered there last time. */
static void
show_question(session *s, int q)
{
	s->cur = q;
	s->screen = SCREEN_QUESTION;
	mat_clear(s);
	text_clear(s);
	if (s->last[q].given) {
		memcpy(s->sel, s->last[q].sel, sizeof s->sel);
		memcpy(s->text, s->last[q].text, sizeof s->text);
		s->text[sizeof s->text - 1] = '\0';
		s->text_len = strlen(s->text);
		s->text_chars = utf8_chars(s->text);
		memcpy(s->col, s->last[q].col, sizeof s->col);
		memcpy(s->stamp, s->last[q].stamp, sizeof s->stamp);
		for (int i = 0; i < SESSION_MAX_CHOICES; i++)
			if (s->stamp[i] >= s->next_stamp)
				s->next_stamp = s->stamp[i] + 1;
	} else {
		memset(s->sel, 0, sizeof s->sel);
	}
	int64_t now = now_mono(s);
	s->shown_mono = now;
	s->activity_mono = now;
}

/* The session ends: the screen is set and the person forgotten before the
 * sink hears of it, so a sink that persists at once (and calls
 * session_persisted from inside end) finds the machine ready to move on. */
static void
end_session(session *s, enum session_status status)
{
	session_end_rec r = {0};
	char id[37];
	memcpy(id, s->id, sizeof id);
	r.session_id = id;
	r.status = status;
	r.ended_wall_ms = now_wall(s);

	clear_person(s);
	s->still_from_audience = false;
	s->persisted = false;
	if (status == SESSION_COMPLETED || status == SESSION_COMPLETED_EARLY) {
		s->screen = SCREEN_THANKS;
		s->thanks_mono = now_mono(s);
	} else {
		s->screen = SCREEN_RESETTING;
	}
	refresh_view(s);
	if (s->sink.end)
		s->sink.end(s->sink.ud, &r);
	refresh_view(s);
}

/* Where a person goes after question cur; -1 is the end. Rules are only
 * consulted for a chosen answer, and only forward jumps count. */
static int
next_index(const session *s, const bool *chosen)
{
	const flow_question *q = &s->flow->questions[s->cur];
	if (chosen && q->rules) {
		for (size_t r = 0; r < q->n_rules; r++) {
			const flow_rule *rule = &q->rules[r];
			if (!rule->if_answer)
				continue;
			bool hit = false;
			for (int a = 0; a < n_choices(q) && !hit; a++)
				hit = chosen[a] && q->answers[a].id &&
				      strcmp(q->answers[a].id, rule->if_answer) == 0;
			if (!hit)
				continue;
			if (rule->goto_index == -1)
				return -1;
			if (rule->goto_index > s->cur && rule->goto_index < n_questions(s))
				return rule->goto_index;
		}
	}
	return s->cur + 1 < n_questions(s) ? s->cur + 1 : -1;
}

/* Stores an answer to the current question and moves on. chosen is NULL
 * for skipped and declined. */
/* What a text or drawing answer carries besides its kind (NULLs: none). */
typedef struct made_answer {
	const char *text;
	const void *png;
	size_t png_len;
} made_answer;

static void
record_made(session *s, enum answer_kind kind, const bool *chosen, const made_answer *made,
            enum input_method method);

static void
record_and_advance(session *s, enum answer_kind kind, const bool *chosen,
                   enum input_method method)
{
	record_made(s, kind, chosen, NULL, method);
}

static void
record_made(session *s, enum answer_kind kind, const bool *chosen, const made_answer *made,
            enum input_method method)
{
	const flow_question *q = &s->flow->questions[s->cur];
	session_answer_rec r = {0};
	r.session_id = s->id;
	r.seq = ++s->seq;
	r.question = q;
	r.question_index = s->cur;
	r.kind = kind;
	if (chosen && q->type == QT_SORT) {
		/* mat order: column by column, each in the order placed, then
		 * the pictures left off the mat in the flow's order */
		for (int k = 0; k <= (int)q->n_columns; k++) {
			int col = k < (int)q->n_columns ? k : -1;
			for (int st = 0; st < s->next_stamp; st++)
				for (int a = 0; a < n_choices(q); a++)
					if (s->col[a] == col && (col < 0 ? st == 0 : s->stamp[a] == st)) {
						r.column[r.n_chosen] = col;
						r.chosen[r.n_chosen++] = a;
					}
		}
	} else if (chosen) {
		for (int a = 0; a < n_choices(q); a++)
			if (chosen[a])
				r.chosen[r.n_chosen++] = a;
	}
	if (made) {
		r.typed_text = made->text;
		r.drawing_png = made->png;
		r.drawing_len = made->png ? made->png_len : 0;
	}
	r.given_wall_ms = now_wall(s);
	r.time_taken_ms = now_mono(s) - s->shown_mono;
	r.method = method;

	last_answer *la = &s->last[s->cur];
	la->given = true;
	memset(la->sel, 0, sizeof la->sel);
	if (chosen)
		memcpy(la->sel, chosen, sizeof la->sel);
	memcpy(la->col, s->col, sizeof la->col);
	memcpy(la->stamp, s->stamp, sizeof la->stamp);
	if (!chosen || q->type != QT_SORT) {
		for (int i = 0; i < SESSION_MAX_CHOICES; i++)
			la->col[i] = -1;
	}
	/* what was typed stays for Back, even when it was skipped */
	memcpy(la->text, s->text, sizeof la->text);

	/* a sort's pictures are all "chosen": no rule is about one of them */
	int next = next_index(s, q->type == QT_SORT ? NULL : chosen);
	if (s->sink.answer)
		s->sink.answer(s->sink.ud, &r);
	if (next < 0) {
		end_session(s, SESSION_COMPLETED);
		return;
	}
	/* Forward-only jumps keep depth below n_questions; the check guards the
	 * array all the same. */
	if (s->depth < n_questions(s))
		s->path[s->depth++] = s->cur;
	show_question(s, next);
	refresh_view(s);
}

/* Every input is activity. On "still there?" it brings the question back and
 * reports true; the caller then does nothing else. */
static bool
wake(session *s)
{
	if (s->screen == SCREEN_QUESTION || s->screen == SCREEN_AUDIENCE) {
		s->activity_mono = now_mono(s);
		return false;
	}
	if (s->screen == SCREEN_STILL_THERE) {
		s->screen = s->still_from_audience ? SCREEN_AUDIENCE : SCREEN_QUESTION;
		s->still_from_audience = false;
		s->activity_mono = now_mono(s);
		refresh_view(s);
		return true;
	}
	return false;
}

bool
session_activity(session *s)
{
	return s && wake(s);
}

bool
session_start(session *s)
{
	if (!s)
		return false;
	if (s->screen != SCREEN_WELCOME)
		return wake(s);
	clear_person(s);
	tl_uuid4(s->id);
	session_begin_rec r = {0};
	r.session_id = s->id;
	r.flow = s->flow;
	r.language = cur_language(s);
	r.presentation = pres_name(cur_presentation(s));
	r.started_wall_ms = now_wall(s);
	s->persisted = false;
	if (n_questions(s) == 0) {
		/* Nothing to ask: still a session, counted as completed. */
		if (s->sink.begin)
			s->sink.begin(s->sink.ud, &r);
		end_session(s, SESSION_COMPLETED);
		return true;
	}
	if (s->flow->n_audience > 0) {
		/* Who will read the answers, first (the Lundy model's Audience). */
		s->screen = SCREEN_AUDIENCE;
		s->activity_mono = now_mono(s);
	} else {
		show_question(s, 0);
	}
	refresh_view(s);
	if (s->sink.begin)
		s->sink.begin(s->sink.ud, &r);
	return true;
}

bool
session_carry_on(session *s)
{
	if (!s || s->screen != SCREEN_AUDIENCE)
		return false;
	if (n_questions(s) == 0)
		end_session(s, SESSION_COMPLETED);
	else
		show_question(s, 0);
	refresh_view(s);
	return true;
}

bool
session_choose(session *s, int answer_index, enum input_method method)
{
	if (!s || s->screen != SCREEN_QUESTION)
		return s && wake(s);
	wake(s);
	const flow_question *q = &s->flow->questions[s->cur];
	if (answer_index < 0 || answer_index >= n_choices(q))
		return false;
	if (q->type == QT_CHOOSE_MANY) {
		s->sel[answer_index] = !s->sel[answer_index];
		refresh_view(s);
		return true;
	}
	if (q->type == QT_SORT)
		return session_sort_pick(s, answer_index);
	bool chosen[SESSION_MAX_CHOICES] = {0};
	chosen[answer_index] = true;
	record_and_advance(s, ANSWER_CHOSEN, chosen, method);
	return true;
}

bool
session_done(session *s, enum input_method method)
{
	if (!s || s->screen != SCREEN_QUESTION)
		return s && wake(s);
	wake(s);
	const flow_question *q = &s->flow->questions[s->cur];
	if (q->type == QT_SORT) {
		bool placed = false, all[SESSION_MAX_CHOICES];
		for (int a = 0; a < SESSION_MAX_CHOICES; a++) {
			placed = placed || (a < n_choices(q) && s->col[a] >= 0);
			all[a] = a < n_choices(q);
		}
		/* an empty mat is a skip, as an empty choose-many is */
		record_and_advance(s, placed ? ANSWER_CHOSEN : ANSWER_SKIPPED, placed ? all : NULL, method);
		return true;
	}
	if (q->type == QT_TEXT) {
		/* the words without spaces around them; none is a skip */
		size_t b = 0, e = s->text_len;
		while (b < e && s->text[b] == ' ')
			b++;
		while (e > b && s->text[e - 1] == ' ')
			e--;
		char words[SESSION_TEXT_BYTES];
		memcpy(words, s->text + b, e - b);
		words[e - b] = '\0';
		made_answer m = { .text = words };
		record_made(s, e > b ? ANSWER_CHOSEN : ANSWER_SKIPPED, NULL, e > b ? &m : NULL, method);
		return true;
	}
	if (q->type == QT_DRAW) {
		/* Done on a drawing goes through session_done_drawing; here
		 * there is no picture, which is a skip */
		record_and_advance(s, ANSWER_SKIPPED, NULL, method);
		return true;
	}
	if (q->type != QT_CHOOSE_MANY)
		return false;
	bool any = false;
	for (int a = 0; a < n_choices(q); a++)
		any = any || s->sel[a];
	/* Done with nothing chosen is what a skip is; it follows the default. */
	if (!any) {
		record_and_advance(s, ANSWER_SKIPPED, NULL, method);
		return true;
	}
	bool chosen[SESSION_MAX_CHOICES];
	memcpy(chosen, s->sel, sizeof chosen);
	record_and_advance(s, ANSWER_CHOSEN, chosen, method);
	return true;
}

/* The sort question on screen, or NULL (after waking a "still there?"). */
static const flow_question *
sort_question(session *s)
{
	if (!s || s->screen != SCREEN_QUESTION) {
		if (s)
			wake(s);
		return NULL;
	}
	wake(s);
	const flow_question *q = &s->flow->questions[s->cur];
	return q->type == QT_SORT ? q : NULL;
}

bool
session_sort_pick(session *s, int picture)
{
	bool was_still = s && s->screen == SCREEN_STILL_THERE;
	const flow_question *q = sort_question(s);
	if (!q)
		return was_still;
	if (picture < 0 || picture >= n_choices(q))
		return false;
	s->held = s->held == picture ? -1 : picture;
	refresh_view(s);
	return true;
}

bool
session_sort_place(session *s, int column)
{
	bool was_still = s && s->screen == SCREEN_STILL_THERE;
	const flow_question *q = sort_question(s);
	if (!q)
		return was_still;
	if (s->held < 0 || column < -1 || column >= (int)q->n_columns)
		return false;
	s->col[s->held] = column;
	s->stamp[s->held] = column >= 0 ? s->next_stamp++ : 0;
	s->held = -1;
	refresh_view(s);
	return true;
}

bool
session_done_drawing(session *s, const void *png, size_t len, enum input_method method)
{
	if (!s || s->screen != SCREEN_QUESTION)
		return s && wake(s);
	wake(s);
	const flow_question *q = &s->flow->questions[s->cur];
	if (q->type != QT_DRAW)
		return false;
	made_answer m = { .png = png, .png_len = len };
	bool drew = png && len > 0;
	record_made(s, drew ? ANSWER_CHOSEN : ANSWER_SKIPPED, NULL, drew ? &m : NULL, method);
	return true;
}

/* The text question on screen, or NULL (after waking a "still there?"). */
static const flow_question *
text_question(session *s)
{
	if (!s || s->screen != SCREEN_QUESTION) {
		if (s)
			wake(s);
		return NULL;
	}
	wake(s);
	const flow_question *q = &s->flow->questions[s->cur];
	return q->type == QT_TEXT ? q : NULL;
}

/* Characters a person cannot mean to type into an answer: controls (a
 * newline, a tab, escape sequences) and the bidirectional overrides that
 * would make a stored answer read differently from how it was typed. */
static bool
unwanted(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

static uint32_t
decode(const unsigned char *p, size_t n)
{
	if (n == 1)
		return p[0];
	uint32_t cp = p[0] & (0xFF >> (n + 1));
	for (size_t i = 1; i < n; i++)
		cp = (cp << 6) | (p[i] & 0x3F);
	return cp;
}

bool
session_text_type(session *s, const char *utf8)
{
	bool was_still = s && s->screen == SCREEN_STILL_THERE;
	const flow_question *q = text_question(s);
	if (!q || !utf8)
		return was_still;
	bool changed = false;
	const unsigned char *p = (const unsigned char *)utf8;
	size_t left = strlen(utf8);
	while (left > 0 && s->text_chars < q->max_length) {
		size_t n = tl_utf8_seq(p, left);
		if (n == 0)
			break;   /* not UTF-8: nothing after it is trusted either */
		if (!unwanted(decode(p, n)) && s->text_len + n < sizeof s->text) {
			memcpy(s->text + s->text_len, p, n);
			s->text_len += n;
			s->text[s->text_len] = '\0';
			s->text_chars++;
			changed = true;
		}
		p += n;
		left -= n;
	}
	if (changed)
		refresh_view(s);
	return changed || was_still;
}

bool
session_text_delete(session *s)
{
	bool was_still = s && s->screen == SCREEN_STILL_THERE;
	const flow_question *q = text_question(s);
	if (!q || s->text_len == 0)
		return was_still;
	size_t e = s->text_len;
	while (e > 0 && ((unsigned char)s->text[e - 1] & 0xC0) == 0x80)
		e--;
	if (e > 0)
		e--;
	s->text_len = e;
	memset(s->text + e, 0, sizeof s->text - e);
	s->text_chars--;
	refresh_view(s);
	return true;
}

bool
session_skip(session *s, enum input_method method)
{
	if (!s || s->screen != SCREEN_QUESTION)
		return s && wake(s);
	wake(s);
	record_and_advance(s, ANSWER_SKIPPED, NULL, method);
	return true;
}

bool
session_decline(session *s, enum input_method method)
{
	if (!s || s->screen != SCREEN_QUESTION)
		return s && wake(s);
	wake(s);
	record_and_advance(s, ANSWER_DECLINED, NULL, method);
	return true;
}

bool
session_back(session *s)
{
	if (!s || s->screen != SCREEN_QUESTION)
		return s && wake(s);
	wake(s);
	if (s->depth == 0)
		return false;
	show_question(s, s->path[--s->depth]);
	refresh_view(s);
	return true;
}

static bool
thanks_over(const session *s, int64_t now)
{
	return now - s->thanks_mono >= s->timing.thanks_ms;
}

static void
go_welcome(session *s)
{
	s->screen = SCREEN_WELCOME;
	refresh_view(s);
}

bool
session_finish_now(session *s)
{
	if (!s || s->screen != SCREEN_THANKS)
		return s && wake(s);
	s->screen = s->persisted ? SCREEN_WELCOME : SCREEN_RESETTING;
	refresh_view(s);
	return true;
}

bool
session_finish_early(session *s, enum input_method method)
{
	(void)method;
	if (!s || !on_question_screen(s))
		return false;
	end_session(s, SESSION_COMPLETED_EARLY);
	return true;
}

bool
session_set_flow(session *s, const flow *f)
{
	if (!s || !f || s->screen != SCREEN_WELCOME || (f->n_questions > 0 && !f->questions) ||
	    f->n_questions > (size_t)INT32_MAX - 1)
		return false;
	if (f == s->flow)
		return true;
	size_t n = f->n_questions > 0 ? f->n_questions : 1;
	if (f->n_questions > s->flow->n_questions) {
		int *path = realloc(s->path, n * sizeof *path);
		if (path)
			s->path = path;
		last_answer *last = path ? realloc(s->last, n * sizeof *last) : NULL;
		if (!last)
			return false;
		s->last = last;
	}
	memset(s->path, 0, n * sizeof *s->path);
	memset(s->last, 0, n * sizeof *s->last);
	s->flow = f;
	refresh_view(s);
	return true;
}

const flow *
session_flow(const session *s)
{
	return s ? s->flow : NULL;
}

bool
session_end_unfinished(session *s)
{
	if (!s || (s->screen != SCREEN_QUESTION && s->screen != SCREEN_STILL_THERE &&
	           s->screen != SCREEN_AUDIENCE))
		return false;
	end_session(s, SESSION_UNFINISHED);
	return true;
}

void
session_persisted(session *s)
{
	if (!s)
		return;
	s->persisted = true;
	if (s->screen == SCREEN_RESETTING ||
	    (s->screen == SCREEN_THANKS && thanks_over(s, now_mono(s))))
		go_welcome(s);
}

bool
session_tick(session *s)
{
	if (!s)
		return false;
	int64_t now = now_mono(s);
	enum screen_id before = s->screen;
	int64_t secs_before = s->shown_secs;

	if ((s->screen == SCREEN_QUESTION || s->screen == SCREEN_AUDIENCE) &&
	    now - s->activity_mono >= s->timing.idle_ms) {
		/* Dated from when it was due, so one big jump can also run out the
		 * countdown below. Over the audience screen as over a question:
		 * nobody's turn ends without the warning first (WCAG 2.2.1). */
		s->still_from_audience = s->screen == SCREEN_AUDIENCE;
		s->screen = SCREEN_STILL_THERE;
		s->still_mono = s->activity_mono + s->timing.idle_ms;
	}
	if (s->screen == SCREEN_STILL_THERE && still_left(s, now) == 0)
		end_session(s, SESSION_UNFINISHED);   /* may reach welcome at once */
	if (s->screen == SCREEN_THANKS && s->persisted && thanks_over(s, now))
		s->screen = SCREEN_WELCOME;

	refresh_view(s);
	return s->screen != before || s->shown_secs != secs_before;
}

int64_t
session_next_deadline(const session *s)
{
	if (!s)
		return INT64_MAX;
	switch (s->screen) {
	case SCREEN_QUESTION:
	case SCREEN_AUDIENCE:
		return s->activity_mono + s->timing.idle_ms;
	case SCREEN_STILL_THERE:
		return s->still_mono + s->timing.still_there_ms;
	case SCREEN_THANKS:
		/* Until persisted nothing can happen on a tick; session_persisted
		 * itself moves on when the time is already up. */
		return s->persisted ? s->thanks_mono + s->timing.thanks_ms : INT64_MAX;
	default:
		return INT64_MAX;
	}
}

const session_view *
session_get_view(const session *s)
{
	return s ? &s->view : NULL;
}
