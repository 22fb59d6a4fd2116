/*
 * test_mounts: mount tables read through libmount from fixture texts
 * (escapes, roots, automount placeholders, broken lines), new mounts
 * against an older snapshot, the mount-point check, which mounts are
 * removable drives (a fake sysfs tree and a fixture table: USB sticks, a
 * USB disk, an SD card, a whole-disk stick; not the kiosk's disk, a tmpfs,
 * NFS, a loop device or a link out of sysfs), the stick folder, and the
 * watcher thread reading a fixture file and the kernel's table.
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

/* ---- which mounts are sticks: a fake sysfs ------------------------------ */

/* Makes the folders of path under root (mkdir -p). */
static void
mkdirs(const char *root, const char *path)
{
	char full[2048];
	snprintf(full, sizeof full, "%s/%s", root, path);
	for (char *p = full + strlen(root) + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(full, 0755);
		*p = '/';
	}
	mkdir(full, 0755);
}

static void
put(const char *root, const char *path, const char *text)
{
	char full[2048];
	snprintf(full, sizeof full, "%s/%s", root, path);
	FILE *f = fopen(full, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A block device in the fake tree: its disk's folder (under devices/), the
 * disk's removable flag, the partition's name ("" for the whole disk) and
 * its major:minor, linked from dev/block/ as the kernel links it. */
static void
fake_block(const char *sys, const char *disk, const char *removable, const char *part,
           const char *majmin)
{
	char path[1024], target[1024], link[1024];
	snprintf(path, sizeof path, "devices/%s", disk);
	mkdirs(sys, path);
	if (removable) {
		snprintf(path, sizeof path, "devices/%s/removable", disk);
		put(sys, path, removable);
	}
	if (*part) {
		snprintf(path, sizeof path, "devices/%s/%s", disk, part);
		mkdirs(sys, path);
		snprintf(path, sizeof path, "devices/%s/%s/partition", disk, part);
		put(sys, path, "1\n");
		/* A partition has no removable file of its own. */
		snprintf(target, sizeof target, "../../devices/%s/%s", disk, part);
	} else {
		snprintf(target, sizeof target, "../../devices/%s", disk);
	}
	snprintf(link, sizeof link, "%s/dev/block/%s", sys, majmin);
	assert_int_equal(symlink(target, link), 0);
}

/* The fake sysfs of sticks.txt's machine, in dir/sys; returns that path. */
static const char *
fake_sysfs(const char *dir)
{
	static char sys[512];
	snprintf(sys, sizeof sys, "%s/sys", dir);
	mkdirs(dir, "sys/dev/block");
	/* The kiosk's own SATA disk, two partitions. */
	const char *ata = "pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/block/sda";
	fake_block(sys, ata, "0\n", "sda1", "8:1");
	fake_block(sys, ata, "0\n", "sda2", "8:2");
	/* A USB stick that says it is removable. */
	fake_block(sys, "pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host6/target6:0:0/6:0:0:0/block/sdb",
	           "1\n", "sdb1", "8:17");
	/* A USB disk that calls itself fixed: a USB port above it. */
	fake_block(sys, "pci0000:00/0000:00:14.0/usb3/3-2/3-2:1.0/host7/target7:0:0/7:0:0:0/block/sdc",
	           "0\n", "sdc1", "8:33");
	/* An SD card in a built-in reader: removable, no USB. */
	fake_block(sys, "platform/soc/mmc_host/mmc0/mmc0:0001/block/mmcblk0", "1\n", "mmcblk0p1",
	           "179:1");
	/* A stick with no partition table: the disk itself is mounted. */
	fake_block(sys, "pci0000:00/0000:00:14.0/usb2/2-3/2-3:1.0/host8/target8:0:0/8:0:0:0/block/sdd",
	           "1\n", "", "8:48");
	/* A loop device (an ISO image): virtual, not removable. */
	fake_block(sys, "virtual/block/loop0", "0\n", "", "7:0");
	/* A link that leads out of sysfs counts for nothing, whatever is there. */
	char link[1024], out[1024];
	snprintf(link, sizeof link, "%s/dev/block/8:64", sys);
	snprintf(out, sizeof out, "%s/outside", dir);
	mkdirs(dir, "outside/usb1");
	put(dir, "outside/removable", "1\n");
	assert_int_equal(symlink(out, link), 0);
	return sys;
}

static void
sticks_are_removable_drives(void **s)
{
	(void)s;
	char dir[] = "/tmp/tellus-sysfs-XXXXXX";
	assert_non_null(mkdtemp(dir));
	const char *sys = fake_sysfs(dir);
	const char *root = getenv("TELLUS_SOURCE_ROOT");
	char table[1024];
	snprintf(table, sizeof table, "%s/tests/data/mountinfo/sticks.txt", root);

	assert_true(mounts_is_removable(sys, makedev(8, 17)));
	assert_true(mounts_is_removable(sys, makedev(8, 33)));
	assert_true(mounts_is_removable(sys, makedev(179, 1)));
	assert_true(mounts_is_removable(sys, makedev(8, 48)));
	assert_false(mounts_is_removable(sys, makedev(8, 1)));
	assert_false(mounts_is_removable(sys, makedev(8, 2)));
	assert_false(mounts_is_removable(sys, makedev(7, 0)));
	assert_false(mounts_is_removable(sys, makedev(8, 64)));   /* out of sysfs */
	assert_false(mounts_is_removable(sys, makedev(8, 80)));   /* sysfs does not know it */
	assert_false(mounts_is_removable(sys, makedev(0, 24)));   /* tmpfs */
	assert_false(mounts_is_removable("/nonexistent/sys", makedev(8, 17)));

	/* Every mount under the roots... */
	mount_list l = { 0 };
	assert_int_equal(mounts_read(table, NULL, &l, NULL), 0);
	assert_int_equal(l.n, 11);
	mount_list_finish(&l);
	/* ...and the sticks among them, in the table's order: not the tmpfs
	 * under /mnt (what a sandbox or container mounts), the kiosk's disk
	 * under /mnt or bound under /media, the NFS share, the ISO's loop. */
	mount_source src = { .table = table, .sysfs = sys };
	assert_int_equal(mounts_read_sticks(&src, &l, NULL), 0);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.items[0].point, "/media/staff/CLASS 5 STICK");
	assert_string_equal(l.items[0].device, "/dev/sdb1");
	assert_string_equal(l.items[1].point, "/media/staff/USB DISK");
	assert_string_equal(l.items[2].point, "/media/staff/SD");
	assert_string_equal(l.items[3].point, "/run/media/staff/WHOLE");
	mount_list_finish(&l);

	/* A stick folder counts while it is a folder, after the real sticks. */
	char folder[600];
	snprintf(folder, sizeof folder, "%s/stick", dir);
	src.folder = folder;
	assert_int_equal(mounts_read_sticks(&src, &l, NULL), 0);
	assert_int_equal(l.n, 4);
	mount_list_finish(&l);
	assert_int_equal(mkdir(folder, 0700), 0);
	assert_int_equal(mounts_read_sticks(&src, &l, NULL), 0);
	assert_int_equal(l.n, 5);
	assert_string_equal(l.items[4].point, folder);
	assert_string_equal(l.items[4].fstype, "folder");
	assert_string_equal(mounts_name(l.items[4].point), "stick");
	struct stat sb;
	assert_int_equal(stat(folder, &sb), 0);
	assert_true(l.items[4].dev == sb.st_dev);
	mount_list_finish(&l);
	/* A file of that name is not a folder. */
	assert_int_equal(rmdir(folder), 0);
	put(dir, "stick", "x");
	assert_int_equal(mounts_read_sticks(&src, &l, NULL), 0);
	assert_int_equal(l.n, 4);
	mount_list_finish(&l);
	/* A table that cannot be read fails as mounts_read does. */
	src.table = "/nonexistent/mountinfo";
	tl_error e = { 0 };
	assert_int_not_equal(mounts_read_sticks(&src, &l, &e), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(e.code, TL_E_IO);

	/* This machine's own table, read with its own sysfs: whatever is
	 * listed is a removable drive. */
	mount_source real = { 0 };
	assert_int_equal(mounts_read_sticks(&real, &l, NULL), 0);
	for (size_t i = 0; i < l.n; i++)
		assert_true(mounts_is_removable(NULL, l.items[i].dev));
	mount_list_finish(&l);

	char cmd[1024];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
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

	/* after.txt's two sticks are removable drives in this fake sysfs;
	 * before.txt's only mount under the roots is an NFS share. */
	const char *sys = fake_sysfs(dir);
	char folder[160];
	snprintf(folder, sizeof folder, "%s/stick", dir);
	mount_source src = { .table = path, .sysfs = sys, .folder = folder };
	mount_watch *w = mount_watch_create(&src, on_change, NULL, NULL);
	assert_non_null(w);
	mount_list l = { 0 };
	long g = wait_gen(w, 0, &l);
	assert_true(g >= 1);
	assert_int_equal(l.n, 0);
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
	assert_true((g = wait_gen(w, g, &l)) > 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.items[0].point, "/run/media/staff/CLASS 5 STICK");
	assert_string_equal(l.items[1].point, "/media/staff/KIOSK");
	assert_true(__atomic_load_n(&changes, __ATOMIC_SEQ_CST) >= 2);
	/* The stick folder appearing is seen at the next rescan. */
	assert_int_equal(mkdir(folder, 0700), 0);
	mount_watch_rescan(w);
	assert_true(wait_gen(w, g, &l) > g);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.items[2].point, folder);
	mount_list_finish(&l);
	mount_watch_destroy(w);
	mount_watch_destroy(NULL);

	/* The real table opens and parses (whatever is mounted here). */
	w = mount_watch_create(NULL, NULL, NULL, NULL);
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
		cmocka_unit_test(sticks_are_removable_drives),
		cmocka_unit_test(watcher_reads_fixture),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
