/*
 * slow_vfs: wraps the default SQLite VFS, delegating every method of every
 * io_methods version it offers, and adds a sleep and a count to xSync.
 *
 * A file opened through it is our header followed by the real VFS's file, so
 * one allocation (SQLite's, of szOsFile) holds both. The io_methods we hand
 * out claim the same version as the real file's, never more, so SQLite only
 * calls what the real file can do.
 */
#include "slow_vfs.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sqlite3.h>

struct slow_vfs {
	sqlite3_vfs base;
	sqlite3_vfs *real;
	atomic_int delay_ms;
	char name[64];
	struct slow_vfs *next;
};

struct slow_file {
	sqlite3_file base;
	struct slow_vfs *vfs;
	sqlite3_file *real;   /* just after this struct, in the same block */
};

static atomic_long sync_count;
static struct slow_vfs *registered;   /* kept so LeakSanitizer sees them reachable */

#define REAL(f) (((struct slow_file *)(f))->real)

static int
slow_close(sqlite3_file *f)
{
	int rc = REAL(f)->pMethods->xClose(REAL(f));
	f->pMethods = NULL;
	return rc;
}

static int
slow_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	return REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}

static int
slow_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	return REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}

static int
slow_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int
slow_sync(sqlite3_file *f, int flags)
{
	atomic_fetch_add(&sync_count, 1);
	int ms = atomic_load(&((struct slow_file *)f)->vfs->delay_ms);
	if (ms > 0) {
		struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
		while (nanosleep(&ts, &ts) != 0)
			;
	}
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int
slow_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int
slow_lock(sqlite3_file *f, int lock)
{
	return REAL(f)->pMethods->xLock(REAL(f), lock);
}

static int
slow_unlock(sqlite3_file *f, int lock)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), lock);
}

static int
slow_check_reserved(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int
slow_file_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int
slow_sector_size(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int
slow_device_characteristics(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int
slow_shm_map(sqlite3_file *f, int page, int size, int extend, void volatile **out)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), page, size, extend, out);
}

static int
slow_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}

static void
slow_shm_barrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int
slow_shm_unmap(sqlite3_file *f, int delete_flag)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), delete_flag);
}

static int
slow_fetch(sqlite3_file *f, sqlite3_int64 off, int amt, void **out)
{
	return REAL(f)->pMethods->xFetch(REAL(f), off, amt, out);
}

static int
slow_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

/* One table per io_methods version, identical but for iVersion. */
#define SLOW_IO(v) { v, slow_close, slow_read, slow_write, slow_truncate, \
	slow_sync, slow_file_size, slow_lock, slow_unlock, slow_check_reserved, \
	slow_file_control, slow_sector_size, slow_device_characteristics, \
	slow_shm_map, slow_shm_lock, slow_shm_barrier, slow_shm_unmap, \
	slow_fetch, slow_unfetch }

static const sqlite3_io_methods slow_io[3] = { SLOW_IO(1), SLOW_IO(2), SLOW_IO(3) };

static int
slow_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
	struct slow_vfs *sv = (struct slow_vfs *)vfs;
	struct slow_file *sf = (struct slow_file *)f;
	sf->vfs = sv;
	sf->real = (sqlite3_file *)(sf + 1);
	int rc = sv->real->xOpen(sv->real, name, sf->real, flags, out_flags);
	/* SQLite calls xClose whenever pMethods is set, even after a failed
	 * open, so ours follows the real file's. */
	if (sf->real->pMethods) {
		int v = sf->real->pMethods->iVersion;
		if (v < 1)
			v = 1;
		if (v > 3)
			v = 3;
		f->pMethods = &slow_io[v - 1];
	} else {
		f->pMethods = NULL;
	}
	return rc;
}

#define REALVFS(v) (((struct slow_vfs *)(v))->real)

static int
slow_delete(sqlite3_vfs *v, const char *name, int sync_dir)
{
	return REALVFS(v)->xDelete(REALVFS(v), name, sync_dir);
}

static int
slow_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
	return REALVFS(v)->xAccess(REALVFS(v), name, flags, out);
}

static int
slow_full_pathname(sqlite3_vfs *v, const char *name, int n, char *out)
{
	return REALVFS(v)->xFullPathname(REALVFS(v), name, n, out);
}

static void *
slow_dl_open(sqlite3_vfs *v, const char *name)
{
	return REALVFS(v)->xDlOpen(REALVFS(v), name);
}

static void
slow_dl_error(sqlite3_vfs *v, int n, char *msg)
{
	REALVFS(v)->xDlError(REALVFS(v), n, msg);
}

