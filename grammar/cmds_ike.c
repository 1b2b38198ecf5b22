/*
 * cmds_ike.c -- the commands engineers troubleshoot IKE and IPsec with: the
 * SA tables (`show crypto isakmp sa`, `show crypto ipsec sa`, ...), clearing
 * them, `debug crypto ...` with its conditions, `terminal monitor`, and the
 * ASA's `packet-tracer`, which brings a tunnel up as traffic would.
 * Handlers are in cli/cli_ike.c and cli/cli_ike_show.c.
 */
#include "grammar/gram.h"

#define EXEC GRAM_MODE_EXEC
#define ASA  GRAM_ASA
#define IOS  GRAM_IOS
#define BOTH GRAM_BOTH
#define P    GRAM_F_PIPE
#define CFG  GRAM_MODE_CONFIG
#define NO   GRAM_F_NO

/* Syslog severities, by name or number (stored as typed). */
#define LEVELS "{<0-7>|alerts|critical|debugging|emergencies|errors|informational|notifications|warnings}"
#define LEVELS_HELP "Logging severity level\nImmediate action needed (severity=1)\nCritical conditions (severity=2)\n" \
	"Debugging messages (severity=7)\nSystem is unusable (severity=0)\nError conditions (severity=3)\n" \
	"Informational messages (severity=6)\nNormal but significant conditions (severity=5)\n" \
	"Warning conditions (severity=4)"

