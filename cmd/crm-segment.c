/*
 * crm-segment - customer groups: by any field, RFM, ABC key accounts,
 * lifecycle, reasons for leaving; the rows with their segments, or one
 * row per segment with --summary.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base.h"
#include "common.h"
#include "customer.h"
#include "date.h"
#include "segment.h"
#include "store.h"
#include "writer.h"

enum {
	OPT_ABC = OPT_TOOL, OPT_ABC_LIMITS, OPT_BY, OPT_LIFECYCLE, OPT_LOG,
	OPT_LOST_AFTER, OPT_LOYAL_PERIODS, OPT_MARGIN, OPT_MIN_GAPS,
	OPT_NEW_WITHIN, OPT_PERIOD, OPT_REASONS, OPT_REGULAR_DAYS, OPT_RFM,
	OPT_RFM_TABLE, OPT_RISK_FACTOR, OPT_SUMMARY, OPT_USUAL_GAP, OPT_WINDOW
};

static const struct option long_opts[] = {
	{ "abc", required_argument, NULL, OPT_ABC },
	{ "abc-limits", required_argument, NULL, OPT_ABC_LIMITS },
	{ "by", required_argument, NULL, OPT_BY },
	{ "lifecycle", no_argument, NULL, OPT_LIFECYCLE },
	{ "log", required_argument, NULL, OPT_LOG },
	{ "lost-after", required_argument, NULL, OPT_LOST_AFTER },
	{ "loyal-periods", required_argument, NULL, OPT_LOYAL_PERIODS },
	{ "margin", required_argument, NULL, OPT_MARGIN },
	{ "min-gaps", required_argument, NULL, OPT_MIN_GAPS },
	{ "new-within", required_argument, NULL, OPT_NEW_WITHIN },
	{ "period", required_argument, NULL, OPT_PERIOD },
	{ "reasons", no_argument, NULL, OPT_REASONS },
	{ "regular-days", required_argument, NULL, OPT_REGULAR_DAYS },
	{ "rfm", no_argument, NULL, OPT_RFM },
	{ "rfm-table", required_argument, NULL, OPT_RFM_TABLE },
	{ "risk-factor", required_argument, NULL, OPT_RISK_FACTOR },
	{ "summary", no_argument, NULL, OPT_SUMMARY },
	{ "usual-gap", required_argument, NULL, OPT_USUAL_GAP },
	{ "window", required_argument, NULL, OPT_WINDOW },
	COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: crm-segment --by FIELD [--summary [--margin M]] [FILE...]\n"
	    "       crm-segment --rfm [--rfm-table FILE] [--summary [--margin M]]\n"
	    "               [--log FILE] [FILE...]\n"
	    "       crm-segment --abc FIELD [--abc-limits A,B] [--summary [--margin M]]\n"
	    "               [--log FILE] [FILE...]\n"
	    "       crm-segment --lifecycle [--new-within SPAN] [--lost-after SPAN]\n"
	    "               [--risk-factor X] [--min-gaps N] [--usual-gap DAYS]\n"
	    "               [--regular-days N] [--loyal-periods N] [--period SPAN]\n"
	    "               [--summary [--margin M]] [--log FILE] [FILE...]\n"
	    "       crm-segment --reasons [--window SPAN] [--log FILE] [FILE...]\n");
}

static void
help(void)
{
	usage(stdout);
	printf("\n"
	    "Customer groups.  The customer rows (the store's customers.csv, or the\n"
	    "FILEs: CSV or JSON Lines with an id column) come out with the segment\n"
	    "columns added; behaviour comes from the store's log or --log FILE.\n\n"
	    "Segmentations (--by, --rfm, --abc and --lifecycle may be combined):\n"
	    "      --by FIELD         a group column: FIELD's value, or (none)\n"
	    "      --rfm              r, f, m scores 1-5, rfm and rfm_segment\n"
	    "      --abc FIELD        abc_share and abc (A, B, C) by the value of\n"
	    "                         FIELD; revenue is the log's if not a column\n"
	    "      --lifecycle        lifecycle: new, active, regular, loyal,\n"
	    "                         at risk, lost (or no purchases)\n"
	    "      --reasons          churn and complaints grouped by reason\n"
	    "Report:\n"
	    "      --summary          one row per segment: customers, revenue,\n"
	    "                         their shares, contribution\n"
	    "      --margin M         0.2, 20%% or a column: contribution =\n"
	    "                         revenue x margin\n"
	    "      --log FILE         the log, or a crm-ltv --summary (for --rfm)\n"
	    "Options:\n"
	    "      --rfm-table FILE   segments: name,r,f,m with ranges like 4-5\n"
	    "      --abc-limits A,B   cumulative shares of A and B (0.8,0.95)\n"
	    "      --new-within SPAN  new: first purchase within SPAN (90d)\n"
	    "      --lost-after SPAN  lost: no purchase for more than SPAN (365d)\n"
	    "      --risk-factor X    at risk: silent for more than X usual gaps (2)\n"
	    "      --min-gaps N       gaps a customer needs for an own usual gap (2)\n"
	    "      --usual-gap DAYS   the usual gap of the others (default: the\n"
	    "                         median of the own usual gaps, else 90)\n"
	    "      --regular-days N   regular: N or more purchase days (3)\n"
	    "      --loyal-periods N  loyal: a purchase in each of the last N\n"
	    "      --period SPAN      periods of SPAN (4 of 3m)\n"
	    "      --window SPAN      revenue counted before leaving (12m)\n"
	    "Common options:\n" COMMON_HELP
	    "\nSPAN: 90d, 2w, 3m, 1y.  See crm-segment(1) and crm(7).\n");
}

struct opts {
	struct common co;
	const char *by, *abc, *log, *rfm_table, *margin;
	int rfm, lifecycle, reasons, summary;
	int64_t abc_a, abc_b;
	struct life_opts life;
	int window_n;
	char window_unit;
	int64_t margin_ppm;
	int margin_is_col;	/* --margin names a column */
	int margin_col;
};

