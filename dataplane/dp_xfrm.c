/*
 * dp_xfrm.c -- the kernel XFRM backend (see dp.h): ESP is the kernel's, and
 * vpnsh installs states and policies through XFRM netlink with libnl-xfrm.
 *
 * What is ours: every state carries a reqid in the block of
 * DP_XFRM_REQID_BASE (the engine's reqid in the low half, or 0x8000 + n for
 * the larval state of an SPI being negotiated) and every policy a priority in
 * the block of DP_XFRM_PRIO_BASE (in the order the policies were added, so
 * that the first crypto ACL line to match wins, as on the devices). At start,
 * and when the backend stops, whatever carries these marks is removed, so a
 * crash leaves nothing behind for long and other software's IPsec is never
 * touched.
 *
 * Per crypto ACL line: a policy out (local -> remote) and in and fwd (remote
 * -> local, the gateway forwards what it decrypts), each with one ESP
 * tunnel-mode template of the line's reqid; a deny line gets the same three
 * as allow policies without a template (its traffic goes in the clear).
 * Interesting traffic is the kernel's acquire message; with
 * net.core.xfrm_larval_drop at 0 the kernel holds the packets meanwhile, so
 * the first ping is not lost. Expire messages (soft: 90% of the kilobytes or
 * 2^32 - 2^24 packets; hard: 100%) go to the engine, which rekeys or
 * deletes. The engine times lifetimes in seconds itself; the kernel's hard
 * time limit is a backstop a minute later.
 *
 * The engine's IKE sockets get per-socket bypass policies (IKE to a peer
 * inside a protected network must not be encrypted), and the one on port
 * 4500 UDP_ENCAP_ESPINUDP, so that the kernel takes the ESP in UDP arriving
 * there and leaves IKE to the engine.
 *
 * Requests go on one blocking netlink socket, answered at once; acquire and
 * expire arrive on a second one, read on the event loop.
 */
#include "dataplane/dp.h"
#include "platform/pf_link.h"
#include "platform/pf_loop.h"

#include <errno.h>
#include <linux/udp.h>
#include <linux/xfrm.h>
#include <netinet/in.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <netlink/xfrm/lifetime.h>
#include <netlink/xfrm/sa.h>
#include <netlink/xfrm/selector.h>
#include <netlink/xfrm/sp.h>
#include <netlink/xfrm/template.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <time.h>

#define DX_LARVAL 0x8000u             /* reqid low half of an SPI being negotiated */
#define DX_SOFT_PACKETS 0xff000000ull /* rekey well before the 32-bit sequence number runs out */
#define DX_TIME_BACKSTOP 60           /* seconds after the engine's own hard limit */
#define DX_LARVAL_DROP "net/core/xfrm_larval_drop"
#define DX_RELEASE_MS 100             /* after a new outbound SA, before the held packets go (see dx_release_held) */

struct dx_sa {
	enum dp_dir dir;
	uint32_t spi, src, dst;
	struct dx_sa *next;
};

struct dx_pol {
	struct dp_policy p;
	uint32_t prio;
	struct dx_pol *next;
};

struct dx_release {           /* held packets to send when the timer fires */
	struct dx_backend *b;
	uint32_t reqid;
	struct pf_timer *timer;
	struct dx_release *next;
};

struct dx_backend {
	struct dp_backend base;   /* first: the backend is cast to and from this */
	struct pf_loop *loop;
	struct nl_sock *sk;       /* requests */
	struct nl_sock *ev;       /* acquire and expire */
	struct dp_events events;
	struct dx_sa *sas;
	struct dx_pol *pols;
	struct dx_release *releases;
	uint32_t next_prio;
	uint32_t next_larval;
	int larval_drop_was;      /* the sysctl before us; -1: not changed */
};

enum dx_op { DX_ADD, DX_UPDATE, DX_DELETE };

static struct dx_backend *dx_of(struct dp_backend *b)
{
	return (struct dx_backend *)b;
}

static bool dx_ours_reqid(uint32_t reqid)
{
	return (reqid & DP_XFRM_BLOCK_MASK) == DP_XFRM_REQID_BASE;
}

static bool dx_ours_prio(uint32_t prio)
{
	return (prio & DP_XFRM_BLOCK_MASK) == DP_XFRM_PRIO_BASE;
}

/* ---- talking to the kernel ---- */

typedef void (*dx_reply_fn)(void *arg, struct nlmsghdr *h);

/* Send msg (freed here) and read its answer: each message of it goes to fn,
 * until the kernel's acknowledgement (or, for a dump, its end). 0, or the
 * kernel's -errno. What answers an earlier request is skipped. */
static int dx_talk(struct dx_backend *b, struct nl_msg *msg, dx_reply_fn fn, void *arg)
{
	struct nlmsghdr *req = nlmsg_hdr(msg);
	bool dump = (req->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	if (!dump)
		req->nlmsg_flags |= NLM_F_ACK;
	int rc = nl_send_auto(b->sk, msg);
	uint32_t seq = req->nlmsg_seq;
	nlmsg_free(msg);
	if (rc < 0)
		return -EIO;
	for (;;) {
		unsigned char *buf = NULL;
		struct sockaddr_nl who;
		int n = nl_recv(b->sk, &who, &buf, NULL);
		if (n <= 0) {
			free(buf);
			return -EIO;
		}
		int len = n;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; nlmsg_ok(h, len); h = nlmsg_next(h, &len)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = nlmsg_data(h);
				rc = h->nlmsg_len >= NLMSG_LENGTH(sizeof(*e)) ? e->error : -EIO;
				free(buf);
				return rc;
			}
			if (h->nlmsg_type == NLMSG_DONE) {
				free(buf);
				return 0;
			}
			if (fn)
				fn(arg, h);
		}
		free(buf);
	}
}

