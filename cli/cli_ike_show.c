/*
 * cli_ike_show.c -- the engine's tables as the devices print them:
 * `show crypto isakmp sa [detail]` (ASA block layout and IOS table),
 * `show crypto ipsec sa`, IOS `show crypto session`, ASA
 * `show vpn-sessiondb [detail] l2l`, `show crypto isakmp stats`, and
 * vpnsh's own `show crypto diagnose`, which says in plain words why each
 * failed negotiation failed. Counters come from the dataplane.
 */
#include "cli/cli_int.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dataplane/dp.h"
#include "grammar/gram.h"
#include "ikecore/ike_engine.h"
#include "platform/pf_loop.h"

#define ASA(s) (cli_dialect(s) == GRAM_ASA)

static const struct ike_peer *show_peers(struct cli_session *s)
{
	struct ike_engine *e = cli_app(s)->engine;
	return e ? ike_engine_peers(e) : NULL;
}

static const struct ike_child *show_children(struct cli_session *s)
{
	struct ike_engine *e = cli_app(s)->engine;
	return e ? ike_engine_children(e) : NULL;
}

static bool show_peer_arg(struct cli_session *s, const struct gram_match *m, int slot, uint32_t *peer)
{
	*peer = 0;
	if (m->nslots <= slot || !m->slot[slot])
		return true;
	struct in_addr a;
	if (inet_pton(AF_INET, m->slot[slot], &a) != 1) {
		cli_error(s, "%s%% Invalid address", ASA(s) ? "ERROR: " : "");
		return false;
	}
	*peer = ntohl(a.s_addr);
	return true;
}

static bool show_detail(const struct gram_match *m)
{
	for (int i = 0; i < m->nslots; i++)
		if (m->slot[i] && strcmp(m->slot[i], "detail") == 0)
			return true;
	return false;
}

static uint32_t show_remaining(uint64_t since_ms, uint32_t lifetime)
{
	uint64_t age = (pf_now_ms() - since_ms) / 1000;
	return age >= lifetime ? 0 : lifetime - (uint32_t)age;
}

static const char *show_asa_encr(const struct ike_p1_params *p)
{
	switch (p->encryption) {
	case 1:
		return "des";
	case 5:
		return "3des";
	case 7:
		return p->keybits == 256 ? "aes-256" : p->keybits == 192 ? "aes-192" : "aes";
	}
	return "unknown";
}

static const char *show_hash(const struct ike_p1_params *p, bool upper)
{
	switch (p->hash) {
	case 1:
		return upper ? "MD5" : "md5";
	case 2:
		return upper ? "SHA" : "sha";
	case 4:
		return upper ? "SHA256" : "sha256";
	case 5:
		return upper ? "SHA384" : "sha384";
	case 6:
		return upper ? "SHA512" : "sha512";
	}
	return "unknown";
}

/* ---- show crypto isakmp sa ---- */

static void show_isakmp_asa(struct cli_session *s, bool detail, bool ikev1_only)
{
	int n = 0;
	for (const struct ike_peer *p = show_peers(s); p; p = p->next)
		n++;
	if (n == 0) {
		cli_printf(s, "\nThere are no IKEv1 SAs\n");
	} else {
		cli_printf(s, "\nIKEv1 SAs:\n\n   Active SA: %d\n    Rekey SA: 0 (A tunnel will report 1 Active and 1 Rekey SA "
			      "during rekey)\nTotal IKE SA: %d\n",
			   n, n);
		int i = 0;
		for (const struct ike_peer *p = show_peers(s); p; p = p->next) {
			char a[16];
			cli_ipv4_str(p->peer, a);
			cli_printf(s, "\n%-3d IKE Peer: %s\n", ++i, a);
			cli_printf(s, "    Type    : %-15s Role    : %-9s \n", "L2L", p->initiator ? "initiator" : "responder");
			cli_printf(s, "    Rekey   : %-15s State   : %s \n", p->rekeying ? "yes" : "no", ike_p1_state_asa(&p->sa));
			if (!detail)
				continue;
			if (p->sa.state == IKE_P1_COMPLETE || p->sa.params.encryption) {
				cli_printf(s, "    Encrypt : %-15s Hash    : %s\n", show_asa_encr(&p->sa.params),
					   show_hash(&p->sa.params, true));
				cli_printf(s, "    Auth    : %-15s Lifetime: %u\n", "preshared", p->sa.params.lifetime);
			}
			if (p->sa.state == IKE_P1_COMPLETE && p->sa.params.lifetime)
				cli_printf(s, "    Lifetime Remaining: %u\n",
					   show_remaining(p->established_ms, p->sa.params.lifetime));
			if (p->reason[0])
				cli_printf(s, "    Reason  : %s\n", p->reason);
			if (p->p2_reason[0])
				cli_printf(s, "    Phase 2 : %s\n", p->p2_reason);
		}
	}
	if (!ikev1_only)
		cli_printf(s, "\nThere are no IKEv2 SAs\n");
}

