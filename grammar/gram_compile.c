/*
 * gram_compile.c -- turns command definitions into position graphs, once at
 * start-up (all ~hundreds of definitions of a dialect compile in well under a
 * millisecond).
 *
 * Steps per definition: parse the syntax string into a small tree, number the
 * tokens and give each its help line, assign slots, then compute the Glushkov
 * first/last/follow sets: a token's `next` is its follow set, the graph's start
 * is the tree's first set, and the tokens of its last set may end the command.
 * Everything is allocated from one arena freed by gram_free().
 */
#include "grammar/gram_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- arena ---- */

struct gram_arena_block {
	struct gram_arena_block *prev;
	size_t used, size;
	max_align_t data[];
};

static void *gram_alloc(struct gram *g, size_t n)
{
	n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	struct gram_arena_block *b = g->arena;
	if (!b || b->size - b->used < n) {
		size_t size = n > 65536 ? n : 65536;
		b = malloc(sizeof(*b) + size);
		if (!b)
			return NULL;
		b->prev = g->arena;
		b->used = 0;
		b->size = size;
		g->arena = b;
	}
	void *p = (char *)b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

static char *gram_strndup(struct gram *g, const char *s, size_t n)
{
	char *p = gram_alloc(g, n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

void gram_free(struct gram *g)
{
	if (!g)
		return;
	gram_release_spare(g);
	struct gram_arena_block *b = g->arena;
	while (b) {
		struct gram_arena_block *prev = b->prev;
		free(b);
		b = prev;
	}
	free(g);
}

/* ---- compile state for one definition ---- */

#define GRAM_MAX_TOKENS 512

struct gram_compiler {
	struct gram *g;
	const struct gram_cmd *def;
	const char *p;              /* cursor in the syntax string */
	struct gram_node nodes[GRAM_MAX_TOKENS];
	int nnodes;
	int nslots;
	char *err;
	size_t errlen;
	bool failed;
};

/* A growable list of node indexes, used for first/last/follow sets. */
struct gram_set {
	uint16_t *v;
	uint16_t n, cap;
};

static void gram_fail(struct gram_compiler *c, const char *fmt, ...)
{
	if (c->failed)
		return;
	c->failed = true;
	int off = snprintf(c->err, c->errlen, "grammar: \"%s\": ", c->def->syntax);
	if (off < 0 || (size_t)off >= c->errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err + off, c->errlen - (size_t)off, fmt, ap);
	va_end(ap);
}

static void gram_skip_space(struct gram_compiler *c)
{
	while (*c->p == ' ')
		c->p++;
}

static struct gram_ast *gram_ast_new(struct gram_compiler *c, uint8_t kind)
{
	struct gram_ast *a = gram_alloc(c->g, sizeof(*a));
	if (!a) {
		gram_fail(c, "out of memory");
		return NULL;
	}
	a->kind = kind;
	a->slot = -1;
	return a;
}

static void gram_ast_add(struct gram_compiler *c, struct gram_ast *parent, struct gram_ast *kid)
{
	struct gram_ast **k = gram_alloc(c->g, sizeof(*k) * (parent->nkids + 1u));
	if (!k) {
		gram_fail(c, "out of memory");
		return;
	}
	if (parent->nkids)
		memcpy(k, parent->kids, sizeof(*k) * parent->nkids);
	k[parent->nkids++] = kid;
	parent->kids = k; /* the old array stays in the arena; definitions are small */
}

static bool gram_parse_range(const char *s, size_t n, uint32_t *lo, uint32_t *hi)
{
	unsigned long a, b;
	char buf[32];
	if (n >= sizeof(buf) || n < 5 || s[0] != '<' || s[n - 1] != '>')
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (sscanf(buf, "<%lu-%lu>", &a, &b) != 2 || a > b || b > UINT32_MAX)
		return false;
	*lo = (uint32_t)a;
	*hi = (uint32_t)b;
	return true;
}

/* One token of the syntax string becomes one node. */
static struct gram_ast *gram_parse_token(struct gram_compiler *c)
{
	const char *s = c->p;
	size_t n = strcspn(s, " {}[]|*");
	c->p += n;
	if (c->nnodes >= GRAM_MAX_TOKENS) {
		gram_fail(c, "too many tokens");
		return NULL;
	}
	struct gram_node *node = &c->nodes[c->nnodes];
	memset(node, 0, sizeof(*node));
	node->slot = -1;
	node->pos = (uint16_t)c->nnodes;
	static const struct { const char *name; uint8_t type; } args[] = {
		{ "A.B.C.D", GT_IPV4 }, { "MASK", GT_MASK }, { "WILDCARD", GT_WILDCARD },
		{ "WORD", GT_WORD }, { "LINE", GT_LINE },
	};
	node->type = GT_KEYWORD;
	for (size_t i = 0; i < sizeof(args) / sizeof(args[0]); i++)
		if (strlen(args[i].name) == n && memcmp(args[i].name, s, n) == 0)
			node->type = args[i].type;
	if (node->type == GT_KEYWORD && s[0] == '<') {
		if (!gram_parse_range(s, n, &node->lo, &node->hi)) {
			gram_fail(c, "bad range %.*s", (int)n, s);
			return NULL;
		}
		node->type = GT_RANGE;
	}
	if (node->type == GT_KEYWORD) {
		/* keyword[@shown][=value] */
		const char *eq = memchr(s, '=', n);
		size_t upto = eq ? (size_t)(eq - s) : n;
		const char *at = memchr(s, '@', upto);
		size_t kwlen = at ? (size_t)(at - s) : upto;
		for (size_t i = 0; i < kwlen; i++)
			if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || strchr("-_.:#", s[i])))
				if (!(i == 0 && n == 1 && s[0] == '|')) {
					gram_fail(c, "bad keyword %.*s", (int)n, s);
					return NULL;
				}
		if (kwlen == 0) {
			gram_fail(c, "empty keyword");
			return NULL;
		}
		node->text = gram_strndup(c->g, s, kwlen);
		node->textlen = kwlen;
		node->value = eq ? gram_strndup(c->g, eq + 1, n - upto - 1) : node->text;
		node->shown = at ? gram_strndup(c->g, at + 1, upto - kwlen - 1) : NULL;
	} else {
		node->text = node->type == GT_RANGE ? gram_strndup(c->g, s, n) : gram_type_display(node->type);
		node->textlen = strlen(node->text);
	}
	struct gram_ast *a = gram_ast_new(c, AST_TOK);
	if (a)
		a->tok = (uint16_t)c->nnodes;
	c->nnodes++;
	return a;
}

static struct gram_ast *gram_parse_seq(struct gram_compiler *c);

static struct gram_ast *gram_parse_item(struct gram_compiler *c)
{
	struct gram_ast *a;
	if (*c->p == '{' || *c->p == '[') {
		char close = *c->p == '{' ? '}' : ']';
		c->p++;
		struct gram_ast *alt = gram_ast_new(c, close == '}' ? AST_ALT : AST_OPT);
		if (!alt)
			return NULL;
		for (;;) {
			struct gram_ast *seq = gram_parse_seq(c);
			if (!seq)
				return NULL;
			gram_ast_add(c, alt, seq);
			gram_skip_space(c);
			if (*c->p == '|' && close == '}') {
				c->p++;
				continue;
			}
			if (*c->p != close) {
				gram_fail(c, "expected '%c'", close);
				return NULL;
			}
			c->p++;
			break;
		}
		a = alt;
	} else {
		a = gram_parse_token(c);
	}
	if (a && *c->p == '*') {
		char *end;
		unsigned long n = strtoul(c->p + 1, &end, 10);
		if (end == c->p + 1 || n < 2 || n > 1000) {
			gram_fail(c, "bad repetition");
			return NULL;
		}
		c->p = end;
		struct gram_ast *rep = gram_ast_new(c, AST_REP);
		if (!rep)
			return NULL;
		rep->rep_max = (uint16_t)n;
		gram_ast_add(c, rep, a);
		a = rep;
	}
	return a;
}

static struct gram_ast *gram_parse_seq(struct gram_compiler *c)
{
	struct gram_ast *seq = gram_ast_new(c, AST_SEQ);
	if (!seq)
		return NULL;
	for (;;) {
		gram_skip_space(c);
		if (*c->p == '\0' || *c->p == '}' || *c->p == ']' || *c->p == '|')
			break;
		struct gram_ast *item = gram_parse_item(c);
		if (!item)
			return NULL;
		gram_ast_add(c, seq, item);
	}
	if (seq->nkids == 0)
		gram_fail(c, "empty sequence");
	return c->failed ? NULL : seq;
}

/* The single token of a sequence that holds exactly one, or NULL. */
static struct gram_ast *gram_single_tok(struct gram_ast *a)
{
	while (a->kind == AST_SEQ && a->nkids == 1)
		a = a->kids[0];
	return a->kind == AST_TOK ? a : NULL;
}

/* A sequence of plain keywords (no arguments, no nesting). */
static bool gram_keyword_run(struct gram_compiler *c, struct gram_ast *a)
{
	if (a->kind != AST_SEQ || a->nkids < 2)
		return false;
	for (int i = 0; i < a->nkids; i++)
		if (a->kids[i]->kind != AST_TOK || c->nodes[a->kids[i]->tok].type != GT_KEYWORD)
			return false;
	return true;
}

static void gram_assign_slots(struct gram_compiler *c, struct gram_ast *a)
{
	switch (a->kind) {
	case AST_TOK: {
		struct gram_node *n = &c->nodes[a->tok];
		if (n->type != GT_KEYWORD && n->slot < 0)
			n->slot = (int8_t)c->nslots++;
		break;
	}
	case AST_ALT: {
		/* One slot when every alternative is one token, or a run of plain
		 * keywords ("aes 256=aes-256"): its value is the alternative's. */
		bool simple = true;
		for (int i = 0; i < a->nkids && simple; i++)
			simple = gram_single_tok(a->kids[i]) || gram_keyword_run(c, a->kids[i]);
		if (simple) {
			a->slot = (int8_t)c->nslots++;
			for (int i = 0; i < a->nkids; i++) {
				struct gram_ast *t = gram_single_tok(a->kids[i]);
				if (t) {
					c->nodes[t->tok].slot = a->slot;
					continue;
				}
				for (int k = 0; k < a->kids[i]->nkids; k++) {
					struct gram_node *n = &c->nodes[a->kids[i]->kids[k]->tok];
					n->slot = a->slot;
					n->seq_tail = k > 0;
				}
			}
			break;
		}
		for (int i = 0; i < a->nkids; i++)
			gram_assign_slots(c, a->kids[i]);
		break;
	}
	case AST_OPT: {
		struct gram_ast *t = gram_single_tok(a->kids[0]);
		if (t && c->nodes[t->tok].type == GT_KEYWORD) {
			c->nodes[t->tok].slot = (int8_t)c->nslots++;
			break;
		}
		gram_assign_slots(c, a->kids[0]);
		break;
	}
	case AST_REP:
		gram_assign_slots(c, a->kids[0]);
		break;
	default:
		for (int i = 0; i < a->nkids; i++)
			gram_assign_slots(c, a->kids[i]);
		break;
	}
	if (c->nslots > GRAM_MAX_SLOTS)
		gram_fail(c, "too many slots");
}

/* ---- Glushkov sets ---- */

static void gram_set_add(struct gram_compiler *c, struct gram_set *s, uint16_t v)
{
	for (uint16_t i = 0; i < s->n; i++)
		if (s->v[i] == v)
			return;
	if (s->n == s->cap) {
		uint16_t cap = s->cap ? (uint16_t)(s->cap * 2) : 4;
		uint16_t *nv = realloc(s->v, cap * sizeof(*nv));
		if (!nv) {
			gram_fail(c, "out of memory");
			return;
		}
		s->v = nv;
		s->cap = cap;
	}
	s->v[s->n++] = v;
}

static void gram_set_union(struct gram_compiler *c, struct gram_set *dst, const struct gram_set *src)
{
	for (uint16_t i = 0; i < src->n; i++)
		gram_set_add(c, dst, src->v[i]);
}

struct gram_glushkov {
	struct gram_set first, last;
	bool nullable;
};

static void gram_glushkov_free(struct gram_glushkov *r)
{
	free(r->first.v);
	free(r->last.v);
}

/* follow[] is indexed by node. */
static void gram_glushkov(struct gram_compiler *c, struct gram_ast *a, struct gram_set *follow,
			  struct gram_glushkov *r)
{
	memset(r, 0, sizeof(*r));
	switch (a->kind) {
	case AST_TOK:
		gram_set_add(c, &r->first, a->tok);
		gram_set_add(c, &r->last, a->tok);
		return;
	case AST_SEQ:
		r->nullable = true;
		for (int i = 0; i < a->nkids; i++) {
			struct gram_glushkov k;
			gram_glushkov(c, a->kids[i], follow, &k);
			/* everything that may end so far is followed by k.first */
			for (uint16_t j = 0; j < r->last.n; j++)
				gram_set_union(c, &follow[r->last.v[j]], &k.first);
			if (r->nullable)
				gram_set_union(c, &r->first, &k.first);
			if (!k.nullable)
				r->last.n = 0;
			gram_set_union(c, &r->last, &k.last);
			r->nullable = r->nullable && k.nullable;
			gram_glushkov_free(&k);
		}
		return;
	case AST_ALT:
	case AST_OPT:
		r->nullable = a->kind == AST_OPT;
		for (int i = 0; i < a->nkids; i++) {
			struct gram_glushkov k;
			gram_glushkov(c, a->kids[i], follow, &k);
			gram_set_union(c, &r->first, &k.first);
			gram_set_union(c, &r->last, &k.last);
			r->nullable = r->nullable || k.nullable;
			gram_glushkov_free(&k);
		}
		return;
	case AST_REP:
		gram_glushkov(c, a->kids[0], follow, r);
		for (uint16_t j = 0; j < r->last.n; j++)
			gram_set_union(c, &follow[r->last.v[j]], &r->first);
		return;
	}
}

static void gram_mark_rep(struct gram_compiler *c, struct gram_ast *a, uint16_t rep_max)
{
	if (a->kind == AST_REP)
		rep_max = a->rep_max;
	if (a->kind == AST_TOK && rep_max)
		c->nodes[a->tok].rep_max = rep_max;
	for (int i = 0; i < a->nkids; i++)
		gram_mark_rep(c, a->kids[i], rep_max);
}

/* Help lines in token order. */
static void gram_assign_help(struct gram_compiler *c)
{
	const char *h = c->def->help ? c->def->help : "";
	for (int i = 0; i < c->nnodes; i++) {
		const char *nl = strchr(h, '\n');
		size_t n = nl ? (size_t)(nl - h) : strlen(h);
		c->nodes[i].help = n ? gram_strndup(c->g, h, n) : NULL;
		h += n + (nl ? 1 : 0);
	}
	if (*h != '\0')
		gram_fail(c, "more help lines than tokens (\"%s\" left)", h);
}

/* The highest $N named in a binding string. */
static int gram_binding_max_slot(const char *s)
{
	int max = 0;
	for (; s && *s; s++)
		if (*s == '$') {
			int v = atoi(s + 1);
			if (v > max)
				max = v;
		}
	return max;
}

static bool gram_binding_names_slot(const char *s, int slot1)
{
	for (; s && *s; s++)
		if (*s == '$' && atoi(s + 1) == slot1)
			return true;
	return false;
}

/* Where a `no` form may end: after the last top-level keyword that precedes
 * the first item carrying a slot that is not part of the row's identity. */
static int gram_no_min_pos(struct gram_compiler *c, struct gram_compiled_cmd *cc, struct gram_ast *root)
{
	int last_kw = -1;
	for (int i = 0; i < root->nkids; i++) {
		struct gram_ast *t = gram_single_tok(root->kids[i]);
		if (t && c->nodes[t->tok].type == GT_KEYWORD && c->nodes[t->tok].slot < 0) {
			last_kw = c->nodes[t->tok].pos;
			continue;
		}
		/* Does this item hold a slot outside the keys? */
		bool nonkey = false;
		struct gram_ast *stack[64];
		int sp = 0;
		stack[sp++] = root->kids[i];
		while (sp > 0 && !nonkey) {
			struct gram_ast *a = stack[--sp];
			if (a->kind == AST_TOK) {
				int s = c->nodes[a->tok].slot;
				if (s >= 0 && !gram_binding_names_slot(cc->def->keys, s + 1))
					nonkey = true;
			}
			for (int k = 0; k < a->nkids && sp < 64; k++)
				stack[sp++] = a->kids[k];
		}
		if (nonkey)
			return last_kw < 0 ? 0 : last_kw;
	}
	return -1; /* every slot identifies the row: the whole syntax is needed */
}

static int gram_compile_one(struct gram *g, const struct gram_cmd *def, struct gram_compiled_cmd *cc,
			    char *err, size_t errlen)
{
	struct gram_compiler *c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(err, errlen, "grammar: out of memory");
		return -1;
	}
	c->g = g;
	c->def = def;
	c->p = def->syntax;
	c->err = err;
	c->errlen = errlen;

	struct gram_ast *root = gram_parse_seq(c);
	if (root && *c->p != '\0')
		gram_fail(c, "unexpected '%c'", *c->p);
	struct gram_set *follow = NULL;
	if (!c->failed) {
		gram_assign_slots(c, root);
		gram_mark_rep(c, root, 0);
		gram_assign_help(c);
		follow = calloc((size_t)c->nnodes, sizeof(*follow));
		if (!follow)
			gram_fail(c, "out of memory");
	}
	if (!c->failed) {
		struct gram_glushkov r;
		gram_glushkov(c, root, follow, &r);
		if (r.nullable)
			gram_fail(c, "a command cannot be empty");
		cc->def = def;
		cc->nnodes = (uint16_t)c->nnodes;
		cc->nodes = gram_alloc(g, sizeof(*cc->nodes) * (size_t)c->nnodes);
		cc->start = gram_alloc(g, sizeof(uint16_t) * r.first.n);
		if (!cc->nodes || !cc->start)
			gram_fail(c, "out of memory");
		if (!c->failed) {
			if (r.first.n)
				memcpy(cc->start, r.first.v, sizeof(uint16_t) * r.first.n);
			cc->nstart = r.first.n;
			for (uint16_t i = 0; i < r.last.n; i++)
				c->nodes[r.last.v[i]].can_end = true;
			for (int i = 0; i < c->nnodes; i++) {
				struct gram_node *n = &c->nodes[i];
				n->next = gram_alloc(g, sizeof(uint16_t) * (follow[i].n + 1u));
				if (!n->next) {
					gram_fail(c, "out of memory");
					break;
				}
				if (follow[i].n)
					memcpy(n->next, follow[i].v, sizeof(uint16_t) * follow[i].n);
				n->nnext = follow[i].n;
				cc->nodes[i] = *n;
			}
			cc->nslots = c->nslots;
			cc->ast = root;
			cc->lead = 0;
			for (int i = 0; i < root->nkids; i++) {
				struct gram_ast *t = root->kids[i];
				if (t->kind != AST_TOK || c->nodes[t->tok].type != GT_KEYWORD)
					break;
				cc->lead++;
			}
			cc->linear = 0;
			while (cc->linear < root->nkids && root->kids[cc->linear]->kind == AST_TOK)
				cc->linear++;
			cc->key_slots = gram_binding_max_slot(def->keys);
			cc->no_min_pos = (def->flags & GRAM_F_NO_FULL) ? -1 : gram_no_min_pos(c, cc, root);
		}
		gram_glushkov_free(&r);
	}
	if (follow)
		for (int i = 0; i < c->nnodes; i++)
			free(follow[i].v);
	free(follow);
	int rc = c->failed ? -1 : 0;
	free(c);
	return rc;
}

