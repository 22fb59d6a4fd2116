/*
 * flow_parse_question: reads one question of a flow file, its answers and
 * its skip rules (see flow_parse.h for the other parts of the parser).
 *
 * Promises: a question of a known type always gets its answers: feelings
 * and yes-no ones are built in (in their fixed order, relabelled where the
 * file says so), choose ones come from the file; each skip rule names one
 * of the question's answers, once. Where goto leads is resolved later, in
 * flow_load.c, once every question id is known.
 */
#include "flow/flow_parse.h"
#include "base/yaml_util.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Built-in answers, labelled in the languages the kiosk knows (English
 * first: other languages fall back to it). The pl, ur, ar and bn labels
 * are machine-drafted and need a fluent reader's check. */
enum { BUILTIN_LANGS = 5 };
static const char *const builtin_langs[BUILTIN_LANGS] = { "en", "pl", "ur", "ar", "bn" };
struct builtin { const char *id, *label[BUILTIN_LANGS], *symbol; };
#define VERY_SAD { "Very sad", "Bardzo smutno", "بہت اداس", "حزين جدًا", "খুব মন খারাপ" }
#define SAD { "Sad", "Smutno", "اداس", "حزين", "মন খারাপ" }
#define OKAY { "OK", "W porządku", "ٹھیک", "لا بأس", "ঠিক আছে" }
#define HAPPY { "Happy", "Wesoło", "خوش", "سعيد", "খুশি" }
#define VERY_HAPPY { "Very happy", "Bardzo wesoło", "بہت خوش", "سعيد جدًا", "খুব খুশি" }
static const struct builtin feelings5[] = {
	{ "very-sad", VERY_SAD, "face-very-sad" },
	{ "sad", SAD, "face-sad" },
	{ "okay", OKAY, "face-okay" },
	{ "happy", HAPPY, "face-happy" },
	{ "very-happy", VERY_HAPPY, "face-very-happy" },
};
static const struct builtin feelings3[] = {
	{ "sad", SAD, "face-sad" },
	{ "okay", OKAY, "face-okay" },
	{ "happy", HAPPY, "face-happy" },
};
static const struct builtin yes_no[] = {
	{ "yes", { "Yes", "Tak", "ہاں", "نعم", "হ্যাঁ" }, "yes" },
	{ "no", { "No", "Nie", "نہیں", "لا", "না" }, "no" },
	{ "not-sure", { "Not sure", "Nie wiem", "پتا نہیں", "لست متأكدًا", "জানি না" }, "not-sure" },
};
/* A sort mat's columns when the flow names none (Talking Mats' top scale). */
static const struct builtin sort_columns[FLOW_SORT_COLUMNS] = {
	{ "like", { "I like", "Lubię", "مجھے پسند ہے", "أحب", "আমার ভালো লাগে" }, "yes" },
	{ "not-sure", { "Not sure", "Nie wiem", "پتا نہیں", "لست متأكدًا", "জানি না" }, "not-sure" },
	{ "dislike", { "I don't like", "Nie lubię", "مجھے پسند نہیں", "لا أحب", "আমার ভালো লাগে না" }, "no" },
};
#undef VERY_SAD
#undef SAD
#undef OKAY
#undef HAPPY
#undef VERY_HAPPY

static const struct builtin *
builtins_of(enum question_type t, int scale, size_t *n)
{
	switch (t) {
	case QT_FEELINGS:
		*n = scale == 3 ? 3 : 5;
		return scale == 3 ? feelings3 : feelings5;
	case QT_YES_NO:
		*n = 3;
		return yes_no;
	default:
		*n = 0;
		return NULL;
	}
}

/* ---- questions --------------------------------------------------------- */

enum { QK_ID, QK_TYPE, QK_SCALE, QK_PROMPT, QK_EASY, QK_SYMBOL, QK_CLIP, QK_ANSWERS, QK_COLUMNS,
       QK_MAX_LENGTH, QK_NEXT, QK_N };
