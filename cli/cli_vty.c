/*
 * cli_vty.c -- consoles over a UNIX socket: the daemon's server side and the
 * `vpnsh --connect` client.
 *
 * The client keeps its own line editor and sends requests, one per line:
 *   L<line>   execute (as typed at the console)     C<line>  execute a -c command
 *   H<text>   `?` on the text                       T<text>  TAB on the text
 *   K<c>      a key while the pager waits           B / I    batch / interactive session
 *   Z         Ctrl-Z (back to privileged EXEC)
 *   A         abort the command that runs (Ctrl-C, Ctrl-^); no answer of its own
 * The server answers with frames: a type byte, the payload length as 8 hex
 * digits, the payload:
 *   O  output          P  prompt, ready for input     S  prompt of a secret question
 *   M  the pager waits for a key                       E  text TAB inserts
 *   R  result of a C request ("0"/"1")                 X  the session ended
 *   W  the command runs on (ping): more output follows, and an A request aborts it
 * Every request but A gets frames up to and including one of P, S, M, E, R
 * or X, so the client can be strictly request/response.
 *
 * A command that runs on (cli_job_begin) does not hold the server: the
 * request's answer is left open (after a W frame) and the connection goes
 * back to the loop, which runs the command, IKE and the other consoles. The
 * session's job_done hook closes the answer (P or R) when the command ends.
 * Meanwhile only A requests are taken; anything else waits in the buffer.
 * A client that disconnects meanwhile frees its session, which stops the
 * command (cli_session_free).
 *
 * Writes to a client use a bounded send timeout, so a client that stops
 * reading cannot hold the appliance's loop for long.
 */
#include "cli/cli_int.h"

#include <errno.h>
#include <fcntl.h>
#include <histedit.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "platform/pf_loop.h"

struct cli_vty_server;

struct cli_vty_conn {
	int fd;
	struct cli_session *s;
	struct pf_loop *loop;
	struct cli_vty_server *srv;
	struct cli_vty_conn *next;     /* in srv->conns */
	char in[GRAM_MAX_LINE + 8];
	size_t inlen;
	char running;                  /* 'L' or 'C': that request's command runs on */
	struct pf_timer *resume;       /* take requests that waited for it */
};

struct cli_vty_server {
	struct cli_app *app;
	struct pf_loop *loop;
	int fd;
	struct cli_vty_conn *conns;    /* closed when the server stops */
};