static struct store st;
static int st_open;

static void
open_store(struct opts *o)
{
	struct crm_err err;

	if (st_open)
		return;
	st.warn = warn_hook;
	if (store_open(&st, o->co.dir, STORE_READ, &err) < 0)
		die_err(&err);
	st_open = 1;
}

static void
parse_span(const char *opt, const char *s, int min, int *n, char *unit)
{
	struct crm_err err;

	if (date_parse_span(s, n, unit, &err) < 0)
		die_usage("%s: %s", opt, err.msg);
	if (*n < min)
		die_usage("%s: the length of time must be at least %d", opt, min);
}

static long
parse_count(const char *opt, const char *s, long min, long max)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || *end || v < min || v > max)
		die_usage("invalid number '%s' for %s (from %ld to %ld)", q(s), opt,
		    min, max);
	return v;
}

static int64_t
parse_ratio(const char *opt, const char *s)
{
	struct crm_err err;
	int64_t v;

	if (seg_parse_ratio(s, &v, &err) < 0)
		die_usage("%s: %s", opt, err.msg);
	return v;
}

/* The customer rows: the FILEs, or the store's customers.csv. */
static void
load_rows(struct opts *o, int argc, char **argv, struct seg_rows *rows)
{
	struct crm_err err;
	int i;

	if (argc == 0) {
		struct custdb db;

		open_store(o);
		if (custdb_load(&db, &st, &err) < 0)
			die_err(&err);
		seg_rows_take(rows, &db.t, db.path);
		custdb_release(&db);
	}
	for (i = 0; i < argc; i++) {
		struct rd_opts ro = { .format = RD_AUTO };
		struct reader *r = rd_open(argv[i], &ro, &err);

		if (!r || seg_rows_read(rows, r, &err) < 0)
			die_err(&err);
		rd_close(r);
	}
	if (seg_rows_finish(rows, &err) < 0)
		die_err(&err);
}

