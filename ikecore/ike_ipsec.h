/*
 * ike_ipsec.h -- what Quick Mode negotiates: ESP transforms from transform
 * sets (RFC 2407 4.4.4 and 4.5), and proxy identities matched against crypto
 * ACL lines, as Cisco responders match them.
 */
#ifndef VPNSH_IKE_IPSEC_H
#define VPNSH_IKE_IPSEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikecore/ike_codec.h"

/* ESP transform identifiers (RFC 2407 4.4.4, RFC 4106). */
enum ike_esp_id {
	IKE_ESP_DES = 2,
	IKE_ESP_3DES = 3,
	IKE_ESP_NULL = 11,
	IKE_ESP_AES = 12,
	IKE_ESP_AES_GCM_16 = 20,
};

/* IPsec DOI SA attributes (RFC 2407 4.5, RFC 3947). */
enum ike_ipsec_attr {
	IKE_IPSEC_LIFE_TYPE = 1,
	IKE_IPSEC_LIFE_DURATION = 2,
	IKE_IPSEC_GROUP = 3,
	IKE_IPSEC_ENCAPSULATION = 4,
	IKE_IPSEC_AUTH = 5,
	IKE_IPSEC_KEY_LENGTH = 6,
};

enum ike_esp_auth {
	IKE_ESP_AUTH_NONE = 0,
	IKE_ESP_AUTH_MD5 = 1,
	IKE_ESP_AUTH_SHA1 = 2,
	IKE_ESP_AUTH_SHA256 = 5,
	IKE_ESP_AUTH_SHA384 = 6,
	IKE_ESP_AUTH_SHA512 = 7,
};

#define IKE_ENCAP_TUNNEL 1
#define IKE_ENCAP_TRANSPORT 2
#define IKE_ENCAP_UDP_TUNNEL 3            /* RFC 3947 */
#define IKE_ENCAP_UDP_TUNNEL_DRAFT 61443  /* draft-ietf-ipsec-nat-t-ike-00..03 */

struct ike_esp_params {
	uint8_t id;               /* ike_esp_id */
	uint16_t keybits;         /* AES, AES-GCM */
	uint16_t auth;            /* ike_esp_auth */
	bool transport;
	char name[64];            /* the transform set it came from */
};

/* A transform set's stored values (esp-aes-256, esp-sha-hmac, transport). */
int ike_esp_from_config(const char *name, const char *encryption, const char *integrity, const char *mode,
			struct ike_esp_params *out, char *why, size_t whylen);

/* The Cisco spelling of an ESP transform, for show and debug: "esp-aes 256 esp-sha-hmac". */
void ike_esp_describe(const struct ike_esp_params *p, char *out, size_t len);

/* ---- proxy identities ---- */

/* An IPv4 selector: addresses and protocol/port as in an ID payload. */
struct ike_selector {
	uint32_t net, mask;       /* host byte order; a host is mask 255.255.255.255 */
	uint8_t protocol;         /* 0: any */
	uint16_t port;            /* 0: any */
};

/* A crypto ACL line as the responder sees it: local and remote selectors. */
struct ike_acl_line {
	struct ike_selector local, remote;
};

/* The ACL line the peer's proposed proxy IDs (its local = our remote) are
 * the mirror image of, or contained in (dynamic maps accept any contained
 * pair); -1 with the reason when none: "peer proposed proxy IDs A -> B, no
 * crypto ACL line matches". */
int ike_proxy_match(const struct ike_acl_line *lines, size_t n, const struct ike_selector *peer_local,
		    const struct ike_selector *peer_remote, bool contained_ok, char *why, size_t whylen);

/* Decode an IPv4 ID payload body (ID_IPV4_ADDR, _SUBNET, _RANGE as subnet
 * when it is one); -1 for other types or malformed bodies. */
int ike_selector_from_id(const struct ike_payload *id, struct ike_selector *out);

#endif
