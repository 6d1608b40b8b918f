/*
 * crm-log - record every contact and purchase in the append-only log;
 * show a customer's history; list events for pipes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "common.h"
#include "customer.h"
#include "date.h"
#include "entry.h"
#include "history.h"
#include "table.h"
#include "store.h"
#include "writer.h"

enum {
	OPT_AMOUNT = OPT_TOOL, OPT_ASSIGNEE, OPT_BY, OPT_CHANNEL, OPT_CUSTOMER, OPT_DATE,
	OPT_HISTORY, OPT_IMPORT, OPT_LIST, OPT_NEXT, OPT_NEXT_ACTION,
	OPT_OUTCOME, OPT_OWNER, OPT_REPAIR, OPT_SINCE, OPT_TYPE, OPT_UNTIL
};

static const struct option long_opts[] = {
	{ "amount", required_argument, NULL, OPT_AMOUNT },
	{ "assignee", required_argument, NULL, OPT_ASSIGNEE },
	{ "by", required_argument, NULL, OPT_BY },
	{ "channel", required_argument, NULL, OPT_CHANNEL },
	{ "customer", required_argument, NULL, OPT_CUSTOMER },
	{ "date", required_argument, NULL, OPT_DATE },
	{ "history", required_argument, NULL, OPT_HISTORY },
	{ "import", no_argument, NULL, OPT_IMPORT },
	{ "list", no_argument, NULL, OPT_LIST },
	{ "next", required_argument, NULL, OPT_NEXT },
	{ "next-action", required_argument, NULL, OPT_NEXT_ACTION },
	{ "outcome", required_argument, NULL, OPT_OUTCOME },
	{ "owner", required_argument, NULL, OPT_OWNER },
	{ "repair", no_argument, NULL, OPT_REPAIR },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "until", required_argument, NULL, OPT_UNTIL },
	COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: crm-log CUSTOMER TYPE [NOTE...] [--amount X] [--next DATE]\n"
	    "               [--next-action TEXT] [--assignee WHO] [--channel C]\n"
	    "               [--outcome O] [--by WHO] [--date DATE]\n"
	    "       crm-log --import [FILE...]\n"
	    "       crm-log --history CUSTOMER\n"
	    "       crm-log --list [--customer C] [--type T[,T...]] [--owner O]\n"
	    "               [--since DATE] [--until DATE]\n"
	    "       crm-log --repair\n");
}

static void
help(void)
{
	usage(stdout);
	printf("\n"
	    "Record contacts and purchases in the store's append-only log.csv.\n\n"
	    "Modes:\n"
	    "      (none)             append one event of TYPE for CUSTOMER\n"
	    "      --import           append the events of the CSV or JSON Lines\n"
	    "                         FILEs (stdin when none); all or nothing\n"
	    "      --history CUSTOMER the customer's card and whole timeline\n"
	    "      --list             write the events that match the filters\n"
	    "      --repair           move an incomplete last record aside\n"
	    "Event fields:\n"
	    "      --amount X         money, with a decimal point: 1234.50\n"
	    "      --next DATE        the agreed date of the next contact\n"
	    "      --next-action TEXT what is to be done then\n"
	    "      --assignee WHO     who is to do it (default: the owner)\n"
	    "      --channel C        phone, email, shop, ...\n"
	    "      --outcome O        how it went\n"
	    "      --by WHO           who (default $CRM_USER or the login name)\n"
	    "      --date DATE        when it happened (default now)\n"
	    "Filters for --list:\n"
	    "      --customer C  --type T[,T...]  --owner O  --since D  --until D\n"
	    "Common options:\n" COMMON_HELP
	    "\nTYPE is one of call, email, meeting, visit, message, letter, offer,\n"
	    "purchase, refund, complaint, note, churn, reschedule, reassign, done.\n"
	    "DATE: 2026-07-05, 2026-07-05T14:30, today, tomorrow, +3d, +2w, +1m,\n"
	    "friday, 5jul.  See crm-log(1) and crm(7).\n");
}

struct opts {
	struct common co;
	struct entry_input in;
	int import, list, repair;
	const char *history, *customer, *type, *owner, *since, *until;
};

static struct store *
open_store(struct opts *o, enum store_mode mode)
{
	return cmd_store(&o->co, mode);
}

/*
 * Open the store's log as it was when the store was opened.  Returns 0
 * when there is no log yet.
 */
static int
open_log(struct store *s, struct logreader *lr)
{
	struct crm_err err;

	int k = log_open(s, lr, NULL, &err);

	if (k < 0)
		die_err(&err);
	return k;
}

static int
do_append(struct opts *o)
{
	struct store *s = open_store(o, STORE_WRITE);
	struct custdb db;
	struct entry e;
	struct crm_err err;

	cmd_load(s, &db);
	if (entry_make(&db, &o->in, o->co.today, o->co.today_fixed, &e, &err) < 0 ||
	    log_append(s, &e.ev, 1, &err) < 0)
		die_err(&err);
	entry_release(&e);
	custdb_release(&db);
	store_close(s);
	return CRM_EXIT_OK;
}

