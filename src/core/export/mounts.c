/*
 * mounts: see mounts.h. libmount reads the table (one function, table_of,
 * for the stick list and for the export's mount-point check) and its
 * monitor tells the watcher when to read it again; what is left here is
 * the policy (which mounts count as a stick) and a small thread asleep in
 * poll() on the monitor and a pipe, so it costs nothing until a mount
 * comes or goes or it is told to stop.
 */
#include "export/mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <libmount.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"

static const char *const default_roots[] = { "/media", "/run/media", "/mnt", NULL };

const char *const *
mounts_default_roots(void)
{
	return default_roots;
}

void
mount_list_finish(mount_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->items[i].point);
		free(l->items[i].device);
		free(l->items[i].fstype);
	}
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

/* ---- reading the table (libmount) ---------------------------------------- */

/* The one reader of a mount table: the file at path (NULL: the kernel's),
 * or, when text is not NULL, that text. A fresh table (caller unrefs it),
 * or NULL with err filled. */
static struct libmnt_table *
table_of(const char *path, const char *text, tl_error *err)
{
	const char *name = path ? path : MOUNTS_KERNEL_TABLE;
	struct libmnt_table *tb = mnt_new_table();
	if (!tb) {
		tl_err_nomem(err);
		return NULL;
	}
	int rc;
	if (text) {
		FILE *f = *text ? fmemopen((void *)text, strlen(text), "r") : NULL;
		rc = !*text ? 0 : f ? mnt_table_parse_stream(tb, f, "mountinfo text") : -errno;
		if (f)
			fclose(f);
	} else {
		rc = mnt_table_parse_file(tb, name);
	}
	if (rc != 0) {
		mnt_unref_table(tb);
		if (rc == -ENOMEM) {
			tl_err_nomem(err);
			return NULL;
		}
		tl_err_sys(err, TL_E_IO, -rc, "could not read the mount table %s: %s",
		           text ? "text" : name, strerror(-rc));
		return NULL;
	}
	return tb;
}

static bool
under_root(const char *point, const char *root)
{
	size_t n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		n--;
	if (strncmp(point, root, n) != 0)
		return false;
	if (n == 1 && root[0] == '/')
		return true;
	return point[n] == '\0' || point[n] == '/';
}

static bool
wanted(const char *point, const char *const *roots)
{
	for (size_t i = 0; roots[i]; i++)
		if (under_root(point, roots[i]))
			return true;
	return false;
}

/* Keeps the sticks of tb: under a root, and not an automount placeholder. */
static int
list_of(struct libmnt_table *tb, const char *const *roots, mount_list *out, tl_error *err)
{
	struct libmnt_iter *it = mnt_new_iter(MNT_ITER_FORWARD);
	if (!it)
		return tl_err_nomem(err);
	size_t cap = 0;
	int rc = 0;
	struct libmnt_fs *fs;
	while (rc == 0 && mnt_table_next_fs(tb, it, &fs) == 0) {
		const char *point = mnt_fs_get_target(fs);
		const char *fstype = mnt_fs_get_fstype(fs);
		const char *device = mnt_fs_get_source(fs);
		if (!point || !wanted(point, roots) || (fstype && strcmp(fstype, "autofs") == 0))
			continue;
		if (out->n == cap) {
			size_t nc = cap ? cap * 2 : 4;
			mount_entry *ni = realloc(out->items, nc * sizeof *ni);
			if (!ni) {
				rc = -1;
				break;
			}
			out->items = ni;
			cap = nc;
		}
		mount_entry e = {
			tl_strdup(point), tl_strdup(device ? device : ""),
			tl_strdup(fstype ? fstype : ""), mnt_fs_get_devno(fs),
		};
		if (!e.point || !e.device || !e.fstype) {
			free(e.point);
			free(e.device);
			free(e.fstype);
			rc = -1;
			break;
		}
		out->items[out->n++] = e;
	}
	mnt_free_iter(it);
	if (rc != 0) {
		mount_list_finish(out);
		return tl_err_nomem(err);
	}
	return 0;
}

static int
read_list(const char *path, const char *text, const char *const *roots, mount_list *out,
          tl_error *err)
{
	out->items = NULL;
	out->n = 0;
	struct libmnt_table *tb = table_of(path, text, err);
	if (!tb)
		return -1;
	int rc = list_of(tb, roots ? roots : default_roots, out, err);
	mnt_unref_table(tb);
	return rc;
}

