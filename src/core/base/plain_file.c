/*
 * plain_file: see plain_file.h. Taken out of merge_verify so that the
 * stick's flows and pictures (intake_copy) are read the same careful way.
 */
#include "base/plain_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

int
plain_open(int dirfd, const char *name, int *fd_out, struct stat *sb)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW);
	if (fd < 0)
		return errno == ELOOP ? PLAIN_A_LINK : errno;
	if (fstat(fd, sb) != 0) {
		int e = errno;
		close(fd);
		return e;
	}
	if (!S_ISREG(sb->st_mode)) {
		close(fd);
		return PLAIN_NOT_A_FILE;
	}
	*fd_out = fd;
	return 0;
}

int
plain_read(int dirfd, const char *name, size_t max, char **data, size_t *len, struct stat *sb)
{
	*data = NULL;
	*len = 0;
	int fd = -1;
	struct stat st;
	int e = plain_open(dirfd, name, &fd, &st);
	if (e)
		return e;
	if (sb)
		*sb = st;
	if ((uintmax_t)st.st_size > max) {
		close(fd);
		return EFBIG;
	}
	size_t cap = (size_t)st.st_size + 1, n = 0;
	char *buf = malloc(cap + 1);
	for (e = buf ? 0 : ENOMEM; e == 0;) {
		if (n == cap) {
			/* it grew since fstat: read on, up to max */
			char *nb = cap > max ? NULL : realloc(buf, cap * 2 + 1);
			if (!nb) {
				e = cap > max ? EFBIG : ENOMEM;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			e = errno;
		else if (got == 0)
			break;
		else
			n += (size_t)got;
	}
	close(fd);
	if (e == 0 && n > max)
		e = EFBIG;
	if (e) {
		free(buf);
		return e;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
}
