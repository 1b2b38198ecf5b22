/*
 * test_ike_ipsec.c -- ESP transforms from transform sets, ID payloads, and
 * proxy identities against crypto ACL lines.
 */
#include <check.h>
#include <string.h>

#include "ikecore/ike_ipsec.h"
#include "tests/unit/suites.h"

START_TEST(transform_sets)
{
	struct ike_esp_params p;
	char why[128], d[64];
	ck_assert_int_eq(ike_esp_from_config("TS", "esp-aes-256", "esp-sha-hmac", NULL, &p, why, sizeof(why)), 0);
	ck_assert_uint_eq(p.id, IKE_ESP_AES);
	ck_assert_uint_eq(p.keybits, 256);
	ck_assert_uint_eq(p.auth, IKE_ESP_AUTH_SHA1);
	ck_assert(!p.transport);
	ike_esp_describe(&p, d, sizeof(d));
	ck_assert_str_eq(d, "esp-aes-256 esp-sha-hmac");
	ck_assert_int_eq(ike_esp_from_config("T2", "esp-gcm-256", NULL, "transport", &p, why, sizeof(why)), 0);
	ck_assert(p.transport);
	ck_assert_uint_eq(p.id, IKE_ESP_AES_GCM_16);
	ck_assert_int_lt(ike_esp_from_config("T3", "esp-gcm", "esp-sha-hmac", NULL, &p, why, sizeof(why)), 0);
	ck_assert_int_lt(ike_esp_from_config("T4", "esp-null", "esp-none", NULL, &p, why, sizeof(why)), 0);
	ck_assert_int_lt(ike_esp_from_config("T5", NULL, "esp-sha-hmac", NULL, &p, why, sizeof(why)), 0);
	ck_assert_ptr_nonnull(strstr(why, "T5"));
}
END_TEST

static struct ike_selector sel(uint32_t net, int bits)
{
	struct ike_selector s = { .net = net, .mask = bits ? ~0u << (32 - bits) : 0 };
	return s;
}

START_TEST(proxy_ids)
{
	/* local 192.168.10.0/24 -> remote 192.168.20.0/24; and a second line */
	struct ike_acl_line lines[] = {
		{ sel(0xc0a80a00, 24), sel(0xc0a81400, 24) },
		{ sel(0xc0a80a00, 24), sel(0xac100000, 12) },
	};
	char why[160];
	struct ike_selector pl = sel(0xc0a81400, 24), pr = sel(0xc0a80a00, 24);
	ck_assert_int_eq(ike_proxy_match(lines, 2, &pl, &pr, false, why, sizeof(why)), 0);
	pl = sel(0xac100000, 12);
	ck_assert_int_eq(ike_proxy_match(lines, 2, &pl, &pr, false, why, sizeof(why)), 1);
	/* narrower than a line: only a dynamic map takes it */
	pl = sel(0xac100100, 24);
	ck_assert_int_lt(ike_proxy_match(lines, 2, &pl, &pr, false, why, sizeof(why)), 0);
	ck_assert_int_eq(ike_proxy_match(lines, 2, &pl, &pr, true, why, sizeof(why)), 1);
	/* the reason, in words */
	pl = sel(0xc0a8c800, 24);
	pr = sel(0xac100a00, 24);
	ck_assert_int_lt(ike_proxy_match(lines, 2, &pl, &pr, true, why, sizeof(why)), 0);
	ck_assert_str_eq(why, "peer proposed proxy IDs 192.168.200.0/24 -> 172.16.10.0/24, no crypto ACL line matches");
}
END_TEST

START_TEST(id_payloads)
{
	struct ike_selector s;
	uint8_t subnet[12] = { 4, 0, 0, 0, 192, 168, 10, 0, 255, 255, 255, 0 };
	struct ike_payload p = { IKE_PL_ID, subnet, 12 };
	ck_assert_int_eq(ike_selector_from_id(&p, &s), 0);
	ck_assert_uint_eq(s.net, 0xc0a80a00);
	ck_assert_uint_eq(s.mask, 0xffffff00);
	uint8_t range[12] = { 7, 0, 0, 0, 192, 168, 10, 0, 192, 168, 10, 255 };
	p.body = range;
	ck_assert_int_eq(ike_selector_from_id(&p, &s), 0);
	ck_assert_uint_eq(s.mask, 0xffffff00); /* the same set as the subnet */
	range[11] = 200;
	ck_assert_int_lt(ike_selector_from_id(&p, &s), 0);
	uint8_t host[8] = { 1, 17, 0x01, 0xf4, 10, 0, 0, 1 };
	p.body = host;
	p.len = 8;
	ck_assert_int_eq(ike_selector_from_id(&p, &s), 0);
	ck_assert_uint_eq(s.mask, 0xffffffff);
	ck_assert_uint_eq(s.protocol, 17);
	ck_assert_uint_eq(s.port, 500);
	p.len = 7;
	ck_assert_int_lt(ike_selector_from_id(&p, &s), 0);
}
END_TEST

Suite *ike_ipsec_suite(void)
{
	Suite *s = suite_create("ike_ipsec");
	TCase *tc = tcase_create("quick mode");
	tcase_add_test(tc, transform_sets);
	tcase_add_test(tc, proxy_ids);
	tcase_add_test(tc, id_payloads);
	suite_add_tcase(s, tc);
	return s;
}
