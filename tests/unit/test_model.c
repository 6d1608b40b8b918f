/*
 * test_model.c - the BG/NBD and Gamma-Gamma fits reproduce the published
 * CDNOW estimates from the raw transaction log, and the edge cases of
 * the model module.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_hyperg.h>

#include "tap.h"
#include "model.h"
#include "util.h"

struct txn {
	long id;	/* sample_id */
	long day;	/* days since 1970-01-01 */
	double amount;
};

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long
days_from_civil(long y, long m, long d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static long
ymd_days(long ymd)
{
	return days_from_civil(ymd / 10000, ymd / 100 % 100, ymd % 100);
}

static int
cmp_txn(const void *va, const void *vb)
{
	const struct txn *a = va, *b = vb;

	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	return (a->day > b->day) - (a->day < b->day);
}

/*
 * read_cdnow() loads CDNOW_sample.txt (master_id sample_id yyyymmdd
 * number_of_cds dollar_value, space padded, CRLF) into *tv, sorted by
 * customer and day.  Returns the number of rows, or -1 when the file
 * cannot be opened.
 */
static long
read_cdnow(const char *path, struct txn **tv)
{
	FILE *fp = fopen(path, "r");
	char line[256];
	size_t n = 0, cap = 0;
	struct txn *v = NULL;

	if (!fp)
		return -1;
	while (fgets(line, sizeof(line), fp)) {
		long master, id, ymd;
		int cds;
		double amt;

		if (sscanf(line, "%ld %ld %ld %d %lf", &master, &id, &ymd, &cds,
		    &amt) != 5)
			continue;
		ALLOC_GROW(v, n + 1, cap);
		v[n].id = id;
		v[n].day = ymd_days(ymd);
		v[n].amount = amt;
		n++;
	}
	fclose(fp);
	qsort(v, n, sizeof(*v), cmp_txn);
	*tv = v;
	return (long)n;
}

/*
 * summarise() builds the per-customer summary of the literature from
 * transactions sorted by customer and day: several purchases on one
 * day are one purchase day (amounts summed); within the calibration
 * period (up to and including day `end`) x is the number of purchase
 * days minus one, tx = (last day - first day) / 7 and T = (end - first
 * day) / 7 in weeks, the way lifetimes'
 * calibration_and_holdout_data(..., observation_period_end =
 * '1997-09-30', freq = 'W') has it; m is the mean of the repeat
 * purchase days' amounts, the first excluded.  Purchases on the end
 * day count, and T is counted to the end day, not past it: a customer
 * who first bought on 1997-01-01 has T = 272 / 7 = 38.86, the T of the
 * paper's example customer.  Every CDNOW customer first bought in the
 * first quarter of 1997, before the end.  Returns the number of
 * customers; *cv is malloc'ed.
 */
static size_t
summarise(const struct txn *t, size_t nt, long end, struct model_cust **cv)
{
	struct model_cust *c = NULL;
	size_t n = 0, cap = 0, i = 0;

	while (i < nt) {
		long id = t[i].id, first = t[i].day, last = first, day = first;
		double x = 0, sum = 0, dayamt = 0;

		for (; i < nt && t[i].id == id; i++) {
			if (t[i].day > end)
				continue;
			if (t[i].day != day) {
				if (day != first)
					sum += dayamt;
				day = last = t[i].day;
				dayamt = 0;
				x++;
			}
			dayamt += t[i].amount;
		}
		if (day != first)
			sum += dayamt;
		ALLOC_GROW(c, n + 1, cap);
		c[n].x = x;
		c[n].tx = (double)(last - first) / 7;
		c[n].T = (double)(end - first) / 7;
		c[n].m = x > 0 ? sum / x : 0;
		n++;
	}
	*cv = c;
	return n;
}

/*
 * The BG/NBD conditional expectation (equation 10) straight from the
 * paper, with GSL's 2F1 on the paper's own arguments, to check the
 * module's transformed evaluation against.
 */
static double
expected_direct(const struct bgnbd_params *p, double t, double x, double tx,
    double T)
{
	double r = p->r, al = p->alpha, a = p->a, b = p->b, num, den;
	gsl_error_handler_t *old = gsl_set_error_handler_off();
	gsl_sf_result f;
	int status = gsl_sf_hyperg_2F1_e(r + x, b + x, a + b + x - 1,
	    t / (al + T + t), &f);

	gsl_set_error_handler(old);
	if (status)
		return NAN;
	num = (a + b + x - 1) / (a - 1) *
	    (1 - pow((al + T) / (al + T + t), r + x) * f.val);
	den = 1 + (x > 0) * a / (b + x - 1) * pow((al + T) / (al + tx), r + x);
	return num / den;
}

/*
 * grad_check_bg() compares bgnbd_loglik_grad() with central differences
 * of bgnbd_loglik() and returns the largest relative difference.
 */
static double
grad_check_bg(const struct bgnbd_params *p, const struct model_cust *c, size_t n)
{
	double g[4], worst = 0;
	int i;

	bgnbd_loglik_grad(p, c, n, g);
	for (i = 0; i < 4; i++) {
		struct bgnbd_params lo = *p, hi = *p;
		double *vlo = i == 0 ? &lo.r : i == 1 ? &lo.alpha : i == 2 ? &lo.a : &lo.b;
		double *vhi = i == 0 ? &hi.r : i == 1 ? &hi.alpha : i == 2 ? &hi.a : &hi.b;
		double h = *vlo * 1e-6, fd, d;

		*vlo -= h;
		*vhi += h;
		fd = (bgnbd_loglik(&hi, c, n) - bgnbd_loglik(&lo, c, n)) / (2 * h);
		d = fabs(fd - g[i]) / fmax(1, fabs(g[i]));
		if (!(d <= worst))
			worst = d;
	}
	return worst;
}

static double
grad_check_gg(const struct gg_params *p, const struct model_cust *c, size_t n)
{
	double g[3], worst = 0;
	int i;

	gg_loglik_grad(p, c, n, g);
	for (i = 0; i < 3; i++) {
		struct gg_params lo = *p, hi = *p;
		double *vlo = i == 0 ? &lo.p : i == 1 ? &lo.q : &lo.gamma;
		double *vhi = i == 0 ? &hi.p : i == 1 ? &hi.q : &hi.gamma;
		double h = *vlo * 1e-6, fd, d;

		*vlo -= h;
		*vhi += h;
		fd = (gg_loglik(&hi, c, n) - gg_loglik(&lo, c, n)) / (2 * h);
		d = fabs(fd - g[i]) / fmax(1, fabs(g[i]));
		if (!(d <= worst))
			worst = d;
	}
	return worst;
}

/*
 * bg_msg() and gg_msg() return the message of a fit that should fail,
 * "" when it succeeds.
 */
static const char *
bg_msg(const struct model_cust *c, size_t n, double penalizer,
    struct crm_err *err)
{
	struct bgnbd_params p = { -1, -1, -1, -1, 0, 0 };

	if (bgnbd_fit(c, n, penalizer, &p, err) == 0)
		return "";
	if (p.r != -1)
		return "*out written on error";
	return err->msg;
}

static const char *
gg_msg(const struct model_cust *c, size_t n, struct crm_err *err)
{
	struct gg_params p = { -1, -1, -1, 0, 0 };

	if (gg_fit(c, n, 0, &p, err) == 0)
		return "";
	if (p.p != -1)
		return "*out written on error";
	return err->msg;
}

static void
test_cdnow(const struct model_cust *c, size_t n)
{
	struct bgnbd_params bg = { 0, 0, 0, 0, 0, 0 }, pen = bg, at;
	struct gg_params gg = { 0, 0, 0, 0, 0 }, ggpen = gg;
	struct crm_err err;
	size_t i, nrep = 0;
	double maxT = 0, ss0, ss1, e, avg;
	int rc;

	is_int(n, 2357, "CDNOW sample: 2357 customers");
	for (i = 0; i < n; i++) {
		nrep += c[i].x > 0;
		if (c[i].T > maxT)
			maxT = c[i].T;
	}
	is_int(nrep, 946, "946 of them made a repeat purchase in calibration");

	/* Fader, Hardie & Lee (2005), section 5: the published estimates. */
	rc = bgnbd_fit(c, n, 0, &bg, &err);
	is_int(rc, 0, "BG/NBD fit on CDNOW succeeds");
	if (rc)
		printf("# %s\n", err.msg);
	printf("# BG/NBD: r %.6f alpha %.6f a %.6f b %.6f loglik %.4f, %d iterations\n",
	    bg.r, bg.alpha, bg.a, bg.b, bg.loglik, bg.iterations);
	is_near(bg.r, 0.243, 0.0005, "BG/NBD r = 0.243");
	is_near(bg.alpha, 4.414, 0.0005, "BG/NBD alpha = 4.414");
	is_near(bg.a, 0.793, 0.0005, "BG/NBD a = 0.793");
	is_near(bg.b, 2.426, 0.0005, "BG/NBD b = 2.426");
	is_near(bg.loglik, -9582.4, 0.05, "BG/NBD log-likelihood = -9582.4");
	is_near(bgnbd_loglik(&bg, c, n), bg.loglik, 1e-6,
	    "bgnbd_loglik() agrees with the fit's (time rescaling undone)");

	/* Equation 10 for the paper's example customer. */
	e = bgnbd_expected(&bg, 39, 2, 30.43, 38.86);
	printf("# E[Y(39) | x = 2, tx = 30.43, T = 38.86] = %.6f\n", e);
	is_near(e, 1.226, 0.0005, "E[Y(39) | 2, 30.43, 38.86] = 1.226");

	/*
	 * Gamma-Gamma (Fader & Hardie, "The Gamma-Gamma Model of Monetary
	 * Value"): the spend is the mean value of the repeat purchase days
	 * in the calibration period, the first purchase excluded, as
	 * lifetimes' monetary_value.  Averaging over all calibration
	 * purchase days, the first included, gives p = 14.3, q = 3.95,
	 * gamma = 7.29 instead.
	 */
	rc = gg_fit(c, n, 0, &gg, &err);
	is_int(rc, 0, "Gamma-Gamma fit on CDNOW succeeds");
	if (rc)
		printf("# %s\n", err.msg);
	printf("# Gamma-Gamma: p %.6f q %.6f gamma %.6f loglik %.4f, %d iterations\n",
	    gg.p, gg.q, gg.gamma, gg.loglik, gg.iterations);
	is_near(gg.p, 6.25, 0.005, "Gamma-Gamma p = 6.25");
	is_near(gg.q, 3.74, 0.005, "Gamma-Gamma q = 3.74");
	is_near(gg.gamma, 15.44, 0.005, "Gamma-Gamma gamma = 15.44");
	is_near(gg_loglik(&gg, c, n), gg.loglik, 1e-9,
	    "gg_loglik() agrees with the fit's");

	/* The analytic gradients against central differences. */
	at.r = 0.3;
	at.alpha = 6;
	at.a = 1.2;
	at.b = 3.5;
	e = grad_check_bg(&at, c, n);
	ok(e < 1e-6, "BG/NBD gradient matches finite differences (%.2g)", e);
	{
		struct gg_params gat = { 2, 5, 40, 0, 0 };
		double g[4];

		e = grad_check_gg(&gat, c, n);
		ok(e < 1e-6, "Gamma-Gamma gradient matches finite differences "
		    "(%.2g)", e);
		/* d(loglik / n) / d(ln param) is what the minimiser drove to 0. */
		bgnbd_loglik_grad(&bg, c, n, g);
		ok(fabs(g[0] * bg.r) / n < 1e-6 && fabs(g[1] * bg.alpha) / n < 1e-6 &&
		    fabs(g[2] * bg.a) / n < 1e-6 && fabs(g[3] * bg.b) / n < 1e-6,
		    "the BG/NBD gradient vanishes at the estimate");
		gg_loglik_grad(&gg, c, n, g);
		ok(fabs(g[0] * gg.p) / nrep < 1e-6 && fabs(g[1] * gg.q) / nrep < 1e-6 &&
		    fabs(g[2] * gg.gamma) / nrep < 1e-6,
		    "the Gamma-Gamma gradient vanishes at the estimate");
	}

	/* Equation 10 evaluated through Euler's transformation. */
	{
		static const double cases[][4] = {
			/* t, x, tx, T */
			{ 39, 2, 30.43, 38.86 }, { 39, 0, 0, 38.86 },
			{ 1, 1, 2, 30 }, { 78, 10, 35, 39 }, { 200, 5, 10, 60 },
			{ 10, 30, 38, 39 },
		};
		double worst = 0;

		for (i = 0; i < ARRAY_SIZE(cases); i++) {
			double got = bgnbd_expected(&bg, cases[i][0], cases[i][1],
			    cases[i][2], cases[i][3]);
			double want = expected_direct(&bg, cases[i][0], cases[i][1],
			    cases[i][2], cases[i][3]);
			double d = fabs(got - want) / fmax(1e-3, fabs(want));

			if (!(d <= worst))
				worst = d;
		}
		ok(worst < 1e-9, "bgnbd_expected() agrees with equation 10 as "
		    "printed (worst relative difference %.2g)", worst);
	}
	is_near(bgnbd_expected_new(&bg, 0), 0, 0, "E[X(0)] = 0");
	e = bgnbd_expected_new(&bg, 39);
	is_near(e, expected_direct(&bg, 39, 0, 0, 0), 1e-9,
	    "E[X(39)] for a new customer (equation 9)");
	ok(bgnbd_expected_new(&bg, 78) > e, "E[X(t)] grows with t");

	/* P(alive). */
	is_near(bgnbd_p_alive(&bg, 0, 0, 38.86), 1, 0,
	    "P(alive) is 1 for a customer without repeat purchases");
	e = bgnbd_p_alive(&bg, 2, 30.43, 38.86);
	ok(e > 0 && e < 1, "P(alive | 2, 30.43, 38.86) = %.4f is in (0, 1)", e);
	ok(bgnbd_p_alive(&bg, 2, 10, 38.86) < e,
	    "an earlier last purchase makes a customer less likely alive");
	ok(bgnbd_p_alive(&bg, 2, 30.43, 60) < e,
	    "a longer silence makes a customer less likely alive");

	/* A penalizer pulls the estimates in. */
	rc = bgnbd_fit(c, n, 0.1, &pen, &err);
	is_int(rc, 0, "penalised BG/NBD fit succeeds");
	printf("# penalised BG/NBD: r %.6f alpha %.6f a %.6f b %.6f loglik %.4f\n",
	    pen.r, pen.alpha, pen.a, pen.b, pen.loglik);
	ss0 = bg.r * bg.r + pow(bg.alpha / maxT, 2) + bg.a * bg.a + bg.b * bg.b;
	ss1 = pen.r * pen.r + pow(pen.alpha / maxT, 2) + pen.a * pen.a + pen.b * pen.b;
	ok(ss1 < ss0, "penalizer 0.1 shrinks r^2 + alpha'^2 + a^2 + b^2 "
	    "(%.4f < %.4f)", ss1, ss0);
	ok(pen.b < bg.b, "... and b, the largest");
	ok(pen.loglik < bg.loglik, "... at the cost of log-likelihood");
	rc = gg_fit(c, n, 0.01, &ggpen, &err);
	is_int(rc, 0, "penalised Gamma-Gamma fit succeeds");
	printf("# penalised Gamma-Gamma: p %.6f q %.6f gamma %.6f\n", ggpen.p,
	    ggpen.q, ggpen.gamma);
	ok(ggpen.p * ggpen.p + ggpen.q * ggpen.q + ggpen.gamma * ggpen.gamma <
	    gg.p * gg.p + gg.q * gg.q + gg.gamma * gg.gamma,
	    "penalizer 0.01 shrinks p^2 + q^2 + gamma^2");
	ok(ggpen.gamma < gg.gamma, "... and gamma, the largest");

	/* Expected spend and CLV. */
	is_near(gg_expected_avg(&gg, 0, NAN), gg.gamma * gg.p / (gg.q - 1), 1e-12,
	    "expected spend of a customer without repeat purchases is the "
	    "population mean");
	avg = gg_expected_avg(&gg, 2, 30);
	is_near(avg, (gg.gamma + 60) * gg.p / (2 * gg.p + gg.q - 1), 1e-12,
	    "expected spend for x = 2, m = 30");
	ok(avg > 30 && avg < gg.gamma * gg.p / (gg.q - 1),
	    "... lies between m and the population mean");
	e = bgnbd_expected(&bg, 39, 2, 30.43, 38.86);
	is_near(clv_discounted(&bg, &gg, 2, 30.43, 38.86, 30, 39, 0), avg * e, 1e-9,
	    "undiscounted CLV over 39 weeks = E[Y(39)] x expected spend");
	is_near(clv_discounted(&bg, &gg, 2, 30.43, 38.86, 30, 10.5, 0),
	    avg * bgnbd_expected(&bg, 10.5, 2, 30.43, 38.86), 1e-9,
	    "a fractional horizon ends with a shorter step");
	e = clv_discounted(&bg, &gg, 2, 30.43, 38.86, 30, 39, 0.01);
	ok(e > 0 && e < avg * bgnbd_expected(&bg, 39, 2, 30.43, 38.86),
	    "discounting at 1%% a week lowers the CLV (%.4f)", e);
	{
		/* By hand: the first two weekly steps. */
		double e1 = bgnbd_expected(&bg, 1, 2, 30.43, 38.86);
		double e2 = bgnbd_expected(&bg, 2, 2, 30.43, 38.86);

		is_near(clv_discounted(&bg, &gg, 2, 30.43, 38.86, 30, 2, 0.01),
		    avg * (e1 / 1.01 + (e2 - e1) / (1.01 * 1.01)), 1e-12,
		    "CLV over two weeks discounts each week's purchases");
	}
	is_near(clv_discounted(&bg, &gg, 2, 30.43, 38.86, 30, 0, 0.01), 0, 0,
	    "CLV over no time is 0");
	ok(isnan(clv_discounted(&bg, &gg, 2, 30.43, 38.86, 30, 39, -1)),
	    "a discount rate of -100%% is rejected");
}

static void
test_extremes(void)
{
	/* Frequent, old customers: exp(A3), exp(A4) underflow on their own. */
	static const struct model_cust c[] = {
		{ 0, 0, 700, 0 }, { 1, 50, 700, 10 }, { 300, 650, 700, 12 },
		{ 1000, 690, 700, 8 }, { 500, 100, 700, 20 }, { 3, 5, 6, 30 },
	};
	struct bgnbd_params p = { 0.5, 10, 0.8, 2.5, 0, 0 };
	struct gg_params g = { 6, 4, 15, 0, 0 };
	double ll = bgnbd_loglik(&p, c, ARRAY_SIZE(c)), pa, e;

	ok(isfinite(ll), "BG/NBD log-likelihood of x = 1000, T = 700 is finite (%.2f)", ll);
	e = grad_check_bg(&p, c, ARRAY_SIZE(c));
	ok(e < 1e-5, "BG/NBD gradient matches finite differences for large x "
	    "and T (%.2g)", e);
	e = grad_check_gg(&g, c, ARRAY_SIZE(c));
	ok(e < 1e-5, "Gamma-Gamma gradient matches finite differences for "
	    "large x (%.2g)", e);
	pa = bgnbd_p_alive(&p, 500, 100, 700);
	ok(pa >= 0 && pa < 1e-100, "P(alive) after 600 silent days at x = 500 "
	    "is tiny, not NaN (%g)", pa);
	pa = bgnbd_p_alive(&p, 1000, 700, 700);
	ok(pa > 0.99 && pa <= 1, "P(alive) right after purchase 1000 (%g)", pa);
	e = bgnbd_expected(&p, 50, 1000, 700, 700);
	ok(isfinite(e) && e > 0, "E[Y(50)] at x = 1000 is finite (%g)", e);
	e = bgnbd_expected(&p, 50, 500, 100, 700);
	ok(isfinite(e) && e >= 0 && e < 1e-90, "E[Y(50)] of a customer who is "
	    "almost surely gone is ~0 (%g)", e);
	ok(isnan(bgnbd_p_alive(&p, -1, 0, 1)),
	    "P(alive) of a negative frequency is NaN");
}

static void
test_degenerate(void)
{
	static const struct model_cust one[] = { { 2, 10, 20, 5 } };
	static const struct model_cust norep[] = {
		{ 0, 0, 10, 0 }, { 0, 0, 20, 0 }, { 0, 0, 30, 0 },
	};
	static const struct model_cust oneday[] = {
		{ 0, 0, 0, 0 }, { 0, 0, 0, 0 }, { 0, 0, 0, 0 },
	};
	static const struct model_cust badx[] = { { 1, 2, 3, 4 }, { -1, 0, 3, 0 } };
	static const struct model_cust fracx[] = { { 1.5, 2, 3, 4 }, { 1, 2, 3, 4 } };
	static const struct model_cust badtx[] = { { 1, 5, 3, 4 }, { 1, 2, 3, 4 } };
	static const struct model_cust badT[] = { { 1, 2, 3, 4 }, { 0, 0, NAN, 0 } };
	static const struct model_cust txnox[] = { { 0, 2, 3, 0 }, { 1, 2, 3, 4 } };
	static const struct model_cust two[] = { { 1, 1, 2, 10 }, { 0, 0, 3, 0 } };
	static const struct model_cust onerep[] = {
		{ 0, 0, 10, 0 }, { 3, 5, 10, 20 }, { 0, 0, 30, 0 },
	};
	static const struct model_cust samem[] = {
		{ 1, 5, 10, 25 }, { 3, 5, 10, 25 }, { 0, 0, 30, 7 }, { 2, 1, 3, 25 },
	};
	static const struct model_cust zerom[] = {
		{ 1, 5, 10, 25 }, { 3, 5, 10, 0 }, { 2, 1, 3, 30 },
	};
	static const struct model_cust negm[] = {
		{ 1, 5, 10, -25 }, { 3, 5, 10, 20 },
	};
	struct crm_err err;
	struct bgnbd_params p = { 0.5, 10, 0.8, 2.5, 0, 0 };
	const char *m;

	is_str(bg_msg(one, 0, 0, &err), "cannot fit BG/NBD: no customers",
	    "BG/NBD: no customers");
	is_str(bg_msg(one, 1, 0, &err), "cannot fit BG/NBD: only one customer",
	    "BG/NBD: one customer");
	is_str(bg_msg(norep, 3, 0, &err),
	    "cannot fit BG/NBD: no customer made a repeat purchase",
	    "BG/NBD: no repeat buyers");
	is_str(bg_msg(oneday, 3, 0, &err),
	    "cannot fit BG/NBD: every customer is of age 0 (all purchases on one day)",
	    "BG/NBD: all purchases on one day");
	is_str(bg_msg(badx, 2, 0, &err),
	    "cannot fit BG/NBD: customer 2: frequency -1 is not a whole number >= 0",
	    "BG/NBD: negative frequency");
	is_str(bg_msg(fracx, 2, 0, &err),
	    "cannot fit BG/NBD: customer 1: frequency 1.5 is not a whole number >= 0",
	    "BG/NBD: fractional frequency");
	is_str(bg_msg(badtx, 2, 0, &err),
	    "cannot fit BG/NBD: customer 1: recency 5 is not between 0 and the age 3",
	    "BG/NBD: recency after the end");
	is_str(bg_msg(badT, 2, 0, &err),
	    "cannot fit BG/NBD: customer 2: age nan is not a number >= 0",
	    "BG/NBD: NaN age");
	is_str(bg_msg(txnox, 2, 0, &err),
	    "cannot fit BG/NBD: customer 1: recency 2 without a repeat purchase",
	    "BG/NBD: recency without a repeat purchase");
	is_str(bg_msg(two, 2, -1, &err),
	    "cannot fit BG/NBD: penalizer -1 is not a number >= 0",
	    "BG/NBD: negative penalizer");
	m = bg_msg(two, 2, 0, &err);
	ok(starts_with(m, "cannot fit BG/NBD: the data do not identify the parameters"),
	    "BG/NBD on two customers: not identified, no garbage fit (%s)", m);
	ok(isnan(bgnbd_loglik(&p, badtx, 2)), "log-likelihood of invalid data is NaN");

	is_str(gg_msg(one, 0, &err), "cannot fit Gamma-Gamma: no customers",
	    "Gamma-Gamma: no customers");
	is_str(gg_msg(norep, 3, &err),
	    "cannot fit Gamma-Gamma: no customer made a repeat purchase",
	    "Gamma-Gamma: no repeat buyers");
	is_str(gg_msg(onerep, 3, &err),
	    "cannot fit Gamma-Gamma: only one customer made a repeat purchase",
	    "Gamma-Gamma: one repeat buyer");
	is_str(gg_msg(samem, 4, &err),
	    "cannot fit Gamma-Gamma: every repeat customer has the same mean spend",
	    "Gamma-Gamma: all mean spends equal");
	is_str(gg_msg(zerom, 3, &err),
	    "cannot fit Gamma-Gamma: customer 2: mean spend 0 is not a positive number",
	    "Gamma-Gamma: zero spend");
	is_str(gg_msg(negm, 2, &err),
	    "cannot fit Gamma-Gamma: customer 1: mean spend -25 is not a positive number",
	    "Gamma-Gamma: negative spend");
	is_str(gg_msg(badx, 2, &err),
	    "cannot fit Gamma-Gamma: customer 2: frequency -1 is not a whole number >= 0",
	    "Gamma-Gamma: negative frequency");
}

int
main(void)
{
	const char *dir = getenv("CDNOW_DIR");
	char path[4096];
	struct txn *tv = NULL;
	struct model_cust *c = NULL;
	long nt;
	size_t n;

	/* The repository carries the data, so that this runs everywhere. */
	snprintf(path, sizeof(path), "%s/CDNOW_sample.txt",
	    dir ? dir : "tests/data/cdnow");
	nt = read_cdnow(path, &tv);
	ok(nt > 0, "read the CDNOW sample from %s", path);
	if (nt > 0) {
		/* The calibration period ends with 1997-09-30 (week 39). */
		n = summarise(tv, (size_t)nt, ymd_days(19970930), &c);
		test_cdnow(c, n);
	}
	test_extremes();
	test_degenerate();
	free(c);
	free(tv);
	return done_testing();
}
