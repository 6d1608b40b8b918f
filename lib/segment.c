/*
 * segment.c - customer groups: by a field, RFM, ABC, lifecycle, reasons
 * for leaving, and the per-segment summary.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "segment.h"

/* Sums of money times parts per million need more than 64 bits. */
__extension__ typedef __int128 wide_t;

int
seg_parse_ratio(const char *s, int64_t *ppm, struct crm_err *err)
{
	if (micro_parse(s, 1, ppm) < 0)
		return crm_error(err, "invalid number '%s'", q(s));
	return 0;
}

int
seg_parse_value(const char *s, int64_t *micro, struct crm_err *err)
{
	const char *p = s;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p) {
		*micro = 0;
		return 0;
	}
	if (micro_parse(s, 0, micro) < 0)
		return crm_error(err, "invalid number '%s'", q(s));
	return 0;
}

static void
add_file(struct seg_rows *rows, const char *name)
{
	rows->file = xreallocarray(rows->file, rows->nfile + 1, sizeof(*rows->file));
	rows->file_start = xreallocarray(rows->file_start, rows->nfile + 1,
	    sizeof(*rows->file_start));
	rows->file[rows->nfile] = xstrdup(name);
	rows->file_start[rows->nfile] = rows->t.nrow;
	rows->nfile++;
}

/* Append the rows of t, matching columns by name; t is emptied. */
static void
append_table(struct seg_rows *rows, struct table *t, const char *name)
{
	const char **f;
	size_t *map, i, j;

	add_file(rows, name);
	if (rows->t.ncol == 0 && rows->t.nrow == 0) {
		rows->t = *t;
		memset(t, 0, sizeof(*t));
		return;
	}
	map = xcalloc(t->ncol ? t->ncol : 1, sizeof(*map));
	for (j = 0; j < t->ncol; j++)
		map[j] = table_add_col(&rows->t, t->col[j]);
	f = xcalloc(rows->t.ncol ? rows->t.ncol : 1, sizeof(*f));
	for (i = 0; i < t->nrow; i++) {
		memset(f, 0, rows->t.ncol * sizeof(*f));
		for (j = 0; j < t->ncol; j++)
			f[map[j]] = table_get(t, i, (int)j);
		table_add_row(&rows->t, f, t->line[i]);
	}
	free(f);
	free(map);
	table_release(t);
}

int
seg_rows_read(struct seg_rows *rows, struct reader *r, struct crm_err *err)
{
	struct table t = TABLE_INIT;

	if (table_read(&t, r, err) < 0) {
		table_release(&t);
		return -1;
	}
	append_table(rows, &t, rd_name(r));
	return 0;
}

void
seg_rows_take(struct seg_rows *rows, struct table *t, const char *name)
{
	append_table(rows, t, name);
}

const char *
seg_rows_id(const struct seg_rows *rows, size_t row)
{
	return table_get(&rows->t, row, rows->id);
}

const char *
seg_rows_where(const struct seg_rows *rows, size_t row, char *buf, size_t n)
{
	size_t k = 0;

	while (k + 1 < rows->nfile && rows->file_start[k + 1] <= row)
		k++;
	snprintf(buf, n, "%s:%ld", rows->nfile ? rows->file[k] : "stdin",
	    rows->t.line ? rows->t.line[row] : 0L);
	return buf;
}

int
seg_id_col(const struct table *t, const char *name, struct crm_err *err)
{
	int c = table_col(t, "id");

	if (c < 0)
		c = table_col(t, "customer");
	if (c < 0)
		return crm_error(err, "%s:1: no 'id' or 'customer' column", name);
	return c;
}

int
seg_rows_finish(struct seg_rows *rows, struct crm_err *err)
{
	char at[600], first[600];
	size_t i;

	if (rows->t.ncol == 0)
		return 0;	/* empty input: no rows, nothing to say */
	rows->id = seg_id_col(&rows->t, rows->nfile ? rows->file[0] : "stdin", err);
	if (rows->id < 0)
		return -1;
	/* The ids are in the rows, which the map does not outlive. */
	rows->ids = xreallocarray(NULL, rows->t.nrow ? rows->t.nrow : 1,
	    sizeof(*rows->ids));
	for (i = 0; i < rows->t.nrow; i++) {
		const char *id = seg_rows_id(rows, i);
		long prev;

		if (!*id)
			return crm_error(err, "%s: no id",
			    seg_rows_where(rows, i, at, sizeof(at)));
		rows->ids[i] = (char *)id;
		prev = idmap_add(&rows->by_id, rows->ids, id, strlen(id), i);
		if (prev >= 0)
			return crm_error(err, "%s: id '%s' appears twice (first at %s)",
			    seg_rows_where(rows, i, at, sizeof(at)), q(id),
			    seg_rows_where(rows, (size_t)prev, first, sizeof(first)));
	}
	return 0;
}

long
seg_rows_find(const struct seg_rows *rows, const char *id)
{
	return idmap_lookup(&rows->by_id, rows->ids, id);
}

void
seg_rows_release(struct seg_rows *rows)
{
	size_t i;

	table_release(&rows->t);
	idmap_release(&rows->by_id);
	free(rows->ids);
	for (i = 0; i < rows->nfile; i++)
		free(rows->file[i]);
	free(rows->file);
	free(rows->file_start);
	memset(rows, 0, sizeof(*rows));
	rows->id = -1;
}

void
seglog_init(struct seg_log *sl, int32_t asof, int want_reasons)
{
	memset(sl, 0, sizeof(*sl));
	summary_init(&sl->sum, asof);
	sl->asof = asof;
	sl->want_reasons = want_reasons;
}

/* Keep the per-customer arrays as long as the summary's. */
static void
grow(struct seg_log *sl)
{
	size_t old = sl->churn_cap, i;

	if (sl->sum.n > sl->churn_cap) {
		ALLOC_GROW(sl->churn, sl->sum.n, sl->churn_cap);
		for (i = old; i < sl->churn_cap; i++)
			sl->churn[i] = INT32_MIN;
	}
	if (sl->want_reasons && sl->sum.n > sl->book_cap) {
		old = sl->book_cap;
		ALLOC_GROW(sl->book, sl->sum.n, sl->book_cap);
		memset(sl->book + old, 0, (sl->book_cap - old) * sizeof(*sl->book));
	}
}

static size_t
cust_index(struct seg_log *sl, const char *id)
{
	summary_get(&sl->sum, id, strlen(id));
	grow(sl);
	return (size_t)summary_find(&sl->sum, id);
}

/* Add an amount to the customer's day; the log is mostly in date order,
 * so the day is usually the last one or a new last one. */
