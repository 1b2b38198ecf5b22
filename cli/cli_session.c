/*
 * cli_session.c -- one console session: a line in, the device's answer out.
 *
 * A line is matched in the session's mode. Errors are printed as the device
 * prints them (IOS `% Invalid input detected at '^' marker.` with the caret
 * under the column where input stopped making sense; ASA the same with
 * `ERROR: `). A matched line runs its handler, or applies its store binding.
 *
 * Leaving a sub-mode for a global command: when a line typed in a
 * configuration sub-mode fails on its very first word, the parent modes are
 * tried in turn, and a line that is complete there runs there and leaves the
 * sub-mode (both devices do this; it is what makes a pasted configuration
 * work). A line that fails after its first word never does: a mistyped
 * sub-mode command is an error, not a global command.
 *
 * Output is collected per command, filtered (`| include` ...), then paged
 * for a person at a terminal, or emitted whole.
 *
 * A command that waits for the network (ping) runs on as a job after its
 * handler returns (cli_job_begin, cli.h): the session is busy, and each
 * front end holds the next line back its own way. Batch and -c turn the
 * loop here until the job ends (cli_session_wait); the local console turns
 * it while it watches the keyboard for Ctrl-C; the socket console returns
 * to the loop and answers the request when the job calls job_done. The
 * session itself only knows that it is busy and how to stop the job: the
 * job's state (sockets, timers) is the job's own, and a session freed
 * while busy stops it first (no callback may then find the session gone).
 */
#include "cli/cli_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "platform/pf_loop.h"
#include "platform/pf_store.h"

struct cli_session *cli_session_new(struct cli_app *app, cli_emit_fn emit, void *arg)
{
	struct cli_session *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->match = malloc(sizeof(*s->match));
	if (!s->match) {
		free(s);
		return NULL;
	}
	s->app = app;
	s->mode = GRAM_MODE_EXEC;
	s->priv = 1;
	s->emit = emit;
	s->emit_arg = arg;
	s->pager_lines = 24;
	s->width = 80;
	s->show_prompt_in_caret = true;
	if (app) {
		s->next_session = app->sessions;
		app->sessions = s;
	}
	return s;
}

void cli_session_free(struct cli_session *s)
{
	if (!s)
		return;
	if (s->busy && s->job_stop) {
		/* the job lets go of the session without ending through it */
		s->busy = false;
		s->job_stop(s->job_arg, true);
	}
	if (s->app)
		for (struct cli_session **pp = &s->app->sessions; *pp; pp = &(*pp)->next_session)
			if (*pp == s) {
				*pp = s->next_session;
				break;
			}
	for (int i = 0; i < s->nhistory; i++)
		free(s->history[i]);
	free(s->out);
	free(s->page);
	free(s->match);
	free(s);
}

/* ---- what handlers use ---- */

unsigned cli_dialect(const struct cli_session *s)
{
	return s->app->dialect;
}

struct cli_app *cli_app(struct cli_session *s)
{
	return s->app;
}

struct pf_store *cli_store(struct cli_session *s)
{
	return s->store_override ? s->store_override : s->app->store;
}

struct gram *cli_gram(struct cli_session *s)
{
	return s->app->gram;
}

enum gram_mode cli_mode(const struct cli_session *s)
{
	return s->mode;
}

void cli_write(struct cli_session *s, const char *p, size_t n)
{
	if (s->outlen + n + 1 > s->outcap) {
		size_t cap = s->outcap ? s->outcap : 4096;
		while (cap < s->outlen + n + 1)
			cap *= 2;
		char *o = realloc(s->out, cap);
		if (!o)
			return; /* output lost, state intact */
		s->out = o;
		s->outcap = cap;
	}
	memcpy(s->out + s->outlen, p, n);
	s->outlen += n;
	s->out[s->outlen] = '\0';
}

