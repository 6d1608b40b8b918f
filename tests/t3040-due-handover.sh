#!/bin/sh
test_description='crm-due --handover: a manager away hands the due follow-ups to a colleague'
. "$(dirname "$0")/lib.sh"

# The fixed store of t3000 (see t3000-due.sh).  anna's items due today:
# the follow-up of c1 (due 11-20), the complaint of c7 and the cadence
# of c10; her follow-up of c2 is due on 11-26; the follow-up of c5 (her
# customer) is assigned to boris.  Only follow-ups are handed over, as
# a reschedule dated today, for today (or the due date when later),
# with the same next action, assigned to the colleague.
E=$TEST_SRC/t3000
HDR=date,customer,type,channel,amount,outcome,next,next_action,assignee,by,note

test_expect_success 'setup: the fixed store' '
	mkdir store &&
	cp "$E/customers.csv" "$E/log.csv" store/ &&
	chmod 700 store &&
	chmod 600 store/customers.csv store/log.csv
'
CRM_DIR=$TRASH/store
export CRM_DIR

test_expect_success '--owner anna --handover boris: log.csv events, store untouched' '
	snapshot store >before &&
	crm-due --owner anna --handover boris >out 2>err &&
	test_must_be_empty err &&
	cat >expect <<-EOF &&
	$HDR
	2026-11-23,c1,reschedule,,,,2026-11-23,send the offer,boris,,handed over from anna to boris
	EOF
	test_cmp expect out &&
	snapshot store >after &&
	test_cmp before after
'

test_expect_success '--handover --within 7d: a later follow-up keeps its date' '
	crm-due --owner anna --handover boris --within 7d >out &&
	cat >expect <<-EOF &&
	$HDR
	2026-11-23,c1,reschedule,,,,2026-11-23,send the offer,boris,,handed over from anna to boris
	2026-11-23,c2,reschedule,,,,2026-11-26,follow up on the price list,boris,,handed over from anna to boris
	EOF
	test_cmp expect out
'

test_expect_success '--handover of an assigned follow-up: from the assignee' '
	crm-due --owner boris --handover carl >out &&
	grep "^2026-11-23,c5,reschedule,,,,2026-11-23,sign the contract,carl,,handed over from boris to carl$" out
'

test_expect_success 'before: the follow-up of c1 is anna'\''s' '
	crm-due --owner anna --no-complaints --no-cadence --no-birthdays >out &&
	grep "^followup,2026-11-20,3,12.42,c1," out
'

test_expect_success 'crm-due --owner anna --handover boris | crm-log --import' '
	crm-due --owner anna --handover boris | crm-log --import &&
	tail -n 1 store/log.csv >last &&
	echo "2026-11-23,c1,reschedule,,,,2026-11-23,send the offer,boris,tester,handed over from anna to boris" >expect &&
	test_cmp expect last
'

# boris: his own items as before, and now c1's follow-up, due today:
# 0 + 2 + 4 (key) + 2*log10(51) (clv 5000) = 9.415 -> 9.42.
test_expect_success 'afterwards crm-due --owner boris lists it' '
	crm-due --owner boris >out &&
	cut -d, -f1,2,4,5,8,9,11 out >actual &&
	cat >expect <<-\EOF &&
	kind,due,urgency,customer,owner,assignee,action
	cadence,2026-10-31,27.00,c12,boris,,no contact yet (key: every 30 days)
	complaint,2026-11-23,11.00,c9,boris,,answer the complaint: nobody answered the phone
	followup,2026-11-23,9.42,c1,anna,boris,send the offer
	followup,2026-11-23,8.00,c9,boris,,call back
	followup,2026-11-23,6.00,c5,anna,boris,sign the contract
	followup,2026-11-21,5.00,c3,boris,,call back about delivery
	EOF
	test_cmp expect actual
'

# anna keeps what is hers as the owner: the complaint and the cadence.
test_expect_success 'afterwards crm-due --owner anna does not' '
	crm-due --owner anna >out &&
	cut -d, -f1,2,4,5,8,9,11 out >actual &&
	cat >expect <<-\EOF &&
	kind,due,urgency,customer,owner,assignee,action
	complaint,2026-11-21,18.00,c7,anna,,answer the complaint: invoice was wrong
	cadence,2026-11-19,10.08,c10,anna,,no contact for 34 days (key: every 30 days)
	EOF
	test_cmp expect actual
