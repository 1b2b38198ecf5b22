/*
 * cli_console.c -- the console on the process's own terminal, and batch mode
 * when standard input is not a terminal.
 *
 * Interactive: libedit reads the line in unbuffered mode, one call per
 * readable event of the appliance's loop, so IKE and the sockets keep running
 * while a person types. `?` and TAB are libedit functions bound with the
 * native API; they print help or insert the completion and redisplay the line.
 * While the pager waits, keys go to it instead of libedit.
 *
 * While a command runs on after its handler (ping: cli_job_begin), the
 * console turns the loop itself and reads keys without libedit: Ctrl-C or
 * Ctrl-^ aborts the command, and other keys are kept and handed to libedit
 * afterwards, as typed ahead.
 *
 * Batch: each line is executed as if typed; the transcript (prompt and line,
 * then the output) goes to standard output. A line ending in `?` is a help
 * request, as when it is pasted into a device. A command that runs on is
 * waited for (the loop turns meanwhile) before the next line is read.
 */
#include "cli/cli_int.h"

#include <errno.h>
#include <histedit.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "platform/pf_loop.h"
#include "platform/pf_store.h"

static void cli_emit_stdout(void *arg, const char *p, size_t n)
{
	(void)arg;
	fwrite(p, 1, n, stdout);
}

/* A line ending in '?': help for what precedes it. */
static bool cli_batch_help(struct cli_session *s, const char *line)
{
	size_t n = strcspn(line, "\r\n");
	if (n == 0 || line[n - 1] != '?')
		return false;
	char text[GRAM_MAX_LINE + 1];
	if (n - 1 > GRAM_MAX_LINE)
		return false;
	memcpy(text, line, n - 1);
	text[n - 1] = '\0';
	char prompt[160];
	cli_session_prompt(s, prompt, sizeof(prompt));
	printf("%s%s?\n", prompt, text);
	cli_session_help(s, text);
	return true;
}

int cli_console_batch(struct cli_app *app, FILE *in, bool strict)
{
	struct cli_session *s = cli_session_new(app, cli_emit_stdout, NULL);
	if (!s) {
		fprintf(stderr, "vpnsh: out of memory\n");
		return 2;
	}
	s->echo_prompt = true;
	s->pager_lines = 0;
	char *line = NULL;
	size_t cap = 0;
	size_t lineno = 0;
	int rc = 0;
	pf_store_begin(app->store);
	while (getline(&line, &cap, in) >= 0) {
		lineno++;
		if (cli_batch_help(s, line))
			continue;
		int failed = cli_session_line(s, line);
		if (cli_session_busy(s))
			failed = cli_session_wait(s);
		if (failed && strict) {
			fflush(stdout);
			fprintf(stderr, "vpnsh: line %zu: command failed: %.*s\n", lineno, (int)strcspn(line, "\r\n"),
				line);
			rc = 1;
			break;
		}
		if (s->closed)
			break;
	}
	pf_store_commit(app->store);
	if (rc == 0 && !s->closed) {
		char prompt[160];
		cli_session_prompt(s, prompt, sizeof(prompt));
		printf("%s\n", prompt);
	}
	free(line);
	cli_session_free(s);
	fflush(stdout);
	return rc;
}

int cli_console_commands(struct cli_app *app, int ncmd, char **cmds)
{
	struct cli_session *s = cli_session_new(app, cli_emit_stdout, NULL);
	if (!s) {
		fprintf(stderr, "vpnsh: out of memory\n");
		return 2;
	}
	s->priv = 15;
	s->pager_lines = 0;
	s->auto_answer = true;
	s->show_prompt_in_caret = false;
	int rc = 0;
	for (int i = 0; i < ncmd && !s->closed; i++) {
		int failed = cli_session_line(s, cmds[i]);
		if (cli_session_busy(s))
			failed = cli_session_wait(s);
		if (failed)
			rc = 1;
	}
	cli_session_free(s);
	fflush(stdout);
	return rc;
}

/* ---- interactive ---- */

struct cli_tty {
	EditLine *el;
	History *hist;
	struct cli_session *s;
	struct pf_loop *loop;
	char prompt[160];
	bool readable;      /* the loop saw the terminal readable */
	bool eof;
	struct termios saved;
	bool raw;           /* keys read by us, one at a time, not echoed */
	char ahead[256];    /* keys typed while a command ran, for libedit */
	size_t nahead;
};

static struct cli_tty *cli_tty_of(EditLine *el)
{
	void *p = NULL;
	el_get(el, EL_CLIENTDATA, &p);
	return p;
}

