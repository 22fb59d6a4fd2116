/*
 * intake_copy: "Load from the stick" (intake.h). The stick's folder is
 * opened once and TELLUS/flows and TELLUS/cards are opened beneath that
 * handle by single names, never through a link (the export's openat:
 * openat2 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV); each
 * file is opened the same way, must be a plain file of at most
 * INTAKE_FILE_MAX bytes, and is read whole once: the bytes checked are the
 * bytes copied. A good file goes into the kiosk's own folder under a
 * temporary name, is fsynced, renamed over its place and the folder
 * fsynced, so the kiosk's copy is always either the old file or the new
 * one. A broken file is never copied, so it can never replace a working
 * one; a flow that changed but kept its version number is refused (a
 * session names its flow by id and version, so two different flows must
 * not share both), and so is one older than the kiosk's.
 */
#include "intake/intake.h"
#include "export/export.h"
#include "base/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void
intake_report_finish(intake_report *r)
{
	if (!r)
		return;
	free(r->items);
	r->items = NULL;
	r->n = 0;
}

static intake_item *
add_item(intake_report *r, enum intake_kind kind, const char *name)
{
	intake_item *g = realloc(r->items, (r->n + 1) * sizeof *g);
	if (!g)
		return NULL;
	r->items = g;
	intake_item *it = &r->items[r->n++];
	memset(it, 0, sizeof *it);
	it->kind = kind;
	snprintf(it->name, sizeof it->name, "%s", name);
	return it;
}

/* The names of the *.yaml entries of the folder handle dir, sorted. */
static int
names_in(int dir, char ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	int fd = dup(dir);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (e->d_name[0] == '.' || l < 6 || strcmp(e->d_name + l - 5, ".yaml") != 0)
			continue;
		char **g = realloc(*out, (*n + 1) * sizeof *g);
		if (!g || !(g[*n] = tl_strdup(e->d_name))) {
			if (g)
				*out = g;
			rc = -1;
			break;
		}
		*out = g;
		(*n)++;
	}
	closedir(d);
	for (size_t i = 1; i < *n; i++)   /* a handful of files: insertion sort */
		for (size_t j = i; j > 0 && strcmp((*out)[j - 1], (*out)[j]) > 0; j--) {
			char *t = (*out)[j];
			(*out)[j] = (*out)[j - 1];
			(*out)[j - 1] = t;
		}
	return rc;
}

/* Reads name beneath dir: a plain file, no link, at most INTAKE_FILE_MAX
 * bytes. 0, or the reason in words into why. */
