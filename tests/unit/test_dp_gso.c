/*
 * test_dp_gso.c -- the userspace dataplane's segmentation offload: a TCP
 * super-packet from the TUN device cut into segments (sequence numbers, IP
 * IDs, lengths, flags, checksums that verify), in portions when it holds more
 * than a batch, and runs of segments merged back into one super-packet.
 */
#include <check.h>
#include <linux/virtio_net.h>
#include <netinet/in.h>
#include <string.h>

#include "dataplane/dp_user_int.h"
#include "tests/unit/suites.h"

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* A TCP checksum that verifies: the sum over pseudo-header and segment. */
static bool tcp_ok(const uint8_t *ip, size_t len)
{
	uint64_t sum = IPPROTO_TCP + (len - 20);
	for (int i = 12; i < 20; i += 2)
		sum += get16(ip + i);
	return du_csum(ip + 20, len - 20, sum) == 0;
}

/* vnet header + IPv4 + TCP (20 bytes, ACK|PSH|FIN) + payload */
static size_t super_packet(uint8_t *buf, size_t payload, uint16_t mss)
{
	struct virtio_net_hdr h = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .gso_type = VIRTIO_NET_HDR_GSO_TCPV4,
				    .hdr_len = 40, .gso_size = mss, .csum_start = 20, .csum_offset = 16 };
	memcpy(buf, &h, sizeof(h));
	uint8_t *ip = buf + sizeof(h);
	memset(ip, 0, 40);
	ip[0] = 0x45;
	ip[2] = (uint8_t)((40 + payload) >> 8);
	ip[3] = (uint8_t)(40 + payload);
	ip[4] = 0x12;
	ip[5] = 0x34;
	ip[6] = 0x40;
	ip[8] = 64;
	ip[9] = IPPROTO_TCP;
	memcpy(ip + 12, "\xc0\xa8\x64\x0a\xac\x10\x0a\x0b", 8);
	uint8_t *th = ip + 20;
	th[0] = 0x9c, th[1] = 0x40, th[2] = 0x14, th[3] = 0x51;
	memcpy(th + 4, "\x00\x00\x10\x00", 4);  /* seq 4096 */
	memcpy(th + 8, "\x00\x00\x00\x07", 4);  /* ack 7 */
	th[12] = 0x50;
	th[13] = 0x19; /* ACK PSH FIN */
	th[14] = 0x20;
	for (size_t i = 0; i < payload; i++)
		ip[40 + i] = (uint8_t)(i * 13 + 1);
	return sizeof(h) + 40 + payload;
}

static uint8_t segs[8][DU_BUF];

START_TEST(split_in_portions)
{
	static uint8_t buf[4096];
	size_t len = super_packet(buf, 350, 100), lens[8], total = 0;
	const uint8_t *pkt = buf + sizeof(struct virtio_net_hdr);
	/* 350 bytes of MSS 100: four segments, made two at a time */
	for (size_t first = 0; first < 4; first += 2) {
		int k = du_gso_split(buf, pkt, len - sizeof(struct virtio_net_hdr), first, segs + first, 2, lens + first,
				     &total);
		ck_assert_int_eq(k, 2);
		ck_assert_uint_eq(total, 4);
	}
	for (size_t i = 0; i < 4; i++) {
		const uint8_t *ip = segs[i] + DU_HEADROOM, *th = ip + 20;
		size_t n = i < 3 ? 100 : 50;
		ck_assert_uint_eq(lens[i], 40 + n);
		ck_assert_uint_eq(get16(ip + 2), 40 + n);
		ck_assert_uint_eq(get16(ip + 4), 0x1234 + i);
		ck_assert_uint_eq(du_csum(ip, 20, 0), 0); /* the IP header checksum verifies */
		ck_assert_uint_eq(get32(th + 4), 4096 + 100 * i);
		ck_assert_int_eq(th[13], i < 3 ? 0x10 : 0x19); /* PSH and FIN on the last only */
		ck_assert(tcp_ok(ip, lens[i]));
		ck_assert_int_eq(memcmp(ip + 40, pkt + 40 + 100 * i, n), 0);
	}
}
END_TEST

