/*
 * fuzz_csv.c - libFuzzer target for the CSV reader: every input is read
 * by the fast paths and by libcsv alone, and then in chunks by a clone
 * as summary_scan() reads a log with two threads (guessed cuts, each
 * chunk taken only when it starts where the one before stopped and
 * read cleanly, else read again from there with the true line numbers).
 * All must give the same records, line numbers and outcome.  A
 * difference aborts.
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

/*
 * The records that begin in [start, end), read by c from start as if
 * lineno lines came before, appended to text with their lines plus
 * base.  Returns 1 if read to end or to the end of the input, 0 on an
 * error (in err), as summary.c's chunk_read().
 */
static int
read_part(struct reader *c, int64_t start, long lineno, int64_t end,
    int64_t hard_end, long base, struct sbuf *text, int64_t *stop, long *lines,
    struct crm_err *err)
{
	struct rec *rec;
	int k = 1;
	size_t i;

	rd_seek(c, start, lineno, 0, hard_end);
	while (rd_tell(c) < end && (k = rd_next(c, &rec, err)) > 0) {
		sb_printf(text, "@%ld:%zu", rec->line + base, rec->nf);
		for (i = 0; i < rec->nf; i++) {
			sb_printf(text, "|%zu:", rec->len[i]);
			sb_add(text, rec->f[i], rec->len[i]);
		}
	}
	*stop = rd_tell(c);
	*lines = rd_lines(c) - lineno;
	/* Read to hard_end, a record may have been cut short there. */
	return k >= 0 && !(hard_end && rd_at_end(c));
}

static void
read_chunks(const uint8_t *data, size_t size, int64_t chunk, struct got *g)
{
	struct rd_opts o = { .format = RD_CSV, .bufsize = 32 };
	struct crm_err err = { { 0 } };
	struct reader *r, *c;
	int fd = fuzz_fd(data, size);
	int64_t from, pos, n, j;
	long line;

	memset(g, 0, sizeof(*g));
	r = rd_fdopen(fd, "fuzz", &o, &err);
	if (!r) {
		g->rc = -2;
		snprintf(g->msg, sizeof(g->msg), "%s", err.msg);
		close(fd);
		return;
	}
	if (!(c = rd_clone(r)))
		abort();		/* a memory file has offsets */
	from = pos = rd_tell(r);
	line = rd_lines(r);
	n = (int64_t)size > from ? ((int64_t)size - from + chunk - 1) / chunk : 1;
	for (j = 0; j < n; j++) {
		int64_t start = j ? rd_cut(c, from + j * chunk) : from;
		int64_t end = j + 1 < n ? rd_cut(c, from + (j + 1) * chunk) : INT64_MAX;
		struct sbuf part = { 0 };
		int64_t stop;
		long lines;
		/* A guess reads at most a chunk past its end. */
		int ok = read_part(c, start, 0, end, end < INT64_MAX ? end + chunk : 0,
		    line, &part, &stop, &lines, &err);

		if (!ok || start != pos) {
			part.len = 0;
			ok = read_part(c, pos, line, end, 0, 0, &part, &stop, &lines,
			    &err);
		}
		sb_add(&g->text, part.buf ? part.buf : "", part.len);
		sb_release(&part);
		if (!ok) {
			g->rc = -1;
			snprintf(g->msg, sizeof(g->msg), "%s", err.msg);
			break;
		}
		pos = stop;
		line += lines;
	}
	rd_close(c);
	rd_close(r);
	close(fd);
}

static void
same(struct got *a, struct got *b)
{
	if (a->rc != b->rc || strcmp(a->msg, b->msg) != 0 ||
	    a->text.len != b->text.len ||
	    (a->text.len && memcmp(a->text.buf, b->text.buf, a->text.len) != 0))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int64_t chunks[] = { 1, 3, 16, 61 };
	struct got a, b;
	size_t i;

	read_all(data, size, 0, RD_CSV, &a);
	read_all(data, size, 1, RD_CSV, &b);
	same(&a, &b);
	sb_release(&b.text);
	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		read_chunks(data, size, chunks[i], &b);
		same(&a, &b);
		sb_release(&b.text);
	}
	sb_release(&a.text);
	return 0;
}
