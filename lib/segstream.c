/*
 * segstream.c - the customer rows read twice instead of held (see
 * segment.h, struct seg_stream).
 *
 * Holding half a million rows costs more than the summary of ten million
 * events does: the text, a pointer per field, an index by id.  --rfm
 * needs nothing of a row but its id until the row is written, so when
 * the rows are files that can be read again, the first pass keeps of
 * each row only its customer's summary index and its line, and the
 * second pass writes the rows as it reads them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "customer.h"
#include "segment.h"

/* The error of a file that is not what the first reading read. */
static int
changed(const struct seg_stream_file *sf, struct crm_err *err)
{
	return crm_error(err, "%s: changed while it was read; run again",
	    sf->path);
}

/* What tells that a file was changed between the passes. */
static void
file_stamp(const struct stat *sb, int64_t stamp[4])
{
	stamp[0] = (int64_t)sb->st_ino;
	stamp[1] = (int64_t)sb->st_size;
	stamp[2] = (int64_t)sb->st_mtim.tv_sec;
	stamp[3] = (int64_t)sb->st_mtim.tv_nsec;
}

/* Is sf what the first reading read?  Else the error that says so. */
static int
unchanged(const struct seg_stream_file *sf, struct crm_err *err)
{
	int64_t stamp[4];
	struct stat sb;

	if (fstat(sf->fd, &sb) == 0) {
		file_stamp(&sb, stamp);
		if (!memcmp(stamp, sf->stamp, sizeof(stamp)))
			return 0;
	}
	return changed(sf, err);
}

static struct reader *
open_pass(struct seg_stream_file *sf, struct crm_err *err)
{
	if (lseek(sf->fd, 0, SEEK_SET) < 0) {
		crm_error(err, "%s: %s", sf->path, strerror(errno));
		return NULL;
	}
	return rd_fdopen(sf->fd, sf->path, &sf->ro, err);
}

/*
 * Take the open file fd as the stream's next file and read its header.
 * Returns 1, 0 when it cannot be read twice, -1 on an error.
 */
static int
add_file(struct seg_stream *ss, int fd, const char *path,
    const struct rd_opts *ro, struct crm_err *err)
{
	struct seg_stream_file *sf;
	struct reader *r;
	struct stat sb;
	size_t j;

	ss->file = xreallocarray(ss->file, ss->nfile + 1, sizeof(*ss->file));
	sf = &ss->file[ss->nfile++];
	memset(sf, 0, sizeof(*sf));
	sf->path = xstrdup(path);
	sf->first_row = SIZE_MAX;	/* not read yet: see seg_stream_where() */
	sf->fd = fd;
	sf->ro = *ro;
	if (fstat(fd, &sb) < 0)
		return crm_error(err, "%s: %s", path, strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return 0;	/* replaced since the caller's stat() */
	file_stamp(&sb, sf->stamp);
	r = rd_fdopen(fd, path, ro, err);
	if (!r)
		return -1;
	/* JSON Lines may name new columns on any line: held rows take
	 * those as they come. */
	if (rd_format(r) != RD_CSV || rd_ncol(r) == 0) {
		rd_close(r);
		return 0;
	}
	sf->ro.format = RD_CSV;
	sf->ncol = rd_ncol(r);
	sf->map = xcalloc(sf->ncol, sizeof(*sf->map));
	for (j = 0; j < sf->ncol; j++)
		sf->map[j] = table_add_col(&ss->cols, rd_colname(r, j));
	rd_close(r);
	return 1;
}

/* Where the id is in each file. */
static void
find_ids(struct seg_stream *ss)
{
	size_t i, j;

	for (i = 0; i < ss->nfile; i++) {
		struct seg_stream_file *sf = &ss->file[i];

		sf->id = -1;
		for (j = 0; j < sf->ncol; j++)
			if (sf->map[j] == (size_t)ss->id)
				sf->id = (int)j;
	}
}

int
seg_stream_open(struct seg_stream *ss, char *const *paths, size_t n,
    struct crm_err *err)
{
	struct rd_opts ro = { .format = RD_AUTO };
	size_t i;
	int k;

	memset(ss, 0, sizeof(*ss));
	ss->id = -1;
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		struct stat sb;

		/* Not opened to find out: opening a FIFO takes its data. */
		if (streq(paths[i], "-") || stat(paths[i], &sb) < 0 ||
		    !S_ISREG(sb.st_mode))
			return 0;
	}
	for (i = 0; i < n; i++) {
		int fd = open(paths[i], O_RDONLY | O_CLOEXEC);

		if (fd < 0)
			return crm_error(err, "%s: %s", paths[i], strerror(errno));
		if ((k = add_file(ss, fd, paths[i], &ro, err)) <= 0)
			return k;
	}
	if ((ss->id = seg_id_col(&ss->cols, ss->file[0].path, err)) < 0)
		return -1;
	find_ids(ss);
	return 1;
}

