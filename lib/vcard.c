/*
 * vcard.c - reading vCard 2.1, 3.0 and 4.0 into contacts, writing 3.0.
 *
 * The reader goes in three steps.  Physical lines are joined into
 * logical ones (unfolding, quoted-printable soft line breaks, 2.1
 * base64 lines); each logical line is split into group, name,
 * parameters and value; the values of the properties crm keeps are
 * decoded (transfer encoding, then charset, then TEXT escapes) into the
 * contact being built.
 */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "date.h"
#include "ics.h"
#include "vcard.h"

enum { ENC_NONE, ENC_QP, ENC_B64 };

struct parser {
	const char *p, *end;	/* the next physical line */
	long lineno;		/* physical lines consumed */
	const char *name;	/* for messages */
	struct sbuf line;	/* the logical line */
	long line_at;		/* where it starts */
	struct sbuf val, tmp;	/* the value being decoded */
	/* The last iconv descriptor, kept: a 2.1 file in windows-1251 has
	 * the same CHARSET on most of its lines. */
	iconv_t cd;
	char *cd_charset;
	struct crm_err *err;
};

/* A property line taken apart in place; the strings point into the line. */
struct prop {
	char *name;	/* without its group */
	char *value;
	size_t vlen;
	int enc;
	char *charset;	/* NULL: none given */
	struct sbuf types;	/* lower case, comma separated */
	int pref;
	int value_text;	/* VALUE=text: a BDAY that is no date */
	int omit_year;	/* X-APPLE-OMIT-YEAR, or 0 */
};

static const char *
str_or_empty(const char *s)
{
	return s ? s : "";
}

static int
is_blank_char(int c)
{
	return c == ' ' || c == '\t';
}

static int
is_name_char(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static int
is_b64_char(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* ---- physical and logical lines ---- */

/*
 * The next physical line without its line end (LF, CRLF or a lone CR),
 * not yet consumed: *next is where the line after it starts.  Returns 0
 * at the end of the data.
 */
static int
phys_peek(const struct parser *ps, const char **s, size_t *n, const char **next)
{
	const char *p = ps->p;

	if (p >= ps->end)
		return 0;
	while (p < ps->end && *p != '\n' && *p != '\r')
		p++;
	*s = ps->p;
	*n = (size_t)(p - ps->p);
	if (p < ps->end && *p == '\r') {
		p++;
		if (p < ps->end && *p == '\n')
			p++;
	} else if (p < ps->end) {
		p++;
	}
	*next = p;
	return 1;
}

static void
phys_consume(struct parser *ps, const char *next)
{
	ps->p = next;
	ps->lineno++;
}

static int
all_blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_blank_char(s[i]))
			return 0;
	return 1;
}

/* A line of 2.1 base64 data: base64 characters and blanks, nothing else. */
static int
is_b64_line(const char *s, size_t n)
{
	size_t i;
	int any = 0;

	for (i = 0; i < n; i++) {
		if (is_b64_char((unsigned char)s[i]))
			any = 1;
		else if (!is_blank_char(s[i]))
			return 0;
	}
	return any;
}

/*
 * The transfer encoding named in the parameters of a line as far as it
 * has been read: its text up to the first colon.  Needed before the
 * line is complete, since it decides how the line goes on.
 */
static int
header_encoding(const char *s, size_t n)
{
	const char *colon = memchr(s, ':', n);
	const char *p, *e;

	if (!colon)
		return ENC_NONE;
	for (p = memchr(s, ';', (size_t)(colon - s)); p && p < colon; p = e) {
		const char *eq;
		size_t len;
		int named = 0;	/* ENCODING=x rather than 2.1's bare x */

		p++;
		e = memchr(p, ';', (size_t)(colon - p));
		if (!e)
			e = colon;
		len = (size_t)(e - p);
		eq = memchr(p, '=', len);
		if (eq && (size_t)(eq - p) == 8 && strncasecmp(p, "ENCODING", 8) == 0) {
			p = eq + 1;
			len = (size_t)(e - p);
			named = 1;
		}
		if (len == 16 && strncasecmp(p, "QUOTED-PRINTABLE", 16) == 0)
			return ENC_QP;
		if ((len == 6 && strncasecmp(p, "BASE64", 6) == 0) ||
		    (named && len == 1 && (*p == 'b' || *p == 'B')))
			return ENC_B64;
	}
	return ENC_NONE;
}

/* Does a quoted-printable line end with a soft line break ("=")? */
static int
qp_soft_break(struct sbuf *line)
{
	size_t n = line->len;

	while (n > 0 && is_blank_char(line->buf[n - 1]))
		n--;
	if (n == 0 || line->buf[n - 1] != '=')
		return 0;
	line->len = n - 1;
	line->buf[line->len] = '\0';
	return 1;
}

/*
 * Read the next logical line into ps->line, its first physical line in
 * ps->line_at.  Blank lines are skipped.  Returns 0 at the end.
 */
