#!/bin/sh
test_description='crm-add: adding customers, every field option, the store, --list, --complete and every refusal'
. "$(dirname "$0")/lib.sh"

CRM_DIR=store
export CRM_DIR
SQ="'"
HDR=id,name,company,email,phone,owner,tier,industry,stage,source,birthday,tags,created

# ---------------------------------------------------------------- help

test_expect_success '--help prints the usage on stdout and exits 0' '
	crm-add --help >out 2>err &&
	test_must_be_empty err &&
	head -n 1 out >first &&
	echo "usage: crm-add --name NAME [--company C] [--email E] [--phone P]" >expect &&
	test_cmp expect first
'

test_expect_success '-h is --help' '
	crm-add --help >expect &&
	crm-add -h >out 2>err &&
	test_must_be_empty err &&
	test_cmp expect out
'

test_expect_success '--help names every option' '
	crm-add --help >out &&
	for o in --name --company --email --phone --owner --tier --industry \
		--stage --source --birthday --tag --untag --id --set --to \
		--import --import-vcard --export-vcard --update --reassign --list \
		--complete --dir --today \
		--csv --json --table --safe --help --version; do
		grep -e "$o" out >/dev/null || { echo "no $o in --help"; exit 1; }
	done
'

test_expect_success '--version' '
	crm-add --version >out 2>err &&
	test_must_be_empty err &&
	grep -E "^crm-add \(crm\) [0-9]+\.[0-9]+\.[0-9]+$" out
'

test_expect_success '--help to a full disk is a write error' '
	test_expect_code 1 crm-add --help >/dev/full 2>err &&
	echo "crm-add: write error: No space left on device" >expect &&
	test_cmp expect err
'

test_expect_success 'nothing created by --help, --version or a usage error' '
	crm-add --help >/dev/null && crm-add --version >/dev/null &&
	test_expect_code 2 crm-add --bogus 2>/dev/null &&
	test ! -e store
'

# ---------------------------------------------------------------- adding

test_expect_success 'add one customer: the id is printed, the row written' '
	crm-add --name "Ivan Petrov" >out 2>err &&
	test_must_be_empty err &&
	echo c1 >expect && test_cmp expect out &&
	cat >expect <<-EOF &&
	$HDR
	c1,Ivan Petrov,,,,tester,,,,,,,2026-11-23
	EOF
	test_cmp expect store/customers.csv
'

test_expect_success 'every field option, normalised as crm(7) says' '
	crm-add -n "  Anna Berg " --company "Berg, Söhne & Co" \
		--email " anna@berg.example " --phone "+7 (495) 123-45-67" \
		--owner eva --tier VIP --industry steel --stage Customer \
		--source c1 --birthday 1980-05-04 --tag steel --tag "big fish" \
		--tag steel --set city=Москва --set "region=north east" >out &&
	echo c2 >expect && test_cmp expect out &&
	cat >expect <<-EOF &&
	$HDR,city,region
	c1,Ivan Petrov,,,,tester,,,,,,,2026-11-23,,
	c2,Anna Berg,"Berg, Söhne & Co",anna@berg.example,+74951234567,eva,vip,steel,customer,c1,1980-05-04,steel;big fish,2026-11-23,Москва,north east
	EOF
	test_cmp expect store/customers.csv
'

test_expect_success '--id gives the id; the next c<N> is one more than the largest' '
	crm-add --name "Kari Nordmann" --id c10 >out &&
	echo c10 >expect && test_cmp expect out &&
	crm-add --name "Own Id" --id "k.nord_1-x" >out &&
	echo k.nord_1-x >expect && test_cmp expect out &&
	crm-add --name "Next One" >out &&
	echo c11 >expect && test_cmp expect out
'

test_expect_success 'a birthday without the year (--MM-DD), and on Feb 29' '
	crm-add --name "No Year" --birthday --02-29 >out &&
	tail -n 1 store/customers.csv >row &&
	echo "$(cat out),No Year,,,,tester,,,,,--02-29,,2026-11-23,," >expect &&
	test_cmp expect row
'

test_expect_success '--set of a standard column sets that field' '
	crm-add --name "Set Std" --set tier=small --set email=s@x.example >/dev/null &&
	tail -n 1 store/customers.csv >row &&
	grep ",Set Std,,s@x.example,,tester,small," row
'

