/*
 * cli_acl.c -- access lists, network object groups and static routes: the
 * handlers of grammar/cmds_acl.c, their running-config sections, and the show
 * commands that list them, in both personalities.
 *
 * The store (platform/pf_store_schema.c) holds one row per entry of a list
 * (`acl_entry`), ordered by seq, remarks first within a seq, then rowid:
 *   - ASA: seq orders the lines; the line number the ASA shows is the rank,
 *     so `line N` inserts before the entry that is now at rank N by shifting
 *     the seq of that entry and all after it.
 *   - IOS: seq is the sequence number the device shows (10, 20, ...). A
 *     remark takes the number the next entry will get, as the device keeps a
 *     remark with the entry that follows it.
 * Masks are stored as netmasks (an IOS wildcard inverted), ports as numbers,
 * protocols by their canonical name (the grammar maps aliases such as ipsec
 * and ahp), so a configuration typed in one dialect renders in the other.
 *
 * Reading and writing lines go through the same definitions: a layout table
 * says in which order each ACE shape of the grammar carries its values, the
 * handlers read slots with it, and the renderers fill slots from a stored row
 * and call gram_unparse() on the same definition. What `show running-config`
 * prints therefore parses back to the identical row (IOS sequence numbers
 * excepted: IOS 15 does not print them, and renumbers by 10 on a paste, as
 * the device does after a reload).
 *
 * Object groups are checked as the devices check them: an entry may only name
 * a group that exists, a group in use cannot be removed, and nesting may not
 * make a loop. `show access-list` on the ASA expands groups into the
 * indented element lines the device prints; IOS lists them unexpanded.
 *
 * Static routes are rows of `route` (the appliance installs them on the host,
 * cli_app.c); `show route` / `show ip route` list them with the connected and
 * local routes of the configured interfaces, as the devices format them.
 *
 * Statements that iterate use their own prepared statement (acl_prepare) and
 * finalize it, so that nothing run inside the loop resets them through the
 * store's statement cache.
 */
#include "cli/cli.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/pf_store.h"

extern const struct gram_cmd_list gram_list_acl;

#define ASA(s) (cli_dialect(s) == GRAM_ASA)

#define ACL_NAME_MAX 256
#define ACL_LINE_MAX (GRAM_MAX_LINE + 64)

/* ---- SQL helpers ---- */

/* Bind values described by fmt: 's' text (NULL or "" binds NULL), 'l' long. */
static int acl_vbind(sqlite3_stmt *st, const char *fmt, va_list ap)
{
	for (int i = 0; fmt[i]; i++) {
		int rc;
		if (fmt[i] == 's') {
			const char *v = va_arg(ap, const char *);
			rc = v && *v ? sqlite3_bind_text(st, i + 1, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i + 1);
		} else {
			rc = sqlite3_bind_int64(st, i + 1, va_arg(ap, long));
		}
		if (rc != SQLITE_OK)
			return -1;
	}
	return 0;
}

/* A cached statement with its parameters bound, or NULL. */
static sqlite3_stmt *acl_stmt(struct cli_session *s, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *st = cli_stmt(s, sql);
	if (!st)
		return NULL;
	va_list ap;
	va_start(ap, fmt);
	int rc = acl_vbind(st, fmt, ap);
	va_end(ap);
	return rc == 0 ? st : NULL;
}

