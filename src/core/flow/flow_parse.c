/*
 * flow_parse: the parse state and the readers of the kinds of node every
 * part of a flow file has (see flow_parse.h, which says which file reads
 * what).
 *
 * libfyaml 0.7 has no position for a whole node, so a map or list takes the
 * position of its first key or item, and a value that is missing takes the
 * position of its key (yaml_node_pos).
 */
#include "flow/flow_parse.h"
#include "base/yaml_util.h"
#include "base/util.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reporting --------------------------------------------------------- */

/* msg is the size of a diag's own message: nothing is lost here that
 * diag_add would keep. */
__attribute__((format(printf, 4, 0))) static void
report(struct flow_parse *c, enum diag_severity sev, flow_pos p, const char *fmt, va_list ap)
{
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	diag_add(c->diags, sev, c->file, p.line, p.col, "%s", msg);
	if (sev == DIAG_ERROR)
		c->errors++;
}

void
flow_parse_err(struct flow_parse *c, flow_pos p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(c, DIAG_ERROR, p, fmt, ap);
	va_end(ap);
}

void
flow_parse_warn(struct flow_parse *c, flow_pos p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(c, DIAG_WARNING, p, fmt, ap);
	va_end(ap);
}

char *
flow_parse_strdup(struct flow_parse *c, const char *s)
{
	char *p = tl_strdup(s);
	if (s && !p)
		c->oom = true;
	return p;
}

void *
flow_parse_calloc(struct flow_parse *c, size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		c->oom = true;
	return p;
}

/* ---- did you mean ---------------------------------------------------- */

/* "Close enough": one edit in a short word, up to three in a long one. */
const char *
flow_parse_closest(const char *s, const char *const *cands, size_t n)
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

void
flow_parse_join(char *buf, size_t len, const char *const *names, size_t n)
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

