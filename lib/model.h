/*
 * model.h - customer-base models of the "buy till you die" literature:
 * the BG/NBD model of repeat purchasing (Fader, Hardie & Lee 2005,
 * "Counting Your Customers the Easy Way"), the Gamma-Gamma model of
 * spend per transaction (Fader & Hardie 2013, "The Gamma-Gamma Model of
 * Monetary Value") and a discounted customer lifetime value that joins
 * the two.
 *
 * The input is one struct model_cust per customer, built by the caller
 * from a transaction log.  Times are in any unit the caller likes (the
 * fitted alpha is then per that unit); everything that takes a time
 * takes it in the same unit.
 *
 * Memory: nothing here keeps a pointer to the caller's data or returns
 * memory to free; the fits allocate scratch space with the x* family
 * and release it before returning.
 *
 * Errors: the fits return -1 with a message in err ("cannot fit BG/NBD:
 * ...") when the data are invalid or cannot support a fit, and never
 * hand back NaN or a runaway estimate as a result.  The other functions
 * return NaN for arguments outside their domain.
 *
 * Threads: GSL reports errors through a process-wide handler that
 * aborts by default.  The functions that call GSL switch the handler off
 * for the duration of the call and restore the caller's handler after,
 * so they must not run at the same time as other GSL code in another
 * thread.
 */
#ifndef CRM_MODEL_H
#define CRM_MODEL_H

#include <stddef.h>

#include "util.h"

/*
 * One customer's purchase summary, as in the literature:
 *   x   frequency: the number of repeat purchase periods (days, say),
 *       a whole number >= 0; the first purchase is not counted
 *   tx  recency: the time of the last purchase, counted from the first
 *       (0 when x == 0)
 *   T   age: the end of observation minus the time of the first
 *       purchase, T >= tx
 *   m   the mean value of the x repeat purchases (ignored when x == 0);
 *       only the Gamma-Gamma model reads it
 */
struct model_cust {
	double x;
	double tx;
	double T;
	double m;
};

/*
 * BG/NBD parameters: purchase rates are Gamma(r, alpha) across
 * customers (alpha in the time unit of the data), the drop-out
 * probability after each purchase is Beta(a, b).  loglik is the total
 * log-likelihood of the data at the estimate (without the penalty) and
 * iterations the number of minimiser iterations on the full data.
 */
struct bgnbd_params {
	double r, alpha, a, b;
	double loglik;
	int iterations;
};

/*
 * bgnbd_fit() estimates the BG/NBD parameters of the n customers in c
 * by maximum likelihood and stores them in *out.  Returns 0, or -1 with
 * err filled when an input is invalid (the message names the customer,
 * counted from 1), when the data cannot support a fit (no customers,
 * one customer, every customer of age 0, no repeat purchase), when
 * the minimiser does not converge, or when the data do not determine
 * the estimate (a parameter runs off to zero or infinity, or the
 * standard error of its logarithm exceeds 5, a factor of 150).  *out
 * is written only on success.
 *
 * penalizer (>= 0; 0 for plain maximum likelihood) adds an L2 penalty
 * as the Python package lifetimes does: the fit minimises
 *   -loglik / n + penalizer * (r^2 + alpha'^2 + a^2 + b^2)
 * where alpha' is alpha on a time scale on which the oldest customer
 * has age 1 (lifetimes rescales time in the same way), so that the
 * penalty does not depend on the time unit of the data.  A small
 * penalizer (0.001 to 0.1) tames data sets in which a parameter would
 * otherwise run off to infinity (it cannot stop one running to zero).
 */
int bgnbd_fit(const struct model_cust *c, size_t n, double penalizer,
    struct bgnbd_params *out, struct crm_err *err);

/*
 * bgnbd_loglik() returns the total BG/NBD log-likelihood of the n
 * customers in c under the parameters in *p (p->loglik and
 * p->iterations are not read), or NaN when a customer's summary is
 * invalid.  bgnbd_loglik_grad() returns the same and stores its
 * partial derivatives with respect to r, alpha, a and b in grad[0..3].
 */
double bgnbd_loglik(const struct bgnbd_params *p, const struct model_cust *c,
    size_t n);
