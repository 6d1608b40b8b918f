/*
 * ltv.h - what a customer is worth: the managers' formula, the cost of
 * losing a customer, and the glue between the purchase summary and the
 * BG/NBD and Gamma-Gamma models (model.h).
 *
 * Money stays in integer cents wherever it is added; the formula and
 * the models multiply by rates, and their results are rounded to the
 * cent once, at the end.
 */
#ifndef CRM_LTV_H
#define CRM_LTV_H

#include "model.h"
#include "money.h"
#include "summary.h"

/* A margin, "0.2" or "20%", in millionths (200000); between 0 and 1. */
int parse_margin(const char *s, int64_t *ppm, struct crm_err *err);
/* A positive number of years, purchases per year and the like. */
int parse_positive(const char *what, const char *s, double *out,
    struct crm_err *err);

/*
 * The managers' formula: value per year = average order x purchases
 * per year; over the lifetime = value per year x years.
 */
void ltv_formula(money_t avg, double per_year, double years,
    money_t *per_year_value, money_t *lifetime);

/*
 * Growth of a customer's yearly revenue: an amount per year ("2000",
 * "-500") or a share ("5%").
 */
struct growth {
	int relative;
	money_t amount;		/* when !relative */
	double rate;		/* when relative: 0.05 */
};
int parse_growth(const char *s, struct growth *g, struct crm_err *err);

/*
 * ltv_lost() is the sales lost with a customer who buys revenue this
 * year, growing by g, over years years: the sum of each year's revenue,
 * a year never below zero.  10000 growing by 2000 over 5 years is
 * 10000 + 12000 + 14000 + 16000 + 18000 = 70000.
 */
money_t ltv_lost(money_t revenue, const struct growth *g, int years);

/*
 * Revenue windows for the per-customer cost of losing one: purchases
 * minus refunds in the 12 months up to end (last) and in the 12 months
 * before (prev), indexed like the summary's customers.
 */
struct ltv_windows {
	money_t *last, *prev;
	size_t n, cap;
	int32_t end;
};
/* ltv_windows_add() counts amount (negative: a refund) on day for i. */
void ltv_windows_add(struct ltv_windows *w, size_t i, int32_t day, money_t amount);
void ltv_windows_release(struct ltv_windows *w);

/*
 * The customer's own trend per year: last - prev, when the first
 * purchase is at least two years before end (otherwise 0: a newer
 * customer's first year would look like growth).
 */
money_t ltv_trend(const struct ltv_windows *w, size_t i, const struct psum *p);

/* The fitted parameters, as --fit --json writes them. */
struct ltv_params {
	size_t customers;
	enum sum_unit unit;
	int32_t end;
	struct bgnbd_params bg;
	struct gg_params gg;
	size_t gg_customers;
};

/*
 * ltv_model_input() gives the customers with a purchase before end as
 * model rows in *out (malloc'ed; *idx their index in the summary), in
 * summary order.  Returns their number.
 */
size_t ltv_model_input(const struct summary *s, int32_t end, enum sum_unit u,
    struct model_cust **out, size_t **idx);

/*
 * ltv_fit() fits both models.  The rows are sorted first, so that the
 * same customers in any order (a sharded run) give bit for bit the
 * same fit.  Returns 0 or -1 (a clear message when the data cannot
 * support a fit).
 */
int ltv_fit(const struct model_cust *c, size_t n, double penalizer,
    struct ltv_params *p, struct crm_err *err);

/* The parameters as one line of JSON (malloc'ed). */
char *ltv_params_json(const struct ltv_params *p);
/* Read them back from a file that --fit --json wrote. */
int ltv_params_read(const char *path, struct ltv_params *p, struct crm_err *err);

#endif
