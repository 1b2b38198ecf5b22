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
	char acl[64];
	struct ike_acl_line *lines;        /* the permit lines of the crypto ACL */
	size_t nlines;
	bool answer_only, originate_only;
	char problems[256];                /* why the entry cannot negotiate (missing pieces), or "" */
};

struct ike_config {
	struct ike_p1_params *policies;
	size_t npolicies;
	struct ike_map_entry *entries;
	size_t nentries;
};

/* dialect: 1 ASA, 2 IOS (its defaults differ). Returns 0, or -1 with why. */
int ike_config_load(struct pf_store *st, unsigned dialect, struct ike_config *out, char *why, size_t whylen);
void ike_config_free(struct ike_config *c);

/* The pre-shared key for a peer address: its tunnel group (named by the
 * address), an IOS keyring key whose address/mask covers it, or the
 * DefaultL2LGroup's. Returns the key's length, or -1. */
int ike_config_psk(struct pf_store *st, uint32_t peer, uint8_t *out, size_t outlen);

#endif
