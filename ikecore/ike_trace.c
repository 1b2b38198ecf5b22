/*
 * ike_trace.c -- what the engine prints: `debug crypto isakmp` and
 * `debug crypto ipsec` lines and syslog messages, in the words and layout of
 * the personality (IOS: `ISAKMP:(1001):Old State = IKE_I_MM4  New State =
 * IKE_I_MM5 `; ASA: `[IKEv1]: Group = 10.0.0.2, IP = 10.0.0.2, PHASE 1
 * COMPLETED` and `%ASA-5-713119` messages). Each failure also gets one line
 * with vpnsh's reason in plain words. No key material reaches this file.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ikecore/ike_engine_int.h"

void trace_addr(uint32_t a, char *out, size_t len)
{
	snprintf(out, len, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

bool trace_on(struct ike_engine *e, unsigned what, int level, uint32_t peer)
{
	return e->hooks.debug && (e->debug_mask & what) && level <= e->debug_level &&
	       (!e->debug_peer || !peer || peer == e->debug_peer);
}

static bool trace_keyed(const struct ike_peer *p)
{
	return p && p->sa.keys.len > 0;
}

void trace_prefix(const struct ike_engine *e, const struct ike_peer *p, bool detail, char *out, size_t len)
{
	if (e->dialect == IKE_DIALECT_IOS) {
		snprintf(out, len, "ISAKMP:(%d):", trace_keyed(p) ? p->conn_id : 0);
		return;
	}
	if (!p) {
		snprintf(out, len, "[IKEv1%s]: ", detail ? " DEBUG" : "");
		return;
	}
	char a[16];
	trace_addr(p->peer, a, sizeof(a));
	if (trace_keyed(p))
		snprintf(out, len, "[IKEv1%s]: Group = %s, IP = %s, ", detail ? " DEBUG" : "", a, a);
	else
		snprintf(out, len, "[IKEv1%s]: IP = %s, ", detail ? " DEBUG" : "", a);
}

static void trace_emit(struct ike_engine *e, const char *line)
{
	/* one hook call per line: multi-line messages are split */
	const char *s = line;
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		char one[512];
		snprintf(one, sizeof(one), "%.*s", (int)n, s);
		e->hooks.debug(e->hooks.ctx, one);
		s += n + (nl ? 1 : 0);
	}
}

void trace_debug(struct ike_engine *e, unsigned what, int level, const struct ike_peer *p, const char *fmt, ...)
{
	if (!trace_on(e, what, level, p ? p->peer : 0))
		return;
	char pre[96], msg[400], line[512];
	trace_prefix(e, p, level > 1, pre, sizeof(pre));
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(line, sizeof(line), "%s%s", pre, msg);
	trace_emit(e, line);
}

void trace_log(struct ike_engine *e, int severity, const char *fmt, ...)
{
	if (!e->hooks.log)
		return;
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	e->hooks.log(e->hooks.ctx, severity, line);
}

/* ---- phase 1 ---- */

static void trace_step(struct ike_engine *e, const struct ike_peer *p, const char *input, enum ike_p1_state from,
		       enum ike_p1_state to)
{
	char pre[32], line[256];
	trace_prefix(e, p, false, pre, sizeof(pre));
	snprintf(line, sizeof(line), "%sInput = %s\n%sOld State = %s  New State = %s ", pre, input, pre,
		 ike_state_name(from), ike_state_name(to));
	trace_emit(e, line);
}

/* IOS prints every step of its state machine: a message received moves it
 * one state on, and sending the answer one more. */
