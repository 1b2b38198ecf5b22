/*
 * cli_ike.c -- the appliance side of the IKE engine: starting it on the
 * event loop with its dataplane, carrying its debug lines to the terminals
 * that monitor (the console, and sessions that typed `terminal monitor`) and
 * its syslog messages to the logging buffer, and the commands that act on it:
 * debug and undebug, conditions, clear, and the ASA's packet-tracer. The show
 * commands are in cli_ike_show.c.
 */
#include "cli/cli_int.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dataplane/dp.h"
#include "grammar/gram.h"
#include "ikecore/ike_engine.h"
#include "platform/pf_store.h"

#define ASA(s) (cli_dialect(s) == GRAM_ASA)

/* ---- messages that are not answers ---- */

static void cli_stamp(char *out, size_t len, bool asa)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(out, len, asa ? "%b %d %Y %H:%M:%S" : "*%b %e %H:%M:%S", &tm);
	if (!asa && n < len)
		snprintf(out + n, len - n, ".%03ld", ts.tv_nsec / 1000000);
}

void cli_monitor_line(struct cli_app *app, const char *text)
{
	for (struct cli_session *s = app->sessions; s; s = s->next_session) {
		if (!s->monitor || !s->emit)
			continue;
		s->emit(s->emit_arg, text, strlen(text));
		s->emit(s->emit_arg, "\n", 1);
	}
}

/* ---- logging ---- */

static const char *const cli_level_names[] = { "emergencies", "alerts",        "critical",      "errors",
					       "warnings",    "notifications", "informational", "debugging" };

/* A stored level (a name or a number) as a number; -1: not set. */
static int cli_level(const unsigned char *text)
{
	if (!text)
		return -1;
	for (int i = 0; i < 8; i++)
		if (strcmp((const char *)text, cli_level_names[i]) == 0)
			return i;
	return atoi((const char *)text);
}

struct cli_logging {
	bool enabled;
	int buffered, console, monitor; /* -1: off */
};

/* The logging configuration with each dialect's defaults: an ASA logs
 * nowhere until `logging enable` and a destination; IOS logs to the
 * console, the monitors and the buffer at debugging unless told otherwise. */
static struct cli_logging cli_logging_get(struct cli_app *app)
{
	bool asa = app->dialect == GRAM_ASA;
	struct cli_logging l = { !asa, asa ? -1 : 7, asa ? -1 : 7, asa ? -1 : 7 };
	sqlite3_stmt *q = pf_store_stmt(app->store, "SELECT enabled, buffered, console, monitor FROM logging WHERE id = 1");
	if (q && sqlite3_step(q) == SQLITE_ROW) {
		if (asa)
			l.enabled = sqlite3_column_int(q, 0) != 0;
		int b = cli_level(sqlite3_column_text(q, 1)), c = cli_level(sqlite3_column_text(q, 2)),
		    m = cli_level(sqlite3_column_text(q, 3));
		if (b >= 0)
			l.buffered = b;
		if (c >= 0)
			l.console = c;
		if (m >= 0)
			l.monitor = m;
	}
	if (q)
		sqlite3_reset(q);
	return l;
}

void cli_log_message(struct cli_app *app, int severity, const char *text)
{
	bool asa = app->dialect == GRAM_ASA;
	struct cli_logging l = cli_logging_get(app);
	if (!l.enabled)
		return;
	char stamp[40], line[600];
	cli_stamp(stamp, sizeof(stamp), asa);
	snprintf(line, sizeof(line), "%s: %s", stamp, text);
	if (severity <= l.buffered) {
		free(app->log[app->log_next]);
		app->log[app->log_next] = strdup(line);
		app->log_next = (app->log_next + 1) % CLI_LOG_LINES;
		if (app->log_count < CLI_LOG_LINES)
			app->log_count++;
		app->log_total++;
	}
	/* the console session is a monitor too: the higher of the two levels decides */
	if (severity <= l.console || severity <= l.monitor)
		cli_monitor_line(app, line);
}

static void cli_level_text(int level, char *out, size_t len)
{
	if (level < 0)
		snprintf(out, len, "disabled");
	else
		snprintf(out, len, "level %s", cli_level_names[level & 7]);
}

