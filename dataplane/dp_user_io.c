/*
 * dp_user_io.c -- the userspace dataplane's worker threads: packets from the
 * TUN device are matched against the policies and sealed into ESP (or held
 * while their SA is negotiated, or forwarded in the clear when no policy
 * wants them); ESP from the raw sockets is checked against the replay
 * window, opened, checked against its SA's selectors and written to the TUN
 * device. Each worker owns one queue of the multi-queue TUN device and its
 * own sockets, and moves packets in batches (sendmmsg, recvmmsg).
 */
#include "dataplane/dp_bytes.h"
#include "dataplane/dp_user_int.h"
#include "platform/pf_loop.h"

#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

/* An IPv4 header's fields a policy looks at; false when malformed. */
struct du_flow {
	uint32_t src, dst;
	uint8_t proto;
	uint16_t sport, dport;
	size_t len;                    /* the packet's own length (tot_len) */
};

static bool du_parse(const uint8_t *p, size_t len, struct du_flow *f)
{
	if (len < 20 || (p[0] >> 4) != 4)
		return false;
	size_t ihl = (size_t)(p[0] & 15) * 4, tot = dp_get16(p + 2);
	if (ihl < 20 || tot < ihl || tot > len)
		return false;
	f->len = tot;
	f->proto = p[9];
	f->src = dp_get32(p + 12);
	f->dst = dp_get32(p + 16);
	f->sport = f->dport = 0;
	bool first_fragment = (dp_get16(p + 6) & 0x1fff) == 0;
	if (first_fragment && (f->proto == IPPROTO_TCP || f->proto == IPPROTO_UDP) && tot >= ihl + 4) {
		f->sport = dp_get16(p + ihl);
		f->dport = dp_get16(p + ihl + 2);
	}
	return true;
}

int du_seal(struct du_backend *b, int slot, struct du_sa *sa, uint8_t *p, size_t len, uint64_t now, uint8_t **start)
{
	uint64_t seq = atomic_fetch_add(&sa->seq, 1) + 1;
	if (seq > UINT32_MAX - 1) {
		/* the counter must not wrap (RFC 4303 3.3.3): the SA is spent */
		if (!atomic_exchange(&sa->hard_sent, true)) {
			struct du_event ev = { .kind = DU_EV_EXPIRE, .spi = sa->d.spi, .dir = DP_OUT, .hard = true };
			du_event_push(b, &ev);
		}
		atomic_fetch_add(&sa->errors, 1);
		return -1;
	}
	if (seq >= (uint64_t)UINT32_MAX - (1u << 24) && !atomic_exchange(&sa->soft_sent, true)) {
		struct du_event ev = { .kind = DU_EV_EXPIRE, .spi = sa->d.spi, .dir = DP_OUT, .hard = false };
		if (!du_event_push(b, &ev))
			atomic_store(&sa->soft_sent, false); /* the queue was full: the next packet tells again */
	}
	struct dp_esp_ctx *ctx = du_ctx(sa, slot);
	uint8_t tos = p[1];
	bool inner_df = (p[6] & 0x40) != 0;
	uint16_t frag = dp_get16(p + 6) & 0x3fff; /* MF and the offset: a fragment */
	uint8_t *esp;
	int esp_len = ctx ? dp_esp_seal(&sa->keys, ctx, sa->d.spi, (uint32_t)seq, p, len, &esp) : -1;
	if (esp_len < 0) {
		atomic_fetch_add(&sa->errors, 1);
		return -1;
	}
	du_account(b, sa, len, now);
	if (frag) {
		atomic_fetch_add(&sa->fragments, 1);
		if (!(frag & 0x1fff))
			atomic_fetch_add(&sa->prefrag, 1);
	}
	bool udp = sa->d.encap_dport != 0;
	uint8_t *ip = esp - (udp ? 8 : 0) - 20;
	size_t total = (size_t)esp_len + (size_t)(esp - ip);
	ip[0] = 0x45;
	ip[1] = tos; /* DSCP copied to the outer header, as the devices do */
	dp_put16(ip + 2, (uint16_t)total);
	/* complete, checksum included: the packet socket sends it as it is */
	dp_put16(ip + 4, atomic_fetch_add(&b->ip_id, 1));
	bool df = sa->d.df == DP_DF_SET || (sa->d.df == DP_DF_COPY && inner_df);
	dp_put16(ip + 6, df ? 0x4000 : 0);
	ip[8] = 64;
	ip[9] = udp ? IPPROTO_UDP : IPPROTO_ESP;
	dp_put16(ip + 10, 0);
	dp_put32(ip + 12, sa->d.src);
	dp_put32(ip + 16, sa->d.dst);
	if (udp) {
		dp_put16(ip + 20, sa->d.encap_sport);
		dp_put16(ip + 22, sa->d.encap_dport);
		dp_put16(ip + 24, (uint16_t)(esp_len + 8));
		dp_put16(ip + 26, 0); /* RFC 3948 3.1.2: zero checksum */
	}
	dp_put16(ip + 10, du_csum(ip, 20, 0));
	*start = ip;
	return (int)total;
}

