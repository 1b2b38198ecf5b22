/*
 * cmds_acl.c -- access lists, network object groups and static routes, in
 * both dialects: the configuration commands, their sub-modes, and the show
 * commands that list them.
 *
 * Every command here has a handler (cli/cli_acl.c): entries are ordered,
 * numbered and validated (host bits, object groups that must exist, groups
 * in use), which a plain store binding cannot do. The handlers read slots by
 * position, and write the running-config back through gram_unparse() on the
 * same definitions, so each ACE shape below is also the template its lines
 * are printed with: the first keyword of an alternation whose value matches
 * is what gets printed (`www=80` before `http=80` prints port 80 as `www`).
 *
 * Slot budget (GRAM_MAX_SLOTS): an ASA address takes five slots (`any` and
 * `any4` carry none, so both are stored as any), a port match four. The
 * handlers' layout table (cli_acl.c) must follow the slot order of these
 * strings; it checks a definition's slot count before each use.
 *
 * Help strings are built from the same macros as the syntax, one line per
 * token, so a building block and its help never drift apart.
 */
#include "grammar/gram.h"

#define CFG  GRAM_MODE_CONFIG
#define EXT  GRAM_MODE_ACL_EXT
#define STD  GRAM_MODE_ACL_STD
#define OGN  GRAM_MODE_OBJGRP_NET
#define EXEC GRAM_MODE_EXEC
#define ASA  GRAM_ASA
#define IOS  GRAM_IOS
#define NOF  GRAM_F_NO_FULL
#define NOO  (GRAM_F_NO_ONLY | GRAM_F_NO_FULL)
#define U    GRAM_F_USER
#define P    GRAM_F_PIPE

/* ---- shared pieces ---- */

#define ACTION      "{permit|deny}"
#define ACTION_HELP "Specify packets to forward\nSpecify packets to reject\n"

/* eq/neq/lt/gt PORT or range PORT PORT, with a dialect's port names. */
#define PORT_MATCH(PORTS) "[{ {eq|neq|lt|gt} " PORTS " | range " PORTS " " PORTS " }]"
#define PORT_MATCH_HELP(OPS, RANGE, PORTS_HELP) OPS PORTS_HELP RANGE PORTS_HELP PORTS_HELP

/* ---- ASA ---- */

#define ASA_HEAD      "access-list WORD [line <1-2147483647>]"
#define ASA_HEAD_HELP "Configure an access control element\nAccess list identifier\n" \
	"Use this to specify line number at which ACE should be entered\nLine number\n"
#define ASA_EXT_HELP  "Configure access policy for IP traffic through the system\n"

/* Source or destination. any and any4 carry no slot. */
#define ASA_ADDR "{any|any4|host A.B.C.D|A.B.C.D MASK|object-group WORD|interface WORD}"
#define ASA_ADDR_HELP(dir, Dir) \
	"Abbreviation for " dir " address and mask of 0.0.0.0 0.0.0.0\n" \
	"Abbreviation for " dir " IPv4 address and mask of 0.0.0.0 0.0.0.0\n" \
	"A single " dir " host\n" \
	Dir " host IP address\n" \
	Dir " IP address\n" \
	"Netmask for " dir " IP address\n" \
	"Network object-group for " dir "\n" \
	"Name of the network object-group\n" \
	"Use interface address as " dir "\n" \
	"Name of interface\n"

/* Protocols other than tcp, udp and icmp (they have their own shapes).
 * Aliases store the canonical name: ipsec is esp, pptp is gre. */
#define ASA_PROTO "{ {ip|ah|eigrp|esp|gre|icmp6|igmp|igrp|ipinip|ipsec=esp|nos|ospf|pcp|pim|pptp=gre|sctp|snp|" \
	"<0-255>} | object-group WORD }"
