/*
 * test_seal: exports sealed to the office key (keys/sealed.h), opened only
 * by the office: tellus merge --key, tellus open --key, and a short PyNaCl
 * script (scripts/open-export.py) that knows nothing of Tellus.
 *
 * What must hold: tellus keys new makes office.pub and office.key (0600)
 * and never overwrites them; a sealed export holds no answer label,
 * question text or session id in any of its files' bytes, still verifies
 * with sha256sum and minisign; merge without the key refuses and says
 * what is missing, with another office's key says whose it is; merge
 * --key restores exactly the rows a plain export of the same data gives;
 * tellus open and the PyNaCl script write the same plain files.
 */
#define _XOPEN_SOURCE 700   /* nftw, to empty the temporary folder */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* the helper's db_digest is not used here (rows_of leaves out meta) */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "export/sessions_helper.h"
#pragma GCC diagnostic pop

#include <sys/stat.h>

#include "export/export.h"
#include "merge/merge.h"

static char tmpdir[4096];
static flow *school;
static char plain_dir[4096], sealed_dir[4096];

static char *
path_in(const char *name)
{
	return tl_asprintf("%s/%s", tmpdir, name);
}

static int
setup(void **state)
{
	(void)state;
	const char *base = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/tellus-seal-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmpdir) || !(school = helper_flow("school-day")))
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	flow_destroy(school);
	return rm_tree(tmpdir);
}

static void
export_to(const char *db, const char *stick, const char *office, char *out)
{
	mkdir(stick, 0755);
	export_options opt = { .db_path = db, .to_dir = stick, .all = true,
	                       .office_key_path = office };
	export_result res;
	tl_error e;
	if (export_run(&opt, &res, &e) != 0)
		fail_msg("export: %s", e.msg);
	assert_int_equal(res.sealed, office != NULL);
	snprintf(out, 4096, "%s", res.path);
}