static struct nl_msg *dx_msg(int type, int flags, const void *body, size_t len)
{
	struct nl_msg *msg = nlmsg_alloc_simple(type, flags);
	if (msg && nlmsg_append(msg, (void *)body, len, NLMSG_ALIGNTO) < 0) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

static struct nl_addr *dx_addr(uint32_t a, int prefix)
{
	uint32_t be = htonl(a);
	struct nl_addr *n = nl_addr_build(AF_INET, &be, 4);
	if (n && prefix >= 0)
		nl_addr_set_prefixlen(n, prefix);
	return n;
}

static int dx_prefix(uint32_t mask)
{
	int n = 0;
	while (n < 32 && (mask & (0x80000000u >> n)))
		n++;
	return n;
}

static struct xfrmnl_sel *dx_sel(const struct dp_selector *src, const struct dp_selector *dst)
{
	struct xfrmnl_sel *sel = xfrmnl_sel_alloc();
	struct nl_addr *s = dx_addr(src->net & src->mask, dx_prefix(src->mask));
	struct nl_addr *d = dx_addr(dst->net & dst->mask, dx_prefix(dst->mask));
	if (!sel || !s || !d) {
		if (sel)
			xfrmnl_sel_put(sel);
		sel = NULL;
	} else {
		xfrmnl_sel_set_family(sel, AF_INET);
		xfrmnl_sel_set_saddr(sel, s);
		xfrmnl_sel_set_daddr(sel, d);
		xfrmnl_sel_set_prefixlen_s(sel, dx_prefix(src->mask));
		xfrmnl_sel_set_prefixlen_d(sel, dx_prefix(dst->mask));
		xfrmnl_sel_set_proto(sel, src->protocol ? src->protocol : dst->protocol);
		if (src->port) {
			xfrmnl_sel_set_sport(sel, src->port);
			xfrmnl_sel_set_sportmask(sel, 0xffff);
		}
		if (dst->port) {
			xfrmnl_sel_set_dport(sel, dst->port);
			xfrmnl_sel_set_dportmask(sel, 0xffff);
		}
	}
	nl_addr_put(s);
	nl_addr_put(d);
	return sel;
}

static struct xfrmnl_ltime_cfg *dx_lifetime(uint64_t bytes, uint32_t seconds, bool packets)
{
	struct xfrmnl_ltime_cfg *l = xfrmnl_ltime_cfg_alloc();
	if (!l)
		return NULL;
	xfrmnl_ltime_cfg_set_soft_bytelimit(l, bytes ? bytes / 10 * 9 : XFRM_INF);
	xfrmnl_ltime_cfg_set_hard_bytelimit(l, bytes ? bytes : XFRM_INF);
	xfrmnl_ltime_cfg_set_soft_packetlimit(l, packets ? DX_SOFT_PACKETS : XFRM_INF);
	xfrmnl_ltime_cfg_set_hard_packetlimit(l, XFRM_INF);
	xfrmnl_ltime_cfg_set_hard_addexpires(l, seconds ? seconds + DX_TIME_BACKSTOP : 0);
	return l;
}

/* An error from the kernel in an engineer's words (sa: the SA being installed, if any). */
static void dx_explain(int err, const struct dp_sa *sa, char *why, size_t whylen)
{
	if (err == -EPERM)
		snprintf(why, whylen, "the kernel refused (vpnsh needs CAP_NET_ADMIN to install IPsec SAs)");
	else if (err == -EPROTONOSUPPORT)
		snprintf(why, whylen, "the kernel has no ESP (module esp4)");
	else if (sa && (err == -ENOSYS || err == -ENOENT))
		snprintf(why, whylen, "the kernel cannot do %s%s%s (a crypto module is missing)", dp_enc_name(sa->enc),
			 sa->auth != DP_AUTH_NONE ? " with " : "", sa->auth != DP_AUTH_NONE ? dp_auth_name(sa->auth) : "");
	else if (sa && err == -EEXIST)
		snprintf(why, whylen, "SPI 0x%08X is already in use", sa->spi);
	else
		snprintf(why, whylen, "the kernel answered: %s", strerror(-err));
}

/* ---- SAs ---- */

static struct dx_sa *dx_sa_find(struct dx_backend *b, enum dp_dir dir, uint32_t spi, struct dx_sa ***link)
{
	for (struct dx_sa **pp = &b->sas; *pp; pp = &(*pp)->next)
		if ((*pp)->dir == dir && (*pp)->spi == spi) {
			if (link)
				*link = pp;
			return *pp;
		}
	return NULL;
}

static void dx_spi_reply(void *arg, struct nlmsghdr *h)
{
	uint32_t *spi = arg;
	if (h->nlmsg_type == XFRM_MSG_NEWSA && h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct xfrm_usersa_info))) {
		const struct xfrm_usersa_info *info = nlmsg_data(h);
		*spi = ntohl(info->id.spi);
	}
}

