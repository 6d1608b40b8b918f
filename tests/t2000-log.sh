#!/bin/sh
test_description='crm-log: appending events, every event option, and every refusal'
. "$(dirname "$0")/lib.sh"

CRM_DIR=store
export CRM_DIR
SQ="'"
LOGHDR=date,customer,type,channel,amount,outcome,next,next_action,assignee,by,note
TRY="Try ${SQ}crm-log --help${SQ} for more information."

# The last row of the log.
last () {
	tail -n 1 store/log.csv
}

test_expect_success '--help prints the usage on stdout and exits 0' '
	crm-log --help >out 2>err &&
	test_must_be_empty err &&
	head -n 1 out >first &&
	echo "usage: crm-log CUSTOMER TYPE [NOTE...] [--amount X] [--next DATE]" >expect &&
	test_cmp expect first &&
	crm-log -h >out2 && test_cmp out out2
'

test_expect_success '--help names every option and every type' '
	crm-log --help >out &&
	for o in --amount --next --next-action --assignee --channel --outcome --by \
		--date --import --history --list --customer --type --owner --since \
		--until --repair --dir --today --csv --json --table --safe --help \
		--version call email meeting visit message letter offer purchase \
		refund complaint note churn reschedule reassign done; do
		grep -e "$o" out >/dev/null || { echo "no $o in --help"; exit 1; }
	done
'

test_expect_success '--version' '
	crm-log --version >out 2>err &&
	test_must_be_empty err &&
	grep -E "^crm-log \(crm\) [0-9]+\.[0-9]+\.[0-9]+$" out
'

test_expect_success '--help and --version to a full disk are write errors' '
	test_expect_code 1 crm-log --help >/dev/full 2>err &&
	echo "crm-log: write error: No space left on device" >expect &&
	test_cmp expect err &&
	test_expect_code 1 crm-log --version >/dev/full 2>err &&
	test_cmp expect err
'

test_expect_success 'setup' '
	crm-add --name "Ivan Petrov" --company Metallurg --email ivan@metal.example \
		--phone "+7 495 1234567" --owner anna >/dev/null &&
	crm-add --name "Ivana Novak" --email ivana@x.example >/dev/null &&
	crm-add --name "Štefan Žilinský" >/dev/null &&
	test ! -e store/log.csv
'

test_expect_success 'a call: a new log gets its header; nothing on stdout' '
	crm-log c1 call >out 2>err &&
	test_must_be_empty out && test_must_be_empty err &&
	cat >expect <<-EOF &&
	$LOGHDR
	2026-11-23,c1,call,,,,,,,tester,
	EOF
	test_cmp expect store/log.csv
'

test_expect_success 'the words after TYPE are the note' '
	crm-log c1 email sent the "price list," again >/dev/null &&
	echo "2026-11-23,c1,email,,,,,,,tester,\"sent the price list, again\"" >expect &&
	last >row && test_cmp expect row
'

test_expect_success 'every event option' '
	crm-log c1 meeting --channel " visit " --outcome "went well" \
		--next 2026-12-01 --next-action "send the offer" --assignee eva \
		--by boris --date 2026-11-20 "about Q1" >/dev/null &&
	echo "2026-11-20,c1,meeting,visit,,went well,2026-12-01,send the offer,eva,boris,about Q1" >expect &&
	last >row && test_cmp expect row
'

test_expect_success 'a purchase and a refund with amounts, kept as typed' '
	crm-log c1 purchase --amount 1200.50 >/dev/null &&
	echo "2026-11-23,c1,purchase,,1200.50,,,,,tester," >expect &&
	last >row && test_cmp expect row &&
	crm-log c1 refund --amount " 0.5 " >/dev/null &&
	echo "2026-11-23,c1,refund,,0.5,,,,,tester," >expect &&
	last >row && test_cmp expect row
'

test_expect_success 'an amount of -0 is accepted as zero' '
	crm-log c1 purchase --amount -0 >/dev/null &&
	echo "2026-11-23,c1,purchase,,-0,,,,,tester," >expect &&
	last >row && test_cmp expect row &&
	crm-log c1 call --amount -12.50 >/dev/null &&
	echo "2026-11-23,c1,call,,-12.50,,,,,tester," >expect &&
	last >row && test_cmp expect row
'