/* One pass over the log (or a crm-ltv --summary read instead). */
static void
load_log(struct opts *o, struct seg_log *sl)
{
	struct logreader lr;
	struct crm_err err;
	int64_t size = -1;	/* not known: a pipe */

	seglog_init(sl, o->co.today, o->reasons);
	if (o->log) {
		struct rd_opts ro = { .format = RD_AUTO };
		struct reader *r = rd_open(o->log, &ro, &err);

		if (!r)
			die_err(&err);
		if (summary_is(r)) {
			if (seglog_read_summary(sl, r, &err) < 0)
				die_err(&err);
			rd_close(r);
			return;
		}
		if (logr_from(&lr, r, NULL, &err) < 0)
			die_err(&err);
		if (!streq(o->log, "-")) {
			struct stat sb;

			if (stat(o->log, &sb) == 0 && S_ISREG(sb.st_mode))
				size = (int64_t)sb.st_size;
		}
	} else {
		open_store(o);
		switch (log_open(&st, &lr, NULL, &err)) {
		case -1:
			die_err(&err);
		case 0:
			return;		/* no log yet: nobody has bought */
		}
		size = st.log_torn_at >= 0 ? st.log_torn_at : st.log_size;
	}
	if (seglog_scan_file(sl, &lr, size, &err) < 0)
		die_err(&err);
	logr_close(&lr);
}

/*
 * A share and its bar in one terminal cell, "66.67% ███▍", the percent
 * padded to width: a bar of its own as the last column would leave
 * blanks at the end of the rows that have none.  Returns a malloc'ed
 * string.
 */
static char *
share_cell(int bp, int width)
{
	struct sbuf sb = SBUF_INIT;
	char pct[32];

	seg_share_pct(pct, sizeof(pct), bp);
	sb_printf(&sb, "%*s", width, pct);
	if (bp > 0) {
		sb_addc(&sb, ' ');
		seg_bar(&sb, bp, 20);
	}
	return sb_detach(&sb);
}

/* The length of a share as the terminal shows it. */
static int
pct_len(int bp)
{
	char pct[32];

	seg_share_pct(pct, sizeof(pct), bp);
	return (int)strlen(pct);
}

/*
 * The columns written: the rows' own (for the table, only who they are)
 * and the new ones, a new column replacing a row column of its name.
 * src[k] >= 0 is a column of the rows, -1 - j the new column j.
 */
struct shown {
	size_t n;
	const char **h;
	enum col_type *t;
	long *src;
};

static void
shown_cols(struct opts *o, const struct table *cols, int id, size_t nnew,
    const char *const *names, const enum col_type *types, struct shown *s)
{
	size_t ncol = cols->ncol, j;

	s->n = 0;
	s->h = xcalloc(ncol + nnew + 1, sizeof(*s->h));
	s->t = xcalloc(ncol + nnew + 1, sizeof(*s->t));
	s->src = xcalloc(ncol + nnew + 1, sizeof(*s->src));
	if (o->co.fmt == OUT_TABLE) {
		/* People look at who and which segment; a pipe gets it all. */
		static const char *const who[] = { "name", "company" };

		if (id >= 0) {
			s->h[s->n] = cols->col[id];
			s->src[s->n++] = id;
		}
		for (j = 0; j < ARRAY_SIZE(who); j++) {
			int c = table_col(cols, who[j]);

			if (c >= 0 && c != id) {
				s->h[s->n] = who[j];
				s->src[s->n++] = c;
			}
		}
	} else {
		for (j = 0; j < ncol; j++) {
			s->h[s->n] = cols->col[j];
			s->src[s->n++] = (long)j;
		}
	}
	for (j = 0; j < nnew; j++) {
		size_t k;

		for (k = 0; k < s->n; k++)
			if (streq(s->h[k], names[j]))
				break;
		if (k == s->n)
			s->h[s->n++] = names[j];
		s->src[k] = -1 - (long)j;
		s->t[k] = types[j];
	}
}

