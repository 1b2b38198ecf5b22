/*
 * test_ike_config.c -- the engine's view of the running-config
 * (ikecore/ike_config.c): the same tunnel typed as ASA commands and as IOS
 * commands gives the same policies, crypto map entry and pre-shared key, and
 * an incomplete entry says what it lacks.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"
#include "ikecore/ike_config.h"
#include "ikecore/ike_engine.h"
#include "platform/pf_loop.h"
#include "tests/unit/suites.h"

Suite *ike_config_suite(void);

static void ignore(void *arg, const char *p, size_t n)
{
	(void)arg;
	(void)p;
	(void)n;
}

static struct cli_app *appliance(unsigned dialect, const char *const *lines)
{
	struct cli_app_options o = { .dialect = dialect, .host_apply = false };
	char err[256];
	struct cli_app *app = cli_app_new(&o, err, sizeof(err));
	ck_assert_msg(app != NULL, "%s", err);
	struct cli_session *s = cli_session_new(app, ignore, NULL);
	for (size_t i = 0; lines[i]; i++) {
		cli_session_line(s, lines[i]);
		ck_assert_msg(!s->failed, "\"%s\" failed", lines[i]);
	}
	cli_session_free(s);
	return app;
}

static const char *const asa_site1[] = {
	"enable", "", "configure terminal",
	"access-list VPN extended permit ip 192.168.100.0 255.255.255.0 172.16.10.0 255.255.255.0",
	"access-list VPN extended permit ip 192.168.200.0 255.255.255.0 172.16.10.0 255.255.255.0",
	"crypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac",
	"crypto map CMAP 10 match address VPN",
	"crypto map CMAP 10 set peer 203.0.113.2",
	"crypto map CMAP 10 set ikev1 transform-set TS",
	"crypto map CMAP 10 set pfs group14",
	"crypto map CMAP 20 set peer 198.51.100.9",
	"crypto ikev1 policy 10", "authentication pre-share", "encryption aes-256", "hash sha", "group 14",
	"lifetime 86400", "exit",
	"crypto ikev1 policy 20", "encryption 3des", "exit",
	"tunnel-group 203.0.113.2 type ipsec-l2l",
	"tunnel-group 203.0.113.2 ipsec-attributes", "ikev1 pre-shared-key cisco123", "exit",
	"interface GigabitEthernet0/0", "nameif outside", "ip address 203.0.113.1 255.255.255.0", "exit",
	"crypto map CMAP interface outside", "crypto ikev1 enable outside",
	NULL,
};

static const char *const ios_site1[] = {
	"enable", "configure terminal",
	"ip access-list extended VPN",
	"permit ip 192.168.100.0 0.0.0.255 172.16.10.0 0.0.0.255",
	"permit ip 192.168.200.0 0.0.0.255 172.16.10.0 0.0.0.255", "exit",
	"crypto isakmp policy 10", "encr aes 256", "hash sha", "authentication pre-share", "group 14",
	"lifetime 86400", "exit",
	"crypto isakmp policy 20", "encr 3des", "authentication pre-share", "exit",
	"crypto isakmp key cisco123 address 203.0.113.2",
	"crypto ipsec transform-set TS esp-aes 256 esp-sha-hmac", "exit",
	"crypto map CMAP 10 ipsec-isakmp", "match address VPN", "set peer 203.0.113.2", "set transform-set TS",
	"set pfs group14", "exit",
	"crypto map CMAP 20 ipsec-isakmp", "set peer 198.51.100.9", "exit",
	"interface GigabitEthernet0/0", "ip address 203.0.113.1 255.255.255.0", "crypto map CMAP", "exit",
	NULL,
};

static void check_site1(struct cli_app *app, unsigned dialect)
{
	struct ike_config c;
	char why[256];
	ck_assert_int_eq(ike_config_load(app->store, dialect, &c, why, sizeof(why)), 0);
	ck_assert_uint_eq(c.npolicies, 2);
	ck_assert_int_eq(c.policies[0].priority, 10);
	ck_assert_uint_eq(c.policies[0].keybits, 256);
	ck_assert_uint_eq(c.policies[0].group, 14);
	ck_assert_uint_eq(c.policies[0].lifetime, 86400);
	ck_assert_int_eq(c.policies[1].priority, 20);
	ck_assert_uint_eq(c.policies[1].auth, IKE_AUTH_PSK);

	ck_assert_uint_eq(c.nentries, 2);
	const struct ike_map_entry *e = &c.entries[0];
	ck_assert_str_eq(e->map, "CMAP");
	ck_assert_int_eq(e->seq, 10);
	ck_assert_str_eq(e->problems, "");
	ck_assert_uint_eq(e->npeers, 1);
	ck_assert_uint_eq(e->peers[0], 0xcb007102u);
	ck_assert_uint_eq(e->nsets, 1);
	ck_assert_uint_eq(e->sets[0].id, IKE_ESP_AES);
	ck_assert_uint_eq(e->sets[0].keybits, 256);
	ck_assert_uint_eq(e->sets[0].auth, IKE_ESP_AUTH_SHA1);
	ck_assert_int_eq(e->pfs_group, 14);
	ck_assert_uint_eq(e->nlines, 2);
	ck_assert_uint_eq(e->lines[1].local.net, 0xc0a8c800u);
	ck_assert_uint_eq(e->lines[1].local.mask, 0xffffff00u);
	ck_assert_uint_eq(e->lines[1].remote.net, 0xac100a00u);
	ck_assert_uint_eq(e->lifetime, dialect == 2 ? 3600 : 28800);
	ck_assert_str_eq(e->line_text[0],
			 "access-list VPN extended permit ip 192.168.100.0 255.255.255.0 172.16.10.0 255.255.255.0");
	ck_assert_uint_eq(e->local_addr, 0xcb007101u);
	ck_assert_str_eq(e->iface, dialect == 2 ? "GigabitEthernet0/0" : "outside");
	ck_assert_uint_eq(c.nifaces, 1);
	ck_assert_uint_eq(c.ifaces[0].addr, 0xcb007101u);
	ck_assert(c.natt);
	uint32_t dpd, retry;
	ike_config_dpd(app->store, dialect, 0xcb007102u, &dpd, &retry);
	ck_assert_uint_eq(dpd, dialect == 2 ? 0 : 10);
	/* the second entry has a peer but nothing else */
	ck_assert_str_eq(c.entries[1].problems, "no crypto ACL (match address)");

	uint8_t key[64];
	int n = ike_config_psk(app->store, 0xcb007102u, key, sizeof(key));
	ck_assert_int_eq(n, 8);
	ck_assert_mem_eq(key, "cisco123", 8);
	ck_assert_int_eq(ike_config_psk(app->store, 0xcb007103u, key, sizeof(key)), -1);
	ike_config_free(&c);
}

