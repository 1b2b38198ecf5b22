/*
 * test_ike_crypto.c -- IKEv1 key derivation against published vectors: the
 * NIST SP 800-135 IKEv1 samples (SKEYID for a pre-shared key, SKEYID_d/a/e
 * from SKEYID, g^xy and the cookies) and Appendix B key expansion.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "ikecore/ike_crypto.h"
#include "tests/unit/suites.h"

static size_t unhex(const char *hex, uint8_t *out)
{
	size_t n = strlen(hex) / 2;
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		sscanf(hex + 2 * i, "%2x", &v);
		out[i] = (uint8_t)v;
	}
	return n;
}

static void expect_hex(const uint8_t *got, const char *want)
{
	uint8_t w[512];
	size_t n = unhex(want, w);
	ck_assert_msg(memcmp(got, w, n) == 0, "mismatch against %s", want);
}

START_TEST(skeyid_psk)
{
	uint8_t psk[8], ni[16], nr[16], cki[8] = { 0 }, ckr[8] = { 0 }, gxy[1] = { 0 };
	struct ike_keys k;
	size_t pl = unhex("c0", psk), nil = unhex("03a6f25a83c8c2a3", ni), nrl = unhex("9d958a6618f77e7f", nr);
	ck_assert_int_eq(ike_keys_psk(IKE_HASH_SHA1, psk, pl, (struct ike_chunk){ ni, nil }, (struct ike_chunk){ nr, nrl },
				      (struct ike_chunk){ gxy, 1 }, cki, ckr, &k), 0);
	ck_assert_uint_eq(k.len, 20);
	expect_hex(k.skeyid, "ab3be41bc62f2ef0c41a3076d58768be77fadd2e");
	/* the vector of the project's notes */
	pl = unhex("75", psk);
	nil = unhex("b9a2d0e922dc66dd", ni);
	nrl = unhex("2130166863b5ddef", nr);
	ck_assert_int_eq(ike_keys_psk(IKE_HASH_SHA1, psk, pl, (struct ike_chunk){ ni, nil }, (struct ike_chunk){ nr, nrl },
				      (struct ike_chunk){ gxy, 1 }, cki, ckr, &k), 0);
	expect_hex(k.skeyid, "62b04d11");
}
END_TEST

START_TEST(skeyid_children)
{
	struct ike_keys k;
	uint8_t gxy[64], cki[8], ckr[8];
	memset(&k, 0, sizeof(k));
	k.len = unhex("707197817fb2d90cf54d1842606bdea59b9f4823", k.skeyid);
	size_t gl = unhex("8ba4cbc73c0187301dc19a975823854dbd641c597f637f8d053a83b9514673eb", gxy);
	unhex("8c3bcd3a69831d7f", cki);
	unhex("d2d9a7ff4fbe95a7", ckr);
	ck_assert_int_eq(ike_keys_derive(IKE_HASH_SHA1, (struct ike_chunk){ gxy, gl }, cki, ckr, &k), 0);
	expect_hex(k.skeyid_d, "384be709a8a5e63c3ed160cfe3921c4b37d5b32d");
	expect_hex(k.skeyid_a, "48b327575abe3adba0f279849e289022a13e2b47");
	expect_hex(k.skeyid_e, "a4a415c8e0c38c0da847c356cc61c24df8025560");
}
END_TEST

START_TEST(appendix_b)
{
	struct ike_keys k;
	memset(&k, 0, sizeof(k));
	k.len = unhex("63e81194946ebd05df7df5ebf5d8750056bf1f1d", k.skeyid_e);
	uint8_t key[132];
	ck_assert_int_eq(ike_cipher_key(IKE_HASH_SHA1, &k, 132, key), 0);
	expect_hex(key, "933347a07de5782247dd36d1562ffe0eecade1eb4134165257e3af1000af8ae3f165063828cbb60d910b7db38fa3c7f6"
			"2c4afaaf3203da065c841729853edb23e9e7ac8286ae65c8cb6c667d79268c0bd6705abb9131698eb822b1c1f9dd142fc7"
			"be2c1010ee0152e10195add98999c6b6d42c8fe9c1b134d56ad5f2c6f20e815bd25c52");
	/* a key no longer than SKEYID_e is SKEYID_e itself */
	ck_assert_int_eq(ike_cipher_key(IKE_HASH_SHA1, &k, 15, key), 0);
	expect_hex(key, "63e81194946ebd05df7df5ebf5d875");
}
END_TEST

