/*
 * test_segment.c - lib/segment.c: the parts of crm-segment that have
 * edge cases a command line reaches only awkwardly: quintile scores with
 * ties, the RFM table, Pareto classes at their exact limits, shares that
 * must add up to 100%, the lifecycle rules at their thresholds, decimal
 * parsing, and the reasons' revenue window.
 *
 * Expected values are worked out here independently: by hand in the
 * comments, or by a brute-force count that follows the definition in
 * segment.h rather than the code.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "date.h"
#include "segment.h"

static int32_t
D(const char *s)
{
	struct crm_date d;

	if (date_parse_iso(s, &d) < 0)
		abort();
	return d.day;
}

/* A day as text, from a rotating set of buffers. */
static const char *
date_format_s(int32_t day)
{
	static char buf[4][11];
	static int i;

	i = (i + 1) % 4;
	date_format(buf[i], day);
	return buf[i];
}

/* The definition, counted out: 1 + floor(5 (L + k/2) / n). */
static int
score_by_definition(const int64_t *v, size_t n, size_t i)
{
	size_t j, below = 0, same = 0;

	for (j = 0; j < n; j++) {
		if (v[j] < v[i])
			below++;
		else if (v[j] == v[i])
			same++;
	}
	return 1 + (int)((5.0 * (below + same / 2.0)) / n);
}

