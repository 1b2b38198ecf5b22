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

#define ASA(s) (cli_dialect(s) == GRAM_ASA)

/* ---- messages that are not answers ---- */

static void cli_stamp(char *out, size_t len, bool asa)
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(out, len, asa ? "%b %d %Y %H:%M:%S" : "*%b %e %H:%M:%S.000", &tm);
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

void cli_log_message(struct cli_app *app, int severity, const char *text)
{
	bool asa = app->dialect == GRAM_ASA;
	char stamp[40], line[600];
	cli_stamp(stamp, sizeof(stamp), asa);
	snprintf(line, sizeof(line), "%s: %s", stamp, text);
	free(app->log[app->log_next]);
	app->log[app->log_next] = strdup(line);
	app->log_next = (app->log_next + 1) % CLI_LOG_LINES;
	if (app->log_count < CLI_LOG_LINES)
		app->log_count++;
	app->log_total++;
	/* IOS logs to the console and monitoring terminals by default */
	if (!asa && severity <= 7)
		cli_monitor_line(app, line);
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
	app->dp = dp_record_new();
	if (!app->dp) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
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
	{ "packet_tracer_icmp", cli_packet_tracer_icmp, NULL },
	{ "packet_tracer_l4", cli_packet_tracer_l4, NULL },
};

const struct cli_action_list cli_actions_ike = { cli_ike_actions, sizeof(cli_ike_actions) / sizeof(cli_ike_actions[0]) };
