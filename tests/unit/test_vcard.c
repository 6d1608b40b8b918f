/*
 * test_vcard.c - lib/vcard.c: reading the vCards that phones, Google,
 * Apple, khard and python3-vobject write, writing 3.0, the round trip,
 * and the errors.  The fixtures are in tests/data/vcard/ (see the
 * make-*.py scripts there); run from the repository root, as prove does.
 *
 * Built with -DVCARD_REGEN, the test rewrites
 * tests/data/vcard/written.vcf from the writer; then run
 * "make-vobject.py dump written.vcf > written.vobject" there, and look at
 * both before committing them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "util.h"
#include "vcard.h"

#define DATA "tests/data/vcard/"

static char *
slurp(const char *name, size_t *len)
{
	char path[256], buf[8192];
	struct sbuf sb = SBUF_INIT;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), DATA "%s", name);
	if (!(f = fopen(path, "rb"))) {
		printf("Bail out! cannot open %s (run from the repository root)\n",
		    path);
		exit(1);
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_add(&sb, buf, n);
	fclose(f);
	*len = sb.len;
	return sb_detach(&sb);
}

/* Parse a fixture into l; a failure shows its message. */
static int
load(const char *name, struct vcard_list *l)
{
	struct crm_err err;
	size_t len;
	char *data = slurp(name, &len);
	int r = vcard_parse(data, len, name, l, &err);

	if (r < 0)
		printf("# %s\n", err.msg);
	free(data);
	return r;
}

/* ---- compact forms of fields, for one is_str() each ---- */

static void
esc(struct sbuf *sb, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			sb_adds(sb, "\\\\");
		else if (*s == '\n')
			sb_adds(sb, "\\n");
		else if (*s == '|')
			sb_adds(sb, "\\|");
		else
			sb_addc(sb, *s);
	}
}

static const char *
rotate(struct sbuf *sb)
{
	static char *keep[8];
	static unsigned next;
	char **slot = &keep[next++ % 8];

	free(*slot);
	*slot = sb_detach(sb);
	return *slot;
}

/* "value [types] pref", as make-vobject.py dumps them */
static const char *
vstr(const struct vcard_value *v, size_t n, size_t i)
{
	struct sbuf sb = SBUF_INIT;

	if (i >= n)
		return "(none)";
	esc(&sb, v[i].value);
	sb_printf(&sb, " [%s] %d", v[i].types, v[i].pref);
	return rotate(&sb);
}

/* "family|given|additional|prefixes|suffixes" */
static const char *
nstr(const struct vcard *c)
{
	struct sbuf sb = SBUF_INIT;

	esc(&sb, c->n.family);
	sb_addc(&sb, '|');
	esc(&sb, c->n.given);
	sb_addc(&sb, '|');
	esc(&sb, c->n.additional);
	sb_addc(&sb, '|');
	esc(&sb, c->n.prefixes);
	sb_addc(&sb, '|');
	esc(&sb, c->n.suffixes);
	return rotate(&sb);
}

/* "a|b|c" */
static const char *
cstr(const struct vcard *c)
{
	struct sbuf sb = SBUF_INIT;
	size_t i;

	for (i = 0; i < c->ncategories; i++) {
		if (i)
			sb_addc(&sb, '|');
		esc(&sb, c->categories[i]);
	}
	return rotate(&sb);
}

/* The whole list in make-vobject.py's dump form. */
static char *
dump(const struct vcard_list *l)
{
	struct sbuf sb = SBUF_INIT;
	size_t i, j;

	for (i = 0; i < l->len; i++) {
		const struct vcard *c = &l->v[i];

		sb_adds(&sb, "card\nfn: ");
		esc(&sb, c->fn);
		sb_printf(&sb, "\nn: %s\norg: ", nstr(c));
		esc(&sb, c->org);
		sb_addc(&sb, '\n');
		for (j = 0; j < c->ntel; j++)
			sb_printf(&sb, "tel: %s\n", vstr(c->tel, c->ntel, j));
		for (j = 0; j < c->nemail; j++)
			sb_printf(&sb, "email: %s\n", vstr(c->email, c->nemail, j));
		sb_printf(&sb, "bday: %s\ncategories: %s\nnote: ", c->bday, cstr(c));
		esc(&sb, c->note);
		sb_adds(&sb, "\nuid: ");
		esc(&sb, c->uid);
		sb_addc(&sb, '\n');
	}
	return sb_detach(&sb);
}

/* ---- the exporters ---- */