static void
test_quintiles(void)
{
	int64_t five[] = { 50, 10, 40, 20, 30 };
	int64_t ten[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	int64_t ties[] = { 1, 3, 1, 2, 1 };
	int64_t halves[] = { 1, 2, 1, 2, 1, 2, 1, 2 };
	int64_t neg[] = { -5, 0, -10 };
	unsigned char s[1000], s2[1000];
	int64_t same[1000], v[257], p[257];
	size_t i, k, bad;
	uint32_t x = 2463534242u;

	seg_quintiles(five, 5, s);
	/* 10 20 30 40 50 score 1 2 3 4 5, in input order: */
	is_int(s[0] * 10000 + s[1] * 1000 + s[2] * 100 + s[3] * 10 + s[4],
	    51423, "five distinct values: one score each");

	seg_quintiles(ten, 10, s);
	for (i = 0, bad = 0; i < 10; i++)
		bad += s[i] != i / 2 + 1;
	is_int(bad, 0, "ten distinct values: two customers per score");

	/* 1 1 1 2 3: the three ones sit at 0..3 of 5, their middle at
	 * 1.5/5 -> 2; the 2 at 3.5/5 -> 4; the 3 at 4.5/5 -> 5. */
	seg_quintiles(ties, 5, s);
	ok(s[0] == 2 && s[2] == 2 && s[4] == 2 && s[3] == 4 && s[1] == 5,
	    "a tie shares the score of its middle (got %d %d %d %d %d)",
	    s[0], s[1], s[2], s[3], s[4]);

	/* Fewer than five distinct values: half and half score 2 and 4. */
	seg_quintiles(halves, 8, s);
	for (i = 0, bad = 0; i < 8; i++)
		bad += s[i] != (halves[i] == 1 ? 2 : 4);
	is_int(bad, 0, "two values, half each: 2 and 4");

	seg_quintiles(five, 1, s);
	is_int(s[0], 3, "one customer scores 3");

	for (i = 0; i < 1000; i++)
		same[i] = 123456;
	seg_quintiles(same, 1000, s);
	for (i = 0, bad = 0; i < 1000; i++)
		bad += s[i] != 3;
	is_int(bad, 0, "a thousand equal values all score 3");

	seg_quintiles(neg, 3, s);
	ok(s[2] == 1 && s[0] == 3 && s[1] == 5, "negative values rank too "
	    "(got %d %d %d)", s[0], s[1], s[2]);

	/*
	 * Value and row number share a word when they fit: at the edge
	 * (257 rows take 9 bits, the values span 55) and past it (the
	 * extremes of int64_t), both ways against the definition.
	 */
	for (k = 0; k < 2; k++) {
		for (i = 0; i < 257; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			v[i] = k ? (int64_t)((uint64_t)x << 32 | x) :
			    (int64_t)(((uint64_t)x << 23) & (((uint64_t)1 << 55) - 1));
		}
		v[0] = k ? INT64_MIN : 0;
		v[1] = k ? INT64_MAX : (int64_t)(((uint64_t)1 << 55) - 1);
		v[2] = v[3] = v[4];
		seg_quintiles(v, 257, s);
		for (i = 0, bad = 0; i < 257; i++)
			bad += s[i] != score_by_definition(v, 257, i);
		is_int(bad, 0, "values spanning %s: as defined",
		    k ? "all of int64_t" : "55 bits in 257 rows");
	}

	/*
	 * Keys spanning fewer than 65,536 values are counted, not sorted
	 * (quint_steps()): either side of that edge, and with the least
	 * value negative, against the definition.
	 */
	for (k = 0; k < 4; k++) {
		int64_t span = k % 2 ? 65536 : 65535, base = k < 2 ? 0 : -40000;

		for (i = 0; i < 257; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			v[i] = base + (int64_t)(x % (uint64_t)(span + 1)) / (i % 3 + 1);
		}
		v[0] = base;
		v[1] = base + span;
		v[5] = v[6] = v[7];
		seg_quintiles(v, 257, s);
		for (i = 0, bad = 0; i < 257; i++)
			bad += s[i] != score_by_definition(v, 257, i);
		is_int(bad, 0, "values from %lld spanning %lld: as defined",
		    (long long)base, (long long)span);
	}

	/* Random values with many ties, against the definition, and again
	 * shuffled: the scores follow the values, not the order. */
	for (k = 0; k < 40; k++) {
		size_t n = 1 + k * 6;

		for (i = 0; i < n; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			v[i] = (int64_t)(x % (k % 7 + 1));
		}
		seg_quintiles(v, n, s);
		for (i = 0, bad = 0; i < n; i++)
			bad += s[i] != score_by_definition(v, n, i);
		is_int(bad, 0, "random case %zu (n=%zu): as defined", k, n);
		for (i = 0; i < n; i++)
			p[i] = v[n - 1 - i];
		seg_quintiles(p, n, s2);
		for (i = 0, bad = 0; i < n; i++)
			bad += s2[i] != s[n - 1 - i];
		is_int(bad, 0, "random case %zu: reversed input, same scores", k);
	}
}

static void
test_rfm_table(void)
{
	static const struct {
		int r, f, m;
		const char *seg;
	} spot[] = {
		{ 5, 5, 5, "Champions" }, { 4, 4, 4, "Champions" },
		{ 3, 5, 5, "Loyal Customers" }, { 5, 5, 1, "Loyal Customers" },
		{ 4, 3, 1, "Potential Loyalist" }, { 5, 1, 5, "New Customers" },
		{ 4, 2, 1, "New Customers" }, { 3, 1, 1, "Promising" },
		{ 3, 2, 5, "Promising" }, { 1, 5, 5, "Can't Lose Them" },
		{ 1, 5, 3, "At Risk" }, { 2, 5, 5, "At Risk" },
		{ 2, 3, 3, "Need Attention" }, { 2, 2, 2, "About To Sleep" },
		{ 1, 3, 1, "Hibernating" }, { 1, 1, 1, "Lost" }, { 1, 2, 5, "Lost" },
		{ 3, 3, 3, "Potential Loyalist" },
	};
	struct rfm_table t = RFM_TABLE_INIT;
	int r, f, m, other = 0;
	size_t i;

	rfm_table_default(&t);
	is_int(t.n, 11, "the default table has the eleven segments");
	for (r = 1; r <= 5; r++)
		for (f = 1; f <= 5; f++)
			for (m = 1; m <= 5; m++)
				other += streq(rfm_table_match(&t, r, f, m), RFM_OTHER);
	is_int(other, 0, "the default table covers all 125 combinations");
	for (i = 0; i < ARRAY_SIZE(spot); i++)
		is_str(rfm_table_match(&t, spot[i].r, spot[i].f, spot[i].m),
		    spot[i].seg, "%d%d%d is %s", spot[i].r, spot[i].f, spot[i].m,
		    spot[i].seg);
	rfm_table_release(&t);
}

static char tmp_path[64];

/* A temporary file holding text; its reader (NULL on error). */
static struct reader *
reader_of(const char *text, struct crm_err *err)
{
	struct rd_opts o = { .format = RD_AUTO };
	int fd;

	strcpy(tmp_path, "/tmp/crm-test-segment.XXXXXX");
	fd = mkstemp(tmp_path);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	close(fd);
	return rd_open(tmp_path, &o, err);
}

static void
done_reader(struct reader *r)
{
	rd_close(r);
	unlink(tmp_path);
}

/* Read a user's table; returns rfm_table_read()'s result. */
static int
read_table(const char *text, struct rfm_table *t, struct crm_err *err)
{
	struct reader *r = reader_of(text, err);
	int rc;

	if (!r)
		return -2;
	rc = rfm_table_read(t, r, err);
	done_reader(r);
	return rc;
}

static void
test_rfm_user_table(void)
{
	struct rfm_table t = RFM_TABLE_INIT;
	struct crm_err err = { "" };
	const char *bad;

	is_int(read_table("name,r,f,m\nBest,5,4-5,*\nRecent,4-5,,\n", &t, &err), 0,
	    "a user's table is read");
	is_str(rfm_table_match(&t, 5, 5, 1), "Best", "first match wins");
	is_str(rfm_table_match(&t, 5, 3, 1), "Recent", "empty is any");
	is_str(rfm_table_match(&t, 3, 5, 5), RFM_OTHER, "no rule: Other");
	rfm_table_release(&t);

	is_int(read_table("{\"segment\":\"All\",\"r\":\"1-5\"}\n", &t, &err), 0,
	    "JSON Lines, with 'segment' for the name");
	is_str(rfm_table_match(&t, 1, 1, 1), "All", "missing keys are any");
	rfm_table_release(&t);

	is_int(read_table("name,r,f,m\nX,5-4,,\n", &t, &err), -1, "5-4 is refused");
	bad = strstr(err.msg, ":2: invalid score range '5-4' for r");
	ok(bad != NULL, "the message names the line and range (%s)", err.msg);
	rfm_table_release(&t);
	is_int(read_table("name,r,f,m\nX,,6,\n", &t, &err), -1, "6 is refused");
	rfm_table_release(&t);
	is_int(read_table("name,r,f,m\nX,,,a\n", &t, &err), -1, "a is refused");
	rfm_table_release(&t);
	is_int(read_table("name,r,f\nX,,\n", &t, &err), -1, "no m column");
	ok(strstr(err.msg, ":1: no column 'm'") != NULL, "...says so (%s)", err.msg);
	rfm_table_release(&t);
	is_int(read_table("name,r,f,m\n", &t, &err), -1, "no rules");
	ok(strstr(err.msg, ": no segments") != NULL, "...says so (%s)", err.msg);
	rfm_table_release(&t);
	is_int(read_table("name,r,f,m\n,1,1,1\n", &t, &err), -1, "no name");
	rfm_table_release(&t);
}

static void
test_parse(void)
{
	static const struct {
		const char *s;
		int64_t want;
	} ratio[] = {
		{ "0.2", 200000 }, { "20%", 200000 }, { "-0.05", -50000 },
		{ "12.5%", 125000 }, { "1", 1000000 }, { " 0.8 ", 800000 },
		{ "0.123456", 123456 }, { "0.1234560", 123456 }, { "+1.5", 1500000 },
		{ "0.0001%", 1 },
	};
	static const char *const bad_ratio[] = {
		"", "1,5", "1e3", "0.1234567", "abc", "5.", ".", "-", "20%%",
		"0.00001%", "nan", "1 000",
	};
	struct crm_err err;
	int64_t v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ratio); i++) {
		v = -42;
		is_int(seg_parse_ratio(ratio[i].s, &v, &err), 0, "'%s' is a number",
		    ratio[i].s);
		is_int(v, ratio[i].want, "'%s' is %lld ppm", ratio[i].s,
		    (long long)ratio[i].want);
	}
	for (i = 0; i < ARRAY_SIZE(bad_ratio); i++) {
		is_int(seg_parse_ratio(bad_ratio[i], &v, &err), -1, "'%s' is refused",
		    bad_ratio[i]);
	}
	is_str(err.msg, "invalid number '1 000'", "the message quotes it");
	is_int(seg_parse_value("", &v, &err), 0, "an empty value...");
	is_int(v, 0, "...is zero");
	is_int(seg_parse_value("1234.50", &v, &err), 0, "an amount");
	is_int(v, 1234500000, "...in millionths");
	is_int(seg_parse_value("9000000000000", &v, &err), 0, "nine trillion");
	is_int(seg_parse_value("9000000000000.000001", &v, &err), -1,
	    "more is refused");
	is_int(seg_parse_value("5%", &v, &err), -1, "a value is not a percentage");
}

