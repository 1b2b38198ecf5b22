/*
 * gram_lists.c -- every command list of the appliance, and the sections of
 * the running-config in the order the devices print them.
 *
 * A new command file adds its list here; a new kind of configuration adds its
 * section here, at the place the device prints it.
 */
#include "grammar/gram.h"

extern const struct gram_cmd_list gram_list_exec, gram_list_pipe, gram_list_base, gram_list_acl;

const struct gram_cmd_list *const gram_cmd_lists[] = {
	&gram_list_exec,
	&gram_list_pipe,
	&gram_list_base,
};
const size_t gram_cmd_list_count = sizeof(gram_cmd_lists) / sizeof(gram_cmd_lists[0]);

/* Sections of `show running-config`, in the device's order. A section's
 * "!" closes it when it printed something (IOS), or always (the ASA closes
 * its hostname/enable group), but never doubles one. */
const struct gram_section gram_sections[] = {
	{ GRAM_BOTH, "hostname", "system", "id", NULL, NULL, GRAM_IOS },
	{ GRAM_BOTH, "enable", "system", "id", "render_enable", NULL, GRAM_BOTH },
	{ GRAM_BOTH, "interface", "interface", "name COLLATE natsort", NULL, "!" },
	{ GRAM_BOTH, "object-group", "object_group", "rowid", "render_object_groups", NULL, GRAM_IOS },
	{ GRAM_BOTH, "access-list", "acl", "rowid", "render_acls", NULL, GRAM_IOS },
	{ GRAM_BOTH, "route", "route", "rowid", "render_routes", NULL, GRAM_IOS },
};
const size_t gram_section_count = sizeof(gram_sections) / sizeof(gram_sections[0]);