#define ASA_PROTO_HELP \
	"Any Internet Protocol\nAuthentication Header Protocol\nCisco's EIGRP routing protocol\n" \
	"Encapsulation Security Payload\nCisco's GRE tunneling\nInternet Control Message Protocol for IPv6\n" \
	"Internet Gateway Message Protocol\nCisco's IGRP routing protocol\nIP in IP tunneling\n" \
	"IP Security (same as esp)\nKA9Q NOS compatible IP over IP tunneling\nOSPF routing protocol\n" \
	"Payload Compression Protocol\nProtocol Independent Multicast\n" \
	"Point-to-Point Tunneling Protocol (same as gre)\nStream Control Transmission Protocol\n" \
	"Simple Network Protocol\nEnter protocol number (0 - 255)\n" \
	"Specify a protocol or service object-group after this keyword\nName of the object-group\n"

#define ASA_PORT_OPS "Equal to\nNot equal to\nLess than\nGreater than\n"
#define ASA_PORT_RANGE "Range of port numbers\n"

/* Ports by name; the first name of a number is the one the ASA prints. */
#define ASA_TCP_PORTS "{<0-65535>|aol=5190|bgp=179|chargen=19|cifs=3020|citrix-ica=1494|rsh=514|cmd=514|" \
	"ctiqbe=2748|daytime=13|discard=9|domain=53|echo=7|exec=512|finger=79|ftp=21|ftp-data=20|gopher=70|" \
	"h323=1720|hostname=101|www=80|http=80|https=443|ident=113|imap4=143|irc=194|kerberos=750|klogin=543|" \
	"kshell=544|ldap=389|ldaps=636|login=513|lotusnotes=1352|lpd=515|netbios-ssn=139|nfs=2049|nntp=119|" \
	"pcanywhere-data=5631|pim-auto-rp=496|pop2=109|pop3=110|pptp=1723|rtsp=554|sip=5060|smtp=25|" \
	"sqlnet=1521|ssh=22|sunrpc=111|tacacs=49|talk=517|telnet=23|uucp=540|whois=43}"
#define ASA_TCP_PORTS_HELP \
	"Enter port number (0 - 65535)\nAmerica Online (5190)\nBorder Gateway Protocol (179)\n" \
	"Character generator (19)\nCommon Internet File System (3020)\nCitrix ICA (1494)\n" \
	"Remote shell (514)\nRemote commands (514)\nCTIQBE (2748)\nDaytime (13)\nDiscard (9)\n" \
	"Domain Name Service (53)\nEcho (7)\nExec (512)\nFinger (79)\nFile Transfer Protocol (21)\n" \
	"FTP data connections (20)\nGopher (70)\nH.323 call signalling (1720)\nNIC hostname server (101)\n" \
	"World Wide Web (HTTP, 80)\nHyper Text Transfer Protocol (80)\nHTTP over SSL (443)\n" \
	"Ident Protocol (113)\nInternet Message Access Protocol, version 4 (143)\nInternet Relay Chat (194)\n" \
	"Kerberos (750)\nKerberos login (543)\nKerberos shell (544)\n" \
	"Lightweight Directory Access Protocol (389)\nLDAP over SSL (636)\nLogin (513)\nIBM Lotus Notes (1352)\n" \
	"Printer service (515)\nNetBIOS Session Service (139)\nNetwork File System (2049)\n" \
	"Network News Transport Protocol (119)\npcAnywhere data (5631)\nPIM Auto-RP (496)\n" \
	"Post Office Protocol v2 (109)\nPost Office Protocol v3 (110)\nPoint-to-Point Tunneling Protocol (1723)\n" \
	"Real Time Streaming Protocol (554)\nSession Initiation Protocol (5060)\n" \
	"Simple Mail Transport Protocol (25)\nSQL*NET (1521)\nSecure Shell (22)\nSun Remote Procedure Call (111)\n" \
	"TAC Access Control System (49)\nTalk (517)\nTelnet (23)\nUnix-to-Unix Copy Program (540)\n" \
	"Nicname (43)\n"

