/*
 * cli_edit.c -- what the two line-editing consoles share: the local console
 * (cli_console.c) and the client of a socket console (cli_vty.c) set up
 * libedit the same way, with `?`, TAB and Ctrl-Z bound to their own
 * handlers, and read single keys in raw mode for the pager and passwords.
 */
#include "cli/cli_int.h"

#include <string.h>
#include <termios.h>
#include <unistd.h>

EditLine *cli_edit_open(void *client, char *(*prompt)(EditLine *), cli_edit_fn help, cli_edit_fn complete,
			cli_edit_fn ctrl_z)
{
	EditLine *el = el_init("vpnsh", stdin, stdout, stderr);
	if (!el)
		return NULL;
	el_set(el, EL_CLIENTDATA, client);
	el_set(el, EL_EDITOR, "emacs");
	el_set(el, EL_SETTY, "-d", "-isig", NULL); /* Ctrl-Z and Ctrl-C reach the editor */
	el_set(el, EL_PROMPT, prompt);
	el_set(el, EL_ADDFN, "vpnsh-help", "Context help", help);
	el_set(el, EL_BIND, "?", "vpnsh-help", NULL);
	el_set(el, EL_ADDFN, "vpnsh-complete", "Complete the word", complete);
	el_set(el, EL_BIND, "^I", "vpnsh-complete", NULL);
	el_set(el, EL_ADDFN, "vpnsh-ctrl-z", "Leave configuration mode", ctrl_z);
	el_set(el, EL_BIND, "^Z", "vpnsh-ctrl-z", NULL);
	return el;
}

void cli_edit_before_cursor(EditLine *el, char *out, size_t outlen)
{
	const LineInfo *li = el_line(el);
	size_t n = (size_t)(li->cursor - li->buffer);
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, li->buffer, n);
	out[n] = '\0';
}

void cli_edit_clear_line(EditLine *el)
{
	const LineInfo *li = el_line(el);
	el_deletestr(el, (int)(li->cursor - li->buffer));
}

int cli_term_raw(bool on, struct termios *saved)
{
	if (!on)
		return tcsetattr(STDIN_FILENO, TCSADRAIN, saved);
	if (tcgetattr(STDIN_FILENO, saved) != 0)
		return -1;
	struct termios raw = *saved;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	return tcsetattr(STDIN_FILENO, TCSADRAIN, &raw);
}
