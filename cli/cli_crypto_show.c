/*
 * cli_crypto_show.c -- IOS show commands over the IPsec configuration:
 * `show crypto isakmp policy`, `show crypto ipsec transform-set`,
 * `show crypto map` and `show crypto dynamic-map`, in the layout IOS prints
 * (tab-indented), including the default protection suite and the warning on
 * an incomplete crypto map (no peer, or an access list that does not exist).
 */
#include "cli/cli_int.h"

#include <stdlib.h>
#include <string.h>

#include "platform/pf_store.h"

static const char *cs_col(sqlite3_stmt *st, int i)
{
	const unsigned char *v = sqlite3_column_text(st, i);
	return v ? (const char *)v : NULL;
}

static sqlite3_stmt *cs_prepare(struct cli_session *s, const char *sql)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(pf_store_db(cli_store(s)), sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	return st;
}

/* ---- show crypto isakmp policy ---- */

static const char *cs_encryption(const char *v)
{
	if (!v || strcmp(v, "des") == 0)
		return "DES - Data Encryption Standard (56 bit keys).";
	if (strcmp(v, "3des") == 0)
		return "Three key triple DES";
	if (strcmp(v, "aes-192") == 0)
		return "AES - Advanced Encryption Standard (192 bit keys).";
	if (strcmp(v, "aes-256") == 0)
		return "AES - Advanced Encryption Standard (256 bit keys).";
	return "AES - Advanced Encryption Standard (128 bit keys).";
}

static const char *cs_hash(const char *v)
{
	if (!v || strcmp(v, "sha") == 0)
		return "Secure Hash Standard";
	if (strcmp(v, "md5") == 0)
		return "Message Digest 5";
	if (strcmp(v, "sha256") == 0)
		return "Secure Hash Standard 2 (256 bit)";
	if (strcmp(v, "sha384") == 0)
		return "Secure Hash Standard 2 (384 bit)";
	return "Secure Hash Standard 2 (512 bit)";
}

static const char *cs_auth(const char *v)
{
	if (!v || strcmp(v, "rsa-sig") == 0)
		return "Rivest-Shamir-Adleman Signature";
	if (strcmp(v, "rsa-encr") == 0)
		return "Rivest-Shamir-Adleman Encryption";
	return "Pre-Shared Key";
}

static const char *cs_group(const char *v)
{
	static const struct { const char *g, *text; } t[] = {
		{ "1", "#1 (768 bit)" },	 { "2", "#2 (1024 bit)" },    { "5", "#5 (1536 bit)" },
		{ "14", "#14 (2048 bit)" },	 { "15", "#15 (3072 bit)" },  { "16", "#16 (4096 bit)" },
		{ "19", "#19 (256 bit ecp)" },	 { "20", "#20 (384 bit ecp)" }, { "21", "#21 (521 bit ecp)" },
		{ "24", "#24 (2048 bit, 256 bit subgroup)" },
	};
	for (size_t i = 0; v && i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(t[i].g, v) == 0)
			return t[i].text;
	return "#1 (768 bit)";
}

static void cs_suite(struct cli_session *s, const char *enc, const char *hash, const char *auth, const char *group,
		     const char *life)
{
	cli_printf(s, "\tencryption algorithm:\t%s\n", cs_encryption(enc));
	cli_printf(s, "\thash algorithm:\t\t%s\n", cs_hash(hash));
	cli_printf(s, "\tauthentication method:\t%s\n", cs_auth(auth));
	cli_printf(s, "\tDiffie-Hellman group:\t%s\n", cs_group(group));
	cli_printf(s, "\tlifetime:\t\t%s seconds, no volume limit\n", life ? life : "86400");
}

static int cli_show_isakmp_policy(struct cli_session *s, const struct gram_match *m)
{
	(void)m;
	sqlite3_stmt *st = cs_prepare(s, "SELECT priority, encryption, hash, authentication, dh_group, lifetime "
					 "FROM ike_policy WHERE version = 1 ORDER BY priority");
	if (!st)
		return cli_error(s, "%% Internal error");
	cli_printf(s, "\nGlobal IKE policy\n");
	while (sqlite3_step(st) == SQLITE_ROW) {
		cli_printf(s, "Protection suite of priority %s\n", cs_col(st, 0));
		cs_suite(s, cs_col(st, 1), cs_col(st, 2), cs_col(st, 3), cs_col(st, 4), cs_col(st, 5));
	}
	sqlite3_finalize(st);
	cli_printf(s, "Default protection suite\n");
	cs_suite(s, NULL, NULL, NULL, NULL, NULL);
	return 0;
}

/* ---- show crypto ipsec transform-set ---- */

