/*
 * cli_keys: `tellus keys new --out DIR`, the office's key pair for sealed
 * exports (keys/office_key.h), and `tellus keys show [--db FILE]`, this
 * kiosk's signing key (made if it has none yet).
 *
 * Promises: never overwrites a key; says plainly which file goes where.
 */
#include "cli.h"
#include "keys/kiosk_key.h"
#include "keys/office_key.h"
#include "base/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void
cli_keys_usage(FILE *out)
{
	fputs("Usage: tellus keys new --out DIR\n"
	      "       tellus keys show [--db FILE]\n"
	      "new: makes the office's key pair for sealed exports: DIR/office.pub, to copy\n"
	      "  onto every kiosk (setting office_key: PATH), and DIR/office.key, the secret\n"
	      "  half that alone opens sealed exports (tellus merge --key, tellus open --key).\n"
	      "  Keep office.key in the office, never on a kiosk or a stick.\n"
	      "show: this kiosk's signing key (beside its database), as merge will see it.\n"
	      "  --db FILE  the database (default $XDG_DATA_HOME/tellus/tellus.db)\n", out);
}

static int
keys_new(int argc, char **argv, tl_error *err)
{
	const char *out = NULL;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
			out = argv[++i];
		else
			return tl_err(err, TL_E_USAGE, "unknown option '%s'", argv[i]);
	}
	if (!out)
		return tl_err(err, TL_E_USAGE, "say where to put the keys with --out DIR");
	if (mkdir(out, 0700) != 0 && errno != EEXIST)
		return tl_err_sys(err, TL_E_IO, errno, "could not make %s (%s)", out, strerror(errno));
	office_key k;
	if (office_key_write_new(out, &k, err) != 0)
		return -1;
	char id[OFFICE_ID_TEXT];
	office_key_id(&k, id);
	office_key_wipe(&k);
	printf("Office key %s made.\n"
	       "  %s/office.pub: copy it onto each kiosk and set office_key: to its path\n"
	       "  %s/office.key: the secret half (readable by you only); keep it here, never on\n"
	       "  a kiosk or a stick. Without it nobody can open the sealed exports, you included.\n",
	       id, out, out);
	return 0;
}

static int
keys_show(int argc, char **argv, tl_error *err)
{
	const char *db = NULL;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			db = argv[++i];
		else
			return tl_err(err, TL_E_USAGE, "unknown option '%s'", argv[i]);
	}
	char *db_alloc = NULL;
	if (!db && !(db = db_alloc = tl_default_db_path()))
		return tl_err_nomem(err);
	minisign_key k;
	bool made = false;
	int rc = kiosk_key_load(db, true, &k, &made, err);
	if (rc == 0) {
		char id[MINISIGN_ID_TEXT], line[MINISIGN_PK_TEXT];
		minisign_key_id(&k.pub, id);
		minisign_pub_text(&k.pub, line);
		minisign_key_wipe(&k);
		char *path = kiosk_key_path(db);
		printf("%sKiosk key id %s\n%s\n(secret half: %s)\n", made ? "New key made. " : "", id,
		       line, path ? path : "");
		free(path);
	}
	free(db_alloc);
	return rc;
}

int
cli_keys(int argc, char **argv, tl_error *err)
{
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		cli_keys_usage(stdout);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "new") == 0)
		return keys_new(argc, argv, err);
	if (argc >= 2 && strcmp(argv[1], "show") == 0)
		return keys_show(argc, argv, err);
	return tl_err(err, TL_E_USAGE, "say what to do: tellus keys new --out DIR, or tellus keys show");
}
