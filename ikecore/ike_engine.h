/*
 * ike_engine.h -- the IKEv1 engine: UDP 500 and 4500, phase 1 SAs with
 * their peers, Quick Modes, the IPsec SA pairs handed to the dataplane,
 * retransmission, DPD and Informational exchanges, all on the appliance's one
 * event loop.
 *
 * The engine reads its configuration from the store (ike_config.h) whenever
 * the CLI says it changed, and keeps its tables in plain lists that `show`
 * handlers read directly (they run on the same thread). Everything it has to
 * say goes through two hooks: debug lines (`debug crypto isakmp|ipsec`) and
 * syslog messages, both already in the personality's words.
 */
#ifndef VPNSH_IKE_ENGINE_H
#define VPNSH_IKE_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dataplane/dp.h"
#include "ikecore/ike_config.h"
#include "ikecore/ike_quick.h"
#include "ikecore/ike_sa.h"

struct pf_loop;
struct pf_store;
struct pf_timer;
struct ike_engine;

#define IKE_DIALECT_ASA 1
#define IKE_DIALECT_IOS 2

/* What debug output is asked for (`debug crypto isakmp|ipsec`). */
#define IKE_DEBUG_ISAKMP 0x1u
#define IKE_DEBUG_IPSEC  0x2u

struct ike_engine_hooks {
	/* one debug line, without a newline */
	void (*debug)(void *ctx, const char *line);
	/* one syslog message: severity 0-7, the text after the tag, e.g.
	 * "%ASA-5-713119: Group = ..., PHASE 1 COMPLETED" */
	void (*log)(void *ctx, int severity, const char *line);
	void *ctx;
};

/* An IPsec SA pair. */
struct ike_child {
	struct ike_child *next;
	char map[64];
	int seq;
	char iface[64];
	char acl_text[240];           /* the crypto ACL line it came from */
	struct ike_selector local, remote;
	struct ike_esp_params esp;
	int pfs_group;
	uint32_t lifetime;            /* seconds */
	uint64_t lifetime_kb;         /* 0: unlimited */
	uint8_t df_bit;               /* 0 copy, 1 set, 2 clear */
	uint32_t spi_in, spi_out;
	uint32_t reqid;
	uint32_t local_addr, peer_addr;
	uint16_t local_port, peer_port;  /* ESP in UDP when udp_encap */
	bool udp_encap;
	bool initiator;
	uint64_t created_ms;
	bool rekeyed;                 /* a newer pair replaces it */
	struct dp_counters zero_in, zero_out;  /* the dataplane's counters when they were last cleared */
	struct pf_timer *soft, *hard;
	struct ike_engine *engine;
};

/* A Quick Mode in progress under a phase 1 SA. */
struct ike_peer;
struct ike_xchg {
	struct ike_xchg *next;
	struct ike_peer *peer;        /* the phase 1 SA it runs under */
	struct ike_qm qm;
	uint32_t msgid;
	int entry;                    /* the crypto map entry (initiator) */
	int line;                     /* its ACL line */
	uint8_t *last_sent;
	size_t last_len;
	int retries;
	struct pf_timer *timer;
	bool done;
	uint32_t reqid;               /* responder: chosen when its inbound SA went in early */
	bool in_installed;            /* responder: the inbound SA is in the dataplane, no child owns it yet */
};

/* A phase 1 SA and its peer. */
struct ike_peer {
	struct ike_peer *next;
	struct ike_engine *engine;
	struct ike_p1 sa;
	struct ike_p1_params *policies;  /* a copy: the configuration may change */
	int conn_id;
	uint32_t local, peer;
	uint16_t local_port, peer_port;  /* 500, or 4500 after NAT-T */
	char iface[64];
	bool initiator;
	bool dead;                    /* failed or deleted: kept for show until reaped */
	bool deleted_by_peer;
	uint64_t created_ms, established_ms;
	char reason[256];             /* why it failed, in words */
	char p2_reason[600];          /* why the last Quick Mode failed */
	struct pf_timer *retransmit, *expire, *dpd, *reap, *rekey, *nat_keepalive;
	bool rekeying;                /* a newer phase 1 with the peer is being negotiated */
	int retries;
	uint8_t last_rx_hash[20];     /* to recognise a retransmitted request */
	uint8_t *last_reply;          /* and what we answered it with */
	size_t last_reply_len;
	struct ike_xchg *xchgs;
	/* Quick Modes to start once phase 1 completes: entry and ACL line */
	int pending_entry[16], pending_line[16];
	int npending;
	uint32_t dpd_interval, dpd_retry, dpd_seq;
	int dpd_missed;
	uint64_t last_rx_ms;
	uint64_t rx, tx;              /* messages */
};

struct ike_stats {
	uint64_t rx, tx, retransmits, duplicates;
	uint64_t dropped_malformed, dropped_no_sa, dropped_not_listening, dropped_unauthenticated;
	uint64_t dropped_half_open, dropped_other;
	uint64_t p1_ok, p1_failed, p2_ok, p2_failed;
	uint64_t dpd_sent, dpd_acked, dpd_dead;
	uint64_t nat_keepalives;
};

struct ike_engine *ike_engine_new(struct pf_loop *loop, struct pf_store *st, unsigned dialect,
				  struct dp_backend *dp, const struct ike_engine_hooks *hooks, char *why,
				  size_t whylen);
/* Delete every SA (telling the peers) and close the sockets. */
void ike_engine_free(struct ike_engine *e);
/* The configuration changed: read it again, listen where it says. */
void ike_engine_reload(struct ike_engine *e);

/* Interesting traffic from src to dst: bring up the SA pair of the crypto
 * ACL line it matches. Returns 1 when an SA pair is already up, 0 when a
 * negotiation started or is under way, -1 with why when no crypto map entry
 * covers the traffic. */
int ike_engine_trigger(struct ike_engine *e, uint32_t src, uint32_t dst, uint8_t protocol, char *why,
		       size_t whylen);

/* clear crypto isakmp sa [peer] (peer 0: all): phase 1 SAs deleted, the peer
 * told. Returns how many. */
int ike_engine_clear_p1(struct ike_engine *e, uint32_t peer);
/* clear crypto ipsec sa [peer]: IPsec SA pairs deleted, the peer told. */
int ike_engine_clear_p2(struct ike_engine *e, uint32_t peer);
/* `clear crypto ipsec sa counters`: the SA pairs of a peer (0: all) count
 * from zero again; the SAs stay. */
void ike_engine_clear_counters(struct ike_engine *e, uint32_t peer);
/* `crypto ipsec security-association replay window-size` (0: off). */
uint32_t ike_engine_replay_window(const struct ike_engine *e);
/* An SA pair's counters since they were last cleared (zeros without a
 * dataplane). */
void ike_engine_child_counters(const struct ike_engine *e, const struct ike_child *c, struct dp_counters *in,
			       struct dp_counters *out);

/* Debugging: what to print, and for which peer only (0: all). */
void ike_engine_set_debug(struct ike_engine *e, unsigned mask, int level, uint32_t peer);

/* For show commands. */
const struct ike_peer *ike_engine_peers(const struct ike_engine *e);
const struct ike_child *ike_engine_children(const struct ike_engine *e);
const struct ike_stats *ike_engine_stats(const struct ike_engine *e);
const struct ike_config *ike_engine_config(const struct ike_engine *e);
struct dp_backend *ike_engine_dataplane(const struct ike_engine *e);
unsigned ike_engine_dialect(const struct ike_engine *e);

#endif