static void
shown_release(struct shown *s)
{
	free(s->h);
	free(s->t);
	free(s->src);
}

static void
write_rows(struct opts *o, const struct seg_rows *rows, const struct seg_out *out)
{
	struct writer *w = wr_open(stdout, o->co.fmt, o->co.safe);
	const char **names = xcalloc(out->ncol + 1, sizeof(*names)), **f;
	enum col_type *types = xcalloc(out->ncol + 1, sizeof(*types));
	struct shown s;
	struct crm_err err;
	size_t i, j;

	for (j = 0; j < out->ncol; j++) {
		names[j] = out->col[j].name;
		types[j] = out->col[j].type;
	}
	shown_cols(o, &rows->t, rows->id, out->ncol, names, types, &s);
	f = xcalloc(s.n + 1, sizeof(*f));
	if (s.n)
		wr_header(w, s.n, s.h, s.t);
	for (i = 0; i < rows->t.nrow; i++) {
		for (j = 0; j < s.n; j++)
			f[j] = s.src[j] >= 0 ? table_get(&rows->t, i, (int)s.src[j]) :
			    seg_out_get(out, (size_t)(-1 - s.src[j]), i);
		wr_row(w, f);
	}
	if (wr_close(w, &err) < 0)
		die_err(&err);
	shown_release(&s);
	free(names);
	free(types);
	free(f);
}

/* What write_stream() makes each row with: the texts of each code,
 * made once (matching the table for each row was a twentieth of the
 * writing), and a row's fields for each thread. */
struct stream_rows {
	struct seg_stream *ss;
	const struct shown *s;
	const struct writer *w;
	struct rfm_text tx[256];
	const char **f[2];
	struct sbuf *sb[2];
	struct crm_err err[2];
};

static const char *const *
stream_row(struct stream_rows *sr, int thread, const char *const *rf,
    size_t row)
{
	const struct rfm_text *tx = &sr->tx[sr->ss->code[row]];
	const char **f = sr->f[thread];
	size_t j;

	for (j = 0; j < sr->s->n; j++)
		f[j] = sr->s->src[j] >= 0 ? rf[sr->s->src[j]] :
		    tx->v[-1 - sr->s->src[j]];
	return f;
}

static void
piece_row(void *arg, int thread, const char *const *rf, size_t row)
{
	struct stream_rows *sr = arg;

	wr_format(sr->w, sr->sb[thread], stream_row(sr, thread, rf, row));
}

static int
stream_piece(void *arg, size_t k, int thread, struct sbuf *sb)
{
	struct stream_rows *sr = arg;

	sr->sb[thread] = sb;
	return seg_stream_piece(sr->ss, k, thread, piece_row, sr,
	    &sr->err[thread]);
}

/* --rfm over rows read twice (see segment.h): as write_rows() writes.
 * CSV of one file is made by two threads, a piece of the file each. */
static void
write_stream(struct opts *o, struct seg_stream *ss, const struct rfm_table *rt)
{
	struct writer *w = wr_open(stdout, o->co.fmt, o->co.safe);
	struct stream_rows *sr = xcalloc(1, sizeof(*sr));
	const char *const *rf;
	struct shown s;
	struct crm_err err;
	size_t row, np;
	int k, c, i;

	shown_cols(o, &ss->cols, ss->id, RFM_NCOL, rfm_col_names, rfm_col_types,
	    &s);
	sr->ss = ss;
	sr->s = &s;
	sr->w = w;
	for (c = 0; c < 256; c++)
		rfm_text(rt, (unsigned char)c, &sr->tx[c]);
	for (i = 0; i < 2; i++)
		sr->f[i] = line_calloc(s.n + 1, sizeof(*sr->f[i]));
	if (s.n)
		wr_header(w, s.n, s.h, s.t);
	if (o->co.fmt == OUT_CSV && summary_threads() > 1 &&
	    (np = seg_stream_pieces(ss)) > 0) {
		if (wr_pieces(w, np, stream_piece, sr, 2) < 0) {
			/* The first piece that failed is the one the caller's
			 * thread stopped at; its error is that thread's or the
			 * helper's, whichever had one. */
			die_err(sr->err[0].msg[0] ? &sr->err[0] : &sr->err[1]);
		}
		if (seg_stream_pieces_end(ss, &err) < 0)
			die_err(&err);
	} else {
		while ((k = seg_stream_next(ss, &rf, &row, &err)) > 0)
			wr_row(w, stream_row(sr, 0, rf, row));
		if (k < 0)
			die_err(&err);
	}
	if (wr_close(w, &err) < 0)
		die_err(&err);
	shown_release(&s);
	for (i = 0; i < 2; i++)
		free(sr->f[i]);
	free(sr);
}