test_expect_success '--today and $CRM_TODAY give the created date' '
	crm-add --name "Dated One" --today 2025-01-02 >/dev/null &&
	CRM_TODAY=2024-02-29 crm-add --name "Dated Two" >/dev/null &&
	grep "^c[0-9]*,Dated One,.*,2025-01-02,,$" store/customers.csv &&
	grep "^c[0-9]*,Dated Two,.*,2024-02-29,,$" store/customers.csv
'

test_expect_success '$CRM_USER is the default owner' '
	CRM_USER=boris crm-add --name "Owned By Boris" >/dev/null &&
	grep "^c[0-9]*,Owned By Boris,,,,boris," store/customers.csv
'

test_expect_success 'the same name with another company is no duplicate' '
	crm-add --name "Ivan Petrov" --company Other >out &&
	test -s out
'

test_expect_success 'two people of one name are told apart by their e-mails' '
	crm-add --name "Jan Novak" --email jan1@example.com >/dev/null &&
	crm-add --name "Jan Novak" --email jan2@example.com >/dev/null &&
	test $(grep -c ",Jan Novak," store/customers.csv) = 2
'

# ---------------------------------------------------------------- the store

test_expect_success '--dir, $CRM_DIR, $XDG_DATA_HOME and ~/.local/share/crm' '
	crm-add -d d1 --name A >/dev/null &&
	crm-add --dir d2 --name B >/dev/null &&
	CRM_DIR=d3 crm-add --name C >/dev/null &&
	env -u CRM_DIR XDG_DATA_HOME="$PWD/xdg" crm-add --name D >/dev/null &&
	env -u CRM_DIR crm-add --name E >/dev/null &&
	CRM_DIR=d3 crm-add -d d4 --name F >/dev/null &&
	grep "^c1,A," d1/customers.csv && grep "^c1,B," d2/customers.csv &&
	grep "^c1,C," d3/customers.csv && grep "^c1,D," xdg/crm/customers.csv &&
	grep "^c1,E," "$HOME/.local/share/crm/customers.csv" &&
	grep "^c1,F," d4/customers.csv && test $(wc -l <d3/customers.csv) = 2
'

test_expect_success 'the store is created 0700 and its files 0600, even with umask 000' '
	(umask 000 && crm-add -d private/deep/store --name A >/dev/null &&
	 crm-log -d private/deep/store c1 call) &&
	stat -c "%a %n" private private/deep private/deep/store \
		private/deep/store/customers.csv private/deep/store/log.csv >modes &&
	cat >expect <<-EOF &&
	700 private
	700 private/deep
	700 private/deep/store
	600 private/deep/store/customers.csv
	600 private/deep/store/log.csv
	EOF
	test_cmp expect modes
'

test_expect_success 'a rewrite keeps customers.csv 0600 and leaves no temporary file' '
	(umask 000 && crm-add -d private/deep/store --name B >/dev/null) &&
	stat -c %a private/deep/store/customers.csv >mode &&
	echo 600 >expect && test_cmp expect mode &&
	ls -A private/deep/store >files &&
	printf "%s\n" .lock customers.csv log.csv >expect &&
	test_cmp expect files
'

test_expect_success 'a store others can read gets a warning on stderr, and works' '
	crm-add -d open --name A >/dev/null &&
	chmod 755 open &&
	crm-add -d open --name B >out 2>err &&
	echo c2 >expect && test_cmp expect out &&
	echo "crm-add: warning: open is open to other users (mode 0755); customer data is personal data: chmod 700 open" >expect &&
	test_cmp expect err &&
	crm-add -d open --list >/dev/null 2>err &&
	test_cmp expect err
'

test_expect_success 'a customers.csv others can read gets a warning too' '
	chmod 700 open && chmod 644 open/customers.csv &&
	crm-add -d open --list >/dev/null 2>err &&
	echo "crm-add: warning: open/customers.csv is open to other users (mode 0644); customer data is personal data: chmod 600 open/customers.csv" >expect &&
	test_cmp expect err
'

test_expect_success 'a store that is a file is an error' '
	echo x >afile &&
	test_expect_code 1 crm-add -d afile --name A 2>err &&
	echo "crm-add: afile is not a directory" >expect &&
	test_cmp expect err
'

# ---------------------------------------------------------------- refusals
# Each: the exit status, the exact message, nothing on stdout, and the
# store byte for byte as it was (test_fails_cleanly).

