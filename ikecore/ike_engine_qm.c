/*
 * ike_engine_qm.c -- Quick Modes under a phase 1 SA and the IPsec SA pairs
 * they produce: one exchange per crypto ACL line (as an ASA negotiates), the
 * responder's choice of crypto map entry for the peer's proxy IDs (static
 * entries for that peer first, then dynamic maps), installation in the
 * dataplane, rekey before the lifetime ends, deletion.
 */
#include "ikecore/ike_engine_int.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/pf_loop.h"

#define QM_RETRIES 5
#define QM_FIRST_RETRY_MS 2000
#define CHILD_REKEY_PERCENT 90    /* the initiator renews the pair at 90% of its life */
#define CHILD_OVERLAP_MS 10000    /* an old pair lives on this long after its successor */

/* ---- exchanges ---- */

static void qm_xchg_free(struct ike_peer *p, struct ike_xchg *x)
{
	for (struct ike_xchg **pp = &p->xchgs; *pp; pp = &(*pp)->next)
		if (*pp == x) {
			*pp = x->next;
			break;
		}
	if (x->timer)
		pf_timer_cancel(p->engine->loop, x->timer);
	if (x->in_installed && p->engine->dp)
		p->engine->dp->del_sa(p->engine->dp, DP_IN, x->qm.in.spi);
	ike_qm_free(&x->qm);
	free(x->last_sent);
	free(x);
}

void eng_qm_free_all(struct ike_peer *p)
{
	while (p->xchgs)
		qm_xchg_free(p, p->xchgs);
}

static void qm_retransmit(void *arg);

static void qm_arm(struct ike_peer *p, struct ike_xchg *x)
{
	if (x->timer)
		pf_timer_cancel(p->engine->loop, x->timer);
	x->timer = pf_timer_add(p->engine->loop, (uint64_t)QM_FIRST_RETRY_MS << x->retries, qm_retransmit, x);
}

static void qm_retransmit(void *arg)
{
	struct ike_xchg *x = arg;
	struct ike_peer *p = x->peer;
	struct ike_engine *e = p->engine;
	x->timer = NULL;
	if (x->retries >= QM_RETRIES) {
		char why[200];
		snprintf(why, sizeof(why), "no answer from the peer to Quick Mode message (M-ID 0x%08X) after %d retransmissions",
			 x->msgid, QM_RETRIES);
		e->stats.p2_failed++;
		trace_p2_failed(e, p, why);
		qm_xchg_free(p, x);
		return;
	}
	x->retries++;
	e->stats.retransmits++;
	trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "retransmitting phase 2 QM_IDLE %u ...", x->msgid);
	eng_send(e, p, x->last_sent, x->last_len);
	qm_arm(p, x);
}

static int qm_keep_sent(struct ike_xchg *x, const struct ike_buf *out)
{
	free(x->last_sent);
	x->last_sent = malloc(out->len);
	if (!x->last_sent)
		return -1;
	memcpy(x->last_sent, out->p, out->len);
	x->last_len = out->len;
	return 0;
}

static uint32_t qm_spi(struct ike_engine *e, const struct ike_peer *p)
{
	uint32_t spi = 0;
	if (e->dp && e->dp->alloc_spi && e->dp->alloc_spi(e->dp, p->peer, p->local, &spi) < 0)
		spi = 0;
	return spi;
}

static void qm_config_from_entry(const struct ike_map_entry *en, struct ike_qm_config *c)
{
	memset(c, 0, sizeof(*c));
	c->sets = en->sets;
	c->nsets = en->nsets;
	c->pfs_group = en->pfs_group;
	c->lifetime = en->lifetime;
	c->acl = en->lines;
	c->nacl = en->nlines;
}

