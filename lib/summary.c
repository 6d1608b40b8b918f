/*
 * summary.c - per-customer purchase summaries in one pass.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

	for (i = 0; i < s->n; i++) {
		struct psum *p = summary_at(s, i);

		if (p->cap)
			free(p->d.v);
	}
	for (i = 0; i < s->nblk; i++)
		free(s->blk[i]);
	for (i = 0; i < s->ntext_blk; i++)
		free(s->text_blk[i]);
	free(s->text_blk);
	free(s->blk);
	free(s->id);
	free(s->slot);
	memset(s, 0, sizeof(*s));
}

/* FNV-1a, then a final mix so that the low bits depend on every byte. */
static uint32_t
id_hash(const char *id, size_t len)
{
	uint32_t h = str_hash(id, len);

	h ^= h >> 16;
	h *= 0x7feb352dU;
	h ^= h >> 15;
	h *= 0x846ca68bU;
	h ^= h >> 16;
	return h;
}

static size_t
probe(const struct summary *s, const char *id, size_t len, uint32_t h, int *found)
{
	size_t mask = s->cap - 1, i = h & mask;

	for (;;) {
		uint64_t e = s->slot[i];

		if (!e) {
			*found = 0;
			return i;
		}
		if ((uint32_t)(e >> 32) == h) {
			const char *k = s->id[(e & 0xffffffffU) - 1];

			if (strncmp(k, id, len) == 0 && k[len] == '\0') {
				*found = 1;
				return i;
			}
		}
		i = (i + 1) & mask;
	}
}

static void
grow_index(struct summary *s)
{
	uint64_t *old = s->slot;
	size_t oldcap = s->cap, i;

	s->cap = s->cap ? s->cap * 2 : 1024;
	s->slot = xcalloc(s->cap, sizeof(*s->slot));
	for (i = 0; i < oldcap; i++) {
		size_t j;

		if (!old[i])
			continue;
		for (j = (old[i] >> 32) & (s->cap - 1); s->slot[j]; j = (j + 1) & (s->cap - 1))
			;
		s->slot[j] = old[i];
	}
	free(old);
}

static char *
keep_id(struct summary *s, const char *id, size_t len)
{
	char *p;

	if (len + 1 > s->text_left) {
		size_t n = len + 1 > 65536 ? len + 1 : 65536;

		s->text_blk = xreallocarray(s->text_blk, s->ntext_blk + 1,
		    sizeof(*s->text_blk));
		s->text = s->text_blk[s->ntext_blk++] = xmalloc(n);
		s->text_left = n;
	}
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
	size_t len = strlen(id), i;
	int found;

	if (!s->cap)
		return -1;
	i = probe(s, id, len, id_hash(id, len), &found);
	return found ? (long)(s->slot[i] & 0xffffffffU) - 1 : -1;
}

struct psum *
summary_get(struct summary *s, const char *id, size_t len)
{
	uint32_t h = id_hash(id, len);
	struct psum *p;
	size_t i;
	int found;

	/* Below half full, so that probes stay short. */
	if ((s->n + 1) * 2 > s->cap)
		grow_index(s);
	i = probe(s, id, len, h, &found);
	if (found)
		return summary_at(s, (size_t)(s->slot[i] & 0xffffffffU) - 1);
	/* Blocks, not one array: growing never copies what is there. */
	if (s->n % PSUM_BLOCK == 0) {
		s->blk = xreallocarray(s->blk, s->nblk + 1, sizeof(*s->blk));
		s->blk[s->nblk++] = xcalloc(PSUM_BLOCK, sizeof(struct psum));
	}
	if ((s->n & (s->n - 1)) == 0 || s->n < 16)
		s->id = xreallocarray(s->id, s->n < 16 ? 16 : s->n * 2, sizeof(*s->id));
	s->id[s->n] = keep_id(s, id, len);
	s->slot[i] = (uint64_t)h << 32 | (uint64_t)(s->n + 1);
	p = summary_at(s, s->n++);
	p->first = INT32_MAX;
	p->last = INT32_MIN;
	return p;
}

const int32_t *
psum_days(const struct psum *p)
{
	return p->cap ? p->d.v : p->d.inl;
}

static int32_t *
days_of(struct psum *p)
{
	return p->cap ? p->d.v : p->d.inl;
}