START_TEST(asa_and_ios_agree)
{
	struct cli_app *asa = appliance(1, asa_site1);
	check_site1(asa, 1);
	cli_app_free(asa);
	struct cli_app *ios = appliance(2, ios_site1);
	check_site1(ios, 2);
	cli_app_free(ios);
}
END_TEST

START_TEST(wildcard_keys)
{
	static const char *const ios[] = {
		"enable", "configure terminal", "crypto isakmp key wild address 0.0.0.0 0.0.0.0",
		"crypto isakmp key lab address 10.1.0.0 255.255.0.0", NULL,
	};
	struct cli_app *app = appliance(2, ios);
	uint8_t key[64];
	ck_assert_int_eq(ike_config_psk(app->store, 0x0a010203u, key, sizeof(key)), 3);
	ck_assert_mem_eq(key, "lab", 3);
	ck_assert_int_eq(ike_config_psk(app->store, 0x0a020203u, key, sizeof(key)), 4);
	ck_assert_mem_eq(key, "wild", 4);
	cli_app_free(app);
	static const char *const asa[] = {
		"enable", "", "configure terminal", "tunnel-group DefaultL2LGroup ipsec-attributes",
		"ikev1 pre-shared-key anyone", "exit", NULL,
	};
	app = appliance(1, asa);
	ck_assert_int_eq(ike_config_psk(app->store, 0x0a020203u, key, sizeof(key)), 6);
	ck_assert_mem_eq(key, "anyone", 6);
	cli_app_free(app);
}
END_TEST

/* The engine listens to its dataplane: an acquire (interesting traffic) is
 * a trigger, and what it leads to is said on the debug hook. */
static struct dp_events captured;
static char debug_seen[1024];

static void fake_set_events(struct dp_backend *b, const struct dp_events *ev)
{
	(void)b;
	captured = *ev;
}

static void fake_debug(void *ctx, const char *line)
{
	(void)ctx;
	snprintf(debug_seen, sizeof(debug_seen), "%s", line);
}

START_TEST(engine_hears_the_dataplane)
{
	/* site 1 with IKE not enabled on the interface: the engine opens no socket */
	const char *lines[64];
	size_t n = 0;
	while (asa_site1[n]) {
		lines[n] = asa_site1[n];
		n++;
	}
	lines[n++] = "no crypto ikev1 enable outside";
	lines[n] = NULL;
	struct cli_app *app = appliance(1, lines);
	struct pf_loop *loop = pf_loop_new();
	struct dp_backend fake = { .name = "fake", .set_events = fake_set_events };
	struct ike_engine_hooks hooks = { .debug = fake_debug };
	char why[256];
	struct ike_engine *e = ike_engine_new(loop, app->store, IKE_DIALECT_ASA, &fake, &hooks, why, sizeof(why));
	ck_assert_ptr_nonnull(e);
	ck_assert_ptr_nonnull(captured.acquire);
	ike_engine_set_debug(e, IKE_DEBUG_IPSEC, 1, 0);
	captured.acquire(captured.ctx, 1, 0x0a000001u, 0x0a000002u, 1);
	ck_assert_msg(strstr(debug_seen, "no tunnel for 10.0.0.1 -> 10.0.0.2: no crypto map entry covers") != NULL, "%s",
		      debug_seen);
	captured.acquire(captured.ctx, 1, 0xc0a8640au, 0xac100a0au, 1);
	ck_assert_msg(strstr(debug_seen, "192.168.100.10 -> 172.16.10.10: IKE is not enabled on interface outside") != NULL,
		      "%s", debug_seen);
	ike_engine_free(e);
	ck_assert_ptr_null(captured.acquire); /* unhooked when the engine goes */
	pf_loop_free(loop);
	cli_app_free(app);
}
END_TEST

Suite *ike_config_suite(void)
{
	Suite *s = suite_create("ike_config");
	TCase *tc = tcase_create("config");
	tcase_add_test(tc, asa_and_ios_agree);
	tcase_add_test(tc, wildcard_keys);
	tcase_add_test(tc, engine_hears_the_dataplane);
	suite_add_tcase(s, tc);
	return s;
}
