/*
 * store.h - the store directory: where it is, who may read it, and how
 * its files are changed without ever being half-written.
 *
 * Writers hold an exclusive flock(2) on DIR/.lock for the whole
 * operation.  An append is one write(2) of whole records to an O_APPEND
 * descriptor, then fsync(2); if either fails the file is cut back to
 * its old length.  Before the data, the log's length before and after
 * the append is written to .lock and synced, so that a crash part way
 * through an append of any size is known for what it is.  A rewrite goes to a temporary file in the same
 * directory, which is fsynced and renamed over the old one, and then
 * the directory is fsynced.  Readers take a shared lock just long
 * enough to open the files and note the log's length, and then read no
 * further than that: a write under way is never seen half done.
 */
#ifndef CRM_STORE_H
#define CRM_STORE_H

#include <stdint.h>

#include "util.h"

#define STORE_CUSTOMERS "customers.csv"
#define STORE_LOG "log.csv"

enum store_mode { STORE_READ, STORE_WRITE };

struct store {
	char *dir;
	char *customers;	/* DIR/customers.csv */
	char *log;		/* DIR/log.csv */
	enum store_mode mode;
	int lockfd;
	/* STORE_READ: the files as they were under the lock (-1: absent). */
	int cust_fd;
	int log_fd;
	int64_t log_size;
	int64_t log_torn_at;	/* where a torn append began, or -1 */
	int made_dir;		/* STORE_WRITE created the directory */
	/*
	 * Called with a message for problems that are not errors (a store
	 * others can read); may be NULL.  Set it before store_open().
	 */
	void (*warn)(const char *msg);
};

/*
 * store_dir() returns the malloc'ed store path: opt (--dir) when not
 * NULL, else $CRM_DIR, else ${XDG_DATA_HOME:-$HOME/.local/share}/crm.
 */
char *store_dir(const char *opt);

/*
 * store_open() opens the store in dir.  STORE_WRITE creates the
 * directory (mode 0700) when needed and takes the exclusive lock until
 * store_close().  STORE_READ fails when the directory does not exist.
 * Returns 0, or -1 with err filled (and nothing to close).
 */
int store_open(struct store *s, const char *dir, enum store_mode mode,
    struct crm_err *err);
void store_close(struct store *s);
/*
 * store_abandon() undoes the creation of a store that a failed command
 * made and never wrote to: the directory goes again if it holds nothing
 * but the lock file.
 */
void store_abandon(struct store *s);

/*
 * store_append() appends data (whole records, ending with a line end)
 * to path, creating it mode 0600 when absent.  It refuses to append to
 * a file whose last record has no line end (a torn record: see
 * crm-log --repair).  On failure the file is as it was.
 */
int store_append(struct store *s, const char *path, const char *data,
    size_t n, struct crm_err *err);

/*
 * store_torn_at() tells, from the append marker kept in the lock file,
 * whether a log of size bytes was cut short by a crash in the middle of
 * an append: the offset where that append began, or -1.
 */
int64_t store_torn_at(struct store *s, int64_t size);

/* store_cut() cuts path back to size bytes (an append undone). */
int store_cut(struct store *s, const char *path, int64_t size,
    struct crm_err *err);

/*
 * store_replace() replaces path with data, atomically: a reader sees
 * the old file or the new one, never a mixture, even after a crash.
 */
int store_replace(struct store *s, const char *path, const char *data,
    size_t n, struct crm_err *err);

/*
 * store_truncate_tail() moves the bytes of path from offset on into a
 * new file DIR/NAME.torn-N (mode 0600) and cuts path at offset; the
 * name of the new file is returned in *saved (malloc'ed).
 */
int store_truncate_tail(struct store *s, const char *path, int64_t offset,
    char **saved, struct crm_err *err);

#endif
