/*
 * util.h - memory, growable buffers, errors and small string helpers
 * shared by every module of libcrm.
 *
 * Memory: the x* allocators never return NULL; on exhaustion they print
 * one line and exit(1).  That is the only place the library exits (an
 * allocation failure has no sensible recovery in a filter).
 *
 * Errors: library functions that can fail take a struct crm_err * as
 * their last argument, fill it with a message in the form the commands
 * print after "crm-xxx: " (for example "log.csv:12: invalid date
 * '2026-13-01'") and return -1.  They never print and never exit.
 */
#ifndef CRM_UTIL_H
#define CRM_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Exit statuses of every tool, listed in each man page's EXIT STATUS. */
enum crm_exit {
	CRM_EXIT_OK = 0,	/* success (also: nothing to report) */
	CRM_EXIT_ERR = 1,	/* bad data, a failed read or write */
	CRM_EXIT_USAGE = 2	/* bad options or operands */
};

#define CRM_VERSION "0.1.0"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* xreallocarray() checks nmemb * size for overflow. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
/*
 * Memory that is read at random, a cache miss at each read, or filled
 * and refilled: in huge pages where the system has them (madvise mode),
 * so that the misses do not each cost a page walk too, nor every 4 kB
 * filled a page fault.  big_calloc() zeroes it.  Freed with free().
 */
void *big_alloc(size_t bytes);
void *big_calloc(size_t n, size_t size);
/*
 * line_calloc() is xcalloc() for what one thread writes while another
 * writes its own: on cache lines of its own.  Two small arrays from
 * malloc() may share a line, and the threads writing them then take it
 * from each other at every write: that made the rows of crm-segment
 * --rfm in two threads cost twice the CPU of one.  Freed with free().
 */
void *line_calloc(size_t n, size_t size);
/* The array p of was members of size bytes, grown to n: a copy, as
 * realloc() knows nothing of huge pages. */
void *big_reallocarray(void *p, size_t was, size_t n, size_t size);
/* Ask for memory that is about to be written (a cache miss, else),
 * into the nearest cache: the summary's entries are written a few dozen
 * events later, and fetched only as far as L2 (locality 1) the counting
 * took 1-3% longer. */
static inline void
prefetch_w(const void *p)
{
	__builtin_prefetch(p, 1, 3);
}
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Grow an array so that it holds at least n elements, doubling its
 * capacity; *cap is updated.  Usage: ALLOC_GROW(v, n + 1, cap).
 */
#define ALLOC_GROW(p, n, cap) do { \
	if ((size_t)(n) > (cap)) { \
		size_t alloc_grow_nc_ = (cap) ? (cap) * 2 : 16; \
		if (alloc_grow_nc_ < (size_t)(n)) \
			alloc_grow_nc_ = (size_t)(n); \
		(p) = xreallocarray((p), alloc_grow_nc_, sizeof(*(p))); \
		(cap) = alloc_grow_nc_; \
	} \
} while (0)

/*
 * A growable byte buffer that is always NUL-terminated once anything
 * has been added (buf is NULL for a fresh SBUF_INIT buffer; use
 * sb_str() to get "" instead).  The buffer owns buf.
 */
struct sbuf {
	char *buf;
	size_t len;
	size_t cap;
};
#define SBUF_INIT { NULL, 0, 0 }

void sb_grow(struct sbuf *sb, size_t extra);

