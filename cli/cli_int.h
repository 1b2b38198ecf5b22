/*
 * cli_int.h -- the shell's internals shared by the files of cli/: the
 * appliance and session structures and the functions the front ends
 * (console, batch, socket, -c) drive a session with.
 */
#ifndef VPNSH_CLI_INT_H
#define VPNSH_CLI_INT_H

#include <histedit.h>
#include <stdint.h>
#include <stdio.h>
#include <termios.h>
#include <time.h>

#include "cli/cli.h"

struct pf_loop;
struct ike_engine;
struct dp_backend;

/* The logging buffer (`show logging`): the last messages, oldest first. */
#define CLI_LOG_LINES 512

#define CLI_HISTORY 20

struct cli_app_options {
	const char *db_path;        /* NULL: no startup file */
	unsigned dialect;           /* 0: from the store, else GRAM_ASA/GRAM_IOS */
	const char *interface_map;  /* "GigabitEthernet0/0=eth0,..." or NULL */
	bool host_apply;            /* apply interfaces and routes to the host */
	const char *dataplane;      /* "userspace", "record" or NULL/"auto" */
	int dp_workers;             /* the userspace dataplane's threads; 0: its default */
};

/* What the appliance applied to a host interface (cli_app.c). */
#define CLI_APPLIED_MAX 64
struct cli_applied {
	char name[32];
	uint32_t addr, mask;
	bool has_addr;
};

/* A static route vpnsh installed on the host. */
struct cli_route {
	uint32_t net, mask, gateway;
	char dev[16];
	unsigned metric;
};

struct cli_app {
	unsigned dialect;
	struct pf_store *store;
	struct gram *gram;
	struct pf_loop *loop;
	struct cli_app_options opt;
	time_t started;
	char map_from[16][64], map_to[16][16];  /* Cisco name -> Linux name */
	int nmap;
	struct cli_applied applied[CLI_APPLIED_MAX];
	int napplied;
	/* changes not yet applied to the host: interface names, or all of them */
	char pending_if[16][64];
	int npending_if;
	bool pending_all_if, pending_routes;
	struct cli_route *routes;        /* installed by vpnsh */
	size_t nroutes;
	char hostname[64];               /* for the prompt; "" until read from the store */
	/* the IKE engine and the dataplane it installs SAs in (NULL in batch mode) */
	struct ike_engine *engine;
	struct dp_backend *dp;
	char dp_detail[320];        /* the dataplane, as `show version` describes it */
	bool pending_engine;             /* the configuration changed: reload it */
	struct cli_session *sessions;    /* every open session, for monitor output */
	unsigned debug_mask;             /* IKE_DEBUG_* */
	int debug_level;
	uint32_t debug_peer;             /* debug crypto condition peer, 0: none */
	char *log[CLI_LOG_LINES];        /* a ring of syslog messages */
	int log_next, log_count;
	uint64_t log_total;
};

/* Where a session's finished output goes. */
typedef void (*cli_emit_fn)(void *arg, const char *p, size_t n);

enum cli_filter { CLI_FILTER_NONE, CLI_FILTER_INCLUDE, CLI_FILTER_EXCLUDE, CLI_FILTER_BEGIN,
		  CLI_FILTER_SECTION, CLI_FILTER_COUNT };

struct cli_session {
	struct cli_app *app;
	enum gram_mode mode;
	int priv;
	char ctx_table[64];
	char ctx_keys[512];            /* "name=eth0" (space-separated col=value) */
	struct pf_store *store_override;
	struct gram_match *match;      /* large: one per session */

	cli_emit_fn emit;
	void *emit_arg;
	char *out;                     /* the current command's output */
	size_t outlen, outcap;
	bool echo_prompt;              /* batch: write prompt and line before output */
	bool show_prompt_in_caret;     /* caret lines count the prompt's width */
	bool interactive;              /* a person at a terminal: the pager applies */
	bool auto_answer;              /* -c: questions get "" */
	int pager_lines;               /* 0: no paging */
	int width;

	/* paging state */
	char *page;
	size_t pagelen, pagepos;
	int page_budget;

	char *history[CLI_HISTORY];
	int nhistory;

	cli_line_cb ask_cb;
	void *ask_arg;
	bool ask_echo;
	char ask_prompt[64];

	struct cli_session *next_session;  /* in app->sessions */
	bool monitor;                  /* debug and log output comes here (terminal monitor, the console) */
	bool failed;                   /* the last line failed */
	bool closed;                   /* exit from EXEC */
	size_t prompt_len;             /* width of the prompt the line was typed after */

	/* A command that runs on after its handler returned (cli_job_begin):
	 * while busy the session takes no line. job_done, when set, is how a
	 * front end that cannot wait hears that it ended (the socket console
	 * answers the request then); it gets emit_arg. */
	bool busy;
	bool in_line;                  /* inside cli_session_line */
	cli_job_stop_fn job_stop;
	void *job_arg;
	void (*job_done)(void *arg);
};

