/*
 * gram.h -- vpnsh's command grammar: definitions as data, and the matcher.
 *
 * Every command of both dialects (ASA, IOS) is one `struct gram_cmd`: the mode
 * it lives in, its syntax with one help string per token, its flags, what it
 * does (a handler name, or a binding to store columns) and how it appears in
 * the running-config. From those definitions this module derives parsing with
 * keyword abbreviation, ambiguity and caret errors, `?` help, TAB completion,
 * the `no`/`default` forms, and the text of running-config lines (unparse).
 *
 * The module is pure: no I/O, no store, nothing but libc. Handler names are
 * resolved by the caller (cli/) when the grammar is built.
 *
 * Syntax strings, token by token (separated by spaces):
 *   keyword           a literal, matched by unique prefix: `crypto`, `pre-share`
 *   keyword=value     a literal whose stored value differs: `aes=aes-128`
 *   keyword@shown     a literal the running-config spells differently: `encryption@encr`
 *   <lo-hi>           a decimal number in range: `<1-65535>`
 *   A.B.C.D           an IPv4 address
 *   MASK              a contiguous netmask (shown as A.B.C.D)
 *   WILDCARD          an IOS wildcard mask (shown as A.B.C.D)
 *   WORD              one word
 *   LINE              the rest of the line, spaces included
 *   { a | b c | d }   one of the alternatives
 *   [ ... ]           optional part
 *   item*N            the item up to N times (`A.B.C.D*10`)
 *
 * Slots: the values a matched line carries, numbered $1.. left to right:
 * each argument is a slot, except that an alternation whose alternatives are
 * all single tokens is one slot (its value is the chosen keyword's value or the
 * argument's text), and an optional single keyword `[log]` is one slot (its
 * value, or NULL when absent). A repeated slot holds its values space-joined.
 *
 * Help: one line per token in the order tokens appear in the syntax string,
 * '\n'-separated. An empty line lets a leading keyword take the help that
 * another definition of the same mode gives the same keyword prefix.
 */
#ifndef VPNSH_GRAM_H
#define VPNSH_GRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Dialects (personalities). */
#define GRAM_ASA  0x1u
#define GRAM_IOS  0x2u
#define GRAM_BOTH (GRAM_ASA | GRAM_IOS)

/* Modes. The prompts and parents are in gram_modes[] (gram_modes.c). */
enum gram_mode {
	GRAM_MODE_NONE = 0,
	GRAM_MODE_EXEC,          /* user and privileged EXEC (privilege in the flags) */
	GRAM_MODE_CONFIG,        /* global configuration */
	GRAM_MODE_IF,            /* interface */
	GRAM_MODE_ACL_EXT,       /* IOS ip access-list extended */
	GRAM_MODE_ACL_STD,       /* IOS ip access-list standard */
	GRAM_MODE_OBJGRP_NET,    /* object-group network */
	GRAM_MODE_IKEV1_POLICY,  /* ASA crypto ikev1|isakmp policy, IOS crypto isakmp policy */
	GRAM_MODE_IKEV2_POLICY,  /* crypto ikev2 policy */
	GRAM_MODE_IPSEC_PROPOSAL,/* ASA crypto ipsec ikev2 ipsec-proposal */
	GRAM_MODE_TUNNEL_GENERAL,/* ASA tunnel-group NAME general-attributes */
	GRAM_MODE_TUNNEL_IPSEC,  /* ASA tunnel-group NAME ipsec-attributes */
	GRAM_MODE_GROUP_POLICY,  /* ASA group-policy NAME attributes */
	GRAM_MODE_TRANSFORM,     /* IOS crypto ipsec transform-set */
	GRAM_MODE_CRYPTO_MAP,    /* IOS crypto map NAME SEQ ipsec-isakmp, crypto dynamic-map */
	GRAM_MODE_KEYRING,       /* IOS crypto keyring */
	GRAM_MODE_ISAKMP_PROFILE,/* IOS crypto isakmp profile */
	GRAM_MODE_IPSEC_PROFILE, /* IOS crypto ipsec profile */
	GRAM_MODE_PIPE,          /* output modifiers after `|` */
	GRAM_MODE_COUNT
};

