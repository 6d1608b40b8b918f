/*
 * writer.c - CSV, JSON Lines and table output.
 */
#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <stdint.h>
#include <unistd.h>

#include <pthread.h>

#include "writer.h"

struct writer {
	FILE *fp;
	enum out_format fmt;
	int safe;
	size_t ncol;
	char **names;
	enum col_type *types;
	struct sbuf line;
	/* the table, kept until wr_close() knows the widths */
	char ***rows;
	size_t nrow, rowcap;
};

enum out_format
out_choose(int json, int csv, int table, int fd)
{
	if (json)
		return OUT_JSON;
	if (csv)
		return OUT_CSV;
	if (table || isatty(fd))
		return OUT_TABLE;
	return OUT_CSV;
}

struct writer *
wr_open(FILE *fp, enum out_format fmt, int safe)
{
	struct writer *w = xcalloc(1, sizeof(*w));

	w->fp = fp;
	w->fmt = fmt;
	w->safe = safe;
	return w;
}

static int
is_plain_number(const char *s)
{
	int digits = 0;

	if (*s == '-' || *s == '+')
		s++;
	while (isdigit((unsigned char)*s)) {
		s++;
		digits++;
	}
	if (*s == '.') {
		s++;
		while (isdigit((unsigned char)*s)) {
			s++;
			digits++;
		}
	}
	return digits > 0 && *s == '\0';
}

int
looks_like_formula(const char *s)
{
	if (!strchr("=+-@\t\r", *s) || *s == '\0')
		return 0;
	/* -12.50 is an amount, not a formula: leave numbers alone. */
	return !is_plain_number(s);
}

/* The bytes that make a field need quotes. */
static const unsigned char needs_quote[256] = {
	['\n'] = 1, ['\r'] = 1, ['"'] = 1, [','] = 1,
};

/*
 * Whether one of the 8 bytes of x needs quotes.  A byte of x is c when
 * that byte of x ^ c...c is zero, which the usual test for a zero byte
 * finds (exactly, for the word as a whole).  All four bytes are below
 * '-': a word with no byte below it, as most numbers, dates and ids
 * are, is told by one test.
 */
static inline uint64_t
special8(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101, high = ones << 7;

#define LESS(v, c) (((v) - ones * (c)) & ~(v) & high)
	if (!LESS(x, '-'))
		return 0;
#define ZERO_BYTE(v) LESS(v, 1)
	return ZERO_BYTE(x ^ (ones * ',')) | ZERO_BYTE(x ^ (ones * '"')) |
	    ZERO_BYTE(x ^ (ones * '\n')) | ZERO_BYTE(x ^ (ones * '\r'));
#undef ZERO_BYTE
#undef LESS
}

/*
 * Does one of the n bytes at s need quotes?  Eight bytes at a time: a
 * summary writes eleven fields for each of half a million customers,
 * and a table lookup for each byte was a tenth of that.
 */
static inline int
needs_quotes(const char *s, size_t n)
{
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t x;

		memcpy(&x, s + i, 8);
		if (special8(x))
			return 1;
	}
	for (; i < n; i++)
		if (needs_quote[(unsigned char)s[i]])
			return 1;
	return 0;
}

void
csv_field(struct sbuf *sb, const char *s, size_t n)
{
	if (!needs_quotes(s, n)) {
		sb_add(sb, s, n);
		return;
	}
	sb_grow(sb, 2 * n + 2);
	sb->len += csv_write(sb->buf + sb->len, 2 * n + 2, s, n);
	sb->buf[sb->len] = '\0';
}

/*
 * Append s and a comma to sb, if s has at most 16 bytes and needs no
 * quotes; sb has room for 17 more.  Returns whether it did.  Most
 * fields are such (numbers, dates, ids, names), and the test of each
 * byte and the call of memcpy() for each were half the making of the
 * rows of the bench's summary.  Here the bytes are taken in two loads,
 * which may overlap (of 8 bytes, 4, or 1 for up to 3 bytes), and
 * tested and stored as they are.  Nothing past s's NUL is read.
 */
