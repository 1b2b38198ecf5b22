/*
 * dp_esp.h -- ESP (RFC 4303) packet protection for the userspace
 * dataplane: sealing an inner IPv4 packet into an ESP payload and opening
 * one, in place, and the anti-replay window.
 *
 * An SA's keys (struct dp_esp_keys) are set once and read by every thread;
 * each thread has its own cipher and MAC contexts (struct dp_esp_ctx), keyed
 * once, so that a packet costs only an IV and the data: no key schedule, no
 * allocation, no lock.
 *
 * Transforms: NULL, DES, 3DES and AES in CBC mode with HMAC-MD5-96,
 * HMAC-SHA1-96 or HMAC-SHA2 (RFC 4868 truncations), and AES-GCM with a
 * 16-byte ICV (RFC 4106: 4-byte salt from the keying material, 8-byte
 * explicit IV, SPI and sequence number as additional authenticated data).
 */
#ifndef VPNSH_DP_ESP_H
#define VPNSH_DP_ESP_H

#include "dataplane/dp.h"

#include <openssl/evp.h>

#define DP_ESP_HDR       8     /* SPI + sequence number */
#define DP_ESP_MAX_IV    16
#define DP_ESP_MAX_ICV   32
/* room a sealed packet needs before and after the inner packet */
#define DP_ESP_HEADROOM  (DP_ESP_HDR + DP_ESP_MAX_IV)
#define DP_ESP_TAILROOM  (16 + 2 + DP_ESP_MAX_ICV)

/* next header values of the ESP trailer */
#define DP_ESP_NH_IPV4   4
#define DP_ESP_NH_DUMMY  59    /* RFC 4303 2.6: a dummy packet, discarded */

enum dp_esp_err {
	DP_ESP_OK = 0,
	DP_ESP_ETRUNC = -1,    /* shorter than header, IV, a block and ICV, or not a whole number of blocks */
	DP_ESP_EAUTH = -2,     /* the ICV does not verify */
	DP_ESP_EPAD = -3,      /* padding length or contents wrong */
	DP_ESP_ECRYPTO = -4,   /* the cipher library failed */
};

struct dp_esp_keys {
	enum dp_enc enc;
	enum dp_auth auth;
	EVP_CIPHER *cipher;        /* NULL for the NULL cipher */
	EVP_MAC *mac;              /* HMAC; NULL for none and for GCM */
	const char *digest;        /* the HMAC's digest */
	size_t key_len, iv_len, block, icv_len;
	uint8_t key[32];
	uint8_t salt[4];           /* GCM */
	uint8_t auth_key[64];
	size_t auth_key_len;
};

struct dp_esp_ctx {
	EVP_CIPHER_CTX *cipher;
	EVP_MAC_CTX *mac;
	bool encrypt;
};

/* Keys of an SA from its description; -1 with why for a transform or key
 * length this dataplane cannot use. */
int dp_esp_keys_init(struct dp_esp_keys *k, const struct dp_sa *sa, char *why, size_t whylen);
void dp_esp_keys_free(struct dp_esp_keys *k);
/* One thread's contexts for one direction of an SA; -1 on failure. */
int dp_esp_ctx_init(struct dp_esp_ctx *c, const struct dp_esp_keys *k, bool encrypt);
void dp_esp_ctx_free(struct dp_esp_ctx *c);

/* The most an inner packet of len bytes grows by (ESP header, IV, padding,
 * trailer, ICV). */
size_t dp_esp_overhead(const struct dp_esp_keys *k, size_t len);

/* Seal the len bytes at inner (an IPv4 packet, next header 4), which has
 * DP_ESP_HEADROOM bytes free before it and DP_ESP_TAILROOM after. The ESP
 * packet starts at *esp; returns its length, or a negative dp_esp_err. */
int dp_esp_seal(const struct dp_esp_keys *k, struct dp_esp_ctx *c, uint32_t spi, uint32_t seq, uint8_t *inner,
		size_t len, uint8_t **esp);
/* Open the ESP packet at esp (len bytes, from the SPI on) in place: on
 * success the inner packet is *inner, *inner_len bytes, with next header
 * *next. The caller checked the sequence number against the replay window
 * before and updates the window only after this succeeds. */
int dp_esp_open(const struct dp_esp_keys *k, struct dp_esp_ctx *c, uint8_t *esp, size_t len, uint8_t **inner,
		size_t *inner_len, uint8_t *next);

/* The anti-replay window (RFC 4303 3.4.3), up to 1024 packets, without
 * extended sequence numbers. */
#define DP_REPLAY_MAX 1024
struct dp_replay {
	uint32_t size;             /* 0: no replay check */
	uint32_t top;              /* the highest sequence number accepted */
	uint64_t bits[DP_REPLAY_MAX / 64];  /* bit i: top - i was seen */
};

void dp_replay_init(struct dp_replay *r, uint32_t size);
/* May a packet with this sequence number be processed? (before the ICV) */
bool dp_replay_check(const struct dp_replay *r, uint32_t seq);
/* Record it, once its ICV verified; false if it became a replay meanwhile. */
bool dp_replay_update(struct dp_replay *r, uint32_t seq);

#endif