static int
book_add(struct seg_daybook *b, int32_t day, money_t amount)
{
	uint32_t lo = 0, hi = b->n;

	if (b->n && b->day[b->n - 1] < day) {
		lo = b->n;
	} else {
		while (lo < hi) {
			uint32_t mid = lo + (hi - lo) / 2;

			if (b->day[mid] < day)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < b->n && b->day[lo] == day)
			return money_add(&b->amount[lo], amount);
	}
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 4;
		b->day = xreallocarray(b->day, b->cap, sizeof(*b->day));
		b->amount = xreallocarray(b->amount, b->cap, sizeof(*b->amount));
	}
	memmove(b->day + lo + 1, b->day + lo, (b->n - lo) * sizeof(*b->day));
	memmove(b->amount + lo + 1, b->amount + lo, (b->n - lo) * sizeof(*b->amount));
	b->day[lo] = day;
	b->amount[lo] = amount;
	b->n++;
	return 0;
}

static uint32_t
intern_reason(struct seg_log *sl, const char *s)
{
	int added;
	void **slot = strmap_slot(&sl->reason_idx, s, strlen(s), &added);

	if (added) {
		ALLOC_GROW(sl->reason, sl->nreason + 1, sl->reason_cap);
		sl->reason[sl->nreason] = xstrdup(s);
		*slot = (void *)(sl->nreason + 1);
		sl->nreason++;
	}
	return (uint32_t)((size_t)*slot - 1);
}

/* A churn event, in the log's order (the summary's other()). */
static void
churn_seen(void *arg, size_t idx, int32_t day)
{
	struct seg_log *sl = arg;

	grow(sl);
	if (day > sl->churn[idx])
		sl->churn[idx] = day;
}

int
seglog_scan_file(struct seg_log *sl, struct logreader *lr, int64_t size,
    struct crm_err *err)
{
	int k;

	if (sl->want_reasons)
		return seglog_scan(sl, lr, err);
	sl->sum.other_type = "churn";
	sl->sum.other = churn_seen;
	sl->sum.other_arg = sl;
	k = summary_scan(&sl->sum, lr, size, err);
	sl->sum.other = NULL;
	grow(sl);
	return k;
}

int
seglog_scan(struct seg_log *sl, struct logreader *lr, struct crm_err *err)
{
	const char *name = rd_name(lr->rd);
	struct event ev;
	int k;

	while ((k = logr_next(lr, &ev, err)) > 0) {
		const char *type = ev.f[LF_TYPE];
		int churn, complaint, money;
		size_t idx;

		/* As of the day: what came later has not happened yet. */
		if (ev.date.day > sl->asof)
			continue;
		if (summary_add(&sl->sum, &ev, name, err) < 0)
			return -1;
		churn = streq(type, "churn");
		complaint = streq(type, "complaint");
		money = event_is_purchase(&ev) || event_is_refund(&ev);
		if (!churn && !(sl->want_reasons && (complaint || money)))
			continue;
		idx = cust_index(sl, ev.f[LF_CUSTOMER]);
		if (churn && ev.date.day > sl->churn[idx])
			sl->churn[idx] = ev.date.day;
		if (!sl->want_reasons)
			continue;
		if (money) {
			if (book_add(&sl->book[idx], ev.date.day,
			    event_is_refund(&ev) ? -ev.amount : ev.amount) < 0) {
				crm_error(err, "%s:%ld: the sum of amounts of "
				    "customer '%s' is too large", name, ev.line,
				    q(ev.f[LF_CUSTOMER]));
				return summary_fail(&sl->sum, err);
			}
		} else {
			const char *why = *ev.f[LF_OUTCOME] ? ev.f[LF_OUTCOME] :
			    *ev.f[LF_NOTE] ? ev.f[LF_NOTE] : SEG_NONE;

			ALLOC_GROW(sl->ev, sl->nev + 1, sl->evcap);
			sl->ev[sl->nev].cust = (uint32_t)idx;
			sl->ev[sl->nev].day = ev.date.day;
			sl->ev[sl->nev].kind = churn ? SEG_CHURN : SEG_COMPLAINT;
			sl->ev[sl->nev].reason = intern_reason(sl, why);
			sl->nev++;
		}
	}
	if (k < 0)
		return summary_fail(&sl->sum, err);
	if (summary_flush(&sl->sum, err) < 0)
		return -1;
	grow(sl);
	return 0;
}

int
seglog_read_summary(struct seg_log *sl, struct reader *r, struct crm_err *err)
{
	const char *name = rd_name(r);
	size_t i;

	if (summary_read(&sl->sum, r, err) < 0)
		return -1;
	sl->from_summary = 1;
	grow(sl);
	for (i = 0; i < sl->sum.n; i++) {
		const struct psum *p = summary_at(&sl->sum, i);
		char day[11], asof[11];

		if (p->ndays && p->last == INT32_MIN)
			return crm_error(err, "%s: customer '%s' has %u purchase days "
			    "but no last purchase", name, q(sl->sum.id[i]), p->ndays);
		if (p->ndays && p->last > sl->asof) {
			date_format(day, p->last);
			date_format(asof, sl->asof);
			return crm_error(err, "%s: customer '%s' last bought on %s, "
			    "after today (%s): a summary of a later day?", name,
			    q(sl->sum.id[i]), day, asof);
		}
	}
	return 0;
}

const struct psum *
seglog_find(const struct seg_log *sl, const char *id, size_t *idx)
{
	long v;

	if (!sl)
		return NULL;
	v = summary_find(&sl->sum, id);
	if (v < 0)
		return NULL;
	if (idx)
		*idx = (size_t)v;
	return summary_at(&sl->sum, (size_t)v);
}

int32_t
seglog_churn(const struct seg_log *sl, size_t idx)
{
	return idx < sl->churn_cap ? sl->churn[idx] : INT32_MIN;
}

void
seglog_release(struct seg_log *sl)
{
	size_t i;

	for (i = 0; i < sl->book_cap; i++) {
		free(sl->book[i].day);
		free(sl->book[i].amount);
	}
	free(sl->book);
	free(sl->churn);
	free(sl->ev);
	for (i = 0; i < sl->nreason; i++)
		free(sl->reason[i]);
	free(sl->reason);
	strmap_release(&sl->reason_idx, 0);
	summary_release(&sl->sum);
	memset(sl, 0, sizeof(*sl));
}

int
psum_has_purchase(const struct psum *p)
{
	return p && p->ndays > 0 && p->last != INT32_MIN;
}

void
seg_out_init(struct seg_out *o, size_t nrow)
{
	memset(o, 0, sizeof(*o));
	o->nrow = nrow;
	o->segcol = -1;
}

size_t
seg_out_add(struct seg_out *o, const char *name, enum col_type type)
{
	struct seg_col *c;
	size_t i;

	o->col = xreallocarray(o->col, o->ncol + 1, sizeof(*o->col));
	c = &o->col[o->ncol];
	memset(c, 0, sizeof(*c));
	c->name = xstrdup(name);
	c->type = type;
	c->off = xmalloc((o->nrow ? o->nrow : 1) * sizeof(*c->off));
	for (i = 0; i < o->nrow; i++)
		c->off[i] = SIZE_MAX;
	return o->ncol++;
}

