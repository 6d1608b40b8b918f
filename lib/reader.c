/*
 * reader.c - CSV (libcsv, with a fast path) and JSON Lines records.
 *
 * The file is read in large blocks.  A record that is whole in the
 * buffer, with its quotes (if any) as RFC 4180 has them, is cut in place
 * by the fast path (fast_record()).  Anything else is cut into physical
 * lines that go to libcsv one at a time, so that the line where each
 * record starts is known for the messages: a record that is not finished
 * at a line end is inside a quoted field and goes on on the next line.
 */
#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "reader.h"

#define RD_BUFSZ ((size_t)1 << 20)
/* A single line may not exceed this: a guard against unbounded memory. */
#define RD_MAX_LINE ((size_t)256 << 20)

struct reader {
	int fd;
	int own_fd;
	char *name;
	struct rd_opts o;
	enum rd_format fmt;

	char *buf;
	size_t cap, start, end;
	int eof;
	int64_t base;		/* file offset of buf[0] */
	int64_t nread;		/* bytes read from fd */
	size_t nl_pos;		/* next '\n' at or after start, or SIZE_MAX */
	size_t nl_scan;		/* no '\n' in [start, nl_scan) */
	long lineno;		/* lines handed out so far */
	int64_t line_off;	/* offset of the last line handed out */

	size_t ncol, colcap;
	char **col;
	struct strmap colidx;	/* name -> index + 1 */

	struct rec rec;
	size_t fcap;
	struct sbuf arena;	/* fields of a libcsv or JSON record */
	size_t *foff;
	size_t foffcap, nfield;

	struct csv_parser csv;
	int in_record;		/* inside a record that spans lines */
	int rec_done;
	long rec_line;
	int64_t rec_off;
	int64_t good_end;
	long good_lines;
	int torn;

	/* A clone (rd_clone()) reads with pread() from origin + nread, and
	 * while nread is below soft_end reads no further than that.  Its
	 * o.limit is set by rd_seek(), from limit0, the reader's own. */
	int clone;
	int64_t origin;
	int64_t soft_end;
	int64_t limit0;
};

static const char empty[] = "";

const char *
rd_name(const struct reader *r)
{
	return r->name;
}

enum rd_format
rd_format(const struct reader *r)
{
	return r->fmt;
}

long
rd_lines(const struct reader *r)
{
	return r->lineno;
}

int64_t
rd_good_end(const struct reader *r)
{
	return r->good_end;
}

long
rd_good_lines(const struct reader *r)
{
	return r->good_lines;
}

int
rd_torn(const struct reader *r)
{
	return r->torn;
}

size_t
rd_ncol(const struct reader *r)
{
	return r->ncol;
}

const char *
rd_colname(const struct reader *r, size_t i)
{
	return i < r->ncol ? r->col[i] : empty;
}

int
rd_col_find(const struct reader *r, const char *name)
{
	void *v = strmap_get(&r->colidx, name);

	return v ? (int)((size_t)v - 1) : -1;
}

static size_t
add_col(struct reader *r, const char *name, size_t len)
{
	int added;
	void **slot = strmap_slot(&r->colidx, name, len, &added);

	if (!added)
		return (size_t)*slot - 1;
	ALLOC_GROW(r->col, r->ncol + 1, r->colcap);
	r->col[r->ncol] = xstrndup(name, len);
	*slot = (void *)(r->ncol + 1);
	return r->ncol++;
}

int
rd_col(struct reader *r, const char *name)
{
	if (r->fmt == RD_JSONL)
		return (int)add_col(r, name, strlen(name));
	return rd_col_find(r, name);
}

/* Read more bytes, keeping [start, end).  Returns 0, or -1 on an error. */
static int
fill(struct reader *r, struct crm_err *err)
{
	size_t want;
	ssize_t n;

	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		if (r->nl_pos != SIZE_MAX)
			r->nl_pos -= r->start;
		r->nl_scan = r->nl_scan > r->start ? r->nl_scan - r->start : 0;
		r->end -= r->start;
		r->base += (int64_t)r->start;
		r->start = 0;
	}
	/* One byte stays free for the NUL that ends a final line. */
	if (r->end + 1 >= r->cap) {
		if (r->cap >= RD_MAX_LINE)
			return crm_error(err, "%s:%ld: line longer than %zu MB",
			    r->name, r->lineno + 1, RD_MAX_LINE >> 20);
		r->cap *= 2;
		r->buf = xrealloc(r->buf, r->cap);
	}
	want = r->cap - r->end - 1;
	if (r->o.limit < 0)
		want = 0;
	else if (r->o.limit > 0 && (int64_t)want > r->o.limit - r->nread)
		/* A clone may be put past the limit (rd_seek()). */
		want = r->o.limit > r->nread ? (size_t)(r->o.limit - r->nread) : 0;
	if (want == 0) {
		r->eof = 1;
		return 0;
	}
	if (r->clone && r->soft_end > r->nread &&
	    (int64_t)want > r->soft_end - r->nread)
		want = (size_t)(r->soft_end - r->nread);
	do
		n = r->clone ? pread(r->fd, r->buf + r->end, want, r->origin + r->nread) :
		    read(r->fd, r->buf + r->end, want);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return crm_error(err, "%s: %s", r->name, strerror(errno));
	if (n == 0)
		r->eof = 1;
	r->end += (size_t)n;
	r->nread += n;
	return 0;
}

