/*
 * summary.h - the per-customer purchase summary: the unit of scale.
 *
 * One pass over purchase and refund events builds, per customer, the
 * figures every analysis needs: purchases, distinct purchase days,
 * first and last purchase, revenue, and the customer-base analysis
 * summary (Fader, Hardie & Lee 2005): purchases on one day count as one
 * with their amounts summed; frequency is the number of repeat purchase
 * days; recency and T run from the first purchase to the last one and
 * to the end of the observation, in a stated unit; monetary is the mean
 * of the repeat days' totals.  Refunds lower revenue but not the days
 * or the monetary value (the models are of purchases).
 *
 * Memory is in proportion to customers and their purchase days, not to
 * events: a customer with one purchase day takes about 150 bytes.  The
 * summary can also be written (crm-ltv --summary) and read back, so
 * that a big log is summarised in shards, by customer, and the shards'
 * summaries are simply concatenated.
 */
#ifndef CRM_SUMMARY_H
#define CRM_SUMMARY_H

#include "event.h"
#include "idmap.h"
#include "money.h"
#include "reader.h"
#include "util.h"

enum sum_unit { UNIT_DAY, UNIT_WEEK, UNIT_MONTH };
extern const char *const sum_unit_names[];
/* Days per unit: 1, 7 and 365.25 / 12. */
double sum_unit_days(enum sum_unit u);
int sum_unit_parse(const char *s, enum sum_unit *u);

/*
 * 64 bytes, one cache line (the blocks are aligned): counting an event
 * reads and writes all of it, and an entry across two lines would be two
 * cache misses.  Up to PSUM_INL purchase days sit in the entry itself,
 * which is most customers; more are on the heap, in a list whose
 * capacity follows from ndays (psum_days()).
 */
#define PSUM_INL 6
struct psum {
	int32_t first, last;	/* first and last purchase day */
	uint32_t ndays;		/* distinct purchase days */
	uint32_t npurch;	/* purchase events */
	money_t revenue;	/* purchases minus refunds */
	money_t bought;		/* purchases alone */
	money_t first_total;	/* the purchases of the first day */
	union {
		int32_t inl[PSUM_INL];
		int32_t *v;
	} d;			/* the distinct purchase days, sorted; in d.v
				 * when more than PSUM_INL (NULL in a summary
				 * read back, which keeps only the count) */
};

/* A purchase or refund waiting in a batch (see summary_add()). */
struct sum_pending {
	uint64_t word;		/* the id's first 8 bytes (idmap_word()) */
	uint32_t hash;
	int32_t day;
	money_t amount;
	uint32_t idlen;
	int refund;
	size_t idoff;		/* the customer id, in pend_ids */
	long line;
	const char *file;
	size_t idx;		/* the entry, once looked up */
	struct psum *p;
};
#define SUM_BATCH 256

struct summary {
	/* The index (see idmap.h); the ids themselves sit once each in
	 * blocks that never move. */
	struct idmap map;
	char **id;		/* in order of first appearance */
	char *text;		/* the free end of the current id block */
	size_t text_left;
	char **text_blk;
	size_t ntext_blk;
	struct psum **blk;	/* blocks of PSUM_BLOCK */
	size_t n, nblk;
	int32_t end;		/* the end of the observation (INT32_MAX: none) */
	/* the batch (summary_add()) */
	struct sum_pending pend[SUM_BATCH];
	size_t npend;
	char *pend_ids;
	size_t pend_used, pend_cap;
	/*
	 * Called for each purchase or refund once it is counted, with the
	 * customer's index: for what a caller keeps beside the summary.
	 */
	void (*hook)(void *arg, size_t idx, int32_t day, int refund, money_t amount);
	void *hook_arg;
	int32_t max_day;	/* the last day seen */
	enum sum_unit unit;	/* of a summary read back */
	/* A summary read back: each entry's figures as the file gave them
	 * (frequency, recency, T, monetary), indexed like the entries. */
	double (*fig)[4];
	size_t figcap;
};
#define PSUM_BLOCK 32768	/* 2 MB: one huge page */