static int
do_import(struct opts *o, int argc, char **argv)
{
	struct table *in = xcalloc(argc ? (size_t)argc : 1, sizeof(*in));
	struct entry *all = NULL, *e;
	struct evvals *ev;
	size_t nall = 0, n, i;
	struct custdb db;
	struct crm_err err;
	struct store *s;
	int k;

	/* The input first, whole, before the store is locked: it may come
	 * from a crm tool reading this store ("crm-due --handover | ..."). */
	for (k = 0; k < (argc ? argc : 1); k++) {
		struct rd_opts ro = { .format = RD_AUTO };
		struct reader *r = rd_open(argc ? argv[k] : "-", &ro, &err);

		if (!r || table_read(&in[k], r, &err) < 0)
			die_err(&err);
		rd_close(r);
	}
	s = open_store(o, STORE_WRITE);
	cmd_load(s, &db);
	for (k = 0; k < (argc ? argc : 1); k++) {
		if (entry_import(&db, &in[k], argc ? argv[k] : "stdin", o->co.today,
		    o->co.today_fixed, &e, &n, &err) < 0)
			die_err(&err);
		table_release(&in[k]);
		all = xreallocarray(all, nall + n, sizeof(*all));
		memcpy(all + nall, e, n * sizeof(*e));
		nall += n;
		free(e);
	}
	free(in);
	ev = xcalloc(nall ? nall : 1, sizeof(*ev));
	for (i = 0; i < nall; i++)
		ev[i] = all[i].ev;
	if (nall && log_append(s, ev, nall, &err) < 0)
		die_err(&err);
	for (i = 0; i < nall; i++)
		entry_release(&all[i]);
	free(all);
	free(ev);
	custdb_release(&db);
	store_close(s);
	return CRM_EXIT_OK;
}

static int
do_history(struct opts *o)
{
	struct store *s = open_store(o, STORE_READ);
	struct sbuf out = SBUF_INIT;
	struct logreader lr;
	struct history h;
	struct custdb db;
	struct crm_err err;
	long row;
	int have_log;

	cmd_load(s, &db);
	row = cust_find(&db, o->history, &err);
	if (row < 0)
		die_err(&err);
	memset(&h, 0, sizeof(h));
	h.last_contact = -1;
	have_log = open_log(s, &lr);
	if (have_log) {
		if (history_load(&h, &lr, cust_get(&db, (size_t)row, CF_ID), &err) < 0)
			die_err(&err);
		logr_close(&lr);
	}
	if (o->co.fmt == OUT_TABLE) {
		history_text(&out, &db, (size_t)row, &h, o->co.today);
		fwrite(out.buf, 1, out.len, stdout);
	} else if (o->co.fmt == OUT_JSON) {
		history_json(&out, &db, (size_t)row, &h, o->co.today);
		fwrite(out.buf, 1, out.len, stdout);
	} else {
		struct writer *w = wr_open(stdout, OUT_CSV, o->co.safe);
		const char **f = xcalloc(h.ev.ncol ? h.ev.ncol : 1, sizeof(*f));
		size_t i;

		if (h.ev.ncol) {
			wr_header(w, h.ev.ncol, (const char *const *)h.ev.col, NULL);
			for (i = 0; i < h.ev.nrow; i++) {
				/* A JSON Lines log may add columns after a row. */
				table_fields(&h.ev, h.order[i], f);
				wr_row(w, f);
			}
		}
		free(f);
		if (wr_close(w, &err) < 0)
			die_err(&err);
	}
	sb_release(&out);
	history_release(&h);
	custdb_release(&db);
	store_close(s);
	return CRM_EXIT_OK;
}

static int
type_in(const char *type, const char *list)
{
	size_t n = strlen(type);

	while (list) {
		const char *e = strchr(list, ',');
		size_t len = e ? (size_t)(e - list) : strlen(list);

		if (len == n && strncmp(list, type, n) == 0)
			return 1;
		list = e ? e + 1 : NULL;
	}
	return 0;
}

static int32_t
parse_day(const struct opts *o, const char *opt, const char *s,
    enum date_bias bias)
{
	struct crm_date d;
	struct crm_err err;

	if (date_parse(s, o->co.today, bias, &d, &err) < 0)
		die_usage("%s: %s", opt, err.msg);
	return d.day;
}