/* Inline: the writers add millions of short pieces. */
static inline void
sb_add(struct sbuf *sb, const void *p, size_t n)
{
	if (n >= sb->cap - sb->len)	/* no room for n and the NUL */
		sb_grow(sb, n);
	memcpy(sb->buf + sb->len, p, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

static inline void
sb_addc(struct sbuf *sb, int c)
{
	if (sb->len + 1 >= sb->cap)
		sb_grow(sb, 1);
	sb->buf[sb->len++] = (char)c;
	sb->buf[sb->len] = '\0';
}

void sb_adds(struct sbuf *sb, const char *s);

void sb_printf(struct sbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sb_vprintf(struct sbuf *sb, const char *fmt, va_list ap);
/* sb_str() returns the contents, "" for an empty buffer; never NULL. */
const char *sb_str(const struct sbuf *sb);
void sb_reset(struct sbuf *sb);	/* empty it, keep the memory */
void sb_release(struct sbuf *sb);	/* free the memory */
/* sb_detach() returns the malloc'ed string (never NULL) and resets sb. */
char *sb_detach(struct sbuf *sb);

/* An error message filled by the library for the command to print. */
struct crm_err {
	char msg[1024];
};

/*
 * crm_error() formats the message into err (when err is not NULL) and
 * is -1, so that a function can "return crm_error(err, ...)".  A macro
 * over crm_set_error(), so that the compiler sees the -1: a function
 * returning it was opaque to gcc -O3 -flto, which then took an error
 * return for a success and warned of outputs left unset.
 */
void crm_set_error(struct crm_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define crm_error(err, ...) \
	__extension__ ({ crm_set_error((err), __VA_ARGS__); -1; })

/*
 * crm_quote() writes s into buf as it should appear inside '...' in a
 * message: control characters escaped (\n, \t, \xNN), and anything
 * past about 60 bytes cut with "..." so that a 10 MB field does not
 * become a 10 MB message.  Returns buf.  bufsz should be >= 80.
 */
#define CRM_QUOTE_MAX 96
const char *crm_quote(char *buf, size_t bufsz, const char *s);

/* Same, for a message built from several values: a rotating set of
 * static buffers, so up to four calls may appear in one crm_error(). */
const char *q(const char *s);

/*
 * fmt_fixed() writes v with exactly decimals (0..9) digits after the
 * point into buf (40 bytes), as printf's "%.*f" would (but without the
 * minus of a value that rounds to zero from below), by integer
 * arithmetic when v * 10^decimals is below 2^40 (printf's exact float
 * conversion is slow for the millions of figures a big summary writes).
 */
void fmt_fixed(char *buf, double v, int decimals);
/* fmt_uint() writes v in decimal, as "%llu" would; returns the length. */
size_t fmt_uint(char *buf, unsigned long long v);
/* fmt_scaled() writes k / 10^decimals (decimals 0..9) exactly, with all
 * its decimals: 1234567, 6 is 1.234567.  Returns the length. */
size_t fmt_scaled(char *buf, long long k, int decimals);

/* String helpers. */
static inline int
streq(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}
int starts_with(const char *s, const char *prefix);
/* str_trim() returns a malloc'ed copy of s without surrounding blanks. */
char *str_trim(const char *s);

/*
 * UTF-8.  utf8_valid() accepts well-formed UTF-8 only: no overlong
 * forms, no surrogates, nothing past U+10FFFF.  It returns the byte
 * offset of the first bad byte, or (size_t)-1 when all is well.
 */
size_t utf8_invalid_at(const char *s, size_t n);
int utf8_valid(const char *s, size_t n);
/*
 * utf8_decode() reads one code point from s (at most n bytes) into *cp
 * and returns its length, or 0 if the sequence is not valid.
 */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);
/* utf8_encode() writes cp to out (4 bytes room) and returns the length. */
size_t utf8_encode(uint32_t cp, char *out);
/* Terminal columns taken by cp: 0 (combining), 1 or 2 (wide). */
int cp_width(uint32_t cp);
/* Display width of a UTF-8 string; invalid bytes count one each. */
size_t utf8_width(const char *s);
/*
 * utf8_fold() returns a malloc'ed copy of s for comparing names without
 * regard to case or accents: ASCII, Latin-1, Latin Extended-A, Greek and
 * Cyrillic letters in lower case, Latin letters without their accents
 * (Š is s, ø is o), ё as е, combining accents dropped.
 */
char *utf8_fold(const char *s);
/* cp_base() is the unaccented letter of a Latin letter, or cp. */
uint32_t cp_base(uint32_t cp);
/* cp_fold() folds one code point as utf8_fold() does. */
uint32_t cp_fold(uint32_t cp);

/*
 * str_printable() returns a malloc'ed copy of s that is safe to show on
 * a terminal: tabs and line breaks become spaces (line feeds are kept
 * when keep_lf) and other control characters, which could steer the
 * terminal, become U+FFFD.
 */
char *str_printable(const char *s, int keep_lf);

/* Does s contain a byte below 0x20 or DEL? (tab allowed when tab_ok) */
int has_control(const char *s, int tab_ok);

/*
 * A hash map from strings to pointers (open addressing, FNV-1a).  The
 * map copies keys into its own storage; values belong to the caller.
 */
struct strmap_entry {
	char *key;
	void *value;
	uint32_t hash;
};
struct strmap {
	struct strmap_entry *slot;
	size_t cap;	/* power of two, or 0 */
	size_t len;
	/* Keys are the caller's, not copied: they outlive the map. */
	int borrow;
};
#define STRMAP_INIT { NULL, 0, 0, 0 }
uint32_t str_hash(const char *s, size_t n);
/* strmap_get() returns the value for key or NULL. */
void *strmap_get(const struct strmap *m, const char *key);
/*
 * strmap_slot() returns a pointer to the value slot for key, adding the
 * key with a NULL value when it is missing (*added tells which).  The
 * pointer is valid until the next insertion.
 */
void **strmap_slot(struct strmap *m, const char *key, size_t keylen, int *added);
void strmap_put(struct strmap *m, const char *key, void *value);
/* strmap_release() frees the keys (and the values when free_values). */
void strmap_release(struct strmap *m, int free_values);

#endif
