#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tap.h"
#include "util.h"
#include "idmap.h"
#include "writer.h"

static uint64_t rnd_state = 88172645463325252ULL;

static uint64_t
rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

/* A value of any size: random bits, shifted down by a random count. */
static unsigned long long
rnd_any(void)
{
	return (unsigned long long)(rnd() >> (rnd() % 64));
}

/*
 * The number writers against printf: fmt_uint() against "%llu",
 * fmt_scaled() against the integer and its remainder printed apart,
 * fmt_fixed() against "%.*f", which it promises to match (but for a
 * value that rounds to zero from below: printf's "-0.00" is written
 * without the minus).
 */
static void
test_numbers(void)
{
	static const long long p10[] = { 1, 10, 100, 1000, 10000, 100000,
		1000000, 10000000, 100000000, 1000000000 };
	char got[64], want[64];
	long bad = 0, bad_s = 0, bad_f = 0, i;
	size_t n;

	for (i = 0; i < 200000; i++) {
		unsigned long long v = i < 3 ? (unsigned long long[]){ 0, 9, ULLONG_MAX }[i] :
		    rnd_any();

		n = fmt_uint(got, v);
		snprintf(want, sizeof(want), "%llu", v);
		bad += strcmp(got, want) != 0 || n != strlen(want);
	}
	is_int(bad, 0, "fmt_uint() writes 200,000 numbers as %%llu does");

	for (i = 0; i < 200000; i++) {
		int d = (int)(rnd() % 10);
		long long k = (long long)(rnd_any() >> 1);
		unsigned long long a;

		if (rnd() % 2)
			k = -k;
		if (i == 0)
			k = LLONG_MIN;
		a = k < 0 ? 0ULL - (unsigned long long)k : (unsigned long long)k;
		if (d)
			snprintf(want, sizeof(want), "%s%llu.%0*llu", k < 0 ? "-" : "",
			    a / (unsigned long long)p10[d], d,
			    a % (unsigned long long)p10[d]);
		else
			snprintf(want, sizeof(want), "%lld", k);
		n = fmt_scaled(got, k, d);
		bad_s += strcmp(got, want) != 0 || n != strlen(want);
	}
	is_int(bad_s, 0, "fmt_scaled() writes 200,000 scaled integers exactly");

	for (i = 0; i < 200000; i++) {
		int d = (int)(rnd() % 10);
		/* Up to 1e10, past the integer path's bound of 1e9. */
		double v = (double)(rnd() % 10000000000000ULL) / (double)p10[rnd() % 10];

		if (rnd() % 2)
			v = -v;
		fmt_fixed(got, v, d);
		snprintf(want, sizeof(want), "%.*f", d, v);
		if (want[0] == '-' && strspn(want + 1, "0.") == strlen(want + 1))
			memmove(want, want + 1, strlen(want));
		bad_f += strcmp(got, want) != 0;
		if (strcmp(got, want) != 0 && bad_f < 4)
			printf("# fmt_fixed(%.17g, %d): %s, printf %s\n", v, d, got, want);
	}
	is_int(bad_f, 0, "fmt_fixed() writes 200,000 doubles as %%.*f does");
}

/* wr_pieces(): 20 pieces of 100 lines, the piece fail_piece failing
 * at its line fail_line (none when past them). */
struct pieces {
	const struct writer *w;
	size_t fail_piece, fail_line;
};

static int
make_piece(void *v, size_t k, int thread, struct sbuf *sb)
{
	const struct pieces *pc = v;
	char a[32], b[32];
	const char *f[3] = { a, b, "x, \"y\"" };
	size_t i;

	(void)thread;
	for (i = 0; i < 100; i++) {
		if (k == pc->fail_piece && i == pc->fail_line)
			return -1;
		snprintf(a, sizeof(a), "p%zu", k);
		snprintf(b, sizeof(b), "%zu", i);
		wr_format(pc->w, sb, f);
	}
	return 0;
}

