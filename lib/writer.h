/*
 * writer.h - turning records into CSV, JSON Lines or a terminal table.
 *
 * Every tool writes its rows through a writer, so that --csv, --json,
 * --table and --safe mean the same everywhere.  CSV quotes a field only
 * when it must (a comma, quote, CR or LF in it), with libcsv doing the
 * quoting.  JSON Lines writes one object per row with Jansson; columns
 * of type COL_NUM become JSON numbers (null when empty), all others
 * strings.  The table pads by display width, so that Cyrillic, Slovak
 * and Norwegian names line up, and shows control characters harmlessly.
 */
#ifndef CRM_WRITER_H
#define CRM_WRITER_H

#include <stdio.h>

#include "util.h"

enum out_format { OUT_CSV, OUT_JSON, OUT_TABLE };
enum col_type { COL_TEXT, COL_NUM };

/*
 * out_choose() picks the format from the options (json/csv/table set to
 * 1 when given): the table when none is given and fd is a terminal.
 */
enum out_format out_choose(int json, int csv, int table, int fd);

struct writer;

/*
 * wr_open() writes to fp (which stays the caller's to close).  With
 * safe, CSV cells that a spreadsheet would run as a formula (starting
 * with = + - @, a tab or CR, and not simply a number) get a leading
 * apostrophe.
 */
struct writer *wr_open(FILE *fp, enum out_format fmt, int safe);
/* The columns; types may be NULL (all text).  Arrays are copied. */
void wr_header(struct writer *w, size_t n, const char *const *names,
    const enum col_type *types);
/* One row of as many fields as the header has; NULL is an empty field. */
void wr_row(struct writer *w, const char *const *fields);
/*
 * wr_rows() writes rows 0..n-1 as wr_row() would, each made by
 * make(arg, i, f, buf): f gets the header's number of fields, which may
 * point into buf, as many buffers of 40 bytes.  With threads > 1 and CSV
 * output, the rows are made and formatted by two threads, so make()
 * must be safe to call from both at once; they are still written in
 * order.
 */
typedef void wr_make_fn(void *arg, size_t i, const char **f, char (*buf)[40]);
void wr_rows(struct writer *w, size_t n, wr_make_fn *make, void *arg,
    int threads);
/*
 * wr_pieces() writes the CSV of n pieces in order, each piece's lines
 * made by make(arg, k, thread, sb) into sb (with wr_format()).  With
 * threads > 1 the pieces are made by two threads at once (thread: 0 the
 * caller's, 1 the other), so make() must be safe so; they are still
 * written in order.  make() returns 0, or -1 to stop (keeping its error
 * where its caller will find it): the pieces before the failed one are
 * written, and the lines it made before its error, as one thread would
 * have written them, none after.  Returns 0 or -1.
 */
typedef int wr_piece_fn(void *arg, size_t k, int thread, struct sbuf *sb);
int wr_pieces(struct writer *w, size_t n, wr_piece_fn *make, void *arg,
    int threads);
/* wr_format() appends the CSV line of f to sb; safe in two threads. */
void wr_format(const struct writer *w, struct sbuf *sb, const char *const *f);
/*
 * wr_close() writes what is buffered (the table), frees w and reports a
 * failed write on fp.  Returns 0 or -1 with err filled.
 */
int wr_close(struct writer *w, struct crm_err *err);

/* csv_field() appends one CSV field, quoted when needed, to sb. */
void csv_field(struct sbuf *sb, const char *s, size_t n);
/* Would a spreadsheet take s for a formula? (see --safe) */
int looks_like_formula(const char *s);

#endif
