/*
 * summary.c - per-customer purchase summaries in one pass.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <unistd.h>

#include "date.h"
#include "summary.h"

const char *const sum_unit_names[] = { "day", "week", "month" };

const char *const summary_cols[SUMMARY_NCOL] = {
	"customer", "purchases", "days", "first", "last", "revenue",
	"frequency", "recency", "T", "monetary", "unit"
};

double
sum_unit_days(enum sum_unit u)
{
	return u == UNIT_DAY ? 1.0 : u == UNIT_WEEK ? 7.0 : 365.25 / 12.0;
}

int
sum_unit_parse(const char *s, enum sum_unit *u)
{
	int i;

	for (i = 0; i < 3; i++)
		if (streq(s, sum_unit_names[i])) {
			*u = (enum sum_unit)i;
			return 0;
		}
	return -1;
}

static void
batch_init(struct sum_batch *b, size_t cap)
{
	b->ev = big_reallocarray(NULL, 0, cap, sizeof(*b->ev));
	b->cap = cap;
	b->n = b->used = b->idcap = 0;
	b->ids = NULL;
	b->line_base = 0;
	b->hashed = 0;
}

static void
batch_release(struct sum_batch *b)
{
	free(b->ev);
	free(b->ids);
	memset(b, 0, sizeof(*b));
}

void
summary_init(struct summary *s, int32_t end)
{
	memset(s, 0, sizeof(*s));
	s->end = end;
	s->max_day = INT32_MIN;
}

struct psum *
summary_at(const struct summary *s, size_t i)
{
	return &s->blk[i / PSUM_BLOCK][i % PSUM_BLOCK];
}

void
summary_release(struct summary *s)
{
	size_t i;

	for (i = 0; i < s->days.nblk; i++)
		free(s->days.blk[i]);
	free(s->days.blk);
	for (i = 0; i < s->nblk; i++)
		free(s->blk[i]);
	batch_release(&s->b);
	free(s->fig);
	for (i = 0; i < s->ntext_blk; i++)
		free(s->text_blk[i]);
	free(s->text_blk);
	free(s->blk);
	free(s->id);
	for (i = 0; i < 3; i++)
		free(s->spare[i]);
	idmap_release(&s->map);
	memset(s, 0, sizeof(*s));
}

enum { SPARE_PSUM, SPARE_DAYS, SPARE_TEXT, SPARE_INDEX, SPARE_IDS };
#define HUGE_PAGE ((size_t)2 << 20)
_Static_assert(PSUM_BLOCK * sizeof(struct psum) == HUGE_PAGE,
    "a block of entries is one huge page");

/*
 * A block of one huge page for blocks of kind k.  The kernel zeroes a
 * page when it is first touched, and on the bench's host that took a
 * tenth of the summary's time, most of it in the counting thread at the
 * start, where the new customers are, while the reading thread waited
 * for room (and up to 0.2 s for 115 MB in the host's slow spells).  So
 * each block is allocated one ahead of need, and once the block in use
 * is half full the spare is offered to the reading thread, which faults
 * it in between chunks (summary_prefault()): the counting thread gets
 * pages the kernel has already zeroed.  Not before half: a spare that
 * is never used would be faulted in for nothing (peak memory).
 */
static void *
huge_block(struct summary *s, int k)
{
	void *b = s->spare[k] ? s->spare[k] : big_alloc(HUGE_PAGE);

	s->spare[k] = big_alloc(HUGE_PAGE);
	return b;
}

static void
offer_spare(struct summary *s, int k)
{
	if (s->spare[k])
		__atomic_store_n(&s->ahead[k], s->spare[k], __ATOMIC_RELEASE);
}

/* Whether left, the free bytes of a block, went below half a huge page
 * by taking n of them. */
static int
past_half(size_t left, size_t n)
{
	return left >= HUGE_PAGE / 2 && left - n < HUGE_PAGE / 2;
}

void
summary_prefault(struct summary *s)
{
#ifdef MADV_POPULATE_WRITE
	int k;

	for (k = 0; k < 5; k++) {
		void *p;

		if (!__atomic_load_n(&s->ahead[k], __ATOMIC_RELAXED))
			continue;
		p = __atomic_exchange_n(&s->ahead[k], NULL, __ATOMIC_ACQUIRE);
		/* Pages in use stay as they are, whatever the range (one
		 * made stale by a later offer too): populating changes no
		 * byte.  A kernel without it says EINVAL, and the pages are
		 * faulted in when used. */
		if (p)
			(void)madvise(p, k >= SPARE_INDEX ?
			    __atomic_load_n(&s->ahead_bytes[k], __ATOMIC_RELAXED) :
			    HUGE_PAGE, MADV_POPULATE_WRITE);
	}
#else
	(void)s;
#endif
}

/* Offer the second half of the new array t of bytes to the reading
 * thread, and wake it. */
static void
offer_half(struct summary *s, int k, char *t, size_t bytes)
{
	__atomic_store_n(&s->ahead_bytes[k], bytes / 2, __ATOMIC_RELAXED);
	__atomic_store_n(&s->ahead[k], t + bytes / 2, __ATOMIC_RELEASE);
	s->poke(s->poke_arg);
}

/*
 * The index grows to twice its slots, zeroed: 16 MB for half a million
 * customers, each page zeroed by the kernel as it is first touched (47
 * ms of one run), while the reading thread waited for room.  So while
 * two threads scan, the reading thread is woken to fault in the second
 * half while this one zeroes the first; both zero what the other has
 * not reached.
 */
static void
grow_index(struct summary *s, size_t cap)
{
	size_t bytes = cap * sizeof(struct idslot);
	char *t;

	if (!s->poke || bytes < 4 * HUGE_PAGE) {
		idmap_grow(&s->map, big_calloc(cap, sizeof(struct idslot)), cap);
		return;
	}
	t = big_alloc(bytes);
	offer_half(s, SPARE_INDEX, t, bytes);
	memset(t, 0, bytes);
	/* Not taken yet: it is too late to help. */
	__atomic_store_n(&s->ahead[SPARE_INDEX], NULL, __ATOMIC_RELAXED);
	idmap_grow(&s->map, (struct idslot *)(void *)t, cap);
}

