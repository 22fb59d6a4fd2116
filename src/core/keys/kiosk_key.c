/*
 * kiosk_key: see kiosk_key.h. The new key is written to a temporary file
 * (O_EXCL, 0600), fsynced, and linked to its name, so a reader never sees a
 * half-written key and a key already there is never overwritten. A start
 * killed while it wrote one leaves its temporary file (secret key bytes,
 * perhaps only some): the next start that may make keys removes those of
 * processes no longer running.
 */
#include "keys/kiosk_key.h"
#include "base/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_MAX 4096

char *
kiosk_key_path(const char *db_path)
{
	return tl_asprintf("%s-kiosk.key", db_path);
}

/* 0, ENOENT, or another errno; *text is NUL-terminated (caller wipes and
 * frees). */
static int
read_key(const char *path, char **text, size_t *len)
{
	*text = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return errno;
	struct stat sb;
	int e = 0;
	if (fstat(fd, &sb) != 0)
		e = errno;
	else if (!S_ISREG(sb.st_mode) || sb.st_size > KEY_MAX)
		e = EINVAL;
	else if ((sb.st_mode & 077) && fchmod(fd, 0600) != 0)
		e = errno;
	char *buf = e ? NULL : calloc(1, KEY_MAX + 1);
	size_t n = 0;
	if (!e && !buf)
		e = ENOMEM;
	while (!e && n < KEY_MAX) {
		ssize_t got = read(fd, buf + n, KEY_MAX - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			e = errno;
		if (got <= 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	if (e) {
		free(buf);
		return e;
	}
	*text = buf;
	*len = n;
	return 0;
}

static int
write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? errno : EIO;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

static void
fsync_parent(const char *path)
{
	char *dir = tl_strdup(path);
	char *slash = dir ? strrchr(dir, '/') : NULL;
	if (dir) {
		if (slash)
			*(slash == dir ? slash + 1 : slash) = '\0';
		int fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0) {
			fsync(fd);
			close(fd);
		}
	}
	free(dir);
}

/* Removes path.PID.new files beside path whose PID no longer runs (a start
 * killed while it wrote the key); those of running processes, and anything
 * else, are left alone. */
static void
sweep_stale(const char *path)
{
	const char *cut = strrchr(path, '/');
	const char *b = cut ? cut + 1 : path;
	size_t blen = strlen(b);
	char *dir = cut ? strndup(path, cut == path ? 1 : (size_t)(cut - path)) : tl_strdup(".");
	DIR *d = dir ? opendir(dir) : NULL;
	free(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		const char *n = de->d_name;
		size_t nlen = strlen(n);
		if (nlen <= blen + 5 || strncmp(n, b, blen) != 0 || n[blen] != '.' ||
		    strcmp(n + nlen - 4, ".new") != 0)
			continue;
		const char *p = n + blen + 1;
		char *end;
		errno = 0;
		long pid = strtol(p, &end, 10);
		if (errno || end != n + nlen - 4 || end == p || *p == '-' || *p == '+' || pid <= 0 ||
		    pid == (long)getpid())
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;  /* still running, or not ours to ask about */
		unlinkat(dirfd(d), n, 0);
	}
	closedir(d);
}

/* A new key at path, unless one appeared meanwhile (then 0 and the caller
 * reads that one). An errno on failure. */
static int
make_key(const char *path, tl_error *err)
{
	minisign_key k;
	if (minisign_generate(&k, err) != 0)
		return EIO;
	char *text = minisign_secret_file(&k);
	minisign_key_wipe(&k);
	char *tmp = tl_asprintf("%s.%ld.new", path, (long)getpid());
	int e = text && tmp ? 0 : ENOMEM;
	int fd = -1;
	if (!e && (fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600)) < 0)
		e = errno;
	if (!e)
		e = write_all(fd, text, strlen(text));
	if (!e && fsync(fd) != 0)
		e = errno;
	if (fd >= 0 && close(fd) != 0 && !e)
		e = errno;
	if (!e && link(tmp, path) != 0 && errno != EEXIST)
		e = errno;
	if (fd >= 0)
		unlink(tmp);
	if (!e)
		fsync_parent(path);
	if (text) {
		sodium_memzero(text, strlen(text));
		free(text);
	}
	free(tmp);
	return e;
}

int
kiosk_key_load(const char *db_path, bool create, minisign_key *k, bool *made, tl_error *err)
{
	if (made)
		*made = false;
	char *path = kiosk_key_path(db_path);
	if (!path)
		return tl_err_nomem(err);
	char *text = NULL;
	size_t len = 0;
	if (create)
		sweep_stale(path);
	int e = read_key(path, &text, &len);
	if (e == ENOENT && create) {
		e = make_key(path, err);
		if (!e) {
			if (made)
				*made = true;
			e = read_key(path, &text, &len);
		}
	}
	int rc = 0;
	if (e == ENOENT)
		rc = tl_err_sys(err, TL_E_IO, e, "this kiosk has no signing key yet (%s)", path);
	else if (e == EINVAL)
		rc = tl_err(err, TL_E_FORMAT, "%s is not this kiosk's signing key (not a small "
		            "plain file)", path);
	else if (e)
		rc = tl_err_sys(err, e == ENOMEM ? TL_E_NOMEM : TL_E_IO, e,
		                "could not read or make this kiosk's signing key %s (%s)", path,
		                strerror(e));
	else if (minisign_secret_parse(text, len, k, err) != 0)
		rc = tl_err_prefix(err, "this kiosk's signing key %s is damaged and was left as it is "
		                   "(move it away to make a new one)", path);
	if (text) {
		sodium_memzero(text, len);
		free(text);
	}
	free(path);
	return rc;
}