int
seg_stream_store(struct seg_stream *ss, int fd, const char *path,
    struct crm_err *err)
{
	struct rd_opts ro = { .format = RD_CSV, .strict_eol = 1 };
	int k;

	memset(ss, 0, sizeof(*ss));
	ss->id = -1;
	ss->store = 1;
	if ((k = add_file(ss, fd, path, &ro, err)) <= 0)
		return k;
	ss->id = table_col(&ss->cols, "id");
	if (ss->id < 0)
		return crm_error(err, "%s:1: no 'id' column in the header", path);
	/* As custdb_load() has it: every column of a customer, empty
	 * where the file has none. */
	table_add_cols(&ss->cols, cust_field_names, CF_NFIELDS);
	find_ids(ss);
	return 1;
}

const char *
seg_stream_where(const struct seg_stream *ss, size_t row, char *buf, size_t n)
{
	size_t k = 0;

	while (k + 1 < ss->nfile && ss->file[k + 1].first_row <= row)
		k++;
	snprintf(buf, n, "%s:%lu", ss->file[k].path, (unsigned long)ss->line[row]);
	return buf;
}

/*
 * Row i has the id: an error if an earlier row had it.  seen has a bit
 * for each entry of the summary, set once a row had its id: 62 KB for
 * half a million customers, which the caches hold, where the first row
 * of each (a number) took 2 MB, read and written in no order, and a
 * fifth of this pass.  The first row is looked for only for the
 * message.
 */
static int
check_once(struct seg_stream *ss, uint64_t *seen, struct strmap *other,
    const char *id, size_t row, struct crm_err *err)
{
	char at[600], prev[600];
	size_t was;

	if (ss->sidx[row] != SEG_NOIDX) {
		uint32_t x = ss->sidx[row];
		uint64_t bit = (uint64_t)1 << (x % 64);

		if (!(seen[x / 64] & bit)) {
			seen[x / 64] |= bit;
			return 0;
		}
		for (was = 0; ss->sidx[was] != x; was++)
			;
		was++;
	} else {
		int added;
		void **v = strmap_slot(other, id, strlen(id), &added);

		if (added) {
			*v = (void *)(row + 1);
			return 0;
		}
		was = (size_t)*v;
	}
	if (ss->store)	/* custdb_load()'s words */
		return crm_error(err, "%s: id '%s' is already used on line %lu",
		    seg_stream_where(ss, row, at, sizeof(at)), q(id),
		    (unsigned long)ss->line[was - 1]);
	return crm_error(err, "%s: id '%s' appears twice (first at %s)",
	    seg_stream_where(ss, row, at, sizeof(at)), q(id),
	    seg_stream_where(ss, was - 1, prev, sizeof(prev)));
}

/*
 * The ids of the rows being read, looked up a batch at a time: each
 * lookup is a cache miss in an index of half a million customers, and
 * a batch waits for them together (summary_find_all()).  The ids are
 * copied, as a record's fields last only until the next.
 */
#define ID_BATCH 256
struct id_batch {
	struct sbuf text;
	size_t off[ID_BATCH];
	const char *id[ID_BATCH];
	long found[ID_BATCH];
	size_t first_row, n;
};

/* Look up the batch's ids and check each once, in row order. */
static int
flush_ids(struct seg_stream *ss, const struct seg_log *sl, struct id_batch *b,
    uint64_t *seen, struct strmap *other, struct crm_err *err)
{
	size_t i, n = b->n;

	b->n = 0;
	for (i = 0; i < n; i++)
		b->id[i] = b->text.buf + b->off[i];
	summary_find_all(&sl->sum, b->id, n, b->found);
	for (i = 0; i < n; i++) {
		size_t row = b->first_row + i;

		ss->sidx[row] = b->found[i] < 0 ? SEG_NOIDX : (uint32_t)b->found[i];
		if (check_once(ss, seen, other, b->id[i], row, err) < 0)
			return -1;
	}
	sb_reset(&b->text);
	return 0;
}

/* What is wrong with a row of the first reading, if anything. */
static int
row_error(struct seg_stream *ss, const struct seg_stream_file *sf,
    const struct rec *rec, const char *id, size_t row, struct crm_err *err)
{
	char at[600];

	if (rec->nf != sf->ncol)
		return crm_error(err, "%s:%ld: %zu fields where the header has %zu",
		    sf->path, rec->line, rec->nf, sf->ncol);
	if (row == UINT32_MAX - 1)
		return crm_error(err, "%s:%ld: too many rows", sf->path, rec->line);
	if (ss->store && !cust_valid_id(id))
		return crm_error(err, "%s: invalid id '%s'",
		    seg_stream_where(ss, row, at, sizeof(at)), q(id));
	if (!*id)
		return crm_error(err, "%s: no id",
		    seg_stream_where(ss, row, at, sizeof(at)));
	return 0;
}