START_TEST(keymat_and_ivs)
{
	struct ike_keys k;
	memset(&k, 0, sizeof(k));
	k.len = 20;
	memset(k.skeyid_d, 0x11, 20);
	uint8_t ni[16], nr[16], spi[4] = { 0xde, 0xad, 0xbe, 0xef }, a[64], b[64];
	memset(ni, 1, 16);
	memset(nr, 2, 16);
	struct ike_chunk none = { NULL, 0 };
	ck_assert_int_eq(ike_keymat(IKE_HASH_SHA1, &k, none, 3, spi, (struct ike_chunk){ ni, 16 },
				    (struct ike_chunk){ nr, 16 }, 64, a), 0);
	/* K1 = prf(SKEYID_d, protocol | SPI | Ni | Nr) */
	uint8_t proto = 3, k1[20];
	struct ike_chunk c[] = { { &proto, 1 }, { spi, 4 }, { ni, 16 }, { nr, 16 } };
	ck_assert_int_eq(ike_prf(IKE_HASH_SHA1, k.skeyid_d, 20, c, 4, k1), 20);
	ck_assert_int_eq(memcmp(a, k1, 20), 0);
	/* K2 = prf(SKEYID_d, K1 | protocol | SPI | Ni | Nr) */
	struct ike_chunk c2[] = { { k1, 20 }, { &proto, 1 }, { spi, 4 }, { ni, 16 }, { nr, 16 } };
	uint8_t k2[20];
	ike_prf(IKE_HASH_SHA1, k.skeyid_d, 20, c2, 5, k2);
	ck_assert_int_eq(memcmp(a + 20, k2, 20), 0);
	/* with PFS the QM g^xy changes everything */
	uint8_t g[8] = { 9, 9, 9, 9, 9, 9, 9, 9 };
	ike_keymat(IKE_HASH_SHA1, &k, (struct ike_chunk){ g, 8 }, 3, spi, (struct ike_chunk){ ni, 16 },
		   (struct ike_chunk){ nr, 16 }, 64, b);
	ck_assert_int_ne(memcmp(a, b, 64), 0);
	/* IVs: hash(g^xi | g^xr) and hash(last block | M-ID), cut to the block */
	uint8_t iv[16], d[20];
	ck_assert_int_eq(ike_iv_phase1(IKE_HASH_SHA1, (struct ike_chunk){ ni, 16 }, (struct ike_chunk){ nr, 16 }, 16, iv),
			 0);
	struct ike_chunk h[] = { { ni, 16 }, { nr, 16 } };
	ike_hash(IKE_HASH_SHA1, h, 2, d);
	ck_assert_int_eq(memcmp(iv, d, 16), 0);
	ck_assert_int_eq(ike_iv_exchange(IKE_HASH_SHA1, ni, 16, 0x01020304, iv), 0);
	uint8_t id[4] = { 1, 2, 3, 4 };
	struct ike_chunk h2[] = { { ni, 16 }, { id, 4 } };
	ike_hash(IKE_HASH_SHA1, h2, 2, d);
	ck_assert_int_eq(memcmp(iv, d, 16), 0);
	/* MD5's 16 bytes cannot make a 32-byte IV */
	ck_assert_int_lt(ike_iv_phase1(IKE_HASH_MD5, (struct ike_chunk){ ni, 16 }, (struct ike_chunk){ nr, 16 }, 32, iv), 0);
	ck_assert_uint_eq(ike_hash_len(IKE_HASH_SHA512), 64);
}
END_TEST

Suite *ike_crypto_suite(void)
{
	Suite *s = suite_create("ike_crypto");
	TCase *tc = tcase_create("rfc2409");
	tcase_add_test(tc, skeyid_psk);
	tcase_add_test(tc, skeyid_children);
	tcase_add_test(tc, appendix_b);
	tcase_add_test(tc, keymat_and_ivs);
	suite_add_tcase(s, tc);
	return s;
}
