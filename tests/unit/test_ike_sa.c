/*
 * test_ike_sa.c -- Main Mode between two in-memory SAs: completion with
 * agreeing keys over MODP and ECP groups, and the failures an engineer
 * troubleshoots (no matching policy, wrong pre-shared key) with the state the
 * device would show and the reason.
 */
#include <check.h>
#include <string.h>

#include "ikecore/ike_sa.h"
#include "tests/unit/suites.h"

static int psk_a(void *ctx, uint32_t peer, uint8_t *out, size_t len)
{
	(void)peer;
	const char *k = ctx;
	size_t n = strlen(k);
	if (n > len)
		return -1;
	memcpy(out, k, n);
	return (int)n;
}

struct run {
	struct ike_p1 i, r;
	int rc;
};

/* Drive both sides until one fails or both are done. */
static void mm_run(struct run *t, const struct ike_p1_params *ip, size_t ni, const struct ike_p1_params *rp,
		   size_t nr, const char *ikey, const char *rkey)
{
	struct ike_p1_config ic = { ip, ni, 0x0a000001, 0x0a000002, psk_a, (void *)ikey };
	struct ike_p1_config rc = { rp, nr, 0x0a000002, 0x0a000001, psk_a, (void *)rkey };
	struct ike_buf m;
	ck_assert_int_eq(ike_p1_initiate(&t->i, &ic, &m), 0);
	struct ike_msg m1;
	char why[128];
	ck_assert_int_eq(ike_msg_parse(m.p, m.len, &m1, why, sizeof(why)), 0);
	struct ike_buf reply;
	t->rc = ike_p1_respond(&t->r, &rc, &m1, &reply);
	ike_buf_free(&m);
	if (t->rc < 0)
		return;
	struct ike_p1 *to = &t->i, *from = &t->r;
	for (int step = 0; step < 6; step++) {
		struct ike_buf next;
		ike_buf_init(&next);
		int r = ike_p1_receive(to, reply.p, reply.len, &next);
		ike_buf_free(&reply);
		if (r < 0) {
			t->rc = -1;
			ike_buf_free(&next);
			return;
		}
		if (r == 0)
			break;
		reply = next;
		struct ike_p1 *tmp = to;
		to = from;
		from = tmp;
	}
	t->rc = 0;
}

static struct ike_p1_params pol(int prio, const char *enc, const char *hash, const char *group)
{
	struct ike_p1_params p;
	char why[64];
	ike_policy_from_config(prio, enc, hash, "pre-share", group, "86400", &ike_policy_default_asa, &p, why,
			       sizeof(why));
	return p;
}

START_TEST(main_mode_completes)
{
	static const char *cases[][3] = { { "aes-256", "sha", "14" }, { "3des", "sha", "2" }, { "aes", "sha256", "19" },
					  { "aes-192", "sha384", "20" }, { "aes-256", "sha512", "5" } };
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct ike_p1_params ip[] = { pol(10, cases[c][0], cases[c][1], cases[c][2]) };
		struct ike_p1_params rp[] = { pol(5, "des", "md5", "1"), pol(10, cases[c][0], cases[c][1], cases[c][2]) };
		static struct run t;
		mm_run(&t, ip, 1, rp, 2, "s3cret", "s3cret");
		ck_assert_msg(t.rc == 0, "%s/%s/%s: %s | %s", cases[c][0], cases[c][1], cases[c][2], t.i.reason, t.r.reason);
		ck_assert_int_eq(t.i.state, IKE_P1_COMPLETE);
		ck_assert_int_eq(t.r.state, IKE_P1_COMPLETE);
		ck_assert_str_eq(ike_state_ios(t.i.state), "QM_IDLE");
		ck_assert_str_eq(ike_state_asa(t.r.state), "MM_ACTIVE");
		ck_assert_uint_eq(t.i.keys.len, t.r.keys.len);
		ck_assert_int_eq(memcmp(t.i.keys.skeyid_d, t.r.keys.skeyid_d, t.i.keys.len), 0);
		ck_assert_int_eq(memcmp(t.i.keys.skeyid_a, t.r.keys.skeyid_a, t.i.keys.len), 0);
		ck_assert_int_eq(memcmp(t.i.iv, t.r.iv, 8), 0); /* the CBC chains agree */
		ck_assert_int_eq(t.r.params.priority, 10);
		ike_p1_free(&t.i);
		ike_p1_free(&t.r);
	}
}
END_TEST

START_TEST(wrong_psk)
{
	struct ike_p1_params p[] = { pol(10, "aes-256", "sha", "14") };
	static struct run t;
	mm_run(&t, p, 1, p, 1, "s3cret", "S3cret");
	ck_assert_int_lt(t.rc, 0);
	ck_assert_int_eq(t.r.state, IKE_R_MM5);
	ck_assert_str_eq(ike_state_ios(t.r.state), "MM_KEY_EXCH");
	ck_assert_str_eq(ike_state_ios(t.i.state), "MM_KEY_EXCH"); /* the initiator waits for message 6 */
	ck_assert_msg(strstr(t.r.reason, "pre-shared key mismatch") != NULL, "%s", t.r.reason);
	ike_p1_free(&t.i);
	ike_p1_free(&t.r);
}
END_TEST

START_TEST(no_matching_policy)
{
	struct ike_p1_params ip[] = { pol(10, "aes-256", "sha", "14") };
	struct ike_p1_params rp[] = { pol(10, "aes-256", "sha", "5") };
	static struct run t;
	mm_run(&t, ip, 1, rp, 1, "k", "k");
	ck_assert_int_lt(t.rc, 0);
	ck_assert_int_eq(t.r.state, IKE_R_MM1);
	ck_assert_str_eq(ike_state_ios(t.r.state), "MM_NO_STATE");
	ck_assert_msg(strstr(t.r.reason, "DH group: offered group 14, policy 10 has group 5") != NULL, "%s",
		      t.r.reason);
	ike_p1_free(&t.i);
	ike_p1_free(&t.r);
}
END_TEST

Suite *ike_sa_suite(void)
{
	Suite *s = suite_create("ike_sa");
	TCase *tc = tcase_create("main mode");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, main_mode_completes);
	tcase_add_test(tc, wrong_psk);
	tcase_add_test(tc, no_matching_policy);
	suite_add_tcase(s, tc);
	return s;
}
