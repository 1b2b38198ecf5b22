/*
 * dp_user.c -- the userspace ESP dataplane, control side: the backend calls
 * the engine makes (SPIs, SAs, policies, counters), the TUN device, the
 * routing that leads interesting traffic into it, and the events the
 * workers raise (interesting traffic without an SA, volume limits).
 *
 * Routing: every policy's remote selector is routed into the TUN device in
 * table DP_USER_TABLE, which a rule at priority DP_USER_TABLE consults before
 * the main table; the dataplane's own packets (ESP to the peer, traffic that
 * matched no policy and is forwarded in the clear) carry DP_USER_MARK, which
 * a rule just before sends to the main table. So traffic to the protected
 * networks reaches the workers, and nothing the appliance sends itself loops.
 * Inbound ESP is read from raw sockets (protocol 50, and UDP to port 4500
 * whose first four bytes are not the IKE marker), each worker taking the
 * SPIs that a socket filter gives it.
 *
 * Outbound ESP goes straight onto the link toward its next hop, through a
 * packet socket, where the kernel's neighbour entry for that hop has an
 * address: the IP output path (routing through the policy rules, uncached
 * for IP_HDRINCL, the firewall's output hooks) cost more per packet than
 * the rest of the send. The control thread looks the next hop up when the
 * SA arrives and every second after (pf_next_hop, which has the kernel
 * confirm a stale entry); where the kernel has no address for it (unknown,
 * NOARP, FAILED) the datagrams take the raw socket and the kernel's path,
 * which resolves it, and a changed next hop is followed within a second.
 */
#include "dataplane/dp_user_int.h"
#include "platform/pf_link.h"
#include "platform/pf_loop.h"

#include <errno.h>
#include <linux/filter.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#define DU_MTU 1400          /* the inner MTU: room for the worst ESP overhead within 1500 */
#define DU_PRIO_BYPASS (DP_USER_TABLE - 1)
#define DU_RT_MAIN 254

static struct du_backend *du_of(struct dp_backend *b)
{
	return (struct du_backend *)b;
}

/* ---- lookups (under the read lock) ---- */

static bool du_sel_match(const struct dp_selector *s, uint32_t addr, uint8_t proto, uint16_t port)
{
	return (addr & s->mask) == (s->net & s->mask) && (!s->protocol || s->protocol == proto) &&
	       (!s->port || s->port == port);
}

struct du_policy *du_policy_find(struct du_backend *b, uint32_t src, uint32_t dst, uint8_t proto, uint16_t sport,
				 uint16_t dport)
{
	for (size_t i = 0; i < b->npols; i++) {
		struct du_policy *p = b->pols[i];
		if (du_sel_match(&p->p.local, src, proto, sport) && du_sel_match(&p->p.remote, dst, proto, dport))
			return p;
	}
	return NULL;
}

struct du_sa *du_sa_find(struct du_backend *b, enum dp_dir dir, uint32_t spi)
{
	for (struct du_sa *s = b->sas; s; s = s->next)
		if (s->d.spi == spi && s->d.dir == dir)
			return s;
	return NULL;
}

static struct du_policy *du_policy_by_reqid(struct du_backend *b, uint32_t reqid, size_t *index)
{
	for (size_t i = 0; i < b->npols; i++)
		if (b->pols[i]->p.reqid == reqid) {
			if (index)
				*index = i;
			return b->pols[i];
		}
	return NULL;
}

/* The newest outbound SA of a reqid that is usable now (the list is newest
 * first). */
static struct du_sa *du_newest_out(struct du_backend *b, uint32_t reqid, uint64_t now)
{
	for (struct du_sa *s = b->sas; s; s = s->next)
		if (s->d.dir == DP_OUT && s->d.reqid == reqid && s->usable_ms <= now && !atomic_load(&s->hard_sent))
			return s;
	return NULL;
}

struct dp_esp_ctx *du_ctx(struct du_sa *sa, int slot)
{
	if (!sa->ctx_ready[slot]) {
		if (dp_esp_ctx_init(&sa->ctx[slot], &sa->keys, sa->d.dir == DP_OUT) < 0)
			return NULL;
		sa->ctx_ready[slot] = true;
	}
	return &sa->ctx[slot];
}

/* ---- events, from any thread to the control thread ---- */

