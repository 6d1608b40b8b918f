/*
 * mail.c - an RFC 5322 / MIME text message for sendmail -t: headers
 * folded and RFC 2047 encoded, a UTF-8 body in 8bit or quoted-printable.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "mail.h"

/* RFC 5322 2.1.1: lines SHOULD stay within 78 and MUST within 998. */
#define LINE_SOFT 78
#define LINE_HARD 998
#define ADDR_MAX 254	/* RFC 5321 4.5.3.1.3, the longest path */

/* "=?UTF-8?B?" + "?=": the frame of every encoded-word. */
#define EW_PREFIX "=?UTF-8?B?"
#define EW_FRAME 12
/* RFC 2047 2: an encoded-word is at most 75 characters, so the base64
 * part at most 63, i.e. 60 (a multiple of 4), i.e. 45 octets of text. */
#define EW_MAX_B64 60

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void
base64(struct sbuf *out, const unsigned char *p, size_t n)
{
	char q4[4];

	for (; n >= 3; p += 3, n -= 3) {
		q4[0] = b64[p[0] >> 2];
		q4[1] = b64[((p[0] & 3) << 4) | (p[1] >> 4)];
		q4[2] = b64[((p[1] & 15) << 2) | (p[2] >> 6)];
		q4[3] = b64[p[2] & 63];
		sb_add(out, q4, 4);
	}
	if (n > 0) {
		q4[0] = b64[p[0] >> 2];
		q4[1] = b64[((p[0] & 3) << 4) | (n > 1 ? p[1] >> 4 : 0)];
		q4[2] = n > 1 ? b64[(p[1] & 15) << 2] : '=';
		q4[3] = '=';
		sb_add(out, q4, 4);
	}
}

/* Append code point cp, which is known to be valid, as UTF-8. */
static void
add_cp(struct sbuf *out, uint32_t cp)
{
	char enc[4];

	sb_add(out, enc, utf8_encode(cp, enc));
}

static int
is_control(uint32_t cp)
{
	/* C0, DEL and C1: none of them belongs in a header or a letter. */
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0);
}

/*
 * Clean header text into out: invalid UTF-8 becomes U+FFFD, control
 * characters (CR and LF above all: they would start a header of their
 * own) become spaces, runs of spaces become one, and the ends are
 * trimmed.  Collapsing also keeps folding simple: words are separated
 * by exactly one space, and folding before that space loses nothing.
 */
static void
clean_header(struct sbuf *out, const char *s)
{
	size_t n = strlen(s), start = out->len;
	int space = 1;	/* drops leading white space */

	while (n > 0) {
		uint32_t cp;
		size_t k = utf8_decode(s, n, &cp);

		if (k == 0) {
			cp = 0xfffd;
			k = 1;
		}
		if (cp == ' ' || is_control(cp)) {
			if (!space)
				sb_addc(out, ' ');
			space = 1;
		} else {
			add_cp(out, cp);
			space = 0;
		}
		s += k;
		n -= k;
	}
	if (out->len > start && out->buf[out->len - 1] == ' ')
		out->buf[--out->len] = '\0';
}

/*
 * Can clean text go as it is?  Only printable ASCII, and no "=?": a
 * word that merely looks like an encoded-word would be decoded by the
 * reader (RFC 2047 5 wants such text encoded).
 */
static int
plain_ascii(const char *s)
{
	const char *p;

	for (p = s; *p; p++)
		if ((unsigned char)*p >= 0x80)
			return 0;
	return strstr(s, "=?") == NULL;
}

/* Does every word of s fit on a line, the first one after col? */
static int
words_fit(const char *s, size_t col)
{
	while (*s) {
		size_t w = strcspn(s, " ");

		if (col + 1 + w > LINE_SOFT)
			return 0;
		col = 0;
		s += w;
		if (*s == ' ')
			s++;
	}
	return 1;
}

/*
 * Append the words of s (separated by single spaces), each after a
 * space, folding before a word that would pass the soft limit.  A fold
 * is LF followed by that same space, so unfolding restores s.
 */
static size_t
put_words(struct sbuf *out, const char *s, size_t col)
{
	while (*s) {
		size_t w = strcspn(s, " ");

		if (col > 0 && col + 1 + w > LINE_SOFT) {
			sb_addc(out, '\n');
			col = 0;
		}
		sb_addc(out, ' ');
		sb_add(out, s, w);
		col += 1 + w;
		s += w;
		if (*s == ' ')
			s++;
	}
	return col;
}

/*
 * Append s, valid UTF-8, as B encoded-words, each after a space and
 * filling what is left of the line, cut between characters only: RFC
 * 2047 5 forbids splitting a character, and a decoder joins adjacent
 * encoded-words without the white space between them.  B rather than
 * Q because most names here are Cyrillic or Greek, where Q triples
 * every octet.
 */
