/*
 * cli.h -- the shell: the appliance, its console sessions, and what command
 * handlers and section renderers may use.
 *
 * The appliance (struct cli_app) owns the store, the compiled grammar of its
 * personality and the event loop. A session (struct cli_session) is one
 * console: the local terminal, a piped batch, a client on the UNIX socket, or
 * a -c run. A session executes one line at a time: it matches the line with
 * the grammar, then either calls the definition's handler or applies its
 * store binding (cli_bind.c), and collects the output, which the output
 * modifiers filter and the pager pages.
 *
 * Handlers are found by name: each cli_*.c file lists its actions in a
 * `struct cli_action_list`, and cli_actions.c lists those lists.
 */
#ifndef VPNSH_CLI_H
#define VPNSH_CLI_H

#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "grammar/gram.h"

struct cli_app;
struct cli_session;
struct cli_render;
struct pf_store;

/* Runs a matched command; returns 0, or -1 after printing the device's error. */
typedef int (*cli_run_fn)(struct cli_session *s, const struct gram_match *m);
/* Writes the running-config lines of one section. */
typedef void (*cli_render_fn)(struct cli_session *s, struct cli_render *r);

struct cli_action {
	const char *name;
	cli_run_fn run;
	cli_render_fn render;
};

struct cli_action_list {
	const struct cli_action *actions;
	size_t count;
};

/* ---- for handlers ---- */

unsigned cli_dialect(const struct cli_session *s);   /* GRAM_ASA or GRAM_IOS */
struct cli_app *cli_app(struct cli_session *s);
struct pf_store *cli_store(struct cli_session *s);
struct gram *cli_gram(struct cli_session *s);

void cli_write(struct cli_session *s, const char *p, size_t n);
void cli_printf(struct cli_session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print an error line (the caller writes the device's exact text) and mark
 * the line as failed; returns -1 so that handlers can `return cli_error(...)`. */
int cli_error(struct cli_session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A cached prepared statement of the running-config, reset and ready to bind. */
sqlite3_stmt *cli_stmt(struct cli_session *s, const char *sql);
/* Report that rows of a table changed (subscribers such as the interface
 * applier react); also marks the running-config as modified. */
void cli_changed(struct cli_session *s, const char *table);
/* The same, naming the row (its first key value): cheaper to apply. */
void cli_changed_row(struct cli_session *s, const char *table, const char *row);

/* The sub-mode context: the row the current sub-mode configures. */
void cli_enter_mode(struct cli_session *s, enum gram_mode mode, const char *table, const char *keys);
/* Value of a key column of the context row ("name"), or NULL. */
const char *cli_context(const struct cli_session *s, const char *col);
enum gram_mode cli_mode(const struct cli_session *s);

/* Ask for the next input line (a password, a [confirm]); the callback gets it.
 * echo=false hides what is typed. In a -c run the callback gets "". */
typedef void (*cli_line_cb)(struct cli_session *s, const char *line, void *arg);
void cli_ask(struct cli_session *s, const char *prompt, bool echo, cli_line_cb cb, void *arg);

/* ---- commands that go on after their handler returns ----
 *
 * A command that waits for the network (ping) must not hold the appliance's
 * one loop, which also runs IKE and every other console. Its handler starts
 * the work on the loop (a socket, a timer), calls cli_job_begin() and
 * returns. The session is then busy: its front end takes no further line
 * until the job calls cli_job_end(). Meanwhile the job writes with
 * cli_printf() and sends what it wrote at once with cli_job_flush() (a busy
 * command's output is streamed: no pager, no `| include`).
 *
 * stop() ends the job early. gone=false: the user aborted it (Ctrl-C, or
 * Ctrl-^, the devices' escape sequence); the job prints what the device
 * prints then and calls cli_job_end(). gone=true: the session is being
 * freed (its client disconnected); the job frees itself and must not touch
 * the session, not even to end. */
typedef void (*cli_job_stop_fn)(void *arg, bool gone);
void cli_job_begin(struct cli_session *s, cli_job_stop_fn stop, void *arg);
void cli_job_flush(struct cli_session *s);
/* The job is over: the rest of its output is sent and the front end told.
 * The job frees itself before calling this, and touches the session no more
 * after it: the front end may take the next line from within. */
void cli_job_end(struct cli_session *s);

/* ---- rendering ---- */

struct cli_render {
	struct cli_session *s;
	bool mask_secrets;    /* show running-config: "*****"; more system:running-config: clear */
	bool all;             /* show running-config all: defaults too */
	size_t lines;
};
void cli_render_line(struct cli_render *r, int indent, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The lines of a table's rows (WHERE where, ORDER BY order_by) from the
 * definitions bound to it (those whose syntax starts with prefix, if given),
 * with trailer after each row that printed something. */
void cli_render_rows(struct cli_render *r, const char *table, const char *where, const char *order_by,
		     const char *prefix, const char *trailer);

/* ---- dotted-quad helpers shared by handlers ---- */
void cli_ipv4_str(unsigned int addr, char out[16]);

#endif
