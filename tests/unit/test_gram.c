/*
 * test_gram.c -- the grammar engine: abbreviation, ambiguity, carets, typed
 * arguments, help lists, completion, no-forms, pipes, `do`, unparse.
 *
 * Two kinds of grammar are used: the appliance's own command set (so the
 * tests see what users see) and small grammars built here to pin down one
 * feature of the engine each.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "grammar/gram.h"
#include "tests/unit/suites.h"

static int dummy_action;

static void *any_action(void *ctx, const char *name)
{
	(void)ctx;
	(void)name;
	return &dummy_action;
}

static struct gram *asa, *ios;
static struct gram_match *m;

static void setup(void)
{
	char err[256];
	asa = gram_build(GRAM_ASA, any_action, NULL, err, sizeof(err));
	ck_assert_msg(asa != NULL, "%s", err);
	ios = gram_build(GRAM_IOS, any_action, NULL, err, sizeof(err));
	ck_assert_msg(ios != NULL, "%s", err);
	m = malloc(sizeof(*m));
	ck_assert_ptr_nonnull(m);
}

static void teardown(void)
{
	gram_free(asa);
	gram_free(ios);
	free(m);
}

static void match(struct gram *g, enum gram_mode mode, const char *line)
{
	gram_match_line(g, mode, 15, line, m);
}

START_TEST(abbreviation)
{
	match(asa, GRAM_MODE_EXEC, "sh run");
	ck_assert_int_eq(m->status, GRAM_OK);
	ck_assert_ptr_nonnull(strstr(m->cmd->syntax, "show running-config"));
	match(asa, GRAM_MODE_EXEC, "conf t");
	ck_assert_int_eq(m->status, GRAM_OK);
	ck_assert_str_eq(m->cmd->action, "configure");
	match(ios, GRAM_MODE_EXEC, "wr mem");
	ck_assert_int_eq(m->status, GRAM_OK);
	ck_assert_str_eq(m->cmd->action, "write_memory");
	match(ios, GRAM_MODE_EXEC, "SHOW VERSION");
	ck_assert_int_eq(m->status, GRAM_OK);
}
END_TEST

START_TEST(ambiguity)
{
	/* ASA has show clock and show curpriv: "sh c" could be either */
	match(asa, GRAM_MODE_EXEC, "sh c");
	ck_assert_int_eq(m->status, GRAM_AMBIGUOUS);
	/* "n" is both the `no` prefix and nameif */
	match(asa, GRAM_MODE_IF, "n outside");
	ck_assert_int_eq(m->status, GRAM_AMBIGUOUS);
	/* an exact keyword wins over longer ones it abbreviates */
	match(asa, GRAM_MODE_IF, "no shutdown");
	ck_assert_int_eq(m->status, GRAM_OK);
}
END_TEST

START_TEST(incomplete)
{
	match(asa, GRAM_MODE_EXEC, "show");
	ck_assert_int_eq(m->status, GRAM_INCOMPLETE);
	match(ios, GRAM_MODE_EXEC, "configure");
	ck_assert_int_eq(m->status, GRAM_INCOMPLETE);
	match(ios, GRAM_MODE_IF, "ip address 10.0.0.1");
	ck_assert_int_eq(m->status, GRAM_INCOMPLETE);
}
END_TEST

START_TEST(carets)
{
	match(asa, GRAM_MODE_EXEC, "show runx");
	ck_assert_int_eq(m->status, GRAM_INVALID);
	ck_assert_uint_eq(m->col, 8); /* under the x */
	match(asa, GRAM_MODE_EXEC, "shw version");
	ck_assert_int_eq(m->status, GRAM_INVALID);
	ck_assert_uint_eq(m->col, 2);
	match(asa, GRAM_MODE_EXEC, "xyzzy");
	ck_assert_int_eq(m->status, GRAM_INVALID);
	ck_assert_uint_eq(m->col, 0);
	/* a number out of range: caret at the start of the number */
	match(asa, GRAM_MODE_IF, "security-level 101");
	ck_assert_int_eq(m->status, GRAM_INVALID);
	ck_assert_uint_eq(m->col, 15);
	/* a non-contiguous netmask */
	match(ios, GRAM_MODE_IF, "ip address 10.0.0.1 255.0.255.0");
	ck_assert_int_eq(m->status, GRAM_INVALID);
	ck_assert_uint_eq(m->col, 20);
	/* a bad address */
	match(ios, GRAM_MODE_IF, "ip address 10.0.0.256 255.0.0.0");
	ck_assert_int_eq(m->status, GRAM_INVALID);
	ck_assert_uint_eq(m->col, 11);
	/* extra words after a complete command */
	match(asa, GRAM_MODE_EXEC, "show version now");
	ck_assert_int_eq(m->status, GRAM_INVALID);
	ck_assert_uint_eq(m->col, 13);
	/* a command that needs privilege, at user level */
	gram_match_line(asa, GRAM_MODE_EXEC, 1, "configure terminal", m);
	ck_assert_int_eq(m->status, GRAM_INVALID);
	ck_assert_uint_eq(m->col, 0);
}
END_TEST

