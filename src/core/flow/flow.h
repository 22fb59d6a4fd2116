/*
 * flow: the model of a question flow and its parser.
 *
 * A flow is a YAML file people write by hand (format in docs/flows.md). The
 * parser keeps the line and column of every element so that problems can be
 * reported as FILE:LINE:COL. The model is read-only once loaded: screens and
 * the session machine borrow pointers into it for as long as the flow lives.
 *
 * Where each part lives: the model (names, texts, lookups, paths, freeing)
 * in flow.c; the parser in flow_load.c, flow_parse_question.c and
 * flow_parse.c (flow_parse.h, private to this folder); the checks in
 * flow_check.c; the helper question in flow_helper.c (flow_helper.h).
 * Every string in the model is its own allocation, owned by the model and
 * freed by flow_destroy.
 */
#ifndef TELLUS_FLOW_H
#define TELLUS_FLOW_H

#include <stddef.h>
#include <stdbool.h>
#include "base/diag.h"

enum question_type {
	QT_FEELINGS = 0,   /* 3 or 5 faces with words; built-in answers */
	QT_YES_NO,         /* yes / no / not sure; built-in answers */
	QT_CHOOSE_ONE,     /* 2 to 6 pictures, one choice */
	QT_CHOOSE_MANY,    /* 2 to 6 pictures, several choices, then Done */
	QT_SORT,           /* 3 to 12 pictures sorted onto a mat of three columns, then Done */
	QT_TEXT,           /* a few typed words (on-screen or a real keyboard), then Done */
	QT_DRAW,           /* a finger drawing, then Done */
	QT_COUNT
};
/* "feelings", "yes-no", "choose-one", "choose-many", "sort", "text",
 * "draw"; parse: -1
 * for an unknown name. */
const char *question_type_name(enum question_type t);
int question_type_parse(const char *s);

enum presentation {
	PRES_LARGE_SYMBOL = 0,  /* the picture dominates, one or two words */
	PRES_EASY_READ,         /* picture left, short sentence right */
	PRES_TEXT_FIRST,        /* older young people and parents: words first, small pictures */
	PRES_COUNT
};
/* "large-symbol", "easy-read", "text-first"; parse: -1 for an unknown name. */
const char *presentation_name(enum presentation p);
int presentation_parse(const char *s);

/* A place in the flow file (base/diag.h's tl_pos). */
typedef tl_pos flow_pos;

/* A text in one or more languages. In YAML either a plain string (in the
 * flow's first language) or a map from language code to text. */
typedef struct tstr_item { char *lang; char *text; } tstr_item;
typedef struct tstr {
	tstr_item *items;
	size_t n;
} tstr;
/* The text in lang, else in fallback, else the first one, else "".
 * Borrowed from the flow. */
const char *tstr_get(const tstr *t, const char *lang, const char *fallback);
/* Frees the items and empties t. */
void tstr_finish(tstr *t);

typedef struct flow_answer {
	char *id;        /* slug, unique within the question */
	tstr label;      /* one or two words */
	char *symbol;    /* bundled symbol name or a path (see flow_symbol_path) */
	flow_pos pos;
} flow_answer;

/* After answer `if_answer` go to question `goto_id` ("end" finishes). */
typedef struct flow_rule {
	char *if_answer;
	char *goto_id;
	int goto_index;  /* resolved: index into questions, or -1 for the end */
	flow_pos pos;
} flow_rule;

/* A question's recorded clip in one language: a WAV file, its path
 * relative to the flow. A question has at most one per language; a
 * language with none is read by the voice, never by another language's
 * recording. */
typedef struct flow_clip {
	char *lang;
	char *path;
	flow_pos pos;         /* of the path in the file */
} flow_clip;

typedef struct flow_question {
	char *id;
	enum question_type type;
	int scale;            /* feelings: 3 or 5; otherwise 0 */
	tstr prompt;          /* short text */
	tstr easy_read;       /* one easy-read sentence (may be empty) */
	char *symbol;         /* may be NULL */
	flow_clip *clips;     /* recorded WAVs by language ('clip'); n_clips may be 0 */
	size_t n_clips;
	flow_answer *answers; /* built-in ones filled in for feelings and yes-no */
	size_t n_answers;
	flow_rule *rules;
	size_t n_rules;
	/* sort: the mat's three columns (id, words, symbol), built-in "like",
	 * "not-sure", "dislike" unless the file names its own; none otherwise.
	 * A picture left off the mat is stored in column FLOW_UNSORTED. */
	flow_answer *columns;
	size_t n_columns;
	/* text: the most characters (code points) a person may type, the
	 * flow's max_length or FLOW_TEXT_DEFAULT; 0 for every other type */
	int max_length;
	flow_pos pos;
	flow_pos symbol_pos, clip_pos;
} flow_question;

