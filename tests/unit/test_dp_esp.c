/*
 * test_dp_esp.c -- ESP sealing and opening for every transform, the packet
 * layout RFC 4303 and RFC 4106 prescribe (checked against OpenSSL called
 * directly), damaged packets refused with the right reason, and the
 * anti-replay window.
 */
#include <check.h>
#include <openssl/evp.h>
#include <string.h>

#include "dataplane/dp_esp.h"
#include "tests/unit/suites.h"

static void make_sa(struct dp_sa *sa, enum dp_enc enc, size_t enc_len, enum dp_auth auth, size_t auth_len)
{
	memset(sa, 0, sizeof(*sa));
	sa->spi = 0x11223344;
	sa->enc = enc;
	sa->enc_key_len = enc_len;
	for (size_t i = 0; i < enc_len; i++)
		sa->enc_key[i] = (uint8_t)(0x40 + i);
	sa->auth = auth;
	sa->auth_key_len = auth_len;
	for (size_t i = 0; i < auth_len; i++)
		sa->auth_key[i] = (uint8_t)(0x90 + i);
}

/* An inner packet of len bytes at buf + DP_ESP_HEADROOM. */
static uint8_t *inner_packet(uint8_t *buf, size_t len)
{
	uint8_t *p = buf + DP_ESP_HEADROOM;
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 7 + 3);
	p[0] = 0x45;
	return p;
}

struct transform {
	enum dp_enc enc;
	size_t enc_len;
	enum dp_auth auth;
	size_t auth_len, iv, icv;
};

static const struct transform transforms[] = {
	{ DP_ENC_AES_CBC, 16, DP_AUTH_HMAC_SHA1_96, 20, 16, 12 },
	{ DP_ENC_AES_CBC, 32, DP_AUTH_HMAC_SHA1_96, 20, 16, 12 },
	{ DP_ENC_AES_CBC, 24, DP_AUTH_HMAC_SHA256_128, 32, 16, 16 },
	{ DP_ENC_AES_CBC, 32, DP_AUTH_HMAC_SHA384_192, 48, 16, 24 },
	{ DP_ENC_AES_CBC, 32, DP_AUTH_HMAC_SHA512_256, 64, 16, 32 },
	{ DP_ENC_3DES_CBC, 24, DP_AUTH_HMAC_MD5_96, 16, 8, 12 },
	{ DP_ENC_DES_CBC, 8, DP_AUTH_HMAC_SHA1_96, 20, 8, 12 },
	{ DP_ENC_NULL, 0, DP_AUTH_HMAC_SHA1_96, 20, 0, 12 },
	{ DP_ENC_AES_GCM16, 20, DP_AUTH_NONE, 0, 8, 16 },
	{ DP_ENC_AES_GCM16, 36, DP_AUTH_NONE, 0, 8, 16 },
};

START_TEST(round_trip_every_transform)
{
	const struct transform *t = &transforms[_i];
	struct dp_sa sa;
	make_sa(&sa, t->enc, t->enc_len, t->auth, t->auth_len);
	struct dp_esp_keys k;
	char why[128];
	int rc = dp_esp_keys_init(&k, &sa, why, sizeof(why));
	if (t->enc == DP_ENC_DES_CBC && rc < 0)
		return; /* OpenSSL without its legacy provider has no single DES */
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(k.iv_len, t->iv);
	ck_assert_uint_eq(k.icv_len, t->icv);
	struct dp_esp_ctx enc, dec;
	ck_assert_int_eq(dp_esp_ctx_init(&enc, &k, true), 0);
	ck_assert_int_eq(dp_esp_ctx_init(&dec, &k, false), 0);
	for (size_t len = 20; len < 120; len += 13) {
		uint8_t buf[512], orig[512];
		uint8_t *p = inner_packet(buf, len), *esp, *inner, next;
		memcpy(orig, p, len);
		int n = dp_esp_seal(&k, &enc, sa.spi, 7, p, len, &esp);
		ck_assert_int_eq(n, (int)(len + dp_esp_overhead(&k, len)));
		ck_assert_ptr_eq(esp, p - t->iv - DP_ESP_HDR);
		ck_assert_int_eq(esp[0], 0x11);
		ck_assert_int_eq(esp[3], 0x44);
		ck_assert_int_eq(esp[7], 7);
		size_t block = k.block < 4 ? 4 : k.block;
		ck_assert_uint_eq(((size_t)n - DP_ESP_HDR - t->iv - t->icv) % block, 0);
		if (t->enc != DP_ENC_NULL)
			ck_assert_int_ne(memcmp(esp + DP_ESP_HDR + t->iv, orig, len < 16 ? len : 16), 0);
		size_t inner_len;
		ck_assert_int_eq(dp_esp_open(&k, &dec, esp, (size_t)n, &inner, &inner_len, &next), 0);
		ck_assert_uint_eq(inner_len, len);
		ck_assert_int_eq(next, DP_ESP_NH_IPV4);
		ck_assert_int_eq(memcmp(inner, orig, len), 0);
	}
	dp_esp_ctx_free(&enc);
	dp_esp_ctx_free(&dec);
	dp_esp_keys_free(&k);
}
END_TEST

