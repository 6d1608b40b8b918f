/*
 * base.h - changes to the customer base: add, import, update, reassign.
 *
 * Each works on a struct custdb in memory and either changes it as
 * asked or leaves it as it was and returns -1 with the reason; the
 * caller writes the result to the store only on success.  An import is
 * all or nothing.
 */
#ifndef CRM_BASE_H
#define CRM_BASE_H

#include "customer.h"
#include "event.h"
#include "reader.h"
#include "store.h"

/* What the user gave for one customer: NULL means not given. */
struct cust_input {
	const char *v[CF_NFIELDS];
	/* --set COLUMN=VALUE for the user's own columns */
	size_t nset;
	const char **set_col, **set_val;
	/* --tag and --untag */
	size_t nadd, nremove;
	const char **tag_add, **tag_remove;
};

/*
 * base_add() validates in, refuses a duplicate, fills id (the next free
 * one unless given), owner (user unless given) and created (today) and
 * appends the customer.  *row is set to the new row.
 */
int base_add(struct custdb *db, const struct cust_input *in, int32_t today,
    const char *user, size_t *row, struct crm_err *err);

/*
 * base_import() adds every row of in (read from the file name) as
 * base_add() would, its columns matched by name (other columns become
 * the user's own).  Messages name the input line.  On error db must not
 * be written back: the import is all or nothing.  *count is the number
 * added.  The input is a table, read whole before the store is locked,
 * so that "crm-x | crm-add --import" cannot deadlock on the lock.
 */
int base_import(struct custdb *db, const struct table *in, const char *name,
    int32_t today, const char *user, size_t *count, struct crm_err *err);

/*
 * base_update() changes the given fields of row and nothing else.
 * *old_owner (malloc'ed) is set when the owner changed, else NULL.
 */
int base_update(struct custdb *db, size_t row, const struct cust_input *in,
    int32_t today, char **old_owner, struct crm_err *err);

/*
 * base_reassign() gives every customer of owner from to owner to.  The
 * rows changed are returned in *rows (malloc'ed), their number in *n;
 * none is an error.
 */
int base_reassign(struct custdb *db, const char *from, const char *to,
    size_t **rows, size_t *n, struct crm_err *err);

/*
 * Contacts.  base_table_of_vcards() turns contacts read from a vCard
 * file into rows that base_import() takes: FN (else ORG, else the first
 * e-mail) the name, ORG the company, the preferred e-mail, the preferred
 * phone (a cell phone first), BDAY the birthday, CATEGORIES the tags,
 * NOTE a column of the user's own, "note", and crm's own fields from
 * X-CRM-FIELD properties, which come first.  Each row's line is its
 * card's BEGIN line.
 */
struct vcard_list;
struct vcard;
void base_table_of_vcards(const struct vcard_list *l, struct table *out);
/*
 * base_vcard_of() is the other way: customer row as a contact, crm's
 * fields that vCard has no property for (id, owner, tier, industry,
 * stage, source, created, the user's own columns) as X-CRM-FIELDs, so
 * that an export imported again gives the same customers.
 */
void base_vcard_of(const struct custdb *db, size_t row, struct vcard *out);

/* Values of one event for log_append(), indexed by enum log_field. */
struct evvals {
	const char *v[LF_NFIELDS];
};

/*
 * log_append() appends n events to the store's log in one write, in the
 * column order of the log's header (a new log gets the standard one).
 * The store must be open for writing.
 */
int log_append(struct store *s, const struct evvals *ev, size_t n,
    struct crm_err *err);

/*
 * log_open() opens the store's log (a store open for reading) as it was
 * when the store was opened: 1, or 0 when there is no log yet, or -1.
 * When the last append was cut short by a crash, reading stops where it
 * began with the error of an incomplete last record.
 */
int log_open(struct store *s, struct logreader *lr, const struct log_cols *cols,
    struct crm_err *err);

/*
 * log_repair() moves an incomplete last record of the log (cut short by
 * a crash) into DIR/log.csv.torn-N and cuts the log before it.  *saved
 * is the new file's name (malloc'ed), or NULL when the log was whole;
 * *line is the line where the fragment started.  Any other fault in the
 * log is an error for a person to look at.
 */
int log_repair(struct store *s, char **saved, long *line, struct crm_err *err);

/* The user the tools write in "by" and as a default owner: $CRM_USER,
 * else the login name. */
const char *crm_user(void);

/*
 * base_commit() writes db back to customers.csv and appends the n
 * events (owner changes) to the log: the events first, so that a crash
 * in between leaves a record of the intent; if the rewrite then fails,
 * the log is cut back to its old length.  Returns 0 or -1.
 */
int base_commit(struct store *s, struct custdb *db, const struct evvals *ev,
    size_t n, struct crm_err *err);

#endif
