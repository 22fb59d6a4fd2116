/*
 * utf8: the one UTF-8 validator of the core (RFC 3629: no overlong forms,
 * no surrogates, nothing past U+10FFFF).
 */
#ifndef TELLUS_UTF8_H
#define TELLUS_UTF8_H

#include <stddef.h>

/* Length (1..4) of the valid sequence at s, which has n bytes left; 0 when
 * the bytes there are not UTF-8 or the sequence runs past n. A zero byte is
 * a valid sequence of 1. */
size_t tl_utf8_seq(const unsigned char *s, size_t n);

/* Offset of the first byte of s[0..len) that does not start valid UTF-8,
 * or of the first zero byte when stop_at_nul; len when it is all good. */
size_t tl_utf8_bad_at(const unsigned char *s, size_t len, int stop_at_nul);

#endif