static const char *const question_keys[QK_N] = {
	"id", "type", "scale", "prompt", "easy_read", "symbol", "clip", "answers", "columns",
	"max_length", "next",
};

/* Text and drawing questions take what the person makes, not pictures. */
static bool
makes_own(enum question_type t)
{
	return t == QT_TEXT || t == QT_DRAW;
}

static void
type_list(char *buf, size_t len)
{
	const char *names[QT_COUNT];
	for (int i = 0; i < QT_COUNT; i++)
		names[i] = question_type_name((enum question_type)i);
	flow_parse_join(buf, len, names, QT_COUNT);
}

/* A symbol or clip reference, node v (its key at kpos): plain text, no
 * spaces at the ends. */
static char *
read_ref_node(struct flow_parse *c, struct fy_node *v, flow_pos kpos, const struct flow_place *pl,
              const char *what, const char *mend)
{
	char *s = flow_parse_text(c, v, kpos, pl, what, mend);
	if (s && (s[0] == ' ' || s[strlen(s) - 1] == ' ')) {
		flow_parse_err(c, yaml_node_pos(v, kpos), "%s%s '%s' has spaces at its ends; remove them",
		               pl->who, what, s);
		free(s);
		return NULL;
	}
	return s;
}

/* An optional symbol reference. */
static char *
read_ref(struct flow_parse *c, struct flow_key *k, const struct flow_place *pl, const char *what,
         const char *mend)
{
	return k->seen ? read_ref_node(c, k->val, k->pos, pl, what, mend) : NULL;
}

/* Appends q's clip (lang, path) at pos; takes path. */
static void
push_clip(struct flow_parse *c, flow_question *q, const char *lang, char *path, flow_pos pos)
{
	char *l = flow_parse_strdup(c, lang);
	if (!l) {
		free(path);
		return;
	}
	q->clips[q->n_clips++] = (flow_clip){ .lang = l, .path = path, .pos = pos };
}

/*
 * 'clip': a recorded WAV per language. A plain path is the flow's first
 * language's recording (as a plain text is that language's text); a map
 * gives one path per language, { en: clips/en/feeling.wav, ur: ... }. A
 * language left out is read by the voice in that language, never by
 * another language's recording, and tellus check says so (a warning).
 */
static void
read_clips(struct flow_parse *c, flow_question *q, const struct flow_place *pl, struct flow_key *k)
{
	static const char mend[] = "write the path of a WAV file, or remove the key";
	if (!k->seen)
		return;
	const flow *f = c->f;
	struct fy_node *v = k->val;
	if (!yaml_is_null(v) && fy_node_get_type(v) == FYNT_SEQUENCE) {
		flow_parse_err(c, yaml_node_pos(v, k->pos), "%s'clip' must be the path of a WAV file or a "
		    "map of languages to paths, not a list", pl->who);
		return;
	}
	bool map = !yaml_is_null(v) && fy_node_get_type(v) == FYNT_MAPPING && !fy_node_is_alias(v);
	size_t room = map ? (size_t)fy_node_mapping_item_count(v) : 1;
	if (!(q->clips = flow_parse_calloc(c, room ? room : 1, sizeof *q->clips)))
		return;
	if (!map) {
		char *path = read_ref_node(c, v, k->pos, pl, "'clip'", mend);
		if (path)
			push_clip(c, q, f->n_languages ? f->languages[0] : "en", path, yaml_node_pos(v, k->pos));
	} else {
		void *it = NULL;
		struct fy_node_pair *p;
		while ((p = fy_node_mapping_iterate(v, &it))) {
			struct fy_node *kn = fy_node_pair_key(p);
			flow_pos lp = yaml_node_pos(kn, k->pos);
			char lang[64];
			if (!flow_parse_lang_key(c, kn, lp, pl, "'clip'", "a clip", "clip", lang, sizeof lang))
				continue;
			if (flow_clip_in(q, lang)) {
				flow_parse_err(c, lp, "%s'clip' has two '%s' clips; keep one", pl->who, lang);
				continue;
			}
			char sub[96];
			snprintf(sub, sizeof sub, "'clip' in '%s'", lang);
			struct fy_node *pv = fy_node_pair_value(p);
			char *path = read_ref_node(c, pv, lp, pl, sub, mend);
			if (path)
				push_clip(c, q, lang, path, yaml_node_pos(pv, lp));
		}
		if (room == 0)
			flow_parse_err(c, k->pos, "%s'clip' is empty; %s", pl->who, mend);
	}
	if (q->n_clips == 0)
		return;
	for (size_t i = 0; i < f->n_languages; i++)
		if (!flow_clip_in(q, f->languages[i]))
			flow_parse_warn(c, q->clip_pos, "%s'clip' has no '%s' recording; in '%s' the kiosk "
			                "reads the question with its voice", pl->who, f->languages[i],
			                f->languages[i]);
}