void summary_init(struct summary *s, int32_t end);
void summary_release(struct summary *s);
struct psum *summary_at(const struct summary *s, size_t i);
/* The customer's entry, added when new. */
struct psum *summary_get(struct summary *s, const char *id, size_t len);
/* The index of the customer's entry, or -1. */
long summary_find(const struct summary *s, const char *id);
/* summary_find_all() stores summary_find() of each of n ids in out[],
 * the memory reads of many ids waited for together. */
void summary_find_all(const struct summary *s, const char *const *id, size_t n,
    long *out);
/* The distinct purchase days of an entry built from events, sorted. */
const int32_t *psum_days(const struct psum *p);

/*
 * summary_add() counts ev if it is a purchase or a refund dated up to
 * the end (others are ignored).  It counts in batches: the figures are
 * complete only after summary_flush(), which summary_scan() calls at the
 * end.  Returns 0, or -1 on an overflow of the sums (err names the file
 * and line of the event, which may be an earlier one of the batch).
 * file must stay valid until the batch is counted.
 */
int summary_add(struct summary *s, const struct event *ev, const char *file,
    struct crm_err *err);
int summary_flush(struct summary *s, struct crm_err *err);

/* summary_scan() adds every event of lr. */
int summary_scan(struct summary *s, struct logreader *lr, struct crm_err *err);

/* The figures of the literature, in unit, as of end. */
struct rfm_figures {
	double frequency, recency, T, monetary;
};
void summary_figures(const struct summary *s, size_t i, int32_t end,
    enum sum_unit unit, struct rfm_figures *out);

/*
 * The columns crm-ltv --summary writes, in order:
 * customer,purchases,days,first,last,revenue,frequency,recency,T,
 * monetary,unit.  summary_row() fills the fields (buf holds the text).
 */
#define SUMMARY_NCOL 11
extern const char *const summary_cols[SUMMARY_NCOL];
void summary_row(const struct summary *s, size_t i, int32_t end,
    enum sum_unit unit, char buf[SUMMARY_NCOL][40], const char *f[SUMMARY_NCOL]);

/*
 * Is r a summary (it has the columns above)?  summary_read() adds its
 * rows; the unit must be the same on every row and the same customer may
 * not appear twice (a shard split that was not by customer).  A row that
 * repeats the header, as concatenated shard outputs have, is skipped.
 */
int summary_is(struct reader *r);

/*
 * summary_merge() adds src to dst, as if src's events had come after
 * dst's in one log: the same figures, the same order of customers.
 */
int summary_merge(struct summary *dst, const struct summary *src,
    const char *file, struct crm_err *err);

/*
 * summary_scan_split() is summary_scan() over a log that is the file
 * path, of size bytes, with two threads when it is big and
 * summary_threads() allows it: the second
 * reads the second half, from a line start near the middle.  If the
 * first thread, reading in order, finds that the second half did not
 * start at a record (a quoted field ran across the cut), or the second
 * thread met an error, the second half's work is thrown away and the
 * first thread reads on to the end: the result, and any message with
 * its line, is the one reading in order gives.  other() is called for
 * each event as it is read (part 0: the first thread's, in order; part
 * 1: the second's, in its own thread), and with ev NULL when part 1's
 * events are thrown away; it may be NULL.  The summary's hook must be
 * NULL.  cols are the log's column names, as logr_open() takes them.
 */
/*
 * summary_threads() is how many threads a big log is read with: 2 when
 * $CRM_THREADS says 2 or more, else 1.  Two threads read a log of ten
 * million events about a fifth faster and take about twice the memory,
 * as each half has nearly all the customers: a choice for the user.
 */
int summary_threads(void);
int summary_scan_split(struct summary *s, struct logreader *lr,
    const char *path, int64_t size, const struct log_cols *cols,
    void (*other)(void *arg, int part, const struct event *ev), void *arg,
    struct crm_err *err);
int summary_read(struct summary *s, struct reader *r, struct crm_err *err);

#endif
