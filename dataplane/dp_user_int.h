/*
 * dp_user_int.h -- the userspace dataplane's insides, shared by its control
 * side (dp_user.c: the backend calls, on the control thread) and its worker
 * threads (dp_user_io.c: packets).
 *
 * Sharing: the SA and policy lists are read by the workers under the read
 * side of `lock` and changed by the control thread under its write side, so
 * an SA a worker holds cannot be freed under it. What changes per packet is
 * atomic (counters, the outbound sequence number) or under the SA's own
 * mutex (the replay window). Each thread has a slot: its own cipher and MAC
 * contexts in every SA, made on first use by that thread alone.
 */
#ifndef VPNSH_DP_USER_INT_H
#define VPNSH_DP_USER_INT_H

#include "dataplane/dp.h"
#include "dataplane/dp_esp.h"

#include <pthread.h>
#include <stdatomic.h>

#define DU_MAX_WORKERS DP_USER_MAX_WORKERS
#define DU_SLOTS (DU_MAX_WORKERS + 1)  /* slot 0: the control thread */
/* Datagrams a worker moves per system call. Inbound, a batch is also how far
 * decrypted segments of one TCP flow can be merged for the TUN device: 64
 * lets a run reach the merge limit (about 42 full segments), where 32 cut it
 * short and cost the host a packet and an acknowledgement more each time. */
#define DU_BATCH 64
#define DU_OUT_BUFS 96                 /* a batch of outbound packets, after segmentation */
#define DU_BIG (65536 + 64)            /* one read from the TUN device with offloads */
#define DU_VNET_HDR 10                 /* struct virtio_net_hdr */
#define DU_BUF 2048
#define DU_HEADROOM 64                 /* outer IP + UDP + ESP header + IV fit before the inner packet */
#define DU_MAX_INNER (DU_BUF - DU_HEADROOM - DP_ESP_TAILROOM)
#define DU_HOLD 32                     /* packets held per policy while its SA is negotiated */
/* A new outbound SA is used this long after it arrives: the peer installs its
 * inbound SA when our last Quick Mode message reaches it (IKEv1 has no
 * acknowledgement), and what we sent before would be dropped there. */
#define DU_OUT_DELAY_MS 100

/* Where an outbound SA's datagrams leave, at the link layer: the interface
 * and the next hop's Ethernet address (ifindex 0: not known, or not to be
 * trusted now; the raw socket and the kernel's IP output path carry them). */
struct du_link {
	int ifindex;
	uint8_t mac[6];
};

struct du_sa {
	struct du_sa *next;
	struct dp_sa d;                /* as the engine gave it; keys cleansed */
	struct dp_esp_keys keys;
	struct dp_esp_ctx ctx[DU_SLOTS];
	bool ctx_ready[DU_SLOTS];
	pthread_mutex_t replay_lock;
	struct dp_replay replay;
	uint64_t added_ms;
	uint64_t usable_ms;                /* outbound: in use from then on */
	struct du_link link;               /* outbound: written under the write lock */
	uint64_t soft_bytes, hard_bytes;   /* volume limits, 0: none */
	_Atomic uint64_t seq;              /* outbound: the last sequence number used */
	_Atomic uint64_t packets, bytes, errors, replay_failures, last_used_ms;
	_Atomic uint64_t prefrag, fragments; /* outbound: see dp_counters */
	atomic_bool soft_sent, hard_sent;  /* expiry reported (hard: the SA is no longer used) */
	_Atomic uint64_t drop_told_ms[3];  /* when each kind of drop was last reported (enum dp_drop) */
};

struct du_held {
	uint8_t *pkt;
	size_t len;
};

struct du_policy {
	struct dp_policy p;
	struct du_sa *out;                 /* the newest usable outbound SA of this reqid */
	pthread_mutex_t hold_lock;
	struct du_held held[DU_HOLD];
	size_t nheld;
	_Atomic uint64_t acquire_ms;       /* when interesting traffic was last reported */
};

struct du_route {
	uint32_t net, mask;
	unsigned refs;
};

enum du_event_kind { DU_EV_ACQUIRE, DU_EV_EXPIRE, DU_EV_DROP };
struct du_event {
	enum du_event_kind kind;
	uint32_t reqid, src, dst, spi, seq;
	uint8_t protocol;
	enum dp_dir dir;
	bool hard;
	enum dp_drop drop;
};
#define DU_EVENTS 128

struct du_backend;

struct du_worker {
	struct du_backend *b;
	pthread_t thread;
	bool started;
	int slot;
	int tun_fd, esp_fd, udp_fd, send_fd;
	int link_fd;                       /* a packet socket that only sends (protocol 0) */
	uint8_t (*out)[DU_BUF];            /* DU_OUT_BUFS buffers */
	uint8_t (*in)[DU_BUF];             /* DU_BATCH buffers */
	uint8_t *big;                      /* DU_BIG bytes: the TUN device's super-packets */
};

