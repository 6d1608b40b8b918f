#!/bin/sh
test_description='crm-log: dates as people say them, for --date, --next, --since and --until (today is Monday 2026-11-23)'
. "$(dirname "$0")/lib.sh"

CRM_DIR=store
export CRM_DIR
SQ="'"

# next_is WORD DAY: crm-log --next WORD stores DAY in the next column.
next_is () {
	crm-log c1 call --next "$1" >/dev/null || return 1
	tail -n 1 store/log.csv | cut -d, -f7 >got
	echo "$2" >want
	test_cmp want got
}

# date_is WORD DAY: crm-log --date WORD stores DAY in the date column.
date_is () {
	crm-log c1 call --date "$1" >/dev/null || return 1
	tail -n 1 store/log.csv | cut -d, -f1 >got
	echo "$2" >want
	test_cmp want got
}

test_expect_success 'setup' '
	crm-add --name "Ivan Petrov" >/dev/null &&
	test "$(date -d 2026-11-23 +%A 2>/dev/null || echo Monday)" = Monday
'

test_expect_success '--next: today, tomorrow' '
	next_is today 2026-11-23 &&
	next_is TODAY 2026-11-23 &&
	next_is tomorrow 2026-11-24 &&
	next_is Tomorrow 2026-11-24
'

test_expect_success '--next: +3d, +3, +2w, +1m, +1y' '
	next_is +3d 2026-11-26 &&
	next_is +3 2026-11-26 &&
	next_is +2w 2026-12-07 &&
	next_is +1m 2026-12-23 &&
	next_is +2m 2027-01-23 &&
	next_is +1y 2027-11-23
'

test_expect_success '--next +1m on 2026-01-31 is 2026-02-28 (the end of the month)' '
	crm-log c1 call --today 2026-01-31 --date 2026-01-31 --next +1m >/dev/null &&
	tail -n 1 store/log.csv | cut -d, -f1,7 >got &&
	echo 2026-01-31,2026-02-28 >want && test_cmp want got &&
	crm-log c1 call --today 2024-01-31 --next +1m >/dev/null &&
	tail -n 1 store/log.csv | cut -d, -f1,7 >got &&
	echo 2024-01-31,2024-02-29 >want && test_cmp want got &&
	CRM_TODAY=2026-03-31 crm-log c1 call --next +1m >/dev/null &&
	tail -n 1 store/log.csv | cut -d, -f1,7 >got &&
	echo 2026-03-31,2026-04-30 >want && test_cmp want got
'

test_expect_success '--next weekday: the next one after today' '
	next_is monday 2026-11-30 &&
	next_is tuesday 2026-11-24 &&
	next_is wed 2026-11-25 &&
	next_is Thu 2026-11-26 &&
	next_is friday 2026-11-27 &&
	next_is FRI 2026-11-27 &&
	next_is saturday 2026-11-28 &&
	next_is sun 2026-11-29
'

test_expect_success '--next 5jul, "jul 5", "5 july 2027": the next such day on or after today' '
	next_is 5jul 2027-07-05 &&
	next_is "5 jul" 2027-07-05 &&
	next_is "jul 5" 2027-07-05 &&
	next_is "July 5" 2027-07-05 &&
	next_is "5 july 2027" 2027-07-05 &&
	next_is "5 july 2028" 2028-07-05 &&
	next_is 23nov 2026-11-23 &&
	next_is "24 nov" 2026-11-24 &&
	next_is "dec 31" 2026-12-31 &&
	next_is "1 jan" 2027-01-01
'

test_expect_success '--next 29feb: the next 29 February on or after today (2028)' '
	next_is 29feb 2028-02-29
'

test_expect_success '--next with an ISO date and a time' '
	next_is 2026-12-01 2026-12-01 &&
	next_is 2026-12-01T09:30 2026-12-01T09:30 &&
	next_is "2026-12-01 09:30:15" 2026-12-01T09:30:15
'

test_expect_success '--date: today, yesterday, -3d, -2w, -1m, -1y' '
	date_is today 2026-11-23 &&
	date_is yesterday 2026-11-22 &&
	date_is -3d 2026-11-20 &&
	date_is -2w 2026-11-09 &&
	date_is -1m 2026-10-23 &&
	date_is -1y 2025-11-23 &&
	date_is +0d 2026-11-23
'

test_expect_success '--date weekday: the last one before today' '
	date_is monday 2026-11-16 &&
	date_is tue 2026-11-17 &&
	date_is friday 2026-11-20 &&
	date_is Sunday 2026-11-22
'

