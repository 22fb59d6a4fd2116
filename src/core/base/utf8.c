/*
 * utf8: validation only; decoding for display is SDL_ttf's and fribidi's.
 */
#include "base/utf8.h"

size_t
tl_utf8_seq(const unsigned char *s, size_t n)
{
	if (n == 0)
		return 0;
	unsigned b = s[0];
	if (b < 0x80)
		return 1;
	size_t len;
	unsigned min, cp;
	if (b >= 0xc2 && b <= 0xdf) {
		len = 2; min = 0x80; cp = b & 0x1f;
	} else if (b >= 0xe0 && b <= 0xef) {
		len = 3; min = 0x800; cp = b & 0x0f;
	} else if (b >= 0xf0 && b <= 0xf4) {
		len = 4; min = 0x10000; cp = b & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[k] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

size_t
tl_utf8_bad_at(const unsigned char *s, size_t len, int stop_at_nul)
{
	size_t i = 0;
	while (i < len) {
		if (s[i] == 0 && stop_at_nul)
			return i;
		size_t k = tl_utf8_seq(s + i, len - i);
		if (k == 0)
			return i;
		i += k;
	}
	return len;
}
