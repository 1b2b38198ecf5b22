/*
 * cmds_crypto_asa.c -- the ASA's IPsec configuration: IKEv1 and IKEv2
 * policies, transform sets and IKEv2 proposals, crypto maps and dynamic maps,
 * tunnel groups and group policies, in the 9.x forms and the 8.2 forms an
 * engineer may still paste (`crypto isakmp policy`, `crypto ipsec
 * transform-set`, `pre-shared-key`), which land on the same rows and are
 * rendered in the 9.x form (GRAM_R_NEVER on the old spelling).
 *
 * The order of definitions bound to a table is the order of their lines in
 * `show running-config`.
 */
#include "grammar/gram.h"

#define CFG  GRAM_MODE_CONFIG
#define ASA  GRAM_ASA
#define NO   GRAM_F_NO
#define SHOW GRAM_R_SHOW_DEFAULT

/* IKEv1 algorithms, one keyword per line of help. */
#define IKE1_ENC "{des|3des|aes|aes-192|aes-256}"
#define IKE1_ENC_HELP "DES encryption\n3DES encryption\nAES 128-bit encryption\nAES 192-bit encryption\n" \
		      "AES 256-bit encryption"
#define IKE1_HASH "{md5|sha|sha256|sha384|sha512}"
#define IKE1_HASH_HELP "MD5 hash\nSHA-1 hash\nSHA-256 hash\nSHA-384 hash\nSHA-512 hash"
#define DH_GROUPS "{1|2|5|14|15|16|19|20|21|24}"
#define DH_GROUPS_HELP "Diffie-Hellman group 1 (768-bit)\nDiffie-Hellman group 2 (1024-bit)\n" \
		       "Diffie-Hellman group 5 (1536-bit)\nDiffie-Hellman group 14 (2048-bit)\n"  \
		       "Diffie-Hellman group 15 (3072-bit)\nDiffie-Hellman group 16 (4096-bit)\n" \
		       "Diffie-Hellman group 19 (256-bit ECP)\nDiffie-Hellman group 20 (384-bit ECP)\n" \
		       "Diffie-Hellman group 21 (521-bit ECP)\nDiffie-Hellman group 24 (2048-bit, 256-bit subgroup)"
#define PFS_GROUPS "{group1|group2|group5|group14|group15|group16|group19|group20|group21|group24}"
#define PFS_GROUPS_HELP "D-H group 1\nD-H group 2\nD-H group 5\nD-H group 14\nD-H group 15\nD-H group 16\n" \
			"D-H group 19\nD-H group 20\nD-H group 21\nD-H group 24"
#define ESP_ENC "{esp-des|esp-3des|esp-aes|esp-aes-192|esp-aes-256|esp-null}"
#define ESP_ENC_HELP "ESP transform using DES cipher (56 bits)\nESP transform using 3DES(EDE) cipher (168 bits)\n" \
		     "ESP transform using AES cipher (128 bits)\nESP transform using AES cipher (192 bits)\n"     \
		     "ESP transform using AES cipher (256 bits)\nESP transform w/o cipher"
#define ESP_AUTH "{esp-md5-hmac|esp-sha-hmac|esp-sha256-hmac|esp-sha384-hmac|esp-sha512-hmac|esp-none}"
#define ESP_AUTH_HELP "ESP transform using HMAC-MD5 auth\nESP transform using HMAC-SHA-1 auth\n" \
		      "ESP transform using HMAC-SHA-256 auth\nESP transform using HMAC-SHA-384 auth\n" \
		      "ESP transform using HMAC-SHA-512 auth\nESP transform w/o auth"
#define SET_HELP "Specify crypto map settings\n"
#define CMAP "crypto map WORD <1-65535>"
#define CMAP_HELP "Configure IPSec policy\nConfigure a crypto map\nCrypto map tag\nSequence number\n"
#define DMAP "crypto dynamic-map WORD <1-65535>"
#define DMAP_HELP "\nConfigure a dynamic crypto map\nDynamic crypto map template tag\nSequence number\n"

