/*
 * model.c - BG/NBD, Gamma-Gamma and discounted CLV (see model.h).
 *
 * Both fits minimise the negative mean log-likelihood over the logs of
 * the parameters with GSL's BFGS minimiser and an analytic gradient.
 * A fit on a million customers spends nearly all its time in the
 * likelihood, so the data are first condensed as Fader and Hardie do
 * in their spreadsheets: customers with the same summary become one
 * row with a weight, the rows are sorted by frequency, and every term
 * that depends on the frequency alone (the log-gamma and digamma
 * functions) is computed once per distinct frequency and weighted by
 * the number of customers who have it.  What is left per row is two
 * logarithms, an exponential and a log1p().  A fit on 200,000
 * customers or more starts from the estimate on a sample, which halves
 * the number of passes over the full data.
 *
 * A fit is only returned when the minimiser converged and the data
 * determine the estimate: parameters that run off to zero or infinity,
 * or that have enormous standard errors (from the Hessian at the
 * estimate), make the fit fail instead of returning garbage.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_hyperg.h>
#include <gsl/gsl_sf_psi.h>
#include <gsl/gsl_vector.h>

#include "model.h"
#include "util.h"

/*
 * The minimiser stops when the gradient of the mean negative
 * log-likelihood is this small (lifetimes asks scipy's BFGS for 1e-7).
 * BFGS may also stop when a line search can make no more progress,
 * which near the optimum is rounding, not failure: that is accepted
 * when the gradient is within GRAD_TOL_STALL.
 */
#define GRAD_TOL	1e-7
#define GRAD_TOL_STALL	1e-5
#define MAX_ITER	250
/* Start from exp(0.1) for every parameter, as lifetimes does. */
#define THETA0		0.1
/*
 * When the data do not identify the model, the likelihood keeps
 * improving as parameters run off to zero or infinity, or is flat
 * along some direction at the estimate, and the numbers would be
 * garbage.  The first shows as a parameter beyond exp(+-THETA_MAX)
 * (2e-9 .. 5e8, with BG/NBD time scaled to an oldest customer of age
 * 1); the second as a standard error of a log-parameter above SE_MAX,
 * that is a parameter known only within a factor of e^5 = 150 either
 * way.  (Fits on random samples of 30 CDNOW customers have standard
 * errors up to 4 when they are sound and above 10 when they are not.)
 */
#define THETA_MAX	20.0
#define SE_MAX		5.0
/* Fits on WARM_MIN customers or more start from a sample of WARM_N. */
#define WARM_MIN	200000
#define WARM_N		20000

/*
 * The rows of either model sorted by frequency, indexed by it: rows
 * start[k] .. start[k + 1] - 1 have frequency xval[k], and xw[k]
 * customers have it in all.
 */
struct xindex {
	double *xval;
	double *xw;
	size_t *start;
	size_t nx;
	size_t cap;
};

/* xindex_add() records row i, of frequency x and weight w, in order. */
static void
xindex_add(struct xindex *ix, size_t i, double x, double w)
{
	if (ix->nx == 0 || x != ix->xval[ix->nx - 1]) {
		if (ix->nx + 1 >= ix->cap) {
			ix->cap = ix->cap ? 2 * ix->cap : 64;
			ix->xval = xreallocarray(ix->xval, ix->cap, sizeof(*ix->xval));
			ix->xw = xreallocarray(ix->xw, ix->cap, sizeof(*ix->xw));
			ix->start = xreallocarray(ix->start, ix->cap,
			    sizeof(*ix->start));
		}
		ix->xval[ix->nx] = x;
		ix->xw[ix->nx] = 0;
		ix->start[ix->nx] = i;
		ix->nx++;
	}
	ix->xw[ix->nx - 1] += w;
}

/* xindex_end() closes the index after the last of nrow rows. */
static void
xindex_end(struct xindex *ix, size_t nrow)
{
	if (ix->nx + 1 > ix->cap) {
		ix->cap = ix->nx + 1;
		ix->start = xreallocarray(ix->start, ix->cap, sizeof(*ix->start));
	}
	ix->start[ix->nx] = nrow;
}

static void
xindex_release(struct xindex *ix)
{
	free(ix->xval);
	free(ix->xw);
	free(ix->start);
	memset(ix, 0, sizeof(*ix));
}

/* One row of condensed BG/NBD data: the customers with one (x, tx, T). */
struct bg_row {
	double x, tx, T, w;
};

struct bg_data {
	struct bg_row *row;	/* sorted by x, then tx, then T */
	size_t nrow;
	struct xindex ix;
	double wsum;		/* customers */
	double xsum;		/* their repeat purchases */
};

/* One row of condensed Gamma-Gamma data: the customers with one (x, m). */
struct gg_row {
	double x, m, lnm, w;
};

struct gg_data {
	struct gg_row *row;
	size_t nrow;
	struct xindex ix;
	double wsum;
};

static int
is_count(double x)
{
	return isfinite(x) && x >= 0 && x == floor(x);
}

