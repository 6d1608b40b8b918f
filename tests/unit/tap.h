/*
 * tap.h - a minimal TAP producer for the C unit tests of lib/ (in the
 * spirit of minunit): each check prints "ok N - name" or "not ok N",
 * done_testing() prints the plan and returns the exit status, so that
 * prove(1) runs the binaries beside the shell tests.
 */
#ifndef CRM_TAP_H
#define CRM_TAP_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_count, tap_failed;

static void __attribute__((format(printf, 4, 5)))
tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	printf("%sok %d - ", pass ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!pass) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define is_int(got, want, ...) do { \
	long long tap_g_ = (long long)(got), tap_w_ = (long long)(want); \
	tap_ok(tap_g_ == tap_w_, __FILE__, __LINE__, __VA_ARGS__); \
	if (tap_g_ != tap_w_) \
		printf("#   got %lld, want %lld\n", tap_g_, tap_w_); \
} while (0)

#define is_str(got, want, ...) do { \
	const char *tap_g_ = (got), *tap_w_ = (want); \
	int tap_p_ = tap_g_ && tap_w_ ? strcmp(tap_g_, tap_w_) == 0 : tap_g_ == tap_w_; \
	tap_ok(tap_p_, __FILE__, __LINE__, __VA_ARGS__); \
	if (!tap_p_) \
		printf("#   got '%s', want '%s'\n", tap_g_ ? tap_g_ : "(null)", \
		    tap_w_ ? tap_w_ : "(null)"); \
} while (0)

/* is_near(): |got - want| <= tol */
#define is_near(got, want, tol, ...) do { \
	double tap_g_ = (got), tap_w_ = (want); \
	int tap_p_ = fabs(tap_g_ - tap_w_) <= (tol); \
	tap_ok(tap_p_, __FILE__, __LINE__, __VA_ARGS__); \
	if (!tap_p_) \
		printf("#   got %.10g, want %.10g (tolerance %g)\n", tap_g_, tap_w_, \
		    (double)(tol)); \
} while (0)

static int
done_testing(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif
