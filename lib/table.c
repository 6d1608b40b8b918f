/*
 * table.c - files held in memory, a row per allocation.
 */
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "writer.h"

/* What comes before a row's pointers. */
struct rowhead {
	uint32_t ncol;
	uint32_t own;		/* a block of its own, not in a chunk */
};

static const struct rowhead *
row_head(char *const *row)
{
	return (const struct rowhead *)(const void *)row - 1;
}

/*
 * Chunks grow from 64 kB, for the small tables, to one huge page (where
 * the system has them: fewer page faults for the big ones).
 */
#define CHUNK_MIN ((size_t)64 << 10)
#define CHUNK ((size_t)2 << 20)

/*
 * A row of ncol fields: f[i] of len[i] bytes (len NULL: strlen(f[i]);
 * f[i] NULL: empty), in a chunk of t's when in_chunk, else in a block of
 * its own.
 */
static char **
make_row(struct table *t, size_t ncol, const char *const *f, const size_t *len,
    int in_chunk)
{
	size_t i, text = 0, off, size;
	struct rowhead *h;
	char **row, *p;

	for (i = 0; i < ncol; i++)
		text += (len ? len[i] : (f[i] ? strlen(f[i]) : 0)) + 1;
	size = sizeof(*h) + ncol * sizeof(char *) + text;
	size = (size + 7) & ~(size_t)7;
	if (in_chunk && size <= CHUNK_MIN / 4) {
		if (size > t->chunk_left) {
			size_t n = t->nchunk < 5 ? CHUNK_MIN << t->nchunk : CHUNK;

			t->chunk = xreallocarray(t->chunk, t->nchunk + 1, sizeof(*t->chunk));
			t->chunk_free = t->chunk[t->nchunk++] = big_alloc(n);
			t->chunk_left = n;
		}
		h = (struct rowhead *)(void *)t->chunk_free;
		t->chunk_free += size;
		t->chunk_left -= size;
		h->own = 0;
	} else {
		h = xmalloc(size);
		h->own = 1;
	}
	h->ncol = (uint32_t)ncol;
	row = (char **)(void *)(h + 1);
	p = (char *)(row + ncol);
	for (i = 0, off = 0; i < ncol; i++) {
		size_t n = len ? len[i] : (f[i] ? strlen(f[i]) : 0);

		row[i] = p + off;
		if (n)
			memcpy(p + off, f[i], n);
		p[off + n] = '\0';
		off += n + 1;
	}
	return row;
}

static void
free_row(char **row)
{
	if (row && row_head(row)->own)
		free((void *)row_head(row));
}

int
table_col(const struct table *t, const char *name)
{
	void *v = strmap_get(&t->colidx, name);

	return v ? (int)((size_t)v - 1) : -1;
}

void
table_add_cols(struct table *t, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (table_col(t, names[i]) >= 0)
			continue;
		ALLOC_GROW(t->col, t->ncol + 1, t->colcap);
		t->col[t->ncol] = xstrdup(names[i]);
		strmap_put(&t->colidx, names[i], (void *)(t->ncol + 1));
		t->ncol++;
	}
}

size_t
table_add_col(struct table *t, const char *name)
{
	int c = table_col(t, name);

	if (c >= 0)
		return (size_t)c;
	table_add_cols(t, &name, 1);
	return t->ncol - 1;
}

/* Room for one more row and its line. */
static void
row_room(struct table *t)
{
	if (t->nrow < t->rowcap)
		return;
	ALLOC_GROW(t->row, t->nrow + 1, t->rowcap);
	t->line = xreallocarray(t->line, t->rowcap, sizeof(*t->line));
}

void
table_add_row(struct table *t, const char *const *fields, long line)
{
	row_room(t);
	t->row[t->nrow] = make_row(t, t->ncol, fields, NULL, 1);
	t->line[t->nrow] = line;
	t->nrow++;
}

int
table_read(struct table *t, struct reader *r, struct crm_err *err)
{
	struct rec *rec;
	size_t i;
	int k;

	for (i = t->ncol; i < rd_ncol(r); i++)
		table_add_col(t, rd_colname(r, i));
	while ((k = rd_next(r, &rec, err)) > 0) {
		for (i = t->ncol; i < rd_ncol(r); i++)
			table_add_col(t, rd_colname(r, i));
		if (rec->nf != t->ncol)
			return crm_error(err, "%s:%ld: %zu fields where the header "
			    "has %zu", rd_name(r), rec->line, rec->nf, t->ncol);
		row_room(t);
		t->row[t->nrow] = make_row(t, t->ncol, (const char *const *)rec->f,
		    rec->len, 1);
		t->line[t->nrow] = rec->line;
		t->nrow++;
	}
	return k;
}

const char *
table_get(const struct table *t, size_t r, int c)
{
	if (c < 0 || r >= t->nrow || (size_t)c >= row_head(t->row[r])->ncol)
		return "";
	return t->row[r][c];
}

void
table_fields(const struct table *t, size_t r, const char **f)
{
	size_t j;

	for (j = 0; j < t->ncol; j++)
		f[j] = table_get(t, r, (int)j);
}

void
table_set(struct table *t, size_t r, size_t c, const char *value)
{
	const char **f = xcalloc(t->ncol, sizeof(*f));
	char **old = t->row[r];

	table_fields(t, r, f);
	f[c] = value;
	t->row[r] = make_row(t, t->ncol, f, NULL, 0);
	free_row(old);
	free(f);
}

static void
format_line(struct sbuf *out, const char *const *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			sb_addc(out, ',');
		csv_field(out, f[i], strlen(f[i]));
	}
	sb_addc(out, '\n');
}

void
table_format(const struct table *t, struct sbuf *out)
{
	const char **f = xcalloc(t->ncol ? t->ncol : 1, sizeof(*f));
	size_t i;

	format_line(out, (const char *const *)t->col, t->ncol);
	for (i = 0; i < t->nrow; i++) {
		table_fields(t, i, f);
		format_line(out, f, t->ncol);
	}
	free(f);
}

void
table_release(struct table *t)
{
	size_t i;

	for (i = 0; i < t->ncol; i++)
		free(t->col[i]);
	free(t->col);
	for (i = 0; i < t->nrow; i++)
		free_row(t->row[i]);
	for (i = 0; i < t->nchunk; i++)
		free(t->chunk[i]);
	free(t->chunk);
	free(t->row);
	free(t->line);
	strmap_release(&t->colidx, 0);
	memset(t, 0, sizeof(*t));
}