/* RFC 4106: the nonce is salt || explicit IV, the AAD is SPI || sequence,
 * the ICV the 16-byte tag; computed here with OpenSSL alone. */
START_TEST(gcm_layout)
{
	struct dp_sa sa;
	make_sa(&sa, DP_ENC_AES_GCM16, 20, DP_AUTH_NONE, 0);
	struct dp_esp_keys k;
	struct dp_esp_ctx c;
	char why[128];
	ck_assert_int_eq(dp_esp_keys_init(&k, &sa, why, sizeof(why)), 0);
	ck_assert_int_eq(dp_esp_ctx_init(&c, &k, true), 0);
	uint8_t buf[256];
	uint8_t *p = inner_packet(buf, 40), *esp, plain[64];
	memcpy(plain, p, 40);
	int n = dp_esp_seal(&k, &c, sa.spi, 0x01020304, p, 40, &esp);
	ck_assert_int_eq(n, 8 + 8 + 44 + 16); /* 40 + pad 2 + trailer 2 */
	/* the padded plaintext: 1, 2, then pad length 2 and next header 4 */
	plain[40] = 1;
	plain[41] = 2;
	plain[42] = 2;
	plain[43] = 4;
	uint8_t nonce[12], want[44], tag[16];
	memcpy(nonce, sa.enc_key + 16, 4);
	memcpy(nonce + 4, esp + 8, 8);
	EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
	int outl;
	ck_assert_int_eq(EVP_EncryptInit_ex(x, EVP_aes_128_gcm(), NULL, sa.enc_key, nonce), 1);
	ck_assert_int_eq(EVP_EncryptUpdate(x, NULL, &outl, esp, 8), 1);
	ck_assert_int_eq(EVP_EncryptUpdate(x, want, &outl, plain, 44), 1);
	ck_assert_int_eq(EVP_EncryptFinal_ex(x, want + outl, &outl), 1);
	ck_assert_int_eq(EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_GET_TAG, 16, tag), 1);
	EVP_CIPHER_CTX_free(x);
	ck_assert_int_eq(memcmp(esp + 16, want, 44), 0);
	ck_assert_int_eq(memcmp(esp + 60, tag, 16), 0);
	dp_esp_ctx_free(&c);
	dp_esp_keys_free(&k);
}
END_TEST