static void show_isakmp_ios(struct cli_session *s, bool detail)
{
	if (detail)
		cli_printf(s, "Codes: C - IKE configuration mode, D - Dead Peer Detection\n"
			      "       K - Keepalives, N - NAT-traversal\n"
			      "       T - cTCP encapsulation, X - IKE Extended Authentication\n"
			      "       psk - Preshared key, rsig - RSA signature\n"
			      "       renc - RSA encryption\n");
	cli_printf(s, "IPv4 Crypto ISAKMP SA\n");
	if (detail)
		cli_printf(s, "\nC-id  Local           Remote          I-VRF  Status Encr Hash   Auth DH Lifetime Cap.\n\n");
	else
		cli_printf(s, "dst             src             state          conn-id status\n");
	for (const struct ike_peer *p = show_peers(s); p; p = p->next) {
		char l[16], r[16];
		cli_ipv4_str(p->local, l);
		cli_ipv4_str(p->peer, r);
		if (!detail) {
			/* dst is the responder, src the initiator */
			cli_printf(s, "%-15s %-15s %-14s%8d %s\n", p->initiator ? r : l, p->initiator ? l : r,
				   ike_state_ios(p->sa.state), p->conn_id, p->dead ? "ACTIVE (deleted)" : "ACTIVE");
			continue;
		}
		char life[16] = "";
		if (p->sa.state == IKE_P1_COMPLETE) {
			uint32_t left = show_remaining(p->established_ms, p->sa.params.lifetime);
			snprintf(life, sizeof(life), "%02u:%02u:%02u", left / 3600, left / 60 % 60, left % 60);
		}
		char cap[8] = "";
		if (p->sa.peer_vendor.dpd && p->dpd_interval)
			strcat(cap, "D");
		if (ike_p1_nat_detected(&p->sa))
			strcat(cap, "N");
		const char *encr = p->sa.params.encryption == 7 ? "aes" : p->sa.params.encryption == 5 ? "3des" : "des";
		cli_printf(s, "%-5d %-15s %-15s        %-6s %-4s %-6s %-4s %-2u %-8s %s\n", p->conn_id, l, r,
			   p->dead ? "DELETED" : "ACTIVE", encr, show_hash(&p->sa.params, false), "psk", p->sa.params.group,
			   life, cap);
		cli_printf(s, "       Engine-id:Conn-id =  SW:%d\n", p->conn_id - 1000);
		if (p->reason[0])
			cli_printf(s, "       Reason: %s\n", p->reason);
		if (p->p2_reason[0])
			cli_printf(s, "       Phase 2: %s\n", p->p2_reason);
	}
	cli_printf(s, "\nIPv6 Crypto ISAKMP SA\n\n");
}

static int show_crypto_isakmp_sa(struct cli_session *s, const struct gram_match *m)
{
	bool detail = show_detail(m);
	if (ASA(s))
		show_isakmp_asa(s, detail, strstr(m->cmd->syntax, "ikev1") != NULL);
	else
		show_isakmp_ios(s, detail);
	return 0;
}

static int show_crypto_isakmp_stats(struct cli_session *s, const struct gram_match *m)
{
	(void)m;
	struct ike_engine *e = cli_app(s)->engine;
	struct ike_stats z = { 0 };
	const struct ike_stats *st = e ? ike_engine_stats(e) : &z;
	int active = 0, failed = 0;
	for (const struct ike_peer *p = show_peers(s); p; p = p->next) {
		if (p->sa.state == IKE_P1_COMPLETE && !p->dead)
			active++;
		if (p->dead)
			failed++;
	}
	cli_printf(s, "\nGlobal IKEv1 Statistics\n");
	cli_printf(s, "  Active Tunnels:              %d\n", active);
	cli_printf(s, "  Previous Tunnels:            %llu\n", (unsigned long long)st->p1_ok);
	cli_printf(s, "  In Packets:                  %llu\n", (unsigned long long)st->rx);
	cli_printf(s, "  In Drop Packets:             %llu\n",
		   (unsigned long long)(st->dropped_malformed + st->dropped_no_sa + st->dropped_not_listening +
					st->dropped_unauthenticated + st->dropped_half_open + st->dropped_other));
	cli_printf(s, "    Malformed:                 %llu\n", (unsigned long long)st->dropped_malformed);
	cli_printf(s, "    No SA:                     %llu\n", (unsigned long long)st->dropped_no_sa);
	cli_printf(s, "    Not listening there:       %llu\n", (unsigned long long)st->dropped_not_listening);
	cli_printf(s, "    Unauthenticated:           %llu\n", (unsigned long long)st->dropped_unauthenticated);
	cli_printf(s, "    Half-open limit:           %llu\n", (unsigned long long)st->dropped_half_open);
	cli_printf(s, "    Other:                     %llu\n", (unsigned long long)st->dropped_other);
	cli_printf(s, "  Out Packets:                 %llu\n", (unsigned long long)st->tx);
	cli_printf(s, "  Retransmissions:             %llu\n", (unsigned long long)st->retransmits);
	cli_printf(s, "  Duplicates answered again:   %llu\n", (unsigned long long)st->duplicates);
	cli_printf(s, "  Phase 1 completed / failed:  %llu / %llu\n", (unsigned long long)st->p1_ok,
		   (unsigned long long)st->p1_failed);
	cli_printf(s, "  Phase 2 completed / failed:  %llu / %llu\n", (unsigned long long)st->p2_ok,
		   (unsigned long long)st->p2_failed);
	cli_printf(s, "  DPD sent / acknowledged:     %llu / %llu\n", (unsigned long long)st->dpd_sent,
		   (unsigned long long)st->dpd_acked);
	cli_printf(s, "  Peers declared dead by DPD:  %llu\n", (unsigned long long)st->dpd_dead);
	cli_printf(s, "  NAT keepalives sent:         %llu\n", (unsigned long long)st->nat_keepalives);
	cli_printf(s, "  Failed SAs on display:       %d\n", failed);
	return 0;
}

