/*
 * cmds_exec.c -- EXEC-mode commands (user and privileged) and the output
 * modifiers that may follow `|`.
 *
 * Commands marked GRAM_F_USER are available at privilege 1 (`asa>`), the rest
 * need `enable`. Every show command accepts output modifiers (GRAM_F_PIPE).
 */
#include "grammar/gram.h"

#define EXEC GRAM_MODE_EXEC
#define U    GRAM_F_USER
#define P    GRAM_F_PIPE

static const struct gram_cmd gram_cmds_exec[] = {
	{ EXEC, GRAM_BOTH, "enable [<0-15>]", "Turn on privileged commands\nEnable level", U, "enable" },
	{ EXEC, GRAM_BOTH, "disable", "Turn off privileged commands", U, "disable" },
	{ EXEC, GRAM_BOTH, "exit", "Exit from the EXEC", U, "exit" },
	{ EXEC, GRAM_BOTH, "logout", "Exit from the EXEC", U | GRAM_F_HIDDEN, "exit" },
	{ EXEC, GRAM_BOTH, "quit", "Exit from the EXEC", U | GRAM_F_HIDDEN, "exit" },
	{ EXEC, GRAM_BOTH, "configure terminal", "Enter configuration mode\nConfigure from the terminal", 0,
	  "configure" },

	{ EXEC, GRAM_BOTH, "show version", "Show running system information\nSystem hardware and software status",
	  U | P, "show_version" },
	{ EXEC, GRAM_BOTH, "show clock", "\nDisplay the system clock", U | P, "show_clock" },
	{ EXEC, GRAM_BOTH, "show history", "\nDisplay the session command history", U | P, "show_history" },
	{ EXEC, GRAM_BOTH, "show terminal", "\nDisplay terminal configuration parameters", U | P, "show_terminal" },
	{ EXEC, GRAM_IOS, "show privilege", "\nShow current privilege level", U | P, "show_privilege" },
	{ EXEC, GRAM_ASA, "show curpriv", "\nDisplay current privilege level", U | P, "show_privilege" },
	{ EXEC, GRAM_ASA,
	  "show running-config [all] [{access-list|enable|group-policy|hostname|interface|logging|object-group|route|"
	  "sysopt|tunnel-group}]",
	  "\nCurrent operating configuration\nConfiguration with defaults\nShow configured access control elements\n"
	  "Show configured password information\nShow configured group policies\nShow the hostname\n"
	  "Show configured interfaces\nShow logging configuration\nShow configured object groups\nShow configured routes\n"
	  "Show system options\nShow configured tunnel groups",
	  P, "show_running_config" },
	{ EXEC, GRAM_ASA, "show running-config [all] crypto [{dynamic-map|ikev1|ikev2|ipsec|isakmp|map}]",
	  "\n\nConfiguration with defaults\nShow configured crypto settings\nDynamic crypto maps\nIKEv1 settings\nIKEv2 settings\n"
	  "IPsec settings\nISAKMP settings\nCrypto maps", P, "show_running_config_crypto" },
	{ EXEC, GRAM_IOS,
	  "show running-config [all] [{access-list|interface|object-group|route}]",
	  "\nCurrent operating configuration\nConfiguration with defaults\nShow access control lists\n"
	  "Show interface configuration\nShow object groups\nShow static routes",
	  P, "show_running_config" },
	{ EXEC, GRAM_ASA, "more system:running-config",
	  "Display the contents of a file\nThe running configuration, secrets in clear", P,
	  "show_running_config_clear" },
	{ EXEC, GRAM_BOTH, "show startup-config", "\nContents of startup configuration", P, "show_startup_config" },
	{ EXEC, GRAM_ASA, "show interface [WORD]", "\nDisplay interface status and statistics\nInterface name",
	  U | P, "show_interface" },
	{ EXEC, GRAM_IOS, "show interfaces [WORD]", "\nInterface status and configuration\nInterface name",
	  U | P, "show_interface" },
	{ EXEC, GRAM_ASA, "show interface ip brief",
	  "\nDisplay interface status and statistics\nShow IP status\nBrief summary", U | P, "show_ip_interface_brief" },
	{ EXEC, GRAM_IOS, "show ip interface brief",
	  "\nIP information\nIP interface status and configuration\nBrief summary of IP status and configuration",
	  U | P, "show_ip_interface_brief" },

	{ EXEC, GRAM_ASA, "terminal pager [lines] <0-2147483647>",
	  "Set terminal line parameters\nControl page length for pagination\nLines per page\n"
	  "Number of lines, 0 means no pager", U, "terminal_pager" },
	{ EXEC, GRAM_ASA, "no terminal pager", "Negate a command or set its defaults\nSet terminal line parameters\n"
	  "Control page length for pagination", U, "terminal_pager" },
	{ EXEC, GRAM_IOS, "terminal length <0-512>",
	  "Set terminal line parameters\nSet number of lines on a screen\nNumber of lines on screen (0 for no pausing)",
	  U, "terminal_pager" },
	{ EXEC, GRAM_BOTH, "terminal width <0-512>", "\nSet width of the display terminal\nNumber of characters",
	  U, "terminal_width" },

	{ EXEC, GRAM_BOTH, "write memory",
	  "Write running configuration to memory, network, or terminal\nWrite to NV memory", 0, "write_memory" },
	{ EXEC, GRAM_BOTH, "write erase", "\nErase NV memory", 0, "write_erase" },
	{ EXEC, GRAM_BOTH, "write terminal", "\nWrite to terminal", P, "show_running_config" },
	{ EXEC, GRAM_BOTH, "copy running-config startup-config",
	  "Copy from one file to another\nCopy from current system configuration\nCopy to startup configuration",
	  0, "copy_run_start" },
	{ EXEC, GRAM_IOS, "erase startup-config", "Erase a filesystem\nErase contents of configuration memory", 0,
	  "write_erase" },
	{ EXEC, GRAM_BOTH, "reload", "Halt and perform a cold restart", 0, "reload" },
};

/* Output modifiers: `show ... | include REGEX`. */
#define PIPE GRAM_MODE_PIPE
static const struct gram_cmd gram_cmds_pipe[] = {
	{ PIPE, GRAM_BOTH, "begin LINE", "Begin with the line that matches\nRegular Expression", 0, "pipe_begin" },
	{ PIPE, GRAM_BOTH, "include LINE", "Include lines that match\nRegular Expression", 0, "pipe_include" },
	{ PIPE, GRAM_BOTH, "exclude LINE", "Exclude lines that match\nRegular Expression", 0, "pipe_exclude" },
	{ PIPE, GRAM_BOTH, "section LINE", "Filter a section of output\nRegular Expression", 0, "pipe_section" },
	{ PIPE, GRAM_BOTH, "count LINE", "Count number of lines which match regexp\nRegular Expression", 0,
	  "pipe_count" },
	{ PIPE, GRAM_ASA, "grep LINE", "Include/exclude lines that match\nRegular Expression", GRAM_F_HIDDEN,
	  "pipe_include" },
};

const struct gram_cmd_list gram_list_exec = { gram_cmds_exec, sizeof(gram_cmds_exec) / sizeof(gram_cmds_exec[0]) };
const struct gram_cmd_list gram_list_pipe = { gram_cmds_pipe, sizeof(gram_cmds_pipe) / sizeof(gram_cmds_pipe[0]) };
