/*
 * ike_info.h -- Informational exchanges under a phase 1 SA (RFC 2408 4.8,
 * RFC 2409 5.7): Delete payloads, notifications and the Dead Peer Detection
 * messages of RFC 3706, protected as
 *
 *     HDR*, HASH(1), N/D      HASH(1) = prf(SKEYID_a, M-ID | N/D)
 *
 * with the IV of a new exchange (RFC 2409 Appendix B). A message that does
 * not decrypt or whose HASH does not verify is refused whole: an
 * unauthenticated notification never deletes an SA.
 */
#ifndef VPNSH_IKE_INFO_H
#define VPNSH_IKE_INFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikecore/ike_sa.h"

/* Notify message types (RFC 2408 3.14.1, RFC 2407 4.6.3, RFC 3706). */
enum ike_notify_type {
	IKE_N_INVALID_PAYLOAD_TYPE = 1,
	IKE_N_NO_PROPOSAL_CHOSEN = 14,
	IKE_N_INVALID_ID_INFORMATION = 18,
	IKE_N_AUTHENTICATION_FAILED = 24,
	IKE_N_RESPONDER_LIFETIME = 24576,
	IKE_N_INITIAL_CONTACT = 24578,
	IKE_N_DPD_R_U_THERE = 36136,
	IKE_N_DPD_R_U_THERE_ACK = 36137,
};

#define IKE_PROTO_ISAKMP_ID 1
#define IKE_PROTO_ESP_ID 3
#define IKE_INFO_MAX_SPIS 16

/* What an Informational message carried (the first N or D payload). */
struct ike_info {
	bool is_delete;
	uint8_t protocol;         /* 1 ISAKMP, 3 ESP */
	uint16_t notify;          /* notify type, when not a delete */
	uint32_t spis[IKE_INFO_MAX_SPIS];  /* ESP SPIs deleted */
	size_t nspis;
	uint32_t dpd_seq;         /* R-U-THERE(-ACK) sequence number */
};

/* A Delete of the phase 1 SA itself, or of ESP SPIs (ours: inbound). */
int ike_info_delete(const struct ike_p1 *p1, uint32_t msgid, uint8_t protocol, const uint32_t *spis, size_t n,
		    struct ike_buf *out);
/* A notification: DPD (ISAKMP SPI = the cookies, data = sequence number),
 * INITIAL-CONTACT. */
int ike_info_notify(const struct ike_p1 *p1, uint32_t msgid, uint16_t type, uint32_t seq, struct ike_buf *out);
/* Decrypt, authenticate and read a received Informational message. Returns
 * 0, or -1 with why (the message must then be ignored). */
int ike_info_open(const struct ike_p1 *p1, const uint8_t *msg, size_t len, struct ike_info *out, char *why,
		  size_t whylen);
const char *ike_notify_name(uint16_t type);

#endif
