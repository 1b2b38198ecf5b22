/*
 * pf_link.c -- interfaces and routes through libnl-route.
 *
 * One rtnetlink socket is opened on first use and kept: the appliance runs
 * in one thread, requests are synchronous and short, and a paste that
 * configures many interfaces would otherwise open a socket per line. A
 * failed request closes it, so the next one starts afresh.
 */
#include "platform/pf_link.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/if_tun.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>
#include <netlink/route/rule.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static struct nl_sock *pf_nl;

static struct nl_sock *pf_link_sock(void)
{
	if (pf_nl)
		return pf_nl;
	pf_nl = nl_socket_alloc();
	if (!pf_nl)
		return NULL;
	if (nl_connect(pf_nl, NETLINK_ROUTE) < 0) {
		nl_socket_free(pf_nl);
		pf_nl = NULL;
	}
	return pf_nl;
}

/* libnl's error codes as errno values. */
static int pf_nlerr(int err)
{
	switch (-err) {
	case NLE_OBJ_NOTFOUND:
	case NLE_NODEV:
		return -ENODEV;
	case NLE_PERM:
		return -EPERM;
	case NLE_EXIST:
		return -EEXIST;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_INVAL:
	case NLE_RANGE:
		return -EINVAL;
	case NLE_NOADDR:
		return -EADDRNOTAVAIL;
	case NLE_OPNOTSUPP:
		return -EOPNOTSUPP;
	default:
		/* the socket may be in an odd state: start afresh next time */
		nl_socket_free(pf_nl);
		pf_nl = NULL;
		return -EIO;
	}
}

const char *pf_link_strerror(int err)
{
	return strerror(err < 0 ? -err : err);
}

static uint32_t pf_prefix_to_mask(unsigned plen)
{
	return plen == 0 ? 0 : plen >= 32 ? 0xffffffffu : ~((1u << (32 - plen)) - 1);
}

static unsigned pf_mask_to_prefix(uint32_t mask)
{
	return (unsigned)__builtin_popcount(mask);
}

/* The first IPv4 address of each link, from one address dump. */
static void pf_link_fill_addrs(struct nl_sock *sk, struct pf_link_info *links, size_t n)
{
	struct nl_cache *cache = NULL;
	if (rtnl_addr_alloc_cache(sk, &cache) < 0)
		return;
	for (struct nl_object *o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
		struct rtnl_addr *a = (struct rtnl_addr *)o;
		if (rtnl_addr_get_family(a) != AF_INET)
			continue;
		struct nl_addr *local = rtnl_addr_get_local(a);
		if (!local || nl_addr_get_len(local) != 4)
			continue;
		for (size_t i = 0; i < n; i++) {
			if (links[i].ifindex != rtnl_addr_get_ifindex(a) || links[i].addr)
				continue;
			uint32_t be;
			memcpy(&be, nl_addr_get_binary_addr(local), 4);
			links[i].addr = ntohl(be);
			links[i].mask = pf_prefix_to_mask((unsigned)rtnl_addr_get_prefixlen(a));
		}
	}
	nl_cache_free(cache);
}

static void pf_link_fill(struct rtnl_link *l, struct pf_link_info *out)
{
	memset(out, 0, sizeof(*out));
	const char *name = rtnl_link_get_name(l);
	snprintf(out->name, sizeof(out->name), "%s", name ? name : "");
	out->ifindex = rtnl_link_get_ifindex(l);
	unsigned flags = rtnl_link_get_flags(l);
	out->admin_up = flags & IFF_UP;
	out->oper_up = (flags & IFF_UP) && (flags & (IFF_RUNNING | IFF_LOWER_UP));
	out->mtu = rtnl_link_get_mtu(l);
	struct nl_addr *mac = rtnl_link_get_addr(l);
	if (mac && nl_addr_get_len(mac) == 6) {
		memcpy(out->mac, nl_addr_get_binary_addr(mac), 6);
		out->has_mac = true;
	}
	const char *alias = rtnl_link_get_ifalias(l);
	snprintf(out->alias, sizeof(out->alias), "%s", alias ? alias : "");
	out->rx_packets = rtnl_link_get_stat(l, RTNL_LINK_RX_PACKETS);
	out->tx_packets = rtnl_link_get_stat(l, RTNL_LINK_TX_PACKETS);
	out->rx_bytes = rtnl_link_get_stat(l, RTNL_LINK_RX_BYTES);
	out->tx_bytes = rtnl_link_get_stat(l, RTNL_LINK_TX_BYTES);
	out->rx_errors = rtnl_link_get_stat(l, RTNL_LINK_RX_ERRORS);
	out->tx_errors = rtnl_link_get_stat(l, RTNL_LINK_TX_ERRORS);
	out->rx_dropped = rtnl_link_get_stat(l, RTNL_LINK_RX_DROPPED);
	out->tx_dropped = rtnl_link_get_stat(l, RTNL_LINK_TX_DROPPED);
}