bool du_event_push(struct du_backend *b, const struct du_event *ev)
{
	pthread_mutex_lock(&b->ev_lock);
	bool queued = b->nev < DU_EVENTS;
	if (queued)
		b->ev[b->nev++] = *ev;
	pthread_mutex_unlock(&b->ev_lock);
	uint64_t one = 1;
	if (queued && write(b->event_fd, &one, sizeof(one)) < 0) {
		/* the counter is already non-zero: the control thread will look */
	}
	return queued;
}

static void du_events_ready(void *arg, int fd, unsigned events)
{
	(void)events;
	struct du_backend *b = arg;
	uint64_t n;
	if (read(fd, &n, sizeof(n)) < 0) {
		/* nothing pending */
	}
	struct du_event ev[DU_EVENTS];
	pthread_mutex_lock(&b->ev_lock);
	size_t count = b->nev;
	memcpy(ev, b->ev, count * sizeof(ev[0]));
	b->nev = 0;
	pthread_mutex_unlock(&b->ev_lock);
	for (size_t i = 0; i < count; i++) {
		if (ev[i].kind == DU_EV_ACQUIRE && b->events.acquire)
			b->events.acquire(b->events.ctx, ev[i].reqid, ev[i].src, ev[i].dst, ev[i].protocol);
		else if (ev[i].kind == DU_EV_EXPIRE && b->events.expire)
			b->events.expire(b->events.ctx, ev[i].spi, ev[i].dir, ev[i].hard);
		else if (ev[i].kind == DU_EV_DROP && b->events.drop)
			b->events.drop(b->events.ctx, ev[i].drop, ev[i].spi, ev[i].seq, ev[i].src, ev[i].dst);
	}
}

void du_drop(struct du_backend *b, struct du_sa *sa, enum dp_drop why, uint32_t spi, uint32_t seq, uint32_t src,
	     uint32_t dst)
{
	_Atomic uint64_t *told = sa ? &sa->drop_told_ms[why] : &b->stats.bad_spi_told_ms;
	uint64_t now = pf_now_ms(), last = atomic_load(told);
	if ((last && now - last < 1000) || !atomic_compare_exchange_strong(told, &last, now))
		return;
	struct du_event ev = { .kind = DU_EV_DROP, .drop = why, .spi = spi, .seq = seq, .src = src, .dst = dst };
	du_event_push(b, &ev);
}

void du_account(struct du_backend *b, struct du_sa *sa, size_t len, uint64_t now)
{
	uint64_t total = atomic_fetch_add(&sa->bytes, len) + len;
	atomic_fetch_add(&sa->packets, 1);
	atomic_store(&sa->last_used_ms, now);
	if (!sa->soft_bytes)
		return;
	bool hard = total >= sa->hard_bytes;
	if (total < sa->soft_bytes)
		return;
	atomic_bool *flag = hard ? &sa->hard_sent : &sa->soft_sent;
	if (atomic_exchange(flag, true))
		return;
	struct du_event ev = { .kind = DU_EV_EXPIRE, .spi = sa->d.spi, .dir = sa->d.dir, .hard = hard };
	if (!du_event_push(b, &ev) && !hard)
		atomic_store(flag, false); /* the queue was full: the next packet tells again */
}

void du_hold(struct du_backend *b, struct du_policy *pol, const uint8_t *pkt, size_t len, uint32_t src, uint32_t dst,
	     uint8_t proto)
{
	pthread_mutex_lock(&pol->hold_lock);
	uint8_t *copy = pol->nheld < DU_HOLD ? malloc(len) : NULL;
	if (copy) {
		memcpy(copy, pkt, len);
		pol->held[pol->nheld++] = (struct du_held){ copy, len };
	}
	pthread_mutex_unlock(&pol->hold_lock);
	atomic_fetch_add(copy ? &b->stats.held : &b->stats.hold_dropped, 1);
	uint64_t now = pf_now_ms(), last = atomic_load(&pol->acquire_ms);
	/* one request a second per policy: the engine is already at work */
	if (last && now - last < 1000)
		return;
	if (!atomic_compare_exchange_strong(&pol->acquire_ms, &last, now))
		return;
	struct du_event ev = { .kind = DU_EV_ACQUIRE, .reqid = pol->p.reqid, .src = src, .dst = dst, .protocol = proto };
	du_event_push(b, &ev);
}

