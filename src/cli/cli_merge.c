/*
 * cli_merge: `tellus merge --into MASTER.db [--key office.key] [--trust FILE]
 * EXPORT_DIR...`, for a forum lead bringing several kiosks together on a
 * laptop.
 *
 * Promises: each export's signature and SHA256SUMS are checked before
 * anything is added; the first export of a kiosk prints the key it is now
 * known by; one line per export says how many sessions were new, already
 * there, or that it was refused and why; a total line at the end. Exit 0
 * when none was refused, 1 when any was (or the database could not be
 * opened), 2 for wrong usage.
 */
#include "cli.h"
#include "merge/merge.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

void
cli_merge_usage(FILE *out)
{
	fputs("Usage: tellus merge --into MASTER.db [--key office.key] [--trust FILE]\n"
	      "                    [--max-file-mb N] EXPORT_DIR...\n"
	      "Checks each export (a TELLUS/<kiosk>/<time> folder): its kiosk's signature\n"
	      "(SHA256SUMS.minisig, kiosk.pub) and its SHA256SUMS, then adds its sessions\n"
	      "to MASTER.db (made if needed). Merging the same export twice changes nothing.\n"
	      "MASTER.db remembers each kiosk's key: an export of a kiosk signed by another\n"
	      "key is refused. Only the export's own files are opened, never through a\n"
	      "link, only plain files, and none bigger than --max-file-mb (default 512;\n"
	      "export.json at most 512).\n"
	      "  --key FILE    the office's secret key (office.key), to open sealed exports\n"
	      "  --trust FILE  merge only exports signed by the kiosk keys in FILE\n"
	      "                (kiosk.pub files one after another)\n", out);
}

int
cli_merge(int argc, char **argv, tl_error *err)
{
	const char *into = NULL, *key = NULL, *trust = NULL;
	merge_options mo = { 0 };
	const char **dirs = calloc((size_t)argc, sizeof *dirs);
	size_t n = 0;
	if (!dirs)
		return tl_err_nomem(err);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--into") == 0 && i + 1 < argc) {
			into = argv[++i];
		} else if (strcmp(argv[i], "--key") == 0 && i + 1 < argc) {
			key = argv[++i];
		} else if (strcmp(argv[i], "--trust") == 0 && i + 1 < argc) {
			trust = argv[++i];
		} else if (strcmp(argv[i], "--max-file-mb") == 0 && i + 1 < argc) {
			char *end;
			long long mb = strtoll(argv[++i], &end, 10);
			if (*end || mb < 1 || mb > 1024 * 1024) {
				free(dirs);
				return tl_err(err, TL_E_USAGE, "--max-file-mb wants a whole number of "
				              "megabytes, 1 or more");
			}
			mo.max_file_bytes = (int64_t)mb << 20;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_merge_usage(stdout);
			free(dirs);
			return 0;
		} else if (argv[i][0] == '-') {
			free(dirs);
			return tl_err(err, TL_E_USAGE, "unknown option '%s'", argv[i]);
		} else
			dirs[n++] = argv[i];
	}
	if (!into || n == 0) {
		free(dirs);
		return tl_err(err, TL_E_USAGE, "%s", into ? "say which exports to merge"
		                                     : "say which database to merge into with --into");
	}
	merge_keys keys;
	if (merge_keys_load(&keys, key, trust, err) != 0) {
		merge_keys_finish(&keys);
		free(dirs);
		return -1;
	}
	store *st = NULL;
	if (store_open(into, NULL, &st, err) != 0) {
		merge_keys_finish(&keys);
		free(dirs);
		return -1;
	}
	merge_result *res = calloc(n, sizeof *res);
	if (!res) {
		store_close(st);
		merge_keys_finish(&keys);
		free(dirs);
		return tl_err_nomem(err);
	}
	mo.keys = &keys;
	int rc = merge_many_opt(st, dirs, n, &mo, res, err);
	long long new_s = 0, present = 0, answers = 0;
	size_t refused = 0;
	for (size_t i = 0; i < n; i++) {
		if (res[i].refused) {
			printf("%s: refused, nothing added: %s\n", dirs[i], res[i].why.msg);
			refused++;
			continue;
		}
		if (res[i].key_new)
			printf("%s: first export of kiosk %s: its key %s (key id %s) is remembered\n",
			       dirs[i], res[i].signer.kiosk_id, res[i].signer.key, res[i].signer.key_id);
		printf("%s: %lld new, %lld already there (%lld answers added)\n", dirs[i],
		       (long long)res[i].sessions_new, (long long)res[i].sessions_present,
		       (long long)res[i].answers_new);
		new_s += res[i].sessions_new;
		present += res[i].sessions_present;
		answers += res[i].answers_new;
	}
	printf("Total: %lld sessions new, %lld already there, %zu %s refused; %lld answers added to %s\n",
	       new_s, present, refused, refused == 1 ? "export" : "exports", answers, into);
	free(res);
	store_close(st);
	merge_keys_finish(&keys);
	free(dirs);
	if (rc != 0 && err)
		err->msg[0] = '\0';   /* each refusal is said in its line above */
	return rc;
}