static int
logical_next(struct parser *ps)
{
	const char *s, *next;
	size_t n, scanned = 0;
	int enc = -1;

	for (;;) {
		if (!phys_peek(ps, &s, &n, &next))
			return 0;
		phys_consume(ps, next);
		if (!all_blank(s, n))
			break;
	}
	/* A line indented with nothing before it to continue: take it as
	 * it stands (hand-made files sometimes indent). */
	while (n > 0 && is_blank_char(*s)) {
		s++;
		n--;
	}
	sb_reset(&ps->line);
	sb_add(&ps->line, s, n);
	ps->line_at = ps->lineno;
	for (;;) {
		if (!phys_peek(ps, &s, &n, &next))
			break;
		/* The encoding is known once the colon is: look for it in what
		 * was added only, so that a long line without one stays linear. */
		if (enc < 0) {
			if (memchr(ps->line.buf + scanned, ':',
			    ps->line.len - scanned))
				enc = header_encoding(ps->line.buf, ps->line.len);
			scanned = ps->line.len;
		}
		if (enc == ENC_QP && qp_soft_break(&ps->line)) {
			/* The next line goes on verbatim: an indent is data. */
			sb_add(&ps->line, s, n);
		} else if (n > 0 && is_blank_char(*s)) {
			sb_add(&ps->line, s + 1, n - 1);
		} else if (enc == ENC_B64 && is_b64_line(s, n)) {
			sb_add(&ps->line, s, n);
		} else {
			break;
		}
		phys_consume(ps, next);
	}
	return 1;
}

/* ---- one property line ---- */

static void
add_type(struct sbuf *types, const char *t, size_t n)
{
	const char *p = sb_str(types);
	size_t i;

	while (n > 0 && is_blank_char(*t)) {
		t++;
		n--;
	}
	while (n > 0 && is_blank_char(t[n - 1]))
		n--;
	if (n == 0)
		return;
	/* Without repeats: Apple writes type=VOICE twice now and then. */
	while (*p) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == n && strncasecmp(p, t, n) == 0)
			return;
		p += len + (e != NULL);
	}
	if (types->len)
		sb_addc(types, ',');
	for (i = 0; i < n; i++) {
		char c = t[i];

		sb_addc(types, c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
}

/* PREF=n: the rank, 1 to 100; anything else counts as preferred (1). */
static int
pref_rank(const char *v)
{
	char *e;
	long r = strtol(v, &e, 10);

	return e != v && *e == '\0' && r >= 1 && r <= 100 ? (int)r : 1;
}

static void
set_pref(struct prop *pr, int rank)
{
	if (pr->pref == 0 || rank < pr->pref)
		pr->pref = rank;
}

static void
take_types(struct prop *pr, const char *v)
{
	while (*v) {
		const char *e = strchr(v, ',');
		size_t len = e ? (size_t)(e - v) : strlen(v);

		if (len == 4 && strncasecmp(v, "pref", 4) == 0)
			set_pref(pr, 1);
		else
			add_type(&pr->types, v, len);
		v += len + (e != NULL);
	}
}

static void
take_param(struct prop *pr, char *pname, char *pval)
{
	if (!pval) {
		/* 2.1's bare parameters: an encoding, PREF, or a type. */
		if (strcasecmp(pname, "QUOTED-PRINTABLE") == 0)
			pr->enc = ENC_QP;
		else if (strcasecmp(pname, "BASE64") == 0)
			pr->enc = ENC_B64;
		else if (strcasecmp(pname, "8BIT") == 0 ||
		    strcasecmp(pname, "7BIT") == 0)
			pr->enc = ENC_NONE;
		else if (strcasecmp(pname, "PREF") == 0)
			set_pref(pr, 1);
		else
			add_type(&pr->types, pname, strlen(pname));
	} else if (strcasecmp(pname, "ENCODING") == 0) {
		if (strcasecmp(pval, "QUOTED-PRINTABLE") == 0)
			pr->enc = ENC_QP;
		else if (strcasecmp(pval, "B") == 0 ||
		    strcasecmp(pval, "BASE64") == 0)
			pr->enc = ENC_B64;
		else
			pr->enc = ENC_NONE;
	} else if (strcasecmp(pname, "CHARSET") == 0) {
		pr->charset = pval;
	} else if (strcasecmp(pname, "TYPE") == 0) {
		take_types(pr, pval);
	} else if (strcasecmp(pname, "PREF") == 0) {
		set_pref(pr, pref_rank(pval));
	} else if (strcasecmp(pname, "VALUE") == 0) {
		pr->value_text = strcasecmp(pval, "text") == 0;
	} else if (strcasecmp(pname, "X-APPLE-OMIT-YEAR") == 0) {
		pr->omit_year = atoi(pval);
	}
}

/*
 * Take the line s apart in place: [group "."] name *(";" param) ":"
 * value.  The name is put in upper case.  Returns -1, with s untouched,
 * when the line is not a property.
 */
static int
parse_prop(char *s, size_t len, struct prop *pr)
{
	char *p = s, *colon, *name, *name_end;
	int quoted = 0;

	/* Group and name: letters, digits, '-' and '_', pieces joined by
	 * dots.  All checked before anything is changed. */
	name = s;
	for (;;) {
		char *start = p;

		while (is_name_char((unsigned char)*p))
			p++;
		if (p == start)
			return -1;
		if (*p != '.')
			break;
		name = ++p;
	}
	if (*p != ';' && *p != ':')
		return -1;
	name_end = p;
	for (colon = p; colon < s + len; colon++) {
		if (*colon == '"')
			quoted = !quoted;
		else if (*colon == ':' && !quoted)
			break;
	}
	if (colon >= s + len)
		return -1;

	memset(pr, 0, sizeof(*pr));
	pr->name = name;
	for (; name < name_end; name++)
		if (*name >= 'a' && *name <= 'z')
			*name = (char)(*name - 'a' + 'A');
	pr->value = colon + 1;
	pr->vlen = len - (size_t)(colon + 1 - s);
	/* Each parameter is cut out with a NUL where its ';', '=' or closing
	 * quote was; p always moves on past the ';' that ends the last one. */
	while (p < colon) {
		char *pname, *pval = NULL;

		pname = ++p;
		while (p < colon && *p != ';' && *p != '=')
			p++;
		if (p < colon && *p == '=') {
			char *o;

			*p++ = '\0';
			pval = o = p;
			quoted = 0;
			while (p < colon && (quoted || *p != ';')) {
				if (*p == '"')
					quoted = !quoted;
				else
					*o++ = *p;
				p++;
			}
			*o = '\0';
		} else {
			*p = '\0';
		}
		if (*pname)
			take_param(pr, pname, pval);
	}
	*name_end = '\0';
	*colon = '\0';
	return 0;
}

/* ---- decoding values ---- */

static void
qp_decode(struct sbuf *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int hi, lo;

		if (s[i] == '=' && i + 2 < n &&
		    (hi = hexval((unsigned char)s[i + 1])) >= 0 &&
		    (lo = hexval((unsigned char)s[i + 2])) >= 0) {
			sb_addc(out, hi << 4 | lo);
			i += 2;
		} else if (s[i] == '=' && i + 1 == n) {
			break;	/* a soft line break at the very end */
		} else {
			sb_addc(out, s[i]);
		}
	}
}

