#!/bin/sh
test_description='crm-log --import: CSV and JSON Lines, files and stdin, all or nothing, every bad row'
. "$(dirname "$0")/lib.sh"

CRM_DIR=store
export CRM_DIR
SQ="'"
LOGHDR=date,customer,type,channel,amount,outcome,next,next_action,assignee,by,note

test_expect_success 'setup' '
	crm-add --name "Ivan Petrov" --email ivan@metal.example >/dev/null &&
	crm-add --name "Anna Berg" >/dev/null &&
	crm-add --name "Anna Nilsen" >/dev/null
'

test_expect_success 'import CSV: each row checked as a single event would be, stored by id' '
	cat >in.csv <<-\EOF &&
	date,customer,type,amount,note,next,next_action
	2026-11-20,ivan@metal.example,purchase,99.90,,,
	yesterday,petr,CALL,,"a note, with a comma",friday,ring back
	,c2,email,,,,
	EOF
	crm-log --import in.csv >out 2>err &&
	test_must_be_empty out && test_must_be_empty err &&
	cat >expect <<-EOF &&
	$LOGHDR
	2026-11-20,c1,purchase,,99.90,,,,,tester,
	2026-11-22,c1,call,,,,2026-11-27,ring back,,tester,"a note, with a comma"
	2026-11-23,c2,email,,,,,,,tester,
	EOF
	test_cmp expect store/log.csv
'

test_expect_success 'import JSON Lines, with numbers and nulls' '
	printf "%s\n" "{\"customer\":\"c2\",\"type\":\"purchase\",\"amount\":12.5,\"date\":\"2026-11-21\"}" \
		"" "{\"customer\":\"c3\",\"type\":\"note\",\"note\":\"two\\nlines\",\"by\":null}" >in.jsonl &&
	crm-log --import in.jsonl &&
	tail -n 3 store/log.csv >got &&
	cat >expect <<-\EOF &&
	2026-11-21,c2,purchase,,12.5,,,,,tester,
	2026-11-23,c3,note,,,,,,,tester,"two
	lines"
	EOF
	test_cmp expect got
'

test_expect_success 'standard input, "-" and several files, appended in order' '
	printf "customer,type\nc1,visit\n" >a.csv &&
	printf "{\"customer\":\"c2\",\"type\":\"offer\"}\n" >b.jsonl &&
	printf "customer,type\nc3,letter\n" | crm-log --import a.csv - b.jsonl &&
	tail -n 3 store/log.csv | cut -d, -f2,3 >got &&
	printf "%s\n" c1,visit c3,letter c2,offer >expect && test_cmp expect got &&
	printf "customer,type\nc3,message\n" | crm-log --import &&
	tail -n 1 store/log.csv | cut -d, -f2,3 >got &&
	echo c3,message >expect && test_cmp expect got
'

test_expect_success 'a header alone or an empty input appends nothing' '
	cp store/log.csv before &&
	printf "customer,type\n" | crm-log --import &&
	: | crm-log --import &&
	test_cmp before store/log.csv
'

test_expect_success 'an import into a store without a log writes the header first' '
	crm-add -d fresh --name X >/dev/null &&
	printf "customer,type\nc1,call\n" | crm-log -d fresh --import &&
	printf "%s\n" "$LOGHDR" "2026-11-23,c1,call,,,,,,,tester," >expect &&
	test_cmp expect fresh/log.csv &&
	stat -c %a fresh/log.csv >mode && echo 600 >expect && test_cmp expect mode
'

# ---------------------------------------------------------------- all or nothing

test_expect_success 'a bad row on line 7 of 10: exit 1, line 7 named, log unchanged' '
	{
		echo date,customer,type,amount &&
		for i in 1 2 3 4 5; do echo "2026-11-1$i,c1,purchase,$i.00"; done &&
		echo "2026-11-16,c1,purchase,1,5" | sed "s/,1,5\$/,\"1,5\"/" &&
		for i in 7 8 9; do echo "2026-11-1$i,c1,purchase,$i.00"; done
	} >rows.csv &&
	test $(wc -l <rows.csv) = 10 &&
	test_fails_cleanly 1 "crm-log: rows.csv:7: invalid amount ${SQ}1,5${SQ} (use a decimal point and no thousands separator: 1234.50)" \
		crm-log --import rows.csv
'

test_expect_success 'a bad second file rejects the first file too' '
	printf "customer,type\nc1,call\n" >good.csv &&
	printf "customer,type\nc1,dance\n" >bad.csv &&
	test_fails_cleanly 1 "crm-log: bad.csv:2: unknown event type ${SQ}dance${SQ} (one of: call, email, meeting, visit, message, letter, offer, purchase, refund, complaint, note, churn, reschedule, reassign, done; more in \$CRM_TYPES)" \
		crm-log --import good.csv bad.csv &&
	test_fails_cleanly 1 "crm-log: missing.csv: No such file or directory" \
		crm-log --import good.csv missing.csv
'

# ---------------------------------------------------------------- bad rows

bad_import () {
	test_fails_cleanly 1 "crm-log: $1:$2" crm-log --import "$1"
}

test_expect_success 'an unknown column or key' '
	printf "customer,type,colour\nc1,call,red\n" >f.csv &&
	bad_import f.csv "1: unknown column ${SQ}colour${SQ} (the log has: date, customer, type, channel, amount, outcome, next, next_action, assignee, by, note)" &&
	printf "{\"customer\":\"c1\",\"type\":\"call\"}\n{\"customer\":\"c1\",\"type\":\"call\",\"colour\":1}\n" >f.jsonl &&
	bad_import f.jsonl "1: unknown column ${SQ}colour${SQ} (the log has: date, customer, type, channel, amount, outcome, next, next_action, assignee, by, note)"