#define ASA_UDP_PORTS "{<0-65535>|biff=512|bootpc=68|bootps=67|cifs=3020|discard=9|dnsix=195|domain=53|echo=7|" \
	"www=80|http=80|isakmp=500|kerberos=750|mobile-ip=434|nameserver=42|netbios-dgm=138|netbios-ns=137|" \
	"nfs=2049|ntp=123|pcanywhere-status=5632|pim-auto-rp=496|radius=1645|radius-acct=1646|rip=520|" \
	"secureid-udp=5510|sip=5060|snmp=161|snmptrap=162|sunrpc=111|syslog=514|tacacs=49|talk=517|tftp=69|" \
	"time=37|vxlan=4789|who=513|xdmcp=177}"
#define ASA_UDP_PORTS_HELP \
	"Enter port number (0 - 65535)\nBiff mail notification, Comsat (512)\nBootstrap Protocol client (68)\n" \
	"Bootstrap Protocol server (67)\nCommon Internet File System (3020)\nDiscard (9)\n" \
	"DNSIX security protocol auditing (195)\nDomain Name Service (53)\nEcho (7)\n" \
	"World Wide Web (HTTP, 80)\nHyper Text Transfer Protocol (80)\n" \
	"Internet Security Association and Key Management Protocol (500)\nKerberos (750)\nMobile IP registration (434)\n" \
	"IEN116 name service (42)\nNetBIOS datagram service (138)\nNetBIOS name service (137)\n" \
	"Network File System (2049)\nNetwork Time Protocol (123)\npcAnywhere status (5632)\nPIM Auto-RP (496)\n" \
	"RADIUS (1645)\nRADIUS accounting (1646)\nRouting Information Protocol (520)\nSecurID (5510)\n" \
	"Session Initiation Protocol (5060)\nSimple Network Management Protocol (161)\nSNMP Traps (162)\n" \
	"Sun Remote Procedure Call (111)\nSystem Logger (514)\nTAC Access Control System (49)\nTalk (517)\n" \
	"Trivial File Transfer Protocol (69)\nTime (37)\nVirtual eXtensible Local Area Network (4789)\n" \
	"Who service, rwho (513)\nX Display Manager Control Protocol (177)\n"

#define ASA_ICMP "[{<0-255>|alternate-address|conversion-error|echo|echo-reply|information-reply|" \
	"information-request|mask-reply|mask-request|mobile-redirect|parameter-problem|redirect|" \
	"router-advertisement|router-solicitation|source-quench|time-exceeded|timestamp-reply|timestamp-request|" \
	"traceroute|unreachable}]"
#define ASA_ICMP_HELP \
	"Enter ICMP type number (0 - 255)\nAlternate address\nConversion error\nEcho request\nEcho reply\n" \
	"Information reply\nInformation request\nMask reply\nMask request\nMobile redirect\nParameter problem\n" \
	"Redirect\nRouter advertisement\nRouter solicitation\nSource quench\nTime exceeded\nTimestamp reply\n" \
	"Timestamp request\nTraceroute\nUnreachable\n"

#define ASA_TAIL      "[log] [inactive]"
#define ASA_TAIL_HELP "Log matches against this entry\nKeyword for disabling an ACL element\n"

#define ASA_SRC_HELP ASA_ADDR_HELP("source", "Source")
#define ASA_DST_HELP ASA_ADDR_HELP("destination", "Destination")

#define ASA_L4(proto, PORTS, PORTS_HELP, proto_help) \
	ASA_HEAD " extended " ACTION " " proto " " ASA_ADDR " " PORT_MATCH(PORTS) " " ASA_ADDR " " \
	PORT_MATCH(PORTS) " " ASA_TAIL, \
	ASA_HEAD_HELP ASA_EXT_HELP ACTION_HELP proto_help "\n" ASA_SRC_HELP \
	PORT_MATCH_HELP(ASA_PORT_OPS, ASA_PORT_RANGE, PORTS_HELP) ASA_DST_HELP \
	PORT_MATCH_HELP(ASA_PORT_OPS, ASA_PORT_RANGE, PORTS_HELP) ASA_TAIL_HELP

