#!/bin/sh
test_description='crm-due: the list, its horizons, owners, the four reports, urgency'
. "$(dirname "$0")/lib.sh"

# The fixed store tests/t3000/{customers,log}.csv, seen on Monday
# 2026-11-23 (CRM_TODAY).  What each customer is there for, and the
# items the expected files hold, worked out from crm(7) and due.h:
#
#   urgency = days overdue + kind (complaint 10, followup 2, cadence 0,
#             birthday -2) + tier (vip 6, key 4, regular 1) + 5 on the
#             other items of a customer with an open complaint
#             + 2*log10(1 + clv/100)
#
#   c1  key, clv 5000; call 11-10 next 11-20: followup 11-20,
#       3 + 2 + 4 + 2*log10(51) = 12.415 -> 12.42
#   c2  two events on 11-15, the later in the file (next 11-26) wins; a
#       call back-dated to 10-15 (next 10-20) written after them changes
#       nothing: followup 11-26 (-3 + 2 + 1 = 0.00), not in the default
#       list; its last contact is the email of 11-15, not the call
#   c3  call 11-05 next 11-21, then purchase, note, refund and reassign
#       (none touches the follow-up, none is a contact):
#       followup 11-21, 2 + 2 + 1 = 5.00, last contact the call
#   c4  call 11-01 next 11-10, closed by the call of 11-12 without a
#       next date: nothing (regular: no cadence by default)
#   c5  anna's, meeting 11-18 next 11-23 assigned to boris: boris's
#       followup, 0 + 2 + 4 = 6.00 (owner anna, assignee boris)
#   c6  reschedule 11-16 moves the follow-up to 11-30 (-7 + 2 = -5.00)
#   c7  vip; complaint 11-20T10:00, then a call back-dated to 11-19:
#       a contact dated before the complaint does not answer it.
#       Complaint due 10:00 + 24 h = 11-21: 2 + 10 + 6 = 18.00.  The
#       complaint (no next date) is the latest contact, so no follow-up,
#       and cadence counts from 11-20: due 12-04, -11 + 6 + 5 (open
#       complaint) = 0.00, only in the agenda and the calendar
#   c8  complaint 11-17 answered by the call of 11-18 (next 12-01)
#   c9  complaint 11-22 (no time: midnight) with next 11-23: complaint
#       due 11-23, 0 + 10 + 1 = 11.00, and followup 11-23, 0 + 2 + 1 + 5
#       (open complaint) = 8.00
#   c10 key, clv 1000, last call 10-20: cadence due 10-20 + 30 = 11-19,
#       4 + 4 + 2*log10(11) = 10.083 -> 10.08, "no contact for 34 days"
#   c11 vip, last visit 11-12: cadence due 11-26, -3 + 6 = 3.00
#   c12 key, created 10-01, only a purchase and a note (not contacts):
#       cadence due 10-31, 23 + 4 = 27.00, "no contact yet"
#   c13 regular, last call 09-20: nothing by default; with regular=60
#       due 11-19, 4 + 1 = 5.00, "no contact for 64 days"
#   c14 key but lost: never a cadence item
#   c15 born 1980-11-25: birthday (46) on 11-25, -2 - 2 = -4.00
#   c16 --11-23 (no year): "birthday" today, 0 - 2 = -2.00
#   c17 born 2000-02-29: in 2027 on 02-28, "birthday (27)"
#   c18 born 1990-11-22: yesterday, so next on 2027-11-22
#   c99 is in the log but not in customers.csv: ignored
E=$TEST_SRC/t3000

test_expect_success 'setup: the fixed store' '
	mkdir store &&
	cp "$E/customers.csv" "$E/log.csv" store/ &&
	chmod 700 store &&
	chmod 600 store/customers.csv store/log.csv
'
CRM_DIR=$TRASH/store
export CRM_DIR

# due_cmp EXPECTED ARGS...: crm-due ARGS prints EXPECTED, nothing on
# stderr, and exits 0.
due_cmp () {
	exp=$1
	shift
	crm-due "$@" >out 2>err &&
	test_cmp "$E/$exp" out &&
	test_must_be_empty err
}

test_expect_success 'default: overdue and due today, most urgent first' '
	due_cmp list.expected
'

test_expect_success 'default list is the same with --csv and --today' '
	due_cmp list.expected --csv --today 2026-11-23
'