/* The SA of a policy came up: send what was held for it (control thread,
 * under the read lock). */
static void du_flush_held(struct du_backend *b, struct du_policy *pol)
{
	struct du_held held[DU_HOLD];
	pthread_mutex_lock(&pol->hold_lock);
	size_t n = pol->nheld;
	memcpy(held, pol->held, n * sizeof(held[0]));
	pol->nheld = 0;
	pthread_mutex_unlock(&pol->hold_lock);
	uint8_t bufs[DU_HOLD][DU_BUF];
	uint8_t *pkts[DU_HOLD];
	size_t lens[DU_HOLD], out = 0;
	uint64_t now = pf_now_ms();
	for (size_t i = 0; i < n; i++) {
		uint8_t *p = bufs[out] + DU_HEADROOM;
		memcpy(p, held[i].pkt, held[i].len);
		int len = pol->out ? du_seal(b, 0, pol->out, p, held[i].len, now, &pkts[out]) : -1;
		if (len > 0)
			lens[out++] = (size_t)len;
		free(held[i].pkt);
	}
	du_send(b, b->ctl_send_fd, -1, pkts, lens, NULL, out);
}

/* New outbound SAs whose time has come go into use, and what was held for
 * their policies leaves. */
static void du_activate(void *arg)
{
	struct du_backend *b = arg;
	b->activate = NULL;
	uint64_t now = pf_now_ms(), next = 0;
	pthread_rwlock_wrlock(&b->lock);
	for (size_t i = 0; i < b->npols; i++)
		b->pols[i]->out = du_newest_out(b, b->pols[i]->p.reqid, now);
	for (struct du_sa *s = b->sas; s; s = s->next)
		if (s->d.dir == DP_OUT && s->usable_ms > now && (!next || s->usable_ms < next))
			next = s->usable_ms;
	pthread_rwlock_unlock(&b->lock);
	pthread_rwlock_rdlock(&b->lock);
	for (size_t i = 0; i < b->npols; i++)
		if (b->pols[i]->out)
			du_flush_held(b, b->pols[i]);
	pthread_rwlock_unlock(&b->lock);
	if (next)
		b->activate = pf_timer_add(b->loop, next - now, du_activate, b);
}

/* ---- routes into the TUN device ---- */

static void du_route_ref(struct du_backend *b, uint32_t net, uint32_t mask)
{
	net &= mask;
	for (size_t i = 0; i < b->nroutes; i++)
		if (b->routes[i].net == net && b->routes[i].mask == mask) {
			b->routes[i].refs++;
			return;
		}
	struct du_route *r = realloc(b->routes, (b->nroutes + 1) * sizeof(*r));
	if (!r)
		return;
	b->routes = r;
	b->routes[b->nroutes++] = (struct du_route){ net, mask, 1 };
	pf_route_table_add(net, mask, b->tun, DP_USER_TABLE);
}

static void du_route_unref(struct du_backend *b, uint32_t net, uint32_t mask)
{
	net &= mask;
	for (size_t i = 0; i < b->nroutes; i++)
		if (b->routes[i].net == net && b->routes[i].mask == mask) {
			if (--b->routes[i].refs == 0) {
				pf_route_table_del(net, mask, b->tun, DP_USER_TABLE);
				b->routes[i] = b->routes[--b->nroutes];
			}
			return;
		}
}

/* ---- the backend calls ---- */

static int du_alloc_spi(struct dp_backend *base, uint32_t src, uint32_t dst, uint32_t *spi)
{
	(void)src;
	(void)dst;
	struct du_backend *b = du_of(base);
	for (int tries = 0; tries < 64; tries++) {
		uint32_t v;
		if (RAND_bytes((uint8_t *)&v, sizeof(v)) != 1)
			return -EIO;
		if (v < 256)
			continue; /* 1-255 are reserved (RFC 4303 2.1) */
		pthread_rwlock_rdlock(&b->lock);
		bool used = du_sa_find(b, DP_IN, v) != NULL;
		pthread_rwlock_unlock(&b->lock);
		if (!used) {
			*spi = v;
			return 0;
		}
	}
	return -EAGAIN;
}

