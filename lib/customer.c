/*
 * customer.c - the customer base.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "customer.h"
#include "date.h"

const char *const cust_field_names[CF_NFIELDS] = {
	"id", "name", "company", "email", "phone", "owner", "tier",
	"industry", "stage", "source", "birthday", "tags", "created"
};

const char *const cust_tiers[] = { "vip", "key", "regular", "small", NULL };
const char *const cust_stages[] = {
	"lead", "prospect", "customer", "inactive", "lost", NULL
};

/* A one-line field longer than this is a mistake, not a name. */
#define FIELD_MAX 1000

int
cust_field_by_name(const char *name)
{
	int i;

	for (i = 0; i < CF_NFIELDS; i++)
		if (streq(cust_field_names[i], name))
			return i;
	return -1;
}

const char *
cust_get(const struct custdb *db, size_t row, enum cust_field f)
{
	return table_get(&db->t, row, db->col[f]);
}

void
custdb_index(struct custdb *db)
{
	size_t i;

	strmap_release(&db->by_id, 0);
	for (i = 0; i < db->t.nrow; i++) {
		const char *id = cust_get(db, i, CF_ID);

		if (*id && !strmap_get(&db->by_id, id))
			strmap_put(&db->by_id, id, (void *)(i + 1));
	}
}

static void
set_columns(struct custdb *db)
{
	int f;

	table_add_cols(&db->t, cust_field_names, CF_NFIELDS);
	for (f = 0; f < CF_NFIELDS; f++)
		db->col[f] = table_col(&db->t, cust_field_names[f]);
}

static int
check_ids(struct custdb *db, struct crm_err *err)
{
	size_t i;

	for (i = 0; i < db->t.nrow; i++) {
		const char *id = cust_get(db, i, CF_ID);
		void **slot;
		int added;

		if (!cust_valid_id(id))
			return crm_error(err, "%s:%ld: invalid id '%s'", db->path,
			    db->t.line[i], q(id));
		/* One probe for both the check and the entry. */
		slot = strmap_slot(&db->by_id, id, strlen(id), &added);
		if (!added)
			return crm_error(err, "%s:%ld: id '%s' is already used on "
			    "line %ld", db->path, db->t.line[i], q(id),
			    db->t.line[(size_t)*slot - 1]);
		*slot = (void *)(i + 1);
	}
	return 0;
}

int
custdb_read(struct custdb *db, const char *path, struct crm_err *err)
{
	struct rd_opts o = { .format = RD_AUTO };
	struct reader *r;
	int rc;

	memset(db, 0, sizeof(*db));
	db->path = xstrdup(path && !streq(path, "-") ? path : "stdin");
	r = rd_open(path, &o, err);
	if (!r)
		return -1;
	rc = table_read(&db->t, r, err);
	rd_close(r);
	if (rc < 0)
		return -1;
	if (table_col(&db->t, "id") < 0)
		return crm_error(err, "%s: no 'id' column", db->path);
	set_columns(db);
	return check_ids(db, err);
}

int
custdb_load(struct custdb *db, struct store *s, struct crm_err *err)
{
	struct rd_opts o = { .format = RD_CSV, .strict_eol = 1 };
	struct reader *r;
	int fd, rc;

	memset(db, 0, sizeof(*db));
	db->path = xstrdup(s->customers);
	if (s->mode == STORE_READ) {
		fd = s->cust_fd >= 0 ? dup(s->cust_fd) : -1;
	} else {
		fd = open(s->customers, O_RDONLY | O_CLOEXEC);
		if (fd < 0 && errno != ENOENT)
			return crm_error(err, "%s: %s", s->customers, strerror(errno));
	}
	if (fd < 0) {
		set_columns(db);
		return 0;
	}
	r = rd_fdopen(fd, s->customers, &o, err);
	if (!r) {
		close(fd);
		return -1;
	}
	rc = table_read(&db->t, r, err);
	rd_close(r);
	close(fd);
	if (rc < 0)
		return -1;
	if (db->t.ncol > 0 && table_col(&db->t, "id") < 0)
		return crm_error(err, "%s:1: no 'id' column in the header", db->path);
	set_columns(db);
	return check_ids(db, err);
}

void
custdb_release(struct custdb *db)
{
	table_release(&db->t);
	strmap_release(&db->by_id, 0);
	strmap_release(&db->by_email, 0);
	strmap_release(&db->by_phone, 0);
	strmap_release(&db->by_namecomp, 0);
	free(db->path);
	db->path = NULL;
}

long
cust_by_id(const struct custdb *db, const char *id)
{
	void *v = strmap_get(&db->by_id, id);

	return v ? (long)((size_t)v - 1) : -1;
}

