/*
 * export_sign: see export_sign.h. The kiosk's secret key is held only for
 * the signing and wiped at once.
 */
#include "export/export_sign.h"
#include "keys/kiosk_key.h"
#include "keys/minisign.h"
#include "base/util.h"

#include <stdlib.h>
#include <string.h>

#define TC_HEAD "tellus export kiosk_id="
#define TC_TIME " exported_at="

int
export_sign(const char *db_path, const char *kiosk_id, const char *exported_at,
            const char *sums, char **pub_text, char **sig_text, tl_error *err)
{
	*pub_text = *sig_text = NULL;
	if (strlen(kiosk_id) >= EXPORT_SIGN_KIOSK_MAX || strpbrk(kiosk_id, " \r\n"))
		return tl_err(err, TL_E_INVALID, "the kiosk id '%s' cannot name a signed export "
		              "(a space or too long)", kiosk_id);
	minisign_key k;
	if (kiosk_key_load(db_path, true, &k, NULL, err) != 0)
		return -1;
	char *tc = tl_asprintf(TC_HEAD "%s" TC_TIME "%s", kiosk_id, exported_at);
	int rc = tc ? minisign_sign(&k, sums, strlen(sums), tc, sig_text, err) : tl_err_nomem(err);
	if (rc == 0 && !(*pub_text = minisign_pub_file(&k.pub)))
		rc = tl_err_nomem(err);
	minisign_key_wipe(&k);
	free(tc);
	if (rc != 0) {
		free(*sig_text);
		*sig_text = NULL;
	}
	return rc;
}

bool
export_sign_parse_comment(const char *tc, char out[EXPORT_SIGN_KIOSK_MAX])
{
	out[0] = '\0';
	size_t h = strlen(TC_HEAD);
	if (strncmp(tc, TC_HEAD, h) != 0)
		return false;
	const char *id = tc + h;
	const char *end = strchr(id, ' ');
	if (!end || end == id || (size_t)(end - id) >= EXPORT_SIGN_KIOSK_MAX ||
	    strncmp(end, TC_TIME, strlen(TC_TIME)) != 0)
		return false;
	memcpy(out, id, (size_t)(end - id));
	out[end - id] = '\0';
	return true;
}