static size_t
put_encoded(struct sbuf *out, const char *s, size_t col)
{
	size_t n = strlen(s);
	int first = 1;

	while (n > 0) {
		size_t room = 0, maxb, b = 0;

		if (col + 1 + EW_FRAME < LINE_SOFT)
			room = LINE_SOFT - col - 1 - EW_FRAME;
		if (room > EW_MAX_B64)
			room = EW_MAX_B64;
		maxb = room / 4 * 3;
		while (b < n) {
			uint32_t cp;
			size_t k = utf8_decode(s + b, n - b, &cp);

			if (k == 0)
				k = 1;	/* cannot happen after clean_header() */
			if (b + k > maxb)
				break;
			b += k;
		}
		if (b == 0) {
			/* Not one character fits: go on on a new line. */
			sb_addc(out, '\n');
			col = 0;
			continue;
		}
		if (b < n) {
			/*
			 * Cut after a space when there is one in the second
			 * half, or else start a new line if the word could
			 * begin there: decoders that wrongly keep the white
			 * space between encoded-words (Python's parser for
			 * addresses, cpython gh-128110) then show two spaces
			 * rather than a space inside a word.
			 */
			size_t j = b;

			while (j > b / 2 && s[j - 1] != ' ')
				j--;
			if (j > b / 2) {
				b = j;
			} else if (!first && col > 0) {
				sb_addc(out, '\n');
				col = 0;
				continue;
			}
		}
		sb_addc(out, ' ');
		sb_adds(out, EW_PREFIX);
		base64(out, (const unsigned char *)s, b);
		sb_adds(out, "?=");
		col += 1 + EW_FRAME + (b + 2) / 3 * 4;
		s += b;
		n -= b;
		first = 0;
	}
	return col;
}

/* One unbreakable token after a space, on a new line if that helps. */
static size_t
put_token(struct sbuf *out, const char *tok, size_t col)
{
	size_t n = strlen(tok);

	if (col > 0 && col + 1 + n > LINE_SOFT) {
		sb_addc(out, '\n');
		col = 0;
	}
	sb_addc(out, ' ');
	sb_add(out, tok, n);
	return col + 1 + n;
}

size_t
mail_encode_header_text(struct sbuf *out, const char *text, size_t col)
{
	struct sbuf t = SBUF_INIT;

	clean_header(&t, text ? text : "");
	if (t.len > 0) {
		if (plain_ascii(t.buf) && words_fit(t.buf, col))
			col = put_words(out, t.buf, col);
		else
			col = put_encoded(out, t.buf, col);
	}
	sb_release(&t);
	return col;
}

/*
 * A display name, already cleaned and not empty: atoms as they are, a
 * quoted-string when it holds RFC 5322 specials, encoded-words when it
 * is not plain ASCII.
 */
static size_t
put_phrase(struct sbuf *out, const char *name, size_t col)
{
	struct sbuf qs = SBUF_INIT;
	const char *p;

	if (!plain_ascii(name))
		return put_encoded(out, name, col);
	if (!strpbrk(name, "()<>[]:;@\\,.\"")) {
		if (words_fit(name, col))
			return put_words(out, name, col);
		return put_encoded(out, name, col);
	}
	sb_addc(&qs, '"');
	for (p = name; *p; p++) {
		if (*p == '"' || *p == '\\')
			sb_addc(&qs, '\\');
		sb_addc(&qs, *p);
	}
	sb_addc(&qs, '"');
	/* Folding at a space inside a quoted-string is allowed (FWS). */
	if (words_fit(qs.buf, col))
		col = put_words(out, qs.buf, col);
	else
		col = put_encoded(out, name, col);
	sb_release(&qs);
	return col;
}

static size_t
put_address(struct sbuf *out, const struct mail_addr *a, size_t col)
{
	struct sbuf name = SBUF_INIT;

	clean_header(&name, a->name ? a->name : "");
	if (name.len == 0) {
		col = put_token(out, a->addr, col);
	} else {
		char *angle = xasprintf("<%s>", a->addr);

		col = put_phrase(out, name.buf, col);
		col = put_token(out, angle, col);
		free(angle);
	}
	sb_release(&name);
	return col;
}

