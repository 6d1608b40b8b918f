/*
 * entry.c - checking the events crm-log is given.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "entry.h"
#include "money.h"

/* A note may be long; one-line fields may not. */
#define NOTE_MAX (1 << 20)
#define LINE_MAX_BYTES 1000

void
entry_release(struct entry *e)
{
	int i;

	for (i = 0; i < LF_NFIELDS; i++)
		free(e->own[i]);
	memset(e, 0, sizeof(*e));
}

static void
own(struct entry *e, enum log_field f, char *v)
{
	free(e->own[f]);
	e->own[f] = v;
	e->ev.v[f] = v;
}

static int
check_text(enum log_field f, const char *v, struct crm_err *err)
{
	const char *name = log_field_names[f];
	size_t n = strlen(v);
	const char *p;

	if (!utf8_valid(v, n))
		return crm_error(err, "invalid UTF-8 in %s", name);
	if (f == LF_NOTE) {
		if (n > NOTE_MAX)
			return crm_error(err, "note too long (%zu bytes, at most %d)",
			    n, NOTE_MAX);
		/* Line breaks and tabs are text; other controls are not. */
		for (p = v; *p; p++) {
			unsigned char c = (unsigned char)*p;

			if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f)
				return crm_error(err, "note may not contain control "
				    "characters: '%s'", q(v));
		}
		return 0;
	}
	if (n > LINE_MAX_BYTES)
		return crm_error(err, "%s too long (%zu bytes, at most %d)", name, n,
		    LINE_MAX_BYTES);
	if (has_control(v, 0))
		return crm_error(err, "%s may not contain control characters or "
		    "line breaks: '%s'", name, q(v));
	return 0;
}

