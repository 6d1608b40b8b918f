#!/bin/sh
test_description='crm-add --import: CSV and JSON Lines, files and stdin, all or nothing, every bad row, a 1,000-customer round trip'
. "$(dirname "$0")/lib.sh"

CRM_DIR=store
export CRM_DIR
SQ="'"
HDR=id,name,company,email,phone,owner,tier,industry,stage,source,birthday,tags,created

test_expect_success 'import a CSV file: the new ids are printed' '
	cat >in.csv <<-\EOF &&
	name,company,email,phone,tier,stage,tags
	Ivan Petrov,"Metallurg, OAO",ivan@metal.example,+7 495 123-45-67,KEY,Customer,"steel, export;steel"
	Anna Berg,,anna@berg.example,,,,
	EOF
	crm-add --import in.csv >out 2>err &&
	test_must_be_empty err &&
	printf "%s\n" c1 c2 >expect && test_cmp expect out &&
	cat >expect <<-EOF &&
	$HDR
	c1,Ivan Petrov,"Metallurg, OAO",ivan@metal.example,+74951234567,tester,key,,customer,,,steel;export,2026-11-23
	c2,Anna Berg,,anna@berg.example,,tester,,,,,,,2026-11-23
	EOF
	test_cmp expect store/customers.csv
'

test_expect_success 'an id, owner and created in the input are kept; other columns become the user'"'"'s own' '
	cat >in.csv <<-\EOF &&
	region,name,id,owner,created,Tier
	north,Old Customer,old-1,boris,2019-03-04,gold
	,Older,old-2,,2018-01-01,
	EOF
	crm-add --import in.csv >out &&
	printf "%s\n" old-1 old-2 >expect && test_cmp expect out &&
	cat >expect <<-EOF &&
	$HDR,region,Tier
	c1,Ivan Petrov,"Metallurg, OAO",ivan@metal.example,+74951234567,tester,key,,customer,,,steel;export,2026-11-23,,
	c2,Anna Berg,,anna@berg.example,,tester,,,,,,,2026-11-23,,
	old-1,Old Customer,,,,boris,,,,,,,2019-03-04,north,gold
	old-2,Older,,,,tester,,,,,,,2018-01-01,,
	EOF
	test_cmp expect store/customers.csv
'

test_expect_success 'the next id after imported ids' '
	echo "name
Next" | crm-add --import >out &&
	echo c3 >expect && test_cmp expect out
'

test_expect_success 'standard input, "-", several files, and JSON Lines' '
	CRM_DIR=multi && export CRM_DIR &&
	printf "name\nFrom File\n" >one.csv &&
	printf "{\"name\":\"From JSON\",\"vip\":true,\"n\":1.5,\"z\":null}\n\n{\"email\":\"j2@x.example\",\"name\":\"JSON Two\"}\n" >two.jsonl &&
	printf "name,email\nFrom Stdin,s@x.example\n" | crm-add --import one.csv - two.jsonl >out &&
	printf "%s\n" c1 c2 c3 c4 >expect && test_cmp expect out &&
	cat >expect <<-EOF &&
	$HDR,vip,n,z
	c1,From File,,,,tester,,,,,,,2026-11-23,,,
	c2,From Stdin,,s@x.example,,tester,,,,,,,2026-11-23,,,
	c3,From JSON,,,,tester,,,,,,,2026-11-23,true,1.5,
	c4,JSON Two,,j2@x.example,,tester,,,,,,,2026-11-23,,,
	EOF
	test_cmp expect multi/customers.csv &&
	printf "name\nStdin Alone\n" | crm-add --import >out &&
	echo c5 >expect && test_cmp expect out
'

test_expect_success 'a header alone adds nobody; an empty input adds nobody' '
	CRM_DIR=hdr && export CRM_DIR &&
	printf "name,email\n" | crm-add --import >out &&
	test_must_be_empty out &&
	: | crm-add --import >out &&
	test_must_be_empty out &&
	crm-add --list >out &&
	echo "$HDR" >expect && test_cmp expect out
'

# ---------------------------------------------------------------- all or nothing

