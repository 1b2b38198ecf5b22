/*
 * ike_info.c -- Informational exchanges (see ike_info.h).
 */
#include "ikecore/ike_info.h"

#include <openssl/crypto.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikecore/ike_cipher.h"

static int info_fail(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -1;
}

static void msgid_bytes(uint32_t id, uint8_t b[4])
{
	b[0] = (uint8_t)(id >> 24);
	b[1] = (uint8_t)(id >> 16);
	b[2] = (uint8_t)(id >> 8);
	b[3] = (uint8_t)id;
}

/* HDR*, HASH(1), payload: `pl` is the N or D payload with its generic header. */
static int info_seal(const struct ike_p1 *p1, uint32_t msgid, const struct ike_buf *pl, uint8_t pl_type,
		     struct ike_buf *out)
{
	uint8_t id[4], hash[IKE_MAX_HASH], iv[16];
	msgid_bytes(msgid, id);
	struct ike_chunk c[] = { { id, 4 }, { pl->p, pl->len } };
	int hl = ike_prf(p1->params.hash, p1->keys.skeyid_a, p1->keys.len, c, 2, hash);
	size_t block = ike_cipher_block(p1->params.encryption);
	if (hl < 0 || ike_iv_exchange(p1->params.hash, p1->iv, block, msgid, iv) < 0)
		return -1;
	struct ike_buf body;
	ike_buf_init(&body);
	ike_buf_put8(&body, pl_type);
	ike_buf_put8(&body, 0);
	ike_buf_put16(&body, (uint16_t)(4 + hl));
	ike_buf_put(&body, hash, (size_t)hl);
	ike_buf_put(&body, pl->p, pl->len);
	int rc = ike_p1_seal(p1, IKE_XCHG_INFO, msgid, IKE_PL_HASH, iv, &body, out) == 0 ? 0 : -1;
	ike_buf_free(&body);
	return rc;
}

int ike_info_delete(const struct ike_p1 *p1, uint32_t msgid, uint8_t protocol, const uint32_t *spis, size_t n,
		    struct ike_buf *out)
{
	struct ike_buf d;
	ike_buf_init(&d);
	ike_buf_put8(&d, IKE_PL_NONE);
	ike_buf_put8(&d, 0);
	size_t spisize = protocol == IKE_PROTO_ISAKMP_ID ? 16 : 4;
	size_t count = protocol == IKE_PROTO_ISAKMP_ID ? 1 : n;
	ike_buf_put16(&d, (uint16_t)(12 + spisize * count));
	ike_buf_put32(&d, 1); /* DOI IPsec */
	ike_buf_put8(&d, protocol);
	ike_buf_put8(&d, (uint8_t)spisize);
	ike_buf_put16(&d, (uint16_t)count);
	if (protocol == IKE_PROTO_ISAKMP_ID) {
		ike_buf_put(&d, p1->cky_i, 8);
		ike_buf_put(&d, p1->cky_r, 8);
	} else {
		for (size_t i = 0; i < n; i++)
			ike_buf_put32(&d, spis[i]);
	}
	int rc = d.failed ? -1 : info_seal(p1, msgid, &d, IKE_PL_DELETE, out);
	ike_buf_free(&d);
	return rc;
}