void
summary_drop_index(struct summary *s)
{
	idmap_release(&s->map);
}

static char *
keep_id(struct summary *s, const char *id, size_t len)
{
	char *p;

	if (len + 1 > s->text_left) {
		/* Small blocks for a few customers, then huge pages (see
		 * big_alloc()) for many: a page fault for every 4 KB costs. */
		size_t blk = s->ntext_blk < 8 ? (size_t)64 << 10 : (size_t)2 << 20;
		size_t n = len + 1 > blk ? len + 1 : blk;

		s->text_blk = xreallocarray(s->text_blk, s->ntext_blk + 1,
		    sizeof(*s->text_blk));
		s->text = s->text_blk[s->ntext_blk++] = n == HUGE_PAGE ?
		    huge_block(s, SPARE_TEXT) : big_alloc(n);
		s->text_left = n;
	}
	if (past_half(s->text_left, len + 1))
		offer_spare(s, SPARE_TEXT);
	p = s->text;
	memcpy(p, id, len);
	p[len] = '\0';
	s->text += len + 1;
	s->text_left -= len + 1;
	return p;
}

long
summary_find(const struct summary *s, const char *id)
{
	return idmap_lookup(&s->map, s->id, id);
}

void
summary_find_all(const struct summary *s, const char *const *id, size_t n,
    long *out)
{
	enum { D = 16 };
	uint32_t ring[D];
	size_t i;

	for (i = 0; i < n + D; i++) {
		if (i >= D) {
			size_t j = i - D, len = strlen(id[j]);

			out[j] = idmap_find(&s->map, s->id, id[j], len,
			    idmap_word(id[j], len), ring[j % D]);
		}
		if (i < n) {
			size_t len = strlen(id[i]);

			ring[i % D] = idmap_hash(id[i], len, idmap_word(id[i], len));
			idmap_prefetch(&s->map, ring[i % D]);
		}
	}
}

/* The index of the customer's entry, which is added when new; w and h
 * are idmap_word() and idmap_hash() of the id. */
static size_t
get_index_wh(struct summary *s, const char *id, size_t len, uint64_t w,
    uint32_t h)
{
	struct psum *p;
	size_t i;
	int found;

	if ((i = idmap_next_cap(&s->map)) != 0)
		grow_index(s, i);
	i = idmap_probe(&s->map, s->id, id, len, w, h, &found);
	if (found)
		return idmap_at(&s->map, i);
	/* Blocks, not one array: growing never copies what is there. */
	if (s->n % PSUM_BLOCK == 0) {
		s->blk = xreallocarray(s->blk, s->nblk + 1, sizeof(*s->blk));
		s->blk[s->nblk] = huge_block(s, SPARE_PSUM);
		memset(s->blk[s->nblk++], 0, HUGE_PAGE);
	}
	if ((s->n & (s->n - 1)) == 0 || s->n < 16) {
		s->id = big_reallocarray(s->id, s->n, s->n < 16 ? 16 : s->n * 2,
		    sizeof(*s->id));
		/* Its second half fills as new customers come: the reading
		 * thread may fault it in meanwhile. */
		if (s->poke && s->n * 2 * sizeof(*s->id) >= 2 * HUGE_PAGE)
			offer_half(s, SPARE_IDS, (char *)s->id,
			    s->n * 2 * sizeof(*s->id));
	}
	s->id[s->n] = keep_id(s, id, len);
	idmap_set(&s->map, i, len, w, h, s->n);
	p = summary_at(s, s->n);
	p->first = INT32_MAX;
	p->last = INT32_MIN;
	if (s->n % PSUM_BLOCK == PSUM_BLOCK / 2)
		offer_spare(s, SPARE_PSUM);
	return s->n++;
}

static size_t
get_index(struct summary *s, const char *id, size_t len)
{
	uint64_t w = idmap_word(id, len);

	return get_index_wh(s, id, len, w, idmap_hash(id, len, w));
}

struct psum *
summary_get(struct summary *s, const char *id, size_t len)
{
	return summary_at(s, get_index(s, id, len));
}

const int32_t *
psum_days(const struct psum *p)
{
	return p->ndays > PSUM_INL ? p->d.v : p->d.inl;
}

static int32_t *
days_of(struct psum *p)
{
	return p->ndays > PSUM_INL ? p->d.v : p->d.inl;
}

#define DAYS_BLOCK ((size_t)2 << 20)	/* one huge page */

/* A list of cap days from the pool: cap is a power of two of 8 or more. */
static int32_t *
days_alloc(struct summary *s, uint32_t cap)
{
	int k = __builtin_ctz(cap);
	size_t bytes = (size_t)cap * sizeof(int32_t);
	int32_t *v = s->days.free[k];
	char *b;

	if (v) {
		int32_t *next;

		memcpy(&next, v, sizeof(next));
		s->days.free[k] = next;
		return v;
	}
	if (bytes > s->days.left) {
		/* The first block a small one, for a small log. */
		size_t blk = s->days.nblk ? DAYS_BLOCK : DAYS_BLOCK / 8;
		size_t n = bytes > blk ? bytes : blk;

		s->days.blk = xreallocarray(s->days.blk, s->days.nblk + 1,
		    sizeof(*s->days.blk));
		b = s->days.blk[s->days.nblk++] = n == HUGE_PAGE ?
		    huge_block(s, SPARE_DAYS) : big_alloc(n);
		/* A list bigger than a block has a block of its own. */
		if (bytes > blk)
			return (int32_t *)(void *)b;
		s->days.next = b;
		s->days.left = n;
	}
	if (past_half(s->days.left, bytes))
		offer_spare(s, SPARE_DAYS);
	v = (int32_t *)(void *)s->days.next;
	s->days.next += bytes;
	s->days.left -= bytes;
	return v;
}

