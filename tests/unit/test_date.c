/*
 * test_date.c - lib/date.c: the calendar, the forms kept in the files
 * and the forms people type (crm(7) "Dates").
 *
 * Today is Monday 2026-11-23 throughout, as in the shell tests, unless
 * a case says otherwise.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"
#include "date.h"

static int32_t
D(int y, int m, int d)
{
	return days_from_civil(y, m, d);
}

static const char *
fmt(int32_t day)
{
	static char buf[4][11];
	static int i;

	i = (i + 1) % 4;
	date_format(buf[i], day);
	return buf[i];
}

/*
 * date_parse() in a child process, so that a crash or a sanitizer's
 * report fails one case rather than ending the program.  Returns what
 * date_parse() returns, or -2 with "crashed" in err.
 */
struct parsed {
	int rc;
	struct crm_date d;
	struct crm_err err;
};

static int
parse_isolated(const char *s, int32_t today, enum date_bias bias,
    struct crm_date *d, struct crm_err *err)
{
	struct parsed res;
	pid_t pid;
	int p[2], status;

	fflush(stdout);
	if (pipe(p) < 0)
		return date_parse(s, today, bias, d, err);
	pid = fork();
	if (pid == 0) {
		memset(&res, 0, sizeof(res));
		res.rc = date_parse(s, today, bias, &res.d, &res.err);
		if (write(p[1], &res, sizeof(res)) != (ssize_t)sizeof(res))
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &res, sizeof(res)) != (ssize_t)sizeof(res)) {
		res.rc = -2;
		snprintf(res.err.msg, sizeof(res.err.msg), "crashed");
	}
	close(p[0]);
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		res.rc = -2;
		snprintf(res.err.msg, sizeof(res.err.msg), "crashed (status %d)",
		    status);
	}
	*d = res.d;
	*err = res.err;
	return res.rc;
}

/* date_parse() of s gives the day want (an ISO date), with no time. */
static void
parses(const char *s, int32_t today, enum date_bias bias, const char *want)
{
	struct crm_date d = { -1, -2 };
	struct crm_err err = { "" };
	int rc = parse_isolated(s, today, bias, &d, &err);

	if (rc < 0) {
		ok(0, "'%s' (%s, today %s) parses", s,
		    bias == DATE_PAST ? "past" : "future", fmt(today));
		printf("#   error: %s\n", err.msg);
		return;
	}
	is_str(fmt(d.day), want, "'%s' (%s, today %s) is %s", s,
	    bias == DATE_PAST ? "past" : "future", fmt(today), want);
}

/* date_parse() of s fails with "invalid date 's'". */
static void
refuses(const char *s, int32_t today, enum date_bias bias)
{
	struct crm_date d;
	struct crm_err err = { "" };
	char want[200];

	snprintf(want, sizeof(want), "invalid date '%s'", s);
	is_int(parse_isolated(s, today, bias, &d, &err), -1, "'%s' (%s) is refused", s,
	    bias == DATE_PAST ? "past" : "future");
	is_str(err.msg, want, "'%s': the message names it", s);
}

static void
iso_ok(const char *s, const char *day, int sec)
{
	struct crm_date d = { 0, -2 };

	is_int(date_parse_iso(s, &d), 0, "ISO '%s' parses", s);
	is_str(fmt(d.day), day, "ISO '%s': the day", s);
	is_int(d.sec, sec, "ISO '%s': the time of day", s);
}

static void
iso_bad(const char *s)
{
	struct crm_date d;

	is_int(date_parse_iso(s, &d), -1, "ISO '%s' is refused", s);
}

