/*
 * fault_vfs: see fault_vfs.h. A wrapper of the default VFS (as slow_vfs.c
 * is): our header, then the real file, in the block SQLite allocates.
 *
 * For the power cut each open file keeps an undo list: before every write
 * the bytes it will cover (as far as the file reaches) are read and kept,
 * with the file's size; a sync empties the list. The cut replays the lists
 * backwards through the real file, truncates each file to its size at its
 * last sync, and ends the process without closing anything, so nothing
 * that was not synced survives.
 */
#include "fault_vfs.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>

struct undo {
	struct undo *prev;
	sqlite3_int64 off;
	int n;              /* bytes of old data kept (may be 0: all past the end) */
	unsigned char data[];
};

struct fault_file {
	sqlite3_file base;
	sqlite3_file *real;          /* just after this struct */
	struct fault_file *next;     /* the open files, under mu */
	struct fault_file **pprev;
	sqlite3_int64 synced_size;   /* -1: not known yet */
	struct undo *undo;           /* newest first, under mu */
};

static sqlite3_vfs fvfs;
static sqlite3_vfs *real_vfs;
static char fvfs_name[64];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct fault_file *open_files;
static atomic_int fail_writes_left, fail_writes_rc, fail_syncs_left, fail_syncs_rc;
static atomic_long failed, syncs, crash_at;
static int crash_code;
static atomic_int no_fsync;

#define REAL(f) (((struct fault_file *)(f))->real)

static bool
take(atomic_int *left)
{
	int n = atomic_load(left);
	while (n > 0 && !atomic_compare_exchange_weak(left, &n, n - 1))
		;
	return n > 0;
}

static void
undo_free(struct fault_file *f)
{
	while (f->undo) {
		struct undo *u = f->undo;
		f->undo = u->prev;
		free(u);
	}
}

static int
f_close(sqlite3_file *f)
{
	struct fault_file *ff = (struct fault_file *)f;
	pthread_mutex_lock(&mu);
	if (ff->pprev) {
		*ff->pprev = ff->next;
		if (ff->next)
			ff->next->pprev = ff->pprev;
		ff->pprev = NULL;
	}
	undo_free(ff);
	pthread_mutex_unlock(&mu);
	int rc = REAL(f)->pMethods->xClose(REAL(f));
	f->pMethods = NULL;
	return rc;
}

static int
f_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	return REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}

static sqlite3_int64
real_size(sqlite3_file *f)
{
	sqlite3_int64 sz = 0;
	if (REAL(f)->pMethods->xFileSize(REAL(f), &sz) != SQLITE_OK)
		return 0;
	return sz;
}

/* Keeps what [off, off+n) holds now, before a write or a truncate. */
static void
keep_old(struct fault_file *ff, sqlite3_int64 off, sqlite3_int64 n)
{
	sqlite3_int64 size = real_size(&ff->base);
	if (ff->synced_size < 0)
		ff->synced_size = size;
	sqlite3_int64 have = off < size ? (off + n <= size ? n : size - off) : 0;
	struct undo *u = malloc(sizeof *u + (size_t)have);
	if (!u)
		abort();   /* a test that cannot keep its undo cannot prove anything */
	u->off = off;
	u->n = (int)have;
	if (have > 0 && ff->real->pMethods->xRead(ff->real, u->data, (int)have, off) != SQLITE_OK)
		u->n = 0;
	u->prev = ff->undo;
	ff->undo = u;
}

static int
f_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	if (take(&fail_writes_left)) {
		atomic_fetch_add(&failed, 1);
		return atomic_load(&fail_writes_rc);
	}
	pthread_mutex_lock(&mu);
	keep_old((struct fault_file *)f, off, n);
	pthread_mutex_unlock(&mu);
	return REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}

static int
f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	pthread_mutex_lock(&mu);
	sqlite3_int64 now = real_size(f);
	if (now > size)
		keep_old((struct fault_file *)f, size, now - size);
	pthread_mutex_unlock(&mu);
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

/* The power goes: every file back to its last sync, then the end. */
static void
power_cut(void)
{
	pthread_mutex_lock(&mu);
	for (struct fault_file *ff = open_files; ff; ff = ff->next) {
		for (struct undo *u = ff->undo; u; u = u->prev)
			if (u->n > 0)
				ff->real->pMethods->xWrite(ff->real, u->data, u->n, u->off);
		if (ff->synced_size >= 0)
			ff->real->pMethods->xTruncate(ff->real, ff->synced_size);
	}
	_exit(crash_code);
}

static int
f_sync(sqlite3_file *f, int flags)
{
	long n = atomic_fetch_add(&syncs, 1) + 1;
	long at = atomic_load(&crash_at);
	if (at > 0 && n >= at)
		power_cut();
	if (take(&fail_syncs_left)) {
		atomic_fetch_add(&failed, 1);
		return atomic_load(&fail_syncs_rc);
	}
	int rc = atomic_load(&no_fsync) ? SQLITE_OK : REAL(f)->pMethods->xSync(REAL(f), flags);
	if (rc == SQLITE_OK) {
		struct fault_file *ff = (struct fault_file *)f;
		pthread_mutex_lock(&mu);
		undo_free(ff);
		ff->synced_size = real_size(f);
		pthread_mutex_unlock(&mu);
	}
	return rc;
}

