/*
 * test_oom: memory running out, on purpose (SQLite's fault injection, in
 * small). malloc, calloc and realloc are wrapped at link time
 * (-Wl,--wrap=...), so every allocation the core makes can be made to fail:
 * the 1st, then the 2nd, and so on until a run makes none fail. Each time
 * the call must fail cleanly, say "out of memory", hand out nothing and
 * change nothing, and under ASan leak nothing. Tried: flow_load_buffer
 * (the three demo flows and one with every kind of thing), the helper
 * question, session_create and config_load.
 *
 * Only the core's own allocations are counted: libfyaml, OpenSSL and libc
 * are shared libraries the wrap does not reach, so their own running out
 * is not tested here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "flow/flow.h"
#include "flow/flow_helper.h"
#include "session/session.h"
#include "base/util.h"
#include "oom_wrap.h"

/* ---- flows --------------------------------------------------------------- */

/* Every kind of thing the parser makes: languages, texts in two of them,
 * built-in answers relabelled, choose answers, skip rules, clips (a plain
 * one and one per language). */
static const char rich[] =
	"id: oom\n"
	"version: 1\n"
	"title: { en: How was today?, pl: Jak było dzisiaj? }\n"
	"languages: [en, pl]\n"
	"presentation: easy-read\n"
	"questions:\n"
	"  - id: feeling\n"
	"    type: feelings\n"
	"    scale: 3\n"
	"    prompt: { en: How do you feel?, pl: Jak się czujesz? }\n"
	"    easy_read: { en: Tap a face., pl: Dotknij buzi. }\n"
	"    symbol: face-happy\n"
	"    clip: clips/feeling.wav\n"
	"    answers:\n"
	"      - { id: happy, label: { en: Great, pl: Super } }\n"
	"    next:\n"
	"      - { if: sad, goto: help }\n"
	"      - { if: happy, goto: end }\n"
	"  - id: liked\n"
	"    type: choose-many\n"
	"    prompt: { en: What did you like?, pl: Co ci się podobało? }\n"
	"    clip: { en: clips/en/liked.wav, pl: clips/pl/liked.wav }\n"
	"    answers:\n"
	"      - { id: sport, label: { en: Sport, pl: Sport }, symbol: sport }\n"
	"      - { id: art, label: { en: Art, pl: Sztuka }, symbol: pictures/art.png }\n"
	"  - id: help\n"
	"    type: yes-no\n"
	"    prompt: { en: Do you want help?, pl: Chcesz pomocy? }\n"
	"    answers:\n"
	"      - { id: yes, label: { en: Yes please, pl: \"Tak, proszę\" } }\n"
	"    next:\n"
	"      - { if: no, goto: end }\n";

/* "out of memory while reading the flow" and no other error: running out
 * must not pass for a mistake in the file. */
static bool
has_oom(const diag_list *d)
{
	size_t oom = 0, other = 0;
	for (size_t i = 0; i < d->n; i++) {
		if (d->items[i].severity != DIAG_ERROR)
			continue;
		if (strcmp(d->items[i].msg, "out of memory while reading the flow") == 0)
			oom++;
		else
			other++;
	}
	return oom == 1 && other == 0;
}

/* A diag list with room made beforehand: diag_add drops a problem it has
 * no memory for, and the one about memory must get through. */
static void
roomy(diag_list *d)
{
	*d = (diag_list){ 0 };
	d->cap = 64;
	d->items = __real_calloc(d->cap, sizeof *d->items);
	assert_non_null(d->items);
}

static void
load_fails_cleanly(const char *name, const char *data, size_t len)
{
	long runs = 0;
	for (long nth = 1;; nth++) {
		diag_list d;
		roomy(&d);
		flow *f = (flow *)1;
		oom_arm(nth);
		int rc = flow_load_buffer(name, data, len, &f, &d);
		oom_disarm();
		if (!oom_failed()) {
			/* Every allocation has been failed once; this run made them all. */
			assert_int_equal(rc, 0);
			assert_non_null(f);
			assert_int_equal(diag_count(&d, DIAG_ERROR), 0);
			flow_destroy(f);
			diag_list_finish(&d);
			break;
		}
		runs++;
		if (rc != -1 || f != NULL || !has_oom(&d)) {
			fprintf(stderr, "%s: allocation %ld failed: rc %d, model %s, said:\n", name, nth, rc,
			        f ? "handed out" : "none");
			for (size_t i = 0; i < d.n; i++)
				fprintf(stderr, "  %s\n", d.items[i].msg);
		}
		assert_int_equal(rc, -1);
		assert_null(f);
		assert_true(has_oom(&d));
		diag_list_finish(&d);
	}
	/* Not a test that failed nothing: the flows make hundreds. */
	assert_true(runs > 50);
}

static void
flow_load_buffer_out_of_memory(void **state)
{
	(void)state;
	load_fails_cleanly("rich.yaml", rich, sizeof rich - 1);
	static const char *const demos[] = { "school-day.yaml", "clinic-visit.yaml", "co-production.yaml" };
	for (size_t i = 0; i < sizeof demos / sizeof demos[0]; i++) {
		char *path = tl_asprintf("%s/config/flows/%s", tl_data_dir(), demos[i]);
		assert_non_null(path);
		char *data;
		size_t len;
		assert_int_equal(tl_read_file(path, &data, &len, NULL), 0);
		load_fails_cleanly(path, data, len);
		free(data);
		free(path);
	}
}

