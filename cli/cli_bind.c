/*
 * cli_bind.c -- store bindings: what a definition without a handler does, and
 * how its rows come back as running-config lines.
 *
 * A definition names a table, the columns that identify its row (`keys`),
 * the columns it sets (`set`) and possibly a sub-mode it enters. Values are
 * `$N` (slot N of the matched line), `@col` (a key column of the sub-mode's
 * context row) or a literal. From that:
 *   - a mode-entering command creates its row and enters the mode; its `no`
 *     form deletes the row (children go with it, ON DELETE CASCADE);
 *   - a setting command updates its columns on the row (creating the row if
 *     needed); its `no`/`default` form sets them back to NULL, and a row that
 *     no command creates disappears once nothing is set on it;
 *   - a command that only names a row (a list member) inserts or deletes it;
 *   - a command with a list (`set peer A B C`) keeps the list as ordered child
 *     rows of its row (`list`), replaced or added to.
 * Rendering walks the sections of gram_sections[] and writes each row's
 * lines with gram_unparse(), the same definitions that parse them. A
 * definition may have both a handler and a binding: the handler validates
 * and then applies the binding (cli_bind_apply), the binding renders.
 */
#include "cli/cli_int.h"

#include <stdlib.h>
#include <string.h>

#include "platform/pf_store.h"

#define CLI_BIND_MAX 16
#define CLI_SQL_MAX 2048

struct cli_binding {
	int n;
	char col[CLI_BIND_MAX][64];
	const char *value[CLI_BIND_MAX];   /* resolved value, or NULL */
	int slot[CLI_BIND_MAX];            /* 0-based slot, or -1 */
	char literal[CLI_BIND_MAX][128];
	bool is_literal[CLI_BIND_MAX];
};

/* Parse "col=$1 col=@ctx col=literal" and resolve values for a matched line
 * (m may be NULL when rendering: then only the slot numbers matter). */
static int cli_binding_parse(struct cli_session *s, const char *spec, const struct gram_match *m,
			     struct cli_binding *b)
{
	b->n = 0;
	for (const char *p = spec; p && *p;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		size_t n = strcspn(p, " ");
		const char *eq = memchr(p, '=', n);
		if (!eq || b->n == CLI_BIND_MAX)
			return -1;
		int i = b->n++;
		snprintf(b->col[i], sizeof(b->col[i]), "%.*s", (int)(eq - p), p);
		const char *v = eq + 1;
		size_t vl = n - (size_t)(eq - p) - 1;
		b->slot[i] = -1;
		b->is_literal[i] = false;
		b->value[i] = NULL;
		if (v[0] == '$') {
			b->slot[i] = atoi(v + 1) - 1;
			if (m && b->slot[i] >= 0 && b->slot[i] < GRAM_MAX_SLOTS)
				b->value[i] = m->slot[b->slot[i]];
		} else if (v[0] == '@') {
			char col[64];
			snprintf(col, sizeof(col), "%.*s", (int)vl - 1, v + 1);
			const char *cv = cli_context(s, col);
			snprintf(b->literal[i], sizeof(b->literal[i]), "%s", cv ? cv : "");
			b->value[i] = cv ? b->literal[i] : NULL;
		} else {
			snprintf(b->literal[i], sizeof(b->literal[i]), "%.*s", (int)vl, v);
			b->value[i] = b->literal[i];
			b->is_literal[i] = true;
		}
		p += n;
	}
	return 0;
}

/* The context row's keys, as a binding (for sub-mode commands on it). */
static void cli_binding_from_context(const struct cli_session *s, struct cli_binding *b)
{
	b->n = 0;
	for (const char *p = s->ctx_keys; *p && b->n < CLI_BIND_MAX;) {
		size_t n = strcspn(p, "\x1f");
		const char *eq = memchr(p, '=', n);
		if (eq) {
			int i = b->n++;
			snprintf(b->col[i], sizeof(b->col[i]), "%.*s", (int)(eq - p), p);
			snprintf(b->literal[i], sizeof(b->literal[i]), "%.*s", (int)(n - (size_t)(eq - p) - 1), eq + 1);
			b->value[i] = b->literal[i];
			b->slot[i] = -1;
			b->is_literal[i] = true;
		}
		p += n + (p[n] ? 1 : 0);
	}
}