static void write_summary(struct opts *o, const struct seg_groups *gs,
    const char *segname);

/*
 * --rfm alone, written row by row or summed up by segment, over files
 * that can be read twice: without holding the rows.  Returns 0 when the
 * rows must be held.
 */
static int
rfm_streamed(struct opts *o, int argc, char **argv, const struct rfm_table *rt)
{
	struct seg_stream ss;
	struct seg_log sl;
	struct crm_err err;
	int k, margin_col = -1;

	if (!o->rfm || o->by || o->abc || o->lifecycle || o->reasons ||
	    (o->co.fmt == OUT_TABLE && !o->summary))
		return 0;
	memset(&ss, 0, sizeof(ss));	/* for the release of a store without rows */
	if (argc == 0) {
		int fd;

		open_store(o);
		fd = st.cust_fd >= 0 ? dup(st.cust_fd) : -1;
		k = fd < 0 ? 0 : seg_stream_store(&ss, fd, st.customers, &err);
	} else {
		k = seg_stream_open(&ss, argv, (size_t)argc, &err);
	}
	switch (k) {
	case -1:
		die_err(&err);
	case 0:
		seg_stream_release(&ss);
		return 0;
	}
	if (o->summary && o->margin_is_col) {
		margin_col = table_col(&ss.cols, o->margin);
		if (margin_col < 0)
			die("%s: no column '%s' for --margin", ss.file[0].path,
			    q(o->margin));
		ss.keep_lines = 1;
	}
	load_log(o, &sl);
	if (seg_stream_index(&ss, &sl, &err) < 0)
		die_err(&err);
	/* Every row has its entry: room for the scoring. */
	summary_drop_index(&sl.sum);
	ss.code = xcalloc(ss.nrow ? ss.nrow : 1, 1);
	rfm_score(&sl, ss.sidx, ss.nrow, ss.code);
	if (o->summary) {
		struct seg_groups gs;

		if (seg_stream_summarize(&ss, &sl, rt, o->margin != NULL,
		    o->margin_ppm, margin_col, &gs, &err) < 0)
			die_err(&err);
		seglog_release(&sl);
		write_summary(o, &gs, rfm_col_names[RFM_NCOL - 1]);
		seg_groups_release(&gs);
	} else {
		/* The scores are all the rows need of the log. */
		free(ss.sidx);
		ss.sidx = NULL;
		seglog_release(&sl);
		write_stream(o, &ss, rt);
	}
	seg_stream_release(&ss);
	return 1;
}