static void
test_abc(void)
{
	int64_t a[] = { 20, 50, 30 };		/* 50 30 | 20 */
	int64_t b[] = { 5, 90, 5 };		/* 90 | 5 5 */
	int64_t c[] = { 80, 15, 5 };		/* exactly at both limits */
	int64_t z[] = { 0, -3, 0 };
	int64_t neg[] = { 10, -10, 0 };
	int64_t same[1000];
	struct abc_result r[1000];
	size_t i, bad;

	seg_abc_classify(a, 3, 800000, 950000, r);
	/* 50: nobody before -> A, 0.5; 30: 0.5 before -> A, 0.8;
	 * 20: 0.8 before, not below 0.8 -> B, 1.0 */
	ok(r[1].cls == 'A' && r[2].cls == 'A' && r[0].cls == 'B',
	    "50 30 20: A A B (got %c %c %c)", r[1].cls, r[2].cls, r[0].cls);
	is_near(r[1].share, 0.5, 1e-12, "50 30 20: the first's share is 0.5");
	is_near(r[2].share, 0.8, 1e-12, "50 30 20: the second's is 0.8");
	is_near(r[0].share, 1.0, 1e-12, "50 30 20: the last's is 1");

	seg_abc_classify(b, 3, 800000, 950000, r);
	/* 90 alone crosses 80%: A.  The two 5s tie: 0.9 before -> B, 1.0. */
	ok(r[1].cls == 'A' && r[0].cls == 'B' && r[2].cls == 'B',
	    "90 5 5: the big one is A, the tie is one class");
	is_near(r[0].share, 1.0, 1e-12, "90 5 5: tied shares include the tie");

	seg_abc_classify(c, 3, 800000, 950000, r);
	/* 80: A; 15: exactly 80% before -> B; 5: exactly 95% before -> C */
	ok(r[0].cls == 'A' && r[1].cls == 'B' && r[2].cls == 'C',
	    "80 15 5: the limits are exact (got %c %c %c)", r[0].cls, r[1].cls,
	    r[2].cls);

	seg_abc_classify(c, 3, 850000, 850000, r);
	ok(r[0].cls == 'A' && r[1].cls == 'A' && r[2].cls == 'C',
	    "80 15 5 with A=B=0.85: A A C");

	for (i = 0; i < 1000; i++)
		same[i] = 777;
	seg_abc_classify(same, 1000, 800000, 950000, r);
	for (i = 0, bad = 0; i < 1000; i++)
		bad += r[i].cls != 'A' || r[i].share != 1.0;
	is_int(bad, 0, "a thousand equal values: all A, share 1");

	seg_abc_classify(z, 3, 800000, 950000, r);
	ok(r[0].cls == 'C' && r[1].cls == 'C' && !r[0].has_share &&
	    !r[1].has_share, "a zero total: all C, no share");

	seg_abc_classify(neg, 3, 800000, 950000, r);
	ok(r[0].cls == 'A' && r[1].cls == 'C' && r[2].cls == 'C',
	    "below zero counts as zero: the minus and the zero tie in C");
	is_near(r[1].share, 1.0, 1e-12, "...with the whole as their share");

	seg_abc_classify(a, 1, 800000, 950000, r);
	ok(r[0].cls == 'A' && r[0].share == 1.0, "one customer with a value is A");
}

