/*
 * test_money.c - lib/money.c: amounts as integer hundredths (crm(7)
 * "Money").  A decimal comma, an exponent, a thousands separator, NaN or
 * more than two decimal places is an error, never a guess.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "money.h"

static void
good(const char *s, money_t want)
{
	struct crm_err err = { "" };
	money_t v = -424242;

	is_int(money_parse(s, &v, &err), 0, "'%s' is an amount", q(s));
	is_int(v, want, "'%s' is %lld hundredths", q(s), (long long)want);
}

/* s is refused with exactly the message msg. */
static void
bad(const char *s, const char *msg)
{
	struct crm_err err = { "" };
	money_t v = 4242;

	is_int(money_parse(s, &v, &err), -1, "'%s' is refused", q(s));
	is_str(err.msg, msg, "'%s': the message", q(s));
	is_int(v, 4242, "'%s': the result is left alone", q(s));
}

static const char *
fmt(money_t v)
{
	static char buf[4][32];
	static int i;

	i = (i + 1) % 4;
	money_format(buf[i], v);
	return buf[i];
}

int
main(void)
{
	money_t acc;
	int i;

	good("0", 0);
	good("1", 100);
	good("1.5", 150);
	good("1.50", 150);
	good("1.05", 105);
	good("0.01", 1);
	good("1234.50", 123450);
	good("+2.5", 250);
	good("-12.50", -1250);
	good("007", 700);
	/* "1.500" is 1.50: a third decimal is allowed only as a zero. */
	good("1.500", 150);
	good("1.5000", 150);
	/* -0 is zero, not a negative amount. */
	good("-0", 0);
	good("-0.00", 0);
	good("+0", 0);
	/* Blanks around it are ignored. */
	good(" 3.25 ", 325);
	good("\t4\t", 400);
	good("  -1 ", -100);
	/* The largest amounts: thirteen digits before the point. */
	good("9999999999999.99", 999999999999999LL);
	good("-9999999999999.99", -999999999999999LL);

	bad("1,5", "invalid amount '1,5' (use a decimal point and no thousands "
	    "separator: 1234.50)");
	bad("1,234.50", "invalid amount '1,234.50' (use a decimal point and no "
	    "thousands separator: 1234.50)");
	bad("1e309", "invalid amount '1e309'");
	bad("1e2", "invalid amount '1e2'");
	bad("1.5E3", "invalid amount '1.5E3'");
	bad("NaN", "invalid amount 'NaN'");
	bad("nan", "invalid amount 'nan'");
	bad("inf", "invalid amount 'inf'");
	bad("-Infinity", "invalid amount '-Infinity'");
	bad("0x10", "invalid amount '0x10'");
	/* A dotted thousands separator is not two decimal places. */
	bad("12.345.678", "invalid amount '12.345.678' (use a decimal point "
	    "and no thousands separator: 1234.50)");
	bad("1.000.000", "invalid amount '1.000.000' (use a decimal point "
	    "and no thousands separator: 1234.50)");
	bad("1.234", "invalid amount '1.234' (more than two decimal places)");
	bad("1.001", "invalid amount '1.001' (more than two decimal places)");
	bad("0.009", "invalid amount '0.009' (more than two decimal places)");
	bad("", "invalid amount ''");
	bad("   ", "invalid amount '   '");
	bad("-", "invalid amount '-'");
	bad("+", "invalid amount '+'");
	bad(".5", "invalid amount '.5'");
	bad("5.", "invalid amount '5.'");
	bad("--1", "invalid amount '--1'");
	bad("+-1", "invalid amount '+-1'");
	bad("1-", "invalid amount '1-'");
	bad("1 000", "invalid amount '1 000'");
	bad("1 .5", "invalid amount '1 .5'");
	bad("12 EUR", "invalid amount '12 EUR'");
	bad("$12", "invalid amount '$12'");
	bad("\xd9\xa1", "invalid amount '\xd9\xa1'");	/* an Arabic-Indic one */
	bad("1\n", "invalid amount '1\\n'");
	/* Ten trillion or more: too large for one field. */
	bad("10000000000000", "invalid amount '10000000000000' (too large)");
	bad("-10000000000000", "invalid amount '-10000000000000' (too large)");
	bad("99999999999999999999999", "invalid amount '99999999999999999999999' "
	    "(too large)");

	/* The log's usual form, built from known numbers: 1 to 13 digits
	 * (zeros in front too), a point, two decimals; and the same with a
	 * sign, a blank or one decimal, which take the general path. */
	{
		uint64_t x = 88172645463325252ULL;
		int k, wrong = 0;

		for (k = 0; k < 100000; k++) {
			char buf[40];
			unsigned long long units;
			unsigned cents;
			int digits, form;
			money_t v = -1, want;

			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			digits = 1 + (int)(x % 13);	/* zeros in front to this width */
			units = (x >> 8) % 10000000000000ULL;
			cents = (unsigned)((x >> 52) % 100);
			form = (int)((x >> 60) % 4);
			if (form == 0)
				snprintf(buf, sizeof(buf), "%0*llu.%02u", digits, units, cents);
			else if (form == 1)
				snprintf(buf, sizeof(buf), "-%llu.%02u", units, cents);
			else if (form == 2)
				snprintf(buf, sizeof(buf), " %llu.%02u", units, cents);
			else
				snprintf(buf, sizeof(buf), "%llu.%u", units, cents % 10);
			want = (money_t)(form == 3 ? units * 100 + (cents % 10) * 10 :
			    units * 100 + cents);
			if (form == 1)
				want = -want;
			if (money_parse(buf, &v, NULL) != 0 || v != want) {
				if (wrong++ < 3)
					printf("# '%s': %lld, not %lld\n", buf,
					    (long long)v, (long long)want);
			}
		}
		is_int(wrong, 0, "100,000 amounts built from known numbers read back "
		    "as those numbers");
	}

	is_str(fmt(0), "0.00", "format 0");
	is_str(fmt(5), "0.05", "format 5 hundredths");
	is_str(fmt(-5), "-0.05", "format -5 hundredths");
	is_str(fmt(123450), "1234.50", "format 1234.50");
	is_str(fmt(-1250), "-12.50", "format -12.50");
	is_str(fmt(100), "1.00", "format 1.00");
	is_str(fmt(999999999999999LL), "9999999999999.99", "format the largest field");
	is_str(fmt(INT64_MAX), "92233720368547758.07", "format INT64_MAX");
	is_str(fmt(INT64_MIN), "-92233720368547758.08", "format INT64_MIN");

	/* 0.10 + 0.20 is exactly 0.30, a thousand times over. */
	acc = 0;
	for (i = 0; i < 1000; i++) {
		money_t a, b;

		money_parse("0.10", &a, NULL);
		money_parse("0.20", &b, NULL);
		money_add(&acc, a);
		money_add(&acc, b);
	}
	is_int(acc, 30000, "1000 x (0.10 + 0.20) is exactly 300.00");
	is_str(fmt(acc), "300.00", "and prints so");

	acc = INT64_MAX - 1;
	is_int(money_add(&acc, 1), 0, "adding up to INT64_MAX works");
	is_int(acc, INT64_MAX, "and gives INT64_MAX");
	is_int(money_add(&acc, 1), -1, "one more overflows");
	is_int(acc, INT64_MAX, "and leaves the sum alone");
	acc = INT64_MIN;
	is_int(money_add(&acc, -1), -1, "below INT64_MIN overflows");
	is_int(acc, INT64_MIN, "and leaves the sum alone");
	acc = 100;
	is_int(money_add(&acc, -250), 0, "a refund");
	is_int(acc, -150, "may take the sum below zero");
	/* 9,223 of the largest amounts fit an int64 of cents; the next one
	 * is an overflow, reported, not a wrapped sum (money.h). */
	acc = 0;
	for (i = 0; i < 900000; i++)
		if (money_add(&acc, 999999999999999LL) < 0)
			break;
	is_int(i, 9223, "9,223 of the largest amounts add up, the next overflows");
	ok(acc > 0, "and the sum is left as it was, not wrapped");

	is_near(money_to_double(123450), 1234.5, 1e-9, "1234.50 as a double");
	is_near(money_to_double(-5), -0.05, 1e-12, "-0.05 as a double");
	is_near(money_to_double(0), 0, 0, "0 as a double");
	return done_testing();
}
