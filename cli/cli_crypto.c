/*
 * cli_crypto.c -- IPsec configuration handlers that are more than a store
 * binding: the checks the devices make (default tunnel groups, key lengths,
 * incomplete crypto map entries) and the removals that reach across tables
 * (a transform set removed from the crypto maps that name it, a whole crypto
 * map). Everything else in the crypto command set is a plain binding.
 */
#include "cli/cli_int.h"

#include <string.h>

#include "platform/pf_store.h"

#define ASA(s) (cli_dialect(s) == GRAM_ASA)
#define PSK_MAX 128

static bool cli_default_group(const char *name)
{
	return strcmp(name, "DefaultL2LGroup") == 0 || strcmp(name, "DefaultRAGroup") == 0 ||
	       strcmp(name, "DefaultWEBVPNGroup") == 0;
}

/* Run a cached statement with text parameters (NULL binds NULL). */
static int cli_crypto_exec(struct cli_session *s, const char *sql, int n, const char *const *v)
{
	sqlite3_stmt *st = cli_stmt(s, sql);
	if (!st)
		return cli_error(s, "%% Internal error: %s", pf_store_errmsg(cli_store(s)));
	for (int i = 0; i < n; i++)
		sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : cli_error(s, "%% Internal error");
}

static bool cli_crypto_exists(struct cli_session *s, const char *sql, const char *v)
{
	sqlite3_stmt *st = cli_stmt(s, sql);
	if (!st)
		return false;
	sqlite3_bind_text(st, 1, v, -1, SQLITE_TRANSIENT);
	bool found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return found;
}

/* Removing a transform set also removes it from the crypto maps naming it
 * (the ASA does this; a map left naming a missing set could never match). */
static int cli_transform_set(struct cli_session *s, const struct gram_match *m)
{
	if (!(m->negated || m->deflt))
		return cli_bind_apply(s, m);
	const char *name = m->slot[0];
	if (!cli_crypto_exists(s, "SELECT 1 FROM transform_set WHERE name = ?", name))
		return cli_error(s, ASA(s) ? "ERROR: Transform set %s not found" : "%% Transform set %s not found",
				 name);
	const char *v[] = { name };
	if (cli_crypto_exec(s, "DELETE FROM transform_set WHERE name = ?", 1, v) < 0 ||
	    cli_crypto_exec(s, "DELETE FROM crypto_map_transform WHERE version = 1 AND name = ?", 1, v) < 0)
		return -1;
	cli_changed(s, "transform_set");
	cli_changed(s, "crypto_map_entry");
	return 0;
}

/* no crypto map NAME: every entry of the map, and where it is applied. */
static int cli_crypto_map_remove(struct cli_session *s, const struct gram_match *m)
{
	const char *v[] = { m->slot[0] };
	if (cli_crypto_exec(s, "DELETE FROM crypto_map_entry WHERE dynamic = 0 AND map = ?", 1, v) < 0 ||
	    cli_crypto_exec(s, "DELETE FROM crypto_map_interface WHERE map = ?", 1, v) < 0 ||
	    cli_crypto_exec(s, "DELETE FROM crypto_map_local_address WHERE map = ?", 1, v) < 0)
		return -1;
	cli_changed(s, "crypto_map_entry");
	return 0;
}

/* An entry without an ACL, a peer (unless it points to a dynamic map) or a
 * transform set cannot negotiate: the ASA warns when such a map is applied. */
static bool cli_crypto_map_incomplete(struct cli_session *s, const char *map)
{
	return cli_crypto_exists(s,
				 "SELECT 1 FROM crypto_map_entry e WHERE e.dynamic = 0 AND e.map = ? AND "
				 "e.dynamic_map IS NULL AND (e.acl IS NULL OR "
				 "NOT EXISTS (SELECT 1 FROM crypto_map_peer p WHERE p.dynamic = 0 AND p.map = e.map "
				 "AND p.seq = e.seq) OR NOT EXISTS (SELECT 1 FROM crypto_map_transform t WHERE "
				 "t.dynamic = 0 AND t.map = e.map AND t.seq = e.seq))",
				 map);
}

static int cli_crypto_map_interface(struct cli_session *s, const struct gram_match *m)
{
	if (cli_bind_apply(s, m) < 0)
		return -1;
	if (!m->negated && cli_crypto_map_incomplete(s, m->slot[0]))
		cli_printf(s, "WARNING: The crypto map entry is incomplete!\n");
	return 0;
}

static int cli_tunnel_group_type(struct cli_session *s, const struct gram_match *m)
{
	const char *name = m->slot[0];
	if (cli_default_group(name) && !m->negated) {
		sqlite3_stmt *st = cli_stmt(s, "SELECT type FROM tunnel_group WHERE name = ?");
		bool same = false;
		if (st) {
			sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
			same = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) &&
			       strcmp((const char *)sqlite3_column_text(st, 0), m->slot[1]) == 0;
			sqlite3_reset(st);
		}
		if (!same)
			return cli_error(s, "ERROR: The type of the default tunnel group %s cannot be changed", name);
		return 0;
	}
	if (m->negated)
		return cli_error(s, "ERROR: %% Incomplete command");
	return cli_bind_apply(s, m);
}