/* The kernel picks the SPI and holds it in a larval state (which it drops
 * by itself after net.core.xfrm_acq_expires, 30 s, if the negotiation never
 * installs the SA). Each allocation gets a larval reqid of its own: the
 * kernel would hand the same SPI to two at once for one pair of addresses. */
static int dx_alloc_spi(struct dp_backend *base, uint32_t src, uint32_t dst, uint32_t *spi)
{
	struct dx_backend *b = dx_of(base);
	struct xfrm_userspi_info u;
	memset(&u, 0, sizeof(u));
	u.info.id.daddr.a4 = htonl(dst);
	u.info.saddr.a4 = htonl(src);
	u.info.id.proto = IPPROTO_ESP;
	u.info.family = AF_INET;
	u.info.mode = XFRM_MODE_TUNNEL;
	u.info.reqid = DP_XFRM_REQID_BASE | DX_LARVAL | (b->next_larval++ & 0x7fffu);
	u.min = 0x100;
	u.max = 0xffffffffu;
	struct nl_msg *msg = dx_msg(XFRM_MSG_ALLOCSPI, 0, &u, sizeof(u));
	if (!msg)
		return -ENOMEM;
	uint32_t got = 0;
	int rc = dx_talk(b, msg, dx_spi_reply, &got);
	if (rc < 0)
		return rc;
	if (!got)
		return -EIO;
	*spi = got;
	return 0;
}

static int dx_sa_build(const struct dp_sa *sa, struct xfrmnl_sa **out, char *why, size_t whylen)
{
	static const char *const auth_alg[] = { [DP_AUTH_HMAC_MD5_96] = "hmac(md5)",
						[DP_AUTH_HMAC_SHA1_96] = "hmac(sha1)",
						[DP_AUTH_HMAC_SHA256_128] = "hmac(sha256)",
						[DP_AUTH_HMAC_SHA384_192] = "hmac(sha384)",
						[DP_AUTH_HMAC_SHA512_256] = "hmac(sha512)" };
	static const unsigned auth_trunc[] = { [DP_AUTH_HMAC_MD5_96] = 96,      [DP_AUTH_HMAC_SHA1_96] = 96,
					       [DP_AUTH_HMAC_SHA256_128] = 128, [DP_AUTH_HMAC_SHA384_192] = 192,
					       [DP_AUTH_HMAC_SHA512_256] = 256 };
	static const char *const enc_alg[] = { [DP_ENC_NULL] = "ecb(cipher_null)", [DP_ENC_DES_CBC] = "cbc(des)",
					       [DP_ENC_3DES_CBC] = "cbc(des3_ede)", [DP_ENC_AES_CBC] = "cbc(aes)" };
	if (sa->dir == DP_OUT && sa->df == DP_DF_SET) {
		snprintf(why, whylen, "the kernel's ESP copies or clears the outer DF bit but cannot set it "
				      "(crypto ipsec df-bit set-df)");
		return -EOPNOTSUPP;
	}
	struct xfrmnl_sa *x = xfrmnl_sa_alloc();
	struct nl_addr *src = dx_addr(sa->src, 32), *dst = dx_addr(sa->dst, 32), *any = dx_addr(0, 32);
	struct xfrmnl_sel *sel = sa->dir == DP_OUT ? dx_sel(&sa->local, &sa->remote) : dx_sel(&sa->remote, &sa->local);
	struct xfrmnl_ltime_cfg *life = dx_lifetime(sa->life_kbytes * 1024, sa->life_seconds, true);
	int rc = -ENOMEM;
	if (!x || !src || !dst || !any || !sel || !life)
		goto out;
	xfrmnl_sa_set_family(x, AF_INET);
	xfrmnl_sa_set_daddr(x, dst);
	xfrmnl_sa_set_saddr(x, src);
	xfrmnl_sa_set_spi(x, sa->spi);
	xfrmnl_sa_set_proto(x, IPPROTO_ESP);
	xfrmnl_sa_set_mode(x, XFRM_MODE_TUNNEL);
	xfrmnl_sa_set_reqid(x, DP_XFRM_REQID_BASE | (sa->reqid & 0x7fffu));
	xfrmnl_sa_set_sel(x, sel);
	xfrmnl_sa_set_lifetime_cfg(x, life);
	if (sa->dir == DP_OUT && sa->df == DP_DF_CLEAR)
		xfrmnl_sa_set_flags(x, XFRM_STATE_NOPMTUDISC);
	if (sa->enc == DP_ENC_AES_GCM16) {
		if (xfrmnl_sa_set_aead_params(x, "rfc4106(gcm(aes))", (unsigned)sa->enc_key_len * 8, 128,
					      (const char *)sa->enc_key) < 0)
			goto out;
	} else if ((unsigned)sa->enc < sizeof(enc_alg) / sizeof(enc_alg[0])) {
		if (xfrmnl_sa_set_crypto_params(x, enc_alg[sa->enc], (unsigned)sa->enc_key_len * 8,
						(const char *)sa->enc_key) < 0)
			goto out;
	}
	if (sa->auth != DP_AUTH_NONE && (unsigned)sa->auth < sizeof(auth_alg) / sizeof(auth_alg[0])) {
		if (xfrmnl_sa_set_auth_params(x, auth_alg[sa->auth], (unsigned)sa->auth_key_len * 8,
					      auth_trunc[sa->auth], (const char *)sa->auth_key) < 0)
			goto out;
	}
	if (sa->encap_sport || sa->encap_dport)
		xfrmnl_sa_set_encap_tmpl(x, UDP_ENCAP_ESPINUDP, sa->encap_sport, sa->encap_dport, any);
	if (sa->replay_window) {
		/* the bitmap form: windows beyond 32 packets (up to 4096) */
		uint32_t bmp[128] = { 0 };
		unsigned w = sa->replay_window > 4096 ? 4096 : sa->replay_window;
		if (xfrmnl_sa_set_replay_state_esn(x, 0, 0, 0, 0, w, (w + 31) / 32, bmp) < 0)
			goto out;
	}
	*out = x;
	x = NULL;
	rc = 0;
out:
	if (x)
		xfrmnl_sa_put(x);
	nl_addr_put(src);
	nl_addr_put(dst);
	nl_addr_put(any);
	if (sel)
		xfrmnl_sel_put(sel);
	if (life)
		xfrmnl_ltime_cfg_put(life);
	if (rc == -ENOMEM)
		snprintf(why, whylen, "out of memory");
	return rc;
}