/* RFC 5322 atext: what a dot-atom may hold besides dots. */
static int
is_atext(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

/* Check s[0..n) as a dot-atom; returns NULL or what is wrong. */
static const char *
dot_atom_problem(const char *s, size_t n, const char *part)
{
	static char why[64];
	size_t i;

	if (n == 0) {
		snprintf(why, sizeof(why), "empty %s", part);
		return why;
	}
	if (s[0] == '.' || s[n - 1] == '.' || memmem(s, n, "..", 2)) {
		snprintf(why, sizeof(why), "misplaced dot in the %s", part);
		return why;
	}
	for (i = 0; i < n; i++) {
		if (s[i] != '.' && !is_atext((unsigned char)s[i])) {
			snprintf(why, sizeof(why), "'%c' not allowed", s[i]);
			return why;
		}
	}
	return NULL;
}

/* An addr-spec or a Message-ID: left "@" right, both dot-atoms. */
static int
check_addr_spec(const char *what, const char *addr, struct crm_err *err)
{
	const char *p, *at, *why;

	if (!addr || !*addr)
		return crm_error(err, "empty %s", what);
	for (p = addr; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c < 0x20 || c == 0x7f)
			return crm_error(err, "invalid %s '%s': control character",
			    what, q(addr));
		if (c >= 0x80)
			return crm_error(err, "invalid %s '%s': not ASCII "
			    "(give the domain in punycode)", what, q(addr));
		if (c == ' ')
			return crm_error(err, "invalid %s '%s': space", what, q(addr));
	}
	if (p - addr > ADDR_MAX)
		return crm_error(err, "invalid %s '%s': longer than %d octets",
		    what, q(addr), ADDR_MAX);
	at = strchr(addr, '@');
	if (!at || strchr(at + 1, '@'))
		return crm_error(err, "invalid %s '%s': %s", what, q(addr),
		    at ? "more than one '@'" : "no '@'");
	why = dot_atom_problem(addr, (size_t)(at - addr), "local part");
	if (!why)
		why = dot_atom_problem(at + 1, strlen(at + 1), "domain");
	if (why)
		return crm_error(err, "invalid %s '%s': %s", what, q(addr), why);
	return 0;
}

int
mail_check_addr(const char *addr, struct crm_err *err)
{
	return check_addr_spec("e-mail address", addr, err);
}

static const char day_names[7][4] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};
static const char month_names[12][4] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

void
mail_date(char buf[MAIL_DATE_MAX], time_t t, int tzoff)
{
	struct tm tm;
	time_t lt;
	int off = 0, a;

	if (tzoff == MAIL_TZ_LOCAL) {
		/*
		 * tm_gmtoff (BSD, glibc, musl) rather than strftime("%z"):
		 * then the rest goes the same way as a fixed offset, and the
		 * names do not depend on LC_TIME.
		 */
		if (localtime_r(&t, &tm))
			off = (int)(tm.tm_gmtoff / 60);
	} else if (tzoff >= -1439 && tzoff <= 1439) {
		off = tzoff;
	}
	/* Keep t + off from overflowing; gmtime_r() fails long before. */
	if ((long long)t > 1LL << 55 || (long long)t < -(1LL << 55))
		t = 0;
	lt = t + (time_t)off * 60;
	if (!gmtime_r(&lt, &tm)) {
		/* Only for times past year 2^31: say the epoch, not garbage. */
		lt = 0;
		off = 0;
		gmtime_r(&lt, &tm);
	}
	a = off < 0 ? -off : off;
	snprintf(buf, MAIL_DATE_MAX, "%s, %02d %s %04d %02d:%02d:%02d %c%02d%02d",
	    day_names[tm.tm_wday], tm.tm_mday, month_names[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    off < 0 ? '-' : '+', a / 60, a % 60);
}

void
mail_message_id(struct sbuf *out, time_t t, const char *domain)
{
	static unsigned long counter;
	unsigned char rnd[8];
	uint64_t r = 0;
	struct tm tm;
	size_t i;

	if (getrandom(rnd, sizeof(rnd), GRND_NONBLOCK) == (ssize_t)sizeof(rnd)) {
		for (i = 0; i < sizeof(rnd); i++)
			r = r << 8 | rnd[i];
	} else {
		/*
		 * No entropy yet (early boot) or no getrandom: the time, pid
		 * and counter are unique on this host anyway; nanoseconds and
		 * an ASLR address keep two hosts apart.
		 */
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		r = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ULL ^
		    (uint64_t)(uintptr_t)&counter;
	}
	if (!gmtime_r(&t, &tm)) {
		time_t zero = 0;

		gmtime_r(&zero, &tm);
	}
	sb_printf(out, "<%04d%02d%02d%02d%02d%02d.%ld.%lu.%016llx@%s>",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (long)getpid(), ++counter,
	    (unsigned long long)r, domain);
}

/*
 * Clean the body into out: invalid UTF-8 becomes U+FFFD, CRLF and lone
 * CR become LF (a bare CR is not allowed in 8bit data, RFC 2045 2.8),
 * other control characters but TAB are dropped, and a missing final
 * newline is added.
 */
static void
clean_body(struct sbuf *out, const char *s)
{
	size_t n = strlen(s);

	while (n > 0) {
		uint32_t cp;
		size_t k = utf8_decode(s, n, &cp);

		if (k == 0) {
			cp = 0xfffd;
			k = 1;
		}
		if (cp == '\r') {
			if (n > 1 && s[1] == '\n')
				k = 2;
			sb_addc(out, '\n');
		} else if (cp == '\n' || cp == '\t' || !is_control(cp)) {
			add_cp(out, cp);
		}
		s += k;
		n -= k;
	}
	if (out->len > 0 && out->buf[out->len - 1] != '\n')
		sb_addc(out, '\n');
}

/*
 * Quoted-printable (RFC 2045 6.7) for a body with over-long lines:
 * encoded lines of at most 76 characters with "=" soft breaks, "=XX"
 * never cut, white space at the end of a line encoded, since MTAs may
 * strip it.  s is a cleaned body: lines end with LF.
 */
static void
put_qp(struct sbuf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t col = 0, i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char tok[3];
		size_t tl = 1;

		if (c == '\n') {
			sb_addc(out, '\n');
			col = 0;
			continue;
		}
		tok[0] = (char)c;
		if (c == '=' || c >= 0x7f || (c < 0x20 && c != '\t') ||
		    ((c == ' ' || c == '\t') && (i + 1 == n || s[i + 1] == '\n'))) {
			tok[0] = '=';
			tok[1] = hex[c >> 4];
			tok[2] = hex[c & 15];
			tl = 3;
		}
		if (col + tl > 75) {
			sb_adds(out, "=\n");
			col = 0;
		}
		sb_add(out, tok, tl);
		col += tl;
	}
}