test_expect_success 'a bad row on line 7 of 10: exit 1, line 7 named, store unchanged' '
	crm-add -d aon --name "Already Here" >/dev/null &&
	CRM_DIR=aon && export CRM_DIR &&
	{
		echo name,email &&
		for i in 1 2 3 4 5; do echo "Row $i,row$i@x.example"; done &&
		echo "Row 6,not-an-email" &&
		for i in 7 8 9; do echo "Row $i,row$i@x.example"; done
	} >rows.csv &&
	test $(wc -l <rows.csv) = 10 &&
	test_fails_cleanly 1 "crm-add: rows.csv:7: invalid email ${SQ}not-an-email${SQ}" \
		crm-add --import rows.csv &&
	crm-add --list | cut -d, -f2 >names &&
	printf "%s\n" name "Already Here" >expect && test_cmp expect names
'

test_expect_success 'a bad second file rejects the first file too' '
	CRM_DIR=aon && export CRM_DIR &&
	printf "name\nGood One\n" >good.csv &&
	printf "name,tier\nBad One,gold\n" >bad.csv &&
	test_fails_cleanly 1 "crm-add: bad.csv:2: invalid tier ${SQ}gold${SQ} (one of: vip, key, regular, small)" \
		crm-add --import good.csv bad.csv
'

test_expect_success 'a file that cannot be read rejects the import' '
	CRM_DIR=aon && export CRM_DIR &&
	test_fails_cleanly 1 "crm-add: missing.csv: No such file or directory" \
		crm-add --import good.csv missing.csv
'

# ---------------------------------------------------------------- bad rows
# Each bad input in a file of its own, with the line it is on named.

bad_import () {
	# bad_import NAME MESSAGE: import NAME.csv (made by the caller)
	test_fails_cleanly 1 "crm-add: $1:$2" crm-add --import "$1"
}

CRM_DIR=bad

test_expect_success 'setup: a store with one customer' '
	crm-add --name "Ivan Petrov" --company Metallurg --email ivan@metal.example \
		--phone "+7 495 1234567" --id c1 >/dev/null
'

test_expect_success 'a missing required field (an empty name)' '
	printf "name,email\nOk,ok@x.example\n,empty@x.example\n" >f.csv &&
	bad_import f.csv "3: a customer needs a name"
'

test_expect_success 'a missing required column (no name column)' '
	printf "company,email\nAcme,a@x.example\n" >f.csv &&
	bad_import f.csv "1: no ${SQ}name${SQ} column"
'

test_expect_success 'a missing column in a row (fewer fields than the header)' '
	printf "name,email\nOk,ok@x.example\nShort\n" >f.csv &&
	bad_import f.csv "3: 1 field where the header has 2"
'

test_expect_success 'an extra field in a row' '
	printf "name,email\nLong,l@x.example,extra\n" >f.csv &&
	bad_import f.csv "2: 3 fields where the header has 2"
'

test_expect_success 'an unterminated quote' '
	printf "name,company\nOk,Acme\nOpen,\"Acme\nMore,Stuff\n" >f.csv &&
	bad_import f.csv "3: unterminated quoted field"
'

test_expect_success 'a stray quote' '
	printf "name,company\nOk,Ac\"me\n" >f.csv &&
	bad_import f.csv "2: malformed quoted field (a quote inside a field must be doubled, and nothing may follow the closing quote but a comma)"
'

test_expect_success 'invalid UTF-8' '
	printf "name,company\nOk,Acme\nIv\377n,Acme\n" >f.csv &&
	bad_import f.csv "3: invalid UTF-8 (byte 0xff at column 3)"
'

test_expect_success 'Latin-1 instead of UTF-8' '
	printf "name\nJ\370rgen\n" >f.csv &&
	bad_import f.csv "2: invalid UTF-8 (byte 0xf8 at column 2)"
'

test_expect_success 'a NUL byte' '
	printf "name\nNul\000Byte\n" >f.csv &&
	bad_import f.csv "2: NUL byte in the data"
'

test_expect_success 'a line break inside a one-line field' '
	printf "name,company\nOk,\"Two\nLines\"\n" >f.csv &&
	bad_import f.csv "2: company may not contain control characters or line breaks: ${SQ}Two\\nLines${SQ}"
'

