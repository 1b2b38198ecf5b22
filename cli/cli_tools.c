/*
 * cli_tools.c -- the troubleshooting tools: `ping` from the appliance (both
 * dialects) and the ASA's packet capture (`capture`, `show capture`, `clear
 * capture`, `no capture`, `copy /pcap capture:NAME FILE`). The grammar is in
 * grammar/cmds_tools.c.
 *
 * ping sends ICMP echos on a raw socket, one at a time, each waiting up to
 * the timeout for its reply, and prints a character per echo as the answer
 * arrives. It is a job on the appliance's event loop (cli_job_begin): the
 * handler opens the socket and returns, the loop delivers the replies and
 * the timeouts, and the session that typed the ping takes no other line
 * until it ends (or its user aborts it with Ctrl-C or Ctrl-^). The loop
 * keeps running meanwhile, so the IKE engine can negotiate the tunnel the
 * echos are the first traffic of (where a device prints `.!!!!`, vpnsh's
 * dataplane holds the first echo until the SA is up), and the other
 * consoles go on answering.
 *
 * A capture is an AF_PACKET socket bound to the Linux interface behind a
 * nameif, with a classic BPF program doing the `match` (IPv4 only, as on the
 * ASA, both directions of the flow), watched by the appliance's event loop.
 * Packets go to a bounded buffer (512 KB by default, `buffer N`); when it is
 * full the capture stops keeping packets, as the ASA's linear buffer does.
 * The kernel timestamps each packet, so packets read late (in batch mode,
 * where the loop runs only while a ping does and `show capture` reads what
 * is queued) keep their true times. Captures are state of the
 * running appliance, not configuration: they are not in the store and are
 * gone when vpnsh stops.
 *
 * `copy /pcap capture:NAME disk0:/FILE` writes into a directory `disk0`
 * beside the startup-config file (created when first needed); a destination
 * that is a plain path is written as given. Files are created 0600 (a
 * capture may hold anything the network carried), and a symbolic link in
 * the file's place is refused rather than followed (the daemon runs as root).
 */
#include "cli/cli_int.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
/* the kernel's headers after the C library's, which they defer to */
#include <linux/filter.h>
#include <linux/icmp.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include "platform/pf_link.h"
#include "platform/pf_loop.h"
#include "platform/pf_store.h"

#define ASA(s) (cli_dialect(s) == GRAM_ASA)

/* ---- shared helpers ---- */

static uint16_t cli_get16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t cli_get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool cli_tools_addr(const char *text, uint32_t *out)
{
	struct in_addr a;
	if (!text || inet_pton(AF_INET, text, &a) != 1)
		return false;
	*out = ntohl(a.s_addr);
	return true;
}

/* An option typed twice holds both values, space-joined: the last counts. */
static const char *cli_tools_last(const char *v)
{
	if (!v)
		return NULL;
	const char *sp = strrchr(v, ' ');
	return sp ? sp + 1 : v;
}

/* The line being run. The session files a line in its history before it
 * runs the handler, so the last history entry is it. */
static const char *cli_tools_line(const struct cli_session *s)
{
	return s->nhistory > 0 ? s->history[s->nhistory - 1] : "";
}

/* Column of the k-th word after the command word cmd (which the line may
 * abbreviate, and which `do` may precede), or the end of the line. */
static size_t cli_tools_word_col(const struct cli_session *s, const char *cmd, int k)
{
	const char *line = cli_tools_line(s);
	size_t i = 0, n = strlen(line);
	int found = -1;
	while (i < n) {
		i += strspn(line + i, " \t");
		if (i >= n)
			break;
		size_t len = strcspn(line + i, " \t");
		if (found < 0 && len <= strlen(cmd) && strncasecmp(line + i, cmd, len) == 0)
			found = 0;
		else if (found >= 0 && ++found == k)
			return i;
		i += len;
	}
	return n;
}

/* Column of the word that follows keyword (abbreviated to at least minlen
 * letters) among the words from the from-th after the command word on: the
 * first such word, or the last when the keyword may be repeated. */
static size_t cli_tools_col_after(const struct cli_session *s, const char *cmd, int from, const char *keyword,
				  size_t minlen, bool last)
{
	const char *line = cli_tools_line(s);
	size_t found = strlen(line);
	for (int k = from;; k++) {
		size_t at = cli_tools_word_col(s, cmd, k);
		if (!line[at])
			return found;
		size_t len = strcspn(line + at, " \t");
		if (len >= minlen && len <= strlen(keyword) && strncasecmp(line + at, keyword, len) == 0) {
			found = cli_tools_word_col(s, cmd, k + 1);
			if (!last)
				return found;
		}
	}
}

/* The device's answer to a word it has no use for, with the caret under it.
 * The grammar accepts any word where an interface or capture name goes; the
 * handler knows which names exist, and answers as the device's parser would. */
static int cli_tools_caret(struct cli_session *s, size_t col)
{
	size_t at = col + (s->show_prompt_in_caret ? s->prompt_len : 0);
	for (size_t i = 0; i < at; i++)
		cli_write(s, " ", 1);
	cli_write(s, "^\n", 2);
	return cli_error(s, "%s%% Invalid input detected at '^' marker.%s", ASA(s) ? "ERROR: " : "",
			 ASA(s) ? "" : "\n");
}

/* An interface as the tools need it: its Linux device and live address. */
struct cli_tools_if {
	char name[64];     /* the configured name */
	char dev[16];      /* the Linux interface */
	uint32_t addr;     /* its first IPv4 address, 0: none */
	bool present, up;
};

static void cli_tools_if_fill(struct cli_session *s, const char *name, struct cli_tools_if *out)
{
	snprintf(out->name, sizeof(out->name), "%s", name);
	snprintf(out->dev, sizeof(out->dev), "%s", cli_app_linux_name(cli_app(s), name));
	struct pf_link_info info;
	out->present = pf_link_get(out->dev, &info) == 0;
	out->addr = out->present ? info.addr : 0;
	out->up = out->present && info.admin_up;
}

/* The interface an ASA nameif names. */
static bool cli_tools_nameif(struct cli_session *s, const char *nameif, struct cli_tools_if *out)
{
	sqlite3_stmt *q = cli_stmt(s, "SELECT name FROM interface WHERE nameif = ?");
	if (!q)
		return false;
	sqlite3_bind_text(q, 1, nameif, -1, SQLITE_TRANSIENT);
	bool found = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0);
	if (found)
		cli_tools_if_fill(s, (const char *)sqlite3_column_text(q, 0), out);
	sqlite3_reset(q);
	return found;
}

/* Whether word names the interface called name the way IOS accepts it:
 * whole, or its type abbreviated (`gi0/0`, `Gig0/0` for GigabitEthernet0/0). */
static bool cli_tools_if_abbrev(const char *word, const char *name)
{
	if (strcasecmp(word, name) == 0)
		return true;
	size_t wt = strcspn(word, "0123456789"), nt = strcspn(name, "0123456789");
	return wt > 0 && wt <= nt && word[wt] && strncasecmp(word, name, wt) == 0 &&
	       strcasecmp(word + wt, name + nt) == 0;
}

/* An IOS interface by name: a configured one (abbreviations allowed), else
 * a Linux interface of the host by its own name. */
