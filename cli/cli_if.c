/*
 * cli_if.c -- `show interface` and the brief IP listing, read live from the
 * host through pf_link and joined with the configured interfaces.
 *
 * The listing is every configured interface (by its configured name, with the
 * Linux interface it maps to) followed by every host interface no configured
 * name maps to. A configured interface that the host does not have is shown
 * as not present, with what the configuration says about it.
 */
#include "cli/cli_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "platform/pf_link.h"

#define ASA(s) (cli_dialect(s) == GRAM_ASA)

struct cli_if_row {
	char name[64];         /* as configured, or the Linux name */
	char nameif[64];
	char desc[256];
	char cfg_addr[16], cfg_mask[16];
	bool configured, shut, present;
	struct pf_link_info link;
};

static void cli_copy_col(sqlite3_stmt *q, int col, char *out, size_t len)
{
	const unsigned char *v = sqlite3_column_text(q, col);
	snprintf(out, len, "%s", v ? (const char *)v : "");
}

struct cli_if_list {
	struct cli_if_row *rows;
	size_t n, cap;
};

/* A new zeroed row at the end of the list, or NULL when memory runs out. */
static struct cli_if_row *cli_if_add(struct cli_if_list *l)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct cli_if_row *r = realloc(l->rows, cap * sizeof(*r));
		if (!r)
			return NULL;
		l->rows = r;
		l->cap = cap;
	}
	memset(&l->rows[l->n], 0, sizeof(l->rows[0]));
	return &l->rows[l->n++];
}

/* Configured interfaces, then the host's others. */
static struct cli_if_row *cli_if_rows(struct cli_session *s, size_t *count)
{
	struct pf_link_info *links = NULL;
	size_t nlinks = 0;
	if (pf_link_list(&links, &nlinks) < 0)
		nlinks = 0;
	sqlite3_stmt *q = cli_stmt(s, "SELECT name, nameif, description, ip_address, ip_mask, shutdown "
				      "FROM interface ORDER BY name COLLATE natsort");
	struct cli_if_list l = { 0 };
	bool *used = calloc(nlinks + 1, sizeof(bool));
	struct cli_if_row *r;
	while (q && used && sqlite3_step(q) == SQLITE_ROW && (r = cli_if_add(&l))) {
		cli_copy_col(q, 0, r->name, sizeof(r->name));
		cli_copy_col(q, 1, r->nameif, sizeof(r->nameif));
		cli_copy_col(q, 2, r->desc, sizeof(r->desc));
		cli_copy_col(q, 3, r->cfg_addr, sizeof(r->cfg_addr));
		cli_copy_col(q, 4, r->cfg_mask, sizeof(r->cfg_mask));
		r->shut = sqlite3_column_int(q, 5) != 0;
		r->configured = true;
		const char *dev = cli_app_linux_name(cli_app(s), r->name);
		for (size_t i = 0; i < nlinks; i++)
			if (strcmp(links[i].name, dev) == 0) {
				r->present = true;
				r->link = links[i];
				used[i] = true;
			}
	}
	if (q)
		sqlite3_reset(q);
	for (size_t i = 0; used && i < nlinks; i++) {
		if (used[i] || !(r = cli_if_add(&l)))
			continue;
		snprintf(r->name, sizeof(r->name), "%s", links[i].name);
		snprintf(r->desc, sizeof(r->desc), "%s", links[i].alias);
		r->present = true;
		r->link = links[i];
	}
	free(used);
	free(links);
	*count = l.n;
	return l.rows;
}

static const char *cli_if_status(const struct cli_if_row *r)
{
	if (!r->present)
		return "not present";
	if (r->shut || !r->link.admin_up)
		return "administratively down";
	return r->link.oper_up ? "up" : "down";
}

static void cli_if_addr(const struct cli_if_row *r, char addr[16], char mask[16])
{
	if (r->present && r->link.addr) {
		cli_ipv4_str(r->link.addr, addr);
		cli_ipv4_str(r->link.mask, mask);
	} else {
		snprintf(addr, 16, "%s", r->cfg_addr);
		snprintf(mask, 16, "%s", r->cfg_mask);
	}
}

static int cli_mask_bits(const char *mask)
{
	uint32_t m = 0;
	if (!gram_parse_ipv4(mask, &m))
		return 0;
	return __builtin_popcount(m);
}