/*
 * bg_check() returns 0 when customer i's (x, tx, T) can enter the
 * BG/NBD likelihood, or -1 with a message after "cannot fit BG/NBD: "
 * (err may be NULL).
 */
static int
bg_check(const struct model_cust *c, size_t i, struct crm_err *err)
{
	if (!is_count(c->x))
		return crm_error(err, "cannot fit BG/NBD: customer %zu: frequency %g "
		    "is not a whole number >= 0", i + 1, c->x);
	if (!isfinite(c->T) || c->T < 0)
		return crm_error(err, "cannot fit BG/NBD: customer %zu: age %g "
		    "is not a number >= 0", i + 1, c->T);
	if (!isfinite(c->tx) || c->tx < 0 || c->tx > c->T)
		return crm_error(err, "cannot fit BG/NBD: customer %zu: recency %g "
		    "is not between 0 and the age %g", i + 1, c->tx, c->T);
	if (c->x == 0 && c->tx != 0)
		return crm_error(err, "cannot fit BG/NBD: customer %zu: recency %g "
		    "without a repeat purchase", i + 1, c->tx);
	return 0;
}

static int
bg_params_ok(const struct bgnbd_params *p)
{
	return isfinite(p->r) && p->r > 0 && isfinite(p->alpha) && p->alpha > 0 &&
	    isfinite(p->a) && p->a > 0 && isfinite(p->b) && p->b > 0;
}

static int
gg_params_ok(const struct gg_params *p)
{
	return isfinite(p->p) && p->p > 0 && isfinite(p->q) && p->q > 0 &&
	    isfinite(p->gamma) && p->gamma > 0;
}

static int
cmp_double(double a, double b)
{
	return (a > b) - (a < b);
}

static int
cmp_bg_row(const void *va, const void *vb)
{
	const struct bg_row *a = va, *b = vb;
	int d;

	if ((d = cmp_double(a->x, b->x)) != 0)
		return d;
	if ((d = cmp_double(a->tx, b->tx)) != 0)
		return d;
	return cmp_double(a->T, b->T);
}

static int
cmp_gg_row(const void *va, const void *vb)
{
	const struct gg_row *a = va, *b = vb;
	int d;

	if ((d = cmp_double(a->x, b->x)) != 0)
		return d;
	return cmp_double(a->m, b->m);
}

/*
 * bg_build() condenses the valid customers c[0], c[stride], c[2 *
 * stride], ... (of n) into d, with every time multiplied by scale.
 */
static void
bg_build(struct bg_data *d, const struct model_cust *c, size_t n,
    size_t stride, double scale)
{
	struct bg_row *row;
	size_t i, o;

	memset(d, 0, sizeof(*d));
	n = (n + stride - 1) / stride;
	row = xreallocarray(NULL, n ? n : 1, sizeof(*row));
	for (i = 0; i < n; i++) {
		const struct model_cust *ci = &c[i * stride];

		row[i].x = ci->x;
		row[i].tx = ci->tx * scale;
		row[i].T = ci->T * scale;
		row[i].w = 1;
		d->xsum += ci->x;
	}
	qsort(row, n, sizeof(*row), cmp_bg_row);
	for (i = o = 0; i < n; i++) {
		if (o > 0 && cmp_bg_row(&row[o - 1], &row[i]) == 0)
			row[o - 1].w += 1;
		else
			row[o++] = row[i];
	}
	for (i = 0; i < o; i++)
		xindex_add(&d->ix, i, row[i].x, row[i].w);
	xindex_end(&d->ix, o);
	d->row = row;
	d->nrow = o;
	d->wsum = (double)n;
}

static void
bg_release(struct bg_data *d)
{
	free(d->row);
	xindex_release(&d->ix);
	memset(d, 0, sizeof(*d));
}

/*
 * bg_eval() returns the log-likelihood of d at par = (r, alpha, a, b)
 * and, when g is not NULL, stores its gradient in g[0..3].  Per
 * customer (Fader, Hardie & Lee 2005, section 7; Fader & Hardie's note
 * 004 on implementing it):
 *
 *   ln L = A1 + A2 + ln(exp(A3) + [x > 0] exp(A4))
 *   A1 = lnG(r + x) - lnG(r) + r ln alpha
 *   A2 = lnG(a + b) + lnG(b + x) - lnG(b) - lnG(a + b + x)
 *   A3 = -(r + x) ln(alpha + T)
 *   A4 = ln a - ln(b + x - 1) - (r + x) ln(alpha + tx)
 *
 * The last logarithm is taken as max + log1p(exp(min - max)): A3 and
 * A4 are large and negative for a frequent or old customer, and
 * exp() of them alone would underflow to zero.
 */
