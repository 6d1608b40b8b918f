/*
 * table.c - files held in memory, a row per allocation.
 */
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "writer.h"

static char **
make_row(size_t ncol, const char *const *f, const size_t *len)
{
	size_t i, text = 0, off;
	char **row, *p;

	for (i = 0; i < ncol; i++)
		text += (len ? len[i] : (f[i] ? strlen(f[i]) : 0)) + 1;
	row = xmalloc(ncol * sizeof(char *) + text);
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

int
table_col(const struct table *t, const char *name)
{
	void *v = strmap_get(&t->colidx, name);

	return v ? (int)((size_t)v - 1) : -1;
}

void
table_add_cols(struct table *t, const char *const *names, size_t n)
{
	const char **f;
	size_t i, j, before = t->ncol;

	for (i = 0; i < n; i++) {
		if (table_col(t, names[i]) >= 0)
			continue;
		ALLOC_GROW(t->col, t->ncol + 1, t->colcap);
		t->col[t->ncol] = xstrdup(names[i]);
		strmap_put(&t->colidx, names[i], (void *)(t->ncol + 1));
		t->ncol++;
	}
	if (t->ncol == before || t->nrow == 0)
		return;
	/* Rows are single blocks, so each one is rebuilt wider. */
	f = xcalloc(t->ncol, sizeof(*f));
	for (i = 0; i < t->nrow; i++) {
		char **old = t->row[i];

		for (j = 0; j < t->ncol; j++)
			f[j] = j < before ? old[j] : "";
		t->row[i] = make_row(t->ncol, f, NULL);
		free(old);
	}
	free(f);
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

void
table_add_row(struct table *t, const char *const *fields, long line)
{
	ALLOC_GROW(t->row, t->nrow + 1, t->rowcap);
	t->line = xreallocarray(t->line, t->rowcap, sizeof(*t->line));
	t->row[t->nrow] = make_row(t->ncol, fields, NULL);
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
		ALLOC_GROW(t->row, t->nrow + 1, t->rowcap);
		t->line = xreallocarray(t->line, t->rowcap, sizeof(*t->line));
		t->row[t->nrow] = make_row(t->ncol, rec->f, rec->len);
		t->line[t->nrow] = rec->line;
		t->nrow++;
	}
	return k;
}

const char *
table_get(const struct table *t, size_t r, int c)
{
	if (c < 0 || (size_t)c >= t->ncol || r >= t->nrow)
		return "";
	return t->row[r][c];
}

void
table_set(struct table *t, size_t r, size_t c, const char *value)
{
	const char **f = xcalloc(t->ncol, sizeof(*f));
	char **old = t->row[r];
	size_t j;

	for (j = 0; j < t->ncol; j++)
		f[j] = j == c ? value : old[j];
	t->row[r] = make_row(t->ncol, f, NULL);
	free(old);
	free(f);
}

static void
format_line(struct sbuf *out, char *const *f, size_t n)
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
	size_t i;

	format_line(out, t->col, t->ncol);
	for (i = 0; i < t->nrow; i++)
		format_line(out, t->row[i], t->ncol);
}

void
table_release(struct table *t)
{
	size_t i;

	for (i = 0; i < t->ncol; i++)
		free(t->col[i]);
	free(t->col);
	for (i = 0; i < t->nrow; i++)
		free(t->row[i]);
	free(t->row);
	free(t->line);
	strmap_release(&t->colidx, 0);
	memset(t, 0, sizeof(*t));
}