void trace_state(struct ike_engine *e, struct ike_peer *p, enum ike_p1_state from, enum ike_p1_state to)
{
	if (e->dialect != IKE_DIALECT_IOS || !trace_on(e, IKE_DEBUG_ISAKMP, 1, p->peer) || from == to)
		return;
	const char *exch = p->sa.aggressive ? "IKE_AM_EXCH" : "IKE_MM_EXCH";
	char input[64];
	if (from == IKE_READY && p->initiator) {
		trace_step(e, p, "IKE_MESG_INTERNAL, IKE_INIT_NEW_SA", from, to);
		return;
	}
	enum ike_p1_state mid = to;
	if (from == IKE_READY && to > IKE_R_MM1 && to <= IKE_R_MM5)
		mid = IKE_R_MM1;
	else if (from >= IKE_I_MM1 && from < IKE_R_MM5 && from != IKE_I_MM6 && from + 1 != to)
		mid = (enum ike_p1_state)(from + 1);
	snprintf(input, sizeof(input), "IKE_MESG_FROM_PEER, %s", exch);
	trace_step(e, p, input, from, mid);
	if (mid != to)
		trace_step(e, p, "IKE_MESG_INTERNAL, IKE_PROCESS_COMPLETE", mid, to);
}

static const char *trace_payload_name(uint8_t t)
{
	switch (t) {
	case IKE_PL_SA:
		return "SA";
	case IKE_PL_KE:
		return "KE";
	case IKE_PL_ID:
		return "ID";
	case IKE_PL_HASH:
		return "HASH";
	case IKE_PL_NONCE:
		return "NONCE";
	case IKE_PL_NOTIFY:
		return "NOTIFY";
	case IKE_PL_DELETE:
		return "DELETE";
	case IKE_PL_VENDOR:
		return "VENDOR";
	case IKE_PL_NATD:
	case IKE_PL_NATD_DRAFT:
		return "NAT-D";
	default:
		return "UNKNOWN";
	}
}

void trace_packet(struct ike_engine *e, struct ike_peer *p, bool sending, const uint8_t *msg, size_t len)
{
	char a[16], line[512];
	trace_addr(p->peer, a, sizeof(a));
	const char *st = ike_state_ios(p->sa.state);
	if (e->dialect == IKE_DIALECT_IOS) {
		if (!trace_on(e, IKE_DEBUG_ISAKMP, 1, p->peer))
			return;
		if (sending)
			snprintf(line, sizeof(line), "ISAKMP:(%d): sending packet to %s my_port %u peer_port %u (%c) %s",
				 trace_keyed(p) ? p->conn_id : 0, a, p->local_port, p->peer_port, p->initiator ? 'I' : 'R', st);
		else
			snprintf(line, sizeof(line), "ISAKMP (%d): received packet from %s dport %u sport %u Global (%c) %s",
				 trace_keyed(p) ? p->conn_id : 0, a, p->local_port, p->peer_port, p->initiator ? 'I' : 'R', st);
		trace_emit(e, line);
		return;
	}
	if (!trace_on(e, IKE_DEBUG_ISAKMP, 5, p->peer))
		return;
	/* the payload chain, where it is readable on the wire */
	struct ike_msg m;
	char why[64], list[256] = "HDR";
	uint32_t msgid = 0;
	if (ike_msg_parse(msg, len, &m, why, sizeof(why)) == 0) {
		msgid = m.hdr.msgid;
		if (m.hdr.flags & IKE_FLAG_ENCRYPTED)
			snprintf(list + strlen(list), sizeof(list) - strlen(list), " + %s (%u) + ...",
				 trace_payload_name(m.hdr.next_payload), m.hdr.next_payload);
		for (size_t i = 0; i < m.npl; i++)
			snprintf(list + strlen(list), sizeof(list) - strlen(list), " + %s (%u)",
				 trace_payload_name(m.pl[i].type), m.pl[i].type);
	}
	snprintf(line, sizeof(line), "[IKEv1]: IP = %s, IKE_DECODE %s Message (msgid=%x) with payloads : %s + NONE (0) total length : %zu",
		 a, sending ? "SENDING" : "RECEIVED", msgid, list, len);
	trace_emit(e, line);
}

void trace_p1_done(struct ike_engine *e, struct ike_peer *p)
{
	char a[16];
	trace_addr(p->peer, a, sizeof(a));
	if (e->dialect == IKE_DIALECT_IOS) {
		trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "SA authentication status:\n\tauthenticated");
		trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "SA has been authenticated with %s", a);
		return;
	}
	trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "PHASE 1 COMPLETED");
	trace_log(e, 5, "%%ASA-5-713119: Group = %s, IP = %s, PHASE 1 COMPLETED", a, a);
}

