/*
 * entry.h - an event as a user gives it to crm-log: checked, completed
 * and put in the form log.csv keeps, before it is appended.
 */
#ifndef CRM_ENTRY_H
#define CRM_ENTRY_H

#include "base.h"
#include "customer.h"
#include "event.h"
#include "table.h"

/* The event as given, indexed by enum log_field; NULL: not given. */
struct entry_input {
	const char *v[LF_NFIELDS];
};

/* The event to append: ev.v points into own[] or the custdb. */
struct entry {
	struct evvals ev;
	char *own[LF_NFIELDS];
};

/*
 * entry_make() checks in and fills e: the customer found in db by id,
 * e-mail or name prefix (and stored by id); the type known (see
 * event_type_ok()); the date as people say it (default: now, or today
 * when today is fixed) and not in the future; an amount, required for a
 * purchase or refund and never negative there; the next date on or
 * after the event's day; a reschedule must have one; one-line fields
 * without control characters (a note may have line breaks); by defaults
 * to crm_user().  Returns 0, or -1 with err filled.
 */
int entry_make(const struct custdb *db, const struct entry_input *in,
    int32_t today, int today_fixed, struct entry *e, struct crm_err *err);
void entry_release(struct entry *e);

/*
 * entry_import() checks every row of in (read from the file name, its
 * columns named as in log.csv) with entry_make() and returns the events
 * in *out (n of them); messages name the input line.  All or nothing: on
 * error *out is NULL.  Like base_import(), it takes the input read whole
 * before the store is locked.
 */
int entry_import(const struct custdb *db, const struct table *in,
    const char *name, int32_t today, int today_fixed, struct entry **out,
    size_t *n, struct crm_err *err);

#endif
