/*
 * util.c - allocation, buffers, errors, UTF-8 and a string hash map.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/mman.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "util.h"

static void
oom(size_t n)
{
	/* The one place libcrm exits: see util.h. */
	fprintf(stderr, "crm: out of memory (%zu bytes)\n", n);
	exit(CRM_EXIT_ERR);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom(n);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		oom(nmemb * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *
xreallocarray(void *p, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size)
		oom(SIZE_MAX);
	return xrealloc(p, nmemb * size);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	struct sbuf sb = SBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	return sb_detach(&sb);
}

void
sb_grow(struct sbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;

	if (need < sb->len)
		oom(SIZE_MAX);
	if (need > sb->cap) {
		size_t nc = sb->cap ? sb->cap : 64;

		while (nc < need)
			nc *= 2;
		sb->buf = xrealloc(sb->buf, nc);
		sb->cap = nc;
		sb->buf[sb->len] = '\0';
	}
}

void
sb_adds(struct sbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

void
sb_vprintf(struct sbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	sb_grow(sb, 64);
	va_copy(cp, ap);
	n = vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	if ((size_t)n >= sb->cap - sb->len) {
		sb_grow(sb, (size_t)n);
		vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
	}
	sb->len += (size_t)n;
}

void
sb_printf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(sb, fmt, ap);
	va_end(ap);
}

