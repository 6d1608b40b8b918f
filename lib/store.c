/*
 * store.c - locking, private modes, appends and atomic rewrites.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "reader.h"
#include "store.h"

char *
store_dir(const char *opt)
{
	const char *env = getenv("CRM_DIR"), *xdg, *home;

	if (opt)
		return xstrdup(opt);
	if (env && *env)
		return xstrdup(env);
	xdg = getenv("XDG_DATA_HOME");
	if (xdg && *xdg)
		return xasprintf("%s/crm", xdg);
	home = getenv("HOME");
	return xasprintf("%s/.local/share/crm", home && *home ? home : ".");
}

/* mkdir -p, each new directory mode 0700 whatever the umask. */
static int
make_dirs(const char *dir, struct crm_err *err)
{
	char *p = xstrdup(dir), *s;
	struct stat st;
	int rc = 0;

	for (s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		{
			char c = *s;

			*s = '\0';
			if (stat(p, &st) < 0) {
				if (mkdir(p, 0700) < 0 && errno != EEXIST) {
					rc = crm_error(err, "cannot create %s: %s", p,
					    strerror(errno));
					break;
				}
				chmod(p, 0700);
			} else if (!S_ISDIR(st.st_mode)) {
				rc = crm_error(err, "%s is not a directory", p);
				break;
			}
			*s = c;
		}
		if (*s == '\0')
			break;
	}
	free(p);
	return rc;
}

static void
warn_mode(struct store *s, const char *path, int isdir)
{
	struct stat st;
	char *msg;

	if (!s->warn || stat(path, &st) < 0 || !(st.st_mode & 077))
		return;
	msg = xasprintf("%s is open to other users (mode %04o); customer data "
	    "is personal data: chmod %s %s", path, (unsigned)(st.st_mode & 07777),
	    isdir ? "700" : "600", path);
	s->warn(msg);
	free(msg);
}

static void
check_modes(struct store *s)
{
	warn_mode(s, s->dir, 1);
	warn_mode(s, s->customers, 0);
	warn_mode(s, s->log, 0);
}

static int
lock(int fd, int op)
{
	int rc;

	do
		rc = flock(fd, op);
	while (rc < 0 && errno == EINTR);
	return rc;
}

static int
open_if_there(const char *path, int *fd, struct crm_err *err)
{
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0 && errno != ENOENT)
		return crm_error(err, "%s: %s", path, strerror(errno));
	return 0;
}

/*
 * A writer killed between mkstemp() and rename() leaves its temporary
 * file behind.  Whoever holds the lock next removes such files: nobody
 * else can be writing one.
 */
static void
remove_stale_temps(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		/* .customers.csv.XXXXXX of mkstemp(), and .customers.csv.prev
		 * (the old file kept during a rewrite: customers.csv is whole). */
		if (de->d_name[0] == '.' &&
		    starts_with(de->d_name + 1, STORE_CUSTOMERS ".") &&
		    (strlen(de->d_name) == strlen(STORE_CUSTOMERS) + 8 ||
		    streq(de->d_name + 1 + strlen(STORE_CUSTOMERS), ".prev")))
			unlinkat(dirfd(d), de->d_name, 0);
	}
	closedir(d);
}

int
store_open(struct store *s, const char *dir, enum store_mode mode,
    struct crm_err *err)
{
	void (*warn)(const char *) = s->warn;
	struct stat st;
	char *lockpath;

