/*
 * app_flows: a kiosk that offers several flows. Staff choose which are
 * offered (the set-up screen, the staff menu: staff_view.offered); the
 * welcome screen shows a picture card for each offered one when there is
 * more than one, and the person's pick becomes the session's flow, asked in
 * that flow's own presentation. With one offered flow the welcome screen
 * is the plain Start of before, for that flow.
 */
#include "app_internal.h"

static bool
offered(const app *a, int i)
{
	const staff_view *sv = staff_get_view(a->staff);
	return i >= 0 && i < a->n_flows && sv->offered[i];
}

void
app_flows_offered(app *a, ui_ctx *c)
{
	c->n_flows = 0;
	for (int i = 0; i < a->n_flows && c->n_flows < UI_MAX_FLOWS; i++) {
		if (!offered(a, i))
			continue;
		c->flows[c->n_flows] = a->flows[i];
		c->flow_arg[c->n_flows++] = i;
	}
	/* Staff may hide every flow; the kiosk still needs one to offer. */
	if (c->n_flows == 0 && a->n_flows > 0) {
		c->flows[0] = a->flows[0];
		c->flow_arg[0] = 0;
		c->n_flows = 1;
	}
}

bool
app_flows_pick(app *a, int i)
{
	if (i < 0 || i >= a->n_flows || !session_set_flow(a->s, a->flows[i]))
		return false;
	const flow *f = a->flows[i];
	session_set_presentation(a->s, f->has_presentation ? f->presentation
	                                                   : a->opt.config->presentation);
	return true;
}

/* The first offered flow, or the first of all when staff offer none. */
static int
first_offered(const app *a)
{
	for (int i = 0; i < a->n_flows; i++)
		if (offered(a, i))
			return i;
	return 0;
}

void
app_flows_pick_first(app *a)
{
	if (session_get_view(a->s)->screen == SCREEN_WELCOME &&
	    session_flow(a->s) != a->flows[first_offered(a)])
		app_flows_pick(a, first_offered(a));
}

void
app_flows_keep_offered(app *a)
{
	if (session_get_view(a->s)->screen != SCREEN_WELCOME)
		return;
	const flow *now = session_flow(a->s);
	for (int i = 0; i < a->n_flows; i++)
		if (offered(a, i) && a->flows[i] == now)
			return;
	app_flows_pick(a, first_offered(a));
}