/* IOS's spelling of the transforms: esp-256-aes, esp-sha-hmac. */
static void cs_transform(const char *enc, const char *integ, char *out, size_t len)
{
	static const struct { const char *stored, *shown; } t[] = {
		{ "esp-aes-192", "esp-192-aes" }, { "esp-aes-256", "esp-256-aes" }, { "esp-gcm-256", "esp-gcm 256" },
	};
	const char *e = enc ? enc : "";
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(t[i].stored, e) == 0)
			e = t[i].shown;
	snprintf(out, len, "%s %s", e, integ && strcmp(integ, "esp-none") != 0 ? integ : "");
}

static void cs_transform_set(struct cli_session *s, const char *name, const char *enc, const char *integ,
			     const char *mode, const char *indent)
{
	char t[128];
	cs_transform(enc, integ, t, sizeof(t));
	cli_printf(s, "%sTransform set %s: { %s }\n", indent, name, t);
	cli_printf(s, "%s   will negotiate = { %s,  },\n", indent,
		   mode && strcmp(mode, "transport") == 0 ? "Transport" : "Tunnel");
}

static int cli_show_transform_set(struct cli_session *s, const struct gram_match *m)
{
	const char *only = m->nslots > 0 ? m->slot[m->nslots - 1] : NULL;
	sqlite3_stmt *st = cs_prepare(s, "SELECT name, encryption, integrity, mode FROM transform_set "
					 "WHERE ?1 IS NULL OR name = ?1 ORDER BY rowid");
	if (!st)
		return cli_error(s, "%% Internal error");
	if (only)
		sqlite3_bind_text(st, 1, only, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(st) == SQLITE_ROW) {
		cs_transform_set(s, cs_col(st, 0), cs_col(st, 1), cs_col(st, 2), cs_col(st, 3), "");
		cli_printf(s, "   \n");
	}
	sqlite3_finalize(st);
	return 0;
}

/* ---- show crypto map / dynamic-map ---- */