/* ---- show crypto ipsec sa ---- */

static void show_counters(struct cli_session *s, const struct ike_child *c, struct dp_counters *in,
			  struct dp_counters *out)
{
	memset(in, 0, sizeof(*in));
	memset(out, 0, sizeof(*out));
	if (cli_app(s)->engine)
		ike_engine_child_counters(cli_app(s)->engine, c, in, out);
}

static void show_settings(const struct ike_child *c, char *out, size_t len)
{
	char pfs[32] = "";
	if (c->pfs_group)
		snprintf(pfs, sizeof(pfs), "PFS Group %d, ", c->pfs_group);
	snprintf(out, len, "{L2L, Tunnel, %s%sIKEv1, }", pfs, c->udp_encap ? " NAT-T-Encaps, " : "");
}

/* The transform as each device spells it: the ASA as its transform sets
 * ("esp-aes-256 esp-sha-hmac", "esp-none" when there is no integrity), IOS
 * with the key length as a word of its own ("esp-aes 256 esp-sha-hmac"). */
static void show_transform(const struct ike_child *c, char *out, size_t len, bool asa)
{
	char d[96];
	ike_esp_describe(&c->esp, d, sizeof(d));
	if (asa) {
		snprintf(out, len, "%s%s", d, c->esp.auth == IKE_ESP_AUTH_NONE ? " esp-none" : "");
		return;
	}
	char *space = strchr(d, ' ');
	size_t first = space ? (size_t)(space - d) : strlen(d);
	char *dash = memrchr(d, '-', first);
	if (dash && dash[1] >= '0' && dash[1] <= '9')
		*dash = ' ';
	snprintf(out, len, "%s%s", d, c->esp.auth == IKE_ESP_AUTH_NONE ? " esp-none" : "");
}

static void show_ident(const struct ike_selector *x, char *out, size_t len)
{
	char a[16], m[16];
	cli_ipv4_str(x->net, a);
	cli_ipv4_str(x->mask, m);
	snprintf(out, len, "(%s/%s/%u/%u)", a, m, x->protocol, x->port);
}

static void show_ipsec_asa_sa(struct cli_session *s, const struct ike_child *c, bool inbound, uint64_t kb_used,
			      const struct dp_counters *ctr)
{
	char tr[64], set[96];
	show_transform(c, tr, sizeof(tr), true);
	show_settings(c, set, sizeof(set));
	uint32_t spi = inbound ? c->spi_in : c->spi_out;
	uint64_t kb_left = c->lifetime_kb > kb_used ? c->lifetime_kb - kb_used : 0;
	cli_printf(s, "      spi: 0x%08X (%u)\n", spi, spi);
	cli_printf(s, "         SA State: active\n");
	cli_printf(s, "         transform: %s no compression\n", tr);
	cli_printf(s, "         in use settings =%s\n", set);
	cli_printf(s, "         slot: 0, conn_id: %u, crypto-map: %s\n", c->reqid, c->map);
	cli_printf(s, "         sa timing: remaining key lifetime (kB/sec): (%llu/%u)\n", (unsigned long long)kb_left,
		   show_remaining(c->created_ms, c->lifetime));
	cli_printf(s, "         IV size: %u bytes\n", c->esp.id == IKE_ESP_AES ? 16 : 8);
	cli_printf(s, "         replay detection support: %s\n", !inbound || ctr->replay_window ? "Y" : "N");
	/* the device prints the outbound SA's as one packet seen */
	uint64_t bits = inbound ? ctr->replay_bitmap : 1;
	cli_printf(s, "         Anti replay bitmap: \n          0x%08X 0x%08X\n", (unsigned)(bits >> 32), (unsigned)bits);
}