/* CBC with HMAC: the ICV is the truncated HMAC of header, IV and ciphertext. */
START_TEST(cbc_hmac_layout)
{
	struct dp_sa sa;
	make_sa(&sa, DP_ENC_AES_CBC, 16, DP_AUTH_HMAC_SHA1_96, 20);
	struct dp_esp_keys k;
	struct dp_esp_ctx c;
	char why[128];
	ck_assert_int_eq(dp_esp_keys_init(&k, &sa, why, sizeof(why)), 0);
	ck_assert_int_eq(dp_esp_ctx_init(&c, &k, true), 0);
	uint8_t buf[256];
	uint8_t *p = inner_packet(buf, 30), *esp, plain[32];
	memcpy(plain, p, 30);
	int n = dp_esp_seal(&k, &c, sa.spi, 1, p, 30, &esp);
	ck_assert_int_eq(n, 8 + 16 + 32 + 12);
	uint8_t mac[EVP_MAX_MD_SIZE];
	size_t maclen = 0;
	ck_assert_ptr_nonnull(EVP_Q_mac(NULL, "HMAC", NULL, "SHA1", NULL, sa.auth_key, 20, esp, 8 + 16 + 32, mac,
					sizeof(mac), &maclen));
	ck_assert_int_eq(memcmp(esp + 56, mac, 12), 0);
	uint8_t dec[32];
	EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
	int outl;
	ck_assert_int_eq(EVP_DecryptInit_ex(x, EVP_aes_128_cbc(), NULL, sa.enc_key, esp + 8), 1);
	EVP_CIPHER_CTX_set_padding(x, 0);
	ck_assert_int_eq(EVP_DecryptUpdate(x, dec, &outl, esp + 24, 32), 1);
	EVP_CIPHER_CTX_free(x);
	ck_assert_int_eq(memcmp(dec, plain, 30), 0);
	ck_assert_int_eq(dec[30], 0); /* no padding needed: 30 + 2 = 32 */
	ck_assert_int_eq(dec[31], 4);
	dp_esp_ctx_free(&c);
	dp_esp_keys_free(&k);
}
END_TEST

START_TEST(damage_is_refused)
{
	struct dp_sa sa;
	make_sa(&sa, DP_ENC_AES_CBC, 32, DP_AUTH_HMAC_SHA1_96, 20);
	struct dp_esp_keys k;
	struct dp_esp_ctx enc, dec;
	char why[128];
	ck_assert_int_eq(dp_esp_keys_init(&k, &sa, why, sizeof(why)), 0);
	ck_assert_int_eq(dp_esp_ctx_init(&enc, &k, true), 0);
	ck_assert_int_eq(dp_esp_ctx_init(&dec, &k, false), 0);
	uint8_t buf[256], copy[256], *esp, *inner, next;
	size_t inner_len;
	int n = dp_esp_seal(&k, &enc, sa.spi, 1, inner_packet(buf, 60), 60, &esp);
	ck_assert_int_gt(n, 0);
	/* a bit flipped in the ciphertext, in the ICV, in the sequence number */
	size_t where[] = { 30, (size_t)n - 1, 6 };
	for (size_t i = 0; i < 3; i++) {
		memcpy(copy, esp, (size_t)n);
		copy[where[i]] ^= 0x10;
		ck_assert_int_eq(dp_esp_open(&k, &dec, copy, (size_t)n, &inner, &inner_len, &next), DP_ESP_EAUTH);
	}
	/* truncated: shorter than the minimum, not whole blocks */
	memcpy(copy, esp, (size_t)n);
	ck_assert_int_eq(dp_esp_open(&k, &dec, copy, 20, &inner, &inner_len, &next), DP_ESP_ETRUNC);
	ck_assert_int_eq(dp_esp_open(&k, &dec, copy, (size_t)n - 5, &inner, &inner_len, &next), DP_ESP_ETRUNC);
	dp_esp_ctx_free(&enc);
	dp_esp_ctx_free(&dec);
	dp_esp_keys_free(&k);

	/* padding: with the NULL cipher and no ICV the trailer can be edited */
	make_sa(&sa, DP_ENC_NULL, 0, DP_AUTH_NONE, 0);
	ck_assert_int_eq(dp_esp_keys_init(&k, &sa, why, sizeof(why)), 0);
	ck_assert_int_eq(dp_esp_ctx_init(&enc, &k, true), 0);
	n = dp_esp_seal(&k, &enc, sa.spi, 1, inner_packet(buf, 21), 21, &esp);
	ck_assert_int_eq(n, 8 + 24); /* 21 + pad 1 + 2 */
	memcpy(copy, esp, (size_t)n);
	ck_assert_int_eq(dp_esp_open(&k, &enc, copy, (size_t)n, &inner, &inner_len, &next), 0);
	memcpy(copy, esp, (size_t)n);
	copy[8 + 21] = 9; /* the pad byte must be 1 */
	ck_assert_int_eq(dp_esp_open(&k, &enc, copy, (size_t)n, &inner, &inner_len, &next), DP_ESP_EPAD);
	memcpy(copy, esp, (size_t)n);
	copy[8 + 22] = 30; /* a pad length beyond the payload */
	ck_assert_int_eq(dp_esp_open(&k, &enc, copy, (size_t)n, &inner, &inner_len, &next), DP_ESP_EPAD);
	dp_esp_ctx_free(&enc);
	dp_esp_keys_free(&k);
}
END_TEST

