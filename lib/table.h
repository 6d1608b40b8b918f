/*
 * table.h - a whole CSV or JSON Lines file in memory, for the files
 * that are small enough to hold and are changed as a whole
 * (customers.csv) or joined by key (customer rows in crm-segment).
 *
 * Each row is a single block: its width, its pointers and the text they
 * point into.  Rows read or added are laid end to end in chunks (a
 * malloc() each would cost a third of a short row again); a row changed
 * later (table_set()) is a block of its own.  A row is as wide as the
 * table was when it was made: columns added later are empty in it
 * without rebuilding it, so read rows with table_get() or table_fields().
 * The table owns everything in it.
 */
#ifndef CRM_TABLE_H
#define CRM_TABLE_H

#include "reader.h"
#include "util.h"

struct table {
	size_t ncol, colcap;
	char **col;
	struct strmap colidx;	/* name -> index + 1 */
	size_t nrow, rowcap;
	char ***row;
	long *line;		/* the input line of each row (0: added here) */
	char **chunk;		/* where the rows read or added are */
	size_t nchunk;
	char *chunk_free;	/* the free end of the last chunk */
	size_t chunk_left;
};
#define TABLE_INIT { 0, 0, NULL, STRMAP_INIT, 0, 0, NULL, NULL, NULL, 0, NULL, 0 }

/*
 * table_read() appends every record of r to t.  The first call takes
 * the columns from r; JSON Lines keys seen later become new columns.
 * Returns 0, or -1 with err filled (t keeps what was read).
 */
int table_read(struct table *t, struct reader *r, struct crm_err *err);
/* table_col() is the index of a column, or -1. */
int table_col(const struct table *t, const char *name);
/* table_add_col() adds a column (empty in every row); returns its index. */
size_t table_add_col(struct table *t, const char *name);
/* table_add_cols() adds those of n columns that are missing. */
void table_add_cols(struct table *t, const char *const *names, size_t n);
/* table_add_row() copies ncol fields (NULL: empty) in as a new row. */
void table_add_row(struct table *t, const char *const *fields, long line);
/* table_get() gives field c of row r, "" when c is -1. */
const char *table_get(const struct table *t, size_t r, int c);
/* table_fields() points f[0..ncol-1] at the fields of row r. */
void table_fields(const struct table *t, size_t r, const char **f);
/* table_set() replaces field c of row r with a copy of value. */
void table_set(struct table *t, size_t r, size_t c, const char *value);
/* table_format() appends the table as CSV, header first, to out. */
void table_format(const struct table *t, struct sbuf *out);
void table_release(struct table *t);

#endif
