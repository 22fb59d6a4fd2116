/*
 * report_file: the whole of `tellus report`, a database's report written
 * to a file.
 *
 * Promises: the database is opened read-only (a kiosk may be writing to
 * it: a busy database is waited for up to 2 s); the HTML is written to
 * OUT.partial and renamed into place only when all of it is written, so
 * OUT is either the old file or the whole new one.
 */
#include "report/report.h"
#include "base/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

static int
file_write(void *ud, const void *buf, size_t len)
{
	return fwrite(buf, 1, len, ud) == len ? 0 : -1;
}

/* Renders r into out_path through out_path.partial. 0, or -1 with err. */
static int
write_html(const report *r, const report_options *opt, const char *out_path, tl_error *err)
{
	char *tmp = tl_asprintf("%s.partial", out_path);
	FILE *f = tmp ? fopen(tmp, "wb") : NULL;
	if (!f) {
		int e = tmp ? errno : ENOMEM;
		if (e == ENOMEM)   /* fopen's buffer, or the name: not the disk */
			tl_err(err, TL_E_NOMEM, "out of memory writing %s", out_path);
		else
			tl_err_sys(err, TL_E_IO, e, "cannot write %s: %s", tmp, strerror(e));
		free(tmp);
		return -1;
	}
	tl_error html;
	int wr = report_render_html(r, opt, file_write, f, &html);
	int e = wr == 0 ? 0 : html.code == TL_E_NOMEM ? ENOMEM : html.sys;
	if (fclose(f) != 0 && wr == 0) {
		wr = -1;
		e = errno;
	}
	if (wr == 0 && rename(tmp, out_path) != 0) {
		wr = -1;
		e = errno;
	}
	if (wr != 0 && e == ENOMEM)
		tl_err(err, TL_E_NOMEM, "out of memory writing %s", out_path);
	else if (wr != 0)
		tl_err_sys(err, TL_E_IO, e, "cannot write %s: %s", out_path, strerror(e));
	if (wr != 0)
		remove(tmp);
	free(tmp);
	return wr;
}

int
report_write_file(const char *db_path, const char *out_path, const report_options *opt,
                  report_people *people, tl_error *err)
{
	sqlite3 *db = NULL;
	report *r = NULL;
	int rc = sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL);
	if (rc != SQLITE_OK) {
		tl_err_sys(err, TL_E_DB, rc, "cannot open the answers database %s: %s", db_path,
		           db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db, 2000);
	rc = report_collect(db, opt, &r, err);
	sqlite3_close(db);
	if (rc == 0)
		rc = write_html(r, opt, out_path, err);
	if (rc == 0 && people) {
		people->total = r->people;
		memcpy(people->ended, r->ended, sizeof people->ended);
	}
	report_destroy(r);
	return rc;
}