static double
bg_eval(const struct bg_data *d, const double par[4], double *g)
{
	double r = par[0], alpha = par[1], a = par[2], b = par[3];
	double lnalpha = log(alpha), lna = log(a);
	double lg_r = gsl_sf_lngamma(r), lg_b = gsl_sf_lngamma(b);
	double lg_ab = gsl_sf_lngamma(a + b);
	double ps_r = 0, ps_b = 0, ps_ab = 0;
	double ll = 0, gr = 0, galpha = 0, ga = 0, gb = 0;
	size_t k, i;

	if (g) {
		ps_r = gsl_sf_psi(r);
		ps_b = gsl_sf_psi(b);
		ps_ab = gsl_sf_psi(a + b);
	}
	for (k = 0; k < d->ix.nx; k++) {
		double x = d->ix.xval[k], W = d->ix.xw[k], rx = r + x;
		const struct bg_row *row = d->row + d->ix.start[k];
		size_t nr = d->ix.start[k + 1] - d->ix.start[k];
		double s_ll = 0, s_lr = 0, s_inv = 0, s_w4 = 0;

		ll += W * (gsl_sf_lngamma(rx) - lg_r + r * lnalpha + lg_ab +
		    gsl_sf_lngamma(b + x) - lg_b - gsl_sf_lngamma(a + b + x));
		if (g) {
			double ps_abx = gsl_sf_psi(a + b + x);

			gr += W * (gsl_sf_psi(rx) - ps_r + lnalpha);
			galpha += W * r / alpha;
			ga += W * (ps_ab - ps_abx);
			gb += W * (ps_ab + gsl_sf_psi(b + x) - ps_b - ps_abx);
		}
		if (x == 0) {
			/* A single term: no drop-out before the first repeat. */
			for (i = 0; i < nr; i++) {
				double l3 = log(alpha + row[i].T);

				s_ll += row[i].w * l3;
				if (g)
					s_inv += row[i].w / (alpha + row[i].T);
			}
			ll -= rx * s_ll;
			gr -= s_ll;
			galpha -= rx * s_inv;
			continue;
		}
		{
			double c4 = lna - log(b + x - 1);

			for (i = 0; i < nr; i++) {
				double w = row[i].w;
				double l3 = log(alpha + row[i].T);
				double l4 = log(alpha + row[i].tx);
				double A3 = -rx * l3, A4 = c4 - rx * l4, e, w3, w4;

				if (A3 >= A4) {
					e = exp(A4 - A3);
					s_ll += w * (A3 + log1p(e));
					w3 = 1 / (1 + e);
					w4 = e * w3;
				} else {
					e = exp(A3 - A4);
					s_ll += w * (A4 + log1p(e));
					w4 = 1 / (1 + e);
					w3 = e * w4;
				}
				if (g) {
					/* w3, w4: the shares of the two terms in L. */
					s_lr += w * (w3 * l3 + w4 * l4);
					s_inv += w * (w3 / (alpha + row[i].T) +
					    w4 / (alpha + row[i].tx));
					s_w4 += w * w4;
				}
			}
			ll += s_ll;
			gr -= s_lr;
			galpha -= rx * s_inv;
			ga += s_w4 / a;
			gb -= s_w4 / (b + x - 1);
		}
	}
	if (g) {
		g[0] = gr;
		g[1] = galpha;
		g[2] = ga;
		g[3] = gb;
	}
	return ll;
}

/*
 * GSL's error handler aborts by default; the library must return
 * errors instead, so it is off while GSL works for us.
 */
static gsl_error_handler_t *
gsl_quiet(void)
{
	return gsl_set_error_handler_off();
}

static void
gsl_restore(gsl_error_handler_t *old)
{
	gsl_set_error_handler(old);
}

/*
 * An objective for the minimiser: f(theta) = -loglik(exp(theta)) / n +
 * penalizer * sum(exp(theta)^2), and its gradient in theta.  GSL's
 * line search often asks for the value at a point and then for the
 * gradient at the same point; as the gradient costs little more than
 * the value, both are computed each time and the last point is kept.
 */
struct objective {
	size_t dim;
	double (*eval)(const void *data, const double *par, double *g);
	const void *data;
	double wsum;
	double penalizer;
	const char *model;	/* for messages: "BG/NBD" */
	const char *const *name;	/* the parameters' names */
	const double *unit;	/* exp(theta[i]) * unit[i] is in the caller's units */
	int bad;		/* set when an evaluation was not finite */
	int cached;		/* theta, f and g hold the last evaluation */
	double theta[4], f, g[4];
};

static double
objective_eval(const gsl_vector *theta, void *arg, gsl_vector *grad)
{
	struct objective *o = arg;
	double par[4], g[4], f;
	size_t i;

	for (i = 0; i < o->dim; i++)
		if (gsl_vector_get(theta, i) != o->theta[i])
			break;
	if (!o->cached || i < o->dim) {
		for (i = 0; i < o->dim; i++) {
			o->theta[i] = gsl_vector_get(theta, i);
			par[i] = exp(o->theta[i]);
		}
		f = -o->eval(o->data, par, g) / o->wsum;
		for (i = 0; i < o->dim; i++) {
			f += o->penalizer * par[i] * par[i];
			o->g[i] = -g[i] * par[i] / o->wsum +
			    2 * o->penalizer * par[i] * par[i];
		}
		o->f = f;
		o->cached = 1;
		if (!isfinite(f))
			o->bad = 1;
	}
	if (grad)
		for (i = 0; i < o->dim; i++)
			gsl_vector_set(grad, i, o->g[i]);
	return o->f;
}

