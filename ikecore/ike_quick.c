/*
 * ike_quick.c -- Quick Mode with the phase 1 SA's keys: the HASH payloads
 * that authenticate each message, the IPsec SA proposal and the responder's
 * choice among its transform sets, the proxy identities, optional PFS, and
 * KEYMAT for both directions.
 */
#include "ikecore/ike_quick.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikecore/ike_cipher.h"

#define QM_PROTO_ESP 3
#define QM_NONCE_LEN 20
#define QM_ID_IPV4_ADDR 1
#define QM_ID_IPV4_SUBNET 4

const char *ike_qm_state_name(enum ike_qm_state s)
{
	switch (s) {
	case IKE_QM_READY:
		return "IKE_QM_READY";
	case IKE_QM_I_QM1:
		return "IKE_QM_I_QM1";
	case IKE_QM_R_QM2:
		return "IKE_QM_R_QM2";
	case IKE_QM_PHASE2_COMPLETE:
		return "IKE_QM_PHASE2_COMPLETE";
	case IKE_QM_FAILED:
		return "IKE_QM_FAILED";
	}
	return "IKE_QM_READY";
}

static int qm_fail(struct ike_qm *qm, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(qm->reason, sizeof(qm->reason), fmt, ap);
	va_end(ap);
	qm->state = IKE_QM_FAILED;
	return -1;
}

/* ---- payloads ---- */

static void qm_payload(struct ike_buf *b, uint8_t type, const uint8_t *body, size_t len)
{
	size_t at = ike_buf_begin_payload(b, type);
	ike_buf_put(b, body, len);
	ike_buf_end_payload(b, at);
}

/* The encapsulation mode attribute: tunnel or transport, UDP-encapsulated
 * (in the variant of NAT-T agreed) when a NAT is between the peers. */
static uint16_t qm_encap_mode(const struct ike_esp_params *p, uint16_t udp_tunnel)
{
	if (!udp_tunnel)
		return p->transport ? IKE_ENCAP_TRANSPORT : IKE_ENCAP_TUNNEL;
	if (!p->transport)
		return udp_tunnel;
	return udp_tunnel == IKE_ENCAP_UDP_TUNNEL ? 4 : 61444;
}

static void qm_transform(struct ike_buf *b, const struct ike_esp_params *p, uint8_t number, bool last, int pfs,
			 uint32_t lifetime, uint16_t udp_tunnel)
{
	size_t start = b->len;
	ike_buf_put8(b, last ? IKE_PL_NONE : IKE_PL_TRANSFORM);
	ike_buf_put8(b, 0);
	ike_buf_put16(b, 0);
	ike_buf_put8(b, number);
	ike_buf_put8(b, p->id);
	ike_buf_put16(b, 0);
	if (lifetime) {
		ike_buf_attr(b, IKE_IPSEC_LIFE_TYPE, 1);
		ike_buf_attr(b, IKE_IPSEC_LIFE_DURATION, lifetime);
	}
	if (pfs)
		ike_buf_attr(b, IKE_IPSEC_GROUP, (uint32_t)pfs);
	ike_buf_attr(b, IKE_IPSEC_ENCAPSULATION, qm_encap_mode(p, udp_tunnel));
	if (p->auth != IKE_ESP_AUTH_NONE)
		ike_buf_attr(b, IKE_IPSEC_AUTH, p->auth);
	if (p->keybits)
		ike_buf_attr(b, IKE_IPSEC_KEY_LENGTH, p->keybits);
	if (b->failed)
		return;
	size_t n = b->len - start;
	b->p[start + 2] = (uint8_t)(n >> 8);
	b->p[start + 3] = (uint8_t)n;
}

