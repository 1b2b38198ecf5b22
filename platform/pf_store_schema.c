/*
 * pf_store_schema.c -- the running-config schema.
 *
 * One schema for both dialects: an ASA `access-list NAME extended ...` and an
 * IOS `ip access-list extended NAME` are rows of the same tables; addresses and
 * masks are stored in dotted form, masks always as netmasks (an IOS wildcard is
 * stored inverted), ports as numbers. Child rows refer to their parent with
 * ON DELETE CASCADE so that `no object-group network X` removes its members.
 * Rows are ordered by rowid where the device keeps insertion order.
 */
#include "platform/pf_store.h"

const char pf_store_schema_sql[] =
	/* singletons */
	"CREATE TABLE system ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  hostname TEXT,"
	"  enable_secret TEXT,"          /* a hash with its scheme: $sha512$..., $9$... */
	"  personality TEXT"             /* asa | ios: the dialect the config was saved in */
	");"
	"INSERT INTO system (id) VALUES (1);"

	/* interfaces (Linux or Cisco names; the latter mapped at start-up) */
	"CREATE TABLE interface ("
	"  name TEXT PRIMARY KEY COLLATE natsort,"
	"  description TEXT,"
	"  nameif TEXT,"
	"  security_level INTEGER CHECK (security_level BETWEEN 0 AND 100),"
	"  ip_address TEXT,"
	"  ip_mask TEXT,"
	"  shutdown INTEGER"
	");"

	/* object groups: network members are host/subnet/nested group */
	"CREATE TABLE object_group ("
	"  name TEXT PRIMARY KEY,"
	"  type TEXT NOT NULL,"           /* network | service | protocol */
	"  description TEXT"
	");"
	"CREATE TABLE object_group_member ("
	"  grp TEXT NOT NULL REFERENCES object_group (name) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL,"           /* host | subnet | group | range */
	"  address TEXT,"                 /* host/subnet address, range start */
	"  mask TEXT,"                    /* subnet netmask, range end */
	"  ref TEXT,"                     /* nested group name */
	"  UNIQUE (grp, kind, address, mask, ref)"
	");"

	/* access lists: ASA named lists, IOS numbered and named lists */
	"CREATE TABLE acl ("
	"  name TEXT PRIMARY KEY,"
	"  kind TEXT NOT NULL,"           /* extended | standard */
	"  numbered INTEGER NOT NULL DEFAULT 0" /* IOS: rendered as access-list N lines */
	");"
	"CREATE TABLE acl_entry ("
	"  acl TEXT NOT NULL REFERENCES acl (name) ON DELETE CASCADE,"
	"  seq INTEGER NOT NULL,"         /* ASA line order / IOS sequence number (an IOS remark */
	                                  /* shares the number of the entry it precedes) */
	"  action TEXT NOT NULL,"         /* permit | deny | remark */
	"  protocol TEXT,"                /* ip | tcp | udp | icmp | esp | ... | a number | object-group:NAME */
	"  src_kind TEXT,"                /* any | any4 | host | subnet | object-group | interface */
	"  src_addr TEXT,"
	"  src_mask TEXT,"                /* netmask */
	"  src_ref TEXT,"                 /* object-group or interface name */
	"  src_port_op TEXT,"             /* eq | neq | lt | gt | range */
	"  src_port1 INTEGER,"
	"  src_port2 INTEGER,"
	"  dst_kind TEXT,"
	"  dst_addr TEXT,"
	"  dst_mask TEXT,"
	"  dst_ref TEXT,"
	"  dst_port_op TEXT,"
	"  dst_port1 INTEGER,"
	"  dst_port2 INTEGER,"
	"  icmp_type TEXT,"
	"  established INTEGER,"         /* IOS tcp ... established */
	"  log INTEGER,"
	"  inactive INTEGER,"
	"  remark TEXT,"
	"  hits INTEGER NOT NULL DEFAULT 0"
	");"
	/* entries are ordered by (seq, remarks first, rowid) */
	"CREATE UNIQUE INDEX acl_entry_seq ON acl_entry (acl, seq) WHERE action <> 'remark';"
	/* a partial index serves no query without its WHERE: these keep a paste
	 * of a long list linear (the next seq, the duplicate check) */
	"CREATE INDEX acl_entry_order ON acl_entry (acl, seq);"
	"CREATE INDEX acl_entry_lookup ON acl_entry (acl, src_addr, dst_addr);"

	/* static routes: ASA `route IF NET MASK GW [DIST]`, IOS `ip route NET MASK {GW|IF} [DIST]` */
	"CREATE TABLE route ("
	"  network TEXT NOT NULL,"
	"  mask TEXT NOT NULL,"
	"  gateway TEXT,"
	"  ifname TEXT,"                  /* ASA nameif, or IOS interface */
	"  distance INTEGER,"              /* administrative distance, 1 when not typed */
	"  UNIQUE (network, mask, gateway, ifname)"
	");";

/* Upgrades, in order: pf_store_upgrade_sql[i] takes a store of version i + 1
 * to version i + 2. A new store is made at version 1 and upgraded, so that
 * new stores and upgraded old ones are the same. */
const char *const pf_store_upgrade_sql[] = {
	/* 1 -> 2: Aggressive Mode per crypto map entry, logging */
	"ALTER TABLE crypto_map_entry ADD COLUMN phase1_mode TEXT;"   /* main | aggressive */
	"ALTER TABLE crypto_map_entry ADD COLUMN phase1_group TEXT;"  /* group1 | group2 | group5 */
	"CREATE TABLE logging ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  enabled INTEGER,"                 /* ASA logging enable; IOS logs unless `no logging on` */
	"  timestamp INTEGER,"
	"  buffered TEXT,"                   /* a level name, or NULL: not buffered */
	"  buffer_size INTEGER,"
	"  console TEXT,"
	"  monitor TEXT"
	");"
	"INSERT INTO logging (id) VALUES (1);",
};
const int pf_store_upgrade_count = (int)(sizeof(pf_store_upgrade_sql) / sizeof(pf_store_upgrade_sql[0]));