/*
 * next_line() hands out the next physical line: *line and its length
 * *n without the line end, and *tl the length of the line end (0 for a
 * last line without one).  A line end is LF, CRLF or a lone CR.
 * Returns 1, 0 at the end of the input, or -1.
 */
static int
next_line(struct reader *r, char **line, size_t *n, size_t *tl,
    struct crm_err *err)
{
	for (;;) {
		size_t lim, next, len, t;
		char *cr;

		if (r->nl_pos == SIZE_MAX || r->nl_pos < r->start) {
			size_t from = r->start > r->nl_scan ? r->start : r->nl_scan;
			char *p = memchr(r->buf + from, '\n', r->end - from);

			r->nl_pos = p ? (size_t)(p - r->buf) : SIZE_MAX;
			r->nl_scan = p ? (size_t)(p - r->buf) : r->end;
		}
		lim = r->nl_pos != SIZE_MAX ? r->nl_pos : r->end;
		cr = memchr(r->buf + r->start, '\r', lim - r->start);
		if (cr) {
			size_t c = (size_t)(cr - r->buf);

			if (r->nl_pos != SIZE_MAX && c + 1 == r->nl_pos) {
				len = c - r->start;
				t = 2;
				next = c + 2;
				goto found;
			}
			/* A lone CR, unless the byte after it is still unread. */
			if (c + 1 < r->end || r->eof) {
				len = c - r->start;
				t = 1;
				next = c + 1;
				goto found;
			}
		} else if (r->nl_pos != SIZE_MAX) {
			len = r->nl_pos - r->start;
			t = 1;
			next = r->nl_pos + 1;
			goto found;
		} else if (r->eof) {
			if (r->start == r->end)
				return 0;
			len = r->end - r->start;
			t = 0;
			next = r->end;
			goto found;
		}
		if (r->eof && r->start == r->end)
			return 0;
		if (fill(r, err) < 0)
			return -1;
		continue;
found:
		*line = r->buf + r->start;
		*n = len;
		*tl = t;
		r->line_off = r->base + (int64_t)r->start;
		r->start = next;
		r->lineno++;
		return 1;
	}
}

static int
check_text(struct reader *r, const char *s, size_t n, struct crm_err *err)
{
	size_t bad = utf8_invalid_at(s, n);

	if (bad == (size_t)-1 && !memchr(s, '\0', n))
		return 0;
	if (memchr(s, '\0', bad == (size_t)-1 ? n : bad))
		return crm_error(err, "%s:%ld: NUL byte in the data", r->name,
		    r->lineno);
	return crm_error(err, "%s:%ld: invalid UTF-8 (byte 0x%02x at column %zu)",
	    r->name, r->lineno, (unsigned char)s[bad], bad + 1);
}

static void
fields_reserve(struct reader *r, size_t n)
{
	if (n > r->fcap) {
		size_t nc = r->fcap ? r->fcap : 16;

		while (nc < n)
			nc *= 2;
		r->rec.f = xreallocarray(r->rec.f, nc, sizeof(*r->rec.f));
		r->rec.len = xreallocarray(r->rec.len, nc, sizeof(*r->rec.len));
		r->fcap = nc;
	}
}

static void
on_field(void *s, size_t len, void *data)
{
	struct reader *r = data;

	ALLOC_GROW(r->foff, r->nfield + 1, r->foffcap);
	r->foff[r->nfield++] = r->arena.len;
	sb_add(&r->arena, s ? s : "", s ? len : 0);
	sb_addc(&r->arena, '\0');
}

static void
on_record(int c, void *data)
{
	struct reader *r = data;

	(void)c;
	r->rec_done = 1;
}

