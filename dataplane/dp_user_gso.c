/*
 * dp_user_gso.c -- segmentation offload for the userspace dataplane's TUN
 * device: the kernel hands the workers TCP segments of up to 64 KB (and
 * packets whose checksum it left undone) with a struct virtio_net_hdr in
 * front, which costs one read instead of forty; here they become the
 * MTU-sized IPv4 packets that ESP then protects, checksums complete, as the
 * kernel's own TCP segmentation would have made them. The other way, runs of
 * decrypted segments of one TCP flow are merged back into one super-packet
 * under the rules the kernel's GRO follows, so that the host's stack handles
 * one packet where there were forty.
 */
#include "dataplane/dp_bytes.h"
#include "dataplane/dp_user_int.h"

#include <linux/virtio_net.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

/* The Internet checksum (RFC 1071) of len bytes, with sum (numbers of
 * network-order 16-bit words, unfolded) added in. One's complement addition
 * does not care about byte order (RFC 1071 2(B)), so the data are summed as
 * the machine's own 32-bit words, eight bytes a step into two accumulators,
 * and the folded result swapped into network order once at the end: this
 * runs over every segment both ways and must cost little next to AES-GCM. */
uint16_t du_csum(const uint8_t *p, size_t len, uint64_t sum)
{
	uint64_t a = 0, b = 0;
	uint32_t w[2];
	for (; len >= 8; p += 8, len -= 8) {
		memcpy(w, p, 8);
		a += w[0];
		b += w[1];
	}
	if (len >= 4) {
		memcpy(w, p, 4);
		a += w[0];
		p += 4;
		len -= 4;
	}
	uint8_t tail[4] = { 0 };
	memcpy(tail, p, len); /* at most 3 bytes, the odd one padded with zero */
	memcpy(w, tail, 4);
	a += w[0];
	a += b;
	while (a >> 16)
		a = (a & 0xffff) + (a >> 16);
	sum += ntohs((uint16_t)a);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The TCP pseudo-header's sum (addresses, protocol, the segment's length),
 * not folded. */
static uint64_t du_pseudo_sum(const uint8_t *ip, size_t tcp_len)
{
	return (uint64_t)dp_get16(ip + 12) + dp_get16(ip + 14) + dp_get16(ip + 16) + dp_get16(ip + 18) + IPPROTO_TCP +
	       tcp_len;
}

static void du_ip_csum(uint8_t *ip, size_t ihl)
{
	dp_put16(ip + 10, 0);
	dp_put16(ip + 10, du_csum(ip, ihl, 0));
}

/* The TCP checksum of a segment whose header and payload are complete. */
static void du_tcp_csum(uint8_t *ip, size_t ihl, size_t tcp_len)
{
	uint8_t *th = ip + ihl;
	dp_put16(th + 16, 0);
	dp_put16(th + 16, du_csum(th, tcp_len, du_pseudo_sum(ip, tcp_len)));
}

int du_gso_split(const void *vnet, const uint8_t *pkt, size_t len, size_t first, uint8_t (*out)[DU_BUF], size_t max,
		 size_t *lens, size_t *total)
{
	struct virtio_net_hdr h;
	memcpy(&h, vnet, sizeof(h));
	*total = 1;
	if (len < 20 || (pkt[0] >> 4) != 4)
		return -1;
	if (max == 0)
		return 0;
	size_t ihl = (size_t)(pkt[0] & 15) * 4;
	uint8_t type = h.gso_type & (uint8_t)~VIRTIO_NET_HDR_GSO_ECN;
	if (type == VIRTIO_NET_HDR_GSO_NONE) {
		if (len > DU_MAX_INNER)
			return -1;
		uint8_t *p = out[0] + DU_HEADROOM;
		memcpy(p, pkt, len);
		if (h.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
			/* the field holds the pseudo-header sum: complete it */
			size_t start = h.csum_start, at = (size_t)h.csum_start + h.csum_offset;
			if (start >= len || at + 2 > len)
				return -1;
			uint16_t c = du_csum(p + start, len - start, 0);
			dp_put16(p + at, c == 0 && p[9] == IPPROTO_UDP ? 0xffff : c);
		}
		lens[0] = len;
		return 1;
	}
	if (type != VIRTIO_NET_HDR_GSO_TCPV4 || pkt[9] != IPPROTO_TCP || len < ihl + 20)
		return -1;
	const uint8_t *th = pkt + ihl;
	size_t thl = (size_t)(th[12] >> 4) * 4, hdrs = ihl + thl, mss = h.gso_size;
	if (thl < 20 || len < hdrs || mss == 0 || hdrs + mss > DU_MAX_INNER)
		return -1;
	size_t payload = len - hdrs, nseg = (payload + mss - 1) / mss;
	if (nseg == 0)
		return -1;
	*total = nseg;
	size_t made = nseg - first < max ? nseg - first : max;
	uint16_t id = dp_get16(pkt + 4);
	uint32_t seq = dp_get32(th + 4);
	for (size_t o = 0; o < made; o++) {
		size_t i = first + o, off = i * mss, n = payload - off < mss ? payload - off : mss;
		uint8_t *p = out[o] + DU_HEADROOM, *t = p + ihl;
		memcpy(p, pkt, hdrs);
		memcpy(p + hdrs, pkt + hdrs + off, n);
		dp_put16(p + 2, (uint16_t)(hdrs + n));
		dp_put16(p + 4, (uint16_t)(id + i));
		du_ip_csum(p, ihl);
		dp_put32(t + 4, seq + (uint32_t)off);
		if (i + 1 < nseg)
			t[13] &= (uint8_t)~0x09; /* FIN and PSH: the last segment's */
		if (i > 0)
			t[13] &= (uint8_t)~0x80; /* CWR: the first's */
		du_tcp_csum(p, ihl, thl + n);
		lens[o] = hdrs + n;
	}
	return (int)made;
}