static void cli_sql_where(char *sql, size_t len, const struct cli_binding *k)
{
	size_t off = strlen(sql);
	for (int i = 0; i < k->n && off < len; i++)
		off += (size_t)snprintf(sql + off, len - off, "%s%s IS ?", i ? " AND " : " WHERE ", k->col[i]);
}

static int cli_bind_values(sqlite3_stmt *st, int first, const struct cli_binding *b)
{
	for (int i = 0; i < b->n; i++) {
		int rc = b->value[i] ? sqlite3_bind_text(st, first + i, b->value[i], -1, SQLITE_TRANSIENT)
				     : sqlite3_bind_null(st, first + i);
		if (rc != SQLITE_OK)
			return -1;
	}
	return 0;
}

static int cli_run_stmt(struct cli_session *s, sqlite3_stmt *st)
{
	if (!st)
		return cli_error(s, "%% Internal error: %s", pf_store_errmsg(cli_store(s)));
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		const char *msg = sqlite3_errmsg(pf_store_db(cli_store(s)));
		if (rc == SQLITE_CONSTRAINT)
			return cli_error(s, "%s%% Invalid value (%s)", cli_dialect(s) == GRAM_ASA ? "ERROR: " : "",
					 msg);
		return cli_error(s, "%% Internal error: %s", msg);
	}
	return 0;
}

static int cli_row_ensure(struct cli_session *s, const char *table, const struct cli_binding *k)
{
	char sql[CLI_SQL_MAX], vals[256] = "";
	int off = snprintf(sql, sizeof(sql), "INSERT OR IGNORE INTO %s (", table);
	for (int i = 0; i < k->n; i++) {
		off += snprintf(sql + off, sizeof(sql) - (size_t)off, "%s%s", i ? ", " : "", k->col[i]);
		strcat(vals, i ? ", ?" : "?");
	}
	snprintf(sql + off, sizeof(sql) - (size_t)off, ") VALUES (%s)", vals);
	sqlite3_stmt *st = cli_stmt(s, sql);
	if (st && cli_bind_values(st, 1, k) < 0)
		return -1;
	return cli_run_stmt(s, st);
}

static int cli_row_delete(struct cli_session *s, const char *table, const struct cli_binding *k,
			  const char *extra)
{
	char sql[CLI_SQL_MAX];
	snprintf(sql, sizeof(sql), "DELETE FROM %s", table);
	cli_sql_where(sql, sizeof(sql), k);
	if (extra)
		strncat(sql, extra, sizeof(sql) - strlen(sql) - 1);
	sqlite3_stmt *st = cli_stmt(s, sql);
	if (st && cli_bind_values(st, 1, k) < 0)
		return -1;
	return cli_run_stmt(s, st);
}

static int cli_row_update(struct cli_session *s, const char *table, const struct cli_binding *k,
			  const struct cli_binding *set, bool clear)
{
	char sql[CLI_SQL_MAX];
	int off = snprintf(sql, sizeof(sql), "UPDATE %s SET ", table);
	for (int i = 0; i < set->n; i++)
		off += snprintf(sql + off, sizeof(sql) - (size_t)off, "%s%s = %s", i ? ", " : "", set->col[i],
				clear ? "NULL" : "?");
	cli_sql_where(sql, sizeof(sql), k);
	sqlite3_stmt *st = cli_stmt(s, sql);
	if (!st)
		return cli_run_stmt(s, st);
	if ((!clear && cli_bind_values(st, 1, set) < 0) || cli_bind_values(st, clear ? 1 : set->n + 1, k) < 0)
		return -1;
	return cli_run_stmt(s, st);
}

/* A list binding: "[+]child.column [col=literal ...]". */
struct cli_list {
	bool add;
	char table[64], col[64];
	struct cli_binding consts;
};

