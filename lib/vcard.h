/*
 * vcard.h - contacts in vCard files: a reader for versions 2.1, 3.0 and
 * 4.0 (RFC 2425/2426, RFC 6350, and the vCard 2.1 specification) and a
 * writer of version 3.0.  Pure: bytes in, contacts out and back; no
 * files, nothing printed.
 *
 * Only the properties crm keeps are read: FN, N, ORG, TEL, EMAIL, BDAY,
 * CATEGORIES, NOTE and UID.  Everything else (ADR, PHOTO, X-...) is
 * skipped without being decoded, so a binary PHOTO or an address in a
 * strange charset cannot make a file fail.
 *
 * The reader accepts what phones, Google Contacts, Apple Contacts and
 * khard export: many vCards per file; LF, CRLF or CR line ends; folded
 * lines (a line end, then a space or a tab); a UTF-8 byte-order mark, or
 * UTF-16 with its mark; property groups (item1.TEL); names and
 * parameters in any case; parameters in the 3.0/4.0 form (TYPE=cell,voice,
 * TYPE="cell,voice", PREF=1) and the 2.1 bare form (TEL;CELL;PREF);
 * ENCODING=QUOTED-PRINTABLE with its soft line breaks, ENCODING=b or
 * BASE64 (2.1 base64 lines without the leading space are taken too);
 * CHARSET=, converted to UTF-8 with iconv(3); TEXT escapes (\n \N \, \;
 * \\ and \:, which Google writes in URLs).
 *
 * Every string of a parsed contact is valid UTF-8 without NUL bytes and
 * never NULL ("" when absent).
 */
#ifndef CRM_VCARD_H
#define CRM_VCARD_H

#include <stddef.h>

#include "util.h"

/*
 * A TEL or EMAIL value with what a caller needs to choose one.  types
 * holds the TYPE values in lower case, comma separated, in the order
 * first written and without repeats ("cell,voice"; "" for none); 2.1's
 * bare parameters (TEL;CELL) count as types.  "pref" is not kept there
 * but in pref, nor is "internet" for EMAIL (every e-mail address is
 * one).  pref is 0 when the value is not marked preferred, else its
 * RFC 6350 rank: PREF=n (1 is the most preferred, up to 100), and 1 for
 * the TYPE=pref of 3.0 and the bare PREF of 2.1.
 */
struct vcard_value {
	char *value;	/* a "tel:" (TEL) or "mailto:" (EMAIL) prefix removed */
	char *types;
	int pref;
};

/*
 * The structured name (N).  A component with several values (as in
 * "Stevenson;John;Philip,Paul;Dr.;Jr.,M.D.") has them joined with a
 * space: "Philip Paul", "Jr. M.D.".
 */
struct vcard_name {
	char *family, *given, *additional, *prefixes, *suffixes;
};

/*
 * One contact.  All strings and arrays are malloc'ed and belong to the
 * struct: vcard_release() frees them.
 */
struct vcard {
	long line;	/* the line of BEGIN:VCARD (1 is the first) */
	/* FN; when FN is missing or empty, the display name made from N:
	 * prefixes, given, additional, family and suffixes with spaces
	 * between.  "" when neither gives a name (the caller may fall back on
	 * org or an e-mail address). */
	char *fn;
	struct vcard_name n;
	char *org;	/* the first component of ORG, the organization */
	struct vcard_value *tel;	/* every TEL, in file order */
	size_t ntel;
	struct vcard_value *email;	/* every EMAIL, in file order */
	size_t nemail;
	/* "YYYY-MM-DD", "--MM-DD" when the year is not known (no year
	 * written, Apple's placeholder year 1604, or X-APPLE-OMIT-YEAR), or ""
	 * when there is no BDAY or it gives no month and day (4.0's "1985",
	 * "1985-04", "---15", or VALUE=text).  A time after the date is
	 * ignored: the birthday is the day written. */
	char *bday;
	/* Every CATEGORIES value, in order, split at unescaped commas, with
	 * surrounding blanks and empty ones dropped. */
	char **categories;
	size_t ncategories;
	char *note;	/* NOTE; several NOTEs joined with a line feed */
	char *uid;	/* UID, as written */
	/*
	 * crm's own fields, which no standard property holds: written as
	 * X-CRM-FIELD:name;value (both TEXT-escaped), in order, so that an
	 * export read back loses nothing.  Other programs keep or drop them.
	 */
	char **xname, **xval;
	size_t nx;
};