static int cli_vty_send(int fd, char type, const char *p, size_t n)
{
	char head[10];
	snprintf(head, sizeof(head), "%c%08zx", type, n);
	if (send(fd, head, 9, MSG_NOSIGNAL) != 9)
		return -1;
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static void cli_vty_emit(void *arg, const char *p, size_t n)
{
	struct cli_vty_conn *c = arg;
	cli_vty_send(c->fd, 'O', p, n);
}

static void cli_vty_close(struct cli_vty_conn *c)
{
	for (struct cli_vty_conn **pp = &c->srv->conns; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	pf_timer_cancel(c->loop, c->resume);
	pf_loop_del_fd(c->loop, c->fd);
	close(c->fd);
	cli_session_free(c->s); /* stops a command that still runs */
	free(c);
}

/* After a request: tell the client what the session waits for. */
static void cli_vty_ready(struct cli_vty_conn *c)
{
	if (c->s->closed) {
		cli_vty_send(c->fd, 'X', "", 0);
		return;
	}
	if (cli_session_paging(c->s)) {
		cli_vty_send(c->fd, 'M', "", 0);
		return;
	}
	char prompt[160];
	bool echo = true;
	bool asking = cli_session_asking(c->s, &echo);
	cli_session_prompt(c->s, prompt, sizeof(prompt));
	cli_vty_send(c->fd, asking && !echo ? 'S' : 'P', prompt, strlen(prompt));
}

static void cli_vty_request(struct cli_vty_conn *c, char type, const char *text)
{
	char ins[256];
	switch (type) {
	case 'B':
	case 'I':
		c->s->interactive = type == 'I';
		c->s->echo_prompt = type == 'B';
		if (type == 'B')
			c->s->pager_lines = 0;
		cli_vty_ready(c);
		break;
	case 'L':
		cli_session_line(c->s, text);
		if (cli_session_busy(c->s)) {
			c->running = 'L';
			cli_vty_send(c->fd, 'W', "", 0);
			break;
		}
		cli_vty_ready(c);
		break;
	case 'C': {
		c->s->priv = 15;
		c->s->auto_answer = true;
		c->s->show_prompt_in_caret = false;
		c->s->pager_lines = 0;
		int rc = cli_session_line(c->s, text);
		if (cli_session_busy(c->s)) {
			c->running = 'C';
			cli_vty_send(c->fd, 'W', "", 0);
			break;
		}
		cli_vty_send(c->fd, 'R', rc ? "1" : "0", 1);
		break;
	}
	case 'A':
		cli_session_interrupt(c->s); /* its end answers the request that started it */
		break;
	case 'H':
		cli_session_help(c->s, text);
		cli_vty_ready(c);
		break;
	case 'T':
		if (!cli_session_complete(c->s, text, ins, sizeof(ins)))
			ins[0] = '\0';
		cli_vty_send(c->fd, 'E', ins, strlen(ins));
		break;
	case 'K':
		cli_session_key(c->s, text[0] ? text[0] : '\n');
		cli_vty_ready(c);
		break;
	case 'Z':
		cli_session_ctrl_z(c->s);
		cli_vty_ready(c);
		break;
	default:
		cli_vty_send(c->fd, 'X', "", 0);
		break;
	}
}

/* Take the complete requests in the buffer. While a command runs only an
 * abort is taken: the client waits for the answer before it sends the next
 * request, so anything else is early and waits for the command's end. */
static void cli_vty_requests(struct cli_vty_conn *c)
{
	for (;;) {
		char *nl = memchr(c->in, '\n', c->inlen);
		if (!nl) {
			if (c->inlen >= sizeof(c->in) - 1) {
				/* a request longer than any line: drop the client */
				cli_vty_close(c);
			}
			return;
		}
		if (cli_session_busy(c->s) && c->in[0] != 'A') {
			if (c->inlen >= sizeof(c->in) - 1)
				cli_vty_close(c); /* a client that does not wait for answers */
			return;
		}
		*nl = '\0';
		cli_vty_request(c, c->in[0], c->in + 1);
		if (c->s->closed) {
			cli_vty_close(c);
			return;
		}
		size_t used = (size_t)(nl - c->in) + 1;
		memmove(c->in, nl + 1, c->inlen - used);
		c->inlen -= used;
	}
}

static void cli_vty_readable(void *arg, int fd, unsigned events)
{
	struct cli_vty_conn *c = arg;
	(void)events;
	ssize_t n = recv(fd, c->in + c->inlen, sizeof(c->in) - 1 - c->inlen, 0);
	if (n <= 0) {
		cli_vty_close(c);
		return;
	}
	c->inlen += (size_t)n;
	cli_vty_requests(c);
}

static void cli_vty_resume(void *arg)
{
	struct cli_vty_conn *c = arg;
	c->resume = NULL; /* the loop frees a timer that fired */
	cli_vty_requests(c);
}

/* The session's job_done: the command that ran on has ended. Its request
 * gets the answer it waited for. Requests that came early are taken from
 * the loop rather than from here: the job that called us is still on the
 * stack, and a request may close the connection. */
static void cli_vty_done(void *arg)
{
	struct cli_vty_conn *c = arg;
	char request = c->running;
	c->running = 0;
	if (request == 'C')
		cli_vty_send(c->fd, 'R', c->s->failed ? "1" : "0", 1);
	else
		cli_vty_ready(c);
	if (c->inlen > 0 && !c->resume)
		c->resume = pf_timer_add(c->loop, 0, cli_vty_resume, c);
}

static void cli_vty_accept(void *arg, int fd, unsigned events)
{
	struct cli_vty_server *srv = arg;
	(void)events;
	int cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
	if (cfd < 0)
		return;
	struct timeval tv = { .tv_sec = 2 };
	setsockopt(cfd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	struct cli_vty_conn *c = calloc(1, sizeof(*c));
	if (!c) {
		close(cfd);
		return;
	}
	c->fd = cfd;
	c->loop = srv->loop;
	c->srv = srv;
	c->s = cli_session_new(srv->app, cli_vty_emit, c);
	if (!c->s || pf_loop_add_fd(srv->loop, cfd, PF_LOOP_READ, cli_vty_readable, c) < 0) {
		cli_session_free(c->s);
		close(cfd);
		free(c);
		return;
	}
	c->s->job_done = cli_vty_done;
	c->next = srv->conns;
	srv->conns = c;
}

static struct pf_loop *cli_vty_stop_loop;

static void cli_vty_on_signal(int sig)
{
	(void)sig;
	if (cli_vty_stop_loop)
		pf_loop_stop(cli_vty_stop_loop);
}

static int cli_vty_address(const char *path, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path))
		return -1;
	strcpy(sa->sun_path, path);
	return 0;
}

int cli_vty_serve(struct cli_app *app, struct pf_loop *loop, const char *path)
{
	struct sockaddr_un sa;
	if (cli_vty_address(path, &sa) < 0) {
		fprintf(stderr, "vpnsh: socket path too long: %s\n", path);
		return 2;
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "vpnsh: socket: %s\n", strerror(errno));
		return 2;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		fprintf(stderr, "vpnsh: %s: socket in use by a running appliance\n", path);
		close(fd);
		return 2;
	}
	close(fd);
	struct stat sb;
	if (lstat(path, &sb) == 0) {
		if (!S_ISSOCK(sb.st_mode)) {
			fprintf(stderr, "vpnsh: %s: exists and is not a socket\n", path);
			return 2;
		}
		unlink(path); /* stale: nobody listens */
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 16) < 0) {
		fprintf(stderr, "vpnsh: %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return 2;
	}
	chmod(path, 0600);
	struct cli_vty_server srv = { .app = app, .loop = loop, .fd = fd };
	if (pf_loop_add_fd(loop, fd, PF_LOOP_READ, cli_vty_accept, &srv) < 0) {
		close(fd);
		return 2;
	}
	cli_vty_stop_loop = loop;
	struct sigaction sa_term = { .sa_handler = cli_vty_on_signal };
	sigaction(SIGTERM, &sa_term, NULL);
	sigaction(SIGINT, &sa_term, NULL);
	signal(SIGPIPE, SIG_IGN);
	pf_loop_run(loop);
	while (srv.conns) /* clients still attached, and what they run */
		cli_vty_close(srv.conns);
	pf_loop_del_fd(loop, fd);
	close(fd);
	unlink(path);
	return 0;
}

