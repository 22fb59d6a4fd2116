/*
 * flow: parses a hand-written flow file (docs/flows.md) into the read-only
 * model of flow.h.
 *
 * Promises: every problem found is reported as FILE:LINE:COL with what is
 * wrong and how to mend it, YAML syntax errors included (libfyaml's own
 * messages are collected, never printed); parsing goes on after a problem so
 * that one run shows them all; a model is only handed out when there were no
 * errors, and then every question has its answers (built-in ones filled in)
 * and every skip rule is resolved to a later question or the end.
 *
 * libfyaml 0.7 has no position for a whole node, so a map or list takes the
 * position of its first key or item, and a value that is missing takes the
 * position of its key.
 */
#include "flow/flow.h"
#include "base/utf8.h"
#include "base/yaml_util.h"
#include "base/util.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfyaml.h>

/* ---- names ---------------------------------------------------------- */

static const char *const type_names[QT_COUNT] = {
	[QT_FEELINGS] = "feelings",
	[QT_YES_NO] = "yes-no",
	[QT_CHOOSE_ONE] = "choose-one",
	[QT_CHOOSE_MANY] = "choose-many",
};

const char *
question_type_name(enum question_type t)
{
	return (unsigned)t < QT_COUNT ? type_names[t] : "unknown";
}

static const char *const pres_names[PRES_COUNT] = {
	[PRES_LARGE_SYMBOL] = "large-symbol",
	[PRES_EASY_READ] = "easy-read",
	[PRES_TEXT_FIRST] = "text-first",
};

const char *
presentation_name(enum presentation p)
{
	return (unsigned)p < PRES_COUNT ? pres_names[p] : "unknown";
}

int
presentation_parse(const char *s)
{
	for (int i = 0; s && i < PRES_COUNT; i++)
		if (strcmp(s, pres_names[i]) == 0)
			return i;
	return -1;
}

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

/* ---- small model helpers --------------------------------------------- */

const char *
tstr_get(const tstr *t, const char *lang, const char *fallback)
{
	if (!t || t->n == 0)
		return "";
	for (int pass = 0; pass < 2; pass++) {
		const char *want = pass == 0 ? lang : fallback;
		if (!want)
			continue;
		for (size_t i = 0; i < t->n; i++)
			if (t->items[i].lang && strcmp(t->items[i].lang, want) == 0)
				return t->items[i].text ? t->items[i].text : "";
	}
	return t->items[0].text ? t->items[0].text : "";
}

static void
tstr_finish(tstr *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->items[i].lang);
		free(t->items[i].text);
	}
	free(t->items);
	t->items = NULL;
	t->n = 0;
}

int
flow_question_index(const flow *f, const char *id)
{
	if (!f || !id)
		return -1;
	for (size_t i = 0; i < f->n_questions; i++)
		if (f->questions[i].id && strcmp(f->questions[i].id, id) == 0)
			return (int)i;
	return -1;
}

int
flow_answer_index(const flow_question *q, const char *id)
{
	if (!q || !id)
		return -1;
	for (size_t i = 0; i < q->n_answers; i++)
		if (q->answers[i].id && strcmp(q->answers[i].id, id) == 0)
			return (int)i;
	return -1;
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	if (m > n)
		return false;
	for (size_t i = 0; i < m; i++) {
		char c = s[n - m + i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != suffix[i])
			return false;
	}
	return true;
}

char *
flow_symbol_path(const flow *f, const char *sym, const char *data_dir)
{
	if (!sym)
		return NULL;
	if (strchr(sym, '/') || ends_with(sym, ".svg") || ends_with(sym, ".png") ||
	    ends_with(sym, ".jpg") || ends_with(sym, ".jpeg"))
		return tl_path_join(f ? f->dir : NULL, sym);
	if (!data_dir)
		data_dir = tl_data_dir();
	return tl_asprintf("%s/assets/symbols/%s.svg", data_dir, sym);
}

char *
flow_clip_path(const flow *f, const flow_question *q)
{
	if (!q || !q->clip)
		return NULL;
	return tl_path_join(f ? f->dir : NULL, q->clip);
}

static void
answer_finish(flow_answer *a)
{
	free(a->id);
	tstr_finish(&a->label);
	free(a->symbol);
}

static void
question_finish(flow_question *q)
{
	free(q->id);
	tstr_finish(&q->prompt);
	tstr_finish(&q->easy_read);
	free(q->symbol);
	free(q->clip);
	for (size_t i = 0; i < q->n_answers; i++)
		answer_finish(&q->answers[i]);
	free(q->answers);
	for (size_t i = 0; i < q->n_rules; i++) {
		free(q->rules[i].if_answer);
		free(q->rules[i].goto_id);
	}
	free(q->rules);
}

void
flow_destroy(flow *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n_questions; i++)
		question_finish(&f->questions[i]);
	free(f->questions);
	for (size_t i = 0; i < f->n_languages; i++)
		free(f->languages[i]);
	free(f->languages);
	tstr_finish(&f->title);
	free(f->id);
	free(f->path);
	free(f->dir);
	free(f->source);
	free(f);
}

/* ---- the parse context ----------------------------------------------- */

struct ctx {
	const char *file;
	diag_list *diags;
	int errors;
	bool oom;
	flow *f;
};

static void
report(struct ctx *c, enum diag_severity sev, flow_pos p, const char *fmt, va_list ap)
{
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	diag_add(c->diags, sev, c->file, p.line, p.col, "%s", msg);
	if (sev == DIAG_ERROR)
		c->errors++;
}