/* An IPsec SA payload body: one ESP proposal with our inbound SPI. */
static void qm_sa_body(struct ike_buf *b, const struct ike_esp_params *sets, size_t n, uint32_t spi, int pfs,
		       uint32_t lifetime, uint16_t udp_tunnel)
{
	ike_buf_put32(b, 1);
	ike_buf_put32(b, 1);
	size_t prop = b->len;
	ike_buf_put8(b, IKE_PL_NONE);
	ike_buf_put8(b, 0);
	ike_buf_put16(b, 0);
	ike_buf_put8(b, 1);
	ike_buf_put8(b, QM_PROTO_ESP);
	ike_buf_put8(b, 4);
	ike_buf_put8(b, (uint8_t)n);
	ike_buf_put32(b, spi);
	for (size_t i = 0; i < n; i++)
		qm_transform(b, &sets[i], (uint8_t)(i + 1), i + 1 == n, pfs, lifetime, udp_tunnel);
	if (b->failed)
		return;
	size_t len = b->len - prop;
	b->p[prop + 2] = (uint8_t)(len >> 8);
	b->p[prop + 3] = (uint8_t)len;
}

static size_t qm_id(const struct ike_selector *s, uint8_t id[12])
{
	bool host = s->mask == 0xffffffffu;
	id[0] = host ? QM_ID_IPV4_ADDR : QM_ID_IPV4_SUBNET;
	id[1] = s->protocol;
	id[2] = (uint8_t)(s->port >> 8);
	id[3] = (uint8_t)s->port;
	for (int i = 0; i < 4; i++) {
		id[4 + i] = (uint8_t)(s->net >> (24 - 8 * i));
		id[8 + i] = (uint8_t)(s->mask >> (24 - 8 * i));
	}
	return host ? 8 : 12;
}

/* The HASH-protected part of a message: SA, nonce, [KE], IDci, IDcr. */
static int qm_rest(struct ike_qm *qm, const struct ike_esp_params *sets, size_t n, const struct ike_selector *ci,
		   const struct ike_selector *cr, struct ike_buf *rest)
{
	ike_buf_init(rest);
	rest->last_next = (size_t)-1;
	size_t sa = ike_buf_begin_payload(rest, IKE_PL_SA);
	qm_sa_body(rest, sets, n, qm->in.spi, qm->cfg.pfs_group, qm->initiator ? qm->cfg.lifetime : qm->offered_lifetime,
		   qm->udp_tunnel);
	ike_buf_end_payload(rest, sa);
	qm_payload(rest, IKE_PL_NONCE, qm->initiator ? qm->ni : qm->nr, QM_NONCE_LEN);
	if (qm->cfg.pfs_group)
		qm_payload(rest, IKE_PL_KE, qm->gx_mine, qm->gx_len);
	uint8_t id[12];
	qm_payload(rest, IKE_PL_ID, id, qm_id(ci, id));
	qm_payload(rest, IKE_PL_ID, id, qm_id(cr, id));
	return rest->failed ? qm_fail(qm, "out of memory") : 0;
}

/* HDR*, HASH(n), rest, encrypted with the exchange's IV chain. */
static int qm_send(struct ike_qm *qm, const struct ike_p1 *p1, const uint8_t *hash, size_t hlen, const uint8_t *rest,
		   size_t rlen, uint8_t first_after_hash, struct ike_buf *out)
{
	struct ike_buf body;
	ike_buf_init(&body);
	ike_buf_put8(&body, first_after_hash);
	ike_buf_put8(&body, 0);
	ike_buf_put16(&body, (uint16_t)(4 + hlen));
	ike_buf_put(&body, hash, hlen);
	ike_buf_put(&body, rest, rlen);
	int rc = ike_p1_seal(p1, IKE_XCHG_QUICK, qm->msgid, IKE_PL_HASH, qm->iv, &body, out);
	ike_buf_free(&body);
	if (rc == -1)
		return qm_fail(qm, "cannot encrypt a Quick Mode message");
	return rc == 0 ? 0 : qm_fail(qm, "message too large");
}

/* A received message decrypted and parsed; *rest and *rlen point at the
 * bytes after the HASH payload (to the end of the last payload). The caller
 * frees *plain. */
