/*
 * test_ike_codec.c -- ISAKMP messages: what the writer builds the reader
 * parses back, and every malformed shape is rejected with a reason.
 */
#include <check.h>
#include <string.h>

#include "ikecore/ike_codec.h"
#include "tests/unit/suites.h"

/* Main Mode message 1: SA (one proposal, two transforms) and a vendor ID. */
static void build_mm1(struct ike_buf *b)
{
	struct ike_hdr h = { .version = 0x10, .exchange = IKE_XCHG_MAIN };
	memcpy(h.icookie, "\x83\xd3\x74\xc3\x0b\x3b\x50\x82", 8);
	ike_buf_init(b);
	ike_buf_header(b, &h);
	size_t sa = ike_buf_begin_payload(b, IKE_PL_SA);
	ike_buf_put32(b, 1); /* DOI IPsec */
	ike_buf_put32(b, 1); /* SIT_IDENTITY_ONLY */
	ike_buf_put8(b, IKE_PL_NONE);
	ike_buf_put8(b, 0);
	size_t plen_at = b->len;
	ike_buf_put16(b, 0);
	ike_buf_put8(b, 1); /* proposal 1 */
	ike_buf_put8(b, 1); /* PROTO_ISAKMP */
	ike_buf_put8(b, 0); /* no SPI */
	ike_buf_put8(b, 2); /* two transforms */
	for (int t = 1; t <= 2; t++) {
		size_t tstart = b->len;
		ike_buf_put8(b, t == 1 ? IKE_PL_TRANSFORM : IKE_PL_NONE);
		ike_buf_put8(b, 0);
		ike_buf_put16(b, 0);
		ike_buf_put8(b, (uint8_t)t);
		ike_buf_put8(b, 1); /* KEY_IKE */
		ike_buf_put16(b, 0);
		ike_buf_attr(b, 1, t == 1 ? 7 : 5); /* encryption: AES-CBC, 3DES */
		ike_buf_attr(b, 2, 2);              /* hash SHA */
		ike_buf_attr(b, 11, 1);             /* life type seconds */
		ike_buf_attr(b, 12, 86400);         /* over 16 bits: variable */
		b->p[tstart + 2] = (uint8_t)((b->len - tstart) >> 8);
		b->p[tstart + 3] = (uint8_t)(b->len - tstart);
	}
	size_t plen = b->len - (plen_at - 2);
	b->p[plen_at] = (uint8_t)(plen >> 8);
	b->p[plen_at + 1] = (uint8_t)plen;
	ike_buf_end_payload(b, sa);
	size_t vid = ike_buf_begin_payload(b, IKE_PL_VENDOR);
	ike_buf_put(b, "\xaf\xca\xd7\x13\x68\xa1\xf1\xc9\x6b\x86\x96\xfc\x77\x57\x01\x00", 16);
	ike_buf_end_payload(b, vid);
	ck_assert_int_eq(ike_buf_finish(b), 0);
}

START_TEST(round_trip)
{
	struct ike_buf b;
	build_mm1(&b);
	struct ike_msg m;
	char why[128] = "";
	ck_assert_msg(ike_msg_parse(b.p, b.len, &m, why, sizeof(why)) == 0, "%s", why);
	ck_assert_uint_eq(m.hdr.exchange, IKE_XCHG_MAIN);
	ck_assert_uint_eq(m.hdr.length, b.len);
	ck_assert_uint_eq(m.npl, 2);
	ck_assert_uint_eq(m.pl[0].type, IKE_PL_SA);
	ck_assert_uint_eq(m.pl[1].type, IKE_PL_VENDOR);
	ck_assert_uint_eq(m.pl[1].len, 16);
	struct ike_sa sa;
	ck_assert_msg(ike_sa_parse(ike_msg_find(&m, IKE_PL_SA), &sa, why, sizeof(why)) == 0, "%s", why);
	ck_assert_uint_eq(sa.nprop, 1);
	ck_assert_uint_eq(sa.prop[0].nxf, 2);
	const struct ike_attr *enc = ike_transform_attr(&sa.prop[0].xf[1], 1);
	ck_assert_ptr_nonnull(enc);
	ck_assert(enc->basic);
	ck_assert_uint_eq(enc->value, 5);
	const struct ike_attr *life = ike_transform_attr(&sa.prop[0].xf[0], 12);
	ck_assert_ptr_nonnull(life);
	ck_assert(!life->basic);
	ck_assert_uint_eq(life->value, 86400);
	/* trailing bytes past the header's length are ignored */
	uint8_t longer[1024];
	memcpy(longer, b.p, b.len);
	memset(longer + b.len, 0, 16);
	ck_assert_int_eq(ike_msg_parse(longer, b.len + 16, &m, why, sizeof(why)), 0);
	ike_buf_free(&b);
}
END_TEST

