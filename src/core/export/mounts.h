/*
 * mounts: finds USB sticks by reading the kernel's mount table
 * (/proc/self/mountinfo) and keeping the mount points under a few roots
 * (default /media, /run/media, /mnt: where udisks2 and automount rules put
 * them), and watches that table without busy waiting: the kernel marks the
 * file with POLLPRI|POLLERR whenever a mount comes or goes.
 */
#ifndef TELLUS_MOUNTS_H
#define TELLUS_MOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

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

/* Parses mountinfo text and keeps the mounts at or under one of roots
 * (NULL-terminated; NULL: the defaults). Automount placeholders (autofs)
 * are left out: they are not a stick yet. Lines that do not parse are
 * skipped. 0, or -1 when out of memory (*out then empty). Caller frees
 * with mount_list_finish. */
int mounts_parse(const char *text, const char *const *roots, mount_list *out);
/* Reads and parses a mountinfo file (NULL: /proc/self/mountinfo).
 * 0, or an errno value. */
int mounts_read(const char *path, const char *const *roots, mount_list *out);
void mount_list_finish(mount_list *l);   /* accepts an empty list */
/* Copies src into dst (dst freed first). 0, or -1 out of memory. */
int mount_list_copy(mount_list *dst, const mount_list *src);

/* The entries of cur not in old (same point and device), as indices into
 * cur, at most max of them; returns how many. */
size_t mounts_new(const mount_list *old, const mount_list *cur, size_t *idx, size_t max);
/* The index of point in l, or -1. */
int mounts_find(const mount_list *l, const char *point);
/* The last path component of a mount point, for showing: borrowed from
 * point. */
const char *mounts_name(const char *point);

/*
 * A watcher: a thread that keeps a fresh snapshot of the mounts under the
 * roots and calls changed(ud) (on its own thread: keep it short, e.g. post
 * an event) after each change it sees, and once at the start.
 */
typedef struct mount_watch mount_watch;
/* path NULL: /proc/self/mountinfo. roots are copied. NULL on failure. */
mount_watch *mount_watch_create(const char *path, const char *const *roots,
                                void (*changed)(void *ud), void *ud);
void mount_watch_destroy(mount_watch *w);   /* joins the thread; accepts NULL */
/* Copies the latest snapshot into out and returns its generation (it goes
 * up with each change seen). -1 when out of memory. */
long mount_watch_snapshot(mount_watch *w, mount_list *out);
/* Reads the table again now (for a file that cannot signal, as in tests). */
void mount_watch_rescan(mount_watch *w);

#endif