static int qm_open(struct ike_qm *qm, const struct ike_p1 *p1, const uint8_t *msg, size_t len, struct ike_msg *m,
		   uint8_t **plain, const uint8_t **rest, size_t *rlen)
{
	char why[128];
	*plain = NULL;
	struct ike_msg raw;
	if (ike_msg_parse(msg, len, &raw, why, sizeof(why)) < 0)
		return qm_fail(qm, "malformed message: %s", why);
	if (raw.hdr.exchange != IKE_XCHG_QUICK || !(raw.hdr.flags & IKE_FLAG_ENCRYPTED) || raw.hdr.msgid != qm->msgid)
		return qm_fail(qm, "not a message of this Quick Mode exchange");
	uint8_t iv[16];
	memcpy(iv, qm->iv, sizeof(iv));
	int rc = ike_p1_open(p1, &raw, iv, m, plain, why, sizeof(why));
	if (rc == -1)
		return qm_fail(qm, "encrypted body of %zu bytes", raw.rawlen - IKE_HDR_LEN);
	if (rc == -2)
		return qm_fail(qm, "out of memory");
	if (rc == -3)
		return qm_fail(qm, "Quick Mode message did not decrypt: %s", why);
	if (ike_p1_after_hash(m, rest, rlen) < 0)
		return qm_fail(qm, "Quick Mode message does not begin with HASH");
	memcpy(qm->iv, iv, sizeof(qm->iv)); /* advanced once the message is checked by the caller */
	return 0;
}

static int qm_hash(const struct ike_p1 *p1, const struct ike_chunk *c, size_t n, uint8_t *out)
{
	return ike_prf(p1->params.hash, p1->keys.skeyid_a, p1->keys.len, c, n, out);
}

static void qm_msgid_bytes(uint32_t id, uint8_t b[4])
{
	b[0] = (uint8_t)(id >> 24);
	b[1] = (uint8_t)(id >> 16);
	b[2] = (uint8_t)(id >> 8);
	b[3] = (uint8_t)id;
}

/* ---- proposals ---- */

static int qm_transform_params(const struct ike_transform *t, struct ike_esp_params *p, int *group,
			       uint16_t *udp_tunnel, uint32_t *seconds)
{
	memset(p, 0, sizeof(*p));
	p->id = t->id;
	*group = 0;
	*udp_tunnel = 0;
	*seconds = 0;
	bool in_seconds = true;
	for (size_t i = 0; i < t->nattr; i++) {
		const struct ike_attr *a = &t->attr[i];
		switch (a->type) {
		case IKE_IPSEC_AUTH:
			p->auth = (uint16_t)a->value;
			break;
		case IKE_IPSEC_KEY_LENGTH:
			p->keybits = (uint16_t)a->value;
			break;
		case IKE_IPSEC_GROUP:
			*group = (int)a->value;
			break;
		case IKE_IPSEC_LIFE_TYPE:
			in_seconds = a->value == 1;
			break;
		case IKE_IPSEC_LIFE_DURATION:
			if (in_seconds)
				*seconds = a->value;
			break;
		case IKE_IPSEC_ENCAPSULATION:
			p->transport = a->value == IKE_ENCAP_TRANSPORT || a->value == 4 || a->value == 61444;
			if (a->value == IKE_ENCAP_UDP_TUNNEL || a->value == 4)
				*udp_tunnel = IKE_ENCAP_UDP_TUNNEL;
			else if (a->value == IKE_ENCAP_UDP_TUNNEL_DRAFT || a->value == 61444)
				*udp_tunnel = IKE_ENCAP_UDP_TUNNEL_DRAFT;
			break;
		}
	}
	if (p->id == IKE_ESP_AES && !p->keybits)
		p->keybits = 128;
	return 0;
}

static bool qm_esp_equal(const struct ike_esp_params *a, const struct ike_esp_params *b)
{
	return a->id == b->id && a->keybits == b->keybits && a->auth == b->auth && a->transport == b->transport;
}

/* The responder's choice: the first offered transform equal to one of our
 * transform sets, with the PFS group we require. */