static void
test_calendar(void)
{
	int y, m, d, yy = 1, mm = 1, dd = 1, bad = 0;
	int32_t day;

	is_int(D(1970, 1, 1), 0, "1970-01-01 is day 0");
	is_int(D(1970, 1, 2), 1, "1970-01-02 is day 1");
	is_int(D(1969, 12, 31), -1, "1969-12-31 is day -1");
	is_int(D(2000, 3, 1), 11017, "2000-03-01 is day 11017");
	is_int(D(2026, 11, 23), 20780, "2026-11-23 is day 20780");
	is_int(D(1, 1, 1), -719162, "0001-01-01 is day -719162");
	is_int(D(9999, 12, 31), 2932896, "9999-12-31 is day 2932896");

	/* Every day of years 1 to 9999, in order: the round trip and the
	 * step of one day agree with a plain calendar walk. */
	for (day = D(1, 1, 1); day <= D(9999, 12, 31); day++) {
		civil_from_days(day, &y, &m, &d);
		if (y != yy || m != mm || d != dd || D(y, m, d) != day) {
			if (bad++ < 5)
				printf("# day %ld: got %04d-%02d-%02d, want "
				    "%04d-%02d-%02d\n", (long)day, y, m, d, yy, mm, dd);
		}
		if (++dd > days_in_month(yy, mm)) {
			dd = 1;
			if (++mm > 12) {
				mm = 1;
				yy++;
			}
		}
	}
	is_int(bad, 0, "civil_from_days and days_from_civil agree on every day "
	    "from 0001-01-01 to 9999-12-31");

	ok(date_is_valid(2024, 2, 29), "2024-02-29 is a date (leap year)");
	ok(!date_is_valid(2026, 2, 29), "2026-02-29 is not");
	ok(!date_is_valid(2026, 2, 30), "2026-02-30 is not");
	ok(!date_is_valid(1900, 2, 29), "1900-02-29 is not (century)");
	ok(date_is_valid(2000, 2, 29), "2000-02-29 is (400 years)");
	ok(!date_is_valid(2026, 13, 1), "month 13 is not");
	ok(!date_is_valid(2026, 0, 1), "month 0 is not");
	ok(!date_is_valid(2026, 4, 31), "April 31 is not");
	ok(!date_is_valid(2026, 1, 0), "day 0 is not");
	ok(!date_is_valid(0, 1, 1), "year 0 is not");
	ok(date_is_valid(1, 1, 1), "year 1 is");
	ok(date_is_valid(9999, 12, 31), "9999-12-31 is");
	ok(!date_is_valid(10000, 1, 1), "year 10000 is not");

	is_int(days_in_month(2026, 1), 31, "January has 31 days");
	is_int(days_in_month(2026, 2), 28, "February 2026 has 28");
	is_int(days_in_month(2028, 2), 29, "February 2028 has 29");
	is_int(days_in_month(2100, 2), 28, "February 2100 has 28");
	is_int(days_in_month(2026, 4), 30, "April has 30");
	is_int(days_in_month(2026, 12), 31, "December has 31");

	is_int(day_of_week(D(2026, 11, 23)), 0, "2026-11-23 is a Monday");
	is_int(day_of_week(D(2026, 11, 29)), 6, "2026-11-29 is a Sunday");
	is_int(day_of_week(D(1970, 1, 1)), 3, "1970-01-01 was a Thursday");
	is_int(day_of_week(D(1969, 12, 31)), 2, "1969-12-31 was a Wednesday");
	is_int(day_of_week(D(1, 1, 1)), 0, "0001-01-01 was a Monday (proleptic)");
}

static void
test_iso(void)
{
	iso_ok("2026-11-23", "2026-11-23", -1);
	iso_ok("2026-11-23T14:30", "2026-11-23", 52200);
	iso_ok("2026-11-23 14:30", "2026-11-23", 52200);
	iso_ok("2026-11-23T14:30:15", "2026-11-23", 52215);
	iso_ok("2026-11-23T00:00", "2026-11-23", 0);
	iso_ok("2026-11-23T23:59:59", "2026-11-23", 86399);
	iso_ok("2026-11-23T14:30Z", "2026-11-23", 52200);
	/* An offset is kept as written, not applied: the day is the day written. */
	iso_ok("2026-11-23T23:30-05:00", "2026-11-23", 84600);
	iso_ok("2026-11-23T00:30+14:00", "2026-11-23", 1800);
	iso_ok("2026-11-23T14:30+0530", "2026-11-23", 52200);
	iso_ok("0001-01-01", "0001-01-01", -1);
	iso_ok("9999-12-31", "9999-12-31", -1);
	iso_ok("2024-02-29", "2024-02-29", -1);

	iso_bad("2026-02-30");
	iso_bad("2026-13-01");
	iso_bad("0000-00-00");
	iso_bad("0000-01-01");
	iso_bad("99999-01-01");
	iso_bad("2026-02-29");
	iso_bad("2026-1-1");
	iso_bad("26-11-23");
	iso_bad("2026/11/23");
	iso_bad("");
	iso_bad(" 2026-11-23");
	iso_bad("2026-11-23 ");
	iso_bad("2026-11-23x");
	iso_bad("2026-11-23T");
	iso_bad("2026-11-23T24:00");
	iso_bad("2026-11-23T12:60");
	iso_bad("2026-11-23T12:00:60");
	iso_bad("2026-11-23T1:00");
	iso_bad("2026-11-23T12:00+15:00");
	iso_bad("2026-11-23T12:00+01:60");
	iso_bad("2026-11-23T12:00+01");
	iso_bad("2026-11-23T12:00Zx");
	iso_bad("2026-11-23Z");
}