static void cli_vprintf(struct cli_session *s, const char *fmt, va_list ap)
{
	char buf[1024];
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n >= 0 && (size_t)n < sizeof(buf)) {
		cli_write(s, buf, (size_t)n);
	} else if (n > 0) {
		char *big = malloc((size_t)n + 1);
		if (big) {
			vsnprintf(big, (size_t)n + 1, fmt, copy);
			cli_write(s, big, (size_t)n);
			free(big);
		}
	}
	va_end(copy);
}

void cli_printf(struct cli_session *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cli_vprintf(s, fmt, ap);
	va_end(ap);
}

int cli_error(struct cli_session *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cli_vprintf(s, fmt, ap);
	va_end(ap);
	cli_write(s, "\n", 1);
	s->failed = true;
	return -1;
}

sqlite3_stmt *cli_stmt(struct cli_session *s, const char *sql)
{
	return pf_store_stmt(cli_store(s), sql);
}

void cli_changed(struct cli_session *s, const char *table)
{
	cli_changed_row(s, table, NULL);
}

void cli_changed_row(struct cli_session *s, const char *table, const char *row)
{
	pf_store_mark_dirty(s->app->store);
	cli_app_table_changed(s->app, table, row);
}

void cli_enter_mode(struct cli_session *s, enum gram_mode mode, const char *table, const char *keys)
{
	s->mode = mode;
	snprintf(s->ctx_table, sizeof(s->ctx_table), "%s", table ? table : "");
	snprintf(s->ctx_keys, sizeof(s->ctx_keys), "%s", keys ? keys : "");
}

const char *cli_context(const struct cli_session *s, const char *col)
{
	static char value[256];
	size_t cl = strlen(col);
	const char *p = s->ctx_keys;
	while (*p) {
		const char *sp = strchr(p, '\x1f');
		size_t n = sp ? (size_t)(sp - p) : strlen(p);
		if (n > cl && p[cl] == '=' && strncmp(p, col, cl) == 0) {
			snprintf(value, sizeof(value), "%.*s", (int)(n - cl - 1), p + cl + 1);
			return value;
		}
		p += n + (sp ? 1 : 0);
	}
	return NULL;
}

void cli_ask(struct cli_session *s, const char *prompt, bool echo, cli_line_cb cb, void *arg)
{
	if (s->auto_answer) {
		cli_printf(s, "%s\n", prompt);
		cb(s, "", arg);
		return;
	}
	s->ask_cb = cb;
	s->ask_arg = arg;
	s->ask_echo = echo;
	snprintf(s->ask_prompt, sizeof(s->ask_prompt), "%s", prompt);
}

bool cli_session_asking(const struct cli_session *s, bool *echo)
{
	if (echo)
		*echo = s->ask_echo;
	return s->ask_cb != NULL;
}

void cli_ipv4_str(unsigned int addr, char out[16])
{
	snprintf(out, 16, "%u.%u.%u.%u", addr >> 24, (addr >> 16) & 0xff, (addr >> 8) & 0xff, addr & 0xff);
}

/* ---- prompt ---- */

void cli_session_prompt(struct cli_session *s, char *out, size_t outlen)
{
	if (s->ask_cb) {
		snprintf(out, outlen, "%s", s->ask_prompt);
		return;
	}
	bool asa = s->app->dialect == GRAM_ASA;
	const char *host = cli_app_hostname(s->app, s->app->store);
	const struct gram_mode_info *mi = &gram_modes[s->mode];
	const char *name = asa ? mi->name_asa : mi->name_ios;
	if (s->mode == GRAM_MODE_EXEC || !name || !*name)
		snprintf(out, outlen, "%s%s%s", host, s->priv >= 15 ? "#" : ">", asa ? " " : "");
	else
		snprintf(out, outlen, "%s(%s)#%s", host, name, asa ? " " : "");
}

/* ---- errors ---- */

