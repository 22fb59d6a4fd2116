/*
 * mounts: finds USB sticks in the kernel's mount table and keeps the mount
 * points under a few roots (default /media, /run/media, /mnt: where
 * udisks2 and automount rules put them) that sit on a real removable drive
 * (sysfs: mounts_sysfs.c), and watches that table without busy waiting. The table is read by libmount (util-linux), the same code
 * findmnt and mount use; the watcher sleeps on libmount's monitor, which
 * the kernel wakes whenever a mount comes or goes.
 *
 * Promises: a mount table is only ever read here, by one function; a path
 * other than /proc/self/mountinfo (a test's fixture) is read the same way
 * and is never watched (it cannot signal): mount_watch_rescan reads it
 * again. Every fallible function follows base/error.h.
 */
#ifndef TELLUS_MOUNTS_H
#define TELLUS_MOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "base/error.h"

/* The kernel's table, the default wherever a table path may be NULL. */
#define MOUNTS_KERNEL_TABLE "/proc/self/mountinfo"
/* The kernel's device tree, the default wherever a sysfs root may be NULL. */
#define MOUNTS_SYSFS "/sys"

typedef struct mount_entry {
	char *point;       /* mount point, escapes decoded ("/media/x/MY STICK") */
	char *device;      /* mount source ("/dev/sdb1") */
	char *fstype;      /* "vfat", "exfat", ... */
	dev_t dev;         /* st_dev of files on it (from major:minor) */
} mount_entry;

typedef struct mount_list {
	mount_entry *items;   /* in the kernel's order: older mounts first */
	size_t n;
} mount_list;

/* The default roots, NULL-terminated. Borrowed, static. */
const char *const *mounts_default_roots(void);

/* Reads a mount table in mountinfo format (NULL: the kernel's) and keeps
 * the mounts at or under one of roots (NULL-terminated; NULL: the
 * defaults). Automount placeholders (autofs) are left out: they are not a
 * stick yet. Lines that do not parse are skipped (libmount guesses the
 * format from the first line, which in the kernel's table always parses).
 * 0, or -1 with err filled (*out then empty). Caller frees with
 * mount_list_finish. */
int mounts_read(const char *path, const char *const *roots, mount_list *out, tl_error *err);
/* The same for mountinfo text in memory (tests feed it fixture lines). */
int mounts_parse(const char *text, const char *const *roots, mount_list *out, tl_error *err);
/* Is path (as realpath gives it) a mount point in the table at table
 * (NULL: the kernel's)? false too when the table cannot be read: for the
 * export's "is it still mounted" check that is the safe answer. */
bool mounts_is_mount_point(const char *table, const char *path);

/* Where the kiosk looks for sticks. Every field may be NULL (the kernel's
 * table, the default roots, the real /sys, no folder). Borrowed. */
typedef struct mount_source {
	const char *table;          /* a mountinfo file */
	const char *const *roots;   /* NULL-terminated */
	const char *sysfs;          /* the sysfs root (tests: a fake tree) */
	const char *folder;         /* stick_folder: a folder taken as a stick
	                               while it exists (tests, demonstrations) */
} mount_source;

/* Is the block device dev on a removable drive: its disk (a partition's
 * parent) says removable=1 in sysfs, or sits under a USB port? false for a
 * device sysfs does not know (major 0: tmpfs, NFS, overlay) and whenever
 * sysfs cannot be read. */
bool mounts_is_removable(const char *sysfs, dev_t dev);
/* The sticks: mounts_read's list cut to removable drives, then the folder
 * (when set and a folder now: device "", fstype "folder", its st_dev).
 * 0, or -1 with err filled (*out empty). Caller frees with
 * mount_list_finish. */
int mounts_read_sticks(const mount_source *src, mount_list *out, tl_error *err);

void mount_list_finish(mount_list *l);   /* accepts an empty list and NULL */
/* Copies src into dst (dst freed first). 0, or -1 out of memory. */
int mount_list_copy(mount_list *dst, const mount_list *src, tl_error *err);

/* The entries of cur not in old (same point and device), as indices into
 * cur, at most max of them; returns how many. */
size_t mounts_new(const mount_list *old, const mount_list *cur, size_t *idx, size_t max);
/* The index of point in l, or -1. */
int mounts_find(const mount_list *l, const char *point);
/* The last path component of a mount point, for showing: borrowed from
 * point. */
const char *mounts_name(const char *point);

/*
 * A watcher: a thread that keeps a fresh snapshot of the sticks
 * (mounts_read_sticks) and calls changed(ud) (on its own thread: keep it short, e.g. post
 * an event) after each change it sees, and once at the start.
 */
typedef struct mount_watch mount_watch;
/* src->table NULL: the kernel's table, watched through libmount's monitor.
 * src is copied. NULL with err filled on failure. A monitor that cannot be
 * set up is not a failure: no change is then seen until a rescan (the
 * stick folder coming or going is seen at a rescan too). */
mount_watch *mount_watch_create(const mount_source *src, void (*changed)(void *ud), void *ud,
                                tl_error *err);
void mount_watch_destroy(mount_watch *w);   /* joins the thread; accepts NULL */
/* Copies the latest snapshot into out and its generation into *gen (it
 * goes up with each change seen; 0 before the first read). 0, or -1 out
 * of memory. */
int mount_watch_snapshot(mount_watch *w, mount_list *out, long *gen, tl_error *err);
/* Reads the table again now (for a file that cannot signal, as in tests). */
void mount_watch_rescan(mount_watch *w);

#endif
