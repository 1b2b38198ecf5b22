/*
 * dp_esp.c -- ESP sealing and opening, and the anti-replay window (see
 * dp_esp.h).
 *
 * Packet layout (RFC 4303 2):
 *   SPI(4) | sequence(4) | IV | inner packet | padding | pad length | next header | ICV
 * The IV, inner packet, padding and the two trailer bytes are encrypted;
 * the ICV covers everything before it (CBC with HMAC), or GCM authenticates
 * SPI and sequence as additional data (RFC 4106 5).
 */
#include "dataplane/dp_esp.h"
#include "dataplane/dp_bytes.h"
#include "platform/pf_crypto.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

static const char *dp_esp_cipher_name(enum dp_enc enc, size_t key_len)
{
	switch (enc) {
	case DP_ENC_DES_CBC:
		return key_len == 8 ? "DES-CBC" : NULL;
	case DP_ENC_3DES_CBC:
		return key_len == 24 ? "DES-EDE3-CBC" : NULL;
	case DP_ENC_AES_CBC:
		return key_len == 16 ? "AES-128-CBC" : key_len == 24 ? "AES-192-CBC" : key_len == 32 ? "AES-256-CBC" : NULL;
	case DP_ENC_AES_GCM16:
		return key_len == 16 ? "AES-128-GCM" : key_len == 24 ? "AES-192-GCM" : key_len == 32 ? "AES-256-GCM" : NULL;
	case DP_ENC_NULL:
		break;
	}
	return NULL;
}

int dp_esp_keys_init(struct dp_esp_keys *k, const struct dp_sa *sa, char *why, size_t whylen)
{
	memset(k, 0, sizeof(*k));
	k->enc = sa->enc;
	k->auth = sa->auth;
	size_t key_len = sa->enc_key_len;
	if (sa->enc == DP_ENC_AES_GCM16) {
		if (key_len < 4 + 16 || sa->auth != DP_AUTH_NONE) {
			snprintf(why, whylen, "AES-GCM needs a 20, 28 or 36-byte key and no separate integrity algorithm");
			return -1;
		}
		key_len -= 4;
		memcpy(k->salt, sa->enc_key + key_len, 4);
	}
	if (key_len > sizeof(k->key)) {
		snprintf(why, whylen, "encryption key of %zu bytes is too long", key_len);
		return -1;
	}
	k->key_len = key_len;
	memcpy(k->key, sa->enc_key, key_len);
	k->block = 4; /* the payload is aligned to 4 bytes whatever the cipher */
	if (sa->enc != DP_ENC_NULL) {
		const char *name = dp_esp_cipher_name(sa->enc, key_len);
		k->cipher = name ? pf_cipher_fetch(name) : NULL;
		if (!k->cipher) {
			snprintf(why, whylen, "cipher %s with a %zu-byte key is not available", dp_enc_name(sa->enc),
				 key_len);
			return -1;
		}
		if (sa->enc == DP_ENC_AES_GCM16) {
			k->iv_len = 8;
			k->icv_len = 16;
		} else {
			k->block = (size_t)EVP_CIPHER_get_block_size(k->cipher);
			k->iv_len = (size_t)EVP_CIPHER_get_iv_length(k->cipher);
		}
	}
	static const struct {
		enum dp_auth auth;
		const char *digest;
		size_t icv;
	} macs[] = {
		{ DP_AUTH_HMAC_MD5_96, "MD5", 12 },         { DP_AUTH_HMAC_SHA1_96, "SHA1", 12 },
		{ DP_AUTH_HMAC_SHA256_128, "SHA256", 16 }, { DP_AUTH_HMAC_SHA384_192, "SHA384", 24 },
		{ DP_AUTH_HMAC_SHA512_256, "SHA512", 32 },
	};
	for (size_t i = 0; i < sizeof(macs) / sizeof(macs[0]); i++)
		if (macs[i].auth == sa->auth) {
			k->digest = macs[i].digest;
			k->icv_len = macs[i].icv;
			k->mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
		}
	if (sa->auth != DP_AUTH_NONE && !k->mac) {
		dp_esp_keys_free(k);
		snprintf(why, whylen, "integrity algorithm %s is not available", dp_auth_name(sa->auth));
		return -1;
	}
	if (sa->auth_key_len > sizeof(k->auth_key)) {
		dp_esp_keys_free(k);
		snprintf(why, whylen, "integrity key of %zu bytes is too long", sa->auth_key_len);
		return -1;
	}
	k->auth_key_len = sa->auth_key_len;
	memcpy(k->auth_key, sa->auth_key, sa->auth_key_len);
	return 0;
}

void dp_esp_keys_free(struct dp_esp_keys *k)
{
	EVP_CIPHER_free(k->cipher);
	EVP_MAC_free(k->mac);
	OPENSSL_cleanse(k, sizeof(*k));
}

