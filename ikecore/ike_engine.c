/*
 * ike_engine.c -- the IKEv1 engine's core: the UDP sockets, the table of
 * phase 1 SAs (struct ike_peer), Main Mode driven message by message with
 * retransmission and duplicate replay, Informational exchanges (Delete, DPD)
 * and the public calls the CLI makes. Quick Mode and the IPsec SA pairs are
 * in ike_engine_qm.c; what the engine prints is in ike_trace.c.
 *
 * Received messages go through one gate, eng_receive(): the datagram must
 * parse, must be addressed to an interface IKE listens on, and must belong to
 * a known SA or be a valid first message; anything else is counted and
 * dropped. Nothing a peer sends before phase 1 is authenticated can delete
 * or change an established SA.
 */
#include "ikecore/ike_engine_int.h"

#include <errno.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "platform/pf_loop.h"

#define ENG_RETRIES 5           /* then the exchange has failed */
#define ENG_FIRST_RETRY_MS 2000 /* doubled after each */
#define ENG_REAP_MS 60000       /* how long a failed SA stays visible */
#define ENG_HALF_OPEN_PER_PEER 4
#define ENG_HALF_OPEN_TOTAL 64

/* ---- small things ---- */

uint32_t eng_random_msgid(void)
{
	uint8_t b[4];
	uint32_t id = 0;
	while (id == 0) {
		if (RAND_bytes(b, 4) != 1)
			return 0x5eed1e55u; /* no randomness: any non-zero M-ID still works */
		id = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	}
	return id;
}

static int eng_psk(void *ctx, uint32_t peer, uint8_t *out, size_t outlen)
{
	struct ike_engine *e = ctx;
	return ike_config_psk(e->store, peer, out, outlen);
}

/* ---- sockets ---- */

static void eng_readable(void *arg, int fd, unsigned events);

/* The dataplane sets the socket up before it is bound (what it takes from
 * the port, and how the kernel's policies treat it): see dp.h. */
static int eng_open_socket(struct ike_engine *e, uint16_t port, char *why, size_t whylen)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		return -1;
	}
	int one = 1;
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one)) < 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	if (e->dp && e->dp->ike_socket && e->dp->ike_socket(e->dp, fd, port, why, whylen) < 0) {
		close(fd);
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static void eng_close_sockets(struct ike_engine *e)
{
	for (int i = 0; i < 2; i++)
		if (e->fd[i] >= 0) {
			pf_loop_del_fd(e->loop, e->fd[i]);
			close(e->fd[i]);
			e->fd[i] = -1;
		}
}

/* Listen while some interface has IKE enabled. */
static void eng_listen(struct ike_engine *e)
{
	if (e->cfg.nifaces == 0) {
		eng_close_sockets(e);
		return;
	}
	static const uint16_t ports[2] = { IKE_PORT, IKE_NATT_PORT };
	for (int i = 0; i < 2; i++) {
		if (e->fd[i] >= 0)
			continue;
		char why[200];
		int fd = eng_open_socket(e, ports[i], why, sizeof(why));
		if (fd < 0) {
			if (!e->listen_failed_logged)
				trace_log(e, 3, e->dialect == IKE_DIALECT_IOS
							? "%%CRYPTO-3-IKMP_SOCKET: cannot listen on UDP port %u: %s"
							: "%%ASA-3-713902: cannot listen on UDP port %u: %s",
					  ports[i], why);
			e->listen_failed_logged = true;
			continue;
		}
		if (pf_loop_add_fd(e->loop, fd, PF_LOOP_READ, eng_readable, e) < 0) {
			close(fd);
			continue;
		}
		e->fd[i] = fd;
	}
}

int eng_send(struct ike_engine *e, struct ike_peer *p, const uint8_t *msg, size_t len)
{
	bool natt = p->local_port == IKE_NATT_PORT;
	int fd = e->fd[natt ? 1 : 0];
	if (fd < 0)
		return -1;
	uint8_t buf[IKE_MAX_MSG + 4];
	size_t off = 0;
	if (natt) {
		memset(buf, 0, 4); /* the non-ESP marker (RFC 3948 2.2) */
		off = 4;
	}
	if (len > sizeof(buf) - off)
		return -1;
	memcpy(buf + off, msg, len);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(p->peer_port),
				  .sin_addr.s_addr = htonl(p->peer) };
	struct iovec iov = { buf, len + off };
	union {
		char buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
		struct cmsghdr align;
	} ctl;
	memset(&ctl, 0, sizeof(ctl));
	struct msghdr mh = { .msg_name = &to, .msg_namelen = sizeof(to), .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = IPPROTO_IP;
	cm->cmsg_type = IP_PKTINFO;
	cm->cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo));
	struct in_pktinfo pi = { .ipi_spec_dst.s_addr = htonl(p->local) };
	memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	trace_packet(e, p, true, msg, len);
	if (sendmsg(fd, &mh, 0) < 0)
		return -1;
	e->stats.tx++;
	p->tx++;
	return 0;
}

/* ---- peers ---- */

static void eng_timer_cancel(struct ike_engine *e, struct pf_timer **t)
{
	if (*t) {
		pf_timer_cancel(e->loop, *t);
		*t = NULL;
	}
}