static void cli_report(struct cli_session *s, const struct gram_match *m, const char *line)
{
	bool asa = s->app->dialect == GRAM_ASA;
	const char *pre = asa ? "ERROR: " : "";
	s->failed = true;
	switch (m->status) {
	case GRAM_INVALID: {
		size_t col = m->col + (s->show_prompt_in_caret ? s->prompt_len : 0);
		char *pad = malloc(col + 3);
		if (pad) {
			memset(pad, ' ', col);
			pad[col] = '^';
			pad[col + 1] = '\n';
			pad[col + 2] = '\0';
			cli_write(s, pad, col + 2);
			free(pad);
		}
		cli_printf(s, "%s%% Invalid input detected at '^' marker.\n%s", pre, asa ? "" : "\n");
		break;
	}
	case GRAM_INCOMPLETE:
		cli_printf(s, asa ? "ERROR: %% Incomplete command\n" : "%% Incomplete command.\n\n");
		break;
	case GRAM_AMBIGUOUS: {
		size_t n = strlen(line);
		while (n > 0 && isspace((unsigned char)line[n - 1]))
			n--;
		const char *p = line;
		while (isspace((unsigned char)*p))
			p++, n--;
		cli_printf(s, "%s%% Ambiguous command:  \"%.*s\"\n", pre, (int)n, p);
		break;
	}
	case GRAM_TOO_LONG:
		cli_printf(s, "%s%% Line too long (at most %d characters)\n", pre, GRAM_MAX_LINE);
		break;
	default:
		break;
	}
}

/* ---- running a line ---- */

static void cli_history_add(struct cli_session *s, const char *line)
{
	char *copy = strdup(line);
	if (!copy)
		return;
	if (s->nhistory == CLI_HISTORY) {
		free(s->history[0]);
		memmove(s->history, s->history + 1, sizeof(s->history[0]) * (CLI_HISTORY - 1));
		s->nhistory--;
	}
	s->history[s->nhistory++] = copy;
}

/* A command that carries a secret (a pre-shared key, an enable password)
 * goes into the history with the secret masked: `show history` is output
 * like any other, and secrets never appear in output. */
static void cli_history_add_masked(struct cli_session *s, const char *line, const struct gram_match *m)
{
	bool enable = m->cmd->action && strcmp(m->cmd->action, "enable_password") == 0;
	const char *value = NULL;
	if (enable) /* ASA: enable password PW [pbkdf2]; IOS: enable secret [TYPE] PW */
		value = m->slot[s->app->dialect == GRAM_ASA ? 0 : 1];
	else if (cli_bind_secret_slot(m->cmd) >= 0)
		value = m->slot[cli_bind_secret_slot(m->cmd)];
	const char *at = value ? strstr(line, value) : NULL;
	if (!at) {
		cli_history_add(s, line);
		return;
	}
	char masked[GRAM_MAX_LINE + 8];
	snprintf(masked, sizeof(masked), "%.*s*****%s", (int)(at - line), line, at + strlen(value));
	cli_history_add(s, masked);
}

void cli_session_history(struct cli_session *s, void (*fn)(void *, const char *), void *arg)
{
	for (int i = 0; i < s->nhistory; i++)
		fn(arg, s->history[i]);
}

static void cli_dispatch(struct cli_session *s, const struct gram_match *m)
{
	if (m->handler) {
		const struct cli_action *a = m->handler;
		if (a->run && a->run(s, m) < 0)
			s->failed = true;
		return;
	}
	if (m->cmd->table && cli_bind_apply(s, m) < 0)
		s->failed = true;
}

