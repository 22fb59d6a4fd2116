/*
 * export_drawings: the drawings of an export's sessions, one PNG file each
 * in the export's drawings/ folder, written from the same snapshot as the
 * answers and listed in SHA256SUMS like every other file.
 *
 * A drawing is drawings/<session>-<question>.png; when a person drew at the
 * same question again (after Back), the latest is that name and each
 * earlier one has its seq added (<session>-<question>-<seq>.png), so no
 * drawing is lost and the name analysts look for is the one that counts.
 * answers.csv and export.json name each answer's file (EXPORT_DRAWING_NAME_SQL
 * makes the name for both).
 *
 * Sealed exports seal each drawing as the other data files are
 * (<name>.png.sealed, keys/sealed.h). No drawings: no folder.
 */
#ifndef TELLUS_EXPORT_DRAWINGS_H
#define TELLUS_EXPORT_DRAWINGS_H

#include <sqlite3.h>
#include <stddef.h>

#include "base/error.h"
#include "export/export.h"
#include "export/export_file.h"

#define EXPORT_DRAWINGS_DIR "drawings"

/* The SQL expression naming answer a's drawing in the export, "" when it
 * has none (a is main.answers). */
#define EXPORT_DRAWING_NAME_SQL \
	"CASE WHEN EXISTS(SELECT 1 FROM main.answer_drawings d" \
	" WHERE d.session_id = a.session_id AND d.seq = a.seq)" \
	" THEN '" EXPORT_DRAWINGS_DIR "/' || a.session_id || '-' || a.question_id ||" \
	" CASE WHEN a.seq = (SELECT max(b.seq) FROM main.answers b" \
	"  WHERE b.session_id = a.session_id AND b.question_id = a.question_id)" \
	" THEN '' ELSE '-' || a.seq END || '.png' ELSE '' END"

typedef struct export_drawing {
	export_file f;
	char name[192];     /* its name in drawings/, as on the stick (.sealed too) */
} export_drawing;

typedef struct export_drawings {
	export_drawing *d;
	size_t n, cap;
	int dir_fd;         /* drawings/ beneath the partial folder, or -1 */
} export_drawings;

void export_drawings_init(export_drawings *x);
/* Writes every drawing of the export's sessions (EXPORT_ROWS_IDS) into
 * drawings/ beneath partial_fd, sealed to office when it is not NULL; each
 * file finished (fsynced, digest kept) and the folder fsynced. Must run in
 * the export's read transaction. 0, or -1 with err. */
int export_drawings_write(export_drawings *x, sqlite3 *db, const export_io *io, int partial_fd,
                          const office_key *office, tl_error *err);
/* SHA256SUMS's lines for them ("<hex>  drawings/<name>\n"), appended to
 * *sums (a malloc'd string, replaced). 0, or -1 when memory ran out. */
int export_drawings_sums(const export_drawings *x, char **sums);
/* Reads every drawing back and compares its hash. 0, or -1 with err. */
int export_drawings_check(const export_drawings *x, tl_error *err);
/* After a failure: closes what is open and removes the files and the
 * folder (best effort). Then frees. */
void export_drawings_abandon(export_drawings *x, int partial_fd);
/* Frees (the files stay). Accepts an initialised, empty x. */
void export_drawings_finish(export_drawings *x);

#endif
