/*
 * cmds_base.c -- global configuration basics: hostname, enable secrets,
 * interfaces, and the exit/end of every configuration mode.
 *
 * Interface commands are pure bindings to the `interface` table; the appliance
 * applies rows of that table to the host's Linux interfaces when they change.
 * The order of definitions within a mode is the order of their lines under
 * the interface in `show running-config`, as each device prints them.
 */
#include "grammar/gram.h"

#define CFG GRAM_MODE_CONFIG
#define IF  GRAM_MODE_IF
#define NO  GRAM_F_NO
#define NOD (GRAM_F_NO | GRAM_F_DEFAULT) /* `default` exists on IOS only */

/* exit and end, in every configuration mode */
#define GRAM_EXIT_END(mode, dialect)                                                        \
	{ mode, dialect, "exit", "Exit from configure mode", 0, "exit" },                    \
	{ mode, dialect, "end", "Exit from configure mode", 0, "end" }

static const struct gram_cmd gram_cmds_base[] = {
	GRAM_EXIT_END(CFG, GRAM_BOTH),
	GRAM_EXIT_END(IF, GRAM_BOTH),
	GRAM_EXIT_END(GRAM_MODE_OBJGRP_NET, GRAM_BOTH),
	GRAM_EXIT_END(GRAM_MODE_ACL_EXT, GRAM_IOS),
	GRAM_EXIT_END(GRAM_MODE_ACL_STD, GRAM_IOS),
	GRAM_EXIT_END(GRAM_MODE_IKEV1_POLICY, GRAM_BOTH),
	GRAM_EXIT_END(GRAM_MODE_IKEV2_POLICY, GRAM_BOTH),
	GRAM_EXIT_END(GRAM_MODE_IPSEC_PROPOSAL, GRAM_ASA),
	GRAM_EXIT_END(GRAM_MODE_TUNNEL_GENERAL, GRAM_ASA),
	GRAM_EXIT_END(GRAM_MODE_TUNNEL_IPSEC, GRAM_ASA),
	GRAM_EXIT_END(GRAM_MODE_GROUP_POLICY, GRAM_ASA),
	GRAM_EXIT_END(GRAM_MODE_TRANSFORM, GRAM_IOS),
	GRAM_EXIT_END(GRAM_MODE_CRYPTO_MAP, GRAM_IOS),
	GRAM_EXIT_END(GRAM_MODE_KEYRING, GRAM_IOS),
	GRAM_EXIT_END(GRAM_MODE_ISAKMP_PROFILE, GRAM_IOS),
	GRAM_EXIT_END(GRAM_MODE_IPSEC_PROFILE, GRAM_IOS),

	{ CFG, GRAM_ASA, "hostname WORD", "Change host name of the system\nThis system's network name", NO, "hostname",
	  .table = "system", .keys = "id=1", .set = "hostname=$1", .render = GRAM_R_SHOW_DEFAULT, .dflt = "ciscoasa" },
	{ CFG, GRAM_IOS, "hostname WORD", "Set system's network name\nThis system's network name", NOD, "hostname",
	  .table = "system", .keys = "id=1", .set = "hostname=$1", .render = GRAM_R_SHOW_DEFAULT, .dflt = "Router" },

	/* Secrets are hashed by the handlers; the enable section renders them. */
	{ CFG, GRAM_ASA, "enable password WORD [{encrypted|pbkdf2}]",
	  "Configure the privileged mode password\nAssign the privileged level password\n"
	  "The password (up to 127 characters) or its hash\nThe password is already hashed (MD5)\n"
	  "The password is already hashed (PBKDF2)", NO, "enable_password" },
	{ CFG, GRAM_IOS, "enable secret [{0|5|8|9}] WORD",
	  "Modify enable password parameters\nAssign the privileged level secret\n"
	  "Specifies an UNENCRYPTED password will follow\nSpecifies a MD5 HASHED secret will follow\n"
	  "Specifies a PBKDF2 HASHED secret will follow\nSpecifies a SCRYPT HASHED secret will follow\n"
	  "The secret", NO, "enable_password" },

	{ CFG, GRAM_BOTH, "interface WORD", "Select an interface to configure\nInterface name", NO,
	  .table = "interface", .keys = "name=$1", .enter = IF },

	/* ASA order: description, shutdown, nameif, security-level, ip address */
	{ IF, GRAM_BOTH, "description LINE", "Interface specific description\nUp to 200 characters describing this interface",
	  NOD, .table = "interface", .set = "description=$1" },
	{ IF, GRAM_ASA, "shutdown", "Shutdown the selected interface", NO,
	  .table = "interface", .set = "shutdown=1" },
	{ IF, GRAM_ASA, "nameif WORD", "Assign name to interface\nName for the interface (up to 48 characters)", NO,
	  .table = "interface", .set = "nameif=$1", .render = GRAM_R_NO_WHEN_UNSET },
	{ IF, GRAM_ASA, "security-level <0-100>", "Specify security-level for this interface\nSecurity level", NO,
	  .table = "interface", .set = "security_level=$1", .render = GRAM_R_NO_WHEN_UNSET },
	{ IF, GRAM_BOTH, "ip address A.B.C.D MASK",
	  "Interface Internet Protocol config commands\nSet the IP address of an interface\nIP address\nIP subnet mask",
	  NOD, .table = "interface", .set = "ip_address=$1 ip_mask=$2", .render = GRAM_R_NO_WHEN_UNSET },
	{ IF, GRAM_IOS, "shutdown", "Shutdown the selected interface", NOD,
	  .table = "interface", .set = "shutdown=1" },

	/* First lines of a saved configuration, accepted so that it pastes back. */
	{ CFG, GRAM_ASA, "asa version LINE", "ASA software version\nVersion\nVersion string", GRAM_F_HIDDEN,
	  "ignore" },
	{ CFG, GRAM_IOS, "version LINE", "Version\nVersion string", GRAM_F_HIDDEN, "ignore" },
};

const struct gram_cmd_list gram_list_base = { gram_cmds_base, sizeof(gram_cmds_base) / sizeof(gram_cmds_base[0]) };