void du_send(struct du_backend *b, int fd, int link_fd, uint8_t **pkts, const size_t *lens,
	     const struct du_link *links, size_t n)
{
	struct mmsghdr msgs[DU_BATCH];
	struct iovec iov[DU_BATCH];
	union {
		struct sockaddr_in in;
		struct sockaddr_ll ll;
	} to[DU_BATCH];
	size_t done = 0;
	while (done < n) {
		/* a run of datagrams that leave the same way, one system call */
		bool direct = links && links[done].ifindex && link_fd >= 0;
		size_t k = 0;
		while (k < DU_BATCH && done + k < n && (links && links[done + k].ifindex && link_fd >= 0) == direct) {
			uint8_t *p = pkts[done + k];
			socklen_t tolen;
			if (direct) {
				const struct du_link *l = &links[done + k];
				to[k].ll = (struct sockaddr_ll){ .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP),
								 .sll_ifindex = l->ifindex, .sll_halen = 6 };
				memcpy(to[k].ll.sll_addr, l->mac, 6);
				tolen = sizeof(to[k].ll);
			} else {
				to[k].in = (struct sockaddr_in){ .sin_family = AF_INET };
				memcpy(&to[k].in.sin_addr, p + 16, 4);
				tolen = sizeof(to[k].in);
			}
			iov[k] = (struct iovec){ p, lens[done + k] };
			msgs[k] = (struct mmsghdr){ .msg_hdr = { .msg_name = &to[k], .msg_namelen = tolen,
								 .msg_iov = &iov[k], .msg_iovlen = 1 } };
			k++;
		}
		int sent = sendmmsg(direct ? link_fd : fd, msgs, (unsigned)k, 0);
		if (sent <= 0) {
			/* the first datagram failed (no route, buffer full): drop it, go on */
			atomic_fetch_add(&b->stats.send_errors, 1);
			sent = 1;
		}
		done += (size_t)sent;
	}
}

/* One inner packet the host routed into the tunnel device, at p (with
 * DU_HEADROOM before it): sealed (its datagram appended to pkts), sent on in
 * the clear, or held. Under the read lock. */
static void du_outbound_one(struct du_worker *w, uint8_t *p, size_t got, uint64_t now, uint8_t **pkts, size_t *lens,
			    struct du_link *links, size_t *n)
{
	struct du_backend *b = w->b;
	struct du_flow f;
	if (!du_parse(p, got, &f)) {
		atomic_fetch_add(&b->stats.malformed, 1);
		return;
	}
	struct du_policy *pol = du_policy_find(b, f.src, f.dst, f.proto, f.sport, f.dport);
	if (!pol || pol->p.bypass) {
		/* no crypto ACL line wants it, or a deny line exempts it: on its way in the clear */
		atomic_fetch_add(&b->stats.bypassed, 1);
		pkts[*n] = p;
		links[*n].ifindex = 0; /* routed by the kernel, as if vpnsh were not there */
		lens[(*n)++] = f.len;
		return;
	}
	struct du_sa *sa = pol->out;
	if (!sa || atomic_load(&sa->hard_sent)) {
		du_hold(b, pol, p, f.len, f.src, f.dst, f.proto);
		return;
	}
	int len = du_seal(b, w->slot, sa, p, f.len, now, &pkts[*n]);
	if (len > 0) {
		links[*n] = sa->link;
		lens[(*n)++] = (size_t)len;
	}
}