static void eng_peer_free(struct ike_peer *p)
{
	struct ike_engine *e = p->engine;
	for (struct ike_peer **pp = &e->peers; *pp; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	eng_timer_cancel(e, &p->retransmit);
	eng_timer_cancel(e, &p->expire);
	eng_timer_cancel(e, &p->dpd);
	eng_timer_cancel(e, &p->reap);
	eng_timer_cancel(e, &p->rekey);
	eng_timer_cancel(e, &p->nat_keepalive);
	eng_qm_free_all(p);
	ike_p1_free(&p->sa);
	free(p->policies);
	free(p->last_reply);
	free(p);
}

static void eng_reap(void *arg)
{
	struct ike_peer *p = arg;
	p->reap = NULL;
	eng_peer_free(p);
}

/* A failed or deleted SA stays in the table, in the state it reached, long
 * enough for an engineer to see it; then it goes. */
static void eng_peer_bury(struct ike_peer *p, uint64_t after_ms)
{
	struct ike_engine *e = p->engine;
	p->dead = true;
	p->npending = 0;
	eng_timer_cancel(e, &p->retransmit);
	eng_timer_cancel(e, &p->expire);
	eng_timer_cancel(e, &p->dpd);
	eng_timer_cancel(e, &p->rekey);
	eng_timer_cancel(e, &p->nat_keepalive);
	eng_qm_free_all(p);
	eng_timer_cancel(e, &p->reap);
	p->reap = pf_timer_add(e->loop, after_ms, eng_reap, p);
	if (!p->reap)
		eng_peer_free(p);
}

void eng_peer_fail(struct ike_peer *p, const char *reason)
{
	if (p->dead)
		return;
	snprintf(p->reason, sizeof(p->reason), "%s", reason);
	p->engine->stats.p1_failed++;
	trace_p1_failed(p->engine, p);
	eng_peer_bury(p, ENG_REAP_MS);
}

void eng_peer_delete(struct ike_peer *p, bool tell_peer, const char *why)
{
	struct ike_engine *e = p->engine;
	if (p->dead)
		return;
	if (tell_peer && p->sa.state == IKE_P1_COMPLETE) {
		struct ike_buf b;
		if (ike_info_delete(&p->sa, eng_random_msgid(), IKE_PROTO_ISAKMP_ID, NULL, 0, &b) == 0)
			eng_send(e, p, b.p, b.len);
		ike_buf_free(&b);
	}
	snprintf(p->reason, sizeof(p->reason), "%s", why);
	trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "deleting SA reason \"%s\" state (%s) %s (peer %u.%u.%u.%u)", why,
		    p->initiator ? "I" : "R", ike_state_ios(p->sa.state), p->peer >> 24, (p->peer >> 16) & 255,
		    (p->peer >> 8) & 255, p->peer & 255);
	/* gone at once from the tables, as `clear` makes it */
	eng_peer_bury(p, 0);
}

struct ike_peer *eng_peer_for(struct ike_engine *e, uint32_t peer_addr)
{
	struct ike_peer *best = NULL;
	for (struct ike_peer *p = e->peers; p; p = p->next) {
		if (p->dead || p->peer != peer_addr)
			continue;
		if (p->sa.state == IKE_P1_COMPLETE)
			return p;
		if (!best)
			best = p;
	}
	return best;
}

static struct ike_peer *eng_peer_by_cookies(struct ike_engine *e, const struct ike_hdr *h)
{
	static const uint8_t zero[8];
	for (struct ike_peer *p = e->peers; p; p = p->next) {
		if (memcmp(p->sa.cky_i, h->icookie, 8) != 0)
			continue;
		if (memcmp(p->sa.cky_r, h->rcookie, 8) == 0 || memcmp(h->rcookie, zero, 8) == 0 ||
		    memcmp(p->sa.cky_r, zero, 8) == 0)
			return p;
	}
	return NULL;
}

static struct ike_peer *eng_peer_new(struct ike_engine *e, uint32_t local, uint32_t peer, uint16_t lport,
				     uint16_t pport, bool initiator)
{
	struct ike_peer *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->policies = malloc((e->cfg.npolicies ? e->cfg.npolicies : 1) * sizeof(*p->policies));
	if (!p->policies) {
		free(p);
		return NULL;
	}
	if (e->cfg.npolicies)
		memcpy(p->policies, e->cfg.policies, e->cfg.npolicies * sizeof(*p->policies));
	p->engine = e;
	p->conn_id = e->next_conn_id++;
	p->local = local;
	p->peer = peer;
	p->local_port = lport;
	p->peer_port = pport;
	p->initiator = initiator;
	p->created_ms = pf_now_ms();
	p->last_rx_ms = p->created_ms;
	for (size_t i = 0; i < e->cfg.nifaces; i++)
		if (e->cfg.ifaces[i].addr == local)
			snprintf(p->iface, sizeof(p->iface), "%s", e->cfg.ifaces[i].name);
	ike_config_dpd(e->store, e->dialect, peer, &p->dpd_interval, &p->dpd_retry);
	p->next = e->peers;
	e->peers = p;
	return p;
}

static struct ike_p1_config eng_p1_config(struct ike_peer *p)
{
	struct ike_engine *e = p->engine;
	return (struct ike_p1_config){ .policies = p->policies, .npolicies = e->cfg.npolicies, .local_addr = p->local,
				       .peer_addr = p->peer, .local_port = p->local_port,
				       .peer_port = p->peer_port, .no_natt = !e->cfg.natt, .psk_for = eng_psk,
				       .ctx = e };
}

/* ---- retransmission ---- */

static void eng_retransmit(void *arg);

static void eng_arm_retransmit(struct ike_peer *p, bool reset)
{
	struct ike_engine *e = p->engine;
	eng_timer_cancel(e, &p->retransmit);
	if (reset)
		p->retries = 0;
	p->retransmit = pf_timer_add(e->loop, (uint64_t)ENG_FIRST_RETRY_MS << p->retries, eng_retransmit, p);
}

