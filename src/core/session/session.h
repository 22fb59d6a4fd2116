/*
 * session: the state machine of one person's pass through a flow, and of
 * the kiosk's screens around it (welcome, question, thank you, "are you
 * still there?").
 *
 * Pure logic: no SDL, no SQLite. Time comes from an injected tl_clock;
 * everything that must be stored leaves through a session_sink, in order, as
 * it happens. The UI turns input into calls here and draws what
 * session_view() says.
 */
#ifndef TELLUS_SESSION_H
#define TELLUS_SESSION_H

#include <stdint.h>
#include <stdbool.h>
#include "flow/flow.h"
#include "base/util.h"

enum screen_id {
	SCREEN_WELCOME = 0,
	SCREEN_QUESTION,
	SCREEN_THANKS,
	SCREEN_STILL_THERE,
	SCREEN_RESETTING,   /* blank and calm while the last rows reach the disk */
	SCREEN_AUDIENCE,    /* after Start, when the flow names who reads its answers */
	SCREEN_COUNT
};

enum answer_kind {
	ANSWER_CHOSEN = 0,
	ANSWER_SKIPPED,
	ANSWER_DECLINED,    /* "I don't want to say" */
};
const char *answer_kind_name(enum answer_kind k); /* chosen, skipped, declined */

enum session_status {
	SESSION_IN_PROGRESS = 0,
	SESSION_COMPLETED,
	SESSION_UNFINISHED,
	SESSION_COMPLETED_EARLY,  /* the person chose "I've finished" on a question */
};
/* in_progress, completed, unfinished, completed_early */
const char *session_status_name(enum session_status s);

/* How an answer was given; stored with it. */
enum input_method {
	INPUT_TOUCH = 0, INPUT_MOUSE, INPUT_KEYBOARD, INPUT_SWITCH, INPUT_DWELL,
	INPUT_COUNT
};
const char *input_method_name(enum input_method m);

typedef struct session_timing {
	int64_t idle_ms;         /* quiet time on a question before "still there?" (60 s) */
	int64_t still_there_ms;  /* how long "still there?" waits, at least 20 s */
	int64_t thanks_ms;       /* thank-you screen before welcome returns (8 s) */
} session_timing;
void session_timing_default(session_timing *t);

/* What happened, for the store. Strings are borrowed for the call only. */
typedef struct session_begin_rec {
	const char *session_id;   /* UUID */
	const flow *flow;
	const char *language;
	const char *presentation;
	int64_t started_wall_ms;
} session_begin_rec;

#define SESSION_MAX_CHOICES 12  /* a sort mat's pictures (FLOW_SORT_MAX); choose questions have 6 */
/* A text answer's bytes: FLOW_TEXT_MAX characters of up to 4 bytes, and
 * the NUL. */
#define SESSION_TEXT_BYTES (4 * FLOW_TEXT_MAX + 1)

typedef struct session_answer_rec {
	const char *session_id;
	int seq;                  /* 1, 2, 3... within the session; a changed answer is a new seq */
	const flow_question *question;
	int question_index;
	enum answer_kind kind;
	int n_chosen;             /* 0 for skipped/declined */
	int chosen[SESSION_MAX_CHOICES]; /* answer indices into question->answers;
	                                    sort: every picture, in mat order (the first
	                                    column's in the order placed, then the next
	                                    column's, then those left off the mat) */
	int column[SESSION_MAX_CHOICES]; /* sort: chosen[k]'s column (index into
	                                    question->columns), -1 left off the mat */
	/* text: the words typed, without spaces around them; draw: the
	 * picture as PNG bytes. Borrowed for the sink call only; NULL / 0 for
	 * every other answer (and for a skip). */
	const char *typed_text;
	const void *drawing_png;
	size_t drawing_len;
	int64_t given_wall_ms;
	int64_t time_taken_ms;    /* from the question appearing to this answer */
	enum input_method method;
} session_answer_rec;

typedef struct session_end_rec {
	const char *session_id;
	enum session_status status;
	int64_t ended_wall_ms;
} session_end_rec;

typedef struct session_sink {
	void (*begin)(void *ud, const session_begin_rec *r);
	void (*answer)(void *ud, const session_answer_rec *r);
	void (*end)(void *ud, const session_end_rec *r);
	void *ud;
} session_sink;

typedef struct session session;

/* Caller frees with session_destroy. flow, clock and the sink's ud are
 * borrowed for the machine's life. NULL when out of memory, the one way it
 * can fail (or when f or clock is NULL, a caller's mistake): like every
 * create in the core it returns NULL rather than fill a tl_error, since
 * "out of memory" is all there would be to say. */
