/*
 * gen.c - a deterministic, realistic interaction log for the benchmarks.
 *
 * usage: gen EVENTS CUSTOMERS [SEED] > log.csv
 *        gen --customers CUSTOMERS > customers.csv
 *        gen --bgnbd CUSTOMERS > summary.csv
 *
 * --bgnbd draws a customer-base summary (crm-ltv --summary's columns)
 * from the BG/NBD and Gamma-Gamma models with CDNOW's parameters, for
 * timing the fit on a million customers and checking that it finds the
 * parameters again.
 *
 * The columns are log.csv's.  Customers' activity is skewed (a few very
 * active ones, many one-time buyers: customer k is drawn with a weight of
 * about 1/k); three years of dates, mostly in order, with some events
 * back-dated by up to a week; purchases, refunds, calls, e-mails and
 * meetings; amounts with cents; free-text notes with commas, double
 * quotes, line breaks and Cyrillic, Slovak and Norwegian text.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state;

/* splitmix64: a small, fast generator with the same output everywhere. */
static uint64_t
next(void)
{
	uint64_t z = (state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double
uniform(void)
{
	return (double)(next() >> 11) / 9007199254740992.0;
}

static double
normal(void)
{
	double u = uniform(), v = uniform();

	return sqrt(-2 * log(u + 1e-300)) * cos(2 * M_PI * v);
}

/* Gamma(shape, 1): Marsaglia and Tsang; shape < 1 by the usual boost. */
static double
gamma_draw(double shape)
{
	double d, c, x, v, u;

	if (shape < 1)
		return gamma_draw(shape + 1) * pow(uniform() + 1e-300, 1 / shape);
	d = shape - 1.0 / 3;
	c = 1 / sqrt(9 * d);
	for (;;) {
		do {
			x = normal();
			v = 1 + c * x;
		} while (v <= 0);
		v = v * v * v;
		u = uniform();
		if (u < 1 - 0.0331 * x * x * x * x ||
		    log(u + 1e-300) < 0.5 * x * x + d * (1 - v + log(v)))
			return d * v;
	}
}

static int
bgnbd(long n)
{
	/* CDNOW's estimates (Fader, Hardie & Lee 2005; Fader & Hardie). */
	const double r = 0.243, alpha = 4.414, a = 0.793, b = 2.426;
	const double gp = 6.25, gq = 3.74, gg = 15.44;
	long i;

	puts("customer,purchases,days,first,last,revenue,frequency,recency,T,monetary,unit");
	for (i = 1; i <= n; i++) {
		double lambda = gamma_draw(r) / alpha;
		double ga = gamma_draw(a), p = ga / (ga + gamma_draw(b));
		double nu = gamma_draw(gq) / gg, spend = 0;
		/* Acquired over twelve weeks, observed to week 39, by whole days. */
		long Tdays = 273 - (long)(uniform() * 84), t = 0, x = 0;
		double clock = 0;

		for (;;) {
			clock += -log(uniform() + 1e-300) / (lambda + 1e-300);
			if (clock * 7 > Tdays)
				break;
			x++;
			t = (long)(clock * 7);
			spend += gamma_draw(gp) / nu;
			if (uniform() < p)
				break;
		}
		printf("b%ld,%ld,%ld,1997-01-01,1997-01-01,0.00,%ld,%.6f,%.6f,%.6f,week\n",
		    i, x + 1, x + 1, x, t / 7.0, Tdays / 7.0, x ? spend / x : 0);
	}
	return ferror(stdout) || fclose(stdout) ? 1 : 0;
}

static void
civil(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static const char *const notes[] = {
	"",
	"",
	"",
	"called back",
	"asked about the prices for Q1, wants a discount",
	"Discussed delivery terms; \"\"urgent\"\" order possible",
	"Вопрос по срокам поставки, просит перезвонить",
	"Ønsker et nytt tilbud på levering i januar, ring tilbake",
	"Chcú zľavu pri väčšom odbere, pošleme ponuku",
	"Complained about a late delivery\nPromised a credit note",
	"Встреча на заводе, обсудили контракт на 2025 год",
};

int
main(int argc, char **argv)
{
	long events, customers, i, day0 = 19358;	/* 2023-01-01 */
	double span = 3 * 365.25, hn;

	if (argc == 3 && strcmp(argv[1], "--bgnbd") == 0) {
		state = 20261123;
		return bgnbd(atol(argv[2]));
	}
	if (argc == 3 && strcmp(argv[1], "--customers") == 0) {
		/* The customer rows: ids, names, an owner and a tier each. */
		static const char *const owners[] = { "anna", "boris", "eva" };
		static const char *const tiers[] = { "vip", "key", "regular", "small" };

		customers = atol(argv[2]);
		puts("id,name,owner,tier,created");
		for (i = 1; i <= customers; i++)
			printf("c%ld,Customer %ld,%s,%s,2023-01-01\n", i, i, owners[i % 3],
			    tiers[i % 13 == 0 ? 0 : i % 7 == 0 ? 1 : i % 2 ? 2 : 3]);
		return ferror(stdout) || fclose(stdout) ? 1 : 0;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: gen EVENTS CUSTOMERS [SEED]\n"
		    "       gen --customers CUSTOMERS\n");
		return 2;
	}
	events = atol(argv[1]);
	customers = atol(argv[2]);
	state = argc > 3 ? strtoull(argv[3], NULL, 10) : 20261123;
	/* Harmonic number: to draw k with weight 1/k by inverting the CDF. */
	hn = log((double)customers) + 0.5772156649;
	puts("date,customer,type,channel,amount,outcome,next,next_action,assignee,by,note");
	for (i = 0; i < events; i++) {
		long day = day0 + (long)(span * i / events), c;
		double u = uniform(), t = uniform();
		unsigned r = (unsigned)(next() >> 40);
		int y, m, d;

		if (r % 50 == 0)	/* back-dated by up to a week */
			day -= 1 + r / 50 % 7;
		civil(day, &y, &m, &d);
		/* Half the draws skewed (1/k), half uniform: some customers
		 * are very active, most buy once or twice. */
		if (u < 0.5)
			c = (long)exp(uniform() * hn) % customers + 1;
		else
			c = (long)(uniform() * customers) + 1;
		if (c > customers)
			c = customers;
		printf("%04d-%02d-%02d,c%ld,", y, m, d, c);
		if (t < 0.45)
			printf("purchase,shop,%u.%02u,,,,,shop,", 5 + r % 2000, r / 2000 % 100);
		else if (t < 0.48)
			printf("refund,shop,%u.%02u,,,,,shop,", 1 + r % 100, r / 100 % 100);
		else if (t < 0.73)
			printf("call,phone,,answered,,,,anna,");
		else if (t < 0.90)
			printf("email,email,,sent,,,,boris,");
		else
			printf("meeting,office,,agreed,%04d-%02d-%02d,send the offer,,eva,",
			    y, m, d);
		{
			/* One event in five has a note. */
			const char *n = (r >> 8) % 5 ? "" :
			    notes[r % (sizeof(notes) / sizeof(notes[0]))];
			int quote = 0;
			const char *p;

			for (p = n; *p; p++)
				if (*p == ',' || *p == '"' || *p == '\n')
					quote = 1;
			printf(quote ? "\"%s\"\n" : "%s\n", n);
		}
	}
	return ferror(stdout) || fclose(stdout) ? 1 : 0;
}