void eng_qm_start(struct ike_peer *p, int entry, int line)
{
	struct ike_engine *e = p->engine;
	if (entry < 0 || (size_t)entry >= e->cfg.nentries)
		return;
	const struct ike_map_entry *en = &e->cfg.entries[entry];
	if (line < 0 || (size_t)line >= en->nlines)
		return;
	for (struct ike_xchg *y = p->xchgs; y; y = y->next)
		if (y->qm.initiator && y->entry == entry && y->line == line && !y->done)
			return; /* already under way */
	struct ike_xchg *x = calloc(1, sizeof(*x));
	if (!x)
		return;
	x->peer = p;
	x->entry = entry;
	x->line = line;
	x->msgid = eng_random_msgid();
	struct ike_qm_config c;
	qm_config_from_entry(en, &c);
	c.local = en->lines[line].local;
	c.remote = en->lines[line].remote;
	c.spi = qm_spi(e, p);
	struct ike_buf out;
	ike_buf_init(&out);
	trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "%s 0x%08X", e->dialect == IKE_DIALECT_IOS
								    ? "beginning Quick Mode exchange, M-ID of"
								    : "IKE Initiator starting QM: msg id =",
		    x->msgid);
	if (ike_qm_initiate(&x->qm, &p->sa, &c, x->msgid, &out) < 0) {
		e->stats.p2_failed++;
		trace_p2_failed(e, p, x->qm.reason);
		ike_buf_free(&out);
		ike_qm_free(&x->qm);
		free(x);
		return;
	}
	x->next = p->xchgs;
	p->xchgs = x;
	qm_keep_sent(x, &out);
	eng_send(e, p, out.p, out.len);
	ike_buf_free(&out);
	qm_arm(p, x);
}

/* ---- the responder's choice of crypto map entry ---- */

struct qm_select_ctx {
	struct ike_engine *e;
	struct ike_peer *p;
	int entry;
	char reason[320];
};

static bool qm_entry_has_peer(const struct ike_map_entry *en, uint32_t peer)
{
	for (size_t i = 0; i < en->npeers; i++)
		if (en->peers[i] == peer)
			return true;
	return false;
}

static int qm_select(void *ctx, const struct ike_selector *peer_local, const struct ike_selector *peer_remote,
		     struct ike_qm_config *out, char *why, size_t whylen)
{
	struct qm_select_ctx *s = ctx;
	struct ike_engine *e = s->e;
	char last[240] = "";
	/* static entries naming this peer, then dynamic maps (contained IDs do) */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < e->cfg.nentries; i++) {
			const struct ike_map_entry *en = &e->cfg.entries[i];
			if (pass == 0 ? en->dynamic || !qm_entry_has_peer(en, s->p->peer) : !en->dynamic)
				continue;
			if (en->nsets == 0 || en->problems[0] || en->originate_only)
				continue;
			if (en->iface[0] && s->p->iface[0] && strcmp(en->iface, s->p->iface) != 0)
				continue;
			char w[240];
			/* a dynamic map without an ACL takes whatever the peer proposes */
			int line = en->dynamic && en->nlines == 0
					   ? 0
					   : ike_proxy_match(en->lines, en->nlines, peer_local, peer_remote, pass == 1, w,
							     sizeof(w));
			if (line < 0) {
				snprintf(last, sizeof(last), "%s", w);
				continue;
			}
			qm_config_from_entry(en, out);
			out->spi = qm_spi(e, s->p);
			out->select = NULL;
			s->entry = (int)i;
			return line;
		}
	char l[16], lm[16], r[16], rm[16];
	trace_addr(peer_remote->net, l, sizeof(l));
	trace_addr(peer_remote->mask, lm, sizeof(lm));
	trace_addr(peer_local->net, r, sizeof(r));
	trace_addr(peer_local->mask, rm, sizeof(rm));
	snprintf(why, whylen, "%s", last[0] ? last : "no crypto map entry for this peer");
	snprintf(s->reason, sizeof(s->reason),
		 "Rejecting IPSec tunnel: no matching crypto map entry for remote proxy %s/%s/%u/%u local proxy "
		 "%s/%s/%u/%u on interface %s",
		 r, rm, peer_local->protocol, peer_local->port, l, lm, peer_remote->protocol, peer_remote->port,
		 s->p->iface[0] ? s->p->iface : "?");
	return -1;
}

/* ---- IPsec SA pairs ---- */