test_expect_success 'no --name is a usage error' '
	test_fails_cleanly 2 "crm-add: a new customer needs --name
Try ${SQ}crm-add --help${SQ} for more information." crm-add --company X
'

test_expect_success 'an empty or blank name' '
	test_fails_cleanly 1 "crm-add: a customer needs a name" crm-add --name "" &&
	test_fails_cleanly 1 "crm-add: a customer needs a name" crm-add --name "   "
'

test_expect_success 'an invalid email' '
	test_fails_cleanly 1 "crm-add: invalid email ${SQ}bad${SQ}" crm-add --name X --email bad &&
	test_fails_cleanly 1 "crm-add: invalid email ${SQ}a@b${SQ}" crm-add --name X --email a@b &&
	test_fails_cleanly 1 "crm-add: invalid email ${SQ}a..b@x.example${SQ}" \
		crm-add --name X --email a..b@x.example &&
	test_fails_cleanly 1 "crm-add: invalid email ${SQ}@x.example${SQ}" \
		crm-add --name X --email @x.example &&
	test_fails_cleanly 1 "crm-add: invalid email ${SQ}a@-x.example${SQ}" \
		crm-add --name X --email a@-x.example &&
	test_fails_cleanly 1 "crm-add: invalid email ${SQ}a b@x.example${SQ}" \
		crm-add --name X --email "a b@x.example"
'

test_expect_success 'an invalid phone' '
	hint="(digits, spaces, - . / ( ) and a leading +; 3 to 15 digits)" &&
	test_fails_cleanly 1 "crm-add: invalid phone ${SQ}12${SQ} $hint" \
		crm-add --name X --phone 12 &&
	test_fails_cleanly 1 "crm-add: invalid phone ${SQ}abc${SQ} $hint" \
		crm-add --name X --phone abc &&
	test_fails_cleanly 1 "crm-add: invalid phone ${SQ}1234567890123456${SQ} $hint" \
		crm-add --name X --phone 1234567890123456 &&
	test_fails_cleanly 1 "crm-add: invalid phone ${SQ}1+1${SQ} $hint" \
		crm-add --name X --phone 1+1
'

test_expect_success 'a tier or stage outside the documented sets' '
	test_fails_cleanly 1 "crm-add: invalid tier ${SQ}gold${SQ} (one of: vip, key, regular, small)" \
		crm-add --name X --tier gold &&
	test_fails_cleanly 1 "crm-add: invalid stage ${SQ}won${SQ} (one of: lead, prospect, customer, inactive, lost)" \
		crm-add --name X --stage won
'

test_expect_success 'impossible birthdays' '
	hint="(YYYY-MM-DD, or --MM-DD without the year)" &&
	for d in 2026-02-30 2026-13-01 0000-00-00 99999-01-01 1980-5-4 05/04/1980; do
		test_fails_cleanly 1 "crm-add: invalid birthday ${SQ}$d${SQ} $hint" \
			crm-add --name X --birthday $d || exit 1
	done &&
	test_fails_cleanly 1 "crm-add: invalid birthday ${SQ}--02-30${SQ}" \
		crm-add --name X --birthday --02-30 &&
	test_fails_cleanly 1 "crm-add: birthday ${SQ}2026-11-24${SQ} is in the future" \
		crm-add --name X --birthday 2026-11-24
'

test_expect_success 'duplicates: the same email (any case), phone, or name and company' '
	crm-add -d dup --name "Ivan Petrov" --company Metallurg \
		--email ivan@metal.example --phone "+7 495 1234567" >/dev/null &&
	crm-add -d dup --name "Štefan Žilinský" --company "Tatra a.s." >/dev/null &&
	CRM_DIR=dup && export CRM_DIR &&
	test_fails_cleanly 1 "crm-add: duplicate of c1 ${SQ}Ivan Petrov${SQ} (same email)" \
		crm-add --name Other --email IVAN@Metal.Example &&
	test_fails_cleanly 1 "crm-add: duplicate of c1 ${SQ}Ivan Petrov${SQ} (same phone)" \
		crm-add --name Other --phone "+7 (495) 123-45-67" &&
	test_fails_cleanly 1 "crm-add: duplicate of c1 ${SQ}Ivan Petrov${SQ} (same name and company)" \
		crm-add --name "ivan petrov" --company METALLURG &&
	test_fails_cleanly 1 "crm-add: duplicate of c2 ${SQ}Štefan Žilinský${SQ} (same name and company)" \
		crm-add --name "Stefan Zilinsky" --company "tatra a.s."
