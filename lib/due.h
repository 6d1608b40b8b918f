/*
 * due.h - what is due: the agreed follow-ups, unanswered complaints,
 * customers whose tier asks for regular contact and who had none for
 * too long, and birthdays; ranked by urgency.
 *
 * One pass over the log keeps a small state per customer (memory in
 * proportion to customers, not events).  An unanswered complaint is
 * reported whatever the horizon, until a contact answers it.
 *
 * Urgency, like taskwarrior's, is a weighted sum (crm-due(1) prints
 * the table):
 *
 *   1.0 per day overdue (negative for days still to come)
 *   + by kind: complaint 10, follow-up 2, cadence 0, birthday -2
 *   + by tier: vip 6, key 4, regular 1, small 0
 *   + 5 when the customer has an unanswered complaint (other items)
 *   + 2 * log10(1 + value / 100), value from the customer's clv or
 *     revenue column when the customer rows carry one
 */
#ifndef CRM_DUE_H
#define CRM_DUE_H

#include "customer.h"
#include "event.h"

enum due_kind { DUE_FOLLOWUP, DUE_COMPLAINT, DUE_CADENCE, DUE_BIRTHDAY };
extern const char *const due_kind_names[];

/* The urgency coefficients above, for the man page and the tests. */
#define URG_PER_DAY 1.0
#define URG_KIND_COMPLAINT 10.0
#define URG_KIND_FOLLOWUP 2.0
#define URG_KIND_CADENCE 0.0
#define URG_KIND_BIRTHDAY -2.0
#define URG_TIER_VIP 6.0
#define URG_TIER_KEY 4.0
#define URG_TIER_REGULAR 1.0
#define URG_OPEN_COMPLAINT 5.0
#define URG_VALUE 2.0

struct due_opts {
	int32_t today;
	int32_t until;		/* the horizon: items due up to this day */
	const char *owner;	/* only this person's items, or NULL */
	int followups, complaints, cadence, birthdays;	/* which to report */
	/* Days between contacts by tier (vip, key, regular, small); 0: none. */
	int cadence_days[4];
	int complaint_hours;	/* how soon a complaint must be answered */
};

/* The defaults: everything on, vip every 14 days, key every 30, 24 h. */
void due_opts_init(struct due_opts *o, int32_t today);

/*
 * due_set_cadence() reads "key=30,vip=14" (or "regular=0" to switch a
 * tier off) into o.  Returns 0 or -1.
 */
int due_set_cadence(struct due_opts *o, const char *spec, struct crm_err *err);

struct due_item {
	enum due_kind kind;
	int32_t due;
	size_t row;		/* the customer's row in the custdb */
	char *handler;		/* who is to do it: assignee, else owner */
	char *action;
	char *uid;		/* stable across runs (see crm-due --ics) */
	double urgency;
	char *last_date, *last_type, *last_note;	/* the last contact */
};

struct due_list {
	struct due_item *v;
	size_t n, cap;
};

/*
 * due_scan() reads the events from lr (NULL: no log) for the customers
 * of db and collects the items of the kinds o asks for, most urgent
 * first (then by due date and customer id).  Events of customers that
 * are not in db are ignored.  Returns 0 or -1.
 */
int due_scan(struct due_list *out, const struct custdb *db,
    struct logreader *lr, const struct due_opts *o, struct crm_err *err);
void due_release(struct due_list *l);

/*
 * The agenda: how many items fall on each day from today to until
 * (index 0 holds the overdue ones), per handler.  counts[d * nh + h].
 */
struct due_agenda {
	size_t ndays, nh;
	char **handler;		/* sorted */
	long *counts;
};
void due_agenda(struct due_agenda *a, const struct due_list *l,
    int32_t today, int32_t until);
void due_agenda_release(struct due_agenda *a);

/*
 * due_text() appends the items as numbered blocks of plain text, for a
 * mail body: due date and how overdue, customer, action, last contact,
 * phone and e-mail.
 */
void due_text(struct sbuf *out, const struct due_list *l, size_t *only,
    size_t nonly, const struct custdb *db, int32_t today);

/*
 * due_handover() appends CSV events in log.csv's columns that hand the
 * follow-ups in l over to to: a reschedule for today (or the due date,
 * when later) with the same next action, assigned to to.  For
 * "crm-due --owner anna --handover boris | crm-log --import".
 */
void due_handover(struct sbuf *out, const struct due_list *l,
    const struct custdb *db, const char *to, int32_t today);

#endif
