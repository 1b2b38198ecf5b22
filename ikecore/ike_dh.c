/*
 * ike_dh.c -- IKE Diffie-Hellman over OpenSSL 3.
 *
 * OpenSSL names most of the IKE groups (RFC 3526 MODP as modp_*, RFC 5114 as
 * dh_2048_256, the NIST curves); the two Oakley groups of RFC 2409 it does
 * not name are given by their primes (generator 2). A peer's public value is
 * checked by OpenSSL when it is set as the peer key (range and, for ECP, that
 * the point is on the curve).
 */
#include "ikecore/ike_dh.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/dh.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <stdlib.h>
#include <string.h>

/* RFC 2409 6.1: the first Oakley group, 768 bits */
static const char ike_oakley1_p[] =
	"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
	"020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
	"4FE1356D6D51C245E485B576625E7EC6F44C42E9A63A3620FFFFFFFFFFFFFFFF";
/* RFC 2409 6.2: the second Oakley group, 1024 bits */
static const char ike_oakley2_p[] =
	"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
	"020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
	"4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF";

struct ike_group {
	int id;
	const char *type;   /* "DH" or "EC" */
	const char *name;   /* OpenSSL group name, or NULL for an explicit prime */
	const char *prime;  /* hex, for the unnamed Oakley groups */
	size_t len;         /* public value length */
	size_t secret_len;  /* g^xy length */
};

static const struct ike_group ike_groups[] = {
	{ 1, "DH", NULL, ike_oakley1_p, 96, 96 },
	{ 2, "DH", NULL, ike_oakley2_p, 128, 128 },
	{ 5, "DH", "modp_1536", NULL, 192, 192 },
	{ 14, "DH", "modp_2048", NULL, 256, 256 },
	{ 15, "DH", "modp_3072", NULL, 384, 384 },
	{ 16, "DH", "modp_4096", NULL, 512, 512 },
	{ 24, "DH", "dh_2048_256", NULL, 256, 256 },
	{ 19, "EC", "P-256", NULL, 64, 32 },
	{ 20, "EC", "P-384", NULL, 96, 48 },
	{ 21, "EC", "P-521", NULL, 132, 66 },
};

struct ike_dh {
	const struct ike_group *g;
	EVP_PKEY *key;
};

static const struct ike_group *ike_group_find(int id)
{
	for (size_t i = 0; i < sizeof(ike_groups) / sizeof(ike_groups[0]); i++)
		if (ike_groups[i].id == id)
			return &ike_groups[i];
	return NULL;
}

size_t ike_dh_public_len(int group)
{
	const struct ike_group *g = ike_group_find(group);
	return g ? g->len : 0;
}

int ike_dh_group(const struct ike_dh *dh)
{
	return dh->g->id;
}

/* The domain parameters as OSSL_PARAMs, optionally with a public value
 * (pub: a BIGNUM for DH, an encoded point for EC). */
static OSSL_PARAM *ike_dh_params(const struct ike_group *g, BIGNUM **p, BIGNUM **gen, const BIGNUM *pub_bn,
				 const uint8_t *pub_pt, size_t pub_ptlen)
{
	OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
	if (!b)
		return NULL;
	int ok = 1;
	if (g->name) {
		ok = OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, g->name, 0);
	} else {
		*p = NULL;
		*gen = BN_new();
		ok = BN_hex2bn(p, g->prime) > 0 && *gen && BN_set_word(*gen, 2) &&
		     OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_FFC_P, *p) &&
		     OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_FFC_G, *gen);
	}
	if (ok && pub_bn)
		ok = OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_PUB_KEY, pub_bn);
	if (ok && pub_pt)
		ok = OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, pub_pt, pub_ptlen);
	OSSL_PARAM *params = ok ? OSSL_PARAM_BLD_to_param(b) : NULL;
	OSSL_PARAM_BLD_free(b);
	return params;
}

