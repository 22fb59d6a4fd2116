/*
 * test_mounts: mount tables read through libmount from fixture texts
 * (escapes, roots, automount placeholders, broken lines), new mounts
 * against an older snapshot, the mount-point check, and the watcher thread
 * reading a fixture file and the kernel's table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "export/mounts.h"
#include "base/util.h"

static void
fixture(const char *name, mount_list *out, const char *const *roots)
{
	const char *root = getenv("TELLUS_SOURCE_ROOT");
	assert_non_null(root);
	char path[1024];
	snprintf(path, sizeof path, "%s/tests/data/mountinfo/%s", root, name);
	assert_int_equal(mounts_read(path, roots, out, NULL), 0);
}

static void
defaults_keep_sticks_only(void **s)
{
	(void)s;
	mount_list l = { 0 };
	fixture("after.txt", &l, NULL);
	/* Not /, /boot/efi, /run, the autofs placeholder, /mediathek (not
	 * under /media), or /srv. The NFS share under /mnt counts: it is
	 * under a root, and the roots are the policy. */
	assert_int_equal(l.n, 3);
	assert_string_equal(l.items[0].point, "/mnt/backup");
	assert_string_equal(l.items[1].point, "/run/media/staff/CLASS 5 STICK");
	assert_string_equal(l.items[1].device, "/dev/sdb1");
	assert_string_equal(l.items[1].fstype, "vfat");
	assert_int_equal(major(l.items[1].dev), 8);
	assert_int_equal(minor(l.items[1].dev), 17);
	assert_string_equal(l.items[2].point, "/media/staff/KIOSK");
	assert_string_equal(l.items[2].fstype, "exfat");
	assert_string_equal(mounts_name(l.items[1].point), "CLASS 5 STICK");
	assert_int_equal(mounts_find(&l, "/media/staff/KIOSK"), 2);
	assert_int_equal(mounts_find(&l, "/media/staff"), -1);
	mount_list_finish(&l);
}

static void
escapes_and_custom_roots(void **s)
{
	(void)s;
	const char *roots[] = { "/srv/", "/boot", NULL };
	mount_list l = { 0 };
	fixture("after.txt", &l, roots);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.items[0].point, "/boot/efi");
	assert_string_equal(l.items[1].point, "/srv/tab\tand\\slash");
	mount_list_finish(&l);

	/* A root matches itself and what is under it, not a longer name. */
	const char *media[] = { "/media", NULL };
	assert_int_equal(mounts_parse("1 2 8:1 / /media rw - vfat /dev/a rw\n"
	                              "3 2 8:2 / /media2 rw - vfat /dev/b rw\n"
	                              "4 2 8:3 / /media/x\\040y rw - vfat /dev/c\\040d rw", media, &l, NULL), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.items[0].point, "/media");
	assert_string_equal(l.items[1].point, "/media/x y");
	assert_string_equal(l.items[1].device, "/dev/c d");
	mount_list_finish(&l);
	/* A cut-off escape is kept as it is. */
	assert_int_equal(mounts_parse("1 2 8:1 / /media/a\\04 rw - vfat /dev/a rw", media, &l, NULL), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0].point, "/media/a\\04");
	mount_list_finish(&l);
}

static void
garbage_is_skipped(void **s)
{
	(void)s;
	mount_list l = { 0 };
	fixture("garbage.txt", &l, NULL);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0].point, "/mnt");
	assert_string_equal(l.items[0].device, "/dev/sde1");
	mount_list_finish(&l);
	assert_int_equal(mounts_parse("", NULL, &l, NULL), 0);
	assert_int_equal(l.n, 0);
	mount_list_finish(&l);
	tl_error e = { 0 };
	assert_int_not_equal(mounts_read("/nonexistent/mountinfo", NULL, &l, &e), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(e.code, TL_E_IO);
	assert_non_null(strstr(e.msg, "/nonexistent/mountinfo"));
}

static void
new_against_old(void **s)
{
	(void)s;
	mount_list before = { 0 }, after = { 0 }, copy = { 0 };
	fixture("before.txt", &before, NULL);
	fixture("after.txt", &after, NULL);
	assert_int_equal(before.n, 1);
	size_t idx[8];
	size_t n = mounts_new(&before, &after, idx, 8);
	assert_int_equal(n, 2);
	assert_string_equal(after.items[idx[0]].point, "/run/media/staff/CLASS 5 STICK");
	assert_string_equal(after.items[idx[1]].point, "/media/staff/KIOSK");
	assert_int_equal(mounts_new(&after, &after, idx, 8), 0);
	assert_int_equal(mounts_new(&after, &before, idx, 8), 0);
	assert_int_equal(mounts_new(&before, &after, idx, 1), 1);
	/* Another stick on the same mount point is new too. */
	assert_int_equal(mount_list_copy(&copy, &after, NULL), 0);
	free(copy.items[2].device);
	copy.items[2].device = tl_strdup("/dev/sdz9");
	assert_int_equal(mounts_new(&after, &copy, idx, 8), 1);
	assert_int_equal(idx[0], 2);
	mount_list_finish(&before);
	mount_list_finish(&after);
	mount_list_finish(&copy);
}

