/*
 * intake_copy: "Load from the stick" (intake.h).
 *
 * The stick is hostile: it may hold links, FIFOs, devices, another drive
 * mounted inside it, or files that grow while read. So its folder is
 * opened once (export_stick_open: the handle and its device, as the
 * export holds the stick), TELLUS/flows and TELLUS/cards and every folder
 * on a picture's path are opened beneath that handle by single names,
 * never through a link or onto another device (the export's openat), and
 * every file is read with plain_read: a plain file, no link, at most its
 * bound, read whole once, so the bytes checked are the bytes copied.
 *
 * A flow or card file comes with the pictures and recordings it names by a
 * path (relative to its own folder, inside it: never absolute, never
 * "..", no hidden names). Everything is first copied into a staging
 * folder beneath the kiosk's own folder (flows/.incoming-XXXXXX), and the
 * checker `tellus check` uses runs on that copy, so what is checked is
 * what the kiosk will read, never the stick's path. A good file's
 * pictures are then renamed into place, then the file itself, each folder
 * fsynced: the kiosk's copy of a flow is always either the old one or the
 * new one with every picture it names already there. A picture the kiosk
 * already has under that name with other bytes is never replaced (another
 * flow may show it): that file is refused with words asking for a new
 * name. A broken file is never copied, so it can never replace a working
 * one; a flow that changed but kept its version number is refused (a
 * session names its flow by id and version, so two different flows must
 * not share both), and so is one older than the kiosk's.
 */
#include "intake/intake.h"
#include "cards/cards.h"
#include "export/export.h"
#include "export/export_stick.h"
#include "base/plain_file.h"
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

/* A flow the kiosk has: running (o->known), in its folder, or taken in
 * this very load. */
typedef struct kiosk_flow {
	char id[64];
	int version;
	char hash[65];
} kiosk_flow;

/* One file a flow or card file names by path, relative to its folder. */
typedef struct ref {
	char *rel;
	bool clip;      /* a recording, not a picture (for the words) */
	bool have;      /* the kiosk has these very bytes under this name already */
} ref;

typedef struct refs {
	ref *v;
	size_t n;
	bool nomem;
} refs;

/* One load from the stick. */
typedef struct run {
	const intake_opts *o;
	const export_io *io;
	export_stick stick;
	char *dir[2];              /* the kiosk's flows and cards folders (intake_dir) */
	kiosk_flow *mine;
	size_t n_mine;
} run;

static void
refs_finish(refs *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].rel);
	free(r->v);
	*r = (refs){ 0 };
}

static void
add_ref(refs *r, const char *rel, bool clip)
{
	if (!rel || r->nomem)
		return;
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->v[i].rel, rel) == 0)
			return;
	ref *g = realloc(r->v, (r->n + 1) * sizeof *g);
	char *s = g ? tl_strdup(rel) : NULL;
	if (g)
		r->v = g;
	if (!s) {
		r->nomem = true;
		return;
	}
	r->v[r->n++] = (ref){ s, clip, false };
}

static void
add_symbol(refs *r, const char *sym)
{
	if (flow_symbol_is_file(sym))
		add_ref(r, sym, false);
}

/* Every file the flow names by a path: its picture, its audience's
 * photos, each question's picture and its clips (one per language), each
 * answer's and column's picture. */
static void
flow_refs(const flow *f, refs *r)
{
	add_symbol(r, f->symbol);
	for (size_t i = 0; i < f->n_audience; i++)
		add_symbol(r, f->audience[i].photo);
	for (size_t i = 0; i < f->n_questions; i++) {
		const flow_question *q = &f->questions[i];
		add_symbol(r, q->symbol);
		for (size_t j = 0; j < q->n_clips; j++)
			add_ref(r, q->clips[j].path, true);
		for (size_t j = 0; j < q->n_answers; j++)
			add_symbol(r, q->answers[j].symbol);
		for (size_t j = 0; j < q->n_columns; j++)
			add_symbol(r, q->columns[j].symbol);
	}
}

static void
card_refs(const card_set *s, refs *r)
{
	for (size_t i = 0; i < s->n; i++)
		add_symbol(r, s->cards[i].symbol);
}

/* A path the kiosk can keep beneath its own folder: relative, inside the
 * file's folder, no hidden or empty names, not another .yaml. NULL, or
 * why not: a sentence to follow "The picture NAME". */
