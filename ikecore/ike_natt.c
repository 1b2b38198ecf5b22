/*
 * ike_natt.c -- Vendor IDs and NAT-D (see ike_natt.h). The Vendor IDs are
 * MD5 digests of the strings the documents name ("RFC 3947",
 * "draft-ietf-ipsec-nat-t-ike-02\n", ...) and RFC 3706's DPD value, kept
 * here as bytes so that no digest is computed per message.
 */
#include "ikecore/ike_natt.h"

#include <openssl/crypto.h>
#include <string.h>

static const uint8_t vid_rfc3947[16] = { 0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45,
					 0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f };
static const uint8_t vid_draft03[16] = { 0x7d, 0x94, 0x19, 0xa6, 0x53, 0x10, 0xca, 0x6f,
					 0x2c, 0x17, 0x9d, 0x92, 0x15, 0x52, 0x9d, 0x56 };
static const uint8_t vid_draft02n[16] = { 0x90, 0xcb, 0x80, 0x91, 0x3e, 0xbb, 0x69, 0x6e,
					  0x08, 0x63, 0x81, 0xb5, 0xec, 0x42, 0x7b, 0x1f };
static const uint8_t vid_draft02[16] = { 0xcd, 0x60, 0x46, 0x43, 0x35, 0xdf, 0x21, 0xf8,
					 0x7c, 0xfd, 0xb2, 0xfc, 0x68, 0xb6, 0xa4, 0x48 };
/* RFC 3706: 14 bytes, then major 1, minor 0 */
static const uint8_t vid_dpd[16] = { 0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9,
				     0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00 };
/* MD5("CISCO-UNITY") with its last two bytes replaced by the version 1.0 */
static const uint8_t vid_unity[16] = { 0x12, 0xf5, 0xf2, 0x8c, 0x45, 0x71, 0x68, 0xa9,
				       0x70, 0x2d, 0x9f, 0xe2, 0x74, 0xcc, 0x01, 0x00 };

static bool vid_is(const struct ike_payload *p, const uint8_t *v, size_t n)
{
	return p->len >= n && memcmp(p->body, v, n) == 0;
}

void ike_vendor_parse(const struct ike_msg *m, struct ike_vendor *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < m->npl; i++) {
		const struct ike_payload *p = &m->pl[i];
		if (p->type != IKE_PL_VENDOR)
			continue;
		enum ike_natt v = IKE_NATT_NONE;
		if (p->len == 16 && vid_is(p, vid_rfc3947, 16))
			v = IKE_NATT_RFC;
		else if (p->len == 16 && vid_is(p, vid_draft03, 16))
			v = IKE_NATT_DRAFT_03;
		else if (p->len == 16 && (vid_is(p, vid_draft02n, 16) || vid_is(p, vid_draft02, 16)))
			v = IKE_NATT_DRAFT_02;
		else if (vid_is(p, vid_dpd, 14))
			out->dpd = true;
		else if (vid_is(p, vid_unity, 14))
			out->unity = out->cisco = true;
		if (v > out->natt)
			out->natt = v;
	}
}

static void vid_put(struct ike_buf *b, const uint8_t *v)
{
	size_t at = ike_buf_begin_payload(b, IKE_PL_VENDOR);
	ike_buf_put(b, v, 16);
	ike_buf_end_payload(b, at);
}

void ike_vendor_put(struct ike_buf *b, bool initiator, enum ike_natt agreed)
{
	if (initiator || agreed == IKE_NATT_RFC)
		vid_put(b, vid_rfc3947);
	if (initiator || agreed == IKE_NATT_DRAFT_03)
		vid_put(b, vid_draft03);
	if (initiator || agreed == IKE_NATT_DRAFT_02) {
		vid_put(b, vid_draft02n);
		if (initiator)
			vid_put(b, vid_draft02);
	}
	vid_put(b, vid_dpd);
}

uint8_t ike_natd_payload(enum ike_natt v)
{
	return v == IKE_NATT_RFC ? IKE_PL_NATD : IKE_PL_NATD_DRAFT;
}

uint16_t ike_natt_encap_tunnel(enum ike_natt v)
{
	return v == IKE_NATT_RFC ? 3 : 61443;
}

const char *ike_natt_name(enum ike_natt v)
{
	switch (v) {
	case IKE_NATT_RFC:
		return "RFC 3947";
	case IKE_NATT_DRAFT_03:
		return "draft-03";
	case IKE_NATT_DRAFT_02:
		return "draft-02";
	default:
		return "none";
	}
}

int ike_natd_hash(enum ike_hash h, const uint8_t cky_i[8], const uint8_t cky_r[8], uint32_t addr, uint16_t port,
		  uint8_t *out)
{
	uint8_t a[4] = { (uint8_t)(addr >> 24), (uint8_t)(addr >> 16), (uint8_t)(addr >> 8), (uint8_t)addr };
	uint8_t p[2] = { (uint8_t)(port >> 8), (uint8_t)port };
	struct ike_chunk c[] = { { cky_i, 8 }, { cky_r, 8 }, { a, 4 }, { p, 2 } };
	return ike_hash(h, c, 4, out);
}

static void natd_one(struct ike_buf *b, uint8_t type, enum ike_hash h, const uint8_t cky_i[8],
		     const uint8_t cky_r[8], uint32_t addr, uint16_t port)
{
	uint8_t d[IKE_MAX_HASH];
	int n = ike_natd_hash(h, cky_i, cky_r, addr, port, d);
	if (n < 0) {
		b->failed = true;
		return;
	}
	size_t at = ike_buf_begin_payload(b, type);
	ike_buf_put(b, d, (size_t)n);
	ike_buf_end_payload(b, at);
}

void ike_natd_put(struct ike_buf *b, enum ike_natt v, enum ike_hash h, const uint8_t cky_i[8],
		  const uint8_t cky_r[8], uint32_t local, uint16_t lport, uint32_t peer, uint16_t pport)
{
	uint8_t type = ike_natd_payload(v);
	natd_one(b, type, h, cky_i, cky_r, peer, pport);
	natd_one(b, type, h, cky_i, cky_r, local, lport);
}

int ike_natd_check(const struct ike_msg *m, enum ike_natt v, enum ike_hash h, const uint8_t cky_i[8],
		   const uint8_t cky_r[8], uint32_t local, uint16_t lport, uint32_t peer, uint16_t pport,
		   bool *local_behind_nat, bool *peer_behind_nat)
{
	uint8_t type = ike_natd_payload(v), mine[IKE_MAX_HASH], theirs[IKE_MAX_HASH];
	int ml = ike_natd_hash(h, cky_i, cky_r, local, lport, mine);
	int tl = ike_natd_hash(h, cky_i, cky_r, peer, pport, theirs);
	if (ml < 0 || tl < 0)
		return -1;
	size_t seen = 0;
	bool peer_found = false;
	*local_behind_nat = true;
	for (size_t i = 0; i < m->npl; i++) {
		const struct ike_payload *p = &m->pl[i];
		if (p->type != type)
			continue;
		if (seen++ == 0) {
			if (p->len == (size_t)ml && CRYPTO_memcmp(p->body, mine, (size_t)ml) == 0)
				*local_behind_nat = false;
		} else if (p->len == (size_t)tl && CRYPTO_memcmp(p->body, theirs, (size_t)tl) == 0) {
			peer_found = true;
		}
	}
	if (seen < 2)
		return -1;
	*peer_behind_nat = !peer_found;
	return 0;
}
