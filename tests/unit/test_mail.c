#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tap.h"
#include "util.h"
#include "mail.h"

#define T_2026_11_23_0600Z ((time_t)1795413600)

static int
b64val(int c)
{
	const char *a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(a, c) : NULL;

	return p ? (int)(p - a) : -1;
}

/* Decode n base64 characters into out; -1 if malformed. */
static int
b64decode(struct sbuf *out, const char *s, size_t n)
{
	size_t i;

	if (n % 4)
		return -1;
	for (i = 0; i < n; i += 4) {
		int v[4], k;

		for (k = 0; k < 4; k++) {
			v[k] = s[i + k] == '=' ? 0 : b64val((unsigned char)s[i + k]);
			if (v[k] < 0)
				return -1;
		}
		sb_addc(out, v[0] << 2 | v[1] >> 4);
		if (s[i + 2] != '=')
			sb_addc(out, (v[1] & 15) << 4 | v[2] >> 2);
		if (s[i + 3] != '=')
			sb_addc(out, (v[2] & 3) << 6 | v[3]);
	}
	return 0;
}

/*
 * Decode the encoded-words of a header value: checks that each is at
 * most 75 characters and holds whole UTF-8 characters; returns the
 * number of words, or -1.
 */
static int
decode_words(struct sbuf *out, const char *s)
{
	int nw = 0;

	while ((s = strstr(s, "=?UTF-8?B?")) != NULL) {
		const char *p = s + 10, *e = strstr(p, "?=");
		struct sbuf one = SBUF_INIT;

		if (!e || e - s + 2 > 75 || b64decode(&one, p, (size_t)(e - p)) < 0 ||
		    !utf8_valid(sb_str(&one), one.len)) {
			sb_release(&one);
			return -1;
		}
		sb_add(out, sb_str(&one), one.len);
		sb_release(&one);
		nw++;
		s = e + 2;
	}
	return nw;
}

/* The longest line of s (LF line ends) in octets. */
static size_t
longest_line(const char *s)
{
	size_t max = 0;

	while (*s) {
		size_t n = strcspn(s, "\n");

		if (n > max)
			max = n;
		s += n;
		if (*s)
			s++;
	}
	return max;
}

/* The header block: everything before the first empty line. */
static char *
headers_of(const char *msg)
{
	const char *e = strstr(msg, "\n\n");

	return xstrndup(msg, e ? (size_t)(e - msg) + 1 : strlen(msg));
}

/* Does a line of s start with prefix? */
static int
has_line(const char *s, const char *prefix)
{
	const char *p = s;

	for (;;) {
		if (starts_with(p, prefix))
			return 1;
		p = strchr(p, '\n');
		if (!p)
			return 0;
		p++;
	}
}

/* Unfold a header block: drop every LF that is followed by a space. */
static char *
unfold(const char *s)
{
	struct sbuf sb = SBUF_INIT;

	for (; *s; s++)
		if (!(s[0] == '\n' && s[1] == ' '))
			sb_addc(&sb, *s);
	return sb_detach(&sb);
}

