/*
 * segment.h - customer groups: by any field, RFM scores and segments,
 * ABC (Pareto) classes, lifecycle stages, reasons for leaving, and the
 * per-segment summary of count, revenue, shares and contribution.
 *
 * The data's path: the customer rows come in as a table (struct
 * seg_rows), the customers' behaviour comes from one pass over the log
 * or from a crm-ltv --summary (struct seg_log), each segmentation turns
 * both into new columns (struct seg_out), and the summary groups the
 * rows by one of those columns (struct seg_groups).  Nothing here
 * prints; every function that can fail fills a struct crm_err.
 *
 * Money stays in integer cents.  A margin, a threshold or a factor is a
 * decimal read into parts per million, so that "revenue x margin" and
 * "the customers before bring less than 80%" are decided in integers,
 * exactly; only the shares that are shown may go through a double.
 */
#ifndef CRM_SEGMENT_H
#define CRM_SEGMENT_H

#include <limits.h>
#include <stdint.h>

#include "event.h"
#include "money.h"
#include "reader.h"
#include "summary.h"
#include "table.h"
#include "util.h"
#include "writer.h"

#define SEG_PPM 1000000	/* one, in parts per million */

/*
 * seg_parse_ratio() reads a decimal such as "0.2", "-0.05" or "20%"
 * (at most six decimals after the division by 100) into *ppm, parts
 * per million: "0.2" is 200000.  Returns 0, or -1 with "invalid number
 * 'S'" in err.  The caller checks the range it needs.
 */
int seg_parse_ratio(const char *s, int64_t *ppm, struct crm_err *err);

/*
 * seg_parse_value() reads a decimal value of a column (an amount, a
 * crm-ltv clv) into *micro, millionths of a unit: at most six decimals,
 * no exponent, no thousands separator, less than nine trillion units.
 * An empty field is zero.  Returns 0, or -1 with "invalid number 'S'".
 */
int seg_parse_value(const char *s, int64_t *micro, struct crm_err *err);

/*
 * The customer rows: every input file appended into one table (columns
 * matched by name; a file's new columns are added), with the id column
 * ("id", else "customer") and an index by id.
 */
struct seg_rows {
	struct table t;
	int id;			/* the id column, -1 before seg_rows_finish() */
	struct idmap by_id;	/* id -> row */
	char **ids;		/* each row's id, in the row */
	char **file;		/* the input names, for messages */
	size_t *file_start;	/* the first row of each */
	size_t nfile;
};
#define SEG_ROWS_INIT { TABLE_INIT, -1, IDMAP_INIT, NULL, NULL, NULL, 0 }

/* seg_rows_read() appends the records of r; name is for messages. */
int seg_rows_read(struct seg_rows *rows, struct reader *r, struct crm_err *err);
/*
 * seg_rows_take() takes over t (the store's customers.csv, read by
 * custdb_load()) and leaves it empty; name is for messages.
 */
void seg_rows_take(struct seg_rows *rows, struct table *t, const char *name);
/*
 * seg_rows_finish() finds the id column and indexes the rows: an empty
 * id, or an id that appears twice, is an error naming file and line.
 * Input with no columns at all is simply no rows.
 */
int seg_rows_finish(struct seg_rows *rows, struct crm_err *err);
/* The id column of t: "id", else "customer"; -1 with the message naming
 * the file name when there is none. */
int seg_id_col(const struct table *t, const char *name, struct crm_err *err);
const char *seg_rows_id(const struct seg_rows *rows, size_t row);
/* The row of the customer with this id, or -1. */
long seg_rows_find(const struct seg_rows *rows, const char *id);
/* seg_rows_where() writes "FILE:LINE" of a row into buf (for messages). */
const char *seg_rows_where(const struct seg_rows *rows, size_t row,
    char *buf, size_t n);
void seg_rows_release(struct seg_rows *rows);

