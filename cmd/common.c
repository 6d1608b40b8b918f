/*
 * common.c - messages, exits and the shared options of every command.
 */
#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "date.h"
#include "customer.h"
#include "store.h"

const char *progname = "crm";

void
cmd_init(const char *name, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	setlocale(LC_ALL, "");
	/* Numbers are written and read with a decimal point whatever the
	 * locale: the files are for machines as much as for people. */
	setlocale(LC_NUMERIC, "C");
	progname = name;
	/* Output to a pipe or a file in writes of 64 KB, not stdio's 4 KB:
	 * half a million rows of CSV were 9,000 writes, each about a
	 * microsecond here.  To a terminal, lines go as they come. */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOFBF, (size_t)64 << 10);
}

static void
vmsg(const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", progname);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static void (*die_hook)(void);

void
on_die(void (*fn)(void))
{
	die_hook = fn;
}

void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	if (die_hook)
		die_hook();
	exit(CRM_EXIT_ERR);
}

void
die_err(const struct crm_err *err)
{
	die("%s", err->msg);
}

void
die_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n", progname);
	exit(CRM_EXIT_USAGE);
}

void
warn_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "%s: warning: ", progname);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void
warn_hook(const char *msg)
{
	warn_msg("%s", msg);
}

int
common_option(struct common *co, int c, const char *arg, void (*help)(void))
{
	switch (c) {
	case 'd':
		co->dir_arg = arg;
		return 1;
	case OPT_TODAY:
		co->today_arg = arg;
		return 1;
	case OPT_CSV:
		co->csv = 1;
		return 1;
	case OPT_JSON:
		co->json = 1;
		return 1;
	case OPT_TABLE:
		co->table = 1;
		return 1;
	case OPT_SAFE:
		co->safe = 1;
		return 1;
	case 'h':
		help();
		exit(finish_stdout(CRM_EXIT_OK));
	case OPT_VERSION:
		printf("%s (crm) %s\n", progname, CRM_VERSION);
		exit(finish_stdout(CRM_EXIT_OK));
	case '?':
		fprintf(stderr, "Try '%s --help' for more information.\n", progname);
		exit(CRM_EXIT_USAGE);
	default:
		return 0;
	}
}

/* The store's path lives as long as the process: freed at exit. */
static char *dir_owned;

static void
free_dir(void)
{
	free(dir_owned);
}

void
common_finish(struct common *co)
{
	struct crm_err err;
	const char *env = getenv("CRM_TODAY");

	if (co->json + co->csv + co->table > 1)
		die_usage("--csv, --json and --table exclude each other");
	if (date_today(co->today_arg, &co->today, &err) < 0)
		die_usage("%s", err.msg);
	co->today_fixed = co->today_arg || (env && *env);
	co->dir = dir_owned = store_dir(co->dir_arg);
	atexit(free_dir);
	co->fmt = out_choose(co->json, co->csv, co->table, STDOUT_FILENO);
}

int
finish_stdout(int status)
{
	/* A failed write shows up at the flush or at the close. */
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		if (status == CRM_EXIT_OK || status == CRM_EXIT_USAGE)
			fprintf(stderr, "%s: write error: %s\n", progname,
			    strerror(errno ? errno : EIO));
		return CRM_EXIT_ERR;
	}
	return status;
}

static struct store the_store;

static void
abandon(void)
{
	store_abandon(&the_store);
}

struct store *
cmd_store(struct common *co, int mode)
{
	struct crm_err err;

	the_store.warn = warn_hook;
	if (store_open(&the_store, co->dir, (enum store_mode)mode, &err) < 0)
		die_err(&err);
	on_die(abandon);
	return &the_store;
}

void
cmd_load(struct store *s, struct custdb *db)
{
	struct crm_err err;

	if (custdb_load(db, s, &err) < 0)
		die_err(&err);
}