static int
b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decode base64, blanks allowed anywhere.  Returns 0, or -1 when broken. */
static int
b64_decode(struct sbuf *out, const char *s, size_t n)
{
	unsigned long acc = 0;
	int bits = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i], v;

		if (is_blank_char(c))
			continue;
		if (c == '=')
			break;
		if ((v = b64val(c)) < 0)
			return -1;
		acc = (acc << 6 | (unsigned long)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			sb_addc(out, (int)(acc >> bits & 0xff));
		}
	}
	for (; i < n; i++)
		if (s[i] != '=' && !is_blank_char(s[i]))
			return -1;
	return 0;
}

static int
is_utf8_charset(const char *cs)
{
	return strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "UTF8") == 0 ||
	    strcasecmp(cs, "US-ASCII") == 0 || strcasecmp(cs, "ASCII") == 0;
}

/*
 * Convert n bytes at in from charset to UTF-8, appended to out.  Returns
 * 0, or -1 when iconv(3) does not know the charset or the bytes are not
 * text in it.
 */
static int
to_utf8(struct parser *ps, const char *charset, const char *in, size_t n,
    struct sbuf *out, const char *prop)
{
	char *ip = (char *)in;
	int flushed = 0;

	if (!ps->cd_charset || strcasecmp(ps->cd_charset, charset) != 0) {
		iconv_t cd = iconv_open("UTF-8", charset);

		if (cd == (iconv_t)-1)
			return crm_error(ps->err, "%s:%ld: unknown charset '%s'",
			    ps->name, ps->line_at, q(charset));
		if (ps->cd_charset)
			iconv_close(ps->cd);
		free(ps->cd_charset);
		ps->cd = cd;
		ps->cd_charset = xstrdup(charset);
	}
	iconv(ps->cd, NULL, NULL, NULL, NULL);
	while (n > 0 || !flushed) {
		char *op;
		size_t room, r;

		sb_grow(out, n * 4 + 16);
		op = out->buf + out->len;
		room = out->cap - out->len - 1;
		if (n > 0) {
			r = iconv(ps->cd, &ip, &n, &op, &room);
		} else {
			/* End a stateful encoding (ISO-2022-JP) in its ground state. */
			r = iconv(ps->cd, NULL, NULL, &op, &room);
			if (r != (size_t)-1)
				flushed = 1;
		}
		out->len = (size_t)(op - out->buf);
		out->buf[out->len] = '\0';
		if (r == (size_t)-1 && errno != E2BIG)
			return crm_error(ps->err, "%s:%ld: invalid %s text in %s",
			    ps->name, ps->line_at, q(charset), prop);
	}
	return 0;
}

/*
 * Decode the value of pr into ps->val: the transfer encoding, then the
 * charset.  The result must be UTF-8 without NUL bytes; its line ends
 * (from quoted-printable =0D=0A) become line feeds.  TEXT escapes are
 * left for the caller, which knows the value's structure.
 */
