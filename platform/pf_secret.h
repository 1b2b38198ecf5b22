/*
 * pf_secret.h -- password hashing for the enable secret.
 *
 * A secret is never stored in clear: it is hashed with a modern KDF and the
 * hash is stored with its scheme, in the forms the devices print, so that a
 * pasted `enable secret 9 $9$...` or `enable password $sha512$... pbkdf2`
 * keeps working:
 *   $9$SALT$HASH            scrypt (N=16384, r=1, p=1), IOS type 9 (default for IOS)
 *   $8$SALT$HASH            PBKDF2-HMAC-SHA256, 20000 rounds, IOS type 8
 *   $sha512$5000$SALT$HASH  PBKDF2-HMAC-SHA512, ASA `pbkdf2` (default for ASA)
 *   $1$SALT$HASH            MD5-crypt, IOS type 5 (accepted when pasted)
 *   pix:HASH                the PIX/ASA `encrypted` MD5 form (accepted when pasted)
 */
#ifndef VPNSH_PF_SECRET_H
#define VPNSH_PF_SECRET_H

#include <stdbool.h>
#include <stddef.h>

enum pf_secret_scheme { PF_SECRET_SCRYPT, PF_SECRET_PBKDF2_SHA256, PF_SECRET_PBKDF2_SHA512 };

/* Hash a clear-text password; returns 0 or -1. */
int pf_secret_hash(enum pf_secret_scheme scheme, const char *password, char *out, size_t outlen);
/* Whether password matches a stored hash (constant-time comparison). */
bool pf_secret_verify(const char *stored, const char *password);
/* Whether text looks like a stored hash of one of the schemes. */
bool pf_secret_is_hash(const char *text);

#endif
