/*
 * flow_parse_audience: a flow's 'audience', the people who will read its
 * answers (docs/flows.md). Each is a map of a first name, a role (a text in
 * the flow's languages) and a photo (a picture file beside the flow, or a
 * bundled symbol):
 *
 *   audience:
 *     - name: Sam
 *       role: runs the parent forum
 *       photo: photos/sam.png
 *
 * Every problem is reported where it is, and reading goes on (flow_parse.h).
 */
#include "flow/flow_parse.h"
#include "base/yaml_util.h"

#include <stdio.h>
#include <string.h>

enum { PK_NAME, PK_ROLE, PK_PHOTO, PK_N };
static const char *const person_keys[PK_N] = { "name", "role", "photo" };

static void
read_person(struct flow_parse *c, size_t index, struct fy_node *n, flow_pos at, flow_person *p)
{
	struct flow_place pl;
	char nbuf[64];
	const char *peek = flow_parse_peek(n, "name", nbuf, sizeof nbuf);
	if (peek) {
		snprintf(pl.where, sizeof pl.where, "audience '%s'", peek);
		snprintf(pl.who, sizeof pl.who, "audience '%s': ", peek);
	} else {
		snprintf(pl.where, sizeof pl.where, "audience person %zu", index + 1);
		snprintf(pl.who, sizeof pl.who, "audience person %zu: ", index + 1);
	}
	p->pos = yaml_node_pos(n, at);
	struct flow_key keys[PK_N];
	flow_parse_keys_init(keys, person_keys, PK_N);
	char what[200];
	snprintf(what, sizeof what, "%.160s", pl.where);
	if (!flow_parse_map(c, n, at, &pl, keys, PK_N, what))
		return;
	if (!keys[PK_NAME].seen) {
		if (!keys[PK_NAME].misspelt)
			flow_parse_err(c, p->pos, "%sno 'name'; add a first name, e.g. 'name: Sam'", pl.who);
	} else {
		p->name = flow_parse_text(c, keys[PK_NAME].val, keys[PK_NAME].pos, &pl, "'name'",
		                          "write a first name such as 'Sam'");
	}
	if (!keys[PK_ROLE].seen) {
		if (!keys[PK_ROLE].misspelt)
			flow_parse_err(c, p->pos, "%sno 'role'; say what they do, e.g. "
			               "'role: runs the parent forum'", pl.who);
	} else {
		flow_parse_tstr(c, keys[PK_ROLE].val, keys[PK_ROLE].pos, &pl, "'role'", true,
		                "say what they do, e.g. 'role: runs the parent forum'", &p->role);
	}
	if (!keys[PK_PHOTO].seen) {
		if (!keys[PK_PHOTO].misspelt)
			flow_parse_err(c, p->pos, "%sno 'photo'; add a photo file (or a bundled "
			               "symbol such as 'worker') so people who do not read can see who", pl.who);
	} else {
		p->photo = flow_parse_text(c, keys[PK_PHOTO].val, keys[PK_PHOTO].pos, &pl, "'photo'",
		                           "name a photo file beside the flow, or a bundled symbol");
		p->photo_pos = yaml_node_pos(keys[PK_PHOTO].val, keys[PK_PHOTO].pos);
	}
}

void
flow_parse_audience(struct flow_parse *c, struct fy_node *v, flow_pos kpos)
{
	flow *f = c->f;
	if (yaml_is_null(v) || fy_node_get_type(v) != FYNT_SEQUENCE) {
		flow_parse_err(c, yaml_node_pos(v, kpos), "'audience' must be a list, one '- name: ...' per "
		               "person who will read the answers (or remove the key)");
		return;
	}
	size_t n = (size_t)fy_node_sequence_item_count(v);
	if (n == 0) {
		flow_parse_err(c, kpos, "'audience' is empty; list who will read the answers, or remove it");
		return;
	}
	if (n > FLOW_MAX_AUDIENCE) {
		flow_parse_err(c, kpos, "'audience' names %zu people; at most %d fit on the screen, so "
		               "keep the ones families are most likely to meet", n, FLOW_MAX_AUDIENCE);
		return;
	}
	f->audience = flow_parse_calloc(c, n, sizeof *f->audience);
	if (!f->audience)
		return;
	void *it = NULL;
	struct fy_node *item;
	while ((item = fy_node_sequence_iterate(v, &it)) && !c->oom) {
		size_t i = f->n_audience++;
		read_person(c, i, item, kpos, &f->audience[i]);
	}
}