static int cli_list_parse(struct cli_session *s, const char *spec, struct cli_list *l)
{
	l->add = spec[0] == '+';
	spec += l->add;
	size_t n = strcspn(spec, " ");
	const char *dot = memchr(spec, '.', n);
	if (!dot)
		return -1;
	snprintf(l->table, sizeof(l->table), "%.*s", (int)(dot - spec), spec);
	snprintf(l->col, sizeof(l->col), "%.*s", (int)(n - (size_t)(dot - spec) - 1), dot + 1);
	return cli_binding_parse(s, spec + n, NULL, &l->consts);
}

/* WHERE of the child rows of a row: the row's keys and the list's literals. */
static void cli_list_where(char *sql, size_t len, const struct cli_binding *k, const struct cli_list *l)
{
	cli_sql_where(sql, len, k);
	size_t off = strlen(sql);
	for (int i = 0; i < l->consts.n && off < len; i++)
		off += (size_t)snprintf(sql + off, len - off, " AND %s IS ?", l->consts.col[i]);
}

static int cli_list_bind_where(sqlite3_stmt *st, int first, const struct cli_binding *k, const struct cli_list *l)
{
	if (cli_bind_values(st, first, k) < 0 || cli_bind_values(st, first + k->n, &l->consts) < 0)
		return -1;
	return first + k->n + l->consts.n;
}

