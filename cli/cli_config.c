/*
 * cli_config.c -- configuration handlers that are more than a binding: the
 * enable secret (hashed before it is stored) and its running-config section.
 */
#include "cli/cli_int.h"

#include <ctype.h>
#include <string.h>

#include "platform/pf_secret.h"

#define ASA(s) (cli_dialect(s) == GRAM_ASA)

static int cli_store_secret(struct cli_session *s, const char *value)
{
	sqlite3_stmt *u = cli_stmt(s, "UPDATE system SET enable_secret = ? WHERE id = 1");
	if (!u)
		return cli_error(s, "%% Internal error");
	if (value)
		sqlite3_bind_text(u, 1, value, -1, SQLITE_TRANSIENT);
	sqlite3_step(u);
	sqlite3_reset(u);
	cli_changed(s, "system");
	return 0;
}

/* ASA: enable password PW [encrypted|pbkdf2]; IOS: enable secret [0|5|8|9] PW */
static int cli_enable_password(struct cli_session *s, const struct gram_match *m)
{
	if (m->negated || m->deflt)
		return cli_store_secret(s, NULL);
	const char *pw, *form;
	if (ASA(s)) {
		pw = m->slot[0];
		form = m->slot[1];
	} else {
		form = m->slot[0];
		pw = m->slot[1];
	}
	char hash[256];
	if (ASA(s) && form && strcmp(form, "pbkdf2") == 0) {
		if (strncmp(pw, "$sha512$", 8) != 0)
			return cli_error(s, "ERROR: Invalid PBKDF2 password hash");
		return cli_store_secret(s, pw);
	}
	if (ASA(s) && form && strcmp(form, "encrypted") == 0) {
		if (strlen(pw) != 16)
			return cli_error(s, "ERROR: Invalid encrypted password");
		snprintf(hash, sizeof(hash), "pix:%s", pw);
		return cli_store_secret(s, hash);
	}
	if (!ASA(s) && form && strcmp(form, "0") != 0) {
		const char *want = strcmp(form, "5") == 0 ? "$1$" : strcmp(form, "8") == 0 ? "$8$" : "$9$";
		if (strncmp(pw, want, 3) != 0)
			return cli_error(s, "ERROR: The secret you entered is not a valid encrypted secret.\n"
					    "To enter an UNENCRYPTED secret, do not specify type %s encryption.", form);
		return cli_store_secret(s, pw);
	}
	size_t n = strlen(pw);
	if (ASA(s) && (n < 3 || n > 127))
		return cli_error(s, "ERROR: Password length should be in the range 3 to 127 characters");
	if (!ASA(s) && n > 127)
		return cli_error(s, "%% Password too long - must be 127 characters or less");
	if (pf_secret_hash(ASA(s) ? PF_SECRET_PBKDF2_SHA512 : PF_SECRET_SCRYPT, pw, hash, sizeof(hash)) < 0)
		return cli_error(s, "%% Internal error: cannot hash the secret");
	return cli_store_secret(s, hash);
}

/* enable password / enable secret lines, from the stored hash. */
static void cli_render_enable(struct cli_session *s, struct cli_render *r)
{
	sqlite3_stmt *q = cli_stmt(s, "SELECT enable_secret FROM system WHERE id = 1");
	const char *h = q && sqlite3_step(q) == SQLITE_ROW ? (const char *)sqlite3_column_text(q, 0) : NULL;
	if (!h) {
		if (q)
			sqlite3_reset(q);
		return;
	}
	if (ASA(s)) {
		if (strncmp(h, "pix:", 4) == 0)
			cli_render_line(r, 0, "enable password %s encrypted", h + 4);
		else if (strncmp(h, "$sha512$", 8) == 0)
			cli_render_line(r, 0, "enable password %s pbkdf2", h);
	} else {
		const char *type = strncmp(h, "$1$", 3) == 0 ? "5" : strncmp(h, "$8$", 3) == 0 ? "8"
								   : strncmp(h, "$9$", 3) == 0 ? "9" : NULL;
		if (type)
			cli_render_line(r, 0, "enable secret %s %s", type, h);
	}
	sqlite3_reset(q);
}

/* RFC 1123 names as both devices take them: letters, digits and hyphens,
 * starting with a letter, ending with a letter or digit, at most 63. */
static int cli_hostname(struct cli_session *s, const struct gram_match *m)
{
	const char *h = m->slot[0];
	if (h && !m->negated && !m->deflt) {
		size_t n = strlen(h);
		bool ok = n > 0 && n <= 63 && isalpha((unsigned char)h[0]) && isalnum((unsigned char)h[n - 1]);
		for (size_t i = 0; ok && i < n; i++)
			ok = isalnum((unsigned char)h[i]) || h[i] == '-';
		if (!ok && n > 63)
			return cli_error(s, ASA(s) ? "ERROR: Hostname exceeds 63 characters"
					     : "%% Hostname is too long (63 characters at most)");
		if (!ok)
			return cli_error(s, ASA(s) ? "ERROR: Hostname contains illegal characters"
					     : "%% Hostname contains one or more illegal characters.");
	}
	return cli_bind_apply(s, m);
}

static const struct cli_action cli_config_actions[] = {
	{ "hostname", cli_hostname, NULL },
	{ "enable_password", cli_enable_password, NULL },
	{ "render_enable", NULL, cli_render_enable },
};

const struct cli_action_list cli_actions_config = { cli_config_actions,
						    sizeof(cli_config_actions) / sizeof(cli_config_actions[0]) };