static void
test_shares(void)
{
	int64_t third[] = { 1, 1, 1 };
	int64_t sixth[] = { 3, 2, 1 };
	int64_t zero[] = { 0, 0 };
	int64_t neg[] = { 150, -50 };
	int64_t v[50];
	int bp[50];
	size_t i, k;
	uint32_t x = 88172645u;
	char buf[32];

	seg_shares(third, 3, bp);
	ok(bp[0] == 3334 && bp[1] == 3333 && bp[2] == 3333,
	    "thirds: 3334 3333 3333, the first remainder first");
	/* 3/6 = 5000; 2/6 = 3333.3; 1/6 = 1666.7: the point left goes to
	 * the largest remainder, the sixth */
	seg_shares(sixth, 3, bp);
	ok(bp[0] == 5000 && bp[1] == 3333 && bp[2] == 1667,
	    "halves, thirds and sixths: 5000 3333 1667");
	seg_shares(zero, 2, bp);
	ok(bp[0] == SEG_NO_SHARE && bp[1] == SEG_NO_SHARE, "no total: no shares");
	seg_shares(neg, 2, bp);
	ok(bp[0] == 15000 && bp[1] == -5000, "a part below zero: 150%% and -50%%");

	for (k = 0; k < 200; k++) {
		size_t n = 1 + k % 50;
		long sum = 0, total = 0;
		int close_enough = 1;

		for (i = 0; i < n; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			v[i] = k % 3 == 0 ? (int64_t)(x % 7) : (int64_t)(x % 100000);
			sum += v[i];
		}
		if (sum == 0)
			v[0] = sum = 1;
		seg_shares(v, n, bp);
		for (i = 0; i < n; i++) {
			double exact = 10000.0 * v[i] / sum;

			total += bp[i];
			if (bp[i] < exact - 1 || bp[i] > exact + 1)
				close_enough = 0;
		}
		is_int(total, 10000, "random shares %zu add up to 100%%", k);
		ok(close_enough, "random shares %zu: each within a point of exact", k);
	}

	seg_share_text(buf, sizeof(buf), 6000);
	is_str(buf, "0.6000", "6000 points as a fraction");
	seg_share_text(buf, sizeof(buf), 10000);
	is_str(buf, "1.0000", "all of it");
	seg_share_text(buf, sizeof(buf), -5);
	is_str(buf, "-0.0005", "below zero");
	seg_share_text(buf, sizeof(buf), SEG_NO_SHARE);
	is_str(buf, "", "no share");
	seg_share_pct(buf, sizeof(buf), 6667);
	is_str(buf, "66.67%", "as a percentage");
}