static void
arena_to_rec(struct reader *r)
{
	size_t i;

	fields_reserve(r, r->nfield);
	for (i = 0; i < r->nfield; i++) {
		size_t end = i + 1 < r->nfield ? r->foff[i + 1] - 1 : r->arena.len - 1;

		r->rec.f[i] = r->arena.buf + r->foff[i];
		r->rec.len[i] = end - r->foff[i];
	}
	r->rec.nf = r->nfield;
}

static int
no_space(unsigned char c)
{
	(void)c;
	return 0;	/* keep every blank: a field is exactly its bytes */
}

/*
 * libcsv in strict mode, keeping blanks.  A field's buffer grows by
 * 64 KB, not libcsv's 128 bytes: a quoted field of a megabyte (one left
 * open to the end of a file) was 8,000 realloc()s, each a copy under
 * a sanitizer.
 */
static int
csv_setup(struct csv_parser *p)
{
	if (csv_init(p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return -1;
	csv_set_space_func(p, no_space);
	csv_set_blk_size(p, 65536);
	return 0;
}

static int
torn(struct reader *r, struct crm_err *err)
{
	r->torn = 1;
	return crm_error(err, "%s:%ld: incomplete last record (cut short by a "
	    "crash?); 'crm-log --repair' moves it aside", r->name, r->rec_line);
}

/*
 * The masks of 64 bytes at p: bit i of *comma when p[i] is a comma, of
 * *quote for a double quote, of *lf, of *other for a CR or a NUL, of
 * *hi for a byte of 0x80 or more.  Only the first n bytes (n <= 64)
 * count.  64 bytes a block, not 32: a record of the bench's log (58
 * bytes on average) mostly takes one block, and the work per block
 * (finding the stops, the bookkeeping) halves.
 */
struct masks {
	uint64_t comma, quote, lf, other, hi;
};

static void
scan64(const char *p, size_t n, struct masks *m)
{
#ifdef __SSE2__
	if (n == 64) {
		__m128i cm = _mm_set1_epi8(','), qu = _mm_set1_epi8('"');
		__m128i nl = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
		__m128i z = _mm_setzero_si128();
		int i;

		memset(m, 0, sizeof(*m));
		for (i = 0; i < 4; i++) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i));

#define MASK(x) ((uint64_t)(uint32_t)_mm_movemask_epi8(x) << (16 * i))
			m->comma |= MASK(_mm_cmpeq_epi8(v, cm));
			m->quote |= MASK(_mm_cmpeq_epi8(v, qu));
			m->lf |= MASK(_mm_cmpeq_epi8(v, nl));
			m->other |= MASK(_mm_or_si128(_mm_cmpeq_epi8(v, cr),
			    _mm_cmpeq_epi8(v, z)));
			m->hi |= MASK(v);
#undef MASK
		}
		return;
	}
#endif
	{
		size_t i;

		memset(m, 0, sizeof(*m));
		for (i = 0; i < n; i++) {
			unsigned char c = (unsigned char)p[i];
			uint64_t bit = (uint64_t)1 << i;

			if (c == ',')
				m->comma |= bit;
			else if (c == '"')
				m->quote |= bit;
			else if (c == '\n')
				m->lf |= bit;
			else if (c == '\r' || c == '\0')
				m->other |= bit;
			else if (c >= 0x80)
				m->hi |= bit;
		}
	}
}

/* Only the first fields may be quoted on the fast path: a bit for each
 * in fast_record()'s quoted and doubled. */
#define FAST_MAXQ 64

/*
 * The fast path: the record at r->start when all of it is in the buffer
 * up to its LF, with no NUL, no CR but one just before that LF, valid
 * UTF-8, and quotes only as RFC 4180 has them: around a whole field
 * (among the first FAST_MAXQ), doubled inside it, which may hold LFs.
 * One pass over the bytes, 64 at a time, finds the record's end and its
 * commas outside quotes, and cuts the fields there as it goes (one loop
 * over the fields, not a second one to cut them: 7% fewer instructions
 * in the fast path); a record that does not qualify gets its commas
 * back before libcsv sees it.  Quoted fields are unquoted in place at
 * the end.  Returns 1 with the record set, or 0 to leave it to
 * next_csv()'s general path, which gives the same record (the
 * differential test in tests/unit/test_reader.c holds the two to it)
 * or the error.
 */