static void cli_run_filtered(struct cli_session *s, const struct gram_match *m)
{
	size_t start = s->outlen;
	enum gram_mode mode = s->mode;
	int priv = s->priv;
	if (m->via_do) {
		/* `do` runs an EXEC command at privilege 15 and stays in the mode */
		s->priv = 15;
	}
	cli_dispatch(s, m);
	if (m->via_do && s->mode == mode) {
		s->priv = priv;
	}
	if (!m->pipe_cmd || s->busy) /* a job streams its output: nothing to filter */
		return;
	const struct cli_action *f = m->pipe_handler;
	char *filtered = NULL;
	size_t flen = 0;
	char err[128];
	if (cli_filter_apply(f->name, m->pipe_arg, s->out + start, s->outlen - start, &filtered, &flen, err,
			     sizeof(err)) < 0) {
		s->outlen = start;
		cli_error(s, "%s%s", s->app->dialect == GRAM_ASA ? "ERROR: " : "", err);
		return;
	}
	s->outlen = start;
	cli_write(s, filtered, flen);
	free(filtered);
}

/* Whether the mode could not take the line's first command word (the word
 * after a leading `no` or `default`). */
static bool cli_first_word_failed(const char *line, const struct gram_match *m)
{
	size_t start = strspn(line, " \t");
	size_t end = start + strcspn(line + start, " \t");
	if ((end - start == 2 && strncasecmp(line + start, "no", 2) == 0) ||
	    (end - start == 7 && strncasecmp(line + start, "default", 7) == 0)) {
		start = end + strspn(line + end, " \t");
		end = start + strcspn(line + start, " \t");
	}
	return m->status == GRAM_INVALID && m->col < end;
}

/* The line failed in the mode it was typed in: the explicit rules by which
 * the devices run it elsewhere. A configuration sub-mode hands a line it
 * cannot take to its parent modes, and a line that is complete there runs
 * there and leaves the sub-mode (pasting a configuration depends on this:
 * `ip route ...` after an interface block). The ASA also runs EXEC commands
 * typed in any configuration mode, as if after `do`. Only a complete parse
 * elsewhere counts; otherwise the error reported is the sub-mode's, unless
 * the sub-mode did not know the first word and a parent did (its error is
 * then the more useful one). */
static bool cli_walk_up(struct cli_session *s, const char *line, struct gram_match *m)
{
	enum gram_mode here = s->mode;
	if (!gram_modes[here].config || (m->status != GRAM_INVALID && m->status != GRAM_INCOMPLETE))
		return false;
	bool first_failed = cli_first_word_failed(line, m);
	struct gram_match *alt = malloc(sizeof(*alt));
	if (!alt)
		return false;
	bool ran = false, better = false;
	for (enum gram_mode p = gram_modes[here].parent; p != GRAM_MODE_NONE && gram_modes[p].config && !ran;
	     p = gram_modes[p].parent) {
		gram_match_line(s->app->gram, p, s->priv, line, alt);
		if (alt->status == GRAM_OK) {
			cli_enter_mode(s, p, NULL, NULL);
			ran = true;
		} else if (first_failed && !better && !cli_first_word_failed(line, alt)) {
			gram_match_copy(m, alt); /* the parent knows the word */
			better = true;
		}
	}
	if (!ran && s->app->dialect == GRAM_ASA) {
		gram_match_line(s->app->gram, GRAM_MODE_EXEC, 15, line, alt);
		if (alt->status == GRAM_OK) {
			alt->via_do = true;
			ran = true;
		} else if (first_failed && !better && !cli_first_word_failed(line, alt)) {
			gram_match_copy(m, alt);
			better = true;
		}
	}
	if (ran)
		gram_match_copy(m, alt);
	free(alt);
	return ran;
}

static void cli_flush(struct cli_session *s);