/* Replace the list (or add to it, or with neg remove from it) from slot values. */
static int cli_list_apply(struct cli_session *s, const struct cli_list *l, const struct cli_binding *k,
			  const char *values, bool neg)
{
	char sql[CLI_SQL_MAX];
	if (!l->add || (neg && !values)) {
		/* replace: the old list goes; `no` without values: the whole list */
		snprintf(sql, sizeof(sql), "DELETE FROM %s", l->table);
		cli_list_where(sql, sizeof(sql), k, l);
		sqlite3_stmt *st = cli_stmt(s, sql);
		if (!st || cli_list_bind_where(st, 1, k, l) < 0 || cli_run_stmt(s, st) < 0)
			return -1;
		if (neg)
			return 0;
	}
	for (const char *p = values; p && *p;) {
		size_t n = strcspn(p, " ");
		char v[256];
		snprintf(v, sizeof(v), "%.*s", (int)n, p);
		p += n + strspn(p + n, " ");
		/* the value goes, or comes once, at the end */
		snprintf(sql, sizeof(sql), "DELETE FROM %s", l->table);
		cli_list_where(sql, sizeof(sql), k, l);
		snprintf(sql + strlen(sql), sizeof(sql) - strlen(sql), " AND %s = ?", l->col);
		sqlite3_stmt *st = cli_stmt(s, sql);
		int at = st ? cli_list_bind_where(st, 1, k, l) : -1;
		if (at < 0 || sqlite3_bind_text(st, at, v, -1, SQLITE_TRANSIENT) != SQLITE_OK || cli_run_stmt(s, st) < 0)
			return -1;
		if (neg)
			continue;
		int off = snprintf(sql, sizeof(sql), "INSERT INTO %s (", l->table);
		for (int i = 0; i < k->n; i++)
			off += snprintf(sql + off, sizeof(sql) - (size_t)off, "%s, ", k->col[i]);
		for (int i = 0; i < l->consts.n; i++)
			off += snprintf(sql + off, sizeof(sql) - (size_t)off, "%s, ", l->consts.col[i]);
		off += snprintf(sql + off, sizeof(sql) - (size_t)off, "idx, %s) SELECT ", l->col);
		for (int i = 0; i < k->n + l->consts.n; i++)
			off += snprintf(sql + off, sizeof(sql) - (size_t)off, "?, ");
		off += snprintf(sql + off, sizeof(sql) - (size_t)off, "COALESCE(MAX(idx), 0) + 1, ? FROM %s", l->table);
		cli_list_where(sql + off, sizeof(sql) - (size_t)off, k, l);
		st = cli_stmt(s, sql);
		if (!st || cli_bind_values(st, 1, k) < 0 || cli_bind_values(st, 1 + k->n, &l->consts) < 0)
			return -1;
		at = 1 + k->n + l->consts.n;
		if (sqlite3_bind_text(st, at, v, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
		    cli_list_bind_where(st, at + 1, k, l) < 0 || cli_run_stmt(s, st) < 0)
			return -1;
	}
	return 0;
}

/* The list as one space-separated value (rendering), or NULL when empty. */
static char *cli_list_load(struct cli_session *s, const struct cli_list *l, const struct cli_binding *k)
{
	char sql[CLI_SQL_MAX];
	snprintf(sql, sizeof(sql), "SELECT %s FROM %s", l->col, l->table);
	cli_list_where(sql, sizeof(sql), k, l);
	strncat(sql, " ORDER BY idx", sizeof(sql) - strlen(sql) - 1);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(pf_store_db(cli_store(s)), sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	char *out = NULL;
	size_t len = 0;
	if (cli_list_bind_where(st, 1, k, l) >= 0)
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *v = (const char *)sqlite3_column_text(st, 0);
			size_t vl = v ? strlen(v) : 0;
			char *grown = realloc(out, len + vl + 2);
			if (!grown)
				break;
			out = grown;
			if (len)
				out[len++] = ' ';
			memcpy(out + len, v ? v : "", vl);
			len += vl;
			out[len] = '\0';
		}
	sqlite3_finalize(st);
	return out;
}

/* Whether any definition of the dialect creates rows of table (enters a mode). */
static bool cli_table_has_creator(struct cli_session *s, const char *table)
{
	struct gram *g = cli_gram(s);
	for (size_t i = 0; i < gram_cmd_count(g); i++) {
		const struct gram_cmd *c = gram_cmd_at(g, i);
		if (c->enter && c->table && strcmp(c->table, table) == 0)
			return true;
	}
	return false;
}

/* A row nobody creates explicitly goes once nothing is set on it; a
 * singleton (all its keys literals, such as id=1) stays. */
static int cli_row_prune(struct cli_session *s, const char *table, const struct cli_binding *k)
{
	bool singleton = true;
	for (int i = 0; i < k->n; i++)
		singleton = singleton && k->is_literal[i];
	if (singleton)
		return 0;
	char sql[CLI_SQL_MAX];
	snprintf(sql, sizeof(sql), "SELECT * FROM %s LIMIT 0", table);
	sqlite3_stmt *cols = cli_stmt(s, sql);
	if (!cols)
		return cli_run_stmt(s, cols);
	char extra[CLI_SQL_MAX] = "";
	size_t off = 0;
	for (int c = 0; c < sqlite3_column_count(cols); c++) {
		const char *name = sqlite3_column_name(cols, c);
		bool key = false;
		for (int i = 0; i < k->n; i++)
			key = key || strcmp(k->col[i], name) == 0;
		if (!key)
			off += (size_t)snprintf(extra + off, sizeof(extra) - off, " AND %s IS NULL", name);
	}
	/* nor may it have list children */
	struct gram *g = cli_gram(s);
	for (size_t i = 0; i < gram_cmd_count(g); i++) {
		const struct gram_cmd *c = gram_cmd_at(g, i);
		struct cli_list l;
		if (!c->list || !c->table || strcmp(c->table, table) != 0 || cli_list_parse(s, c->list, &l) < 0)
			continue;
		off += (size_t)snprintf(extra + off, sizeof(extra) - off, " AND NOT EXISTS (SELECT 1 FROM %s WHERE ",
					l.table);
		for (int j = 0; j < k->n; j++)
			off += (size_t)snprintf(extra + off, sizeof(extra) - off, "%s%s.%s = %s.%s", j ? " AND " : "",
						l.table, k->col[j], table, k->col[j]);
		off += (size_t)snprintf(extra + off, sizeof(extra) - off, ")");
	}
	return cli_row_delete(s, table, k, extra);
}

int cli_bind_apply(struct cli_session *s, const struct gram_match *m)
{
	const struct gram_cmd *c = m->cmd;
	struct cli_binding keys, set;
	bool in_context = c->mode != GRAM_MODE_CONFIG && !c->keys;
	if (in_context)
		cli_binding_from_context(s, &keys);
	else if (cli_binding_parse(s, c->keys, m, &keys) < 0)
		return cli_error(s, "%% Internal error: bad binding");
	if (cli_binding_parse(s, c->set, m, &set) < 0)
		return cli_error(s, "%% Internal error: bad binding");
	bool neg = m->negated || m->deflt;
	int rc;
	/* an optional value left out takes the command's default (`set pfs`) */
	for (int i = 0; i < set.n && !neg && c->dflt; i++)
		if (set.slot[i] >= 0 && !set.value[i])
			set.value[i] = c->dflt;

	if (c->enter) {
		if (neg) {
			rc = cli_row_delete(s, c->table, &keys, NULL);
		} else {
			rc = cli_row_ensure(s, c->table, &keys);
			if (rc == 0 && set.n > 0) /* a creator that also sets (IOS transform-set) */
				rc = cli_row_update(s, c->table, &keys, &set, false);
			if (rc == 0) {
				char ctx[512] = "";
				size_t off = 0;
				for (int i = 0; i < keys.n; i++)
					off += (size_t)snprintf(ctx + off, sizeof(ctx) - off, "%s%s=%s", i ? "\x1f" : "",
								keys.col[i], keys.value[i] ? keys.value[i] : "");
				cli_enter_mode(s, c->enter, c->table, ctx);
			}
		}
	} else if (c->list) {
		struct cli_list l;
		if (cli_list_parse(s, c->list, &l) < 0)
			return cli_error(s, "%% Internal error: bad list binding");
		int last = gram_slot_count(cli_gram(s), c) - 1;
		const char *values = last >= 0 ? m->slot[last] : NULL;
		rc = cli_row_ensure(s, c->table, &keys);
		if (rc == 0)
			rc = cli_list_apply(s, &l, &keys, values, neg);
		if (rc == 0 && neg && !cli_table_has_creator(s, c->table))
			rc = cli_row_prune(s, c->table, &keys);
	} else if (set.n > 0) {
		if (neg) {
			rc = cli_row_update(s, c->table, &keys, &set, true);
			if (rc == 0 && !cli_table_has_creator(s, c->table))
				rc = cli_row_prune(s, c->table, &keys);
		} else {
			rc = cli_row_ensure(s, c->table, &keys);
			if (rc == 0)
				rc = cli_row_update(s, c->table, &keys, &set, false);
		}
	} else {
		rc = neg ? cli_row_delete(s, c->table, &keys, NULL) : cli_row_ensure(s, c->table, &keys);
	}
	if (rc == 0)
		cli_changed_row(s, c->table, keys.n > 0 ? keys.value[0] : NULL);
	return rc;
}

int cli_bind_secret_slot(const struct gram_cmd *c)
{
	if (!(c->render & GRAM_R_SECRET) || !c->set)
		return -1;
	const char *d = strchr(c->set, '$');
	size_t sp = strcspn(c->set, " ");
	return d && (size_t)(d - c->set) < sp ? atoi(d + 1) - 1 : -1;
}

/* ---- rendering ---- */

#define CLI_ROW_COLS 48

struct cli_row {
	int n;
	char *name[CLI_ROW_COLS];
	char *value[CLI_ROW_COLS]; /* NULL for SQL NULL */
};

static void cli_row_free(struct cli_row *r)
{
	for (int i = 0; i < r->n; i++) {
		free(r->name[i]);
		free(r->value[i]);
	}
	r->n = 0;
}

static void cli_row_load(sqlite3_stmt *st, struct cli_row *r)
{
	r->n = 0;
	for (int c = 0; c < sqlite3_column_count(st) && c < CLI_ROW_COLS; c++) {
		const unsigned char *v = sqlite3_column_text(st, c);
		r->name[r->n] = strdup(sqlite3_column_name(st, c));
		r->value[r->n] = v ? strdup((const char *)v) : NULL;
		r->n++;
	}
}

static const char *cli_row_get(const struct cli_row *r, const char *col)
{
	for (int i = 0; i < r->n; i++)
		if (r->name[i] && strcmp(r->name[i], col) == 0)
			return r->value[i];
	return NULL;
}

void cli_render_line(struct cli_render *r, int indent, const char *fmt, ...)
{
	char buf[GRAM_MAX_LINE + 64];
	int off = indent > 0 ? snprintf(buf, sizeof(buf), "%*s", indent, "") : 0;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + off, sizeof(buf) - (size_t)off, fmt, ap);
	va_end(ap);
	cli_printf(r->s, "%s\n", buf);
	r->lines++;
}