__attribute__((format(printf, 3, 4)))
static void
err(struct ctx *c, flow_pos p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(c, DIAG_ERROR, p, fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 3, 4)))
static void
warn(struct ctx *c, flow_pos p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(c, DIAG_WARNING, p, fmt, ap);
	va_end(ap);
}

static char *
xstrdup(struct ctx *c, const char *s)
{
	char *p = tl_strdup(s);
	if (s && !p)
		c->oom = true;
	return p;
}

static void *
xcalloc(struct ctx *c, size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		c->oom = true;
	return p;
}

/* ---- did you mean ---------------------------------------------------- */

/* The candidate closest to s, if close enough to be a likely typo. */
static const char *
closest(const char *s, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t best_d = SIZE_MAX;
	size_t len = strlen(s);
	size_t limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
	for (size_t i = 0; i < n; i++) {
		if (!cands[i])
			continue;
		size_t d = yaml_edit_distance(s, cands[i]);
		if (d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	return best_d <= limit ? best : NULL;
}

/* "a, b, c" into buf. */
static void
join_names(char *buf, size_t len, const char *const *names, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && used < len; i++) {
		int w = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", names[i] ? names[i] : "?");
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

/* ---- reading nodes --------------------------------------------------- */

/* Names for the place a problem is in, used in messages:
 * where: "the flow", "question 'feeling'" (after "unknown key ... in");
 * who:   "", "question 'feeling': " (before a message). */
struct place {
	char where[160];
	char who[160];
};

/*
 * The value of a scalar node as a fresh string; NULL after reporting a
 * problem (a list or map where text belongs, a zero byte, an alias).
 * what names the key in messages, e.g. "'symbol'".
 */
static char *
scalar_text(struct ctx *c, struct fy_node *n, flow_pos at, const struct place *pl,
            const char *what)
{
	if (fy_node_is_alias(n)) {
		err(c, yaml_node_pos(n, at), "%s%s uses an alias (*name); write the value out in full",
		    pl->who, what);
		return NULL;
	}
	if (fy_node_get_type(n) != FYNT_SCALAR) {
		err(c, yaml_node_pos(n, at), "%s%s must be text, not a %s", pl->who, what,
		    fy_node_get_type(n) == FYNT_MAPPING ? "map" : "list");
		return NULL;
	}
	size_t len;
	const char *s = fy_node_get_scalar(n, &len);
	if (!s)
		s = "";
	if (memchr(s, '\0', len)) {
		err(c, yaml_node_pos(n, at), "%s%s contains a zero byte; remove it", pl->who, what);
		return NULL;
	}
	char *out = malloc(len + 1);
	if (!out) {
		c->oom = true;
		return NULL;
	}
	memcpy(out, s, len);
	out[len] = '\0';
	return out;
}

/* A required, non-empty text value. */
static char *
want_text(struct ctx *c, struct fy_node *v, flow_pos kpos, const struct place *pl,
          const char *what, const char *mend)
{
	if (yaml_is_null(v)) {
		err(c, kpos, "%s%s is empty; %s", pl->who, what, mend);
		return NULL;
	}
	char *s = scalar_text(c, v, kpos, pl, what);
	if (s && !*s) {
		err(c, yaml_node_pos(v, kpos), "%s%s is empty; %s", pl->who, what, mend);
		free(s);
		return NULL;
	}
	return s;
}

struct key {
	const char *name;
	struct fy_node *val;
	flow_pos pos;     /* of the key; line 0 when absent */
	bool seen;
	bool misspelt;    /* an unknown key looked like it; "has no" would repeat that */
};

/*
 * Reads a map's keys into keys[] (by name). Reports unknown keys (with a
 * likely meant one), repeated keys and keys that are not plain words.
 * Returns false when n is not a map at all (after reporting it).
 */
static bool
read_map(struct ctx *c, struct fy_node *n, flow_pos at, const struct place *pl,
         struct key *keys, size_t nkeys, const char *what_map)
{
	const char *names[16];
	for (size_t i = 0; i < nkeys && i < 16; i++)
		names[i] = keys[i].name;
	if (!n || fy_node_get_type(n) != FYNT_MAPPING) {
		char list[512];
		join_names(list, sizeof list, names, nkeys < 16 ? nkeys : 16);
		err(c, yaml_node_pos(n, at), "%s must be a map with the keys %s", what_map, list);
		return false;
	}
	void *it = NULL;
	struct fy_node_pair *p;
	while ((p = fy_node_mapping_iterate(n, &it))) {
		struct fy_node *k = fy_node_pair_key(p);
		struct fy_node *v = fy_node_pair_value(p);
		flow_pos kp = yaml_node_pos(k, yaml_node_pos(v, at));
		size_t klen = 0;
		const char *ks = k && fy_node_get_type(k) == FYNT_SCALAR && !fy_node_is_alias(k)
		                 ? fy_node_get_scalar(k, &klen) : NULL;
		if (!ks || memchr(ks, '\0', klen) || klen > 200) {
			err(c, kp, "keys in %s must be plain words such as '%s'", pl->where, keys[0].name);
			continue;
		}
		char kbuf[208];
		memcpy(kbuf, ks, klen);
		kbuf[klen] = '\0';
		size_t i = 0;
		while (i < nkeys && strcmp(keys[i].name, kbuf) != 0)
			i++;
		if (i == nkeys) {
			const char *near = closest(kbuf, names, nkeys < 16 ? nkeys : 16);
			if (near) {
				err(c, kp, "unknown key '%s' in %s; did you mean '%s'?", kbuf, pl->where, near);
				for (size_t j = 0; j < nkeys; j++)
					if (keys[j].name == near)
						keys[j].misspelt = true;
			} else {
				char list[512];
				join_names(list, sizeof list, names, nkeys < 16 ? nkeys : 16);
				err(c, kp, "unknown key '%s' in %s; the keys are %s", kbuf, pl->where, list);
			}
			continue;
		}
		if (keys[i].seen) {
			err(c, kp, "key '%s' appears twice in %s (first at line %d); keep one",
			    kbuf, pl->where, keys[i].pos.line);
			continue;
		}
		keys[i].seen = true;
		keys[i].val = v;
		keys[i].pos = kp;
	}
	return true;
}

/* The text of a plain scalar, for peeking at an id before the map is read;
 * borrowed into buf, NULL when there is no usable one. */
static const char *
peek_scalar(struct fy_node *map, const char *key, char *buf, size_t len)
{
	if (!map || fy_node_get_type(map) != FYNT_MAPPING)
		return NULL;
	struct fy_node *v = fy_node_mapping_lookup_by_string(map, key, FY_NT);
	if (!v || fy_node_get_type(v) != FYNT_SCALAR || fy_node_is_alias(v))
		return NULL;
	size_t n;
	const char *s = fy_node_get_scalar(v, &n);
	if (!s || n == 0 || n >= len || memchr(s, '\0', n))
		return NULL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

/* ---- texts ------------------------------------------------------------ */

static bool
tstr_push(struct ctx *c, tstr *t, const char *lang, char *text)
{
	tstr_item *items = realloc(t->items, (t->n + 1) * sizeof *items);
	char *l = tl_strdup(lang);
	if (!items || !l) {
		if (items)
			t->items = items;
		free(l);
		free(text);
		c->oom = true;
		return false;
	}
	t->items = items;
	t->items[t->n].lang = l;
	t->items[t->n].text = text;
	t->n++;
	return true;
}

static bool
tstr_has(const tstr *t, const char *lang)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->items[i].lang, lang) == 0)
			return true;
	return false;
}

/*
 * A text: a plain string in the flow's first language or a map from
 * language to text. what is e.g. "'prompt'". A declared language with no
 * text is a warning (the kiosk falls back to the first language).
 */
static void
read_tstr(struct ctx *c, struct fy_node *v, flow_pos kpos, const struct place *pl,
          const char *what, bool required, const char *mend, tstr *out)
{
	const flow *f = c->f;
	const char *first = f->n_languages ? f->languages[0] : "en";
	if (yaml_is_null(v)) {
		if (required)
			err(c, kpos, "%s%s is empty; %s", pl->who, what, mend);
		return;
	}
	if (fy_node_get_type(v) == FYNT_SEQUENCE) {
		err(c, yaml_node_pos(v, kpos), "%s%s must be text or a map of languages to text, not a list",
		    pl->who, what);
		return;
	}
	if (fy_node_get_type(v) == FYNT_SCALAR) {
		char *s = want_text(c, v, kpos, pl, what, mend);
		if (!s || !tstr_push(c, out, first, s))
			return;
	} else {
		void *it = NULL;
		struct fy_node_pair *p;
		while ((p = fy_node_mapping_iterate(v, &it))) {
			struct fy_node *k = fy_node_pair_key(p);
			struct fy_node *tv = fy_node_pair_value(p);
			flow_pos lp = yaml_node_pos(k, kpos);
			char lang[64];
			const char *ls = NULL;
			size_t ll = 0;
			if (k && fy_node_get_type(k) == FYNT_SCALAR && !fy_node_is_alias(k))
				ls = fy_node_get_scalar(k, &ll);
			if (!ls || ll == 0 || ll >= sizeof lang || memchr(ls, '\0', ll)) {
				err(c, lp, "%s%s: languages must be codes such as '%s'", pl->who, what, first);
				continue;
			}
			memcpy(lang, ls, ll);
			lang[ll] = '\0';
			size_t li = 0;
			while (li < f->n_languages && strcmp(f->languages[li], lang) != 0)
				li++;
			/* With no good languages list, that is the one error to report. */
			if (li == f->n_languages && f->n_languages) {
				char list[256];
				join_names(list, sizeof list, (const char *const *)f->languages, f->n_languages);
				err(c, lp, "%s%s has text in '%s', which is not one of the flow's languages (%s); "
				    "add '%s' to languages or remove this text", pl->who, what, lang, list, lang);
				continue;
			}
			if (tstr_has(out, lang)) {
				err(c, lp, "%s%s has '%s' text twice; keep one", pl->who, what, lang);
				continue;
			}
			char sub[96];
			snprintf(sub, sizeof sub, "%s in '%s'", what, lang);
			char *s = want_text(c, tv, lp, pl, sub, mend);
			if (!s || !tstr_push(c, out, lang, s))
				continue;
		}
		if (out->n == 0) {
			if (fy_node_mapping_item_count(v) == 0)
				err(c, kpos, "%s%s is empty; %s", pl->who, what, mend);
			return;
		}
	}
	for (size_t i = 0; i < f->n_languages; i++)
		if (!tstr_has(out, f->languages[i]))
			warn(c, yaml_node_pos(v, kpos), "%s%s has no '%s' text; the kiosk will show the '%s' text instead",
			     pl->who, what, f->languages[i], out->items[0].lang);
}

/* ---- the flow's own keys ---------------------------------------------- */

static bool
parse_whole(const char *s, long min, long max, long *out)
{
	if (!s || !*s)
		return false;
	long v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		if (v > (LONG_MAX - 9) / 10)
			return false;
		v = v * 10 + (*p - '0');
	}
	if (v < min || v > max)
		return false;
	*out = v;
	return true;
}