static void
test_android21(void)
{
	struct vcard_list l = VCARD_LIST_INIT;
	const struct vcard *c;

	is_int(load("android-21.vcf", &l), 0, "2.1 (Android): parsed");
	is_int(l.len, 2, "2.1: two contacts, the AGENT's vCard not one of them");
	if (l.len != 2)
		return;
	c = &l.v[0];
	is_int(c->line, 1, "2.1: first BEGIN:VCARD on line 1");
	is_str(c->fn, "Иван Петров", "2.1: FN in QUOTED-PRINTABLE UTF-8 over a soft line break");
	is_str(nstr(c), "Петров|Иван|||", "2.1: N in QUOTED-PRINTABLE");
	is_str(c->org, "Ромашка", "2.1: ORG");
	is_int(c->ntel, 3, "2.1: three TELs");
	is_str(vstr(c->tel, c->ntel, 0), "+79123456789 [cell] 1", "2.1: TEL;CELL;PREF");
	is_str(vstr(c->tel, c->ntel, 1), "+7 495 123-45-67 [home] 0", "2.1: TEL;HOME");
	is_str(vstr(c->tel, c->ntel, 2), "+7 495 123-45-68 [work,fax] 0", "2.1: TEL;WORK;FAX");
	is_str(vstr(c->email, c->nemail, 0), "ivan@example.ru [home] 0", "2.1: EMAIL;HOME");
	is_str(vstr(c->email, c->nemail, 1), "i.petrov@example.com [work] 0",
	    "2.1: EMAIL;INTERNET;WORK, internet dropped");
	is_str(c->bday, "1985-04-12", "2.1: BDAY 19850412");
	is_str(c->note, "Первая строка\nSecond line; with a semicolon\n"
	    "= sign, and a soft break with an  indent",
	    "2.1: NOTE: =0D=0A, soft breaks (blanks after '=' dropped, an indent kept), =3D");
	is_int(c->ncategories, 0, "2.1: no categories");
	is_str(c->uid, "", "2.1: no UID is \"\"");

	c = &l.v[1];
	is_int(c->line, 24, "2.1: second BEGIN:VCARD on line 24, after a base64 PHOTO");
	is_str(c->fn, "Ján Novák", "2.1: 8-bit UTF-8 without CHARSET");
	is_int(c->ntel, 2, "2.1: the AGENT's TEL is not the contact's");
	is_str(vstr(c->tel, c->ntel, 0), "0905 111 222 [voice,cell] 0", "2.1: TEL;VOICE;CELL");
	is_str(vstr(c->tel, c->ntel, 1), "02 1234 5678 [work] 0", "2.1: TEL;TYPE=WORK");
	is_str(vstr(c->email, c->nemail, 0), "jan.novak@example.sk [] 1",
	    "2.1: EMAIL;PREF;INTERNET");
	is_str(c->bday, "1970-01-01", "2.1: BDAY 1970-01-01");
	is_str(cstr(c), "Práca|Slovensko", "2.1: CATEGORIES");
	is_str(c->note, "Bare QUOTED-PRINTABLE, then 50% off",
	    "2.1: bare QUOTED-PRINTABLE; base64 lines without indent skipped");
	vcard_list_release(&l);
}

static void
test_charsets(void)
{
	struct vcard_list l = VCARD_LIST_INIT;
	const struct vcard *c;

	is_int(load("charsets-21.vcf", &l), 0, "charsets: parsed");
	is_int(l.len, 5, "charsets: five contacts");
	if (l.len != 5)
		return;
	c = &l.v[0];
	is_str(c->fn, "Иван Петров", "windows-1251, 8-bit");
	is_str(nstr(c), "Петров|Иван|Петрович||", "windows-1251 N");
	is_str(c->org, "ООО «Ромашка», Москва",
	    "windows-1251 in QUOTED-PRINTABLE, first ORG component");
	is_str(c->note, "Звонить после обеда,\nпо вторникам и четвергам; не раньше 14:00.",
	    "QUOTED-PRINTABLE then windows-1251, soft breaks inside a character's escape");
	is_str(vstr(c->tel, c->ntel, 0), "+7 912 345-67-89 [cell] 1", "windows-1251 card TEL");
	c = &l.v[1];
	is_str(c->fn, "Анна Сидорова", "KOI8-R (charset name in lower case)");
	is_str(cstr(c), "Друзья|Семья", "KOI8-R CATEGORIES");
	c = &l.v[2];
	is_str(c->fn, "Bjørn Ødegård", "ISO-8859-1");
	is_str(c->org, "Bærum Bakeri AS", "ISO-8859-1 ORG");
	c = &l.v[3];
	is_str(c->fn, "Ing. Ľubomír Ďurčanský", "ISO-8859-2 in QUOTED-PRINTABLE");
	is_str(nstr(c), "Ďurčanský|Ľubomír||Ing.|", "ISO-8859-2 N");
	is_str(c->note, "Žilina, Košice; Trenčín", "ISO-8859-2 NOTE");
	c = &l.v[4];
	is_str(c->fn, "Ján Novák", "CHARSET=UTF-8 with QUOTED-PRINTABLE");
	vcard_list_release(&l);
}

static void
test_google(void)
{
	struct vcard_list l = VCARD_LIST_INIT;
	const struct vcard *c;

	is_int(load("google-30.vcf", &l), 0, "3.0 (Google): parsed");
	is_int(l.len, 3, "3.0 Google: three contacts");
	if (l.len != 3)
		return;
	c = &l.v[0];
	is_str(c->fn, "Anna Sidorova", "Google: FN");
	is_str(nstr(c), "Sidorova|Anna|||", "Google: N");
	is_str(c->org, "Romashka LLC", "Google: ORG");
	is_int(c->ntel, 3, "Google: three TELs, item1.TEL among them");
	is_str(vstr(c->tel, c->ntel, 0), "+7 916 000-11-22 [cell] 0", "Google: TEL;TYPE=CELL");
	is_str(vstr(c->tel, c->ntel, 2), "+7 800 100-00-00 [] 0", "Google: grouped item1.TEL");
	is_str(vstr(c->email, c->nemail, 0), "anna@example.com [home] 0",
	    "Google: EMAIL;TYPE=INTERNET;TYPE=HOME");
	is_str(vstr(c->email, c->nemail, 1), "anna.sidorova@example.org [work] 0",
	    "Google: second EMAIL");
	is_str(c->bday, "--04-12", "Google: BDAY --0412");
	is_str(c->note, "Met at the fair, 2024.\nLikes tea; hates coffee.\nPath: C:\\temp",
	    "Google: NOTE with \\, \\; \\n \\\\");
	is_str(cstr(c), "Clients|myContacts", "Google: CATEGORIES");
	c = &l.v[1];
	is_int(c->line, 21, "Google: second contact at line 21");
	is_str(c->fn, "ACME Support", "Google: company contact FN");
	is_str(nstr(c), "||||", "Google: empty N");
	is_str(c->org, "ACME, Inc.", "Google: ORG with an escaped comma");
	c = &l.v[2];
	is_str(c->fn, "Dott.ssa Maria Rossi", "Google: empty FN made from N");
	is_str(vstr(c->tel, c->ntel, 0), "+39 06 1234 5678 [work,voice] 0",
	    "Google: TYPE=WORK,VOICE");
	is_str(c->bday, "1990-01-31", "Google: BDAY 1990-01-31");
	vcard_list_release(&l);
}

