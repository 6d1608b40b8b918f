/*
 * ics.h - an iCalendar (RFC 5545) writer for follow-ups: a VCALENDAR
 * of all-day VEVENTs appended to a struct sbuf.  Pure formatting: no
 * files, nothing printed.
 *
 * Each follow-up is an all-day VEVENT (DTSTART;VALUE=DATE and DTEND the
 * next day) rather than a VTODO: Google Calendar ignores VTODO on
 * import, Apple Calendar sends VTODOs to Reminders or drops them from
 * a file, while every calendar shows an all-day event on its day.  The
 * events are TRANSP:TRANSPARENT, so that a follow-up does not mark the
 * whole day busy in free/busy lookups.
 *
 * Output lines end with CRLF and are folded at 75 octets, as RFC 5545
 * 3.1 requires; text is UTF-8 (invalid bytes become U+FFFD).
 *
 * Usage:
 *	ics_begin(&sb);
 *	for (...)
 *		if (ics_add_event(&sb, &ev, now, &err) < 0)
 *			...
 *	ics_end(&sb);
 */
#ifndef CRM_ICS_H
#define CRM_ICS_H

#include <stddef.h>
#include <time.h>

#include "util.h"

/* One follow-up.  The strings belong to the caller and are only read. */
struct ics_event {
	/* Stable and unique, e.g. "fu-42-20261123@crm.example.org": the same
	 * follow-up must keep its UID so that a re-import updates it. */
	const char *uid;
	int y, m, d;	/* the day it is due */
	const char *summary;	/* NULL: no SUMMARY */
	const char *description;	/* NULL or "": no DESCRIPTION */
	const char *const *categories;	/* NULL-terminated; NULL: none */
	const char *url;	/* a URI, written as is; NULL: none */
};

/* ics_begin() appends BEGIN:VCALENDAR and the calendar's properties. */
void ics_begin(struct sbuf *out);

/*
 * ics_add_event() appends one VEVENT stamped with dtstamp (DTSTAMP, in
 * UTC: when the file was made).  It returns 0, or -1 with a message in
 * err and nothing appended when the UID is empty, the date does not
 * exist (years 1 to 9999) or the URL holds spaces or control characters.
 */
int ics_add_event(struct sbuf *out, const struct ics_event *ev, time_t dtstamp,
    struct crm_err *err);

/* ics_end() appends END:VCALENDAR. */
void ics_end(struct sbuf *out);

/*
 * ics_escape_text() appends s as an RFC 5545 TEXT value: backslash,
 * semicolon and comma get a backslash, a newline (LF, CRLF or a lone
 * CR) becomes "\n", TAB a space, other control characters are dropped.
 * vCard (RFC 6350 3.4) escapes TEXT the same way.
 */
void ics_escape_text(struct sbuf *out, const char *s);

/*
 * text_fold_line() appends one content line of len octets, folded so
 * that no physical line passes 75 octets (CRLF, then a space that
 * counts in the next line's 75), never inside a UTF-8 character, and
 * ends it with CRLF.  Unfolding (removing every CRLF + space) gives the
 * line back.  The line must not hold CR or LF: escape values first.
 * Shared with the vCard writer: RFC 6350 3.2 folds as RFC 5545 3.1.
 */
void text_fold_line(struct sbuf *out, const char *line, size_t len);

#endif