enum { AK_ID, AK_LABEL, AK_SYMBOL, AK_N };
static const char *const answer_keys[AK_N] = { "id", "label", "symbol" };

/* Reads one answer map into a (a zeroed answer). builtin: the ids an
 * answer may relabel, NULL for choose questions. */
static void
read_answer(struct flow_parse *c, flow_question *q, const char *qname, size_t index,
            struct fy_node *n, flow_pos at, const struct builtin *bi, size_t nbi,
            flow_answer *a)
{
	struct flow_place pl;
	char idbuf[64];
	const char *peek = flow_parse_peek(n, "id", idbuf, sizeof idbuf);
	if (peek && tl_is_slug(peek)) {
		snprintf(pl.where, sizeof pl.where, "answer '%s' of %s", peek, qname);
		snprintf(pl.who, sizeof pl.who, "%s, answer '%s': ", qname, peek);
	} else {
		snprintf(pl.where, sizeof pl.where, "answer %zu of %s", index + 1, qname);
		snprintf(pl.who, sizeof pl.who, "%s, answer %zu: ", qname, index + 1);
	}
	struct flow_key keys[AK_N];
	flow_parse_keys_init(keys, answer_keys, AK_N);
	a->pos = yaml_node_pos(n, at);
	char what_map[200];
	snprintf(what_map, sizeof what_map, "%s, answer %zu", qname, index + 1);
	if (!flow_parse_map(c, n, at, &pl, keys, AK_N, what_map))
		return;

	if (!keys[AK_ID].seen) {
		if (!keys[AK_ID].misspelt)
			flow_parse_err(c, a->pos, "%s has no 'id'; add a short name, e.g. 'id: %s'",
			    pl.where, bi ? bi[0].id : "answer-1");
	} else {
		a->id = flow_parse_text(c, keys[AK_ID].val, keys[AK_ID].pos, &pl, "'id'",
		                  "write a short name such as 'teacher'");
		if (a->id && !tl_is_slug(a->id)) {
			char sl[64];
			yaml_suggest_slug(a->id, sl, sizeof sl);
			flow_parse_err(c, yaml_node_pos(keys[AK_ID].val, keys[AK_ID].pos),
			    "%s: answer id '%s' is not a slug; use only a-z, 0-9, '-' and '_' (e.g. '%s')",
			    qname, a->id, *sl ? sl : "answer");
			free(a->id);
			a->id = NULL;
		}
	}
	if (bi && a->id) {
		size_t i = 0;
		while (i < nbi && strcmp(bi[i].id, a->id) != 0)
			i++;
		if (i == nbi) {
			const char *ids[5];
			for (size_t j = 0; j < nbi; j++)
				ids[j] = bi[j].id;
			char list[128];
			flow_parse_join(list, sizeof list, ids, nbi);
			flow_parse_err(c, yaml_node_pos(keys[AK_ID].val, keys[AK_ID].pos),
			    "%s: answer '%s' is not a built-in answer of %s questions; relabel one of %s, "
			    "or make it a choose-one question", qname, a->id, question_type_name(q->type), list);
		}
	}
	if (keys[AK_LABEL].seen)
		flow_parse_tstr(c, keys[AK_LABEL].val, keys[AK_LABEL].pos, &pl, "'label'", true,
		          "write one or two words, e.g. 'label: Teacher'", &a->label);
	else if (!bi && !keys[AK_LABEL].misspelt)
		flow_parse_err(c, a->pos, "%s has no 'label'; add one or two words, e.g. 'label: Teacher'", pl.where);
	if (keys[AK_SYMBOL].seen)
		a->symbol = read_ref(c, &keys[AK_SYMBOL], &pl, "'symbol'",
		                     "write a bundled symbol name or a picture path");
	else if (!bi && !keys[AK_SYMBOL].misspelt)
		flow_parse_err(c, a->pos, "%s has no 'symbol'; add a picture so people who do not read can answer",
		    pl.where);
}