/*
 * The customers' behaviour, as of a day (today): the purchase summary of
 * lib/summary.h, the latest churn event of each customer, and, for the
 * reasons report, the churn and complaint events and each customer's
 * purchases by day.  Events after the day are left out, as if the log
 * were read on that day.  All of it is built in one pass, in memory in
 * proportion to customers (and their purchase days, as the summary
 * keeps them); the reasons' day book only when asked for.
 */
struct seg_daybook {
	int32_t *day;		/* sorted, distinct */
	money_t *amount;	/* purchases minus refunds of that day */
	uint32_t n, cap;
};

struct seg_event {
	uint32_t cust;		/* summary index */
	int32_t day;
	uint32_t reason;	/* index into seg_log.reason */
	unsigned char kind;	/* SEG_CHURN or SEG_COMPLAINT */
};
enum { SEG_CHURN, SEG_COMPLAINT };

struct seg_log {
	struct summary sum;
	int from_summary;	/* read from crm-ltv --summary: no events */
	int32_t asof;
	int32_t *churn;		/* per summary index; INT32_MIN: none */
	size_t churn_cap;
	int want_reasons;
	struct seg_daybook *book;	/* per summary index */
	size_t book_cap;
	struct seg_event *ev;
	size_t nev, evcap;
	struct strmap reason_idx;	/* reason -> index + 1 */
	char **reason;
	size_t nreason, reason_cap;
};

void seglog_init(struct seg_log *sl, int32_t asof, int want_reasons);
/* seglog_scan() reads every event of lr.  Returns 0 or -1. */
int seglog_scan(struct seg_log *sl, struct logreader *lr, struct crm_err *err);
/*
 * seglog_scan_file() does the same for a log of size bytes (-1: not
 * known), in two threads when summary_scan() would, except for
 * --reasons, which keeps each purchase day in order.
 */
int seglog_scan_file(struct seg_log *sl, struct logreader *lr, int64_t size,
    struct crm_err *err);
/*
 * seglog_read_summary() takes a crm-ltv --summary instead of the log.
 * It knows purchases, not events: no churn, no reasons.  A last
 * purchase after the as-of day is an error (the summary is of a later
 * day).
 */
int seglog_read_summary(struct seg_log *sl, struct reader *r,
    struct crm_err *err);
/* The customer's purchase summary, or NULL when the log never names it. */
const struct psum *seglog_find(const struct seg_log *sl, const char *id,
    size_t *idx);
/* The customer's latest churn day up to the as-of day, or INT32_MIN. */
int32_t seglog_churn(const struct seg_log *sl, size_t idx);
void seglog_release(struct seg_log *sl);

/* Has p a purchase (a purchase day up to the as-of day)? */
int psum_has_purchase(const struct psum *p);

/*
 * New columns for the rows, column by column: each value is kept in one
 * buffer per column, so that half a million rows cost one allocation
 * per column, not one per value.
 */
struct seg_col {
	char *name;
	enum col_type type;
	struct sbuf text;
	size_t *off;		/* per row; SIZE_MAX: empty */
};
struct seg_out {
	size_t nrow, ncol;
	struct seg_col *col;
	int segcol;		/* the column --summary groups by, or -1 */
	const char *const *order;	/* its values in report order, or NULL */
	size_t norder;
};

void seg_out_init(struct seg_out *o, size_t nrow);
/* seg_out_add() adds a column and returns its index. */
size_t seg_out_add(struct seg_out *o, const char *name, enum col_type type);
void seg_out_set(struct seg_out *o, size_t col, size_t row, const char *v);
/* The value, "" when none was set. */
const char *seg_out_get(const struct seg_out *o, size_t col, size_t row);
void seg_out_release(struct seg_out *o);

/*
 * --by FIELD: a "group" column with the field's value, "(none)" when it
 * is empty.  A field that is not a column of the rows is an error.
 */
#define SEG_NONE "(none)"
int seg_by(const struct seg_rows *rows, const char *field, struct seg_out *o,
    struct crm_err *err);