static void
test_words(void)
{
	int32_t t = D(2026, 11, 23);	/* a Monday */
	struct crm_date d;
	struct crm_err err;

	parses("today", t, DATE_PAST, "2026-11-23");
	parses("TODAY", t, DATE_FUTURE, "2026-11-23");
	parses("tomorrow", t, DATE_FUTURE, "2026-11-24");
	parses("Tomorrow", t, DATE_PAST, "2026-11-24");
	parses("yesterday", t, DATE_PAST, "2026-11-22");

	/* An ISO date is as written, whatever the bias; a time is kept. */
	parses("2027-07-05", t, DATE_PAST, "2027-07-05");
	parses("2020-07-05", t, DATE_FUTURE, "2020-07-05");
	d.sec = -2;
	is_int(date_parse("2026-07-05T14:30", t, DATE_PAST, &d, &err), 0,
	    "ISO date and time parse");
	is_int(d.sec, 52200, "the time of day is kept");
	d.sec = -2;
	is_int(date_parse("tomorrow", t, DATE_FUTURE, &d, &err), 0, "tomorrow parses");
	is_int(d.sec, -1, "a word gives a date without a time");
}

static void
test_relative(void)
{
	int32_t t = D(2026, 11, 23);

	parses("+3d", t, DATE_FUTURE, "2026-11-26");
	parses("+3", t, DATE_FUTURE, "2026-11-26");
	parses("-3d", t, DATE_PAST, "2026-11-20");
	parses("+0d", t, DATE_PAST, "2026-11-23");
	parses("+2w", t, DATE_FUTURE, "2026-12-07");
	parses("-2w", t, DATE_PAST, "2026-11-09");
	parses("+1m", t, DATE_FUTURE, "2026-12-23");
	parses("+2m", t, DATE_FUTURE, "2027-01-23");
	parses("-11m", t, DATE_PAST, "2025-12-23");
	parses("+1y", t, DATE_FUTURE, "2027-11-23");
	parses("-1y", t, DATE_PAST, "2025-11-23");
	parses("+100000d", t, DATE_FUTURE, "2300-09-08");

	/* A month later is the same day number, clamped to the month's end. */
	parses("+1m", D(2026, 1, 31), DATE_FUTURE, "2026-02-28");
	parses("+1m", D(2028, 1, 31), DATE_FUTURE, "2028-02-29");
	parses("+1m", D(2026, 3, 31), DATE_FUTURE, "2026-04-30");
	parses("-1m", D(2026, 3, 31), DATE_PAST, "2026-02-28");
	parses("+13m", D(2026, 1, 31), DATE_FUTURE, "2027-02-28");
	parses("-1m", D(2026, 1, 15), DATE_PAST, "2025-12-15");
	parses("+1y", D(2028, 2, 29), DATE_FUTURE, "2029-02-28");
	parses("-4y", D(2028, 2, 29), DATE_PAST, "2024-02-29");

	refuses("+1x", t, DATE_FUTURE);
	refuses("++1d", t, DATE_FUTURE);
	refuses("+d", t, DATE_FUTURE);
	refuses("+1dd", t, DATE_FUTURE);
	refuses("+100001d", t, DATE_FUTURE);
	refuses("+1 d", t, DATE_FUTURE);
	/* Out of the years 1 to 9999. */
	refuses("+1m", D(9999, 12, 1), DATE_FUTURE);
	refuses("+100000y", t, DATE_FUTURE);
	refuses("-3000y", t, DATE_PAST);
}

