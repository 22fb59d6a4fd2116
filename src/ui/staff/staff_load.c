/*
 * staff_load: "Load from the stick". The worker reads the stick's
 * TELLUS/flows and TELLUS/cards (intake_from_stick: beneath a handle,
 * checked with the checker `tellus check` uses, good files copied into the
 * kiosk's own folders atomically); the view then lists each file with what
 * happened to it in plain words. The kiosk offers what it took from its
 * next start (main.c reads those folders).
 */
#include "staff/staff_internal.h"

#include <stdio.h>
#include <string.h>

bool
staff_load_press(staff *s, int arg)
{
	(void)arg;
	staff_view *v = &s->v;
	if (v->busy || !v->stick || v->screen != STAFF_MENU)
		return false;
	snprintf(s->j.to_dir, sizeof s->j.to_dir, "%s", v->stick_path);
	v->screen = STAFF_LOAD;
	v->load_running = true;
	v->load_n = v->load_more = v->load_taken = 0;
	v->error[0] = '\0';
	if (!staff_worker_start(s, JOB_LOAD)) {
		v->load_running = false;
		snprintf(v->error, sizeof v->error, "Loading could not start. Try again.");
	}
	return true;
}

int
staff_load_run(staff *s, tl_error *err)
{
	intake_known known[STAFF_MAX_FLOWS];
	size_t n = 0;
	for (int i = 0; i < s->opt.n_flows && n < STAFF_MAX_FLOWS; i++) {
		const flow *f = s->opt.flows[i];
		if (f && f->id)
			known[n++] = (intake_known){ f->id, f->version, f->hash };
	}
	intake_opts o = {
		.stick_dir = s->j.to_dir,
		.db_path = s->opt.db_path,
		.data_dir = s->opt.data_dir,
		.known = known,
		.n_known = n,
	};
	intake_report_finish(&s->j.loaded);
	return intake_from_stick(&o, &s->j.loaded, err);
}

void
staff_load_done(staff *s)
{
	staff_view *v = &s->v;
	intake_report *r = &s->j.loaded;
	v->load_running = false;
	if (s->j.rc != 0) {
		snprintf(v->error, sizeof v->error, "%s", s->j.err[0] ? s->j.err : "The stick could not be read.");
	} else {
		for (size_t i = 0; i < r->n; i++) {
			v->load_taken += r->items[i].outcome == INTAKE_TAKEN;
			if (v->load_n < STAFF_LOAD_MAX)
				v->load_items[v->load_n++] = r->items[i];
			else
				v->load_more++;
		}
	}
	intake_report_finish(r);
}