test_expect_success 'the customer is found by e-mail, phone, prefix, accents; stored by id' '
	crm-log IVANA@X.EXAMPLE note a >/dev/null && last | cut -d, -f2 >got &&
	echo c2 >expect && test_cmp expect got &&
	crm-log "+7 (495) 123-45-67" note b >/dev/null && last | cut -d, -f2 >got &&
	echo c1 >expect && test_cmp expect got &&
	crm-log petr note c >/dev/null && last | cut -d, -f2 >got &&
	echo c1 >expect && test_cmp expect got &&
	crm-log stefan note d >/dev/null && last | cut -d, -f2 >got &&
	echo c3 >expect && test_cmp expect got
'

test_expect_success 'the type in any case is stored in lower case' '
	crm-log c1 Complaint >/dev/null &&
	last | cut -d, -f3 >got && echo complaint >expect && test_cmp expect got
'

test_expect_success 'every documented type is accepted' '
	for t in call email meeting visit message letter offer complaint note \
		churn reassign done; do
		crm-log c2 $t >/dev/null || exit 1
	done &&
	crm-log c2 reschedule --next tomorrow >/dev/null &&
	crm-log c2 purchase --amount 1 >/dev/null &&
	crm-log c2 refund --amount 1 >/dev/null &&
	test $(grep -c ",c2," store/log.csv) = 16
'

test_expect_success '$CRM_TYPES adds types' '
	CRM_TYPES=webinar,demo crm-log c2 WEBINAR >/dev/null &&
	last | cut -d, -f3 >got && echo webinar >expect && test_cmp expect got
'

test_expect_success 'a note may span lines; a tab in it is kept' '
	crm-log c3 note "$(printf "line one\n\tline two")" >/dev/null &&
	tail -n 2 store/log.csv >rows &&
	printf "%s\n" "2026-11-23,c3,note,,,,,,,tester,\"line one" "	line two\"" >expect &&
	test_cmp expect rows
'

test_expect_success '--by, $CRM_USER and the default' '
	CRM_USER=zoe crm-log c3 call >/dev/null &&
	last | cut -d, -f10 >got && echo zoe >expect && test_cmp expect got
'

test_expect_success 'without a fixed today, the date is now, to the minute' '
	env -u CRM_TODAY crm-log c3 call >/dev/null &&
	last >row &&
	grep -E "^$(date +%Y-%m-%d)T[0-2][0-9]:[0-5][0-9],c3,call," row
'

test_expect_success 'a date with a time is kept' '
	crm-log c3 call --date 2026-11-20T14:30 >/dev/null &&
	last | cut -d, -f1 >got && echo 2026-11-20T14:30 >expect && test_cmp expect got &&
	crm-log c3 call --date "2026-11-23 23:59:59" >/dev/null &&
	last | cut -d, -f1 >got && echo 2026-11-23T23:59:59 >expect && test_cmp expect got
'

test_expect_success 'the log keeps its own column order and extra columns' '
	mkdir -p own && chmod 700 own &&
	cp store/customers.csv own/ &&
	printf "note,customer,by,date,type,extra\n" >own/log.csv && chmod 600 own/log.csv &&
	crm-log --dir own c1 call hello >/dev/null &&
	printf "%s\n" "note,customer,by,date,type,extra" "hello,c1,tester,2026-11-23,call," >expect &&
	test_cmp expect own/log.csv
'

test_expect_success 'a value for a column the log lacks is refused' '
	CRM_DIR=own && export CRM_DIR &&
	test_fails_cleanly 1 "crm-log: the log has no column ${SQ}amount${SQ}" \
		crm-log c1 call --amount 5
'

# ---------------------------------------------------------------- refusals

test_expect_success 'CUSTOMER and TYPE are required' '
	test_fails_cleanly 2 "crm-log: a new event needs CUSTOMER and TYPE
$TRY" crm-log &&
	test_fails_cleanly 2 "crm-log: a new event needs CUSTOMER and TYPE
$TRY" crm-log c1
'

test_expect_success 'an empty customer or type' '
	test_fails_cleanly 1 "crm-log: no customer given" crm-log "" call &&
	test_fails_cleanly 1 "crm-log: no event type given" crm-log c1 ""
'