static int f_file_size(sqlite3_file *f, sqlite3_int64 *s) { return REAL(f)->pMethods->xFileSize(REAL(f), s); }
static int f_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int f_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int f_check_reserved(sqlite3_file *f, int *o) { return REAL(f)->pMethods->xCheckReservedLock(REAL(f), o); }
static int f_file_control(sqlite3_file *f, int op, void *a) { return REAL(f)->pMethods->xFileControl(REAL(f), op, a); }
static int f_sector_size(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int f_device_characteristics(sqlite3_file *f) { return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }
static int f_shm_map(sqlite3_file *f, int p, int s, int e, void volatile **o) { return REAL(f)->pMethods->xShmMap(REAL(f), p, s, e, o); }
static int f_shm_lock(sqlite3_file *f, int o, int n, int fl) { return REAL(f)->pMethods->xShmLock(REAL(f), o, n, fl); }
static void f_shm_barrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int f_shm_unmap(sqlite3_file *f, int d) { return REAL(f)->pMethods->xShmUnmap(REAL(f), d); }
/* No memory-mapped reads or writes: every write must pass f_write. */
static int f_fetch(sqlite3_file *f, sqlite3_int64 o, int a, void **p) { (void)f; (void)o; (void)a; *p = NULL; return SQLITE_OK; }
static int f_unfetch(sqlite3_file *f, sqlite3_int64 o, void *p) { (void)f; (void)o; (void)p; return SQLITE_OK; }

#define FAULT_IO(v) { v, f_close, f_read, f_write, f_truncate, f_sync, f_file_size, \
	f_lock, f_unlock, f_check_reserved, f_file_control, f_sector_size, \
	f_device_characteristics, f_shm_map, f_shm_lock, f_shm_barrier, f_shm_unmap, \
	f_fetch, f_unfetch }
static const sqlite3_io_methods fault_io[3] = { FAULT_IO(1), FAULT_IO(2), FAULT_IO(3) };

static int
f_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
	(void)vfs;
	struct fault_file *ff = (struct fault_file *)f;
	memset(ff, 0, sizeof *ff);
	ff->real = (sqlite3_file *)(ff + 1);
	ff->synced_size = -1;
	int rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out_flags);
	if (!ff->real->pMethods) {
		f->pMethods = NULL;
		return rc;
	}
	int v = ff->real->pMethods->iVersion;
	f->pMethods = &fault_io[(v < 1 ? 1 : v > 3 ? 3 : v) - 1];
	if (rc == SQLITE_OK) {
		ff->synced_size = real_size(f);
		pthread_mutex_lock(&mu);
		ff->next = open_files;
		if (open_files)
			open_files->pprev = &ff->next;
		open_files = ff;
		ff->pprev = &open_files;
		pthread_mutex_unlock(&mu);
	}
	return rc;
}

static int f_delete(sqlite3_vfs *v, const char *n, int s) { (void)v; return real_vfs->xDelete(real_vfs, n, s); }
static int f_access(sqlite3_vfs *v, const char *n, int fl, int *o) { (void)v; return real_vfs->xAccess(real_vfs, n, fl, o); }
static int f_full_pathname(sqlite3_vfs *v, const char *n, int k, char *o) { (void)v; return real_vfs->xFullPathname(real_vfs, n, k, o); }
static int f_randomness(sqlite3_vfs *v, int n, char *o) { (void)v; return real_vfs->xRandomness(real_vfs, n, o); }
static int f_sleep(sqlite3_vfs *v, int us) { (void)v; return real_vfs->xSleep(real_vfs, us); }
static int f_current_time(sqlite3_vfs *v, double *o) { (void)v; return real_vfs->xCurrentTime(real_vfs, o); }
static int f_get_last_error(sqlite3_vfs *v, int n, char *o) { (void)v; return real_vfs->xGetLastError(real_vfs, n, o); }
static int f_current_time_int64(sqlite3_vfs *v, sqlite3_int64 *o) { (void)v; return real_vfs->xCurrentTimeInt64(real_vfs, o); }

int
fault_vfs_register(const char *name)
{
	if (!name || strlen(name) >= sizeof fvfs_name)
		return SQLITE_MISUSE;
	int rc = sqlite3_initialize();
	if (rc != SQLITE_OK)
		return rc;
	if (real_vfs)
		return strcmp(name, fvfs_name) == 0 ? SQLITE_OK : SQLITE_MISUSE;
	real_vfs = sqlite3_vfs_find(NULL);
	if (!real_vfs)
		return SQLITE_ERROR;
	strcpy(fvfs_name, name);
	fvfs.iVersion = 2;
	fvfs.szOsFile = (int)sizeof(struct fault_file) + real_vfs->szOsFile;
	fvfs.mxPathname = real_vfs->mxPathname;
	fvfs.zName = fvfs_name;
	fvfs.xOpen = f_open;
	fvfs.xDelete = f_delete;
	fvfs.xAccess = f_access;
	fvfs.xFullPathname = f_full_pathname;
	fvfs.xRandomness = f_randomness;
	fvfs.xSleep = f_sleep;
	fvfs.xCurrentTime = f_current_time;
	fvfs.xGetLastError = f_get_last_error;
	fvfs.xCurrentTimeInt64 = f_current_time_int64;
	return sqlite3_vfs_register(&fvfs, 0);
}

void
fault_vfs_fail_writes(int n, int rc)
{
	atomic_store(&fail_writes_rc, rc);
	atomic_store(&fail_writes_left, n);
}

void
fault_vfs_fail_syncs(int n, int rc)
{
	atomic_store(&fail_syncs_rc, rc);
	atomic_store(&fail_syncs_left, n);
}

long fault_vfs_failed(void) { return atomic_load(&failed); }
int fault_vfs_failing(void) { return atomic_load(&fail_writes_left) + atomic_load(&fail_syncs_left); }
long fault_vfs_syncs(void) { return atomic_load(&syncs); }

void
fault_vfs_crash_at_sync(long n, int code)
{
	crash_code = code;
	atomic_store(&crash_at, n > 0 ? atomic_load(&syncs) + n : 0);
}

void fault_vfs_skip_fsync(bool skip) { atomic_store(&no_fsync, skip); }
