/*
 * ltv.c - customer value: formula, cost of loss, model glue.
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "ltv.h"

int
parse_margin(const char *s, int64_t *ppm, struct crm_err *err)
{
	/* Exact: a margin of 0.2 is 200000 millionths, not 0.2000000000000000111. */
	if (micro_parse(s, 1, ppm) < 0 || *ppm < 0 || *ppm > 1000000)
		return crm_error(err, "invalid margin '%s' (a share: 0.2 or 20%%)",
		    q(s));
	return 0;
}

int
parse_positive(const char *what, const char *s, double *out, struct crm_err *err)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || errno || !(v > 0) || !isfinite(v) || v > 1e6)
		return crm_error(err, "invalid %s '%s' (a positive number)", what, q(s));
	*out = v;
	return 0;
}

void
ltv_formula(money_t avg, double per_year, double years, money_t *per_year_value,
    money_t *lifetime)
{
	double y = (double)avg * per_year;

	*per_year_value = (money_t)llround(y);
	*lifetime = (money_t)llround(y * years);
}

int
parse_growth(const char *s, struct growth *g, struct crm_err *err)
{
	size_t n = strlen(s);
	struct crm_err e;

	memset(g, 0, sizeof(*g));
	if (n > 0 && s[n - 1] == '%') {
		char *copy = xstrndup(s, n - 1), *end;

		errno = 0;
		g->rate = strtod(copy, &end) / 100;
		if (end == copy || *end || errno || !isfinite(g->rate) || g->rate <= -1 ||
		    g->rate > 10) {
			free(copy);
			return crm_error(err, "invalid growth '%s' (an amount per year "
			    "or a share: 2000, 5%%)", q(s));
		}
		free(copy);
		g->relative = 1;
		return 0;
	}
	if (money_parse(s, &g->amount, &e) < 0)
		return crm_error(err, "invalid growth '%s' (an amount per year or a "
		    "share: 2000, 5%%)", q(s));
	return 0;
}

money_t
ltv_lost(money_t revenue, const struct growth *g, int years)
{
	money_t total = 0;
	int i;

	for (i = 0; i < years; i++) {
		money_t y;

		if (g->relative)
			y = (money_t)llround((double)revenue * pow(1 + g->rate, i));
		else
			y = revenue + g->amount * i;
		if (y > 0)
			total += y;
	}
	return total;
}

void
ltv_windows_add(struct ltv_windows *w, size_t i, int32_t d, money_t a)
{
	if (i >= w->cap) {
		size_t nc = w->cap ? w->cap * 2 : 1024, k;

		while (nc <= i)
			nc *= 2;
		w->last = xreallocarray(w->last, nc, sizeof(*w->last));
		w->prev = xreallocarray(w->prev, nc, sizeof(*w->prev));
		for (k = w->cap; k < nc; k++)
			w->last[k] = w->prev[k] = 0;
		w->cap = nc;
	}
	if (i >= w->n)
		w->n = i + 1;
	if (d > w->end || d <= w->end - 730)
		return;
	/* Sums of amounts below ten trillion over a year: no overflow. */
	if (d > w->end - 365)
		w->last[i] += a;
	else
		w->prev[i] += a;
}

void
ltv_windows_release(struct ltv_windows *w)
{
	free(w->last);
	free(w->prev);
	memset(w, 0, sizeof(*w));
}

money_t
ltv_trend(const struct ltv_windows *w, size_t i, const struct psum *p)
{
	if (i >= w->n || !p->ndays || p->first > w->end - 730)
		return 0;
	return w->last[i] - w->prev[i];
}

size_t
ltv_model_input(const struct summary *s, int32_t end, enum sum_unit u,
    struct model_cust **out, size_t **idx)
{
	size_t i, n = 0;

	*out = xcalloc(s->n ? s->n : 1, sizeof(**out));
	*idx = xcalloc(s->n ? s->n : 1, sizeof(**idx));
	for (i = 0; i < s->n; i++) {
		const struct psum *p = summary_at(s, i);
		struct rfm_figures r;

		if (!p->ndays)
			continue;
		summary_figures(s, i, end, u, &r);
		(*out)[n].x = r.frequency;
		(*out)[n].tx = r.recency;
		(*out)[n].T = r.T;
		(*out)[n].m = r.monetary;
		(*idx)[n++] = i;
	}
	return n;
}

