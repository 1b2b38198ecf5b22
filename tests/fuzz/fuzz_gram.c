/*
 * fuzz_gram.c -- libFuzzer harness for the line matcher: every line a console
 * or a paste can deliver goes through gram_match_line(), gram_help_line() and
 * gram_complete_line() in every mode of both dialects. Nothing may crash,
 * read out of bounds or leak (built with ASan/UBSan by `make fuzz`).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "grammar/gram.h"

static int fuzz_action;

static void *fuzz_resolve(void *ctx, const char *name)
{
	(void)ctx;
	(void)name;
	return &fuzz_action;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gram *g[2];
	static struct gram_match *m;
	static struct gram_help *h;
	if (!g[0]) {
		char err[256];
		g[0] = gram_build(GRAM_ASA, fuzz_resolve, NULL, err, sizeof(err));
		g[1] = gram_build(GRAM_IOS, fuzz_resolve, NULL, err, sizeof(err));
		m = malloc(sizeof(*m));
		h = malloc(sizeof(*h));
		if (!g[0] || !g[1] || !m || !h)
			abort();
	}
	char *line = malloc(size + 1);
	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	char out[256];
	for (int d = 0; d < 2; d++)
		for (int mode = GRAM_MODE_EXEC; mode < GRAM_MODE_COUNT; mode++) {
			gram_match_line(g[d], (enum gram_mode)mode, 15, line, m);
			if (m->status == GRAM_OK && m->cmd) {
				char text[GRAM_MAX_LINE];
				gram_unparse(g[d], m->cmd, m->slot, m->nslots, text, sizeof(text));
			}
			gram_help_line(g[d], (enum gram_mode)mode, 1, line, h);
			gram_complete_line(g[d], (enum gram_mode)mode, 15, line, out, sizeof(out));
		}
	free(line);
	return 0;
}
