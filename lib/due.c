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
#include "idmap.h"
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

/*
 * What the items need of an event (its place in the log, its date, type
 * and note, the next action and its assignee) is copied once, as a
 * record, to the end of an arena; a customer's state refers to the
 * records of the events that decide it.  Appending is sequential, where
 * keeping strings per customer wrote to five places at random for each
 * event.  When the arena has grown to twice what was alive at the last
 * clean-up, the records still referred to slide down over the others,
 * in place (arena_clean()), so that the memory is filled again rather
 * than new memory faulted in.
 *
 * A record: a header, then the id and the strings of enum rfield, each
 * with its NUL, padded to 8 bytes.  A reference is the record's place
 * in the arena in units of 8 bytes, 0 for none.
 */
enum rfield { R_DATE, R_TYPE, R_NOTE, R_ACTION, R_ASSIGNEE, R_NFIELDS };

struct rhead {
	uint32_t size;		/* the whole record, in bytes */
	uint32_t idlen;
	uint32_t fwd;		/* in a clean-up: its new place, 0 if dead */
	uint32_t pad;
	int64_t offset;		/* the event's place in the log: its UID */
};

struct arena {
	char *buf;
	size_t len, cap;
	size_t clean_at;	/* clean up when len passes this */
};
#define ARENA_MIN ((size_t)16 << 20)

static uint32_t
arena_add(struct arena *a, const struct event *ev, const char *id, size_t idlen)
{
	const char *v[R_NFIELDS];
	size_t n[R_NFIELDS], size = sizeof(struct rhead) + idlen + 1, i;
	struct rhead *h;
	char *p;

	v[R_DATE] = ev->f[LF_DATE];
	v[R_TYPE] = ev->f[LF_TYPE];
	v[R_NOTE] = ev->f[LF_NOTE];
	v[R_ACTION] = ev->f[LF_NEXT_ACTION];
	v[R_ASSIGNEE] = ev->f[LF_ASSIGNEE];
	for (i = 0; i < R_NFIELDS; i++) {
		/* A note is shown by its first line (first_line()). */
		n[i] = i == R_NOTE ? first_line(v[i]) : strlen(v[i]);
		size += n[i] + 1;
	}
	size = (size + 7) & ~(size_t)7;
	if (a->len == 0)
		a->len = 8;	/* so that no record is at 0, which means none */
	/* A reference is a 32-bit number of 8-byte units: 0, none, when
	 * that is not enough. */
	if (a->len + size > (size_t)UINT32_MAX * 8)
		return 0;
	if (a->len + size > a->cap) {
		size_t cap = a->cap ? a->cap * 2 : ARENA_MIN * 2;
		char *nb;

		while (a->len + size > cap)
			cap *= 2;
		nb = big_alloc(cap);
		if (a->buf)
			memcpy(nb, a->buf, a->len);
		free(a->buf);
		a->buf = nb;
		a->cap = cap;
	}
	h = (struct rhead *)(void *)(a->buf + a->len);
	h->size = (uint32_t)size;
	h->idlen = (uint32_t)idlen;
	h->fwd = 0;
	h->offset = ev->offset;
	p = (char *)(h + 1);
	memcpy(p, id, idlen);
	p[idlen] = '\0';
	p += idlen + 1;
	for (i = 0; i < R_NFIELDS; i++) {
		memcpy(p, v[i], n[i]);
		p[n[i]] = '\0';
		p += n[i] + 1;
	}
	a->len += size;
	return (uint32_t)((a->len - size) / 8);
}

static const struct rhead *
arena_rec(const struct arena *a, uint32_t ref)
{
	return (const struct rhead *)(const void *)(a->buf + (size_t)ref * 8);
}

static const char *
rec_id(const struct arena *a, uint32_t ref)
{
	return (const char *)(arena_rec(a, ref) + 1);
}