static int
decode_value(struct parser *ps, const struct prop *pr)
{
	struct sbuf *v = &ps->val;
	size_t bad, i, o;

	sb_reset(&ps->tmp);
	switch (pr->enc) {
	case ENC_QP:
		qp_decode(&ps->tmp, pr->value, pr->vlen);
		break;
	case ENC_B64:
		if (b64_decode(&ps->tmp, pr->value, pr->vlen) < 0)
			return crm_error(ps->err, "%s:%ld: invalid base64 in %s",
			    ps->name, ps->line_at, pr->name);
		break;
	default:
		sb_add(&ps->tmp, pr->value, pr->vlen);
		break;
	}
	sb_reset(v);
	if (pr->charset && !is_utf8_charset(pr->charset)) {
		if (to_utf8(ps, pr->charset, sb_str(&ps->tmp), ps->tmp.len, v,
		    pr->name) < 0)
			return -1;
	} else {
		sb_add(v, sb_str(&ps->tmp), ps->tmp.len);
	}
	sb_grow(v, 0);	/* v->buf is not NULL from here on */
	if (memchr(v->buf, '\0', v->len))
		return crm_error(ps->err, "%s:%ld: NUL byte in %s", ps->name,
		    ps->line_at, pr->name);
	if ((bad = utf8_invalid_at(v->buf, v->len)) != (size_t)-1)
		return crm_error(ps->err, "%s:%ld: invalid UTF-8 in %s '%s'",
		    ps->name, ps->line_at, pr->name, q(v->buf));
	for (i = o = 0; i < v->len; i++) {
		if (v->buf[i] == '\r') {
			if (i + 1 < v->len && v->buf[i + 1] == '\n')
				i++;
			v->buf[o++] = '\n';
		} else {
			v->buf[o++] = v->buf[i];
		}
	}
	v->len = o;
	v->buf[o] = '\0';
	return 0;
}

/* ---- TEXT values ---- */

/* Append s with its TEXT escapes undone; an unknown escape stays as is. */
static void
unescape(struct sbuf *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			char c = s[i + 1];

			if (c == 'n' || c == 'N') {
				sb_addc(out, '\n');
				i++;
				continue;
			}
			if (c == ',' || c == ';' || c == '\\' || c == ':') {
				sb_addc(out, c);
				i++;
				continue;
			}
		}
		sb_addc(out, s[i]);
	}
}

static char *
text_value(const char *s, size_t n)
{
	struct sbuf sb = SBUF_INIT;

	unescape(&sb, s, n);
	return sb_detach(&sb);
}

/* The length of s up to its first sep that no backslash escapes. */
static size_t
span_unescaped(const char *s, size_t n, int sep)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		else if (s[i] == sep)
			break;
	}
	return i;
}

/* Unescape s, then trim it: returns a malloc'ed string. */
static char *
text_trimmed(const char *s, size_t n)
{
	char *t = text_value(s, n), *r = str_trim(t);

	free(t);
	return r;
}

/* One component of N: its comma-separated values joined with spaces. */
static char *
name_component(const char *s, size_t n)
{
	struct sbuf sb = SBUF_INIT;

	for (;;) {
		size_t k = span_unescaped(s, n, ',');
		char *t = text_trimmed(s, k);

		if (*t) {
			if (sb.len)
				sb_addc(&sb, ' ');
			sb_adds(&sb, t);
		}
		free(t);
		if (k >= n)
			break;
		s += k + 1;
		n -= k + 1;
	}
	return sb_detach(&sb);
}

/* The display name of N: prefixes, given, additional, family, suffixes. */
static char *
display_name(const struct vcard_name *n)
{
	const char *part[5];
	struct sbuf sb = SBUF_INIT;
	size_t i;

	part[0] = n->prefixes;
	part[1] = n->given;
	part[2] = n->additional;
	part[3] = n->family;
	part[4] = n->suffixes;
	for (i = 0; i < ARRAY_SIZE(part); i++) {
		if (!part[i] || !*part[i])
			continue;
		if (sb.len)
			sb_addc(&sb, ' ');
		sb_adds(&sb, part[i]);
	}
	return sb_detach(&sb);
}

/* ---- birthdays ---- */

static int
digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		*v = *v * 10 + (s[i] - '0');
	}
	return 1;
}

/*
 * Read a birthday in any of the forms of RFC 2426 and RFC 6350:
 * 19700101, 1970-01-01, --0101, --01-01, each maybe followed by a time
 * (1970-01-01T00:00:00Z), which is ignored.  Year 1604 (Apple's "no
 * year") and omit_year mean that the year is not known.  Returns 1 with
 * YYYY-MM-DD or --MM-DD in out (32 bytes), 0 for the reduced forms
 * without a month and a day (1985, 1985-04, --04, ---15), -1 when s is
 * not a date.
 */