static void
test_keys_and_sealed_export(void **state)
{
	(void)state;
	const char *build = getenv("TELLUS_BUILD_ROOT");
	char *keys = path_in("office");
	assert_int_equal(sh("'%s/tellus' keys new --out '%s' > /dev/null", build, keys), 0);
	char *pub = path_in("office/office.pub"), *sec = path_in("office/office.key");
	struct stat sb;
	assert_int_equal(stat(sec, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(stat(pub, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0644);
	/* never over an existing key */
	assert_int_equal(sh("'%s/tellus' keys new --out '%s' 2> /dev/null", build, keys), 1);

	char *db = path_in("kiosk.db");
	store *st = NULL;
	assert_int_equal(store_open(db, NULL, &st, NULL), 0);
	maker m;
	assert_int_equal(maker_init(&m, st, school, 1795000000000LL), 0);
	/* enough for files of several sealed records (64 KiB each) */
	for (int i = 0; i < 120; i++)
		play(&m, "c3c0c2dsxc1");
	play(&m, "c1c4dbdc2c0");
	play(&m, "c0w");
	maker_finish(&m);
	store_close(st);
	char *s1 = path_in("plain-stick"), *s2 = path_in("sealed-stick");
	export_to(db, s1, NULL, plain_dir);
	export_to(db, s2, pub, sealed_dir);

	/* the stick's bytes: only sealed names, still checkable by anyone */
	assert_int_equal(sh("cd '%s' && ls | sort | tr '\\n' ' ' | grep -qx 'SHA256SUMS SHA256SUMS.minisig"
	                    " answers.csv.sealed export.json.sealed kiosk.pub report.html.sealed"
	                    " sessions.csv.sealed '", sealed_dir), 0);
	assert_int_equal(sh("cd '%s' && sha256sum --quiet -c SHA256SUMS && minisign -Vqm SHA256SUMS -p kiosk.pub",
	                    sealed_dir), 0);
	/* no label, question or session id in any byte of any file on the
	 * stick (strings of 4 bytes or more, from the plain export) */
	assert_int_equal(sh("python3 - '%s' '%s' <<'EOF'\n"
	                    "import json, os, sys\n"
	                    "plain, stick = sys.argv[1], sys.argv[2]\n"
	                    "j = json.load(open(os.path.join(plain, 'export.json')))\n"
	                    "words = set()\n"
	                    "for s in j['sessions']:\n"
	                    "    words.add(s['id'])\n"
	                    "    for a in s['answers']:\n"
	                    "        words.add(a['question_text']); words.update(a['answer_labels'])\n"
	                    "words = {w.encode() for w in words if len(w.encode()) >= 4}\n"
	                    "assert len(words) > 10, words\n"
	                    "bad = []\n"
	                    "for root, _, files in os.walk(stick):\n"
	                    "    for f in files:\n"
	                    "        data = open(os.path.join(root, f), 'rb').read()\n"
	                    "        bad += [(f, w) for w in words if w in data]\n"
	                    "print(bad, file=sys.stderr)\n"
	                    "sys.exit(1 if bad else 0)\n"
	                    "EOF", plain_dir, s2), 0);
	/* and the same check finds them in the plain export: it can fail */
	assert_int_equal(sh("grep -rqF 'How was today?' '%s'", s1), 0);
	free(s1);
	free(s2);
	free(db);
	free(pub);
	free(sec);
	free(keys);
}

/* The rows of a database that an export carries, in one text, without
 * what belongs to the database itself (its own kiosk id in meta). */
static void
rows_of(const char *db, const char *out)
{
	assert_int_equal(sh("sqlite3 '%s' 'SELECT * FROM sessions ORDER BY id;"
	                    " SELECT * FROM answers ORDER BY session_id, seq;"
	                    " SELECT * FROM answer_choices ORDER BY session_id, seq, position;"
	                    " SELECT * FROM flows ORDER BY hash;' > '%s'", db, out), 0);
}

static void
test_merge_and_open(void **state)
{
	(void)state;
	const char *build = getenv("TELLUS_BUILD_ROOT");
	char *sec = path_in("office/office.key"), *pub = path_in("office/office.pub");
	char *ma = path_in("sealed-master.db"), *mb = path_in("plain-master.db");
	char *out = path_in("merge.out");
	/* without the key: refused, and it says what is missing */
	assert_int_equal(sh("'%s/tellus' merge --into '%s' '%s' > '%s'", build, ma, sealed_dir, out), 1);
	assert_int_equal(sh("grep -q 'refused, nothing added: it is sealed to office key [0-9A-F]\\{16\\},"
	                    " and no office key was given: merge it with --key office.key' '%s'", out), 0);
	assert_int_equal(db_count(ma, "SELECT count(*) FROM sessions"), 0);
	/* the public half is not the key that opens */
	assert_int_equal(sh("'%s/tellus' merge --into '%s' --key '%s' '%s' 2> '%s'", build, ma, pub,
	                    sealed_dir, out), 1);
	assert_int_equal(sh("grep -q 'is the office.s public key; opening needs the secret one' '%s'", out), 0);
	/* another office's key: named as such */
	char *other = path_in("other-office");
	assert_int_equal(sh("'%s/tellus' keys new --out '%s' > /dev/null && '%s/tellus' merge --into '%s'"
	                    " --key '%s/office.key' '%s' > '%s'", build, other, build, ma, other,
	                    sealed_dir, out), 1);
	assert_int_equal(sh("grep -q 'is sealed to office key .*, but the key given is' '%s'", out), 0);

	/* with the key: exactly the rows the plain export gives */
	assert_int_equal(sh("'%s/tellus' merge --into '%s' --key '%s' '%s' > '%s'", build, ma, sec,
	                    sealed_dir, out), 0);
	assert_int_equal(sh("'%s/tellus' merge --into '%s' '%s' > /dev/null", build, mb, plain_dir), 0);
	char *ra = path_in("rows-sealed.txt"), *rb = path_in("rows-plain.txt");
	rows_of(ma, ra);
	rows_of(mb, rb);
	assert_int_equal(sh("test -s '%s' && cmp '%s' '%s'", ra, ra, rb), 0);
	assert_int_equal(db_count(ma, "SELECT count(*) FROM sessions"), 122);
	/* several records each */
	assert_int_equal(sh("s=$(stat -c %%s '%s/answers.csv.sealed'); echo \"# answers.csv.sealed: $s bytes\"; test $s -gt 70000", sealed_dir), 0);

	/* tellus open and the PyNaCl script: the same plain files, and the
	 * CSVs are the plain export's */
	char *o1 = path_in("opened-tellus"), *o2 = path_in("opened-python");
	assert_int_equal(sh("'%s/tellus' open --key '%s' '%s' --to '%s' > /dev/null", build, sec,
	                    sealed_dir, o1), 0);
	const char *py = getenv("TELLUS_PYTHON_NACL");
	assert_int_equal(sh("'%s' '%s/scripts/open-export.py' '%s' '%s' '%s' > /dev/null",
	                    py && *py ? py : "python3", getenv("TELLUS_SOURCE_ROOT"), sec, sealed_dir,
	                    o2), 0);
	static const char *const names[] = { "sessions.csv", "answers.csv", "export.json", "report.html" };
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(sh("cmp '%s/%s' '%s/%s'", o1, names[i], o2, names[i]), 0);
	assert_int_equal(sh("cd '%s' && sha256sum --quiet -c SHA256SUMS", o1), 0);
	assert_int_equal(sh("cmp '%s/sessions.csv' '%s/sessions.csv' && cmp '%s/answers.csv' '%s/answers.csv'",
	                    o1, plain_dir, o1, plain_dir), 0);
	/* a sealed file changed (and summed and signed again): refused as damaged */
	char *d = path_in("damaged");
	assert_int_equal(sh("cp -r '%s' '%s' && cd '%s' && printf 'x' | dd of=export.json.sealed bs=1"
	                    " seek=200 conv=notrunc 2>/dev/null && sha256sum answers.csv.sealed"
	                    " export.json.sealed report.html.sealed sessions.csv.sealed > SHA256SUMS"
	                    " && tc=\"$(sed -n 's/^trusted comment: //p' SHA256SUMS.minisig)\""
	                    " && rm SHA256SUMS.minisig && minisign -S -s '%s/kiosk.db-kiosk.key'"
	                    " -m SHA256SUMS -t \"$tc\" > /dev/null", sealed_dir, d, d, tmpdir), 0);
	store *st = NULL;
	char *mc = path_in("damaged-master.db");
	assert_int_equal(store_open(mc, NULL, &st, NULL), 0);
	merge_keys keys;
	assert_int_equal(merge_keys_load(&keys, sec, NULL, NULL), 0);
	merge_options mo = { .keys = &keys };
	merge_result r;
	tl_error e;
	assert_int_equal(merge_export_opt(st, d, &mo, &r, &e), -1);
	if (!strstr(e.msg, "export.json.sealed is damaged"))
		fail_msg("reason: %s", e.msg);
	merge_keys_finish(&keys);
	store_close(st);
	free(mc);
	free(d);
	free(o1);
	free(o2);
	free(ra);
	free(rb);
	free(other);
	free(out);
	free(ma);
	free(mb);
	free(sec);
	free(pub);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_and_sealed_export),
		cmocka_unit_test(test_merge_and_open),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
