/*
 * event.c - the interaction log.
 */
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "writer.h"

const char *const log_field_names[LF_NFIELDS] = {
	"date", "customer", "type", "channel", "amount", "outcome", "next",
	"next_action", "assignee", "by", "note"
};

const char *const event_types[] = {
	"call", "email", "meeting", "visit", "message", "letter", "offer",
	"purchase", "refund", "complaint", "note", "churn", "reschedule",
	"reassign", "done", NULL
};

int
event_type_ok(const char *t)
{
	const char *const *p;
	const char *extra = getenv("CRM_TYPES");
	size_t n = strlen(t);

	for (p = event_types; *p; p++)
		if (streq(*p, t))
			return 1;
	while (extra && *extra) {
		const char *e = strchr(extra, ',');
		size_t len = e ? (size_t)(e - extra) : strlen(extra);

		if (len == n && strncmp(extra, t, n) == 0)
			return 1;
		extra = e ? e + 1 : NULL;
	}
	return 0;
}

int
event_is_purchase(const struct event *ev)
{
	return ev->kind == EV_PURCHASE;
}

int
event_is_refund(const struct event *ev)
{
	return ev->kind == EV_REFUND;
}

/*
 * The kind of an event of type t, and whether it is a contact: purchases
 * and refunds come from the shop, notes are asides, a reassignment is
 * bookkeeping and a reschedule moves the date without a word to the
 * customer; every other type is a contact.  By the type's first letter
 * and length before any comparison: this is done for every event of a
 * log of millions.
 */
static int
type_class(const char *t, size_t n, int *contact)
{
	*contact = 0;
	switch (t[0]) {
	case 'p':
		if (n == 8 && memcmp(t, "purchase", 8) == 0)
			return EV_PURCHASE;
		break;
	case 'r':
		if (n == 6 && memcmp(t, "refund", 6) == 0)
			return EV_REFUND;
		if ((n == 8 && memcmp(t, "reassign", 8) == 0) ||
		    (n == 10 && memcmp(t, "reschedule", 10) == 0))
			return EV_OTHER;
		break;
	case 'n':
		if (n == 4 && memcmp(t, "note", 4) == 0)
			return EV_OTHER;
		break;
	}
	*contact = 1;
	return EV_OTHER;
}

int
event_type_is_contact(const char *t)
{
	int contact;

	type_class(t, strlen(t), &contact);
	return contact;
}

int
event_touches_followup(const struct event *ev)
{
	return ev->has_next || ev->contact;
}

int
followup_apply(struct followup *fu, const struct event *ev)
{
	if (!event_touches_followup(ev))
		return 0;
	/* Later in the file wins on the same day: >=, not >. */
	if (fu->set && ev->date.day < fu->day)
		return 0;
	fu->set = 1;
	fu->day = ev->date.day;
	fu->open = ev->has_next;
	if (ev->has_next)
		fu->due = ev->next;
	return 1;
}

int
logr_open(struct logreader *lr, const char *path, int fd, int64_t limit,
    int strict_eol, const struct log_cols *cols, struct crm_err *err)
{
	struct rd_opts o = { .format = RD_AUTO, .strict_eol = strict_eol,
	    .limit = limit };
	struct reader *r;

	if (fd >= 0)
		r = rd_fdopen(fd, path, &o, err);
	else
		r = rd_open(path, &o, err);
	if (!r)
		return -1;
	return logr_from(lr, r, cols, err);
}

int
logr_from(struct logreader *lr, struct reader *r, const struct log_cols *cols,
    struct crm_err *err)
{
	int i;

	memset(lr, 0, sizeof(*lr));
	lr->rd = r;
	for (i = 0; i < LF_NFIELDS; i++) {
		const char *name = cols && cols->name[i] ? cols->name[i] :
		    log_field_names[i];

		lr->col[i] = rd_col(lr->rd, name);
		/* A file that was given its own column name must have it. */
		if (lr->col[i] < 0 && cols && cols->name[i] &&
		    rd_format(lr->rd) == RD_CSV && rd_ncol(lr->rd) > 0) {
			crm_error(err, "%s:1: no column '%s'", rd_name(lr->rd),
			    q(name));
			goto fail;
		}
	}
	if (rd_format(lr->rd) == RD_CSV && rd_ncol(lr->rd) > 0) {
		if (lr->col[LF_DATE] < 0 || lr->col[LF_CUSTOMER] < 0) {
			crm_error(err, "%s:1: no column '%s'", rd_name(lr->rd),
			    lr->col[LF_DATE] < 0 ? "date" : "customer");
			goto fail;
		}
		lr->notype = lr->col[LF_TYPE] < 0;
	}
	lr->direct = rd_format(lr->rd) == RD_CSV;
	for (i = 0; i < LF_NFIELDS; i++)
		if (lr->col[i] != i)
			lr->direct = 0;
	return 0;
fail:
	rd_close(lr->rd);
	lr->rd = NULL;
	return -1;
}