static const char *
ref_bad(const char *rel)
{
	size_t l = strlen(rel);
	if (l == 0 || l > 255)
		return "has an empty or too long name.";
	if (rel[0] == '/')
		return "is named from the top of a disk: name it from the file's own folder.";
	if (l >= 5 && strcmp(rel + l - 5, ".yaml") == 0)
		return "has a name ending in .yaml, which the kiosk keeps for flows and cards.";
	int depth = 0;
	for (const char *p = rel; *p;) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == 0 || (n <= 2 && strncmp(p, "..", n) == 0))
			return "is outside the file's folder: put it beside the file, or in a folder "
			       "inside that folder.";
		if (p[0] == '.')
			return "has a hidden name (starting with a dot): rename it.";
		if (++depth > 8)
			return "is too many folders deep.";
		p += n + (e ? 1 : 0);
	}
	return NULL;
}

/* Plain words for what plain_read said about what (e.g. "It" or "The
 * picture photos/sam.png"). */
static void
say_read(int e, const char *what, size_t max, char *why, size_t why_len)
{
	if (e == PLAIN_A_LINK || e == ELOOP)
		snprintf(why, why_len, "%s is a link (a shortcut), not the file itself.", what);
	else if (e == PLAIN_NOT_A_FILE)
		snprintf(why, why_len, "%s is not a plain file.", what);
	else if (e == EFBIG)
		snprintf(why, why_len, "%s is too big (over %zu KB).", what, max >> 10);
	else if (e == EXDEV)
		snprintf(why, why_len, "%s is on another drive mounted inside the stick: Tellus "
		         "reads only the stick itself.", what);
	else if (e == ENOENT)
		snprintf(why, why_len, "%s is not on the stick.", what);
	else
		snprintf(why, why_len, "%s cannot be read (%s).", what, strerror(e));
}

/* Reads rel beneath the folder handle dir: each folder on its way opened
 * beneath the last, no link, on the stick's own device, the file with
 * plain_read. 0, or an errno value / PLAIN_* code. */
static int
stick_read(run *r, int dir, const char *rel, size_t max, char **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	char path[256];
	snprintf(path, sizeof path, "%s", rel);
	int cur = dir, e = 0;
	char *name = path;
	for (char *slash; e == 0 && (slash = strchr(name, '/')); name = slash + 1) {
		*slash = '\0';
		int fd = r->io->openat(r->io->ud, cur, name, O_RDONLY | O_DIRECTORY, 0);
		if (fd < 0) {
			e = errno == ENOTDIR ? PLAIN_NOT_A_FILE : errno;
		} else if (export_stick_same_device(&r->stick, fd, NULL) != 0) {
			e = EXDEV;
			close(fd);
			fd = -1;
		}
		if (cur != dir)
			close(cur);
		cur = fd >= 0 ? fd : dir;
	}
	struct stat sb;
	if (e == 0)
		e = plain_read(cur, name, max, data, len, &sb);
	if (e == 0 && sb.st_dev != r->stick.dev)
		e = EXDEV;
	if (e) {
		free(*data);
		*data = NULL;
		*len = 0;
	}
	if (cur != dir)
		close(cur);
	return e;
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

static int
fsync_dir(const char *dir)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = dfd >= 0 && fsync(dfd) == 0 ? 0 : -1;
	if (dfd >= 0)
		close(dfd);
	return rc;
}

/* The folders of rel's path beneath base (the kiosk's own), made as
 * needed. 0 or -1 with errno. */
static int
make_parents(const char *base, const char *rel)
{
	char *p = tl_path_join(base, rel);
	if (!p) {
		errno = ENOMEM;
		return -1;
	}
	int rc = 0;
	for (char *s = p + strlen(base) + 1; rc == 0 && (s = strchr(s, '/')); s++) {
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	free(p);
	return rc;
}

/* Writes data as rel beneath the staging folder (a new file, fsynced). */
static int
stage_put(const char *stage, const char *rel, const char *data, size_t len)
{
	if (make_parents(stage, rel) != 0)
		return -1;
	char *to = tl_path_join(stage, rel);
	int fd = to ? open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644) : -1;
	free(to);
	if (fd < 0)
		return -1;
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
	if (!ok && errno == 0)
		errno = EIO;
	return ok ? 0 : -1;
}

/* Removes what is left of rel beneath the staging folder, and its empty
 * folders. */