START_TEST(malformed)
{
	struct ike_buf b;
	build_mm1(&b);
	uint8_t x[1024];
	struct ike_msg m;
	struct ike_sa sa;
	char why[128];
	size_t n = b.len;

	ck_assert_int_lt(ike_msg_parse(b.p, 20, &m, why, sizeof(why)), 0);
	/* truncated: the header says more than arrived */
	ck_assert_int_lt(ike_msg_parse(b.p, n - 1, &m, why, sizeof(why)), 0);
	ck_assert_ptr_nonnull(strstr(why, "does not fit"));
	/* wrong version */
	memcpy(x, b.p, n);
	x[17] = 0x20;
	ck_assert_int_lt(ike_msg_parse(x, n, &m, why, sizeof(why)), 0);
	/* a payload longer than what is left */
	memcpy(x, b.p, n);
	x[28 + 2] = 0xff;
	ck_assert_int_lt(ike_msg_parse(x, n, &m, why, sizeof(why)), 0);
	/* a payload shorter than its own header */
	memcpy(x, b.p, n);
	x[28 + 2] = 0;
	x[28 + 3] = 2;
	ck_assert_int_lt(ike_msg_parse(x, n, &m, why, sizeof(why)), 0);
	/* reserved byte set */
	memcpy(x, b.p, n);
	x[28 + 1] = 1;
	ck_assert_int_lt(ike_msg_parse(x, n, &m, why, sizeof(why)), 0);
	/* the chain claims another payload where the message ends */
	memcpy(x, b.p, n);
	size_t vid_at = n - 20;
	x[vid_at] = IKE_PL_NONCE;
	ck_assert_int_lt(ike_msg_parse(x, n, &m, why, sizeof(why)), 0);
	/* a proposal that says three transforms but carries two */
	memcpy(x, b.p, n);
	x[28 + 4 + 8 + 7] = 3;
	ck_assert_int_eq(ike_msg_parse(x, n, &m, why, sizeof(why)), 0);
	ck_assert_int_lt(ike_sa_parse(ike_msg_find(&m, IKE_PL_SA), &sa, why, sizeof(why)), 0);
	/* an attribute whose length runs past its transform */
	memcpy(x, b.p, n);
	for (size_t i = 28; i + 4 < n; i++)
		if (x[i] == 0x00 && x[i + 1] == 12 && x[i + 2] == 0 && x[i + 3] == 4) {
			x[i + 3] = 200;
			break;
		}
	ck_assert_int_eq(ike_msg_parse(x, n, &m, why, sizeof(why)), 0);
	ck_assert_int_lt(ike_sa_parse(ike_msg_find(&m, IKE_PL_SA), &sa, why, sizeof(why)), 0);
	/* an SA of another DOI */
	memcpy(x, b.p, n);
	x[28 + 4 + 3] = 2;
	ck_assert_int_eq(ike_msg_parse(x, n, &m, why, sizeof(why)), 0);
	ck_assert_int_lt(ike_sa_parse(ike_msg_find(&m, IKE_PL_SA), &sa, why, sizeof(why)), 0);
	/* an encrypted message is not parsed past its header */
	memcpy(x, b.p, n);
	x[19] = IKE_FLAG_ENCRYPTED;
	x[28 + 1] = 0x55; /* would be invalid in clear */
	ck_assert_int_eq(ike_msg_parse(x, n, &m, why, sizeof(why)), 0);
	ck_assert_uint_eq(m.npl, 0);
	/* a decrypted body may end with padding */
	ck_assert_int_eq(ike_msg_parse_payloads(&m, IKE_PL_VENDOR, b.p + vid_at, 20, false, why, sizeof(why)), 0);
	memcpy(x, b.p + vid_at, 20);
	memset(x + 20, 0, 7);
	ck_assert_int_lt(ike_msg_parse_payloads(&m, IKE_PL_VENDOR, x, 27, false, why, sizeof(why)), 0);
	ck_assert_int_eq(ike_msg_parse_payloads(&m, IKE_PL_VENDOR, x, 27, true, why, sizeof(why)), 0);
	ike_buf_free(&b);
}
END_TEST

START_TEST(writer_limits)
{
	struct ike_buf b;
	ike_buf_init(&b);
	ck_assert_int_lt(ike_buf_finish(&b), 0); /* no header */
	struct ike_hdr h = { .version = 0x10, .exchange = IKE_XCHG_INFO };
	ike_buf_header(&b, &h);
	static uint8_t big[IKE_MAX_MSG];
	ike_buf_put(&b, big, sizeof(big));
	ck_assert(b.failed);
	ck_assert_int_lt(ike_buf_finish(&b), 0);
	ike_buf_free(&b);
}
END_TEST

Suite *ike_codec_suite(void)
{
	Suite *s = suite_create("ike_codec");
	TCase *tc = tcase_create("codec");
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, malformed);
	tcase_add_test(tc, writer_limits);
	suite_add_tcase(s, tc);
	return s;
}