/* A string of the record, "" for no record. */
static const char *
rec_str(const struct arena *a, uint32_t ref, enum rfield f)
{
	const struct rhead *h;
	const char *p;
	int i;

	if (!ref)
		return "";
	h = arena_rec(a, ref);
	p = (const char *)(h + 1) + h->idlen + 1;
	for (i = 0; i < (int)f; i++)
		p += strlen(p) + 1;
	return p;
}

enum { REC_FU, REC_CONTACT, REC_C, REC_L, NREC };

/* Where a customer stands after the events read so far. */
struct cstate {
	struct followup fu;
	/* the records of: the follow-up, the last contact, the first
	 * complaint still unanswered (C), the latest complaint (L) */
	uint32_t rec[NREC];
	int32_t contact_day;
	/* complaints: R the last response, C and L as above; keys are
	 * (day, seq) */
	unsigned char has_contact, has_r, has_c, has_l;
	int32_t r_day, c_day, l_day;
	int32_t c_sec, l_sec;
	long r_seq, c_seq, l_seq;
};

static int
key_after(int32_t d1, long s1, int32_t d2, long s2)
{
	return d1 > d2 || (d1 == d2 && s1 > s2);
}

/* The UID of an item: its kind, the customer and the event behind it,
 * by that event's place in the append-only log. */
static char *
event_uid(const char *kind, const char *id, int64_t offset)
{
	return xasprintf("%s-%s-%lld@crm", kind, id, (long long)offset);
}

/*
 * An event waiting in a batch, its customer to be looked up (see
 * scan_flush()).  ev keeps the event's figures; its strings are in the
 * record, and ev.f is not used.
 */
struct pend {
	struct event ev;
	long seq;
	uint64_t word;
	uint32_t hash, idlen;
	uint32_t rec;
	int complaint;
	struct cstate *st;
};
#define SCAN_BATCH 256
#define SCAN_AHEAD 16

static void
apply(struct cstate *st, const struct pend *pe)
{
	const struct event *ev = &pe->ev;
	long seq = pe->seq;

	if (followup_apply(&st->fu, ev))
		st->rec[REC_FU] = pe->rec;
	if (!ev->contact)
		return;
	if (!st->has_contact || ev->date.day >= st->contact_day) {
		st->has_contact = 1;
		st->contact_day = ev->date.day;
		st->rec[REC_CONTACT] = pe->rec;
	}
	if (pe->complaint) {
		if (!st->has_l || key_after(ev->date.day, seq, st->l_day, st->l_seq)) {
			st->has_l = 1;
			st->l_day = ev->date.day;
			st->l_seq = seq;
			st->l_sec = ev->date.sec;
			st->rec[REC_L] = pe->rec;
		}
		if ((!st->has_r || key_after(ev->date.day, seq, st->r_day, st->r_seq)) &&
		    (!st->has_c || key_after(st->c_day, st->c_seq, ev->date.day, seq))) {
			st->has_c = 1;
			st->c_day = ev->date.day;
			st->c_seq = seq;
			st->c_sec = ev->date.sec;
			st->rec[REC_C] = pe->rec;
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
			st->rec[REC_C] = st->rec[REC_L];
		}
	}
}

struct scan {
	const struct custdb *db;
	struct idmap map;	/* customer id -> row */
	char **ids;		/* the rows' ids, borrowed */
	struct cstate *st;
	struct arena a;
	struct pend pend[SCAN_BATCH];
	size_t npend;
	int full;		/* the arena could take no more */
};

static struct rhead *
rec_at(struct arena *a, size_t pos)
{
	return (struct rhead *)(void *)(a->buf + pos);
}

/*
 * Drop the records no state refers to, in place (a sliding compaction):
 * mark the live ones, give each its new place, point the states there,
 * then move each down.  Only between batches: no event is waiting.
 */
