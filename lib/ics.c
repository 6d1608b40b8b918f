/*
 * ics.c - iCalendar output: TEXT escaping, line folding, VEVENTs.
 */
#include <stdint.h>
#include <string.h>

#include "ics.h"

/* RFC 5545 3.1: content lines SHOULD NOT be longer than 75 octets. */
#define FOLD_AT 75

void
text_fold_line(struct sbuf *out, const char *line, size_t len)
{
	size_t limit = FOLD_AT;

	sb_grow(out, len + len / (FOLD_AT - 1) * 3 + 2);
	while (len > limit) {
		size_t cut = limit;

		/* Back off to the start of a character (at most 3 octets). */
		while (cut > 0 && ((unsigned char)line[cut] & 0xc0) == 0x80)
			cut--;
		if (cut == 0)
			cut = limit;	/* not UTF-8 at all: cut anyway */
		sb_add(out, line, cut);
		sb_adds(out, "\r\n ");
		line += cut;
		len -= cut;
		limit = FOLD_AT - 1;	/* the leading space counts */
	}
	sb_add(out, line, len);
	sb_adds(out, "\r\n");
}

void
ics_escape_text(struct sbuf *out, const char *s)
{
	size_t n = strlen(s);

	while (n > 0) {
		uint32_t cp;
		size_t k = utf8_decode(s, n, &cp);
		char enc[4];

		if (k == 0) {
			cp = 0xfffd;
			k = 1;
		}
		switch (cp) {
		case '\\':
		case ';':
		case ',':
			sb_addc(out, '\\');
			sb_addc(out, (int)cp);
			break;
		case '\r':
			if (n > 1 && s[1] == '\n')
				k = 2;
			sb_adds(out, "\\n");
			break;
		case '\n':
			sb_adds(out, "\\n");
			break;
		case '\t':
			/* Allowed by the grammar, but glued words read worse
			 * than a space if a reader drops it. */
			sb_addc(out, ' ');
			break;
		default:
			/* RFC 5545 3.1 CONTROL: C0 but TAB, and DEL. */
			if (cp >= 0x20 && cp != 0x7f)
				sb_add(out, enc, utf8_encode(cp, enc));
			break;
		}
		s += k;
		n -= k;
	}
}

/* Append "name:" and the escaped text as one folded content line. */
static void
prop_text(struct sbuf *out, struct sbuf *tmp, const char *name, const char *text)
{
	sb_reset(tmp);
	sb_adds(tmp, name);
	sb_addc(tmp, ':');
	ics_escape_text(tmp, text);
	text_fold_line(out, tmp->buf, tmp->len);
}

void
ics_begin(struct sbuf *out)
{
	sb_adds(out, "BEGIN:VCALENDAR\r\n"
	    "VERSION:2.0\r\n"
	    "PRODID:-//crm//crm-due//EN\r\n"
	    "CALSCALE:GREGORIAN\r\n");
}

void
ics_end(struct sbuf *out)
{
	sb_adds(out, "END:VCALENDAR\r\n");
}

static int
days_in_month(int y, int m)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

int
ics_add_event(struct sbuf *out, const struct ics_event *ev, time_t dtstamp,
    struct crm_err *err)
{
	struct sbuf tmp = SBUF_INIT;
	struct tm tm;
	int ny, nm, nd;
	const char *const *c;

	if (!ev->uid || !*ev->uid)
		return crm_error(err, "empty UID");
	if (ev->y < 1 || ev->y > 9999 || ev->m < 1 || ev->m > 12 ||
	    ev->d < 1 || ev->d > days_in_month(ev->y, ev->m) ||
	    (ev->y == 9999 && ev->m == 12 && ev->d == 31))
		return crm_error(err, "invalid date %04d-%02d-%02d",
		    ev->y, ev->m, ev->d);
	/* A URI goes as it is (no TEXT escaping), so it must be one token. */
	if (ev->url && (!*ev->url || strpbrk(ev->url, " ") ||
	    has_control(ev->url, 0)))
		return crm_error(err, "invalid URL '%s'", q(ev->url));
	if (!gmtime_r(&dtstamp, &tm))
		return crm_error(err, "invalid time stamp %lld",
		    (long long)dtstamp);

	/* DTEND is exclusive (RFC 5545 3.6.1): the next day. */
	ny = ev->y;
	nm = ev->m;
	nd = ev->d + 1;
	if (nd > days_in_month(ny, nm)) {
		nd = 1;
		if (++nm > 12) {
			nm = 1;
			ny++;
		}
	}

	sb_adds(out, "BEGIN:VEVENT\r\n");
	prop_text(out, &tmp, "UID", ev->uid);
	sb_printf(out, "DTSTAMP:%04d%02d%02dT%02d%02d%02dZ\r\n",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
	sb_printf(out, "DTSTART;VALUE=DATE:%04d%02d%02d\r\n",
	    ev->y, ev->m, ev->d);
	sb_printf(out, "DTEND;VALUE=DATE:%04d%02d%02d\r\n", ny, nm, nd);
	if (ev->summary)
		prop_text(out, &tmp, "SUMMARY", ev->summary);
	if (ev->description && *ev->description)
		prop_text(out, &tmp, "DESCRIPTION", ev->description);
	if (ev->categories && ev->categories[0]) {
		sb_reset(&tmp);
		sb_adds(&tmp, "CATEGORIES:");
		for (c = ev->categories; *c; c++) {
			if (c != ev->categories)
				sb_addc(&tmp, ',');
			ics_escape_text(&tmp, *c);
		}
		text_fold_line(out, tmp.buf, tmp.len);
	}
	if (ev->url) {
		sb_reset(&tmp);
		sb_adds(&tmp, "URL:");
		sb_adds(&tmp, ev->url);
		text_fold_line(out, tmp.buf, tmp.len);
	}
	sb_adds(out, "TRANSP:TRANSPARENT\r\n"
	    "END:VEVENT\r\n");
	sb_release(&tmp);
	return 0;
}
