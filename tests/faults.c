/*
 * faults.c - an LD_PRELOAD shim that makes file system calls fail, for
 * the tests of a failing disk and of crashes (t70xx).
 *
 *   cc -shared -fPIC -o faults.so tests/faults.c -ldl
 *   CRM_FAULT=write:ENOSPC LD_PRELOAD=./faults.so crm-log c1 call
 *
 * CRM_FAULT is a comma-separated list of FUNC:ACTION[:N]:
 *
 *   FUNC    write, pwrite, fsync, fdatasync, close, ftruncate, truncate,
 *           rename, unlink, open, openat, mkstemp, flock
 *   ACTION  an errno name (ENOSPC, EIO, EDQUOT, EROFS, EACCES, ...): the
 *           call fails with it and does nothing;
 *           kill: the process kills itself with SIGKILL instead of
 *           making the call (a crash just before it);
 *           short: (write) write only part of the buffer and return
 *           the short count, as a full disk may;
 *           tear: (write) write only part of the buffer, then kill
 *           the process with SIGKILL (a crash in the middle of it)
 *   N       act from the Nth matching call on (default 1); the calls
 *           before it go through untouched
 *
 * CRM_FAULT_PATH=STR  only calls on a path that contains STR (for calls
 *                     on a descriptor, the path it was opened with)
 * CRM_FAULT_BYTES=K   how many bytes short and tear write (default
 *                     half the buffer, at least one)
 * CRM_FAULT_LOG=FILE  append one line per matching call, "N FUNC PATH"
 *                     and " -> ACTION" when it acted: for finding N
 *
 * Descriptors 0, 1 and 2 are never touched: they are the test's own
 * output.  Calls made inside the C library (stdio, say) do not go
 * through the shim; the store's calls do.
 *
 * Under AddressSanitizer, put the ASan runtime first:
 * LD_PRELOAD="$(cc -print-file-name=libasan.so) faults.so"; ASan's own
 * write() interceptor then calls on into this one (RTLD_NEXT).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

enum act { ACT_ERRNO, ACT_KILL, ACT_SHORT, ACT_TEAR };

struct spec {
	char func[16];
	enum act act;
	int err;
	long from;	/* the first matching call that acts, from 1 */
	long calls;	/* matching calls seen so far */
};

#define MAXSPEC 16
static struct spec specs[MAXSPEC];
static int nspec = -1;
static const char *only_path;
static long nbytes = -1;

static const struct {
	const char *name;
	int err;
} errnos[] = {
	{ "ENOSPC", ENOSPC }, { "EIO", EIO }, { "EDQUOT", EDQUOT },
	{ "EROFS", EROFS }, { "EACCES", EACCES }, { "EPERM", EPERM },
	{ "EFBIG", EFBIG }, { "ENOENT", ENOENT }, { "EEXIST", EEXIST },
	{ "EINTR", EINTR }, { "EBADF", EBADF }, { "EXDEV", EXDEV },
	{ "ENOLCK", ENOLCK }, { "EMFILE", EMFILE }, { "ENOMEM", ENOMEM },
};

static void
die_spec(const char *s)
{
	static const char msg[] = "faults.so: bad CRM_FAULT spec: ";

	syscall(SYS_write, 2, msg, sizeof(msg) - 1);
	syscall(SYS_write, 2, s, strlen(s));
	syscall(SYS_write, 2, "\n", 1);
	_exit(99);
}