/* Whether a definition is for rows like this one: its literal keys hold
 * (crypto dynamic-map definitions for dynamic=1 rows, ikev2 for version=2). */
static bool cli_def_fits_row(const struct cli_binding *keys, const struct cli_row *row)
{
	for (int i = 0; i < keys->n; i++) {
		if (!keys->is_literal[i])
			continue;
		const char *v = cli_row_get(row, keys->col[i]);
		if (!v || strcmp(v, keys->literal[i]) != 0)
			return false;
	}
	return true;
}

/* One definition's line for a row, if it has one; returns lines written. */
static int cli_render_def(struct cli_render *r, const struct gram_cmd *c, const struct cli_row *row, int indent)
{
	struct gram *g = cli_gram(r->s);
	const char *slot[GRAM_MAX_SLOTS] = { 0 };
	struct cli_binding keys, set;
	if ((c->render & GRAM_R_NEVER) || (c->flags & GRAM_F_NO_ONLY))
		return 0;
	if (cli_binding_parse(r->s, c->keys, NULL, &keys) < 0 || cli_binding_parse(r->s, c->set, NULL, &set) < 0 ||
	    !cli_def_fits_row(&keys, row))
		return 0;
	for (int i = 0; i < keys.n; i++)
		if (keys.slot[i] >= 0)
			slot[keys.slot[i]] = cli_row_get(row, keys.col[i]);
	bool any_slot = false, has_slot = false, literals_hold = true;
	int first_set_slot = -1;
	for (int i = 0; i < set.n; i++) {
		const char *v = cli_row_get(row, set.col[i]);
		if (set.slot[i] >= 0) {
			has_slot = true;
			if (first_set_slot < 0)
				first_set_slot = set.slot[i];
			slot[set.slot[i]] = v;
			any_slot = any_slot || v;
		} else if (!v || strcmp(v, set.literal[i]) != 0) {
			literals_hold = false;
		}
	}
	bool is_set = has_slot ? any_slot : (set.n > 0 ? literals_hold : true);
	char *list = NULL;
	if (c->list) {
		/* the row's identity, as its key columns hold it */
		struct cli_binding vals;
		if (!c->keys)
			cli_binding_from_context(r->s, &vals);
		else
			vals = keys;
		for (int i = 0; i < vals.n; i++) {
			const char *v = cli_row_get(row, vals.col[i]);
			snprintf(vals.literal[i], sizeof(vals.literal[i]), "%s", v ? v : "");
			vals.value[i] = v ? vals.literal[i] : NULL;
		}
		struct cli_list l;
		int last = gram_slot_count(g, c) - 1;
		if (last < 0 || cli_list_parse(r->s, c->list, &l) < 0 || !(list = cli_list_load(r->s, &l, &vals)))
			return 0;
		slot[last] = list;
		is_set = true;
	}
	if (is_set && (c->render & GRAM_R_QUIET_SET) && !r->all) {
		free(list);
		return 0;
	}
	if (!is_set) {
		if ((c->render & GRAM_R_SHOW_DEFAULT) && c->dflt && first_set_slot >= 0) {
			slot[first_set_slot] = c->dflt;
		} else if (c->render & GRAM_R_NO_WHEN_UNSET) {
			char kw[256];
			if (gram_leading_keywords(g, c, kw, sizeof(kw)) <= 0)
				return 0;
			cli_render_line(r, indent, "no %s", kw);
			return 1;
		} else {
			return 0;
		}
	}
	int nslots = gram_slot_count(g, c);
	int secret = cli_bind_secret_slot(c);
	if (r->mask_secrets && secret >= 0 && slot[secret])
		slot[secret] = "*****";
	char line[GRAM_MAX_LINE];
	int n = 0;
	if (list && c->list[0] == '+') {
		/* a list built one command at a time prints one line a value */
		int last = nslots - 1;
		for (char *v = list, *sp; v && *v; v = sp ? sp + 1 : NULL) {
			sp = strchr(v, ' ');
			if (sp)
				*sp = '\0';
			slot[last] = v;
			if (gram_unparse(g, c, slot, nslots, line, sizeof(line)) >= 0) {
				cli_render_line(r, indent, "%s", line);
				n++;
			}
		}
	} else if (gram_unparse(g, c, slot, nslots, line, sizeof(line)) >= 0) {
		cli_render_line(r, indent, "%s", line);
		n = 1;
	}
	free(list);
	return n;
}

