/*
 * ike_codec.h -- ISAKMP messages (RFC 2408, IKEv1) as bytes: a bounds-checked
 * reader that validates before it parses, and a writer.
 *
 * Parsing never trusts a length before checking it against the buffer: the
 * header, then each generic payload header, then each payload's own fixed
 * part. A message that fails any check is rejected whole with a reason in
 * words (for `debug crypto isakmp` and the drop counters), and nothing of it
 * is used. Payload bodies are referenced in place (no copies): the message
 * buffer must outlive the parsed view.
 */
#ifndef VPNSH_IKE_CODEC_H
#define VPNSH_IKE_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IKE_HDR_LEN 28
#define IKE_GENERIC_LEN 4
#define IKE_MAX_PAYLOADS 32
#define IKE_MAX_MSG 65535

/* Exchange types (RFC 2408 3.1, RFC 2409 5.5). */
enum ike_exchange {
	IKE_XCHG_BASE = 1,
	IKE_XCHG_MAIN = 2,        /* identity protection */
	IKE_XCHG_AUTH_ONLY = 3,
	IKE_XCHG_AGGRESSIVE = 4,
	IKE_XCHG_INFO = 5,
	IKE_XCHG_QUICK = 32,
};

/* Payload types (RFC 2408 3.1, RFC 3947). */
enum ike_payload_type {
	IKE_PL_NONE = 0,
	IKE_PL_SA = 1,
	IKE_PL_PROPOSAL = 2,
	IKE_PL_TRANSFORM = 3,
	IKE_PL_KE = 4,
	IKE_PL_ID = 5,
	IKE_PL_CERT = 6,
	IKE_PL_CR = 7,
	IKE_PL_HASH = 8,
	IKE_PL_SIG = 9,
	IKE_PL_NONCE = 10,
	IKE_PL_NOTIFY = 11,
	IKE_PL_DELETE = 12,
	IKE_PL_VENDOR = 13,
	IKE_PL_NATD = 20,
	IKE_PL_NATOA = 21,
	IKE_PL_NATD_DRAFT = 130,
	IKE_PL_NATOA_DRAFT = 131,
};

/* Header flags. */
#define IKE_FLAG_ENCRYPTED 0x01
#define IKE_FLAG_COMMIT    0x02
#define IKE_FLAG_AUTH_ONLY 0x04

struct ike_hdr {
	uint8_t icookie[8], rcookie[8];
	uint8_t next_payload;
	uint8_t version;          /* major << 4 | minor */
	uint8_t exchange;
	uint8_t flags;
	uint32_t msgid;
	uint32_t length;          /* as the header says */
};

struct ike_payload {
	uint8_t type;
	const uint8_t *body;      /* after the 4-byte generic header */
	size_t len;
};

struct ike_msg {
	struct ike_hdr hdr;
	const uint8_t *raw;       /* the whole message as received */
	size_t rawlen;            /* the header's length (trailing bytes ignored) */
	struct ike_payload pl[IKE_MAX_PAYLOADS];
	size_t npl;
};

/* Parse the header and, unless the message is encrypted, the payload chain.
 * Returns 0, or -1 with a reason in why. Bytes after the header's length
 * (some old clients append zeros) are ignored. */
int ike_msg_parse(const uint8_t *buf, size_t len, struct ike_msg *m, char *why, size_t whylen);
/* Parse a payload chain (a decrypted body: trailing padding is allowed). */
int ike_msg_parse_payloads(struct ike_msg *m, uint8_t first, const uint8_t *body, size_t len, bool padded,
			   char *why, size_t whylen);
/* The first payload of a type, or NULL. */
const struct ike_payload *ike_msg_find(const struct ike_msg *m, uint8_t type);

/* ---- SA payloads (RFC 2407 DOI IPsec, RFC 2408 3.4-3.6) ---- */

#define IKE_MAX_PROPOSALS 16
#define IKE_MAX_TRANSFORMS 32
#define IKE_MAX_ATTRS 16

struct ike_attr {
	uint16_t type;            /* without the AF bit */
	bool basic;               /* TV form */
	uint32_t value;           /* basic, or a variable value of up to 4 bytes */
	const uint8_t *data;      /* variable form */
	size_t len;
};

struct ike_transform {
	uint8_t number, id;
	struct ike_attr attr[IKE_MAX_ATTRS];
	size_t nattr;
};

struct ike_proposal {
	uint8_t number, protocol;
	const uint8_t *spi;
	size_t spilen;
	struct ike_transform xf[IKE_MAX_TRANSFORMS];
	size_t nxf;
};

struct ike_sa {
	uint32_t doi, situation;
	struct ike_proposal prop[IKE_MAX_PROPOSALS];
	size_t nprop;
};

int ike_sa_parse(const struct ike_payload *p, struct ike_sa *sa, char *why, size_t whylen);
/* An attribute of a transform, or NULL. */
const struct ike_attr *ike_transform_attr(const struct ike_transform *t, uint16_t type);

/* ---- writing ---- */

struct ike_buf {
	uint8_t *p;
	size_t len, cap;
	bool failed;              /* out of memory or over IKE_MAX_MSG: the message is void */
	size_t last_next;         /* where the previous payload's next-payload byte is */
};

void ike_buf_init(struct ike_buf *b);
void ike_buf_free(struct ike_buf *b);
void ike_buf_put8(struct ike_buf *b, uint8_t v);
void ike_buf_put16(struct ike_buf *b, uint16_t v);
void ike_buf_put32(struct ike_buf *b, uint32_t v);
void ike_buf_put(struct ike_buf *b, const void *p, size_t n);
/* Write the header (length filled in by ike_buf_finish). */
void ike_buf_header(struct ike_buf *b, const struct ike_hdr *h);
/* Begin a payload of the given type: chains it from the previous one and
 * returns its offset for ike_buf_end_payload(). */
size_t ike_buf_begin_payload(struct ike_buf *b, uint8_t type);
void ike_buf_end_payload(struct ike_buf *b, size_t start);
/* A transform attribute: basic (TV) when the value fits 16 bits. */
void ike_buf_attr(struct ike_buf *b, uint16_t type, uint32_t value);
/* Set the header's length; returns 0, or -1 if the message is void. */
int ike_buf_finish(struct ike_buf *b);

#endif
