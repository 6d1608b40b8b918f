/*
 * test_writer.c - lib/writer.c: a CSV line, quoted as RFC 4180 has it,
 * whichever way writer.c takes to a field (its short fields of up to 16
 * bytes go by word loads, the rest byte by byte), against a plain
 * byte-by-byte statement of the rule.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "writer.h"

/* The rule: a field with a comma, a double quote, a CR or an LF is put
 * in double quotes, with its double quotes doubled. */
static void
expect_field(struct sbuf *sb, const char *s)
{
	size_t i, n = strlen(s);
	int quote = 0;

	for (i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			quote = 1;
	if (!quote) {
		sb_add(sb, s, n);
		return;
	}
	sb_addc(sb, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			sb_addc(sb, '"');
		sb_addc(sb, s[i]);
	}
	sb_addc(sb, '"');
}

static void
expect_line(struct sbuf *sb, const char *const *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			sb_addc(sb, ',');
		expect_field(sb, f[i]);
	}
	sb_addc(sb, '\n');
}

int
main(void)
{
	/* Bytes about those that need quotes, below '-' and above it. */
	static const char fill[] = "09az -.+*#!\x7f\xd0\xb6";
	static const char odd[] = ",\"\r\n +*,";
	const char *names[3] = { "a", "b", "c" };
	FILE *null = fopen("/dev/null", "w");
	struct writer *w = null ? wr_open(null, OUT_CSV, 0) : NULL;
	struct sbuf got = SBUF_INIT, want = SBUF_INIT;
	char *buf = malloc(64);
	size_t n, p, c, lines = 0, bad = 0;
	uint32_t x = 2463534242U;

	if (!w || !buf)
		return 1;
	wr_header(w, 3, names, NULL);
	/*
	 * Every length to 20, each byte of odd[] at each place, in fields
	 * at the end of the buffer (so that a read past the NUL would be
	 * seen by ASan and valgrind) and within it, the rest from fill[].
	 */
	for (n = 0; n <= 20; n++) {
		for (p = 0; p <= n; p++) {
			for (c = 0; c < sizeof(odd) - 1; c++) {
				char *s = buf + 64 - n - 1;
				const char *f[3];
				size_t i;

				for (i = 0; i < n; i++) {
					x ^= x << 13;
					x ^= x >> 17;
					x ^= x << 5;
					s[i] = fill[x % (sizeof(fill) - 1)];
				}
				if (p < n)
					s[p] = odd[c];
				s[n] = '\0';
				f[0] = s;
				f[1] = n % 2 ? "" : s;
				f[2] = s + n / 2;
				sb_reset(&got);
				sb_reset(&want);
				sb_add(&got, "x", 1);	/* after what is there */
				sb_add(&want, "x", 1);
				wr_format(w, &got, f);
				expect_line(&want, f, 3);
				lines++;
				if (got.len != want.len || memcmp(got.buf, want.buf, got.len)) {
					if (bad++ < 5)
						printf("# length %zu, byte %zu: got '%s', want '%s'\n",
						    n, p, got.buf, want.buf);
				}
			}
		}
	}
	is_int(bad, 0, "%zu lines of fields of 0 to 20 bytes: quoted as the rule has it",
	    lines);
	ok(got.buf[got.len] == '\0', "the line is followed by a NUL");

	/* A long line, which grows the buffer as it goes. */
	{
		char big[100];
		const char *f[3] = { big, "1,5", big };

		memset(big, 'q', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		sb_reset(&got);
		sb_reset(&want);
		wr_format(w, &got, f);
		expect_line(&want, f, 3);
		is_str(got.buf, want.buf, "fields of 99 bytes and one to quote");
	}
	sb_release(&got);
	sb_release(&want);
	free(buf);
	{
		struct crm_err err;

		wr_close(w, &err);
	}
	fclose(null);
	return done_testing();
}
