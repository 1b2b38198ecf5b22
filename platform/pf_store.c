/*
 * pf_store.c -- the running-config in memory, the startup-config on disk.
 *
 * Loading: the startup file is opened read-only and checked (it is a SQLite
 * database, its application_id is vpnsh's, its schema version is one we know,
 * quick_check says "ok") before sqlite3_backup copies it into memory. Nothing
 * ever writes to a file that failed those checks.
 *
 * Saving: backup into PATH.tmp, fsync it, rename it over PATH, fsync the
 * directory. rename() is atomic, so a reader (or a restart after kill -9) sees
 * the old file or the new one.
 *
 * Statements are prepared once and cached by their SQL text: a paste of a
 * large configuration runs the same few statements many thousand times.
 */
#include "platform/pf_store.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PF_STMT_CACHE 512 /* slots; a power of two */

struct pf_stmt_entry {
	char *sql;
	sqlite3_stmt *stmt;
};

struct pf_store {
	sqlite3 *db;
	char *path;
	bool dirty;
	int txn_depth;
	struct pf_stmt_entry cache[PF_STMT_CACHE];
	char errmsg[256];
};

/* "eth2" < "eth10": digits compare by value, the rest byte by byte. */
static int pf_store_natural(void *arg, int la, const void *va, int lb, const void *vb)
{
	(void)arg;
	const unsigned char *a = va, *b = vb;
	int i = 0, j = 0;
	while (i < la && j < lb) {
		if (isdigit(a[i]) && isdigit(b[j])) {
			int si = i, sj = j;
			while (si < la && a[si] == '0')
				si++;
			while (sj < lb && b[sj] == '0')
				sj++;
			int ei = si, ej = sj;
			while (ei < la && isdigit(a[ei]))
				ei++;
			while (ej < lb && isdigit(b[ej]))
				ej++;
			if (ei - si != ej - sj)
				return (ei - si) - (ej - sj);
			int c = memcmp(a + si, b + sj, (size_t)(ei - si));
			if (c)
				return c;
			i = ei;
			j = ej;
			continue;
		}
		int ca = tolower(a[i]), cb = tolower(b[j]);
		if (ca != cb)
			return ca - cb;
		i++;
		j++;
	}
	return (la - i) - (lb - j);
}

