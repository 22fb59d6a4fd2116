/*
 * util: small helpers shared by the core: checked allocation, strings,
 * clocks, UUIDs, times in ISO 8601, reading whole files.
 */
#ifndef TELLUS_UTIL_H
#define TELLUS_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "base/error.h"
#include "base/sha256.h"   /* tl_sha256_hex, tl_hex */

/* Returns a copy the caller frees with free(), or NULL when out of memory
 * or when s is NULL. */
char *tl_strdup(const char *s);
/* printf into a fresh string the caller frees; NULL when out of memory. */
char *tl_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * A clock the caller can replace: tests inject one that they move by hand.
 * mono_ms is monotonic (for timeouts and "time taken"); wall_ms is
 * milliseconds since 1970 UTC (for stored times).
 */
typedef struct tl_clock {
	int64_t (*mono_ms)(void *ud);
	int64_t (*wall_ms)(void *ud);
	void *ud;
} tl_clock;
/* The real clock (CLOCK_MONOTONIC and CLOCK_REALTIME). */
const tl_clock *tl_clock_system(void);
static inline int64_t tl_mono(const tl_clock *c) { return c->mono_ms(c->ud); }
static inline int64_t tl_wall(const tl_clock *c) { return c->wall_ms(c->ud); }

/* A fake clock for tests: both times are fields the test moves. */
typedef struct tl_fake_clock {
	tl_clock clock;
	int64_t mono, wall;
} tl_fake_clock;
void tl_fake_clock_init(tl_fake_clock *fc, int64_t mono, int64_t wall);

/* A random (version 4) UUID as 36 characters plus NUL, from libsodium. */
void tl_uuid4(char out[37]);

/* "2026-11-22T12:08:21.123Z" (24 characters plus NUL) from wall ms. */
void tl_iso8601(int64_t wall_ms, char out[32]);

/* Reads a whole file (NUL-terminated too); caller frees *data. 0, or -1
 * with err filled (TL_E_IO with sys = errno, or TL_E_NOMEM). */
int tl_read_file(const char *path, char **data, size_t *len, tl_error *err);

/* True when s is a non-empty id of a-z, 0-9, '-' and '_' only. */
bool tl_is_slug(const char *s);

/* The folder part of path ("." when it has none); caller frees. */
char *tl_dir_of(const char *path);

/* Joins dir and rel unless rel is absolute; caller frees. */
char *tl_path_join(const char *dir, const char *rel);

/* The kiosk's database when none is named: $XDG_DATA_HOME/tellus/tellus.db,
 * else ~/.local/share/tellus/tellus.db (./.local/... without HOME). Caller
 * frees; NULL when out of memory. The one place this rule lives. */
char *tl_default_db_path(void);

/* Where the bundled assets, fonts and demo flows live: $TELLUS_DATA_DIR
 * when set (running from a build tree), else the installed
 * PREFIX/share/tellus. Never the source tree by itself. Borrowed; valid for
 * the life of the process. */
const char *tl_data_dir(void);

#endif