static void
test_apple(void)
{
	struct vcard_list l = VCARD_LIST_INIT;
	const struct vcard *c;

	is_int(load("apple-30.vcf", &l), 0, "3.0 (Apple): parsed");
	is_int(l.len, 2, "Apple: two contacts");
	if (l.len != 2)
		return;
	c = &l.v[0];
	is_str(c->fn, "Bjørn Ødegård", "Apple: FN");
	is_str(c->org, "Bærum Bakeri AS", "Apple: ORG with a department");
	is_str(vstr(c->tel, c->ntel, 0), "+47 912 34 567 [cell,voice] 1",
	    "Apple: type=CELL;type=VOICE;type=pref");
	is_str(vstr(c->tel, c->ntel, 1), "+47 22 12 34 56 [work,voice] 0", "Apple: work TEL");
	is_str(vstr(c->tel, c->ntel, 2), "+47 400 00 000 [] 0", "Apple: item3.TEL");
	is_str(vstr(c->email, c->nemail, 0), "bjorn@baerum.example [] 1",
	    "Apple: item1.EMAIL;type=INTERNET;type=pref");
	is_str(vstr(c->email, c->nemail, 1), "bjorn.o@example.no [home] 0", "Apple: home EMAIL");
	is_str(c->bday, "--05-17", "Apple: BDAY 1604 with X-APPLE-OMIT-YEAR is no year");
	is_str(c->note, "Blåbærsyltetøy, æøå\nAndre linje", "Apple: NOTE");
	is_str(cstr(c), "Venner|Bakere", "Apple: CATEGORIES after a folded base64 PHOTO");
	c = &l.v[1];
	is_str(c->fn, "Ing. Jana Nováková, PhD.", "Apple: FN with an escaped comma");
	is_str(nstr(c), "Nováková|Jana||Ing.|PhD.", "Apple: N with prefix and suffix");
	is_str(c->org, "Firma s.r.o.", "Apple: ORG with an empty department");
	is_str(vstr(c->tel, c->ntel, 0), "+421 905 123 456 [iphone,cell,voice] 0",
	    "Apple: type=IPHONE");
	is_str(c->bday, "1988-02-29", "Apple: BDAY;VALUE=date, a leap day");
	vcard_list_release(&l);
}

static void
test_khard40(void)
{
	struct vcard_list l = VCARD_LIST_INIT;
	const struct vcard *c;

	is_int(load("khard-40.vcf", &l), 0, "4.0 (khard, LF): parsed");
	is_int(l.len, 3, "4.0: three contacts");
	if (l.len != 3)
		return;
	c = &l.v[0];
	is_str(c->fn, "Ing. Ľubomír Ďurčanský", "4.0: no FN: made from N");
	is_str(c->uid, "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1", "4.0: UID");
	is_int(c->ntel, 3, "4.0: three TELs");
	is_str(vstr(c->tel, c->ntel, 0), "+421-905-123-456 [cell,voice] 1",
	    "4.0: TYPE=\"cell,voice\";PREF=1, tel: URI");
	is_str(vstr(c->tel, c->ntel, 1), "+421-41-562-1111 [work] 2", "4.0: PREF=2");
	is_str(vstr(c->tel, c->ntel, 2), "+421 41 000 0000 [home] 0", "4.0: text TEL");
	is_str(vstr(c->email, c->nemail, 0), "lubo@firma.example [work] 1", "4.0: EMAIL PREF=1");
	is_str(c->bday, "1985-03-15", "4.0: BDAY 19850315");
	is_str(c->org, "Žilinská mliekáreň, a.s.", "4.0: ORG");
	is_str(cstr(c), "klienti|VIP, zlatí|Žilina", "4.0: CATEGORIES, escaped comma, blanks trimmed");
	is_str(c->note, "Dlhá poznámka, ktorá je zalomená na viac riadkov, lebo je dlhšia "
	    "ako 75 oktetov. Druhý riadok\nTretí riadok.", "4.0: NOTE folded with a tab");
	c = &l.v[1];
	is_int(c->line, 20, "4.0: lower-case begin:vcard at line 20");
	is_str(c->fn, "Ola Nordmann", "4.0: lower-case property names");
	is_str(vstr(c->tel, c->ntel, 0), "+47 987 65 432 [cell] 0", "4.0: tel;type=cell");
	is_str(vstr(c->email, c->nemail, 0), "ola@example.no [] 0", "4.0: email");
	is_str(c->bday, "--01-01", "4.0: BDAY --0101");
	c = &l.v[2];
	is_str(c->bday, "1970-01-01", "4.0: BDAY 1970-01-01T00:00:00Z");
	is_str(c->note, "Første linje\nAndre linje\nFirst line", "4.0: two NOTEs joined");
	vcard_list_release(&l);
}