int
seg_stream_index(struct seg_stream *ss, const struct seg_log *sl,
    struct crm_err *err)
{
	/* A bit for each customer (see check_once()). */
	uint64_t *seen = xcalloc(sl->sum.n / 64 + 1, sizeof(*seen));
	struct strmap other = STRMAP_INIT;
	struct id_batch *b = xcalloc(1, sizeof(*b));
	size_t cap = 0, i;
	int rc = 0;

	for (i = 0; i < ss->nfile && rc == 0; i++) {
		struct seg_stream_file *sf = &ss->file[i];
		struct reader *r = open_pass(sf, err);
		struct crm_err e;
		struct rec *rec;
		int k;

		if (!r) {
			rc = -1;
			break;
		}
		sf->first_row = ss->nrow;
		for (;;) {
			const char *id;
			size_t row = ss->nrow;

			/* Where each piece of the second pass begins. */
			if (ss->nfile == 1 && row % SEG_PIECE == 0) {
				ALLOC_GROW(ss->piece, ss->npiece + 1, ss->piece_cap);
				ss->piece[ss->npiece].row = row;
				ss->piece[ss->npiece].off = rd_tell(r);
				ss->piece[ss->npiece++].lines = rd_lines(r);
			}
			if ((k = rd_next(r, &rec, err)) <= 0)
				break;
			id = rec_get(rec, sf->id);

			if (row == cap) {
				size_t was = cap;

				cap = cap ? cap * 2 : 4096;
				ss->sidx = big_reallocarray(ss->sidx, was, cap,
				    sizeof(*ss->sidx));
				ss->line = big_reallocarray(ss->line, was, cap,
				    sizeof(*ss->line));
			}
			ss->line[row] = rec->line > UINT32_MAX ? UINT32_MAX :
			    (uint32_t)rec->line;
			if (row_error(ss, sf, rec, id, row, &e) < 0) {
				/* An id twice in the rows before comes first. */
				if (flush_ids(ss, sl, b, seen, &other, err) == 0)
					*err = e;
				k = -1;
				break;
			}
			ss->nrow++;
			if (b->n == 0)
				b->first_row = row;
			b->off[b->n++] = b->text.len;
			sb_add(&b->text, id, rec->len[sf->id] + 1);
			if (b->n == ID_BATCH &&
			    flush_ids(ss, sl, b, seen, &other, err) < 0) {
				k = -1;
				break;
			}
		}
		/* After a reader's error too: an id twice before it is the
		 * first error. */
		if (flush_ids(ss, sl, b, seen, &other, err) < 0)
			k = -1;
		sf->nrow = ss->nrow - sf->first_row;
		rd_close(r);
		if (k < 0)
			rc = -1;
	}
	free(seen);
	strmap_release(&other, 0);
	sb_release(&b->text);
	free(b);
	/* Only the messages of this pass name lines, unless asked. */
	if (!ss->keep_lines) {
		free(ss->line);
		ss->line = NULL;
	}
	return rc;
}

int
seg_stream_next(struct seg_stream *ss, const char *const **f, size_t *row,
    struct crm_err *err)
{
	for (;;) {
		struct seg_stream_file *sf;
		struct rec *rec;
		size_t j;
		int k;

		if (ss->cur >= ss->nfile)
			return 0;
		sf = &ss->file[ss->cur];
		if (!ss->r) {
			ss->r = open_pass(sf, err);
			if (!ss->r)
				return -1;
			ss->done = 0;
			if (!ss->f)
				ss->f = xcalloc(ss->cols.ncol, sizeof(*ss->f));
			/* A column this file lacks is empty in its rows. */
			for (j = 0; j < ss->cols.ncol; j++)
				ss->f[j] = "";
		}
		k = rd_next(ss->r, &rec, err);
		if (k < 0)
			return -1;
		if (k > 0 && ss->done < sf->nrow && rec->nf == sf->ncol) {
			for (j = 0; j < sf->ncol; j++)
				ss->f[sf->map[j]] = rec->f[j];
			*f = ss->f;
			*row = sf->first_row + ss->done++;
			return 1;
		}
		if (k != 0 || ss->done != sf->nrow)
			return changed(sf, err);
		if (unchanged(sf, err) < 0)
			return -1;
		rd_close(ss->r);
		ss->r = NULL;
		ss->cur++;
	}
}