int
mounts_read(const char *path, const char *const *roots, mount_list *out, tl_error *err)
{
	return read_list(path, NULL, roots, out, err);
}

int
mounts_parse(const char *text, const char *const *roots, mount_list *out, tl_error *err)
{
	return read_list(NULL, text ? text : "", roots, out, err);
}

bool
mounts_is_mount_point(const char *table, const char *path)
{
	struct libmnt_table *tb = table_of(table, NULL, NULL);
	if (!tb)
		return false;
	/* Backward: the last mount on a point is the one in force. */
	bool found = mnt_table_find_target(tb, path, MNT_ITER_BACKWARD) != NULL;
	mnt_unref_table(tb);
	return found;
}

/* ---- lists -------------------------------------------------------------------- */

int
mount_list_copy(mount_list *dst, const mount_list *src, tl_error *err)
{
	mount_list_finish(dst);
	if (src->n == 0)
		return 0;
	dst->items = calloc(src->n, sizeof *dst->items);
	if (!dst->items)
		return tl_err_nomem(err);
	for (size_t i = 0; i < src->n; i++) {
		mount_entry *d = &dst->items[i];
		const mount_entry *s = &src->items[i];
		d->point = tl_strdup(s->point);
		d->device = tl_strdup(s->device);
		d->fstype = tl_strdup(s->fstype);
		d->dev = s->dev;
		dst->n = i + 1;
		if (!d->point || !d->device || !d->fstype) {
			mount_list_finish(dst);
			return tl_err_nomem(err);
		}
	}
	return 0;
}

int
mounts_find(const mount_list *l, const char *point)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i].point, point) == 0)
			return (int)i;
	return -1;
}

size_t
mounts_new(const mount_list *old, const mount_list *cur, size_t *idx, size_t max)
{
	size_t k = 0;
	for (size_t i = 0; i < cur->n && k < max; i++) {
		bool seen = false;
		for (size_t j = 0; j < old->n && !seen; j++)
			seen = strcmp(old->items[j].point, cur->items[i].point) == 0 &&
			       strcmp(old->items[j].device, cur->items[i].device) == 0 &&
			       old->items[j].dev == cur->items[i].dev;
		if (!seen)
			idx[k++] = i;
	}
	return k;
}

const char *
mounts_name(const char *point)
{
	const char *slash = strrchr(point, '/');
	return slash && slash[1] ? slash + 1 : point;
}

/* ---- the watcher -------------------------------------------------------- */

struct mount_watch {
	char *path;          /* NULL: the kernel's table */
	char **roots;
	char *sysfs;         /* NULL: MOUNTS_SYSFS */
	char *folder;        /* NULL: none */
	void (*changed)(void *ud);
	void *ud;
	struct libmnt_monitor *mon;  /* the kernel's table only; NULL otherwise */
	int mon_fd;          /* the monitor's epoll fd, or -1 */
	int pipe_r, pipe_w;  /* 'r': rescan, 'q': stop */
	pthread_t thread;
	bool started;
	pthread_mutex_t mu;
	mount_list snap;
	long gen;
};

static void
rescan(mount_watch *w)
{
	mount_list l = { 0 };
	mount_source src = { w->path, (const char *const *)w->roots, w->sysfs, w->folder };
	if (mounts_read_sticks(&src, &l, NULL) != 0)
		return;   /* keep the last good snapshot */
	pthread_mutex_lock(&w->mu);
	mount_list_finish(&w->snap);
	w->snap = l;
	w->gen++;
	pthread_mutex_unlock(&w->mu);
	if (w->changed)
		w->changed(w->ud);
}