static void
test_weekdays(void)
{
	int32_t t = D(2026, 11, 23);	/* Monday */
	int32_t fri = D(2026, 11, 27);	/* Friday */

	/* --next: the next such day after today; --date: the last before. */
	parses("monday", t, DATE_FUTURE, "2026-11-30");
	parses("monday", t, DATE_PAST, "2026-11-16");
	parses("tuesday", t, DATE_FUTURE, "2026-11-24");
	parses("tuesday", t, DATE_PAST, "2026-11-17");
	parses("friday", t, DATE_FUTURE, "2026-11-27");
	parses("friday", t, DATE_PAST, "2026-11-20");
	parses("sunday", t, DATE_FUTURE, "2026-11-29");
	parses("sunday", t, DATE_PAST, "2026-11-22");
	parses("fri", t, DATE_FUTURE, "2026-11-27");
	parses("Fri", t, DATE_PAST, "2026-11-20");
	parses("FRIDAY", t, DATE_FUTURE, "2026-11-27");
	parses("frid", t, DATE_FUTURE, "2026-11-27");
	parses("wed", t, DATE_FUTURE, "2026-11-25");
	parses("thu", t, DATE_PAST, "2026-11-19");
	parses("sat", t, DATE_FUTURE, "2026-11-28");

	/* From a Friday, "friday" is a week away either way. */
	parses("friday", fri, DATE_FUTURE, "2026-12-04");
	parses("friday", fri, DATE_PAST, "2026-11-20");
	parses("monday", fri, DATE_FUTURE, "2026-11-30");
	parses("monday", fri, DATE_PAST, "2026-11-23");

	refuses("fr", t, DATE_FUTURE);
	refuses("fridays", t, DATE_FUTURE);
	refuses("someday", t, DATE_FUTURE);
}

static void
test_day_month(void)
{
	int32_t t = D(2026, 11, 23);

	/* Without a year: on or after today (future), on or before (past). */
	parses("5jul", t, DATE_FUTURE, "2027-07-05");
	parses("5jul", t, DATE_PAST, "2026-07-05");
	parses("5 jul", t, DATE_FUTURE, "2027-07-05");
	parses("jul 5", t, DATE_FUTURE, "2027-07-05");
	parses("jul 5", t, DATE_PAST, "2026-07-05");
	parses("July 5", t, DATE_PAST, "2026-07-05");
	parses("5 July", t, DATE_FUTURE, "2027-07-05");
	parses("05jul", t, DATE_FUTURE, "2027-07-05");
	parses("5 jul.", t, DATE_FUTURE, "2027-07-05");
	parses("jul. 5", t, DATE_FUTURE, "2027-07-05");
	parses("5 sept", t, DATE_FUTURE, "2027-09-05");
	parses("23nov", t, DATE_FUTURE, "2026-11-23");
	parses("23nov", t, DATE_PAST, "2026-11-23");
	parses("24 nov", t, DATE_FUTURE, "2026-11-24");
	parses("24 nov", t, DATE_PAST, "2025-11-24");
	parses("22 nov", t, DATE_FUTURE, "2027-11-22");
	parses("22 nov", t, DATE_PAST, "2026-11-22");
	parses("dec 31", t, DATE_FUTURE, "2026-12-31");
	parses("dec 31", t, DATE_PAST, "2025-12-31");
	parses("1 jan", t, DATE_FUTURE, "2027-01-01");
	parses("1 jan", t, DATE_PAST, "2026-01-01");
	/* 29 February: the first one on or after today is in 2028, the last
	 * one on or before it in 2024. */
	parses("29 feb", t, DATE_FUTURE, "2028-02-29");
	parses("29 feb", t, DATE_PAST, "2024-02-29");
	parses("29feb", D(2028, 3, 1), DATE_PAST, "2028-02-29");
	parses("29feb", D(2028, 2, 29), DATE_FUTURE, "2028-02-29");

	/* With a year: as written, whatever the bias. */
	parses("5 july 2027", t, DATE_PAST, "2027-07-05");
	parses("5 july 2027", t, DATE_FUTURE, "2027-07-05");
	parses("july 5 2020", t, DATE_FUTURE, "2020-07-05");
	parses("5jul2027", t, DATE_FUTURE, "2027-07-05");
	parses("29 feb 2028", t, DATE_FUTURE, "2028-02-29");
	parses("5, july, 2027", t, DATE_FUTURE, "2027-07-05");

	refuses("jul", t, DATE_FUTURE);
	refuses("5", t, DATE_FUTURE);
	refuses("32 jul", t, DATE_FUTURE);
	refuses("0 jul", t, DATE_FUTURE);
	refuses("31 apr", t, DATE_FUTURE);
	refuses("30 feb", t, DATE_PAST);
	refuses("29 feb 2027", t, DATE_FUTURE);
	refuses("5 july 27", t, DATE_FUTURE);
	refuses("5 july 02027", t, DATE_FUTURE);
	refuses("2027 july 5", t, DATE_FUTURE);
	refuses("5 jul jul", t, DATE_FUTURE);
	refuses("5 ju", t, DATE_FUTURE);
	refuses("5 6 jul", t, DATE_FUTURE);
	refuses("5/jul", t, DATE_FUTURE);
}