static int
read_beneath(const export_io *io, int dir, const char *name, char **data, size_t *len,
             char *why, size_t why_len)
{
	*data = NULL;
	*len = 0;
	int fd = io->openat(io->ud, dir, name, O_RDONLY | O_NONBLOCK, 0);
	struct stat sb;
	if (fd < 0) {
		snprintf(why, why_len, errno == ELOOP ? "It is a link (a shortcut), not the file itself."
		                                      : "It cannot be read (%s).", strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		snprintf(why, why_len, "It is not a plain file.");
		return -1;
	}
	if (sb.st_size > INTAKE_FILE_MAX) {
		close(fd);
		snprintf(why, why_len, "It is too big to be a flow or cards (over %d KB).",
		         INTAKE_FILE_MAX >> 10);
		return -1;
	}
	char *buf = malloc((size_t)sb.st_size + 1);
	size_t n = 0;
	int e = buf ? 0 : ENOMEM;
	while (e == 0 && n <= (size_t)sb.st_size) {
		ssize_t got = read(fd, buf + n, (size_t)sb.st_size + 1 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			e = errno;
		else if (got == 0)
			break;
		else
			n += (size_t)got;
	}
	close(fd);
	if (e == 0 && n > (size_t)sb.st_size)
		e = EFBIG;   /* it grew while read */
	if (e) {
		free(buf);
		snprintf(why, why_len, "It cannot be read (%s).", strerror(e));
		return -1;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
}

/* The first problems of a checked file, in plain words. */
static void
say_problems(const diag_list *d, size_t first, char *buf, size_t len)
{
	size_t o = 0;
	int shown = 0;
	buf[0] = '\0';
	for (size_t i = first; i < d->n && shown < 2 && o < len; i++) {
		const diag *p = &d->items[i];
		if (p->severity != DIAG_ERROR)
			continue;
		int w = p->line > 0 ? snprintf(buf + o, len - o, "%sLine %d: %s", shown ? " " : "",
		                               p->line, p->msg)
		                    : snprintf(buf + o, len - o, "%s%s", shown ? " " : "", p->msg);
		o += w > 0 ? (size_t)w : 0;
		shown++;
	}
}

/* Writes data as name in the folder dir, atomically (a temporary file,
 * fsync, rename, fsync of the folder). 0, or -1 with why. */
static int
write_atomic(const char *dir, const char *name, const char *data, size_t len, char *why,
             size_t why_len)
{
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		snprintf(why, why_len, "The kiosk's folder %s cannot be made (%s).", dir, strerror(errno));
		return -1;
	}
	char *tmp = tl_asprintf("%s/.%s.new", dir, name), *to = tl_path_join(dir, name);
	int rc = -1;
	int fd = tmp && to ? open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644) : -1;
	if (fd >= 0) {
		size_t off = 0;
		while (off < len) {
			ssize_t w = write(fd, data + off, len - off);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break;
			off += (size_t)w;
		}
		bool ok = off == len && fsync(fd) == 0;
		ok = close(fd) == 0 && ok;
		if (ok && rename(tmp, to) == 0) {
			int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			rc = dfd >= 0 && fsync(dfd) == 0 ? 0 : -1;
			if (dfd >= 0)
				close(dfd);
		}
	}
	if (rc != 0) {
		snprintf(why, why_len, "It could not be saved on the kiosk (%s). The kiosk keeps what "
		         "it had.", strerror(errno ? errno : EIO));
		if (tmp)
			unlink(tmp);
	}
	free(tmp);
	free(to);
	return rc;
}

/* The flow with this id the kiosk has now: running or in its own folder.
 * Fills *version and hash; false when it has none. */
static bool
kiosk_has_flow(const char *id, const intake_known *known, size_t n_known,
               const char *flows_dir, const char *data_dir, int *version, char hash[65])
{
	bool found = false;
	for (size_t i = 0; i < n_known; i++)
		if (strcmp(known[i].id, id) == 0 && (!found || known[i].version > *version)) {
			found = true;
			*version = known[i].version;
			snprintf(hash, 65, "%s", known[i].hash);
		}
	char **list = NULL;
	size_t n = 0;
	if (intake_list(flows_dir, &list, &n, NULL) == 0) {
		for (size_t i = 0; i < n; i++) {
			intake_file f;
			diag_list d = { 0 };
			if (intake_check_file(list[i], data_dir, &f, &d) == 0 && f.kind == INTAKE_FLOW &&
			    strcmp(f.id, id) == 0 && (!found || f.version > *version)) {
				found = true;
				*version = f.version;
				snprintf(hash, 65, "%s", f.hash);
			}
			diag_list_finish(&d);
			free(list[i]);
		}
		free(list);
	}
	return found;
}

/* One file of the stick's folder sub (a handle): checked, then taken or
 * refused, its outcome into it. */
static void
take_one(const export_io *io, int sub, const char *stick_dir, const char *sub_name,
         const char *name, const intake_opts *o, intake_item *it)
{
	char *data = NULL;
	size_t len = 0;
	if (read_beneath(io, sub, name, &data, &len, it->words, sizeof it->words) != 0) {
		it->outcome = INTAKE_UNREADABLE;
		return;
	}
	char *path = tl_asprintf("%s/TELLUS/%s/%s", stick_dir, sub_name, name);
	diag_list d = { 0 };
	intake_file f;
	int errors = path ? intake_check_buffer(path, data, len, o->data_dir, &f, &d) : 1;
	char *flows_dir = intake_dir(o->db_path, INTAKE_FLOW);
	char *cards_dir = intake_dir(o->db_path, INTAKE_CARDS);
	enum intake_kind want = strcmp(sub_name, "cards") == 0 ? INTAKE_CARDS : INTAKE_FLOW;
	int have_version = 0;
	char have_hash[65] = "";
	if (!path || !flows_dir || !cards_dir) {
		it->outcome = INTAKE_UNREADABLE;
		snprintf(it->words, sizeof it->words, "Out of memory.");
	} else if (errors > 0) {
		it->outcome = INTAKE_BROKEN;
		say_problems(&d, 0, it->words, sizeof it->words);
	} else if (f.kind != want) {
		it->outcome = INTAKE_BROKEN;
		snprintf(it->words, sizeof it->words, want == INTAKE_FLOW
		         ? "This is a card file, not a flow: put it in TELLUS/cards."
		         : "This is a flow, not a card file: put it in TELLUS/flows.");
	} else if (want == INTAKE_FLOW) {
		snprintf(it->id, sizeof it->id, "%s", f.id);
		it->version = f.version;
		bool has = kiosk_has_flow(f.id, o->known, o->n_known, flows_dir, o->data_dir,
		                          &have_version, have_hash);
		if (has && strcmp(have_hash, f.hash) == 0) {
			it->outcome = INTAKE_SAME;
			snprintf(it->words, sizeof it->words, "The kiosk has this flow already.");
		} else if (has && f.version == have_version) {
			it->outcome = INTAKE_SAME_VERSION;
			snprintf(it->words, sizeof it->words, "This flow changed but kept version %d, the "
			         "version the kiosk has: raise its version (version: %d) and load it again.",
			         f.version, f.version + 1);
		} else if (has && f.version < have_version) {
			it->outcome = INTAKE_OLDER;
			snprintf(it->words, sizeof it->words, "The kiosk has a newer version of this flow "
			         "(version %d; this is version %d).", have_version, f.version);
		} else {
			char file[80];
			snprintf(file, sizeof file, "%s.yaml", f.id);
			it->outcome = write_atomic(flows_dir, file, data, len, it->words, sizeof it->words) == 0
			              ? INTAKE_TAKEN : INTAKE_UNREADABLE;
			if (it->outcome == INTAKE_TAKEN)
				snprintf(it->words, sizeof it->words, has ? "Taken: version %d replaces version "
				         "%d." : "Taken: version %d.", f.version, have_version);
		}
	} else {
		/* Cards carry no version: a card file replaces the kiosk's file of
		 * the same name. */
		char *mine = tl_path_join(cards_dir, name);
		char *old = NULL;
		size_t old_len = 0;
		bool same = mine && tl_read_file(mine, &old, &old_len, NULL) == 0 && old_len == len &&
		            memcmp(old, data, len) == 0;
		free(old);
		free(mine);
		if (same) {
			it->outcome = INTAKE_SAME;
			snprintf(it->words, sizeof it->words, "The kiosk has these cards already.");
		} else if (write_atomic(cards_dir, name, data, len, it->words, sizeof it->words) == 0) {
			it->outcome = INTAKE_TAKEN;
			snprintf(it->words, sizeof it->words, "Taken.");
		} else {
			it->outcome = INTAKE_UNREADABLE;
		}
	}
	diag_list_finish(&d);
	free(flows_dir);
	free(cards_dir);
	free(path);
	free(data);
}

int
intake_from_stick(const intake_opts *o, intake_report *out, tl_error *err)
{
	out->items = NULL;
	out->n = 0;
	const export_io *io = export_io_posix();
	int root = io->open_root(io->ud, o->stick_dir);
	if (root < 0)
		return tl_err_sys(err, TL_E_IO, errno, "The USB stick cannot be read (%s). Is it "
		                  "plugged in?", strerror(errno));
	int tellus = io->openat(io->ud, root, "TELLUS", O_RDONLY | O_DIRECTORY, 0);
	int rc = 0;
	if (tellus < 0 && errno == ELOOP)
		rc = tl_err(err, TL_E_REFUSED, "The stick's TELLUS folder is a link (a shortcut): "
		            "Tellus reads only the folder itself.");
	static const char *const subs[2] = { "flows", "cards" };
	for (int k = 0; rc == 0 && tellus >= 0 && k < 2; k++) {
		int sub = io->openat(io->ud, tellus, subs[k], O_RDONLY | O_DIRECTORY, 0);
		if (sub < 0) {
			if (errno == ELOOP)
				rc = tl_err(err, TL_E_REFUSED, "The stick's TELLUS/%s folder is a link (a "
				            "shortcut): Tellus reads only the folder itself.", subs[k]);
			continue;
		}
		char **names = NULL;
		size_t n = 0;
		if (names_in(sub, &names, &n) != 0)
			rc = tl_err_nomem(err);
		for (size_t i = 0; rc == 0 && i < n; i++) {
			intake_item *it = add_item(out, k ? INTAKE_CARDS : INTAKE_FLOW, names[i]);
			if (!it)
				rc = tl_err_nomem(err);
			else
				take_one(io, sub, o->stick_dir, subs[k], names[i], o, it);
		}
		for (size_t i = 0; i < n; i++)
			free(names[i]);
		free(names);
		close(sub);
	}
	if (tellus >= 0)
		close(tellus);
	close(root);
	if (rc != 0)
		intake_report_finish(out);
	return rc;
}
