#!/bin/sh
test_description='crm-log --repair: a log whose last record was cut short stops every reader and writer until it is moved aside'
. "$(dirname "$0")/lib.sh"

CRM_DIR=store
export CRM_DIR
SQ="'"
LOGHDR=date,customer,type,channel,amount,outcome,next,next_action,assignee,by,note
TORN="incomplete last record (cut short by a crash?); ${SQ}crm-log --repair${SQ} moves it aside"
# fails_keeping CODE MESSAGE CMD...: like test_fails_cleanly, but what a
# streaming reader wrote to stdout before it reached the torn record
# is its business.
fails_keeping () {
	code=$1 msg=$2
	shift 2
	snapshot "${CRM_DIR:-store}" >.before
	test_expect_code "$code" "$@" >.stdout 2>.stderr || return 1
	printf "%s\n" "$msg" >.expect
	test_cmp .expect .stderr || return 1
	snapshot "${CRM_DIR:-store}" >.after
	test_cmp .before .after
}

REFUSED="store/log.csv ends with an incomplete record (cut short by a crash?); run ${SQ}crm-log --repair${SQ} first"

test_expect_success 'setup: a log of three events, then a torn fourth' '
	crm-add --name "Ivan Petrov" >/dev/null &&
	crm-log c1 call --date 2026-11-20 &&
	crm-log c1 email --date 2026-11-21 &&
	crm-log c1 purchase --amount 10 --date 2026-11-22 &&
	cp store/log.csv log.whole &&
	printf "2026-11-23,c1,ca" >fragment &&
	cat fragment >>store/log.csv
'

test_expect_success 'every reader fails, naming the line' '
	fails_keeping 1 "crm-log: store/log.csv:5: $TORN" crm-log --list &&
	fails_keeping 1 "crm-log: store/log.csv:5: $TORN" crm-log --list --json &&
	fails_keeping 1 "crm-log: store/log.csv:5: $TORN" crm-log --list --type call
'

test_expect_success '--history fails too' '
	test_fails_cleanly 1 "crm-log: store/log.csv:5: $TORN" crm-log --history c1
'

test_expect_success 'appends are refused' '
	test_fails_cleanly 1 "crm-log: $REFUSED" crm-log c1 call &&
	printf "customer,type\nc1,call\n" >in.csv &&
	test_fails_cleanly 1 "crm-log: $REFUSED" crm-log --import in.csv &&
	test_fails_cleanly 1 "crm-add: $REFUSED" crm-add --update c1 --owner boris &&
	test_fails_cleanly 1 "crm-add: $REFUSED" crm-add --reassign tester --to boris
'

test_expect_success '--repair moves the fragment to log.csv.torn-1' '
	crm-log --repair >out 2>err &&
	test_must_be_empty out &&
	echo "crm-log: store/log.csv:5: moved the incomplete last record to store/log.csv.torn-1" >expect &&
	test_cmp expect err &&
	cmp fragment store/log.csv.torn-1 &&
	cmp log.whole store/log.csv &&
	stat -c %a store/log.csv.torn-1 >mode && echo 600 >expect && test_cmp expect mode
'

test_expect_success 'then everything works again' '
	crm-log --list >out && test_cmp log.whole out &&
	crm-log c1 call --date 2026-11-23 &&
	crm-log --import in.csv &&
	crm-log --history c1 --csv >out &&
	test $(wc -l <out) = 6 &&
	crm-log --list >out && test $(wc -l <out) = 6
'

test_expect_success '--repair of a whole log does nothing and says nothing' '
	cp store/log.csv before &&
	crm-log --repair >out 2>err &&
	test_must_be_empty out && test_must_be_empty err &&
	test_cmp before store/log.csv &&
	test ! -e store/log.csv.torn-2
'

test_expect_success '--repair of a store without a log does nothing' '
	crm-add -d nolog --name X >/dev/null &&
	crm-log -d nolog --repair >out 2>err &&
	test_must_be_empty out && test_must_be_empty err &&
	test ! -e nolog/log.csv
'

test_expect_success 'a second torn record goes to log.csv.torn-2' '
	cp store/log.csv log.whole &&
	printf "2026-11-23,c1,note,,,,,,,tester,\"open quote\nand more" >fragment &&
	cat fragment >>store/log.csv &&
	fails_keeping 1 "crm-log: store/log.csv:7: $TORN" crm-log --list &&
	crm-log --repair 2>err &&
	echo "crm-log: store/log.csv:7: moved the incomplete last record to store/log.csv.torn-2" >expect &&
	test_cmp expect err &&
	cmp fragment store/log.csv.torn-2 &&
	cmp log.whole store/log.csv
'

test_expect_success 'a quoted line break ending the file is torn too' '
	cp store/log.csv log.whole &&
	printf "2026-11-23,c1,note,,,,,,,tester,\"line one\n" >fragment &&
	cat fragment >>store/log.csv &&
	fails_keeping 1 "crm-log: store/log.csv:7: $TORN" crm-log --list &&
	crm-log --repair 2>/dev/null &&
	cmp fragment store/log.csv.torn-3 &&
	cmp log.whole store/log.csv
'

test_expect_success 'a record ending with a closed quote but no line end is torn' '
	printf "2026-11-23,c1,note,,,,,,,tester,\"complete\"" >fragment &&
	cat fragment >>store/log.csv &&
	test_fails_cleanly 1 "crm-log: store/log.csv:7: $TORN" crm-log --history c1 &&
	crm-log --repair 2>/dev/null &&
	cmp fragment store/log.csv.torn-4 &&
	cmp log.whole store/log.csv
'

test_expect_success 'a log cut inside its header' '
	crm-add -d hdr --name X >/dev/null &&
	printf "date,customer,ty" >hdr/log.csv && chmod 600 hdr/log.csv &&
	fails_keeping 1 "crm-log: hdr/log.csv:1: $TORN" crm-log -d hdr --list &&
	crm-log -d hdr --repair 2>err &&
	echo "crm-log: hdr/log.csv:1: moved the incomplete last record to hdr/log.csv.torn-1" >expect &&
	test_cmp expect err &&
	test_must_be_empty hdr/log.csv &&
	crm-log -d hdr c1 call &&
	printf "%s\n" "$LOGHDR" "2026-11-23,c1,call,,,,,,,tester," >expect &&
	test_cmp expect hdr/log.csv
'

test_expect_success 'a log with a bad row in the middle is not for --repair' '
	crm-add -d mid --name X >/dev/null &&
	crm-log -d mid c1 call &&
	printf "2026-11-23,c1,call,,,,,,,tester,a\"b\n2026-11-23,c1,email,,,,,,,tester,\n" >>mid/log.csv &&
	CRM_DIR=mid && export CRM_DIR &&
	test_fails_cleanly 1 "crm-log: mid/log.csv:3: malformed quoted field (a quote inside a field must be doubled, and nothing may follow the closing quote but a comma)" \
		crm-log --repair &&
	test ! -e mid/log.csv.torn-1
'

test_done