static int pf_link_lookup(struct nl_sock *sk, const char *name, struct rtnl_link **out)
{
	if (!name || !*name || strlen(name) >= IFNAMSIZ)
		return -ENODEV;
	int err = rtnl_link_get_kernel(sk, 0, name, out);
	return err < 0 ? pf_nlerr(err) : 0;
}

int pf_link_get(const char *name, struct pf_link_info *out)
{
	struct nl_sock *sk = pf_link_sock();
	if (!sk)
		return -ENOMEM;
	struct rtnl_link *l;
	int err = pf_link_lookup(sk, name, &l);
	if (err < 0)
		return err;
	pf_link_fill(l, out);
	rtnl_link_put(l);
	pf_link_fill_addrs(sk, out, 1);
	return 0;
}

int pf_link_list(struct pf_link_info **out, size_t *count)
{
	*out = NULL;
	*count = 0;
	struct nl_sock *sk = pf_link_sock();
	if (!sk)
		return -ENOMEM;
	struct nl_cache *cache = NULL;
	int err = rtnl_link_alloc_cache(sk, AF_UNSPEC, &cache);
	if (err < 0)
		return pf_nlerr(err);
	size_t n = (size_t)nl_cache_nitems(cache);
	struct pf_link_info *links = calloc(n ? n : 1, sizeof(*links));
	if (!links) {
		nl_cache_free(cache);
		return -ENOMEM;
	}
	size_t i = 0;
	for (struct nl_object *o = nl_cache_get_first(cache); o && i < n; o = nl_cache_get_next(o))
		pf_link_fill((struct rtnl_link *)o, &links[i++]);
	nl_cache_free(cache);
	/* by ifindex */
	for (size_t a = 1; a < i; a++)
		for (size_t b = a; b > 0 && links[b - 1].ifindex > links[b].ifindex; b--) {
			struct pf_link_info t = links[b];
			links[b] = links[b - 1];
			links[b - 1] = t;
		}
	pf_link_fill_addrs(sk, links, i);
	*out = links;
	*count = i;
	return 0;
}

/* Apply a change (flags or alias) to a link. */
static int pf_link_change(const char *name, bool set_flags, bool up, const char *alias)
{
	struct nl_sock *sk = pf_link_sock();
	if (!sk)
		return -ENOMEM;
	struct rtnl_link *l;
	int err = pf_link_lookup(sk, name, &l);
	if (err < 0)
		return err;
	struct rtnl_link *change = rtnl_link_alloc();
	if (!change) {
		rtnl_link_put(l);
		return -ENOMEM;
	}
	if (set_flags) {
		if (up)
			rtnl_link_set_flags(change, IFF_UP);
		else
			rtnl_link_unset_flags(change, IFF_UP);
	}
	if (alias)
		rtnl_link_set_ifalias(change, alias);
	err = rtnl_link_change(sk, l, change, 0);
	rtnl_link_put(change);
	rtnl_link_put(l);
	return err < 0 ? pf_nlerr(err) : 0;
}

int pf_link_set_admin(const char *name, bool up)
{
	struct pf_link_info info;
	int err = pf_link_get(name, &info);
	if (err < 0)
		return err;
	if (info.admin_up == up)
		return 0;
	return pf_link_change(name, true, up, NULL);
}