static bool
fill_builtin(struct flow_parse *c, flow_answer *a, const struct builtin *b, flow_pos pos)
{
	a->id = flow_parse_strdup(c, b->id);
	a->symbol = flow_parse_strdup(c, b->symbol);
	a->pos = pos;
	if (!a->id || !a->symbol)
		return false;
	/* English always; the others only where the flow speaks them. */
	for (size_t i = 0; i < BUILTIN_LANGS; i++) {
		bool used = i == 0;
		for (size_t j = 0; !used && j < c->f->n_languages; j++)
			used = strcmp(c->f->languages[j], builtin_langs[i]) == 0;
		if (!used)
			continue;
		char *label = flow_parse_strdup(c, b->label[i]);
		if (!label || !flow_parse_tstr_push(c, &a->label, builtin_langs[i], label))
			return false;
	}
	return true;
}

static void
read_answers(struct flow_parse *c, flow_question *q, const char *qname, struct flow_key *k)
{
	size_t nbi;
	const struct builtin *bi = builtins_of(q->type, q->scale, &nbi);
	struct fy_node *v = k->seen ? k->val : NULL;
	bool sort = q->type == QT_SORT;
	bool choose = q->type == QT_CHOOSE_ONE || q->type == QT_CHOOSE_MANY || sort;
	size_t lo = sort ? FLOW_SORT_MIN : 2, hi = sort ? FLOW_SORT_MAX : 6;
	size_t n = 0;
	bool bad_shape = false;

	if (k->seen && !yaml_is_null(v) && fy_node_get_type(v) != FYNT_SEQUENCE) {
		bad_shape = true;
		flow_parse_err(c, yaml_node_pos(v, k->pos), "%s: 'answers' must be a list, one '- { id: ..., label: ..., "
		    "symbol: ... }' per answer", qname);
		v = NULL;
	} else if (v && !yaml_is_null(v)) {
		n = (size_t)fy_node_sequence_item_count(v);
	} else {
		v = NULL;
	}
	if (choose && (n < lo || n > hi) && !bad_shape) {
		if (!k->seen && !k->misspelt)
			flow_parse_err(c, q->pos, "%s has no 'answers'; add %zu to %zu answers, each with id, label "
			    "and symbol", qname, lo, hi);
		else if (k->seen)
			flow_parse_err(c, k->pos, "%s has %zu answer%s; %s questions need %zu to %zu", qname, n,
			    n == 1 ? "" : "s", question_type_name(q->type), lo, hi);
	}
	if (makes_own(q->type) && k->seen) {
		flow_parse_err(c, k->pos, "%s: %s questions have no 'answers' (the person %s their own); "
		    "remove it", qname, question_type_name(q->type), q->type == QT_TEXT ? "types" : "draws");
		return;
	}
	if (q->type != QT_FEELINGS && q->type != QT_YES_NO && !choose)
		return;

	flow_answer *given = v ? flow_parse_calloc(c, n, sizeof *given) : NULL;
	size_t ng = 0;
	if (v && given) {
		void *it = NULL;
		struct fy_node *item;
		while ((item = fy_node_sequence_iterate(v, &it))) {
			flow_answer *a = &given[ng++];
			read_answer(c, q, qname, ng - 1, item, k->pos, bi, nbi, a);
			if (!a->id)
				continue;
			for (size_t j = 0; j + 1 < ng; j++) {
				if (given[j].id && strcmp(given[j].id, a->id) == 0) {
					flow_parse_err(c, a->pos, "%s: answer id '%s' is used twice (first at line %d); "
					    "give each answer its own id", qname, a->id, given[j].pos.line);
					break;
				}
			}
		}
	}
	if (choose) {
		q->answers = given;
		q->n_answers = ng;
		return;
	}
	/* Built-in answers, in their fixed order, with any relabelling. */
	q->answers = flow_parse_calloc(c, nbi, sizeof *q->answers);
	if (q->answers) {
		for (size_t i = 0; i < nbi; i++) {
			flow_answer *a = &q->answers[i];
			q->n_answers++;
			if (!fill_builtin(c, a, &bi[i], q->pos))
				break;
			for (size_t j = 0; j < ng; j++) {
				if (!given[j].id || strcmp(given[j].id, bi[i].id) != 0)
					continue;
				a->pos = given[j].pos;
				if (given[j].label.n) {
					tstr_finish(&a->label);
					a->label = given[j].label;
					given[j].label = (tstr){ 0 };
				}
				if (given[j].symbol) {
					free(a->symbol);
					a->symbol = given[j].symbol;
					given[j].symbol = NULL;
				}
				break;
			}
		}
	}
	for (size_t j = 0; j < ng; j++)
		flow_answer_finish(&given[j]);
	free(given);
}

