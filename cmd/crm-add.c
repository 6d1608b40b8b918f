/*
 * crm-add - keep the customer base: add, import, update, reassign, list.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "vcard.h"
#include "common.h"
#include "date.h"
#include "store.h"
#include "writer.h"

enum {
	OPT_BIRTHDAY = OPT_TOOL, OPT_COMPANY, OPT_COMPLETE, OPT_EMAIL,
	OPT_EXPORT_VCARD, OPT_ID, OPT_IMPORT, OPT_IMPORT_VCARD,
	OPT_INDUSTRY, OPT_LIST, OPT_OWNER, OPT_PHONE, OPT_REASSIGN, OPT_SET,
	OPT_SOURCE, OPT_STAGE, OPT_TAG, OPT_TIER, OPT_TO, OPT_UNTAG, OPT_UPDATE
};

static const struct option long_opts[] = {
	{ "birthday", required_argument, NULL, OPT_BIRTHDAY },
	{ "company", required_argument, NULL, OPT_COMPANY },
	{ "complete", required_argument, NULL, OPT_COMPLETE },
	{ "email", required_argument, NULL, OPT_EMAIL },
	{ "export-vcard", no_argument, NULL, OPT_EXPORT_VCARD },
	{ "id", required_argument, NULL, OPT_ID },
	{ "import", no_argument, NULL, OPT_IMPORT },
	{ "import-vcard", no_argument, NULL, OPT_IMPORT_VCARD },
	{ "industry", required_argument, NULL, OPT_INDUSTRY },
	{ "list", no_argument, NULL, OPT_LIST },
	{ "name", required_argument, NULL, 'n' },
	{ "owner", required_argument, NULL, OPT_OWNER },
	{ "phone", required_argument, NULL, OPT_PHONE },
	{ "reassign", required_argument, NULL, OPT_REASSIGN },
	{ "set", required_argument, NULL, OPT_SET },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "stage", required_argument, NULL, OPT_STAGE },
	{ "tag", required_argument, NULL, OPT_TAG },
	{ "tier", required_argument, NULL, OPT_TIER },
	{ "to", required_argument, NULL, OPT_TO },
	{ "untag", required_argument, NULL, OPT_UNTAG },
	{ "update", required_argument, NULL, OPT_UPDATE },
	COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: crm-add --name NAME [--company C] [--email E] [--phone P]\n"
	    "               [--owner O] [--tier T] [--industry I] [--stage S]\n"
	    "               [--source S] [--birthday DATE] [--tag TAG]...\n"
	    "               [--id ID] [--set COLUMN=VALUE]...\n"
	    "       crm-add --import [FILE...]\n"
	    "       crm-add --import-vcard [FILE...]\n"
	    "       crm-add --export-vcard [--owner O] [--tier T] [--stage S]\n"
	    "               [--tag TAG]\n"
	    "       crm-add --update CUSTOMER [field options] [--untag TAG]...\n"
	    "       crm-add --reassign FROM --to TO\n"
	    "       crm-add --list [--owner O] [--tier T] [--stage S] [--tag TAG]\n"
	    "       crm-add --complete WORD\n");
}

static void
help(void)
{
	usage(stdout);
	printf("\n"
	    "Keep the customer base in the store's customers.csv.\n\n"
	    "Modes:\n"
	    "      (none)             add one customer and print its id\n"
	    "      --import           add every row of the CSV or JSON Lines\n"
	    "                         FILEs (stdin when none); all or nothing\n"
	    "      --import-vcard     add the contacts of vCard 2.1, 3.0 or 4.0\n"
	    "                         FILEs (stdin when none); all or nothing\n"
	    "      --export-vcard     write the customers as vCard 3.0\n"
	    "      --update CUSTOMER  change the fields given and nothing else\n"
	    "      --reassign FROM    give all customers of owner FROM to --to TO\n"
	    "      --list             write the customers (filtered by --owner,\n"
	    "                         --tier, --stage, --tag)\n"
	    "      --complete WORD    the ids, e-mails and names WORD may stand\n"
	    "                         for (for shell completion)\n"
	    "Fields:\n"
	    "  -n, --name NAME        the customer's name (required to add)\n"
	    "      --company C        --email E   --phone P   --industry I\n"
	    "      --owner O          the account manager (default $CRM_USER)\n"
	    "      --tier T           vip, key, regular or small\n"
	    "      --stage S          lead, prospect, customer, inactive or lost\n"
	    "      --source S         the channel, or the id of who referred them\n"
	    "      --birthday DATE    YYYY-MM-DD, or --MM-DD without the year\n"
	    "      --tag TAG          add a tag (repeatable)\n"
	    "      --untag TAG        remove a tag (with --update)\n"
	    "      --id ID            the id to give (default: the next c<N>)\n"
	    "      --set COLUMN=VALUE set a column of your own (repeatable)\n"
	    "      --to TO            the new owner, with --reassign\n"
	    "Common options:\n" COMMON_HELP
	    "\nCUSTOMER is an id, an email, or a prefix of the name that fits one.\n"
	    "See crm-add(1) and crm(7).\n");
}

/* What the user typed; the field options fill in.v. */
struct opts {
	struct common co;
	struct cust_input in;
	int import, list, import_vcard, export_vcard;
	const char *update, *reassign, *to, *complete;
};