static void
test_folding(void)
{
	struct vcard_list l = VCARD_LIST_INIT;
	const struct vcard *c;

	is_int(load("folding.vcf", &l), 0, "folding: parsed");
	is_int(l.len, 3, "folding: three contacts, blank lines around them");
	if (l.len != 3)
		return;
	c = &l.v[0];
	is_int(c->line, 3, "folding: BEGIN on line 3, after blank lines");
	is_str(c->fn, "Иван Петров", "folded inside a UTF-8 character");
	is_str(vstr(c->tel, c->ntel, 0), "+7 912 345-67-89 [cell] 0",
	    "folded in the name, in a parameter and in the value");
	is_str(c->note, "one two three\n four",
	    "folded with a tab, and between a backslash and its n");
	c = &l.v[1];
	is_int(c->line, 20, "folding: LF line ends");
	is_str(vstr(c->email, c->nemail, 0), "a@example.com [] 0", "folding: LF fold");
	c = &l.v[2];
	is_str(c->fn, "Carriage returns", "folding: CR line ends");
	vcard_list_release(&l);
}

static void
test_bom(void)
{
	struct vcard_list l = VCARD_LIST_INIT;

	is_int(load("bom.vcf", &l), 0, "BOM: parsed");
	is_int(l.len, 1, "BOM: one contact");
	if (l.len == 1) {
		is_str(l.v[0].fn, "Zoë Brontë", "BOM: FN");
		is_int(l.v[0].line, 1, "BOM: on line 1");
	}
	vcard_list_release(&l);
	is_int(load("utf16.vcf", &l), 0, "UTF-16LE with its mark: parsed");
	is_int(l.len, 1, "UTF-16: one contact");
	if (l.len == 1) {
		is_str(l.v[0].fn, "Łukasz Żółć", "UTF-16: FN");
		is_str(vstr(l.v[0].tel, l.v[0].ntel, 0), "+48 600 000 000 [cell] 0",
		    "UTF-16: TEL");
	}
	vcard_list_release(&l);
}

static void
test_bday(void)
{
	static const char *const want[] = {
		"1970-01-01", "1970-01-01", "--01-01", "--01-01", "1970-01-01",
		"1953-10-15", "--05-17", "--05-17", "--05-17", "--02-29",
		"", "", "", "", "1970-01-01"
	};
	struct vcard_list l = VCARD_LIST_INIT;
	size_t i;

	is_int(load("bday.vcf", &l), 0, "BDAY forms: parsed");
	is_int(l.len, ARRAY_SIZE(want), "BDAY forms: one card each");
	for (i = 0; i < l.len && i < ARRAY_SIZE(want); i++)
		is_str(l.v[i].bday, want[i], "BDAY '%s'", l.v[i].fn);
	vcard_list_release(&l);
}

/* ---- python3-vobject ---- */

static void
test_vobject(void)
{
	struct vcard_list l = VCARD_LIST_INIT;
	size_t len;
	char *want = slurp("vobject.expect", &len), *got;

	is_int(load("vobject.vcf", &l), 0, "vobject: parsed");
	is_int(l.len, 4, "vobject: four contacts");
	got = dump(&l);
	is_str(got, want, "vobject: every field as vobject reads it");
	free(got);
	free(want);
	if (l.len == 4) {
		is_str(l.v[0].org, "ООО \"Ромашка\", Москва", "vobject: ORG, escaped comma");
		is_str(cstr(&l.v[0]), "Клиенты|VIP, золото|Москва",
		    "vobject: a category with a comma");
		is_str(vstr(l.v[1].tel, l.v[1].ntel, 0), "+421 905 123 456 [home] 2",
		    "vobject: PREF=2");
		is_str(l.v[1].note, "Čučoriedky; šťava, ťava\\ďateľ", "vobject: NOTE escapes");
		is_str(nstr(&l.v[3]), "Stevenson|John|Philip Paul|Dr.|Jr. M.D.",
		    "vobject: N components with several values");
		is_str(vstr(l.v[3].email, l.v[3].nemail, 0), "john@example.com [] 0",
		    "vobject: EMAIL after a long unfolded PHOTO");
	}
	vcard_list_release(&l);
}

/* ---- the writer ---- */

static const char long_note[] =
	"Встреча на выставке, 2024; интересуется оптом.\n"
	"Путь: C:\\Клиенты\\Петров\r\n"
	"Очень длинная строка, чтобы её пришлось свернуть: ёёёёёёёёёёёёёёёёёёёёёёёё";