static bool cs_exists(struct cli_session *s, const char *sql, const char *v)
{
	sqlite3_stmt *st = cs_prepare(s, sql);
	if (!st)
		return false;
	sqlite3_bind_text(st, 1, v, -1, SQLITE_TRANSIENT);
	bool found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

/* The lines of an access list, as `show access-lists` prints them. */
static void cs_acl(struct cli_session *s, const char *acl)
{
	char line[GRAM_MAX_LINE];
	snprintf(line, sizeof(line), "show access-lists %s", acl);
	struct gram_match *m = malloc(sizeof(*m));
	if (!m)
		return;
	gram_match_line(cli_gram(s), GRAM_MODE_EXEC, 15, line, m);
	size_t start = s->outlen;
	if (m->status == GRAM_OK && m->handler) {
		const struct cli_action *a = m->handler;
		if (a->run)
			a->run(s, m);
	}
	free(m);
	/* indent the listing under the entry, skipping its own header line */
	size_t len = s->outlen - start;
	char *text = malloc(len + 1);
	if (!text)
		return;
	memcpy(text, s->out + start, len);
	text[len] = '\0';
	s->outlen = start;
	char *first = strchr(text, '\n');
	for (char *p = first ? first + 1 : text, *nl; p && *p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		cli_printf(s, "\t    access-list %s %s\n", acl, p + strspn(p, " 0123456789"));
	}
	free(text);
}

static void cs_map_entry(struct cli_session *s, sqlite3_stmt *e, bool dynamic)
{
	const char *map = cs_col(e, 0), *seq = cs_col(e, 1), *acl = cs_col(e, 2), *pfs = cs_col(e, 3);
	const char *life_s = cs_col(e, 4), *life_kb = cs_col(e, 5), *dyn = cs_col(e, 6);
	if (dynamic)
		cli_printf(s, "Crypto Map Template\"%s\" %s\n", map, seq);
	else
		cli_printf(s, "Crypto Map IPv4 \"%s\" %s ipsec-isakmp\n", map, seq);
	if (dyn) {
		cli_printf(s, "\tDynamic map template tag: %s\n", dyn);
		return;
	}
	sqlite3_stmt *peers = cs_prepare(s, "SELECT peer FROM crypto_map_peer WHERE dynamic = ? AND map = ? AND seq = ? "
					    "ORDER BY idx");
	char first_peer[64] = "";
	if (peers) {
		sqlite3_bind_int(peers, 1, dynamic);
		sqlite3_bind_text(peers, 2, map, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(peers, 3, seq, -1, SQLITE_TRANSIENT);
	}
	bool acl_ok = acl && cs_exists(s, "SELECT 1 FROM acl WHERE name = ?", acl);
	bool has_peer = false;
	/* peers are listed below; first see whether there is one */
	if (peers && sqlite3_step(peers) == SQLITE_ROW) {
		has_peer = true;
		snprintf(first_peer, sizeof(first_peer), "%s", cs_col(peers, 0));
	}
	if (!dynamic && (!has_peer || !acl_ok))
		cli_printf(s, "\tWARNING: This crypto map is in an incomplete state!\n"
			      "\t\t(missing peer or access-list definitions)\n");
	if (peers) {
		sqlite3_reset(peers);
		while (sqlite3_step(peers) == SQLITE_ROW)
			cli_printf(s, "\tPeer = %s\n", cs_col(peers, 0));
		sqlite3_finalize(peers);
	}
	if (acl) {
		cli_printf(s, "\tExtended IP access list %s\n", acl);
		if (acl_ok)
			cs_acl(s, acl);
	}
	if (has_peer)
		cli_printf(s, "\tCurrent peer: %s\n", first_peer);
	cli_printf(s, "\tSecurity association lifetime: %s kilobytes/%s seconds\n", life_kb ? life_kb : "4608000",
		   life_s ? life_s : "3600");
	cli_printf(s, "\tResponder-Only (Y/N): N\n");
	cli_printf(s, "\tPFS (Y/N): %s\n", pfs ? "Y" : "N");
	if (pfs)
		cli_printf(s, "\tDH group:  %s\n", pfs);
	cli_printf(s, "\tMixed-mode : Disabled\n");
	cli_printf(s, "\tTransform sets={ \n");
	sqlite3_stmt *ts = cs_prepare(s, "SELECT t.name, s.encryption, s.integrity FROM crypto_map_transform t "
					 "LEFT JOIN transform_set s ON s.name = t.name "
					 "WHERE t.dynamic = ? AND t.map = ? AND t.seq = ? AND t.version = 1 ORDER BY t.idx");
	if (ts) {
		sqlite3_bind_int(ts, 1, dynamic);
		sqlite3_bind_text(ts, 2, map, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ts, 3, seq, -1, SQLITE_TRANSIENT);
		while (sqlite3_step(ts) == SQLITE_ROW) {
			char t[128];
			if (!cs_col(ts, 1)) {
				cli_printf(s, "\t\t%s:  (transform set not defined) , \n", cs_col(ts, 0));
				continue;
			}
			cs_transform(cs_col(ts, 1), cs_col(ts, 2), t, sizeof(t));
			cli_printf(s, "\t\t%s:  { %s } , \n", cs_col(ts, 0), t);
		}
		sqlite3_finalize(ts);
	}
	cli_printf(s, "\t}\n");
}

static void cs_map_interfaces(struct cli_session *s, const char *map)
{
	cli_printf(s, "\tInterfaces using crypto map %s:\n", map);
	sqlite3_stmt *st = cs_prepare(s, "SELECT ifname FROM crypto_map_interface WHERE map = ? ORDER BY rowid");
	if (!st)
		return;
	sqlite3_bind_text(st, 1, map, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(st) == SQLITE_ROW)
		cli_printf(s, "\t\t%s\n", cs_col(st, 0));
	sqlite3_finalize(st);
}

static void cs_maps(struct cli_session *s, bool dynamic, const char *only)
{
	sqlite3_stmt *e = cs_prepare(s, "SELECT map, seq, acl, pfs, lifetime_seconds, lifetime_kilobytes, dynamic_map "
					"FROM crypto_map_entry WHERE dynamic = ?1 AND (?2 IS NULL OR map = ?2) "
					"ORDER BY map, seq");
	if (!e)
		return;
	sqlite3_bind_int(e, 1, dynamic);
	if (only)
		sqlite3_bind_text(e, 2, only, -1, SQLITE_TRANSIENT);
	char last[256] = "";
	bool any = false;
	while (sqlite3_step(e) == SQLITE_ROW) {
		const char *map = cs_col(e, 0);
		if (!dynamic && any && strcmp(last, map) != 0)
			cs_map_interfaces(s, last);
		if (any)
			cli_printf(s, "\n");
		cs_map_entry(s, e, dynamic);
		snprintf(last, sizeof(last), "%s", map);
		any = true;
	}
	if (!dynamic && any)
		cs_map_interfaces(s, last);
	sqlite3_finalize(e);
}

static int cli_show_crypto_map(struct cli_session *s, const struct gram_match *m)
{
	cs_maps(s, false, m->nslots > 0 ? m->slot[m->nslots - 1] : NULL);
	return 0;
}

static int cli_show_dynamic_map(struct cli_session *s, const struct gram_match *m)
{
	cs_maps(s, true, m->nslots > 0 ? m->slot[m->nslots - 1] : NULL);
	return 0;
}

static const struct cli_action cli_crypto_show_actions[] = {
	{ "show_crypto_isakmp_policy", cli_show_isakmp_policy, NULL },
	{ "show_crypto_transform_set", cli_show_transform_set, NULL },
	{ "show_crypto_map", cli_show_crypto_map, NULL },
	{ "show_crypto_dynamic_map", cli_show_dynamic_map, NULL },
};

const struct cli_action_list cli_actions_crypto_show = {
	cli_crypto_show_actions, sizeof(cli_crypto_show_actions) / sizeof(cli_crypto_show_actions[0])
};