static void
test_subject(void)
{
	const char *subj = "5 напоминаний на 2026-11-23 — Иванов Пётр";
	struct sbuf sb = SBUF_INIT, dec = SBUF_INIT;
	char *s;
	size_t col;
	int nw;

	sb_adds(&sb, "Subject:");
	col = mail_encode_header_text(&sb, subj, 8);
	nw = decode_words(&dec, sb.buf);
	ok(nw >= 2, "Cyrillic subject: %d encoded-words, all <= 75 and whole characters", nw);
	is_str(sb_str(&dec), subj, "Cyrillic subject decodes back to the original");
	ok(longest_line(sb.buf) <= 78, "Cyrillic subject: lines <= 78");
	ok(strchr(sb.buf, '\n') != NULL, "Cyrillic subject is folded");
	is_int(col, strlen(strrchr(sb.buf, '\n') + 1), "returned column is right");
	ok(utf8_valid(sb.buf, sb.len) && strspn(sb.buf,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=?-:\n ") ==
	    sb.len, "encoded subject is plain ASCII");
	sb_release(&sb);
	sb_release(&dec);

	/* 4-byte characters right at the limits of a word. */
	sb_adds(&sb, "Subject:");
	mail_encode_header_text(&sb, "x😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀 ok", 8);
	ok(decode_words(&dec, sb.buf) >= 2, "emoji subject: valid encoded-words");
	is_str(sb_str(&dec), "x😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀 ok", "emoji subject round trip");
	sb_release(&sb);
	sb_release(&dec);

	/* Words are cut after a space where possible (see put_encoded()). */
	sb_adds(&sb, "To:");
	mail_encode_header_text(&sb, "Петрова Анна Сергеевна (отдел продаж и маркетинга)", 3);
	{
		const char *w = sb.buf;
		int at_space = 1;

		nw = 0;
		while ((w = strstr(w, "=?UTF-8?B?")) != NULL) {
			const char *e = strstr(w, "?=");

			sb_reset(&dec);
			b64decode(&dec, w + 10, (size_t)(e - w - 10));
			w = e + 2;
			if (strstr(w, "=?"))
				at_space &= dec.buf[dec.len - 1] == ' ';
			nw++;
		}
		ok(nw == 3 && at_space, "long name: %d encoded-words, cut at spaces", nw);
	}
	sb_release(&sb);
	sb_release(&dec);

	sb_adds(&sb, "Subject:");
	col = mail_encode_header_text(&sb, "5 follow-ups for 2026-11-23", 8);
	is_str(sb_str(&sb), "Subject: 5 follow-ups for 2026-11-23", "ASCII subject as it is");
	is_int(col, 36, "ASCII subject column");
	sb_release(&sb);

	sb_adds(&sb, "Subject:");
	mail_encode_header_text(&sb, "  tabs\tand\t\tspaces   ", 8);
	is_str(sb_str(&sb), "Subject: tabs and spaces", "white space collapsed and trimmed");
	sb_release(&sb);

	sb_adds(&sb, "Subject:");
	mail_encode_header_text(&sb, "a =?UTF-8?B?QQ==?= trick", 8);
	ok(decode_words(&dec, sb.buf) >= 1, "text looking like an encoded-word is encoded");
	is_str(sb_str(&dec), "a =?UTF-8?B?QQ==?= trick", "... and decodes to itself");
	sb_release(&sb);
	sb_release(&dec);

	/* A long ASCII subject folds at spaces, and unfolds back. */
	sb_adds(&sb, "Subject:");
	mail_encode_header_text(&sb, "Follow-ups due today: Ivanov Petr, Petrova Anna, "
	    "Smith John, Novak Jana, Kowalski Jan, Schmidt Hans, Dubois Marie", 8);
	ok(longest_line(sb.buf) <= 78, "long ASCII subject: lines <= 78");
	ok(strstr(sb.buf, "=?") == NULL, "long ASCII subject not encoded");
	s = unfold(sb.buf);
	is_str(s, "Subject: Follow-ups due today: Ivanov Petr, Petrova Anna, "
	    "Smith John, Novak Jana, Kowalski Jan, Schmidt Hans, Dubois Marie",
	    "long ASCII subject unfolds back");
	free(s);
	sb_release(&sb);

	/* An ASCII word too long for any line is encoded, so it can be cut. */
	sb_adds(&sb, "Subject:");
	mail_encode_header_text(&sb, "see https://crm.example.org/customers/12345/"
	    "follow-ups/67890?view=full&sort=date&order=descending", 8);
	ok(longest_line(sb.buf) <= 78, "over-long ASCII word: lines <= 78");
	ok(decode_words(&dec, sb.buf) >= 2, "over-long ASCII word encoded");
	sb_release(&sb);
	sb_release(&dec);

	sb_adds(&sb, "Subject:");
	mail_encode_header_text(&sb, " \r\n ", 8);
	is_str(sb_str(&sb), "Subject:", "blank subject adds nothing");
	sb_release(&sb);
}

static void
test_date(void)
{
	char buf[MAIL_DATE_MAX];

	mail_date(buf, T_2026_11_23_0600Z, 60);
	is_str(buf, "Mon, 23 Nov 2026 07:00:00 +0100", "date at +0100");
	mail_date(buf, T_2026_11_23_0600Z, 0);
	is_str(buf, "Mon, 23 Nov 2026 06:00:00 +0000", "date in UTC");
	mail_date(buf, T_2026_11_23_0600Z, -(5 * 60 + 30));
	is_str(buf, "Mon, 23 Nov 2026 00:30:00 -0530", "date at -0530");
	mail_date(buf, T_2026_11_23_0600Z, -(6 * 60 + 1));
	is_str(buf, "Sun, 22 Nov 2026 23:59:00 -0601", "date going back a day");
	mail_date(buf, 0, 0);
	is_str(buf, "Thu, 01 Jan 1970 00:00:00 +0000", "the epoch");
	mail_date(buf, (time_t)((1ULL << 62) - 1), 1439);
	is_str(buf, "Thu, 01 Jan 1970 23:59:00 +2359", "absurd time: the epoch");
	mail_date(buf, T_2026_11_23_0600Z, 5000);
	is_str(buf, "Mon, 23 Nov 2026 06:00:00 +0000", "absurd offset counts as UTC");

	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	mail_date(buf, T_2026_11_23_0600Z, MAIL_TZ_LOCAL);
	is_str(buf, "Mon, 23 Nov 2026 07:00:00 +0100", "local time, Berlin winter");
	mail_date(buf, (time_t)1782194400, MAIL_TZ_LOCAL);
	is_str(buf, "Tue, 23 Jun 2026 08:00:00 +0200", "local time, Berlin summer");
	setenv("TZ", "America/St_Johns", 1);
	tzset();
	mail_date(buf, T_2026_11_23_0600Z, MAIL_TZ_LOCAL);
	is_str(buf, "Mon, 23 Nov 2026 02:30:00 -0330", "local time, Newfoundland");
	unsetenv("TZ");
	tzset();
}

static void
test_addr(void)
{
	static const char *bad[] = {
		"", "petr", "petr@", "@example.com", "petr ivanov@example.com",
		"petr@example.com\r\nBcc: evil@example.com", "petr@example.com\n",
		"a,b@example.com", "<petr@example.com>", "\"petr\"@example.com",
		"petr@@example.com", "pe@tr@example.com", ".petr@example.com",
		"petr.@example.com", "pe..tr@example.com", "petr@example..com",
		"пётр@example.com", "petr@example.com>", "petr(x)@example.com",
		"petr@[127.0.0.1]", "petr\\@example.com", "petr;@example.com",
	};
	struct crm_err err;
	char *longaddr;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		is_int(mail_check_addr(bad[i], &err), -1, "bad address '%s' rejected",
		    q(bad[i]));
	mail_check_addr("petr ivanov@example.com", &err);
	is_str(err.msg, "invalid e-mail address 'petr ivanov@example.com': space",
	    "message for a space");
	mail_check_addr("petr@example.com\r\nBcc: x@y", &err);
	is_str(err.msg, "invalid e-mail address 'petr@example.com\\r\\nBcc: x@y': "
	    "control character", "message for CR LF");
	mail_check_addr("<p@x>", &err);
	is_str(err.msg, "invalid e-mail address '<p@x>': '<' not allowed",
	    "message for an angle bracket");
	is_int(mail_check_addr("ivanov.p+crm@mail.example.ru", &err), 0,
	    "good address accepted");
	is_int(mail_check_addr("o'brien_{x}~!#$%&*/=?^`|-@localhost", &err), 0,
	    "all of atext accepted");
	longaddr = xasprintf("%0250d@x.y", 0);
	is_int(mail_check_addr(longaddr, &err), 0, "254-octet address accepted");
	free(longaddr);
	longaddr = xasprintf("%0251d@x.y", 0);
	is_int(mail_check_addr(longaddr, &err), -1, "255-octet address rejected");
	free(longaddr);
}

static void
test_message(void)
{
	static const struct mail_addr to[] = {
		{ "Петрова Анна Сергеевна (отдел продаж)", "anna@example.ru" },
		{ "Smith, John", "john@example.com" },
		{ NULL, "sales@example.com" },
	};
	struct mail_msg m = {
		.from = { "crm-due", "crm@example.org" },
		.to = to,
		.nto = 1,
		.subject = "5 напоминаний на 2026-11-23 — Иванов Пётр",
		.date = T_2026_11_23_0600Z,
		.tzoff = 60,
		.msgid = "20261123060000.4242.1.0123456789abcdef@example.org",
		.body = "Сегодня:\r\n- Иванов Пётр: позвонить\n- Smith: send offer",
	};
	struct sbuf sb = SBUF_INIT, dec = SBUF_INIT;
	struct crm_err err;
	char *h, *u;

	is_int(mail_format(&sb, &m, &err), 0, "message formatted");
	is_str(sb_str(&sb),
	    "Date: Mon, 23 Nov 2026 07:00:00 +0100\n"
	    "From: crm-due <crm@example.org>\n"
	    "To: =?UTF-8?B?0J/QtdGC0YDQvtCy0LAg0JDQvdC90LAg0KHQtdGA0LPQtdC10LLQvdCwIA==?=\n"
	    " =?UTF-8?B?KNC+0YLQtNC10Lsg0L/RgNC+0LTQsNC2KQ==?= <anna@example.ru>\n"
	    "Subject: =?UTF-8?B?NSDQvdCw0L/QvtC80LjQvdCw0L3QuNC5INC90LAgMjAyNi0xMS0yMyA=?=\n"
	    " =?UTF-8?B?4oCUINCY0LLQsNC90L7QsiDQn9GR0YLRgA==?=\n"
	    "Message-ID: <20261123060000.4242.1.0123456789abcdef@example.org>\n"
	    "Auto-Submitted: auto-generated\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=UTF-8\n"
	    "Content-Transfer-Encoding: 8bit\n"
	    "\n"
	    "Сегодня:\n"
	    "- Иванов Пётр: позвонить\n"
	    "- Smith: send offer\n",
	    "the whole message");
	sb_release(&sb);

	/* Several recipients, one a line; ASCII names with specials quoted. */
	m.nto = 3;
	mail_format(&sb, &m, &err);
	h = headers_of(sb.buf);
	ok(strstr(h, "<anna@example.ru>,\n \"Smith, John\" <john@example.com>,\n"
	    " sales@example.com\nSubject:") != NULL, "three recipients");
	ok(longest_line(h) <= 78, "headers with three recipients: lines <= 78");
	free(h);
	sb_release(&sb);

	/* Header injection through the subject and a display name. */
	m.nto = 1;
	m.subject = "Hi\r\nBcc: evil@example.com";
	m.from.name = "crm\nBcc: evil2@example.com\n";
	m.body = NULL;
	is_int(mail_format(&sb, &m, &err), 0, "message with CR LF in values");
	h = headers_of(sb.buf);
	ok(!has_line(h, "Bcc:") && !has_line(sb.buf, "Bcc:"), "no line starts with Bcc:");
	ok(strstr(h, "Subject: Hi Bcc: evil@example.com\n") != NULL,
	    "CR LF in the subject became a space");
	ok(strstr(h, "From: \"crm Bcc: evil2@example.com\" <crm@example.org>\n") != NULL,
	    "CR LF in a name became a space, the name quoted");
	ok(strchr(sb.buf, '\r') == NULL, "no CR anywhere");
	ok(strstr(sb.buf, "7bit\n\n") && sb.buf[sb.len - 1] == '\n' &&
	    sb.buf[sb.len - 2] == '\n', "an empty body");
	free(h);
	sb_release(&sb);

	/* A long Cyrillic subject and name: every header line <= 78. */
	m.subject = "Напоминания на понедельник, 23 ноября 2026 года: Иванов Пётр "
	    "Алексеевич, Петрова Анна Сергеевна, Сидоров Иван Иванович, "
	    "ООО «Рога и копыта», Кузнецова Мария";
	m.from.name = "Отдел по работе с клиентами — напоминания CRM";
	m.msgid = NULL;
	m.msgid_domain = "mail.example.org";
	mail_format(&sb, &m, &err);
	h = headers_of(sb.buf);
	ok(longest_line(h) <= 78, "long Cyrillic subject: header lines <= 78");
	u = unfold(strstr(h, "Subject:"));
	*strchr(u, '\n') = '\0';
	ok(decode_words(&dec, u) > 2, "long subject: valid encoded-words");
	is_str(sb_str(&dec), m.subject, "long subject round trip");
	ok(strstr(h, "@mail.example.org>\n") != NULL, "Message-ID in the given domain");
	free(u);
	free(h);
	sb_release(&dec);
	sb_release(&sb);

	/* An invalid address: an error, and nothing written. */
	m.from.addr = "crm@example.org\nBcc: evil@example.com";
	sb_adds(&sb, "kept");
	is_int(mail_format(&sb, &m, &err), -1, "bad From rejected");
	is_str(sb_str(&sb), "kept", "nothing written on error");
	m.from.addr = "crm@example.org";
	m.nto = 0;
	is_int(mail_format(&sb, &m, &err), -1, "no recipient rejected");
	is_str(err.msg, "no recipient", "message for no recipient");
	m.nto = 1;
	m.msgid_domain = "bad domain";
	is_int(mail_format(&sb, &m, &err), -1, "bad Message-ID domain rejected");
	m.msgid_domain = NULL;
	m.msgid = "x@y>\nBcc: z@w";
	is_int(mail_format(&sb, &m, &err), -1, "bad Message-ID rejected");
	m.msgid = NULL;
	m.tzoff = 24 * 60;
	is_int(mail_format(&sb, &m, &err), -1, "bad time zone offset rejected");
	sb_release(&sb);
}

static void
test_message_id(void)
{
	struct sbuf a = SBUF_INIT, b = SBUF_INIT;

	mail_message_id(&a, T_2026_11_23_0600Z, "example.org");
	mail_message_id(&b, T_2026_11_23_0600Z, "example.org");
	ok(strcmp(sb_str(&a), sb_str(&b)) != 0, "two Message-IDs differ: %s %s",
	    sb_str(&a), sb_str(&b));
	ok(starts_with(sb_str(&a), "<20261123060000.") &&
	    strcmp(a.buf + a.len - 13, "@example.org>") == 0, "Message-ID form");
	ok(strcspn(a.buf, " \t\r\n\"(),:;[\\]") == a.len, "Message-ID has no specials");
	sb_release(&a);
	sb_release(&b);
}

static int
hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decode quoted-printable with LF line ends; -1 if malformed. */
static int
qp_decode(struct sbuf *out, const char *s)
{
	while (*s) {
		if (s[0] == '=' && s[1] == '\n') {
			s += 2;
		} else if (s[0] == '=') {
			if (hexval(s[1]) < 0 || hexval(s[2]) < 0)
				return -1;
			sb_addc(out, hexval(s[1]) << 4 | hexval(s[2]));
			s += 3;
		} else {
			if ((unsigned char)*s >= 0x7f || (*s == ' ' && s[1] == '\n'))
				return -1;
			sb_addc(out, *s++);
		}
	}
	return 0;
}

static void
test_body(void)
{
	static const struct mail_addr to = { NULL, "p@example.com" };
	struct mail_msg m = {
		.from = { NULL, "crm@example.com" },
		.to = &to,
		.nto = 1,
		.msgid = "x@example.com",
	};
	struct sbuf sb = SBUF_INIT, text = SBUF_INIT, dec = SBUF_INIT;
	struct crm_err err;
	const char *body;
	int i;

	m.body = "a\rb\r\nc\x01\x1b[31md\tz \x7f\xff";
	is_int(mail_format(&sb, &m, &err), 0, "message with a messy body");
	body = strstr(sb.buf, "\n\n") + 2;
	is_str(body, "a\nb\nc[31md\tz \xef\xbf\xbd\n",
	    "CR to LF, controls dropped, bad UTF-8 to U+FFFD, final newline");
	ok(strstr(sb.buf, "Content-Transfer-Encoding: 8bit\n\n") != NULL, "8bit");
	sb_release(&sb);

	m.body = "plain ASCII\n\n";
	mail_format(&sb, &m, &err);
	ok(strstr(sb.buf, "Content-Transfer-Encoding: 7bit\n\nplain ASCII\n\n") &&
	    sb.buf[sb.len - 3] == 'I', "ASCII body: 7bit, blank last line kept");
	sb_release(&sb);

	for (i = 0; i < 998; i++)
		sb_addc(&text, 'x');
	m.body = text.buf;
	mail_format(&sb, &m, &err);
	ok(strstr(sb.buf, "7bit\n\n") != NULL, "a 998-octet line goes as it is");
	sb_release(&sb);
	sb_reset(&text);

	/* A line past 998 octets: quoted-printable, and back. */
	sb_adds(&text, "Заметка: ");
	for (i = 0; i < 60; i++)
		sb_adds(&text, "клиент=client, \t");
	sb_adds(&text, "end \nshort line\t\n\nlast");
	m.body = text.buf;
	is_int(mail_format(&sb, &m, &err), 0, "message with a long line");
	ok(strstr(sb.buf, "Content-Transfer-Encoding: quoted-printable\n\n") != NULL,
	    "long line: quoted-printable");
	body = strstr(sb.buf, "\n\n") + 2;
	ok(longest_line(body) <= 76, "quoted-printable lines <= 76");
	is_int(qp_decode(&dec, body), 0, "quoted-printable well formed");
	sb_addc(&text, '\n');
	is_str(sb_str(&dec), text.buf, "quoted-printable decodes back");
	sb_release(&dec);
	sb_release(&sb);
	sb_release(&text);
}

int
main(void)
{
	test_subject();
	test_date();
	test_addr();
	test_message();
	test_message_id();
	test_body();
	return done_testing();
}
