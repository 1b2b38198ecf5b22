/*
 * cli_filter.c -- output modifiers: `| include`, `| exclude`, `| begin`,
 * `| section` and `| count`, applied to a command's whole output.
 *
 * Regular expressions are POSIX extended ones, which cover what engineers
 * type after a pipe (`crypto map|isakmp`, `^interface`, `peer [0-9.]+`).
 * `section` keeps every top-level line whose block (the line and the
 * indented lines under it) has a match, and the whole block.
 */
#include "cli/cli_int.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

struct cli_buf {
	char *p;
	size_t len, cap;
};

static int cli_buf_add(struct cli_buf *b, const char *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *np = realloc(b->p, cap);
		if (!np)
			return -1;
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

static bool cli_line_matches(regex_t *re, const char *p, size_t n)
{
	char stack[512];
	char *line = n < sizeof(stack) ? stack : malloc(n + 1);
	if (!line)
		return false;
	memcpy(line, p, n);
	line[n] = '\0';
	bool hit = regexec(re, line, 0, NULL, 0) == 0;
	if (line != stack)
		free(line);
	return hit;
}

/* Length of the line at p, without its newline. */
static size_t cli_line_len(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	return nl ? (size_t)(nl - p) : (size_t)(end - p);
}

int cli_filter_apply(const char *name, const char *regex, const char *in, size_t inlen, char **out,
		     size_t *outlen, char *err, size_t errlen)
{
	regex_t re;
	if (regcomp(&re, regex ? regex : "", REG_EXTENDED | REG_NOSUB) != 0) {
		snprintf(err, errlen, "%% Invalid regular expression");
		return -1;
	}
	struct cli_buf b = { 0 };
	const char *end = in + inlen;
	size_t count = 0;
	bool begun = false;
	for (const char *p = in; p < end;) {
		size_t n = cli_line_len(p, end);
		size_t full = n + (p + n < end ? 1 : 0);
		if (strcmp(name, "pipe_section") == 0) {
			/* the block: this top-level line and the indented lines under it */
			const char *q = p + full;
			while (q < end && (*q == ' ' || *q == '\t'))
				q += cli_line_len(q, end) + (q + cli_line_len(q, end) < end ? 1 : 0);
			bool hit = false;
			for (const char *l = p; l < q && !hit;) {
				size_t ln = cli_line_len(l, end);
				hit = cli_line_matches(&re, l, ln);
				l += ln + 1;
			}
			if (hit)
				cli_buf_add(&b, p, (size_t)(q - p));
			p = q;
			continue;
		}
		bool hit = cli_line_matches(&re, p, n);
		if (strcmp(name, "pipe_include") == 0 && hit)
			cli_buf_add(&b, p, full);
		else if (strcmp(name, "pipe_exclude") == 0 && !hit)
			cli_buf_add(&b, p, full);
		else if (strcmp(name, "pipe_begin") == 0 && (begun || hit)) {
			begun = true;
			cli_buf_add(&b, p, full);
		} else if (strcmp(name, "pipe_count") == 0 && hit)
			count++;
		p += full;
	}
	if (strcmp(name, "pipe_count") == 0) {
		char line[64];
		int n = snprintf(line, sizeof(line), "Number of lines which match regexp = %zu\n", count);
		cli_buf_add(&b, line, (size_t)n);
	}
	regfree(&re);
	if (!b.p && cli_buf_add(&b, "", 0) < 0) {
		snprintf(err, errlen, "%% Out of memory");
		return -1;
	}
	*out = b.p;
	*outlen = b.len;
	return 0;
}
