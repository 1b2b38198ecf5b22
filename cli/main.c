/*
 * main.c -- the vpnsh command: start the appliance with a console, in batch
 * mode, as a daemon serving consoles on a UNIX socket, or attach to one.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli_int.h"
#include "dataplane/dp.h"
#include "platform/pf_loop.h"


static const char vpnsh_usage[] =
	"usage: vpnsh [--db FILE|none] [--personality asa|ios] [--strict] [--interface-map MAP] [--no-apply]\n"
	"             [--dataplane auto|xfrm|userspace|record]\n"
	"             [--dataplane-workers N]\n"
	"       vpnsh [--db FILE] [--personality asa|ios] -c COMMAND [-c COMMAND ...]\n"
	"       vpnsh --daemon --socket PATH [--db FILE] [--personality asa|ios]\n"
	"       vpnsh --connect PATH [-c COMMAND ...]\n"
	"\n"
	"vpnsh is a Cisco ASA/IOS-style VPN appliance. It loads its startup-config from\n"
	"--db (a SQLite file; default $VPNSH_DB, else ~/.vpnsh/startup-config.db; `none`\n"
	"for no file) and runs a console on the terminal. When standard input is not a\n"
	"terminal, each line is executed as if typed and the transcript goes to standard\n"
	"output (batch mode).\n"
	"\n"
	"  --db FILE             startup-config store (`write memory` writes it atomically)\n"
	"  --personality P       asa (default) or ios: the command set, prompts and output\n"
	"  --strict              batch mode: stop at the first failing line, exit 1\n"
	"  -c COMMAND            run COMMAND from privileged EXEC and print only its output\n"
	"  --daemon              no console; serve consoles on --socket PATH\n"
	"  --socket PATH         the UNIX socket of --daemon\n"
	"  --connect PATH        attach a console (or run -c commands) to a daemon\n"
	"  --interface-map MAP   Cisco names to Linux interfaces: GigabitEthernet0/0=eth0,...\n"
	"                        (default: a name ending in S/N is ethN; IOS-XE GigabitEthernetN is eth(N-1))\n"
	"  --no-apply            do not apply interfaces and routes to the host\n"
	"  --dataplane D         where ESP runs: auto (default: xfrm where the kernel has ESP,\n"
	"                        else userspace), xfrm (the kernel's, through XFRM netlink),\n"
	"                        userspace (vpnsh's own, over the TUN device vpnsh0) or record\n"
	"                        (negotiate only, carry nothing)\n"
	"  --dataplane-workers N the userspace dataplane's worker threads (default: one per\n"
	"                        processor but one, which the kernel's part of the work needs)\n"
	"  --help, --version\n"
	"\n"
	"Exit codes: 0 success; 1 a command failed (-c, --strict); 2 usage or start-up error.\n";

static const char *vpnsh_default_db(void)
{
	static char path[4096];
	const char *env = getenv("VPNSH_DB");
	if (env && *env)
		return env;
	const char *home = getenv("HOME");
	snprintf(path, sizeof(path), "%s/.vpnsh/startup-config.db", home && *home ? home : ".");
	return path;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "personality", required_argument, NULL, 'p' },
		{ "strict", no_argument, NULL, 's' },
		{ "daemon", no_argument, NULL, 'D' },
		{ "socket", required_argument, NULL, 'S' },
		{ "connect", required_argument, NULL, 'C' },
		{ "interface-map", required_argument, NULL, 'm' },
		{ "no-apply", no_argument, NULL, 'n' },
		{ "dataplane", required_argument, NULL, 'P' },
		{ "dataplane-workers", required_argument, NULL, 'W' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_app_options o = { .db_path = NULL, .host_apply = true };
	bool db_given = false, strict = false, daemon = false;
	const char *sock = NULL, *connect_path = NULL;
	char **cmds = calloc((size_t)argc + 1, sizeof(char *));
	int ncmd = 0;
	if (!cmds)
		return 2;
	int ch;
	opterr = 0; /* one line of our own on standard error */
	while ((ch = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			o.db_path = strcmp(optarg, "none") == 0 ? NULL : optarg;
			db_given = true;
			break;
		case 'p':
			if (strcmp(optarg, "asa") == 0)
				o.dialect = GRAM_ASA;
			else if (strcmp(optarg, "ios") == 0)
				o.dialect = GRAM_IOS;
			else {
				fprintf(stderr, "vpnsh: --personality must be asa or ios\n");
				return 2;
			}
			break;
		case 's':
			strict = true;
			break;
		case 'D':
			daemon = true;
			break;
		case 'S':
			sock = optarg;
			break;
		case 'C':
			connect_path = optarg;
			break;
		case 'm':
			o.interface_map = optarg;
			break;
		case 'n':
			o.host_apply = false;
			break;
		case 'P':
			if (strcmp(optarg, "auto") != 0 && strcmp(optarg, "xfrm") != 0 && strcmp(optarg, "userspace") != 0 &&
			    strcmp(optarg, "record") != 0) {
				fprintf(stderr, "vpnsh: --dataplane must be auto, xfrm, userspace or record\n");
				return 2;
			}
			o.dataplane = optarg;
			break;
		case 'W': {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || n < 1 || n > DP_USER_MAX_WORKERS) {
				fprintf(stderr, "vpnsh: --dataplane-workers must be 1 to %d\n", DP_USER_MAX_WORKERS);
				return 2;
			}
			o.dp_workers = (int)n;
			break;
		}
		case 'c':
			cmds[ncmd++] = optarg;
			break;
		case 'h':
			fputs(vpnsh_usage, stdout);
			return 0;
		case 'V':
			printf("vpnsh %s\n", VPNSH_VERSION);
			return 0;
		default:
			fprintf(stderr, "vpnsh: bad option or missing argument '%s' (see vpnsh --help)\n",
				argv[optind - 1]);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vpnsh: unexpected argument '%s' (see vpnsh --help)\n", argv[optind]);
		return 2;
	}
	if (daemon && !sock) {
		fprintf(stderr, "vpnsh: --daemon needs --socket PATH\n");
		return 2;
	}
	if (connect_path && (daemon || db_given)) {
		fprintf(stderr, "vpnsh: --connect attaches to a running appliance; --daemon and --db do not apply\n");
		return 2;
	}
	if (connect_path) {
		int rc = ncmd ? cli_vty_commands(connect_path, ncmd, cmds) : cli_vty_interactive(connect_path);
		free(cmds);
		return rc;
	}
	if (!db_given)
		o.db_path = vpnsh_default_db();

	char err[512];
	struct cli_app *app = cli_app_new(&o, err, sizeof(err));
	if (!app) {
		fprintf(stderr, "vpnsh: %s\n", err);
		free(cmds);
		return 2;
	}
	struct pf_loop *loop = pf_loop_new();
	if (!loop) {
		fprintf(stderr, "vpnsh: cannot create the event loop\n");
		cli_app_free(app);
		free(cmds);
		return 2;
	}
	app->loop = loop;
	bool interactive = !ncmd && !daemon && isatty(STDIN_FILENO);
	/* IKE runs where the appliance runs on: a daemon or a console, not a
	 * batch paste or -c, and not when told to leave the host alone */
	if ((daemon || interactive) && o.host_apply && cli_app_start_engine(app, err, sizeof(err)) < 0)
		fprintf(stderr, "vpnsh: IKE engine: %s\n", err);
	cli_app_apply_all(app);
	int rc;
	if (ncmd)
		rc = cli_console_commands(app, ncmd, cmds);
	else if (daemon)
		rc = cli_vty_serve(app, loop, sock);
	else if (isatty(STDIN_FILENO))
		rc = cli_console_interactive(app, loop);
	else
		rc = cli_console_batch(app, stdin, strict);
	cli_ike_stop(app); /* its timers live on the loop */
	pf_loop_free(loop);
	cli_app_free(app);
	free(cmds);
	return rc;
}
