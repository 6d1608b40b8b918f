/*
 * base.c - adding, importing, updating and reassigning customers.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base.h"
#include "date.h"
#include "vcard.h"

const char *
crm_user(void)
{
	const char *u = getenv("CRM_USER");
	struct passwd *pw;

	if (u && *u)
		return u;
	pw = getpwuid(geteuid());
	if (pw && pw->pw_name && *pw->pw_name)
		return pw->pw_name;
	u = getenv("USER");
	return u && *u ? u : "unknown";
}

static void
free_fields(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
}

/* Tags: start from cur, add and remove what in asks for. */
static char *
merge_tags(const char *cur, const struct cust_input *in, int32_t today)
{
	struct sbuf sb = SBUF_INIT;
	char *joined, *out, *tok, *save = NULL;
	size_t i;

	sb_adds(&sb, cur);
	for (i = 0; i < in->nadd; i++)
		sb_printf(&sb, ";%s", in->tag_add[i]);
	cust_normalize(CF_TAGS, sb_str(&sb), today, &joined, NULL);
	sb_release(&sb);
	if (!in->nremove)
		return joined;
	for (tok = strtok_r(joined, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
		int drop = 0;

		for (i = 0; i < in->nremove; i++)
			drop |= streq(tok, in->tag_remove[i]);
		if (!drop)
			sb_printf(&sb, "%s%s", sb.len ? ";" : "", tok);
	}
	free(joined);
	out = sb_detach(&sb);
	return out;
}

/* A value of a column of the user's own may be this long (1 MiB). */
#define USER_FIELD_MAX (1 << 20)

static int
check_value(const char *what, const char *v, struct crm_err *err)
{
	if (!utf8_valid(v, strlen(v)))
		return crm_error(err, "invalid UTF-8 in %s", what);
	return 0;
}

/*
 * The extra columns of in: their values checked and the columns added
 * to the table.  Standard names given with --set are standard fields.
 */
static int
extra_columns(struct custdb *db, const struct cust_input *in,
    const char **std, struct crm_err *err)
{
	const char **add = NULL;
	size_t i, nadd = 0;

	for (i = 0; i < in->nset; i++) {
		int f = cust_field_by_name(in->set_col[i]);

		if (check_value(in->set_col[i], in->set_val[i], err) < 0)
			goto fail;
		if (f >= 0) {
			std[f] = in->set_val[i];
			continue;
		}
		if (!*in->set_col[i] || has_control(in->set_col[i], 0)) {
			crm_error(err, "invalid column name '%s'", q(in->set_col[i]));
			goto fail;
		}
		/* The user's own columns hold any text, but not a book. */
		if (strlen(in->set_val[i]) > USER_FIELD_MAX) {
			crm_error(err, "%s too long (%zu bytes, at most %d)",
			    q(in->set_col[i]), strlen(in->set_val[i]), USER_FIELD_MAX);
			goto fail;
		}
		if (table_col(&db->t, in->set_col[i]) < 0) {
			add = xreallocarray(add, nadd + 1, sizeof(*add));
			add[nadd++] = in->set_col[i];
		}
	}
	/* All new columns at once: each would rebuild every row. */
	table_add_cols(&db->t, add, nadd);
	free(add);
	return 0;
fail:
	free(add);
	return -1;
}

static int
add_row(struct custdb *db, const struct cust_input *in, int32_t today,
    const char *user, long line, size_t first_new, size_t *row,
    struct crm_err *err)
{
	char *norm[CF_NFIELDS] = { NULL }, datebuf[11];
	const char *given[CF_NFIELDS], **fields = NULL, *why;
	long dup;
	size_t i;
	int f, rc = -1;

	for (f = 0; f < CF_NFIELDS; f++)
		given[f] = in->v[f];
	if (extra_columns(db, in, given, err) < 0)
		return -1;
	for (f = 0; f < CF_NFIELDS; f++) {
		const char *v = given[f] ? given[f] : "";

		if (check_value(cust_field_names[f], v, err) < 0 ||
		    cust_normalize((enum cust_field)f, v, today, &norm[f], err) < 0)
			goto out;
	}
	if (in->nadd || in->nremove) {
		char *t = merge_tags(norm[CF_TAGS], in, today);

		free(norm[CF_TAGS]);
		norm[CF_TAGS] = t;
	}
	if (!*norm[CF_ID]) {
		free(norm[CF_ID]);
		norm[CF_ID] = cust_next_id(db);
	} else if ((dup = cust_by_id(db, norm[CF_ID])) >= 0) {
		if ((size_t)dup >= first_new && db->t.line[dup])
			crm_error(err, "id '%s' is already used on line %ld",
			    norm[CF_ID], db->t.line[dup]);
		else
			crm_error(err, "id '%s' is already used by '%s'", norm[CF_ID],
			    cust_get(db, (size_t)dup, CF_NAME));
		goto out;
	}
	if (!*norm[CF_OWNER]) {
		free(norm[CF_OWNER]);
		norm[CF_OWNER] = xstrdup(user);
	}
	if (!*norm[CF_CREATED]) {
		date_format(datebuf, today);
		free(norm[CF_CREATED]);
		norm[CF_CREATED] = xstrdup(datebuf);
	}
	dup = cust_dup_of(db, (const char *const *)norm, -1, &why);
	if (dup >= 0) {
		if ((size_t)dup >= first_new && db->t.line[dup])
			crm_error(err, "duplicate of line %ld (same %s)",
			    db->t.line[dup], why);
		else
			crm_error(err, "duplicate of %s '%s' (same %s)",
			    cust_get(db, (size_t)dup, CF_ID),
			    cust_get(db, (size_t)dup, CF_NAME), why);
		goto out;
	}
	fields = xcalloc(db->t.ncol, sizeof(*fields));
	for (f = 0; f < CF_NFIELDS; f++)
		fields[db->col[f]] = norm[f];
	for (i = 0; i < in->nset; i++)
		if (cust_field_by_name(in->set_col[i]) < 0)
			fields[table_col(&db->t, in->set_col[i])] = in->set_val[i];
	custdb_add(db, fields);
	db->t.line[db->t.nrow - 1] = line;
	*row = db->t.nrow - 1;
	rc = 0;
out:
	free(fields);
	free_fields(norm, CF_NFIELDS);
	return rc;
}

int
base_add(struct custdb *db, const struct cust_input *in, int32_t today,
    const char *user, size_t *row, struct crm_err *err)
{
	return add_row(db, in, today, user, 0, db->t.nrow, row, err);
}

int
base_import(struct custdb *db, const struct table *t, const char *name,
    int32_t today, const char *user, size_t *count, struct crm_err *err)
{
	size_t first = db->t.nrow, row, i, r;
	struct cust_input in;
	struct crm_err e;
	int *field;

	*count = 0;
	if (t->ncol == 0)
		return 0;
	if (table_col(t, "name") < 0)
		return crm_error(err, "%s:1: no 'name' column", name);
	memset(&in, 0, sizeof(in));
	field = xcalloc(t->ncol, sizeof(*field));
	in.set_col = xcalloc(t->ncol, sizeof(char *));
	in.set_val = xcalloc(t->ncol, sizeof(char *));
	for (i = 0; i < t->ncol; i++)
		field[i] = cust_field_by_name(t->col[i]);
	for (r = 0; r < t->nrow; r++) {
		memset(in.v, 0, sizeof(in.v));
		in.nset = 0;
		for (i = 0; i < t->ncol; i++) {
			if (field[i] >= 0) {
				in.v[field[i]] = table_get(t, r, (int)i);
			} else {
				in.set_col[in.nset] = t->col[i];
				in.set_val[in.nset++] = table_get(t, r, (int)i);
			}
		}
		if (add_row(db, &in, today, user, t->line[r], first, &row, &e) < 0) {
			crm_error(err, "%s:%ld: %s", name, t->line[r], e.msg);
			break;
		}
		(*count)++;
	}
	free(field);
	free(in.set_col);
	free(in.set_val);
	return r < t->nrow ? -1 : 0;
}

int
base_update(struct custdb *db, size_t row, const struct cust_input *in,
    int32_t today, char **old_owner, struct crm_err *err)
{
	char *norm[CF_NFIELDS] = { NULL }, *changed[CF_NFIELDS], *tags = NULL;
	const char *given[CF_NFIELDS], *merged[CF_NFIELDS], *why;
	long dup;
	size_t i;
	int f, rc = -1;

	*old_owner = NULL;
	for (f = 0; f < CF_NFIELDS; f++)
		given[f] = in->v[f];
	if (extra_columns(db, in, given, err) < 0)
		return -1;
	if (given[CF_ID] && !streq(given[CF_ID], cust_get(db, row, CF_ID)))
		return crm_error(err, "an id cannot be changed: other files refer "
		    "to it");
	for (f = 0; f < CF_NFIELDS; f++) {
		merged[f] = cust_get(db, row, (enum cust_field)f);
		if (!given[f])
			continue;
		if (check_value(cust_field_names[f], given[f], err) < 0 ||
		    cust_normalize((enum cust_field)f, given[f], today, &norm[f],
		    err) < 0)
			goto out;
		merged[f] = norm[f];
	}
	if (in->nadd || in->nremove) {
		tags = merge_tags(merged[CF_TAGS], in, today);
		merged[CF_TAGS] = tags;
	}
	if (given[CF_OWNER] && !*merged[CF_OWNER]) {
		crm_error(err, "a customer must have an owner");
		goto out;
	}
	dup = cust_dup_of(db, merged, (long)row, &why);
	if (dup >= 0) {
		crm_error(err, "would duplicate %s '%s' (same %s)",
		    cust_get(db, (size_t)dup, CF_ID),
		    cust_get(db, (size_t)dup, CF_NAME), why);
		goto out;
	}
	if (!streq(merged[CF_OWNER], cust_get(db, row, CF_OWNER)))
		*old_owner = xstrdup(cust_get(db, row, CF_OWNER));
	/* Copy the changes out first: each custdb_set() rebuilds the row
	 * that the unchanged values in merged[] point into. */
	for (f = 0; f < CF_NFIELDS; f++)
		changed[f] = streq(merged[f], cust_get(db, row, (enum cust_field)f)) ?
		    NULL : xstrdup(merged[f]);
	for (f = 0; f < CF_NFIELDS; f++) {
		if (changed[f])
			custdb_set(db, row, (enum cust_field)f, changed[f]);
		free(changed[f]);
	}
	for (i = 0; i < in->nset; i++)
		if (cust_field_by_name(in->set_col[i]) < 0)
			table_set(&db->t, row, (size_t)table_col(&db->t, in->set_col[i]),
			    in->set_val[i]);
	rc = 0;
out:
	free(tags);
	free_fields(norm, CF_NFIELDS);
	return rc;
}

int
base_reassign(struct custdb *db, const char *from, const char *to,
    size_t **rows, size_t *n, struct crm_err *err)
{
	char *norm;
	size_t i;

	*rows = NULL;
	*n = 0;
	if (cust_normalize(CF_OWNER, to, 0, &norm, err) < 0)
		return -1;
	if (!*norm) {
		free(norm);
		return crm_error(err, "a customer must have an owner: give --to");
	}
	if (streq(norm, from)) {
		free(norm);
		return crm_error(err, "'%s' already owns those customers", q(from));
	}
	for (i = 0; i < db->t.nrow; i++) {
		if (!streq(cust_get(db, i, CF_OWNER), from))
			continue;
		*rows = xreallocarray(*rows, *n + 1, sizeof(**rows));
		(*rows)[(*n)++] = i;
	}
	if (*n == 0) {
		free(norm);
		return crm_error(err, "no customer has the owner '%s'", q(from));
	}
	for (i = 0; i < *n; i++)
		custdb_set(db, (*rows)[i], CF_OWNER, norm);
	free(norm);
	return 0;
}

int
log_append(struct store *s, const struct evvals *ev, size_t n,
    struct crm_err *err)
{
	struct rd_opts o = { .format = RD_CSV, .strict_eol = 1 };
	struct sbuf buf = SBUF_INIT;
	struct reader *r = NULL;
	char **cols;
	size_t ncol, i;
	int rc = -1;

	if (access(s->log, F_OK) == 0) {
		r = rd_open(s->log, &o, err);
		if (!r)
			return -1;
	} else if (errno != ENOENT) {
		return crm_error(err, "%s: %s", s->log, strerror(errno));
	}
	if (r && rd_ncol(r) > 0) {
		ncol = rd_ncol(r);
		cols = xcalloc(ncol, sizeof(*cols));
		for (i = 0; i < ncol; i++)
			cols[i] = (char *)rd_colname(r, i);
	} else {
		/* A new log: the standard header goes first. */
		ncol = LF_NFIELDS;
		cols = xcalloc(ncol, sizeof(*cols));
		for (i = 0; i < ncol; i++) {
			cols[i] = (char *)log_field_names[i];
			sb_printf(&buf, "%s%s", i ? "," : "", cols[i]);
		}
		sb_addc(&buf, '\n');
	}
	for (i = 0; i < n; i++)
		if (event_format(&buf, cols, ncol, ev[i].v, err) < 0)
			goto out;
	rc = store_append(s, s->log, buf.buf, buf.len, err);
out:
	free(cols);
	rd_close(r);
	sb_release(&buf);
	return rc;
}

int
log_open(struct store *s, struct logreader *lr, const struct log_cols *cols,
    struct crm_err *err)
{
	struct rd_opts o = { .format = RD_CSV, .strict_eol = 1 };
	struct reader *r;

	if (s->log_fd < 0)
		return 0;
	o.limit = s->log_size;
	if (s->log_torn_at >= 0) {
		o.limit = s->log_torn_at > 0 ? s->log_torn_at : -1;
		o.torn_at_end = 1;
	}
	r = rd_fdopen(s->log_fd, s->log, &o, err);
	if (!r)
		return -1;
	return logr_from(lr, r, cols, err) < 0 ? -1 : 1;
}

int
log_repair(struct store *s, char **saved, long *line, struct crm_err *err)
{
	/* Without a header: the header line may be what was cut short. */
	struct rd_opts o = { .format = RD_CSV, .strict_eol = 1, .no_header = 1 };
	struct reader *r;
	struct rec *rec;
	int k;

	struct stat st;
	int64_t torn;

	*saved = NULL;
	*line = 0;
	if (stat(s->log, &st) < 0)
		return 0;
	/* An append cut short by a crash: all of it goes, however many
	 * records it held, as the append never said it succeeded. */
	torn = store_torn_at(s, (int64_t)st.st_size);
	if (torn >= 0)
		o.limit = torn > 0 ? torn : -1;
	r = rd_open(s->log, &o, err);
	if (!r)
		return -1;
	while ((k = rd_next(r, &rec, err)) > 0)
		;
	if (k == 0 && torn >= 0) {
		*line = rd_lines(r) + 1;
		k = store_truncate_tail(s, s->log, torn, saved, err);
	} else if (k < 0 && rd_torn(r)) {
		*line = rd_good_lines(r) + 1;
		k = store_truncate_tail(s, s->log, rd_good_end(r), saved, err);
	}
	rd_close(r);
	return k < 0 ? -1 : 0;
}

int
base_commit(struct store *s, struct custdb *db, const struct evvals *ev,
    size_t n, struct crm_err *err)
{
	struct sbuf buf = SBUF_INIT;
	struct stat st;
	int had_log = stat(s->log, &st) == 0, rc;

	if (n > 0 && log_append(s, ev, n, err) < 0)
		return -1;
	table_format(&db->t, &buf);
	rc = store_replace(s, s->customers, buf.buf, buf.len, err);
	sb_release(&buf);
	if (rc < 0 && n > 0) {
		/* We still hold the lock: nobody appended after us. */
		if (had_log) {
			store_cut(s, s->log, (int64_t)st.st_size, NULL);
		} else {
			unlink(s->log);
			store_cut(s, s->log, 0, NULL);
		}
	}
	return rc;
}

/* Add a column to t when new; its index. */
static size_t
col_of(struct table *t, const char *name)
{
	return table_add_col(t, name);
}

void
base_table_of_vcards(const struct vcard_list *l, struct table *out)
{
	static const char *const std[] = { "name", "company", "email", "phone",
		"birthday", "tags" };
	const char **f = NULL;
	struct sbuf tags = SBUF_INIT;
	size_t i, j;

	memset(out, 0, sizeof(*out));
	for (j = 0; j < ARRAY_SIZE(std); j++)
		col_of(out, std[j]);
	/* The columns first: crm's own fields in the order they come. */
	for (i = 0; i < l->len; i++) {
		for (j = 0; j < l->v[i].nx; j++)
			col_of(out, l->v[i].xname[j]);
		if (*l->v[i].note)
			col_of(out, "note");
	}
	f = xcalloc(out->ncol, sizeof(*f));
	for (i = 0; i < l->len; i++) {
		const struct vcard *c = &l->v[i];
		const struct vcard_value *e = vcard_best(c->email, c->nemail, NULL);
		const struct vcard_value *p = vcard_best(c->tel, c->ntel, "cell");

		for (j = 0; j < out->ncol; j++)
			f[j] = "";
		sb_reset(&tags);
		for (j = 0; j < c->ncategories; j++)
			sb_printf(&tags, "%s%s", j ? ";" : "", c->categories[j]);
		f[0] = *c->fn ? c->fn : *c->org ? c->org : e ? e->value : "";
		f[1] = c->org;
		f[2] = e ? e->value : "";
		f[3] = p ? p->value : "";
		f[4] = c->bday;
		f[5] = sb_str(&tags);
		if (*c->note)
			f[table_col(out, "note")] = c->note;
		/* crm's own fields have the last word: they are what it wrote. */
		for (j = 0; j < c->nx; j++)
			f[table_col(out, c->xname[j])] = c->xval[j];
		table_add_row(out, f, c->line);
	}
	free(f);
	sb_release(&tags);
}

void
base_vcard_of(const struct custdb *db, size_t row, struct vcard *c)
{
	static const enum cust_field own[] = { CF_ID, CF_OWNER, CF_TIER,
		CF_INDUSTRY, CF_STAGE, CF_SOURCE, CF_CREATED };
	const char *tags = cust_get(db, row, CF_TAGS), *v;
	int note = table_col(&db->t, "note");
	size_t j;

	memset(c, 0, sizeof(*c));
	c->fn = xstrdup(cust_get(db, row, CF_NAME));
	c->org = xstrdup(cust_get(db, row, CF_COMPANY));
	if (*(v = cust_get(db, row, CF_PHONE)))
		vcard_add_tel(c, v, "voice", 0);
	if (*(v = cust_get(db, row, CF_EMAIL)))
		vcard_add_email(c, v, "", 0);
	c->bday = xstrdup(cust_get(db, row, CF_BIRTHDAY));
	while (*tags) {
		const char *e = strchr(tags, ';');
		size_t n = e ? (size_t)(e - tags) : strlen(tags);
		char *t = xstrndup(tags, n);

		vcard_add_category(c, t);
		free(t);
		tags += n + (e ? 1 : 0);
	}
	c->note = xstrdup(table_get(&db->t, row, note));
	for (j = 0; j < ARRAY_SIZE(own); j++)
		if (*(v = cust_get(db, row, own[j])))
			vcard_add_field(c, cust_field_names[own[j]], v);
	/* The user's own columns, every one, in order, empty or not. */
	for (j = 0; j < db->t.ncol; j++)
		if (cust_field_by_name(db->t.col[j]) < 0)
			vcard_add_field(c, db->t.col[j], table_get(&db->t, row, (int)j));
}
