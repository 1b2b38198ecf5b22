/*
 * gram_unparse.c -- the reverse of matching: a definition plus slot values
 * gives back the command line, which is how running-config lines are written.
 *
 * The walk follows the syntax tree: keywords are written as defined, slots as
 * stored; an alternation that is one slot writes the alternative whose value
 * matches; an alternation of sequences writes the alternative with the most
 * slots that all have values; an optional part is written when a slot in it
 * has a value. Because the same definition parses the line, what is written
 * parses back to the same values.
 */
#include "grammar/gram_int.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

struct gram_out {
	char *p;
	size_t len, cap;
	bool overflow;
};

static void gram_out_word(struct gram_out *o, const char *s, size_t n)
{
	if (o->len + n + 2 > o->cap) {
		o->overflow = true;
		return;
	}
	if (o->len)
		o->p[o->len++] = ' ';
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = '\0';
}

/* Slots within a subtree: how many there are, and how many have values. */
static void gram_slot_census(const struct gram_compiled_cmd *cc, const struct gram_ast *a, const char *const *slot,
			     int *total, int *set)
{
	int s = a->kind == AST_ALT ? a->slot : a->kind == AST_TOK ? cc->nodes[a->tok].slot : -1;
	if (s >= 0) {
		(*total)++;
		if (slot[s])
			(*set)++;
		if (a->kind == AST_ALT)
			return;
	}
	for (int i = 0; i < a->nkids; i++)
		gram_slot_census(cc, a->kids[i], slot, total, set);
}

static const struct gram_ast *gram_first_tok(const struct gram_ast *a)
{
	while (a->kind != AST_TOK && a->nkids)
		a = a->kids[0];
	return a->kind == AST_TOK ? a : NULL;
}

static bool gram_unparse_ast(const struct gram_compiled_cmd *cc, const struct gram_ast *a, const char **slot,
			     struct gram_out *o);

static bool gram_unparse_rep(const struct gram_compiled_cmd *cc, const struct gram_ast *a, const char **slot,
			     struct gram_out *o)
{
	const struct gram_ast *t = gram_first_tok(a->kids[0]);
	int s = a->kids[0]->kind == AST_ALT ? a->kids[0]->slot : t ? cc->nodes[t->tok].slot : -1;
	if (s < 0 || !slot[s])
		return gram_unparse_ast(cc, a->kids[0], slot, o);
	const char *all = slot[s];
	char one[GRAM_MAX_LINE];
	bool ok = true;
	for (const char *p = all; *p && ok;) {
		size_t n = strcspn(p, " ");
		if (n >= sizeof(one))
			return false;
		memcpy(one, p, n);
		one[n] = '\0';
		slot[s] = one;
		ok = gram_unparse_ast(cc, a->kids[0], slot, o);
		p += n;
		while (*p == ' ')
			p++;
	}
	slot[s] = all;
	return ok;
}

static bool gram_unparse_ast(const struct gram_compiled_cmd *cc, const struct gram_ast *a, const char **slot,
			     struct gram_out *o)
{
	switch (a->kind) {
	case AST_TOK: {
		const struct gram_node *n = &cc->nodes[a->tok];
		if (n->type == GT_KEYWORD) {
			if (n->shown)
				gram_out_word(o, n->shown, strlen(n->shown));
			else
				gram_out_word(o, n->text, n->textlen);
			return true;
		}
		if (n->slot < 0 || !slot[n->slot])
			return false;
		gram_out_word(o, slot[n->slot], strlen(slot[n->slot]));
		return true;
	}
	case AST_SEQ:
		for (int i = 0; i < a->nkids; i++)
			if (!gram_unparse_ast(cc, a->kids[i], slot, o))
				return false;
		return true;
	case AST_ALT: {
		if (a->slot >= 0) {
			const char *v = slot[a->slot];
			if (!v)
				return false;
			/* the alternative whose value is v: a keyword, or a keyword
			 * run whose last keyword's value is v */
			for (int i = 0; i < a->nkids; i++) {
				const struct gram_ast *alt = a->kids[i];
				const struct gram_ast *last = alt->kind == AST_SEQ ? alt->kids[alt->nkids - 1] : alt;
				last = gram_first_tok(last);
				const struct gram_node *n = &cc->nodes[last->tok];
				if (n->type != GT_KEYWORD || strcasecmp(n->value, v) != 0)
					continue;
				if (alt->kind == AST_SEQ)
					for (int k = 0; k < alt->nkids; k++) {
						const struct gram_node *kw = &cc->nodes[alt->kids[k]->tok];
						gram_out_word(o, kw->text, kw->textlen);
					}
				else
					gram_out_word(o, n->text, n->textlen);
				return true;
			}
			for (int i = 0; i < a->nkids; i++) {
				const struct gram_node *n = &cc->nodes[gram_first_tok(a->kids[i])->tok];
				if (n->type != GT_KEYWORD && gram_node_accepts(n, v, strlen(v))) {
					gram_out_word(o, v, strlen(v));
					return true;
				}
			}
			return false;
		}
		int best = -1, best_set = -1;
		for (int i = 0; i < a->nkids; i++) {
			int total = 0, set = 0;
			gram_slot_census(cc, a->kids[i], slot, &total, &set);
			if (set == total && set > best_set) {
				best = i;
				best_set = set;
			}
		}
		return best >= 0 && gram_unparse_ast(cc, a->kids[best], slot, o);
	}
	case AST_OPT: {
		int total = 0, set = 0;
		gram_slot_census(cc, a->kids[0], slot, &total, &set);
		if (set == 0)
			return true;
		return gram_unparse_ast(cc, a->kids[0], slot, o);
	}
	case AST_REP:
		return gram_unparse_rep(cc, a, slot, o);
	}
	return false;
}

int gram_unparse(struct gram *g, const struct gram_cmd *cmd, const char *const *slot, int nslots, char *out,
		 size_t outlen)
{
	const struct gram_compiled_cmd *cc = gram_find(g, cmd);
	if (!cc || outlen == 0)
		return -1;
	const char *values[GRAM_MAX_SLOTS] = { 0 };
	for (int i = 0; i < nslots && i < GRAM_MAX_SLOTS; i++)
		values[i] = slot[i];
	struct gram_out o = { .p = out, .cap = outlen };
	out[0] = '\0';
	if (!gram_unparse_ast(cc, cc->ast, values, &o) || o.overflow)
		return -1;
	return (int)o.len;
}

int gram_leading_keywords(struct gram *g, const struct gram_cmd *cmd, char *out, size_t outlen)
{
	const struct gram_compiled_cmd *cc = gram_find(g, cmd);
	if (!cc || outlen == 0)
		return -1;
	struct gram_out o = { .p = out, .cap = outlen };
	out[0] = '\0';
	int upto = cc->no_min_pos >= 0 ? cc->no_min_pos : cc->lead - 1;
	for (int i = 0; i < cc->nnodes && i <= upto && cc->nodes[i].type == GT_KEYWORD; i++)
		gram_out_word(&o, cc->nodes[i].text, cc->nodes[i].textlen);
	return o.overflow ? -1 : (int)o.len;
}