struct gram_mode_info {
	const char *name_asa, *name_ios; /* prompt part: "config-if"; NULL = absent in that dialect */
	enum gram_mode parent;           /* mode `exit` returns to */
	bool config;                     /* a configuration mode: no/default/do apply */
};
extern const struct gram_mode_info gram_modes[GRAM_MODE_COUNT];

/* Definition flags. */
#define GRAM_F_NO        0x0001u /* has a `no` form (prefix of the syntax suffices) */
#define GRAM_F_NO_FULL   0x0002u /* `no` form needs the whole syntax (ACL lines) */
#define GRAM_F_DEFAULT   0x0004u /* has a `default` form */
#define GRAM_F_HIDDEN    0x0008u /* accepted, but not listed by `?` */
#define GRAM_F_PIPE      0x0010u /* output may be filtered with `| include` etc. */
#define GRAM_F_USER      0x0020u /* EXEC: available at user level (privilege 1) */
#define GRAM_F_NO_ONLY   0x0040u /* exists only as a `no` form */

/* Rendering flags: how a bound command appears in the running-config. */
#define GRAM_R_SHOW_DEFAULT 0x1u /* when unset, render with .dflt as the value */
#define GRAM_R_NO_WHEN_UNSET 0x2u /* when unset, render "no <leading keywords>" */
#define GRAM_R_SECRET       0x4u /* the first set column's slot is a secret: masked in show running-config */
#define GRAM_R_NEVER        0x8u /* never rendered: an older spelling of another command */
#define GRAM_R_QUIET_SET    0x10u /* the set state is the default: rendered only by `all` */

struct gram_cmd {
	enum gram_mode mode;
	unsigned dialect;
	const char *syntax;
	const char *help;
	unsigned flags;
	const char *action;      /* handler name (resolved by the caller), or NULL */
	/* Binding to the store: the row this command names, and what it sets. */
	const char *table;       /* table name, or NULL */
	const char *keys;        /* "col=$1 col=@ctxcol col=literal" */
	const char *set;         /* "col=$2 col=literal" */
	enum gram_mode enter;    /* sub-mode entered with the row as context */
	unsigned render;         /* GRAM_R_* */
	const char *dflt;        /* value rendered when unset (GRAM_R_SHOW_DEFAULT) */
	/* A list the last slot holds, kept as ordered child rows of the row:
	 * "child_table.column [col=literal ...]"; a leading '+' adds to the list
	 * (IOS `set peer` adds a peer) instead of replacing it (ASA). */
	const char *list;
};

/* A running-config section: a table, rendered in this order. */
struct gram_section {
	unsigned dialect;
	const char *name;        /* `show running-config <name>` (may be several words) */
	const char *table;       /* the table whose rows the section renders */
	const char *order_by;    /* SQL ORDER BY clause for the rows */
	const char *render;      /* handler name for a custom renderer, or NULL */
	const char *trailer;     /* line after each row's block ("!"), or NULL */
	unsigned bang_after;     /* dialects that close the section with "!" */
	const char *where;       /* SQL condition on the rows, or NULL */
	const char *prefix;      /* only definitions whose syntax starts so, or NULL */
};

/* The command set: every definition, and the sections. */
struct gram_cmd_list {
	const struct gram_cmd *cmds;
	size_t count;
};
extern const struct gram_cmd_list *const gram_cmd_lists[];
extern const size_t gram_cmd_list_count;
extern const struct gram_section gram_sections[];
extern const size_t gram_section_count;

/* ---- building ---- */

struct gram;   /* a compiled grammar for one dialect */
struct gram_compiled_cmd;

/* Returns the handler for an action name, or NULL if there is none. */
typedef void *(*gram_resolve_fn)(void *ctx, const char *action);

/* Compile every definition of the dialect. On failure returns NULL and a
 * message naming the definition in err. */
