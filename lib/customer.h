/*
 * customer.h - customers.csv: its columns, what each may hold, finding
 * a customer the way people name one, and telling duplicates apart.
 */
#ifndef CRM_CUSTOMER_H
#define CRM_CUSTOMER_H

#include "store.h"
#include "table.h"
#include "util.h"

/* The standard columns, in the order a new customers.csv has them. */
enum cust_field {
	CF_ID, CF_NAME, CF_COMPANY, CF_EMAIL, CF_PHONE, CF_OWNER, CF_TIER,
	CF_INDUSTRY, CF_STAGE, CF_SOURCE, CF_BIRTHDAY, CF_TAGS, CF_CREATED,
	CF_NFIELDS
};
extern const char *const cust_field_names[CF_NFIELDS];
/* The documented sets (crm(7)); NULL-terminated. */
extern const char *const cust_tiers[];
extern const char *const cust_stages[];

/* The field named name, or -1. */
int cust_field_by_name(const char *name);

/*
 * The customer base: the table as read (extra columns and their order
 * kept) and where each standard column is in it.
 */
struct custdb {
	struct table t;
	int col[CF_NFIELDS];
	char *path;		/* for messages */
	struct strmap by_id;	/* id -> row + 1 */
	/* For duplicate checks, built when first needed: key -> row + 1. */
	struct strmap by_email, by_phone, by_namecomp;
	size_t dup_rows;
	int dup_ready;
};

/*
 * custdb_load() reads customers.csv from the store (an absent file is an
 * empty base with the standard columns).  Standard columns missing from
 * the file are added at the end.  Returns 0 or -1.
 */
int custdb_load(struct custdb *db, struct store *s, struct crm_err *err);
/* custdb_read() does the same from any file or stdin ("-"). */
int custdb_read(struct custdb *db, const char *path, struct crm_err *err);
void custdb_release(struct custdb *db);

const char *cust_get(const struct custdb *db, size_t row, enum cust_field f);
/* The row of the customer with exactly this id, or -1. */
long cust_by_id(const struct custdb *db, const char *id);

/*
 * cust_find() finds a customer by id, by e-mail (any case), by phone,
 * or by a prefix of the name or of a word in it (any case) that fits
 * exactly one customer, or fits one whole name exactly.  Returns
 * the row, or -1 with "no customer 'X'" or "'X' fits N customers: c1
 * Ivan Petrov, c7 Ivana Novak, ..." in err.
 */
long cust_find(const struct custdb *db, const char *query, struct crm_err *err);

/*
 * cust_normalize() checks value for field f and returns in *out the
 * malloc'ed form to store: trimmed, phone numbers reduced to digits and
 * a leading +, tiers and stages in lower case, tags deduplicated and
 * joined with ';'.  Returns 0, or -1 with "invalid email 'x'" and the
 * like in err (no file or line: the caller adds them).
 */
int cust_normalize(enum cust_field f, const char *value, int32_t today,
    char **out, struct crm_err *err);

/*
 * cust_dup_of() looks for a customer, other than row skip (-1 for none),
 * that the given fields would duplicate: the same e-mail (any case) or
 * phone, or the same name and company when no e-mail or phone tells them
 * apart.  Returns the row or -1; *why names the reason ("email",
 * "phone" or "name and company").
 */
long cust_dup_of(struct custdb *db, const char *const *fields,
    long skip, const char **why);

/*
 * custdb_add() appends a row of db->t.ncol fields (in table order, not
 * cust_field order).  custdb_set() changes one standard field of a row.
 */
void custdb_add(struct custdb *db, const char *const *fields);
void custdb_set(struct custdb *db, size_t row, enum cust_field f, const char *v);

/*
 * cust_complete() appends, one per line, what a shell may complete word
 * to: the ids and e-mails that start with it, and the names one of whose
 * words starts with it (as cust_find() matches them).
 */
void cust_complete(const struct custdb *db, const char *word, struct sbuf *out);

/* The next free id of the form c<N>: one more than the largest N used. */
char *cust_next_id(const struct custdb *db);

/* Is s a valid id: a letter or digit, then letters, digits, . _ -? */
int cust_valid_id(const char *s);

/* custdb_index() rebuilds by_id after rows were added or changed. */
void custdb_index(struct custdb *db);

#endif