static double
objective_f(const gsl_vector *theta, void *arg)
{
	return objective_eval(theta, arg, NULL);
}

static void
objective_df(const gsl_vector *theta, void *arg, gsl_vector *grad)
{
	objective_eval(theta, arg, grad);
}

static void
objective_fdf(const gsl_vector *theta, void *arg, double *f, gsl_vector *grad)
{
	*f = objective_eval(theta, arg, grad);
}

static double
bg_eval_void(const void *data, const double *par, double *g)
{
	return bg_eval(data, par, g);
}

/*
 * undetermined() returns -1 when the parameters at theta, a minimum of
 * o, are determined by the data, or the index of the worst one (with
 * its standard error, in log scale, in *se; HUGE_VAL when the
 * curvature is not positive in some direction).  The standard errors
 * come from the inverse of the objective's Hessian, which is taken by
 * forward differences of the analytic gradient (o->dim evaluations).
 */
static int
undetermined(struct objective *o, const double *theta, double *se)
{
	size_t dim = o->dim, i, j;
	gsl_matrix *H = gsl_matrix_alloc(dim, dim);
	gsl_vector *t = gsl_vector_alloc(dim), *g0 = gsl_vector_alloc(dim);
	gsl_vector *g1 = gsl_vector_alloc(dim);
	const double h = 1e-5;
	int worst = -1;

	if (!H || !t || !g0 || !g1) {
		*se = HUGE_VAL;
		worst = 0;
		goto out;
	}
	for (i = 0; i < dim; i++)
		gsl_vector_set(t, i, theta[i]);
	objective_eval(t, o, g0);
	for (j = 0; j < dim; j++) {
		gsl_vector_set(t, j, theta[j] + h);
		objective_eval(t, o, g1);
		gsl_vector_set(t, j, theta[j]);
		for (i = 0; i < dim; i++)
			gsl_matrix_set(H, i, j, (gsl_vector_get(g1, i) -
			    gsl_vector_get(g0, i)) / h);
	}
	for (i = 0; i < dim; i++)
		for (j = 0; j < i; j++) {
			double v = (gsl_matrix_get(H, i, j) +
			    gsl_matrix_get(H, j, i)) / 2;

			gsl_matrix_set(H, i, j, v);
			gsl_matrix_set(H, j, i, v);
		}
	*se = 0;
	if (gsl_linalg_cholesky_decomp1(H) != GSL_SUCCESS ||
	    gsl_linalg_cholesky_invert(H) != GSL_SUCCESS) {
		*se = HUGE_VAL;
		worst = 0;
		goto out;
	}
	/* The objective is a mean over wsum customers. */
	for (i = 0; i < dim; i++) {
		double v = gsl_matrix_get(H, i, i) / o->wsum;
		double e = v > 0 ? sqrt(v) : HUGE_VAL;

		if (!(e <= *se)) {
			*se = e;
			if (e > SE_MAX)
				worst = (int)i;
		}
	}
out:
	gsl_matrix_free(H);
	gsl_vector_free(t);
	gsl_vector_free(g0);
	gsl_vector_free(g1);
	return worst;
}

/*
 * minimise() runs BFGS on o from theta (o->dim values), leaves the
 * minimiser in theta and the number of iterations in *iter, and returns
 * 0, or -1 with a message in err when it does not converge or the
 * estimate is not determined by the data.
 */