static void cli_show_one(struct cli_session *s, const struct cli_if_row *r)
{
	char addr[16], mask[16];
	cli_if_addr(r, addr, mask);
	const char *st = cli_if_status(r);
	bool up = strcmp(st, "up") == 0;
	const unsigned char *mac = r->link.mac;
	if (ASA(s)) {
		cli_printf(s, "Interface %s \"%s\", is %s, line protocol is %s\n", r->name, r->nameif, st,
			   up ? "up" : "down");
		if (!r->present) {
			cli_printf(s, "  Hardware is not present on this host (no Linux interface %s)\n",
				   cli_app_linux_name(cli_app(s), r->name));
		} else {
			cli_printf(s, "  Hardware is Linux %s, ifindex %d\n", r->link.name, r->link.ifindex);
			if (r->link.has_mac)
				cli_printf(s, "\tMAC address %02x%02x.%02x%02x.%02x%02x, MTU %u\n", mac[0], mac[1], mac[2],
					   mac[3], mac[4], mac[5], r->link.mtu);
			else
				cli_printf(s, "\tMTU %u\n", r->link.mtu);
		}
		if (r->desc[0])
			cli_printf(s, "\tDescription: %s\n", r->desc);
		if (addr[0])
			cli_printf(s, "\tIP address %s, subnet mask %s\n", addr, mask);
		else
			cli_printf(s, "\tIP address unassigned\n");
		if (r->present) {
			cli_printf(s, "\t%llu packets input, %llu bytes, %llu no buffer\n",
				   (unsigned long long)r->link.rx_packets, (unsigned long long)r->link.rx_bytes,
				   (unsigned long long)r->link.rx_dropped);
			cli_printf(s, "\t%llu input errors\n", (unsigned long long)r->link.rx_errors);
			cli_printf(s, "\t%llu packets output, %llu bytes, %llu underruns\n",
				   (unsigned long long)r->link.tx_packets, (unsigned long long)r->link.tx_bytes,
				   (unsigned long long)r->link.tx_dropped);
			cli_printf(s, "\t%llu output errors\n", (unsigned long long)r->link.tx_errors);
		}
		return;
	}
	cli_printf(s, "%s is %s, line protocol is %s \n", r->name, st, up ? "up" : "down");
	if (!r->present)
		cli_printf(s, "  Hardware is not present on this host (no Linux interface %s)\n",
			   cli_app_linux_name(cli_app(s), r->name));
	else if (r->link.has_mac)
		cli_printf(s, "  Hardware is Linux %s, address is %02x%02x.%02x%02x.%02x%02x\n", r->link.name, mac[0],
			   mac[1], mac[2], mac[3], mac[4], mac[5]);
	else
		cli_printf(s, "  Hardware is Linux %s\n", r->link.name);
	if (r->desc[0])
		cli_printf(s, "  Description: %s\n", r->desc);
	if (addr[0])
		cli_printf(s, "  Internet address is %s/%d\n", addr, cli_mask_bits(mask));
	if (r->present) {
		cli_printf(s, "  MTU %u bytes\n", r->link.mtu);
		cli_printf(s, "     %llu packets input, %llu bytes, %llu no buffer\n",
			   (unsigned long long)r->link.rx_packets, (unsigned long long)r->link.rx_bytes,
			   (unsigned long long)r->link.rx_dropped);
		cli_printf(s, "     %llu input errors\n", (unsigned long long)r->link.rx_errors);
		cli_printf(s, "     %llu packets output, %llu bytes, %llu underruns\n",
			   (unsigned long long)r->link.tx_packets, (unsigned long long)r->link.tx_bytes,
			   (unsigned long long)r->link.tx_dropped);
		cli_printf(s, "     %llu output errors\n", (unsigned long long)r->link.tx_errors);
	}
}

static int cli_show_interface(struct cli_session *s, const struct gram_match *m)
{
	const char *want = m->slot[0];
	size_t n = 0;
	struct cli_if_row *rows = cli_if_rows(s, &n);
	bool found = false;
	for (size_t i = 0; i < n; i++) {
		if (want && strcasecmp(rows[i].name, want) != 0 && strcmp(rows[i].nameif, want) != 0)
			continue;
		cli_show_one(s, &rows[i]);
		found = true;
	}
	free(rows);
	if (want && !found)
		return cli_error(s, ASA(s) ? "ERROR: Interface %s does not exist" : "%% Invalid interface %s", want);
	return 0;
}

static int cli_show_ip_interface_brief(struct cli_session *s, const struct gram_match *m)
{
	(void)m;
	size_t n = 0;
	struct cli_if_row *rows = cli_if_rows(s, &n);
	int w = ASA(s) ? 27 : 23;
	cli_printf(s, "%-*sIP-Address      OK? Method Status                Protocol\n", w, "Interface");
	for (size_t i = 0; i < n; i++) {
		char addr[16], mask[16];
		cli_if_addr(&rows[i], addr, mask);
		const char *st = cli_if_status(&rows[i]);
		cli_printf(s, "%-*s%-16sYES %-7s%-22s%s\n", w, rows[i].name, addr[0] ? addr : "unassigned",
			   rows[i].configured && rows[i].cfg_addr[0] ? "manual" : "unset", st,
			   strcmp(st, "up") == 0 ? "up" : "down");
	}
	free(rows);
	return 0;
}

static const struct cli_action cli_if_actions[] = {
	{ "show_interface", cli_show_interface, NULL },
	{ "show_ip_interface_brief", cli_show_ip_interface_brief, NULL },
};

const struct cli_action_list cli_actions_if = { cli_if_actions, sizeof(cli_if_actions) / sizeof(cli_if_actions[0]) };
