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
		if (de->d_name[0] == '.' &&
		    starts_with(de->d_name + 1, STORE_CUSTOMERS ".") &&
		    strlen(de->d_name) == strlen(STORE_CUSTOMERS) + 8)
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
	lockpath = xasprintf("%s/.lock", dir);
	if (mode == STORE_WRITE) {
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

int
store_append(struct store *s, const char *path, const char *data, size_t n,
    struct crm_err *err)
{
	struct stat st;
	int fd, created, e;
	char last;

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
	if (st.st_size > 0) {
		int rfd = open(path, O_RDONLY | O_CLOEXEC);

		if (rfd < 0 || pread(rfd, &last, 1, st.st_size - 1) != 1) {
			e = errno;
			if (rfd >= 0)
				close(rfd);
			close(fd);
			return crm_error(err, "%s: %s", path, strerror(e));
		}
		close(rfd);
		if (last != '\n' && last != '\r') {
			close(fd);
			return crm_error(err, "%s ends with an incomplete record "
			    "(cut short by a crash?); run 'crm-log --repair' first",
			    path);
		}
	}
	if (write_all(fd, data, n) < 0 || fsync(fd) < 0) {
		e = errno;
		/* Put the file back as it was; we hold the lock, so nobody
		 * else has appended since. */
		if (created) {
			unlink(path);
		} else if (ftruncate(fd, st.st_size) == 0) {
			fsync(fd);
		}
		close(fd);
		return crm_error(err, "cannot write %s: %s", path, strerror(e));
	}
	if (close(fd) < 0) {
		e = errno;
		return crm_error(err, "cannot write %s: %s", path, strerror(e));
	}
	if (created && sync_dir(s->dir) < 0)
		return crm_error(err, "cannot sync %s: %s", s->dir, strerror(errno));
	return 0;
}

int
store_replace(struct store *s, const char *path, const char *data, size_t n,
    struct crm_err *err)
{
	const char *base = strrchr(path, '/');
	char *tmp;
	int fd, e;

	tmp = xasprintf("%s/.%s.XXXXXX", s->dir, base ? base + 1 : path);
	fd = mkstemp(tmp);	/* mode 0600, as personal data needs */
	if (fd < 0) {
		e = errno;
		free(tmp);
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
	if (rename(tmp, path) < 0) {
		e = errno;
		goto fail;
	}
	free(tmp);
	if (sync_dir(s->dir) < 0)
		return crm_error(err, "cannot sync %s: %s", s->dir, strerror(errno));
	return 0;
fail:
	unlink(tmp);
	free(tmp);
	return crm_error(err, "cannot write %s: %s", path, strerror(e));
}

int
store_truncate_tail(struct store *s, const char *path, int64_t offset,
    char **saved, struct crm_err *err)
{
	struct stat st;
	char *buf = NULL, *name = NULL;
	size_t n;
	int fd, e, i;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0)
		goto syserr;
	if (offset >= st.st_size) {
		close(fd);
		*saved = NULL;
		return 0;
	}
	n = (size_t)(st.st_size - offset);
	buf = xmalloc(n);
	if (pread(fd, buf, n, offset) != (ssize_t)n)
		goto syserr;
	for (i = 1;; i++) {
		int out;

		free(name);
		name = xasprintf("%s.torn-%d", path, i);
		out = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (out < 0 && errno == EEXIST)
			continue;
		if (out < 0)
			goto syserr;
		if (write_all(out, buf, n) < 0 || fsync(out) < 0) {
			e = errno;
			close(out);
			unlink(name);
			errno = e;
			goto syserr;
		}
		close(out);
		break;
	}
	if (ftruncate(fd, offset) < 0 || fsync(fd) < 0)
		goto syserr;
	close(fd);
	sync_dir(s->dir);
	free(buf);
	*saved = name;
	return 0;
syserr:
	e = errno;
	if (fd >= 0)
		close(fd);
	free(buf);
	free(name);
	return crm_error(err, "%s: %s", path, strerror(e));
}