/* The PIX one-line forms of the IKEv1 policy attributes. */
#define ISAKMP_ONE_LINER(prefix, help, tail, tailhelp, col)                                        \
	{ CFG, ASA, prefix " " tail, help tailhelp, NO | GRAM_F_HIDDEN, .table = "ike_policy",      \
	  .keys = "version=1 priority=$1", .set = col "=$2", .render = GRAM_R_NEVER }
#define ISAKMP_ONE_LINERS(prefix, help)                                                              \
	ISAKMP_ONE_LINER(prefix, help, "authentication {pre-share|rsa-sig}",                         \
			 "Set authentication method\nPre-shared keys\nRSA signatures", "authentication"),  \
	ISAKMP_ONE_LINER(prefix, help, "encryption " IKE1_ENC, "Set encryption algorithm\n" IKE1_ENC_HELP, \
			 "encryption"),                                                              \
	ISAKMP_ONE_LINER(prefix, help, "hash " IKE1_HASH, "Set hash algorithm\n" IKE1_HASH_HELP, "hash"), \
	ISAKMP_ONE_LINER(prefix, help, "group " DH_GROUPS, "Set Diffie-Hellman group\n" DH_GROUPS_HELP,   \
			 "dh_group"),                                                                \
	ISAKMP_ONE_LINER(prefix, help, "lifetime {<120-2147483647>|none}",                           \
			 "Set the SA lifetime\nLifetime in seconds\nNo lifetime", "lifetime")

/* A crypto map or dynamic map entry command, in both kinds of map. */
#define CRYPTO_MAP_ENTRY(tail, help, ...)                                                          \
	{ CFG, ASA, CMAP " " tail, CMAP_HELP help, NO, .table = "crypto_map_entry",               \
	  .keys = "dynamic=0 map=$1 seq=$2", __VA_ARGS__ },                                       \
	{ CFG, ASA, DMAP " " tail, DMAP_HELP help, NO, .table = "crypto_map_entry",               \
	  .keys = "dynamic=1 map=$1 seq=$2", __VA_ARGS__ }