static int cli_show_logging(struct cli_session *s, const struct gram_match *m)
{
	(void)m;
	struct cli_app *app = cli_app(s);
	struct cli_logging l = cli_logging_get(app);
	char b[64], c[32], mo[32];
	cli_level_text(l.buffered, b, sizeof(b));
	if (l.buffered >= 0)
		snprintf(b + strlen(b), sizeof(b) - strlen(b), ", %llu messages logged", (unsigned long long)app->log_total);
	cli_level_text(l.console, c, sizeof(c));
	cli_level_text(l.monitor, mo, sizeof(mo));
	if (ASA(s)) {
		cli_printf(s, "Syslog logging: %s\n    Facility: 20\n    Timestamp logging: disabled\n"
			      "    Standby logging: disabled\n    Debug-trace logging: disabled\n    Console logging: %s\n"
			      "    Monitor logging: %s\n    Buffer logging: %s\n    Trap logging: disabled\n"
			      "    Permit-hostdown logging: disabled\n    History logging: disabled\n    Device ID: disabled\n"
			      "    Mail logging: disabled\n    ASDM logging: disabled\n",
			   l.enabled ? "enabled" : "disabled", c, mo, b);
	} else {
		cli_printf(s, "Syslog logging: enabled (0 messages dropped, 0 messages rate-limited, 0 flushes, 0 overruns, "
			      "xml disabled, filtering disabled)\n\nNo Active Message Discriminator.\n\n\n\n"
			      "No Inactive Message Discriminator.\n\n\n    Console logging: %s, xml disabled,\n"
			      "                     filtering disabled\n    Monitor logging: %s, xml disabled,\n"
			      "                     filtering disabled\n    Buffer logging:  %s, xml disabled,\n"
			      "                    filtering disabled\n\n"
			      "    Trap logging: level informational, 0 message lines logged\n\nLog Buffer (8192 bytes):\n\n",
			   c, mo, b);
	}
	for (int i = 0; i < app->log_count; i++) {
		int at = (app->log_next - app->log_count + i + CLI_LOG_LINES) % CLI_LOG_LINES;
		if (app->log[at])
			cli_printf(s, "%s\n", app->log[at]);
	}
	return 0;
}

static int cli_clear_logging(struct cli_session *s, const struct gram_match *m)
{
	(void)m;
	struct cli_app *app = cli_app(s);
	for (int i = 0; i < CLI_LOG_LINES; i++) {
		free(app->log[i]);
		app->log[i] = NULL;
	}
	app->log_count = 0;
	app->log_next = 0;
	return 0;
}


static void cli_ike_debug_hook(void *ctx, const char *line)
{
	struct cli_app *app = ctx;
	if (app->dialect == GRAM_ASA) {
		cli_monitor_line(app, line);
		return;
	}
	char stamp[40], full[600];
	cli_stamp(stamp, sizeof(stamp), false);
	snprintf(full, sizeof(full), "%s: %s", stamp, line);
	cli_monitor_line(app, full);
}

static void cli_ike_log_hook(void *ctx, int severity, const char *line)
{
	cli_log_message(ctx, severity, line);
}

int cli_app_start_engine(struct cli_app *app, char *err, size_t errlen)
{
	if (app->engine || !app->loop)
		return 0;
	const char *want = app->opt.dataplane ? app->opt.dataplane : "auto";
	char why[200] = "", xwhy[200] = "";
	/* auto: the kernel's ESP where it has one, else vpnsh's own */
	if (strcmp(want, "auto") == 0 || strcmp(want, "xfrm") == 0) {
		app->dp = dp_xfrm_new(app->loop, xwhy, sizeof(xwhy));
		if (!app->dp && strcmp(want, "xfrm") == 0) {
			snprintf(err, errlen, "the xfrm dataplane cannot start: %s", xwhy);
			return -1;
		}
	}
	if (!app->dp && (strcmp(want, "auto") == 0 || strcmp(want, "userspace") == 0)) {
		app->dp = dp_user_new(app->loop, "vpnsh0", app->opt.dp_workers, why, sizeof(why));
		if (!app->dp && strcmp(want, "userspace") == 0) {
			snprintf(err, errlen, "the userspace dataplane cannot start: %s", why);
			return -1;
		}
	}
	if (app->dp)
		snprintf(app->dp_detail, sizeof(app->dp_detail), "%s (%s%s%s)", app->dp->name, app->dp->detail,
			 xwhy[0] && strcmp(app->dp->name, "xfrm") != 0 ? "; not the kernel's: " : "",
			 xwhy[0] && strcmp(app->dp->name, "xfrm") != 0 ? xwhy : "");
	if (!app->dp) {
		app->dp = dp_record_new();
		if (!app->dp) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		snprintf(app->dp_detail, sizeof(app->dp_detail), "none (SAs are negotiated, no traffic is carried%s%s)",
			 why[0] ? ": " : "", why);
	}
	char line[400];
	snprintf(line, sizeof(line), "%%VPNSH-5-DATAPLANE: ESP dataplane: %s", app->dp_detail);
	cli_log_message(app, 5, line);
	struct ike_engine_hooks hooks = { .debug = cli_ike_debug_hook, .log = cli_ike_log_hook, .ctx = app };
	app->engine = ike_engine_new(app->loop, app->store, app->dialect == GRAM_IOS ? IKE_DIALECT_IOS : IKE_DIALECT_ASA,
				     app->dp, &hooks, err, errlen);
	if (!app->engine) {
		app->dp->free(app->dp);
		app->dp = NULL;
		return -1;
	}
	return 0;
}

