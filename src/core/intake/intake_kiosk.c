/*
 * intake_kiosk: where a kiosk keeps the flows and cards it took in (beside
 * its database), and reading its cards at start and after a stick.
 */
#include "intake/intake.h"
#include "cards/cards.h"
#include "base/util.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

char *
intake_dir(const char *db_path, enum intake_kind kind)
{
	char *dir = tl_dir_of(db_path);
	char *out = dir ? tl_path_join(dir, kind == INTAKE_CARDS ? "cards" : "flows") : NULL;
	free(dir);
	return out;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
intake_list(const char *dir, char ***out, size_t *n, tl_error *err)
{
	*out = NULL;
	*n = 0;
	DIR *d = opendir(dir);
	if (!d) {
		if (errno == ENOENT)
			return 0;
		return tl_err_sys(err, TL_E_IO, errno, "cannot read the folder %s", dir);
	}
	char **list = NULL;
	size_t cap = 0;
	struct dirent *e;
	int rc = 0;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (e->d_name[0] == '.' || l < 6 || strcmp(e->d_name + l - 5, ".yaml") != 0)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			char **g = realloc(list, cap * sizeof *g);
			if (!g) {
				rc = tl_err_nomem(err);
				break;
			}
			list = g;
		}
		if (!(list[*n] = tl_path_join(dir, e->d_name))) {
			rc = tl_err_nomem(err);
			break;
		}
		(*n)++;
	}
	closedir(d);
	if (rc != 0) {
		for (size_t i = 0; i < *n; i++)
			free(list[i]);
		free(list);
		*n = 0;
		return rc;
	}
	if (*n)
		qsort(list, *n, sizeof *list, by_name);
	*out = list;
	return 0;
}

/* Read and checked on a set of its own first, so a file whose picture is
 * missing adds nothing, and only its own problems are said (a check of the
 * whole set would say the earlier files' again); then read into s, its
 * problems already said once. */
static bool
take(card_set *s, const char *path, const char *data_dir, diag_list *diags)
{
	card_set *t = cards_create();
	if (!t) {
		diag_add(diags, DIAG_ERROR, path, 0, 0, "out of memory while reading the cards");
		return false;
	}
	bool ok = cards_load(t, path, diags) == 0 && cards_check(t, data_dir, diags) == 0;
	cards_destroy(t);
	diag_list again = { 0 };
	ok = ok && cards_load(s, path, &again) == 0;
	diag_list_finish(&again);
	return ok;
}

int
intake_load_cards(card_set *s, const char *file, const char *db_path, const char *data_dir,
                  diag_list *diags)
{
	int taken = 0;
	if (file && *file)
		taken += take(s, file, data_dir, diags);
	char *dir = db_path ? intake_dir(db_path, INTAKE_CARDS) : NULL;
	char **list = NULL;
	size_t n = 0;
	tl_error e;
	if (dir && intake_list(dir, &list, &n, &e) != 0)
		diag_add(diags, DIAG_ERROR, dir, 0, 0, "%s", e.msg);
	for (size_t i = 0; i < n; i++) {
		taken += take(s, list[i], data_dir, diags);
		free(list[i]);
	}
	free(list);
	free(dir);
	return taken;
}
