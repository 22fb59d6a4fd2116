/*
 * test_trust: signed exports and a merge that knows whose they are
 * (export/export_sign.h, merge/merge_trust.h), checked with minisign
 * itself where it can be.
 *
 * What must hold: every export verifies with `minisign -Vm SHA256SUMS -p
 * kiosk.pub`, and stops verifying once SHA256SUMS changes; the kiosk's key
 * file is 0600 and minisign can sign with it; an edit of export.json that
 * is summed again is refused for its signature; no signature, or another
 * export's signature, is refused; merging the same export twice changes
 * nothing; a second kiosk that claims the first one's id is refused, and
 * so is an export that claims sessions another key brought first; --trust
 * lets in only the keys it lists; the first export of a kiosk prints its
 * key, once; a merged master exported again signs with its own key. Each refusal leaves the master database as it was.
 */
#define _XOPEN_SOURCE 700   /* nftw, to empty the temporary folder */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "export/sessions_helper.h"

#include <sys/stat.h>
#include <unistd.h>

#include "export/export.h"
#include "base/util.h"
#include "keys/kiosk_key.h"
#include "merge/merge.h"

static char tmpdir[4096];
static flow *school;

/* Kiosk `name` (its own database and so its own key) with `people`
 * sessions, exported; its id set to kiosk_id when not NULL. The export's
 * folder into out. */
static void
make_export(const char *name, const char *kiosk_id, int people, int64_t wall, char *out,
            size_t out_len)
{
	char *db = tl_asprintf("%s/%s.db", tmpdir, name);
	char *stick = tl_asprintf("%s/%s-stick", tmpdir, name);
	mkdir(stick, 0755);
	store *st = NULL;
	assert_int_equal(store_open(db, NULL, &st, NULL), 0);
	if (kiosk_id)
		assert_int_equal(store_set_kiosk_id(st, kiosk_id, NULL), 0);
	maker m;
	assert_int_equal(maker_init(&m, st, school, wall), 0);
	for (int i = 0; i < people; i++)
		play(&m, "c3c0c2dsxc1");
	maker_finish(&m);
	store_close(st);
	export_options opt = { .db_path = db, .to_dir = stick, .mark_exported = true, .all = true };
	export_result res;
	tl_error e;
	if (export_run(&opt, &res, &e) != 0)
		fail_msg("export: %s", e.msg);
	snprintf(out, out_len, "%s", res.path);
	free(db);
	free(stick);
}

static char kiosk_a[4096], kiosk_b[4096];