static int qm_choose(struct ike_qm *qm, const struct ike_sa *offer, uint32_t *peer_spi)
{
	char offered[128] = "";
	for (size_t pi = 0; pi < offer->nprop; pi++) {
		const struct ike_proposal *pr = &offer->prop[pi];
		if (pr->protocol != QM_PROTO_ESP || pr->spilen != 4)
			continue;
		for (size_t ti = 0; ti < pr->nxf; ti++) {
			struct ike_esp_params p;
			int group;
			uint16_t udp;
			uint32_t life;
			qm_transform_params(&pr->xf[ti], &p, &group, &udp, &life);
			if (!offered[0])
				ike_esp_describe(&p, offered, sizeof(offered));
			for (size_t k = 0; k < qm->cfg.nsets; k++) {
				if (!qm_esp_equal(&p, &qm->cfg.sets[k]))
					continue;
				if (group != qm->cfg.pfs_group)
					return qm_fail(qm, "PFS mismatch: the peer offers group %d, the crypto map requires %s%d",
						       group, qm->cfg.pfs_group ? "group " : "", qm->cfg.pfs_group);
				qm->chosen = qm->cfg.sets[k];
				qm->udp_tunnel = udp;
				qm->offered_lifetime = life;
				/* the shorter lifetime wins (RFC 2407 4.6.3.1) */
				qm->lifetime = life && (qm->cfg.lifetime == 0 || life < qm->cfg.lifetime) ? life
													: qm->cfg.lifetime;
				*peer_spi = (uint32_t)pr->spi[0] << 24 | (uint32_t)pr->spi[1] << 16 |
					    (uint32_t)pr->spi[2] << 8 | pr->spi[3];
				return 0;
			}
		}
	}
	return qm_fail(qm, "all IPsec SA proposals found unacceptable: the peer offered %s",
		       offered[0] ? offered : "no ESP transform");
}

/* ---- keys ---- */

static size_t qm_enc_len(const struct ike_esp_params *p)
{
	switch (p->id) {
	case IKE_ESP_DES:
		return 8;
	case IKE_ESP_3DES:
		return 24;
	case IKE_ESP_AES:
		return p->keybits / 8u;
	case IKE_ESP_AES_GCM_16:
		return p->keybits / 8u + 4; /* the salt (RFC 4106) */
	}
	return 0;
}

static size_t qm_auth_len(uint16_t auth)
{
	switch (auth) {
	case IKE_ESP_AUTH_MD5:
		return 16;
	case IKE_ESP_AUTH_SHA1:
		return 20;
	case IKE_ESP_AUTH_SHA256:
		return 32;
	case IKE_ESP_AUTH_SHA384:
		return 48;
	case IKE_ESP_AUTH_SHA512:
		return 64;
	}
	return 0;
}

static int qm_keymat(struct ike_qm *qm, const struct ike_p1 *p1, struct ike_child_keys *k)
{
	uint8_t gxy[IKE_DH_MAX];
	struct ike_chunk g = { NULL, 0 };
	if (qm->cfg.pfs_group) {
		int n = ike_dh_shared(qm->dh, qm->gx_peer, qm->gx_len, gxy, sizeof(gxy));
		if (n < 0)
			return qm_fail(qm, "the peer's PFS public value is not in group %d", qm->cfg.pfs_group);
		g = (struct ike_chunk){ gxy, (size_t)n };
	}
	k->enc_len = qm_enc_len(&qm->chosen);
	k->auth_len = qm_auth_len(qm->chosen.auth);
	uint8_t mat[96], spi[4];
	qm_msgid_bytes(k->spi, spi);
	int rc = ike_keymat(p1->params.hash, &p1->keys, g, QM_PROTO_ESP, spi, (struct ike_chunk){ qm->ni, qm->ni_len },
			    (struct ike_chunk){ qm->nr, qm->nr_len }, k->enc_len + k->auth_len, mat);
	if (rc == 0) {
		memcpy(k->enc, mat, k->enc_len);
		memcpy(k->auth, mat + k->enc_len, k->auth_len);
	}
	OPENSSL_cleanse(mat, sizeof(mat));
	OPENSSL_cleanse(gxy, sizeof(gxy));
	return rc < 0 ? qm_fail(qm, "cannot derive KEYMAT") : 0;
}