int cli_session_line(struct cli_session *s, const char *raw)
{
	if (s->busy) /* the front ends hold lines back while a command runs */
		return 1;
	char line[GRAM_MAX_LINE + 2];
	size_t n = strcspn(raw, "\r\n");
	bool too_long = n > GRAM_MAX_LINE;
	if (too_long)
		n = GRAM_MAX_LINE;
	memcpy(line, raw, n);
	line[n] = '\0';

	char prompt[160];
	cli_session_prompt(s, prompt, sizeof(prompt));
	s->prompt_len = strlen(prompt);
	s->failed = false;
	s->in_line = true;

	if (s->ask_cb) {
		cli_line_cb cb = s->ask_cb;
		void *arg = s->ask_arg;
		bool echo = s->ask_echo;
		s->ask_cb = NULL;
		if (s->echo_prompt)
			cli_printf(s, "%s%s\n", prompt, echo ? line : "");
		cb(s, line, arg);
		s->in_line = false;
		cli_flush(s);
		return s->failed ? 1 : 0;
	}
	if (s->echo_prompt)
		cli_printf(s, "%s%s\n", prompt, line);

	struct gram_match *m = s->match;
	if (too_long) {
		m->status = GRAM_TOO_LONG;
		cli_report(s, m, line);
	} else {
		gram_match_line(s->app->gram, s->mode, s->priv, line, m);
		if (m->status != GRAM_OK && m->status != GRAM_EMPTY)
			cli_walk_up(s, line, m);
		if (m->status == GRAM_OK)
			cli_history_add_masked(s, line, m);
		else if (m->status != GRAM_EMPTY)
			cli_history_add(s, line);
		if (m->status == GRAM_OK)
			cli_run_filtered(s, m);
		else if (m->status != GRAM_EMPTY)
			cli_report(s, m, line);
	}
	s->in_line = false;
	cli_app_settle(s->app);
	cli_flush(s);
	return s->failed ? 1 : 0;
}

/* ---- commands that run on (cli.h) ---- */

void cli_job_begin(struct cli_session *s, cli_job_stop_fn stop, void *arg)
{
	s->busy = true;
	s->job_stop = stop;
	s->job_arg = arg;
}

void cli_job_flush(struct cli_session *s)
{
	if (!s->emit || s->outlen == 0)
		return;
	s->emit(s->emit_arg, s->out, s->outlen);
	s->outlen = 0;
}

void cli_job_end(struct cli_session *s)
{
	s->busy = false;
	s->job_stop = NULL;
	s->job_arg = NULL;
	/* A job that ended inside its own handler: cli_session_line flushes
	 * and the front end sees the session idle when it returns. */
	if (s->in_line)
		return;
	cli_flush(s);
	if (s->job_done)
		s->job_done(s->emit_arg);
}

bool cli_session_busy(const struct cli_session *s)
{
	return s->busy;
}

void cli_session_interrupt(struct cli_session *s)
{
	if (s->busy && s->job_stop)
		s->job_stop(s->job_arg, false);
}

int cli_session_wait(struct cli_session *s)
{
	while (s->busy) {
		if (!s->app->loop || pf_loop_run_once(s->app->loop, -1) < 0) {
			cli_session_interrupt(s); /* nothing would ever end it */
			break;
		}
	}
	return s->failed ? 1 : 0;
}

void cli_session_ctrl_z(struct cli_session *s)
{
	if (gram_modes[s->mode].config)
		cli_enter_mode(s, GRAM_MODE_EXEC, NULL, NULL);
}

/* ---- help and completion ---- */

