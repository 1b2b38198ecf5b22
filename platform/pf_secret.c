/*
 * pf_secret.c -- KDF-based password hashes in the devices' textual forms.
 *
 * All primitives come from OpenSSL 3 (EVP_KDF for scrypt and PBKDF2, EVP for
 * MD5); salts from RAND_bytes. Cisco's type 8/9 hashes use a base64 with the
 * crypt alphabet "./0-9A-Za-z"; the ASA form uses standard base64.
 */
#include "platform/pf_secret.h"

#include <crypt.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char pf_crypt64[] = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/* Base64 in the crypt alphabet, big-endian bit order, no padding. */
static void pf_crypt64_encode(const unsigned char *in, size_t n, char *out)
{
	size_t o = 0;
	unsigned long acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			out[o++] = pf_crypt64[(acc >> bits) & 0x3f];
		}
	}
	if (bits > 0)
		out[o++] = pf_crypt64[(acc << (6 - bits)) & 0x3f];
	out[o] = '\0';
}

static void pf_salt_chars(char *out, size_t n)
{
	unsigned char r[32];
	RAND_bytes(r, (int)n);
	for (size_t i = 0; i < n; i++)
		out[i] = pf_crypt64[r[i] & 0x3f];
	out[n] = '\0';
}

static int pf_kdf(const char *name, const char *digest, unsigned iter, const char *pw, const unsigned char *salt,
		  size_t saltlen, unsigned char *out, size_t outlen)
{
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, name, NULL);
	if (!kdf)
		return -1;
	EVP_KDF_CTX *ctx = EVP_KDF_CTX_new(kdf);
	EVP_KDF_free(kdf);
	if (!ctx)
		return -1;
	OSSL_PARAM params[7], *p = params;
	uint64_t n = 16384;
	uint32_t r = 1, par = 1;
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, (void *)pw, strlen(pw));
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, saltlen);
	if (strcmp(name, "SCRYPT") == 0) {
		*p++ = OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n);
		*p++ = OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r);
		*p++ = OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &par);
	} else {
		*p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)digest, 0);
		*p++ = OSSL_PARAM_construct_uint(OSSL_KDF_PARAM_ITER, &iter);
	}
	*p = OSSL_PARAM_construct_end();
	int rc = EVP_KDF_derive(ctx, out, outlen, params) == 1 ? 0 : -1;
	EVP_KDF_CTX_free(ctx);
	return rc;
}

/* $9$ and $8$: 14 salt characters, 32-byte key. */
static int pf_cisco_hash(const char *type, const char *pw, const char *salt, char *out, size_t outlen)
{
	unsigned char key[32];
	char enc[64];
	int rc = strcmp(type, "9") == 0
			 ? pf_kdf("SCRYPT", NULL, 0, pw, (const unsigned char *)salt, strlen(salt), key, sizeof(key))
			 : pf_kdf("PBKDF2", "SHA256", 20000, pw, (const unsigned char *)salt, strlen(salt), key,
				  sizeof(key));
	if (rc < 0)
		return -1;
	pf_crypt64_encode(key, sizeof(key), enc);
	return snprintf(out, outlen, "$%s$%s$%s", type, salt, enc) < (int)outlen ? 0 : -1;
}

static int pf_asa_hash(const char *pw, const unsigned char *salt, size_t saltlen, char *out, size_t outlen)
{
	unsigned char key[16];
	unsigned char s64[64], k64[64];
	if (pf_kdf("PBKDF2", "SHA512", 5000, pw, salt, saltlen, key, sizeof(key)) < 0)
		return -1;
	EVP_EncodeBlock(s64, salt, (int)saltlen);
	EVP_EncodeBlock(k64, key, sizeof(key));
	return snprintf(out, outlen, "$sha512$5000$%s$%s", s64, k64) < (int)outlen ? 0 : -1;
}

int pf_secret_hash(enum pf_secret_scheme scheme, const char *password, char *out, size_t outlen)
{
	char salt[16];
	switch (scheme) {
	case PF_SECRET_SCRYPT:
		pf_salt_chars(salt, 14);
		return pf_cisco_hash("9", password, salt, out, outlen);
	case PF_SECRET_PBKDF2_SHA256:
		pf_salt_chars(salt, 14);
		return pf_cisco_hash("8", password, salt, out, outlen);
	case PF_SECRET_PBKDF2_SHA512: {
		unsigned char raw[16];
		if (RAND_bytes(raw, sizeof(raw)) != 1)
			return -1;
		return pf_asa_hash(password, raw, sizeof(raw), out, outlen);
	}
	}
	return -1;
}

/* The PIX `encrypted` form: MD5 of the password padded to 16 bytes, every
 * fourth byte dropped, in the crypt alphabet, low bits first. */
static void pf_pix_hash(const char *pw, char out[17])
{
	unsigned char buf[16] = { 0 }, md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	size_t n = strlen(pw);
	memcpy(buf, pw, n > 16 ? 16 : n);
	EVP_Digest(buf, sizeof(buf), md, &mdlen, EVP_md5(), NULL);
	int o = 0;
	for (int i = 0; i < 16; i += 4) {
		unsigned long v = md[i] | (unsigned long)md[i + 1] << 8 | (unsigned long)md[i + 2] << 16;
		for (int k = 0; k < 4; k++, v >>= 6)
			out[o++] = pf_crypt64[v & 0x3f];
	}
	out[o] = '\0';
}

static bool pf_equal(const char *a, const char *b)
{
	size_t n = strlen(a);
	return n == strlen(b) && CRYPTO_memcmp(a, b, n) == 0;
}

bool pf_secret_verify(const char *stored, const char *password)
{
	char calc[256];
	if (strncmp(stored, "$9$", 3) == 0 || strncmp(stored, "$8$", 3) == 0) {
		char salt[32];
		const char *end = strchr(stored + 3, '$');
		if (!end || (size_t)(end - stored - 3) >= sizeof(salt))
			return false;
		snprintf(salt, sizeof(salt), "%.*s", (int)(end - stored - 3), stored + 3);
		char type[2] = { stored[1], 0 };
		return pf_cisco_hash(type, password, salt, calc, sizeof(calc)) == 0 && pf_equal(calc, stored);
	}
	if (strncmp(stored, "$sha512$5000$", 13) == 0) {
		const char *s = stored + 13, *end = strchr(s, '$');
		unsigned char salt[64];
		if (!end || end - s > 88 || end - s < 4)
			return false;
		int n = EVP_DecodeBlock(salt, (const unsigned char *)s, (int)(end - s));
		if (n < 0)
			return false;
		while (n > 0 && end[-1] == '=' && s < end)
			n--, end--; /* EVP_DecodeBlock counts padding bytes */
		return pf_asa_hash(password, salt, (size_t)n, calc, sizeof(calc)) == 0 && pf_equal(calc, stored);
	}
	if (strncmp(stored, "$1$", 3) == 0) {
		struct crypt_data cd;
		memset(&cd, 0, sizeof(cd));
		const char *c = crypt_r(password, stored, &cd);
		return c && pf_equal(c, stored);
	}
	if (strncmp(stored, "pix:", 4) == 0) {
		char h[17];
		pf_pix_hash(password, h);
		return pf_equal(h, stored + 4);
	}
	return false;
}

bool pf_secret_is_hash(const char *text)
{
	return strncmp(text, "$9$", 3) == 0 || strncmp(text, "$8$", 3) == 0 || strncmp(text, "$1$", 3) == 0 ||
	       strncmp(text, "$sha512$", 8) == 0;
}