void
seg_out_set(struct seg_out *o, size_t col, size_t row, const char *v)
{
	struct seg_col *c = &o->col[col];

	c->off[row] = c->text.len;
	sb_add(&c->text, v, strlen(v) + 1);	/* with its NUL */
}

const char *
seg_out_get(const struct seg_out *o, size_t col, size_t row)
{
	const struct seg_col *c = &o->col[col];

	return c->off[row] == SIZE_MAX ? "" : c->text.buf + c->off[row];
}

void
seg_out_release(struct seg_out *o)
{
	size_t i;

	for (i = 0; i < o->ncol; i++) {
		free(o->col[i].name);
		sb_release(&o->col[i].text);
		free(o->col[i].off);
	}
	free(o->col);
	free((void *)o->order);
	memset(o, 0, sizeof(*o));
	o->segcol = -1;
}

/* Set the segment column and its report order (names are not copied). */
static void
set_segment(struct seg_out *o, size_t col, const char *const *names, size_t n)
{
	const char **order = xcalloc(n ? n : 1, sizeof(*order));

	memcpy(order, names, n * sizeof(*order));
	free((void *)o->order);
	o->segcol = (int)col;
	o->order = order;
	o->norder = n;
}

int
seg_by(const struct seg_rows *rows, const char *field, struct seg_out *o,
    struct crm_err *err)
{
	int c = table_col(&rows->t, field);
	size_t col, i;

	if (c < 0 && rows->t.ncol > 0)
		return crm_error(err, "%s: no column '%s'",
		    rows->nfile ? rows->file[0] : "stdin", q(field));
	col = seg_out_add(o, "group", COL_TEXT);
	for (i = 0; i < rows->t.nrow; i++) {
		const char *v = table_get(&rows->t, i, c);

		seg_out_set(o, col, i, *v ? v : SEG_NONE);
	}
	o->segcol = (int)col;
	free((void *)o->order);
	o->order = NULL;
	o->norder = 0;
	return 0;
}

struct vi {
	int64_t v;
	size_t i;
};

/*
 * Sort n keys: an LSD radix sort, a byte at a time over the bytes in
 * which the keys differ.  tmp has room for n keys.  Half a million
 * customers, three times over, is the common case, and qsort's
 * comparison calls are most of the work there.
 */
static void
sort_keys(uint64_t *k, uint64_t *tmp, size_t n)
{
	uint64_t *from = k, *to = tmp, *t;
	uint64_t lo = UINT64_MAX, hi = 0, diff;
	size_t i, cnt[256];
	int shift;

	for (i = 0; i < n; i++) {
		lo &= k[i];
		hi |= k[i];
	}
	diff = lo ^ hi;		/* the bits in which some keys differ */
	for (shift = 0; shift < 64; shift += 8) {
		size_t sum = 0;

		if (!((diff >> shift) & 0xff))
			continue;
		memset(cnt, 0, sizeof(cnt));
		for (i = 0; i < n; i++)
			cnt[(from[i] >> shift) & 0xff]++;
		for (i = 0; i < 256; i++) {
			size_t c = cnt[i];

			cnt[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			to[cnt[(from[i] >> shift) & 0xff]++] = from[i];
		t = from;
		from = to;
		to = t;
	}
	if (from != k)
		memcpy(k, from, n * sizeof(*k));
}

/* The score of a run of k equal values with below values below it. */
static unsigned char
quintile(uint64_t below, uint64_t k, uint64_t n)
{
	/* 1 + floor(5 (L + k/2) / n), in integers */
	return (unsigned char)(1 + (5 * (2 * below + k)) / (2 * n));
}

/*
 * The scores as a function of the value: the value at which each score
 * from 2 to 5 begins.  The middle of a run, L + k/2, grows from run to
 * run, and so does the score: the sorted values alone tell where it
 * steps up, and each value then needs only four comparisons, in its own
 * order.  (Sorting value and row number together and writing the scores
 * through the row numbers took twice the time: every write a cache
 * miss.)  Values are taken as keys: value - lo, as unsigned, where lo is
 * the least, so that keys sort as their values do.
 */
struct quint_steps {
	uint64_t at[6];		/* at[s]: the least key that scores s or more */
	int has[6];
};

/* Keys below this are counted, not sorted (see quint_steps()). */
#define QUINT_COUNT 65536

/* The steps of the n keys in k, which it sorts (tmp: room for n). */
static void
quint_steps(uint64_t *k, uint64_t *tmp, size_t n, struct quint_steps *st)
{
	uint64_t most = 0;
	size_t i, j;
	int s;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < n; i++)
		most = k[i] > most ? k[i] : most;
	if (most < QUINT_COUNT) {
		/*
		 * Few values (R's days, F's counts): the number of keys of
		 * each value, in the order of the values, is the sorted
		 * keys' runs, which is all the steps need; counting them
		 * takes a pass, the sort two or three.
		 */
		uint32_t *cnt = xcalloc((size_t)most + 1, sizeof(*cnt));
		uint64_t v, below = 0;

		for (i = 0; i < n; i++)
			cnt[k[i]]++;
		for (v = 0; v <= most; v++) {
			if (!cnt[v])
				continue;
			for (s = quintile(below, cnt[v], n); s >= 2 && !st->has[s]; s--) {
				st->at[s] = v;
				st->has[s] = 1;
			}
			below += cnt[v];
		}
		free(cnt);
		return;
	}
	sort_keys(k, tmp, n);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && k[j] == k[i]; j++)
			;
		for (s = quintile(i, j - i, n); s >= 2 && !st->has[s]; s--) {
			st->at[s] = k[i];
			st->has[s] = 1;
		}
	}
}

static unsigned char
quint_score(const struct quint_steps *st, uint64_t key)
{
	unsigned char sc = 1;
	int s;

	for (s = 2; s <= 5; s++)
		sc += st->has[s] && key >= st->at[s];
	return sc;
}

void
seg_quintiles(const int64_t *v, size_t n, unsigned char *score)
{
	struct quint_steps st;
	uint64_t *k, *tmp, lo;
	int64_t least = INT64_MAX;
	size_t i;

	if (n == 0)
		return;
	for (i = 0; i < n; i++)
		least = v[i] < least ? v[i] : least;
	lo = (uint64_t)least;
	k = xcalloc(n, sizeof(*k));
	tmp = xcalloc(n, sizeof(*tmp));
	for (i = 0; i < n; i++)
		k[i] = (uint64_t)v[i] - lo;
	quint_steps(k, tmp, n, &st);
	for (i = 0; i < n; i++)
		score[i] = quint_score(&st, (uint64_t)v[i] - lo);
	free(k);
	free(tmp);
}

