/*
 * gram_match.c -- matching a line against a mode's definitions, token by token
 * from the left as the devices do, and the `?` and TAB services built on the
 * same walk.
 *
 * The walk keeps a set of live states: (definition, graph node), or a mode's
 * root. For each input token it gathers the tokens that could come next from
 * every live state, ranks how well each accepts the input (exact keyword, then
 * a keyword the input abbreviates, then a typed argument, then WORD/LINE), and
 * keeps only the best rank. Two different keywords at the abbreviation rank
 * make the line ambiguous; nothing at all puts the caret where input stopped
 * making sense. There is no look-ahead: later words never settle an earlier
 * ambiguity.
 *
 * `no`, `default` and `do` in configuration modes, and `|` after a command
 * that allows output modifiers, are pseudo-keywords that lead to another root.
 * The path of each state is a chain of cells, so the winning state's slot
 * values are read back at the end.
 */
#include "grammar/gram_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { PS_NONE, PS_NO, PS_DEFAULT, PS_DO, PS_PIPE };

static const struct {
	const char *kw;
	const char *help;
} gram_pseudo[] = {
	[PS_NONE] = { "", "" },
	[PS_NO] = { "no", "Negate a command or set its defaults" },
	[PS_DEFAULT] = { "default", "Set a command to its defaults" },
	[PS_DO] = { "do", "To run exec commands in config mode" },
	[PS_PIPE] = { "|", "Output modifiers" },
};

#define S_NEG     0x1u
#define S_DEFAULT 0x2u
#define S_DO      0x4u
#define S_PIPE    0x8u
#define S_LINE    0x10u /* a LINE argument consumed the rest */

struct gram_cell {
	const struct gram_compiled_cmd *cc; /* NULL for a pseudo-keyword marker */
	int16_t node;
	uint8_t pseudo;
	int tok;
	int prev;
};

struct gram_state {
	const struct gram_compiled_cmd *cc; /* NULL: at the root of root_mode */
	int16_t node;
	uint8_t root_mode;
	uint8_t flags;
	int cell;
};

struct gram_cand {
	int state;
	const struct gram_compiled_cmd *cc;
	int16_t node;
	uint8_t pseudo;
	uint8_t rank;
};

struct gram_tok {
	size_t start, len;
};

enum { RANK_NONE, RANK_LINE, RANK_WORD, RANK_ARG, RANK_PREFIX, RANK_EXACT };

struct gram_run {
	struct gram *g;
	int priv;
	const char *line;
	struct gram_tok tok[GRAM_MAX_LINE / 2 + 1];
	int ntok;
	struct gram_cell *cell;
	int ncell, capcell;
	struct gram_state *st, *nst;
	int nst_count, capst, capnst;
	int nstate;
	struct gram_cand *cand;
	int ncand, capcand;
	enum gram_status status;
	size_t col;
	bool oom;
};

/* ---- argument types ---- */

const char *gram_type_display(uint8_t type)
{
	switch (type) {
	case GT_IPV4:
	case GT_MASK:
	case GT_WILDCARD:
		return "A.B.C.D";
	case GT_WORD:
		return "WORD";
	case GT_LINE:
		return "LINE";
	default:
		return "";
	}
}

bool gram_parse_ipv4(const char *text, uint32_t *out)
{
	uint32_t v = 0;
	const char *p = text;
	for (int i = 0; i < 4; i++) {
		if (!isdigit((unsigned char)*p))
			return false;
		unsigned octet = 0;
		int digits = 0;
		while (isdigit((unsigned char)*p)) {
			octet = octet * 10 + (unsigned)(*p++ - '0');
			if (++digits > 3 || octet > 255)
				return false;
		}
		v = v << 8 | octet;
		if (i < 3 && *p++ != '.')
			return false;
	}
	if (*p != '\0' && *p != ' ' && *p != '\t')
		return false;
	*out = v;
	return true;
}

bool gram_mask_contiguous(uint32_t mask)
{
	/* ones followed by zeros: the inverted mask plus one is a power of two */
	uint32_t inv = ~mask;
	return (inv & (inv + 1)) == 0;
}