int ike_info_notify(const struct ike_p1 *p1, uint32_t msgid, uint16_t type, uint32_t seq, struct ike_buf *out)
{
	bool dpd = type == IKE_N_DPD_R_U_THERE || type == IKE_N_DPD_R_U_THERE_ACK;
	struct ike_buf n;
	ike_buf_init(&n);
	ike_buf_put8(&n, IKE_PL_NONE);
	ike_buf_put8(&n, 0);
	ike_buf_put16(&n, (uint16_t)(12 + 16 + (dpd ? 4 : 0)));
	ike_buf_put32(&n, 1);
	ike_buf_put8(&n, IKE_PROTO_ISAKMP_ID);
	ike_buf_put8(&n, 16);
	ike_buf_put16(&n, type);
	ike_buf_put(&n, p1->cky_i, 8);
	ike_buf_put(&n, p1->cky_r, 8);
	if (dpd)
		ike_buf_put32(&n, seq);
	int rc = n.failed ? -1 : info_seal(p1, msgid, &n, IKE_PL_NOTIFY, out);
	ike_buf_free(&n);
	return rc;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int info_read(const struct ike_payload *p, struct ike_info *out, char *why, size_t whylen)
{
	if (p->len < 8)
		return info_fail(why, whylen, "%s payload of %zu bytes", p->type == IKE_PL_DELETE ? "Delete" : "Notify",
				 p->len);
	out->protocol = p->body[4];
	uint8_t spisize = p->body[5];
	if (p->type == IKE_PL_DELETE) {
		out->is_delete = true;
		size_t count = (size_t)p->body[6] << 8 | p->body[7];
		if (8 + spisize * count > p->len)
			return info_fail(why, whylen, "Delete payload: %zu SPIs of %u bytes do not fit", count, spisize);
		if (out->protocol == IKE_PROTO_ESP_ID) {
			if (spisize != 4)
				return info_fail(why, whylen, "Delete payload: ESP SPI of %u bytes", spisize);
			for (size_t i = 0; i < count && out->nspis < IKE_INFO_MAX_SPIS; i++)
				out->spis[out->nspis++] = get32(p->body + 8 + 4 * i);
		}
		return 0;
	}
	out->notify = (uint16_t)(p->body[6] << 8 | p->body[7]);
	if (8u + spisize > p->len)
		return info_fail(why, whylen, "Notify payload: SPI of %u bytes does not fit", spisize);
	size_t data = p->len - 8 - spisize;
	if ((out->notify == IKE_N_DPD_R_U_THERE || out->notify == IKE_N_DPD_R_U_THERE_ACK) && data >= 4)
		out->dpd_seq = get32(p->body + 8 + spisize);
	return 0;
}

int ike_info_open(const struct ike_p1 *p1, const uint8_t *msg, size_t len, struct ike_info *out, char *why,
		  size_t whylen)
{
	memset(out, 0, sizeof(*out));
	struct ike_msg m;
	if (ike_msg_parse(msg, len, &m, why, whylen) < 0)
		return -1;
	if (m.hdr.exchange != IKE_XCHG_INFO)
		return info_fail(why, whylen, "not an Informational message");
	if (!(m.hdr.flags & IKE_FLAG_ENCRYPTED))
		return info_fail(why, whylen, "unencrypted Informational message (not authenticated)");
	uint8_t iv[16], *plain;
	if (ike_iv_exchange(p1->params.hash, p1->iv, ike_cipher_block(p1->params.encryption), m.hdr.msgid, iv) < 0)
		return info_fail(why, whylen, "cannot compute the IV");
	struct ike_msg in;
	char pwhy[128];
	int rc = ike_p1_open(p1, &m, iv, &in, &plain, pwhy, sizeof(pwhy));
	if (rc == -1)
		info_fail(why, whylen, "encrypted body of %zu bytes", m.rawlen - IKE_HDR_LEN);
	else if (rc == -2)
		info_fail(why, whylen, "out of memory");
	else if (rc == -3)
		info_fail(why, whylen, "Informational message did not decrypt");
	if (rc < 0)
		goto out;
	rc = -1;
	const uint8_t *rest;
	size_t rlen;
	if (in.npl < 2 || ike_p1_after_hash(&in, &rest, &rlen) < 0) {
		info_fail(why, whylen, "Informational message without HASH and payload");
		goto out;
	}
	/* HASH(1) covers everything after the HASH payload up to the last payload */
	uint8_t id[4], hash[IKE_MAX_HASH];
	msgid_bytes(m.hdr.msgid, id);
	struct ike_chunk c[] = { { id, 4 }, { rest, rlen } };
	int hl = ike_prf(p1->params.hash, p1->keys.skeyid_a, p1->keys.len, c, 2, hash);
	if (hl < 0 || (size_t)hl != in.pl[0].len || CRYPTO_memcmp(hash, in.pl[0].body, (size_t)hl) != 0) {
		info_fail(why, whylen, "Informational message: HASH did not verify");
		goto out;
	}
	const struct ike_payload *p = NULL;
	for (size_t i = 1; i < in.npl && !p; i++)
		if (in.pl[i].type == IKE_PL_NOTIFY || in.pl[i].type == IKE_PL_DELETE)
			p = &in.pl[i];
	if (!p)
		info_fail(why, whylen, "Informational message without Notify or Delete");
	else
		rc = info_read(p, out, why, whylen);
out:
	free(plain);
	return rc;
}

const char *ike_notify_name(uint16_t type)
{
	switch (type) {
	case IKE_N_INVALID_PAYLOAD_TYPE:
		return "INVALID-PAYLOAD-TYPE";
	case IKE_N_NO_PROPOSAL_CHOSEN:
		return "NO-PROPOSAL-CHOSEN";
	case IKE_N_INVALID_ID_INFORMATION:
		return "INVALID-ID-INFORMATION";
	case IKE_N_AUTHENTICATION_FAILED:
		return "AUTHENTICATION-FAILED";
	case IKE_N_RESPONDER_LIFETIME:
		return "RESPONDER-LIFETIME";
	case IKE_N_INITIAL_CONTACT:
		return "INITIAL-CONTACT";
	case IKE_N_DPD_R_U_THERE:
		return "R-U-THERE";
	case IKE_N_DPD_R_U_THERE_ACK:
		return "R-U-THERE-ACK";
	}
	return "unknown";
}