'

test_expect_success 'the follow-up of c2, not due yet, stays anna'\''s' '
	crm-due --owner anna --within 7d --no-complaints --no-cadence \
		--no-birthdays >out &&
	cut -d, -f1,2,5,8,9 out >actual &&
	cat >expect <<-\EOF &&
	kind,due,customer,owner,assignee
	followup,2026-11-26,c2,anna,
	EOF
	test_cmp expect actual
'

test_expect_success 'crm-log --history shows the reschedule event' '
	crm-log --history c1 >out &&
	grep "^2026-11-23,c1,reschedule,,,,2026-11-23,send the offer,boris,tester,handed over from anna to boris$" out &&
	crm-log --history c1 --table >card &&
	grep "next contact: 2026-11-23 (today): send the offer \\[for boris\\]" card &&
	# The event, and its note indented under it.
	grep -A1 "^2026-11-23  reschedule" card | grep "^    handed over from anna to boris$"
'

test_expect_success 'a second hand-over finds nothing: no output, nothing imported' '
	cp store/log.csv log.before &&
	crm-due --owner anna --handover boris >out &&
	test_must_be_empty out &&
	crm-due --owner anna --handover boris | crm-log --import &&
	test_cmp log.before store/log.csv
'

# boris hands over his due follow-ups (c1 now, c9, c3, and c5 assigned
# to him) to carl: all four for today, c3's no longer overdue.
test_expect_success 'crm-due --owner boris --handover carl | crm-log --import' '
	crm-due --owner boris --handover carl | crm-log --import &&
	crm-due --owner carl >out &&
	cut -d, -f1,2,5,8,9,11 out | LC_ALL=C sort >actual &&
	cat >expect <<-\EOF &&
	followup,2026-11-23,c1,anna,carl,send the offer
	followup,2026-11-23,c3,boris,carl,call back about delivery
	followup,2026-11-23,c5,anna,carl,sign the contract
	followup,2026-11-23,c9,boris,carl,call back
	kind,due,customer,owner,assignee,action
	EOF
	test_cmp expect actual
'

# A hand-over is bookkeeping: nobody spoke to the customer, so an open
# complaint stays open.  c9's complaint of 11-22 is still reported to
# boris, the owner, and c9's follow-up, now carl's, keeps its +5 for the
# open complaint (0 + 2 + 1 + 5 = 8.00).
test_expect_success 'a hand-over does not answer an open complaint' '
	crm-due --owner boris --no-followups --no-cadence --no-birthdays >out &&
	cut -d, -f1,2,5,11 out >actual &&
	cat >expect <<-\EOF &&
	kind,due,customer,action
	complaint,2026-11-23,c9,answer the complaint: nobody answered the phone
	EOF
	test_cmp expect actual &&
	crm-due --owner carl >out &&
	grep "^followup,2026-11-23,0,8.00,c9," out
'

test_expect_success '--handover without --owner: usage error' '
	test_fails_cleanly 2 "crm-due: --handover needs --owner: whose follow-ups to hand over
Try '\''crm-due --help'\'' for more information." crm-due --handover boris
'

test_expect_success '--handover to an empty name: usage error' '
	test_fails_cleanly 2 "crm-due: invalid person '\'''\'' for --handover
Try '\''crm-due --help'\'' for more information." crm-due --owner anna --handover ""
'

test_expect_success '--handover to a name with a line break: usage error' '
	test_expect_code 2 crm-due --owner anna --handover "$(printf "bo\nris")" \
		>out 2>err &&
	test_must_be_empty out &&
	grep "^crm-due: invalid person" err
'

test_expect_success '--handover with --mail: they exclude each other' '
	test_fails_cleanly 2 "crm-due: --agenda, --ics, --mail, --mail-per-owner and --handover exclude each other
Try '\''crm-due --help'\'' for more information." \
		crm-due --owner anna --handover boris --mail boss@example.com
'

test_done
