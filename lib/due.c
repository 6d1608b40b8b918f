/*
 * due.c - the follow-ups that are due, and the other reminders.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "due.h"
#include "history.h"
#include "writer.h"

const char *const due_kind_names[] = { "followup", "complaint", "cadence",
	"birthday" };

/* A note is shown by its first line, and not all of a long one. */
#define NOTE_SHOWN 160

void
due_opts_init(struct due_opts *o, int32_t today)
{
	memset(o, 0, sizeof(*o));
	o->today = o->until = today;
	o->followups = o->complaints = o->cadence = o->birthdays = 1;
	o->cadence_days[0] = 14;	/* vip */
	o->cadence_days[1] = 30;	/* key */
	o->complaint_hours = 24;
}

static int
tier_index(const char *t)
{
	int i;

	for (i = 0; cust_tiers[i]; i++)
		if (streq(cust_tiers[i], t))
			return i;
	return -1;
}

int
due_set_cadence(struct due_opts *o, const char *spec, struct crm_err *err)
{
	char *copy = xstrdup(spec), *tok, *save = NULL;
	int rc = 0;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '='), *end;
		long days;
		int t;

		if (!eq) {
			rc = crm_error(err, "invalid cadence '%s' (for example key=30,vip=14)",
			    q(tok));
			break;
		}
		*eq = '\0';
		t = tier_index(tok);
		days = strtol(eq + 1, &end, 10);
		if (t < 0 || *end || end == eq + 1 || days < 0 || days > 3650) {
			*eq = '=';
			rc = crm_error(err, "invalid cadence '%s' (a tier, =, a number of "
			    "days)", q(tok));
			break;
		}
		o->cadence_days[t] = (int)days;
	}
	free(copy);
	return rc;
}

/*
 * A string kept per customer.  The log is mostly in date order, so
 * nearly every event replaces what the customer had: the buffer is
 * reused, not freed and allocated again for each event.
 */
struct kept {
	char *s;
	uint32_t cap;
};

static void
keep(struct kept *k, const char *s, size_t n)
{
	if (n + 1 > k->cap) {
		k->cap = (uint32_t)(n + 1 < 16 ? 16 : n + 1);
		k->s = xrealloc(k->s, k->cap);
	}
	memcpy(k->s, s, n);
	k->s[n] = '\0';
}

static const char *
kept(const struct kept *k)
{
	return k->s ? k->s : "";
}

/* Where a customer stands after the events read so far. */
struct cstate {
	struct followup fu;
	struct kept fu_action, fu_assignee;
	int64_t fu_off;		/* the event that set it: its UID */
	/* the last contact */
	int has_contact;
	int32_t contact_day;
	struct kept contact_date, contact_type, contact_note;
	/* complaints: R the last response, C the first complaint after it
	 * still unanswered, L the latest complaint; keys are (day, seq) */
	int has_r, has_c, has_l;
	int32_t r_day, c_day, l_day;
	long r_seq, c_seq, l_seq;
	int32_t c_sec, l_sec;
	int64_t c_off, l_off;
	struct kept c_note, l_note;
};

static int
key_after(int32_t d1, long s1, int32_t d2, long s2)
{
	return d1 > d2 || (d1 == d2 && s1 > s2);
}