static int cli_tunnel_group_attributes(struct cli_session *s, const struct gram_match *m)
{
	if (!cli_crypto_exists(s, "SELECT 1 FROM tunnel_group WHERE name = ? AND type IS NOT NULL", m->slot[0]))
		return cli_error(s, "ERROR: tunnel-group %s not found; configure 'tunnel-group %s type' first",
				 m->slot[0], m->slot[0]);
	return cli_bind_apply(s, m);
}

static int cli_tunnel_group_remove(struct cli_session *s, const struct gram_match *m)
{
	const char *name = m->slot[0];
	if (cli_default_group(name))
		return cli_error(s, "ERROR: %s is a default tunnel group and cannot be removed", name);
	if (!cli_crypto_exists(s, "SELECT 1 FROM tunnel_group WHERE name = ?", name))
		return cli_error(s, "ERROR: tunnel-group %s not found", name);
	const char *v[] = { name };
	if (cli_crypto_exec(s, "DELETE FROM tunnel_group WHERE name = ?", 1, v) < 0)
		return -1;
	cli_changed(s, "tunnel_group");
	return 0;
}

static int cli_psk(struct cli_session *s, const struct gram_match *m)
{
	int at = cli_bind_secret_slot(m->cmd);
	const char *key = at >= 0 ? m->slot[at] : NULL;
	if (key && !m->negated && strlen(key) > PSK_MAX)
		return cli_error(s, ASA(s) ? "ERROR: The pre-shared key is longer than %d characters"
					   : "%% The pre-shared key is longer than %d characters", PSK_MAX);
	return cli_bind_apply(s, m);
}

/* IOS: a new ipsec-isakmp entry is disabled until it has a peer and an ACL. */
static int cli_crypto_map_ios_entry(struct cli_session *s, const struct gram_match *m)
{
	bool existed = false;
	sqlite3_stmt *st = cli_stmt(s, "SELECT 1 FROM crypto_map_entry WHERE dynamic = 0 AND map = ? AND seq = ?");
	if (st) {
		sqlite3_bind_text(st, 1, m->slot[0], -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, m->slot[1], -1, SQLITE_TRANSIENT);
		existed = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_reset(st);
	}
	if (cli_bind_apply(s, m) < 0)
		return -1;
	if (!existed && !m->negated && !m->deflt)
		cli_printf(s, "%% NOTE: This new crypto map will remain disabled until a peer\n"
			      "        and a valid access list have been configured.\n");
	return 0;
}

/* IOS turns ISAKMP on when the first crypto map is applied to an interface. */
static int cli_crypto_map_ios_interface(struct cli_session *s, const struct gram_match *m)
{
	bool first = !cli_crypto_exists(s, "SELECT 1 FROM crypto_map_interface WHERE ? IS NOT NULL", "x");
	if (cli_bind_apply(s, m) < 0)
		return -1;
	if (first && !m->negated)
		cli_printf(s, "%%CRYPTO-6-ISAKMP_ON_OFF: ISAKMP is ON\n");
	return 0;
}

/* ASA crypto maps: each map's entries in sequence order, then where the
 * map is applied, map by map in the order they were first configured. */
static void cli_render_crypto_maps(struct cli_session *s, struct cli_render *r)
{
	sqlite3_stmt *maps;
	if (sqlite3_prepare_v2(pf_store_db(cli_store(s)),
			       "SELECT map FROM (SELECT map, MIN(rowid) AS o FROM crypto_map_entry WHERE dynamic = 0 "
			       "GROUP BY map UNION ALL SELECT map, 1e18 + MIN(rowid) FROM crypto_map_interface GROUP BY map) "
			       "GROUP BY map ORDER BY MIN(o)",
			       -1, &maps, NULL) != SQLITE_OK)
		return;
	while (sqlite3_step(maps) == SQLITE_ROW) {
		char *where = sqlite3_mprintf("dynamic = 0 AND map = %Q", (const char *)sqlite3_column_text(maps, 0));
		char *wif = sqlite3_mprintf("map = %Q", (const char *)sqlite3_column_text(maps, 0));
		if (where && wif) {
			cli_render_rows(r, "crypto_map_entry", where, "seq", NULL, NULL);
			cli_render_rows(r, "crypto_map_interface", wif, "rowid", NULL, NULL);
		}
		sqlite3_free(where);
		sqlite3_free(wif);
	}
	sqlite3_finalize(maps);
}

static const struct cli_action cli_crypto_actions[] = {
	{ "transform_set", cli_transform_set, NULL },
	{ "crypto_map_remove", cli_crypto_map_remove, NULL },
	{ "crypto_map_interface", cli_crypto_map_interface, NULL },
	{ "tunnel_group_type", cli_tunnel_group_type, NULL },
	{ "tunnel_group_attributes", cli_tunnel_group_attributes, NULL },
	{ "tunnel_group_remove", cli_tunnel_group_remove, NULL },
	{ "psk", cli_psk, NULL },
	{ "crypto_map_ios_entry", cli_crypto_map_ios_entry, NULL },
	{ "crypto_map_ios_interface", cli_crypto_map_ios_interface, NULL },
	{ "render_crypto_maps", NULL, cli_render_crypto_maps },
};

const struct cli_action_list cli_actions_crypto = { cli_crypto_actions,
						    sizeof(cli_crypto_actions) / sizeof(cli_crypto_actions[0]) };