test_expect_success 'an invalid email, phone, tier and stage' '
	printf "name,email\nX,x@\n" >f.csv &&
	bad_import f.csv "2: invalid email ${SQ}x@${SQ}" &&
	printf "name,phone\nX,call me\n" >f.csv &&
	bad_import f.csv "2: invalid phone ${SQ}call me${SQ} (digits, spaces, - . / ( ) and a leading +; 3 to 15 digits)" &&
	printf "name,tier\nX,platinum\n" >f.csv &&
	bad_import f.csv "2: invalid tier ${SQ}platinum${SQ} (one of: vip, key, regular, small)" &&
	printf "name,stage\nX,churned\n" >f.csv &&
	bad_import f.csv "2: invalid stage ${SQ}churned${SQ} (one of: lead, prospect, customer, inactive, lost)"
'

test_expect_success 'impossible dates in birthday and created' '
	for d in 2026-02-30 2026-13-01 0000-00-00 99999-01-01; do
		printf "name,birthday\nX,%s\n" $d >f.csv &&
		bad_import f.csv "2: invalid birthday ${SQ}$d${SQ} (YYYY-MM-DD, or --MM-DD without the year)" ||
		exit 1
		printf "name,created\nX,%s\n" $d >f.csv &&
		bad_import f.csv "2: invalid date ${SQ}$d${SQ} in created" ||
		exit 1
	done
'

test_expect_success 'a duplicate of a stored customer: same email, phone, name and company' '
	printf "name,email\nOther,IVAN@metal.example\n" >f.csv &&
	bad_import f.csv "2: duplicate of c1 ${SQ}Ivan Petrov${SQ} (same email)" &&
	printf "name,phone\nOther,+74951234567\n" >f.csv &&
	bad_import f.csv "2: duplicate of c1 ${SQ}Ivan Petrov${SQ} (same phone)" &&
	printf "name,company\nivan petrov,metallurg\n" >f.csv &&
	bad_import f.csv "2: duplicate of c1 ${SQ}Ivan Petrov${SQ} (same name and company)"
'

test_expect_success 'a duplicate within the file names the earlier line' '
	printf "name,email\nA,a@x.example\nB,b@x.example\nC,A@X.EXAMPLE\n" >f.csv &&
	bad_import f.csv "4: duplicate of line 2 (same email)" &&
	printf "name,phone\nA,555 0100\nB,555-0100\n" >f.csv &&
	bad_import f.csv "3: duplicate of line 2 (same phone)" &&
	printf "name,company\nA,X\nB,Y\na,x\n" >f.csv &&
	bad_import f.csv "4: duplicate of line 2 (same name and company)"
'

test_expect_success 'an id in use, twice in the file, or invalid' '
	printf "id,name\nc1,Someone\n" >f.csv &&
	bad_import f.csv "2: id ${SQ}c1${SQ} is already used by ${SQ}Ivan Petrov${SQ}" &&
	printf "id,name\nk1,A\nk1,B\n" >f.csv &&
	bad_import f.csv "3: id ${SQ}k1${SQ} is already used on line 2" &&
	printf "id,name\nk 1,A\n" >f.csv &&
	bad_import f.csv "2: invalid id ${SQ}k 1${SQ} (letters, digits, ${SQ}.${SQ}, ${SQ}_${SQ} and ${SQ}-${SQ}, at most 32)"
'

test_expect_success 'a column twice in the header' '
	printf "name,email,name\nA,a@x.example,B\n" >f.csv &&
	bad_import f.csv "1: column ${SQ}name${SQ} appears twice in the header"
'

test_expect_success 'JSON Lines: bad JSON, not an object, an array value, a duplicate key' '
	printf "{\"name\":\"A\"}\n{\"name\":\n" >f.jsonl &&
	bad_import f.jsonl "2: invalid JSON: unexpected token near end of file" &&
	printf "{\"name\":\"A\"}\n[\"B\"]\n" >f.jsonl &&
	bad_import f.jsonl "2: not a JSON object" &&
	printf "{\"name\":\"A\",\"tags\":[\"x\"]}\n" >f.jsonl &&
	bad_import f.jsonl "1: field ${SQ}tags${SQ} holds an array; only strings, numbers, true, false and null are accepted" &&
	printf "{\"name\":\"A\",\"name\":\"B\"}\n" >f.jsonl &&
	bad_import f.jsonl "1: invalid JSON: duplicate object key near ${SQ}\"name\"${SQ}"