size_t
seg_stream_pieces(struct seg_stream *ss)
{
	struct reader *r;
	struct crm_err e;
	int i;

	/* The last mark may be past the last row. */
	while (ss->npiece && ss->piece[ss->npiece - 1].row >= ss->nrow)
		ss->npiece--;
	if (ss->nfile != 1 || ss->npiece < 2)
		return 0;
	/* Clones of a reader of the file, made here, before the threads:
	 * opening that reader moves the descriptor's offset. */
	if (!(r = open_pass(&ss->file[0], &e)))
		return 0;	/* seg_stream_next() will say why */
	for (i = 0; i < 2; i++) {
		ss->pr[i] = rd_clone(r);
		ss->pf[i] = line_calloc(ss->cols.ncol ? ss->cols.ncol : 1,
		    sizeof(*ss->pf[i]));
	}
	rd_close(r);
	if (!ss->pr[0] || !ss->pr[1])
		return 0;
	return ss->npiece;
}

int
seg_stream_piece(struct seg_stream *ss, size_t k, int thread,
    seg_row_fn *row, void *arg, struct crm_err *err)
{
	const struct seg_stream_file *sf = &ss->file[0];
	const struct seg_piece *p = &ss->piece[k];
	int last = k + 1 == ss->npiece;
	/* Where the next piece begins (0: the end, for the last). */
	int64_t next = last ? 0 : ss->piece[k + 1].off;
	size_t end = last ? ss->nrow : ss->piece[k + 1].row, i, j;
	struct reader *r = ss->pr[thread];
	const char **f = ss->pf[thread];
	struct rec *rec;
	int n;

	for (j = 0; j < ss->cols.ncol; j++)
		f[j] = "";	/* none lacks a column: one file */
	/* The piece ends where the next begins: a file changed since the
	 * first reading is not to be read past it (as one field, say). */
	rd_seek(r, p->off, p->lines, next, next);
	for (i = p->row; i < end; i++) {
		if ((n = rd_next(r, &rec, err)) < 0)
			return -1;
		if (n == 0 || rec->nf != sf->ncol)
			return changed(sf, err);
		for (j = 0; j < sf->ncol; j++)
			f[sf->map[j]] = rec->f[j];
		row(arg, thread, f, i);
	}
	if (!last)
		return rd_tell(r) == next ? 0 : changed(sf, err);
	if ((n = rd_next(r, &rec, err)) <= 0)
		return n;
	return changed(sf, err);
}

int
seg_stream_pieces_end(struct seg_stream *ss, struct crm_err *err)
{
	return unchanged(&ss->file[0], err);
}

int
seg_stream_summarize(struct seg_stream *ss, const struct seg_log *sl,
    const struct rfm_table *t, int has_margin, int64_t margin_ppm,
    int margin_col, struct seg_groups *gs, struct crm_err *err)
{
	const char *const *rf;
	const char **order;
	struct crm_err e;
	size_t row, norder;
	char at[600];
	int rc;

	seg_groups_init(gs, has_margin);
	for (row = 0; row < ss->nrow; row++) {
		struct rfm_text tx;
		int64_t m = margin_ppm;
		size_t r = row;

		if (margin_col >= 0) {
			if (seg_stream_next(ss, &rf, &r, err) != 1)
				return -1;
			if (seg_margin(rf[margin_col], &m, &e) < 0)
				return crm_error(err, "%s: %s",
				    seg_stream_where(ss, r, at, sizeof(at)), e.msg);
		}
		rfm_text(t, ss->code[r], &tx);
		if (seg_group_add(gs, tx.v[RFM_NCOL - 1], ss->sidx[r] == SEG_NOIDX ?
		    0 : summary_at(&sl->sum, ss->sidx[r])->revenue, m, err) < 0)
			return -1;
	}
	/* The end, where a file changed since the first reading shows. */
	if (margin_col >= 0 && seg_stream_next(ss, &rf, &row, err) < 0)
		return -1;
	order = rfm_order(t, &norder);
	rc = seg_groups_finish(gs, order, norder, err);
	free(order);
	return rc;
}

void
seg_stream_release(struct seg_stream *ss)
{
	size_t i;

	if (ss->r)
		rd_close(ss->r);
	for (i = 0; i < 2; i++) {
		if (ss->pr[i])
			rd_close(ss->pr[i]);
		free(ss->pf[i]);
	}
	free(ss->piece);
	for (i = 0; i < ss->nfile; i++) {
		if (ss->file[i].fd >= 0)
			close(ss->file[i].fd);
		free(ss->file[i].path);
		free(ss->file[i].map);
	}
	free(ss->file);
	table_release(&ss->cols);
	free(ss->sidx);
	free(ss->line);
	free(ss->code);
	free(ss->f);
	memset(ss, 0, sizeof(*ss));
	ss->id = -1;
}