'

test_expect_success 'an id in use, or not an id' '
	test_fails_cleanly 1 "crm-add: id ${SQ}c1${SQ} is already used by ${SQ}Ivan Petrov${SQ}" \
		crm-add --name X --id c1 &&
	test_fails_cleanly 1 "crm-add: invalid id ${SQ}bad id${SQ} (letters, digits, ${SQ}.${SQ}, ${SQ}_${SQ} and ${SQ}-${SQ}, at most 32)" \
		crm-add --name X --id "bad id" &&
	test_fails_cleanly 1 "crm-add: invalid id ${SQ}-x${SQ} (letters, digits, ${SQ}.${SQ}, ${SQ}_${SQ} and ${SQ}-${SQ}, at most 32)" \
		crm-add --name X --id -x &&
	long=$(printf "%033d" 0) &&
	test_fails_cleanly 1 "crm-add: invalid id ${SQ}$long${SQ} (letters, digits, ${SQ}.${SQ}, ${SQ}_${SQ} and ${SQ}-${SQ}, at most 32)" \
		crm-add --name X --id $long
'

test_expect_success 'control characters, line breaks and invalid UTF-8' '
	nl=$(printf "a\nb") &&
	test_fails_cleanly 1 "crm-add: name may not contain control characters or line breaks: ${SQ}a\\nb${SQ}" \
		crm-add --name "$nl" &&
	tab=$(printf "Acme\tInc") &&
	test_fails_cleanly 1 "crm-add: company may not contain control characters or line breaks: ${SQ}Acme\\tInc${SQ}" \
		crm-add --name X --company "$tab" &&
	bad=$(printf "Iv\377n") &&
	test_fails_cleanly 1 "crm-add: invalid UTF-8 in name" crm-add --name "$bad" &&
	test_fails_cleanly 1 "crm-add: invalid UTF-8 in city" crm-add --name X --set "city=$bad"
'

test_expect_success 'a field longer than 1000 bytes' '
	long=$(printf "%01001d" 0) &&
	test_fails_cleanly 1 "crm-add: name too long (1001 bytes, at most 1000)" \
		crm-add --name "$long" &&
	ok=$(printf "%01000d" 0) &&
	crm-add -d long --name "$ok" >/dev/null
'

test_expect_success 'usage errors exit 2 and say what is wrong' '
	try="Try ${SQ}crm-add --help${SQ} for more information." &&
	test_fails_cleanly 2 "crm-add: unrecognized option ${SQ}--bogus${SQ}
$try" crm-add --bogus &&
	test_fails_cleanly 2 "crm-add: option ${SQ}--email${SQ} requires an argument
$try" crm-add --name X --email &&
	test_fails_cleanly 2 "crm-add: unexpected argument ${SQ}extra${SQ}
$try" crm-add --name X extra &&
	test_fails_cleanly 2 "crm-add: --import, --import-vcard, --list, --export-vcard, --update, --reassign and --complete exclude each other
$try" crm-add --list --import &&
	test_fails_cleanly 2 "crm-add: --import, --import-vcard, --list, --export-vcard, --update, --reassign and --complete exclude each other
$try" crm-add --update c1 --reassign x --to y &&
	test_fails_cleanly 2 "crm-add: --to goes with --reassign
$try" crm-add --name X --to y &&
	test_fails_cleanly 2 "crm-add: --reassign needs --to
$try" crm-add --reassign x &&
	test_fails_cleanly 2 "crm-add: --untag goes with --update
$try" crm-add --name X --untag a &&
	test_fails_cleanly 2 "crm-add: --set wants COLUMN=VALUE, not ${SQ}city${SQ}
$try" crm-add --name X --set city &&
	test_fails_cleanly 2 "crm-add: --set wants COLUMN=VALUE, not ${SQ}=x${SQ}
$try" crm-add --name X --set =x &&
	test_fails_cleanly 2 "crm-add: --csv, --json and --table exclude each other
$try" crm-add --list --csv --json &&
	test_fails_cleanly 2 "crm-add: --csv, --json and --table exclude each other
$try" crm-add --list --table --csv &&
	test_fails_cleanly 2 "crm-add: invalid date ${SQ}2026-13-01${SQ} in --today