int dp_esp_ctx_init(struct dp_esp_ctx *c, const struct dp_esp_keys *k, bool encrypt)
{
	memset(c, 0, sizeof(*c));
	c->encrypt = encrypt;
	if (k->cipher) {
		c->cipher = EVP_CIPHER_CTX_new();
		if (!c->cipher || EVP_CipherInit_ex2(c->cipher, k->cipher, k->key, NULL, encrypt, NULL) != 1)
			goto fail;
		/* CBC: no padding of EVP's own (ESP pads), nor a last block held
		 * back when opening. Not for GCM, a stream: set, the flag would
		 * cost a parameter call on every packet's new IV */
		if (k->enc != DP_ENC_AES_GCM16)
			EVP_CIPHER_CTX_set_padding(c->cipher, 0);
	}
	if (k->mac) {
		OSSL_PARAM params[] = { OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)k->digest, 0),
					OSSL_PARAM_construct_end() };
		c->mac = EVP_MAC_CTX_new(k->mac);
		if (!c->mac || EVP_MAC_init(c->mac, k->auth_key, k->auth_key_len, params) != 1)
			goto fail;
	}
	return 0;
fail:
	dp_esp_ctx_free(c);
	return -1;
}

void dp_esp_ctx_free(struct dp_esp_ctx *c)
{
	EVP_CIPHER_CTX_free(c->cipher);
	EVP_MAC_CTX_free(c->mac);
	memset(c, 0, sizeof(*c));
}

static size_t dp_esp_padded(const struct dp_esp_keys *k, size_t len)
{
	size_t block = k->block < 4 ? 4 : k->block;
	return (len + 2 + block - 1) / block * block;
}

size_t dp_esp_overhead(const struct dp_esp_keys *k, size_t len)
{
	return DP_ESP_HDR + k->iv_len + (dp_esp_padded(k, len) - len) + k->icv_len;
}

/* The HMAC of data, truncated to the ICV length, into icv. */
static int dp_esp_hmac(const struct dp_esp_keys *k, struct dp_esp_ctx *c, const uint8_t *data, size_t len,
		       uint8_t *icv)
{
	uint8_t full[EVP_MAX_MD_SIZE];
	size_t out = 0;
	/* re-initialising with no key keeps the key already set */
	if (EVP_MAC_init(c->mac, NULL, 0, NULL) != 1 || EVP_MAC_update(c->mac, data, len) != 1 ||
	    EVP_MAC_final(c->mac, full, &out, sizeof(full)) != 1 || out < k->icv_len)
		return DP_ESP_ECRYPTO;
	memcpy(icv, full, k->icv_len);
	return 0;
}

/* GCM's 12-byte nonce: the salt, then the explicit IV. */
static int dp_esp_gcm_start(const struct dp_esp_keys *k, struct dp_esp_ctx *c, const uint8_t *esp, int enc)
{
	uint8_t nonce[12];
	memcpy(nonce, k->salt, 4);
	memcpy(nonce + 4, esp + DP_ESP_HDR, 8);
	int outl;
	if (EVP_CipherInit_ex2(c->cipher, NULL, NULL, nonce, enc, NULL) != 1 ||
	    EVP_CipherUpdate(c->cipher, NULL, &outl, esp, DP_ESP_HDR) != 1)
		return DP_ESP_ECRYPTO;
	return 0;
}

/* The 16-byte tag, read after sealing or set before opening's final
 * check: straight as the provider's parameter, which spares EVP's control
 * call translating itself into one, on every packet. */
static int dp_esp_gcm_tag(struct dp_esp_ctx *c, uint8_t *icv, bool set)
{
	OSSL_PARAM p[] = { OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, icv, 16),
			   OSSL_PARAM_construct_end() };
	int ok = set ? EVP_CIPHER_CTX_set_params(c->cipher, p) : EVP_CIPHER_CTX_get_params(c->cipher, p);
	return ok == 1 ? 0 : DP_ESP_ECRYPTO;
}

int dp_esp_seal(const struct dp_esp_keys *k, struct dp_esp_ctx *c, uint32_t spi, uint32_t seq, uint8_t *inner,
		size_t len, uint8_t **esp_out)
{
	size_t padded = dp_esp_padded(k, len);
	uint8_t pad = (uint8_t)(padded - len - 2);
	for (uint8_t i = 0; i < pad; i++)
		inner[len + i] = (uint8_t)(i + 1); /* RFC 4303 2.4: 1, 2, 3, ... */
	inner[padded - 2] = pad;
	inner[padded - 1] = DP_ESP_NH_IPV4;
	uint8_t *esp = inner - k->iv_len - DP_ESP_HDR;
	dp_put32(esp, spi);
	dp_put32(esp + 4, seq);
	uint8_t *iv = esp + DP_ESP_HDR, *icv = inner + padded;
	int outl;
	if (k->enc == DP_ENC_AES_GCM16) {
		/* a counter IV is unique per packet under a key (RFC 4106 3.1) */
		memset(iv, 0, 4);
		dp_put32(iv + 4, seq);
		if (dp_esp_gcm_start(k, c, esp, 1) < 0 || EVP_CipherUpdate(c->cipher, inner, &outl, inner, (int)padded) != 1 ||
		    EVP_CipherFinal_ex(c->cipher, inner + outl, &outl) != 1 || dp_esp_gcm_tag(c, icv, false) < 0)
			return DP_ESP_ECRYPTO;
	} else {
		if (k->cipher) {
			if (RAND_bytes(iv, (int)k->iv_len) != 1 ||
			    EVP_CipherInit_ex2(c->cipher, NULL, NULL, iv, 1, NULL) != 1 ||
			    EVP_CipherUpdate(c->cipher, inner, &outl, inner, (int)padded) != 1)
				return DP_ESP_ECRYPTO;
		}
		if (k->mac && dp_esp_hmac(k, c, esp, DP_ESP_HDR + k->iv_len + padded, icv) < 0)
			return DP_ESP_ECRYPTO;
	}
	*esp_out = esp;
	return (int)(DP_ESP_HDR + k->iv_len + padded + k->icv_len);
}