/*
 * Quintile scores.  seg_quintiles() gives each of n values a score from
 * 1 to 5, 5 to the highest.  Values are ranked from lowest to highest;
 * a value held by k customers with L customers below it scores
 * 1 + floor(5 (L + k/2) / n): the fifth of the ranking where the middle
 * of its run falls.  So equal values always score the same, whatever
 * the order of the input; without ties each fifth of the customers gets
 * one score; fewer than five distinct values use fewer than five scores,
 * each where its customers stand; and when every value is the same (one
 * customer, say) all score 3.
 */
void seg_quintiles(const int64_t *v, size_t n, unsigned char *score);

/*
 * The RFM segment table: named rules of score ranges, tried in order;
 * the first whose three ranges hold the customer's scores wins.  The
 * default table covers all 125 combinations.  A user's table is a CSV
 * (or JSON Lines) with the columns name (or segment), r, f and m; a
 * range is "4-5", "3", or empty or "*" for any.
 */
struct rfm_rule {
	char *name;
	unsigned char lo[3], hi[3];	/* r, f, m */
};
struct rfm_table {
	struct rfm_rule *rule;
	size_t n, cap;
};
#define RFM_TABLE_INIT { NULL, 0, 0 }
#define RFM_OTHER "Other"		/* no rule of a user's table fits */
#define RFM_NO_PURCHASES "No Purchases"

void rfm_table_default(struct rfm_table *t);
int rfm_table_read(struct rfm_table *t, struct reader *r, struct crm_err *err);
/* The segment of scores r, f, m: a rule's name, or RFM_OTHER. */
const char *rfm_table_match(const struct rfm_table *t, int r, int f, int m);
void rfm_table_release(struct rfm_table *t);

/*
 * --rfm: the columns r, f, m (scores), rfm ("545") and rfm_segment.
 * R is the days from the last purchase to the as-of day (fewer is
 * better), F the distinct purchase days, M the revenue (purchases minus
 * refunds).  The scores are quintiles over the rows' customers that
 * have a purchase; the others get no scores and RFM_NO_PURCHASES.
 */
int seg_rfm(const struct seg_rows *rows, const struct seg_log *sl,
    const struct rfm_table *t, struct seg_out *o, struct crm_err *err);

/*
 * The scores of a customer in one byte: 0 for no purchases, else
 * 1 + 25 (r - 1) + 5 (f - 1) + (m - 1).  rfm_score() scores n rows whose
 * customers have the summary indexes sidx[] (SEG_NOIDX: not in the log).
 * rfm_text() gives the columns' text of a code, in rfm_cols' order.
 */
#define SEG_NOIDX UINT32_MAX
#define RFM_NCOL 5
extern const char *const rfm_col_names[RFM_NCOL];
extern const enum col_type rfm_col_types[RFM_NCOL];
void rfm_score(const struct seg_log *sl, const uint32_t *sidx, size_t n,
    unsigned char *code);
struct rfm_text {
	char r[2], f[2], m[2], rfm[4];
	const char *v[RFM_NCOL];	/* r, f, m, rfm, rfm_segment */
};
void rfm_text(const struct rfm_table *t, unsigned char code,
    struct rfm_text *out);
/* The segments in report order (for --summary); free() the array. */
const char **rfm_order(const struct rfm_table *t, size_t *n);

/*
 * The rows read twice instead of held.  Half a million rows held take
 * more memory than the summary of ten million events, and --rfm needs
 * nothing of a row but its id until the row is written.  So when the
 * rows are CSV files that can be read again, the first pass
 * (seg_stream_index(), after the log) keeps of each row only its
 * customer's summary index, and the second (seg_stream_next()) gives
 * the rows back one by one for writing.  The checks are those of
 * seg_rows_read() and seg_rows_finish(), but made after the log was
 * read, so a log error is reported before a row's.
 */