static void
test_bar(void)
{
	struct sbuf sb = SBUF_INIT;

	seg_bar(&sb, 10000, 20);
	is_int(utf8_width(sb_str(&sb)), 20, "100%% is 20 cells");
	ok(sb.len == 60, "of full blocks (3 bytes each)");
	sb_reset(&sb);
	seg_bar(&sb, 0, 20);
	is_str(sb_str(&sb), "", "0%% is no bar");
	sb_reset(&sb);
	seg_bar(&sb, 1, 20);
	is_str(sb_str(&sb), "\xe2\x96\x8f", "a hundredth of a percent shows an eighth");
	sb_reset(&sb);
	seg_bar(&sb, 3125, 20);
	/* 31.25% of 20 cells = 6.25 cells = 6 full and two eighths */
	is_str(sb_str(&sb), "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88"
	    "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x8e", "31.25%% is 6 2/8 cells");
	sb_release(&sb);
}

static void
test_gaps(void)
{
	int32_t a[] = { 0, 10, 30 };		/* gaps 10 20: median 15 */
	int32_t b[] = { 0, 10, 20, 50 };	/* gaps 10 10 30: median 10 */
	int32_t c[] = { 0, 10 };
	long pop1[] = { -1, 20, 61, 30 };
	long pop2[] = { 20, 31 };
	long none[] = { -1, -1 };

	is_int(life_usual_gap2(a, 3, 2), 30, "gaps 10 and 20: 15 days");
	is_int(life_usual_gap2(b, 4, 2), 20, "gaps 10 10 30: 10 days");
	is_int(life_usual_gap2(c, 2, 2), -1, "one gap is too few for two");
	is_int(life_usual_gap2(c, 2, 1), 20, "...and enough for one");
	is_int(life_usual_gap2(c, 1, 1), -1, "one day has no gap");
	is_int(life_population_gap2(pop1, 4), 30, "population: the median");
	/* (10 + 15.5) / 2 = 12.75 days, down to 12.5: 25 half days */
	is_int(life_population_gap2(pop2, 2), 25, "...rounded down to half a day");
	is_int(life_population_gap2(none, 2), -1, "...none without gaps");
}

