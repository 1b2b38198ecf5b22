/*
 * ike_quick.h -- Quick Mode (RFC 2409 5.5): one IPsec SA pair for one pair of
 * proxy identities, under a completed phase 1 SA, with or without PFS. Like
 * ike_sa.h it is a state machine without sockets: a message in, a message
 * out, and at the end the SPIs and keys the dataplane needs.
 *
 *     Initiator                          Responder
 *     HDR*, HASH(1), SA, Ni [, KE], IDci, IDcr  -->        qm_i_send_1 / qm_r_recv_1
 *                 <--  HDR*, HASH(2), SA, Nr [, KE], IDci, IDcr   qm_r_send_2 / qm_i_recv_2
 *     HDR*, HASH(3)                         -->        qm_i_send_3 / qm_r_recv_3
 */
#ifndef VPNSH_IKE_QUICK_H
#define VPNSH_IKE_QUICK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikecore/ike_dh.h"
#include "ikecore/ike_ipsec.h"
#include "ikecore/ike_sa.h"

enum ike_qm_state {
	IKE_QM_READY,
	IKE_QM_I_QM1,                 /* initiator: message 1 sent */
	IKE_QM_R_QM2,                 /* responder: message 2 sent */
	IKE_QM_PHASE2_COMPLETE,
	IKE_QM_FAILED,
};

const char *ike_qm_state_name(enum ike_qm_state s);

struct ike_qm_config {
	const struct ike_esp_params *sets;  /* transform sets, in the crypto map's order */
	size_t nsets;
	int pfs_group;                      /* 0: no PFS */
	uint32_t lifetime;                  /* seconds */
	uint32_t spi;                       /* our inbound SPI (from the dataplane); 0: a random one */
	/* initiator: the proxy IDs to propose (local, remote) */
	struct ike_selector local, remote;
	/* responder: the crypto ACL lines the peer's IDs must mirror */
	const struct ike_acl_line *acl;
	size_t nacl;
	/* responder, instead of the above: find the crypto map entry for the
	 * peer's proxy IDs (its local, its remote) and fill *out with it;
	 * returns the ACL line, or -1 with why */
	int (*select)(void *ctx, const struct ike_selector *peer_local, const struct ike_selector *peer_remote,
		      struct ike_qm_config *out, char *why, size_t whylen);
	void *select_ctx;
};

/* One direction of the IPsec SA pair. */
struct ike_child_keys {
	uint32_t spi;
	uint8_t enc[32], auth[64];
	size_t enc_len, auth_len;
};

struct ike_qm {
	enum ike_qm_state state;
	bool initiator;
	struct ike_qm_config cfg;
	uint32_t msgid;
	uint8_t iv[16];
	uint8_t ni[32], nr[32];
	size_t ni_len, nr_len;
	struct ike_dh *dh;
	uint8_t gx_mine[IKE_DH_MAX], gx_peer[IKE_DH_MAX];
	size_t gx_len;
	struct ike_esp_params chosen;
	struct ike_selector local, remote;  /* the agreed proxy IDs, from our side */
	int acl_line;                       /* responder: the crypto ACL line matched */
	uint16_t udp_tunnel;                /* ESP in UDP (the NAT-T encapsulation mode), or 0 */
	uint32_t lifetime;                  /* the SA pair's lifetime in seconds, as agreed */
	uint32_t offered_lifetime;          /* responder: what the initiator proposed (echoed) */
	struct ike_child_keys in, out;      /* inbound: our SPI; outbound: the peer's */
	char reason[256];
};

int ike_qm_initiate(struct ike_qm *qm, const struct ike_p1 *p1, const struct ike_qm_config *cfg, uint32_t msgid,
		    struct ike_buf *out);
/* A responder for a Quick Mode message 1 (the caller decrypted nothing: the
 * raw message is given). */
int ike_qm_respond(struct ike_qm *qm, const struct ike_p1 *p1, const struct ike_qm_config *cfg, const uint8_t *msg,
		   size_t len, struct ike_buf *out);
/* Messages 2 (initiator) and 3 (responder): 1 with a reply in out, 0 done,
 * -1 failed with the reason. */
int ike_qm_receive(struct ike_qm *qm, const struct ike_p1 *p1, const uint8_t *msg, size_t len, struct ike_buf *out);
void ike_qm_free(struct ike_qm *qm);

#endif
