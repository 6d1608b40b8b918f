#!/bin/sh
test_description='crm-due --agenda: how many items fall on each day, per person'
. "$(dirname "$0")/lib.sh"

# The fixed store of t3000 (see t3000-due.sh for what each customer is
# there for).  The 15 items to 2026-12-06 (today + 13) by handler:
#   overdue    anna: c1 followup 11-20, c7 complaint 11-21, c10 cadence
#              11-19; boris: c12 cadence 10-31, c3 followup 11-21
#   11-23 Mon  boris: c9 complaint, c9 followup, c5 followup (assigned
#              to boris by anna); tester: c16 birthday
#   11-25 Wed  anna: c15 birthday
#   11-26 Thu  anna: c2 followup; boris: c11 cadence
#   11-30 Mon  boris: c6 followup
#   12-01 Tue  tester: c8 followup
#   12-04 Fri  anna: c7 cadence (14 days after the complaint of 11-20)
# c17 (2027-02-28) and c18 (2027-11-22) are beyond the two weeks.
E=$TEST_SRC/t3000

test_expect_success 'setup: the fixed store' '
	mkdir store &&
	cp "$E/customers.csv" "$E/log.csv" store/ &&
	chmod 700 store &&
	chmod 600 store/customers.csv store/log.csv
'
CRM_DIR=$TRASH/store
export CRM_DIR

test_expect_success '--agenda: two weeks from today, a column per person' '
	crm-due --agenda >out 2>err &&
	test_cmp "$E/agenda.expected" out &&
	test_must_be_empty err
'

test_expect_success '--agenda --within 7d stops on 2026-11-30' '
	crm-due --agenda --within 7d >out &&
	test_cmp "$E/agenda-7d.expected" out
'

test_expect_success '--agenda --until 2026-11-30 is the same' '
	crm-due --agenda --until 2026-11-30 >out &&
	test_cmp "$E/agenda-7d.expected" out
'

test_expect_success '--agenda --owner boris: one column, his items only' '
	crm-due --agenda --owner boris >out &&
	test_cmp "$E/agenda-boris.expected" out
'

# anna: c1, c7 complaint, c10 overdue; c15 on 11-25; c2 on 11-26; c7
# cadence on 12-04.  Not c5, whose follow-up is boris's.
test_expect_success '--agenda --owner anna' '
	crm-due --agenda --owner anna >out &&
	cat >expect <<-\EOF &&
	date,day,anna
	overdue,,3
	2026-11-23,Mon,0
	2026-11-24,Tue,0
	2026-11-25,Wed,1
	2026-11-26,Thu,1
	2026-11-27,Fri,0
	2026-11-28,Sat,0
	2026-11-29,Sun,0
	2026-11-30,Mon,0
	2026-12-01,Tue,0
	2026-12-02,Wed,0
	2026-12-03,Thu,0
	2026-12-04,Fri,1
	2026-12-05,Sat,0
	2026-12-06,Sun,0
	EOF
	test_cmp expect out
'

test_expect_success '--agenda counts add up to the list of the same horizon' '
	crm-due --until 2026-12-06 >list &&
	test $(($(wc -l <list) - 1)) = 15 &&
	crm-due --agenda >agenda &&
	test $(awk -F, "NR > 1 { t += \$3 } END { print t }" agenda) = 15
'

test_expect_success '--agenda with the reports switched off: per kind' '
	crm-due --agenda --no-followups --no-complaints --no-cadence >out &&
	cat >expect <<-\EOF &&
	date,day,total,anna,tester
	overdue,,0,0,0
	2026-11-23,Mon,1,0,1
	2026-11-24,Tue,0,0,0
	2026-11-25,Wed,1,1,0
	2026-11-26,Thu,0,0,0
	2026-11-27,Fri,0,0,0
	2026-11-28,Sat,0,0,0
	2026-11-29,Sun,0,0,0
	2026-11-30,Mon,0,0,0
	2026-12-01,Tue,0,0,0
	2026-12-02,Wed,0,0,0
	2026-12-03,Thu,0,0,0
	2026-12-04,Fri,0,0,0
	2026-12-05,Sat,0,0,0
	2026-12-06,Sun,0,0,0
	EOF
	test_cmp expect out
'

test_expect_success '--agenda --json: numbers as numbers' '
	crm-due --agenda --json >out &&
	head -n 1 out >first &&
	grep "\"date\":\"overdue\"" first &&
	grep "\"total\":5" first &&
	grep "\"anna\":3" first
'

test_expect_success '--agenda: nothing due in the two weeks prints nothing' '
	crm-due --agenda --owner nobody >out 2>err &&
	test_must_be_empty out &&
	test_must_be_empty err
'

test_done