void trace_p1_failed(struct ike_engine *e, struct ike_peer *p)
{
	char a[16];
	trace_addr(p->peer, a, sizeof(a));
	bool psk = strstr(p->reason, "pre-shared key") != NULL;
	bool proposal = strstr(p->reason, "policy") != NULL || strstr(p->reason, "offered") != NULL;
	if (e->dialect == IKE_DIALECT_IOS) {
		if (psk)
			trace_log(e, 4, "%%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from %s failed its sanity check or is malformed",
				  a);
		else
			trace_log(e, 6, "%%CRYPTO-6-IKMP_MODE_FAILURE: Processing of Main mode failed with peer at %s", a);
		if (proposal)
			trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "atts are not acceptable. Next payload is 0");
		trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "phase 1 failed: %s", p->reason);
		return;
	}
	if (psk) {
		trace_debug(e, IKE_DEBUG_ISAKMP, 1, p,
			    "ERROR, had problems decrypting packet, probably due to mismatched pre-shared key.  Aborting");
		trace_log(e, 4, "%%ASA-4-713903: IP = %s, ERROR, had problems decrypting packet, probably due to mismatched pre-shared key.  Aborting",
			  a);
	} else if (proposal) {
		trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "All SA proposals found unacceptable");
		trace_log(e, 5, "%%ASA-5-713904: IP = %s, All SA proposals found unacceptable", a);
	}
	trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "phase 1 failed: %s", p->reason);
	trace_log(e, 5, "%%ASA-5-713904: IP = %s, Phase 1 failure: %s", a, p->reason);
}

/* ---- phase 2 ---- */

void trace_p2_done(struct ike_engine *e, struct ike_peer *p, const struct ike_child *c, uint32_t msgid)
{
	char a[16], l[16], r[16], desc[96];
	trace_addr(p->peer, a, sizeof(a));
	trace_addr(p->local, l, sizeof(l));
	trace_addr(c->remote.net, r, sizeof(r));
	ike_esp_describe(&c->esp, desc, sizeof(desc));
	if (e->dialect == IKE_DIALECT_IOS) {
		char ln[16];
		trace_addr(c->local.net, ln, sizeof(ln));
		trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "Creating IPSec SAs");
		if (trace_on(e, IKE_DEBUG_ISAKMP, 1, p->peer)) {
			char line[512];
			snprintf(line, sizeof(line),
				 "        inbound SA from %s to %s (f/i)  0/ 0\n        (proxy %s to %s)\n"
				 "        has spi 0x%X and conn_id 0\n        lifetime of %u seconds\n"
				 "        outbound SA from %s to %s (f/i) 0/0\n        (proxy %s to %s)\n"
				 "        has spi  0x%X and conn_id 0\n        lifetime of %u seconds",
				 a, l, r, ln, c->spi_in, c->lifetime, l, a, ln, r, c->spi_out, c->lifetime);
			trace_emit(e, line);
		}
		trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "Old State = %s  New State = IKE_QM_PHASE2_COMPLETE ",
			    c->initiator ? "IKE_QM_I_QM1" : "IKE_QM_R_QM2");
		if (trace_on(e, IKE_DEBUG_IPSEC, 1, p->peer)) {
			char line[512];
			snprintf(line, sizeof(line),
				 "IPSEC(create_sa): sa created,\n  (sa) sa_dest= %s, sa_proto= 50, \n    sa_spi= 0x%X(%u), \n"
				 "    sa_trans= %s , sa_conn_id= %u\nIPSEC(create_sa): sa created,\n  (sa) sa_dest= %s, sa_proto= 50, \n"
				 "    sa_spi= 0x%X(%u), \n    sa_trans= %s , sa_conn_id= %u",
				 l, c->spi_in, c->spi_in, desc, 2000 + c->reqid * 2 - 1, a, c->spi_out, c->spi_out, desc,
				 2000 + c->reqid * 2);
			trace_emit(e, line);
		}
		trace_log(e, 5, "%%CRYPTO-5-SESSION_STATUS: Crypto tunnel is UP  .  Peer %s:%u       Id: %s", a, p->peer_port,
			  a);
		return;
	}
	trace_debug(e, IKE_DEBUG_ISAKMP, 1, p,
		    "Security negotiation complete for LAN-to-LAN Group (%s)  %s, Inbound SPI = 0x%08x, Outbound SPI = 0x%08x",
		    a, c->initiator ? "Initiator" : "Responder", c->spi_in, c->spi_out);
	trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "PHASE 2 COMPLETED (msgid=%08x)", msgid);
	trace_log(e, 6, "%%ASA-6-602303: IPSEC: An outbound LAN-to-LAN SA (SPI= 0x%08X) between %s and %s (user= %s) has been created.",
		  c->spi_out, l, a, a);
	trace_log(e, 6, "%%ASA-6-602303: IPSEC: An inbound LAN-to-LAN SA (SPI= 0x%08X) between %s and %s (user= %s) has been created.",
		  c->spi_in, l, a, a);
	trace_log(e, 5, "%%ASA-5-713049: Group = %s, IP = %s, Security negotiation complete for LAN-to-LAN Group (%s)  %s, Inbound SPI = 0x%08x, Outbound SPI = 0x%08x",
		  a, a, a, c->initiator ? "Initiator" : "Responder", c->spi_in, c->spi_out);
	trace_log(e, 5, "%%ASA-5-713120: Group = %s, IP = %s, PHASE 2 COMPLETED (msgid=%08x)", a, a, msgid);
}