void
logr_close(struct logreader *lr)
{
	rd_close(lr->rd);
	lr->rd = NULL;
}

/*
 * Are the n bytes at a and b the same?  For the date of every event:
 * an ISO date is 10 bytes, compared in two loads each rather than by a
 * call to memcmp(), which cost 4% of reading a log.
 */
static inline int
same_text(const char *a, const char *b, size_t n)
{
	uint64_t x, y;
	uint16_t u, v;

	if (n != 10)
		return memcmp(a, b, n) == 0;
	memcpy(&x, a, 8);
	memcpy(&y, b, 8);
	memcpy(&u, a + 8, 2);
	memcpy(&v, b + 8, 2);
	return x == y && u == v;
}

int
logr_next(struct logreader *lr, struct event *ev, struct crm_err *err)
{
	struct crm_err e;
	struct rec *rec;
	int i, k;

	k = rd_next(lr->rd, &rec, err);
	if (k <= 0)
		return k;
	/* The reader checks that every row has the header's fields. */
	if (lr->direct && rec->nf >= LF_NFIELDS) {
		ev->f = rec->f;
		ev->len = rec->len;
	} else {
		for (i = 0; i < LF_NFIELDS; i++) {
			int c = lr->col[i];

			lr->f[i] = rec_get(rec, c);
			lr->len[i] = c < 0 || (size_t)c >= rec->nf ? 0 : rec->len[c];
		}
		/* Sales data without types: every row is a purchase (crm(7)). */
		if (lr->notype || (!*lr->f[LF_TYPE] &&
		    rd_format(lr->rd) == RD_JSONL && lr->jsonl_purchases)) {
			lr->f[LF_TYPE] = "purchase";
			lr->len[LF_TYPE] = 8;
		}
		ev->f = lr->f;
		ev->len = lr->len;
	}
	ev->line = rec->line;
	ev->offset = rec->offset;
	ev->rec = rec;
	ev->kind = type_class(ev->f[LF_TYPE], ev->len[LF_TYPE], &ev->contact);
	if (ev->len[LF_DATE] == lr->last_len && lr->last_len &&
	    same_text(ev->f[LF_DATE], lr->last_date, lr->last_len)) {
		ev->date = lr->last_parsed;
	} else {
		if (date_parse_iso(ev->f[LF_DATE], &ev->date) < 0)
			return crm_error(err, "%s:%ld: invalid date '%s'",
			    rd_name(lr->rd), rec->line, q(ev->f[LF_DATE]));
		if (ev->len[LF_DATE] < sizeof(lr->last_date)) {
			memcpy(lr->last_date, ev->f[LF_DATE], ev->len[LF_DATE]);
			lr->last_len = ev->len[LF_DATE];
			lr->last_parsed = ev->date;
		}
	}
	if (!*ev->f[LF_CUSTOMER])
		return crm_error(err, "%s:%ld: no customer", rd_name(lr->rd),
		    rec->line);
	if (!*ev->f[LF_TYPE])
		return crm_error(err, "%s:%ld: no event type", rd_name(lr->rd),
		    rec->line);
	ev->has_amount = *ev->f[LF_AMOUNT] != '\0';
	ev->amount = 0;
	if (ev->has_amount && money_parse_n(ev->f[LF_AMOUNT], ev->len[LF_AMOUNT],
	    &ev->amount, &e) < 0)
		return crm_error(err, "%s:%ld: %s", rd_name(lr->rd), rec->line, e.msg);
	ev->has_next = *ev->f[LF_NEXT] != '\0';
	if (ev->has_next && date_parse_iso(ev->f[LF_NEXT], &ev->next) < 0)
		return crm_error(err, "%s:%ld: invalid date '%s' in next",
		    rd_name(lr->rd), rec->line, q(ev->f[LF_NEXT]));
	return 1;
}

int
event_format(struct sbuf *out, char *const *cols, size_t ncol,
    const char *const *v, struct crm_err *err)
{
	int placed[LF_NFIELDS] = { 0 };
	size_t i;
	int f;

	for (i = 0; i < ncol; i++) {
		const char *s = "";

		for (f = 0; f < LF_NFIELDS; f++) {
			if (streq(cols[i], log_field_names[f])) {
				s = v[f] ? v[f] : "";
				placed[f] = 1;
				break;
			}
		}
		if (i)
			sb_addc(out, ',');
		csv_field(out, s, strlen(s));
	}
	sb_addc(out, '\n');
	for (f = 0; f < LF_NFIELDS; f++)
		if (!placed[f] && v[f] && *v[f])
			return crm_error(err, "the log has no column '%s'",
			    log_field_names[f]);
	return 0;
}