static void
read_languages(struct ctx *c, struct key *k, flow_pos root_pos)
{
	flow *f = c->f;
	static const struct place pl = { "the flow", "" };
	if (!k->seen) {
		if (!k->misspelt)
			err(c, root_pos, "the flow has no 'languages'; add the language codes, e.g. 'languages: [en]'");
		return;
	}
	struct fy_node *v = k->val;
	if (yaml_is_null(v) || (fy_node_get_type(v) == FYNT_SEQUENCE && fy_node_sequence_item_count(v) == 0)) {
		err(c, k->pos, "'languages' is empty; list at least one language code, e.g. 'languages: [en]'");
		return;
	}
	size_t n = fy_node_get_type(v) == FYNT_SEQUENCE ? (size_t)fy_node_sequence_item_count(v) : 1;
	f->languages = xcalloc(c, n, sizeof *f->languages);
	if (!f->languages)
		return;
	void *it = NULL;
	struct fy_node *item = fy_node_get_type(v) == FYNT_SEQUENCE ? fy_node_sequence_iterate(v, &it) : v;
	for (; item; item = fy_node_get_type(v) == FYNT_SEQUENCE ? fy_node_sequence_iterate(v, &it) : NULL) {
		flow_pos ip = yaml_node_pos(item, k->pos);
		char *s = yaml_is_null(item) ? NULL : scalar_text(c, item, k->pos, &pl, "a language");
		if (!s) {
			if (yaml_is_null(item))
				err(c, ip, "a language in 'languages' is empty; write a code such as 'en'");
			continue;
		}
		char sl[64];
		if (!tl_is_slug(s) || strlen(s) > 32) {
			yaml_suggest_slug(s, sl, sizeof sl);
			err(c, ip, "language '%s' is not a language code; use a lower-case code such as '%s'",
			    s, *sl ? sl : "en");
			free(s);
			continue;
		}
		bool dup = false;
		for (size_t i = 0; i < f->n_languages; i++)
			dup |= strcmp(f->languages[i], s) == 0;
		if (dup) {
			err(c, ip, "language '%s' is listed twice; list each language once", s);
			free(s);
			continue;
		}
		f->languages[f->n_languages++] = s;
	}
}