/* Drops that belong to no SA (those that do are counted on the SA). */
struct du_stats {
	_Atomic uint64_t no_sa_spi;        /* ESP for an SPI we do not have */
	_Atomic uint64_t malformed;        /* not IPv4, truncated headers */
	_Atomic uint64_t held, hold_dropped;
	_Atomic uint64_t bypassed;         /* routed to us, matched no policy: sent in the clear */
	_Atomic uint64_t policy_drops;     /* decrypted packet outside the SA's selectors */
	_Atomic uint64_t send_errors;
	_Atomic uint64_t bad_spi_told_ms;  /* unknown SPIs: one report a second in all */
};

struct du_backend {
	struct dp_backend base;
	struct pf_loop *loop;
	char tun[16];
	int nworkers;
	bool vnet;                         /* the TUN device speaks virtio_net_hdr (offloads) */
	struct du_worker workers[DU_MAX_WORKERS];
	int stop_fd;                       /* eventfd: readable when the workers must end */
	int event_fd;                      /* eventfd: workers -> control thread */
	int ctl_send_fd;                   /* the control thread's raw socket (held packets) */

	pthread_rwlock_t lock;             /* sas and pols */
	struct du_sa *sas;
	struct du_policy **pols;
	size_t npols;

	struct du_route *routes;           /* control thread only */
	size_t nroutes;

	pthread_mutex_t ev_lock;
	struct du_event ev[DU_EVENTS];
	size_t nev;
	struct dp_events events;           /* control thread only */
	struct pf_timer *activate;         /* pending: new outbound SAs become usable */
	struct pf_timer *links;            /* the outbound SAs' next hops, checked every second */
	_Atomic uint16_t ip_id;            /* the outer headers' identification */

	struct du_stats stats;
};

/* dp_user_io.c */
void *du_worker_main(void *arg);
/* Seal one inner packet (at p, with DU_HEADROOM before it) for sa, outer
 * headers included: the datagram starts at *start. Returns its length or
 * -1 (counted on the SA). now: the batch's pf_now_ms(). Under the read lock. */
int du_seal(struct du_backend *b, int slot, struct du_sa *sa, uint8_t *p, size_t len, uint64_t now, uint8_t **start);
/* Send datagrams (complete IPv4 packets) to their outer destinations: those
 * with a known link (links[i].ifindex, links may be NULL) straight onto it
 * through the packet socket link_fd, the others through the raw socket fd. */
void du_send(struct du_backend *b, int fd, int link_fd, uint8_t **pkts, const size_t *lens,
	     const struct du_link *links, size_t n);

/* dp_user_gso.c */
uint16_t du_csum(const uint8_t *p, size_t len, uint64_t sum);
/* One read from the TUN device (its virtio_net_hdr, then the packet) into
 * IPv4 packets at out[i] + DU_HEADROOM, lens[i] bytes each: TCP segmented,
 * checksums completed. Makes the segments from number first on, at most
 * max of them; *total says how many the packet makes in all. Returns how
 * many it made, or -1 when the packet is malformed. */
int du_gso_split(const void *vnet, const uint8_t *pkt, size_t len, size_t first, uint8_t (*out)[DU_BUF], size_t max,
		 size_t *lens, size_t *total);

/* A decrypted inner packet. */
struct du_inner {
	uint8_t *p;
	size_t len;
};
/* How many packets from the first on are consecutive segments of one TCP
 * flow that may go to the host as one (1: none to merge). */
size_t du_gro_run(const struct du_inner *pk, size_t n);
/* Those packets as one TCP super-packet behind its virtio_net_hdr, into out
 * (DU_BIG bytes); returns the length to write. */
size_t du_gro_merge(const struct du_inner *pk, size_t n, uint8_t *out);

/* dp_user.c, for the workers */
struct du_policy *du_policy_find(struct du_backend *b, uint32_t src, uint32_t dst, uint8_t proto, uint16_t sport,
				 uint16_t dport);
struct du_sa *du_sa_find(struct du_backend *b, enum dp_dir dir, uint32_t spi);
/* Queue an event for the control thread; false when the queue is full. */
bool du_event_push(struct du_backend *b, const struct du_event *ev);
/* Keep a packet for a policy with no SA yet; asks the engine for one. */
void du_hold(struct du_backend *b, struct du_policy *pol, const uint8_t *pkt, size_t len, uint32_t src, uint32_t dst,
	     uint8_t proto);
/* Report a dropped inbound packet, at most once a second per SA (sa NULL:
 * an unknown SPI) and reason. */
void du_drop(struct du_backend *b, struct du_sa *sa, enum dp_drop why, uint32_t spi, uint32_t seq, uint32_t src,
	     uint32_t dst);
/* Count a packet of len bytes on an SA at now (the batch's pf_now_ms()) and
 * report its volume limits once each. */
void du_account(struct du_backend *b, struct du_sa *sa, size_t len, uint64_t now);
struct dp_esp_ctx *du_ctx(struct du_sa *sa, int slot);

#endif