session *session_create(const flow *f, const session_timing *t,
                        const tl_clock *clock, session_sink sink);
/* Accepts NULL. */
void session_destroy(session *s);

/* Language and presentation for the next session (defaults: the flow's first
 * language, the flow's presentation or easy-read... as the caller sets). */
void session_set_language(session *s, const char *lang);
void session_set_presentation(session *s, enum presentation p);

/* Input. Each returns true when it changed what is on screen.
 * `method` says how the person gave it (stored with answers). */
bool session_start(session *s);                       /* welcome -> first question, or
                                                         the flow's audience first */
/* On the audience screen ("These people will read what you say"): on to
 * the first question. Nothing is stored for it; the session has begun at
 * Start. A person who walks away there is handled as on a question: after
 * idle_ms plus still_there_ms without input the session ends unfinished. */
bool session_carry_on(session *s);
bool session_choose(session *s, int answer_index, enum input_method method);
                                                      /* single choice: stores and moves on;
                                                         choose-many: toggles the picture;
                                                         sort: session_sort_pick */
bool session_done(session *s, enum input_method method);   /* choose-many: stores the set;
                                                              sort: stores the mat */
/* Sort: pick up picture i (again: put it down where it was); then place
 * the picture held into column c (-1: back off the mat). A picture may be
 * moved any number of times until Done; nothing is stored before. */
bool session_sort_pick(session *s, int picture);
bool session_sort_place(session *s, int column);
/* Text: adds the characters of utf8 (controls and direction overrides
 * left out, none past the question's max_length), or takes the last one
 * away. session_done stores the words (none typed: a skip). */
bool session_text_type(session *s, const char *utf8);
bool session_text_delete(session *s);
/* Draw: Done with the picture as png (len bytes, copied by the sink);
 * NULL / 0: nothing was drawn, a skip. */
bool session_done_drawing(session *s, const void *png, size_t len, enum input_method method);
bool session_skip(session *s, enum input_method method);
bool session_decline(session *s, enum input_method method);
bool session_back(session *s);                        /* previous question (not stored) */
bool session_finish_now(session *s);                  /* thank-you "Finish" tapped: go on now */
/* "I've finished" on a question (or "still there?"): the turn ends at once
 * with what was given kept, as completed_early, and the thank-you shows. */
bool session_finish_early(session *s, enum input_method method);
/* On welcome only: the flow the next person answers (a kiosk offering
 * several lets the person pick). f is borrowed for the machine's life like
 * session_create's. False (nothing changed) off welcome, for NULL, or when
 * memory for its questions ran out. */
bool session_set_flow(session *s, const flow *f);
const flow *session_flow(const session *s);
/* Staff took the kiosk over: a person's session in progress (a question or
 * "still there?") ends now as unfinished, its answers kept. True when one
 * was ended. */
bool session_end_unfinished(session *s);
/* Any input at all: keeps the idle timer fresh; on "still there?" it
 * returns to the question. */
bool session_activity(session *s);

/* Moves time on: idle warnings, walk-away reset, thanks timeout. True when
 * the screen changed or the "still there?" countdown shows a new second. */
bool session_tick(session *s);
/* Monotonic ms at which session_tick next has something to do, or
 * INT64_MAX when nothing is pending (the UI may sleep until then). On
 * thank-you that is INT64_MAX until session_persisted; the countdown's
 * seconds are not deadlines (a UI animating it ticks on its own). */
int64_t session_next_deadline(const session *s);

/* The store says everything the sink was given is on disk. Welcome does not
 * return before this has been called after a session's end. */
void session_persisted(session *s);

/* What to draw. Borrowed until the next call that changes the machine. */
typedef struct session_view {
	enum screen_id screen;
	const flow_question *question;  /* on SCREEN_QUESTION and SCREEN_STILL_THERE */
	int question_index;
	int question_number;            /* 1-based position on this person's path */
	int question_total;             /* questions on the path if no rule jumps */
	bool selected[SESSION_MAX_CHOICES]; /* choose-many: pictures chosen so far;
	                                       others: the answer given last time (after back) */
	int column[SESSION_MAX_CHOICES];  /* sort: each picture's column, -1 off the mat */
	int place[SESSION_MAX_CHOICES];   /* sort: its place in that column, 0 first */
	int held;                       /* sort: the picture picked up, -1 none */
	const char *text;               /* text: the words typed so far ("" otherwise) */
	int text_chars, text_max;       /* text: how many characters, and the limit */
	bool can_back;
	const char *language;
	enum presentation presentation;
	const char *session_id;         /* "" on welcome */
	int64_t still_there_left_ms;    /* countdown on SCREEN_STILL_THERE */
} session_view;
const session_view *session_get_view(const session *s);

#endif