void trace_p2_failed(struct ike_engine *e, struct ike_peer *p, const char *reason)
{
	char a[16];
	trace_addr(p->peer, a, sizeof(a));
	snprintf(p->p2_reason, sizeof(p->p2_reason), "%s", reason);
	bool proposal = strstr(reason, "proposals found unacceptable") != NULL;
	const char *reject = strstr(reason, "Rejecting IPSec tunnel");
	if (e->dialect == IKE_DIALECT_IOS) {
		if (proposal)
			trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "IPSec policy invalidated proposal with error 256");
		else if (reject)
			trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "IPSec policy invalidated proposal with error 32");
		trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "phase 2 failed: %s", reason);
		trace_log(e, 6, "%%CRYPTO-6-IKMP_MODE_FAILURE: Processing of Quick mode failed with peer at %s", a);
		return;
	}
	if (proposal) {
		trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "All IPSec SA proposals found unacceptable!");
		trace_log(e, 5, "%%ASA-5-713904: Group = %s, IP = %s, All IPSec SA proposals found unacceptable!", a, a);
	} else if (reject) {
		trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "%s", reject);
		trace_log(e, 3, "%%ASA-3-713061: Group = %s, IP = %s, %s", a, a, reject);
	}
	trace_debug(e, IKE_DEBUG_ISAKMP, 1, p, "phase 2 failed: %s", reason);
}

void trace_child_gone(struct ike_engine *e, const struct ike_child *c, const char *why)
{
	char a[16], l[16];
	trace_addr(c->peer_addr, a, sizeof(a));
	trace_addr(c->local_addr, l, sizeof(l));
	if (e->dialect == IKE_DIALECT_IOS) {
		if (trace_on(e, IKE_DEBUG_IPSEC, 1, c->peer_addr)) {
			char line[400];
			snprintf(line, sizeof(line),
				 "IPSEC(delete_sa): deleting SA,\n  (sa) sa_dest= %s, sa_proto= 50, \n    sa_spi= 0x%X(%u), \n"
				 "  (reason: %s)",
				 a, c->spi_out, c->spi_out, why);
			trace_emit(e, line);
		}
		return;
	}
	trace_log(e, 6, "%%ASA-6-602304: IPSEC: An outbound LAN-to-LAN SA (SPI= 0x%08X) between %s and %s (user= %s) has been deleted.",
		  c->spi_out, l, a, a);
	trace_log(e, 6, "%%ASA-6-602304: IPSEC: An inbound LAN-to-LAN SA (SPI= 0x%08X) between %s and %s (user= %s) has been deleted.",
		  c->spi_in, a, l, a);
}