static int
bday_parse(const char *s, int omit_year, char *out)
{
	char *t = str_trim(s), *cut;
	size_t n;
	int y = 0, m = 0, d = 0, year = 1, ret = 1;

	if ((cut = strpbrk(t, "T ")) != NULL)
		*cut = '\0';
	n = strlen(t);
	if (n == 8 && digits(t, 4, &y) && digits(t + 4, 2, &m) && digits(t + 6, 2, &d)) {
		;
	} else if (n == 10 && t[4] == '-' && t[7] == '-' && digits(t, 4, &y) &&
	    digits(t + 5, 2, &m) && digits(t + 8, 2, &d)) {
		;
	} else if (n == 6 && starts_with(t, "--") && digits(t + 2, 2, &m) &&
	    digits(t + 4, 2, &d)) {
		year = 0;
	} else if (n == 7 && starts_with(t, "--") && t[4] == '-' &&
	    digits(t + 2, 2, &m) && digits(t + 5, 2, &d)) {
		year = 0;
	} else if ((n == 4 && digits(t, 4, &y) && y >= 1) ||
	    (n == 7 && t[4] == '-' && digits(t, 4, &y) && y >= 1 &&
	    digits(t + 5, 2, &m) && m >= 1 && m <= 12) ||
	    (n == 4 && starts_with(t, "--") && digits(t + 2, 2, &m) &&
	    m >= 1 && m <= 12) ||
	    (n == 5 && starts_with(t, "---") && digits(t + 3, 2, &d) &&
	    d >= 1 && d <= 31)) {
		ret = 0;
	} else {
		ret = -1;
	}
	free(t);
	if (ret != 1)
		return ret;
	if (year && (y == 1604 || (omit_year && y == omit_year)))
		year = 0;
	if (year) {
		if (!date_is_valid(y, m, d))
			return -1;
		snprintf(out, 32, "%04d-%02d-%02d", y, m, d);
	} else {
		if (!date_is_valid(2000, m, d))	/* a leap year: --02-29 is fine */
			return -1;
		snprintf(out, 32, "--%02d-%02d", m, d);
	}
	return 1;
}

/* ---- building a contact ---- */

static void
add_value(struct vcard_value **v, size_t *n, const char *value,
    const char *types, int pref)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[*n].value = xstrdup(value);
	(*v)[*n].types = xstrdup(str_or_empty(types));
	(*v)[*n].pref = pref;
	(*n)++;
}

void
vcard_add_tel(struct vcard *c, const char *value, const char *types, int pref)
{
	add_value(&c->tel, &c->ntel, value, types, pref);
}

void
vcard_add_email(struct vcard *c, const char *value, const char *types, int pref)
{
	add_value(&c->email, &c->nemail, value, types, pref);
}

void
vcard_add_category(struct vcard *c, const char *category)
{
	c->categories = xreallocarray(c->categories, c->ncategories + 1,
	    sizeof(*c->categories));
	c->categories[c->ncategories++] = xstrdup(category);
}

/* Drop a URI scheme (case-insensitive) that a value may carry. */
static const char *
skip_scheme(const char *s, const char *scheme)
{
	size_t n = strlen(scheme);

	return strncasecmp(s, scheme, n) == 0 ? s + n : s;
}

/* TEL and EMAIL: trimmed, without a URI scheme; empty ones skipped. */
static void
take_value(struct vcard_value **v, size_t *n, struct prop *pr,
    const struct sbuf *val, const char *scheme)
{
	char *t = text_trimmed(val->buf, val->len);
	const char *s = skip_scheme(t, scheme);

	if (*s)
		add_value(v, n, s, sb_str(&pr->types), pr->pref);
	free(t);
}

/* Drop "internet" from the types of an EMAIL: it says nothing. */
static void
drop_internet(struct sbuf *types)
{
	struct sbuf sb = SBUF_INIT;
	const char *p = sb_str(types);

	while (*p) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (!(len == 8 && strncmp(p, "internet", 8) == 0)) {
			if (sb.len)
				sb_addc(&sb, ',');
			sb_add(&sb, p, len);
		}
		p += len + (e != NULL);
	}
	sb_reset(types);
	sb_add(types, sb_str(&sb), sb.len);
	sb_release(&sb);
}

/*
 * Is this one of the properties crm keeps?  Others are not decoded at
 * all: a PHOTO is skipped however large and whatever it holds.
 */