static int qm_begin(struct ike_qm *qm, const struct ike_p1 *p1, const struct ike_qm_config *cfg, bool initiator)
{
	memset(qm, 0, sizeof(*qm));
	qm->cfg = *cfg;
	qm->initiator = initiator;
	if (p1->state != IKE_P1_COMPLETE)
		return qm_fail(qm, "no phase 1 SA");
	uint8_t spi[4];
	qm->in.spi = cfg->spi;
	while (qm->in.spi == 0) {
		if (RAND_bytes(spi, 4) != 1)
			return qm_fail(qm, "no randomness");
		qm->in.spi = (uint32_t)spi[0] << 24 | (uint32_t)spi[1] << 16 | (uint32_t)spi[2] << 8 | spi[3];
		if (qm->in.spi < 256)
			qm->in.spi = 0; /* SPIs 1-255 are reserved */
	}
	uint8_t *nonce = initiator ? qm->ni : qm->nr;
	if (RAND_bytes(nonce, QM_NONCE_LEN) != 1)
		return qm_fail(qm, "no randomness");
	if (initiator)
		qm->ni_len = QM_NONCE_LEN;
	else
		qm->nr_len = QM_NONCE_LEN;
	if (cfg->pfs_group) {
		qm->dh = ike_dh_new(cfg->pfs_group);
		if (!qm->dh)
			return qm_fail(qm, "PFS group %d is not available", cfg->pfs_group);
		qm->gx_len = ike_dh_public(qm->dh, qm->gx_mine, sizeof(qm->gx_mine));
	}
	return 0;
}

int ike_qm_initiate(struct ike_qm *qm, const struct ike_p1 *p1, const struct ike_qm_config *cfg, uint32_t msgid,
		    struct ike_buf *out)
{
	if (qm_begin(qm, p1, cfg, true) < 0)
		return -1;
	if (cfg->nsets == 0)
		return qm_fail(qm, "the crypto map has no transform set");
	qm->msgid = msgid;
	qm->lifetime = cfg->lifetime;
	qm->udp_tunnel = ike_p1_nat_detected(p1) ? ike_natt_encap_tunnel(p1->natt) : 0;
	qm->local = cfg->local;
	qm->remote = cfg->remote;
	if (ike_iv_exchange(p1->params.hash, p1->iv, ike_cipher_block(p1->params.encryption), msgid, qm->iv) < 0)
		return qm_fail(qm, "cannot compute the Quick Mode IV");
	struct ike_buf rest;
	if (qm_rest(qm, cfg->sets, cfg->nsets, &cfg->local, &cfg->remote, &rest) < 0) {
		ike_buf_free(&rest);
		return -1;
	}
	uint8_t id[4], hash[IKE_MAX_HASH];
	qm_msgid_bytes(msgid, id);
	struct ike_chunk c[] = { { id, 4 }, { rest.p, rest.len } };
	int hl = qm_hash(p1, c, 2, hash);
	int rc = hl < 0 ? qm_fail(qm, "cannot compute HASH(1)")
			: qm_send(qm, p1, hash, (size_t)hl, rest.p, rest.len, IKE_PL_SA, out);
	ike_buf_free(&rest);
	if (rc == 0)
		qm->state = IKE_QM_I_QM1;
	return rc;
}

/* RESPONDER-LIFETIME (RFC 2407 4.6.3.1): the responder accepted the
 * proposal but keeps the SA pair for less time than offered. */
#define QM_N_RESPONDER_LIFETIME 24576

static void qm_put_responder_lifetime(const struct ike_qm *qm, struct ike_buf *b)
{
	size_t at = ike_buf_begin_payload(b, IKE_PL_NOTIFY);
	ike_buf_put32(b, 1);                /* DOI IPsec */
	ike_buf_put8(b, QM_PROTO_ESP);
	ike_buf_put8(b, 4);
	ike_buf_put16(b, QM_N_RESPONDER_LIFETIME);
	ike_buf_put32(b, qm->in.spi);
	ike_buf_attr(b, IKE_IPSEC_LIFE_TYPE, 1);
	ike_buf_attr(b, IKE_IPSEC_LIFE_DURATION, qm->lifetime);
	ike_buf_end_payload(b, at);
}