static int dx_policy_one(struct dx_backend *b, const struct dx_pol *pol, int dir, enum dx_op op);
static int dx_delete_state(struct dx_backend *b, uint32_t dst, uint32_t spi);

/* The kernel sends the packets it holds for a policy on a back-off timer
 * (0.1 s, doubling from the acquire): a policy put in again sends them at
 * once, so the first ping of a new tunnel is not late for its reply. Not at
 * once, though: the initiator installs its outbound SA on message 2 of Quick
 * Mode, and peers such as strongSwan install their inbound SA only when
 * message 3 arrives, so the held packets go DX_RELEASE_MS after (the
 * userspace backend waits as long before it uses a new outbound SA). */
static void dx_release_fire(void *arg)
{
	struct dx_release *r = arg;
	struct dx_backend *b = r->b;
	for (struct dx_release **pp = &b->releases; *pp; pp = &(*pp)->next)
		if (*pp == r) {
			*pp = r->next;
			break;
		}
	for (const struct dx_pol *pol = b->pols; pol; pol = pol->next)
		if (pol->p.reqid == r->reqid && !pol->p.bypass)
			dx_policy_one(b, pol, XFRM_POLICY_OUT, DX_UPDATE);
	free(r);
}

static void dx_release_held(struct dx_backend *b, uint32_t reqid)
{
	struct dx_release *r = calloc(1, sizeof(*r));
	if (!r)
		return; /* the kernel's own timer sends them */
	*r = (struct dx_release){ .b = b, .reqid = reqid, .next = b->releases };
	r->timer = pf_timer_add(b->loop, DX_RELEASE_MS, dx_release_fire, r);
	if (!r->timer) {
		free(r);
		return;
	}
	b->releases = r;
}

static int dx_add_sa(struct dp_backend *base, const struct dp_sa *sa, char *why, size_t whylen)
{
	struct dx_backend *b = dx_of(base);
	if (dx_sa_find(b, sa->dir, sa->spi, NULL)) {
		snprintf(why, whylen, "SPI 0x%08X is already in use", sa->spi);
		return -EEXIST;
	}
	struct dx_sa *rec = calloc(1, sizeof(*rec));
	if (!rec) {
		snprintf(why, whylen, "out of memory");
		return -ENOMEM;
	}
	struct xfrmnl_sa *x = NULL;
	int rc = dx_sa_build(sa, &x, why, whylen);
	if (rc < 0) {
		free(rec);
		return rc;
	}
	/* an inbound SPI was allocated by the kernel: the SA replaces its larval state */
	struct nl_msg *msg = NULL;
	bool update = sa->dir == DP_IN;
	rc = update ? xfrmnl_sa_build_update_request(x, 0, &msg) : xfrmnl_sa_build_add_request(x, NLM_F_EXCL, &msg);
	if (rc >= 0)
		rc = dx_talk(b, msg, NULL, NULL);
	else
		rc = -ENOMEM;
	if (update && rc == -ESRCH) { /* the larval state expired meanwhile */
		msg = NULL;
		rc = xfrmnl_sa_build_add_request(x, NLM_F_EXCL, &msg) >= 0 ? dx_talk(b, msg, NULL, NULL) : -ENOMEM;
	}
	xfrmnl_sa_put(x); /* libnl frees the key copies without wiping them: they live in the kernel anyway */
	if (rc < 0) {
		dx_explain(rc, sa, why, whylen);
		free(rec);
		if (update) /* the SPI goes unused: its larval state goes now, not in 30 s */
			dx_delete_state(b, sa->dst, sa->spi);
		return rc;
	}
	*rec = (struct dx_sa){ .dir = sa->dir, .spi = sa->spi, .src = sa->src, .dst = sa->dst, .next = b->sas };
	b->sas = rec;
	if (sa->dir == DP_OUT)
		dx_release_held(b, sa->reqid);
	return 0;
}

static int dx_delete_state(struct dx_backend *b, uint32_t dst, uint32_t spi)
{
	struct xfrm_usersa_id id;
	memset(&id, 0, sizeof(id));
	id.daddr.a4 = htonl(dst);
	id.spi = htonl(spi);
	id.family = AF_INET;
	id.proto = IPPROTO_ESP;
	struct nl_msg *msg = dx_msg(XFRM_MSG_DELSA, 0, &id, sizeof(id));
	return msg ? dx_talk(b, msg, NULL, NULL) : -ENOMEM;
}

