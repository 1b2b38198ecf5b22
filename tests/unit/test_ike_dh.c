/*
 * test_ike_dh.c -- every IKE DH group: two parties agree on g^xy, the lengths
 * are the RFCs', the unnamed Oakley primes are safe primes, and malformed or
 * out-of-group peer values are refused.
 */
#include <check.h>
#include <openssl/bn.h>
#include <string.h>

#include "ikecore/ike_dh.h"
#include "tests/unit/suites.h"

static const int groups[] = { 1, 2, 5, 14, 15, 16, 19, 20, 21, 24 };

START_TEST(agree)
{
	int id = groups[_i];
	struct ike_dh *a = ike_dh_new(id), *b = ike_dh_new(id);
	ck_assert_msg(a && b, "group %d", id);
	uint8_t pa[IKE_DH_MAX], pb[IKE_DH_MAX], sa[IKE_DH_MAX], sb[IKE_DH_MAX];
	size_t la = ike_dh_public(a, pa, sizeof(pa)), lb = ike_dh_public(b, pb, sizeof(pb));
	ck_assert_uint_eq(la, ike_dh_public_len(id));
	ck_assert_uint_eq(lb, la);
	int na = ike_dh_shared(a, pb, lb, sa, sizeof(sa)), nb = ike_dh_shared(b, pa, la, sb, sizeof(sb));
	ck_assert_msg(na > 0 && na == nb, "group %d: %d %d", id, na, nb);
	ck_assert_int_eq(memcmp(sa, sb, (size_t)na), 0);
	/* wrong length, zero, one, and p-1 style values are refused */
	ck_assert_int_lt(ike_dh_shared(a, pb, lb - 1, sa, sizeof(sa)), 0);
	uint8_t bad[IKE_DH_MAX];
	memset(bad, 0, lb);
	ck_assert_int_lt(ike_dh_shared(a, bad, lb, sa, sizeof(sa)), 0);
	bad[lb - 1] = 1;
	ck_assert_int_lt(ike_dh_shared(a, bad, lb, sa, sizeof(sa)), 0);
	memset(bad, 0xff, lb);
	ck_assert_int_lt(ike_dh_shared(a, bad, lb, sa, sizeof(sa)), 0);
	ike_dh_free(a);
	ike_dh_free(b);
}
END_TEST

START_TEST(oakley_primes)
{
	/* the primes written out in ike_dh.c: safe primes of the right size */
	for (int id = 1; id <= 2; id++) {
		struct ike_dh *a = ike_dh_new(id);
		ck_assert_ptr_nonnull(a);
		ike_dh_free(a);
	}
	static const char *hex[] = {
		"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
		"020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
		"4FE1356D6D51C245E485B576625E7EC6F44C42E9A63A3620FFFFFFFFFFFFFFFF",
		"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
		"020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
		"4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
		"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF",
	};
	BN_CTX *ctx = BN_CTX_new();
	for (int i = 0; i < 2; i++) {
		BIGNUM *p = NULL, *q = BN_new();
		ck_assert_int_gt(BN_hex2bn(&p, hex[i]), 0);
		ck_assert_int_eq(BN_num_bits(p), i == 0 ? 768 : 1024);
		ck_assert_int_eq(BN_check_prime(p, ctx, NULL), 1);
		BN_rshift1(q, p);
		ck_assert_int_eq(BN_check_prime(q, ctx, NULL), 1);
		BN_free(p);
		BN_free(q);
	}
	BN_CTX_free(ctx);
	ck_assert_ptr_null(ike_dh_new(3));
	ck_assert_uint_eq(ike_dh_public_len(22), 0);
}
END_TEST

Suite *ike_dh_suite(void)
{
	Suite *s = suite_create("ike_dh");
	TCase *tc = tcase_create("groups");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, agree, 0, (int)(sizeof(groups) / sizeof(groups[0])));
	tcase_add_test(tc, oakley_primes);
	suite_add_tcase(s, tc);
	return s;
}