static void
write_summary(struct opts *o, const struct seg_groups *gs, const char *segname)
{
	static const enum col_type types[] = { COL_TEXT, COL_NUM, COL_NUM,
		COL_NUM, COL_NUM, COL_NUM };
	static const enum col_type ttypes[] = { COL_TEXT, COL_NUM, COL_TEXT,
		COL_NUM, COL_TEXT, COL_NUM };
	const char *h[] = { segname, "customers", "customers_share", "revenue",
		"revenue_share", "contribution" };
	const char *th[] = { segname, "customers", "share", "revenue", "share",
		"contribution" };
	int table = o->co.fmt == OUT_TABLE, wc = 0, wr = 0;
	struct writer *w = wr_open(stdout, o->co.fmt, o->co.safe);
	struct crm_err err;
	size_t i;

	for (i = 0; i < gs->n; i++) {
		if (pct_len(gs->g[i].cust_bp) > wc)
			wc = pct_len(gs->g[i].cust_bp);
		if (pct_len(gs->g[i].rev_bp) > wr)
			wr = pct_len(gs->g[i].rev_bp);
	}
	/* Without a margin the terminal has no use for an empty column. */
	if (table)
		wr_header(w, gs->has_margin ? 6 : 5, th, ttypes);
	else
		wr_header(w, ARRAY_SIZE(h), h, types);
	for (i = 0; i < gs->n; i++) {
		const struct seg_group *g = &gs->g[i];
		char cust[32], cs[32], rev[32], rs[32], con[32];
		char *c1 = NULL, *c2 = NULL;
		const char *f[6];

		snprintf(cust, sizeof(cust), "%zu", g->customers);
		money_format(rev, g->revenue);
		con[0] = '\0';
		if (gs->has_margin)
			money_format(con, seg_group_contribution(g));
		seg_share_text(cs, sizeof(cs), g->cust_bp);
		seg_share_text(rs, sizeof(rs), g->rev_bp);
		f[0] = g->name;
		f[1] = cust;
		f[2] = table ? (c1 = share_cell(g->cust_bp, wc)) : cs;
		f[3] = rev;
		f[4] = table ? (c2 = share_cell(g->rev_bp, wr)) : rs;
		f[5] = con;
		wr_row(w, f);
		free(c1);
		free(c2);
	}
	if (wr_close(w, &err) < 0)
		die_err(&err);
}

static void
write_reasons(struct opts *o, const struct seg_reason *r, size_t n)
{
	static const char *const h[] = { "kind", "reason", "count", "share",
		"customers", "revenue" };
	static const enum col_type types[] = { COL_TEXT, COL_TEXT, COL_NUM,
		COL_NUM, COL_NUM, COL_NUM };
	static const enum col_type ttypes[] = { COL_TEXT, COL_TEXT, COL_NUM,
		COL_TEXT, COL_NUM, COL_NUM };
	int table = o->co.fmt == OUT_TABLE, wp = 0;
	struct writer *w = wr_open(stdout, o->co.fmt, o->co.safe);
	struct crm_err err;
	size_t i;

	for (i = 0; i < n; i++)
		if (pct_len(r[i].bp) > wp)
			wp = pct_len(r[i].bp);

	wr_header(w, ARRAY_SIZE(h), h, table ? ttypes : types);
	for (i = 0; i < n; i++) {
		char count[32], share[32], cust[32], rev[32], *cell = NULL;
		const char *f[6];

		snprintf(count, sizeof(count), "%zu", r[i].events);
		snprintf(cust, sizeof(cust), "%zu", r[i].customers);
		money_format(rev, r[i].revenue);
		seg_share_text(share, sizeof(share), r[i].bp);
		f[0] = seg_kind_names[r[i].kind];
		f[1] = r[i].reason;
		f[2] = count;
		f[3] = table ? (cell = share_cell(r[i].bp, wp)) : share;
		f[4] = cust;
		f[5] = rev;
		wr_row(w, f);
		free(cell);
	}
	if (wr_close(w, &err) < 0)
		die_err(&err);
}

