/*
 * export: writes a kiosk's sessions to a folder (a USB stick) as a complete,
 * verifiable export, and never pretends.
 *
 * An export is TELLUS/<kiosk-id>/<UTC timestamp>/ holding sessions.csv,
 * answers.csv, export.json, report.html, SHA256SUMS and, written last,
 * kiosk.pub and SHA256SUMS.minisig (the kiosk's signature of SHA256SUMS,
 * export_sign.h). With an office key (office_key_path) every data file is
 * sealed to it (keys/sealed.h) and named NAME.sealed instead: every file of
 * export_file_names, so a new file that holds answers is sealed by being
 * listed there. It is
 * written into a temporary folder beside its final place, every file and the
 * folder are fsynced, every file is read back and its SHA-256 checked, and
 * only then is the folder renamed into place and the sessions marked
 * exported in the database. Before and after writing, the target must still
 * be the same mounted device it was at the start. Any failure leaves the
 * database untouched (nothing marked), no folder without the temporary
 * name, and a plain-words message; the next export goes through.
 *
 * The columns and keys of the files: export/export_columns.h (one table,
 * also for readers of export.json).
 */
#ifndef TELLUS_EXPORT_H
#define TELLUS_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include "base/error.h"
#include "base/util.h"

/*
 * The I/O seam: every file-system call an export makes goes through here,
 * so tests can fail the Nth write, fsync, rename or read with ENOSPC, EIO or
 * ENOTCONN. Each returns like the POSIX call (-1 and errno on failure).
 * export_io_posix() is the real one.
 *
 * Handles, not paths: the export opens the stick's folder once (open_root)
 * and then works only by single names beneath a handle it holds, so a path
 * cannot be re-resolved under it. openat never follows a symbolic link and
 * never leaves the handle's mount (the real one: openat2 with
 * RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV, else O_NOFOLLOW);
 * a name holding '/' is refused (EINVAL). fstatat never follows a link;
 * name "" is the handle itself. stat is only for the stick's own path, to
 * see that it still leads to the handle's device.
 */
typedef struct export_io {
	int (*open_root)(void *ud, const char *path);
	int (*mkdirat)(void *ud, int dirfd, const char *name, mode_t mode);
	int (*openat)(void *ud, int dirfd, const char *name, int flags, mode_t mode);
	ssize_t (*write)(void *ud, int fd, const void *buf, size_t len);
	ssize_t (*read)(void *ud, int fd, void *buf, size_t len);
	int (*fsync)(void *ud, int fd);
	int (*close)(void *ud, int fd);
	int (*renameat)(void *ud, int dirfd, const char *from, const char *to);
	int (*fstatat)(void *ud, int dirfd, const char *name, struct stat *st);
	int (*stat)(void *ud, const char *path, struct stat *st);
	void *ud;
} export_io;
const export_io *export_io_posix(void);

typedef struct export_progress {
	/* fraction 0..1, and a few plain words ("Writing answers"); called on
	 * the exporting thread. May be NULL. */
	void (*fn)(void *ud, double fraction, const char *stage);
	void *ud;
} export_progress;

typedef struct export_options {
	const char *db_path;     /* the kiosk's (or a merged) database */
	const char *to_dir;      /* the stick's mount point, or any folder */
	bool all;                /* false: only sessions not yet exported */
	bool mark_exported;      /* true for a kiosk's own export */
	const export_io *io;     /* NULL: export_io_posix() */
	export_progress progress;
	const tl_clock *clock;   /* NULL: the system clock (names the folder) */
	const char *data_dir;    /* for symbols embedded in report.html; NULL: tl_data_dir() */
	const char *office_key_path; /* office.pub: seal every data file; NULL: plain */
} export_options;

/* Plain data in caller storage: the staff screen copies it between threads
 * by value, so the path is a fixed buffer (PATH_MAX: a longer one could not
 * have been made). */
typedef struct export_result {
	char path[4096];         /* the export's final folder ("" when nothing_new) */
	int64_t sessions;
	int64_t answers;         /* answer records (a changed answer is two) */
	bool nothing_new;        /* no session to export: no folder was written */
	bool sealed;             /* the data files are sealed to the office key */
} export_result;

/* The data files of an export, in the order they are written; SHA256SUMS
 * lists exactly these (each as NAME.sealed in a sealed export). Each holds
 * answers, so each is sealed when there is an office key. */
#define EXPORT_N_FILES 4
extern const char *const export_file_names[EXPORT_N_FILES];
#define EXPORT_SUMS_NAME "SHA256SUMS"

/* The plain-words message for an errno met while writing to the stick
 * ("The USB stick is full. ..."). Static storage. */
const char *export_errno_message(int e);

/* 0 on success with *res filled; -1 with a plain-words message in err
 * ("The USB stick is full. ...", "The USB stick was removed. ..."): code
 * TL_E_IO (sys: the errno) for the stick, TL_E_DB for the database,
 * TL_E_NOMEM, TL_E_INVALID for options that make no export. */
int export_run(const export_options *opt, export_result *res, tl_error *err);

#endif