/* v, a list of cap days, is free again: the first 8 bytes link it. */
static void
days_free(struct summary *s, int32_t *v, uint32_t cap)
{
	int k = __builtin_ctz(cap);

	memcpy(v, &s->days.free[k], sizeof(s->days.free[k]));
	s->days.free[k] = v;
}

/*
 * Make room for one more day.  The list on the heap holds a power of two
 * of at least 8 days, so that it is full exactly when ndays is such a
 * power: no capacity need be kept.
 */
static int32_t *
days_room(struct summary *s, struct psum *p)
{
	uint32_t n = p->ndays;
	int32_t *v;

	if (n < PSUM_INL)
		return p->d.inl;
	if (n == PSUM_INL) {
		v = days_alloc(s, 8);
		memcpy(v, p->d.inl, sizeof(p->d.inl));
		p->d.v = v;
		return v;
	}
	/* n is at most the days of years 1 to 9999: n * 2 fits. */
	if (n >= 8 && (n & (n - 1)) == 0) {
		v = days_alloc(s, n * 2);
		memcpy(v, p->d.v, (size_t)n * sizeof(*v));
		days_free(s, p->d.v, n);
		p->d.v = v;
	}
	return p->d.v;
}

/* Add day to the sorted set of purchase days; 1 if it was new. */
static int
add_day(struct summary *s, struct psum *p, int32_t day)
{
	int32_t *v = days_of(p);
	uint32_t lo = 0, hi = p->ndays;

	/*
	 * Logs are mostly in date order: the new day is usually the last
	 * one, or a new last one.  p->last (the largest day, which callers
	 * keep) tells without reading the list, which is one cache miss
	 * fewer for each event.
	 */
	if (p->ndays && p->last == day)
		return 0;
	if (!p->ndays || p->last < day) {
		lo = p->ndays;
	} else {
		while (lo < hi) {
			uint32_t mid = (lo + hi) / 2;

			if (v[mid] < day)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < p->ndays && v[lo] == day)
			return 0;
	}
	v = days_room(s, p);
	memmove(v + lo + 1, v + lo, (p->ndays - lo) * sizeof(*v));
	v[lo] = day;
	p->ndays++;
	return 1;
}

/*
 * Purchases and refunds are not counted one by one but in batches, as a
 * pipeline: when a batch is counted, the index slot of each event is
 * asked for from memory SLOT_AHEAD events before it is looked up, and
 * the entry it finds AHEAD events before it is counted.  With half a
 * million customers each of those reads is a cache miss; waited for
 * together, a dozen at a time, they cost little more than one.  (Asking
 * for the day lists too was slower: it waits for the entry to know where
 * they are.)  The events are counted in order, so the result is the same
 * as counting each as it comes.
 */
#define SLOT_AHEAD 32
#define AHEAD 16

static int
apply(struct summary *s, struct psum *p, const struct sum_pending *e,
    const char *id, long line_base, struct crm_err *err)
{
	int32_t day = e->day;

	if (day > s->max_day)
		s->max_day = day;
	if (e->kind == SUM_REFUND) {
		if (money_add(&p->revenue, -e->amount) < 0)
			goto overflow;
		return 0;
	}
	if (money_add(&p->revenue, e->amount) < 0 ||
	    money_add(&p->bought, e->amount) < 0)
		goto overflow;
	p->npurch++;
	add_day(s, p, day);
	if (day < p->first) {
		p->first = day;
		p->first_total = e->amount;
	} else if (day == p->first) {
		p->first_total += e->amount;	/* bounded by bought: no overflow */
	}
	if (day > p->last)
		p->last = day;
	return 0;
overflow:
	return crm_error(err, "%s:%ld: the sum of amounts of customer '%s' is too "
	    "large", e->file, e->line + line_base, q(id));
}

/* Count the events of b, in order, and empty it. */
static int
count_batch(struct summary *s, struct sum_batch *b, struct crm_err *err)
{
	size_t k, n = b->n;
	int rc = 0;

	for (k = 0; k < n + SLOT_AHEAD + AHEAD && rc == 0; k++) {
		struct sum_pending *e;

		if (k < n) {
			e = &b->ev[k];
			if (!b->hashed) {
				e->word = idmap_word(b->ids + e->idoff, e->idlen);
				e->hash = idmap_hash(b->ids + e->idoff, e->idlen,
				    e->word);
			}
			idmap_prefetch(&s->map, e->hash);
		}
		if (k >= SLOT_AHEAD && k - SLOT_AHEAD < n) {
			e = &b->ev[k - SLOT_AHEAD];
			e->idx = get_index_wh(s, b->ids + e->idoff, e->idlen,
			    e->word, e->hash);
			e->p = summary_at(s, e->idx);
			prefetch_w(e->p);
		}
		if (k >= SLOT_AHEAD + AHEAD && k - SLOT_AHEAD - AHEAD < n) {
			e = &b->ev[k - SLOT_AHEAD - AHEAD];
			if (e->kind == SUM_OTHER) {
				s->other(s->other_arg, e->idx, e->day);
				continue;
			}
			rc = apply(s, e->p, e, b->ids + e->idoff, b->line_base, err);
			if (rc == 0 && s->hook)
				s->hook(s->hook_arg, e->idx, e->day,
				    e->kind == SUM_REFUND, e->amount);
		}
	}
	b->n = 0;
	b->used = 0;
	return rc;
}

int
summary_flush(struct summary *s, struct crm_err *err)
{
	return count_batch(s, &s->b, err);
}

/*
 * Copy n bytes, n > 0.  Ids are short: for up to 16 bytes two copies of
 * a fixed size, which may overlap, instead of a call to memcpy() (2% of
 * the reading).  Nothing outside [src, src + n) is read.
 */