/* A note is shown by its first line, cut at a character boundary. */
static size_t
first_line(const char *s)
{
	const char *e = s;
	size_t n;

	while (*e && *e != '\n' && *e != '\r')
		e++;
	n = (size_t)(e - s);
	if (n > NOTE_SHOWN) {
		n = NOTE_SHOWN;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	return n;
}

static void
keep_str(struct kept *k, const char *s)
{
	keep(k, s, strlen(s));
}

static void
keep_note(struct kept *k, const char *s)
{
	keep(k, s, first_line(s));
}

/* The UID of an item: its kind, the customer and the event behind it,
 * by that event's place in the append-only log. */
static char *
event_uid(const char *kind, const char *id, int64_t offset)
{
	return xasprintf("%s-%s-%lld@crm", kind, id, (long long)offset);
}

static void
apply(struct cstate *st, const struct event *ev, long seq)
{
	const char *t = ev->f[LF_TYPE];

	if (followup_apply(&st->fu, ev)) {
		keep_str(&st->fu_action, ev->f[LF_NEXT_ACTION]);
		keep_str(&st->fu_assignee, ev->f[LF_ASSIGNEE]);
		st->fu_off = ev->offset;
	}
	if (!ev->contact)
		return;
	if (!st->has_contact || ev->date.day >= st->contact_day) {
		st->has_contact = 1;
		st->contact_day = ev->date.day;
		keep_str(&st->contact_date, ev->f[LF_DATE]);
		keep_str(&st->contact_type, t);
		keep_note(&st->contact_note, ev->f[LF_NOTE]);
	}
	if (streq(t, "complaint")) {
		if (!st->has_l || key_after(ev->date.day, seq, st->l_day, st->l_seq)) {
			st->has_l = 1;
			st->l_day = ev->date.day;
			st->l_seq = seq;
			st->l_sec = ev->date.sec;
			st->l_off = ev->offset;
			keep_note(&st->l_note, ev->f[LF_NOTE]);
		}
		if ((!st->has_r || key_after(ev->date.day, seq, st->r_day, st->r_seq)) &&
		    (!st->has_c || key_after(st->c_day, st->c_seq, ev->date.day, seq))) {
			st->has_c = 1;
			st->c_day = ev->date.day;
			st->c_seq = seq;
			st->c_sec = ev->date.sec;
			st->c_off = ev->offset;
			keep_note(&st->c_note, ev->f[LF_NOTE]);
		}
		return;
	}
	/* Any other contact answers the complaints made before it. */
	if (!st->has_r || key_after(ev->date.day, seq, st->r_day, st->r_seq)) {
		st->has_r = 1;
		st->r_day = ev->date.day;
		st->r_seq = seq;
	}
	if (st->has_c && !key_after(st->c_day, st->c_seq, st->r_day, st->r_seq)) {
		st->has_c = 0;
		/* The latest complaint may still be open; earlier ones between
		 * are not kept, and the latest stands for them. */
		if (st->has_l && key_after(st->l_day, st->l_seq, st->r_day, st->r_seq)) {
			st->has_c = 1;
			st->c_day = st->l_day;
			st->c_seq = st->l_seq;
			st->c_sec = st->l_sec;
			st->c_off = st->l_off;
			keep_str(&st->c_note, kept(&st->l_note));
		}
	}
}

static void
cstate_release(struct cstate *st)
{
	free(st->fu_action.s);
	free(st->fu_assignee.s);
	free(st->contact_date.s);
	free(st->contact_type.s);
	free(st->contact_note.s);
	free(st->c_note.s);
	free(st->l_note.s);
}

static double
value_of(const struct custdb *db, size_t row)
{
	int c = table_col(&db->t, "clv");
	const char *v;
	double x;
	char *end;

	if (c < 0)
		c = table_col(&db->t, "revenue");
	v = table_get(&db->t, row, c);
	if (!*v)
		return 0;
	x = strtod(v, &end);
	return *end || !isfinite(x) || x < 0 ? 0 : x;
}

static double
urgency(const struct due_item *it, const struct custdb *db, int open_complaint,
    int32_t today)
{
	static const double kind_w[] = { URG_KIND_FOLLOWUP, URG_KIND_COMPLAINT,
		URG_KIND_CADENCE, URG_KIND_BIRTHDAY };
	static const double tier_w[] = { URG_TIER_VIP, URG_TIER_KEY,
		URG_TIER_REGULAR, 0 };
	int t = tier_index(cust_get(db, it->row, CF_TIER));
	double u;

	u = URG_PER_DAY * (double)(today - it->due) + kind_w[it->kind];
	if (t >= 0)
		u += tier_w[t];
	if (open_complaint && it->kind != DUE_COMPLAINT)
		u += URG_OPEN_COMPLAINT;
	u += URG_VALUE * log10(1 + value_of(db, it->row) / 100);
	/* Rounded, so that the order does not hang on the last bit. */
	return round(u * 100) / 100;
}

static struct due_item *
add_item(struct due_list *l, enum due_kind kind, int32_t due, size_t row,
    const char *handler, char *action, char *uid, const struct cstate *st)
{
	struct due_item *it;

	ALLOC_GROW(l->v, l->n + 1, l->cap);
	it = &l->v[l->n++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->due = due;
	it->row = row;
	it->handler = xstrdup(handler);
	it->action = action;
	it->uid = uid;
	it->last_date = xstrdup(st->has_contact ? kept(&st->contact_date) : "");
	it->last_type = xstrdup(st->has_contact ? kept(&st->contact_type) : "");
	it->last_note = xstrdup(st->has_contact ? kept(&st->contact_note) : "");
	return it;
}

/* The next birthday on or after today, or -1 for none. */
static int32_t
next_birthday(const char *b, int32_t today, int *age)
{
	int y = 0, m, d, ty, tm, td;
	int32_t day;

	*age = -1;
	if (strlen(b) == 7 && b[0] == '-' && b[1] == '-') {
		if (sscanf(b + 2, "%2d-%2d", &m, &d) != 2)
			return -1;
	} else if (sscanf(b, "%4d-%2d-%2d", &y, &m, &d) != 3) {
		return -1;
	}
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	civil_from_days(today, &ty, &tm, &td);
	for (;;) {
		/* 29 February is kept on the 28th in other years. */
		int dd = d > days_in_month(ty, m) ? days_in_month(ty, m) : d;

		day = days_from_civil(ty, m, dd);
		if (day >= today)
			break;
		ty++;
	}
	if (y)
		*age = ty - y;
	return day;
}

static int
cmp_items(const void *a, const void *b, void *arg)
{
	const struct due_item *x = a, *y = b;
	const struct custdb *db = arg;
	int c;

	if (x->urgency != y->urgency)
		return x->urgency > y->urgency ? -1 : 1;
	if (x->due != y->due)
		return x->due < y->due ? -1 : 1;
	c = strcmp(cust_get(db, x->row, CF_ID), cust_get(db, y->row, CF_ID));
	return c ? c : (int)x->kind - (int)y->kind;
}

int
due_scan(struct due_list *out, const struct custdb *db, struct logreader *lr,
    const struct due_opts *o, struct crm_err *err)
{
	struct cstate *st = xcalloc(db->t.nrow ? db->t.nrow : 1, sizeof(*st));
	struct event ev;
	long seq = 0;
	size_t i;
	int k = 0;

	memset(out, 0, sizeof(*out));
	while (lr && (k = logr_next(lr, &ev, err)) > 0) {
		long row = cust_by_id(db, ev.f[LF_CUSTOMER]);

		if (row >= 0)
			apply(&st[row], &ev, seq);
		seq++;
	}
	if (k < 0)
		goto fail;
	for (i = 0; i < db->t.nrow; i++) {
		struct cstate *s = &st[i];
		const char *owner = cust_get(db, i, CF_OWNER);
		const char *stage = cust_get(db, i, CF_STAGE);
		const char *handler;
		size_t first = out->n, j;
		int t, age;

		handler = *kept(&s->fu_assignee) ? kept(&s->fu_assignee) : owner;
		if (o->followups && s->fu.open && s->fu.due.day <= o->until &&
		    (!o->owner || streq(o->owner, handler)))
			add_item(out, DUE_FOLLOWUP, s->fu.due.day, i, handler,
			    xstrdup(kept(&s->fu_action)),
			    event_uid("followup", cust_get(db, i, CF_ID), s->fu_off), s);
		if (o->owner && !streq(o->owner, owner))
			goto urgencies;
		if (o->complaints && s->has_c) {
			int64_t at = (int64_t)s->c_day * 86400 + (s->c_sec > 0 ? s->c_sec : 0) +
			    (int64_t)o->complaint_hours * 3600;
			char *note = *kept(&s->c_note) ?
			    xasprintf("answer the complaint: %s", kept(&s->c_note)) :
			    xstrdup("answer the complaint");

			/* Open complaints are always reported: the limit is when
			 * the answer is due, not when to start worrying. */
			add_item(out, DUE_COMPLAINT, (int32_t)(at / 86400), i, owner, note,
			    event_uid("complaint", cust_get(db, i, CF_ID), s->c_off), s);
		}
		t = tier_index(cust_get(db, i, CF_TIER));
		if (o->cadence && t >= 0 && o->cadence_days[t] > 0 && !s->fu.open &&
		    !streq(stage, "lost") && !streq(stage, "inactive")) {
			struct crm_date cd;
			int32_t since, due;

			if (s->has_contact)
				since = s->contact_day;
			else if (date_parse_iso(cust_get(db, i, CF_CREATED), &cd) == 0)
				since = cd.day;
			else
				since = o->today - o->cadence_days[t];
			due = since + o->cadence_days[t];
			if (due <= o->until) {
				char d[11];

				date_format(d, due);
				add_item(out, DUE_CADENCE, due, i, owner,
				    s->has_contact ?
				    xasprintf("no contact for %ld days (%s: every %d days)",
				    (long)(o->today - since), cust_tiers[t], o->cadence_days[t]) :
				    xasprintf("no contact yet (%s: every %d days)", cust_tiers[t],
				    o->cadence_days[t]),
				    xasprintf("cadence-%s-%s@crm", cust_get(db, i, CF_ID), d), s);
			}
		}
		if (o->birthdays) {
			int32_t b = next_birthday(cust_get(db, i, CF_BIRTHDAY), o->today, &age);

			if (b >= 0 && b <= o->until) {
				char d[11];

				date_format(d, b);
				add_item(out, DUE_BIRTHDAY, b, i, owner, age > 0 ?
				    xasprintf("birthday (%d)", age) : xstrdup("birthday"),
				    xasprintf("birthday-%s-%.4s@crm", cust_get(db, i, CF_ID), d), s);
			}
		}
urgencies:
		for (j = first; j < out->n; j++)
			out->v[j].urgency = urgency(&out->v[j], db, s->has_c, o->today);
	}
	for (i = 0; i < db->t.nrow; i++)
		cstate_release(&st[i]);
	free(st);
	if (out->n > 1)
		qsort_r(out->v, out->n, sizeof(*out->v), cmp_items, (void *)db);
	return 0;
fail:
	for (i = 0; i < db->t.nrow; i++)
		cstate_release(&st[i]);
	free(st);
	due_release(out);
	return -1;
}

void
due_release(struct due_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].handler);
		free(l->v[i].action);
		free(l->v[i].uid);
		free(l->v[i].last_date);
		free(l->v[i].last_type);
		free(l->v[i].last_note);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
due_agenda(struct due_agenda *a, const struct due_list *l, int32_t today,
    int32_t until)
{
	struct strmap seen = STRMAP_INIT;
	size_t i, cap = 0;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < l->n; i++) {
		int added;

		strmap_slot(&seen, l->v[i].handler, strlen(l->v[i].handler), &added);
		if (added) {
			ALLOC_GROW(a->handler, a->nh + 1, cap);
			a->handler[a->nh++] = xstrdup(l->v[i].handler);
		}
	}
	strmap_release(&seen, 0);
	qsort(a->handler, a->nh, sizeof(*a->handler), cmp_str);
	a->ndays = (size_t)(until >= today ? until - today : 0) + 2;
	a->counts = xcalloc(a->ndays * (a->nh ? a->nh : 1), sizeof(*a->counts));
	for (i = 0; i < l->n; i++) {
		char **h = bsearch(&l->v[i].handler, a->handler, a->nh,
		    sizeof(*a->handler), cmp_str);
		int32_t d = l->v[i].due;
		size_t di;

		if (d > until)
			continue;
		di = d < today ? 0 : (size_t)(d - today) + 1;
		a->counts[di * a->nh + (size_t)(h - a->handler)]++;
	}
}

