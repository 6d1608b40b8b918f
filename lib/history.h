/*
 * history.h - one customer's card and timeline, so that a colleague can
 * pick up the account in two minutes.
 */
#ifndef CRM_HISTORY_H
#define CRM_HISTORY_H

#include "customer.h"
#include "event.h"
#include "table.h"

struct history {
	struct table ev;	/* the customer's events, the log's columns */
	int32_t *day;		/* the day of each event */
	size_t *order;		/* the events by date, then file order */
	struct followup fu;
	char *fu_action;	/* the next action of the open follow-up */
	char *fu_assignee;	/* and who is to do it ("" for the owner) */
	long last_contact;	/* row in ev of the latest contact, or -1 */
	long npurchases;
	money_t revenue;	/* purchases minus refunds */
	int32_t first_purchase, last_purchase;
};

/*
 * history_load() reads the whole log from lr and keeps the events of
 * the customer id.  Returns 0 or -1 (err names the file and line).
 */
int history_load(struct history *h, struct logreader *lr, const char *id,
    struct crm_err *err);
void history_release(struct history *h);

/* history_text() appends the card and the timeline for a terminal. */
void history_text(struct sbuf *out, const struct custdb *db, size_t row,
    const struct history *h, int32_t today);

/*
 * history_json() appends one JSON object: {"customer":{...},
 * "followup":{"due","action","days"} or null, "purchases", "revenue",
 * "first_purchase", "last_purchase", "events":[{...}, ...]}.
 */
void history_json(struct sbuf *out, const struct custdb *db, size_t row,
    const struct history *h, int32_t today);

/*
 * "in 3 days", "today", "3 days overdue" and the like: when a date is
 * seen from today.
 */
void when_text(struct sbuf *out, int32_t day, int32_t today);

#endif