static void eng_retransmit(void *arg)
{
	struct ike_peer *p = arg;
	struct ike_engine *e = p->engine;
	p->retransmit = NULL;
	if (p->sa.state == IKE_P1_COMPLETE || p->dead || !p->sa.last_sent)
		return;
	if (p->retries >= ENG_RETRIES) {
		char why[256];
		snprintf(why, sizeof(why), "no answer from the peer: message %s retransmitted %d times",
			 ike_state_name(p->sa.state), ENG_RETRIES);
		eng_peer_fail(p, why);
		return;
	}
	p->retries++;
	e->stats.retransmits++;
	if (e->dialect == IKE_DIALECT_IOS)
		trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "retransmitting phase 1 %s...", ike_state_ios(p->sa.state));
	else
		trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "IKE_DECODE RESENDING Message (msgid=0), %s",
			    ike_state_asa(p->sa.state));
	eng_send(e, p, p->sa.last_sent, p->sa.last_sent_len);
	eng_arm_retransmit(p, false);
}

/* ---- phase 1 ---- */

static void eng_p1_expired(void *arg)
{
	struct ike_peer *p = arg;
	p->expire = NULL;
	eng_peer_delete(p, true, "phase 1 lifetime expired");
}

static void eng_dpd_tick(void *arg);

/* The initiator renews phase 1 before it expires (at 95% of its life, as the
 * ASA's "P1 rekey timer"); the new SA replaces the old once it completes. */
static void eng_p1_rekey(void *arg)
{
	struct ike_peer *p = arg;
	struct ike_engine *e = p->engine;
	p->rekey = NULL;
	if (p->dead || p->sa.state != IKE_P1_COMPLETE)
		return;
	for (size_t i = 0; i < e->cfg.nentries; i++) {
		const struct ike_map_entry *en = &e->cfg.entries[i];
		if (en->dynamic || en->answer_only || en->problems[0] || !en->npeers || en->peers[0] != p->peer)
			continue;
		trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "phase 1 lifetime nearly over: rekeying");
		p->rekeying = true;
		eng_peer_start(e, en, p->peer);
		return;
	}
}

static void eng_dpd_arm(struct ike_peer *p, uint32_t seconds)
{
	struct ike_engine *e = p->engine;
	eng_timer_cancel(e, &p->dpd);
	if (p->dpd_interval && p->sa.peer_vendor.dpd)
		p->dpd = pf_timer_add(e->loop, (uint64_t)seconds * 1000, eng_dpd_tick, p);
}

/* On-demand DPD as both devices do it: nothing heard for the interval, ask
 * R-U-THERE; no answer after the retries, the peer is dead. */
static void eng_dpd_tick(void *arg)
{
	struct ike_peer *p = arg;
	struct ike_engine *e = p->engine;
	p->dpd = NULL;
	uint64_t idle = pf_now_ms() - p->last_rx_ms;
	if (p->dpd_missed == 0 && idle < (uint64_t)p->dpd_interval * 1000) {
		eng_dpd_arm(p, p->dpd_interval - (uint32_t)(idle / 1000));
		return;
	}
	if (p->dpd_missed > 3) {
		e->stats.dpd_dead++;
		trace_log(e, 4, e->dialect == IKE_DIALECT_IOS
					? "%%CRYPTO-4-IKMP_PEER_DEAD: peer %u.%u.%u.%u is not answering DPD; deleting its SAs"
					: "%%ASA-4-713123: IP = %u.%u.%u.%u, IKE lost contact with remote peer, deleting connection (keepalive type: DPD)",
			  p->peer >> 24, (p->peer >> 16) & 255, (p->peer >> 8) & 255, p->peer & 255);
		uint32_t peer = p->peer;
		snprintf(p->reason, sizeof(p->reason), "peer dead: %d R-U-THERE messages went unanswered", p->dpd_missed);
		eng_peer_delete(p, false, "peer dead (DPD)");
		for (struct ike_child *c = e->children, *next; c; c = next) {
			next = c->next;
			if (c->peer_addr == peer)
				eng_child_delete(e, c, false, "peer dead (DPD)");
		}
		return;
	}
	struct ike_buf b;
	if (ike_info_notify(&p->sa, eng_random_msgid(), IKE_N_DPD_R_U_THERE, ++p->dpd_seq, &b) == 0) {
		trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "DPD/R_U_THERE sent, sequence %u", p->dpd_seq);
		eng_send(e, p, b.p, b.len);
		e->stats.dpd_sent++;
	}
	ike_buf_free(&b);
	p->dpd_missed++;
	eng_dpd_arm(p, p->dpd_retry ? p->dpd_retry : 2);
}

/* NAT keepalives (RFC 3948 2.3): behind a NAT, a one-byte 0xFF datagram to
 * the peer's port 4500 every `crypto isakmp nat-traversal N` seconds keeps
 * the translation open while the tunnel is quiet. */
static void eng_nat_keepalive(void *arg)
{
	struct ike_peer *p = arg;
	struct ike_engine *e = p->engine;
	p->nat_keepalive = NULL;
	if (p->dead || e->fd[1] < 0 || !e->cfg.nat_keepalive)
		return;
	static const uint8_t ka = 0xff;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(p->peer_port),
				  .sin_addr.s_addr = htonl(p->peer) };
	if (sendto(e->fd[1], &ka, 1, 0, (struct sockaddr *)&to, sizeof(to)) == 1)
		e->stats.nat_keepalives++;
	p->nat_keepalive = pf_timer_add(e->loop, (uint64_t)e->cfg.nat_keepalive * 1000, eng_nat_keepalive, p);
}