int
entry_make(const struct custdb *db, const struct entry_input *in,
    int32_t today, int today_fixed, struct entry *e, struct crm_err *err)
{
	char buf[32], *type, *p;
	struct crm_date when, next;
	money_t amount = 0;
	long row;
	int f;

	memset(e, 0, sizeof(*e));
	for (f = 0; f < LF_NFIELDS; f++) {
		if (!in->v[f])
			continue;
		if (check_text((enum log_field)f, in->v[f], err) < 0)
			goto fail;
		if (f == LF_NOTE)
			own(e, (enum log_field)f, xstrdup(in->v[f]));
		else
			own(e, (enum log_field)f, str_trim(in->v[f]));
	}
	/* The customer, stored by id whatever the user called it. */
	if (!e->ev.v[LF_CUSTOMER] || !*e->ev.v[LF_CUSTOMER]) {
		crm_error(err, "no customer given");
		goto fail;
	}
	row = cust_find(db, e->ev.v[LF_CUSTOMER], err);
	if (row < 0)
		goto fail;
	own(e, LF_CUSTOMER, xstrdup(cust_get(db, (size_t)row, CF_ID)));

	type = xstrdup(e->ev.v[LF_TYPE] ? e->ev.v[LF_TYPE] : "");
	for (p = type; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	own(e, LF_TYPE, type);
	if (!*type) {
		crm_error(err, "no event type given");
		goto fail;
	}
	if (!event_type_ok(type)) {
		struct sbuf sb = SBUF_INIT;
		const char *const *t;

		for (t = event_types; *t; t++)
			sb_printf(&sb, "%s%s", sb.len ? ", " : "", *t);
		crm_error(err, "unknown event type '%s' (one of: %s; more in "
		    "$CRM_TYPES)", q(type), sb_str(&sb));
		sb_release(&sb);
		goto fail;
	}

	if (e->ev.v[LF_DATE] && *e->ev.v[LF_DATE]) {
		if (date_parse(e->ev.v[LF_DATE], today, DATE_PAST, &when, err) < 0)
			goto fail;
		if (when.day > today) {
			crm_error(err, "date '%s' is in the future; plan a contact "
			    "with --next", q(e->ev.v[LF_DATE]));
			goto fail;
		}
	} else {
		date_now(today, today_fixed, &when);
	}
	date_format_full(buf, &when);
	own(e, LF_DATE, xstrdup(buf));

	if (e->ev.v[LF_AMOUNT] && *e->ev.v[LF_AMOUNT]) {
		if (money_parse(e->ev.v[LF_AMOUNT], &amount, err) < 0)
			goto fail;
		if (amount < 0 && (streq(type, "purchase") || streq(type, "refund"))) {
			crm_error(err, "a %s amount may not be negative: '%s'", type,
			    q(e->ev.v[LF_AMOUNT]));
			goto fail;
		}
	} else if (streq(type, "purchase") || streq(type, "refund")) {
		crm_error(err, "a %s needs an amount", type);
		goto fail;
	}

	if (e->ev.v[LF_NEXT] && *e->ev.v[LF_NEXT]) {
		if (date_parse(e->ev.v[LF_NEXT], today, DATE_FUTURE, &next, err) < 0)
			goto fail;
		if (next.day < when.day) {
			date_format(buf, when.day);
			crm_error(err, "next date '%s' is before the event's date %s",
			    q(e->ev.v[LF_NEXT]), buf);
			goto fail;
		}
		date_format_full(buf, &next);
		own(e, LF_NEXT, xstrdup(buf));
	} else if (streq(type, "reschedule")) {
		crm_error(err, "a reschedule needs the new date (--next)");
		goto fail;
	}
	if (e->ev.v[LF_NEXT_ACTION] && *e->ev.v[LF_NEXT_ACTION] &&
	    !(e->ev.v[LF_NEXT] && *e->ev.v[LF_NEXT])) {
		crm_error(err, "a next action needs a next date (--next)");
		goto fail;
	}
	if (e->ev.v[LF_ASSIGNEE] && *e->ev.v[LF_ASSIGNEE] &&
	    !(e->ev.v[LF_NEXT] && *e->ev.v[LF_NEXT])) {
		crm_error(err, "an assignee needs a next date (--next)");
		goto fail;
	}
	if (!e->ev.v[LF_BY] || !*e->ev.v[LF_BY])
		own(e, LF_BY, xstrdup(crm_user()));
	return 0;
fail:
	entry_release(e);
	return -1;
}

int
entry_import(const struct custdb *db, const struct table *t, const char *name,
    int32_t today, int today_fixed, struct entry **out, size_t *n,
    struct crm_err *err)
{
	struct entry *v = NULL;
	size_t nv = 0, i, r;
	struct crm_err e;
	int col[LF_NFIELDS], f;

	*out = NULL;
	*n = 0;
	for (i = 0; i < t->ncol; i++) {
		for (f = 0; f < LF_NFIELDS; f++)
			if (streq(t->col[i], log_field_names[f]))
				break;
		if (f == LF_NFIELDS)
			return crm_error(err, "%s:1: unknown column '%s' (the log has: "
			    "date, customer, type, channel, amount, outcome, next, "
			    "next_action, assignee, by, note)", name, q(t->col[i]));
	}
	for (f = 0; f < LF_NFIELDS; f++)
		col[f] = table_col(t, log_field_names[f]);
	v = xcalloc(t->nrow ? t->nrow : 1, sizeof(*v));
	for (r = 0; r < t->nrow; r++) {
		struct entry_input in;

		for (f = 0; f < LF_NFIELDS; f++)
			in.v[f] = col[f] >= 0 ? table_get(t, r, col[f]) : NULL;
		if (entry_make(db, &in, today, today_fixed, &v[nv], &e) < 0) {
			for (i = 0; i < nv; i++)
				entry_release(&v[i]);
			free(v);
			return crm_error(err, "%s:%ld: %s", name, t->line[r], e.msg);
		}
		nv++;
	}
	*out = v;
	*n = nv;
	return 0;
}