static inline int
short_field(struct sbuf *sb, const char *s)
{
	size_t n = strlen(s);
	char *d = sb->buf + sb->len;

	if (n >= 8 && n <= 16) {
		uint64_t a, b;

		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
		if (special8(a) | special8(b))
			return 0;
		memcpy(d, &a, 8);
		memcpy(d + n - 8, &b, 8);
	} else if (n >= 4 && n < 8) {
		uint32_t a, b;

		memcpy(&a, s, 4);
		memcpy(&b, s + n - 4, 4);
		if (special8(a | (uint64_t)b << 32))
			return 0;
		memcpy(d, &a, 4);
		memcpy(d + n - 4, &b, 4);
	} else if (n > 0 && n < 4) {
		/* The first, middle and last bytes are all of them. */
		uint32_t a = (uint32_t)(unsigned char)s[0] |
		    (uint32_t)(unsigned char)s[n / 2] << 8 |
		    (uint32_t)(unsigned char)s[n - 1] << 16 |
		    (uint32_t)(unsigned char)s[0] << 24;

		if (special8(a | (uint64_t)a << 32))
			return 0;
		d[0] = s[0];
		d[n / 2] = s[n / 2];
		d[n - 1] = s[n - 1];
	} else if (n) {
		return 0;
	}
	d[n] = ',';
	sb->len += n + 1;
	return 1;
}

/* Append the CSV line of f to sb.  It only reads w: wr_rows() calls it
 * from two threads. */
static void
csv_format(const struct writer *w, struct sbuf *sb, const char *const *f)
{
	size_t i;

	if (!w->safe) {
		/* Room for every field as a short one, and the line end. */
		if (sb->cap - sb->len < 17 * w->ncol + 2)
			sb_grow(sb, 17 * w->ncol + 2);
		for (i = 0; i < w->ncol; i++) {
			const char *s = f[i] ? f[i] : "";

			if (short_field(sb, s))
				continue;
			csv_field(sb, s, strlen(s));
			sb_addc(sb, ',');
			if (sb->cap - sb->len < 17 * w->ncol + 2)
				sb_grow(sb, 17 * w->ncol + 2);
		}
		/* The last comma becomes the line end. */
		if (w->ncol)
			sb->len--;
		sb->buf[sb->len] = '\n';
		sb->buf[++sb->len] = '\0';
		return;
	}
	for (i = 0; i < w->ncol; i++) {
		const char *s = f[i] ? f[i] : "";

		if (i)
			sb_addc(sb, ',');
		if (w->safe && looks_like_formula(s)) {
			/* The apostrophe must sit inside the quotes, if any. */
			char *t = xasprintf("'%s", s);

			csv_field(sb, t, strlen(t));
			free(t);
		} else {
			csv_field(sb, s, strlen(s));
		}
	}
	sb_addc(sb, '\n');
}

static void
csv_line(struct writer *w, const char *const *f)
{
	sb_reset(&w->line);
	csv_format(w, &w->line, f);
	/* Only the caller's thread writes: no lock for each line. */
	fwrite_unlocked(w->line.buf, 1, w->line.len, w->fp);
}

void
wr_header(struct writer *w, size_t n, const char *const *names,
    const enum col_type *types)
{
	size_t i;

	w->ncol = n;
	w->names = xcalloc(n, sizeof(*w->names));
	w->types = xcalloc(n, sizeof(*w->types));
	for (i = 0; i < n; i++) {
		w->names[i] = xstrdup(names[i]);
		w->types[i] = types ? types[i] : COL_TEXT;
	}
	if (w->fmt == OUT_CSV)
		csv_line(w, names);
}

static json_t *
json_text(const char *s)
{
	json_t *j = json_string(s);

	/* Input is checked to be UTF-8 when read; this is a last guard. */
	return j ? j : json_string("\xef\xbf\xbd");
}