'

test_expect_success 'a bad row on standard input is named stdin' '
	printf "name,email\nX,bad\n" >f.csv &&
	test_fails_cleanly 1 "crm-add: stdin:2: invalid email ${SQ}bad${SQ}" \
		sh -c "crm-add --import <f.csv"
'

test_expect_success 'field options do not go with --import' '
	test_fails_cleanly 2 "crm-add: --import takes the fields from the file, not from --name
Try ${SQ}crm-add --help${SQ} for more information." crm-add --import --name X in.csv
'

# ---------------------------------------------------------------- round trip

CRM_DIR=store

# 1,000 customers: names in Cyrillic, Slovak and Norwegian, commas and
# quotes in company names, a note over two lines in a column of the
# user's own.
gen_thousand () {
	awk 'BEGIN {
		split("Иван Пётр Ľubomír Štefan Åse Bjørn Zoë Ñuño Мария Ødegård", first, " ")
		split("Петров Сидорова Šťastný Kováčová Ødegård Ærø O\047Brien Müller Žák Ørsted", last, " ")
		n = split("Acme, Inc.|\"Quoted\" Ltd|Smith, Jones & Co|Øl og Brød AS|ООО \"Ромашка\"|Žilina, s.r.o.|plain|", comp, "|")
		split("vip key regular small", tiers, " ")
		print "name,company,email,phone,tier,stage,tags,birthday,notes"
		for (i = 1; i <= 1000; i++) {
			c = comp[i % n + 1]
			gsub(/"/, "\"\"", c)
			t = i % 5 == 0 ? "" : tiers[i % 4 + 1]
			printf "%s %s %d,\"%s\",user%d@example.com,+421 900 %06d,%s,lead,\"t%d;x\",19%02d-0%d-1%d,\"line one\nline, two\"\n",
			    first[i % 10 + 1], last[int(i / 10) % 10 + 1], i, c, i, i, t,
			    i % 3, i % 100, i % 9 + 1, i % 10
		}
	}'
}

test_expect_success 'setup: 1,000 customers with Cyrillic, Slovak and Norwegian names' '
	gen_thousand >thousand.csv &&
	test $(grep -c "@example.com" thousand.csv) = 1000 &&
	grep "^Bjørn Ødegård " thousand.csv >/dev/null &&
	grep "\"\"Quoted\"\" Ltd" thousand.csv >/dev/null &&
	grep "ООО \"\"Ромашка\"\"" thousand.csv >/dev/null &&
	grep "O${SQ}Brien" thousand.csv >/dev/null
'

test_expect_success 'round trip: CSV in, --list --json out, into a fresh store: customers.csv byte-identical' '
	crm-add -d rt1 --import thousand.csv >ids &&
	test $(wc -l <ids) = 1000 &&
	crm-add -d rt1 --list --json >list.jsonl &&
	test $(wc -l <list.jsonl) = 1000 &&
	crm-add -d rt2 --import list.jsonl >ids2 &&
	test_cmp ids ids2 &&
	cmp rt1/customers.csv rt2/customers.csv
'

test_expect_success 'round trip: --list --csv into a fresh store: byte-identical' '
	crm-add -d rt1 --list --csv >list.csv &&
	crm-add -d rt3 --import list.csv >ids3 &&
	test_cmp ids ids3 &&
	cmp rt1/customers.csv rt3/customers.csv
'

test_expect_success 'round trip: the JSON is valid and the names survive' '
	$PY -c "
import csv, json
rows = [json.loads(l) for l in open(\"list.jsonl\", encoding=\"utf-8\")]
src = list(csv.DictReader(open(\"thousand.csv\", encoding=\"utf-8\", newline=\"\")))
assert len(rows) == len(src) == 1000
for r, s in zip(rows, src):
    assert r[\"name\"] == s[\"name\"], (r, s)
    assert r[\"company\"] == s[\"company\"], (r, s)
    assert r[\"notes\"] == s[\"notes\"] == \"line one\nline, two\"
    assert r[\"phone\"] == \"+421900\" + s[\"phone\"][-6:]
"
'

test_done