static void du_sa_free(struct du_sa *s)
{
	for (int i = 0; i < DU_SLOTS; i++)
		if (s->ctx_ready[i])
			dp_esp_ctx_free(&s->ctx[i]);
	dp_esp_keys_free(&s->keys);
	pthread_mutex_destroy(&s->replay_lock);
	OPENSSL_cleanse(s, sizeof(*s));
	free(s);
}

/* ---- next hops ---- */

static struct du_link du_link_of(uint32_t dst)
{
	struct du_link l = { 0 };
	if (pf_next_hop(dst, DP_USER_MARK, &l.ifindex, l.mac) < 0)
		l.ifindex = 0;
	return l;
}

/* Every second: the outbound SAs' next hops, looked up again, once per peer
 * address (the control thread is the only one that changes the list, so it
 * reads it unlocked, and locks only to write a change). */
static void du_links_tick(void *arg)
{
	struct du_backend *b = arg;
	struct {
		uint32_t dst;
		struct du_link link;
	} seen[16];
	size_t nseen = 0;
	for (struct du_sa *s = b->sas; s; s = s->next) {
		if (s->d.dir != DP_OUT)
			continue;
		size_t i = 0;
		while (i < nseen && seen[i].dst != s->d.dst)
			i++;
		if (i == nseen) {
			i = nseen < 16 ? nseen++ : 15;
			seen[i].dst = s->d.dst;
			seen[i].link = du_link_of(s->d.dst);
		}
		struct du_link l = seen[i].link;
		if (l.ifindex != s->link.ifindex || memcmp(l.mac, s->link.mac, sizeof(l.mac)) != 0) {
			pthread_rwlock_wrlock(&b->lock);
			s->link = l;
			pthread_rwlock_unlock(&b->lock);
		}
	}
	b->links = pf_timer_add(b->loop, 1000, du_links_tick, b);
}

static int du_add_sa(struct dp_backend *base, const struct dp_sa *sa, char *why, size_t whylen)
{
	struct du_backend *b = du_of(base);
	struct du_sa *s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(why, whylen, "out of memory");
		return -ENOMEM;
	}
	if (dp_esp_keys_init(&s->keys, sa, why, whylen) < 0) {
		free(s);
		return -EINVAL;
	}
	s->d = *sa;
	OPENSSL_cleanse(s->d.enc_key, sizeof(s->d.enc_key));
	OPENSSL_cleanse(s->d.auth_key, sizeof(s->d.auth_key));
	pthread_mutex_init(&s->replay_lock, NULL);
	dp_replay_init(&s->replay, sa->replay_window);
	s->added_ms = pf_now_ms();
	if (sa->dir == DP_OUT)
		s->link = du_link_of(sa->dst); /* before the lock: a netlink round trip */
	if (sa->life_kbytes) {
		s->hard_bytes = sa->life_kbytes * 1024;
		s->soft_bytes = s->hard_bytes / 10 * 9;
	}
	pthread_rwlock_wrlock(&b->lock);
	if (du_sa_find(b, sa->dir, sa->spi)) {
		pthread_rwlock_unlock(&b->lock);
		du_sa_free(s);
		snprintf(why, whylen, "SPI 0x%08x is already in use", sa->spi);
		return -EEXIST;
	}
	if (sa->dir == DP_OUT)
		s->usable_ms = s->added_ms + DU_OUT_DELAY_MS;
	s->next = b->sas;
	b->sas = s;
	pthread_rwlock_unlock(&b->lock);
	if (sa->dir == DP_OUT && !b->activate)
		b->activate = pf_timer_add(b->loop, DU_OUT_DELAY_MS, du_activate, b);
	return 0;
}

static int du_del_sa(struct dp_backend *base, enum dp_dir dir, uint32_t spi)
{
	struct du_backend *b = du_of(base);
	pthread_rwlock_wrlock(&b->lock);
	struct du_sa **pp = &b->sas;
	while (*pp && !((*pp)->d.spi == spi && (*pp)->d.dir == dir))
		pp = &(*pp)->next;
	struct du_sa *s = *pp;
	if (s) {
		*pp = s->next;
		struct du_policy *pol = dir == DP_OUT ? du_policy_by_reqid(b, s->d.reqid, NULL) : NULL;
		if (pol && pol->out == s)
			pol->out = du_newest_out(b, s->d.reqid, pf_now_ms());
	}
	pthread_rwlock_unlock(&b->lock);
	if (!s)
		return -ENOENT;
	du_sa_free(s);
	return 0;
}