static int
minimise(struct objective *o, double *theta, int *iter, struct crm_err *err)
{
	gsl_multimin_function_fdf fdf;
	gsl_multimin_fdfminimizer *s;
	gsl_vector *x0;
	gsl_error_handler_t *old = gsl_quiet();
	int status, it = 0, done = 0, ret = -1, bad = -1;
	double se;
	size_t i;

	fdf.n = o->dim;
	fdf.f = objective_f;
	fdf.df = objective_df;
	fdf.fdf = objective_fdf;
	fdf.params = o;
	x0 = gsl_vector_alloc(o->dim);
	s = gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2,
	    o->dim);
	if (!x0 || !s) {
		crm_error(err, "cannot fit %s: out of memory", o->model);
		goto out;
	}
	for (i = 0; i < o->dim; i++)
		gsl_vector_set(x0, i, theta[i]);
	o->bad = 0;
	o->cached = 0;
	/*
	 * A first step of 0.1 in log space.  GSL's manual suggests a line
	 * search tolerance of 0.1, but the likelihoods here have long
	 * curved valleys (p, q and gamma of Gamma-Gamma move together) in
	 * which the inexact line search makes BFGS crawl: with 0.01 the
	 * CDNOW Gamma-Gamma fit takes 120 evaluations instead of 600.
	 */
	status = gsl_multimin_fdfminimizer_set(s, &fdf, x0, 0.1, 0.01);
	if (status || o->bad) {
		crm_error(err, "cannot fit %s: the log-likelihood is not finite at "
		    "the starting point", o->model);
		goto out;
	}
	while (!done && it < MAX_ITER) {
		it++;
		status = gsl_multimin_fdfminimizer_iterate(s);
		if (!isfinite(gsl_multimin_fdfminimizer_minimum(s)))
			break;
		for (i = 0; i < o->dim; i++)
			if (fabs(gsl_vector_get(s->x, i)) > THETA_MAX)
				bad = (int)i;
		if (bad >= 0)
			break;
		if (gsl_multimin_test_gradient(s->gradient, GRAD_TOL) == GSL_SUCCESS)
			done = 1;
		else if (status == GSL_ENOPROG)
			done = gsl_multimin_test_gradient(s->gradient,
			    GRAD_TOL_STALL) == GSL_SUCCESS ? 1 : -1;
		else if (status)
			done = -1;
	}
	*iter = it;
	if (bad >= 0) {
		crm_error(err, "cannot fit %s: the data do not identify the "
		    "parameters (%s runs off to %s)", o->model, o->name[bad],
		    gsl_vector_get(s->x, bad) > 0 ? "infinity" : "zero");
		goto out;
	}
	/*
	 * A minimiser that stalls or crawls far from a stationary point is
	 * usually following a parameter off to zero or infinity along a
	 * flat valley, more slowly than THETA_MAX would catch.
	 */
	if (!isfinite(gsl_multimin_fdfminimizer_minimum(s))) {
		crm_error(err, "cannot fit %s: the log-likelihood is not finite "
		    "after %d iterations", o->model, it);
		goto out;
	}
	if (done == 0) {
		crm_error(err, "cannot fit %s: the minimiser did not converge in "
		    "%d iterations (the data may not identify the parameters)",
		    o->model, it);
		goto out;
	}
	if (done == -1 && status == GSL_ENOPROG) {
		crm_error(err, "cannot fit %s: the minimiser stalled after %d "
		    "iterations (the data may not identify the parameters)",
		    o->model, it);
		goto out;
	}
	if (done != 1) {
		crm_error(err, "cannot fit %s: the minimiser failed after %d "
		    "iterations: %s", o->model, it, gsl_strerror(status));
		goto out;
	}
	for (i = 0; i < o->dim; i++)
		theta[i] = gsl_vector_get(s->x, i);
	if ((bad = undetermined(o, theta, &se)) >= 0) {
		if (isinf(se))
			crm_error(err, "cannot fit %s: the data do not identify the "
			    "parameters (the likelihood is flat at the estimate)",
			    o->model);
		else
			crm_error(err, "cannot fit %s: the data do not identify the "
			    "parameters (%s = %.3g, standard error of ln %s %.3g)",
			    o->model, o->name[bad], exp(theta[bad]) * o->unit[bad],
			    o->name[bad], se);
		goto out;
	}
	ret = 0;
out:
	if (s)
		gsl_multimin_fdfminimizer_free(s);
	if (x0)
		gsl_vector_free(x0);
	gsl_restore(old);
	return ret;
}

int
bgnbd_fit(const struct model_cust *c, size_t n, double penalizer,
    struct bgnbd_params *out, struct crm_err *err)
{
	static const char *const name[] = { "r", "alpha", "a", "b" };
	struct bg_data d;
	struct objective o;
	double theta[4] = { THETA0, THETA0, THETA0, THETA0 };
	double maxT = 0, par[4], unit[4] = { 1, 1, 1, 1 }, scale;
	gsl_error_handler_t *old;
	int anyx = 0, iter = 0;
	size_t i;

	if (n == 0)
		return crm_error(err, "cannot fit BG/NBD: no customers");
	if (!isfinite(penalizer) || penalizer < 0)
		return crm_error(err, "cannot fit BG/NBD: penalizer %g is not "
		    "a number >= 0", penalizer);
	for (i = 0; i < n; i++) {
		if (bg_check(&c[i], i, err))
			return -1;
		if (c[i].T > maxT)
			maxT = c[i].T;
		if (c[i].x > 0)
			anyx = 1;
	}
	if (n == 1)
		return crm_error(err, "cannot fit BG/NBD: only one customer");
	if (maxT == 0)
		return crm_error(err, "cannot fit BG/NBD: every customer is of age "
		    "0 (all purchases on one day)");
	if (!anyx)
		return crm_error(err, "cannot fit BG/NBD: no customer made a repeat "
		    "purchase");