test_expect_success '--date 5jul, "jul 5": the last such day on or before today' '
	date_is 5jul 2026-07-05 &&
	date_is "jul 5" 2026-07-05 &&
	date_is "5 july 2025" 2025-07-05 &&
	date_is 23nov 2026-11-23 &&
	date_is "24 nov" 2025-11-24 &&
	date_is "dec 31" 2025-12-31
'

test_expect_success '--date 29feb: the last 29 February on or before today (2024)' '
	date_is 29feb 2024-02-29
'

test_expect_success '--date with a time and a zone suffix is kept as written' '
	date_is 2026-11-20T14:30 2026-11-20T14:30 &&
	crm-log c1 call --date 2026-11-20T14:30:15Z >/dev/null &&
	tail -n 1 store/log.csv | cut -d, -f1 >got &&
	echo 2026-11-20T14:30:15 >want && test_cmp want got
'

test_expect_success 'the next date is relative to today, not to the event' '
	crm-log c1 call --date 2026-11-10 --next +4d >/dev/null &&
	tail -n 1 store/log.csv | cut -d, -f1,7 >got &&
	echo 2026-11-10,2026-11-27 >want && test_cmp want got
'

test_expect_success 'refused: dates in the future for --date, impossible dates' '
	test_fails_cleanly 1 "crm-log: date ${SQ}+1d${SQ} is in the future; plan a contact with --next" \
		crm-log c1 call --date +1d &&
	test_fails_cleanly 1 "crm-log: date ${SQ}5 july 2027${SQ} is in the future; plan a contact with --next" \
		crm-log c1 call --date "5 july 2027" &&
	for d in 2026-02-30 2026-13-01 0000-00-00 99999-01-01 "30 feb" 32jul \
		"5 july 27" fr fridays +1x ++1d +100001d; do
		test_fails_cleanly 1 "crm-log: invalid date ${SQ}$d${SQ}" \
			crm-log c1 call --next "$d" || exit 1
	done
'

test_expect_success 'refused: a date before year 1 or after 9999' '
	test_fails_cleanly 1 "crm-log: invalid date ${SQ}-3000y${SQ}" \
		crm-log c1 call --date -3000y &&
	test_fails_cleanly 1 "crm-log: invalid date ${SQ}+8000y${SQ}" \
		crm-log c1 call --next +8000y &&
	test_fails_cleanly 1 "crm-log: invalid date ${SQ}+1m${SQ}" \
		crm-log c1 call --today 9999-12-15 --next +1m
'

# ---------------------------------------------------------------- --since, --until

test_expect_success 'setup: a log over a few weeks' '
	CRM_DIR=range && export CRM_DIR &&
	crm-add --name A >/dev/null &&
	for d in 2025-11-24 2026-07-05 2026-11-09 2026-11-16 2026-11-20 2026-11-22 2026-11-23; do
		crm-log c1 call --date $d || exit 1
	done &&
	cat range/log.csv >log.copy &&
	printf "2026-11-25,c1,call,,,,,,,tester,\n2027-07-05,c1,call,,,,,,,tester,\n" >>range/log.csv
'

# dates_listed ARGS...: the dates crm-log --list ARGS writes.
dates_listed () {
	CRM_DIR=range crm-log --list "$@" >out || return 1
	sed 1d out | cut -d, -f1 | tr "\n" " " >got
	echo >>got
}

test_expect_success '--since and --until with ISO dates, inclusive' '
	dates_listed --since 2026-11-16 --until 2026-11-22 &&
	echo "2026-11-16 2026-11-20 2026-11-22 " >want && test_cmp want got
'

test_expect_success '--since takes words as past dates' '
	dates_listed --since friday &&
	echo "2026-11-20 2026-11-22 2026-11-23 2026-11-25 2027-07-05 " >want && test_cmp want got &&
	dates_listed --since -2w --until yesterday &&
	echo "2026-11-09 2026-11-16 2026-11-20 2026-11-22 " >want && test_cmp want got &&
	dates_listed --since 5jul --until 2026-07-05 &&
	echo "2026-07-05 " >want && test_cmp want got
'

test_expect_success '--until takes words as dates to come' '
	dates_listed --since today --until friday &&
	echo "2026-11-23 2026-11-25 " >want && test_cmp want got &&
	dates_listed --since 2026-01-01 --until 25nov &&
	echo "2026-07-05 2026-11-09 2026-11-16 2026-11-20 2026-11-22 2026-11-23 2026-11-25 " >want &&
	test_cmp want got &&
	dates_listed --until 5jul --since tomorrow &&
	echo "2026-11-25 2027-07-05 " >want && test_cmp want got
'

test_done