/* A sort question's mat: three columns from the file (each with id, label
 * and symbol, like an answer), or the built-in like / not sure / don't
 * like. Other types may not have 'columns'. */
static void
read_columns(struct flow_parse *c, flow_question *q, const char *qname, struct flow_key *k)
{
	if (q->type != QT_SORT) {
		if (k->seen)
			flow_parse_err(c, k->pos, "%s: 'columns' is only for sort questions; remove it", qname);
		return;
	}
	if (!k->seen || yaml_is_null(k->val)) {
		q->columns = flow_parse_calloc(c, FLOW_SORT_COLUMNS, sizeof *q->columns);
		for (size_t i = 0; q->columns && i < FLOW_SORT_COLUMNS; i++) {
			q->n_columns++;
			if (!fill_builtin(c, &q->columns[i], &sort_columns[i], q->pos))
				break;
		}
		return;
	}
	if (fy_node_get_type(k->val) != FYNT_SEQUENCE ||
	    fy_node_sequence_item_count(k->val) != FLOW_SORT_COLUMNS) {
		flow_parse_err(c, yaml_node_pos(k->val, k->pos), "%s: 'columns' must be a list of %d columns, "
		    "e.g. '- { id: easy, label: Easy, symbol: yes }', or leave it out for I like / Not sure / "
		    "I don't like", qname, FLOW_SORT_COLUMNS);
		return;
	}
	q->columns = flow_parse_calloc(c, FLOW_SORT_COLUMNS, sizeof *q->columns);
	if (!q->columns)
		return;
	void *it = NULL;
	struct fy_node *item;
	char cname[128];
	snprintf(cname, sizeof cname, "%s, column", qname);
	while ((item = fy_node_sequence_iterate(k->val, &it))) {
		flow_answer *col = &q->columns[q->n_columns++];
		read_answer(c, q, cname, q->n_columns - 1, item, k->pos, NULL, 0, col);
		if (!col->id)
			continue;
		if (strcmp(col->id, FLOW_UNSORTED) == 0)
			flow_parse_err(c, col->pos, "%s: column id '%s' is kept for pictures left off the mat; "
			    "choose another id", qname, col->id);
		for (size_t j = 0; j + 1 < q->n_columns; j++) {
			if (q->columns[j].id && strcmp(q->columns[j].id, col->id) == 0) {
				flow_parse_err(c, col->pos, "%s: column id '%s' is used twice (first at line %d); "
				    "give each column its own id", qname, col->id, q->columns[j].pos.line);
				break;
			}
		}
	}
}