void cli_ike_stop(struct cli_app *app)
{
	ike_engine_free(app->engine);
	app->engine = NULL;
	if (app->dp)
		app->dp->free(app->dp);
	app->dp = NULL;
	app->dp_detail[0] = 0;
	for (int i = 0; i < CLI_LOG_LINES; i++) {
		free(app->log[i]);
		app->log[i] = NULL;
	}
}

/* ---- handlers ---- */

static bool cli_addr(const char *text, uint32_t *out)
{
	struct in_addr a;
	if (!text || inet_pton(AF_INET, text, &a) != 1)
		return false;
	*out = ntohl(a.s_addr);
	return true;
}

static struct ike_engine *cli_engine(struct cli_session *s)
{
	return cli_app(s)->engine;
}

static void cli_debug_apply(struct cli_app *app)
{
	if (app->engine)
		ike_engine_set_debug(app->engine, app->debug_mask, app->debug_level, app->debug_peer);
}

static int cli_debug_isakmp(struct cli_session *s, const struct gram_match *m)
{
	struct cli_app *app = cli_app(s);
	app->debug_mask |= IKE_DEBUG_ISAKMP;
	app->debug_level = ASA(s) && m->nslots > 0 && m->slot[0] ? atoi(m->slot[0]) : ASA(s) ? 1 : 255;
	cli_debug_apply(app);
	if (!ASA(s))
		cli_printf(s, "Crypto ISAKMP debugging is on\n");
	return 0;
}

static int cli_debug_ipsec(struct cli_session *s, const struct gram_match *m)
{
	(void)m;
	struct cli_app *app = cli_app(s);
	app->debug_mask |= IKE_DEBUG_IPSEC;
	if (!app->debug_level)
		app->debug_level = ASA(s) ? 1 : 255;
	cli_debug_apply(app);
	if (!ASA(s))
		cli_printf(s, "Crypto IPSEC debugging is on\n");
	return 0;
}

static int cli_undebug(struct cli_session *s, unsigned mask, const char *ios_msg)
{
	struct cli_app *app = cli_app(s);
	app->debug_mask &= ~mask;
	cli_debug_apply(app);
	if (!ASA(s))
		cli_printf(s, "%s\n", ios_msg);
	return 0;
}

static int cli_undebug_all(struct cli_session *s, const struct gram_match *m)
{
	(void)m;
	return cli_undebug(s, ~0u, "All possible debugging has been turned off");
}

static int cli_undebug_isakmp(struct cli_session *s, const struct gram_match *m)
{
	(void)m;
	return cli_undebug(s, IKE_DEBUG_ISAKMP, "Crypto ISAKMP debugging is off");
}

static int cli_undebug_ipsec(struct cli_session *s, const struct gram_match *m)
{
	(void)m;
	return cli_undebug(s, IKE_DEBUG_IPSEC, "Crypto IPSEC debugging is off");
}

static int cli_debug_condition(struct cli_session *s, const struct gram_match *m)
{
	uint32_t peer;
	if (m->nslots < 1 || !cli_addr(m->slot[0], &peer))
		return cli_error(s, "%s%% Invalid address", ASA(s) ? "ERROR: " : "");
	cli_app(s)->debug_peer = peer;
	cli_debug_apply(cli_app(s));
	return 0;
}

static int cli_debug_condition_reset(struct cli_session *s, const struct gram_match *m)
{
	(void)m;
	cli_app(s)->debug_peer = 0;
	cli_debug_apply(cli_app(s));
	return 0;
}