/* ---- IOS ---- */

#define IOS_STD_NUM "{<1-99>|<1300-1999>}"
#define IOS_STD_NUM_HELP "IP standard access list\nIP standard access list (expanded range)\n"
#define IOS_EXT_NUM "{<100-199>|<2000-2699>}"
#define IOS_EXT_NUM_HELP "IP extended access list\nIP extended access list (expanded range)\n"
#define IOS_ANY_NUM "{<1-99>|<100-199>|<1300-1999>|<2000-2699>}"
#define IOS_ANY_NUM_HELP IOS_STD_NUM_HELP IOS_EXT_NUM_HELP
#define IOS_ACL_HELP "Add an access list entry\n"
#define IOS_SEQ "[<1-2147483647>]"
#define IOS_SEQ_HELP "Sequence Number\n"

#define IOS_ADDR "{any|host A.B.C.D|A.B.C.D WILDCARD|object-group WORD}"
#define IOS_ADDR_HELP(dir, Dir) \
	"Any " dir " host\nA single " dir " host\n" Dir " address\n" Dir " address\n" Dir " wildcard bits\n" \
	Dir " network object group\n" Dir " network object group name\n"
#define IOS_SRC_HELP IOS_ADDR_HELP("source", "Source")
#define IOS_DST_HELP IOS_ADDR_HELP("destination", "Destination")

/* A standard list's address: a bare address is a host. */
#define IOS_STD_ADDR "{any|host A.B.C.D|A.B.C.D|A.B.C.D WILDCARD}"
#define IOS_STD_ADDR_HELP "Any source host\nA single host address\nHost address to match\nAddress to match\n" \
	"Address to match\nWildcard bits\n"

#define IOS_PROTO "{ip|ahp=ah|eigrp|esp|gre|igmp|ipinip|nos|ospf|pcp|pim|<0-255>}"
#define IOS_PROTO_HELP \
	"Any Internet Protocol\nAuthentication Header Protocol\nCisco's EIGRP routing protocol\n" \
	"Encapsulation Security Payload\nCisco's GRE tunneling\nInternet Gateway Message Protocol\n" \
	"IP in IP tunneling\nKA9Q NOS compatible IP over IP tunneling\nOSPF routing protocol\n" \
	"Payload Compression Protocol\nProtocol Independent Multicast\nAn IP protocol number\n"

#define IOS_PORT_OPS "Match only packets on a given port number\nMatch only packets not on a given port number\n" \
	"Match only packets with a lower port number\nMatch only packets with a greater port number\n"
#define IOS_PORT_RANGE "Match only packets in the range of port numbers\n"

#define IOS_TCP_PORTS "{<0-65535>|bgp=179|chargen=19|cmd=514|daytime=13|discard=9|domain=53|drip=3949|echo=7|" \
	"exec=512|finger=79|ftp=21|ftp-data=20|gopher=70|hostname=101|ident=113|irc=194|klogin=543|kshell=544|" \
	"login=513|lpd=515|nntp=119|onep-plain=15001|onep-tls=15002|pim-auto-rp=496|pop2=109|pop3=110|" \
	"smtp=25|sunrpc=111|tacacs=49|talk=517|telnet=23|time=37|uucp=540|whois=43|www=80}"