static int
fast_record(struct reader *r)
{
	char *s = r->buf + r->start, *e = r->buf + r->end, *p = s, *end = NULL;
	char *prev = s;		/* where the field scanned begins */
	size_t nf = 1, i, nlf = 0;
	uint64_t quoted = 0, doubled = 0;
	uint64_t skip = 0;
	const char *hi = NULL;	/* the first byte of 0x80 or more */
	int inq = 0;
	const char **fv;
	size_t *lv;

	if (p == e || *p == '\n' || *p == '\r')
		return 0;
	if (r->fcap < 64)
		fields_reserve(r, 64);
	/* In locals: stores through r->rec.f would make the compiler
	 * reload it after each. */
	fv = r->rec.f;
	lv = r->rec.len;
	fv[0] = s;
	while (!end) {
		size_t n = (size_t)(e - p) < 64 ? (size_t)(e - p) : 64;
		struct masks m;
		uint64_t done;		/* the bytes of the block dealt with */

		if (n == 0)
			goto not_fast;	/* no end in the buffer yet */
		scan64(p, n, &m);
		if (nf + 64 > r->fcap) {
			fields_reserve(r, nf + 64);
			fv = r->rec.f;
			lv = r->rec.len;
		}
		done = skip;
		skip = 0;
		for (;;) {
			uint64_t stop, below, x;
			unsigned k;
			char *c;

			if (!inq) {
				/* Commas up to the first quote, LF, CR or NUL. */
				stop = (m.quote | m.lf | m.other) & ~done;
				below = stop ? (stop & -stop) - 1 : ~(uint64_t)0;
				/* Each comma ends a field: cut there at once, and
				 * put back if the record is not for this path. */
				for (x = m.comma & below & ~done; x; x &= x - 1) {
					char *q = p + __builtin_ctzll(x);

					lv[nf - 1] = (size_t)(q - prev);
					*q = '\0';
					prev = q + 1;
					fv[nf++] = prev;
				}
				if (!stop)
					break;
				k = (unsigned)__builtin_ctzll(stop);
				c = p + k;
				done = below | (uint64_t)1 << k;
				if (*c == '\n') {
					end = c;
					break;
				}
				if (*c == '\r') {
					/* A CR is fine just before the LF, and only there. */
					if (c + 1 >= e || c[1] != '\n')
						goto not_fast;
					end = c;
					break;
				}
				if (*c == '\0')
					goto not_fast;
				if (c != fv[nf - 1] || nf > FAST_MAXQ)
					goto not_fast;	/* a quote inside a plain field */
				quoted |= (uint64_t)1 << (nf - 1);
				inq = 1;
				continue;
			}
			/* In quotes: up to the next quote, LFs count as lines. */
			stop = m.quote & ~done;
			below = (stop ? (stop & -stop) - 1 : ~(uint64_t)0) & ~done;
			if (m.other & below)
				goto not_fast;	/* a NUL, or a CR: libcsv and the lines differ */
			for (x = m.lf & below; x; x &= x - 1)
				nlf++;
			if (!stop)
				break;
			k = (unsigned)__builtin_ctzll(stop);
			c = p + k;
			done = below | (uint64_t)1 << k | done;
			if (c + 1 >= e)
				goto not_fast;
			if (c[1] == '"') {
				doubled |= (uint64_t)1 << (nf - 1);
				if (k + 1 < 64)
					done |= (uint64_t)1 << (k + 1);
				else
					skip = 1;
			} else if (c[1] == ',' || c[1] == '\n' || c[1] == '\r') {
				inq = 0;
			} else {
				goto not_fast;	/* something after the closing quote */
			}
		}
		if (end)
			m.hi &= ((uint64_t)1 << (end - p)) - 1;
		if (!hi && m.hi)
			hi = p + __builtin_ctzll(m.hi);
		if (!end) {
			if (n < 64)
				goto not_fast;
			p += 64;
		}
	}
	/* What comes before hi is ASCII: no sequence can start there. */
	if (hi && !utf8_valid(hi, (size_t)(end - hi)))
		goto not_fast;
	r->rec_line = r->rec.line = r->lineno + 1;
	r->lineno += 1 + (long)nlf;
	r->line_off = r->base + (int64_t)r->start;
	r->rec_off = r->rec.offset = r->line_off;
	r->start = (size_t)(end - r->buf) + (*end == '\r' ? 2 : 1);
	/* All but the last field are cut, quoted ones with their quotes. */
	lv[nf - 1] = (size_t)(end - prev);
	*end = '\0';
	/* Then the quoted ones, and only those, lose their quotes. */
	for (; quoted; quoted &= quoted - 1) {
		unsigned j = (unsigned)__builtin_ctzll(quoted);
		char *f = (char *)fv[j] + 1;
		char *fe = (char *)fv[j] + lv[j] - 1;	/* the closing quote */

		if (doubled >> j & 1) {
			char *from = f, *to = f;

			while (from < fe) {
				*to++ = *from;
				from += *from == '"' ? 2 : 1;
			}
			fe = to;
		}
		fv[j] = f;
		lv[j] = (size_t)(fe - f);
		*fe = '\0';
	}
	r->rec.nf = nf;
	r->good_end = r->base + (int64_t)r->start;
	r->good_lines = r->lineno;
	return 1;
not_fast:
	/* The commas cut back: libcsv reads the record as it was. */
	for (i = 1; i < nf; i++)
		((char *)fv[i])[-1] = ',';
	return 0;
}