static int cli_show_debug_condition(struct cli_session *s, const struct gram_match *m)
{
	(void)m;
	uint32_t peer = cli_app(s)->debug_peer;
	char a[16];
	cli_ipv4_str(peer, a);
	if (ASA(s)) {
		if (peer)
			cli_printf(s, "\nCrypto conditional debug is turned ON\nIKE peer IP address filters:\n%s\n", a);
		else
			cli_printf(s, "\nCrypto conditional debug is turned OFF\nNo IKE peer IP address filters\n");
		return 0;
	}
	cli_printf(s, "Crypto conditional debug currently is turned %s\n", peer ? "ON" : "OFF");
	cli_printf(s, "IKE debug context unmatched flag:OFF\n");
	if (peer)
		cli_printf(s, "IKE peer IP address filters:\n%s \n", a);
	return 0;
}

static int cli_show_debugging(struct cli_session *s, const struct gram_match *m)
{
	(void)m;
	struct cli_app *app = cli_app(s);
	if (ASA(s)) {
		if (app->debug_mask & IKE_DEBUG_ISAKMP)
			cli_printf(s, "debug crypto ikev1 enabled at level %d\n", app->debug_level);
		if (app->debug_mask & IKE_DEBUG_IPSEC)
			cli_printf(s, "debug crypto ipsec enabled at level %d\n", app->debug_level);
		return 0;
	}
	if (!app->debug_mask)
		return 0;
	cli_printf(s, "\nCryptographic Subsystem:\n");
	if (app->debug_mask & IKE_DEBUG_ISAKMP)
		cli_printf(s, "  Crypto ISAKMP debugging is on\n");
	if (app->debug_mask & IKE_DEBUG_IPSEC)
		cli_printf(s, "  Crypto IPSEC debugging is on\n");
	return 0;
}

static int cli_terminal_monitor(struct cli_session *s, const struct gram_match *m)
{
	(void)m;
	s->monitor = true;
	return 0;
}

static int cli_terminal_no_monitor(struct cli_session *s, const struct gram_match *m)
{
	(void)m;
	s->monitor = false;
	return 0;
}

static int cli_no_engine(struct cli_session *s)
{
	return cli_error(s, "%s%% IKE is not running in this session (start vpnsh as a console or daemon)",
			 ASA(s) ? "ERROR: " : "");
}

static int cli_clear_isakmp(struct cli_session *s, const struct gram_match *m)
{
	if (!cli_engine(s))
		return cli_no_engine(s);
	uint32_t peer = 0;
	if (m->nslots > 0 && m->slot[0] && !cli_addr(m->slot[0], &peer))
		return cli_error(s, "ERROR: %% Invalid address");
	ike_engine_clear_p1(cli_engine(s), peer);
	return 0;
}

static int cli_clear_isakmp_ios(struct cli_session *s, const struct gram_match *m)
{
	struct ike_engine *e = cli_engine(s);
	if (!e)
		return cli_no_engine(s);
	if (m->nslots > 0 && m->slot[0]) {
		int id = atoi(m->slot[0]);
		for (const struct ike_peer *p = ike_engine_peers(e); p; p = p->next)
			if (p->conn_id == id) {
				ike_engine_clear_p1(e, p->peer);
				return 0;
			}
		return 0;
	}
	ike_engine_clear_p1(e, 0);
	return 0;
}

static int cli_clear_ipsec(struct cli_session *s, const struct gram_match *m)
{
	if (!cli_engine(s))
		return cli_no_engine(s);
	uint32_t peer = 0;
	if (m->nslots > 0 && m->slot[0] && !cli_addr(m->slot[0], &peer))
		return cli_error(s, "%s%% Invalid address", ASA(s) ? "ERROR: " : "");
	ike_engine_clear_p2(cli_engine(s), peer);
	return 0;
}

static int cli_clear_counters(struct cli_session *s, const struct gram_match *m)
{
	if (!cli_engine(s))
		return cli_no_engine(s);
	uint32_t peer = 0;
	if (m->nslots > 0 && m->slot[0] && !cli_addr(m->slot[0], &peer))
		return cli_error(s, "%s%% Invalid address", ASA(s) ? "ERROR: " : "");
	ike_engine_clear_counters(cli_engine(s), peer);
	return 0;
}

