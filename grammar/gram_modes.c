/*
 * gram_modes.c -- the modes of the shell: their prompt names in each dialect,
 * the mode `exit` returns to, and whether they are configuration modes (where
 * `no`, `default` and `do` apply and a global command typed in a sub-mode
 * leaves the sub-mode, as both devices do when a configuration is pasted).
 */
#include "grammar/gram.h"

const struct gram_mode_info gram_modes[GRAM_MODE_COUNT] = {
	[GRAM_MODE_NONE] = { NULL, NULL, GRAM_MODE_NONE, false },
	[GRAM_MODE_EXEC] = { "", "", GRAM_MODE_NONE, false },
	[GRAM_MODE_CONFIG] = { "config", "config", GRAM_MODE_EXEC, true },
	[GRAM_MODE_IF] = { "config-if", "config-if", GRAM_MODE_CONFIG, true },
	[GRAM_MODE_ACL_EXT] = { NULL, "config-ext-nacl", GRAM_MODE_CONFIG, true },
	[GRAM_MODE_ACL_STD] = { NULL, "config-std-nacl", GRAM_MODE_CONFIG, true },
	[GRAM_MODE_OBJGRP_NET] = { "config-network-object-group", "config-network-group", GRAM_MODE_CONFIG, true },
	[GRAM_MODE_IKEV1_POLICY] = { "config-ikev1-policy", "config-isakmp", GRAM_MODE_CONFIG, true },
	[GRAM_MODE_IKEV2_POLICY] = { "config-ikev2-policy", "config-ikev2-policy", GRAM_MODE_CONFIG, true },
	[GRAM_MODE_IPSEC_PROPOSAL] = { "config-ipsec-proposal", NULL, GRAM_MODE_CONFIG, true },
	[GRAM_MODE_TUNNEL_GENERAL] = { "config-tunnel-general", NULL, GRAM_MODE_CONFIG, true },
	[GRAM_MODE_TUNNEL_IPSEC] = { "config-tunnel-ipsec", NULL, GRAM_MODE_CONFIG, true },
	[GRAM_MODE_GROUP_POLICY] = { "config-group-policy", NULL, GRAM_MODE_CONFIG, true },
	[GRAM_MODE_TRANSFORM] = { NULL, "cfg-crypto-trans", GRAM_MODE_CONFIG, true },
	[GRAM_MODE_CRYPTO_MAP] = { NULL, "config-crypto-map", GRAM_MODE_CONFIG, true },
	[GRAM_MODE_KEYRING] = { NULL, "conf-keyring", GRAM_MODE_CONFIG, true },
	[GRAM_MODE_ISAKMP_PROFILE] = { NULL, "conf-isa-prof", GRAM_MODE_CONFIG, true },
	[GRAM_MODE_IPSEC_PROFILE] = { NULL, "ipsec-profile", GRAM_MODE_CONFIG, true },
	[GRAM_MODE_PIPE] = { "", "", GRAM_MODE_NONE, false },
};