static void eng_p1_complete(struct ike_peer *p)
{
	struct ike_engine *e = p->engine;
	eng_timer_cancel(e, &p->retransmit);
	p->established_ms = pf_now_ms();
	e->stats.p1_ok++;
	trace_p1_done(e, p);
	if (p->sa.params.lifetime) {
		p->expire = pf_timer_add(e->loop, (uint64_t)p->sa.params.lifetime * 1000, eng_p1_expired, p);
		if (p->initiator)
			p->rekey = pf_timer_add(e->loop, (uint64_t)p->sa.params.lifetime * 950, eng_p1_rekey, p);
	}
	eng_dpd_arm(p, p->dpd_interval);
	eng_timer_cancel(e, &p->nat_keepalive);
	if (p->sa.nat_local && p->local_port == IKE_NATT_PORT && e->cfg.nat_keepalive)
		p->nat_keepalive = pf_timer_add(e->loop, (uint64_t)e->cfg.nat_keepalive * 1000, eng_nat_keepalive, p);
	/* nothing left of an earlier life with this peer: say so (INITIAL-CONTACT),
	 * so that a peer holding SAs from before our restart drops them */
	bool known = false;
	for (struct ike_child *c = e->children; c; c = c->next)
		known |= c->peer_addr == p->peer;
	for (struct ike_peer *o = e->peers; o; o = o->next)
		known |= o != p && o->peer == p->peer && o->sa.state == IKE_P1_COMPLETE;
	if (!known && p->initiator) {
		struct ike_buf b;
		if (ike_info_notify(&p->sa, eng_random_msgid(), IKE_N_INITIAL_CONTACT, 0, &b) == 0)
			eng_send(e, p, b.p, b.len);
		ike_buf_free(&b);
	}
	/* an older phase 1 with the same peer gives way to this one */
	for (struct ike_peer *o = e->peers; o; o = o->next)
		if (o != p && !o->dead && o->peer == p->peer && o->sa.state == IKE_P1_COMPLETE)
			eng_peer_delete(o, true, "replaced by a newer phase 1 SA");
	int n = p->npending;
	p->npending = 0;
	for (int i = 0; i < n; i++)
		eng_qm_start(p, p->pending_entry[i], p->pending_line[i]);
}

void eng_keep_reply(struct ike_peer *p, const struct ike_buf *out)
{
	free(p->last_reply);
	p->last_reply = malloc(out->len);
	p->last_reply_len = p->last_reply ? out->len : 0;
	if (p->last_reply)
		memcpy(p->last_reply, out->p, out->len);
}

/* The answer to a Main Mode message, or the failure it caused. */
static void eng_main_mode(struct ike_peer *p, const uint8_t *msg, size_t len)
{
	struct ike_engine *e = p->engine;
	enum ike_p1_state before = p->sa.state;
	struct ike_buf out;
	ike_buf_init(&out);
	int rc = ike_p1_receive(&p->sa, msg, len, &out);
	if (rc < 0) {
		ike_buf_free(&out);
		eng_peer_fail(p, p->sa.reason);
		return;
	}
	/* NAT seen after messages 3 and 4: from message 5 on, IKE runs on 4500 */
	if (ike_p1_nat_detected(&p->sa) && p->local_port != IKE_NATT_PORT && p->initiator &&
	    (before == IKE_I_MM3 || before == IKE_I_AM1)) {
		p->local_port = IKE_NATT_PORT;
		p->peer_port = IKE_NATT_PORT;
		trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "NAT found, %s; floating to port %u",
			    p->sa.nat_local ? "we are behind a NAT" : "the peer is behind a NAT", IKE_NATT_PORT);
	}
	trace_state(e, p, before, p->sa.state);
	if (rc == 1) {
		eng_send(e, p, out.p, out.len);
		eng_keep_reply(p, &out);
	}
	ike_buf_free(&out);
	if (p->sa.state == IKE_P1_COMPLETE)
		eng_p1_complete(p);
	else
		eng_arm_retransmit(p, true);
}

/* Half-open SAs: at most a few per peer address and some in all. */
static bool eng_half_open_ok(struct ike_engine *e, uint32_t peer)
{
	int total = 0, this_peer = 0;
	for (struct ike_peer *p = e->peers; p; p = p->next)
		if (!p->dead && p->sa.state != IKE_P1_COMPLETE) {
			total++;
			if (p->peer == peer)
				this_peer++;
		}
	return total < ENG_HALF_OPEN_TOTAL && this_peer < ENG_HALF_OPEN_PER_PEER;
}

static void eng_main_mode_respond(struct ike_engine *e, const struct ike_msg *m, uint32_t local, uint32_t peer,
				  uint16_t lport, uint16_t pport)
{
	if (!eng_half_open_ok(e, peer)) {
		e->stats.dropped_half_open++;
		trace_debug(e, IKE_DEBUG_ISAKMP, 1, NULL, "too many half-open SAs; dropping a new Main Mode from %u.%u.%u.%u",
			    peer >> 24, (peer >> 16) & 255, (peer >> 8) & 255, peer & 255);
		return;
	}
	/* a failed attempt of this peer makes room for the new one */
	for (struct ike_peer *o = e->peers, *next; o; o = next) {
		next = o->next;
		if (o->dead && o->peer == peer)
			eng_peer_free(o);
	}
	struct ike_peer *p = eng_peer_new(e, local, peer, lport, pport, false);
	if (!p)
		return;
	p->rx++;
	trace_packet(e, p, false, m->raw, m->rawlen);
	uint8_t key[256];
	if (ike_config_psk(e->store, peer, key, sizeof(key)) < 0) {
		/* checked again when the keys are made; said here as the devices say it */
		trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "%s",
			    e->dialect == IKE_DIALECT_IOS ? "No pre-shared key with this peer!"
							  : "Can't find a valid tunnel group, aborting...!");
	}
	OPENSSL_cleanse(key, sizeof(key));
	struct ike_p1_config cfg = eng_p1_config(p);
	struct ike_buf out;
	ike_buf_init(&out);
	int rc = ike_p1_respond(&p->sa, &cfg, m, &out);
	trace_state(e, p, IKE_READY, rc < 0 ? IKE_READY : p->sa.state);
	if (rc < 0) {
		ike_buf_free(&out);
		eng_peer_fail(p, p->sa.reason);
		return;
	}
	SHA1(m->raw, m->rawlen, p->last_rx_hash);
	eng_send(e, p, out.p, out.len);
	eng_keep_reply(p, &out);
	ike_buf_free(&out);
	eng_arm_retransmit(p, true);
}