static int dx_del_sa(struct dp_backend *base, enum dp_dir dir, uint32_t spi)
{
	struct dx_backend *b = dx_of(base);
	struct dx_sa **link;
	struct dx_sa *s = dx_sa_find(b, dir, spi, &link);
	if (!s)
		return -ENOENT;
	int rc = dx_delete_state(b, s->dst, s->spi);
	*link = s->next;
	free(s);
	return rc == -ESRCH ? 0 : rc; /* a hard expiry took it already */
}

static void dx_get_reply(void *arg, struct nlmsghdr *h)
{
	struct xfrmnl_sa **sa = arg;
	if (h->nlmsg_type == XFRM_MSG_NEWSA && !*sa)
		xfrmnl_sa_parse(h, sa);
}

/* The replay bitmap as the devices print it: bit i, the packet i below the
 * highest. The kernel's bitmap form keeps packet s at bit (s - 1) mod window. */
static uint64_t dx_bitmap(uint32_t seq, unsigned window, const uint32_t *bmp)
{
	uint64_t out = 0;
	if (!window || !seq)
		return 0;
	unsigned top = (seq - 1) % window;
	for (unsigned i = 0; i < 64 && i < window && i < seq; i++) {
		unsigned idx = (top + window - i) % window;
		if (bmp[idx / 32] >> (idx % 32) & 1)
			out |= 1ull << i;
	}
	return out;
}

static int dx_counters(struct dp_backend *base, enum dp_dir dir, uint32_t spi, struct dp_counters *out)
{
	struct dx_backend *b = dx_of(base);
	const struct dx_sa *s = dx_sa_find(b, dir, spi, NULL);
	memset(out, 0, sizeof(*out));
	if (!s)
		return -ENOENT;
	struct xfrm_usersa_id id;
	memset(&id, 0, sizeof(id));
	id.daddr.a4 = htonl(s->dst);
	id.spi = htonl(s->spi);
	id.family = AF_INET;
	id.proto = IPPROTO_ESP;
	struct nl_msg *msg = dx_msg(XFRM_MSG_GETSA, 0, &id, sizeof(id));
	if (!msg)
		return -ENOMEM;
	struct xfrmnl_sa *got = NULL;
	int rc = dx_talk(b, msg, dx_get_reply, &got);
	if (rc < 0 || !got) {
		if (got)
			xfrmnl_sa_put(got);
		return rc < 0 ? rc : -EIO;
	}
	unsigned long long bytes = 0, packets = 0, added = 0, used = 0, rwin = 0, replay = 0, icv = 0;
	xfrmnl_sa_get_curlifetime(got, &bytes, &packets, &added, &used);
	xfrmnl_sa_get_stats(got, &rwin, &replay, &icv);
	out->packets = packets;
	out->bytes = bytes;
	out->errors = icv;
	out->replay_failures = replay + rwin;
	if (used) { /* wall-clock seconds: turned into the loop's clock */
		time_t now = time(NULL);
		uint64_t ago = (uint64_t)now > used ? ((uint64_t)now - used) * 1000 : 0;
		uint64_t mono = pf_now_ms();
		out->last_used_ms = mono > ago ? mono - ago : 1;
	}
	unsigned oseq, seq, oseq_hi, seq_hi, window = 0, bmp_len = 0;
	uint32_t bmp[128];
	if (dir == DP_IN &&
	    xfrmnl_sa_get_replay_state_esn(got, &oseq, &seq, &oseq_hi, &seq_hi, &window, &bmp_len, bmp) == 0 &&
	    bmp_len <= 128 && window <= bmp_len * 32) {
		out->replay_window = window;
		out->replay_bitmap = dx_bitmap(seq, window, bmp);
	}
	xfrmnl_sa_put(got);
	return 0;
}

/* ---- policies ---- */

static int dx_policy_one(struct dx_backend *b, const struct dx_pol *pol, int dir, enum dx_op op)
{
	const struct dp_policy *p = &pol->p;
	bool out = dir == XFRM_POLICY_OUT;
	struct xfrmnl_sp *sp = xfrmnl_sp_alloc();
	struct xfrmnl_sel *sel = out ? dx_sel(&p->local, &p->remote) : dx_sel(&p->remote, &p->local);
	struct xfrmnl_ltime_cfg *life = dx_lifetime(0, 0, false);
	struct xfrmnl_user_tmpl *t = p->bypass ? NULL : xfrmnl_user_tmpl_alloc();
	struct nl_addr *src = dx_addr(out ? p->local_addr : p->peer_addr, 32);
	struct nl_addr *dst = dx_addr(out ? p->peer_addr : p->local_addr, 32);
	struct nl_msg *msg = NULL;
	int rc = -ENOMEM;
	if (!sp || !sel || !life || (!p->bypass && !t) || !src || !dst)
		goto out;
	xfrmnl_sp_set_sel(sp, sel);
	xfrmnl_sp_set_dir(sp, dir);
	xfrmnl_sp_set_priority(sp, pol->prio);
	xfrmnl_sp_set_lifetime_cfg(sp, life);
	xfrmnl_sp_set_action(sp, XFRM_POLICY_ALLOW);
	xfrmnl_sp_set_share(sp, XFRM_SHARE_ANY);
	if (t) {
		xfrmnl_user_tmpl_set_family(t, AF_INET);
		xfrmnl_user_tmpl_set_saddr(t, src);
		xfrmnl_user_tmpl_set_daddr(t, dst);
		xfrmnl_user_tmpl_set_proto(t, IPPROTO_ESP);
		xfrmnl_user_tmpl_set_mode(t, XFRM_MODE_TUNNEL);
		xfrmnl_user_tmpl_set_reqid(t, DP_XFRM_REQID_BASE | (p->reqid & 0x7fffu));
		xfrmnl_user_tmpl_set_share(t, XFRM_SHARE_ANY);
		xfrmnl_user_tmpl_set_aalgos(t, ~0u);
		xfrmnl_user_tmpl_set_ealgos(t, ~0u);
		xfrmnl_user_tmpl_set_calgos(t, ~0u);
		xfrmnl_sp_add_usertemplate(sp, t); /* the policy owns it now */
		t = NULL;
	}
	rc = op == DX_ADD      ? xfrmnl_sp_build_add_request(sp, NLM_F_EXCL, &msg)
	     : op == DX_UPDATE ? xfrmnl_sp_build_update_request(sp, 0, &msg)
			       : xfrmnl_sp_build_delete_request(sp, 0, &msg);
	rc = rc < 0 ? -ENOMEM : dx_talk(b, msg, NULL, NULL);
out:
	if (t)
		xfrmnl_user_tmpl_free(t);
	if (sp)
		xfrmnl_sp_put(sp);
	if (sel)
		xfrmnl_sel_put(sel);
	if (life)
		xfrmnl_ltime_cfg_put(life);
	nl_addr_put(src);
	nl_addr_put(dst);
	return rc;
}