static void (*slow_dl_sym(sqlite3_vfs *v, void *h, const char *sym))(void)
{
	return REALVFS(v)->xDlSym(REALVFS(v), h, sym);
}

static void
slow_dl_close(sqlite3_vfs *v, void *h)
{
	REALVFS(v)->xDlClose(REALVFS(v), h);
}

static int
slow_randomness(sqlite3_vfs *v, int n, char *out)
{
	return REALVFS(v)->xRandomness(REALVFS(v), n, out);
}

static int
slow_sleep(sqlite3_vfs *v, int us)
{
	return REALVFS(v)->xSleep(REALVFS(v), us);
}

static int
slow_current_time(sqlite3_vfs *v, double *out)
{
	return REALVFS(v)->xCurrentTime(REALVFS(v), out);
}

static int
slow_get_last_error(sqlite3_vfs *v, int n, char *out)
{
	return REALVFS(v)->xGetLastError(REALVFS(v), n, out);
}

static int
slow_current_time_int64(sqlite3_vfs *v, sqlite3_int64 *out)
{
	return REALVFS(v)->xCurrentTimeInt64(REALVFS(v), out);
}

static int
slow_set_system_call(sqlite3_vfs *v, const char *name, sqlite3_syscall_ptr p)
{
	return REALVFS(v)->xSetSystemCall(REALVFS(v), name, p);
}

static sqlite3_syscall_ptr
slow_get_system_call(sqlite3_vfs *v, const char *name)
{
	return REALVFS(v)->xGetSystemCall(REALVFS(v), name);
}

static const char *
slow_next_system_call(sqlite3_vfs *v, const char *name)
{
	return REALVFS(v)->xNextSystemCall(REALVFS(v), name);
}

int
slow_vfs_register(const char *name, int sync_delay_ms)
{
	if (!name || strlen(name) >= sizeof registered->name || sync_delay_ms < 0)
		return SQLITE_MISUSE;
	int rc = sqlite3_initialize();
	if (rc != SQLITE_OK)
		return rc;
	/* Tests register before starting threads, so the list needs no lock. */
	for (struct slow_vfs *sv = registered; sv; sv = sv->next) {
		if (strcmp(sv->name, name) == 0) {
			atomic_store(&sv->delay_ms, sync_delay_ms);
			return SQLITE_OK;
		}
	}
	if (sqlite3_vfs_find(name))
		return SQLITE_MISUSE;   /* someone else's VFS has that name */
	sqlite3_vfs *real = sqlite3_vfs_find(NULL);
	if (!real)
		return SQLITE_ERROR;
	struct slow_vfs *sv = calloc(1, sizeof *sv);
	if (!sv)
		return SQLITE_NOMEM;
	strcpy(sv->name, name);
	sv->real = real;
	atomic_init(&sv->delay_ms, sync_delay_ms);

	sqlite3_vfs *b = &sv->base;
	/* Offer no more than the real VFS does; the extra fields stay unused. */
	b->iVersion = real->iVersion < 3 ? real->iVersion : 3;
	b->szOsFile = (int)sizeof(struct slow_file) + real->szOsFile;
	b->mxPathname = real->mxPathname;
	b->zName = sv->name;
	b->xOpen = slow_open;
	b->xDelete = slow_delete;
	b->xAccess = slow_access;
	b->xFullPathname = slow_full_pathname;
	b->xDlOpen = real->xDlOpen ? slow_dl_open : NULL;
	b->xDlError = real->xDlError ? slow_dl_error : NULL;
	b->xDlSym = real->xDlSym ? slow_dl_sym : NULL;
	b->xDlClose = real->xDlClose ? slow_dl_close : NULL;
	b->xRandomness = slow_randomness;
	b->xSleep = slow_sleep;
	b->xCurrentTime = slow_current_time;
	b->xGetLastError = slow_get_last_error;
	if (b->iVersion >= 2)
		b->xCurrentTimeInt64 = slow_current_time_int64;
	if (b->iVersion >= 3) {
		b->xSetSystemCall = real->xSetSystemCall ? slow_set_system_call : NULL;
		b->xGetSystemCall = real->xGetSystemCall ? slow_get_system_call : NULL;
		b->xNextSystemCall = real->xNextSystemCall ? slow_next_system_call : NULL;
	}
	rc = sqlite3_vfs_register(b, 0);
	if (rc != SQLITE_OK) {
		free(sv);
		return rc;
	}
	sv->next = registered;
	registered = sv;
	return SQLITE_OK;
}

long
slow_vfs_sync_count(void)
{
	return atomic_load(&sync_count);
}
