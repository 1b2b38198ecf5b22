/*
 * ike_cipher.h -- the phase 1 ciphers of IKEv1 (RFC 2409 Appendix A: DES,
 * 3DES, AES-CBC with 128/192/256-bit keys) for ISAKMP message bodies.
 *
 * ISAKMP encryption is CBC without padding rules beyond "a multiple of the
 * block": the sender pads with zeros (RFC 2408 3.1), the receiver ignores
 * what follows the last payload. The IV of the next message is the last
 * ciphertext block, returned through iv.
 */
#ifndef VPNSH_IKE_CIPHER_H
#define VPNSH_IKE_CIPHER_H

#include <stddef.h>
#include <stdint.h>

/* Encryption algorithm attribute values (RFC 2409 Appendix A). */
enum ike_cipher_alg {
	IKE_CIPHER_DES = 1,
	IKE_CIPHER_3DES = 5,
	IKE_CIPHER_AES = 7,
};

/* Block size (8 or 16) and key length in bytes (keybits 0: the algorithm's
 * fixed length; AES needs 128, 192 or 256); 0 when unknown. */
size_t ike_cipher_block(enum ike_cipher_alg alg);
size_t ike_cipher_keylen(enum ike_cipher_alg alg, unsigned keybits);

/* In place over len bytes (a multiple of the block). iv is the current IV on
 * entry and the next one on return. Returns 0, or -1. */
int ike_cipher_encrypt(enum ike_cipher_alg alg, const uint8_t *key, size_t keylen, uint8_t *iv, uint8_t *buf,
		       size_t len);
int ike_cipher_decrypt(enum ike_cipher_alg alg, const uint8_t *key, size_t keylen, uint8_t *iv, uint8_t *buf,
		       size_t len);

#endif