/*
 * The second fast path: a whole line with quoted fields, each quoted
 * field closed on the same line with its inner quotes doubled, and only
 * a comma or the line's end after a closing quote.  The fields are
 * unquoted in place.  Anything else (a field that goes on on the next
 * line, a stray quote) is left to libcsv, which gives the record or the
 * error; so is a line with a CR in it.  Returns 1 with the record set,
 * else 0 with the line untouched.
 */
static int
quoted_record(struct reader *r, char *line, size_t n)
{
	char *p = line, *e = line + n, *q, *c;
	size_t nf = 0;

	if (memchr(line, '\r', n))
		return 0;
	/* First check, without writing: libcsv must get the line intact. */
	while (p <= e) {
		if (p < e && *p == '"') {
			for (p++;; p = q + 2) {
				q = memchr(p, '"', (size_t)(e - p));
				if (!q)
					return 0;	/* goes on on the next line */
				if (q + 1 < e && q[1] == '"')
					continue;
				break;
			}
			p = q + 1;
			if (p < e && *p != ',')
				return 0;	/* a stray character: libcsv's error */
		} else {
			c = memchr(p, ',', (size_t)(e - p));
			if (!c)
				c = e;
			if (memchr(p, '"', (size_t)(c - p)))
				return 0;	/* a quote inside a plain field */
			p = c;
		}
		nf++;
		if (p == e)
			break;
		p++;			/* the comma */
	}
	fields_reserve(r, nf);
	/* Then split and unquote in place: a field only ever shrinks. */
	p = line;
	nf = 0;
	while (p <= e) {
		if (p < e && *p == '"') {
			char *out = ++p;

			r->rec.f[nf] = out;
			for (;;) {
				q = memchr(p, '"', (size_t)(e - p));
				memmove(out, p, (size_t)(q - p));
				out += q - p;
				if (q + 1 < e && q[1] == '"') {
					*out++ = '"';
					p = q + 2;
					continue;
				}
				p = q + 1;
				break;
			}
			r->rec.len[nf] = (size_t)(out - r->rec.f[nf]);
			nf++;
			*out = '\0';
		} else {
			c = memchr(p, ',', (size_t)(e - p));
			if (!c)
				c = e;
			r->rec.f[nf] = p;
			r->rec.len[nf++] = (size_t)(c - p);
			p = c;
		}
		if (p == e) {
			*p = '\0';
			break;
		}
		*p++ = '\0';
	}
	r->rec.nf = nf;
	return 1;
}

static int
next_csv(struct reader *r, struct crm_err *err)
{
	char *line;
	size_t n, tl;
	int k;

	if (!r->in_record && !r->o.no_fast && fast_record(r))
		return 1;
	r->nfield = 0;
	sb_reset(&r->arena);
	for (;;) {
		k = next_line(r, &line, &n, &tl, err);
		if (k < 0)
			return -1;
		if (k == 0) {
			if (r->o.torn_at_end) {
				if (!r->in_record)
					r->rec_line = r->lineno + 1;
				return torn(r, err);
			}
			if (!r->in_record)
				return 0;
			if (r->o.strict_eol)
				return torn(r, err);
			return crm_error(err, "%s:%ld: unterminated quoted field",
			    r->name, r->rec_line);
		}
		if (!r->in_record) {
			if (n == 0)
				continue;
			r->rec_line = r->lineno;
			r->rec_off = r->line_off;
		}
		if (check_text(r, line, n, err) < 0)
			return -1;
		if (!r->in_record && !r->o.no_fast && !memchr(line, '"', n)) {
			char *p = line, *e = line + n, *c;
			size_t nf = 0;

			if (tl == 0 && r->o.strict_eol)
				return torn(r, err);
			*e = '\0';
			for (;;) {
				c = memchr(p, ',', (size_t)(e - p));
				fields_reserve(r, nf + 1);
				r->rec.f[nf] = p;
				if (!c) {
					r->rec.len[nf++] = (size_t)(e - p);
					break;
				}
				*c = '\0';
				r->rec.len[nf++] = (size_t)(c - p);
				p = c + 1;
			}
			r->rec.nf = nf;
			r->rec.line = r->rec_line;
			r->rec.offset = r->rec_off;
			r->good_end = r->line_off + (int64_t)(n + tl);
			r->good_lines = r->lineno;
			return 1;
		}
		if (!r->in_record && !r->o.no_fast && !(tl == 0 && r->o.strict_eol) &&
		    quoted_record(r, line, n)) {
			r->rec.line = r->rec_line;
			r->rec.offset = r->rec_off;
			r->good_end = r->line_off + (int64_t)(n + tl);
			r->good_lines = r->lineno;
			return 1;
		}
		r->rec_done = 0;
		if (csv_parse(&r->csv, line, n + tl, on_field, on_record, r) != n + tl)
			return crm_error(err, "%s:%ld: malformed quoted field (a quote "
			    "inside a field must be doubled, and nothing may follow "
			    "the closing quote but a comma)", r->name, r->lineno);
		if (tl == 0) {
			if (csv_fini(&r->csv, on_field, on_record, r) != 0) {
				if (r->o.strict_eol)
					return torn(r, err);
				return crm_error(err, "%s:%ld: unterminated quoted field",
				    r->name, r->rec_line);
			}
			if (r->o.strict_eol)
				return torn(r, err);
		}
		if (r->rec_done) {
			r->in_record = 0;
			arena_to_rec(r);
			r->rec.line = r->rec_line;
			r->rec.offset = r->rec_off;
			r->good_end = r->line_off + (int64_t)(n + tl);
			r->good_lines = r->lineno;
			return 1;
		}
		r->in_record = 1;
	}
}