static void
test_refused(void)
{
	int32_t t = D(2026, 11, 23);
	struct crm_date d;
	struct crm_err err;
	char longer[100];

	refuses("", t, DATE_PAST);
	refuses("2026-02-30", t, DATE_PAST);
	refuses("2026-13-01", t, DATE_PAST);
	refuses("0000-00-00", t, DATE_PAST);
	refuses("99999-01-01", t, DATE_FUTURE);
	refuses("2026-11-23T25:00", t, DATE_PAST);
	refuses("next week", t, DATE_FUTURE);
	refuses("1,5", t, DATE_FUTURE);

	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	is_int(date_parse(longer, t, DATE_PAST, &d, &err), -1,
	    "a 99-letter word is refused");
	ok(strncmp(err.msg, "invalid date 'aaaa", 18) == 0,
	    "and the message quotes it: %s", err.msg);
	/* A control character in the message is escaped. */
	is_int(date_parse("to\nday", t, DATE_PAST, &d, &err), -1,
	    "a line break is refused");
	is_str(err.msg, "invalid date 'to\\nday'", "and escaped in the message");
}

static void
test_span(void)
{
	struct crm_err err;
	char unit = '?';
	int n = -1;

	is_int(date_parse_span("7d", &n, &unit, &err), 0, "7d is a span");
	ok(n == 7 && unit == 'd', "7d is 7 days");
	is_int(date_parse_span("2w", &n, &unit, &err), 0, "2w is a span");
	ok(n == 2 && unit == 'w', "2w is 2 weeks");
	is_int(date_parse_span("1m", &n, &unit, &err), 0, "1m is a span");
	ok(n == 1 && unit == 'm', "1m is a month");
	is_int(date_parse_span("3y", &n, &unit, &err), 0, "3y is a span");
	ok(n == 3 && unit == 'y', "3y is 3 years");
	is_int(date_parse_span("10", &n, &unit, &err), 0, "a bare number is a span");
	ok(n == 10 && unit == 'd', "a bare number counts days");
	is_int(date_parse_span("0d", &n, &unit, &err), 0, "0d is a span");
	is_int(n, 0, "of 0 days");

	is_int(date_parse_span("", &n, &unit, &err), -1, "an empty span is refused");
	is_str(err.msg, "invalid length of time '' (examples: 7d, 2w, 1m)",
	    "with examples");
	is_int(date_parse_span("-1d", &n, &unit, &err), -1, "a negative span is refused");
	is_str(err.msg, "invalid length of time '-1d' (examples: 7d, 2w, 1m)",
	    "with examples");
	is_int(date_parse_span("7x", &n, &unit, &err), -1, "7x is refused");
	is_str(err.msg, "invalid length of time '7x' (examples: 7d, 2w, 1m)",
	    "with examples");
	is_int(date_parse_span("7dd", &n, &unit, &err), -1, "7dd is refused");
	is_int(date_parse_span("100001", &n, &unit, &err), -1, "a huge span is refused");
	is_str(err.msg, "invalid length of time '100001'", "named");
}

