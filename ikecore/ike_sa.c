/*
 * ike_sa.c -- Main Mode with pre-shared keys, message by message as RFC 2409
 * 5 draws it:
 *
 *     Initiator                          Responder
 *     HDR, SA                     -->                    mm_i_send_1 / mm_r_recv_1
 *                                 <--    HDR, SA         mm_r_send_2 / mm_i_recv_2
 *     HDR, KE, Ni                 -->                    mm_i_send_3 / mm_r_recv_3
 *                                 <--    HDR, KE, Nr     mm_r_send_4 / mm_i_recv_4
 *     HDR*, IDii, HASH_I          -->                    mm_i_send_5 / mm_r_recv_5
 *                                 <--    HDR*, IDir, HASH_R  mm_r_send_6 / mm_i_recv_6
 *
 * Each step checks the message it received against what the exchange allows
 * before using it; a step that fails leaves the SA in the state the device
 * would show, with the reason.
 */
#include "ikecore/ike_sa.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikecore/ike_cipher.h"

#define IKE_NONCE_LEN 20
#define IKE_PROTO_ISAKMP 1
#define IKE_KEY_IKE 1
#define IKE_ID_IPV4_ADDR 1

const char *ike_state_name(enum ike_p1_state s)
{
	static const char *const names[] = {
		[IKE_READY] = "IKE_READY",     [IKE_I_MM1] = "IKE_I_MM1", [IKE_I_MM2] = "IKE_I_MM2",
		[IKE_I_MM3] = "IKE_I_MM3",     [IKE_I_MM4] = "IKE_I_MM4", [IKE_I_MM5] = "IKE_I_MM5",
		[IKE_I_MM6] = "IKE_I_MM6",     [IKE_R_MM1] = "IKE_R_MM1", [IKE_R_MM2] = "IKE_R_MM2",
		[IKE_R_MM3] = "IKE_R_MM3",     [IKE_R_MM4] = "IKE_R_MM4", [IKE_R_MM5] = "IKE_R_MM5",
		[IKE_I_AM1] = "IKE_I_AM1",     [IKE_R_AM2] = "IKE_R_AM2",
		[IKE_P1_COMPLETE] = "IKE_P1_COMPLETE", [IKE_DEAD] = "IKE_DEAD",
	};
	return names[s];
}

const char *ike_state_ios(enum ike_p1_state s)
{
	switch (s) {
	case IKE_READY:
	case IKE_I_MM1:
	case IKE_R_MM1:
	case IKE_DEAD:
		return "MM_NO_STATE";
	case IKE_I_MM2:
	case IKE_I_MM3:
	case IKE_R_MM2:
	case IKE_R_MM3:
		return "MM_SA_SETUP";
	case IKE_I_MM4:
	case IKE_I_MM5:
	case IKE_R_MM4:
	case IKE_R_MM5:
		return "MM_KEY_EXCH";
	case IKE_I_MM6:
		return "MM_KEY_AUTH";
	case IKE_I_AM1:
		return "AG_INIT_EXCH";
	case IKE_R_AM2:
		return "AG_AUTH";
	case IKE_P1_COMPLETE:
		return "QM_IDLE";
	}
	return "MM_NO_STATE";
}

const char *ike_state_asa(enum ike_p1_state s)
{
	switch (s) {
	case IKE_I_MM1:
	case IKE_I_MM2:
		return "MM_WAIT_MSG2";
	case IKE_I_MM3:
	case IKE_I_MM4:
		return "MM_WAIT_MSG4";
	case IKE_I_MM5:
	case IKE_I_MM6:
		return "MM_WAIT_MSG6";
	case IKE_R_MM1:
	case IKE_R_MM2:
		return "MM_WAIT_MSG3";
	case IKE_R_MM3:
	case IKE_R_MM4:
		return "MM_WAIT_MSG5";
	case IKE_R_MM5:
		return "MM_WAIT_MSG5";
	case IKE_I_AM1:
		return "AM_WAIT_MSG2";
	case IKE_R_AM2:
		return "AM_WAIT_MSG3";
	case IKE_P1_COMPLETE:
		return "MM_ACTIVE";
	default:
		return "MM_NO_STATE";
	}
}

const char *ike_p1_state_asa(const struct ike_p1 *sa)
{
	if (sa->aggressive && sa->state == IKE_P1_COMPLETE)
		return "AM_ACTIVE";
	return ike_state_asa(sa->state);
}

