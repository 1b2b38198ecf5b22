/*
 * cli_exec.c -- EXEC-mode handlers: privilege, configuration mode, terminal
 * settings, saving and showing the configuration, reload, and the
 * information commands (version, clock, history).
 */
#include "cli/cli_int.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "platform/pf_secret.h"
#include "platform/pf_store.h"

#define ASA(s) (cli_dialect(s) == GRAM_ASA)

static void cli_enable_check(struct cli_session *s, const char *line, void *arg)
{
	(void)arg;
	sqlite3_stmt *q = cli_stmt(s, "SELECT enable_secret FROM system WHERE id = 1");
	const char *stored = q && sqlite3_step(q) == SQLITE_ROW ? (const char *)sqlite3_column_text(q, 0) : NULL;
	bool ok = stored && pf_secret_verify(stored, line);
	if (q)
		sqlite3_reset(q);
	if (ok) {
		s->priv = 15;
		return;
	}
	cli_error(s, ASA(s) ? "Invalid password" : "%% Access denied");
}

static int cli_enable(struct cli_session *s, const struct gram_match *m)
{
	int level = m->slot[0] ? atoi(m->slot[0]) : 15;
	if (level < 15) {
		s->priv = level < 1 ? 1 : level;
		return 0;
	}
	if (s->priv >= 15)
		return 0;
	sqlite3_stmt *q = cli_stmt(s, "SELECT enable_secret IS NOT NULL FROM system WHERE id = 1");
	bool has = q && sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0);
	if (q)
		sqlite3_reset(q);
	if (!has) {
		s->priv = 15; /* no secret configured: the console enables freely */
		return 0;
	}
	cli_ask(s, "Password: ", false, cli_enable_check, NULL);
	return 0;
}

static int cli_disable(struct cli_session *s, const struct gram_match *m)
{
	(void)m;
	s->priv = 1;
	return 0;
}

static int cli_exit(struct cli_session *s, const struct gram_match *m)
{
	(void)m;
	if (s->mode == GRAM_MODE_EXEC) {
		s->closed = true;
		if (ASA(s))
			cli_printf(s, "\nLogoff\n\n");
		return 0;
	}
	enum gram_mode parent = gram_modes[s->mode].parent;
	cli_enter_mode(s, parent, NULL, NULL);
	return 0;
}

static int cli_end(struct cli_session *s, const struct gram_match *m)
{
	(void)m;
	cli_enter_mode(s, GRAM_MODE_EXEC, NULL, NULL);
	return 0;
}

static int cli_configure(struct cli_session *s, const struct gram_match *m)
{
	(void)m;
	if (!ASA(s))
		cli_printf(s, "Enter configuration commands, one per line.  End with CNTL/Z.\n");
	cli_enter_mode(s, GRAM_MODE_CONFIG, NULL, NULL);
	return 0;
}

static int cli_ignore(struct cli_session *s, const struct gram_match *m)
{
	(void)s;
	(void)m;
	return 0;
}

/* ---- information ---- */

static void cli_uptime(time_t started, char *out, size_t outlen)
{
	long secs = (long)(time(NULL) - started);
	long d = secs / 86400, h = secs % 86400 / 3600, mi = secs % 3600 / 60;
	if (d)
		snprintf(out, outlen, "%ld day%s %ld hour%s", d, d == 1 ? "" : "s", h, h == 1 ? "" : "s");
	else if (h)
		snprintf(out, outlen, "%ld hour%s %ld min%s", h, h == 1 ? "" : "s", mi, mi == 1 ? "" : "s");
	else
		snprintf(out, outlen, "%ld min%s %ld sec%s", mi, mi == 1 ? "" : "s", secs % 60, secs % 60 == 1 ? "" : "s");
}