/* The stage of a customer with these purchase days as of 2026-11-23. */
static enum life_stage
stage(const struct life_opts *o, const char *const *days, uint32_t n,
    const char *churn, long pop2)
{
	int32_t d[16];
	struct life_cust c;
	struct life_result r;
	uint32_t i;

	for (i = 0; i < n; i++)
		d[i] = D(days[i]);
	c.days = d;
	c.ndays = n;
	c.churn = churn ? D(churn) : INT32_MIN;
	life_classify(&c, o, D("2026-11-23"), pop2, &r);
	return r.stage;
}

static void
test_lifecycle(void)
{
	static const char *const new90[] = { "2026-08-25" };	/* 90 days */
	static const char *const old91[] = { "2026-08-24" };	/* 91 days */
	static const char *const y365[] = { "2025-11-23" };
	static const char *const y366[] = { "2025-11-22" };
	/* gaps 10 10: usual 10; the last 20 or 21 days ago */
	static const char *const r20[] = { "2026-10-14", "2026-10-24", "2026-11-03" };
	static const char *const r21[] = { "2026-10-13", "2026-10-23", "2026-11-02" };
	static const char *const loyal[] = { "2025-12-01", "2026-03-01",
		"2026-06-01", "2026-09-01", "2026-11-01" };
	static const char *const gap_q[] = { "2025-12-01", "2026-06-01",
		"2026-09-01", "2026-11-01" };
	static const char *const two[] = { "2026-05-01", "2026-08-01" };
	struct life_opts o;

	life_opts_init(&o);
	is_str(life_stage_names[stage(&o, NULL, 0, NULL, 60)], "no purchases",
	    "never bought");
	is_str(life_stage_names[stage(&o, NULL, 0, "2026-11-01", 60)], "lost",
	    "never bought, but churned: lost");
	is_str(life_stage_names[stage(&o, new90, 1, NULL, 200)], "new",
	    "first purchase 90 days ago: new");
	is_str(life_stage_names[stage(&o, old91, 1, NULL, 200)], "active",
	    "91 days ago, once, within the gap: active");
	is_str(life_stage_names[stage(&o, old91, 1, NULL, 90)], "at risk",
	    "91 days ago with a population gap of 45: at risk");
	is_str(life_stage_names[stage(&o, y365, 1, NULL, 1000)], "active",
	    "365 days silent: not lost yet");
	is_str(life_stage_names[stage(&o, y366, 1, NULL, 1000)], "lost",
	    "366 days silent: lost");
	is_str(life_stage_names[stage(&o, new90, 1, "2026-08-25", 200)], "lost",
	    "a churn on the day of the last purchase: lost");
	is_str(life_stage_names[stage(&o, new90, 1, "2026-08-24", 200)], "new",
	    "a purchase after the churn: back");
	o.new_n = 0;
	is_str(life_stage_names[stage(&o, r20, 3, NULL, 1000)], "regular",
	    "silent 20 days, usual gap 10: not at risk (not more than twice)");
	is_str(life_stage_names[stage(&o, r21, 3, NULL, 1000)], "at risk",
	    "silent 21 days, usual gap 10: at risk");
	o.risk_ppm = 2500000;
	is_str(life_stage_names[stage(&o, r21, 3, NULL, 1000)], "regular",
	    "...not with a factor of 2.5");
	life_opts_init(&o);
	is_str(life_stage_names[stage(&o, loyal, 5, NULL, 1000)], "loyal",
	    "a purchase in each of the last four quarters: loyal");
	is_str(life_stage_names[stage(&o, gap_q, 4, NULL, 1000)], "regular",
	    "a quarter without: regular");
	o.loyal_periods = 0;
	is_str(life_stage_names[stage(&o, loyal, 5, NULL, 1000)], "regular",
	    "no loyal periods: nobody is loyal");
	life_opts_init(&o);
	is_str(life_stage_names[stage(&o, two, 2, NULL, 1000)], "active",
	    "two purchase days: active, not regular");
	o.regular_days = 2;
	is_str(life_stage_names[stage(&o, two, 2, NULL, 1000)], "regular",
	    "...regular from two days");
}