static bool cli_tools_ios_if(struct cli_session *s, const char *word, struct cli_tools_if *out)
{
	sqlite3_stmt *q = cli_stmt(s, "SELECT name FROM interface ORDER BY name COLLATE natsort");
	char found[64] = "";
	while (q && sqlite3_step(q) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(q, 0);
		if (name && cli_tools_if_abbrev(word, name)) {
			snprintf(found, sizeof(found), "%s", name);
			break;
		}
	}
	if (q)
		sqlite3_reset(q);
	if (found[0]) {
		cli_tools_if_fill(s, found, out);
		return true;
	}
	struct pf_link_info info;
	if (pf_link_get(cli_app_linux_name(cli_app(s), word), &info) < 0)
		return false;
	cli_tools_if_fill(s, word, out);
	return true;
}

/* ---- ping ---- */

struct cli_ping {
	uint32_t dst;
	uint32_t src;          /* 0: the kernel chooses */
	unsigned long count;
	unsigned size;         /* the whole IP datagram, as the devices count it */
	unsigned timeout;      /* seconds per echo */
	bool df;
	bool show_source;      /* IOS prints the source address it was given */
};

struct cli_ping_stats {
	unsigned long sent, received;
	unsigned long min_ms, max_ms, sum_ms;
};

static uint16_t cli_icmp_checksum(const unsigned char *p, size_t n)
{
	uint32_t sum = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static long cli_ms_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000L + (b->tv_nsec - a->tv_nsec) / 1000000L;
}

/* What an ICMP message received says about our echo (id, seq): '!' for the
 * reply, the devices' letters for errors about it, 0 when it is not ours.
 * p is the whole IP datagram as the raw socket hands it over. */
static char cli_ping_classify(const unsigned char *p, size_t n, uint32_t dst, uint16_t id, uint16_t seq)
{
	if (n < 20 || (p[0] >> 4) != 4)
		return 0;
	size_t ihl = (size_t)(p[0] & 0x0f) * 4;
	if (ihl < 20 || n < ihl + 8)
		return 0;
	const unsigned char *icmp = p + ihl;
	uint8_t type = icmp[0], code = icmp[1];
	if (type == ICMP_ECHOREPLY)
		return cli_get32(p + 12) == dst && cli_get16(icmp + 4) == id && cli_get16(icmp + 6) == seq ? '!' : 0;
	/* an error quotes the datagram it is about: our echo's IP header and
	 * at least the first 8 bytes of its ICMP header */
	const unsigned char *inner = icmp + 8;
	size_t left = n - ihl - 8;
	if (left < 20 || (inner[0] >> 4) != 4)
		return 0;
	size_t iihl = (size_t)(inner[0] & 0x0f) * 4;
	if (iihl < 20 || left < iihl + 8 || inner[9] != IPPROTO_ICMP || cli_get32(inner + 16) != dst)
		return 0;
	const unsigned char *echo = inner + iihl;
	if (echo[0] != ICMP_ECHO || cli_get16(echo + 4) != id || cli_get16(echo + 6) != seq)
		return 0;
	switch (type) {
	case ICMP_DEST_UNREACH:
		return code == ICMP_FRAG_NEEDED ? 'M' : 'U';
	case ICMP_SOURCE_QUENCH:
		return 'Q';
	case ICMP_TIME_EXCEEDED:
		return '&';
	default:
		return '?';
	}
}

/* ping as a job on the appliance's loop (cli_job_begin, cli.h): the raw
 * socket is watched by the loop, and one timer at a time says when the
 * echo waited for has timed out, or when the next echo leaves. The echos
 * still go one at a time, each after the previous one ended, as on the
 * devices. Each step runs from the loop and returns to it, so IKE can
 * bring a tunnel up for the very echos that asked for it, and the other
 * consoles answer while a long ping runs. */

/* After an echo that could not be sent (no route, too big with df-bit),
 * the next leaves after this pause rather than at once: a large repeat
 * count of such echos must not keep the loop to itself. */
#define CLI_PING_PAUSE_MS 10
/* Datagrams read per readable event: other sockets get their turn. */
#define CLI_PING_READ_BUDGET 64

struct cli_ping_run {
	struct cli_session *s;
	struct pf_loop *loop;
	struct cli_ping p;
	int fd;
	uint16_t id;
	unsigned long next;            /* echos begun */
	bool waiting;                  /* echo next-1 is out and awaits its answer */
	struct timespec sent_at;       /* when it left */
	struct pf_timer *timer;        /* its timeout, or the pause before the next echo */
	struct cli_ping_stats st;
	int col;
	unsigned char pkt[];           /* p.size bytes: the echo being sent */
};

static void cli_ping_send(void *arg);

static void cli_ping_free(struct cli_ping_run *r)
{
	pf_timer_cancel(r->loop, r->timer);
	pf_loop_del_fd(r->loop, r->fd);
	close(r->fd);
	free(r);
}

/* The summary, then the session is free for its next line. Also what an
 * abort prints: the echos that ended so far. */
static void cli_ping_finish(struct cli_ping_run *r)
{
	struct cli_session *s = r->s;
	const struct cli_ping_stats *st = &r->st;
	cli_printf(s, "\nSuccess rate is %lu percent (%lu/%lu)", st->sent ? st->received * 100 / st->sent : 0,
		   st->received, st->sent);
	if (st->received)
		cli_printf(s, ", round-trip min/avg/max = %lu/%lu/%lu ms", st->min_ms, st->sum_ms / st->received,
			   st->max_ms);
	cli_printf(s, "\n");
	cli_ping_free(r);
	cli_job_end(s);
}

/* Arm the one timer; false (after ending the ping) when it cannot be had. */
static bool cli_ping_arm(struct cli_ping_run *r, uint64_t ms, pf_timer_cb cb)
{
	r->timer = pf_timer_add(r->loop, ms, cb, r);
	if (r->timer)
		return true;
	cli_error(r->s, "\n%s%% Out of memory", ASA(r->s) ? "ERROR: " : "");
	cli_ping_finish(r);
	return false;
}

/* An echo ended with the character c (a reply: after ms). Print it, then
 * send the next echo after delay_ms, or end. */
static void cli_ping_result(struct cli_ping_run *r, char c, long ms, uint64_t delay_ms)
{
	struct cli_ping_stats *st = &r->st;
	st->sent++;
	if (c == '!') {
		st->received++;
		st->sum_ms += (unsigned long)ms;
		if ((unsigned long)ms < st->min_ms)
			st->min_ms = (unsigned long)ms;
		if ((unsigned long)ms > st->max_ms)
			st->max_ms = (unsigned long)ms;
	}
	cli_write(r->s, &c, 1);
	if (++r->col == 70 && st->sent < r->p.count) { /* the devices wrap the line at 70 */
		cli_write(r->s, "\n", 1);
		r->col = 0;
	}
	cli_job_flush(r->s);
	if (st->sent >= r->p.count)
		cli_ping_finish(r);
	else
		cli_ping_arm(r, delay_ms, cli_ping_send);
}

/* The timer of the echo waited for: it is lost. */
static void cli_ping_timeout(void *arg)
{
	struct cli_ping_run *r = arg;
	r->timer = NULL; /* the loop frees a timer that fired */
	r->waiting = false;
	cli_ping_result(r, '.', 0, 0);
}