static int
setup(void **state)
{
	(void)state;
	const char *base = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/tellus-trust-XXXXXX", base && *base ? base : "/tmp");
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

static char *
path_in(const char *name)
{
	return tl_asprintf("%s/%s", tmpdir, name);
}

static char *
copy_of(const char *from, const char *name)
{
	char *dir = path_in(name);
	assert_int_equal(sh("rm -rf '%s' && cp -r '%s' '%s'", dir, from, dir), 0);
	return dir;
}

static void
expect_refused(const char *master, const char *dir, const char *why)
{
	store *st = NULL;
	char before[65], after[65];
	assert_int_equal(store_open(master, NULL, &st, NULL), 0);
	db_digest(master, before);
	long long keys = db_count(master, "SELECT count(*) FROM kiosk_keys");
	merge_result r;
	tl_error e;
	assert_int_equal(merge_export(st, dir, &r, &e), -1);
	assert_true(r.refused);
	if (!strstr(e.msg, why))
		fail_msg("reason '%s' does not say '%s'", e.msg, why);
	store_close(st);
	db_digest(master, after);
	assert_string_equal(before, after);
	assert_int_equal(db_count(master, "SELECT count(*) FROM kiosk_keys"), keys);
}

static void
merge_ok(const char *master, const char *dir, int64_t want_new, int64_t want_present)
{
	store *st = NULL;
	assert_int_equal(store_open(master, NULL, &st, NULL), 0);
	merge_result r;
	tl_error e;
	if (merge_export(st, dir, &r, &e) != 0)
		fail_msg("merge: %s", e.msg);
	assert_int_equal(r.sessions_new, want_new);
	assert_int_equal(r.sessions_present, want_present);
	store_close(st);
}

/* minisign, with no Tellus, says yes to a real export and no once its
 * SHA256SUMS changes; the kiosk's key file is its user's alone, and is a
 * key minisign itself can sign with. */
static void
test_minisign_checks_it(void **state)
{
	(void)state;
	make_export("a", "kiosk-aaaa", 3, 1795000000000LL, kiosk_a, sizeof kiosk_a);
	make_export("b", "kiosk-bbbb", 2, 1795100000000LL, kiosk_b, sizeof kiosk_b);
	assert_int_equal(sh("cd '%s' && minisign -Vm SHA256SUMS -p kiosk.pub > out.txt"
	                    " && grep -q 'Trusted comment: tellus export kiosk_id=kiosk-aaaa exported_at=' out.txt"
	                    " && rm out.txt", kiosk_a), 0);
	char *d = copy_of(kiosk_a, "mini-edit");
	assert_int_equal(sh("cd '%s' && sed -i '1s/^/0/' SHA256SUMS && minisign -Vqm SHA256SUMS -p kiosk.pub"
	                    " 2>/dev/null", d), 1);
	free(d);
	char *db = path_in("a.db");
	char *key = kiosk_key_path(db);
	struct stat sb;
	assert_int_equal(stat(key, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(sh("cd '%s' && echo hello > m && minisign -S -s '%s' -m m < /dev/null > /dev/null"
	                    " && minisign -Vqm m -p '%s/kiosk.pub'", tmpdir, key, kiosk_a), 0);
	/* loading it again gives the same key: the kiosk keeps its key */
	minisign_key k1, k2;
	bool made = true;
	assert_int_equal(kiosk_key_load(db, true, &k1, &made, NULL), 0);
	assert_false(made);
	assert_int_equal(chmod(key, 0644), 0);
	assert_int_equal(kiosk_key_load(db, false, &k2, &made, NULL), 0);
	assert_memory_equal(k1.sk, k2.sk, sizeof k1.sk);
	assert_int_equal(stat(key, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);   /* put back to the user's alone */
	minisign_key_wipe(&k1);
	minisign_key_wipe(&k2);

	/* A start killed while it wrote the key left KEY.PID.new (secret key
	 * bytes): the next start that may make keys removes it; a running
	 * process's file, and names of another shape, stay. */
	char *dead = tl_asprintf("%s.2147480000.new", key);
	char *live = tl_asprintf("%s.%ld.new", key, (long)getppid());
	char *other = tl_asprintf("%s.abc.new", key);
	const char *files[] = { dead, live, other };
	for (int i = 0; i < 3; i++)
		assert_int_equal(sh("echo secret > '%s'", files[i]), 0);
	assert_int_equal(kiosk_key_load(db, false, &k1, NULL, NULL), 0);
	minisign_key_wipe(&k1);
	assert_int_equal(access(dead, F_OK), 0);   /* only a start that may make keys sweeps */
	assert_int_equal(kiosk_key_load(db, true, &k1, NULL, NULL), 0);
	minisign_key_wipe(&k1);
	assert_int_equal(access(dead, F_OK), -1);
	assert_int_equal(access(live, F_OK), 0);
	assert_int_equal(access(other, F_OK), 0);
	assert_int_equal(access(key, F_OK), 0);
	for (int i = 0; i < 3; i++)
		free((char *)files[i]);
	free(key);
	free(db);
}

/* Edited and summed again, with no signature, another's signature, or a
 * changed trusted comment: refused each, for its signature. */
static void
test_forged(void **state)
{
	(void)state;
	char *master = path_in("forged.db");
	char *d = copy_of(kiosk_a, "resummed");
	assert_int_equal(sh("cd '%s' && grep -q '\"kind\":\"skipped\"' export.json && sed -i 's/\"kind\":\"skipped\"/\"kind\":\"chosen\"/' export.json"
	                    " && sha256sum sessions.csv answers.csv export.json report.html > SHA256SUMS"
	                    " && sha256sum --quiet -c SHA256SUMS", d), 0);
	expect_refused(master, d, "its signature does not hold: what was signed has been changed");
	free(d);

	d = copy_of(kiosk_a, "unsigned");
	assert_int_equal(sh("rm '%s/SHA256SUMS.minisig'", d), 0);
	expect_refused(master, d, "it is not signed");
	free(d);

	d = copy_of(kiosk_a, "no-pub");
	assert_int_equal(sh("rm '%s/kiosk.pub'", d), 0);
	expect_refused(master, d, "it has no kiosk.pub");
	free(d);

	/* b's signature (and key) beside a's sums */
	d = copy_of(kiosk_a, "other-sig");
	assert_int_equal(sh("cp '%s/SHA256SUMS.minisig' '%s/kiosk.pub' '%s/'", kiosk_b, kiosk_b, d), 0);
	expect_refused(master, d, "its signature does not hold");
	free(d);

	/* a's signature, b's key */
	d = copy_of(kiosk_a, "other-pub");
	assert_int_equal(sh("cp '%s/kiosk.pub' '%s/'", kiosk_b, d), 0);
	expect_refused(master, d, "signed with another key than the one given");
	free(d);

	/* the trusted comment changed to claim another kiosk */
	d = copy_of(kiosk_a, "other-comment");
	assert_int_equal(sh("sed -i 's/kiosk_id=kiosk-aaaa/kiosk_id=kiosk-bbbb/' '%s/SHA256SUMS.minisig'", d), 0);
	expect_refused(master, d, "trusted comment has been changed");
	free(d);
	assert_int_equal(db_count(master, "SELECT count(*) FROM sessions"), 0);
	free(master);
}

/* The same export twice: nothing changes the second time. */
static void
test_twice(void **state)
{
	(void)state;
	char *master = path_in("twice.db");
	merge_ok(master, kiosk_a, 3, 0);
	char before[65], after[65];
	db_digest(master, before);
	merge_ok(master, kiosk_a, 0, 3);
	db_digest(master, after);
	assert_string_equal(before, after);
	assert_int_equal(db_count(master, "SELECT count(*) FROM kiosk_keys"), 1);
	assert_int_equal(db_count(master, "SELECT count(*) FROM session_keys"), 3);
	free(master);
}

/* A second kiosk set up with the first one's id: its key is not the one
 * the master knows that id by. And an export (another kiosk's key, its
 * own id) that holds the first kiosk's sessions: merged first, it makes
 * the genuine export refused, loudly, instead of its sessions vanishing as
 * "already there". */
static void
test_impostors(void **state)
{
	(void)state;
	char *master = path_in("impostor.db");
	char twin[4096];
	make_export("twin", "kiosk-aaaa", 1, 1795200000000LL, twin, sizeof twin);
	merge_ok(master, kiosk_a, 3, 0);
	expect_refused(master, twin, "this database knows kiosk kiosk-aaaa by key");
	/* the other way round in a fresh master: the genuine one is refused */
	char *master2 = path_in("impostor2.db");
	merge_ok(master2, twin, 1, 0);
	expect_refused(master2, kiosk_a, "this database knows kiosk kiosk-aaaa by key");

	/* a copy of a's database under another id exports a's sessions with
	 * its own new key */
	char *a_db = path_in("a.db"), *c_db = path_in("copy.db");
	char *stick = path_in("copy-stick");
	assert_int_equal(sh("cp '%s' '%s' && mkdir -p '%s'", a_db, c_db, stick), 0);
	store *st = NULL;
	assert_int_equal(store_open(c_db, NULL, &st, NULL), 0);
	assert_int_equal(store_set_kiosk_id(st, "kiosk-cccc", NULL), 0);
	store_close(st);
	export_options opt = { .db_path = c_db, .to_dir = stick, .all = true };
	export_result res;
	assert_int_equal(export_run(&opt, &res, NULL), 0);
	char *master3 = path_in("impostor3.db");
	merge_ok(master3, res.path, 3, 0);
	expect_refused(master3, kiosk_a, "already has from an export signed by another key");
	free(master3);
	free(stick);
	free(a_db);
	free(c_db);
	free(master2);
	free(master);
}

/* A merged master exported again signs with its own key, under its own
 * kiosk id, never a kiosk's; minisign checks it with the master's
 * kiosk.pub; a database that takes it remembers the master's key, and
 * then refuses the same sessions from a kiosk's own export (and says why). */
static void
test_master_reexport(void **state)
{
	(void)state;
	char *master = path_in("forum.db"), *stick = path_in("forum-stick");
	assert_int_equal(sh("mkdir -p '%s'", stick), 0);
	merge_ok(master, kiosk_a, 3, 0);
	merge_ok(master, kiosk_b, 2, 0);
	export_options opt = { .db_path = master, .to_dir = stick, .all = true };
	export_result res;
	tl_error e;
	if (export_run(&opt, &res, &e) != 0)
		fail_msg("export of the master: %s", e.msg);
	assert_int_equal(res.sessions, 5);
	/* minisign, with no Tellus, says the master's own key signed it */
	assert_int_equal(sh("cd '%s' && minisign -V -q -m SHA256SUMS -p kiosk.pub", res.path), 0);
	store *st = NULL;
	assert_int_equal(store_open(master, NULL, &st, NULL), 0);
	char id[64];
	snprintf(id, sizeof id, "%s", store_kiosk_id(st));
	store_close(st);
	assert_int_equal(sh("grep -q \"trusted comment: tellus export kiosk_id=%s \" '%s/SHA256SUMS.minisig'",
	                    id, res.path), 0);
	/* its kiosk.pub is the key beside master.db, neither kiosk's */
	minisign_key k;
	assert_int_equal(kiosk_key_load(master, false, &k, NULL, NULL), 0);
	char *pub = minisign_pub_file(&k.pub);
	minisign_key_wipe(&k);
	char *pub_path = tl_asprintf("%s/kiosk.pub", res.path);
	char *on_stick = NULL;
	size_t len = 0;
	assert_int_equal(tl_read_file(pub_path, &on_stick, &len, NULL), 0);
	assert_string_equal(on_stick, pub);
	/* cmp says 1 for files that differ (2 for trouble, such as one missing) */
	assert_int_equal(sh("cmp -s '%s/kiosk.pub' '%s/kiosk.pub'", kiosk_a, res.path), 1);
	assert_int_equal(sh("cmp -s '%s/kiosk.pub' '%s/kiosk.pub'", kiosk_b, res.path), 1);

	/* the office takes the master's export: the master's key is the one
	 * it remembers, for the master and for every session it brought */
	char *office = path_in("office.db");
	merge_ok(office, res.path, 5, 0);
	assert_int_equal(db_count(office, "SELECT count(*) FROM kiosk_keys"), 1);
	char *sql = tl_asprintf("SELECT count(*) FROM kiosk_keys WHERE kiosk_id = '%s'", id);
	assert_int_equal(db_count(office, sql), 1);
	assert_int_equal(db_count(office, "SELECT count(DISTINCT public_key) FROM session_keys"), 1);
	/* the sessions still say which kiosk they came from */
	assert_int_equal(db_count(office, "SELECT count(*) FROM sessions WHERE kiosk_id = 'kiosk-aaaa'"), 3);
	/* and the same sessions from kiosk a's own stick are refused, saying why */
	expect_refused(office, kiosk_a, "a merged database exported again");
	free(sql);
	free(office);
	free(on_stick);
	free(pub_path);
	free(pub);
	free(stick);
	free(master);
}

/* tellus merge: the first export of a kiosk prints its key, once; --trust
 * admits only the listed keys. */
static void
test_cli_trust(void **state)
{
	(void)state;
	const char *build = getenv("TELLUS_BUILD_ROOT");
	char *master = path_in("cli.db"), *out = path_in("cli.out"), *trust = path_in("trusted");
	assert_int_equal(sh("'%s/tellus' merge --into '%s' '%s' > '%s'", build, master, kiosk_a, out), 0);
	assert_int_equal(sh("grep -q \"first export of kiosk kiosk-aaaa: its key $(tail -1 '%s/kiosk.pub')\" '%s'",
	                    kiosk_a, out), 0);
	assert_int_equal(sh("'%s/tellus' merge --into '%s' '%s' > '%s'", build, master, kiosk_a, out), 0);
	assert_int_equal(sh("grep -c 'first export' '%s'", out), 1);   /* grep -c: none, exit 1 */
	assert_int_equal(sh("grep -q 'Total: 0 sessions new, 3 already there' '%s'", out), 0);

	/* a's key only: b is refused, a goes in */
	assert_int_equal(sh("cp '%s/kiosk.pub' '%s'", kiosk_a, trust), 0);
	char *master2 = path_in("cli-trust.db");
	assert_int_equal(sh("'%s/tellus' merge --into '%s' --trust '%s' '%s' '%s' > '%s'", build,
	                    master2, trust, kiosk_a, kiosk_b, out), 1);
	assert_int_equal(sh("grep -q 'b-stick/TELLUS.*refused, nothing added: it is signed by kiosk kiosk-bbbb"
	                    " with key .* which is not in the trusted keys' '%s'", out), 0);
	assert_int_equal(sh("grep -q 'Total: 3 sessions new, 0 already there, 1 export refused' '%s'", out), 0);
	/* both keys: b goes in too */
	assert_int_equal(sh("cat '%s/kiosk.pub' >> '%s'", kiosk_b, trust), 0);
	assert_int_equal(sh("'%s/tellus' merge --into '%s' --trust '%s' '%s' > '%s'", build, master2,
	                    trust, kiosk_b, out), 0);
	assert_int_equal(sh("grep -q 'Total: 2 sessions new' '%s'", out), 0);
	/* a trust file that is not keys: said, nothing merged */
	assert_int_equal(sh("echo 'not a key' > '%s' && '%s/tellus' merge --into '%s' --trust '%s' '%s'"
	                    " 2> '%s'", trust, build, master2, trust, kiosk_a, out), 1);
	assert_int_equal(sh("grep -q 'this line is not a kiosk' '%s'", out), 0);
	free(master2);
	free(master);
	free(out);
	free(trust);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minisign_checks_it),
		cmocka_unit_test(test_forged),
		cmocka_unit_test(test_twice),
		cmocka_unit_test(test_impostors),
		cmocka_unit_test(test_cli_trust),
		cmocka_unit_test(test_master_reexport),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
