/*
 * ike_engine_int.h -- what the engine's files share: the engine itself,
 * sending, peers, Quick Mode and child SAs, and the debug/log lines. Not an
 * interface for anything outside ikecore/ike_engine*.c and ike_trace.c.
 */
#ifndef VPNSH_IKE_ENGINE_INT_H
#define VPNSH_IKE_ENGINE_INT_H

#include "ikecore/ike_engine.h"
#include "ikecore/ike_info.h"

#define IKE_PORT 500
#define IKE_NATT_PORT 4500

/* A crypto ACL line of a static crypto map entry, installed in the
 * dataplane as a policy before any SA exists: its traffic is then never sent
 * in the clear, and it reports interesting traffic (acquire). SA pairs
 * negotiated for the line take its reqid. */
struct eng_trap {
	uint32_t reqid;
	char map[64];
	int seq;
	struct ike_selector local, remote;
	uint32_t local_addr, peer;
	bool bypass;                  /* a deny line: its traffic goes in the clear */
};

struct ike_engine {
	struct pf_loop *loop;
	struct pf_store *store;
	unsigned dialect;
	struct dp_backend *dp;
	struct ike_engine_hooks hooks;
	struct ike_config cfg;
	int fd[2];                    /* UDP 500, UDP 4500; -1 when closed */
	struct ike_peer *peers;
	struct ike_child *children;
	int next_conn_id;
	uint32_t next_reqid;
	struct eng_trap *traps;
	size_t ntraps;
	struct ike_stats stats;
	unsigned debug_mask;
	int debug_level;
	uint32_t debug_peer;
	bool listen_failed_logged;
};

/* ike_engine.c */
int eng_send(struct ike_engine *e, struct ike_peer *p, const uint8_t *msg, size_t len);
void eng_peer_fail(struct ike_peer *p, const char *reason);
/* Remember the reply to the message just received, for its retransmissions. */
void eng_keep_reply(struct ike_peer *p, const struct ike_buf *out);
void eng_peer_delete(struct ike_peer *p, bool tell_peer, const char *why);
uint32_t eng_random_msgid(void);
struct ike_peer *eng_peer_for(struct ike_engine *e, uint32_t peer_addr);
struct ike_peer *eng_peer_start(struct ike_engine *e, const struct ike_map_entry *entry, uint32_t peer_addr);

/* ike_engine_qm.c */
void eng_qm_start(struct ike_peer *p, int entry, int line);
void eng_qm_receive(struct ike_peer *p, const uint8_t *msg, size_t len);
void eng_qm_free_all(struct ike_peer *p);
void eng_child_delete(struct ike_engine *e, struct ike_child *c, bool tell_peer, const char *why);
void eng_child_expired(struct ike_engine *e, uint32_t spi, enum dp_dir dir, bool hard);
/* Install the policies of the crypto map entries as they now are. */
void eng_traps_sync(struct ike_engine *e);
void eng_traps_free(struct ike_engine *e);
struct ike_child *eng_child_find(struct ike_engine *e, uint32_t peer, const char *map, int seq,
				 const struct ike_selector *local, const struct ike_selector *remote);

/* ike_trace.c: debug lines and syslog messages in the personality's words */
bool trace_on(struct ike_engine *e, unsigned what, int level, uint32_t peer);
void trace_debug(struct ike_engine *e, unsigned what, int level, const struct ike_peer *p, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void trace_log(struct ike_engine *e, int severity, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void trace_addr(uint32_t a, char *out, size_t len);
/* "ISAKMP:(1001):" or "[IKEv1]: Group = 10.0.0.2, IP = 10.0.0.2, " */
void trace_prefix(const struct ike_engine *e, const struct ike_peer *p, bool detail, char *out, size_t len);
void trace_state(struct ike_engine *e, struct ike_peer *p, enum ike_p1_state from, enum ike_p1_state to);
void trace_packet(struct ike_engine *e, struct ike_peer *p, bool sending, const uint8_t *msg, size_t len);
void trace_p1_done(struct ike_engine *e, struct ike_peer *p);
void trace_p1_failed(struct ike_engine *e, struct ike_peer *p);
void trace_p2_done(struct ike_engine *e, struct ike_peer *p, const struct ike_child *c, uint32_t msgid);
void trace_p2_failed(struct ike_engine *e, struct ike_peer *p, const char *reason);
void trace_child_gone(struct ike_engine *e, const struct ike_child *c, const char *why);

#endif