static void show_ipsec_asa(struct cli_session *s, uint32_t peer, bool by_peer)
{
	const char *last_if = NULL;
	bool any = false;
	for (const struct ike_child *c = show_children(s); c; c = c->next) {
		if (peer && c->peer_addr != peer)
			continue;
		any = true;
		char l[16], r[16], li[64], ri[64];
		cli_ipv4_str(c->local_addr, l);
		cli_ipv4_str(c->peer_addr, r);
		if (by_peer)
			cli_printf(s, "peer address: %s\n", r);
		else if (!last_if || strcmp(last_if, c->iface) != 0)
			cli_printf(s, "interface: %s\n", c->iface);
		last_if = c->iface;
		show_ident(&c->local, li, sizeof(li));
		show_ident(&c->remote, ri, sizeof(ri));
		struct dp_counters in, out;
		show_counters(s, c, &in, &out);
		cli_printf(s, "    Crypto map tag: %s, seq num: %d, local addr: %s\n\n", c->map, c->seq, l);
		if (c->acl_text[0])
			cli_printf(s, "      %s \n", c->acl_text);
		cli_printf(s, "      local ident (addr/mask/prot/port): %s\n", li);
		cli_printf(s, "      remote ident (addr/mask/prot/port): %s\n", ri);
		cli_printf(s, "      current_peer: %s\n\n\n", r);
		cli_printf(s, "      #pkts encaps: %llu, #pkts encrypt: %llu, #pkts digest: %llu\n",
			   (unsigned long long)out.packets, (unsigned long long)out.packets, (unsigned long long)out.packets);
		cli_printf(s, "      #pkts decaps: %llu, #pkts decrypt: %llu, #pkts verify: %llu\n",
			   (unsigned long long)in.packets, (unsigned long long)in.packets, (unsigned long long)in.packets);
		cli_printf(s, "      #pkts compressed: 0, #pkts decompressed: 0\n");
		cli_printf(s, "      #pkts not compressed: %llu, #pkts comp failed: 0, #pkts decomp failed: 0\n",
			   (unsigned long long)out.packets);
		cli_printf(s, "      #pre-frag successes: %llu, #pre-frag failures: 0, #fragments created: %llu\n",
			   (unsigned long long)out.prefrag, (unsigned long long)out.fragments);
		cli_printf(s, "      #PMTUs sent: 0, #PMTUs rcvd: 0, #decapsulated frgs needing reassembly: 0\n");
		cli_printf(s, "      #TFC rcvd: 0, #TFC sent: 0\n");
		cli_printf(s, "      #Valid ICMP Errors rcvd: 0, #Invalid ICMP Errors rcvd: 0\n");
		cli_printf(s, "      #send errors: %llu, #recv errors: %llu\n\n", (unsigned long long)out.errors,
			   (unsigned long long)(in.errors + in.replay_failures));
		unsigned lp = c->udp_encap ? c->local_port : 0, rp = c->udp_encap ? c->peer_port : 0;
		cli_printf(s, "      local crypto endpt.: %s/%u, remote crypto endpt.: %s/%u\n", l, lp, r, rp);
		cli_printf(s, "      path mtu 1500, ipsec overhead %d(%d), media mtu 1500\n", c->udp_encap ? 82 : 74,
			   c->udp_encap ? 52 : 44);
		cli_printf(s, "      PMTU time remaining (sec): 0, DF policy: %s\n",
			   c->df_bit == 1 ? "set-df" : c->df_bit == 2 ? "clear-df" : "copy-df");
		cli_printf(s, "      ICMP error validation: disabled, TFC packets: disabled\n");
		cli_printf(s, "      current outbound spi: %08X\n", c->spi_out);
		cli_printf(s, "      current inbound spi : %08X\n\n", c->spi_in);
		cli_printf(s, "    inbound esp sas:\n");
		show_ipsec_asa_sa(s, c, true, in.bytes / 1024, &in);
		cli_printf(s, "    outbound esp sas:\n");
		show_ipsec_asa_sa(s, c, false, out.bytes / 1024, &out);
		cli_printf(s, "\n");
	}
	if (!any)
		cli_printf(s, "\nThere are no ipsec sas\n");
}

static void show_ipsec_ios_sa(struct cli_session *s, const struct ike_child *c, bool inbound, uint64_t kb_used,
			      const struct dp_counters *ctr)
{
	char tr[64];
	show_transform(c, tr, sizeof(tr), false);
	uint32_t spi = inbound ? c->spi_in : c->spi_out;
	uint64_t kb_left = c->lifetime_kb > kb_used ? c->lifetime_kb - kb_used : 0;
	cli_printf(s, "      spi: 0x%X(%u)\n", spi, spi);
	cli_printf(s, "        transform: %s ,\n", tr);
	cli_printf(s, "        in use settings ={Tunnel%s, }\n", c->udp_encap ? " UDP-Encaps" : "");
	cli_printf(s, "        conn id: %u, flow_id: SW:%u, sibling_flags 80000040, crypto map: %s\n",
		   2000 + c->reqid * 2 - (inbound ? 1 : 0), c->reqid * 2 - (inbound ? 1 : 0), c->map);
	cli_printf(s, "        sa timing: remaining key lifetime (k/sec): (%llu/%u)\n", (unsigned long long)kb_left,
		   show_remaining(c->created_ms, c->lifetime));
	cli_printf(s, "        IV size: %u bytes\n", c->esp.id == IKE_ESP_AES ? 16 : 8);
	/* the outbound SA shows the window its peer keeps, which is ours too */
	uint32_t window = c->engine ? ike_engine_replay_window(c->engine) : 0;
	if (window)
		cli_printf(s, "        replay detection support: Y  replay window size: %u\n", inbound ? ctr->replay_window : window);
	else
		cli_printf(s, "        replay detection support: N\n");
	cli_printf(s, "        Status: ACTIVE(ACTIVE)\n\n");
}