static void *
watch_thread(void *ud)
{
	mount_watch *w = ud;
	rescan(w);
	for (;;) {
		struct pollfd p[2] = {
			{ .fd = w->pipe_r, .events = POLLIN },
			{ .fd = w->mon_fd, .events = POLLIN },
		};
		int r = poll(p, w->mon_fd >= 0 ? 2 : 1, -1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return NULL;
		if (p[0].revents & POLLIN) {
			char c = 0;
			if (read(w->pipe_r, &c, 1) == 1 && c == 'q')
				return NULL;
			rescan(w);
		} else if (p[0].revents) {
			return NULL;   /* the pipe broke: nobody can stop us otherwise */
		}
		if (w->mon_fd >= 0 && (p[1].revents & POLLIN)) {
			/* Drain every change the monitor holds (a burst of mounts is
			 * one read of the table), and skip its false alarms. */
			bool any = false;
			while (mnt_monitor_next_change(w->mon, NULL, NULL) == 0)
				any = true;
			if (any)
				rescan(w);
		} else if (w->mon_fd >= 0 && (p[1].revents & (POLLERR | POLLHUP | POLLNVAL))) {
			w->mon_fd = -1;   /* the monitor broke: rescans still work */
		}
	}
}

/* The kernel's table signals each mount and unmount through libmount's
 * monitor; anything else is a plain file that cannot. */
static void
start_monitor(mount_watch *w)
{
	if (w->path)
		return;
	w->mon = mnt_new_monitor();
	if (!w->mon || mnt_monitor_enable_kernel(w->mon, 1) != 0 ||
	    (w->mon_fd = mnt_monitor_get_fd(w->mon)) < 0) {
		mnt_unref_monitor(w->mon);
		w->mon = NULL;
		w->mon_fd = -1;
	}
}

mount_watch *
mount_watch_create(const mount_source *src, void (*changed)(void *ud), void *ud, tl_error *err)
{
	static const mount_source none = { 0 };
	if (!src)
		src = &none;
	const char *path = src->table;
	const char *const *roots = src->roots;
	mount_watch *w = calloc(1, sizeof *w);
	if (!w) {
		tl_err_nomem(err);
		return NULL;
	}
	w->mon_fd = w->pipe_r = w->pipe_w = -1;
	w->changed = changed;
	w->ud = ud;
	pthread_mutex_init(&w->mu, NULL);
	if (!roots)
		roots = default_roots;
	size_t n = 0;
	while (roots[n])
		n++;
	bool ok = true;
	if (path && strcmp(path, MOUNTS_KERNEL_TABLE) != 0)
		ok = (w->path = tl_strdup(path)) != NULL;
	if (src->sysfs)
		ok = ok && (w->sysfs = tl_strdup(src->sysfs)) != NULL;
	if (src->folder && src->folder[0])
		ok = ok && (w->folder = tl_strdup(src->folder)) != NULL;
	w->roots = calloc(n + 1, sizeof *w->roots);
	ok = ok && w->roots;
	for (size_t i = 0; ok && i < n; i++)
		ok = (w->roots[i] = tl_strdup(roots[i])) != NULL;
	if (!ok) {
		mount_watch_destroy(w);
		tl_err_nomem(err);
		return NULL;
	}
	int pf[2];
	if (pipe(pf) != 0) {
		tl_err_sys(err, TL_E_IO, errno, "could not watch the mounts: %s", strerror(errno));
		mount_watch_destroy(w);
		return NULL;
	}
	w->pipe_r = pf[0];
	w->pipe_w = pf[1];
	fcntl(pf[0], F_SETFD, FD_CLOEXEC);
	fcntl(pf[1], F_SETFD, FD_CLOEXEC);
	start_monitor(w);
	int rc = pthread_create(&w->thread, NULL, watch_thread, w);
	if (rc != 0) {
		tl_err_sys(err, TL_E_IO, rc, "could not watch the mounts: %s", strerror(rc));
		mount_watch_destroy(w);
		return NULL;
	}
	w->started = true;
	return w;
}

void
mount_watch_destroy(mount_watch *w)
{
	if (!w)
		return;
	if (w->started) {
		char c = 'q';
		while (write(w->pipe_w, &c, 1) < 0 && errno == EINTR) {
		}
		pthread_join(w->thread, NULL);
	}
	mnt_unref_monitor(w->mon);   /* closes its fd; accepts NULL */
	if (w->pipe_r >= 0)
		close(w->pipe_r);
	if (w->pipe_w >= 0)
		close(w->pipe_w);
	for (size_t i = 0; w->roots && w->roots[i]; i++)
		free(w->roots[i]);
	free(w->roots);
	free(w->path);
	free(w->sysfs);
	free(w->folder);
	mount_list_finish(&w->snap);
	pthread_mutex_destroy(&w->mu);
	free(w);
}

int
mount_watch_snapshot(mount_watch *w, mount_list *out, long *gen, tl_error *err)
{
	pthread_mutex_lock(&w->mu);
	int rc = mount_list_copy(out, &w->snap, err);
	if (rc == 0 && gen)
		*gen = w->gen;
	pthread_mutex_unlock(&w->mu);
	return rc;
}

void
mount_watch_rescan(mount_watch *w)
{
	char c = 'r';
	while (write(w->pipe_w, &c, 1) < 0 && errno == EINTR) {
	}
}