double bgnbd_loglik_grad(const struct bgnbd_params *p,
    const struct model_cust *c, size_t n, double grad[4]);

/*
 * bgnbd_p_alive() returns the probability that a customer with history
 * (x, tx, T) is still alive at T; 1 when x == 0, as the model has no
 * drop-out before the first repeat purchase.
 */
double bgnbd_p_alive(const struct bgnbd_params *p, double x, double tx,
    double T);

/*
 * bgnbd_expected() returns the expected number of purchases in the
 * next t time units of a customer with history (x, tx, T), E[Y(t) | x,
 * tx, T] (equation 10 of Fader, Hardie & Lee 2005); 0 for t == 0.  It
 * returns NaN for an invalid argument (t < 0, x not a whole number,
 * tx > T, ...) or when the Gaussian hypergeometric function cannot be
 * evaluated for these parameters (or a == 1, where the formula is 0 /
 * 0).  bgnbd_expected_new() returns E[X(t)], the expected number of
 * repeat purchases in the first t units of a new customer (equation
 * 9).
 */
double bgnbd_expected(const struct bgnbd_params *p, double t, double x,
    double tx, double T);
double bgnbd_expected_new(const struct bgnbd_params *p, double t);

/*
 * Gamma-Gamma parameters: a transaction's value is Gamma(p, nu) with
 * nu Gamma(q, gamma) across customers; gamma is in money units.
 * loglik and iterations as for BG/NBD.
 */
struct gg_params {
	double p, q, gamma;
	double loglik;
	int iterations;
};

/*
 * gg_fit() estimates the Gamma-Gamma parameters by maximum likelihood
 * on the customers of c with x > 0 (the others carry no spend
 * information and are skipped; their m is not read).  Returns 0, or -1
 * with err filled when an input is invalid (m <= 0 for a repeat
 * customer), when fewer than two customers made a repeat purchase,
 * when all of them have the same mean spend (the model cannot tell
 * spread within customers from spread across them, and the estimates
 * run off to infinity), or when the minimiser does not converge or
 * the data do not determine the estimate, as for BG/NBD.  penalizer
 * adds penalizer * (p^2 + q^2 + gamma^2) to -loglik / n' (n'
 * repeat customers), as lifetimes does; gamma is in money units, so
 * the penalty depends on the currency unit.
 */
int gg_fit(const struct model_cust *c, size_t n, double penalizer,
    struct gg_params *out, struct crm_err *err);

/*
 * gg_loglik() returns the total Gamma-Gamma log-likelihood of the
 * customers of c with x > 0 (NaN when one is invalid);
 * gg_loglik_grad() also stores the partial derivatives with respect to
 * p, q and gamma in grad[0..2].
 */
double gg_loglik(const struct gg_params *p, const struct model_cust *c,
    size_t n);
double gg_loglik_grad(const struct gg_params *p, const struct model_cust *c,
    size_t n, double grad[3]);

/*
 * gg_expected_avg() returns the expected mean value of a customer's
 * transactions given x repeat purchases of mean value m, (gamma + m x)
 * p / (p x + q - 1): a weighted mean of m and the population mean.  For
 * x == 0 it is the population mean gamma p / (q - 1) and m is not read.
 * Returns NaN when p x + q <= 1 (the expectation does not exist).
 */
double gg_expected_avg(const struct gg_params *p, double x, double m);

/*
 * clv_discounted() returns the expected discounted value of a
 * customer's purchases over the next horizon time units, the way
 * lifetimes computes it: the purchases expected in each unit step i,
 * E[Y(i)] - E[Y(i - 1)] from bgnbd_expected(), times the spend per
 * purchase expected from gg_expected_avg(), discounted by (1 + d)^i
 * with d = discount_per_unit, summed over i = 1 .. horizon.  A
 * fractional horizon ends with a shorter step discounted at
 * (1 + d)^horizon.  The cost is one bgnbd_expected() per step.
 * Returns 0 when horizon <= 0, and NaN when horizon is not finite,
 * d <= -1 or a term cannot be evaluated.
 */
double clv_discounted(const struct bgnbd_params *bg, const struct gg_params *gg,
    double x, double tx, double T, double m, double horizon,
    double discount_per_unit);

#endif