static inline void
copy_short(char *dst, const char *src, size_t n)
{
	if (n >= 8 && n <= 16) {
		memcpy(dst, src, 8);
		memcpy(dst + n - 8, src + n - 8, 8);
	} else if (n >= 4 && n < 8) {
		memcpy(dst, src, 4);
		memcpy(dst + n - 4, src + n - 4, 4);
	} else {
		memcpy(dst, src, n);
	}
}

/*
 * Put ev into b if it is a purchase or a refund, or of other_type
 * (NULL: none) of other_len bytes, dated up to end: 1 if it was, 0 if
 * not, -1 on an error.  The type is compared by its length first, not
 * with strcmp(): crm-segment asks this of every call and email.
 * b must not be full.  It touches nothing but b: the reading thread of
 * the pipeline (summary_scan()) calls it while the summary is counted.
 */
static int
batch_put(struct sum_batch *b, const struct event *ev, int32_t end,
    const char *other_type, size_t other_len, const char *file,
    struct crm_err *err)
{
	const char *id = ev->f[LF_CUSTOMER];
	struct sum_pending *e;
	size_t len;
	int kind;

	if (ev->kind == EV_PURCHASE)
		kind = SUM_PURCHASE;
	else if (ev->kind == EV_REFUND)
		kind = SUM_REFUND;
	else if (other_type && ev->len[LF_TYPE] == other_len &&
	    memcmp(ev->f[LF_TYPE], other_type, other_len) == 0)
		kind = SUM_OTHER;
	else
		return 0;
	if (ev->date.day > end)
		return 0;
	if (kind != SUM_OTHER && !ev->has_amount)
		return crm_error(err, "%s:%ld: a %s without an amount", file, ev->line,
		    ev->f[LF_TYPE]);
	len = ev->len[LF_CUSTOMER];
	if (b->used + len + 1 > b->idcap) {
		b->idcap = (b->used + len + 1) * 2;
		b->ids = xrealloc(b->ids, b->idcap);
	}
	e = &b->ev[b->n++];
	copy_short(b->ids + b->used, id, len + 1);
	e->idoff = b->used;
	e->idlen = (uint32_t)len;
	b->used += len + 1;
	e->day = ev->date.day;
	e->amount = ev->amount;
	e->kind = kind;
	e->line = ev->line;
	e->file = file;
	return 1;
}

int
summary_add(struct summary *s, const struct event *ev, const char *file,
    struct crm_err *err)
{
	struct sum_batch *b = &s->b;
	int k;

	if (!b->cap)
		batch_init(b, SUM_BATCH);
	if (b->n == b->cap && count_batch(s, b, err) < 0)
		return -1;
	k = batch_put(b, ev, s->end, s->other ? s->other_type : NULL,
	    s->other ? strlen(s->other_type) : 0, file, err);
	if (k < 0)
		return summary_fail(s, err);
	return 0;
}

int
summary_fail(struct summary *s, struct crm_err *err)
{
	struct crm_err earlier;

	if (count_batch(s, &s->b, &earlier) < 0)
		*err = earlier;
	return -1;
}

/*
 * The figures of an entry built from events, in millionths (as
 * summary_row() writes them, with six decimals), so that a model fitted
 * on summaries read back from files is bit for bit the one fitted in
 * memory: x / 1e6 of an integer x is the double nearest to the decimal
 * text, as strtod() gives it.
 */
static void
micro_figures(const struct psum *p, int32_t end, double ud, double out[3])
{
	out[0] = round((p->last - p->first) / ud * 1e6);
	out[1] = round((end - p->first) / ud * 1e6);
	out[2] = p->ndays > 1 ? round(money_to_double(p->bought -
	    p->first_total) / (p->ndays - 1) * 1e6) : 0;
}

void
summary_figures(const struct summary *s, size_t i, int32_t end,
    enum sum_unit unit, struct rfm_figures *out)
{
	const struct psum *p = summary_at(s, i);
	double m[3];

	if (s->fig) {
		out->frequency = s->fig[i][0];
		out->recency = s->fig[i][1];
		out->T = s->fig[i][2];
		out->monetary = s->fig[i][3];
		return;
	}
	if (!p->ndays) {
		memset(out, 0, sizeof(*out));
		return;
	}
	micro_figures(p, end, sum_unit_days(unit), m);
	out->frequency = p->ndays - 1;
	out->recency = m[0] / 1e6;
	out->T = m[1] / 1e6;
	out->monetary = m[2] / 1e6;
}

static void
num(char *buf, double v)
{
	/* Six decimals are exact enough for days/7 and keep lines short. */
	fmt_fixed(buf, v, 6);
}

/*
 * A figure in millionths from micro_figures(): round(x * 1e6) for a
 * double x, whose v / 1e6 is x again, so that num() would write v's
 * digits; written from the integer, without the double's round trip (a
 * quarter of the writing).  Below 8e15 the quotient is exact enough for
 * that (from 2^33 * 1e6 it need not be).
 */
static void
num_micro(char *buf, double v)
{
	if (v > -8e15 && v < 8e15)
		fmt_scaled(buf, (long long)v, 6);
	else
		num(buf, v / 1e6);
}

void
summary_row(const struct summary *s, size_t i, int32_t end, enum sum_unit unit,
    char buf[SUMMARY_NCOL][40], const char *f[SUMMARY_NCOL])
{
	const struct psum *p = summary_at(s, i);
	int k;

	for (k = 0; k < SUMMARY_NCOL; k++) {
		buf[k][0] = '\0';
		f[k] = buf[k];
	}
	f[0] = s->id[i];
	fmt_uint(buf[1], p->npurch);
	fmt_uint(buf[2], p->ndays);
	if (p->ndays) {
		date_format(buf[3], p->first);
		date_format(buf[4], p->last);
	}
	money_format(buf[5], p->revenue);
	if (s->fig) {
		struct rfm_figures r;

		summary_figures(s, i, end, unit, &r);
		if (p->ndays) {
			fmt_fixed(buf[6], r.frequency, 0);
			num(buf[7], r.recency);
			num(buf[8], r.T);
			/* Not cents: a mean rounded to cents moves the
			 * Gamma-Gamma fit. */
			num(buf[9], r.monetary);
		}
	} else if (p->ndays) {
		double m[3];

		micro_figures(p, end, sum_unit_days(unit), m);
		fmt_uint(buf[6], p->ndays - 1);
		num_micro(buf[7], m[0]);
		num_micro(buf[8], m[1]);
		num_micro(buf[9], m[2]);
	}
	f[10] = sum_unit_names[unit];
}