/* ---- the client ---- */

struct cli_vty_client {
	int fd;
	char prompt[160];
	char last;          /* type of the frame that ended the last answer */
	char *payload;      /* of the last frame */
	size_t len;
	int result;
	/* A person at the terminal: while a command runs on (W frame), keys
	 * are read in raw mode, Ctrl-C and Ctrl-^ abort it, and the others are
	 * kept for the line editor, as typed ahead. */
	bool keys;
	bool watching;      /* the terminal is in that mode now */
	bool stdin_eof;
	struct termios saved;
	char ahead[256];
	size_t nahead;
};

static int cli_vty_read_full(int fd, void *p, size_t n)
{
	char *b = p;
	while (n > 0) {
		ssize_t r = read(fd, b, n);
		if (r <= 0)
			return -1;
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

static int cli_vty_request_send(struct cli_vty_client *c, char type, const char *text)
{
	size_t n = strcspn(text, "\r\n");
	char *buf = malloc(n + 3);
	if (!buf)
		return -1;
	buf[0] = type;
	memcpy(buf + 1, text, n);
	buf[n + 1] = '\n';
	ssize_t w = write(c->fd, buf, n + 2);
	free(buf);
	return w == (ssize_t)(n + 2) ? 0 : -1;
}

/* A command runs on: wait for the server's next frame, and meanwhile turn
 * keys into aborts or typed-ahead text. */
static int cli_vty_watch_keys(struct cli_vty_client *c)
{
	for (;;) {
		struct pollfd pfd[2] = { { .fd = c->fd, .events = POLLIN },
					 { .fd = STDIN_FILENO, .events = POLLIN } };
		int n = poll(pfd, c->stdin_eof ? 1 : 2, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (pfd[0].revents)
			return 0;
		if (!pfd[1].revents)
			continue;
		char buf[64];
		ssize_t r = read(STDIN_FILENO, buf, sizeof(buf));
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r <= 0) {
			/* the terminal is gone: abort, and wait for the answer */
			c->stdin_eof = true;
			if (cli_vty_request_send(c, 'A', "") < 0)
				return -1;
			continue;
		}
		for (ssize_t i = 0; i < r; i++) {
			if (buf[i] == 0x03 || buf[i] == 0x1e) {
				if (cli_vty_request_send(c, 'A', "") < 0)
					return -1;
			} else if (c->nahead < sizeof(c->ahead) - 1 && buf[i] != '\0') {
				c->ahead[c->nahead++] = buf[i];
			}
		}
	}
}

static void cli_vty_watch(struct cli_vty_client *c, bool on)
{
	if (on == c->watching)
		return;
	if (!on)
		cli_term_keys(false, &c->saved);
	else if (cli_term_keys(true, &c->saved) < 0)
		return; /* keys are not watched: Ctrl-C is the signal it always was */
	c->watching = on;
}

/* Read frames, printing output, until one that ends an answer. */
static int cli_vty_frames(struct cli_vty_client *c, bool print)
{
	for (;;) {
		if (c->watching && cli_vty_watch_keys(c) < 0)
			return -1;
		char head[10] = { 0 };
		if (cli_vty_read_full(c->fd, head, 9) < 0)
			return -1;
		size_t len = strtoul(head + 1, NULL, 16);
		if (len > (64u << 20))
			return -1;
		char *p = malloc(len + 1);
		if (!p || (len && cli_vty_read_full(c->fd, p, len) < 0)) {
			free(p);
			return -1;
		}
		p[len] = '\0';
		if (head[0] == 'O') {
			if (print) {
				fwrite(p, 1, len, stdout);
				fflush(stdout);
			}
			free(p);
			continue;
		}
		if (head[0] == 'W') {
			if (c->keys)
				cli_vty_watch(c, true);
			free(p);
			continue;
		}
		free(c->payload);
		c->payload = p;
		c->len = len;
		c->last = head[0];
		if (head[0] == 'P' || head[0] == 'S')
			snprintf(c->prompt, sizeof(c->prompt), "%s", p);
		if (head[0] == 'R')
			c->result = atoi(p);
		return 0;
	}
}

static int cli_vty_answer(struct cli_vty_client *c, bool print)
{
	int rc = cli_vty_frames(c, print);
	cli_vty_watch(c, false);
	return rc;
}

static int cli_vty_connect(const char *path)
{
	struct sockaddr_un sa;
	if (cli_vty_address(path, &sa) < 0) {
		fprintf(stderr, "vpnsh: socket path too long: %s\n", path);
		return -1;
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "vpnsh: %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

int cli_vty_commands(const char *path, int ncmd, char **cmds)
{
	struct cli_vty_client c = { .fd = cli_vty_connect(path) };
	if (c.fd < 0)
		return 2;
	int rc = 0;
	for (int i = 0; i < ncmd; i++) {
		if (cli_vty_request_send(&c, 'C', cmds[i]) < 0 || cli_vty_answer(&c, true) < 0) {
			fprintf(stderr, "vpnsh: %s: connection lost\n", path);
			rc = 2;
			break;
		}
		if (c.result)
			rc = 1;
		if (c.last == 'X')
			break;
	}
	free(c.payload);
	close(c.fd);
	return rc;
}

static struct cli_vty_client *cli_vty_of(EditLine *el)
{
	void *p = NULL;
	el_get(el, EL_CLIENTDATA, &p);
	return p;
}

static char *cli_vty_prompt(EditLine *el)
{
	return cli_vty_of(el)->prompt;
}

static unsigned char cli_vty_help(EditLine *el, int ch)
{
	(void)ch;
	struct cli_vty_client *c = cli_vty_of(el);
	char text[GRAM_MAX_LINE + 1];
	cli_edit_before_cursor(el, text, sizeof(text));
	fputs("?\n", stdout);
	if (cli_vty_request_send(c, 'H', text) < 0 || cli_vty_answer(c, true) < 0)
		return CC_EOF;
	return CC_REDISPLAY;
}

static unsigned char cli_vty_complete(EditLine *el, int ch)
{
	(void)ch;
	struct cli_vty_client *c = cli_vty_of(el);
	char text[GRAM_MAX_LINE + 1];
	cli_edit_before_cursor(el, text, sizeof(text));
	if (cli_vty_request_send(c, 'T', text) < 0 || cli_vty_answer(c, false) < 0)
		return CC_EOF;
	if (c->len == 0)
		return CC_REFRESH_BEEP;
	el_insertstr(el, c->payload);
	return CC_REFRESH;
}

static unsigned char cli_vty_ctrl_z(EditLine *el, int ch)
{
	(void)ch;
	struct cli_vty_client *c = cli_vty_of(el);
	cli_edit_clear_line(el);
	fputs("^Z\n", stdout);
	if (cli_vty_request_send(c, 'Z', "") < 0 || cli_vty_answer(c, true) < 0)
		return CC_EOF;
	return CC_REDISPLAY;
}

/* A key without line editing (pager, secret questions). */
static int cli_vty_raw_read(char *buf, size_t len, bool line, const char *prompt)
{
	struct termios old;
	bool tty = cli_term_raw(true, &old) == 0;
	if (prompt) { /* after echo is off: what is typed from here on stays hidden */
		fputs(prompt, stdout);
		fflush(stdout);
	}
	size_t n = 0;
	int rc = 0;
	for (;;) {
		char ch;
		if (read(STDIN_FILENO, &ch, 1) != 1) {
			rc = -1;
			break;
		}
		if (!line) {
			buf[0] = ch;
			n = 1;
			break;
		}
		if (ch == '\n' || ch == '\r')
			break;
		if (n + 1 < len)
			buf[n++] = ch;
	}
	buf[n < len ? n : len - 1] = '\0';
	if (tty)
		cli_term_raw(false, &old);
	return rc;
}

int cli_vty_interactive(const char *path)
{
	struct cli_vty_client c = { .fd = cli_vty_connect(path) };
	if (c.fd < 0)
		return 2;
	bool tty = isatty(STDIN_FILENO);
	if (cli_vty_request_send(&c, tty ? 'I' : 'B', "") < 0 || cli_vty_answer(&c, true) < 0) {
		close(c.fd);
		return 2;
	}
	EditLine *el = NULL;
	c.keys = tty;
	if (tty) {
		el = cli_edit_open(&c, cli_vty_prompt, cli_vty_help, cli_vty_complete, cli_vty_ctrl_z);
		if (!el) {
			close(c.fd);
			return 2;
		}
		signal(SIGTSTP, SIG_IGN);
	}
	int rc = 0;
	char *line = NULL;
	size_t cap = 0;
	while (c.last != 'X') {
		char buf[GRAM_MAX_LINE + 2];
		char type = 'L';
		if (c.last == 'M') {
			if (cli_vty_raw_read(buf, sizeof(buf), false, NULL) < 0)
				break;
			type = 'K';
		} else if (c.last == 'S' && tty) {
			if (cli_vty_raw_read(buf, sizeof(buf), true, c.prompt) < 0)
				break;
			fputs("\n", stdout);
		} else if (el) {
			if (c.nahead > 0) { /* what was typed while the last command ran */
				c.ahead[c.nahead] = '\0';
				el_push(el, c.ahead);
				c.nahead = 0;
			}
			int count = 0;
			const char *l = el_gets(el, &count);
			if (!l || count <= 0)
				break;
			snprintf(buf, sizeof(buf), "%s", l);
		} else {
			if (getline(&line, &cap, stdin) < 0)
				break;
			snprintf(buf, sizeof(buf), "%s", line);
		}
		if (cli_vty_request_send(&c, type, buf) < 0 || cli_vty_answer(&c, true) < 0) {
			fprintf(stderr, "vpnsh: %s: connection lost\n", path);
			rc = 2;
			break;
		}
	}
	free(line);
	if (el)
		el_end(el);
	free(c.payload);
	close(c.fd);
	return rc;
}
