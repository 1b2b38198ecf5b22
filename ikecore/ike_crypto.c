/*
 * ike_crypto.c -- RFC 2409 key derivation over OpenSSL EVP (EVP_MD digests,
 * EVP_MAC HMAC). Intermediate key material is wiped before it goes out of
 * scope.
 */
#include "ikecore/ike_crypto.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <string.h>

static const char *ike_md_name(enum ike_hash h)
{
	switch (h) {
	case IKE_HASH_MD5:
		return "MD5";
	case IKE_HASH_SHA1:
		return "SHA1";
	case IKE_HASH_SHA256:
		return "SHA256";
	case IKE_HASH_SHA384:
		return "SHA384";
	case IKE_HASH_SHA512:
		return "SHA512";
	}
	return NULL;
}

size_t ike_hash_len(enum ike_hash h)
{
	switch (h) {
	case IKE_HASH_MD5:
		return 16;
	case IKE_HASH_SHA1:
		return 20;
	case IKE_HASH_SHA256:
		return 32;
	case IKE_HASH_SHA384:
		return 48;
	case IKE_HASH_SHA512:
		return 64;
	}
	return 0;
}

int ike_hash(enum ike_hash h, const struct ike_chunk *c, size_t n, uint8_t *out)
{
	const char *name = ike_md_name(h);
	if (!name)
		return -1;
	EVP_MD *md = EVP_MD_fetch(NULL, name, NULL);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int len = 0;
	int ok = md && ctx && EVP_DigestInit_ex(ctx, md, NULL) == 1;
	for (size_t i = 0; ok && i < n; i++)
		ok = EVP_DigestUpdate(ctx, c[i].p, c[i].len) == 1;
	ok = ok && EVP_DigestFinal_ex(ctx, out, &len) == 1;
	EVP_MD_CTX_free(ctx);
	EVP_MD_free(md);
	return ok ? (int)len : -1;
}

int ike_prf(enum ike_hash h, const uint8_t *key, size_t keylen, const struct ike_chunk *c, size_t n, uint8_t *out)
{
	const char *name = ike_md_name(h);
	if (!name)
		return -1;
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
	OSSL_PARAM params[] = { OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)name, 0),
				OSSL_PARAM_construct_end() };
	size_t len = 0;
	/* HMAC accepts an empty key; OpenSSL wants a non-NULL pointer for it */
	static const uint8_t nokey[1];
	int ok = ctx && EVP_MAC_init(ctx, keylen ? key : nokey, keylen, params) == 1;
	for (size_t i = 0; ok && i < n; i++)
		ok = EVP_MAC_update(ctx, c[i].p, c[i].len) == 1;
	ok = ok && EVP_MAC_final(ctx, out, &len, IKE_MAX_HASH) == 1;
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return ok ? (int)len : -1;
}

int ike_keys_psk(enum ike_hash h, const uint8_t *psk, size_t psklen, struct ike_chunk ni, struct ike_chunk nr,
		 struct ike_chunk gxy, const uint8_t cky_i[8], const uint8_t cky_r[8], struct ike_keys *k)
{
	memset(k, 0, sizeof(*k));
	struct ike_chunk nonces[] = { ni, nr };
	int len = ike_prf(h, psk, psklen, nonces, 2, k->skeyid);
	if (len <= 0)
		return -1;
	k->len = (size_t)len;
	return ike_keys_derive(h, gxy, cky_i, cky_r, k);
}

int ike_keys_derive(enum ike_hash h, struct ike_chunk gxy, const uint8_t cky_i[8], const uint8_t cky_r[8],
		    struct ike_keys *k)
{
	int len = (int)k->len;
	static const uint8_t zero = 0, one = 1, two = 2;
	struct ike_chunk d[] = { gxy, { cky_i, 8 }, { cky_r, 8 }, { &zero, 1 } };
	if (ike_prf(h, k->skeyid, k->len, d, 4, k->skeyid_d) != len)
		return -1;
	struct ike_chunk a[] = { { k->skeyid_d, k->len }, gxy, { cky_i, 8 }, { cky_r, 8 }, { &one, 1 } };
	if (ike_prf(h, k->skeyid, k->len, a, 5, k->skeyid_a) != len)
		return -1;
	struct ike_chunk e[] = { { k->skeyid_a, k->len }, gxy, { cky_i, 8 }, { cky_r, 8 }, { &two, 1 } };
	if (ike_prf(h, k->skeyid, k->len, e, 5, k->skeyid_e) != len)
		return -1;
	return 0;
}

int ike_cipher_key(enum ike_hash h, const struct ike_keys *k, size_t need, uint8_t *out)
{
	if (need <= k->len) {
		memcpy(out, k->skeyid_e, need);
		return 0;
	}
	uint8_t block[IKE_MAX_HASH];
	static const uint8_t zero = 0;
	struct ike_chunk first = { &zero, 1 };
	size_t have = 0;
	int rc = 0;
	while (have < need) {
		struct ike_chunk prev = { block, k->len };
		if (ike_prf(h, k->skeyid_e, k->len, have ? &prev : &first, 1, block) != (int)k->len) {
			rc = -1;
			break;
		}
		size_t take = need - have < k->len ? need - have : k->len;
		memcpy(out + have, block, take);
		have += take;
	}
	OPENSSL_cleanse(block, sizeof(block));
	return rc;
}

int ike_keymat(enum ike_hash h, const struct ike_keys *k, struct ike_chunk gxy_qm, uint8_t protocol,
	       const uint8_t spi[4], struct ike_chunk ni, struct ike_chunk nr, size_t need, uint8_t *out)
{
	uint8_t block[IKE_MAX_HASH];
	size_t have = 0;
	int rc = 0;
	while (have < need) {
		struct ike_chunk c[] = { { block, have ? k->len : 0 }, gxy_qm, { &protocol, 1 }, { spi, 4 }, ni, nr };
		if (ike_prf(h, k->skeyid_d, k->len, c, 6, block) != (int)k->len) {
			rc = -1;
			break;
		}
		size_t take = need - have < k->len ? need - have : k->len;
		memcpy(out + have, block, take);
		have += take;
	}
	OPENSSL_cleanse(block, sizeof(block));
	return rc;
}

int ike_iv_phase1(enum ike_hash h, struct ike_chunk gxi, struct ike_chunk gxr, size_t block, uint8_t *iv)
{
	uint8_t d[IKE_MAX_HASH];
	struct ike_chunk c[] = { gxi, gxr };
	int len = ike_hash(h, c, 2, d);
	if (len < 0 || (size_t)len < block)
		return -1;
	memcpy(iv, d, block);
	return 0;
}

int ike_iv_exchange(enum ike_hash h, const uint8_t *last_block, size_t block, uint32_t msgid, uint8_t *iv)
{
	uint8_t id[4] = { (uint8_t)(msgid >> 24), (uint8_t)(msgid >> 16), (uint8_t)(msgid >> 8), (uint8_t)msgid };
	uint8_t d[IKE_MAX_HASH];
	struct ike_chunk c[] = { { last_block, block }, { id, 4 } };
	int len = ike_hash(h, c, 2, d);
	if (len < 0 || (size_t)len < block)
		return -1;
	memcpy(iv, d, block);
	return 0;
}