'

test_expect_success 'a missing required field: customer, type' '
	printf "customer,type\nc1,call\n,call\n" >f.csv &&
	bad_import f.csv "3: no customer given" &&
	printf "customer,type\nc1,\n" >f.csv &&
	bad_import f.csv "2: no event type given" &&
	printf "type\ncall\n" >f.csv &&
	bad_import f.csv "2: no customer given" &&
	printf "customer,type\nc1,purchase\n" >f.csv &&
	bad_import f.csv "2: a purchase needs an amount"
'

test_expect_success 'a missing column in a row, an extra field' '
	printf "customer,type,note\nc1,call,x\nc1,call\n" >f.csv &&
	bad_import f.csv "3: 2 fields where the header has 3" &&
	printf "customer,type\nc1,call,x\n" >f.csv &&
	bad_import f.csv "2: 3 fields where the header has 2"
'

test_expect_success 'an unterminated quote, a stray quote' '
	printf "customer,type,note\nc1,call,\"open\nc1,call,x\n" >f.csv &&
	bad_import f.csv "2: unterminated quoted field" &&
	printf "customer,type,note\nc1,call,a\"b\n" >f.csv &&
	bad_import f.csv "2: malformed quoted field (a quote inside a field must be doubled, and nothing may follow the closing quote but a comma)"
'

test_expect_success 'invalid UTF-8, a NUL byte' '
	printf "customer,type,note\nc1,call,caf\351\n" >f.csv &&
	bad_import f.csv "2: invalid UTF-8 (byte 0xe9 at column 12)" &&
	printf "customer,type,note\nc1,call,a\000b\n" >f.csv &&
	bad_import f.csv "2: NUL byte in the data"
'

test_expect_success 'an id that does not exist, an ambiguous name' '
	printf "customer,type\nc1,call\nc42,call\n" >f.csv &&
	bad_import f.csv "3: no customer ${SQ}c42${SQ}" &&
	printf "customer,type\nanna,call\n" >f.csv &&
	bad_import f.csv "2: ${SQ}anna${SQ} fits 2 customers: c2 (Anna Berg), c3 (Anna Nilsen); give the id"
'

test_expect_success 'impossible and future dates' '
	for d in 2026-02-30 2026-13-01 0000-00-00 99999-01-01; do
		printf "date,customer,type\n%s,c1,call\n" $d >f.csv &&
		bad_import f.csv "2: invalid date ${SQ}$d${SQ}" || exit 1
		printf "customer,type,next\nc1,call,%s\n" $d >f.csv &&
		bad_import f.csv "2: invalid date ${SQ}$d${SQ}" || exit 1
	done &&
	printf "date,customer,type\n2026-11-24,c1,call\n" >f.csv &&
	bad_import f.csv "2: date ${SQ}2026-11-24${SQ} is in the future; plan a contact with --next" &&
	printf "date,customer,type,next\n2026-11-20,c1,call,2026-11-19\n" >f.csv &&
	bad_import f.csv "2: next date ${SQ}2026-11-19${SQ} is before the event${SQ}s date 2026-11-20"
'

test_expect_success 'bad amounts: 1e309, NaN, negative purchase, three decimals' '
	printf "customer,type,amount\nc1,purchase,1e309\n" >f.csv &&
	bad_import f.csv "2: invalid amount ${SQ}1e309${SQ}" &&
	printf "customer,type,amount\nc1,purchase,NaN\n" >f.csv &&
	bad_import f.csv "2: invalid amount ${SQ}NaN${SQ}" &&
	printf "customer,type,amount\nc1,purchase,-3\n" >f.csv &&
	bad_import f.csv "2: a purchase amount may not be negative: ${SQ}-3${SQ}" &&
	printf "{\"customer\":\"c1\",\"type\":\"purchase\",\"amount\":12.345}\n" >f.jsonl &&
	bad_import f.jsonl "1: invalid amount ${SQ}12.345${SQ} (more than two decimal places)" &&
	printf "{\"customer\":\"c1\",\"type\":\"purchase\",\"amount\":1e309}\n" >f.jsonl &&
	bad_import f.jsonl "1: invalid JSON: real number overflow near ${SQ}1e309${SQ}"
'

test_expect_success 'an amount of -0 is accepted' '
	printf "customer,type,amount\nc1,purchase,-0\n" | crm-log --import &&
	tail -n 1 store/log.csv >got &&
	echo "2026-11-23,c1,purchase,,-0,,,,,tester," >expect && test_cmp expect got
'

test_expect_success 'a line break in a one-line field' '
	printf "customer,type,outcome\nc1,call,\"a\nb\"\n" >f.csv &&
	bad_import f.csv "2: outcome may not contain control characters or line breaks: ${SQ}a\\nb${SQ}"
'

test_expect_success 'a column twice in the header' '
	printf "customer,type,customer\nc1,call,c1\n" >f.csv &&
	bad_import f.csv "1: column ${SQ}customer${SQ} appears twice in the header"
'

test_expect_success 'a bad row on standard input is named stdin' '
	printf "customer,type\nc9,call\n" >f.csv &&
	test_fails_cleanly 1 "crm-log: stdin:2: no customer ${SQ}c9${SQ}" sh -c "crm-log --import <f.csv"
'

test_expect_success 'the import is read before the store is locked (a pipe from crm-log itself)' '
	crm-log --list --type purchase | sed "s/,purchase,/,refund,/" |
		crm-log --import &&
	test $(grep -c ",refund," store/log.csv) = $(grep -c ",purchase," store/log.csv)
'

test_done
