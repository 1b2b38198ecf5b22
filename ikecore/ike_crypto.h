/*
 * ike_crypto.h -- IKEv1 key material (RFC 2409): the PRF and hash of a
 * phase 1 SA, SKEYID and its three children, the encryption key expansion of
 * Appendix B, Quick Mode KEYMAT and the CBC IVs. All through OpenSSL EVP;
 * this is the one place where IKEv1 keys are derived.
 *
 * Inputs are byte strings passed as (pointer, length) chunks that are
 * concatenated in order, as the RFC's formulas are written.
 */
#ifndef VPNSH_IKE_CRYPTO_H
#define VPNSH_IKE_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

/* Hash algorithm attribute values (RFC 2409 Appendix A, RFC 4868 numbering
 * used by Cisco and strongSwan for the SHA-2 family). */
enum ike_hash {
	IKE_HASH_MD5 = 1,
	IKE_HASH_SHA1 = 2,
	IKE_HASH_SHA256 = 4,
	IKE_HASH_SHA384 = 5,
	IKE_HASH_SHA512 = 6,
};

#define IKE_MAX_HASH 64

struct ike_chunk {
	const uint8_t *p;
	size_t len;
};

/* Output length of the hash (and of its HMAC PRF), or 0 if unknown. */
size_t ike_hash_len(enum ike_hash h);
/* hash(chunks...) and prf(key, chunks...) = HMAC; return the length or -1. */
int ike_hash(enum ike_hash h, const struct ike_chunk *c, size_t n, uint8_t *out);
int ike_prf(enum ike_hash h, const uint8_t *key, size_t keylen, const struct ike_chunk *c, size_t n, uint8_t *out);

struct ike_keys {
	size_t len;                     /* the PRF's output length */
	uint8_t skeyid[IKE_MAX_HASH];
	uint8_t skeyid_d[IKE_MAX_HASH];
	uint8_t skeyid_a[IKE_MAX_HASH];
	uint8_t skeyid_e[IKE_MAX_HASH];
};

/* SKEYID = prf(PSK, Ni_b | Nr_b), then SKEYID_d, _a, _e from g^xy and the
 * cookies. g^xy must already be padded to the group's length. */
int ike_keys_psk(enum ike_hash h, const uint8_t *psk, size_t psklen, struct ike_chunk ni, struct ike_chunk nr,
		 struct ike_chunk gxy, const uint8_t cky_i[8], const uint8_t cky_r[8], struct ike_keys *k);
/* SKEYID_d, _a, _e from an SKEYID already in k (k->skeyid, k->len). */
int ike_keys_derive(enum ike_hash h, struct ike_chunk gxy, const uint8_t cky_i[8], const uint8_t cky_r[8],
		    struct ike_keys *k);

/* The cipher key from SKEYID_e: as is when long enough, else expanded
 * K1 = prf(SKEYID_e, 0), K2 = prf(SKEYID_e, K1), ... (Appendix B). */
int ike_cipher_key(enum ike_hash h, const struct ike_keys *k, size_t need, uint8_t *out);

/* Quick Mode KEYMAT for one direction (the SPI its receiver chose):
 * K1 = prf(SKEYID_d, [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b),
 * Kn = prf(SKEYID_d, Kn-1 | [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b). */
int ike_keymat(enum ike_hash h, const struct ike_keys *k, struct ike_chunk gxy_qm, uint8_t protocol,
	       const uint8_t spi[4], struct ike_chunk ni, struct ike_chunk nr, size_t need, uint8_t *out);

/* Phase 1 IV = hash(g^xi | g^xr); a new exchange's IV = hash(last phase 1
 * CBC block | M-ID). Both cut to the cipher's block size. */
int ike_iv_phase1(enum ike_hash h, struct ike_chunk gxi, struct ike_chunk gxr, size_t block, uint8_t *iv);
int ike_iv_exchange(enum ike_hash h, const uint8_t *last_block, size_t block, uint32_t msgid, uint8_t *iv);

#endif