static enum dp_enc child_enc(const struct ike_esp_params *p)
{
	switch (p->id) {
	case IKE_ESP_DES:
		return DP_ENC_DES_CBC;
	case IKE_ESP_3DES:
		return DP_ENC_3DES_CBC;
	case IKE_ESP_AES:
		return DP_ENC_AES_CBC;
	case IKE_ESP_AES_GCM_16:
		return DP_ENC_AES_GCM16;
	default:
		return DP_ENC_NULL;
	}
}

static enum dp_auth child_auth(const struct ike_esp_params *p)
{
	switch (p->auth) {
	case IKE_ESP_AUTH_MD5:
		return DP_AUTH_HMAC_MD5_96;
	case IKE_ESP_AUTH_SHA1:
		return DP_AUTH_HMAC_SHA1_96;
	case IKE_ESP_AUTH_SHA256:
		return DP_AUTH_HMAC_SHA256_128;
	case IKE_ESP_AUTH_SHA384:
		return DP_AUTH_HMAC_SHA384_192;
	case IKE_ESP_AUTH_SHA512:
		return DP_AUTH_HMAC_SHA512_256;
	default:
		return DP_AUTH_NONE;
	}
}

static struct dp_selector child_sel(const struct ike_selector *s)
{
	return (struct dp_selector){ .net = s->net, .mask = s->mask, .protocol = s->protocol, .port = s->port };
}

static void child_sa(const struct ike_child *c, const struct ike_child_keys *k, enum dp_dir dir, struct dp_sa *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->dir = dir;
	sa->spi = dir == DP_IN ? c->spi_in : c->spi_out;
	sa->reqid = c->reqid;
	sa->src = dir == DP_IN ? c->peer_addr : c->local_addr;
	sa->dst = dir == DP_IN ? c->local_addr : c->peer_addr;
	if (c->udp_encap) {
		sa->encap_sport = dir == DP_IN ? c->peer_port : c->local_port;
		sa->encap_dport = dir == DP_IN ? c->local_port : c->peer_port;
	}
	sa->enc = child_enc(&c->esp);
	sa->enc_key_len = k->enc_len < sizeof(sa->enc_key) ? k->enc_len : sizeof(sa->enc_key);
	memcpy(sa->enc_key, k->enc, sa->enc_key_len);
	sa->auth = child_auth(&c->esp);
	sa->auth_key_len = k->auth_len < sizeof(sa->auth_key) ? k->auth_len : sizeof(sa->auth_key);
	memcpy(sa->auth_key, k->auth, sa->auth_key_len);
	sa->local = child_sel(&c->local);
	sa->remote = child_sel(&c->remote);
	sa->replay_window = c->engine->cfg.replay_window;
	sa->life_seconds = c->lifetime;
	sa->life_kbytes = c->lifetime_kb;
	sa->df = c->df_bit == 1 ? DP_DF_SET : c->df_bit == 2 ? DP_DF_CLEAR : DP_DF_COPY;
}

struct ike_child *eng_child_find(struct ike_engine *e, uint32_t peer, const char *map, int seq,
				 const struct ike_selector *local, const struct ike_selector *remote)
{
	for (struct ike_child *c = e->children; c; c = c->next)
		if (!c->rekeyed && c->peer_addr == peer && c->seq == seq && strcmp(c->map, map) == 0 &&
		    c->local.net == local->net && c->local.mask == local->mask && c->remote.net == remote->net &&
		    c->remote.mask == remote->mask)
			return c;
	return NULL;
}

static void child_unlink(struct ike_engine *e, struct ike_child *c)
{
	for (struct ike_child **pp = &e->children; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			return;
		}
}

void eng_child_delete(struct ike_engine *e, struct ike_child *c, bool tell_peer, const char *why)
{
	child_unlink(e, c);
	if (c->soft)
		pf_timer_cancel(e->loop, c->soft);
	if (c->hard)
		pf_timer_cancel(e->loop, c->hard);
	if (tell_peer) {
		struct ike_peer *p = eng_peer_for(e, c->peer_addr);
		struct ike_buf b;
		if (p && p->sa.state == IKE_P1_COMPLETE &&
		    ike_info_delete(&p->sa, eng_random_msgid(), IKE_PROTO_ESP_ID, &c->spi_in, 1, &b) == 0)
			eng_send(e, p, b.p, b.len);
		if (p)
			ike_buf_free(&b);
	}
	if (e->dp) {
		e->dp->del_sa(e->dp, DP_IN, c->spi_in);
		e->dp->del_sa(e->dp, DP_OUT, c->spi_out);
		bool shared = false;
		for (struct ike_child *o = e->children; o; o = o->next)
			shared |= o->reqid == c->reqid;
		for (size_t i = 0; i < e->ntraps; i++)
			shared |= e->traps[i].reqid == c->reqid;
		if (!shared)
			e->dp->del_policy(e->dp, c->reqid);
	}
	trace_child_gone(e, c, why);
	OPENSSL_cleanse(c, sizeof(*c));
	free(c);
}

