/*
 * history.c - a customer's card and timeline.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "history.h"

int
history_load(struct history *h, struct logreader *lr, const char *id,
    struct crm_err *err)
{
	struct event ev;
	size_t i, n;
	int k;

	memset(h, 0, sizeof(*h));
	h->last_contact = -1;
	while ((k = logr_next(lr, &ev, err)) > 0) {
		if (!streq(ev.f[LF_CUSTOMER], id))
			continue;
		for (i = h->ev.ncol; i < rd_ncol(lr->rd); i++)
			table_add_col(&h->ev, rd_colname(lr->rd, i));
		n = h->ev.nrow;
		table_add_row(&h->ev, ev.rec->f, ev.line);
		h->day = xreallocarray(h->day, n + 1, sizeof(*h->day));
		h->day[n] = ev.date.day;
		if (followup_apply(&h->fu, &ev)) {
			free(h->fu_action);
			free(h->fu_assignee);
			h->fu_action = xstrdup(ev.f[LF_NEXT_ACTION]);
			h->fu_assignee = xstrdup(ev.f[LF_ASSIGNEE]);
		}
		if (ev.contact && (h->last_contact < 0 ||
		    ev.date.day >= h->day[h->last_contact]))
			h->last_contact = (long)n;
		if (event_is_purchase(&ev) || event_is_refund(&ev)) {
			money_t a = event_is_refund(&ev) ? -ev.amount : ev.amount;

			if (money_add(&h->revenue, a) < 0)
				return crm_error(err, "%s:%ld: the sum of amounts is too "
				    "large", rd_name(lr->rd), ev.line);
		}
		if (event_is_purchase(&ev)) {
			if (!h->npurchases || ev.date.day < h->first_purchase)
				h->first_purchase = ev.date.day;
			if (!h->npurchases || ev.date.day > h->last_purchase)
				h->last_purchase = ev.date.day;
			h->npurchases++;
		}
	}
	if (k < 0)
		return -1;
	/* The timeline in date order; equal days keep the file's order. */
	h->order = xcalloc(h->ev.nrow, sizeof(*h->order));
	for (i = 0; i < h->ev.nrow; i++) {
		size_t j = i;

		while (j > 0 && h->day[h->order[j - 1]] > h->day[i]) {
			h->order[j] = h->order[j - 1];
			j--;
		}
		h->order[j] = i;
	}
	return 0;
}

void
history_release(struct history *h)
{
	table_release(&h->ev);
	free(h->day);
	free(h->order);
	free(h->fu_action);
	free(h->fu_assignee);
	memset(h, 0, sizeof(*h));
}

void
when_text(struct sbuf *out, int32_t day, int32_t today)
{
	long d = (long)day - today;

	if (d == 0)
		sb_adds(out, "today");
	else if (d == 1)
		sb_adds(out, "tomorrow");
	else if (d == -1)
		sb_adds(out, "1 day overdue");
	else if (d > 0)
		sb_printf(out, "in %ld days", d);
	else
		sb_printf(out, "%ld days overdue", -d);
}

/* Add "label: value" to a line of the card, when value is not empty. */
static void
card_item(struct sbuf *line, const char *label, const char *value)
{
	char *v;

	if (!*value)
		return;
	v = str_printable(value, 0);
	sb_printf(line, "%s%s: %s", line->len ? "   " : "  ", label, v);
	free(v);
}

static void
card_line(struct sbuf *out, struct sbuf *line)
{
	if (line->len) {
		sb_add(out, line->buf, line->len);
		sb_addc(out, '\n');
	}
	sb_reset(line);
}

static const char *
ev_get(const struct history *h, size_t r, enum log_field f)
{
	return table_get(&h->ev, r, table_col(&h->ev, log_field_names[f]));
}

/* The note, indented under its event. */
static void
indented(struct sbuf *out, const char *prefix, const char *text)
{
	char *t = str_printable(text, 1), *p = t;

	while (*p) {
		char *e = strchr(p, '\n');

		if (e)
			*e = '\0';
		sb_printf(out, "%s%s\n", prefix, p);
		if (!e)
			break;
		p = e + 1;
	}
	free(t);
}