static void
test_add_format(void)
{
	char buf[32];
	struct crm_date d;

	is_str(fmt(date_add(D(2026, 11, 23), 3, 'd')), "2026-11-26", "add 3 days");
	is_str(fmt(date_add(D(2026, 11, 23), -30, 'd')), "2026-10-24", "take 30 days");
	is_str(fmt(date_add(D(2026, 12, 30), 1, 'w')), "2027-01-06", "add a week over new year");
	is_str(fmt(date_add(D(2026, 1, 31), 1, 'm')), "2026-02-28", "Jan 31 + 1 month");
	is_str(fmt(date_add(D(2026, 5, 31), -1, 'm')), "2026-04-30", "May 31 - 1 month");
	is_str(fmt(date_add(D(2026, 1, 10), -13, 'm')), "2024-12-10", "13 months back");
	is_str(fmt(date_add(D(2024, 2, 29), 1, 'y')), "2025-02-28", "Feb 29 + 1 year");
	is_str(fmt(date_add(D(2024, 2, 29), 4, 'y')), "2028-02-29", "Feb 29 + 4 years");
	is_str(fmt(date_add(D(2024, 2, 29), -100, 'y')), "1924-02-29", "Feb 29 - 100 years");

	is_str(fmt(D(2026, 11, 23)), "2026-11-23", "date_format");
	is_str(fmt(D(1, 1, 1)), "0001-01-01", "date_format pads the year");
	is_str(fmt(D(9999, 12, 31)), "9999-12-31", "date_format of the last day");

	d.day = D(2026, 11, 23);
	d.sec = -1;
	date_format_full(buf, &d);
	is_str(buf, "2026-11-23", "date_format_full without a time");
	d.sec = 0;
	date_format_full(buf, &d);
	is_str(buf, "2026-11-23T00:00", "midnight");
	d.sec = 52200;
	date_format_full(buf, &d);
	is_str(buf, "2026-11-23T14:30", "seconds left out when zero");
	d.sec = 86399;
	date_format_full(buf, &d);
	is_str(buf, "2026-11-23T23:59:59", "seconds kept when not zero");
}

static void
test_today(void)
{
	struct crm_err err;
	struct crm_date now;
	int32_t today = 0, clock_day;
	time_t t;
	struct tm tm;

	unsetenv("CRM_TODAY");
	is_int(date_today("2026-11-23", &today, &err), 0, "--today 2026-11-23");
	is_str(fmt(today), "2026-11-23", "is taken");
	is_int(date_today("2026-13-01", &today, &err), -1, "--today 2026-13-01 is refused");
	is_str(err.msg, "invalid date '2026-13-01' in --today", "and named");
	is_int(date_today("tomorrow", &today, &err), -1, "--today wants an ISO date");
	is_str(err.msg, "invalid date 'tomorrow' in --today", "and names it");

	setenv("CRM_TODAY", "2027-03-04", 1);
	is_int(date_today(NULL, &today, &err), 0, "$CRM_TODAY");
	is_str(fmt(today), "2027-03-04", "is taken");
	is_int(date_today("2026-11-23", &today, &err), 0, "--today and $CRM_TODAY");
	is_str(fmt(today), "2026-11-23", "--today wins");
	setenv("CRM_TODAY", "2027-02-29", 1);
	is_int(date_today(NULL, &today, &err), -1, "a bad $CRM_TODAY is refused");
	is_str(err.msg, "invalid date '2027-02-29' in $CRM_TODAY", "and named");

	setenv("CRM_TODAY", "", 1);
	t = time(NULL);
	localtime_r(&t, &tm);
	clock_day = D(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	is_int(date_today(NULL, &today, &err), 0, "an empty $CRM_TODAY: the clock");
	ok(today == clock_day || today == clock_day + 1, "today is the clock's day");
	unsetenv("CRM_TODAY");

	date_now(D(2026, 11, 23), 1, &now);
	is_str(fmt(now.day), "2026-11-23", "date_now with today fixed: that day");
	is_int(now.sec, -1, "and no time of day");
	date_now(D(2026, 11, 23), 0, &now);
	ok(now.day == clock_day || now.day == clock_day + 1,
	    "date_now with today not fixed: the clock's day");
	ok(now.sec >= 0 && now.sec < 86400 && now.sec % 60 == 0,
	    "and the time to the minute (%ld)", (long)now.sec);
}

int
main(void)
{
	test_calendar();
	test_iso();
	test_words();
	test_relative();
	test_weekdays();
	test_day_month();
	test_refused();
	test_span();
	test_add_format();
	test_today();
	return done_testing();
}
