/*
 * ike_natt.h -- what IKEv1 peers announce about themselves in Vendor ID
 * payloads (NAT traversal in its RFC 3947 and draft forms, Dead Peer
 * Detection, Cisco Unity), and NAT discovery with NAT-D hashes.
 *
 * NAT-D (RFC 3947 3.2): each side sends in Main Mode messages 3 and 4 (or
 * Aggressive Mode 2 and 3) HASH(CKY-I | CKY-R | IP | port) first of the
 * address it sends to, then of its own. The receiver is behind a NAT when
 * the first hash is not that of its own address and port; the sender is when
 * none of the others is that of the address and port the packet came from.
 */
#ifndef VPNSH_IKE_NATT_H
#define VPNSH_IKE_NATT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikecore/ike_codec.h"
#include "ikecore/ike_crypto.h"

/* The NAT traversal variant agreed (better ones are larger). */
enum ike_natt {
	IKE_NATT_NONE,
	IKE_NATT_DRAFT_02,        /* draft-ietf-ipsec-nat-t-ike-02 and -02\n */
	IKE_NATT_DRAFT_03,
	IKE_NATT_RFC,             /* RFC 3947 */
};

/* What a peer's Vendor ID payloads said. */
struct ike_vendor {
	enum ike_natt natt;       /* the best NAT-T variant it announced */
	bool dpd;                 /* RFC 3706 */
	bool unity;               /* a Cisco device or client */
	bool cisco;               /* CISCO-UNITY or a Cisco IOS/ASA Vendor ID */
};

/* Read every Vendor ID payload of a message. */
void ike_vendor_parse(const struct ike_msg *m, struct ike_vendor *out);
/* Append our Vendor IDs: as initiator every NAT-T variant we speak, as
 * responder only the one agreed; DPD always. */
void ike_vendor_put(struct ike_buf *b, bool initiator, enum ike_natt agreed);

/* The NAT-D payload type and the Quick Mode UDP-encapsulated tunnel mode of
 * a variant. */
uint8_t ike_natd_payload(enum ike_natt v);
uint16_t ike_natt_encap_tunnel(enum ike_natt v);
const char *ike_natt_name(enum ike_natt v);

/* HASH(CKY-I | CKY-R | IP | port): returns the length or -1. */
int ike_natd_hash(enum ike_hash h, const uint8_t cky_i[8], const uint8_t cky_r[8], uint32_t addr, uint16_t port,
		  uint8_t *out);
/* Append the two NAT-D payloads (destination first). */
void ike_natd_put(struct ike_buf *b, enum ike_natt v, enum ike_hash h, const uint8_t cky_i[8],
		  const uint8_t cky_r[8], uint32_t local, uint16_t lport, uint32_t peer, uint16_t pport);
/* Compare a message's NAT-D payloads with the addresses the packet used.
 * Returns 0 with what they show, or -1 when the message has no NAT-D
 * payloads although the variant needs them. */
int ike_natd_check(const struct ike_msg *m, enum ike_natt v, enum ike_hash h, const uint8_t cky_i[8],
		   const uint8_t cky_r[8], uint32_t local, uint16_t lport, uint32_t peer, uint16_t pport,
		   bool *local_behind_nat, bool *peer_behind_nat);

#endif