/*
 * A zeroed struct vcard is empty and may be filled by hand for the
 * writer (NULL strings count as ""), with xstrdup() and the vcard_add_*
 * helpers, and freed with vcard_release().
 */
#define VCARD_INIT { 0 }

/* vcard_add_field() appends an X-CRM-FIELD (copies of name and value). */
void vcard_add_field(struct vcard *c, const char *name, const char *value);

/* A list of contacts; the list owns them. */
struct vcard_list {
	struct vcard *v;
	size_t len, cap;
};
#define VCARD_LIST_INIT { NULL, 0, 0 }

/*
 * vcard_parse() reads the len bytes of a whole vCard file and appends
 * its contacts to out, in file order.  name is used in messages, as in
 * "contacts.vcf:12: BEGIN:VCARD without END:VCARD" (NULL means "stdin").
 * A file without any vCard (empty, or blank lines only) gives no
 * contacts and returns 0.  Returns 0, or -1 with the message in err and
 * out left as it was, when a BEGIN:VCARD has no END:VCARD, an END:VCARD
 * no BEGIN:VCARD, a line is not a property or stands outside a vCard, a
 * CHARSET is unknown to iconv(3) or the text is not in it, a value read
 * is not valid UTF-8 or holds a NUL byte, a BDAY is not a date, or
 * base64 data is broken.
 */
int vcard_parse(const char *data, size_t len, const char *name,
    struct vcard_list *out, struct crm_err *err);

/* vcard_list_release() frees the contacts and empties the list. */
void vcard_list_release(struct vcard_list *l);

/* vcard_release() frees what c holds and zeroes it; c itself is not freed. */
void vcard_release(struct vcard *c);

/*
 * vcard_write() appends c as a vCard 3.0 (the version phones read
 * best): BEGIN:VCARD, VERSION:3.0, FN, N, ORG, TEL, EMAIL, BDAY,
 * CATEGORIES, NOTE, UID and END:VCARD, the empty ones left out but FN
 * and N, which 3.0 requires.  Lines end with CRLF and are folded at 75
 * octets, never inside a UTF-8 character; values are TEXT-escaped
 * (ics_escape_text(): a TAB becomes a space, other control characters
 * are dropped, invalid UTF-8 becomes U+FFFD).
 *
 * FN is c->fn, or the display name made from c->n when fn is empty.  N
 * is c->n when any of its parts is set; else the whole of FN goes in
 * the given-name slot ("N:;Ivan Petrov;;;"), since crm keeps one name
 * and cannot tell the family name in it: phones then show it as it is.
 * Such a card reads back with n.given equal to fn.
 *
 * TEL and EMAIL carry TYPE=, the types upper case (letters, digits and
 * '-' kept) and PREF added when pref is not 0; 3.0 has no ranks, so any
 * pref reads back as 1.  Every EMAIL is TYPE=INTERNET.  BDAY is written
 * in the reader's form when it is one of the forms the reader accepts,
 * and left out otherwise.  UID is written as given (crm makes it
 * stable, so that a re-import updates the contact).  Categories are
 * written as they are (the reader trims them).
 */
void vcard_write(struct sbuf *out, const struct vcard *c);

/*
 * vcard_add_tel(), vcard_add_email() and vcard_add_category() append a
 * copy of the strings to c (types NULL means none); for building a
 * contact to write.
 */
void vcard_add_tel(struct vcard *c, const char *value, const char *types,
    int pref);
void vcard_add_email(struct vcard *c, const char *value, const char *types,
    int pref);
void vcard_add_category(struct vcard *c, const char *category);

/* vcard_has_type() tells whether v has type (any case) among its types. */
int vcard_has_type(const struct vcard_value *v, const char *type);

/*
 * vcard_best() returns the value the contact prefers among the n in v:
 * the lowest pref (0 counting as unranked, after 100); among equals the
 * first that has type (NULL: any), else the first.  NULL when n is 0.
 * The pointer points into v.
 */
const struct vcard_value *vcard_best(const struct vcard_value *v, size_t n,
    const char *type);

#endif