void
history_text(struct sbuf *out, const struct custdb *db, size_t row,
    const struct history *h, int32_t today)
{
	static const enum cust_field groups[][5] = {
		{ CF_OWNER, CF_TIER, CF_STAGE, CF_INDUSTRY, CF_NFIELDS },
		{ CF_EMAIL, CF_PHONE, CF_BIRTHDAY, CF_NFIELDS },
		{ CF_SOURCE, CF_TAGS, CF_CREATED, CF_NFIELDS },
	};
	struct sbuf line = SBUF_INIT;
	char d1[11], d2[11], money[32], *s;
	size_t g, i, j;

	s = str_printable(cust_get(db, row, CF_NAME), 0);
	sb_printf(out, "%s (%s)", s, cust_get(db, row, CF_ID));
	free(s);
	if (*cust_get(db, row, CF_COMPANY)) {
		s = str_printable(cust_get(db, row, CF_COMPANY), 0);
		sb_printf(out, ", %s", s);
		free(s);
	}
	sb_addc(out, '\n');
	for (g = 0; g < ARRAY_SIZE(groups); g++) {
		for (i = 0; groups[g][i] != CF_NFIELDS; i++)
			card_item(&line, cust_field_names[groups[g][i]],
			    cust_get(db, row, groups[g][i]));
		card_line(out, &line);
	}
	/* The user's own columns. */
	for (j = 0; j < db->t.ncol; j++)
		if (cust_field_by_name(db->t.col[j]) < 0)
			card_item(&line, db->t.col[j], table_get(&db->t, row, (int)j));
	card_line(out, &line);
	if (h->npurchases) {
		money_format(money, h->revenue);
		date_format(d1, h->first_purchase);
		date_format(d2, h->last_purchase);
		sb_printf(out, "  purchases: %ld, revenue %s (first %s, last %s)\n",
		    h->npurchases, money, d1, d2);
	}
	if (h->last_contact >= 0) {
		s = str_printable(ev_get(h, (size_t)h->last_contact, LF_NOTE), 0);
		sb_printf(out, "  last contact: %s %s%s%s\n",
		    ev_get(h, (size_t)h->last_contact, LF_DATE),
		    ev_get(h, (size_t)h->last_contact, LF_TYPE), *s ? ": " : "", s);
		free(s);
	}
	if (h->fu.open) {
		char due[32];

		date_format_full(due, &h->fu.due);
		sb_printf(out, "  next contact: %s (", due);
		when_text(out, h->fu.due.day, today);
		s = str_printable(h->fu_action ? h->fu_action : "", 0);
		sb_printf(out, ")%s%s", *s ? ": " : "", s);
		free(s);
		if (h->fu_assignee && *h->fu_assignee) {
			s = str_printable(h->fu_assignee, 0);
			sb_printf(out, " [for %s]", s);
			free(s);
		}
		sb_addc(out, '\n');
	} else {
		sb_adds(out, "  next contact: none agreed\n");
	}
	if (h->ev.nrow)
		sb_addc(out, '\n');
	for (i = 0; i < h->ev.nrow; i++) {
		size_t r = h->order[i];
		const char *amount = ev_get(h, r, LF_AMOUNT);

		sb_printf(out, "%s  %s", ev_get(h, r, LF_DATE), ev_get(h, r, LF_TYPE));
		if (*amount)
			sb_printf(out, " %s", amount);
		card_item(&line, "channel", ev_get(h, r, LF_CHANNEL));
		card_item(&line, "by", ev_get(h, r, LF_BY));
		card_item(&line, "outcome", ev_get(h, r, LF_OUTCOME));
		for (j = 0; j < h->ev.ncol; j++) {
			int f;

			for (f = 0; f < LF_NFIELDS; f++)
				if (streq(h->ev.col[j], log_field_names[f]))
					break;
			if (f == LF_NFIELDS)
				card_item(&line, h->ev.col[j], table_get(&h->ev, r, (int)j));
		}
		sb_adds(out, sb_str(&line));
		sb_reset(&line);
		sb_addc(out, '\n');
		indented(out, "    ", ev_get(h, r, LF_NOTE));
		if (*ev_get(h, r, LF_NEXT)) {
			s = str_printable(ev_get(h, r, LF_NEXT_ACTION), 0);
			sb_printf(out, "    -> next %s%s%s", ev_get(h, r, LF_NEXT),
			    *s ? ": " : "", s);
			free(s);
			if (*ev_get(h, r, LF_ASSIGNEE)) {
				s = str_printable(ev_get(h, r, LF_ASSIGNEE), 0);
				sb_printf(out, " [for %s]", s);
				free(s);
			}
			sb_addc(out, '\n');
		}
	}
	sb_release(&line);
}

static json_t *
jstr(const char *s)
{
	json_t *j = json_string(s);

	return j ? j : json_string("");
}

void
history_json(struct sbuf *out, const struct custdb *db, size_t row,
    const struct history *h, int32_t today)
{
	json_t *o = json_object(), *c = json_object(), *evs = json_array();
	char buf[32], *text;
	size_t i, j;

	for (j = 0; j < db->t.ncol; j++)
		json_object_set_new(c, db->t.col[j], jstr(table_get(&db->t, row, (int)j)));
	json_object_set_new(o, "customer", c);
	if (h->fu.open) {
		json_t *f = json_object();

		date_format_full(buf, &h->fu.due);
		json_object_set_new(f, "due", jstr(buf));
		json_object_set_new(f, "action", jstr(h->fu_action ? h->fu_action : ""));
		json_object_set_new(f, "assignee", jstr(h->fu_assignee ? h->fu_assignee : ""));
		json_object_set_new(f, "days", json_integer((json_int_t)h->fu.due.day - today));
		json_object_set_new(o, "followup", f);
	} else {
		json_object_set_new(o, "followup", json_null());
	}
	json_object_set_new(o, "purchases", json_integer(h->npurchases));
	json_object_set_new(o, "revenue", json_real(money_to_double(h->revenue)));
	if (h->npurchases) {
		date_format(buf, h->first_purchase);
		json_object_set_new(o, "first_purchase", jstr(buf));
		date_format(buf, h->last_purchase);
		json_object_set_new(o, "last_purchase", jstr(buf));
	}
	for (i = 0; i < h->ev.nrow; i++) {
		json_t *e = json_object();
		size_t r = h->order[i];

		for (j = 0; j < h->ev.ncol; j++)
			json_object_set_new(e, h->ev.col[j], jstr(table_get(&h->ev, r, (int)j)));
		json_array_append_new(evs, e);
	}
	json_object_set_new(o, "events", evs);
	text = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(15));
	sb_adds(out, text);
	sb_addc(out, '\n');
	free(text);
	json_decref(o);
}
