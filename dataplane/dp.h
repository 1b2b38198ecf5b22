/*
 * dp.h -- the dataplane backend interface: what the IKE engine asks of
 * whatever carries ESP (the kernel through XFRM, or vpnsh's own userspace
 * ESP over TUN), and what the backend tells the engine back.
 *
 * The engine negotiates; a backend installs. An IPsec SA pair is two dp_sa
 * (one inbound with our SPI, one outbound with the peer's), tied to a
 * dp_policy by reqid: traffic from the policy's local selector to its remote
 * selector is protected by the outbound SA of that reqid. A backend never
 * includes ikecore/: it reports interesting traffic and expiring SAs through
 * the callbacks in dp_events, which the engine registers.
 *
 * Addresses are IPv4 in host byte order throughout.
 */
#ifndef VPNSH_DP_H
#define VPNSH_DP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum dp_dir { DP_IN, DP_OUT };

enum dp_enc {
	DP_ENC_NULL,
	DP_ENC_DES_CBC,
	DP_ENC_3DES_CBC,
	DP_ENC_AES_CBC,
	DP_ENC_AES_GCM16,         /* RFC 4106: the key ends with the 4-byte salt */
};

enum dp_auth {
	DP_AUTH_NONE,
	DP_AUTH_HMAC_MD5_96,
	DP_AUTH_HMAC_SHA1_96,
	DP_AUTH_HMAC_SHA256_128,
	DP_AUTH_HMAC_SHA384_192,
	DP_AUTH_HMAC_SHA512_256,
};

/* The outer header's DF bit (`crypto ipsec df-bit`). */
enum dp_df { DP_DF_COPY, DP_DF_SET, DP_DF_CLEAR };

struct dp_selector {
	uint32_t net, mask;
	uint8_t protocol;         /* 0: any */
	uint16_t port;            /* 0: any */
};

struct dp_sa {
	enum dp_dir dir;
	uint32_t spi;
	uint32_t reqid;
	uint32_t src, dst;        /* the tunnel's outer addresses as the packets carry them */
	uint16_t encap_sport, encap_dport;  /* ESP in UDP (RFC 3948) when non-zero */
	enum dp_enc enc;
	uint8_t enc_key[36];
	size_t enc_key_len;
	enum dp_auth auth;
	uint8_t auth_key[64];
	size_t auth_key_len;
	struct dp_selector local, remote;   /* inner traffic, from our side */
	uint32_t replay_window;   /* packets; 0: no replay check */
	uint64_t life_kbytes;     /* hard limits; 0: none */
	uint32_t life_seconds;
	enum dp_df df;            /* outbound */
};

struct dp_policy {
	uint32_t reqid;
	struct dp_selector local, remote;
	uint32_t local_addr, peer_addr;  /* tunnel endpoints */
	bool bypass;                     /* a crypto ACL deny line: matching traffic goes in the clear */
};

struct dp_counters {
	uint64_t packets, bytes;         /* of this SA's direction */
	uint64_t errors;                 /* bad ICV, bad padding, truncated */
	uint64_t replay_failures;
	uint64_t prefrag;                /* outbound: packets fragmented before encryption (the host's MTU toward the tunnel) */
	uint64_t fragments;              /* outbound: the fragments of those, each sealed on its own */
	uint64_t last_used_ms;           /* pf_now_ms() of the last packet, 0: none */
	uint32_t replay_window;          /* inbound: its size, 0: no check */
	uint64_t replay_bitmap;          /* inbound: bit i set: the packet i below the highest seen arrived */
};

/* Why an inbound ESP packet was dropped, for the devices' syslog messages. */
enum dp_drop { DP_DROP_REPLAY, DP_DROP_AUTH, DP_DROP_BAD_SPI };