/* A text question's length limit: 'max_length', a whole number of
 * characters from 1 to FLOW_TEXT_MAX, or FLOW_TEXT_DEFAULT. Other types
 * may not have it. */
static void
read_max_length(struct flow_parse *c, flow_question *q, const char *qname, struct flow_place *pl,
                struct flow_key *k)
{
	if (q->type != QT_TEXT) {
		if (k->seen)
			flow_parse_err(c, k->pos, "%s: 'max_length' is only for text questions; remove it", qname);
		return;
	}
	q->max_length = FLOW_TEXT_DEFAULT;
	if (!k->seen)
		return;
	char *s = flow_parse_text(c, k->val, k->pos, pl, "'max_length'",
	                          "write how many letters may be typed, e.g. 'max_length: 40'");
	if (!s)
		return;
	long v = 0;
	if (!yaml_whole_number(s, 1, FLOW_TEXT_MAX, &v))
		flow_parse_err(c, yaml_node_pos(k->val, k->pos), "%s: max_length '%s' must be a whole "
		    "number of letters from 1 to %d, e.g. 'max_length: 40'", qname, s, FLOW_TEXT_MAX);
	else
		q->max_length = (int)v;
	free(s);
}

static void
answer_list(const flow_question *q, char *buf, size_t len)
{
	const char *ids[8];
	size_t n = q->n_answers < 8 ? q->n_answers : 8;
	for (size_t i = 0; i < n; i++)
		ids[i] = q->answers[i].id;
	flow_parse_join(buf, len, ids, n);
}

enum { RK_IF, RK_GOTO, RK_N };
static const char *const rule_keys[RK_N] = { "if", "goto" };

