#!/bin/sh
test_description='crm-add --import-vcard and --export-vcard, checked against python3-vobject'
. "$(dirname "$0")/lib.sh"

test_expect_success 'contacts written by vobject are imported' '
	$PY - <<-\EOF &&
	import vobject
	out = open("vobject.vcf", "w", newline="")
	for fn, org, tel, mail, bday, cats, note in [
	    ("Иван Петров", "Металлург", "+7 495 123-45-67", "ivan@metal.example",
	     "1971-03-14", ["steel", "export"], "Говорит быстро, звонить утром"),
	    ("Kari Nordmann", "Ølberg AS", "+47 22 33 44 55", "kari@olberg.example",
	     None, ["vip"], "Line one\nline two; with, punctuation"),
	    ("Štefan Žilinský", None, None, "stefan@tatra.example", "--07-02", [], None),
	]:
	    c = vobject.vCard()
	    c.add("fn").value = fn
	    c.add("n").value = vobject.vcard.Name(given=fn)
	    if org: c.add("org").value = [org]
	    if tel:
	        t = c.add("tel"); t.value = tel; t.type_param = "CELL"
	    e = c.add("email"); e.value = mail; e.type_param = "INTERNET"
	    if bday: c.add("bday").value = bday
	    if cats: c.add("categories").value = cats
	    if note: c.add("note").value = note
	    out.write(c.serialize())
	EOF
	crm-add -d store --import-vcard vobject.vcf >ids &&
	printf "c1\nc2\nc3\n" >expect &&
	test_cmp expect ids &&
	crm-add -d store --list --json >list &&
	$PY -c "
import json
rows = [json.loads(l) for l in open(\"list\")]
assert [r[\"name\"] for r in rows] == [\"Иван Петров\", \"Kari Nordmann\", \"Štefan Žilinský\"], rows
assert rows[0][\"phone\"] == \"+74951234567\" and rows[0][\"company\"] == \"Металлург\", rows[0]
assert rows[0][\"tags\"] == \"steel;export\" and rows[0][\"birthday\"] == \"1971-03-14\", rows[0]
assert rows[1][\"note\"] == \"Line one\nline two; with, punctuation\", rows[1]
assert rows[2][\"birthday\"] == \"--07-02\" and rows[2][\"phone\"] == \"\", rows[2]
"
'

test_expect_success 'the export is read by vobject, field by field' '
	crm-add -d store --update kari --set city=Trondheim >/dev/null &&
	crm-add -d store --export-vcard >out.vcf &&
	$PY -c "
import vobject
cards = list(vobject.readComponents(open(\"out.vcf\", newline=\"\").read()))
assert len(cards) == 3, len(cards)
c = cards[0]
assert c.version.value == \"3.0\"
assert c.fn.value == \"Иван Петров\", c.fn.value
assert c.org.value == [\"Металлург\"], c.org.value
assert c.tel.value == \"+74951234567\"
assert c.email.value == \"ivan@metal.example\"
assert c.categories.value == [\"steel\", \"export\"], c.categories.value
assert cards[1].note.value == \"Line one\nline two; with, punctuation\", cards[1].note.value
"
'

test_expect_success 'lines are folded at 75 octets, CRLF, never inside a character' '
	$PY -c "
data = open(\"out.vcf\", \"rb\").read()
assert data.endswith(b\"\r\n\")
for line in data.split(b\"\r\n\")[:-1]:
    assert len(line) <= 75, line
    line.decode(\"utf-8\")
"
'

test_expect_success 'export and import into a fresh store: the same customers.csv' '
	crm-add -d copy --import-vcard out.vcf >/dev/null &&
	test_cmp store/customers.csv copy/customers.csv
'

test_expect_success 'a contact already there: the whole import is refused' '
	printf "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:New One\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kari N.\r\nEMAIL:KARI@olberg.example\r\nEND:VCARD\r\n" >dup.vcf &&
	test_fails_cleanly 1 "crm-add: dup.vcf:5: duplicate of c2 '"'"'Kari Nordmann'"'"' (same email)" \
		crm-add -d store --import-vcard dup.vcf
'

test_expect_success 'a broken file names the line' '
	printf "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:A\r\n" >broken.vcf &&
	test_expect_code 1 crm-add -d store --import-vcard broken.vcf 2>err &&
	grep "^crm-add: broken.vcf:1: " err
'

test_expect_success 'a 2.1 file in windows-1251 with quoted-printable' '
	$PY -c "
import sys
name = \"Пётр Сидоров\".encode(\"cp1251\")
qp = \"\".join(\"=%02X\" % b for b in \"Москва, ул. Ленина\".encode(\"cp1251\"))
sys.stdout.buffer.write(b\"BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=windows-1251:\" + name +
    b\"\r\nNOTE;CHARSET=windows-1251;ENCODING=QUOTED-PRINTABLE:\" + qp.encode() +
    b\"\r\nTEL;CELL;PREF:+7 (913) 000-22-33\r\nEND:VCARD\r\n\")
" >win.vcf &&
	crm-add -d store --import-vcard win.vcf >id &&
	crm-add -d store --list --json | tail -n 1 >last &&
	$PY -c "
import json
r = json.loads(open(\"last\").read())
assert r[\"name\"] == \"Пётр Сидоров\", r
assert r[\"note\"] == \"Москва, ул. Ленина\", r
assert r[\"phone\"] == \"+79130002233\", r
"
'

test_done