bool gram_node_accepts(const struct gram_node *n, const char *tok, size_t len)
{
	char buf[32];
	uint32_t v;
	switch (n->type) {
	case GT_KEYWORD:
		return len <= n->textlen && strncasecmp(tok, n->text, len) == 0;
	case GT_RANGE: {
		if (len == 0 || len > 10)
			return false;
		unsigned long long x = 0;
		for (size_t i = 0; i < len; i++) {
			if (!isdigit((unsigned char)tok[i]))
				return false;
			x = x * 10 + (unsigned)(tok[i] - '0');
		}
		return x >= n->lo && x <= n->hi;
	}
	case GT_IPV4:
	case GT_MASK:
	case GT_WILDCARD:
		if (len >= sizeof(buf))
			return false;
		memcpy(buf, tok, len);
		buf[len] = '\0';
		if (!gram_parse_ipv4(buf, &v))
			return false;
		return n->type != GT_MASK || gram_mask_contiguous(v);
	case GT_WORD:
	case GT_LINE:
		return len > 0;
	}
	return false;
}

/* ---- the walk ---- */

/* The run's buffers are kept between lines (one spare per grammar): a paste
 * of a large configuration matches hundreds of thousands of lines. */
static struct gram_run *gram_run_new(struct gram *g, int priv, const char *line)
{
	struct gram_run *r = g->spare;
	if (r) {
		g->spare = NULL;
		r->ncell = r->nstate = r->nst_count = r->ncand = 0;
		r->oom = false;
	} else {
		r = calloc(1, sizeof(*r));
		if (!r)
			return NULL;
	}
	r->g = g;
	r->priv = priv;
	r->line = line;
	return r;
}

static void gram_run_destroy(struct gram_run *r)
{
	if (!r)
		return;
	free(r->cell);
	free(r->st);
	free(r->nst);
	free(r->cand);
	free(r);
}

static void gram_run_free(struct gram_run *r)
{
	if (!r)
		return;
	if (!r->g->spare) {
		r->g->spare = r;
		return;
	}
	gram_run_destroy(r);
}

void gram_release_spare(struct gram *g)
{
	gram_run_destroy(g->spare);
	g->spare = NULL;
}

static bool gram_grow(void **p, int *cap, int need, size_t size)
{
	if (need <= *cap)
		return true;
	int n = *cap ? *cap * 2 : 64;
	while (n < need)
		n *= 2;
	void *np = realloc(*p, (size_t)n * size);
	if (!np)
		return false;
	*p = np;
	*cap = n;
	return true;
}

/* Reject what no command can hold: control characters and invalid UTF-8.
 * Returns the byte column of the first offending byte, or -1. */