static char *cli_tty_prompt(EditLine *el)
{
	struct cli_tty *t = cli_tty_of(el);
	cli_session_prompt(t->s, t->prompt, sizeof(t->prompt));
	return t->prompt;
}

static void cli_emit_tty(void *arg, const char *p, size_t n)
{
	(void)arg;
	fwrite(p, 1, n, stdout);
	fflush(stdout);
}

static void cli_tty_ready(void *arg, int fd, unsigned events)
{
	struct cli_tty *t = arg;
	(void)fd;
	(void)events;
	t->readable = true;
}

/* One byte from the terminal. While none is there the appliance's loop
 * keeps turning: IKE, sockets and timers run while a person types. */
static int cli_tty_byte(struct cli_tty *t, char *c)
{
	if (t->nahead > 0) {
		*c = t->ahead[0];
		memmove(t->ahead, t->ahead + 1, --t->nahead);
		return 1;
	}
	for (;;) {
		if (t->readable) {
			/* Standard input blocks: read once per readable event, so
			 * that a read never waits for the next key while the loop
			 * (or a running command) needs to turn. */
			t->readable = false;
			ssize_t n = read(STDIN_FILENO, c, 1);
			if (n == 1)
				return 1;
			if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
				t->eof = true;
				return 0;
			}
		}
		if (pf_loop_run_once(t->loop, -1) < 0) {
			t->eof = true;
			return 0;
		}
	}
}

/* libedit's read function. */
static int cli_tty_getc(EditLine *el, wchar_t *wc)
{
	struct cli_tty *t = cli_tty_of(el);
	char c;
	if (cli_tty_byte(t, &c) != 1)
		return 0;
	*wc = (wchar_t)(unsigned char)c;
	return 1;
}

/* The pager and a secret question read single keys without echo. */
static void cli_tty_raw(struct cli_tty *t, bool on)
{
	if (on != t->raw && cli_term_raw(on, &t->saved) == 0)
		t->raw = on;
}

static unsigned char cli_tty_help(EditLine *el, int ch)
{
	(void)ch;
	struct cli_tty *t = cli_tty_of(el);
	char text[GRAM_MAX_LINE + 1];
	cli_edit_before_cursor(el, text, sizeof(text));
	fputs("?\n", stdout);
	cli_session_help(t->s, text);
	return CC_REDISPLAY;
}

static unsigned char cli_tty_complete(EditLine *el, int ch)
{
	(void)ch;
	struct cli_tty *t = cli_tty_of(el);
	char text[GRAM_MAX_LINE + 1], ins[256];
	cli_edit_before_cursor(el, text, sizeof(text));
	if (cli_session_complete(t->s, text, ins, sizeof(ins)) && ins[0]) {
		el_insertstr(el, ins);
		return CC_REFRESH;
	}
	return CC_REFRESH_BEEP;
}

static unsigned char cli_tty_ctrl_z(EditLine *el, int ch)
{
	(void)ch;
	struct cli_tty *t = cli_tty_of(el);
	cli_edit_clear_line(el);
	fputs("^Z\n", stdout);
	cli_session_ctrl_z(t->s);
	return CC_REDISPLAY;
}

int cli_term_keys(bool on, struct termios *saved)
{
	if (!on)
		return tcsetattr(STDIN_FILENO, TCSADRAIN, saved);
	if (tcgetattr(STDIN_FILENO, saved) != 0)
		return -1;
	struct termios keys = *saved;
	keys.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG);
	keys.c_cc[VMIN] = 1;
	keys.c_cc[VTIME] = 0;
	return tcsetattr(STDIN_FILENO, TCSADRAIN, &keys);
}

/* A command runs on (ping): turn the loop until it ends. Ctrl-C and Ctrl-^
 * (the devices' escape sequence) abort it; other keys wait for libedit. */
static void cli_tty_wait(struct cli_tty *t)
{
	struct termios saved;
	bool keys = cli_term_keys(true, &saved) == 0;
	while (cli_session_busy(t->s)) {
		if (pf_loop_run_once(t->loop, -1) < 0) {
			cli_session_interrupt(t->s);
			break;
		}
		if (!t->readable)
			continue;
		t->readable = false;
		char buf[64];
		ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
			t->eof = true; /* the terminal is gone: so is whoever waited */
			cli_session_interrupt(t->s);
			break;
		}
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == 0x03 || buf[i] == 0x1e)
				cli_session_interrupt(t->s);
			else if (t->nahead < sizeof(t->ahead))
				t->ahead[t->nahead++] = buf[i];
		}
	}
	if (keys)
		cli_term_keys(false, &saved);
}

