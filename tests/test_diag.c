/*
 * test_diag: the problem list every parser reports into: adding, counting,
 * the FILE:LINE:COL format people and editors read, and reuse after finish.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "base/diag.h"

static void
test_add_and_count(void **state)
{
	(void)state;
	diag_list l = { 0 };
	assert_int_equal(diag_count(&l, DIAG_ERROR), 0);
	diag_add(&l, DIAG_ERROR, "a.yaml", 3, 7, "bad %s number %d", "thing", 42);
	diag_add(&l, DIAG_WARNING, "a.yaml", 4, 1, "careful");
	diag_add(&l, DIAG_ERROR, NULL, 0, 0, "whole file");
	assert_int_equal(l.n, 3);
	assert_int_equal(diag_count(&l, DIAG_ERROR), 2);
	assert_int_equal(diag_count(&l, DIAG_WARNING), 1);
	assert_string_equal(l.items[0].msg, "bad thing number 42");
	assert_string_equal(l.items[0].file, "a.yaml");
	assert_int_equal(l.items[0].line, 3);
	assert_int_equal(l.items[0].col, 7);
	assert_string_equal(l.items[2].file, "");
	diag_list_finish(&l);
	assert_int_equal(l.n, 0);
	assert_null(l.items);
	/* Reusable after finish. */
	diag_add(&l, DIAG_WARNING, "b.yaml", 1, 1, "again");
	assert_int_equal(l.n, 1);
	diag_list_finish(&l);
	diag_list_finish(NULL);
}

static void
test_format(void **state)
{
	(void)state;
	diag_list l = { 0 };
	diag_add(&l, DIAG_ERROR, "f.yaml", 12, 5, "unknown key 'promt'");
	diag_add(&l, DIAG_WARNING, "f.yaml", 2, 0, "line only");
	diag_add(&l, DIAG_ERROR, "f.yaml", 0, 0, "cannot read");
	char buf[256];
	diag_format(&l.items[0], buf, sizeof buf);
	assert_string_equal(buf, "f.yaml:12:5: error: unknown key 'promt'");
	diag_format(&l.items[1], buf, sizeof buf);
	assert_string_equal(buf, "f.yaml:2: warning: line only");
	diag_format(&l.items[2], buf, sizeof buf);
	assert_string_equal(buf, "f.yaml: error: cannot read");
	/* A small buffer truncates and stays terminated. */
	char small[10];
	memset(small, 'x', sizeof small);
	diag_format(&l.items[0], small, sizeof small);
	assert_string_equal(small, "f.yaml:12");
	diag_list_finish(&l);
}

static void
test_many_and_long(void **state)
{
	(void)state;
	diag_list l = { 0 };
	for (int i = 0; i < 1000; i++)
		diag_add(&l, i % 3 ? DIAG_ERROR : DIAG_WARNING, "many.yaml", i + 1, 1, "problem %d", i);
	assert_int_equal(l.n, 1000);
	assert_int_equal(diag_count(&l, DIAG_WARNING), 334);
	assert_string_equal(l.items[999].msg, "problem 999");
	assert_int_equal(l.items[999].line, 1000);
	/* A message longer than the internal buffer is cut, not overrun. */
	char longmsg[3000];
	memset(longmsg, 'm', sizeof longmsg - 1);
	longmsg[sizeof longmsg - 1] = '\0';
	diag_add(&l, DIAG_ERROR, "long.yaml", 1, 1, "%s", longmsg);
	assert_int_equal(l.n, 1001);
	assert_true(strlen(l.items[1000].msg) > 100);
	assert_true(strlen(l.items[1000].msg) < sizeof longmsg - 1);
	diag_list_finish(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_and_count),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_many_and_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