	memset(s, 0, sizeof(*s));
	s->warn = warn;
	s->dir = xstrdup(dir);
	s->customers = xasprintf("%s/%s", dir, STORE_CUSTOMERS);
	s->log = xasprintf("%s/%s", dir, STORE_LOG);
	s->mode = mode;
	s->lockfd = s->cust_fd = s->log_fd = -1;
	s->log_torn_at = -1;
	lockpath = xasprintf("%s/.lock", dir);
	if (mode == STORE_WRITE) {
		s->made_dir = stat(dir, &st) < 0;
		if (make_dirs(dir, err) < 0)
			goto fail;
		s->lockfd = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (s->lockfd < 0) {
			crm_error(err, "cannot write to the store %s: %s", dir,
			    strerror(errno));
			goto fail;
		}
		fchmod(s->lockfd, 0600);
		if (lock(s->lockfd, LOCK_EX) < 0) {
			crm_error(err, "cannot lock %s: %s", lockpath, strerror(errno));
			goto fail;
		}
		check_modes(s);
		remove_stale_temps(dir);
		free(lockpath);
		return 0;
	}
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		crm_error(err, "no store at %s (crm-add creates it; see --dir)", dir);
		goto fail;
	}
	/* A read-only store may have no lock file: then nobody writes it. */
	s->lockfd = open(lockpath, O_RDONLY | O_CLOEXEC);
	if (s->lockfd >= 0 && lock(s->lockfd, LOCK_SH) < 0) {
		crm_error(err, "cannot lock %s: %s", lockpath, strerror(errno));
		goto fail;
	}
	if (open_if_there(s->customers, &s->cust_fd, err) < 0 ||
	    open_if_there(s->log, &s->log_fd, err) < 0)
		goto fail;
	if (s->log_fd >= 0) {
		if (fstat(s->log_fd, &st) < 0) {
			crm_error(err, "%s: %s", s->log, strerror(errno));
			goto fail;
		}
		s->log_size = (int64_t)st.st_size;
		/* Cut short by a crash: readers stop where the cut append began. */
		s->log_torn_at = store_torn_at(s, s->log_size);
	}
	if (s->lockfd >= 0) {
		close(s->lockfd);	/* also drops the shared lock */
		s->lockfd = -1;
	}
	check_modes(s);
	free(lockpath);
	return 0;
fail:
	free(lockpath);
	store_close(s);
	return -1;
}

void
store_abandon(struct store *s)
{
	DIR *d;
	struct dirent *de;
	int others = 0;
	char *lock;

	if (!s->dir || !s->made_dir)
		return;
	d = opendir(s->dir);
	if (!d)
		return;
	while ((de = readdir(d)) != NULL)
		if (!streq(de->d_name, ".") && !streq(de->d_name, "..") &&
		    !streq(de->d_name, ".lock"))
			others = 1;
	closedir(d);
	if (others)
		return;
	lock = xasprintf("%s/.lock", s->dir);
	unlink(lock);
	free(lock);
	rmdir(s->dir);
}

void
store_close(struct store *s)
{
	if (s->lockfd >= 0)
		close(s->lockfd);
	if (s->cust_fd >= 0)
		close(s->cust_fd);
	if (s->log_fd >= 0)
		close(s->log_fd);
	s->lockfd = s->cust_fd = s->log_fd = -1;
	free(s->dir);
	free(s->customers);
	free(s->log);
	s->dir = s->customers = s->log = NULL;
}

static int
write_all(int fd, const char *data, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, data, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0) {
			errno = ENOSPC;
			return -1;
		}
		data += k;
		n -= (size_t)k;
	}
	return 0;
}

static int
sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/*
 * The append marker: the first 16 bytes of .lock hold the log's length
 * before the last append and the length it was to have after it,
 * written and synced before the append's data.  A log whose length lies
 * between the two was cut short by a crash, however many records the
 * append held and wherever the cut fell (even just after a line break
 * inside a quoted note); a log of exactly the length after is the log
 * crm wrote.  Any other length means someone else wrote the file, and
 * it is checked in full before anything is appended to it.
 */
struct marker {
	int64_t before, after;
};

static void
marker_read(int fd, struct marker *m)
{
	m->before = m->after = -1;
	if (fd < 0 || pread(fd, m, sizeof(*m), 0) != (ssize_t)sizeof(*m) ||
	    m->before < 0 || m->after < m->before)
		m->before = m->after = -1;
}