START_TEST(merge_back)
{
	static uint8_t buf[4096], out[DU_BIG];
	size_t len = super_packet(buf, 350, 100), lens[8], total;
	const uint8_t *pkt = buf + sizeof(struct virtio_net_hdr);
	ck_assert_int_eq(du_gso_split(buf, pkt, len - 10, 0, segs, 8, lens, &total), 4);
	/* FIN ends a run before it: merge the three full ones */
	struct du_inner in[4];
	for (int i = 0; i < 4; i++)
		in[i] = (struct du_inner){ segs[i] + DU_HEADROOM, lens[i] };
	ck_assert_uint_eq(du_gro_run(in, 4), 3);
	size_t m = du_gro_merge(in, 3, out);
	struct virtio_net_hdr h;
	memcpy(&h, out, sizeof(h));
	ck_assert_int_eq(h.gso_type, VIRTIO_NET_HDR_GSO_TCPV4);
	ck_assert_int_eq(h.gso_size, 100);
	ck_assert_int_eq(h.hdr_len, 40);
	ck_assert_int_eq(h.csum_start, 20);
	ck_assert_int_eq(h.csum_offset, 16);
	const uint8_t *ip = out + sizeof(h);
	ck_assert_uint_eq(m, sizeof(h) + 340);
	ck_assert_uint_eq(get16(ip + 2), 340);
	ck_assert_uint_eq(du_csum(ip, 20, 0), 0);
	ck_assert_uint_eq(get32(ip + 24), 4096);
	ck_assert_int_eq(memcmp(ip + 40, pkt + 40, 300), 0);
	/* a damaged checksum, a gap in the sequence: no merge */
	segs[1][DU_HEADROOM + 45] ^= 1;
	ck_assert_uint_eq(du_gro_run(in, 4), 1);
	segs[1][DU_HEADROOM + 45] ^= 1;
	ck_assert_uint_eq(du_gro_run(in + 1, 2), 2);
	struct du_inner gap[2] = { in[0], in[2] };
	ck_assert_uint_eq(du_gro_run(gap, 2), 1);
}
END_TEST

START_TEST(plain_packets)
{
	/* no segmentation: copied, a left checksum completed */
	static uint8_t buf[4096];
	size_t len = super_packet(buf, 60, 100), lens[1], total;
	struct virtio_net_hdr h;
	memcpy(&h, buf, sizeof(h));
	h.gso_type = VIRTIO_NET_HDR_GSO_NONE;
	memcpy(buf, &h, sizeof(h));
	ck_assert_int_eq(du_gso_split(buf, buf + 10, len - 10, 0, segs, 1, lens, &total), 1);
	ck_assert_uint_eq(total, 1);
	ck_assert_uint_eq(lens[0], 100);
	/* the field held a pseudo-header sum (zero here): the result must verify
	 * once the pseudo-header is counted again, as the sender would have */
	uint8_t *ip = segs[0] + DU_HEADROOM;
	ip[36] = ip[37] = 0;
	uint64_t sum = IPPROTO_TCP + 80;
	for (int i = 12; i < 20; i += 2)
		sum += get16(ip + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	buf[10 + 36] = (uint8_t)(sum >> 8);
	buf[10 + 37] = (uint8_t)sum;
	ck_assert_int_eq(du_gso_split(buf, buf + 10, len - 10, 0, segs, 1, lens, &total), 1);
	ck_assert(tcp_ok(segs[0] + DU_HEADROOM, lens[0]));
	/* malformed: not IPv4, a GSO type it does not take */
	buf[10] = 0x60;
	ck_assert_int_eq(du_gso_split(buf, buf + 10, len - 10, 0, segs, 1, lens, &total), -1);
	buf[10] = 0x45;
	h.gso_type = VIRTIO_NET_HDR_GSO_UDP;
	memcpy(buf, &h, sizeof(h));
	ck_assert_int_eq(du_gso_split(buf, buf + 10, len - 10, 0, segs, 1, lens, &total), -1);
}
END_TEST

/* The checksum against RFC 1071's definition, byte pairs summed one by one:
 * every length up to two segments, odd and even starting addresses, with
 * and without a pseudo-header sum; and the known value of RFC 1071 3's
 * example. */
static uint16_t csum_by_definition(const uint8_t *p, size_t len, uint64_t sum)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	if (len & 1)
		sum += (uint64_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

START_TEST(checksum)
{
	static uint8_t buf[3000 + 1];
	uint32_t x = 12345;
	for (size_t i = 0; i < sizeof(buf); i++) {
		x = x * 1103515245 + 12345;
		buf[i] = (uint8_t)(x >> 16);
	}
	for (size_t len = 0; len <= 3000; len++)
		for (size_t at = 0; at < 2; at++) {
			ck_assert_uint_eq(du_csum(buf + at, len, 0), csum_by_definition(buf + at, len, 0));
			uint64_t pseudo = 0xc0a8 + 0x640a + 0xac10 + 0x0a0b + IPPROTO_TCP + len;
			ck_assert_uint_eq(du_csum(buf + at, len, pseudo), csum_by_definition(buf + at, len, pseudo));
		}
	memset(buf, 0xff, 64); /* all ones: the sum is 0xffff, the checksum 0 */
	ck_assert_uint_eq(du_csum(buf, 64, 0), 0);
	static const uint8_t rfc1071[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	ck_assert_uint_eq(du_csum(rfc1071, sizeof(rfc1071), 0), (uint16_t)~0xddf2);
}
END_TEST

Suite *dp_gso_suite(void)
{
	Suite *s = suite_create("dp_gso");
	TCase *tc = tcase_create("gso");
	tcase_add_test(tc, split_in_portions);
	tcase_add_test(tc, merge_back);
	tcase_add_test(tc, plain_packets);
	tcase_add_test(tc, checksum);
	suite_add_tcase(s, tc);
	return s;
}