struct seg_stream_file {
	char *path;
	int fd;
	struct rd_opts ro;
	int64_t stamp[4];	/* inode, size, mtime: changed if they differ */
	size_t ncol;
	size_t *map;		/* the file's column j is the stream's map[j] */
	int id;			/* the id column in the file, or -1 */
	size_t first_row, nrow;
};
struct seg_stream {
	int store;		/* the store's customers.csv, checked as such */
	struct table cols;	/* the columns of all the files (no rows) */
	int id;			/* the id column */
	struct seg_stream_file *file;
	size_t nfile, nrow;
	uint32_t *sidx;		/* per row: its summary index, or SEG_NOIDX */
	uint32_t *line;		/* per row, during seg_stream_index() */
	int keep_lines;		/* and after it (for seg_stream_where()) */
	unsigned char *code;	/* per row, for the caller (rfm_score()) */
	/* the second pass */
	size_t cur, done;
	struct reader *r;
	const char **f;
	/* or the second pass in pieces (seg_stream_pieces()): where each
	 * begins, from the first; a reader and the fields of each thread */
	struct seg_piece *piece;
	size_t npiece, piece_cap;
	struct reader *pr[2];
	const char **pf[2];
};
struct seg_piece {
	size_t row;		/* its first row */
	int64_t off;		/* where that row begins (rd_tell()) */
	long lines;		/* the lines before it */
};
#define SEG_PIECE 8192		/* rows in a piece */
/*
 * seg_stream_open() opens the files and reads their headers.  Returns 1
 * when they can be read twice (regular files, CSV, with columns), 0 when
 * not (the caller holds the rows instead), -1 on an error.
 */
int seg_stream_open(struct seg_stream *ss, char *const *paths, size_t n,
    struct crm_err *err);
/* seg_stream_store() is the same for the store's customers.csv, open as
 * fd (which the stream closes): its checks and columns are custdb_load()'s. */
int seg_stream_store(struct seg_stream *ss, int fd, const char *path,
    struct crm_err *err);
int seg_stream_index(struct seg_stream *ss, const struct seg_log *sl,
    struct crm_err *err);
/*
 * seg_stream_next() returns 1 with the next row's fields in the stream's
 * columns (valid until the next call) and its number, 0 after the last
 * (so 1 nrow times, unless -1), -1 on an error: a file changed since the
 * first pass is one.
 */
int seg_stream_next(struct seg_stream *ss, const char *const **f, size_t *row,
    struct crm_err *err);
/*
 * The second pass in pieces of SEG_PIECE rows, for two threads: each
 * piece read from where the first pass found it begins.
 * seg_stream_pieces() returns their number, or 0 when the rows are to
 * be read by seg_stream_next() (more than one file, or few rows).
 * seg_stream_piece() then calls row(arg, thread, f, i) for each row i of
 * piece k, in order, with its fields in the stream's columns: thread (0
 * or 1) says whose reader it is, and two threads may call it at once.  It
 * returns 0, or -1 on an error in *err (a file changed since the first
 * pass is one).  seg_stream_pieces_end() checks, once all are read,
 * that the file is still what the first pass read.
 */
size_t seg_stream_pieces(struct seg_stream *ss);
typedef void seg_row_fn(void *arg, int thread, const char *const *f,
    size_t row);
int seg_stream_piece(struct seg_stream *ss, size_t k, int thread,
    seg_row_fn *row, void *arg, struct crm_err *err);
int seg_stream_pieces_end(struct seg_stream *ss, struct crm_err *err);
/* "FILE:LINE" of a row, for messages: during seg_stream_index(), or
 * after it with keep_lines set. */
const char *seg_stream_where(const struct seg_stream *ss, size_t row,
    char *buf, size_t n);
void seg_stream_release(struct seg_stream *ss);

/*
 * ABC: customers in decreasing order of a value; a customer's
 * cumulative share is the share of the total that the customers with a
 * value at least as high bring (equal values share one).  A customer is
 * in A when those with a higher value bring less than a_ppm of the
 * total (so the customer who crosses the line is in A), in B when they
 * bring less than b_ppm, else in C.  Values below zero count as zero;
 * when the total is zero every customer is in C with no share.
 */
struct abc_result {
	char cls;		/* 'A', 'B' or 'C' */
	int has_share;
	double share;		/* 0..1, for showing */
};
void seg_abc_classify(const int64_t *value, size_t n, int64_t a_ppm,
    int64_t b_ppm, struct abc_result *out);