static int
marker_write(int fd, int64_t before, int64_t after)
{
	struct marker m = { before, after };

	if (pwrite(fd, &m, sizeof(m), 0) != (ssize_t)sizeof(m) || fsync(fd) < 0)
		return -1;
	return 0;
}

int64_t
store_torn_at(struct store *s, int64_t size)
{
	struct marker m;

	marker_read(s->lockfd, &m);
	return m.before >= 0 && m.before < size && size < m.after ? m.before : -1;
}

/*
 * Is the whole log well formed, its last record complete?  Returns 0;
 * 1 when the last record is incomplete; or -1 with the reader's message
 * (naming the line) for any other fault.  With torn >= 0, the log is
 * known to have been cut short at that offset.
 */
static int
log_check(const char *path, int64_t torn, struct crm_err *err)
{
	struct rd_opts o = { .format = RD_CSV, .strict_eol = 1, .no_header = 1 };
	struct reader *r;

	if (torn >= 0) {
		o.limit = torn > 0 ? torn : -1;
		o.torn_at_end = 1;
	}
	r = rd_open(path, &o, err);
	struct rec *rec;
	int k;

	if (!r)
		return -1;
	while ((k = rd_next(r, &rec, err)) > 0)
		;
	if (k < 0 && rd_torn(r))
		k = 1;
	rd_close(r);
	return k;
}

int
store_append(struct store *s, const char *path, const char *data, size_t n,
    struct crm_err *err)
{
	struct marker m;
	struct stat st;
	int fd, created, e;

	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	created = fd < 0 && errno == ENOENT;
	if (created)
		fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC,
		    0600);
	if (fd < 0)
		return crm_error(err, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0) {
		e = errno;
		close(fd);
		return crm_error(err, "%s: %s", path, strerror(e));
	}
	if (created)
		fchmod(fd, 0600);
	marker_read(s->lockfd, &m);
	if (st.st_size > 0 && m.after != st.st_size) {
		/* Not the log as crm left it: a crash, or another hand. */
		int64_t torn = m.before >= 0 && m.before < st.st_size &&
		    st.st_size < m.after ? m.before : -1;

		int k = log_check(path, torn, err);

		if (k != 0) {
			close(fd);
			if (k < 0)
				return -1;
			return crm_error(err, "%s ends with an incomplete record "
			    "(cut short by a crash?); run 'crm-log --repair' first",
			    path);
		}
	}
	if (marker_write(s->lockfd, st.st_size, st.st_size + (int64_t)n) < 0) {
		e = errno;
		goto undo;
	}
	if (write_all(fd, data, n) < 0 || fsync(fd) < 0) {
		e = errno;
		goto undo;
	}
	/* The data is durable once fsync() has succeeded: an error from
	 * close() now would not make it less so. */
	close(fd);
	fd = -1;
	if (created && sync_dir(s->dir) < 0) {
		e = errno;
		goto undo;
	}
	return 0;
undo:
	/* Put the file back as it was; we hold the lock, so nobody else has
	 * appended since. */
	if (created) {
		unlink(path);
		sync_dir(s->dir);
	} else if (fd >= 0 && ftruncate(fd, st.st_size) == 0) {
		fsync(fd);
	} else if (truncate(path, st.st_size) == 0) {
		int tfd = open(path, O_WRONLY | O_CLOEXEC);

		if (tfd >= 0) {
			fsync(tfd);
			close(tfd);
		}
	}
	marker_write(s->lockfd, st.st_size, st.st_size);
	if (fd >= 0)
		close(fd);
	return crm_error(err, "cannot write %s: %s", path, strerror(e));
}

int
store_cut(struct store *s, const char *path, int64_t size, struct crm_err *err)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), e;

	if (fd < 0 || ftruncate(fd, size) < 0 || fsync(fd) < 0) {
		e = errno;
		if (fd >= 0)
			close(fd);
		return crm_error(err, "cannot cut %s back: %s", path, strerror(e));
	}
	close(fd);
	marker_write(s->lockfd, size, size);
	return 0;
}