/* The text and the result of wr_pieces() in threads threads. */
static char *
run_pieces(int threads, size_t fail_piece, size_t fail_line, int *rc)
{
	static const char *const h[3] = { "piece", "line", "text" };
	struct pieces pc = { NULL, fail_piece, fail_line };
	struct crm_err err;
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	struct writer *w = wr_open(fp, OUT_CSV, 0);

	wr_header(w, 3, h, NULL);
	pc.w = w;
	*rc = wr_pieces(w, 20, make_piece, &pc, threads);
	wr_close(w, &err);
	fclose(fp);
	return text;
}

static void
test_pieces(void)
{
	char *one, *two;
	int rc1, rc2;

	one = run_pieces(1, 99, 0, &rc1);
	two = run_pieces(2, 99, 0, &rc2);
	ok(rc1 == 0 && rc2 == 0 && strcmp(one, two) == 0 &&
	    strstr(one, "p19,99,\"x, \"\"y\"\"\"\n") != NULL,
	    "wr_pieces(): two threads write the 2,000 lines one writes, in order");
	free(one);
	free(two);
	one = run_pieces(1, 7, 42, &rc1);
	two = run_pieces(2, 7, 42, &rc2);
	ok(rc1 == -1 && rc2 == -1 && strcmp(one, two) == 0 &&
	    strstr(one, "p7,41,") != NULL && strstr(one, "p7,42,") == NULL &&
	    strstr(one, "p8,") == NULL,
	    "wr_pieces(): a piece that fails: the lines before its error, none after");
	free(one);
	free(two);
	one = run_pieces(2, 8, 0, &rc2);
	ok(rc2 == -1 && strstr(one, "p7,99,") != NULL && strstr(one, "p8,") == NULL &&
	    strstr(one, "p9,") == NULL,
	    "wr_pieces(): the other thread's piece fails first thing: nothing of it");
	free(one);
}

/* The first byte of the first ill-formed sequence of s, or -1: RFC
 * 3629's table of well-formed sequences, as it stands. */
static size_t
utf8_reference(const unsigned char *s, size_t n)
{
	size_t i = 0, k, j;

	while (i < n) {
		unsigned char c = s[i], lo = 0x80, hi = 0xbf;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			k = 2;
		else if (c >= 0xe0 && c <= 0xef)
			k = 3;
		else if (c >= 0xf0 && c <= 0xf4)
			k = 4;
		else
			return i;
		/* The second byte's range, which the first narrows. */
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
		else if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
		if (i + k > n)
			return i;
		for (j = 1; j < k; j++) {
			unsigned char b = s[i + j];

			if (j == 1 ? b < lo || b > hi : b < 0x80 || b > 0xbf)
				return i;
		}
		i += k;
	}
	return (size_t)-1;
}

/*
 * utf8_invalid_at() against the reference on random text: runs of ASCII
 * and of sequences of two to four bytes, with now and then a byte that
 * breaks one (a stray continuation, a lead cut short, an overlong form,
 * a surrogate, a byte that is never UTF-8), so that every kind falls at
 * every place of a block of 16.
 */
