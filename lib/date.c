/*
 * date.c - calendar arithmetic and the date forms of crm(7).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"

/*
 * Days from civil and back: Howard Hinnant's algorithms, exact over the
 * whole proleptic Gregorian calendar without tables or loops.
 */
int32_t
days_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/*
 * Neri and Schneider's algorithm ("Euclidean affine functions and their
 * application to calendar algorithms", 2022): in unsigned arithmetic,
 * with the divisions by constants made multiplications and shifts, a
 * third of the time of Hinnant's civil_from_days(), which it replaced:
 * the summary formats two dates for each of half a million customers.
 * The day is shifted by 82 cycles of 400 years so that all is unsigned:
 * right for days from about 32,800 years before 1970 on.
 */
void
civil_from_days(int32_t z, int *y, int *m, int *d)
{
	const uint32_t s = 82, k = 719468 + 146097 * s, l = 400 * s;
	uint32_t n = (uint32_t)z + k;
	uint32_t n1 = 4 * n + 3, c = n1 / 146097, nc = n1 % 146097 / 4;
	uint64_t p2 = (uint64_t)2939745 * (4 * nc + 3);
	uint32_t yy = 100 * c + (uint32_t)(p2 >> 32);
	uint32_t ny = (uint32_t)p2 / 2939745 / 4;
	uint32_t n3 = 2141 * ny + 197913, mm = n3 >> 16, dd = (n3 & 0xffff) / 2141;
	uint32_t j = ny >= 306;

	*y = (int)(yy - l + j);
	*m = (int)(j ? mm - 12 : mm);
	*d = (int)dd + 1;
}

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
days_in_month(int y, int m)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && is_leap(y))
		return 29;
	return dim[m - 1];
}

int
date_is_valid(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= days_in_month(y, m);
}

int
day_of_week(int32_t day)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	int w = (int)((day % 7 + 7 + 3) % 7);

	return w;
}

/* Exactly n decimal digits. */
static int
digits(const char *s, int n, int *v)
{
	int i, x = 0;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return 1;
}

int
date_parse_iso(const char *s, struct crm_date *out)
{
	int y, m, d, hh, mm, ss = 0;
	const char *p;

	if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &m) ||
	    s[7] != '-' || !digits(s + 8, 2, &d) || !date_is_valid(y, m, d))
		return -1;
	out->day = days_from_civil(y, m, d);
	out->sec = -1;
	p = s + 10;
	if (*p == '\0')
		return 0;
	if (*p != 'T' && *p != ' ')
		return -1;
	p++;
	if (!digits(p, 2, &hh) || p[2] != ':' || !digits(p + 3, 2, &mm) ||
	    hh > 23 || mm > 59)
		return -1;
	p += 5;
	if (*p == ':') {
		if (!digits(p + 1, 2, &ss) || ss > 59)
			return -1;
		p += 3;
	}
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om;

		if (!digits(p + 1, 2, &oh) || oh > 14)
			return -1;
		p += 3;
		if (*p == ':')
			p++;
		if (!digits(p, 2, &om) || om > 59)
			return -1;
		p += 2;
	}
	if (*p != '\0')
		return -1;
	out->sec = hh * 3600 + mm * 60 + ss;
	return 0;
}

static const char *const wdays[7] = {
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
};
static const char *const months[12] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"
};

/* A name or its first three (or more) letters: "jul", "july", "sept". */
static int
name_index(const char *w, size_t n, const char *const *names, int count)
{
	int i;

	if (n < 3)
		return -1;
	for (i = 0; i < count; i++)
		if (strlen(names[i]) >= n && strncmp(names[i], w, n) == 0)
			return i;
	return -1;
}

int32_t
date_add(int32_t day, int n, char unit)
{
	int y, m, d;
	long mm;

	switch (unit) {
	case 'w':
		return day + 7 * n;
	case 'm':
	case 'y':
		civil_from_days(day, &y, &m, &d);
		mm = (long)y * 12 + (m - 1) + (unit == 'y' ? 12L * n : n);
		/* Floor division: months before year 0 count down properly. */
		y = (int)(mm >= 0 ? mm / 12 : -((-mm + 11) / 12));
		m = (int)(mm - (long)y * 12) + 1;
		if (d > days_in_month(y, m))
			d = days_in_month(y, m);
		return days_from_civil(y, m, d);
	default:
		return day + n;
	}
}

/* Relative forms: [+-]N[dwmy].  Returns 1 when s had that shape. */
static int
parse_relative(const char *s, int32_t today, int32_t *out)
{
	const char *p = s;
	int sign = 1;
	long n = 0;
	char unit = 'd';

	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	else
		return 0;
	if (!isdigit((unsigned char)*p))
		return 0;
	while (isdigit((unsigned char)*p)) {
		n = n * 10 + (*p++ - '0');
		if (n > 100000)
			return 0;
	}
	if (*p == 'd' || *p == 'w' || *p == 'm' || *p == 'y')
		unit = *p++;
	if (*p)
		return 0;
	*out = date_add(today, sign * (int)n, unit);
	return 1;
}

/*
 * "5jul", "jul 5", "5 july 2027": one month word, a day of one or two
 * digits and an optional four-digit year, in either order.
 */
