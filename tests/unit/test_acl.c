/*
 * test_acl.c -- access lists, object groups and routes (grammar/cmds_acl.c,
 * cli/cli_acl.c): port names parse to numbers and print back by the name the
 * device prints; IOS wildcards are stored as netmasks with the host bits
 * cleared; the ASA refuses what it refuses, with its messages; and what
 * `show running-config` prints pastes back into a fresh appliance to the same
 * configuration, in both personalities.
 *
 * The grammar tests build the command lists themselves; the session tests run
 * lines through a whole appliance (no startup file, nothing applied to the
 * host), as a console would.
 */
#include <check.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"
#include "grammar/gram.h"
#include "platform/pf_store.h"
#include "tests/unit/suites.h"

Suite *acl_suite(void);

extern const struct gram_cmd_list gram_list_exec, gram_list_base, gram_list_acl;

/* ---- the grammar: port names ---- */

static int dummy_action;

static void *any_action(void *ctx, const char *name)
{
	(void)ctx;
	(void)name;
	return &dummy_action;
}

static const struct gram_cmd *find_def(const char *action)
{
	for (size_t i = 0; i < gram_list_acl.count; i++)
		if (gram_list_acl.cmds[i].action && strcmp(gram_list_acl.cmds[i].action, action) == 0)
			return &gram_list_acl.cmds[i];
	return NULL;
}

/* Every "name=number" keyword of the first port alternation in a syntax,
 * in order, as "name number" pairs. */
static int port_names(const char *syntax, char names[][32], long numbers[], int max)
{
	const char *p = strstr(syntax, "{<0-65535>|");
	ck_assert_ptr_nonnull(p);
	const char *end = strchr(p, '}');
	int n = 0;
	for (p += strlen("{<0-65535>|"); p < end && n < max;) {
		size_t len = strcspn(p, "|}");
		const char *eq = memchr(p, '=', len);
		ck_assert_ptr_nonnull(eq);
		snprintf(names[n], sizeof(names[n]), "%.*s", (int)(eq - p), p);
		numbers[n] = atol(eq + 1);
		n++;
		p += len + 1;
	}
	return n;
}

/* Each port name parses to its number, and the line prints back with the
 * first name the alternation gives that number (the device's choice). */
static void check_ports(unsigned dialect, const char *action, const char *prefix, int port_slot)
{
	const struct gram_cmd_list *lists[] = { &gram_list_exec, &gram_list_base, &gram_list_acl };
	char err[256];
	struct gram *g = gram_build_lists(lists, 3, dialect, any_action, NULL, err, sizeof(err));
	ck_assert_msg(g != NULL, "%s", err);
	struct gram_match *m = malloc(sizeof(*m));
	ck_assert_ptr_nonnull(m);
	const struct gram_cmd *def = find_def(action);
	ck_assert_ptr_nonnull(def);
	char names[128][32];
	long numbers[128];
	int n = port_names(def->syntax, names, numbers, 128);
	ck_assert_int_gt(n, 20);
	for (int i = 0; i < n; i++) {
		char line[256], out[512], want[64];
		snprintf(line, sizeof(line), "%s eq %s", prefix, names[i]);
		gram_match_line(g, GRAM_MODE_CONFIG, 15, line, m);
		ck_assert_msg(m->status == GRAM_OK, "%s: status %d", line, m->status);
		ck_assert_ptr_nonnull(m->slot[port_slot]);
		ck_assert_int_eq(atol(m->slot[port_slot]), numbers[i]);
		int first = i;
		for (int k = 0; k < i; k++)
			if (numbers[k] == numbers[i]) {
				first = k;
				break;
			}
		ck_assert_int_ge(gram_unparse(g, m->cmd, m->slot, m->nslots, out, sizeof(out)), 0);
		snprintf(want, sizeof(want), " eq %s", names[first]);
		ck_assert_msg(strstr(out, want) != NULL, "%s printed as %s", line, out);
	}
	free(m);
	gram_free(g);
}

START_TEST(asa_port_names)
{
	check_ports(GRAM_ASA, "acl_asa_tcp", "access-list T extended permit tcp any any", 18);
	check_ports(GRAM_ASA, "acl_asa_udp", "access-list T extended permit udp any any", 18);
}
END_TEST

START_TEST(ios_port_names)
{
	check_ports(GRAM_IOS, "acl_ios_num_tcp", "access-list 101 permit tcp any any", 15);
	check_ports(GRAM_IOS, "acl_ios_num_udp", "access-list 101 permit udp any any", 15);
}
END_TEST

