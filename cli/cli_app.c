/*
 * cli_app.c -- the appliance: store, grammar and personality, and the
 * reactions to configuration changes that reach outside the store.
 *
 * Interface names: a Linux name (lowercase, as `ip link` shows it) is used as
 * it is. A Cisco name maps through --interface-map NAME=LINUX,...; failing
 * that, by the documented default order: a name ending in S/N (for example
 * GigabitEthernet0/1) maps to ethN, a name ending in a bare number N (IOS-XE
 * GigabitEthernet2) maps to eth(N-1). An interface that does not exist on the
 * host is stored all the same and reported as not present.
 *
 * Changes to the `interface` and `route` tables are applied to the host
 * through pf_link. What was applied is remembered, so that removing an
 * address or route from the configuration removes it from the host, while
 * addresses the host had that the configuration never named are left alone.
 */
#include "cli/cli_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "grammar/gram.h"
#include "ikecore/ike_engine.h"
#include "platform/pf_link.h"
#include "platform/pf_store.h"


static int cli_parse_map(struct cli_app *app, const char *map, char *err, size_t errlen)
{
	const char *p = map;
	while (p && *p) {
		size_t n = strcspn(p, ",");
		const char *eq = memchr(p, '=', n);
		if (!eq || eq == p || (size_t)(eq - p) >= sizeof(app->map_from[0]) ||
		    n - (size_t)(eq - p) - 1 >= sizeof(app->map_to[0]) || n - (size_t)(eq - p) - 1 == 0) {
			snprintf(err, errlen, "--interface-map: expected NAME=LINUX[,NAME=LINUX...], got '%.*s'",
				 (int)n, p);
			return -1;
		}
		if (app->nmap == (int)(sizeof(app->map_from) / sizeof(app->map_from[0]))) {
			snprintf(err, errlen, "--interface-map: too many entries");
			return -1;
		}
		snprintf(app->map_from[app->nmap], sizeof(app->map_from[0]), "%.*s", (int)(eq - p), p);
		snprintf(app->map_to[app->nmap], sizeof(app->map_to[0]), "%.*s", (int)(n - (size_t)(eq - p) - 1),
			 eq + 1);
		app->nmap++;
		p += n + (p[n] ? 1 : 0);
	}
	return 0;
}

const char *cli_app_linux_name(struct cli_app *app, const char *name)
{
	static char buf[32];
	for (int i = 0; i < app->nmap; i++)
		if (strcasecmp(app->map_from[i], name) == 0)
			return app->map_to[i];
	if (!isupper((unsigned char)name[0]))
		return name;
	size_t n = strlen(name);
	size_t e = n;
	while (e > 0 && isdigit((unsigned char)name[e - 1]))
		e--;
	if (e == n)
		return name;
	long num = strtol(name + e, NULL, 10);
	if (num < 0 || num > 99999)
		return name;
	if (e > 0 && name[e - 1] == '/')
		snprintf(buf, sizeof(buf), "eth%ld", num);
	else if (num >= 1)
		snprintf(buf, sizeof(buf), "eth%ld", num - 1);
	else
		return name;
	return buf;
}

/* The prompt needs the hostname for every line: it is read from the store
 * once and again only after the system table changes. */
const char *cli_app_hostname(struct cli_app *app, struct pf_store *st)
{
	static char other[64];
	char *host = st == app->store ? app->hostname : other;
	if (host[0] && st == app->store)
		return host;
	sqlite3_stmt *q = pf_store_stmt(st, "SELECT hostname FROM system WHERE id = 1");
	const char *h = NULL;
	if (q && sqlite3_step(q) == SQLITE_ROW)
		h = (const char *)sqlite3_column_text(q, 0);
	snprintf(host, 64, "%s", h ? h : app->dialect == GRAM_ASA ? "ciscoasa" : "Router");
	if (q)
		sqlite3_reset(q);
	return host;
}

static struct cli_applied *cli_applied_get(struct cli_app *app, const char *name)
{
	for (int i = 0; i < app->napplied; i++)
		if (strcmp(app->applied[i].name, name) == 0)
			return &app->applied[i];
	if (app->napplied == CLI_APPLIED_MAX)
		return NULL;
	struct cli_applied *a = &app->applied[app->napplied++];
	memset(a, 0, sizeof(*a));
	snprintf(a->name, sizeof(a->name), "%s", name);
	return a;
}

