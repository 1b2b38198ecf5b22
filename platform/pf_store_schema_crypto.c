/*
 * pf_store_schema_crypto.c -- the IPsec part of the running-config schema.
 *
 * Dialect-neutral, as the rest: an ASA `crypto ikev1 policy 10` and an IOS
 * `crypto isakmp policy 10` are the same ike_policy row; an ASA tunnel-group
 * named by an address with a pre-shared key and an IOS `crypto isakmp key ...
 * address` are the same tunnel_group row (IOS keyrings add their name).
 * Values are stored in one canonical spelling (ASA's where the dialects
 * differ: aes-256, esp-aes-256, group14, sha), and NULL means "the default"
 * so that each dialect renders its own default. Lists whose order matters
 * (peers, transform sets, IKEv2 algorithms) are child rows or, for algorithm
 * lists the IKE engine reads whole, space-separated in one column.
 *
 * References between objects are by name without foreign keys, as on the
 * devices: a crypto map may name a transform set or an ACL before it exists.
 * Columns that commands set are nullable: a binding creates the row from its
 * keys first (INSERT OR IGNORE) and sets the columns after.
 */
#include "platform/pf_store.h"

const char pf_store_schema_crypto_sql[] =
	/* global crypto settings */
	"CREATE TABLE crypto_global ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  isakmp_identity TEXT,"            /* address | hostname | auto | key-id */
	"  nat_traversal INTEGER,"           /* NAT keepalive seconds; 0 = disabled */
	"  am_disable INTEGER,"              /* aggressive mode refused */
	"  keepalive INTEGER,"               /* IOS crypto isakmp keepalive N [R] [periodic|on-demand] */
	"  keepalive_retry INTEGER,"
	"  keepalive_mode TEXT,"
	"  nat_keepalive INTEGER,"           /* IOS crypto isakmp nat keepalive N */
	"  invalid_spi_recovery INTEGER,"
	"  sa_lifetime_seconds INTEGER,"     /* crypto ipsec security-association lifetime */
	"  sa_lifetime_kilobytes INTEGER,"
	"  pmtu_aging TEXT,"                 /* infinite | <minutes> */
	"  replay_window INTEGER,"
	"  permit_vpn INTEGER"               /* sysopt connection permit-vpn; NULL = default (on) */
	");"
	"INSERT INTO crypto_global (id, permit_vpn) VALUES (1, 1);"

	/* IKE policies: version 1 (ASA isakmp/ikev1, IOS isakmp) or 2 */
	"CREATE TABLE ike_policy ("
	"  version INTEGER NOT NULL,"
	"  priority INTEGER NOT NULL,"
	"  authentication TEXT,"             /* pre-share | rsa-sig | rsa-encr */
	"  encryption TEXT,"                 /* v1: des 3des aes aes-192 aes-256; v2: a list */
	"  hash TEXT,"                       /* v1: md5 sha sha256 sha384 sha512 */
	"  integrity TEXT,"                  /* v2: a list */
	"  dh_group TEXT,"                   /* v1: 1 2 5 14 ...; v2: a list */
	"  prf TEXT,"                        /* v2: a list */
	"  lifetime TEXT,"                   /* seconds, or none */
	"  PRIMARY KEY (version, priority)"
	");"
	/* interfaces where IKE listens (crypto ikev1|ikev2 enable IF) */
	"CREATE TABLE ike_interface ("
	"  version INTEGER NOT NULL,"
	"  ifname TEXT NOT NULL,"
	"  PRIMARY KEY (version, ifname)"
	");"

	/* IKEv1 transform sets (both dialects) */
	"CREATE TABLE transform_set ("
	"  name TEXT PRIMARY KEY,"
	"  encryption TEXT,"                 /* esp-des esp-3des esp-aes esp-aes-192 esp-aes-256 esp-gcm esp-gcm-256 esp-null */
	"  integrity TEXT,"                  /* esp-md5-hmac esp-sha-hmac esp-sha256-hmac ...; NULL = esp-none */
	"  mode TEXT"                        /* tunnel | transport; NULL = tunnel */
	");"
	/* the DF bit of tunnelled packets, per interface (crypto ipsec df-bit) */
	"CREATE TABLE ipsec_df_bit ("
	"  ifname TEXT PRIMARY KEY,"
	"  policy TEXT"                      /* clear-df | copy-df | set-df */
	");"
	/* IKEv2 IPsec proposals (ASA) */
	"CREATE TABLE ipsec_proposal ("
	"  name TEXT PRIMARY KEY,"
	"  encryption TEXT,"                 /* a list */
	"  integrity TEXT"                   /* a list */
	");"

	/* crypto maps and dynamic maps: one row per entry */
	"CREATE TABLE crypto_map_entry ("
	"  dynamic INTEGER NOT NULL,"        /* 1: crypto dynamic-map */
	"  map TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  isakmp INTEGER,"                  /* IOS ipsec-isakmp entry (sub-mode form) */
	"  dynamic_map TEXT,"                /* ipsec-isakmp dynamic DYNMAP */
	"  acl TEXT,"                        /* match address */
	"  pfs TEXT,"                        /* group2 group5 group14 ... */
	"  lifetime_seconds INTEGER,"
	"  lifetime_kilobytes TEXT,"         /* a number or unlimited */
	"  connection_type TEXT,"            /* answer-only | originate-only | bidirectional */
	"  nat_t_disable INTEGER,"
	"  reverse_route INTEGER,"
	"  isakmp_profile TEXT,"
	"  PRIMARY KEY (dynamic, map, seq)"
	");"
	"CREATE TABLE crypto_map_peer ("
	"  dynamic INTEGER NOT NULL,"
	"  map TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  idx INTEGER NOT NULL,"            /* order: the first is tried first */
	"  peer TEXT NOT NULL,"
	"  PRIMARY KEY (dynamic, map, seq, idx),"
	"  FOREIGN KEY (dynamic, map, seq) REFERENCES crypto_map_entry (dynamic, map, seq) ON DELETE CASCADE"
	");"
	"CREATE TABLE crypto_map_transform ("
	"  dynamic INTEGER NOT NULL,"
	"  map TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  version INTEGER NOT NULL,"        /* 1: transform set, 2: IKEv2 proposal */
	"  idx INTEGER NOT NULL,"
	"  name TEXT NOT NULL,"
	"  PRIMARY KEY (dynamic, map, seq, version, idx),"
	"  FOREIGN KEY (dynamic, map, seq) REFERENCES crypto_map_entry (dynamic, map, seq) ON DELETE CASCADE"
	");"
	/* where a crypto map is applied: ASA by nameif, IOS by interface name */
	"CREATE TABLE crypto_map_interface ("
	"  map TEXT NOT NULL,"
	"  ifname TEXT NOT NULL,"
	"  PRIMARY KEY (map, ifname)"
	");"
	"CREATE TABLE crypto_map_local_address ("
	"  map TEXT PRIMARY KEY,"
	"  ifname TEXT"
	");"

	/* peers' credentials and settings: ASA tunnel-groups, IOS isakmp keys */
	"CREATE TABLE tunnel_group ("
	"  name TEXT PRIMARY KEY,"           /* ASA group name; IOS: the peer address */
	"  type TEXT,"                       /* ipsec-l2l | remote-access | webvpn */
	"  default_group_policy TEXT,"
	"  psk TEXT,"                        /* IKEv1 pre-shared key (a secret) */
	"  ikev2_local_psk TEXT,"
	"  ikev2_remote_psk TEXT,"
	"  keepalive_threshold INTEGER,"
	"  keepalive_retry INTEGER,"
	"  keepalive_disable INTEGER,"
	"  peer_id_validate TEXT,"
	"  ios_mask TEXT,"                   /* IOS crypto isakmp key ... address A MASK */
	"  ios_no_xauth INTEGER,"
	"  ios_global_key INTEGER"           /* made by IOS crypto isakmp key */
	");"
	"INSERT INTO tunnel_group (name, type) VALUES ('DefaultL2LGroup', 'ipsec-l2l'), "
	"('DefaultRAGroup', 'remote-access'), ('DefaultWEBVPNGroup', 'webvpn');"
	"CREATE TABLE group_policy ("
	"  name TEXT PRIMARY KEY,"
	"  kind TEXT,"                       /* internal | external */
	"  vpn_tunnel_protocol TEXT"         /* a list */
	");"

	/* IOS keyrings, ISAKMP profiles and IPsec profiles */
	"CREATE TABLE keyring ("
	"  name TEXT PRIMARY KEY"
	");"
	"CREATE TABLE keyring_key ("
	"  keyring TEXT NOT NULL REFERENCES keyring (name) ON DELETE CASCADE,"
	"  address TEXT NOT NULL,"
	"  mask TEXT,"
	"  psk TEXT,"
	"  PRIMARY KEY (keyring, address)"
	");"
	"CREATE TABLE isakmp_profile ("
	"  name TEXT PRIMARY KEY,"
	"  keyring TEXT,"
	"  match_address TEXT,"
	"  match_mask TEXT,"
	"  self_identity TEXT"
	");"
	"CREATE TABLE ipsec_profile ("
	"  name TEXT PRIMARY KEY,"
	"  transform_sets TEXT,"             /* a list */
	"  pfs TEXT,"
	"  isakmp_profile TEXT"
	");";
