/*
 * export_sign: what makes an export this kiosk's: kiosk.pub (the kiosk's
 * public key, keys/kiosk_key.h) and SHA256SUMS.minisig, minisign's
 * signature of SHA256SUMS, whose trusted comment names the kiosk and the
 * time:
 *
 *     trusted comment: tellus export kiosk_id=kiosk-3f9a01c2 exported_at=2026-11-22T14:30:05.123Z
 *
 * so `minisign -Vm SHA256SUMS -p kiosk.pub` checks an export with no
 * Tellus installed, and merge knows which kiosk signed before it reads a
 * byte of the answers (export_sign_parse_comment).
 */
#ifndef TELLUS_EXPORT_SIGN_H
#define TELLUS_EXPORT_SIGN_H

#include <stdbool.h>
#include <stddef.h>
#include "base/error.h"

#define EXPORT_PUB_NAME "kiosk.pub"
#define EXPORT_SIG_NAME "SHA256SUMS.minisig"
#define EXPORT_SIGN_KIOSK_MAX 128

/* Signs sums (SHA256SUMS's text) with the key beside db_path, making that
 * key on the kiosk's first export if its first start did not. *pub_text and
 * *sig_text (caller frees both with free()) are the two files. 0, or -1
 * with err. */
int export_sign(const char *db_path, const char *kiosk_id, const char *exported_at,
                const char *sums, char **pub_text, char **sig_text, tl_error *err);

/* The kiosk id in a trusted comment export_sign wrote (out:
 * EXPORT_SIGN_KIOSK_MAX bytes). false when tc is not one. */
bool export_sign_parse_comment(const char *tc, char out[EXPORT_SIGN_KIOSK_MAX]);

#endif