int dp_esp_open(const struct dp_esp_keys *k, struct dp_esp_ctx *c, uint8_t *esp, size_t len, uint8_t **inner,
		size_t *inner_len, uint8_t *next)
{
	size_t block = k->block < 4 ? 4 : k->block;
	if (len < DP_ESP_HDR + k->iv_len + k->icv_len + block)
		return DP_ESP_ETRUNC;
	size_t ct_len = len - DP_ESP_HDR - k->iv_len - k->icv_len;
	if (ct_len % block)
		return DP_ESP_ETRUNC;
	uint8_t *iv = esp + DP_ESP_HDR, *pt = iv + k->iv_len, *icv = pt + ct_len;
	int outl;
	if (k->enc == DP_ENC_AES_GCM16) {
		if (dp_esp_gcm_start(k, c, esp, 0) < 0 || EVP_CipherUpdate(c->cipher, pt, &outl, pt, (int)ct_len) != 1 ||
		    dp_esp_gcm_tag(c, icv, true) < 0)
			return DP_ESP_ECRYPTO;
		if (EVP_CipherFinal_ex(c->cipher, pt + outl, &outl) != 1)
			return DP_ESP_EAUTH;
	} else {
		if (k->mac) {
			uint8_t want[DP_ESP_MAX_ICV];
			if (dp_esp_hmac(k, c, esp, len - k->icv_len, want) < 0)
				return DP_ESP_ECRYPTO;
			if (CRYPTO_memcmp(want, icv, k->icv_len) != 0)
				return DP_ESP_EAUTH;
		}
		if (k->cipher && (EVP_CipherInit_ex2(c->cipher, NULL, NULL, iv, 0, NULL) != 1 ||
				  EVP_CipherUpdate(c->cipher, pt, &outl, pt, (int)ct_len) != 1))
			return DP_ESP_ECRYPTO;
	}
	uint8_t pad = pt[ct_len - 2];
	if ((size_t)pad + 2 > ct_len)
		return DP_ESP_EPAD;
	for (uint8_t i = 0; i < pad; i++)
		if (pt[ct_len - 2 - pad + i] != (uint8_t)(i + 1))
			return DP_ESP_EPAD;
	*next = pt[ct_len - 1];
	*inner = pt;
	*inner_len = ct_len - 2 - pad;
	return 0;
}

/* ---- the anti-replay window ---- */

void dp_replay_init(struct dp_replay *r, uint32_t size)
{
	memset(r, 0, sizeof(*r));
	r->size = size > DP_REPLAY_MAX ? DP_REPLAY_MAX : size;
}

static bool dp_replay_seen(const struct dp_replay *r, uint32_t off)
{
	return (r->bits[off / 64] >> (off % 64)) & 1;
}

bool dp_replay_check(const struct dp_replay *r, uint32_t seq)
{
	if (seq == 0)
		return false; /* the first packet carries 1 */
	if (r->size == 0 || seq > r->top)
		return true;
	uint32_t off = r->top - seq;
	return off < r->size && !dp_replay_seen(r, off);
}

/* Slide the window up by n: bit i becomes bit i + n. */
static void dp_replay_shift(struct dp_replay *r, uint32_t n)
{
	size_t words = (r->size + 63) / 64;
	if (n >= r->size) {
		memset(r->bits, 0, sizeof(r->bits));
		return;
	}
	size_t ws = n / 64, bs = n % 64;
	for (size_t i = words; i-- > 0;) {
		uint64_t v = 0;
		if (i >= ws) {
			v = r->bits[i - ws] << bs;
			if (bs && i >= ws + 1)
				v |= r->bits[i - ws - 1] >> (64 - bs);
		}
		r->bits[i] = v;
	}
}

bool dp_replay_update(struct dp_replay *r, uint32_t seq)
{
	if (!dp_replay_check(r, seq))
		return false;
	if (r->size == 0) {
		if (seq > r->top)
			r->top = seq;
		return true;
	}
	if (seq > r->top) {
		dp_replay_shift(r, seq - r->top);
		r->top = seq;
	}
	uint32_t off = r->top - seq;
	r->bits[off / 64] |= 1ull << (off % 64);
	return true;
}
