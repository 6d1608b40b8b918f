/*
 * money.c - exact decimal amounts.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "money.h"

/* Money times parts per million needs more than 64 bits. */
__extension__ typedef __int128 wide_t;

/* Not isdigit(): no locale, no call, for the amount of every event. */
#define DIGIT(c) ((unsigned)((unsigned char)(c) - '0') < 10U)

int
money_parse(const char *s, money_t *out, struct crm_err *err)
{
	return money_parse_n(s, strlen(s), out, err);
}

int
money_parse_n(const char *s, size_t n, money_t *out, struct crm_err *err)
{
	const char *p = s, *e = s + n;
	int neg = 0, ndig = 0, nfrac = 0;
	int64_t units = 0, frac = 0;

	/*
	 * First the form of nearly every amount in a log: 1 to 13 digits,
	 * a point and two decimals ("1463.64"), without the general path's
	 * tests for blanks, signs and more decimals at each byte.
	 */
	if (n >= 4 && n <= 16 && s[n - 3] == '.' && DIGIT(s[n - 2]) &&
	    DIGIT(s[n - 1])) {
		uint64_t u = 0;
		size_t i;

		for (i = 0; i + 3 < n && DIGIT(s[i]); i++)
			u = u * 10 + (uint64_t)(s[i] - '0');
		if (i + 3 == n) {
			*out = (money_t)(u * MONEY_SCALE) +
			    (s[n - 2] - '0') * 10 + (s[n - 1] - '0');
			return 0;
		}
	}
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (p < e && (*p == '+' || *p == '-'))
		neg = *p++ == '-';
	while (p < e && DIGIT(*p)) {
		if (++ndig > 13)
			return crm_error(err, "invalid amount '%s' (too large)", q(s));
		units = units * 10 + (*p++ - '0');
	}
	if (ndig == 0)
		goto bad;
	if (p < e && *p == '.') {
		p++;
		while (p < e && DIGIT(*p)) {
			/* "1.500" is 1.50; a third significant decimal is not cents. */
			if (nfrac >= 2) {
				if (*p != '0') {
					if (strchr(p, '.'))
						goto bad;	/* 12.345.678 */
					return crm_error(err, "invalid amount '%s' "
					    "(more than two decimal places)", q(s));
				}
			} else {
				frac = frac * 10 + (*p - '0');
			}
			nfrac++;
			p++;
		}
		if (nfrac == 0)
			goto bad;
		if (nfrac == 1)
			frac *= 10;
	}
	if (p != e)
		goto bad;
	units = units * MONEY_SCALE + frac;
	if (units >= MONEY_MAX_UNITS * MONEY_SCALE)
		return crm_error(err, "invalid amount '%s' (too large)", q(s));
	*out = neg ? -units : units;
	return 0;
bad:
	if (strchr(s, ',') || strchr(strchr(s, '.') ? strchr(s, '.') + 1 : "", '.'))
		return crm_error(err, "invalid amount '%s' (use a decimal point "
		    "and no thousands separator: 1234.50)", q(s));
	return crm_error(err, "invalid amount '%s'", q(s));
}

void
money_format(char *buf, money_t v)
{
	uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	unsigned cents = (unsigned)(a % MONEY_SCALE);

	/* By hand, not snprintf(): a summary writes one for each customer. */
	if (v < 0)
		*buf++ = '-';
	buf += fmt_uint(buf, a / MONEY_SCALE);
	buf[0] = '.';
	buf[1] = (char)('0' + cents / 10);
	buf[2] = (char)('0' + cents % 10);
	buf[3] = '\0';
}

int
money_add(money_t *acc, money_t v)
{
	money_t r;

	if (__builtin_add_overflow(*acc, v, &r))
		return -1;
	*acc = r;
	return 0;
}

double
money_to_double(money_t v)
{
	return (double)v / MONEY_SCALE;
}

/*
 * Read [+-]digits[.digits][%] into *out in millionths.  Blanks around it
 * are ignored, as money_parse() ignores them.  More than six decimals
 * (after a percent sign moves the point) are refused rather than
 * rounded: a value that cannot be kept exactly is a typing error.
 */
int
micro_parse(const char *s, int percent_ok, int64_t *out)
{
	const char *p = s;
	wide_t v = 0;
	int neg = 0, digits = 0, frac = 0, pct = 0;
	long scale = 100000000;		/* 10^8: six decimals, and two for a % */

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	while (isdigit((unsigned char)*p)) {
		v = v * 10 + (*p++ - '0');
		digits++;
		if (v > (wide_t)100000000000000LL)	/* 10^14 units */
			return -1;
	}
	v *= scale;
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p)) {
			digits++;
			frac++;
			if (frac <= 8) {
				scale /= 10;
				v += (wide_t)(*p - '0') * scale;
			} else if (*p != '0') {
				return -1;
			}
			p++;
		}
		if (frac == 0)
			return -1;
	}
	if (percent_ok && *p == '%') {
		pct = 1;
		p++;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p || digits == 0)
		return -1;
	/* From 10^-8 units to millionths: two decimals, or the percent. */
	if (v % 100 != 0)
		return -1;
	v /= 100;
	if (pct) {
		if (v % 100 != 0)
			return -1;
		v /= 100;
	}
	if (v > (wide_t)9000000000000000000LL)
		return -1;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

money_t
money_ratio(money_t v, int64_t ppm)
{
	wide_t x = (wide_t)v * ppm;

	/* Half away from zero, as a person rounds cents. */
	x = x < 0 ? -((-x + 500000) / 1000000) : (x + 500000) / 1000000;
	return (money_t)x;
}
