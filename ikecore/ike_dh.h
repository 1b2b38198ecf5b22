/*
 * ike_dh.h -- Diffie-Hellman for IKE: the MODP groups 1, 2 (RFC 2409), 5,
 * 14, 15, 16 (RFC 3526), 24 (RFC 5114) and the ECP groups 19, 20, 21
 * (RFC 5903), through OpenSSL EVP_PKEY.
 *
 * Public values are what goes in a KE payload: the MODP value padded to the
 * modulus length, or for ECP the x and y coordinates concatenated. The shared
 * secret g^xy is padded to the modulus length (MODP) or is the x coordinate
 * alone (ECP), as the key derivation needs it.
 */
#ifndef VPNSH_IKE_DH_H
#define VPNSH_IKE_DH_H

#include <stddef.h>
#include <stdint.h>

#define IKE_DH_MAX 1024 /* bytes of a public value (group 16: 512; ECP 21: 132) */

struct ike_dh;

/* Whether vpnsh knows the group, and the length of its public value. */
size_t ike_dh_public_len(int group);

/* A fresh key pair of the group, or NULL (unknown group, no memory). */
struct ike_dh *ike_dh_new(int group);
void ike_dh_free(struct ike_dh *dh);
int ike_dh_group(const struct ike_dh *dh);
/* Our public value; returns its length. */
size_t ike_dh_public(const struct ike_dh *dh, uint8_t *out, size_t outlen);
/* g^xy from the peer's public value; returns its length, or -1 when the
 * value is malformed (wrong length, not in the group). */
int ike_dh_shared(struct ike_dh *dh, const uint8_t *peer, size_t peerlen, uint8_t *out, size_t outlen);

#endif