struct gram *gram_build(unsigned dialect, gram_resolve_fn resolve, void *ctx, char *err, size_t errlen);
/* The same from explicit lists (tests build small grammars this way). */
struct gram *gram_build_lists(const struct gram_cmd_list *const *lists, size_t nlists, unsigned dialect,
			      gram_resolve_fn resolve, void *ctx, char *err, size_t errlen);
void gram_free(struct gram *g);

/* ---- matching ---- */

#define GRAM_MAX_SLOTS 32
#define GRAM_MAX_LINE  4096

enum gram_status {
	GRAM_OK = 0,
	GRAM_EMPTY,           /* blank line or comment */
	GRAM_INVALID,         /* % Invalid input detected at '^' marker. (col set) */
	GRAM_INCOMPLETE,      /* % Incomplete command. */
	GRAM_AMBIGUOUS,       /* % Ambiguous command:  "..." */
	GRAM_TOO_LONG,        /* over GRAM_MAX_LINE */
};

struct gram_match {
	enum gram_status status;
	size_t col;                          /* caret column within the line (GRAM_INVALID) */
	const struct gram_cmd *cmd;          /* the definition matched */
	void *handler;                       /* its resolved action, or NULL */
	bool negated;                        /* `no ...` */
	bool deflt;                          /* `default ...` */
	bool via_do;                         /* `do ...` from a configuration mode */
	int nslots;
	const char *slot[GRAM_MAX_SLOTS];    /* NULL where absent */
	/* Output modifier after `|`, when cmd has GRAM_F_PIPE. */
	const struct gram_cmd *pipe_cmd;
	void *pipe_handler;
	const char *pipe_arg;
	/* storage for slot strings */
	char buf[GRAM_MAX_LINE * 2];
	size_t buflen;
};

/* Copy a match (its slot values point into its own buffer). */
void gram_match_copy(struct gram_match *dst, const struct gram_match *src);

/* Match one line in a mode. priv is the EXEC privilege (1 or 15). */
void gram_match_line(struct gram *g, enum gram_mode mode, int priv, const char *line, struct gram_match *m);

/* ---- help and completion ---- */

struct gram_help_item {
	const char *name;   /* keyword, argument display ("<1-65535>", "WORD") or "<cr>" */
	const char *help;
};

struct gram_help {
	enum gram_status status;   /* GRAM_OK, or the error for the part before the cursor */
	size_t col;
	bool partial;              /* listing completions of a partial word (names only) */
	size_t count;
	struct gram_help_item item[256];
};

/* What may follow line (the text before `?`). */
void gram_help_line(struct gram *g, enum gram_mode mode, int priv, const char *line, struct gram_help *h);

/* TAB: the text to insert after line to complete its last word, or "" when
 * there is no unique completion. Returns true when something completes. */
bool gram_complete_line(struct gram *g, enum gram_mode mode, int priv, const char *line, char *out, size_t outlen);

/* ---- rendering ---- */

/* The compiled form of a definition, for callers that render rows. */
const struct gram_compiled_cmd *gram_find(struct gram *g, const struct gram_cmd *cmd);
/* Definitions of a dialect, in definition order (for rendering loops). */
size_t gram_cmd_count(struct gram *g);
const struct gram_cmd *gram_cmd_at(struct gram *g, size_t i);
void *gram_handler_at(struct gram *g, size_t i);

/* Write the command line of cmd with the given slot values (NULL = absent).
 * Returns the length, or -1 if a required slot is missing or out too small. */
int gram_unparse(struct gram *g, const struct gram_cmd *cmd, const char *const *slot, int nslots,
		 char *out, size_t outlen);
/* Number of slots of a definition. */
int gram_slot_count(struct gram *g, const struct gram_cmd *cmd);
/* The leading keywords of a definition ("nameif", "ip address"). */
int gram_leading_keywords(struct gram *g, const struct gram_cmd *cmd, char *out, size_t outlen);

/* Whether text is a valid contiguous netmask (also used by handlers). */
bool gram_parse_ipv4(const char *text, uint32_t *out);
bool gram_mask_contiguous(uint32_t mask);

#endif