static void
check_options(struct opts *o, int set_life, int set_abc, int set_window)
{
	int nseg = !!o->by + o->rfm + !!o->abc + o->lifecycle;

	if (nseg + o->reasons == 0)
		die_usage("say how to group: --by FIELD, --rfm, --abc FIELD, "
		    "--lifecycle or --reasons");
	if (o->reasons && (nseg || o->summary))
		die_usage("--reasons is a report of its own: not with --by, --rfm, "
		    "--abc, --lifecycle or --summary");
	if (o->summary && nseg > 1)
		die_usage("--summary groups by one segmentation: give only one of "
		    "--by, --rfm, --abc and --lifecycle");
	if (o->margin && !o->summary)
		die_usage("--margin goes with --summary");
	if (o->rfm_table && !o->rfm)
		die_usage("--rfm-table goes with --rfm");
	if (set_abc && !o->abc)
		die_usage("--abc-limits goes with --abc");
	if (set_life && !o->lifecycle)
		die_usage("--new-within, --lost-after, --risk-factor, --min-gaps, "
		    "--usual-gap, --regular-days, --loyal-periods and --period go "
		    "with --lifecycle");
	if (set_window && !o->reasons)
		die_usage("--window goes with --reasons");
	if (o->by && !*o->by)
		die_usage("--by needs a column name");
	if (o->abc && !*o->abc)
		die_usage("--abc needs a column name");
}

/* --margin: a number when it looks like one, else a column. */
static void
parse_margin(struct opts *o)
{
	const char *s = o->margin;

	o->margin_col = -1;
	if (!s)
		return;
	/* "0,2" is a mistyped number, not a column called 0,2. */
	o->margin_is_col = !*s || !strchr("+-.0123456789", *s);
	if (o->margin_is_col)
		return;
	o->margin_ppm = parse_ratio("--margin", s);
	if (o->margin_ppm < -SEG_PPM || o->margin_ppm > SEG_PPM)
		die_usage("--margin: '%s' is not between -1 and 1 (or -100%% and "
		    "100%%)", q(s));
}