/* Packets the host routed into the tunnel device. A super-packet may hold
 * more segments than a batch: the batch is sent when full and the rest
 * follows in the next. */
static void du_outbound(struct du_worker *w)
{
	struct du_backend *b = w->b;
	uint8_t *pkts[DU_OUT_BUFS];
	size_t lens[DU_OUT_BUFS], seglen[DU_OUT_BUFS], n = 0, used = 0;
	struct du_link links[DU_OUT_BUFS];
	uint64_t now = pf_now_ms();
	pthread_rwlock_rdlock(&b->lock);
	for (int reads = 0; reads < DU_BATCH; reads++) {
		size_t len = 0;
		if (b->vnet) {
			ssize_t got = read(w->tun_fd, w->big, DU_BIG);
			if (got <= DU_VNET_HDR)
				break;
			len = (size_t)got - DU_VNET_HDR;
		} else {
			ssize_t got = read(w->tun_fd, w->out[used] + DU_HEADROOM, DU_MAX_INNER);
			if (got <= 0)
				break;
			seglen[0] = (size_t)got;
		}
		for (size_t first = 0, total = 1; first < total;) {
			int k = 1;
			if (b->vnet) {
				k = du_gso_split(w->big, w->big + DU_VNET_HDR, len, first, w->out + used, DU_OUT_BUFS - used,
						 seglen, &total);
				if (k < 0) {
					atomic_fetch_add(&b->stats.malformed, 1);
					break;
				}
			}
			for (int j = 0; j < k; j++)
				du_outbound_one(w, w->out[used + (size_t)j] + DU_HEADROOM, seglen[j], now, pkts, lens, links,
						&n);
			used += (size_t)k;
			first += (size_t)k;
			if (used == DU_OUT_BUFS || (first < total && k == 0)) {
				du_send(b, w->send_fd, w->link_fd, pkts, lens, links, n);
				n = used = 0;
			}
		}
	}
	pthread_rwlock_unlock(&b->lock);
	du_send(b, w->send_fd, w->link_fd, pkts, lens, links, n);
}

/* One ESP packet (the outer IPv4 header at p); the inner packet, once
 * checked, is appended to ready for the TUN device. Under the read lock. */
static void du_open_one(struct du_worker *w, uint8_t *p, size_t len, bool udp, uint64_t now, struct du_inner *ready,
			size_t *nready)
{
	struct du_backend *b = w->b;
	struct du_flow outer;
	if (!du_parse(p, len, &outer)) {
		atomic_fetch_add(&b->stats.malformed, 1);
		return;
	}
	size_t off = (size_t)(p[0] & 15) * 4 + (udp ? 8 : 0);
	if (outer.len < off + DP_ESP_HDR) {
		atomic_fetch_add(&b->stats.malformed, 1);
		return;
	}
	uint8_t *esp = p + off;
	size_t esp_len = outer.len - off;
	uint32_t spi = dp_get32(esp), seq = dp_get32(esp + 4);
	struct du_sa *sa = du_sa_find(b, DP_IN, spi);
	if (!sa || atomic_load(&sa->hard_sent)) {
		atomic_fetch_add(&b->stats.no_sa_spi, 1);
		du_drop(b, NULL, DP_DROP_BAD_SPI, spi, seq, outer.src, outer.dst);
		return;
	}
	pthread_mutex_lock(&sa->replay_lock);
	bool fresh = dp_replay_check(&sa->replay, seq);
	pthread_mutex_unlock(&sa->replay_lock);
	if (!fresh) {
		atomic_fetch_add(&sa->replay_failures, 1);
		du_drop(b, sa, DP_DROP_REPLAY, spi, seq, outer.src, outer.dst);
		return;
	}
	struct dp_esp_ctx *ctx = du_ctx(sa, w->slot);
	uint8_t *inner, next;
	size_t inner_len;
	int rc = ctx ? dp_esp_open(&sa->keys, ctx, esp, esp_len, &inner, &inner_len, &next) : DP_ESP_ECRYPTO;
	if (rc < 0) {
		atomic_fetch_add(&sa->errors, 1);
		if (rc == DP_ESP_EAUTH)
			du_drop(b, sa, DP_DROP_AUTH, spi, seq, outer.src, outer.dst);
		return;
	}
	pthread_mutex_lock(&sa->replay_lock);
	fresh = dp_replay_update(&sa->replay, seq);
	pthread_mutex_unlock(&sa->replay_lock);
	if (!fresh) {
		atomic_fetch_add(&sa->replay_failures, 1);
		du_drop(b, sa, DP_DROP_REPLAY, spi, seq, outer.src, outer.dst);
		return;
	}
	if (next == DP_ESP_NH_DUMMY)
		return;
	struct du_flow f;
	if (next != DP_ESP_NH_IPV4 || !du_parse(inner, inner_len, &f)) {
		atomic_fetch_add(&sa->errors, 1);
		return;
	}
	/* what the peer sends must be what the SA was negotiated for */
	const struct dp_selector *l = &sa->d.local, *r = &sa->d.remote;
	if ((f.src & r->mask) != (r->net & r->mask) || (f.dst & l->mask) != (l->net & l->mask)) {
		atomic_fetch_add(&b->stats.policy_drops, 1);
		return;
	}
	du_account(b, sa, f.len, now);
	ready[(*nready)++] = (struct du_inner){ inner, f.len };
}