int pf_link_set_alias(const char *name, const char *alias)
{
	struct pf_link_info info;
	int err = pf_link_get(name, &info);
	if (err < 0)
		return err;
	if (strcmp(info.alias, alias) == 0)
		return 0;
	return pf_link_change(name, false, false, alias);
}

static struct nl_addr *pf_nl_ipv4(uint32_t addr, unsigned plen)
{
	uint32_t be = htonl(addr);
	struct nl_addr *a = nl_addr_build(AF_INET, &be, 4);
	if (a)
		nl_addr_set_prefixlen(a, (int)plen);
	return a;
}

int pf_link_clear_ipv4(const char *name)
{
	struct nl_sock *sk = pf_link_sock();
	if (!sk)
		return -ENOMEM;
	struct rtnl_link *l;
	int err = pf_link_lookup(sk, name, &l);
	if (err < 0)
		return err;
	int ifindex = rtnl_link_get_ifindex(l);
	rtnl_link_put(l);
	struct nl_cache *cache = NULL;
	err = rtnl_addr_alloc_cache(sk, &cache);
	if (err < 0)
		return pf_nlerr(err);
	int rc = 0;
	for (struct nl_object *o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
		struct rtnl_addr *a = (struct rtnl_addr *)o;
		if (rtnl_addr_get_family(a) != AF_INET || rtnl_addr_get_ifindex(a) != ifindex)
			continue;
		err = rtnl_addr_delete(sk, a, 0);
		if (err < 0 && rc == 0)
			rc = pf_nlerr(err);
	}
	nl_cache_free(cache);
	return rc;
}

int pf_link_set_ipv4(const char *name, uint32_t addr, uint32_t mask)
{
	struct pf_link_info info;
	int err = pf_link_get(name, &info);
	if (err < 0)
		return err;
	if (info.addr == addr && info.mask == mask)
		return 0;
	err = pf_link_clear_ipv4(name);
	if (err < 0)
		return err;
	struct nl_sock *sk = pf_link_sock();
	if (!sk)
		return -ENOMEM;
	struct rtnl_addr *a = rtnl_addr_alloc();
	struct nl_addr *local = pf_nl_ipv4(addr, pf_mask_to_prefix(mask));
	if (!a || !local) {
		rtnl_addr_put(a);
		nl_addr_put(local);
		return -ENOMEM;
	}
	rtnl_addr_set_ifindex(a, info.ifindex);
	rtnl_addr_set_family(a, AF_INET);
	rtnl_addr_set_local(a, local);
	rtnl_addr_set_prefixlen(a, (int)pf_mask_to_prefix(mask));
	err = rtnl_addr_add(sk, a, 0);
	nl_addr_put(local);
	rtnl_addr_put(a);
	return err < 0 ? pf_nlerr(err) : 0;
}

static struct rtnl_route *pf_route_build(uint32_t net, uint32_t mask, uint32_t gateway, const char *dev,
					 unsigned metric, uint32_t table, int *err)
{
	struct nl_sock *sk = pf_link_sock();
	*err = -ENOMEM;
	if (!sk)
		return NULL;
	int ifindex = 0;
	if (dev) {
		struct rtnl_link *l;
		*err = pf_link_lookup(sk, dev, &l);
		if (*err < 0)
			return NULL;
		ifindex = rtnl_link_get_ifindex(l);
		rtnl_link_put(l);
	}
	struct rtnl_route *r = rtnl_route_alloc();
	struct nl_addr *dst = pf_nl_ipv4(net & mask, pf_mask_to_prefix(mask));
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	if (!r || !dst || !nh) {
		rtnl_route_put(r);
		nl_addr_put(dst);
		rtnl_route_nh_free(nh);
		*err = -ENOMEM;
		return NULL;
	}
	rtnl_route_set_family(r, AF_INET);
	rtnl_route_set_table(r, table);
	rtnl_route_set_protocol(r, RTPROT_STATIC);
	rtnl_route_set_type(r, RTN_UNICAST);
	rtnl_route_set_scope(r, gateway ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK);
	rtnl_route_set_priority(r, metric);
	rtnl_route_set_dst(r, dst);
	nl_addr_put(dst);
	if (gateway) {
		struct nl_addr *gw = pf_nl_ipv4(gateway, 32);
		if (!gw) {
			rtnl_route_nh_free(nh);
			rtnl_route_put(r);
			*err = -ENOMEM;
			return NULL;
		}
		rtnl_route_nh_set_gateway(nh, gw);
		nl_addr_put(gw);
	}
	if (ifindex)
		rtnl_route_nh_set_ifindex(nh, ifindex);
	rtnl_route_add_nexthop(r, nh);
	*err = 0;
	return r;
}