static void child_hard(void *arg)
{
	struct ike_child *c = arg;
	c->hard = NULL;
	eng_child_delete(c->engine, c, true, c->rekeyed ? "replaced by a newer SA" : "lifetime expired");
}

static void child_soft(void *arg)
{
	struct ike_child *c = arg;
	struct ike_engine *e = c->engine;
	c->soft = NULL;
	if (c->rekeyed)
		return;
	/* the same traffic again: the entry and line it came from */
	for (size_t i = 0; i < e->cfg.nentries; i++) {
		const struct ike_map_entry *en = &e->cfg.entries[i];
		if (en->seq != c->seq || strcmp(en->map, c->map) != 0)
			continue;
		for (size_t l = 0; l < en->nlines; l++)
			if (en->lines[l].local.net == c->local.net && en->lines[l].remote.net == c->remote.net) {
				char why[128];
				struct ike_peer *p = eng_peer_for(e, c->peer_addr);
				if (p && p->sa.state == IKE_P1_COMPLETE)
					eng_qm_start(p, (int)i, (int)l);
				else
					ike_engine_trigger(e, c->local.net, c->remote.net, 0, why, sizeof(why));
				return;
			}
	}
}

/* 90% of the lifetime: renew the pair if it carried traffic. An idle pair
 * is left to expire, as the devices do; its crypto ACL line stays a policy,
 * so the next packet brings a new pair up (and waits for it). A dataplane
 * that cannot tell (record) renews every pair. */
static void child_soft_timer(void *arg)
{
	struct ike_child *c = arg;
	struct ike_engine *e = c->engine;
	if (e->dp && e->dp->counts_traffic) {
		struct dp_counters in, out;
		ike_engine_child_counters(e, c, &in, &out);
		if (!in.last_used_ms && !out.last_used_ms) {
			c->soft = NULL;
			trace_debug(e, IKE_DEBUG_IPSEC, 1, NULL,
				    "IPSEC: SA pair with SPI 0x%08X/0x%08X carried no traffic: not renewed, it expires",
				    c->spi_in, c->spi_out);
			return;
		}
	}
	child_soft(arg);
}

/* The dataplane says an SA reached its soft or hard limit (kilobytes,
 * sequence numbers): renew the pair or delete it. */
void eng_child_expired(struct ike_engine *e, uint32_t spi, enum dp_dir dir, bool hard)
{
	for (struct ike_child *c = e->children; c; c = c->next) {
		if ((dir == DP_IN ? c->spi_in : c->spi_out) != spi)
			continue;
		if (hard) {
			eng_child_delete(e, c, true, "lifetime (volume) expired");
		} else if (!c->rekeyed) {
			if (c->soft) {
				pf_timer_cancel(e->loop, c->soft);
				c->soft = NULL;
			}
			child_soft(c);
		}
		return;
	}
}

/* ---- trap policies ---- */

static bool sel_eq(const struct ike_selector *a, const struct ike_selector *b)
{
	return a->net == b->net && a->mask == b->mask && a->protocol == b->protocol && a->port == b->port;
}

static const struct eng_trap *eng_trap_match(const struct ike_engine *e, const char *map, int seq,
					     const struct ike_selector *local, const struct ike_selector *remote,
					     uint32_t peer, bool bypass)
{
	for (size_t i = 0; i < e->ntraps; i++) {
		const struct eng_trap *t = &e->traps[i];
		if (t->seq == seq && t->peer == peer && t->bypass == bypass && strcmp(t->map, map) == 0 &&
		    sel_eq(&t->local, local) && sel_eq(&t->remote, remote))
			return t;
	}
	return NULL;
}