static int
wanted(const char *name)
{
	static const char *const names[] = {
		"FN", "N", "ORG", "TEL", "EMAIL", "BDAY", "CATEGORIES", "NOTE",
		"UID", "X-CRM-FIELD"
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (streq(name, names[i]))
			return 1;
	return 0;
}

static int
take_prop(struct parser *ps, struct vcard *c, struct prop *pr)
{
	const char *name = pr->name;
	const char *s;
	size_t n;

	if (!wanted(name))
		return 0;
	/* One FN, N, ORG, BDAY and UID: the first (4.0 may give others in
	 * other languages). */
	if ((streq(name, "FN") && c->fn) || (streq(name, "N") && c->n.family) ||
	    (streq(name, "ORG") && c->org) || (streq(name, "BDAY") && c->bday) ||
	    (streq(name, "UID") && c->uid))
		return 0;
	if (decode_value(ps, pr) < 0)
		return -1;
	s = ps->val.buf;
	n = ps->val.len;

	if (streq(name, "FN")) {
		c->fn = text_value(s, n);
	} else if (streq(name, "N")) {
		char **slot[5];
		size_t i;

		slot[0] = &c->n.family;
		slot[1] = &c->n.given;
		slot[2] = &c->n.additional;
		slot[3] = &c->n.prefixes;
		slot[4] = &c->n.suffixes;
		for (i = 0; i < ARRAY_SIZE(slot); i++) {
			size_t k = span_unescaped(s, n, ';');

			*slot[i] = name_component(s, k);
			k = k < n ? k + 1 : n;
			s += k;
			n -= k;
		}
	} else if (streq(name, "ORG")) {
		c->org = text_value(s, span_unescaped(s, n, ';'));
	} else if (streq(name, "TEL")) {
		take_value(&c->tel, &c->ntel, pr, &ps->val, "tel:");
	} else if (streq(name, "EMAIL")) {
		drop_internet(&pr->types);
		take_value(&c->email, &c->nemail, pr, &ps->val, "mailto:");
	} else if (streq(name, "BDAY")) {
		char buf[32], *t = text_trimmed(s, n);
		int r = pr->value_text ? 0 : bday_parse(t, pr->omit_year, buf);

		if (r < 0) {
			crm_error(ps->err, "%s:%ld: invalid BDAY '%s'", ps->name,
			    ps->line_at, q(t));
			free(t);
			return -1;
		}
		free(t);
		c->bday = xstrdup(r ? buf : "");
	} else if (streq(name, "CATEGORIES")) {
		for (;;) {
			size_t k = span_unescaped(s, n, ',');
			char *t = text_trimmed(s, k);

			if (*t)
				vcard_add_category(c, t);
			free(t);
			if (k >= n)
				break;
			s += k + 1;
			n -= k + 1;
		}
	} else if (streq(name, "NOTE")) {
		struct sbuf sb = SBUF_INIT;

		if (c->note) {
			sb_adds(&sb, c->note);
			sb_addc(&sb, '\n');
			free(c->note);
		}
		unescape(&sb, s, n);
		c->note = sb_detach(&sb);
	} else if (streq(name, "UID")) {
		c->uid = text_trimmed(s, n);
	} else if (streq(name, "X-CRM-FIELD")) {
		size_t k = span_unescaped(s, n, ';');
		char *fname = text_value(s, k);
		char *fval = k < n ? text_value(s + k + 1, n - k - 1) : xstrdup("");

		if (*fname)
			vcard_add_field(c, fname, fval);
		free(fname);
		free(fval);
	}
	return 0;
}

void
vcard_add_field(struct vcard *c, const char *name, const char *value)
{
	c->xname = xreallocarray(c->xname, c->nx + 1, sizeof(*c->xname));
	c->xval = xreallocarray(c->xval, c->nx + 1, sizeof(*c->xval));
	c->xname[c->nx] = xstrdup(name);
	c->xval[c->nx++] = xstrdup(value ? value : "");
}

/* A card is complete: every string set, FN made from N when missing. */
static void
finish_card(struct vcard *c)
{
	char **s[] = {
		&c->n.family, &c->n.given, &c->n.additional, &c->n.prefixes,
		&c->n.suffixes, &c->org, &c->bday, &c->note, &c->uid
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(s); i++)
		if (!*s[i])
			*s[i] = xstrdup("");
	if (!c->fn || !*c->fn) {
		free(c->fn);
		c->fn = display_name(&c->n);
	}
}

void
vcard_release(struct vcard *c)
{
	size_t i;

	free(c->fn);
	free(c->n.family);
	free(c->n.given);
	free(c->n.additional);
	free(c->n.prefixes);
	free(c->n.suffixes);
	free(c->org);
	for (i = 0; i < c->ntel; i++) {
		free(c->tel[i].value);
		free(c->tel[i].types);
	}
	free(c->tel);
	for (i = 0; i < c->nemail; i++) {
		free(c->email[i].value);
		free(c->email[i].types);
	}
	free(c->email);
	free(c->bday);
	for (i = 0; i < c->ncategories; i++)
		free(c->categories[i]);
	free(c->categories);
	free(c->note);
	free(c->uid);
	for (i = 0; i < c->nx; i++) {
		free(c->xname[i]);
		free(c->xval[i]);
	}
	free(c->xname);
	free(c->xval);
	memset(c, 0, sizeof(*c));
}

void
vcard_list_release(struct vcard_list *l)
{
	size_t i;

	for (i = 0; i < l->len; i++)
		vcard_release(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->len = l->cap = 0;
}

/* ---- the file ---- */

/* Is the property BEGIN or END (as told by name) of a VCARD? */
static int
is_vcard_mark(const struct prop *pr, const char *name)
{
	const char *v = pr->value;
	size_t n = pr->vlen;

	while (n > 0 && is_blank_char(*v)) {
		v++;
		n--;
	}
	while (n > 0 && is_blank_char(v[n - 1]))
		n--;
	return streq(pr->name, name) && n == 5 && strncasecmp(v, "VCARD", 5) == 0;
}

/*
 * Skip a vCard nested in a 2.1 AGENT property, up to its END:VCARD (any
 * depth).  Returns 0, or -1 when the file ends first.
 */
static int
skip_agent(struct parser *ps)
{
	long at = ps->line_at;
	int depth = 1;

	while (depth > 0) {
		struct prop pr;

		if (!logical_next(ps))
			return crm_error(ps->err,
			    "%s:%ld: BEGIN:VCARD without END:VCARD", ps->name, at);
		if (parse_prop(ps->line.buf, ps->line.len, &pr) < 0)
			continue;
		if (is_vcard_mark(&pr, "BEGIN"))
			depth++;
		else if (is_vcard_mark(&pr, "END"))
			depth--;
		sb_release(&pr.types);
	}
	return 0;
}

/*
 * A UTF-16 file (its byte-order mark tells) becomes UTF-8 in *buf.
 * Returns 0, or -1 when it is not valid UTF-16.
 */
static int
from_utf16(struct parser *ps, const char *data, size_t len, struct sbuf *buf)
{
	int r;

	ps->line_at = 0;
	r = to_utf8(ps, "UTF-16", data, len, buf, "");
	if (r < 0)
		return crm_error(ps->err, "%s: invalid UTF-16", ps->name);
	return 0;
}

int
vcard_parse(const char *data, size_t len, const char *name,
    struct vcard_list *out, struct crm_err *err)
{
	struct parser ps;
	struct vcard_list got = VCARD_LIST_INIT;
	struct vcard cur;
	struct sbuf utf16 = SBUF_INIT;
	int in_card = 0, agent = 0, ret = -1;
	size_t i;

	memset(&ps, 0, sizeof(ps));
	memset(&cur, 0, sizeof(cur));
	if (!data)
		data = "";	/* (NULL, 0): no pointer arithmetic on NULL */
	ps.name = name ? name : "stdin";
	ps.err = err;
	if (len >= 2 && ((data[0] == '\xff' && data[1] == '\xfe') ||
	    (data[0] == '\xfe' && data[1] == '\xff'))) {
		if (from_utf16(&ps, data, len, &utf16) < 0)
			goto out;
		data = sb_str(&utf16);
		len = utf16.len;
	}
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	ps.p = data;
	ps.end = data + len;

	while (logical_next(&ps)) {
		struct prop pr;
		int r = 0;

		if (memchr(ps.line.buf, '\0', ps.line.len)) {
			crm_error(err, "%s:%ld: NUL byte", ps.name, ps.line_at);
			goto out;
		}
		if (parse_prop(ps.line.buf, ps.line.len, &pr) < 0) {
			crm_error(err, "%s:%ld: not a vCard property '%s'", ps.name,
			    ps.line_at, q(ps.line.buf));
			goto out;
		}
		if (is_vcard_mark(&pr, "BEGIN")) {
			if (!in_card) {
				in_card = 1;
				agent = 0;
				cur.line = ps.line_at;
			} else if (agent) {
				r = skip_agent(&ps);
			} else {
				r = crm_error(err, "%s:%ld: BEGIN:VCARD without "
				    "END:VCARD", ps.name, cur.line);
			}
		} else if (is_vcard_mark(&pr, "END")) {
			if (!in_card) {
				r = crm_error(err, "%s:%ld: END:VCARD without "
				    "BEGIN:VCARD", ps.name, ps.line_at);
			} else {
				finish_card(&cur);
				ALLOC_GROW(got.v, got.len + 1, got.cap);
				got.v[got.len++] = cur;
				memset(&cur, 0, sizeof(cur));
				in_card = 0;
			}
		} else if (!in_card) {
			sb_reset(&ps.tmp);
			sb_printf(&ps.tmp, "%s:%.*s", pr.name, (int)pr.vlen, pr.value);
			r = crm_error(err, "%s:%ld: '%s' outside BEGIN:VCARD and "
			    "END:VCARD", ps.name, ps.line_at, q(ps.tmp.buf));
		} else {
			/* 2.1: "AGENT:" alone, the agent's vCard on the next lines. */
			agent = streq(pr.name, "AGENT") &&
			    all_blank(pr.value, pr.vlen);
			r = take_prop(&ps, &cur, &pr);
		}
		sb_release(&pr.types);
		if (r < 0)
			goto out;
	}
	if (in_card) {
		crm_error(err, "%s:%ld: BEGIN:VCARD without END:VCARD", ps.name,
		    cur.line);
		goto out;
	}
	for (i = 0; i < got.len; i++) {
		ALLOC_GROW(out->v, out->len + 1, out->cap);
		out->v[out->len++] = got.v[i];
	}
	got.len = 0;
	ret = 0;
out:
	vcard_release(&cur);
	vcard_list_release(&got);
	sb_release(&ps.line);
	sb_release(&ps.val);
	sb_release(&ps.tmp);
	sb_release(&utf16);
	if (ps.cd_charset) {
		iconv_close(ps.cd);
		free(ps.cd_charset);
	}
	return ret;
}

/* ---- looking at values ---- */

int
vcard_has_type(const struct vcard_value *v, const char *type)
{
	const char *p = str_or_empty(v->types);
	size_t n = strlen(type);

	while (*p) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == n && strncasecmp(p, type, n) == 0)
			return 1;
		p += len + (e != NULL);
	}
	return 0;
}

