/*
 * crm-due - the follow-ups that are due: a list or an agenda at a
 * terminal, a mail from cron, a calendar file, a hand-over.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base.h"
#include "common.h"
#include "customer.h"
#include "date.h"
#include "due.h"
#include "history.h"
#include "ics.h"
#include "mail.h"
#include "store.h"
#include "table.h"
#include "writer.h"

enum {
	OPT_AGENDA = OPT_TOOL, OPT_CADENCE, OPT_COMPLAINT_HOURS, OPT_CUSTOMERS,
	OPT_HANDOVER, OPT_ICS, OPT_MAIL, OPT_MAIL_PER_OWNER, OPT_NO_BIRTHDAYS,
	OPT_NO_CADENCE, OPT_NO_COMPLAINTS, OPT_NO_FOLLOWUPS, OPT_OWNER,
	OPT_OWNERS, OPT_SENDMAIL, OPT_UNTIL, OPT_WITHIN
};

static const struct option long_opts[] = {
	{ "agenda", no_argument, NULL, OPT_AGENDA },
	{ "cadence", required_argument, NULL, OPT_CADENCE },
	{ "complaint-hours", required_argument, NULL, OPT_COMPLAINT_HOURS },
	{ "customers", required_argument, NULL, OPT_CUSTOMERS },
	{ "handover", required_argument, NULL, OPT_HANDOVER },
	{ "ics", no_argument, NULL, OPT_ICS },
	{ "mail", required_argument, NULL, OPT_MAIL },
	{ "mail-per-owner", no_argument, NULL, OPT_MAIL_PER_OWNER },
	{ "no-birthdays", no_argument, NULL, OPT_NO_BIRTHDAYS },
	{ "no-cadence", no_argument, NULL, OPT_NO_CADENCE },
	{ "no-complaints", no_argument, NULL, OPT_NO_COMPLAINTS },
	{ "no-followups", no_argument, NULL, OPT_NO_FOLLOWUPS },
	{ "owner", required_argument, NULL, OPT_OWNER },
	{ "owners", required_argument, NULL, OPT_OWNERS },
	{ "sendmail", optional_argument, NULL, OPT_SENDMAIL },
	{ "until", required_argument, NULL, OPT_UNTIL },
	{ "within", required_argument, NULL, OPT_WITHIN },
	COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: crm-due [--within SPAN | --until DATE] [--owner NAME]\n"
	    "               [--no-followups] [--no-complaints] [--no-cadence]\n"
	    "               [--no-birthdays] [--cadence TIER=DAYS,...]\n"
	    "               [--complaint-hours N] [--customers FILE]\n"
	    "       crm-due --agenda [--within SPAN | --until DATE] [--owner NAME]\n"
	    "       crm-due --mail TO [--sendmail[=PATH]]\n"
	    "       crm-due --mail-per-owner [--owners FILE] [--sendmail[=PATH]]\n"
	    "       crm-due --ics\n"
	    "       crm-due --owner NAME --handover TO\n");
}

static void
help(void)
{
	usage(stdout);
	printf("\n"
	    "The follow-ups that are overdue or due today, most urgent first, with\n"
	    "unanswered complaints, customers whose tier asks for regular contact\n"
	    "and had none, and birthdays.  Prints nothing when nothing is due.\n\n"
	    "      --within SPAN      look ahead: 7d, 2w, 1m\n"
	    "      --until DATE       look ahead to DATE\n"
	    "      --owner NAME       only NAME's (the assignee, else the owner)\n"
	    "      --no-followups     leave out the agreed follow-ups\n"
	    "      --no-complaints    leave out unanswered complaints\n"
	    "      --no-cadence       leave out customers due a regular contact\n"
	    "      --no-birthdays     leave out birthdays\n"
	    "      --cadence SPEC     days between contacts by tier (default\n"
	    "                         vip=14,key=30; regular=0 is none)\n"
	    "      --complaint-hours N  how soon a complaint must be answered (24)\n"
	    "      --customers FILE   customer rows from FILE (for a clv column)\n"
	    "      --agenda           the number due per day (default 14 days)\n"
	    "      --mail TO          one RFC 5322 message for sendmail -t\n"
	    "      --mail-per-owner   a message per owner, to the address in the\n"
	    "                         store's owners.csv (or --owners FILE)\n"
	    "      --owners FILE      owner,email[,name] rows\n"
	    "      --sendmail[=PATH]  hand each message to PATH -t -i\n"
	    "                         (default /usr/sbin/sendmail)\n"
	    "      --ics              an iCalendar file (default: all to come)\n"
	    "      --handover TO      log.csv events that hand the follow-ups to\n"
	    "                         TO, for crm-log --import\n"
	    "Common options:\n" COMMON_HELP
	    "\nSee crm-due(1) and crm(7).\n");
}

struct opts {
	struct common co;
	struct due_opts d;
	const char *within, *until, *customers, *mail, *owners, *sendmail;
	const char *handover;
	int agenda, ics, per_owner, use_sendmail;
};

static struct store st;

static void
load(struct opts *o, struct custdb *db, struct logreader *lr, int *have_log)
{
	struct crm_err err;

	st.warn = warn_hook;
	if (store_open(&st, o->co.dir, STORE_READ, &err) < 0)
		die_err(&err);
	if (o->customers ? custdb_read(db, o->customers, &err) < 0 :
	    custdb_load(db, &st, &err) < 0)
		die_err(&err);
	*have_log = log_open(&st, lr, NULL, &err);
	if (*have_log < 0)
		die_err(&err);
}

static void
late_text(char *buf, size_t n, int32_t due, int32_t today)
{
	if (due == today)
		snprintf(buf, n, "today");
	else if (due < today)
		snprintf(buf, n, "%ldd", (long)(today - due));
	else
		snprintf(buf, n, "in %ldd", (long)(due - today));
}

static void
write_list(struct opts *o, const struct due_list *l, const struct custdb *db)
{
	static const char *const cols[] = {
		"kind", "due", "overdue", "urgency", "customer", "name", "company",
		"owner", "assignee", "tier", "action", "last_contact", "last_type",
		"last_note", "phone", "email"
	};
	static const enum col_type types[] = {
		COL_TEXT, COL_TEXT, COL_NUM, COL_NUM, COL_TEXT, COL_TEXT, COL_TEXT,
		COL_TEXT, COL_TEXT, COL_TEXT, COL_TEXT, COL_TEXT, COL_TEXT,
		COL_TEXT, COL_TEXT, COL_TEXT
	};
	static const char *const tcols[] = {
		"due", "late", "customer", "owner", "action", "last contact",
		"phone", "email"
	};
	struct writer *w = wr_open(stdout, o->co.fmt, o->co.safe);
	struct crm_err err;
	size_t i;

	if (o->co.fmt == OUT_TABLE)
		wr_header(w, ARRAY_SIZE(tcols), tcols, NULL);
	else
		wr_header(w, ARRAY_SIZE(cols), cols, types);
	for (i = 0; i < l->n; i++) {
		const struct due_item *it = &l->v[i];
		const char *owner = cust_get(db, it->row, CF_OWNER);
		char due[11], over[16], urg[32], late[16];

		date_format(due, it->due);
		if (o->co.fmt == OUT_TABLE) {
			char *who = xasprintf("%s (%s)", cust_get(db, it->row, CF_NAME),
			    cust_get(db, it->row, CF_ID));
			char *act = it->kind == DUE_FOLLOWUP ? xstrdup(it->action) :
			    xasprintf("[%s] %s", due_kind_names[it->kind], it->action);
			char *last = *it->last_date ? xasprintf("%.10s %s%s%s",
			    it->last_date, it->last_type, *it->last_note ? ": " : "",
			    it->last_note) : xstrdup("");
			const char *f[] = { due, late, who, it->handler, act, last,
				cust_get(db, it->row, CF_PHONE), cust_get(db, it->row, CF_EMAIL) };

			late_text(late, sizeof(late), it->due, o->co.today);
			wr_row(w, f);
			free(who);
			free(act);
			free(last);
		} else {
			const char *f[] = { due_kind_names[it->kind], due, over, urg,
				cust_get(db, it->row, CF_ID), cust_get(db, it->row, CF_NAME),
				cust_get(db, it->row, CF_COMPANY), owner,
				streq(it->handler, owner) ? "" : it->handler,
				cust_get(db, it->row, CF_TIER), it->action, it->last_date,
				it->last_type, it->last_note, cust_get(db, it->row, CF_PHONE),
				cust_get(db, it->row, CF_EMAIL) };

			snprintf(over, sizeof(over), "%ld", (long)(o->co.today - it->due));
			snprintf(urg, sizeof(urg), "%.2f", it->urgency);
			wr_row(w, f);
		}
	}
	if (wr_close(w, &err) < 0)
		die_err(&err);
}

static void
write_agenda(struct opts *o, const struct due_list *l)
{
	static const char *const wd[] = { "Mon", "Tue", "Wed", "Thu", "Fri",
		"Sat", "Sun" };
	struct due_agenda a;
	struct writer *w;
	struct crm_err err;
	const char **h, **f;
	enum col_type *types;
	char **cells;
	size_t ncol, d, j;
	long max = 0, total_all = 0;

	due_agenda(&a, l, o->co.today, o->d.until);
	for (d = 0; d < a.ndays; d++) {
		long t = 0;

		for (j = 0; j < a.nh; j++)
			t += a.counts[d * a.nh + j];
		if (t > max)
			max = t;
		total_all += t;
	}
	if (total_all == 0) {
		due_agenda_release(&a);
		return;		/* nothing due: no output at all */
	}
	/* date, day, total, one column per person, and a bar on a terminal */
	ncol = 3 + (o->d.owner ? 0 : a.nh) + (o->co.fmt == OUT_TABLE);
	h = xcalloc(ncol, sizeof(*h));
	f = xcalloc(ncol, sizeof(*f));
	types = xcalloc(ncol, sizeof(*types));
	cells = xcalloc(ncol, sizeof(*cells));
	h[0] = "date";
	h[1] = "day";
	h[2] = o->d.owner ? o->d.owner : "total";
	types[2] = COL_NUM;
	for (j = 0; !o->d.owner && j < a.nh; j++) {
		h[3 + j] = a.handler[j];
		types[3 + j] = COL_NUM;
	}
	if (o->co.fmt == OUT_TABLE)
		h[ncol - 1] = "";
	w = wr_open(stdout, o->co.fmt, o->co.safe);
	wr_header(w, ncol, h, types);
	for (d = 0; d < a.ndays; d++) {
		long t = 0;
		char date[11];
		size_t c;

		for (j = 0; j < a.nh; j++)
			t += a.counts[d * a.nh + j];
		if (d == 0) {
			cells[0] = xstrdup("overdue");
			cells[1] = xstrdup("");
		} else {
			int32_t day = o->co.today + (int32_t)d - 1;

			date_format(date, day);
			cells[0] = xstrdup(date);
			cells[1] = xstrdup(wd[day_of_week(day)]);
		}
		cells[2] = xasprintf("%ld", t);
		for (j = 0; !o->d.owner && j < a.nh; j++)
			cells[3 + j] = xasprintf("%ld", a.counts[d * a.nh + j]);
		if (o->co.fmt == OUT_TABLE) {
			struct sbuf bar = SBUF_INIT;
			long k, n = max ? (t * 30 + max - 1) / max : 0;

			for (k = 0; k < n; k++)
				sb_adds(&bar, "\xe2\x96\x88");	/* full block */
			cells[ncol - 1] = sb_detach(&bar);
		}
		for (c = 0; c < ncol; c++)
			f[c] = cells[c];
		wr_row(w, f);
		for (c = 0; c < ncol; c++) {
			free(cells[c]);
			cells[c] = NULL;
		}
	}
	if (wr_close(w, &err) < 0)
		die_err(&err);
	free(h);
	free(f);
	free(types);
	free(cells);
	due_agenda_release(&a);
}

