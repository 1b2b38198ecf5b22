/*
 * pf_crypto.h -- OpenSSL algorithm lookup shared by the IKE engine and the
 * dataplane.
 */
#ifndef VPNSH_PF_CRYPTO_H
#define VPNSH_PF_CRYPTO_H

#include <openssl/evp.h>

/* EVP_CIPHER_fetch, and for single DES, which OpenSSL 3 keeps in its
 * legacy provider, that provider loaded (with the default one) first.
 * The caller frees the result with EVP_CIPHER_free; NULL when unknown. */
EVP_CIPHER *pf_cipher_fetch(const char *name);

#endif