/* appliance */
struct cli_app *cli_app_new(const struct cli_app_options *opt, char *err, size_t errlen);
void cli_app_free(struct cli_app *app);
/* Bring the host in line with the running-config (after start and reload). */
void cli_app_apply_all(struct cli_app *app);
/* A row of table changed (row: its first key value, or NULL for any/all). */
void cli_app_table_changed(struct cli_app *app, const char *table, const char *row);
/* Apply what changed to the host: after each line, so that a paste of many
 * lines about one interface touches it once per line, not once per row. */
void cli_app_settle(struct cli_app *app);
const char *cli_app_hostname(struct cli_app *app, struct pf_store *st);
/* The Linux name of a configured interface name. */
const char *cli_app_linux_name(struct cli_app *app, const char *name);
/* Start the IKE engine on the appliance's loop (daemon and console). */
int cli_app_start_engine(struct cli_app *app, char *err, size_t errlen);

/* cli_ike.c: messages that are not the answer to a command */
void cli_log_message(struct cli_app *app, int severity, const char *text);
void cli_monitor_line(struct cli_app *app, const char *text);
void cli_ike_stop(struct cli_app *app);

/* sessions */
struct cli_session *cli_session_new(struct cli_app *app, cli_emit_fn emit, void *arg);
void cli_session_free(struct cli_session *s);
/* Execute one input line; returns 0, or 1 when it failed. */
int cli_session_line(struct cli_session *s, const char *line);
void cli_session_prompt(struct cli_session *s, char *out, size_t outlen);
/* `?` on the text typed so far: prints the help. */
void cli_session_help(struct cli_session *s, const char *line);
/* TAB: the text to insert, "" when nothing completes uniquely. */
bool cli_session_complete(struct cli_session *s, const char *line, char *out, size_t outlen);
/* Paging: whether the session waits for a key, and giving it one. */
bool cli_session_paging(const struct cli_session *s);
void cli_session_key(struct cli_session *s, int key);
/* Whether the next line answers a question, and whether to echo it. */
bool cli_session_asking(const struct cli_session *s, bool *echo);
/* Ctrl-Z: back to privileged EXEC from any configuration mode. */
void cli_session_ctrl_z(struct cli_session *s);

void cli_session_history(struct cli_session *s, void (*fn)(void *, const char *), void *arg);

/* A command still runs (cli_job_begin): the session takes no line yet. */
bool cli_session_busy(const struct cli_session *s);
/* Ctrl-C or Ctrl-^ while a command runs: it ends as on the device. */
void cli_session_interrupt(struct cli_session *s);
/* Turn the appliance's loop until the running command ends, for front ends
 * that have nothing else to do meanwhile (batch, -c); returns 1 when the
 * line failed, as cli_session_line does. */
int cli_session_wait(struct cli_session *s);

/* front ends (cli_console.c, cli_vty.c) */
int cli_console_batch(struct cli_app *app, FILE *in, bool strict);
int cli_console_commands(struct cli_app *app, int ncmd, char **cmds);
int cli_console_interactive(struct cli_app *app, struct pf_loop *loop);
int cli_vty_serve(struct cli_app *app, struct pf_loop *loop, const char *path);
int cli_vty_commands(const char *path, int ncmd, char **cmds);
int cli_vty_interactive(const char *path);

/* line editing shared by the consoles (cli_edit.c) */
typedef unsigned char (*cli_edit_fn)(EditLine *el, int ch);
EditLine *cli_edit_open(void *client, char *(*prompt)(EditLine *), cli_edit_fn help, cli_edit_fn complete,
			cli_edit_fn ctrl_z);
void cli_edit_before_cursor(EditLine *el, char *out, size_t outlen);
void cli_edit_clear_line(EditLine *el);
/* Single keys, no echo (on), or back to how it was (off). */
int cli_term_raw(bool on, struct termios *saved);
/* The same, and Ctrl-C is a key rather than a signal: while a command runs
 * (cli_console.c; the socket client uses it too). */
int cli_term_keys(bool on, struct termios *saved);

/* bindings (cli_bind.c) */
int cli_bind_apply(struct cli_session *s, const struct gram_match *m);
/* The slot a GRAM_R_SECRET definition keeps its secret in (its first set
 * column's), or -1. */
int cli_bind_secret_slot(const struct gram_cmd *c);
void cli_render_config(struct cli_session *s, const char *section, bool mask_secrets, bool all);

/* the action registry (cli_actions.c) */
void *cli_action_resolve(void *ctx, const char *name);

/* output filters (cli_filter.c) */
int cli_filter_apply(const char *name, const char *regex, const char *in, size_t inlen, char **out,
		     size_t *outlen, char *err, size_t errlen);

#endif