/* Events a backend reports to the engine (on the control thread). */
struct dp_events {
	/* traffic from src to dst matched a policy with no usable SA */
	void (*acquire)(void *ctx, uint32_t reqid, uint32_t src, uint32_t dst, uint8_t protocol);
	/* an SA reached its soft (rekey) or hard (delete) limit */
	void (*expire)(void *ctx, uint32_t spi, enum dp_dir dir, bool hard);
	/* an inbound ESP packet dropped (at most one report a second per SPI and reason) */
	void (*drop)(void *ctx, enum dp_drop why, uint32_t spi, uint32_t seq, uint32_t src, uint32_t dst);
	void *ctx;
};

struct dp_backend {
	const char *name;         /* "userspace", "xfrm", "record" */
	char detail[96];          /* what it runs on, for `show version` */
	bool counts_traffic;      /* its counters say whether an SA carried packets (idle pairs are not renewed) */
	/* the engine's IKE socket for UDP port 500 or 4500, before it is bound:
	 * the backend may set it up (the userspace backend reads ESP in UDP
	 * itself, so the IKE socket on 4500 gets IKE only; XFRM needs the
	 * socket to bypass the policies, and to decapsulate ESP in UDP on 4500).
	 * NULL: nothing to do. */
	int (*ike_socket)(struct dp_backend *b, int fd, uint16_t port, char *why, size_t whylen);
	/* an inbound SPI for a new SA; 0, or -errno */
	int (*alloc_spi)(struct dp_backend *b, uint32_t src, uint32_t dst, uint32_t *spi);
	int (*add_sa)(struct dp_backend *b, const struct dp_sa *sa, char *why, size_t whylen);
	int (*del_sa)(struct dp_backend *b, enum dp_dir dir, uint32_t spi);
	int (*add_policy)(struct dp_backend *b, const struct dp_policy *p, char *why, size_t whylen);
	int (*del_policy)(struct dp_backend *b, uint32_t reqid);
	int (*counters)(struct dp_backend *b, enum dp_dir dir, uint32_t spi, struct dp_counters *out);
	void (*set_events)(struct dp_backend *b, const struct dp_events *ev);
	void (*free)(struct dp_backend *b);
};

/* A backend that installs nothing and remembers what it was given: for the
 * appliance where no dataplane can run, and for tests of the engine. */
struct dp_backend *dp_record_new(void);
/* What the record backend holds (NULL when b is another backend). */
size_t dp_record_sas(struct dp_backend *b, const struct dp_sa **out);

struct pf_loop;
/* vpnsh's own ESP over a TUN device named tun, with nworkers threads (0: one
 * per processor but one, at least one: the kernel does as much of the work
 * per packet as the threads do, in its network stack and for the TUN
 * device, and needs a processor too); NULL with why when this host cannot
 * run it. Routes the remote selectors of its policies into the device
 * through a routing table of its own. Sends its ESP straight onto the link
 * toward the next hop where the kernel knows that hop's address, else (and
 * traffic it forwards in the clear) with a firewall mark that the table
 * does not see. */
struct dp_backend *dp_user_new(struct pf_loop *loop, const char *tun, int nworkers, char *why, size_t whylen);
#define DP_USER_MAX_WORKERS 8
#define DP_USER_TABLE 2200        /* its routing table and the priority of the rule to it */
#define DP_USER_MARK 0x76706e00u  /* its own packets: routed by the main table */

/* The kernel's ESP through XFRM netlink (libnl-xfrm); NULL with why when
 * this kernel cannot install an ESP state (probed by adding one). Every
 * state it installs carries a reqid in DP_XFRM_REQID_BASE's block and every
 * policy a priority in DP_XFRM_PRIO_BASE's, so that it removes its own (at
 * start, after a crash, and when it stops) and never touches another's. */
struct dp_backend *dp_xfrm_new(struct pf_loop *loop, char *why, size_t whylen);
#define DP_XFRM_REQID_BASE 0x76700000u  /* + the engine's reqid (below 0x8000), or 0x8000 + n for an SPI being negotiated */
#define DP_XFRM_PRIO_BASE 0x76700000u   /* + the order the policies were added in: the first match wins */
#define DP_XFRM_BLOCK_MASK 0xffff0000u

const char *dp_enc_name(enum dp_enc e);
const char *dp_auth_name(enum dp_auth a);

#endif