	/*
	 * Fit on a time scale on which the oldest customer has age 1, as
	 * lifetimes does: alpha then has the same size whatever the unit
	 * of the data, which keeps the problem well scaled and the penalty
	 * on alpha independent of the unit.
	 */
	scale = 1 / maxT;
	o.dim = 4;
	o.eval = bg_eval_void;
	o.penalizer = penalizer;
	o.model = "BG/NBD";
	o.name = name;
	unit[1] = 1 / scale;
	o.unit = unit;
	/*
	 * On a large data set, start from the estimate on an evenly spread
	 * sample of WARM_N customers: it is cheap and close, and the full
	 * fit then takes about half the iterations.  If the sample cannot
	 * be fitted, the full fit starts from scratch.
	 */
	if (n >= WARM_MIN) {
		double th[4] = { THETA0, THETA0, THETA0, THETA0 };
		int it;

		bg_build(&d, c, n, n / WARM_N, scale);
		o.data = &d;
		o.wsum = d.wsum;
		if (minimise(&o, th, &it, NULL) == 0)
			memcpy(theta, th, sizeof(theta));
		bg_release(&d);
	}
	bg_build(&d, c, n, 1, scale);
	o.data = &d;
	o.wsum = d.wsum;
	if (minimise(&o, theta, &iter, err)) {
		bg_release(&d);
		return -1;
	}
	for (i = 0; i < 4; i++)
		par[i] = exp(theta[i]);
	/*
	 * The likelihood has the density of tx in it, so changing the time
	 * unit by a factor s changes it by s^-x per customer: convert the
	 * log-likelihood back to the caller's unit.
	 */
	old = gsl_quiet();
	out->loglik = bg_eval(&d, par, NULL) + d.xsum * log(scale);
	gsl_restore(old);
	bg_release(&d);
	if (!isfinite(out->loglik))
		return crm_error(err, "cannot fit BG/NBD: the log-likelihood at "
		    "the estimate is not finite");
	out->r = par[0];
	out->alpha = par[1] / scale;
	out->a = par[2];
	out->b = par[3];
	out->iterations = iter;
	return 0;
}

double
bgnbd_loglik_grad(const struct bgnbd_params *p, const struct model_cust *c,
    size_t n, double grad[4])
{
	struct bg_data d;
	double par[4], ll;
	gsl_error_handler_t *old;
	size_t i;

	if (!bg_params_ok(p))
		return NAN;
	for (i = 0; i < n; i++)
		if (bg_check(&c[i], i, NULL))
			return NAN;
	par[0] = p->r;
	par[1] = p->alpha;
	par[2] = p->a;
	par[3] = p->b;
	bg_build(&d, c, n, 1, 1);
	old = gsl_quiet();
	ll = bg_eval(&d, par, grad);
	gsl_restore(old);
	bg_release(&d);
	return ll;
}

double
bgnbd_loglik(const struct bgnbd_params *p, const struct model_cust *c, size_t n)
{
	return bgnbd_loglik_grad(p, c, n, NULL);
}

double
bgnbd_p_alive(const struct bgnbd_params *p, double x, double tx, double T)
{
	double lodds;

	if (!bg_params_ok(p) || !(x >= 0) || !(tx >= 0) || !(T >= tx))
		return NAN;
	if (x == 0)
		return 1;
	/* The odds of having dropped out after the last purchase, in logs
	 * so that large x or T do not overflow the power. */
	lodds = log(p->a) - log(p->b + x - 1) +
	    (p->r + x) * (log(p->alpha + T) - log(p->alpha + tx));
	return 1 / (1 + exp(lodds));
}

/*
 * hyp2f1() stores the Gaussian hypergeometric function 2F1(a, b; c; z)
 * in *val and returns 0, or -1 when GSL cannot evaluate it.
 */
static int
hyp2f1(double a, double b, double c, double z, double *val)
{
	gsl_sf_result res;
	gsl_error_handler_t *old = gsl_quiet();
	int status = gsl_sf_hyperg_2F1_e(a, b, c, z, &res);

	gsl_restore(old);
	if (status != GSL_SUCCESS || !isfinite(res.val))
		return -1;
	*val = res.val;
	return 0;
}

double
bgnbd_expected(const struct bgnbd_params *p, double t, double x, double tx,
    double T)
{
	double r = p->r, alpha = p->alpha, a = p->a, b = p->b;
	double z, ln1z, f, tail, num, den = 1;

	if (!bg_params_ok(p) || !is_count(x) || !(tx >= 0) || !(T >= tx) ||
	    !isfinite(T) || !(t >= 0) || !isfinite(t))
		return NAN;
	if (t == 0)
		return 0;
	z = t / (alpha + T + t);
	ln1z = -log1p(t / (alpha + T));	/* ln(1 - z) */
	/*
	 * Equation 10 needs (1 - z)^(r + x) 2F1(r + x, b + x; a + b + x - 1;
	 * z).  Euler's transformation 2F1(A, B; C; z) = (1 - z)^(C - A - B)
	 * 2F1(C - A, C - B; C; z) turns it into (1 - z)^(a - 1) 2F1(a + b -
	 * 1 - r, a - 1; a + b + x - 1; z): parameters that do not grow with
	 * x, for which GSL's series converge, and no large power.  The
	 * direct form is the fallback.
	 */
	if (hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z, &f) == 0)
		tail = exp((a - 1) * ln1z) * f;
	else if (hyp2f1(r + x, b + x, a + b + x - 1, z, &f) == 0)
		tail = exp((r + x) * ln1z) * f;
	else
		return NAN;
	num = (a + b + x - 1) / (a - 1) * (1 - tail);
	if (x > 0)
		den += exp(log(a) - log(b + x - 1) +
		    (r + x) * (log(alpha + T) - log(alpha + tx)));
	return num / den;
}