static int cli_show_version(struct cli_session *s, const struct gram_match *m)
{
	(void)m;
	struct cli_app *app = cli_app(s);
	struct utsname u;
	uname(&u);
	char up[64];
	cli_uptime(app->started, up, sizeof(up));
	const char *host = cli_app_hostname(app, app->store);
	const char *path = pf_store_path(app->store);
	if (ASA(s)) {
		cli_printf(s, "\nvpnsh Adaptive Security Appliance Software Version %s (ASA command set)\n", VPNSH_VERSION);
		cli_printf(s, "\n%s up %s\n\n", host, up);
	} else {
		cli_printf(s, "vpnsh IOS Software, Version %s (IOS command set)\n", VPNSH_VERSION);
		cli_printf(s, "\n%s uptime is %s\n", host, up);
	}
	cli_printf(s, "Hardware:   vpnsh on %s %s (%s)\n", u.sysname, u.release, u.machine);
	cli_printf(s, "ESP dataplane: %s\n", app->dp_detail[0] ? app->dp_detail : "none (no IKE engine runs here)");
	cli_printf(s, "Configuration file at startup: %s\n", path ? path : "none");
	cli_printf(s, "Configuration has%s been modified since it was last saved\n",
		   pf_store_dirty(app->store) ? "" : " not");
	return 0;
}

static int cli_show_clock(struct cli_session *s, const struct gram_match *m)
{
	(void)m;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	char buf[64];
	strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
	char date[64];
	strftime(date, sizeof(date), "%a %b %d %Y", &tm);
	cli_printf(s, "%s%s.%03ld UTC %s\n", ASA(s) ? "" : "*", buf, ts.tv_nsec / 1000000, date);
	return 0;
}

static void cli_history_line(void *arg, const char *line)
{
	cli_printf(arg, "  %s\n", line);
}

static int cli_show_history(struct cli_session *s, const struct gram_match *m)
{
	(void)m;
	cli_session_history(s, cli_history_line, s);
	return 0;
}

static int cli_show_terminal(struct cli_session *s, const struct gram_match *m)
{
	(void)m;
	if (ASA(s))
		cli_printf(s, "Width = %d, %s\n%s\n", s->width,
			   s->pager_lines ? "" : "no pager", s->interactive ? "terminal interactive" : "terminal");
	else
		cli_printf(s, "Line 0, Location: \"\", Type: \"\"\nLength: %d lines, Width: %d columns\n",
			   s->pager_lines, s->width);
	return 0;
}

static int cli_show_privilege(struct cli_session *s, const struct gram_match *m)
{
	(void)m;
	if (ASA(s))
		cli_printf(s, "Username : enable_%d\nCurrent privilege level : %d\nCurrent Mode/s : %s\n",
			   s->priv, s->priv, s->priv >= 15 ? "P_PRIV" : "P_UNPR");
	else
		cli_printf(s, "Current privilege level is %d\n", s->priv);
	return 0;
}

static int cli_terminal_pager(struct cli_session *s, const struct gram_match *m)
{
	const char *v = NULL;
	for (int i = 0; i < m->nslots; i++)
		if (m->slot[i] && strcmp(m->slot[i], "lines") != 0)
			v = m->slot[i];
	s->pager_lines = v ? atoi(v) : 0;
	return 0;
}

static int cli_terminal_width(struct cli_session *s, const struct gram_match *m)
{
	s->width = m->slot[0] ? atoi(m->slot[0]) : 80;
	return 0;
}

/* ---- the configuration ---- */

/* The whole running-config as the device prints it (header, sections, end). */
static void cli_render_full(struct cli_session *s, bool mask, bool all)
{
	size_t start = s->outlen;
	cli_render_config(s, NULL, mask, all);
	size_t bodylen = s->outlen - start;
	char *body = malloc(bodylen + 1);
	if (!body)
		return;
	memcpy(body, s->out + start, bodylen);
	s->outlen = start;
	if (ASA(s)) {
		cli_printf(s, ": Saved\n:\nASA Version 9.8(4) \n!\n");
		cli_write(s, body, bodylen);
		cli_printf(s, ": end\n");
	} else {
		const char *head = "!\nversion 15.2\n!\n";
		cli_printf(s, "Building configuration...\n\nCurrent configuration : %zu bytes\n",
			   strlen(head) + bodylen + 6);
		cli_printf(s, "%s", head);
		cli_write(s, body, bodylen);
		bool closed = bodylen >= 2 && memcmp(body + bodylen - 2, "!\n", 2) == 0;
		cli_printf(s, "%send\n", closed ? "" : "!\n");
	}
	free(body);
}