char *
flow_parse_scalar(struct flow_parse *c, struct fy_node *n, flow_pos at,
                  const struct flow_place *pl, const char *what)
{
	if (fy_node_is_alias(n)) {
		flow_parse_err(c, yaml_node_pos(n, at), "%s%s uses an alias (*name); write the value out in full",
		    pl->who, what);
		return NULL;
	}
	if (fy_node_get_type(n) != FYNT_SCALAR) {
		flow_parse_err(c, yaml_node_pos(n, at), "%s%s must be text, not a %s", pl->who, what,
		    fy_node_get_type(n) == FYNT_MAPPING ? "map" : "list");
		return NULL;
	}
	size_t len;
	const char *s = fy_node_get_scalar(n, &len);
	if (!s)
		s = "";
	if (memchr(s, '\0', len)) {
		flow_parse_err(c, yaml_node_pos(n, at), "%s%s contains a zero byte; remove it", pl->who, what);
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

char *
flow_parse_text(struct flow_parse *c, struct fy_node *v, flow_pos kpos,
                const struct flow_place *pl, const char *what, const char *mend)
{
	if (yaml_is_null(v)) {
		flow_parse_err(c, kpos, "%s%s is empty; %s", pl->who, what, mend);
		return NULL;
	}
	char *s = flow_parse_scalar(c, v, kpos, pl, what);
	if (s && !*s) {
		flow_parse_err(c, yaml_node_pos(v, kpos), "%s%s is empty; %s", pl->who, what, mend);
		free(s);
		return NULL;
	}
	return s;
}

void
flow_parse_keys_init(struct flow_key *keys, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		keys[i] = (struct flow_key){ .name = names[i] };
}

/* names[] holds 16: every map of a flow has fewer keys (the question has 9). */
bool
flow_parse_map(struct flow_parse *c, struct fy_node *n, flow_pos at,
               const struct flow_place *pl, struct flow_key *keys, size_t nkeys,
               const char *what_map)
{
	const char *names[16];
	for (size_t i = 0; i < nkeys && i < 16; i++)
		names[i] = keys[i].name;
	if (!n || fy_node_get_type(n) != FYNT_MAPPING) {
		char list[512];
		flow_parse_join(list, sizeof list, names, nkeys < 16 ? nkeys : 16);
		flow_parse_err(c, yaml_node_pos(n, at), "%s must be a map with the keys %s", what_map, list);
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
			flow_parse_err(c, kp, "keys in %s must be plain words such as '%s'", pl->where, keys[0].name);
			continue;
		}
		char kbuf[208];
		memcpy(kbuf, ks, klen);
		kbuf[klen] = '\0';
		size_t i = 0;
		while (i < nkeys && strcmp(keys[i].name, kbuf) != 0)
			i++;
		if (i == nkeys) {
			const char *near = flow_parse_closest(kbuf, names, nkeys < 16 ? nkeys : 16);
			if (near) {
				flow_parse_err(c, kp, "unknown key '%s' in %s; did you mean '%s'?", kbuf, pl->where, near);
				for (size_t j = 0; j < nkeys; j++)
					if (keys[j].name == near)
						keys[j].misspelt = true;
			} else {
				char list[512];
				flow_parse_join(list, sizeof list, names, nkeys < 16 ? nkeys : 16);
				flow_parse_err(c, kp, "unknown key '%s' in %s; the keys are %s", kbuf, pl->where, list);
			}
			continue;
		}
		if (keys[i].seen) {
			flow_parse_err(c, kp, "key '%s' appears twice in %s (first at line %d); keep one",
			    kbuf, pl->where, keys[i].pos.line);
			continue;
		}
		keys[i].seen = true;
		keys[i].val = v;
		keys[i].pos = kp;
	}
	return true;
}

const char *
flow_parse_peek(struct fy_node *map, const char *key, char *buf, size_t len)
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

bool
flow_parse_tstr_push(struct flow_parse *c, tstr *t, const char *lang, char *text)
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

/* Language codes longer than lang[64] are refused with a message, never
 * cut short. */
bool
flow_parse_lang_key(struct flow_parse *c, struct fy_node *k, flow_pos lp,
                    const struct flow_place *pl, const char *what, const char *has,
                    const char *thing, char *lang, size_t len)
{
	const flow *f = c->f;
	const char *first = f->n_languages ? f->languages[0] : "en";
	const char *ls = NULL;
	size_t ll = 0;
	if (k && fy_node_get_type(k) == FYNT_SCALAR && !fy_node_is_alias(k))
		ls = fy_node_get_scalar(k, &ll);
	if (!ls || ll == 0 || ll >= len || memchr(ls, '\0', ll)) {
		flow_parse_err(c, lp, "%s%s: languages must be codes such as '%s'", pl->who, what, first);
		return false;
	}
	memcpy(lang, ls, ll);
	lang[ll] = '\0';
	size_t li = 0;
	while (li < f->n_languages && strcmp(f->languages[li], lang) != 0)
		li++;
	/* With no good languages list, that is the one error to report. */
	if (li == f->n_languages && f->n_languages) {
		char list[256];
		flow_parse_join(list, sizeof list, (const char *const *)f->languages, f->n_languages);
		flow_parse_err(c, lp, "%s%s has %s in '%s', which is not one of %s languages (%s); "
		    "add '%s' to languages or remove this %s", pl->who, what, has, lang,
		    c->whose ? c->whose : "the flow's", list, lang, thing);
		return false;
	}
	return true;
}

void
flow_parse_tstr(struct flow_parse *c, struct fy_node *v, flow_pos kpos,
                const struct flow_place *pl, const char *what, bool required,
                const char *mend, tstr *out)
{
	const flow *f = c->f;
	const char *first = f->n_languages ? f->languages[0] : "en";
	if (yaml_is_null(v)) {
		if (required)
			flow_parse_err(c, kpos, "%s%s is empty; %s", pl->who, what, mend);
		return;
	}
	if (fy_node_get_type(v) == FYNT_SEQUENCE) {
		flow_parse_err(c, yaml_node_pos(v, kpos), "%s%s must be text or a map of languages to text, not a list",
		    pl->who, what);
		return;
	}
	if (fy_node_get_type(v) == FYNT_SCALAR) {
		char *s = flow_parse_text(c, v, kpos, pl, what, mend);
		if (!s || !flow_parse_tstr_push(c, out, first, s))
			return;
	} else {
		void *it = NULL;
		struct fy_node_pair *p;
		while ((p = fy_node_mapping_iterate(v, &it))) {
			struct fy_node *k = fy_node_pair_key(p);
			struct fy_node *tv = fy_node_pair_value(p);
			flow_pos lp = yaml_node_pos(k, kpos);
			char lang[64];
			if (!flow_parse_lang_key(c, k, lp, pl, what, "text", "text", lang, sizeof lang))
				continue;
			if (tstr_has(out, lang)) {
				flow_parse_err(c, lp, "%s%s has '%s' text twice; keep one", pl->who, what, lang);
				continue;
			}
			char sub[96];
			snprintf(sub, sizeof sub, "%s in '%s'", what, lang);
			char *s = flow_parse_text(c, tv, lp, pl, sub, mend);
			if (!s || !flow_parse_tstr_push(c, out, lang, s))
				continue;
		}
		if (out->n == 0) {
			if (fy_node_mapping_item_count(v) == 0)
				flow_parse_err(c, kpos, "%s%s is empty; %s", pl->who, what, mend);
			return;
		}
	}
	for (size_t i = 0; i < f->n_languages; i++)
		if (!tstr_has(out, f->languages[i]))
			flow_parse_warn(c, yaml_node_pos(v, kpos),
			                "%s%s has no '%s' text; the kiosk will show the '%s' text instead",
			                pl->who, what, f->languages[i], out->items[0].lang);
}

bool
flow_parse_utf8(struct flow_parse *c, const char *s, size_t len)
{
	return yaml_utf8_ok(c->file, s, len, c->diags, &c->errors);
}