/* The trap policy an SA pair negotiated for this line belongs to. */
static const struct eng_trap *eng_trap_find(const struct ike_engine *e, const char *map, int seq,
					    const struct ike_selector *local, const struct ike_selector *remote,
					    uint32_t peer)
{
	return eng_trap_match(e, map, seq, local, remote, peer, false);
}

static bool eng_reqid_in_use(const struct ike_engine *e, uint32_t reqid)
{
	for (const struct ike_child *c = e->children; c; c = c->next)
		if (c->reqid == reqid)
			return true;
	return false;
}

static void eng_trap_policy(struct ike_engine *e, const struct eng_trap *t)
{
	char why[160];
	struct dp_policy pol = { .reqid = t->reqid, .local = child_sel(&t->local), .remote = child_sel(&t->remote),
				 .local_addr = t->local_addr, .peer_addr = t->peer, .bypass = t->bypass };
	if (e->dp->add_policy(e->dp, &pol, why, sizeof(why)) < 0)
		trace_debug(e, IKE_DEBUG_IPSEC, 1, NULL, "crypto map %s %d: the dataplane (%s) refused its policy: %s",
			    t->map, t->seq, e->dp->name, why);
}

void eng_traps_sync(struct ike_engine *e)
{
	if (!e->dp || !e->dp->add_policy)
		return;
	struct eng_trap *want = NULL;
	size_t nwant = 0;
	for (size_t i = 0; i < e->cfg.nentries; i++) {
		const struct ike_map_entry *en = &e->cfg.entries[i];
		if (en->dynamic || en->problems[0] || !en->local_addr || !en->npeers)
			continue;
		struct eng_trap *n = realloc(want, (nwant + en->nrules) * sizeof(*n));
		if (!n)
			break;
		want = n;
		for (size_t l = 0; l < en->nrules; l++) {
			struct eng_trap *t = &want[nwant++];
			memset(t, 0, sizeof(*t));
			snprintf(t->map, sizeof(t->map), "%s", en->map);
			t->seq = en->seq;
			t->local = en->rules[l].line.local;
			t->remote = en->rules[l].line.remote;
			t->local_addr = en->local_addr;
			t->peer = en->peers[0];
			t->bypass = en->rules[l].deny;
		}
	}
	/* the unchanged keep their reqid; the rest go, and the new come */
	for (size_t i = 0; i < e->ntraps; i++) {
		struct eng_trap *old = &e->traps[i];
		bool kept = false;
		for (size_t j = 0; j < nwant && !kept; j++)
			if (!want[j].reqid && want[j].local_addr == old->local_addr &&
			    eng_trap_match(e, want[j].map, want[j].seq, &want[j].local, &want[j].remote, want[j].peer,
					   want[j].bypass) == old) {
				want[j].reqid = old->reqid;
				kept = true;
			}
		if (!kept && !eng_reqid_in_use(e, old->reqid))
			e->dp->del_policy(e->dp, old->reqid);
	}
	/* policies in the order of the entries and their lines: the first match wins */
	for (size_t j = 0; j < nwant; j++)
		if (!want[j].reqid) {
			want[j].reqid = e->next_reqid++;
			eng_trap_policy(e, &want[j]);
		}
	free(e->traps);
	e->traps = want;
	e->ntraps = nwant;
}

void eng_traps_free(struct ike_engine *e)
{
	for (size_t i = 0; i < e->ntraps; i++)
		if (e->dp && !eng_reqid_in_use(e, e->traps[i].reqid))
			e->dp->del_policy(e->dp, e->traps[i].reqid);
	free(e->traps);
	e->traps = NULL;
	e->ntraps = 0;
}

/* What an SA pair negotiated by x is, before it goes anywhere; returns the
 * pair it renews, if any. */
