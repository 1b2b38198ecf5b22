/*
 * ike_ipsec.c -- ESP transforms from transform sets, and proxy identities
 * against crypto ACL lines.
 */
#include "ikecore/ike_ipsec.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int ike_ipsec_fail(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -1;
}

static const struct {
	const char *name;
	uint8_t id;
	uint16_t keybits;
} ike_esp_encs[] = {
	{ "esp-des", IKE_ESP_DES, 0 },	       { "esp-3des", IKE_ESP_3DES, 0 },
	{ "esp-null", IKE_ESP_NULL, 0 },       { "esp-aes", IKE_ESP_AES, 128 },
	{ "esp-aes-192", IKE_ESP_AES, 192 },   { "esp-aes-256", IKE_ESP_AES, 256 },
	{ "esp-gcm", IKE_ESP_AES_GCM_16, 128 }, { "esp-gcm-256", IKE_ESP_AES_GCM_16, 256 },
};

static const struct {
	const char *name;
	uint16_t auth;
} ike_esp_auths[] = {
	{ "esp-md5-hmac", IKE_ESP_AUTH_MD5 },	    { "esp-sha-hmac", IKE_ESP_AUTH_SHA1 },
	{ "esp-sha256-hmac", IKE_ESP_AUTH_SHA256 }, { "esp-sha384-hmac", IKE_ESP_AUTH_SHA384 },
	{ "esp-sha512-hmac", IKE_ESP_AUTH_SHA512 }, { "esp-none", IKE_ESP_AUTH_NONE },
};

int ike_esp_from_config(const char *name, const char *encryption, const char *integrity, const char *mode,
			struct ike_esp_params *out, char *why, size_t whylen)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", name ? name : "");
	bool found = false;
	for (size_t i = 0; encryption && i < sizeof(ike_esp_encs) / sizeof(ike_esp_encs[0]) && !found; i++)
		if (strcmp(ike_esp_encs[i].name, encryption) == 0) {
			out->id = ike_esp_encs[i].id;
			out->keybits = ike_esp_encs[i].keybits;
			found = true;
		}
	if (!found)
		return ike_ipsec_fail(why, whylen, "transform set %s: no usable encryption (%s)", out->name,
				      encryption ? encryption : "none");
	found = !integrity;
	for (size_t i = 0; integrity && i < sizeof(ike_esp_auths) / sizeof(ike_esp_auths[0]) && !found; i++)
		if (strcmp(ike_esp_auths[i].name, integrity) == 0) {
			out->auth = ike_esp_auths[i].auth;
			found = true;
		}
	if (!found)
		return ike_ipsec_fail(why, whylen, "transform set %s: unknown integrity %s", out->name, integrity);
	if (out->id == IKE_ESP_AES_GCM_16 && out->auth != IKE_ESP_AUTH_NONE)
		return ike_ipsec_fail(why, whylen, "transform set %s: AES-GCM carries its own integrity", out->name);
	if (out->id == IKE_ESP_NULL && out->auth == IKE_ESP_AUTH_NONE)
		return ike_ipsec_fail(why, whylen, "transform set %s: neither encryption nor integrity", out->name);
	out->transport = mode && strcmp(mode, "transport") == 0;
	return 0;
}

void ike_esp_describe(const struct ike_esp_params *p, char *out, size_t len)
{
	const char *enc = "esp-?";
	for (size_t i = 0; i < sizeof(ike_esp_encs) / sizeof(ike_esp_encs[0]); i++)
		if (ike_esp_encs[i].id == p->id && ike_esp_encs[i].keybits == p->keybits)
			enc = ike_esp_encs[i].name;
	const char *auth = "";
	for (size_t i = 0; i < sizeof(ike_esp_auths) / sizeof(ike_esp_auths[0]); i++)
		if (ike_esp_auths[i].auth == p->auth && p->auth != IKE_ESP_AUTH_NONE)
			auth = ike_esp_auths[i].name;
	snprintf(out, len, "%s%s%s", enc, auth[0] ? " " : "", auth);
}

/* ---- proxy identities ---- */

static void ike_selector_str(const struct ike_selector *s, char *out, size_t len)
{
	int bits = __builtin_popcount(s->mask);
	snprintf(out, len, "%u.%u.%u.%u/%d", s->net >> 24, (s->net >> 16) & 255, (s->net >> 8) & 255, s->net & 255,
		 bits);
}

static bool ike_selector_equal(const struct ike_selector *a, const struct ike_selector *b)
{
	return a->net == b->net && a->mask == b->mask && a->protocol == b->protocol && a->port == b->port;
}

/* Whether inner lies within outer. */
static bool ike_selector_within(const struct ike_selector *inner, const struct ike_selector *outer)
{
	if ((inner->mask & outer->mask) != outer->mask || (inner->net & outer->mask) != outer->net)
		return false;
	if (outer->protocol && inner->protocol != outer->protocol)
		return false;
	return !outer->port || inner->port == outer->port;
}

int ike_proxy_match(const struct ike_acl_line *lines, size_t n, const struct ike_selector *peer_local,
		    const struct ike_selector *peer_remote, bool contained_ok, char *why, size_t whylen)
{
	for (size_t i = 0; i < n; i++) {
		/* the mirror image: the peer's local is our remote */
		if (ike_selector_equal(peer_local, &lines[i].remote) && ike_selector_equal(peer_remote, &lines[i].local))
			return (int)i;
	}
	for (size_t i = 0; contained_ok && i < n; i++)
		if (ike_selector_within(peer_local, &lines[i].remote) && ike_selector_within(peer_remote, &lines[i].local))
			return (int)i;
	char a[32], b[32];
	ike_selector_str(peer_local, a, sizeof(a));
	ike_selector_str(peer_remote, b, sizeof(b));
	return ike_ipsec_fail(why, whylen, "peer proposed proxy IDs %s -> %s, no crypto ACL line matches", a, b);
}

static uint32_t ike_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int ike_selector_from_id(const struct ike_payload *id, struct ike_selector *out)
{
	/* ID type, protocol, port (2), then the data */
	if (id->len < 8)
		return -1;
	const uint8_t *p = id->body;
	memset(out, 0, sizeof(*out));
	out->protocol = p[1];
	out->port = (uint16_t)(p[2] << 8 | p[3]);
	switch (p[0]) {
	case 1: /* ID_IPV4_ADDR */
		if (id->len != 8)
			return -1;
		out->net = ike_get32(p + 4);
		out->mask = 0xffffffffu;
		return 0;
	case 4: /* ID_IPV4_ADDR_SUBNET */
		if (id->len != 12)
			return -1;
		out->mask = ike_get32(p + 8);
		out->net = ike_get32(p + 4) & out->mask;
		return 0;
	case 7: { /* ID_IPV4_ADDR_RANGE: equivalent to a subnet when it is one */
		if (id->len != 12)
			return -1;
		uint32_t lo = ike_get32(p + 4), hi = ike_get32(p + 8), span = hi - lo;
		if (hi < lo || (span & (span + 1)) != 0 || (lo & span) != 0)
			return -1;
		out->net = lo;
		out->mask = ~span;
		return 0;
	}
	}
	return -1;
}