/* Send echo number r->next and wait for what becomes of it. */
static void cli_ping_send(void *arg)
{
	struct cli_ping_run *r = arg;
	const struct cli_ping *p = &r->p;
	unsigned char *pkt = r->pkt;
	uint16_t seq = (uint16_t)r->next++;
	r->timer = NULL; /* the loop frees a timer that fired */
	size_t len = p->size - 20; /* the kernel adds the IP header */
	pkt[0] = ICMP_ECHO;
	pkt[1] = 0;
	pkt[2] = pkt[3] = 0;
	pkt[4] = (unsigned char)(r->id >> 8);
	pkt[5] = (unsigned char)r->id;
	pkt[6] = (unsigned char)(seq >> 8);
	pkt[7] = (unsigned char)seq;
	for (size_t i = 8; i < len; i++)
		pkt[i] = (i & 1) ? 0xcd : 0xab; /* the devices' default data pattern 0xABCD */
	uint16_t sum = cli_icmp_checksum(pkt, len);
	pkt[2] = (unsigned char)(sum >> 8);
	pkt[3] = (unsigned char)sum;

	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(p->dst) };
	clock_gettime(CLOCK_MONOTONIC, &r->sent_at);
	if (sendto(r->fd, pkt, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
		cli_ping_result(r, errno == EMSGSIZE ? 'M' : '.', 0, CLI_PING_PAUSE_MS);
		return;
	}
	r->waiting = true;
	/* timeout 0 still lets the loop turn once for a reply already there */
	cli_ping_arm(r, p->timeout ? (uint64_t)p->timeout * 1000u : 1u, cli_ping_timeout);
}

/* The raw socket has datagrams: any ICMP message the host received that
 * the filter kept. Ours is the one about the echo waited for. */
static void cli_ping_readable(void *arg, int fd, unsigned events)
{
	struct cli_ping_run *r = arg;
	static unsigned char in[65536]; /* the control thread's only */
	(void)events;
	for (int budget = CLI_PING_READ_BUDGET; budget > 0; budget--) {
		ssize_t n = recv(fd, in, sizeof(in), MSG_DONTWAIT);
		if (n < 0)
			return; /* drained (or an error the read just cleared) */
		if (!r->waiting)
			continue; /* late: its echo already timed out */
		char c = cli_ping_classify(in, (size_t)n, r->p.dst, r->id, (uint16_t)(r->next - 1));
		if (!c)
			continue;
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		long us = (now.tv_sec - r->sent_at.tv_sec) * 1000000L + (now.tv_nsec - r->sent_at.tv_nsec) / 1000L;
		pf_timer_cancel(r->loop, r->timer);
		r->timer = NULL;
		r->waiting = false;
		/* the devices print at least 1 ms for a reply; the next echo
		 * leaves at once, from the loop */
		cli_ping_result(r, c, (us + 999) / 1000, 0);
		return; /* r may be gone: the ping ended */
	}
}

/* The session ends the ping: aborted by its user (the summary of what
 * ended so far, as the devices print it), or closed (quietly). */
static void cli_ping_stop(void *arg, bool gone)
{
	struct cli_ping_run *r = arg;
	if (gone)
		cli_ping_free(r);
	else
		cli_ping_finish(r);
}

static int cli_ping_socket(struct cli_session *s, const struct cli_ping *p)
{
	const char *pre = ASA(s) ? "ERROR: " : "";
	int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_ICMP);
	if (fd < 0) {
		cli_error(s, "%s%% Unable to send ICMP echos: %s", pre, strerror(errno));
		return -1;
	}
	/* only what can be about our echos: replies and errors */
	struct icmp_filter keep = { ~((1u << ICMP_ECHOREPLY) | (1u << ICMP_DEST_UNREACH) | (1u << ICMP_SOURCE_QUENCH) |
				      (1u << ICMP_TIME_EXCEEDED) | (1u << ICMP_PARAMETERPROB)) };
	int pmtu = p->df ? IP_PMTUDISC_DO : IP_PMTUDISC_DONT;
	if (setsockopt(fd, SOL_RAW, ICMP_FILTER, &keep, sizeof(keep)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &pmtu, sizeof(pmtu)) < 0) {
		cli_error(s, "%s%% Unable to send ICMP echos: %s", pre, strerror(errno));
		close(fd);
		return -1;
	}
	if (p->src) {
		struct sockaddr_in from = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(p->src) };
		if (bind(fd, (struct sockaddr *)&from, sizeof(from)) < 0) {
			if (ASA(s))
				cli_error(s, "ERROR: %% Invalid source address: %s", strerror(errno));
			else
				cli_error(s, "%% Invalid source address- IP address not on any of our up interfaces");
			close(fd);
			return -1;
		}
	}
	return fd;
}

static int cli_ping_run(struct cli_session *s, const struct cli_ping *p)
{
	struct pf_loop *loop = cli_app(s)->loop;
	if (!loop)
		return cli_error(s, "%s%% ping needs the appliance's event loop", ASA(s) ? "ERROR: " : "");
	int fd = cli_ping_socket(s, p);
	if (fd < 0)
		return -1;
	struct cli_ping_run *r = calloc(1, sizeof(*r) + p->size);
	if (!r) {
		close(fd);
		return cli_error(s, "%s%% Out of memory", ASA(s) ? "ERROR: " : "");
	}
	static uint16_t next_id;
	r->s = s;
	r->loop = loop;
	r->p = *p;
	r->fd = fd;
	r->id = (uint16_t)(getpid() ^ ++next_id); /* each ping its own: they may run side by side */
	r->st.min_ms = (unsigned long)-1;
	/* the first echo leaves from the loop too, so that the ping never
	 * ends inside its handler */
	r->timer = pf_timer_add(loop, 0, cli_ping_send, r);
	if (!r->timer || pf_loop_add_fd(loop, fd, PF_LOOP_READ, cli_ping_readable, r) < 0) {
		pf_timer_cancel(loop, r->timer);
		close(fd);
		free(r);
		return cli_error(s, "%s%% Unable to send ICMP echos: cannot watch the socket", ASA(s) ? "ERROR: " : "");
	}
	char dst[16], src[16];
	cli_ipv4_str(p->dst, dst);
	cli_ipv4_str(p->src, src);
	cli_printf(s, "Type escape sequence to abort.\n");
	cli_printf(s, "Sending %lu, %u-byte ICMP Echos to %s, timeout is %u seconds:\n", p->count, p->size, dst,
		   p->timeout);
	if (p->show_source)
		cli_printf(s, "Packet sent with a source address of %s \n", src);
	cli_job_begin(s, cli_ping_stop, r);
	return 0;
}

/* IOS: ping A.B.C.D [repeat N] [size N] [source A.B.C.D|IF] [timeout N] [df-bit]
 * ASA: ping [IF] A.B.C.D [repeat N] [size N] [timeout N] */