/*
 * The default table reads as a grid of recency against frequency (M
 * only lifts the best of the recent and of the gone into their own
 * segments).  Frequency 1-2 is "not often": with many one-time buyers
 * their tie scores 2, so "bought once" must not need a 1.  Every one of
 * the 125 combinations fits a rule (tests/unit/test_segment.c checks).
 */
static const struct {
	const char *name;
	unsigned char lo[3], hi[3];
} rfm_default[] = {
	{ "Champions",          { 4, 4, 4 }, { 5, 5, 5 } },
	{ "Loyal Customers",    { 3, 4, 1 }, { 5, 5, 5 } },
	{ "Potential Loyalist", { 3, 3, 1 }, { 5, 3, 5 } },
	{ "New Customers",      { 4, 1, 1 }, { 5, 2, 5 } },
	{ "Promising",          { 3, 1, 1 }, { 3, 2, 5 } },
	{ "Can't Lose Them",    { 1, 4, 4 }, { 1, 5, 5 } },
	{ "At Risk",            { 1, 4, 1 }, { 2, 5, 5 } },
	{ "Need Attention",     { 2, 3, 1 }, { 2, 3, 5 } },
	{ "About To Sleep",     { 2, 1, 1 }, { 2, 2, 5 } },
	{ "Hibernating",        { 1, 3, 1 }, { 1, 3, 5 } },
	{ "Lost",               { 1, 1, 1 }, { 1, 2, 5 } },
};

static void
add_rule(struct rfm_table *t, const char *name, const unsigned char *lo,
    const unsigned char *hi)
{
	struct rfm_rule *r;

	ALLOC_GROW(t->rule, t->n + 1, t->cap);
	r = &t->rule[t->n++];
	r->name = xstrdup(name);
	memcpy(r->lo, lo, 3);
	memcpy(r->hi, hi, 3);
}

void
rfm_table_default(struct rfm_table *t)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rfm_default); i++)
		add_rule(t, rfm_default[i].name, rfm_default[i].lo, rfm_default[i].hi);
}

/* "4-5", "3", "" or "*" into lo..hi; -1 when it is none of those. */
static int
parse_range(const char *s, unsigned char *lo, unsigned char *hi)
{
	while (*s == ' ')
		s++;
	if (!*s || streq(s, "*")) {
		*lo = 1;
		*hi = 5;
		return 0;
	}
	if (s[0] < '1' || s[0] > '5')
		return -1;
	*lo = *hi = (unsigned char)(s[0] - '0');
	if (s[1] == '\0')
		return 0;
	if (s[1] != '-' || s[2] < '1' || s[2] > '5' || s[3] != '\0' || s[2] < s[0])
		return -1;
	*hi = (unsigned char)(s[2] - '0');
	return 0;
}

int
rfm_table_read(struct rfm_table *t, struct reader *r, struct crm_err *err)
{
	static const char *const sc[3] = { "r", "f", "m" };
	const char *name = rd_name(r);
	struct rec *rec;
	int nc, c[3], i, k;

	nc = rd_col_find(r, "name") >= 0 ? rd_col(r, "name") : rd_col(r, "segment");
	for (i = 0; i < 3; i++)
		c[i] = rd_col(r, sc[i]);
	if (rd_format(r) == RD_CSV) {
		if (nc < 0)
			return crm_error(err, "%s:1: no column 'name'", name);
		for (i = 0; i < 3; i++)
			if (c[i] < 0)
				return crm_error(err, "%s:1: no column '%s'", name, sc[i]);
	}
	while ((k = rd_next(r, &rec, err)) > 0) {
		unsigned char lo[3], hi[3];
		const char *seg = rec_get(rec, nc);

		if (!*seg)
			return crm_error(err, "%s:%ld: no segment name", name, rec->line);
		for (i = 0; i < 3; i++)
			if (parse_range(rec_get(rec, c[i]), &lo[i], &hi[i]) < 0)
				return crm_error(err, "%s:%ld: invalid score range '%s' for "
				    "%s (1 to 5: 4-5, 3, or * for any)", name, rec->line,
				    q(rec_get(rec, c[i])), sc[i]);
		add_rule(t, seg, lo, hi);
	}
	if (k < 0)
		return -1;
	if (t->n == 0)
		return crm_error(err, "%s: no segments", name);
	return 0;
}

const char *
rfm_table_match(const struct rfm_table *t, int r, int f, int m)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		const struct rfm_rule *u = &t->rule[i];

		if (r >= u->lo[0] && r <= u->hi[0] && f >= u->lo[1] &&
		    f <= u->hi[1] && m >= u->lo[2] && m <= u->hi[2])
			return u->name;
	}
	return RFM_OTHER;
}

void
rfm_table_release(struct rfm_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->rule[i].name);
	free(t->rule);
	memset(t, 0, sizeof(*t));
}

/*
 * found[i]: the summary entry of row i's customer, or -1.  Half a million
 * rows and customers make each row and each lookup a cache miss: the
 * rows are asked for from memory 64 ahead, the lookups go as a batch.
 */
static void
find_rows(const struct seg_rows *rows, const struct seg_log *sl, long *found)
{
	size_t n = rows->t.nrow, i;
	const char **ids = xcalloc(n ? n : 1, sizeof(*ids));

	for (i = 0; i < n; i++) {
		if (i + 64 < n)
			__builtin_prefetch(rows->t.row[i + 64]);
		ids[i] = seg_rows_id(rows, i);
	}
	summary_find_all(&sl->sum, ids, n, found);
	free(ids);
}

const char *const rfm_col_names[RFM_NCOL] = {
	"r", "f", "m", "rfm", "rfm_segment"
};
const enum col_type rfm_col_types[RFM_NCOL] = {
	COL_NUM, COL_NUM, COL_NUM, COL_TEXT, COL_TEXT
};