int
main(int argc, char **argv)
{
	struct seg_rows rows = SEG_ROWS_INIT;
	struct rfm_table rt = RFM_TABLE_INIT;
	struct seg_log sl;
	struct seg_out out;
	struct crm_err err;
	struct opts o;
	int c, set_life = 0, set_abc = 0, set_window = 0, need_log, have_log = 0;
	char *comma;

	cmd_init("crm-segment", argc, argv);
	memset(&o, 0, sizeof(o));
	life_opts_init(&o.life);
	o.abc_a = 800000;
	o.abc_b = 950000;
	o.window_n = 12;
	o.window_unit = 'm';
	while ((c = getopt_long(argc, argv, "d:h", long_opts, NULL)) != -1) {
		if (common_option(&o.co, c, optarg, help))
			continue;
		switch (c) {
		case OPT_ABC:		o.abc = optarg; break;
		case OPT_ABC_LIMITS:
			set_abc = 1;
			comma = strchr(optarg, ',');
			if (!comma)
				die_usage("--abc-limits: give A,B such as 0.8,0.95");
			*comma = '\0';
			o.abc_a = parse_ratio("--abc-limits", optarg);
			o.abc_b = parse_ratio("--abc-limits", comma + 1);
			*comma = ',';
			if (o.abc_a <= 0 || o.abc_a > o.abc_b || o.abc_b > SEG_PPM)
				die_usage("--abc-limits: '%s' must have 0 < A <= B <= 1",
				    q(optarg));
			break;
		case OPT_BY:		o.by = optarg; break;
		case OPT_LIFECYCLE:	o.lifecycle = 1; break;
		case OPT_LOG:		o.log = optarg; break;
		case OPT_LOST_AFTER:
			set_life = 1;
			parse_span("--lost-after", optarg, 0, &o.life.lost_n,
			    &o.life.lost_unit);
			break;
		case OPT_LOYAL_PERIODS:
			set_life = 1;
			o.life.loyal_periods = (int)parse_count("--loyal-periods", optarg,
			    0, 1000);
			break;
		case OPT_MARGIN:	o.margin = optarg; break;
		case OPT_MIN_GAPS:
			set_life = 1;
			o.life.min_gaps = (int)parse_count("--min-gaps", optarg, 1, 100000);
			break;
		case OPT_NEW_WITHIN:
			set_life = 1;
			parse_span("--new-within", optarg, 0, &o.life.new_n,
			    &o.life.new_unit);
			break;
		case OPT_PERIOD:
			set_life = 1;
			parse_span("--period", optarg, 1, &o.life.period_n,
			    &o.life.period_unit);
			break;
		case OPT_REASONS:	o.reasons = 1; break;
		case OPT_REGULAR_DAYS:
			set_life = 1;
			o.life.regular_days = (int)parse_count("--regular-days", optarg,
			    1, 1000000);
			break;
		case OPT_RFM:		o.rfm = 1; break;
		case OPT_RFM_TABLE:	o.rfm_table = optarg; break;
		case OPT_RISK_FACTOR:
			set_life = 1;
			o.life.risk_ppm = parse_ratio("--risk-factor", optarg);
			if (o.life.risk_ppm <= 0 || o.life.risk_ppm > 1000 * (int64_t)SEG_PPM)
				die_usage("--risk-factor: '%s' must be above 0 (and at "
				    "most 1000)", q(optarg));
			break;
		case OPT_SUMMARY:	o.summary = 1; break;
		case OPT_USUAL_GAP:
			set_life = 1;
			o.life.usual_gap = parse_count("--usual-gap", optarg, 1, 100000);
			break;
		case OPT_WINDOW:
			set_window = 1;
			parse_span("--window", optarg, 0, &o.window_n, &o.window_unit);
			break;
		default:
			usage(stderr);
			return CRM_EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	common_finish(&o.co);
	check_options(&o, set_life, set_abc, set_window);
	parse_margin(&o);
	if (o.rfm_table) {
		struct rd_opts ro = { .format = RD_AUTO };
		struct reader *r = rd_open(o.rfm_table, &ro, &err);

		if (!r || rfm_table_read(&rt, r, &err) < 0)
			die_err(&err);
		rd_close(r);
	} else if (o.rfm) {
		rfm_table_default(&rt);
	}

	if (rfm_streamed(&o, argc, argv, &rt)) {
		rfm_table_release(&rt);
		if (st_open)
			store_close(&st);
		return finish_stdout(CRM_EXIT_OK);
	}
	load_rows(&o, argc, argv, &rows);
	if (o.margin_is_col) {
		o.margin_col = table_col(&rows.t, o.margin);
		if (o.margin_col < 0)
			die("%s: no column '%s' for --margin",
			    rows.nfile ? rows.file[0] : "stdin", q(o.margin));
	}
	need_log = o.rfm || o.lifecycle || o.reasons || o.summary ||
	    (o.abc && seg_abc_needs_log(&rows, o.abc));
	if (need_log) {
		load_log(&o, &sl);
		have_log = 1;
	}

	if (o.reasons) {
		struct seg_reason *r;
		size_t n;

		if (seg_reasons(&sl, &rows, o.window_n, o.window_unit, &r, &n, &err) < 0)
			die_err(&err);
		write_reasons(&o, r, n);
		free(r);
	} else {
		seg_out_init(&out, rows.t.nrow);
		if (o.by && seg_by(&rows, o.by, &out, &err) < 0)
			die_err(&err);
		if (o.rfm && seg_rfm(&rows, &sl, &rt, &out, &err) < 0)
			die_err(&err);
		if (o.abc && seg_abc(&rows, have_log ? &sl : NULL, o.abc, o.abc_a,
		    o.abc_b, &out, &err) < 0)
			die_err(&err);
		if (o.lifecycle && seg_lifecycle(&rows, &sl, &o.life, &out, &err) < 0)
			die_err(&err);
		if (o.summary) {
			struct seg_groups gs;

			if (seg_summarize(&rows, &sl, &out, o.margin != NULL, o.margin_ppm,
			    o.margin_col, &gs, &err) < 0)
				die_err(&err);
			write_summary(&o, &gs, o.by ? o.by : out.col[out.segcol].name);
			seg_groups_release(&gs);
		} else {
			write_rows(&o, &rows, &out);
		}
		seg_out_release(&out);
	}
	if (have_log)
		seglog_release(&sl);
	rfm_table_release(&rt);
	seg_rows_release(&rows);
	if (st_open)
		store_close(&st);
	return finish_stdout(CRM_EXIT_OK);
}