int
summary_is(struct reader *r)
{
	int k;

	for (k = 0; k < SUMMARY_NCOL; k++)
		if (rd_col_find(r, summary_cols[k]) < 0)
			return 0;
	return 1;
}

static int
read_num(const char *s, double *out)
{
	char *end;

	if (!*s) {
		*out = 0;
		return 0;
	}
	*out = strtod(s, &end);
	return *end || !isfinite(*out) ? -1 : 0;
}

int
summary_read(struct summary *s, struct reader *r, struct crm_err *err)
{
	const char *name = rd_name(r);
	int col[SUMMARY_NCOL], k, have_unit = s->n > 0;
	struct crm_err e;
	struct rec *rec;

	for (k = 0; k < SUMMARY_NCOL; k++)
		col[k] = rd_col(r, summary_cols[k]);
	while ((k = rd_next(r, &rec, err)) > 0) {
		const char *id = rec_get(rec, col[0]), *f;
		struct crm_date d;
		enum sum_unit u;
		struct psum *p;
		size_t before = s->n, j;
		char *end;

		/* Concatenated shard outputs repeat the header: skip it. */
		for (j = 0; j < SUMMARY_NCOL; j++)
			if (!streq(rec_get(rec, col[j]), summary_cols[j]))
				break;
		if (j == SUMMARY_NCOL)
			continue;
		if (!*id)
			return crm_error(err, "%s:%ld: no customer", name, rec->line);
		if (sum_unit_parse(rec_get(rec, col[10]), &u) < 0)
			return crm_error(err, "%s:%ld: invalid unit '%s'", name, rec->line,
			    q(rec_get(rec, col[10])));
		if (have_unit && u != s->unit)
			return crm_error(err, "%s:%ld: unit '%s' where the summaries so "
			    "far are in %ss", name, rec->line, sum_unit_names[u],
			    sum_unit_names[s->unit]);
		s->unit = u;
		have_unit = 1;
		p = summary_get(s, id, strlen(id));
		if (s->n == before)
			return crm_error(err, "%s:%ld: customer '%s' appears twice (were "
			    "the shards split by customer?)", name, rec->line, q(id));
		ALLOC_GROW(s->fig, s->n, s->figcap);
		p->npurch = (uint32_t)strtoul(rec_get(rec, col[1]), &end, 10);
		if (*end)
			goto bad;
		p->ndays = (uint32_t)strtoul(rec_get(rec, col[2]), &end, 10);
		if (*end)
			goto bad;
		f = rec_get(rec, col[3]);
		if (*f) {
			if (date_parse_iso(f, &d) < 0)
				return crm_error(err, "%s:%ld: invalid date '%s'", name,
				    rec->line, q(f));
			p->first = d.day;
		}
		f = rec_get(rec, col[4]);
		if (*f) {
			if (date_parse_iso(f, &d) < 0)
				return crm_error(err, "%s:%ld: invalid date '%s'", name,
				    rec->line, q(f));
			p->last = d.day;
			if (d.day > s->max_day)
				s->max_day = d.day;
		}
		if (money_parse(rec_get(rec, col[5]), &p->revenue, &e) < 0)
			return crm_error(err, "%s:%ld: %s", name, rec->line, e.msg);
		if (read_num(rec_get(rec, col[6]), &s->fig[s->n - 1][0]) < 0 ||
		    read_num(rec_get(rec, col[7]), &s->fig[s->n - 1][1]) < 0 ||
		    read_num(rec_get(rec, col[8]), &s->fig[s->n - 1][2]) < 0 ||
		    read_num(rec_get(rec, col[9]), &s->fig[s->n - 1][3]) < 0)
			goto bad;
		/* ndays is kept for RFM; the day set itself is not needed. */
		continue;
bad:
		return crm_error(err, "%s:%ld: invalid number in the summary", name,
		    rec->line);
	}
	return k;
}

int
summary_threads(void)
{
	const char *e = getenv("CRM_THREADS");
	cpu_set_t set;

	if (e && *e)
		return atoi(e) >= 2 ? 2 : 1;
	/* The processors this process may run on, not the machine's. */
	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		return CPU_COUNT(&set) >= 2 ? 2 : 1;
	/* More processors than a cpu_set_t holds. */
	return sysconf(_SC_NPROCESSORS_ONLN) >= 2 ? 2 : 1;
}

/*
 * The pipeline: a second thread reads the log and puts its purchases
 * and refunds into batches; the caller's thread counts them, in the
 * log's order, as summary_add() and summary_flush() would.  Only the
 * batches pass between the threads, so the memory is that of one
 * summary.  Up to PIPE_RING batches of PIPE_BATCH events are in flight;
 * the counting thread, when it has caught up, sleeps until PIPE_WAKE of
 * them are ready: waking it is a system call, and it is quicker than
 * the reading, so it would otherwise be woken for every batch.
 */
#define PIPE_BATCH 2048
#define PIPE_RING 8
#define PIPE_WAKE 4
/* Below this, starting a thread costs more than it saves. */
#define PIPE_MIN ((int64_t)1 << 20)

/* A batch on cache lines of its own: the reading thread writes the
 * one it fills for each event while the counting thread counts the one
 * before (see struct wr_par in writer.c for what sharing one costs). */