test_expect_success '--within 7d looks ahead to 2026-11-30' '
	due_cmp within-7d.expected --within 7d
'

test_expect_success '--within 1w is --within 7d' '
	due_cmp within-7d.expected --within 1w
'

test_expect_success '--until 2026-11-26 stops on that day' '
	due_cmp until-thu.expected --until 2026-11-26
'

test_expect_success '--until thu is the coming Thursday, 2026-11-26' '
	due_cmp until-thu.expected --until thu
'

test_expect_success '--until today is the default' '
	due_cmp list.expected --until today
'

test_expect_success '--owner anna: her follow-ups, not the one assigned to boris' '
	due_cmp owner-anna.expected --owner anna
'

test_expect_success '--owner boris: his own and the follow-up assigned to him' '
	due_cmp owner-boris.expected --owner boris
'

test_expect_success '--owner of nobody: nothing at all' '
	crm-due --owner nobody >out 2>err &&
	test_must_be_empty out &&
	test_must_be_empty err
'

# The four reports, one at a time.
test_expect_success 'cadence report: key every 30 days, vip every 14' '
	due_cmp cadence.expected --no-followups --no-complaints --no-birthdays
'

test_expect_success 'cadence report: --cadence key=10,regular=60' '
	due_cmp cadence-custom.expected --no-followups --no-complaints \
		--no-birthdays --cadence key=10,regular=60
'

test_expect_success '--cadence vip=0 switches the vip cadence off' '
	crm-due --within 7d --no-followups --no-complaints --no-birthdays >with &&
	grep "^cadence,2026-11-26,-3,3.00,c11," with &&
	crm-due --within 7d --no-followups --no-complaints --no-birthdays \
		--cadence vip=0 >without &&
	grep -v ",c11," with >expect &&
	test_cmp expect without
'

test_expect_success 'complaint report: unanswered complaints only' '
	due_cmp complaints.expected --no-followups --no-cadence --no-birthdays
'

test_expect_success 'complaint report: --complaint-hours 0' '
	due_cmp complaints-0h.expected --no-followups --no-cadence \
		--no-birthdays --complaint-hours 0
'

# c7 10:00 + 72 h = 11-23 10:00; c9 midnight + 72 h = 11-25.
test_expect_success 'complaint report: --complaint-hours 72' '
	due_cmp complaints-72h.expected --no-followups --no-cadence \
		--no-birthdays --complaint-hours 72 --within 7d
'

# To 2027-11-22: c16 today, c15 in two days, c17 on 2027-02-28 (no
# 29 February in 2027: 97 days ahead, -97 - 2 = -99.00), c18 in 364
# days (-366.00).
test_expect_success 'birthday report: within the horizon, --MM-DD, 29 February' '
	due_cmp birthdays.expected --no-followups --no-cadence --no-complaints \
		--until 2027-11-22
'

test_expect_success 'birthday report: a 29 February birthday is on 28 February in 2027' '
	crm-due --no-followups --no-cadence --no-complaints --until 2027-02-28 >out &&
	grep "^birthday,2027-02-28,-97,-99.00,c17,Leap Day," out &&
	crm-due --no-followups --no-cadence --no-complaints --until 2027-02-27 >out &&
	! grep ",c17," out
'

test_expect_success 'birthday report: on 29 February in a leap year' '
	due_cmp birthday-leap.expected --no-followups --no-cadence \
		--no-complaints --today 2028-02-01 --until 2028-03-01
'

test_expect_success 'birthday report: yesterday'\''s birthday is a year away' '
	crm-due --no-followups --no-cadence --no-complaints --within 7d >out &&
	! grep ",c18," out
'