void
rfm_score(const struct seg_log *sl, const uint32_t *sidx, size_t n,
    unsigned char *code)
{
	size_t m = 0, i, k;
	uint32_t *who = big_alloc((n ? n : 1) * sizeof(*who));
	int32_t *last;
	uint32_t *days;
	int64_t *rev;
	uint64_t *key, *tmp;
	int j;

	/*
	 * The three figures of each customer who bought, in one pass over
	 * the summary, whose entries are each a cache miss; in arrays as
	 * narrow as they can be: R is a day, F a count.  Then one score
	 * at a time, in the keys and the sort's room, which serve all
	 * three.  In huge pages: a fault for each 4 KB of these 20 MB was
	 * a third of the scoring.
	 */
	last = big_alloc((n ? n : 1) * sizeof(*last));
	days = big_alloc((n ? n : 1) * sizeof(*days));
	rev = big_alloc((n ? n : 1) * sizeof(*rev));
	for (i = 0; i < n; i++) {
		const struct psum *p = sidx[i] == SEG_NOIDX ? NULL :
		    summary_at(&sl->sum, sidx[i]);

		if (i + 16 < n && sidx[i + 16] != SEG_NOIDX)
			__builtin_prefetch(summary_at(&sl->sum, sidx[i + 16]));
		code[i] = 0;
		if (psum_has_purchase(p)) {
			last[m] = p->last;
			days[m] = p->ndays;
			rev[m] = p->revenue;
			who[m++] = (uint32_t)i;
		}
	}
	key = big_alloc((m ? m : 1) * sizeof(*key));
	tmp = big_alloc((m ? m : 1) * sizeof(*tmp));
	for (j = 0; j < 3 && m; j++) {
		struct quint_steps st;
		int64_t least = INT64_MAX;
		uint64_t lo;

		/* The later the last purchase, the fewer days since: R's
		 * order is the day's. */
#define FIGURE(k) (j == 0 ? (int64_t)last[k] : j == 1 ? (int64_t)days[k] : rev[k])
		for (k = 0; k < m; k++)
			least = FIGURE(k) < least ? FIGURE(k) : least;
		lo = (uint64_t)least;
		for (k = 0; k < m; k++)
			key[k] = (uint64_t)FIGURE(k) - lo;
		quint_steps(key, tmp, m, &st);
		for (k = 0; k < m; k++)
			code[who[k]] = (unsigned char)(code[who[k]] * 5 +
			    quint_score(&st, (uint64_t)FIGURE(k) - lo) - 1);
#undef FIGURE
	}
	for (k = 0; k < m; k++)
		code[who[k]]++;
	free(last);
	free(days);
	free(rev);
	free(key);
	free(tmp);
	free(who);
}

void
rfm_text(const struct rfm_table *t, unsigned char code, struct rfm_text *out)
{
	int c = code - 1, sc[3] = { c / 25 + 1, c / 5 % 5 + 1, c % 5 + 1 };

	if (!code) {
		out->v[0] = out->v[1] = out->v[2] = out->v[3] = "";
		out->v[4] = RFM_NO_PURCHASES;
		return;
	}
	out->r[0] = out->rfm[0] = (char)('0' + sc[0]);
	out->f[0] = out->rfm[1] = (char)('0' + sc[1]);
	out->m[0] = out->rfm[2] = (char)('0' + sc[2]);
	out->r[1] = out->f[1] = out->m[1] = out->rfm[3] = '\0';
	out->v[0] = out->r;
	out->v[1] = out->f;
	out->v[2] = out->m;
	out->v[3] = out->rfm;
	out->v[4] = rfm_table_match(t, sc[0], sc[1], sc[2]);
}

const char **
rfm_order(const struct rfm_table *t, size_t *n)
{
	const char **order = xcalloc(t->n + 2, sizeof(*order));
	size_t i;

	for (i = 0; i < t->n; i++)
		order[i] = t->rule[i].name;
	order[t->n] = RFM_OTHER;
	order[t->n + 1] = RFM_NO_PURCHASES;
	*n = t->n + 2;
	return order;
}

int
seg_rfm(const struct seg_rows *rows, const struct seg_log *sl,
    const struct rfm_table *t, struct seg_out *o, struct crm_err *err)
{
	size_t n = rows->t.nrow, i, j, col[RFM_NCOL], norder;
	long *found = xcalloc(n ? n : 1, sizeof(*found));
	uint32_t *sidx = xcalloc(n ? n : 1, sizeof(*sidx));
	unsigned char *code = xcalloc(n ? n : 1, 1);
	const char **order;

	(void)err;
	find_rows(rows, sl, found);
	for (i = 0; i < n; i++)
		sidx[i] = found[i] < 0 ? SEG_NOIDX : (uint32_t)found[i];
	free(found);
	rfm_score(sl, sidx, n, code);
	free(sidx);
	for (j = 0; j < RFM_NCOL; j++)
		col[j] = seg_out_add(o, rfm_col_names[j], rfm_col_types[j]);
	for (i = 0; i < n; i++) {
		struct rfm_text tx;

		rfm_text(t, code[i], &tx);
		/* Not set is empty: the text of the columns is kept whole. */
		for (j = code[i] ? 0 : RFM_NCOL - 1; j < RFM_NCOL; j++)
			seg_out_set(o, col[j], i, tx.v[j]);
	}
	free(code);
	order = rfm_order(t, &norder);
	set_segment(o, col[RFM_NCOL - 1], order, norder);
	free(order);
	return 0;
}

static int
cmp_vi_desc(const void *a, const void *b)
{
	const struct vi *x = a, *y = b;

	if (x->v != y->v)
		return x->v > y->v ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

void
seg_abc_classify(const int64_t *value, size_t n, int64_t a_ppm, int64_t b_ppm,
    struct abc_result *out)
{
	struct vi *s;
	wide_t total = 0, before = 0;
	size_t i, j;

	if (n == 0)
		return;
	s = xcalloc(n, sizeof(*s));
	for (i = 0; i < n; i++) {
		/* A customer who brought less than nothing brings nothing. */
		s[i].v = value[i] > 0 ? value[i] : 0;
		s[i].i = i;
		total += s[i].v;
	}
	qsort(s, n, sizeof(*s), cmp_vi_desc);
	for (i = 0; i < n; i = j) {
		wide_t run = 0;
		struct abc_result r;

		for (j = i; j < n && s[j].v == s[i].v; j++)
			run += s[j].v;
		if (total == 0) {
			r.cls = 'C';
			r.has_share = 0;
			r.share = 0;
		} else {
			r.cls = before * SEG_PPM < (wide_t)a_ppm * total ? 'A' :
			    before * SEG_PPM < (wide_t)b_ppm * total ? 'B' : 'C';
			r.has_share = 1;
			r.share = (double)(before + run) / (double)total;
		}
		before += run;
		for (; i < j; i++)
			out[s[i].i] = r;
	}
	free(s);
}

int
seg_abc_needs_log(const struct seg_rows *rows, const char *field)
{
	return table_col(&rows->t, field) < 0 && streq(field, "revenue");
}

int
seg_abc(const struct seg_rows *rows, const struct seg_log *sl,
    const char *field, int64_t a_ppm, int64_t b_ppm, struct seg_out *o,
    struct crm_err *err)
{
	static const char *const classes[] = { "A", "B", "C" };
	size_t n = rows->t.nrow, i, cs, cc;
	int c = table_col(&rows->t, field);
	int64_t *v;
	struct abc_result *r;
	struct crm_err e;
	char at[600];

	if (c < 0 && !streq(field, "revenue") && rows->t.ncol > 0)
		return crm_error(err, "%s: no column '%s'",
		    rows->nfile ? rows->file[0] : "stdin", q(field));
	v = xcalloc(n ? n : 1, sizeof(*v));
	r = xcalloc(n ? n : 1, sizeof(*r));
	for (i = 0; i < n; i++) {
		if (c >= 0) {
			if (seg_parse_value(table_get(&rows->t, i, c), &v[i], &e) < 0) {
				crm_error(err, "%s: %s in column '%s'",
				    seg_rows_where(rows, i, at, sizeof(at)), e.msg, q(field));
				free(v);
				free(r);
				return -1;
			}
		} else {
			const struct psum *p = seglog_find(sl, seg_rows_id(rows, i), NULL);

			/* Cents to millionths: money is below 10^13 units. */
			v[i] = p ? p->revenue * (SEG_PPM / MONEY_SCALE) : 0;
		}
	}
	seg_abc_classify(v, n, a_ppm, b_ppm, r);
	cs = seg_out_add(o, "abc_share", COL_NUM);
	cc = seg_out_add(o, "abc", COL_TEXT);
	for (i = 0; i < n; i++) {
		char buf[32], cls[2] = { r[i].cls, '\0' };

		if (r[i].has_share) {
			snprintf(buf, sizeof(buf), "%.4f", r[i].share);
			seg_out_set(o, cs, i, buf);
		}
		seg_out_set(o, cc, i, cls);
	}
	set_segment(o, cc, classes, 3);
	free(v);
	free(r);
	return 0;
}

const char *const life_stage_names[LIFE_NSTAGES] = {
	"new", "active", "regular", "loyal", "at risk", "lost", "no purchases"
};

void
life_opts_init(struct life_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->new_n = 90;
	o->new_unit = 'd';
	o->lost_n = 365;
	o->lost_unit = 'd';
	o->risk_ppm = 2 * (int64_t)SEG_PPM;
	o->min_gaps = 2;
	o->usual_gap = -1;
	o->fallback_gap = 90;
	o->regular_days = 3;
	o->loyal_periods = 4;
	o->period_n = 3;
	o->period_unit = 'm';
}

static int
cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

/* The median of v (sorted in place) in the units of v times two. */
static long
median2(long *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_long);
	return n % 2 ? 2 * v[n / 2] : v[n / 2 - 1] + v[n / 2];
}

