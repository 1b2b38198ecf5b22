/*
 * ike_policy.h -- phase 1 protection suites: configured policies in IKE's
 * numbers, offered transforms read from an SA payload, and the responder's
 * choice as Cisco devices make it.
 *
 * The responder walks the initiator's proposals and transforms in the order
 * offered and takes the first transform that matches one of its policies,
 * trying its policies in priority order: encryption (with key length), hash,
 * authentication method and DH group must be equal; the lifetime is the
 * shorter of the offered and the configured one. When nothing matches, the
 * reason says, in an engineer's words, what the peer offered and why the
 * closest policy refused it.
 */
#ifndef VPNSH_IKE_POLICY_H
#define VPNSH_IKE_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikecore/ike_codec.h"

/* Phase 1 attribute types (RFC 2409 Appendix A). */
enum ike_p1_attr {
	IKE_ATTR_ENCRYPTION = 1,
	IKE_ATTR_HASH = 2,
	IKE_ATTR_AUTH = 3,
	IKE_ATTR_GROUP = 4,
	IKE_ATTR_LIFE_TYPE = 11,
	IKE_ATTR_LIFE_DURATION = 12,
	IKE_ATTR_KEY_LENGTH = 14,
};

#define IKE_AUTH_PSK 1
#define IKE_AUTH_RSA_SIG 3
#define IKE_AUTH_RSA_ENC 4
#define IKE_LIFE_SECONDS 1
#define IKE_LIFE_KILOBYTES 2

struct ike_p1_params {
	uint16_t encryption;     /* ike_cipher_alg */
	uint16_t keybits;        /* AES: 128, 192, 256; 0 otherwise */
	uint16_t hash;           /* ike_hash */
	uint16_t auth;
	uint16_t group;
	uint32_t lifetime;       /* seconds; 0 = no limit */
	int priority;            /* the policy's number (configured), or the transform's (offered) */
};

/* A policy from its stored values (the store's canonical spellings: aes-256,
 * sha, pre-share, 14, 86400 | none); a NULL value takes the dialect's default
 * from dflt. Returns 0, or -1 with the reason. */
int ike_policy_from_config(int priority, const char *encryption, const char *hash, const char *auth,
			   const char *group, const char *lifetime, const struct ike_p1_params *dflt,
			   struct ike_p1_params *out, char *why, size_t whylen);
/* The defaults of each dialect (ASA: 3DES, SHA, PSK, group 2, 86400 s;
 * IOS: DES, SHA, RSA signatures, group 1, 86400 s). */
extern const struct ike_p1_params ike_policy_default_asa, ike_policy_default_ios;

/* An offered transform's parameters (missing attributes are an error, as the
 * RFC requires them; an unknown attribute value is reported). */
int ike_transform_params(const struct ike_transform *t, struct ike_p1_params *out, char *why, size_t whylen);

/* The responder's choice among the offered proposals. Returns 0 with the
 * indexes of the chosen proposal and transform and the parameters agreed,
 * or -1 with the reason nothing matched. */
int ike_policy_choose(const struct ike_sa *offer, const struct ike_p1_params *policies, size_t npolicies,
		      size_t *prop, size_t *xf, struct ike_p1_params *agreed, char *why, size_t whylen);

/* "AES-256", "SHA", "PSK", "group 14": names for reasons and debug output. */
const char *ike_encryption_name(uint16_t alg, uint16_t keybits);
const char *ike_hash_name(uint16_t hash);
const char *ike_auth_name(uint16_t auth);

#endif