static void
put_body(struct sbuf *out, const char *text)
{
	struct sbuf b = SBUF_INIT;
	size_t i, line = 0, longest = 0;
	int eight = 0;

	clean_body(&b, text ? text : "");
	for (i = 0; i < b.len; i++) {
		if (b.buf[i] == '\n') {
			if (line > longest)
				longest = line;
			line = 0;
		} else {
			line++;
			if ((unsigned char)b.buf[i] >= 0x80)
				eight = 1;
		}
	}
	if (longest > LINE_HARD) {
		sb_adds(out, "Content-Transfer-Encoding: quoted-printable\n\n");
		put_qp(out, b.buf, b.len);
	} else {
		sb_printf(out, "Content-Transfer-Encoding: %s\n\n",
		    eight ? "8bit" : "7bit");
		sb_add(out, sb_str(&b), b.len);
	}
	sb_release(&b);
}

int
mail_format(struct sbuf *out, const struct mail_msg *m, struct crm_err *err)
{
	char date[MAIL_DATE_MAX];
	const char *domain;
	size_t i, col;

	/* Check everything first, so that a failure writes nothing. */
	if (mail_check_addr(m->from.addr, err) < 0)
		return -1;
	if (!m->to || m->nto == 0)
		return crm_error(err, "no recipient");
	for (i = 0; i < m->nto; i++)
		if (mail_check_addr(m->to[i].addr, err) < 0)
			return -1;
	if (m->tzoff != MAIL_TZ_LOCAL && (m->tzoff < -1439 || m->tzoff > 1439))
		return crm_error(err, "invalid time zone offset %d minutes",
		    m->tzoff);
	if (m->msgid) {
		if (check_addr_spec("Message-ID", m->msgid, err) < 0)
			return -1;
		domain = NULL;
	} else {
		const char *why;

		domain = m->msgid_domain ? m->msgid_domain :
		    strchr(m->from.addr, '@') + 1;
		why = dot_atom_problem(domain, strlen(domain), "domain");
		if (why)
			return crm_error(err, "invalid Message-ID domain '%s': %s",
			    q(domain), why);
	}

	mail_date(date, m->date, m->tzoff);
	sb_printf(out, "Date: %s\n", date);
	sb_adds(out, "From:");
	put_address(out, &m->from, 5);
	sb_adds(out, "\nTo:");
	/* One recipient a line: simple, and always within the limits. */
	for (col = 3, i = 0; i < m->nto; i++, col = 0) {
		if (i > 0)
			sb_adds(out, ",\n");
		put_address(out, &m->to[i], col);
	}
	sb_addc(out, '\n');
	if (m->subject) {
		sb_adds(out, "Subject:");
		mail_encode_header_text(out, m->subject, 8);
		sb_addc(out, '\n');
	}
	sb_adds(out, "Message-ID:");
	if (m->msgid) {
		char *angle = xasprintf("<%s>", m->msgid);

		put_token(out, angle, 11);
		free(angle);
	} else {
		struct sbuf id = SBUF_INIT;

		mail_message_id(&id, m->date, domain);
		put_token(out, id.buf, 11);
		sb_release(&id);
	}
	/*
	 * Auto-Submitted (RFC 3834) tells vacation responders and the like
	 * not to answer a cron job.
	 */
	sb_adds(out, "\nAuto-Submitted: auto-generated\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=UTF-8\n");
	put_body(out, m->body);
	return 0;
}