static void show_ipsec_ios(struct cli_session *s, uint32_t peer, bool detail)
{
	const char *last_if = NULL;
	for (const struct ike_child *c = show_children(s); c; c = c->next) {
		if (peer && c->peer_addr != peer)
			continue;
		char l[16], r[16], li[64], ri[64];
		cli_ipv4_str(c->local_addr, l);
		cli_ipv4_str(c->peer_addr, r);
		if (!last_if || strcmp(last_if, c->iface) != 0)
			cli_printf(s, "\ninterface: %s\n    Crypto map tag: %s, local addr %s\n", c->iface, c->map, l);
		last_if = c->iface;
		show_ident(&c->local, li, sizeof(li));
		show_ident(&c->remote, ri, sizeof(ri));
		struct dp_counters in, out;
		show_counters(s, c, &in, &out);
		cli_printf(s, "\n   protected vrf: (none)\n");
		cli_printf(s, "   local  ident (addr/mask/prot/port): %s\n", li);
		cli_printf(s, "   remote ident (addr/mask/prot/port): %s\n", ri);
		cli_printf(s, "   current_peer %s port %u\n", r, c->peer_port);
		cli_printf(s, "     PERMIT, flags={origin_is_acl,}\n");
		cli_printf(s, "    #pkts encaps: %llu, #pkts encrypt: %llu, #pkts digest: %llu\n",
			   (unsigned long long)out.packets, (unsigned long long)out.packets, (unsigned long long)out.packets);
		cli_printf(s, "    #pkts decaps: %llu, #pkts decrypt: %llu, #pkts verify: %llu\n",
			   (unsigned long long)in.packets, (unsigned long long)in.packets, (unsigned long long)in.packets);
		cli_printf(s, "    #pkts compressed: 0, #pkts decompressed: 0\n");
		cli_printf(s, "    #pkts not compressed: 0, #pkts compr. failed: 0\n");
		cli_printf(s, "    #pkts not decompressed: 0, #pkts decompress failed: 0\n");
		if (detail) {
			/* the dataplane counts damaged packets (ICV, padding, length) as one */
			unsigned long long ie = in.errors, oe = out.errors, rf = in.replay_failures;
			cli_printf(s, "    #pkts no sa (send) 0, #pkts invalid sa (rcv) 0\n");
			cli_printf(s, "    #pkts encaps failed (send) %llu, #pkts decaps failed (rcv) %llu\n", oe, ie + rf);
			cli_printf(s, "    #pkts invalid prot (recv) 0, #pkts verify failed: %llu\n", ie);
			cli_printf(s, "    #pkts invalid identity (recv) 0, #pkts invalid len (rcv) 0\n");
			cli_printf(s, "    #pkts replay rollover (send): 0, #pkts replay rollover (rcv) 0\n");
			cli_printf(s, "    ##pkts replay failed (rcv): %llu\n", rf);
			cli_printf(s, "    #pkts tagged (send): 0, #pkts untagged (rcv): 0\n");
			cli_printf(s, "    #pkts not tagged (send): 0, #pkts not untagged (rcv): 0\n");
			cli_printf(s, "    #pkts internal err (send): 0, #pkts internal err (recv) 0\n\n");
		} else {
			cli_printf(s, "    #send errors %llu, #recv errors %llu\n\n", (unsigned long long)out.errors,
				   (unsigned long long)(in.errors + in.replay_failures));
		}
		cli_printf(s, "     local crypto endpt.: %s, remote crypto endpt.: %s\n", l, r);
		cli_printf(s, "     plaintext mtu %d, path mtu 1500, ip mtu 1500, ip mtu idb %s\n", c->udp_encap ? 1430 : 1438,
			   c->iface);
		cli_printf(s, "     current outbound spi: 0x%X(%u)\n", c->spi_out, c->spi_out);
		if (c->pfs_group)
			cli_printf(s, "     PFS (Y/N): Y, DH group: group%d\n\n", c->pfs_group);
		else
			cli_printf(s, "     PFS (Y/N): N, DH group: none\n\n");
		cli_printf(s, "     inbound esp sas:\n");
		show_ipsec_ios_sa(s, c, true, in.bytes / 1024, &in);
		cli_printf(s, "     inbound ah sas:\n\n     inbound pcp sas:\n\n     outbound esp sas:\n");
		show_ipsec_ios_sa(s, c, false, out.bytes / 1024, &out);
		cli_printf(s, "     outbound ah sas:\n\n     outbound pcp sas:\n");
	}
}

static int show_crypto_ipsec_sa(struct cli_session *s, const struct gram_match *m)
{
	uint32_t peer;
	if (!show_peer_arg(s, m, 0, &peer))
		return -1;
	if (ASA(s))
		show_ipsec_asa(s, peer, peer != 0);
	else
		show_ipsec_ios(s, peer, show_detail(m));
	return 0;
}

/* ---- sessions ---- */

static bool show_child_active(struct cli_session *s, const struct ike_child *c)
{
	struct dp_counters in, out;
	show_counters(s, c, &in, &out);
	return in.packets + out.packets > 0;
}

