/* suites.h -- the unit-test suites, one per module (see check_main.c). */
#ifndef VPNSH_TESTS_SUITES_H
#define VPNSH_TESTS_SUITES_H
#include <check.h>

Suite *gram_suite(void);
Suite *store_suite(void);
Suite *pf_link_suite(void);
Suite *acl_suite(void);
Suite *ike_codec_suite(void);
Suite *ike_crypto_suite(void);
Suite *ike_dh_suite(void);
Suite *ike_cipher_suite(void);
Suite *ike_policy_suite(void);
Suite *ike_ipsec_suite(void);
Suite *ike_sa_suite(void);
Suite *ike_config_suite(void);
Suite *dp_esp_suite(void);
Suite *dp_gso_suite(void);

#endif