test_expect_success 'an id that does not exist; an unknown e-mail or name' '
	test_fails_cleanly 1 "crm-log: no customer ${SQ}c99${SQ}" crm-log c99 call &&
	test_fails_cleanly 1 "crm-log: no customer with email ${SQ}x@y.example${SQ}" \
		crm-log x@y.example call &&
	test_fails_cleanly 1 "crm-log: no customer ${SQ}Zorro${SQ}" crm-log Zorro call
'

test_expect_success 'an ambiguous name prefix lists the candidates' '
	test_fails_cleanly 1 "crm-log: ${SQ}iva${SQ} fits 2 customers: c1 (Ivan Petrov), c2 (Ivana Novak); give the id" \
		crm-log iva call
'

test_expect_success 'an unknown type lists the known ones' '
	test_fails_cleanly 1 "crm-log: unknown event type ${SQ}phonecall${SQ} (one of: call, email, meeting, visit, message, letter, offer, purchase, refund, complaint, note, churn, reschedule, reassign, done; more in \$CRM_TYPES)" \
		crm-log c1 phonecall
'

test_expect_success 'impossible dates' '
	for d in 2026-02-30 2026-13-01 0000-00-00 99999-01-01 2026-11-23T24:00 someday; do
		test_fails_cleanly 1 "crm-log: invalid date ${SQ}$d${SQ}" \
			crm-log c1 call --date "$d" || exit 1
		test_fails_cleanly 1 "crm-log: invalid date ${SQ}$d${SQ}" \
			crm-log c1 call --next "$d" || exit 1
	done
'

test_expect_success 'a date in the future' '
	test_fails_cleanly 1 "crm-log: date ${SQ}tomorrow${SQ} is in the future; plan a contact with --next" \
		crm-log c1 call --date tomorrow &&
	test_fails_cleanly 1 "crm-log: date ${SQ}2026-11-24T00:00${SQ} is in the future; plan a contact with --next" \
		crm-log c1 call --date 2026-11-24T00:00
'

test_expect_success 'a next date before the event' '
	test_fails_cleanly 1 "crm-log: next date ${SQ}2026-11-19${SQ} is before the event${SQ}s date 2026-11-20" \
		crm-log c1 call --date 2026-11-20 --next 2026-11-19
'

test_expect_success 'bad amounts: 1,5  1e309  NaN  1.234  too large' '
	test_fails_cleanly 1 "crm-log: invalid amount ${SQ}1,5${SQ} (use a decimal point and no thousands separator: 1234.50)" \
		crm-log c1 purchase --amount 1,5 &&
	test_fails_cleanly 1 "crm-log: invalid amount ${SQ}1e309${SQ}" \
		crm-log c1 purchase --amount 1e309 &&
	test_fails_cleanly 1 "crm-log: invalid amount ${SQ}NaN${SQ}" \
		crm-log c1 purchase --amount NaN &&
	test_fails_cleanly 1 "crm-log: invalid amount ${SQ}1.234${SQ} (more than two decimal places)" \
		crm-log c1 purchase --amount 1.234 &&
	test_fails_cleanly 1 "crm-log: invalid amount ${SQ}10000000000000${SQ} (too large)" \
		crm-log c1 purchase --amount 10000000000000
'

test_expect_success 'a thousands separator (12.345.678) is named as one' '
	test_fails_cleanly 1 "crm-log: invalid amount ${SQ}12.345.678${SQ} (use a decimal point and no thousands separator: 1234.50)" \
		crm-log c1 purchase --amount 12.345.678
'

test_expect_success 'a purchase or refund needs a non-negative amount' '
	test_fails_cleanly 1 "crm-log: a purchase needs an amount" crm-log c1 purchase &&
	test_fails_cleanly 1 "crm-log: a refund needs an amount" crm-log c1 refund --amount "" &&
	test_fails_cleanly 1 "crm-log: a purchase amount may not be negative: ${SQ}-5${SQ}" \
		crm-log c1 purchase --amount -5 &&
	test_fails_cleanly 1 "crm-log: a refund amount may not be negative: ${SQ}-0.01${SQ}" \
		crm-log c1 refund --amount -0.01
'

test_expect_success 'a reschedule needs a next date; so do a next action and an assignee' '
	test_fails_cleanly 1 "crm-log: a reschedule needs the new date (--next)" \
		crm-log c1 reschedule &&
	test_fails_cleanly 1 "crm-log: a next action needs a next date (--next)" \
		crm-log c1 call --next-action ring &&
	test_fails_cleanly 1 "crm-log: an assignee needs a next date (--next)" \
		crm-log c1 call --assignee bob