$try" crm-add --name X --today 2026-13-01 &&
	test_fails_cleanly 2 "crm-add: invalid date ${SQ}tomorrow${SQ} in \$CRM_TODAY
$try" env CRM_TODAY=tomorrow crm-add --name X
'

test_expect_success 'an invalid column name for --set' '
	nl=$(printf "a\nb") &&
	test_fails_cleanly 1 "crm-add: invalid column name ${SQ}a\\nb${SQ}" \
		crm-add --name X --set "$nl=1"
'

# ---------------------------------------------------------------- --list

test_expect_success 'setup: a base for listing' '
	CRM_DIR=ls && export CRM_DIR &&
	crm-add --name "Иван Петров" --company "ООО «Ромашка»" --tier vip --stage customer \
		--owner anna --email ivan@romashka.example --tag steel --tag export >/dev/null &&
	crm-add --name "Ľubomír Šťastný" --company "Žilina, s.r.o." --tier key --stage lead \
		--owner ján --phone "+421 900 123 456" --tag steel >/dev/null &&
	crm-add --name "Bjørn Ødegård" --company "Ølberg AS" --tier vip --stage lead \
		--owner anna --tag export --set fylke=Vestland >/dev/null &&
	crm-add --name "Plain Smith" >/dev/null
'

test_expect_success '--list writes every column as CSV when stdout is not a terminal' '
	CRM_DIR=ls crm-add --list >out 2>err &&
	test_must_be_empty err &&
	test_cmp ls/customers.csv out &&
	CRM_DIR=ls crm-add --list --csv >out &&
	test_cmp ls/customers.csv out
'

test_expect_success '--list --owner, --tier, --stage and --tag filter' '
	CRM_DIR=ls && export CRM_DIR &&
	crm-add --list --owner anna | cut -d, -f1 >out &&
	printf "%s\n" id c1 c3 >expect && test_cmp expect out &&
	crm-add --list --tier vip --stage lead | cut -d, -f1 >out &&
	printf "%s\n" id c3 >expect && test_cmp expect out &&
	crm-add --list --tag steel | cut -d, -f1 >out &&
	printf "%s\n" id c1 c2 >expect && test_cmp expect out &&
	crm-add --list --tag steel --tag export | cut -d, -f1 >out &&
	printf "%s\n" id c1 >expect && test_cmp expect out &&
	crm-add --list --tag exp | cut -d, -f1 >out &&
	printf "%s\n" id >expect && test_cmp expect out &&
	crm-add --list --owner nobody >out &&
	head -n 1 ls/customers.csv >expect && test_cmp expect out
'

test_expect_success '--list --tier and --stage match as the values are stored (any case)' '
	CRM_DIR=ls crm-add --list --tier VIP --stage Lead | cut -d, -f1 >out &&
	printf "%s\n" id c3 >expect && test_cmp expect out
'

test_expect_success '--list --json: valid JSON Lines, one object per customer, every column a string' '
	CRM_DIR=ls crm-add --list --json >out &&
	$PY -c "
