/*
 * merge_trust: see merge_trust.h. The two tables are the master database's
 * (store_schema.c, version 4); a kiosk's own database has them empty.
 */
#include "merge/merge_trust.h"
#include "merge/merge_verify.h"
#include "export/export.h"
#include "base/util.h"

#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SMALL_MAX 4096
#define TRUST_MAX (1 << 20)

void
merge_keys_finish(merge_keys *k)
{
	office_key_wipe(&k->office);
	free(k->trusted);
	k->trusted = NULL;
	k->n_trusted = 0;
}

/* Each line of the trust file that is a public key's base64 (comments,
 * minisign's "untrusted comment:" lines and blank lines pass). */
static int
load_trust(merge_keys *k, const char *path, tl_error *err)
{
	char *text = NULL;
	size_t len = 0;
	tl_error why;
	if (tl_read_file(path, &text, &len, &why) != 0)
		return tl_err_sys(err, why.code, why.sys, "could not read the trusted keys %s (%s)",
		                  path, why.msg);
	snprintf(k->trust_path, sizeof k->trust_path, "%s", path);
	k->restrict_trust = true;
	int rc = 0, line = 0;
	if (len > TRUST_MAX)
		rc = tl_err(err, TL_E_INVALID, "%s is too big to be a list of kiosk keys", path);
	for (char *p = text; rc == 0 && p && *p;) {
		line++;
		char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		while (n > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			n--;
		}
		if (n > 0 && *p != '#' && strncmp(p, "untrusted comment:", 18) != 0) {
			minisign_pub pub;
			minisign_pub *more = realloc(k->trusted, (k->n_trusted + 1) * sizeof *more);
			if (!more)
				rc = tl_err_nomem(err);
			else if (k->trusted = more, minisign_pub_parse(p, n, &pub, NULL) != 0)
				rc = tl_err_at(err, TL_E_INVALID, path, line, 1, "%s:%d: this line is not a "
				               "kiosk's public key (copy the lines of each kiosk.pub)",
				               path, line);
			else
				k->trusted[k->n_trusted++] = pub;
		}
		p = nl ? nl + 1 : NULL;
	}
	free(text);
	return rc;
}

int
merge_keys_load(merge_keys *k, const char *office_key_path, const char *trust_path,
                tl_error *err)
{
	memset(k, 0, sizeof *k);
	if (office_key_path) {
		if (office_key_load_secret(office_key_path, &k->office, err) != 0)
			return -1;
		k->has_office = true;
	}
	if (trust_path && load_trust(k, trust_path, err) != 0)
		return -1;
	return 0;
}

int
merge_trust_signature(int dirfd, const merge_keys *keys, const char *sums,
                      size_t sums_len, merge_signer *out, tl_error *err)
{
	memset(out, 0, sizeof *out);
	char *pub = NULL, *sig = NULL;
	size_t pub_len = 0, sig_len = 0;
	tl_error why;
	bool missing = false;
	int rc = 0;
	if (merge_verify_read(dirfd, EXPORT_SIG_NAME, SMALL_MAX, &sig, &sig_len, &missing, &why) != 0)
		rc = missing
		     ? tl_err(err, TL_E_REFUSED, "it is not signed (it has no %s), so nothing says "
		              "which kiosk wrote it; export it again with this version of Tellus",
		              EXPORT_SIG_NAME)
		     : tl_err_copy(err, &why);
	else if (merge_verify_read(dirfd, EXPORT_PUB_NAME, SMALL_MAX, &pub, &pub_len, &missing,
	                           &why) != 0)
		rc = missing
		     ? tl_err(err, TL_E_REFUSED, "it has no %s, the key of the kiosk that signed it",
		              EXPORT_PUB_NAME)
		     : tl_err_copy(err, &why);
	else if (minisign_pub_parse(pub, pub_len, &out->pub, &why) != 0)
		rc = tl_err(err, TL_E_REFUSED, "its %s is damaged: %s", EXPORT_PUB_NAME, why.msg);
	char tc[MINISIGN_COMMENT_MAX + 1];
	if (rc == 0 && minisign_verify(&out->pub, sums, sums_len, sig, sig_len, tc, &why) != 0)
		rc = tl_err(err, TL_E_REFUSED, "its signature does not hold: %s (%s checked with "
		            "%s)", why.msg, EXPORT_SIG_NAME, EXPORT_PUB_NAME);
	if (rc == 0 && !export_sign_parse_comment(tc, out->kiosk_id))
		rc = tl_err(err, TL_E_REFUSED, "its signature does not name a kiosk, so it is not a "
		            "Tellus export");
	free(pub);
	free(sig);
	if (rc != 0)
		return -1;
	minisign_pub_text(&out->pub, out->key);
	minisign_key_id(&out->pub, out->key_id);
	if (keys && keys->restrict_trust) {
		bool known = false;
		for (size_t i = 0; i < keys->n_trusted && !known; i++)
			known = sodium_memcmp(keys->trusted[i].pk, out->pub.pk, MINISIGN_PK) == 0 &&
			        memcmp(keys->trusted[i].keynum, out->pub.keynum, MINISIGN_KEYNUM) == 0;
		if (!known)
			return tl_err(err, TL_E_REFUSED, "it is signed by kiosk %s with key %s (%s), "
			              "which is not in the trusted keys %s", out->kiosk_id, out->key_id,
			              out->key, keys->trust_path);
	}
	return 0;
}

