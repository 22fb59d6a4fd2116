/*
 * slow_vfs: an SQLite VFS for tests and benchmarks that behaves like the
 * default one except that every xSync sleeps, as a slow SD card or USB stick
 * would, and is counted.
 */
#ifndef TELLUS_SLOW_VFS_H
#define TELLUS_SLOW_VFS_H

/* Registers (not as the default) a VFS called name that wraps the default
 * VFS and sleeps sync_delay_ms in every xSync. Registering a name again
 * changes its delay. 0, or an SQLite error code. The VFS lives until the
 * process ends. */
int slow_vfs_register(const char *name, int sync_delay_ms);
/* xSync calls through any slow VFS since the process began. */
long slow_vfs_sync_count(void);

#endif