static struct ike_child *child_fill(struct ike_peer *p, const struct ike_xchg *x, int entry, const char *acl_text,
				    struct ike_child *c, const struct eng_trap **trap)
{
	struct ike_engine *e = p->engine;
	const struct ike_qm *qm = &x->qm;
	c->engine = e;
	if (entry >= 0 && (size_t)entry < e->cfg.nentries) {
		const struct ike_map_entry *en = &e->cfg.entries[entry];
		snprintf(c->map, sizeof(c->map), "%s", en->map);
		c->seq = en->seq;
		snprintf(c->iface, sizeof(c->iface), "%s", en->iface[0] ? en->iface : p->iface);
		c->lifetime_kb = en->lifetime_kb;
		c->df_bit = en->df_bit;
	}
	snprintf(c->acl_text, sizeof(c->acl_text), "%s", acl_text ? acl_text : "");
	c->local = qm->local;
	c->remote = qm->remote;
	c->esp = qm->chosen;
	c->pfs_group = qm->cfg.pfs_group;
	c->lifetime = qm->lifetime;
	c->spi_in = qm->in.spi;
	c->spi_out = qm->out.spi;
	c->local_addr = p->local;
	c->peer_addr = p->peer;
	c->local_port = p->local_port;
	c->peer_port = p->peer_port;
	c->udp_encap = qm->udp_tunnel != 0;
	c->initiator = qm->initiator;
	c->created_ms = pf_now_ms();
	/* the pair it renews, if any, keeps its reqid and goes shortly */
	struct ike_child *old = eng_child_find(e, p->peer, c->map, c->seq, &c->local, &c->remote);
	*trap = eng_trap_find(e, c->map, c->seq, &c->local, &c->remote, p->peer);
	c->reqid = x->reqid ? x->reqid : old ? old->reqid : *trap ? (*trap)->reqid : e->next_reqid++;
	return old;
}

/* The responder, about to send message 2: the inbound SA goes in now, since
 * the initiator may send through the pair as soon as it has message 2. */
static void child_install_inbound(struct ike_peer *p, struct ike_xchg *x)
{
	struct ike_engine *e = p->engine;
	if (!e->dp || x->qm.state != IKE_QM_R_QM2)
		return;
	const struct ike_map_entry *en = x->entry >= 0 && (size_t)x->entry < e->cfg.nentries ? &e->cfg.entries[x->entry]
											  : NULL;
	const char *text = en && x->line >= 0 && (size_t)x->line < en->nlines ? en->line_text[x->line] : NULL;
	struct ike_child c = { 0 };
	const struct eng_trap *trap;
	child_fill(p, x, x->entry, text, &c, &trap);
	x->reqid = c.reqid;
	struct dp_sa in;
	char why[160];
	child_sa(&c, &x->qm.in, DP_IN, &in);
	x->in_installed = e->dp->add_sa(e->dp, &in, why, sizeof(why)) == 0;
	OPENSSL_cleanse(&in, sizeof(in));
	OPENSSL_cleanse(&c, sizeof(c));
}

static void child_install(struct ike_peer *p, struct ike_xchg *x, int entry, const char *acl_text)
{
	struct ike_engine *e = p->engine;
	struct ike_child *c = calloc(1, sizeof(*c));
	if (!c)
		return;
	const struct ike_qm *qm = &x->qm;
	const struct eng_trap *trap;
	struct ike_child *old = child_fill(p, x, entry, acl_text, c, &trap);
	if (e->dp) {
		struct dp_sa in, out;
		char why[160];
		child_sa(c, &qm->in, DP_IN, &in);
		child_sa(c, &qm->out, DP_OUT, &out);
		struct dp_policy pol = { .reqid = c->reqid, .local = in.local, .remote = in.remote,
					 .local_addr = c->local_addr, .peer_addr = c->peer_addr };
		int rc = x->in_installed ? 0 : e->dp->add_sa(e->dp, &in, why, sizeof(why));
		x->in_installed = false; /* the child owns it from here, or it goes below */
		if (rc == 0 && (rc = e->dp->add_sa(e->dp, &out, why, sizeof(why))) < 0)
			e->dp->del_sa(e->dp, DP_IN, in.spi);
		if (rc == 0 && !old && !trap && (rc = e->dp->add_policy(e->dp, &pol, why, sizeof(why))) < 0) {
			e->dp->del_sa(e->dp, DP_IN, in.spi);
			e->dp->del_sa(e->dp, DP_OUT, out.spi);
		}
		OPENSSL_cleanse(&in, sizeof(in));
		OPENSSL_cleanse(&out, sizeof(out));
		if (rc < 0) {
			char reason[240];
			snprintf(reason, sizeof(reason), "the dataplane (%s) refused the SA: %s", e->dp->name, why);
			e->stats.p2_failed++;
			trace_p2_failed(e, p, reason);
			free(c);
			return;
		}
	}
	c->next = e->children;
	e->children = c;
	if (old) {
		old->rekeyed = true;
		if (old->soft) {
			pf_timer_cancel(e->loop, old->soft);
			old->soft = NULL;
		}
		if (old->hard)
			pf_timer_cancel(e->loop, old->hard);
		old->hard = pf_timer_add(e->loop, CHILD_OVERLAP_MS, child_hard, old);
	}
	if (c->lifetime) {
		c->hard = pf_timer_add(e->loop, (uint64_t)c->lifetime * 1000, child_hard, c);
		if (c->initiator)
			c->soft = pf_timer_add(e->loop, (uint64_t)c->lifetime * 10 * CHILD_REKEY_PERCENT, child_soft_timer, c);
	}
	e->stats.p2_ok++;
	trace_p2_done(e, p, c, x->msgid);
}