static int
do_list(struct opts *o)
{
	struct store *s = open_store(o, STORE_READ);
	int32_t since = INT32_MIN, until = INT32_MAX;
	const char *id = NULL;
	const char **f = NULL;
	struct logreader lr;
	struct custdb db;
	struct crm_err err;
	struct writer *w;
	struct event ev;
	size_t ncol = 0, i;
	int k, have_log;

	if (o->since)
		since = parse_day(o, "--since", o->since, DATE_PAST);
	if (o->until)
		until = parse_day(o, "--until", o->until, DATE_FUTURE);
	cmd_load(s, &db);
	if (o->customer) {
		long row = cust_find(&db, o->customer, &err);

		if (row < 0)
			die_err(&err);
		id = cust_get(&db, (size_t)row, CF_ID);
	}
	have_log = open_log(s, &lr);
	w = wr_open(stdout, o->co.fmt, o->co.safe);
	if (have_log) {
		ncol = rd_ncol(lr.rd);
		f = xcalloc(ncol, sizeof(*f));
		for (i = 0; i < ncol; i++)
			f[i] = rd_colname(lr.rd, i);
		wr_header(w, ncol, f, NULL);
		while ((k = logr_next(&lr, &ev, &err)) > 0) {
			if ((id && !streq(ev.f[LF_CUSTOMER], id)) ||
			    (o->type && !type_in(ev.f[LF_TYPE], o->type)) ||
			    ev.date.day < since || ev.date.day > until)
				continue;
			if (o->owner) {
				long row = cust_by_id(&db, ev.f[LF_CUSTOMER]);

				if (row < 0 || !streq(cust_get(&db, (size_t)row, CF_OWNER),
				    o->owner))
					continue;
			}
			wr_row(w, ev.rec->f);
		}
		if (k < 0)
			die_err(&err);
		logr_close(&lr);
	} else {
		/* No log yet: no events, but the columns all the same. */
		wr_header(w, LF_NFIELDS, log_field_names, NULL);
	}
	if (wr_close(w, &err) < 0)
		die_err(&err);
	free(f);
	custdb_release(&db);
	store_close(s);
	return CRM_EXIT_OK;
}

static int
do_repair(struct opts *o)
{
	struct store *s = open_store(o, STORE_WRITE);
	struct crm_err err;
	char *saved;
	long line;

	if (log_repair(s, &saved, &line, &err) < 0)
		die_err(&err);
	if (saved)
		fprintf(stderr, "%s: %s:%ld: moved the incomplete last record to %s\n",
		    progname, s->log, line, saved);
	free(saved);
	store_close(s);
	return CRM_EXIT_OK;
}

int
main(int argc, char **argv)
{
	struct opts o;
	int c, modes, i;

	cmd_init("crm-log", argc, argv);
	memset(&o, 0, sizeof(o));
	while ((c = getopt_long(argc, argv, "d:h", long_opts, NULL)) != -1) {
		if (common_option(&o.co, c, optarg, help))
			continue;
		switch (c) {
		case OPT_AMOUNT:	o.in.v[LF_AMOUNT] = optarg; break;
		case OPT_ASSIGNEE:	o.in.v[LF_ASSIGNEE] = optarg; break;
		case OPT_BY:		o.in.v[LF_BY] = optarg; break;
		case OPT_CHANNEL:	o.in.v[LF_CHANNEL] = optarg; break;
		case OPT_DATE:		o.in.v[LF_DATE] = optarg; break;
		case OPT_NEXT:		o.in.v[LF_NEXT] = optarg; break;
		case OPT_NEXT_ACTION:	o.in.v[LF_NEXT_ACTION] = optarg; break;
		case OPT_OUTCOME:	o.in.v[LF_OUTCOME] = optarg; break;
		case OPT_CUSTOMER:	o.customer = optarg; break;
		case OPT_HISTORY:	o.history = optarg; break;
		case OPT_IMPORT:	o.import = 1; break;
		case OPT_LIST:		o.list = 1; break;
		case OPT_OWNER:		o.owner = optarg; break;
		case OPT_REPAIR:	o.repair = 1; break;
		case OPT_SINCE:		o.since = optarg; break;
		case OPT_TYPE:		o.type = optarg; break;
		case OPT_UNTIL:		o.until = optarg; break;
		default:
			usage(stderr);
			return CRM_EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	common_finish(&o.co);

	modes = o.import + o.list + o.repair + !!o.history;
	if (modes > 1)
		die_usage("--import, --list, --history and --repair exclude each other");
	if (!o.list && (o.customer || o.type || o.owner || o.since || o.until))
		die_usage("--customer, --type, --owner, --since and --until go with "
		    "--list");
	if (modes) {
		for (i = 0; i < LF_NFIELDS; i++)
			if (o.in.v[i])
				die_usage("event fields go with a new event, not with "
				    "--%s", o.import ? "import" : o.list ? "list" :
				    o.repair ? "repair" : "history");
	}
	if (o.import)
		return finish_stdout(do_import(&o, argc, argv));
	if (modes && argc)
		die_usage("unexpected argument '%s'", q(argv[0]));
	if (o.list)
		return finish_stdout(do_list(&o));
	if (o.history)
		return finish_stdout(do_history(&o));
	if (o.repair)
		return finish_stdout(do_repair(&o));
	if (argc < 2)
		die_usage("a new event needs CUSTOMER and TYPE");
	o.in.v[LF_CUSTOMER] = argv[0];
	o.in.v[LF_TYPE] = argv[1];
	if (argc > 2) {
		/* The rest is the note, so that it need not be quoted. */
		struct sbuf note = SBUF_INIT;

		for (i = 2; i < argc; i++)
			sb_printf(&note, "%s%s", i > 2 ? " " : "", argv[i]);
		o.in.v[LF_NOTE] = note.buf;
		c = do_append(&o);
		sb_release(&note);
		return finish_stdout(c);
	}
	return finish_stdout(do_append(&o));
}
