/*
 * fault_vfs: an SQLite VFS for tests that behaves like the default one
 * until told to fail, in the two ways a kiosk's disk does:
 *
 * - Refusing: the next n xWrite (or xSync) calls return a chosen code
 *   (SQLITE_FULL for a full disk, SQLITE_IOERR_WRITE / SQLITE_IOERR_FSYNC
 *   for a failing one, SQLITE_READONLY...), then it recovers by itself.
 * - Losing power: every file opened through it keeps what it would lose if
 *   the power went now (the old bytes under each write since its last
 *   xSync, and its size then). fault_vfs_crash_at_sync(n) makes the n-th
 *   xSync from now, instead of syncing, put every file back as it was at
 *   its last sync and end the process at once (_exit), as a power cut
 *   would. Files the process created keep existing (their directory entry
 *   is not modelled); a -shm file is rebuilt by SQLite from the WAL anyway.
 */
#ifndef TELLUS_FAULT_VFS_H
#define TELLUS_FAULT_VFS_H

#include <stdbool.h>

/* Registers (not as the default) a VFS called name wrapping the default.
 * 0, or an SQLite error code. Registering the same name again is fine. */
int fault_vfs_register(const char *name);
/* The next n writes (xWrite), or syncs (xSync), return rc; 0 stops that. */
void fault_vfs_fail_writes(int n, int rc);
void fault_vfs_fail_syncs(int n, int rc);
/* Failures handed out so far (writes and syncs), and calls left to fail. */
long fault_vfs_failed(void);
int fault_vfs_failing(void);
/* xSync calls so far. */
long fault_vfs_syncs(void);
/* For tests of the queue rather than the disk: xSync succeeds without
 * asking the disk (the power-cut bookkeeping still counts it a sync). */
void fault_vfs_skip_fsync(bool skip);
/* The n-th xSync from now (1: the next) is a power cut: every file goes
 * back to its last synced state and the process ends with _exit(code). */
void fault_vfs_crash_at_sync(long n, int code);

#endif