static void
arena_clean(struct scan *sc)
{
	struct arena *a = &sc->a;
	size_t i, pos, to, size, end;
	int j;

	for (i = 0; i < sc->db->t.nrow; i++) {
		uint32_t *r = sc->st[i].rec;

		for (j = 0; j < NREC; j++)
			if (r[j])
				rec_at(a, (size_t)r[j] * 8)->fwd = 1;
	}
	for (pos = to = 8; pos < a->len; pos += rec_at(a, pos)->size) {
		struct rhead *h = rec_at(a, pos);

		if (h->fwd) {
			h->fwd = (uint32_t)(to / 8);
			to += h->size;
		}
	}
	end = to;
	for (i = 0; i < sc->db->t.nrow; i++) {
		uint32_t *r = sc->st[i].rec;

		for (j = 0; j < NREC; j++)
			if (r[j])
				r[j] = rec_at(a, (size_t)r[j] * 8)->fwd;
	}
	for (pos = 8; pos < a->len; pos += size) {
		struct rhead *h = rec_at(a, pos);

		size = h->size;
		if (h->fwd) {
			to = (size_t)h->fwd * 8;
			h->fwd = 0;
			memmove(a->buf + to, h, size);
		}
	}
	a->len = end;
	a->clean_at = a->len * 2 > ARENA_MIN ? a->len * 2 : ARENA_MIN;
}

/*
 * The batch, as a pipeline like the summary's (summary_flush()): the
 * slot of each event's customer was asked for when the event came; here
 * the slot is read and the customer's state asked for, and the state
 * is changed SCAN_AHEAD events later, in the order of the log.
 */
static void
scan_flush(struct scan *sc)
{
	size_t k, n = sc->npend;

	for (k = 0; k < n + SCAN_AHEAD; k++) {
		if (k < n) {
			struct pend *pe = &sc->pend[k];
			long row = idmap_find(&sc->map, sc->ids, rec_id(&sc->a, pe->rec),
			    pe->idlen, pe->word, pe->hash);

			pe->st = row >= 0 ? &sc->st[row] : NULL;
			if (pe->st) {
				prefetch_w(pe->st);
				prefetch_w((const char *)pe->st + sizeof(*pe->st) - 1);
			}
		}
		if (k >= SCAN_AHEAD && sc->pend[k - SCAN_AHEAD].st)
			apply(sc->pend[k - SCAN_AHEAD].st, &sc->pend[k - SCAN_AHEAD]);
	}
	sc->npend = 0;
	if (sc->a.len > sc->a.clean_at)
		arena_clean(sc);
}

