/*
 * gen.c - a deterministic, realistic interaction log for the benchmarks.
 *
 * usage: gen EVENTS CUSTOMERS [SEED] > log.csv
 *        gen --customers CUSTOMERS > customers.csv
 *
 * The columns are log.csv's.  Customers' activity is skewed (a few very
 * active ones, many one-time buyers: customer k is drawn with a weight of
 * about 1/k); three years of dates, mostly in order, with some events
 * back-dated by up to a week; purchases, refunds, calls, e-mails and
 * meetings; amounts with cents; free-text notes with commas, double
 * quotes, line breaks and Cyrillic, Slovak and Norwegian text.
 */
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