static void
stage_drop(const char *stage, const char *rel)
{
	char *p = tl_path_join(stage, rel);
	if (!p)
		return;
	unlink(p);
	size_t base = strlen(stage);
	for (char *s; (s = strrchr(p, '/')) && (size_t)(s - p) > base;) {
		*s = '\0';
		if (rmdir(p) != 0)
			break;
	}
	free(p);
}

/* Renames rel from the staging folder to its place in the kiosk's folder
 * and fsyncs the folder it went into. */
static int
place(const char *stage, const char *dir, const char *rel)
{
	if (make_parents(dir, rel) != 0)
		return -1;
	char *from = tl_path_join(stage, rel), *to = tl_path_join(dir, rel);
	char *parent = to ? tl_dir_of(to) : NULL;
	int rc = from && to && parent && rename(from, to) == 0 && fsync_dir(parent) == 0 ? 0 : -1;
	if (rc != 0 && errno == 0)
		errno = ENOMEM;
	free(parent);
	free(from);
	free(to);
	return rc;
}

/* Does the kiosk hold exactly these bytes as rel beneath dir? Sets
 * *exists when it holds anything there. */
static bool
kiosk_has_bytes(const char *dir, const char *rel, const char *data, size_t len, bool *exists)
{
	char *p = tl_path_join(dir, rel);
	struct stat sb;
	*exists = p && lstat(p, &sb) == 0;
	char *old = NULL;
	size_t old_len = 0;
	bool same = *exists && S_ISREG(sb.st_mode) && (size_t)sb.st_size == len &&
	            tl_read_file(p, &old, &old_len, NULL) == 0 && old_len == len &&
	            memcmp(old, data, len) == 0;
	free(old);
	free(p);
	return same;
}

static void
remember(run *r, const char *id, int version, const char *hash)
{
	kiosk_flow *g = realloc(r->mine, (r->n_mine + 1) * sizeof *g);
	if (!g)
		return;   /* then only a later, same-id file on this stick is not seen */
	r->mine = g;
	kiosk_flow *k = &r->mine[r->n_mine++];
	snprintf(k->id, sizeof k->id, "%s", id);
	k->version = version;
	snprintf(k->hash, sizeof k->hash, "%s", hash);
}

/* The kiosk's flows, read once per load: those it runs, then the good ones
 * of its folder. */
static void
read_mine(run *r)
{
	for (size_t i = 0; i < r->o->n_known; i++)
		remember(r, r->o->known[i].id, r->o->known[i].version, r->o->known[i].hash);
	char **list = NULL;
	size_t n = 0;
	if (intake_list(r->dir[INTAKE_FLOW], &list, &n, NULL) != 0)
		return;
	for (size_t i = 0; i < n; i++) {
		intake_file f;
		diag_list d = { 0 };
		if (intake_check_file(list[i], r->o->data_dir, &f, &d) == 0 && f.kind == INTAKE_FLOW)
			remember(r, f.id, f.version, f.hash);
		diag_list_finish(&d);
		free(list[i]);
	}
	free(list);
}

/* The newest flow with this id the kiosk has: *version and hash; false
 * when it has none. */
static bool
kiosk_has_flow(const run *r, const char *id, int *version, char hash[65])
{
	bool found = false;
	for (size_t i = 0; i < r->n_mine; i++)
		if (strcmp(r->mine[i].id, id) == 0 && (!found || r->mine[i].version > *version)) {
			found = true;
			*version = r->mine[i].version;
			snprintf(hash, 65, "%s", r->mine[i].hash);
		}
	return found;
}

/* What a stick file is, read (not yet checked): its kind, a flow's id and
 * version, and the files it names. -1 when it does not read, its problems
 * in d. */
static int
parse(const char *path, const char *data, size_t len, enum intake_kind *kind, intake_item *it,
      refs *rf, diag_list *d)
{
	int rc = -1;
	if (cards_is_card_file(data, len)) {
		*kind = INTAKE_CARDS;
		card_set *s = cards_create();
		if (!s)
			diag_add(d, DIAG_ERROR, path, 0, 0, "out of memory while reading the cards");
		else if (cards_load_buffer(s, path, data, len, d) == 0) {
			card_refs(s, rf);
			rc = 0;
		}
		cards_destroy(s);
	} else {
		*kind = INTAKE_FLOW;
		flow *f = NULL;
		if (flow_load_buffer(path, data, len, &f, d) == 0) {
			snprintf(it->id, sizeof it->id, "%s", f->id);
			it->version = f->version;
			flow_refs(f, rf);
			rc = 0;
		}
		flow_destroy(f);
	}
	if (rc == 0 && rf->nomem) {
		diag_add(d, DIAG_ERROR, path, 0, 0, "out of memory while reading it");
		rc = -1;
	}
	return rc;
}