struct ike_peer *eng_peer_start(struct ike_engine *e, const struct ike_map_entry *entry, uint32_t peer_addr)
{
	struct ike_peer *p = eng_peer_new(e, entry->local_addr, peer_addr, IKE_PORT, IKE_PORT, true);
	if (!p)
		return NULL;
	snprintf(p->iface, sizeof(p->iface), "%s", entry->iface);
	struct ike_p1_config cfg = eng_p1_config(p);
	struct ike_buf out;
	ike_buf_init(&out);
	if (e->dialect == IKE_DIALECT_IOS)
		trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, " beginning %s Mode exchange", entry->aggressive ? "Aggressive" : "Main");
	else
		trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "IKE Initiator: New Phase 1, Intf %s, IKE Peer %u.%u.%u.%u, Crypto map (%s)",
			    entry->iface, peer_addr >> 24, (peer_addr >> 16) & 255, (peer_addr >> 8) & 255, peer_addr & 255,
			    entry->map);
	int rc = entry->aggressive ? ike_p1_initiate_aggressive(&p->sa, &cfg, entry->aggressive_group, &out)
				   : ike_p1_initiate(&p->sa, &cfg, &out);
	trace_state(e, p, IKE_READY, rc < 0 ? IKE_READY : p->sa.state);
	if (rc < 0) {
		ike_buf_free(&out);
		eng_peer_fail(p, p->sa.reason);
		return p;
	}
	eng_send(e, p, out.p, out.len);
	ike_buf_free(&out);
	eng_arm_retransmit(p, true);
	return p;
}

/* ---- Informational ---- */

static void eng_info(struct ike_peer *p, const uint8_t *msg, size_t len)
{
	struct ike_engine *e = p->engine;
	struct ike_info in;
	char why[160];
	if (p->sa.state != IKE_P1_COMPLETE || ike_info_open(&p->sa, msg, len, &in, why, sizeof(why)) < 0) {
		if (p->sa.state != IKE_P1_COMPLETE)
			snprintf(why, sizeof(why), "Informational message before phase 1 completed");
		e->stats.dropped_unauthenticated++;
		trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "%s, dropping", why);
		return;
	}
	if (in.is_delete && in.protocol == IKE_PROTO_ISAKMP_ID) {
		trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "processing delete with reason/ISAKMP SA");
		p->deleted_by_peer = true;
		eng_peer_delete(p, false, "deleted by the peer");
		return;
	}
	if (in.is_delete) {
		for (size_t i = 0; i < in.nspis; i++)
			for (struct ike_child *c = e->children, *next; c; c = next) {
				next = c->next;
				if (c->peer_addr == p->peer && c->spi_out == in.spis[i]) {
					trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "processing delete for SPI 0x%08X", in.spis[i]);
					eng_child_delete(e, c, false, "deleted by the peer");
				}
			}
		return;
	}
	if (in.notify == IKE_N_DPD_R_U_THERE) {
		struct ike_buf b;
		trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "DPD/R_U_THERE received from peer, sequence 0x%X", in.dpd_seq);
		if (ike_info_notify(&p->sa, eng_random_msgid(), IKE_N_DPD_R_U_THERE_ACK, in.dpd_seq, &b) == 0)
			eng_send(e, p, b.p, b.len);
		ike_buf_free(&b);
	} else if (in.notify == IKE_N_DPD_R_U_THERE_ACK) {
		trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "DPD/R_U_THERE_ACK received, sequence 0x%X", in.dpd_seq);
		if (in.dpd_seq == p->dpd_seq) {
			p->dpd_missed = 0;
			e->stats.dpd_acked++;
			eng_dpd_arm(p, p->dpd_interval);
		}
	} else if (in.notify == IKE_N_INITIAL_CONTACT) {
		/* the peer starts afresh: whatever we hold from before is stale */
		trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "received INITIAL-CONTACT: deleting the older SAs of this peer");
		for (struct ike_child *c = e->children, *next; c; c = next) {
			next = c->next;
			if (c->peer_addr == p->peer && c->created_ms < p->established_ms)
				eng_child_delete(e, c, false, "the peer sent INITIAL-CONTACT");
		}
		for (struct ike_peer *o = e->peers; o; o = o->next)
			if (o != p && !o->dead && o->peer == p->peer)
				eng_peer_delete(o, false, "the peer sent INITIAL-CONTACT");
	} else {
		trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "received notify %s (%u)", ike_notify_name(in.notify), in.notify);
	}
}

/* ---- receiving ---- */

static bool eng_listening_on(const struct ike_engine *e, uint32_t local)
{
	for (size_t i = 0; i < e->cfg.nifaces; i++)
		if (e->cfg.ifaces[i].addr == local)
			return true;
	return false;
}