int
cust_valid_id(const char *s)
{
	size_t n = 0;

	if (!isalnum((unsigned char)*s))
		return 0;
	for (; *s; s++, n++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			return 0;
	return n <= 32;
}

static char *
ascii_lower(const char *s)
{
	char *p = xstrdup(s), *c;

	for (c = p; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return p;
}

static int
phone_like(const char *s)
{
	int digits = 0;

	for (; *s; s++) {
		if (isdigit((unsigned char)*s))
			digits++;
		else if (!strchr("+ -./()", *s))
			return 0;
	}
	return digits >= 3;
}

/* Does the folded query start the folded name, or one of its words? */
static int
name_matches(const char *name, const char *query, size_t n)
{
	const char *p = name;

	for (;;) {
		if (strncmp(p, query, n) == 0)
			return 1;
		while (*p && *p != ' ' && *p != '-')
			p++;
		if (!*p)
			return 0;
		while (*p == ' ' || *p == '-')
			p++;
	}
}

void
cust_complete(const struct custdb *db, const char *word, struct sbuf *out)
{
	char *fw = utf8_fold(word);
	size_t i, n = strlen(word), fn = strlen(fw);

	for (i = 0; i < db->t.nrow; i++) {
		const char *id = cust_get(db, i, CF_ID);
		const char *email = cust_get(db, i, CF_EMAIL);
		char *name = utf8_fold(cust_get(db, i, CF_NAME));

		if (strncmp(id, word, n) == 0)
			sb_printf(out, "%s\n", id);
		if (*email && strncasecmp(email, word, n) == 0)
			sb_printf(out, "%s\n", email);
		if (n && name_matches(name, fw, fn) && !has_control(
		    cust_get(db, i, CF_NAME), 0))
			sb_printf(out, "%s\n", cust_get(db, i, CF_NAME));
		free(name);
	}
	free(fw);
}

long
cust_find(const struct custdb *db, const char *query, struct crm_err *err)
{
	struct sbuf list = SBUF_INIT;
	char *fq, *norm = NULL;
	long found = -1, exact = -1, nfound = 0, nexact = 0;
	size_t i, qn;

	if (!*query)
		return crm_error(err, "no customer given");
	found = cust_by_id(db, query);
	if (found >= 0)
		return found;
	if (strchr(query, '@')) {
		for (i = 0; i < db->t.nrow; i++)
			if (strcasecmp(cust_get(db, i, CF_EMAIL), query) == 0)
				return (long)i;
		return crm_error(err, "no customer with email '%s'", q(query));
	}
	if (phone_like(query) && cust_normalize(CF_PHONE, query, 0, &norm, NULL) == 0) {
		for (i = 0; i < db->t.nrow; i++)
			if (streq(cust_get(db, i, CF_PHONE), norm)) {
				free(norm);
				return (long)i;
			}
	}
	free(norm);
	fq = utf8_fold(query);
	qn = strlen(fq);
	for (i = 0; i < db->t.nrow; i++) {
		char *fn = utf8_fold(cust_get(db, i, CF_NAME));

		if (name_matches(fn, fq, qn)) {
			if (nfound < 10)
				sb_printf(&list, "%s%s (%s)", nfound ? ", " : "",
				    cust_get(db, i, CF_ID), cust_get(db, i, CF_NAME));
			nfound++;
			found = (long)i;
			if (fn[qn] == '\0') {
				nexact++;
				exact = (long)i;
			}
		}
		free(fn);
	}
	free(fq);
	if (nfound == 1 || nexact == 1) {
		sb_release(&list);
		return nfound == 1 ? found : exact;
	}
	if (nfound == 0)
		crm_error(err, "no customer '%s'", q(query));
	else
		crm_error(err, "'%s' fits %ld customers: %s%s; give the id",
		    q(query), nfound, sb_str(&list), nfound > 10 ? ", ..." : "");
	sb_release(&list);
	return -1;
}

static int
in_set(const char *v, const char *const *set)
{
	for (; *set; set++)
		if (streq(v, *set))
			return 1;
	return 0;
}

static void
join_set(struct sbuf *sb, const char *const *set)
{
	for (; *set; set++)
		sb_printf(sb, "%s%s", sb->len ? ", " : "", *set);
}

static int
valid_email(const char *s)
{
	const char *at = strrchr(s, '@'), *p, *dot;
	size_t n = strlen(s);

	if (!at || at == s || n > 254 || at - s > 64)
		return 0;
	/* The local part: dot-atom (RFC 5322), UTF-8 allowed (RFC 6531). */
	for (p = s; p < at; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '.') {
			if (p == s || p + 1 == at || p[1] == '.')
				return 0;
		} else if (!(isalnum(c) || c >= 0x80 ||
		    strchr("!#$%&'*+/=?^_`{|}~-", c))) {
			return 0;
		}
	}
	/* The domain: labels of letters, digits and hyphens, one dot at least. */
	p = at + 1;
	dot = strchr(p, '.');
	if (!dot)
		return 0;
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '.') {
			if (p == at + 1 || p[1] == '\0' || p[1] == '.')
				return 0;
		} else if (c == '-') {
			if (p[-1] == '.' || p == at + 1 || p[1] == '.' || p[1] == '\0')
				return 0;
		} else if (!(isalnum(c) || c >= 0x80)) {
			return 0;
		}
	}
	return 1;
}

