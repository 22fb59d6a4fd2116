/*
 * export_drawings: see export_drawings.h. The folder is made beneath the
 * partial folder's handle and every file beneath the folder's own handle
 * by a single name, as export.c does for the rest of the export.
 */
#include "export/export_drawings.h"
#include "export/export_io.h"
#include "export/export_rows.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char drawings_sql[] =
	"SELECT substr(" EXPORT_DRAWING_NAME_SQL ", length('" EXPORT_DRAWINGS_DIR "/') + 1), p.png"
	" FROM " EXPORT_ROWS_IDS " e JOIN main.answers a ON a.session_id = e.id"
	" JOIN main.answer_drawings p ON p.session_id = a.session_id AND p.seq = a.seq"
	" ORDER BY e.n, a.seq";

void
export_drawings_init(export_drawings *x)
{
	*x = (export_drawings){ .dir_fd = -1 };
}

static int
db_fail(sqlite3 *db, tl_error *err)
{
	return tl_err_sys(err, TL_E_DB, sqlite3_errcode(db),
	                  "could not read the drawings from the answers database: %s",
	                  sqlite3_errmsg(db));
}

/* drawings/ beneath the partial folder, made and opened once. */
static int
open_dir(export_drawings *x, const export_io *io, int partial_fd, tl_error *err)
{
	if (x->dir_fd >= 0)
		return 0;
	if (io->mkdirat(io->ud, partial_fd, EXPORT_DRAWINGS_DIR, 0755) != 0)
		return export_io_fail(err, errno);
	x->dir_fd = io->openat(io->ud, partial_fd, EXPORT_DRAWINGS_DIR,
	                       O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0);
	if (x->dir_fd < 0)
		return export_io_fail(err, errno);
	return 0;
}

static export_drawing *
add(export_drawings *x)
{
	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 8;
		export_drawing *p = realloc(x->d, cap * sizeof *p);
		if (!p)
			return NULL;
		x->d = p;
		x->cap = cap;
	}
	export_drawing *d = &x->d[x->n++];
	memset(d, 0, sizeof *d);
	export_file_init(&d->f);
	return d;
}

int
export_drawings_write(export_drawings *x, sqlite3 *db, const export_io *io, int partial_fd,
                      const office_key *office, tl_error *err)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, drawings_sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err);
	int rc = 0, step;
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		const void *png = sqlite3_column_blob(st, 1);
		size_t len = (size_t)sqlite3_column_bytes(st, 1);
		if (!name || !*name || strlen(name) + 8 > sizeof x->d[0].name) {
			rc = tl_err(err, TL_E_FORMAT, "a drawing's name is too long for the export");
			break;
		}
		rc = open_dir(x, io, partial_fd, err);
		export_drawing *d = rc == 0 ? add(x) : NULL;
		if (rc == 0 && !d)
			rc = export_io_fail(err, ENOMEM);
		if (rc != 0)
			break;
		snprintf(d->name, sizeof d->name, "%s", name);
		/* the file keeps a pointer to its name: d->name lives as long */
		rc = export_file_open_sealed(&d->f, io, x->dir_fd, d->name, office, err);
		if (rc == 0 && d->f.name != d->name)
			snprintf(d->name, sizeof d->name, "%s", d->f.name);   /* name.sealed */
		d->f.name = d->name;
		if (rc == 0) {
			export_file_put(&d->f, png, len);
			rc = export_file_finish(&d->f, err);
		}
	}
	/* the array may have moved: each file's name is its own d->name */
	for (size_t i = 0; i < x->n; i++)
		x->d[i].f.name = x->d[i].name;
	if (rc == 0 && step != SQLITE_DONE)
		rc = db_fail(db, err);
	sqlite3_finalize(st);
	if (rc == 0 && x->dir_fd >= 0)
		rc = export_file_fsync_dir(io, x->dir_fd, err);
	return rc;
}

int
export_drawings_sums(const export_drawings *x, char **sums)
{
	size_t have = *sums ? strlen(*sums) : 0, more = 0;
	for (size_t i = 0; i < x->n; i++)
		more += TL_SHA256_HEX + 2 + sizeof EXPORT_DRAWINGS_DIR + strlen(x->d[i].name) + 1;
	char *s = realloc(*sums, have + more + 1);
	if (!s)
		return -1;
	char *p = s + have;
	for (size_t i = 0; i < x->n; i++) {
		char hex[TL_SHA256_HEX];
		tl_hex(x->d[i].f.digest, TL_SHA256_BYTES, hex, sizeof hex);
		p += sprintf(p, "%s  " EXPORT_DRAWINGS_DIR "/%s\n", hex, x->d[i].name);
	}
	*p = '\0';
	*sums = s;
	return 0;
}

int
export_drawings_check(const export_drawings *x, tl_error *err)
{
	for (size_t i = 0; i < x->n; i++)
		if (export_file_check(&x->d[i].f, x->dir_fd, err) != 0)
			return -1;
	return 0;
}

void
export_drawings_abandon(export_drawings *x, int partial_fd)
{
	for (size_t i = 0; i < x->n; i++) {
		export_file_abandon(&x->d[i].f);
		if (x->dir_fd >= 0)
			unlinkat(x->dir_fd, x->d[i].name, 0);
	}
	if (x->dir_fd >= 0 && partial_fd >= 0)
		unlinkat(partial_fd, EXPORT_DRAWINGS_DIR, AT_REMOVEDIR);
	export_drawings_finish(x);
}

void
export_drawings_finish(export_drawings *x)
{
	if (x->dir_fd >= 0)
		close(x->dir_fd);
	free(x->d);
	export_drawings_init(x);
}