static int cli_ping(struct cli_session *s, const struct gram_match *m)
{
	bool asa = ASA(s);
	int base = asa ? 1 : 0; /* the ASA's slot 0 is the interface */
	struct cli_ping p = { .count = 5, .size = 100, .timeout = 2 };
	if (!cli_tools_addr(m->slot[base], &p.dst))
		return cli_tools_caret(s, cli_tools_word_col(s, "ping", base + 1));
	const char *repeat = cli_tools_last(m->slot[base + 1]);
	const char *size = cli_tools_last(m->slot[base + 2]);
	const char *timeout = cli_tools_last(m->slot[asa ? base + 3 : base + 4]);
	if (repeat)
		p.count = strtoul(repeat, NULL, 10);
	if (size)
		p.size = (unsigned)strtoul(size, NULL, 10);
	if (timeout)
		p.timeout = (unsigned)strtoul(timeout, NULL, 10);
	if (!asa)
		p.df = m->slot[base + 5] != NULL;

	struct cli_tools_if ifc;
	if (asa && m->slot[0]) {
		/* from an interface: with its address. The kernel routes the echo,
		 * so that, as `ping inside REMOTE` on the ASA with management-access,
		 * an echo to a network behind a tunnel goes through the tunnel */
		if (!cli_tools_nameif(s, m->slot[0], &ifc))
			return cli_tools_caret(s, cli_tools_word_col(s, "ping", 1));
		if (!ifc.present || !ifc.up || !ifc.addr)
			return cli_error(s, "ERROR: Interface %s is down or has no IP address", m->slot[0]);
		p.src = ifc.addr;
	}
	const char *source = asa ? NULL : cli_tools_last(m->slot[base + 3]);
	if (source) {
		p.show_source = true;
		if (!cli_tools_addr(source, &p.src)) {
			if (!cli_tools_ios_if(s, source, &ifc)) /* the last `source`: the one that counts */
				return cli_tools_caret(s, cli_tools_col_after(s, "ping", 2, "source", 2, true));
			if (!ifc.present || !ifc.up || !ifc.addr)
				return cli_error(s, "%% Invalid source interface - IP not enabled or interface is down");
			p.src = ifc.addr;
		}
	}
	return cli_ping_run(s, &p);
}

/* ---- packet capture ---- */

#define CLI_CAP_BUFFER_DEFAULT 524288u /* the ASA's default buffer, 512 KB */
#define CLI_CAP_SNAPLEN        1518u   /* the ASA's default packet-length */
#define CLI_CAP_MAX            32
#define CLI_CAP_READ_BUDGET    256     /* packets per loop callback: others get their turn */

/* pcap link types (the values the file format defines) */
#define CLI_LINKTYPE_ETHERNET 1
#define CLI_LINKTYPE_RAW      101

struct cli_cap_packet {
	struct timespec ts;
	uint32_t wire_len, len;
	unsigned char data[];  /* len bytes from the start of the link-layer frame */
};

/* The match clause: proto -1 is any protocol, a zero mask any address. */
struct cli_cap_match {
	bool on;
	int proto;
	uint32_t src, src_mask, dst, dst_mask;
	char text[160];                /* as `show capture` prints it */
};

struct cli_capture {
	struct cli_capture *next;
	struct pf_loop *loop;          /* NULL: not watched (read when shown) */
	char name[64];
	char nameif[64];
	char dev[16];
	int fd;
	int linktype;
	uint32_t buffer;               /* bytes it may keep */
	size_t used;
	bool full;
	struct cli_cap_packet **pkts;
	size_t npkts, cap;
	struct cli_cap_match match;
};

/* The running appliance's captures, oldest first. One appliance runs per
 * process, so they live here rather than in struct cli_app. */
static struct cli_capture *cli_captures;

static struct cli_capture *cli_cap_find(const char *name)
{
	for (struct cli_capture *c = cli_captures; c; c = c->next)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static void cli_cap_clear(struct cli_capture *c)
{
	for (size_t i = 0; i < c->npkts; i++)
		free(c->pkts[i]);
	c->npkts = 0;
	c->used = 0;
	c->full = false;
}

static void cli_cap_free(struct cli_capture *c)
{
	if (c->loop)
		pf_loop_del_fd(c->loop, c->fd);
	if (c->fd >= 0)
		close(c->fd);
	cli_cap_clear(c);
	free(c->pkts);
	free(c);
}

static void cli_cap_keep(struct cli_capture *c, const struct timespec *ts, const unsigned char *p, size_t len,
			 size_t wire_len)
{
	if (c->full)
		return;
	if (c->used + len > c->buffer) {
		c->full = true;
		return;
	}
	if (c->npkts == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct cli_cap_packet **grown = realloc(c->pkts, cap * sizeof(*grown));
		if (!grown)
			return;
		c->pkts = grown;
		c->cap = cap;
	}
	struct cli_cap_packet *pkt = malloc(sizeof(*pkt) + len);
	if (!pkt)
		return;
	pkt->ts = *ts;
	pkt->len = (uint32_t)len;
	pkt->wire_len = (uint32_t)wire_len;
	memcpy(pkt->data, p, len);
	c->pkts[c->npkts++] = pkt;
	c->used += len;
}

/* Read what the kernel queued for the capture, at most budget packets. */
static void cli_cap_read(struct cli_capture *c, int budget)
{
	static unsigned char frame[65536]; /* the control thread is the only reader */
	for (int i = 0; i < budget; i++) {
		union {
			char buf[CMSG_SPACE(sizeof(struct timespec))];
			struct cmsghdr align;
		} ctrl;
		struct iovec iov = { .iov_base = frame, .iov_len = sizeof(frame) };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctrl.buf,
				     .msg_controllen = sizeof(ctrl.buf) };
		ssize_t n = recvmsg(c->fd, &mh, MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return;
		struct timespec ts = { 0 };
		for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
			if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_TIMESTAMPNS)
				memcpy(&ts, CMSG_DATA(cm), sizeof(ts));
		if (ts.tv_sec == 0)
			clock_gettime(CLOCK_REALTIME, &ts);
		size_t len = (size_t)n < sizeof(frame) ? (size_t)n : sizeof(frame);
		if (len > CLI_CAP_SNAPLEN)
			len = CLI_CAP_SNAPLEN;
		cli_cap_keep(c, &ts, frame, len, (size_t)n);
	}
}

static void cli_cap_readable(void *arg, int fd, unsigned events)
{
	(void)fd;
	(void)events;
	cli_cap_read(arg, CLI_CAP_READ_BUDGET);
}

/* Everything queued, before the buffer is shown, copied or cleared. */
static void cli_cap_drain(struct cli_capture *c)
{
	cli_cap_read(c, 1 << 20);
}

/* A small assembler for the match program: jumps name labels, resolved
 * once every instruction is in place. */
enum { CLI_BPF_NEXT, CLI_BPF_REVERSE, CLI_BPF_ACCEPT, CLI_BPF_DROP, CLI_BPF_LABELS };

struct cli_bpf {
	struct sock_filter insn[32];
	uint8_t jt[32], jf[32];
	int label[CLI_BPF_LABELS];
	int n;
};

static void cli_bpf_stmt(struct cli_bpf *b, uint16_t code, uint32_t k)
{
	b->insn[b->n] = (struct sock_filter)BPF_STMT(code, k);
	b->jt[b->n] = b->jf[b->n] = CLI_BPF_NEXT;
	b->n++;
}

static void cli_bpf_jeq(struct cli_bpf *b, uint32_t k, uint8_t jt, uint8_t jf)
{
	b->insn[b->n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, k, 0, 0);
	b->jt[b->n] = jt;
	b->jf[b->n] = jf;
	b->n++;
}

/* Whether the network-layer address at off (12 source, 16 destination),
 * masked, is addr. */