/* show running-config [all] [SECTION] (slots: all, section) */
static int cli_show_running_config(struct cli_session *s, const struct gram_match *m)
{
	bool all = m->nslots > 0 && m->slot[0];
	const char *section = m->nslots > 1 ? m->slot[1] : NULL;
	if (section)
		cli_render_config(s, section, true, all);
	else
		cli_render_full(s, true, all);
	return 0;
}

/* show running-config [all] crypto [PART] */
static int cli_show_running_config_crypto(struct cli_session *s, const struct gram_match *m)
{
	char section[64];
	snprintf(section, sizeof(section), "crypto%s%s", m->slot[1] ? " " : "", m->slot[1] ? m->slot[1] : "");
	cli_render_config(s, section, true, m->slot[0] != NULL);
	return 0;
}

static int cli_show_running_config_clear(struct cli_session *s, const struct gram_match *m)
{
	(void)m;
	cli_render_full(s, false, false);
	return 0;
}

static int cli_show_startup_config(struct cli_session *s, const struct gram_match *m)
{
	(void)m;
	const char *path = pf_store_path(cli_store(s));
	if (!path || access(path, F_OK) != 0)
		return cli_error(s, ASA(s) ? "ERROR: startup-config is not present" : "startup-config is not present");
	char err[256];
	struct pf_store *st = pf_store_open(path, err, sizeof(err));
	if (!st)
		return cli_error(s, "%s%% %s", ASA(s) ? "ERROR: " : "", err);
	s->store_override = st;
	cli_render_full(s, true, false);
	s->store_override = NULL;
	pf_store_close(st);
	return 0;
}

/* The text that is saved, for the byte count and the ASA checksum. */
static char *cli_config_text(struct cli_session *s, size_t *len)
{
	size_t start = s->outlen;
	cli_render_config(s, NULL, false, false);
	*len = s->outlen - start;
	char *text = malloc(*len + 1);
	if (text) {
		memcpy(text, s->out + start, *len);
		text[*len] = '\0';
	}
	s->outlen = start;
	return text;
}

static int cli_save(struct cli_session *s)
{
	char err[256];
	size_t len = 0;
	char *text = cli_config_text(s, &len);
	cli_printf(s, "Building configuration...\n");
	if (pf_store_save(cli_store(s), err, sizeof(err)) < 0) {
		free(text);
		return cli_error(s, "%s%% Error writing startup-config (%s)", ASA(s) ? "ERROR: " : "", err);
	}
	if (ASA(s)) {
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned int mdlen = 0;
		EVP_Digest(text ? text : "", len, md, &mdlen, EVP_md5(), NULL);
		cli_printf(s, "Cryptochecksum: %02x%02x%02x%02x %02x%02x%02x%02x %02x%02x%02x%02x %02x%02x%02x%02x \n\n",
			   md[0], md[1], md[2], md[3], md[4], md[5], md[6], md[7], md[8], md[9], md[10], md[11],
			   md[12], md[13], md[14], md[15]);
		cli_printf(s, "%zu bytes copied in 0.10 secs\n", len);
	}
	cli_printf(s, "[OK]\n");
	free(text);
	return 0;
}

static int cli_write_memory(struct cli_session *s, const struct gram_match *m)
{
	(void)m;
	return cli_save(s);
}

static void cli_copy_answer(struct cli_session *s, const char *line, void *arg)
{
	(void)arg;
	if (line[0] && strcmp(line, "startup-config") != 0) {
		cli_error(s, "%s%% Only startup-config can be written", ASA(s) ? "ERROR: " : "");
		return;
	}
	cli_save(s);
}

static int cli_copy_run_start(struct cli_session *s, const struct gram_match *m)
{
	(void)m;
	cli_ask(s, "Destination filename [startup-config]? ", true, cli_copy_answer, NULL);
	return 0;
}

static bool cli_confirmed(const char *line)
{
	return line[0] == '\0' || line[0] == 'y' || line[0] == 'Y';
}