'

test_expect_success 'control characters and invalid UTF-8' '
	tab=$(printf "a\tb") &&
	test_fails_cleanly 1 "crm-log: channel may not contain control characters or line breaks: ${SQ}a\\tb${SQ}" \
		crm-log c1 call --channel "$tab" &&
	nl=$(printf "a\nb") &&
	test_fails_cleanly 1 "crm-log: outcome may not contain control characters or line breaks: ${SQ}a\\nb${SQ}" \
		crm-log c1 call --outcome "$nl" &&
	bell=$(printf "ring\007") &&
	test_fails_cleanly 1 "crm-log: note may not contain control characters: ${SQ}ring\\x07${SQ}" \
		crm-log c1 note "$bell" &&
	bad=$(printf "\377") &&
	test_fails_cleanly 1 "crm-log: invalid UTF-8 in note" crm-log c1 note "$bad" &&
	test_fails_cleanly 1 "crm-log: invalid UTF-8 in by" crm-log c1 call --by "$bad"
'

test_expect_success 'a one-line field longer than 1000 bytes' '
	long=$(printf "%01001d" 0) &&
	test_fails_cleanly 1 "crm-log: outcome too long (1001 bytes, at most 1000)" \
		crm-log c1 call --outcome "$long"
'

test_expect_success 'a missing store: appending to a store without customers' '
	test_fails_cleanly 1 "crm-log: no customer ${SQ}c1${SQ}" crm-log -d fresh c1 call &&
	test ! -e fresh/log.csv
'

test_expect_success 'usage errors exit 2' '
	test_fails_cleanly 2 "crm-log: unrecognized option ${SQ}--bogus${SQ}
$TRY" crm-log c1 call --bogus &&
	test_fails_cleanly 2 "crm-log: option ${SQ}--amount${SQ} requires an argument
$TRY" crm-log c1 purchase --amount &&
	test_fails_cleanly 2 "crm-log: --import, --list, --history and --repair exclude each other
$TRY" crm-log --list --history c1 &&
	test_fails_cleanly 2 "crm-log: --import, --list, --history and --repair exclude each other
$TRY" crm-log --import --repair &&
	test_fails_cleanly 2 "crm-log: --customer, --type, --owner, --since and --until go with --list
$TRY" crm-log c1 call --type call &&
	test_fails_cleanly 2 "crm-log: --customer, --type, --owner, --since and --until go with --list
$TRY" crm-log --history c1 --since 2026-01-01 &&
	test_fails_cleanly 2 "crm-log: event fields go with a new event, not with --list
$TRY" crm-log --list --amount 5 &&
	test_fails_cleanly 2 "crm-log: event fields go with a new event, not with --history
$TRY" crm-log --history c1 --date today &&
	test_fails_cleanly 2 "crm-log: event fields go with a new event, not with --import
$TRY" crm-log --import --by x &&
	test_fails_cleanly 2 "crm-log: event fields go with a new event, not with --repair
$TRY" crm-log --repair --next tomorrow &&
	test_fails_cleanly 2 "crm-log: unexpected argument ${SQ}c1${SQ}
$TRY" crm-log --list c1 &&
	test_fails_cleanly 2 "crm-log: unexpected argument ${SQ}x${SQ}
$TRY" crm-log --history c1 x &&
	test_fails_cleanly 2 "crm-log: unexpected argument ${SQ}x${SQ}
$TRY" crm-log --repair x &&
	test_fails_cleanly 2 "crm-log: --csv, --json and --table exclude each other
$TRY" crm-log --list --json --table &&
	test_fails_cleanly 2 "crm-log: invalid date ${SQ}2026-02-30${SQ} in --today
$TRY" crm-log c1 call --today 2026-02-30 &&
	test_fails_cleanly 2 "crm-log: invalid date ${SQ}yesterday${SQ} in \$CRM_TODAY
$TRY" env CRM_TODAY=yesterday crm-log c1 call &&
	test_fails_cleanly 2 "crm-log: --since: invalid date ${SQ}junk${SQ}
$TRY" crm-log --list --since junk &&
	test_fails_cleanly 2 "crm-log: --until: invalid date ${SQ}2026-13-01${SQ}
$TRY" crm-log --list --until 2026-13-01
'

test_done