START_TEST(unusable_keys_are_refused)
{
	struct dp_sa sa;
	struct dp_esp_keys k;
	char why[128];
	make_sa(&sa, DP_ENC_AES_CBC, 20, DP_AUTH_HMAC_SHA1_96, 20);
	ck_assert_int_eq(dp_esp_keys_init(&k, &sa, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "20-byte key"));
	make_sa(&sa, DP_ENC_AES_GCM16, 20, DP_AUTH_HMAC_SHA1_96, 20);
	ck_assert_int_eq(dp_esp_keys_init(&k, &sa, why, sizeof(why)), -1);
	make_sa(&sa, DP_ENC_AES_GCM16, 3, DP_AUTH_NONE, 0);
	ck_assert_int_eq(dp_esp_keys_init(&k, &sa, why, sizeof(why)), -1);
}
END_TEST

START_TEST(replay_window)
{
	struct dp_replay r;
	dp_replay_init(&r, 64);
	ck_assert(!dp_replay_check(&r, 0)); /* never valid */
	ck_assert(dp_replay_update(&r, 1));
	ck_assert(!dp_replay_update(&r, 1)); /* a duplicate */
	ck_assert(dp_replay_update(&r, 3));
	ck_assert(dp_replay_update(&r, 2)); /* late but within the window */
	ck_assert(!dp_replay_check(&r, 2));
	ck_assert(dp_replay_update(&r, 66));
	ck_assert(!dp_replay_check(&r, 2));  /* 64 behind the top: left the window */
	ck_assert(dp_replay_check(&r, 4));   /* 62 behind, never seen */
	ck_assert(!dp_replay_check(&r, 3));  /* seen, still inside */
	ck_assert(dp_replay_update(&r, 1000)); /* a jump clears the window */
	ck_assert(dp_replay_check(&r, 999));
	ck_assert(!dp_replay_check(&r, 936));
	ck_assert(!dp_replay_update(&r, 1000));

	/* 1024 packets, across word boundaries */
	dp_replay_init(&r, 1024);
	for (uint32_t s = 1; s <= 2000; s += 2)
		ck_assert(dp_replay_update(&r, s));
	for (uint32_t s = 1999; s > 1999 - 1024; s -= 2)
		ck_assert(!dp_replay_check(&r, s));
	for (uint32_t s = 1998; s > 1999 - 1023; s -= 2)
		ck_assert(dp_replay_check(&r, s));
	ck_assert(!dp_replay_check(&r, 1999 - 1024));
	ck_assert(dp_replay_update(&r, 2070)); /* shift by 71: 64 + 7 bits */
	ck_assert(!dp_replay_check(&r, 1999));
	ck_assert(dp_replay_check(&r, 1998));
	ck_assert(!dp_replay_check(&r, 1999 - 900));

	/* window 0: no check beyond zero */
	dp_replay_init(&r, 0);
	ck_assert(dp_replay_update(&r, 5));
	ck_assert(dp_replay_update(&r, 5));
}
END_TEST

Suite *dp_esp_suite(void)
{
	Suite *s = suite_create("dp_esp");
	TCase *tc = tcase_create("esp");
	tcase_add_loop_test(tc, round_trip_every_transform, 0, (int)(sizeof(transforms) / sizeof(transforms[0])));
	tcase_add_test(tc, gcm_layout);
	tcase_add_test(tc, cbc_hmac_layout);
	tcase_add_test(tc, damage_is_refused);
	tcase_add_test(tc, unusable_keys_are_refused);
	tcase_add_test(tc, replay_window);
	suite_add_tcase(s, tc);
	return s;
}
