/*
 * event.h - log.csv: the events, what each field may hold, and the rule
 * for a customer's open follow-up.
 *
 * The open follow-up rule (crm(7)): of a customer's events, those that
 * touch the follow-up are the ones with a next date, and every event
 * that is a contact (any type but purchase, refund, note, reassign and
 * reschedule; a reschedule touches it through its next date).
 * The open follow-up is the next date of the latest such event, latest
 * by day, and on the same day the one later in the file.  An empty next date
 * means none: a call logged without --next closes the follow-up.  The
 * follow-up is for the assignee of that event, or when it has none for
 * the customer's owner.
 */
#ifndef CRM_EVENT_H
#define CRM_EVENT_H

#include "date.h"
#include "money.h"
#include "reader.h"
#include "util.h"

enum log_field {
	LF_DATE, LF_CUSTOMER, LF_TYPE, LF_CHANNEL, LF_AMOUNT, LF_OUTCOME,
	LF_NEXT, LF_NEXT_ACTION, LF_ASSIGNEE, LF_BY, LF_NOTE, LF_NFIELDS
};
extern const char *const log_field_names[LF_NFIELDS];
/* The event types of crm(7), NULL-terminated. */
extern const char *const event_types[];

/*
 * event_type_ok() tells whether t is a known type, or one of the extra
 * types listed in $CRM_TYPES (comma-separated).
 */
int event_type_ok(const char *t);

/*
 * One event as read.  f[i] is field i of enum log_field ("" when the
 * column is absent) and len[i] its length; both stay valid until the
 * next logr_next().  They are the reader's own record when the log's
 * first columns are those of enum log_field, in order (as in the
 * store's log): copying eleven fields for every event was a third of
 * logr_next().
 */
struct event {
	const char *const *f;
	const size_t *len;
	enum { EV_OTHER, EV_PURCHASE, EV_REFUND } kind;
	int contact;			/* event_type_is_contact(), once */
	struct crm_date date;
	struct crm_date next;		/* valid when has_next */
	int has_next;
	money_t amount;			/* valid when has_amount */
	int has_amount;
	long line;
	int64_t offset;
	const struct rec *rec;		/* the whole record */
};

/* Is an event of type t a contact with the customer (see above)? */
int event_type_is_contact(const char *t);
/* Does the event count for the follow-up rule above? */
int event_touches_followup(const struct event *ev);
/* Is it a purchase (+amount) or a refund (-amount)? */
int event_is_purchase(const struct event *ev);
int event_is_refund(const struct event *ev);

/*
 * The follow-up of one customer while the log is read in file order.
 * followup_apply() returns 1 when ev became the event that decides it
 * (the caller may then keep what it needs of ev, such as next_action),
 * 0 when ev does not change it.
 */
struct followup {
	int set;		/* some event touched it */
	int32_t day;		/* the day of that event */
	int open;		/* it has a next date */
	struct crm_date due;	/* the next date, when open */
};
int followup_apply(struct followup *fu, const struct event *ev);

/* Column names to use instead of the standard ones (NULL: standard). */
struct log_cols {
	const char *name[LF_NFIELDS];
};

/*
 * A reader of events.  Every event must have a valid date, a customer
 * and a type (unless notype: then every row is a purchase); a present
 * amount or next must be valid.  Errors name the file and line.
 */
struct logreader {
	struct reader *rd;
	int col[LF_NFIELDS];
	int direct;		/* col[i] == i, CSV: events point into records */
	int notype;
	/* The fields of the event, when they are not the record's. */
	const char *f[LF_NFIELDS];
	size_t len[LF_NFIELDS];
	/* The last date read and its text: logs come in runs of one day.
	 * last_len 0: none yet (an empty date is never taken from here). */
	char last_date[32];
	size_t last_len;
	struct crm_date last_parsed;
	/* JSON Lines of sales data: an object without a type is a purchase
	 * (the caller sets it; the store's log always has types). */
	int jsonl_purchases;
};

/*
 * logr_open() starts reading events from path ("-" for stdin) or, when
 * fd >= 0, from fd (not closed; limit bytes, as the store gives it).
 * cols may be NULL.  Returns 0 or -1.
 */
int logr_open(struct logreader *lr, const char *path, int fd, int64_t limit,
    int strict_eol, const struct log_cols *cols, struct crm_err *err);
/* logr_from() does the same over a reader already open (and takes it). */
int logr_from(struct logreader *lr, struct reader *r, const struct log_cols *cols,
    struct crm_err *err);
/* logr_next() returns 1 with *ev filled, 0 at the end, -1 on an error. */
int logr_next(struct logreader *lr, struct event *ev, struct crm_err *err);
void logr_close(struct logreader *lr);

/*
 * event_format() appends one CSV record for the values v (indexed by
 * enum log_field, NULL for empty) to out, in the order of the columns
 * cols/ncol of the file it goes to; columns not in enum log_field stay
 * empty.  A value for a field the file has no column for is an error.
 */
int event_format(struct sbuf *out, char *const *cols, size_t ncol,
    const char *const *v, struct crm_err *err);

#endif