struct pipe_batch {
	_Alignas(64) struct sum_batch b;
};

struct pipe {
	struct pipe_batch pb[PIPE_RING];
	pthread_mutex_t mu;
	pthread_cond_t ready;	/* batches to count, or the end */
	pthread_cond_t room;	/* a batch to fill, or stop */
	int counter_waits, reader_waits;
	size_t filled, counted;	/* batches so far */
	int done;		/* the reading is over, with rc */
	/* The counting met an error: read no more.  Looked at between
	 * events too, not only between batches: a pipe may be slow to give
	 * the rest of a batch, and the error waits for nothing. */
	atomic_int stop;
	int rc;
	struct crm_err err;	/* the reading's */
	struct logreader *lr;
	struct summary *s;	/* for summary_prefault() alone */
	int32_t end;
	const char *other_type;
	size_t other_len;
};

static void *
pipe_read(void *v)
{
	struct pipe *pp = v;
	const char *file = rd_name(pp->lr->rd);
	struct event ev;
	int k = 1;

	while (k > 0) {
		struct sum_batch *b;

		summary_prefault(pp->s);
		pthread_mutex_lock(&pp->mu);
		while (pp->filled - pp->counted == PIPE_RING && !atomic_load(&pp->stop)) {
			pp->reader_waits = 1;
			pthread_cond_wait(&pp->room, &pp->mu);
			pp->reader_waits = 0;
		}
		if (atomic_load(&pp->stop))
			k = 0;
		pthread_mutex_unlock(&pp->mu);
		if (k == 0)
			break;
		b = &pp->pb[pp->filled % PIPE_RING].b;
		while (b->n < b->cap && (k = logr_next(pp->lr, &ev, &pp->err)) > 0) {
			if (batch_put(b, &ev, pp->end, pp->other_type,
			    pp->other_len, file, &pp->err) < 0) {
				k = -1;
				break;
			}
			if (atomic_load_explicit(&pp->stop, memory_order_relaxed))
				break;
		}
		/* A batch cut short by an error is counted all the same: an
		 * overflow in it is of an earlier line. */
		pthread_mutex_lock(&pp->mu);
		pp->filled++;
		if (k <= 0) {
			pp->done = 1;
			pp->rc = k;
		}
		if (pp->counter_waits &&
		    (pp->filled - pp->counted >= PIPE_WAKE || pp->done))
			pthread_cond_signal(&pp->ready);
		pthread_mutex_unlock(&pp->mu);
	}
	return NULL;
}

/* Returns 0, -1 on an error, or 1 when no thread could be started. */
static int
scan_pipe(struct summary *s, struct logreader *lr, struct crm_err *err)
{
	struct pipe pp;
	pthread_t th;
	int i, rc = 0;

	memset(&pp, 0, sizeof(pp));
	for (i = 0; i < PIPE_RING; i++)
		batch_init(&pp.pb[i].b, PIPE_BATCH);
	pthread_mutex_init(&pp.mu, NULL);
	pthread_cond_init(&pp.ready, NULL);
	pthread_cond_init(&pp.room, NULL);
	pp.lr = lr;
	pp.s = s;
	pp.end = s->end;
	pp.other_type = s->other ? s->other_type : NULL;
	pp.other_len = s->other ? strlen(s->other_type) : 0;
	if (pthread_create(&th, NULL, pipe_read, &pp) != 0) {
		rc = 1;
		goto out;
	}
	for (;;) {
		struct sum_batch *b;

		pthread_mutex_lock(&pp.mu);
		if (pp.counted == pp.filled)
			while (pp.filled - pp.counted < PIPE_WAKE && !pp.done) {
				pp.counter_waits = 1;
				pthread_cond_wait(&pp.ready, &pp.mu);
				pp.counter_waits = 0;
			}
		if (pp.counted == pp.filled) {
			pthread_mutex_unlock(&pp.mu);
			break;
		}
		pthread_mutex_unlock(&pp.mu);
		b = &pp.pb[pp.counted % PIPE_RING].b;
		rc = count_batch(s, b, err);
		pthread_mutex_lock(&pp.mu);
		pp.counted++;
		if (rc < 0)
			atomic_store(&pp.stop, 1);
		if (pp.reader_waits)
			pthread_cond_signal(&pp.room);
		pthread_mutex_unlock(&pp.mu);
		if (rc < 0)
			break;
	}
	pthread_join(th, NULL);
	/* An error in counting is of an earlier line than the reading's. */
	if (rc == 0 && pp.rc < 0) {
		*err = pp.err;
		rc = -1;
	}
out:
	for (i = 0; i < PIPE_RING; i++)
		batch_release(&pp.pb[i].b);
	pthread_mutex_destroy(&pp.mu);
	pthread_cond_destroy(&pp.ready);
	pthread_cond_destroy(&pp.room);
	return rc;
}

/*
 * A log in a file is read by both threads, in chunks of CHUNK bytes.
 * The pipeline above leaves the counting thread idle half the time,
 * and the reading thread is what it waits for: here either thread
 * reads the next chunk that nobody has taken, into a batch of its own,
 * and the caller's thread also counts the chunks, in order, as soon as
 * the next one is read.  The reading is shared out by itself, and the
 * counting, with hook() and other(), stays in the log's order and in
 * the caller's thread.  Up to CHUNK_RING chunks are read ahead of the
 * counting, which bounds the memory (a chunk of the bench's log holds
 * 8,600 purchases and refunds on average).
 *
 * Where a chunk starts is a guess (rd_cut()): just after a line feed,
 * which may be inside a quoted field.  So a chunk is counted only when
 * it started exactly where the one before it stopped (the offset after
 * its last record), and read without an error.  Any other chunk is
 * read again by the counting thread, from where the one before stopped
 * and with the true line numbers: an error in it then has the message
 * one thread gives, and the records are those one reader gives (rd_seek()).
 * A chunk counted as read had line numbers from 0, which its
 * line_base puts right.
 */