import json, sys
rows = [json.loads(l) for l in open(\"out\", encoding=\"utf-8\")]
assert len(rows) == 4, rows
assert rows[0][\"name\"] == \"Иван Петров\", rows[0]
assert rows[1][\"company\"] == \"Žilina, s.r.o.\"
assert rows[1][\"phone\"] == \"+421900123456\"
assert rows[2][\"fylke\"] == \"Vestland\" and rows[0][\"fylke\"] == \"\"
assert list(rows[0])[:3] == [\"id\", \"name\", \"company\"]
assert all(isinstance(v, str) for r in rows for v in r.values())
"
'

test_expect_success '--list --table aligns Cyrillic, Slovak and Norwegian names by display width' '
	CRM_DIR=ls crm-add --list --table >out &&
	sed "s/ *\$//" out >got &&
	cat >expect <<-\EOF &&
	id  name             company         owner   tier  stage     email                  phone
	c1  Иван Петров      ООО «Ромашка»   anna    vip   customer  ivan@romashka.example
	c2  Ľubomír Šťastný  Žilina, s.r.o.  ján     key   lead                             +421900123456
	c3  Bjørn Ødegård    Ølberg AS       anna    vip   lead
	c4  Plain Smith                      tester
	EOF
	test_cmp expect got
'

test_expect_success '--list --table columns start at the same display column on every line' '
	CRM_DIR=ls crm-add --list --table >out &&
	$PY -c "
import unicodedata
lines = open(\"out\", encoding=\"utf-8\").read().splitlines()
def starts(line):
    # display columns where a field starts after a run of two blanks
    col, out, prev = 0, [0], \"\"
    for i, ch in enumerate(line):
        if prev == \" \" and line[i-2:i] == \"  \" and ch != \" \":
            out.append(col)
        col += 2 if unicodedata.east_asian_width(ch) in \"WF\" else 1
        prev = ch
    return out
head = starts(lines[0])
for l in lines[1:]:
    s = starts(l)
    assert all(c in head for c in s), (l, s, head)
"
'

test_expect_success '--safe neutralises formulas in CSV cells but leaves numbers alone' '
	CRM_DIR=formula && export CRM_DIR &&
	crm-add --name "=HYPERLINK(\"http://evil.example\",\"x\")" --company "+cmd" \
		--industry "-2+3" --source "@SUM(A1:A9)" --set balance=-12.50 \
		--set plus=+5 --set tabbed="$(printf "\tx")" >/dev/null &&
	crm-add --list --safe >out &&
	tail -n 1 out >row &&
	printf "%s\n" "c1,\"${SQ}=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",${SQ}+cmd,,,tester,,${SQ}-2+3,,${SQ}@SUM(A1:A9),,,2026-11-23,-12.50,+5,${SQ}	x" >expect &&
	test_cmp expect row &&
	crm-add --list >out &&
	tail -n 1 out >row &&
	printf "%s\n" "c1,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",+cmd,,,tester,,-2+3,,@SUM(A1:A9),,,2026-11-23,-12.50,+5,	x" >expect &&
	test_cmp expect row
'

test_expect_success '--list of a store without customers.csv writes the header' '
	mkdir -p empty && chmod 700 empty &&
	crm-add -d empty --list >out &&
	echo "$HDR" >expect && test_cmp expect out
'

test_expect_success '--list of a missing store is an error' '
	test_fails_cleanly 1 "crm-add: no store at nowhere (crm-add creates it; see --dir)" \
		crm-add -d nowhere --list &&
	test ! -e nowhere
'

test_expect_success '--list to a full disk is a write error' '
	CRM_DIR=ls && export CRM_DIR &&
	test_expect_code 1 crm-add -d ls --list --csv >/dev/full 2>err &&
	echo "crm-add: write error: No space left on device" >expect &&
	test_cmp expect err &&
	test_expect_code 1 crm-add -d ls --list --json >/dev/full 2>err &&
	test_cmp expect err &&
	test_expect_code 1 crm-add -d ls --list --table >/dev/full 2>err &&
	test_cmp expect err
'

test_expect_success '--list to a closed pipe is an error, not silence' '
	CRM_DIR=ls && export CRM_DIR &&
	awk "BEGIN { print \"name,company\"; for (i = 0; i < 3000; i++) print \"Bulk \" i \",Company \" i }" >bulk.csv &&
	crm-add --import bulk.csv >/dev/null &&
	(trap "" PIPE; crm-add --list 2>err; echo $? >status) | head -n 1 >/dev/null &&
	echo 1 >expect && test_cmp expect status &&
	echo "crm-add: write error: Broken pipe" >expect &&
	test_cmp expect err
'

# ---------------------------------------------------------------- --complete

test_expect_success '--complete: ids, e-mails and name words that start with WORD' '
	CRM_DIR=ls && export CRM_DIR &&
	crm-add --complete c1 >out && grep -x c1 out &&
	crm-add --complete IVAN@ >out &&
	echo ivan@romashka.example >expect && test_cmp expect out &&
	crm-add --complete ødeg >out &&
	echo "Bjørn Ødegård" >expect && test_cmp expect out &&
	crm-add --complete zzz >out &&
	test_must_be_empty out
'

test_expect_success '--complete wants a word and no other mode' '
	try="Try ${SQ}crm-add --help${SQ} for more information." &&
	test_fails_cleanly 2 "crm-add: option ${SQ}--complete${SQ} requires an argument
$try" crm-add --complete &&
	test_fails_cleanly 2 "crm-add: --import, --import-vcard, --list, --export-vcard, --update, --reassign and --complete exclude each other
$try" crm-add --complete x --list
'

test_done