static int pf_store_setup_conn(sqlite3 *db)
{
	if (sqlite3_create_collation(db, "natsort", SQLITE_UTF8, NULL, pf_store_natural) != SQLITE_OK)
		return -1;
	return sqlite3_exec(db, "PRAGMA foreign_keys = ON;", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static int pf_store_query_int(sqlite3 *db, const char *sql, long long *out)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* Bring a running-config of schema version `from` to the current one. The
 * startup file itself changes only when the configuration is saved. */
static int pf_store_upgrade(sqlite3 *db, long long from, char *err, size_t errlen)
{
	char *msg = NULL;
	for (long long v = from; v < PF_STORE_SCHEMA_VERSION; v++)
		if (v - 1 >= pf_store_upgrade_count ||
		    sqlite3_exec(db, pf_store_upgrade_sql[v - 1], NULL, NULL, &msg) != SQLITE_OK) {
			snprintf(err, errlen, "store schema upgrade from version %lld: %s", v, msg ? msg : "missing");
			sqlite3_free(msg);
			return -1;
		}
	char pragma[64];
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d;", PF_STORE_SCHEMA_VERSION);
	return sqlite3_exec(db, pragma, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static int pf_store_create_schema(sqlite3 *db, char *err, size_t errlen)
{
	char *msg = NULL;
	char pragmas[128];
	snprintf(pragmas, sizeof(pragmas), "PRAGMA application_id = %d; PRAGMA user_version = 1;",
		 PF_STORE_APPLICATION_ID);
	if (sqlite3_exec(db, pf_store_schema_sql, NULL, NULL, &msg) != SQLITE_OK ||
	    sqlite3_exec(db, pf_store_schema_crypto_sql, NULL, NULL, &msg) != SQLITE_OK ||
	    sqlite3_exec(db, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "store schema: %s", msg ? msg : "error");
		sqlite3_free(msg);
		return -1;
	}
	return pf_store_upgrade(db, 1, err, errlen);
}

/* Open path read-only and check that it is an intact vpnsh store. */
static sqlite3 *pf_store_open_checked(const char *path, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	if (access(path, R_OK) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	char uri[4200];
	snprintf(uri, sizeof(uri), "file:%s?mode=ro", path);
	if (sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: cannot open: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	long long app = 0, version = 0;
	if (pf_store_query_int(db, "PRAGMA application_id", &app) < 0) {
		snprintf(err, errlen, "%s: not a configuration store (%s)", path, sqlite3_errmsg(db));
		goto fail;
	}
	if (app != PF_STORE_APPLICATION_ID) {
		snprintf(err, errlen, "%s: not a vpnsh configuration store", path);
		goto fail;
	}
	pf_store_query_int(db, "PRAGMA user_version", &version);
	if (version < 1 || version > PF_STORE_SCHEMA_VERSION) {
		snprintf(err, errlen, "%s: unsupported configuration store version %lld", path, version);
		goto fail;
	}
	/* the schema names the collation: it must exist before the check */
	if (pf_store_setup_conn(db) < 0) {
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(db));
		goto fail;
	}
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: damaged configuration store (%s)", path, sqlite3_errmsg(db));
		goto fail;
	}
	int rc = sqlite3_step(st);
	bool ok = rc == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
	sqlite3_finalize(st);
	if (!ok) {
		snprintf(err, errlen, "%s: damaged configuration store (integrity check failed)", path);
		goto fail;
	}
	return db;
fail:
	sqlite3_close(db);
	return NULL;
}

static void pf_store_cache_clear(struct pf_store *st)
{
	for (size_t i = 0; i < PF_STMT_CACHE; i++) {
		sqlite3_finalize(st->cache[i].stmt);
		free(st->cache[i].sql);
		st->cache[i].stmt = NULL;
		st->cache[i].sql = NULL;
	}
}

/* A fresh running-config: the schema, then the startup file when present. */
static sqlite3 *pf_store_load(const char *path, char *err, size_t errlen)
{
	sqlite3 *mem = NULL;
	/* one thread owns the store: no mutexes on every call */
	if (sqlite3_open_v2(":memory:", &mem, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) !=
		    SQLITE_OK ||
	    pf_store_setup_conn(mem) < 0) {
		snprintf(err, errlen, "store: cannot create the running-config");
		sqlite3_close(mem);
		return NULL;
	}
	struct stat sb;
	if (!path || stat(path, &sb) != 0) {
		if (path && errno != ENOENT) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			sqlite3_close(mem);
			return NULL;
		}
		if (pf_store_create_schema(mem, err, errlen) < 0) {
			sqlite3_close(mem);
			return NULL;
		}
		return mem;
	}
	sqlite3 *file = pf_store_open_checked(path, err, errlen);
	if (!file) {
		sqlite3_close(mem);
		return NULL;
	}
	sqlite3_backup *b = sqlite3_backup_init(mem, "main", file, "main");
	int rc = b ? sqlite3_backup_step(b, -1) : SQLITE_ERROR;
	sqlite3_backup_finish(b);
	sqlite3_close(file);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "%s: cannot read the configuration store", path);
		sqlite3_close(mem);
		return NULL;
	}
	long long version = 0;
	pf_store_query_int(mem, "PRAGMA user_version", &version);
	if (version < PF_STORE_SCHEMA_VERSION && pf_store_upgrade(mem, version, err, errlen) < 0) {
		sqlite3_close(mem);
		return NULL;
	}
	sqlite3_exec(mem, "PRAGMA foreign_keys = ON;", NULL, NULL, NULL);
	return mem;
}

struct pf_store *pf_store_open(const char *path, char *err, size_t errlen)
{
	struct pf_store *st = calloc(1, sizeof(*st));
	if (!st) {
		snprintf(err, errlen, "store: out of memory");
		return NULL;
	}
	if (path && !(st->path = strdup(path))) {
		free(st);
		snprintf(err, errlen, "store: out of memory");
		return NULL;
	}
	st->db = pf_store_load(path, err, errlen);
	if (!st->db) {
		free(st->path);
		free(st);
		return NULL;
	}
	return st;
}

void pf_store_close(struct pf_store *st)
{
	if (!st)
		return;
	pf_store_cache_clear(st);
	sqlite3_close(st->db);
	free(st->path);
	free(st);
}

sqlite3 *pf_store_db(struct pf_store *st)
{
	return st->db;
}

const char *pf_store_path(const struct pf_store *st)
{
	return st->path;
}

const char *pf_store_errmsg(struct pf_store *st)
{
	return st->errmsg;
}

/* FNV-1a over the length and the first and last 48 bytes: statements differ
 * early (the verb and table) or late (the columns), and hashing every byte
 * of a long statement on every line costs more than the lookup saves. */
static uint32_t pf_store_hash(const char *s)
{
	size_t n = strlen(s);
	uint32_t h = 2166136261u ^ (uint32_t)n;
	for (size_t i = 0; i < n && i < 48; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	for (size_t i = n > 48 ? n - 48 : n; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

sqlite3_stmt *pf_store_stmt(struct pf_store *st, const char *sql)
{
	uint32_t h = pf_store_hash(sql);
	for (uint32_t probe = 0; probe < PF_STMT_CACHE; probe++) {
		struct pf_stmt_entry *e = &st->cache[(h + probe) & (PF_STMT_CACHE - 1)];
		if (e->sql && strcmp(e->sql, sql) == 0) {
			sqlite3_reset(e->stmt);
			sqlite3_clear_bindings(e->stmt);
			return e->stmt;
		}
		if (e->sql)
			continue;
		sqlite3_stmt *stmt;
		if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK) {
			snprintf(st->errmsg, sizeof(st->errmsg), "%s", sqlite3_errmsg(st->db));
			return NULL;
		}
		e->sql = strdup(sql);
		if (!e->sql) {
			sqlite3_finalize(stmt);
			return NULL;
		}
		e->stmt = stmt;
		return stmt;
	}
	/* The cache is full (dynamic SQL run amok): prepare without caching is
	 * not possible through this interface, so report it. */
	snprintf(st->errmsg, sizeof(st->errmsg), "statement cache full");
	return NULL;
}

static int pf_fsync_path(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int rc = fsync(fd) < 0 ? -errno : 0;
	close(fd);
	return rc;
}

int pf_store_save(struct pf_store *st, char *err, size_t errlen)
{
	if (!st->path) {
		snprintf(err, errlen, "no startup-config file (started with --db none)");
		return -1;
	}
	char tmp[4200], dir[4200];
	snprintf(tmp, sizeof(tmp), "%s.tmp", st->path);
	snprintf(dir, sizeof(dir), "%s", st->path);
	char *d = dirname(dir);
	if (mkdir(d, 0700) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", d, strerror(errno));
		return -1;
	}
	unlink(tmp);
	/* a batch keeps a transaction open: what is saved must be committed */
	if (st->txn_depth > 0)
		sqlite3_exec(st->db, "COMMIT; BEGIN", NULL, NULL, NULL);
	sqlite3 *out = NULL;
	if (sqlite3_open_v2(tmp, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", tmp, out ? sqlite3_errmsg(out) : "out of memory");
		sqlite3_close(out);
		return -1;
	}
	/* The temporary file is not live until renamed: no journal is needed. */
	sqlite3_exec(out, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;", NULL, NULL, NULL);
	sqlite3_backup *b = sqlite3_backup_init(out, "main", st->db, "main");
	int rc = b ? sqlite3_backup_step(b, -1) : SQLITE_ERROR;
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "%s: %s", tmp, sqlite3_errmsg(out));
		sqlite3_close(out);
		unlink(tmp);
		return -1;
	}
	if (sqlite3_close(out) != SQLITE_OK) {
		snprintf(err, errlen, "%s: close failed", tmp);
		unlink(tmp);
		return -1;
	}
	int e = pf_fsync_path(tmp, O_RDONLY);
	if (e == 0 && rename(tmp, st->path) < 0)
		e = -errno;
	if (e < 0) {
		snprintf(err, errlen, "%s: %s", st->path, strerror(-e));
		unlink(tmp);
		return -1;
	}
	pf_fsync_path(d, O_RDONLY | O_DIRECTORY);
	st->dirty = false;
	return 0;
}

int pf_store_erase_startup(struct pf_store *st, char *err, size_t errlen)
{
	if (!st->path) {
		snprintf(err, errlen, "no startup-config file (started with --db none)");
		return -1;
	}
	if (unlink(st->path) < 0 && errno != ENOENT) {
		snprintf(err, errlen, "%s: %s", st->path, strerror(errno));
		return -1;
	}
	char dir[4200];
	snprintf(dir, sizeof(dir), "%s", st->path);
	pf_fsync_path(dirname(dir), O_RDONLY | O_DIRECTORY);
	return 0;
}

int pf_store_reload(struct pf_store *st, char *err, size_t errlen)
{
	sqlite3 *db = pf_store_load(st->path, err, errlen);
	if (!db)
		return -1;
	pf_store_cache_clear(st);
	sqlite3_close(st->db);
	st->db = db;
	st->dirty = false;
	st->txn_depth = 0;
	return 0;
}

bool pf_store_dirty(const struct pf_store *st)
{
	return st->dirty;
}

void pf_store_mark_dirty(struct pf_store *st)
{
	st->dirty = true;
}

void pf_store_begin(struct pf_store *st)
{
	if (st->txn_depth++ == 0)
		sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL);
}

void pf_store_commit(struct pf_store *st)
{
	if (st->txn_depth > 0 && --st->txn_depth == 0)
		sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
}