static int show_crypto_session(struct cli_session *s, const struct gram_match *m)
{
	bool detail = show_detail(m);
	cli_printf(s, "Crypto session current status\n\n");
	if (detail)
		cli_printf(s, "Code: C - IKE Configuration mode, D - Dead Peer Detection     \n"
			      "K - Keepalives, N - NAT-traversal, T - cTCP encapsulation     \n"
			      "X - IKE Extended Authentication, F - IKE Fragmentation\n"
			      "R - IKE Auto Reconnect, U - IKE Dynamic Route Update\nS - SIP VPN\n\n");
	/* one session per peer: its phase 1 SA and its IPsec flows */
	uint32_t seen[64];
	size_t nseen = 0;
	for (const struct ike_peer *p = show_peers(s); p; p = p->next) {
		bool dup = false;
		for (size_t i = 0; i < nseen; i++)
			dup |= seen[i] == p->peer;
		if (dup || nseen == 64)
			continue;
		seen[nseen++] = p->peer;
		const struct ike_peer *best = p;
		for (const struct ike_peer *o = p; o; o = o->next)
			if (o->peer == p->peer && o->sa.state == IKE_P1_COMPLETE && !o->dead)
				best = o;
		bool up = best->sa.state == IKE_P1_COMPLETE && !best->dead;
		int flows = 0;
		bool active = false;
		for (const struct ike_child *c = show_children(s); c; c = c->next)
			if (c->peer_addr == p->peer) {
				flows++;
				active |= show_child_active(s, c);
			}
		const char *status = up ? (flows ? (active ? "UP-ACTIVE" : "UP-IDLE") : "UP-IDLE")
					: (best->dead ? "DOWN" : "DOWN-NEGOTIATING");
		if (!up && flows)
			status = "UP-NO-IKE";
		char l[16], r[16];
		cli_ipv4_str(best->local, l);
		cli_ipv4_str(best->peer, r);
		cli_printf(s, "Interface: %s\n", best->iface[0] ? best->iface : "unknown");
		if (detail && up) {
			uint32_t up_s = (uint32_t)((pf_now_ms() - best->established_ms) / 1000);
			cli_printf(s, "Uptime: %02u:%02u:%02u\n", up_s / 3600, up_s / 60 % 60, up_s % 60);
		}
		cli_printf(s, "Session status: %-14s\n", status);
		cli_printf(s, "Peer: %s port %u %s\n", r, best->peer_port, detail ? "fvrf: (none) ivrf: (none)" : "");
		if (detail)
			cli_printf(s, "      Phase1_id: %s\n      Desc: (none)\n", r);
		cli_printf(s, "  Session ID: 0  \n");
		cli_printf(s, "  IKEv1 SA: local %s/%u remote %s/%u %s \n", l, best->local_port, r, best->peer_port,
			   up ? "Active" : "Inactive");
		if (detail && up) {
			uint32_t left = show_remaining(best->established_ms, best->sa.params.lifetime);
			cli_printf(s, "          Capabilities:%s connid:%d lifetime:%02u:%02u:%02u\n",
				   best->sa.peer_vendor.dpd && best->dpd_interval ? "D" : "(none)", best->conn_id, left / 3600,
				   left / 60 % 60, left % 60);
		}
		for (const struct ike_child *c = show_children(s); c; c = c->next) {
			if (c->peer_addr != p->peer)
				continue;
			char ln[16], lm[16], rn[16], rm[16];
			cli_ipv4_str(c->local.net, ln);
			cli_ipv4_str(c->local.mask, lm);
			cli_ipv4_str(c->remote.net, rn);
			cli_ipv4_str(c->remote.mask, rm);
			cli_printf(s, "  IPSEC FLOW: permit ip %s/%s %s/%s \n", ln, lm, rn, rm);
			cli_printf(s, "        Active SAs: 2, origin: crypto map\n");
			if (detail) {
				struct dp_counters in, out;
				show_counters(s, c, &in, &out);
				uint32_t left = show_remaining(c->created_ms, c->lifetime);
				cli_printf(s, "        Inbound:  #pkts dec'ed %llu drop %llu life (KB/Sec) %llu/%u\n",
					   (unsigned long long)in.packets, (unsigned long long)(in.errors + in.replay_failures),
					   (unsigned long long)(c->lifetime_kb - in.bytes / 1024), left);
				cli_printf(s, "        Outbound: #pkts enc'ed %llu drop %llu life (KB/Sec) %llu/%u\n",
					   (unsigned long long)out.packets, (unsigned long long)out.errors,
					   (unsigned long long)(c->lifetime_kb - out.bytes / 1024), left);
			}
		}
		cli_printf(s, "\n");
	}
	return 0;
}

static const char *show_asa_ipsec_encr(const struct ike_child *c)
{
	switch (c->esp.id) {
	case IKE_ESP_DES:
		return "DES";
	case IKE_ESP_3DES:
		return "3DES";
	case IKE_ESP_AES:
		return c->esp.keybits == 256 ? "AES256" : c->esp.keybits == 192 ? "AES192" : "AES128";
	case IKE_ESP_AES_GCM_16:
		return c->esp.keybits == 256 ? "AES-GCM-256" : "AES-GCM-128";
	}
	return "none";
}

static const char *show_asa_ipsec_hash(const struct ike_child *c)
{
	switch (c->esp.auth) {
	case IKE_ESP_AUTH_MD5:
		return "MD5";
	case IKE_ESP_AUTH_SHA1:
		return "SHA1";
	case IKE_ESP_AUTH_SHA256:
		return "SHA256";
	case IKE_ESP_AUTH_SHA384:
		return "SHA384";
	case IKE_ESP_AUTH_SHA512:
		return "SHA512";
	}
	return "none";
}

static void show_kv(struct cli_session *s, const char *k1, const char *v1, const char *k2, const char *v2)
{
	if (k2)
		cli_printf(s, "%-13s: %-23s%-13s: %s\n", k1, v1, k2, v2);
	else
		cli_printf(s, "%-13s: %s\n", k1, v1);
}