/* The contacts of the writer and round-trip tests. */
static void
make_contacts(struct vcard_list *l)
{
	struct vcard *c;

	l->len = 0;
	ALLOC_GROW(l->v, 5, l->cap);
	memset(l->v, 0, 5 * sizeof(*l->v));
	l->len = 5;

	/* crm's case: one name, everything in FN. */
	c = &l->v[0];
	c->fn = xstrdup("Иван Петрович Петров");
	c->org = xstrdup("ООО \"Ромашка\", Москва; опт");
	vcard_add_tel(c, "+79123456789", "cell", 1);
	vcard_add_tel(c, "+74951234567", "work,voice", 0);
	vcard_add_email(c, "ivan@example.ru", "home", 0);
	vcard_add_email(c, "i.petrov@romashka.example", "work", 1);
	c->bday = xstrdup("1985-04-12");
	vcard_add_category(c, "Клиенты");
	vcard_add_category(c, "VIP, золото");
	vcard_add_category(c, "a;b\\c");
	c->note = xstrdup(long_note);
	c->uid = xstrdup("c1@crm.example.org");

	/* Structured parts set, no FN. */
	c = &l->v[1];
	c->n.family = xstrdup("Ďurčanský");
	c->n.given = xstrdup("Ľubomír");
	c->n.prefixes = xstrdup("Ing.");
	c->n.suffixes = xstrdup("PhD., MBA");
	vcard_add_tel(c, "+421 905 123 456", "home", 0);
	vcard_add_email(c, "lubo@example.sk", NULL, 0);
	c->bday = xstrdup("--03-15");
	c->note = xstrdup("Čučoriedky; šťava, ťava\\ďateľ\n\nÄ ô ŕ");
	c->uid = xstrdup("c2@crm.example.org");

	c = &l->v[2];
	c->fn = xstrdup("Bjørn Ødegård");
	c->n.family = xstrdup("Ødegård");
	c->n.given = xstrdup("Bjørn");
	c->org = xstrdup("Bærum Bakeri AS");
	vcard_add_tel(c, "+47 912 34 567", "cell", 0);
	vcard_add_tel(c, "+47 22 12 34 56", "work", 0);
	vcard_add_tel(c, "+47 400 00 000", NULL, 0);
	vcard_add_category(c, "Venner, gamle");
	vcard_add_category(c, "Bakere");
	c->note = xstrdup("Blåbærsyltetøy, æøå ÆØÅ");
	c->uid = xstrdup("c3@crm.example.org");

	/* Only a name. */
	c = &l->v[3];
	c->fn = xstrdup("Zoë");

	/* A comma in the name, a name long enough to fold. */
	c = &l->v[4];
	c->fn = xstrdup("Smith, John; Jr. — Ассоциация производителей молочной продукции");
	c->bday = xstrdup("2000-02-29");
	c->uid = xstrdup("c5@crm.example.org");
}

/*
 * Every physical line of s: CRLF, at most 75 octets, valid UTF-8, and
 * continuations starting with a space.  Returns the number of bad lines.
 */
static int
bad_lines(const char *s)
{
	int bad = 0;

	while (*s) {
		const char *e = strstr(s, "\r\n");
		size_t n = e ? (size_t)(e - s) : strlen(s);

		if (!e || n > 75 || memchr(s, '\n', n) || memchr(s, '\r', n) ||
		    !utf8_valid(s, n)) {
			printf("# bad line '%.*s'\n", (int)n, s);
			bad++;
		}
		s += n + (e ? 2 : 0);
	}
	return bad;
}

static void
test_writer(void)
{
	struct vcard_list l = VCARD_LIST_INIT, back = VCARD_LIST_INIT;
	struct sbuf out = SBUF_INIT;
	char *want, *vob, *got;
	size_t len, i;

	make_contacts(&l);
	for (i = 0; i < l.len; i++)
		vcard_write(&out, &l.v[i]);
#ifdef VCARD_REGEN
	{
		FILE *f = fopen(DATA "written.vcf", "wb");

		fwrite(out.buf, 1, out.len, f);
		fclose(f);
	}
#endif
	want = slurp("written.vcf", &len);
	is_str(sb_str(&out), want, "writer: the output as committed in written.vcf");
	is_int(bad_lines(sb_str(&out)), 0,
	    "writer: CRLF lines of at most 75 octets, UTF-8 characters whole");
	ok(strstr(sb_str(&out), "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Иван Петрович Петров\r\n"
	    "N:;Иван Петрович Петров;;;\r\nORG:ООО \"Ромашка\"\\, Москва\\; опт\r\n"
	    "TEL;TYPE=CELL,PREF:+79123456789\r\nTEL;TYPE=WORK,VOICE:+74951234567\r\n"
	    "EMAIL;TYPE=INTERNET,HOME:ivan@example.ru\r\n"
	    "EMAIL;TYPE=INTERNET,WORK,PREF:i.petrov@romashka.example\r\n"
	    "BDAY:1985-04-12\r\n"
	    "CATEGORIES:Клиенты,VIP\\, золото,a\\;b\\\\c\r\n") != NULL,
	    "writer: FN, N (all in the given name), ORG, TEL, EMAIL, BDAY, CATEGORIES");
	ok(strstr(sb_str(&out), "FN:Ing. Ľubomír Ďurčanský PhD.\\, MBA\r\n"
	    "N:Ďurčanský;Ľubomír;;Ing.;PhD.\\, MBA\r\n") != NULL,
	    "writer: FN made from structured N parts; N with them");
	ok(strstr(sb_str(&out), "BDAY:--03-15\r\n") != NULL, "writer: BDAY --MM-DD");
	ok(strstr(sb_str(&out), "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë\r\nN:;Zoë;;;\r\n"
	    "END:VCARD\r\n") != NULL, "writer: a card with a name only");
	ok(strstr(sb_str(&out), "TEL:+47 400 00 000\r\n") != NULL, "writer: TEL without types");
	ok(strstr(sb_str(&out), "EMAIL;TYPE=INTERNET:lubo@example.sk\r\n") != NULL,
	    "writer: EMAIL without types is TYPE=INTERNET");

	/* vobject read written.vcf once (make-vobject.py dump): our reader
	 * must see what it saw. */
	vob = slurp("written.vobject", &len);
	is_int(vcard_parse(want, strlen(want), "written.vcf", &back, NULL), 0,
	    "writer: its output parses");
	got = dump(&back);
	is_str(got, vob, "writer: read back as python3-vobject reads it");
	free(got);
	free(vob);
	free(want);
	vcard_list_release(&back);
	vcard_list_release(&l);
	sb_release(&out);
}

