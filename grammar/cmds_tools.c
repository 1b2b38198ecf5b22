/*
 * cmds_tools.c -- the troubleshooting tools an engineer reaches for when a
 * tunnel or a path does not work: `ping` from the appliance itself (both
 * dialects) and the ASA's packet capture (`capture`, `show capture`,
 * `clear capture`, `copy /pcap capture:NAME FILE`).
 * Handlers are in cli/cli_tools.c.
 *
 * The ping options may come in any order, as on the devices: a repeated
 * alternation of `keyword value` pairs. Each option's value is its own slot
 * (an option typed twice holds both values, space-joined; the handler takes
 * the last). `{df-bit}` is written as a one-word alternation so that it has
 * a slot saying whether it was typed.
 *
 * `copy /pcap ...`: a keyword cannot begin with '/', so the copy command's
 * words are WORD arguments that the handler checks, with a caret error under
 * the first one that does not fit.
 */
#include "grammar/gram.h"

#define EXEC GRAM_MODE_EXEC
#define ASA  GRAM_ASA
#define IOS  GRAM_IOS
#define U    GRAM_F_USER
#define P    GRAM_F_PIPE

/* ping options, by dialect. Slots: $1 destination (after the ASA's optional
 * interface), then one slot per option in the order written here. */
#define IOS_PING_OPTS "[{repeat <1-2147483647>|size <36-18024>|source {A.B.C.D|WORD}|timeout <0-3600>|{df-bit}}*10]"
#define IOS_PING_OPTS_HELP "specify repeat count\nRepeat count\nspecify datagram size\nDatagram size\n" \
	"specify source address or name\nSource address\nSource interface name\nspecify timeout interval\n" \
	"Timeout in seconds\nenable do not fragment bit in IP header"
#define ASA_PING_OPTS "[{repeat <1-2147483647>|size <28-65535>|timeout <0-3600>}*10]"
#define ASA_PING_OPTS_HELP "Specify repeat count\nRepeat count\nSpecify datagram size\nDatagram size in bytes\n" \
	"Specify timeout interval\nTimeout in seconds"

/* One side of a capture match: no slot for any, one for a host, two for a
 * network. */
#define CAP_ADDR "{any|host A.B.C.D|A.B.C.D MASK}"
#define CAP_ADDR_HELP(dir) "Any " dir " address\nA single " dir " host\n" dir " host address\n" \
	dir " network address\n" dir " network mask\n"

static const struct gram_cmd gram_cmds_tools[] = {
	/* ping */
	{ EXEC, IOS, "ping A.B.C.D " IOS_PING_OPTS,
	  "Send echo messages\nPing destination address or hostname\n" IOS_PING_OPTS_HELP, U, "ping" },
	{ EXEC, ASA, "ping [WORD] A.B.C.D " ASA_PING_OPTS,
	  "Test connectivity from specified interface to an IP address\nName of the interface to ping from\n"
	  "Destination IP address\n" ASA_PING_OPTS_HELP,
	  0, "ping" },

	/* packet capture (ASA). Slots: $1 name, $2 buffer size, $3 interface,
	 * $4 protocol, $5 source host, $6 $7 source network and mask, $8
	 * destination host, $9 $10 destination network and mask. */
	{ EXEC, ASA,
	  "capture WORD [type raw-data] [buffer <1534-33554432>] interface WORD "
	  "[match {ip|icmp|udp|tcp|esp|<0-255>} " CAP_ADDR " " CAP_ADDR "]",
	  "Capture inbound and outbound packets on one or more interfaces\nCapture name\n"
	  "Specify the type of capture\nCapture raw packets (the default)\n"
	  "Configure size of capture buffer in bytes, default is 512 KB\nBuffer size in bytes\n"
	  "Capture packets on a specific interface\nName of interface\n"
	  "Capture packets based on match criteria\nAny IP protocol\nICMP\nUDP\nTCP\nESP\nProtocol number\n"
	  CAP_ADDR_HELP("source") CAP_ADDR_HELP("destination"),
	  0, "capture" },
	{ EXEC, ASA, "no capture WORD",
	  "Negate a command or set its defaults\nCapture inbound and outbound packets on one or more interfaces\n"
	  "Capture name",
	  0, "no_capture" },
	{ EXEC, ASA, "show capture [WORD]", "\nDisplay capture information\nCapture name", P, "show_capture" },
	{ EXEC, ASA, "clear capture WORD", "\nClear capture buffer\nCapture name", 0, "clear_capture" },
	{ EXEC, ASA, "copy WORD WORD WORD [WORD]",
	  "\n/pcap (a capture in libpcap format), or /noconfirm\ncapture:NAME, or /pcap after /noconfirm\n"
	  "Destination: disk0:/FILE or a path, or capture:NAME after /noconfirm\nDestination after /noconfirm",
	  0, "copy_capture" },
};

const struct gram_cmd_list gram_list_tools = { gram_cmds_tools, sizeof(gram_cmds_tools) / sizeof(gram_cmds_tools[0]) };