/*
 * --abc FIELD: the columns abc_share and abc.  The value is the rows'
 * column FIELD; "revenue" without such a column is the revenue in the
 * log (sl must then not be NULL).  Errors name the file and line.
 */
int seg_abc(const struct seg_rows *rows, const struct seg_log *sl,
    const char *field, int64_t a_ppm, int64_t b_ppm, struct seg_out *o,
    struct crm_err *err);
/* Does --abc FIELD need the log for these rows? */
int seg_abc_needs_log(const struct seg_rows *rows, const char *field);

/* Lifecycle stages, in the order of the report. */
enum life_stage {
	LIFE_NEW, LIFE_ACTIVE, LIFE_REGULAR, LIFE_LOYAL, LIFE_AT_RISK,
	LIFE_LOST, LIFE_NONE, LIFE_NSTAGES
};
extern const char *const life_stage_names[LIFE_NSTAGES];

struct life_opts {
	int new_n;		/* new: first purchase within new_n new_unit */
	char new_unit;
	int lost_n;		/* lost: no purchase for more than lost_n */
	char lost_unit;
	int64_t risk_ppm;	/* at risk: silent > risk x the usual gap */
	int min_gaps;		/* gaps a customer needs for an own usual gap */
	long usual_gap;		/* the population's, in days; -1: the median */
	long fallback_gap;	/* when no customer has enough gaps */
	int regular_days;	/* regular: at least this many purchase days */
	int loyal_periods;	/* loyal: a purchase in each of the last ... */
	int period_n;		/* ... periods of period_n period_unit */
	char period_unit;
};
/* The defaults: new 90d, lost 365d, risk 2, 2 gaps, the population's
 * median (90 days when none), regular 3 days, loyal 4 periods of 3m. */
void life_opts_init(struct life_opts *o);

/* One customer's purchases for life_classify(). */
struct life_cust {
	const int32_t *days;	/* distinct purchase days, sorted */
	uint32_t ndays;
	int32_t churn;		/* latest churn day, INT32_MIN: none */
};
struct life_result {
	enum life_stage stage;
	long gap2;		/* the usual gap used, in half days; -1: none */
	int own_gap;		/* it is the customer's own */
};
/*
 * life_usual_gap2() is the median gap between a customer's purchase
 * days, in half days (the median of an even number of gaps is halfway
 * between the middle two), or -1 with fewer than min_gaps gaps.
 */
long life_usual_gap2(const int32_t *days, uint32_t ndays, int min_gaps);
/* life_population_gap2() is the median of the own gaps given (half
 * days, -1 for none), or -1 when there are none. */
long life_population_gap2(const long *gap2, size_t n);
/*
 * life_classify() gives the stage of one customer as of today; the
 * first rule that holds wins: lost (a churn event on or after the last
 * purchase, or no purchase for more than lost_n), no purchases, new, at
 * risk (silent for longer than risk x the usual gap: the customer's own
 * median gap, or pop_gap2 for a customer with fewer than min_gaps gaps),
 * loyal, regular, active.
 */
void life_classify(const struct life_cust *c, const struct life_opts *o,
    int32_t today, long pop_gap2, struct life_result *out);

/*
 * --lifecycle: the columns lifecycle, purchase_days, first_purchase,
 * days_since_purchase, usual_gap and churned.  It needs the events of
 * the log: a summary read back has no purchase days and no churn.
 */
int seg_lifecycle(const struct seg_rows *rows, const struct seg_log *sl,
    const struct life_opts *lo, struct seg_out *o, struct crm_err *err);

/*
 * seg_shares() divides 10000 basis points among n parts in proportion to
 * num[i] / (the sum of num): each part gets the floor of its exact
 * share, and the points left go one each to the largest remainders
 * (the earlier part first on equal remainders), so that the shares add
 * up to exactly 100%.  When the sum is not above zero there are no
 * shares: every bp[i] is SEG_NO_SHARE.  (A part below zero has a share
 * below zero.)
 */