static void
test_writer_edges(void)
{
	struct vcard c = VCARD_INIT;
	struct sbuf out = SBUF_INIT;

	vcard_write(&out, &c);
	is_str(sb_str(&out), "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\r\nN:;;;;\r\nEND:VCARD\r\n",
	    "writer: an empty contact still has FN and N");
	sb_reset(&out);
	c.fn = xstrdup("Tab\there, bell\a, CRLF\r\nend");
	c.bday = xstrdup("12 May");
	vcard_add_tel(&c, "+1 555", "x-weird type;", 3);
	vcard_add_email(&c, "a@b.example", "INTERNET,work", 0);
	vcard_add_category(&c, "");
	vcard_write(&out, &c);
	is_str(sb_str(&out), "BEGIN:VCARD\r\nVERSION:3.0\r\n"
	    "FN:Tab here\\, bell\\, CRLF\\nend\r\n"
	    "N:;Tab here\\, bell\\, CRLF\\nend;;;\r\n"
	    "TEL;TYPE=X-WEIRDTYPE,PREF:+1 555\r\n"
	    "EMAIL;TYPE=INTERNET,WORK:a@b.example\r\n"
	    "END:VCARD\r\n",
	    "writer: tab a space, controls dropped, types cleaned, bad BDAY and empty category left out");
	vcard_release(&c);
	is_int(c.ntel, 0, "vcard_release() zeroes the contact");
	sb_release(&out);
}

/* parse(write(c)) gives c back, by the writer's documented rules. */
static void
test_roundtrip(void)
{
	struct vcard_list l = VCARD_LIST_INIT, back = VCARD_LIST_INIT;
	struct sbuf out = SBUF_INIT;
	struct crm_err err;
	size_t i, j;

	make_contacts(&l);
	for (i = 0; i < l.len; i++)
		vcard_write(&out, &l.v[i]);
	if (vcard_parse(out.buf, out.len, "out.vcf", &back, &err) < 0)
		printf("# %s\n", err.msg);
	is_int(back.len, l.len, "round trip: as many contacts");
	for (i = 0; i < l.len && i < back.len; i++) {
		const struct vcard *w = &l.v[i], *g = &back.v[i];
		char *disp = NULL;
		int parts = (w->n.family && *w->n.family) || (w->n.given && *w->n.given) ||
		    (w->n.prefixes && *w->n.prefixes) || (w->n.suffixes && *w->n.suffixes);
		const char *fn = w->fn;

		if (!fn) {
			struct sbuf sb = SBUF_INIT;

			sb_printf(&sb, "%s %s %s %s", w->n.prefixes, w->n.given,
			    w->n.family, w->n.suffixes);
			disp = sb_detach(&sb);
			fn = disp;
		}
		is_str(g->fn, fn, "round trip %zu: fn", i);
		if (parts) {
			is_str(g->n.family, w->n.family, "round trip %zu: family name", i);
			is_str(g->n.given, w->n.given, "round trip %zu: given name", i);
			is_str(g->n.prefixes, w->n.prefixes ? w->n.prefixes : "",
			    "round trip %zu: prefixes", i);
			is_str(g->n.suffixes, w->n.suffixes ? w->n.suffixes : "",
			    "round trip %zu: suffixes (with a comma)", i);
		} else {
			struct sbuf sb = SBUF_INIT;

			sb_addc(&sb, '|');
			esc(&sb, fn);
			sb_adds(&sb, "|||");
			is_str(nstr(g), rotate(&sb),
			    "round trip %zu: N read back with the name as given name", i);
		}
		free(disp);
		is_str(g->org, w->org ? w->org : "", "round trip %zu: org", i);
		is_int(g->ntel, w->ntel, "round trip %zu: as many phones", i);
		for (j = 0; j < w->ntel && j < g->ntel; j++)
			is_str(vstr(g->tel, g->ntel, j), vstr(w->tel, w->ntel, j),
			    "round trip %zu: phone %zu", i, j);
		is_int(g->nemail, w->nemail, "round trip %zu: as many e-mails", i);
		for (j = 0; j < w->nemail && j < g->nemail; j++)
			is_str(vstr(g->email, g->nemail, j), vstr(w->email, w->nemail, j),
			    "round trip %zu: e-mail %zu", i, j);
		is_str(g->bday, w->bday ? w->bday : "", "round trip %zu: bday", i);
		is_str(cstr(g), cstr(w), "round trip %zu: categories", i);
		is_str(g->uid, w->uid ? w->uid : "", "round trip %zu: uid", i);
	}
	/* The note of contact 0 has a CRLF, which comes back as LF. */
	if (back.len == l.len) {
		is_str(back.v[0].note, "Встреча на выставке, 2024; интересуется оптом.\n"
		    "Путь: C:\\Клиенты\\Петров\n"
		    "Очень длинная строка, чтобы её пришлось свернуть: ёёёёёёёёёёёёёёёёёёёёёёёё",
		    "round trip: a long Cyrillic note with , ; \\ and line ends");
		is_str(back.v[1].note, l.v[1].note, "round trip: a Slovak note, an empty line in it");
		is_str(back.v[2].note, l.v[2].note, "round trip: a Norwegian note");
		is_str(back.v[3].note, "", "round trip: no note");
	}
	vcard_list_release(&back);
	vcard_list_release(&l);
	sb_release(&out);
}

