/*
 * pf_link.h -- the host's network interfaces and IPv4 routes, through
 * libnl-route (rtnetlink).
 *
 * The appliance configures Linux interfaces from its running-config (address,
 * admin state, description as the interface alias) and reads them live for
 * `show interface`. Names are Linux names; mapping Cisco names is the
 * caller's business. Addresses and masks are IPv4 in host byte order.
 * Errors are negative errno values (-ENODEV: no such interface).
 */
#ifndef VPNSH_PF_LINK_H
#define VPNSH_PF_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pf_link_info {
	char name[16];
	int ifindex;
	bool admin_up;          /* IFF_UP */
	bool oper_up;           /* IFF_RUNNING / lower layer up */
	unsigned mtu;
	unsigned char mac[6];
	bool has_mac;
	uint32_t addr, mask;    /* the first IPv4 address, 0 if none */
	char alias[256];        /* IFLA_IFALIAS, "" if none */
	uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes;
	uint64_t rx_errors, tx_errors, rx_dropped, tx_dropped;
};

int pf_link_get(const char *name, struct pf_link_info *out);
/* Every link, by ifindex; the caller frees *out. */
int pf_link_list(struct pf_link_info **out, size_t *count);
int pf_link_set_admin(const char *name, bool up);
/* Replace the link's IPv4 addresses by this one. */
int pf_link_set_ipv4(const char *name, uint32_t addr, uint32_t mask);
int pf_link_clear_ipv4(const char *name);
/* The interface alias (the description); "" clears it. */
int pf_link_set_alias(const char *name, const char *alias);

/* Static routes in the main table. gateway 0: a route on dev alone; dev
 * NULL: resolved by the kernel from the gateway. */
int pf_route_add(uint32_t net, uint32_t mask, uint32_t gateway, const char *dev, unsigned metric);
int pf_route_del(uint32_t net, uint32_t mask, uint32_t gateway, const char *dev, unsigned metric);

/* Routes in another table (the dataplane's), on dev alone. */
int pf_route_table_add(uint32_t net, uint32_t mask, const char *dev, uint32_t table);
int pf_route_table_del(uint32_t net, uint32_t mask, const char *dev, uint32_t table);
/* Policy routing: "lookup TABLE" at priority PRIO, for packets carrying
 * fwmark (0: every packet). */
int pf_rule_add(unsigned prio, uint32_t table, uint32_t fwmark);
int pf_rule_del(unsigned prio, uint32_t table, uint32_t fwmark);
int pf_link_set_mtu(const char *name, unsigned mtu);

/* Where a packet to dst (with firewall mark) leaves, at the link layer: the
 * interface (by index) and the Ethernet address of the next hop, the
 * gateway's or dst's own. 0 when the route is a unicast one out an Ethernet
 * interface that is up and the kernel's neighbour entry for the next hop has
 * an address (REACHABLE, PERMANENT, or STALE, DELAY, PROBE while the kernel
 * confirms it; a STALE entry is marked used, NTF_USE, so that the kernel
 * does confirm it, as it would for packets of its own); -ENOENT otherwise
 * (no route, another kind of interface, no address known, NOARP or FAILED:
 * the kernel's own output path should carry the packet, which also gets the
 * neighbour resolved). */
int pf_next_hop(uint32_t dst, uint32_t mark, int *ifindex, uint8_t mac[6]);

/* A multi-queue TUN device (IFF_TUN, no packet information): one fd per
 * queue, so that each worker thread reads and writes its own. The device
 * lasts as long as its fds. With *offload, every packet read or written
 * starts with a struct virtio_net_hdr (IFF_VNET_HDR) and the device accepts
 * TCP segmentation and checksum offload; *offload says false when the
 * header is there but the offloads are not. */
int pf_tun_open(const char *name, int *fds, int nqueues, bool *offload);

/* An integer setting under /proc/sys (name as "net/ipv4/ip_forward"), for
 * the namespace vpnsh runs in: the value, or -errno. */
int pf_sysctl_get(const char *name);
int pf_sysctl_set(const char *name, int value);

/* A message for an error returned above. */
const char *pf_link_strerror(int err);

#endif