static void
test_utf8_random(void)
{
	static const char *const piece[] = {
		"a", " ", "0", "\xd0\xb6", "\xc3\xb8", "\xc5\xbd", "\xdf\xbf", "\xc2\x80",
		"\xe2\x82\xac", "\xe0\xa0\x80", "\xed\x9f\xbf", "\xef\xbf\xbf",
		"\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf", "\xf3\xa0\x80\x80",
	};
	static const char *const breaker[] = {
		"\x80", "\xbf", "\xc2", "\xdf", "\xc0\xaf", "\xc1\xbf", "\xe0\x80\x80",
		"\xed\xa0\x80", "\xf0\x80\x80\x80", "\xf4\x90\x80\x80", "\xf5\x80",
		"\xff", "\xe2\x82", "\xf0\x90\x80", "\xd0\xd0", "\xe2\x28\xa1",
	};
	unsigned char buf[96];
	uint32_t x = 88172645U;
	size_t t, bad = 0, broken = 0;

	for (t = 0; t < 200000; t++) {
		size_t n = 0, want, got;

		while (n < 80) {
			const char *p;

			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			p = x % 401 == 0 ? breaker[x / 401 % 16] : piece[x / 401 % 15];
			if (n + strlen(p) > sizeof(buf))
				break;
			memcpy(buf + n, p, strlen(p));
			n += strlen(p);
		}
		if (x % 5 == 0)	/* now and then a sequence cut short at the end */
			n -= x / 5 % 3 + 1;
		want = utf8_reference(buf, n);
		got = utf8_invalid_at((const char *)buf, n);
		broken += want != (size_t)-1;
		if (got != want && bad++ < 5)
			printf("# case %zu: got %zd, want %zd\n", t, (ssize_t)got,
			    (ssize_t)want);
	}
	is_int(bad, 0, "utf8_invalid_at() as RFC 3629's table on 200,000 random "
	    "texts (%zu of them ill-formed)", broken);
}

/* idmap_word() is the id's first 8 bytes as a little-endian number,
 * zero-filled, whatever loads it takes them with. */
static void
test_idmap_word(void)
{
	char id[17];
	uint32_t x = 123456789U;
	size_t len, t, bad = 0;

	for (t = 0; t < 2000; t++) {
		for (len = 0; len <= 16; len++) {
			uint64_t want = 0;
			size_t i;

			for (i = 0; i < len; i++) {
				x ^= x << 13;
				x ^= x >> 17;
				x ^= x << 5;
				id[i] = (char)(x % 255 + 1);
				if (i < 8)
					want |= (uint64_t)(unsigned char)id[i] << (8 * i);
			}
			id[len] = '\0';
			bad += idmap_word(id, len) != want;
		}
	}
	is_int(bad, 0, "idmap_word() of 34,000 ids of 0 to 16 bytes: their first "
	    "8 bytes, little-endian");
}

int
main(void)
{
	struct sbuf sb = SBUF_INIT;
	struct strmap m = STRMAP_INIT;
	char *s;
	int i;

	sb_printf(&sb, "%s-%d", "a", 42);
	is_str(sb_str(&sb), "a-42", "sb_printf formats");
	sb_release(&sb);
	is_str(q("a\nb"), "a\\nb", "q escapes a newline");
	ok(utf8_valid("Ňoňo Žltý", strlen("Ňoňo Žltý")), "Slovak text is valid UTF-8");
	ok(!utf8_valid("\xc0\xaf", 2), "overlong slash is invalid");
	ok(!utf8_valid("\xed\xa0\x80", 3), "surrogate is invalid");
	test_utf8_random();
	test_idmap_word();
	is_int(utf8_width("Ølberg"), 6, "width of Norwegian name");
	is_int(utf8_width("Иванов"), 6, "width of Cyrillic name");
	is_int(utf8_width("日本"), 4, "wide characters count two");
	s = utf8_fold("ИВАНОВ Ærø ŠTEFAN Ľubomír Пётр");
	is_str(s, "иванов æro stefan lubomir петр", "fold case and accents");
	free(s);
	s = utf8_fold("S\xcc\x8ctefan");
	is_str(s, "stefan", "combining accents are dropped");
	free(s);
	for (i = 0; i < 1000; i++) {
		char k[16];
		snprintf(k, sizeof(k), "c%d", i);
		strmap_put(&m, k, (void *)(long)(i + 1));
	}
	is_int((long)strmap_get(&m, "c777"), 778, "strmap keeps 1000 keys");
	ok(strmap_get(&m, "c1000") == NULL, "strmap misses an absent key");
	strmap_release(&m, 0);
	test_numbers();
	test_pieces();
	return done_testing();
}