#define CHUNK ((int64_t)1 << 20)
#define CHUNK_RING 4

/* Each on cache lines of its own, as a pipe_batch. */
struct chunk {
	_Alignas(64) struct sum_batch b;
	int64_t start, end;	/* its records: those that begin in [start, end) */
	int64_t stop;		/* rd_tell() where its reading stopped */
	long lines;		/* the lines from start to stop */
	int ok;			/* read to end, or to the end of the log, cleanly */
	int ready;
};

/* What each thread reads with. */
struct chunk_reader {
	_Alignas(64) struct logreader lr;	/* a copy of the caller's, over a clone */
	struct crm_err err;
};

struct chunks {
	struct chunk c[CHUNK_RING];
	pthread_mutex_t mu;
	pthread_cond_t ready;	/* the chunk to count next is read */
	pthread_cond_t room;	/* a chunk may be taken, or stop */
	int counter_waits, reader_waits;
	size_t n, taken, counted;
	atomic_int stop;
	int64_t from;		/* where the first chunk starts */
	int64_t chunk;
	int32_t end;
	const char *other_type;
	size_t other_len;
	const char *file;
	struct chunk_reader rd[2];	/* the caller's, the helper's */
	struct summary *s;	/* for summary_prefault() alone */
};

static int64_t
chunk_size(void)
{
	const char *e = getenv("CRM_CHUNK");
	long long v;

	/* For the tests: small chunks put the cuts everywhere. */
	if (e && *e && (v = atoll(e)) > 0)
		return v < (long long)1 << 30 ? (int64_t)v : (int64_t)1 << 30;
	return CHUNK;
}

/* Where chunk j begins (a guess but for the first); INT64_MAX past the last. */
static int64_t
chunk_start(struct chunks *cs, struct chunk_reader *cr, size_t j)
{
	if (j == 0)
		return cs->from;
	if (j >= cs->n)
		return INT64_MAX;
	return rd_cut(cr->lr.rd, cs->from + (int64_t)j * cs->chunk);
}

/*
 * Read the records that begin in [start, end) into c, from start, as
 * if lineno lines came before it.  c->ok is 0 when the reading met an
 * error (in cr->err) or was stopped.  From a guess, the input ends a
 * chunk (or 4 KB) past end: read from inside a quoted field, the rest
 * of the file may look like one field, which is not to be held.
 */
static void
chunk_read(struct chunks *cs, struct chunk_reader *cr, struct chunk *c,
    int64_t start, long lineno, int64_t end, int guess)
{
	int64_t slack = cs->chunk > 4096 ? cs->chunk : 4096;
	struct reader *rd = cr->lr.rd;
	struct sum_batch *b = &c->b;
	struct event ev;
	int k;

	c->start = start;
	c->end = end;
	c->ok = 0;
	b->n = b->used = 0;
	b->line_base = 0;
	/* Most records end within a few KB of the end. */
	rd_seek(rd, start, lineno, end < INT64_MAX - 65536 ? end + 65536 : 0,
	    guess && end < INT64_MAX - slack ? end + slack : 0);
	cr->lr.last_len = 0;
	for (;;) {
		if (rd_tell(rd) >= end) {
			c->ok = 1;
			break;
		}
		if ((k = logr_next(&cr->lr, &ev, &cr->err)) <= 0) {
			c->ok = k == 0;
			break;
		}
		if (b->n == b->cap) {
			b->cap *= 2;
			b->ev = xreallocarray(b->ev, b->cap, sizeof(*b->ev));
		}
		if ((k = batch_put(b, &ev, cs->end, cs->other_type,
		    cs->other_len, cs->file, &cr->err)) < 0)
			break;
		if (k > 0) {
			/* Here, not in the counting thread, which also reads
			 * when it has nothing to count: the work is shared. */
			struct sum_pending *e = &b->ev[b->n - 1];

			e->word = idmap_word(b->ids + e->idoff, e->idlen);
			e->hash = idmap_hash(b->ids + e->idoff, e->idlen, e->word);
		}
		if (atomic_load_explicit(&cs->stop, memory_order_relaxed))
			break;
	}
	/* A guess read to its hard end may have a record cut short there. */
	if (guess && rd_at_end(rd) && end < INT64_MAX - slack)
		c->ok = 0;
	c->stop = rd_tell(rd);
	c->lines = rd_lines(rd) - lineno;
}

/* Take the next chunk, if one may be taken (cs->mu held): its number, or -1. */
static long
chunk_take(struct chunks *cs)
{
	if (cs->taken < cs->n && cs->taken < cs->counted + CHUNK_RING &&
	    !atomic_load(&cs->stop))
		return (long)cs->taken++;
	return -1;
}

static void
chunk_read_next(struct chunks *cs, struct chunk_reader *cr, size_t j)
{
	struct chunk *c = &cs->c[j % CHUNK_RING];

	chunk_read(cs, cr, c, chunk_start(cs, cr, j), 0,
	    chunk_start(cs, cr, j + 1), 1);
	pthread_mutex_lock(&cs->mu);
	c->ready = 1;
	if (cs->counter_waits && j == cs->counted)
		pthread_cond_signal(&cs->ready);
	pthread_mutex_unlock(&cs->mu);
}

/* s->poke while the chunks are read: wake the helper if it waits. */
static void
chunks_poke(void *arg)
{
	struct chunks *cs = arg;

	pthread_mutex_lock(&cs->mu);
	if (cs->reader_waits)
		pthread_cond_signal(&cs->room);
	pthread_mutex_unlock(&cs->mu);
}