static void
parse(void)
{
	char buf[512], *tok, *save = NULL;
	const char *env = getenv("CRM_FAULT"), *b;

	nspec = 0;
	only_path = getenv("CRM_FAULT_PATH");
	if (only_path && !*only_path)
		only_path = NULL;
	b = getenv("CRM_FAULT_BYTES");
	if (b && *b)
		nbytes = atol(b);
	if (!env || !*env)
		return;
	snprintf(buf, sizeof(buf), "%s", env);
	for (tok = strtok_r(buf, ",", &save); tok && nspec < MAXSPEC;
	    tok = strtok_r(NULL, ",", &save)) {
		struct spec *sp = &specs[nspec];
		char *a = strchr(tok, ':'), *n;
		size_t i;

		if (!a || (size_t)(a - tok) >= sizeof(sp->func))
			die_spec(tok);
		memcpy(sp->func, tok, (size_t)(a - tok));
		sp->func[a - tok] = '\0';
		a++;
		n = strchr(a, ':');
		if (n)
			*n++ = '\0';
		sp->from = n ? atol(n) : 1;
		if (sp->from < 1)
			die_spec(tok);
		if (strcmp(a, "kill") == 0) {
			sp->act = ACT_KILL;
		} else if (strcmp(a, "short") == 0) {
			sp->act = ACT_SHORT;
		} else if (strcmp(a, "tear") == 0) {
			sp->act = ACT_TEAR;
		} else if (a[0] >= '0' && a[0] <= '9') {
			sp->act = ACT_ERRNO;
			sp->err = atoi(a);
		} else {
			for (i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
				if (strcmp(a, errnos[i].name) == 0)
					break;
			if (i == sizeof(errnos) / sizeof(errnos[0]))
				die_spec(tok);
			sp->act = ACT_ERRNO;
			sp->err = errnos[i].err;
		}
		nspec++;
	}
}

static void
note(const char *func, long n, const char *path, const char *what)
{
	const char *log = getenv("CRM_FAULT_LOG");
	char line[PATH_MAX + 128];
	int fd, len;

	if (!log || !*log)
		return;
	len = snprintf(line, sizeof(line), "%ld %s %s%s%s\n", n, func,
	    path ? path : "?", what ? " -> " : "", what ? what : "");
	if (len < 0 || (size_t)len >= sizeof(line))
		return;
	fd = (int)syscall(SYS_open, log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0600);
	if (fd < 0)
		return;
	syscall(SYS_write, fd, line, (size_t)len);
	syscall(SYS_close, fd);
}

static int
fd_path(int fd, char *out, size_t size)
{
	char link[64];
	ssize_t k;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	k = readlink(link, out, size - 1);
	if (k < 0)
		return -1;
	out[k] = '\0';
	return 0;
}

/*
 * The spec that acts on this call of func on path (or path2), or NULL
 * to let the call through.  Counts the matching calls.
 */
static struct spec *
match(const char *func, const char *path, const char *path2)
{
	struct spec *hit = NULL;
	int i, e = errno;

	if (nspec < 0)
		parse();
	for (i = 0; i < nspec; i++) {
		struct spec *sp = &specs[i];

		if (strcmp(sp->func, func) != 0)
			continue;
		if (only_path && !(path && strstr(path, only_path)) &&
		    !(path2 && strstr(path2, only_path)))
			continue;
		sp->calls++;
		if (!hit && sp->calls >= sp->from)
			hit = sp;
		note(func, sp->calls, path, hit == sp ? (sp->act == ACT_KILL ?
		    "kill" : sp->act == ACT_SHORT ? "short" :
		    sp->act == ACT_TEAR ? "tear" : strerror(sp->err)) : NULL);
	}
	errno = e;
	return hit;
}

static struct spec *
match_fd(const char *func, int fd)
{
	char path[PATH_MAX];

	if (fd <= 2)
		return NULL;
	if (nspec < 0)
		parse();
	if (nspec == 0)
		return NULL;
	if (fd_path(fd, path, sizeof(path)) < 0)
		return match(func, NULL, NULL);
	return match(func, path, NULL);
}

static void
kill_self(void)
{
	kill(getpid(), SIGKILL);
	for (;;)
		pause();
}

/* Applies an errno or kill action: returns 1 when the call must fail. */
static int
act(struct spec *sp)
{
	if (!sp)
		return 0;
	if (sp->act == ACT_KILL)
		kill_self();
	if (sp->act == ACT_ERRNO) {
		errno = sp->err;
		return 1;
	}
	return 0;
}

#define REAL(type, name, args) \
	static type (*real) args; \
	if (!real) \
		real = (type (*) args)dlsym(RTLD_NEXT, name)

static size_t
part(size_t n)
{
	size_t k = nbytes >= 0 ? (size_t)nbytes : n / 2;

	if (k >= n)
		k = n > 0 ? n - 1 : 0;
	return k;
}

ssize_t
write(int fd, const void *buf, size_t n)
{
	REAL(ssize_t, "write", (int, const void *, size_t));
	struct spec *sp = match_fd("write", fd);

	if (sp && (sp->act == ACT_SHORT || sp->act == ACT_TEAR) && n > 1) {
		ssize_t k = real(fd, buf, part(n));

		if (sp->act == ACT_TEAR)
			kill_self();
		return k;
	}
	if (act(sp))
		return -1;
	return real(fd, buf, n);
}

ssize_t
pwrite(int fd, const void *buf, size_t n, off_t off)
{
	REAL(ssize_t, "pwrite", (int, const void *, size_t, off_t));
	struct spec *sp = match_fd("pwrite", fd);

	if (sp && (sp->act == ACT_SHORT || sp->act == ACT_TEAR) && n > 1) {
		ssize_t k = real(fd, buf, part(n), off);

		if (sp->act == ACT_TEAR)
			kill_self();
		return k;
	}
	if (act(sp))
		return -1;
	return real(fd, buf, n, off);
}

int
fsync(int fd)
{
	REAL(int, "fsync", (int));

	if (act(match_fd("fsync", fd)))
		return -1;
	return real(fd);
}

int
fdatasync(int fd)
{
	REAL(int, "fdatasync", (int));

	if (act(match_fd("fdatasync", fd)))
		return -1;
	return real(fd);
}

int
close(int fd)
{
	REAL(int, "close", (int));

	/* A failed close() still closes the descriptor, as on Linux. */
	if (act(match_fd("close", fd))) {
		int e = errno;

		real(fd);
		errno = e;
		return -1;
	}
	return real(fd);
}

int
ftruncate(int fd, off_t len)
{
	REAL(int, "ftruncate", (int, off_t));

	if (act(match_fd("ftruncate", fd)))
		return -1;
	return real(fd, len);
}

int
truncate(const char *path, off_t len)
{
	REAL(int, "truncate", (const char *, off_t));

	if (act(match("truncate", path, NULL)))
		return -1;
	return real(path, len);
}

int
rename(const char *from, const char *to)
{
	REAL(int, "rename", (const char *, const char *));

	if (act(match("rename", from, to)))
		return -1;
	return real(from, to);
}

int
unlink(const char *path)
{
	REAL(int, "unlink", (const char *));

	if (act(match("unlink", path, NULL)))
		return -1;
	return real(path);
}

int
flock(int fd, int op)
{
	REAL(int, "flock", (int, int));

	if (act(match_fd("flock", fd)))
		return -1;
	return real(fd, op);
}

int
mkstemp(char *tmpl)
{
	REAL(int, "mkstemp", (char *));

	if (act(match("mkstemp", tmpl, NULL)))
		return -1;
	return real(tmpl);
}

static mode_t
mode_arg(int flags, va_list ap)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ?
	    (mode_t)va_arg(ap, int) : 0;
}

int
open(const char *path, int flags, ...)
{
	REAL(int, "open", (const char *, int, ...));
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	if (act(match("open", path, NULL)))
		return -1;
	return real(path, flags, mode);
}

int
open64(const char *path, int flags, ...)
{
	REAL(int, "open64", (const char *, int, ...));
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	if (act(match("open", path, NULL)))
		return -1;
	return real(path, flags, mode);
}

int
openat(int dirfd, const char *path, int flags, ...)
{
	REAL(int, "openat", (int, const char *, int, ...));
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	if (act(match("openat", path, NULL)))
		return -1;
	return real(dirfd, path, flags, mode);
}