/* The initiator reads a RESPONDER-LIFETIME notify, if the responder sent one. */
static void qm_read_responder_lifetime(struct ike_qm *qm, const struct ike_msg *m)
{
	for (size_t i = 0; i < m->npl; i++) {
		const struct ike_payload *p = &m->pl[i];
		if (p->type != IKE_PL_NOTIFY || p->len < 8 || (p->body[6] << 8 | p->body[7]) != QM_N_RESPONDER_LIFETIME)
			continue;
		size_t off = 8u + p->body[5];
		bool seconds = true;
		while (off + 4 <= p->len) {
			uint16_t type = (uint16_t)(p->body[off] << 8 | p->body[off + 1]);
			uint32_t value;
			size_t step;
			if (type & 0x8000) {
				value = (uint32_t)(p->body[off + 2] << 8 | p->body[off + 3]);
				step = 4;
			} else {
				size_t n = (size_t)(p->body[off + 2] << 8 | p->body[off + 3]);
				if (off + 4 + n > p->len || n == 0 || n > 4)
					return;
				value = 0;
				for (size_t k = 0; k < n; k++)
					value = value << 8 | p->body[off + 4 + k];
				step = 4 + n;
			}
			if ((type & 0x7fff) == IKE_IPSEC_LIFE_TYPE)
				seconds = value == 1;
			else if ((type & 0x7fff) == IKE_IPSEC_LIFE_DURATION && seconds && value &&
				 (qm->lifetime == 0 || value < qm->lifetime))
				qm->lifetime = value;
			off += step;
		}
	}
}

/* The peer's proxy IDs of a decrypted message 1. */
static int qm_peer_ids(struct ike_qm *qm, const struct ike_msg *m, struct ike_selector *ci, struct ike_selector *cr)
{
	const struct ike_payload *ids[2] = { NULL, NULL };
	for (size_t i = 0, n = 0; i < m->npl && n < 2; i++)
		if (m->pl[i].type == IKE_PL_ID)
			ids[n++] = &m->pl[i];
	if (!ids[1] || ike_selector_from_id(ids[0], ci) < 0 || ike_selector_from_id(ids[1], cr) < 0)
		return qm_fail(qm, "Quick Mode message without a usable pair of IPv4 proxy IDs");
	return 0;
}

/* The SA, nonce, KE and IDs of a received message 1 or 2. */
static int qm_read(struct ike_qm *qm, const struct ike_msg *m, struct ike_sa *sa, struct ike_selector *ci,
		   struct ike_selector *cr)
{
	char why[128];
	const struct ike_payload *p = ike_msg_find(m, IKE_PL_SA), *nonce = ike_msg_find(m, IKE_PL_NONCE);
	if (!p || !nonce)
		return qm_fail(qm, "Quick Mode message without SA or nonce");
	if (ike_sa_parse(p, sa, why, sizeof(why)) < 0)
		return qm_fail(qm, "malformed IPsec SA payload: %s", why);
	if (nonce->len < 8 || nonce->len > sizeof(qm->ni))
		return qm_fail(qm, "nonce of %zu bytes", nonce->len);
	uint8_t *dst = qm->initiator ? qm->nr : qm->ni;
	memcpy(dst, nonce->body, nonce->len);
	if (qm->initiator)
		qm->nr_len = nonce->len;
	else
		qm->ni_len = nonce->len;
	const struct ike_payload *ke = ike_msg_find(m, IKE_PL_KE);
	if (qm->cfg.pfs_group && !ke)
		return qm_fail(qm, "PFS mismatch: the crypto map requires group %d, the peer sent no KE",
			       qm->cfg.pfs_group);
	if (ke) {
		if (!qm->cfg.pfs_group)
			return qm_fail(qm, "PFS mismatch: the peer uses PFS, the crypto map does not");
		if (ke->len != qm->gx_len)
			return qm_fail(qm, "PFS KE of %zu bytes, group %d needs %zu", ke->len, qm->cfg.pfs_group, qm->gx_len);
		memcpy(qm->gx_peer, ke->body, ke->len);
	}
	return qm_peer_ids(qm, m, ci, cr);
}

