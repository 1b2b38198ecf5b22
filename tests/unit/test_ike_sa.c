/*
 * test_ike_sa.c -- Main Mode between two in-memory SAs: completion with
 * agreeing keys over MODP and ECP groups, and the failures an engineer
 * troubleshoots (no matching policy, wrong pre-shared key) with the state the
 * device would show and the reason.
 */
#include <check.h>
#include <string.h>

#include "ikecore/ike_info.h"
#include "ikecore/ike_quick.h"
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
	bool nat;               /* a NAT between: the responder sees the initiator as 198.51.100.7:1024 */
	bool aggressive;        /* Aggressive Mode instead of Main Mode */
};

/* Drive both sides until one fails or both are done. */
static void mm_run(struct run *t, const struct ike_p1_params *ip, size_t ni, const struct ike_p1_params *rp,
		   size_t nr, const char *ikey, const char *rkey)
{
	struct ike_p1_config ic = { .policies = ip, .npolicies = ni, .local_addr = 0x0a000001, .peer_addr = 0x0a000002,
				    .local_port = 500, .peer_port = 500, .psk_for = psk_a, .ctx = (void *)ikey };
	struct ike_p1_config rc = { .policies = rp, .npolicies = nr, .local_addr = 0x0a000002,
				    .peer_addr = t->nat ? 0xc6336407 : 0x0a000001, .local_port = 500,
				    .peer_port = t->nat ? 1024 : 500, .psk_for = psk_a, .ctx = (void *)rkey };
	struct ike_buf m;
	if (t->aggressive)
		ck_assert_int_eq(ike_p1_initiate_aggressive(&t->i, &ic, 0, &m), 0);
	else
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
		ck_assert_int_eq(t.i.natt, IKE_NATT_RFC);
		ck_assert(!ike_p1_nat_detected(&t.i) && !ike_p1_nat_detected(&t.r));
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

static struct ike_selector net(uint32_t a, int bits)
{
	return (struct ike_selector){ .net = a, .mask = ~0u << (32 - bits) };
}

/* Quick Mode over a completed phase 1: SPIs and keys agree crosswise. */
static int qm_run(struct run *t, int ipfs, int rpfs, const char *iset, const char *rset, struct ike_qm *qi,
		  struct ike_qm *qr)
{
	char why[128];
	struct ike_esp_params is, rs[2];
	ike_esp_from_config("TI", iset, "esp-sha-hmac", NULL, &is, why, sizeof(why));
	ike_esp_from_config("TX", "esp-3des", "esp-md5-hmac", NULL, &rs[0], why, sizeof(why));
	ike_esp_from_config("TR", rset, "esp-sha-hmac", NULL, &rs[1], why, sizeof(why));
	/* initiator: 192.168.10.0/24 -> 192.168.20.0/24; responder: the mirror image */
	struct ike_acl_line acl[] = { { net(0xc0a81400, 24), net(0xc0a80a00, 24) } };
	struct ike_qm_config ic = { .sets = &is, .nsets = 1, .pfs_group = ipfs, .lifetime = 3600,
				    .local = net(0xc0a80a00, 24), .remote = net(0xc0a81400, 24) };
	struct ike_qm_config rc = { .sets = rs, .nsets = 2, .pfs_group = rpfs, .lifetime = 3600, .acl = acl, .nacl = 1 };
	struct ike_buf m1, m2, m3;
	ck_assert_int_eq(ike_qm_initiate(qi, &t->i, &ic, 0x12345678, &m1), 0);
	int r = ike_qm_respond(qr, &t->r, &rc, m1.p, m1.len, &m2);
	ike_buf_free(&m1);
	if (r < 0)
		return -1;
	r = ike_qm_receive(qi, &t->i, m2.p, m2.len, &m3);
	ike_buf_free(&m2);
	if (r != 1)
		return -1;
	r = ike_qm_receive(qr, &t->r, m3.p, m3.len, &m2);
	ike_buf_free(&m3);
	return r;
}

START_TEST(quick_mode)
{
	struct ike_p1_params p[] = { pol(10, "aes-256", "sha", "14") };
	static struct run t;
	mm_run(&t, p, 1, p, 1, "k3y", "k3y");
	ck_assert_int_eq(t.rc, 0);
	for (int pfs = 0; pfs <= 14; pfs += 14) {
		static struct ike_qm qi, qr;
		int rc = qm_run(&t, pfs, pfs, "esp-aes-256", "esp-aes-256", &qi, &qr);
		ck_assert_msg(rc == 0, "pfs %d: %s | %s", pfs, qi.reason, qr.reason);
		ck_assert_int_eq(qi.state, IKE_QM_PHASE2_COMPLETE);
		ck_assert_int_eq(qr.state, IKE_QM_PHASE2_COMPLETE);
		/* what one side sends, the other receives */
		ck_assert_uint_eq(qi.out.spi, qr.in.spi);
		ck_assert_uint_eq(qi.in.spi, qr.out.spi);
		ck_assert_uint_eq(qi.out.enc_len, 32);
		ck_assert_uint_eq(qi.out.auth_len, 20);
		ck_assert_int_eq(memcmp(qi.out.enc, qr.in.enc, 32), 0);
		ck_assert_int_eq(memcmp(qi.out.auth, qr.in.auth, 20), 0);
		ck_assert_int_eq(memcmp(qi.in.enc, qr.out.enc, 32), 0);
		ck_assert_int_ne(memcmp(qi.in.enc, qi.out.enc, 32), 0);
		ck_assert_int_eq(qr.acl_line, 0);
		ike_qm_free(&qi);
		ike_qm_free(&qr);
	}
	/* failures, with the reasons an engineer reads */
	static struct ike_qm qi, qr;
	ck_assert_int_lt(qm_run(&t, 0, 14, "esp-aes-256", "esp-aes-256", &qi, &qr), 0);
	ck_assert_msg(strstr(qr.reason, "PFS mismatch") != NULL, "%s", qr.reason);
	ike_qm_free(&qi);
	ike_qm_free(&qr);
	ck_assert_int_lt(qm_run(&t, 0, 0, "esp-aes", "esp-aes-256", &qi, &qr), 0);
	ck_assert_msg(strstr(qr.reason, "proposals found unacceptable: the peer offered esp-aes esp-sha-hmac") != NULL,
		      "%s", qr.reason);
	ike_qm_free(&qi);
	ike_qm_free(&qr);
	ike_p1_free(&t.i);
	ike_p1_free(&t.r);
}
END_TEST

/* NAT-D: each side learns who is behind the NAT. */
START_TEST(nat_discovery)
{
	struct ike_p1_params p[] = { pol(10, "aes-256", "sha", "14") };
	static struct run t;
	t.nat = true;
	mm_run(&t, p, 1, p, 1, "k", "k");
	ck_assert_msg(t.rc == 0, "%s | %s", t.i.reason, t.r.reason);
	ck_assert(t.i.nat_local && !t.i.nat_peer);
	ck_assert(t.r.nat_peer && !t.r.nat_local);
	ck_assert(ike_p1_nat_detected(&t.i) && ike_p1_nat_detected(&t.r));
	ck_assert(t.i.peer_vendor.dpd && t.r.peer_vendor.dpd);
	/* and Quick Mode then asks for UDP-encapsulated tunnel mode (RFC 3947) */
	static struct ike_qm qi, qr;
	ck_assert_int_eq(qm_run(&t, 0, 0, "esp-aes-256", "esp-aes-256", &qi, &qr), 0);
	ck_assert_uint_eq(qi.udp_tunnel, IKE_ENCAP_UDP_TUNNEL);
	ck_assert_uint_eq(qr.udp_tunnel, IKE_ENCAP_UDP_TUNNEL);
	ike_qm_free(&qi);
	ike_qm_free(&qr);
	ike_p1_free(&t.i);
	ike_p1_free(&t.r);
	t.nat = false;
}
END_TEST

/* Informational exchanges: Delete and DPD under the phase 1 SA, read by the
 * peer; a changed byte makes the message count for nothing. */
START_TEST(informational)
{
	struct ike_p1_params p[] = { pol(10, "aes-256", "sha", "14") };
	static struct run t;
	mm_run(&t, p, 1, p, 1, "k", "k");
	ck_assert_int_eq(t.rc, 0);
	struct ike_buf b;
	struct ike_info in;
	char why[128];
	uint32_t spis[] = { 0x11223344u, 0x55667788u };
	ck_assert_int_eq(ike_info_delete(&t.i, 0x1234, IKE_PROTO_ESP_ID, spis, 2, &b), 0);
	ck_assert_int_eq(ike_info_open(&t.r, b.p, b.len, &in, why, sizeof(why)), 0);
	ck_assert(in.is_delete);
	ck_assert_uint_eq(in.nspis, 2);
	ck_assert_uint_eq(in.spis[1], 0x55667788u);
	b.p[b.len - 1] ^= 1;
	ck_assert_int_lt(ike_info_open(&t.r, b.p, b.len, &in, why, sizeof(why)), 0);
	ike_buf_free(&b);
	ck_assert_int_eq(ike_info_notify(&t.r, 77, IKE_N_DPD_R_U_THERE, 42, &b), 0);
	ck_assert_int_eq(ike_info_open(&t.i, b.p, b.len, &in, why, sizeof(why)), 0);
	ck_assert_uint_eq(in.notify, IKE_N_DPD_R_U_THERE);
	ck_assert_uint_eq(in.dpd_seq, 42);
	ike_buf_free(&b);
	ck_assert_int_eq(ike_info_delete(&t.r, 78, IKE_PROTO_ISAKMP_ID, NULL, 0, &b), 0);
	ck_assert_int_eq(ike_info_open(&t.i, b.p, b.len, &in, why, sizeof(why)), 0);
	ck_assert(in.is_delete && in.protocol == IKE_PROTO_ISAKMP_ID);
	ike_buf_free(&b);
	ike_p1_free(&t.i);
	ike_p1_free(&t.r);
}
END_TEST

/* Aggressive Mode: three messages, the same keys on both sides, Quick Mode
 * over it; a wrong key is found by the initiator (HASH_R). */
START_TEST(aggressive_mode)
{
	struct ike_p1_params p[] = { pol(10, "aes-256", "sha", "14"), pol(20, "3des", "sha", "2") };
	static struct run t;
	t.aggressive = true;
	t.nat = true;
	mm_run(&t, p, 2, p, 2, "k", "k");
	ck_assert_msg(t.rc == 0, "%s | %s", t.i.reason, t.r.reason);
	ck_assert_int_eq(t.i.state, IKE_P1_COMPLETE);
	ck_assert_int_eq(t.r.state, IKE_P1_COMPLETE);
	ck_assert_str_eq(ike_p1_state_asa(&t.i), "AM_ACTIVE");
	ck_assert_int_eq(memcmp(t.i.keys.skeyid_d, t.r.keys.skeyid_d, t.i.keys.len), 0);
	ck_assert_int_eq(memcmp(t.i.iv, t.r.iv, 16), 0);
	ck_assert(t.r.nat_peer && t.i.nat_local);
	static struct ike_qm qi, qr;
	ck_assert_int_eq(qm_run(&t, 14, 14, "esp-aes-256", "esp-aes-256", &qi, &qr), 0);
	ike_qm_free(&qi);
	ike_qm_free(&qr);
	ike_p1_free(&t.i);
	ike_p1_free(&t.r);
	t.nat = false;
	mm_run(&t, p, 2, p, 2, "k", "other");
	ck_assert_int_lt(t.rc, 0);
	ck_assert_msg(strstr(t.i.reason, "HASH_R did not verify") != NULL, "%s", t.i.reason);
	ck_assert_str_eq(ike_state_ios(t.r.state), "AG_AUTH");
	ike_p1_free(&t.i);
	ike_p1_free(&t.r);
	t.aggressive = false;
}
END_TEST

Suite *ike_sa_suite(void)
{
	Suite *s = suite_create("ike_sa");
	TCase *tc = tcase_create("main mode");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, main_mode_completes);
	tcase_add_test(tc, nat_discovery);
	tcase_add_test(tc, wrong_psk);
	tcase_add_test(tc, informational);
	tcase_add_test(tc, aggressive_mode);
	tcase_add_test(tc, no_matching_policy);
	tcase_add_test(tc, quick_mode);
	suite_add_tcase(s, tc);
	return s;
}