/* Add day to the sorted set of purchase days; 1 if it was new. */
static int
add_day(struct psum *p, int32_t day)
{
	int32_t *v = days_of(p);
	uint32_t lo = 0, hi = p->ndays;

	/* Logs are mostly in date order: the new day is usually the last. */
	if (p->ndays && v[p->ndays - 1] == day)
		return 0;
	if (!p->ndays || v[p->ndays - 1] < day) {
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
	if (p->ndays == (p->cap ? p->cap : 2)) {
		uint32_t nc = p->cap ? p->cap * 2 : 8;
		int32_t *nv = xreallocarray(p->cap ? p->d.v : NULL, nc, sizeof(*nv));

		if (!p->cap)
			memcpy(nv, p->d.inl, sizeof(p->d.inl));
		p->d.v = nv;
		p->cap = nc;
		v = nv;
	}
	memmove(v + lo + 1, v + lo, (p->ndays - lo) * sizeof(*v));
	v[lo] = day;
	p->ndays++;
	return 1;
}

int
summary_add(struct summary *s, const struct event *ev, const char *file,
    struct crm_err *err)
{
	int purchase = event_is_purchase(ev), refund = event_is_refund(ev);
	int32_t day = ev->date.day;
	struct psum *p;

	if (!purchase && !refund)
		return 0;
	if (day > s->end)
		return 0;
	if (!ev->has_amount)
		return crm_error(err, "%s:%ld: a %s without an amount", file, ev->line,
		    ev->f[LF_TYPE]);
	p = summary_get(s, ev->f[LF_CUSTOMER], strlen(ev->f[LF_CUSTOMER]));
	if (day > s->max_day)
		s->max_day = day;
	if (refund) {
		if (money_add(&p->revenue, -ev->amount) < 0)
			goto overflow;
		return 0;
	}
	if (money_add(&p->revenue, ev->amount) < 0 ||
	    money_add(&p->bought, ev->amount) < 0)
		goto overflow;
	p->npurch++;
	add_day(p, day);
	if (day < p->first) {
		p->first = day;
		p->first_total = ev->amount;
	} else if (day == p->first) {
		p->first_total += ev->amount;	/* bounded by bought: no overflow */
	}
	if (day > p->last)
		p->last = day;
	return 0;
overflow:
	return crm_error(err, "%s:%ld: the sum of amounts of customer '%s' is too "
	    "large", file, ev->line, q(ev->f[LF_CUSTOMER]));
}

int
summary_scan(struct summary *s, struct logreader *lr, struct crm_err *err)
{
	struct event ev;
	int k;

	while ((k = logr_next(lr, &ev, err)) > 0)
		if (summary_add(s, &ev, rd_name(lr->rd), err) < 0)
			return -1;
	return k;
}

void
summary_figures(const struct summary *s, const struct psum *p, int32_t end,
    enum sum_unit unit, struct rfm_figures *out)
{
	double ud = sum_unit_days(unit);

	(void)s;
	if (p->from_file) {
		out->frequency = p->f_frequency;
		out->recency = p->f_recency;
		out->T = p->f_T;
		out->monetary = p->f_monetary;
		return;
	}
	if (!p->ndays) {
		memset(out, 0, sizeof(*out));
		return;
	}
	/*
	 * Rounded as summary_row() writes them (six decimals), so
	 * that a model fitted on summaries read back from files is bit for
	 * bit the one fitted in memory: x / 1e6 of an integer x is the
	 * double nearest to the decimal text, as strtod() gives it.
	 */
	out->frequency = p->ndays - 1;
	out->recency = round((p->last - p->first) / ud * 1e6) / 1e6;
	out->T = round((end - p->first) / ud * 1e6) / 1e6;
	out->monetary = p->ndays > 1 ? round(money_to_double(p->bought -
	    p->first_total) / (p->ndays - 1) * 1e6) / 1e6 : 0;
}

static void
num(char *buf, double v)
{
	/* Six decimals are exact enough for days/7 and keep lines short. */
	fmt_fixed(buf, v, 6);
}

void
summary_row(const struct summary *s, size_t i, int32_t end, enum sum_unit unit,
    char buf[SUMMARY_NCOL][40], const char *f[SUMMARY_NCOL])
{
	const struct psum *p = summary_at(s, i);
	struct rfm_figures r;
	int k;

	summary_figures(s, p, end, unit, &r);
	for (k = 0; k < SUMMARY_NCOL; k++) {
		buf[k][0] = '\0';
		f[k] = buf[k];
	}
	f[0] = s->id[i];
	snprintf(buf[1], 40, "%u", p->npurch);
	snprintf(buf[2], 40, "%u", p->ndays);
	if (p->ndays) {
		date_format(buf[3], p->first);
		date_format(buf[4], p->last);
	}
	money_format(buf[5], p->revenue);
	if (p->ndays) {
		snprintf(buf[6], 40, "%.0f", r.frequency);
		num(buf[7], r.recency);
		num(buf[8], r.T);
		/* Not cents: a mean rounded to cents moves the Gamma-Gamma fit. */
		num(buf[9], r.monetary);
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
		p->from_file = 1;
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
		if (read_num(rec_get(rec, col[6]), &p->f_frequency) < 0 ||
		    read_num(rec_get(rec, col[7]), &p->f_recency) < 0 ||
		    read_num(rec_get(rec, col[8]), &p->f_T) < 0 ||
		    read_num(rec_get(rec, col[9]), &p->f_monetary) < 0)
			goto bad;
		/* ndays is kept for RFM; the day set itself is not needed. */
		continue;
bad:
		return crm_error(err, "%s:%ld: invalid number in the summary", name,
		    rec->line);
	}
	return k;
}
