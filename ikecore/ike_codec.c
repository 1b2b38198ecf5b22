/*
 * ike_codec.c -- the ISAKMP reader and writer.
 *
 * Reading walks a cursor over the buffer; every read is preceded by a check
 * that the bytes are there. A payload chain is validated as it is walked:
 * each generic header's length covers at least itself and no more than what
 * is left, the reserved byte is zero, and the chain ends exactly at the end
 * of the message (or of a decrypted body, where only padding may follow).
 */
#include "ikecore/ike_codec.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int ike_fail(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -1;
}

static uint16_t ike_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t ike_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int ike_msg_parse_payloads(struct ike_msg *m, uint8_t first, const uint8_t *body, size_t len, bool padded,
			   char *why, size_t whylen)
{
	size_t off = 0;
	uint8_t type = first;
	m->npl = 0;
	while (type != IKE_PL_NONE) {
		if (len - off < IKE_GENERIC_LEN)
			return ike_fail(why, whylen, "payload %u: truncated generic header", type);
		const uint8_t *g = body + off;
		uint16_t plen = ike_get16(g + 2);
		if (g[1] != 0)
			return ike_fail(why, whylen, "payload %u: reserved byte is not zero", type);
		if (plen < IKE_GENERIC_LEN || plen > len - off)
			return ike_fail(why, whylen, "payload %u: length %u does not fit (%zu bytes left)", type, plen,
					len - off);
		if (m->npl == IKE_MAX_PAYLOADS)
			return ike_fail(why, whylen, "more than %d payloads", IKE_MAX_PAYLOADS);
		m->pl[m->npl++] = (struct ike_payload){ .type = type, .body = g + IKE_GENERIC_LEN,
							 .len = plen - IKE_GENERIC_LEN };
		type = g[0];
		off += plen;
	}
	if (off != len && !padded)
		return ike_fail(why, whylen, "%zu bytes after the last payload", len - off);
	return 0;
}

int ike_msg_parse(const uint8_t *buf, size_t len, struct ike_msg *m, char *why, size_t whylen)
{
	memset(m, 0, sizeof(*m));
	if (len < IKE_HDR_LEN)
		return ike_fail(why, whylen, "%zu bytes: shorter than an ISAKMP header", len);
	struct ike_hdr *h = &m->hdr;
	memcpy(h->icookie, buf, 8);
	memcpy(h->rcookie, buf + 8, 8);
	h->next_payload = buf[16];
	h->version = buf[17];
	h->exchange = buf[18];
	h->flags = buf[19];
	h->msgid = ike_get32(buf + 20);
	h->length = ike_get32(buf + 24);
	if ((h->version >> 4) != 1)
		return ike_fail(why, whylen, "ISAKMP version %u.%u is not 1.x", h->version >> 4, h->version & 15);
	if (h->length < IKE_HDR_LEN || h->length > len)
		return ike_fail(why, whylen, "header length %u does not fit the %zu bytes received", h->length, len);
	m->raw = buf;
	m->rawlen = h->length;
	if (h->flags & IKE_FLAG_ENCRYPTED)
		return 0; /* the caller decrypts, then parses the payloads */
	return ike_msg_parse_payloads(m, h->next_payload, buf + IKE_HDR_LEN, h->length - IKE_HDR_LEN, false, why,
				      whylen);
}

const struct ike_payload *ike_msg_find(const struct ike_msg *m, uint8_t type)
{
	for (size_t i = 0; i < m->npl; i++)
		if (m->pl[i].type == type)
			return &m->pl[i];
	return NULL;
}

/* ---- SA payloads ---- */