double
bgnbd_expected_new(const struct bgnbd_params *p, double t)
{
	/* A customer just acquired (x = tx = T = 0) is a new customer. */
	return bgnbd_expected(p, t, 0, 0, 0);
}

/*
 * gg_check() returns 0 when customer i can enter the Gamma-Gamma
 * likelihood (or is skipped by it), or -1 with a message (err may be
 * NULL).
 */
static int
gg_check(const struct model_cust *c, size_t i, struct crm_err *err)
{
	if (!is_count(c->x))
		return crm_error(err, "cannot fit Gamma-Gamma: customer %zu: "
		    "frequency %g is not a whole number >= 0", i + 1, c->x);
	if (c->x > 0 && !(isfinite(c->m) && c->m > 0))
		return crm_error(err, "cannot fit Gamma-Gamma: customer %zu: mean "
		    "spend %g is not a positive number", i + 1, c->m);
	return 0;
}

/* gg_build() condenses the repeat customers of c (all valid) into d. */
static void
gg_build(struct gg_data *d, const struct model_cust *c, size_t n)
{
	struct gg_row *row = xreallocarray(NULL, n ? n : 1, sizeof(*row));
	size_t i, o, k = 0;

	memset(d, 0, sizeof(*d));
	for (i = 0; i < n; i++) {
		if (c[i].x == 0)
			continue;
		row[k].x = c[i].x;
		row[k].m = c[i].m;
		row[k].w = 1;
		k++;
	}
	qsort(row, k, sizeof(*row), cmp_gg_row);
	for (i = o = 0; i < k; i++) {
		if (o > 0 && cmp_gg_row(&row[o - 1], &row[i]) == 0) {
			row[o - 1].w += 1;
		} else {
			row[o] = row[i];
			row[o].lnm = log(row[i].m);
			o++;
		}
	}
	for (i = 0; i < o; i++)
		xindex_add(&d->ix, i, row[i].x, row[i].w);
	xindex_end(&d->ix, o);
	d->row = row;
	d->nrow = o;
	d->wsum = (double)k;
}

static void
gg_release(struct gg_data *d)
{
	free(d->row);
	xindex_release(&d->ix);
	memset(d, 0, sizeof(*d));
}

/*
 * gg_eval() returns the Gamma-Gamma log-likelihood of d at par = (p, q,
 * gamma) and, when g is not NULL, its gradient.  The mean m of x
 * transactions is Gamma(p x, nu x) given nu, and nu is Gamma(q, gamma);
 * per customer (Fader & Hardie 2013, equation 1a with the density of
 * the mean rather than of the total, as lifetimes has it):
 *
 *   ln L = lnG(p x + q) - lnG(p x) - lnG(q) + q ln gamma
 *        + (p x - 1) ln m + p x ln x - (p x + q) ln(x m + gamma)
 */
static double
gg_eval(const struct gg_data *d, const double par[3], double *g)
{
	double p = par[0], q = par[1], gam = par[2];
	double lng = log(gam), lg_q = gsl_sf_lngamma(q), ps_q = 0;
	double ll = 0, gp = 0, gq = 0, ggam = 0;
	size_t k, i;

	if (g)
		ps_q = gsl_sf_psi(q);
	for (k = 0; k < d->ix.nx; k++) {
		double x = d->ix.xval[k], W = d->ix.xw[k], px = p * x, lnx = log(x);
		const struct gg_row *row = d->row + d->ix.start[k];
		size_t nr = d->ix.start[k + 1] - d->ix.start[k];
		double s_ll = 0, s_lm = 0, s_ld = 0, s_inv = 0;

		for (i = 0; i < nr; i++) {
			double w = row[i].w, den = x * row[i].m + gam;
			double ld = log(den);

			s_lm += w * row[i].lnm;
			s_ld += w * ld;
			if (g)
				s_inv += w / den;
		}
		s_ll = W * (gsl_sf_lngamma(px + q) - gsl_sf_lngamma(px) - lg_q +
		    q * lng + px * lnx) + (px - 1) * s_lm - (px + q) * s_ld;
		ll += s_ll;
		if (g) {
			double ps_pxq = gsl_sf_psi(px + q);

			gp += x * (W * (ps_pxq - gsl_sf_psi(px) + lnx) + s_lm - s_ld);
			gq += W * (ps_pxq - ps_q + lng) - s_ld;
			ggam += W * q / gam - (px + q) * s_inv;
		}
	}
	if (g) {
		g[0] = gp;
		g[1] = gq;
		g[2] = ggam;
	}
	return ll;
}