static void cli_erase_answer(struct cli_session *s, const char *line, void *arg)
{
	(void)arg;
	if (!cli_confirmed(line))
		return;
	char err[256];
	if (pf_store_erase_startup(cli_store(s), err, sizeof(err)) < 0) {
		cli_error(s, "%s%% %s", ASA(s) ? "ERROR: " : "", err);
		return;
	}
	cli_printf(s, ASA(s) ? "[OK]\n" : "[OK]\nErase of nvram: complete\n");
}

static int cli_write_erase(struct cli_session *s, const struct gram_match *m)
{
	(void)m;
	cli_ask(s,
		ASA(s) ? "Erase configuration in flash memory? [confirm]"
		       : "Erasing the nvram filesystem will remove all configuration files! Continue? [confirm]",
		false, cli_erase_answer, NULL);
	return 0;
}

static void cli_reload_answer(struct cli_session *s, const char *line, void *arg)
{
	(void)arg;
	if (!cli_confirmed(line))
		return;
	char err[256];
	struct cli_app *app = cli_app(s);
	if (pf_store_reload(app->store, err, sizeof(err)) < 0) {
		cli_error(s, "%s%% Reload failed: %s", ASA(s) ? "ERROR: " : "", err);
		return;
	}
	cli_app_apply_all(app);
	cli_enter_mode(s, GRAM_MODE_EXEC, NULL, NULL);
	s->priv = 1;
	cli_printf(s, "\nReloaded the configuration from startup-config.\n\n");
}

static void cli_reload_save_answer(struct cli_session *s, const char *line, void *arg)
{
	(void)arg;
	if (line[0] == 'y' || line[0] == 'Y') {
		if (cli_save(s) < 0)
			return;
	} else if (line[0] != 'n' && line[0] != 'N') {
		cli_error(s, "%% Please answer 'yes' or 'no'.");
		return;
	}
	cli_ask(s, "Proceed with reload? [confirm]", false, cli_reload_answer, NULL);
}

static int cli_reload(struct cli_session *s, const struct gram_match *m)
{
	(void)m;
	if (pf_store_dirty(cli_store(s)) && !ASA(s))
		cli_ask(s, "System configuration has been modified. Save? [yes/no]: ", true, cli_reload_save_answer,
			NULL);
	else
		cli_ask(s, "Proceed with reload? [confirm]", false, cli_reload_answer, NULL);
	return 0;
}

static const struct cli_action cli_exec_actions[] = {
	{ "enable", cli_enable, NULL },
	{ "disable", cli_disable, NULL },
	{ "exit", cli_exit, NULL },
	{ "end", cli_end, NULL },
	{ "configure", cli_configure, NULL },
	{ "ignore", cli_ignore, NULL },
	{ "show_version", cli_show_version, NULL },
	{ "show_clock", cli_show_clock, NULL },
	{ "show_history", cli_show_history, NULL },
	{ "show_terminal", cli_show_terminal, NULL },
	{ "show_privilege", cli_show_privilege, NULL },
	{ "terminal_pager", cli_terminal_pager, NULL },
	{ "terminal_width", cli_terminal_width, NULL },
	{ "show_running_config", cli_show_running_config, NULL },
	{ "show_running_config_clear", cli_show_running_config_clear, NULL },
	{ "show_running_config_crypto", cli_show_running_config_crypto, NULL },
	{ "show_startup_config", cli_show_startup_config, NULL },
	{ "write_memory", cli_write_memory, NULL },
	{ "write_erase", cli_write_erase, NULL },
	{ "copy_run_start", cli_copy_run_start, NULL },
	{ "reload", cli_reload, NULL },
	/* output modifiers: applied by the session, named here so they resolve */
	{ "pipe_begin", NULL, NULL },
	{ "pipe_include", NULL, NULL },
	{ "pipe_exclude", NULL, NULL },
	{ "pipe_section", NULL, NULL },
	{ "pipe_count", NULL, NULL },
};

const struct cli_action_list cli_actions_exec = { cli_exec_actions,
						  sizeof(cli_exec_actions) / sizeof(cli_exec_actions[0]) };
