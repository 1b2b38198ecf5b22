/*
 * pf_crypto.c -- OpenSSL algorithm lookup (see pf_crypto.h).
 */
#include "platform/pf_crypto.h"

#include <openssl/provider.h>
#include <pthread.h>
#include <string.h>

static OSSL_PROVIDER *pf_legacy, *pf_default;

/* Loaded once for the life of the process (kept, not leaked). Loading the
 * legacy provider explicitly unloads the implicit default one, hence both. */
static void pf_load_legacy(void)
{
	pf_legacy = OSSL_PROVIDER_load(NULL, "legacy");
	pf_default = OSSL_PROVIDER_load(NULL, "default");
}

EVP_CIPHER *pf_cipher_fetch(const char *name)
{
	EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, name, NULL);
	if (!c && strcmp(name, "DES-CBC") == 0) {
		static pthread_once_t once = PTHREAD_ONCE_INIT;
		pthread_once(&once, pf_load_legacy);
		if (pf_legacy && pf_default)
			c = EVP_CIPHER_fetch(NULL, name, NULL);
	}
	return c;
}
