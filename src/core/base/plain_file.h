/*
 * plain_file: reading one file beneath a folder handle on media Tellus does
 * not control (an export to merge, a stick's flows and pictures).
 *
 * Promises: the name is opened beneath the handle with O_NOFOLLOW (a link,
 * even to /dev/zero or a file elsewhere, is refused) and O_NONBLOCK (a FIFO
 * cannot make the open wait), then fstat: only a plain file is read; the
 * bound is checked from fstat before the first byte, and a file that grows
 * while read is cut off at the bound and refused.
 */
#ifndef TELLUS_PLAIN_FILE_H
#define TELLUS_PLAIN_FILE_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

/* Not errno values: the name is there but is not a plain file; it is a
 * link. */
#define PLAIN_NOT_A_FILE (-1)
#define PLAIN_A_LINK (-2)

/* Opens name beneath dirfd, as above: 0 with *fd_out (caller closes) and
 * its fstat in *sb, PLAIN_NOT_A_FILE, PLAIN_A_LINK, or an errno value. */
int plain_open(int dirfd, const char *name, int *fd_out, struct stat *sb);
/* Reads a plain file whole (NUL-terminated; caller frees *data): 0, EFBIG
 * when it holds more than max bytes (also if it grows while read),
 * PLAIN_NOT_A_FILE, PLAIN_A_LINK, or an errno value. sb (may be NULL) gets
 * the file's fstat. */
int plain_read(int dirfd, const char *name, size_t max, char **data, size_t *len,
               struct stat *sb);

#endif
