/*
 * ike_policy.c -- phase 1 policies and the responder's choice.
 */
#include "ikecore/ike_policy.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikecore/ike_cipher.h"
#include "ikecore/ike_crypto.h"

const struct ike_p1_params ike_policy_default_asa = { IKE_CIPHER_3DES, 0, IKE_HASH_SHA1, IKE_AUTH_PSK, 2, 86400, 0 };
const struct ike_p1_params ike_policy_default_ios = { IKE_CIPHER_DES, 0, IKE_HASH_SHA1, IKE_AUTH_RSA_SIG, 1, 86400, 0 };

static int ike_policy_fail(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -1;
}

const char *ike_encryption_name(uint16_t alg, uint16_t keybits)
{
	switch (alg) {
	case IKE_CIPHER_DES:
		return "DES";
	case IKE_CIPHER_3DES:
		return "3DES";
	case IKE_CIPHER_AES:
		return keybits == 256 ? "AES-256" : keybits == 192 ? "AES-192" : "AES-128";
	}
	return "unknown";
}

const char *ike_hash_name(uint16_t hash)
{
	switch (hash) {
	case IKE_HASH_MD5:
		return "MD5";
	case IKE_HASH_SHA1:
		return "SHA";
	case IKE_HASH_SHA256:
		return "SHA256";
	case IKE_HASH_SHA384:
		return "SHA384";
	case IKE_HASH_SHA512:
		return "SHA512";
	}
	return "unknown";
}

const char *ike_auth_name(uint16_t auth)
{
	switch (auth) {
	case IKE_AUTH_PSK:
		return "pre-shared key";
	case IKE_AUTH_RSA_SIG:
		return "RSA signature";
	case IKE_AUTH_RSA_ENC:
		return "RSA encryption";
	}
	return "unknown";
}

struct ike_name_value {
	const char *name;
	uint16_t value, extra;
};

static const struct ike_name_value ike_enc_names[] = {
	{ "des", IKE_CIPHER_DES, 0 }, { "3des", IKE_CIPHER_3DES, 0 }, { "aes", IKE_CIPHER_AES, 128 },
	{ "aes-128", IKE_CIPHER_AES, 128 }, { "aes-192", IKE_CIPHER_AES, 192 }, { "aes-256", IKE_CIPHER_AES, 256 },
};
static const struct ike_name_value ike_hash_names[] = {
	{ "md5", IKE_HASH_MD5, 0 }, { "sha", IKE_HASH_SHA1, 0 }, { "sha256", IKE_HASH_SHA256, 0 },
	{ "sha384", IKE_HASH_SHA384, 0 }, { "sha512", IKE_HASH_SHA512, 0 },
};
static const struct ike_name_value ike_auth_names[] = {
	{ "pre-share", IKE_AUTH_PSK, 0 }, { "rsa-sig", IKE_AUTH_RSA_SIG, 0 }, { "rsa-encr", IKE_AUTH_RSA_ENC, 0 },
};

static const struct ike_name_value *ike_lookup(const struct ike_name_value *t, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].name, name) == 0)
			return &t[i];
	return NULL;
}

#define IKE_LOOKUP(table, name) ike_lookup(table, sizeof(table) / sizeof(table[0]), name)

int ike_policy_from_config(int priority, const char *encryption, const char *hash, const char *auth,
			   const char *group, const char *lifetime, const struct ike_p1_params *dflt,
			   struct ike_p1_params *out, char *why, size_t whylen)
{
	*out = *dflt;
	out->priority = priority;
	const struct ike_name_value *v;
	if (encryption) {
		if (!(v = IKE_LOOKUP(ike_enc_names, encryption)))
			return ike_policy_fail(why, whylen, "policy %d: unknown encryption %s", priority, encryption);
		out->encryption = v->value;
		out->keybits = v->extra;
	}
	if (hash) {
		if (!(v = IKE_LOOKUP(ike_hash_names, hash)))
			return ike_policy_fail(why, whylen, "policy %d: unknown hash %s", priority, hash);
		out->hash = v->value;
	}
	if (auth) {
		if (!(v = IKE_LOOKUP(ike_auth_names, auth)))
			return ike_policy_fail(why, whylen, "policy %d: unknown authentication %s", priority, auth);
		out->auth = v->value;
	}
	if (group)
		out->group = (uint16_t)atoi(group);
	if (lifetime)
		out->lifetime = strcmp(lifetime, "none") == 0 ? 0 : (uint32_t)strtoul(lifetime, NULL, 10);
	return 0;
}

