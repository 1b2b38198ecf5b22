/*
 * cmds_ios_crypto.c -- the IOS personality's IPsec configuration: ISAKMP
 * policies and keys, keyrings and ISAKMP profiles, transform sets and IPsec
 * profiles, crypto maps (sub-mode form), dynamic maps, and `crypto map` under
 * an interface. The rows are the same as the ASA's (pf_store_schema_crypto.c):
 * `crypto isakmp key K address A` is the tunnel group named A, an ISAKMP
 * policy is an IKE version 1 policy, `esp-aes 256` is esp-aes-256.
 *
 * The order of definitions bound to a table is the order of their lines in
 * `show running-config`, as IOS 15 prints them.
 */
#include "grammar/gram.h"

#define CFG GRAM_MODE_CONFIG
#define IOS GRAM_IOS
#define NO  (GRAM_F_NO | GRAM_F_DEFAULT)

#define IOS_GROUPS "{1|2|5|14|15|16|19|20|21|24}"
#define IOS_GROUPS_HELP "Diffie-Hellman group 1 (768 bit)\nDiffie-Hellman group 2 (1024 bit)\n" \
			"Diffie-Hellman group 5 (1536 bit)\nDiffie-Hellman group 14 (2048 bit)\n"  \
			"Diffie-Hellman group 15 (3072 bit)\nDiffie-Hellman group 16 (4096 bit)\n" \
			"Diffie-Hellman group 19 (256 bit ecp)\nDiffie-Hellman group 20 (384 bit ecp)\n" \
			"Diffie-Hellman group 21 (521 bit ecp)\nDiffie-Hellman group 24 (2048 bit, 256 bit subgroup)"
#define IOS_PFS "{group1|group2|group5|group14|group15|group16|group19|group20|group21|group24}"
#define IOS_PFS_HELP "D-H Group1 (768-bit modulus)\nD-H Group2 (1024-bit modulus)\nD-H Group5 (1536-bit modulus)\n" \
		     "D-H Group14 (2048-bit modulus)\nD-H Group15 (3072-bit modulus)\nD-H Group16 (4096-bit modulus)\n" \
		     "D-H Group19 (256-bit order ECP)\nD-H Group20 (384-bit order ECP)\nD-H Group21 (521-bit order ECP)\n" \
		     "D-H Group24 (2048-bit modulus & 256-bit prime order subgroup)"
/* `esp-aes 256` and `esp-gcm 256` are the stored esp-aes-256 and esp-gcm-256 */
#define IOS_ESP_ENC "{esp-des|esp-3des|esp-null|esp-aes|esp-aes 128=esp-aes|esp-aes 192=esp-aes-192|" \
		    "esp-aes 256=esp-aes-256|esp-gcm|esp-gcm 128=esp-gcm|esp-gcm 256=esp-gcm-256}"
#define IOS_ESP_ENC_HELP "ESP transform using DES cipher (56 bits)\nESP transform using 3DES(EDE) cipher (168 bits)\n" \
			 "ESP transform w/o cipher\nESP transform using AES cipher\nESP transform using AES cipher\n" \
			 "128 bit keys.\nESP transform using AES cipher\n192 bit keys.\nESP transform using AES cipher\n" \
			 "256 bit keys.\nESP transform using GCM cipher\nESP transform using GCM cipher\n128 bit keys.\n" \
			 "ESP transform using GCM cipher\n256 bit keys."
#define IOS_ESP_AUTH "{esp-md5-hmac|esp-sha-hmac|esp-sha256-hmac|esp-sha384-hmac|esp-sha512-hmac}"
#define IOS_ESP_AUTH_HELP "ESP transform using HMAC-MD5 auth\nESP transform using HMAC-SHA auth\n" \
			  "ESP transform using HMAC-SHA256 auth\nESP transform using HMAC-SHA384 auth\n" \
			  "ESP transform using HMAC-SHA512 auth"