/* 3.0 has no PREF ranks: any pref comes back as 1. */
static void
test_pref_rank(void)
{
	struct vcard c = VCARD_INIT;
	struct vcard_list back = VCARD_LIST_INIT;
	struct sbuf out = SBUF_INIT;

	c.fn = xstrdup("Rank");
	vcard_add_tel(&c, "+1 555 0100", "cell", 2);
	vcard_write(&out, &c);
	is_int(vcard_parse(out.buf, out.len, "x", &back, NULL), 0, "pref 2: parsed back");
	if (back.len == 1)
		is_str(vstr(back.v[0].tel, back.v[0].ntel, 0), "+1 555 0100 [cell] 1",
		    "pref 2 is written as TYPE=PREF and reads back as 1");
	vcard_list_release(&back);
	vcard_release(&c);
	sb_release(&out);
}

/* ---- errors ---- */

static void
test_errors(void)
{
	static const struct {
		const char *in;
		size_t len;	/* 0: strlen(in) */
		const char *msg;
	} t[] = {
		{ "BEGIN:VCARD\r\nFN:x\r\n", 0,
		  "in.vcf:1: BEGIN:VCARD without END:VCARD" },
		{ "BEGIN:VCARD\nFN:a\nEND:VCARD\n\nBEGIN:VCARD\nFN:b\nBEGIN:VCARD\nFN:c\nEND:VCARD\n", 0,
		  "in.vcf:5: BEGIN:VCARD without END:VCARD" },
		{ "BEGIN:VCARD\nFN:a\nEND:VCARD\nEND:VCARD\n", 0,
		  "in.vcf:4: END:VCARD without BEGIN:VCARD" },
		{ "END:VCARD\n", 0,
		  "in.vcf:1: END:VCARD without BEGIN:VCARD" },
		{ "BEGIN:VCARD\nFN:a\nthis is not a property\nEND:VCARD\n", 0,
		  "in.vcf:3: not a vCard property 'this is not a property'" },
		{ "BEGIN:VCARD\nFN:a\nNOTE:line one\nline two\nEND:VCARD\n", 0,
		  "in.vcf:4: not a vCard property 'line two'" },
		{ "BEGIN:VCARD\nFN:a\nX FOO:bar\nEND:VCARD\n", 0,
		  "in.vcf:3: not a vCard property 'X FOO:bar'" },
		{ "BEGIN:VCARD\nFN:a\n:value\nEND:VCARD\n", 0,
		  "in.vcf:3: not a vCard property ':value'" },
		{ "BEGIN:VCARD\nitem1.:x\nEND:VCARD\n", 0,
		  "in.vcf:2: not a vCard property 'item1.:x'" },
		{ "name,email\nIvan,ivan@example.com\n", 0,
		  "in.vcf:1: not a vCard property 'name,email'" },
		{ "\n\nFN;CHARSET=UTF-8:Ivan\n", 0,
		  "in.vcf:3: 'FN:Ivan' outside BEGIN:VCARD and END:VCARD" },
		{ "BEGIN:VCARD\nFN;CHARSET=X-NO-SUCH:abc\nEND:VCARD\n", 0,
		  "in.vcf:2: unknown charset 'X-NO-SUCH'" },
		{ "BEGIN:VCARD\nFN;CHARSET=windows-1251:\x98\nEND:VCARD\n", 0,
		  "in.vcf:2: invalid windows-1251 text in FN" },
		{ "BEGIN:VCARD\nfn:caf\xe9\nEND:VCARD\n", 0,
		  "in.vcf:2: invalid UTF-8 in FN 'caf\\xe9'" },
		{ "BEGIN:VCARD\nNOTE;ENCODING=QUOTED-PRINTABLE:caf=E9\nEND:VCARD\n", 0,
		  "in.vcf:2: invalid UTF-8 in NOTE 'caf\\xe9'" },
		{ "BEGIN:VCARD\nN:\xd0\xbe\xd0;x\nEND:VCARD\n", 0,
		  "in.vcf:2: invalid UTF-8 in N '\xd0\xbe\\xd0;x'" },
		{ "BEGIN:VCARD\nFN:a\0b\nEND:VCARD\n", 27,
		  "in.vcf:2: NUL byte" },
		{ "BEGIN:VCARD\nNOTE;ENCODING=QUOTED-PRINTABLE:a=00b\nEND:VCARD\n", 0,
		  "in.vcf:2: NUL byte in NOTE" },
		{ "BEGIN:VCARD\nNOTE;ENCODING=b:@@@@\nEND:VCARD\n", 0,
		  "in.vcf:2: invalid base64 in NOTE" },
		{ "BEGIN:VCARD\nBDAY:1970-13-45\nEND:VCARD\n", 0,
		  "in.vcf:2: invalid BDAY '1970-13-45'" },
		{ "BEGIN:VCARD\nBDAY:--0230\nEND:VCARD\n", 0,
		  "in.vcf:2: invalid BDAY '--0230'" },
		{ "BEGIN:VCARD\nBDAY:0000-00-00\nEND:VCARD\n", 0,
		  "in.vcf:2: invalid BDAY '0000-00-00'" },
		{ "BEGIN:VCARD\nBDAY:12 May 1970\nEND:VCARD\n", 0,
		  "in.vcf:2: invalid BDAY '12 May 1970'" },
		{ "BEGIN:VCARD\nFN:a\nBDAY:19\n 70-13-01\nEND:VCARD\n", 0,
		  "in.vcf:3: invalid BDAY '1970-13-01'" },
		{ "BEGIN:VCARD\nAGENT:\nBEGIN:VCARD\nFN:x\n", 0,
		  "in.vcf:3: BEGIN:VCARD without END:VCARD" },
		{ "\xff\xfe" "B", 3,
		  "in.vcf: invalid UTF-16" },
	};
	static const char first[] = "BEGIN:VCARD\nFN:kept\nEND:VCARD\n";
	struct vcard_list l = VCARD_LIST_INIT;
	struct crm_err err;
	size_t i;

	/* A contact already in the list: a failed parse leaves it alone. */
	is_int(vcard_parse(first, strlen(first), "ok.vcf", &l, &err), 0,
	    "errors: a first file parsed");
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		size_t n = t[i].len ? t[i].len : strlen(t[i].in);
		int r;

		strcpy(err.msg, "(none)");
		r = vcard_parse(t[i].in, n, "in.vcf", &l, &err);
		is_int(r, -1, "error %zu returns -1", i);
		is_str(err.msg, t[i].msg, "error %zu: %s", i, q(t[i].msg));
	}
	is_int(l.len, 1, "errors: nothing added to the list, the first contact kept");
	if (l.len == 1)
		is_str(l.v[0].fn, "kept", "errors: the first contact intact");
	is_int(vcard_parse("END:VCARD\n", 10, NULL, &l, &err), -1, "error without a file name");
	is_str(err.msg, "stdin:1: END:VCARD without BEGIN:VCARD", "a NULL name is stdin");
	is_int(vcard_parse("END:VCARD\n", 10, "x", &l, NULL), -1, "a NULL err is fine");
	vcard_list_release(&l);
}