static int show_vpn_sessiondb_l2l(struct cli_session *s, const struct gram_match *m)
{
	bool detail = m->nslots > 0 && m->slot[0] != NULL;
	cli_printf(s, "\nSession Type: LAN-to-LAN%s\n\n", detail ? " Detailed" : "");
	int index = 0;
	for (const struct ike_peer *p = show_peers(s); p; p = p->next) {
		if (p->sa.state != IKE_P1_COMPLETE || p->dead)
			continue;
		index++;
		char r[16], buf[64], buf2[64];
		cli_ipv4_str(p->peer, r);
		uint64_t tx = 0, rx = 0;
		int tunnels = 0;
		const struct ike_child *first = NULL;
		for (const struct ike_child *c = show_children(s); c; c = c->next)
			if (c->peer_addr == p->peer) {
				struct dp_counters in, out;
				show_counters(s, c, &in, &out);
				tx += out.bytes;
				rx += in.bytes;
				tunnels++;
				if (!first)
					first = c;
			}
		show_kv(s, "Connection", r, NULL, NULL);
		snprintf(buf, sizeof(buf), "%d", index);
		show_kv(s, "Index", buf, "IP Addr", r);
		show_kv(s, "Protocol", "IKEv1 IPsec", NULL, NULL);
		const char *pe = show_asa_encr(&p->sa.params);
		snprintf(buf, sizeof(buf), "IKEv1: (1)%s  IPsec: (%d)%s",
			 strcmp(pe, "aes-256") == 0 ? "AES256" : strcmp(pe, "aes-192") == 0 ? "AES192"
							   : strcmp(pe, "aes") == 0	 ? "AES128"
							   : strcmp(pe, "3des") == 0	 ? "3DES"
											 : "DES",
			 tunnels, first ? show_asa_ipsec_encr(first) : "none");
		show_kv(s, "Encryption", buf, NULL, NULL);
		snprintf(buf, sizeof(buf), "IKEv1: (1)%s  IPsec: (%d)%s",
			 p->sa.params.hash == 2 ? "SHA1" : show_hash(&p->sa.params, true), tunnels,
			 first ? show_asa_ipsec_hash(first) : "none");
		show_kv(s, "Hashing", buf, NULL, NULL);
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)tx);
		snprintf(buf2, sizeof(buf2), "%llu", (unsigned long long)rx);
		show_kv(s, "Bytes Tx", buf, "Bytes Rx", buf2);
		uint32_t d = (uint32_t)((pf_now_ms() - p->established_ms) / 1000);
		time_t login = time(NULL) - (time_t)d;
		struct tm tm;
		localtime_r(&login, &tm);
		char stamp[40];
		strftime(stamp, sizeof(stamp), "%H:%M:%S %Z %a %b ", &tm);
		snprintf(buf, sizeof(buf), "%s%d %d", stamp, tm.tm_mday, tm.tm_year + 1900);
		show_kv(s, "Login Time", buf, NULL, NULL);
		snprintf(buf, sizeof(buf), "%ud %uh:%02um:%02us", d / 86400, d / 3600 % 24, d / 60 % 60, d % 60);
		show_kv(s, "Duration", buf, NULL, NULL);
		if (!detail) {
			cli_printf(s, "\n");
			continue;
		}
		cli_printf(s, "\nIKEv1 Tunnels: 1\nIPsec Tunnels: %d\n\nIKEv1:\n", tunnels);
		snprintf(buf, sizeof(buf), "%d.1", index);
		show_kv(s, "Tunnel ID", buf, NULL, NULL);
		snprintf(buf, sizeof(buf), "%u", p->local_port);
		snprintf(buf2, sizeof(buf2), "%u", p->peer_port);
		show_kv(s, "UDP Src Port", buf, "UDP Dst Port", buf2);
		show_kv(s, "IKE Neg Mode", "Main", "Auth Mode", "preSharedKeys");
		show_kv(s, "Encryption", first ? pe : pe, "Hashing", show_hash(&p->sa.params, true));
		snprintf(buf, sizeof(buf), "%u Seconds", p->sa.params.lifetime);
		snprintf(buf2, sizeof(buf2), "%u Seconds", show_remaining(p->established_ms, p->sa.params.lifetime));
		show_kv(s, "Rekey Int (T)", buf, "Rekey Left(T)", buf2);
		snprintf(buf, sizeof(buf), "%u", p->sa.params.group);
		show_kv(s, "D/H Group", buf, NULL, NULL);
		cli_printf(s, "Filter Name  :\n");
		int n = 1;
		for (const struct ike_child *c = show_children(s); c; c = c->next) {
			if (c->peer_addr != p->peer)
				continue;
			struct dp_counters in, out;
			show_counters(s, c, &in, &out);
			char ln[16], lm[16];
			cli_printf(s, "\nIPsec:\n");
			snprintf(buf, sizeof(buf), "%d.%d", index, ++n);
			show_kv(s, "Tunnel ID", buf, NULL, NULL);
			cli_ipv4_str(c->local.net, ln);
			cli_ipv4_str(c->local.mask, lm);
			snprintf(buf, sizeof(buf), "%s/%s/%u/%u", ln, lm, c->local.protocol, c->local.port);
			show_kv(s, "Local Addr", buf, NULL, NULL);
			cli_ipv4_str(c->remote.net, ln);
			cli_ipv4_str(c->remote.mask, lm);
			snprintf(buf, sizeof(buf), "%s/%s/%u/%u", ln, lm, c->remote.protocol, c->remote.port);
			show_kv(s, "Remote Addr", buf, NULL, NULL);
			show_kv(s, "Encryption", show_asa_ipsec_encr(c), "Hashing", show_asa_ipsec_hash(c));
			snprintf(buf, sizeof(buf), "%d", c->pfs_group);
			show_kv(s, "Encapsulation", c->udp_encap ? "Tunnel NAT-T" : "Tunnel", "PFS Group",
				c->pfs_group ? buf : "none");
			snprintf(buf, sizeof(buf), "%u Seconds", c->lifetime);
			snprintf(buf2, sizeof(buf2), "%u Seconds", show_remaining(c->created_ms, c->lifetime));
			show_kv(s, "Rekey Int (T)", buf, "Rekey Left(T)", buf2);
			snprintf(buf, sizeof(buf), "%llu K-Bytes", (unsigned long long)c->lifetime_kb);
			snprintf(buf2, sizeof(buf2), "%llu K-Bytes",
				 (unsigned long long)(c->lifetime_kb - (in.bytes + out.bytes) / 1024));
			show_kv(s, "Rekey Int (D)", buf, "Rekey Left(D)", buf2);
			show_kv(s, "Idle Time Out", "30 Minutes", "Idle TO Left", "30 Minutes");
			snprintf(buf, sizeof(buf), "%llu", (unsigned long long)out.bytes);
			snprintf(buf2, sizeof(buf2), "%llu", (unsigned long long)in.bytes);
			show_kv(s, "Bytes Tx", buf, "Bytes Rx", buf2);
			snprintf(buf, sizeof(buf), "%llu", (unsigned long long)out.packets);
			snprintf(buf2, sizeof(buf2), "%llu", (unsigned long long)in.packets);
			show_kv(s, "Pkts Tx", buf, "Pkts Rx", buf2);
		}
		cli_printf(s, "\n");
	}
	if (index == 0)
		cli_printf(s, "INFO: There are presently no active sessions of the type specified\n");
	return 0;
}