START_TEST(bad_bytes)
{
	match(asa, GRAM_MODE_EXEC, "show\x01version");
	ck_assert_int_eq(m->status, GRAM_INVALID);
	ck_assert_uint_eq(m->col, 4);
	match(asa, GRAM_MODE_EXEC, "show \xff");
	ck_assert_int_eq(m->status, GRAM_INVALID);
	ck_assert_uint_eq(m->col, 5);
	/* valid UTF-8 is fine inside a LINE */
	match(asa, GRAM_MODE_IF, "description caf\xc3\xa9 link");
	ck_assert_int_eq(m->status, GRAM_OK);
	char *big = malloc(GRAM_MAX_LINE + 10);
	ck_assert_ptr_nonnull(big);
	memset(big, 'a', GRAM_MAX_LINE + 9);
	big[GRAM_MAX_LINE + 9] = '\0';
	match(asa, GRAM_MODE_EXEC, big);
	ck_assert_int_eq(m->status, GRAM_TOO_LONG);
	free(big);
}
END_TEST

START_TEST(slots_and_line)
{
	match(asa, GRAM_MODE_IF, "ip address 192.0.2.1 255.255.255.0");
	ck_assert_int_eq(m->status, GRAM_OK);
	ck_assert_str_eq(m->slot[0], "192.0.2.1");
	ck_assert_str_eq(m->slot[1], "255.255.255.0");
	match(asa, GRAM_MODE_IF, "  description  to   the  WAN  ");
	ck_assert_int_eq(m->status, GRAM_OK);
	ck_assert_str_eq(m->slot[0], "to   the  WAN");
	match(ios, GRAM_MODE_CONFIG, "enable secret 9 $9$abc");
	ck_assert_int_eq(m->status, GRAM_OK);
	ck_assert_str_eq(m->slot[0], "9");
	ck_assert_str_eq(m->slot[1], "$9$abc");
	match(ios, GRAM_MODE_CONFIG, "enable secret s3cr3t");
	ck_assert_int_eq(m->status, GRAM_OK);
	ck_assert_ptr_null(m->slot[0]);
	ck_assert_str_eq(m->slot[1], "s3cr3t");
}
END_TEST

START_TEST(no_forms)
{
	match(asa, GRAM_MODE_CONFIG, "no hostname");
	ck_assert_int_eq(m->status, GRAM_OK);
	ck_assert(m->negated);
	match(asa, GRAM_MODE_IF, "no ip address");
	ck_assert_int_eq(m->status, GRAM_OK);
	ck_assert(m->negated);
	match(asa, GRAM_MODE_IF, "no ip address 10.0.0.1 255.0.0.0");
	ck_assert_int_eq(m->status, GRAM_OK);
	/* the row's identity cannot be left out */
	match(asa, GRAM_MODE_CONFIG, "no interface");
	ck_assert_int_eq(m->status, GRAM_INCOMPLETE);
	match(asa, GRAM_MODE_CONFIG, "no interface eth0");
	ck_assert_int_eq(m->status, GRAM_OK);
	/* `no` exists only in configuration modes */
	match(asa, GRAM_MODE_EXEC, "no hostname");
	ck_assert_int_eq(m->status, GRAM_INVALID);
}
END_TEST