int ike_qm_respond(struct ike_qm *qm, const struct ike_p1 *p1, const struct ike_qm_config *cfg, const uint8_t *msg,
		   size_t len, struct ike_buf *out)
{
	memset(qm, 0, sizeof(*qm));
	if (p1->state != IKE_P1_COMPLETE)
		return qm_fail(qm, "no phase 1 SA");
	struct ike_msg m;
	if (len >= IKE_HDR_LEN)
		qm->msgid = (uint32_t)msg[20] << 24 | (uint32_t)msg[21] << 16 | (uint32_t)msg[22] << 8 | msg[23];
	if (ike_iv_exchange(p1->params.hash, p1->iv, ike_cipher_block(p1->params.encryption), qm->msgid, qm->iv) < 0)
		return qm_fail(qm, "cannot compute the Quick Mode IV");
	uint8_t *plain;
	const uint8_t *rest;
	size_t rlen;
	int rc = -1;
	struct ike_sa *offer = malloc(sizeof(*offer));
	if (!offer)
		return qm_fail(qm, "out of memory");
	if (qm_open(qm, p1, msg, len, &m, &plain, &rest, &rlen) < 0)
		goto out;
	uint8_t id[4], hash[IKE_MAX_HASH];
	qm_msgid_bytes(qm->msgid, id);
	struct ike_chunk c1[] = { { id, 4 }, { rest, rlen } };
	int hl = qm_hash(p1, c1, 2, hash);
	if (hl < 0 || (size_t)hl != m.pl[0].len || CRYPTO_memcmp(hash, m.pl[0].body, (size_t)hl) != 0) {
		qm_fail(qm, "HASH(1) did not verify");
		goto out;
	}
	struct ike_selector ci, cr;
	if (qm_peer_ids(qm, &m, &ci, &cr) < 0)
		goto out;
	/* which crypto map entry: the caller's choice, or the one given */
	struct ike_qm_config chosen = *cfg;
	char why[256];
	int line = cfg->select ? cfg->select(cfg->select_ctx, &ci, &cr, &chosen, why, sizeof(why))
			       : ike_proxy_match(cfg->acl, cfg->nacl, &ci, &cr, false, why, sizeof(why));
	if (line < 0) {
		qm_fail(qm, "%s", why);
		goto out;
	}
	uint32_t msgid = qm->msgid;
	uint8_t iv[16];
	memcpy(iv, qm->iv, sizeof(iv));
	if (qm_begin(qm, p1, &chosen, false) < 0)
		goto out;
	qm->msgid = msgid;
	memcpy(qm->iv, iv, sizeof(iv));
	qm->acl_line = line;
	uint32_t peer_spi = 0;
	if (qm_read(qm, &m, offer, &ci, &cr) < 0 || qm_choose(qm, offer, &peer_spi) < 0)
		goto out;
	qm->local = cr;
	qm->remote = ci;
	qm->out.spi = peer_spi;
	/* message 2: the chosen transform under our SPI, the peer's IDs back */
	struct ike_buf r2;
	if (qm_rest(qm, &qm->chosen, 1, &ci, &cr, &r2) < 0) {
		ike_buf_free(&r2);
		goto out;
	}
	if (qm->lifetime && qm->lifetime != qm->offered_lifetime)
		qm_put_responder_lifetime(qm, &r2);
	struct ike_chunk c2[] = { { id, 4 }, { qm->ni, qm->ni_len }, { r2.p, r2.len } };
	hl = qm_hash(p1, c2, 3, hash);
	rc = hl < 0 ? qm_fail(qm, "cannot compute HASH(2)")
		    : qm_send(qm, p1, hash, (size_t)hl, r2.p, r2.len, IKE_PL_SA, out);
	ike_buf_free(&r2);
	/* the keys now, so that the inbound SA can be in place before the
	 * initiator, which has them from message 2 on, sends through it */
	if (rc == 0 && (qm_keymat(qm, p1, &qm->in) < 0 || qm_keymat(qm, p1, &qm->out) < 0))
		rc = qm_fail(qm, "cannot derive KEYMAT");
	if (rc == 0)
		qm->state = IKE_QM_R_QM2;
out:
	free(plain);
	free(offer);
	return rc;
}

