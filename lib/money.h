/*
 * money.h - amounts of money as integers of minor units (cents).
 *
 * The files keep an amount as the decimal text the user typed; sums are
 * taken in integer hundredths so that 0.10 + 0.20 is exactly 0.30.  A
 * decimal comma, an exponent, a thousands separator, NaN or more than
 * two decimal places is an error, never a guess.
 */
#ifndef CRM_MONEY_H
#define CRM_MONEY_H

#include <stdint.h>

#include "util.h"

typedef int64_t money_t;

#define MONEY_SCALE 100
/* The largest amount one field may hold: ten trillion units.  Sums are
 * checked for overflow (money_add()): an int64 of cents holds 9,223 of
 * the largest amounts, and some 900 billion of a thousand units each. */
#define MONEY_MAX_UNITS 10000000000000LL

/*
 * money_parse() reads [+-]digits[.d[d]] (blanks around it ignored; "-0"
 * is zero) into *out.  Returns 0, or -1 with "invalid amount 'S' (...)"
 * in err.
 */
int money_parse(const char *s, money_t *out, struct crm_err *err);
/* The same for the n bytes at s, which are followed by a NUL. */
int money_parse_n(const char *s, size_t n, money_t *out, struct crm_err *err);

/* money_format() writes v as "-1234.50" into buf (32 bytes). */
void money_format(char *buf, money_t v);

/* money_add() adds v to *acc; -1 (and *acc unchanged) on overflow. */
int money_add(money_t *acc, money_t v);

/*
 * micro_parse() reads [+-]digits[.digits] (and a final % when percent_ok)
 * into millionths: "0.2" and "20%" are both 200000.  More decimals than
 * can be kept exactly are an error, not rounded.  Returns 0 or -1.
 */
int micro_parse(const char *s, int percent_ok, int64_t *out);

/* money_ratio() is v times ppm millionths, rounded half away from zero,
 * computed exactly: the contribution of a revenue at a margin. */
money_t money_ratio(money_t v, int64_t ppm);

/* As a double, in units, for the statistical models only. */
double money_to_double(money_t v);

#endif
