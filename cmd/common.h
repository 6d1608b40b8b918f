/*
 * common.h - what every command does the same way: its name in
 * messages, dying with the right exit status, the options shared by all
 * tools (--dir, --today, --csv, --json, --table, --safe, --help,
 * --version) and checking standard output when it is closed.
 *
 * This is the only code besides main() that prints or exits; lib/ never
 * does.
 */
#ifndef CRM_CMD_COMMON_H
#define CRM_CMD_COMMON_H

#include <getopt.h>
#include <stdint.h>

#include "util.h"
#include "writer.h"

extern const char *progname;

/* Long-only options shared by the tools; short ones are -d and -h. */
enum {
	OPT_CSV = 0x100, OPT_JSON, OPT_SAFE, OPT_TABLE, OPT_TODAY, OPT_VERSION,
	OPT_TOOL	/* the first value free for a tool's own options */
};

#define COMMON_LONGOPTS \
	{ "csv", no_argument, NULL, OPT_CSV }, \
	{ "dir", required_argument, NULL, 'd' }, \
	{ "help", no_argument, NULL, 'h' }, \
	{ "json", no_argument, NULL, OPT_JSON }, \
	{ "safe", no_argument, NULL, OPT_SAFE }, \
	{ "table", no_argument, NULL, OPT_TABLE }, \
	{ "today", required_argument, NULL, OPT_TODAY }, \
	{ "version", no_argument, NULL, OPT_VERSION }

/* The text of those options for --help. */
#define COMMON_HELP \
"  -d, --dir DIR      the store (default $CRM_DIR, else\n" \
"                     ${XDG_DATA_HOME:-~/.local/share}/crm)\n" \
"      --today DATE   take DATE as today (also $CRM_TODAY)\n" \
"      --csv          write CSV (the default when not on a terminal)\n" \
"      --json         write JSON Lines\n" \
"      --table        write an aligned table (the default on a terminal)\n" \
"      --safe         neutralise spreadsheet formulas in CSV cells\n" \
"  -h, --help         show this help and exit\n" \
"      --version      show the version and exit\n"

struct common {
	const char *dir_arg;
	const char *today_arg;
	int json, csv, table, safe;
	/* set by common_finish() */
	char *dir;
	int32_t today;
	int today_fixed;	/* --today or $CRM_TODAY was given */
	enum out_format fmt;
};

void cmd_init(const char *name, int argc, char **argv);
/* on_die() names a function die() calls before it exits (one at most):
 * to take back a store that the failed command created. */
void on_die(void (*fn)(void));
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void die_err(const struct crm_err *err) __attribute__((noreturn));
/* die_usage() prints the message and a pointer to --help; exit 2. */
void die_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void warn_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* For struct store's warn hook. */
void warn_hook(const char *msg);

/*
 * common_option() handles option c if it is a shared one: 1 if it was,
 * 0 if it is the tool's own.  --help calls help(), --version prints the
 * version; both exit 0.
 */
int common_option(struct common *co, int c, const char *arg,
    void (*help)(void));
/* common_finish() works out the store, today and the output format. */
void common_finish(struct common *co);

/*
 * finish_stdout() flushes and closes standard output and returns the
 * exit status to use: a write that failed (a full disk, a closed pipe)
 * is an error, not silence.
 */
int finish_stdout(int status);

struct store;
struct custdb;
/*
 * cmd_store() opens the store of co (dying on an error) and sees to it
 * that a command that then fails leaves behind no store it created.
 */
struct store *cmd_store(struct common *co, int mode);
/* cmd_load() reads the store's customers, dying on an error. */
void cmd_load(struct store *s, struct custdb *db);

#endif