static void cli_bpf_addr(struct cli_bpf *b, int off, uint32_t addr, uint32_t mask, uint8_t jt, uint8_t jf)
{
	cli_bpf_stmt(b, BPF_LD | BPF_W | BPF_ABS, (uint32_t)(SKF_NET_OFF + off));
	cli_bpf_stmt(b, BPF_ALU | BPF_AND | BPF_K, mask);
	cli_bpf_jeq(b, addr & mask, jt, jf);
}

/* IPv4 only (the ASA captures nothing else), the protocol, then the two
 * addresses in either direction: the ASA's match takes both directions of
 * a flow. Loads relative to the network header work on any link type. */
static void cli_cap_program(const struct cli_capture *c, struct cli_bpf *b)
{
	memset(b, 0, sizeof(*b));
	cli_bpf_stmt(b, BPF_LD | BPF_H | BPF_ABS, (uint32_t)(SKF_AD_OFF + SKF_AD_PROTOCOL));
	cli_bpf_jeq(b, ETH_P_IP, CLI_BPF_NEXT, CLI_BPF_DROP);
	if (c->match.on && c->match.proto >= 0) {
		cli_bpf_stmt(b, BPF_LD | BPF_B | BPF_ABS, (uint32_t)(SKF_NET_OFF + 9));
		cli_bpf_jeq(b, (uint32_t)c->match.proto, CLI_BPF_NEXT, CLI_BPF_DROP);
	}
	if (c->match.on && (c->match.src_mask || c->match.dst_mask)) {
		cli_bpf_addr(b, 12, c->match.src, c->match.src_mask, CLI_BPF_NEXT, CLI_BPF_REVERSE);
		cli_bpf_addr(b, 16, c->match.dst, c->match.dst_mask, CLI_BPF_ACCEPT, CLI_BPF_REVERSE);
		b->label[CLI_BPF_REVERSE] = b->n;
		cli_bpf_addr(b, 12, c->match.dst, c->match.dst_mask, CLI_BPF_NEXT, CLI_BPF_DROP);
		cli_bpf_addr(b, 16, c->match.src, c->match.src_mask, CLI_BPF_ACCEPT, CLI_BPF_DROP);
	}
	/* the whole packet: a program that cut it would also cut the length
	 * the socket reports, which the pcap file records as the wire length */
	b->label[CLI_BPF_ACCEPT] = b->n;
	cli_bpf_stmt(b, BPF_RET | BPF_K, 0xffffffffu);
	b->label[CLI_BPF_DROP] = b->n;
	cli_bpf_stmt(b, BPF_RET | BPF_K, 0);
	for (int i = 0; i < b->n; i++) {
		if (BPF_CLASS(b->insn[i].code) != BPF_JMP)
			continue;
		b->insn[i].jt = b->jt[i] == CLI_BPF_NEXT ? 0 : (uint8_t)(b->label[b->jt[i]] - i - 1);
		b->insn[i].jf = b->jf[i] == CLI_BPF_NEXT ? 0 : (uint8_t)(b->label[b->jf[i]] - i - 1);
	}
}

/* Open the capture's socket on its interface. The socket receives nothing
 * until it is bound, and it is bound only once its filter is attached, so
 * no packet outside the match ever reaches the buffer. */
static int cli_cap_open(struct cli_capture *c, char *err, size_t errlen)
{
	unsigned ifindex = if_nametoindex(c->dev);
	if (!ifindex) {
		snprintf(err, errlen, "interface %s (%s) is not present on this host", c->nameif, c->dev);
		return -1;
	}
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open a packet socket: %s", strerror(errno));
		return -1;
	}
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", c->dev);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
		snprintf(err, errlen, "%s: %s", c->dev, strerror(errno));
		close(fd);
		return -1;
	}
	switch (ifr.ifr_hwaddr.sa_family) {
	case ARPHRD_ETHER:
	case ARPHRD_LOOPBACK:
		c->linktype = CLI_LINKTYPE_ETHERNET;
		break;
	case ARPHRD_NONE:  /* TUN */
	case ARPHRD_PPP:
	case ARPHRD_TUNNEL:
	case ARPHRD_IPGRE:
		c->linktype = CLI_LINKTYPE_RAW;
		break;
	default:
		snprintf(err, errlen, "%s: link type %u is not supported", c->dev, ifr.ifr_hwaddr.sa_family);
		close(fd);
		return -1;
	}
	struct cli_bpf b;
	cli_cap_program(c, &b);
	struct sock_fprog prog = { .len = (unsigned short)b.n, .filter = b.insn };
	int on = 1, rcvbuf = 4 << 20;
	/* a larger queue than the default keeps packets that arrive while the
	 * loop is busy (a ping); forcing it needs CAP_NET_ADMIN, so it may fail */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
				   .sll_ifindex = (int)ifindex };
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on)) < 0 ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		snprintf(err, errlen, "%s: %s", c->dev, strerror(errno));
		close(fd);
		return -1;
	}
	c->fd = fd;
	return 0;
}

static const char *cli_cap_proto_name(int proto)
{
	switch (proto) {
	case -1:
		return "ip";
	case IPPROTO_ICMP:
		return "icmp";
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_ESP:
		return "esp";
	default:
		return NULL;
	}
}

/* One side of the match from its slots (host; network and mask), and its
 * text as `show capture` prints it. A network with host bits set is an
 * error, as in an access list. */
static int cli_cap_side(const char *host, const char *net, const char *mask, uint32_t *addr, uint32_t *msk,
			char *text, size_t len)
{
	*addr = *msk = 0;
	if (host) {
		if (!cli_tools_addr(host, addr))
			return -1;
		*msk = 0xffffffffu;
		snprintf(text, len, "host %s", host);
	} else if (net && mask) {
		if (!cli_tools_addr(net, addr) || !cli_tools_addr(mask, msk) || (*addr & ~*msk))
			return -1;
		snprintf(text, len, "%s %s", net, mask);
	} else {
		snprintf(text, len, "any");
	}
	return 0;
}

static bool cli_cap_name_ok(const char *name)
{
	if (!*name || strlen(name) >= sizeof(((struct cli_capture *)0)->name))
		return false;
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_-.", *p))
			return false;
	return true;
}

/* The match clause from its slots: $4 protocol, $5 source host or $6 $7
 * network and mask, $8 / $9 $10 the same for the destination. */
static int cli_cap_match_parse(struct cli_session *s, const struct gram_match *m, struct cli_cap_match *out)
{
	static const struct {
		const char *name;
		int proto;
	} protos[] = { { "ip", -1 }, { "icmp", IPPROTO_ICMP }, { "udp", IPPROTO_UDP }, { "tcp", IPPROTO_TCP },
		       { "esp", IPPROTO_ESP } };
	out->on = true;
	out->proto = atoi(m->slot[3]);
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (strcmp(m->slot[3], protos[i].name) == 0)
			out->proto = protos[i].proto;
	char src[48], dst[48];
	if (cli_cap_side(m->slot[4], m->slot[5], m->slot[6], &out->src, &out->src_mask, src, sizeof(src)) < 0)
		return cli_error(s, "ERROR: IP address,mask <%s,%s> doesn't pair", m->slot[5], m->slot[6]);
	if (cli_cap_side(m->slot[7], m->slot[8], m->slot[9], &out->dst, &out->dst_mask, dst, sizeof(dst)) < 0)
		return cli_error(s, "ERROR: IP address,mask <%s,%s> doesn't pair", m->slot[8], m->slot[9]);
	const char *pname = cli_cap_proto_name(out->proto);
	char num[8];
	snprintf(num, sizeof(num), "%d", out->proto);
	snprintf(out->text, sizeof(out->text), "%s %s %s", pname ? pname : num, src, dst);
	return 0;
}

