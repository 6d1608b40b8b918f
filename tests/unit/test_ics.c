#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tap.h"
#include "util.h"
#include "ics.h"

#define T_2026_11_23_0600Z ((time_t)1795413600)

static char *
escaped(const char *s)
{
	struct sbuf sb = SBUF_INIT;

	ics_escape_text(&sb, s);
	return sb_detach(&sb);
}

/*
 * Check a folded content line: CRLF line ends only, every physical line
 * at most 75 octets and valid UTF-8, continuations starting with a
 * space.  Returns the unfolded line (malloc'ed) or NULL.
 */
static char *
check_folded(const char *s, size_t *nlines)
{
	struct sbuf sb = SBUF_INIT;
	const char *p = s;

	*nlines = 0;
	while (*p) {
		const char *e = strstr(p, "\r\n");
		size_t n;

		if (!e || (size_t)(e - p) > 75 || memchr(p, '\n', (size_t)(e - p)) ||
		    !utf8_valid(p, (size_t)(e - p)) || (*nlines > 0 && *p != ' ')) {
			sb_release(&sb);
			return NULL;
		}
		n = (size_t)(e - p);
		if (*nlines > 0)
			sb_add(&sb, p + 1, n - 1);
		else
			sb_add(&sb, p, n);
		(*nlines)++;
		p = e + 2;
	}
	return sb_detach(&sb);
}

static void
test_escape(void)
{
	char *s;

	s = escaped("Smith, John; \"ACME\\Europe\" Ltd");
	is_str(s, "Smith\\, John\\; \"ACME\\\\Europe\" Ltd", "commas, semicolons, backslashes");
	free(s);
	s = escaped("line 1\nline 2\r\nline 3\rline 4\n");
	is_str(s, "line 1\\nline 2\\nline 3\\nline 4\\n", "LF, CRLF and CR become \\n");
	free(s);
	s = escaped("a\x01" "b\x1b[0m\x7f" "c\td: e");
	is_str(s, "ab[0mc d: e", "controls dropped, TAB a space, colon kept");
	free(s);
	s = escaped("Пётр\xff!");
	is_str(s, "Пётр\xef\xbf\xbd!", "invalid UTF-8 becomes U+FFFD");
	free(s);
	s = escaped("");
	is_str(s, "", "empty text");
	free(s);
}

static void
test_fold_one(const char *title, const char *line)
{
	struct sbuf sb = SBUF_INIT;
	size_t n;
	char *u;

	text_fold_line(&sb, line, strlen(line));
	u = check_folded(sb_str(&sb), &n);
	ok(u != NULL, "%s: physical lines <= 75 octets, valid UTF-8, CRLF", title);
	is_str(u, line, "%s: unfolds to the original (%zu lines)", title, n);
	free(u);
	sb_release(&sb);
}

static void
test_fold(void)
{
	struct sbuf sb = SBUF_INIT, line = SBUF_INIT;
	int i;

	text_fold_line(&sb, "SUMMARY:short", 13);
	is_str(sb_str(&sb), "SUMMARY:short\r\n", "a short line stays whole");
	sb_reset(&sb);

	for (i = 0; i < 75; i++)
		sb_addc(&line, 'a' + i % 26);
	text_fold_line(&sb, line.buf, line.len);
	ok(sb.len == 77 && !strstr(sb.buf, "\r\n "), "75 octets: not folded");
	sb_reset(&sb);
	sb_addc(&line, 'X');
	text_fold_line(&sb, line.buf, line.len);
	ok(sb.len == 81 && strcmp(sb.buf + 75, "\r\n X\r\n") == 0,
	    "76 octets: 75, then space and the last one");
	sb_reset(&sb);

	for (i = 0; i < 4; i++)
		sb_adds(&line, "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ");
	text_fold_line(&sb, line.buf, line.len);
	ok(strstr(sb.buf, "\r\n") == sb.buf + 75 &&
	    strstr(sb.buf + 77, "\r\n") == sb.buf + 77 + 75,
	    "ASCII: first line 75 octets, continuation 75 with its space");
	sb_release(&sb);
	test_fold_one("long ASCII", line.buf);

	/* Cyrillic after an odd-length name, so cuts fall inside characters. */
	sb_reset(&line);
	sb_adds(&line, "DESCRIPTION:");
	for (i = 0; i < 12; i++)
		sb_adds(&line, "Позвонить Иванову Петру Алексеевичу\\, ");
	test_fold_one("long Cyrillic", line.buf);
	sb_reset(&line);
	sb_adds(&line, "SUMMARY:x");
	for (i = 0; i < 40; i++)
		sb_adds(&line, "😀€ё");
	test_fold_one("4-, 3- and 2-octet characters", line.buf);
	sb_release(&line);
}