static int
normalize_phone(const char *s, char **out)
{
	struct sbuf sb = SBUF_INIT;
	int digits = 0;
	const char *p;

	for (p = s; *p; p++) {
		if (isdigit((unsigned char)*p)) {
			sb_addc(&sb, *p);
			digits++;
		} else if (*p == '+' && sb.len == 0 && digits == 0) {
			sb_addc(&sb, '+');
		} else if (!strchr(" -./()", *p)) {
			sb_release(&sb);
			return -1;
		}
	}
	if (digits < 3 || digits > 15) {
		sb_release(&sb);
		return -1;
	}
	*out = sb_detach(&sb);
	return 0;
}

static int
normalize_tags(const char *s, char **out, struct crm_err *err)
{
	struct sbuf sb = SBUF_INIT;
	char *copy = xstrdup(s), *tok, *save = NULL;

	for (tok = strtok_r(copy, ";,", &save); tok; tok = strtok_r(NULL, ";,", &save)) {
		char *t = str_trim(tok);
		const char *p = sb_str(&sb);
		size_t n = strlen(t);
		int dup = 0;

		/* Skip a tag that is already in the list. */
		while (*p && !dup) {
			const char *e = strchr(p, ';');
			size_t len = e ? (size_t)(e - p) : strlen(p);

			dup = len == n && strncmp(p, t, n) == 0;
			p = e ? e + 1 : p + len;
		}
		if (n && !dup) {
			if (sb.len)
				sb_addc(&sb, ';');
			sb_adds(&sb, t);
		}
		free(t);
	}
	free(copy);
	(void)err;
	*out = sb_detach(&sb);
	return 0;
}

int
cust_normalize(enum cust_field f, const char *value, int32_t today, char **out,
    struct crm_err *err)
{
	const char *name = cust_field_names[f];
	struct crm_date d;
	char *v, *low;

	*out = NULL;
	if (strlen(value) > FIELD_MAX)
		return crm_error(err, "%s too long (%zu bytes, at most %d)", name,
		    strlen(value), FIELD_MAX);
	if (has_control(value, 0))
		return crm_error(err, "%s may not contain control characters or "
		    "line breaks: '%s'", name, q(value));
	v = str_trim(value);
	switch (f) {
	case CF_ID:
		if (*v && !cust_valid_id(v)) {
			crm_error(err, "invalid id '%s' (letters, digits, '.', '_' "
			    "and '-', at most 32)", q(v));
			goto fail;
		}
		break;
	case CF_NAME:
		if (!*v) {
			crm_error(err, "a customer needs a name");
			goto fail;
		}
		break;
	case CF_EMAIL:
		if (*v && !valid_email(v)) {
			crm_error(err, "invalid email '%s'", q(v));
			goto fail;
		}
		break;
	case CF_PHONE:
		if (*v) {
			char *p;

			if (normalize_phone(v, &p) < 0) {
				crm_error(err, "invalid phone '%s' (digits, spaces, "
				    "- . / ( ) and a leading +; 3 to 15 digits)", q(v));
				goto fail;
			}
			free(v);
			v = p;
		}
		break;
	case CF_TIER:
	case CF_STAGE:
		low = ascii_lower(v);
		free(v);
		v = low;
		if (*v && !in_set(v, f == CF_TIER ? cust_tiers : cust_stages)) {
			struct sbuf sb = SBUF_INIT;

			join_set(&sb, f == CF_TIER ? cust_tiers : cust_stages);
			crm_error(err, "invalid %s '%s' (one of: %s)", name, q(v),
			    sb_str(&sb));
			sb_release(&sb);
			goto fail;
		}
		break;
	case CF_BIRTHDAY:
		if (!*v)
			break;
		if (v[0] == '-' && v[1] == '-' && strlen(v) == 7) {
			/* --MM-DD: a birthday without the year (as vCard has it). */
			char *full = xasprintf("2000%s", v + 1);

			if (date_parse_iso(full, &d) < 0) {
				free(full);
				crm_error(err, "invalid birthday '%s'", q(v));
				goto fail;
			}
			free(full);
			break;
		}
		if (date_parse_iso(v, &d) < 0 || d.sec >= 0) {
			crm_error(err, "invalid birthday '%s' (YYYY-MM-DD, or --MM-DD "
			    "without the year)", q(v));
			goto fail;
		}
		if (today && d.day > today) {
			crm_error(err, "birthday '%s' is in the future", q(v));
			goto fail;
		}
		break;
	case CF_CREATED:
		if (*v && (date_parse_iso(v, &d) < 0 || d.sec >= 0)) {
			crm_error(err, "invalid date '%s' in created", q(v));
			goto fail;
		}
		break;
	case CF_TAGS:
		{
			char *t;

			normalize_tags(v, &t, err);
			free(v);
			v = t;
		}
		break;
	default:
		break;
	}
	*out = v;
	return 0;
fail:
	free(v);
	return -1;
}