void
due_agenda_release(struct due_agenda *a)
{
	size_t i;

	for (i = 0; i < a->nh; i++)
		free(a->handler[i]);
	free(a->handler);
	free(a->counts);
	memset(a, 0, sizeof(*a));
}

void
due_text(struct sbuf *out, const struct due_list *l, size_t *only, size_t nonly,
    const struct custdb *db, int32_t today)
{
	size_t k, n = only ? nonly : l->n;

	for (k = 0; k < n; k++) {
		const struct due_item *it = &l->v[only ? only[k] : k];
		char d[11], *s;

		date_format(d, it->due);
		sb_printf(out, "%zu. %s (", k + 1, d);
		when_text(out, it->due, today);
		s = str_printable(cust_get(db, it->row, CF_NAME), 0);
		sb_printf(out, ")  %s (%s)", s, cust_get(db, it->row, CF_ID));
		free(s);
		if (*cust_get(db, it->row, CF_COMPANY)) {
			s = str_printable(cust_get(db, it->row, CF_COMPANY), 0);
			sb_printf(out, ", %s", s);
			free(s);
		}
		s = str_printable(it->action, 0);
		sb_printf(out, "\n   %s: %s\n", due_kind_names[it->kind],
		    *s ? s : "(no action given)");
		free(s);
		if (*it->last_date) {
			s = str_printable(it->last_note, 0);
			sb_printf(out, "   last contact: %s %s%s%s\n", it->last_date,
			    it->last_type, *s ? ": " : "", s);
			free(s);
		}
		if (*cust_get(db, it->row, CF_PHONE) || *cust_get(db, it->row, CF_EMAIL)) {
			s = str_printable(cust_get(db, it->row, CF_EMAIL), 0);
			sb_printf(out, "   %s%s%s\n", cust_get(db, it->row, CF_PHONE),
			    *cust_get(db, it->row, CF_PHONE) && *s ? "  " : "", s);
			free(s);
		}
		sb_addc(out, '\n');
	}
}