static void
test_empty(void)
{
	static const char second[] = "BEGIN:VCARD\nFN:second\nEND:VCARD\n";
	static const char blank[] = "\xef\xbb\xbf\r\n\n \t\n\r\n";
	static const char emptycard[] = "BEGIN:VCARD\nEND:VCARD\n";
	struct vcard_list l = VCARD_LIST_INIT;
	struct crm_err err;

	is_int(vcard_parse("", 0, "empty.vcf", &l, &err), 0, "an empty file is no error");
	is_int(l.len, 0, "an empty file has no contacts");
	is_int(vcard_parse(blank, strlen(blank), "blank.vcf", &l, &err), 0,
	    "a BOM and blank lines are no error");
	is_int(l.len, 0, "blank lines have no contacts");
	is_int(vcard_parse(emptycard, strlen(emptycard), "x", &l, &err), 0,
	    "an empty vCard");
	if (l.len == 1) {
		is_str(l.v[0].fn, "", "an empty vCard: fn is \"\"");
		is_str(nstr(&l.v[0]), "||||", "an empty vCard: N parts are \"\"");
		ok(l.v[0].note && l.v[0].uid && l.v[0].bday && l.v[0].org,
		    "an empty vCard: no NULL strings");
	}
	/* Parsing appends. */
	is_int(vcard_parse(second, strlen(second), "x", &l, &err), 0,
	    "a second parse");
	is_int(l.len, 2, "a second parse appends to the list");
	vcard_list_release(&l);
	is_int(l.len, 0, "vcard_list_release() empties the list");
}

static void
test_best(void)
{
	struct vcard c = VCARD_INIT;
	const struct vcard_value *b;

	ok(vcard_best(c.tel, 0, NULL) == NULL, "best of none is NULL");
	vcard_add_tel(&c, "1", "home,voice", 0);
	vcard_add_tel(&c, "2", "cell", 0);
	vcard_add_tel(&c, "3", "work", 2);
	vcard_add_tel(&c, "4", "Cell,voice", 2);
	b = vcard_best(c.tel, c.ntel, NULL);
	is_str(b ? b->value : NULL, "3", "best: the lowest PREF, first of equals");
	b = vcard_best(c.tel, c.ntel, "cell");
	is_str(b ? b->value : NULL, "4", "best: among equal PREFs, the cell one");
	b = vcard_best(c.tel, 2, "cell");
	is_str(b ? b->value : NULL, "2", "best: no PREF: the first cell one");
	b = vcard_best(c.tel, 2, "fax");
	is_str(b ? b->value : NULL, "1", "best: no such type: the first");
	ok(vcard_has_type(&c.tel[3], "CELL") && vcard_has_type(&c.tel[3], "voice") &&
	    !vcard_has_type(&c.tel[3], "cel") && !vcard_has_type(&c.tel[1], "voice"),
	    "vcard_has_type(): whole types, any case");
	vcard_release(&c);
}

int
main(void)
{
	test_android21();
	test_charsets();
	test_google();
	test_apple();
	test_khard40();
	test_folding();
	test_bom();
	test_bday();
	test_vobject();
	test_writer();
	test_writer_edges();
	test_roundtrip();
	test_pref_rank();
	test_errors();
	test_empty();
	test_best();
	return done_testing();
}