int pf_route_add(uint32_t net, uint32_t mask, uint32_t gateway, const char *dev, unsigned metric)
{
	int err;
	struct rtnl_route *r = pf_route_build(net, mask, gateway, dev, metric, RT_TABLE_MAIN, &err);
	if (!r)
		return err;
	err = rtnl_route_add(pf_link_sock(), r, NLM_F_CREATE | NLM_F_REPLACE);
	rtnl_route_put(r);
	return err < 0 ? pf_nlerr(err) : 0;
}

int pf_route_del(uint32_t net, uint32_t mask, uint32_t gateway, const char *dev, unsigned metric)
{
	int err;
	struct rtnl_route *r = pf_route_build(net, mask, gateway, dev, metric, RT_TABLE_MAIN, &err);
	if (!r)
		return err;
	err = rtnl_route_delete(pf_link_sock(), r, 0);
	rtnl_route_put(r);
	return err < 0 ? pf_nlerr(err) : 0;
}

int pf_route_table_add(uint32_t net, uint32_t mask, const char *dev, uint32_t table)
{
	int err;
	struct rtnl_route *r = pf_route_build(net, mask, 0, dev, 0, table, &err);
	if (!r)
		return err;
	err = rtnl_route_add(pf_link_sock(), r, NLM_F_CREATE | NLM_F_REPLACE);
	rtnl_route_put(r);
	return err < 0 ? pf_nlerr(err) : 0;
}

int pf_route_table_del(uint32_t net, uint32_t mask, const char *dev, uint32_t table)
{
	int err;
	struct rtnl_route *r = pf_route_build(net, mask, 0, dev, 0, table, &err);
	if (!r)
		return err;
	err = rtnl_route_delete(pf_link_sock(), r, 0);
	rtnl_route_put(r);
	return err < 0 ? pf_nlerr(err) : 0;
}

static struct rtnl_rule *pf_rule_build(unsigned prio, uint32_t table, uint32_t fwmark)
{
	struct rtnl_rule *r = rtnl_rule_alloc();
	if (!r)
		return NULL;
	rtnl_rule_set_family(r, AF_INET);
	rtnl_rule_set_prio(r, prio);
	rtnl_rule_set_table(r, table);
	rtnl_rule_set_action(r, FR_ACT_TO_TBL);
	if (fwmark) {
		rtnl_rule_set_mark(r, fwmark);
		rtnl_rule_set_mask(r, 0xffffffffu);
	}
	return r;
}

int pf_rule_add(unsigned prio, uint32_t table, uint32_t fwmark)
{
	struct nl_sock *sk = pf_link_sock();
	struct rtnl_rule *r = sk ? pf_rule_build(prio, table, fwmark) : NULL;
	if (!r)
		return -ENOMEM;
	int err = rtnl_rule_add(sk, r, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_rule_put(r);
	return err < 0 ? pf_nlerr(err) : 0;
}

int pf_rule_del(unsigned prio, uint32_t table, uint32_t fwmark)
{
	struct nl_sock *sk = pf_link_sock();
	struct rtnl_rule *r = sk ? pf_rule_build(prio, table, fwmark) : NULL;
	if (!r)
		return -ENOMEM;
	int err = rtnl_rule_delete(sk, r, 0);
	rtnl_rule_put(r);
	return err < 0 ? pf_nlerr(err) : 0;
}

/* One rtnetlink request whose answer is a single message, handed to parse
 * (with arg); 0 or -errno (the kernel's, as for -ENOENT). */
struct pf_nl_one {
	int (*parse)(struct nlmsghdr *h, void *arg);
	void *arg;
	int err;
	bool got;
};

static int pf_nl_one_valid(struct nl_msg *msg, void *arg)
{
	struct pf_nl_one *one = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);
	if (!one->got) {
		one->got = true;
		one->err = one->parse(h, one->arg);
	}
	return NL_OK;
}

