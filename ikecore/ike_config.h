/*
 * ike_config.h -- what the IKE engine reads from the running-config: phase 1
 * policies in priority order, crypto map entries with their peers, transform
 * sets, PFS group, lifetime and crypto ACL lines, and pre-shared keys by peer
 * address. Read from the store's dialect-neutral tables, so a configuration
 * typed as ASA or IOS commands gives the same engine configuration.
 */
#ifndef VPNSH_IKE_CONFIG_H
#define VPNSH_IKE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikecore/ike_ipsec.h"
#include "ikecore/ike_policy.h"

struct pf_store;

#define IKE_MAX_PEERS 10
#define IKE_MAX_SETS 11

/* A crypto ACL line as the dataplane sees it: permit protects, deny exempts
 * (its traffic goes in the clear even where a later permit covers it). */
struct ike_acl_rule {
	struct ike_acl_line line;
	bool deny;
};

struct ike_map_entry {
	char map[64];
	int seq;
	bool dynamic;
	uint32_t peers[IKE_MAX_PEERS];     /* host byte order; names are not resolved here */
	size_t npeers;
	struct ike_esp_params sets[IKE_MAX_SETS];
	size_t nsets;
	int pfs_group;                     /* 0: none */
	uint32_t lifetime;                 /* seconds */
	uint64_t lifetime_kb;              /* kilobytes, 0: unlimited */
	uint8_t df_bit;                    /* crypto ipsec df-bit on its interface: 0 copy, 1 set, 2 clear */
	char acl[64];
	struct ike_acl_line *lines;        /* the permit lines of the crypto ACL */
	char (*line_text)[240];            /* each as `show crypto ipsec sa` prints it */
	size_t nlines;
	struct ike_acl_rule *rules;        /* every line of the crypto ACL, deny lines too, in order */
	size_t nrules;
	char iface[64];                    /* where the map is applied (ASA nameif, IOS name), or "" */
	uint32_t local_addr;               /* that interface's address, or 0 */
	bool answer_only, originate_only;
	bool aggressive;                   /* set phase1-mode aggressive */
	uint16_t aggressive_group;         /* its DH group, 0: the first policy's */
	char problems[256];                /* why the entry cannot negotiate (missing pieces), or "" */
};

/* An interface IKE listens on, and its address. */
struct ike_iface {
	char name[64];
	uint32_t addr;
};

struct ike_config {
	struct ike_p1_params *policies;
	size_t npolicies;
	struct ike_map_entry *entries;
	size_t nentries;
	struct ike_iface *ifaces;
	size_t nifaces;
	bool natt;                         /* NAT traversal allowed */
	uint32_t nat_keepalive;            /* seconds between NAT keepalives */
	bool am_disable;                   /* Aggressive Mode refused */
	uint32_t replay_window;            /* packets, 0: no anti-replay check */
};

/* dialect: 1 ASA, 2 IOS (its defaults differ). Returns 0, or -1 with why. */
int ike_config_load(struct pf_store *st, unsigned dialect, struct ike_config *out, char *why, size_t whylen);
void ike_config_free(struct ike_config *c);

/* The pre-shared key for a peer address: its tunnel group (named by the
 * address), an IOS keyring key whose address/mask covers it, or the
 * DefaultL2LGroup's. Returns the key's length, or -1. */
int ike_config_psk(struct pf_store *st, uint32_t peer, uint8_t *out, size_t outlen);

/* Dead Peer Detection for a peer: ASA tunnel-group keepalives (on by default
 * for L2L: threshold 10 s, retry 2 s), IOS crypto isakmp keepalive (off by
 * default). *interval 0: none. */
void ike_config_dpd(struct pf_store *st, unsigned dialect, uint32_t peer, uint32_t *interval, uint32_t *retry);

#endif