#define IOS_TCP_PORTS_HELP \
	"Port number\nBorder Gateway Protocol (179)\nCharacter generator (19)\n" \
	"Remote commands (rcmd, 514)\nDaytime (13)\nDiscard (9)\nDomain Name Service (53)\n" \
	"Dynamic Routing Information Protocol (3949)\nEcho (7)\nExec (rsh, 512)\nFinger (79)\n" \
	"File Transfer Protocol (21)\nFTP data connections (20)\nGopher (70)\nNIC hostname server (101)\n" \
	"Ident Protocol (113)\nInternet Relay Chat (194)\nKerberos login (543)\nKerberos shell (544)\n" \
	"Login (rlogin, 513)\nPrinter service (515)\nNetwork News Transport Protocol (119)\n" \
	"ONEP Cleartext (15001)\nONEP TLS (15002)\nPIM Auto-RP (496)\nPost Office Protocol v2 (109)\n" \
	"Post Office Protocol v3 (110)\nSimple Mail Transport Protocol (25)\nSun Remote Procedure Call (111)\n" \
	"TAC Access Control System (49)\nTalk (517)\nTelnet (23)\nTime (37)\nUnix-to-Unix Copy Program (540)\n" \
	"Nicname (43)\nWorld Wide Web (HTTP, 80)\n"

#define IOS_UDP_PORTS "{<0-65535>|biff=512|bootpc=68|bootps=67|discard=9|dnsix=195|domain=53|echo=7|isakmp=500|" \
	"mobile-ip=434|nameserver=42|netbios-dgm=138|netbios-ns=137|netbios-ss=139|non500-isakmp=4500|ntp=123|" \
	"pim-auto-rp=496|rip=520|ripv2=521|snmp=161|snmptrap=162|sunrpc=111|syslog=514|tacacs=49|talk=517|" \
	"tftp=69|time=37|who=513|xdmcp=177}"
#define IOS_UDP_PORTS_HELP \
	"Port number\nBiff (mail notification, comsat, 512)\nBootstrap Protocol (BOOTP) client (68)\n" \
	"Bootstrap Protocol (BOOTP) server (67)\nDiscard (9)\nDNSIX security protocol auditing (195)\n" \
	"Domain Name Service (DNS, 53)\nEcho (7)\nInternet Security Association and Key Management Protocol (500)\n" \
	"Mobile IP registration (434)\nIEN116 name service (obsolete, 42)\nNetBios datagram service (138)\n" \
	"NetBios name service (137)\nNetBios session service (139)\n" \
	"Internet Security Association and Key Management Protocol (4500)\nNetwork Time Protocol (123)\n" \
	"PIM Auto-RP (496)\nRouting Information Protocol (router, in.routed, 520)\nRIPv2 (521)\n" \
	"Simple Network Management Protocol (161)\nSNMP Traps (162)\nSun Remote Procedure Call (111)\n" \
	"System Logger (514)\nTAC Access Control System (49)\nTalk (517)\nTrivial File Transfer Protocol (69)\n" \
	"Time (37)\nWho service (rwho, 513)\nX Display Manager Control Protocol (177)\n"

#define IOS_ICMP "[{<0-255>|administratively-prohibited|echo|echo-reply|host-unreachable|net-unreachable|" \
	"packet-too-big|parameter-problem|port-unreachable|protocol-unreachable|redirect|router-advertisement|" \
	"router-solicitation|source-quench|time-exceeded|timestamp-reply|timestamp-request|traceroute|" \
	"ttl-exceeded|unreachable}]"
#define IOS_ICMP_HELP \
	"ICMP message type\nAdministratively prohibited\nEcho (ping)\nEcho reply\nHost unreachable\n" \
	"Net unreachable\nFragmentation needed and DF set\nAll parameter problems\nPort unreachable\n" \
	"Protocol unreachable\nAll redirects\nRouter discovery advertisements\nRouter discovery solicitations\n" \
	"Source quenches\nAll time exceededs\nTimestamp replies\nTimestamp requests\nTraceroute\n" \
	"TTL exceeded\nAll unreachables\n"

#define IOS_LOG      "[log]"
#define IOS_LOG_HELP "Log matches against this entry\n"
#define IOS_EST      "[established]"
#define IOS_EST_HELP "Match established connections\n"

#define IOS_TCP_HELP  "Transmission Control Protocol\n"
#define IOS_UDP_HELP  "User Datagram Protocol\n"
#define IOS_ICMP_PHELP "Internet Control Message Protocol\n"