static void
push(const char ***v, size_t *n, const char *s)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = s;
}

static struct store *
open_store(struct opts *o, enum store_mode mode)
{
	return cmd_store(&o->co, mode);
}

static void
commit(struct store *s, struct custdb *db, struct evvals *ev, size_t n)
{
	struct crm_err err;

	if (base_commit(s, db, ev, n, &err) < 0)
		die_err(&err);
}

/* The event that records a change of owner. */
static void
owner_event(struct evvals *ev, const char *id, const char *from,
    const char *to, const char *when, char **note)
{
	memset(ev, 0, sizeof(*ev));
	*note = xasprintf("owner %s -> %s", *from ? from : "(none)", to);
	ev->v[LF_DATE] = when;
	ev->v[LF_CUSTOMER] = id;
	ev->v[LF_TYPE] = "reassign";
	ev->v[LF_BY] = crm_user();
	ev->v[LF_NOTE] = *note;
}

static void
now_text(const struct common *co, char *buf)
{
	struct crm_date now;

	date_now(co->today, co->today_fixed, &now);
	date_format_full(buf, &now);
}

static int
do_add(struct opts *o)
{
	struct store *s = open_store(o, STORE_WRITE);
	struct custdb db;
	struct crm_err err;
	size_t row;

	cmd_load(s, &db);
	if (base_add(&db, &o->in, o->co.today, crm_user(), &row, &err) < 0)
		die_err(&err);
	commit(s, &db, NULL, 0);
	printf("%s\n", cust_get(&db, row, CF_ID));
	custdb_release(&db);
	store_close(s);
	return CRM_EXIT_OK;
}

/*
 * Read every input whole before the store is locked: the input may come
 * from another crm tool reading the same store.
 */
static struct table *
read_inputs(int argc, char **argv, const char ***names)
{
	struct table *t = xcalloc(argc ? (size_t)argc : 1, sizeof(*t));
	struct crm_err err;
	int k;

	*names = xcalloc(argc ? (size_t)argc : 1, sizeof(**names));
	for (k = 0; k < (argc ? argc : 1); k++) {
		struct rd_opts ro = { .format = RD_AUTO };
		struct reader *r = rd_open(argc ? argv[k] : "-", &ro, &err);

		if (!r || table_read(&t[k], r, &err) < 0)
			die_err(&err);
		(*names)[k] = argc ? argv[k] : "stdin";
		rd_close(r);
	}
	return t;
}

/* A whole file (or stdin) in memory: a vCard file is parsed at once. */
static char *
slurp(const char *path, size_t *n)
{
	FILE *fp = streq(path, "-") ? stdin : fopen(path, "rb");
	struct sbuf sb = SBUF_INIT;
	char buf[65536];
	size_t k;

	if (!fp)
		die("%s: %s", path, strerror(errno));
	while ((k = fread(buf, 1, sizeof(buf), fp)) > 0)
		sb_add(&sb, buf, k);
	if (ferror(fp))
		die("%s: %s", path, strerror(errno));
	if (fp != stdin)
		fclose(fp);
	*n = sb.len;
	return sb_detach(&sb);
}