START_TEST(do_and_pipe)
{
	match(asa, GRAM_MODE_IF, "do show version");
	ck_assert_int_eq(m->status, GRAM_OK);
	ck_assert(m->via_do);
	ck_assert_str_eq(m->cmd->action, "show_version");
	match(ios, GRAM_MODE_EXEC, "show running-config | include ^interface eth");
	ck_assert_int_eq(m->status, GRAM_OK);
	ck_assert_ptr_nonnull(m->pipe_cmd);
	ck_assert_str_eq(m->pipe_cmd->action, "pipe_include");
	ck_assert_str_eq(m->pipe_arg, "^interface eth");
	match(ios, GRAM_MODE_EXEC, "sh run | sec crypto");
	ck_assert_int_eq(m->status, GRAM_OK);
	ck_assert_str_eq(m->pipe_cmd->action, "pipe_section");
	match(ios, GRAM_MODE_EXEC, "show run |");
	ck_assert_int_eq(m->status, GRAM_INCOMPLETE);
	/* not after commands without output */
	match(ios, GRAM_MODE_EXEC, "write memory | include x");
	ck_assert_int_eq(m->status, GRAM_INVALID);
}
END_TEST

static bool has_item(const struct gram_help *h, const char *name)
{
	for (size_t i = 0; i < h->count; i++)
		if (strcmp(h->item[i].name, name) == 0)
			return true;
	return false;
}

START_TEST(help_lists)
{
	struct gram_help *h = malloc(sizeof(*h));
	ck_assert_ptr_nonnull(h);
	gram_help_line(asa, GRAM_MODE_EXEC, 15, "show ", h);
	ck_assert_int_eq(h->status, GRAM_OK);
	ck_assert(!h->partial);
	ck_assert(has_item(h, "running-config"));
	ck_assert(has_item(h, "version"));
	ck_assert(!has_item(h, "<cr>"));
	/* sorted */
	for (size_t i = 1; i < h->count; i++)
		ck_assert_int_lt(strcmp(h->item[i - 1].name, h->item[i].name), 0);
	gram_help_line(asa, GRAM_MODE_EXEC, 15, "show running-config ", h);
	ck_assert(has_item(h, "all"));
	ck_assert(has_item(h, "<cr>"));
	ck_assert_str_eq(h->item[h->count - 1].name, "<cr>");
	gram_help_line(asa, GRAM_MODE_EXEC, 15, "sh r", h);
	ck_assert(h->partial);
	ck_assert(has_item(h, "route") || has_item(h, "running-config"));
	for (size_t i = 0; i < h->count; i++)
		ck_assert_int_eq(h->item[i].name[0], 'r');
	gram_help_line(ios, GRAM_MODE_IF, 15, "ip address ", h);
	ck_assert_uint_eq(h->count, 1);
	ck_assert_str_eq(h->item[0].name, "A.B.C.D");
	ck_assert_str_eq(h->item[0].help, "IP address");
	gram_help_line(asa, GRAM_MODE_IF, 15, "security-level ", h);
	ck_assert_str_eq(h->item[0].name, "<0-100>");
	/* keywords of the root include the pseudo-keywords */
	gram_help_line(asa, GRAM_MODE_IF, 15, "", h);
	ck_assert(has_item(h, "no"));
	ck_assert(has_item(h, "do"));
	ck_assert(has_item(h, "nameif"));
	/* hidden commands are not listed */
	gram_help_line(asa, GRAM_MODE_CONFIG, 15, "", h);
	ck_assert(!has_item(h, "asa"));
	/* user level sees only user commands */
	gram_help_line(asa, GRAM_MODE_EXEC, 1, "", h);
	ck_assert(has_item(h, "enable"));
	ck_assert(!has_item(h, "configure"));
	/* an error before the cursor */
	gram_help_line(asa, GRAM_MODE_EXEC, 15, "shw ", h);
	ck_assert_int_eq(h->status, GRAM_INVALID);
	free(h);
}
END_TEST

START_TEST(completion)
{
	char out[64];
	ck_assert(gram_complete_line(asa, GRAM_MODE_EXEC, 15, "sh", out, sizeof(out)));
	ck_assert_str_eq(out, "ow ");
	ck_assert(gram_complete_line(asa, GRAM_MODE_EXEC, 15, "show runn", out, sizeof(out)));
	ck_assert_str_eq(out, "ing-config ");
	ck_assert(!gram_complete_line(asa, GRAM_MODE_EXEC, 15, "show c", out, sizeof(out)));
	ck_assert(!gram_complete_line(asa, GRAM_MODE_EXEC, 15, "zz", out, sizeof(out)));
}
END_TEST