static void cli_apply_interface_row(struct cli_app *app, sqlite3_stmt *q)
{
	const char *name = (const char *)sqlite3_column_text(q, 0);
	const char *desc = (const char *)sqlite3_column_text(q, 1);
	const char *addr = (const char *)sqlite3_column_text(q, 2);
	const char *mask = (const char *)sqlite3_column_text(q, 3);
	bool shut = sqlite3_column_int(q, 4) != 0;
	const char *dev = cli_app_linux_name(app, name);
	struct pf_link_info info;
	if (pf_link_get(dev, &info) < 0)
		return; /* not present on this host: stored only */
	pf_link_set_alias(dev, desc ? desc : "");
	struct cli_applied *a = cli_applied_get(app, dev);
	uint32_t ia = 0, im = 0;
	bool want = addr && mask && gram_parse_ipv4(addr, &ia) && gram_parse_ipv4(mask, &im);
	if (a && want && (!a->has_addr || a->addr != ia || a->mask != im)) {
		if (pf_link_set_ipv4(dev, ia, im) == 0) {
			a->addr = ia;
			a->mask = im;
			a->has_addr = true;
		}
	} else if (a && !want && a->has_addr) {
		pf_link_clear_ipv4(dev);
		a->has_addr = false;
	}
	pf_link_set_admin(dev, !shut);
}

static void cli_apply_interfaces(struct cli_app *app, const char *only)
{
	sqlite3_stmt *q = pf_store_stmt(app->store, only ? "SELECT name, description, ip_address, ip_mask, shutdown "
							   "FROM interface WHERE name = ?"
							 : "SELECT name, description, ip_address, ip_mask, shutdown "
							   "FROM interface");
	if (!q)
		return;
	if (only)
		sqlite3_bind_text(q, 1, only, -1, SQLITE_TRANSIENT);
	bool found = false;
	while (sqlite3_step(q) == SQLITE_ROW) {
		cli_apply_interface_row(app, q);
		found = true;
	}
	sqlite3_reset(q);
	/* A deleted interface: take back the address vpnsh gave it. */
	if (only && !found) {
		const char *dev = cli_app_linux_name(app, only);
		for (int i = 0; i < app->napplied; i++)
			if (strcmp(app->applied[i].name, dev) == 0 && app->applied[i].has_addr) {
				pf_link_clear_ipv4(dev);
				app->applied[i].has_addr = false;
			}
	}
}

/* The Linux device a route names: ASA routes name an interface by its
 * nameif, IOS routes by the interface itself. "" when it names none. */
static void cli_route_dev(struct cli_app *app, const char *ifname, char dev[16])
{
	dev[0] = '\0';
	if (!ifname || !*ifname)
		return;
	const char *name = ifname;
	sqlite3_stmt *q = NULL;
	if (app->dialect == GRAM_ASA) {
		q = pf_store_stmt(app->store, "SELECT name FROM interface WHERE nameif = ?");
		if (!q)
			return;
		sqlite3_bind_text(q, 1, ifname, -1, SQLITE_TRANSIENT);
		name = sqlite3_step(q) == SQLITE_ROW ? (const char *)sqlite3_column_text(q, 0) : NULL;
	}
	if (name)
		snprintf(dev, 16, "%s", cli_app_linux_name(app, name));
	if (q)
		sqlite3_reset(q);
}

static bool cli_route_same(const struct cli_route *a, const struct cli_route *b)
{
	return a->net == b->net && a->mask == b->mask && a->gateway == b->gateway && a->metric == b->metric &&
	       strcmp(a->dev, b->dev) == 0;
}

/* Make the host's static routes those of the configuration: remove what vpnsh
 * installed and is no longer wanted, install what is wanted and missing. A
 * route that cannot be installed yet (its interface is down or absent) is
 * tried again at the next change. */
static void cli_apply_routes(struct cli_app *app)
{
	struct cli_route *want = NULL;
	size_t nwant = 0, cap = 0;
	sqlite3_stmt *q = pf_store_stmt(app->store, "SELECT network, mask, gateway, ifname, distance FROM route");
	while (q && sqlite3_step(q) == SQLITE_ROW) {
		struct cli_route r = { 0 };
		const char *net = (const char *)sqlite3_column_text(q, 0);
		const char *mask = (const char *)sqlite3_column_text(q, 1);
		const char *gw = (const char *)sqlite3_column_text(q, 2);
		if (!net || !mask || !gram_parse_ipv4(net, &r.net) || !gram_parse_ipv4(mask, &r.mask))
			continue;
		if (gw && !gram_parse_ipv4(gw, &r.gateway))
			continue;
		r.metric = (unsigned)sqlite3_column_int(q, 4);
		cli_route_dev(app, (const char *)sqlite3_column_text(q, 3), r.dev);
		if (nwant == cap) {
			cap = cap ? cap * 2 : 16;
			struct cli_route *w = realloc(want, cap * sizeof(*w));
			if (!w)
				break;
			want = w;
		}
		want[nwant++] = r;
	}
	if (q)
		sqlite3_reset(q);
	/* remove */
	size_t kept = 0;
	for (size_t i = 0; i < app->nroutes; i++) {
		bool wanted = false;
		for (size_t k = 0; k < nwant && !wanted; k++)
			wanted = cli_route_same(&app->routes[i], &want[k]);
		struct cli_route *r = &app->routes[i];
		if (wanted)
			app->routes[kept++] = *r;
		else
			pf_route_del(r->net, r->mask, r->gateway, r->dev[0] ? r->dev : NULL, r->metric);
	}
	app->nroutes = kept;
	/* install */
	for (size_t k = 0; k < nwant; k++) {
		bool have = false;
		for (size_t i = 0; i < app->nroutes && !have; i++)
			have = cli_route_same(&app->routes[i], &want[k]);
		struct cli_route *r = &want[k];
		if (have || pf_route_add(r->net, r->mask, r->gateway, r->dev[0] ? r->dev : NULL, r->metric) < 0)
			continue;
		struct cli_route *grown = realloc(app->routes, (app->nroutes + 1) * sizeof(*grown));
		if (!grown)
			break;
		app->routes = grown;
		app->routes[app->nroutes++] = *r;
	}
	free(want);
}

