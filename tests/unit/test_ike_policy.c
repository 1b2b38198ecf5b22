/*
 * test_ike_policy.c -- phase 1 policies from the store's values, offered
 * transforms, and the responder's choice with its reasons.
 */
#include <check.h>
#include <string.h>

#include "ikecore/ike_cipher.h"
#include "ikecore/ike_crypto.h"
#include "ikecore/ike_policy.h"
#include "tests/unit/suites.h"

static void offer_transform(struct ike_transform *t, uint8_t n, uint16_t enc, uint16_t keybits, uint16_t hash,
			    uint16_t group, uint32_t life)
{
	memset(t, 0, sizeof(*t));
	t->number = n;
	t->id = 1;
	struct ike_attr *a = t->attr;
	a[t->nattr++] = (struct ike_attr){ .type = IKE_ATTR_ENCRYPTION, .basic = true, .value = enc };
	if (keybits)
		a[t->nattr++] = (struct ike_attr){ .type = IKE_ATTR_KEY_LENGTH, .basic = true, .value = keybits };
	a[t->nattr++] = (struct ike_attr){ .type = IKE_ATTR_HASH, .basic = true, .value = hash };
	a[t->nattr++] = (struct ike_attr){ .type = IKE_ATTR_AUTH, .basic = true, .value = IKE_AUTH_PSK };
	a[t->nattr++] = (struct ike_attr){ .type = IKE_ATTR_GROUP, .basic = true, .value = group };
	a[t->nattr++] = (struct ike_attr){ .type = IKE_ATTR_LIFE_TYPE, .basic = true, .value = IKE_LIFE_SECONDS };
	a[t->nattr++] = (struct ike_attr){ .type = IKE_ATTR_LIFE_DURATION, .value = life };
}

START_TEST(from_config)
{
	struct ike_p1_params p;
	char why[128];
	ck_assert_int_eq(ike_policy_from_config(10, "aes-256", "sha256", "pre-share", "14", "28800",
						&ike_policy_default_asa, &p, why, sizeof(why)), 0);
	ck_assert_uint_eq(p.encryption, IKE_CIPHER_AES);
	ck_assert_uint_eq(p.keybits, 256);
	ck_assert_uint_eq(p.hash, IKE_HASH_SHA256);
	ck_assert_uint_eq(p.group, 14);
	ck_assert_uint_eq(p.lifetime, 28800);
	/* defaults of each dialect */
	ike_policy_from_config(20, NULL, NULL, NULL, NULL, NULL, &ike_policy_default_asa, &p, why, sizeof(why));
	ck_assert_uint_eq(p.encryption, IKE_CIPHER_3DES);
	ck_assert_uint_eq(p.group, 2);
	ck_assert_uint_eq(p.auth, IKE_AUTH_PSK);
	ike_policy_from_config(20, NULL, NULL, NULL, NULL, "none", &ike_policy_default_ios, &p, why, sizeof(why));
	ck_assert_uint_eq(p.encryption, IKE_CIPHER_DES);
	ck_assert_uint_eq(p.auth, IKE_AUTH_RSA_SIG);
	ck_assert_uint_eq(p.lifetime, 0);
	ck_assert_int_lt(ike_policy_from_config(30, "blowfish", NULL, NULL, NULL, NULL, &ike_policy_default_asa, &p, why,
						sizeof(why)), 0);
	ck_assert_ptr_nonnull(strstr(why, "blowfish"));
}
END_TEST

START_TEST(choose)
{
	struct ike_p1_params pol[2];
	char why[256];
	ike_policy_from_config(10, "aes-256", "sha", "pre-share", "14", "86400", &ike_policy_default_asa, &pol[0], why,
			       sizeof(why));
	ike_policy_from_config(20, "3des", "sha", "pre-share", "2", "86400", &ike_policy_default_asa, &pol[1], why,
			       sizeof(why));
	static struct ike_sa offer;
	memset(&offer, 0, sizeof(offer));
	offer.nprop = 1;
	offer.prop[0].nxf = 2;
	offer_transform(&offer.prop[0].xf[0], 1, IKE_CIPHER_AES, 128, IKE_HASH_SHA1, 14, 86400); /* no policy */
	offer_transform(&offer.prop[0].xf[1], 2, IKE_CIPHER_3DES, 0, IKE_HASH_SHA1, 2, 3600);    /* policy 20 */
	size_t p, x;
	struct ike_p1_params agreed;
	ck_assert_int_eq(ike_policy_choose(&offer, pol, 2, &p, &x, &agreed, why, sizeof(why)), 0);
	ck_assert_uint_eq(x, 1);
	ck_assert_int_eq(agreed.priority, 20);
	ck_assert_uint_eq(agreed.lifetime, 3600); /* the shorter lifetime */

	/* the first acceptable transform in the initiator's order wins */
	offer_transform(&offer.prop[0].xf[0], 1, IKE_CIPHER_AES, 256, IKE_HASH_SHA1, 14, 100000);
	ck_assert_int_eq(ike_policy_choose(&offer, pol, 2, &p, &x, &agreed, why, sizeof(why)), 0);
	ck_assert_uint_eq(x, 0);
	ck_assert_int_eq(agreed.priority, 10);
	ck_assert_uint_eq(agreed.lifetime, 86400);

	/* nothing matches: the reason names what differs */
	offer.prop[0].nxf = 1;
	offer_transform(&offer.prop[0].xf[0], 1, IKE_CIPHER_AES, 256, IKE_HASH_MD5, 14, 86400);
	ck_assert_int_lt(ike_policy_choose(&offer, pol, 2, &p, &x, &agreed, why, sizeof(why)), 0);
	ck_assert_msg(strstr(why, "hash: offered MD5, policy 10 has SHA") != NULL, "%s", why);
	offer_transform(&offer.prop[0].xf[0], 1, IKE_CIPHER_AES, 256, IKE_HASH_SHA1, 5, 86400);
	ck_assert_int_lt(ike_policy_choose(&offer, pol, 2, &p, &x, &agreed, why, sizeof(why)), 0);
	ck_assert_msg(strstr(why, "DH group: offered group 5, policy 10 has group 14") != NULL, "%s", why);
	ck_assert_int_lt(ike_policy_choose(&offer, pol, 0, &p, &x, &agreed, why, sizeof(why)), 0);
	ck_assert_ptr_nonnull(strstr(why, "no ISAKMP policy"));
	/* a transform without its group is malformed */
	offer.prop[0].xf[0].nattr = 2;
	ck_assert_int_lt(ike_policy_choose(&offer, pol, 2, &p, &x, &agreed, why, sizeof(why)), 0);
	ck_assert_ptr_nonnull(strstr(why, "missing"));
}
END_TEST

Suite *ike_policy_suite(void)
{
	Suite *s = suite_create("ike_policy");
	TCase *tc = tcase_create("phase1");
	tcase_add_test(tc, from_config);
	tcase_add_test(tc, choose);
	suite_add_tcase(s, tc);
	return s;
}