/* The shortest text that reads back as the same double. */
static void
real_text(struct sbuf *sb, double v)
{
	char b[40];
	int prec;

	for (prec = 15; prec <= 17; prec++) {
		snprintf(b, sizeof(b), "%.*g", prec, v);
		if (strtod(b, NULL) == v)
			break;
	}
	sb_adds(sb, b);
}

static int
next_json(struct reader *r, struct crm_err *err)
{
	char *line;
	size_t n, tl, i;
	int k;

	for (;;) {
		json_t *obj, *v;
		json_error_t je;
		const char *key;
		size_t j;

		k = next_line(r, &line, &n, &tl, err);
		if (k <= 0)
			return k;
		for (j = 0; j < n && (line[j] == ' ' || line[j] == '\t'); j++)
			;
		if (j == n)
			continue;
		r->rec_line = r->lineno;
		r->rec_off = r->line_off;
		if (check_text(r, line, n, err) < 0)
			return -1;
		if (tl == 0 && r->o.strict_eol)
			return torn(r, err);
		obj = json_loadb(line, n, JSON_REJECT_DUPLICATES, &je);
		if (!obj)
			return crm_error(err, "%s:%ld: invalid JSON: %s", r->name,
			    r->lineno, je.text);
		if (!json_is_object(obj)) {
			json_decref(obj);
			return crm_error(err, "%s:%ld: not a JSON object", r->name,
			    r->lineno);
		}
		sb_reset(&r->arena);
		ALLOC_GROW(r->foff, r->ncol + json_object_size(obj), r->foffcap);
		for (i = 0; i < r->ncol; i++)
			r->foff[i] = SIZE_MAX;
		json_object_foreach(obj, key, v) {
			size_t idx = add_col(r, key, strlen(key)), off = r->arena.len;

			/* A key seen for the first time is a new column. */
			ALLOC_GROW(r->foff, r->ncol, r->foffcap);
			switch (json_typeof(v)) {
			case JSON_STRING:
				sb_add(&r->arena, json_string_value(v), json_string_length(v));
				break;
			case JSON_INTEGER:
				sb_printf(&r->arena, "%" JSON_INTEGER_FORMAT,
				    json_integer_value(v));
				break;
			case JSON_REAL:
				real_text(&r->arena, json_real_value(v));
				break;
			case JSON_TRUE:
				sb_adds(&r->arena, "true");
				break;
			case JSON_FALSE:
				sb_adds(&r->arena, "false");
				break;
			case JSON_NULL:
				break;
			default:
				/* The message first: key and v die with obj. */
				crm_error(err, "%s:%ld: field '%s' holds an %s; "
				    "only strings, numbers, true, false and null are "
				    "accepted", r->name, r->lineno, q(key),
				    json_is_array(v) ? "array" : "object");
				json_decref(obj);
				return -1;
			}
			sb_addc(&r->arena, '\0');
			r->foff[idx] = off;
		}
		json_decref(obj);
		fields_reserve(r, r->ncol);
		for (i = 0; i < r->ncol; i++) {
			if (r->foff[i] == SIZE_MAX) {
				r->rec.f[i] = empty;
				r->rec.len[i] = 0;
			} else {
				r->rec.f[i] = r->arena.buf + r->foff[i];
				r->rec.len[i] = strlen(r->rec.f[i]);
			}
		}
		r->rec.nf = r->ncol;
		r->rec.line = r->rec_line;
		r->rec.offset = r->rec_off;
		r->good_end = r->line_off + (int64_t)(n + tl);
		r->good_lines = r->lineno;
		return 1;
	}
}