/* ---- questions --------------------------------------------------------- */

enum { QK_ID, QK_TYPE, QK_SCALE, QK_PROMPT, QK_EASY, QK_SYMBOL, QK_CLIP, QK_ANSWERS, QK_NEXT, QK_N };
static const char *const question_keys[QK_N] = {
	"id", "type", "scale", "prompt", "easy_read", "symbol", "clip", "answers", "next",
};

static void
init_keys(struct key *keys, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		keys[i] = (struct key){ .name = names[i] };
}

static void
type_list(char *buf, size_t len)
{
	join_names(buf, len, type_names, QT_COUNT);
}

/* An optional symbol or clip reference: plain text, no spaces at the ends. */
static char *
read_ref(struct ctx *c, struct key *k, const struct place *pl, const char *what, const char *mend)
{
	if (!k->seen)
		return NULL;
	char *s = want_text(c, k->val, k->pos, pl, what, mend);
	if (s && (s[0] == ' ' || s[strlen(s) - 1] == ' ')) {
		err(c, yaml_node_pos(k->val, k->pos), "%s%s '%s' has spaces at its ends; remove them", pl->who, what, s);
		free(s);
		return NULL;
	}
	return s;
}

enum { AK_ID, AK_LABEL, AK_SYMBOL, AK_N };
static const char *const answer_keys[AK_N] = { "id", "label", "symbol" };

/* Reads one answer map into a (a zeroed answer). builtin: the ids an
 * answer may relabel, NULL for choose questions. */