static void *
chunk_helper(void *v)
{
	struct chunks *cs = v;
	long j;

	for (;;) {
		/* Before each chunk, and after each wait for room (or to be
		 * poked): the counting thread makes new spares as it goes. */
		summary_prefault(cs->s);
		pthread_mutex_lock(&cs->mu);
		if ((j = chunk_take(cs)) < 0 && cs->taken < cs->n &&
		    !atomic_load(&cs->stop)) {
			cs->reader_waits = 1;
			pthread_cond_wait(&cs->room, &cs->mu);
			cs->reader_waits = 0;
			pthread_mutex_unlock(&cs->mu);
			continue;
		}
		pthread_mutex_unlock(&cs->mu);
		if (j < 0)
			return NULL;
		chunk_read_next(cs, &cs->rd[1], (size_t)j);
	}
}

/* Count c, which is read; *pos and *line: where the chunk before it
 * stopped, and the lines up to there. */
static int
chunk_count(struct summary *s, struct chunks *cs, struct chunk *c,
    int64_t *pos, long *line, struct crm_err *err)
{
	struct chunk_reader *cr = &cs->rd[0];
	int rc;

	if (c->ok && c->start == *pos) {
		c->b.line_base = *line;
	} else {
		/* A wrong guess, or an error whose message needs the true
		 * line: read it again, from where the last chunk stopped. */
		chunk_read(cs, cr, c, *pos, *line, c->end, 0);
	}
	rc = count_batch(s, &c->b, err);
	if (rc == 0 && !c->ok) {
		*err = cr->err;
		rc = -1;
	}
	*pos = c->stop;
	*line += c->lines;
	return rc;
}

/* Returns 0, -1 on an error, or 1 when the log cannot be read so. */
static int
scan_chunks(struct summary *s, struct logreader *lr, int64_t size,
    struct crm_err *err)
{
	struct chunks cs;
	pthread_t th;
	int64_t pos;
	long line;
	int i, rc = 0;

	memset(&cs, 0, sizeof(cs));
	cs.from = pos = rd_tell(lr->rd);
	line = rd_lines(lr->rd);
	cs.chunk = chunk_size();
	cs.n = size > cs.from ?
	    (size_t)((size - cs.from + cs.chunk - 1) / cs.chunk) : 1;
	for (i = 0; i < 2; i++) {
		struct reader *c = rd_clone(lr->rd);

		if (!c) {
			rc = 1;
			goto out;
		}
		cs.rd[i].lr = *lr;
		cs.rd[i].lr.rd = c;
	}
	/* A huge page of events each (29,000): a 1 MB chunk of the bench's
	 * log has 8,600 purchases and refunds on average (awk counted 4.8
	 * million in its 559 MB), and a page fault for every 4 KB filled
	 * costs. */
	for (i = 0; i < CHUNK_RING; i++) {
		batch_init(&cs.c[i].b, ((size_t)2 << 20) / sizeof(struct sum_pending));
		cs.c[i].b.hashed = 1;
	}
	pthread_mutex_init(&cs.mu, NULL);
	pthread_cond_init(&cs.ready, NULL);
	pthread_cond_init(&cs.room, NULL);
	cs.end = s->end;
	cs.other_type = s->other ? s->other_type : NULL;
	cs.other_len = s->other ? strlen(s->other_type) : 0;
	cs.file = rd_name(lr->rd);
	cs.s = s;
	if (pthread_create(&th, NULL, chunk_helper, &cs) != 0) {
		rc = 1;
		goto out_sync;
	}
	s->poke = chunks_poke;
	s->poke_arg = &cs;
	while (cs.counted < cs.n) {
		struct chunk *c = &cs.c[cs.counted % CHUNK_RING];
		long j;

		pthread_mutex_lock(&cs.mu);
		if (c->ready) {
			pthread_mutex_unlock(&cs.mu);
			rc = chunk_count(s, &cs, c, &pos, &line, err);
			pthread_mutex_lock(&cs.mu);
			c->ready = 0;
			cs.counted++;
			if (rc < 0)
				atomic_store(&cs.stop, 1);
			if (cs.reader_waits)
				pthread_cond_signal(&cs.room);
			pthread_mutex_unlock(&cs.mu);
			if (rc < 0)
				break;
			continue;
		}
		/* While the helper reads the chunk to count, read one too. */
		if ((j = chunk_take(&cs)) >= 0) {
			pthread_mutex_unlock(&cs.mu);
			chunk_read_next(&cs, &cs.rd[0], (size_t)j);
			continue;
		}
		cs.counter_waits = 1;
		pthread_cond_wait(&cs.ready, &cs.mu);
		cs.counter_waits = 0;
		pthread_mutex_unlock(&cs.mu);
	}
	pthread_mutex_lock(&cs.mu);
	atomic_store(&cs.stop, 1);
	pthread_cond_signal(&cs.room);
	pthread_mutex_unlock(&cs.mu);
	pthread_join(th, NULL);
	s->poke = NULL;
	s->poke_arg = NULL;
	if (rc == 0)
		rd_end_at(lr->rd, pos, line);
out_sync:
	pthread_mutex_destroy(&cs.mu);
	pthread_cond_destroy(&cs.ready);
	pthread_cond_destroy(&cs.room);
	for (i = 0; i < CHUNK_RING; i++)
		batch_release(&cs.c[i].b);
out:
	for (i = 0; i < 2; i++)
		if (cs.rd[i].lr.rd)
			rd_close(cs.rd[i].lr.rd);
	return rc;
}

int
summary_scan(struct summary *s, struct logreader *lr, int64_t size,
    struct crm_err *err)
{
	struct event ev;
	int k;

	if ((size < 0 || size >= PIPE_MIN) && summary_threads() > 1) {
		/* What was added before goes first. */
		if (summary_flush(s, err) < 0)
			return -1;
		k = size >= 0 ? scan_chunks(s, lr, size, err) : 1;
		if (k <= 0)
			return k;
		k = scan_pipe(s, lr, err);
		if (k <= 0)
			return k;
	}
	while ((k = logr_next(lr, &ev, err)) > 0)
		if (summary_add(s, &ev, rd_name(lr->rd), err) < 0)
			return -1;
	if (k < 0)
		return summary_fail(s, err);
	return summary_flush(s, err);
}
