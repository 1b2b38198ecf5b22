/*
 * pf_store.h -- the appliance's configuration store (its NVRAM).
 *
 * The running-config is an in-memory SQLite database with the schema of
 * pf_store_schema.c: tables, not a text blob, one schema for both dialects.
 * The startup-config is a SQLite file. Loading checks that the file is a
 * vpnsh store and is intact before anything is copied from it; a damaged or
 * foreign file is reported and never written to. Saving writes a temporary
 * file beside it, syncs it and renames it over the old one, so a crash at any
 * moment leaves either the old or the new startup-config.
 */
#ifndef VPNSH_PF_STORE_H
#define VPNSH_PF_STORE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#define PF_STORE_APPLICATION_ID 0x56504e53 /* "VPNS" */
#define PF_STORE_SCHEMA_VERSION 2

struct pf_store;

/* Open the store: an empty running-config with the schema, then the startup
 * file copied in when it exists. path may be NULL (no startup file: `write
 * memory` then fails). Returns NULL with a one-line reason in err. */
struct pf_store *pf_store_open(const char *path, char *err, size_t errlen);
void pf_store_close(struct pf_store *st);

sqlite3 *pf_store_db(struct pf_store *st);
const char *pf_store_path(const struct pf_store *st);

/* A prepared statement for sql, cached by its text and reset for reuse.
 * Returns NULL on a SQL error (a bug: the message goes to err of the store). */
sqlite3_stmt *pf_store_stmt(struct pf_store *st, const char *sql);
const char *pf_store_errmsg(struct pf_store *st);

/* Write the running-config to the startup file atomically. */
int pf_store_save(struct pf_store *st, char *err, size_t errlen);
/* Remove the startup file (write erase). */
int pf_store_erase_startup(struct pf_store *st, char *err, size_t errlen);
/* Replace the running-config by the startup file (or an empty one). */
int pf_store_reload(struct pf_store *st, char *err, size_t errlen);

/* Whether the running-config differs from what was last loaded or saved. */
bool pf_store_dirty(const struct pf_store *st);
void pf_store_mark_dirty(struct pf_store *st);

/* Batch many changes in one transaction (a large paste). */
void pf_store_begin(struct pf_store *st);
void pf_store_commit(struct pf_store *st);

/* The schema (pf_store_schema*.c), executed in this order. */
extern const char pf_store_schema_sql[];
extern const char pf_store_schema_crypto_sql[];
/* and the upgrades from version 1 on (pf_store_schema.c) */
extern const char *const pf_store_upgrade_sql[];
extern const int pf_store_upgrade_count;

#endif
