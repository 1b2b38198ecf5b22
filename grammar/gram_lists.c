/*
 * gram_lists.c -- every command list of the appliance, and the sections of
 * the running-config in the order the devices print them.
 *
 * A new command file adds its list here; a new kind of configuration adds its
 * section here, at the place the device prints it.
 */
#include "grammar/gram.h"

extern const struct gram_cmd_list gram_list_exec, gram_list_pipe, gram_list_base, gram_list_acl,
	gram_list_crypto_asa, gram_list_ios_crypto, gram_list_ike, gram_list_tools;

const struct gram_cmd_list *const gram_cmd_lists[] = {
	&gram_list_exec,
	&gram_list_pipe,
	&gram_list_base,
	&gram_list_acl,
	&gram_list_crypto_asa,
	&gram_list_ios_crypto,
	&gram_list_ike,
	&gram_list_tools,
};
const size_t gram_cmd_list_count = sizeof(gram_cmd_lists) / sizeof(gram_cmd_lists[0]);

/* Sections of `show running-config`, in the device's order. A section's
 * "!" closes it when it printed something (IOS), or always (the ASA closes
 * its hostname/enable group), but never doubles one. */
const struct gram_section gram_sections[] = {
	{ GRAM_BOTH, "hostname", "system", "id", NULL, NULL, GRAM_IOS },
	{ GRAM_IOS, "logging", "logging", "id", NULL, NULL, GRAM_IOS },
	{ GRAM_BOTH, "enable", "system", "id", "render_enable", NULL, GRAM_BOTH },
	/* IOS prints its crypto configuration before the interfaces */
	{ GRAM_IOS, "crypto keyring", "keyring", "rowid", NULL, NULL, GRAM_IOS },
	{ GRAM_IOS, "crypto isakmp policy", "ike_policy", "priority", NULL, NULL, 0, "version = 1" },
	{ GRAM_IOS, "crypto isakmp key", "tunnel_group", "rowid", NULL, NULL, 0, "name NOT LIKE 'Default%Group'" },
	{ GRAM_IOS, "crypto isakmp", "crypto_global", "id", NULL, NULL, 0, NULL, "crypto isakmp" },
	{ GRAM_IOS, "crypto isakmp profile", "isakmp_profile", "rowid", NULL, "!", GRAM_IOS },
	{ GRAM_IOS, "crypto ipsec", "crypto_global", "id", NULL, NULL, 0, NULL, "crypto ipsec" },
	{ GRAM_IOS, "crypto ipsec transform-set", "transform_set", "rowid", NULL, NULL, GRAM_IOS },
	{ GRAM_IOS, "crypto ipsec profile", "ipsec_profile", "rowid", NULL, "!" },
	{ GRAM_IOS, "crypto dynamic-map", "crypto_map_entry", "map, seq", NULL, "!", 0, "dynamic = 1" },
	{ GRAM_IOS, "crypto map", "crypto_map_entry", "map, seq", NULL, "!", 0, "dynamic = 0" },
	{ GRAM_IOS, "crypto map", "crypto_map_local_address", "rowid", NULL, NULL, GRAM_IOS },
	{ GRAM_IOS, "object-group", "object_group", "rowid", "render_object_groups", NULL, GRAM_IOS },
	{ GRAM_BOTH, "interface", "interface", "name COLLATE natsort", NULL, "!" },
	{ GRAM_ASA, "object-group", "object_group", "rowid", "render_object_groups", NULL },
	{ GRAM_ASA, "access-list", "acl", "rowid", "render_acls", NULL },
	{ GRAM_ASA, "logging", "logging", "id" },
	{ GRAM_BOTH, "route", "route", "rowid", "render_routes", NULL, GRAM_IOS },
	{ GRAM_IOS, "access-list", "acl", "rowid", "render_acls", NULL, GRAM_IOS },
	{ GRAM_ASA, "sysopt", "crypto_global", "id", NULL, NULL, 0, NULL, "sysopt" },
	{ GRAM_ASA, "crypto ipsec", "transform_set", "rowid" },
	{ GRAM_ASA, "crypto ipsec", "ipsec_proposal", "rowid" },
	{ GRAM_ASA, "crypto ipsec", "crypto_global", "id", NULL, NULL, 0, NULL, "crypto ipsec" },
	{ GRAM_ASA, "crypto ipsec", "ipsec_df_bit", "rowid" },
	{ GRAM_ASA, "crypto dynamic-map", "crypto_map_entry", "map, seq", NULL, NULL, 0, "dynamic = 1" },
	{ GRAM_ASA, "crypto map", "crypto_map_entry", NULL, "render_crypto_maps" },
	{ GRAM_ASA, "crypto ikev2", "ike_policy", "priority", NULL, NULL, 0, "version = 2" },
	{ GRAM_ASA, "crypto ikev2", "ike_interface", "rowid", NULL, NULL, 0, "version = 2" },
	{ GRAM_ASA, "crypto ikev1", "ike_interface", "rowid", NULL, NULL, 0, "version = 1" },
	{ GRAM_ASA, "crypto ikev1", "crypto_global", "id", NULL, NULL, 0, NULL, "crypto ikev1" },
	{ GRAM_ASA, "crypto ikev1", "ike_policy", "priority", NULL, NULL, 0, "version = 1" },
	{ GRAM_ASA, "crypto isakmp", "crypto_global", "id", NULL, NULL, 0, NULL, "crypto isakmp" },
	{ GRAM_ASA, "group-policy", "group_policy", "rowid" },
	/* the default groups only once something about them was configured */
	{ GRAM_ASA, "tunnel-group", "tunnel_group", "rowid", NULL, NULL, 0,
	  "name NOT IN ('DefaultL2LGroup', 'DefaultRAGroup', 'DefaultWEBVPNGroup') OR default_group_policy IS NOT NULL "
	  "OR psk IS NOT NULL OR ikev2_local_psk IS NOT NULL OR ikev2_remote_psk IS NOT NULL OR "
	  "keepalive_threshold IS NOT NULL OR keepalive_disable IS NOT NULL OR peer_id_validate IS NOT NULL" },
};
const size_t gram_section_count = sizeof(gram_sections) / sizeof(gram_sections[0]);