/* ---- receive: merging (GRO) ---- */

#define DU_GRO_MAX 60000              /* bytes of one merged packet */

/* A TCP segment that may take part in a merge: IPv4 without options, not a
 * fragment, payload present, only ACK (and PSH) set; its checksum verified,
 * since the merged packet goes up without one. Returns the header length
 * (IP + TCP), 0 when not. */
static size_t du_gro_candidate(const struct du_inner *k)
{
	const uint8_t *p = k->p;
	if (k->len < 40 || p[0] != 0x45 || p[9] != IPPROTO_TCP || (p[6] & 0x3f) || p[7])
		return 0;
	const uint8_t *th = p + 20;
	size_t thl = (size_t)(th[12] >> 4) * 4;
	if (thl < 20 || k->len <= 20 + thl || (th[13] & (uint8_t)~0x08) != 0x10)
		return 0;
	if (du_csum(th, k->len - 20, du_pseudo_sum(p, k->len - 20)) != 0)
		return 0;
	return 20 + thl;
}

size_t du_gro_run(const struct du_inner *pk, size_t n)
{
	size_t hdrs = du_gro_candidate(&pk[0]);
	if (!hdrs || n < 2 || (pk[0].p[33] & 0x08))
		return 1; /* PSH closes a run */
	const uint8_t *f = pk[0].p;
	size_t mss = pk[0].len - hdrs, total = pk[0].len, run = 1;
	uint32_t next = dp_get32(f + 24) + (uint32_t)mss;
	while (run < n) {
		const struct du_inner *k = &pk[run];
		const uint8_t *p = k->p;
		/* same addresses, TOS, DF and TTL; same ports, header length, ACK,
		 * window and options; the next sequence number; no bigger than the
		 * first */
		if (du_gro_candidate(k) != hdrs || k->len - hdrs > mss || total + k->len - hdrs > DU_GRO_MAX ||
		    p[1] != f[1] || p[6] != f[6] || p[8] != f[8] || memcmp(p + 12, f + 12, 8) != 0 ||
		    memcmp(p + 20, f + 20, 4) != 0 || dp_get32(p + 24) != next || memcmp(p + 28, f + 28, 4) != 0 ||
		    memcmp(p + 34, f + 34, 2) != 0 || memcmp(p + 40, f + 40, hdrs - 40) != 0)
			break;
		total += k->len - hdrs;
		next += (uint32_t)(k->len - hdrs);
		run++;
		if (k->len - hdrs < mss || (p[33] & 0x08))
			break; /* a short segment or PSH ends it */
	}
	return run;
}

size_t du_gro_merge(const struct du_inner *pk, size_t n, uint8_t *out)
{
	const uint8_t *f = pk[0].p;
	size_t hdrs = 20 + (size_t)(f[32] >> 4) * 4, mss = pk[0].len - hdrs;
	uint8_t *ip = out + sizeof(struct virtio_net_hdr), *th = ip + 20;
	memcpy(ip, f, hdrs);
	size_t at = hdrs;
	for (size_t i = 0; i < n; i++) {
		memcpy(ip + at, pk[i].p + hdrs, pk[i].len - hdrs);
		at += pk[i].len - hdrs;
	}
	th[13] |= pk[n - 1].p[33] & 0x08; /* the last one's PSH */
	dp_put16(ip + 2, (uint16_t)at);
	du_ip_csum(ip, 20);
	/* checksum left to the stack (CHECKSUM_PARTIAL): the field holds the
	 * pseudo-header sum, not inverted */
	uint64_t sum = du_pseudo_sum(ip, at - 20);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	dp_put16(th + 16, (uint16_t)sum);
	struct virtio_net_hdr h = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .gso_type = VIRTIO_NET_HDR_GSO_TCPV4,
				    .hdr_len = (uint16_t)hdrs, .gso_size = (uint16_t)mss, .csum_start = 20,
				    .csum_offset = 16 };
	memcpy(out, &h, sizeof(h));
	return sizeof(h) + at;
}