static json_t *
json_num(const char *s)
{
	char *end;
	long long v;
	double d;

	if (!*s)
		return json_null();
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end == '\0' && errno == 0)
		return json_integer(v);
	d = strtod(s, &end);
	if (*end == '\0' && d == d && d - d == 0)
		return json_real(d);
	return json_text(s);
}

static void
json_line(struct writer *w, const char *const *f)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; i < w->ncol; i++) {
		const char *s = f[i] ? f[i] : "";

		json_object_set_new(o, w->names[i],
		    w->types[i] == COL_NUM ? json_num(s) : json_text(s));
	}
	json_dumpf(o, w->fp, JSON_COMPACT | JSON_REAL_PRECISION(15));
	fputc('\n', w->fp);
	json_decref(o);
}

void
wr_row(struct writer *w, const char *const *f)
{
	char **row;
	size_t i;

	switch (w->fmt) {
	case OUT_CSV:
		csv_line(w, f);
		break;
	case OUT_JSON:
		json_line(w, f);
		break;
	case OUT_TABLE:
		row = xcalloc(w->ncol, sizeof(*row));
		for (i = 0; i < w->ncol; i++)
			row[i] = str_printable(f[i] ? f[i] : "", 0);
		ALLOC_GROW(w->rows, w->nrow + 1, w->rowcap);
		w->rows[w->nrow++] = row;
		break;
	}
}

void
wr_format(const struct writer *w, struct sbuf *sb, const char *const *f)
{
	csv_format(w, sb, f);
}

/*
 * wr_pieces() in two threads: the caller's thread makes the even pieces
 * and a helper the odd ones, up to two ahead of the writing, which the
 * caller does, in order.  Making the text of a row costs far more than
 * writing it: the 498,443 rows of crm-ltv --summary on the bench's 10M
 * log took 0.14 s in one thread, and the whole run went from 1.17 to
 * 1.09 s when wr_rows() came to use two.
 */
struct wr_par {
	size_t n;
	wr_piece_fn *make;
	void *arg;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	/*
	 * What each thread writes for every field, each on a cache line
	 * of its own: on the stack, next to each other, they shared one
	 * in some runs (the stack moves by 16 bytes from run to run), and
	 * both threads then took twice the time.
	 */
	_Alignas(64) struct sbuf mine;	/* the caller's piece */
	_Alignas(64) struct sbuf out[2];	/* the helper's pieces 1, 3, 5, ... in turn */
	_Alignas(64) char end;	/* keeps what follows off out[1]'s line */
	int rc[2];		/* and what make() returned for each */
	size_t made, taken;	/* the helper's pieces made, written */
	int stop;		/* the caller stopped writing: make no more */
};

static void *
wr_helper(void *v)
{
	struct wr_par *pp = v;
	size_t j;

	for (j = 0; 2 * j + 1 < pp->n; j++) {
		struct sbuf *sb = &pp->out[j % 2];
		int rc;

		pthread_mutex_lock(&pp->mu);
		while (pp->made - pp->taken == 2 && !pp->stop)
			pthread_cond_wait(&pp->cv, &pp->mu);
		rc = pp->stop;
		pthread_mutex_unlock(&pp->mu);
		if (rc)
			break;
		sb_reset(sb);
		rc = pp->make(pp->arg, 2 * j + 1, 1, sb);
		pthread_mutex_lock(&pp->mu);
		pp->rc[j % 2] = rc;
		pp->made++;
		pthread_cond_signal(&pp->cv);
		pthread_mutex_unlock(&pp->mu);
		if (rc < 0)
			break;
	}
	return NULL;
}

/* Returns 0, -1 when a piece failed, or 1 when no thread could be
 * started (nothing written). */