long
life_usual_gap2(const int32_t *days, uint32_t ndays, int min_gaps)
{
	long *g, m;
	uint32_t i;

	if (ndays < 2 || ndays - 1 < (uint32_t)(min_gaps > 0 ? min_gaps : 1))
		return -1;
	g = xcalloc(ndays - 1, sizeof(*g));
	for (i = 1; i < ndays; i++)
		g[i - 1] = (long)days[i] - days[i - 1];
	m = median2(g, ndays - 1);
	free(g);
	return m;
}

long
life_population_gap2(const long *gap2, size_t n)
{
	long *v = xcalloc(n ? n : 1, sizeof(*v)), m = -1;
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (gap2[i] >= 0)
			v[k++] = gap2[i];
	/* The median of half days, halved again: rounded down to half a
	 * day, so that the gap stays in the unit it is shown in. */
	if (k)
		m = median2(v, k) / 2;
	free(v);
	return m;
}

/* Is there a purchase day d with lo < d <= hi? */
static int
bought_in(const int32_t *days, uint32_t n, int32_t lo, int32_t hi)
{
	uint32_t a = 0, b = n;

	while (a < b) {
		uint32_t mid = a + (b - a) / 2;

		if (days[mid] <= lo)
			a = mid + 1;
		else
			b = mid;
	}
	return a < n && days[a] <= hi;
}

void
life_classify(const struct life_cust *c, const struct life_opts *o,
    int32_t today, long pop_gap2, struct life_result *out)
{
	int32_t first, last;
	long own;
	int i;

	out->gap2 = -1;
	out->own_gap = 0;
	if (c->ndays == 0) {
		out->stage = c->churn != INT32_MIN ? LIFE_LOST : LIFE_NONE;
		return;
	}
	first = c->days[0];
	last = c->days[c->ndays - 1];
	own = life_usual_gap2(c->days, c->ndays, o->min_gaps);
	out->own_gap = own >= 0;
	out->gap2 = own >= 0 ? own : pop_gap2;
	if ((c->churn != INT32_MIN && c->churn >= last) ||
	    last < date_add(today, -o->lost_n, o->lost_unit)) {
		out->stage = LIFE_LOST;
		return;
	}
	if (first >= date_add(today, -o->new_n, o->new_unit)) {
		out->stage = LIFE_NEW;
		return;
	}
	/* silent > factor x gap, as 2 x days x 10^6 > ppm x (2 x gap) */
	if (out->gap2 >= 0 && (wide_t)2 * (today - last) * SEG_PPM >
	    (wide_t)o->risk_ppm * out->gap2) {
		out->stage = LIFE_AT_RISK;
		return;
	}
	for (i = 0; i < o->loyal_periods; i++)
		if (!bought_in(c->days, c->ndays,
		    date_add(today, -(i + 1) * o->period_n, o->period_unit),
		    date_add(today, -i * o->period_n, o->period_unit)))
			break;
	if (o->loyal_periods > 0 && i == o->loyal_periods) {
		out->stage = LIFE_LOYAL;
		return;
	}
	out->stage = c->ndays >= (uint32_t)o->regular_days ? LIFE_REGULAR :
	    LIFE_ACTIVE;
}

/* Half days as "12" or "12.5". */
static void
half_days(char *buf, size_t n, long h)
{
	if (h % 2)
		snprintf(buf, n, "%ld.5", h / 2);
	else
		snprintf(buf, n, "%ld", h / 2);
}

int
seg_lifecycle(const struct seg_rows *rows, const struct seg_log *sl,
    const struct life_opts *lo, struct seg_out *o, struct crm_err *err)
{
	size_t n = rows->t.nrow, i, cs, cn, cf, cd, cg, cc;
	struct life_cust *c;
	long *own, pop;

	if (sl->from_summary)
		return crm_error(err, "--lifecycle needs the events of the log, not "
		    "a summary");
	c = xcalloc(n ? n : 1, sizeof(*c));
	own = xcalloc(n ? n : 1, sizeof(*own));
	for (i = 0; i < n; i++) {
		size_t idx = 0;
		const struct psum *p = seglog_find(sl, seg_rows_id(rows, i), &idx);

		c[i].churn = p ? seglog_churn(sl, idx) : INT32_MIN;
		if (psum_has_purchase(p)) {
			c[i].days = psum_days(p);
			c[i].ndays = p->ndays;
		}
		own[i] = c[i].ndays ? life_usual_gap2(c[i].days, c[i].ndays,
		    lo->min_gaps) : -1;
	}
	pop = lo->usual_gap >= 0 ? 2 * lo->usual_gap : life_population_gap2(own, n);
	if (pop < 0)
		pop = 2 * lo->fallback_gap;
	cs = seg_out_add(o, "lifecycle", COL_TEXT);
	cn = seg_out_add(o, "purchase_days", COL_NUM);
	cf = seg_out_add(o, "first_purchase", COL_TEXT);
	cd = seg_out_add(o, "days_since_purchase", COL_NUM);
	cg = seg_out_add(o, "usual_gap", COL_NUM);
	cc = seg_out_add(o, "churned", COL_TEXT);
	for (i = 0; i < n; i++) {
		struct life_result r;
		char buf[32];

		life_classify(&c[i], lo, sl->asof, pop, &r);
		seg_out_set(o, cs, i, life_stage_names[r.stage]);
		snprintf(buf, sizeof(buf), "%u", c[i].ndays);
		seg_out_set(o, cn, i, buf);
		if (c[i].ndays) {
			date_format(buf, c[i].days[0]);
			seg_out_set(o, cf, i, buf);
			snprintf(buf, sizeof(buf), "%ld",
			    (long)sl->asof - c[i].days[c[i].ndays - 1]);
			seg_out_set(o, cd, i, buf);
			half_days(buf, sizeof(buf), r.gap2);
			seg_out_set(o, cg, i, buf);
		}
		if (c[i].churn != INT32_MIN) {
			date_format(buf, c[i].churn);
			seg_out_set(o, cc, i, buf);
		}
	}
	set_segment(o, cs, life_stage_names, LIFE_NSTAGES);
	free(c);
	free(own);
	return 0;
}