static int ike_attrs_parse(const uint8_t *p, size_t len, struct ike_transform *t, char *why, size_t whylen)
{
	size_t off = 0;
	t->nattr = 0;
	while (off < len) {
		if (len - off < 4)
			return ike_fail(why, whylen, "transform %u: truncated attribute", t->number);
		if (t->nattr == IKE_MAX_ATTRS)
			return ike_fail(why, whylen, "transform %u: more than %d attributes", t->number, IKE_MAX_ATTRS);
		struct ike_attr *a = &t->attr[t->nattr++];
		uint16_t type = ike_get16(p + off);
		a->type = type & 0x7fff;
		a->basic = type & 0x8000;
		if (a->basic) {
			a->value = ike_get16(p + off + 2);
			a->data = NULL;
			a->len = 0;
			off += 4;
			continue;
		}
		uint16_t alen = ike_get16(p + off + 2);
		if (alen > len - off - 4)
			return ike_fail(why, whylen, "transform %u: attribute %u length %u does not fit", t->number,
					a->type, alen);
		a->data = p + off + 4;
		a->len = alen;
		a->value = 0;
		if (alen <= 4)
			for (uint16_t i = 0; i < alen; i++)
				a->value = a->value << 8 | a->data[i];
		off += 4 + (size_t)alen;
	}
	return 0;
}

/* Proposal and transform payloads nest inside the SA body with generic
 * headers of their own; their chains end with next-payload 0. */
static int ike_transforms_parse(const uint8_t *p, size_t len, uint8_t count, struct ike_proposal *pr, char *why,
				size_t whylen)
{
	size_t off = 0;
	pr->nxf = 0;
	for (uint8_t i = 0; i < count; i++) {
		if (len - off < 8)
			return ike_fail(why, whylen, "proposal %u: truncated transform", pr->number);
		const uint8_t *g = p + off;
		uint16_t tlen = ike_get16(g + 2);
		if (tlen < 8 || tlen > len - off)
			return ike_fail(why, whylen, "proposal %u: transform length %u does not fit", pr->number, tlen);
		if (g[0] != (i + 1 == count ? IKE_PL_NONE : IKE_PL_TRANSFORM))
			return ike_fail(why, whylen, "proposal %u: transform chain does not match its count %u",
					pr->number, count);
		if (pr->nxf == IKE_MAX_TRANSFORMS)
			return ike_fail(why, whylen, "proposal %u: more than %d transforms", pr->number,
					IKE_MAX_TRANSFORMS);
		struct ike_transform *t = &pr->xf[pr->nxf++];
		t->number = g[4];
		t->id = g[5];
		if (ike_attrs_parse(g + 8, tlen - 8u, t, why, whylen) < 0)
			return -1;
		off += tlen;
	}
	if (off != len)
		return ike_fail(why, whylen, "proposal %u: %zu bytes after its transforms", pr->number, len - off);
	return 0;
}

int ike_sa_parse(const struct ike_payload *p, struct ike_sa *sa, char *why, size_t whylen)
{
	memset(sa, 0, sizeof(*sa));
	if (p->len < 8)
		return ike_fail(why, whylen, "SA payload: %zu bytes, too short", p->len);
	sa->doi = ike_get32(p->body);
	sa->situation = ike_get32(p->body + 4);
	if (sa->doi != 1)
		return ike_fail(why, whylen, "SA payload: DOI %u is not IPsec", sa->doi);
	size_t off = 8;
	uint8_t next = IKE_PL_PROPOSAL;
	while (next == IKE_PL_PROPOSAL) {
		if (p->len - off < 8)
			return ike_fail(why, whylen, "SA payload: truncated proposal");
		const uint8_t *g = p->body + off;
		uint16_t plen = ike_get16(g + 2);
		if (plen < 8 || plen > p->len - off)
			return ike_fail(why, whylen, "SA payload: proposal length %u does not fit", plen);
		if (g[0] != IKE_PL_NONE && g[0] != IKE_PL_PROPOSAL)
			return ike_fail(why, whylen, "SA payload: payload %u inside an SA", g[0]);
		if (sa->nprop == IKE_MAX_PROPOSALS)
			return ike_fail(why, whylen, "SA payload: more than %d proposals", IKE_MAX_PROPOSALS);
		struct ike_proposal *pr = &sa->prop[sa->nprop++];
		pr->number = g[4];
		pr->protocol = g[5];
		pr->spilen = g[6];
		if (8u + pr->spilen > plen)
			return ike_fail(why, whylen, "proposal %u: SPI of %zu bytes does not fit", pr->number, pr->spilen);
		pr->spi = g + 8;
		if (ike_transforms_parse(g + 8 + pr->spilen, plen - 8u - pr->spilen, g[7], pr, why, whylen) < 0)
			return -1;
		next = g[0];
		off += plen;
	}
	if (off != p->len)
		return ike_fail(why, whylen, "SA payload: %zu bytes after its proposals", p->len - off);
	return 0;
}