static EVP_PKEY *ike_dh_fromdata(const struct ike_group *g, int selection, const BIGNUM *pub_bn,
				 const uint8_t *pub_pt, size_t pub_ptlen)
{
	BIGNUM *p = NULL, *gen = NULL;
	OSSL_PARAM *params = ike_dh_params(g, &p, &gen, pub_bn, pub_pt, pub_ptlen);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, g->type, NULL);
	EVP_PKEY *key = NULL;
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) != 1 || EVP_PKEY_fromdata(ctx, &key, selection, params) != 1)
		key = NULL;
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	BN_free(p);
	BN_free(gen);
	return key;
}

struct ike_dh *ike_dh_new(int group)
{
	const struct ike_group *g = ike_group_find(group);
	if (!g)
		return NULL;
	struct ike_dh *dh = calloc(1, sizeof(*dh));
	if (!dh)
		return NULL;
	dh->g = g;
	EVP_PKEY *domain = ike_dh_fromdata(g, EVP_PKEY_KEY_PARAMETERS, NULL, NULL, 0);
	EVP_PKEY_CTX *ctx = domain ? EVP_PKEY_CTX_new_from_pkey(NULL, domain, NULL) : NULL;
	if (!ctx || EVP_PKEY_keygen_init(ctx) != 1 || EVP_PKEY_generate(ctx, &dh->key) != 1)
		dh->key = NULL;
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(domain);
	if (!dh->key) {
		free(dh);
		return NULL;
	}
	return dh;
}

void ike_dh_free(struct ike_dh *dh)
{
	if (!dh)
		return;
	EVP_PKEY_free(dh->key);
	free(dh);
}

size_t ike_dh_public(const struct ike_dh *dh, uint8_t *out, size_t outlen)
{
	if (outlen < dh->g->len)
		return 0;
	if (strcmp(dh->g->type, "EC") == 0) {
		uint8_t pt[1 + IKE_DH_MAX];
		size_t n = 0;
		if (EVP_PKEY_get_octet_string_param(dh->key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, pt, sizeof(pt), &n) != 1 ||
		    n != dh->g->len + 1 || pt[0] != 0x04)
			return 0;
		memcpy(out, pt + 1, dh->g->len); /* x | y, without the uncompressed-point marker */
		return dh->g->len;
	}
	BIGNUM *pub = NULL;
	if (EVP_PKEY_get_bn_param(dh->key, OSSL_PKEY_PARAM_PUB_KEY, &pub) != 1)
		return 0;
	int n = BN_bn2binpad(pub, out, (int)dh->g->len);
	BN_free(pub);
	return n == (int)dh->g->len ? dh->g->len : 0;
}

int ike_dh_shared(struct ike_dh *dh, const uint8_t *peer, size_t peerlen, uint8_t *out, size_t outlen)
{
	const struct ike_group *g = dh->g;
	if (peerlen != g->len || outlen < g->secret_len)
		return -1;
	EVP_PKEY *pk;
	if (strcmp(g->type, "EC") == 0) {
		uint8_t pt[1 + IKE_DH_MAX];
		pt[0] = 0x04;
		memcpy(pt + 1, peer, peerlen);
		pk = ike_dh_fromdata(g, EVP_PKEY_PUBLIC_KEY, NULL, pt, peerlen + 1);
	} else {
		BIGNUM *bn = BN_bin2bn(peer, (int)peerlen, NULL);
		pk = bn ? ike_dh_fromdata(g, EVP_PKEY_PUBLIC_KEY, bn, NULL, 0) : NULL;
		BN_free(bn);
	}
	EVP_PKEY_CTX *ctx = pk ? EVP_PKEY_CTX_new_from_pkey(NULL, dh->key, NULL) : NULL;
	size_t n = outlen;
	int rc = -1;
	/* derive_set_peer_ex with validation: a value outside the group fails here */
	if (ctx && EVP_PKEY_derive_init(ctx) == 1 && EVP_PKEY_derive_set_peer_ex(ctx, pk, 1) == 1 &&
	    (strcmp(g->type, "EC") == 0 || EVP_PKEY_CTX_set_dh_pad(ctx, 1) == 1) && EVP_PKEY_derive(ctx, out, &n) == 1 &&
	    n == g->secret_len)
		rc = (int)n;
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pk);
	return rc;
}