static int
pieces_par(struct writer *w, size_t n, wr_piece_fn *make, void *arg)
{
	struct wr_par pp;
	pthread_t th;
	size_t k;
	int rc = 0;

	memset(&pp, 0, sizeof(pp));
	pp.n = n;
	pp.make = make;
	pp.arg = arg;
	pthread_mutex_init(&pp.mu, NULL);
	pthread_cond_init(&pp.cv, NULL);
	if (pthread_create(&th, NULL, wr_helper, &pp) != 0) {
		pthread_mutex_destroy(&pp.mu);
		pthread_cond_destroy(&pp.cv);
		return 1;
	}
	for (k = 0; k < n && rc == 0; k++) {
		struct sbuf *sb = &pp.mine;

		if (k % 2 == 0) {
			sb_reset(sb);
			rc = make(arg, k, 0, sb);
		} else {
			pthread_mutex_lock(&pp.mu);
			while (pp.made <= k / 2)
				pthread_cond_wait(&pp.cv, &pp.mu);
			pthread_mutex_unlock(&pp.mu);
			sb = &pp.out[(k / 2) % 2];
			rc = pp.rc[(k / 2) % 2];
		}
		/* A piece that failed has the lines before its error. */
		fwrite_unlocked(sb->buf, 1, sb->len, w->fp);
		pthread_mutex_lock(&pp.mu);
		if (k % 2)
			pp.taken++;
		if (rc < 0)
			pp.stop = 1;
		pthread_cond_signal(&pp.cv);
		pthread_mutex_unlock(&pp.mu);
	}
	pthread_join(th, NULL);
	pthread_mutex_destroy(&pp.mu);
	pthread_cond_destroy(&pp.cv);
	sb_release(&pp.mine);
	sb_release(&pp.out[0]);
	sb_release(&pp.out[1]);
	return rc < 0 ? -1 : 0;
}

int
wr_pieces(struct writer *w, size_t n, wr_piece_fn *make, void *arg,
    int threads)
{
	struct sbuf sb = SBUF_INIT;
	size_t k;
	int rc = 0;

	if (threads > 1 && n > 1 && (rc = pieces_par(w, n, make, arg)) <= 0)
		return rc;
	rc = 0;
	for (k = 0; k < n && rc == 0; k++) {
		sb_reset(&sb);
		rc = make(arg, k, 0, &sb);
		fwrite_unlocked(sb.buf, 1, sb.len, w->fp);
	}
	sb_release(&sb);
	return rc < 0 ? -1 : 0;
}

/* wr_rows() in pieces of WR_CHUNK rows, when in two threads. */
#define WR_CHUNK 4096

struct rows_arg {
	const struct writer *w;
	size_t n;
	wr_make_fn *make;
	void *arg;
	/* what each thread makes a row in */
	const char **f[2];
	char (*buf[2])[40];
};

static int
rows_piece(void *v, size_t k, int thread, struct sbuf *sb)
{
	struct rows_arg *ra = v;
	size_t i, end = (k + 1) * WR_CHUNK < ra->n ? (k + 1) * WR_CHUNK : ra->n;

	for (i = k * WR_CHUNK; i < end; i++) {
		ra->make(ra->arg, i, ra->f[thread], ra->buf[thread]);
		csv_format(ra->w, sb, ra->f[thread]);
	}
	return 0;
}

void
wr_rows(struct writer *w, size_t n, wr_make_fn *make, void *arg, int threads)
{
	const char **f;
	char (*buf)[40];
	size_t i;

	if (threads > 1 && w->fmt == OUT_CSV && n >= 2 * WR_CHUNK) {
		struct rows_arg ra = { w, n, make, arg, { NULL, NULL },
			{ NULL, NULL } };

		for (i = 0; i < 2; i++) {
			ra.f[i] = line_calloc(w->ncol, sizeof(*ra.f[i]));
			ra.buf[i] = line_calloc(w->ncol, sizeof(*ra.buf[i]));
		}
		wr_pieces(w, (n + WR_CHUNK - 1) / WR_CHUNK, rows_piece, &ra, threads);
		for (i = 0; i < 2; i++) {
			free(ra.f[i]);
			free(ra.buf[i]);
		}
		return;
	}
	f = xcalloc(w->ncol, sizeof(*f));
	buf = xcalloc(w->ncol, sizeof(*buf));
	for (i = 0; i < n; i++) {
		make(arg, i, f, buf);
		wr_row(w, f);
	}
	free(f);
	free(buf);
}