/* capture NAME [type raw-data] [buffer N] interface IF [match PROTO SRC DST] */
static int cli_capture(struct cli_session *s, const struct gram_match *m)
{
	const char *name = m->slot[0], *nameif = m->slot[2];
	if (!cli_cap_name_ok(name))
		return cli_tools_caret(s, cli_tools_word_col(s, "capture", 1));
	struct cli_tools_if ifc;
	if (!cli_tools_nameif(s, nameif, &ifc)) {
		/* the word after `interface`: the ASA's parser knows its nameifs */
		return cli_tools_caret(s, cli_tools_col_after(s, "capture", 2, "interface", 1, false));
	}
	struct cli_capture want = { .fd = -1, .buffer = CLI_CAP_BUFFER_DEFAULT, .match.proto = -1 };
	snprintf(want.name, sizeof(want.name), "%s", name);
	snprintf(want.nameif, sizeof(want.nameif), "%s", nameif);
	snprintf(want.dev, sizeof(want.dev), "%s", ifc.dev);
	if (m->slot[1])
		want.buffer = (uint32_t)strtoul(m->slot[1], NULL, 10);
	if (m->slot[3] && cli_cap_match_parse(s, m, &want.match) < 0)
		return -1;

	struct cli_capture *old = cli_cap_find(name);
	if (old && strcmp(old->nameif, nameif) != 0)
		return cli_error(s, "ERROR: Capture %s is on interface %s; vpnsh captures on one interface per capture "
				    "(no capture %s first)", name, old->nameif, name);
	int count = 0;
	for (struct cli_capture *c = cli_captures; c; c = c->next)
		count++;
	if (!old && count >= CLI_CAP_MAX)
		return cli_error(s, "ERROR: Too many captures (at most %d)", CLI_CAP_MAX);

	char err[200];
	if (cli_cap_open(&want, err, sizeof(err)) < 0)
		return cli_error(s, "ERROR: Capture %s could not be started: %s", name, err);
	struct cli_capture *c = old;
	if (c) {
		/* the same capture with new settings: the packets stay, the
		 * socket and its program are replaced */
		cli_cap_drain(c);
		if (c->loop)
			pf_loop_del_fd(c->loop, c->fd);
		close(c->fd);
		c->loop = NULL;
		c->fd = want.fd;
		c->linktype = want.linktype;
		c->buffer = want.buffer;
		c->match = want.match;
		c->full = c->used > c->buffer;
	} else {
		c = malloc(sizeof(*c));
		if (!c) {
			close(want.fd);
			return cli_error(s, "ERROR: Out of memory");
		}
		*c = want;
		struct cli_capture **tail = &cli_captures;
		while (*tail)
			tail = &(*tail)->next;
		*tail = c;
	}
	struct pf_loop *loop = cli_app(s)->loop;
	if (loop && pf_loop_add_fd(loop, c->fd, PF_LOOP_READ, cli_cap_readable, c) == 0)
		c->loop = loop;
	return 0;
}

static struct cli_capture *cli_cap_named(struct cli_session *s, const char *name)
{
	struct cli_capture *c = cli_cap_find(name);
	if (!c)
		cli_error(s, "ERROR: Capture <%s> does not exist", name);
	return c;
}