/* ---- sessions ---- */

struct output {
	char *p;
	size_t n, cap;
};

static void collect(void *arg, const char *p, size_t n)
{
	struct output *o = arg;
	if (o->n + n + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 4096;
		while (cap < o->n + n + 1)
			cap *= 2;
		char *np = realloc(o->p, cap);
		ck_assert_ptr_nonnull(np);
		o->p = np;
		o->cap = cap;
	}
	memcpy(o->p + o->n, p, n);
	o->n += n;
	o->p[o->n] = '\0';
}

struct console {
	struct cli_app *app;
	struct cli_session *s;
	struct output out;
};

static void console_open(struct console *c, unsigned dialect)
{
	memset(c, 0, sizeof(*c));
	struct cli_app_options o = { .dialect = dialect, .host_apply = false };
	char err[256];
	c->app = cli_app_new(&o, err, sizeof(err));
	ck_assert_msg(c->app != NULL, "%s", err);
	c->s = cli_session_new(c->app, collect, &c->out);
	ck_assert_ptr_nonnull(c->s);
	c->s->pager_lines = 0;
}

static void console_close(struct console *c)
{
	cli_session_free(c->s);
	cli_app_free(c->app);
	free(c->out.p);
}

/* The output of one line. */
static const char *type(struct console *c, const char *line)
{
	c->out.n = 0;
	if (c->out.p)
		c->out.p[0] = '\0';
	cli_session_line(c->s, line);
	return c->out.p ? c->out.p : "";
}

static void type_all(struct console *c, const char *const *lines)
{
	for (size_t i = 0; lines[i]; i++) {
		const char *out = type(c, lines[i]);
		ck_assert_msg(out[0] == '\0', "\"%s\" printed \"%s\"", lines[i], out);
	}
}

static long store_long(struct console *c, const char *sql)
{
	sqlite3_stmt *q = pf_store_stmt(c->app->store, sql);
	ck_assert_ptr_nonnull(q);
	long v = sqlite3_step(q) == SQLITE_ROW ? (long)sqlite3_column_int64(q, 0) : -1;
	sqlite3_reset(q);
	return v;
}

static void store_text(struct console *c, const char *sql, char *out, size_t len)
{
	sqlite3_stmt *q = pf_store_stmt(c->app->store, sql);
	ck_assert_ptr_nonnull(q);
	out[0] = '\0';
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
		snprintf(out, len, "%s", (const char *)sqlite3_column_text(q, 0));
	sqlite3_reset(q);
}

/* A column of the entry of list 101 with sequence number seq. */
static void entry_text(struct console *c, long seq, const char *col, char *out, size_t len)
{
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT %s FROM acl_entry WHERE acl = '101' AND seq = %ld AND action <> 'remark'",
		 col, seq);
	store_text(c, sql, out, len);
}

/* The sections this code renders, as one text (show running-config SECTION). */
static char *my_sections(struct console *c)
{
	static const char *const sections[] = { "object-group", "access-list", "route" };
	size_t len = 0;
	char *all = calloc(1, 1);
	ck_assert_ptr_nonnull(all);
	for (size_t i = 0; i < 3; i++) {
		char cmd[64];
		snprintf(cmd, sizeof(cmd), "show running-config %s", sections[i]);
		const char *out = type(c, cmd);
		char *grown = realloc(all, len + strlen(out) + 1);
		ck_assert_ptr_nonnull(grown);
		all = grown;
		memcpy(all + len, out, strlen(out) + 1);
		len += strlen(out);
	}
	return all;
}

/* Paste the rendered sections into a fresh appliance and check that they
 * render the same there. */
static void check_round_trip(unsigned dialect, const char *config)
{
	struct console c;
	console_open(&c, dialect);
	type(&c, "enable");
	type(&c, "configure terminal");
	char *copy = strdup(config);
	ck_assert_ptr_nonnull(copy);
	for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n")) {
		const char *out = type(&c, line);
		ck_assert_msg(out[0] == '\0', "\"%s\" printed \"%s\"", line, out);
	}
	free(copy);
	type(&c, "end");
	char *again = my_sections(&c);
	ck_assert_str_eq(again, config);
	free(again);
	console_close(&c);
}