static struct table *
read_vcards(int argc, char **argv, const char ***names)
{
	struct table *t = xcalloc(argc ? (size_t)argc : 1, sizeof(*t));
	struct crm_err err;
	int k;

	*names = xcalloc(argc ? (size_t)argc : 1, sizeof(**names));
	for (k = 0; k < (argc ? argc : 1); k++) {
		struct vcard_list l = VCARD_LIST_INIT;
		const char *path = argc ? argv[k] : "-";
		size_t n;
		char *data = slurp(path, &n);

		(*names)[k] = argc ? argv[k] : "stdin";
		if (vcard_parse(data, n, (*names)[k], &l, &err) < 0)
			die_err(&err);
		base_table_of_vcards(&l, &t[k]);
		vcard_list_release(&l);
		free(data);
	}
	return t;
}

static int
do_import(struct opts *o, int argc, char **argv)
{
	const char **names;
	struct table *in = o->import_vcard ? read_vcards(argc, argv, &names) :
	    read_inputs(argc, argv, &names);
	struct store *s = open_store(o, STORE_WRITE);
	size_t first, count, i;
	struct custdb db;
	struct crm_err err;
	int k;

	cmd_load(s, &db);
	first = db.t.nrow;
	for (k = 0; k < (argc ? argc : 1); k++) {
		if (base_import(&db, &in[k], names[k], o->co.today, crm_user(),
		    &count, &err) < 0)
			die_err(&err);
		table_release(&in[k]);
	}
	free(in);
	free(names);
	commit(s, &db, NULL, 0);
	for (i = first; i < db.t.nrow; i++)
		printf("%s\n", cust_get(&db, i, CF_ID));
	custdb_release(&db);
	store_close(s);
	return CRM_EXIT_OK;
}

static int
do_update(struct opts *o)
{
	struct store *s = open_store(o, STORE_WRITE);
	struct custdb db;
	struct crm_err err;
	struct evvals ev;
	char *old_owner, *note = NULL, when[32];
	long row;

	cmd_load(s, &db);
	row = cust_find(&db, o->update, &err);
	if (row < 0)
		die_err(&err);
	if (base_update(&db, (size_t)row, &o->in, o->co.today, &old_owner, &err) < 0)
		die_err(&err);
	if (old_owner) {
		now_text(&o->co, when);
		owner_event(&ev, cust_get(&db, (size_t)row, CF_ID), old_owner,
		    cust_get(&db, (size_t)row, CF_OWNER), when, &note);
	}
	commit(s, &db, &ev, old_owner ? 1 : 0);
	printf("%s\n", cust_get(&db, (size_t)row, CF_ID));
	free(old_owner);
	free(note);
	custdb_release(&db);
	store_close(s);
	return CRM_EXIT_OK;
}

static int
do_reassign(struct opts *o)
{
	struct store *s = open_store(o, STORE_WRITE);
	struct custdb db;
	struct crm_err err;
	struct evvals *ev;
	size_t *rows, n, i;
	char **notes, when[32];

	cmd_load(s, &db);
	if (base_reassign(&db, o->reassign, o->to, &rows, &n, &err) < 0)
		die_err(&err);
	now_text(&o->co, when);
	ev = xcalloc(n, sizeof(*ev));
	notes = xcalloc(n, sizeof(*notes));
	for (i = 0; i < n; i++)
		owner_event(&ev[i], cust_get(&db, rows[i], CF_ID), o->reassign,
		    cust_get(&db, rows[i], CF_OWNER), when, &notes[i]);
	commit(s, &db, ev, n);
	for (i = 0; i < n; i++) {
		printf("%s\n", cust_get(&db, rows[i], CF_ID));
		free(notes[i]);
	}
	free(notes);
	free(ev);
	free(rows);
	custdb_release(&db);
	store_close(s);
	return CRM_EXIT_OK;
}

static int
has_tag(const char *tags, const char *tag)
{
	size_t n = strlen(tag);

	while (*tags) {
		const char *e = strchr(tags, ';');
		size_t len = e ? (size_t)(e - tags) : strlen(tags);

		if (len == n && strncmp(tags, tag, n) == 0)
			return 1;
		tags += len + (e ? 1 : 0);
	}
	return 0;
}

static int
do_complete(struct opts *o)
{
	struct store *s = open_store(o, STORE_READ);
	struct sbuf out = SBUF_INIT;
	struct custdb db;

	cmd_load(s, &db);
	cust_complete(&db, o->complete, &out);
	fwrite(sb_str(&out), 1, out.len, stdout);
	sb_release(&out);
	custdb_release(&db);
	store_close(s);
	return CRM_EXIT_OK;
}