static char *
mail_from(void)
{
	const char *env = getenv("CRM_MAIL_FROM");
	char host[256];

	if (env && *env)
		return xstrdup(env);
	if (gethostname(host, sizeof(host)) < 0 || !*host)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	return xasprintf("%s@%s", crm_user(), host);
}

/* Hand a message to sendmail -t -i: no shell, the data on its stdin. */
static void
sendmail(const char *path, const struct sbuf *msg)
{
	int fd[2], status;
	pid_t pid;
	size_t off = 0;

	fflush(stdout);
	if (pipe(fd) < 0)
		die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		char *const argv[] = { (char *)path, "-t", "-i", NULL };

		dup2(fd[0], STDIN_FILENO);
		close(fd[0]);
		close(fd[1]);
		execv(path, argv);
		fprintf(stderr, "%s: %s: %s\n", progname, path, strerror(errno));
		_exit(127);
	}
	close(fd[0]);
	while (off < msg->len) {
		ssize_t k = write(fd[1], msg->buf + off, msg->len - off);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			break;
		off += (size_t)k;
	}
	close(fd[1]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (off < msg->len || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die("%s did not take the message (exit status %d)", path,
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

static void
build_mail(struct opts *o, struct sbuf *msg, const char *to_addr,
    const char *to_name, const struct due_list *l, size_t *only, size_t n,
    const struct custdb *db)
{
	struct sbuf subject = SBUF_INIT, body = SBUF_INIT;
	struct mail_addr to = { to_name, to_addr };
	struct mail_msg m;
	struct crm_err err;
	char day[11], *from = mail_from();
	size_t k, j, shown = 0;

	date_format(day, o->co.today);
	sb_printf(&subject, "crm: %zu due on %s:", n, day);
	/* The first three customers, each once (one may have two items). */
	for (k = 0; k < n && shown < 3; k++) {
		size_t row = l->v[only ? only[k] : k].row;

		for (j = 0; j < k; j++)
			if (l->v[only ? only[j] : j].row == row)
				break;
		if (j < k)
			continue;
		sb_printf(&subject, "%s %s", shown++ ? "," : "",
		    cust_get(db, row, CF_NAME));
	}
	if (k < n)
		sb_adds(&subject, ", ...");
	sb_printf(&body, "%zu due on %s, most urgent first.\n\n", n, day);
	due_text(&body, l, only, n, db, o->co.today);
	memset(&m, 0, sizeof(m));
	m.from.addr = from;
	m.from.name = "crm-due";
	m.to = &to;
	m.nto = 1;
	m.subject = sb_str(&subject);
	m.date = time(NULL);
	m.tzoff = MAIL_TZ_LOCAL;
	m.body = sb_str(&body);
	if (mail_format(msg, &m, &err) < 0)
		die_err(&err);
	free(from);
	sb_release(&subject);
	sb_release(&body);
}

static void
deliver(struct opts *o, const struct sbuf *msg)
{
	if (o->use_sendmail)
		sendmail(o->sendmail ? o->sendmail : "/usr/sbin/sendmail", msg);
	else
		fwrite(msg->buf, 1, msg->len, stdout);
}

static void
write_mail(struct opts *o, const struct due_list *l, const struct custdb *db)
{
	struct sbuf msg = SBUF_INIT;

	build_mail(o, &msg, o->mail, NULL, l, NULL, l->n, db);
	deliver(o, &msg);
	sb_release(&msg);
}

/* mbox: a From_ line before each message, body lines "From " quoted. */
static void
mbox_append(struct sbuf *out, const struct sbuf *msg, const char *from)
{
	const char *p = sb_str(msg);
	time_t now = time(NULL);
	char when[32];
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%a %b %e %H:%M:%S %Y", &tm);
	sb_printf(out, "From %s %s\n", from, when);
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p + 1) : strlen(p);

		if (starts_with(p, "From ") || (*p == '>' && strspn(p, ">") &&
		    starts_with(p + strspn(p, ">"), "From ")))
			sb_addc(out, '>');
		sb_add(out, p, n);
		p += n;
	}
	sb_addc(out, '\n');
}

static void
write_mail_per_owner(struct opts *o, const struct due_list *l,
    const struct custdb *db)
{
	struct rd_opts ro = { .format = RD_AUTO };
	struct table owners = TABLE_INIT;
	struct sbuf all = SBUF_INIT, missing = SBUF_INIT;
	struct due_agenda a;
	struct reader *r;
	struct crm_err err;
	char *path, *from = mail_from();
	size_t *only = xcalloc(l->n ? l->n : 1, sizeof(*only)), h, i, n;
	int oc, ec, nc;

	path = o->owners ? xstrdup(o->owners) : xasprintf("%s/owners.csv", o->co.dir);
	r = rd_open(path, &ro, &err);
	if (!r || table_read(&owners, r, &err) < 0)
		die("%s (see crm-due(1): owners.csv lists owner,email)", err.msg);
	rd_close(r);
	oc = table_col(&owners, "owner");
	ec = table_col(&owners, "email");
	nc = table_col(&owners, "name");
	if (oc < 0 || ec < 0)
		die("%s:1: no 'owner' and 'email' columns", path);
	due_agenda(&a, l, o->co.today, o->d.until);
	/* Every address first: a mail goes out to everyone or to no one. */
	for (h = 0; h < a.nh; h++) {
		for (i = 0; i < owners.nrow; i++)
			if (streq(table_get(&owners, i, oc), a.handler[h]))
				break;
		if (i == owners.nrow)
			sb_printf(&missing, "%s'%s'", missing.len ? ", " : "", a.handler[h]);
		else if (mail_check_addr(table_get(&owners, i, ec), &err) < 0)
			die("%s:%ld: %s", path, owners.line[i], err.msg);
	}
	if (missing.len)
		die("%s: no address for %s", path, sb_str(&missing));
	for (h = 0; h < a.nh; h++) {
		struct sbuf msg = SBUF_INIT;
		size_t row, k;

		for (row = 0; row < owners.nrow; row++)
			if (streq(table_get(&owners, row, oc), a.handler[h]))
				break;
		for (n = 0, k = 0; k < l->n; k++)
			if (streq(l->v[k].handler, a.handler[h]))
				only[n++] = k;
		build_mail(o, &msg, table_get(&owners, row, ec),
		    nc >= 0 ? table_get(&owners, row, nc) : NULL, l, only, n, db);
		if (o->use_sendmail)
			deliver(o, &msg);
		else
			mbox_append(&all, &msg, from);
		sb_release(&msg);
	}
	fwrite(all.buf ? all.buf : "", 1, all.len, stdout);
	due_agenda_release(&a);
	table_release(&owners);
	sb_release(&all);
	sb_release(&missing);
	free(only);
	free(path);
	free(from);
}

static void
write_ics(struct opts *o, const struct due_list *l, const struct custdb *db)
{
	static const char *const verb[] = { "", "Complaint", "Regular contact",
		"Birthday" };
	struct sbuf out = SBUF_INIT, sum = SBUF_INIT, desc = SBUF_INIT;
	struct crm_err err;
	time_t stamp = o->co.today_fixed ? (time_t)o->co.today * 86400 : time(NULL);
	size_t i;

	ics_begin(&out);
	for (i = 0; i < l->n; i++) {
		const struct due_item *it = &l->v[i];
		const char *cat[] = { due_kind_names[it->kind], NULL };
		struct ics_event ev;

		sb_reset(&sum);
		sb_reset(&desc);
		sb_printf(&sum, "%s%s%s", verb[it->kind], *verb[it->kind] ? ": " : "",
		    cust_get(db, it->row, CF_NAME));
		if (*it->action)
			sb_printf(&sum, " - %s", it->action);
		sb_printf(&desc, "%s (%s)", cust_get(db, it->row, CF_NAME),
		    cust_get(db, it->row, CF_ID));
		if (*cust_get(db, it->row, CF_COMPANY))
			sb_printf(&desc, ", %s", cust_get(db, it->row, CF_COMPANY));
		sb_printf(&desc, "\nfor: %s", it->handler);
		if (*it->last_date)
			sb_printf(&desc, "\nlast contact: %s %s%s%s", it->last_date,
			    it->last_type, *it->last_note ? ": " : "", it->last_note);
		if (*cust_get(db, it->row, CF_PHONE))
			sb_printf(&desc, "\nphone: %s", cust_get(db, it->row, CF_PHONE));
		if (*cust_get(db, it->row, CF_EMAIL))
			sb_printf(&desc, "\nemail: %s", cust_get(db, it->row, CF_EMAIL));
		memset(&ev, 0, sizeof(ev));
		ev.uid = it->uid;
		civil_from_days(it->due, &ev.y, &ev.m, &ev.d);
		ev.summary = sb_str(&sum);
		ev.description = sb_str(&desc);
		ev.categories = cat;
		if (ics_add_event(&out, &ev, stamp, &err) < 0)
			die_err(&err);
	}
	ics_end(&out);
	fwrite(out.buf, 1, out.len, stdout);
	sb_release(&out);
	sb_release(&sum);
	sb_release(&desc);
}

static void
write_handover(struct opts *o, const struct due_list *l, const struct custdb *db)
{
	struct sbuf out = SBUF_INIT;

	due_handover(&out, l, db, o->handover, o->co.today);
	fwrite(out.buf, 1, out.len, stdout);
	sb_release(&out);
}

int
main(int argc, char **argv)
{
	struct logreader lr;
	struct due_list l;
	struct custdb db;
	struct crm_err err;
	struct opts o;
	int c, have_log, modes;
	long hours;
	char *end;

	cmd_init("crm-due", argc, argv);
	memset(&o, 0, sizeof(o));
	due_opts_init(&o.d, 0);
	while ((c = getopt_long(argc, argv, "d:h", long_opts, NULL)) != -1) {
		if (common_option(&o.co, c, optarg, help))
			continue;
		switch (c) {
		case OPT_AGENDA:	o.agenda = 1; break;
		case OPT_CADENCE:
			if (due_set_cadence(&o.d, optarg, &err) < 0)
				die_usage("%s", err.msg);
			break;
		case OPT_COMPLAINT_HOURS:
			hours = strtol(optarg, &end, 10);
			if (*end || end == optarg || hours < 0 || hours > 24 * 365)
				die_usage("invalid number of hours '%s'", q(optarg));
			o.d.complaint_hours = (int)hours;
			break;
		case OPT_CUSTOMERS:	o.customers = optarg; break;
		case OPT_HANDOVER:	o.handover = optarg; break;
		case OPT_ICS:		o.ics = 1; break;
		case OPT_MAIL:		o.mail = optarg; break;
		case OPT_MAIL_PER_OWNER: o.per_owner = 1; break;
		case OPT_NO_BIRTHDAYS:	o.d.birthdays = 0; break;
		case OPT_NO_CADENCE:	o.d.cadence = 0; break;
		case OPT_NO_COMPLAINTS:	o.d.complaints = 0; break;
		case OPT_NO_FOLLOWUPS:	o.d.followups = 0; break;
		case OPT_OWNER:		o.d.owner = optarg; break;
		case OPT_OWNERS:	o.owners = optarg; break;
		case OPT_SENDMAIL:
			o.use_sendmail = 1;
			o.sendmail = optarg;
			break;
		case OPT_UNTIL:		o.until = optarg; break;
		case OPT_WITHIN:	o.within = optarg; break;
		default:
			usage(stderr);
			return CRM_EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	common_finish(&o.co);
	if (argc)
		die_usage("unexpected argument '%s'", q(argv[0]));
	modes = o.agenda + o.ics + !!o.mail + o.per_owner + !!o.handover;
	if (modes > 1)
		die_usage("--agenda, --ics, --mail, --mail-per-owner and --handover "
		    "exclude each other");
	if (o.within && o.until)
		die_usage("--within and --until exclude each other");
	if (o.use_sendmail && !o.mail && !o.per_owner)
		die_usage("--sendmail goes with --mail or --mail-per-owner");
	if (o.owners && !o.per_owner)
		die_usage("--owners goes with --mail-per-owner");
	if (o.handover && !o.d.owner)
		die_usage("--handover needs --owner: whose follow-ups to hand over");
	if (o.handover && (!*o.handover || has_control(o.handover, 0)))
		die_usage("invalid person '%s' for --handover", q(o.handover));
	/* Checked now, not only on a day when something is due: a typo in a
	 * crontab must fail at once. */
	if (o.mail && mail_check_addr(o.mail, &err) < 0)
		die_usage("--mail: %s", err.msg);

	o.d.today = o.co.today;
	o.d.until = o.co.today;
	if (o.agenda)
		o.d.until = o.co.today + 13;
	if (o.ics)
		o.d.until = INT32_MAX / 2;
	if (o.within) {
		char unit;
		int n;

		if (date_parse_span(o.within, &n, &unit, &err) < 0)
			die_usage("--within: %s", err.msg);
		o.d.until = date_add(o.co.today, n, unit);
	}
	if (o.until) {
		struct crm_date d;

		if (date_parse(o.until, o.co.today, DATE_FUTURE, &d, &err) < 0)
			die_usage("--until: %s", err.msg);
		o.d.until = d.day;
	}
	if (o.handover) {
		o.d.complaints = o.d.cadence = o.d.birthdays = 0;
	}

	load(&o, &db, &lr, &have_log);
	if (due_scan(&l, &db, have_log ? &lr : NULL, &o.d, &err) < 0)
		die_err(&err);
	if (have_log)
		logr_close(&lr);
	/* Nothing due: no output at all, so that cron sends no mail. */
	if (l.n > 0) {
		if (o.agenda)
			write_agenda(&o, &l);
		else if (o.ics)
			write_ics(&o, &l, &db);
		else if (o.mail)
			write_mail(&o, &l, &db);
		else if (o.per_owner)
			write_mail_per_owner(&o, &l, &db);
		else if (o.handover)
			write_handover(&o, &l, &db);
		else
			write_list(&o, &l, &db);
	}
	due_release(&l);
	custdb_release(&db);
	store_close(&st);
	return finish_stdout(CRM_EXIT_OK);
}