static const struct gram_cmd gram_cmds_ike[] = {
	/* the SA tables */
	{ EXEC, BOTH, "show crypto isakmp sa [detail]",
	  "\nEncryption module\nShow ISAKMP\nISAKMP security associations\nDetailed output", P,
	  "show_crypto_isakmp_sa" },
	{ EXEC, ASA, "show crypto ikev1 sa [detail]", "\n\nShow IKEv1 information\nIKEv1 security associations\n"
	  "Detailed output", P, "show_crypto_isakmp_sa" },
	{ EXEC, BOTH, "show crypto isakmp stats", "\n\n\nISAKMP and IKE message statistics", P,
	  "show_crypto_isakmp_stats" },
	{ EXEC, BOTH, "show crypto ipsec sa [peer A.B.C.D] [detail]",
	  "\n\nShow IPsec information\nIPsec security associations\nThe SAs of one peer\nPeer address\nDetailed output", P,
	  "show_crypto_ipsec_sa" },
	{ EXEC, IOS, "show crypto session [detail]", "\n\nCrypto sessions\nDetailed output", P, "show_crypto_session" },
	{ EXEC, ASA, "show vpn-sessiondb [detail] l2l",
	  "\nShow VPN session database\nDetailed output\nLAN-to-LAN sessions", P, "show_vpn_sessiondb_l2l" },
	{ EXEC, BOTH, "show crypto diagnose [peer A.B.C.D]",
	  "\n\nWhy tunnels are not up: every failed or stuck negotiation in plain words\nOne peer only\nPeer address",
	  P, "show_crypto_diagnose" },

	/* clearing them */
	{ EXEC, ASA, "clear crypto isakmp sa [A.B.C.D]",
	  "Reset functions\nCrypto commands\nISAKMP\nISAKMP security associations\nPeer address", 0, "clear_crypto_isakmp" },
	{ EXEC, ASA, "clear crypto ikev1 sa [A.B.C.D]",
	  "\n\nIKEv1\nIKEv1 security associations\nPeer address", 0, "clear_crypto_isakmp" },
	{ EXEC, ASA, "clear crypto ipsec sa [peer A.B.C.D]",
	  "\n\nIPsec\nIPsec security associations\nThe SAs of one peer\nPeer address", 0, "clear_crypto_ipsec" },
	{ EXEC, ASA, "clear crypto ipsec sa counters [peer A.B.C.D]",
	  "\n\n\n\nIPsec SA counters\nThe SAs of one peer\nPeer address", 0, "clear_crypto_counters" },
	{ EXEC, IOS, "clear crypto sa counters [peer A.B.C.D]",
	  "\n\n\nReset the counters of the crypto SAs\nThe SAs of one crypto peer\nIP address of crypto peer", 0,
	  "clear_crypto_counters" },
	{ EXEC, IOS, "clear crypto isakmp [<1-32766>]",
	  "Reset functions\nEncryption module\nFlush the ISAKMP database\nconnection id of SA", 0,
	  "clear_crypto_isakmp_ios" },
	{ EXEC, IOS, "clear crypto sa [peer A.B.C.D]",
	  "\n\nClear all crypto SAs\nClear all crypto SAs for a given crypto peer\nIP address of crypto peer", 0,
	  "clear_crypto_ipsec" },
	{ EXEC, IOS, "clear crypto session [remote A.B.C.D]",
	  "\n\nClear crypto session\nRemote IKE address\nIP address of the remote IKE peer", 0, "clear_crypto_session" },

	/* debugging */
	{ EXEC, ASA, "debug crypto isakmp [<1-255>]", "Debugging functions (see also 'undebug')\nCrypto debugging\n"
	  "ISAKMP debugging\nSpecify an optional debug level (default is 1)", 0, "debug_crypto_isakmp" },
	{ EXEC, ASA, "debug crypto ipsec [<1-255>]", "\n\nIPsec debugging\nSpecify an optional debug level (default is 1)",
	  0, "debug_crypto_ipsec" },
	{ EXEC, IOS, "debug crypto isakmp", "Debugging functions (see also 'undebug')\nCryptographic subsystem\n"
	  "Crypto ISAKMP debugging", 0, "debug_crypto_isakmp" },
	{ EXEC, IOS, "debug crypto ipsec", "\n\nCrypto IPSEC debugging", 0, "debug_crypto_ipsec" },
	{ EXEC, IOS, "debug crypto condition peer ipv4 A.B.C.D",
	  "\n\nDefine debug condition filters\nIKE peer filter\nIPv4 address filter\nIPv4 address", 0,
	  "debug_crypto_condition" },
	{ EXEC, ASA, "debug crypto condition peer A.B.C.D",
	  "\n\nDefine debug condition filters\nIKE peer filter\nIP address", 0, "debug_crypto_condition" },
	{ EXEC, BOTH, "debug crypto condition reset", "\n\n\nRemove all debug conditions", 0,
	  "debug_crypto_condition_reset" },
	{ EXEC, BOTH, "show crypto debug-condition", "\n\nCrypto debug conditions", P, "show_crypto_debug_condition" },
	{ EXEC, BOTH, "undebug all", "Disable debugging functions (see also 'debug')\nDisable all debugging", 0,
	  "undebug_all" },
	{ EXEC, BOTH, "undebug crypto isakmp", "\nCrypto debugging\nISAKMP debugging", 0, "undebug_crypto_isakmp" },
	{ EXEC, BOTH, "undebug crypto ipsec", "\n\nIPsec debugging", 0, "undebug_crypto_ipsec" },
	{ EXEC, IOS, "show debugging", "\nState of each debugging option", P, "show_debugging" },
	{ EXEC, ASA, "show debug", "\nShow debug information", P, "show_debugging" },
	{ EXEC, BOTH, "terminal monitor", "Set terminal line parameters\nCopy debug output to the current terminal line",
	  GRAM_F_USER, "terminal_monitor" },
	{ EXEC, BOTH, "terminal no monitor", "\nNegate a command\nCopy debug output to the current terminal line",
	  GRAM_F_USER, "terminal_no_monitor" },

	/* logging: where syslog messages go */
	{ CFG, ASA, "logging enable", "Configure logging\nEnable logging to all output locations", NO,
	  .table = "logging", .keys = "id=1", .set = "enabled=1" },
	{ CFG, ASA, "logging timestamp", "\nAdd a timestamp to each message", NO, .table = "logging", .keys = "id=1",
	  .set = "timestamp=1" },
	{ CFG, ASA, "logging buffered " LEVELS, "\nSet the level for the internal log buffer\n" LEVELS_HELP, NO,
	  .table = "logging", .keys = "id=1", .set = "buffered=$1" },
	{ CFG, ASA, "logging buffer-size <4096-1048576>", "\nSize of the internal log buffer\nBytes", NO,
	  .table = "logging", .keys = "id=1", .set = "buffer_size=$1" },
	{ CFG, ASA, "logging console " LEVELS, "\nSet the level for console logging\n" LEVELS_HELP, NO,
	  .table = "logging", .keys = "id=1", .set = "console=$1" },
	{ CFG, ASA, "logging monitor " LEVELS, "\nSet the level for terminal monitor logging\n" LEVELS_HELP, NO,
	  .table = "logging", .keys = "id=1", .set = "monitor=$1" },
	{ CFG, IOS, "logging buffered [<4096-2147483647>] [" LEVELS "]",
	  "Modify message logging facilities\nSet buffered logging parameters\nLogging buffer size\n" LEVELS_HELP, NO,
	  .table = "logging", .keys = "id=1", .set = "buffer_size=$1 buffered=$2" },
	{ CFG, IOS, "logging console [" LEVELS "]", "\nSet console logging parameters\n" LEVELS_HELP, NO,
	  .table = "logging", .keys = "id=1", .set = "console=$1" },
	{ CFG, IOS, "logging monitor [" LEVELS "]", "\nSet terminal line (monitor) logging parameters\n" LEVELS_HELP, NO,
	  .table = "logging", .keys = "id=1", .set = "monitor=$1" },
	{ EXEC, BOTH, "show logging", "\nShow the contents of logging buffers", P, "show_logging" },
	{ EXEC, BOTH, "clear logging buffer", "\nClear logging buffer\nThe internal log buffer", 0, "clear_logging" },

	/* traffic, as the ASA simulates it */
	{ EXEC, ASA, "packet-tracer input WORD icmp A.B.C.D <0-255> <0-255> A.B.C.D",
	  "Trace packet through the system\nInput interface\nInput interface name\nICMP\nSource address\nICMP type\n"
	  "ICMP code\nDestination address", 0, "packet_tracer_icmp" },
	{ EXEC, ASA, "packet-tracer input WORD {tcp=6|udp=17} A.B.C.D <0-65535> A.B.C.D <0-65535>",
	  "\n\n\nTCP\nUDP\nSource address\nSource port\nDestination address\nDestination port", 0,
	  "packet_tracer_l4" },
};

const struct gram_cmd_list gram_list_ike = { gram_cmds_ike, sizeof(gram_cmds_ike) / sizeof(gram_cmds_ike[0]) };