static int
db_fail(sqlite3 *db, tl_error *err)
{
	return tl_err_sys(err, TL_E_DB, sqlite3_errcode(db), "the database cannot check whose "
	                  "export it is: %s", sqlite3_errmsg(db));
}

/* The key stored for key (a kiosk id or a session id) by sql, into out
 * ("" when there is none). SQLITE_OK or an error code. */
static int
stored_key(sqlite3 *db, const char *sql, const char *key, char out[MINISIGN_PK_TEXT])
{
	out[0] = '\0';
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			const unsigned char *t = sqlite3_column_text(s, 0);
			snprintf(out, MINISIGN_PK_TEXT, "%s", t ? (const char *)t : "");
			rc = SQLITE_OK;
		} else if (rc == SQLITE_DONE) {
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(s);
	return rc;
}

static int
exec2(sqlite3 *db, const char *sql, const char *a, const char *b)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(s, 1, a, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(s, 2, b, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_DONE)
		rc = SQLITE_OK;
	sqlite3_finalize(s);
	return rc;
}

int
merge_trust_kiosk(sqlite3 *db, const merge_signer *s, const struct json_t *root, bool *first,
                  tl_error *err)
{
	*first = false;
	const char *id = json_string_value(json_object_get(root, "kiosk_id"));
	if (!id || strcmp(id, s->kiosk_id) != 0)
		return tl_err(err, TL_E_REFUSED, "export.json says kiosk %s but its signature says "
		              "kiosk %s", id ? id : "(none)", s->kiosk_id);
	char have[MINISIGN_PK_TEXT];
	if (stored_key(db, "SELECT public_key FROM kiosk_keys WHERE kiosk_id = ?1", s->kiosk_id,
	               have) != SQLITE_OK)
		return db_fail(db, err);
	if (have[0] && strcmp(have, s->key) != 0)
		return tl_err(err, TL_E_REFUSED, "it says it is from kiosk %s, but it is signed with "
		              "key %s, and this database knows kiosk %s by key %s: it is not that "
		              "kiosk's export (a copy made elsewhere, or a kiosk set up again with "
		              "the same id)", s->kiosk_id, s->key, s->kiosk_id, have);
	if (have[0])
		return 0;
	if (exec2(db, "INSERT INTO kiosk_keys(kiosk_id, public_key, first_seen_at)"
	              " VALUES(?1, ?2, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
	          s->kiosk_id, s->key) != SQLITE_OK)
		return db_fail(db, err);
	*first = true;
	return 0;
}

int
merge_trust_session(sqlite3 *db, const merge_signer *s, const char *session_id, bool added,
                    tl_error *err)
{
	if (added)
		return exec2(db, "INSERT INTO session_keys(session_id, public_key) VALUES(?1, ?2)",
		             session_id, s->key) == SQLITE_OK ? 0 : db_fail(db, err);
	char have[MINISIGN_PK_TEXT];
	/* the key that brought it, else the key of the kiosk it names (a
	 * session merged before keys were kept has neither: nothing to say) */
	if (stored_key(db, "SELECT public_key FROM session_keys WHERE session_id = ?1",
	               session_id, have) != SQLITE_OK ||
	    (!have[0] && stored_key(db, "SELECT k.public_key FROM sessions s JOIN kiosk_keys k"
	                                " ON k.kiosk_id = s.kiosk_id WHERE s.id = ?1",
	                            session_id, have) != SQLITE_OK))
		return db_fail(db, err);
	if (have[0] && strcmp(have, s->key) != 0)
		return tl_err(err, TL_E_REFUSED, "it holds session %s, which this database already "
		              "has from an export signed by another key (%s): one of the two is "
		              "not genuine, or the same sessions came through a merged database "
		              "exported again (merge either the kiosks' own exports or the merged "
		              "one, not both); nothing of this one was added", session_id, have);
	return 0;
}
