/*
 * cli_actions.c -- every action list of the shell. The grammar names
 * handlers and renderers; this resolves the names when it is built.
 */
#include "cli/cli_int.h"

#include <string.h>

extern const struct cli_action_list cli_actions_exec, cli_actions_config, cli_actions_if, cli_actions_acl,
	cli_actions_crypto, cli_actions_crypto_show, cli_actions_ike, cli_actions_ike_show, cli_actions_tools;

static const struct cli_action_list *const cli_action_lists[] = {
	&cli_actions_exec,
	&cli_actions_config,
	&cli_actions_if,
	&cli_actions_acl,
	&cli_actions_crypto,
	&cli_actions_crypto_show,
	&cli_actions_ike,
	&cli_actions_ike_show,
	&cli_actions_tools,
};

void *cli_action_resolve(void *ctx, const char *name)
{
	(void)ctx;
	for (size_t l = 0; l < sizeof(cli_action_lists) / sizeof(cli_action_lists[0]); l++)
		for (size_t i = 0; i < cli_action_lists[l]->count; i++)
			if (strcmp(cli_action_lists[l]->actions[i].name, name) == 0)
				return (void *)&cli_action_lists[l]->actions[i];
	return NULL;
}