static void eng_drop(struct ike_engine *e, uint64_t *counter, uint32_t peer, const char *why)
{
	(*counter)++;
	trace_debug(e, IKE_DEBUG_ISAKMP, 2, NULL, "%s from %u.%u.%u.%u, dropping", why, peer >> 24, (peer >> 16) & 255,
		    (peer >> 8) & 255, peer & 255);
}

static void eng_receive(struct ike_engine *e, const uint8_t *buf, size_t len, uint32_t local, uint16_t lport,
			uint32_t peer, uint16_t pport)
{
	e->stats.rx++;
	if (!eng_listening_on(e, local)) {
		eng_drop(e, &e->stats.dropped_not_listening, peer, "No crypto map bound to interface...");
		return;
	}
	struct ike_msg m;
	char why[160];
	if (ike_msg_parse(buf, len, &m, why, sizeof(why)) < 0) {
		snprintf(why + strlen(why), sizeof(why) - strlen(why), " (malformed ISAKMP message)");
		eng_drop(e, &e->stats.dropped_malformed, peer, why);
		return;
	}
	if ((m.hdr.version >> 4) != 1) {
		eng_drop(e, &e->stats.dropped_other, peer, "not an IKEv1 message");
		return;
	}
	struct ike_peer *p = eng_peer_by_cookies(e, &m.hdr);
	if (!p) {
		static const uint8_t zero[8];
		if (m.hdr.exchange == IKE_XCHG_MAIN && memcmp(m.hdr.rcookie, zero, 8) == 0 && m.hdr.msgid == 0 &&
		    !(m.hdr.flags & IKE_FLAG_ENCRYPTED))
			eng_main_mode_respond(e, &m, local, peer, lport, pport);
		else if (m.hdr.exchange == IKE_XCHG_AGGRESSIVE && memcmp(m.hdr.rcookie, zero, 8) == 0 &&
			 m.hdr.msgid == 0 && !(m.hdr.flags & IKE_FLAG_ENCRYPTED)) {
			if (e->cfg.am_disable)
				eng_drop(e, &e->stats.dropped_other, peer, "Aggressive Mode is disabled (am-disable)");
			else
				eng_main_mode_respond(e, &m, local, peer, lport, pport);
		}
		else
			eng_drop(e, &e->stats.dropped_no_sa, peer, "IKE message has no SA and is not an initialization offer");
		return;
	}
	if (p->dead || p->peer != peer) {
		eng_drop(e, &e->stats.dropped_no_sa, peer, "message for a deleted SA");
		return;
	}
	p->rx++;
	p->last_rx_ms = pf_now_ms();
	p->dpd_missed = 0;
	if (lport == IKE_NATT_PORT && p->local_port != IKE_NATT_PORT) {
		p->local_port = IKE_NATT_PORT; /* the peer floated: answer where it sends from */
		p->peer_port = pport;
	} else if (lport == IKE_NATT_PORT) {
		p->peer_port = pport;   /* a NAT may have changed its mapping */
	}
	trace_packet(e, p, false, buf, len);
	/* a retransmitted request gets our answer again, unprocessed */
	uint8_t h[20];
	SHA1(buf, len, h);
	if (p->last_reply && memcmp(h, p->last_rx_hash, sizeof(h)) == 0) {
		e->stats.duplicates++;
		trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "%s",
			    e->dialect == IKE_DIALECT_IOS ? "retransmission detected: resending the last reply"
							  : "Duplicate Phase packet detected.  Retransmitting last packet.");
		eng_send(e, p, p->last_reply, p->last_reply_len);
		return;
	}
	memcpy(p->last_rx_hash, h, sizeof(h));
	switch (m.hdr.exchange) {
	case IKE_XCHG_MAIN:
	case IKE_XCHG_AGGRESSIVE:
		if (p->sa.state == IKE_P1_COMPLETE) {
			eng_drop(e, &e->stats.dropped_other, peer, "phase 1 message for a completed SA");
			return;
		}
		eng_main_mode(p, buf, len);
		break;
	case IKE_XCHG_QUICK:
		eng_qm_receive(p, buf, len);
		break;
	case IKE_XCHG_INFO:
		eng_info(p, buf, len);
		break;
	default:
		eng_drop(e, &e->stats.dropped_other, peer, "unexpected exchange type");
	}
}

static void eng_readable(void *arg, int fd, unsigned events)
{
	(void)events;
	struct ike_engine *e = arg;
	uint16_t lport = fd == e->fd[1] ? IKE_NATT_PORT : IKE_PORT;
	for (int n = 0; n < 64; n++) {
		uint8_t buf[IKE_MAX_MSG + 4];
		struct sockaddr_in from;
		union {
			char buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
			struct cmsghdr align;
		} ctl;
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr mh = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov, .msg_iovlen = 1,
				     .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf) };
		ssize_t got = recvmsg(fd, &mh, 0);
		if (got < 0)
			return;
		uint32_t local = 0;
		for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
			if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO) {
				struct in_pktinfo pi;
				memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
				local = ntohl(pi.ipi_addr.s_addr);
			}
		uint32_t peer = ntohl(from.sin_addr.s_addr);
		const uint8_t *msg = buf;
		size_t len = (size_t)got;
		if (lport == IKE_NATT_PORT) {
			if (len == 1 && buf[0] == 0xff)
				continue; /* a NAT keepalive */
			if (len < 4 || memcmp(buf, "\0\0\0\0", 4) != 0) {
				/* ESP in UDP: the dataplane's, when it takes it */
				e->stats.dropped_other++;
				continue;
			}
			msg += 4;
			len -= 4;
		}
		eng_receive(e, msg, len, local, lport, peer, ntohs(from.sin_port));
	}
}

