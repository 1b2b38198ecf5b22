/*
 * ike_sa.h -- an IKEv1 phase 1 SA and its Main Mode exchange (RFC 2409 5,
 * pre-shared keys), as a state machine that turns received messages into
 * messages to send. It owns no socket and no timer: the engine around it
 * moves the bytes, retransmits last_sent and answers a duplicate request with
 * it, so two of these can negotiate with each other in memory (which is how
 * the unit tests run it).
 *
 * States carry the names Cisco devices show: the IOS state-machine names of
 * `debug crypto isakmp` (IKE_I_MM1 ...) and, derived from them, what
 * `show crypto isakmp sa` prints on each personality.
 */
#ifndef VPNSH_IKE_SA_H
#define VPNSH_IKE_SA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikecore/ike_codec.h"
#include "ikecore/ike_crypto.h"
#include "ikecore/ike_dh.h"
#include "ikecore/ike_natt.h"
#include "ikecore/ike_policy.h"

enum ike_p1_state {
	IKE_READY,
	IKE_I_MM1,          /* initiator: message 1 sent */
	IKE_I_MM2,          /* message 2 received */
	IKE_I_MM3,
	IKE_I_MM4,
	IKE_I_MM5,
	IKE_I_MM6,
	IKE_R_MM1,          /* responder: message 1 received */
	IKE_R_MM2,
	IKE_R_MM3,
	IKE_R_MM4,
	IKE_R_MM5,
	IKE_I_AM1,          /* Aggressive Mode initiator: message 1 sent */
	IKE_R_AM2,          /* Aggressive Mode responder: message 2 sent */
	IKE_P1_COMPLETE,
	IKE_DEAD,           /* failed: the reason says why */
};

/* IOS names (`Old State = IKE_I_MM1  New State = IKE_I_MM2`). */
const char *ike_state_name(enum ike_p1_state s);
/* `show crypto isakmp sa`: IOS (MM_NO_STATE, MM_SA_SETUP, MM_KEY_EXCH, QM_IDLE)
 * and ASA (MM_WAIT_MSG2 ... MM_ACTIVE). */
const char *ike_state_ios(enum ike_p1_state s);
const char *ike_state_asa(enum ike_p1_state s);

/* What the SA needs from the configuration. */
struct ike_p1_config {
	const struct ike_p1_params *policies; /* in priority order */
	size_t npolicies;
	uint32_t local_addr, peer_addr;       /* host byte order */
	uint16_t local_port, peer_port;       /* as the packets use them (NAT-D) */
	bool no_natt;                         /* `no crypto isakmp nat-traversal` */
	/* the pre-shared key for a peer address (Main Mode: the ID is encrypted,
	 * so the key is found by address); returns its length or -1 */
	int (*psk_for)(void *ctx, uint32_t peer, uint8_t *out, size_t outlen);
	void *ctx;
};

struct ike_p1 {
	enum ike_p1_state state;
	bool initiator;
	bool aggressive;                      /* Aggressive Mode (3 messages) */
	uint8_t peer_id[64];                  /* Aggressive Mode: the peer's ID payload body */
	size_t peer_id_len;
	struct ike_p1_config cfg;
	uint8_t cky_i[8], cky_r[8];
	struct ike_p1_params params;          /* agreed */
	uint8_t *sai_b;                       /* the initiator's SA payload body */
	size_t sai_len;
	struct ike_dh *dh;
	uint8_t gxi[IKE_DH_MAX], gxr[IKE_DH_MAX];
	size_t gx_len;
	uint8_t ni[32], nr[32];
	size_t ni_len, nr_len;
	struct ike_keys keys;
	uint8_t enc_key[32];
	size_t enc_key_len;
	uint8_t iv[16];                       /* the phase 1 CBC chain */
	struct ike_vendor peer_vendor;        /* what the peer's Vendor IDs said */
	enum ike_natt natt;                   /* the NAT-T variant both speak */
	bool nat_local, nat_peer;             /* NAT-D: who is behind a NAT */
	char reason[256];                     /* why it failed, in words */
	uint8_t *last_sent;                   /* for retransmission and duplicate replies */
	size_t last_sent_len;
};

/* The initiator's first message. Returns 0 with the message in out. */
int ike_p1_initiate(struct ike_p1 *sa, const struct ike_p1_config *cfg, struct ike_buf *out);
/* A responder for a message 1 of Main or Aggressive Mode (the caller has
 * checked it is one). */
int ike_p1_respond(struct ike_p1 *sa, const struct ike_p1_config *cfg, const struct ike_msg *m1,
		   struct ike_buf *out);
/* The initiator's Aggressive Mode message 1: the policies of one DH group
 * (group 0: the first policy's), our KE, nonce and ID in the clear. */
int ike_p1_initiate_aggressive(struct ike_p1 *sa, const struct ike_p1_config *cfg, uint16_t group,
			       struct ike_buf *out);
/* The state as the ASA shows it, Aggressive Mode included (AM_ACTIVE). */
const char *ike_p1_state_asa(const struct ike_p1 *sa);

/* The next message of the exchange. Returns 1 when a reply is in out, 0 when
 * there is nothing to send, -1 when the SA failed (reason set; the state
 * stays where the device would show it). */
int ike_p1_receive(struct ike_p1 *sa, const uint8_t *msg, size_t len, struct ike_buf *out);
void ike_p1_free(struct ike_p1 *sa);
/* Messages protected by the phase 1 SA (Main Mode 5/6, Aggressive Mode 3,
 * Quick Mode, Informational): the body padded to the cipher's block and
 * encrypted with iv, which advances in place. Returns 0, -1 when it cannot
 * be encrypted, -2 when the message is too large. */
int ike_p1_seal(const struct ike_p1 *p1, uint8_t exchange, uint32_t msgid, uint8_t first_payload, uint8_t *iv,
		struct ike_buf *body, struct ike_buf *out);
/* The body of an encrypted message decrypted with iv (advanced in place:
 * pass a copy and keep it only once the message is checked) and its payloads
 * parsed into *in; *plain holds them and is the caller's to free (NULL when
 * nothing was allocated). Returns 0; -1 when the body is not a whole number
 * of blocks; -2 out of memory; -3 when it does not decrypt to a payload chain
 * (why says where). */
int ike_p1_open(const struct ike_p1 *p1, const struct ike_msg *m, uint8_t *iv, struct ike_msg *in, uint8_t **plain,
		char *why, size_t whylen);
/* The bytes a HASH(1..3) covers: everything after the leading HASH payload
 * to the end of the last payload. -1 when the message does not begin with HASH. */
int ike_p1_after_hash(const struct ike_msg *m, const uint8_t **rest, size_t *rlen);

/* NAT-T agreed and a NAT seen: IKE moves to UDP 4500 from message 5 on, and
 * ESP is UDP-encapsulated. */
bool ike_p1_nat_detected(const struct ike_p1 *sa);

#endif