/* ---- the helper question and the session machine ----------------------- */

static flow *
load_rich(void)
{
	diag_list d = { 0 };
	flow *f = NULL;
	assert_int_equal(flow_load_buffer("rich.yaml", rich, sizeof rich - 1, &f, &d), 0);
	diag_list_finish(&d);
	return f;
}

static void
helper_question_out_of_memory(void **state)
{
	(void)state;
	for (long nth = 1;; nth++) {
		flow *f = load_rich();
		size_t n = f->n_questions;
		tl_error e;
		oom_arm(nth);
		int rc = flow_add_helper_question(f, &e);
		oom_disarm();
		if (!oom_failed()) {
			assert_int_equal(rc, 0);
			assert_int_equal(f->n_questions, n + 1);
			assert_int_equal(f->questions[0].rules[1].goto_index, (int)n);
			assert_string_equal(f->questions[0].rules[1].goto_id, FLOW_HELPER_ID);
			flow_destroy(f);
			assert_true(nth > 10);
			break;
		}
		assert_int_equal(rc, -1);
		assert_int_equal(e.code, TL_E_NOMEM);
		assert_string_equal(e.msg, "out of memory");
		/* Unchanged: no question added, no rule sent anywhere new. */
		assert_int_equal(f->n_questions, n);
		assert_int_equal(f->questions[0].rules[1].goto_index, -1);
		assert_string_equal(f->questions[0].rules[1].goto_id, "end");
		assert_int_equal(f->questions[2].rules[0].goto_index, -1);
		assert_int_equal(flow_question_index(f, FLOW_HELPER_ID), -1);
		flow_destroy(f);
	}
}

static void sink_begin(void *ud, const session_begin_rec *r) { (void)ud; (void)r; }
static void sink_answer(void *ud, const session_answer_rec *r) { (void)ud; (void)r; }
static void sink_end(void *ud, const session_end_rec *r) { (void)ud; (void)r; }

static void
session_create_out_of_memory(void **state)
{
	(void)state;
	flow *f = load_rich();
	tl_fake_clock clk;
	tl_fake_clock_init(&clk, 0, 0);
	session_sink sink = { sink_begin, sink_answer, sink_end, NULL };
	for (long nth = 1;; nth++) {
		oom_arm(nth);
		session *s = session_create(f, NULL, &clk.clock, sink);
		oom_disarm();
		if (!oom_failed()) {
			assert_non_null(s);
			session_destroy(s);
			assert_true(nth > 1);
			break;
		}
		assert_null(s);
	}
	flow_destroy(f);
}

/* ---- the kiosk settings ------------------------------------------------- */

static void
config_load_out_of_memory(void **state)
{
	(void)state;
	char dir[] = "/tmp/tellus-oom-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *path = tl_asprintf("%s/kiosk.yaml", dir);
	assert_non_null(path);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("kiosk_id: front-desk\nlanguage: ur\nflows: [a.yaml, b.yaml, c.yaml]\n"
	      "idle_seconds: 90\nvoices: { ur: \"ur 130\", en: en }\nswitch_keys: [F1, F2]\n", fp);
	fclose(fp);
	long runs = 0;
	for (long nth = 1;; nth++) {
		kiosk_config c;
		config_default(&c);
		c.kiosk_id = tl_strdup("kept");
		c.flows[0] = tl_strdup("/kept.yaml");
		c.n_flows = 1;
		diag_list d;
		roomy(&d);
		oom_arm(nth);
		int rc = config_load(path, &c, &d);
		oom_disarm();
		if (!oom_failed()) {
			assert_int_equal(rc, 0);
			assert_string_equal(c.kiosk_id, "front-desk");
			assert_string_equal(c.language, "ur");
			assert_int_equal(c.n_flows, 3);
			config_finish(&c);
			diag_list_finish(&d);
			break;
		}
		runs++;
		assert_int_equal(rc, -1);
		/* Said, in the words of the step that ran out. */
		assert_true(d.n >= 1);
		bool said = false;
		for (size_t i = 0; i < d.n; i++)
			said |= strstr(d.items[i].msg, "out of memory") != NULL ||
			        strstr(d.items[i].msg, strerror(ENOMEM)) != NULL;
		assert_true(said);
		/* A settings file that could not be read whole changes nothing. */
		assert_string_equal(c.kiosk_id, "kept");
		assert_null(c.language);
		assert_int_equal(c.n_flows, 1);
		assert_string_equal(c.flows[0], "/kept.yaml");
		assert_int_equal(c.timing.idle_ms, 60000);
		assert_int_equal(c.n_voices, 0);
		config_finish(&c);
		diag_list_finish(&d);
	}
	assert_true(runs >= 5);
	unlink(path);
	rmdir(dir);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(flow_load_buffer_out_of_memory),
		cmocka_unit_test(helper_question_out_of_memory),
		cmocka_unit_test(session_create_out_of_memory),
		cmocka_unit_test(config_load_out_of_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