/* The log's churn and complaints, and the revenue window before them. */
static void
test_log_reasons(void)
{
	static const char log[] =
	    "date,customer,type,amount,outcome,note\n"
	    "2025-11-15,a,purchase,100,,\n"	/* exactly 12 months before: out */
	    "2025-11-16,a,purchase,20.50,,\n"	/* a day later: in */
	    "2026-06-01,a,refund,5,,\n"
	    "2026-11-15,a,churn,,price,\n"
	    "2026-11-16,a,purchase,1,,\n"	/* after leaving: out */
	    "2026-11-30,b,churn,,price,\n"	/* after today: not yet */
	    "2026-03-01,b,purchase,7,,\n"
	    "2026-04-01,b,complaint,,,\"late, again\"\n"
	    "2026-05-01,b,complaint,,,\n"
	    "2026-05-02,b,churn,,,\n"
	    "2026-01-01,c,churn,,price,\n";
	struct crm_err err = { "" };
	struct reader *r = reader_of(log, &err);
	struct seg_rows rows = SEG_ROWS_INIT;
	struct logreader lr;
	struct seg_log sl;
	struct seg_reason *out;
	struct reader *rr;
	size_t n, idx = 0;
	const struct psum *p;

	seglog_init(&sl, D("2026-11-23"), 1);
	ok(r && logr_from(&lr, r, NULL, &err) == 0, "the log opens");
	is_int(seglog_scan(&sl, &lr, &err), 0, "the log is read (%s)", err.msg);
	logr_close(&lr);
	unlink(tmp_path);
	p = seglog_find(&sl, "a", &idx);
	ok(p && p->revenue == 11650 && p->ndays == 3,
	    "a: 100 + 20.50 - 5 + 1 on three days");
	is_str(date_format_s(seglog_churn(&sl, idx)), "2026-11-15", "a's churn");
	p = seglog_find(&sl, "b", &idx);
	is_str(date_format_s(seglog_churn(&sl, idx)), "2026-05-02",
	    "b's churn after today is not seen");

	rr = reader_of("id,name\na,A\nb,B\n", &err);
	ok(rr && seg_rows_read(&rows, rr, &err) == 0 &&
	    seg_rows_finish(&rows, &err) == 0, "rows a and b");
	done_reader(rr);
	is_int(seg_reasons(&sl, &rows, 12, 'm', &out, &n, &err), 0, "reasons");
	/* churn: price (a; c is not in the rows), (none) (b); complaints:
	 * "late, again" and (none), both b */
	is_int(n, 4, "four groups");
	if (n == 4) {
		/* one event each: the revenue decides */
		is_str(out[0].reason, "price", "churn 'price' first: 15.50 beats 7.00");
		is_int(out[0].revenue, 1550, "a: 20.50 - 5, not the 100 of exactly "
		    "a year before, not the 1 after");
		is_int(out[0].customers, 1, "only a: c is not in the rows");
		is_str(out[1].reason, "(none)", "then (none)");
		is_int(out[1].revenue, 700, "b's 7.00 in the year before 2026-05-02");
		is_int(out[0].bp + out[1].bp, 10000, "churn shares add up");
		ok(out[2].kind == SEG_COMPLAINT && out[3].kind == SEG_COMPLAINT,
		    "then the complaints");
		is_str(out[2].reason, "(none)", "(none) before 'late, again' on name");
		is_str(out[3].reason, "late, again", "the note when no outcome");
	}
	free(out);
	is_int(seg_reasons(&sl, &rows, 1, 'd', &out, &n, &err), 0, "a 1-day window");
	/* nothing left to tell the churn groups apart but the name */
	ok(n == 4 && out[0].revenue == 0 && out[1].revenue == 0 &&
	    streq(out[0].reason, "(none)"), "...has no revenue; then by name");
	free(out);
	seg_rows_release(&rows);
	seglog_release(&sl);
}