void cli_app_table_changed(struct cli_app *app, const char *table, const char *row)
{
	if (strcmp(table, "system") == 0)
		app->hostname[0] = '\0';
	if (!app->opt.host_apply)
		return;
	app->pending_engine = true; /* any table may change what IKE does */
	if (strcmp(table, "interface") == 0) {
		app->pending_routes = true; /* a route may depend on the interface */
		if (!row || app->npending_if == (int)(sizeof(app->pending_if) / sizeof(app->pending_if[0]))) {
			app->pending_all_if = true;
			return;
		}
		for (int i = 0; i < app->npending_if; i++)
			if (strcmp(app->pending_if[i], row) == 0)
				return;
		snprintf(app->pending_if[app->npending_if++], sizeof(app->pending_if[0]), "%s", row);
	} else if (strcmp(table, "route") == 0) {
		app->pending_routes = true;
	}
}

void cli_app_settle(struct cli_app *app)
{
	if (app->pending_all_if)
		cli_apply_interfaces(app, NULL);
	else
		for (int i = 0; i < app->npending_if; i++)
			cli_apply_interfaces(app, app->pending_if[i]);
	if (app->pending_routes)
		cli_apply_routes(app);
	app->pending_all_if = false;
	app->npending_if = 0;
	app->pending_routes = false;
	if (app->pending_engine && app->engine)
		ike_engine_reload(app->engine);
	app->pending_engine = false;
}

void cli_app_apply_all(struct cli_app *app)
{
	app->hostname[0] = '\0'; /* a reload replaced the whole store */
	cli_app_table_changed(app, "interface", NULL);
	cli_app_table_changed(app, "route", NULL);
	cli_app_settle(app);
}

struct cli_app *cli_app_new(const struct cli_app_options *opt, char *err, size_t errlen)
{
	struct cli_app *app = calloc(1, sizeof(*app));
	if (!app) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	app->opt = *opt;
	app->started = time(NULL);
	if (opt->interface_map && cli_parse_map(app, opt->interface_map, err, errlen) < 0)
		goto fail;
	app->store = pf_store_open(opt->db_path, err, errlen);
	if (!app->store)
		goto fail;
	/* The personality: as asked, else as the configuration was saved, else ASA. */
	app->dialect = opt->dialect;
	if (!app->dialect) {
		sqlite3_stmt *q = pf_store_stmt(app->store, "SELECT personality FROM system WHERE id = 1");
		if (q && sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
			app->dialect = strcmp((const char *)sqlite3_column_text(q, 0), "ios") == 0 ? GRAM_IOS : GRAM_ASA;
		if (q)
			sqlite3_reset(q);
	}
	if (!app->dialect)
		app->dialect = GRAM_ASA;
	sqlite3_stmt *u = pf_store_stmt(app->store, "UPDATE system SET personality = ? WHERE id = 1");
	if (u) {
		sqlite3_bind_text(u, 1, app->dialect == GRAM_IOS ? "ios" : "asa", -1, SQLITE_STATIC);
		sqlite3_step(u);
		sqlite3_reset(u);
	}
	app->gram = gram_build(app->dialect, cli_action_resolve, app, err, errlen);
	if (!app->gram)
		goto fail;
	return app;
fail:
	cli_app_free(app);
	return NULL;
}

void cli_app_free(struct cli_app *app)
{
	if (!app)
		return;
	cli_ike_stop(app);
	gram_free(app->gram);
	pf_store_close(app->store);
	free(app->routes);
	free(app);
}