/* ---- vpnsh's own: why is the tunnel not up ---- */

static int show_crypto_diagnose(struct cli_session *s, const struct gram_match *m)
{
	uint32_t peer;
	if (!show_peer_arg(s, m, 0, &peer))
		return -1;
	struct ike_engine *e = cli_app(s)->engine;
	int said = 0;
	if (!e) {
		cli_printf(s, "IKE is not running in this session (start vpnsh as a console or daemon).\n");
		return 0;
	}
	const struct ike_config *c = ike_engine_config(e);
	if (c->nifaces == 0) {
		cli_printf(s, "IKE listens on no interface: %s\n",
			   ASA(s) ? "enable it with `crypto ikev1 enable IF` (the interface needs an address)"
				  : "apply a crypto map to an interface that has an address");
		said++;
	}
	if (c->npolicies == 0) {
		cli_printf(s, "No ISAKMP policy is configured: phase 1 cannot be proposed or accepted.\n");
		said++;
	}
	for (size_t i = 0; i < c->nentries; i++)
		if (c->entries[i].problems[0]) {
			cli_printf(s, "crypto map %s %d cannot negotiate: %s\n", c->entries[i].map, c->entries[i].seq,
				   c->entries[i].problems);
			said++;
		}
	for (const struct ike_peer *p = ike_engine_peers(e); p; p = p->next) {
		if (peer && p->peer != peer)
			continue;
		char r[16];
		cli_ipv4_str(p->peer, r);
		if (p->reason[0] && p->sa.state != IKE_P1_COMPLETE) {
			cli_printf(s, "Peer %s, phase 1 (%s, stopped in %s): %s\n", r, p->initiator ? "initiator" : "responder",
				   ASA(s) ? ike_p1_state_asa(&p->sa) : ike_state_ios(p->sa.state), p->reason);
			said++;
		} else if (!p->dead && p->sa.state != IKE_P1_COMPLETE) {
			cli_printf(s, "Peer %s, phase 1 (%s): negotiating, now in %s\n", r,
				   p->initiator ? "initiator" : "responder",
				   ASA(s) ? ike_p1_state_asa(&p->sa) : ike_state_ios(p->sa.state));
			said++;
		} else if (p->reason[0]) {
			cli_printf(s, "Peer %s, phase 1 ended: %s\n", r, p->reason);
			said++;
		}
		if (p->p2_reason[0]) {
			cli_printf(s, "Peer %s, phase 2: %s\n", r, p->p2_reason);
			said++;
		}
	}
	if (!said)
		cli_printf(s, "No problems found%s.\n", peer ? " for this peer" : "");
	return 0;
}

static const struct cli_action cli_ike_show_actions[] = {
	{ "show_crypto_isakmp_sa", show_crypto_isakmp_sa, NULL },
	{ "show_crypto_isakmp_stats", show_crypto_isakmp_stats, NULL },
	{ "show_crypto_ipsec_sa", show_crypto_ipsec_sa, NULL },
	{ "show_crypto_session", show_crypto_session, NULL },
	{ "show_vpn_sessiondb_l2l", show_vpn_sessiondb_l2l, NULL },
	{ "show_crypto_diagnose", show_crypto_diagnose, NULL },
};

const struct cli_action_list cli_actions_ike_show = { cli_ike_show_actions,
						      sizeof(cli_ike_show_actions) / sizeof(cli_ike_show_actions[0]) };