static void
read_answer(struct ctx *c, flow_question *q, const char *qname, size_t index,
            struct fy_node *n, flow_pos at, const struct builtin *bi, size_t nbi,
            flow_answer *a)
{
	struct place pl;
	char idbuf[64];
	const char *peek = peek_scalar(n, "id", idbuf, sizeof idbuf);
	if (peek && tl_is_slug(peek)) {
		snprintf(pl.where, sizeof pl.where, "answer '%s' of %s", peek, qname);
		snprintf(pl.who, sizeof pl.who, "%s, answer '%s': ", qname, peek);
	} else {
		snprintf(pl.where, sizeof pl.where, "answer %zu of %s", index + 1, qname);
		snprintf(pl.who, sizeof pl.who, "%s, answer %zu: ", qname, index + 1);
	}
	struct key keys[AK_N];
	init_keys(keys, answer_keys, AK_N);
	a->pos = yaml_node_pos(n, at);
	char what_map[200];
	snprintf(what_map, sizeof what_map, "%s, answer %zu", qname, index + 1);
	if (!read_map(c, n, at, &pl, keys, AK_N, what_map))
		return;

	if (!keys[AK_ID].seen) {
		if (!keys[AK_ID].misspelt)
			err(c, a->pos, "%s has no 'id'; add a short name, e.g. 'id: %s'",
			    pl.where, bi ? bi[0].id : "answer-1");
	} else {
		a->id = want_text(c, keys[AK_ID].val, keys[AK_ID].pos, &pl, "'id'",
		                  "write a short name such as 'teacher'");
		if (a->id && !tl_is_slug(a->id)) {
			char sl[64];
			yaml_suggest_slug(a->id, sl, sizeof sl);
			err(c, yaml_node_pos(keys[AK_ID].val, keys[AK_ID].pos),
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
			join_names(list, sizeof list, ids, nbi);
			err(c, yaml_node_pos(keys[AK_ID].val, keys[AK_ID].pos),
			    "%s: answer '%s' is not a built-in answer of %s questions; relabel one of %s, "
			    "or make it a choose-one question", qname, a->id, question_type_name(q->type), list);
		}
	}
	if (keys[AK_LABEL].seen)
		read_tstr(c, keys[AK_LABEL].val, keys[AK_LABEL].pos, &pl, "'label'", true,
		          "write one or two words, e.g. 'label: Teacher'", &a->label);
	else if (!bi && !keys[AK_LABEL].misspelt)
		err(c, a->pos, "%s has no 'label'; add one or two words, e.g. 'label: Teacher'", pl.where);
	if (keys[AK_SYMBOL].seen)
		a->symbol = read_ref(c, &keys[AK_SYMBOL], &pl, "'symbol'",
		                     "write a bundled symbol name or a picture path");
	else if (!bi && !keys[AK_SYMBOL].misspelt)
		err(c, a->pos, "%s has no 'symbol'; add a picture so people who do not read can answer",
		    pl.where);
}

static bool
fill_builtin(struct ctx *c, flow_answer *a, const struct builtin *b, flow_pos pos)
{
	a->id = xstrdup(c, b->id);
	a->symbol = xstrdup(c, b->symbol);
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
		char *label = xstrdup(c, b->label[i]);
		if (!label || !tstr_push(c, &a->label, builtin_langs[i], label))
			return false;
	}
	return true;
}