static long gram_bad_byte(const char *line)
{
	const unsigned char *s = (const unsigned char *)line;
	for (size_t i = 0; s[i];) {
		unsigned char c = s[i];
		if (c < 0x80) {
			if (c < 0x20 && c != '\t')
				return (long)i;
			if (c == 0x7f)
				return (long)i;
			i++;
			continue;
		}
		int n = (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 : (c & 0xf8) == 0xf0 ? 3 : -1;
		if (n < 0 || c == 0xc0 || c == 0xc1 || c > 0xf4)
			return (long)i;
		for (int k = 1; k <= n; k++)
			if ((s[i + (size_t)k] & 0xc0) != 0x80)
				return (long)i;
		i += (size_t)n + 1;
	}
	return -1;
}

static void gram_tokenize(struct gram_run *r)
{
	const char *s = r->line;
	size_t i = 0;
	r->ntok = 0;
	while (s[i]) {
		while (s[i] == ' ' || s[i] == '\t')
			i++;
		if (!s[i])
			break;
		size_t start = i;
		while (s[i] && s[i] != ' ' && s[i] != '\t')
			i++;
		r->tok[r->ntok].start = start;
		r->tok[r->ntok].len = i - start;
		r->ntok++;
	}
}

static bool gram_state_can_end(const struct gram_state *s)
{
	if (s->flags & S_LINE)
		return true;
	if (!s->cc)
		return false;
	const struct gram_node *n = &s->cc->nodes[s->node];
	if (n->can_end)
		return true;
	if ((s->flags & (S_NEG | S_DEFAULT)) && s->cc->no_min_pos >= 0 && n->pos >= s->cc->no_min_pos)
		return true;
	return false;
}

/* How many times the path already holds the slot of node t (repetition). */
static int gram_slot_uses(const struct gram_run *r, const struct gram_state *s, int slot)
{
	int uses = 0;
	for (int c = s->cell; c >= 0 && r->cell[c].cc == s->cc; c = r->cell[c].prev) {
		const struct gram_node *n = &s->cc->nodes[r->cell[c].node];
		if (n->slot == slot && !n->seq_tail) /* "aes 256" is one use */
			uses++;
	}
	return uses;
}

static void gram_add_cand(struct gram_run *r, int st, const struct gram_compiled_cmd *cc, int16_t node, uint8_t pseudo)
{
	if (!gram_grow((void **)&r->cand, &r->capcand, r->ncand + 1, sizeof(*r->cand))) {
		r->oom = true;
		return;
	}
	r->cand[r->ncand++] = (struct gram_cand){ .state = st, .cc = cc, .node = node, .pseudo = pseudo };
}

static bool gram_visible(const struct gram_compiled_cmd *cc, bool for_help)
{
	return !(for_help && (cc->def->flags & GRAM_F_HIDDEN));
}

/* Everything that may follow state st. first is the input's first character
 * (lowercase) for a cheap filter of keywords at a root, or 0 for no filter. */
static void gram_candidates(struct gram_run *r, int st, char first, bool for_help)
{
	const struct gram_state *s = &r->st[st];
	if (s->flags & S_LINE)
		return;
	if (s->cc) {
		const struct gram_node *n = &s->cc->nodes[s->node];
		for (uint16_t i = 0; i < n->nnext; i++) {
			const struct gram_node *t = &s->cc->nodes[n->next[i]];
			/* a keyword that cannot begin with the input's letter can
			 * neither match nor place the caret further */
			if (first && t->type == GT_KEYWORD && tolower((unsigned char)t->text[0]) != first)
				continue;
			if (t->rep_max && gram_slot_uses(r, s, t->slot) >= t->rep_max)
				continue;
			gram_add_cand(r, st, s->cc, (int16_t)n->next[i], PS_NONE);
		}
		if ((s->cc->def->flags & GRAM_F_PIPE) && !(s->flags & S_PIPE) && gram_state_can_end(s))
			gram_add_cand(r, st, NULL, -1, PS_PIPE);
		return;
	}
	int mode = s->root_mode;
	const struct gram_mode_index *mi = &r->g->modes[mode];
	int priv = (s->flags & S_DO) ? 15 : r->priv;
	/* with a first letter, only the start tokens filed under it */
	int b = first ? gram_bucket_of(first) : -1;
	size_t count = b >= 0 ? mi->nbucket[b] : mi->count;
	for (size_t i = 0; i < count; i++) {
		const struct gram_compiled_cmd *cc = b >= 0 ? mi->bucket[b][i].cc : mi->cmds[i];
		unsigned f = cc->def->flags;
		if (mode == GRAM_MODE_EXEC && priv < 15 && !(f & GRAM_F_USER))
			continue;
		if ((s->flags & S_NEG) && !(f & (GRAM_F_NO | GRAM_F_NO_FULL)))
			continue;
		if ((s->flags & S_DEFAULT) && !(f & GRAM_F_DEFAULT))
			continue;
		if (!(s->flags & (S_NEG | S_DEFAULT)) && (f & GRAM_F_NO_ONLY))
			continue;
		if (!gram_visible(cc, for_help))
			continue;
		if (b >= 0) {
			gram_add_cand(r, st, cc, (int16_t)mi->bucket[b][i].node, PS_NONE);
			continue;
		}
		for (uint16_t k = 0; k < cc->nstart; k++)
			gram_add_cand(r, st, cc, (int16_t)cc->start[k], PS_NONE);
	}
	if (gram_modes[mode].config && !(s->flags & (S_NEG | S_DEFAULT | S_DO | S_PIPE))) {
		if (mi->has_no)
			gram_add_cand(r, st, NULL, -1, PS_NO);
		if (mi->has_default && (r->g->dialect & GRAM_IOS)) /* the ASA has no `default` */
			gram_add_cand(r, st, NULL, -1, PS_DEFAULT);
		gram_add_cand(r, st, NULL, -1, PS_DO);
	}
}

static const char *gram_cand_text(const struct gram_cand *c, size_t *len)
{
	if (c->pseudo) {
		*len = strlen(gram_pseudo[c->pseudo].kw);
		return gram_pseudo[c->pseudo].kw;
	}
	const struct gram_node *n = &c->cc->nodes[c->node];
	*len = n->textlen;
	return n->text;
}

static bool gram_cand_is_keyword(const struct gram_cand *c)
{
	return c->pseudo || c->cc->nodes[c->node].type == GT_KEYWORD;
}

static uint8_t gram_rank(const struct gram_cand *c, const char *tok, size_t len)
{
	if (c->pseudo) {
		const char *kw = gram_pseudo[c->pseudo].kw;
		size_t kl = strlen(kw);
		if (len > kl || strncasecmp(tok, kw, len) != 0)
			return RANK_NONE;
		return len == kl ? RANK_EXACT : RANK_PREFIX;
	}
	const struct gram_node *n = &c->cc->nodes[c->node];
	if (!gram_node_accepts(n, tok, len))
		return RANK_NONE;
	switch (n->type) {
	case GT_KEYWORD:
		return len == n->textlen ? RANK_EXACT : RANK_PREFIX;
	case GT_WORD:
		return RANK_WORD;
	case GT_LINE:
		return RANK_LINE;
	default:
		return RANK_ARG;
	}
}

static int gram_push_cell(struct gram_run *r, const struct gram_compiled_cmd *cc, int16_t node, uint8_t pseudo,
			  int tok, int prev)
{
	if (!gram_grow((void **)&r->cell, &r->capcell, r->ncell + 1, sizeof(*r->cell))) {
		r->oom = true;
		return -1;
	}
	r->cell[r->ncell] = (struct gram_cell){ .cc = cc, .node = node, .pseudo = pseudo, .tok = tok, .prev = prev };
	return r->ncell++;
}

static void gram_push_state(struct gram_run *r, struct gram_state ns)
{
	for (int i = 0; i < r->nst_count; i++) {
		struct gram_state *o = &r->nst[i];
		if (o->cc == ns.cc && o->node == ns.node && o->flags == ns.flags && o->root_mode == ns.root_mode)
			return; /* reached by an earlier path: keep that one */
	}
	if (!gram_grow((void **)&r->nst, &r->capnst, r->nst_count + 1, sizeof(*r->nst))) {
		r->oom = true;
		return;
	}
	r->nst[r->nst_count++] = ns;
}

/* Where the caret goes when nothing accepts token t. */
static size_t gram_caret(struct gram_run *r, int t)
{
	const char *tok = r->line + r->tok[t].start;
	size_t len = r->tok[t].len, best = 0;
	bool has_arg = false;
	for (int i = 0; i < r->ncand; i++) {
		struct gram_cand *c = &r->cand[i];
		if (!gram_cand_is_keyword(c)) {
			has_arg = true;
			continue;
		}
		size_t kl;
		const char *kw = gram_cand_text(c, &kl);
		size_t k = 0;
		while (k < len && k < kl && tolower((unsigned char)tok[k]) == tolower((unsigned char)kw[k]))
			k++;
		if (k > best)
			best = k;
	}
	if (has_arg && best == 0)
		return r->tok[t].start;
	return r->tok[t].start + best;
}

/* Consume token t. Returns false (with status and col set) when it fails. */
static bool gram_step(struct gram_run *r, int t)
{
	const char *tok = r->line + r->tok[t].start;
	size_t len = r->tok[t].len;
	r->ncand = 0;
	r->nst_count = 0;
	bool any_line = false;
	for (int i = 0; i < r->nstate; i++) {
		if (r->st[i].flags & S_LINE) {
			any_line = true;
			continue;
		}
		gram_candidates(r, i, (char)tolower((unsigned char)tok[0]), false);
	}
	uint8_t best = RANK_NONE;
	for (int i = 0; i < r->ncand; i++) {
		r->cand[i].rank = gram_rank(&r->cand[i], tok, len);
		if (r->cand[i].rank > best)
			best = r->cand[i].rank;
	}
	/* States that took a LINE argument ride along; they ate this token. */
	for (int i = 0; i < r->nstate; i++)
		if (r->st[i].flags & S_LINE)
			gram_push_state(r, r->st[i]);
	if (best == RANK_NONE) {
		if (any_line)
			goto swap;
		if (r->ncand == 0) {
			/* Nothing can follow: a complete command with extra words, or
			 * a full command typed after `no` that has no such form. */
			r->status = GRAM_INVALID;
			r->col = r->tok[t].start;
			return false;
		}
		r->status = GRAM_INVALID;
		r->col = gram_caret(r, t);
		return false;
	}
	if (best == RANK_PREFIX) {
		const char *first = NULL;
		size_t firstlen = 0;
		for (int i = 0; i < r->ncand; i++) {
			if (r->cand[i].rank != best)
				continue;
			size_t kl;
			const char *kw = gram_cand_text(&r->cand[i], &kl);
			if (!first) {
				first = kw;
				firstlen = kl;
			} else if (kl != firstlen || strncmp(kw, first, kl) != 0) {
				r->status = GRAM_AMBIGUOUS;
				r->col = r->tok[t].start;
				return false;
			}
		}
	}
	for (int i = 0; i < r->ncand && !r->oom; i++) {
		struct gram_cand *c = &r->cand[i];
		if (c->rank != best)
			continue;
		struct gram_state *s = &r->st[c->state];
		struct gram_state ns = *s;
		if (c->pseudo) {
			ns.cc = NULL;
			ns.node = -1;
			ns.cell = gram_push_cell(r, NULL, -1, c->pseudo, t, s->cell);
			switch (c->pseudo) {
			case PS_NO:
				ns.flags |= S_NEG;
				break;
			case PS_DEFAULT:
				ns.flags |= S_DEFAULT;
				break;
			case PS_DO:
				ns.flags |= S_DO;
				ns.root_mode = GRAM_MODE_EXEC;
				break;
			case PS_PIPE:
				ns.flags = (uint8_t)((ns.flags & S_DO) | S_PIPE);
				ns.root_mode = GRAM_MODE_PIPE;
				break;
			}
		} else {
			ns.cc = c->cc;
			ns.node = c->node;
			ns.cell = gram_push_cell(r, c->cc, c->node, PS_NONE, t, s->cell);
			if (c->cc->nodes[c->node].type == GT_LINE)
				ns.flags |= S_LINE;
		}
		gram_push_state(r, ns);
	}
swap:;
	struct gram_state *tmp = r->st;
	int tcap = r->capst;
	r->st = r->nst;
	r->capst = r->capnst;
	r->nstate = r->nst_count;
	r->nst = tmp;
	r->capnst = tcap;
	if (r->oom) {
		r->status = GRAM_INVALID;
		r->col = r->tok[t].start;
		return false;
	}
	return true;
}

static bool gram_start(struct gram_run *r, enum gram_mode mode)
{
	if (!gram_grow((void **)&r->st, &r->capst, 1, sizeof(*r->st)))
		return false;
	r->st[0] = (struct gram_state){ .cc = NULL, .node = -1, .root_mode = (uint8_t)mode, .cell = -1 };
	r->nstate = 1;
	r->status = GRAM_OK;
	return true;
}

static bool gram_walk(struct gram_run *r, enum gram_mode mode, int upto)
{
	if (!gram_start(r, mode)) {
		r->status = GRAM_INVALID;
		return false;
	}
	for (int t = 0; t < upto; t++)
		if (!gram_step(r, t))
			return false;
	return true;
}

/* ---- match ---- */

static const char *gram_store(struct gram_match *m, const char *s, size_t n)
{
	if (m->buflen + n + 1 > sizeof(m->buf))
		return NULL;
	char *p = m->buf + m->buflen;
	memcpy(p, s, n);
	p[n] = '\0';
	m->buflen += n + 1;
	return p;
}

/* Append a value to a slot; repeated slots collect their values space-joined.
 * With replace, the value replaces the last one (a keyword run such as
 * "aes 256" has the value of its last keyword). */
static void gram_slot_append(struct gram_match *m, int slot, const char *v, size_t n, bool replace)
{
	const char *old = m->slot[slot];
	if (!old) {
		m->slot[slot] = gram_store(m, v, n);
		return;
	}
	size_t ol = strlen(old);
	if (replace) {
		const char *sp = strrchr(old, ' ');
		ol = sp ? (size_t)(sp - old) : 0;
		if (ol == 0) {
			m->slot[slot] = gram_store(m, v, n);
			return;
		}
	}
	char tmp[GRAM_MAX_LINE];
	if (ol + 1 + n >= sizeof(tmp))
		return;
	memcpy(tmp, old, ol);
	tmp[ol] = ' ';
	memcpy(tmp + ol + 1, v, n);
	m->slot[slot] = gram_store(m, tmp, ol + 1 + n);
}

static void gram_collect(struct gram_run *r, const struct gram_state *s, struct gram_match *m)
{
	int chain[GRAM_MAX_LINE];
	int n = 0;
	for (int c = s->cell; c >= 0 && n < GRAM_MAX_LINE; c = r->cell[c].prev)
		chain[n++] = c;
	bool in_pipe = false;
	for (int i = n - 1; i >= 0; i--) {
		const struct gram_cell *c = &r->cell[chain[i]];
		if (c->pseudo) {
			if (c->pseudo == PS_NO)
				m->negated = true;
			else if (c->pseudo == PS_DEFAULT)
				m->deflt = true;
			else if (c->pseudo == PS_DO)
				m->via_do = true;
			else if (c->pseudo == PS_PIPE)
				in_pipe = true;
			continue;
		}
		const struct gram_node *node = &c->cc->nodes[c->node];
		const char *text = r->line + r->tok[c->tok].start;
		size_t len = r->tok[c->tok].len;
		if (node->type == GT_LINE) {
			len = strlen(text);
			while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t'))
				len--;
		}
		if (in_pipe) {
			m->pipe_cmd = c->cc->def;
			m->pipe_handler = c->cc->handler;
			if (node->slot >= 0)
				m->pipe_arg = gram_store(m, text, len);
			continue;
		}
		m->cmd = c->cc->def;
		m->handler = c->cc->handler;
		m->nslots = c->cc->nslots;
		if (node->slot < 0)
			continue;
		if (node->type == GT_KEYWORD)
			gram_slot_append(m, node->slot, node->value, strlen(node->value), node->seq_tail);
		else
			gram_slot_append(m, node->slot, text, len, false);
	}
}

static bool gram_prepare(struct gram_run *r, const char *line, enum gram_status *status, size_t *col)
{
	if (strlen(line) > GRAM_MAX_LINE) {
		*status = GRAM_TOO_LONG;
		return false;
	}
	long bad = gram_bad_byte(line);
	if (bad >= 0) {
		*status = GRAM_INVALID;
		*col = (size_t)bad;
		return false;
	}
	gram_tokenize(r);
	return true;
}

void gram_match_copy(struct gram_match *dst, const struct gram_match *src)
{
	if (dst == src)
		return;
	*dst = *src;
	for (int i = 0; i < GRAM_MAX_SLOTS; i++)
		if (src->slot[i])
			dst->slot[i] = dst->buf + (src->slot[i] - src->buf);
	if (src->pipe_arg)
		dst->pipe_arg = dst->buf + (src->pipe_arg - src->buf);
}

void gram_match_line(struct gram *g, enum gram_mode mode, int priv, const char *line, struct gram_match *m)
{
	m->status = GRAM_OK;
	m->col = 0;
	m->cmd = NULL;
	m->handler = NULL;
	m->negated = m->deflt = m->via_do = false;
	m->nslots = 0;
	memset(m->slot, 0, sizeof(m->slot));
	m->pipe_cmd = NULL;
	m->pipe_handler = NULL;
	m->pipe_arg = NULL;
	m->buflen = 0;

	struct gram_run *r = gram_run_new(g, priv, line);
	if (!r) {
		m->status = GRAM_INVALID;
		return;
	}
	if (!gram_prepare(r, line, &m->status, &m->col))
		goto out;
	if (r->ntok == 0 || line[r->tok[0].start] == '!' || line[r->tok[0].start] == ':') {
		m->status = GRAM_EMPTY;
		goto out;
	}
	if (!gram_walk(r, mode, r->ntok)) {
		m->status = r->status;
		m->col = r->col;
		goto out;
	}
	for (int i = 0; i < r->nstate; i++) {
		if (gram_state_can_end(&r->st[i])) {
			gram_collect(r, &r->st[i], m);
			goto out;
		}
	}
	m->status = GRAM_INCOMPLETE;
out:
	gram_run_free(r);
}

/* ---- help ---- */

static void gram_help_add(struct gram_help *h, const char *name, const char *help)
{
	for (size_t i = 0; i < h->count; i++)
		if (strcmp(h->item[i].name, name) == 0)
			return;
	if (h->count < sizeof(h->item) / sizeof(h->item[0]))
		h->item[h->count++] = (struct gram_help_item){ .name = name, .help = help ? help : "" };
}

static int gram_help_cmp(const void *a, const void *b)
{
	const struct gram_help_item *x = a, *y = b;
	bool xa = x->name[0] == '<' || isupper((unsigned char)x->name[0]);
	bool ya = y->name[0] == '<' || isupper((unsigned char)y->name[0]);
	if (xa != ya)
		return xa ? -1 : 1;
	if (xa)
		return 0;
	return strcmp(x->name, y->name);
}

/* Tokens before the cursor, and whether the last one is a partial word. */
static int gram_help_walk(struct gram_run *r, enum gram_mode mode, const char *line, bool *partial,
			  enum gram_status *status, size_t *col)
{
	size_t len = strlen(line);
	*partial = len > 0 && line[len - 1] != ' ' && line[len - 1] != '\t';
	int full = *partial ? r->ntok - 1 : r->ntok;
	if (!gram_walk(r, mode, full)) {
		*status = r->status;
		*col = r->col;
		return -1;
	}
	r->ncand = 0;
	for (int i = 0; i < r->nstate; i++)
		gram_candidates(r, i, 0, true);
	return full;
}

void gram_help_line(struct gram *g, enum gram_mode mode, int priv, const char *line, struct gram_help *h)
{
	h->status = GRAM_OK;
	h->col = 0;
	h->count = 0;
	h->partial = false;
	struct gram_run *r = gram_run_new(g, priv, line);
	if (!r) {
		h->status = GRAM_INVALID;
		return;
	}
	if (!gram_prepare(r, line, &h->status, &h->col))
		goto out;
	bool partial;
	int full = gram_help_walk(r, mode, line, &partial, &h->status, &h->col);
	if (full < 0)
		goto out;
	h->partial = partial;
	const char *ptok = partial ? line + r->tok[full].start : "";
	size_t plen = partial ? r->tok[full].len : 0;
	for (int i = 0; i < r->ncand; i++) {
		struct gram_cand *c = &r->cand[i];
		if (c->pseudo) {
			if (!partial || gram_rank(c, ptok, plen) != RANK_NONE)
				gram_help_add(h, gram_pseudo[c->pseudo].kw, gram_pseudo[c->pseudo].help);
			continue;
		}
		const struct gram_node *n = &c->cc->nodes[c->node];
		if (partial && !gram_node_accepts(n, ptok, plen))
			continue;
		if (partial && n->type == GT_LINE)
			continue;
		gram_help_add(h, n->text, n->help);
	}
	qsort(h->item, h->count, sizeof(h->item[0]), gram_help_cmp);
	if (!partial) {
		for (int i = 0; i < r->nstate; i++)
			if (gram_state_can_end(&r->st[i])) {
				gram_help_add(h, "<cr>", "");
				break;
			}
	}
	if (h->count == 0 && full == 0)
		h->status = GRAM_INVALID; /* "% Unrecognized command" */
	else if (h->count == 0) {
		h->status = GRAM_INVALID;
		h->col = partial ? r->tok[full].start : strlen(line);
	}
out:
	gram_run_free(r);
}

/* ---- completion ---- */

bool gram_complete_line(struct gram *g, enum gram_mode mode, int priv, const char *line, char *out, size_t outlen)
{
	out[0] = '\0';
	bool done = false;
	struct gram_run *r = gram_run_new(g, priv, line);
	if (!r)
		return false;
	enum gram_status status;
	size_t col;
	bool partial;
	if (!gram_prepare(r, line, &status, &col) || r->ntok == 0)
		goto out;
	int full = gram_help_walk(r, mode, line, &partial, &status, &col);
	if (full < 0 || !partial)
		goto out;
	const char *ptok = line + r->tok[full].start;
	size_t plen = r->tok[full].len;
	const char *found = NULL;
	size_t foundlen = 0;
	bool several = false, exact = false;
	for (int i = 0; i < r->ncand; i++) {
		struct gram_cand *c = &r->cand[i];
		if (!gram_cand_is_keyword(c) || gram_rank(c, ptok, plen) == RANK_NONE)
			continue;
		size_t kl;
		const char *kw = gram_cand_text(c, &kl);
		if (kl == plen)
			exact = true;
		if (found && (kl != foundlen || strncmp(found, kw, kl) != 0))
			several = true;
		if (!found) {
			found = kw;
			foundlen = kl;
		}
	}
	if (!found || (several && !exact))
		goto out;
	if (several)
		snprintf(out, outlen, " ");
	else
		snprintf(out, outlen, "%.*s ", (int)(foundlen - plen), found + plen);
	done = true;
out:
	gram_run_free(r);
	return done;
}
