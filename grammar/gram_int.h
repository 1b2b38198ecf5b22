/*
 * gram_int.h -- the compiled form of command definitions, shared by the
 * grammar's own files (compile, match, unparse). Not part of the interface.
 *
 * Each definition compiles to a small position graph (a Glushkov automaton):
 * one node per token of the syntax, each with the list of nodes that may come
 * next and whether the command may end after it. Optional parts, alternatives
 * and repetition need no expansion, so a definition with many alternatives
 * stays small. The syntax tree is kept too: unparse walks it.
 */
#ifndef VPNSH_GRAM_INT_H
#define VPNSH_GRAM_INT_H

#include "grammar/gram.h"

enum gram_tok_type {
	GT_KEYWORD,
	GT_RANGE,
	GT_IPV4,
	GT_MASK,
	GT_WILDCARD,
	GT_WORD,
	GT_LINE,
};

struct gram_node {
	uint8_t type;          /* GT_* */
	bool can_end;          /* the command may end after this token */
	bool seq_tail;         /* a later keyword of a keyword-run alternative: its value replaces the run's */
	int8_t slot;           /* slot this token fills, or -1 */
	uint16_t rep_max;      /* in a repeated item: at most this many times */
	uint16_t pos;          /* token position in the syntax string */
	uint32_t lo, hi;       /* GT_RANGE */
	const char *text;      /* keyword as written, or the argument's display */
	size_t textlen;
	const char *value;     /* a keyword's stored value */
	const char *shown;     /* how the running-config spells the keyword (IOS "encr"), or NULL */
	const char *help;
	uint16_t *next;
	uint16_t nnext;
};

enum gram_ast_kind { AST_TOK, AST_SEQ, AST_ALT, AST_OPT, AST_REP };

struct gram_ast {
	uint8_t kind;
	int8_t slot;           /* AST_ALT of single tokens: the slot; else -1 */
	uint16_t tok;          /* AST_TOK: node index */
	uint16_t rep_max;      /* AST_REP */
	struct gram_ast **kids;
	uint16_t nkids;
};

struct gram_compiled_cmd {
	const struct gram_cmd *def;
	void *handler;
	size_t index;          /* position among the dialect's definitions */
	struct gram_node *nodes;
	uint16_t nnodes;
	uint16_t *start;
	uint16_t nstart;
	int nslots;
	int lead;              /* leading plain keywords */
	int linear;            /* leading tokens outside any alternation or option */
	int no_min_pos;        /* a `no` form may end at a node at or past this position */
	int key_slots;         /* slots named by keys ($1..$key_slots) */
	struct gram_ast *ast;
};

/* A start token of a definition, filed under its first letter. */
struct gram_start {
	struct gram_compiled_cmd *cc;
	uint16_t node;
};

#define GRAM_BUCKETS 37 /* a-z, 0-9, anything else */

struct gram_mode_index {
	struct gram_compiled_cmd **cmds;
	size_t count;
	bool has_no, has_default;
	/* the start tokens by the first letter a keyword needs (arguments,
	 * which accept any letter, in every bucket), in definition order: the
	 * root of a mode is the hot spot of a long paste */
	struct gram_start *bucket[GRAM_BUCKETS];
	size_t nbucket[GRAM_BUCKETS];
};

int gram_bucket_of(char c);

struct gram_arena_block;

struct gram {
	unsigned dialect;
	struct gram_compiled_cmd *cmds;
	size_t count;
	struct gram_mode_index modes[GRAM_MODE_COUNT];
	struct gram_arena_block *arena;
	struct gram_run *spare;  /* the matcher's buffers, kept between lines */
};

void gram_release_spare(struct gram *g);

/* Argument validation, shared by the matcher and unparse. */
bool gram_node_accepts(const struct gram_node *n, const char *tok, size_t len);
const char *gram_type_display(uint8_t type);

#endif