const struct vcard_value *
vcard_best(const struct vcard_value *v, size_t n, const char *type)
{
	const struct vcard_value *best = NULL;
	int best_rank = 0, best_typed = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		int rank = v[i].pref > 0 ? v[i].pref : 101;
		int typed = !type || vcard_has_type(&v[i], type);

		if (!best || rank < best_rank ||
		    (rank == best_rank && typed && !best_typed)) {
			best = &v[i];
			best_rank = rank;
			best_typed = typed;
		}
	}
	return best;
}

/* ---- the writer ---- */

/* Append "head:" and the escaped text as one folded content line. */
static void
write_text(struct sbuf *out, struct sbuf *line, const char *head,
    const char *text)
{
	sb_reset(line);
	sb_adds(line, head);
	sb_addc(line, ':');
	ics_escape_text(line, text);
	text_fold_line(out, line->buf, line->len);
}

/*
 * Append ";TYPE=..." to line: INTERNET first when internet, the types
 * in upper case with only letters, digits and '-', PREF when pref.
 */
static void
write_types(struct sbuf *line, const char *types, int pref, int internet)
{
	const char *p = str_or_empty(types);
	int any = 0;

	if (internet) {
		sb_adds(line, ";TYPE=INTERNET");
		any = 1;
	}
	while (*p) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p), i, keep = 0;

		for (i = 0; i < len; i++)
			keep += is_name_char((unsigned char)p[i]) && p[i] != '_';
		if (keep && !(internet && len == 8 &&
		    strncasecmp(p, "internet", 8) == 0)) {
			sb_adds(line, any ? "," : ";TYPE=");
			any = 1;
			for (i = 0; i < len; i++) {
				char c = p[i];

				if (!is_name_char((unsigned char)c) || c == '_')
					continue;
				sb_addc(line, c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
			}
		}
		p += len + (e != NULL);
	}
	if (pref)
		sb_adds(line, any ? ",PREF" : ";TYPE=PREF");
}