static void
mount_point_check(void **s)
{
	(void)s;
	const char *root = getenv("TELLUS_SOURCE_ROOT");
	char path[1024];
	snprintf(path, sizeof path, "%s/tests/data/mountinfo/after.txt", root);
	assert_true(mounts_is_mount_point(path, "/media/staff/KIOSK"));
	assert_true(mounts_is_mount_point(path, "/run/media/staff/CLASS 5 STICK"));
	assert_false(mounts_is_mount_point(path, "/media/staff/KIOSK/inside"));
	assert_false(mounts_is_mount_point(path, "/media/staff/KIOS"));
	/* A table that cannot be read says no: the export then stops. */
	assert_false(mounts_is_mount_point("/nonexistent/mountinfo", "/"));
	/* The kernel's own table has /proc, wherever this runs. */
	assert_true(mounts_is_mount_point(NULL, "/proc"));
}

static int changes;
static void on_change(void *ud) { (void)ud; __atomic_add_fetch(&changes, 1, __ATOMIC_SEQ_CST); }

static long
wait_gen(mount_watch *w, long above, mount_list *l)
{
	for (int i = 0; i < 500; i++) {
		long g = -1;
		if (mount_watch_snapshot(w, l, &g, NULL) != 0)
			return -1;
		if (g > above)
			return g;
		struct timespec ts = { 0, 10000000 };
		nanosleep(&ts, NULL);
	}
	return -1;
}

static void
watcher_reads_fixture(void **s)
{
	(void)s;
	char dir[] = "/tmp/tellus-mounts-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof path, "%s/mountinfo", dir);
	const char *root = getenv("TELLUS_SOURCE_ROOT");
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "cp '%s/tests/data/mountinfo/before.txt' '%s'", root, path);
	assert_int_equal(system(cmd), 0);

	mount_watch *w = mount_watch_create(path, NULL, on_change, NULL, NULL);
	assert_non_null(w);
	mount_list l = { 0 };
	long g = wait_gen(w, 0, &l);
	assert_true(g >= 1);
	assert_int_equal(l.n, 1);
	/* A plain file cannot signal: the poll sleeps (no busy loop: the
	 * generation stays put) until told to look again. */
	struct timespec ts = { 0, 50000000 };
	nanosleep(&ts, NULL);
	long now = -1;
	assert_int_equal(mount_watch_snapshot(w, &l, &now, NULL), 0);
	assert_int_equal(now, g);
	snprintf(cmd, sizeof cmd, "cp '%s/tests/data/mountinfo/after.txt' '%s'", root, path);
	assert_int_equal(system(cmd), 0);
	mount_watch_rescan(w);
	assert_true(wait_gen(w, g, &l) > g);
	assert_int_equal(l.n, 3);
	assert_true(__atomic_load_n(&changes, __ATOMIC_SEQ_CST) >= 2);
	mount_list_finish(&l);
	mount_watch_destroy(w);
	mount_watch_destroy(NULL);

	/* The real table opens and parses (whatever is mounted here). */
	w = mount_watch_create(NULL, NULL, NULL, NULL, NULL);
	assert_non_null(w);
	g = wait_gen(w, 0, &l);
	assert_true(g >= 1);
	/* A mount wakes the watcher through libmount's monitor, with no
	 * rescan asked for (mounting needs root). */
	char point[160];
	snprintf(point, sizeof point, "%s/point", dir);
	assert_int_equal(mkdir(point, 0755), 0);
	if (geteuid() != 0 || mount("tmpfs", point, "tmpfs", 0, "size=16k") != 0) {
		printf("# the monitor is not checked: cannot mount a tmpfs here\n");
	} else {
		assert_true(wait_gen(w, g, &l) > g);
		assert_true(mounts_is_mount_point(NULL, point));
		assert_int_equal(umount(point), 0);
	}
	mount_list_finish(&l);
	mount_watch_destroy(w);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_keep_sticks_only),
		cmocka_unit_test(escapes_and_custom_roots),
		cmocka_unit_test(garbage_is_skipped),
		cmocka_unit_test(new_against_old),
		cmocka_unit_test(mount_point_check),
		cmocka_unit_test(watcher_reads_fixture),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