START_TEST(ios_wildcards_and_round_trip)
{
	struct console c;
	console_open(&c, GRAM_IOS);
	type(&c, "enable");
	type(&c, "configure terminal");
	static const char *const lines[] = {
		"object-group network SITES",
		" host 192.0.2.10",
		" 10.20.0.0 255.255.0.0",
		"exit",
		"access-list 10 permit 10.1.1.0 0.0.0.255",
		"access-list 10 deny host 10.1.1.99",
		"access-list 101 remark VPN traffic",
		"access-list 101 permit ip 10.1.1.7 0.0.0.255 any",
		"access-list 101 deny tcp host 10.2.2.2 10.3.0.0 0.0.255.255 eq 443 log",
		"access-list 101 permit ip 10.5.5.5 0.0.0.0 0.0.0.0 255.255.255.255",
		"access-list 101 permit ip object-group SITES any",
		"ip access-list extended NAMED",
		" permit udp any any eq isakmp",
		" 15 deny ip any any",
		" remark last",
		"exit",
		"ip route 0.0.0.0 0.0.0.0 203.0.113.1",
		"ip route 10.9.0.0 255.255.0.0 203.0.113.9 200",
		"end",
		NULL,
	};
	type_all(&c, lines);
	char text[64];
	entry_text(&c, 10, "src_mask", text, sizeof(text));
	ck_assert_str_eq(text, "255.255.255.0");
	entry_text(&c, 10, "src_addr", text, sizeof(text));
	ck_assert_str_eq(text, "10.1.1.0");
	entry_text(&c, 20, "dst_mask", text, sizeof(text));
	ck_assert_str_eq(text, "255.255.0.0");
	entry_text(&c, 20, "dst_port1", text, sizeof(text));
	ck_assert_str_eq(text, "443");
	entry_text(&c, 30, "src_kind || '/' || dst_kind", text, sizeof(text));
	ck_assert_str_eq(text, "host/any");

	char *config = my_sections(&c);
	ck_assert_ptr_nonnull(strstr(config, "\nip access-list extended NAMED\n permit udp any any eq isakmp\n"
					     " deny   ip any any\n remark last\n!\n"));
	ck_assert_ptr_nonnull(strstr(config, "\naccess-list 10 permit 10.1.1.0 0.0.0.255\n"
					     "access-list 10 deny   10.1.1.99\n"
					     "access-list 101 remark VPN traffic\n"
					     "access-list 101 permit ip 10.1.1.0 0.0.0.255 any\n"
					     "access-list 101 deny   tcp host 10.2.2.2 10.3.0.0 0.0.255.255 eq 443 log\n"
					     "access-list 101 permit ip host 10.5.5.5 any\n"
					     "access-list 101 permit ip object-group SITES any\n"));
	ck_assert_ptr_nonnull(strstr(config, "\nip route 0.0.0.0 0.0.0.0 203.0.113.1\n"
					     "ip route 10.9.0.0 255.255.0.0 203.0.113.9 200\n"));
	ck_assert_str_eq(type(&c, "show access-lists NAMED"),
			 "Extended IP access list NAMED\n"
			 "    10 permit udp any any eq isakmp\n"
			 "    15 deny ip any any\n");
	ck_assert_str_eq(type(&c, "show access-lists 10"),
			 "Standard IP access list 10\n"
			 "    10 permit 10.1.1.0, wildcard bits 0.0.0.255\n"
			 "    20 deny   10.1.1.99\n");
	/* `no access-list N ...` removes the whole numbered list */
	type(&c, "configure terminal");
	ck_assert_str_eq(type(&c, "no access-list 101 permit ip any any"), "");
	ck_assert_int_eq(store_long(&c, "SELECT count(*) FROM acl WHERE name = '101'"), 0);
	console_close(&c);

	check_round_trip(GRAM_IOS, config);
	free(config);
}
END_TEST