static int pf_nl_request_one(struct nl_msg *msg, int (*parse)(struct nlmsghdr *, void *), void *arg)
{
	struct nl_sock *sk = pf_link_sock();
	if (!sk)
		return -ENOMEM;
	struct pf_nl_one one = { .parse = parse, .arg = arg };
	struct nl_cb *cb = nl_cb_clone(nl_socket_get_cb(sk));
	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, pf_nl_one_valid, &one);
	int err = nl_send_auto(sk, msg);
	if (err >= 0)
		err = nl_recvmsgs(sk, cb); /* the answer, then the acknowledgement */
	if (err >= 0)
		err = nl_wait_for_ack(sk);
	nl_cb_put(cb);
	if (err < 0)
		return err == -NLE_OBJ_NOTFOUND ? -ENOENT : pf_nlerr(err);
	return one.got ? one.err : -ENOENT;
}

struct pf_hop {
	int ifindex;
	uint32_t via;                /* network byte order: the gateway, or dst itself */
	uint8_t mac[6];
	bool stale;
};

static int pf_hop_route(struct nlmsghdr *h, void *arg)
{
	struct pf_hop *hop = arg;
	struct nlattr *tb[RTA_MAX + 1];
	if (h->nlmsg_type != RTM_NEWROUTE || nlmsg_parse(h, sizeof(struct rtmsg), tb, RTA_MAX, NULL) < 0)
		return -ENOENT;
	const struct rtmsg *rt = nlmsg_data(h);
	if (rt->rtm_type != RTN_UNICAST || !tb[RTA_OIF])
		return -ENOENT;
	hop->ifindex = (int)nla_get_u32(tb[RTA_OIF]);
	if (tb[RTA_GATEWAY])
		hop->via = nla_get_u32(tb[RTA_GATEWAY]);
	return 0;
}

static int pf_hop_neigh(struct nlmsghdr *h, void *arg)
{
	struct pf_hop *hop = arg;
	struct nlattr *tb[NDA_MAX + 1];
	if (h->nlmsg_type != RTM_NEWNEIGH || nlmsg_parse(h, sizeof(struct ndmsg), tb, NDA_MAX, NULL) < 0)
		return -ENOENT;
	const struct ndmsg *nd = nlmsg_data(h);
	unsigned known = NUD_REACHABLE | NUD_PERMANENT | NUD_STALE | NUD_DELAY | NUD_PROBE;
	if (!(nd->ndm_state & known) || !tb[NDA_LLADDR] || nla_len(tb[NDA_LLADDR]) != 6)
		return -ENOENT;
	memcpy(hop->mac, nla_data(tb[NDA_LLADDR]), 6);
	hop->stale = (nd->ndm_state & NUD_STALE) != 0;
	return 0;
}