/* A statement of its own for a loop (the caller finalizes it), or NULL. */
static sqlite3_stmt *acl_prepare(struct cli_session *s, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(pf_store_db(cli_store(s)), sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	va_list ap;
	va_start(ap, fmt);
	int rc = acl_vbind(st, fmt, ap);
	va_end(ap);
	if (rc < 0) {
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

static int acl_internal_error(struct cli_session *s)
{
	return cli_error(s, "%% Internal error: %s", sqlite3_errmsg(pf_store_db(cli_store(s))));
}

/* Run a statement for its effect. */
static int acl_run(struct cli_session *s, sqlite3_stmt *st)
{
	if (!st)
		return acl_internal_error(s);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		char msg[256];
		snprintf(msg, sizeof(msg), "%s", sqlite3_errmsg(pf_store_db(cli_store(s))));
		sqlite3_reset(st);
		return cli_error(s, "%% Internal error: %s", msg);
	}
	sqlite3_reset(st);
	return 0;
}

/* The first column of the first row as a number, or dflt when there is none. */
static long acl_long(sqlite3_stmt *st, long dflt)
{
	if (!st)
		return dflt;
	long v = dflt;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = (long)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return v;
}

static void acl_col(sqlite3_stmt *st, int col, char *out, size_t len)
{
	const unsigned char *v = sqlite3_column_text(st, col);
	snprintf(out, len, "%s", v ? (const char *)v : "");
}

/* ---- addresses ---- */

static bool acl_ipv4(const char *text, uint32_t *out)
{
	return text && *text && gram_parse_ipv4(text, out);
}

static uint32_t acl_ipv4_or_zero(const char *text)
{
	uint32_t v = 0;
	return acl_ipv4(text, &v) ? v : 0;
}

static int acl_prefix_len(uint32_t mask)
{
	return __builtin_popcount(mask);
}

static uint32_t acl_len_mask(int len)
{
	return len <= 0 ? 0 : len >= 32 ? 0xffffffffu : ~(0xffffffffu >> len);
}

/* ---- protocols and ICMP types by number (for a dialect that lacks a name) ---- */

static const struct {
	int number;
	const char *name;
} acl_protocols[] = {
	{ 0, "ip" },     { 1, "icmp" },   { 2, "igmp" },  { 4, "ipinip" }, { 6, "tcp" },   { 9, "igrp" },
	{ 17, "udp" },   { 47, "gre" },   { 50, "esp" },  { 51, "ah" },    { 58, "icmp6" }, { 88, "eigrp" },
	{ 89, "ospf" },  { 94, "nos" },   { 103, "pim" }, { 108, "pcp" },  { 109, "snp" }, { 132, "sctp" },
};

static const struct {
	int number;
	const char *name;
} acl_icmp_types[] = {
	{ 0, "echo-reply" },           { 3, "unreachable" },          { 4, "source-quench" },
	{ 5, "redirect" },             { 6, "alternate-address" },    { 8, "echo" },
	{ 9, "router-advertisement" }, { 10, "router-solicitation" }, { 11, "time-exceeded" },
	{ 12, "parameter-problem" },   { 13, "timestamp-request" },   { 14, "timestamp-reply" },
	{ 15, "information-request" }, { 16, "information-reply" },   { 17, "mask-request" },
	{ 18, "mask-reply" },          { 30, "traceroute" },          { 31, "conversion-error" },
	{ 32, "mobile-redirect" },
};

/* A protocol typed as a number is stored by its name when it has one. */
static void acl_protocol_canonical(char *proto, size_t len)
{
	char *end;
	long n = strtol(proto, &end, 10);
	if (end == proto || *end)
		return;
	for (size_t i = 0; i < sizeof(acl_protocols) / sizeof(acl_protocols[0]); i++)
		if (acl_protocols[i].number == n) {
			snprintf(proto, len, "%s", acl_protocols[i].name);
			return;
		}
}

static int acl_protocol_number(const char *name)
{
	for (size_t i = 0; i < sizeof(acl_protocols) / sizeof(acl_protocols[0]); i++)
		if (strcmp(acl_protocols[i].name, name) == 0)
			return acl_protocols[i].number;
	return -1;
}

static int acl_icmp_number(const char *name)
{
	for (size_t i = 0; i < sizeof(acl_icmp_types) / sizeof(acl_icmp_types[0]); i++)
		if (strcmp(acl_icmp_types[i].name, name) == 0)
			return acl_icmp_types[i].number;
	return -1;
}

/* ---- an entry ---- */

struct acl_addr {
	char kind[16];           /* any | host | subnet | object-group | interface */
	char addr[16], mask[16]; /* mask is a netmask */
	char ref[ACL_NAME_MAX];
};

struct acl_port {
	char op[8];              /* "" | eq | neq | lt | gt | range */
	long lo, hi;
};

struct acl_ace {
	long rowid, seq, hits;
	char action[8];          /* permit | deny | remark */
	char protocol[ACL_NAME_MAX + 16]; /* "" for a standard entry; object-group:NAME */
	struct acl_addr src, dst;
	struct acl_port sport, dport;
	char icmp[32];
	bool established, log, inactive;
	char remark[GRAM_MAX_LINE + 1];
};

static bool acl_is_remark(const struct acl_ace *e)
{
	return strcmp(e->action, "remark") == 0;
}

/* Set an address; the values may point into a itself. */
/* A bounded string copy; snprintf("%s") costs several times as much, and
 * this runs for every address of every ACL line of a paste. */
static void acl_copy(char *dst, size_t size, const char *src)
{
	size_t n = src ? strnlen(src, size - 1) : 0;
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

static void acl_addr_set(struct acl_addr *a, const char *kind, const char *addr, const char *mask, const char *ref)
{
	struct acl_addr n;
	acl_copy(n.kind, sizeof(n.kind), kind);
	acl_copy(n.addr, sizeof(n.addr), addr);
	acl_copy(n.mask, sizeof(n.mask), mask);
	acl_copy(n.ref, sizeof(n.ref), ref);
	*a = n;
}

/* ---- the shapes of the grammar and the order of their slots ---- */

enum acl_field {
	AF_END = 0,
	AF_NAME,      /* list name or number */
	AF_LINE,      /* ASA line number */
	AF_SEQ,       /* IOS sequence number */
	AF_ACTION,
	AF_PROTO_ASA, /* protocol alternation, protocol object-group */
	AF_PROTO_IOS,
	AF_SRC_ASA,   /* host, address, netmask, object-group, interface */
	AF_DST_ASA,
	AF_SRC_IOS,   /* host, address, wildcard, object-group */
	AF_DST_IOS,
	AF_STD_ASA,   /* host, address, netmask */
	AF_STD_IOS,   /* host, bare address, address, wildcard */
	AF_SPORT,     /* eq|neq|lt|gt, port, range low, range high */
	AF_DPORT,
	AF_ICMP,
	AF_EST,
	AF_LOG,
	AF_INACTIVE,
	AF_REMARK,
	AF_COUNT
};

static const int acl_field_slots[AF_COUNT] = {
	[AF_NAME] = 1,    [AF_LINE] = 1,    [AF_SEQ] = 1,     [AF_ACTION] = 1,  [AF_PROTO_ASA] = 2,
	[AF_PROTO_IOS] = 1, [AF_SRC_ASA] = 5, [AF_DST_ASA] = 5, [AF_SRC_IOS] = 4, [AF_DST_IOS] = 4,
	[AF_STD_ASA] = 3, [AF_STD_IOS] = 4, [AF_SPORT] = 4,   [AF_DPORT] = 4,   [AF_ICMP] = 1,
	[AF_EST] = 1,     [AF_LOG] = 1,     [AF_INACTIVE] = 1, [AF_REMARK] = 1,
};

enum acl_shape { SHAPE_IP, SHAPE_TCP, SHAPE_UDP, SHAPE_ICMP, SHAPE_STD, SHAPE_REMARK };
enum acl_ctx { CTX_ASA, CTX_NUM, CTX_SUB };   /* ASA list, IOS numbered line, IOS sub-mode line */

struct acl_layout {
	const char *action;
	unsigned dialect;
	enum acl_ctx ctx;
	enum acl_shape shape;
	uint8_t field[10];
};

static const struct acl_layout acl_layouts[] = {
	{ "acl_asa_ip", GRAM_ASA, CTX_ASA, SHAPE_IP,
	  { AF_NAME, AF_LINE, AF_ACTION, AF_PROTO_ASA, AF_SRC_ASA, AF_DST_ASA, AF_LOG, AF_INACTIVE } },
	{ "acl_asa_tcp", GRAM_ASA, CTX_ASA, SHAPE_TCP,
	  { AF_NAME, AF_LINE, AF_ACTION, AF_SRC_ASA, AF_SPORT, AF_DST_ASA, AF_DPORT, AF_LOG, AF_INACTIVE } },
	{ "acl_asa_udp", GRAM_ASA, CTX_ASA, SHAPE_UDP,
	  { AF_NAME, AF_LINE, AF_ACTION, AF_SRC_ASA, AF_SPORT, AF_DST_ASA, AF_DPORT, AF_LOG, AF_INACTIVE } },
	{ "acl_asa_icmp", GRAM_ASA, CTX_ASA, SHAPE_ICMP,
	  { AF_NAME, AF_LINE, AF_ACTION, AF_SRC_ASA, AF_DST_ASA, AF_ICMP, AF_LOG, AF_INACTIVE } },
	{ "acl_asa_std", GRAM_ASA, CTX_ASA, SHAPE_STD, { AF_NAME, AF_LINE, AF_ACTION, AF_STD_ASA } },
	{ "acl_asa_remark", GRAM_ASA, CTX_ASA, SHAPE_REMARK, { AF_NAME, AF_LINE, AF_REMARK } },

	{ "acl_ios_num_std", GRAM_IOS, CTX_NUM, SHAPE_STD, { AF_NAME, AF_ACTION, AF_STD_IOS, AF_LOG } },
	{ "acl_ios_num_ip", GRAM_IOS, CTX_NUM, SHAPE_IP,
	  { AF_NAME, AF_ACTION, AF_PROTO_IOS, AF_SRC_IOS, AF_DST_IOS, AF_LOG } },
	{ "acl_ios_num_tcp", GRAM_IOS, CTX_NUM, SHAPE_TCP,
	  { AF_NAME, AF_ACTION, AF_SRC_IOS, AF_SPORT, AF_DST_IOS, AF_DPORT, AF_EST, AF_LOG } },
	{ "acl_ios_num_udp", GRAM_IOS, CTX_NUM, SHAPE_UDP,
	  { AF_NAME, AF_ACTION, AF_SRC_IOS, AF_SPORT, AF_DST_IOS, AF_DPORT, AF_LOG } },
	{ "acl_ios_num_icmp", GRAM_IOS, CTX_NUM, SHAPE_ICMP,
	  { AF_NAME, AF_ACTION, AF_SRC_IOS, AF_DST_IOS, AF_ICMP, AF_LOG } },
	{ "acl_ios_num_remark", GRAM_IOS, CTX_NUM, SHAPE_REMARK, { AF_NAME, AF_REMARK } },

	{ "acl_ios_sub_std", GRAM_IOS, CTX_SUB, SHAPE_STD, { AF_SEQ, AF_ACTION, AF_STD_IOS, AF_LOG } },
	{ "acl_ios_sub_ip", GRAM_IOS, CTX_SUB, SHAPE_IP,
	  { AF_SEQ, AF_ACTION, AF_PROTO_IOS, AF_SRC_IOS, AF_DST_IOS, AF_LOG } },
	{ "acl_ios_sub_tcp", GRAM_IOS, CTX_SUB, SHAPE_TCP,
	  { AF_SEQ, AF_ACTION, AF_SRC_IOS, AF_SPORT, AF_DST_IOS, AF_DPORT, AF_EST, AF_LOG } },
	{ "acl_ios_sub_udp", GRAM_IOS, CTX_SUB, SHAPE_UDP,
	  { AF_SEQ, AF_ACTION, AF_SRC_IOS, AF_SPORT, AF_DST_IOS, AF_DPORT, AF_LOG } },
	{ "acl_ios_sub_icmp", GRAM_IOS, CTX_SUB, SHAPE_ICMP,
	  { AF_SEQ, AF_ACTION, AF_SRC_IOS, AF_DST_IOS, AF_ICMP, AF_LOG } },
	{ "acl_ios_sub_remark", GRAM_IOS, CTX_SUB, SHAPE_REMARK, { AF_REMARK } },
};

static const struct acl_layout *acl_layout_by_action(const char *action)
{
	for (size_t i = 0; i < sizeof(acl_layouts) / sizeof(acl_layouts[0]); i++)
		if (strcmp(acl_layouts[i].action, action) == 0)
			return &acl_layouts[i];
	return NULL;
}

static enum acl_shape acl_shape_of(const struct acl_ace *e)
{
	if (acl_is_remark(e))
		return SHAPE_REMARK;
	if (!e->protocol[0])
		return SHAPE_STD;
	if (strcmp(e->protocol, "tcp") == 0)
		return SHAPE_TCP;
	if (strcmp(e->protocol, "udp") == 0)
		return SHAPE_UDP;
	if (strcmp(e->protocol, "icmp") == 0)
		return SHAPE_ICMP;
	return SHAPE_IP;
}

static const struct acl_layout *acl_layout_for(unsigned dialect, enum acl_ctx ctx, const struct acl_ace *e)
{
	enum acl_shape shape = acl_shape_of(e);
	for (size_t i = 0; i < sizeof(acl_layouts) / sizeof(acl_layouts[0]); i++)
		if (acl_layouts[i].dialect == dialect && acl_layouts[i].ctx == ctx && acl_layouts[i].shape == shape)
			return &acl_layouts[i];
	return NULL;
}

/* The grammar definition a layout describes. */
static const struct gram_cmd *acl_def(const struct acl_layout *l)
{
	for (size_t i = 0; i < gram_list_acl.count; i++) {
		const struct gram_cmd *c = &gram_list_acl.cmds[i];
		if (c->action && (c->dialect & l->dialect) && strcmp(c->action, l->action) == 0)
			return c;
	}
	return NULL;
}

/* Whether the layout and the definition agree on the number of slots. */
static bool acl_layout_fits(struct cli_session *s, const struct acl_layout *l, const struct gram_cmd *def)
{
	int n = 0;
	for (int i = 0; i < (int)sizeof(l->field) && l->field[i] != AF_END; i++)
		n += acl_field_slots[l->field[i]];
	return def && gram_slot_count(cli_gram(s), def) == n;
}

/* ---- slots to an entry ---- */

struct acl_reader {
	const struct gram_match *m;
	int next;
};

static const char *acl_take(struct acl_reader *r)
{
	const char *v = r->next < GRAM_MAX_SLOTS ? r->m->slot[r->next] : NULL;
	r->next++;
	return v;
}

/* An address typed with a netmask (ASA) or a wildcard (IOS), before checks. */
static void acl_read_addr(struct acl_reader *r, enum acl_field f, struct acl_addr *a)
{
	const char *host = acl_take(r);
	const char *bare = f == AF_STD_IOS ? acl_take(r) : NULL;
	const char *addr = acl_take(r);
	const char *mask = acl_take(r);
	const char *group = f == AF_STD_ASA || f == AF_STD_IOS ? NULL : acl_take(r);
	const char *iface = f == AF_SRC_ASA || f == AF_DST_ASA ? acl_take(r) : NULL;
	acl_addr_set(a, "any", NULL, NULL, NULL);
	if (host || bare) {
		acl_addr_set(a, "host", host ? host : bare, NULL, NULL);
	} else if (addr && mask) {
		bool wildcard = f == AF_SRC_IOS || f == AF_DST_IOS || f == AF_STD_IOS;
		char netmask[16];
		if (wildcard)
			cli_ipv4_str(~acl_ipv4_or_zero(mask), netmask);
		else
			snprintf(netmask, sizeof(netmask), "%s", mask);
		acl_addr_set(a, "subnet", addr, netmask, NULL);
	} else if (group) {
		acl_addr_set(a, "object-group", NULL, NULL, group);
	} else if (iface) {
		acl_addr_set(a, "interface", NULL, NULL, iface);
	}
}

static void acl_read_port(struct acl_reader *r, struct acl_port *p)
{
	const char *op = acl_take(r), *port = acl_take(r), *lo = acl_take(r), *hi = acl_take(r);
	memset(p, 0, sizeof(*p));
	if (op && port) {
		snprintf(p->op, sizeof(p->op), "%s", op);
		p->lo = atol(port);
	} else if (lo && hi) {
		snprintf(p->op, sizeof(p->op), "range");
		p->lo = atol(lo);
		p->hi = atol(hi);
	}
}

/* Fill e (and the list name and line/sequence number) from a matched line. */
static void acl_read(const struct acl_layout *l, const struct gram_match *m, struct acl_ace *e, char *name,
		     size_t namelen, long *pos)
{
	struct acl_reader r = { .m = m };
	memset(e, 0, sizeof(*e));
	acl_addr_set(&e->src, "any", NULL, NULL, NULL);
	acl_addr_set(&e->dst, "any", NULL, NULL, NULL);
	*pos = 0;
	if (l->shape == SHAPE_REMARK)
		snprintf(e->action, sizeof(e->action), "remark");
	if (l->shape == SHAPE_TCP || l->shape == SHAPE_UDP || l->shape == SHAPE_ICMP)
		snprintf(e->protocol, sizeof(e->protocol), "%s",
			 l->shape == SHAPE_TCP ? "tcp" : l->shape == SHAPE_UDP ? "udp" : "icmp");
	for (int i = 0; i < (int)sizeof(l->field) && l->field[i] != AF_END; i++) {
		const char *v, *group;
		switch (l->field[i]) {
		case AF_NAME:
			v = acl_take(&r);
			snprintf(name, namelen, "%s", v ? v : "");
			break;
		case AF_LINE:
		case AF_SEQ:
			v = acl_take(&r);
			*pos = v ? atol(v) : 0;
			break;
		case AF_ACTION:
			v = acl_take(&r);
			snprintf(e->action, sizeof(e->action), "%s", v ? v : "permit");
			break;
		case AF_PROTO_ASA:
		case AF_PROTO_IOS:
			v = acl_take(&r);
			group = l->field[i] == AF_PROTO_ASA ? acl_take(&r) : NULL;
			if (group)
				snprintf(e->protocol, sizeof(e->protocol), "object-group:%s", group);
			else
				snprintf(e->protocol, sizeof(e->protocol), "%s", v ? v : "ip");
			acl_protocol_canonical(e->protocol, sizeof(e->protocol));
			break;
		case AF_SRC_ASA:
		case AF_SRC_IOS:
		case AF_STD_ASA:
		case AF_STD_IOS:
			acl_read_addr(&r, l->field[i], &e->src);
			break;
		case AF_DST_ASA:
		case AF_DST_IOS:
			acl_read_addr(&r, l->field[i], &e->dst);
			break;
		case AF_SPORT:
			acl_read_port(&r, &e->sport);
			break;
		case AF_DPORT:
			acl_read_port(&r, &e->dport);
			break;
		case AF_ICMP:
			v = acl_take(&r);
			snprintf(e->icmp, sizeof(e->icmp), "%s", v ? v : "");
			break;
		case AF_EST:
			e->established = acl_take(&r) != NULL;
			break;
		case AF_LOG:
			e->log = acl_take(&r) != NULL;
			break;
		case AF_INACTIVE:
			e->inactive = acl_take(&r) != NULL;
			break;
		case AF_REMARK:
			v = acl_take(&r);
			snprintf(e->remark, sizeof(e->remark), "%s", v ? v : "");
			break;
		default:
			break;
		}
	}
}

/* ---- an entry to slots, and to its line ---- */

struct acl_writer {
	const char *slot[GRAM_MAX_SLOTS];
	char text[GRAM_MAX_SLOTS][24];
	int next;
	bool numeric;   /* protocols and ICMP types as numbers (a dialect without the name) */
};

static void acl_put(struct acl_writer *w, const char *v)
{
	if (w->next < GRAM_MAX_SLOTS)
		w->slot[w->next] = v && *v ? v : NULL;
	w->next++;
}

static void acl_put_long(struct acl_writer *w, long v)
{
	if (w->next < GRAM_MAX_SLOTS) {
		snprintf(w->text[w->next], sizeof(w->text[0]), "%ld", v);
		w->slot[w->next] = w->text[w->next];
	}
	w->next++;
}

static void acl_put_wildcard(struct acl_writer *w, const char *netmask)
{
	if (w->next < GRAM_MAX_SLOTS) {
		cli_ipv4_str(~acl_ipv4_or_zero(netmask), w->text[w->next]);
		w->slot[w->next] = w->text[w->next];
	}
	w->next++;
}

static void acl_write_addr(struct acl_writer *w, enum acl_field f, const struct acl_addr *a)
{
	bool host = strcmp(a->kind, "host") == 0, subnet = strcmp(a->kind, "subnet") == 0;
	bool wildcard = f == AF_SRC_IOS || f == AF_DST_IOS || f == AF_STD_IOS;
	acl_put(w, host && f != AF_STD_IOS ? a->addr : NULL);
	if (f == AF_STD_IOS)
		acl_put(w, host ? a->addr : NULL);  /* a standard host is written bare */
	acl_put(w, subnet ? a->addr : NULL);
	if (subnet && wildcard)
		acl_put_wildcard(w, a->mask);
	else
		acl_put(w, subnet ? a->mask : NULL);
	if (f != AF_STD_ASA && f != AF_STD_IOS)
		acl_put(w, strcmp(a->kind, "object-group") == 0 ? a->ref : NULL);
	if (f == AF_SRC_ASA || f == AF_DST_ASA)
		acl_put(w, strcmp(a->kind, "interface") == 0 ? a->ref : NULL);
}

static void acl_write_port(struct acl_writer *w, const struct acl_port *p)
{
	bool range = strcmp(p->op, "range") == 0, single = p->op[0] && !range;
	acl_put(w, single ? p->op : NULL);
	if (single)
		acl_put_long(w, p->lo);
	else
		acl_put(w, NULL);
	if (range) {
		acl_put_long(w, p->lo);
		acl_put_long(w, p->hi);
	} else {
		acl_put(w, NULL);
		acl_put(w, NULL);
	}
}

static void acl_write_protocol(struct acl_writer *w, enum acl_field f, const struct acl_ace *e)
{
	bool group = strncmp(e->protocol, "object-group:", 13) == 0;
	int number = acl_protocol_number(e->protocol);
	if (group)
		acl_put(w, NULL);
	else if (w->numeric && number >= 0)
		acl_put_long(w, number);
	else
		acl_put(w, e->protocol);
	if (f == AF_PROTO_ASA)
		acl_put(w, group ? e->protocol + 13 : NULL);
}

static void acl_write(struct acl_writer *w, const struct acl_layout *l, const struct acl_ace *e, const char *name,
		      long pos)
{
	memset(w->slot, 0, sizeof(w->slot));
	w->next = 0;
	for (int i = 0; i < (int)sizeof(l->field) && l->field[i] != AF_END; i++) {
		switch (l->field[i]) {
		case AF_NAME:
			acl_put(w, name);
			break;
		case AF_LINE:
		case AF_SEQ:
			if (pos > 0)
				acl_put_long(w, pos);
			else
				acl_put(w, NULL);
			break;
		case AF_ACTION:
			acl_put(w, e->action);
			break;
		case AF_PROTO_ASA:
		case AF_PROTO_IOS:
			acl_write_protocol(w, l->field[i], e);
			break;
		case AF_SRC_ASA:
		case AF_SRC_IOS:
		case AF_STD_ASA:
		case AF_STD_IOS:
			acl_write_addr(w, l->field[i], &e->src);
			break;
		case AF_DST_ASA:
		case AF_DST_IOS:
			acl_write_addr(w, l->field[i], &e->dst);
			break;
		case AF_SPORT:
			acl_write_port(w, &e->sport);
			break;
		case AF_DPORT:
			acl_write_port(w, &e->dport);
			break;
		case AF_ICMP:
			if (w->numeric && e->icmp[0] && acl_icmp_number(e->icmp) >= 0)
				acl_put_long(w, acl_icmp_number(e->icmp));
			else
				acl_put(w, e->icmp);
			break;
		case AF_EST:
			acl_put(w, e->established ? "established" : NULL);
			break;
		case AF_LOG:
			acl_put(w, e->log ? "log" : NULL);
			break;
		case AF_INACTIVE:
			acl_put(w, e->inactive ? "inactive" : NULL);
			break;
		case AF_REMARK:
			acl_put(w, e->remark);
			break;
		default:
			break;
		}
	}
}

/* The command line of an entry in a dialect and context: the definition that
 * parses it writes it. pos is the ASA line or IOS sequence number (0: none).
 * Returns the length, or -1 when the dialect cannot express the entry. */
static int acl_line(struct cli_session *s, enum acl_ctx ctx, const struct acl_ace *e, const char *name, long pos,
		    char *out, size_t outlen)
{
	const struct acl_layout *l = acl_layout_for(cli_dialect(s), ctx, e);
	const struct gram_cmd *def = l ? acl_def(l) : NULL;
	if (!def || !acl_layout_fits(s, l, def))
		return -1;
	struct gram *g = cli_gram(s);
	struct acl_writer w = { .numeric = false };
	acl_write(&w, l, e, name, pos);
	int n = gram_unparse(g, def, w.slot, gram_slot_count(g, def), out, outlen);
	if (n < 0) {
		w.numeric = true;
		acl_write(&w, l, e, name, pos);
		n = gram_unparse(g, def, w.slot, gram_slot_count(g, def), out, outlen);
	}
	return n;
}

/* IOS writes `deny` padded to the width of `permit` in its configuration. */
static void acl_pad_deny(char *line, size_t len, size_t at)
{
	size_t n = strlen(line);
	if (at > n || strncmp(line + at, "deny ", 5) != 0 || n + 2 >= len)
		return;
	memmove(line + at + 6, line + at + 4, n - at - 4 + 1);
	line[at + 4] = ' ';
	line[at + 5] = ' ';
}

/* ---- the store: lists ---- */

static const char acl_entry_cols[] =
	"rowid, seq, action, protocol, src_kind, src_addr, src_mask, src_ref, src_port_op, src_port1, src_port2, "
	"dst_kind, dst_addr, dst_mask, dst_ref, dst_port_op, dst_port1, dst_port2, icmp_type, established, log, "
	"inactive, remark, hits";

#define ACL_ORDER " ORDER BY seq, action = 'remark' DESC, rowid"

static void acl_load_addr(sqlite3_stmt *st, int col, struct acl_addr *a)
{
	acl_col(st, col, a->kind, sizeof(a->kind));
	if (!a->kind[0])
		snprintf(a->kind, sizeof(a->kind), "any");
	acl_col(st, col + 1, a->addr, sizeof(a->addr));
	acl_col(st, col + 2, a->mask, sizeof(a->mask));
	acl_col(st, col + 3, a->ref, sizeof(a->ref));
}

static void acl_load_port(sqlite3_stmt *st, int col, struct acl_port *p)
{
	acl_col(st, col, p->op, sizeof(p->op));
	p->lo = (long)sqlite3_column_int64(st, col + 1);
	p->hi = (long)sqlite3_column_int64(st, col + 2);
}

/* One row of `SELECT acl_entry_cols ...`. */
static void acl_load(sqlite3_stmt *st, struct acl_ace *e)
{
	memset(e, 0, sizeof(*e));
	e->rowid = (long)sqlite3_column_int64(st, 0);
	e->seq = (long)sqlite3_column_int64(st, 1);
	acl_col(st, 2, e->action, sizeof(e->action));
	acl_col(st, 3, e->protocol, sizeof(e->protocol));
	acl_load_addr(st, 4, &e->src);
	acl_load_port(st, 8, &e->sport);
	acl_load_addr(st, 11, &e->dst);
	acl_load_port(st, 15, &e->dport);
	acl_col(st, 18, e->icmp, sizeof(e->icmp));
	e->established = sqlite3_column_int(st, 19) != 0;
	e->log = sqlite3_column_int(st, 20) != 0;
	e->inactive = sqlite3_column_int(st, 21) != 0;
	acl_col(st, 22, e->remark, sizeof(e->remark));
	e->hits = (long)sqlite3_column_int64(st, 23);
}

/* The entries of a list in order: a statement to step with acl_load(). */
static sqlite3_stmt *acl_entries(struct cli_session *s, const char *name)
{
	char sql[512];
	snprintf(sql, sizeof(sql), "SELECT %s FROM acl_entry WHERE acl = ?" ACL_ORDER, acl_entry_cols);
	return acl_prepare(s, sql, "s", name);
}

static bool acl_exists(struct cli_session *s, const char *name, char *kind, size_t kindlen)
{
	sqlite3_stmt *q = acl_stmt(s, "SELECT kind FROM acl WHERE name = ?", "s", name);
	bool found = q && sqlite3_step(q) == SQLITE_ROW;
	if (found && kind)
		acl_col(q, 0, kind, kindlen);
	if (q)
		sqlite3_reset(q);
	return found;
}

static int acl_ensure(struct cli_session *s, const char *name, const char *kind, bool numbered)
{
	if (acl_exists(s, name, NULL, 0))
		return 0;
	int rc = acl_run(s, acl_stmt(s, "INSERT INTO acl (name, kind, numbered) VALUES (?, ?, ?)", "ssl", name, kind,
				   (long)numbered));
	if (rc == 0)
		cli_changed(s, "acl");
	return rc;
}

static int acl_remove_list(struct cli_session *s, const char *name)
{
	int rc = acl_run(s, acl_stmt(s, "DELETE FROM acl WHERE name = ?", "s", name));
	if (rc == 0) {
		cli_changed(s, "acl");
		cli_changed(s, "acl_entry");
	}
	return rc;
}

/* Bind the columns of an entry after acl/seq/action, from index first on:
 * protocol, the source, its ports, the destination, its ports, icmp_type,
 * established, log, inactive, remark (20 values). Returns -1 on failure. */
static int acl_bind_entry(sqlite3_stmt *st, int first, const struct acl_ace *e)
{
	const struct acl_addr *addr[2] = { &e->src, &e->dst };
	const struct acl_port *port[2] = { &e->sport, &e->dport };
	int i = first, rc = SQLITE_OK;
#define ACL_BIND_TEXT(v) \
	(rc |= (v) && *(v) ? sqlite3_bind_text(st, i, (v), -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i), i++)
#define ACL_BIND_LONG(has, v) (rc |= (has) ? sqlite3_bind_int64(st, i, (v)) : sqlite3_bind_null(st, i), i++)
	ACL_BIND_TEXT(e->protocol);
	for (int k = 0; k < 2; k++) {
		bool range = strcmp(port[k]->op, "range") == 0;
		ACL_BIND_TEXT(addr[k]->kind);
		ACL_BIND_TEXT(addr[k]->addr);
		ACL_BIND_TEXT(addr[k]->mask);
		ACL_BIND_TEXT(addr[k]->ref);
		ACL_BIND_TEXT(port[k]->op);
		ACL_BIND_LONG(port[k]->op[0] != '\0', port[k]->lo);
		ACL_BIND_LONG(range, port[k]->hi);
	}
	ACL_BIND_TEXT(e->icmp);
	ACL_BIND_LONG(e->established, 1);
	ACL_BIND_LONG(e->log, 1);
	ACL_BIND_LONG(e->inactive, 1);
	ACL_BIND_TEXT(e->remark);
#undef ACL_BIND_TEXT
#undef ACL_BIND_LONG
	return rc == SQLITE_OK ? 0 : -1;
}

/* The rowid of the entry equal to e in everything but its number, or -1. */
static long acl_find(struct cli_session *s, const char *name, const struct acl_ace *e)
{
	static const char sql[] =
		"SELECT rowid FROM acl_entry WHERE acl = ? AND action = ? AND protocol IS ? AND src_kind IS ? "
		"AND src_addr IS ? AND src_mask IS ? AND src_ref IS ? AND src_port_op IS ? AND src_port1 IS ? "
		"AND src_port2 IS ? AND dst_kind IS ? AND dst_addr IS ? AND dst_mask IS ? AND dst_ref IS ? "
		"AND dst_port_op IS ? AND dst_port1 IS ? AND dst_port2 IS ? AND icmp_type IS ? AND established IS ? "
		"AND log IS ? AND inactive IS ? AND remark IS ? LIMIT 1"; /* no ORDER BY: a sort per line */
	sqlite3_stmt *q = acl_stmt(s, sql, "ss", name, e->action);
	if (!q || acl_bind_entry(q, 3, e) < 0)
		return -1;
	return acl_long(q, -1);
}

static int acl_insert(struct cli_session *s, const char *name, long seq, const struct acl_ace *e)
{
	static const char sql[] =
		"INSERT INTO acl_entry (acl, seq, action, protocol, src_kind, src_addr, src_mask, src_ref, src_port_op, "
		"src_port1, src_port2, dst_kind, dst_addr, dst_mask, dst_ref, dst_port_op, dst_port1, dst_port2, "
		"icmp_type, established, log, inactive, remark) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st = acl_stmt(s, sql, "sls", name, seq, e->action);
	if (st && acl_bind_entry(st, 4, e) < 0)
		st = NULL;
	int rc = acl_run(s, st);
	if (rc == 0)
		cli_changed(s, "acl_entry");
	return rc;
}

static int acl_delete_entry(struct cli_session *s, long rowid)
{
	int rc = acl_run(s, acl_stmt(s, "DELETE FROM acl_entry WHERE rowid = ?", "l", rowid));
	if (rc == 0)
		cli_changed(s, "acl_entry");
	return rc;
}

static long acl_entry_count(struct cli_session *s, const char *name)
{
	return acl_long(acl_stmt(s, "SELECT count(*) FROM acl_entry WHERE acl = ?", "s", name), 0);
}

/* ASA: the seq for an entry typed with `line pos` (0: at the end). The entry
 * now at that rank and all after it move down by one. */
static long acl_asa_seq(struct cli_session *s, const char *name, long pos)
{
	long at = -1;
	if (pos > 0)
		at = acl_long(acl_stmt(s, "SELECT seq FROM acl_entry WHERE acl = ?" ACL_ORDER " LIMIT 1 OFFSET ?", "sl",
				       name, pos - 1),
			      -1);
	if (at < 0)
		return acl_long(acl_stmt(s, "SELECT max(seq) + 1 FROM acl_entry WHERE acl = ?", "s", name), 1);
	/* two steps, so that the unique (acl, seq) index never sees a collision */
	if (acl_run(s, acl_stmt(s, "UPDATE acl_entry SET seq = -seq - 1 WHERE acl = ? AND seq >= ?", "sl", name,
				at)) < 0 ||
	    acl_run(s, acl_stmt(s, "UPDATE acl_entry SET seq = -seq WHERE acl = ? AND seq < 0", "s", name)) < 0)
		return -1;
	return at;
}

/* IOS: the number the next entry (or a remark before it) gets. */
static long acl_ios_next_seq(struct cli_session *s, const char *name)
{
	return acl_long(acl_stmt(s, "SELECT max(seq) FROM acl_entry WHERE acl = ? AND action <> 'remark'", "s", name),
			0) + 10;
}

static bool acl_ios_seq_taken(struct cli_session *s, const char *name, long seq)
{
	return acl_long(acl_stmt(s, "SELECT count(*) FROM acl_entry WHERE acl = ? AND seq = ? AND action <> 'remark'",
				 "sl", name, seq),
			0) > 0;
}

/* ---- the store: object groups ---- */

struct og_member {
	char kind[8];            /* host | subnet | range | group */
	char addr[16], mask[16]; /* a range's end is in mask */
	char ref[ACL_NAME_MAX];
};

struct og_members {
	struct og_member *v;
	size_t n, cap;
};

static void og_members_free(struct og_members *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* The members of a group in order. Returns -1 when out of memory or on error. */
static int og_members_load(struct cli_session *s, const char *group, struct og_members *l)
{
	memset(l, 0, sizeof(*l));
	sqlite3_stmt *q = acl_prepare(s, "SELECT kind, address, mask, ref FROM object_group_member WHERE grp = ? "
					 "ORDER BY rowid", "s", group);
	if (!q)
		return -1;
	int rc = 0;
	while (sqlite3_step(q) == SQLITE_ROW) {
		if (l->n == l->cap) {
			size_t cap = l->cap ? l->cap * 2 : 16;
			struct og_member *v = realloc(l->v, cap * sizeof(*v));
			if (!v) {
				rc = -1;
				break;
			}
			l->v = v;
			l->cap = cap;
		}
		struct og_member *mb = &l->v[l->n++];
		acl_col(q, 0, mb->kind, sizeof(mb->kind));
		acl_col(q, 1, mb->addr, sizeof(mb->addr));
		acl_col(q, 2, mb->mask, sizeof(mb->mask));
		acl_col(q, 3, mb->ref, sizeof(mb->ref));
	}
	sqlite3_finalize(q);
	if (rc < 0)
		og_members_free(l);
	return rc;
}

/* The type of a group ("network", ...), or false when there is none. */
static bool og_exists(struct cli_session *s, const char *name, char *type, size_t typelen)
{
	sqlite3_stmt *q = acl_stmt(s, "SELECT type FROM object_group WHERE name = ?", "s", name);
	bool found = q && sqlite3_step(q) == SQLITE_ROW;
	if (found && type)
		acl_col(q, 0, type, typelen);
	if (q)
		sqlite3_reset(q);
	return found;
}

static bool og_is_network(struct cli_session *s, const char *name)
{
	char type[16];
	return og_exists(s, name, type, sizeof(type)) && strcmp(type, "network") == 0;
}

/* Whether an access list entry or another group refers to the group. */
static bool og_in_use(struct cli_session *s, const char *name)
{
	char proto[ACL_NAME_MAX + 16];
	snprintf(proto, sizeof(proto), "object-group:%s", name);
	long n = acl_long(acl_stmt(s, "SELECT count(*) FROM acl_entry WHERE (src_kind = 'object-group' AND src_ref = ?) "
				      "OR (dst_kind = 'object-group' AND dst_ref = ?) OR protocol = ?",
				   "sss", name, name, proto),
			  0);
	n += acl_long(acl_stmt(s, "SELECT count(*) FROM object_group_member WHERE kind = 'group' AND ref = ?", "s",
			       name),
		      0);
	return n > 0;
}

/* Whether target is group or is nested, at any depth, inside it. */
static bool og_reaches(struct cli_session *s, const char *group, const char *target, int depth)
{
	if (strcmp(group, target) == 0)
		return true;
	struct og_members l;
	if (depth > 32 || og_members_load(s, group, &l) < 0)
		return depth > 32;  /* a deeper hierarchy than any device allows: refuse */
	bool found = false;
	for (size_t i = 0; i < l.n && !found; i++)
		if (strcmp(l.v[i].kind, "group") == 0)
			found = og_reaches(s, l.v[i].ref, target, depth + 1);
	og_members_free(&l);
	return found;
}

/* The addresses a network group stands for, nested groups expanded. */
struct acl_addrs {
	struct acl_addr *v;
	size_t n, cap;
};

static int og_expand(struct cli_session *s, const char *group, struct acl_addrs *out, int depth)
{
	struct og_members l;
	if (depth > 32 || og_members_load(s, group, &l) < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < l.n && rc == 0; i++) {
		const struct og_member *mb = &l.v[i];
		if (strcmp(mb->kind, "group") == 0) {
			rc = og_expand(s, mb->ref, out, depth + 1);
			continue;
		}
		if (strcmp(mb->kind, "host") != 0 && strcmp(mb->kind, "subnet") != 0)
			continue;  /* a range has no ACL form on the ASA */
		if (out->n == out->cap) {
			size_t cap = out->cap ? out->cap * 2 : 16;
			struct acl_addr *v = realloc(out->v, cap * sizeof(*v));
			if (!v) {
				rc = -1;
				break;
			}
			out->v = v;
			out->cap = cap;
		}
		acl_addr_set(&out->v[out->n++], mb->kind, mb->addr, mb->mask, NULL);
	}
	og_members_free(&l);
	return rc;
}

/* ---- checks the devices make ---- */

/* An address with its netmask: the ASA refuses host bits outside the mask,
 * IOS clears them. A full mask is a host, an empty one with 0.0.0.0 is any. */
static int acl_check_subnet(struct cli_session *s, char addr[16], char mask[16], bool *is_host, bool *is_any)
{
	uint32_t a = 0, m = 0;
	*is_host = *is_any = false;
	if (!acl_ipv4(addr, &a) || !acl_ipv4(mask, &m))
		return cli_error(s, "%s%% Invalid address", ASA(s) ? "ERROR: " : "");
	if (a & ~m) {
		if (ASA(s))
			return cli_error(s, "ERROR: IP address,mask <%s,%s> doesn't pair", addr, mask);
		a &= m;
		cli_ipv4_str(a, addr);
	}
	*is_host = m == 0xffffffffu;
	*is_any = m == 0 && a == 0;
	return 0;
}

static int acl_normalise_addr(struct cli_session *s, struct acl_addr *a)
{
	if (strcmp(a->kind, "subnet") != 0)
		return 0;
	bool host, any;
	if (acl_check_subnet(s, a->addr, a->mask, &host, &any) < 0)
		return -1;
	if (host)
		acl_addr_set(a, "host", a->addr, NULL, NULL);
	else if (any)
		acl_addr_set(a, "any", NULL, NULL, NULL);
	return 0;
}

static int acl_group_missing(struct cli_session *s, const char *name)
{
	if (ASA(s))
		return cli_error(s, "ERROR: specified object group <%s> not found", name);
	return cli_error(s, "%% Object-group %s not found", name);
}

/* Object groups an entry names must exist, with the right type. */
static int acl_check_groups(struct cli_session *s, const struct acl_ace *e)
{
	const struct acl_addr *addr[2] = { &e->src, &e->dst };
	for (int k = 0; k < 2; k++)
		if (strcmp(addr[k]->kind, "object-group") == 0 && !og_is_network(s, addr[k]->ref))
			return acl_group_missing(s, addr[k]->ref);
	if (strncmp(e->protocol, "object-group:", 13) == 0) {
		char type[16];
		const char *g = e->protocol + 13;
		if (!og_exists(s, g, type, sizeof(type)) || strcmp(type, "network") == 0)
			return acl_group_missing(s, g);
	}
	return 0;
}

/* ---- configuration handlers: access lists ---- */

static int acl_asa_apply(struct cli_session *s, const struct acl_layout *l, const char *name, long pos,
			 const struct acl_ace *e, bool negated)
{
	if (negated) {
		if (!acl_exists(s, name, NULL, 0))
			return cli_error(s, "ERROR: access-list <%s> does not exist", name);
		long rowid = acl_find(s, name, e);
		if (rowid < 0)
			return cli_error(s, "Specified access-list does not exist");
		if (acl_delete_entry(s, rowid) < 0)
			return -1;
		/* the ASA has no empty access lists */
		return acl_entry_count(s, name) == 0 ? acl_remove_list(s, name) : 0;
	}
	if (acl_ensure(s, name, l->shape == SHAPE_STD ? "standard" : "extended", false) < 0)
		return -1;
	if (!acl_is_remark(e) && acl_find(s, name, e) >= 0) {
		cli_printf(s, "WARNING: <%s> found duplicate element\n", name);
		return 0;
	}
	long seq = acl_asa_seq(s, name, pos);
	return seq < 0 ? -1 : acl_insert(s, name, seq, e);
}

static bool acl_ios_standard_number(const char *name)
{
	long n = atol(name);
	return (n >= 1 && n <= 99) || (n >= 1300 && n <= 1999);
}

/* IOS numbered lists: `no access-list N ...`, whatever follows N, removes
 * the whole list, as the device does. */
static int acl_ios_num_apply(struct cli_session *s, const struct acl_layout *l, const char *name,
			     const struct acl_ace *e, bool negated)
{
	if (negated)
		return acl_exists(s, name, NULL, 0) ? acl_remove_list(s, name) : 0;
	bool standard = l->shape == SHAPE_STD || (l->shape == SHAPE_REMARK && acl_ios_standard_number(name));
	if (acl_ensure(s, name, standard ? "standard" : "extended", true) < 0)
		return -1;
	if (!acl_is_remark(e) && acl_find(s, name, e) >= 0)
		return 0;  /* the same entry again: nothing to add */
	return acl_insert(s, name, acl_ios_next_seq(s, name), e);
}

/* IOS ip access-list sub-modes: [seq] permit|deny ..., remark, no ... */
static int acl_ios_sub_apply(struct cli_session *s, const char *name, long seq, const struct acl_ace *e,
			     bool negated)
{
	if (!acl_exists(s, name, NULL, 0))
		return cli_error(s, "%% Access list %s does not exist", name);
	if (negated) {
		long rowid = acl_find(s, name, e);
		return rowid < 0 ? 0 : acl_delete_entry(s, rowid);
	}
	if (seq > 0) {
		if (acl_ios_seq_taken(s, name, seq))
			return cli_error(s, "%% Duplicate sequence number");
	} else {
		if (!acl_is_remark(e) && acl_find(s, name, e) >= 0)
			return 0;
		seq = acl_ios_next_seq(s, name);
	}
	return acl_insert(s, name, seq, e);
}

/* Every entry shape of both dialects: read it with the layout of its
 * definition, check it, then apply it to its list. */
static int cli_acl_entry(struct cli_session *s, const struct gram_match *m)
{
	const struct acl_layout *l = acl_layout_by_action(m->cmd->action);
	if (!l || !acl_layout_fits(s, l, m->cmd))
		return cli_error(s, "%% Internal error: no slot layout for %s", m->cmd->action);
	struct acl_ace *e = malloc(sizeof(*e));
	if (!e)
		return cli_error(s, "%% Out of memory");
	char name[ACL_NAME_MAX];
	long pos;
	acl_read(l, m, e, name, sizeof(name), &pos);
	if (l->ctx == CTX_SUB) {
		const char *ctx = cli_context(s, "name");
		snprintf(name, sizeof(name), "%s", ctx ? ctx : "");
	}
	int rc;
	if (l->ctx == CTX_NUM && m->negated)
		rc = acl_ios_num_apply(s, l, name, e, true);
	else if (acl_normalise_addr(s, &e->src) < 0 || acl_normalise_addr(s, &e->dst) < 0)
		rc = -1;
	else if (!m->negated && acl_check_groups(s, e) < 0)
		rc = -1;
	else if (l->ctx == CTX_ASA)
		rc = acl_asa_apply(s, l, name, pos, e, m->negated);
	else if (l->ctx == CTX_NUM)
		rc = acl_ios_num_apply(s, l, name, e, false);
	else
		rc = acl_ios_sub_apply(s, name, pos, e, m->negated);
	free(e);
	return rc;
}

/* no access-list NAME (ASA) / no access-list N (IOS) */
static int cli_acl_delete(struct cli_session *s, const struct gram_match *m)
{
	const char *name = m->slot[0];
	if (!acl_exists(s, name, NULL, 0))
		return ASA(s) ? cli_error(s, "ERROR: access-list <%s> does not exist", name) : 0;
	return acl_remove_list(s, name);
}

/* A name an IOS named list may have: not a number outside the ranges. */
static bool acl_ios_name_ok(const char *name, bool standard)
{
	if (strspn(name, "0123456789") != strlen(name))
		return true;
	long n = atol(name);
	if (standard)
		return (n >= 1 && n <= 99) || (n >= 1300 && n <= 1999);
	return (n >= 100 && n <= 199) || (n >= 2000 && n <= 2699);
}

static int acl_ios_named(struct cli_session *s, const struct gram_match *m, bool standard)
{
	const char *name = m->slot[0];
	const char *kind = standard ? "standard" : "extended";
	char have[16];
	bool exists = acl_exists(s, name, have, sizeof(have));
	if (m->negated)
		return exists ? acl_remove_list(s, name) : 0;
	if (!acl_ios_name_ok(name, standard))
		return cli_error(s, "%% Invalid access list name.");
	if (exists && strcmp(have, kind) != 0)
		return cli_error(s, "%% Access-list type conflicts with existing type");
	bool numbered = strspn(name, "0123456789") == strlen(name);
	if (acl_ensure(s, name, kind, numbered) < 0)
		return -1;
	char ctx[ACL_NAME_MAX + 8];
	snprintf(ctx, sizeof(ctx), "name=%s", name);
	cli_enter_mode(s, standard ? GRAM_MODE_ACL_STD : GRAM_MODE_ACL_EXT, "acl", ctx);
	return 0;
}

static int cli_acl_ios_named_ext(struct cli_session *s, const struct gram_match *m)
{
	return acl_ios_named(s, m, false);
}

static int cli_acl_ios_named_std(struct cli_session *s, const struct gram_match *m)
{
	return acl_ios_named(s, m, true);
}

/* no <seq> in an IOS ip access-list sub-mode */
static int cli_acl_ios_noseq(struct cli_session *s, const struct gram_match *m)
{
	const char *name = cli_context(s, "name");
	char list[ACL_NAME_MAX];
	snprintf(list, sizeof(list), "%s", name ? name : "");
	long rowid = acl_long(acl_stmt(s, "SELECT rowid FROM acl_entry WHERE acl = ? AND seq = ? AND action <> 'remark'",
				       "sl", list, atol(m->slot[0])),
			      -1);
	return rowid < 0 ? 0 : acl_delete_entry(s, rowid);
}

/* ---- configuration handlers: object groups ---- */

static int og_removal_refused(struct cli_session *s, const char *name)
{
	if (ASA(s))
		return cli_error(s, "Removing object-group (%s) not allowed, it is being used.", name);
	return cli_error(s, "%% Object-group %s is being used", name);
}

/* object-group network NAME: create it if needed and enter its sub-mode. */
static int cli_og_network(struct cli_session *s, const struct gram_match *m)
{
	const char *name = m->slot[0];
	char type[16];
	bool exists = og_exists(s, name, type, sizeof(type));
	if (m->negated) {
		if (!exists)
			return ASA(s) ? cli_error(s, "Removing object-group (%s) failed; it does not exist", name) : 0;
		if (og_in_use(s, name))
			return og_removal_refused(s, name);
		if (acl_run(s, acl_stmt(s, "DELETE FROM object_group WHERE name = ?", "s", name)) < 0)
			return -1;
		cli_changed(s, "object_group");
		cli_changed(s, "object_group_member");
		return 0;
	}
	if (exists && strcmp(type, "network") != 0)
		return cli_error(s, "%sAn object-group with the same id but different type (%s) exists",
				 ASA(s) ? "" : "% ", type);
	if (!exists) {
		if (acl_run(s, acl_stmt(s, "INSERT INTO object_group (name, type) VALUES (?, 'network')", "s", name)) < 0)
			return -1;
		cli_changed(s, "object_group");
	}
	char ctx[ACL_NAME_MAX + 8];
	snprintf(ctx, sizeof(ctx), "name=%s", name);
	cli_enter_mode(s, GRAM_MODE_OBJGRP_NET, "object_group", ctx);
	return 0;
}

/* The group of the sub-mode, copied (cli_context's buffer is shared). */
static int og_context(struct cli_session *s, char *group, size_t len)
{
	const char *g = cli_context(s, "name");
	snprintf(group, len, "%s", g ? g : "");
	if (!g || !og_exists(s, group, NULL, 0))
		return cli_error(s, "%s%% Object group %s no longer exists", ASA(s) ? "ERROR: " : "", group);
	return 0;
}

static int cli_og_description(struct cli_session *s, const struct gram_match *m)
{
	char group[ACL_NAME_MAX];
	if (og_context(s, group, sizeof(group)) < 0)
		return -1;
	const char *text = m->negated ? NULL : m->slot[0];
	if (acl_run(s, acl_stmt(s, "UPDATE object_group SET description = ? WHERE name = ?", "ss", text, group)) < 0)
		return -1;
	cli_changed(s, "object_group");
	return 0;
}

static long og_member_find(struct cli_session *s, const char *group, const struct og_member *mb)
{
	return acl_long(acl_stmt(s, "SELECT rowid FROM object_group_member WHERE grp = ? AND kind = ? AND address IS ? "
				    "AND mask IS ? AND ref IS ?",
				 "sssss", group, mb->kind, mb->addr, mb->mask, mb->ref),
			-1);
}

/* Add or remove a member; typed is the member as the ASA names it in its
 * messages ("network-object host 10.1.1.1"). */
static int og_member_apply(struct cli_session *s, bool negated, struct og_member *mb, const char *typed)
{
	char group[ACL_NAME_MAX];
	if (og_context(s, group, sizeof(group)) < 0)
		return -1;
	if (strcmp(mb->kind, "subnet") == 0) {
		bool host, any;
		if (acl_check_subnet(s, mb->addr, mb->mask, &host, &any) < 0)
			return -1;
	}
	long rowid = og_member_find(s, group, mb);
	if (negated) {
		if (rowid < 0)
			return 0;
		long count = acl_long(acl_stmt(s, "SELECT count(*) FROM object_group_member WHERE grp = ?", "s", group), 0);
		if (count == 1 && og_in_use(s, group))
			return cli_error(s, "%sRemoving obj from object-group not allowed; object-group (%s), being used in "
					    "access-list or threat-detection or NAT, would become empty",
					 ASA(s) ? "" : "% ", group);
		if (acl_run(s, acl_stmt(s, "DELETE FROM object_group_member WHERE rowid = ?", "l", rowid)) < 0)
			return -1;
		cli_changed(s, "object_group_member");
		return 0;
	}
	if (rowid >= 0)
		return ASA(s) ? cli_error(s, "Adding obj (%s) to grp (%s) failed; object already exists", typed, group) : 0;
	if (strcmp(mb->kind, "group") == 0) {
		if (!og_is_network(s, mb->ref))
			return acl_group_missing(s, mb->ref);
		if (og_reaches(s, mb->ref, group, 0))
			return cli_error(s, "%sAdding obj (%s) to grp (%s) failed; cause a loop in grp hierarchy",
					 ASA(s) ? "" : "% ", typed, group);
		if (ASA(s) && acl_long(acl_stmt(s, "SELECT count(*) FROM object_group_member WHERE grp = ?", "s", mb->ref),
				       0) == 0)
			return cli_error(s, "object-group (%s) is empty. Cannot add an empty group-object to object-group",
					 mb->ref);
	}
	if (acl_run(s, acl_stmt(s, "INSERT INTO object_group_member (grp, kind, address, mask, ref) VALUES "
				   "(?, ?, ?, ?, ?)",
				"sssss", group, mb->kind, mb->addr, mb->mask, mb->ref)) < 0)
		return -1;
	cli_changed(s, "object_group_member");
	return 0;
}

static void og_member_set(struct og_member *mb, const char *kind, const char *addr, const char *mask,
			  const char *ref)
{
	snprintf(mb->kind, sizeof(mb->kind), "%s", kind);
	snprintf(mb->addr, sizeof(mb->addr), "%s", addr ? addr : "");
	snprintf(mb->mask, sizeof(mb->mask), "%s", mask ? mask : "");
	snprintf(mb->ref, sizeof(mb->ref), "%s", ref ? ref : "");
}

/* ASA: network-object {host A.B.C.D | A.B.C.D MASK} */
static int cli_og_asa_member(struct cli_session *s, const struct gram_match *m)
{
	struct og_member mb;
	char typed[64];
	if (m->slot[0]) {
		og_member_set(&mb, "host", m->slot[0], NULL, NULL);
		snprintf(typed, sizeof(typed), "network-object host %s", m->slot[0]);
	} else {
		og_member_set(&mb, "subnet", m->slot[1], m->slot[2], NULL);
		snprintf(typed, sizeof(typed), "network-object %s %s", m->slot[1], m->slot[2]);
	}
	return og_member_apply(s, m->negated, &mb, typed);
}

/* IOS: host A.B.C.D | A.B.C.D MASK | range A.B.C.D A.B.C.D */
static int cli_og_ios_host(struct cli_session *s, const struct gram_match *m)
{
	struct og_member mb;
	og_member_set(&mb, "host", m->slot[0], NULL, NULL);
	return og_member_apply(s, m->negated, &mb, "host");
}

static int cli_og_ios_subnet(struct cli_session *s, const struct gram_match *m)
{
	struct og_member mb;
	og_member_set(&mb, "subnet", m->slot[0], m->slot[1], NULL);
	return og_member_apply(s, m->negated, &mb, "subnet");
}

static int cli_og_ios_range(struct cli_session *s, const struct gram_match *m)
{
	if (acl_ipv4_or_zero(m->slot[0]) > acl_ipv4_or_zero(m->slot[1]))
		return cli_error(s, "%% Invalid range: %s is greater than %s", m->slot[0], m->slot[1]);
	struct og_member mb;
	og_member_set(&mb, "range", m->slot[0], m->slot[1], NULL);
	return og_member_apply(s, m->negated, &mb, "range");
}

static int cli_og_group_object(struct cli_session *s, const struct gram_match *m)
{
	struct og_member mb;
	char typed[ACL_NAME_MAX + 16];
	og_member_set(&mb, "group", NULL, NULL, m->slot[0]);
	snprintf(typed, sizeof(typed), "group-object %s", m->slot[0]);
	return og_member_apply(s, m->negated, &mb, typed);
}

/* ---- configuration handlers: static routes ---- */

struct rt_static {
	char network[16], mask[16], gateway[16], ifname[ACL_NAME_MAX];
	long distance;   /* 0: not typed */
};

static long rt_find(struct cli_session *s, const struct rt_static *r)
{
	return acl_long(acl_stmt(s, "SELECT rowid FROM route WHERE network = ? AND mask = ? AND gateway IS ? AND "
				    "ifname IS ?",
				 "ssss", r->network, r->mask, r->gateway, r->ifname),
			-1);
}

static int rt_remove(struct cli_session *s, const struct rt_static *r, bool whole_prefix)
{
	sqlite3_stmt *st = whole_prefix
		? acl_stmt(s, "DELETE FROM route WHERE network = ? AND mask = ?", "ss", r->network, r->mask)
		: acl_stmt(s, "DELETE FROM route WHERE network = ? AND mask = ? AND gateway IS ? AND ifname IS ?", "ssss",
			   r->network, r->mask, r->gateway, r->ifname);
	if (acl_run(s, st) < 0)
		return -1;
	int gone = sqlite3_changes(pf_store_db(cli_store(s)));
	if (gone == 0)
		return ASA(s) ? 0 : cli_error(s, "%%No matching route to delete");
	cli_changed(s, "route");
	return 0;
}

/* ASA: route IF NET MASK GW [DIST]; IOS: ip route NET MASK {GW|IF} [DIST] */
static int cli_route(struct cli_session *s, const struct gram_match *m)
{
	struct rt_static r;
	memset(&r, 0, sizeof(r));
	int i = 0;
	if (ASA(s))
		snprintf(r.ifname, sizeof(r.ifname), "%s", m->slot[i++]);
	snprintf(r.network, sizeof(r.network), "%s", m->slot[i++]);
	snprintf(r.mask, sizeof(r.mask), "%s", m->slot[i++]);
	const char *via = i < m->nslots ? m->slot[i++] : NULL;
	const char *dist = i < m->nslots ? m->slot[i] : NULL;
	uint32_t gw;
	if (via && acl_ipv4(via, &gw))
		snprintf(r.gateway, sizeof(r.gateway), "%s", via);
	else if (via)
		snprintf(r.ifname, sizeof(r.ifname), "%s", via);
	r.distance = dist ? atol(dist) : 0;

	uint32_t net = acl_ipv4_or_zero(r.network), mask = acl_ipv4_or_zero(r.mask);
	if (net & ~mask)
		return ASA(s) ? cli_error(s, "ERROR: IP address,mask <%s,%s> doesn't pair", r.network, r.mask)
			      : cli_error(s, "%%Inconsistent address and mask");
	if (m->negated)
		return rt_remove(s, &r, via == NULL);
	long rowid = rt_find(s, &r);
	long distance = r.distance ? r.distance : 1;
	sqlite3_stmt *st = rowid >= 0
		? acl_stmt(s, "UPDATE route SET distance = ? WHERE rowid = ?", "ll", distance, rowid)
		: acl_stmt(s, "INSERT INTO route (network, mask, gateway, ifname, distance) VALUES (?, ?, ?, ?, ?)",
			   "ssssl", r.network, r.mask, r.gateway, r.ifname, distance);
	if (acl_run(s, st) < 0)
		return -1;
	cli_changed(s, "route");
	return 0;
}

/* ---- running-config: object groups ---- */

struct og_group {
	char name[ACL_NAME_MAX];
	char *description;       /* NULL when unset */
	struct og_members members;
	bool done;
};

struct og_groups {
	struct og_group *v;
	size_t n;
};

static void og_groups_free(struct og_groups *gs)
{
	for (size_t i = 0; i < gs->n; i++) {
		free(gs->v[i].description);
		og_members_free(&gs->v[i].members);
	}
	free(gs->v);
	memset(gs, 0, sizeof(*gs));
}

/* The network groups (only one when only is set) with their members, in
 * creation order or by name. Returns -1 on error or when out of memory. */
static int og_groups_load(struct cli_session *s, const char *only, bool by_name, struct og_groups *gs)
{
	memset(gs, 0, sizeof(*gs));
	sqlite3_stmt *q = by_name
		? acl_prepare(s, "SELECT name, description FROM object_group WHERE type = 'network' AND "
				 "(?1 IS NULL OR name = ?1) ORDER BY name", "s", only)
		: acl_prepare(s, "SELECT name, description FROM object_group WHERE type = 'network' AND "
				 "(?1 IS NULL OR name = ?1) ORDER BY rowid", "s", only);
	if (!q)
		return -1;
	size_t cap = 0;
	int rc = 0;
	while (rc == 0 && sqlite3_step(q) == SQLITE_ROW) {
		if (gs->n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct og_group *v = realloc(gs->v, ncap * sizeof(*v));
			if (!v) {
				rc = -1;
				break;
			}
			gs->v = v;
			cap = ncap;
		}
		struct og_group *g = &gs->v[gs->n];
		memset(g, 0, sizeof(*g));
		acl_col(q, 0, g->name, sizeof(g->name));
		const unsigned char *d = sqlite3_column_text(q, 1);
		if (d && !(g->description = strdup((const char *)d)))
			rc = -1;
		gs->n++;
	}
	sqlite3_finalize(q);
	for (size_t i = 0; i < gs->n && rc == 0; i++)
		rc = og_members_load(s, gs->v[i].name, &gs->v[i].members);
	if (rc < 0)
		og_groups_free(gs);
	return rc;
}

/* Whether every group g nests is already written (or is not in the set). */
static bool og_ready(const struct og_groups *gs, const struct og_group *g)
{
	for (size_t i = 0; i < g->members.n; i++) {
		const struct og_member *mb = &g->members.v[i];
		if (strcmp(mb->kind, "group") != 0)
			continue;
		for (size_t k = 0; k < gs->n; k++)
			if (!gs->v[k].done && strcmp(gs->v[k].name, mb->ref) == 0)
				return false;
	}
	return true;
}

static void og_render_group(struct cli_render *r, const struct og_group *g)
{
	bool asa = cli_dialect(r->s) == GRAM_ASA;
	cli_render_line(r, 0, "object-group network %s", g->name);
	if (g->description)
		cli_render_line(r, 1, "description %s", g->description);
	for (size_t i = 0; i < g->members.n; i++) {
		const struct og_member *mb = &g->members.v[i];
		const char *pre = asa ? "network-object " : "";
		if (strcmp(mb->kind, "host") == 0)
			cli_render_line(r, 1, "%shost %s", pre, mb->addr);
		else if (strcmp(mb->kind, "subnet") == 0)
			cli_render_line(r, 1, "%s%s %s", pre, mb->addr, mb->mask);
		else if (strcmp(mb->kind, "range") == 0 && !asa)
			cli_render_line(r, 1, "range %s %s", mb->addr, mb->mask);
		else if (strcmp(mb->kind, "group") == 0)
			cli_render_line(r, 1, "group-object %s", mb->ref);
	}
	if (!asa)
		cli_render_line(r, 0, "!");
}

/* Groups in creation order, except that a nested group comes before the
 * groups that name it, so that the configuration pastes back. */
static void og_render_all(struct cli_session *s, struct cli_render *r, const char *only)
{
	struct og_groups gs;
	if (og_groups_load(s, only, false, &gs) < 0) {
		cli_error(s, "%% Internal error: cannot read the object groups");
		return;
	}
	size_t left = gs.n;
	while (left > 0) {
		bool progress = false;
		for (size_t i = 0; i < gs.n; i++) {
			struct og_group *g = &gs.v[i];
			if (g->done || !og_ready(&gs, g))
				continue;
			og_render_group(r, g);
			g->done = true;
			left--;
			progress = true;
		}
		for (size_t i = 0; i < gs.n && !progress; i++)
			if (!gs.v[i].done) {  /* a loop the checks should have refused: write it all the same */
				og_render_group(r, &gs.v[i]);
				gs.v[i].done = true;
				left--;
				progress = true;
			}
	}
	og_groups_free(&gs);
}

static void cli_render_object_groups(struct cli_session *s, struct cli_render *r)
{
	og_render_all(s, r, NULL);
}

/* ---- running-config: access lists ---- */

struct acl_list {
	char name[ACL_NAME_MAX];
	char kind[16];
	bool numbered;
};

/* Every list, or the one named, in creation order; NULL with *n = 0 when
 * there is none (or on error). */
static struct acl_list *acl_lists_load(struct cli_session *s, const char *only, size_t *n)
{
	*n = 0;
	sqlite3_stmt *q = acl_prepare(s, "SELECT name, kind, numbered FROM acl WHERE ?1 IS NULL OR name = ?1 "
					 "ORDER BY rowid", "s", only);
	if (!q)
		return NULL;
	struct acl_list *v = NULL;
	size_t cap = 0;
	while (sqlite3_step(q) == SQLITE_ROW) {
		if (*n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct acl_list *nv = realloc(v, ncap * sizeof(*nv));
			if (!nv)
				break;
			v = nv;
			cap = ncap;
		}
		struct acl_list *l = &v[(*n)++];
		acl_col(q, 0, l->name, sizeof(l->name));
		acl_col(q, 1, l->kind, sizeof(l->kind));
		l->numbered = sqlite3_column_int(q, 2) != 0;
	}
	sqlite3_finalize(q);
	return v;
}

/* The configuration lines of one list's entries. */
static void acl_render_entries(struct cli_session *s, struct cli_render *r, const struct acl_list *l,
			       enum acl_ctx ctx)
{
	sqlite3_stmt *q = acl_entries(s, l->name);
	struct acl_ace *e = malloc(sizeof(*e));
	char *line = malloc(ACL_LINE_MAX);
	if (!q || !e || !line) {
		cli_error(s, "%% Internal error: cannot read access list %s", l->name);
	} else {
		while (sqlite3_step(q) == SQLITE_ROW) {
			acl_load(q, e);
			if (acl_line(s, ctx, e, l->name, 0, line, ACL_LINE_MAX) < 0)
				continue;  /* not expressible in this dialect */
			if (cli_dialect(s) == GRAM_IOS)
				acl_pad_deny(line, ACL_LINE_MAX, ctx == CTX_NUM ? strlen("access-list ") + strlen(l->name) + 1 : 0);
			cli_render_line(r, ctx == CTX_SUB ? 1 : 0, "%s", line);
		}
	}
	if (q)
		sqlite3_finalize(q);
	free(e);
	free(line);
}

/* ASA: access-list lines in list order. IOS: named lists as blocks, then the
 * numbered lists as access-list lines. */
static void cli_render_acls(struct cli_session *s, struct cli_render *r)
{
	size_t n;
	struct acl_list *lists = acl_lists_load(s, NULL, &n);
	if (ASA(s)) {
		for (size_t i = 0; i < n; i++)
			acl_render_entries(s, r, &lists[i], CTX_ASA);
		free(lists);
		return;
	}
	bool named = false;
	for (size_t i = 0; i < n; i++) {
		if (lists[i].numbered)
			continue;
		cli_render_line(r, 0, "ip access-list %s %s", lists[i].kind, lists[i].name);
		acl_render_entries(s, r, &lists[i], CTX_SUB);
		named = true;
	}
	for (size_t i = 0; i < n; i++) {
		if (!lists[i].numbered)
			continue;
		if (named) {  /* the "!" between the named blocks and the numbered lines */
			cli_render_line(r, 0, "!");
			named = false;
		}
		acl_render_entries(s, r, &lists[i], CTX_NUM);
	}
	free(lists);
}

/* ---- running-config: routes ---- */

static void cli_render_routes(struct cli_session *s, struct cli_render *r)
{
	sqlite3_stmt *q = acl_prepare(s, "SELECT network, mask, gateway, ifname, distance FROM route ORDER BY rowid", "");
	if (!q) {
		cli_error(s, "%% Internal error: cannot read the routes");
		return;
	}
	while (sqlite3_step(q) == SQLITE_ROW) {
		char net[16], mask[16], gw[16], ifname[ACL_NAME_MAX];
		acl_col(q, 0, net, sizeof(net));
		acl_col(q, 1, mask, sizeof(mask));
		acl_col(q, 2, gw, sizeof(gw));
		acl_col(q, 3, ifname, sizeof(ifname));
		long distance = sqlite3_column_type(q, 4) == SQLITE_NULL ? 1 : (long)sqlite3_column_int64(q, 4);
		if (ASA(s)) {
			if (gw[0] && ifname[0])
				cli_render_line(r, 0, "route %s %s %s %s %ld", ifname, net, mask, gw, distance);
			continue;
		}
		if (distance != 1)
			cli_render_line(r, 0, "ip route %s %s %s %ld", net, mask, gw[0] ? gw : ifname, distance);
		else
			cli_render_line(r, 0, "ip route %s %s %s", net, mask, gw[0] ? gw : ifname);
	}
	sqlite3_finalize(q);
}

/* ---- show access-list ---- */

/* The hash the ASA prints after each element; any stable value serves. */
static uint32_t acl_hash(const char *text)
{
	uint32_t h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

/* The addresses an entry's source or destination stands for. */
static int acl_expand(struct cli_session *s, const struct acl_addr *a, struct acl_addrs *out)
{
	memset(out, 0, sizeof(*out));
	if (strcmp(a->kind, "object-group") == 0)
		return og_expand(s, a->ref, out, 0);
	out->v = malloc(sizeof(*out->v));
	if (!out->v)
		return -1;
	out->v[0] = *a;
	out->n = out->cap = 1;
	return 0;
}

/* One element line: the entry, then what the ASA appends to it. The hash
 * is the element's own (its text without the line number), so it stays
 * when lines are inserted above it. */
static void acl_asa_element(struct cli_session *s, const struct acl_ace *e, const char *name, long line,
			    bool child, char *buf)
{
	struct acl_ace *plain = malloc(sizeof(*plain));
	if (!plain)
		return;
	*plain = *e;
	plain->log = plain->inactive = false;
	uint32_t hash = acl_line(s, CTX_ASA, e, name, 0, buf, ACL_LINE_MAX) >= 0 ? acl_hash(buf) : 0;
	if (acl_line(s, CTX_ASA, plain, name, line, buf, ACL_LINE_MAX) >= 0)
		cli_printf(s, "%s%s%s%s (hitcnt=%ld)%s 0x%08x\n", child ? "  " : "", buf,
			   e->log ? " log informational interval 300" : "", e->inactive ? " inactive" : "",
			   child ? 0 : e->hits, e->inactive ? " (inactive)" : "", hash);
	free(plain);
}

/* An entry, and the elements its object groups expand to. */
static long acl_asa_show_entry(struct cli_session *s, const struct acl_ace *e, const char *name, long line,
			       bool print, char *buf)
{
	if (acl_is_remark(e)) {
		if (print)
			cli_printf(s, "access-list %s line %ld remark %s\n", name, line, e->remark);
		return 0;
	}
	if (print)
		acl_asa_element(s, e, name, line, false, buf);
	bool grouped = strcmp(e->src.kind, "object-group") == 0 || strcmp(e->dst.kind, "object-group") == 0;
	if (!grouped)
		return 1;
	struct acl_addrs src = { 0 }, dst = { 0 };
	long count = 0;
	if (acl_expand(s, &e->src, &src) == 0 && acl_expand(s, &e->dst, &dst) == 0) {
		count = (long)(src.n * dst.n);
		struct acl_ace *x = print ? malloc(sizeof(*x)) : NULL;
		for (size_t i = 0; x && i < src.n; i++)
			for (size_t k = 0; k < dst.n; k++) {
				*x = *e;
				x->src = src.v[i];
				x->dst = dst.v[k];
				acl_asa_element(s, x, name, line, true, buf);
			}
		free(x);
	}
	free(src.v);
	free(dst.v);
	return count;
}

/* Walk a list's entries: count its elements, or print them. */
static long acl_asa_show_walk(struct cli_session *s, const char *name, bool print, char *buf)
{
	sqlite3_stmt *q = acl_entries(s, name);
	struct acl_ace *e = malloc(sizeof(*e));
	long elements = 0, line = 0;
	while (q && e && sqlite3_step(q) == SQLITE_ROW) {
		acl_load(q, e);
		elements += acl_asa_show_entry(s, e, name, ++line, print, buf);
	}
	if (q)
		sqlite3_finalize(q);
	free(e);
	return elements;
}

static int acl_show_asa(struct cli_session *s, const char *only)
{
	size_t n;
	struct acl_list *lists = acl_lists_load(s, only, &n);
	if (only && n == 0) {
		free(lists);
		return cli_error(s, "ERROR: access-list <%s> does not exist", only);
	}
	char *buf = malloc(ACL_LINE_MAX);
	if (!buf) {
		free(lists);
		return cli_error(s, "%% Out of memory");
	}
	cli_printf(s, "access-list cached ACL log flows: total 0, denied 0 (deny-flow-max 4096)\n"
		      "            alert-interval 300\n");
	for (size_t i = 0; i < n; i++) {
		long elements = acl_asa_show_walk(s, lists[i].name, false, buf);
		cli_printf(s, "access-list %s; %ld elements; name hash: 0x%08x\n", lists[i].name, elements,
			   acl_hash(lists[i].name));
		acl_asa_show_walk(s, lists[i].name, true, buf);
	}
	free(buf);
	free(lists);
	return 0;
}

/* IOS standard entries: `10 permit 10.1.1.1`, `20 deny   10.0.0.0, wildcard bits 0.0.0.255`. */
static void acl_ios_show_standard(struct cli_session *s, const struct acl_ace *e)
{
	char what[64];
	if (strcmp(e->src.kind, "host") == 0) {
		snprintf(what, sizeof(what), "%s", e->src.addr);
	} else if (strcmp(e->src.kind, "subnet") == 0) {
		char wildcard[16];
		cli_ipv4_str(~acl_ipv4_or_zero(e->src.mask), wildcard);
		snprintf(what, sizeof(what), "%s, wildcard bits %s", e->src.addr, wildcard);
	} else {
		snprintf(what, sizeof(what), "any");
	}
	cli_printf(s, "    %ld %-6s %s%s", e->seq, e->action, what, e->log ? " log" : "");
}

static int acl_show_ios(struct cli_session *s, const char *only)
{
	size_t n;
	struct acl_list *lists = acl_lists_load(s, only, &n);
	struct acl_ace *e = malloc(sizeof(*e));
	char *line = malloc(ACL_LINE_MAX);
	if (!e || !line)
		cli_error(s, "%% Out of memory");
	for (size_t i = 0; e && line && i < n; i++) {
		bool standard = strcmp(lists[i].kind, "standard") == 0;
		cli_printf(s, "%s IP access list %s\n", standard ? "Standard" : "Extended", lists[i].name);
		sqlite3_stmt *q = acl_entries(s, lists[i].name);
		while (q && sqlite3_step(q) == SQLITE_ROW) {
			acl_load(q, e);
			if (acl_is_remark(e))
				continue;
			if (!e->protocol[0])
				acl_ios_show_standard(s, e);
			else if (acl_line(s, CTX_SUB, e, lists[i].name, e->seq, line, ACL_LINE_MAX) >= 0)
				cli_printf(s, "    %s", line);
			else
				continue;
			if (e->hits > 0)
				cli_printf(s, " (%ld match%s)", e->hits, e->hits == 1 ? "" : "es");
			cli_printf(s, "\n");
		}
		if (q)
			sqlite3_finalize(q);
	}
	free(line);
	free(e);
	free(lists);
	return 0;
}

/* ASA: show access-list [NAME]; IOS: show [ip] access-lists [NAME] */
static int cli_show_access_list(struct cli_session *s, const struct gram_match *m)
{
	const char *only = m->nslots > 0 ? m->slot[0] : NULL;
	return ASA(s) ? acl_show_asa(s, only) : acl_show_ios(s, only);
}

/* ---- show object-group ---- */

static void og_show_ios(struct cli_session *s, const struct og_group *g)
{
	cli_printf(s, "Network object group %s\n", g->name);
	if (g->description)
		cli_printf(s, " Description %s\n", g->description);
	for (size_t i = 0; i < g->members.n; i++) {
		const struct og_member *mb = &g->members.v[i];
		if (strcmp(mb->kind, "host") == 0)
			cli_printf(s, " host %s\n", mb->addr);
		else if (strcmp(mb->kind, "subnet") == 0)
			cli_printf(s, " %s %s\n", mb->addr, mb->mask);
		else if (strcmp(mb->kind, "range") == 0)
			cli_printf(s, " range %s %s\n", mb->addr, mb->mask);
		else if (strcmp(mb->kind, "group") == 0)
			cli_printf(s, " group-object %s\n", mb->ref);
	}
}

/* ASA: show object-group [id NAME] lists groups as configured; IOS: show
 * object-group [name NAME] in its own format, by name. */
static int cli_show_object_group(struct cli_session *s, const struct gram_match *m)
{
	const char *only = m->nslots > 0 ? m->slot[0] : NULL;
	if (ASA(s)) {
		if (only && !og_is_network(s, only))
			return cli_error(s, "object-group %s does not exist", only);
		struct cli_render r = { .s = s };
		og_render_all(s, &r, only);
		return 0;
	}
	struct og_groups gs;
	if (og_groups_load(s, only, true, &gs) < 0)
		return cli_error(s, "%% Internal error: cannot read the object groups");
	for (size_t i = 0; i < gs.n; i++)
		og_show_ios(s, &gs.v[i]);
	og_groups_free(&gs);
	return 0;
}

/* ---- show route / show ip route ---- */

struct rt_entry {
	uint32_t net, mask;
	int len;
	char code;               /* C connected, L local, S static */
	long distance;
	char gateway[16];        /* "" for a route to an interface */
	char ifname[ACL_NAME_MAX];
	size_t order;            /* insertion order, to keep sorting stable */
};

struct rt_table {
	struct rt_entry *v;
	size_t n, cap;
};

static int rt_add(struct rt_table *t, char code, uint32_t net, uint32_t mask, long distance, const char *gw,
		  const char *ifname)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;
		struct rt_entry *v = realloc(t->v, cap * sizeof(*v));
		if (!v)
			return -1;
		t->v = v;
		t->cap = cap;
	}
	struct rt_entry *e = &t->v[t->n];
	memset(e, 0, sizeof(*e));
	e->code = code;
	e->net = net & mask;
	e->mask = mask;
	e->len = acl_prefix_len(mask);
	e->distance = distance;
	snprintf(e->gateway, sizeof(e->gateway), "%s", gw ? gw : "");
	snprintf(e->ifname, sizeof(e->ifname), "%s", ifname ? ifname : "");
	e->order = t->n++;
	return 0;
}

/* Connected and local routes of the configured, enabled interfaces (the ASA
 * only routes for interfaces that have a nameif). */
static int rt_add_connected(struct cli_session *s, struct rt_table *t)
{
	sqlite3_stmt *q = acl_prepare(s, "SELECT name, nameif, ip_address, ip_mask FROM interface WHERE "
					 "ip_address IS NOT NULL AND ip_mask IS NOT NULL AND shutdown IS NOT 1 "
					 "ORDER BY name COLLATE natsort", "");
	if (!q)
		return -1;
	int rc = 0;
	while (rc == 0 && sqlite3_step(q) == SQLITE_ROW) {
		char name[ACL_NAME_MAX], nameif[ACL_NAME_MAX], addr[16], mask[16];
		acl_col(q, 0, name, sizeof(name));
		acl_col(q, 1, nameif, sizeof(nameif));
		acl_col(q, 2, addr, sizeof(addr));
		acl_col(q, 3, mask, sizeof(mask));
		if (ASA(s) && !nameif[0])
			continue;
		uint32_t a = acl_ipv4_or_zero(addr), m = acl_ipv4_or_zero(mask);
		const char *via = ASA(s) ? nameif : name;
		rc = rt_add(t, 'C', a, m, 0, NULL, via);
		if (rc == 0)
			rc = rt_add(t, 'L', a, 0xffffffffu, 0, NULL, via);
	}
	sqlite3_finalize(q);
	return rc;
}

static int rt_add_static(struct cli_session *s, struct rt_table *t)
{
	sqlite3_stmt *q = acl_prepare(s, "SELECT network, mask, gateway, ifname, distance FROM route ORDER BY rowid", "");
	if (!q)
		return -1;
	int rc = 0;
	while (rc == 0 && sqlite3_step(q) == SQLITE_ROW) {
		char net[16], mask[16], gw[16], ifname[ACL_NAME_MAX];
		acl_col(q, 0, net, sizeof(net));
		acl_col(q, 1, mask, sizeof(mask));
		acl_col(q, 2, gw, sizeof(gw));
		acl_col(q, 3, ifname, sizeof(ifname));
		long distance = sqlite3_column_type(q, 4) == SQLITE_NULL ? 1 : (long)sqlite3_column_int64(q, 4);
		rc = rt_add(t, 'S', acl_ipv4_or_zero(net), acl_ipv4_or_zero(mask), distance, gw, ifname);
	}
	sqlite3_finalize(q);
	return rc;
}

static int rt_cmp(const void *a, const void *b)
{
	const struct rt_entry *x = a, *y = b;
	if (x->net != y->net)
		return x->net < y->net ? -1 : 1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static bool rt_same_prefix(const struct rt_entry *a, const struct rt_entry *b)
{
	return a->net == b->net && a->len == b->len;
}

/* Keep, for each prefix, the routes the device would install: connected
 * before static, then the lowest distance (equal ones side by side). Then
 * apply the filter of `show ip route static|connected`. */
static void rt_select(struct rt_table *t, char only)
{
	qsort(t->v, t->n, sizeof(t->v[0]), rt_cmp);
	size_t out = 0;
	for (size_t i = 0; i < t->n;) {
		size_t end = i;
		long best = -1;
		while (end < t->n && rt_same_prefix(&t->v[i], &t->v[end])) {
			if (best < 0 || t->v[end].distance < best)
				best = t->v[end].distance;
			end++;
		}
		for (size_t k = i; k < end; k++) {
			const struct rt_entry *e = &t->v[k];
			bool keep = e->distance == best;
			if (only == 'S' && e->code != 'S')
				keep = false;
			if (only == 'C' && e->code == 'S')
				keep = false;
			if (keep)
				t->v[out++] = *e;
		}
		i = end;
	}
	t->n = out;
}

static const char *rt_code(const struct rt_entry *e, char buf[4])
{
	snprintf(buf, 4, "%c%s", e->code, e->code == 'S' && e->len == 0 ? "*" : "");
	return buf;
}

static void rt_gateway_line(struct cli_session *s, const struct rt_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct rt_entry *e = &t->v[i];
		if (e->code == 'S' && e->len == 0) {
			cli_printf(s, "Gateway of last resort is %s to network 0.0.0.0\n", e->gateway[0] ? e->gateway : "0.0.0.0");
			return;
		}
	}
	cli_printf(s, "Gateway of last resort is not set\n");
}

/* ASA: `S*       0.0.0.0 0.0.0.0 [1/0] via 203.0.113.1, outside`. */
static void rt_show_asa(struct cli_session *s, const struct rt_table *t)
{
	cli_printf(s, "\nCodes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP\n"
		      "       D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area\n"
		      "       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2\n"
		      "       E1 - OSPF external type 1, E2 - OSPF external type 2, V - VPN\n"
		      "       i - IS-IS, su - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2\n"
		      "       ia - IS-IS inter area, * - candidate default, U - per-user static route\n"
		      "       o - ODR, P - periodic downloaded static route, + - replicated route\n");
	rt_gateway_line(s, t);
	cli_printf(s, "\n");
	for (size_t i = 0; i < t->n; i++) {
		const struct rt_entry *e = &t->v[i];
		char net[16], mask[16], code[4], prefix[40];
		cli_ipv4_str(e->net, net);
		cli_ipv4_str(e->mask, mask);
		snprintf(prefix, sizeof(prefix), "%s %s", net, mask);
		bool more = i > 0 && rt_same_prefix(&t->v[i - 1], e);
		if (more)
			cli_printf(s, "%*s", (int)(9 + strlen(prefix) + 1), "");
		else
			cli_printf(s, "%-9s%s ", rt_code(e, code), prefix);
		if (e->code == 'S' && e->gateway[0])
			cli_printf(s, "[%ld/0] via %s, %s\n", e->distance, e->gateway, e->ifname);
		else
			cli_printf(s, "is directly connected, %s\n", e->ifname);
	}
}

static int rt_classful_len(uint32_t net)
{
	unsigned first = net >> 24;
	return first < 128 ? 8 : first < 192 ? 16 : first < 224 ? 24 : 32;
}

/* The routes of one prefix (i up to its end), IOS style; returns the end. */
static size_t rt_show_ios_prefix(struct cli_session *s, const struct rt_table *t, size_t i, int width, bool with_len)
{
	const struct rt_entry *first = &t->v[i];
	char net[16], code[4], prefix[40];
	cli_ipv4_str(first->net, net);
	if (with_len)
		snprintf(prefix, sizeof(prefix), "%s/%d", net, first->len);
	else
		snprintf(prefix, sizeof(prefix), "%s", net);
	size_t k = i;
	for (; k < t->n && rt_same_prefix(first, &t->v[k]); k++) {
		const struct rt_entry *e = &t->v[k];
		if (k == i)
			cli_printf(s, "%-*s%s ", width, rt_code(e, code), prefix);
		else
			cli_printf(s, "%*s", (int)(width + strlen(prefix) + 1), "");
		if (e->code == 'S' && e->gateway[0])
			cli_printf(s, "[%ld/0] via %s\n", e->distance, e->gateway);
		else
			cli_printf(s, "is directly connected, %s\n", e->ifname);
	}
	return k;
}

/* IOS groups subnets under their classful network:
 *       10.0.0.0/8 is variably subnetted, 2 subnets, 2 masks
 *    C        10.1.1.0/24 is directly connected, GigabitEthernet0/0 */
static void rt_show_ios(struct cli_session *s, const struct rt_table *t)
{
	cli_printf(s, "Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP\n"
		      "       D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area\n"
		      "       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2\n"
		      "       E1 - OSPF external type 1, E2 - OSPF external type 2\n"
		      "       i - IS-IS, su - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2\n"
		      "       ia - IS-IS inter area, * - candidate default, U - per-user static route\n"
		      "       o - ODR, P - periodic downloaded static route, H - NHRP, l - LISP\n"
		      "       + - replicated route, %% - next hop override\n\n");
	rt_gateway_line(s, t);
	cli_printf(s, "\n");
	for (size_t i = 0; i < t->n;) {
		const struct rt_entry *e = &t->v[i];
		int classful = rt_classful_len(e->net);
		if (e->len < classful || classful == 32) {
			i = rt_show_ios_prefix(s, t, i, 6, true);
			continue;
		}
		uint32_t major = e->net & acl_len_mask(classful);
		size_t end = i;
		int prefixes = 0, masks = 0, lens[33] = { 0 };
		while (end < t->n && t->v[end].len >= classful && (t->v[end].net & acl_len_mask(classful)) == major) {
			if (end == i || !rt_same_prefix(&t->v[end - 1], &t->v[end]))
				prefixes++;
			if (!lens[t->v[end].len]++)
				masks++;
			end++;
		}
		if (prefixes == 1 && e->len == classful) {
			i = rt_show_ios_prefix(s, t, i, 6, true);
			continue;
		}
		char net[16];
		cli_ipv4_str(major, net);
		if (masks == 1)
			cli_printf(s, "      %s/%d is subnetted, %d subnets\n", net, e->len, prefixes);
		else
			cli_printf(s, "      %s/%d is variably subnetted, %d subnets, %d masks\n", net, classful, prefixes,
				   masks);
		while (i < end)
			i = rt_show_ios_prefix(s, t, i, 9, masks > 1);
	}
}

/* ASA: show route; IOS: show ip route [static|connected] */
static int cli_show_route(struct cli_session *s, const struct gram_match *m)
{
	char only = 0;
	if (!ASA(s) && m->nslots > 0 && m->slot[0])
		only = strcmp(m->slot[0], "static") == 0 ? 'S' : 'C';
	struct rt_table t = { 0 };
	if (rt_add_connected(s, &t) < 0 || rt_add_static(s, &t) < 0) {
		free(t.v);
		return cli_error(s, "%% Internal error: cannot read the routes");
	}
	rt_select(&t, only);
	if (ASA(s))
		rt_show_asa(s, &t);
	else
		rt_show_ios(s, &t);
	free(t.v);
	return 0;
}

/* ---- the actions of this file ---- */

static const struct cli_action cli_acl_actions[] = {
	{ "acl_asa_ip", cli_acl_entry, NULL },
	{ "acl_asa_tcp", cli_acl_entry, NULL },
	{ "acl_asa_udp", cli_acl_entry, NULL },
	{ "acl_asa_icmp", cli_acl_entry, NULL },
	{ "acl_asa_std", cli_acl_entry, NULL },
	{ "acl_asa_remark", cli_acl_entry, NULL },
	{ "acl_ios_num_std", cli_acl_entry, NULL },
	{ "acl_ios_num_ip", cli_acl_entry, NULL },
	{ "acl_ios_num_tcp", cli_acl_entry, NULL },
	{ "acl_ios_num_udp", cli_acl_entry, NULL },
	{ "acl_ios_num_icmp", cli_acl_entry, NULL },
	{ "acl_ios_num_remark", cli_acl_entry, NULL },
	{ "acl_ios_sub_std", cli_acl_entry, NULL },
	{ "acl_ios_sub_ip", cli_acl_entry, NULL },
	{ "acl_ios_sub_tcp", cli_acl_entry, NULL },
	{ "acl_ios_sub_udp", cli_acl_entry, NULL },
	{ "acl_ios_sub_icmp", cli_acl_entry, NULL },
	{ "acl_ios_sub_remark", cli_acl_entry, NULL },
	{ "acl_ios_sub_noseq", cli_acl_ios_noseq, NULL },
	{ "acl_ios_named_ext", cli_acl_ios_named_ext, NULL },
	{ "acl_ios_named_std", cli_acl_ios_named_std, NULL },
	{ "acl_delete", cli_acl_delete, NULL },
	{ "og_network", cli_og_network, NULL },
	{ "og_description", cli_og_description, NULL },
	{ "og_asa_member", cli_og_asa_member, NULL },
	{ "og_ios_host", cli_og_ios_host, NULL },
	{ "og_ios_subnet", cli_og_ios_subnet, NULL },
	{ "og_ios_range", cli_og_ios_range, NULL },
	{ "og_group_object", cli_og_group_object, NULL },
	{ "route", cli_route, NULL },
	{ "show_access_list", cli_show_access_list, NULL },
	{ "show_object_group", cli_show_object_group, NULL },
	{ "show_route", cli_show_route, NULL },
	{ "render_object_groups", NULL, cli_render_object_groups },
	{ "render_acls", NULL, cli_render_acls },
	{ "render_routes", NULL, cli_render_routes },
};

const struct cli_action_list cli_actions_acl = { cli_acl_actions,
						 sizeof(cli_acl_actions) / sizeof(cli_acl_actions[0]) };