void cli_session_help(struct cli_session *s, const char *line)
{
	struct gram_help *h = malloc(sizeof(*h));
	if (!h)
		return;
	bool asa = s->app->dialect == GRAM_ASA;
	char prompt[160];
	cli_session_prompt(s, prompt, sizeof(prompt));
	s->prompt_len = strlen(prompt);
	gram_help_line(s->app->gram, s->mode, s->priv, line, h);
	if (h->status == GRAM_INVALID && h->count == 0 && strspn(line, " \t") == strlen(line)) {
		/* nothing typed: cannot happen (the root always has commands) */
	}
	if (h->status == GRAM_AMBIGUOUS) {
		struct gram_match mm = { .status = GRAM_AMBIGUOUS };
		cli_report(s, &mm, line);
	} else if (h->status == GRAM_INVALID && h->count == 0) {
		size_t first = strspn(line, " \t");
		bool one_word = strcspn(line + first, " \t") == strlen(line + first);
		if (one_word && h->col == 0)
			cli_printf(s, "%s%% Unrecognized command\n", asa ? "ERROR: " : "");
		else {
			struct gram_match mm = { .status = GRAM_INVALID, .col = h->col };
			cli_report(s, &mm, line);
		}
	} else if (h->partial) {
		size_t col = 0;
		for (size_t i = 0; i < h->count; i++) {
			size_t w = strlen(h->item[i].name) + 2;
			if (col && col + w > (size_t)(s->width ? s->width : 80)) {
				cli_write(s, "\n", 1);
				col = 0;
			}
			cli_printf(s, "%s  ", h->item[i].name);
			col += w;
		}
		cli_write(s, "\n", 1);
	} else {
		size_t wide = 0;
		for (size_t i = 0; i < h->count; i++)
			if (strlen(h->item[i].name) > wide)
				wide = strlen(h->item[i].name);
		for (size_t i = 0; i < h->count; i++) {
			if (h->item[i].help[0])
				cli_printf(s, "  %-*s  %s\n", (int)wide, h->item[i].name, h->item[i].help);
			else
				cli_printf(s, "  %s\n", h->item[i].name);
		}
	}
	s->failed = false;
	free(h);
	cli_flush(s);
}

bool cli_session_complete(struct cli_session *s, const char *line, char *out, size_t outlen)
{
	return gram_complete_line(s->app->gram, s->mode, s->priv, line, out, outlen);
}

/* ---- output and paging ---- */

static const char *cli_more_prompt(const struct cli_session *s)
{
	return s->app->dialect == GRAM_ASA ? "<--- More --->" : " --More-- ";
}

/* Emit up to `lines` lines of the page; returns true when the page is done. */
static bool cli_page_emit(struct cli_session *s, int lines)
{
	while (s->pagepos < s->pagelen && lines > 0) {
		const char *p = s->page + s->pagepos;
		const char *nl = memchr(p, '\n', s->pagelen - s->pagepos);
		size_t n = nl ? (size_t)(nl - p) + 1 : s->pagelen - s->pagepos;
		s->emit(s->emit_arg, p, n);
		s->pagepos += n;
		lines--;
	}
	if (s->pagepos >= s->pagelen) {
		free(s->page);
		s->page = NULL;
		s->pagelen = s->pagepos = 0;
		return true;
	}
	const char *more = cli_more_prompt(s);
	s->emit(s->emit_arg, more, strlen(more));
	return false;
}

static void cli_flush(struct cli_session *s)
{
	if (s->outlen == 0)
		return;
	size_t lines = 0;
	for (size_t i = 0; i < s->outlen; i++)
		lines += s->out[i] == '\n';
	if (s->interactive && s->pager_lines > 0 && lines >= (size_t)s->pager_lines) {
		s->page = s->out;
		s->pagelen = s->outlen;
		s->pagepos = 0;
		s->out = NULL;
		s->outlen = s->outcap = 0;
		cli_page_emit(s, s->pager_lines - 1);
		return;
	}
	s->emit(s->emit_arg, s->out, s->outlen);
	s->outlen = 0;
}

bool cli_session_paging(const struct cli_session *s)
{
	return s->page != NULL;
}

void cli_session_key(struct cli_session *s, int key)
{
	if (!s->page)
		return;
	/* erase the More prompt */
	size_t n = strlen(cli_more_prompt(s));
	char erase[64];
	memset(erase, '\b', n);
	memset(erase + n, ' ', n);
	memset(erase + 2 * n, '\b', n);
	s->emit(s->emit_arg, "\r", 1);
	s->emit(s->emit_arg, erase + n, n);
	s->emit(s->emit_arg, "\r", 1);
	if (key == 'q' || key == 'Q' || key == 3) {
		free(s->page);
		s->page = NULL;
		s->pagelen = s->pagepos = 0;
		return;
	}
	cli_page_emit(s, (key == '\r' || key == '\n') ? 1 : s->pager_lines - 1);
}
