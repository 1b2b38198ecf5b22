/*
 * dp_record.c -- the record backend (see dp.h): SAs and policies are kept
 * in arrays and nothing reaches the host. Counters stay at zero, since no
 * packet passes.
 */
#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataplane/dp.h"

struct dp_record {
	struct dp_backend base;   /* first: the backend is cast to and from this */
	struct dp_sa *sas;
	size_t nsas, cap;
	struct dp_policy *pols;
	size_t npols, polcap;
};

static int rec_alloc_spi(struct dp_backend *b, uint32_t src, uint32_t dst, uint32_t *spi)
{
	(void)b;
	(void)src;
	(void)dst;
	uint8_t r[4];
	do {
		if (RAND_bytes(r, 4) != 1)
			return -EIO;
		*spi = (uint32_t)r[0] << 24 | (uint32_t)r[1] << 16 | (uint32_t)r[2] << 8 | r[3];
	} while (*spi < 256); /* 1-255 are reserved (RFC 4303) */
	return 0;
}

static int rec_add_sa(struct dp_backend *b, const struct dp_sa *sa, char *why, size_t whylen)
{
	struct dp_record *r = (struct dp_record *)b;
	for (size_t i = 0; i < r->nsas; i++)
		if (r->sas[i].spi == sa->spi && r->sas[i].dir == sa->dir) {
			snprintf(why, whylen, "an SA with SPI 0x%08X exists", sa->spi);
			return -EEXIST;
		}
	if (r->nsas == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 8;
		struct dp_sa *n = realloc(r->sas, cap * sizeof(*n));
		if (!n) {
			snprintf(why, whylen, "out of memory");
			return -ENOMEM;
		}
		r->sas = n;
		r->cap = cap;
	}
	r->sas[r->nsas++] = *sa;
	return 0;
}

static int rec_del_sa(struct dp_backend *b, enum dp_dir dir, uint32_t spi)
{
	struct dp_record *r = (struct dp_record *)b;
	for (size_t i = 0; i < r->nsas; i++)
		if (r->sas[i].spi == spi && r->sas[i].dir == dir) {
			OPENSSL_cleanse(&r->sas[i], sizeof(r->sas[i]));
			r->sas[i] = r->sas[--r->nsas];
			return 0;
		}
	return -ENOENT;
}

static int rec_add_policy(struct dp_backend *b, const struct dp_policy *p, char *why, size_t whylen)
{
	struct dp_record *r = (struct dp_record *)b;
	if (r->npols == r->polcap) {
		size_t cap = r->polcap ? r->polcap * 2 : 8;
		struct dp_policy *n = realloc(r->pols, cap * sizeof(*n));
		if (!n) {
			snprintf(why, whylen, "out of memory");
			return -ENOMEM;
		}
		r->pols = n;
		r->polcap = cap;
	}
	r->pols[r->npols++] = *p;
	return 0;
}

static int rec_del_policy(struct dp_backend *b, uint32_t reqid)
{
	struct dp_record *r = (struct dp_record *)b;
	for (size_t i = 0; i < r->npols; i++)
		if (r->pols[i].reqid == reqid) {
			r->pols[i] = r->pols[--r->npols];
			return 0;
		}
	return -ENOENT;
}

static int rec_counters(struct dp_backend *b, enum dp_dir dir, uint32_t spi, struct dp_counters *out)
{
	struct dp_record *r = (struct dp_record *)b;
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < r->nsas; i++)
		if (r->sas[i].spi == spi && r->sas[i].dir == dir)
			return 0;
	return -ENOENT;
}

static void rec_set_events(struct dp_backend *b, const struct dp_events *ev)
{
	(void)b;
	(void)ev; /* no traffic, so no events */
}

static void rec_free(struct dp_backend *b)
{
	struct dp_record *r = (struct dp_record *)b;
	if (!r)
		return;
	if (r->sas)
		OPENSSL_cleanse(r->sas, r->cap * sizeof(*r->sas));
	free(r->sas);
	free(r->pols);
	free(r);
}

struct dp_backend *dp_record_new(void)
{
	struct dp_record *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->base = (struct dp_backend){ .name = "record", .alloc_spi = rec_alloc_spi, .add_sa = rec_add_sa,
				       .del_sa = rec_del_sa, .add_policy = rec_add_policy,
				       .del_policy = rec_del_policy, .counters = rec_counters,
				       .set_events = rec_set_events, .free = rec_free };
	return &r->base;
}

size_t dp_record_sas(struct dp_backend *b, const struct dp_sa **out)
{
	if (!b || b->free != rec_free) {
		*out = NULL;
		return 0;
	}
	struct dp_record *r = (struct dp_record *)b;
	*out = r->sas;
	return r->nsas;
}

const char *dp_enc_name(enum dp_enc e)
{
	static const char *const n[] = { "null", "des-cbc", "3des-cbc", "aes-cbc", "aes-gcm-16" };
	return e <= DP_ENC_AES_GCM16 ? n[e] : "?";
}

const char *dp_auth_name(enum dp_auth a)
{
	static const char *const n[] = { "none", "hmac-md5-96", "hmac-sha1-96", "hmac-sha256-128",
					 "hmac-sha384-192", "hmac-sha512-256" };
	return a <= DP_AUTH_HMAC_SHA512_256 ? n[a] : "?";
}