static const int dx_dirs[3] = { XFRM_POLICY_OUT, XFRM_POLICY_IN, XFRM_POLICY_FWD };

static int dx_add_policy(struct dp_backend *base, const struct dp_policy *p, char *why, size_t whylen)
{
	struct dx_backend *b = dx_of(base);
	for (const struct dx_pol *o = b->pols; o; o = o->next)
		if (o->p.reqid == p->reqid) {
			snprintf(why, whylen, "a policy with reqid %u exists", p->reqid);
			return -EEXIST;
		}
	struct dx_pol *pol = calloc(1, sizeof(*pol));
	if (!pol) {
		snprintf(why, whylen, "out of memory");
		return -ENOMEM;
	}
	pol->p = *p;
	pol->prio = DP_XFRM_PRIO_BASE | (b->next_prio++ & 0xffffu);
	for (int i = 0; i < 3; i++) {
		int rc = dx_policy_one(b, pol, dx_dirs[i], DX_ADD);
		if (rc < 0) {
			while (i-- > 0) /* nothing half-installed */
				dx_policy_one(b, pol, dx_dirs[i], DX_DELETE);
			if (rc == -EEXIST)
				snprintf(why, whylen, "the kernel has a policy for these selectors already");
			else
				dx_explain(rc, NULL, why, whylen);
			free(pol);
			return rc;
		}
	}
	pol->next = b->pols;
	b->pols = pol;
	return 0;
}

static int dx_del_policy(struct dp_backend *base, uint32_t reqid)
{
	struct dx_backend *b = dx_of(base);
	for (struct dx_pol **pp = &b->pols; *pp; pp = &(*pp)->next) {
		struct dx_pol *pol = *pp;
		if (pol->p.reqid != reqid)
			continue;
		int rc = 0;
		for (int i = 0; i < 3; i++) {
			int r = dx_policy_one(b, pol, dx_dirs[i], DX_DELETE);
			if (r < 0 && r != -ENOENT)
				rc = r;
		}
		*pp = pol->next;
		free(pol);
		return rc;
	}
	return -ENOENT;
}

/* ---- the IKE sockets ---- */

static int dx_ike_socket(struct dp_backend *base, int fd, uint16_t port, char *why, size_t whylen)
{
	(void)base;
	for (int dir = XFRM_POLICY_IN; dir <= XFRM_POLICY_OUT; dir++) {
		struct xfrm_userpolicy_info pol;
		memset(&pol, 0, sizeof(pol));
		pol.action = XFRM_POLICY_ALLOW;
		pol.dir = (uint8_t)dir;
		pol.sel.family = AF_INET;
		pol.lft.soft_byte_limit = pol.lft.hard_byte_limit = XFRM_INF;
		pol.lft.soft_packet_limit = pol.lft.hard_packet_limit = XFRM_INF;
		if (setsockopt(fd, IPPROTO_IP, IP_XFRM_POLICY, &pol, sizeof(pol)) < 0) {
			snprintf(why, whylen, "cannot exempt the IKE socket from the IPsec policies: %s", strerror(errno));
			return -1;
		}
	}
	int encap = UDP_ENCAP_ESPINUDP;
	if (port == 4500 && setsockopt(fd, IPPROTO_UDP, UDP_ENCAP, &encap, sizeof(encap)) < 0) {
		snprintf(why, whylen, "cannot take ESP in UDP on port 4500: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* ---- events from the kernel ---- */

static void dx_acquire(struct dx_backend *b, struct nlmsghdr *h)
{
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct xfrm_user_acquire)))
		return;
	const struct xfrm_user_acquire *a = nlmsg_data(h);
	if (!dx_ours_prio(a->policy.priority) || a->sel.family != AF_INET)
		return;
	const struct nlattr *attr = nlmsg_find_attr(h, sizeof(*a), XFRMA_TMPL);
	if (!attr || nla_len(attr) < (int)sizeof(struct xfrm_user_tmpl))
		return;
	const struct xfrm_user_tmpl *t = nla_data(attr);
	if (!dx_ours_reqid(t->reqid) || (t->reqid & DX_LARVAL))
		return;
	if (b->events.acquire)
		b->events.acquire(b->events.ctx, t->reqid & 0x7fffu, ntohl(a->sel.saddr.a4), ntohl(a->sel.daddr.a4),
				  a->sel.proto);
}