/* ---- the public calls ---- */

/* Events from the dataplane: interesting traffic and expiring SAs. */
static void eng_dp_acquire(void *ctx, uint32_t reqid, uint32_t src, uint32_t dst, uint8_t protocol)
{
	(void)reqid;
	struct ike_engine *e = ctx;
	char why[256];
	if (ike_engine_trigger(e, src, dst, protocol, why, sizeof(why)) < 0)
		trace_debug(e, IKE_DEBUG_IPSEC, 1, NULL, "no tunnel for %u.%u.%u.%u -> %u.%u.%u.%u: %s", src >> 24,
			    (src >> 16) & 255, (src >> 8) & 255, src & 255, dst >> 24, (dst >> 16) & 255, (dst >> 8) & 255,
			    dst & 255, why);
}

static void eng_dp_expire(void *ctx, uint32_t spi, enum dp_dir dir, bool hard)
{
	eng_child_expired(ctx, spi, dir, hard);
}

/* Dropped ESP, in the words of each device's syslog. */
static void eng_dp_drop(void *ctx, enum dp_drop why, uint32_t spi, uint32_t seq, uint32_t src, uint32_t dst)
{
	struct ike_engine *e = ctx;
	char s[16], d[16];
	trace_addr(src, s, sizeof(s));
	trace_addr(dst, d, sizeof(d));
	if (e->dialect == IKE_DIALECT_ASA) {
		static const char *const what[] = { [DP_DROP_REPLAY] = "that failed anti-replay checking",
						    [DP_DROP_AUTH] = "that failed authentication" };
		if (why == DP_DROP_BAD_SPI)
			trace_log(e, 4, "%%ASA-4-402114: IPSEC: Received an ESP packet (SPI= 0x%08X, sequence number= 0x%X) "
				  "from %s to %s with an invalid SPI.", spi, seq, s, d);
		else
			trace_log(e, 4, "%%ASA-4-%s: IPSEC: Received an ESP packet (SPI= 0x%08X, sequence number= 0x%X) "
				  "from %s (user= %s) to %s %s.", why == DP_DROP_REPLAY ? "402119" : "402120", spi, seq, s,
				  s, d, what[why]);
		return;
	}
	/* IOS names the SA by the connection id `show crypto ipsec sa` prints */
	unsigned conn = 0;
	for (const struct ike_child *c = e->children; c; c = c->next)
		if (c->spi_in == spi)
			conn = 2000 + c->reqid * 2 - 1;
	if (why == DP_DROP_BAD_SPI)
		trace_log(e, 4, "%%CRYPTO-4-RECVD_PKT_INV_SPI: decaps: rec'd IPSEC packet has invalid spi for destaddr=%s, "
			  "prot=50, spi=0x%X(%u), srcaddr=%s", d, spi, spi, s);
	else if (why == DP_DROP_REPLAY)
		trace_log(e, 4, "%%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=%u, sequence number=%u",
			  conn, seq);
	else
		trace_log(e, 4, "%%CRYPTO-4-RECVD_PKT_MAC_ERR: decrypt: mac verify failed for connection id=%u", conn);
}

struct ike_engine *ike_engine_new(struct pf_loop *loop, struct pf_store *st, unsigned dialect,
				  struct dp_backend *dp, const struct ike_engine_hooks *hooks, char *why,
				  size_t whylen)
{
	struct ike_engine *e = calloc(1, sizeof(*e));
	if (!e) {
		snprintf(why, whylen, "out of memory");
		return NULL;
	}
	e->loop = loop;
	e->store = st;
	e->dialect = dialect;
	e->dp = dp;
	if (hooks)
		e->hooks = *hooks;
	e->fd[0] = e->fd[1] = -1;
	e->next_conn_id = 1001;
	e->next_reqid = 1;
	e->debug_level = 1;
	if (dp && dp->set_events) {
		struct dp_events ev = { .acquire = eng_dp_acquire, .expire = eng_dp_expire, .drop = eng_dp_drop, .ctx = e };
		dp->set_events(dp, &ev);
	}
	ike_engine_reload(e);
	return e;
}

void ike_engine_free(struct ike_engine *e)
{
	if (!e)
		return;
	while (e->children)
		eng_child_delete(e, e->children, true, "shutting down");
	eng_traps_free(e);
	while (e->peers) {
		struct ike_peer *p = e->peers;
		if (!p->dead)
			eng_peer_delete(p, true, "shutting down");
		eng_peer_free(p);
	}
	eng_close_sockets(e);
	if (e->dp && e->dp->set_events)
		e->dp->set_events(e->dp, &(struct dp_events){ 0 });
	ike_config_free(&e->cfg);
	free(e);
}

void ike_engine_reload(struct ike_engine *e)
{
	struct ike_config c;
	char why[256];
	if (ike_config_load(e->store, e->dialect, &c, why, sizeof(why)) < 0) {
		trace_log(e, 3, "%s", why);
		return;
	}
	ike_config_free(&e->cfg);
	e->cfg = c;
	eng_listen(e);
	eng_traps_sync(e);
}

static bool eng_selector_has(const struct ike_selector *s, uint32_t addr)
{
	return (addr & s->mask) == (s->net & s->mask);
}