static void
read_rules(struct flow_parse *c, flow_question *q, const char *qname, struct flow_key *k)
{
	if (!k->seen || yaml_is_null(k->val))
		return;
	if (fy_node_get_type(k->val) != FYNT_SEQUENCE) {
		flow_parse_err(c, yaml_node_pos(k->val, k->pos), "%s: 'next' must be a list of skip rules, "
		    "e.g. '- { if: yes, goto: end }'", qname);
		return;
	}
	if (makes_own(q->type)) {
		flow_parse_err(c, k->pos, "%s: %s questions cannot have skip rules (there is no one "
		    "answer to jump on); remove 'next'", qname, question_type_name(q->type));
		return;
	}
	if (q->type == QT_SORT) {
		/* every picture is in some column: no one answer to jump on */
		flow_parse_err(c, k->pos, "%s: sort questions cannot have skip rules; remove 'next'", qname);
		return;
	}
	size_t n = (size_t)fy_node_sequence_item_count(k->val);
	q->rules = flow_parse_calloc(c, n, sizeof *q->rules);
	if (!q->rules)
		return;
	void *it = NULL;
	struct fy_node *item;
	while ((item = fy_node_sequence_iterate(k->val, &it))) {
		flow_rule *r = &q->rules[q->n_rules++];
		r->goto_index = -1;
		r->pos = yaml_node_pos(item, k->pos);
		struct flow_place pl;
		snprintf(pl.where, sizeof pl.where, "a skip rule of %s", qname);
		snprintf(pl.who, sizeof pl.who, "%s, skip rule %zu: ", qname, q->n_rules);
		struct flow_key keys[RK_N];
		flow_parse_keys_init(keys, rule_keys, RK_N);
		char what_map[200];
		snprintf(what_map, sizeof what_map, "%s: skip rule %zu", qname, q->n_rules);
		if (!flow_parse_map(c, item, k->pos, &pl, keys, RK_N, what_map))
			continue;
		if (!keys[RK_IF].seen && !keys[RK_IF].misspelt)
			flow_parse_err(c, r->pos, "%s has no 'if'; name the answer that jumps, e.g. 'if: %s'",
			    what_map, q->n_answers ? q->answers[0].id : "yes");
		else if (keys[RK_IF].seen)
			r->if_answer = flow_parse_text(c, keys[RK_IF].val, keys[RK_IF].pos, &pl, "'if'",
			                         "name one of this question's answers");
		if (!keys[RK_GOTO].seen && !keys[RK_GOTO].misspelt)
			flow_parse_err(c, r->pos, "%s has no 'goto'; name a later question or 'end'", what_map);
		else if (keys[RK_GOTO].seen)
			r->goto_id = flow_parse_text(c, keys[RK_GOTO].val, keys[RK_GOTO].pos, &pl, "'goto'",
			                       "name a later question or 'end'");
		/* Keep the value's position for goto problems found later. */
		if (keys[RK_GOTO].seen)
			r->pos = yaml_node_pos(keys[RK_GOTO].val, keys[RK_GOTO].pos);
		if (!r->if_answer)
			continue;
		flow_pos ip = yaml_node_pos(keys[RK_IF].val, keys[RK_IF].pos);
		if (q->n_answers && flow_answer_index(q, r->if_answer) < 0) {
			char list[256];
			answer_list(q, list, sizeof list);
			const char *ids[8];
			size_t na = q->n_answers < 8 ? q->n_answers : 8;
			for (size_t i = 0; i < na; i++)
				ids[i] = q->answers[i].id;
			const char *near = flow_parse_closest(r->if_answer, ids, na);
			if (near)
				flow_parse_err(c, ip, "%s: skip rule names answer '%s', which this question does not have; "
				    "did you mean '%s'?", qname, r->if_answer, near);
			else
				flow_parse_err(c, ip, "%s: skip rule names answer '%s', which this question does not have; "
				    "use one of %s", qname, r->if_answer, list);
			continue;
		}
		for (size_t j = 0; j + 1 < q->n_rules; j++) {
			if (q->rules[j].if_answer && strcmp(q->rules[j].if_answer, r->if_answer) == 0) {
				flow_parse_err(c, ip, "%s: answer '%s' already has a skip rule (line %d); keep one",
				    qname, r->if_answer, q->rules[j].pos.line);
				break;
			}
		}
	}
}