# Each switch takes out its kind and nothing else: the urgency of the
# rest stays (c9 keeps its +5 for the open complaint with
# --no-complaints).
for sw in followup:followups complaint:complaints cadence:cadence \
	birthday:birthdays; do
	kind=${sw%%:*} opt=--no-${sw#*:}
	test_expect_success "$opt leaves out the ${kind} items only" "
		grep -v '^$kind,' \"\$E/within-7d.expected\" >expect &&
		crm-due --within 7d $opt >out &&
		test_cmp expect out
	"
done

test_expect_success 'every report switched off: no output, exit 0' '
	crm-due --within 1y --no-followups --no-complaints --no-cadence \
		--no-birthdays >out 2>err &&
	test_must_be_empty out &&
	test_must_be_empty err
'

# Urgency: recompute the documented weighted sum for every item to
# 2027-12-31 (all the store has) from the overdue, kind and tier
# columns, the open complaints (the customers with a complaint row) and
# the clv column of customers.csv; the rows must be sorted by urgency,
# then due date, then customer id.
cat >urgency.awk <<\EOF
BEGIN {
	FS = ","
	kw["complaint"] = 10; kw["followup"] = 2; kw["cadence"] = 0
	kw["birthday"] = -2
	tw["vip"] = 6; tw["key"] = 4; tw["regular"] = 1; tw["small"] = 0
}
FNR == 1 { file++; next }
file == 1 { clv[$1] = $14; next }
file == 2 { if ($1 == "complaint") open[$5] = 1; next }
{
	u = $3 + kw[$1] + tw[$10]
	if (open[$5] && $1 != "complaint")
		u += 5
	u += 2 * log(1 + clv[$5] / 100) / log(10)
	d = u - $4
	if (d > 0.0051 || d < -0.0051) {
		printf "line %d: %s %s: urgency %s, want %.4f\n", FNR, $1, $5, $4, u
		bad = 1
	}
	if (n++ && ($4 > pu || ($4 == pu && ($2 < pdue ||
	    ($2 == pdue && $5 < pid))))) {
		printf "line %d: out of order after %s %s\n", FNR, pid, pu
		bad = 1
	}
	pu = $4; pdue = $2; pid = $5
	rows++
}
END {
	if (!rows) { print "no rows"; bad = 1 }
	exit bad
}
EOF

test_expect_success 'urgency is the documented weighted sum, highest first' '
	crm-due --until 2027-12-31 >all &&
	test $(wc -l <all) = 18 &&
	awk -f urgency.awk store/customers.csv all all
'

test_expect_success 'urgency with another horizon and cadence' '
	crm-due --within 1m --cadence key=7,vip=7,regular=20,small=40 >all &&
	awk -f urgency.awk store/customers.csv all all
'

# A value column: crm-add --set clv=5000 raises urgency by
# 2*log10(1 + 5000/100) = 3.415; 0 + 2 = 2.00 becomes 5.42.
test_expect_success 'clv set with crm-add raises urgency by 2*log10(1+clv/100)' '
	CRM_DIR=$TRASH/clv &&
	export CRM_DIR &&
	crm-add --name "Plain Customer" --id p1 >/dev/null &&
	crm-add --name "Valued Customer" --id v1 --set clv=5000 >/dev/null &&
	crm-log p1 call --date 2026-11-20 --next today --next-action x &&
	crm-log v1 call --date 2026-11-20 --next today --next-action x &&
	crm-due >out &&
	cut -d, -f1-5 out >actual &&
	cat >expect <<-\EOF &&
	kind,due,overdue,urgency,customer
	followup,2026-11-23,0,5.42,v1
	followup,2026-11-23,0,2.00,p1
	EOF
	test_cmp expect actual
'

# --customers FILE: the rows, with a revenue column, from elsewhere;
# revenue 900 adds 2*log10(10) = 2, revenue 9900 adds 2*log10(100) = 4.
test_expect_success '--customers FILE with a revenue column' '
	CRM_DIR=$TRASH/clv &&
	export CRM_DIR &&
	cat >rev.csv <<-\EOF &&
	id,name,owner,revenue
	p1,Plain Customer,tester,900
	v1,Valued Customer,tester,9900
	EOF
	crm-due --customers rev.csv >out &&
	cut -d, -f1-5 out >actual &&
	cat >expect <<-\EOF &&
	kind,due,overdue,urgency,customer
	followup,2026-11-23,0,6.00,v1
	followup,2026-11-23,0,4.00,p1
	EOF
	test_cmp expect actual
'

# A value that is not a finite number (crm(7), MONEY: no exponents, no
# NaN) must not make the urgency infinite: every urgency stays a finite
# number, in CSV and as a JSON number.
test_expect_success 'a clv of inf or 1e400 leaves urgency finite' '
	CRM_DIR=$TRASH/clv &&
	export CRM_DIR &&
	crm-add --name "Infinite Value" --id i1 --set clv=inf >/dev/null &&
	crm-add --name "Huge Value" --id i2 --set clv=1e400 >/dev/null &&
	crm-add --name "No Value" --id i3 --set clv=nan >/dev/null &&
	for c in i1 i2 i3; do
		crm-log $c call --date 2026-11-20 --next today --next-action x || exit 1
	done &&
	crm-due --json >out &&
	"$PY" -c "
import json, math, sys
for l in open(\"out\"):
    r = json.loads(l)
    u = r[\"urgency\"]
    if not isinstance(u, (int, float)) or not math.isfinite(u):
        sys.exit(\"%s: urgency %r\" % (r[\"customer\"], u))
"
'

# A birthday of --02-29 (no year) falls on 28 February in 2027 and on 29
# February in 2028.
test_expect_success 'a --02-29 birthday without a year' '
	cat >leap.csv <<-\EOF &&
	id,name,owner,birthday
	b1,Leap Year,tester,--02-29
	EOF
	crm-due --customers leap.csv --until 2027-03-01 | cut -d, -f1-5,11 >actual &&
	cat >expect <<-\EOF &&
	kind,due,overdue,urgency,customer,action
	birthday,2027-02-28,-97,-99.00,b1,birthday
	EOF
	test_cmp expect actual &&
	crm-due --customers leap.csv --today 2027-03-01 --until 2028-03-01 |
		cut -d, -f1-5,11 >actual &&
	cat >expect <<-\EOF &&
	kind,due,overdue,urgency,customer,action
	birthday,2028-02-29,-365,-367.00,b1,birthday
	EOF
	test_cmp expect actual
'

# The open follow-up rule of crm(7), one customer per clause, in a
# store made with the tools.  The expected rows, by due date (all
# tier-less, so urgency = days overdue + 2):
#   c2  11-15T18:00 next 11-18, then 11-15T09:00 next 11-19 later in the
#       file: same day, later in the file wins, whatever the time
#   c1  11-10 next 11-20, then a call back-dated to 11-05: latest by day
#   c3  call next 11-21, then purchase, refund, note and a reassign by
#       crm-add --reassign olga --to pavel: still open, now pavel's
#   c5  assigned to boris: boris's, anna still the owner
#   c7  a purchase with a next date touches the follow-up
#   c6  assigned to boris, then rescheduled without an assignee: anna's
#   c4  closed by a call without --next; c8 closed by a complaint (a
#       contact) without a next date
test_expect_success 'setup: a store for the open follow-up rule' '
	CRM_DIR=$TRASH/rules &&
	export CRM_DIR &&
	for n in "Latest Day" "Same Day" "Shop Only" "Closed Call" \
		"Assigned Elsewhere" "Back To Owner" "Purchase With Next" \
		"Complaint Closes"; do
		crm-add --name "$n" --owner anna >/dev/null || exit 1
	done &&
	crm-add --update c3 --owner olga &&
	crm-log c1 call --date 2026-11-10 --next 2026-11-20 --next-action "latest by day" &&
	crm-log c1 call --date 2026-11-05 --next 2026-11-06 --next-action back-dated &&
	crm-log c2 call --date 2026-11-15T18:00 --next 2026-11-18 --next-action "evening call" &&
	crm-log c2 email --date 2026-11-15T09:00 --next 2026-11-19 --next-action "later in the file" &&
	crm-log c3 call --date 2026-11-05 --next 2026-11-21 --next-action "before the shop events" &&
	crm-log c3 purchase --amount 100.00 --date 2026-11-12 &&
	crm-log c3 refund --amount 50.00 --date 2026-11-13 &&
	crm-log c3 note "pays late" --date 2026-11-14 &&
	crm-add --reassign olga --to pavel >/dev/null &&
	crm-log c4 call --date 2026-11-01 --next 2026-11-10 --next-action x &&
	crm-log c4 call --date 2026-11-12 &&
	crm-log c5 meeting --date 2026-11-18 --next 2026-11-22 --next-action "for boris" --assignee boris &&
	crm-log c6 call --date 2026-11-10 --next 2026-11-20 --next-action "was boris" --assignee boris &&
	crm-log c6 reschedule --date 2026-11-12 --next 2026-11-24 --next-action "back to anna" &&
	crm-log c7 purchase --amount 10.00 --date 2026-11-20 --next 2026-11-22 --next-action "ask how it works" &&
	crm-log c8 call --date 2026-11-10 --next 2026-11-20 --next-action x &&
	crm-log c8 complaint "broken" --date 2026-11-21 &&
	grep "^2026-11-23,c3,reassign,.*olga -> pavel" rules/log.csv
'

test_expect_success 'the open follow-up rule of crm(7)' '
	CRM_DIR=$TRASH/rules &&
	export CRM_DIR &&
	crm-due --within 7d --no-complaints --no-cadence --no-birthdays >out &&
	cut -d, -f1,2,5,8,9,11 out >actual &&
	cat >expect <<-\EOF &&
	kind,due,customer,owner,assignee,action
	followup,2026-11-19,c2,anna,,later in the file
	followup,2026-11-20,c1,anna,,latest by day
	followup,2026-11-21,c3,pavel,,before the shop events
	followup,2026-11-22,c5,anna,boris,for boris
	followup,2026-11-22,c7,anna,,ask how it works
	followup,2026-11-24,c6,anna,,back to anna
	EOF
	test_cmp expect actual
'

test_expect_success 'the open follow-up rule: --owner boris gets the assigned one only' '
	CRM_DIR=$TRASH/rules &&
	export CRM_DIR &&
	crm-due --within 7d --owner boris --no-complaints --no-cadence \
		--no-birthdays >out &&
	cut -d, -f1,2,5,8,9,11 out >actual &&
	cat >expect <<-\EOF &&
	kind,due,customer,owner,assignee,action
	followup,2026-11-22,c5,anna,boris,for boris
	EOF
	test_cmp expect actual
'

# Complaints, one customer per case (all due 24 h after a date without
# a time, i.e. the next day):
#   k1 complaint 11-20, nothing since: open, due 11-21
#   k2 complaint 11-20, call 11-21: answered
#   k3 complaint 11-20, then a call back-dated to 11-19: still open
#   k4 complaint 11-20T10:00, then a call on 11-20 later in the file:
#      answered (same day, later in the file, as for follow-ups)
#   k5 complaint 11-10, call 11-15, complaint 11-18: the second is open
#   k6 complaints 11-10 and 11-12, no answer: the older one sets the
#      due date, 11-11
#   k7 complaint 11-20, then a note and a purchase: still open
test_expect_success 'complaints: what answers one and what does not' '
	CRM_DIR=$TRASH/comp &&
	export CRM_DIR &&
	for i in 1 2 3 4 5 6 7; do
		crm-add --name "Complainer $i" --id k$i >/dev/null || exit 1
	done &&
	crm-log k1 complaint one --date 2026-11-20 &&
	crm-log k2 complaint two --date 2026-11-20 &&
	crm-log k2 call answered --date 2026-11-21 &&
	crm-log k3 complaint three --date 2026-11-20 &&
	crm-log k3 call earlier --date 2026-11-19 &&
	crm-log k4 complaint four --date 2026-11-20T10:00 &&
	crm-log k4 call "same day" --date 2026-11-20 &&
	crm-log k5 complaint "five a" --date 2026-11-10 &&
	crm-log k5 call between --date 2026-11-15 &&
	crm-log k5 complaint "five b" --date 2026-11-18 &&
	crm-log k6 complaint "six a" --date 2026-11-10 &&
	crm-log k6 complaint "six b" --date 2026-11-12 &&
	crm-log k7 complaint seven --date 2026-11-20 &&
	crm-log k7 note "not an answer" --date 2026-11-21 &&
	crm-log k7 purchase --amount 5.00 --date 2026-11-22 &&
	crm-due --no-followups --no-cadence --no-birthdays >out &&
	cut -d, -f1-5,11 out >actual &&
	cat >expect <<-\EOF &&
	kind,due,overdue,urgency,customer,action
	complaint,2026-11-11,12,22.00,k6,answer the complaint: six a
	complaint,2026-11-19,4,14.00,k5,answer the complaint: five b
	complaint,2026-11-21,2,12.00,k1,answer the complaint: one
	complaint,2026-11-21,2,12.00,k3,answer the complaint: three
	complaint,2026-11-21,2,12.00,k7,answer the complaint: seven
	EOF
	test_cmp expect actual
'

test_expect_success '--json: the same items' '
	crm-due --json >out &&
	test $(wc -l <out) = 9 &&
	head -n 1 out | grep "\"kind\":\"cadence\"" &&
	head -n 1 out | grep "\"customer\":\"c12\""
'

test_done