int ike_engine_trigger(struct ike_engine *e, uint32_t src, uint32_t dst, uint8_t protocol, char *why,
		       size_t whylen)
{
	snprintf(why, whylen, "no crypto map entry covers this traffic");
	for (size_t i = 0; i < e->cfg.nentries; i++) {
		const struct ike_map_entry *en = &e->cfg.entries[i];
		if (en->dynamic)
			continue;
		for (size_t l = 0; l < en->nlines; l++) {
			const struct ike_acl_line *ln = &en->lines[l];
			if (!eng_selector_has(&ln->local, src) || !eng_selector_has(&ln->remote, dst) ||
			    (ln->local.protocol && ln->local.protocol != protocol))
				continue;
			if (en->problems[0]) {
				snprintf(why, whylen, "crypto map %s %d is incomplete: %s", en->map, en->seq, en->problems);
				return -1;
			}
			if (!en->local_addr) {
				snprintf(why, whylen, "crypto map %s is not applied to an interface with an address",
					 en->map);
				return -1;
			}
			if (en->answer_only) {
				snprintf(why, whylen, "crypto map %s %d is answer-only", en->map, en->seq);
				return -1;
			}
			if (e->fd[0] < 0) {
				snprintf(why, whylen, "IKE is not enabled on interface %s", en->iface);
				return -1;
			}
			uint32_t peer = en->peers[0];
			if (eng_child_find(e, peer, en->map, en->seq, &ln->local, &ln->remote))
				return 1;
			struct ike_peer *p = eng_peer_for(e, peer);
			if (p && p->sa.state == IKE_P1_COMPLETE) {
				eng_qm_start(p, (int)i, (int)l);
				return 0;
			}
			if (!p) {
				p = eng_peer_start(e, en, peer);
				if (!p || p->dead) {
					snprintf(why, whylen, "%s", p ? p->reason : "out of memory");
					return -1;
				}
			}
			for (int k = 0; k < p->npending; k++)
				if (p->pending_entry[k] == (int)i && p->pending_line[k] == (int)l)
					return 0;
			if (p->npending < (int)(sizeof(p->pending_entry) / sizeof(p->pending_entry[0]))) {
				p->pending_entry[p->npending] = (int)i;
				p->pending_line[p->npending++] = (int)l;
			}
			return 0;
		}
	}
	return -1;
}

int ike_engine_clear_p1(struct ike_engine *e, uint32_t peer)
{
	int n = 0;
	for (struct ike_peer *p = e->peers, *next; p; p = next) {
		next = p->next;
		if (peer && p->peer != peer)
			continue;
		if (!p->dead) {
			eng_peer_delete(p, true, "cleared by the operator");
			n++;
		}
	}
	/* buried SAs go now too: clear means gone */
	for (struct ike_peer *p = e->peers, *next; p; p = next) {
		next = p->next;
		if (p->dead && (!peer || p->peer == peer))
			eng_peer_free(p);
	}
	return n;
}

static void eng_counters_raw(const struct ike_engine *e, const struct ike_child *c, struct dp_counters *in,
			     struct dp_counters *out)
{
	memset(in, 0, sizeof(*in));
	memset(out, 0, sizeof(*out));
	if (e->dp && e->dp->counters) {
		e->dp->counters(e->dp, DP_IN, c->spi_in, in);
		e->dp->counters(e->dp, DP_OUT, c->spi_out, out);
	}
}

static uint64_t eng_since(uint64_t now, uint64_t zero)
{
	return now > zero ? now - zero : 0;
}

static void eng_counters_since(struct dp_counters *c, const struct dp_counters *zero)
{
	c->packets = eng_since(c->packets, zero->packets);
	c->bytes = eng_since(c->bytes, zero->bytes);
	c->errors = eng_since(c->errors, zero->errors);
	c->replay_failures = eng_since(c->replay_failures, zero->replay_failures);
	c->prefrag = eng_since(c->prefrag, zero->prefrag);
	c->fragments = eng_since(c->fragments, zero->fragments);
}

void ike_engine_child_counters(const struct ike_engine *e, const struct ike_child *c, struct dp_counters *in,
			       struct dp_counters *out)
{
	eng_counters_raw(e, c, in, out);
	eng_counters_since(in, &c->zero_in);
	eng_counters_since(out, &c->zero_out);
}

uint32_t ike_engine_replay_window(const struct ike_engine *e)
{
	return e->cfg.replay_window;
}

void ike_engine_clear_counters(struct ike_engine *e, uint32_t peer)
{
	for (struct ike_child *c = e->children; c; c = c->next)
		if (!peer || c->peer_addr == peer)
			eng_counters_raw(e, c, &c->zero_in, &c->zero_out);
}

int ike_engine_clear_p2(struct ike_engine *e, uint32_t peer)
{
	int n = 0;
	for (struct ike_child *c = e->children, *next; c; c = next) {
		next = c->next;
		if (peer && c->peer_addr != peer)
			continue;
		eng_child_delete(e, c, true, "cleared by the operator");
		n++;
	}
	return n;
}

void ike_engine_set_debug(struct ike_engine *e, unsigned mask, int level, uint32_t peer)
{
	e->debug_mask = mask;
	e->debug_level = level;
	e->debug_peer = peer;
}

const struct ike_peer *ike_engine_peers(const struct ike_engine *e)
{
	return e->peers;
}

const struct ike_child *ike_engine_children(const struct ike_engine *e)
{
	return e->children;
}

const struct ike_stats *ike_engine_stats(const struct ike_engine *e)
{
	return &e->stats;
}

const struct ike_config *ike_engine_config(const struct ike_engine *e)
{
	return &e->cfg;
}

struct dp_backend *ike_engine_dataplane(const struct ike_engine *e)
{
	return e->dp;
}

unsigned ike_engine_dialect(const struct ike_engine *e)
{
	return e->dialect;
}
