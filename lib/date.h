/*
 * date.h - calendar dates as people type them and as the files keep them.
 *
 * A day is the number of days since 1970-01-01 (proleptic Gregorian),
 * which makes "days overdue" a subtraction.  Years 1 to 9999 only: a
 * five-digit year is a typing error, not a date.
 */
#ifndef CRM_DATE_H
#define CRM_DATE_H

#include <stdint.h>

#include "util.h"

/* A date from a file: the day, and the time of day when one was given. */
struct crm_date {
	int32_t day;
	int32_t sec;	/* seconds since midnight, or -1 for a date alone */
};

int32_t days_from_civil(int y, int m, int d);
void civil_from_days(int32_t day, int *y, int *m, int *d);
int date_is_valid(int y, int m, int d);
int days_in_month(int y, int m);
/* 0 = Monday ... 6 = Sunday */
int day_of_week(int32_t day);

/*
 * date_parse_iso() parses the forms kept in the files: YYYY-MM-DD,
 * optionally followed by 'T' or ' ', HH:MM[:SS] and a 'Z' or +HH:MM
 * offset (kept as written, not applied: the day is the day written).
 * Returns 0, or -1 when s is not such a date or not a real one.
 */
int date_parse_iso(const char *s, struct crm_date *out);

/*
 * Which way a date given without a year, or a weekday name, points:
 * DATE_FUTURE for dates to come (--next, --until), DATE_PAST for dates
 * gone by (--date, --since).
 */
enum date_bias { DATE_FUTURE, DATE_PAST };

/*
 * date_parse() accepts everything a user may type where a date is
 * expected: the ISO forms above; today, tomorrow, yesterday; +3d, -2w,
 * +1m, +1y (a month later is the same day number, clamped to the
 * month's end); a weekday name or its first three letters (the next
 * such day after today, or with DATE_PAST the last one before it);
 * "5jul", "5 jul", "jul 5", "5 july 2027" (without a year, the first
 * such day on or after today, or with DATE_PAST on or before it).
 * Returns 0, or -1 with "invalid date 'S'" in err.
 */
int date_parse(const char *s, int32_t today, enum date_bias bias,
    struct crm_date *out, struct crm_err *err);

/*
 * date_parse_span() parses a length of time such as 7d, 2w, 1m, 1y or
 * a bare number of days, into *n and *unit ('d', 'w', 'm' or 'y').
 */
int date_parse_span(const char *s, int *n, char *unit, struct crm_err *err);
/* date_add() moves day by n units; months and years clamp the day. */
int32_t date_add(int32_t day, int n, char unit);

/* date_format() writes YYYY-MM-DD (11 bytes with the NUL). */
void date_format(char *buf, int32_t day);
/* date_format_full() adds "THH:MM" (and ":SS" when not zero) for a time;
 * buf must hold 32 bytes. */
void date_format_full(char *buf, const struct crm_date *d);

/*
 * date_today() sets *today from arg (--today) when not NULL, else from
 * $CRM_TODAY, else from the local clock.  The first two must be ISO
 * dates.  Returns 0, or -1 with the message in err.
 */
int date_today(const char *arg, int32_t *today, struct crm_err *err);

/*
 * date_now() gives the current local date and time, or today's date
 * alone when the day was fixed by --today or $CRM_TODAY (so that tests
 * and scripts are reproducible).
 */
void date_now(int32_t today, int fixed, struct crm_date *out);

#endif