static void dx_expire(struct dx_backend *b, struct nlmsghdr *h)
{
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct xfrm_user_expire)))
		return;
	const struct xfrm_user_expire *x = nlmsg_data(h);
	if (!dx_ours_reqid(x->state.reqid) || x->state.id.proto != IPPROTO_ESP)
		return;
	uint32_t spi = ntohl(x->state.id.spi), dst = ntohl(x->state.id.daddr.a4);
	for (int d = DP_IN; d <= DP_OUT; d++) {
		struct dx_sa **link;
		struct dx_sa *s = dx_sa_find(b, (enum dp_dir)d, spi, &link);
		if (!s || s->dst != dst)
			continue;
		if (x->hard) { /* the kernel removed it */
			*link = s->next;
			free(s);
		}
		if (b->events.expire)
			b->events.expire(b->events.ctx, spi, (enum dp_dir)d, x->hard != 0);
		return;
	}
}

static void dx_readable(void *arg, int fd, unsigned events)
{
	(void)fd;
	(void)events;
	struct dx_backend *b = arg;
	for (int round = 0; round < 64; round++) {
		unsigned char *buf = NULL;
		struct sockaddr_nl who;
		int n = nl_recv(b->ev, &who, &buf, NULL);
		if (n <= 0) {
			free(buf);
			return;
		}
		int len = n;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; nlmsg_ok(h, len); h = nlmsg_next(h, &len)) {
			if (h->nlmsg_type == XFRM_MSG_ACQUIRE)
				dx_acquire(b, h);
			else if (h->nlmsg_type == XFRM_MSG_EXPIRE)
				dx_expire(b, h);
		}
		free(buf);
	}
}

static void dx_set_events(struct dp_backend *base, const struct dp_events *ev)
{
	dx_of(base)->events = *ev;
}

/* ---- start and stop ---- */

/* Everything carrying our marks goes: what a previous run left, or ours at
 * the end. Dumped first, deleted after (not while the dump runs). */
struct dx_sweep {
	struct xfrm_usersa_id *sas;
	struct xfrm_userpolicy_id *pols;
	size_t nsas, npols;
};

static void dx_sweep_sa(void *arg, struct nlmsghdr *h)
{
	struct dx_sweep *w = arg;
	if (h->nlmsg_type != XFRM_MSG_NEWSA || h->nlmsg_len < NLMSG_LENGTH(sizeof(struct xfrm_usersa_info)))
		return;
	const struct xfrm_usersa_info *i = nlmsg_data(h);
	if (!dx_ours_reqid(i->reqid))
		return;
	struct xfrm_usersa_id *n = realloc(w->sas, (w->nsas + 1) * sizeof(*n));
	if (!n)
		return;
	w->sas = n;
	memset(&n[w->nsas], 0, sizeof(*n));
	n[w->nsas].daddr = i->id.daddr;
	n[w->nsas].spi = i->id.spi;
	n[w->nsas].family = i->family;
	n[w->nsas].proto = i->id.proto;
	w->nsas++;
}

static void dx_sweep_sp(void *arg, struct nlmsghdr *h)
{
	struct dx_sweep *w = arg;
	if (h->nlmsg_type != XFRM_MSG_NEWPOLICY || h->nlmsg_len < NLMSG_LENGTH(sizeof(struct xfrm_userpolicy_info)))
		return;
	const struct xfrm_userpolicy_info *i = nlmsg_data(h);
	if (!dx_ours_prio(i->priority))
		return;
	struct xfrm_userpolicy_id *n = realloc(w->pols, (w->npols + 1) * sizeof(*n));
	if (!n)
		return;
	w->pols = n;
	memset(&n[w->npols], 0, sizeof(*n));
	n[w->npols].index = i->index;
	n[w->npols].dir = i->dir;
	w->npols++;
}

static void dx_sweep(struct dx_backend *b)
{
	struct dx_sweep w = { 0 };
	struct nl_msg *msg = nlmsg_alloc_simple(XFRM_MSG_GETPOLICY, NLM_F_DUMP); /* dumps carry no body */
	if (msg)
		dx_talk(b, msg, dx_sweep_sp, &w);
	msg = nlmsg_alloc_simple(XFRM_MSG_GETSA, NLM_F_DUMP);
	if (msg)
		dx_talk(b, msg, dx_sweep_sa, &w);
	for (size_t i = 0; i < w.npols; i++)
		if ((msg = dx_msg(XFRM_MSG_DELPOLICY, 0, &w.pols[i], sizeof(w.pols[i]))))
			dx_talk(b, msg, NULL, NULL);
	for (size_t i = 0; i < w.nsas; i++)
		if ((msg = dx_msg(XFRM_MSG_DELSA, 0, &w.sas[i], sizeof(w.sas[i]))))
			dx_talk(b, msg, NULL, NULL);
	free(w.pols);
	free(w.sas);
}

/* Can this kernel hold an ESP state? One goes in (TEST-NET addresses, our
 * mark) and out again. */