static int
parse_day_month(const char *s, int32_t today, enum date_bias bias, int32_t *out)
{
	int day = -1, year = -1, mon = -1, ty, tm, td;
	const char *p = s;

	while (*p) {
		const char *b = p;

		if (*p == ' ' || *p == '.' || *p == ',') {
			p++;
			continue;
		}
		if (isdigit((unsigned char)*p)) {
			int v = 0;

			while (isdigit((unsigned char)*p) && p - b < 5)
				v = v * 10 + (*p++ - '0');
			if (isdigit((unsigned char)*p))
				return 0;
			if (p - b <= 2 && day < 0)
				day = v;
			else if (p - b == 4 && year < 0 && mon >= 0 && day >= 0)
				year = v;
			else
				return 0;
		} else if (isalpha((unsigned char)*p)) {
			while (isalpha((unsigned char)*p))
				p++;
			if (mon >= 0)
				return 0;
			mon = name_index(b, (size_t)(p - b), months, 12);
			if (mon < 0)
				return 0;
		} else {
			return 0;
		}
	}
	if (mon < 0 || day < 0)
		return 0;
	mon++;
	if (year >= 0) {
		if (!date_is_valid(year, mon, day))
			return 0;
		*out = days_from_civil(year, mon, day);
		return 1;
	}
	civil_from_days(today, &ty, &tm, &td);
	/* This year's date, or the year after (before) when it has passed. */
	if (date_is_valid(ty, mon, day)) {
		int32_t c = days_from_civil(ty, mon, day);

		if (bias == DATE_FUTURE && c >= today) {
			*out = c;
			return 1;
		}
		if (bias == DATE_PAST && c <= today) {
			*out = c;
			return 1;
		}
	}
	/* The next (or last) year that has the day: 29 February may be
	 * four years away. */
	for (year = bias == DATE_FUTURE ? ty + 1 : ty - 1;
	    year >= 1 && year <= 9999 && abs(year - ty) <= 8;
	    year += bias == DATE_FUTURE ? 1 : -1) {
		if (date_is_valid(year, mon, day)) {
			*out = days_from_civil(year, mon, day);
			return 1;
		}
	}
	return 0;
}

int
date_parse(const char *s, int32_t today, enum date_bias bias,
    struct crm_date *out, struct crm_err *err)
{
	char w[64];
	size_t i, n;
	int k;

	if (date_parse_iso(s, out) == 0)
		return 0;
	n = strlen(s);
	if (n == 0 || n >= sizeof(w))
		return crm_error(err, "invalid date '%s'", q(s));
	for (i = 0; i <= n; i++)
		w[i] = (char)tolower((unsigned char)s[i]);
	out->sec = -1;
	if (streq(w, "today")) {
		out->day = today;
		return 0;
	}
	if (streq(w, "tomorrow")) {
		out->day = today + 1;
		return 0;
	}
	if (streq(w, "yesterday")) {
		out->day = today - 1;
		return 0;
	}
	if (parse_relative(w, today, &out->day))
		goto check;
	k = name_index(w, n, wdays, 7);
	if (k >= 0) {
		int delta = k - day_of_week(today);

		if (bias == DATE_FUTURE)
			out->day = today + (delta <= 0 ? delta + 7 : delta);
		else
			out->day = today + (delta >= 0 ? delta - 7 : delta);
		return 0;
	}
	if (parse_day_month(w, today, bias, &out->day))
		return 0;
	return crm_error(err, "invalid date '%s'", q(s));
check:
	{
		int y, m, d;

		civil_from_days(out->day, &y, &m, &d);
		if (y < 1 || y > 9999)
			return crm_error(err, "invalid date '%s'", q(s));
	}
	return 0;
}

int
date_parse_span(const char *s, int *n, char *unit, struct crm_err *err)
{
	const char *p = s;
	long v = 0;

	if (!isdigit((unsigned char)*p))
		return crm_error(err, "invalid length of time '%s' (examples: 7d, 2w, 1m)", q(s));
	while (isdigit((unsigned char)*p)) {
		v = v * 10 + (*p++ - '0');
		if (v > 100000)
			return crm_error(err, "invalid length of time '%s'", q(s));
	}
	*unit = 'd';
	if (*p == 'd' || *p == 'w' || *p == 'm' || *p == 'y')
		*unit = *p++;
	if (*p)
		return crm_error(err, "invalid length of time '%s' (examples: 7d, 2w, 1m)", q(s));
	*n = (int)v;
	return 0;
}

void
date_format(char *buf, int32_t day)
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	/* Written by hand: the compiler cannot see that y fits four digits. */
	y = y < 0 ? 0 : y % 10000;
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
}

void
date_format_full(char *buf, const struct crm_date *dt)
{
	date_format(buf, dt->day);
	if (dt->sec >= 0) {
		unsigned h = (unsigned)dt->sec / 3600 % 24;
		unsigned m = (unsigned)dt->sec / 60 % 60, s = (unsigned)dt->sec % 60;

		if (s)
			snprintf(buf + 10, 16, "T%02u:%02u:%02u", h, m, s);
		else
			snprintf(buf + 10, 16, "T%02u:%02u", h, m);
	}
}

int
date_today(const char *arg, int32_t *today, struct crm_err *err)
{
	const char *env = getenv("CRM_TODAY");
	struct crm_date d;
	struct tm tm;
	time_t now;

	if (arg || (env && *env)) {
		const char *s = arg ? arg : env;

		if (date_parse_iso(s, &d) < 0)
			return crm_error(err, "invalid date '%s' in %s", q(s),
			    arg ? "--today" : "$CRM_TODAY");
		*today = d.day;
		return 0;
	}
	now = time(NULL);
	localtime_r(&now, &tm);
	*today = days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	return 0;
}

void
date_now(int32_t today, int fixed, struct crm_date *out)
{
	struct tm tm;
	time_t now;

	out->day = today;
	out->sec = -1;
	if (fixed)
		return;
	now = time(NULL);
	localtime_r(&now, &tm);
	out->day = days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	out->sec = tm.tm_hour * 3600 + tm.tm_min * 60;
}