/* This backend reads ESP in UDP from port 4500 itself: the engine's socket
 * there takes only what starts with the non-ESP marker (RFC 3948 2.2), by
 * classic BPF over the UDP header and payload. */
static int du_ike_socket(struct dp_backend *base, int fd, uint16_t port, char *why, size_t whylen)
{
	(void)base;
	if (port != 4500)
		return 0;
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 8),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0) {
		snprintf(why, whylen, "cannot filter the IKE socket: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int du_add_policy(struct dp_backend *base, const struct dp_policy *p, char *why, size_t whylen)
{
	struct du_backend *b = du_of(base);
	struct du_policy *pol = calloc(1, sizeof(*pol));
	struct du_policy **pols = NULL;
	pthread_rwlock_wrlock(&b->lock);
	if (du_policy_by_reqid(b, p->reqid, NULL)) {
		pthread_rwlock_unlock(&b->lock);
		free(pol);
		snprintf(why, whylen, "a policy with reqid %u exists", p->reqid);
		return -EEXIST;
	}
	if (pol)
		pols = realloc(b->pols, (b->npols + 1) * sizeof(*pols));
	if (!pols) {
		pthread_rwlock_unlock(&b->lock);
		free(pol);
		snprintf(why, whylen, "out of memory");
		return -ENOMEM;
	}
	pol->p = *p;
	pthread_mutex_init(&pol->hold_lock, NULL);
	pol->out = du_newest_out(b, p->reqid, pf_now_ms());
	b->pols = pols;
	b->pols[b->npols++] = pol;
	pthread_rwlock_unlock(&b->lock);
	if (!p->bypass)
		du_route_ref(b, p->remote.net, p->remote.mask);
	return 0;
}

static void du_policy_free(struct du_policy *pol)
{
	for (size_t i = 0; i < pol->nheld; i++)
		free(pol->held[i].pkt);
	pthread_mutex_destroy(&pol->hold_lock);
	free(pol);
}

static int du_del_policy(struct dp_backend *base, uint32_t reqid)
{
	struct du_backend *b = du_of(base);
	size_t i;
	pthread_rwlock_wrlock(&b->lock);
	struct du_policy *pol = du_policy_by_reqid(b, reqid, &i);
	if (pol) /* keeping the order: the first match wins, as in the crypto ACL */
		memmove(&b->pols[i], &b->pols[i + 1], (--b->npols - i) * sizeof(b->pols[0]));
	pthread_rwlock_unlock(&b->lock);
	if (!pol)
		return -ENOENT;
	if (!pol->p.bypass)
		du_route_unref(b, pol->p.remote.net, pol->p.remote.mask);
	du_policy_free(pol);
	return 0;
}

static int du_counters(struct dp_backend *base, enum dp_dir dir, uint32_t spi, struct dp_counters *out)
{
	struct du_backend *b = du_of(base);
	memset(out, 0, sizeof(*out));
	pthread_rwlock_rdlock(&b->lock);
	struct du_sa *s = du_sa_find(b, dir, spi);
	if (s) {
		out->packets = atomic_load(&s->packets);
		out->bytes = atomic_load(&s->bytes);
		out->errors = atomic_load(&s->errors);
		out->replay_failures = atomic_load(&s->replay_failures);
		out->prefrag = atomic_load(&s->prefrag);
		out->fragments = atomic_load(&s->fragments);
		out->last_used_ms = atomic_load(&s->last_used_ms);
		pthread_mutex_lock(&s->replay_lock);
		out->replay_window = s->replay.size;
		out->replay_bitmap = s->replay.bits[0];
		pthread_mutex_unlock(&s->replay_lock);
	}
	pthread_rwlock_unlock(&b->lock);
	return s ? 0 : -ENOENT;
}

static void du_set_events(struct dp_backend *base, const struct dp_events *ev)
{
	du_of(base)->events = *ev;
}

/* ---- start and stop ---- */

/* Classic BPF: accept the packet when the 32-bit word at [X + off] (X: the
 * IP header length) modulo n is k; for the UDP socket, only datagrams to
 * port 4500 that are not IKE (whose first four bytes are zero). */
static int du_attach_filter(int fd, bool udp, int n, int k)
{
	struct sock_filter code[16];
	unsigned i = 0;
	unsigned off = udp ? 8 : 0;
	code[i++] = (struct sock_filter)BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0);
	if (udp) {
		code[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2);
		code[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 4500, 0, 0); /* jf patched */
	}
	unsigned port_jump = i - 1;
	code[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_IND, off);
	unsigned marker_jump = i;
	if (udp)
		code[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 0); /* jt patched */
	if (n > 1) {
		code[i++] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, (unsigned)n);
		code[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)k, 0, 1);
	}
	code[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0xffff);
	unsigned drop = i;
	code[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0);
	if (udp) {
		code[port_jump].jf = (uint8_t)(drop - port_jump - 1);
		code[marker_jump].jt = (uint8_t)(drop - marker_jump - 1);
	}
	struct sock_fprog prog = { .len = (unsigned short)i, .filter = code };
	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
}