static int dx_probe(struct dx_backend *b, char *why, size_t whylen)
{
	struct dp_sa sa = { .dir = DP_OUT, .spi = 0x7670fffe, .reqid = 0x7fff, .src = 0xc0000201, .dst = 0xc0000202,
			    .enc = DP_ENC_AES_CBC, .enc_key_len = 16, .auth = DP_AUTH_HMAC_SHA1_96, .auth_key_len = 20 };
	/* zero keys, selectors 0.0.0.0/0 */
	struct xfrmnl_sa *x = NULL;
	int rc = dx_sa_build(&sa, &x, why, whylen);
	if (rc < 0)
		return rc;
	struct nl_msg *msg = NULL;
	rc = xfrmnl_sa_build_add_request(x, 0, &msg) >= 0 ? dx_talk(b, msg, NULL, NULL) : -ENOMEM;
	xfrmnl_sa_put(x);
	if (rc < 0 && rc != -EEXIST) {
		char what[160];
		dx_explain(rc, &sa, what, sizeof(what));
		snprintf(why, whylen, "the kernel cannot install an ESP state: %s", what);
		return rc;
	}
	dx_delete_state(b, sa.dst, sa.spi);
	return 0;
}

static void dx_free(struct dp_backend *base)
{
	struct dx_backend *b = dx_of(base);
	if (!b)
		return;
	if (b->ev) {
		pf_loop_del_fd(b->loop, nl_socket_get_fd(b->ev));
		nl_socket_free(b->ev);
	}
	while (b->releases) {
		struct dx_release *r = b->releases;
		b->releases = r->next;
		pf_timer_cancel(b->loop, r->timer);
		free(r);
	}
	if (b->sk) {
		dx_sweep(b);
		nl_socket_free(b->sk);
	}
	while (b->sas) {
		struct dx_sa *s = b->sas;
		b->sas = s->next;
		free(s);
	}
	while (b->pols) {
		struct dx_pol *p = b->pols;
		b->pols = p->next;
		free(p);
	}
	if (b->larval_drop_was >= 0)
		pf_sysctl_set(DX_LARVAL_DROP, b->larval_drop_was);
	free(b);
}

struct dp_backend *dp_xfrm_new(struct pf_loop *loop, char *why, size_t whylen)
{
	struct dx_backend *b = calloc(1, sizeof(*b));
	if (!b) {
		snprintf(why, whylen, "out of memory");
		return NULL;
	}
	b->base = (struct dp_backend){ .name = "xfrm", .counts_traffic = true, .ike_socket = dx_ike_socket,
				       .alloc_spi = dx_alloc_spi, .add_sa = dx_add_sa, .del_sa = dx_del_sa,
				       .add_policy = dx_add_policy, .del_policy = dx_del_policy,
				       .counters = dx_counters, .set_events = dx_set_events, .free = dx_free };
	b->loop = loop;
	b->larval_drop_was = -1;
	b->sk = nl_socket_alloc();
	b->ev = nl_socket_alloc();
	if (!b->sk || !b->ev) {
		snprintf(why, whylen, "out of memory");
		goto fail;
	}
	if (nl_connect(b->sk, NETLINK_XFRM) < 0) {
		snprintf(why, whylen, "no XFRM netlink in this kernel");
		goto fail;
	}
	nl_socket_disable_auto_ack(b->sk); /* dx_talk asks for one where an answer has no end of its own */
	nl_socket_set_msg_buf_size(b->sk, 65536);
	nl_socket_disable_seq_check(b->ev);
	if (nl_connect(b->ev, NETLINK_XFRM) < 0 ||
	    nl_socket_add_memberships(b->ev, XFRMNLGRP_ACQUIRE, XFRMNLGRP_EXPIRE, 0) < 0) {
		snprintf(why, whylen, "cannot listen to XFRM events (vpnsh needs CAP_NET_ADMIN)");
		goto fail;
	}
	nl_socket_set_nonblocking(b->ev);
	nl_socket_set_msg_buf_size(b->ev, 65536);
	if (dx_probe(b, why, whylen) < 0)
		goto fail;
	dx_sweep(b);
	if (pf_loop_add_fd(loop, nl_socket_get_fd(b->ev), PF_LOOP_READ, dx_readable, b) < 0) {
		snprintf(why, whylen, "cannot watch the XFRM events");
		nl_socket_free(b->ev);
		b->ev = NULL;
		goto fail;
	}
	pf_sysctl_set("net/ipv4/ip_forward", 1); /* the appliance routes between its interfaces and the tunnel */
	/* packets that raise an acquire wait for the SA instead of being dropped */
	int was = pf_sysctl_get(DX_LARVAL_DROP);
	if (was > 0) {
		pf_sysctl_set(DX_LARVAL_DROP, 0);
		if (pf_sysctl_get(DX_LARVAL_DROP) == 0)
			b->larval_drop_was = was;
	}
	struct utsname u;
	snprintf(b->base.detail, sizeof(b->base.detail), "the kernel's ESP through XFRM, Linux %.32s%s",
		 uname(&u) == 0 ? u.release : "?", b->larval_drop_was >= 0 || was == 0 ? ", larval queueing" : "");
	return &b->base;
fail:
	if (b->ev) {
		nl_socket_free(b->ev);
		b->ev = NULL;
	}
	if (b->sk) {
		nl_socket_free(b->sk);
		b->sk = NULL;
	}
	dx_free(&b->base);
	return NULL;
}