#define SEG_NO_SHARE INT_MIN
void seg_shares(const int64_t *num, size_t n, int *bp);
/* "0.6000" for 6000 basis points, "" for SEG_NO_SHARE. */
void seg_share_text(char *buf, size_t n, int bp);
/* "60.00%" for the terminal, "" for SEG_NO_SHARE. */
void seg_share_pct(char *buf, size_t n, int bp);
/*
 * seg_bar() appends a bar of Unicode blocks for bp basis points, width
 * cells for 100%, in eighths of a cell; a share above zero shows at
 * least an eighth.
 */
void seg_bar(struct sbuf *sb, int bp, int width);

/*
 * The --summary report: one group per value of the segment column, with
 * the customers, their revenue and, with a margin, the contribution
 * (the sum of revenue x margin, rounded to cents once per group).
 */
struct seg_group {
	char *name;
	size_t customers;
	money_t revenue;
	__extension__ __int128 contrib;	/* cents x ppm */
	int cust_bp, rev_bp;
};
struct seg_groups {
	struct strmap idx;	/* name -> index + 1 */
	struct seg_group *g;
	size_t n, cap;
	int has_margin;
};

/*
 * seg_summarize() groups the rows by o's segment column.  The revenue
 * of a row is the customer's in sl (none when sl is NULL or the log
 * does not name it); the margin is margin_ppm, or the rows' column
 * margin_col when that is not -1.  Groups come in o's order, else by
 * customers, then revenue (both decreasing), then name.
 */
int seg_summarize(const struct seg_rows *rows, const struct seg_log *sl,
    const struct seg_out *o, int has_margin, int64_t margin_ppm,
    int margin_col, struct seg_groups *gs, struct crm_err *err);
/*
 * The same in steps, for rows that are not held: seg_group_add() counts a
 * row of the group name (margin_ppm counts only with a margin), and
 * seg_groups_finish() puts the groups in order (as seg_summarize() says,
 * order being the segmentation's, or NULL) and works out the shares.
 * seg_margin() reads a row's margin (the message names no place: the
 * caller puts the row's "FILE:LINE" before it).
 */
void seg_groups_init(struct seg_groups *gs, int has_margin);
int seg_group_add(struct seg_groups *gs, const char *name, money_t rev,
    int64_t margin_ppm, struct crm_err *err);
int seg_margin(const char *s, int64_t *ppm, struct crm_err *err);
int seg_groups_finish(struct seg_groups *gs, const char *const *order,
    size_t norder, struct crm_err *err);
/*
 * seg_stream_summarize() is seg_summarize() for --rfm over the stream,
 * after rfm_score() filled code: the rows are read a second time only
 * for a margin column (margin_col, -1: none; keep_lines set before
 * seg_stream_index(), for the messages).
 */
int seg_stream_summarize(struct seg_stream *ss, const struct seg_log *sl,
    const struct rfm_table *t, int has_margin, int64_t margin_ppm,
    int margin_col, struct seg_groups *gs, struct crm_err *err);
/* The contribution of a group, in cents, rounded half away from zero. */
money_t seg_group_contribution(const struct seg_group *g);
void seg_groups_release(struct seg_groups *gs);

/*
 * The --reasons report: churn events grouped by reason (the outcome, else
 * the note, else SEG_NONE), then complaints grouped the same way, each
 * with the events, their share of the kind, the customers, and the
 * revenue those customers brought in the window (n unit) up to their
 * latest event of the group.  Only the customers in rows count.  Rows
 * come churn first, then by events, revenue (decreasing) and reason.
 */
struct seg_reason {
	int kind;		/* SEG_CHURN or SEG_COMPLAINT */
	const char *reason;	/* points into the seg_log */
	size_t events, customers;
	money_t revenue;
	int bp;
};
extern const char *const seg_kind_names[2];
int seg_reasons(const struct seg_log *sl, const struct seg_rows *rows,
    int window_n, char window_unit, struct seg_reason **out, size_t *n,
    struct crm_err *err);

#endif