/* Tokens of the linear start of a syntax with no help take it from a
 * definition of the same mode whose syntax starts with the same tokens and
 * gives one ("group-policy WORD attributes" from "group-policy WORD ..."). */
static int gram_inherit_help(struct gram *g, char *err, size_t errlen)
{
	for (size_t i = 0; i < g->count; i++) {
		struct gram_compiled_cmd *cc = &g->cmds[i];
		for (int t = 0; t < cc->nnodes; t++) {
			if (cc->nodes[t].help)
				continue;
			if (t >= cc->linear) {
				snprintf(err, errlen, "grammar: \"%s\": token %d has no help", cc->def->syntax, t + 1);
				return -1;
			}
			for (size_t j = 0; j < g->count && !cc->nodes[t].help; j++) {
				struct gram_compiled_cmd *o = &g->cmds[j];
				if (o->def->mode != cc->def->mode || o->linear <= t || !o->nodes[t].help)
					continue;
				bool same = true;
				for (int k = 0; k <= t && same; k++)
					same = strcmp(o->nodes[k].text, cc->nodes[k].text) == 0;
				if (same)
					cc->nodes[t].help = o->nodes[t].help;
			}
			if (!cc->nodes[t].help) {
				snprintf(err, errlen, "grammar: \"%s\": keyword '%s' has no help here or elsewhere",
					 cc->def->syntax, cc->nodes[t].text);
				return -1;
			}
		}
	}
	return 0;
}