static void
scan_add(struct scan *sc, const struct event *ev, long seq)
{
	const char *id = ev->f[LF_CUSTOMER];
	size_t len = strlen(id);
	struct pend *pe;

	/* Neither a contact nor a next date: it changes nothing here. */
	if (!ev->contact && !ev->has_next)
		return;
	if (sc->npend == SCAN_BATCH)
		scan_flush(sc);
	pe = &sc->pend[sc->npend++];
	pe->ev = *ev;
	pe->ev.f = NULL;
	pe->ev.len = NULL;
	pe->ev.rec = NULL;
	pe->seq = seq;
	pe->complaint = ev->contact && streq(ev->f[LF_TYPE], "complaint");
	pe->idlen = (uint32_t)len;
	pe->word = idmap_word(id, len);
	pe->hash = idmap_hash(id, len, pe->word);
	pe->rec = arena_add(&sc->a, ev, id, len);
	if (!pe->rec) {
		sc->full = 1;
		sc->npend--;
		return;
	}
	idmap_prefetch(&sc->map, pe->hash);
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
    const char *handler, char *action, char *uid, const struct cstate *st,
    const struct arena *a)
{
	uint32_t c = st->has_contact ? st->rec[REC_CONTACT] : 0;
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
	it->last_date = xstrdup(rec_str(a, c, R_DATE));
	it->last_type = xstrdup(rec_str(a, c, R_TYPE));
	it->last_note = xstrdup(rec_str(a, c, R_NOTE));
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
	struct scan *sc = xcalloc(1, sizeof(*sc));
	const struct arena *a = &sc->a;
	struct cstate *st;
	struct event ev;
	long seq = 0;
	size_t i;
	int k = 0;

	memset(out, 0, sizeof(*out));
	sc->db = db;
	sc->st = st = big_calloc(db->t.nrow ? db->t.nrow : 1, sizeof(*st));
	sc->ids = xreallocarray(NULL, db->t.nrow ? db->t.nrow : 1, sizeof(*sc->ids));
	sc->a.clean_at = ARENA_MIN;
	for (i = 0; i < db->t.nrow; i++) {
		sc->ids[i] = (char *)cust_get(db, i, CF_ID);
		/* Unique: custdb_load() checked them. */
		idmap_add(&sc->map, sc->ids, sc->ids[i], strlen(sc->ids[i]), i);
	}
	while (lr && (k = logr_next(lr, &ev, err)) > 0 && !sc->full)
		scan_add(sc, &ev, seq++);
	if (k >= 0 && sc->full)
		k = crm_error(err, "%s: the notes and actions to keep take more than "
		    "32 GB", rd_name(lr->rd));
	if (k < 0)
		goto done;
	scan_flush(sc);
	for (i = 0; i < db->t.nrow; i++) {
		struct cstate *s = &st[i];
		const char *owner = cust_get(db, i, CF_OWNER);
		const char *stage = cust_get(db, i, CF_STAGE);
		const char *handler;
		size_t first = out->n, j;
		int t, age;

		handler = rec_str(a, s->rec[REC_FU], R_ASSIGNEE);
		if (!*handler)
			handler = owner;
		if (o->followups && s->fu.open && s->fu.due.day <= o->until &&
		    (!o->owner || streq(o->owner, handler)))
			add_item(out, DUE_FOLLOWUP, s->fu.due.day, i, handler,
			    xstrdup(rec_str(a, s->rec[REC_FU], R_ACTION)),
			    event_uid("followup", cust_get(db, i, CF_ID),
			    arena_rec(a, s->rec[REC_FU])->offset), s, a);
		if (o->owner && !streq(o->owner, owner))
			goto urgencies;
		if (o->complaints && s->has_c) {
			int64_t at = (int64_t)s->c_day * 86400 + (s->c_sec > 0 ? s->c_sec : 0) +
			    (int64_t)o->complaint_hours * 3600;
			const char *cn = rec_str(a, s->rec[REC_C], R_NOTE);
			char *note = *cn ? xasprintf("answer the complaint: %s", cn) :
			    xstrdup("answer the complaint");

			/* Open complaints are always reported: the limit is when
			 * the answer is due, not when to start worrying. */
			add_item(out, DUE_COMPLAINT, (int32_t)(at / 86400), i, owner, note,
			    event_uid("complaint", cust_get(db, i, CF_ID),
			    arena_rec(a, s->rec[REC_C])->offset), s, a);
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
				    xasprintf("cadence-%s-%s@crm", cust_get(db, i, CF_ID), d), s,
				    a);
			}
		}
		if (o->birthdays) {
			int32_t b = next_birthday(cust_get(db, i, CF_BIRTHDAY), o->today, &age);

			if (b >= 0 && b <= o->until) {
				char d[11];

				date_format(d, b);
				add_item(out, DUE_BIRTHDAY, b, i, owner, age > 0 ?
				    xasprintf("birthday (%d)", age) : xstrdup("birthday"),
				    xasprintf("birthday-%s-%.4s@crm", cust_get(db, i, CF_ID), d),
				    s, a);
			}
		}
urgencies:
		for (j = first; j < out->n; j++)
			out->v[j].urgency = urgency(&out->v[j], db, s->has_c, o->today);
	}
	if (out->n > 1)
		qsort_r(out->v, out->n, sizeof(*out->v), cmp_items, (void *)db);
done:
	if (k < 0)
		due_release(out);
	idmap_release(&sc->map);
	free(sc->ids);
	free(sc->a.buf);
	free(st);
	free(sc);
	return k < 0 ? -1 : 0;
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
