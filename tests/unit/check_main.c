/*
 * check_main.c -- runs every unit-test suite of vpnsh with Check.
 *
 * Each module has one suite, defined in tests/unit/test_<module>.c and listed
 * here. Suites are fast and need no privileges; the few that need a network
 * namespace create one for themselves (an unprivileged user namespace) or skip.
 */
#include <check.h>
#include <stdlib.h>

#include "tests/unit/suites.h"

int main(void)
{
	Suite *(*const suites[])(void) = {
		/* one line per module suite */
		gram_suite,
		store_suite,
		pf_link_suite,
		acl_suite,
		ike_codec_suite,
		ike_crypto_suite,
		ike_dh_suite,
		ike_cipher_suite,
		ike_policy_suite,
		ike_ipsec_suite,
		ike_sa_suite,
		ike_config_suite,
		dp_esp_suite,
		dp_gso_suite,
	};
	SRunner *runner = srunner_create(NULL);
	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		srunner_add_suite(runner, suites[i]());
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