static int cli_clear_session(struct cli_session *s, const struct gram_match *m)
{
	if (!cli_engine(s))
		return cli_no_engine(s);
	uint32_t peer = 0;
	if (m->nslots > 0 && m->slot[0] && !cli_addr(m->slot[0], &peer))
		return cli_error(s, "%% Invalid address");
	ike_engine_clear_p2(cli_engine(s), peer);
	ike_engine_clear_p1(cli_engine(s), peer);
	return 0;
}

/* packet-tracer: the ASA runs a simulated packet through its phases; the
 * VPN phase brings the tunnel up. vpnsh prints the phases it has. */
static int cli_packet_tracer(struct cli_session *s, const char *ifname, uint8_t proto, const char *src_text,
			     const char *dst_text)
{
	uint32_t src, dst;
	if (!cli_addr(src_text, &src) || !cli_addr(dst_text, &dst))
		return cli_error(s, "ERROR: %% Invalid address");
	struct ike_engine *e = cli_engine(s);
	if (!e)
		return cli_no_engine(s);
	char why[256];
	int rc = ike_engine_trigger(e, src, dst, proto, why, sizeof(why));
	cli_printf(s, "\nPhase: 1\nType: ROUTE-LOOKUP\nSubtype: Resolve Egress Interface\nResult: ALLOW\n"
		      "Config:\nAdditional Information:\nfound next-hop using egress ifc\n\n");
	if (rc < 0) {
		cli_printf(s, "Phase: 2\nType: VPN\nSubtype: encrypt\nResult: ALLOW\nConfig:\n"
			      "Additional Information:\n(%s)\n\nResult:\ninput-interface: %s\ninput-status: up\n"
			      "input-line-status: up\nAction: allow\n\n",
			   why, ifname);
		return 0;
	}
	cli_printf(s, "Phase: 2\nType: VPN\nSubtype: encrypt\nResult: %s\nConfig:\nAdditional Information:\n\n"
		      "Result:\ninput-interface: %s\ninput-status: up\ninput-line-status: up\nAction: %s\n%s\n",
		   rc == 1 ? "ALLOW" : "DROP", ifname, rc == 1 ? "allow" : "drop",
		   rc == 1 ? "" : "Drop-reason: (acl-drop) Flow is denied by configured rule, the tunnel is being negotiated\n");
	return 0;
}

static int cli_packet_tracer_icmp(struct cli_session *s, const struct gram_match *m)
{
	return cli_packet_tracer(s, m->slot[0], 1, m->slot[1], m->slot[4]);
}

static int cli_packet_tracer_l4(struct cli_session *s, const struct gram_match *m)
{
	return cli_packet_tracer(s, m->slot[0], (uint8_t)atoi(m->slot[1]), m->slot[2], m->slot[4]);
}

static const struct cli_action cli_ike_actions[] = {
	{ "debug_crypto_isakmp", cli_debug_isakmp, NULL },
	{ "debug_crypto_ipsec", cli_debug_ipsec, NULL },
	{ "undebug_all", cli_undebug_all, NULL },
	{ "undebug_crypto_isakmp", cli_undebug_isakmp, NULL },
	{ "undebug_crypto_ipsec", cli_undebug_ipsec, NULL },
	{ "debug_crypto_condition", cli_debug_condition, NULL },
	{ "debug_crypto_condition_reset", cli_debug_condition_reset, NULL },
	{ "show_crypto_debug_condition", cli_show_debug_condition, NULL },
	{ "show_debugging", cli_show_debugging, NULL },
	{ "terminal_monitor", cli_terminal_monitor, NULL },
	{ "terminal_no_monitor", cli_terminal_no_monitor, NULL },
	{ "clear_crypto_isakmp", cli_clear_isakmp, NULL },
	{ "clear_crypto_isakmp_ios", cli_clear_isakmp_ios, NULL },
	{ "clear_crypto_ipsec", cli_clear_ipsec, NULL },
	{ "clear_crypto_session", cli_clear_session, NULL },
	{ "clear_crypto_counters", cli_clear_counters, NULL },
	{ "show_logging", cli_show_logging, NULL },
	{ "clear_logging", cli_clear_logging, NULL },
	{ "packet_tracer_icmp", cli_packet_tracer_icmp, NULL },
	{ "packet_tracer_l4", cli_packet_tracer_l4, NULL },
};

const struct cli_action_list cli_actions_ike = { cli_ike_actions, sizeof(cli_ike_actions) / sizeof(cli_ike_actions[0]) };