int gram_bucket_of(char c)
{
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'z')
		return c - 'a';
	if (c >= '0' && c <= '9')
		return 26 + (c - '0');
	return GRAM_BUCKETS - 1;
}

/* File every start token of every mode under the letters it can begin. */
static int gram_build_buckets(struct gram *g)
{
	for (int m = 0; m < GRAM_MODE_COUNT; m++) {
		struct gram_mode_index *mi = &g->modes[m];
		for (int pass = 0; pass < 2; pass++) {
			for (size_t i = 0; i < mi->count; i++) {
				struct gram_compiled_cmd *cc = mi->cmds[i];
				for (uint16_t k = 0; k < cc->nstart; k++) {
					const struct gram_node *n = &cc->nodes[cc->start[k]];
					for (int b = 0; b < GRAM_BUCKETS; b++) {
						if (n->type == GT_KEYWORD && gram_bucket_of(n->text[0]) != b)
							continue;
						if (pass == 1)
							mi->bucket[b][mi->nbucket[b]] =
								(struct gram_start){ .cc = cc, .node = cc->start[k] };
						mi->nbucket[b]++;
					}
				}
			}
			if (pass == 1)
				break;
			for (int b = 0; b < GRAM_BUCKETS; b++) {
				mi->bucket[b] = gram_alloc(g, sizeof(struct gram_start) * (mi->nbucket[b] + 1));
				if (!mi->bucket[b])
					return -1;
				mi->nbucket[b] = 0;
			}
		}
	}
	return 0;
}