void
flow_parse_question(struct flow_parse *c, size_t index, struct fy_node *n, flow_pos at, flow_question *q)
{
	char idbuf[64];
	char qname[96];
	const char *peek = flow_parse_peek(n, "id", idbuf, sizeof idbuf);
	if (peek && tl_is_slug(peek))
		snprintf(qname, sizeof qname, "question '%s'", peek);
	else
		snprintf(qname, sizeof qname, "question %zu", index + 1);
	struct flow_place pl;
	snprintf(pl.where, sizeof pl.where, "%s", qname);
	snprintf(pl.who, sizeof pl.who, "%s: ", qname);
	q->pos = yaml_node_pos(n, at);
	struct flow_key keys[QK_N];
	flow_parse_keys_init(keys, question_keys, QK_N);
	if (!flow_parse_map(c, n, at, &pl, keys, QK_N, qname))
		return;

	if (!keys[QK_ID].seen) {
		if (!keys[QK_ID].misspelt)
			flow_parse_err(c, q->pos, "%s has no 'id'; add a short name, e.g. 'id: question-%zu'", qname, index + 1);
	} else if ((q->id = flow_parse_text(c, keys[QK_ID].val, keys[QK_ID].pos, &pl, "'id'",
	                              "write a short name such as 'feeling'"))) {
		flow_pos ip = yaml_node_pos(keys[QK_ID].val, keys[QK_ID].pos);
		if (!tl_is_slug(q->id)) {
			char sl[64];
			yaml_suggest_slug(q->id, sl, sizeof sl);
			flow_parse_err(c, ip, "question id '%s' is not a slug; use only a-z, 0-9, '-' and '_' (e.g. '%s')",
			    q->id, *sl ? sl : "question");
			free(q->id);
			q->id = NULL;
		} else if (strcmp(q->id, "end") == 0) {
			flow_parse_err(c, ip, "question id 'end' is kept for 'goto: end'; choose another id");
		} else {
			for (size_t i = 0; i < index; i++) {
				const flow_question *o = &c->f->questions[i];
				if (o->id && strcmp(o->id, q->id) == 0) {
					flow_parse_err(c, ip, "question id '%s' is used twice (first at line %d); "
					    "give each question its own id", q->id, o->pos.line);
					break;
				}
			}
		}
	}

	char types[128];
	type_list(types, sizeof types);
	bool typed = false;
	if (!keys[QK_TYPE].seen) {
		if (!keys[QK_TYPE].misspelt)
			flow_parse_err(c, q->pos, "%s has no 'type'; use one of %s", qname, types);
	} else {
		char *t = flow_parse_text(c, keys[QK_TYPE].val, keys[QK_TYPE].pos, &pl, "'type'", types);
		if (t) {
			int i = question_type_parse(t);
			if (i < 0)
				flow_parse_err(c, yaml_node_pos(keys[QK_TYPE].val, keys[QK_TYPE].pos),
				    "%s: unknown type '%s'; use one of %s", qname, t, types);
			else {
				q->type = (enum question_type)i;
				typed = true;
			}
			free(t);
		}
	}

	if (typed && q->type == QT_FEELINGS) {
		q->scale = 5;
		if (keys[QK_SCALE].seen) {
			char *s = flow_parse_text(c, keys[QK_SCALE].val, keys[QK_SCALE].pos, &pl, "'scale'",
			                    "write 3 or 5");
			if (s && strcmp(s, "3") != 0 && strcmp(s, "5") != 0)
				flow_parse_err(c, yaml_node_pos(keys[QK_SCALE].val, keys[QK_SCALE].pos),
				    "%s: scale '%s' must be 3 or 5 (faces)", qname, s);
			else if (s)
				q->scale = s[0] - '0';
			free(s);
		}
	} else if (typed && keys[QK_SCALE].seen) {
		flow_parse_err(c, keys[QK_SCALE].pos, "%s: 'scale' is only for feelings questions; remove it", qname);
	}

	if (!keys[QK_PROMPT].seen) {
		if (!keys[QK_PROMPT].misspelt)
			flow_parse_err(c, q->pos, "%s has no 'prompt'; add the short question, e.g. 'prompt: How was today?'",
			    qname);
	} else {
		flow_parse_tstr(c, keys[QK_PROMPT].val, keys[QK_PROMPT].pos, &pl, "'prompt'", true,
		          "write the short question, e.g. 'prompt: How was today?'", &q->prompt);
	}
	if (keys[QK_EASY].seen)
		flow_parse_tstr(c, keys[QK_EASY].val, keys[QK_EASY].pos, &pl, "'easy_read'", false,
		          "write one short sentence", &q->easy_read);

	q->symbol = read_ref(c, &keys[QK_SYMBOL], &pl, "'symbol'",
	                     "write a bundled symbol name or a picture path, or remove the key");
	q->symbol_pos = keys[QK_SYMBOL].seen ? yaml_node_pos(keys[QK_SYMBOL].val, keys[QK_SYMBOL].pos) : q->pos;
	q->clip_pos = keys[QK_CLIP].seen ? yaml_node_pos(keys[QK_CLIP].val, keys[QK_CLIP].pos) : q->pos;
	read_clips(c, q, &pl, &keys[QK_CLIP]);

	if (typed) {
		read_answers(c, q, qname, &keys[QK_ANSWERS]);
		read_columns(c, q, qname, &keys[QK_COLUMNS]);
		read_max_length(c, q, qname, &pl, &keys[QK_MAX_LENGTH]);
	}
	read_rules(c, q, qname, &keys[QK_NEXT]);
}