/* `exit` must never fall through to the parent mode's exit (which would
 * leave configuration mode altogether) */
START_TEST(every_submode_has_exit)
{
	struct gram *gs[] = { asa, ios };
	for (int d = 0; d < 2; d++)
		for (int mode = GRAM_MODE_CONFIG; mode < GRAM_MODE_COUNT; mode++) {
			const char *name = d == 0 ? gram_modes[mode].name_asa : gram_modes[mode].name_ios;
			if (!gram_modes[mode].config || !name)
				continue;
			gram_match_line(gs[d], (enum gram_mode)mode, 15, "exit", m);
			ck_assert_msg(m->status == GRAM_OK && m->cmd->mode == (enum gram_mode)mode, "%s: exit", name);
			gram_match_line(gs[d], (enum gram_mode)mode, 15, "end", m);
			ck_assert_msg(m->status == GRAM_OK && m->cmd->mode == (enum gram_mode)mode, "%s: end", name);
		}
}
END_TEST

START_TEST(unparse_round_trip)
{
	const char *lines[] = { "ip address 192.0.2.1 255.255.255.0", "description to the WAN", "nameif outside",
				"security-level 100", "shutdown" };
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		match(asa, GRAM_MODE_IF, lines[i]);
		ck_assert_int_eq(m->status, GRAM_OK);
		char out[256];
		ck_assert_int_ge(gram_unparse(asa, m->cmd, m->slot, m->nslots, out, sizeof(out)), 0);
		ck_assert_str_eq(out, lines[i]);
	}
	char kw[64];
	match(asa, GRAM_MODE_IF, "ip address 192.0.2.1 255.255.255.0");
	gram_leading_keywords(asa, m->cmd, kw, sizeof(kw));
	ck_assert_str_eq(kw, "ip address");
}
END_TEST

/* ---- small grammars for single features ---- */

static const struct gram_cmd test_cmds[] = {
	{ GRAM_MODE_CONFIG, GRAM_BOTH, "encryption {des|3des|aes=aes-128|aes-192|aes-256}",
	  "Set encryption\nDES\n3DES\nAES-128\nAES-192\nAES-256", GRAM_F_NO, .table = "t", .set = "enc=$1" },
	{ GRAM_MODE_CONFIG, GRAM_BOTH, "lifetime {<120-2147483647>|none}", "Lifetime\nSeconds\nNo lifetime",
	  GRAM_F_NO, .table = "t", .set = "life=$1" },
	{ GRAM_MODE_CONFIG, GRAM_BOTH, "peer set A.B.C.D*3", "Peer\nSet peers\nPeer address", GRAM_F_NO,
	  .table = "t", .keys = "id=1", .set = "peers=$1" },
	{ GRAM_MODE_CONFIG, GRAM_BOTH, "rule {permit|deny} {any|host A.B.C.D|A.B.C.D MASK} [log]",
	  "Rule\nPermit\nDeny\nAny\nA host\nHost address\nNetwork\nNetmask\nLog matches", GRAM_F_NO_FULL },
	{ GRAM_MODE_CONFIG, GRAM_BOTH, "peer show", "\nShow peers", 0 },
	{ GRAM_MODE_CONFIG, GRAM_BOTH, "cipher {des|aes=aes-128|aes 192=aes-192|aes 256=aes-256} [fast]",
	  "Cipher\nDES\nAES\nAES\n192-bit keys\nAES\n256-bit keys\nFast", GRAM_F_NO, .table = "t", .set = "c=$1" },
	{ GRAM_MODE_CONFIG, GRAM_BOTH, "transform@xform {des|3des}", "Transform\nDES\n3DES", GRAM_F_NO,
	  .table = "t", .set = "e=$1" },
	{ GRAM_MODE_CONFIG, GRAM_BOTH, "ciphers {des|aes=aes-128|aes 256=aes-256}*3",
	  "Ciphers\nDES\nAES\nAES\n256-bit keys", GRAM_F_NO, .table = "t", .set = "cs=$1" },
};
static const struct gram_cmd_list test_list = { test_cmds, sizeof(test_cmds) / sizeof(test_cmds[0]) };