const struct ike_attr *ike_transform_attr(const struct ike_transform *t, uint16_t type)
{
	for (size_t i = 0; i < t->nattr; i++)
		if (t->attr[i].type == type)
			return &t->attr[i];
	return NULL;
}

/* ---- writing ---- */

void ike_buf_init(struct ike_buf *b)
{
	memset(b, 0, sizeof(*b));
	b->last_next = (size_t)-1;
}

void ike_buf_free(struct ike_buf *b)
{
	free(b->p);
	ike_buf_init(b);
}

static bool ike_buf_room(struct ike_buf *b, size_t n)
{
	if (b->failed)
		return false;
	if (b->len + n > IKE_MAX_MSG) {
		b->failed = true;
		return false;
	}
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 512;
		while (cap < b->len + n)
			cap *= 2;
		uint8_t *p = realloc(b->p, cap);
		if (!p) {
			b->failed = true;
			return false;
		}
		b->p = p;
		b->cap = cap;
	}
	return true;
}

void ike_buf_put(struct ike_buf *b, const void *p, size_t n)
{
	if (!ike_buf_room(b, n))
		return;
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
}

void ike_buf_put8(struct ike_buf *b, uint8_t v)
{
	ike_buf_put(b, &v, 1);
}

void ike_buf_put16(struct ike_buf *b, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	ike_buf_put(b, x, 2);
}

void ike_buf_put32(struct ike_buf *b, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
	ike_buf_put(b, x, 4);
}

void ike_buf_header(struct ike_buf *b, const struct ike_hdr *h)
{
	ike_buf_put(b, h->icookie, 8);
	ike_buf_put(b, h->rcookie, 8);
	b->last_next = b->len;
	ike_buf_put8(b, IKE_PL_NONE);
	ike_buf_put8(b, h->version);
	ike_buf_put8(b, h->exchange);
	ike_buf_put8(b, h->flags);
	ike_buf_put32(b, h->msgid);
	ike_buf_put32(b, 0);
}

size_t ike_buf_begin_payload(struct ike_buf *b, uint8_t type)
{
	if (b->last_next != (size_t)-1 && !b->failed)
		b->p[b->last_next] = type;
	size_t start = b->len;
	b->last_next = b->len;
	ike_buf_put8(b, IKE_PL_NONE);
	ike_buf_put8(b, 0);
	ike_buf_put16(b, 0);
	return start;
}

void ike_buf_end_payload(struct ike_buf *b, size_t start)
{
	if (b->failed)
		return;
	size_t n = b->len - start;
	b->p[start + 2] = (uint8_t)(n >> 8);
	b->p[start + 3] = (uint8_t)n;
}

void ike_buf_attr(struct ike_buf *b, uint16_t type, uint32_t value)
{
	if (value <= 0xffff) {
		ike_buf_put16(b, (uint16_t)(0x8000 | type));
		ike_buf_put16(b, (uint16_t)value);
		return;
	}
	/* a variable attribute: LIFE_DURATION over 16 bits, for example */
	ike_buf_put16(b, type & 0x7fff);
	ike_buf_put16(b, 4);
	ike_buf_put32(b, value);
}

int ike_buf_finish(struct ike_buf *b)
{
	if (b->failed || b->len < IKE_HDR_LEN)
		return -1;
	uint32_t n = (uint32_t)b->len;
	b->p[24] = (uint8_t)(n >> 24);
	b->p[25] = (uint8_t)(n >> 16);
	b->p[26] = (uint8_t)(n >> 8);
	b->p[27] = (uint8_t)n;
	return 0;
}