/* Who will read a flow's answers (its audience, the Lundy model): shown
 * after Start, "These people will read what you say". */
#define FLOW_MAX_AUDIENCE 6
typedef struct flow_person {
	char *name;       /* a first name: "Sam" */
	tstr role;        /* "runs the parent forum" */
	char *photo;      /* a photo or bundled symbol, like an answer's symbol */
	flow_pos pos, photo_pos;
} flow_person;

typedef struct flow {
	char *path;           /* as given to flow_load */
	char *dir;            /* directory of path, for relative symbols and clips */
	char *id;
	int version;
	tstr title;
	char **languages;     /* at least one; the first is the default */
	size_t n_languages;
	enum presentation presentation;
	bool has_presentation; /* false: the kiosk config chooses */
	flow_question *questions;
	size_t n_questions;
	char *symbol;         /* the flow's own picture (its welcome card); may be NULL */
	flow_pos symbol_pos;
	flow_person *audience; /* who reads the answers; n_audience may be 0 */
	size_t n_audience;
	char *source;         /* the file's bytes, NUL-terminated (stored with sessions) */
	size_t source_len;
	char hash[65];        /* SHA-256 of source, hex */
} flow;

/*
 * Parses the flow file at path. On success returns 0 and *out (caller frees
 * with flow_destroy). On failure returns -1, *out is NULL, and every problem
 * found is appended to diags (errors and warnings, with file, line, column).
 * Warnings alone do not fail a load.
 */
int flow_load(const char *path, flow **out, diag_list *diags);
/* Same, from a buffer; path is used for messages and relative paths. */
int flow_load_buffer(const char *path, const char *data, size_t len,
                     flow **out, diag_list *diags);
/* Frees f and everything in it. Accepts NULL. */
void flow_destroy(flow *f);
/* Free what an answer or a question holds (not the struct itself), for code
 * that builds a model by hand: the parser, the helper question, tests.
 * Accept one left half made: NULL pointers, counts of what was made. */
void flow_answer_finish(flow_answer *a);
void flow_question_finish(flow_question *q);

/*
 * Checks what parsing alone cannot: that every symbol and clip exists
 * (bundled names under data_dir/assets/symbols, paths relative to the flow),
 * that every question is reachable from the first, and that no skip rule
 * can loop forever. Appends to diags; returns the number of errors added.
 */
int flow_check(const flow *f, const char *data_dir, diag_list *diags);

/* The easy-read lint, shared with "You said, we did" cards: a sentence of
 * more than this many words (as flow_count_words counts them) is a
 * warning. Kept in step with docs/flows.md. */
#define FLOW_EASY_READ_MAX_WORDS 15
size_t flow_count_words(const char *s);

/*
 * Resolves a symbol reference: a bare name ("happy") is a bundled OpenMoji
 * symbol, data_dir/assets/symbols/NAME.svg; anything with a '/' or ending
 * in .svg, .png, .jpg or .jpeg is a path relative to the flow's folder.
 * Returns a path the caller frees, or NULL when sym is NULL or memory ran
 * out (a lookup, like tl_strdup: no error to report beyond that).
 */
char *flow_symbol_path(const flow *f, const char *sym, const char *data_dir);
/* Is sym a file of the flow's own (a path), not a bundled symbol name? */
bool flow_symbol_is_file(const char *sym);
/* The path (joined to the flow's folder) of q's clip recorded in exactly
 * lang, or NULL: none in that language (the voice reads it then, never
 * another language's recording), or out of memory. Caller frees. */
char *flow_clip_path(const flow *f, const flow_question *q, const char *lang);
/* q's clip in exactly lang, or NULL; borrowed from the flow. */
const flow_clip *flow_clip_in(const flow_question *q, const char *lang);

/* The column id a sort answer stores for a picture left off the mat (no
 * flow may name a column so). */
#define FLOW_UNSORTED "unsorted"
/* How many columns a sort mat has, and how many pictures it takes. */
#define FLOW_SORT_COLUMNS 3
#define FLOW_SORT_MIN 3
#define FLOW_SORT_MAX 12
/* A text question's length limit: the default, the most a flow may set,
 * and what the checker thinks is comfortable to type on a screen. */
#define FLOW_TEXT_DEFAULT 60
#define FLOW_TEXT_MAX 200
#define FLOW_TEXT_COMFORTABLE 100

/* Index of the question with this id, or -1. */
int flow_question_index(const flow *f, const char *id);
/* Index of the answer with this id in q, or -1. */
int flow_answer_index(const flow_question *q, const char *id);

#endif