/* The name of the previous customers.csv while a rewrite is under way. */
#define PREV_SUFFIX ".prev"

int
store_replace(struct store *s, const char *path, const char *data, size_t n,
    struct crm_err *err)
{
	const char *base = strrchr(path, '/');
	char *tmp, *prev;
	int fd, e, had_old;

	base = base ? base + 1 : path;
	tmp = xasprintf("%s/.%s.XXXXXX", s->dir, base);
	prev = xasprintf("%s/.%s" PREV_SUFFIX, s->dir, base);
	fd = mkstemp(tmp);	/* mode 0600, as personal data needs */
	if (fd < 0) {
		e = errno;
		free(tmp);
		free(prev);
		return crm_error(err, "cannot write to the store %s: %s", s->dir,
		    strerror(e));
	}
	if (write_all(fd, data, n) < 0 || fsync(fd) < 0) {
		e = errno;
		close(fd);
		goto fail;
	}
	if (close(fd) < 0) {
		e = errno;
		goto fail;
	}
	/* Keep the old file by a second name until the new one is surely
	 * in place: if syncing the directory fails, it goes back. */
	unlink(prev);
	had_old = link(path, prev) == 0;
	if (!had_old && errno != ENOENT) {
		e = errno;
		goto fail;
	}
	if (rename(tmp, path) < 0) {
		e = errno;
		if (had_old)
			unlink(prev);
		goto fail;
	}
	if (sync_dir(s->dir) < 0) {
		e = errno;
		if (had_old)
			rename(prev, path);
		else
			unlink(path);
		sync_dir(s->dir);
		free(tmp);
		free(prev);
		return crm_error(err, "cannot write %s: %s", path, strerror(e));
	}
	if (had_old)
		unlink(prev);
	free(tmp);
	free(prev);
	return 0;
fail:
	unlink(tmp);
	free(tmp);
	free(prev);
	return crm_error(err, "cannot write %s: %s", path, strerror(e));
}

int
store_truncate_tail(struct store *s, const char *path, int64_t offset,
    char **saved, struct crm_err *err)
{
	struct stat st;
	char *buf = NULL, *name = NULL;
	size_t n;
	int fd, e, i, out = -1;

	*saved = NULL;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		e = errno;
		goto fail;
	}
	if (offset >= st.st_size) {
		close(fd);
		return 0;
	}
	n = (size_t)(st.st_size - offset);
	buf = xmalloc(n);
	if (pread(fd, buf, n, offset) != (ssize_t)n) {
		e = errno ? errno : EIO;
		goto fail;
	}
	/* First the fragment, safe in a file of its own ... */
	for (i = 1;; i++) {
		free(name);
		name = xasprintf("%s.torn-%d", path, i);
		out = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (out >= 0 || errno != EEXIST)
			break;
	}
	if (out < 0) {
		e = errno;
		free(name);
		name = NULL;
		goto fail;
	}
	if (write_all(out, buf, n) < 0 || fsync(out) < 0 || sync_dir(s->dir) < 0) {
		e = errno;
		goto fail;
	}
	close(out);
	out = -1;
	/* ... then the log cut before it.  Should that fail, the bytes go
	 * back where they were and the copy goes away. */
	if (ftruncate(fd, offset) < 0 || fsync(fd) < 0 ||
	    marker_write(s->lockfd, offset, offset) < 0) {
		e = errno;
		if (pwrite(fd, buf, n, offset) == (ssize_t)n)
			fsync(fd);
		goto fail;
	}
	close(fd);
	free(buf);
	*saved = name;
	return 0;
fail:
	if (out >= 0)
		close(out);
	if (name) {
		unlink(name);
		sync_dir(s->dir);
	}
	if (fd >= 0)
		close(fd);
	free(buf);
	free(name);
	return crm_error(err, "cannot repair %s: %s", path, strerror(e));
}