/* Does row i pass the --list filters (--owner, --tier, --stage, --tag)? */
static int
matches(const struct opts *o, const struct custdb *db, size_t i,
    const char *const *in)
{
	size_t j;

	if ((in[CF_OWNER] && !streq(cust_get(db, i, CF_OWNER), in[CF_OWNER])) ||
	    (in[CF_TIER] && !streq(cust_get(db, i, CF_TIER), in[CF_TIER])) ||
	    (in[CF_STAGE] && !streq(cust_get(db, i, CF_STAGE), in[CF_STAGE])))
		return 0;
	for (j = 0; j < o->in.nadd; j++)
		if (!has_tag(cust_get(db, i, CF_TAGS), o->in.tag_add[j]))
			return 0;
	return 1;
}

static int
do_export_vcard(struct opts *o)
{
	struct store *s = open_store(o, STORE_READ);
	const char *const *in = o->in.v;
	struct sbuf out = SBUF_INIT;
	struct custdb db;
	size_t i;

	cmd_load(s, &db);
	for (i = 0; i < db.t.nrow; i++) {
		struct vcard c;

		if (!matches(o, &db, i, in))
			continue;
		base_vcard_of(&db, i, &c);
		vcard_write(&out, &c);
		vcard_release(&c);
		fwrite(out.buf, 1, out.len, stdout);
		sb_reset(&out);
	}
	sb_release(&out);
	custdb_release(&db);
	store_close(s);
	return CRM_EXIT_OK;
}

static int
do_list(struct opts *o)
{
	static const char *const brief[] = {
		"id", "name", "company", "owner", "tier", "stage", "email", "phone"
	};
	struct store *s = open_store(o, STORE_READ);
	const char **f, *const *in = o->in.v;
	struct custdb db;
	struct crm_err err;
	struct writer *w;
	size_t i, j, ncol;

	cmd_load(s, &db);
	w = wr_open(stdout, o->co.fmt, o->co.safe);
	/* A terminal gets the columns a person scans; files get them all. */
	ncol = o->co.fmt == OUT_TABLE ? ARRAY_SIZE(brief) : db.t.ncol;
	wr_header(w, ncol, o->co.fmt == OUT_TABLE ? brief :
	    (const char *const *)db.t.col, NULL);
	f = xcalloc(ncol, sizeof(*f));
	for (i = 0; i < db.t.nrow; i++) {
		if (!matches(o, &db, i, in))
			continue;
		for (j = 0; j < ncol; j++)
			f[j] = o->co.fmt == OUT_TABLE ?
			    table_get(&db.t, i, table_col(&db.t, brief[j])) :
			    table_get(&db.t, i, (int)j);
		wr_row(w, f);
	}
	free(f);
	if (wr_close(w, &err) < 0)
		die_err(&err);
	custdb_release(&db);
	store_close(s);
	return CRM_EXIT_OK;
}