/* The lines of a sub-mode's commands for the row its creator names. */
static int cli_render_children(struct cli_render *r, const struct gram_cmd *creator, const struct cli_row *row)
{
	struct gram *g = cli_gram(r->s);
	int lines = 0;
	/* the context of the sub-mode, as the commands in it would see it */
	char saved[512];
	snprintf(saved, sizeof(saved), "%s", r->s->ctx_keys);
	struct cli_binding keys;
	cli_binding_parse(r->s, creator->keys, NULL, &keys);
	char ctx[512] = "";
	size_t off = 0;
	for (int i = 0; i < keys.n; i++) {
		const char *v = cli_row_get(row, keys.col[i]);
		off += (size_t)snprintf(ctx + off, sizeof(ctx) - off, "%s%s=%s", i ? "\x1f" : "", keys.col[i],
					v ? v : "");
	}
	snprintf(r->s->ctx_keys, sizeof(r->s->ctx_keys), "%s", ctx);
	for (size_t i = 0; i < gram_cmd_count(g); i++) {
		const struct gram_cmd *c = gram_cmd_at(g, i);
		if (c->mode != creator->enter || !c->table)
			continue;
		if (strcmp(c->table, creator->table) == 0) {
			lines += cli_render_def(r, c, row, 1);
			continue;
		}
		/* a child table: its rows whose @-keys name this context */
		struct cli_binding ck;
		cli_binding_parse(r->s, c->keys, NULL, &ck);
		char sql[CLI_SQL_MAX];
		int o = snprintf(sql, sizeof(sql), "SELECT * FROM %s", c->table);
		int nb = 0;
		for (int k = 0; k < ck.n; k++)
			if (ck.slot[k] < 0)
				o += snprintf(sql + o, sizeof(sql) - (size_t)o, "%s%s IS ?", nb++ ? " AND " : " WHERE ",
					      ck.col[k]);
		snprintf(sql + o, sizeof(sql) - (size_t)o, " ORDER BY rowid");
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(pf_store_db(cli_store(r->s)), sql, -1, &st, NULL) != SQLITE_OK)
			continue;
		nb = 0;
		for (int k = 0; k < ck.n; k++)
			if (ck.slot[k] < 0)
				sqlite3_bind_text(st, ++nb, ck.value[k] ? ck.value[k] : "", -1, SQLITE_TRANSIENT);
		while (sqlite3_step(st) == SQLITE_ROW) {
			struct cli_row child;
			cli_row_load(st, &child);
			lines += cli_render_def(r, c, &child, 1);
			cli_row_free(&child);
		}
		sqlite3_finalize(st);
	}
	snprintf(r->s->ctx_keys, sizeof(r->s->ctx_keys), "%s", saved);
	return lines;
}