struct rem {
	wide_t r;
	size_t i;
};

static int
cmp_rem(const void *a, const void *b)
{
	const struct rem *x = a, *y = b;

	if (x->r != y->r)
		return x->r > y->r ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

void
seg_shares(const int64_t *num, size_t n, int *bp)
{
	wide_t sum = 0, given = 0;
	struct rem *r;
	size_t i;

	for (i = 0; i < n; i++)
		sum += num[i];
	if (sum <= 0) {
		for (i = 0; i < n; i++)
			bp[i] = SEG_NO_SHARE;
		return;
	}
	r = xcalloc(n ? n : 1, sizeof(*r));
	for (i = 0; i < n; i++) {
		wide_t x = (wide_t)num[i] * 10000, fl = x / sum;

		if (x % sum != 0 && x < 0)
			fl--;		/* floor, not truncation, below zero */
		bp[i] = (int)fl;
		given += fl;
		r[i].r = x - fl * sum;
		r[i].i = i;
	}
	qsort(r, n, sizeof(*r), cmp_rem);
	/* The floors leave fewer points than parts: one each suffices. */
	for (i = 0; given < 10000 && i < n; i++, given++)
		bp[r[i].i]++;
	free(r);
}

void
seg_share_text(char *buf, size_t n, int bp)
{
	if (bp == SEG_NO_SHARE && n)
		buf[0] = '\0';
	else
		snprintf(buf, n, "%s%d.%04d", bp < 0 ? "-" : "", abs(bp) / 10000,
		    abs(bp) % 10000);
}

void
seg_share_pct(char *buf, size_t n, int bp)
{
	if (bp == SEG_NO_SHARE && n)
		buf[0] = '\0';
	else
		snprintf(buf, n, "%s%d.%02d%%", bp < 0 ? "-" : "", abs(bp) / 100,
		    abs(bp) % 100);
}

void
seg_bar(struct sbuf *sb, int bp, int width)
{
	/* U+2589..U+258F: seven eighths down to one eighth of a cell */
	static const char *const part[8] = { "", "\xe2\x96\x8f", "\xe2\x96\x8e",
		"\xe2\x96\x8d", "\xe2\x96\x8c", "\xe2\x96\x8b", "\xe2\x96\x8a",
		"\xe2\x96\x89" };
	long eighths, k;

	if (bp <= 0)
		return;
	eighths = ((long)bp * width * 8 + 5000) / 10000;
	if (eighths == 0)
		eighths = 1;	/* there is something: show that there is */
	for (k = 0; k < eighths / 8; k++)
		sb_adds(sb, "\xe2\x96\x88");	/* a full block */
	sb_adds(sb, part[eighths % 8]);
}

static struct seg_group *
group_get(struct seg_groups *gs, const char *name)
{
	int added;
	void **slot = strmap_slot(&gs->idx, name, strlen(name), &added);

	if (added) {
		ALLOC_GROW(gs->g, gs->n + 1, gs->cap);
		memset(&gs->g[gs->n], 0, sizeof(gs->g[gs->n]));
		gs->g[gs->n].name = xstrdup(name);
		*slot = (void *)(gs->n + 1);
		gs->n++;
	}
	return &gs->g[(size_t)*slot - 1];
}

static int
cmp_group(const void *a, const void *b)
{
	const struct seg_group *x = a, *y = b;

	if (x->customers != y->customers)
		return x->customers > y->customers ? -1 : 1;
	if (x->revenue != y->revenue)
		return x->revenue > y->revenue ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Put the groups in the segmentation's order; any others after them. */
static void
order_groups(struct seg_groups *gs, const char *const *order, size_t norder)
{
	struct seg_group *g;
	char *placed;
	size_t i, k = 0;

	if (!order) {
		/* qsort() wants an array even for none: no groups, no sort. */
		if (gs->n)
			qsort(gs->g, gs->n, sizeof(*gs->g), cmp_group);
		return;
	}
	g = xcalloc(gs->n ? gs->n : 1, sizeof(*g));
	placed = xcalloc(gs->n ? gs->n : 1, 1);
	for (i = 0; i < norder; i++) {
		void *v = strmap_get(&gs->idx, order[i]);

		if (v && !placed[(size_t)v - 1]) {
			placed[(size_t)v - 1] = 1;
			g[k++] = gs->g[(size_t)v - 1];
		}
	}
	for (i = 0; i < gs->n; i++)
		if (!placed[i])
			g[k++] = gs->g[i];
	free(gs->g);
	gs->g = g;
	gs->cap = gs->n;
	free(placed);
}

void
seg_groups_init(struct seg_groups *gs, int has_margin)
{
	memset(gs, 0, sizeof(*gs));
	gs->has_margin = has_margin;
}

int
seg_group_add(struct seg_groups *gs, const char *name, money_t rev,
    int64_t margin_ppm, struct crm_err *err)
{
	struct seg_group *g = group_get(gs, name);

	g->customers++;
	if (money_add(&g->revenue, rev) < 0)
		return crm_error(err, "the revenue of '%s' is too large",
		    q(g->name));
	if (gs->has_margin)
		g->contrib += (wide_t)rev * margin_ppm;
	return 0;
}

int
seg_margin(const char *s, int64_t *ppm, struct crm_err *err)
{
	struct crm_err e;

	if (seg_parse_ratio(s, ppm, &e) < 0 || *ppm < -SEG_PPM || *ppm > SEG_PPM)
		return crm_error(err, "invalid margin '%s' (from -1 to 1, or a "
		    "percentage)", q(s));
	return 0;
}

int
seg_groups_finish(struct seg_groups *gs, const char *const *order,
    size_t norder, struct crm_err *err)
{
	int64_t *num;
	int *bp;
	size_t i;

	for (i = 0; i < gs->n; i++) {
		wide_t c = gs->g[i].contrib < 0 ? -gs->g[i].contrib : gs->g[i].contrib;

		if (c / SEG_PPM > INT64_MAX - 1)
			return crm_error(err, "the contribution of '%s' is too large",
			    q(gs->g[i].name));
	}
	order_groups(gs, order, norder);
	/* The index points at the old places: rebuild it in the new order. */
	strmap_release(&gs->idx, 0);
	for (i = 0; i < gs->n; i++)
		strmap_put(&gs->idx, gs->g[i].name, (void *)(i + 1));
	num = xcalloc(gs->n ? gs->n : 1, sizeof(*num));
	bp = xcalloc(gs->n ? gs->n : 1, sizeof(*bp));
	for (i = 0; i < gs->n; i++)
		num[i] = (int64_t)gs->g[i].customers;
	seg_shares(num, gs->n, bp);
	for (i = 0; i < gs->n; i++) {
		gs->g[i].cust_bp = bp[i];
		num[i] = gs->g[i].revenue;
	}
	seg_shares(num, gs->n, bp);
	for (i = 0; i < gs->n; i++)
		gs->g[i].rev_bp = bp[i];
	free(num);
	free(bp);
	return 0;
}

int
seg_summarize(const struct seg_rows *rows, const struct seg_log *sl,
    const struct seg_out *o, int has_margin, int64_t margin_ppm,
    int margin_col, struct seg_groups *gs, struct crm_err *err)
{
	size_t i;
	char at[600];
	struct crm_err e;

	seg_groups_init(gs, has_margin);
	for (i = 0; i < rows->t.nrow; i++) {
		const struct psum *p = seglog_find(sl, seg_rows_id(rows, i), NULL);
		int64_t m = margin_ppm;

		if (has_margin && margin_col >= 0 &&
		    seg_margin(table_get(&rows->t, i, margin_col), &m, &e) < 0)
			return crm_error(err, "%s: %s",
			    seg_rows_where(rows, i, at, sizeof(at)), e.msg);
		if (seg_group_add(gs, seg_out_get(o, (size_t)o->segcol, i),
		    p ? p->revenue : 0, m, err) < 0)
			return -1;
	}
	return seg_groups_finish(gs, o->order, o->norder, err);
}

money_t
seg_group_contribution(const struct seg_group *g)
{
	wide_t c = g->contrib, half = SEG_PPM / 2;

	return (money_t)(c >= 0 ? (c + half) / SEG_PPM : -((-c + half) / SEG_PPM));
}

void
seg_groups_release(struct seg_groups *gs)
{
	size_t i;

	for (i = 0; i < gs->n; i++)
		free(gs->g[i].name);
	free(gs->g);
	strmap_release(&gs->idx, 0);
	memset(gs, 0, sizeof(*gs));
}

const char *const seg_kind_names[2] = { "churn", "complaint" };

static int
cmp_event(const void *a, const void *b)
{
	const struct seg_event *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->reason != y->reason)
		return x->reason < y->reason ? -1 : 1;
	if (x->cust != y->cust)
		return x->cust < y->cust ? -1 : 1;
	return x->day > y->day ? -1 : x->day < y->day;	/* latest first */
}

static int
cmp_reason(const void *a, const void *b)
{
	const struct seg_reason *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->events != y->events)
		return x->events > y->events ? -1 : 1;
	if (x->revenue != y->revenue)
		return x->revenue > y->revenue ? -1 : 1;
	return strcmp(x->reason, y->reason);
}