int ike_transform_params(const struct ike_transform *t, struct ike_p1_params *out, char *why, size_t whylen)
{
	memset(out, 0, sizeof(*out));
	out->priority = t->number;
	const struct ike_attr *enc = ike_transform_attr(t, IKE_ATTR_ENCRYPTION), *hash = ike_transform_attr(t, IKE_ATTR_HASH),
			      *auth = ike_transform_attr(t, IKE_ATTR_AUTH), *group = ike_transform_attr(t, IKE_ATTR_GROUP);
	if (!enc || !hash || !auth || !group)
		return ike_policy_fail(why, whylen, "transform %u: encryption, hash, authentication or group missing",
				       t->number);
	out->encryption = (uint16_t)enc->value;
	out->hash = (uint16_t)hash->value;
	out->auth = (uint16_t)auth->value;
	out->group = (uint16_t)group->value;
	const struct ike_attr *kl = ike_transform_attr(t, IKE_ATTR_KEY_LENGTH);
	if (out->encryption == IKE_CIPHER_AES)
		out->keybits = kl ? (uint16_t)kl->value : 128;
	/* a lifetime in seconds; a life type without a duration is malformed */
	for (size_t i = 0; i + 1 < t->nattr; i++) {
		if (t->attr[i].type != IKE_ATTR_LIFE_TYPE)
			continue;
		if (t->attr[i + 1].type != IKE_ATTR_LIFE_DURATION)
			return ike_policy_fail(why, whylen, "transform %u: a life type without its duration", t->number);
		if (t->attr[i].value == IKE_LIFE_SECONDS)
			out->lifetime = t->attr[i + 1].value;
	}
	return 0;
}

/* How a transform differs from a policy, in words; "" when it matches. */
static void ike_policy_diff(const struct ike_p1_params *o, const struct ike_p1_params *p, char *out, size_t len)
{
	out[0] = '\0';
	if (o->encryption != p->encryption || (o->encryption == IKE_CIPHER_AES && o->keybits != p->keybits))
		snprintf(out, len, "encryption: offered %s, policy %d has %s", ike_encryption_name(o->encryption, o->keybits),
			 p->priority, ike_encryption_name(p->encryption, p->keybits));
	else if (o->hash != p->hash)
		snprintf(out, len, "hash: offered %s, policy %d has %s", ike_hash_name(o->hash), p->priority,
			 ike_hash_name(p->hash));
	else if (o->auth != p->auth)
		snprintf(out, len, "authentication: offered %s, policy %d has %s", ike_auth_name(o->auth), p->priority,
			 ike_auth_name(p->auth));
	else if (o->group != p->group)
		snprintf(out, len, "DH group: offered group %u, policy %d has group %u", o->group, p->priority, p->group);
}

int ike_policy_choose(const struct ike_sa *offer, const struct ike_p1_params *policies, size_t npolicies,
		      size_t *prop, size_t *xf, struct ike_p1_params *agreed, char *why, size_t whylen)
{
	char closest[256] = "", diff[256];
	for (size_t pi = 0; pi < offer->nprop; pi++) {
		for (size_t ti = 0; ti < offer->prop[pi].nxf; ti++) {
			struct ike_p1_params o;
			if (ike_transform_params(&offer->prop[pi].xf[ti], &o, diff, sizeof(diff)) < 0) {
				snprintf(closest, sizeof(closest), "%s", diff);
				continue;
			}
			for (size_t k = 0; k < npolicies; k++) {
				ike_policy_diff(&o, &policies[k], diff, sizeof(diff));
				if (diff[0]) {
					if (!closest[0])
						snprintf(closest, sizeof(closest), "%s", diff);
					continue;
				}
				*prop = pi;
				*xf = ti;
				*agreed = policies[k];
				if (o.lifetime && (!agreed->lifetime || o.lifetime < agreed->lifetime))
					agreed->lifetime = o.lifetime; /* the shorter one */
				return 0;
			}
		}
	}
	if (npolicies == 0)
		return ike_policy_fail(why, whylen, "no ISAKMP policy is configured");
	return ike_policy_fail(why, whylen, "no proposal matches a configured policy (%s)",
			       closest[0] ? closest : "nothing was offered");
}