int
rd_next(struct reader *r, struct rec **rec, struct crm_err *err)
{
	int k;

	if (r->fmt == RD_JSONL)
		k = next_json(r, err);
	else
		k = next_csv(r, err);
	if (k <= 0)
		return k;
	if (r->fmt == RD_CSV && (!r->o.no_header || r->o.columns) &&
	    r->rec.nf != r->ncol)
		return crm_error(err, "%s:%ld: %zu field%s where the header has %zu",
		    r->name, r->rec.line, r->rec.nf, r->rec.nf == 1 ? "" : "s",
		    r->ncol);
	*rec = &r->rec;
	return 1;
}

static int
read_header(struct reader *r, struct crm_err *err)
{
	size_t i;
	int k = next_csv(r, err);

	if (k <= 0)
		return k;
	for (i = 0; i < r->rec.nf; i++) {
		size_t before = r->ncol;

		if (add_col(r, r->rec.f[i], r->rec.len[i]) < before)
			return crm_error(err, "%s:%ld: column '%s' appears twice in "
			    "the header", r->name, r->rec.line, q(r->rec.f[i]));
	}
	return 0;
}

/* Skip a byte-order mark and tell CSV from JSON Lines. */
static int
sniff(struct reader *r, struct crm_err *err)
{
	size_t i;

	while (r->end - r->start < 4 && !r->eof)
		if (fill(r, err) < 0)
			return -1;
	if (r->end - r->start >= 3 && memcmp(r->buf + r->start, "\xef\xbb\xbf", 3) == 0)
		r->start += 3;
	if (r->o.format != RD_AUTO) {
		r->fmt = r->o.format;
		return 0;
	}
	for (;;) {
		for (i = r->start; i < r->end; i++) {
			char c = r->buf[i];

			if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
				continue;
			r->fmt = c == '{' ? RD_JSONL : RD_CSV;
			return 0;
		}
		if (r->eof || r->end - r->start > 65536) {
			r->fmt = RD_CSV;
			return 0;
		}
		if (fill(r, err) < 0)
			return -1;
	}
}

struct reader *
rd_fdopen(int fd, const char *name, const struct rd_opts *o, struct crm_err *err)
{
	static const struct rd_opts defaults;
	struct reader *r = xcalloc(1, sizeof(*r));

	r->fd = fd;
	r->name = xstrdup(name);
	r->o = o ? *o : defaults;
	r->cap = r->o.bufsize >= 16 ? r->o.bufsize : RD_BUFSZ;
	r->buf = xmalloc(r->cap);
	r->nl_pos = SIZE_MAX;
	if (csv_setup(&r->csv) != 0) {
		crm_error(err, "%s: cannot set up the CSV parser", name);
		goto fail;
	}
	if (sniff(r, err) < 0)
		goto fail;
	if (r->o.columns) {
		const char *p = r->o.columns;

		/* Given names stand for the header the input does not have. */
		for (;;) {
			const char *e = strchr(p, ',');
			size_t len = e ? (size_t)(e - p) : strlen(p), before = r->ncol;

			if (add_col(r, p, len) < before || len == 0) {
				crm_error(err, "invalid column list '%s'", q(r->o.columns));
				goto fail;
			}
			if (!e)
				break;
			p = e + 1;
		}
		r->fmt = RD_CSV;
	} else if (r->fmt == RD_CSV && !r->o.no_header && read_header(r, err) < 0) {
		goto fail;
	}
	return r;
fail:
	rd_close(r);
	return NULL;
}

struct reader *
rd_open(const char *path, const struct rd_opts *o, struct crm_err *err)
{
	struct reader *r;
	int fd;

	if (!path || streq(path, "-"))
		return rd_fdopen(0, "stdin", o, err);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		crm_error(err, "%s: %s", path, strerror(errno));
		return NULL;
	}
	r = rd_fdopen(fd, path, o, err);
	if (r)
		r->own_fd = 1;
	else
		close(fd);
	return r;
}

void
rd_close(struct reader *r)
{
	size_t i;

	if (!r)
		return;
	if (r->own_fd)
		close(r->fd);
	csv_free(&r->csv);
	for (i = 0; i < r->ncol; i++)
		free(r->col[i]);
	free(r->col);
	strmap_release(&r->colidx, 0);
	free(r->rec.f);
	free(r->rec.len);
	free(r->foff);
	sb_release(&r->arena);
	free(r->buf);
	free(r->name);
	free(r);
}

