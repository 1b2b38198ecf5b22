/*
 * test_ike_cipher.c -- ISAKMP body encryption: the FIPS 197 / SP 800-38A
 * AES-CBC vector, round trips for every cipher, IV chaining across messages.
 */
#include <check.h>
#include <string.h>

#include "ikecore/ike_cipher.h"
#include "tests/unit/suites.h"

START_TEST(aes_cbc_vector)
{
	/* NIST SP 800-38A F.2.1, CBC-AES128.Encrypt, first block */
	static const uint8_t key[16] = { 0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
					 0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c };
	uint8_t iv[16] = { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
			   0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f };
	uint8_t buf[16] = { 0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40, 0x9f, 0x96,
			    0xe9, 0x3d, 0x7e, 0x11, 0x73, 0x93, 0x17, 0x2a };
	static const uint8_t want[16] = { 0x76, 0x49, 0xab, 0xac, 0x81, 0x19, 0xb2, 0x46,
					  0xce, 0xe9, 0x8e, 0x9b, 0x12, 0xe9, 0x19, 0x7d };
	ck_assert_int_eq(ike_cipher_encrypt(IKE_CIPHER_AES, key, 16, iv, buf, 16), 0);
	ck_assert_int_eq(memcmp(buf, want, 16), 0);
	ck_assert_int_eq(memcmp(iv, want, 16), 0); /* the next IV: the last ciphertext block */
}
END_TEST

START_TEST(round_trips)
{
	struct { enum ike_cipher_alg alg; unsigned bits; } cases[] = {
		{ IKE_CIPHER_AES, 128 }, { IKE_CIPHER_AES, 192 }, { IKE_CIPHER_AES, 256 }, { IKE_CIPHER_3DES, 0 },
		{ IKE_CIPHER_DES, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t kl = ike_cipher_keylen(cases[i].alg, cases[i].bits), bl = ike_cipher_block(cases[i].alg);
		ck_assert_uint_gt(kl, 0);
		uint8_t key[32], iv1[16], iv2[16], plain[64], buf[64];
		for (size_t k = 0; k < sizeof(key); k++)
			key[k] = (uint8_t)(k * 7 + 1);
		for (size_t k = 0; k < sizeof(plain); k++)
			plain[k] = (uint8_t)k;
		memset(iv1, 0x5a, sizeof(iv1));
		memcpy(iv2, iv1, sizeof(iv2));
		memcpy(buf, plain, sizeof(buf));
		int rc = ike_cipher_encrypt(cases[i].alg, key, kl, iv1, buf, 64);
		if (cases[i].alg == IKE_CIPHER_DES && rc < 0)
			continue; /* no legacy provider on this system: DES is not offered */
		ck_assert_int_eq(rc, 0);
		ck_assert_int_ne(memcmp(buf, plain, 64), 0);
		ck_assert_int_eq(memcmp(iv1, buf + 64 - bl, bl), 0);
		ck_assert_int_eq(ike_cipher_decrypt(cases[i].alg, key, kl, iv2, buf, 64), 0);
		ck_assert_int_eq(memcmp(buf, plain, 64), 0);
		ck_assert_int_eq(memcmp(iv1, iv2, bl), 0); /* both sides agree on the next IV */
		/* not a multiple of the block */
		ck_assert_int_lt(ike_cipher_encrypt(cases[i].alg, key, kl, iv1, buf, 63), 0);
	}
	uint8_t k[16] = { 0 }, iv[16] = { 0 }, b[16] = { 0 };
	ck_assert_int_lt(ike_cipher_encrypt(IKE_CIPHER_AES, k, 15, iv, b, 16), 0);
	ck_assert_uint_eq(ike_cipher_keylen(IKE_CIPHER_AES, 100), 0);
}
END_TEST

Suite *ike_cipher_suite(void)
{
	Suite *s = suite_create("ike_cipher");
	TCase *tc = tcase_create("cbc");
	tcase_add_test(tc, aes_cbc_vector);
	tcase_add_test(tc, round_trips);
	suite_add_tcase(s, tc);
	return s;
}