int
main(int argc, char **argv)
{
	struct opts o;
	char *lowered[3] = { NULL, NULL, NULL };
	int c, modes, rc;

	cmd_init("crm-add", argc, argv);
	memset(&o, 0, sizeof(o));
	while ((c = getopt_long(argc, argv, "d:hn:", long_opts, NULL)) != -1) {
		if (common_option(&o.co, c, optarg, help))
			continue;
		switch (c) {
		case 'n':		o.in.v[CF_NAME] = optarg; break;
		case OPT_BIRTHDAY:	o.in.v[CF_BIRTHDAY] = optarg; break;
		case OPT_COMPANY:	o.in.v[CF_COMPANY] = optarg; break;
		case OPT_EMAIL:		o.in.v[CF_EMAIL] = optarg; break;
		case OPT_ID:		o.in.v[CF_ID] = optarg; break;
		case OPT_INDUSTRY:	o.in.v[CF_INDUSTRY] = optarg; break;
		case OPT_OWNER:		o.in.v[CF_OWNER] = optarg; break;
		case OPT_PHONE:		o.in.v[CF_PHONE] = optarg; break;
		case OPT_SOURCE:	o.in.v[CF_SOURCE] = optarg; break;
		case OPT_STAGE:		o.in.v[CF_STAGE] = optarg; break;
		case OPT_TIER:		o.in.v[CF_TIER] = optarg; break;
		case OPT_TAG:
			push(&o.in.tag_add, &o.in.nadd, optarg);
			break;
		case OPT_UNTAG:
			push(&o.in.tag_remove, &o.in.nremove, optarg);
			break;
		case OPT_SET: {
			char *eq = strchr(optarg, '=');

			if (!eq || eq == optarg)
				die_usage("--set wants COLUMN=VALUE, not '%s'", q(optarg));
			*eq = '\0';
			o.in.set_col = xreallocarray(o.in.set_col, o.in.nset + 1,
			    sizeof(char *));
			o.in.set_val = xreallocarray(o.in.set_val, o.in.nset + 1,
			    sizeof(char *));
			o.in.set_col[o.in.nset] = optarg;
			o.in.set_val[o.in.nset++] = eq + 1;
			break;
		}
		case OPT_IMPORT:	o.import = 1; break;
		case OPT_IMPORT_VCARD:	o.import_vcard = 1; break;
		case OPT_EXPORT_VCARD:	o.export_vcard = 1; break;
		case OPT_LIST:		o.list = 1; break;
		case OPT_COMPLETE:	o.complete = optarg; break;
		case OPT_UPDATE:	o.update = optarg; break;
		case OPT_REASSIGN:	o.reassign = optarg; break;
		case OPT_TO:		o.to = optarg; break;
		default:
			usage(stderr);
			return CRM_EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	common_finish(&o.co);

	modes = o.import + o.import_vcard + o.list + o.export_vcard + !!o.update +
	    !!o.reassign + !!o.complete;
	if (modes > 1)
		die_usage("--import, --import-vcard, --list, --export-vcard, "
		    "--update, --reassign and --complete exclude each other");
	if (o.to && !o.reassign)
		die_usage("--to goes with --reassign");
	if (o.reassign) {
		if (!o.to)
			die_usage("--reassign needs --to");
		if (argc || o.in.nadd || o.in.nremove || o.in.nset)
			die_usage("--reassign takes only --to");
		rc = do_reassign(&o);
		goto out;
	}
	if (o.import || o.import_vcard) {
		int f;

		for (f = 0; f < CF_NFIELDS; f++)
			if (o.in.v[f])
				die_usage("%s takes the fields from the file, not "
				    "from --%s", o.import ? "--import" : "--import-vcard",
				    cust_field_names[f]);
		rc = do_import(&o, argc, argv);
		goto out;
	}
	if (argc)
		die_usage("unexpected argument '%s'", q(argv[0]));
	if (o.in.nremove && !o.update)
		die_usage("--untag goes with --update");
	if (o.list || o.export_vcard) {
		static const enum cust_field filters[] = { CF_OWNER, CF_TIER, CF_STAGE };
		int f;
		size_t k;

		for (f = 0; f < CF_NFIELDS; f++)
			if (o.in.v[f] && f != CF_OWNER && f != CF_TIER && f != CF_STAGE)
				die_usage("--%s is not a filter: %s takes --owner, --tier, "
				    "--stage and --tag", cust_field_names[f],
				    o.list ? "--list" : "--export-vcard");
		if (o.in.nset)
			die_usage("--set is not a filter");
		/* Filters match what is stored: tiers and stages in lower case. */
		for (k = 0; k < ARRAY_SIZE(filters); k++) {
			char *low;

			if (!o.in.v[filters[k]] || filters[k] == CF_OWNER)
				continue;
			low = xstrdup(o.in.v[filters[k]]);
			for (char *ch = low; *ch; ch++)
				*ch = (char)tolower((unsigned char)*ch);
			o.in.v[filters[k]] = low;
			lowered[k] = low;
		}
	}
	if (o.complete)
		rc = do_complete(&o);
	else if (o.export_vcard)
		rc = do_export_vcard(&o);
	else if (o.list)
		rc = do_list(&o);
	else if (o.update)
		rc = do_update(&o);
	else if (!o.in.v[CF_NAME])
		die_usage("a new customer needs --name");
	else
		rc = do_add(&o);
out:
	free(lowered[1]);
	free(lowered[2]);
	free(o.in.tag_add);
	free(o.in.tag_remove);
	free(o.in.set_col);
	free(o.in.set_val);
	return finish_stdout(rc);
}
