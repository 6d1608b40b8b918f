/*
 * fuzz_money.c - libFuzzer target for the money parser.  An amount that
 * is accepted is within the limits, and written back and read again it
 * is the same number of cents.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "money.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), buf[32];
	struct crm_err err;
	money_t v, back;
	int64_t ppm;

	if (money_parse(s, &v, &err) == 0) {
		if (v >= MONEY_MAX_UNITS * MONEY_SCALE || v <= -MONEY_MAX_UNITS * MONEY_SCALE)
			abort();
		money_format(buf, v);
		if (money_parse(buf, &back, &err) < 0 || back != v)
			abort();
	}
	if (micro_parse(s, 1, &ppm) == 0)
		(void)money_ratio(MONEY_MAX_UNITS * MONEY_SCALE - 1, ppm);
	free(s);
	return 0;
}
