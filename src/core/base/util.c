/*
 * util: helpers shared by the core. Nothing here prints or exits.
 */
#include "base/util.h"
#include "base/sha256.h"
#include "tellus_build.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>

char *
tl_strdup(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	char *p = malloc(n);
	if (p)
		memcpy(p, s, n);
	return p;
}

char *
tl_asprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = malloc((size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

static int64_t
clock_ms(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t sys_mono(void *ud) { (void)ud; return clock_ms(CLOCK_MONOTONIC); }
static int64_t sys_wall(void *ud) { (void)ud; return clock_ms(CLOCK_REALTIME); }

const tl_clock *
tl_clock_system(void)
{
	static const tl_clock c = { sys_mono, sys_wall, NULL };
	return &c;
}

static int64_t fake_mono(void *ud) { return ((tl_fake_clock *)ud)->mono; }
static int64_t fake_wall(void *ud) { return ((tl_fake_clock *)ud)->wall; }

void
tl_fake_clock_init(tl_fake_clock *fc, int64_t mono, int64_t wall)
{
	fc->clock.mono_ms = fake_mono;
	fc->clock.wall_ms = fake_wall;
	fc->clock.ud = fc;
	fc->mono = mono;
	fc->wall = wall;
}

void
tl_uuid4(char out[37])
{
	unsigned char b[16];
	/* sodium_init is idempotent and thread-safe; randombytes works without
	 * it too, but calling it picks the best source once. */
	if (sodium_init() < 0) {
		/* fall through: randombytes_buf still reads the system source */
	}
	randombytes_buf(b, sizeof b);
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	/* 8-4-4-4-12 hex digits: the groups' hex, then the dashes put in. */
	char h[33];
	tl_hex(b, sizeof b, h, sizeof h);
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
}

void
tl_iso8601(int64_t wall_ms, char out[32])
{
	time_t secs = (time_t)(wall_ms / 1000);
	int ms = (int)(wall_ms % 1000);
	if (ms < 0) {
		ms += 1000;
		secs -= 1;
	}
	struct tm tm;
	gmtime_r(&secs, &tm);
	/* strftime bounds the date part; the compiler cannot prove a plain
	 * snprintf of every field fits, and werror builds would refuse it. */
	size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, 32 - n, ".%03dZ", ms);
}

static int
read_file(const char *path, char **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return errno;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1);
	if (!buf) {
		fclose(f);
		return ENOMEM;
	}
	for (;;) {
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
		if (n == cap) {
			char *nb = realloc(buf, cap * 2 + 1);
			if (!nb) {
				free(buf);
				fclose(f);
				return ENOMEM;
			}
			buf = nb;
			cap *= 2;
		}
	}
	int err = ferror(f) ? EIO : 0;
	fclose(f);
	if (err) {
		free(buf);
		return err;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
}

int
tl_read_file(const char *path, char **data, size_t *len, tl_error *err)
{
	int e = read_file(path, data, len);
	if (e == ENOMEM)
		return tl_err_nomem(err);
	if (e)
		return tl_err_sys(err, TL_E_IO, e, "cannot read %s: %s", path, strerror(e));
	return 0;
}

bool
tl_is_slug(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++) {
		char c = *s;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return true;
}

char *
tl_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return tl_strdup(".");
	if (slash == path)
		return tl_strdup("/");
	size_t n = (size_t)(slash - path);
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, path, n);
		d[n] = '\0';
	}
	return d;
}

char *
tl_path_join(const char *dir, const char *rel)
{
	if (!rel)
		return NULL;
	if (rel[0] == '/' || !dir || !*dir)
		return tl_strdup(rel);
	size_t dl = strlen(dir);
	return tl_asprintf("%s%s%s", dir, dir[dl - 1] == '/' ? "" : "/", rel);
}

const char *
tl_data_dir(void)
{
	/* Explicit or installed, never guessed: a build tree says so through
	 * TELLUS_DATA_DIR (scripts/kiosk, meson devenv, the tests), so an
	 * installed binary can never pick up a source folder that happens to
	 * be where it was built. */
	const char *env = getenv("TELLUS_DATA_DIR");
	if (env && *env)
		return env;
	return TELLUS_INSTALL_DATA_DIR;
}

char *
tl_default_db_path(void)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	if (xdg && *xdg)
		return tl_asprintf("%s/tellus/tellus.db", xdg);
	const char *home = getenv("HOME");
	return tl_asprintf("%s/.local/share/tellus/tellus.db", home && *home ? home : ".");
}