/* ---- receiving ---- */

void eng_qm_receive(struct ike_peer *p, const uint8_t *msg, size_t len)
{
	struct ike_engine *e = p->engine;
	if (p->sa.state != IKE_P1_COMPLETE) {
		e->stats.dropped_other++;
		trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "Quick Mode message before phase 1 completed, dropping");
		return;
	}
	uint32_t msgid = len >= IKE_HDR_LEN ? (uint32_t)msg[20] << 24 | (uint32_t)msg[21] << 16 |
						      (uint32_t)msg[22] << 8 | msg[23]
					    : 0;
	struct ike_xchg *x = NULL;
	for (struct ike_xchg *y = p->xchgs; y; y = y->next)
		if (y->msgid == msgid)
			x = y;
	struct ike_buf out;
	ike_buf_init(&out);
	if (!x) {
		/* a new Quick Mode from the peer */
		x = calloc(1, sizeof(*x));
		if (!x)
			return;
		x->msgid = msgid;
		x->peer = p;
		struct qm_select_ctx sel = { .e = e, .p = p, .entry = -1 };
		struct ike_qm_config c = { .select = qm_select, .select_ctx = &sel };
		if (ike_qm_respond(&x->qm, &p->sa, &c, msg, len, &out) < 0) {
			e->stats.p2_failed++;
			char reason[600];
			snprintf(reason, sizeof(reason), "%s%s%s", x->qm.reason, sel.reason[0] ? "; " : "", sel.reason);
			trace_p2_failed(e, p, reason);
			ike_buf_free(&out);
			ike_qm_free(&x->qm);
			free(x);
			return;
		}
		x->entry = sel.entry;
		x->line = x->qm.acl_line;
		x->next = p->xchgs;
		p->xchgs = x;
		child_install_inbound(p, x); /* before message 2 leaves */
		eng_send(e, p, out.p, out.len);
		eng_keep_reply(p, &out);
		qm_keep_sent(x, &out);
		ike_buf_free(&out);
		qm_arm(p, x);
		return;
	}
	int rc = ike_qm_receive(&x->qm, &p->sa, msg, len, &out);
	if (rc < 0) {
		e->stats.p2_failed++;
		trace_p2_failed(e, p, x->qm.reason);
		ike_buf_free(&out);
		qm_xchg_free(p, x);
		return;
	}
	if (rc == 1) {
		eng_send(e, p, out.p, out.len);
		eng_keep_reply(p, &out);
	}
	ike_buf_free(&out);
	if (x->qm.state == IKE_QM_PHASE2_COMPLETE) {
		const struct ike_map_entry *en = x->entry >= 0 && (size_t)x->entry < e->cfg.nentries
							 ? &e->cfg.entries[x->entry]
							 : NULL;
		const char *text = en && x->line >= 0 && (size_t)x->line < en->nlines ? en->line_text[x->line] : NULL;
		child_install(p, x, x->entry, text);
		qm_xchg_free(p, x);
	}
}
