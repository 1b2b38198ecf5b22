/*
 * ike_config.c -- the engine's view of the running-config, read through
 * ad-hoc statements on the store (the engine reads when the configuration
 * changes, not per packet).
 */
#include "ikecore/ike_config.h"

#include <arpa/inet.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/pf_store.h"

static int cfg_fail(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *cfg_col(sqlite3_stmt *st, int i)
{
	const unsigned char *v = sqlite3_column_text(st, i);
	return v ? (const char *)v : NULL;
}

static bool cfg_ipv4(const char *text, uint32_t *out)
{
	struct in_addr a;
	if (!text || inet_pton(AF_INET, text, &a) != 1)
		return false;
	*out = ntohl(a.s_addr);
	return true;
}

static sqlite3_stmt *cfg_prepare(struct pf_store *st, const char *sql)
{
	sqlite3_stmt *q;
	return sqlite3_prepare_v2(pf_store_db(st), sql, -1, &q, NULL) == SQLITE_OK ? q : NULL;
}

static void cfg_bind_entry(sqlite3_stmt *q, const struct ike_map_entry *e)
{
	sqlite3_bind_int(q, 1, e->dynamic);
	sqlite3_bind_text(q, 2, e->map, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(q, 3, e->seq);
}

static int cfg_policies(struct pf_store *st, unsigned dialect, struct ike_config *c, char *why, size_t whylen)
{
	sqlite3_stmt *q = cfg_prepare(st, "SELECT priority, encryption, hash, authentication, dh_group, lifetime "
					  "FROM ike_policy WHERE version = 1 ORDER BY priority");
	if (!q)
		return cfg_fail(why, whylen, "cannot read the ISAKMP policies");
	int rc = 0;
	while (sqlite3_step(q) == SQLITE_ROW && rc == 0) {
		struct ike_p1_params *p = realloc(c->policies, (c->npolicies + 1) * sizeof(*p));
		if (!p) {
			rc = cfg_fail(why, whylen, "out of memory");
			break;
		}
		c->policies = p;
		if (ike_policy_from_config(sqlite3_column_int(q, 0), cfg_col(q, 1), cfg_col(q, 2), cfg_col(q, 3),
					   cfg_col(q, 4), cfg_col(q, 5),
					   dialect == 2 ? &ike_policy_default_ios : &ike_policy_default_asa,
					   &c->policies[c->npolicies], why, whylen) == 0)
			c->npolicies++;
	}
	sqlite3_finalize(q);
	return rc;
}

/* A crypto ACL line's side: any, a host, a subnet. */
static bool cfg_side(const char *kind, const char *addr, const char *mask, struct ike_selector *s)
{
	memset(s, 0, sizeof(*s));
	if (!kind || strcmp(kind, "any") == 0 || strcmp(kind, "any4") == 0)
		return true;
	if (strcmp(kind, "host") == 0) {
		s->mask = 0xffffffffu;
		return cfg_ipv4(addr, &s->net);
	}
	if (strcmp(kind, "subnet") == 0)
		return cfg_ipv4(addr, &s->net) && cfg_ipv4(mask, &s->mask);
	return false; /* object groups and interfaces: not yet expanded here */
}

static void cfg_addr_text(uint32_t a, char *out, size_t len)
{
	snprintf(out, len, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

static void cfg_side_text(const struct ike_selector *s, char *out, size_t len)
{
	char a[16], m[16];
	cfg_addr_text(s->net, a, sizeof(a));
	cfg_addr_text(s->mask, m, sizeof(m));
	if (s->mask == 0)
		snprintf(out, len, "any4");
	else if (s->mask == 0xffffffffu)
		snprintf(out, len, "host %s", a);
	else
		snprintf(out, len, "%s %s", a, m);
}

static void cfg_acl(struct pf_store *st, struct ike_map_entry *e)
{
	sqlite3_stmt *q = cfg_prepare(st, "SELECT src_kind, src_addr, src_mask, dst_kind, dst_addr, dst_mask, protocol, "
					  "action FROM acl_entry WHERE acl = ? AND action IN ('permit', 'deny') ORDER BY seq");
	/* the ASA prints the line in `show crypto ipsec sa` */
	if (!q)
		return;
	sqlite3_bind_text(q, 1, e->acl, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(q) == SQLITE_ROW) {
		struct ike_acl_line l;
		if (!cfg_side(cfg_col(q, 0), cfg_col(q, 1), cfg_col(q, 2), &l.local) ||
		    !cfg_side(cfg_col(q, 3), cfg_col(q, 4), cfg_col(q, 5), &l.remote)) {
			snprintf(e->problems, sizeof(e->problems), "access list %s: a line vpnsh cannot use for IPsec",
				 e->acl);
			continue;
		}
		bool deny = cfg_col(q, 7) && strcmp(cfg_col(q, 7), "deny") == 0;
		struct ike_acl_rule *r = realloc(e->rules, (e->nrules + 1) * sizeof(*r));
		if (!r)
			break;
		e->rules = r;
		e->rules[e->nrules++] = (struct ike_acl_rule){ l, deny };
		if (deny)
			continue;
		struct ike_acl_line *n = realloc(e->lines, (e->nlines + 1) * sizeof(*n));
		if (!n)
			break;
		e->lines = n;
		char(*t)[240] = realloc(e->line_text, (e->nlines + 1) * sizeof(*t));
		if (!t)
			break;
		e->line_text = t;
		char src[40], dst[40];
		cfg_side_text(&l.local, src, sizeof(src));
		cfg_side_text(&l.remote, dst, sizeof(dst));
		snprintf(e->line_text[e->nlines], sizeof(e->line_text[0]), "access-list %s extended permit %s %s %s",
			 e->acl, cfg_col(q, 6) ? cfg_col(q, 6) : "ip", src, dst);
		e->lines[e->nlines++] = l;
	}
	sqlite3_finalize(q);
}

/* An interface's address, by Cisco name or ASA nameif. */
static uint32_t cfg_iface_addr(struct pf_store *st, const char *name)
{
	uint32_t a = 0;
	sqlite3_stmt *q = cfg_prepare(st, "SELECT ip_address FROM interface WHERE (name = ?1 OR nameif = ?1) "
					  "AND ip_address IS NOT NULL AND shutdown IS NOT 1 ORDER BY nameif = ?1 DESC");
	if (q) {
		sqlite3_bind_text(q, 1, name, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(q) == SQLITE_ROW && !cfg_ipv4(cfg_col(q, 0), &a))
			a = 0;
		sqlite3_finalize(q);
	}
	return a;
}

static void cfg_entry_details(struct pf_store *st, struct ike_map_entry *e)
{
	sqlite3_stmt *mi = cfg_prepare(st, "SELECT ifname FROM crypto_map_interface WHERE map = ? ORDER BY rowid");
	if (mi) {
		sqlite3_bind_text(mi, 1, e->map, -1, SQLITE_TRANSIENT);
		if (!e->dynamic && sqlite3_step(mi) == SQLITE_ROW && cfg_col(mi, 0)) {
			snprintf(e->iface, sizeof(e->iface), "%s", cfg_col(mi, 0));
			e->local_addr = cfg_iface_addr(st, e->iface);
		}
		sqlite3_finalize(mi);
	}
	/* a dynamic map works where a crypto map that names it is applied */
	sqlite3_stmt *di = e->dynamic ? cfg_prepare(st, "SELECT i.ifname FROM crypto_map_entry m JOIN crypto_map_interface i "
							"ON i.map = m.map WHERE m.dynamic = 0 AND m.dynamic_map = ?")
				      : NULL;
	if (di) {
		sqlite3_bind_text(di, 1, e->map, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(di) == SQLITE_ROW && cfg_col(di, 0)) {
			snprintf(e->iface, sizeof(e->iface), "%s", cfg_col(di, 0));
			e->local_addr = cfg_iface_addr(st, e->iface);
		}
		sqlite3_finalize(di);
	}
	sqlite3_stmt *q = cfg_prepare(st, "SELECT peer FROM crypto_map_peer WHERE dynamic = ? AND map = ? AND seq = ? "
					  "ORDER BY idx");
	if (q) {
		cfg_bind_entry(q, e);
		while (sqlite3_step(q) == SQLITE_ROW && e->npeers < IKE_MAX_PEERS)
			if (cfg_ipv4(cfg_col(q, 0), &e->peers[e->npeers]))
				e->npeers++;
		sqlite3_finalize(q);
	}
	q = cfg_prepare(st, "SELECT s.name, s.encryption, s.integrity, s.mode FROM crypto_map_transform t "
			    "JOIN transform_set s ON s.name = t.name WHERE t.dynamic = ? AND t.map = ? AND t.seq = ? "
			    "AND t.version = 1 ORDER BY t.idx");
	if (q) {
		cfg_bind_entry(q, e);
		char why[128];
		while (sqlite3_step(q) == SQLITE_ROW && e->nsets < IKE_MAX_SETS)
			if (ike_esp_from_config(cfg_col(q, 0), cfg_col(q, 1), cfg_col(q, 2), cfg_col(q, 3),
						&e->sets[e->nsets], why, sizeof(why)) == 0)
				e->nsets++;
		sqlite3_finalize(q);
	}
	if (e->acl[0])
		cfg_acl(st, e);
	if (!e->problems[0]) {
		if (!e->dynamic && e->npeers == 0)
			snprintf(e->problems, sizeof(e->problems), "no peer");
		else if (!e->acl[0] && !e->dynamic)
			snprintf(e->problems, sizeof(e->problems), "no crypto ACL (match address)");
		else if (e->dynamic && !e->iface[0])
			snprintf(e->problems, sizeof(e->problems),
				 "no crypto map applied to an interface refers to this dynamic map");
		else if (e->acl[0] && e->nlines == 0)
			snprintf(e->problems, sizeof(e->problems), "access list %s has no usable permit line", e->acl);
		else if (e->nsets == 0)
			snprintf(e->problems, sizeof(e->problems), "no defined transform set");
	}
}

static void cfg_add_iface(struct ike_config *c, const char *name, uint32_t addr)
{
	for (size_t i = 0; i < c->nifaces; i++)
		if (c->ifaces[i].addr == addr)
			return;
	struct ike_iface *n = realloc(c->ifaces, (c->nifaces + 1) * sizeof(*n));
	if (!n)
		return;
	c->ifaces = n;
	snprintf(c->ifaces[c->nifaces].name, sizeof(c->ifaces[0].name), "%s", name);
	c->ifaces[c->nifaces++].addr = addr;
}

/* Where IKE listens: an ASA needs `crypto ikev1 enable IF`; on IOS a crypto
 * map applied to an interface is enough. */
static void cfg_ifaces(struct pf_store *st, unsigned dialect, struct ike_config *c)
{
	sqlite3_stmt *q = cfg_prepare(st, dialect == 2 ? "SELECT ifname FROM crypto_map_interface"
						       : "SELECT ifname FROM ike_interface WHERE version = 1");
	while (q && sqlite3_step(q) == SQLITE_ROW) {
		const char *name = cfg_col(q, 0);
		uint32_t a = name ? cfg_iface_addr(st, name) : 0;
		if (a)
			cfg_add_iface(c, name, a);
	}
	sqlite3_finalize(q);
}

static void cfg_globals(struct pf_store *st, unsigned dialect, struct ike_config *c)
{
	c->natt = true;
	c->nat_keepalive = 20;
	sqlite3_stmt *q = cfg_prepare(st, "SELECT nat_traversal, nat_keepalive, am_disable FROM crypto_global "
					  "WHERE id = 1");
	if (q && sqlite3_step(q) == SQLITE_ROW) {
		if (dialect == 1 && sqlite3_column_type(q, 0) != SQLITE_NULL) {
			c->natt = sqlite3_column_int(q, 0) != 0;
			if (c->natt)
				c->nat_keepalive = (uint32_t)sqlite3_column_int(q, 0);
		}
		if (dialect == 2 && sqlite3_column_type(q, 1) != SQLITE_NULL)
			c->nat_keepalive = (uint32_t)sqlite3_column_int(q, 1);
		c->am_disable = sqlite3_column_int(q, 2) != 0;
	}
	sqlite3_finalize(q);
}

void ike_config_dpd(struct pf_store *st, unsigned dialect, uint32_t peer, uint32_t *interval, uint32_t *retry)
{
	*interval = 0;
	*retry = 0;
	sqlite3_stmt *q;
	if (dialect == 2) {
		q = cfg_prepare(st, "SELECT keepalive, keepalive_retry FROM crypto_global WHERE id = 1");
		if (q && sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) > 0) {
			*interval = (uint32_t)sqlite3_column_int(q, 0);
			*retry = sqlite3_column_int(q, 1) > 0 ? (uint32_t)sqlite3_column_int(q, 1) : 2;
		}
		sqlite3_finalize(q);
		return;
	}
	char name[16];
	cfg_addr_text(peer, name, sizeof(name));
	*interval = 10;
	*retry = 2;
	q = cfg_prepare(st, "SELECT keepalive_threshold, keepalive_retry, keepalive_disable FROM tunnel_group "
			    "WHERE name = ?");
	if (q) {
		sqlite3_bind_text(q, 1, name, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(q) == SQLITE_ROW) {
			if (sqlite3_column_int(q, 2))
				*interval = 0;
			else if (sqlite3_column_int(q, 0) > 0) {
				*interval = (uint32_t)sqlite3_column_int(q, 0);
				*retry = (uint32_t)sqlite3_column_int(q, 1);
			}
		}
		sqlite3_finalize(q);
	}
}

/* crypto ipsec df-bit of an interface (ASA, by nameif): copy by default. */
static uint8_t cfg_df_bit(struct pf_store *st, const char *iface)
{
	uint8_t df = 0;
	sqlite3_stmt *q = cfg_prepare(st, "SELECT policy FROM ipsec_df_bit WHERE ifname = ?");
	if (q && sqlite3_bind_text(q, 1, iface, -1, SQLITE_STATIC) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW &&
	    cfg_col(q, 0))
		df = strcmp(cfg_col(q, 0), "set-df") == 0 ? 1 : strcmp(cfg_col(q, 0), "clear-df") == 0 ? 2 : 0;
	sqlite3_finalize(q);
	return df;
}

int ike_config_load(struct pf_store *st, unsigned dialect, struct ike_config *out, char *why, size_t whylen)
{
	memset(out, 0, sizeof(*out));
	if (cfg_policies(st, dialect, out, why, whylen) < 0)
		return -1;
	cfg_ifaces(st, dialect, out);
	cfg_globals(st, dialect, out);
	long long global_life = 0;
	long long global_kb = 4608000;
	out->replay_window = 64;
	sqlite3_stmt *g = cfg_prepare(st, "SELECT sa_lifetime_seconds, sa_lifetime_kilobytes, replay_window FROM "
					  "crypto_global WHERE id = 1");
	if (g && sqlite3_step(g) == SQLITE_ROW) {
		global_life = sqlite3_column_int64(g, 0);
		if (sqlite3_column_type(g, 1) != SQLITE_NULL)
			global_kb = sqlite3_column_int64(g, 1);
		if (sqlite3_column_type(g, 2) != SQLITE_NULL)
			out->replay_window = (uint32_t)sqlite3_column_int(g, 2);
	}
	sqlite3_finalize(g);
	sqlite3_stmt *q = cfg_prepare(st, "SELECT dynamic, map, seq, acl, pfs, lifetime_seconds, connection_type, "
					  "phase1_mode, phase1_group, lifetime_kilobytes FROM crypto_map_entry "
					  "WHERE dynamic_map IS NULL ORDER BY dynamic, map, seq");
	if (!q)
		return cfg_fail(why, whylen, "cannot read the crypto maps");
	int rc = 0;
	while (sqlite3_step(q) == SQLITE_ROW) {
		struct ike_map_entry *n = realloc(out->entries, (out->nentries + 1) * sizeof(*n));
		if (!n) {
			rc = cfg_fail(why, whylen, "out of memory");
			break;
		}
		out->entries = n;
		struct ike_map_entry *e = &out->entries[out->nentries++];
		memset(e, 0, sizeof(*e));
		e->dynamic = sqlite3_column_int(q, 0) != 0;
		snprintf(e->map, sizeof(e->map), "%s", cfg_col(q, 1) ? cfg_col(q, 1) : "");
		e->seq = sqlite3_column_int(q, 2);
		snprintf(e->acl, sizeof(e->acl), "%s", cfg_col(q, 3) ? cfg_col(q, 3) : "");
		const char *pfs = cfg_col(q, 4);
		e->pfs_group = pfs && strncmp(pfs, "group", 5) == 0 ? atoi(pfs + 5) : 0;
		long long life = sqlite3_column_int64(q, 5);
		e->lifetime = (uint32_t)(life ? life : global_life ? global_life : dialect == 2 ? 3600 : 28800);
		const char *ct = cfg_col(q, 6);
		e->answer_only = ct && strcmp(ct, "answer-only") == 0;
		e->originate_only = ct && strcmp(ct, "originate-only") == 0;
		const char *mode = cfg_col(q, 7), *group = cfg_col(q, 8);
		e->aggressive = mode && strcmp(mode, "aggressive") == 0;
		e->aggressive_group = group && strncmp(group, "group", 5) == 0 ? (uint16_t)atoi(group + 5) : 0;
		const char *kb = cfg_col(q, 9);
		e->lifetime_kb = (uint64_t)(!kb ? global_kb : strcmp(kb, "unlimited") == 0 ? 0 : atoll(kb));
		cfg_entry_details(st, e);
		e->df_bit = cfg_df_bit(st, e->iface);
	}
	sqlite3_finalize(q);
	if (rc < 0)
		ike_config_free(out);
	return rc;
}

void ike_config_free(struct ike_config *c)
{
	for (size_t i = 0; i < c->nentries; i++) {
		free(c->entries[i].lines);
		free(c->entries[i].rules);
		free(c->entries[i].line_text);
	}
	free(c->ifaces);
	free(c->entries);
	free(c->policies);
	memset(c, 0, sizeof(*c));
}

static int cfg_copy_key(const char *k, uint8_t *out, size_t outlen)
{
	size_t n = strlen(k);
	if (n > outlen)
		return -1;
	memcpy(out, k, n);
	return (int)n;
}

static int cfg_prefix_len(uint32_t mask)
{
	int n = 0;
	while (n < 32 && (mask & (0x80000000u >> n)))
		n++;
	return n;
}

/* The key of the most specific address/mask covering the peer (IOS picks the
 * longest match; an ASA tunnel group is named by one address). */
static int cfg_best_key(sqlite3_stmt *q, uint32_t peer, uint8_t *out, size_t outlen, int *wildcard)
{
	int found = -1, best = -1;
	while (q && sqlite3_step(q) == SQLITE_ROW) {
		uint32_t addr, mask = 0xffffffffu;
		const char *name = cfg_col(q, 0), *m = cfg_col(q, 1), *key = cfg_col(q, 2);
		if (wildcard && name && strcmp(name, "DefaultL2LGroup") == 0) {
			*wildcard = 1;
			continue;
		}
		if (!key || !cfg_ipv4(name, &addr) || (m && !cfg_ipv4(m, &mask)) || (peer & mask) != (addr & mask))
			continue;
		if (cfg_prefix_len(mask) > best) {
			int n = cfg_copy_key(key, out, outlen);
			if (n >= 0) {
				found = n;
				best = cfg_prefix_len(mask);
			}
		}
	}
	sqlite3_finalize(q);
	return found;
}

int ike_config_psk(struct pf_store *st, uint32_t peer, uint8_t *out, size_t outlen)
{
	int wildcard = 0;
	int n = cfg_best_key(cfg_prepare(st, "SELECT name, ios_mask, psk FROM tunnel_group WHERE psk IS NOT NULL"),
			     peer, out, outlen, &wildcard);
	if (n >= 0)
		return n;
	n = cfg_best_key(cfg_prepare(st, "SELECT address, mask, psk FROM keyring_key WHERE psk IS NOT NULL"), peer,
			 out, outlen, NULL);
	if (n >= 0 || !wildcard)
		return n;
	sqlite3_stmt *q = cfg_prepare(st, "SELECT psk FROM tunnel_group WHERE name = 'DefaultL2LGroup'");
	if (q && sqlite3_step(q) == SQLITE_ROW && cfg_col(q, 0))
		n = cfg_copy_key(cfg_col(q, 0), out, outlen);
	sqlite3_finalize(q);
	return n;
}