START_TEST(feature_grammar)
{
	const struct gram_cmd_list *lists[] = { &test_list };
	char err[256];
	struct gram *g = gram_build_lists(lists, 1, GRAM_ASA, any_action, NULL, err, sizeof(err));
	ck_assert_msg(g != NULL, "%s", err);
	char out[256];

	/* keyword values */
	gram_match_line(g, GRAM_MODE_CONFIG, 15, "encr aes", m);
	ck_assert_int_eq(m->status, GRAM_OK);
	ck_assert_str_eq(m->slot[0], "aes-128");
	ck_assert_int_ge(gram_unparse(g, m->cmd, m->slot, m->nslots, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "encryption aes");
	/* "aes" is exact: it is not ambiguous with aes-192 */
	gram_match_line(g, GRAM_MODE_CONFIG, 15, "encryption aes-2", m);
	ck_assert_int_eq(m->status, GRAM_OK);
	ck_assert_str_eq(m->slot[0], "aes-256");
	gram_match_line(g, GRAM_MODE_CONFIG, 15, "encryption aes-", m);
	ck_assert_int_eq(m->status, GRAM_AMBIGUOUS);

	/* an alternation of a number and a keyword is one slot */
	gram_match_line(g, GRAM_MODE_CONFIG, 15, "lifetime none", m);
	ck_assert_str_eq(m->slot[0], "none");
	gram_match_line(g, GRAM_MODE_CONFIG, 15, "lifetime 86400", m);
	ck_assert_str_eq(m->slot[0], "86400");
	gram_match_line(g, GRAM_MODE_CONFIG, 15, "lifetime 100", m);
	ck_assert_int_eq(m->status, GRAM_INVALID);
	ck_assert_uint_eq(m->col, 9);

	/* repetition, with its limit */
	gram_match_line(g, GRAM_MODE_CONFIG, 15, "peer set 10.0.0.1 10.0.0.2 10.0.0.3", m);
	ck_assert_int_eq(m->status, GRAM_OK);
	ck_assert_str_eq(m->slot[0], "10.0.0.1 10.0.0.2 10.0.0.3");
	ck_assert_int_ge(gram_unparse(g, m->cmd, m->slot, m->nslots, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "peer set 10.0.0.1 10.0.0.2 10.0.0.3");
	gram_match_line(g, GRAM_MODE_CONFIG, 15, "peer set 10.0.0.1 10.0.0.2 10.0.0.3 10.0.0.4", m);
	ck_assert_int_eq(m->status, GRAM_INVALID);
	ck_assert_uint_eq(m->col, 36);
	/* `peer` is shared by two commands: s abbreviates set and show */
	gram_match_line(g, GRAM_MODE_CONFIG, 15, "peer s", m);
	ck_assert_int_eq(m->status, GRAM_AMBIGUOUS);
	/* the no form may stop after the keywords */
	gram_match_line(g, GRAM_MODE_CONFIG, 15, "no peer set", m);
	ck_assert_int_eq(m->status, GRAM_OK);
	ck_assert(m->negated);

	/* alternation of sequences, optional flag */
	gram_match_line(g, GRAM_MODE_CONFIG, 15, "rule permit host 10.1.1.1 log", m);
	ck_assert_int_eq(m->status, GRAM_OK);
	ck_assert_str_eq(m->slot[0], "permit");
	ck_assert_str_eq(m->slot[1], "10.1.1.1");
	ck_assert_ptr_null(m->slot[2]);
	ck_assert_str_eq(m->slot[4], "log");
	ck_assert_int_ge(gram_unparse(g, m->cmd, m->slot, m->nslots, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "rule permit host 10.1.1.1 log");
	gram_match_line(g, GRAM_MODE_CONFIG, 15, "rule deny 10.0.0.0 255.0.0.0", m);
	ck_assert_int_eq(m->status, GRAM_OK);
	ck_assert_int_ge(gram_unparse(g, m->cmd, m->slot, m->nslots, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "rule deny 10.0.0.0 255.0.0.0");
	gram_match_line(g, GRAM_MODE_CONFIG, 15, "rule deny any", m);
	ck_assert_int_ge(gram_unparse(g, m->cmd, m->slot, m->nslots, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "rule deny any");
	/* keyword runs: one slot, the value of the alternative */
	const char *runs[][2] = { { "cipher aes", "aes-128" }, { "cipher aes 256", "aes-256" },
				  { "cipher aes 192 fast", "aes-192" }, { "cipher des", "des" } };
	for (size_t i = 0; i < 4; i++) {
		gram_match_line(g, GRAM_MODE_CONFIG, 15, runs[i][0], m);
		ck_assert_int_eq(m->status, GRAM_OK);
		ck_assert_str_eq(m->slot[0], runs[i][1]);
		ck_assert_int_ge(gram_unparse(g, m->cmd, m->slot, m->nslots, out, sizeof(out)), 0);
		ck_assert_str_eq(out, runs[i][0]);
	}
	gram_match_line(g, GRAM_MODE_CONFIG, 15, "cipher aes 512", m);
	ck_assert_int_eq(m->status, GRAM_INVALID);
	ck_assert_uint_eq(m->col, 11);
	gram_match_line(g, GRAM_MODE_CONFIG, 15, "ciphers aes 256 des aes", m);
	ck_assert_int_eq(m->status, GRAM_OK);
	ck_assert_str_eq(m->slot[0], "aes-256 des aes-128");
	ck_assert_int_ge(gram_unparse(g, m->cmd, m->slot, m->nslots, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "ciphers aes 256 des aes");

	/* a keyword the running-config spells differently */
	gram_match_line(g, GRAM_MODE_CONFIG, 15, "transform 3des", m);
	ck_assert_int_eq(m->status, GRAM_OK);
	ck_assert_int_ge(gram_unparse(g, m->cmd, m->slot, m->nslots, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "xform 3des");
	gram_match_line(g, GRAM_MODE_CONFIG, 15, "trans des", m);
	ck_assert_int_eq(m->status, GRAM_OK);

	/* a full no form */
	gram_match_line(g, GRAM_MODE_CONFIG, 15, "no rule deny", m);
	ck_assert_int_eq(m->status, GRAM_INCOMPLETE);
	gram_match_line(g, GRAM_MODE_CONFIG, 15, "no rule deny any", m);
	ck_assert_int_eq(m->status, GRAM_OK);
	gram_free(g);
}
END_TEST

static const struct gram_cmd bad_cmds[] = {
	{ GRAM_MODE_CONFIG, GRAM_BOTH, "broken {a|b", "x\ny\nz", 0 },
};
static const struct gram_cmd_list bad_list = { bad_cmds, 1 };
static const struct gram_cmd nohelp_cmds[] = {
	{ GRAM_MODE_CONFIG, GRAM_BOTH, "lonely WORD", "Lonely", 0 },
};
static const struct gram_cmd_list nohelp_list = { nohelp_cmds, 1 };

START_TEST(bad_definitions)
{
	char err[256];
	const struct gram_cmd_list *l1[] = { &bad_list };
	ck_assert_ptr_null(gram_build_lists(l1, 1, GRAM_ASA, any_action, NULL, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "broken"));
	const struct gram_cmd_list *l2[] = { &nohelp_list };
	ck_assert_ptr_null(gram_build_lists(l2, 1, GRAM_ASA, any_action, NULL, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "no help"));
}
END_TEST

Suite *gram_suite(void)
{
	Suite *s = suite_create("grammar");
	TCase *tc = tcase_create("matcher");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, abbreviation);
	tcase_add_test(tc, ambiguity);
	tcase_add_test(tc, incomplete);
	tcase_add_test(tc, carets);
	tcase_add_test(tc, bad_bytes);
	tcase_add_test(tc, slots_and_line);
	tcase_add_test(tc, no_forms);
	tcase_add_test(tc, do_and_pipe);
	tcase_add_test(tc, help_lists);
	tcase_add_test(tc, completion);
	tcase_add_test(tc, every_submode_has_exit);
	tcase_add_test(tc, unparse_round_trip);
	tcase_add_test(tc, feature_grammar);
	tcase_add_test(tc, bad_definitions);
	suite_add_tcase(s, tc);
	return s;
}