/* The customer's purchases minus refunds on the days lo < d <= hi. */
static int
book_sum(const struct seg_daybook *b, int32_t lo, int32_t hi, money_t *out)
{
	uint32_t a = 0, z = b->n;

	while (a < z) {
		uint32_t mid = a + (z - a) / 2;

		if (b->day[mid] <= lo)
			a = mid + 1;
		else
			z = mid;
	}
	for (; a < b->n && b->day[a] <= hi; a++)
		if (money_add(out, b->amount[a]) < 0)
			return -1;
	return 0;
}

int
seg_reasons(const struct seg_log *sl, const struct seg_rows *rows,
    int window_n, char window_unit, struct seg_reason **out, size_t *nout,
    struct crm_err *err)
{
	struct seg_event *ev;
	struct seg_reason *r = NULL;
	size_t n = 0, nr = 0, cap = 0, i, j;
	int kind;

	*out = NULL;
	*nout = 0;
	if (sl->from_summary)
		return crm_error(err, "--reasons needs the events of the log, not a "
		    "summary");
	if (!sl->want_reasons)
		return crm_error(err, "the log was read without the reasons");
	ev = xcalloc(sl->nev ? sl->nev : 1, sizeof(*ev));
	for (i = 0; i < sl->nev; i++)
		if (!rows || seg_rows_find(rows, sl->sum.id[sl->ev[i].cust]) >= 0)
			ev[n++] = sl->ev[i];
	qsort(ev, n, sizeof(*ev), cmp_event);
	for (i = 0; i < n; i = j) {
		struct seg_reason *g;

		ALLOC_GROW(r, nr + 1, cap);
		g = &r[nr++];
		memset(g, 0, sizeof(*g));
		g->kind = ev[i].kind;
		g->reason = sl->reason[ev[i].reason];
		for (j = i; j < n && ev[j].kind == ev[i].kind &&
		    ev[j].reason == ev[i].reason; j++) {
			const struct seg_event *e = &ev[j];

			g->events++;
			/* Each customer once, before the latest such event. */
			if (j > i && ev[j - 1].cust == e->cust)
				continue;
			g->customers++;
			if (book_sum(&sl->book[e->cust], date_add(e->day, -window_n,
			    window_unit), e->day, &g->revenue) < 0) {
				crm_error(err, "the revenue of reason '%s' is too large",
				    q(g->reason));
				free(ev);
				free(r);
				return -1;
			}
		}
	}
	free(ev);
	if (nr)
		qsort(r, nr, sizeof(*r), cmp_reason);
	for (kind = SEG_CHURN; kind <= SEG_COMPLAINT; kind++) {
		int64_t *num = xcalloc(nr ? nr : 1, sizeof(*num));
		int *bp = xcalloc(nr ? nr : 1, sizeof(*bp));
		size_t k = 0, first = nr;

		for (i = 0; i < nr; i++)
			if (r[i].kind == kind) {
				if (first == nr)
					first = i;
				num[k++] = (int64_t)r[i].events;
			}
		seg_shares(num, k, bp);
		for (i = 0; i < k; i++)
			r[first + i].bp = bp[i];
		free(num);
		free(bp);
	}
	*out = r;
	*nout = nr;
	return 0;
}
