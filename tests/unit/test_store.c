/*
 * test_store.c -- the configuration store and the secret hashes: persistence,
 * refusal of damaged or foreign files (left untouched), atomic saving under
 * kill -9, natural interface order, and KDF hashes in the devices' forms.
 */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "platform/pf_secret.h"
#include "platform/pf_store.h"
#include "tests/unit/suites.h"

static char dir[64];
static char path[128];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/vpnsh-store-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/startup-config.db", dir);
}

static void teardown(void)
{
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void set_hostname(struct pf_store *st, const char *name)
{
	sqlite3_stmt *u = pf_store_stmt(st, "UPDATE system SET hostname = ? WHERE id = 1");
	ck_assert_ptr_nonnull(u);
	sqlite3_bind_text(u, 1, name, -1, SQLITE_TRANSIENT);
	ck_assert_int_eq(sqlite3_step(u), SQLITE_DONE);
	sqlite3_reset(u);
}

static void get_hostname(struct pf_store *st, char *out, size_t len)
{
	sqlite3_stmt *q = pf_store_stmt(st, "SELECT hostname FROM system WHERE id = 1");
	ck_assert_ptr_nonnull(q);
	ck_assert_int_eq(sqlite3_step(q), SQLITE_ROW);
	const unsigned char *h = sqlite3_column_text(q, 0);
	snprintf(out, len, "%s", h ? (const char *)h : "");
	sqlite3_reset(q);
}

static char *slurp(const char *p, size_t *len)
{
	FILE *f = fopen(p, "rb");
	ck_assert_ptr_nonnull(f);
	char *buf = malloc(1 << 20);
	*len = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

START_TEST(persist)
{
	char err[256], host[64];
	struct pf_store *st = pf_store_open(path, err, sizeof(err));
	ck_assert_msg(st != NULL, "%s", err);
	get_hostname(st, host, sizeof(host));
	ck_assert_str_eq(host, "");
	set_hostname(st, "hq-asa");
	ck_assert_int_eq(pf_store_save(st, err, sizeof(err)), 0);
	pf_store_close(st);
	st = pf_store_open(path, err, sizeof(err));
	ck_assert_msg(st != NULL, "%s", err);
	get_hostname(st, host, sizeof(host));
	ck_assert_str_eq(host, "hq-asa");
	/* reload discards unsaved changes */
	set_hostname(st, "changed");
	ck_assert_int_eq(pf_store_reload(st, err, sizeof(err)), 0);
	get_hostname(st, host, sizeof(host));
	ck_assert_str_eq(host, "hq-asa");
	/* erase removes the file; the running-config stays */
	ck_assert_int_eq(pf_store_erase_startup(st, err, sizeof(err)), 0);
	ck_assert_int_ne(access(path, F_OK), 0);
	pf_store_close(st);
	/* no file: saving is refused */
	st = pf_store_open(NULL, err, sizeof(err));
	ck_assert_ptr_nonnull(st);
	ck_assert_int_lt(pf_store_save(st, err, sizeof(err)), 0);
	pf_store_close(st);
}
END_TEST

START_TEST(refuses_damaged_and_foreign)
{
	char err[256];
	/* garbage */
	FILE *f = fopen(path, "wb");
	for (int i = 0; i < 4096; i++)
		fputc((i * 7919) & 0xff, f);
	fclose(f);
	size_t before_len, after_len;
	char *before = slurp(path, &before_len);
	ck_assert_ptr_null(pf_store_open(path, err, sizeof(err)));
	ck_assert_msg(strstr(err, path) != NULL, "%s", err);
	char *after = slurp(path, &after_len);
	ck_assert_uint_eq(before_len, after_len);
	ck_assert_int_eq(memcmp(before, after, before_len), 0);
	free(before);
	free(after);

	/* a SQLite file of some other program */
	unlink(path);
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES (1);", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	before = slurp(path, &before_len);
	ck_assert_ptr_null(pf_store_open(path, err, sizeof(err)));
	ck_assert_msg(strstr(err, "not a vpnsh configuration store") != NULL, "%s", err);
	after = slurp(path, &after_len);
	ck_assert_int_eq(memcmp(before, after, before_len), 0);
	free(before);
	free(after);

	/* a vpnsh store whose pages were damaged */
	unlink(path);
	struct pf_store *st = pf_store_open(path, err, sizeof(err));
	for (int i = 0; i < 200; i++)
		sqlite3_exec(pf_store_db(st), "INSERT INTO interface (name, description) VALUES "
			     "(hex(randomblob(8)), hex(randomblob(64)))", NULL, NULL, NULL);
	ck_assert_int_eq(pf_store_save(st, err, sizeof(err)), 0);
	pf_store_close(st);
	int fd = open(path, O_RDWR);
	ck_assert_int_ge(fd, 0);
	char junk[512];
	memset(junk, 0xa5, sizeof(junk));
	for (off_t page = 1; page < 4; page++) /* b-tree page headers */
		ck_assert_int_eq(pwrite(fd, junk, sizeof(junk), page * 4096), (ssize_t)sizeof(junk));
	close(fd);
	ck_assert_ptr_null(pf_store_open(path, err, sizeof(err)));
	ck_assert_msg(strstr(err, "damaged") != NULL || strstr(err, "not a") != NULL, "%s", err);

	/* unreadable */
	unlink(path);
	ck_assert_int_eq(mkdir(path, 0700), 0); /* a directory where the file should be */
	ck_assert_ptr_null(pf_store_open(path, err, sizeof(err)));
	rmdir(path);
}
END_TEST

/* kill -9 at random moments while saving: the file is always one whole version. */
START_TEST(atomic_save_under_kill)
{
	char err[256], host[64];
	struct pf_store *st = pf_store_open(path, err, sizeof(err));
	set_hostname(st, "v0");
	ck_assert_int_eq(pf_store_save(st, err, sizeof(err)), 0);
	pf_store_close(st);
	srand((unsigned)time(NULL));
	for (int round = 0; round < 25; round++) {
		pid_t pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			struct pf_store *c = pf_store_open(path, err, sizeof(err));
			if (!c)
				_exit(3);
			/* make each version big enough that a write takes a while */
			for (int i = 0; i < 300; i++)
				sqlite3_exec(pf_store_db(c), "INSERT OR IGNORE INTO interface (name, description) VALUES "
					     "(hex(randomblob(6)), hex(randomblob(100)))", NULL, NULL, NULL);
			for (int v = 1;; v++) {
				char name[32];
				snprintf(name, sizeof(name), "v%d", v);
				set_hostname(c, name);
				if (pf_store_save(c, err, sizeof(err)) < 0)
					_exit(4);
			}
		}
		struct timespec ts = { 0, (long)(rand() % 20000) * 1000L };
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
		int status;
		waitpid(pid, &status, 0);
		ck_assert(WIFSIGNALED(status));
		st = pf_store_open(path, err, sizeof(err));
		ck_assert_msg(st != NULL, "round %d: %s", round, err);
		get_hostname(st, host, sizeof(host));
		ck_assert_int_eq(host[0], 'v');
		pf_store_close(st);
	}
}
END_TEST

static int plain_collation(void *arg, int la, const void *a, int lb, const void *b)
{
	(void)arg;
	int c = memcmp(a, b, (size_t)(la < lb ? la : lb));
	return c ? c : la - lb;
}

/* A store saved by the first schema opens, upgraded in memory, with its
 * rows; the file itself is untouched until the configuration is saved. */
START_TEST(upgrades_old_stores)
{
	unlink(path);
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_create_collation(db, "natsort", SQLITE_UTF8, NULL, plain_collation);
	char pragmas[128];
	snprintf(pragmas, sizeof(pragmas), "PRAGMA application_id = %d; PRAGMA user_version = 1;",
		 PF_STORE_APPLICATION_ID);
	ck_assert_int_eq(sqlite3_exec(db, pf_store_schema_sql, NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, pf_store_schema_crypto_sql, NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, pragmas, NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "INSERT INTO crypto_map_entry (dynamic, map, seq, acl) VALUES (0, 'M', 10, 'A')",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	size_t before_len, after_len;
	char *before = slurp(path, &before_len);
	char err[256];
	struct pf_store *st = pf_store_open(path, err, sizeof(err));
	ck_assert_msg(st != NULL, "%s", err);
	sqlite3_stmt *q;
	ck_assert_int_eq(sqlite3_prepare_v2(pf_store_db(st), "SELECT acl, phase1_mode FROM crypto_map_entry", -1, &q, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(q), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(q, 0), "A");
	sqlite3_finalize(q);
	ck_assert_int_eq(sqlite3_exec(pf_store_db(st), "UPDATE logging SET buffered = 'debugging' WHERE id = 1", NULL, NULL,
				      NULL),
			 SQLITE_OK);
	char *after = slurp(path, &after_len);
	ck_assert_uint_eq(before_len, after_len);
	ck_assert_int_eq(memcmp(before, after, before_len), 0);
	ck_assert_int_eq(pf_store_save(st, err, sizeof(err)), 0);
	pf_store_close(st);
	free(before);
	free(after);
	st = pf_store_open(path, err, sizeof(err));
	ck_assert_msg(st != NULL, "%s", err);
	pf_store_close(st);
}
END_TEST

START_TEST(natural_order)
{
	char err[256];
	struct pf_store *st = pf_store_open(NULL, err, sizeof(err));
	const char *names[] = { "eth10", "eth2", "GigabitEthernet0/10", "GigabitEthernet0/2", "eth1" };
	for (size_t i = 0; i < 5; i++) {
		sqlite3_stmt *u = pf_store_stmt(st, "INSERT INTO interface (name) VALUES (?)");
		sqlite3_bind_text(u, 1, names[i], -1, SQLITE_STATIC);
		ck_assert_int_eq(sqlite3_step(u), SQLITE_DONE);
	}
	const char *want[] = { "eth1", "eth2", "eth10", "GigabitEthernet0/2", "GigabitEthernet0/10" };
	sqlite3_stmt *q = pf_store_stmt(st, "SELECT name FROM interface ORDER BY name COLLATE natsort");
	for (size_t i = 0; i < 5; i++) {
		ck_assert_int_eq(sqlite3_step(q), SQLITE_ROW);
		ck_assert_str_eq((const char *)sqlite3_column_text(q, 0), want[i]);
	}
	sqlite3_reset(q);
	pf_store_close(st);
}
END_TEST

START_TEST(secrets)
{
	char h[256];
	ck_assert_int_eq(pf_secret_hash(PF_SECRET_SCRYPT, "s3cret", h, sizeof(h)), 0);
	ck_assert_int_eq(strncmp(h, "$9$", 3), 0);
	ck_assert_uint_eq(strlen(h), 3 + 14 + 1 + 43);
	ck_assert(pf_secret_verify(h, "s3cret"));
	ck_assert(!pf_secret_verify(h, "s3cre"));
	ck_assert(!strstr(h, "s3cret"));
	ck_assert_int_eq(pf_secret_hash(PF_SECRET_PBKDF2_SHA512, "s3cret", h, sizeof(h)), 0);
	ck_assert_int_eq(strncmp(h, "$sha512$5000$", 13), 0);
	ck_assert(pf_secret_verify(h, "s3cret"));
	ck_assert(!pf_secret_verify(h, "S3cret"));
	ck_assert_int_eq(pf_secret_hash(PF_SECRET_PBKDF2_SHA256, "s3cret", h, sizeof(h)), 0);
	ck_assert(pf_secret_verify(h, "s3cret"));
	/* two hashes of one password differ (salted) */
	char h2[256];
	pf_secret_hash(PF_SECRET_SCRYPT, "s3cret", h2, sizeof(h2));
	ck_assert_str_ne(h, h2);
	/* the PIX form: the well-known hashes of "" and "cisco" */
	ck_assert(pf_secret_verify("pix:8Ry2YjIyt7RRXU24", ""));
	ck_assert(pf_secret_verify("pix:2KFQnbNIdI.2KYOU", "cisco"));
	ck_assert(!pf_secret_verify("pix:2KFQnbNIdI.2KYOU", "cisc0"));
	/* garbage never verifies */
	ck_assert(!pf_secret_verify("$9$", ""));
	ck_assert(!pf_secret_verify("plain", "plain"));
}
END_TEST

Suite *store_suite(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("store");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, persist);
	tcase_add_test(tc, refuses_damaged_and_foreign);
	tcase_add_test(tc, atomic_save_under_kill);
	tcase_add_test(tc, natural_order);
	tcase_add_test(tc, upgrades_old_stores);
	tcase_add_test(tc, secrets);
	suite_add_tcase(s, tc);
	return s;
}