/* Append s in exactly width columns, cut with an ellipsis if longer. */
static void
put_cell(struct sbuf *out, const char *s, size_t width, int right)
{
	size_t sw = utf8_width(s), n = strlen(s), i = 0, w = 0;

	if (sw <= width) {
		if (right)
			sb_printf(out, "%*s", (int)(width - sw), "");
		sb_adds(out, s);
		if (!right)
			sb_printf(out, "%*s", (int)(width - sw), "");
		return;
	}
	while (i < n) {
		uint32_t cp;
		size_t k = utf8_decode(s + i, n - i, &cp);
		int cw;

		if (k == 0) {
			k = 1;
			cw = 1;
		} else {
			cw = cp_width(cp);
		}
		if (w + (size_t)cw + 1 > width)
			break;
		sb_add(out, s + i, k);
		w += (size_t)cw;
		i += k;
	}
	sb_adds(out, "\xe2\x80\xa6");	/* ... */
	w++;
	sb_printf(out, "%*s", (int)(width - w), "");
}

/* One line of the table, without blanks at its end. */
static void
put_line(struct writer *w, char *const *cells, const size_t *width)
{
	size_t j;

	sb_reset(&w->line);
	for (j = 0; j < w->ncol; j++) {
		if (j)
			sb_adds(&w->line, "  ");
		put_cell(&w->line, cells[j], width[j], w->types[j] == COL_NUM);
	}
	while (w->line.len && w->line.buf[w->line.len - 1] == ' ')
		w->line.len--;
	sb_addc(&w->line, '\n');
	fwrite(w->line.buf, 1, w->line.len, w->fp);
}

static size_t
term_width(void)
{
	struct winsize ws;
	const char *c = getenv("COLUMNS");

	if (c && atoi(c) > 0)
		return (size_t)atoi(c);
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 0;
}

static void
table_flush(struct writer *w)
{
	size_t *width, i, j, total, tw;

	if (w->nrow == 0)
		return;
	width = xcalloc(w->ncol, sizeof(*width));
	for (j = 0; j < w->ncol; j++) {
		width[j] = utf8_width(w->names[j]);
		for (i = 0; i < w->nrow; i++) {
			size_t cw = utf8_width(w->rows[i][j]);

			if (cw > width[j])
				width[j] = cw;
		}
	}
	/* Too wide for the terminal: take a column off the widest column
	 * until it fits, so that the wide ones end up alike. */
	tw = term_width();
	total = 0;
	for (j = 0; j < w->ncol; j++)
		total += width[j] + (j ? 2 : 0);
	while (tw && total > tw) {
		size_t widest = 0;

		for (j = 1; j < w->ncol; j++)
			if (width[j] > width[widest])
				widest = j;
		if (width[widest] <= 12)
			break;
		width[widest]--;
		total--;
	}
	put_line(w, w->names, width);
	for (i = 0; i < w->nrow; i++)
		put_line(w, w->rows[i], width);
	free(width);
}

int
wr_close(struct writer *w, struct crm_err *err)
{
	size_t i, j;
	int rc = 0;

	if (w->fmt == OUT_TABLE)
		table_flush(w);
	if (fflush(w->fp) != 0 || ferror(w->fp))
		rc = crm_error(err, "write error: %s", strerror(errno));
	for (i = 0; i < w->nrow; i++) {
		for (j = 0; j < w->ncol; j++)
			free(w->rows[i][j]);
		free(w->rows[i]);
	}
	free(w->rows);
	for (i = 0; i < w->ncol; i++)
		free(w->names[i]);
	free(w->names);
	free(w->types);
	sb_release(&w->line);
	free(w);
	return rc;
}