/* Bound to table, and (when prefixes are given, '|'-separated) starting so. */
static bool cli_def_in(const struct gram_cmd *c, const char *table, const char *prefixes)
{
	if (!c->table || strcmp(c->table, table) != 0)
		return false;
	if (!prefixes)
		return true;
	for (const char *p = prefixes; *p;) {
		size_t n = strcspn(p, "|");
		if (strncmp(c->syntax, p, n) == 0)
			return true;
		p += n + (p[n] ? 1 : 0);
	}
	return false;
}

/* A row's lines: its one-line commands, then each sub-mode block. A block
 * is shown when it has lines, or when the row has no one-line commands at
 * all (an interface, an IKE policy: the block is the row). */
static void cli_render_row(struct cli_render *r, const char *table, const char *prefix, const struct cli_row *row)
{
	struct gram *g = cli_gram(r->s);
	int one = 0;
	for (size_t i = 0; i < gram_cmd_count(g); i++) {
		const struct gram_cmd *c = gram_cmd_at(g, i);
		if (c->mode == GRAM_MODE_CONFIG && !c->enter && cli_def_in(c, table, prefix))
			one += cli_render_def(r, c, row, 0);
	}
	for (size_t i = 0; i < gram_cmd_count(g); i++) {
		const struct gram_cmd *c = gram_cmd_at(g, i);
		if (c->mode != GRAM_MODE_CONFIG || !c->enter || !cli_def_in(c, table, prefix))
			continue;
		size_t mark = r->s->outlen, lines = r->lines;
		if (cli_render_def(r, c, row, 0) == 0)
			continue;
		if (cli_render_children(r, c, row) == 0 && one > 0) {
			r->s->outlen = mark; /* an empty block under a row shown by its one-liners */
			r->lines = lines;
		}
	}
}