static void
test_rows(void)
{
	struct seg_rows rows = SEG_ROWS_INIT;
	struct crm_err err = { "" };
	struct reader *r;
	const char *want;

	r = reader_of("id,tier\nc1,key\nc2,\n", &err);
	ok(r && seg_rows_read(&rows, r, &err) == 0, "the first file");
	done_reader(r);
	r = reader_of("{\"city\":\"Brno\",\"id\":\"c3\"}\n", &err);
	ok(r && seg_rows_read(&rows, r, &err) == 0, "a second, in JSON Lines");
	done_reader(r);
	is_int(seg_rows_finish(&rows, &err), 0, "three rows");
	is_int(rows.t.ncol, 3, "columns matched by name: id, tier, city");
	is_str(table_get(&rows.t, 2, table_col(&rows.t, "city")), "Brno",
	    "c3's city");
	is_str(seg_rows_id(&rows, 2), "c3", "c3's id");
	seg_rows_release(&rows);

	r = reader_of("customer,x\na,1\nb,2\na,3\n", &err);
	ok(r && seg_rows_read(&rows, r, &err) == 0, "rows by 'customer'");
	is_int(seg_rows_finish(&rows, &err), -1, "a twice is an error");
	want = strstr(err.msg, ":4: id 'a' appears twice (first at ");
	ok(want && strstr(err.msg, ":2)"), "naming both lines (%s)", err.msg);
	done_reader(r);
	seg_rows_release(&rows);
}

int
main(void)
{
	test_quintiles();
	test_rfm_table();
	test_rfm_user_table();
	test_parse();
	test_abc();
	test_shares();
	test_bar();
	test_gaps();
	test_lifecycle();
	test_log_reasons();
	test_rows();
	return done_testing();
}
