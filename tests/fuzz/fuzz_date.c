/*
 * fuzz_date.c - libFuzzer target for the date parsers.  A date that is
 * accepted is a real one, and written back and read again it is the
 * same date.
 */
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), buf[32];
	struct crm_date d, back;
	struct crm_err err;
	int y, m, dd, bias;

	for (bias = 0; bias < 2; bias++) {
		if (date_parse(s, 20415, bias ? DATE_PAST : DATE_FUTURE, &d, &err) < 0)
			continue;
		civil_from_days(d.day, &y, &m, &dd);
		if (!date_is_valid(y, m, dd))
			abort();
		date_format_full(buf, &d);
		if (date_parse_iso(buf, &back) < 0 || back.day != d.day ||
		    back.sec != d.sec)
			abort();
	}
	if (date_parse_iso(s, &d) == 0) {
		civil_from_days(d.day, &y, &m, &dd);
		if (!date_is_valid(y, m, dd) || d.sec < -1 || d.sec >= 86400)
			abort();
	}
	free(s);
	return 0;
}