static void
test_calendar(void)
{
	static const char *const cats[] = { "crm", "VIP, key", NULL };
	struct ics_event ev[2] = {
		{
			.uid = "fu-42-20261123@crm.example.org",
			.y = 2026, .m = 11, .d = 23,
			.summary = "Позвонить: Иванов Пётр, ООО «Рога; и копыта»",
			.description = "Обсудить продление договора №17 на 2027 год.\n"
			    "Тел.: +7 495 123-45-67; путь: C:\\Клиенты\\Иванов",
			.categories = cats,
			.url = "https://crm.example.org/customers/42",
		},
		{
			.uid = "fu-7-20261231@crm.example.org",
			.y = 2026, .m = 12, .d = 31,
			.summary = "Send offer to Smith, John",
		},
	};
	struct sbuf sb = SBUF_INIT;
	struct crm_err err;
	int i;

	ics_begin(&sb);
	for (i = 0; i < 2; i++)
		is_int(ics_add_event(&sb, &ev[i], T_2026_11_23_0600Z, &err), 0,
		    "event %d added", i + 1);
	ics_end(&sb);
	is_str(sb_str(&sb),
	    "BEGIN:VCALENDAR\r\n"
	    "VERSION:2.0\r\n"
	    "PRODID:-//crm//crm-due//EN\r\n"
	    "CALSCALE:GREGORIAN\r\n"
	    "BEGIN:VEVENT\r\n"
	    "UID:fu-42-20261123@crm.example.org\r\n"
	    "DTSTAMP:20261123T060000Z\r\n"
	    "DTSTART;VALUE=DATE:20261123\r\n"
	    "DTEND;VALUE=DATE:20261124\r\n"
	    "SUMMARY:Позвонить: Иванов Пётр\\, ООО «Рога\\; и \r\n"
	    " копыта»\r\n"
	    "DESCRIPTION:Обсудить продление договора №17 на\r\n"
	    "  2027 год.\\nТел.: +7 495 123-45-67\\; путь: C:\\\\Клиенты\\\\\r\n"
	    " Иванов\r\n"
	    "CATEGORIES:crm,VIP\\, key\r\n"
	    "URL:https://crm.example.org/customers/42\r\n"
	    "TRANSP:TRANSPARENT\r\n"
	    "END:VEVENT\r\n"
	    "BEGIN:VEVENT\r\n"
	    "UID:fu-7-20261231@crm.example.org\r\n"
	    "DTSTAMP:20261123T060000Z\r\n"
	    "DTSTART;VALUE=DATE:20261231\r\n"
	    "DTEND;VALUE=DATE:20270101\r\n"
	    "SUMMARY:Send offer to Smith\\, John\r\n"
	    "TRANSP:TRANSPARENT\r\n"
	    "END:VEVENT\r\n"
	    "END:VCALENDAR\r\n",
	    "a calendar with two events");
	sb_release(&sb);
}

static void
test_dates(void)
{
	static const struct {
		int y, m, d;
		const char *end;
	} next[] = {
		{ 2028, 2, 28, "20280229" },
		{ 2028, 2, 29, "20280301" },
		{ 2027, 2, 28, "20270301" },
		{ 2100, 2, 28, "21000301" },
		{ 2000, 2, 28, "20000229" },
		{ 2026, 4, 30, "20260501" },
	};
	struct ics_event ev = { .uid = "u@x", .summary = "s" };
	struct sbuf sb = SBUF_INIT;
	struct crm_err err;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(next); i++) {
		char want[64];

		ev.y = next[i].y;
		ev.m = next[i].m;
		ev.d = next[i].d;
		sb_reset(&sb);
		ics_add_event(&sb, &ev, 0, &err);
		snprintf(want, sizeof(want), "DTEND;VALUE=DATE:%s\r\n", next[i].end);
		ok(strstr(sb_str(&sb), want) != NULL, "day after %04d-%02d-%02d",
		    ev.y, ev.m, ev.d);
	}

	sb_reset(&sb);
	sb_adds(&sb, "kept");
	ev.y = 2026, ev.m = 2, ev.d = 29;
	is_int(ics_add_event(&sb, &ev, 0, &err), -1, "2026-02-29 rejected");
	is_str(err.msg, "invalid date 2026-02-29", "message for a bad date");
	ev.m = 13, ev.d = 1;
	is_int(ics_add_event(&sb, &ev, 0, &err), -1, "month 13 rejected");
	ev.y = 9999, ev.m = 12, ev.d = 31;
	is_int(ics_add_event(&sb, &ev, 0, &err), -1, "9999-12-31 has no next day");
	ev.y = 2026, ev.m = 11, ev.d = 23;
	ev.uid = "";
	is_int(ics_add_event(&sb, &ev, 0, &err), -1, "empty UID rejected");
	ev.uid = "u@x";
	ev.url = "https://x/\r\nATTENDEE:evil";
	is_int(ics_add_event(&sb, &ev, 0, &err), -1, "URL with CR LF rejected");
	ev.url = "https://x/a b";
	is_int(ics_add_event(&sb, &ev, 0, &err), -1, "URL with a space rejected");
	is_str(sb_str(&sb), "kept", "nothing written on error");
	ev.url = NULL;
	ev.summary = "Evil\r\nEND:VEVENT\r\nBEGIN:VEVENT";
	is_int(ics_add_event(&sb, &ev, 0, &err), 0, "summary with CR LF accepted");
	ok(strstr(sb.buf, "SUMMARY:Evil\\nEND:VEVENT\\nBEGIN:VEVENT\r\n") != NULL,
	    "... and escaped, not a new line");
	sb_release(&sb);
}

int
main(void)
{
	test_escape();
	test_fold();
	test_calendar();
	test_dates();
	return done_testing();
}
