/*
 * mail.h - one complete RFC 5322 message (headers and a text/plain
 * UTF-8 body) built into a struct sbuf, ready to be piped to
 * "sendmail -t -i".  Pure formatting: no files, no processes.
 *
 * Line ends are LF throughout, never CRLF: sendmail(1) -t reads a local
 * text file and every implementation (Sendmail, Postfix, Exim, msmtp,
 * nullmailer) turns LF into CRLF itself, while some of them turn a CRLF
 * on input into CR CR LF.  The message never holds a bare CR, so a
 * caller that talks SMTP itself may simply turn each LF into CRLF.
 *
 * Give sendmail -i (or -oi): without it a body line holding a single
 * "." ends the message early.
 *
 * Headers: every value is cleaned first (control characters, CR and LF
 * included, become a space; runs of white space become one space), so
 * no text can start a header of its own.  Non-ASCII text becomes RFC
 * 2047 "B" encoded-words of at most 75 characters that never split a
 * UTF-8 character; lines are folded to at most 78 characters (only an
 * address or Message-ID too long to fit on a line by itself is longer).
 * Invalid UTF-8 anywhere becomes U+FFFD.
 */
#ifndef CRM_MAIL_H
#define CRM_MAIL_H

#include <limits.h>
#include <stddef.h>
#include <time.h>

#include "util.h"

/* An address: display name (UTF-8, NULL or "" for none) and addr-spec. */
struct mail_addr {
	const char *name;
	const char *addr;	/* "local@domain", ASCII: see mail_check_addr() */
};

/* mail_msg.tzoff: use the local time zone (TZ) instead of a fixed offset. */
#define MAIL_TZ_LOCAL INT_MIN

/*
 * A message.  The strings belong to the caller and are only read.
 * A zeroed struct plus from, to/nto and date is a valid message
 * (dated in UTC, no subject, empty body).
 */
struct mail_msg {
	struct mail_addr from;
	const struct mail_addr *to;	/* nto >= 1 recipients */
	size_t nto;
	const char *subject;	/* UTF-8; NULL: no Subject header */
	time_t date;
	int tzoff;	/* minutes east of UTC, or MAIL_TZ_LOCAL */
	/* Message-ID: msgid is used as is ("left@right", no angle brackets)
	 * when not NULL, for reproducible output; otherwise a unique one is
	 * made in msgid_domain, or in the domain of from.addr when NULL. */
	const char *msgid;
	const char *msgid_domain;
	const char *body;	/* UTF-8 text; NULL: empty */
};

/*
 * mail_format() appends the whole message to out and returns 0, or
 * returns -1 with a message in err (and leaves out untouched) when an
 * address, the Message-ID domain or the time zone offset is not valid.
 *
 * The body goes as Content-Transfer-Encoding 7bit (ASCII) or 8bit (any
 * UTF-8) when every line fits in 998 octets, which keeps the text
 * readable as it is and every MTA today speaks 8BITMIME; a body with a
 * longer line (a pasted note) goes as quoted-printable instead, since
 * RFC 5322 forbids such lines and wrapping would change the text.
 * CRLF and lone CR become LF, other control characters but TAB are
 * dropped, and the body ends with a newline.
 */
int mail_format(struct sbuf *out, const struct mail_msg *m, struct crm_err *err);

/*
 * mail_encode_header_text() appends unstructured header text (a
 * Subject) after col octets already on the line, e.g.
 *	sb_adds(out, "Subject:");
 *	col = mail_encode_header_text(out, text, 8);
 * It writes the space after the colon itself, folds with LF + space,
 * and returns the column where it stopped; it adds no final newline.
 * Printable ASCII stays as it is, unless a word would not fit on a line
 * or the text holds "=?"; anything else is encoded as a whole.
 */
size_t mail_encode_header_text(struct sbuf *out, const char *text, size_t col);

/*
 * mail_check_addr() returns 0 when addr is a plain addr-spec that can go
 * in a header as it is: dot-atom "@" dot-atom in ASCII, at most 254
 * octets.  Otherwise -1 with the reason in err.  Spaces, control
 * characters, quotes, commas, angle brackets and the like are refused
 * rather than quoted: such an address in crm data is a mistake or an
 * attack.  So are non-ASCII addresses (give the domain in punycode).
 */
int mail_check_addr(const char *addr, struct crm_err *err);

/*
 * mail_date() writes the RFC 5322 date-time of t, e.g.
 * "Mon, 23 Nov 2026 07:00:00 +0100", with English names whatever the
 * locale, at tzoff minutes east of UTC (MAIL_TZ_LOCAL: the local zone;
 * an offset beyond +-23:59 counts as UTC).
 */
#define MAIL_DATE_MAX 64
void mail_date(char buf[MAIL_DATE_MAX], time_t t, int tzoff);

/*
 * mail_message_id() appends "<id@domain>" with an id made of the UTC
 * time t, the process id, a per-process counter and 64 random bits from
 * getrandom(2), so that ids differ across messages, runs and hosts.
 * domain is not checked here.  Not thread-safe (the counter).
 */
void mail_message_id(struct sbuf *out, time_t t, const char *domain);

#endif