static int cli_no_capture(struct cli_session *s, const struct gram_match *m)
{
	struct cli_capture *c = cli_cap_named(s, m->slot[0]);
	if (!c)
		return -1;
	for (struct cli_capture **pp = &cli_captures; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	cli_cap_free(c);
	return 0;
}

static int cli_clear_capture(struct cli_session *s, const struct gram_match *m)
{
	struct cli_capture *c = cli_cap_named(s, m->slot[0]);
	if (!c)
		return -1;
	cli_cap_drain(c);
	cli_cap_clear(c);
	return 0;
}

/* Where the IPv4 header of a kept frame starts, or -1. */
static long cli_cap_l3(const struct cli_capture *c, const struct cli_cap_packet *pkt)
{
	if (c->linktype == CLI_LINKTYPE_RAW)
		return pkt->len >= 20 ? 0 : -1;
	size_t off = 14;
	if (pkt->len >= 18 && cli_get16(pkt->data + 12) == 0x8100)
		off = 18; /* a VLAN tag the interface left in the frame */
	return pkt->len >= off + 20 && cli_get16(pkt->data + off - 2) == ETH_P_IP ? (long)off : -1;
}

static void cli_cap_icmp_text(const unsigned char *icmp, size_t n, char *out, size_t len)
{
	if (n < 4) {
		snprintf(out, len, "icmp: [|icmp]");
		return;
	}
	uint8_t type = icmp[0], code = icmp[1];
	char dst[16] = "?";
	/* unreachable messages name what they are about (the quoted header) */
	if (n >= 8 + 20)
		cli_ipv4_str(cli_get32(icmp + 8 + 16), dst);
	switch (type) {
	case ICMP_ECHO:
		snprintf(out, len, "icmp: echo request");
		return;
	case ICMP_ECHOREPLY:
		snprintf(out, len, "icmp: echo reply");
		return;
	case ICMP_DEST_UNREACH:
		switch (code) {
		case ICMP_NET_UNREACH:
			snprintf(out, len, "icmp: net %s unreachable", dst);
			return;
		case ICMP_HOST_UNREACH:
			snprintf(out, len, "icmp: host %s unreachable", dst);
			return;
		case ICMP_PROT_UNREACH:
			snprintf(out, len, "icmp: %s protocol unreachable", dst);
			return;
		case ICMP_PORT_UNREACH: {
			const unsigned char *inner = icmp + 8;
			size_t ihl = n >= 8 + 20 ? (size_t)(inner[0] & 0x0f) * 4 : 0;
			if (ihl >= 20 && n >= 8 + ihl + 4 && (inner[9] == IPPROTO_UDP || inner[9] == IPPROTO_TCP)) {
				snprintf(out, len, "icmp: %s %s port %u unreachable", dst,
					 inner[9] == IPPROTO_UDP ? "udp" : "tcp", cli_get16(inner + ihl + 2));
				return;
			}
			snprintf(out, len, "icmp: %s port unreachable", dst);
			return;
		}
		case ICMP_FRAG_NEEDED:
			snprintf(out, len, "icmp: %s unreachable - need to frag (mtu %u)", dst, cli_get16(icmp + 6));
			return;
		default:
			snprintf(out, len, "icmp: %s unreachable (code %u)", dst, code);
			return;
		}
	case ICMP_TIME_EXCEEDED:
		snprintf(out, len, "icmp: time exceeded in-transit");
		return;
	default:
		snprintf(out, len, "icmp: type-#%u", type);
		return;
	}
}

static void cli_cap_tcp_text(const unsigned char *t, size_t n, size_t payload, char *out, size_t len)
{
	uint8_t flags = t[13];
	char f[8];
	size_t k = 0;
	if (flags & 0x02)
		f[k++] = 'S';
	if (flags & 0x01)
		f[k++] = 'F';
	if (flags & 0x04)
		f[k++] = 'R';
	if (flags & 0x08)
		f[k++] = 'P';
	if (k == 0)
		f[k++] = '.';
	f[k] = '\0';
	uint32_t seq = cli_get32(t + 4), ack = cli_get32(t + 8);
	int w = snprintf(out, len, "%s", f);
	if ((flags & 0x03) || payload)
		w += snprintf(out + w, len - (size_t)w, " %u:%u(%zu)", seq, seq + (uint32_t)payload, payload);
	if ((flags & 0x10) && (size_t)w < len)
		w += snprintf(out + w, len - (size_t)w, " ack %u", ack);
	if ((size_t)w < len)
		snprintf(out + w, len - (size_t)w, " win %u", cli_get16(t + 14));
	(void)n;
}

/* One packet as the ASA's `show capture NAME` prints it (after the number
 * and the time). */
static void cli_cap_describe(const struct cli_capture *c, const struct cli_cap_packet *pkt, char *out, size_t len)
{
	long l3 = cli_cap_l3(c, pkt);
	if (l3 < 0 || (pkt->data[l3] >> 4) != 4) {
		snprintf(out, len, "[|ip]");
		return;
	}
	const unsigned char *ip = pkt->data + l3;
	size_t have = pkt->len - (size_t)l3;
	size_t ihl = (size_t)(ip[0] & 0x0f) * 4;
	size_t total = cli_get16(ip + 2);
	char src[16], dst[16];
	cli_ipv4_str(cli_get32(ip + 12), src);
	cli_ipv4_str(cli_get32(ip + 16), dst);
	uint16_t frag = cli_get16(ip + 6);
	if (ihl < 20 || total < ihl) {
		snprintf(out, len, "%s > %s: [|ip]", src, dst);
		return;
	}
	if (frag & 0x1fff) { /* a later fragment: no transport header */
		snprintf(out, len, "%s > %s: (frag %u:%zu@%u)", src, dst, cli_get16(ip + 4), total - ihl,
			 (unsigned)(frag & 0x1fff) * 8);
		return;
	}
	const unsigned char *l4 = ip + ihl;
	size_t l4have = have > ihl ? have - ihl : 0;
	size_t l4len = total - ihl;
	char text[200];
	switch (ip[9]) {
	case IPPROTO_ICMP:
		cli_cap_icmp_text(l4, l4have, text, sizeof(text));
		snprintf(out, len, "%s > %s %s", src, dst, text);
		return;
	case IPPROTO_UDP:
		if (l4have < 8)
			break;
		snprintf(out, len, "%s.%u > %s.%u:  udp %u", src, cli_get16(l4), dst, cli_get16(l4 + 2),
			 cli_get16(l4 + 4) >= 8 ? cli_get16(l4 + 4) - 8u : 0u);
		return;
	case IPPROTO_TCP: {
		if (l4have < 20)
			break;
		size_t doff = (size_t)(l4[12] >> 4) * 4;
		cli_cap_tcp_text(l4, l4have, l4len > doff ? l4len - doff : 0, text, sizeof(text));
		snprintf(out, len, "%s.%u > %s.%u: %s", src, cli_get16(l4), dst, cli_get16(l4 + 2), text);
		return;
	}
	case IPPROTO_ESP:
		if (l4have < 8)
			break;
		snprintf(out, len, "%s > %s esp spi 0x%08x seq %u", src, dst, cli_get32(l4), cli_get32(l4 + 4));
		return;
	default:
		snprintf(out, len, "%s > %s: ip-proto-%u, length %zu", src, dst, ip[9], l4len);
		return;
	}
	/* a transport header cut short */
	snprintf(out, len, "%s > %s: [|%s]", src, dst, ip[9] == IPPROTO_TCP ? "tcp" : ip[9] == IPPROTO_UDP ? "udp" : "esp");
}

static const char *cli_packets(size_t n)
{
	return n > 1 ? "packets" : "packet"; /* the ASA says "0 packet captured" */
}

static void cli_cap_show_one(struct cli_session *s, struct cli_capture *c)
{
	cli_cap_drain(c);
	cli_printf(s, "\n%zu %s captured\n\n", c->npkts, cli_packets(c->npkts));
	for (size_t i = 0; i < c->npkts; i++) {
		const struct cli_cap_packet *pkt = c->pkts[i];
		struct tm tm;
		time_t t = pkt->ts.tv_sec;
		gmtime_r(&t, &tm); /* the appliance keeps UTC, as `show clock` says */
		char text[300];
		cli_cap_describe(c, pkt, text, sizeof(text));
		cli_printf(s, "%4zu: %02d:%02d:%02d.%06ld       %s\n", i + 1, tm.tm_hour, tm.tm_min, tm.tm_sec,
			   pkt->ts.tv_nsec / 1000, text);
	}
	cli_printf(s, "%zu %s shown\n", c->npkts, cli_packets(c->npkts));
}

static int cli_show_capture(struct cli_session *s, const struct gram_match *m)
{
	if (m->slot[0]) {
		struct cli_capture *c = cli_cap_named(s, m->slot[0]);
		if (!c)
			return -1;
		cli_cap_show_one(s, c);
		return 0;
	}
	for (struct cli_capture *c = cli_captures; c; c = c->next) {
		cli_cap_drain(c);
		char buffer[32] = "";
		if (c->buffer != CLI_CAP_BUFFER_DEFAULT)
			snprintf(buffer, sizeof(buffer), " buffer %u", c->buffer);
		cli_printf(s, "capture %s type raw-data%s interface %s [%s - %zu bytes]\n", c->name, buffer, c->nameif,
			   c->full ? "Buffer Full" : "Capturing", c->used);
		if (c->match.on)
			cli_printf(s, "  match %s\n", c->match.text);
	}
	return 0;
}

/* ---- copy /pcap capture:NAME FILE ---- */

/* libpcap's file format: a global header, then a record per packet. Written
 * in host byte order, which the magic number tells readers. */
struct cli_pcap_header {
	uint32_t magic;
	uint16_t version_major, version_minor;
	int32_t thiszone;
	uint32_t sigfigs, snaplen, linktype;
};

struct cli_pcap_record {
	uint32_t ts_sec, ts_usec, incl_len, orig_len;
};

/* The file a destination names: disk0:/FILE (flash:/FILE) in the disk0
 * directory beside the startup-config, or a plain path. */
static int cli_copy_path(struct cli_session *s, const char *dest, char *path, size_t len, char *err, size_t errlen)
{
	const char *colon = strchr(dest, ':');
	const char *slash = strchr(dest, '/');
	if (!colon || (slash && slash < colon)) {
		snprintf(path, len, "%s", dest);
		return 0;
	}
	size_t scheme = (size_t)(colon - dest);
	if (!((scheme == 5 && strncasecmp(dest, "disk0", 5) == 0) || (scheme == 5 && strncasecmp(dest, "flash", 5) == 0))) {
		snprintf(err, errlen, "%.*s: is not supported by vpnsh; copy to disk0:/FILE or to a file path",
			 (int)scheme, dest);
		return -1;
	}
	const char *file = colon + 1 + strspn(colon + 1, "/");
	if (!*file || strchr(file, '/') || strcmp(file, ".") == 0 || strcmp(file, "..") == 0) {
		snprintf(err, errlen, "%s: expected disk0:/FILE, a file name with no directory", dest);
		return -1;
	}
	const char *db = pf_store_path(cli_app(s)->store);
	if (!db || !*db) {
		snprintf(err, errlen, "disk0: is beside the startup-config, and vpnsh runs without one (--db none)");
		return -1;
	}
	const char *end = strrchr(db, '/');
	int dirlen = end ? (int)(end - db) : 1;
	char dir[4096];
	snprintf(dir, sizeof(dir), "%.*s/disk0", dirlen, end ? db : ".");
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if ((size_t)snprintf(path, len, "%s/%s", dir, file) >= len) {
		snprintf(err, errlen, "%s: path too long", dest);
		return -1;
	}
	return 0;
}

static int cli_pcap_write(const struct cli_capture *c, const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	struct cli_pcap_header h = { .magic = 0xa1b2c3d4u, .version_major = 2, .version_minor = 4,
				     .snaplen = CLI_CAP_SNAPLEN, .linktype = (uint32_t)c->linktype };
	bool ok = fwrite(&h, sizeof(h), 1, f) == 1;
	for (size_t i = 0; ok && i < c->npkts; i++) {
		const struct cli_cap_packet *pkt = c->pkts[i];
		struct cli_pcap_record r = { (uint32_t)pkt->ts.tv_sec, (uint32_t)(pkt->ts.tv_nsec / 1000), pkt->len,
					     pkt->wire_len };
		ok = fwrite(&r, sizeof(r), 1, f) == 1 && fwrite(pkt->data, 1, pkt->len, f) == pkt->len;
	}
	int saved = errno;
	if (fclose(f) != 0 && ok) {
		saved = errno;
		ok = false;
	}
	if (!ok) {
		snprintf(err, errlen, "%s: %s", path, strerror(saved));
		unlink(path);
		return -1;
	}
	return 0;
}

static void cli_copy_run(struct cli_session *s, const char *name, const char *dest)
{
	struct cli_capture *c = cli_cap_named(s, name);
	if (!c)
		return;
	char path[4096], err[4400]; /* room for the path in the message */
	if (cli_copy_path(s, dest, path, sizeof(path), err, sizeof(err)) < 0) {
		cli_error(s, "ERROR: %s", err);
		return;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cli_cap_drain(c);
	if (cli_pcap_write(c, path, err, sizeof(err)) < 0) {
		cli_error(s, "ERROR: Copy of capture %s failed: %s", name, err);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = cli_ms_between(&t0, &t1);
	cli_printf(s, "!\n%zu %s copied in %ld.%ld secs\n", c->npkts, cli_packets(c->npkts), ms / 1000, ms % 1000 / 100);
}

/* The questions the ASA asks before copying carry the names from one
 * answer to the next; a session has at most one copy waiting. */
struct cli_copy_pending {
	struct cli_session *s;
	char name[64];
	char dest[1024];
};
static struct cli_copy_pending cli_copy_pending[8];

static struct cli_copy_pending *cli_copy_slot(struct cli_session *s)
{
	static unsigned next;
	for (size_t i = 0; i < sizeof(cli_copy_pending) / sizeof(cli_copy_pending[0]); i++)
		if (cli_copy_pending[i].s == s)
			return &cli_copy_pending[i];
	/* the oldest: a session that closed during its questions leaves its slot */
	struct cli_copy_pending *p = &cli_copy_pending[next++ % (sizeof(cli_copy_pending) / sizeof(cli_copy_pending[0]))];
	p->s = s;
	return p;
}

/* Where the file name starts in a destination: after its directory, or
 * after `disk0:/`. The question offers that name; an answer without a
 * directory of its own names a file in the same place. */
static size_t cli_copy_file_at(const char *dest)
{
	const char *slash = strrchr(dest, '/'), *colon = strchr(dest, ':');
	const char *at = slash ? slash + 1 : colon ? colon + 1 : dest;
	return (size_t)(at - dest);
}

static void cli_copy_dest_answer(struct cli_session *s, const char *line, void *arg)
{
	struct cli_copy_pending *p = arg;
	if (p->s != s)
		return;
	p->s = NULL;
	line += strspn(line, " \t");
	size_t n = strcspn(line, " \t");
	if (n) {
		char dest[sizeof(p->dest)];
		if (memchr(line, '/', n) || memchr(line, ':', n))
			snprintf(dest, sizeof(dest), "%.*s", (int)n, line);
		else
			snprintf(dest, sizeof(dest), "%.*s%.*s", (int)cli_copy_file_at(p->dest), p->dest, (int)n, line);
		memcpy(p->dest, dest, sizeof(dest));
	}
	cli_copy_run(s, p->name, p->dest);
}

static void cli_copy_source_answer(struct cli_session *s, const char *line, void *arg)
{
	struct cli_copy_pending *p = arg;
	if (p->s != s)
		return;
	line += strspn(line, " \t");
	if (*line)
		snprintf(p->name, sizeof(p->name), "%.*s", (int)strcspn(line, " \t"), line);
	char prompt[64];
	snprintf(prompt, sizeof(prompt), "Destination filename [%.36s]? ", p->dest + cli_copy_file_at(p->dest));
	cli_ask(s, prompt, true, cli_copy_dest_answer, p);
}

/* copy [/noconfirm] /pcap capture:NAME DEST */
static int cli_copy_capture(struct cli_session *s, const struct gram_match *m)
{
	const char *w[4] = { m->slot[0], m->slot[1], m->slot[2], m->slot[3] };
	int first = 0;
	bool noconfirm = false;
	size_t n0 = strlen(w[0]);
	if (n0 >= 4 && strncasecmp(w[0], "/noconfirm", n0) == 0 && n0 <= 10) {
		noconfirm = true;
		first = 1;
	}
	if (!w[first + 2])
		return cli_error(s, "ERROR: %% Incomplete command");
	if (first + 3 < 4 && w[first + 3])
		return cli_tools_caret(s, cli_tools_word_col(s, "copy", first + 4));
	size_t np = strlen(w[first]);
	if (np < 2 || np > 5 || strncasecmp(w[first], "/pcap", np) != 0)
		return cli_tools_caret(s, cli_tools_word_col(s, "copy", first + 1));
	const char *src = w[first + 1];
	if (strncasecmp(src, "capture:", 8) != 0 || !src[8])
		return cli_tools_caret(s, cli_tools_word_col(s, "copy", first + 2));
	const char *name = src + 8 + strspn(src + 8, "/");
	if (!cli_cap_named(s, name))
		return -1;
	if (noconfirm) {
		cli_copy_run(s, name, w[first + 2]);
		return 0;
	}
	struct cli_copy_pending *p = cli_copy_slot(s);
	snprintf(p->name, sizeof(p->name), "%s", name);
	snprintf(p->dest, sizeof(p->dest), "%s", w[first + 2]);
	char prompt[64];
	snprintf(prompt, sizeof(prompt), "Source capture name [%.36s]? ", name);
	cli_ask(s, prompt, true, cli_copy_source_answer, p);
	return 0;
}

static const struct cli_action cli_tools_actions[] = {
	{ "ping", cli_ping, NULL },
	{ "capture", cli_capture, NULL },
	{ "no_capture", cli_no_capture, NULL },
	{ "show_capture", cli_show_capture, NULL },
	{ "clear_capture", cli_clear_capture, NULL },
	{ "copy_capture", cli_copy_capture, NULL },
};

const struct cli_action_list cli_actions_tools = { cli_tools_actions,
						  sizeof(cli_tools_actions) / sizeof(cli_tools_actions[0]) };
