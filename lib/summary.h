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
	/* The id's first 8 bytes (idmap_word()) and its hash: computed by
	 * the thread that is the less busy, when the batch is counted in
	 * the pipeline of a pipe, as the events are put when both threads
	 * read (sum_batch.hashed). */
	uint64_t word;
	uint32_t hash;
	int32_t day;
	money_t amount;
	uint32_t idlen;
	enum { SUM_PURCHASE, SUM_REFUND, SUM_OTHER } kind;
	size_t idoff;		/* the customer id, in the batch's ids */
	long line;
	const char *file;
	size_t idx;		/* the entry, once looked up */
	struct psum *p;
};

/* Purchases and refunds read but not yet counted. */
struct sum_batch {
	struct sum_pending *ev;
	size_t n, cap;
	char *ids;		/* their customer ids, each ended by a NUL */
	size_t used, idcap;
	long line_base;		/* added to the events' lines in messages */
	int hashed;		/* word and hash are set as the events are put */
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
	/*
	 * The day lists on the heap: a pool of lists of 2^k days, with a
	 * free list for each k, instead of realloc(), whose free chunks of
	 * all sizes made malloc() consolidate its bins again and again
	 * (days_room()).
	 */
	struct {
		int32_t *free[32];
		char *next;		/* the free end of the last block */
		size_t left;
		char **blk;
		size_t nblk;
	} days;
	/*
	 * The next block of one huge page for the entries, the day lists
	 * and the ids, allocated a block ahead of need (huge_block());
	 * ahead[] those whose pages a reading thread with nothing to do
	 * may fault in (summary_prefault()), touched with __atomic only.
	 */
	void *spare[3];
	void *ahead[5];		/* and the halves of a new index and id array */
	size_t ahead_bytes[5];	/* of ahead[3] and [4] */
	/* While two threads scan: wakes the reading thread if it waits. */
	void (*poke)(void *arg);
	void *poke_arg;
	int32_t end;		/* the end of the observation (INT32_MAX: none) */
	struct sum_batch b;	/* the batch (summary_add()) */
	/*
	 * Called for each purchase or refund once it is counted, with the
	 * customer's index: for what a caller keeps beside the summary.
	 */
	void (*hook)(void *arg, size_t idx, int32_t day, int refund, money_t amount);
	void *hook_arg;
	/*
	 * Called in the same order for each event of other_type (as
	 * "churn") dated up to the end, with its customer's index: the
	 * customer is added to the summary, with no purchases, if new.
	 */
	const char *other_type;
	void (*other)(void *arg, size_t idx, int32_t day);
	void *other_arg;
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
/*
 * summary_drop_index() frees the index by id (16 MB of the bench's 83
 * MB summary of 10M events) once every lookup is made: the entries
 * stay, by number, but summary_find() finds nothing and nothing more
 * may be added.
 */
void summary_drop_index(struct summary *s);
/* Fault in the blocks allocated ahead (see huge_block()): for a thread
 * other than the one that counts, which must not have ended the
 * summary.  It changes nothing the counting reads. */
void summary_prefault(struct summary *s);
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
 * the end, and passes it to other() if it is of other_type (others are
 * ignored).  It counts in batches: the figures are
 * complete only after summary_flush(), which summary_scan() calls at the
 * end.  Returns 0, or -1 on an overflow of the sums (err names the file
 * and line of the event, which may be an earlier one of the batch).
 * file must stay valid until the batch is counted.
 */
int summary_add(struct summary *s, const struct event *ev, const char *file,
    struct crm_err *err);
int summary_flush(struct summary *s, struct crm_err *err);
/*
 * summary_fail() is for a caller that met an error in the log: the
 * events added before it are counted, and an error in counting them,
 * which is of an earlier line, replaces err.  Returns -1.
 */
int summary_fail(struct summary *s, struct crm_err *err);

/*
 * summary_scan() adds every event of lr, a log of size bytes (-1: not
 * known, as of a pipe), and flushes.  When summary_threads() is 2 and
 * the log is a file of 1 MB or more, or a pipe:
 * - a CSV file is cut into chunks of 1 MB that both threads read, and
 *   this thread counts them in order (scan_chunks() in summary.c);
 * - a pipe, or a JSON Lines file, is read by a second thread while
 *   this one counts (scan_pipe()): about a quarter less time than one
 *   thread.
 * Either way the result, the order of the calls to hook() and other()
 * (both in this thread) and any message are those of one thread.
 * Returns 0 or -1.
 */
int summary_scan(struct summary *s, struct logreader *lr, int64_t size,
    struct crm_err *err);
/*
 * summary_threads() is how many threads summary_scan() reads a big log
 * with, and crm-ltv --summary makes its CSV rows with (wr_rows()):
 * $CRM_THREADS if set (1, or 2 for 2 or more), else 2 when this process
 * may run on two processors or more, else 1.
 */
int summary_threads(void);

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
 * It only reads s and writes buf: crm-ltv calls it from two threads at
 * once (wr_rows()), so nothing it calls may keep a static buffer.
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

int summary_read(struct summary *s, struct reader *r, struct crm_err *err);

#endif