struct reader *
rd_clone(const struct reader *r)
{
	struct reader *c;
	off_t pos;
	size_t i;

	if (r->fmt != RD_CSV || r->clone || r->in_record)
		return NULL;
	/* A pipe has no offsets. */
	pos = lseek(r->fd, 0, SEEK_CUR);
	if (pos < 0)
		return NULL;
	/* On cache lines of its own: clones read in two threads. */
	c = line_calloc(1, sizeof(*c));
	c->fd = r->fd;
	c->name = xstrdup(r->name);
	c->o = r->o;
	c->fmt = RD_CSV;
	/* The size r started with: the buffer doubles to the same sizes,
	 * so that a line too long for r is too long for its clones. */
	c->cap = r->o.bufsize >= 16 ? r->o.bufsize : RD_BUFSZ;
	c->buf = xmalloc(c->cap);
	c->nl_pos = SIZE_MAX;
	c->clone = 1;
	c->origin = (int64_t)pos - r->nread;
	c->limit0 = r->o.limit;
	for (i = 0; i < r->ncol; i++)
		add_col(c, r->col[i], strlen(r->col[i]));
	if (csv_setup(&c->csv) != 0) {
		rd_close(c);
		return NULL;
	}
	return c;
}

void
rd_seek(struct reader *r, int64_t off, long lineno, int64_t soft_end,
    int64_t hard_end)
{
	r->o.limit = r->limit0;
	if (hard_end > 0 && r->limit0 >= 0 &&
	    (r->limit0 == 0 || hard_end < r->limit0))
		r->o.limit = hard_end;
	r->start = r->end = 0;
	r->eof = 0;
	r->base = r->nread = off;
	r->soft_end = soft_end;
	r->nl_pos = SIZE_MAX;
	r->nl_scan = 0;
	r->lineno = lineno;
	r->line_off = off;
	r->in_record = 0;
	r->torn = 0;
	r->good_end = off;
	r->good_lines = lineno;
	/* Whatever libcsv held of a record that failed is dropped. */
	csv_free(&r->csv);
	csv_setup(&r->csv);
}

int
rd_at_end(const struct reader *r)
{
	return r->eof;
}

int64_t
rd_tell(const struct reader *r)
{
	return r->base + (int64_t)r->start;
}

/*
 * Do the bytes at p look like the start of want records of ncol fields
 * (0: any number), blank lines aside?  As far as e: 1 when at least one
 * whole record fits.  A line in a quoted field that spans lines rarely
 * does: read as the start of records, it soon gives a quote inside a
 * field, something after a closing quote, or a wrong number of fields.
 */
static int
like_records(const char *p, const char *e, size_t ncol, int want)
{
	int nrec = 0;

	while (nrec < want) {
		size_t nf = 1;

		while (p < e && (*p == '\n' || *p == '\r'))
			p++;			/* blank lines */
		for (;;) {
			if (p < e && *p == '"') {
				const char *q;

				for (p++;; p = q + 2) {
					q = memchr(p, '"', (size_t)(e - p));
					if (!q || q + 1 >= e)
						return nrec > 0;
					if (q[1] != '"')
						break;
				}
				p = q + 1;
				if (*p != ',' && *p != '\n' && *p != '\r')
					return 0;
			} else {
				while (p < e && *p != ',' && *p != '\n' && *p != '\r') {
					if (*p == '"')
						return 0;
					p++;
				}
				if (p >= e)
					return nrec > 0;
			}
			if (*p != ',')
				break;
			nf++;
			p++;
		}
		if (ncol && nf != ncol)
			return 0;
		nrec++;
	}
	return 1;
}

int64_t
rd_cut(const struct reader *r, int64_t off)
{
	char b[8192];
	const char *p, *e, *nl, *first = NULL;
	ssize_t n;

	do
		n = pread(r->fd, b, sizeof(b), r->origin + off);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return off;
	e = b + n;
	for (p = b; (nl = memchr(p, '\n', (size_t)(e - p))) != NULL; p = nl + 1) {
		if (!first)
			first = nl + 1;
		if (like_records(nl + 1, e, r->ncol, 4))
			return off + (nl + 1 - b);
	}
	return first ? off + (first - b) : off;
}

void
rd_end_at(struct reader *r, int64_t off, long lineno)
{
	r->start = r->end = 0;
	r->base = off;
	r->eof = 1;
	r->nl_pos = SIZE_MAX;
	r->nl_scan = 0;
	r->lineno = lineno;
	r->good_end = off;
	r->good_lines = lineno;
}