/* The keys under which duplicates are found. */
static char *
namecomp_key(const char *name, const char *company)
{
	char *fn = utf8_fold(name), *fc = utf8_fold(company ? company : "");
	char *k = xasprintf("%s\x1f%s", fn, fc);

	free(fn);
	free(fc);
	return k;
}

static void
dup_index_row(struct custdb *db, size_t i)
{
	const char *e = cust_get(db, i, CF_EMAIL), *p = cust_get(db, i, CF_PHONE);
	void **slot;
	char *k;

	if (*e) {
		k = ascii_lower(e);
		slot = strmap_slot(&db->by_email, k, strlen(k), NULL);
		if (!*slot)
			*slot = (void *)(i + 1);
		free(k);
	}
	if (*p) {
		slot = strmap_slot(&db->by_phone, p, strlen(p), NULL);
		if (!*slot)
			*slot = (void *)(i + 1);
	}
	k = namecomp_key(cust_get(db, i, CF_NAME), cust_get(db, i, CF_COMPANY));
	slot = strmap_slot(&db->by_namecomp, k, strlen(k), NULL);
	if (!*slot)
		*slot = (void *)(i + 1);
	free(k);
}

static void
dup_index(struct custdb *db)
{
	size_t i;

	if (db->dup_rows == db->t.nrow && db->dup_ready)
		return;
	if (!db->dup_ready) {
		strmap_release(&db->by_email, 0);
		strmap_release(&db->by_phone, 0);
		strmap_release(&db->by_namecomp, 0);
		db->dup_rows = 0;
	}
	/* Rows only ever get added between rebuilds: index the new ones. */
	for (i = db->dup_rows; i < db->t.nrow; i++)
		dup_index_row(db, i);
	db->dup_rows = db->t.nrow;
	db->dup_ready = 1;
}

static long
lookup(const struct strmap *m, const char *key)
{
	void *v = strmap_get(m, key);

	return v ? (long)((size_t)v - 1) : -1;
}

long
cust_dup_of(struct custdb *db, const char *const *fields, long skip,
    const char **why)
{
	const char *email = fields[CF_EMAIL], *phone = fields[CF_PHONE];
	const char *name = fields[CF_NAME];
	long r;
	char *k;

	dup_index(db);
	if (email && *email) {
		k = ascii_lower(email);
		r = lookup(&db->by_email, k);
		free(k);
		if (r >= 0 && r != skip) {
			*why = "email";
			return r;
		}
	}
	if (phone && *phone) {
		r = lookup(&db->by_phone, phone);
		if (r >= 0 && r != skip) {
			*why = "phone";
			return r;
		}
	}
	if (!name || !*name)
		return -1;
	k = namecomp_key(name, fields[CF_COMPANY]);
	r = lookup(&db->by_namecomp, k);
	free(k);
	if (r >= 0 && r != skip) {
		const char *e = cust_get(db, (size_t)r, CF_EMAIL);
		const char *p = cust_get(db, (size_t)r, CF_PHONE);

		/* Two people may share a name: an e-mail or phone tells them apart. */
		if ((email && *email && *e) || (phone && *phone && *p))
			return -1;
		*why = "name and company";
		return r;
	}
	return -1;
}

void
custdb_add(struct custdb *db, const char *const *fields)
{
	table_add_row(&db->t, fields, 0);
	strmap_put(&db->by_id, fields[db->col[CF_ID]], (void *)db->t.nrow);
}

void
custdb_set(struct custdb *db, size_t row, enum cust_field f, const char *v)
{
	table_set(&db->t, row, (size_t)db->col[f], v);
	if (f == CF_ID)
		custdb_index(db);
	db->dup_ready = 0;
}

char *
cust_next_id(const struct custdb *db)
{
	unsigned long max = 0;
	size_t i;

	for (i = 0; i < db->t.nrow; i++) {
		const char *id = cust_get(db, i, CF_ID);
		char *end;
		unsigned long n;

		if (id[0] != 'c' || !isdigit((unsigned char)id[1]))
			continue;
		n = strtoul(id + 1, &end, 10);
		if (*end == '\0' && n > max)
			max = n;
	}
	return xasprintf("c%lu", max + 1);
}