/* The body of an extended entry after {permit|deny}, for numbered lists and
 * for the ip access-list extended sub-mode alike. */
#define IOS_BODY_IP   IOS_PROTO " " IOS_ADDR " " IOS_ADDR " " IOS_LOG
#define IOS_BODY_IP_HELP IOS_PROTO_HELP IOS_SRC_HELP IOS_DST_HELP IOS_LOG_HELP
#define IOS_BODY_TCP  "tcp " IOS_ADDR " " PORT_MATCH(IOS_TCP_PORTS) " " IOS_ADDR " " PORT_MATCH(IOS_TCP_PORTS) " " \
	IOS_EST " " IOS_LOG
#define IOS_BODY_TCP_HELP IOS_TCP_HELP IOS_SRC_HELP PORT_MATCH_HELP(IOS_PORT_OPS, IOS_PORT_RANGE, IOS_TCP_PORTS_HELP) \
	IOS_DST_HELP PORT_MATCH_HELP(IOS_PORT_OPS, IOS_PORT_RANGE, IOS_TCP_PORTS_HELP) IOS_EST_HELP IOS_LOG_HELP
#define IOS_BODY_UDP  "udp " IOS_ADDR " " PORT_MATCH(IOS_UDP_PORTS) " " IOS_ADDR " " PORT_MATCH(IOS_UDP_PORTS) " " \
	IOS_LOG
#define IOS_BODY_UDP_HELP IOS_UDP_HELP IOS_SRC_HELP PORT_MATCH_HELP(IOS_PORT_OPS, IOS_PORT_RANGE, IOS_UDP_PORTS_HELP) \
	IOS_DST_HELP PORT_MATCH_HELP(IOS_PORT_OPS, IOS_PORT_RANGE, IOS_UDP_PORTS_HELP) IOS_LOG_HELP
#define IOS_BODY_ICMP "icmp " IOS_ADDR " " IOS_ADDR " " IOS_ICMP " " IOS_LOG
#define IOS_BODY_ICMP_HELP IOS_ICMP_PHELP IOS_SRC_HELP IOS_DST_HELP IOS_ICMP_HELP IOS_LOG_HELP
#define IOS_BODY_STD  IOS_STD_ADDR " " IOS_LOG
#define IOS_BODY_STD_HELP IOS_STD_ADDR_HELP IOS_LOG_HELP

#define IOS_NUM_EXT(body, help, action) \
	{ CFG, IOS, "access-list " IOS_EXT_NUM " " ACTION " " body, \
	  IOS_ACL_HELP IOS_EXT_NUM_HELP ACTION_HELP help, NOF, action }
#define IOS_SUB(mode, body, help, action) \
	{ mode, IOS, IOS_SEQ " " ACTION " " body, IOS_SEQ_HELP ACTION_HELP help, NOF, action }

#define IOS_IP_HELP "Global IP configuration subcommands\n"

