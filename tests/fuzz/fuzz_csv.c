/*
 * fuzz_csv.c - libFuzzer target for the CSV reader: every input is read
 * twice, by the fast paths and by libcsv alone, and the two must give
 * the same records, line numbers and outcome.  A difference aborts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "reader.h"

struct got {
	struct sbuf text;	/* every field, length-prefixed */
	int rc;
	char msg[1024];
};

static void
read_all(const uint8_t *data, size_t size, int no_fast, int format,
    struct got *g)
{
	/* A tiny buffer: lines cross its edge all the time. */
	struct rd_opts o = { .format = format, .no_fast = no_fast,
	    .bufsize = 32 };
	struct crm_err err = { { 0 } };
	struct reader *r;
	struct rec *rec;
	int fd = fuzz_fd(data, size), k;
	size_t i;

	memset(g, 0, sizeof(*g));
	r = rd_fdopen(fd, "fuzz", &o, &err);
	if (!r) {
		g->rc = -2;
		snprintf(g->msg, sizeof(g->msg), "%s", err.msg);
		close(fd);
		return;
	}
	while ((k = rd_next(r, &rec, &err)) > 0) {
		sb_printf(&g->text, "@%ld:%zu", rec->line, rec->nf);
		for (i = 0; i < rec->nf; i++) {
			sb_printf(&g->text, "|%zu:", rec->len[i]);
			sb_add(&g->text, rec->f[i], rec->len[i]);
		}
	}
	g->rc = k;
	if (k < 0)
		snprintf(g->msg, sizeof(g->msg), "%s", err.msg);
	rd_close(r);
	close(fd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct got a, b;

	read_all(data, size, 0, RD_CSV, &a);
	read_all(data, size, 1, RD_CSV, &b);
	if (a.rc != b.rc || strcmp(a.msg, b.msg) != 0 || a.text.len != b.text.len ||
	    (a.text.len && memcmp(a.text.buf, b.text.buf, a.text.len) != 0))
		abort();
	sb_release(&a.text);
	sb_release(&b.text);
	return 0;
}
