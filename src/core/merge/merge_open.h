/*
 * merge_open: `tellus open`: a sealed export's plain files, for people who
 * want the CSVs. The export is checked exactly as merge checks it (its
 * kiosk's signature, then SHA256SUMS), then every data file is opened with
 * the office key (a plain one copied) into a new folder, with a fresh
 * SHA256SUMS of the plain files; the drawings likewise into its drawings/
 * folder (made new), listed there as drawings/<name>.png.
 */
#ifndef TELLUS_MERGE_OPEN_H
#define TELLUS_MERGE_OPEN_H

#include "base/error.h"
#include "merge/merge_trust.h"

/* Writes the plain files of export dir into to_dir (made if needed, 0700;
 * files 0600, never overwriting one). *signer says who signed it. 0, or
 * -1 with err; a failure removes the files it wrote. */
int merge_open_export(const char *dir, const merge_keys *keys, const char *to_dir,
                      merge_signer *signer, tl_error *err);

#endif
