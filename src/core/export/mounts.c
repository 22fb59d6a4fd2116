/*
 * mounts: see mounts.h. The parser is pure (text in, list out) so every
 * quirk of mountinfo is tested from fixture texts; the watcher is a small
 * thread asleep in poll() on the mount table and a pipe, so it costs
 * nothing until a mount comes or goes or it is told to stop.
 */
#include "export/mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "base/util.h"

#define MOUNTINFO "/proc/self/mountinfo"

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

/* Decodes mountinfo's octal escapes (\040 space, \011 tab, \012 newline,
 * \134 backslash) of the n bytes at s into a fresh string. */
static char *
unescape(const char *s, size_t n)
{
	char *out = malloc(n + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 3 < n &&
		    s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0' && s[i + 2] <= '7' &&
		    s[i + 3] >= '0' && s[i + 3] <= '7') {
			out[o++] = (char)((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
			i += 3;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return out;
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

/* Splits one line (without its newline) into space-separated fields. */
static size_t
split(const char *line, size_t len, const char **f, size_t *fl, size_t max)
{
	size_t n = 0, i = 0;
	while (i < len && n < max) {
		while (i < len && line[i] == ' ')
			i++;
		if (i >= len)
			break;
		size_t s = i;
		while (i < len && line[i] != ' ')
			i++;
		f[n] = line + s;
		fl[n] = i - s;
		n++;
	}
	return n;
}

static int
add_line(const char *line, size_t len, const char *const *roots, mount_list *out, size_t *cap)
{
	const char *f[64];
	size_t fl[64];
	size_t n = split(line, len, f, fl, 64);
	if (n < 10)
		return 0;
	/* Optional fields end at a lone "-"; then fstype and source. */
	size_t dash = 6;
	while (dash < n && !(fl[dash] == 1 && f[dash][0] == '-'))
		dash++;
	if (dash + 2 >= n)
		return 0;
	unsigned maj, min;
	char mm[32];
	if (fl[2] >= sizeof mm)
		return 0;
	memcpy(mm, f[2], fl[2]);
	mm[fl[2]] = '\0';
	if (sscanf(mm, "%u:%u", &maj, &min) != 2)
		return 0;
	if (fl[dash + 1] == 6 && memcmp(f[dash + 1], "autofs", 6) == 0)
		return 0;
	char *point = unescape(f[4], fl[4]);
	if (!point)
		return -1;
	if (!wanted(point, roots)) {
		free(point);
		return 0;
	}
	char *fstype = unescape(f[dash + 1], fl[dash + 1]);
	char *device = unescape(f[dash + 2], fl[dash + 2]);
	if (out->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 4;
		mount_entry *ni = realloc(out->items, nc * sizeof *ni);
		if (ni) {
			out->items = ni;
			*cap = nc;
		}
	}
	if (!fstype || !device || out->n == *cap) {
		free(point);
		free(fstype);
		free(device);
		return -1;
	}
	out->items[out->n++] = (mount_entry){ point, device, fstype, makedev(maj, min) };
	return 0;
}

int
mounts_parse(const char *text, const char *const *roots, mount_list *out)
{
	out->items = NULL;
	out->n = 0;
	if (!roots)
		roots = default_roots;
	size_t cap = 0;
	const char *p = text;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (add_line(p, len, roots, out, &cap) != 0) {
			mount_list_finish(out);
			return -1;
		}
		p = nl ? nl + 1 : NULL;
	}
	return 0;
}

int
mounts_read(const char *path, const char *const *roots, mount_list *out)
{
	out->items = NULL;
	out->n = 0;
	/* /proc files report a size of 0: read until the end, not by size. */
	int fd = open(path ? path : MOUNTINFO, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	size_t cap = 16384, len = 0;
	char *buf = malloc(cap);
	int rc = buf ? 0 : ENOMEM;
	while (rc == 0) {
		if (len + 1 >= cap) {
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				rc = ENOMEM;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + len, cap - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			rc = errno;
		else if (r == 0)
			break;
		else
			len += (size_t)r;
	}
	close(fd);
	if (rc == 0) {
		buf[len] = '\0';
		if (mounts_parse(buf, roots, out) != 0)
			rc = ENOMEM;
	}
	free(buf);
	return rc;
}

int
mount_list_copy(mount_list *dst, const mount_list *src)
{
	mount_list_finish(dst);
	if (src->n == 0)
		return 0;
	dst->items = calloc(src->n, sizeof *dst->items);
	if (!dst->items)
		return -1;
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
			return -1;
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
	char *path;
	char **roots;
	void (*changed)(void *ud);
	void *ud;
	int fd;              /* the mount table, polled for POLLPRI */
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
	if (mounts_read(w->path, (const char *const *)w->roots, &l) != 0)
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
			{ .fd = w->fd, .events = POLLPRI },
		};
		int r = poll(p, w->fd >= 0 ? 2 : 1, -1);
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
		if (w->fd >= 0 && (p[1].revents & (POLLPRI | POLLERR)))
			rescan(w);
		else if (w->fd >= 0 && (p[1].revents & POLLNVAL))
			w->fd = -1;
	}
}

mount_watch *
mount_watch_create(const char *path, const char *const *roots,
                   void (*changed)(void *ud), void *ud)
{
	mount_watch *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	w->fd = w->pipe_r = w->pipe_w = -1;
	w->changed = changed;
	w->ud = ud;
	pthread_mutex_init(&w->mu, NULL);
	if (!roots)
		roots = default_roots;
	size_t n = 0;
	while (roots[n])
		n++;
	w->path = tl_strdup(path ? path : MOUNTINFO);
	w->roots = calloc(n + 1, sizeof *w->roots);
	bool ok = w->path && w->roots;
	for (size_t i = 0; ok && i < n; i++)
		ok = (w->roots[i] = tl_strdup(roots[i])) != NULL;
	int pf[2];
	if (ok && pipe(pf) == 0) {
		w->pipe_r = pf[0];
		w->pipe_w = pf[1];
		fcntl(pf[0], F_SETFD, FD_CLOEXEC);
		fcntl(pf[1], F_SETFD, FD_CLOEXEC);
	} else {
		ok = false;
	}
	/* A table that cannot be opened is not fatal: no stick is offered,
	 * and rescans may still find it later. */
	if (ok)
		w->fd = open(w->path, O_RDONLY | O_CLOEXEC);
	if (ok && pthread_create(&w->thread, NULL, watch_thread, w) == 0)
		w->started = true;
	else
		ok = false;
	if (!ok) {
		mount_watch_destroy(w);
		return NULL;
	}
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
	if (w->fd >= 0)
		close(w->fd);
	if (w->pipe_r >= 0)
		close(w->pipe_r);
	if (w->pipe_w >= 0)
		close(w->pipe_w);
	for (size_t i = 0; w->roots && w->roots[i]; i++)
		free(w->roots[i]);
	free(w->roots);
	free(w->path);
	mount_list_finish(&w->snap);
	pthread_mutex_destroy(&w->mu);
	free(w);
}

long
mount_watch_snapshot(mount_watch *w, mount_list *out)
{
	pthread_mutex_lock(&w->mu);
	long gen = mount_list_copy(out, &w->snap) == 0 ? w->gen : -1;
	pthread_mutex_unlock(&w->mu);
	return gen;
}

void
mount_watch_rescan(mount_watch *w)
{
	char c = 'r';
	while (write(w->pipe_w, &c, 1) < 0 && errno == EINTR) {
	}
}