static int ike_p1_fail(struct ike_p1 *sa, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sa->reason, sizeof(sa->reason), fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- building ---- */

/* The header of a phase 1 message sent in the clear. */
static void ike_p1_header(const struct ike_p1 *sa, struct ike_buf *b)
{
	struct ike_hdr h = { .version = 0x10, .exchange = sa->aggressive ? IKE_XCHG_AGGRESSIVE : IKE_XCHG_MAIN };
	memcpy(h.icookie, sa->cky_i, 8);
	memcpy(h.rcookie, sa->cky_r, 8);
	ike_buf_header(b, &h);
}

static void ike_p1_transform(struct ike_buf *b, const struct ike_p1_params *p, uint8_t number, bool last)
{
	size_t start = b->len;
	ike_buf_put8(b, last ? IKE_PL_NONE : IKE_PL_TRANSFORM);
	ike_buf_put8(b, 0);
	ike_buf_put16(b, 0);
	ike_buf_put8(b, number);
	ike_buf_put8(b, IKE_KEY_IKE);
	ike_buf_put16(b, 0);
	ike_buf_attr(b, IKE_ATTR_ENCRYPTION, p->encryption);
	if (p->keybits)
		ike_buf_attr(b, IKE_ATTR_KEY_LENGTH, p->keybits);
	ike_buf_attr(b, IKE_ATTR_HASH, p->hash);
	ike_buf_attr(b, IKE_ATTR_AUTH, p->auth);
	ike_buf_attr(b, IKE_ATTR_GROUP, p->group);
	if (p->lifetime) {
		ike_buf_attr(b, IKE_ATTR_LIFE_TYPE, IKE_LIFE_SECONDS);
		ike_buf_attr(b, IKE_ATTR_LIFE_DURATION, p->lifetime);
	}
	if (b->failed)
		return;
	size_t n = b->len - start;
	b->p[start + 2] = (uint8_t)(n >> 8);
	b->p[start + 3] = (uint8_t)n;
}

/* An SA payload body: one ISAKMP proposal with the transforms given. */
static int ike_p1_sa_body(const struct ike_p1_params *xf, size_t n, uint8_t first_number, struct ike_buf *body)
{
	ike_buf_init(body);
	body->last_next = (size_t)-1;
	ike_buf_put32(body, 1); /* DOI IPsec */
	ike_buf_put32(body, 1); /* SIT_IDENTITY_ONLY */
	size_t prop = body->len;
	ike_buf_put8(body, IKE_PL_NONE);
	ike_buf_put8(body, 0);
	ike_buf_put16(body, 0);
	ike_buf_put8(body, 1);
	ike_buf_put8(body, IKE_PROTO_ISAKMP);
	ike_buf_put8(body, 0);
	ike_buf_put8(body, (uint8_t)n);
	for (size_t i = 0; i < n; i++)
		ike_p1_transform(body, &xf[i], (uint8_t)(first_number + i), i + 1 == n);
	if (body->failed)
		return -1;
	size_t plen = body->len - prop;
	body->p[prop + 2] = (uint8_t)(plen >> 8);
	body->p[prop + 3] = (uint8_t)plen;
	return 0;
}

static void ike_p1_payload(struct ike_buf *b, uint8_t type, const uint8_t *body, size_t len)
{
	size_t at = ike_buf_begin_payload(b, type);
	ike_buf_put(b, body, len);
	ike_buf_end_payload(b, at);
}

static int ike_p1_remember(struct ike_p1 *sa, const struct ike_buf *out)
{
	free(sa->last_sent);
	sa->last_sent = malloc(out->len);
	if (!sa->last_sent)
		return ike_p1_fail(sa, "out of memory");
	memcpy(sa->last_sent, out->p, out->len);
	sa->last_sent_len = out->len;
	return 0;
}

/* ---- keys ---- */

static int ike_p1_psk(struct ike_p1 *sa, uint8_t *psk, size_t len)
{
	int n = sa->cfg.psk_for ? sa->cfg.psk_for(sa->cfg.ctx, sa->cfg.peer_addr, psk, len) : -1;
	if (n < 0)
		return ike_p1_fail(sa, "no pre-shared key for peer %u.%u.%u.%u", sa->cfg.peer_addr >> 24,
				   (sa->cfg.peer_addr >> 16) & 255, (sa->cfg.peer_addr >> 8) & 255,
				   sa->cfg.peer_addr & 255);
	return n;
}

/* SKEYID and its children, the cipher key and the first IV, once both
 * public values and nonces are known. */
static int ike_p1_keys(struct ike_p1 *sa, const uint8_t *peer_gx)
{
	uint8_t gxy[IKE_DH_MAX], psk[256];
	int gl = ike_dh_shared(sa->dh, peer_gx, sa->gx_len, gxy, sizeof(gxy));
	if (gl < 0)
		return ike_p1_fail(sa, "the peer's DH public value is not in group %u", sa->params.group);
	int pl = ike_p1_psk(sa, psk, sizeof(psk));
	int rc = -1;
	if (pl >= 0 &&
	    ike_keys_psk(sa->params.hash, psk, (size_t)pl, (struct ike_chunk){ sa->ni, sa->ni_len },
			 (struct ike_chunk){ sa->nr, sa->nr_len }, (struct ike_chunk){ gxy, (size_t)gl }, sa->cky_i,
			 sa->cky_r, &sa->keys) == 0) {
		sa->enc_key_len = ike_cipher_keylen(sa->params.encryption, sa->params.keybits);
		size_t block = ike_cipher_block(sa->params.encryption);
		if (sa->enc_key_len && block &&
		    ike_cipher_key(sa->params.hash, &sa->keys, sa->enc_key_len, sa->enc_key) == 0 &&
		    ike_iv_phase1(sa->params.hash, (struct ike_chunk){ sa->gxi, sa->gx_len },
				  (struct ike_chunk){ sa->gxr, sa->gx_len }, block, sa->iv) == 0)
			rc = 0;
		else
			ike_p1_fail(sa, "cannot derive keys for %s/%s", ike_encryption_name(sa->params.encryption,
											 sa->params.keybits),
				    ike_hash_name(sa->params.hash));
	}
	OPENSSL_cleanse(gxy, sizeof(gxy));
	OPENSSL_cleanse(psk, sizeof(psk));
	return rc;
}

/* ID payload body: ID_IPV4_ADDR, UDP/500, the address. */
static void ike_p1_id(uint32_t addr, uint8_t id[8])
{
	id[0] = IKE_ID_IPV4_ADDR;
	id[1] = 17;
	id[2] = 500 >> 8;
	id[3] = 500 & 255;
	id[4] = (uint8_t)(addr >> 24);
	id[5] = (uint8_t)(addr >> 16);
	id[6] = (uint8_t)(addr >> 8);
	id[7] = (uint8_t)addr;
}

/* HASH_I or HASH_R. */
static int ike_p1_auth_hash(const struct ike_p1 *sa, bool of_initiator, const uint8_t *id_b, size_t id_len,
			    uint8_t *out)
{
	const uint8_t *ga = of_initiator ? sa->gxi : sa->gxr, *gb = of_initiator ? sa->gxr : sa->gxi;
	const uint8_t *ca = of_initiator ? sa->cky_i : sa->cky_r, *cb = of_initiator ? sa->cky_r : sa->cky_i;
	struct ike_chunk c[] = { { ga, sa->gx_len }, { gb, sa->gx_len }, { ca, 8 }, { cb, 8 },
				 { sa->sai_b, sa->sai_len }, { id_b, id_len } };
	return ike_prf(sa->params.hash, sa->keys.skeyid, sa->keys.len, c, 6, out);
}

/* ---- protected messages ---- */

int ike_p1_seal(const struct ike_p1 *p1, uint8_t exchange, uint32_t msgid, uint8_t first_payload, uint8_t *iv,
		struct ike_buf *body, struct ike_buf *out)
{
	size_t block = ike_cipher_block(p1->params.encryption);
	while (!body->failed && body->len % block)
		ike_buf_put8(body, 0);
	if (body->failed ||
	    ike_cipher_encrypt(p1->params.encryption, p1->enc_key, p1->enc_key_len, iv, body->p, body->len) < 0)
		return -1;
	struct ike_hdr h = { .version = 0x10, .exchange = exchange, .flags = IKE_FLAG_ENCRYPTED, .msgid = msgid };
	memcpy(h.icookie, p1->cky_i, 8);
	memcpy(h.rcookie, p1->cky_r, 8);
	ike_buf_init(out);
	ike_buf_header(out, &h);
	out->p[16] = first_payload; /* inside the encryption */
	ike_buf_put(out, body->p, body->len);
	return ike_buf_finish(out) == 0 ? 0 : -2;
}

int ike_p1_open(const struct ike_p1 *p1, const struct ike_msg *m, uint8_t *iv, struct ike_msg *in, uint8_t **plain,
		char *why, size_t whylen)
{
	*plain = NULL;
	size_t len = m->rawlen - IKE_HDR_LEN, block = ike_cipher_block(p1->params.encryption);
	if (len == 0 || len % block)
		return -1;
	*plain = malloc(len);
	if (!*plain)
		return -2;
	memcpy(*plain, m->raw + IKE_HDR_LEN, len);
	*in = *m;
	if (ike_cipher_decrypt(p1->params.encryption, p1->enc_key, p1->enc_key_len, iv, *plain, len) < 0) {
		snprintf(why, whylen, "decryption failed");
		return -3;
	}
	if (ike_msg_parse_payloads(in, m->hdr.next_payload, *plain, len, true, why, whylen) < 0)
		return -3;
	return 0;
}

int ike_p1_after_hash(const struct ike_msg *m, const uint8_t **rest, size_t *rlen)
{
	if (m->npl < 1 || m->pl[0].type != IKE_PL_HASH)
		return -1;
	const struct ike_payload *last = &m->pl[m->npl - 1];
	*rest = m->pl[0].body + m->pl[0].len;
	*rlen = (size_t)(last->body + last->len - *rest);
	return 0;
}

/* Encrypt and send a phase 1 body (message 5, 6, or Aggressive Mode 3). */
static int ike_p1_send_sealed(struct ike_p1 *sa, struct ike_buf *body, uint8_t first, int number, struct ike_buf *out)
{
	int rc = ike_p1_seal(sa, sa->aggressive ? IKE_XCHG_AGGRESSIVE : IKE_XCHG_MAIN, 0, first, sa->iv, body, out);
	ike_buf_free(body);
	if (rc == -1)
		return ike_p1_fail(sa, "cannot encrypt message %d", number);
	if (rc == -2)
		return ike_p1_fail(sa, "message too large");
	return ike_p1_remember(sa, out);
}

/* Messages 5 and 6: ID and HASH, encrypted. */
static int ike_p1_send_auth(struct ike_p1 *sa, struct ike_buf *out)
{
	uint8_t id[8], hash[IKE_MAX_HASH];
	ike_p1_id(sa->cfg.local_addr, id);
	int hl = ike_p1_auth_hash(sa, sa->initiator, id, sizeof(id), hash);
	if (hl < 0)
		return ike_p1_fail(sa, "cannot compute HASH_%s", sa->initiator ? "I" : "R");
	struct ike_buf body;
	ike_buf_init(&body);
	body.last_next = (size_t)-1;
	ike_p1_payload(&body, IKE_PL_ID, id, sizeof(id));
	ike_p1_payload(&body, IKE_PL_HASH, hash, (size_t)hl);
	return ike_p1_send_sealed(sa, &body, IKE_PL_ID, sa->initiator ? 5 : 6, out);
}

/* Decrypt messages 5/6 and check the peer's HASH. */
static int ike_p1_recv_auth(struct ike_p1 *sa, const struct ike_msg *m)
{
	int number = sa->initiator ? 6 : 5;
	if (!(m->hdr.flags & IKE_FLAG_ENCRYPTED))
		return ike_p1_fail(sa, "message %d is not encrypted", number);
	uint8_t iv[16], *body;
	memcpy(iv, sa->iv, sizeof(iv));
	struct ike_msg in;
	char why[128];
	int rc = ike_p1_open(sa, m, iv, &in, &body, why, sizeof(why));
	if (rc == -1)
		ike_p1_fail(sa, "message %d: %zu encrypted bytes, not a multiple of the block", number, m->rawlen - IKE_HDR_LEN);
	else if (rc == -2)
		ike_p1_fail(sa, "out of memory");
	else if (rc == -3)
		ike_p1_fail(sa, "pre-shared key mismatch (message %d did not decrypt)", number);
	if (rc < 0)
		goto out;
	rc = -1;
	const struct ike_payload *id = ike_msg_find(&in, IKE_PL_ID), *hash = ike_msg_find(&in, IKE_PL_HASH);
	if (!id || !hash) {
		ike_p1_fail(sa, "message %d lacks its ID or HASH payload", number);
		goto out;
	}
	uint8_t want[IKE_MAX_HASH];
	int hl = ike_p1_auth_hash(sa, !sa->initiator, id->body, id->len, want);
	if (hl < 0 || (size_t)hl != hash->len || CRYPTO_memcmp(want, hash->body, (size_t)hl) != 0) {
		ike_p1_fail(sa, "pre-shared key mismatch (HASH_%s did not verify)", sa->initiator ? "R" : "I");
		goto out;
	}
	memcpy(sa->iv, iv, sizeof(sa->iv)); /* the chain advances only after the check */
	rc = 0;
out:
	free(body);
	return rc;
}

/* ---- the exchange ---- */

/* Our DH key pair and nonce. */
static int p1_keypair(struct ike_p1 *sa)
{
	sa->dh = ike_dh_new(sa->params.group);
	if (!sa->dh)
		return ike_p1_fail(sa, "DH group %u is not available", sa->params.group);
	uint8_t *mine = sa->initiator ? sa->gxi : sa->gxr, *nonce = sa->initiator ? sa->ni : sa->nr;
	sa->gx_len = ike_dh_public(sa->dh, mine, IKE_DH_MAX);
	if (!sa->gx_len || RAND_bytes(nonce, IKE_NONCE_LEN) != 1)
		return ike_p1_fail(sa, "cannot make a DH key pair or a nonce");
	if (sa->initiator)
		sa->ni_len = IKE_NONCE_LEN;
	else
		sa->nr_len = IKE_NONCE_LEN;
	return 0;
}

static int mm_send_ke(struct ike_p1 *sa, struct ike_buf *out)
{
	if (p1_keypair(sa) < 0)
		return -1;
	const uint8_t *mine = sa->initiator ? sa->gxi : sa->gxr, *nonce = sa->initiator ? sa->ni : sa->nr;
	ike_buf_init(out);
	ike_p1_header(sa, out);
	ike_p1_payload(out, IKE_PL_KE, mine, sa->gx_len);
	ike_p1_payload(out, IKE_PL_NONCE, nonce, IKE_NONCE_LEN);
	if (sa->natt != IKE_NATT_NONE)
		ike_natd_put(out, sa->natt, sa->params.hash, sa->cky_i, sa->cky_r, sa->cfg.local_addr,
			     sa->cfg.local_port, sa->cfg.peer_addr, sa->cfg.peer_port);
	if (ike_buf_finish(out) < 0)
		return ike_p1_fail(sa, "message too large");
	return ike_p1_remember(sa, out);
}

/* Messages 3 and 4: the peer's KE and nonce. */
static int mm_recv_ke(struct ike_p1 *sa, const struct ike_msg *m)
{
	const struct ike_payload *ke = ike_msg_find(m, IKE_PL_KE), *nonce = ike_msg_find(m, IKE_PL_NONCE);
	if (!ke || !nonce)
		return ike_p1_fail(sa, "message %d lacks its KE or nonce payload", sa->initiator ? 4 : 3);
	if (nonce->len < 8 || nonce->len > sizeof(sa->ni))
		return ike_p1_fail(sa, "nonce of %zu bytes (8 to %zu allowed)", nonce->len, sizeof(sa->ni));
	size_t want = ike_dh_public_len(sa->params.group);
	if (ke->len != want)
		return ike_p1_fail(sa, "KE of %zu bytes, group %u needs %zu", ke->len, sa->params.group, want);
	if (sa->natt != IKE_NATT_NONE &&
	    ike_natd_check(m, sa->natt, sa->params.hash, sa->cky_i, sa->cky_r, sa->cfg.local_addr, sa->cfg.local_port,
			   sa->cfg.peer_addr, sa->cfg.peer_port, &sa->nat_local, &sa->nat_peer) < 0)
		sa->natt = IKE_NATT_NONE; /* announced NAT-T but sent no NAT-D: go on without it */
	if (sa->initiator) {
		memcpy(sa->gxr, ke->body, ke->len);
		memcpy(sa->nr, nonce->body, nonce->len);
		sa->nr_len = nonce->len;
	} else {
		memcpy(sa->gxi, ke->body, ke->len);
		memcpy(sa->ni, nonce->body, nonce->len);
		sa->ni_len = nonce->len;
	}
	return 0;
}

/* ---- Aggressive Mode (RFC 2409 5.4) ----
 *
 *     Initiator                          Responder
 *     HDR, SA, KE, Ni, IDii       -->                    am_i_send_1 / am_r_recv_1
 *                 <--  HDR, SA, KE, Nr, IDir, HASH_R     am_r_send_2 / am_i_recv_2
 *     HDR*, HASH_I                -->                    am_i_send_3 / am_r_recv_3
 *
 * The third message is sent encrypted, as Cisco devices send it; it is
 * accepted either way. NAT-D rides in messages 2 and 3.
 */

static int mm_i_recv_2(struct ike_p1 *sa, const struct ike_msg *m);

static int am_keep_peer_id(struct ike_p1 *sa, const struct ike_msg *m)
{
	const struct ike_payload *id = ike_msg_find(m, IKE_PL_ID);
	if (!id || id->len < 4 || id->len > sizeof(sa->peer_id))
		return ike_p1_fail(sa, "Aggressive Mode message %d lacks a usable ID payload", sa->initiator ? 2 : 1);
	memcpy(sa->peer_id, id->body, id->len);
	sa->peer_id_len = id->len;
	return 0;
}

int ike_p1_initiate_aggressive(struct ike_p1 *sa, const struct ike_p1_config *cfg, uint16_t group,
			       struct ike_buf *out)
{
	memset(sa, 0, sizeof(*sa));
	sa->cfg = *cfg;
	sa->initiator = true;
	sa->aggressive = true;
	if (cfg->npolicies == 0)
		return ike_p1_fail(sa, "no ISAKMP policy is configured");
	if (!group)
		group = cfg->policies[0].group;
	/* one KE goes in message 1: only the policies of its group are offered */
	struct ike_p1_params offer[32];
	size_t n = 0;
	for (size_t i = 0; i < cfg->npolicies && n < 32; i++)
		if (cfg->policies[i].group == group)
			offer[n++] = cfg->policies[i];
	if (n == 0)
		return ike_p1_fail(sa, "no ISAKMP policy uses DH group %u, which Aggressive Mode is set to", group);
	sa->params.group = group;
	if (RAND_bytes(sa->cky_i, 8) != 1 || p1_keypair(sa) < 0)
		return sa->reason[0] ? -1 : ike_p1_fail(sa, "no randomness");
	struct ike_buf body;
	if (ike_p1_sa_body(offer, n, 1, &body) < 0) {
		ike_buf_free(&body);
		return ike_p1_fail(sa, "too many policies for one message");
	}
	sa->sai_b = body.p;
	sa->sai_len = body.len;
	uint8_t id[8];
	ike_p1_id(cfg->local_addr, id);
	ike_buf_init(out);
	ike_p1_header(sa, out);
	ike_p1_payload(out, IKE_PL_SA, sa->sai_b, sa->sai_len);
	ike_p1_payload(out, IKE_PL_KE, sa->gxi, sa->gx_len);
	ike_p1_payload(out, IKE_PL_NONCE, sa->ni, sa->ni_len);
	ike_p1_payload(out, IKE_PL_ID, id, sizeof(id));
	if (!cfg->no_natt)
		ike_vendor_put(out, true, IKE_NATT_NONE);
	if (ike_buf_finish(out) < 0)
		return ike_p1_fail(sa, "message too large");
	sa->state = IKE_I_AM1;
	return ike_p1_remember(sa, out);
}

/* The responder's answer begins with the header and the chosen transform,
 * under the initiator's transform number. */
static int p1_reply_with_choice(struct ike_p1 *sa, uint8_t number, struct ike_buf *out)
{
	struct ike_buf body;
	if (ike_p1_sa_body(&sa->params, 1, number, &body) < 0) {
		ike_buf_free(&body);
		return ike_p1_fail(sa, "out of memory");
	}
	ike_buf_init(out);
	ike_p1_header(sa, out);
	ike_p1_payload(out, IKE_PL_SA, body.p, body.len);
	ike_buf_free(&body);
	return 0;
}

/* am_r_send_2: the chosen transform, our KE, nonce, ID and HASH_R. */
static int am_r_send_2(struct ike_p1 *sa, const struct ike_msg *m1, uint8_t number, struct ike_buf *out)
{
	if (mm_recv_ke(sa, m1) < 0 || am_keep_peer_id(sa, m1) < 0 || p1_keypair(sa) < 0 ||
	    ike_p1_keys(sa, sa->gxi) < 0)
		return -1;
	ike_vendor_parse(m1, &sa->peer_vendor);
	sa->natt = sa->cfg.no_natt ? IKE_NATT_NONE : sa->peer_vendor.natt;
	uint8_t id[8], hash[IKE_MAX_HASH];
	ike_p1_id(sa->cfg.local_addr, id);
	int hl = ike_p1_auth_hash(sa, false, id, sizeof(id), hash);
	if (hl < 0)
		return ike_p1_fail(sa, "cannot compute HASH_R");
	if (p1_reply_with_choice(sa, number, out) < 0)
		return -1;
	ike_p1_payload(out, IKE_PL_KE, sa->gxr, sa->gx_len);
	ike_p1_payload(out, IKE_PL_NONCE, sa->nr, sa->nr_len);
	ike_p1_payload(out, IKE_PL_ID, id, sizeof(id));
	ike_p1_payload(out, IKE_PL_HASH, hash, (size_t)hl);
	ike_vendor_put(out, false, sa->natt);
	if (sa->natt != IKE_NATT_NONE)
		ike_natd_put(out, sa->natt, sa->params.hash, sa->cky_i, sa->cky_r, sa->cfg.local_addr,
			     sa->cfg.local_port, sa->cfg.peer_addr, sa->cfg.peer_port);
	if (ike_buf_finish(out) < 0)
		return ike_p1_fail(sa, "message too large");
	sa->state = IKE_R_AM2;
	return ike_p1_remember(sa, out);
}

/* am_i_recv_2: the responder's choice and keys, its HASH_R checked; then
 * message 3. */
static int am_i_recv_2(struct ike_p1 *sa, const struct ike_msg *m, struct ike_buf *out)
{
	if (mm_i_recv_2(sa, m) < 0 || mm_recv_ke(sa, m) < 0 || am_keep_peer_id(sa, m) < 0)
		return -1;
	const struct ike_payload *hash = ike_msg_find(m, IKE_PL_HASH);
	if (!hash)
		return ike_p1_fail(sa, "Aggressive Mode message 2 lacks its HASH payload");
	if (ike_p1_keys(sa, sa->gxr) < 0)
		return -1;
	uint8_t want[IKE_MAX_HASH];
	int hl = ike_p1_auth_hash(sa, false, sa->peer_id, sa->peer_id_len, want);
	if (hl < 0 || (size_t)hl != hash->len || CRYPTO_memcmp(want, hash->body, (size_t)hl) != 0)
		return ike_p1_fail(sa, "pre-shared key mismatch (HASH_R did not verify)");
	/* message 3: HASH_I and NAT-D, encrypted */
	uint8_t id[8], mine[IKE_MAX_HASH];
	ike_p1_id(sa->cfg.local_addr, id);
	hl = ike_p1_auth_hash(sa, true, id, sizeof(id), mine);
	if (hl < 0)
		return ike_p1_fail(sa, "cannot compute HASH_I");
	struct ike_buf body;
	ike_buf_init(&body);
	body.last_next = (size_t)-1;
	ike_p1_payload(&body, IKE_PL_HASH, mine, (size_t)hl);
	if (sa->natt != IKE_NATT_NONE)
		ike_natd_put(&body, sa->natt, sa->params.hash, sa->cky_i, sa->cky_r, sa->cfg.local_addr,
			     sa->cfg.local_port, sa->cfg.peer_addr, sa->cfg.peer_port);
	if (ike_p1_send_sealed(sa, &body, IKE_PL_HASH, 3, out) < 0)
		return -1;
	sa->state = IKE_P1_COMPLETE;
	return 1;
}

/* am_r_recv_3: HASH_I, encrypted or not. */
static int am_r_recv_3(struct ike_p1 *sa, const struct ike_msg *m)
{
	struct ike_msg in = *m;
	uint8_t *body = NULL;
	uint8_t iv[16];
	memcpy(iv, sa->iv, sizeof(iv));
	char why[128];
	int rc = -1;
	if (m->hdr.flags & IKE_FLAG_ENCRYPTED) {
		rc = ike_p1_open(sa, m, iv, &in, &body, why, sizeof(why));
		if (rc == -1)
			ike_p1_fail(sa, "message 3: %zu encrypted bytes, not a multiple of the block", m->rawlen - IKE_HDR_LEN);
		else if (rc == -2)
			ike_p1_fail(sa, "out of memory");
		else if (rc == -3)
			ike_p1_fail(sa, "pre-shared key mismatch (message 3 did not decrypt)");
		if (rc < 0)
			goto out;
		rc = -1;
	}
	const struct ike_payload *hash = ike_msg_find(&in, IKE_PL_HASH);
	if (!hash) {
		ike_p1_fail(sa, "Aggressive Mode message 3 lacks its HASH payload");
		goto out;
	}
	uint8_t want[IKE_MAX_HASH];
	int hl = ike_p1_auth_hash(sa, true, sa->peer_id, sa->peer_id_len, want);
	if (hl < 0 || (size_t)hl != hash->len || CRYPTO_memcmp(want, hash->body, (size_t)hl) != 0) {
		ike_p1_fail(sa, "pre-shared key mismatch (HASH_I did not verify)");
		goto out;
	}
	if (sa->natt != IKE_NATT_NONE &&
	    ike_natd_check(&in, sa->natt, sa->params.hash, sa->cky_i, sa->cky_r, sa->cfg.local_addr, sa->cfg.local_port,
			   sa->cfg.peer_addr, sa->cfg.peer_port, &sa->nat_local, &sa->nat_peer) < 0)
		sa->natt = IKE_NATT_NONE;
	if (m->hdr.flags & IKE_FLAG_ENCRYPTED)
		memcpy(sa->iv, iv, sizeof(sa->iv));
	sa->state = IKE_P1_COMPLETE;
	rc = 0;
out:
	free(body);
	return rc;
}

int ike_p1_initiate(struct ike_p1 *sa, const struct ike_p1_config *cfg, struct ike_buf *out)
{
	memset(sa, 0, sizeof(*sa));
	sa->cfg = *cfg;
	sa->initiator = true;
	if (cfg->npolicies == 0)
		return ike_p1_fail(sa, "no ISAKMP policy is configured");
	if (RAND_bytes(sa->cky_i, 8) != 1)
		return ike_p1_fail(sa, "no randomness");
	struct ike_buf body;
	if (ike_p1_sa_body(cfg->policies, cfg->npolicies, 1, &body) < 0) {
		ike_buf_free(&body);
		return ike_p1_fail(sa, "too many policies for one message");
	}
	sa->sai_b = body.p;
	sa->sai_len = body.len;
	ike_buf_init(out);
	ike_p1_header(sa, out);
	ike_p1_payload(out, IKE_PL_SA, sa->sai_b, sa->sai_len);
	if (!cfg->no_natt)
		ike_vendor_put(out, true, IKE_NATT_NONE);
	if (ike_buf_finish(out) < 0)
		return ike_p1_fail(sa, "message too large");
	sa->state = IKE_I_MM1;
	return ike_p1_remember(sa, out);
}

int ike_p1_respond(struct ike_p1 *sa, const struct ike_p1_config *cfg, const struct ike_msg *m1, struct ike_buf *out)
{
	memset(sa, 0, sizeof(*sa));
	sa->cfg = *cfg;
	sa->state = IKE_R_MM1;
	sa->aggressive = m1->hdr.exchange == IKE_XCHG_AGGRESSIVE;
	memcpy(sa->cky_i, m1->hdr.icookie, 8);
	const struct ike_payload *p = ike_msg_find(m1, IKE_PL_SA);
	if (!p)
		return ike_p1_fail(sa, "message 1 has no SA payload");
	struct ike_sa *offer = malloc(sizeof(*offer));
	if (!offer)
		return ike_p1_fail(sa, "out of memory");
	char why[256];
	size_t pi, xi;
	int rc = ike_sa_parse(p, offer, why, sizeof(why));
	if (rc < 0)
		ike_p1_fail(sa, "malformed SA payload: %s", why);
	else if ((rc = ike_policy_choose(offer, cfg->policies, cfg->npolicies, &pi, &xi, &sa->params, why,
					 sizeof(why))) < 0)
		ike_p1_fail(sa, "%s", why);
	uint8_t number = rc == 0 ? offer->prop[pi].xf[xi].number : 0;
	free(offer);
	if (rc < 0)
		return -1;
	sa->sai_b = malloc(p->len);
	if (!sa->sai_b || RAND_bytes(sa->cky_r, 8) != 1)
		return ike_p1_fail(sa, "out of memory");
	memcpy(sa->sai_b, p->body, p->len);
	sa->sai_len = p->len;
	if (sa->aggressive)
		return am_r_send_2(sa, m1, number, out);
	/* message 2: the chosen transform */
	if (p1_reply_with_choice(sa, number, out) < 0)
		return -1;
	ike_vendor_parse(m1, &sa->peer_vendor);
	sa->natt = cfg->no_natt ? IKE_NATT_NONE : sa->peer_vendor.natt;
	ike_vendor_put(out, false, sa->natt);
	if (ike_buf_finish(out) < 0)
		return ike_p1_fail(sa, "message too large");
	sa->state = IKE_R_MM2;
	return ike_p1_remember(sa, out);
}

/* mm_i_recv_2: the responder's choice must be one of ours. */
static int mm_i_recv_2(struct ike_p1 *sa, const struct ike_msg *m)
{
	const struct ike_payload *p = ike_msg_find(m, IKE_PL_SA);
	if (!p)
		return ike_p1_fail(sa, "message 2 has no SA payload");
	struct ike_sa *answer = malloc(sizeof(*answer));
	if (!answer)
		return ike_p1_fail(sa, "out of memory");
	char why[256];
	size_t pi, xi;
	int rc = ike_sa_parse(p, answer, why, sizeof(why));
	if (rc < 0)
		ike_p1_fail(sa, "malformed SA payload in message 2: %s", why);
	else if (answer->nprop != 1 || answer->prop[0].nxf != 1)
		rc = ike_p1_fail(sa, "message 2 must choose one transform, it has %zu proposals", answer->nprop);
	else if ((rc = ike_policy_choose(answer, sa->cfg.policies, sa->cfg.npolicies, &pi, &xi, &sa->params, why,
					 sizeof(why))) < 0)
		ike_p1_fail(sa, "the responder chose a transform that was not offered (%s)", why);
	free(answer);
	if (rc < 0)
		return -1;
	memcpy(sa->cky_r, m->hdr.rcookie, 8);
	ike_vendor_parse(m, &sa->peer_vendor);
	sa->natt = sa->cfg.no_natt ? IKE_NATT_NONE : sa->peer_vendor.natt;
	return 0;
}

int ike_p1_receive(struct ike_p1 *sa, const uint8_t *msg, size_t len, struct ike_buf *out)
{
	struct ike_msg m;
	char why[128];
	if (ike_msg_parse(msg, len, &m, why, sizeof(why)) < 0)
		return ike_p1_fail(sa, "malformed message: %s", why);
	if (m.hdr.exchange != (sa->aggressive ? IKE_XCHG_AGGRESSIVE : IKE_XCHG_MAIN) ||
	    memcmp(m.hdr.icookie, sa->cky_i, 8) != 0)
		return ike_p1_fail(sa, "not a message of this %s Mode exchange", sa->aggressive ? "Aggressive" : "Main");
	switch (sa->state) {
	case IKE_I_AM1:
		return am_i_recv_2(sa, &m, out);
	case IKE_R_AM2:
		return am_r_recv_3(sa, &m);
	case IKE_I_MM1:
		if (mm_i_recv_2(sa, &m) < 0)
			return -1;
		sa->state = IKE_I_MM2;
		if (mm_send_ke(sa, out) < 0)
			return -1;
		sa->state = IKE_I_MM3;
		return 1;
	case IKE_R_MM2:
		if (memcmp(m.hdr.rcookie, sa->cky_r, 8) != 0 || mm_recv_ke(sa, &m) < 0)
			return sa->reason[0] ? -1 : ike_p1_fail(sa, "message 3 with the wrong responder cookie");
		sa->state = IKE_R_MM3;
		if (mm_send_ke(sa, out) < 0 || ike_p1_keys(sa, sa->gxi) < 0)
			return -1;
		sa->state = IKE_R_MM4;
		return 1;
	case IKE_I_MM3:
		if (mm_recv_ke(sa, &m) < 0)
			return -1;
		sa->state = IKE_I_MM4;
		if (ike_p1_keys(sa, sa->gxr) < 0 || ike_p1_send_auth(sa, out) < 0)
			return -1;
		sa->state = IKE_I_MM5;
		return 1;
	case IKE_R_MM4:
		sa->state = IKE_R_MM5;
		if (ike_p1_recv_auth(sa, &m) < 0 || ike_p1_send_auth(sa, out) < 0)
			return -1;
		sa->state = IKE_P1_COMPLETE;
		return 1;
	case IKE_I_MM5:
		if (ike_p1_recv_auth(sa, &m) < 0)
			return -1;
		sa->state = IKE_P1_COMPLETE; /* through IKE_I_MM6: nothing is left to send */
		return 0;
	default:
		return ike_p1_fail(sa, "unexpected message in state %s", ike_state_name(sa->state));
	}
}

bool ike_p1_nat_detected(const struct ike_p1 *sa)
{
	return sa->natt != IKE_NATT_NONE && (sa->nat_local || sa->nat_peer);
}

void ike_p1_free(struct ike_p1 *sa)
{
	ike_dh_free(sa->dh);
	free(sa->sai_b);
	free(sa->last_sent);
	OPENSSL_cleanse(&sa->keys, sizeof(sa->keys));
	OPENSSL_cleanse(sa->enc_key, sizeof(sa->enc_key));
	memset(sa, 0, sizeof(*sa));
}