int ike_qm_receive(struct ike_qm *qm, const struct ike_p1 *p1, const uint8_t *msg, size_t len, struct ike_buf *out)
{
	struct ike_msg m;
	uint8_t *plain;
	const uint8_t *rest;
	size_t rlen;
	uint8_t id[4], hash[IKE_MAX_HASH];
	qm_msgid_bytes(qm->msgid, id);
	int rc = -1;
	if (qm->state != IKE_QM_I_QM1 && qm->state != IKE_QM_R_QM2)
		return qm_fail(qm, "unexpected Quick Mode message in %s", ike_qm_state_name(qm->state));
	if (qm_open(qm, p1, msg, len, &m, &plain, &rest, &rlen) < 0) {
		free(plain);
		return -1;
	}
	if (qm->state == IKE_QM_I_QM1) {
		struct ike_sa *answer = malloc(sizeof(*answer));
		struct ike_selector ci, cr;
		uint32_t peer_spi = 0;
		struct ike_chunk c2[] = { { id, 4 }, { qm->ni, qm->ni_len }, { rest, rlen } };
		int hl = answer ? qm_hash(p1, c2, 3, hash) : -1;
		if (hl < 0 || (size_t)hl != m.pl[0].len || CRYPTO_memcmp(hash, m.pl[0].body, (size_t)hl) != 0)
			qm_fail(qm, "HASH(2) did not verify");
		else if (qm_read(qm, &m, answer, &ci, &cr) == 0 && qm_choose(qm, answer, &peer_spi) == 0) {
			qm->out.spi = peer_spi;
			qm_read_responder_lifetime(qm, &m);
			uint8_t zero = 0;
			struct ike_chunk c3[] = { { &zero, 1 }, { id, 4 }, { qm->ni, qm->ni_len }, { qm->nr, qm->nr_len } };
			hl = qm_hash(p1, c3, 4, hash);
			if (hl >= 0 && qm_keymat(qm, p1, &qm->in) == 0 && qm_keymat(qm, p1, &qm->out) == 0 &&
			    qm_send(qm, p1, hash, (size_t)hl, NULL, 0, IKE_PL_NONE, out) == 0) {
				qm->state = IKE_QM_PHASE2_COMPLETE;
				rc = 1;
			}
		}
		free(answer);
	} else {
		uint8_t zero = 0;
		struct ike_chunk c3[] = { { &zero, 1 }, { id, 4 }, { qm->ni, qm->ni_len }, { qm->nr, qm->nr_len } };
		int hl = qm_hash(p1, c3, 4, hash);
		if (hl < 0 || (size_t)hl != m.pl[0].len || CRYPTO_memcmp(hash, m.pl[0].body, (size_t)hl) != 0)
			qm_fail(qm, "HASH(3) did not verify");
		else if (qm_keymat(qm, p1, &qm->in) == 0 && qm_keymat(qm, p1, &qm->out) == 0) {
			qm->state = IKE_QM_PHASE2_COMPLETE;
			rc = 0;
		}
	}
	free(plain);
	return rc;
}

void ike_qm_free(struct ike_qm *qm)
{
	ike_dh_free(qm->dh);
	OPENSSL_cleanse(&qm->in, sizeof(qm->in));
	OPENSSL_cleanse(&qm->out, sizeof(qm->out));
	memset(qm, 0, sizeof(*qm));
}