static int
cmp_cust(const void *a, const void *b)
{
	const struct model_cust *x = a, *y = b;

	if (x->x != y->x)
		return x->x < y->x ? -1 : 1;
	if (x->tx != y->tx)
		return x->tx < y->tx ? -1 : 1;
	if (x->T != y->T)
		return x->T < y->T ? -1 : 1;
	if (x->m != y->m)
		return x->m < y->m ? -1 : 1;
	return 0;
}

int
ltv_fit(const struct model_cust *c, size_t n, double penalizer,
    struct ltv_params *p, struct crm_err *err)
{
	struct model_cust *sorted = xcalloc(n ? n : 1, sizeof(*sorted));
	size_t i;
	int rc = -1;

	memcpy(sorted, c, n * sizeof(*c));
	qsort(sorted, n, sizeof(*sorted), cmp_cust);
	p->customers = n;
	p->gg_customers = 0;
	for (i = 0; i < n; i++)
		p->gg_customers += sorted[i].x > 0;
	if (bgnbd_fit(sorted, n, penalizer, &p->bg, err) == 0 &&
	    gg_fit(sorted, n, penalizer, &p->gg, err) == 0)
		rc = 0;
	free(sorted);
	return rc;
}

char *
ltv_params_json(const struct ltv_params *p)
{
	json_t *o = json_object(), *bg = json_object(), *gg = json_object();
	char end[11], *s;

	date_format(end, p->end);
	json_object_set_new(o, "customers", json_integer((json_int_t)p->customers));
	json_object_set_new(o, "unit", json_string(sum_unit_names[p->unit]));
	json_object_set_new(o, "end", json_string(end));
	json_object_set_new(bg, "r", json_real(p->bg.r));
	json_object_set_new(bg, "alpha", json_real(p->bg.alpha));
	json_object_set_new(bg, "a", json_real(p->bg.a));
	json_object_set_new(bg, "b", json_real(p->bg.b));
	json_object_set_new(bg, "loglik", json_real(p->bg.loglik));
	json_object_set_new(o, "bgnbd", bg);
	json_object_set_new(gg, "p", json_real(p->gg.p));
	json_object_set_new(gg, "q", json_real(p->gg.q));
	json_object_set_new(gg, "gamma", json_real(p->gg.gamma));
	json_object_set_new(gg, "loglik", json_real(p->gg.loglik));
	json_object_set_new(gg, "customers", json_integer((json_int_t)p->gg_customers));
	json_object_set_new(o, "gg", gg);
	/* 17 digits: the parameters read back are the ones fitted. */
	s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(17));
	json_decref(o);
	return s;
}

static int
get_num(json_t *o, const char *key, double *v)
{
	json_t *j = json_object_get(o, key);

	if (!json_is_number(j))
		return -1;
	*v = json_number_value(j);
	return isfinite(*v) ? 0 : -1;
}

int
ltv_params_read(const char *path, struct ltv_params *p, struct crm_err *err)
{
	json_error_t je;
	json_t *o = json_load_file(path, JSON_REJECT_DUPLICATES, &je), *bg, *gg;
	struct crm_date d;
	const char *unit, *end;

	memset(p, 0, sizeof(*p));
	if (!o)
		return crm_error(err, "%s:%d: %s", path, je.line, je.text);
	bg = json_object_get(o, "bgnbd");
	gg = json_object_get(o, "gg");
	unit = json_string_value(json_object_get(o, "unit"));
	end = json_string_value(json_object_get(o, "end"));
	if (!json_is_object(bg) || !json_is_object(gg) || !unit || !end ||
	    sum_unit_parse(unit, &p->unit) < 0 || date_parse_iso(end, &d) < 0 ||
	    get_num(bg, "r", &p->bg.r) < 0 || get_num(bg, "alpha", &p->bg.alpha) < 0 ||
	    get_num(bg, "a", &p->bg.a) < 0 || get_num(bg, "b", &p->bg.b) < 0 ||
	    get_num(gg, "p", &p->gg.p) < 0 || get_num(gg, "q", &p->gg.q) < 0 ||
	    get_num(gg, "gamma", &p->gg.gamma) < 0 || p->bg.r <= 0 ||
	    p->bg.alpha <= 0 || p->bg.a <= 0 || p->bg.b <= 0 || p->gg.p <= 0 ||
	    p->gg.q <= 0 || p->gg.gamma <= 0) {
		json_decref(o);
		return crm_error(err, "%s: not the parameters crm-ltv --fit --json "
		    "writes", path);
	}
	p->end = d.day;
	get_num(bg, "loglik", &p->bg.loglik);
	get_num(gg, "loglik", &p->gg.loglik);
	json_decref(o);
	return 0;
}