static const struct gram_cmd gram_cmds_ios_crypto[] = {
	/* ---- keyrings ---- */
	{ CFG, IOS, "crypto keyring WORD", "Encryption module\nKey ring commands\nName of a key ring", NO,
	  .table = "keyring", .keys = "name=$1", .enter = GRAM_MODE_KEYRING },
	{ GRAM_MODE_KEYRING, IOS, "pre-shared-key address A.B.C.D [MASK] key WORD",
	  "Pre-shared key\nAddress of the peer\nIP address of the peer\nMask of the peer\nKey\nThe pre-shared key",
	  GRAM_F_NO, "psk", .table = "keyring_key", .keys = "keyring=@name address=$1", .set = "psk=$3 mask=$2",
	  .render = GRAM_R_SECRET },

	/* ---- ISAKMP ---- */
	{ CFG, IOS, "crypto isakmp policy <1-10000>", "\nInternet Key Exchange (IKE) subsystem\n"
	  "Set policy for an ISAKMP protection suite\nPriority of protection suite", NO,
	  .table = "ike_policy", .keys = "version=1 priority=$1", .enter = GRAM_MODE_IKEV1_POLICY },
	{ GRAM_MODE_IKEV1_POLICY, IOS,
	  "encryption@encr {des|3des|aes|aes 128=aes|aes 192=aes-192|aes 256=aes-256}",
	  "Set encryption algorithm for protection suite\nDES - Data Encryption Standard (56 bit keys).\n"
	  "Three key triple DES\nAES - Advanced Encryption Standard.\nAES - Advanced Encryption Standard.\n"
	  "128 bit keys.\nAES - Advanced Encryption Standard.\n192 bit keys.\nAES - Advanced Encryption Standard.\n"
	  "256 bit keys.", NO, .table = "ike_policy", .set = "encryption=$1" },
	{ GRAM_MODE_IKEV1_POLICY, IOS, "hash {md5|sha|sha256|sha384|sha512}",
	  "Set hash algorithm for protection suite\nMessage Digest 5\nSecure Hash Standard\nSecure Hash Standard 2 (256 bit)\n"
	  "Secure Hash Standard 2 (384 bit)\nSecure Hash Standard 2 (512 bit)", NO, .table = "ike_policy",
	  .set = "hash=$1" },
	{ GRAM_MODE_IKEV1_POLICY, IOS, "authentication {pre-share|rsa-sig|rsa-encr}",
	  "Set authentication method for protection suite\nPre-Shared Key\nRivest-Shamir-Adelman Signature\n"
	  "Rivest-Shamir-Adelman Encryption", NO, .table = "ike_policy", .set = "authentication=$1" },
	{ GRAM_MODE_IKEV1_POLICY, IOS, "group " IOS_GROUPS, "Set the Diffie-Hellman group\n" IOS_GROUPS_HELP, NO,
	  .table = "ike_policy", .set = "dh_group=$1" },
	{ GRAM_MODE_IKEV1_POLICY, IOS, "lifetime <60-86400>",
	  "Set lifetime for ISAKMP security association\nlifetime in seconds", NO, .table = "ike_policy",
	  .set = "lifetime=$1" },
	{ CFG, IOS, "crypto isakmp key WORD address A.B.C.D [MASK] [no-xauth]",
	  "\n\nSet pre-shared key for remote peer\npre-shared key\ndefine shared key with IP address\nPeer IP address\n"
	  "Peer IP subnet mask\nBypasses XAuth for this peer", GRAM_F_NO_FULL, "psk", .table = "tunnel_group",
	  .keys = "name=$2", .set = "psk=$1 ios_mask=$3 ios_no_xauth=$4 type=ipsec-l2l", .render = GRAM_R_SECRET },
	{ CFG, IOS, "crypto isakmp keepalive <10-3600> [<2-60>] [{periodic|on-demand}]",
	  "\n\nSet a keepalive interval for use with IOS peers\nnumber of seconds between keep alives\n"
	  "number of seconds between retries if keepalive fails\nThe keepalives are sent periodically\n"
	  "The keepalives are sent on demand (default)", NO, .table = "crypto_global", .keys = "id=1",
	  .set = "keepalive=$1 keepalive_retry=$2 keepalive_mode=$3" },
	{ CFG, IOS, "crypto isakmp nat keepalive <5-3600>",
	  "\n\nSet NAT related parameters\nSet NAT keepalive interval\nnumber of seconds between keepalives", NO,
	  .table = "crypto_global", .keys = "id=1", .set = "nat_keepalive=$1" },
	{ CFG, IOS, "crypto isakmp invalid-spi-recovery", "\n\nInitiate IKE and send Invalid SPI Notify", NO,
	  .table = "crypto_global", .keys = "id=1", .set = "invalid_spi_recovery=1" },
	{ CFG, IOS, "crypto isakmp aggressive-mode disable", "\n\nDisable aggressive mode\nDisable aggressive mode",
	  NO, .table = "crypto_global", .keys = "id=1", .set = "am_disable=1" },
	{ CFG, IOS, "crypto isakmp profile WORD", "\n\nDefine ISAKMP Profiles\nName", NO, .table = "isakmp_profile",
	  .keys = "name=$1", .enter = GRAM_MODE_ISAKMP_PROFILE },
	{ GRAM_MODE_ISAKMP_PROFILE, IOS, "keyring WORD", "Keyring to use with local certificate authentication\n"
	  "Keyring name", NO, .table = "isakmp_profile", .set = "keyring=$1" },
	{ GRAM_MODE_ISAKMP_PROFILE, IOS, "match identity address A.B.C.D [MASK]",
	  "Match values of peer\nPeer identity\nIP Address(es)\nIP address prefix\nIP address mask", NO,
	  .table = "isakmp_profile", .set = "match_address=$1 match_mask=$2" },
	{ GRAM_MODE_ISAKMP_PROFILE, IOS, "self-identity {address|fqdn}",
	  "Specify Identity to use\nIP address\nFully qualified domain name", NO, .table = "isakmp_profile",
	  .set = "self_identity=$1" },

	/* ---- IPsec ---- */
	{ CFG, IOS, "crypto ipsec security-association lifetime seconds <120-86400>",
	  "\nConfigure IPSEC policy\nSecurity association parameters\nSecurity association lifetime\n"
	  "Time-based key duration in seconds\n<120-86400>", NO, .table = "crypto_global", .keys = "id=1",
	  .set = "sa_lifetime_seconds=$1" },
	{ CFG, IOS, "crypto ipsec security-association lifetime kilobytes <2560-4294967295>",
	  "\n\n\n\nVolume-based key duration\n<2560-4294967295>", NO, .table = "crypto_global", .keys = "id=1",
	  .set = "sa_lifetime_kilobytes=$1" },
	{ CFG, IOS, "crypto ipsec security-association replay window-size {64|128|256|512|1024}",
	  "\n\n\nSet replay checking\nSet replay window size\n64 packets\n128 packets\n256 packets\n512 packets\n"
	  "1024 packets", NO, .table = "crypto_global", .keys = "id=1", .set = "replay_window=$1" },
	{ CFG, IOS, "crypto ipsec transform-set WORD " IOS_ESP_ENC " [" IOS_ESP_AUTH "]",
	  "\n\nDefine transform and settings\nTransform set tag\n" IOS_ESP_ENC_HELP "\n" IOS_ESP_AUTH_HELP, NO,
	  "transform_set", .table = "transform_set", .keys = "name=$1", .set = "encryption=$2 integrity=$3",
	  .enter = GRAM_MODE_TRANSFORM },
	{ GRAM_MODE_TRANSFORM, IOS, "mode {tunnel|transport}",
	  "encapsulation mode (transport/tunnel)\ntunnel (datagram encapsulation) mode\n"
	  "transport (payload encapsulation) mode", NO, .table = "transform_set", .set = "mode=$1",
	  .render = GRAM_R_SHOW_DEFAULT, .dflt = "tunnel" },
	{ CFG, IOS, "crypto ipsec profile WORD", "\n\nConfigure an ipsec policy profile\nProfile name", NO,
	  .table = "ipsec_profile", .keys = "name=$1", .enter = GRAM_MODE_IPSEC_PROFILE },
	{ GRAM_MODE_IPSEC_PROFILE, IOS, "set transform-set WORD*6",
	  "Set a value\nSpecify list of transform sets in priority order\nTransform set name", NO,
	  .table = "ipsec_profile", .set = "transform_sets=$1" },
	{ GRAM_MODE_IPSEC_PROFILE, IOS, "set pfs [" IOS_PFS "]",
	  "\nSpecify pfs settings\n" IOS_PFS_HELP, NO, .table = "ipsec_profile", .set = "pfs=$1", .dflt = "group1" },
	{ GRAM_MODE_IPSEC_PROFILE, IOS, "set isakmp-profile WORD", "\nSpecify isakmp Profile\nisakmp profile name",
	  NO, .table = "ipsec_profile", .set = "isakmp_profile=$1" },

	/* ---- crypto maps ---- */
	{ CFG, IOS, "crypto dynamic-map WORD <1-65535>",
	  "\nCreate a dynamic crypto map template\nDynamic crypto map template tag\nSequence to insert into dynamic crypto map",
	  NO, .table = "crypto_map_entry", .keys = "dynamic=1 map=$1 seq=$2", .enter = GRAM_MODE_CRYPTO_MAP },
	{ CFG, IOS, "crypto map WORD <1-65535> ipsec-isakmp",
	  "\nEnter a crypto map\nCrypto map tag\nSequence to insert into crypto map entry\nIPSEC w/ISAKMP", NO,
	  "crypto_map_ios_entry", .table = "crypto_map_entry", .keys = "dynamic=0 map=$1 seq=$2",
	  .enter = GRAM_MODE_CRYPTO_MAP },
	{ CFG, IOS, "crypto map WORD <1-65535> ipsec-isakmp dynamic WORD",
	  "\n\n\n\n\nEnable dynamic crypto map support\nName of dynamic crypto map template", NO,
	  .table = "crypto_map_entry", .keys = "dynamic=0 map=$1 seq=$2", .set = "dynamic_map=$3" },
	{ CFG, IOS, "crypto map WORD <1-65535>", "\n\nCrypto map tag\nSequence to insert into crypto map entry",
	  GRAM_F_NO_ONLY | GRAM_F_NO_FULL, .table = "crypto_map_entry", .keys = "dynamic=0 map=$1 seq=$2" },
	{ CFG, IOS, "crypto map WORD", "\n\nCrypto map tag", GRAM_F_NO_ONLY | GRAM_F_NO_FULL, "crypto_map_remove" },
	{ CFG, IOS, "crypto map WORD local-address WORD",
	  "\n\nCrypto map tag\nInterface to use for local address for this crypto map\nInterface name", NO,
	  .table = "crypto_map_local_address", .keys = "map=$1", .set = "ifname=$2" },
	{ GRAM_MODE_CRYPTO_MAP, IOS, "set peer {A.B.C.D|WORD}",
	  "Set a value\nAllowed Encryption/Decryption peer\nIP address of peer\nHost name of the peer", GRAM_F_NO,
	  .table = "crypto_map_entry", .list = "+crypto_map_peer.peer" },
	{ GRAM_MODE_CRYPTO_MAP, IOS, "set security-association lifetime seconds <120-86400>",
	  "\nSecurity association parameters\nSecurity association lifetime\nTime-based key duration in seconds\n"
	  "<120-86400>", NO, .table = "crypto_map_entry", .set = "lifetime_seconds=$1" },
	{ GRAM_MODE_CRYPTO_MAP, IOS, "set security-association lifetime kilobytes <2560-4294967295>",
	  "\n\n\nVolume-based key duration\n<2560-4294967295>", NO, .table = "crypto_map_entry",
	  .set = "lifetime_kilobytes=$1" },
	{ GRAM_MODE_CRYPTO_MAP, IOS, "set transform-set WORD*6",
	  "\nSpecify list of transform sets in priority order\nTransform set name", NO, .table = "crypto_map_entry",
	  .list = "crypto_map_transform.name version=1" },
	{ GRAM_MODE_CRYPTO_MAP, IOS, "set pfs [" IOS_PFS "]", "\nSpecify pfs settings\n" IOS_PFS_HELP, NO,
	  .table = "crypto_map_entry", .set = "pfs=$1", .dflt = "group1" },
	{ GRAM_MODE_CRYPTO_MAP, IOS, "set isakmp-profile WORD", "\nSpecify isakmp Profile\nisakmp profile name", NO,
	  .table = "crypto_map_entry", .set = "isakmp_profile=$1" },
	{ GRAM_MODE_CRYPTO_MAP, IOS, "match address {<100-199>|WORD}",
	  "Match values.\nMatch address of packets to encrypt.\nIP access-list number\nIP access-list name", NO,
	  .table = "crypto_map_entry", .set = "acl=$1" },
	{ GRAM_MODE_CRYPTO_MAP, IOS, "reverse-route", "Reverse Route Injection.", NO, .table = "crypto_map_entry",
	  .set = "reverse_route=1" },

	/* show commands over the configuration */
	{ GRAM_MODE_EXEC, IOS, "show crypto isakmp policy",
	  "\nEncryption module\nShow ISAKMP\nShow ISAKMP protection suite policy", GRAM_F_PIPE,
	  "show_crypto_isakmp_policy" },
	{ GRAM_MODE_EXEC, IOS, "show crypto ipsec transform-set [WORD]",
	  "\n\nShow IPSEC policy\nCrypto transform sets\nTransform set name", GRAM_F_PIPE,
	  "show_crypto_transform_set" },
	{ GRAM_MODE_EXEC, IOS, "show crypto map [tag WORD]", "\n\nCrypto maps\nCrypto maps with a given tag\n"
	  "Crypto map tag", GRAM_F_PIPE, "show_crypto_map" },
	{ GRAM_MODE_EXEC, IOS, "show crypto dynamic-map [tag WORD]", "\n\nCrypto map templates\n"
	  "Crypto map templates with a given tag\nCrypto map template tag", GRAM_F_PIPE, "show_crypto_dynamic_map" },

	/* under an interface */
	{ GRAM_MODE_IF, IOS, "crypto map WORD", "Encryption/Decryption commands\nAssign a Crypto Map\nCrypto Map tag",
	  GRAM_F_NO, "crypto_map_ios_interface", .table = "crypto_map_interface", .keys = "map=$1 ifname=@name" },
};

const struct gram_cmd_list gram_list_ios_crypto = { gram_cmds_ios_crypto,
						    sizeof(gram_cmds_ios_crypto) / sizeof(gram_cmds_ios_crypto[0]) };