static void
write_values(struct sbuf *out, struct sbuf *line, const char *prop,
    const struct vcard_value *v, size_t n, int internet)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!v[i].value || !*v[i].value)
			continue;
		sb_reset(line);
		sb_adds(line, prop);
		write_types(line, v[i].types, v[i].pref, internet);
		sb_addc(line, ':');
		ics_escape_text(line, v[i].value);
		text_fold_line(out, line->buf, line->len);
	}
}

void
vcard_write(struct sbuf *out, const struct vcard *c)
{
	struct sbuf line = SBUF_INIT;
	const struct vcard_name *n = &c->n;
	char *display = display_name(n), bday[32];
	const char *fn = c->fn && *c->fn ? c->fn : display;
	size_t i;

	sb_adds(out, "BEGIN:VCARD\r\nVERSION:3.0\r\n");
	write_text(out, &line, "FN", fn);
	sb_reset(&line);
	sb_adds(&line, "N:");
	if (*display) {
		const char *part[5];

		part[0] = n->family;
		part[1] = n->given;
		part[2] = n->additional;
		part[3] = n->prefixes;
		part[4] = n->suffixes;
		for (i = 0; i < ARRAY_SIZE(part); i++) {
			if (i)
				sb_addc(&line, ';');
			ics_escape_text(&line, str_or_empty(part[i]));
		}
	} else {
		sb_addc(&line, ';');
		ics_escape_text(&line, fn);
		sb_adds(&line, ";;;");
	}
	text_fold_line(out, line.buf, line.len);
	if (c->org && *c->org)
		write_text(out, &line, "ORG", c->org);
	write_values(out, &line, "TEL", c->tel, c->ntel, 0);
	write_values(out, &line, "EMAIL", c->email, c->nemail, 1);
	if (c->bday && bday_parse(c->bday, 0, bday) == 1) {
		sb_reset(&line);
		sb_printf(&line, "BDAY:%s", bday);
		text_fold_line(out, line.buf, line.len);
	}
	if (c->ncategories) {
		int any = 0;

		sb_reset(&line);
		sb_adds(&line, "CATEGORIES:");
		for (i = 0; i < c->ncategories; i++) {
			if (!c->categories[i] || !*c->categories[i])
				continue;
			if (any)
				sb_addc(&line, ',');
			ics_escape_text(&line, c->categories[i]);
			any = 1;
		}
		if (any)
			text_fold_line(out, line.buf, line.len);
	}
	if (c->note && *c->note)
		write_text(out, &line, "NOTE", c->note);
	if (c->uid && *c->uid)
		write_text(out, &line, "UID", c->uid);
	for (i = 0; i < c->nx; i++) {
		sb_reset(&line);
		sb_adds(&line, "X-CRM-FIELD:");
		ics_escape_text(&line, c->xname[i]);
		sb_addc(&line, ';');
		ics_escape_text(&line, c->xval[i]);
		text_fold_line(out, line.buf, line.len);
	}
	sb_adds(out, "END:VCARD\r\n");
	sb_release(&line);
	free(display);
}
