/*
 * test_util: the small helpers everything else leans on: UUIDs, ISO 8601
 * times, slugs, path joining, SHA-256, whole-file reads, the fake clock.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "base/yaml_util.h"

static bool
is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static void
test_uuid4_format_and_uniqueness(void **state)
{
	(void)state;
	enum { N = 2000 };
	char (*ids)[37] = calloc(N, sizeof *ids);
	assert_non_null(ids);
	for (int i = 0; i < N; i++) {
		tl_uuid4(ids[i]);
		const char *u = ids[i];
		assert_int_equal(strlen(u), 36);
		for (int j = 0; j < 36; j++) {
			if (j == 8 || j == 13 || j == 18 || j == 23)
				assert_int_equal(u[j], '-');
			else
				assert_true(is_hex(u[j]));
		}
		assert_int_equal(u[14], '4');                  /* version 4 */
		assert_non_null(strchr("89ab", u[19]));        /* RFC 4122 variant */
	}
	for (int i = 0; i < N; i++)
		for (int j = i + 1; j < N; j++)
			assert_string_not_equal(ids[i], ids[j]);
	free(ids);
}

static void
test_iso8601_known_instants(void **state)
{
	(void)state;
	char out[32];
	tl_iso8601(0, out);
	assert_string_equal(out, "1970-01-01T00:00:00.000Z");
	tl_iso8601(1000000000123LL, out);
	assert_string_equal(out, "2001-09-09T01:46:40.123Z");
	tl_iso8601(951782400000LL, out); /* a leap day */
	assert_string_equal(out, "2000-02-29T00:00:00.000Z");
	tl_iso8601(1795349301123LL, out);
	assert_string_equal(out, "2026-11-22T12:08:21.123Z");
	tl_iso8601(-1, out); /* just before the epoch */
	assert_string_equal(out, "1969-12-31T23:59:59.999Z");
	assert_int_equal(strlen(out), 24);
}

static void
test_slug(void **state)
{
	(void)state;
	assert_true(tl_is_slug("school-day"));
	assert_true(tl_is_slug("q_1"));
	assert_true(tl_is_slug("a"));
	assert_true(tl_is_slug("2024"));
	assert_false(tl_is_slug(""));
	assert_false(tl_is_slug(NULL));
	assert_false(tl_is_slug("School"));
	assert_false(tl_is_slug("two words"));
	assert_false(tl_is_slug("dot.ted"));
	assert_false(tl_is_slug("slash/y"));
	assert_false(tl_is_slug("caf\xc3\xa9"));
}

static void
test_path_join(void **state)
{
	(void)state;
	struct { const char *dir, *rel, *want; } cases[] = {
		{ "config", "flows/a.yaml", "config/flows/a.yaml" },
		{ "config/", "a.yaml", "config/a.yaml" },
		{ "/x/y", "/abs/a.yaml", "/abs/a.yaml" },
		{ "", "a.yaml", "a.yaml" },
		{ NULL, "a.yaml", "a.yaml" },
		{ "/", "a", "/a" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *p = tl_path_join(cases[i].dir, cases[i].rel);
		assert_non_null(p);
		assert_string_equal(p, cases[i].want);
		free(p);
	}
	assert_null(tl_path_join("dir", NULL));
}

static void
test_sha256(void **state)
{
	(void)state;
	char out[65];
	tl_sha256_hex("abc", 3, out);
	assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	tl_sha256_hex("", 0, out);
	assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	tl_sha256_hex("abd", 3, out);
	assert_string_not_equal(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void
test_strings(void **state)
{
	(void)state;
	assert_null(tl_strdup(NULL));
	char *s = tl_strdup("kiosk");
	assert_string_equal(s, "kiosk");
	free(s);
	s = tl_asprintf("%s-%03d", "q", 7);
	assert_string_equal(s, "q-007");
	free(s);
}

static void
test_read_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/tellus-util-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *path = tl_asprintf("%s/f.bin", dir);
	/* Bigger than one read, with a zero byte inside. */
	size_t n = 10000;
	unsigned char *bytes = malloc(n);
	assert_non_null(bytes);
	for (size_t i = 0; i < n; i++)
		bytes[i] = (unsigned char)(i * 7);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, n, f), n);
	fclose(f);
	char *data;
	size_t len;
	assert_int_equal(tl_read_file(path, &data, &len, NULL), 0);
	assert_int_equal(len, n);
	assert_memory_equal(data, bytes, n);
	assert_int_equal(data[n], '\0');
	free(data);
	unlink(path);
	tl_error e;
	assert_int_equal(tl_read_file(path, &data, &len, &e), -1);
	assert_int_equal(e.code, TL_E_IO);
	assert_int_equal(e.sys, ENOENT);
	assert_non_null(strstr(e.msg, "cannot read "));
	assert_null(data);
	assert_int_equal(len, 0);
	free(bytes);
	free(path);
	rmdir(dir);
}

static void
test_fake_clock(void **state)
{
	(void)state;
	tl_fake_clock fc;
	tl_fake_clock_init(&fc, 100, 5000);
	assert_int_equal(tl_mono(&fc.clock), 100);
	assert_int_equal(tl_wall(&fc.clock), 5000);
	fc.mono += 250;
	assert_int_equal(tl_mono(&fc.clock), 350);
	const tl_clock *sys = tl_clock_system();
	int64_t a = tl_mono(sys), b = tl_mono(sys);
	assert_true(b >= a);
	assert_true(tl_wall(sys) > 1600000000000LL); /* after 2020 */
}

/* The whole numbers hand-written files give (version, max_length, the
 * settings' counts): digits only, inside the range, no overflow. */
static void
test_whole_number(void **state)
{
	(void)state;
	long v = -1;
	assert_true(yaml_whole_number("40", 1, 500, &v));
	assert_int_equal(v, 40);
	assert_true(yaml_whole_number("0", 0, 5, &v));
	assert_int_equal(v, 0);
	long before = v;
	static const char *const bad[] = { "", "-1", "+4", " 4", "4 ", "4.0", "1e3", "0x10", "four",
	                                   "501", "99999999999999999999999" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (yaml_whole_number(bad[i], 1, 500, &v))
			fail_msg("'%s' was taken as %ld", bad[i], v);
	assert_int_equal(v, before);   /* untouched when refused */
	assert_false(yaml_whole_number(NULL, 0, 5, &v));
	assert_false(yaml_whole_number("0", 1, 5, &v));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uuid4_format_and_uniqueness),
		cmocka_unit_test(test_iso8601_known_instants),
		cmocka_unit_test(test_slug),
		cmocka_unit_test(test_path_join),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_fake_clock),
		cmocka_unit_test(test_whole_number),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