static const struct gram_cmd gram_cmds_acl[] = {
	/* ---- ASA access lists ---- */
	{ CFG, ASA, ASA_HEAD " extended " ACTION " " ASA_PROTO " " ASA_ADDR " " ASA_ADDR " " ASA_TAIL,
	  ASA_HEAD_HELP ASA_EXT_HELP ACTION_HELP ASA_PROTO_HELP ASA_SRC_HELP ASA_DST_HELP ASA_TAIL_HELP,
	  NOF, "acl_asa_ip" },
	{ CFG, ASA, ASA_L4("tcp", ASA_TCP_PORTS, ASA_TCP_PORTS_HELP, "Transmission Control Protocol"), NOF,
	  "acl_asa_tcp" },
	{ CFG, ASA, ASA_L4("udp", ASA_UDP_PORTS, ASA_UDP_PORTS_HELP, "User Datagram Protocol"), NOF, "acl_asa_udp" },
	{ CFG, ASA, ASA_HEAD " extended " ACTION " icmp " ASA_ADDR " " ASA_ADDR " " ASA_ICMP " " ASA_TAIL,
	  ASA_HEAD_HELP ASA_EXT_HELP ACTION_HELP "Internet Control Message Protocol\n" ASA_SRC_HELP ASA_DST_HELP
	  ASA_ICMP_HELP ASA_TAIL_HELP,
	  NOF, "acl_asa_icmp" },
	{ CFG, ASA, ASA_HEAD " standard " ACTION " {any4|host A.B.C.D|A.B.C.D MASK}",
	  ASA_HEAD_HELP "Configure access policy based on destination IP address\n" ACTION_HELP
	  "Abbreviation for destination IPv4 address and mask of 0.0.0.0 0.0.0.0\nA single destination host\n"
	  "Destination host IP address\nDestination IP address\nNetmask for destination IP address\n",
	  NOF, "acl_asa_std" },
	{ CFG, ASA, ASA_HEAD " remark LINE",
	  ASA_HEAD_HELP "Specify a comment (remark) for the access-list after this keyword\n"
	  "Comment text, up to 100 characters\n",
	  NOF, "acl_asa_remark" },
	{ CFG, ASA, "access-list WORD", "Configure an access control element\nAccess list identifier\n", NOO,
	  "acl_delete" },

	/* ---- IOS numbered access lists ---- */
	{ CFG, IOS, "access-list " IOS_STD_NUM " " ACTION " " IOS_BODY_STD,
	  IOS_ACL_HELP IOS_STD_NUM_HELP ACTION_HELP IOS_BODY_STD_HELP, NOF, "acl_ios_num_std" },
	IOS_NUM_EXT(IOS_BODY_IP, IOS_BODY_IP_HELP, "acl_ios_num_ip"),
	IOS_NUM_EXT(IOS_BODY_TCP, IOS_BODY_TCP_HELP, "acl_ios_num_tcp"),
	IOS_NUM_EXT(IOS_BODY_UDP, IOS_BODY_UDP_HELP, "acl_ios_num_udp"),
	IOS_NUM_EXT(IOS_BODY_ICMP, IOS_BODY_ICMP_HELP, "acl_ios_num_icmp"),
	{ CFG, IOS, "access-list " IOS_ANY_NUM " remark LINE",
	  IOS_ACL_HELP IOS_ANY_NUM_HELP "Access list entry comment\nComment up to 100 characters\n", NOF,
	  "acl_ios_num_remark" },
	{ CFG, IOS, "access-list " IOS_ANY_NUM, IOS_ACL_HELP IOS_ANY_NUM_HELP, NOO, "acl_delete" },

	/* ---- IOS named access lists and their sub-modes ---- */
	{ CFG, IOS, "ip access-list extended {<100-199>|<2000-2699>|WORD}",
	  IOS_IP_HELP "Named access list\nExtended Access List\n" IOS_EXT_NUM_HELP "Access-list name\n", NOF,
	  "acl_ios_named_ext" },
	{ CFG, IOS, "ip access-list standard {<1-99>|<1300-1999>|WORD}",
	  IOS_IP_HELP "Named access list\nStandard Access List\n" IOS_STD_NUM_HELP "Access-list name\n", NOF,
	  "acl_ios_named_std" },
	IOS_SUB(EXT, IOS_BODY_IP, IOS_BODY_IP_HELP, "acl_ios_sub_ip"),
	IOS_SUB(EXT, IOS_BODY_TCP, IOS_BODY_TCP_HELP, "acl_ios_sub_tcp"),
	IOS_SUB(EXT, IOS_BODY_UDP, IOS_BODY_UDP_HELP, "acl_ios_sub_udp"),
	IOS_SUB(EXT, IOS_BODY_ICMP, IOS_BODY_ICMP_HELP, "acl_ios_sub_icmp"),
	IOS_SUB(STD, IOS_BODY_STD, IOS_BODY_STD_HELP, "acl_ios_sub_std"),
	{ EXT, IOS, "remark LINE", "Access list entry comment\nComment up to 100 characters\n", NOF,
	  "acl_ios_sub_remark" },
	{ STD, IOS, "remark LINE", "Access list entry comment\nComment up to 100 characters\n", NOF,
	  "acl_ios_sub_remark" },
	{ EXT, IOS, "<1-2147483647>", IOS_SEQ_HELP, NOO, "acl_ios_sub_noseq" },
	{ STD, IOS, "<1-2147483647>", IOS_SEQ_HELP, NOO, "acl_ios_sub_noseq" },

	/* ---- network object groups ---- */
	{ CFG, GRAM_BOTH, "object-group network WORD",
	  "Create an object group for use in access lists\nNetwork address object group\nobject_group name\n",
	  NOF, "og_network" },
	{ OGN, GRAM_BOTH, "description LINE", "Network object group description\nUp to 200 characters description\n",
	  GRAM_F_NO, "og_description" },
	{ OGN, ASA, "network-object {host A.B.C.D|A.B.C.D MASK}",
	  "Configure a network object\nEnter this keyword to specify a single host object\nEnter an IPv4 host address\n"
	  "Enter an IPv4 network address\nEnter the netmask\n",
	  NOF, "og_asa_member" },
	{ OGN, IOS, "host A.B.C.D", "Host address\nHost address\n", NOF, "og_ios_host" },
	{ OGN, IOS, "A.B.C.D MASK", "Network address of the group members\nNetwork mask\n", NOF, "og_ios_subnet" },
	{ OGN, IOS, "range A.B.C.D A.B.C.D", "Range of host addresses\nStarting address\nEnding address\n", NOF,
	  "og_ios_range" },
	{ OGN, GRAM_BOTH, "group-object WORD", "Configure an object group as an object\nobject_group name\n", NOF,
	  "og_group_object" },

	/* ---- static routes ---- */
	{ CFG, ASA, "route WORD A.B.C.D MASK A.B.C.D [<1-255>]",
	  "Configure a static route for an interface\nInput interface name\n"
	  "The network IP address for the route\nThe network mask for the route\n"
	  "The address of the gateway by which the destination is reached\nDistance metric for this route\n",
	  NOF, "route" },
	{ CFG, IOS, "ip route A.B.C.D MASK {A.B.C.D|WORD} [<1-255>]",
	  IOS_IP_HELP "Establish static routes\nDestination prefix\nDestination prefix mask\n"
	  "Forwarding router's address\nInterface to forward the packets to\nDistance metric for this route\n",
	  NOF, "route" },
	{ CFG, IOS, "ip route A.B.C.D MASK",
	  IOS_IP_HELP "Establish static routes\nDestination prefix\nDestination prefix mask\n", NOO, "route" },

	/* ---- show ---- */
	{ EXEC, ASA, "show access-list [WORD]", "\nShow hit counters for access policies\nACL name\n", P,
	  "show_access_list" },
	{ EXEC, IOS, "show access-lists [WORD]", "\nList access lists\nACL name or number\n", U | P,
	  "show_access_list" },
	{ EXEC, IOS, "show ip access-lists [WORD]", "\n\nList IP access lists\nACL name or number\n", U | P,
	  "show_access_list" },
	{ EXEC, ASA, "show object-group [id WORD]",
	  "\nShow the configured object-groups\nDisplay the object-group by id\nobject-group id\n", P,
	  "show_object_group" },
	{ EXEC, IOS, "show object-group [name WORD]", "\nList object groups\nObject group name\nobject_group name\n",
	  U | P, "show_object_group" },
	{ EXEC, ASA, "show route", "\nShow the routing table", U | P, "show_route" },
	{ EXEC, IOS, "show ip route [{static|connected}]",
	  "\n\nIP routing table\nStatic routes\nConnected networks\n", U | P, "show_route" },
};

const struct gram_cmd_list gram_list_acl = { gram_cmds_acl, sizeof(gram_cmds_acl) / sizeof(gram_cmds_acl[0]) };
