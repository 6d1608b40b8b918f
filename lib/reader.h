/*
 * reader.h - turning the bytes of a CSV or JSON Lines file into records.
 *
 * CSV is RFC 4180 as libcsv parses it in strict mode, with no blanks
 * trimmed: fields are exactly the bytes between the commas.  Line ends
 * may be LF, CRLF or a lone CR; a UTF-8 byte-order mark at the start is
 * skipped.  Every line must be valid UTF-8 without NUL bytes.  JSON
 * Lines has one object per line; its keys become columns in the order
 * they are first seen.  The format is told by the first character that
 * is not white space: '{' means JSON Lines.
 *
 * Most records contain no double quote at all; those are split in place
 * without libcsv (the fast path), which gives exactly the records libcsv
 * would give.  Every record with a quote goes through libcsv.
 */
#ifndef CRM_READER_H
#define CRM_READER_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

enum rd_format { RD_AUTO, RD_CSV, RD_JSONL };

struct rd_opts {
	enum rd_format format;
	int no_header;	/* CSV without a header line: fields by position */
	/*
	 * Store files: the last record must end with a line end.  A record
	 * cut short by a crash is then reported, not taken for data.
	 */
	int strict_eol;
	int64_t limit;	/* read no more than this many bytes (0: all, -1: none) */
	int no_fast;	/* feed every record to libcsv (for tests) */
	/*
	 * CSV without a header line whose columns are these names, separated
	 * by commas: what a Hadoop Streaming reducer or a GNU parallel shard
	 * gets.
	 */
	const char *columns;
	/*
	 * The input ends (at limit) where an append was cut short: reaching
	 * the end is the error of an incomplete last record.
	 */
	int torn_at_end;
	/* The first size of the read buffer (0: 1 MB); the fuzz targets
	 * make it tiny so that lines cross its edge all the time. */
	size_t bufsize;
};

/*
 * A record.  f[i] is NUL-terminated and len[i] is its length; both stay
 * valid until the next rd_next() or rd_close().  line is the physical
 * line where the record starts (the header is line 1) and offset the
 * byte offset of that line.
 */
struct rec {
	size_t nf;
	const char **f;
	size_t *len;
	long line;
	int64_t offset;
};

struct reader;

/*
 * rd_open() opens path ("-" or NULL for standard input) and, unless
 * no_header, reads the header.  Returns NULL with the message in err.
 * The reader owns its buffers; rd_close() frees them and closes path.
 */
struct reader *rd_open(const char *path, const struct rd_opts *o,
    struct crm_err *err);
/* rd_fdopen() reads an open descriptor; name is used in messages. */
struct reader *rd_fdopen(int fd, const char *name, const struct rd_opts *o,
    struct crm_err *err);
void rd_close(struct reader *r);

/* rd_next() returns 1 with *rec set, 0 at the end, -1 on an error. */
int rd_next(struct reader *r, struct rec **rec, struct crm_err *err);

/* The name used in messages: the path, or "stdin". */
const char *rd_name(const struct reader *r);
enum rd_format rd_format(const struct reader *r);
/* Lines read so far. */
long rd_lines(const struct reader *r);

/*
 * The columns.  rd_col() gives the index of a column, or -1; for JSON
 * Lines, where a key may first appear on any line, it adds the column
 * so that the index stays valid (records without the key give "").
 */
size_t rd_ncol(const struct reader *r);
const char *rd_colname(const struct reader *r, size_t i);
int rd_col(struct reader *r, const char *name);
int rd_col_find(const struct reader *r, const char *name);

/*
 * The offset where the last record that was read in full ends: for
 * moving a torn last record aside (crm-log --repair).
 */
int64_t rd_good_end(const struct reader *r);
/* The number of lines up to that offset. */
long rd_good_lines(const struct reader *r);

/*
 * rd_torn() tells whether the error rd_next() last returned was a last
 * record cut short (strict_eol), which crm-log --repair can move aside.
 */
int rd_torn(const struct reader *r);

/*
 * Reading one file by two threads at once (summary_scan()).
 *
 * rd_clone() returns a reader of r's file that shares r's descriptor,
 * name, options and columns, and reads with pread(), so that it and r
 * do not move each other: NULL when r is not CSV or its descriptor has
 * no offsets (a pipe).  It reads nothing until rd_seek().  Offsets are
 * those of rec.offset: from where r started reading.
 *
 * rd_seek() puts a clone at off, outside any record, as if lineno lines
 * came before: from there it gives the records a reader that got to off
 * would give, with their line numbers.  Its reads stop at soft_end while
 * they are short of it (0: no such bound), so that a reader of a part
 * of a file reads little past the part.  hard_end (0: none) is an end
 * of the input, as limit is: a reader put at a wrong guess may take the
 * rest of the file for one quoted field, and must not hold it all.
 * Records read up to an end that is not the file's may differ from the
 * file's (a last record without a line end is taken whole): rd_at_end()
 * tells whether the reader came to the end of its input, after which
 * its records are not to be trusted when that end was hard_end.
 *
 * rd_tell() is where the next record (or blank line) begins, between
 * records.  rd_cut() guesses where a record begins at or after off: just
 * after a line feed, preferably one after which the next few lines read
 * as records of the header's number of fields (off itself when there is
 * no line feed in the 8 KB after it).  A guess inside a quoted field is
 * possible; the caller finds it out by reading up to it from a known
 * record start (does rd_tell() come to the guess exactly?).
 *
 * rd_end_at() leaves r as if it had read everything up to off, which
 * ends the file, in lineno lines: for r once clones have read the rest.
 * Only its position and line count are right: it is for a reader about
 * to be closed (its descriptor's offset is where r left it).
 */
struct reader *rd_clone(const struct reader *r);
void rd_seek(struct reader *r, int64_t off, long lineno, int64_t soft_end,
    int64_t hard_end);
int64_t rd_tell(const struct reader *r);
int rd_at_end(const struct reader *r);
int64_t rd_cut(const struct reader *r, int64_t off);
void rd_end_at(struct reader *r, int64_t off, long lineno);

/* rec_get() returns field i of rec, or "" when i is -1 or past the end. */
static inline const char *
rec_get(const struct rec *rec, int i)
{
	return i < 0 || (size_t)i >= rec->nf ? "" : rec->f[i];
}

#endif