static int du_raw_socket(int proto)
{
	int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, proto);
	if (fd < 0)
		return -1;
	int size = 4 << 20;
	unsigned mark = DP_USER_MARK;
	/* FORCE: above the system's limit, as root; the plain call otherwise */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	if (setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A packet socket for sending only: protocol 0 puts it on no receive list,
 * so that it costs the host nothing per packet received. */
static int du_link_socket(void)
{
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	int size = 4 << 20;
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	return fd;
}

static void du_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void du_free(struct dp_backend *base)
{
	struct du_backend *b = du_of(base);
	uint64_t one = 1;
	if (b->stop_fd >= 0 && write(b->stop_fd, &one, sizeof(one)) < 0) {
		/* the workers may already be gone */
	}
	for (int i = 0; i < b->nworkers; i++) {
		struct du_worker *w = &b->workers[i];
		if (w->started)
			pthread_join(w->thread, NULL);
		du_close(&w->tun_fd);
		du_close(&w->esp_fd);
		du_close(&w->udp_fd);
		du_close(&w->send_fd);
		du_close(&w->link_fd);
		free(w->out);
		free(w->in);
		free(w->big);
	}
	if (b->activate)
		pf_timer_cancel(b->loop, b->activate);
	if (b->links)
		pf_timer_cancel(b->loop, b->links);
	if (b->event_fd >= 0 && b->loop)
		pf_loop_del_fd(b->loop, b->event_fd);
	du_close(&b->event_fd);
	du_close(&b->stop_fd);
	du_close(&b->ctl_send_fd);
	pf_rule_del(DU_PRIO_BYPASS, DU_RT_MAIN, DP_USER_MARK);
	pf_rule_del(DP_USER_TABLE, DP_USER_TABLE, 0);
	while (b->sas) {
		struct du_sa *s = b->sas;
		b->sas = s->next;
		du_sa_free(s);
	}
	for (size_t i = 0; i < b->npols; i++)
		du_policy_free(b->pols[i]);
	free(b->pols);
	free(b->routes); /* the routes went with the device */
	pthread_rwlock_destroy(&b->lock);
	pthread_mutex_destroy(&b->ev_lock);
	free(b);
}

struct dp_backend *dp_user_new(struct pf_loop *loop, const char *tun, int nworkers, char *why, size_t whylen)
{
	if (nworkers <= 0) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		nworkers = cpus > 1 ? (int)(cpus > DU_MAX_WORKERS ? DU_MAX_WORKERS : cpus - 1) : 1;
	}
	if (nworkers > DU_MAX_WORKERS)
		nworkers = DU_MAX_WORKERS;
	struct du_backend *b = calloc(1, sizeof(*b));
	if (!b) {
		snprintf(why, whylen, "out of memory");
		return NULL;
	}
	b->base = (struct dp_backend){ .name = "userspace", .counts_traffic = true, .ike_socket = du_ike_socket, .alloc_spi = du_alloc_spi,
				       .add_sa = du_add_sa, .del_sa = du_del_sa, .add_policy = du_add_policy,
				       .del_policy = du_del_policy, .counters = du_counters,
				       .set_events = du_set_events, .free = du_free };
	b->loop = loop;
	b->nworkers = nworkers;
	snprintf(b->base.detail, sizeof(b->base.detail), "ESP over the TUN device %s, %d worker thread%s", tun, nworkers,
		 nworkers == 1 ? "" : "s");
	snprintf(b->tun, sizeof(b->tun), "%s", tun);
	/* a waiting writer (the control thread changing SAs) goes before new
	 * readers: the workers read back to back and would starve it (no
	 * thread takes the read side twice, which this would deadlock) */
	pthread_rwlockattr_t attr;
	pthread_rwlockattr_init(&attr);
	pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&b->lock, &attr);
	pthread_rwlockattr_destroy(&attr);
	pthread_mutex_init(&b->ev_lock, NULL);
	b->stop_fd = b->event_fd = b->ctl_send_fd = -1;
	for (int i = 0; i < nworkers; i++) {
		struct du_worker *w = &b->workers[i];
		*w = (struct du_worker){ .b = b, .slot = i + 1, .tun_fd = -1, .esp_fd = -1, .udp_fd = -1, .send_fd = -1,
					 .link_fd = -1 };
	}
	int fds[DU_MAX_WORKERS];
	bool offload = true;
	int err = pf_tun_open(tun, fds, nworkers, &offload);
	b->vnet = err == 0;
	if (err < 0) {
		snprintf(why, whylen, "cannot create the TUN device %s: %s", tun, strerror(-err));
		du_free(&b->base);
		return NULL;
	}
	for (int i = 0; i < nworkers; i++)
		b->workers[i].tun_fd = fds[i];
	if ((err = pf_link_set_mtu(tun, DU_MTU)) < 0 || (err = pf_link_set_admin(tun, true)) < 0) {
		snprintf(why, whylen, "cannot bring %s up: %s", tun, pf_link_strerror(err));
		du_free(&b->base);
		return NULL;
	}
	/* rules left by a previous run that did not end cleanly go first */
	pf_rule_del(DU_PRIO_BYPASS, DU_RT_MAIN, DP_USER_MARK);
	pf_rule_del(DP_USER_TABLE, DP_USER_TABLE, 0);
	if ((err = pf_rule_add(DU_PRIO_BYPASS, DU_RT_MAIN, DP_USER_MARK)) < 0 ||
	    (err = pf_rule_add(DP_USER_TABLE, DP_USER_TABLE, 0)) < 0) {
		snprintf(why, whylen, "cannot add the routing rules: %s", pf_link_strerror(err));
		du_free(&b->base);
		return NULL;
	}
	for (int i = 0; i < nworkers; i++) {
		struct du_worker *w = &b->workers[i];
		w->esp_fd = du_raw_socket(IPPROTO_ESP);
		w->udp_fd = du_raw_socket(IPPROTO_UDP);
		w->send_fd = du_raw_socket(IPPROTO_RAW);
		w->link_fd = du_link_socket();
		w->out = malloc(DU_OUT_BUFS * sizeof(*w->out));
		w->in = malloc(DU_BATCH * sizeof(*w->in));
		w->big = malloc(DU_BIG);
		if (w->esp_fd < 0 || w->udp_fd < 0 || w->send_fd < 0 || w->link_fd < 0 || !w->out || !w->in || !w->big ||
		    du_attach_filter(w->esp_fd, false, nworkers, i) < 0 || du_attach_filter(w->udp_fd, true, nworkers, i) < 0) {
			snprintf(why, whylen, "cannot open the ESP sockets: %s", strerror(errno));
			du_free(&b->base);
			return NULL;
		}
	}
	b->ctl_send_fd = du_raw_socket(IPPROTO_RAW);
	b->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	b->event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (b->ctl_send_fd < 0 || b->stop_fd < 0 || b->event_fd < 0 ||
	    pf_loop_add_fd(loop, b->event_fd, PF_LOOP_READ, du_events_ready, b) < 0) {
		snprintf(why, whylen, "cannot set up the dataplane: %s", strerror(errno));
		du_free(&b->base);
		return NULL;
	}
	pf_sysctl_set("net/ipv4/ip_forward", 1); /* the appliance routes between its interfaces and the tunnel */
	b->links = pf_timer_add(loop, 1000, du_links_tick, b);
	for (int i = 0; i < nworkers; i++) {
		struct du_worker *w = &b->workers[i];
		if (pthread_create(&w->thread, NULL, du_worker_main, w) != 0) {
			snprintf(why, whylen, "cannot start the dataplane threads");
			du_free(&b->base);
			return NULL;
		}
		w->started = true;
	}
	return &b->base;
}
