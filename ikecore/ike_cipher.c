/*
 * ike_cipher.c -- CBC over OpenSSL EVP with padding off (ISAKMP pads with
 * zeros itself). Single DES lives in OpenSSL 3's legacy provider; it is
 * loaded on first use, and DES is simply unavailable when that fails.
 */
#include "ikecore/ike_cipher.h"
#include "platform/pf_crypto.h"

#include <openssl/evp.h>
#include <string.h>

size_t ike_cipher_block(enum ike_cipher_alg alg)
{
	switch (alg) {
	case IKE_CIPHER_DES:
	case IKE_CIPHER_3DES:
		return 8;
	case IKE_CIPHER_AES:
		return 16;
	}
	return 0;
}

size_t ike_cipher_keylen(enum ike_cipher_alg alg, unsigned keybits)
{
	switch (alg) {
	case IKE_CIPHER_DES:
		return 8;
	case IKE_CIPHER_3DES:
		return 24;
	case IKE_CIPHER_AES:
		return keybits == 128 || keybits == 192 || keybits == 256 ? keybits / 8 : 0;
	}
	return 0;
}

static const char *ike_cipher_name(enum ike_cipher_alg alg, size_t keylen)
{
	switch (alg) {
	case IKE_CIPHER_DES:
		return "DES-CBC";
	case IKE_CIPHER_3DES:
		return "DES-EDE3-CBC";
	case IKE_CIPHER_AES:
		return keylen == 16 ? "AES-128-CBC" : keylen == 24 ? "AES-192-CBC" : keylen == 32 ? "AES-256-CBC" : NULL;
	}
	return NULL;
}

static int ike_cipher_run(enum ike_cipher_alg alg, const uint8_t *key, size_t keylen, uint8_t *iv, uint8_t *buf,
			  size_t len, int enc)
{
	size_t block = ike_cipher_block(alg);
	const char *name = ike_cipher_name(alg, keylen);
	if (!block || !name || len % block != 0 || (alg != IKE_CIPHER_AES && keylen != ike_cipher_keylen(alg, 0)))
		return -1; /* AES key lengths are checked by the name lookup */
	EVP_CIPHER *c = pf_cipher_fetch(name);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	uint8_t next_iv[16]; /* decrypting, the last input block: saved before it is overwritten */
	if (len >= block)
		memcpy(next_iv, buf + len - block, block);
	int outl = 0, ok = c && ctx && EVP_CipherInit_ex2(ctx, c, key, iv, enc, NULL) == 1 &&
			   EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
			   EVP_CipherUpdate(ctx, buf, &outl, buf, (int)len) == 1 && (size_t)outl == len;
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(c);
	if (!ok)
		return -1;
	/* the next IV is the last ciphertext block, on both sides */
	if (len >= block)
		memcpy(iv, enc ? buf + len - block : next_iv, block);
	return 0;
}

int ike_cipher_encrypt(enum ike_cipher_alg alg, const uint8_t *key, size_t keylen, uint8_t *iv, uint8_t *buf,
		       size_t len)
{
	return ike_cipher_run(alg, key, keylen, iv, buf, len, 1);
}

int ike_cipher_decrypt(enum ike_cipher_alg alg, const uint8_t *key, size_t keylen, uint8_t *iv, uint8_t *buf,
		       size_t len)
{
	return ike_cipher_run(alg, key, keylen, iv, buf, len, 0);
}