struct gram *gram_build(unsigned dialect, gram_resolve_fn resolve, void *ctx, char *err, size_t errlen)
{
	return gram_build_lists(gram_cmd_lists, gram_cmd_list_count, dialect, resolve, ctx, err, errlen);
}

struct gram *gram_build_lists(const struct gram_cmd_list *const *lists, size_t nlists, unsigned dialect,
			      gram_resolve_fn resolve, void *ctx, char *err, size_t errlen)
{
	struct gram *g = calloc(1, sizeof(*g));
	if (!g) {
		snprintf(err, errlen, "grammar: out of memory");
		return NULL;
	}
	g->dialect = dialect;
	size_t total = 0;
	for (size_t l = 0; l < nlists; l++)
		for (size_t i = 0; i < lists[l]->count; i++)
			if (lists[l]->cmds[i].dialect & dialect)
				total++;
	g->cmds = gram_alloc(g, sizeof(*g->cmds) * (total + 1));
	if (!g->cmds)
		goto fail_oom;
	for (size_t l = 0; l < nlists; l++) {
		for (size_t i = 0; i < lists[l]->count; i++) {
			const struct gram_cmd *def = &lists[l]->cmds[i];
			if (!(def->dialect & dialect))
				continue;
			struct gram_compiled_cmd *cc = &g->cmds[g->count];
			if (gram_compile_one(g, def, cc, err, errlen) < 0)
				goto fail;
			cc->index = g->count;
			if (def->action) {
				cc->handler = resolve ? resolve(ctx, def->action) : NULL;
				if (!cc->handler) {
					snprintf(err, errlen, "grammar: \"%s\": no handler '%s'", def->syntax, def->action);
					goto fail;
				}
			}
			if (def->mode <= GRAM_MODE_NONE || def->mode >= GRAM_MODE_COUNT) {
				snprintf(err, errlen, "grammar: \"%s\": bad mode", def->syntax);
				goto fail;
			}
			g->count++;
		}
	}
	if (gram_inherit_help(g, err, errlen) < 0)
		goto fail;
	/* per-mode indexes */
	for (size_t i = 0; i < g->count; i++)
		g->modes[g->cmds[i].def->mode].count++;
	for (int m = 0; m < GRAM_MODE_COUNT; m++) {
		g->modes[m].cmds = gram_alloc(g, sizeof(void *) * (g->modes[m].count + 1));
		if (!g->modes[m].cmds)
			goto fail_oom;
		g->modes[m].count = 0;
	}
	for (size_t i = 0; i < g->count; i++) {
		struct gram_mode_index *mi = &g->modes[g->cmds[i].def->mode];
		mi->cmds[mi->count++] = &g->cmds[i];
		if (g->cmds[i].def->flags & (GRAM_F_NO | GRAM_F_NO_FULL))
			mi->has_no = true;
		if (g->cmds[i].def->flags & GRAM_F_DEFAULT)
			mi->has_default = true;
	}
	if (gram_build_buckets(g) < 0)
		goto fail_oom;
	return g;
fail_oom:
	snprintf(err, errlen, "grammar: out of memory");
fail:
	gram_free(g);
	return NULL;
}

const struct gram_compiled_cmd *gram_find(struct gram *g, const struct gram_cmd *cmd)
{
	for (size_t i = 0; i < g->count; i++)
		if (g->cmds[i].def == cmd)
			return &g->cmds[i];
	return NULL;
}

size_t gram_cmd_count(struct gram *g)
{
	return g->count;
}

const struct gram_cmd *gram_cmd_at(struct gram *g, size_t i)
{
	return i < g->count ? g->cmds[i].def : NULL;
}

void *gram_handler_at(struct gram *g, size_t i)
{
	return i < g->count ? g->cmds[i].handler : NULL;
}

int gram_slot_count(struct gram *g, const struct gram_cmd *cmd)
{
	const struct gram_compiled_cmd *cc = gram_find(g, cmd);
	return cc ? cc->nslots : -1;
}