/* Copies every file rf names from the stick's folder sub into the staging
 * folder, noting those the kiosk has already. 0, or -1 with the outcome
 * and words in it. */
static int
stage_refs(run *r, int sub, const char *stage, const char *dir, refs *rf, intake_item *it)
{
	size_t total = 0;
	for (size_t i = 0; i < rf->n; i++) {
		ref *f = &rf->v[i];
		char what[320];
		snprintf(what, sizeof what, "The %s %s", f->clip ? "recording" : "picture", f->rel);
		const char *bad = ref_bad(f->rel);
		if (bad) {
			it->outcome = INTAKE_BROKEN;
			snprintf(it->words, sizeof it->words, "%s %s", what, bad);
			return -1;
		}
		char *data = NULL;
		size_t len = 0;
		int e = stick_read(r, sub, f->rel, INTAKE_PICTURE_MAX, &data, &len);
		if (e) {
			it->outcome = e == ENOENT ? INTAKE_BROKEN : INTAKE_UNREADABLE;
			say_read(e, what, INTAKE_PICTURE_MAX, it->words, sizeof it->words);
			if (e == ENOENT)
				snprintf(it->words + strlen(it->words), sizeof it->words - strlen(it->words),
				         " Put it on the stick as TELLUS/%s/%s.",
				         it->kind == INTAKE_CARDS ? "cards" : "flows", f->rel);
			return -1;
		}
		total += len;
		bool exists = false;
		f->have = kiosk_has_bytes(dir, f->rel, data, len, &exists);
		int rc = 0;
		if (total > INTAKE_PICTURES_MAX) {
			it->outcome = INTAKE_UNREADABLE;
			snprintf(it->words, sizeof it->words, "Its pictures and recordings are too big "
			         "together (over %d MB): make them smaller.", INTAKE_PICTURES_MAX >> 20);
			rc = -1;
		} else if (exists && !f->have) {
			it->outcome = INTAKE_CLASH;
			snprintf(it->words, sizeof it->words, "The kiosk already has a different %s "
			         "called %s (another flow or card may show it): give this one a new name.",
			         f->clip ? "recording" : "picture", f->rel);
			rc = -1;
		} else if (stage_put(stage, f->rel, data, len) != 0) {
			/* staged even when the kiosk has it: the check looks beside the
			 * staged file */
			it->outcome = INTAKE_UNREADABLE;
			snprintf(it->words, sizeof it->words, "It could not be saved on the kiosk (%s). The "
			         "kiosk keeps what it had.", strerror(errno));
			rc = -1;
		}
		free(data);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* One file of the stick's folder sub (a handle) in the folder named
 * sub_name: read, its files staged beside it on the kiosk, the staged copy
 * checked, then taken or refused; its outcome into it. */
static void
take_one(run *r, int sub, const char *sub_name, const char *name, intake_item *it)
{
	enum intake_kind want = it->kind;
	const char *dir = r->dir[want];
	char *data = NULL;
	size_t len = 0;
	struct stat sb;
	int e = plain_read(sub, name, INTAKE_FILE_MAX, &data, &len, &sb);
	if (e == 0 && sb.st_dev != r->stick.dev)
		e = EXDEV;
	if (e) {
		it->outcome = INTAKE_UNREADABLE;
		say_read(e, "It", INTAKE_FILE_MAX, it->words, sizeof it->words);
		free(data);
		return;
	}
	char *path = tl_asprintf("%s/TELLUS/%s/%s", r->o->stick_dir, sub_name, name);
	diag_list d = { 0 };
	refs rf = { 0 };
	enum intake_kind kind = want;
	char file[80] = "", have_hash[65] = "", stage[1100] = "";
	int have_version = 0;
	bool has = false, same = false;
	if (!path) {
		it->outcome = INTAKE_UNREADABLE;
		snprintf(it->words, sizeof it->words, "Out of memory.");
		goto out;
	}
	if (parse(path, data, len, &kind, it, &rf, &d) != 0) {
		it->outcome = INTAKE_BROKEN;
		say_problems(&d, 0, it->words, sizeof it->words);
		goto out;
	}
	if (kind != want) {
		it->outcome = INTAKE_BROKEN;
		snprintf(it->words, sizeof it->words, want == INTAKE_FLOW
		         ? "This is a card file, not a flow: put it in TELLUS/cards."
		         : "This is a flow, not a card file: put it in TELLUS/flows.");
		goto out;
	}
	char hash[65];
	tl_sha256_hex(data, len, hash);
	if (want == INTAKE_FLOW) {
		snprintf(file, sizeof file, "%s.yaml", it->id);
		has = kiosk_has_flow(r, it->id, &have_version, have_hash);
		same = has && strcmp(have_hash, hash) == 0;
		if (has && !same && it->version == have_version) {
			it->outcome = INTAKE_SAME_VERSION;
			snprintf(it->words, sizeof it->words, "This flow changed but kept version %d, the "
			         "version the kiosk has: raise its version (version: %d) and load it again.",
			         it->version, it->version + 1);
			goto out;
		}
		if (has && !same && it->version < have_version) {
			it->outcome = INTAKE_OLDER;
			snprintf(it->words, sizeof it->words, "The kiosk has a newer version of this flow "
			         "(version %d; this is version %d).", have_version, it->version);
			goto out;
		}
	} else {
		/* Cards carry no version: a card file replaces the kiosk's file of
		 * the same name. */
		snprintf(file, sizeof file, "%s", name);
		bool exists;
		same = kiosk_has_bytes(dir, file, data, len, &exists);
	}
	/* Staged beneath the kiosk's own folder, so the renames into place
	 * stay on one disk. */
	if ((mkdir(dir, 0700) != 0 && errno != EEXIST) ||
	    snprintf(stage, sizeof stage, "%s/.incoming-XXXXXX", dir) >= (int)sizeof stage ||
	    !mkdtemp(stage)) {
		stage[0] = '\0';
		it->outcome = INTAKE_UNREADABLE;
		snprintf(it->words, sizeof it->words, "The kiosk's folder %s cannot be written (%s). "
		         "The kiosk keeps what it had.", dir, strerror(errno));
		goto out;
	}
	if (stage_refs(r, sub, stage, dir, &rf, it) != 0)
		goto out;
	if (stage_put(stage, file, data, len) != 0) {
		it->outcome = INTAKE_UNREADABLE;
		snprintf(it->words, sizeof it->words, "It could not be saved on the kiosk (%s). The "
		         "kiosk keeps what it had.", strerror(errno));
		goto out;
	}
	/* The checker on the kiosk's copy: the file read back from the disk,
	 * its pictures beside it. */
	char *staged = tl_path_join(stage, file);
	intake_file f;
	int errors = staged ? intake_check_file(staged, r->o->data_dir, &f, &d) : 1;
	free(staged);
	if (errors > 0 || strcmp(f.hash, hash) != 0) {
		it->outcome = INTAKE_BROKEN;
		say_problems(&d, 0, it->words, sizeof it->words);
		if (!it->words[0])
			snprintf(it->words, sizeof it->words, "The kiosk's copy of it differs from the "
			         "stick's. The kiosk keeps what it had.");
		goto out;
	}
	size_t fresh = 0;
	for (size_t i = 0; i < rf.n; i++)
		fresh += !rf.v[i].have;
	/* Already the kiosk's: a flow it runs from elsewhere (the settings'),
	 * or its own copy with every picture there (an older Tellus took
	 * flows without their pictures: this mends them). */
	bool exists, in_folder = kiosk_has_bytes(dir, file, data, len, &exists);
	if (same && (fresh == 0 || !in_folder)) {
		it->outcome = INTAKE_SAME;
		snprintf(it->words, sizeof it->words, want == INTAKE_FLOW
		         ? "The kiosk has this flow already." : "The kiosk has these cards already.");
		goto out;
	}
	/* Pictures first, the file last: the file never names a picture that
	 * is not there yet. */
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < rf.n; i++)
		if (!rf.v[i].have)
			rc = place(stage, dir, rf.v[i].rel);
	if (rc == 0)
		rc = place(stage, dir, file);
	if (rc != 0) {
		it->outcome = INTAKE_UNREADABLE;
		snprintf(it->words, sizeof it->words, "It could not be saved on the kiosk (%s). The "
		         "kiosk keeps what it had.", strerror(errno));
		goto out;
	}
	it->outcome = INTAKE_TAKEN;
	char with[64] = "";
	if (fresh)
		snprintf(with, sizeof with, ", with %zu %s", fresh, fresh == 1 ? "picture" : "pictures");
	if (want == INTAKE_FLOW) {
		remember(r, it->id, it->version, hash);
		if (has && have_version != it->version)
			snprintf(it->words, sizeof it->words, "Taken: version %d replaces version %d%s.",
			         it->version, have_version, with);
		else
			snprintf(it->words, sizeof it->words, "Taken: version %d%s.", it->version, with);
	} else {
		snprintf(it->words, sizeof it->words, "Taken%s.", with);
	}
out:
	if (stage[0]) {
		for (size_t i = 0; i < rf.n; i++)
			stage_drop(stage, rf.v[i].rel);
		stage_drop(stage, file);
		rmdir(stage);
	}
	refs_finish(&rf);
	diag_list_finish(&d);
	free(path);
	free(data);
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

/* Opens the folder name beneath dir: 0 with *fd, 0 with *fd -1 when it is
 * not there, or -1 with err (a link, another drive, unreadable). */
static int
open_folder(run *r, int dir, const char *name, const char *shown, int *fd, tl_error *err)
{
	*fd = r->io->openat(r->io->ud, dir, name, O_RDONLY | O_DIRECTORY, 0);
	if (*fd < 0) {
		int e = errno;
		if (e == ENOENT)
			return 0;
		if (e == ELOOP)
			return tl_err(err, TL_E_REFUSED, "The stick's %s folder is a link (a shortcut): "
			              "Tellus reads only the folder itself.", shown);
		if (e == EXDEV)
			return tl_err(err, TL_E_REFUSED, "The stick's %s folder is another drive mounted "
			              "inside the stick: Tellus reads only the stick itself.", shown);
		if (e == ENOTDIR)
			return tl_err(err, TL_E_REFUSED, "The stick's %s is a file, not a folder.", shown);
		return tl_err_sys(err, TL_E_IO, e, "The stick's %s folder cannot be read (%s). Take "
		                  "the stick out, put it back and try again.", shown, strerror(e));
	}
	if (export_stick_same_device(&r->stick, *fd, NULL) != 0) {
		close(*fd);
		*fd = -1;
		return tl_err(err, TL_E_REFUSED, "The stick's %s folder is another drive mounted "
		              "inside the stick: Tellus reads only the stick itself.", shown);
	}
	return 0;
}

int
intake_from_stick(const intake_opts *o, intake_report *out, tl_error *err)
{
	out->items = NULL;
	out->n = 0;
	run r = { .o = o, .io = export_io_posix() };
	tl_error se;
	if (export_stick_open(&r.stick, r.io, o->stick_dir, &se) != 0) {
		export_stick_finish(&r.stick);
		return tl_err_sys(err, TL_E_IO, se.sys, "The USB stick cannot be read (%s). Is it "
		                  "plugged in?", strerror(se.sys ? se.sys : EIO));
	}
	r.dir[INTAKE_FLOW] = intake_dir(o->db_path, INTAKE_FLOW);
	r.dir[INTAKE_CARDS] = intake_dir(o->db_path, INTAKE_CARDS);
	int rc = r.dir[0] && r.dir[1] ? 0 : tl_err_nomem(err);
	if (rc == 0)
		read_mine(&r);
	int tellus = -1;
	if (rc == 0)
		rc = open_folder(&r, r.stick.root_fd, "TELLUS", "TELLUS", &tellus, err);
	static const char *const subs[2] = { "flows", "cards" };
	for (int k = 0; rc == 0 && tellus >= 0 && k < 2; k++) {
		char shown[32];
		snprintf(shown, sizeof shown, "TELLUS/%s", subs[k]);
		int sub;
		rc = open_folder(&r, tellus, subs[k], shown, &sub, err);
		if (rc != 0 || sub < 0)
			continue;
		char **names = NULL;
		size_t n = 0;
		if (names_in(sub, &names, &n) != 0)
			rc = tl_err_nomem(err);
		for (size_t i = 0; rc == 0 && i < n; i++) {
			intake_item *it = add_item(out, k ? INTAKE_CARDS : INTAKE_FLOW, names[i]);
			if (!it)
				rc = tl_err_nomem(err);
			else
				take_one(&r, sub, subs[k], names[i], it);
		}
		for (size_t i = 0; i < n; i++)
			free(names[i]);
		free(names);
		close(sub);
	}
	if (tellus >= 0)
		close(tellus);
	export_stick_finish(&r.stick);
	free(r.mine);
	free(r.dir[0]);
	free(r.dir[1]);
	if (rc != 0)
		intake_report_finish(out);
	return rc;
}