START_TEST(asa_checks_and_round_trip)
{
	struct console c;
	console_open(&c, GRAM_ASA);
	type(&c, "enable");
	type(&c, "configure terminal");
	ck_assert_str_eq(type(&c, "access-list T extended permit ip 10.1.1.1 255.255.255.0 any"),
			 "ERROR: IP address,mask <10.1.1.1,255.255.255.0> doesn't pair\n");
	ck_assert_str_eq(type(&c, "access-list T extended permit ip object-group G any"),
			 "ERROR: specified object group <G> not found\n");
	ck_assert_int_eq(store_long(&c, "SELECT count(*) FROM acl"), 0);
	ck_assert_int_eq(store_long(&c, "SELECT count(*) FROM acl_entry"), 0);

	static const char *const lines[] = {
		"object-group network G",
		" description servers",
		" network-object host 10.0.0.1",
		" network-object 10.0.1.0 255.255.255.0",
		"exit",
		"access-list T extended permit tcp object-group G any eq 443",
		"access-list T extended permit ip 10.2.2.2 255.255.255.255 any log",
		"access-list T line 1 remark top",
		"access-list T line 3 extended deny udp any any range 500 4500 inactive",
		"route outside 0.0.0.0 0.0.0.0 203.0.113.1",
		NULL,
	};
	type_all(&c, lines);
	ck_assert_str_eq(type(&c, "no object-group network G"),
			 "Removing object-group (G) not allowed, it is being used.\n");
	ck_assert_str_eq(type(&c, "access-list T extended permit tcp object-group G any eq https"),
			 "WARNING: <T> found duplicate element\n");
	ck_assert_str_eq(type(&c, "show running-config access-list"),
			 "access-list T remark top\n"
			 "access-list T extended permit tcp object-group G any eq https\n"
			 "access-list T extended deny udp any any range isakmp 4500 inactive\n"
			 "access-list T extended permit ip host 10.2.2.2 any log\n");
	const char *shown = type(&c, "show access-list T");
	ck_assert_ptr_nonnull(strstr(shown, "\naccess-list T; 4 elements; name hash: 0x"));
	ck_assert_ptr_nonnull(strstr(shown, "\naccess-list T line 1 remark top\n"));
	ck_assert_ptr_nonnull(strstr(shown, "\n  access-list T line 2 extended permit tcp host 10.0.0.1 any eq https "
					    "(hitcnt=0) 0x"));
	ck_assert_ptr_nonnull(strstr(shown, "\naccess-list T line 3 extended deny udp any any range isakmp 4500 "
					    "inactive (hitcnt=0) (inactive) 0x"));
	ck_assert_ptr_nonnull(strstr(shown, "\naccess-list T line 4 extended permit ip host 10.2.2.2 any log "
					    "informational interval 300 (hitcnt=0) 0x"));
	type(&c, "end");
	char *config = my_sections(&c);
	console_close(&c);
	check_round_trip(GRAM_ASA, config);
	free(config);
}
END_TEST

/* One line of every entry shape: each handler finds its slot layout. */
START_TEST(every_shape)
{
	static const char *const asa[] = {
		"access-list A extended permit ip any any",
		"access-list A extended permit tcp any eq 1 any eq 2",
		"access-list A extended permit udp any range 1 2 any range 3 4",
		"access-list A extended permit icmp any any echo",
		"access-list A line 1 remark x",
		"access-list S standard permit host 10.0.0.1",
		"route outside 0.0.0.0 0.0.0.0 192.0.2.1",
		NULL,
	};
	static const char *const ios[] = {
		"access-list 1 permit any log",
		"access-list 100 permit ip any any",
		"access-list 100 permit tcp any eq 1 any eq 2 established",
		"access-list 100 permit udp any range 1 2 any range 3 4",
		"access-list 100 permit icmp any any echo",
		"access-list 100 remark x",
		"ip access-list extended E",
		" permit ip any any",
		" permit tcp any any eq 2",
		" permit udp any any eq 3",
		" permit icmp any any 8",
		" remark x",
		" no 10",
		"ip access-list standard S",
		" permit 10.0.0.1",
		" remark x",
		"ip route 0.0.0.0 0.0.0.0 192.0.2.1",
		NULL,
	};
	struct console c;
	for (int d = 0; d < 2; d++) {
		console_open(&c, d == 0 ? GRAM_ASA : GRAM_IOS);
		type(&c, "enable");
		type(&c, "configure terminal");
		type_all(&c, d == 0 ? asa : ios);
		ck_assert_int_eq(store_long(&c, "SELECT count(*) FROM acl_entry"), (d == 0 ? 6 : 12));
		console_close(&c);
	}
}
END_TEST

Suite *acl_suite(void)
{
	Suite *s = suite_create("acl");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, asa_port_names);
	tcase_add_test(tc, ios_port_names);
	tcase_add_test(tc, ios_wildcards_and_round_trip);
	tcase_add_test(tc, asa_checks_and_round_trip);
	tcase_add_test(tc, every_shape);
	suite_add_tcase(s, tc);
	return s;
}