static double
gg_eval_void(const void *data, const double *par, double *g)
{
	return gg_eval(data, par, g);
}

int
gg_fit(const struct model_cust *c, size_t n, double penalizer,
    struct gg_params *out, struct crm_err *err)
{
	static const char *const name[] = { "p", "q", "gamma" };
	static const double unit[] = { 1, 1, 1 };
	struct gg_data d;
	struct objective o;
	double theta[3] = { THETA0, THETA0, THETA0 };
	double par[3], m0 = 0;
	gsl_error_handler_t *old;
	size_t i, nrep = 0, same = 1;
	int iter = 0;

	if (n == 0)
		return crm_error(err, "cannot fit Gamma-Gamma: no customers");
	if (!isfinite(penalizer) || penalizer < 0)
		return crm_error(err, "cannot fit Gamma-Gamma: penalizer %g is not "
		    "a number >= 0", penalizer);
	for (i = 0; i < n; i++) {
		if (gg_check(&c[i], i, err))
			return -1;
		if (c[i].x == 0)
			continue;
		if (nrep++ == 0)
			m0 = c[i].m;
		else if (c[i].m != m0)
			same = 0;
	}
	if (nrep == 0)
		return crm_error(err, "cannot fit Gamma-Gamma: no customer made a "
		    "repeat purchase");
	if (nrep == 1)
		return crm_error(err, "cannot fit Gamma-Gamma: only one customer "
		    "made a repeat purchase");
	/*
	 * Equal means leave no spread to split between the variation
	 * within customers (p) and across them (q): the likelihood grows
	 * without end as p and q do.
	 */
	if (same)
		return crm_error(err, "cannot fit Gamma-Gamma: every repeat "
		    "customer has the same mean spend");

	gg_build(&d, c, n);
	o.dim = 3;
	o.eval = gg_eval_void;
	o.data = &d;
	o.wsum = d.wsum;
	o.penalizer = penalizer;
	o.model = "Gamma-Gamma";
	o.name = name;
	o.unit = unit;
	if (minimise(&o, theta, &iter, err)) {
		gg_release(&d);
		return -1;
	}
	for (i = 0; i < 3; i++)
		par[i] = exp(theta[i]);
	old = gsl_quiet();
	out->loglik = gg_eval(&d, par, NULL);
	gsl_restore(old);
	gg_release(&d);
	if (!isfinite(out->loglik))
		return crm_error(err, "cannot fit Gamma-Gamma: the log-likelihood "
		    "at the estimate is not finite");
	out->p = par[0];
	out->q = par[1];
	out->gamma = par[2];
	out->iterations = iter;
	return 0;
}

double
gg_loglik_grad(const struct gg_params *p, const struct model_cust *c, size_t n,
    double grad[3])
{
	struct gg_data d;
	double par[3], ll;
	gsl_error_handler_t *old;
	size_t i;

	if (!gg_params_ok(p))
		return NAN;
	for (i = 0; i < n; i++)
		if (gg_check(&c[i], i, NULL))
			return NAN;
	par[0] = p->p;
	par[1] = p->q;
	par[2] = p->gamma;
	gg_build(&d, c, n);
	old = gsl_quiet();
	ll = gg_eval(&d, par, grad);
	gsl_restore(old);
	gg_release(&d);
	return ll;
}

double
gg_loglik(const struct gg_params *p, const struct model_cust *c, size_t n)
{
	return gg_loglik_grad(p, c, n, NULL);
}

double
gg_expected_avg(const struct gg_params *p, double x, double m)
{
	double px;

	if (!gg_params_ok(p) || !is_count(x))
		return NAN;
	px = p->p * x;
	if (!(px + p->q > 1))
		return NAN;
	if (x == 0)
		return p->gamma * p->p / (p->q - 1);
	if (!(isfinite(m) && m > 0))
		return NAN;
	return (p->gamma + m * x) * p->p / (px + p->q - 1);
}

double
clv_discounted(const struct bgnbd_params *bg, const struct gg_params *gg,
    double x, double tx, double T, double m, double horizon,
    double discount_per_unit)
{
	double avg, prev = 0, sum = 0, t, e;
	double d = discount_per_unit;

	if (!(d > -1) || !isfinite(d) || isnan(horizon) || isinf(horizon))
		return NAN;
	if (horizon <= 0)
		return 0;
	avg = gg_expected_avg(gg, x, m);
	if (isnan(avg))
		return NAN;
	for (t = 1; ; t++) {
		double ti = t < horizon ? t : horizon;

		e = bgnbd_expected(bg, ti, x, tx, T);
		if (isnan(e))
			return NAN;
		sum += (e - prev) * avg / pow(1 + d, ti);
		prev = e;
		if (ti >= horizon)
			break;
	}
	return sum;
}