static void
read_answers(struct ctx *c, flow_question *q, const char *qname, struct key *k)
{
	size_t nbi;
	const struct builtin *bi = builtins_of(q->type, q->scale, &nbi);
	struct fy_node *v = k->seen ? k->val : NULL;
	bool choose = q->type == QT_CHOOSE_ONE || q->type == QT_CHOOSE_MANY;
	size_t n = 0;
	bool bad_shape = false;

	if (k->seen && !yaml_is_null(v) && fy_node_get_type(v) != FYNT_SEQUENCE) {
		bad_shape = true;
		err(c, yaml_node_pos(v, k->pos), "%s: 'answers' must be a list, one '- { id: ..., label: ..., "
		    "symbol: ... }' per answer", qname);
		v = NULL;
	} else if (v && !yaml_is_null(v)) {
		n = (size_t)fy_node_sequence_item_count(v);
	} else {
		v = NULL;
	}
	if (choose && (n < 2 || n > 6) && !bad_shape) {
		if (!k->seen && !k->misspelt)
			err(c, q->pos, "%s has no 'answers'; add 2 to 6 answers, each with id, label and symbol",
			    qname);
		else if (k->seen)
			err(c, k->pos, "%s has %zu answer%s; %s questions need 2 to 6", qname, n,
			    n == 1 ? "" : "s", question_type_name(q->type));
	}
	if (q->type != QT_FEELINGS && q->type != QT_YES_NO && !choose)
		return;

	flow_answer *given = v ? xcalloc(c, n, sizeof *given) : NULL;
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
					err(c, a->pos, "%s: answer id '%s' is used twice (first at line %d); "
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
	q->answers = xcalloc(c, nbi, sizeof *q->answers);
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
		answer_finish(&given[j]);
	free(given);
}

static void
answer_list(const flow_question *q, char *buf, size_t len)
{
	const char *ids[8];
	size_t n = q->n_answers < 8 ? q->n_answers : 8;
	for (size_t i = 0; i < n; i++)
		ids[i] = q->answers[i].id;
	join_names(buf, len, ids, n);
}

enum { RK_IF, RK_GOTO, RK_N };
static const char *const rule_keys[RK_N] = { "if", "goto" };

static void
read_rules(struct ctx *c, flow_question *q, const char *qname, struct key *k)
{
	if (!k->seen || yaml_is_null(k->val))
		return;
	if (fy_node_get_type(k->val) != FYNT_SEQUENCE) {
		err(c, yaml_node_pos(k->val, k->pos), "%s: 'next' must be a list of skip rules, "
		    "e.g. '- { if: yes, goto: end }'", qname);
		return;
	}
	size_t n = (size_t)fy_node_sequence_item_count(k->val);
	q->rules = xcalloc(c, n, sizeof *q->rules);
	if (!q->rules)
		return;
	void *it = NULL;
	struct fy_node *item;
	while ((item = fy_node_sequence_iterate(k->val, &it))) {
		flow_rule *r = &q->rules[q->n_rules++];
		r->goto_index = -1;
		r->pos = yaml_node_pos(item, k->pos);
		struct place pl;
		snprintf(pl.where, sizeof pl.where, "a skip rule of %s", qname);
		snprintf(pl.who, sizeof pl.who, "%s, skip rule %zu: ", qname, q->n_rules);
		struct key keys[RK_N];
		init_keys(keys, rule_keys, RK_N);
		char what_map[200];
		snprintf(what_map, sizeof what_map, "%s: skip rule %zu", qname, q->n_rules);
		if (!read_map(c, item, k->pos, &pl, keys, RK_N, what_map))
			continue;
		if (!keys[RK_IF].seen && !keys[RK_IF].misspelt)
			err(c, r->pos, "%s has no 'if'; name the answer that jumps, e.g. 'if: %s'",
			    what_map, q->n_answers ? q->answers[0].id : "yes");
		else if (keys[RK_IF].seen)
			r->if_answer = want_text(c, keys[RK_IF].val, keys[RK_IF].pos, &pl, "'if'",
			                         "name one of this question's answers");
		if (!keys[RK_GOTO].seen && !keys[RK_GOTO].misspelt)
			err(c, r->pos, "%s has no 'goto'; name a later question or 'end'", what_map);
		else if (keys[RK_GOTO].seen)
			r->goto_id = want_text(c, keys[RK_GOTO].val, keys[RK_GOTO].pos, &pl, "'goto'",
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
			const char *near = closest(r->if_answer, ids, na);
			if (near)
				err(c, ip, "%s: skip rule names answer '%s', which this question does not have; "
				    "did you mean '%s'?", qname, r->if_answer, near);
			else
				err(c, ip, "%s: skip rule names answer '%s', which this question does not have; "
				    "use one of %s", qname, r->if_answer, list);
			continue;
		}
		for (size_t j = 0; j + 1 < q->n_rules; j++) {
			if (q->rules[j].if_answer && strcmp(q->rules[j].if_answer, r->if_answer) == 0) {
				err(c, ip, "%s: answer '%s' already has a skip rule (line %d); keep one",
				    qname, r->if_answer, q->rules[j].pos.line);
				break;
			}
		}
	}
}

static void
read_question(struct ctx *c, size_t index, struct fy_node *n, flow_pos at, flow_question *q)
{
	char idbuf[64];
	char qname[96];
	const char *peek = peek_scalar(n, "id", idbuf, sizeof idbuf);
	if (peek && tl_is_slug(peek))
		snprintf(qname, sizeof qname, "question '%s'", peek);
	else
		snprintf(qname, sizeof qname, "question %zu", index + 1);
	struct place pl;
	snprintf(pl.where, sizeof pl.where, "%s", qname);
	snprintf(pl.who, sizeof pl.who, "%s: ", qname);
	q->pos = yaml_node_pos(n, at);
	struct key keys[QK_N];
	init_keys(keys, question_keys, QK_N);
	if (!read_map(c, n, at, &pl, keys, QK_N, qname))
		return;

	if (!keys[QK_ID].seen) {
		if (!keys[QK_ID].misspelt)
			err(c, q->pos, "%s has no 'id'; add a short name, e.g. 'id: question-%zu'", qname, index + 1);
	} else if ((q->id = want_text(c, keys[QK_ID].val, keys[QK_ID].pos, &pl, "'id'",
	                              "write a short name such as 'feeling'"))) {
		flow_pos ip = yaml_node_pos(keys[QK_ID].val, keys[QK_ID].pos);
		if (!tl_is_slug(q->id)) {
			char sl[64];
			yaml_suggest_slug(q->id, sl, sizeof sl);
			err(c, ip, "question id '%s' is not a slug; use only a-z, 0-9, '-' and '_' (e.g. '%s')",
			    q->id, *sl ? sl : "question");
			free(q->id);
			q->id = NULL;
		} else if (strcmp(q->id, "end") == 0) {
			err(c, ip, "question id 'end' is kept for 'goto: end'; choose another id");
		} else {
			for (size_t i = 0; i < index; i++) {
				const flow_question *o = &c->f->questions[i];
				if (o->id && strcmp(o->id, q->id) == 0) {
					err(c, ip, "question id '%s' is used twice (first at line %d); "
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
			err(c, q->pos, "%s has no 'type'; use one of %s", qname, types);
	} else {
		char *t = want_text(c, keys[QK_TYPE].val, keys[QK_TYPE].pos, &pl, "'type'", types);
		if (t) {
			int i = 0;
			while (i < QT_COUNT && strcmp(type_names[i], t) != 0)
				i++;
			if (i == QT_COUNT)
				err(c, yaml_node_pos(keys[QK_TYPE].val, keys[QK_TYPE].pos),
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
			char *s = want_text(c, keys[QK_SCALE].val, keys[QK_SCALE].pos, &pl, "'scale'",
			                    "write 3 or 5");
			if (s && strcmp(s, "3") != 0 && strcmp(s, "5") != 0)
				err(c, yaml_node_pos(keys[QK_SCALE].val, keys[QK_SCALE].pos),
				    "%s: scale '%s' must be 3 or 5 (faces)", qname, s);
			else if (s)
				q->scale = s[0] - '0';
			free(s);
		}
	} else if (typed && keys[QK_SCALE].seen) {
		err(c, keys[QK_SCALE].pos, "%s: 'scale' is only for feelings questions; remove it", qname);
	}

	if (!keys[QK_PROMPT].seen) {
		if (!keys[QK_PROMPT].misspelt)
			err(c, q->pos, "%s has no 'prompt'; add the short question, e.g. 'prompt: How was today?'",
			    qname);
	} else {
		read_tstr(c, keys[QK_PROMPT].val, keys[QK_PROMPT].pos, &pl, "'prompt'", true,
		          "write the short question, e.g. 'prompt: How was today?'", &q->prompt);
	}
	if (keys[QK_EASY].seen)
		read_tstr(c, keys[QK_EASY].val, keys[QK_EASY].pos, &pl, "'easy_read'", false,
		          "write one short sentence", &q->easy_read);

	q->symbol = read_ref(c, &keys[QK_SYMBOL], &pl, "'symbol'",
	                     "write a bundled symbol name or a picture path, or remove the key");
	q->symbol_pos = keys[QK_SYMBOL].seen ? yaml_node_pos(keys[QK_SYMBOL].val, keys[QK_SYMBOL].pos) : q->pos;
	q->clip = read_ref(c, &keys[QK_CLIP], &pl, "'clip'",
	                   "write the path of a WAV file, or remove the key");
	q->clip_pos = keys[QK_CLIP].seen ? yaml_node_pos(keys[QK_CLIP].val, keys[QK_CLIP].pos) : q->pos;

	if (typed)
		read_answers(c, q, qname, &keys[QK_ANSWERS]);
	read_rules(c, q, qname, &keys[QK_NEXT]);
}

/* Second pass, once every question id is known: resolve goto targets. */
static void
resolve_rules(struct ctx *c)
{
	flow *f = c->f;
	const char **ids = xcalloc(c, f->n_questions + 1, sizeof *ids);
	if (!ids)
		return;
	for (size_t i = 0; i < f->n_questions; i++)
		ids[i] = f->questions[i].id;
	ids[f->n_questions] = "end";
	for (size_t qi = 0; qi < f->n_questions; qi++) {
		flow_question *q = &f->questions[qi];
		for (size_t ri = 0; ri < q->n_rules; ri++) {
			flow_rule *r = &q->rules[ri];
			if (!r->goto_id)
				continue;
			if (strcmp(r->goto_id, "end") == 0) {
				r->goto_index = -1;
				continue;
			}
			int t = flow_question_index(f, r->goto_id);
			if (t < 0) {
				const char *near = closest(r->goto_id, ids, f->n_questions + 1);
				if (near)
					err(c, r->pos, "skip rule goes to '%s', but there is no such question; "
					    "did you mean '%s'?", r->goto_id, near);
				else
					err(c, r->pos, "skip rule goes to '%s', but there is no such question; "
					    "use a later question's id or 'end'", r->goto_id);
			} else if ((size_t)t <= qi) {
				err(c, r->pos, "skip rule jumps back to '%s', which could loop forever; "
				    "rules may only jump forward", r->goto_id);
			} else {
				r->goto_index = t;
			}
		}
	}
	free(ids);
}

/* ---- the whole file --------------------------------------------------- */

enum { FK_ID, FK_VERSION, FK_TITLE, FK_LANGUAGES, FK_PRESENTATION, FK_QUESTIONS, FK_N };
static const char *const flow_keys[FK_N] = {
	"id", "version", "title", "languages", "presentation", "questions",
};

static void
read_flow(struct ctx *c, struct fy_node *root)
{
	flow *f = c->f;
	static const struct place pl = { "the flow", "" };
	flow_pos rp = yaml_node_pos(root, (flow_pos){ 1, 1 });
	if (fy_node_get_type(root) != FYNT_MAPPING) {
		err(c, rp, "a flow must be a map of keys: id, version, title, languages and questions "
		    "(see docs/flows.md)");
		return;
	}
	struct key keys[FK_N];
	init_keys(keys, flow_keys, FK_N);
	read_map(c, root, rp, &pl, keys, FK_N, "the flow");

	if (!keys[FK_ID].seen) {
		if (!keys[FK_ID].misspelt)
			err(c, rp, "the flow has no 'id'; add a short name, e.g. 'id: school-day'");
	} else if ((f->id = want_text(c, keys[FK_ID].val, keys[FK_ID].pos, &pl, "'id'",
	                              "write a short name such as 'school-day'")) && !tl_is_slug(f->id)) {
		char sl[64];
		yaml_suggest_slug(f->id, sl, sizeof sl);
		err(c, yaml_node_pos(keys[FK_ID].val, keys[FK_ID].pos),
		    "flow id '%s' is not a slug; use only a-z, 0-9, '-' and '_' (e.g. '%s')",
		    f->id, *sl ? sl : "my-flow");
	}

	if (!keys[FK_VERSION].seen) {
		if (!keys[FK_VERSION].misspelt)
			err(c, rp, "the flow has no 'version'; add 'version: 1'");
	} else {
		char *s = want_text(c, keys[FK_VERSION].val, keys[FK_VERSION].pos, &pl, "'version'",
		                    "write a whole number such as 'version: 1'");
		long v;
		if (s && !parse_whole(s, 1, INT_MAX, &v))
			err(c, yaml_node_pos(keys[FK_VERSION].val, keys[FK_VERSION].pos),
			    "version '%s' is not a whole number of 1 or more; write e.g. 'version: 1'", s);
		else if (s)
			f->version = (int)v;
		free(s);
	}

	read_languages(c, &keys[FK_LANGUAGES], rp);

	if (!keys[FK_TITLE].seen) {
		if (!keys[FK_TITLE].misspelt)
			err(c, rp, "the flow has no 'title'; add what staff see, e.g. 'title: How was today?'");
	} else {
		read_tstr(c, keys[FK_TITLE].val, keys[FK_TITLE].pos, &pl, "'title'", true,
		          "write what staff see, e.g. 'title: How was today?'", &f->title);
	}

	if (keys[FK_PRESENTATION].seen) {
		char *s = want_text(c, keys[FK_PRESENTATION].val, keys[FK_PRESENTATION].pos, &pl,
		                    "'presentation'", "write large-symbol or easy-read, or remove the key");
		if (s) {
			int p = presentation_parse(s);
			if (p < 0)
				err(c, yaml_node_pos(keys[FK_PRESENTATION].val, keys[FK_PRESENTATION].pos),
				    "unknown presentation '%s'; use large-symbol or easy-read, or leave it out "
				    "to let the kiosk choose", s);
			else {
				f->presentation = (enum presentation)p;
				f->has_presentation = true;
			}
			free(s);
		}
	}

	struct key *qk = &keys[FK_QUESTIONS];
	if (!qk->seen) {
		if (!qk->misspelt)
			err(c, rp, "the flow has no 'questions'; add a list of at least one question");
		return;
	}
	if (yaml_is_null(qk->val) || (fy_node_get_type(qk->val) == FYNT_SEQUENCE &&
	                         fy_node_sequence_item_count(qk->val) == 0)) {
		err(c, qk->pos, "'questions' is empty; a flow needs at least one question");
		return;
	}
	if (fy_node_get_type(qk->val) != FYNT_SEQUENCE) {
		err(c, yaml_node_pos(qk->val, qk->pos), "'questions' must be a list, one '- id: ...' per question");
		return;
	}
	size_t n = (size_t)fy_node_sequence_item_count(qk->val);
	f->questions = xcalloc(c, n, sizeof *f->questions);
	if (!f->questions)
		return;
	void *it = NULL;
	struct fy_node *item;
	while ((item = fy_node_sequence_iterate(qk->val, &it)) && !c->oom) {
		size_t i = f->n_questions++;
		read_question(c, i, item, qk->pos, &f->questions[i]);
	}
	resolve_rules(c);
}

/* libfyaml lets some malformed text through as empty values, which would
 * give misleading messages; better to say what is really wrong, so the
 * source is checked for UTF-8 first (a zero byte is refused too: not a text
 * file, and it would cut libfyaml's input short). */

int
flow_load_buffer(const char *path, const char *data, size_t len, flow **out, diag_list *diags)
{
	*out = NULL;
	if (!path)
		path = "<flow>";
	flow *f = calloc(1, sizeof *f);
	struct ctx c = { .file = path, .diags = diags, .f = f };
	if (!f) {
		diag_add(diags, DIAG_ERROR, path, 0, 0, "out of memory while reading the flow");
		return -1;
	}
	f->path = tl_strdup(path);
	f->dir = tl_dir_of(path);
	f->source = malloc(len + 1);
	if (!f->path || !f->dir || !f->source) {
		flow_destroy(f);
		diag_add(diags, DIAG_ERROR, path, 0, 0, "out of memory while reading the flow");
		return -1;
	}
	if (len)
		memcpy(f->source, data, len);
	f->source[len] = '\0';
	f->source_len = len;
	tl_sha256_hex(f->source, len, f->hash);

	size_t bad = tl_utf8_bad_at((const unsigned char *)f->source, len, 1);
	if (bad < len) {
		int line = 1, col = 1;
		for (size_t i = 0; i < bad; i++) {
			if (f->source[i] == '\n') {
				line++;
				col = 1;
			} else if (((unsigned char)f->source[i] & 0xc0) != 0x80) {
				col++;
			}
		}
		err(&c, (flow_pos){ line, col }, "the file is not UTF-8 text here (byte 0x%02x); "
		    "save it as UTF-8 in your editor", (unsigned char)f->source[bad]);
		flow_destroy(f);
		return -1;
	}

	struct fy_parser *p = NULL;
	struct fy_document *doc = yaml_parse(c.file, f->source, len,
	                                     "a second YAML document starts here; a flow file holds "
	                                     "one, so remove the '---' line and what follows, or put "
	                                     "it in its own file",
	                                     c.diags, &c.errors, &c.oom, &p);
	struct fy_node *root = doc ? fy_document_root(doc) : NULL;
	if (!c.errors && !c.oom) {
		if (!root || yaml_is_null(root))
			err(&c, (flow_pos){ 0, 0 }, "the file has no flow in it; a flow needs id, version, "
			    "title, languages and questions (see docs/flows.md)");
		else
			read_flow(&c, root);
	}
	if (doc)
		fy_parse_document_destroy(p, doc);
	fy_parser_destroy(p);
	if (c.oom)
		err(&c, (flow_pos){ 0, 0 }, "out of memory while reading the flow");
	if (c.errors) {
		flow_destroy(f);
		return -1;
	}
	*out = f;
	return 0;
}

int
flow_load(const char *path, flow **out, diag_list *diags)
{
	*out = NULL;
	char *data;
	size_t len;
	int e = tl_read_file(path, &data, &len);
	if (e) {
		diag_add(diags, DIAG_ERROR, path, 0, 0, "cannot read the file: %s; check the path",
		         strerror(e));
		return -1;
	}
	int rc = flow_load_buffer(path, data, len, out, diags);
	free(data);
	return rc;
}