static void cli_tty_run(struct cli_tty *t, const char *line)
{
	bool echo = true;
	if (!cli_session_asking(t->s, &echo) && line[strspn(line, " \t\r\n")] != '\0' && t->hist) {
		HistEvent ev;
		history(t->hist, &ev, H_ENTER, line);
	}
	cli_session_line(t->s, line);
	if (cli_session_busy(t->s))
		cli_tty_wait(t);
}

/* A question that must not echo (a password): read it ourselves. */
static void cli_tty_secret(struct cli_tty *t)
{
	char prompt[160], buf[256];
	size_t n = 0;
	cli_session_prompt(t->s, prompt, sizeof(prompt));
	cli_tty_raw(t, true); /* echo off before the prompt invites typing */
	fputs(prompt, stdout);
	fflush(stdout);
	char c;
	while (cli_tty_byte(t, &c) == 1 && c != '\r' && c != '\n') {
		if ((c == 0x7f || c == '\b') && n > 0)
			n--;
		else if ((unsigned char)c >= 0x20 && n + 1 < sizeof(buf))
			buf[n++] = c;
	}
	cli_tty_raw(t, false);
	buf[n] = '\0';
	fputs("\n", stdout);
	cli_tty_run(t, buf);
	memset(buf, 0, sizeof(buf));
}

static void cli_tty_page(struct cli_tty *t)
{
	cli_tty_raw(t, true);
	char c;
	while (cli_session_paging(t->s) && cli_tty_byte(t, &c) == 1)
		cli_session_key(t->s, c);
	cli_tty_raw(t, false);
}

int cli_console_interactive(struct cli_app *app, struct pf_loop *loop)
{
	struct cli_tty t = { .loop = loop };
	t.s = cli_session_new(app, cli_emit_tty, &t);
	if (t.s)
		t.s->monitor = true; /* the console shows debug output, as on the devices */
	if (!t.s)
		return 2;
	t.s->interactive = true;
	/* Ctrl-Z means `end` on the devices: the terminal must pass it through
	 * rather than suspend (libedit takes its modes from the terminal now). */
	struct termios orig;
	bool have_orig = tcgetattr(STDIN_FILENO, &orig) == 0;
	if (have_orig) {
		struct termios tio = orig;
		tio.c_cc[VSUSP] = _POSIX_VDISABLE;
		tcsetattr(STDIN_FILENO, TCSADRAIN, &tio);
	}
	t.el = cli_edit_open(&t, cli_tty_prompt, cli_tty_help, cli_tty_complete, cli_tty_ctrl_z);
	if (!t.el) {
		if (have_orig)
			tcsetattr(STDIN_FILENO, TCSADRAIN, &orig);
		cli_session_free(t.s);
		fprintf(stderr, "vpnsh: cannot start the line editor\n");
		return 2;
	}
	signal(SIGTSTP, SIG_IGN);
	el_set(t.el, EL_GETCFN, cli_tty_getc);
	HistEvent ev;
	t.hist = history_init();
	if (t.hist) {
		history(t.hist, &ev, H_SETSIZE, CLI_HISTORY);
		el_set(t.el, EL_HIST, history, t.hist);
	}
	int rc = pf_loop_add_fd(loop, STDIN_FILENO, PF_LOOP_READ, cli_tty_ready, &t);
	if (rc < 0) {
		fprintf(stderr, "vpnsh: cannot watch the terminal: %s\n", strerror(-rc));
	} else {
		while (!t.eof && !t.s->closed) {
			bool echo = true;
			if (cli_session_asking(t.s, &echo) && !echo) {
				cli_tty_secret(&t);
			} else {
				int count = 0;
				const char *line = el_gets(t.el, &count);
				if (!line || count <= 0) {
					fputs("\n", stdout);
					break;
				}
				char copy[GRAM_MAX_LINE + 2];
				snprintf(copy, sizeof(copy), "%s", line);
				cli_tty_run(&t, copy);
			}
			if (cli_session_paging(t.s))
				cli_tty_page(&t);
		}
		pf_loop_del_fd(loop, STDIN_FILENO);
	}
	cli_tty_raw(&t, false);
	if (t.hist)
		history_end(t.hist);
	el_end(t.el);
	if (have_orig)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &orig);
	cli_session_free(t.s);
	return 0;
}