void
due_handover(struct sbuf *out, const struct due_list *l, const struct custdb *db,
    const char *to, int32_t today)
{
	size_t i;
	int f;

	for (f = 0; f < LF_NFIELDS; f++)
		sb_printf(out, "%s%s", f ? "," : "", log_field_names[f]);
	sb_addc(out, '\n');
	for (i = 0; i < l->n; i++) {
		const struct due_item *it = &l->v[i];
		const char *v[LF_NFIELDS] = { NULL };
		char day[11], next[11], *note;

		if (it->kind != DUE_FOLLOWUP)
			continue;
		date_format(day, today);
		date_format(next, it->due > today ? it->due : today);
		note = xasprintf("handed over from %s to %s", it->handler, to);
		v[LF_DATE] = day;
		v[LF_CUSTOMER] = cust_get(db, it->row, CF_ID);
		v[LF_TYPE] = "reschedule";
		v[LF_NEXT] = next;
		v[LF_NEXT_ACTION] = it->action;
		v[LF_ASSIGNEE] = to;
		v[LF_NOTE] = note;
		for (f = 0; f < LF_NFIELDS; f++) {
			if (f)
				sb_addc(out, ',');
			if (v[f])
				csv_field(out, v[f], strlen(v[f]));
		}
		sb_addc(out, '\n');
		free(note);
	}
}