/* Decrypted packets to the TUN device: with offloads, runs of segments of
 * one TCP flow go as one (the kernel's GRO would have merged them), which
 * spares the host's stack most of its per-packet work. */
static void du_to_tun(struct du_worker *w, const struct du_inner *ready, size_t n)
{
	static const uint8_t no_offload[DU_VNET_HDR];
	for (size_t i = 0; i < n;) {
		size_t run = w->b->vnet ? du_gro_run(ready + i, n - i) : 1;
		struct iovec iov[2] = { { (void *)no_offload, DU_VNET_HDR }, { ready[i].p, ready[i].len } };
		int rc;
		if (run > 1) {
			size_t len = du_gro_merge(ready + i, run, w->big);
			rc = write(w->tun_fd, w->big, len) < 0 ? -1 : 0;
		} else {
			rc = writev(w->tun_fd, w->b->vnet ? iov : iov + 1, w->b->vnet ? 2 : 1) < 0 ? -1 : 0;
		}
		if (rc < 0)
			atomic_fetch_add(&w->b->stats.send_errors, 1);
		i += run;
	}
}

static void du_inbound(struct du_worker *w, int fd, bool udp)
{
	struct mmsghdr msgs[DU_BATCH];
	struct iovec iov[DU_BATCH];
	for (int i = 0; i < DU_BATCH; i++) {
		iov[i] = (struct iovec){ w->in[i], DU_BUF };
		msgs[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iov[i], .msg_iovlen = 1 } };
	}
	int got = recvmmsg(fd, msgs, DU_BATCH, MSG_DONTWAIT, NULL);
	if (got <= 0)
		return;
	struct du_inner ready[DU_BATCH];
	size_t nready = 0;
	uint64_t now = pf_now_ms();
	pthread_rwlock_rdlock(&w->b->lock);
	for (int i = 0; i < got; i++) {
		if (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) {
			atomic_fetch_add(&w->b->stats.malformed, 1);
			continue;
		}
		du_open_one(w, w->in[i], msgs[i].msg_len, udp, now, ready, &nready);
	}
	pthread_rwlock_unlock(&w->b->lock);
	du_to_tun(w, ready, nready);
}

void *du_worker_main(void *arg)
{
	struct du_worker *w = arg;
	struct pollfd pfd[4] = {
		{ .fd = w->tun_fd, .events = POLLIN },
		{ .fd = w->esp_fd, .events = POLLIN },
		{ .fd = w->udp_fd, .events = POLLIN },
		{ .fd = w->b->stop_fd, .events = POLLIN },
	};
	for (;;) {
		if (poll(pfd, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[3].revents)
			break;
		if (pfd[0].revents & POLLIN)
			du_outbound(w);
		if (pfd[1].revents & POLLIN)
			du_inbound(w, w->esp_fd, false);
		if (pfd[2].revents & POLLIN)
			du_inbound(w, w->udp_fd, true);
	}
	return NULL;
}