int pf_next_hop(uint32_t dst, uint32_t mark, int *ifindex, uint8_t mac[6])
{
	struct pf_hop hop = { .via = htonl(dst) };
	struct rtmsg rt = { .rtm_family = AF_INET, .rtm_dst_len = 32 };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_GETROUTE, 0);
	if (!msg)
		return -ENOMEM;
	int err = -ENOMEM;
	if (nlmsg_append(msg, &rt, sizeof(rt), NLMSG_ALIGNTO) == 0 && nla_put_u32(msg, RTA_DST, htonl(dst)) == 0 &&
	    nla_put_u32(msg, RTA_MARK, mark) == 0)
		err = pf_nl_request_one(msg, pf_hop_route, &hop);
	nlmsg_free(msg);
	if (err < 0)
		return err;
	struct rtnl_link *link = NULL;
	struct nl_sock *sk = pf_link_sock();
	if (!sk || rtnl_link_get_kernel(sk, hop.ifindex, NULL, &link) < 0)
		return -ENOENT;
	bool ether = rtnl_link_get_arptype(link) == ARPHRD_ETHER && (rtnl_link_get_flags(link) & IFF_UP);
	rtnl_link_put(link);
	if (!ether)
		return -ENOENT;
	struct ndmsg nd = { .ndm_family = AF_INET, .ndm_ifindex = hop.ifindex };
	if (!(msg = nlmsg_alloc_simple(RTM_GETNEIGH, 0)))
		return -ENOMEM;
	err = -ENOMEM;
	if (nlmsg_append(msg, &nd, sizeof(nd), NLMSG_ALIGNTO) == 0 && nla_put_u32(msg, NDA_DST, hop.via) == 0)
		err = pf_nl_request_one(msg, pf_hop_neigh, &hop);
	nlmsg_free(msg);
	if (err < 0)
		return err;
	if (hop.stale) {
		/* NTF_USE: the kernel treats the entry as used by a packet of
		 * its own and confirms it (STALE, DELAY, PROBE, then REACHABLE
		 * or FAILED), which packets sent past its neighbour layer never
		 * make it do */
		struct ndmsg use = { .ndm_family = AF_INET, .ndm_ifindex = hop.ifindex, .ndm_flags = NTF_USE };
		if ((msg = nlmsg_alloc_simple(RTM_NEWNEIGH, NLM_F_REPLACE))) {
			if (nlmsg_append(msg, &use, sizeof(use), NLMSG_ALIGNTO) == 0 &&
			    nla_put_u32(msg, NDA_DST, hop.via) == 0)
				nl_send_sync(sk, msg); /* frees msg; failing, the entry stays as it was */
			else
				nlmsg_free(msg);
		}
	}
	*ifindex = hop.ifindex;
	memcpy(mac, hop.mac, 6);
	return 0;
}

int pf_link_set_mtu(const char *name, unsigned mtu)
{
	struct nl_sock *sk = pf_link_sock();
	if (!sk)
		return -ENOMEM;
	struct rtnl_link *l, *change = rtnl_link_alloc();
	int err = change ? pf_link_lookup(sk, name, &l) : -ENOMEM;
	if (err < 0) {
		rtnl_link_put(change);
		return err;
	}
	rtnl_link_set_mtu(change, mtu);
	err = rtnl_link_change(sk, l, change, 0);
	rtnl_link_put(l);
	rtnl_link_put(change);
	return err < 0 ? pf_nlerr(err) : 0;
}

int pf_tun_open(const char *name, int *fds, int nqueues, bool *offload)
{
	bool want = offload && *offload;
	for (int i = 0; i < nqueues; i++) {
		struct ifreq ifr = { 0 };
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
		ifr.ifr_flags = IFF_TUN | IFF_NO_PI | IFF_MULTI_QUEUE | (want ? IFF_VNET_HDR : 0);
		int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) < 0) {
			int err = -errno;
			if (fd >= 0)
				close(fd);
			while (i-- > 0)
				close(fds[i]);
			return err;
		}
		fds[i] = fd;
	}
	if (want) {
		/* the kernel may then hand over TCP segments of up to 64 KB, and
		 * packets whose checksum is left to us */
		unsigned features = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO_ECN;
		if (ioctl(fds[0], TUNSETOFFLOAD, features) < 0)
			*offload = false;
	}
	return 0;
}

static int pf_sysctl_path(const char *name, char *path, size_t len)
{
	int n = snprintf(path, len, "/proc/sys/%s", name);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int pf_sysctl_get(const char *name)
{
	char path[256];
	if (pf_sysctl_path(name, path, sizeof(path)) < 0)
		return -ENAMETOOLONG;
	FILE *f = fopen(path, "r");
	if (!f)
		return -errno;
	int v;
	int rc = fscanf(f, "%d", &v) == 1 && v >= 0 ? v : -EINVAL;
	fclose(f);
	return rc;
}

int pf_sysctl_set(const char *name, int value)
{
	char path[256];
	if (pf_sysctl_path(name, path, sizeof(path)) < 0)
		return -ENAMETOOLONG;
	FILE *f = fopen(path, "w");
	if (!f)
		return -errno;
	fprintf(f, "%d\n", value);
	return fclose(f) == 0 ? 0 : -errno;
}