void cli_render_rows(struct cli_render *r, const char *table, const char *where, const char *order_by,
		     const char *prefix, const char *trailer)
{
	char sql[CLI_SQL_MAX];
	snprintf(sql, sizeof(sql), "SELECT * FROM %s%s%s ORDER BY %s", table, where ? " WHERE " : "", where ? where : "",
		 order_by ? order_by : "rowid");
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(pf_store_db(cli_store(r->s)), sql, -1, &st, NULL) != SQLITE_OK) {
		cli_error(r->s, "%% Internal error: %s", sqlite3_errmsg(pf_store_db(cli_store(r->s))));
		return;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct cli_row row;
		cli_row_load(st, &row);
		size_t before = r->lines;
		cli_render_row(r, table, prefix, &row);
		if (trailer && r->lines > before)
			cli_render_line(r, 0, "%s", trailer);
		cli_row_free(&row);
	}
	sqlite3_finalize(st);
}

void cli_render_config(struct cli_session *s, const char *section, bool mask_secrets, bool all)
{
	struct cli_render r = { .s = s, .mask_secrets = mask_secrets, .all = all };
	for (size_t i = 0; i < gram_section_count; i++) {
		const struct gram_section *sec = &gram_sections[i];
		if (!(sec->dialect & cli_dialect(s)))
			continue;
		size_t sl = section ? strlen(section) : 0;
		if (section && strcmp(section, sec->name) != 0 &&
		    !(strncmp(section, sec->name, sl) == 0 && sec->name[sl] == ' '))
			continue;
		size_t before = r.lines;
		if (sec->render) {
			const struct cli_action *a = cli_action_resolve(NULL, sec->render);
			if (a && a->render)
				a->render(s, &r);
		} else {
			cli_render_rows(&r, sec->table, sec->where, sec->order_by, sec->prefix, sec->trailer);
		}
		bool ends_bang = s->outlen >= 2 && memcmp(s->out + s->outlen - 2, "!\n", 2) == 0 &&
				 (s->outlen == 2 || s->out[s->outlen - 3] == '\n');
		if (!section && (sec->bang_after & cli_dialect(s)) && !ends_bang &&
		    (r.lines > before || cli_dialect(s) == GRAM_ASA))
			cli_render_line(&r, 0, "!");
	}
}
