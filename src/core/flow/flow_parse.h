/*
 * flow_parse: what the three files of the flow parser share, and the one
 * other reader of hand-written YAML with texts in several languages: the
 * "You said, we did" cards (src/core/cards), so both say the same things
 * the same way. Nothing else includes it.
 *
 * Who does what:
 * - flow_load.c: flow_load and flow_load_buffer, the flow's own keys
 *   (id, version, title, languages, presentation, questions) and the second
 *   pass that resolves skip rules once every question id is known;
 * - flow_parse_question.c: one question, its answers (the built-in ones of
 *   feelings and yes-no filled in) and its skip rules;
 * - flow_parse.c: the parse state, reporting, and reading the kinds of node
 *   every part meets: text, maps of known keys, texts in several languages.
 *
 * Every reader reports what is wrong and goes on, so one run shows every
 * problem. Out of memory sets oom and is said once, at the end, by
 * flow_load_buffer. Strings they return are fresh: the caller owns them,
 * and stores them in the model (which flow_destroy frees) or frees them.
 */
#ifndef TELLUS_FLOW_PARSE_H
#define TELLUS_FLOW_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <libfyaml.h>
#include "flow/flow.h"

/* The state of one parse. */
struct flow_parse {
	const char *file;     /* for messages */
	diag_list *diags;     /* where problems go */
	int errors;           /* errors reported so far (warnings not counted) */
	bool oom;             /* memory ran out somewhere; the model is not handed out */
	flow *f;              /* being built; owned by flow_load_buffer */
	const char *whose;    /* "the card file's" in messages; NULL: "the flow's" */
};

/* Names for the place a problem is in, used in messages:
 * where: "the flow", "question 'feeling'" (after "unknown key ... in");
 * who:   "", "question 'feeling': " (before a message).
 * Fixed sizes: they hold an id peeked at (at most 63 bytes) and a
 * question's name, and only ever make words. */
struct flow_place {
	char where[160];
	char who[160];
};

/* A key a map may have, and what flow_parse_map found for it. */
struct flow_key {
	const char *name;
	struct fy_node *val;
	flow_pos pos;     /* of the key; line 0 when absent */
	bool seen;
	bool misspelt;    /* an unknown key looked like it; "has no" would repeat that */
};

/* An error or a warning at p (counted in c->errors for errors). */
void flow_parse_err(struct flow_parse *c, flow_pos p, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void flow_parse_warn(struct flow_parse *c, flow_pos p, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* tl_strdup and calloc that set c->oom when they fail (a NULL s is no
 * failure). calloc of 0 items gives a block of one. */
char *flow_parse_strdup(struct flow_parse *c, const char *s);
void *flow_parse_calloc(struct flow_parse *c, size_t n, size_t size);

/* The candidate closest to s, if close enough to be a likely typo; else
 * NULL. NULL candidates are skipped. */
const char *flow_parse_closest(const char *s, const char *const *cands, size_t n);
/* "a, b, c" into buf, cut short when it does not fit (it only makes
 * words in a message). */
void flow_parse_join(char *buf, size_t len, const char *const *names, size_t n);

/* The value of a scalar node as a fresh string; NULL after reporting a
 * problem (a list or map where text belongs, a zero byte, an alias) or when
 * out of memory. what names the key in messages, e.g. "'symbol'". */
char *flow_parse_scalar(struct flow_parse *c, struct fy_node *n, flow_pos at,
                        const struct flow_place *pl, const char *what);
/* A required, non-empty text value; mend says how to mend an empty one. */
char *flow_parse_text(struct flow_parse *c, struct fy_node *v, flow_pos kpos,
                      const struct flow_place *pl, const char *what, const char *mend);

/* Sets keys[i] to { .name = names[i] } for i < n. */
void flow_parse_keys_init(struct flow_key *keys, const char *const *names, size_t n);
/*
 * Reads a map's keys into keys[] (by name). Reports unknown keys (with a
 * likely meant one), repeated keys and keys that are not plain words.
 * Returns false when n is not a map at all (after reporting it, as
 * "WHAT_MAP must be a map with the keys ...").
 */
bool flow_parse_map(struct flow_parse *c, struct fy_node *n, flow_pos at,
                    const struct flow_place *pl, struct flow_key *keys, size_t nkeys,
                    const char *what_map);
/* The text of a plain scalar, for peeking at an id before the map is read;
 * borrowed into buf, NULL when there is no usable one. */
const char *flow_parse_peek(struct fy_node *map, const char *key, char *buf, size_t len);

/* The key k (at lp) of a map of languages: its code into lang (len
 * bytes). False, after reporting it, when it is not a code or not one of
 * the flow's languages; the message says the map "has HAS in 'fr'" and
 * to "remove this THING" ("text" and "text", "a clip" and "clip"). */
bool flow_parse_lang_key(struct flow_parse *c, struct fy_node *k, flow_pos lp,
                         const struct flow_place *pl, const char *what, const char *has,
                         const char *thing, char *lang, size_t len);
/* Appends (lang, text) to t; takes text (freed on failure); false when out
 * of memory. */
bool flow_parse_tstr_push(struct flow_parse *c, tstr *t, const char *lang, char *text);
/*
 * A text: a plain string in the flow's first language or a map from
 * language to text, appended to out. what is e.g. "'prompt'". A declared
 * language with no text is a warning (the kiosk falls back to the first).
 */
void flow_parse_tstr(struct flow_parse *c, struct fy_node *v, flow_pos kpos,
                     const struct flow_place *pl, const char *what, bool required,
                     const char *mend, tstr *out);

/* flow_load.c: 'languages' (key k of the whole file, at root_pos when
 * missing) into c->f->languages; whole names the file in messages, e.g.
 * "the flow". */
void flow_parse_languages(struct flow_parse *c, struct flow_key *k, flow_pos root_pos,
                          const char *whole);
/* False, after reporting where, when s is not UTF-8 text (a zero byte is
 * refused too: not a text file, and it would cut libfyaml's input short). */
bool flow_parse_utf8(struct flow_parse *c, const char *s, size_t len);

/* flow_parse_question.c: question index (0-based) from node n into q, a
 * zeroed question in c->f->questions (the earlier ones are already read,
 * for the check that ids are unique). at: where to report when n has no
 * place of its own. */
void flow_parse_question(struct flow_parse *c, size_t index, struct fy_node *n, flow_pos at,
                         flow_question *q);

/* flow_parse_audience.c: the flow's 'audience' list (node v at key
 * position kpos) into c->f->audience. */
void flow_parse_audience(struct flow_parse *c, struct fy_node *v, flow_pos kpos);

#endif