const char *
sb_str(const struct sbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

void
sb_reset(struct sbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

void
sb_release(struct sbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

char *
sb_detach(struct sbuf *sb)
{
	char *s = sb->buf ? sb->buf : xstrdup("");

	sb->buf = NULL;
	sb->len = sb->cap = 0;
	return s;
}

void
crm_set_error(struct crm_err *err, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
}

const char *
crm_quote(char *buf, size_t bufsz, const char *s)
{
	size_t o = 0, limit = bufsz > 20 ? bufsz - 12 : 0;
	const unsigned char *p;

	if (!s)
		s = "";
	for (p = (const unsigned char *)s; *p && o < limit; p++) {
		unsigned char c = *p;

		if (c == '\n') {
			buf[o++] = '\\';
			buf[o++] = 'n';
		} else if (c == '\r') {
			buf[o++] = '\\';
			buf[o++] = 'r';
		} else if (c == '\t') {
			buf[o++] = '\\';
			buf[o++] = 't';
		} else if (c < 0x20 || c == 0x7f) {
			o += (size_t)snprintf(buf + o, bufsz - o, "\\x%02x", c);
		} else if (c >= 0x80) {
			uint32_t cp;
			size_t n = utf8_decode((const char *)p, strlen((const char *)p), &cp);

			if (n == 0) {
				o += (size_t)snprintf(buf + o, bufsz - o, "\\x%02x", c);
			} else {
				if (o + n >= limit)
					break;
				memcpy(buf + o, p, n);
				o += n;
				p += n - 1;
			}
		} else {
			buf[o++] = (char)c;
		}
	}
	if (*p) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

const char *
q(const char *s)
{
	/* Per thread: a log's reading thread quotes in its messages too. */
	static _Thread_local char bufs[4][CRM_QUOTE_MAX];
	static _Thread_local unsigned next;
	char *b = bufs[next++ % 4];

	return crm_quote(b, CRM_QUOTE_MAX, s);
}

void *
big_alloc(size_t bytes)
{
	size_t huge = (size_t)2 << 20;
	void *p;

	if (bytes < huge)
		return xmalloc(bytes ? bytes : 1);
	if (bytes > SIZE_MAX - huge)
		oom(bytes);
	bytes = (bytes + huge - 1) & ~(huge - 1);
	p = aligned_alloc(huge, bytes);
	if (!p)
		return xmalloc(bytes);
	madvise(p, bytes, MADV_HUGEPAGE);
	return p;
}

void *
line_calloc(size_t n, size_t size)
{
	size_t bytes;
	void *p;

	if (__builtin_mul_overflow(n, size, &bytes) || bytes > SIZE_MAX - 64)
		oom(SIZE_MAX);
	bytes = (bytes + 63) & ~(size_t)63;
	p = aligned_alloc(64, bytes ? bytes : 64);
	if (!p)
		oom(bytes);
	memset(p, 0, bytes ? bytes : 64);
	return p;
}

void *
big_reallocarray(void *p, size_t was, size_t n, size_t size)
{
	size_t bytes;
	void *q;

	if (__builtin_mul_overflow(n, size, &bytes))
		oom(SIZE_MAX);
	q = big_alloc(bytes);
	if (was)
		memcpy(q, p, (was < n ? was : n) * size);
	free(p);
	return q;
}

void *
big_calloc(size_t n, size_t size)
{
	size_t bytes;
	void *p;

	if (__builtin_mul_overflow(n, size, &bytes))
		return xcalloc(n, size);	/* which reports it */
	p = big_alloc(bytes);
	memset(p, 0, bytes);
	return p;
}

/* "00" to "99": two digits for each division, half as many of them. */
static const char digit_pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233"
	"34353637383940414243444546474849505152535455565758596061626364656667"
	"6869707172737475767778798081828384858687888990919293949596979899";

/* The decimal digits of v, the last at end[-1]: returns the first. */
static char *
digits_before(char *end, unsigned long long v)
{
	while (v >= 100) {
		end -= 2;
		memcpy(end, digit_pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		end -= 2;
		memcpy(end, digit_pairs + 2 * v, 2);
	} else {
		*--end = (char)('0' + v);
	}
	return end;
}

size_t
fmt_uint(char *buf, unsigned long long v)
{
	char digits[24], *p = digits_before(digits + sizeof(digits), v);
	size_t n = (size_t)(digits + sizeof(digits) - p);

	memcpy(buf, p, n);
	buf[n] = '\0';
	return n;
}

size_t
fmt_scaled(char *buf, long long k, int decimals)
{
	unsigned long long a = k < 0 ? 0ULL - (unsigned long long)k :
	    (unsigned long long)k;
	char digits[48], *end = digits + sizeof(digits), *p = end;
	int i;

	if (decimals > 0) {
		/* The decimals, zeros in front included, then the point. */
		for (i = 0; i + 2 <= decimals; i += 2) {
			p -= 2;
			memcpy(p, digit_pairs + 2 * (a % 100), 2);
			a /= 100;
		}
		if (i < decimals) {
			*--p = (char)('0' + a % 10);
			a /= 10;
		}
		*--p = '.';
	}
	p = digits_before(p, a);
	if (k < 0)
		*--p = '-';
	memcpy(buf, p, (size_t)(end - p));
	buf[end - p] = '\0';
	return (size_t)(end - p);
}

void
fmt_fixed(char *buf, double v, int decimals)
{
	static const double pow10[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
		1e8, 1e9 };
	double scaled;
	long long k;

	if (decimals < 0)
		decimals = 0;
	/*
	 * scaled is v * 10^decimals within half a unit in its last place,
	 * which is below 0.0001 while |scaled| < 2^40: rounded, it is
	 * printf's digits unless the decimals left over are within that of
	 * a half.  Those cases, half-way ones (where printf rounds to even
	 * on the binary value) among them, larger numbers and NaN are left
	 * to printf.
	 */
	if (decimals <= 9) {
		scaled = v * pow10[decimals];
		if (fabs(scaled) < 1099511627776.0) {
			k = llround(scaled);
			if (!(fabs(scaled - (double)k) > 0.4999 &&
			    fabs(scaled - (double)k) < 0.5001)) {
				fmt_scaled(buf, k, decimals);
				return;
			}
		}
	}
	snprintf(buf, 40, "%.*f", decimals, v);
}

int
starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

char *
str_trim(const char *s)
{
	const char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	return xstrndup(s, (size_t)(e - s));
}

size_t
utf8_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c;
	size_t len, i;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 0;	/* continuation byte, 0xc0/0xc1 or > 0xf4 */
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* Reject overlong forms, surrogates and code points past U+10FFFF. */
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return len;
}

size_t
utf8_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xc0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xe0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (unsigned char)(0xf0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

#ifdef __SSE2__
/*
 * How many of the 16 bytes at s are ASCII and whole sequences of two
 * bytes (a lead of 0xc2 to 0xdf, then a continuation), from the first:
 * 16, or 15 when the last is such a lead (its continuation is in the
 * next block), or 0 when the block has anything else, which the byte
 * by byte test then looks at.  The notes of a log in Russian, Slovak or
 * Norwegian are such, and went a byte at a time (5% of the reading).
 */
static inline size_t
utf8_block2(const char *s)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
	/* As signed bytes: continuations are -128 to -65, the leads of
	 * two bytes -62 to -33. */
	unsigned hi = (unsigned)_mm_movemask_epi8(v);
	unsigned cont = (unsigned)_mm_movemask_epi8(
	    _mm_cmpgt_epi8(_mm_set1_epi8(-64), v));
	unsigned lead = (unsigned)_mm_movemask_epi8(_mm_and_si128(
	    _mm_cmpgt_epi8(v, _mm_set1_epi8(-63)),
	    _mm_cmpgt_epi8(_mm_set1_epi8(-32), v)));

	if (hi != (cont | lead) || cont != ((lead << 1) & 0xffff))
		return 0;
	return lead & 0x8000 ? 15 : 16;
}
#endif

size_t
utf8_invalid_at(const char *s, size_t n)
{
	size_t i = 0;
	uint32_t cp;

	while (i < n) {
		size_t k;

#ifdef __SSE2__
		while (i + 16 <= n && (k = utf8_block2(s + i)) != 0)
			i += k;
		if (i >= n)
			break;
#endif

		/* Runs of ASCII are the common case: skip them 8 bytes at a time. */
		while (i + 8 <= n) {
			uint64_t w;

			memcpy(&w, s + i, 8);
			if (w & 0x8080808080808080ULL)
				break;
			i += 8;
		}
		if (i >= n)
			break;
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		/* Two bytes (Cyrillic, most of Latin): always valid when the
		 * second is a continuation; no overlong form or surrogate. */
		if ((unsigned char)s[i] >= 0xc2 && (unsigned char)s[i] <= 0xdf &&
		    i + 1 < n && ((unsigned char)s[i + 1] & 0xc0) == 0x80) {
			i += 2;
			continue;
		}
		k = utf8_decode(s + i, n - i, &cp);
		if (k == 0)
			return i;
		i += k;
	}
	return (size_t)-1;
}

int
utf8_valid(const char *s, size_t n)
{
	return utf8_invalid_at(s, n) == (size_t)-1;
}

struct range {
	uint32_t lo, hi;
};

static int
in_ranges(uint32_t cp, const struct range *r, size_t n)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (cp < r[mid].lo)
			hi = mid;
		else if (cp > r[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

/* Combining and zero-width characters: the common blocks, sorted. */
static const struct range zero_width[] = {
	{ 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd },
	{ 0x05bf, 0x05bf }, { 0x05c1, 0x05c2 }, { 0x05c4, 0x05c5 },
	{ 0x05c7, 0x05c7 }, { 0x0610, 0x061a }, { 0x064b, 0x065f },
	{ 0x0670, 0x0670 }, { 0x06d6, 0x06dc }, { 0x06df, 0x06e4 },
	{ 0x0900, 0x0902 }, { 0x093a, 0x093a }, { 0x093c, 0x093c },
	{ 0x0941, 0x0948 }, { 0x094d, 0x094d }, { 0x0e31, 0x0e31 },
	{ 0x0e34, 0x0e3a }, { 0x0e47, 0x0e4e }, { 0x1ab0, 0x1aff },
	{ 0x1dc0, 0x1dff }, { 0x200b, 0x200f }, { 0x202a, 0x202e },
	{ 0x2060, 0x2064 }, { 0x20d0, 0x20ff }, { 0xfe00, 0xfe0f },
	{ 0xfe20, 0xfe2f }, { 0xfeff, 0xfeff }, { 0xe0100, 0xe01ef },
};

/* East Asian wide and fullwidth characters, and emoji. */
static const struct range wide[] = {
	{ 0x1100, 0x115f }, { 0x231a, 0x231b }, { 0x2329, 0x232a },
	{ 0x23e9, 0x23ec }, { 0x23f0, 0x23f0 }, { 0x23f3, 0x23f3 },
	{ 0x25fd, 0x25fe }, { 0x2614, 0x2615 }, { 0x2648, 0x2653 },
	{ 0x267f, 0x267f }, { 0x2693, 0x2693 }, { 0x26a1, 0x26a1 },
	{ 0x26aa, 0x26ab }, { 0x26bd, 0x26be }, { 0x26c4, 0x26c5 },
	{ 0x26ce, 0x26ce }, { 0x26d4, 0x26d4 }, { 0x26ea, 0x26ea },
	{ 0x26f2, 0x26f3 }, { 0x26f5, 0x26f5 }, { 0x26fa, 0x26fa },
	{ 0x26fd, 0x26fd }, { 0x2705, 0x2705 }, { 0x270a, 0x270b },
	{ 0x2728, 0x2728 }, { 0x274c, 0x274c }, { 0x274e, 0x274e },
	{ 0x2753, 0x2755 }, { 0x2757, 0x2757 }, { 0x2795, 0x2797 },
	{ 0x27b0, 0x27b0 }, { 0x27bf, 0x27bf }, { 0x2b1b, 0x2b1c },
	{ 0x2b50, 0x2b50 }, { 0x2b55, 0x2b55 }, { 0x2e80, 0x303e },
	{ 0x3041, 0x33ff }, { 0x3400, 0x4dbf }, { 0x4e00, 0x9fff },
	{ 0xa000, 0xa4cf }, { 0xa960, 0xa97f }, { 0xac00, 0xd7a3 },
	{ 0xf900, 0xfaff }, { 0xfe10, 0xfe19 }, { 0xfe30, 0xfe6f },
	{ 0xff00, 0xff60 }, { 0xffe0, 0xffe6 }, { 0x16fe0, 0x16fe4 },
	{ 0x17000, 0x18cff }, { 0x1b000, 0x1b2ff }, { 0x1f004, 0x1f004 },
	{ 0x1f0cf, 0x1f0cf }, { 0x1f18e, 0x1f18e }, { 0x1f191, 0x1f19a },
	{ 0x1f200, 0x1f251 }, { 0x1f300, 0x1f64f }, { 0x1f680, 0x1f6ff },
	{ 0x1f7e0, 0x1f7eb }, { 0x1f90c, 0x1f9ff }, { 0x1fa70, 0x1faff },
	{ 0x20000, 0x2fffd }, { 0x30000, 0x3fffd },
};

int
cp_width(uint32_t cp)
{
	if (cp < 0x300)
		return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ? 0 : 1;
	if (in_ranges(cp, zero_width, ARRAY_SIZE(zero_width)))
		return 0;
	if (in_ranges(cp, wide, ARRAY_SIZE(wide)))
		return 2;
	return 1;
}

size_t
utf8_width(const char *s)
{
	size_t w = 0, n = strlen(s);

	while (n > 0) {
		uint32_t cp;
		size_t k = utf8_decode(s, n, &cp);

		if (k == 0) {
			w++;
			k = 1;
		} else {
			w += (size_t)cp_width(cp);
		}
		s += k;
		n -= k;
	}
	return w;
}

uint32_t
cp_fold(uint32_t cp)
{
	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
	if (cp >= 0xc0 && cp <= 0xde && cp != 0xd7)
		return cp + 32;
	if (cp >= 0x100 && cp <= 0x17f) {
		/* Latin Extended-A pairs upper/lower; the middle run is odd/even. */
		if ((cp <= 0x137 || (cp >= 0x14a && cp <= 0x177)) && !(cp & 1))
			return cp + 1;
		if (((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17e)) &&
		    (cp & 1))
			return cp + 1;
		if (cp == 0x178)
			return 0xff;
		return cp;
	}
	if (cp >= 0x386 && cp <= 0x3ab) {
		if (cp == 0x386)
			return 0x3ac;
		if (cp >= 0x388 && cp <= 0x38a)
			return cp + 37;
		if (cp == 0x38c)
			return 0x3cc;
		if (cp == 0x38e || cp == 0x38f)
			return cp + 63;
		if (cp >= 0x391 && cp <= 0x3ab && cp != 0x3a2)
			return cp + 32;
		return cp;
	}
	if (cp == 0x3c2)	/* final sigma compares equal to sigma */
		return 0x3c3;
	if (cp >= 0x400 && cp <= 0x40f)
		return cp + 80;
	if (cp >= 0x410 && cp <= 0x42f)
		return cp + 32;
	if (((cp >= 0x460 && cp <= 0x481) || (cp >= 0x48a && cp <= 0x4bf) ||
	     (cp >= 0x4d0 && cp <= 0x52f)) && !(cp & 1))
		return cp + 1;
	if (cp >= 0x4c1 && cp <= 0x4ce && (cp & 1))
		return cp + 1;
	if (cp == 0x4c0)
		return 0x4cf;
	return cp;
}

/*
 * The base letters of U+00C0..U+017F, for matching names typed without
 * their accents ("stefan" finds "Štefan"); '.' keeps the character.
 */
static const char latin_base[] =
	"aaaaaa.ceeeeiiii"	/* U+00C0 */
	"dnooooo.ouuuuy.."	/* U+00D0 */
	"aaaaaa.ceeeeiiii"	/* U+00E0 */
	"dnooooo.ouuuuy.y"	/* U+00F0 */
	"aaaaaaccccccccdd"	/* U+0100 */
	"ddeeeeeeeeeegggg"	/* U+0110 */
	"gggghhhhiiiiiiii"	/* U+0120 */
	"ii..jjkkklllllll"	/* U+0130 */
	"lllnnnnnnnnnoooo"	/* U+0140 */
	"oo..rrrrrrssssss"	/* U+0150 */
	"ssttttttuuuuuuuu"	/* U+0160 */
	"uuuuwwyyyzzzzzzs";	/* U+0170 */

uint32_t
cp_base(uint32_t cp)
{
	if (cp >= 0xc0 && cp <= 0x17f && latin_base[cp - 0xc0] != '.')
		return (uint32_t)latin_base[cp - 0xc0];
	if (cp == 0x451 || cp == 0x401)	/* ё is written е as often as not */
		return 0x435;
	return cp;
}

char *
utf8_fold(const char *s)
{
	struct sbuf sb = SBUF_INIT;
	size_t n = strlen(s);

	sb_grow(&sb, n);
	while (n > 0) {
		uint32_t cp;
		size_t k = utf8_decode(s, n, &cp);
		char enc[4];

		if (k == 0) {
			sb_addc(&sb, *s);
			k = 1;
		} else if (cp < 0x300 || cp > 0x36f) {
			/* Combining accents (decomposed text) are dropped. */
			sb_add(&sb, enc, utf8_encode(cp_base(cp_fold(cp)), enc));
		}
		s += k;
		n -= k;
	}
	return sb_detach(&sb);
}

char *
str_printable(const char *s, int keep_lf)
{
	struct sbuf sb = SBUF_INIT;

	sb_add(&sb, "", 0);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\n' && keep_lf)
			sb_addc(&sb, '\n');
		else if (c == '\r' && keep_lf && s[1] == '\n')
			continue;
		else if (c == '\n' || c == '\r' || c == '\t')
			sb_addc(&sb, ' ');
		else if (c < 0x20 || c == 0x7f)
			sb_adds(&sb, "\xef\xbf\xbd");
		else
			sb_addc(&sb, (char)c);
	}
	return sb_detach(&sb);
}

int
has_control(const char *s, int tab_ok)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c < 0x20 && !(tab_ok && c == '\t')) || c == 0x7f)
			return 1;
	}
	return 0;
}

uint32_t
str_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static struct strmap_entry *
strmap_find(const struct strmap *m, const char *key, size_t keylen, uint32_t h)
{
	size_t mask = m->cap - 1, i = h & mask;

	for (;;) {
		struct strmap_entry *e = &m->slot[i];

		if (!e->key)
			return e;
		if (e->hash == h && strncmp(e->key, key, keylen) == 0 &&
		    e->key[keylen] == '\0')
			return e;
		i = (i + 1) & mask;
	}
}

static void
strmap_rehash(struct strmap *m, size_t ncap)
{
	struct strmap_entry *old = m->slot;
	size_t oldcap = m->cap, i;

	m->slot = xcalloc(ncap, sizeof(*m->slot));
	m->cap = ncap;
	for (i = 0; i < oldcap; i++) {
		if (old[i].key) {
			struct strmap_entry *e;

			e = strmap_find(m, old[i].key, strlen(old[i].key), old[i].hash);
			*e = old[i];
		}
	}
	free(old);
}

void *
strmap_get(const struct strmap *m, const char *key)
{
	size_t n = strlen(key);
	struct strmap_entry *e;

	if (!m->cap)
		return NULL;
	e = strmap_find(m, key, n, str_hash(key, n));
	return e->key ? e->value : NULL;
}

void **
strmap_slot(struct strmap *m, const char *key, size_t keylen, int *added)
{
	uint32_t h = str_hash(key, keylen);
	struct strmap_entry *e;

	/* Keep the load under 1/2 so that probes stay short. */
	if ((m->len + 1) * 2 > m->cap)
		strmap_rehash(m, m->cap ? m->cap * 2 : 64);
	e = strmap_find(m, key, keylen, h);
	if (!e->key) {
		e->key = m->borrow ? (char *)key : xstrndup(key, keylen);
		e->hash = h;
		e->value = NULL;
		m->len++;
		if (added)
			*added = 1;
	} else if (added) {
		*added = 0;
	}
	return &e->value;
}

void
strmap_put(struct strmap *m, const char *key, void *value)
{
	*strmap_slot(m, key, strlen(key), NULL) = value;
}

void
strmap_release(struct strmap *m, int free_values)
{
	size_t i;

	for (i = 0; i < m->cap; i++) {
		if (!m->borrow)
			free(m->slot[i].key);
		if (free_values)
			free(m->slot[i].value);
	}
	free(m->slot);
	m->slot = NULL;
	m->cap = m->len = 0;
}