static const struct gram_cmd gram_cmds_crypto_asa[] = {
	/* ---- transform sets and IKEv2 proposals ---- */
	{ CFG, ASA, "crypto ipsec ikev1 transform-set WORD " ESP_ENC " [" ESP_AUTH "]",
	  "Configure IPSec policy\nConfigure transforms, proposals and global IPsec settings\n"
	  "Set IKEv1 settings\nDefine transform set\nTransform set tag\n" ESP_ENC_HELP "\n" ESP_AUTH_HELP, NO,
	  "transform_set", .table = "transform_set", .keys = "name=$1", .set = "encryption=$2 integrity=$3" },
	{ CFG, ASA, "crypto ipsec ikev1 transform-set WORD mode transport",
	  "\n\n\n\nTransform set tag\nSet the transform set mode\nTransport mode", NO,
	  .table = "transform_set", .keys = "name=$1", .set = "mode=transport" },
	{ CFG, ASA, "crypto ipsec transform-set WORD " ESP_ENC " [" ESP_AUTH "]",
	  "\n\nDefine transform set (IKEv1)\nTransform set tag\n" ESP_ENC_HELP "\n" ESP_AUTH_HELP,
	  NO | GRAM_F_HIDDEN, "transform_set", .table = "transform_set", .keys = "name=$1",
	  .set = "encryption=$2 integrity=$3", .render = GRAM_R_NEVER },
	{ CFG, ASA, "crypto ipsec ikev2 ipsec-proposal WORD",
	  "\n\nSet IKEv2 settings\nDefine an IPsec proposal for IKEv2\nProposal name", NO,
	  .table = "ipsec_proposal", .keys = "name=$1", .enter = GRAM_MODE_IPSEC_PROPOSAL },
	{ GRAM_MODE_IPSEC_PROPOSAL, ASA,
	  "protocol esp encryption {des|3des|aes|aes-192|aes-256|aes-gcm|aes-gcm-192|aes-gcm-256|null}*9",
	  "Configure protocol settings\nEncapsulating Security Payload\nEncryption algorithms\nDES\n3DES\nAES 128\n"
	  "AES 192\nAES 256\nAES-GCM 128\nAES-GCM 192\nAES-GCM 256\nNo encryption", NO,
	  .table = "ipsec_proposal", .set = "encryption=$1" },
	{ GRAM_MODE_IPSEC_PROPOSAL, ASA, "protocol esp integrity {md5|sha-1|sha-256|sha-384|sha-512|null}*6",
	  "\n\nIntegrity algorithms\nMD5\nSHA-1\nSHA-256\nSHA-384\nSHA-512\nNo integrity", NO,
	  .table = "ipsec_proposal", .set = "integrity=$1" },

	/* ---- global IPsec settings ---- */
	{ CFG, ASA, "crypto ipsec security-association lifetime seconds <120-2147483647>",
	  "\n\nSecurity association settings\nSecurity association lifetime\nLifetime in seconds\nSeconds",
	  NO, .table = "crypto_global", .keys = "id=1", .set = "sa_lifetime_seconds=$1", .render = SHOW,
	  .dflt = "28800" },
	{ CFG, ASA, "crypto ipsec security-association lifetime kilobytes <10-2147483647>",
	  "\n\n\n\nLifetime in kilobytes\nKilobytes", NO, .table = "crypto_global", .keys = "id=1",
	  .set = "sa_lifetime_kilobytes=$1", .render = SHOW, .dflt = "4608000" },
	{ CFG, ASA, "crypto ipsec security-association pmtu-aging {infinite|<10-30>}",
	  "\n\n\nPath MTU aging\nNo aging\nMinutes", NO, .table = "crypto_global", .keys = "id=1",
	  .set = "pmtu_aging=$1" },
	{ CFG, ASA, "crypto ipsec security-association replay window-size {0|64|128|256|512|1024}",
	  "\n\n\nAnti-replay settings\nWindow size\nDisable anti-replay\n64 packets\n128 packets\n256 packets\n"
	  "512 packets\n1024 packets", NO, .table = "crypto_global", .keys = "id=1", .set = "replay_window=$1" },

	{ CFG, ASA, "crypto ipsec df-bit {clear-df|copy-df|set-df} WORD",
	  "\n\nDF bit of encapsulated packets\nClear the DF bit\nCopy the DF bit from the inner packet\n"
	  "Set the DF bit\nInterface name (nameif)", NO, .table = "ipsec_df_bit", .keys = "ifname=$2",
	  .set = "policy=$1" },

	/* ---- crypto maps ---- */
	{ CFG, ASA, "crypto dynamic-map WORD <1-65535>", "\nConfigure a dynamic crypto map\n"
	  "Dynamic crypto map template tag\nSequence number", GRAM_F_NO_ONLY | GRAM_F_NO_FULL,
	  .table = "crypto_map_entry", .keys = "dynamic=1 map=$1 seq=$2" },
	CRYPTO_MAP_ENTRY("match address WORD", "Match values of packet\nMatch address of packets to encrypt\n"
			 "Access-list name", .set = "acl=$3"),
	CRYPTO_MAP_ENTRY("set pfs [" PFS_GROUPS "]", SET_HELP "Specify pfs settings\n" PFS_GROUPS_HELP,
			 .set = "pfs=$3", .dflt = "group2"),
	CRYPTO_MAP_ENTRY("set peer {A.B.C.D|WORD}*10", SET_HELP "Set peer address\nIP address of peer\nPeer name",
			 .list = "crypto_map_peer.peer"),
	CRYPTO_MAP_ENTRY("set ikev1 transform-set WORD*11", SET_HELP "Set IKEv1 settings\nSpecify transform sets\n"
			 "Transform set name", .list = "crypto_map_transform.name version=1"),
	CRYPTO_MAP_ENTRY("set ikev2 ipsec-proposal WORD*11", SET_HELP "Set IKEv2 settings\nSpecify IPsec proposals\n"
			 "Proposal name", .list = "crypto_map_transform.name version=2"),
	CRYPTO_MAP_ENTRY("set security-association lifetime seconds <120-2147483647>",
			 SET_HELP "Security association settings\nSecurity association lifetime\nLifetime in seconds\n"
			 "Seconds", .set = "lifetime_seconds=$3"),
	CRYPTO_MAP_ENTRY("set security-association lifetime kilobytes {<10-2147483647>|unlimited}",
			 SET_HELP "Security association settings\nSecurity association lifetime\nLifetime in kilobytes\n"
			 "Kilobytes\nNo volume limit", .set = "lifetime_kilobytes=$3"),
	CRYPTO_MAP_ENTRY("set connection-type {answer-only|originate-only|bidirectional}",
			 SET_HELP "Specify connection type\nAnswer only\nOriginate only\nBoth directions",
			 .set = "connection_type=$3"),
	CRYPTO_MAP_ENTRY("set phase1-mode {main|aggressive} [{group1|group2|group5|group14|group15|group16|group19|"
			 "group20|group21|group24}]",
			 SET_HELP "Set the phase 1 mode for this entry\nMain Mode\nAggressive Mode\n"
			 "Diffie-Hellman group 1\nDiffie-Hellman group 2\nDiffie-Hellman group 5\nDiffie-Hellman group 14\n"
			 "Diffie-Hellman group 15\nDiffie-Hellman group 16\nDiffie-Hellman group 19\nDiffie-Hellman group 20\n"
			 "Diffie-Hellman group 21\nDiffie-Hellman group 24",
			 .set = "phase1_mode=$3 phase1_group=$4"),
	CRYPTO_MAP_ENTRY("set nat-t-disable", SET_HELP "Disable NAT traversal", .set = "nat_t_disable=1"),
	CRYPTO_MAP_ENTRY("set reverse-route", SET_HELP "Enable reverse route injection", .set = "reverse_route=1"),
	/* the old spelling of set ikev1 transform-set */
	{ CFG, ASA, CMAP " set transform-set WORD*11", CMAP_HELP SET_HELP "Specify transform sets\nTransform set name",
	  NO | GRAM_F_HIDDEN, .table = "crypto_map_entry", .keys = "dynamic=0 map=$1 seq=$2",
	  .list = "crypto_map_transform.name version=1", .render = GRAM_R_NEVER },
	{ CFG, ASA, CMAP " ipsec-isakmp dynamic WORD", CMAP_HELP "IPsec w/ISAKMP\nUse a dynamic crypto map\n"
	  "Dynamic crypto map name", NO, .table = "crypto_map_entry", .keys = "dynamic=0 map=$1 seq=$2",
	  .set = "dynamic_map=$3" },
	{ CFG, ASA, CMAP, CMAP_HELP, GRAM_F_NO_ONLY | GRAM_F_NO_FULL, .table = "crypto_map_entry",
	  .keys = "dynamic=0 map=$1 seq=$2" },
	{ CFG, ASA, "crypto map WORD", "\n\nCrypto map tag", GRAM_F_NO_ONLY | GRAM_F_NO_FULL, "crypto_map_remove" },
	{ CFG, ASA, "crypto map WORD interface WORD", "\n\nCrypto map tag\nApply the crypto map to an interface\n"
	  "Interface name (nameif)", NO | GRAM_F_NO_FULL, "crypto_map_interface", .table = "crypto_map_interface",
	  .keys = "map=$1 ifname=$2" },

	/* ---- IKEv2 ---- */
	{ CFG, ASA, "crypto ikev2 policy <1-65535>", "\nConfigure IKEv2\nSet IKEv2 policy suite\nPolicy suite priority",
	  NO, .table = "ike_policy", .keys = "version=2 priority=$1", .enter = GRAM_MODE_IKEV2_POLICY },
	{ GRAM_MODE_IKEV2_POLICY, ASA,
	  "encryption {des|3des|aes|aes-192|aes-256|aes-gcm|aes-gcm-192|aes-gcm-256|null}*9",
	  "Set encryption algorithms\nDES\n3DES\nAES 128\nAES 192\nAES 256\nAES-GCM 128\nAES-GCM 192\nAES-GCM 256\n"
	  "No encryption (with AES-GCM only)", NO, .table = "ike_policy", .set = "encryption=$1" },
	{ GRAM_MODE_IKEV2_POLICY, ASA, "integrity {md5|sha|sha256|sha384|sha512|null}*6",
	  "Set integrity algorithms\nMD5\nSHA-1\nSHA-256\nSHA-384\nSHA-512\nNo integrity (with AES-GCM)", NO,
	  .table = "ike_policy", .set = "integrity=$1" },
	{ GRAM_MODE_IKEV2_POLICY, ASA, "group " DH_GROUPS "*10", "Set Diffie-Hellman groups\n" DH_GROUPS_HELP, NO,
	  .table = "ike_policy", .set = "dh_group=$1" },
	{ GRAM_MODE_IKEV2_POLICY, ASA, "prf {md5|sha|sha256|sha384|sha512}*5",
	  "Set pseudo-random functions\nMD5\nSHA-1\nSHA-256\nSHA-384\nSHA-512", NO, .table = "ike_policy",
	  .set = "prf=$1" },
	{ GRAM_MODE_IKEV2_POLICY, ASA, "lifetime seconds <120-2147483647>",
	  "Set the SA lifetime\nLifetime in seconds\nSeconds", NO, .table = "ike_policy", .set = "lifetime=$1",
	  .render = SHOW, .dflt = "86400" },
	{ CFG, ASA, "crypto ikev2 enable WORD", "\n\nEnable IKEv2 on an interface\nInterface name (nameif)",
	  NO | GRAM_F_NO_FULL, .table = "ike_interface", .keys = "version=2 ifname=$1" },

	/* ---- IKEv1 ---- */
	{ CFG, ASA, "crypto ikev1 enable WORD", "\nConfigure IKEv1\nEnable IKEv1 on an interface\n"
	  "Interface name (nameif)", NO | GRAM_F_NO_FULL, .table = "ike_interface", .keys = "version=1 ifname=$1" },
	{ CFG, ASA, "crypto isakmp enable WORD", "\nConfigure ISAKMP (IKEv1)\nEnable ISAKMP on an interface\n"
	  "Interface name (nameif)", NO | GRAM_F_NO_FULL | GRAM_F_HIDDEN, .table = "ike_interface",
	  .keys = "version=1 ifname=$1", .render = GRAM_R_NEVER },
	{ CFG, ASA, "crypto ikev1 policy <1-65535>", "\n\nSet IKEv1 policy suite\nPolicy suite priority", NO,
	  .table = "ike_policy", .keys = "version=1 priority=$1", .enter = GRAM_MODE_IKEV1_POLICY },
	{ CFG, ASA, "crypto isakmp policy <1-65535>", "\n\nSet ISAKMP policy suite\nPolicy suite priority", NO,
	  .table = "ike_policy", .keys = "version=1 priority=$1", .enter = GRAM_MODE_IKEV1_POLICY,
	  .render = GRAM_R_NEVER },
	{ GRAM_MODE_IKEV1_POLICY, ASA, "authentication {pre-share|rsa-sig}",
	  "Set authentication method\nPre-shared keys\nRSA signatures", NO, .table = "ike_policy",
	  .set = "authentication=$1", .render = SHOW, .dflt = "pre-share" },
	{ GRAM_MODE_IKEV1_POLICY, ASA, "encryption " IKE1_ENC, "Set encryption algorithm\n" IKE1_ENC_HELP, NO,
	  .table = "ike_policy", .set = "encryption=$1", .render = SHOW, .dflt = "3des" },
	{ GRAM_MODE_IKEV1_POLICY, ASA, "hash " IKE1_HASH, "Set hash algorithm\n" IKE1_HASH_HELP, NO,
	  .table = "ike_policy", .set = "hash=$1", .render = SHOW, .dflt = "sha" },
	{ GRAM_MODE_IKEV1_POLICY, ASA, "group " DH_GROUPS, "Set Diffie-Hellman group\n" DH_GROUPS_HELP, NO,
	  .table = "ike_policy", .set = "dh_group=$1", .render = SHOW, .dflt = "2" },
	{ GRAM_MODE_IKEV1_POLICY, ASA, "lifetime {<120-2147483647>|none}",
	  "Set the SA lifetime\nLifetime in seconds\nNo lifetime", NO, .table = "ike_policy", .set = "lifetime=$1",
	  .render = SHOW, .dflt = "86400" },
	/* the one-line PIX/ASA 8.2 forms */
	ISAKMP_ONE_LINERS("crypto isakmp policy <1-65535>", "\n\n\nPolicy suite priority\n"),
	ISAKMP_ONE_LINERS("isakmp policy <1-65535>", "ISAKMP (PIX form)\nSet ISAKMP policy suite\nPolicy suite priority\n"),
	{ CFG, ASA, "crypto isakmp identity {address|hostname|auto|key-id}",
	  "\n\nSet the identity sent to peers\nThe interface address\nThe hostname\n"
	  "Address for preshared keys, certificate DN otherwise\nA key-id", NO,
	  .table = "crypto_global", .keys = "id=1", .set = "isakmp_identity=$1" },
	{ CFG, ASA, "crypto isakmp nat-traversal [<10-3600>]", "\n\nEnable NAT traversal\nNAT keepalive interval (seconds)",
	  NO, .table = "crypto_global", .keys = "id=1", .set = "nat_traversal=$1", .dflt = "20" },
	{ CFG, ASA, "crypto ikev1 am-disable", "\n\nRefuse aggressive mode", NO, .table = "crypto_global",
	  .keys = "id=1", .set = "am_disable=1" },
	{ CFG, ASA, "crypto isakmp am-disable", "\n\nRefuse aggressive mode", NO | GRAM_F_HIDDEN,
	  .table = "crypto_global", .keys = "id=1", .set = "am_disable=1", .render = GRAM_R_NEVER },

	/* ---- group policies ---- */
	{ CFG, ASA, "group-policy WORD {internal|external}", "Configure a group policy\nGroup policy name\n"
	  "Policy stored on this device\nPolicy stored on a server", NO,
	  .table = "group_policy", .keys = "name=$1", .set = "kind=$2" },
	{ CFG, ASA, "group-policy WORD attributes", "\n\nEnter the attributes sub-mode", 0,
	  .table = "group_policy", .keys = "name=$1", .enter = GRAM_MODE_GROUP_POLICY },
	{ CFG, ASA, "group-policy WORD", "\nGroup policy name", GRAM_F_NO_ONLY | GRAM_F_NO_FULL,
	  .table = "group_policy", .keys = "name=$1" },
	{ GRAM_MODE_GROUP_POLICY, ASA, "vpn-tunnel-protocol {ikev1|ikev2|l2tp-ipsec|ssl-client|ssl-clientless}*5",
	  "Set the tunnel protocols\nIKEv1\nIKEv2\nL2TP over IPsec\nAnyConnect SSL client\nClientless SSL VPN", NO,
	  .table = "group_policy", .set = "vpn_tunnel_protocol=$1" },

	/* ---- tunnel groups ---- */
	{ CFG, ASA, "tunnel-group WORD type {ipsec-l2l|ipsec-ra=remote-access|remote-access|webvpn}",
	  "Configure a tunnel group\nTunnel group name (a peer's address for site-to-site)\nSet the type\n"
	  "Site-to-site (LAN-to-LAN)\nRemote access (IPsec, older name)\nRemote access\nClientless SSL VPN",
	  NO, "tunnel_group_type", .table = "tunnel_group", .keys = "name=$1", .set = "type=$2" },
	{ CFG, ASA, "tunnel-group WORD general-attributes", "\n\nEnter the general attributes sub-mode", 0,
	  "tunnel_group_attributes", .table = "tunnel_group", .keys = "name=$1", .enter = GRAM_MODE_TUNNEL_GENERAL },
	{ CFG, ASA, "tunnel-group WORD ipsec-attributes", "\n\nEnter the IPsec attributes sub-mode", 0,
	  "tunnel_group_attributes", .table = "tunnel_group", .keys = "name=$1", .enter = GRAM_MODE_TUNNEL_IPSEC },
	{ CFG, ASA, "tunnel-group WORD", "\nTunnel group name", GRAM_F_NO_ONLY | GRAM_F_NO_FULL, "tunnel_group_remove" },
	{ GRAM_MODE_TUNNEL_GENERAL, ASA, "default-group-policy WORD", "Set the default group policy\nGroup policy name",
	  NO, .table = "tunnel_group", .set = "default_group_policy=$1" },
	{ GRAM_MODE_TUNNEL_IPSEC, ASA, "ikev1 pre-shared-key WORD", "IKEv1 settings\nSet the pre-shared key\n"
	  "The key (up to 128 characters)", NO, "psk", .table = "tunnel_group", .set = "psk=$1",
	  .render = GRAM_R_SECRET },
	{ GRAM_MODE_TUNNEL_IPSEC, ASA, "pre-shared-key WORD", "Set the pre-shared key (IKEv1)\n"
	  "The key (up to 128 characters)", NO | GRAM_F_HIDDEN, "psk", .table = "tunnel_group", .set = "psk=$1",
	  .render = GRAM_R_NEVER },
	{ GRAM_MODE_TUNNEL_IPSEC, ASA, "ikev2 local-authentication pre-shared-key WORD",
	  "IKEv2 settings\nHow this device authenticates\nWith a pre-shared key\nThe key (up to 128 characters)",
	  NO, "psk", .table = "tunnel_group", .set = "ikev2_local_psk=$1", .render = GRAM_R_SECRET },
	{ GRAM_MODE_TUNNEL_IPSEC, ASA, "ikev2 remote-authentication pre-shared-key WORD",
	  "\nHow the peer authenticates\nWith a pre-shared key\nThe key (up to 128 characters)", NO, "psk",
	  .table = "tunnel_group", .set = "ikev2_remote_psk=$1", .render = GRAM_R_SECRET },
	{ GRAM_MODE_TUNNEL_IPSEC, ASA, "isakmp keepalive threshold <10-3600> retry <2-10>",
	  "ISAKMP settings\nDead peer detection\nSeconds of silence before probing\nSeconds\n"
	  "Seconds between probes\nSeconds", NO, .table = "tunnel_group",
	  .set = "keepalive_threshold=$1 keepalive_retry=$2" },
	{ GRAM_MODE_TUNNEL_IPSEC, ASA, "isakmp keepalive disable", "\n\nNo dead peer detection", NO,
	  .table = "tunnel_group", .set = "keepalive_disable=1" },
	{ GRAM_MODE_TUNNEL_IPSEC, ASA, "peer-id-validate {req|cert|nocheck}",
	  "Validate the peer's identity\nRequired\nIf the peer sends a certificate\nDo not check", NO,
	  .table = "tunnel_group", .set = "peer_id_validate=$1" },

	/* ---- sysopt ---- */
	{ CFG, ASA, "sysopt connection permit-vpn", "System options\nConnection options\n"
	  "Let decrypted VPN traffic bypass interface access lists", NO, .table = "crypto_global", .keys = "id=1",
	  .set = "permit_vpn=1", .render = GRAM_R_NO_WHEN_UNSET | GRAM_R_QUIET_SET },
};

const struct gram_cmd_list gram_list_crypto_asa = { gram_cmds_crypto_asa,
						    sizeof(gram_cmds_crypto_asa) / sizeof(gram_cmds_crypto_asa[0]) };
